"""Benchmark: wtcompare at the scale of the real series, in one table.

Builds, from the sample corpus and the ground-truth generator, ten editions of 40,000 to 160,000
words (one of 150,000 and one of 40,000 for the 2010/2013-style pair), writes them as files with a
registry, and measures in fresh processes (so the cache and imports are what a user gets):

* the pairwise report for the 150,000/40,000 pair, cold (empty cache) and warm: time per stage,
  total, peak memory, report size;
* the timeline over all ten editions, cold and warm: total time and peak memory;
* the wall time of the plain `wtcompare report` command on the pair, cold and warm, imports included;
* on the same two texts, `git diff --no-index --word-diff` and difflib.HtmlDiff().make_file
  (stopped at 120 s), as ratios to our total;
* how the pairwise total grows with edition size (10k to 320k words): the exponent of a power-law fit.

Then, on real documents (`realcorpus`: the documentation of twelve docutils releases), the targets of
issue #20, each measured once, every run a new process with an empty cache unless it says warm:

* `wtcompare report` on the 0.21.2 release against a cut of 0.22.4 (157,000/62,000 words), wall time
  from process start, on the text with one paragraph per line and on the line-wrapped text; against
  `difflib.HtmlDiff().make_file` on each form (also in a new process) and `git diff --no-index
  --word-diff`;
* `wtcompare timeline` of the twelve releases (paragraph per line), cold and warm, with its peak
  memory: the largest sum, over the command and its worker processes, of their proportional set
  sizes (shared pages split between the processes sharing them), sampled every 20 ms; and the cold
  peak of the first 3, 6 and 9 releases, to show whether it grows with the number of editions;
* the twelve releases as PDFs (`realcorpus.write_pdfs`), cold: `wtcompare timeline`, with its peak
  memory, and `wtcompare scan` of the series;
* importing the command line (`import wtcompare.cli`, in a new process, five times);
* the first Quickstart command of the README, run as it is written in a fresh clone of this
  repository's last commit with an empty pip cache (it installs from PyPI; `--no-quickstart` skips it;
  `benchmarks/quickstart.py` runs it several times, and against other commits).

Run: python benchmarks/speed.py [--real-only] [--no-quickstart]   (about five minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import realcorpus
from quickstart import quickstart

from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.synth import Operations, grow, revise, to_markdown

ROOT = Path(__file__).resolve().parent.parent

SIZES = [40_000, 55_000, 70_000, 85_000, 100_000, 115_000, 130_000, 150_000, 160_000, 40_000]
GROWTH = [10_000, 20_000, 40_000, 80_000, 160_000, 320_000]
DIFFLIB_LIMIT = 120

RUN = """
import json, resource, sys, time
start = time.perf_counter()
from wtcompare import progress
from wtcompare.registry import Registry
from wtcompare.report import pair_report, timeline_report, write_report
# Libraries wtcompare imports only when it first needs them; imported here so that "total" leaves
# out every import, warm or cold (the wall times of the plain command are measured apart).
import jinja2, numpy, pandas, scipy.optimize, scipy.sparse
imported = time.perf_counter()
registry = Registry(sys.argv[2])
ids = sys.argv[3:]
docs = [registry.load(i) for i in ids]
if sys.argv[1] == "pair":
    html = pair_report(docs[0], docs[1], date="2026-01-01")
else:
    html = timeline_report(docs, date="2026-01-01")
with progress.stage("render"):
    write_report(sys.argv[2] + "/out.html", html)
end = time.perf_counter()
print(json.dumps({"total": end - imported, "imports": imported - start, "stages": dict(progress.timings),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "bytes": len(html.encode())}))
"""


def environment(cache: Path) -> dict:
    return dict(os.environ, WTCOMPARE_CACHE=str(cache), PYTHONPATH=str(ROOT))


def run(kind: str, texts: Path, ids: list[str], cache: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RUN, kind, str(texts), *ids],
        capture_output=True,
        text=True,
        env=environment(cache),
        check=True,
    )
    result = json.loads(out.stdout)
    return result


def command_wall(texts: Path, pair: list[str], cache: Path) -> float:
    """Wall time of `wtcompare report A B`, interpreter start and imports included."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "wtcompare",
            "--texts",
            str(texts),
            "report",
            *pair,
            "-o",
            str(texts / "command.html"),
            "--date",
            "2026-01-01",
        ],
        capture_output=True,
        env=environment(cache),
        check=True,
    )
    return time.perf_counter() - started


