"""Geometry of the structure map: how the chapters of A became the chapters of B, and, chapter by
chapter, what became of their sections.

At chapter level, the map the report opens with, each edition's chapters stand in a column, as
tall as their words on one scale for both editions, so that a whole restructuring fits on one
screen (``HEIGHT`` px at most); bands between the columns are as thick as the words that went
across. Each pair of the chapter alignment (a chapter kept, moved, split, merged, removed or new)
has a map of its sections on the same plan; words that went to, or came from, a section of another
chapter pair are drawn to a box marked "elsewhere" naming that section. Every section is in exactly
one of these maps.

Only numbers and texts are computed here. The template lays the boxes out as HTML, so that the
browser shortens a label to fit its box at any width (the full text on hover and focus) and text
is never scaled, and draws the bands as SVG paths across a middle column that stretches with the
page: their x runs from 0 to 100, their y is in px like the boxes'.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import TypedDict

from ..align import KEPT, Alignment, Pair, PairKind, Unit

HEIGHT = 560.0  # px: the tallest chapter map, so that the map, its heading and its key fit a 900 px window
CHAPTER_PX = 48.0  # px per chapter of the edition with more chapters, up to HEIGHT: small pairs are not stretched
SECTION_PX = 28.0  # px for a section of average length in the section maps
LABEL = 22.0  # px: the least height of a box that holds a line of text
LINE = 18.0  # px: the line height of a label (the stylesheet's)
GAP = 4.0  # px between two boxes of a column
ELSEWHERE_GAP = 14.0  # px between a column's own sections and those of other chapters
KEPT_SHARE = 0.5  # a unit of A is kept when at least this share of its words is found in B (as `check` reads "kept")
DENSE_SHARE = 0.15  # with too many chapters to label, the share of HEIGHT left to gaps, and to least heights

Anchor = Callable[[str, str], str]  # (side, unit id) -> the unit's HTML id in the report
Flow = dict[tuple[str, str], int]  # (box key on the left, box key on the right) -> words that went across


class _NewBox(TypedDict):
    key: str  # what bands name it by: the unit's id, or "elsewhere:" and the id
    id: str
    side: str  # "a" or "b"
    label: str
    words: int
    kind: str  # the unit's pair kind, or "elsewhere"
    href: str


class Box(_NewBox, total=False):
    """A box of a map's column: a unit (chapter or section), or a section of another chapter pair
    ("elsewhere"). The keys of `_NewBox` are set when it is made; the rest as it is laid out
    (`_stack`), crossed by bands (`_bands`) and finished (`_finish`)."""

    height: float  # px
    y: float  # px from the top of the column
    labelled: bool  # tall enough for a line of text
    lines: int  # lines of label it has room for
    elsewhere: bool  # some of its words went to, or came from, another box than its counterpart
    kept: float  # in the chapter map, the share of a chapter of A's words found in B (`_tag`)
    tag: str  # what became of it, in words (`_tag`)
    title: str  # everything about it, for hover and focus


class Band(TypedDict):
    """A band between the columns: an SVG path (x from 0 to 100, y in px), its pair kind, words and
    title."""

    path: str
    kind: str
    words: int
    title: str


class ChapterInMap(TypedDict):
    id: str
    label: str
    words: int


class SectionMap(TypedDict):
    """The section map of one chapter pair: its HTML id, height in px, columns and bands."""

    id: str
    height: float
    left: list[Box]
    right: list[Box]
    bands: list[Band]


class PairMap(SectionMap):
    """A chapter pair's section map and what its summary says: the tag and kind of the pair, its
    chapters on each side, the words of A that B kept, and of those the words kept in other chapters
    of B than the pair's (for a new chapter, the words of it that came from chapters of A)."""

    tag: str
    kind: str
    a: list[ChapterInMap]
    b: list[ChapterInMap]
    kept: int
    elsewhere: int


class ChapterMap(TypedDict):
    height: float
    left: list[Box]
    right: list[Box]
    bands: list[Band]
    pairs: list[PairMap]


def _label(unit: Unit) -> str:
    if unit.number and not unit.heading.startswith(unit.number):
        return f"{unit.number} {unit.heading}"
    return unit.heading or unit.id


