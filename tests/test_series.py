"""Series: which editions a timeline covers and in what order; one edition; validated dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLE_IDS
from test_cli import ok, one_line_error

from wtcompare.errors import UsageError, WtcompareError
from wtcompare.model import check_date
from wtcompare.registry import Registry, bundled_texts_dir

SAMPLE = bundled_texts_dir() / "sample"


def own_texts(run, folder: str = "own") -> Path:
    """A texts folder holding only one's own editions: two ingested editions and an undated amendment."""
    for source, edition in (
        ("sample-2008.txt", "wt2018"),
        ("sample-2021.md", "wt2026"),
        ("sample-2014.md", "wt2018-2019"),
    ):
        ok(run("--texts", folder, "ingest", str(SAMPLE / source), "--edition", edition))
    return Path(folder)


def test_a_folder_of_ones_own_editions_is_never_mixed_with_the_samples(run):
    texts = own_texts(run)
    registry = Registry(texts)
    # wt2018-2019 has no date: it follows its base wt2018 (2018-07-04), not the bare year 2018 before it
    assert [e.id for e in registry.series()] == ["wt2018", "wt2018-2019", "wt2026"]
    assert [e.id for e in registry.series(include_samples=True)] == [
        "sample-2002",
        "sample-2008",
        "sample-2014",
        "wt2018",
        "wt2018-2019",
        "sample-2021",
        "wt2026",
    ]
    data = json.loads(ok(run("--texts", str(texts), "timeline", "--format", "json")).stdout)
    assert [t["edition"] for t in data["provenance"]["texts"]] == ["wt2018", "wt2018-2019", "wt2026"]
    assert {r["edition"] for r in data["rates"]} == {"wt2018", "wt2018-2019", "wt2026"}
    page = Path(ok(run("--texts", str(texts), "timeline", "-o", "t.html", "--date", "2026-01-01")).stdout.strip())
    assert "sample-20" not in page.read_text(encoding="utf-8")
    message = one_line_error(run("--texts", str(texts), "timeline", "wt2018", "sample-2002"), 2, "--include-samples")
    assert "sample-2002 is a fictional sample and wt2018 is not" in message
    ok(run("--texts", str(texts), "timeline", "wt2018", "sample-2002", "--include-samples", "--format", "csv"))


def test_when_every_edition_with_a_text_is_a_sample_the_samples_are_the_series(registry):
    assert [e.id for e in registry.series()] == SAMPLE_IDS
    assert [e.id for e in registry.series(("sample-2021", "sample-2002"))] == ["sample-2002", "sample-2021"]
    with pytest.raises(UsageError, match="given twice"):
        registry.series(("sample-2002", "sample-2002"))


def test_a_companion_document_is_in_a_series_only_when_named(run):
    texts = own_texts(run)
    ok(
        run(
            "--texts",
            str(texts),
            "ingest",
            str(SAMPLE / "sample-2002.txt"),
            "--edition",
            "wt2018-framework",
            "--date",
            "2018-07-04",
        )
    )
    registry_file = texts / "editions.toml"
    entry = registry_file.read_text(encoding="utf-8").replace(
        'id = "wt2018-framework"', 'id = "wt2018-framework"\nversion_of = "wt2018"\ncompanion = true'
    )
    registry_file.write_text(entry, encoding="utf-8")
    registry = Registry(texts)
    assert registry.get("wt2018-framework").companion is True
    assert [e.id for e in registry.series()] == ["wt2018", "wt2018-2019", "wt2026"]
    assert [e.id for e in registry.series(("wt2026", "wt2018-framework", "wt2018"))] == [
        "wt2018",
        "wt2018-framework",
        "wt2026",
    ]
    # the bundled 2023 statutory framework is marked so
    assert Registry(bundled_texts_dir()).get("wt2023-framework").companion is True


def test_only_companion_documents_with_a_text_is_one_line(tmp_path):
    (tmp_path / "f.txt").write_text("Chapter 1: Scope\n\nSome words here.\n", encoding="utf-8")
    (tmp_path / "editions.toml").write_text(
        '[[edition]]\nid = "f"\ntitle = "F"\nsource = "f.txt"\ncompanion = true\n', encoding="utf-8"
    )
    with pytest.raises(WtcompareError, match="only companion documents have a local text .f.; name them"):
        Registry(tmp_path).series()
    assert [e.id for e in Registry(tmp_path).series(("f",))] == ["f"]


