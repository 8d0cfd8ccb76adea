"""Render stage: self-contained HTML reports (no network request of any kind).

``pair_report(doc_a, doc_b)`` compares two editions; ``timeline_report(documents)`` shows
vocabulary rates across editions. Both return the HTML as text; `write_report` writes it
atomically. All document text is escaped by jinja2's autoescaping.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import multiprocessing
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from .. import align as align_module
from .. import stats
from ..align import align_levels
from ..fileio import atomic_write
from ..lexicon import Lexicon, load_lexicon
from ..model import Document
from ..overrides import Overrides
from ..progress import gc_paused, stage
from ..scan import scan
from . import charts
from .build import edition_facts, pair_data, senses


class _Environment(Environment):
    def getattr(self, obj, attribute):
        # Report data are plain dicts: jinja2 would try an attribute first and catch the
        # AttributeError for every ``row.field`` (a quarter of the render time on a large report).
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


PARALLEL_WORDS = 200_000  # below this many words in all, starting worker processes costs more than it saves

_ENV = _Environment(loader=PackageLoader("wtcompare.report", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


def _render(template: str, date: str | None, categories, script: str = "", **context) -> str:
    """Render a report. ``script`` names a template file of JavaScript to inline; the page's
    Content-Security-Policy allows exactly that script, by its hash."""
    hashes = ""
    if script:
        source = _ENV.loader.get_source(_ENV, script)[0]
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
        hashes = f"'sha256-{digest}'"
    with stage("render"):
        return _ENV.get_template(template).render(version=__version__, date=date or dt.date.today().isoformat(),
                                                  categories=categories, script=script, script_hashes=hashes,
                                                  **context)


@gc_paused()
def pair_report(doc_a: Document, doc_b: Document, lexicon: Lexicon | None = None,
                terms: list[str] | tuple = (), date: str | None = None, overrides: Overrides | None = None,
                export: str | Path | None = None) -> str:
    """HTML comparing edition ``doc_a`` with ``doc_b``. With ``export``, also writes the chart (SVG
    and PNG) and the tables (CSV) into that folder."""
    result = scan([doc_a, doc_b], lexicon or load_lexicon(), terms)
    data = pair_data(doc_a, doc_b, result, overrides)
    vocabulary = data["vocabulary"]
    labels = [c["label"] for c in vocabulary]
    series = {data["a"]["id"]: [c["a"][1] for c in vocabulary], data["b"]["id"]: [c["b"][1] for c in vocabulary]}
    colours = [c["colour"] for c in vocabulary]
    chart = charts.cached(charts.rates_bars, labels, series, colours)
    if export:
        a, b = data["a"]["id"], data["b"]["id"]
        _export(export, {"rates": (chart, charts.rates_bars(labels, series, colours, "png"))}, {
            "keyness-terms": stats.keyness(result, a, b), "keyness-categories": stats.keyness(result, a, b, "category"),
            "sections": align_frame(data["section_pairs"]), "retention": pd.DataFrame(data["retention"] + data["new_text"]),
            "kwic": result.counted, "provenance": provenance_table(result.lexicon)})
    methods = {"pair_threshold": align_module.PAIR_THRESHOLD, "containment": align_module.CONTAINMENT,
               "share_a": align_module.SECTION_SHARE_A, "share_b": align_module.SECTION_SHARE_B,
               "min_link": align_module.MIN_LINK, "uncertain_score": align_module.UNCERTAIN_SCORE,
               "uncertain_margin": align_module.UNCERTAIN_MARGIN,
               "overrides": Path(overrides.path).name if overrides else None}
    return _render("pair.html.j2", date, result.lexicon.categories, script="pair.js", data=data,
                   chart=charts.data_uri(chart), methods=methods)


def timeline_data(documents: list[Document], lexicon: Lexicon | None = None) -> dict:
    """Everything the timeline shows, for editions in the order given (give them in year order):
    rates per category and term, each term's first and last edition, the largest rises and falls
    between consecutive editions, the length of each edition, which chapters persist from one
    edition to the next, and every counted occurrence by edition."""
    with _chapter_alignments(documents) as chapter_alignments:  # they run while this process scans
        result = scan(documents, lexicon or load_lexicon())
        steps = chapter_alignments()
    ids = [d.edition.id if d.edition else "document" for d in documents]
    rows = result.rows.set_index(["category", "term", "edition"])["per_10k"]
    totals = result.categories().set_index(["category", "edition"])["per_10k"]
    tokens = result.rows.groupby("edition")["tokens"].first()
    tables = stats.timeline(result, ids)
    span = tables["span"].set_index(["category", "term"])
    categories = []
    for category in result.lexicon.categories:
        terms = [{"term": t.id, "rates": [float(rows[(category.id, t.id, e)]) for e in ids],
                  **{end: _present(span.loc[(category.id, t.id), end]) for end in ("first", "last")}}
                 for t in result.lexicon.terms if t.category == category.id]
        categories.append({"id": category.id, "label": category.label, "colour": category.colour,
                           "rates": [float(totals.get((category.id, e), 0.0)) for e in ids], "terms": terms})
    changes = tables["changes"][tables["changes"]["term"] != "(all terms)"]
    moves = changes[changes["change"] != 0]
    editions = [dict(edition_facts(d), tokens=int(tokens[e])) for d, e in zip(documents, ids)]
    chapters = [{"a": _edition_id(before), "b": _edition_id(after), "pairs": pairs}
                for before, after, pairs in zip(documents, documents[1:], steps)]
    warnings = [w for d in documents for w in d.warnings]
    findings = []
    if len(editions) > 1:
        first, last = editions[0], editions[-1]
        findings.append(f"From {first['id']} to {last['id']} the text went from {first['words']:,} to "
                        f"{last['words']:,} words, over {len(editions)} editions.")
        for c in sorted(categories, key=lambda c: -abs(c["rates"][-1] - c["rates"][0]))[:3]:
            findings.append(f"{c['label']}: {c['rates'][0]:.1f} per 10,000 words in {first['id']}, "
                            f"{c['rates'][-1]:.1f} in {last['id']}.")
        if len(moves):
            top = moves.iloc[0]
            findings.append(f"Largest single rise: {top['term']}, {top['from']} to {top['to']} "
                            f"({top['change']:+.1f} per 10,000 words).")
    return {"editions": editions, "findings": findings, "categories": categories, "lexicon": result.lexicon, "warnings": warnings,
            "rises": moves.head(10).to_dict("records"), "falls": moves.tail(10).iloc[::-1].to_dict("records"),
            "chapters": chapters, "kwic": {e: result.counted[result.counted["edition"] == e].to_dict("records") for e in ids},
            "senses": senses(result),
            "tables": {**tables, "provenance": provenance_table(result.lexicon)}}


def _present(value):
    """An edition id, or None where pandas holds a missing value (the term never occurs)."""
    return None if pd.isna(value) else value


def _chapters(pair: tuple[Document, Document]) -> list[dict]:
    """The chapter pairs of two editions, as small plain data (cheap to send back from a worker)."""
    alignment = align_levels(*pair, levels=("chapter",))["chapter"]
    return [{"kind": p.kind, "a": [alignment.units_a[u].heading for u in p.a],
             "b": [alignment.units_b[u].heading for u in p.b], "a_ids": p.a, "b_ids": p.b, "retained": p.retained}
            for p in alignment.pairs]


@contextmanager
def _chapter_alignments(documents: list[Document]):
    """Chapter alignments of consecutive editions. They are independent, so on a large corpus they
    start at once in worker processes, one per core, and the caller works on meanwhile; it gets them,
    in order, by calling the function this yields. If the caller fails or is interrupted, the
    workers are stopped at once rather than left to finish."""
    pairs = list(zip(documents, documents[1:]))
    workers = min(len(pairs), os.cpu_count() or 1)
    if workers < 2 or sum(d.word_count for d in documents) < PARALLEL_WORDS:
        yield lambda: [_chapters(pair) for pair in pairs]
        return
    # Workers ignore Ctrl-C: the main process gets it and stops them.
    pool = _context().Pool(workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        pending = pool.map_async(_chapters, pairs, chunksize=1)
        yield pending.get
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()


def _context():
    """fork where the platform has it (workers start at once, sharing the imported modules)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _edition_id(document: Document) -> str:
    return document.edition.id if document.edition else "document"


