"""Report data: everything a report shows, computed from the stages as plain dicts and lists.

Templates only lay this out; no figure is computed in a template.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import asdict
from typing import Any, TypedDict

import pandas as pd

from ..align import KEPT, Alignment, PairKind, Unit, align_levels, retained_share
from ..diff import DELETE, EQUAL, INSERT, Piece, word_diff
from ..lexicon import ADHOC, Lexicon
from ..model import Document, Edition
from ..outline import EditionText
from ..output import records
from ..overrides import Overrides
from ..participants import uncertain_occurrences, uncertain_share
from ..progress import stage
from ..scan import ScanResult
from ..senses import BlindFigure, blind_figure
from ..stats import ALPHA, keyness, significant
from ..text import quantity
from .structure import ChapterMap, chapter_map, kept_share, rewritten


def anchor(side: str, unit_id: str) -> str:
    """Stable HTML id of a section or paragraph: ``a-ch3-3.2`` for section ch3/3.2 of edition A
    (``side`` may also be an edition id, as KWIC evidence uses)."""
    return f"{side}-{unit_id.replace('/', '-')}"


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _removed_chapter(chapter: dict, b: str) -> str:
    """What became of a chapter of A that has no counterpart in B, as its retention says: "removed
    whole" only when none of its words is found in B."""
    heading, kept, words = f"\u201c{chapter['heading']}\u201d", chapter["kept"], chapter["words"]
    if kept == 0:
        return f"{heading} was removed whole ({words:,} words)"
    how = "mostly removed" if kept < words / 2 else "broken up"
    return f"{heading} was {how} ({kept:,} of {words:,} words kept, in {_listed(chapter['kept_in'])} of {b})"


def _sections_without_counterpart(group: dict, side: str, other: str, removed: bool) -> str:
    """Sections of A without a counterpart in B (``removed``), or of B without one in A: "removed
    whole" or "new" only when they share no word with the other edition."""
    count, words, shared = group["count"], group["words"], group["shared"]
    if not count:
        return "no section was removed" if removed else "no section is new"
    one = count == 1
    head, their = f"{quantity(count, 'section')} of {side}", "its" if one else "their"
    if not shared:
        state = f"{'was' if one else 'were'} removed whole" if removed else f"{'is' if one else 'are'} new"
        return f"{head} {state} ({words:,} words)"
    detail = (
        f"{shared:,} of {their} {words:,} words kept elsewhere"
        if removed
        else f"{words - shared:,} of {their} {words:,} words are new"
    )
    return f"{head} {'has' if one else 'have'} no counterpart in {other} ({detail})"


