"""Every printing command in every --format, to stdout, to -o FILE and to -o DIR/; and every option of
every command at least once. Checked: exit 0 and no internal error, JSON that a strict parser
accepts, every CSV one table for pandas.read_csv with no options, and what each target holds."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import click
import openpyxl
import pandas as pd
import pytest
from test_cli import ok, one_line_error
from test_fetch import server, texts  # noqa: F401  (fixtures: a local HTTP server and its registry)
from test_fetch_govuk import PAGE, site  # noqa: F401  (fixture: a local GOV.UK Content API)

from wtcompare import __version__
from wtcompare.cli import cli
from wtcompare.errors import WtcompareError
from wtcompare.fileio import sha256_file

DATA = Path(__file__).resolve().parent.parent / "wtcompare" / "data"
LEXICON = str(DATA / "lexicon.toml")
NORTHVALE = str(DATA / "senses_dev_northvale.toml")
SAMPLE = Path(__file__).resolve().parent.parent / "texts" / "sample"
PAIRS_TOML = '[[pin]]\na = ["ch1/who-this-guidance-is-for"]\nb = ["ch1/1.1"]\n'
CLAIMS_TOML = (
    '[[claim]]\nid = "c"\nstatement = "s"\nedition = "sample-2021"\ncategory = "partnership_with_families"\n'
    'expect = "absent"\n'
)
EXTENSION = {"table": "txt", "text": "txt", "csv": "csv", "json": "json", "xlsx": "xlsx"}
TABULAR = ("table", "csv", "json", "xlsx")

# command line, its tables (the main one first), the main table's columns, its formats
COMMANDS = {
    "editions": (
        ["editions"],
        ["editions"],
        "id,title,year,date,publisher,kind,source,sha256,licence,url,page_url,page,attachment,prefer,format,"
        "version_of,notes,ocr,companion,available",
        TABULAR,
    ),
    "sections": (["sections", "sample-2008"], ["sections"], "id,level,number,heading,paragraphs,words,page", TABULAR),
    "align": (
        ["align", "sample-2008", "sample-2014"],
        ["pairs", "uncertain", "retention"],
        "kind,score,a,b,retained,uncertain,source,typography_only",
        TABULAR,
    ),
    "scan": (
        ["scan", "--kwic"],
        ["counts", "kwic", "uncertain"],
        "edition,category,term,count,excluded,tokens,per_10k",
        TABULAR,
    ),
    "keyness": (
        ["keyness", "sample-2002", "sample-2021"],
        ["keyness"],
        "category,term,count_a,tokens_a,per_10k_a,count_b,tokens_b,per_10k_b,g2,p,p_holm,log_ratio,"
        "log_ratio_low,log_ratio_high",
        TABULAR,
    ),
    "collocates": (
        ["collocates", "partner*"],
        ["collocates"],
        "edition,collocate,together,expected,frequency,mi,g2",
        TABULAR,
    ),
    "lexicon check": (
        ["lexicon", "check", LEXICON],
        ["overlaps"],
        "term,category,other_term,other_category,shared,resolution",
        TABULAR,
    ),
    "lexicon evaluate": (
        ["lexicon", "evaluate", "--sentences", NORTHVALE],
        ["accuracy", "scores", "errors"],
        "set,kind,sentences,exact,exact_accuracy,hard,hard_exact,hard_accuracy,categories",
        TABULAR,
    ),
    "diff": (
        ["diff", "sample-2014", "sample-2021"],
        ["diff"],
        "a,b,kind,heading,diff",
        ("text", "csv", "json", "xlsx"),
    ),
    "timeline": (
        ["timeline"],
        ["rates", "span", "changes", "chapters"],
        "category,term,edition,count,tokens,per_10k",
        TABULAR,
    ),
}


def test_the_timeline_command_gives_the_chapters_its_page_exports(run):
    """`timeline --table chapters` is the table the page's --export writes, row for row."""
    editions = ["sample-2002", "sample-2008", "sample-2014", "--include-samples"]
    shown = clean(run("timeline", *editions, "--format", "csv", "--table", "chapters")).stdout
    clean(run("timeline", *editions, "-o", "t.html", "--export", "exported"))
    exported = Path("exported/chapters.csv").read_text(encoding="utf-8")
    assert shown == exported
    table = pd.read_csv(io.StringIO(shown), dtype=str, keep_default_na=False)
    assert set(table["from"]) == {"sample-2002", "sample-2008"} and (table["kind"] != "").all()


