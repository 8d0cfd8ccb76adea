"""Statistics over scan results: frequencies and dispersion per edition, keyness between two
editions, collocates of a node term, and the timeline across editions. All return DataFrames.

Definitions (also in the README):

* ``per_10k`` = count / tokens x 10,000.
* ``sections`` = share of the edition's sections with counted text (a heading, a paragraph or a
  footnote) in which the term occurs at least once.
* ``dp`` = Gries' deviation of proportions over those sections: half the sum, over sections, of
  |share of the term's occurrences in the section - share of the edition's tokens in it|. 0 means
  spread exactly like the text, values near 1 mean bunched in one place; empty when the count is 0.
* ``g2`` = log-likelihood (Dunning 1993; Rayson and Garside 2000) for a count in two editions of
  different sizes, ``p`` its chi-squared p-value with one degree of freedom. A term found in neither
  edition is not tested: its ``g2``, ``p`` and ``p_holm`` are empty.
* ``p_holm`` = ``p`` adjusted by Holm's step-down method (Holm 1979) over the family of tests in one
  table (every term of the lexicon, or every category, of one comparison), so that the chance of
  calling any difference in the table significant by chance alone stays below 0.05. An ad-hoc
  ``--term`` pattern is tested with the lexicon's terms and alone of the patterns, so that adding one
  changes no other figure.
* ``log_ratio`` = log2 of the rate in B over the rate in A (Hardie 2014): +1 means twice as frequent
  in B, -1 half as frequent. A zero count is replaced by 0.5 for this measure only, as Hardie does;
  when both counts are zero it is empty. ``log_ratio_low`` and ``log_ratio_high`` are its 95%
  confidence interval: the Wald interval of the log rate ratio, ln(rate B / rate A) +- `Z95` x
  sqrt(1/a + 1/b) (the same 0.5 for a zero count), converted to log2.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from statistics import NormalDist

import pandas as pd

from .errors import WtcompareError
from .lexicon import ADHOC, ALL_TERMS, Term
from .model import Document
from .scan import DEFAULT_OPTIONS, ScanOptions, ScanResult, scan_units
from .text import english_stop_words, tokenize

# The family-wise level: a difference is called significant only when its Holm-adjusted p is below it
# (reports, key findings and claims' verdicts alike).
ALPHA = 0.05


def significant(p_holm: float | None) -> bool:
    """Whether a Holm-adjusted p (None: not tested) marks a significant difference."""
    return p_holm is not None and p_holm < ALPHA


def frequencies(documents: list[Document], result: ScanResult) -> pd.DataFrame:
    """The scan's rows (edition, category, term, count, excluded, tokens, per_10k) with the share of
    sections holding the term and Gries' DP added."""
    counted = result.counted
    rows = []
    for document in documents:
        edition = document.edition_id
        size: dict[str, int] = {}  # tokens of each section that holds counted text (a heading is text)
        for unit in scan_units(document, result.options):
            size[unit.section] = size.get(unit.section, 0) + len(tokenize(unit.text))
        total = sum(size.values()) or 1
        mine = counted[counted["edition"] == edition]
        by_term = mine.groupby(["category", "term", "section"]).size()
        for row in result.rows[result.rows["edition"] == edition].itertuples():
            per_section = by_term.get((row.category, row.term), pd.Series(dtype=int))
            count = int(row.count)
            dp = (
                0.5 * sum(abs(int(per_section.get(s, 0)) / count - size[s] / total) for s in size)
                if count
                else float("nan")
            )
            rows.append(
                {
                    "edition": edition,
                    "category": row.category,
                    "term": row.term,
                    "count": count,
                    "excluded": int(row.excluded),
                    "tokens": int(row.tokens),
                    "per_10k": float(row.per_10k),
                    "sections": len(per_section) / len(size) if size else 0.0,
                    "dp": dp,
                }
            )
    return pd.DataFrame(rows, columns=[*result.rows.columns, "sections", "dp"])


def log_likelihood(a: int, b: int, tokens_a: int, tokens_b: int) -> float:
    """G2 for count ``a`` in ``tokens_a`` against count ``b`` in ``tokens_b``."""
    total = tokens_a + tokens_b
    expected_a = tokens_a * (a + b) / total
    expected_b = tokens_b * (a + b) / total
    g2 = 0.0
    if a:
        g2 += a * math.log(a / expected_a)
    if b:
        g2 += b * math.log(b / expected_b)
    return 2 * g2


