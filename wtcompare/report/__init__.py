"""Render stage: self-contained HTML reports (no network request of any kind).

``pair_report(doc_a, doc_b)`` compares two editions; ``timeline_report(documents)`` shows
vocabulary rates across editions. Both return the HTML as text; `write_report` writes it
atomically. `pair_page` and `timeline_page` give the same pages with the tables behind them (a
`Rendered`), and take the navigation bar of a site (`NavLink`, see `wtcompare.site`). All
document text is escaped by jinja2's autoescaping.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import __version__, cache, parallel, stats
from ..align import DEFAULT_SETTINGS, Alignment, PairKind, align_levels, cache_entry, load_aligner, score_shown
from ..diff import DELETE, INSERT
from ..fileio import atomic_write
from ..lexicon import ADHOC, Category, Lexicon, load_lexicon
from ..model import Document
from ..outline import EditionText, Outline
from ..output import Output, records, write_folder
from ..overrides import Overrides
from ..progress import gc_paused, stage
from ..provenance import file_option, provenance
from ..scan import DEFAULT_OPTIONS, ScanOptions, ScanResult, scan
from ..senses import BlindFigure, blind_figure
from ..text import printable, quantity, tokenize
from . import charts
from .build import chart_panels, edition_facts, kind_label, pair_data, section_diffs, senses, shown_edition, went

if TYPE_CHECKING:  # annotations only: the aligner's words are imported when first needed
    from ..align.words import Vocabulary, Words


class _Environment(Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        # Report data are plain dicts: jinja2 would try an attribute first and catch the
        # AttributeError for every ``row.field`` (a quarter of the render time on a large report).
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


_LOADER = PackageLoader("wtcompare.report", "templates")
_ENV = _Environment(
    loader=_LOADER,
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=True,
)
_ENV.globals["alpha"] = stats.ALPHA  # every page states the significance level the figures were tested at


def _pieces(items: Iterable[tuple[str, str, int | None]], categories: Sequence[Category]) -> Markup:
    """A word diff as the page shows it: deleted text in ``del``, inserted in ``ins``, a counted
    term in a ``mark`` of its category (index into ``categories``), every text escaped."""
    out = []
    for op, text, cat in items:
        body = (
            escape(text)
            if cat is None
            else f'<mark class="c{escape(cat)}" title="{escape(categories[cat].label)}">{escape(text)}</mark>'
        )
        out.append(f"<del>{body}</del>" if op == DELETE else f"<ins>{body}</ins>" if op == INSERT else body)
    return Markup("".join(out))


def _percent(share: float) -> str:
    """A share as a percentage to one decimal: ``12.3%``."""
    return f"{100 * share:.1f}%"


def _exact_percent(share: float) -> str:
    """A share as given, as a percentage (to ten decimals, trailing zeros dropped): a claim's
    threshold of 0.1249 is 12.49%, not the 12.5% that one decimal would show."""
    return f"{100 * share:.10f}".rstrip("0").rstrip(".") + "%"


def _similarity(score: float) -> str:
    """A similarity to two decimals; one below 1 never shows as 1.00 (which would say the texts
    are the same): to three decimals, or "> 0.999" where even three would round it to 1."""
    shown = f"{score:.2f}"
    if score < 1 and shown == "1.00":
        return f"{score:.3f}" if f"{score:.3f}" != "1.000" else Markup("&gt; 0.999")
    return shown


# Filters rather than template macros: a report calls them for tens of thousands of rows, and a
# macro call for each cost about a tenth of a second of a large report
_ENV.filters.update(pieces=_pieces, percent=_percent, exact_percent=_exact_percent, similarity=_similarity)


@dataclass(frozen=True)
class NavLink:
    """One link of a site's navigation bar, the same on every page of the site: ``href`` is
    relative to the page; ``current`` is the link's ``aria-current``: ``"page"`` on the link to the
    page itself, ``"true"`` on the link to the part of the site the page belongs to, else empty."""

    label: str
    href: str
    current: str = ""


@dataclass
class Rendered:
    """A report page and what stands behind it: ``html``; ``output``, its tables with their
    provenance (what ``--export`` writes as CSV), made by ``tables`` when first asked for (a page
    that is not exported never needs them); ``chart``, the drawing `figures` paints; ``data``, the
    figures the page lays out (`build.pair_data`, `timeline_data`)."""

    html: str
    tables: Callable[[], Output]
    chart: charts.Drawing
    data: Mapping[str, Any]  # PairData for a pair report, the timeline's figures for a timeline

    @functools.cached_property
    def output(self) -> Output:
        return self.tables()

    def figures(self) -> dict[str, bytes]:
        """The chart as ``rates.svg`` and ``rates.png``, as ``--export`` writes them."""
        return {"rates.svg": charts.svg(self.chart).encode("utf-8"), "rates.png": charts.png(self.chart)}


def _render(
    template: str,
    date: str | None,
    categories: list[Category],
    scripts: tuple[str, ...] = ("print.js",),
    nav: Sequence[NavLink] = (),
    **context: Any,
) -> str:
    """Render a report. ``scripts`` name template files of JavaScript, inlined as one script; the
    page's Content-Security-Policy allows exactly that script, by its hash. ``nav``: a site's
    navigation bar (none for a page on its own)."""
    # as the page will hold it (see below), so that the hash the policy allows is the script's
    source = printable("\n".join(_LOADER.get_source(_ENV, name)[0] for name in scripts))
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    with stage("render"):
        return printable(  # escaping makes text inert as markup; this, as characters that act on the page
            _ENV.get_template(template).render(
                version=__version__,
                date=date or dt.date.today().isoformat(),
                categories=categories,
                script=Markup(source),
                script_hashes=f"'sha256-{digest}'",
                nav=tuple(nav),
                **context,
            )
        )


@gc_paused()
def pair_report(
    doc_a: Document,
    doc_b: Document,
    lexicon: Lexicon | None = None,
    terms: list[str] | tuple = (),
    date: str | None = None,
    overrides: Overrides | None = None,
    export: str | Path | None = None,
    options: ScanOptions = DEFAULT_OPTIONS,
) -> str:
    """HTML comparing edition ``doc_a`` with ``doc_b``. With ``export``, also writes the chart (SVG
    and PNG) and the tables (CSV) into that folder, with a ``manifest.json`` holding their provenance.
    ``options`` say what text is counted."""
    page = pair_page(doc_a, doc_b, lexicon, terms, date, overrides, options)
    if export:
        write_folder(export, page.output, figures=page.figures())
    return page.html


@gc_paused()
def pair_page(
    doc_a: Document,
    doc_b: Document,
    lexicon: Lexicon | None = None,
    terms: list[str] | tuple = (),
    date: str | None = None,
    overrides: Overrides | None = None,
    options: ScanOptions = DEFAULT_OPTIONS,
    nav: Sequence[NavLink] = (),
) -> Rendered:
    """The pair report of `pair_report` with its tables (keyness of terms and of categories,
    sections, retention of sections and of chapters, the chapter pairs, every counted occurrence,
    the matches a rule set aside and the uncertain occurrences) and chart; ``nav``
    puts a site's navigation bar at its top."""
    lexicon = lexicon or load_lexicon()
    lexicon = lexicon.with_terms(list(terms)) if terms else lexicon  # as `scan` counts them
    # the scan (and the lexicon's blind figure) runs on another core while this process aligns
    big = parallel.worth_it(doc_a.word_count + doc_b.word_count)
    with parallel.alongside(_scan_and_figure, [doc_a, doc_b], lexicon, options, parallel=big) as scanned:
        alignments = align_levels(doc_a, doc_b, overrides)
        rows, kwic, figure = scanned()
    result = ScanResult(rows, kwic, lexicon, options)
    # the diffs, most of the page, are built and laid out on another core while this process lays
    # out the rest of it around a mark where they go (a random one, which no text can hold)
    mark = secrets.token_hex(16)
    with parallel.alongside(_diffs, alignments, result, (doc_a, doc_b), parallel=big) as diffs:
        data = pair_data(doc_a, doc_b, result, overrides, alignments, figure)
        chart = charts.rates_bars(data["chart"])
        methods = {**asdict(DEFAULT_SETTINGS), "overrides": Path(overrides.path).name if overrides else None}
        page = _render(
            "pair.html.j2",
            date,
            result.lexicon.categories,
            ("print.js", "pair.js"),
            nav,
            data=data,
            diffs=Markup(mark),
            chart=charts.svg(chart),
            methods=methods,
            counting=options.sentence(),
        )
        before, found, after = page.partition(mark)
        if not found or mark in after:
            raise RuntimeError("the pair report's template must place its diffs once")
        html = before + diffs() + after

    def tables() -> Output:
        a, b = data["a"]["id"], data["b"]["id"]
        settings = {
            "terms": list(terms),
            "pairs": file_option(overrides.path) if overrides else None,
            "counted": options.describe(),
        }
        return Output(
            {
                "keyness-terms": stats.keyness(result, a, b),
                "keyness-categories": stats.keyness(result, a, b, "category"),
                "sections": align_frame(data["section_pairs"]),
                "retention": pd.DataFrame(data["retention"] + data["new_text"]),
                # both editions' chapters, as the section retention has both editions' sections
                "chapter-retention": alignments["chapter"].retention(),
                "chapters": pd.DataFrame(
                    [
                        {
                            "a": " + ".join(u["id"] for u in r["a"]),
                            "b": " + ".join(u["id"] for u in r["b"]),
                            "kind": r["kind"],
                            "label": r["label"],
                            "score": score_shown(r["score"]),
                            "retained": r["retained"],
                            "elsewhere": r["elsewhere"],
                            "came_from": r["came_from"],
                            "note": r["note"],
                        }
                        for r in data["chapters"]
                    ],
                    columns=["a", "b", "kind", "label", "score", "retained", "elsewhere", "came_from", "note"],
                ),
                "kwic": result.counted,
                # every row of the page's tables is exported: the matches a rule set aside, and the
                # uncertain occurrences (counted or set aside)
                "excluded": result.kwic[result.kwic["status"] == "excluded"],
                "uncertain": result.evidence()["uncertain"],
            },
            provenance([doc_a, doc_b], result.lexicon, settings, "report"),
        )

    return Rendered(html, tables, chart, data)