def strict(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def clean(result):
    ok(result)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_format_to_stdout_file_and_folder(run, name):
    args, tables, columns, formats = COMMANDS[name]
    main_rows = len(
        strict(clean(run(*args, "--format", "json", *(["--table", tables[0]] if name != "diff" else []))).stdout)[
            tables[0]
        ]
    )
    for fmt in formats:
        shown = run(*args, "--format", fmt)
        if fmt == "xlsx":
            one_line_error(shown, 2, "--format xlsx writes a file")
        else:
            clean(shown)
            check_stdout(shown.stdout, fmt, columns, main_rows, name)
        target = f"out-{fmt}.{EXTENSION[fmt]}"
        # provenance beside a file that has no room for it: a CSV, a diff's text, the list of editions
        beside = [target + ".provenance.json"] if fmt in ("csv", "text") or (name, fmt) == ("editions", "json") else []
        for _ in range(2):  # the second time over the file it wrote
            written = clean(run(*args, "--format", fmt, "-o", target)).stdout.splitlines()
            assert written == [target] + beside
        check_file(Path(target), fmt, tables, columns, main_rows, None if fmt == "xlsx" else shown.stdout)
        folder = f"dir-{fmt}/"
        for _ in range(2):
            written = clean(run(*args, "--format", fmt, "-o", folder)).stdout.splitlines()
            assert written == [f"dir-{fmt}/manifest.json"] + [f"dir-{fmt}/{t}.{EXTENSION[fmt]}" for t in tables]
        check_folder(Path(folder), fmt, tables, columns)
        # a file the user made, or changed since wtcompare wrote it, is never replaced
        if fmt == "xlsx":
            book = openpyxl.Workbook()
            book.active["A1"] = "my own workbook"
            book.save(target)
        else:
            Path(target).write_bytes(Path(target).read_bytes() + b"\nmy note\n")
        one_line_error(run(*args, "--format", fmt, "-o", target), 1, "was not written by wtcompare")
        mine = Path(folder) / f"{tables[0]}.{EXTENSION[fmt]}"
        mine.write_bytes(mine.read_bytes() + b"\nmy note\n")
        one_line_error(run(*args, "--format", fmt, "-o", folder), 1, "is not a file wtcompare wrote there")


def check_stdout(text: str, fmt: str, columns: str, rows: int, name: str) -> None:
    if fmt == "json":
        data = strict(text)
        provenance = data["provenance"] if isinstance(data, dict) else None
        assert name == "editions" or provenance["wtcompare"] == __version__
    elif fmt == "csv":
        frame = pd.read_csv(io.StringIO(text))
        assert ",".join(frame.columns) == columns and len(frame) == rows  # one table, no provenance rows
    elif fmt == "table":
        assert text.splitlines()[-1].startswith(f"provenance: wtcompare {__version__}")
    else:
        assert text.startswith("## ")


def check_file(path: Path, fmt: str, tables: list[str], columns: str, rows: int, stdout: str | None) -> None:
    if fmt == "xlsx":
        sheets = pd.read_excel(path, sheet_name=None)
        assert list(sheets) == tables + ["provenance"]
        assert ",".join(sheets[tables[0]].columns) == columns and len(sheets[tables[0]]) == rows
        assert list(sheets["provenance"].columns) == ["field", "value"]
        provenance = dict(zip(sheets["provenance"]["field"], sheets["provenance"]["value"], strict=True))
        assert provenance["wtcompare"] == __version__
        return
    assert path.read_text(encoding="utf-8") == stdout  # the same as printed, to the byte
    if fmt == "csv":
        frame = pd.read_csv(path)
        assert ",".join(frame.columns) == columns and len(frame) == rows
        sidecar = strict(Path(f"{path}.provenance.json").read_text(encoding="utf-8"))
        assert sidecar["file"] == path.name and sidecar["table"] == tables[0]
        assert sidecar["sha256"] == sha256_file(path) and sidecar["provenance"]["wtcompare"] == __version__


def check_folder(folder: Path, fmt: str, tables: list[str], columns: str) -> None:
    manifest = strict((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == f"wtcompare {__version__}" and manifest["provenance"]["wtcompare"] == __version__
    assert [f["table"] for f in manifest["files"]] == tables
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["manifest.json"] + [f["file"] for f in manifest["files"]]
    )
    for entry in manifest["files"]:
        path = folder / entry["file"]
        assert sha256_file(path) == entry["sha256"]
        if fmt == "csv":
            frame = pd.read_csv(path)
            assert (len(frame), list(frame.columns)) == (entry["rows"], entry["columns"])
        elif fmt == "json":
            data = strict(path.read_text(encoding="utf-8"))
            assert list(data) == ["provenance", entry["table"]] and len(data[entry["table"]]) == entry["rows"]
        elif fmt == "xlsx":
            assert openpyxl.load_workbook(path).sheetnames == [entry["table"], "provenance"]
        if entry["table"] == tables[0] and fmt in ("csv", "json"):
            assert ",".join(entry["columns"]) == columns


def test_tables_picked_with_table_and_json_everywhere_strict(run):
    # each table of a command with several, picked with --table, is one CSV for pandas
    for name, (args, tables, _, _) in COMMANDS.items():
        if name == "diff":
            continue
        for table in tables:
            frame = pd.read_csv(io.StringIO(clean(run(*args, "--format", "csv", "--table", table)).stdout))
            picked = strict(clean(run(*args, "--format", "json", "--table", table)).stdout)
            assert list(picked) == ["provenance", table] and len(picked[table]) == len(frame)
        one_line_error(
            run(*args, "--format", "csv", "--table", "nothing-of-the-kind"),
            2,
            "--table 'nothing-of-the-kind'",
            ", ".join(tables),
        )
    # the sections of 2008 have pages of None: null in JSON, never NaN
    text = clean(run("sections", "sample-2008", "--format", "json")).stdout
    assert "NaN" not in text and strict(text)["sections"][0]["page"] is None


def test_files_that_are_not_ours_are_not_overwritten(run):
    Path("mine").mkdir()
    Path("mine/manifest.json").write_text('{"my": "notes"}')
    one_line_error(run("scan", "--format", "csv", "-o", "mine/"), 1, "manifest.json", "not written by wtcompare")
    assert Path("mine/manifest.json").read_text() == '{"my": "notes"}' and not Path("mine/counts.csv").exists()
    Path("c.csv.provenance.json").write_text("notes")
    one_line_error(run("scan", "--format", "csv", "-o", "c.csv"), 1, "c.csv.provenance.json")
    assert not Path("c.csv").exists()
    Path("mine.html").write_text("<p>my page</p>")
    one_line_error(run("timeline", "-o", "mine.html"), 1, "mine.html", "not a wtcompare report")
    # a folder given to a report gets the default name inside it
    assert (
        clean(run("report", "sample-2002", "sample-2008", "-o", "mine/", "--date", "2026-01-01")).stdout
        == "mine/sample-2002-vs-sample-2008.html\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["scan", "--excluded"], "add --kwic"),
        (["keyness", "sample-2002", "sample-2021", "--by", "category", "--term", "must"], "with --by term"),
        (
            ["align", "sample-2002", "sample-2008", "--level", "paragraph", "--retention"],
            "use --level section or chapter",
        ),
        (["timeline", "--table", "rates"], "not of the html page"),
        (["timeline", "--format", "csv", "--export", "x"], "use -o DIR/"),
    ],
)
def test_options_that_cannot_go_together_are_usage_errors(run, args, message):
    one_line_error(run(*args), 2, message)


# Every option of every command, at least once (the output options above, these for the rest).
# Each entry: the command line and, where practical, the exact stdout expected ("" for none given).
SOURCE = str(SAMPLE / "sample-2002.txt")
OPTIONS = [
    (["--version"], f"wtcompare, version {__version__}\n"),
    (["--quiet", "--debug", "editions", "--format", "csv"], None),
    (["--no-cache", "sections", "sample-2002", "--format", "csv"], None),
    (
        [
            "--texts",
            "mine",
            "ingest",
            SOURCE,
            "--edition",
            "mine-2020",
            "--title",
            "Mine",
            "--year",
            "2020",
            "--date",
            "2020-05-01",
            "--publisher",
            "Me",
            "--kind",
            "official",
            "--licence",
            "CC0",
            "--ocr",
        ],
        f"ingested {SOURCE} as mine-2020 (sha256 {sha256_file(SOURCE)}) into mine\n",
    ),
    (
        ["--texts", "mine", "ingest", str(SAMPLE / "sample-2008.txt"), "--edition", "mine-2020", "--replace"],
        f"ingested {SAMPLE / 'sample-2008.txt'} as mine-2020 (sha256 {sha256_file(SAMPLE / 'sample-2008.txt')}) "
        "into mine\n",
    ),
    (["cache"], None),
    (["cache", "--clear"], None),
    (
        [
            "align",
            "sample-2008",
            "sample-2014",
            "--level",
            "chapter",
            "--pairs",
            "pairs.toml",
            "--retention",
            "--format",
            "csv",
        ],
        None,
    ),
    (
        [
            "scan",
            "sample-2002",
            "--lexicon",
            LEXICON,
            "--term",
            "partner*",
            "--kwic",
            "--excluded",
            "--stats",
            "--include-samples",
            "--format",
            "json",
        ],
        None,
    ),
    (["scan", "sample-2008", "--no-headings", "--no-footnotes", "--format", "csv"], None),
    (["keyness", "sample-2008", "sample-2014", "--no-headings", "--no-footnotes", "--format", "csv"], None),
    (["collocates", "partner*", "sample-2008", "--no-headings", "--no-footnotes", "--format", "csv"], None),
    (
        [
            "report",
            "sample-2002",
            "sample-2008",
            "-o",
            "counted.html",
            "--no-headings",
            "--no-footnotes",
            "--date",
            "2026-01-01",
        ],
        "counted.html\n",
    ),
    (["timeline", "sample-2002", "sample-2008", "--no-headings", "--no-footnotes", "--format", "csv"], None),
    (
        [
            "keyness",
            "sample-2002",
            "sample-2021",
            "--lexicon",
            LEXICON,
            "--term",
            "must",
            "--by",
            "term",
            "--format",
            "json",
        ],
        None,
    ),
    (
        [
            "collocates",
            "partner*",
            "sample-2002",
            "sample-2008",
            "--window",
            "3",
            "--min-count",
            "1",
            "--stopwords",
            "--pooled",
            "--include-samples",
            "--format",
            "json",
        ],
        None,
    ),
    (["lexicon", "evaluate", "--sentences", NORTHVALE, "--lexicon", LEXICON, "--format", "json"], None),
    (["diff", "sample-2014", "sample-2021", "--unit", "ch1/1.1", "--format", "json"], None),
    (
        [
            "report",
            "sample-2008",
            "sample-2014",
            "-o",
            "r.html",
            "--lexicon",
            LEXICON,
            "--term",
            "partnership*",
            "--date",
            "2026-01-01",
            "--pairs",
            "pairs.toml",
            "--export",
            "exported",
        ],
        "r.html\n",
    ),
    (
        [
            "timeline",
            "sample-2002",
            "sample-2021",
            "-o",
            "t.html",
            "--lexicon",
            LEXICON,
            "--term",
            "must",
            "--date",
            "2026-01-01",
            "--include-samples",
            "--export",
            "timeline-exported",
            "--format",
            "html",
        ],
        "t.html\n",
    ),
    (
        ["check", "claims.toml", "--lexicon", LEXICON, "--format", "html", "-o", "claims.html", "--date", "2026-01-01"],
        "claims.html\n",
    ),
    (["check", "claims.toml", "--format", "json"], None),
    (
        [
            "site",
            "site-out",
            "sample-2002",
            "sample-2021",
            "--pair",
            "sample-2021",
            "sample-2002",
            "--claims",
            "claims.toml",
            "--lexicon",
            LEXICON,
            "--date",
            "2026-01-01",
            "--include-samples",
        ],
        "site-out/index.html\n12 pages: 12 built, 0 unchanged; 112 files; 0 deleted\n",
    ),
]
CHECK_BUNDLED = [["check", "--bundled", "--format", "table"]]  # exit 3 here: no official text is available
FETCH = [["fetch", "wt"], ["fetch", "wt", "--update"]]  # run against a local server below
GOVUK = [
    ["fetch", "--list", PAGE, "--format", "json"],  # run against a local Content API below
    [
        "fetch",
        "--page",
        PAGE,
        "--attachment",
        "7001",
        "--edition",
        "wt2030-pdf",
        "--title",
        "Fictional guide",
        "--year",
        "2030",
        "--date",
        "2030-01-02",
        "--publisher",
        "Fictional",
        "--kind",
        "official",
        "--licence",
        "CC0",
    ],
    ["fetch", "--check"],
]


def test_every_option_of_every_command(run, tmp_path):
    Path("pairs.toml").write_text(PAIRS_TOML)
    Path("claims.toml").write_text(CLAIMS_TOML)
    for args, expected in OPTIONS:
        env = {}
        if args[0] == "cache":
            env["WTCOMPARE_CACHE"] = str(tmp_path / "own-cache")  # not the suite's cache
        result = clean(run(*args, env=env))
        if expected is not None:
            assert result.stdout == expected
        if "json" in args:
            strict(result.stdout)
        elif "csv" in args:
            pd.read_csv(io.StringIO(result.stdout))
    assert re.fullmatch(
        r"deleted \d+ cache entries\n.*: 0 entries, 0\.0 MB\n",
        run("cache", "--clear", env={"WTCOMPARE_CACHE": str(tmp_path / "own-cache")}).stdout,
    )
    assert {p.name for p in Path("exported").iterdir()} >= {"manifest.json", "keyness-categories.csv"}
    page = Path("t.html").read_text(encoding="utf-8")
    assert "Ad-hoc terms (each counted on its own" in page and "<td>&emsp;must</td>" in page


def test_check_bundled_option(run):
    for args in CHECK_BUNDLED:
        result = run(*args)
        assert result.exit_code == 3 and result.stderr == "" and "cannot check" in result.stdout


def test_fetch_options(run, texts):  # noqa: F811  (the fixture imported from test_fetch)
    for args in FETCH:
        clean(run("--texts", str(texts), *args))


def test_fetch_options_of_govuk_pages(run, tmp_path, site):  # noqa: F811  (the fixture from test_fetch_govuk)
    folder = tmp_path / "govuk-texts"
    strict(clean(run("--texts", str(folder), *GOVUK[0])).stdout)
    assert clean(run("--texts", str(folder), *GOVUK[1])).stdout.startswith("downloaded wt2030-pdf:")
    assert clean(run("--texts", str(folder), *GOVUK[2])).stdout.startswith("unchanged wt2030-pdf:")


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,), command


