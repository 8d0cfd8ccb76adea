"""Align stage: pair up the paragraphs, sections and chapters of two editions.

Paragraphs are compared by TF-IDF cosine similarity over the whole of both documents (so a
paragraph is found wherever it went), then paired one-to-one by an optimal assignment in each
group of candidates, with a small bonus for staying in document order (so repeated boilerplate
pairs with the copy in the right place). Unpaired paragraphs whose words are mostly contained in
a paired one become splits or merges. Sections and chapters are then grouped by where their words
went: one section whose words went to two becomes a split, two whose words went to one a merge.

Every pair has a kind:

``unchanged``  identical text (and heading, for sections);
``changed``    edited in place;
``moved``      paired, but out of document order (or, for a section, in another chapter);
``split``      one unit of A became several of B; ``merged`` several of A became one of B;
``deleted``    only in A; ``inserted`` only in B.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from . import cache
from .model import Document
from .overrides import Overrides, restrict
from .progress import stage
from .scan import tokenize

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
    kind: str
    score: float
    a: list[str]
    b: list[str]
    retained: int = 0  # words of the A side that survive on the B side
    uncertain: bool = False  # a weak match, or a close second-best candidate
    source: str = "aligner"  # "user" when an override pinned or shaped it


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
        return pd.DataFrame([{"kind": p.kind, "score": round(p.score, 4), "a": " + ".join(p.a),
                              "b": " + ".join(p.b), "retained": p.retained, "uncertain": p.uncertain,
                              "source": p.source} for p in self.pairs],
                            columns=["kind", "score", "a", "b", "retained", "uncertain", "source"])

    def uncertain(self) -> list[Pair]:
        return [p for p in self.pairs if p.uncertain]

    def retention(self) -> pd.DataFrame:
        """Where the words went. One row per unit of A (``side`` "a"): ``shared`` is how many of its
        words survive in B and ``share`` that as a share of its words; one row per unit of B (side
        "b"): ``shared`` words came from A and ``share`` is the share that is new. ``links`` lists
        the units on the other side with the words shared with each. Empty at paragraph level."""
        rows = []
        for side, units, here, there in (("a", self.units_a, 0, 1), ("b", self.units_b, 1, 0)):
            for unit in units.values():
                links = sorted(((w, key[there]) for key, w in self.flow.items() if key[here] == unit.id and w),
                               key=lambda t: (-t[0], t[1]))
                shared = min(sum(w for w, _ in links), unit.words)
                kept = shared if side == "a" else unit.words - shared
                rows.append({"side": side, "unit": unit.id, "heading": unit.heading, "words": unit.words,
                             "shared": shared, "share": round(kept / unit.words, 4) if unit.words else 0.0,
                             "links": "; ".join(f"{u} ({w})" for w, u in links)})
        return pd.DataFrame(rows, columns=["side", "unit", "heading", "words", "shared", "share", "links"])

    def to_dict(self) -> dict:
        def unit(u: Unit) -> dict:
            return {"id": u.id, "heading": u.heading, "text": u.text, "number": u.number, "page": u.page,
                    "words": u.words}

        pairs = [{"kind": p.kind, "score": round(p.score, 4), "retained": p.retained, "uncertain": p.uncertain,
                  "source": p.source, "a_units": [unit(self.units_a[i]) for i in p.a],
                  "b_units": [unit(self.units_b[i]) for i in p.b]} for p in self.pairs]
        return {"a": self.a, "b": self.b, "level": self.level, "pairs": pairs,
                "uncertain": [k for k, p in enumerate(self.pairs) if p.uncertain],
                "retention": self.retention().to_dict("records")}

    def counts(self) -> Counter:
        return Counter(p.kind for p in self.pairs)


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokenize(text))


def _chapter_of(document: Document) -> dict[str, str]:
    chapter = {}
    for top in document.sections:
        for section in top.walk():
            chapter[section.id] = top.id
    return chapter


def units(document: Document, level: str) -> list[Unit]:
    """The units of ``document`` at ``level`` in document order."""
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
    for unit in result:
        unit.words = len(_words(unit.text))
    return result


def similarity(texts_a: list[str], texts_b: list[str]) -> tuple[csr_matrix, dict[str, float]]:
    """Sparse TF-IDF cosine similarity of every text of A with every text of B (pruned below the
    candidate threshold), and the inverse document frequency of each word."""
    if not texts_a or not texts_b:
        return csr_matrix((len(texts_a), len(texts_b))), {}
    vectorizer = TfidfVectorizer(tokenizer=_words, lowercase=False, token_pattern=None, sublinear_tf=True,
                                 ngram_range=(1, 2), dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(texts_a + texts_b)
    except ValueError:  # no words at all
        return csr_matrix((len(texts_a), len(texts_b))), {}
    sims = (matrix[: len(texts_a)] @ matrix[len(texts_a):].T).tocsr()
    sims.data[sims.data < CANDIDATE_THRESHOLD] = 0
    sims.eliminate_zeros()
    idf = {w: float(v) for w, v in zip(vectorizer.get_feature_names_out(), vectorizer.idf_) if " " not in w}
    return sims, idf


def _longest_increasing(values: list[float]) -> set[int]:
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


def _expected_positions(sims: csr_matrix) -> np.ndarray:
    """For each A paragraph, where in B it would be if it kept its place: interpolated between
    confident anchors (mutual best matches that keep document order)."""
    n, m = sims.shape
    if n == 0 or m == 0 or sims.nnz == 0:
        return np.linspace(0, max(m - 1, 0), n)
    best_b = np.asarray(sims.argmax(axis=1)).ravel()
    best_a = np.asarray(sims.argmax(axis=0)).ravel()
    top = np.asarray(sims.max(axis=1).todense()).ravel()
    anchors = [(i, int(best_b[i])) for i in range(n) if top[i] >= 0.8 and best_a[best_b[i]] == i]
    if not anchors:
        return np.linspace(0, m - 1, n)
    keep = _longest_increasing([j for _, j in anchors])
    xs = [anchors[k][0] for k in sorted(keep)]
    ys = [anchors[k][1] for k in sorted(keep)]
    return np.interp(np.arange(n), xs, ys)


def match_paragraphs(sims: csr_matrix) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) maximising total similarity plus bonuses for keeping document order
    and for matching neighbours, solved exactly in each connected group of candidates."""
    n, m = sims.shape
    candidates = sims.copy()
    candidates.data[candidates.data < PAIR_THRESHOLD] = 0
    candidates.eliminate_zeros()
    if candidates.nnz == 0:
        return []
    expected = _expected_positions(sims)
    coo = candidates.tocoo()
    # Paragraphs of A are nodes 0..n-1 and of B n..n+m-1; each group of linked candidates is solved alone.
    graph = csr_matrix((np.ones(coo.nnz), (coo.row, coo.col + n)), shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[tuple[int, int, float]]] = {}
    for i, j, s in zip(coo.row, coo.col, coo.data):
        groups.setdefault(labels[i], []).append((int(i), int(j), float(s)))
    pairs = []
    lookup = None
    for edges in groups.values():
        if len(edges) == 1:
            pairs.append(edges[0][:2])
            continue
        lookup = lookup if lookup is not None else sims.todok()
        rows = sorted({i for i, _, _ in edges})
        cols = sorted({j for _, j, _ in edges})
        r_index = {v: k for k, v in enumerate(rows)}
        c_index = {v: k for k, v in enumerate(cols)}
        score = np.zeros((len(rows), len(cols)))
        for i, j, s in edges:
            closeness = np.exp(-abs(j - expected[i]) / 5.0)
            # neighbours that match too: what tells the right copy of repeated boilerplate from another
            before = lookup.get((i - 1, j - 1), 0.0) if i and j else 0.0
            after = lookup.get((i + 1, j + 1), 0.0) if i + 1 < n and j + 1 < m else 0.0
            context = (before + after) / 2
            score[r_index[i], c_index[j]] = s + ORDER_BONUS * closeness + CONTEXT_BONUS * context
        chosen_r, chosen_c = linear_sum_assignment(score, maximize=True)
        pairs.extend((rows[r], cols[c]) for r, c in zip(chosen_r, chosen_c) if score[r, c] > 0)
    return sorted(pairs)


