"""What every level of alignment shares: units, pairs, the `Alignment`, and the thresholds."""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Document
from ..text import words

if TYPE_CHECKING:  # annotations only: pandas is imported where a table is made
    import pandas as pd

LEVELS = ("paragraph", "section", "chapter")
PAIR_THRESHOLD = 0.3  # minimum cosine similarity for two paragraphs to pair
CANDIDATE_THRESHOLD = 0.15  # below this two paragraphs are never compared further
CONTAINMENT = 0.6  # share of an unpaired paragraph's words found in a paired one to make a split/merge
SECTION_SHARE_A = 0.3  # share of an A section's words that must flow to a B section to link them
SECTION_SHARE_B = 0.5  # ... or share of a B section's words that must come from the A section
ORDER_BONUS = 0.05
CONTEXT_BONUS = 0.1  # weight of the neighbouring paragraphs' similarity when candidates compete
UNCERTAIN_SCORE = 0.5  # a pair scoring below this is flagged uncertain
UNCERTAIN_MARGIN = 0.05  # ... and so is one whose best rival scores within this of it
MIN_LINK = 0.15  # a unit with no strong link keeps its strongest if at least this share of its words flows


@dataclass
class Unit:
    """A unit of alignment: a paragraph, a section (its own paragraphs) or a chapter (all of it)."""

    id: str
    heading: str
    text: str
    order: int
    chapter: str
    number: str | None = None
    page: str | None = None
    words: int = 0


@dataclass
class Pair:
    """Units of A (``a``) that became units of B (``b``): see the kinds in `wtcompare.align`.
    ``score`` is their similarity (1 for the same words), ``retained`` how many words of the A side
    are found on the B side, ``uncertain`` a weak match or one with a close rival, ``source``
    "user" when an override pinned or shaped the pair, and ``typography_only`` true for an
    ``unchanged`` pair whose texts differ only in typography (quotes, dashes, spaces, list
    markers: see `wtcompare.text.canonical`)."""

    kind: str
    score: float
    a: list[str]
    b: list[str]
    retained: int = 0
    uncertain: bool = False
    source: str = "aligner"
    typography_only: bool = False


@dataclass
class Alignment:
    """The pairs between editions ``a`` and ``b`` at one ``level``; every unit is in exactly one pair."""

    a: str
    b: str
    level: str
    pairs: list[Pair]
    units_a: dict[str, Unit] = field(repr=False)
    units_b: dict[str, Unit] = field(repr=False)
    flow: Counter = field(default_factory=Counter, repr=False)  # (A unit, B unit) -> shared words

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([{"kind": p.kind, "score": round(p.score, 4), "a": " + ".join(p.a),
                              "b": " + ".join(p.b), "retained": p.retained, "uncertain": p.uncertain,
                              "source": p.source, "typography_only": p.typography_only} for p in self.pairs],
                            columns=["kind", "score", "a", "b", "retained", "uncertain", "source", "typography_only"])

    def uncertain(self) -> list[Pair]:
        return [p for p in self.pairs if p.uncertain]

    def retention(self) -> pd.DataFrame:
        """Where the words went. One row per unit of A (``side`` "a"): ``shared`` is how many of its
        words survive in B and ``share`` that as a share of its words; one row per unit of B (side
        "b"): ``shared`` words came from A and ``share`` is the share that is new. ``links`` lists
        the units on the other side with the words shared with each. Empty at paragraph level."""
        import pandas as pd

        rows = []
        if self.level == "paragraph":  # paragraphs have no flow of words between them: nothing to say
            return pd.DataFrame(rows, columns=["side", "unit", "heading", "words", "shared", "share", "links"])
        linked: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for (unit_a, unit_b), w in self.flow.items():
            if w:
                linked.setdefault(("a", unit_a), []).append((w, unit_b))
                linked.setdefault(("b", unit_b), []).append((w, unit_a))
        for side, units in (("a", self.units_a), ("b", self.units_b)):
            for unit in units.values():
                links = sorted(linked.get((side, unit.id), []), key=lambda t: (-t[0], t[1]))
                shared = min(sum(w for w, _ in links), unit.words)
                kept = shared if side == "a" else unit.words - shared
                rows.append({"side": side, "unit": unit.id, "heading": unit.heading, "words": unit.words,
                             # unrounded: a share rounded here and again for display can be a tenth off
                             "shared": shared, "share": kept / unit.words if unit.words else 0.0,
                             "links": "; ".join(f"{u} ({w})" for w, u in links)})
        return pd.DataFrame(rows, columns=["side", "unit", "heading", "words", "shared", "share", "links"])

    def to_dict(self) -> dict:
        def unit(u: Unit) -> dict:
            return {"id": u.id, "heading": u.heading, "text": u.text, "number": u.number, "page": u.page,
                    "words": u.words}

        pairs = [{"kind": p.kind, "score": round(p.score, 4), "retained": p.retained, "uncertain": p.uncertain,
                  "source": p.source, "typography_only": p.typography_only, "a_units": [unit(self.units_a[i]) for i in p.a],
                  "b_units": [unit(self.units_b[i]) for i in p.b]} for p in self.pairs]
        return {"a": self.a, "b": self.b, "level": self.level, "pairs": pairs,
                "uncertain": [k for k, p in enumerate(self.pairs) if p.uncertain],
                "retention": self.retention().to_dict("records")}

    def counts(self) -> Counter:
        return Counter(p.kind for p in self.pairs)


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return words(text)