def _used() -> dict[tuple[str, ...], set[str]]:
    """The options each command line uses, by command path; the group's own options under ()."""
    # the format tests give every command --format and -o, and --table to those that have it
    lines = (
        [args for args, _ in OPTIONS]
        + FETCH
        + GOVUK
        + CHECK_BUNDLED
        + [
            args + ["--format", "csv", "-o", "x/"] + (["--table", tables[0]] if args[0] != "diff" else [])
            for args, tables, _, _ in COMMANDS.values()
        ]
    )
    used: dict[tuple[str, ...], set[str]] = {}
    for args in lines:
        path: tuple[str, ...] = ()
        skip = False
        for token in args:
            if skip:
                skip = False
            elif token.startswith("-"):
                used.setdefault(path, set()).add(token)
                skip = token == "--texts" and not path
            elif not path or (path == ("lexicon",)):
                path += (token,)
    return used


def test_the_option_tests_cover_every_option():
    used = _used()
    missing = [
        f"{' '.join(path) or 'wtcompare'} {param.opts[0]}"
        for path, command in [((), cli)] + list(_commands(cli))
        for param in command.params
        if isinstance(param, click.Option) and not set(param.opts) & used.get(path, set())
    ]
    assert missing == []


@pytest.mark.parametrize("command, table", [(("scan", "--kwic"), "kwic"), (("scan",), "rows"), (("align",), "pairs")])
def test_json_records_have_every_field_the_readmes_contract_shows(run, command, table):
    """README, "JSON contracts": each field its example shows for a table's records is in the
    command's JSON (fields may be added, none dropped)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"`wtcompare " + command[0] + r" [^`]*--format json[^`]*`:\n\n```json\n(.*?)```", readme, re.S)
    assert example, f"no JSON example for {command[0]}"
    text = example.group(1)
    start = text.index(f'"{table}": [{{') + len(f'"{table}": [{{')
    depth, promised = 1, set()  # the keys of the table's first record, not those of records nested in it
    for m in re.finditer(r'[{}\[\]]|"(\w+)":', text[start:]):
        if m.group(1):
            promised |= {m.group(1)} if depth == 1 else set()
        else:
            depth += 1 if m.group() in "{[" else -1
            if depth == 0:
                break
    args = (
        [*command, "sample-2002", "sample-2008", "--format", "json"]
        if command[0] == "align"
        else [*command, "sample-2002", "--format", "json"]
    )
    records = json.loads(ok(run(*args)).stdout)[table]
    assert promised and promised <= set(records[0]), promised - set(records[0])


def test_a_table_shows_a_missing_value_blank_not_nan(run):
    shown = ok(run("editions", "--format", "table")).stdout
    assert "wt1988" in shown and not re.search(r"\bNaN\b|\bNone\b", shown)


@pytest.mark.parametrize("history", ["fresh", "one run before", "interrupted twice"])
@pytest.mark.parametrize("stop_at", range(1, 10))
def test_an_export_interrupted_at_any_write_can_be_written_again(tmp_path, monkeypatch, stop_at, history):
    """-o DIR/ writes the manifest before and after each file: wherever an interrupt (or a failed
    write) falls, the manifest describes what is in the folder, and the next run replaces it all
    (before, an interrupted run left files no manifest listed, which every later run refused). The
    runs before it: none, one complete run, or one complete run and two interrupted ones."""
    from wtcompare import output as output_module
    from wtcompare.output import Output, write_folder
    from wtcompare.provenance import provenance

    def tables(version: int) -> Output:
        frames = {name: pd.DataFrame({"a": [version, 2]}) for name in ("counts", "kwic", "uncertain")}
        return Output(frames, provenance([], None, {"version": version}, "scan"))

    def interrupted_run(version: int, at: int) -> None:
        real, calls = output_module.atomic_write, []

        def write(path, data):
            calls.append(path)
            if len(calls) == at:
                raise KeyboardInterrupt
            return real(path, data)

        monkeypatch.setattr(output_module, "atomic_write", write)
        with pytest.raises(KeyboardInterrupt):
            write_folder(folder, tables(version))
        monkeypatch.undo()

    folder = tmp_path / "out"
    folder.mkdir()
    if history != "fresh":
        write_folder(folder, tables(1))
    if history == "interrupted twice":
        interrupted_run(2, 2)
        interrupted_run(3, 2)
    interrupted_run(4, stop_at)
    if (folder / "manifest.json").exists():
        for entry in json.loads((folder / "manifest.json").read_text())["files"]:
            if (folder / entry["file"]).exists():  # what the manifest says is there: new, or what it replaces
                assert sha256_file(folder / entry["file"]) in {entry["sha256"], entry.get("replaces")}
    write_folder(folder, tables(5))
    assert pd.read_csv(folder / "kwic.csv")["a"].tolist() == [5, 2]


def _listed(folder: Path) -> dict[str, str]:
    return {e["file"]: e["sha256"] for e in json.loads((folder / "manifest.json").read_text())["files"]}


def test_one_table_written_into_a_full_export_of_the_same_run_keeps_the_others_listed(run, tmp_path):
    """-o DIR/ --table NAME into a folder holding a full export of the same inputs: the manifest
    lists every table the folder holds (it listed only NAME, and the next full export refused the
    others as files wtcompare did not write)."""
    args = ("align", "sample-2002", "sample-2008", "--format", "csv", "-o", "out/")
    ok(run(*args))
    everything = _listed(tmp_path / "out")
    (tmp_path / "out" / "retention.csv").unlink()
    ok(run(*args, "--table", "retention"))
    assert _listed(tmp_path / "out") == everything == {f: sha256_file(tmp_path / "out" / f) for f in everything}
    (tmp_path / "out" / "pairs.csv").write_text("mine\n")  # a user's edit: theirs now, no longer listed
    ok(run(*args, "--table", "uncertain"))
    assert set(_listed(tmp_path / "out")) == {"uncertain.csv", "retention.csv"}


def test_one_table_of_other_inputs_into_a_full_export_is_refused_and_changes_nothing(run, tmp_path):
    ok(run("align", "sample-2002", "sample-2008", "--format", "csv", "-o", "out/"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    other = ("align", "sample-2002", "sample-2008", "--level", "chapter", "--format", "csv", "-o", "out/")
    one_line_error(
        run(*other, "--table", "retention"), 1, "out: holds tables of another run", "pairs.csv, uncertain.csv"
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    ok(run(*other))  # written in full, it replaces the export
    assert _listed(tmp_path / "out") == {f: sha256_file(tmp_path / "out" / f) for f in before if f != "manifest.json"}


def test_a_manifest_naming_files_outside_its_folder_keeps_none_of_them(tmp_path):
    from wtcompare.output import Output, write_folder
    from wtcompare.provenance import provenance

    output = Output({n: pd.DataFrame({"a": [1]}) for n in ("counts", "kwic")}, provenance([], None, {}, "scan"))
    folder = tmp_path / "out"
    folder.mkdir()
    write_folder(folder, output)
    (tmp_path / "secret.csv").write_text("a\n1\n")
    (folder / "link.csv").symlink_to(tmp_path / "secret.csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    outside = sha256_file(tmp_path / "secret.csv")
    manifest["files"] += [
        {"file": name, "sha256": outside} for name in ("../secret.csv", "link.csv", str(tmp_path / "secret.csv"))
    ]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    write_folder(folder, output, table="kwic")
    assert set(_listed(folder)) == {"counts.csv", "kwic.csv"}


def test_a_full_export_of_other_options_replaces_the_earlier_one_and_another_commands_is_refused(run, tmp_path):
    """`scan --kwic -o out/` then `scan -o out/`: the second export replaces the first, its tables
    the second does not write (ours, unchanged) deleted, so the manifest describes the folder (it
    was refused, and before that left them listed nowhere). Another command's export there is
    refused: one folder holds one export."""
    ok(run("scan", "sample-2002", "--kwic", "--format", "csv", "-o", "out/"))
    assert {"kwic.csv", "uncertain.csv"} <= set(_listed(tmp_path / "out"))
    ok(run("scan", "sample-2002", "--format", "csv", "-o", "out/"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["counts.csv", "manifest.json"]
    assert _listed(tmp_path / "out") == {"counts.csv": sha256_file(tmp_path / "out" / "counts.csv")}
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    other = run("align", "sample-2002", "sample-2008", "--format", "csv", "-o", "out/")
    one_line_error(other, 1, "out: holds the export of another command (scan: counts.csv)")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_a_manifest_entry_of_the_wrong_shape_is_never_kept(tmp_path):
    """A manifest naming a folder with no SHA-256, or a file by a list, lists neither again."""
    from wtcompare.output import Output, write_folder
    from wtcompare.provenance import provenance

    output = Output({n: pd.DataFrame({"a": [1]}) for n in ("counts", "kwic")}, provenance([], None, {}, "scan"))
    folder = tmp_path / "out"
    folder.mkdir()
    write_folder(folder, output)
    (folder / "sub").mkdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"] += [{"file": "sub", "sha256": None}, {"file": ["kwic.csv"], "sha256": "x"}]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    write_folder(folder, output, table="kwic")
    assert set(_listed(folder)) == {"counts.csv", "kwic.csv"}


def test_an_export_refused_deletes_nothing_and_only_names_an_export_writes_are_ever_deleted(tmp_path):
    """A full export that replaces an earlier one deletes that export's stale tables only once every
    file it writes is known to be replaceable (a review found them deleted, then the run refused
    for a table the user had changed); and a manifest listing a file an export never writes
    ("thesis.docx", even with its SHA-256) never has it deleted."""
    from wtcompare.output import Output, write_folder
    from wtcompare.provenance import provenance

    def export(names, version):
        return Output({n: pd.DataFrame({"a": [version]}) for n in names}, provenance([], None, {"v": version}, "scan"))

    folder = tmp_path / "out"
    folder.mkdir()
    write_folder(folder, export(("counts", "kwic", "uncertain"), 1))
    (folder / "counts.csv").write_text("my own edit\n")
    with pytest.raises(WtcompareError, match="counts.csv: exists and is not a file wtcompare wrote"):
        write_folder(folder, export(("counts",), 2))
    assert sorted(p.name for p in folder.iterdir()) == ["counts.csv", "kwic.csv", "manifest.json", "uncertain.csv"]
    (folder / "thesis.docx").write_text("a chapter\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"].append({"file": "thesis.docx", "sha256": sha256_file(folder / "thesis.docx")})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "counts.csv").unlink()
    write_folder(folder, export(("counts",), 2))
    assert sorted(p.name for p in folder.iterdir()) == ["counts.csv", "manifest.json", "thesis.docx"]
