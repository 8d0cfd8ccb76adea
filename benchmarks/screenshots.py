"""Screenshots of the reports for the README: the pair report's first screen and its structure map
at 1366 px, the structure map on a 390 px phone, the timeline's chart, and the chapter map of a
150,000-word pair. Written to docs/screenshots/ (the browser tests save more in test-artifacts/).
Needs Debian's chromium and Playwright for Python.

Run: python benchmarks/screenshots.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.report import pair_report, timeline_report
from wtcompare.synth import Operations, grow, revise

ROOT = Path(__file__).resolve().parent.parent

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OUT = ROOT / "docs" / "screenshots"
DATE = "2026-01-01"


def region(page, first: str, last: str) -> dict:
    """The part of the page from the top of ``first`` to the foot of ``last``, full width."""
    top = page.locator(first).evaluate("e => e.getBoundingClientRect().top + window.scrollY") - 8
    bottom = page.locator(last).evaluate("e => e.getBoundingClientRect().bottom + window.scrollY") + 8
    return {"x": 0, "y": top, "width": page.viewport_size["width"], "height": bottom - top}


def main() -> None:
    from playwright.sync_api import sync_playwright

    registry = Registry(bundled_texts_dir())
    samples = {i: registry.load(i) for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")}
    large_a = grow(samples["sample-2008"], 150_000, seed=7)
    large_b, _ = revise(
        large_a, Operations(reword=0.15, delete_sections=0.72, split_sections=0.05, merge_sections=0.05), seed=99
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pages = {
            "pair": pair_report(samples["sample-2014"], samples["sample-2021"], date=DATE),
            "timeline": timeline_report(list(samples.values()), date=DATE),
            "large": pair_report(large_a, large_b, date=DATE),
        }
        paths = {}
        for name, html in pages.items():
            paths[name] = Path(folder) / f"{name}.html"
            paths[name].write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            shots = [
                ("pair", 1366, "pair-report-1366.png", None),
                ("pair", 1366, "structure-map-1366.png", ("#h-map", "#chapter-map-top")),
                ("pair", 390, "structure-map-390.png", ("#chapter-map-top", "#chapter-map-top")),
                ("timeline", 1366, "timeline-chart-1366.png", ("#chart", "#chart")),
                ("large", 1366, "structure-map-150000-words-1366.png", ("#h-map", "#chapter-map-top")),
            ]
            for name, width, file_name, between in shots:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(paths[name].as_uri(), wait_until="load")
                clip = region(page, *between) if between else None
                page.screenshot(path=str(OUT / file_name), clip=clip, full_page=bool(clip))
                print(OUT / file_name)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