def _containment(part: Counter, whole: Counter, idf: dict[str, float]) -> float:
    """Share of ``part``'s words found in ``whole``, weighted by IDF so that common words count little."""
    total = sum(idf.get(w, 1.0) * n for w, n in part.items())
    return sum(idf.get(w, 1.0) * n for w, n in (part & whole).items()) / total if total else 0.0


def _kind_by_order(pairs: list[Pair], units_a: dict[str, Unit], units_b: dict[str, Unit]) -> set[int]:
    """Indexes of 1:1 pairs that keep document order (the rest have moved)."""
    matched = [(k, units_a[p.a[0]].order, units_b[p.b[0]].order) for k, p in enumerate(pairs) if p.a and p.b]
    matched.sort(key=lambda t: t[1])
    keep = _longest_increasing([b for _, _, b in matched])
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


class _Rivals:
    """The best and second-best candidate of every row and column of a similarity matrix, so
    each pair's closest rival is found without scanning its row and column again."""

    def __init__(self, sims: csr_matrix) -> None:
        self.sims = sims
        self.rows = self._top_two(sims.tocoo(), by_row=True)
        self.cols = self._top_two(sims.tocoo(), by_row=False)

    @staticmethod
    def _top_two(coo, by_row: bool) -> dict[int, list[tuple[float, int]]]:
        top: dict[int, list[tuple[float, int]]] = {}
        keys, others = (coo.row, coo.col) if by_row else (coo.col, coo.row)
        for key, other, value in zip(keys.tolist(), others.tolist(), coo.data.tolist()):
            best = top.setdefault(key, [])
            best.append((value, other))
            if len(best) > 2:
                best.sort(reverse=True)
                best.pop()
        return top

    def uncertain(self, i: int, j: int) -> bool:
        """Low similarity, or another candidate of either paragraph within UNCERTAIN_MARGIN."""
        score = self.sims[i, j]
        rivals = [v for v, k in self.rows.get(i, []) if k != j] + [v for v, k in self.cols.get(j, []) if k != i]
        return bool(score < UNCERTAIN_SCORE or (rivals and max(rivals) >= score - UNCERTAIN_MARGIN))