def _diffs(alignments: dict[str, Alignment], result: ScanResult, documents: tuple[Document, Document]) -> str:
    """The pair report's diffs, section pair by section pair (`build.section_diffs`), as the page
    holds them (every text escaped, and `printable`, as `_render` leaves a page); plain text, so
    that a worker sends it back quickly. Built in a worker, its stages are timed there, not in
    the caller's `progress.timings` (as the scan's are)."""
    rows = section_diffs(alignments, result, result.lexicon, documents)
    with stage("render"):
        return printable(
            _ENV.get_template("section_diffs.html.j2").render(
                section_pairs=rows,
                a_id=shown_edition(documents[0]).id,
                b_id=shown_edition(documents[1]).id,
                categories=result.lexicon.categories,
            )
        )


def _scan_and_figure(
    documents: list[Document], lexicon: Lexicon, options: ScanOptions
) -> tuple[pd.DataFrame, pd.DataFrame, BlindFigure | None]:
    """The scan's tables and the lexicon's blind figure, as a worker sends them back (without
    the lexicon, which the caller has)."""
    result = scan(documents, lexicon, (), options)
    return result.rows, result.kwic, blind_figure(lexicon)


class TimelineData(TypedDict):
    """Everything the timeline shows, computed here so that the template only lays it out. Rows
    are plain dicts whose keys are the columns of the table they come from."""

    editions: list[dict[str, Any]]  # each edition's registry entry and its words, in the order given
    findings: list[str]  # the key findings, each a sentence computed from the tables below
    categories: list[dict[str, Any]]  # per category: its rate in each edition, and its terms'
    lexicon: Lexicon  # the lexicon counted with
    chart: dict[str, Any]  # the model of the chart's panels (`build.chart_panels`)
    warnings: list[str]  # what the loaders noticed in any edition
    rises: list[dict[str, Any]]  # the ten largest rises of a term's rate between consecutive editions
    falls: list[dict[str, Any]]  # ... and the ten largest falls
    chapters: list[dict[str, Any]]  # per consecutive pair: its chapter rows, labelled (`build.kind_label`)
    kwic: dict[str, list[dict[str, Any]]]  # every counted occurrence, by edition
    senses: dict[str, Any]  # uncertain occurrences and the lexicon's blind figure (`build.senses`)
    tables: dict[str, pd.DataFrame]  # the tables behind the page (`stats.timeline`)
    provenance: dict[str, Any]  # what the figures came from