def test_publication_order(tmp_path):
    (tmp_path / "editions.toml").write_text(
        '[[edition]]\nid = "b-base"\ntitle = "Base"\nyear = 2018\ndate = "2018-07-04"\n\n'
        '[[edition]]\nid = "a-later-fix"\ntitle = "Dated amendment"\nyear = 2018\ndate = "2020-12"\n'
        'version_of = "b-base"\n\n'
        '[[edition]]\nid = "a-same-day"\ntitle = "Amendment dated with its base"\nyear = 2018\ndate = "2018-07-04"\n'
        'version_of = "b-base"\n\n'
        '[[edition]]\nid = "a-undated"\ntitle = "Undated amendment"\nyear = 2018\nversion_of = "b-base"\n\n'
        '[[edition]]\nid = "c-2019"\ntitle = "Next"\nyear = 2019\n\n'
        '[[edition]]\nid = "z-unknown"\ntitle = "No date, no year"\n\n'
        '[[edition]]\nid = "loop-1"\ntitle = "Loop"\nyear = 2030\nversion_of = "loop-2"\n\n'
        '[[edition]]\nid = "loop-2"\ntitle = "Loop"\nyear = 2030\nversion_of = "loop-1"\n',
        encoding="utf-8",
    )
    ids = [e.id for e in Registry(tmp_path).editions() if not e.fictional and not e.id.startswith("wt")]
    # by date; amendments after their base (same date or undated), a later-dated one by its own
    # date; the loop is read, not followed for ever; no date at all comes last
    assert ids == ["b-base", "a-same-day", "a-undated", "c-2019", "a-later-fix", "loop-1", "loop-2", "z-unknown"]


def test_bundled_amendments_follow_their_base(registry):
    ids = [e.id for e in registry.editions()]
    assert ids.index("wt2018") < ids.index("wt2018-2019") < ids.index("wt2018-2020") < ids.index("sample-2021")
    assert ids.index("wt2026") < ids.index("wt2026-reupload") < ids.index("wt2026-reupload-2")


def test_one_edition_gives_a_page_and_tables(run):
    page = Path(ok(run("timeline", "sample-2014", "-o", "one.html", "--date", "2026-01-01")).stdout.strip())
    html = page.read_text(encoding="utf-8")
    assert "One edition, sample-2014: 2,770 words; nothing to compare it with." in html  # headings counted
    assert "<h1>Vocabulary across 1 edition</h1>" in html and "How to cite this page" in html
    data = json.loads(ok(run("timeline", "sample-2014", "--format", "json")).stdout)
    assert data["changes"] == [] and {r["edition"] for r in data["rates"]} == {"sample-2014"}
    assert ok(run("timeline", "sample-2014", "--format", "csv", "--table", "changes")).stdout.startswith(
        "from,to,category,term,count_from,count_to,tokens_from,tokens_to,per_10k_from,per_10k_to,change\n"
    )


@pytest.mark.parametrize("text", ["2020", "2020-02", "2020-02-29", "1988-12-31"])
def test_real_iso_dates_pass(text):
    assert check_date(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2020-13-45",
        "2021-02-29",
        "2020-1-1",
        "20200101",
        "0000",
        "2020-00",
        " 2020",
        "\u0662\u0660\u0662\u0660",
    ],
)
def test_other_dates_are_refused(text):
    with pytest.raises(UsageError, match="invalid date"):
        check_date(text)


@pytest.mark.parametrize(
    "command", [["report", "sample-2008", "sample-2014"], ["timeline"], ["ingest", "x.txt", "--edition", "x-1"]]
)
def test_bad_dates_are_usage_errors(run, command):
    Path("x.txt").write_text("Some text.\n")
    for bad in ("yesterday", "2020-13-45"):
        one_line_error(run(*command, "--date", bad), 2, "--date", f"invalid date '{bad}'")
    assert not Path("reports").exists() and not Path("texts").exists()


def test_no_edition_with_a_text_is_one_line(run):
    # a user's registry can correct fields of bundled editions: here it takes the samples' texts away
    Path("texts").mkdir()
    Path("texts/editions.toml").write_text(
        "".join(f'[[edition]]\nid = "{i}"\nsource = ""\n\n' for i in SAMPLE_IDS), encoding="utf-8"
    )
    with pytest.raises(WtcompareError, match="no edition has a local text"):
        Registry(Path("texts")).series()
    one_line_error(run("timeline"), 1, "no edition has a local text", "ingest")
