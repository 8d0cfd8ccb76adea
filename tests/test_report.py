"""Pairwise and timeline reports: self-contained, escaped, deterministic, honest about fiction."""
from __future__ import annotations

import hashlib
import json
import re
import time

import pandas as pd
import pytest

from wtcompare.lexicon import load_lexicon
from wtcompare.report import pair_report, timeline_report
from wtcompare.load.markdown import markdown_document
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


def test_document_text_is_escaped(sample_docs):
    hostile = segment_text("Evil <script>alert(1)</script> title\n\nChapter 1: <img src=x onerror=alert(2)>\n\n"
                           "1.1 Heading \" onmouseover=\"alert(3)\n\n1. Text with <b>tags</b> & "
                           "<a href=\"javascript:alert(4)\">link</a>, working in partnership with parents.\n")
    hostile.edition = sample_docs["sample-2021"].edition
    html = pair_report(sample_docs["sample-2014"], hostile, load_lexicon(None), [], "2026-01-01")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>tags" not in html
    assert 'href="javascript:' not in html and '" onmouseover="' not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;b&gt;tags&lt;/b&gt;" in html


def test_timeline_lists_every_edition_in_year_order(sample_docs):
    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")]
    html = timeline_report(docs, load_lexicon(None), "2026-01-01")
    positions = [html.index(d.edition.id) for d in docs]
    assert positions == sorted(positions)
    assert external_references(html) == []


def test_timeline_chapters_from_worker_processes_match_one_process(sample_docs, monkeypatch):
    """The timeline's chapter alignments run in worker processes (while the scan runs here) on a
    large corpus; the sample is small, so lower the threshold and compare with the plain run."""
    import wtcompare.report as report

    docs = [sample_docs[i] for i in ("sample-2002", "sample-2008", "sample-2014", "sample-2021")]
    monkeypatch.setenv("WTCOMPARE_NO_CACHE", "1")
    alone = report.timeline_data(docs)["chapters"]
    monkeypatch.setattr(report, "PARALLEL_WORDS", 0)
    monkeypatch.setattr(report.os, "cpu_count", lambda: 2)
    started, context = [], report._context
    monkeypatch.setattr(report, "_context", lambda: started.append(1) or context())
    assert report.timeline_data(docs)["chapters"] == alone
    assert started and len(alone) == 3 and all(step["pairs"] for step in alone)


def _slow_chapters(pair):
    time.sleep(60)


def test_a_failing_scan_stops_the_timeline_workers_at_once(sample_docs, monkeypatch):
    import multiprocessing

    import wtcompare.report as report

    def failing_scan(*args, **kwargs):
        raise RuntimeError("scan failed")

    monkeypatch.setattr(report, "PARALLEL_WORDS", 0)
    monkeypatch.setattr(report.os, "cpu_count", lambda: 2)
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
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S).group(0)
    sections_a = [s for s in a.walk() if s.paragraphs]
    sections_b = [s for s in b.walk() if s.paragraphs]
    assert svg.count('<rect class="box') == len(sections_a) + len(sections_b)
    assert "[removed]" in svg and "[merged]" in svg and svg.count('<path class="band') > 10
    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    assert "Log-likelihood" in html and "How to cite this report" in html and "Uncertain pairs" in html


def test_export_writes_charts_and_tables(sample_docs, tmp_path):
    from wtcompare.report import timeline_report
    pair_report(sample_docs["sample-2002"], sample_docs["sample-2008"], load_lexicon(None), [], "2026-01-01",
                export=tmp_path / "pair")
    names = sorted(p.name for p in (tmp_path / "pair").iterdir())
    assert names == ["chapter-retention.csv", "keyness-categories.csv", "keyness-terms.csv", "kwic.csv",
                     "manifest.json", "rates.png", "rates.svg", "retention.csv", "sections.csv"]
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
        p.name for p in (tmp_path / "timeline").iterdir()}
    assert "Which chapters persist" in html and "removed" in html and "Largest rises and falls" in html


def test_structure_map_stays_legible_at_the_scale_of_the_2010_edition(sample_docs):
    from wtcompare.align import align_levels
    from wtcompare.report.build import anchor
    from wtcompare.report.structure import MIN_BOX, structure_map
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
    geometry = structure_map(align_levels(a, b)["section"], anchor)
    for side in ("left", "right"):
        boxes = geometry[side]
        assert all(box["height"] >= MIN_BOX for box in boxes)
        assert all(later["y"] >= earlier["y"] + earlier["height"] for earlier, later in zip(boxes, boxes[1:]))
        assert all(len(box["label"]) <= 38 for box in boxes)
    assert geometry["height"] < 150 * 40  # scrolls, but not absurdly


def test_adhoc_terms_have_their_own_rates_in_the_table_and_the_chart(sample_docs):
    """--term patterns are counted on their own: each gets its rate (not the 0.0 of a category
    total that does not exist) in the vocabulary table and a bar of its own in the chart."""
    import base64

    html = pair_report(sample_docs["sample-2008"], sample_docs["sample-2014"], load_lexicon(None),
                       ["partnership*", "must"], "2026-01-01")
    # Headings are counted: sample-2008 has 4,273 tokens with them, sample-2014 2,770.
    # partnership*: 11 (two in headings: "Working in partnership with families", "Why partnership
    # matters") of 4,273 = 25.7 per 10,000; 1 of 2,770 = 3.6. must: 3 = 7.0; 25 = 90.3
    assert '<td>&emsp;partnership*</td><td class="num">11</td><td class="num">25.7</td><td class="num">1</td>' \
           '<td class="num">3.6</td>' in html
    assert '<td>&emsp;must</td><td class="num">3</td><td class="num">7.0</td><td class="num">25</td>' \
           '<td class="num">90.3</td>' in html
    assert "Ad-hoc terms (each counted on its own, so no total" in html
    svg = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)).decode("utf-8")
    for value in ("25.7", "3.6", "7.0", "90.3"):  # each bar carries its value as a label
        assert f"> {value}<" in svg
    assert ">partnership* (--term)<" in svg and ">must (--term)<" in svg


def test_timeline_is_byte_identical_for_identical_inputs(sample_docs):
    docs = [sample_docs[i] for i in ("sample-2002", "sample-2014")]
    assert timeline_report(docs, load_lexicon(None), "2026-01-01", terms=["must"]) == \
        timeline_report(docs, load_lexicon(None), "2026-01-01", terms=["must"])


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
    methods = html[html.index('id="methods"'):]
    assert "On 2 blind sentences" in methods and "senses_blind_t.toml" in methods
    assert "in 50.0% of sentences" in methods  # the second label is wrong on purpose
    assert "partnership_with_families 1.00 / 1.00" in methods
    share = re.search(r"(\d+) of (\d+) counted occurrences of these words \((\d+\.\d)%\)", methods)
    assert share and int(share[1]) > 0 and float(share[3]) == pytest.approx(100 * int(share[1]) / int(share[2]), abs=0.05)
    listed = re.search(r"Uncertain occurrences \((\d+)\)", html)
    assert listed and int(listed[1]) >= int(share[1])  # counted ones, and those set aside as persons
    timeline = timeline_report([sample_docs["sample-2014"], sample_docs["sample-2021"]], lexicon, "2026-01-01")
    assert "On 2 blind sentences" in timeline and "Uncertain occurrences (" in timeline