def kept_share(chapters: Alignment, unit: str) -> float:
    """The share of a unit of A's words found anywhere in B (1.0 for a unit with no words): what
    `wtcompare.check` judges a chapter kept or removed by."""
    words = chapters.units_a[unit].words
    return min(sum(w for (a, _), w in chapters.flow.items() if a == unit), words) / words if words else 1.0


def rewritten(kind: str, kept: float) -> bool:
    """Whether a unit of A paired one to one (``kind`` unchanged or changed) keeps less than
    `KEPT_SHARE` of its words in B (``kept``, a share): "rewritten" in the map and the tables alike,
    since a claim that it was kept does not hold (`wtcompare.check`)."""
    return kind in KEPT and kept < KEPT_SHARE


def _tag(kind: str, side: str, elsewhere: bool, kept: float) -> str:
    """What became of a unit, in words, so that colour is never the only signal; empty for a unit
    kept one to one (changed or not) but one `rewritten` (``kept``: the share of its words in B)."""
    if kind in (PairKind.MOVED, PairKind.SPLIT, PairKind.MERGED):
        return kind
    if side == "a" and kind == PairKind.DELETED:
        return "no counterpart" if elsewhere else "removed"
    if side == "b" and kind == PairKind.INSERTED:
        return "partly new" if elsewhere else "new"
    return "rewritten" if side == "a" and rewritten(kind, kept) else ""


def _height(words: list[int], scale: float, least: float, gap: float) -> float:
    return sum(max(least, w * scale) for w in words) + gap * max(len(words) - 1, 0)


def _fit(columns: list[list[int]], height: float, least: float, gap: float) -> float:
    """The px per word at which the taller column is ``height`` px tall, each box at least ``least``."""
    low, high = 0.0, height / max(1, min((w for c in columns for w in c if w), default=1))
    if max(_height(c, 0.0, least, gap) for c in columns) >= height:
        return 0.0
    for _ in range(60):  # bisection: a column's height grows with the scale
        middle = (low + high) / 2
        low, high = (middle, high) if max(_height(c, middle, least, gap) for c in columns) <= height else (low, middle)
    return low


