"""Benchmark: the README's first Quickstart command, as a new user runs it (issue #20: <= 25 s).

A run clones a commit of this repository into a new folder and runs, in a shell in that clone, the
first command of the Quickstart block of the README of that commit, with an empty pip cache
(PIP_CACHE_DIR a new empty folder) and an empty WTCOMPARE_CACHE; the figure is the wall time of the
whole line: the venv, the install from PyPI (pip's configuration on this machine included) and the
sample report. Several runs of several commits alternate, so that a change in the machine's load
falls on each commit alike; the load average is printed beside every run, and the median of each
commit at the end. `--log DIR` runs the command with pip's `-q` replaced by `-v` and writes its
output with the seconds since the start before every line (DIR/COMMIT-RUN.log), to see where the
time goes; those runs print more and are not the figure.

Run: python benchmarks/quickstart.py [--runs 3] [--log DIR] [COMMIT ...]   (default: HEAD; about a
minute a run)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_line(readme: str) -> str:
    """The first command of the README's Quickstart block."""
    block = readme.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return next(ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#"))


def quickstart(folder: Path, commit: str = "HEAD", log: Path | None = None) -> tuple[str, float]:
    """The first Quickstart command of COMMIT's README and its wall time, in a fresh clone of that
    commit with an empty pip cache and an empty WTCOMPARE_CACHE."""
    clone = folder / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    line = quickstart_line((clone / "README.md").read_text(encoding="utf-8"))
    if log:
        line = line.replace("pip install -q ", "pip install -v ")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PIP_CACHE_DIR=str(folder / "pip-cache"), WTCOMPARE_CACHE=str(folder / "cache"))
    started = time.perf_counter()
    if log is None:
        subprocess.run(["sh", "-c", line], cwd=clone, env=env, check=True, capture_output=True)
    else:
        with (
            subprocess.Popen(
                ["sh", "-c", line], cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            ) as process,
            log.open("w", encoding="utf-8") as out,
        ):
            for text in process.stdout or ():
                out.write(f"{time.perf_counter() - started:7.2f} {text}")
        if process.returncode:
            raise SystemExit(f"the Quickstart command failed; see {log}")
    return line, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("commits", nargs="*", default=["HEAD"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--log", type=Path, help="folder for timestamped `pip install -v` logs")
    options = parser.parse_args()
    if options.log:
        options.log.mkdir(parents=True, exist_ok=True)
    walls: dict[str, list[float]] = {c: [] for c in options.commits}
    lines = {}
    for run in range(options.runs):
        for commit in options.commits:
            log = options.log / f"{commit}-{run + 1}.log" if options.log else None
            before = os.getloadavg()[0]
            with tempfile.TemporaryDirectory() as tmp:
                lines[commit], wall = quickstart(Path(tmp), commit, log)
            walls[commit].append(wall)
            after = os.getloadavg()[0]
            print(f"{commit} run {run + 1}: {wall:.1f} s (load average {before:.2f} before, {after:.2f} after)")
    for commit, times in walls.items():
        shown = ", ".join(f"{t:.1f}" for t in times)
        print(f"{commit}: median {statistics.median(times):.1f} s of {shown} ({lines[commit]})")


if __name__ == "__main__":
    main()
