"""The ``wtcompare`` command: a thin shell over the library, one short function per command.

Errors print one line on stderr and exit 2 (usage) or 1 (failure); ``--debug`` shows the traceback.
Each command imports the parts of the library it uses (and pandas, numpy, scipy, jinja2, httpx with
them) when it runs, so the command line starts in a tenth of a second and a quick command never
waits for a heavy library it does not use.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__, cache, progress
from .align import LEVELS, align, align_levels, load_aligner
from .entry import interrupted, say_interrupted
from .errors import UsageError, WtcompareError, shorten
from .lexicon import load_lexicon
from .lexicon import overlaps as lexicon_overlaps
from .model import check_date
from .output import FORMATS, Output, check_table, emit, is_folder, records, report_target
from .overrides import load_overrides
from .provenance import file_option, provenance
from .registry import Registry
from .text import printable

if TYPE_CHECKING:  # annotations only
    from .fetch import Fetched
    from .model import Document
    from .outline import EditionText
    from .scan import ScanOptions

Command = TypeVar("Command", bound=Callable[..., Any])  # a command function, before click wraps it

ATTACHMENT_COLUMNS = ["id", "title", "attachment_type", "content_type", "filename", "number_of_pages", "url"]


def _outputs(
    formats: tuple[str, ...] = FORMATS, default: str = "table", tables: bool = True
) -> Callable[[Command], Command]:
    """The options every printing command shares: --format, -o FILE or DIR/, and --table."""

    def decorate(command: Command) -> Command:
        command = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=True,
            help="csv: one table (the main one, or --table); json: every table and the "
            "provenance; xlsx: a workbook (needs -o).",
        )(command)
        command = click.option(
            "-o",
            "--output",
            type=click.Path(),
            callback=_path,
            metavar="FILE|DIR/",
            help="Write to FILE (a CSV gets FILE.provenance.json beside it), or every table "
            "into DIR/ with a manifest.json.",
        )(command)
        if tables:
            command = click.option(
                "--table", "table", metavar="NAME", help="The table to print or write (default: the main one)."
            )(command)
        return command

    return decorate


# the tables of `timeline` in the order `--format json` writes them (the chapters only when aligned)
TIMELINE_TABLES = ("rates", "span", "changes", "chapters")


def _emit(output: Output, fmt: str, target: str | None, table: str | None = None) -> None:
    text, written = emit(output, fmt, target, table)
    if text is not None:
        click.echo(text, nl=False)
    for path in written:
        click.echo(str(path))


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--date: an ISO date that exists in the calendar, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return check_date(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def _path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """-o: a path that names something (an empty one names no file)."""
    if value is not None and not str(value).strip():
        raise click.BadParameter("an empty path; name a file or folder", ctx, param)
    return value


def _utf8(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A registry field from the command line: text that can be written (an argument in bytes
    that are not UTF-8 arrives with surrogates in it, which no file can hold)."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise click.BadParameter("is not valid UTF-8 text", ctx, param) from None
    return value


class _Group(click.Group):
    """Turns every error into one line on stderr and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line and exit with its code. Takes click's parameters (its test runner passes
        them) but always runs standalone: only ``prog_name`` is used."""
        args = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in args or bool(os.environ.get("WTCOMPARE_DEBUG"))
        try:
            with progress.gc_paused():
                self.make_context_and_invoke(args, prog_name)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            say_interrupted()
            sys.exit(130)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            ctx = getattr(exc, "ctx", None)  # a usage error knows its command; other click errors do not
            hint = f" (see '{ctx.command_path} --help')" if ctx else ""
            _say(f"wtcompare: error: {exc.format_message()}{hint}")
            sys.exit(exc.exit_code)
        except WtcompareError as exc:
            if debug:
                traceback.print_exc()
            _say(f"wtcompare: error: {exc}")
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a bug: say so in one line, traceback on request
            if interrupted():  # an interrupt a library turned into another error
                say_interrupted()
                sys.exit(130)
            if debug:
                traceback.print_exc()
            problem = f"{type(exc).__name__}: {shorten(str(exc), 300)}"
            _say(f"wtcompare: internal error: {problem} (run with --debug for details)")
            sys.exit(1)

    def make_context_and_invoke(self, args: list[str], prog_name: str | None) -> Any:
        try:
            with self.make_context(prog_name or "wtcompare", args) as ctx:
                return self.invoke(ctx)
        finally:
            progress.finish()


def counting_options(function: Command) -> Command:
    """--no-headings and --no-footnotes, for every command that counts."""
    function = click.option("--no-footnotes", is_flag=True, help="Do not count footnotes.")(function)
    return click.option("--no-headings", is_flag=True, help="Do not count section headings.")(function)


def _counting(no_headings: bool, no_footnotes: bool) -> ScanOptions:
    from .scan import ScanOptions

    return ScanOptions(headings=not no_headings, footnotes=not no_footnotes)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="wtcompare")
@click.option(
    "--texts",
    "texts",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="WTCOMPARE_TEXTS",
    help="Folder with editions.toml and texts (default: ./texts if present, else the bundled sample).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (shown only on a terminal, after ~2 s).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of parsed documents.")
@click.pass_context
def cli(ctx: click.Context, texts: Path | None, debug: bool, quiet: bool, no_cache: bool) -> None:
    """Compare editions of 'Working Together to Safeguard Children'."""
    cache.use(not no_cache)
    if not quiet and sys.stderr.isatty():
        progress.enable()
    ctx.obj = {"texts": texts}


def _registry(ctx: click.Context) -> Registry:
    if "registry" not in ctx.obj:
        ctx.obj["registry"] = Registry(ctx.obj["texts"])
    return ctx.obj["registry"]


def _load(ctx: click.Context, edition_id: str) -> Document:
    document = _registry(ctx).load(edition_id)
    _warn(document.warnings)
    return document


def _warned(text: EditionText) -> EditionText:
    """An edition's text as the timeline takes it (`Registry.texts`), its warnings printed."""
    _warn(text.outline().warnings)
    return text


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        _say(f"wtcompare: warning: {warning}")


