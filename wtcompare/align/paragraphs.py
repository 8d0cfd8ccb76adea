"""Paragraph alignment: candidates by TF-IDF similarity over the whole of both documents, an
order-aware optimal assignment, then splits and merges from what is left over."""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..model import Document
from ..overrides import Overrides, restrict
from ..text import canonical
from .model import (CANDIDATE_THRESHOLD, CONTAINMENT, CONTEXT_BONUS, ORDER_BONUS, PAIR_THRESHOLD, UNCERTAIN_MARGIN,
                    UNCERTAIN_SCORE, Alignment, Pair, _cosine, _edition_id, _kind_by_order, _owners, _sort_pairs,
                    _words, longest_increasing, units)

def similarity(texts_a: list[str], texts_b: list[str]) -> tuple[csr_matrix, dict[str, float]]:
    """Sparse TF-IDF cosine similarity of every text of A with every text of B (pruned below the
    candidate threshold), and the inverse document frequency of each word."""
    if not texts_a or not texts_b:
        return csr_matrix((len(texts_a), len(texts_b))), {}
    matrix, idf = tfidf(texts_a + texts_b)
    if matrix is None:  # no words at all
        return csr_matrix((len(texts_a), len(texts_b))), {}
    sims = (matrix[: len(texts_a)] @ matrix[len(texts_a):].T).tocsr()
    sims.data[sims.data < CANDIDATE_THRESHOLD] = 0
    sims.eliminate_zeros()
    return sims, idf


