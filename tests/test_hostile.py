"""Hostile texts folders and paths: a registry never reads outside its folder, nothing that is not a
regular file is read or replaced, limits give one line, and a failed ingest leaves nothing behind."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import ok, one_line_error

from wtcompare import fileio
from wtcompare.errors import WtcompareError
from wtcompare.registry import Registry

SECRET = "root:x:0:0:a secret line from outside the folder"
TEXT = "Chapter 1: One\n\n1.1 Practitioners work with families.\n"


def registry_with(texts: Path, source: str, edition_id: str = "mine") -> Path:
    texts.mkdir(exist_ok=True)
    (texts / "editions.toml").write_text(
        f'# notes\n\n[[edition]]\nid = "{edition_id}"\ntitle = "Mine"\nsource = "{source}"\n'
    )
    return texts


@pytest.fixture
def outside(tmp_path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n\n" + TEXT)
    return secret


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("how", ["dotdot", "absolute", "link-out", "link-dir-out", "dev-zero", "link-dev-zero"])
def test_a_source_outside_the_registrys_folder_is_refused(run, tmp_path, outside, how):
    texts = tmp_path / "texts"
    texts.mkdir()
    source = {"dotdot": "../outside/passwd", "absolute": str(outside), "dev-zero": "/dev/zero"}.get(how, "inner.txt")
    if how == "link-out":
        (texts / "inner.txt").symlink_to(outside)
    elif how == "link-dir-out":
        (texts / "sub").symlink_to(outside.parent)
        source = "sub/passwd"
    elif how == "link-dev-zero":
        (texts / "inner.txt").symlink_to("/dev/zero")
    registry_with(texts, source)
    for command in (["scan", "mine"], ["report", "mine", "sample-2002", "-o", "r.html"], ["editions"]):
        message = one_line_error(run("--texts", str(texts), *command), 1, "editions.toml:4", "'mine'")
        assert "outside the registry's folder" in message and SECRET not in message
    assert not Path("r.html").exists()


def test_a_user_entry_overriding_a_bundled_source_must_stay_in_the_users_folder(tmp_path, outside):
    texts = registry_with(tmp_path / "texts", "../outside/passwd", "sample-2002")
    with pytest.raises(WtcompareError, match=r"editions\.toml:4: edition 'sample-2002': source .* outside"):
        Registry(texts)
    (texts / "own.txt").write_text(TEXT)
    registry_with(texts, "own.txt", "sample-2002")
    assert Registry(texts).get("sample-2002").source == str((texts / "own.txt").resolve())


def test_links_and_subfolders_inside_the_folder_are_fine(tmp_path):
    texts = tmp_path / "texts"
    (texts / "sub").mkdir(parents=True)
    (texts / "sub" / "real.txt").write_text(TEXT)
    (texts / "link.txt").symlink_to(texts / "sub" / "real.txt")
    registry_with(texts, "link.txt")
    assert [p.text for p in Registry(texts).load("mine").paragraphs()] == ["Practitioners work with families."]


@pytest.mark.parametrize("make, kind", [(fifo, "named pipe"), (Path.mkdir, "directory")])
def test_a_source_that_is_not_a_regular_file_is_refused(tmp_path, make, kind):
    texts = tmp_path / "texts"
    texts.mkdir()
    make(texts / "odd.txt")
    registry_with(texts, "odd.txt")
    with pytest.raises(WtcompareError, match=rf"editions\.toml:4: edition 'mine': source 'odd.txt' is a {kind}"):
        Registry(texts)


@pytest.fixture
def deadline():
    """Fail, instead of hanging, when something blocks (a named pipe opened for reading blocks until a
    writer comes): the alarm interrupts the blocked call and its handler raises."""

    def expired(signum, frame):
        raise TimeoutError("blocked for 30 s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_named_pipes_and_devices_are_never_opened_as_files(run, tmp_path, deadline):
    pipe = fifo(tmp_path / "pipe.html")
    (tmp_path / "export").mkdir()
    fifo(tmp_path / "export" / "rates.svg")
    cases = [
        (["ingest", str(pipe), "--edition", "x"], 2, "named pipe"),
        (["ingest", "/dev/zero", "--edition", "x"], 2, "character device"),
        (["scan", "sample-2002", "--lexicon", str(pipe)], 2, "named pipe"),
        (["align", "sample-2002", "sample-2008", "--pairs", str(pipe)], 2, "named pipe"),
        (["lexicon", "evaluate", "--sentences", "/dev/zero"], 2, "character device"),
        (["check", str(pipe)], 2, "named pipe"),
        (["check", "/dev/zero"], 2, "character device"),
        (["site", str(tmp_path / "site"), "--claims", str(pipe)], 2, "named pipe"),
        (["report", "sample-2002", "sample-2008", "-o", str(pipe)], 2, "named pipe"),
        (["scan", "sample-2002", "--format", "xlsx", "-o", str(pipe)], 2, "named pipe"),
        (
            ["report", "sample-2002", "sample-2008", "-o", "r.html", "--export", str(tmp_path / "export")],
            2,
            "named pipe",
        ),
    ]
    texts = tmp_path / "texts"
    texts.mkdir()
    fifo(texts / "sources.lock")
    cases.append((["--texts", str(texts), "fetch", "--check"], 2, "named pipe"))
    for args, code, kind in cases:
        one_line_error(run(*args), code, kind)
    assert pipe.is_fifo() and (tmp_path / "export" / "rates.svg").is_fifo()


def test_a_device_is_never_replaced_by_an_output(run, tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a character device like /dev/null
    except PermissionError:
        pytest.skip("making a device node needs root")
    one_line_error(run("report", "sample-2002", "sample-2008", "-o", str(device)), 2, "character device")
    one_line_error(run("scan", "sample-2002", "--format", "xlsx", "-o", str(device)), 2, "character device")
    assert device.is_char_device()


@pytest.mark.parametrize(
    "name, option, body",
    [
        ("registry", None, '[[edition]]\nid = "x"\ntitle = "x"\nnotes = {DEEP}\n'),
        ("lexicon", ["scan", "sample-2002", "--lexicon"], '[lexicon]\nid = "x"\nversion = "1"\nx = {DEEP}\n'),
        ("pairs file", ["align", "sample-2002", "sample-2008", "--pairs"], "pin = {DEEP}\n"),
        ("the sentence set", ["lexicon", "evaluate", "--sentences"], "sentence = {DEEP}\n"),
    ],
)
@pytest.mark.parametrize("levels", [30, 5000])
def test_deeply_nested_toml_is_one_error_naming_the_file(run, tmp_path, name, option, body, levels):
    deep = "[" * levels + "]" * levels
    if option is None:
        texts = tmp_path / "texts"
        texts.mkdir()
        (texts / "editions.toml").write_text(body.replace("{DEEP}", deep))
        args = ["--texts", str(texts), "editions"]
    else:
        (tmp_path / "deep.toml").write_text(body.replace("{DEEP}", deep))
        args = [*option, str(tmp_path / "deep.toml")]
    one_line_error(run(*args), 1, ".toml", f"{name} nests tables or arrays more than 20 levels deep")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", '["a", "list"]', "title: must be text"),
        ("source", "5", "source: must be text"),
        ("year", "true", "year: must be a whole number"),
        ("year", "2018.5", "year: must be a whole number"),
        ("year", "-5", "year: must be a whole number from 0"),
        ("date", "12:00:00", "date: must be text"),
        ("ocr", '"yes"', "ocr: must be true or false"),
        ("companion", "1", "companion: must be true or false"),
        ("notes", "{ a = 1 }", "notes: must be text"),
    ],
)
def test_fields_of_the_wrong_type_name_the_entry(tmp_path, field, value, message):
    texts = tmp_path / "texts"
    texts.mkdir()
    body = {"title": '"T"', field: value}
    (texts / "editions.toml").write_text('[[edition]]\nid = "x"\n' + "".join(f"{k} = {v}\n" for k, v in body.items()))
    with pytest.raises(WtcompareError, match=rf"editions\.toml:2: edition 'x': {message}"):
        Registry(texts)


def test_a_huge_title_is_cut_in_tables_only(run, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    title = "A very long title " * 300_000  # 5.4 MB
    (texts / "editions.toml").write_text(f'[[edition]]\nid = "long"\ntitle = "{title}"\n')
    table = ok(run("--texts", str(texts), "editions")).stdout
    assert len(table) < 10_000 and "A very long title A very" in table and "\u2026" in table
    assert '"title": "' + title + '"' in ok(run("--texts", str(texts), "editions", "--format", "json")).stdout


def test_many_entries_are_read_in_linear_time(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    entries = "".join(f'[[edition]]\nid = "e{k}"\ntitle = "T"\n' for k in range(20_000))
    (texts / "editions.toml").write_text(entries + '[[edition]]\nid = "e19999"\ntitle = "again"\n')
    started = time.monotonic()
    with pytest.raises(WtcompareError, match=r"editions\.toml:60002: edition 'e19999' is listed twice"):
        Registry(texts)
    assert time.monotonic() - started < 10  # each entry's line looked up from the top took a minute
    (texts / "editions.toml").write_text(entries)
    assert len(Registry(texts).editions()) > 20_000


def test_registry_that_is_a_directory_fails_before_anything_is_copied(run, tmp_path):
    texts = tmp_path / "texts"
    (texts / "editions.toml").mkdir(parents=True)
    source = tmp_path / "a.txt"
    source.write_text(TEXT)
    one_line_error(
        run("--texts", str(texts), "ingest", str(source), "--edition", "mine"),
        1,
        "editions.toml: is a directory, not a registry file",
    )
    assert [p.name for p in texts.iterdir()] == ["editions.toml"]
    one_line_error(run("--texts", str(texts), "editions"), 1, "editions.toml: is a directory")


def test_unreadable_registry_fails_before_anything_is_copied(run, tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "editions.toml").write_bytes(b'[[edition]]\nid = "x"\ntitle = "\xff"\n')
    source = tmp_path / "a.txt"
    source.write_text(TEXT)
    one_line_error(
        run("--texts", str(texts), "ingest", str(source), "--edition", "mine"),
        1,
        "editions.toml: registry is not UTF-8 text",
    )
    assert [p.name for p in texts.iterdir()] == ["editions.toml"]


def test_a_failed_registry_write_takes_the_copied_file_back(tmp_path, monkeypatch):
    texts = tmp_path / "texts"
    registry = Registry(texts, create=True)
    first, second = tmp_path / "one.txt", tmp_path / "two.txt"
    first.write_text(TEXT)
    second.write_text(TEXT.replace("families", "children"))
    registry.ingest(first, "mine")
    before = {p.name: p.read_bytes() for p in texts.iterdir()}
    real = fileio.atomic_write

    def registry_full(path, data):
        if Path(path).name == "editions.toml":
            raise WtcompareError(f"{path}: cannot write: No space left on device")
        return real(path, data)

    monkeypatch.setattr("wtcompare.registry.atomic_write", registry_full)
    with pytest.raises(WtcompareError, match="No space left"):
        registry.ingest(second, "mine", replace_existing=True)  # replaces mine.txt, then fails
    with pytest.raises(WtcompareError, match="No space left"):
        registry.ingest(second, "other")  # a new file, then fails
    assert {p.name: p.read_bytes() for p in texts.iterdir()} == before


def test_ingest_never_writes_through_a_link_planted_in_the_folder(tmp_path, outside):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "mine.txt").symlink_to(outside)
    source = tmp_path / "a.txt"
    source.write_text(TEXT)
    with pytest.raises(WtcompareError, match=r"mine\.txt: is a symbolic link, not a regular file"):
        Registry(texts).ingest(source, "mine")
    assert outside.read_text().startswith(SECRET) and not (texts / "editions.toml").exists()


LEXICON = '[lexicon]\nid = "x"\nversion = "1"\n[[category]]\nid = "c"\n[[category.term]]\npatterns = ["partner*"]\n'


@pytest.mark.parametrize(
    "option, body, message",
    [
        (
            ["scan", "sample-2002", "--lexicon"],
            'category = 5\n[lexicon]\nid = "x"\nversion = "1"\n',
            "category: must be a list of tables",
        ),
        (
            ["scan", "sample-2002", "--lexicon"],
            LEXICON.replace('patterns = ["partner*"]', "patterns = 5"),
            "category[1].term[1].patterns: must be a list of text",
        ),
        (
            ["scan", "sample-2002", "--lexicon"],
            LEXICON + 'rules = [{ action = "exclude", words = "x", before = -1 }]\n',
            "category[1].term[1].rules[1].words: must be a list of text",
        ),
        (["scan", "sample-2002", "--lexicon"], "lexicon = 5\n", "lexicon: must be a table"),
        (["align", "sample-2002", "sample-2008", "--pairs"], "pin = [5]\n", "pin[1]: must be a table"),
        (
            ["align", "sample-2002", "sample-2008", "--pairs"],
            "[[forbid]]\na = 1\nb = ['x']\n",
            "forbid[1].a: must be a list of text",
        ),
        (["lexicon", "evaluate", "--sentences"], "sentence = 5\n", "sentence: must be a list of tables"),
        (
            ["lexicon", "evaluate", "--sentences"],
            '[[sentence]]\ntext = "x"\nexpect = { c = -1 }\n',
            "sentence[1].expect.c: must be a whole number from 0",
        ),
        (["lexicon", "evaluate", "--sentences"], "", "the sentence set has no [[sentence]]"),
    ],
)
def test_values_of_the_wrong_type_in_user_toml_files_are_one_error(run, tmp_path, option, body, message):
    (tmp_path / "user.toml").write_text(body)
    one_line_error(run(*option, str(tmp_path / "user.toml")), 1, "user.toml: " + message)


def test_a_link_planted_as_the_lock_file_is_never_followed(run, tmp_path, outside):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / ".editions.toml.lock").symlink_to(outside)
    source = tmp_path / "a.txt"
    source.write_text(TEXT)
    one_line_error(
        run("--texts", str(texts), "ingest", str(source), "--edition", "mine"),
        1,
        "editions.toml: cannot lock it with .editions.toml.lock",
    )
    assert outside.read_text().startswith(SECRET) and sorted(p.name for p in texts.iterdir()) == [".editions.toml.lock"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 2**54) | st.floats() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "heading", "level", "number", "paragraphs", "children", "text", "x"]),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_the_fast_schema_check_and_the_one_that_says_where_agree(value):
    from wtcompare.model import Section
    from wtcompare.schema import checker, problem

    for hint in (list[str], dict[str, int], tuple[str, float, int | None], Section, list[Section]):
        for exact in (False, True):
            fits = checker(hint, exact)(value)
            message = problem(value, hint, exact)
            assert fits == (message is None), (hint, exact, message)
            assert message is None or ": must be " in message


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "sample-2002", "--format", "csv"],
        ["report", "sample-2002", "sample-2008"],
        ["timeline", "--format", "json"],
        ["scan", "sample-2002", "--format", "csv", "-o"],
    ],
)
def test_an_output_name_too_long_is_one_error(run, args):
    name = "x" * 300 + ".out"
    target = [name + "/"] if args[-1] == "-o" else ["-o", name]
    one_line_error(run(*args, *target), 1, "File name too long")


BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: text after it shows reversed until the paragraph ends


def _controlled(texts: Path) -> Path:
    """Two editions whose headings, text and registry titles carry a bidi override, a NUL, a
    control character and a terminal's escape sequence."""
    texts.mkdir()
    for edition, extra in (("ba", ""), ("bb", "<h2>3. New chapter</h2><p>New words here.</p>")):
        (texts / f"{edition}.html").write_text(  # as character references: a text file with them is binary
            "<html><body><h1>Guide</h1><h2>1. Kept chapter</h2><p>Partnership with families matters.</p>"
            "<h2>2. Old chapter &#x202e;</h2><p>Words &#1; here and &#27;[31m there &#0; too.</p>"
            f"{extra}</body></html>",
            encoding="utf-8",
        )
    (texts / "editions.toml").write_text(
        "".join(
            f'[[edition]]\nid = "{e}"\ntitle = "Edition {BIDI}{e} \\u001b]0;pwned\\u0007"\nyear = {y}\n'
            f'source = "{e}.html"\n\n'
            for e, y in (("ba", 2001), ("bb", 2002))
        ),
        encoding="utf-8",
    )
    return texts