def findings(data: PairData) -> list[str]:
    """Three to six plain sentences, each built from figures that a table of the report shows
    (and that ``align``, ``scan`` and ``keyness`` print): lengths, words kept, sections and
    chapters removed or new, restructuring, and the categories whose change is significant after
    Holm's correction, with the log ratio and its 95% confidence interval."""
    a, b, s = data["a"]["id"], data["b"]["id"], data["summary"]
    change = s["length_change"]
    result = [
        f"{b} is {abs(change):.0%} {'longer' if change >= 0 else 'shorter'} than {a} "
        f"({s['words_a']:,} words to {s['words_b']:,})."
    ]
    gone = _sections_without_counterpart(s["sections_removed"], a, b, removed=True)
    added = _sections_without_counterpart(s["sections_new"], b, a, removed=False)
    result.append(
        f"{s['retained']:.0%} of the words in the paragraphs of {a} ({s['kept_words']:,} of "
        f"{s['paragraph_words_a']:,}) are kept in {b}; {gone}, and {added}."
    )
    chapters = s["chapters_removed"]
    if chapters:
        more = f"; and {len(chapters) - 3} more" if len(chapters) > 3 else ""
        result.append(
            f"{quantity(len(chapters), 'chapter')} of {a} {'has' if len(chapters) == 1 else 'have'} no "
            f"counterpart in {b}: " + "; ".join(_removed_chapter(c, b) for c in chapters[:3]) + more + "."
        )
    moves = s["restructuring"]
    parts = ([f"{quantity(moves['moved'], 'section')} moved"] if moves["moved"] else []) + [
        f"{quantity(moves[k][0], 'section')} {verb} into {moves[k][1]:,}"
        for k, verb in (("split", "split"), ("merged", "merged"))
        if moves[k][0]
    ]
    if parts:
        result.append("Restructuring: " + "; ".join(parts) + ".")
    tested = [c for c in data["vocabulary"] if c["total"] and c["p_holm"] is not None]
    changed = [c for c in tested if c["significant"]]
    ranked = sorted(changed, key=lambda c: (-abs(c["log_ratio"]), c["id"]))
    for c in ranked[:2]:
        direction = "rose" if c["b"][1] > c["a"][1] else "fell"
        # a count resting on occurrences read by a fallback rule says so where it is stated
        doubtful = [
            sum(1 for k in data["kwic"] if k["edition"] == e and k["category"] == c["id"] and k["uncertain"])
            for e in (a, b)
        ]
        unsure = (
            f", of which {doubtful[0]:,} and {doubtful[1]:,} were counted by a fallback rule: see the uncertain "
            "occurrences under Methods"
            if any(doubtful)
            else ""
        )
        result.append(
            f"{c['label']} {direction} from {c['a'][1]:.1f} to {c['b'][1]:.1f} per 10,000 words "
            f"({c['a'][0]:,} to {c['b'][0]:,} occurrences{unsure}), a significant change: log ratio "
            f"{c['log_ratio']:+.2f} "
            f"(95% CI {c['log_ratio_low']:+.2f} to {c['log_ratio_high']:+.2f}), log-likelihood "
            f"{c['g2']:.1f}, Holm-adjusted {_p_text(c['p_holm'])}."
        )
    if len(ranked) > 2:  # the choice of two is stated, and what it leaves out named
        rest = ranked[2:]
        result[-1] += (
            f" {quantity(len(rest), 'other category', 'other categories')} also changed significantly "
            f"({', '.join(c['label'] for c in rest)}); these two have the largest log ratios, and the "
            "vocabulary table gives every category."
        )
    if len(result) < 6 and not changed:
        result.append(
            f"No lexicon category changed by more than chance would explain: Holm-adjusted p is "
            f"{ALPHA} or more for each of the {quantity(len(tested), 'category', 'categories')} tested."
        )
    return result[:6]


def shown_edition(document: Document | EditionText) -> Edition:
    """The edition a report names a document by: its registry entry, or "Document" for one outside a registry."""
    return document.edition or Edition(id="document", title="Document")


def edition_facts(document: Document | EditionText, words: int) -> dict:
    """An edition's registry entry and size; ``words`` is its token count, the denominator of every
    rate (see the README's counting rules), so that every word count in a report is the same one."""
    text = EditionText.of(document)
    edition = shown_edition(text)
    outline = text.outline()
    facts = asdict(edition)
    facts.update(
        words=words,
        paragraphs=outline.paragraphs,
        sections=outline.sections,
        chapters=len(outline.chapters),
        source_name=(edition.source or "").replace("\\", "/").rsplit("/", 1)[-1] or None,
        fictional=edition.fictional,
    )
    return facts


def _tokens(scan_result: ScanResult, a: str, b: str) -> tuple[int, int]:
    tokens = scan_result.rows.groupby("edition")["tokens"].first()
    return int(tokens[a]), int(tokens[b])


