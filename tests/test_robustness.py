"""Bad input never crashes, never loses data: one line, an exit code, the user's files intact."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfmaker import Writer
from test_cli import ok, one_line_error

from wtcompare import fileio
from wtcompare.align import align_levels
from wtcompare.errors import WtcompareError
from wtcompare.lexicon import load_lexicon
from wtcompare.scan import scan
from wtcompare.segment import segment_text

BAD_INPUTS = {  # file name -> (content, exit code, fragment of the message)
    "empty.txt": (b"", 1, "empty"),
    "blank.txt": (b"  \n\n\t\n", 1, "empty"),
    "garbage.txt": (bytes(range(256)) * 64, 1, "binary"),
    "nul.md": (b"Chapter 1\x00\x00\x00 text", 1, "binary"),
    "undecodable.txt": (b"Chapter 1\n\n1. Caf\x81\x8d\x8f\x90\x9d text.\n", 1, "cannot decode"),
    "punctuation.txt": (b"... --- ***\n\n!!!\n", 1, "no words"),
}


def _pdf(encrypt: str | None = None, image: bool = False) -> bytes:
    w = Writer()
    w.new_page()
    w.paragraph("1.1", "A fictional paragraph in a test PDF.")
    if image:
        w.image_page(["A scanned fictional page."])
    if encrypt:
        w.canvas.setEncrypt(encrypt)
    return w.finish()


def _zip_bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


BAD_INPUTS.update(
    {
        "truncated.pdf": (_pdf()[:900], 1, "truncated or corrupt"),
        "corrupt.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 20, 1, "not a readable PDF"),
        "encrypted.pdf": (_pdf(encrypt="secret"), 1, "encrypted"),
        "scanned.pdf": (_pdf(image=True), 1, "add --ocr"),
        "scripts-only.html": (
            b"<!doctype html><html><body><script>alert(1)</script><nav>Menu</nav></body></html>",
            1,
            "has no text",
        ),
        "bomb.docx": (_zip_bomb(), 1, "zip bomb"),
        "renamed-docx.txt": (_zip_bomb()[:200], 1, "not a readable DOCX"),
    }
)


@pytest.fixture
def bad_inputs(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, (content, _, _) in BAD_INPUTS.items():
        (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_each_bad_input_gets_one_line(run, bad_inputs, name):
    _, code, fragment = BAD_INPUTS[name]
    path = bad_inputs / name
    one_line_error(run("ingest", str(path), "--edition", "bad-1"), code, name, fragment)
    assert not Path("texts/bad-1.txt").exists() and not Path("texts/bad-1.md").exists()


def test_directory_instead_of_file(run, tmp_path):
    one_line_error(run("ingest", str(tmp_path), "--edition", "dir-1"), 2, "directory")


def test_size_limit_names_the_limit_and_how_to_raise_it(run, tmp_path, monkeypatch):
    import wtcompare.load as load

    monkeypatch.setattr(load, "MAX_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_text("Words and more words. " * 20)
    message = one_line_error(run("ingest", str(big), "--edition", "big-1"), 1, "big.txt", "100-byte limit")
    assert "WTCOMPARE_MAX_BYTES" in message


def test_unwritable_output_path(run):
    Path("blocker").write_text("a file, not a folder")
    one_line_error(run("report", "sample-2008", "sample-2014", "-o", "blocker/report.html"), 1, "blocker")


def test_disk_full_keeps_the_previous_report(run, monkeypatch):
    ok(run("report", "sample-2008", "sample-2014", "-o", "r.html", "--date", "2026-01-01"))
    before = Path("r.html").read_bytes()

    def full(fd, *args, **kwargs):
        os.close(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fdopen", full)
    one_line_error(
        run("report", "sample-2008", "sample-2014", "-o", "r.html", "--date", "2026-01-02"),
        1,
        "r.html",
        "No space left",
    )
    assert Path("r.html").read_bytes() == before
    assert [p.name for p in Path(".").iterdir() if p.name.endswith(".tmp")] == []


def test_interrupted_write_keeps_the_previous_report(run, monkeypatch):
    ok(run("report", "sample-2008", "sample-2014", "-o", "r.html", "--date", "2026-01-01"))
    before = Path("r.html").read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "replace", interrupted)
    result = run("report", "sample-2008", "sample-2014", "-o", "r.html", "--date", "2026-01-02")
    assert result.exit_code == 130 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert Path("r.html").read_bytes() == before
    assert [p.name for p in Path(".").iterdir() if p.name.endswith(".tmp")] == []


def test_atomic_write_failure_is_one_error(tmp_path, monkeypatch):
    target = tmp_path / "x.txt"
    target.write_text("old")
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(WtcompareError, match="x.txt: cannot write: I/O error"):
        fileio.atomic_write(target, "new")
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


# Property tests over arbitrary Unicode: no exception, and the invariants each stage promises
# (the diff's rebuild property lives in test_diff.py).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
LINES = st.lists(
    st.one_of(
        TEXT,
        st.sampled_from(["", "Chapter 2: X", "1.1 Heading", "3. Para text.", "- item", "## Part", "CHAPTER THREE"]),
    ),
    max_size=12,
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(LINES)
def test_segmenter_never_raises(lines):
    document = segment_text("\n".join(lines))
    ids = [s.id for s in document.walk()] + [p.id for p in document.paragraphs()]
    assert len(ids) == len(set(ids))


@SETTINGS
@given(LINES, LINES)
def test_paragraph_alignment_covers_every_paragraph_once(lines_a, lines_b):
    doc_a, doc_b = segment_text("\n\n".join(lines_a)), segment_text("\n\n".join(lines_b))
    alignment = align_levels(doc_a, doc_b)["paragraph"]
    seen_a = [i for p in alignment.pairs for i in p.a]
    seen_b = [i for p in alignment.pairs for i in p.b]
    assert sorted(seen_a) == sorted(p.id for p in doc_a.paragraphs())
    assert sorted(seen_b) == sorted(p.id for p in doc_b.paragraphs())


@SETTINGS
@given(LINES, st.lists(st.sampled_from(["partner*", "famil*", "work* in partnership", "a"]), max_size=3))
def test_counts_equal_kwic_lines(lines, terms):
    document = segment_text("\n\n".join(lines + ["Partners and families work in partnership."]))
    result = scan([document], load_lexicon(None), terms)
    counted = result.counted
    for row in result.rows.itertuples():
        assert row.count == len(counted[(counted.category == row.category) & (counted.term == row.term)])


def test_cache_hit_corrupt_entry_and_new_version(tmp_path, monkeypatch):
    from wtcompare import cache
    from wtcompare.load import load_document

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "a.txt"
    source.write_text("Chapter 1: One\n\n1.1 A paragraph of text.\n")
    first = load_document(source)
    entries = list((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 1
    calls = []
    monkeypatch.setattr("wtcompare.load.parse", lambda *a, **k: calls.append(a) or first)
    assert [p.text for p in load_document(source).paragraphs()] == ["A paragraph of text."] and calls == []
    entries[0].write_text("{not json")  # corrupt: rebuilt, not fatal
    load_document(source)
    assert len(calls) == 1
    monkeypatch.setattr(cache, "__version__", "99.0")  # a new tool version never reads old entries
    load_document(source)
    assert len(calls) == 2 and len(list((tmp_path / "cache").glob("*.json"))) == 2
    source.write_text("Chapter 1: One\n\n1.1 Changed text.\n")  # a changed file is a different key
    load_document(source)
    assert len(calls) == 3
    # changed code of the same version (a loader's or the sense reader's fix between releases) never
    # reads old entries, documents or results
    scan_entry = cache.result_key("scan", "x")
    monkeypatch.setattr(cache, "code_digest", lambda: "0" * 64)
    load_document(source)
    assert len(calls) == 4 and cache.result_key("scan", "x") != scan_entry


def test_a_cached_document_holds_every_stored_field_and_reads_back_the_same(tmp_path, monkeypatch):
    """The entry is the document's stored fields at every depth (`dataclasses.asdict` less the
    edition, which whoever loads it sets); a value that is not JSON data writes no entry."""
    import dataclasses

    from wtcompare import cache
    from wtcompare.model import Document, Edition, PageTurn, Paragraph, Section

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    turned = Paragraph("p3", "Runs on to the next page.", None, "iv", ["A note."], False, [PageTurn(8, "v")], ["v"])
    code = Paragraph("p2", "x = 1\ny = 2", None, None, [], True)
    inner = Section("ch1/1.1", "Inner", 2, "1.1", [code, turned], page="iii")
    document = Document(
        [
            Section(
                "ch1",
                "One \u2014 \u201cquoted\u201d",
                1,
                "1",
                [Paragraph("p1", "Text\n- item", "1.1", "iv", ["A footnote.", "Another."])],
                [inner],
            )
        ],
        Edition("e1", "Title"),
        ["a warning"],
        "pdf",
        ["iv"],
        "The title",
    )
    cache.put("document-full", document)
    stored = json.loads((tmp_path / "cache" / "document-full.json").read_text())
    expected = dataclasses.asdict(document)
    del expected["edition"]
    assert stored == {"key": "document-full", **expected}
    assert cache.get("document-full") == dataclasses.replace(document, edition=None)
    key = cache.document_key(document)
    for change in (
        lambda: setattr(turned.turns[0], "page", "vi"),  # a scan's pages depend on these: so do the keys of its results
        lambda: turned.footnote_pages.__setitem__(0, "vi"),
        lambda: setattr(inner, "page", "iv"),
    ):
        change()
        assert cache.document_key(document) != key
        key = cache.document_key(document)
    document.sections[0].paragraphs[0].footnotes = {"not", "a list"}  # type: ignore[assignment]
    cache.put("document-wrong", document)
    assert not (tmp_path / "cache" / "document-wrong.json").exists()


def test_progress_is_silent_when_stderr_is_not_a_terminal(run):
    result = run("report", "sample-2008", "sample-2014", "-o", "r.html")
    assert result.exit_code == 0 and result.stderr == ""


def test_progress_shows_the_stage_of_a_long_run(capsys, monkeypatch):
    import time

    from wtcompare import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    progress.enable()
    with progress.stage("align", "wt2010 and wt2013"):
        time.sleep(0.6)
    progress.finish()
    assert "wt2010 and wt2013: align" in capsys.readouterr().err
    assert progress.timings["align"] >= 0.5


def test_cached_alignment_and_diffs_equal_fresh_ones(sample_docs, tmp_path, monkeypatch):
    from wtcompare.report import pair_report

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    a, b = sample_docs["sample-2008"], sample_docs["sample-2014"]
    fresh = align_levels(a, b)
    cached = align_levels(a, b)
    assert all(fresh[level].to_dict() == cached[level].to_dict() for level in fresh)
    lexicon = load_lexicon(None)
    fresh_scan = scan([a, b], lexicon, ["partner*"])
    cached_scan = scan([a, b], lexicon, ["partner*"])
    assert fresh_scan.kwic.equals(cached_scan.kwic) and fresh_scan.rows.equals(cached_scan.rows)
    other_terms = scan([a, b], lexicon, ["famil*"])  # different terms: a different entry
    assert "famil*" in set(other_terms.rows.term) and "partner*" not in set(other_terms.rows.term)
    first = pair_report(a, b, lexicon, [], "2026-01-01")
    assert len(list((tmp_path / "cache").glob("*.json"))) >= 2  # alignment and diffs stored
    assert pair_report(a, b, lexicon, [], "2026-01-01") == first
    monkeypatch.setenv("WTCOMPARE_NO_CACHE", "1")
    assert pair_report(a, b, lexicon, [], "2026-01-01") == first


def test_cache_entries_of_the_wrong_shape_are_rebuilt(sample_docs, tmp_path, monkeypatch):
    import json

    from wtcompare.report import pair_report

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    a, b = sample_docs["sample-2002"], sample_docs["sample-2008"]
    lexicon = load_lexicon(None)
    first = pair_report(a, b, lexicon, [], "2026-01-01")
    for entry in (tmp_path / "cache").glob("*.json"):  # valid JSON, right key, wrong contents
        data = json.loads(entry.read_text())
        if "value" in data:
            data["value"] = {"paragraph": {"pairs": [["x"]]}} if isinstance(data["value"], dict) else [["?"]]
            entry.write_text(json.dumps(data))
    assert pair_report(a, b, lexicon, [], "2026-01-01") == first


def test_gc_paused_restores_the_collector_and_nests():
    import gc

    from wtcompare.progress import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()


def _use_a_stage():
    from wtcompare import progress

    with progress.stage("align"):
        pass


def test_a_worker_forked_while_progress_holds_its_lock_does_not_hang():
    import multiprocessing

    from wtcompare import progress

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this platform does not fork")
    with progress._lock:
        worker = multiprocessing.get_context("fork").Process(target=_use_a_stage)
        worker.start()
    worker.join(20)
    if worker.exitcode is None:
        worker.kill()
    assert worker.exitcode == 0


def _first_int(data, hint):
    """Change the first whole number in ``data`` to ``hint`` (a huge or negative number, or text)."""
    stack = [data]
    while stack:
        item = stack.pop(0)
        for k, v in item.items() if isinstance(item, dict) else enumerate(item):
            if isinstance(v, int) and not isinstance(v, bool) and k != "key":
                item[k] = hint
                return data
            if isinstance(v, (dict, list)):
                stack.append(v)
    raise AssertionError("no whole number in the entry")


def _drop_first_field(data):
    """Remove the first field of the first object below the top (a missing field)."""
    stack = [data.get("value", data)]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict) and item and item is not data:
            del item[next(iter(item))]
            return data
        stack.extend(item.values() if isinstance(item, dict) else item if isinstance(item, list) else [])
    del data["value"]
    return data


DEEP = "[" * 100_000 + "]" * 100_000
WRONG_SHAPES = {  # name -> (entry data -> JSON text)
    "list": lambda d: json.dumps([d]),
    "null": lambda d: "null",
    "number": lambda d: "7",
    "not JSON": lambda d: "{not json",
    "wrong key": lambda d: json.dumps({**d, "key": "0" * 64}),
    "missing field": lambda d: json.dumps(_drop_first_field(d)),
    "extra field": lambda d: json.dumps({**d, "extra": 1}),
    "value of the wrong type": lambda d: json.dumps(
        {**d, "value": {"x": [1]}} if "value" in d else {**d, "sections": 5}
    ),
    "whole number as text": lambda d: json.dumps(_first_int(d, "12")) if "senses-" not in d["key"] else "[]",
    "huge number": lambda d: json.dumps(_first_int(d, 10**30)) if "senses-" not in d["key"] else "1e999",
    "negative number": lambda d: json.dumps(_first_int(d, -5)) if "senses-" not in d["key"] else "-1",
    "deep nesting": lambda d: json.dumps({**d, "value" if "value" in d else "warnings": "DEEP"}).replace(
        '"DEEP"', DEEP
    ),
}


REPORT = ["report", "sample-2002", "sample-2008", "-o", "r.html", "--date", "2026-01-01"]
TIMELINE = ["timeline", "sample-2002", "sample-2008", "sample-2014", "-o", "r.html", "--date", "2026-01-01"]


@pytest.mark.parametrize(
    ("kind", "command"),
    [(kind, REPORT) for kind in ("document", "align", "scan", "senses")]
    + [(kind, TIMELINE) for kind in ("outline", "chapters")],  # what only the timeline reads
)
def test_cache_entries_of_every_wrong_shape_are_rebuilt(run, tmp_path, monkeypatch, kind, command):
    """Each kind of entry, replaced by each wrong shape: the run gives the same report and the entry
    is rebuilt as it was (a list, null, a field of the wrong type used to crash in statistics,
    scanning or retention)."""
    import shutil

    if kind == "senses":
        # the shipped sets' figure is read from the record shipped with them: a set with no record
        # is counted, and its figure cached
        from wtcompare import senses

        (tmp_path / "sets").mkdir()
        shutil.copy(senses.SETS_DIR / "senses_blind_a.toml", tmp_path / "sets")
        monkeypatch.setattr(senses, "SETS_DIR", tmp_path / "sets")
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    ok(run(*command))
    first = Path("r.html").read_bytes()
    good = {p.name: p.read_text() for p in (tmp_path / "cache").glob("*.json")}
    mine = sorted(name for name in good if name.startswith(kind + "-"))
    assert mine, f"no {kind} entries"
    for shape, make in WRONG_SHAPES.items():
        shutil.rmtree(tmp_path / "cache")
        (tmp_path / "cache").mkdir()
        for name, text in good.items():
            (tmp_path / "cache" / name).write_text(make(json.loads(text)) if name in mine else text)
        result = run(*command)
        assert result.exit_code == 0 and result.stderr == "", (shape, result.stderr)
        assert Path("r.html").read_bytes() == first, shape
        assert {name: (tmp_path / "cache" / name).read_text() for name in mine} == {n: good[n] for n in mine}, shape


def test_cached_chapter_pairs_that_do_not_cover_the_editions_are_rebuilt(run, tmp_path, monkeypatch):
    """The timeline's chapter pairs are checked against the chapters of the editions' outlines, as
    an alignment is against its documents: a pair dropped, or a chapter the edition does not have,
    and the pairs are made again, the page the same."""
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    command = ["timeline", "sample-2002", "sample-2008", "-o", "t.html", "--date", "2026-01-01"]
    ok(run(*command))
    first = Path("t.html").read_bytes()
    (entry,) = (tmp_path / "cache").glob("chapters-*.json")
    good = entry.read_text()
    changes = ("drop a pair", "a chapter the edition does not have", "a pair of no chapters", "a kept chapter deleted")
    for change in changes:
        data = json.loads(good)
        if change == "drop a pair":
            data["value"].pop()
        elif change == "a chapter the edition does not have":
            data["value"][0][1] = ["no-such-chapter"]
        elif change == "a pair of no chapters":
            data["value"].append(["unchanged", [], [], 0, 0, ""])
        else:
            next(pair for pair in data["value"] if pair[1] and pair[2])[0] = "deleted"
        entry.write_text(json.dumps(data))
        ok(run(*command))
        assert Path("t.html").read_bytes() == first, change
        assert entry.read_text() == good, change


def test_an_outline_that_does_not_fit_the_chapter_pairs_is_read_again(run, tmp_path, monkeypatch):
    """An edition's cached outline that has lost a chapter no longer fits the chapter pairs: both
    are deleted (either may be at fault), so the next run stores them afresh from the documents and
    writes the page it wrote before the edit."""
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    command = ["timeline", "sample-2002", "sample-2008", "-o", "t.html", "--date", "2026-01-01"]
    ok(run(*command))
    first = Path("t.html").read_bytes()
    entry = sorted((tmp_path / "cache").glob("outline-*.json"))[0]
    good = entry.read_text()
    data = json.loads(good)
    data["value"]["outline"]["chapters"].pop()
    entry.write_text(json.dumps(data))
    ok(run(*command))
    ok(run(*command))
    assert Path("t.html").read_bytes() == first
    assert entry.read_text() == good


def test_an_outline_naming_another_document_is_deleted_once_its_document_is_loaded(run, tmp_path, monkeypatch):
    """Two editions' cached outlines with their document keys swapped point each edition at the
    other's results; when a run loads the documents anyway (here: their chapter pairs are gone),
    each outline is found not to be its document's and deleted, so the next run is right again."""
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    command = ["timeline", "sample-2002", "sample-2008", "-o", "t.html", "--date", "2026-01-01"]
    ok(run(*command))
    first = Path("t.html").read_bytes()
    entries = sorted((tmp_path / "cache").glob("outline-*.json"))
    good = [entry.read_text() for entry in entries]
    values = [json.loads(text) for text in good]
    values[0]["value"]["document"], values[1]["value"]["document"] = (
        values[1]["value"]["document"],
        values[0]["value"]["document"],
    )
    for entry, value in zip(entries, values, strict=True):
        entry.write_text(json.dumps(value))
    for chapters in (tmp_path / "cache").glob("chapters-*.json"):
        chapters.unlink()
    ok(run(*command))
    assert not any(entry.exists() for entry in entries)
    ok(run(*command))
    assert Path("t.html").read_bytes() == first
    assert [entry.read_text() for entry in entries] == good


