"""Section and chapter alignment from the flow of words between paired paragraphs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..model import Document
from ..overrides import Overrides
from ..text import canonical
from .model import (
    DEFAULT_SETTINGS,
    KEPT,
    Alignment,
    AlignSettings,
    Pair,
    PairKind,
    Unit,
    cached_words,
    cosine,
    in_order,
    owners,
    pair_kind,
    same_paragraphs,
    sort_pairs,
    units,
)
from .words import Words, pair_words


def group_units(
    doc_a: Document,
    doc_b: Document,
    level: str,
    paragraphs: Alignment,
    chapter_groups: dict[str, set[str]] | None = None,
    overrides: Overrides | None = None,
    settings: AlignSettings = DEFAULT_SETTINGS,
    words: tuple[Words, Words] | None = None,
) -> Alignment:
    """Section or chapter alignment from the flow of retained words between units: units joined by
    a strong flow of words (`_links`, and pins of ``overrides`` at section level) form groups; a
    group with units on both sides is one pair, a unit alone is deleted or inserted. Sections pair
    only within the chapters ``chapter_groups`` pairs (a pair across them is "moved"). ``words``:
    the paragraphs' words of both editions (`Vocabulary.paragraphs`), when the caller has them."""
    words = words or pair_words(doc_a, doc_b)
    ua, ub = units(doc_a, level, counts=words[0].counts()), units(doc_b, level, counts=words[1].counts())
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    held = _Held(doc_a, doc_b, level, paragraphs, words)
    flow = _flow(paragraphs, held)
    edges = _links(flow, map_a, map_b, settings)
    user: set[tuple[str, str]] = set()
    if overrides and level == "section":
        for pin_a, pin_b in overrides.pins:
            user |= {(x, y) for x in pin_a for y in pin_b if x in map_a and y in map_b}
        forbidden = {(x, y) for no_a, no_b in overrides.forbids for x in no_a for y in no_b}
        edges = [e for e in edges if e not in forbidden] + sorted(user)
    close_rival = _close_rivals(flow, settings.rival_share)
    pairs: list[Pair] = []
    for a_ids, b_ids in _groups(edges, ua, ub):
        if not b_ids:  # units without counterpart: one pair each
            pairs.extend(Pair(PairKind.DELETED, 0.0, [s], []) for s in a_ids)
            continue
        if not a_ids:
            pairs.extend(Pair(PairKind.INSERTED, 0.0, [], [t]) for t in b_ids)
            continue
        pair = _group_pair(a_ids, b_ids, map_a, map_b, held, flow)
        by_user = any((x, y) in user for x in a_ids for y in b_ids)
        weak = pair.kind == PairKind.CHANGED and close_rival(a_ids[0], b_ids[0])
        pair.uncertain = (
            (weak or pair.score < settings.uncertain_score) and not by_user and pair.kind != PairKind.UNCHANGED
        )
        pair.source = "user" if by_user else "aligner"
        pairs.append(pair)
    _mark_moves(pairs, map_a, map_b, chapter_groups)
    return Alignment(doc_a.edition_id, doc_b.edition_id, level, sort_pairs(pairs, map_a, map_b), map_a, map_b, flow)