def _say(message: str) -> None:
    """One line on stderr: a message may quote a file's text or a registry's title, whose line
    breaks would split it and whose control characters would act on the terminal."""
    click.echo(printable(" ".join(message.splitlines())), err=True)


def _two(ctx: click.Context, a: str, b: str, *modules: str, aligner: bool = True) -> tuple[Document, Document]:
    """Editions ``a`` and ``b``, loaded while this process imports ``modules`` and, for a command
    that aligns them, the aligner (`Registry.load_many`). The aligner (SciPy, a third of a second)
    is left to be imported when needed if the cache holds both editions: their alignment is likely
    stored too, and reading it needs no SciPy."""
    if a == b:
        raise UsageError(f"cannot compare edition {a!r} with itself; give two different editions")
    registry = _registry(ctx)

    def stored() -> bool:
        try:
            return registry.stored(a) and registry.stored(b)
        except WtcompareError:  # the loading says what is wrong with the edition, in its turn
            return False

    def meanwhile() -> None:
        # asked first: once the workers have loaded the editions, the cache holds them either way
        needed = aligner and not stored()
        _importing(*modules)()
        if needed:
            load_aligner()

    doc_a, doc_b = _loaded(ctx, [a, b], meanwhile)
    return doc_a, doc_b


def _loaded(ctx: click.Context, ids: list[str], meanwhile: Callable[[], object] = lambda: None) -> list[Document]:
    """`Registry.load_many`, each edition's warnings printed as it is taken (before a later
    edition's error), while the main process shows that it is loading."""
    with progress.stage("load", f"{len(ids)} editions" if len(ids) > 1 else ids[0] if ids else ""):
        return _registry(ctx).load_many(ids, meanwhile, lambda document: _warn(document.warnings))


def _importing(*modules: str) -> Callable[[], None]:
    """What imports ``modules``: a command's own imports, made while its editions load."""

    def run() -> None:
        for module in modules:
            importlib.import_module(module)

    return run


def _series(
    ctx: click.Context, ids: tuple[str, ...], include_samples: bool, meanwhile: Callable[[], object]
) -> list[Document]:
    """The editions of a series, loaded (`Registry.load_many`), in publication order (see `Registry.series`)."""
    return _loaded(ctx, [e.id for e in _registry(ctx).series(ids, include_samples)], meanwhile)


INCLUDE_SAMPLES = click.option(
    "--include-samples",
    is_flag=True,
    help="Put the fictional sample editions in one series with official or your own editions (never done otherwise).",
)


@cli.command()
@_outputs()
@click.pass_context
def editions(ctx: click.Context, fmt: str, output: str | None, table: str | None) -> None:
    """List the editions in the registry, in publication order."""
    frame = _registry(ctx).to_frame()
    frame["available"] = frame["source"].fillna("").astype(bool)  # a registry may blank a source with ""
    if fmt == "table":  # the columns that fit a terminal
        frame = frame[["id", "year", "date", "kind", "version_of", "available", "title"]]
    _emit(Output({"editions": frame}, provenance([], None, {}, "editions"), payload=records(frame)), fmt, output, table)


