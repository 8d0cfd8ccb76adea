"""Report data: everything a report shows, computed from the stages as plain dicts and lists.

Templates only lay this out; no figure is computed in a template.
"""
from __future__ import annotations

import bisect
from dataclasses import asdict

import pandas as pd

from ..align import Alignment, align_levels, retained_share
from ..diff import DELETE, EQUAL, INSERT, word_diff
from ..lexicon import Lexicon
from ..model import Document, Edition
from ..overrides import Overrides
from ..scan import ScanResult


def anchor(side: str, unit_id: str) -> str:
    """Stable HTML id of a section or paragraph: ``a-ch3-3.2`` for section ch3/3.2 of edition A."""
    return f"{side}-{unit_id.replace('/', '-')}"


def edition_facts(document: Document) -> dict:
    edition = document.edition or Edition(id="document", title="Document")
    facts = asdict(edition)
    facts.update(words=document.word_count, paragraphs=sum(1 for _ in document.paragraphs()),
                 sections=sum(1 for s in document.walk() if s.paragraphs), chapters=len(document.sections),
                 source_name=(edition.source or "").replace("\\", "/").rsplit("/", 1)[-1] or None,
                 fictional=edition.fictional)
    return facts


def summary(doc_a: Document, doc_b: Document, alignments: dict[str, Alignment]) -> dict:
    sections = alignments["section"].counts()
    chapters = alignments["chapter"]
    removed = [chapters.units_a[p.a[0]] for p in chapters.pairs if p.kind == "deleted"]
    added = [chapters.units_b[p.b[0]] for p in chapters.pairs if p.kind == "inserted"]
    words_a, words_b = doc_a.word_count, doc_b.word_count
    return {
        "words_a": words_a, "words_b": words_b,
        "length_change": (words_b - words_a) / words_a if words_a else 0.0,
        "sections": {k: sections.get(k, 0) for k in
                     ("unchanged", "changed", "moved", "split", "merged", "deleted", "inserted")},
        "sections_kept": sum(sections.get(k, 0) for k in ("unchanged", "changed", "moved")),
        "chapters_removed": [{"id": u.id, "heading": u.heading, "words": u.words} for u in removed],
        "chapters_added": [{"id": u.id, "heading": u.heading, "words": u.words} for u in added],
        "retained": retained_share(alignments["paragraph"]),
    }


def _marks(scan_result: ScanResult, lexicon: Lexicon) -> dict[tuple[str, str], list[tuple[int, int, int]]]:
    """Counted matches per (edition, paragraph) as (start, end, category index)."""
    index = {c.id: k for k, c in enumerate(lexicon.categories)}
    marks: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    counted = scan_result.counted
    for edition, unit, start, end, category in zip(counted["edition"], counted["unit"], counted["start"],
                                                   counted["end"], counted["category"]):
        if category in index:
            marks.setdefault((edition, unit), []).append((int(start), int(end), index[category]))
    return marks