def chi2_p(g2: float) -> float:
    """p-value of a chi-squared statistic with one degree of freedom: erfc(sqrt(x / 2)), the same
    as scipy.stats.chi2.sf(x, 1) to 1e-13, without importing scipy.stats (a third of a second).
    A statistic a rounding error left just below zero gives 1, as scipy does."""
    return math.erfc(math.sqrt(max(g2, 0.0) / 2))


Z95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054: a two-sided 95% interval


def log_ratio(a: int, b: int, tokens_a: int, tokens_b: int) -> float:
    """log2 of B's rate over A's; a zero count counts as 0.5 (Hardie 2014); NaN when both are 0."""
    if a == 0 and b == 0:
        return float("nan")
    return math.log2(((b or 0.5) / tokens_b) / ((a or 0.5) / tokens_a))


def log_ratio_interval(a: int, b: int, tokens_a: int, tokens_b: int) -> tuple[float, float]:
    """95% Wald confidence interval of the log ratio, in log2 units: ln(rate ratio) +- `Z95` x
    sqrt(1/a + 1/b), a zero count taken as 0.5 as for the log ratio; NaNs when both counts are 0."""
    if a == 0 and b == 0:
        return float("nan"), float("nan")
    count_a, count_b = a or 0.5, b or 0.5
    centre = math.log((count_b / tokens_b) / (count_a / tokens_a))
    half = Z95 * math.sqrt(1 / count_a + 1 / count_b)
    return (centre - half) / math.log(2), (centre + half) / math.log(2)


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjustment (Holm 1979) of one family of p-values; None (no test) stays None
    and does not count in the family. The smallest of m p-values is multiplied by m, the next by
    m - 1, and so on, each adjusted value at least the one before it and at most 1."""
    tested = sorted((p, k) for k, p in enumerate(p_values) if p is not None)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, k) in enumerate(tested):
        running = max(running, min(1.0, (len(tested) - rank) * p))
        adjusted[k] = running
    return adjusted


KEYNESS_COLUMNS = [
    "count_a",
    "tokens_a",
    "per_10k_a",
    "count_b",
    "tokens_b",
    "per_10k_b",
    "g2",
    "p",
    "p_holm",
    "log_ratio",
    "log_ratio_low",
    "log_ratio_high",
]


def keyness(result: ScanResult, a: str, b: str, by: str = "term") -> pd.DataFrame:
    """Keyness of each term (``by="term"``, ad-hoc terms included) or lexicon category
    (``by="category"``) between editions a and b, with Holm's adjustment over the table's lexicon
    rows (an ad-hoc term: over the lexicon's terms and itself)."""
    rows = result.rows if by == "term" else result.categories()
    keys = ["category", "term"] if by == "term" else ["category"]
    # each edition's (count, tokens) by key, read once: a `.loc` per key and column was most of the time
    table_a, table_b = (_counts(rows[rows["edition"] == edition], keys) for edition in (a, b))
    out = []
    for key, (ca, ta) in table_a.items():
        cb, tb = table_b[key]
        tested = ca + cb > 0  # nothing to test in a term found in neither edition
        g2 = log_likelihood(ca, cb, ta, tb) if tested else None
        low, high = log_ratio_interval(ca, cb, ta, tb)
        names = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        out.append(
            {
                **names,
                "count_a": ca,
                "tokens_a": ta,
                "per_10k_a": ca / ta * 10_000 if ta else 0.0,
                "count_b": cb,
                "tokens_b": tb,
                "per_10k_b": cb / tb * 10_000 if tb else 0.0,
                "g2": g2,
                "p": chi2_p(g2) if g2 is not None else None,
                "log_ratio": log_ratio(ca, cb, ta, tb),
                "log_ratio_low": low,
                "log_ratio_high": high,
            }
        )
    # The lexicon's rows are one family; each ad-hoc pattern is tested in a family of the lexicon's
    # terms and itself (as `check` tests a claim's term), so that adding a pattern changes no other
    # row's figure: the same term has the same p_holm in every report, table and claim.
    lexicon = [row for row in out if row["category"] != ADHOC]
    for row, adjusted in zip(lexicon, holm([row["p"] for row in lexicon]), strict=True):
        row["p_holm"] = adjusted
    for row in out:
        if row["category"] == ADHOC:
            row["p_holm"] = holm([r["p"] for r in lexicon] + [row["p"]])[-1]
    return pd.DataFrame(out, columns=keys + KEYNESS_COLUMNS).astype({"g2": float, "p": float, "p_holm": float})


def _counts(rows: pd.DataFrame, keys: list[str]) -> dict:
    """Each row's (count, tokens) as whole numbers, by its key: the values of ``keys``, a tuple of
    them when there are several, in the rows' order."""
    index = zip(*(rows[k].tolist() for k in keys), strict=True) if len(keys) > 1 else rows[keys[0]].tolist()
    values = zip(rows["count"].astype(int).tolist(), rows["tokens"].astype(int).tolist(), strict=True)
    return dict(zip(index, values, strict=True))


POOLED = "(pooled)"  # the edition column of collocates counted over all editions together


def collocates(
    documents: list[Document],
    node: str,
    window: int = 5,
    min_count: int = 2,
    stopwords: bool = False,
    pooled: bool = False,
    options: ScanOptions = DEFAULT_OPTIONS,
) -> pd.DataFrame:
    """Words within ``window`` tokens of the node term (a pattern such as ``partner*``), inside one
    unit of text (a heading, a paragraph or a footnote, as `ScanOptions` counts them), for each
    edition (and, with ``pooled``, for all of them together, edition ``(pooled)``). ``mi`` is
    NLTK's pointwise mutual information and ``g2`` its likelihood ratio from the contingency
    (co-occurrences, node frequency x window span, collocate frequency, tokens), given a minus sign
    when the word occurs near the node less often than the ``expected`` count (node frequency x
    span x collocate frequency / tokens). ``stopwords`` leaves out the English stop words of
    `english_stop_words` as collocates (the counts behind the measures keep them)."""
    try:  # imported here: NLTK takes a quarter of a second, and is an extra
        from nltk.metrics import BigramAssocMeasures
    except ImportError:
        raise WtcompareError("collocates needs NLTK: pip install 'wtcompare[collocates]'") from None

    skip = english_stop_words() if stopwords else frozenset()
    try:
        term = Term(node, ADHOC, (node,))
    except ValueError as exc:
        raise WtcompareError(f"node {node!r}: {exc}") from None
    counts = [(d.edition_id, _near(d, term, window, options)) for d in documents]
    if pooled:
        parts = [c for _, c in counts]
        counts.append(
            (
                POOLED,
                (
                    sum((p[0] for p in parts), Counter()),
                    sum((p[1] for p in parts), Counter()),
                    sum(p[2] for p in parts),
                    sum(p[3] for p in parts),
                ),
            )
        )
    span = 2 * window
    rows = []
    for edition, (together, frequency, node_count, tokens) in counts:
        for word, n_ii in together.items():
            if n_ii < min_count or word in skip:
                continue
            marginals = (node_count * span, frequency[word])
            if tokens - marginals[0] - marginals[1] + n_ii < 0:
                # the node's windows, counted full, would cover more words than the text has (a
                # few short paragraphs): no 2x2 table holds such counts, and the measures are undefined
                continue
            expected = node_count * span * frequency[word] / tokens
            g2 = BigramAssocMeasures.likelihood_ratio(n_ii, marginals, tokens)
            rows.append(
                {
                    "edition": edition,
                    "collocate": word,
                    "together": n_ii,
                    "expected": expected,
                    "frequency": frequency[word],
                    "mi": BigramAssocMeasures.pmi(n_ii, marginals, tokens),
                    "g2": -g2 if n_ii < expected else g2,
                }
            )
    frame = pd.DataFrame(rows, columns=["edition", "collocate", "together", "expected", "frequency", "mi", "g2"])
    order = {edition: k for k, (edition, _) in enumerate(counts)}
    frame = frame.assign(_order=frame["edition"].map(order))
    return (
        frame.sort_values(["_order", "g2", "collocate"], ascending=[True, False, True])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _near(document: Document, term: Term, window: int, options: ScanOptions) -> tuple[Counter, Counter, int, int]:
    """For one edition: words within ``window`` tokens of a match of the node ``term``, every
    word's frequency, the number of matches and the number of tokens."""
    together: Counter = Counter()
    frequency: Counter = Counter()
    node_count = tokens = 0
    for unit in scan_units(document, options):
        words = [t for t, _, _ in tokenize(unit.text)]
        frequency.update(words)
        tokens += len(words)
        near: set[int] = set()  # a token in two nodes' windows counts once
        nodes: set[int] = set()
        for first, last in _node_matches(term, words):
            node_count += 1
            nodes.update(range(first, last))
            near.update(range(max(0, first - window), min(len(words), last + window)))
        together.update(words[k] for k in near - nodes)
    return together, frequency, node_count, tokens


def _node_matches(term: Term, words: list[str]) -> list[tuple[int, int]]:
    """Token ranges (first, end) where the node pattern matches inside one unit of text, matched as
    the scanner matches a term: on the unit's tokens joined by spaces."""
    joined, offsets = " ", []
    for word in words:
        offsets.append(len(joined))
        joined += word + " "
    spans = set()
    for regex in term.regexes:
        for m in regex.finditer(joined):
            spans.add((bisect.bisect_left(offsets, m.start()), bisect.bisect_left(offsets, m.end())))
    return sorted(spans)


TOTAL = ALL_TERMS  # the term column of a category's total in the timeline tables


def timeline(result: ScanResult, editions: list[str]) -> dict[str, pd.DataFrame]:
    """``rates``: one row per (category, term, edition) with the count, the edition's tokens and
    per_10k, lexicon categories' totals as term ``(all terms)``, ad-hoc terms (category ``adhoc``)
    without a total (their matches can overlap); ``span``: first and last edition in which each
    term occurs; ``changes``: every change of rate between consecutive editions, with the counts
    and tokens behind it, largest rises first and largest falls last (none for one edition)."""
    columns = ["category", "term", "edition", "count", "tokens", "per_10k"]
    rows = pd.concat([result.categories().assign(term=TOTAL)[columns], result.rows[columns]])
    found = {(r["category"], r["term"], r["edition"]): r for r in rows.to_dict("records")}
    terms = list(dict.fromkeys(zip(result.rows["category"], result.rows["term"], strict=True)))
    keys = []  # lexicon order: each category's total, then its terms
    for category in dict.fromkeys(result.rows["category"]):
        keys += ([(category, TOTAL)] if category != ADHOC else []) + [k for k in terms if k[0] == category]
    by_key = {key: [found[key + (e,)] for e in editions if key + (e,) in found] for key in keys}
    rates = pd.DataFrame([row for steps in by_key.values() for row in steps], columns=columns)
    span = pd.DataFrame(
        [
            {
                "category": category,
                "term": term,
                "first": next((r["edition"] for r in steps if r["count"] > 0), None),
                "last": next((r["edition"] for r in reversed(steps) if r["count"] > 0), None),
            }
            for (category, term), steps in by_key.items()
        ],
        columns=["category", "term", "first", "last"],
    )
    changes = []
    for (category, term), steps in by_key.items():
        for before, after in zip(steps, steps[1:], strict=False):
            changes.append(
                {
                    "from": before["edition"],
                    "to": after["edition"],
                    "category": category,
                    "term": term,
                    "count_from": before["count"],
                    "count_to": after["count"],
                    "tokens_from": before["tokens"],
                    "tokens_to": after["tokens"],
                    "per_10k_from": before["per_10k"],
                    "per_10k_to": after["per_10k"],
                    "change": after["per_10k"] - before["per_10k"],
                }
            )
    changes_frame = pd.DataFrame(
        changes,
        columns=[
            "from",
            "to",
            "category",
            "term",
            "count_from",
            "count_to",
            "tokens_from",
            "tokens_to",
            "per_10k_from",
            "per_10k_to",
            "change",
        ],
    )
    # stable: equal changes of one term stay in edition order
    changes_frame = changes_frame.sort_values(
        ["change", "category", "term"], ascending=[False, True, True], kind="stable"
    )
    return {"rates": rates, "span": span, "changes": changes_frame.reset_index(drop=True)}