def timeline_data(
    documents: Iterable[Document | EditionText],
    lexicon: Lexicon | None = None,
    terms: list[str] | tuple = (),
    options: ScanOptions = DEFAULT_OPTIONS,
) -> TimelineData:
    """Everything the timeline shows (see `TimelineData`), for editions in the order given (give them in publication
    order, as `Registry.series` does): counts and rates per category and term with each edition's
    tokens, each term's first and last edition, the largest rises and falls between consecutive
    editions, the length of each edition, which chapters persist from one edition to the next, and
    every counted occurrence by edition. One edition gives the same page without the comparisons.

    ``documents`` is read once, in order, and may be a generator that loads each edition when
    asked for it: each is scanned and aligned with the one before it, then let go, so memory does
    not grow with the number of editions. An edition given as an `EditionText` is loaded only for
    a scan or alignment the cache does not hold."""
    shells: list[Document] = []  # each edition's registry entry, for the provenance
    facts: list[dict] = []  # each edition's facts, its length filled in from the scan
    warnings: list[str] = []
    # the alignments run in worker processes while this process scans; each edition's key (for
    # the caches of its scan and of the alignments either side of it) is worked out once
    with cache.keys_kept(), _ChapterSteps() as steps:

        def stream() -> Iterator[EditionText]:
            previous = None
            for item in documents:
                text = EditionText.of(item)
                outline = text.outline()
                shells.append(Document([], text.edition))
                facts.append(edition_facts(text, 0))
                warnings.extend(outline.warnings)
                if previous is not None:
                    steps.add(previous, text)
                previous = text
                yield text

        result = scan(stream(), lexicon or load_lexicon(), terms, options)
        aligned = steps.results()
    ids = [d.edition_id for d in shells]
    tables = stats.timeline(result, ids)
    cells = {
        (r["category"], r["term"], r["edition"]): (int(r["count"]), float(r["per_10k"]))
        for r in tables["rates"].to_dict("records")
    }
    tokens = {r["edition"]: int(r["tokens"]) for r in tables["rates"].to_dict("records")}
    span = tables["span"].set_index(["category", "term"])
    groups = result.lexicon.categories + ([result.lexicon.category(ADHOC)] if result.lexicon.adhoc else [])
    categories: list[dict[str, Any]] = []
    for category in groups:
        terms_shown = [
            {
                "term": t.id,
                "cells": [cells[(category.id, t.id, e)] for e in ids],
                **{end: _present(span.loc[(category.id, t.id), end]) for end in ("first", "last")},
            }
            for t in result.lexicon.terms + result.lexicon.adhoc
            if t.category == category.id
        ]
        total = category.id != ADHOC  # ad-hoc terms are counted on their own: no total (a word could count twice)
        categories.append(
            {
                "id": category.id,
                "label": category.label,
                "colour": category.colour,
                "total": total,
                "cells": [cells[(category.id, stats.TOTAL, e)] for e in ids] if total else None,
                "terms": terms_shown,
            }
        )
    changes = tables["changes"][tables["changes"]["term"] != stats.TOTAL]
    moves = changes[changes["change"] != 0]
    editions = [dict(f, words=tokens[e]) for f, e in zip(facts, ids, strict=True)]
    chapters = [
        {"a": before, "b": after, "pairs": _labelled(pairs, before, after)}
        for before, after, pairs in zip(ids, ids[1:], aligned, strict=False)
    ]
    first, last = editions[0], editions[-1]
    if len(editions) == 1:
        findings = [f"One edition, {first['id']}: {first['words']:,} words; nothing to compare it with."]
    else:
        findings = [
            f"From {first['id']} to {last['id']} the text went from {first['words']:,} to "
            f"{last['words']:,} words, over {len(editions)} editions."
        ]
    totals = [c for c in categories if c["total"]]
    # the largest changes from first to last edition; of one edition, the highest rates
    for c in sorted(
        totals,
        key=lambda c: (-abs(c["cells"][-1][1] - c["cells"][0][1]) if len(editions) > 1 else -c["cells"][0][1], c["id"]),
    )[:3]:
        (count_first, rate_first), (count_last, rate_last) = c["cells"][0], c["cells"][-1]
        findings.append(
            f"{c['label']}: {rate_first:.1f} per 10,000 words in {first['id']} "
            f"({quantity(count_first, 'occurrence')})"
            + (f", {rate_last:.1f} in {last['id']} ({count_last:,})." if len(editions) > 1 else ".")
        )
    rises = moves[moves["change"] > 0]  # largest first, as the changes table is sorted
    if len(rises):
        top = rises.iloc[0]
        # of one term: a category's total (the changes table's other rows) may have risen more
        findings.append(
            f"Largest rise of a single term from one edition to the next: {top['term']}, {top['from']} to {top['to']} "
            f"({top['change']:+.1f} per 10,000 words; {top['count_from']:,} to {top['count_to']:,} "
            f"occurrences)."
        )
    settings = {"terms": list(terms), "counted": options.describe()}
    return {
        "editions": editions,
        "findings": findings,
        "categories": categories,
        "lexicon": result.lexicon,
        "chart": chart_panels(editions, categories),
        "warnings": warnings,
        "rises": records(rises.head(10)),
        "falls": records(moves[moves["change"] < 0].tail(10).iloc[::-1]),
        "chapters": chapters,
        "kwic": _by_edition(records(result.counted), ids),
        "senses": senses(result, blind_figure(result.lexicon)),
        "tables": tables,
        "provenance": provenance(shells, result.lexicon, settings, "timeline"),
    }


