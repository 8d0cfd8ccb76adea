"""Paragraph alignment: candidates by TF-IDF similarity over the whole of both documents, an
order-aware optimal assignment, then splits and merges from what is left over."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import connected_components

from ..model import Document
from ..overrides import Overrides, restrict
from ..text import canonical
from .model import (
    DEFAULT_SETTINGS,
    KEPT,
    Alignment,
    AlignSettings,
    Pair,
    PairKind,
    Unit,
    cosine,
    in_order,
    longest_increasing,
    owners,
    pair_kind,
    same_text,
    sort_pairs,
    units,
)
from .words import Words, pair_words

PRODUCT_ROWS = 512  # paragraphs of A whose similarities are found at once (see `similarity`)


def similarity(
    words_a: Words, words_b: Words, settings: AlignSettings = DEFAULT_SETTINGS
) -> tuple[csr_matrix, list[float]]:
    """Sparse TF-IDF cosine similarity of every text of A with every text of B (pruned below the
    settings' candidate threshold, its columns in order in each row), and the inverse document
    frequency of each word, by id."""
    if not len(words_a) or not len(words_b):
        return csr_matrix((len(words_a), len(words_b))), []
    matrix, idf = tfidf(words_a + words_b)
    if matrix is None:  # no words at all
        return csr_matrix((len(words_a), len(words_b))), []
    # A block of A's rows at a time, pruned before the next: the whole product holds nearly every
    # pair of paragraphs (they share common words), 180 MB for two 160,000-word editions, of which
    # the pruning keeps a few percent. Each row is the same as in one product, so the result is too.
    right = matrix[len(words_a) :].T.tocsr()
    blocks = []
    for start in range(0, len(words_a), PRODUCT_ROWS):
        block = matrix[start : min(start + PRODUCT_ROWS, len(words_a))] @ right
        block.data[block.data < settings.candidate_threshold] = 0
        block.eliminate_zeros()
        blocks.append(block)
    sims = vstack(blocks, format="csr")
    # The product leaves a row's columns in the order it met them; in order, a row's first
    # largest value is the one in the lowest column (see `_first_largest`), as scipy's argmax found it.
    sims.sort_indices()
    return sims, idf


def tfidf(words: Words) -> tuple[csr_matrix | None, list[float]]:
    """TF-IDF of words and word pairs over the texts of ``words``, one row per text, and the IDF
    of each word by id (of every word of the vocabulary; a word not in these texts has none that
    means anything); (None, []) when there are no words. The same float32 values, in the same
    places and stored in the same order, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
    ngram_range=(1, 2), dtype=np.float32)`` (smoothed IDF, rows of unit length), which the aligner
    used before: a row's terms stored in the order the corpus first uses them, columns numbered in
    the sorted order of the terms' text. Built with numpy from the arrays of word ids rather than a
    dict of strings per word and word pair, it takes a fraction of the time and no scikit-learn (a
    second to import)."""
    ids, starts = words.ids, words.starts
    vocabulary = len(words.vocabulary)
    if not len(ids):
        return None, []
    texts = len(words)
    # Term keys: a word is its id, a pair of words (w, v) is vocabulary + w * vocabulary + v. In
    # each text the words come first, then the pairs, the order scikit-learn meets its terms in.
    lengths = np.diff(starts)
    per_text = np.where(lengths > 0, 2 * lengths - 1, 0)
    key_starts = np.concatenate([[0], np.cumsum(per_text)])
    text_of = np.repeat(np.arange(texts), lengths)
    place = np.arange(len(ids)) - starts[text_of]  # each word's place in its text
    keys = np.empty(key_starts[-1], dtype=np.int64)
    keys[key_starts[text_of] + place] = ids
    followed = np.flatnonzero(place < lengths[text_of] - 1)  # words with another after them in their text
    keys[key_starts[text_of[followed]] + lengths[text_of[followed]] + place[followed]] = (
        vocabulary + ids[followed] * vocabulary + ids[followed + 1]
    )
    rows = np.repeat(np.arange(texts), per_text)
    terms, inverse = np.unique(keys, return_inverse=True)
    n_terms = len(terms)
    first = np.full(n_terms, len(keys), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(keys)))
    met = np.empty(n_terms, dtype=np.int64)  # term -> its rank in order of first use
    met[np.argsort(first)] = np.arange(n_terms)
    # Columns in the sorted order of the terms' text. Tokens hold no character below a space, so
    # "w v" sorts right after "w" and before any longer word that starts with "w": the order of
    # (rank of the first word, word before pair, rank of the second word).
    used = terms[terms < vocabulary]  # the words of these texts, by id (terms are sorted: words first)
    rank = np.zeros(vocabulary, dtype=np.int64)
    rank[used[np.array(sorted(range(len(used)), key=[words.vocabulary[w] for w in used.tolist()].__getitem__))]] = (
        np.arange(len(used))
    )
    pair = terms >= vocabulary
    head = np.where(pair, (terms - vocabulary) // vocabulary, terms)
    tail = np.where(pair, rank[(terms - vocabulary) % vocabulary] + 1, 0)
    column = np.empty(n_terms, dtype=np.int64)
    column[np.argsort(rank[head] * (len(used) + 1) + tail, kind="stable")] = np.arange(n_terms)
    # Each text's counts, stored in order of first use
    slots, counts = np.unique(rows * n_terms + met[inverse], return_counts=True)
    by_met = np.empty(n_terms, dtype=np.int64)
    by_met[met] = np.arange(n_terms)
    indices = column[by_met[slots % n_terms]].astype(np.int32)
    indptr = np.zeros(texts + 1, dtype=np.int32)
    np.cumsum(np.bincount(slots // n_terms, minlength=texts), out=indptr[1:])
    data = counts.astype(np.float32)
    np.log(data, out=data)  # sublinear term frequency: 1 + log(count)
    data += 1.0
    documents = np.bincount(indices, minlength=n_terms).astype(np.float32)
    documents += 1.0  # smoothed: as if one more text held every term
    idf = np.full_like(documents, fill_value=texts + 1, dtype=np.float32)
    idf /= documents
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[indices]
    norms = np.sqrt(_row_sums((data * data).astype(np.float64), indptr))
    lengths = np.diff(indptr)
    scale = np.repeat(norms, lengths)
    nonzero = scale != 0.0
    data[nonzero] = (data[nonzero].astype(np.float64) / scale[nonzero]).astype(np.float32)
    # every word is a term of its own, and its key is its id
    weights = np.ones(vocabulary, dtype=np.float32)
    weights[used] = idf[column[: len(used)]]
    return csr_matrix((data, indices, indptr), shape=(texts, n_terms)), weights.tolist()


def _row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of each row's values, added one after another in stored order, as scikit-learn's
    row normalisation adds them (numpy's own sums add values in pairs, which can round otherwise).
    Rows of similar length are laid side by side, padded with zeros, and summed cumulatively."""
    lengths = np.diff(indptr)
    sums = np.zeros(len(lengths))
    order = np.argsort(lengths, kind="stable")
    for chunk in np.array_split(order, max(1, len(order) // 256)):
        width = int(lengths[chunk].max()) if len(chunk) else 0
        if width == 0:
            continue
        filled = np.arange(width) < lengths[chunk][:, None]
        block = np.zeros((len(chunk), width))
        block[filled] = values[(indptr[chunk][:, None] + np.arange(width))[filled]]
        sums[chunk] = np.cumsum(block, axis=1)[:, -1]
    return sums


def _first_largest(rows: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each row's largest value and the column of its first (the lowest, the columns being in
    order), as scipy's ``max`` and ``argmax`` along the rows give them for a matrix of positive
    values (0 and 0 for a row with none), found for every row at once."""
    lengths = np.diff(rows.indptr)
    filled = np.flatnonzero(lengths)
    largest = np.zeros(rows.shape[0], dtype=rows.dtype)
    if len(filled):
        largest[filled] = np.maximum.reduceat(rows.data, rows.indptr[filled])
    at = np.flatnonzero(rows.data == np.repeat(largest, lengths))
    row_of = np.repeat(np.arange(rows.shape[0]), lengths)[at]
    first = np.concatenate([[True], row_of[1:] != row_of[:-1]])
    columns = np.zeros(rows.shape[0], dtype=np.int64)
    columns[row_of[first]] = rows.indices[at[first]]
    return largest, columns


def _expected_positions(sims: csr_matrix, anchor_score: float) -> np.ndarray:
    """For each A paragraph, where in B it would be if it kept its place: interpolated between
    confident anchors (mutual best matches at least ``anchor_score`` similar that keep document
    order)."""
    n, m = sims.shape
    if n == 0 or m == 0 or sims.nnz == 0:
        return np.linspace(0, max(m - 1, 0), n)
    top, best_b = _first_largest(sims)
    _, best_a = _first_largest(sims.T.tocsr())
    anchors = np.flatnonzero((top >= anchor_score) & (best_a[best_b] == np.arange(n)))
    if not len(anchors):
        return np.linspace(0, m - 1, n)
    keep = sorted(longest_increasing(best_b[anchors].tolist()))
    return np.interp(np.arange(n), anchors[keep], best_b[anchors[keep]])


def match_paragraphs(sims: csr_matrix, settings: AlignSettings = DEFAULT_SETTINGS) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) maximising total similarity plus bonuses for keeping document order
    and for matching neighbours, solved exactly in each connected group of candidates. ``sims``
    has its columns in order in each row (as `similarity` gives it)."""
    n, m = sims.shape
    candidates = sims.copy()
    candidates.data[candidates.data < settings.pair_threshold] = 0
    candidates.eliminate_zeros()
    if candidates.nnz == 0:
        return []
    coo = candidates.tocoo()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    # Paragraphs of A are nodes 0..n-1 and of B n..n+m-1; each group of linked candidates is solved alone.
    graph = csr_matrix((np.ones(coo.nnz), (rows, cols + n)), shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    score = _scores(sims, rows, cols, coo.data, settings)
    group = labels[rows].astype(np.int64)
    # For every group at once, its distinct rows and columns in order (as (group, row) numbers),
    # where each group's begin, and each candidate's row and column among its group's.
    group_rows, row_index = np.unique(group * n + rows, return_inverse=True)
    group_cols, col_index = np.unique(group * m + cols, return_inverse=True)
    row_start, col_start = np.searchsorted(group_rows, group * n), np.searchsorted(group_cols, group * m)
    at_row, at_col = row_index - row_start, col_index - col_start
    order = np.argsort(group, kind="stable")
    pairs = []
    for edges in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        if len(edges) == 1:
            pairs.append((int(rows[edges[0]]), int(cols[edges[0]])))
            continue
        # The costs of maximising the scores: what linear_sum_assignment(scores, maximize=True)
        # would make of them (their negatives), without its copy. Where nothing links it would
        # hold -0.0; 0.0 compares and adds the same (the same pairs on every pair of the docutils
        # series), and np.zeros leaves the pages of a large group's matrix (2,500 by 2,200 there)
        # to the system to clear rather than filling them.
        cost = np.zeros((int(at_row[edges].max()) + 1, int(at_col[edges].max()) + 1))
        cost[at_row[edges], at_col[edges]] = -score[edges]
        chosen_r, chosen_c = linear_sum_assignment(cost)
        kept = cost[chosen_r, chosen_c] < 0
        found_rows = group_rows[row_start[edges[0]] + chosen_r[kept]] % n
        found_cols = group_cols[col_start[edges[0]] + chosen_c[kept]] % m
        pairs.extend(zip(found_rows.tolist(), found_cols.tolist(), strict=True))
    return sorted(pairs)


def _scores(
    sims: csr_matrix, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, settings: AlignSettings
) -> np.ndarray:
    """What pairing paragraph ``rows[k]`` with ``cols[k]`` (similarity ``values[k]``) is worth:
    the similarity, plus a bonus for lying where the anchors expect it and one for neighbours that
    are similar too (what tells the right copy of repeated boilerplate from another). Float64, but
    the neighbours' mean and its weight in float32, the similarities' type (as numpy computed them
    one scalar at a time before, which the assignment's results depend on to the last bit)."""
    n, m = sims.shape
    expected = _expected_positions(sims, settings.anchor_score)
    closeness = np.exp(-np.abs(cols - expected[rows]) / settings.order_scale)
    cells = _Cells(sims)
    before = np.where((rows > 0) & (cols > 0), cells.find(rows - 1, cols - 1), 0)
    after = np.where((rows + 1 < n) & (cols + 1 < m), cells.find(rows + 1, cols + 1), 0)
    context = (before + after) / 2
    return values.astype(np.float64) + settings.order_bonus * closeness + settings.context_bonus * context


class _Cells:
    """The stored values of ``sims`` by (row, column), as numpy scalars of its dtype: what
    ``sims.todok()`` holds (scipy's ``dok.get`` checks every key, slowly), found by bisecting the
    cells' numbers in row-major order (a dict of them took 60 MB for two 160,000-word editions)."""

    def __init__(self, sims: csr_matrix) -> None:
        coo = sims.tocoo()
        self.width = sims.shape[1]
        keys = coo.row.astype(np.int64) * self.width + coo.col
        order = np.argsort(keys, kind="stable")
        self.numbers = keys[order]
        self.keys: list[int] = self.numbers.tolist()
        self.values = coo.data[order]

    def get(self, cell: tuple[int, int], default: Any) -> Any:
        key = cell[0] * self.width + cell[1]
        k = bisect.bisect_left(self.keys, key)
        return self.values[k] if k < len(self.keys) and self.keys[k] == key else default

    def find(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The values of many cells of the matrix at once, 0 where nothing is stored."""
        keys = rows * self.width + cols
        k = np.searchsorted(self.numbers, keys)
        # one cell past the last, holding nothing, for the keys after every stored one
        numbers, values = np.append(self.numbers, -1), np.append(self.values, 0)
        return np.where(numbers[k] == keys, values[k], 0)


def _containment(part: Counter, whole: Counter, idf: list[float], total: float) -> float:
    """Share of ``part``'s words found in ``whole``, weighted by IDF (by word id) so that common
    words count little; ``total`` is the weight of all of ``part``'s words (`_weight`). The words
    found are added up in ``part``'s order, as ``part & whole`` lists them."""
    return sum(idf[w] * min(n, whole[w]) for w, n in part.items() if w in whole) / total if total else 0.0


def _weight(bag: Counter, idf: list[float]) -> float:
    """The words of ``bag``, weighted by IDF (by word id)."""
    return sum(idf[w] * n for w, n in bag.items())


class _Rivals:
    """The best and second-best candidate of every row and column of a similarity matrix, so
    each pair's closest rival is found without scanning its row and column again."""

    def __init__(self, sims: csr_matrix, settings: AlignSettings) -> None:
        self.settings = settings
        self.cells = _Cells(sims)
        self.zero = sims.dtype.type(0)  # what sims[i, j] gives where nothing is stored
        coo = sims.tocoo()
        self.rows = _TopTwo(coo.row, coo.col, coo.data, sims.shape[0])
        self.cols = _TopTwo(coo.col, coo.row, coo.data, sims.shape[1])

    def uncertain(self, i: int, j: int) -> bool:
        """Low similarity, or another candidate of either paragraph within the uncertain margin."""
        score = self.cells.get((i, j), self.zero)
        rivals = [v for v in (self.rows.rival(i, j), self.cols.rival(j, i)) if v is not None]
        return bool(
            score < self.settings.uncertain_score or (rivals and max(rivals) >= score - self.settings.uncertain_margin)
        )


class _TopTwo:
    """For each key (a row, or a column), its largest two values, ties going to the larger other
    index, and the other index of the largest; found for every key at once by sorting."""

    def __init__(self, keys: np.ndarray, others: np.ndarray, values: np.ndarray, size: int) -> None:
        order = np.lexsort((others, values, keys))  # by key, then value, then index: each key's best last
        keys, others, values = keys[order], others[order], values[order]
        best = np.flatnonzero(keys[1:] != keys[:-1])  # each key's last place but the last key's
        best = np.append(best, len(keys) - 1) if len(keys) else best
        prior = best - 1
        second = prior[(prior >= 0) & (keys[np.maximum(prior, 0)] == keys[best])]  # where a key has two or more
        self.best: list[float | None] = [None] * size
        self.second: list[float | None] = [None] * size
        self.best_other = [-1] * size
        for key, other, value in zip(keys[best].tolist(), others[best].tolist(), values[best].tolist(), strict=True):
            self.best[key], self.best_other[key] = value, other
        for key, value in zip(keys[second].tolist(), values[second].tolist(), strict=True):
            self.second[key] = value

    def rival(self, key: int, other: int) -> float | None:
        """The largest value of ``key`` at an index other than ``other`` (None when there is none)."""
        return self.second[key] if self.best_other[key] == other else self.best[key]


@dataclass
class _Side:
    """One edition's paragraphs while pairs are made: ``words`` their words; ``matched`` a paragraph
    paired one to one and its partner in the other edition; ``partner`` that, and each attached
    piece's partner; ``left`` a paired paragraph's words not yet found in the other edition (worked
    out when first asked for: most paragraphs never are); ``pieces`` the other edition's paragraphs
    attached to a paired paragraph of this one (the pieces of its split, or of the merge into it)."""

    words: Words
    matched: dict[int, int]
    partner: dict[int, int] = field(default_factory=dict)
    left: dict[int, Counter] = field(default_factory=dict)
    pieces: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.partner.update(self.matched)

    def leftover(self, k: int, other: _Side) -> Counter:
        """The words of paired paragraph ``k`` not yet found in the other edition (``other``):
        those not in its partner, less those of the pieces attached to it so far."""
        if k not in self.left:
            self.left[k] = self.words.bag(k) - other.words.bag(self.matched[k])
        return self.left[k]


def _attach_pieces(rows: csr_matrix, loose: _Side, held: _Side, idf: list[float], containment: float) -> None:
    """Attach each unpaired paragraph of ``loose`` (a row of ``rows``, its similarities to the
    paragraphs of ``held``) to its most similar paired paragraph of ``held`` when its words are
    found in what that one has left over: a piece of a split (``loose`` is B) or a merge (``loose``
    is A). A paragraph whose partner has pieces of its own takes none, so no pair is many to many."""
    for k in range(rows.shape[0]):
        if k in loose.partner:
            continue
        start, stop = rows.indptr[k], rows.indptr[k + 1]  # row k read in place
        total = None  # the weight of the paragraph's words, once a candidate needs it
        for other in rows.indices[start:stop][np.argsort(-rows.data[start:stop])]:
            if other not in held.matched or held.partner[other] in loose.pieces:
                continue
            total = _weight(loose.words.bag(k), idf) if total is None else total
            if _containment(loose.words.bag(k), held.leftover(other, loose), idf, total) >= containment:
                held.pieces.setdefault(int(other), []).append(k)
                loose.partner[k] = int(other)
                held.left[other] = held.left[other] - loose.words.bag(k)
                break


def _wordless_pairs(ua: list[Unit], ub: list[Unit], side_a: _Side, side_b: _Side) -> list[tuple[int, int]]:
    """Pairs of paragraphs with no words at all ("?", a row of dashes), which similarity cannot
    pair: the same text, in document order, among those left unpaired."""
    waiting: dict[str, list[int]] = {}
    for j, unit in enumerate(ub):
        if j not in side_b.partner and not side_b.words.bag(j):
            waiting.setdefault(canonical(unit.text), []).append(j)
    pairs = []
    for i, unit in enumerate(ua):
        if i not in side_a.partner and not side_a.words.bag(i) and waiting.get(canonical(unit.text)):
            pairs.append((i, waiting[canonical(unit.text)].pop(0)))
    return pairs


def align_paragraphs(
    doc_a: Document,
    doc_b: Document,
    overrides: Overrides | None = None,
    uncertain: bool = True,
    settings: AlignSettings = DEFAULT_SETTINGS,
    words: tuple[Words, Words] | None = None,
) -> Alignment:
    """Paragraph-level alignment: every paragraph of both editions is in exactly one pair.
    ``uncertain`` false leaves every pair's ``uncertain`` false rather than looking for its rivals
    (a fifth of the time), for callers that keep only the chapters grouped from the pairs.
    ``words``: the paragraphs' words of both editions (`Vocabulary.paragraphs`, one vocabulary),
    when the caller has them already; else they are found here."""
    words_a, words_b = words or pair_words(doc_a, doc_b)
    ua, ub = units(doc_a, "paragraph", counts=words_a.counts()), units(doc_b, "paragraph", counts=words_b.counts())
    sims, idf = similarity(words_a, words_b, settings)
    pinned: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    if overrides:
        sims, pinned = _apply_overrides(sims, doc_a, doc_b, ua, ub, overrides)
    one_to_one = match_paragraphs(sims, settings)
    side_a = _Side(words_a, {i: j for i, j in one_to_one})
    side_b = _Side(words_b, {j: i for i, j in one_to_one})
    # A split or merge piece must be found in what its partner has left over once the main pair's
    # words are taken out, so copies of repeated boilerplate cannot pile onto one paragraph.
    _attach_pieces(sims.T.tocsr(), side_b, side_a, idf, settings.containment)  # splits
    _attach_pieces(sims, side_a, side_b, idf, settings.containment)  # merges
    for i, j in _wordless_pairs(ua, ub, side_a, side_b):
        one_to_one.append((i, j))
        side_a.partner[i], side_b.partner[j] = j, i
    pairs = _pinned_pairs(pinned, ua, ub, side_a, side_b)
    rivals = _Rivals(sims, settings) if uncertain else None
    stored = rivals.cells if rivals else _Cells(sims)
    for i, j in one_to_one:
        a_side = sorted([i] + side_b.pieces.get(j, []))
        b_side = sorted([j] + side_a.pieces.get(i, []))
        text_a, text_b = ua[i].text, ub[j].text
        kind = pair_kind(len(a_side), len(b_side), same_text(text_a, text_b))
        if kind in KEPT:  # one paragraph each side: no bags to add up
            score = 1.0 if kind == PairKind.UNCHANGED else float(stored.get((i, j), 0.0))
            # the same text has the same words, every one of them retained
            retained = ua[i].words if text_a == text_b else sum((side_a.words.bag(i) & side_b.words.bag(j)).values())
        else:
            a_bag = sum((side_a.words.bag(k) for k in a_side), Counter())
            b_bag = sum((side_b.words.bag(k) for k in b_side), Counter())
            score, retained = cosine(a_bag, b_bag), sum((a_bag & b_bag).values())
        pairs.append(
            Pair(
                kind,
                score,
                [ua[k].id for k in a_side],
                [ub[k].id for k in b_side],
                retained,
                uncertain=rivals is not None and kind != PairKind.UNCHANGED and rivals.uncertain(i, j),
                typography_only=kind == PairKind.UNCHANGED and text_a != text_b,
            )
        )
    ordered = in_order(pairs, {u.id: u for u in ua}, {u.id: u for u in ub})
    for k, pair in enumerate(pairs):
        if k not in ordered and pair.kind in KEPT and pair.source == "aligner":
            pair.kind = PairKind.MOVED
    pairs += [Pair(PairKind.DELETED, 0.0, [u.id], []) for k, u in enumerate(ua) if k not in side_a.partner]
    pairs += [Pair(PairKind.INSERTED, 0.0, [], [u.id]) for k, u in enumerate(ub) if k not in side_b.partner]
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    return Alignment(doc_a.edition_id, doc_b.edition_id, "paragraph", sort_pairs(pairs, map_a, map_b), map_a, map_b)


def _apply_overrides(
    sims: csr_matrix, doc_a: Document, doc_b: Document, ua: list[Unit], ub: list[Unit], overrides: Overrides
) -> tuple[csr_matrix, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """The similarities with the user's forbidden pairs and section groups applied and the pinned
    paragraphs taken out of matching, and the pinned pairs of paragraphs."""
    owner_a, owner_b = owners(doc_a, "section"), owners(doc_b, "section")
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
    return sims, pinned


def _pinned_pairs(
    pinned: list[tuple[tuple[str, ...], tuple[str, ...]]], ua: list[Unit], ub: list[Unit], side_a: _Side, side_b: _Side
) -> list[Pair]:
    """The pairs the user pinned, each marked as the user's (its paragraphs recorded as paired)."""
    pairs = []
    index_a, index_b = {u.id: k for k, u in enumerate(ua)}, {u.id: k for k, u in enumerate(ub)}
    for a_ids, b_ids in pinned:
        a_bag = sum((side_a.words.bag(index_a[x]) for x in a_ids), Counter())
        b_bag = sum((side_b.words.bag(index_b[y]) for y in b_ids), Counter())
        text_a, text_b = ua[index_a[a_ids[0]]].text, ub[index_b[b_ids[0]]].text
        kind = pair_kind(len(a_ids), len(b_ids), same_text(text_a, text_b))
        pairs.append(
            Pair(
                kind,
                cosine(a_bag, b_bag),
                list(a_ids),
                list(b_ids),
                sum((a_bag & b_bag).values()),
                source="user",
                typography_only=kind == PairKind.UNCHANGED and text_a != text_b,
            )
        )
        side_a.partner.update({index_a[x]: index_b[b_ids[0]] for x in a_ids})
        side_b.partner.update({index_b[y]: index_a[a_ids[0]] for y in b_ids})
    return pairs
