"""A golden report: one small pair report, byte for byte as stored in tests/golden/.

The report tests check what a report says; this one catches any change at all in the file a reader
gets (markup, stylesheet, script, chart, figures, wording). ``--date`` fixes the only date in it,
so the same inputs give the same bytes. A change to the lexicon, the aligner or a template changes
it on purpose: regenerate it with the command in `conftest.REGENERATE` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

from conftest import same_as_stored

from wtcompare import senses

GOLDEN = Path(__file__).parent / "golden"


def test_pair_report_is_byte_identical(run, monkeypatch, tmp_path):
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))  # built, not read back from another test
    # the methods section's blind figure from a set of our own: no test reads the shipped sets' figures
    monkeypatch.setattr(senses, "SETS_DIR", GOLDEN)
    result = run("report", "sample-2002", "sample-2021", "--date", "2026-01-01", "-o", "report.html")
    assert result.exit_code == 0, result.output
    same_as_stored((tmp_path / "report.html").read_bytes(), GOLDEN / "sample-2002-vs-sample-2021.html")