def align_paragraphs(doc_a: Document, doc_b: Document, overrides: Overrides | None = None) -> Alignment:
    """Paragraph-level alignment: every paragraph of both editions is in exactly one pair."""
    ua, ub = units(doc_a, "paragraph"), units(doc_b, "paragraph")
    sims, idf = similarity([u.text for u in ua], [u.text for u in ub])
    pinned: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    if overrides:
        owner_a, owner_b = _owners(doc_a, "section"), _owners(doc_b, "section")
        overrides.check(set(owner_a) | set(owner_a.values()), set(owner_b) | set(owner_b.values()))
        pinned, forbidden, groups = overrides.paragraph_rules(owner_a, owner_b)
        ids_a, ids_b = [u.id for u in ua], [u.id for u in ub]
        sims = restrict(sims, ids_a, ids_b, owner_a, owner_b, forbidden, groups)
        rows = {ids_a.index(i) for a_ids, _ in pinned for i in a_ids}
        cols = {ids_b.index(j) for _, b_ids in pinned for j in b_ids}
        if rows or cols:  # pinned paragraphs take no part in matching
            sims = sims.tolil()
            for i in rows:
                sims[i, :] = 0
            for j in cols:
                sims[:, j] = 0
            sims = sims.tocsr()
            sims.eliminate_zeros()
    one_to_one = match_paragraphs(sims)
    bags_a = [Counter(_words(u.text)) for u in ua]
    bags_b = [Counter(_words(u.text)) for u in ub]
    partner_of_a = {i: j for i, j in one_to_one}
    partner_of_b = {j: i for i, j in one_to_one}
    extra_b: dict[int, list[int]] = {}  # A index -> extra B pieces (split)
    extra_a: dict[int, list[int]] = {}  # B index -> extra A pieces (merged)
    # A split or merge piece must be found in what its partner has left over once the main pair's
    # words are taken out, so copies of repeated boilerplate cannot pile onto one paragraph.
    left_a = {i: bags_a[i] - bags_b[j] for i, j in one_to_one}
    left_b = {j: bags_b[j] - bags_a[i] for i, j in one_to_one}
    sims_csc = sims.tocsc()
    for j in range(len(ub)):
        if j in partner_of_b:
            continue
        start, stop = sims_csc.indptr[j], sims_csc.indptr[j + 1]  # column j without building a matrix
        for i in sims_csc.indices[start:stop][np.argsort(-sims_csc.data[start:stop])]:
            if i in left_a and partner_of_a[i] not in extra_a and _containment(bags_b[j], left_a[i], idf) >= CONTAINMENT:
                extra_b.setdefault(int(i), []).append(j)
                partner_of_b[j] = int(i)
                left_a[i] = left_a[i] - bags_b[j]
                break
    for i in range(len(ua)):
        if i in partner_of_a:
            continue
        start, stop = sims.indptr[i], sims.indptr[i + 1]
        for j in sims.indices[start:stop][np.argsort(-sims.data[start:stop])]:
            if j in left_b and partner_of_b[j] not in extra_b and _containment(bags_a[i], left_b[j], idf) >= CONTAINMENT:
                extra_a.setdefault(int(j), []).append(i)
                partner_of_a[i] = int(j)
                left_b[j] = left_b[j] - bags_a[i]
                break
    pairs: list[Pair] = []
    index_a, index_b = {u.id: k for k, u in enumerate(ua)}, {u.id: k for k, u in enumerate(ub)}
    for a_ids, b_ids in pinned:
        a_bag = sum((bags_a[index_a[x]] for x in a_ids), Counter())
        b_bag = sum((bags_b[index_b[y]] for y in b_ids), Counter())
        kind = "split" if len(b_ids) > 1 else "merged" if len(a_ids) > 1 else (
            "unchanged" if ua[index_a[a_ids[0]]].text == ub[index_b[b_ids[0]]].text else "changed")
        pairs.append(Pair(kind, _cosine(a_bag, b_bag), list(a_ids), list(b_ids), sum((a_bag & b_bag).values()),
                          source="user"))
        partner_of_a.update({index_a[x]: index_b[b_ids[0]] for x in a_ids})
        partner_of_b.update({index_b[y]: index_a[a_ids[0]] for y in b_ids})
    rivals = _Rivals(sims)
    for i, j in one_to_one:
        a_side = sorted([i] + extra_a.get(j, []))
        b_side = sorted([j] + extra_b.get(i, []))
        a_bag = sum((bags_a[k] for k in a_side), Counter())
        b_bag = sum((bags_b[k] for k in b_side), Counter())
        kind = "split" if len(b_side) > 1 else "merged" if len(a_side) > 1 else (
            "unchanged" if ua[i].text == ub[j].text else "changed")
        score = float(sims[i, j]) if kind in ("changed", "unchanged") else _cosine(a_bag, b_bag)
        if kind == "unchanged":
            score = 1.0
        pairs.append(Pair(kind, score, [ua[k].id for k in a_side], [ub[k].id for k in b_side],
                          sum((a_bag & b_bag).values()), uncertain=kind != "unchanged" and rivals.uncertain(i, j)))
    in_order = _kind_by_order(pairs, {u.id: u for u in ua}, {u.id: u for u in ub})
    for k, pair in enumerate(pairs):
        if k not in in_order and pair.kind in ("changed", "unchanged") and pair.source == "aligner":
            pair.kind = "moved"
    pairs += [Pair("deleted", 0.0, [u.id], []) for k, u in enumerate(ua) if k not in partner_of_a]
    pairs += [Pair("inserted", 0.0, [], [u.id]) for k, u in enumerate(ub) if k not in partner_of_b]
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    return Alignment(_edition_id(doc_a), _edition_id(doc_b), "paragraph", _sort_pairs(pairs, map_a, map_b), map_a, map_b)


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
    return dot / norm if norm else 0.0


