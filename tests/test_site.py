"""`wtcompare site`: the series as a static site. Every local link resolves inside the folder, every
page opens in Chromium with no request leaving it and no console error, two builds are byte-identical,
the manifest matches the files, only pages whose inputs changed are built again, and nothing a user
made is overwritten."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest
from browsing import Watched
from conftest import SAMPLE_IDS
from test_cli import ok, one_line_error

from wtcompare.fileio import sha256_file
from wtcompare.lexicon import load_lexicon
from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.site import build_site, plan_site

SAMPLE = bundled_texts_dir() / "sample"
DATE = "2026-01-01"
CATEGORIES = [c.id for c in load_lexicon().categories]
CLAIMS = """
[[claim]]
id = "families-fell"
statement = "Partnership with families fell"
editions = ["sample-2002", "sample-2021"]
category = "partnership_with_families"
expect = "fell"

[[claim]]
id = "partner-agencies"
statement = "The 2008 edition speaks of partner agencies"
edition = "sample-2008"
term = "partner agenc*"
expect = "present"

[[claim]]
id = "real-edition"
statement = "The 2015 edition never says partnership"
edition = "wt2015"
term = "partnership*"
expect = "absent"
"""


def site(run, out: str = "site", *args: str) -> Path:
    result = ok(run("site", out, *args, "--date", DATE))
    assert result.stdout.splitlines()[0] == f"{out}/index.html"
    return Path(out)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def links(folder: Path) -> tuple[int, list[tuple[str, str, str]]]:
    """Every href of every page: how many, and those that do not resolve to a file inside the folder
    (with the anchor, when one is given, in that page)."""
    folder = folder.resolve()
    pages = {p: p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}
    ids = {p: set(re.findall(r'\bid="([^"]+)"', text)) for p, text in pages.items()}
    count, broken = 0, []
    for page, text in pages.items():
        for href in map(html.unescape, re.findall(r'\bhref="([^"]*)"', text)):
            count += 1
            parts = urlsplit(href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if parts.scheme or parts.netloc:
                broken.append((page.name, href, "leaves the folder"))
            elif not target.is_relative_to(folder) or not target.is_file():
                broken.append((page.name, href, "no such file in the folder"))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids[target]:
                broken.append((page.name, href, "no such anchor"))
    return count, broken


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The site of the four sample editions, with the claims page and one pair asked for."""
    folder = tmp_path_factory.mktemp("sample-site")
    (folder / "claims.toml").write_text(CLAIMS, encoding="utf-8")
    built = build_site(
        folder / "site",
        Registry(bundled_texts_dir()),
        claims=folder / "claims.toml",
        pairs=[("sample-2002", "sample-2021")],
        date=DATE,
    )
    return built


def test_the_sample_site_has_every_page_and_no_broken_link(sample_site):
    out = sample_site.out
    chain = [f"pairs/{a}-vs-{b}.html" for a, b in itertools.pairwise(SAMPLE_IDS)]
    expected = {
        "index.html",
        "timeline.html",
        "claims.html",
        "pairs/sample-2002-vs-sample-2021.html",
        *chain,
        *(f"categories/{c}.html" for c in CATEGORIES),
    }
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.html")} == expected
    pairs = [p.path for p in sample_site.plan.pages if p.kind == "pair"]
    assert pairs == chain + ["pairs/sample-2002-vs-sample-2021.html"]
    count, broken = links(out)
    assert broken == [] and count > 1000
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in expected - {"index.html"}:
        assert f'href="{page}"' in index  # the index links every page
    assert "How to cite this site" in index and 'href="claims.html"' in index
    for edition in SAMPLE_IDS:  # in date order, with length and SHA-256
        assert Registry(bundled_texts_dir()).get(edition).sha256 in index
    assert [index.index(f"<code>{e}</code>") for e in SAMPLE_IDS] == sorted(
        index.index(f"<code>{e}</code>") for e in SAMPLE_IDS
    )


