"""Reports in a real browser (Debian's Chromium driven by Playwright): no console error, no request
leaving the file, working controls, KWIC links that land, injected markup inert, screenshots."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DESKTOP = 1366


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("WTCOMPARE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (WTCOMPARE_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page that records console errors, page errors, dialogs and every request that is not the file itself."""

    def __init__(self, browser, path: Path, width: int = 1280, **options):
        self.page = browser.new_page(viewport={"width": width, "height": 900}, **options)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def clean(self):
        assert self.errors == [] and self.requests == [] and self.dialogs == []


def build(run, tmp_path, *args) -> Path:
    out = tmp_path / "report.html"
    result = run(*args, "-o", str(out), "--date", "2026-01-01")
    assert result.exit_code == 0, result.stderr
    return out


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def visible_sections(page) -> int:
    return page.locator("details.section:visible").count()


def test_pair_report_controls_links_and_screenshot(browser, run, tmp_path):
    watched = Watched(browser, build(run, tmp_path, "report", "sample-2014", "sample-2021"))
    page = watched.page
    screenshot(page, "pair-report-top.png")
    assert page.locator("#findings li").count() >= 3
    assert page.locator(".smap a.box.k-inserted").count() > 0 and page.locator(".smap svg.bands path.band").count() > 0
    # view switch
    first_changed = page.locator("details.section[open] .para").first
    assert first_changed.locator(".text.inline").is_visible()
    page.get_by_label("Side by side").check()
    assert first_changed.locator(".text.side").is_visible() and not first_changed.locator(".text.inline").is_visible()
    page.get_by_label("Inline").check()
    assert first_changed.locator(".text.inline").is_visible()
    # filters
    total = visible_sections(page)
    page.get_by_label("Only changed sections").check()
    assert visible_sections(page) == page.locator("details.section[data-changed=yes]").count() < total
    page.get_by_label("Only sections where lexicon terms changed").check()
    assert visible_sections(page) == page.locator("details.section[data-terms=yes]").count() < total
    page.get_by_label("All sections").check()
    assert visible_sections(page) == total
    # unchanged text: paragraphs hide, sections collapse
    same = page.locator(".para.same").first
    page.locator("details.section", has=same).first.evaluate("d => d.open = true")
    assert same.is_visible()
    page.get_by_label("Hide unchanged paragraphs").check()
    assert not same.is_visible()
    page.get_by_label("Hide unchanged paragraphs").uncheck()
    section = page.locator("details.section[open]").first.element_handle()
    section.query_selector("summary").click()
    assert section.evaluate("d => !d.open")
    # a KWIC link scrolls to its paragraph, opening what hides it
    page.get_by_label("Only changed sections").check()
    page.locator("#vocabulary details summary").first.click()
    link = page.locator("a.kwic-link").last
    target = link.get_attribute("href")[1:]
    link.click()
    element = page.locator(f"[id='{target}']")
    assert element.evaluate("e => e.closest('details.section').open")
    top, bottom = element.evaluate("e => { const r = e.closest('.para').getBoundingClientRect(); return [r.top, r.bottom]; }")
    assert top < 900 and bottom > 0 and abs(top) < 50  # scrolled to the paragraph

    watched.clean()


def test_timeline_report_opens_cleanly(browser, run, tmp_path):
    watched = Watched(browser, build(run, tmp_path, "timeline"))
    screenshot(watched.page, "timeline-top.png")
    # a key panel and one panel per category, each an inline SVG with real text
    assert watched.page.locator("#chart svg.chart").count() == 7
    assert watched.page.locator("#chart svg.chart text").count() > 50
    watched.clean()