def test_the_same_bytes_under_another_name_are_parsed_again(tmp_path, monkeypatch):
    """A file's name says whether its text is read as Markdown, and its warnings quote it: the
    cache of parsed documents keys on the name as well as the bytes, so a text renamed to .md is
    not served the plain-text parse of its old name."""
    from wtcompare import cache
    from wtcompare.load import load_bytes, parse
    from wtcompare.registry import bundled_texts_dir

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    data = (bundled_texts_dir() / "sample" / "sample-2002.txt").read_bytes()
    for name in ("texts/sample-2002.txt", "texts/sample-2002.md", "moved/sample-2002.md"):
        cached = load_bytes(data, name)
        fresh = parse(data, name)
        assert (cached.format, cached.word_count, cached.warnings) == (fresh.format, fresh.word_count, fresh.warnings)
    assert len(list(cache.folder().glob("document-*.json"))) == 3


def test_a_warm_timeline_is_the_cold_one_and_loads_no_document(run, tmp_path, monkeypatch):
    """A timeline run again on the same cache reads each edition's outline, scan and chapter pairs
    from it without loading a document, and writes the same page and exported files, byte for
    byte, as the run that filled the cache; and so do its tables."""
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    command = ["timeline", "sample-2002", "sample-2008", "sample-2014", "sample-2021", "--date", "2026-01-01"]

    def page(name):
        ok(run(*command, "-o", f"{name}.html", "--export", name))
        return Path(f"{name}.html").read_bytes(), {p.name: p.read_bytes() for p in Path(name).iterdir()}

    def tables():
        return [ok(run(*command, "--format", fmt)).stdout for fmt in ("json", "csv")]

    cold = page("cold"), tables()

    def refuse(*args, **kwargs):
        raise AssertionError("a warm timeline loaded a document")

    with monkeypatch.context() as patched:
        patched.setattr("wtcompare.load.load_bytes", refuse)
        warm = page("warm")
    assert warm == cold[0] and tables() == cold[1]