def _joined(units: list, marks: list[list[tuple[int, int, int]]]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join unit texts with blank lines, shifting each unit's marks into the joined text."""
    text, shifted, offset = [], [], 0
    for unit, unit_marks in zip(units, marks):
        text.append(unit.text)
        shifted.extend((s + offset, e + offset, c) for s, e, c in unit_marks)
        offset += len(unit.text) + 2
    return "\n\n".join(text), sorted(shifted)


def highlight(pieces, marks_a, marks_b) -> list[tuple[str, str, int | None]]:
    """Split diff pieces where lexicon matches start and end: (op, text, category index or None).
    Deleted text takes A's marks; equal and inserted text take B's."""
    out: list[tuple[str, str, int | None]] = []
    pos = {"a": 0, "b": 0}
    for piece in pieces:
        side = "a" if piece.op == DELETE else "b"
        marks = marks_a if side == "a" else marks_b
        start = pos[side]
        bounds = sorted({start, start + len(piece.text)} | {x for s, e, _ in marks for x in (s, e)
                                                             if start < x < start + len(piece.text)})
        starts = [s for s, _, _ in marks]
        for left, right in zip(bounds, bounds[1:]):
            k = bisect.bisect_right(starts, left) - 1
            category = marks[k][2] if k >= 0 and marks[k][0] <= left and right <= marks[k][1] else None
            out.append((piece.op, piece.text[left - start:right - start], category))
        if piece.op in (EQUAL, DELETE):
            pos["a"] += len(piece.text)
        if piece.op in (EQUAL, INSERT):
            pos["b"] += len(piece.text)
    return out


def section_diffs(alignments: dict[str, Alignment], scan_result: ScanResult, lexicon: Lexicon) -> list[dict]:
    """One entry per section pair, holding its paragraph pairs as highlighted word diffs."""
    paragraphs, sections = alignments["paragraph"], alignments["section"]
    marks = _marks(scan_result, lexicon)
    group_of: dict[tuple[str, str], int] = {}
    for k, pair in enumerate(sections.pairs):
        group_of.update({("a", s): k for s in pair.a})
        group_of.update({("b", s): k for s in pair.b})
    section_a = {p: u.id for u in sections.units_a.values() for p in _paragraph_ids(paragraphs.units_a, u.id)}
    section_b = {p: u.id for u in sections.units_b.values() for p in _paragraph_ids(paragraphs.units_b, u.id)}
    rows: list[list[dict]] = [[] for _ in sections.pairs]
    for pair in paragraphs.pairs:
        units_a = [paragraphs.units_a[i] for i in pair.a]
        units_b = [paragraphs.units_b[i] for i in pair.b]
        text_a, marks_a = _joined(units_a, [marks.get((paragraphs.a, u.id), []) for u in units_a])
        text_b, marks_b = _joined(units_b, [marks.get((paragraphs.b, u.id), []) for u in units_b])
        group = group_of[("b", section_b[pair.b[0]])] if pair.b else group_of[("a", section_a[pair.a[0]])]
        moved_from = sorted({section_a[i] for i in pair.a} - set(sections.pairs[group].a))
        rows[group].append({
            "kind": pair.kind, "score": pair.score,
            "anchors": [anchor("a", u.id) for u in units_a] + [anchor("b", u.id) for u in units_b],
            "a": [{"id": u.id, "number": u.number, "page": u.page} for u in units_a],
            "b": [{"id": u.id, "number": u.number, "page": u.page} for u in units_b],
            "moved_from": moved_from,
            "pieces": highlight(word_diff(text_a, text_b), marks_a, marks_b),
        })
    result = []
    for pair, pair_rows in zip(sections.pairs, rows):
        result.append({
            "kind": pair.kind, "score": pair.score, "retained": pair.retained,
            "a": [{"id": s, "heading": sections.units_a[s].heading, "anchor": anchor("a", s)} for s in pair.a],
            "b": [{"id": s, "heading": sections.units_b[s].heading, "anchor": anchor("b", s)} for s in pair.b],
            "rows": pair_rows,
            "changed": pair.kind != "unchanged",
        })
    return result


def _paragraph_ids(units: dict, section_id: str) -> list[str]:
    prefix = section_id + "/p"
    return [i for i in units if i.startswith(prefix) and i[len(prefix):].isdigit()]


def vocabulary(scan_result: ScanResult, lexicon: Lexicon, a: str, b: str) -> list[dict]:
    """Per category: totals and terms with counts and rates in A and B."""
    rows = scan_result.rows

    def pivot(frame: pd.DataFrame, keys: list[str]) -> dict:
        return {tuple(r[k] for k in keys) + (r["edition"],): (int(r["count"]), float(r["per_10k"]))
                for r in frame.to_dict("records")}

    terms = pivot(rows, ["category", "term"])
    totals = pivot(scan_result.categories(), ["category"])
    result = []
    for index, category in enumerate(lexicon.categories + ([lexicon.category("adhoc")] if lexicon.adhoc else [])):
        term_rows = [{"term": t.id, "basis": t.basis, "a": terms.get((category.id, t.id, a), (0, 0.0)),
                      "b": terms.get((category.id, t.id, b), (0, 0.0))}
                     for t in lexicon.terms + lexicon.adhoc if t.category == category.id]
        result.append({"index": index, "id": category.id, "label": category.label,
                       "description": category.description, "colour": category.colour,
                       "a": totals.get((category.id, a), (sum(r["a"][0] for r in term_rows), 0.0)),
                       "b": totals.get((category.id, b), (sum(r["b"][0] for r in term_rows), 0.0)),
                       "terms": term_rows})
    return result


def kwic(scan_result: ScanResult, a: str, b: str) -> list[dict]:
    """Counted matches with the anchor of their paragraph in the report."""
    counted = scan_result.counted
    side = {a: "a", b: "b"}
    return [dict(row, anchor=anchor(side[row["edition"]], row["unit"])) for row in counted.to_dict("records")]


def pair_data(doc_a: Document, doc_b: Document, scan_result: ScanResult, overrides: Overrides | None = None) -> dict:
    alignments = align_levels(doc_a, doc_b, overrides)
    lexicon = scan_result.lexicon
    a, b = alignments["paragraph"].a, alignments["paragraph"].b
    return {
        "a": edition_facts(doc_a), "b": edition_facts(doc_b),
        "summary": summary(doc_a, doc_b, alignments),
        "chapters": alignments["chapter"].pairs, "chapter_units": (alignments["chapter"].units_a,
                                                                   alignments["chapter"].units_b),
        # chapters that hold text directly (front matter) already have an anchor as a section
        "chapter_anchors": {(side, u): anchor(side, u) for side, units in (("a", alignments["chapter"].units_a),
                                                                          ("b", alignments["chapter"].units_b))
                            for u in units if u not in alignments["section"].units_a | alignments["section"].units_b},
        "section_pairs": section_diffs(alignments, scan_result, lexicon),
        "vocabulary": vocabulary(scan_result, lexicon, a, b),
        "kwic": kwic(scan_result, a, b),
        "lexicon": {"id": lexicon.id, "version": lexicon.version, "sha256": lexicon.sha256,
                    "categories": lexicon.categories},
        "warnings": doc_a.warnings + doc_b.warnings,
    }
