"""Benchmark: a pairwise report for a pair the size of the 2010 and 2013 editions (about 150,000 and
45,000 words) in Chromium: how long it takes to load and render, how big the file is, and whether it
reads on a screen and a phone: the structure map at chapter level in one 1366 x 900 window, the
smallest chart and map text, and how much wider than the window the page is at 1366 and 390 px.
Targets: load under 2 s, file under 8 MB, the map in one window, text of 11 px or more, no
overflow. Needs Debian's chromium and Playwright for Python.

Run: python benchmarks/browser_render.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.report import pair_report
from wtcompare.synth import Operations, grow, revise

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# from the top of the map's heading to the foot of the chapter map, in the window after scrolling to the heading
MAP_SPAN = """() => { document.querySelector('#h-map').scrollIntoView();
  return document.querySelector('#chapter-map-top').getBoundingClientRect().bottom
       - document.querySelector('#h-map').getBoundingClientRect().top; }"""
SMALLEST_TEXT = """() => Math.min(
  ...[...document.querySelectorAll('svg.chart text')]
     .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a),
  ...[...document.querySelectorAll('.smap .label, .smap .tag')].map(e => parseFloat(getComputedStyle(e).fontSize)))"""
OVERFLOW = "() => document.scrollingElement.scrollWidth - window.innerWidth"


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
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            times = []
            for _ in range(3):
                started = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times.append(time.perf_counter() - started)
            span, height = page.evaluate(MAP_SPAN), page.locator("#chapter-map-top").evaluate("m => m.offsetHeight")
            smallest, wide = page.evaluate(SMALLEST_TEXT), page.evaluate(OVERFLOW)
            phone = browser.new_page(viewport={"width": 390, "height": 900})
            phone.goto(path.as_uri(), wait_until="load")
            narrow = phone.evaluate(OVERFLOW)
            browser.close()
    print(
        f"Pair of {a.word_count:,} and {b.word_count:,} words ({len(a.sections)} and {len(b.sections)} chapters): "
        f"report {len(html.encode()) / 1e6:.2f} MB; Chromium load and first render {min(times):.2f} s "
        f"(best of 3; runs {', '.join(f'{t:.2f}' for t in times)} s)"
    )
    print(
        f"Structure map at chapter level: {height} px tall, {span:.0f} px from its heading to its foot "
        f"({'fits' if span <= 900 else 'does not fit'} a 1366 x 900 window); smallest chart or map text "
        f"{smallest:.1f} px; page wider than the window by {wide} px at 1366 and {narrow} px at 390"
    )


if __name__ == "__main__":
    main()