def _by_edition(rows: list[dict], ids: list[str]) -> dict[str, list[dict]]:
    """Each edition's rows, in their order (one conversion of the table, not one per edition)."""
    grouped: dict[str, list[dict]] = {e: [] for e in ids}
    for row in rows:
        if row["edition"] in grouped:
            grouped[row["edition"]].append(row)
    return grouped


def _present(value: Any) -> str | None:
    """An edition id, or None where pandas holds a missing value (the term never occurs)."""
    return None if pd.isna(value) else value


CHAPTERS = ("chapter",)  # the timeline's one level of alignment
# A chapter pair as the cache stores it: its kind, its chapters of A and of B, the words retained,
# and the words of its chapters of A found in other chapters of B, or for a new chapter the words of
# it that came from chapters of A, and where (``elsewhere``, ``links``: `Alignment.elsewhere` and
# `Alignment.elsewhere_links`), so that the page calls a chapter removed whole, or new, only when
# there are none; and the words of its chapters of A, so that it calls one rewritten as the pair
# report does (`build.kind_label`)
StoredPair = tuple[PairKind, list[str], list[str], int, int, str, int]


def _chapters(pair: tuple[Document, Document], words: tuple[Words, Words]) -> list[dict]:
    """The rows of the chapter pairs of two editions (`_chapter_rows`; ``words``: their paragraphs'
    words), as small plain data (cheap to send back from a worker); their pairs are stored in the
    cache, where a timeline finds them by the editions' keys without loading the editions."""
    alignment = align_levels(*pair, levels=CHAPTERS, words=words)["chapter"]
    pairs: list[StoredPair] = [
        (
            p.kind,
            p.a,
            p.b,
            p.retained,
            alignment.elsewhere(p),
            alignment.elsewhere_links(p),
            sum(alignment.units_a[u].words for u in p.a),
        )
        for p in alignment.pairs
    ]
    if cache.enabled():
        cache.put_result(_chapters_entry(*(cache.document_key(d) for d in pair)), pairs)
    return _chapter_rows(pairs, *(Outline.of(d) for d in pair))