def test_injected_markup_shows_as_text_and_runs_nothing(browser, run, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Chapter 1: <img src=x onerror=\"window.pwned=1\">\n\n"
        "1.1 Heading \" onerror=\"window.pwned=2\n\n"
        "1.1 Working in partnership with parents. <script>window.pwned=3; alert(3)</script> "
        "<a href=\"javascript:window.pwned=4\">link</a> \" onerror=\"window.pwned=5\" <svg onload=alert(6)>\n")
    texts = tmp_path / "texts"
    assert run("--texts", str(texts), "ingest", str(hostile), "--edition", "hostile-1",
               "--title", "<script>alert(7)</script>").exit_code == 0
    out = build(run, tmp_path, "--texts", str(texts), "report", "sample-2021", "hostile-1")
    watched = Watched(browser, out)
    page = watched.page
    assert page.evaluate("() => window.pwned") is None
    body = page.locator("body").inner_text()
    assert "<script>window.pwned=3; alert(3)</script>" in body and "<script>alert(7)</script>" in body
    assert page.locator("a[href^='javascript:']").count() == 0 and page.locator("img[src=x]").count() == 0
    page.locator("#vocabulary details summary").first.click()
    for link in page.locator("a.kwic-link").all()[:3]:
        link.click()
    assert page.evaluate("() => window.pwned") is None
    watched.clean()


def test_readable_at_200_percent_and_usable_from_the_keyboard(browser, run, tmp_path):
    path = build(run, tmp_path, "report", "sample-2014", "sample-2021")
    page = browser.new_page(viewport={"width": 640, "height": 900})  # a 1280-wide window at 200% zoom
    page.goto(path.as_uri())
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.focus("input[name=view][value=inline]")
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    assert page.locator("#diff-list").evaluate("e => e.classList.contains('view-side')")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    assert page.locator("input[name=filter][value=changed]").is_checked()
    assert page.locator("main#main").count() == 1 and page.locator("nav[aria-label=Contents]").count() == 1
    assert page.locator("h1").count() == 1 and page.locator("h2").count() >= 6
    page.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The pages the tool writes: a pair report and a timeline of the sample corpus."""
    from click.testing import CliRunner

    from wtcompare.cli import cli

    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, args in (("pair", ["report", "sample-2014", "sample-2021"]), ("timeline", ["timeline"])):
        made[name] = folder / f"{name}.html"
        result = CliRunner().invoke(cli, args + ["-o", str(made[name]), "--date", "2026-01-01"])
        assert result.exit_code == 0, result.output
    return made


def test_structure_map_shows_the_whole_restructuring_in_one_window(browser, pages):
    page = Watched(browser, pages["pair"], DESKTOP).page
    page.locator("#h-map").scroll_into_view_if_needed()
    top = page.locator("#h-map").evaluate("h => h.getBoundingClientRect().top")
    bottom = page.locator("#chapter-map-top").evaluate("m => m.getBoundingClientRect().bottom")
    assert bottom - top <= 900
    # a chapter opens its section map, in which each section links to its text
    box = page.locator("#chapter-map-top .smap-a a.box").nth(4)
    target = box.get_attribute("href")[1:]
    box.click()
    details = page.locator(f"[id='{target}']")
    assert details.evaluate("d => d.open") and details.locator(".smap a.box").count() >= 2
    page.close()


def test_the_map_of_a_150000_word_pair_fits_one_window(browser, tmp_path):
    """The pair benchmarks/browser_render.py measures: 291 chapters against 184, at chapter level
    in one 1366 x 900 window."""
    from wtcompare.registry import Registry, bundled_texts_dir
    from wtcompare.report import pair_report
    from wtcompare.synth import Operations, grow, revise

    a = grow(Registry(bundled_texts_dir()).load("sample-2008"), 150_000, seed=7)
    b, _ = revise(a, Operations(reword=0.15, delete_sections=0.72, split_sections=0.05, merge_sections=0.05), seed=99)
    path = tmp_path / "large.html"
    path.write_text(pair_report(a, b, date="2026-01-01"), encoding="utf-8")
    watched = Watched(browser, path, DESKTOP)
    page = watched.page
    page.locator("#h-map").evaluate("h => h.scrollIntoView()")
    top = page.locator("#h-map").evaluate("h => h.getBoundingClientRect().top")
    bottom = page.locator("#chapter-map-top").evaluate("m => m.getBoundingClientRect().bottom")
    assert bottom - top <= 900
    screenshot(page, "large-pair-map.png")
    watched.clean()
