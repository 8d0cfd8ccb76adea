"""Pairwise and timeline reports: self-contained, escaped, deterministic, honest about fiction."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import time

import numpy as np
import pandas as pd
import pytest

from wtcompare.lexicon import load_lexicon
from wtcompare.load.markdown import markdown_document
from wtcompare.report import pair_report, timeline_report
from wtcompare.segment import segment_text


def external_references(html: str) -> list[str]:
    """Anything that would make the browser fetch: src/href/url() to a scheme or //host."""
    refs = re.findall(r"""(?:src|href|action|data|poster)\s*=\s*["']?\s*((?:https?:|//|ftp:)[^"' >]*)""", html, re.I)
    refs += re.findall(r"""url\(\s*["']?((?:https?:|//)[^)"']*)""", html, re.I)
    refs += re.findall(r"@import", html)
    return refs


def test_pair_report_is_self_contained_and_deterministic(sample_docs):
    lexicon = load_lexicon(None)
    a, b = sample_docs["sample-2008"], sample_docs["sample-2014"]
    html = pair_report(a, b, lexicon, [], "2026-01-01")
    assert html == pair_report(a, b, lexicon, [], "2026-01-01")
    assert external_references(html) == []
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'none'" in html
    assert "fictional" in html.lower() and 'class="banner' in html
    for section in a.walk():
        assert f'id="a-{section.id.replace("/", "-")}"' in html
    assert "2026-01-01" in html


@pytest.mark.parametrize("workers", [False, True])
def test_document_text_is_escaped(sample_docs, monkeypatch, workers):
    """Escaped on every path: the diffs laid out in a worker (as on a large pair) as well as here."""
    started = _in_workers(monkeypatch) if workers else []
    hostile = segment_text(
        "Evil <script>alert(1)</script> title\n\nChapter 1: <img src=x onerror=alert(2)>\n\n"
        '1.1 Heading " onmouseover="alert(3)\n\n1. Text with <b>tags</b> & '
        '<a href="javascript:alert(4)">link</a>, working in partnership with parents.\n'
    )
    hostile.edition = sample_docs["sample-2021"].edition
    html = pair_report(sample_docs["sample-2014"], hostile, load_lexicon(None), [], "2026-01-01")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>tags" not in html
    assert 'href="javascript:' not in html and '" onmouseover="' not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;b&gt;tags&lt;/b&gt;" in html
    diffs = html[html.index('id="diff-list"') : html.index("</section>", html.index('id="diff-list"'))]
    assert "&lt;b&gt;tags&lt;/b&gt;" in diffs and "<b>tags" not in diffs and "<img src=x" not in diffs
    assert bool(started) == workers


def test_timeline_lists_every_edition_in_year_order(sample_docs):
    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")]
    html = timeline_report(docs, load_lexicon(None), "2026-01-01")
    positions = [html.index(d.edition.id) for d in docs]
    assert positions == sorted(positions)
    assert external_references(html) == []


