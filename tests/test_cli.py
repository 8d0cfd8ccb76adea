"""Every CLI command over the bundled sample corpus, the JSON contracts, and one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_IDS


def ok(result):
    assert result.exit_code == 0, result.output + result.stderr
    return result


def one_line_error(result, code: int, *fragments: str):
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wtcompare: error:"), result.stderr
    assert "Traceback" not in result.output + result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def test_version(run):
    assert ok(run("--version")).stdout.startswith("wtcompare, version ")


def test_editions_json_contract(run):
    records = json.loads(ok(run("editions", "--format", "json")).stdout)
    samples = [r for r in records if r["kind"] == "sample"]
    assert [r["id"] for r in samples] == SAMPLE_IDS
    for record in samples:
        assert {"id", "title", "year", "kind"} <= set(record)
        assert isinstance(record["year"], int) and "fictional" in record["title"].lower()


def test_editions_table_lists_ids(run):
    out = ok(run("editions")).stdout
    assert all(i in out for i in SAMPLE_IDS)


def test_sections_lists_stable_ids(run):
    out = ok(run("sections", "sample-2002", "--format", "csv")).stdout
    assert "ch1/1.1," in out and out == run("sections", "sample-2002", "--format", "csv").stdout


@pytest.mark.parametrize("level", ["section", "paragraph", "chapter"])
def test_align_json_contract(run, level):
    data = json.loads(ok(run("align", "sample-2008", "sample-2014", "--level", level, "--format", "json")).stdout)
    assert data["a"] == "sample-2008" and data["b"] == "sample-2014"
    kinds = {"unchanged", "changed", "moved", "split", "merged", "deleted", "inserted"}
    for pair in data["pairs"]:
        assert pair["kind"] in kinds and 0.0 <= pair["score"] <= 1.0
        assert pair["a_units"] or pair["b_units"]
        for unit in pair["a_units"] + pair["b_units"]:
            assert {"id", "heading", "text"} <= set(unit) and unit["text"]
    if level == "paragraph":
        seen_a = [u["id"] for p in data["pairs"] for u in p["a_units"]]
        assert len(seen_a) == len(set(seen_a))


def test_align_table_and_csv(run):
    assert "kind" in ok(run("align", "sample-2002", "sample-2008")).stdout
    assert ok(run("align", "sample-2002", "sample-2008", "--format", "csv")).stdout.startswith("kind,")


def test_scan_json_contract_with_kwic(run):
    data = json.loads(
        ok(run("scan", "sample-2002", "sample-2021", "--term", "partner*", "--format", "json", "--kwic")).stdout
    )
    assert {"id", "version", "sha256"} <= set(data["lexicon"])
    rows = data["rows"]
    assert {r["edition"] for r in rows} == {"sample-2002", "sample-2021"}
    for row in rows:
        assert {"edition", "category", "term", "count", "tokens", "per_10k"} <= set(row)
        assert row["per_10k"] == pytest.approx(row["count"] / row["tokens"] * 10000)
    assert any(r["category"] == "adhoc" and r["term"] == "partner*" for r in rows)
    # zeros are included: every term of every category appears for every edition
    per_edition = {e: [r for r in rows if r["edition"] == e] for e in ("sample-2002", "sample-2021")}
    assert len(per_edition["sample-2002"]) == len(per_edition["sample-2021"])
    for row in rows:
        lines = [
            k
            for k in data["kwic"]
            if (k["edition"], k["category"], k["term"]) == (row["edition"], row["category"], row["term"])
        ]
        assert len(lines) == row["count"]
    for line in data["kwic"]:
        assert {"edition", "category", "term", "unit", "page", "left", "match", "right"} <= set(line)


def test_scan_all_editions_by_default(run):
    out = ok(run("scan", "--format", "csv")).stdout
    assert all(i in out for i in SAMPLE_IDS)


def test_diff_marks_insertions_and_deletions(run):
    out = ok(run("diff", "sample-2014", "sample-2021")).stdout
    assert "[-" in out and "{+" in out


def test_diff_single_unit(run):
    out = ok(run("diff", "sample-2014", "sample-2021", "--unit", "ch1/1.1")).stdout
    assert out.count("## ") == 1 and "ch1/1.1" in out


def test_report_default_path_printed(run):
    result = ok(run("report", "sample-2008", "sample-2014", "--date", "2026-01-01"))
    path = Path(result.stdout.strip())
    assert path == Path("reports/sample-2008-vs-sample-2014.html") and path.exists()
    first = path.read_bytes()
    ok(run("report", "sample-2008", "sample-2014", "--date", "2026-01-01"))
    assert path.read_bytes() == first  # deterministic; overwrites its own report


def test_report_refuses_to_overwrite_a_user_file(run):
    Path("mine.html").write_text("<p>my notes</p>")
    one_line_error(run("report", "sample-2008", "sample-2014", "-o", "mine.html"), 1, "mine.html")
    assert Path("mine.html").read_text() == "<p>my notes</p>"


def test_timeline(run):
    path = Path(ok(run("timeline", "-o", "t.html", "--date", "2026-01-01")).stdout.strip())
    html = path.read_text(encoding="utf-8")
    assert all(i in html for i in SAMPLE_IDS)


def test_ingest_then_use(run, tmp_path):
    source = tmp_path / "my edition"  # no extension: read as text
    source.write_text(
        "Chapter 1: Start\n\n1.1 Partnership with parents\n\n1. We work in partnership with "
        "parents.\n\n2. Safeguarding partners meet.\n",
        encoding="utf-8",
    )
    out = ok(
        run("--texts", "mine", "ingest", str(source), "--edition", "mine-2020", "--year", "2020", "--title", "Mine")
    ).stdout
    assert "mine-2020" in out and "sha256" in out
    data = json.loads(ok(run("--texts", "mine", "scan", "mine-2020", "--format", "json")).stdout)
    counts = {r["term"]: r["count"] for r in data["rows"] if r["count"]}
    assert counts  # the partnership phrase is counted
    assert "already ingested" in ok(run("--texts", "mine", "ingest", str(source), "--edition", "mine-2020")).stdout


def test_an_ingest_with_a_year_no_calendar_has_writes_nothing(run, tmp_path):
    # found by a fuzzing run: "--year=-5" was written to the registry, and every later command failed
    source = tmp_path / "mine.txt"
    source.write_text("1.1 Partnership with parents\n\n1. We work in partnership with parents.\n")
    one_line_error(run("--texts", "mine", "ingest", str(source), "--edition", "mine", "--year=-5"), 2, "--year")
    assert not Path("mine").exists()


def test_unknown_edition(run):
    one_line_error(run("sections", "sample-2009"), 2, "sample-2009", "did you mean")


def test_same_edition(run):
    one_line_error(run("align", "sample-2008", "sample-2008"), 2, "itself")


def test_missing_file(run):
    result = run("ingest", "nowhere.txt", "--edition", "x-1")
    one_line_error(result, 2, "nowhere.txt")


def test_empty_file(run):
    Path("empty.txt").write_bytes(b"")
    one_line_error(run("ingest", "empty.txt", "--edition", "empty-1"), 1, "empty.txt", "empty")


def test_bad_edition_id(run):
    Path("a.txt").write_text("Some text.\n")
    one_line_error(run("ingest", "a.txt", "--edition", "../etc"), 2, "../etc")


def test_malformed_registry(run):
    Path("texts").mkdir()
    Path("texts/editions.toml").write_text("[[edition]]\nid = 'x-1'\ntitle = \n")
    one_line_error(run("editions"), 1, "editions.toml", "line")


def test_debug_shows_traceback(run):
    result = run("--debug", "sections", "sample-2009")
    assert result.exit_code == 2 and "Traceback" in result.stderr


def test_cache_command_shows_and_clears(run, tmp_path, monkeypatch):
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "c"))
    ok(run("report", "sample-2008", "sample-2014", "-o", "r.html"))
    shown = ok(run("cache")).stdout
    assert str(tmp_path / "c") in shown and " 0 entries" not in shown
    # a folder named as the cache may hold other files: they are neither counted nor deleted
    (tmp_path / "c" / "notes.json").write_text("{}")
    (tmp_path / "c" / "document-notes.json").write_text("{}")
    entries = len(list((tmp_path / "c").glob("*.json"))) - 2
    assert ok(run("cache", "--clear")).stdout.startswith(f"deleted {entries} ")
    assert ": 0 entries" in ok(run("cache")).stdout
    assert sorted(p.name for p in (tmp_path / "c").glob("*.json")) == ["document-notes.json", "notes.json"]


@pytest.mark.parametrize(
    "command",
    [
        ["align", "sample-2008", "sample-2014", "--pairs"],
        ["scan", "sample-2008", "--lexicon"],
        ["lexicon", "evaluate", "--sentences"],
    ],
)
def test_user_toml_files_missing_or_broken(run, tmp_path, command):
    one_line_error(run(*command, str(tmp_path / "missing.toml")), 2, "missing.toml: no such file")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[pin]\na = 1\n")
    message = one_line_error(run(*command, str(broken)), 1, "broken.toml", "invalid TOML")
    assert "line 1" in message


def test_no_cache_is_for_that_run_only(run, tmp_path, monkeypatch):
    """--no-cache neither reads nor writes the cache, and the next command in the same process uses
    it again (it is a setting of the run, not left behind in the environment)."""
    import os

    cache_dir = tmp_path / "own-cache"
    monkeypatch.setenv("WTCOMPARE_CACHE", str(cache_dir))
    assert run("--no-cache", "sections", "sample-2002", "--format", "csv").exit_code == 0
    assert not cache_dir.exists() or not any(cache_dir.rglob("*.json"))
    assert "WTCOMPARE_NO_CACHE" not in os.environ
    assert run("sections", "sample-2002", "--format", "csv").exit_code == 0
    assert any(cache_dir.rglob("*.json"))


@pytest.mark.parametrize(
    ("missing", "args", "extra"),
    [
        ("nltk.metrics", ("collocates", "partner*", "sample-2008"), "collocates"),
        ("openpyxl", ("scan", "sample-2008", "--format", "xlsx", "-o", "counts.xlsx"), "xlsx"),
    ],
)
def test_a_feature_of_an_extra_names_the_extra_when_its_library_is_missing(run, monkeypatch, missing, args, extra):
    """NLTK and openpyxl are extras, not installed by a plain `pip install .`: the feature that needs
    one says which to install, in one line."""
    monkeypatch.setitem(sys.modules, missing, None)  # importing it raises ImportError, as when not installed
    one_line_error(run(*args), 1, f"pip install 'wtcompare[{extra}]'")


def test_writing_over_a_workbook_without_openpyxl_is_one_line(run, monkeypatch):
    """-o over an existing .xlsx reads it back to see whether it is ours: without the xlsx extra
    that is the same one-line error as writing one, and the file is left as it was."""
    assert run("scan", "sample-2008", "--format", "xlsx", "-o", "counts.xlsx").exit_code == 0
    before = Path("counts.xlsx").read_bytes()
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    one_line_error(
        run("scan", "sample-2008", "--format", "xlsx", "-o", "counts.xlsx"), 1, "pip install 'wtcompare[xlsx]'"
    )
    assert Path("counts.xlsx").read_bytes() == before


def test_a_cold_command_imports_the_aligner_while_its_editions_load_however_soon_they_are_stored(
    run, monkeypatch, tmp_path
):
    """Whether the cache holds both editions (then their alignment is likely stored too, and the
    aligner's SciPy may never be needed) is asked before the loading workers store them: asked
    after, a cold command whose other imports outlast the loading would find them stored, and
    import the aligner only when it aligns, after its other imports rather than beside the loading."""
    import time

    import wtcompare.cli as cli_module

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("WTCOMPARE_NO_CACHE", raising=False)
    imported, importing = [], cli_module._importing

    def slow(*modules: str):
        def run_them() -> None:
            time.sleep(1.0)  # the workers load and store both sample editions meanwhile
            importing(*modules)()

        return run_them

    monkeypatch.setattr(cli_module, "_importing", slow)
    monkeypatch.setattr(cli_module, "load_aligner", lambda: imported.append("aligner"))
    ok(run("diff", "sample-2008", "sample-2014", "--format", "json"))
    assert imported == ["aligner"]
    monkeypatch.setattr(cli_module, "_importing", importing)
    ok(run("diff", "sample-2008", "sample-2014", "--format", "json"))  # both stored now
    assert imported == ["aligner"]


def test_a_worker_process_that_dies_is_a_one_line_error(run, monkeypatch, tmp_path):
    """A worker killed while building a report (out of memory, say) is an error of the machine's,
    said in one line with exit code 1, not an internal error; no page is written."""
    import os

    import wtcompare.report as report
    from wtcompare import parallel

    monkeypatch.setattr(parallel, "MIN_WORDS", 0)  # the sample's diffs in a worker too
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    here = os.getpid()

    def killed(*args):
        if os.getpid() == here:  # not this process: only a worker is to die
            raise AssertionError("the diffs were not built in a worker")
        os._exit(9)

    monkeypatch.setattr(report, "_diffs", killed)
    line = one_line_error(
        run("report", "sample-2008", "sample-2014", "-o", str(tmp_path / "r.html")), 1, "worker process", "exit code 9"
    )
    assert "internal error" not in line and not (tmp_path / "r.html").exists()