def write_corpus(folder: Path) -> list[str]:
    base = Registry(bundled_texts_dir()).load("sample-2008")
    entries, ids = [], []
    for k, size in enumerate(SIZES):
        edition_id = f"gen-{k:02d}"
        if k == len(SIZES) - 1:  # the 2013-style edition: a deep cut of the 150,000-word one, reworded
            document, _ = revise(
                grow(base, SIZES[7], seed=7),
                Operations(reword=0.15, delete_sections=0.72, split_sections=0.05, merge_sections=0.05),
                seed=99,
            )
        else:
            document = grow(base, size, seed=k)
        (folder / f"{edition_id}.md").write_text(to_markdown(document), encoding="utf-8")
        entries.append(
            f'[[edition]]\nid = "{edition_id}"\ntitle = "Generated edition {k}"\nyear = {2000 + k}\n'
            f'kind = "sample"\nsource = "{edition_id}.md"\n'
        )
        ids.append(edition_id)
    (folder / "editions.toml").write_text("\n".join(entries), encoding="utf-8")
    return ids


def growth_pair(folder: Path, words: int) -> list[str]:
    base = Registry(bundled_texts_dir()).load("sample-2008")
    a = grow(base, words, seed=1)
    b, _ = revise(a, Operations(reword=0.15), seed=2)
    (folder / "a.md").write_text(to_markdown(a), encoding="utf-8")
    (folder / "b.md").write_text(to_markdown(b), encoding="utf-8")
    (folder / "editions.toml").write_text(
        '[[edition]]\nid = "a"\ntitle = "A"\nkind = "sample"\nsource = "a.md"\n\n'
        '[[edition]]\nid = "b"\ntitle = "B"\nkind = "sample"\nsource = "b.md"\n'
    )
    return ["a", "b"]


def git_word_diff(a: Path, b: Path) -> float:
    """`git diff --no-index --word-diff`, its best of three: a run this short is mostly noise."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(["git", "diff", "--no-index", "--word-diff", str(a), str(b)], capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def children_cpu() -> float:
    """CPU seconds (user and system) of every finished child process so far, their workers included:
    on a shared machine a run's CPU time changes less than its wall time."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def html_diff(a: Path, b: Path) -> float | None:
    """`difflib.HtmlDiff().make_file` on the two files' lines in a new process (None: stopped at
    `DIFFLIB_LIMIT`)."""
    code = (
        f"import difflib; a = open({str(a)!r}).read().splitlines(); b = open({str(b)!r}).read().splitlines(); "
        "difflib.HtmlDiff().make_file(a, b)"
    )
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-c", code], timeout=DIFFLIB_LIMIT, check=True, capture_output=True)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - started


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and its descendants, in MB (0 once it has gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            pass  # it ended while being read
    return total / 1024


def command(args: list[str], cache: Path) -> tuple[float, float, float]:
    """Wall time of `wtcompare ARGS` in a new process, its CPU time and its peak memory (`tree_pss_mb`)."""
    cpu = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "wtcompare", "-q", *args], stdout=subprocess.DEVNULL, env=environment(cache)
    )
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_pss_mb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    if process.wait():
        raise SystemExit(f"wtcompare {' '.join(args)} failed")
    wall = time.perf_counter() - started
    sampler.join()
    return wall, children_cpu() - cpu, peak[0]


def import_times() -> list[float]:
    code = "import time; s = time.perf_counter(); import wtcompare.cli; print(time.perf_counter() - s)"
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env=environment(Path(tempfile.gettempdir())),
            ).stdout
        )
        for _ in range(5)
    ]