def _in_workers(monkeypatch) -> list:
    """Make every report use worker processes, however small its editions, on two cores; the list
    fills with one entry per worker started."""
    from wtcompare import parallel

    monkeypatch.setattr(parallel, "MIN_WORDS", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    started, context = [], parallel._context
    monkeypatch.setattr(parallel, "_context", lambda: started.append(1) or context())
    return started


def test_timeline_chapters_from_worker_processes_match_one_process(sample_docs, monkeypatch):
    """The timeline's chapter alignments run in worker processes (while the scan runs here) on a
    large corpus; the sample is small, so lower the threshold and compare with the plain run."""
    import wtcompare.report as report

    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")]
    monkeypatch.setenv("WTCOMPARE_NO_CACHE", "1")
    alone = report.timeline_data(docs)["chapters"]
    started = _in_workers(monkeypatch)
    assert report.timeline_data(docs)["chapters"] == alone
    assert started and len(alone) == 3 and all(step["pairs"] for step in alone)


def test_timeline_aligns_as_many_pairs_at_once_as_there_are_cores(sample_docs, monkeypatch, tmp_path):
    """Three pairs on two cores: two are aligned at once, and the third waits for a core."""
    import wtcompare.report as report

    monkeypatch.setenv("WTCOMPARE_NO_CACHE", "1")
    _in_workers(monkeypatch)
    log, chapters = tmp_path / "log", report._chapters

    def logged(pair, words):
        with log.open("a") as out:
            out.write(f"{time.monotonic()} start\n")
        time.sleep(1.0)
        rows = chapters(pair, words)
        with log.open("a") as out:
            out.write(f"{time.monotonic()} end\n")
        return rows

    monkeypatch.setattr(report, "_chapters", logged)
    report.timeline_data([sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")])
    running, most = 0, 0
    events = sorted((float(at), event) for at, event in (line.split() for line in log.read_text().splitlines()))
    for _, event in events:  # at the same moment, "end" before "start"
        running += 1 if event == "start" else -1
        most = max(most, running)
    assert log.read_text().count("start") == 3 and most == 2


def test_pair_report_with_its_scan_and_diffs_in_workers_is_the_same_report(sample_docs, monkeypatch):
    """On a large pair the scan and the blind figure run in a worker while the pair is aligned,
    and the diffs are built and laid out in another while the rest of the page is: the same bytes
    as the report made in one process, with the diffs where the page's own template puts them."""
    import wtcompare.report as report

    monkeypatch.setenv("WTCOMPARE_NO_CACHE", "1")
    a, b = sample_docs["sample-2008"], sample_docs["sample-2014"]
    alone = report.pair_report(a, b, date="2026-01-01")
    started = _in_workers(monkeypatch)
    assert report.pair_report(a, b, date="2026-01-01") == alone
    assert len(started) == 2
    diffs = alone.index('<div class="diffs view-inline" id="diff-list"')
    assert not alone[alone.index(">", diffs) + 1 : alone.index('<details class="section"', diffs)].strip()
    assert alone.count('<details class="section"') == len(report.pair_page(a, b).data["section_pairs"])


def _slow_chapters(pair, words):
    time.sleep(60)


def test_a_failing_scan_stops_the_timeline_workers_at_once(sample_docs, monkeypatch):
    import multiprocessing

    import wtcompare.report as report

    def failing_scan(*args, **kwargs):
        raise RuntimeError("scan failed")

    _in_workers(monkeypatch)
    monkeypatch.setattr(report, "_chapters", _slow_chapters)
    monkeypatch.setattr(report, "scan", failing_scan)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="scan failed"):
        report.timeline_data([sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014")])
    assert time.monotonic() - started < 30  # not the 60 s the queued alignments would take
    assert not multiprocessing.active_children()


def test_pair_report_has_findings_map_statistics_and_working_anchors(sample_docs):
    a, b = sample_docs["sample-2008"], sample_docs["sample-2014"]
    html = pair_report(a, b, load_lexicon(None), [], "2026-01-01")
    findings = re.search(r'<section id="findings".*?</section>', html, re.S).group(0)
    assert 3 <= findings.count("<li>") <= 6 and "shorter" in findings and re.search(r"\d", findings)
    # chapters 6 and 7 were removed; chapter 2 was merged into 1, so it must not be listed as removed
    assert "removed whole" in findings and "Working in partnership with families" not in findings
    chapter_map = re.search(r'<div class="smap" id="chapter-map-top".*?</svg>.*?</div>\n</div>', html, re.S).group(0)
    assert chapter_map.count('class="box') == len(a.sections) + len(b.sections)
    assert ">removed</span>" in chapter_map and ">merged</span>" in chapter_map
    section_maps = re.findall(r'<details class="chapter-map" id="map-[^"]+">.*?</details>', html, re.S)
    assert len(section_maps) == len(set(re.findall(r'href="#(map-[^"]+)"', chapter_map)))
    sections_a = [s for s in a.walk() if s.paragraphs]
    sections_b = [s for s in b.walk() if s.paragraphs]
    boxes = re.findall(r'<a class="box k-(\w+)[^"]*" href="#([ab]-[^"]+)"', "".join(section_maps))
    # every section once in the section maps, and sections of other chapters as "elsewhere" boxes
    assert sorted(href for kind, href in boxes if kind != "elsewhere") == sorted(
        [f"a-{s.id.replace('/', '-')}" for s in sections_a] + [f"b-{s.id.replace('/', '-')}" for s in sections_b]
    )
    assert "".join(section_maps).count('<path class="band') > 10
    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    assert "Log-likelihood" in html and "How to cite this report" in html and "Uncertain pairs" in html


def test_a_chapter_without_text_of_its_own_has_an_anchor_whatever_the_other_edition_holds():
    """Chapter 1 of A holds only a section; chapter 1 of B (the same id) has a paragraph of its
    own, so it is a section of B, and A's chapter was given no anchor of its own: the findings'
    link to the chapter of A without a counterpart led nowhere."""
    a = segment_text(
        "Chapter 1: Modernising\n\n1.1 Proposal\n\n1. The proposal changes how packages are built and shipped.\n\n"
        "Chapter 2: Working together\n\n2. Agencies share information about children promptly and carefully.\n"
    )
    b = segment_text(
        "Chapter 1: Release procedure\n\n1. Releases are made from the main branch every month by the team.\n\n"
        "Chapter 2: Working together\n\n2. Agencies share information about children promptly and carefully.\n"
    )
    html = pair_report(a, b, load_lexicon(None), [], "2026-01-01")
    assert 'href="#a-ch1"' in html
    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target


def test_export_writes_charts_and_tables(sample_docs, tmp_path):
    from wtcompare.report import timeline_report

    pair_report(
        sample_docs["sample-2002"],
        sample_docs["sample-2008"],
        load_lexicon(None),
        [],
        "2026-01-01",
        export=tmp_path / "pair",
    )
    names = sorted(p.name for p in (tmp_path / "pair").iterdir())
    assert names == [
        "chapter-retention.csv",
        "chapters.csv",
        "excluded.csv",
        "keyness-categories.csv",
        "keyness-terms.csv",
        "kwic.csv",
        "manifest.json",
        "rates.png",
        "rates.svg",
        "retention.csv",
        "sections.csv",
        "uncertain.csv",
    ]
    assert (tmp_path / "pair" / "rates.png").read_bytes()[:4] == b"\x89PNG"
    manifest = json.loads((tmp_path / "pair" / "manifest.json").read_text(encoding="utf-8"))
    assert [t["edition"] for t in manifest["provenance"]["texts"]] == ["sample-2002", "sample-2008"]
    assert manifest["provenance"]["texts"][0]["sha256"] == sample_docs["sample-2002"].edition.sha256
    for entry in manifest["files"]:  # each table is one CSV, as the manifest describes it, no provenance rows
        path = tmp_path / "pair" / entry["file"]
        frame = pd.read_csv(path)
        assert (len(frame), list(frame.columns)) == (entry["rows"], entry["columns"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    assert {f["file"] for f in manifest["figures"]} == {"rates.svg", "rates.png"}
    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")]
    html = timeline_report(docs, load_lexicon(None), "2026-01-01", export=tmp_path / "timeline")
    assert {"rates.csv", "span.csv", "changes.csv", "chapters.csv", "rates.svg", "rates.png", "manifest.json"} == {
        p.name for p in (tmp_path / "timeline").iterdir()
    }
    assert "Which chapters persist" in html and "removed" in html and "Largest rises and falls" in html


def test_structure_map_shows_a_2010_sized_restructuring_on_one_screen(sample_docs):
    from wtcompare.align import align_levels
    from wtcompare.report.build import anchor
    from wtcompare.report.structure import HEIGHT, LABEL, chapter_map
    from wtcompare.synth import Operations, grow, revise

    texts = [p.text for p in grow(sample_docs["sample-2008"], 40000, seed=3).paragraphs()]
    lines = []
    for chapter in range(1, 13):  # 12 chapters, 13 sections each, as in the 2010 edition
        lines += [f"## Chapter {chapter}: Chapter {chapter}", ""]
        for section in range(1, 14):
            lines += [f"### {chapter}.{section} A section heading long enough to need cutting short", ""]
            lines += [texts.pop(), "", texts.pop(), ""]
    a = markdown_document("# Generated\n\n" + "\n".join(lines), "generated.md")
    b, _ = revise(a, Operations(reword=0.2, delete_sections=0.3, split_sections=0.1, merge_sections=0.1), seed=4)
    assert len([s for s in a.walk() if s.paragraphs]) >= 150 and len(a.sections) == 12
    alignments = align_levels(a, b)
    geometry = chapter_map(alignments["chapter"], alignments["section"], anchor)
    assert geometry["height"] <= HEIGHT
    scales = set()
    for side in ("left", "right"):
        boxes = geometry[side]
        assert all(box["labelled"] and box["height"] >= LABEL for box in boxes)  # every chapter has its label
        assert all(later["y"] >= earlier["y"] + earlier["height"] for earlier, later in itertools.pairwise(boxes))
        scales |= {round(box["height"] / box["words"], 3) for box in boxes if box["height"] > LABEL}
    assert len(scales) == 1  # as tall as their words, on one scale for both editions
    # each chapter pair has its section map; every section is in exactly one of them
    own = [
        box["id"]
        for pair in geometry["pairs"]
        for side in ("left", "right")
        for box in pair[side]
        if box["kind"] != "elsewhere"
    ]
    assert sorted(own) == sorted(list(alignments["section"].units_a) + list(alignments["section"].units_b))
    assert all(box["height"] >= LABEL for pair in geometry["pairs"] for box in pair["left"] + pair["right"])
    kinds = {box["kind"] for pair in geometry["pairs"] for box in pair["left"] + pair["right"]}
    assert {"deleted", "split", "merged", "elsewhere"} <= kinds


def test_a_structure_map_with_too_many_chapters_to_label_still_fits():
    """Hundreds of chapters (a generated edition): each as tall as its words and no taller than
    the map allows; only the boxes with room for a line are labelled."""
    from collections import Counter

    from wtcompare.align.model import Alignment, Pair, Unit
    from wtcompare.report.build import anchor
    from wtcompare.report.structure import HEIGHT, LABEL, chapter_map

    words = [300 + 40 * (k % 7) for k in range(290)] + [9000]
    units = {f"ch{k}": Unit(f"ch{k}", f"Chapter {k}", "", k, f"ch{k}", words=w) for k, w in enumerate(words)}
    pairs = [Pair("changed", 1.0, [u], [u], retained=units[u].words) for u in units]
    chapters = Alignment("x", "y", "chapter", pairs, units, units, Counter({(u, u): units[u].words for u in units}))
    sections = Alignment("x", "y", "section", pairs, units, units, chapters.flow)
    geometry = chapter_map(chapters, sections, anchor)
    assert geometry["height"] <= HEIGHT
    assert [box["labelled"] for box in geometry["left"]] == [box["height"] >= LABEL for box in geometry["left"]]
    assert geometry["left"][-1]["labelled"] and not geometry["left"][0]["labelled"]
    assert all(len(pair["left"]) == 1 for pair in geometry["pairs"])


def test_adhoc_terms_have_their_own_rates_in_the_table_and_the_chart(sample_docs):
    """--term patterns are counted on their own: each gets its rate (not the 0.0 of a category
    total that does not exist) in the vocabulary table and a bar of its own in the chart."""
    html = pair_report(
        sample_docs["sample-2008"],
        sample_docs["sample-2014"],
        load_lexicon(None),
        ["partnership*", "must"],
        "2026-01-01",
    )
    # Headings are counted: sample-2008 has 4,273 tokens with them, sample-2014 2,770.
    # partnership*: 11 (two in headings: "Working in partnership with families", "Why partnership
    # matters") of 4,273 = 25.7 per 10,000; 1 of 2,770 = 3.6. must: 3 = 7.0; 25 = 90.3
    assert (
        '<td>&emsp;partnership*</td><td class="num">11</td><td class="num">25.7</td><td class="num">1</td>'
        '<td class="num">3.6</td>' in html
    )
    assert (
        '<td>&emsp;must</td><td class="num">3</td><td class="num">7.0</td><td class="num">25</td>'
        '<td class="num">90.3</td>' in html
    )
    assert "Ad-hoc terms (each counted on its own, so no total" in html
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', html, re.S).group(0)
    for value in ("25.7", "3.6", "7.0", "90.3"):  # each bar carries its value as a label
        assert f'class="value">{value}</text>' in svg
    assert 'class="label">partnership* (--term)</text>' in svg and 'class="label">must (--term)</text>' in svg


def test_timeline_is_byte_identical_for_identical_inputs(sample_docs):
    docs = [sample_docs[i] for i in ("sample-2002", "sample-2014")]
    assert timeline_report(docs, load_lexicon(None), "2026-01-01", terms=["must"]) == timeline_report(
        docs, load_lexicon(None), "2026-01-01", terms=["must"]
    )


BLIND = """
[[sentence]]
text = "Social workers work in partnership with parents."
expect = { partnership_with_families = 1 }
hard = false

[[sentence]]
text = "The relationship between the parents was volatile."
expect = { relationship_based_practice = 1 }
hard = true
"""


def test_methods_state_the_blind_figure_and_the_uncertain_share(sample_docs, tmp_path, monkeypatch):
    from wtcompare import senses

    # a blind set of our own in place of the shipped ones (whose figures no test reads): the
    # report computes its figure for the lexicon in use
    (tmp_path / "senses_blind_t.toml").write_text(BLIND)
    monkeypatch.setattr(senses, "SETS_DIR", tmp_path)
    lexicon = load_lexicon(None)
    html = pair_report(sample_docs["sample-2014"], sample_docs["sample-2021"], lexicon, [], "2026-01-01")
    methods = html[html.index('id="methods"') :]
    assert "On 2 blind sentences" in methods and "senses_blind_t.toml" in methods
    assert "in 50.0% of sentences" in methods  # the second label is wrong on purpose
    assert "Partnership with families 1.00 / 1.00" in methods and "pooled" in methods
    share = re.search(r"(\d+) of (\d+) counted occurrences of these words \((\d+\.\d)%\)", methods)
    assert share and int(share[1]) > 0
    assert float(share[3]) == pytest.approx(100 * int(share[1]) / int(share[2]), abs=0.05)
    listed = re.search(r"Uncertain occurrences \((\d+)\)", html)
    assert listed and int(listed[1]) >= int(share[1])  # counted ones, and those set aside as persons
    timeline = timeline_report([sample_docs["sample-2014"], sample_docs["sample-2021"]], lexicon, "2026-01-01")
    assert "On 2 blind sentences" in timeline and "Uncertain occurrences (" in timeline


def test_the_blind_figure_follows_the_lexicon_s_content_not_its_file(tmp_path, monkeypatch):
    """A lexicon changed in Python keeps its file's SHA-256: the cached figure of the file's lexicon
    must not be stated for it."""
    import dataclasses

    from wtcompare import senses

    (tmp_path / "senses_blind_t.toml").write_text(BLIND)
    monkeypatch.setattr(senses, "SETS_DIR", tmp_path)
    lexicon = load_lexicon(None)
    first = senses.blind_figure(lexicon)
    assert first is not None and first["exact_accuracy"] == 0.5
    fewer = dataclasses.replace(lexicon, terms=[t for t in lexicon.terms if t.category != "partnership_with_families"])
    assert fewer.sha256 == lexicon.sha256
    changed = senses.blind_figure(fewer)
    assert changed is not None and changed["exact_accuracy"] == 0.0


def test_charts_show_the_table_figures_as_inline_svg_and_export_the_same_drawing(sample_docs, tmp_path):
    """The chart's values are the vocabulary table's rates, written by the report itself as SVG
    text; --export writes that SVG and a PNG painted from the same drawing, without matplotlib."""
    import os
    import subprocess
    import sys

    from PIL import Image

    html = pair_report(
        sample_docs["sample-2014"], sample_docs["sample-2021"], load_lexicon(None), [], "2026-01-01", export=tmp_path
    )
    inline = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', html, re.S).group(0)
    values = re.findall(r'class="value">([\d.,]+)</text>', inline)
    rows = re.findall(
        r'<tr class="c\d+"><th scope="row"><span class="swatch"[^>]*></span>[^<]*</th>'
        r'<td class="num">[\d,]+</td><td class="num">([\d.]+)</td><td class="num">[\d,]+</td>'
        r'<td class="num">([\d.]+)</td>',
        html,
    )
    assert len(rows) == len(load_lexicon().categories) and values == [rate for row in rows for rate in row]
    assert (tmp_path / "rates.svg").read_text(encoding="utf-8") == inline
    width, height = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', inline).groups())
    with Image.open(tmp_path / "rates.png") as image:
        assert image.size == (round(2 * width), round(2 * height))
    arguments = [
        "--quiet",
        "report",
        "sample-2002",
        "sample-2008",
        "-o",
        str(tmp_path / "r.html"),
        "--export",
        str(tmp_path / "e"),
    ]
    code = (
        f"import sys; from wtcompare.cli import cli; cli({arguments!r}, standalone_mode=False); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WTCOMPARE_NO_CACHE": "1"},
    )
    assert out.stdout.strip().splitlines()[-1] == "False" and (tmp_path / "e" / "rates.png").exists()


def test_chart_text_is_escaped_and_shortened_to_fit():
    from wtcompare.report import charts

    label = (
        "<script>alert(1)</script> & a category label far too long to stand on one line of a phone's "
        "chart, or even on two of them"
    )
    drawing = charts.rates_bars(
        {"editions": ("a-1", "b-2"), "bars": [{"label": label, "colour": "#1b9e77", "a": (3, 1.5), "b": (40, 20.25)}]}
    )
    svg = str(charts.svg(drawing))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in svg
    texts = [t for t in drawing.items if isinstance(t, charts.Group) and t.role == "labels"][0].items
    assert len(texts) == 2 and texts[-1].text.endswith("\u2026") and texts[-1].title == label
    assert all(charts.text_width(t.text) <= drawing.width for t in texts)
    assert charts.nice_ticks(213.0) == [0, 50, 100, 150, 200, 250] and charts.nice_ticks(0) == [0.0, 1.0]


def test_every_chart_description_names_the_category_of_each_series(sample_docs, tmp_path):
    """A screen reader hears the <desc>: each series' rates come after its category's label, as the
    legend and panel titles show it, in the exported timeline grid (where the panels' descriptions
    run on as one) as in the pair report's chart, escaped."""
    import xml.etree.ElementTree as ET

    from wtcompare.report import charts

    def description(path):
        return ET.parse(path).getroot().find("{http://www.w3.org/2000/svg}desc").text

    lexicon = load_lexicon(None)
    ids = ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]
    timeline_report([sample_docs[i] for i in ids], lexicon, "2026-01-01", export=tmp_path / "timeline")
    rates = pd.read_csv(tmp_path / "timeline" / "rates.csv")
    totals = rates[rates["term"] == "(all terms)"]

    def series(category, editions, sep):
        rows = totals[totals["category"] == category].set_index("edition")["per_10k"]
        return sep.join(f"{e} {rows[e]:,.1f}" for e in editions)

    expected = " ".join(f"{c.label}: {series(c.id, ids, ', ')}." for c in lexicon.categories)
    assert description(tmp_path / "timeline" / "rates.svg") == expected
    pair_report(
        sample_docs["sample-2002"], sample_docs["sample-2008"], lexicon, [], "2026-01-01", export=tmp_path / "p"
    )
    pair = "; ".join(f"{c.label}: {series(c.id, ids[:2], ', ')}" for c in lexicon.categories) + "."
    assert description(tmp_path / "p" / "rates.svg") == pair
    # a label is text of the document: escaped in the description too
    label = '<script>alert(1)</script> & "x"'
    panels = charts.rates_panels(
        {
            "editions": [{"id": "e1", "when": "2010", "x": 2010.0}, {"id": "e2", "when": "2013", "x": 2013.0}],
            "panels": [{"label": label, "colour": "#1b9e77", "cells": [(1, 1.25), (2, 2.5)]}],
        }
    )
    svg = str(charts.svg(charts.grid(panels, 2, "caption")))
    assert "<script>" not in svg
    assert ET.fromstring(svg).find("{http://www.w3.org/2000/svg}desc").text == f"{label}: e1 1.2, e2 2.5."


def test_timeline_panels_stand_editions_at_their_dates():
    from wtcompare.report.build import chart_panels

    def edition(id_, year, date=None):
        return {"id": id_, "year": year, "date": date}

    cells = [(1, 1.0)] * 4
    model = chart_panels(
        [edition("e1", 2010, "2010-03"), edition("e2", 2013, "2013-03-01"), edition("e3", 2018), edition("e4", 2018)],
        [{"label": "L", "colour": "#123456", "total": True, "cells": cells}],
    )
    xs = [e["x"] for e in model["editions"]]
    assert xs[0] == pytest.approx(2010 + 59 / 365) and xs[1] == pytest.approx(2013 + 59 / 365)
    assert xs[2] == xs[3] == 2018.0 and [e["when"] for e in model["editions"]][2:] == ["2018", "2018"]
    assert "by publication date" in model["caption"] and model["panels"][0]["cells"] == cells
    # an amendment without a date of its own stands with the edition it follows, never before it
    model = chart_panels([edition("base", 2018, "2018-07-04"), edition("amended", 2018)], [])
    assert [e["x"] for e in model["editions"]] == [pytest.approx(2018 + 184 / 365)] * 2
    # without a date anywhere, in order, evenly spaced, and the caption says so
    model = chart_panels([edition("x", None), edition("y", 2001)], [])
    assert [e["x"] for e in model["editions"]] == [1.0, 2.0] and "evenly spaced" in model["caption"]


def test_each_page_allows_exactly_its_own_script(sample_docs):
    import base64

    for html in (
        pair_report(sample_docs["sample-2014"], sample_docs["sample-2021"], load_lexicon(None), [], "2026-01-01"),
        timeline_report([sample_docs["sample-2002"], sample_docs["sample-2014"]], load_lexicon(None), "2026-01-01"),
    ):
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        allowed = re.search(r"script-src ('sha256-[^']+')", __import__("html").unescape(html)).group(1)
        digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
        assert len(scripts) == 1 and allowed == f"'sha256-{digest}'" and "beforeprint" in scripts[0]


def test_each_chapter_figure_has_one_meaning_and_they_add_up(sample_docs):
    """The chapter table's words kept in the chapter opposite and in other chapters add up to the
    structure map's words kept and to the retention table's (which `check` judges "kept" by); a
    chapter the map does not call kept or new is named for what became of it."""
    from wtcompare.report.build import pair_data
    from wtcompare.report.structure import KEPT_SHARE
    from wtcompare.scan import scan

    a, b = sample_docs["sample-2002"], sample_docs["sample-2021"]
    data = pair_data(a, b, scan([a, b], load_lexicon(None)))
    shared = {r["unit"]: r for r in data["chapter_retention"]}

    def key(a: list, b: list) -> tuple:  # a pair by its chapters of A, or of B for a new chapter
        return ("a", *(c["id"] for c in a)) if a else ("b", *(c["id"] for c in b))

    maps = {key(p["a"], p["b"]): p for p in data["structure"]["pairs"]}
    rows = data["chapters"]
    assert any(r["elsewhere"] for r in rows if r["b"])  # a chapter kept with some words sent elsewhere
    for row in rows:
        ids_a = tuple(u["id"] for u in row["a"])
        shown = maps[key(row["a"], row["b"])]
        if ids_a:
            assert row["retained"] + row["elsewhere"] == shown["kept"] == sum(shared[u]["shared"] for u in ids_a)
            assert row["elsewhere"] == shown["elsewhere"] and row["came_from"] == 0
            words = sum(shared[u]["words"] for u in ids_a)
            if row["kind"] in ("changed", "unchanged"):
                # the map and the table call it the same, as `check` judges it
                rewritten = shown["kept"] < KEPT_SHARE * words
                assert shown["tag"] == ("rewritten" if rewritten else "")
                assert row["label"] == ("rewritten" if rewritten else row["kind"])
        else:
            assert row["retained"] == row["elsewhere"] == 0 and row["came_from"] == shown["elsewhere"]
            assert row["label"] == ("partly new" if shown["elsewhere"] else "new")
    assert {r["label"] for r in rows} >= {"partly new", "no counterpart", "removed whole", "rewritten"}
    assert any(p["tag"] == "rewritten" for p in maps.values())


def test_a_similarity_that_is_not_one_never_shows_as_1_00(sample_docs):
    html = pair_report(sample_docs["sample-2008"], sample_docs["sample-2014"], load_lexicon(None), [], "2026-01-01")
    from wtcompare.align import align_levels

    pairs = align_levels(sample_docs["sample-2008"], sample_docs["sample-2014"])["section"].pairs
    close = [p for p in pairs if p.score < 1 and f"{p.score:.2f}" == "1.00"]
    assert close  # the sample has such a pair: "Disabled children", 0.9964
    for p in close:
        row = re.search(rf'<code>{re.escape(p.a[0])}</code></td><td><span class="kind[^"]*">[^<]*</span>.*?</tr>', html)
        assert row and '<td class="num">1.00</td>' not in row[0] and f'<td class="num">{p.score:.3f}</td>' in row[0]


def test_timeline_findings_state_the_figures_of_their_tables(sample_docs):
    from wtcompare.report import timeline_data

    data = timeline_data([sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")])
    rise = next(f for f in data["findings"] if f.startswith("Largest rise of a single term"))
    top = data["rises"][0]
    assert top["change"] > 0 and f"{top['term']}, {top['from']} to {top['to']} ({top['change']:+.1f}" in rise
    html = timeline_report([sample_docs[i] for i in ("sample-2002", "sample-2021")], load_lexicon(None), "2026-01-01")
    assert "Chapters and other top-level parts" in html and "Words kept in other chapters" in html


def test_the_largest_rise_is_never_a_fall():
    # every term falls from the first edition to the second: there is no rise to state
    from wtcompare.model import Edition
    from wtcompare.report import timeline_data

    first = segment_text("Notes (fictional)\n\nStaff work in partnership with parents and follow the procedure.\n")
    second = segment_text("Notes (fictional)\n\nStaff write a short plan for each visit to the family.\n")
    first.edition, second.edition = Edition("own-1", "One", 2001), Edition("own-2", "Two", 2002)
    data = timeline_data([first, second])
    assert len(data["rises"]) == 0 and not any(f.startswith("Largest rise") for f in data["findings"])


def test_timeline_occurrences_are_each_edition_s_counted_rows_in_order(sample_docs):
    """The page's occurrences by edition are the scan's counted rows of that edition, in the scan's
    order (converted once and grouped, not filtered and converted once per edition)."""
    import wtcompare.report as report
    from wtcompare.output import records
    from wtcompare.scan import scan

    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014")]
    counted = scan(docs, load_lexicon(None)).counted
    expected = {d.edition.id: records(counted[counted["edition"] == d.edition.id]) for d in docs}
    kwic = report.timeline_data(docs)["kwic"]
    assert kwic == expected and list(kwic) == list(expected)  # in the editions' order, as the page lists them
    assert all(expected.values())


@pytest.mark.parametrize(
    "column",
    [
        [1, 2, 3],
        [1.5, float("nan"), float("inf")],
        [True, False, None],
        ["a", None, "c"],
        pd.array([1, None, 3], dtype="Int64"),
        [np.float32(0.25), np.int64(4), np.bool_(True)],
    ],
)
def test_records_keep_plain_values_and_make_the_rest_finite_json(column):
    """`records` keeps strings, integers, booleans and None as they are and gives every other value
    to `_finite`: the same as `_finite` over the whole table, as it was."""
    from wtcompare.output import _finite, records

    frame = pd.DataFrame({"value": column, "name": ["x", "y", "z"]})
    assert records(frame) == _finite(frame.astype(object).where(frame.notna(), None).to_dict("records"))
    assert all(type(v) in (str, int, float, bool, type(None)) for row in records(frame) for v in row.values())


def test_a_similarity_that_rounds_to_one_at_three_decimals_shows_as_over_0_999():
    # one word changed in a section of 4,800: a similarity of 0.99992, which three decimals show as 1.000
    rng = np.random.default_rng(1)
    paragraphs = [" ".join(f"word{k}" for k in rng.integers(0, 3000, 60)) + "." for _ in range(80)]
    edited = [*paragraphs[:40], paragraphs[40].replace(paragraphs[40].split()[3], "changed", 1), *paragraphs[41:]]
    a, b = (
        markdown_document("# Title\n\n## 1. Part\n\n" + "\n\n".join(text) + "\n\n## 2. Other\n\nElse.\n", name)
        for name, text in (("a.md", paragraphs), ("b.md", edited))
    )
    html = pair_report(a, b, load_lexicon(None), [], "2026-01-01")
    row = re.search(r'<code>ch1</code></td><td><span class="kind kind-changed">.*?</tr>', html)
    assert row and '<td class="num">&gt; 0.999</td>' in row[0]
    assert "&amp;gt;" not in html  # the bound is markup, not text escaped twice


@pytest.mark.parametrize("times", [0, 2])
def test_a_pair_page_that_does_not_place_its_diffs_once_is_an_error(sample_docs, monkeypatch, times):
    """The diffs go where the page's template puts their mark: a template without it, or with it
    twice, would put them after the page's end or lose some; it is an error instead."""
    import wtcompare.report as report

    monkeypatch.setattr(report, "_render", lambda *args, **kwargs: "<p>" + str(kwargs["diffs"]) * times + "</p>")
    with pytest.raises(RuntimeError, match="place its diffs once"):
        report.pair_page(sample_docs["sample-2008"], sample_docs["sample-2014"], date="2026-01-01")