def _chapters_entry(key_a: str, key_b: str) -> str:
    """The cache entry of the chapter pairs of documents with these keys, named after their
    alignment's (`align.cache_entry`), so that it follows every setting the alignment follows."""
    return cache.result_key("chapters", cache_entry(key_a, key_b, levels=CHAPTERS))


def _cached_chapters(before: EditionText, after: EditionText) -> list[dict] | None:
    """`_chapters` of two editions from the cache, or None (nothing is aligned)."""
    if not cache.enabled():
        return None
    entry = _chapters_entry(before.key(), after.key())
    stored = cache.get_result(entry)
    if stored is not None:
        try:
            return _chapter_rows(stored, before.outline(), after.outline())
        except ValueError:
            # it does not fit the editions' outlines: aligned again, and the outlines read afresh,
            # since either side may be the one that is wrong
            cache.forget(entry)
            before.forget()
            after.forget()
    return None


def _chapter_rows(pairs: list[StoredPair], before: Outline, after: Outline) -> list[dict]:
    """The timeline's rows of the chapter pairs of two editions, with the chapters' headings from
    their outlines. A ValueError when the pairs do not hold every chapter of each edition once (a
    cached entry that does not fit the editions), as every reader of them assumes."""

    def once(chapters: Iterable[str], outline: Outline) -> bool:
        return sorted(chapters) == sorted(c for c, _ in outline.chapters)

    if not (once((c for p in pairs for c in p[1]), before) and once((c for p in pairs for c in p[2]), after)):
        raise ValueError("the chapter pairs do not hold each chapter once")
    for kind, a, b, *_ in pairs:
        # a pair has a side, and only a deleted chapter has no counterpart (an inserted one no original)
        if (not a and not b) or (kind == PairKind.DELETED) != (not b) or (kind == PairKind.INSERTED) != (not a):
            raise ValueError(f"a chapter pair of kind {kind} with chapters {a} and {b}")
    headings_a, headings_b = dict(before.chapters), dict(after.chapters)
    return [
        {
            "kind": PairKind(kind),
            "a": [headings_a[c] for c in a],
            "b": [headings_b[c] for c in b],
            "a_ids": a,
            "b_ids": b,
            "retained": retained,
            # the words of its chapters of A kept in other chapters, or of a new chapter those that
            # came from chapters of A: two columns, one meaning each
            "elsewhere": elsewhere if a else 0,
            "came_from": 0 if a else elsewhere,
            "links": links,
            "words": words,
        }
        for kind, a, b, retained, elsewhere, links, words in pairs
    ]