def real(with_quickstart: bool) -> None:
    """The targets of issue #20 on the docutils corpus, each measured once."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        forms = {}
        for form, wrapped in (("paragraph per line", False), ("line-wrapped", True)):
            texts = folder / ("wrapped" if wrapped else "paragraphs")
            ids, pair = realcorpus.write(texts, wrapped)
            forms[form] = texts
        words = {i: len((forms["paragraph per line"] / f"{i}.txt").read_text().split()) for i in ids + list(pair)}
        print(
            f"Real corpus: {realcorpus.PROJECT} {', '.join(realcorpus.RELEASES)} "
            f"({sum(words[i] for i in ids):,} words); pair {pair[0]} ({words[pair[0]]:,} words) "
            f"against {pair[1]} ({words[pair[1]]:,})"
        )
        paragraph_difflib = None
        for form, texts in forms.items():
            report, report_cpu, _ = command(
                ["--texts", str(texts), "report", *pair, "-o", str(folder / "report.html"), "--date", "2026-01-01"],
                folder / f"cache-{texts.name}",
            )
            a, b = texts / f"{pair[0]}.txt", texts / f"{pair[1]}.txt"
            cpu = children_cpu()
            difflib = html_diff(a, b)
            difflib_cpu = children_cpu() - cpu
            git = git_word_diff(a, b)
            paragraph_difflib = paragraph_difflib or difflib
            shown = (
                f"{difflib:.2f} s (CPU {difflib_cpu:.2f} s), ours {report / difflib:.2f}x (CPU "
                f"{report_cpu / difflib_cpu:.2f}x)"
                if difflib
                else f"over {DIFFLIB_LIMIT} s"
            )
            print(
                f"  report, cold, {form}: {report:.2f} s (CPU {report_cpu:.2f} s); "
                f"difflib.HtmlDiff().make_file {shown}; "
                f"git diff --no-index --word-diff {git:.3f} s, ours {report / git:.0f}x"
            )
        texts = forms["paragraph per line"]
        cache = folder / "cache-timeline"
        for label in ("cold", "warm"):
            wall, cpu, peak = command(
                ["--texts", str(texts), "timeline", *ids, "-o", str(folder / "timeline.html"), "--date", "2026-01-01"],
                cache,
            )
            ratio = f", {wall / paragraph_difflib:.2f}x the difflib run on the pair" if paragraph_difflib else ""
            print(
                f"  timeline of {len(ids)} editions, {label}: {wall:.2f} s (CPU {cpu:.2f} s){ratio}; "
                f"peak memory {peak:.0f} MB"
            )
        # the real editions come as PDFs: reading a PDF's pages is most of loading it
        pdfs = folder / "pdfs"
        pages = realcorpus.write_pdfs(texts, pdfs, ids)
        timeline, timeline_cpu, timeline_peak = command(
            ["--texts", str(pdfs), "timeline", *ids, "-o", str(folder / "pdf-timeline.html"), "--date", "2026-01-01"],
            folder / "cache-pdf-timeline",
        )
        scanned, scanned_cpu, _ = command(
            ["--texts", str(pdfs), "scan", *ids, "--format", "csv", "-o", str(folder / "pdf-scan.csv")],
            folder / "cache-pdf-scan",
        )
        print(
            f"  the {len(ids)} editions as PDFs ({pages:,} pages), cold: timeline {timeline:.2f} s (CPU "
            f"{timeline_cpu:.2f} s; peak memory {timeline_peak:.0f} MB), scan {scanned:.2f} s (CPU {scanned_cpu:.2f} s)"
        )
        # the peak should stay flat as editions are added: each is scanned, aligned and let go
        peaks = []
        for count in (3, 6, 9):
            _, _, peak = command(
                ["--texts", str(texts), "timeline", *ids[:count], "-o", str(folder / "part.html")],
                folder / f"cache-{count}",
            )
            peaks.append(f"{count} editions {peak:.0f} MB")
        print(f"  cold timeline's peak memory by number of editions: {', '.join(peaks)} (all {len(ids)}: above)")
    times = import_times()
    print(f"  import wtcompare.cli: {min(times):.3f} to {max(times):.3f} s (five new processes)")
    if with_quickstart:
        with tempfile.TemporaryDirectory() as tmp:
            line, wall = quickstart(Path(tmp))
        print(f"  first Quickstart command, new venv, empty pip cache: {wall:.1f} s ({line})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--real-only", action="store_true", help="only the real corpus")
    parser.add_argument("--no-quickstart", action="store_true", help="leave out the Quickstart command")
    options = parser.parse_args()
    if not options.real_only:
        generated()
    real(not options.no_quickstart)


def generated() -> None:
    """The generated corpus: stages, the timeline, the plain command, git and difflib, growth."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts, cache = folder / "texts", folder / "cache"
        texts.mkdir()
        ids = write_corpus(texts)
        words = {i: len((texts / f"{i}.md").read_text().split()) for i in ids}
        pair = [ids[7], ids[9]]
        for label in ("cold", "warm"):
            rows.append(
                (f"pairwise {words[pair[0]]:,}/{words[pair[1]]:,} words, {label}", run("pair", texts, pair, cache))
            )
        for label in ("cold", "warm"):
            rows.append((f"timeline, 10 editions, {label}", run("timeline", texts, ids, cache / "t")))
        walls = [command_wall(texts, pair, folder / "command-cache") for _ in ("cold", "warm")]
        paths = [texts / f"{i}.md" for i in pair]
        git, difflib = git_word_diff(*paths), html_diff(*paths)
        growth = []
        for size in GROWTH:
            sub = folder / f"g{size}"
            sub.mkdir()
            result = run("pair", sub, growth_pair(sub, size), sub / "cache")
            growth.append((size, result["total"]))
    print(
        "Run (fresh process each; imports not included in total)      total   load+seg   align   scan   diff  render"
        "   other  peak MB  report MB"
    )
    for label, r in rows:
        s = r["stages"]
        loading = s.get("load", 0) + s.get("segment", 0) + s.get("cache", 0)
        other = r["total"] - loading - sum(s.get(k, 0) for k in ("align", "scan", "diff", "render"))
        print(
            f"{label:<60} {r['total']:6.2f}s {loading:8.2f}s"
            f" {s.get('align', 0):6.2f}s {s.get('scan', 0):5.2f}s {s.get('diff', 0):5.2f}s {s.get('render', 0):6.2f}s"
            f" {other:6.2f}s {r['peak_mb']:8.0f} {r['bytes'] / 1e6:9.2f}"
        )
    print(
        "(diff: word diffs of every aligned pair; other: report data such as highlighting, statistics, "
        "structure map, chart; in the timeline, alignments run in worker processes and count as other)"
    )
    print(
        f"Imports (once per process): {rows[0][1]['imports']:.2f} s. `wtcompare report` on the pair, wall time "
        f"with interpreter start and imports: cold {walls[0]:.2f} s, warm {walls[1]:.2f} s"
    )
    ours = rows[0][1]["total"]
    diff_stage = rows[0][1]["stages"].get("diff", 0)
    print(
        f"git diff --no-index --word-diff: {git:.2f} s; our diff stage is {diff_stage / git:.1f}x it "
        f"(whole report {ours / git:.1f}x)"
    )
    if difflib is None:
        print(
            f"difflib.HtmlDiff().make_file (lines only): stopped at {DIFFLIB_LIMIT} s, more than "
            f"{DIFFLIB_LIMIT / ours:.0f}x our whole cold report ({ours:.2f} s)"
        )
    else:
        print(
            f"difflib.HtmlDiff().make_file (lines only): {difflib:.1f} s, {difflib / ours:.1f}x our whole "
            f"cold report ({ours:.2f} s)"
        )
    sizes, seconds = np.array([g[0] for g in growth]), np.array([g[1] for g in growth])
    exponent = np.polyfit(np.log(sizes), np.log(seconds), 1)[0]
    print("Growth: " + ", ".join(f"{s // 1000}k {t:.2f}s" for s, t in growth) + f"; power-law exponent {exponent:.2f}")


if __name__ == "__main__":
    main()