def _edition_metadata(command: Command) -> Command:
    """The registry fields that ``ingest`` and ``fetch --page`` take from the command line."""
    for option in reversed(
        [
            click.option("--title", callback=_utf8),
            click.option("--year", type=click.IntRange(1, 9999)),
            click.option("--date", callback=_date, help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."),
            click.option("--publisher", callback=_utf8),
            click.option("--kind", type=click.Choice(["official", "sample"])),
            click.option("--licence", callback=_utf8),
        ]
    ):
        command = option(command)
    return command


@cli.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--edition", "edition_id", required=True, help="Edition id: lowercase letters, digits, hyphens.")
@_edition_metadata
@click.option("--replace", is_flag=True, help="Replace the text of an edition that already has one.")
@click.option("--ocr", is_flag=True, help="Read scanned PDF pages with Tesseract OCR.")
@click.pass_context
def ingest(
    ctx: click.Context, file: Path, edition_id: str, replace: bool, ocr: bool, **metadata: str | int | None
) -> None:
    """Add your own copy of an edition (PDF, HTML, DOCX, text or Markdown) to the registry."""
    registry = Registry(ctx.obj["texts"] or Path("texts"), create=True)
    edition, changed = registry.ingest(file, edition_id, replace_existing=replace, ocr=ocr, **metadata)
    if changed:
        click.echo(f"ingested {file} as {edition.id} (sha256 {edition.sha256}) into {registry.texts_dir}")
    else:
        click.echo(f"{file} is already ingested as {edition.id}; nothing to do")


@cli.command()
@click.argument("edition_id")
@_outputs()
@click.pass_context
def sections(ctx: click.Context, edition_id: str, fmt: str, output: str | None, table: str | None) -> None:
    """List the sections of an edition with their stable ids; words are tokens, as in every count."""
    document = _load(ctx, edition_id)
    _emit(
        Output({"sections": document.sections_frame()}, provenance([document], None, {}, "sections")),
        fmt,
        output,
        table,
    )


@cli.command(name="align")
@click.argument("a")
@click.argument("b")
@click.option("--level", type=click.Choice(LEVELS), default="section", show_default=True)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file of pairs to pin ([[pin]]) or forbid ([[forbid]]).",
)
@click.option("--retention", is_flag=True, help="Show where each unit's words went instead of the pairs.")
@_outputs()
@click.pass_context
def align_command(
    ctx: click.Context,
    a: str,
    b: str,
    level: str,
    pairs_file: Path | None,
    retention: bool,
    fmt: str,
    output: str | None,
    table: str | None,
) -> None:
    """Align two editions: which unit of A became which unit of B (uncertain pairs listed after).
    Tables: pairs (main), uncertain, retention (main with --retention)."""
    if retention and level == "paragraph":
        raise UsageError(
            "--retention says where the words of each section or chapter went: use --level section "
            "or chapter (at paragraph level, 'retained' on each pair says how many words were kept)"
        )
    overrides = load_overrides(pairs_file) if pairs_file else None
    documents = _two(ctx, a, b)
    alignment = align(*documents, level=level, overrides=overrides)
    pairs = alignment.to_frame()
    uncertain = pairs[pairs["uncertain"]]
    main = "retention" if retention else "pairs"
    _emit(
        Output(
            {"pairs": pairs, "uncertain": uncertain, "retention": alignment.retention()},
            provenance(list(documents), None, {"level": level, "pairs": file_option(pairs_file)}, "align"),
            main=main,
            show=("pairs", "uncertain") if main == "pairs" and len(uncertain) else (main,),
            captions={
                "uncertain": f"Uncertain pairs ({len(uncertain)}): check these by hand, or pin or forbid "
                "them with --pairs"
            },
            payload=alignment.to_dict(),
        ),
        fmt,
        output,
        table,
    )