def _labelled(rows: list[dict], before: str, after: str) -> list[dict]:
    """The timeline's chapter rows of editions ``before`` and ``after`` with their kind in words
    (`build.kind_label`; for a pair of one chapter of A, by the share of its words kept anywhere,
    as `check` judges) and where words went to or came from (`build.went`), as the page shows them."""
    labelled = []
    for row in rows:
        moved = row["elsewhere"] or row["came_from"]
        kept = min(row["retained"] + row["elsewhere"], row["words"]) / row["words"] if row["words"] else 1.0
        label = kind_label(row["kind"], moved, kept if len(row["a_ids"]) == 1 else 1.0)
        note = went(moved, bool(row["a_ids"]), after if row["a_ids"] else before, row["links"])
        labelled.append({**row, "label": label, "note": note if moved else ""})
    return labelled


class _ChapterSteps:
    """Chapter alignments of consecutive editions, given pair by pair as the editions go past (use
    as a context manager). They are independent, so a large pair goes to a worker process of its
    own, as many at once as there are cores, while the caller works on; a small one is aligned at
    once here. When every core has a pair, the caller waits for one to finish rather than load
    more editions. If the caller fails or is interrupted, the workers are stopped rather
    than left to finish. `results` gives them in order.

    Each edition's paragraphs are tokenized here once, into word ids of one vocabulary, and the
    ids go to the workers of both pairs the edition is in (each used to tokenize its two editions
    again)."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._workers: parallel.Workers | None = None
        self._size = parallel.cores()
        self._pending: list = []
        self._vocabulary: Vocabulary | None = None
        self._last: tuple[Document, Words] | None = None  # the edition given last, and its words

    def _words(self, document: Document) -> Words:
        if self._last is None or self._last[0] is not document:
            from ..align.words import Vocabulary  # numpy, which the cached alignments do without

            self._vocabulary = self._vocabulary or Vocabulary()
            self._last = (document, self._vocabulary.paragraphs(document, _scanned))
        return self._last[1]

    def __enter__(self) -> _ChapterSteps:
        self._stack.__enter__()
        return self

    def __exit__(self, *exc: Any) -> bool:
        return bool(self._stack.__exit__(*exc))

    def add(self, before: EditionText, after: EditionText) -> None:
        cached = _cached_chapters(before, after)
        if cached is not None:  # nothing to align: no worker needed, nor the editions loaded and sent to one
            self._pending.append(cached)
            return
        pair = before.document(), after.document()
        if self._workers is None and parallel.worth_it(pair[0].word_count + pair[1].word_count):
            # workers are forked from this process once it has the aligner's libraries, so that
            # none imports them again
            load_aligner()
            self._workers = self._stack.enter_context(parallel.Workers())
        words = (self._words(pair[0]), self._words(pair[1]))
        if self._workers is None:
            self._pending.append(_chapters(pair, words))
            return
        self._workers.wait(self._size)
        self._pending.append(self._workers.start(_chapters, pair, words))

    def results(self) -> list[list[dict]]:
        return [p if isinstance(p, list) else p() for p in self._pending]


def _scanned(text: str) -> list[str]:
    """The words of a paragraph (those `words` gives), from `tokenize`, which remembers them: the
    timeline's scan tokenizes every paragraph after the aligner's words are taken, so it tokenizes
    each paragraph once for both."""
    return [token for token, _, _ in tokenize(text)]


@gc_paused()
def timeline_report(
    documents: Iterable[Document | EditionText],
    lexicon: Lexicon | None = None,
    date: str | None = None,
    export: str | Path | None = None,
    terms: list[str] | tuple = (),
    options: ScanOptions = DEFAULT_OPTIONS,
) -> str:
    """HTML of vocabulary rates across editions (give them in publication order). With ``export``,
    also writes the chart (SVG and PNG) and the tables (CSV) into that folder, with a
    ``manifest.json`` holding their provenance."""
    page = timeline_page(documents, lexicon, date, terms, options)
    if export:
        write_folder(export, page.output, figures=page.figures())
    return page.html


@gc_paused()
def timeline_page(
    documents: Iterable[Document | EditionText],
    lexicon: Lexicon | None = None,
    date: str | None = None,
    terms: list[str] | tuple = (),
    options: ScanOptions = DEFAULT_OPTIONS,
    nav: Sequence[NavLink] = (),
) -> Rendered:
    """The timeline of `timeline_report` with its tables (rates, span, changes, chapters), its
    chart as one figure and its `timeline_data`; ``nav`` puts a site's navigation bar at its top."""
    data = timeline_data(documents, lexicon, terms, options)
    panels = charts.rates_panels(data["chart"])
    html = _render(
        "timeline.html.j2",
        date,
        data["lexicon"].categories,
        nav=nav,
        data=data,
        panels=[charts.svg(p) for p in panels],
        counting=options.sentence(),
    )

    def tables() -> Output:
        return Output(timeline_tables(data), data["provenance"])

    return Rendered(html, tables, charts.grid(panels, 3, data["chart"]["caption"]), data)


