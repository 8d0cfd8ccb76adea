"""Benchmark: `wtcompare site` of the four sample editions (targets: under 10 s cold, under 3 s warm).

Runs the plain command in fresh processes, as a user or a CI job does, each time the whole command
(interpreter start and imports included):

* cold: an empty cache and a new folder, so every document is parsed, aligned and scanned and every
  page rendered (three times, each with its own empty cache);
* warm: the same folder again with nothing changed, so every page is kept (five times);
* warm cache, new folder: the cache filled, but every page rendered and written (three times).

Prints the wall time, and the CPU time (user + system) the process used, which a busy machine does
not inflate, with the load average; the pages, files and bytes of the site; and whether the targets
are met.

Run: python benchmarks/site_speed.py   (about a minute)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET, WARM_TARGET = 10.0, 3.0  # seconds
COLD_RUNS, WARM_RUNS, RENDER_RUNS = 3, 5, 3
DATE = "2026-01-01"


def timed(folder: Path, out: str, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `wtcompare site` run."""
    env = {**os.environ, "WTCOMPARE_CACHE": str(cache)}
    env.pop("WTCOMPARE_TEXTS", None)
    env.pop("WTCOMPARE_NO_CACHE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "wtcompare", "site", out, "--date", DATE],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"wtcompare site failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def line(name: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = sorted(r[0] for r in runs), sorted(r[1] for r in runs)
    return (
        f"  {name:<26} wall best {walls[0]:.2f} s, median {walls[len(walls) // 2]:.2f} s, worst {walls[-1]:.2f} s; "
        f"CPU median {cpus[len(cpus) // 2]:.2f} s ({len(runs)} runs)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cold = [timed(folder, f"cold-{k}", folder / f"cache-{k}") for k in range(COLD_RUNS)]
        warm = [timed(folder, "cold-0", folder / "cache-0") for _ in range(WARM_RUNS)]
        rendered = [timed(folder, f"render-{k}", folder / "cache-0") for k in range(RENDER_RUNS)]
        manifest = json.loads((folder / "cold-0" / "manifest.json").read_text(encoding="utf-8"))
    median_cold = sorted(r[0] for r in cold)[COLD_RUNS // 2]
    median_warm = sorted(r[0] for r in warm)[WARM_RUNS // 2]
    print("wtcompare site of the four sample editions (whole command: interpreter, imports, build)")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"  {len(manifest['pages'])} pages, {len(manifest['files']) + 1} files, "
        f"{sum(f['bytes'] for f in manifest['files']) / 1e6:.2f} MB"
    )
    print(line("cold (empty cache, new)", cold))
    print(line("warm (nothing changed)", warm))
    print(line("warm cache, new folder", rendered))
    print(
        f"  targets: cold under {COLD_TARGET:.0f} s (median wall) "
        f"{'met' if median_cold < COLD_TARGET else 'MISSED'}; "
        f"warm under {WARM_TARGET:.0f} s {'met' if median_warm < WARM_TARGET else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