def _stack(entries: list[Box], scale: float, least: float, gap: float, y: float = 0.0) -> float:
    """Give each box its ``y`` and ``height`` down a column from ``y``; returns where the column ends."""
    for entry in entries:
        entry["height"] = max(least, entry["words"] * scale)
        entry["y"] = y
        entry["labelled"] = entry["height"] >= LABEL - 1e-9
        entry["lines"] = max(1, int((entry["height"] - 4) // LINE))
        y += entry["height"] + gap
    return y - gap if entries else y


def _bands(
    flow: Flow, left: list[Box], right: list[Box], scale: float, kind_of: Mapping[tuple[str, str], str]
) -> list[Band]:
    """Bands from boxes on the left to boxes on the right, as thick as the words that went across,
    stacked down each box in the order of their far ends so that they cross as little as can be."""
    box_a = {b["key"]: b for b in left}
    box_b = {b["key"]: b for b in right}
    used_a: defaultdict[str, float] = defaultdict(float)  # px of each box's height that bands already take
    used_b: defaultdict[str, float] = defaultdict(float)
    bands: list[Band] = []
    for (a, b), words in sorted(flow.items(), key=lambda item: (box_a[item[0][0]]["y"], box_b[item[0][1]]["y"])):
        source, target = box_a[a], box_b[b]
        thickness_a = min(source["height"], max(1.0, words * scale))
        thickness_b = min(target["height"], max(1.0, words * scale))
        y0 = source["y"] + min(used_a[a], source["height"] - thickness_a)
        y1 = target["y"] + min(used_b[b], target["height"] - thickness_b)
        used_a[a] += thickness_a
        used_b[b] += thickness_b
        path = (
            f"M0,{y0:.1f} C50,{y0:.1f} 50,{y1:.1f} 100,{y1:.1f} L100,{y1 + thickness_b:.1f} "
            f"C50,{y1 + thickness_b:.1f} 50,{y0 + thickness_a:.1f} 0,{y0 + thickness_a:.1f} Z"
        )
        bands.append(
            {
                "path": path,
                "kind": kind_of.get((source["id"], target["id"]), PairKind.CHANGED),
                "words": words,
                "title": f"{source['id']} \u2192 {target['id']}: {words:,} words",
            }
        )
    for boxes, used in ((left, used_a), (right, used_b)):
        for box in boxes:
            box["elsewhere"] = used[box["key"]] > 0
    return bands


def _unit_box(unit: Unit, side: str, kind: str, href: str) -> Box:
    return {
        "key": unit.id,
        "id": unit.id,
        "side": side,
        "label": _label(unit),
        "words": unit.words,
        "kind": kind,
        "href": href,
    }


def _finish(boxes: list[Box]) -> None:
    """Each box's tag (what became of it) and title (everything about it, shown on hover and focus),
    its numbers rounded for the page."""
    for box in boxes:
        if box["kind"] == "elsewhere":
            went = "went to" if box["side"] == "b" else "came from"
            box["tag"] = "elsewhere"
            box["title"] = f"{box['label']} (another chapter): {box['words']:,} words {went} there"
        else:
            box["tag"] = _tag(box["kind"], box["side"], box["elsewhere"], box.get("kept", 1.0))
            box["title"] = f"{box['id']} {box['label']}: {box['tag'] or 'kept'}, {box['words']:,} words"
        box["y"], box["height"] = round(box["y"], 1), round(box["height"], 1)


def map_id(pair: Pair) -> str:
    """The HTML id of a chapter pair's section map, from its first chapter (``map-a-ch3``, or
    ``map-b-ch5`` for a new chapter)."""
    side, unit = ("a", pair.a[0]) if pair.a else ("b", pair.b[0])
    return f"map-{side}-{unit.replace('/', '-')}"


def chapter_map(chapters: Alignment, sections: Alignment, anchor: Anchor) -> ChapterMap:
    """The chapter map (``left``, ``right``, ``bands``, ``height``; each box links to its chapter
    pair's section map) and, in ``pairs``, one section map per chapter pair, in the chapter
    alignment's order, with what its summary says. ``anchor(side, unit id)`` is a section's id in
    the report."""
    units_a, units_b = list(chapters.units_a.values()), list(chapters.units_b.values())
    pair_of = {("a", u): p for p in chapters.pairs for u in p.a} | {("b", u): p for p in chapters.pairs for u in p.b}
    most = max(len(units_a), len(units_b), 1)
    height = min(HEIGHT, max(4 * LABEL, most * CHAPTER_PX))
    if most * (LABEL + GAP) - GAP <= height:
        least, gap = LABEL, GAP
    else:  # too many chapters to label them all: as tall as their words, labelled where they can be
        least = gap = min(GAP, DENSE_SHARE * height / most)
    scale = _fit([[u.words for u in units_a], [u.words for u in units_b]], height, least, gap)
    left = [_unit_box(u, "a", pair_of[("a", u.id)].kind, map_id(pair_of[("a", u.id)])) for u in units_a]
    right = [_unit_box(u, "b", pair_of[("b", u.id)].kind, map_id(pair_of[("b", u.id)])) for u in units_b]
    bottom = max(_stack(left, scale, least, gap), _stack(right, scale, least, gap))
    kind_of = {(a, b): p.kind for p in chapters.pairs for a in p.a for b in p.b}
    bands = _bands({k: w for k, w in chapters.flow.items() if w}, left, right, scale, kind_of)
    for box in left:  # what `check` judges a chapter kept by (sections are not claimed kept or removed)
        box["kept"] = kept_share(chapters, box["id"])
    _finish(left + right)
    tags = {(box["side"], box["id"]): box["tag"] for box in left + right}
    total = sum(u.words for u in sections.units_a.values()) + sum(u.words for u in sections.units_b.values())
    count = len(sections.units_a) + len(sections.units_b)
    section_scale = SECTION_PX * count / total if total else 0.0
    kinds = _Kinds(sections)  # the same for every chapter pair's map: worked out once
    pairs: list[PairMap] = []
    for pair in chapters.pairs:
        kept = sum(w for (a, _), w in chapters.flow.items() if a in pair.a)
        pairs.append(
            {
                **_section_map(pair, sections, section_scale, anchor, kinds),
                "tag": tags[("a", pair.a[0]) if pair.a else ("b", pair.b[0])],
                "kind": pair.kind,
                "a": [_chapter(chapters.units_a[u]) for u in pair.a],
                "b": [_chapter(chapters.units_b[u]) for u in pair.b],
                "kept": min(kept, sum(chapters.units_a[u].words for u in pair.a)),
                "elsewhere": chapters.elsewhere(pair),
            }
        )
    return {"height": round(bottom, 1), "left": left, "right": right, "bands": bands, "pairs": pairs}


def _chapter(unit: Unit) -> ChapterInMap:
    return {"id": unit.id, "label": _label(unit), "words": unit.words}


class _Kinds:
    """The kind of the section pair of each section of A (``a``) and of B (``b``), and of each
    (section of A, section of B) in a pair (``pair``)."""

    def __init__(self, sections: Alignment) -> None:
        self.a = {u: p.kind for p in sections.pairs for u in p.a}
        self.b = {u: p.kind for p in sections.pairs for u in p.b}
        self.pair = {(a, b): p.kind for p in sections.pairs for a in p.a for b in p.b}


def _section_map(pair: Pair, sections: Alignment, scale: float, anchor: Anchor, kinds: _Kinds) -> SectionMap:
    """The sections of one chapter pair, and the words they sent to, or took from, sections of
    other chapter pairs ("elsewhere" boxes, after the pair's own sections)."""
    own_a = [u for u in sections.units_a.values() if u.chapter in pair.a]
    own_b = [u for u in sections.units_b.values() if u.chapter in pair.b]
    ids_a, ids_b = {u.id for u in own_a}, {u.id for u in own_b}
    away: Counter[str] = Counter()  # words to sections of B of other pairs
    taken: Counter[str] = Counter()  # words from sections of A of other pairs
    flow: Flow = {}
    for (a, b), words in sections.flow.items():
        if not words or (a not in ids_a and b not in ids_b):
            continue
        if a in ids_a and b in ids_b:
            flow[(a, b)] = words
        elif a in ids_a:
            away[b] += words
            flow[(a, "elsewhere:" + b)] = words
        else:
            taken[a] += words
            flow[("elsewhere:" + a, b)] = words
    left = [_unit_box(u, "a", kinds.a[u.id], anchor("a", u.id)) for u in own_a]
    right = [_unit_box(u, "b", kinds.b[u.id], anchor("b", u.id)) for u in own_b]
    other_a = [
        _elsewhere(sections.units_a[u], "a", w, anchor)
        for u, w in sorted(taken.items(), key=lambda item: sections.units_a[item[0]].order)
    ]
    other_b = [
        _elsewhere(sections.units_b[u], "b", w, anchor)
        for u, w in sorted(away.items(), key=lambda item: sections.units_b[item[0]].order)
    ]
    bottom = 0.0
    for own, other in ((left, other_a), (right, other_b)):
        end = _stack(own, scale, LABEL, GAP)
        end = _stack(other, scale, LABEL, GAP, end + ELSEWHERE_GAP if own else 0.0)
        bottom = max(bottom, end)
    bands = _bands(flow, left + other_a, right + other_b, scale, kinds.pair)
    _finish(left + other_a + right + other_b)
    return {
        "id": map_id(pair),
        "height": round(bottom, 1),
        "left": left + other_a,
        "right": right + other_b,
        "bands": bands,
    }


def _elsewhere(unit: Unit, side: str, words: int, anchor: Anchor) -> Box:
    """A box for a section of another chapter pair, as tall as the ``words`` that went to it (or
    came from it), labelled with its chapter."""
    return {
        **_unit_box(unit, side, "elsewhere", anchor(side, unit.id)),
        "key": "elsewhere:" + unit.id,
        "label": f"{unit.chapter}: {_label(unit)}",
        "words": words,
    }