@cli.command(name="scan")
@click.argument("ids", nargs=-1)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to count (repeatable), e.g. 'partner*'.")
@click.option(
    "--kwic", is_flag=True, help="Also list every counted occurrence in context, and the uncertain ones apart."
)
@click.option("--excluded", is_flag=True, help="With --kwic: also the matches a context rule excluded, with the rule.")
@click.option("--stats", is_flag=True, help="Add share of sections and Gries' DP to the counts.")
@INCLUDE_SAMPLES
@counting_options
@_outputs()
@click.pass_context
def scan_command(
    ctx: click.Context,
    ids: tuple[str, ...],
    lexicon_path: Path | None,
    terms: tuple[str, ...],
    kwic: bool,
    excluded: bool,
    stats: bool,
    include_samples: bool,
    no_headings: bool,
    no_footnotes: bool,
    fmt: str,
    output: str | None,
    table: str | None,
) -> None:
    """Count lexicon terms in editions (every edition with a local text when none are given, samples
    apart). Tables: counts (main), kwic (with --kwic)."""
    if excluded and not kwic:
        raise UsageError("--excluded lists excluded matches in the kwic table: add --kwic")
    documents = _series(ctx, ids, include_samples, _importing("wtcompare.scan", "wtcompare.stats"))
    from .scan import scan as scan_documents
    from .stats import frequencies

    counting = _counting(no_headings, no_footnotes)
    result = scan_documents(documents, load_lexicon(lexicon_path), list(terms), counting)
    rows = frequencies(documents, result) if stats else result.rows
    listed = result.evidence(excluded) if kwic else {}
    tables = {"counts": rows, **listed}
    options = {
        "terms": list(terms),
        "kwic": kwic,
        "excluded": excluded,
        "stats": stats,
        "include_samples": include_samples,
        "counted": counting.describe(),
    }
    source = provenance(documents, result.lexicon, options, "scan")
    # the documented contract: "lexicon" (as in the provenance), "rows", "kwic" and "uncertain"
    _emit(
        Output(
            tables,
            source,
            payload={
                "lexicon": source["lexicon"],
                "rows": records(rows),
                **{name: records(frame) for name, frame in listed.items()},
            },
        ),
        fmt,
        output,
        table,
    )


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to test (repeatable), e.g. 'partner*'.")
@click.option("--by", type=click.Choice(["term", "category"]), default="term", show_default=True)
@counting_options
@_outputs()
@click.pass_context
def keyness(
    ctx: click.Context,
    a: str,
    b: str,
    lexicon_path: Path | None,
    terms: tuple[str, ...],
    by: str,
    no_headings: bool,
    no_footnotes: bool,
    fmt: str,
    output: str | None,
    table: str | None,
) -> None:
    """Log-likelihood (G2, p, Holm-adjusted p) and log ratio with its 95% interval of each term or
    category between editions A and B."""
    if terms and by == "category":
        raise UsageError("--term patterns are tested one by one with --by term; categories are the lexicon's own")
    documents = list(_two(ctx, a, b, "wtcompare.scan", "wtcompare.stats", aligner=False))
    from .scan import scan as scan_documents
    from .stats import keyness as stats_keyness

    counting = _counting(no_headings, no_footnotes)
    result = scan_documents(documents, load_lexicon(lexicon_path), list(terms), counting)
    _emit(
        Output(
            {"keyness": stats_keyness(result, a, b, by)},
            provenance(
                documents, result.lexicon, {"by": by, "terms": list(terms), "counted": counting.describe()}, "keyness"
            ),
        ),
        fmt,
        output,
        table,
    )


@cli.command()
@click.argument("node")
@click.argument("ids", nargs=-1)
@click.option(
    "--window", default=5, show_default=True, type=click.IntRange(min=1), help="Tokens either side of the node."
)
@click.option(
    "--min-count",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Leave out collocates seen fewer times.",
)
@click.option(
    "--stopwords",
    is_flag=True,
    help="Leave out English stop words (scikit-learn's list, shipped with wtcompare) as collocates.",
)
@click.option("--pooled", is_flag=True, help="Add collocates over all the editions together (edition '(pooled)').")
@INCLUDE_SAMPLES
@counting_options
@_outputs()
@click.pass_context
def collocates(
    ctx: click.Context,
    node: str,
    ids: tuple[str, ...],
    window: int,
    min_count: int,
    stopwords: bool,
    pooled: bool,
    include_samples: bool,
    no_headings: bool,
    no_footnotes: bool,
    fmt: str,
    output: str | None,
    table: str | None,
) -> None:
    """Words found near NODE (a pattern such as 'partner*') in each edition, with MI and signed
    log-likelihood (negative: rarer near the node than expected)."""
    documents = _series(ctx, ids, include_samples, _importing("wtcompare.stats"))
    from .stats import collocates as stats_collocates

    counting = _counting(no_headings, no_footnotes)
    options = {
        "node": node,
        "window": window,
        "min_count": min_count,
        "stopwords": stopwords,
        "pooled": pooled,
        "include_samples": include_samples,
        "counted": counting.describe(),
    }
    _emit(
        Output(
            {"collocates": stats_collocates(documents, node, window, min_count, stopwords, pooled, counting)},
            provenance(documents, None, options, "collocates"),
        ),
        fmt,
        output,
        table,
    )