UNPRINTABLE = [BIDI, "\x00", "\x01", "\x1b", "\x07"]


def test_controls_in_document_text_and_titles_never_reach_a_page_a_terminal_or_a_workbook(run, tmp_path):
    """A bidi override in a heading or a title would show a report's figures reversed on the
    page (35 words as 53); a NUL or an escape sequence would reach the page, the terminal (which an
    escape sequence retitles) or a workbook (which cannot hold it). JSON keeps the text as it is."""
    import openpyxl

    texts = _controlled(tmp_path / "texts")
    ok(run("--texts", str(texts), "report", "ba", "bb", "-o", str(tmp_path / "r.html"), "--date", "2026-01-01"))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Old chapter" in page and not [c for c in UNPRINTABLE if c in page]
    shown = ok(run("--texts", str(texts), "editions")).stdout
    assert "Edition" in shown and not [c for c in UNPRINTABLE if c in shown]
    ok(run("--texts", str(texts), "diff", "ba", "bb", "--format", "xlsx", "-o", str(tmp_path / "d.xlsx")))
    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "d.xlsx")["diff"].iter_rows() for c in row]
    assert any("Words" in str(c) for c in cells)
    (texts / "editions.toml").write_text(
        '[[edition]]\nid = "gone"\ntitle = "Gone"\nsource = "a\\nb \\u001b]0;pwned\\u0007.txt"\n', encoding="utf-8"
    )
    message = one_line_error(run("--texts", str(texts), "sections", "gone"), 2, "no such file")
    assert not [c for c in UNPRINTABLE if c in message]
    _controlled(tmp_path / "again")
    texts = tmp_path / "again"
    listed = ok(run("--texts", str(texts), "editions", "--format", "json")).stdout
    assert BIDI in listed  # the machine-readable outputs keep the text as the file has it