def timeline_tables(data: TimelineData) -> dict[str, pd.DataFrame]:
    """The tables behind a timeline (`timeline_data`): rates, span, changes, and chapters, one row
    per chapter pair of each step with its kind, label and the words kept."""
    columns = ["from", "to", "kind", "label", "a", "b", "retained", "elsewhere", "came_from", "links"]
    chapters = pd.DataFrame(
        [
            {
                "from": step["a"],
                "to": step["b"],
                "kind": p["kind"],
                "label": p["label"],
                "a": " + ".join(p["a_ids"]),
                "b": " + ".join(p["b_ids"]),
                "retained": p["retained"],
                "elsewhere": p["elsewhere"],
                "came_from": p["came_from"],
                "links": p["links"],
            }
            for step in data["chapters"]
            for p in step["pairs"]
        ],
        columns=columns,
    )
    return {**data["tables"], "chapters": chapters}


def render_page(
    template: str, date: str | None, categories: list[Category], nav: Sequence[NavLink] = (), **context: Any
) -> str:
    """Render another page with the reports' conventions (the base template and its stylesheet,
    jinja2's autoescaping of every text, a Content-Security-Policy allowing only the print helper,
    the date fixed by ``date``, a site's navigation bar when ``nav`` is given): used by `wtcompare
    check` and by the pages of `wtcompare.site`, whose templates live beside the reports'."""
    return _render(template, date, categories, nav=nav, **context)


def align_frame(section_pairs: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kind": p["kind"],
                "score": score_shown(p["score"]),
                "a": " + ".join(u["id"] for u in p["a"]),
                "b": " + ".join(u["id"] for u in p["b"]),
                "retained": p["retained"],
                "uncertain": p["uncertain"],
                "source": p["source"],
            }
            for p in section_pairs
        ]
    )


def write_report(path: str | Path, html: str) -> Path:
    return atomic_write(path, html)