@cli.group()
def lexicon() -> None:
    """Check a lexicon, or evaluate its sense rules on labelled sentences."""


@lexicon.command(name="check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_outputs()
def lexicon_check(file: Path, fmt: str, output: str | None, table: str | None) -> None:
    """Validate a lexicon file and list terms of different categories that can claim the same words."""
    import pandas as pd

    checked = load_lexicon(file)
    found = pd.DataFrame(
        lexicon_overlaps(checked), columns=["term", "category", "other_term", "other_category", "shared", "resolution"]
    )
    caption = (
        f"{file}: ok: {checked.id} version {checked.version}, {len(checked.categories)} categories, "
        f"{len(checked.terms)} terms, sha256 {checked.sha256}\n"
        f"{len(found)} overlapping term pair(s); each is resolved by the rule shown:"
    )
    _emit(
        Output({"overlaps": found}, provenance([], checked, {}, "lexicon check"), captions={"overlaps": caption}),
        fmt,
        output,
        table,
    )


@lexicon.command(name="evaluate")
@click.option(
    "--sentences",
    type=click.Path(dir_okay=False, path_type=Path),
    help="One labelled set (default: every development and blind set shipped with the package).",
)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@_outputs()
def lexicon_evaluate(
    sentences: Path | None, lexicon_path: Path | None, fmt: str, output: str | None, table: str | None
) -> None:
    """Precision and recall of each category, exact accuracy, and the sentences counted wrongly, per
    labelled set. Tables: accuracy (main), scores, errors."""
    from .senses import SentenceSet, evaluate_sets, shipped_sets

    chosen = [SentenceSet(sentences.stem, sentences, "given")] if sentences else shipped_sets()
    if not chosen:
        raise WtcompareError("no labelled sentence sets found; give one with --sentences FILE")
    checked = load_lexicon(lexicon_path)
    scores, accuracy, errors = evaluate_sets(chosen, checked)
    sets = {
        "sets": [
            {
                **a,
                "path": s.shown,
                "scores": records(scores[scores["set"] == s.name]),
                "errors": records(errors[errors["set"] == s.name]),
            }
            for s, a in zip(chosen, records(accuracy), strict=True)
        ]
    }
    options = {"sentences": file_option(sentences) if sentences else "shipped sets"}
    source = provenance([], checked, options, "lexicon evaluate")
    _emit(
        Output(
            {"accuracy": accuracy, "scores": scores, "errors": errors},
            source,
            payload={"lexicon": source["lexicon"], **sets},
        ),
        fmt,
        output,
        table,
    )


@cli.command(name="diff")
@click.argument("a")
@click.argument("b")
@click.option("--unit", help="Only the pair holding this section or paragraph id (of either edition).")
@_outputs(formats=("text", "csv", "json", "xlsx"), default="text", tables=False)
@click.pass_context
def diff_command(ctx: click.Context, a: str, b: str, unit: str | None, fmt: str, output: str | None) -> None:
    """Word-by-word differences, section by section: [-deleted-] and {+inserted+}."""
    documents = _two(ctx, a, b, "wtcompare.diff")
    from .diff import DELETE, INSERT, diff_frame, marked, section_diffs

    diffs = section_diffs(align_levels(*documents)["section"], unit)
    if unit and not diffs:
        raise UsageError(f"no section or paragraph {unit!r} in {a} or {b}; see 'wtcompare sections {a}'")
    colours = {DELETE: "red", INSERT: "green"}
    frame = diff_frame(diffs)
    # each pair: its ids and kind, its heading (its word diff), then its text's word diff
    plain = [
        f"{d.heading}\n{title}\n\n{text}\n"
        for d, title, text in zip(diffs, frame["heading"], frame["diff"], strict=True)
    ]

    def coloured(pieces: list) -> str:
        return marked(pieces, lambda op, t: click.style(t, fg=colours[op]))

    styled = [f"{click.style(d.heading, bold=True)}\n{coloured(d.title)}\n\n{coloured(d.pieces)}\n" for d in diffs]
    result = Output(
        {"diff": frame},
        provenance(list(documents), None, {"unit": unit}, "diff"),
        text="\n".join(plain),
    )
    if fmt == "text" and output is None:
        click.echo("\n".join(styled), nl=False)  # coloured on a terminal (click drops the colours elsewhere)
    else:
        _emit(result, fmt, output)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "-o", "--output", type=click.Path(), callback=_path, metavar="FILE|DIR/", help="Default: reports/A-vs-B.html"
)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to count (repeatable).")
@click.option(
    "--date", callback=_date, help="Date printed in the report (default today), YYYY-MM-DD, for reproducible output."
)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file of pairs to pin or forbid (see 'align --pairs').",
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the chart (SVG, PNG) and tables (CSV) into this folder, with a manifest.json.",
)
@counting_options
@click.pass_context
def report(
    ctx: click.Context,
    a: str,
    b: str,
    output: str | None,
    lexicon_path: Path | None,
    terms: tuple[str, ...],
    date: str | None,
    pairs_file: Path | None,
    export_dir: Path | None,
    no_headings: bool,
    no_footnotes: bool,
) -> None:
    """Write an HTML report comparing edition A with edition B."""
    doc_a, doc_b = _two(ctx, a, b, "wtcompare.report")
    from .report import pair_report, write_report

    target = report_target(output, f"{a}-vs-{b}.html")
    overrides = load_overrides(pairs_file) if pairs_file else None
    html = pair_report(
        doc_a,
        doc_b,
        load_lexicon(lexicon_path),
        list(terms),
        date,
        overrides,
        export_dir,
        _counting(no_headings, no_footnotes),
    )
    click.echo(str(write_report(target, html)))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to count (repeatable), e.g. 'partner*'.")