def test_every_page_shares_one_navigation_bar_and_stylesheet_and_stands_alone(sample_site):
    out = sample_site.out
    bars, styles = set(), set()
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        bar = re.search(r'<nav class="site noprint" aria-label="Site">.*?</nav>', text).group(0)
        up = "../" * (len(page.relative_to(out).parts) - 1)
        bars.add(re.sub(r' aria-current="\w+"', "", bar.replace(f'href="{up}', 'href="')))
        styles.add(re.search(r"<style>.*?</style>", text, re.S).group(0))
        assert "default-src 'none'" in text and len(re.findall(r"<script>", text)) == 1
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", text)  # nothing to fetch
    assert len(bars) == 1 and len(styles) == 1
    assert 'aria-current="page">Series' in (out / "index.html").read_text(encoding="utf-8")
    assert 'aria-current="true">Pairs' in (out / "pairs/sample-2008-vs-sample-2014.html").read_text(encoding="utf-8")


def test_the_commands_pages_keep_no_site_navigation(run):
    for args in (["report", "sample-2002", "sample-2008"], ["timeline"]):
        page = Path(ok(run(*args, "--date", DATE)).stdout.strip()).read_text(encoding="utf-8")
        assert '<nav class="site' not in page


def test_the_manifest_lists_every_file_with_its_bytes_and_sha256(sample_site):
    out = sample_site.out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = files(out)
    assert set(listed) == set(on_disk) - {"manifest.json"}
    for path, data in on_disk.items():
        if path != "manifest.json":
            assert listed[path]["bytes"] == len(data) and listed[path]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["wtcompare"] and manifest["date"] == DATE and manifest["provenance"]["command"] == "site"
    assert [t["edition"] for t in manifest["provenance"]["texts"]] == SAMPLE_IDS
    pages = {p["path"]: p for p in manifest["pages"]}
    assert set(pages) == {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    assert all(len(p["inputs"]) == 64 and p["path"] in p["files"] for p in pages.values())


def test_the_data_are_the_tables_of_the_commands(sample_site, run):
    data = sample_site.out / "data"
    # the timeline's tables, as `timeline -o DIR/` writes them; a pair's, as `report --export`
    ok(run("timeline", "--format", "csv", "-o", "timeline/"))
    for name in ("rates", "span", "changes"):
        assert (data / "timeline/csv" / f"{name}.csv").read_bytes() == Path(f"timeline/{name}.csv").read_bytes()
    ok(run("report", "sample-2008", "sample-2014", "--date", DATE, "--export", "exported"))
    for csv in Path("exported").glob("*.csv"):
        assert (data / "pairs/sample-2008-vs-sample-2014/csv" / csv.name).read_bytes() == csv.read_bytes()
    for folder in data.rglob("manifest.json"):
        manifest = json.loads(folder.read_text(encoding="utf-8"))
        for entry in manifest["files"]:
            assert hashlib.sha256((folder.parent / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
        fmt = folder.parent.name
        assert fmt in ("csv", "json") and all(e["file"].endswith("." + fmt) for e in manifest["files"])
    rates = pd.read_csv(data / "categories/procedural/csv/rates.csv")
    assert set(rates["edition"]) == set(SAMPLE_IDS) and set(rates["category"]) == {"procedural"}
    claims = json.loads((data / "claims/json/claims.json").read_text(encoding="utf-8"))
    assert [c["verdict"] for c in claims["claims"]] == ["holds", "holds", "cannot check"]


def test_a_category_page_links_every_occurrence_to_its_paragraph(sample_site):
    out = sample_site.out
    occurrences = pd.read_csv(out / "data/categories/interagency_partnership/csv/occurrences.csv")
    assert len(occurrences) > 50 and occurrences["link"].notna().all()
    page = (out / "categories/interagency_partnership.html").read_text(encoding="utf-8")
    for link in occurrences["link"]:
        assert f'href="{html.escape(link)}"' in page
    # an edition is read in the report against the one before it; the first against the one after
    hosts = {
        e: occurrences.loc[occurrences["edition"] == e, "link"].str.split("#").str[0].unique().tolist()
        for e in SAMPLE_IDS
        if (occurrences["edition"] == e).any()
    }
    assert hosts["sample-2021"] == ["../pairs/sample-2014-vs-sample-2021.html"]
    assert hosts["sample-2002"] == ["../pairs/sample-2002-vs-sample-2008.html"]


def test_the_claims_page_links_into_the_sites_pair_reports(sample_site):
    page = (sample_site.out / "claims.html").read_text(encoding="utf-8")
    assert 'href="pairs/sample-2002-vs-sample-2021.html#sample-2002-' in page
    assert ">pairs/sample-2002-vs-sample-2021.html</a>" in page  # named inside the site, never by a local folder
    assert str(sample_site.out) not in page


def test_two_builds_are_byte_identical_and_a_third_builds_nothing(run):
    Path("claims.toml").write_text(CLAIMS, encoding="utf-8")
    first = files(site(run, "one", "--claims", "claims.toml"))
    assert files(site(run, "two", "--claims", "claims.toml")) == first
    again = ok(run("site", "one", "--claims", "claims.toml", "--date", DATE)).stdout.splitlines()[1]
    assert again.startswith("13 pages: 0 built, 13 unchanged;") and files(Path("one")) == first


def own_texts(run) -> Path:
    for source, edition, date in (
        ("sample-2002.txt", "own-2002", "2002"),
        ("sample-2008.txt", "own-2008", "2008"),
        ("sample-2014.md", "own-2014", "2014"),
    ):
        ok(run("--texts", "own", "ingest", str(SAMPLE / source), "--edition", edition, "--date", date))
    return Path("own")


def test_only_the_pages_whose_inputs_changed_are_built_again(run):
    texts = own_texts(run)
    first = build_site("site", Registry(texts), date=DATE)
    assert first.kept == [] and len(first.built) == 2 + 1 + len(CATEGORIES) + 1
    changed = Path("changed.md")
    changed.write_text(
        (SAMPLE / "sample-2014.md").read_text(encoding="utf-8") + "\nWorking in partnership with parents matters.\n",
        encoding="utf-8",
    )
    ok(run("--texts", str(texts), "ingest", str(changed), "--edition", "own-2014", "--replace"))
    second = build_site("site", Registry(texts), date=DATE)
    assert second.kept == ["pairs/own-2002-vs-own-2008.html"]
    assert set(second.built) == {p.path for p in second.plan.pages} - {"pairs/own-2002-vs-own-2008.html"}
    # a file of the site that went missing: its page alone is built again
    Path("site/categories/procedural.html").unlink()
    assert build_site("site", Registry(texts), date=DATE).built == ["categories/procedural.html"]
    # a new edition: its pair, and the pages of the whole series; the other pairs are kept
    ok(run("--texts", str(texts), "ingest", str(SAMPLE / "sample-2021.md"), "--edition", "own-2021", "--date", "2021"))
    third = build_site("site", Registry(texts), date=DATE)
    assert "pairs/own-2014-vs-own-2021.html" in third.built and "timeline.html" in third.built
    assert {"pairs/own-2002-vs-own-2008.html", "pairs/own-2008-vs-own-2014.html"} <= set(third.kept)
    # another date: every page
    assert build_site("site", Registry(texts), date="2026-02-01").kept == []
    assert links(Path("site"))[1] == []


def test_pages_made_by_other_code_are_built_again(run, monkeypatch):
    # a fix between releases (same version) changes what a page shows: no page of the code before
    # is kept, as no cache entry of it is read
    from wtcompare import cache

    texts = own_texts(run)
    assert build_site("site", Registry(texts), date=DATE).kept == []
    assert build_site("site", Registry(texts), date=DATE).built == []
    monkeypatch.setattr(cache, "code_digest", lambda: "0" * 64)
    assert build_site("site", Registry(texts), date=DATE).kept == []


def test_files_the_new_build_does_not_write_are_deleted(run):
    Path("claims.toml").write_text(CLAIMS, encoding="utf-8")
    out = site(run, "site", "--claims", "claims.toml", "--pair", "sample-2021", "sample-2002")
    assert (out / "claims.html").exists() and (out / "data/pairs/sample-2021-vs-sample-2002/json").is_dir()
    summary = ok(run("site", "site", "--date", DATE)).stdout.splitlines()[1]
    assert summary.endswith("; 26 deleted")  # two pages, each with two data folders of their tables
    assert not (out / "claims.html").exists() and not (out / "pairs/sample-2021-vs-sample-2002.html").exists()
    assert not (out / "data/claims").exists() and not (out / "data/pairs/sample-2021-vs-sample-2002").exists()
    assert links(out)[1] == [] and "Claims" not in (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in manifest["files"]} == set(files(out)) - {"manifest.json"}


def test_a_companion_document_joins_the_chain_only_when_named(run):
    texts = own_texts(run)
    ok(
        run(
            "--texts",
            str(texts),
            "ingest",
            str(SAMPLE / "sample-2021.md"),
            "--edition",
            "own-2008-framework",
            "--date",
            "2008",
        )
    )
    registry_file = texts / "editions.toml"
    registry_file.write_text(
        registry_file.read_text(encoding="utf-8").replace(
            'id = "own-2008-framework"', 'id = "own-2008-framework"\nversion_of = "own-2008"\ncompanion = true'
        ),
        encoding="utf-8",
    )
    plan = plan_site(Registry(texts), date=DATE)
    assert plan.chain == [("own-2002", "own-2008"), ("own-2008", "own-2014")]
    named = plan_site(Registry(texts), ["own-2002", "own-2008", "own-2008-framework", "own-2014"], date=DATE)
    assert named.chain == [
        ("own-2002", "own-2008"),
        ("own-2008", "own-2008-framework"),
        ("own-2008-framework", "own-2014"),
    ]


def test_a_folder_that_is_not_a_site_of_ours_is_refused_and_left_as_it_was(run, tmp_path):
    Path("notes").mkdir()
    Path("notes/mine.txt").write_text("mine")
    one_line_error(run("site", "notes"), 1, "notes", "holds no manifest.json of a wtcompare site")
    assert files(Path("notes")) == {"mine.txt": b"mine"}
    Path("other").mkdir()
    Path("other/manifest.json").write_text('{"my": "notes"}')
    one_line_error(run("site", "other"), 1, "other/manifest.json", "not the manifest of a wtcompare site")
    Path("a-file").write_text("x")
    one_line_error(run("site", "a-file"), 1, "a-file", "not a folder")
    # -o DIR/ of another command is ours, but not a site
    ok(run("timeline", "--format", "csv", "-o", "tables/"))
    one_line_error(run("site", "tables"), 1, "tables/manifest.json", "not the manifest of a wtcompare site")
    Path("empty").mkdir()
    site(run, "empty")


def test_a_file_changed_since_or_made_by_the_user_is_never_overwritten(run):
    out = site(run)
    mine = b"<p>my notes on this comparison</p>"
    (out / "timeline.html").write_bytes(mine)
    one_line_error(run("site", "site", "--date", DATE), 1, "site/timeline.html", "was changed since wtcompare wrote it")
    assert (out / "timeline.html").read_bytes() == mine
    # changed, and no longer part of the site: not deleted either
    one_line_error(run("site", "site", "sample-2002", "sample-2008", "--date", DATE), 1, "site/timeline.html")
    assert (out / "timeline.html").read_bytes() == mine and (out / "pairs/sample-2014-vs-sample-2021.html").exists()
    (out / "timeline.html").unlink()
    site(run)
    # a file of the user's where a new page goes
    (out / "pairs/sample-2021-vs-sample-2002.html").write_bytes(mine)
    one_line_error(
        run("site", "site", "--pair", "sample-2021", "sample-2002", "--date", DATE),
        1,
        "site/pairs/sample-2021-vs-sample-2002.html",
        "is not a file of this site",
    )
    assert (out / "pairs/sample-2021-vs-sample-2002.html").read_bytes() == mine
    assert links(out)[1] == []  # the site is still whole


def test_a_manifest_cannot_point_outside_the_folder(run, tmp_path):
    out = site(run)
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append({"path": "../precious.txt", "bytes": 7, "sha256": hashlib.sha256(b"keep me").hexdigest()})
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    one_line_error(run("site", "site", "--date", DATE), 1, "a path outside the site's folder")
    assert outside.read_text() == "keep me"


def test_a_link_leading_out_of_the_folder_is_never_followed(run, tmp_path):
    out = site(run)
    elsewhere = tmp_path / "elsewhere"
    (out / "pairs").rename(elsewhere)
    (out / "pairs").symlink_to(elsewhere)
    one_line_error(run("site", "site", "--date", DATE), 1, "site/pairs/", "is outside the site's folder")
    moved = sorted(p.name for p in elsewhere.iterdir())
    assert moved == [f"{a}-vs-{b}.html" for a, b in itertools.pairwise(SAMPLE_IDS)]


def test_an_interrupted_build_leaves_a_manifest_of_what_is_on_disk(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    out = tmp_path / "site"
    with monkeypatch.context() as patched:
        patched.setattr("wtcompare.site.timeline_page", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build_site(out, Registry(bundled_texts_dir()), date=DATE)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["kind"] for p in manifest["pages"]] == ["pair"] * 3
    assert {f["path"] for f in manifest["files"]} == set(files(out)) - {"manifest.json"}
    again = build_site(out, Registry(bundled_texts_dir()), date=DATE)
    assert again.kept == [p["path"] for p in manifest["pages"]] and "timeline.html" in again.built


def test_a_category_that_cannot_name_a_page_is_one_line(run):
    text = (package_files("wtcompare") / "data" / "lexicon.toml").read_text(encoding="utf-8")
    Path("lexicon.toml").write_text(text.replace('id = "procedural"', 'id = "../procedural"'), encoding="utf-8")
    one_line_error(run("site", "site", "--lexicon", "lexicon.toml"), 1, "category '../procedural' cannot name a page")
    assert not Path("site").exists()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--pair", "sample-2002", "sample-2002"], 2, "cannot compare edition 'sample-2002' with itself"),
        (["--pair", "sample-2002", "wt2015"], 2, "sample-2002 is a fictional sample and wt2015 is not"),
        (["--pair", "sample-2002", "nothing"], 2, "unknown edition 'nothing'"),
        (["sample-2002", "sample-2002"], 2, "given twice"),
        (["--date", "yesterday"], 2, "invalid date"),
        (["--claims", "missing.toml"], 2, "missing.toml: no such file"),
        (["wt2015"], 1, "edition 'wt2015' has no local text"),
    ],
)
def test_bad_input_is_one_line(run, args, code, message):
    one_line_error(run("site", "site", *args), code, message)


def test_every_page_opens_in_a_browser_requesting_nothing_outside_the_folder(browser, sample_site):
    out = sample_site.out.resolve()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 14
    for path in pages:
        Watched(browser, path, folder=out).clean()
    # from disk, the navigation bar and an occurrence's link lead where they say
    watched = Watched(browser, out / "categories/interagency_partnership.html", folder=out)
    page = watched.page
    link = page.locator("#occurrences table.kwic a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    path, anchor = target.split("#")
    assert page.url == (out / "categories" / path).resolve().as_uri() + "#" + anchor
    landed = page.locator(f"[id='{anchor}']")
    assert landed.count() == 1 and landed.evaluate("e => e.closest('details.section').open")
    page.locator("nav.site a", has_text="Series").click()
    page.wait_for_load_state("load")
    assert page.url == (out / "index.html").as_uri() and page.locator("h1").inner_text().startswith("The series")
    watched.clean()


def test_no_page_shows_a_missing_value_as_nan_or_none(sample_site):
    """A paragraph reference with no printed number falls back to its unit: pandas' missing value
    (NaN, which a template takes as true) must never reach a page as "nan"."""
    shown = re.compile(r">([^<]*)<")
    for page in sample_site.out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        texts = [text.strip() for text in shown.findall(html)]
        attributes = re.findall(r'(?:title|aria-label|href)="([^"]*)"', html)
        words = {w for text in texts + attributes for w in re.findall(r"\w+", text)}
        assert not words & {"nan", "NaN", "NaT", "inf"}, page
        assert "None" not in texts, page  # "None: every pair had a clear best match." is prose


def test_one_occurrence_is_not_called_occurrences(sample_site):
    pages = [page.read_text(encoding="utf-8") for page in sample_site.out.rglob("*.html")]
    assert any("(1 occurrence)" in page for page in pages)  # the sample has such counts
    assert not any(re.search(r"\b1 occurrences\b", page) for page in pages)


def test_two_builds_into_one_folder_at_once_take_turns(tmp_path):
    """Two `wtcompare site` runs into one folder, started together: both succeed, one after the
    other, and the manifest lists every file the folder holds, as it holds it."""
    import os
    import subprocess
    import sys

    out = tmp_path / "site"
    command = [sys.executable, "-m", "wtcompare", "-q", "site", str(out), "--date", DATE]
    env = {k: v for k, v in os.environ.items() if k != "WTCOMPARE_TEXTS"}
    runs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, cwd=tmp_path) for _ in range(2)]
    assert [(run.wait(600), run.stderr.read()) for run in runs] == [(0, "")] * 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert {f["path"] for f in manifest["files"]} == on_disk
    assert all(sha256_file(out / f["path"]) == f["sha256"] for f in manifest["files"])
    assert not any(p.name.endswith(".lock") for p in out.rglob("*"))  # the lock is beside the site, not in it


def test_a_site_built_into_the_current_folder(run, tmp_path, monkeypatch):
    """`site .` locks the folder by its own name, beside it (Path('.') has none)."""
    site = tmp_path / "here"
    site.mkdir()
    monkeypatch.chdir(site)
    ok(run("site", ".", "--date", DATE))
    assert (site / "index.html").is_file() and (site / "manifest.json").is_file()
    monkeypatch.chdir(site / "pairs")
    ok(run("site", "..", "--date", DATE))  # the same folder, locked by the same name
    assert not list(site.rglob("*.lock")) and (tmp_path / ".here.lock").exists()


def test_a_sites_pdf_editions_are_loaded_together_in_workers_before_its_pages(tmp_path, monkeypatch):
    """A site of PDF editions loads every edition its pages need first, with `Registry.load_many`
    (PDFs in workers, two at a time), rather than each in this process when its first pair page
    asks for it: the pages are the same."""
    import os

    from test_registry import _logging_loads, _pdfs

    names = [f"pdf{k}" for k in range(4)]
    mine = _pdfs(tmp_path, names)
    _logging_loads(monkeypatch, tmp_path / "log")
    built = build_site(tmp_path / "site", mine, names, date=DATE)
    assert len(built.built) == len(built.plan.pages)
    pids = dict(line.split() for line in (tmp_path / "log").read_text(encoding="utf-8").splitlines())
    assert sorted(pids) == names and str(os.getpid()) not in pids.values()


def test_a_rebuild_of_the_claims_page_alone_warns_in_the_claims_files_order(tmp_path):
    """The editions of the pair pages to build are loaded before any page; the others' when their
    page asks, as before: rebuilt alone, the claims page warns of its editions in the claims
    file's order, then the index of the rest (each edition's file changed since it was registered)."""
    texts = tmp_path / "texts"
    texts.mkdir()
    entries = []
    for k, name in enumerate(["one", "two", "three"]):
        (texts / f"{name}.md").write_text(f"## Chapter 1: {name}\n\nWorking with parents, {name}.\n", encoding="utf-8")
        entries.append(
            f'[[edition]]\nid = "{name}"\ntitle = "{name}"\nyear = {2001 + k}\nsource = "{name}.md"\n'
            f'sha256 = "{"0" * 64}"\n'
        )
    (texts / "editions.toml").write_text("\n".join(entries), encoding="utf-8")
    claims = tmp_path / "claims.toml"
    claims.write_text(
        "".join(
            f'[[claim]]\nid = "c-{name}"\nstatement = "s"\nedition = "{name}"\n'
            'category = "partnership_with_families"\nexpect = "present"\n\n'
            for name in ("three", "one")
        ),
        encoding="utf-8",
    )
    registry = Registry(texts)
    first = build_site(tmp_path / "site", registry, ["one", "two", "three"], claims=claims, date=DATE)
    assert [w.split(":")[0] for w in first.warnings] == [str(texts / f"{n}.md") for n in ("one", "two", "three")]
    claims.write_text(claims.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    again = build_site(tmp_path / "site", Registry(texts), ["one", "two", "three"], claims=claims, date=DATE)
    assert "claims.html" in again.built and not any(path.startswith("pairs/") for path in again.built)
    assert [w.split(":")[0] for w in again.warnings] == [str(texts / f"{n}.md") for n in ("three", "one", "two")]