def _edition_id(document: Document) -> str:
    return document.edition.id if document.edition else "document"


def _group(doc_a: Document, doc_b: Document, level: str, paragraphs: Alignment,
           chapter_groups: dict[str, set[str]] | None = None, overrides: Overrides | None = None) -> Alignment:
    """Section or chapter alignment from the flow of retained words between units."""
    ua, ub = units(doc_a, level), units(doc_b, level)
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    owner_a = _owners(doc_a, level)
    owner_b = _owners(doc_b, level)
    flow: Counter = Counter()
    for pair in paragraphs.pairs:
        for a in pair.a:
            bag_a = Counter(_words(paragraphs.units_a[a].text))
            for b in pair.b:
                bag_b = Counter(_words(paragraphs.units_b[b].text))
                flow[(owner_a[a], owner_b[b])] += sum((bag_a & bag_b).values())
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
            if len(a_ids) == 1 and len(b_ids) == 1:
                same = map_a[a_ids[0]].text == map_b[b_ids[0]].text and map_a[a_ids[0]].heading == map_b[b_ids[0]].heading
                kind = "unchanged" if same else "changed"
                score = 1.0 if same else _cosine(Counter(_words(map_a[a_ids[0]].text)),
                                                 Counter(_words(map_b[b_ids[0]].text)))
            else:
                kind = "split" if len(a_ids) < len(b_ids) or (len(a_ids) == 1) else "merged"
                text_a = " ".join(map_a[s].text for s in a_ids)
                text_b = " ".join(map_b[t].text for t in b_ids)
                score = _cosine(Counter(_words(text_a)), Counter(_words(text_b)))
            weak = kind == "changed" and close_rival(a_ids[0], b_ids[0])
            by_user = any((x, y) in user for x in a_ids for y in b_ids)
            pairs.append(Pair(kind, score, a_ids, b_ids, retained, uncertain=(weak or score < UNCERTAIN_SCORE)
                              and not by_user and kind != "unchanged", source="user" if by_user else "aligner"))
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