@click.option("--date", callback=_date, help="Date printed in the page (default today), YYYY-MM-DD.")
@INCLUDE_SAMPLES
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With html: also write the chart (SVG, PNG) and tables (CSV) into this folder, with a manifest.json.",
)
@counting_options
@_outputs(formats=("html",) + FORMATS, default="html")
@click.pass_context
def timeline(
    ctx: click.Context,
    ids: tuple[str, ...],
    lexicon_path: Path | None,
    terms: tuple[str, ...],
    date: str | None,
    include_samples: bool,
    export_dir: Path | None,
    no_headings: bool,
    no_footnotes: bool,
    fmt: str,
    output: str | None,
    table: str | None,
) -> None:
    """Vocabulary counts and rates across editions in publication order (every edition with a local
    text when none are given, samples apart): an HTML page (default reports/timeline.html), or the
    tables behind it: rates (main), span, changes, chapters (aligned only when asked for: --table
    chapters, json, xlsx or -o DIR/)."""
    from .report import timeline_data, timeline_report, timeline_tables, write_report
    from .scan import scan as scan_documents
    from .stats import timeline as stats_timeline

    # each edition is read when the timeline reads it, and let go after (the series is checked now)
    editions = _registry(ctx).series(ids, include_samples)
    counting = _counting(no_headings, no_footnotes)
    if fmt == "html":
        if table:
            raise UsageError("--table picks a table of --format table, csv, json or xlsx, not of the html page")
        target = report_target(output, "timeline.html")
        with _registry(ctx).texts([e.id for e in editions]) as texts:
            html = timeline_report(
                map(_warned, texts), load_lexicon(lexicon_path), date, export_dir, list(terms), counting
            )
        click.echo(str(write_report(target, html)))
        return
    if export_dir:
        raise UsageError("--export goes with --format html; for the tables as files use -o DIR/")
    if table is not None:
        check_table(table, TIMELINE_TABLES)
    documents = _loaded(ctx, [e.id for e in editions])  # the tables' provenance reads them again
    if table == "chapters" or (table is None and (fmt in ("json", "xlsx") or (output and is_folder(output)))):
        # every table, or the chapters: the editions are aligned as the page aligns them
        data = timeline_data(documents, load_lexicon(lexicon_path), list(terms), counting)
        tables, lexicon = timeline_tables(data), data["lexicon"]
    else:
        result = scan_documents(documents, load_lexicon(lexicon_path), list(terms), counting)
        tables, lexicon = stats_timeline(result, [e.id for e in editions]), result.lexicon
    options = {"terms": list(terms), "include_samples": include_samples, "counted": counting.describe()}
    _emit(Output(tables, provenance(documents, lexicon, options, "timeline")), fmt, output, table)