def summary(alignments: dict[str, Alignment], tokens: tuple[int, int]) -> dict:
    """Lengths, words kept, what became of sections and chapters. The lengths are ``tokens``, the
    scan's count of the whole counted text (headings and footnotes included), which every rate
    divides by; the rest comes from the alignments, whose unit word counts are the tokens of the
    paragraph text they align."""
    sections, chapters = alignments["section"], alignments["chapter"]
    kinds = sections.counts()
    words_a, words_b = tokens
    section_retention = _by_unit(sections.retention())
    gone = [section_retention[("a", p.a[0])] for p in sections.pairs if p.kind == PairKind.DELETED]
    new = [section_retention[("b", p.b[0])] for p in sections.pairs if p.kind == PairKind.INSERTED]
    chapter_retention = _by_unit(chapters.retention())
    order_b = list(chapters.units_b)
    removed = []
    for pair in chapters.pairs:
        if pair.kind == PairKind.DELETED:
            unit = chapters.units_a[pair.a[0]]
            kept_in = sorted({t for (s, t), w in chapters.flow.items() if s == unit.id and w}, key=order_b.index)
            removed.append(
                {
                    "id": unit.id,
                    "heading": unit.heading,
                    "words": unit.words,
                    "kept": int(chapter_retention[("a", unit.id)]["shared"]),
                    "kept_in": kept_in,
                }
            )
    added = [(chapters.units_b[p.b[0]], chapters.elsewhere(p)) for p in chapters.pairs if p.kind == PairKind.INSERTED]
    paragraphs = alignments["paragraph"]
    return {
        "words_a": words_a,
        "words_b": words_b,
        # the words the alignment compares: the tokens of paragraph text (headings and footnotes
        # are counted in the lengths and rates, not aligned); the structure map, the chapter and
        # section tables and the words kept all count these
        "paragraph_words_a": sum(u.words for u in paragraphs.units_a.values()),
        "paragraph_words_b": sum(u.words for u in paragraphs.units_b.values()),
        "kept_words": sum(p.retained for p in paragraphs.pairs),
        "length_change": (words_b - words_a) / words_a if words_a else 0.0,
        "sections": {k.value: kinds.get(k, 0) for k in PairKind},
        "sections_kept": sum(kinds.get(k, 0) for k in (*KEPT, PairKind.MOVED)),
        # sections without a counterpart: how many, their words, and how many of those the other edition shares
        **{
            key: {
                "count": len(rows),
                "words": int(sum(r["words"] for r in rows)),
                "shared": int(sum(r["shared"] for r in rows)),
            }
            for key, rows in (("sections_removed", gone), ("sections_new", new))
        },
        # (sections of A, sections of B) in split and in merged pairs
        "restructuring": {
            "moved": kinds.get(PairKind.MOVED, 0),
            **{
                k.value: (
                    sum(len(p.a) for p in sections.pairs if p.kind == k),
                    sum(len(p.b) for p in sections.pairs if p.kind == k),
                )
                for k in (PairKind.SPLIT, PairKind.MERGED)
            },
        },
        "chapters_removed": removed,
        "chapters_added": [
            {"id": u.id, "heading": u.heading, "words": u.words, "came_from": came_from} for u, came_from in added
        ],
        "retained": retained_share(alignments["paragraph"]),
    }