@gc_paused()
def timeline_report(documents: list[Document], lexicon: Lexicon | None = None, date: str | None = None,
                    export: str | Path | None = None) -> str:
    """HTML of vocabulary rates across editions (give them in year order). With ``export``, also
    writes the chart (SVG and PNG) and the tables (CSV) into that folder."""
    data = timeline_data(documents, lexicon)
    arguments = ([e["id"] for e in data["editions"]], {c["label"]: c["rates"] for c in data["categories"]},
                 [c["colour"] for c in data["categories"]])
    chart = charts.cached(charts.rates_lines, *arguments)
    if export:
        chapters = pd.DataFrame([{"from": step["a"], "to": step["b"], "kind": p["kind"], "a": " + ".join(p["a_ids"]),
                                  "b": " + ".join(p["b_ids"]), "retained": p["retained"]}
                                 for step in data["chapters"] for p in step["pairs"]])
        _export(export, {"rates": (chart, charts.rates_lines(*arguments, fmt="png"))},
                {**data["tables"], "chapters": chapters})
    return _render("timeline.html.j2", date, data["lexicon"].categories, data=data, chart=charts.data_uri(chart))


def provenance_table(lexicon: Lexicon) -> pd.DataFrame:
    """Which lexicon and tool produced a set of figures: recorded with every exported table."""
    return pd.DataFrame([{"lexicon": lexicon.id, "version": lexicon.version, "sha256": lexicon.sha256,
                          "wtcompare": __version__}])


def align_frame(section_pairs: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{"kind": p["kind"], "score": round(p["score"], 4), "a": " + ".join(u["id"] for u in p["a"]),
                          "b": " + ".join(u["id"] for u in p["b"]), "retained": p["retained"],
                          "uncertain": p["uncertain"], "source": p["source"]} for p in section_pairs])


def _export(folder: str | Path, figures: dict[str, tuple[bytes, bytes]], tables: dict[str, pd.DataFrame]) -> None:
    """Charts as SVG and PNG, tables as CSV (UTF-8), each written atomically."""
    folder = Path(folder)
    for name, (svg, png) in figures.items():
        atomic_write(folder / f"{name}.svg", svg)
        atomic_write(folder / f"{name}.png", png)
    for name, frame in tables.items():
        atomic_write(folder / f"{name}.csv", frame.to_csv(index=False))


def write_report(path: str | Path, html: str) -> Path:
    return atomic_write(path, html)