@cli.command(name="check")
@click.argument("claims_file", required=False, type=click.Path(path_type=Path), metavar="[CLAIMS.toml]")
@click.option("--bundled", is_flag=True, help="Check the published claims shipped with wtcompare.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    callback=_path,
    metavar="FILE",
    help="Write to FILE and print its path (html: default reports/check.html).",
)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--date", callback=_date, help="Date printed in the html page (default today), YYYY-MM-DD.")
@click.pass_context
def check_command(
    ctx: click.Context,
    claims_file: Path | None,
    bundled: bool,
    fmt: str,
    output: str | None,
    lexicon_path: Path | None,
    date: str | None,
) -> None:
    """Give each claim in CLAIMS.toml (or the bundled claims) a verdict with its evidence: holds,
    does not hold, or cannot check. Exit 0 when every claim holds, 1 when any does not hold, 3 when
    none fails but some cannot be checked, 2 for a claims file that is not valid."""
    from . import check as claims
    from .report import write_report

    if bundled == (claims_file is not None):
        raise UsageError("give a claims file or --bundled (one of them)")
    if date is not None and fmt != "html":
        raise UsageError("--date dates the html page; table and json carry no date")
    if output is not None and fmt != "html" and is_folder(output):
        raise UsageError(f"-o {output}: give a file for --format {fmt}")
    path = claims_file if claims_file is not None else claims.BUNDLED  # one of them, checked above
    checked = claims.check(claims.load_claims(path), _registry(ctx), load_lexicon(lexicon_path), path)
    for warning in checked.warnings:
        click.echo(f"wtcompare: warning: {warning}", err=True)
    if fmt == "html":
        target = report_target(output, "check.html")
        click.echo(str(write_report(target, claims.html(checked, date, target))))
    else:
        _emit(
            Output(
                {"claims": claims.frame(checked)},
                checked.provenance(),
                payload=claims.payload(checked),
                text=claims.table(checked),
            ),
            "text" if fmt == "table" else fmt,
            output,
        )
    ctx.exit(checked.exit_code)  # not an error: the verdicts are printed, the code tells a CI job


@cli.command(name="site")
@click.argument("out", type=click.Path(path_type=Path))
@click.argument("ids", nargs=-1)
@click.option(
    "--pair",
    "pairs",
    nargs=2,
    multiple=True,
    metavar="A B",
    help="Also compare A with B (repeatable); consecutive editions are always compared.",
)
@click.option(
    "--claims",
    "claims_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A claims file: its verdicts become claims.html.",
)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option(
    "--date", callback=_date, help="Date printed in every page (default today), YYYY-MM-DD, for byte-identical output."
)
@INCLUDE_SAMPLES
@click.pass_context
def site_command(
    ctx: click.Context,
    out: Path,
    ids: tuple[str, ...],
    pairs: tuple[tuple[str, str], ...],
    claims_file: Path | None,
    lexicon_path: Path | None,
    date: str | None,
    include_samples: bool,
) -> None:
    """Write the series (every edition with a local text when none are given, samples apart) as a
    static site in OUT: index, timeline, a pair report for each two consecutive editions, a page
    per category, the claims checked, and the data behind them, with a manifest. An OUT built
    before is brought up to date: only pages whose inputs changed are built again."""
    from .site import build_site

    built = build_site(
        out,
        _registry(ctx),
        ids,
        pairs=pairs,
        claims=claims_file,
        lexicon=lexicon_path,
        date=date,
        include_samples=include_samples,
    )
    for warning in built.warnings:
        click.echo(f"wtcompare: warning: {warning}", err=True)
    click.echo(str(built.index))
    click.echo(
        f"{len(built.plan.pages)} pages: {len(built.built)} built, {len(built.kept)} unchanged; "
        f"{len(built.files)} files; {len(built.deleted)} deleted"
    )


@cli.command(name="cache")
@click.option("--clear", is_flag=True, help="Delete every cached entry.")
def cache_command(clear: bool) -> None:
    """Show where the cache is and how big, or clear it."""
    if clear:
        click.echo(f"deleted {cache.clear()} cache entries")
    folder, entries, size = cache.summary()
    click.echo(f"{folder}: {entries} entries, {size / 1e6:.1f} MB")


