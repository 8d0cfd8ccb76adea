"""The ``wtcompare`` command: a thin shell over the library, one short function per command.

Errors print one line on stderr and exit 2 (usage) or 1 (failure); ``--debug`` shows the traceback.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click
import pandas as pd

from . import __version__, cache, progress
from .align import LEVELS, align, align_levels
from .diff import DELETE, INSERT, word_diff
from .entry import say_interrupted
from .errors import UsageError, WtcompareError, shorten
from .fetch import fetch, progress_bar
from .fileio import atomic_write, read_head
from .lexicon import load_lexicon
from .lexicon import overlaps as lexicon_overlaps
from .senses import evaluate as evaluate_senses
from .senses import load_sentences
from .stats import collocates as stats_collocates
from .stats import frequencies
from .stats import keyness as stats_keyness
from .stats import timeline as stats_timeline
from .stats import to_xlsx
from .overrides import load_overrides
from .registry import Registry
from .report import pair_report, provenance_table, timeline_report, write_report
from .scan import scan as scan_documents

FORMATS = click.Choice(["table", "csv", "json"])
TABLE_FORMATS = click.Choice(["table", "csv", "json", "xlsx"])
KWIC_COLUMNS = ["edition", "category", "term", "unit", "section", "path", "number", "page", "anchor", "left", "match",
                "right", "status", "rule"]


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _emit_tables(tables: dict[str, pd.DataFrame], fmt: str, output: Path | None, payload: object = None) -> None:
    """Several tables: printed one after another, as one JSON object, or as sheets of an XLSX file."""
    if fmt == "xlsx":
        if output is None:
            raise UsageError("--format xlsx needs -o FILE.xlsx")
        click.echo(str(atomic_write(output, to_xlsx(tables))))
    elif fmt == "json":
        _emit(pd.DataFrame(), fmt, payload if payload is not None else {k: _records(v) for k, v in tables.items()})
    else:
        for k, (name, frame) in enumerate(tables.items()):
            if fmt == "table" and len(tables) > 1:
                click.echo(("\n" if k else "") + f"== {name}")
            _emit(frame, fmt)


def _emit(frame: pd.DataFrame, fmt: str, payload: object = None) -> None:
    """Print a DataFrame as a table or CSV, or ``payload`` (default: the records) as JSON."""
    if fmt == "json":
        records = payload if payload is not None else frame.to_dict("records")
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        # Cells are cut for display only (to_string pads every row to the longest cell: one 50 MB
        # title made `editions` print gigabytes); CSV and JSON keep them whole.
        shown = frame.apply(lambda column: column.map(lambda v: shorten(v) if isinstance(v, str) else v))
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 60):
            click.echo(shown.to_string(index=False) if len(frame) else "(nothing)")


class _Group(click.Group):
    """Turns every error into one line on stderr and an exit code."""

    def main(self, args=None, **kwargs):
        args = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in args or bool(os.environ.get("WTCOMPARE_DEBUG"))
        try:
            with progress.gc_paused():
                self.make_context_and_invoke(args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            say_interrupted()
            sys.exit(130)
        except click.ClickException as exc:
            if debug:
                traceback.print_exc()
            hint = f" (see '{exc.ctx.command_path} --help')" if getattr(exc, "ctx", None) else ""
            click.echo(f"wtcompare: error: {exc.format_message()}{hint}".replace("\n", " "), err=True)
            sys.exit(exc.exit_code)
        except WtcompareError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"wtcompare: error: {exc}".replace("\n", " "), err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a bug: say so in one line, traceback on request
            if debug:
                traceback.print_exc()
            click.echo(f"wtcompare: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                       err=True)
            sys.exit(1)

    def make_context_and_invoke(self, args, **kwargs):
        try:
            with self.make_context(kwargs.get("prog_name") or "wtcompare", args) as ctx:
                return self.invoke(ctx)
        finally:
            progress.finish()


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="wtcompare")
@click.option("--texts", "texts", type=click.Path(file_okay=False, path_type=Path), envvar="WTCOMPARE_TEXTS",
              help="Folder with editions.toml and texts (default: ./texts if present, else the bundled sample).")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (shown only on a terminal, after ~2 s).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of parsed documents.")
@click.pass_context
def cli(ctx: click.Context, texts: Path | None, debug: bool, quiet: bool, no_cache: bool) -> None:
    """Compare editions of 'Working Together to Safeguard Children'."""
    if no_cache:
        os.environ["WTCOMPARE_NO_CACHE"] = "1"
    if not quiet and sys.stderr.isatty():
        progress.enable()
    ctx.obj = {"texts": texts}


def _registry(ctx: click.Context) -> Registry:
    if "registry" not in ctx.obj:
        ctx.obj["registry"] = Registry(ctx.obj["texts"])
    return ctx.obj["registry"]


def _load(ctx: click.Context, edition_id: str):
    document = _registry(ctx).load(edition_id)
    for warning in document.warnings:
        click.echo(f"wtcompare: warning: {warning}", err=True)
    return document


def _two(ctx: click.Context, a: str, b: str):
    if a == b:
        raise UsageError(f"cannot compare edition {a!r} with itself; give two different editions")
    return _load(ctx, a), _load(ctx, b)


def _available(ctx: click.Context, ids: tuple[str, ...]) -> list:
    """The given editions, or every edition that has a local text, oldest first."""
    registry = _registry(ctx)
    if ids:
        chosen = [registry.get(i) for i in ids]
        order = {e.id: k for k, e in enumerate(registry.editions())}
        return [_load(ctx, e.id) for e in sorted(chosen, key=lambda e: order[e.id])]
    editions = [e for e in registry.editions() if e.source]
    if not editions:
        raise WtcompareError("no edition has a local text; add one with 'wtcompare ingest FILE --edition ID'")
    return [_load(ctx, e.id) for e in editions]


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def editions(ctx: click.Context, fmt: str) -> None:
    """List the editions in the registry."""
    frame = _registry(ctx).to_frame()
    frame["available"] = frame["source"].notna()
    if fmt == "json":
        _emit(frame, fmt, frame.astype(object).where(frame.notna(), None).to_dict("records"))
    else:
        _emit(frame[["id", "year", "kind", "available", "title"]], fmt)


@cli.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--edition", "edition_id", required=True, help="Edition id: lowercase letters, digits, hyphens.")
@click.option("--title")
@click.option("--year", type=int)
@click.option("--date", help="Publication date, YYYY-MM-DD.")
@click.option("--publisher")
@click.option("--kind", type=click.Choice(["official", "sample"]))
@click.option("--licence")
@click.option("--replace", is_flag=True, help="Replace the text of an edition that already has one.")
@click.option("--ocr", is_flag=True, help="Read scanned PDF pages with Tesseract OCR.")
@click.pass_context
def ingest(ctx: click.Context, file: Path, edition_id: str, replace: bool, ocr: bool, **metadata) -> None:
    """Add your own copy of an edition (PDF, HTML, DOCX, text or Markdown) to the registry."""
    registry = Registry(ctx.obj["texts"] or Path("texts"), create=True)
    edition, changed = registry.ingest(file, edition_id, replace_existing=replace, ocr=ocr, **metadata)
    if changed:
        click.echo(f"ingested {file} as {edition.id} (sha256 {edition.sha256}) into {registry.texts_dir}")
    else:
        click.echo(f"{file} is already ingested as {edition.id}; nothing to do")


@cli.command()
@click.argument("edition_id")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_context
def sections(ctx: click.Context, edition_id: str, fmt: str) -> None:
    """List the sections of an edition with their stable ids."""
    document = _load(ctx, edition_id)
    frame = pd.DataFrame([{"id": s.id, "level": s.level, "number": s.number, "heading": s.heading,
                           "paragraphs": len(s.paragraphs), "words": len(s.text.split()),
                           "page": s.paragraphs[0].page if s.paragraphs else None} for s in document.walk()])
    _emit(frame, fmt)


@cli.command(name="align")
@click.argument("a")
@click.argument("b")
@click.option("--level", type=click.Choice(LEVELS), default="section", show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of pairs to pin ([[pin]]) or forbid ([[forbid]]).")
@click.option("--retention", is_flag=True, help="Show where each unit's words went instead of the pairs.")
@click.pass_context
def align_command(ctx: click.Context, a: str, b: str, level: str, fmt: str, pairs_file: Path | None,
                  retention: bool) -> None:
    """Align two editions: which unit of A became which unit of B (uncertain pairs listed after)."""
    overrides = load_overrides(pairs_file) if pairs_file else None
    alignment = align(*_two(ctx, a, b), level=level, overrides=overrides)
    _emit(alignment.retention() if retention else alignment.to_frame(), fmt, alignment.to_dict())
    if fmt == "table" and not retention and alignment.uncertain():
        click.echo(f"\nUncertain pairs ({len(alignment.uncertain())}): check these by hand, or pin or forbid them with --pairs")
        _emit(alignment.to_frame()[alignment.to_frame()["uncertain"]], fmt)


@cli.command(name="scan")
@click.argument("ids", nargs=-1)
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to count (repeatable), e.g. 'partner*'.")
@click.option("--kwic", is_flag=True, help="Also list every counted occurrence in context.")
@click.option("--excluded", is_flag=True, help="With --kwic: also the matches a context rule excluded, with the rule.")
@click.option("--stats", is_flag=True, help="Add share of sections and Gries' DP to the counts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for --format xlsx.")
@click.option("--format", "fmt", type=TABLE_FORMATS, default="table", show_default=True)
@click.pass_context
def scan_command(ctx: click.Context, ids: tuple[str, ...], lexicon_path: Path | None, terms: tuple[str, ...],
                 kwic: bool, excluded: bool, stats: bool, output: Path | None, fmt: str) -> None:
    """Count lexicon terms in editions (all editions with a local text when none are given)."""
    documents = _available(ctx, ids)
    result = scan_documents(documents, load_lexicon(lexicon_path), list(terms))
    rows = frequencies(documents, result) if stats else result.rows
    evidence = (result.kwic if excluded else result.counted)[KWIC_COLUMNS]
    tables = {"counts": rows, **({"kwic": evidence} if kwic else {}), "provenance": provenance_table(result.lexicon)}
    lexicon = {"id": result.lexicon.id, "version": result.lexicon.version, "sha256": result.lexicon.sha256}
    _emit_tables(tables, fmt, output, {"lexicon": lexicon, "rows": _records(rows),
                                       **({"kwic": _records(evidence)} if kwic else {})})


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--by", type=click.Choice(["term", "category"]), default="term", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for --format xlsx.")
@click.option("--format", "fmt", type=TABLE_FORMATS, default="table", show_default=True)
@click.pass_context
def keyness(ctx: click.Context, a: str, b: str, lexicon_path: Path | None, by: str, output: Path | None,
            fmt: str) -> None:
    """Log-likelihood (G2, p) and log ratio of each term or category between editions A and B."""
    result = scan_documents(list(_two(ctx, a, b)), load_lexicon(lexicon_path))
    _emit_tables({"keyness": stats_keyness(result, a, b, by), "provenance": provenance_table(result.lexicon)}, fmt, output)


@cli.command()
@click.argument("node")
@click.argument("ids", nargs=-1)
@click.option("--window", default=5, show_default=True, help="Tokens either side of the node.")
@click.option("--min-count", default=2, show_default=True, help="Leave out collocates seen fewer times.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File for --format xlsx.")
@click.option("--format", "fmt", type=TABLE_FORMATS, default="table", show_default=True)
@click.pass_context
def collocates(ctx: click.Context, node: str, ids: tuple[str, ...], window: int, min_count: int,
               output: Path | None, fmt: str) -> None:
    """Words found near NODE (a pattern such as 'partner*'), with MI and log-likelihood."""
    _emit_tables({"collocates": stats_collocates(_available(ctx, ids), node, window, min_count)}, fmt, output)


@cli.group()
def lexicon() -> None:
    """Check a lexicon, or evaluate its sense rules on labelled sentences."""


@lexicon.command(name="check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def lexicon_check(file: Path) -> None:
    """Validate a lexicon file and list terms of different categories that can claim the same words."""
    checked = load_lexicon(file)
    click.echo(f"{file}: ok: {checked.id} version {checked.version}, {len(checked.categories)} categories, "
               f"{len(checked.terms)} terms, sha256 {checked.sha256}")
    found = lexicon_overlaps(checked)
    click.echo(f"{len(found)} overlapping term pair(s); each is resolved by the rule shown:")
    _emit(pd.DataFrame(found, columns=["term", "category", "other_term", "other_category", "shared", "resolution"]),
          "table")


@lexicon.command(name="evaluate")
@click.option("--sentences", type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled sentences (default: the project's set shipped with the package).")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def lexicon_evaluate(sentences: Path | None, lexicon_path: Path | None, fmt: str) -> None:
    """Precision and recall of each category on labelled sentences, and the sentences it gets wrong."""
    labelled = load_sentences(sentences or Path(__file__).parent / "data" / "senses.toml")
    scores, errors = evaluate_senses(labelled, load_lexicon(lexicon_path))
    _emit_tables({"scores": scores, "errors": errors}, fmt, None)


@cli.command(name="diff")
@click.argument("a")
@click.argument("b")
@click.option("--unit", help="Only the pair holding this section or paragraph id (of either edition).")
@click.pass_context
def diff_command(ctx: click.Context, a: str, b: str, unit: str | None) -> None:
    """Word-by-word differences, section by section: [-deleted-] and {+inserted+}."""
    alignment = align_levels(*_two(ctx, a, b))["section"]
    pairs = alignment.pairs
    if unit:
        def holds(ids: list[str]) -> bool:
            return any(unit == i or unit.startswith(i + "/") for i in ids)

        pairs = [p for p in pairs if holds(p.a) or holds(p.b)]
        if not pairs:
            raise UsageError(f"no section or paragraph {unit!r} in {a} or {b}; see 'wtcompare sections {a}'")
    for pair in pairs:
        heading = " + ".join(pair.a) + " -> " + " + ".join(pair.b)
        click.echo(click.style(f"## {heading}  [{pair.kind}]", bold=True))
        text_a = "\n\n".join(alignment.units_a[i].text for i in pair.a)
        text_b = "\n\n".join(alignment.units_b[i].text for i in pair.b)
        out = []
        for piece in word_diff(text_a, text_b):
            if piece.op == DELETE:
                out.append(click.style(f"[-{piece.text}-]", fg="red"))
            elif piece.op == INSERT:
                out.append(click.style(f"{{+{piece.text}+}}", fg="green"))
            else:
                out.append(piece.text)
        click.echo("".join(out) + "\n")


def _output(path: Path | None, default: str) -> Path:
    target = path or Path("reports") / default
    head = read_head(target, 4096)
    if head is not None and b'content="wtcompare' not in head:
        raise WtcompareError(f"{target}: exists and is not a wtcompare report; choose another path with -o")
    return target


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: reports/A-vs-B.html")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--term", "terms", multiple=True, help="Extra pattern to count (repeatable).")
@click.option("--date", help="Date printed in the report (default today), for reproducible output.")
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of pairs to pin or forbid (see 'align --pairs').")
@click.option("--export", "export_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the chart (SVG, PNG) and tables (CSV) into this folder.")
@click.pass_context
def report(ctx: click.Context, a: str, b: str, output: Path | None, lexicon_path: Path | None,
           terms: tuple[str, ...], date: str | None, pairs_file: Path | None, export_dir: Path | None) -> None:
    """Write an HTML report comparing edition A with edition B."""
    doc_a, doc_b = _two(ctx, a, b)
    target = _output(output, f"{a}-vs-{b}.html")
    overrides = load_overrides(pairs_file) if pairs_file else None
    html = pair_report(doc_a, doc_b, load_lexicon(lexicon_path), list(terms), date, overrides, export_dir)
    click.echo(str(write_report(target, html)))


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: reports/timeline.html")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Lexicon TOML file.")
@click.option("--date", help="Date printed in the report (default today).")
@click.option("--format", "fmt", type=click.Choice(["html", "table", "csv", "json", "xlsx"]), default="html",
              show_default=True, help="html writes the report page; the others print or write the tables.")
@click.option("--export", "export_dir", type=click.Path(file_okay=False, path_type=Path),
              help="With html: also write the chart (SVG, PNG) and tables (CSV) into this folder.")
@click.pass_context
def timeline(ctx: click.Context, ids: tuple[str, ...], output: Path | None, lexicon_path: Path | None,
             date: str | None, fmt: str, export_dir: Path | None) -> None:
    """Vocabulary rates across editions in year order: an HTML page, or the tables behind it."""
    documents = _available(ctx, ids)
    if fmt == "html":
        target = _output(output, "timeline.html")
        html = timeline_report(documents, load_lexicon(lexicon_path), date, export_dir)
        click.echo(str(write_report(target, html)))
        return
    result = scan_documents(documents, load_lexicon(lexicon_path))
    _emit_tables({**stats_timeline(result, [d.edition.id for d in documents]),
                  "provenance": provenance_table(result.lexicon)}, fmt, output)


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
@click.pass_context
def fetch_command(ctx: click.Context, ids: tuple[str, ...], update: bool) -> None:
    """Download official files over HTTPS (all editions with a known address when no ids are given)."""
    registry = Registry(ctx.obj["texts"] or Path("texts"), create=True)
    for edition_id in ids or [e.id for e in registry.editions() if e.url]:
        result = fetch(registry, edition_id, update, progress_bar(edition_id))
        click.echo(f"{result.status} {result.id}: {result.path} ({result.bytes:,} bytes, sha256 {result.sha256})")


def main() -> None:
    cli(prog_name="wtcompare")