class _Held:
    """The paragraphs each unit of either edition holds (by side, "a" or "b", and unit id), as
    places in document order, where `words` and the paragraph alignment's units have them."""

    def __init__(
        self, doc_a: Document, doc_b: Document, level: str, paragraphs: Alignment, words: tuple[Words, Words]
    ) -> None:
        self.owner = {"a": owners(doc_a, level), "b": owners(doc_b, level)}
        self.words = {"a": words[0], "b": words[1]}
        sides = {"a": paragraphs.units_a, "b": paragraphs.units_b}
        self.place = {side: {p: u.order for p, u in listed.items()} for side, listed in sides.items()}
        self.texts = {side: [u.text for u in listed.values()] for side, listed in sides.items()}
        self.places: dict[tuple[str, str], list[int]] = {}
        for side, owner in self.owner.items():
            for paragraph, unit in owner.items():
                self.places.setdefault((side, unit), []).append(self.place[side][paragraph])

    def cosine(self, unit_a: str, unit_b: str) -> float:
        """`cosine` of two units' bags of words, from their paragraphs' words (tokens never cross a
        paragraph), not a second tokenizing of their whole texts, counted with numpy: the same
        integer sums, so the same value."""
        a = self.words["a"].tally(self.places.get(("a", unit_a), []))
        b = self.words["b"].tally(self.places.get(("b", unit_b), []))
        norm = (int(a @ a) * int(b @ b)) ** 0.5
        return int(a @ b) / norm if norm else 0.0

    def same_text(self, unit_a: str, unit_b: str) -> bool:
        """`same_text` of two units' texts (`same_paragraphs` of their paragraphs' texts)."""
        texts_a = [self.texts["a"][k] for k in self.places.get(("a", unit_a), [])]
        texts_b = [self.texts["b"][k] for k in self.places.get(("b", unit_b), [])]
        return same_paragraphs(texts_a, texts_b)


def _flow(paragraphs: Alignment, held: _Held) -> Counter:
    """How many words each (A unit, B unit) shares through the paragraph pairs between them. Each
    word of a paragraph flows once at most: the flows of a pair add up to the words it retained."""
    owner_a, owner_b = held.owner["a"], held.owner["b"]
    flow: Counter = Counter()
    for pair in paragraphs.pairs:
        if len(pair.a) == len(pair.b) == 1:  # the words a pair of two paragraphs shares are those it retained
            flow[(owner_a[pair.a[0]], owner_b[pair.b[0]])] += pair.retained
            continue
        for (a, b), shared in _shares(pair, held).items():
            flow[(owner_a[a], owner_b[b])] += shared
    return flow


