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
  different sizes, ``p`` its chi-squared p-value with one degree of freedom.
* ``log_ratio`` = log2 of the rate in B over the rate in A (Hardie 2014): +1 means twice as frequent
  in B, -1 half as frequent. A zero count is replaced by 0.5 for this measure only, as Hardie does;
  when both counts are zero it is empty.
"""
from __future__ import annotations

import bisect
import io
import math
from collections import Counter

import pandas as pd

from .errors import WtcompareError
from .lexicon import ADHOC, Term
from .model import Document
from .scan import ScanOptions, ScanResult, scan_units
from .text import tokenize


def _edition(document: Document) -> str:
    return document.edition.id if document.edition else "document"


def frequencies(documents: list[Document], result: ScanResult) -> pd.DataFrame:
    """Per (edition, category, term): count, tokens, per_10k, share of sections, Gries' DP."""
    counted = result.counted
    rows = []
    for document in documents:
        edition = _edition(document)
        size: dict[str, int] = {}  # tokens of each section that holds counted text (a heading is text)
        for unit in scan_units(document, result.options):
            size[unit.section] = size.get(unit.section, 0) + len(tokenize(unit.text))
        total = sum(size.values()) or 1
        mine = counted[counted["edition"] == edition]
        by_term = mine.groupby(["category", "term", "section"]).size()
        for row in result.rows[result.rows["edition"] == edition].itertuples():
            per_section = by_term.get((row.category, row.term), pd.Series(dtype=int))
            count = int(row.count)
            dp = (0.5 * sum(abs(int(per_section.get(s, 0)) / count - size[s] / total) for s in size)
                  if count else float("nan"))
            rows.append({"edition": edition, "category": row.category, "term": row.term, "count": count,
                         "tokens": int(row.tokens), "per_10k": float(row.per_10k),
                         "sections": len(per_section) / len(size) if size else 0.0, "dp": dp})
    return pd.DataFrame(rows, columns=["edition", "category", "term", "count", "tokens", "per_10k", "sections", "dp"])


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


def log_ratio(a: int, b: int, tokens_a: int, tokens_b: int) -> float:
    """log2 of B's rate over A's; a zero count counts as 0.5 (Hardie 2014); NaN when both are 0."""
    if a == 0 and b == 0:
        return float("nan")
    return math.log2(((b or 0.5) / tokens_b) / ((a or 0.5) / tokens_a))


def keyness(result: ScanResult, a: str, b: str, by: str = "term") -> pd.DataFrame:
    """Keyness of each term (``by="term"``) or category (``by="category"``) between editions a and b."""
    rows = result.rows if by == "term" else result.categories().assign(term="")
    keys = ["category", "term"] if by == "term" else ["category"]
    table_a = rows[rows["edition"] == a].set_index(keys)
    table_b = rows[rows["edition"] == b].set_index(keys)
    out = []
    for key in table_a.index:
        ca, cb = int(table_a.loc[key, "count"]), int(table_b.loc[key, "count"])
        ta, tb = int(table_a.loc[key, "tokens"]), int(table_b.loc[key, "tokens"])
        g2 = log_likelihood(ca, cb, ta, tb)
        names = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        out.append({**names, "count_a": ca, "per_10k_a": ca / ta * 10_000, "count_b": cb, "per_10k_b": cb / tb * 10_000,
                    "g2": g2, "p": chi2_p(g2), "log_ratio": log_ratio(ca, cb, ta, tb)})
    return pd.DataFrame(out)


def collocates(documents: list[Document], node: str, window: int = 5, min_count: int = 2,
               options: ScanOptions = ScanOptions()) -> pd.DataFrame:
    """Words within ``window`` tokens of the node term (a pattern such as ``partner*``), inside one
    unit of text (a heading, a paragraph or a footnote, as `ScanOptions` counts them), with
    NLTK's measures: ``mi`` = pointwise mutual information and ``g2`` = likelihood ratio, from the
    contingency (co-occurrences, node frequency x window span, collocate frequency, tokens)."""
    from nltk.metrics import BigramAssocMeasures  # imported here: NLTK takes a quarter of a second

    try:
        term = Term(node, ADHOC, (node,))
    except ValueError as exc:
        raise WtcompareError(f"node {node!r}: {exc}") from None
    together: Counter = Counter()
    frequency: Counter = Counter()
    node_count = tokens = 0
    for document in documents:
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
    span = 2 * window
    rows = []
    for word, n_ii in together.items():
        if n_ii < min_count:
            continue
        marginals = (node_count * span, frequency[word])
        rows.append({"collocate": word, "together": n_ii, "frequency": frequency[word],
                     "mi": BigramAssocMeasures.pmi(n_ii, marginals, tokens),
                     "g2": BigramAssocMeasures.likelihood_ratio(n_ii, marginals, tokens)})
    frame = pd.DataFrame(rows, columns=["collocate", "together", "frequency", "mi", "g2"])
    return frame.sort_values(["g2", "collocate"], ascending=[False, True]).reset_index(drop=True)


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


def timeline(result: ScanResult, editions: list[str]) -> dict[str, pd.DataFrame]:
    """``rates``: per_10k of every category and term in each edition (columns in the order given);
    ``span``: first and last edition in which each term occurs; ``changes``: every change of rate
    between consecutive editions, largest rises first and largest falls last."""
    categories = result.categories().assign(term="(all terms)")
    rows = pd.concat([categories[["edition", "category", "term", "count", "per_10k"]],
                      result.rows[result.rows["category"] != ADHOC][["edition", "category", "term", "count", "per_10k"]]])
    rates = rows.pivot_table(index=["category", "term"], columns="edition", values="per_10k", sort=False)[editions]
    counts = rows.pivot_table(index=["category", "term"], columns="edition", values="count", sort=False)[editions]
    span = pd.DataFrame({"first": counts.apply(lambda r: next((e for e in editions if r[e] > 0), None), axis=1),
                         "last": counts.apply(lambda r: next((e for e in reversed(editions) if r[e] > 0), None), axis=1)})
    changes = []
    for before, after in zip(editions, editions[1:]):
        delta = rates[after] - rates[before]
        for (category, term), value in delta.items():
            changes.append({"from": before, "to": after, "category": category, "term": term,
                            "per_10k_from": rates.loc[(category, term), before],
                            "per_10k_to": rates.loc[(category, term), after], "change": value})
    changes_frame = pd.DataFrame(changes).sort_values(["change", "category", "term"], ascending=[False, True, True])
    return {"rates": rates.reset_index(), "span": span.reset_index(), "changes": changes_frame.reset_index(drop=True)}


def to_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