def _owners(document: Document, level: str) -> dict[str, str]:
    """Map each paragraph id to the unit that holds it at ``level``."""
    owners = {}
    for top in document.sections:
        for section in top.walk():
            for p in section.paragraphs:
                owners[p.id] = top.id if level == "chapter" else section.id
    return owners


def align_levels(doc_a: Document, doc_b: Document, overrides: Overrides | None = None) -> dict[str, Alignment]:
    """Alignments at every level, sharing one paragraph alignment. ``overrides`` (see
    `wtcompare.overrides`) pins and forbids pairs of paragraphs or sections."""
    with stage("align", f"{_edition_id(doc_a)} and {_edition_id(doc_b)}"):
        entry = cache.result_key("align", cache.document_key(doc_a), cache.document_key(doc_b),
                                 repr((overrides.pins, overrides.forbids)) if overrides else "")
        stored = cache.get_result(entry)
        if stored is not None:
            return _thaw(stored, doc_a, doc_b)
        result = _align_levels(doc_a, doc_b, overrides)
        cache.put_result(entry, {level: {"pairs": [[p.kind, p.score, p.a, p.b, p.retained, p.uncertain, p.source]
                                                   for p in alignment.pairs],
                                         "flow": [[s, t, w] for (s, t), w in alignment.flow.items()]}
                                 for level, alignment in result.items()})
        return result


def _thaw(stored: dict, doc_a: Document, doc_b: Document) -> dict[str, Alignment]:
    """Alignments rebuilt from the cache (units are recomputed from the documents)."""
    result = {}
    for level, data in stored.items():
        pairs = [Pair(kind, score, a, b, retained, uncertain, source)
                 for kind, score, a, b, retained, uncertain, source in data["pairs"]]
        result[level] = Alignment(_edition_id(doc_a), _edition_id(doc_b), level, pairs,
                                  {u.id: u for u in units(doc_a, level)}, {u.id: u for u in units(doc_b, level)},
                                  Counter({(s, t): w for s, t, w in data["flow"]}))
    return result


def _align_levels(doc_a: Document, doc_b: Document, overrides: Overrides | None) -> dict[str, Alignment]:
    paragraphs = align_paragraphs(doc_a, doc_b, overrides)
    chapters = _group(doc_a, doc_b, "chapter", paragraphs)
    groups: dict[str, set[str]] = {}
    for pair in chapters.pairs:
        for a in pair.a:
            groups.setdefault(a, set()).update(pair.b)
    sections = _group(doc_a, doc_b, "section", paragraphs, groups, overrides)
    return {"paragraph": paragraphs, "section": sections, "chapter": chapters}


def align(doc_a: Document, doc_b: Document, level: str = "section", overrides: Overrides | None = None) -> Alignment:
    """Align two editions at ``level``: ``paragraph``, ``section`` or ``chapter``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if level == "paragraph":
        return align_paragraphs(doc_a, doc_b, overrides)
    return align_levels(doc_a, doc_b, overrides)[level]


def retained_share(paragraphs: Alignment) -> float:
    """Share of A's words that survive in B, over a paragraph alignment."""
    total = sum(u.words for u in paragraphs.units_a.values())
    return sum(p.retained for p in paragraphs.pairs) / total if total else 0.0