@pytest.mark.parametrize("name, args", [("editions.toml", ["editions"]), ("sources.lock", ["fetch", "--check"])])
def test_a_registry_or_lock_file_that_links_out_of_the_folder_is_refused(run, tmp_path, outside, name, args):
    texts = tmp_path / "texts"
    texts.mkdir()
    private = outside.parent / "private.toml"
    private.write_text(f'[[edition]]\nid = "private"\ntitle = "{SECRET}"\n[[source]]\nid = "private"\n')
    (texts / name).symlink_to(private)
    message = one_line_error(run("--texts", str(texts), *args), 1, name, "outside")
    assert SECRET not in message


@pytest.mark.parametrize(
    "body", ['source = "abc"\n', '[[source]]\nurl = "https://example.org/a.pdf"\n', "[[source]]\nid = 5\n"]
)
def test_a_lock_file_of_the_wrong_shape_is_one_error_naming_it(run, tmp_path, body):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "sources.lock").write_text(body)
    one_line_error(run("--texts", str(texts), "fetch", "--check"), 1, "sources.lock: invalid lock file")


def test_an_empty_output_path_and_a_title_that_is_not_text_are_usage_errors(run, tmp_path):
    one_line_error(run("scan", "sample-2002", "--format", "csv", "-o", ""), 2, "'-o'", "an empty path")
    one_line_error(run("report", "sample-2002", "sample-2008", "-o", " "), 2, "an empty path")
    (tmp_path / "in.txt").write_text("1. Text.\n")
    args = ["--texts", str(tmp_path / "texts"), "ingest", str(tmp_path / "in.txt"), "--edition", "x"]
    one_line_error(run(*args, "--title", "caf\udcff"), 2, "'--title'", "not valid UTF-8")
    assert not (tmp_path / "texts" / "x.txt").exists()