def _chapter_of(document: Document) -> dict[str, str]:
    chapter = {}
    for top in document.sections:
        for section in top.walk():
            chapter[section.id] = top.id
    return chapter


def units(document: Document, level: str, words: dict[str, int] | None = None) -> list[Unit]:
    """The units of ``document`` at ``level`` in document order. ``words`` gives their word counts
    when already known (from the cache), which saves tokenizing the text."""
    chapter = _chapter_of(document)
    result: list[Unit] = []
    if level == "paragraph":
        for section in document.walk():
            for p in section.paragraphs:
                result.append(Unit(p.id, section.heading, p.text, len(result), chapter[section.id], p.number, p.page))
    elif level == "section":
        for section in document.walk():
            if section.paragraphs:
                first = section.paragraphs[0]
                result.append(Unit(section.id, section.heading, section.text, len(result), chapter[section.id],
                                   section.number, first.page))
    elif level == "chapter":
        for top in document.sections:
            first = next(top.walk()).paragraphs[:1] or [p for s in top.walk() for p in s.paragraphs][:1]
            result.append(Unit(top.id, top.heading, top.full_text, len(result), top.id, top.number,
                               first[0].page if first else None))
    else:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if words is not None:
        for unit in result:
            unit.words = words[unit.id]
        return result
    # Tokens never cross paragraphs, so a unit's words are its paragraphs' words (each paragraph
    # is tokenized once, and cached, rather than once per level).
    counts = {p.id: len(_words(p.text)) for p in document.paragraphs()}
    totals: Counter = Counter()
    for section in document.walk():
        # a chapter's words are all of its sections' words; a section's only its own paragraphs
        # (a chapter with text of its own is also a section, under the same id)
        key = chapter[section.id] if level == "chapter" else section.id
        totals[key] += sum(counts[p.id] for p in section.paragraphs)
    for unit in result:
        unit.words = counts[unit.id] if level == "paragraph" else totals[unit.id]
    return result


def longest_increasing(values: list[float]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of ``values``."""
    tails: list[float] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_index.append(i)
        else:
            tails[k] = v
            tail_index[k] = i
        previous[i] = tail_index[k - 1] if k else -1
    keep, i = set(), (tail_index[-1] if tail_index else -1)
    while i >= 0:
        keep.add(i)
        i = previous[i]
    return keep


def _kind_by_order(pairs: list[Pair], units_a: dict[str, Unit], units_b: dict[str, Unit]) -> set[int]:
    """Indexes of 1:1 pairs that keep document order (the rest have moved)."""
    matched = [(k, units_a[p.a[0]].order, units_b[p.b[0]].order) for k, p in enumerate(pairs) if p.a and p.b]
    matched.sort(key=lambda t: t[1])
    keep = longest_increasing([b for _, _, b in matched])
    return {matched[k][0] for k in keep}


def _sort_pairs(pairs: list[Pair], units_a: dict[str, Unit], units_b: dict[str, Unit]) -> list[Pair]:
    """Order pairs as B reads, with deleted units placed after their predecessor in A."""
    position_of_a: dict[str, float] = {}
    for p in pairs:
        if p.b:
            for a in p.a:
                position_of_a[a] = min(units_b[b].order for b in p.b)
    keyed = []
    last = -1.0
    for unit in sorted(units_a.values(), key=lambda u: u.order):
        last = position_of_a.get(unit.id, last)
        position_of_a.setdefault(unit.id, last + 0.5)
    for p in pairs:
        if p.b:
            keyed.append(((min(units_b[b].order for b in p.b), 0, 0), p))
        else:
            keyed.append(((position_of_a[p.a[0]], 1, units_a[p.a[0]].order), p))
    return [p for _, p in sorted(keyed, key=lambda t: t[0])]


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
    return dot / norm if norm else 0.0


def _edition_id(document: Document) -> str:
    return document.edition.id if document.edition else "document"


def _owners(document: Document, level: str) -> dict[str, str]:
    """Map each paragraph id to the unit that holds it at ``level``."""
    owners = {}
    for top in document.sections:
        for section in top.walk():
            for p in section.paragraphs:
                owners[p.id] = top.id if level == "chapter" else section.id
    return owners