def test_a_warm_timeline_warns_as_the_cold_one(run, tmp_path, monkeypatch):
    """A warm timeline has the loaders' warnings from the cache and the registry's (a text changed
    since it was registered) from the registry as it is now: the same as the cold run, on stderr and
    in the page, until the registry is set right."""
    from wtcompare.registry import Registry

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    texts = tmp_path / "texts"
    registry = Registry(texts, create=True)
    (tmp_path / "one.txt").write_text("Chapter 1: One\n\n1.1 A paragraph of text.\n")
    (tmp_path / "two.txt").write_text("A paragraph of text without headings.\n")
    registry.ingest(tmp_path / "one.txt", "one")
    registry.ingest(tmp_path / "two.txt", "two")
    (texts / "two.txt").write_text("An edited paragraph of text without headings.\n")
    command = ["--texts", str(texts), "timeline", "one", "two", "-o", "t.html", "--date", "2026-01-01"]
    cold = ok(run(*command)).stderr, Path("t.html").read_bytes()
    assert "no headings found" in cold[0] and "differs from the registry" in cold[0]
    assert (ok(run(*command)).stderr, Path("t.html").read_bytes()) == cold
    Registry(texts).ingest(texts / "two.txt", "two", replace_existing=True)
    warned = ok(run(*command)).stderr
    assert "no headings found" in warned and "differs from the registry" not in warned


