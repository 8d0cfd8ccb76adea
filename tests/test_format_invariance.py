"""Format invariance (benchmarks/format_invariance.py) on two of its texts in every format: the same
text must give the same paragraphs, sections and term counts whether it is read from text,
Markdown, PDF, HTML or DOCX. The assertion messages carry the measured figures.

These targets are the loaders' goal, not yet their state: the tests fail until the loaders meet them.
"""

from __future__ import annotations

import os
import shutil

import format_invariance as bench
import pytest
from formatbench.formats import CHROMIUM, FORMATS

TEXTS = ["attrs-why", "flask-errorhandling"]  # the two shortest: the run stays well under a minute


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    if not shutil.which("pandoc"):
        pytest.fail("pandoc is required (apt-get install pandoc); .ci/run installs it")
    formats = list(FORMATS)
    if not os.path.exists(CHROMIUM):
        if os.environ.get("WTCOMPARE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required here (WTCOMPARE_REQUIRE_BROWSER=1) but {CHROMIUM} is missing")
        formats.remove("pdf-chromium")
    return bench.measure(TEXTS, formats, tmp_path_factory.mktemp("formats")), formats


def test_every_format_loads(measured):
    results, _ = measured
    failed = [f"{r.name} {fmt}: {why}" for r in results for fmt, why in r.errors.items()]
    assert not failed, "files wtcompare could not load:\n" + "\n".join(failed)


def test_paragraph_pairs_unchanged(measured):
    results, _ = measured
    low = [
        f"{r.name}: {p.a} vs {p.b}: {p.unchanged_share:.1%} of {p.paragraph_pairs} paragraph pairs unchanged"
        for r in results
        for p in r.pairs
        if p.unchanged_share < bench.TARGET_UNCHANGED
    ]
    assert not low, f"below the {bench.TARGET_UNCHANGED:.0%} target:\n" + "\n".join(low)


def test_sections_paired_one_to_one(measured):
    results, _ = measured
    low = [
        f"{r.name}: {p.a} vs {p.b}: {p.one_to_one_share:.1%} of sections 1:1 (sections {p.sections_a}/{p.sections_b})"
        for r in results
        for p in r.pairs
        if p.one_to_one_share < bench.TARGET_ONE_TO_ONE
    ]
    assert not low, "sections not all paired one to one:\n" + "\n".join(low)


def test_term_counts_agree(measured):
    results, formats = measured
    wrong = [line for line in bench.misses(results, formats) if "independent count" in line]
    assert not wrong, "term counts that differ from the independent count:\n" + "\n".join(wrong)


def test_report_states_the_counting_scope(measured):
    """The printed report says what the independent count covers (title and subtitle excluded)."""
    results, formats = measured
    text = bench.report(results, formats)
    assert "not the title or subtitle" in text
    assert all(r.name in text for r in results)