def _shares(pair: Pair, held: _Held) -> Counter:
    """The words each (A paragraph, B paragraph) of a split or merge shares, each word of either
    side given once: counted pair by pair, a word of the whole paragraph found in two of its pieces
    was counted twice, and a section's links came to more words than it has. The paragraphs
    sharing most take theirs first (the whole paragraph and its main partner, as the aligner
    paired them before attaching the pieces), then the others from what is left, so the flows add
    up to the words the pair retained."""
    words_a, words_b = held.words["a"], held.words["b"]
    left = {("a", a): Counter(words_a.bag(held.place["a"][a])) for a in pair.a}
    left.update({("b", b): Counter(words_b.bag(held.place["b"][b])) for b in pair.b})
    ranked = sorted(
        (
            (sum((left[("a", a)] & left[("b", b)]).values()), ka, kb)
            for ka, a in enumerate(pair.a)
            for kb, b in enumerate(pair.b)
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    shares: Counter = Counter()
    for _, ka, kb in ranked:
        a, b = pair.a[ka], pair.b[kb]
        common = left[("a", a)] & left[("b", b)]
        left[("a", a)] -= common
        left[("b", b)] -= common
        shares[(a, b)] += sum(common.values())
    return shares


def _groups(edges: list[tuple[str, str]], ua: list[Unit], ub: list[Unit]) -> list[tuple[list[str], list[str]]]:
    """The units joined by ``edges`` into groups (connected components), each as (A ids, B ids) in
    document order; a unit without an edge is a group of its own."""
    index = {("a", u.id): k for k, u in enumerate(ua)}
    index.update({("b", u.id): len(ua) + k for k, u in enumerate(ub)})
    size = len(ua) + len(ub)
    rows = [index[("a", s)] for s, _ in edges]
    cols = [index[("b", t)] for _, t in edges]
    graph = csr_matrix((np.ones(len(edges)), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, tuple[list[str], list[str]]] = {}
    for side, listed in ((0, ua), (1, ub)):
        for u in listed:
            members.setdefault(labels[index[("ab"[side], u.id)]], ([], []))[side].append(u.id)
    return list(members.values())


def _group_pair(
    a_ids: list[str],
    b_ids: list[str],
    map_a: dict[str, Unit],
    map_b: dict[str, Unit],
    held: _Held,
    flow: Counter,
) -> Pair:
    """The pair of a group with units on both sides: its kind, similarity and retained words. One
    unit each side is unchanged when text and heading are the same in canonical form (a heading
    in capitals in one file and in sentence case in another is the same heading), else changed."""
    retained = sum(flow[(s, t)] for s in a_ids for t in b_ids)
    if len(a_ids) == len(b_ids) == 1:
        unit_a, unit_b = map_a[a_ids[0]], map_b[b_ids[0]]
        same = (
            held.same_text(unit_a.id, unit_b.id)
            and canonical(unit_a.heading).casefold() == canonical(unit_b.heading).casefold()
        )
        typography = same and (unit_a.text, unit_a.heading) != (unit_b.text, unit_b.heading)
        score = 1.0 if same else held.cosine(a_ids[0], b_ids[0])
        return Pair(pair_kind(1, 1, same), score, a_ids, b_ids, retained, typography_only=typography)
    text_a = " ".join(map_a[s].text for s in a_ids)
    text_b = " ".join(map_b[t].text for t in b_ids)
    score = cosine(Counter(cached_words(text_a)), Counter(cached_words(text_b)))
    return Pair(pair_kind(len(a_ids), len(b_ids)), score, a_ids, b_ids, retained)


def _mark_moves(
    pairs: list[Pair], map_a: dict[str, Unit], map_b: dict[str, Unit], chapter_groups: dict[str, set[str]] | None
) -> None:
    """A kept pair out of document order, or (for sections) in a chapter its own chapter did not
    pair with, has moved."""
    ordered = in_order(pairs, map_a, map_b)
    for k, pair in enumerate(pairs):
        if pair.kind not in KEPT:
            continue
        a_unit, b_unit = map_a[pair.a[0]], map_b[pair.b[0]]
        other_chapter = chapter_groups is not None and b_unit.chapter not in chapter_groups.get(a_unit.chapter, set())
        if k not in ordered or other_chapter:
            pair.kind = PairKind.MOVED


def _close_rivals(flow: Counter, share: float) -> Callable[[str, str], bool]:
    """A test of whether another unit shares nearly as many words (at least ``share`` of the pair's)
    with either side of a pair, from each unit's two largest flows."""
    top: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for (s, t), w in flow.items():
        for key, other in ((("a", s), t), (("b", t), s)):
            best = top.setdefault(key, [])
            best.append((w, other))
            if len(best) > 2:
                best.sort(reverse=True)
                best.pop()

    def close(a: str, b: str) -> bool:
        rivals = [w for w, t in top.get(("a", a), []) if t != b] + [w for w, s in top.get(("b", b), []) if s != a]
        return bool(rivals) and max(rivals) >= share * flow[(a, b)]

    return close


def _links(
    flow: Counter, map_a: dict[str, Unit], map_b: dict[str, Unit], settings: AlignSettings
) -> list[tuple[str, str]]:
    """Which flows of words join an A unit to a B unit. A link needs one of: the B unit is where
    most of the A unit's surviving words went (and at least ``min_link`` of them); the A unit is
    where most of the B unit's words came from (and at least ``section_share_b`` of them); or the
    flow is a large share of both (``section_share_a``). A paragraph moved into another section is none of these,
    so it does not glue two sections into a false merge."""
    best_target: dict[str, tuple[int, str]] = {}
    best_source: dict[str, tuple[int, str]] = {}
    for (s, t), w in flow.items():
        best_target[s] = max(best_target.get(s, (0, "")), (w, t))
        best_source[t] = max(best_source.get(t, (0, "")), (w, s))
    edges = []
    for (s, t), w in flow.items():
        share_a, share_b = w / max(map_a[s].words, 1), w / max(map_b[t].words, 1)
        if w and (
            (best_target[s][1] == t and share_a >= settings.min_link)
            or (best_source[t][1] == s and share_b >= settings.section_share_b)
            or min(share_a, share_b) >= settings.section_share_a
        ):
            edges.append((s, t))
    return edges
