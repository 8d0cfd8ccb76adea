"""Report data: everything a report shows, computed from the stages as plain dicts and lists.

Templates only lay this out; no figure is computed in a template.
"""
from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import asdict

import pandas as pd

from ..align import Alignment, align_levels, retained_share
from ..diff import DELETE, EQUAL, INSERT, Piece, word_diff
from ..lexicon import Lexicon
from ..model import Document, Edition
from ..overrides import Overrides
from ..participants import uncertain_occurrences, uncertain_share
from ..progress import stage
from ..scan import ScanResult
from ..senses import blind_figure
from ..stats import keyness
from .structure import structure_map


def anchor(side: str, unit_id: str) -> str:
    """Stable HTML id of a section or paragraph: ``a-ch3-3.2`` for section ch3/3.2 of edition A
    (``side`` may also be an edition id, as KWIC evidence uses)."""
    return f"{side}-{unit_id.replace('/', '-')}"


def findings(data: dict) -> list[str]:
    """Three to six plain sentences with numbers, from the figures below them in the report."""
    a, b, s = data["a"], data["b"], data["summary"]
    change = s["length_change"]
    result = [f"{b['id']} is {abs(change):.0%} {'longer' if change >= 0 else 'shorter'} than {a['id']} "
              f"({s['words_a']:,} words to {s['words_b']:,})."]
    result.append(f"{s['retained']:.0%} of the words of {a['id']} are kept in {b['id']}; "
                  f"{s['sections']['deleted']} of its sections were removed and {s['sections']['inserted']} "
                  f"new ones added.")
    if s["chapters_removed"]:
        names = "; ".join(f"\u201c{c['heading']}\u201d ({c['words']:,} words)" for c in s["chapters_removed"][:3])
        more = f" and {len(s['chapters_removed']) - 3} more" if len(s["chapters_removed"]) > 3 else ""
        result.append(f"{len(s['chapters_removed'])} chapter(s) of {a['id']} were removed whole: {names}{more}.")
    moves = {k: s["sections"][k] for k in ("moved", "split", "merged") if s["sections"][k]}
    if moves:
        result.append("Restructuring: " + ", ".join(f"{n} section(s) {k}" for k, n in moves.items()) + ".")
    changed = [c for c in data["vocabulary"] if c["p"] is not None and c["p"] < 0.05]
    for c in sorted(changed, key=lambda c: -abs(c["log_ratio"] or 0))[:2]:
        direction = "rose" if c["b"][1] > c["a"][1] else "fell"
        p_text = "p < 0.001" if c["p"] < 0.001 else f"p = {c['p']:.3f}"
        result.append(f"{c['label']} {direction} from {c['a'][1]:.1f} to {c['b'][1]:.1f} per 10,000 words "
                      f"({c['a'][0]} to {c['b'][0]} occurrences; a significant change, log-likelihood "
                      f"{c['g2']:.1f}, {p_text}).")
    if len(result) < 6 and not changed:
        result.append("No lexicon category changed by more than chance would explain (log-likelihood, p < 0.05).")
    return result[:6]


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
    columns = (counted[c].tolist() for c in ("edition", "unit", "start", "end", "category"))
    for edition, unit, start, end, category in zip(*columns):
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
    section_a = {p: _section_of(p) for p in paragraphs.units_a}
    section_b = {p: _section_of(p) for p in paragraphs.units_b}
    rows: list[list[dict]] = [[] for _ in sections.pairs]
    with stage("diff"):
        diffs = _word_diffs(paragraphs)
    for pair, diff in zip(paragraphs.pairs, diffs):
        units_a = [paragraphs.units_a[i] for i in pair.a]
        units_b = [paragraphs.units_b[i] for i in pair.b]
        text_a, marks_a = _joined(units_a, [marks.get((paragraphs.a, u.id), []) for u in units_a])
        text_b, marks_b = _joined(units_b, [marks.get((paragraphs.b, u.id), []) for u in units_b])
        group = group_of[("b", section_b[pair.b[0]])] if pair.b else group_of[("a", section_a[pair.a[0]])]
        moved_from = sorted({section_a[i] for i in pair.a} - set(sections.pairs[group].a))
        pieces = highlight(diff, marks_a, marks_b)
        rows[group].append({
            "kind": pair.kind, "score": pair.score, "uncertain": pair.uncertain, "source": pair.source,
            "anchors": [anchor(side, u.id) for u in units_a for side in ("a", paragraphs.a)]
                       + [anchor(side, u.id) for u in units_b for side in ("b", paragraphs.b)],
            "a": [{"id": u.id, "number": u.number, "page": u.page} for u in units_a],
            "b": [{"id": u.id, "number": u.number, "page": u.page} for u in units_b],
            "moved_from": moved_from,
            "pieces": pieces,
            "terms": (Counter(c for _, _, c in marks_a), Counter(c for _, _, c in marks_b)),
        })
    result = []
    for pair, pair_rows in zip(sections.pairs, rows):
        terms_a = sum((r["terms"][0] for r in pair_rows), Counter())
        terms_b = sum((r["terms"][1] for r in pair_rows), Counter())
        result.append({
            "kind": pair.kind, "score": pair.score, "retained": pair.retained, "uncertain": pair.uncertain,
            "source": pair.source,
            "a": [{"id": s, "heading": sections.units_a[s].heading, "anchor": anchor("a", s)} for s in pair.a],
            "b": [{"id": s, "heading": sections.units_b[s].heading, "anchor": anchor("b", s)} for s in pair.b],
            "rows": pair_rows,
            "changed": pair.kind != "unchanged",
            "terms_changed": terms_a != terms_b,
        })
    return result