def tfidf(texts: list[str]) -> tuple[csr_matrix | None, dict[str, float]]:
    """TF-IDF of words and word pairs over ``texts``, one row per text, and the IDF of each word;
    (None, {}) when there are no words. The same float32 values, in the same places and stored in
    the same order, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2),
    dtype=np.float32)`` (smoothed IDF, rows of unit length), which the aligner used before: a row's
    terms stored in the order the corpus first uses them, columns numbered in the sorted order of
    the terms' text. Built with numpy from arrays of word ids rather than a dict of strings per
    word and word pair, it takes half the time and no scikit-learn (a second to import)."""
    word_id: dict[str, int] = {}
    ids = [np.fromiter((word_id.setdefault(w, len(word_id)) for w in _words(text)), dtype=np.int64)
           for text in texts]
    vocabulary = len(word_id)
    if not vocabulary:
        return None, {}
    # Term keys: a word is its id, a pair of words (w, v) is vocabulary + w * vocabulary + v. In
    # each text the words come first, then the pairs, the order scikit-learn meets its terms in.
    keys = np.concatenate([np.concatenate([w, vocabulary + w[:-1] * vocabulary + w[1:]]) for w in ids])
    rows = np.repeat(np.arange(len(texts)), [2 * len(w) - 1 if len(w) else 0 for w in ids])
    terms, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    n_terms = len(terms)
    met = np.empty(n_terms, dtype=np.int64)  # term -> its rank in order of first use
    met[np.argsort(first, kind="stable")] = np.arange(n_terms)
    # Columns in the sorted order of the terms' text. Tokens hold no character below a space, so
    # "w v" sorts right after "w" and before any longer word that starts with "w": the order of
    # (rank of the first word, word before pair, rank of the second word).
    words = list(word_id)
    rank = np.empty(vocabulary, dtype=np.int64)
    rank[np.array(sorted(range(vocabulary), key=words.__getitem__), dtype=np.int64)] = np.arange(vocabulary)
    pair = terms >= vocabulary
    head = np.where(pair, (terms - vocabulary) // vocabulary, terms)
    tail = np.where(pair, rank[(terms - vocabulary) % vocabulary] + 1, 0)
    column = np.empty(n_terms, dtype=np.int64)
    column[np.argsort(rank[head] * (vocabulary + 1) + tail, kind="stable")] = np.arange(n_terms)
    # Each text's counts, stored in order of first use
    slots, counts = np.unique(rows * n_terms + met[inverse], return_counts=True)
    by_met = np.empty(n_terms, dtype=np.int64)
    by_met[met] = np.arange(n_terms)
    indices = column[by_met[slots % n_terms]].astype(np.int32)
    indptr = np.zeros(len(texts) + 1, dtype=np.int32)
    np.cumsum(np.bincount(slots // n_terms, minlength=len(texts)), out=indptr[1:])
    data = counts.astype(np.float32)
    np.log(data, out=data)  # sublinear term frequency: 1 + log(count)
    data += 1.0
    documents = np.bincount(indices, minlength=n_terms).astype(np.float32)
    documents += 1.0  # smoothed: as if one more text held every term
    idf = np.full_like(documents, fill_value=len(texts) + 1, dtype=np.float32)
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
    weights = dict(zip(words, idf[column[:vocabulary]].tolist()))
    return csr_matrix((data, indices, indptr), shape=(len(texts), n_terms)), weights


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
    keep = longest_increasing([j for _, j in anchors])
    xs = [anchors[k][0] for k in sorted(keep)]
    ys = [anchors[k][1] for k in sorted(keep)]
    return np.interp(np.arange(n), xs, ys)


def match_paragraphs(sims: csr_matrix) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) maximising total similarity plus bonuses for keeping document order
    and for matching neighbours, solved exactly in each connected group of candidates."""
    from scipy.optimize import linear_sum_assignment

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
        lookup = lookup if lookup is not None else _cells(sims)
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


def _cells(sims: csr_matrix) -> dict[tuple[int, int], np.floating]:
    """The stored values of ``sims`` by (row, column), as numpy scalars of its dtype: what
    ``sims.todok()`` holds, built at once (scipy's ``dok.get`` checks every key, slowly)."""
    coo = sims.tocoo()
    return dict(zip(zip(coo.row.tolist(), coo.col.tolist()), coo.data))


def _containment(part: Counter, whole: Counter, idf: dict[str, float]) -> float:
    """Share of ``part``'s words found in ``whole``, weighted by IDF so that common words count little."""
    total = sum(idf.get(w, 1.0) * n for w, n in part.items())
    return sum(idf.get(w, 1.0) * n for w, n in (part & whole).items()) / total if total else 0.0


class _Rivals:
    """The best and second-best candidate of every row and column of a similarity matrix, so
    each pair's closest rival is found without scanning its row and column again."""

    def __init__(self, sims: csr_matrix) -> None:
        self.cells = _cells(sims)
        self.zero = sims.dtype.type(0)  # what sims[i, j] gives where nothing is stored
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
        score = self.cells.get((i, j), self.zero)
        rivals = [v for v, k in self.rows.get(i, []) if k != j] + [v for v, k in self.cols.get(j, []) if k != i]
        return bool(score < UNCERTAIN_SCORE or (rivals and max(rivals) >= score - UNCERTAIN_MARGIN))


def _attach(rows: csr_matrix, bags: list[Counter], partner: dict[int, int],
            other_partner: dict[int, int], left: dict[int, Counter], extra: dict[int, list[int]],
            other_extra: dict[int, list[int]], idf: dict[str, float]) -> None:
    """Attach each unpaired paragraph (a row of ``rows``) to its most similar paired paragraph on the
    other side when its words are found in what that one has left over: the pieces of a split
    (rows of B) or a merge (rows of A). Called once for each direction."""
    for k in range(rows.shape[0]):
        if k in partner:
            continue
        start, stop = rows.indptr[k], rows.indptr[k + 1]  # row k read in place
        for other in rows.indices[start:stop][np.argsort(-rows.data[start:stop])]:
            if other in left and other_partner[other] not in other_extra \
                    and _containment(bags[k], left[other], idf) >= CONTAINMENT:
                extra.setdefault(int(other), []).append(k)
                partner[k] = int(other)
                left[other] = left[other] - bags[k]
                break


def _wordless_pairs(ua, ub, bags_a, bags_b, partner_of_a, partner_of_b) -> list[tuple[int, int]]:
    """Pairs of paragraphs with no words at all ("?", a row of dashes), which similarity cannot
    pair: the same text, in document order, among those left unpaired."""
    waiting: dict[str, list[int]] = {}
    for j, unit in enumerate(ub):
        if j not in partner_of_b and not bags_b[j]:
            waiting.setdefault(canonical(unit.text), []).append(j)
    pairs = []
    for i, unit in enumerate(ua):
        if i not in partner_of_a and not bags_a[i] and waiting.get(canonical(unit.text)):
            pairs.append((i, waiting[canonical(unit.text)].pop(0)))
    return pairs


def align_paragraphs(doc_a: Document, doc_b: Document, overrides: Overrides | None = None,
                     uncertain: bool = True) -> Alignment:
    """Paragraph-level alignment: every paragraph of both editions is in exactly one pair.
    ``uncertain`` false leaves every pair's ``uncertain`` false rather than looking for its rivals
    (a fifth of the time), for callers that keep only the chapters grouped from the pairs."""
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
    _attach(sims.T.tocsr(), bags_b, partner_of_b, partner_of_a, left_a, extra_b, extra_a, idf)  # splits
    _attach(sims, bags_a, partner_of_a, partner_of_b, left_b, extra_a, extra_b, idf)  # merges
    for i, j in _wordless_pairs(ua, ub, bags_a, bags_b, partner_of_a, partner_of_b):
        one_to_one.append((i, j))
        partner_of_a[i], partner_of_b[j] = j, i
    pairs: list[Pair] = []
    index_a, index_b = {u.id: k for k, u in enumerate(ua)}, {u.id: k for k, u in enumerate(ub)}
    for a_ids, b_ids in pinned:
        a_bag = sum((bags_a[index_a[x]] for x in a_ids), Counter())
        b_bag = sum((bags_b[index_b[y]] for y in b_ids), Counter())
        text_a, text_b = ua[index_a[a_ids[0]]].text, ub[index_b[b_ids[0]]].text
        kind = "split" if len(b_ids) > 1 else "merged" if len(a_ids) > 1 else (
            "unchanged" if canonical(text_a) == canonical(text_b) else "changed")
        pairs.append(Pair(kind, _cosine(a_bag, b_bag), list(a_ids), list(b_ids), sum((a_bag & b_bag).values()),
                          source="user", typography_only=kind == "unchanged" and text_a != text_b))
        partner_of_a.update({index_a[x]: index_b[b_ids[0]] for x in a_ids})
        partner_of_b.update({index_b[y]: index_a[a_ids[0]] for y in b_ids})
    rivals = _Rivals(sims) if uncertain else None
    stored = rivals.cells if rivals else _cells(sims)
    for i, j in one_to_one:
        a_side = sorted([i] + extra_a.get(j, []))
        b_side = sorted([j] + extra_b.get(i, []))
        a_bag = sum((bags_a[k] for k in a_side), Counter())
        b_bag = sum((bags_b[k] for k in b_side), Counter())
        kind = "split" if len(b_side) > 1 else "merged" if len(a_side) > 1 else (
            "unchanged" if canonical(ua[i].text) == canonical(ub[j].text) else "changed")
        score = float(stored.get((i, j), 0.0)) if kind in ("changed", "unchanged") else _cosine(a_bag, b_bag)
        if kind == "unchanged":
            score = 1.0
        pairs.append(Pair(kind, score, [ua[k].id for k in a_side], [ub[k].id for k in b_side],
                          sum((a_bag & b_bag).values()),
                          uncertain=bool(rivals) and kind != "unchanged" and rivals.uncertain(i, j),
                          typography_only=kind == "unchanged" and ua[i].text != ub[j].text))
    in_order = _kind_by_order(pairs, {u.id: u for u in ua}, {u.id: u for u in ub})
    for k, pair in enumerate(pairs):
        if k not in in_order and pair.kind in ("changed", "unchanged") and pair.source == "aligner":
            pair.kind = "moved"
    pairs += [Pair("deleted", 0.0, [u.id], []) for k, u in enumerate(ua) if k not in partner_of_a]
    pairs += [Pair("inserted", 0.0, [], [u.id]) for k, u in enumerate(ub) if k not in partner_of_b]
    map_a, map_b = {u.id: u for u in ua}, {u.id: u for u in ub}
    return Alignment(_edition_id(doc_a), _edition_id(doc_b), "paragraph", _sort_pairs(pairs, map_a, map_b), map_a, map_b)