def _by_unit(retention: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """`Alignment.retention`'s rows by (side, unit): looked up one by one, plain dicts are far
    faster than the frame's ``.loc``."""
    return {(row["side"], row["unit"]): row for row in retention.to_dict("records")}


def _marks(scan_result: ScanResult, lexicon: Lexicon) -> dict[tuple[str, str], list[tuple[int, int, int]]]:
    """Counted matches per (edition, paragraph) as (start, end, category index)."""
    index = {c.id: k for k, c in enumerate(lexicon.categories)}
    marks: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    counted = scan_result.counted
    counted = counted[~counted["heading"].astype(bool) & ~counted["footnote"].astype(bool)]  # not in paragraph text
    columns = (counted[c].tolist() for c in ("edition", "unit", "start", "end", "category"))
    for edition, unit, start, end, category in zip(*columns, strict=True):
        if category in index:
            marks.setdefault((edition, unit), []).append((int(start), int(end), index[category]))
    return marks


def _joined(units: list, marks: list[list[tuple[int, int, int]]]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join unit texts with blank lines, shifting each unit's marks into the joined text."""
    text: list[str] = []
    shifted: list[tuple[int, int, int]] = []
    offset = 0
    for unit, unit_marks in zip(units, marks, strict=True):
        text.append(unit.text)
        shifted.extend((s + offset, e + offset, c) for s, e, c in unit_marks)
        offset += len(unit.text) + 2
    return "\n\n".join(text), sorted(shifted)


def highlight(
    pieces: list[Piece], marks_a: list[tuple[int, int, int]], marks_b: list[tuple[int, int, int]]
) -> list[tuple[str, str, int | None]]:
    """Split diff pieces where lexicon matches start and end: (op, text, category index or None).
    Deleted text takes A's marks; equal and inserted text take B's."""
    out: list[tuple[str, str, int | None]] = []
    pos = {"a": 0, "b": 0}
    for piece in pieces:
        side = "a" if piece.op == DELETE else "b"
        marks = marks_a if side == "a" else marks_b
        start = pos[side]
        bounds = sorted(
            {start, start + len(piece.text)}
            | {x for s, e, _ in marks for x in (s, e) if start < x < start + len(piece.text)}
        )
        starts = [s for s, _, _ in marks]
        for left, right in zip(bounds, bounds[1:], strict=False):
            k = bisect.bisect_right(starts, left) - 1
            category = marks[k][2] if k >= 0 and marks[k][0] <= left and right <= marks[k][1] else None
            out.append((piece.op, piece.text[left - start : right - start], category))
        if piece.op in (EQUAL, DELETE):
            pos["a"] += len(piece.text)
        if piece.op in (EQUAL, INSERT):
            pos["b"] += len(piece.text)
    return out


def heading_hosts(document: Document) -> dict[str, list[str]]:
    """For each section with text, the sections whose headings are shown with it: itself, and the
    headings above it that hold no text of their own (a chapter heading over its first section);
    headings with no text anywhere below them go with the section before them. Every heading of
    the edition gets its anchor (``<edition>-<section id>``) in exactly one place in the report."""
    hosts: dict[str, list[str]] = {}
    pending: list[str] = []
    last = None
    for section in document.walk():
        if section.paragraphs:
            hosts[section.id] = pending + [section.id]
            pending, last = [], section.id
        else:
            pending.append(section.id)
    if pending and last is not None:
        hosts[last] += pending
    return hosts


def section_pairs(alignments: dict[str, Alignment], documents: tuple[Document, Document]) -> list[dict]:
    """One entry per section pair: its kind, score, words retained, whether it is uncertain and
    who set it, and its sections of each edition with their headings and anchors (the section
    table, the sections CSV, and the heads of the diffs that `section_diffs` fills in)."""
    sections = alignments["section"]
    hosts = {"a": heading_hosts(documents[0]), "b": heading_hosts(documents[1])}

    def side(ids: list[str], label: str, units: dict[str, Unit], edition: str) -> list[dict]:
        return [
            {
                "id": s,
                "heading": units[s].heading,
                "anchor": anchor(label, s),
                "heading_anchors": [anchor(edition, h) for h in hosts[label].get(s, [s])],
            }
            for s in ids
        ]

    return [
        {
            "kind": pair.kind,
            "score": pair.score,
            "retained": pair.retained,
            "uncertain": pair.uncertain,
            "source": pair.source,
            "a": side(pair.a, "a", sections.units_a, sections.a),
            "b": side(pair.b, "b", sections.units_b, sections.b),
        }
        for pair in sections.pairs
    ]


def section_diffs(
    alignments: dict[str, Alignment], scan_result: ScanResult, lexicon: Lexicon, documents: tuple[Document, Document]
) -> list[dict]:
    """`section_pairs`, each with its paragraph pairs as highlighted word diffs (``rows``), whether
    it changed, and whether the lexicon's terms in it did."""
    paragraphs, sections = alignments["paragraph"], alignments["section"]
    marks = _marks(scan_result, lexicon)
    group_of: dict[tuple[str, str], int] = {}
    for k, pair in enumerate(sections.pairs):
        group_of.update({("a", s): k for s in pair.a})
        group_of.update({("b", s): k for s in pair.b})
    section_a = {p: _section_of(p) for p in paragraphs.units_a}
    section_b = {p: _section_of(p) for p in paragraphs.units_b}
    rows: list[list[dict]] = [[] for _ in sections.pairs]
    with stage("diff"):
        diffs = _word_diffs(paragraphs)
    for pair, diff in zip(paragraphs.pairs, diffs, strict=True):
        units_a = [paragraphs.units_a[i] for i in pair.a]
        units_b = [paragraphs.units_b[i] for i in pair.b]
        text_a, marks_a = _joined(units_a, [marks.get((paragraphs.a, u.id), []) for u in units_a])
        text_b, marks_b = _joined(units_b, [marks.get((paragraphs.b, u.id), []) for u in units_b])
        group = group_of[("b", section_b[pair.b[0]])] if pair.b else group_of[("a", section_a[pair.a[0]])]
        moved_from = sorted({section_a[i] for i in pair.a} - set(sections.pairs[group].a))
        pieces = highlight(diff, marks_a, marks_b)
        rows[group].append(
            {
                "kind": pair.kind,
                "score": pair.score,
                "uncertain": pair.uncertain,
                "source": pair.source,
                "anchors": [anchor(side, u.id) for u in units_a for side in ("a", paragraphs.a)]
                + [anchor(side, u.id) for u in units_b for side in ("b", paragraphs.b)],
                "a": [{"id": u.id, "number": u.number, "page": u.page} for u in units_a],
                "b": [{"id": u.id, "number": u.number, "page": u.page} for u in units_b],
                "moved_from": moved_from,
                "pieces": pieces,
                "terms": (Counter(c for _, _, c in marks_a), Counter(c for _, _, c in marks_b)),
            }
        )
    result = []
    for pair, head, pair_rows in zip(sections.pairs, section_pairs(alignments, documents), rows, strict=True):
        terms_a: Counter[int] = sum((r["terms"][0] for r in pair_rows), Counter())
        terms_b: Counter[int] = sum((r["terms"][1] for r in pair_rows), Counter())
        result.append(
            {**head, "rows": pair_rows, "changed": pair.kind != PairKind.UNCHANGED, "terms_changed": terms_a != terms_b}
        )
    return result


def _word_diffs(paragraphs: Alignment) -> list[list[Piece]]:
    """The word diff of every paragraph pair. Not cached: diffing is faster than reading a cache."""
    return [
        word_diff(
            "\n\n".join(paragraphs.units_a[i].text for i in pair.a),
            "\n\n".join(paragraphs.units_b[i].text for i in pair.b),
        )
        for pair in paragraphs.pairs
    ]


def _section_of(paragraph_id: str) -> str:
    """Paragraph ids are ``<section id>/p<n>`` (see `DocumentBuilder.paragraph`)."""
    return paragraph_id.rsplit("/", 1)[0]


STATISTICS = ("g2", "p", "p_holm", "log_ratio", "log_ratio_low", "log_ratio_high")


def vocabulary(scan_result: ScanResult, lexicon: Lexicon, a: str, b: str) -> list[dict]:
    """Per lexicon category: its total and its terms, each with counts and rates in A and B and the
    keyness statistics of `wtcompare.stats.keyness` (Holm's correction over the category table
    for the totals, over the term table for the terms). Ad-hoc ``--term`` patterns come last, as a
    group without a total (``total`` False): each is counted on its own, so their matches may
    overlap and a sum would count a word twice."""

    def by_key(table: pd.DataFrame, keys: list[str]) -> dict:
        return {tuple(r[k] for k in keys): r for r in table.to_dict("records")}

    def figures(row: dict | None) -> dict:
        if row is None:
            return {"a": (0, 0.0), "b": (0, 0.0), "significant": False, **{k: None for k in STATISTICS}}
        stats = {k: None if pd.isna(row[k]) else float(row[k]) for k in STATISTICS}
        return {
            "a": (int(row["count_a"]), float(row["per_10k_a"])),
            "b": (int(row["count_b"]), float(row["per_10k_b"])),
            "significant": significant(stats["p_holm"]),
            **stats,
        }

    terms = by_key(keyness(scan_result, a, b), ["category", "term"])
    totals = by_key(keyness(scan_result, a, b, by="category"), ["category"])
    groups = lexicon.categories + ([lexicon.category(ADHOC)] if lexicon.adhoc else [])
    result = []
    for index, category in enumerate(groups):
        term_rows = [
            {"term": t.id, "basis": t.basis, **figures(terms.get((category.id, t.id)))}
            for t in lexicon.terms + lexicon.adhoc
            if t.category == category.id
        ]
        total = category.id != ADHOC
        result.append(
            {
                "index": index,
                "id": category.id,
                "label": category.label,
                "total": total,
                "description": category.description,
                "colour": category.colour,
                "terms": term_rows,
                **(
                    figures(totals.get((category.id,)))
                    if total
                    else {"a": None, "b": None, "significant": False, **{k: None for k in STATISTICS}}
                ),
            }
        )
    return result


def chart_bars(vocabulary: list[dict], a: str, b: str) -> dict:
    """The model of the rates chart (see `charts.rates_bars`): each lexicon category's total, then
    each ad-hoc term on its own, with its (count, rate) in A and B, the same figures as the
    vocabulary table."""
    bars = []
    for category in vocabulary:
        rows = (
            [(category["label"], category)]
            if category["total"]
            else [(f"{t['term']} (--term)", t) for t in category["terms"]]
        )
        bars += [{"label": label, "colour": category["colour"], "a": row["a"], "b": row["b"]} for label, row in rows]
    return {"editions": (a, b), "bars": bars}


def chart_panels(editions: list[dict], categories: list[dict]) -> dict:
    """The model of the timeline's chart (see `charts.rates_panels`): where each edition stands on
    the time axis, and a panel for each category's total and each ad-hoc term, with the (count,
    rate) of every edition, the same figures as the rates table.

    An edition stands at its date, or at the start of its year; one without either (from the
    Python API) puts every edition at its place in the order, evenly spaced. An edition is never
    put before the one it follows (an undated amendment stands with its base, as the series orders it)."""
    dated = all(e["date"] or e["year"] for e in editions)
    points, last = [], float("-inf")
    for k, edition in enumerate(editions):
        when = edition["date"] or (str(edition["year"]) if edition["year"] else "")
        last = max(last, _fractional_year(when) if dated else k + 1.0)
        points.append({"id": edition["id"], "when": when or f"edition {k + 1}", "x": last})
    panels = [{"label": c["label"], "colour": c["colour"], "cells": c["cells"]} for c in categories if c["total"]]
    panels += [
        {"label": f"{t['term']} (--term)", "colour": c["colour"], "cells": t["cells"]}
        for c in categories
        if not c["total"]
        for t in c["terms"]
    ]
    axis = "by publication date" if dated else "in publication order, evenly spaced (not every edition has a date)"
    return {
        "editions": points,
        "panels": panels,
        "caption": f"Occurrences per 10,000 words, {axis}; each panel has its own vertical scale, from 0",
    }


def _fractional_year(when: str) -> float:
    """``2018-07-04`` as 2018.50; ``2010-03`` as the first of March, ``2025`` as the first of January."""
    year, month, day = (int(part) for part in (when.split("-") + ["1", "1"])[:3])
    start = dt.date(year, 1, 1)
    return year + (dt.date(year, month, day) - start).days / (dt.date(year + 1, 1, 1) - start).days


def senses(scan_result: ScanResult, blind: BlindFigure | None) -> dict:
    """For the methods section and the list to check: the occurrences of ambiguous words counted
    (or set aside) by a fallback rule or on conflicting evidence, their share of all counted
    occurrences of those words, and ``blind``, the lexicon's figure on the shipped blind sentence
    sets (`wtcompare.senses.blind_figure`)."""
    uncertain, counted = uncertain_share(scan_result.kwic)
    return {
        "uncertain": records(uncertain_occurrences(scan_result.kwic, scan_result.lexicon)),
        "uncertain_counted": uncertain,
        "counted": counted,
        "share": uncertain / counted if counted else 0.0,
        "families": ", ".join(f.id for f in scan_result.lexicon.families),
        "blind": blind,
        # the blind figure names categories by id; the page by the labels its tables use
        "labels": {c.id: c.label for c in scan_result.lexicon.categories},
    }


def kwic(scan_result: ScanResult) -> list[dict]:
    """Counted matches; each ``anchor`` (``<edition>-<paragraph id>``) is the paragraph's id in the report."""
    return records(scan_result.counted)


def kind_label(kind: PairKind, elsewhere: int = 0, kept: float = 1.0) -> str:
    """What became of a chapter, in the words the chapter tables and the structure map use: one
    without counterpart is "removed whole", or has "no counterpart" when ``elsewhere`` of its words
    are found in other chapters; a chapter only in the later edition is "new", or "partly new" when
    ``elsewhere`` of its words came from chapters of the earlier one; one paired one to one that
    keeps too few of its words anywhere (``kept``, a share) is "rewritten" (`structure.rewritten`);
    the rest go by their kind."""
    if kind == PairKind.DELETED:
        return "no counterpart" if elsewhere else "removed whole"
    if kind == PairKind.INSERTED:
        return "partly new" if elsewhere else "new"
    if rewritten(kind, kept):
        return "rewritten"
    return kind.value


def went(words: int, from_a: bool, edition: str, links: str) -> str:
    """Where the words of a chapter went that are not in the chapter opposite (``from_a``), or
    where those of a new chapter came from, naming the edition of the chapters listed: "181 words
    kept in other chapters of sample-2021: ch4 (181)"."""
    where = "kept in other chapters of" if from_a else "came from"
    return f"{quantity(words, 'word')} {where} {edition}: {links}"


def chapter_table(chapters: Alignment, sections: Alignment) -> list[dict[str, Any]]:
    """The rows of a pair report's chapter table: each chapter pair's chapters on either side (with
    an anchor for a chapter that is not also a section, which has its own), its kind and what it
    is called (`kind_label`), its similarity, the words of its chapters of A kept in its chapters
    of B (``retained``) and in other chapters (``elsewhere``), and for a new chapter the words of it
    that came from chapters of A (``came_from``), with a note saying where (`went`). The word
    counts are 0 where the pair has no chapter of A, or for ``came_from`` where it has one."""
    # each edition's own: a chapter with no text of its own in A may share its id with one that has
    # some in B (whose section anchor does not serve A's)
    sectioned = {"a": sections.units_a.keys(), "b": sections.units_b.keys()}

    def listed(side: str, units: dict[str, Unit], ids: list[str]) -> list[dict[str, Any]]:
        return [
            {"id": u, "heading": units[u].heading, "anchor": None if u in sectioned[side] else anchor(side, u)}
            for u in ids
        ]

    rows = []
    for pair in chapters.pairs:
        elsewhere = chapters.elsewhere(pair)
        note = went(elsewhere, bool(pair.a), chapters.b if pair.a else chapters.a, chapters.elsewhere_links(pair))
        # a pair of one chapter of A: the share `check` judges it kept by
        kept = kept_share(chapters, pair.a[0]) if len(pair.a) == 1 else 1.0
        rows.append(
            {
                "a": listed("a", chapters.units_a, pair.a),
                "b": listed("b", chapters.units_b, pair.b),
                "kind": pair.kind,
                "label": kind_label(pair.kind, elsewhere, kept),
                "note": note if elsewhere else "",
                "score": pair.score,
                "retained": pair.retained,
                "elsewhere": elsewhere if pair.a else 0,
                "came_from": 0 if pair.a else elsewhere,
            }
        )
    return rows


Row = dict[str, Any]  # a row of one of the report's tables, by column (the columns of its CSV output)


class PairData(TypedDict):
    """Everything a pair report shows, computed here so that the template only lays it out (and
    the same figures feed the key findings, the chart and the tables). Rows are plain dicts whose
    keys are the columns of the table they come from."""

    a: Row  # edition A: its registry entry, words, paragraphs, sections, chapters (`edition_facts`)
    b: Row
    summary: Row  # lengths, words kept, what became of sections and chapters (`summary`)
    findings: list[str]  # the key findings, each a sentence computed from ``summary`` and ``vocabulary``
    structure: ChapterMap  # the structure map (`structure.chapter_map`)
    uncertain: list[Row]  # section and paragraph pairs marked uncertain: kind, score, a, b, level
    retention: list[Row]  # per section of A: its words, how many are kept in B, and where
    new_text: list[Row]  # per section of B: its words and how many came from A
    chapters: list[Row]  # the chapter table, one row per chapter pair in B's order (`chapter_table`)
    chapter_retention: list[Row]  # per chapter of A: its words, how many are kept in B, and where
    section_pairs: list[Row]  # per section pair: its units, kind, score (`section_pairs`; its diffs: `section_diffs`)
    vocabulary: list[Row]  # per category: totals and terms with counts, rates and keyness (`vocabulary`)
    chart: Row  # the rates chart's model (`chart_bars`)
    kwic: list[Row]  # every counted occurrence with its context
    excluded: list[Row]  # occurrences a rule set aside, with the rule
    senses: Row  # uncertain occurrences, their share and the lexicon's blind figure (`senses`)
    lexicon: Row  # id, version, SHA-256 and categories of the lexicon counted with
    warnings: list[str]  # what the loaders noticed in either edition
    cite_anchor: str  # the anchor "How to cite" gives as its example: the first section of A with a pair


def pair_data(
    doc_a: Document,
    doc_b: Document,
    scan_result: ScanResult,
    overrides: Overrides | None = None,
    alignments: dict[str, Alignment] | None = None,
    blind: BlindFigure | None = None,
) -> PairData:
    """Everything the pair report shows (see `PairData`) but its paragraphs' diffs, which
    `section_diffs` gives. ``alignments`` (of `align_levels`) and ``blind`` (the lexicon's blind
    figure) are computed here unless given."""
    alignments = alignments or align_levels(doc_a, doc_b, overrides)
    blind = blind if blind is not None else blind_figure(scan_result.lexicon)
    lexicon = scan_result.lexicon
    a, b = alignments["paragraph"].a, alignments["paragraph"].b
    sections = alignments["section"]
    retention = sections.retention()
    summary_data = summary(alignments, _tokens(scan_result, alignments["paragraph"].a, alignments["paragraph"].b))
    chapter_retention = records(alignments["chapter"].retention().query("side == 'a'"))
    sections_paired = section_pairs(alignments, (doc_a, doc_b))
    facts_a, facts_b = edition_facts(doc_a, summary_data["words_a"]), edition_facts(doc_b, summary_data["words_b"])
    rows = vocabulary(scan_result, lexicon, a, b)
    data: PairData = {
        "structure": chapter_map(alignments["chapter"], sections, anchor),
        "uncertain": [
            {"kind": p.kind, "score": p.score, "a": p.a, "b": p.b, "level": level}
            for level in ("section", "paragraph")
            for p in alignments[level].uncertain()
        ],
        "retention": records(retention[retention["side"] == "a"]),
        "new_text": records(retention[retention["side"] == "b"]),
        "a": facts_a,
        "b": facts_b,
        "summary": summary_data,
        "chapters": chapter_table(alignments["chapter"], sections),
        "section_pairs": sections_paired,
        "vocabulary": rows,
        "chart": chart_bars(rows, facts_a["id"], facts_b["id"]),
        "chapter_retention": chapter_retention,
        "kwic": kwic(scan_result),
        "excluded": records(scan_result.kwic[scan_result.kwic["status"] == "excluded"]),
        "senses": senses(scan_result, blind),
        "lexicon": {
            "id": lexicon.id,
            "version": lexicon.version,
            "sha256": lexicon.sha256,
            "categories": lexicon.categories,
        },
        "warnings": doc_a.warnings + doc_b.warnings,
        "cite_anchor": next((p["a"][0]["anchor"] for p in sections_paired if p["a"]), anchor("a", "ch1/1.1")),
        "findings": [],  # from the figures above, just below
    }
    data["findings"] = findings(data)
    return data