@cli.command(name="fetch")
@click.argument("ids", nargs=-1)
@click.option("--update", is_flag=True, help="Take a file that changed since it was locked (the old copy is kept).")
@click.option("--list", "list_page", metavar="PAGE", help="List the attachments of a GOV.UK publication page.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), help="With --list: table (default) or json.")
@click.option("--page", metavar="PAGE", help="With --attachment and --edition: fetch one attachment of this page.")
@click.option("--attachment", "attachment_id", metavar="ID", help="The attachment's id (see --list).")
@click.option("--edition", "edition_id", help="The edition id to register the attachment as.")
@_edition_metadata
@click.option("--check", is_flag=True, help="Ask the pages of locked sources whether they now list another file.")
@click.pass_context
def fetch_command(
    ctx: click.Context,
    ids: tuple[str, ...],
    update: bool,
    list_page: str | None,
    fmt: str | None,
    page: str | None,
    attachment_id: str | None,
    edition_id: str | None,
    check: bool,
    **metadata: str | int | None,
) -> None:
    """Download official files (all editions with a known address or page rule when no ids are
    given), list a GOV.UK page's attachments, fetch one of them, or check pages for new files."""
    from .fetch import fetch, fetch_attachment, progress_bar
    from .govuk import ContentApi

    by_page = [page, attachment_id, edition_id, *metadata.values()]
    modes = [
        name
        for name, used in (
            ("IDS", bool(ids) and not check),
            ("--list", list_page is not None),
            ("--page", any(v is not None for v in by_page)),
            ("--check", check),
        )
        if used
    ]
    if len(modes) > 1:
        raise UsageError(
            f"{' and '.join(modes)} cannot be combined; use one of: fetch [IDS...], --list PAGE, "
            "--page PAGE --attachment ID --edition ID, --check [IDS...]"
        )
    if fmt is not None and list_page is None:
        raise UsageError("--format goes only with --list PAGE")
    if update and (list_page is not None or check):
        raise UsageError("--update goes only with fetch IDS or --page")
    if list_page is not None:
        _list_attachments(list_page, fmt or "table")
    elif modes == ["--page"]:
        if page is None or attachment_id is None or edition_id is None:
            raise UsageError("fetch --page needs --page PAGE, --attachment ID and --edition ID together")
        registry = Registry(ctx.obj["texts"] or Path("texts"), create=True)
        with ContentApi() as api:
            _echo_fetched(
                fetch_attachment(
                    registry, page, attachment_id, edition_id, update, progress_bar(edition_id), api, **metadata
                )
            )
    elif check:
        _check_pages(Registry(ctx.obj["texts"] or Path("texts")), ids)
    else:
        registry = Registry(ctx.obj["texts"] or Path("texts"), create=True)
        chosen = [registry.get(i) for i in ids] or [e for e in registry.editions() if e.url or e.page]
        with ContentApi() if any(e.page for e in chosen) else contextlib.nullcontext() as api:
            for edition in chosen:
                _echo_fetched(fetch(registry, edition.id, update, progress_bar(edition.id), api))


def _echo_fetched(result: Fetched) -> None:
    for warning in result.warnings:
        click.echo(f"wtcompare: warning: {warning}", err=True)
    click.echo(
        f"{result.status} {result.id}: {result.path} ({result.bytes:,} bytes, sha256 {result.sha256}) from {result.url}"
    )


def _list_attachments(page: str, fmt: str) -> None:
    import pandas as pd

    from .govuk import ContentApi

    with ContentApi() as api:
        listed = api.page(page)
    if listed.withdrawn:
        click.echo(f"wtcompare: warning: {listed.withdrawn}", err=True)
    rows = [{key: getattr(a, key) for key in ATTACHMENT_COLUMNS} for a in listed.attachments]
    if fmt == "json":
        payload = {"page": listed.path, "title": listed.title, "withdrawn": listed.withdrawn, "attachments": rows}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False))
    elif rows:
        frame = pd.DataFrame([{k: "" if v is None else v for k, v in row.items()} for row in rows], dtype=object)
        click.echo(frame.to_string(index=False))  # no column is cut: addresses must stay whole
    else:
        click.echo(f"(no attachments on {listed.path})")


def _check_pages(registry: Registry, ids: tuple[str, ...]) -> None:
    from .fetch import LOCK_FILE
    from .fetch import check as check_sources

    results = check_sources(registry, ids)
    if not results:
        click.echo(f"no source in {registry.texts_dir / LOCK_FILE} came from a page; nothing to check")
    for result in results:
        click.echo(f"{result.status} {result.id}: {result.message}")
    failed = [r.id for r in results if r.status == "failed"]
    if failed:
        raise WtcompareError(f"the page of {', '.join(failed)} could not be used (see above)")


def main() -> None:
    cli(prog_name="wtcompare")