def test_a_cached_alignment_that_does_not_cover_the_documents_is_rebuilt(sample_docs, tmp_path, monkeypatch):
    from wtcompare import cache

    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    a, b = sample_docs["sample-2002"], sample_docs["sample-2008"]
    fresh = align_levels(a, b)
    (entry,) = (tmp_path / "cache").glob("align-*.json")
    good = json.loads(entry.read_text())
    for change in ("drop a pair", "drop a level", "flow to an unknown unit"):
        data = json.loads(json.dumps(good))
        if change == "drop a pair":
            data["value"]["section"]["pairs"].pop()
        elif change == "drop a level":
            del data["value"]["chapter"]
        else:
            data["value"]["section"]["flow"].append(["ch1", "no-such-unit", 3])
        entry.write_text(json.dumps(data))
        assert cache.get_result(entry.stem) is not None  # the right shape: only the documents tell
        again = align_levels(a, b)
        assert all(again[level].to_dict() == fresh[level].to_dict() for level in fresh), change
        assert json.loads(entry.read_text()) == good


def test_a_file_of_a_title_alone_says_so(tmp_path):
    """Its words are read as the title: "no words found" must not say the file holds only
    punctuation or markup."""
    from wtcompare.load import parse

    with pytest.raises(WtcompareError, match=r"t\.txt: no words found outside a title and headings"):
        parse(b"Hello world partnership\n", "t.txt")