def _word_diffs(paragraphs: Alignment) -> list[list[Piece]]:
    """The word diff of every paragraph pair. Not cached: diffing is faster than reading a cache."""
    return [word_diff("\n\n".join(paragraphs.units_a[i].text for i in pair.a),
                      "\n\n".join(paragraphs.units_b[i].text for i in pair.b)) for pair in paragraphs.pairs]


def _section_of(paragraph_id: str) -> str:
    """Paragraph ids are ``<section id>/p<n>`` (see `DocumentBuilder.paragraph`)."""
    return paragraph_id.rsplit("/", 1)[0]


def vocabulary(scan_result: ScanResult, lexicon: Lexicon, a: str, b: str) -> list[dict]:
    """Per category: totals and terms with counts and rates in A and B."""
    rows = scan_result.rows

    def pivot(frame: pd.DataFrame, keys: list[str]) -> dict:
        return {tuple(r[k] for k in keys) + (r["edition"],): (int(r["count"]), float(r["per_10k"]))
                for r in frame.to_dict("records")}

    terms = pivot(rows, ["category", "term"])
    totals = pivot(scan_result.categories(), ["category"])
    key_terms = keyness(scan_result, a, b).set_index(["category", "term"])
    key_categories = keyness(scan_result, a, b, by="category").set_index("category")

    def stats(table: pd.DataFrame, key) -> dict:
        if key not in table.index:
            return {"g2": None, "p": None, "log_ratio": None}
        row = table.loc[key]
        ratio = float(row["log_ratio"])
        return {"g2": float(row["g2"]), "p": float(row["p"]), "log_ratio": None if math.isnan(ratio) else ratio}
    result = []
    for index, category in enumerate(lexicon.categories + ([lexicon.category("adhoc")] if lexicon.adhoc else [])):
        term_rows = [{"term": t.id, "basis": t.basis, "a": terms.get((category.id, t.id, a), (0, 0.0)),
                      "b": terms.get((category.id, t.id, b), (0, 0.0)), **stats(key_terms, (category.id, t.id))}
                     for t in lexicon.terms + lexicon.adhoc if t.category == category.id]
        result.append({"index": index, "id": category.id, "label": category.label,
                       "description": category.description, "colour": category.colour,
                       "a": totals.get((category.id, a), (sum(r["a"][0] for r in term_rows), 0.0)),
                       "b": totals.get((category.id, b), (sum(r["b"][0] for r in term_rows), 0.0)),
                       "terms": term_rows, **stats(key_categories, category.id)})
    return result


def senses(scan_result: ScanResult) -> dict:
    """For the methods section and the list to check: the occurrences of ambiguous words counted
    (or set aside) by a fallback rule or on conflicting evidence, their share of all counted
    occurrences of those words, and the lexicon's figure on the shipped blind sentence sets."""
    uncertain, counted = uncertain_share(scan_result.kwic)
    return {"uncertain": uncertain_occurrences(scan_result.kwic, scan_result.lexicon).to_dict("records"),
            "uncertain_counted": uncertain, "counted": counted, "share": uncertain / counted if counted else 0.0,
            "families": ", ".join(f.id for f in scan_result.lexicon.families),
            "blind": blind_figure(scan_result.lexicon)}


def kwic(scan_result: ScanResult) -> list[dict]:
    """Counted matches; each ``anchor`` (``<edition>-<paragraph id>``) is the paragraph's id in the report."""
    return scan_result.counted.to_dict("records")


def pair_data(doc_a: Document, doc_b: Document, scan_result: ScanResult, overrides: Overrides | None = None) -> dict:
    alignments = align_levels(doc_a, doc_b, overrides)
    lexicon = scan_result.lexicon
    a, b = alignments["paragraph"].a, alignments["paragraph"].b
    sections = alignments["section"]
    retention = sections.retention()
    data = {
        "structure": structure_map(sections, anchor),
        "uncertain": [{"kind": p.kind, "score": p.score, "a": p.a, "b": p.b, "level": level}
                      for level in ("section", "paragraph") for p in alignments[level].uncertain()],
        "retention": retention[retention["side"] == "a"].to_dict("records"),
        "new_text": retention[retention["side"] == "b"].to_dict("records"),
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
        "kwic": kwic(scan_result),
        "excluded": scan_result.kwic[scan_result.kwic["status"] == "excluded"].to_dict("records"),
        "senses": senses(scan_result),
        "lexicon": {"id": lexicon.id, "version": lexicon.version, "sha256": lexicon.sha256,
                    "categories": lexicon.categories},
        "warnings": doc_a.warnings + doc_b.warnings,
    }
    data["findings"] = findings(data)
    return data
