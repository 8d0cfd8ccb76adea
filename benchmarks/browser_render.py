"""Benchmark: how long Chromium takes to load and render a pairwise report for a pair the size of
the 2010 and 2013 editions (about 150,000 and 40,000 words), and how big the file is.
Targets: under 3 s, file under 8 MB. Needs Debian's chromium and Playwright for Python.

Run: python benchmarks/browser_render.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from wtcompare.registry import Registry, bundled_texts_dir  # noqa: E402
from wtcompare.report import pair_report  # noqa: E402
from wtcompare.synth import Operations, grow, revise  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    registry = Registry(bundled_texts_dir())
    a = grow(registry.load("sample-2008"), 150_000, seed=7)
    b, _ = revise(a, Operations(reword=0.15, delete_sections=0.72, split_sections=0.05, merge_sections=0.05), seed=99)
    html = pair_report(a, b, date="2026-01-01")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            times = []
            for _ in range(3):
                started = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times.append(time.perf_counter() - started)
            browser.close()
    print(f"Pair of {a.word_count:,} and {b.word_count:,} words: report {len(html.encode()) / 1e6:.2f} MB; "
          f"Chromium load and first render {min(times):.2f} s (best of 3; runs {', '.join(f'{t:.2f}' for t in times)} s)")


if __name__ == "__main__":
    main()
