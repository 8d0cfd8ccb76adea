"""What every level of alignment shares: units, pairs and their kinds, the `Alignment`, and the
aligner's settings."""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Document
from ..text import canonical, words

if TYPE_CHECKING:  # annotations only: pandas is imported where a table is made
    import pandas as pd

LEVELS = ("paragraph", "section", "chapter")


class PairKind(str, Enum):
    """What became of the units of a pair (see `wtcompare.align`). A ``str``, so a kind compares
    equal to its name and is written as it in JSON, CSV and pages."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"
    DELETED = "deleted"
    INSERTED = "inserted"

    def __str__(self) -> str:  # the name as written, also where Python 3.11 would print "PairKind.SPLIT"
        return self.value

    def __format__(self, spec: str) -> str:  # in f-strings too
        return format(self.value, spec)


KEPT = (PairKind.UNCHANGED, PairKind.CHANGED)  # one unit kept in its place, as it was or edited


def score_shown(score: float) -> float:
    """A similarity to four decimals, as tables and JSON give it; one below 1 never shows as 1.0
    (0.99996 is 0.9999), which would say the texts are the same."""
    return min(round(score, 4), 0.9999) if score < 1 else round(score, 4)


def pair_kind(n_a: int, n_b: int, same: bool = False) -> PairKind:
    """The kind of a pair holding ``n_a`` units of A and ``n_b`` of B, before moves are found;
    ``same``: a one-to-one pair's texts are equal in canonical form. Several units on both sides
    in equal numbers (two sections whose words crossed into each other) is called merged: no unit
    of A survives as it was, and the pair is listed once, with all of them."""
    if not n_a:
        return PairKind.INSERTED
    if not n_b:
        return PairKind.DELETED
    if n_a == n_b == 1:
        return PairKind.UNCHANGED if same else PairKind.CHANGED
    return PairKind.SPLIT if n_a < n_b else PairKind.MERGED


@dataclass(frozen=True)
class AlignSettings:
    """Every threshold and weight the aligner uses, in one object (as black's ``Mode``): its
    `key` is part of every alignment's cache key, so a changed setting never reads an alignment
    made with another, and the methods section of a report lists every field. Similarities are
    TF-IDF cosines in [0, 1]; shares are of a unit's words."""

    # two paragraphs are never compared further below this similarity: it keeps the matrix sparse
    candidate_threshold: float = 0.15
    # the minimum similarity for two paragraphs to pair: below it texts share little beyond common words
    pair_threshold: float = 0.3
    # a mutual best match at least this similar is an anchor: where the two editions certainly agree,
    # from which every other paragraph's expected place is interpolated
    anchor_score: float = 0.8
    # the bonus for a candidate at its expected place, decaying by e every ``order_scale`` paragraphs
    # away from it: small, so it only breaks near-ties such as repeated boilerplate, never a real difference
    order_bonus: float = 0.05
    order_scale: float = 5.0
    # the weight of the neighbours' similarity when candidates compete (the copy of boilerplate whose
    # neighbours match too is the right one)
    context_bonus: float = 0.1
    # an unpaired paragraph whose words (weighted by IDF) are at least this share in what a paired one has
    # left over is a piece of a split or merge
    containment: float = 0.6
    # sections and chapters link where this share of an A unit's words flows to a B unit ...
    section_share_a: float = 0.3
    # ... or where a B unit takes at least this share of its words from the A unit
    section_share_b: float = 0.5
    # a unit with no strong link keeps its strongest if at least this share of its words flows there
    min_link: float = 0.15
    # a pair scoring below this is uncertain ...
    uncertain_score: float = 0.5
    # ... and so is a paragraph pair whose best rival scores within this of it,
    uncertain_margin: float = 0.05
    # ... or a section pair with a rival sharing at least this share of the pair's words
    rival_share: float = 0.8

    def key(self) -> str:
        """The settings as a cache key: every field, by name."""
        return json.dumps(asdict(self), sort_keys=True)


DEFAULT_SETTINGS = AlignSettings()


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
    """Units of A (``a``, their ids in document order) that became units of B (``b``); one side is
    empty for a deleted or inserted unit. ``kind`` says what became of them; ``score`` is their
    similarity (1 for the same words, 0 for a unit without counterpart); ``retained`` how many
    words of the A side are found on the B side; ``uncertain`` a weak match or one with a close
    rival, for a reader to check; ``source`` "user" when an override pinned or shaped the pair;
    ``typography_only`` true for an ``unchanged`` pair whose texts differ only in typography
    (quotes, dashes, spaces, list markers: see `wtcompare.text.canonical`)."""

    kind: PairKind
    score: float
    a: list[str]
    b: list[str]
    retained: int = 0
    uncertain: bool = False
    source: str = "aligner"
    typography_only: bool = False

    def __post_init__(self) -> None:
        self.kind = PairKind(self.kind)  # a kind read back from the cache is its name


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

        return pd.DataFrame(
            [
                {
                    "kind": p.kind,
                    "score": score_shown(p.score),
                    "a": " + ".join(p.a),
                    "b": " + ".join(p.b),
                    "retained": p.retained,
                    "uncertain": p.uncertain,
                    "source": p.source,
                    "typography_only": p.typography_only,
                }
                for p in self.pairs
            ],
            columns=["kind", "score", "a", "b", "retained", "uncertain", "source", "typography_only"],
        )

    def uncertain(self) -> list[Pair]:
        return [p for p in self.pairs if p.uncertain]

    def elsewhere(self, pair: Pair) -> int:
        """The words of ``pair``'s units of A found in units of B outside the pair (``retained``
        counts those found in its own); for a pair with no unit of A (a new unit), the words of its
        units of B that came from units of A."""
        if pair.a:
            return sum(w for (a, b), w in self.flow.items() if a in pair.a and b not in pair.b)
        return sum(w for (_, b), w in self.flow.items() if b in pair.b)

    def elsewhere_links(self, pair: Pair) -> str:
        """The units outside ``pair`` that `elsewhere` counts, each with its words, most first:
        "ch4 (181); ch2 (12)"."""
        if pair.a:
            found = [(w, b) for (a, b), w in self.flow.items() if w and a in pair.a and b not in pair.b]
        else:
            found = [(w, a) for (a, b), w in self.flow.items() if w and b in pair.b]
        totals: Counter = Counter()
        for w, unit in found:
            totals[unit] += w
        return "; ".join(f"{u} ({w})" for u, w in sorted(totals.items(), key=lambda t: (-t[1], t[0])))

    def retention(self) -> pd.DataFrame:
        """Where the words went. One row per unit of A (``side`` "a"): ``shared`` is how many of its
        words survive in B and ``share`` that as a share of its words; one row per unit of B (side
        "b"): ``shared`` words came from A and ``share`` is the share that is new. ``links`` lists
        the units on the other side with the words shared with each. Empty at paragraph level."""
        import pandas as pd

        rows: list[dict[str, object]] = []
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
                shared = sum(w for w, _ in links)  # each word flows once at most (see `group_units`)
                kept = shared if side == "a" else unit.words - shared
                rows.append(
                    {
                        "side": side,
                        "unit": unit.id,
                        "heading": unit.heading,
                        "words": unit.words,
                        # unrounded: a share rounded here and again for display can be a tenth off
                        "shared": shared,
                        "share": kept / unit.words if unit.words else 0.0,
                        "links": "; ".join(f"{u} ({w})" for w, u in links),
                    }
                )
        return pd.DataFrame(rows, columns=["side", "unit", "heading", "words", "shared", "share", "links"])

    def to_dict(self) -> dict:
        def unit(u: Unit) -> dict:
            return {
                "id": u.id,
                "heading": u.heading,
                "text": u.text,
                "number": u.number,
                "page": u.page,
                "words": u.words,
            }

        pairs = [
            {
                "kind": p.kind,
                "score": score_shown(p.score),
                "retained": p.retained,
                "uncertain": p.uncertain,
                "source": p.source,
                "typography_only": p.typography_only,
                "a_units": [unit(self.units_a[i]) for i in p.a],
                "b_units": [unit(self.units_b[i]) for i in p.b],
            }
            for p in self.pairs
        ]
        return {
            "a": self.a,
            "b": self.b,
            "level": self.level,
            "pairs": pairs,
            "uncertain": [k for k, p in enumerate(self.pairs) if p.uncertain],
            "retention": self.retention().to_dict("records"),
        }

    def counts(self) -> Counter:
        return Counter(p.kind for p in self.pairs)


def same_text(text_a: str, text_b: str) -> bool:
    """Whether two texts are equal in canonical form (`wtcompare.text.canonical`); texts equal as
    they stand need no folding, and most paired paragraphs and sections of two editions are."""
    return text_a == text_b or canonical(text_a) == canonical(text_b)


def same_paragraphs(texts_a: list[str], texts_b: list[str]) -> bool:
    """`same_text` of two runs of paragraphs joined by blank lines (as `Section.text` and
    `Section.full_text` join them), from the canonical form of only the paragraphs that are not
    the same as they stand (a unit's paragraphs mostly are): the canonical form of such a run is
    that of each of its paragraphs (each that has any) joined by a space, since the canonical
    form folds every run of spaces, the blank lines between paragraphs too, into one, and folds
    nothing else across the end of a line."""
    start = 0
    while start < min(len(texts_a), len(texts_b)) and texts_a[start] == texts_b[start]:
        start += 1
    end = 0
    while end < min(len(texts_a), len(texts_b)) - start and texts_a[-1 - end] == texts_b[-1 - end]:
        end += 1
    middle_a, middle_b = texts_a[start : len(texts_a) - end], texts_b[start : len(texts_b) - end]
    return _same_joined(map(canonical, middle_a), map(canonical, middle_b))


def _same_joined(pieces_a: Iterable[str], pieces_b: Iterable[str]) -> bool:
    """Whether the non-empty pieces of ``pieces_a`` joined by spaces are the same text as those of
    ``pieces_b``, read only as far as the first difference (a piece is worked out when reached)."""
    rest_a, rest_b = _spaced(pieces_a), _spaced(pieces_b)
    a: str | None = ""
    b: str | None = ""
    while True:
        a = a or next(rest_a, None)
        b = b or next(rest_b, None)
        if a is None or b is None:
            return a is b
        n = min(len(a), len(b))
        if a[:n] != b[:n]:
            return False
        a, b = a[n:], b[n:]


def _spaced(pieces: Iterable[str]) -> Iterator[str]:
    """The non-empty pieces, each after the first with the space that joins it to the one before."""
    first = True
    for piece in pieces:
        if piece:
            yield piece if first else " " + piece
            first = False


@lru_cache(maxsize=100_000)
def cached_words(text: str) -> tuple[str, ...]:
    """`wtcompare.text.words`, remembered: every level and both similarity measures ask for the
    same paragraphs' words."""
    return words(text)


def _chapter_of(document: Document) -> dict[str, str]:
    chapter = {}
    for top in document.sections:
        for section in top.walk():
            chapter[section.id] = top.id
    return chapter


def units(
    document: Document, level: str, words: dict[str, int] | None = None, counts: list[int] | None = None
) -> list[Unit]:
    """The units of ``document`` at ``level`` in document order. ``words`` gives their word counts
    when already known (from the cache), and ``counts`` the word count of each paragraph in
    document order (`Words.counts`); either saves tokenizing the text."""
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
                result.append(
                    Unit(
                        section.id,
                        section.heading,
                        section.text,
                        len(result),
                        chapter[section.id],
                        section.number,
                        section.page or first.page,  # its heading's page, where the loader knows it
                    )
                )
    elif level == "chapter":
        for top in document.sections:
            opening = next(top.walk()).paragraphs[:1] or [p for s in top.walk() for p in s.paragraphs][:1]
            result.append(
                Unit(
                    top.id,
                    top.heading,
                    top.full_text,
                    len(result),
                    top.id,
                    top.number,
                    top.page or (opening[0].page if opening else None),
                )
            )
    else:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if words is not None:
        for unit in result:
            unit.words = words[unit.id]
        return result
    # Tokens never cross paragraphs, so a unit's words are its paragraphs' words (each paragraph
    # is tokenized once, and cached, rather than once per level).
    paragraphs = list(document.paragraphs())
    if counts is None:
        counts = [len(cached_words(p.text)) for p in paragraphs]
    if level == "paragraph":  # the units are the paragraphs, in the same order
        for unit, count in zip(result, counts, strict=True):
            unit.words = count
        return result
    by_id = {p.id: n for p, n in zip(paragraphs, counts, strict=True)}
    totals: Counter = Counter()
    for section in document.walk():
        # a chapter's words are all of its sections' words; a section's only its own paragraphs
        # (a chapter with text of its own is also a section, under the same id)
        key = chapter[section.id] if level == "chapter" else section.id
        totals[key] += sum(by_id[p.id] for p in section.paragraphs)
    for unit in result:
        unit.words = totals[unit.id]
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


def in_order(pairs: list[Pair], units_a: dict[str, Unit], units_b: dict[str, Unit]) -> set[int]:
    """Indexes of the one-to-one pairs that keep document order (a longest run of them in both
    editions' order): the others have moved."""
    matched = [(k, units_a[p.a[0]].order, units_b[p.b[0]].order) for k, p in enumerate(pairs) if p.a and p.b]
    matched.sort(key=lambda t: t[1])
    keep = longest_increasing([b for _, _, b in matched])
    return {matched[k][0] for k in keep}


def sort_pairs(pairs: list[Pair], units_a: dict[str, Unit], units_b: dict[str, Unit]) -> list[Pair]:
    """Order pairs as B reads, with deleted units placed after their predecessor in A."""
    position_of_a: dict[str, float] = {}
    for p in pairs:
        if p.b:
            for a in p.a:
                position_of_a[a] = min(units_b[b].order for b in p.b)
    keyed: list[tuple[tuple[float, int, int], Pair]] = []
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


def cosine(a: Counter, b: Counter) -> float:
    """The cosine similarity of two bags of words."""
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
    return dot / norm if norm else 0.0


def owners(document: Document, level: str) -> dict[str, str]:
    """Map each paragraph id to the unit that holds it at ``level``."""
    owners = {}
    for top in document.sections:
        for section in top.walk():
            for p in section.paragraphs:
                owners[p.id] = top.id if level == "chapter" else section.id
    return owners