REPORT = ["report", "sample-2002", "sample-2021", "-o", "r.html"]


@pytest.mark.parametrize(
    "name, value, command, said",
    [
        ("WTCOMPARE_MAX_BYTES", "2G", ["editions"], "WTCOMPARE_MAX_BYTES='2G' is not a whole number of bytes"),
        (
            "WTCOMPARE_PDF_MEMORY",
            "-5",
            ["--texts", "texts", "ingest", "a.pdf", "--edition", "a", "--year", "2001"],
            "WTCOMPARE_PDF_MEMORY=-5 is below its least value, 1",
        ),
        ("WTCOMPARE_PARALLEL_WORDS", "many", REPORT, "WTCOMPARE_PARALLEL_WORDS='many' is not a whole number of words"),
        ("WTCOMPARE_MAX_UNITS", "0", REPORT, "WTCOMPARE_MAX_UNITS=0 is below its least value, 1"),
    ],
)
def test_a_setting_that_is_not_a_number_is_one_line_naming_it(tmp_path, name, value, command, said):
    """A limit set in the environment is read as the modules that use it load, before or while the
    command runs: a value that is not a whole number stopped the command with an internal error or
    a traceback."""
    import subprocess
    import sys

    (tmp_path / "texts").mkdir()
    (tmp_path / "a.pdf").write_bytes(_pdf())
    env = {**os.environ, name: value, "WTCOMPARE_CACHE": str(tmp_path / "cache")}
    env.pop("WTCOMPARE_TEXTS", None)
    done = subprocess.run(
        [sys.executable, "-c", "from wtcompare.entry import main; main()", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (2, f"wtcompare: error: {said}\n")
