"""Section and chapter alignment from the flow of words between paired paragraphs."""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..model import Document
from ..overrides import Overrides
from ..text import canonical
from .model import (MIN_LINK, SECTION_SHARE_A, SECTION_SHARE_B, UNCERTAIN_SCORE, Alignment, Pair, Unit, _cosine,
                    _edition_id, _kind_by_order, _owners, _sort_pairs, _words, units)

def group_units(doc_a: Document, doc_b: Document, level: str, paragraphs: Alignment,
           chapter_groups: dict[str, set[str]] | None = None, overrides: Overrides | None = None) -> Alignment:
    """Section or chapter alignment from the flow of retained words between units."""
    ua, ub = units(doc_a, level), units(doc_b, level)
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    owner_a = _owners(doc_a, level)
    owner_b = _owners(doc_b, level)
    bags_a = {p: Counter(_words(u.text)) for p, u in paragraphs.units_a.items()}
    bags_b = {p: Counter(_words(u.text)) for p, u in paragraphs.units_b.items()}
    held_a: dict[str, list[str]] = {}  # unit -> its paragraphs
    held_b: dict[str, list[str]] = {}
    for owner, held in ((owner_a, held_a), (owner_b, held_b)):
        for paragraph, unit in owner.items():
            held.setdefault(unit, []).append(paragraph)
    flow: Counter = Counter()
    for pair in paragraphs.pairs:
        for a in pair.a:
            for b in pair.b:
                flow[(owner_a[a], owner_b[b])] += sum((bags_a[a] & bags_b[b]).values())
    edges = _links(flow, map_a, map_b)
    user: set[tuple[str, str]] = set()
    if overrides and level == "section":
        for a_ids, b_ids in overrides.pins:
            user |= {(x, y) for x in a_ids for y in b_ids if x in map_a and y in map_b}
        forbidden = {(x, y) for a_ids, b_ids in overrides.forbids for x in a_ids for y in b_ids}
        edges = [e for e in edges if e not in forbidden] + sorted(user)
    ids = list(map_a) + list(map_b)
    index = {("a", u): k for k, u in enumerate(map_a)}
    index.update({("b", u): len(map_a) + k for k, u in enumerate(map_b)})
    rows = [index[("a", s)] for s, _ in edges]
    cols = [index[("b", t)] for _, t in edges]
    graph = csr_matrix((np.ones(len(edges)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, tuple[list[str], list[str]]] = {}
    for u in ua:
        members.setdefault(labels[index[("a", u.id)]], ([], []))[0].append(u.id)
    for u in ub:
        members.setdefault(labels[index[("b", u.id)]], ([], []))[1].append(u.id)
    pairs = []
    close_rival = _close_rivals(flow)
    for a_ids, b_ids in members.values():
        retained = sum(flow[(s, t)] for s in a_ids for t in b_ids)
        if a_ids and b_ids:
            typography = False
            if len(a_ids) == 1 and len(b_ids) == 1:
                unit_a, unit_b = map_a[a_ids[0]], map_b[b_ids[0]]
                # a heading set in capitals in one file and in sentence case in another is the same heading
                same = canonical(unit_a.text) == canonical(unit_b.text) \
                    and canonical(unit_a.heading).casefold() == canonical(unit_b.heading).casefold()
                typography = same and (unit_a.text, unit_a.heading) != (unit_b.text, unit_b.heading)
                kind = "unchanged" if same else "changed"
                # a unit's words are its paragraphs' words (tokens never cross a paragraph), so
                # its bag is their sum, not a second tokenizing of its whole text
                score = 1.0 if same else _cosine(_bag(held_a[a_ids[0]], bags_a), _bag(held_b[b_ids[0]], bags_b))
            else:
                kind = "split" if len(a_ids) < len(b_ids) or (len(a_ids) == 1) else "merged"
                text_a = " ".join(map_a[s].text for s in a_ids)
                text_b = " ".join(map_b[t].text for t in b_ids)
                score = _cosine(Counter(_words(text_a)), Counter(_words(text_b)))
            weak = kind == "changed" and close_rival(a_ids[0], b_ids[0])
            by_user = any((x, y) in user for x in a_ids for y in b_ids)
            pairs.append(Pair(kind, score, a_ids, b_ids, retained, uncertain=(weak or score < UNCERTAIN_SCORE)
                              and not by_user and kind != "unchanged", source="user" if by_user else "aligner",
                              typography_only=typography))
        elif a_ids:
            pairs.extend(Pair("deleted", 0.0, [s], []) for s in a_ids)
        else:
            pairs.extend(Pair("inserted", 0.0, [], [t]) for t in b_ids)
    in_order = _kind_by_order(pairs, map_a, map_b)
    for k, pair in enumerate(pairs):
        if pair.kind not in ("changed", "unchanged"):
            continue
        a_unit, b_unit = map_a[pair.a[0]], map_b[pair.b[0]]
        other_chapter = chapter_groups is not None and b_unit.chapter not in chapter_groups.get(a_unit.chapter, set())
        if k not in in_order or other_chapter:
            pair.kind = "moved"
    return Alignment(_edition_id(doc_a), _edition_id(doc_b), level, _sort_pairs(pairs, map_a, map_b), map_a, map_b,
                     flow)


def _bag(paragraphs: list[str], bags: dict[str, Counter]) -> Counter:
    """The words of a unit: the sum of the bags of the ``paragraphs`` it holds."""
    total: Counter = Counter()
    for paragraph in paragraphs:
        total.update(bags[paragraph])
    return total


def _close_rivals(flow: Counter) -> callable:
    """A test of whether another unit shares nearly as many words (within 20%) with either side of
    a pair, from each unit's two largest flows."""
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
        return bool(rivals) and max(rivals) >= 0.8 * flow[(a, b)]

    return close


def _links(flow: Counter, map_a: dict[str, Unit], map_b: dict[str, Unit]) -> list[tuple[str, str]]:
    """Which flows of words join an A unit to a B unit. A link needs one of: the B unit is where
    most of the A unit's surviving words went (and at least MIN_LINK of them); the A unit is where
    most of the B unit's words came from (and at least SECTION_SHARE_B of them); or the flow is a
    large share of both (SECTION_SHARE_A). A paragraph moved into another section is none of these,
    so it does not glue two sections into a false merge."""
    best_target: dict[str, tuple[int, str]] = {}
    best_source: dict[str, tuple[int, str]] = {}
    for (s, t), w in flow.items():
        best_target[s] = max(best_target.get(s, (0, "")), (w, t))
        best_source[t] = max(best_source.get(t, (0, "")), (w, s))
    edges = []
    for (s, t), w in flow.items():
        share_a, share_b = w / max(map_a[s].words, 1), w / max(map_b[t].words, 1)
        if w and ((best_target[s][1] == t and share_a >= MIN_LINK)
                  or (best_source[t][1] == s and share_b >= SECTION_SHARE_B)
                  or min(share_a, share_b) >= SECTION_SHARE_A):
            edges.append((s, t))
    return edges
