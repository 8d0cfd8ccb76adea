"""Holm's correction, the log ratio's confidence interval and signed collocates, each against a
computation written out by hand."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest

from wtcompare.lexicon import load_lexicon
from wtcompare.model import Edition
from wtcompare.scan import scan
from wtcompare.segment import segment_text
from wtcompare.stats import POOLED, collocates, english_stop_words, holm, keyness, log_ratio_interval


def test_holm_by_hand():
    # four tests and one term that was not tested (None). Sorted: 0.005, 0.01, 0.03, 0.04.
    # 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to the 0.06 before it.
    assert holm([0.01, 0.04, 0.03, 0.005, None]) == pytest.approx([0.03, 0.06, 0.06, 0.02, None])
    # capped at 1; ties get the same value whatever their order: 0.5 x 2 = 1.0 (not 1.0 then 0.5)
    assert holm([0.5, 0.5]) == [1.0, 1.0]
    assert holm([0.6, 0.01]) == [0.6, 0.02]
    assert holm([]) == [] and holm([None]) == [None]


def test_log_ratio_interval_by_hand():
    # 10 in 4,175 tokens against 1 in 2,714: rate ratio (1/2714)/(10/4175) = 4175/27140 = 0.153832
    # ln = -1.871894; standard error sqrt(1/10 + 1/1) = sqrt(1.1) = 1.048809; z = 1.959964
    # ln bounds -1.871894 -+ 2.055622 = -3.927516 and 0.183728; / ln 2 = -5.666216 and 0.265071
    low, high = log_ratio_interval(10, 1, 4175, 2714)
    assert (low, high) == pytest.approx((-5.666216317884419, 0.26507108176953925), abs=1e-12)
    # a zero count is 0.5, as for the log ratio: 0 in 1,000 against 4 in 1,000: ratio 4 / 0.5 = 8,
    # log2 8 = 3; standard error sqrt(1/0.5 + 1/4) = 1.5, 1.959964 x 1.5 / ln 2 = 2.939946 / 0.693147 = 4.241445
    low, high = log_ratio_interval(0, 4, 1000, 1000)
    assert (low, high) == pytest.approx((3 - 4.241445481225363, 3 + 4.241445481225363), abs=1e-9)
    assert all(math.isnan(x) for x in log_ratio_interval(0, 0, 100, 100))


def test_keyness_adjusts_over_the_tested_rows_of_one_table(sample_docs):
    result = scan([sample_docs["sample-2008"], sample_docs["sample-2014"]], load_lexicon())
    for by in ("term", "category"):
        table = keyness(result, "sample-2008", "sample-2014", by)
        untested = table[(table["count_a"] == 0) & (table["count_b"] == 0)]
        assert untested[["g2", "p", "p_holm"]].isna().all().all()
        tested = table.dropna(subset=["p"]).sort_values("p")
        m = len(tested)
        assert m == len(table) - len(untested) and m > 1
        smallest = tested.iloc[0]
        assert smallest["p_holm"] == pytest.approx(min(1.0, m * smallest["p"]))
        assert (tested["p_holm"] >= tested["p"]).all() and tested["p_holm"].is_monotonic_increasing
    # the category table of this pair, by hand: partnership with families 11 of 4,273 (headings are
    # counted: "Chapter 2: Working in partnership with families" is one) against 1 of 2,770; seven
    # categories tested (family support is one since lexicon 2.0.0), its p (0.014501) is the fourth
    # smallest, so x (7 - 3) = 0.058004
    row = (
        keyness(result, "sample-2008", "sample-2014", "category").set_index("category").loc["partnership_with_families"]
    )
    assert (row["count_a"], row["tokens_a"], row["count_b"], row["tokens_b"]) == (11, 4273, 1, 2770)
    assert row["p_holm"] == pytest.approx(4 * row["p"]) and row["p"] == pytest.approx(0.014501, abs=1e-6)
    # Wald interval: ln((1/2770)/(11/4273)) -/+ 1.959964 * sqrt(1/11 + 1/1), in log2
    assert (row["log_ratio_low"], row["log_ratio_high"]) == pytest.approx((-5.787431826835129, 0.11929527104965525))


def _edition(document, edition_id):
    document.edition = replace(Edition(id=edition_id, title=edition_id), sha256="0" * 64)
    return document


def test_collocates_signed_log_likelihood_by_hand():
    # 8 tokens; the node (partner*) 3 times; window 1, so the span is 2 and node x span = 6.
    # "safeguarding": 2 times near the node, 2 times in all: expected 6 x 2 / 8 = 1.5, observed 2.
    # Contingency: near and word 2, word elsewhere 0, near but other words 4, neither 2; expected
    # 1.5, 0.5, 4.5, 1.5. G2 = 2 (2 ln(2/1.5) + 4 ln(4/4.5) + 2 ln(2/1.5)) = 8 ln(32/27) = 1.359192.
    document = segment_text("1. Safeguarding partners met. Safeguarding partners agreed.\n\n2. Partners talked.\n")
    row = collocates([document], "partner*", window=1, min_count=1).set_index("collocate").loc["safeguarding"]
    assert (row["together"], row["frequency"], row["expected"]) == (2, 2, 1.5)
    assert row["g2"] == pytest.approx(8 * math.log(32 / 27), abs=1e-9)


def test_a_word_rarer_near_the_node_than_expected_gets_a_negative_log_likelihood():
    # 9 tokens; the node once; window 1, node x span = 2. "the": 7 times in all, once near the node:
    # expected 2 x 7 / 9 = 1.556 > 1. Contingency 1, 6, 1, 1; expected 14/9, 49/9, 4/9, 14/9.
    # G2 = 2 (ln(9/14) + 6 ln(54/49) + ln(9/4) + ln(9/14)) = 1.020494, signed negative.
    document = segment_text("1. The partners met.\n\n2. The the the the the the.\n")
    table = collocates([document], "partner*", window=1, min_count=1).set_index("collocate")
    hand = 2 * (math.log(9 / 14) + 6 * math.log(54 / 49) + math.log(9 / 4) + math.log(9 / 14))
    assert table.loc["the", "g2"] == pytest.approx(-hand, abs=1e-9) and table.loc["the", "g2"] < 0
    assert table.loc["met", "g2"] > 0
    # --stopwords: "the" is on scikit-learn's English list; "met" is not
    assert list(collocates([document], "partner*", window=1, min_count=1, stopwords=True)["collocate"]) == ["met"]


def test_the_shipped_stop_words_are_scikit_learns_list():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    assert english_stop_words() == text.ENGLISH_STOP_WORDS


def test_collocates_per_edition_and_pooled():
    one = _edition(segment_text("1. Safeguarding partners met.\n"), "one-1")
    two = _edition(segment_text("1. Safeguarding partners agreed. Partners talked.\n"), "two-2")
    table = collocates([one, two], "partner*", window=1, min_count=1, pooled=True)
    assert list(dict.fromkeys(table["edition"])) == ["one-1", "two-2", POOLED]
    safeguarding = table[table["collocate"] == "safeguarding"].set_index("edition")
    assert list(safeguarding["together"]) == [1, 1, 2]  # pooled: the sum of the editions' counts
    # pooled expected: nodes 1 + 2 = 3, span 2, "safeguarding" 2 times, 3 + 5 = 8 tokens: 3 x 2 x 2 / 8
    assert safeguarding.loc[POOLED, "expected"] == pytest.approx(1.5)


def test_collocates_of_texts_too_short_for_their_windows_leave_the_word_out():
    """Found by a fuzzing run: two nodes with a window of 5 either side in a text of 7 words give
    no 2x2 table (the windows, counted full, cover more words than the text), and NLTK's measure
    stopped the command with "math domain error". Such a word is left out; longer texts are not
    touched."""
    short = _edition(segment_text("Partnership text here.\n\nPartnership again, text.\n"), "short-1")
    table = collocates([short], "partner*", window=5, min_count=1, pooled=True)
    assert "text" not in set(table["collocate"])


def test_the_readmes_worked_example_of_a_wide_interval_is_what_keyness_prints(run):
    """README, "Statistics, in plain words": the example of a significant change whose interval
    includes 0 is recomputed from `keyness`, so that it cannot go stale."""
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    example = re.search(
        r"\((sample-\d+) to (sample-\d+), family support, (\d+) to (\d+) occurrences: Holm-adjusted p = "
        r"([\d.]+), interval ([-+][\d.]+) to ([-+][\d.]+)\)",
        readme,
    )
    assert example, "the README's example is gone or reworded"
    a, b, count_a, count_b, p, low, high = example.groups()
    result = run("keyness", a, b, "--by", "category", "--format", "json")
    row = next(r for r in json.loads(result.stdout)["keyness"] if r["category"] == "family_support")
    assert (row["count_a"], row["count_b"]) == (int(count_a), int(count_b))
    assert f"{row['p_holm']:.3f}" == p and row["p_holm"] < 0.05
    assert (f"{row['log_ratio_low']:+.2f}", f"{row['log_ratio_high']:+.2f}") == (low, high)
    assert row["log_ratio_low"] < 0 < row["log_ratio_high"]  # what the example is there to show


def test_adding_term_patterns_changes_no_other_rows_holm_adjusted_p(run):
    """Each --term pattern is tested with the lexicon's terms alone: the lexicon's rows are the
    same with or without patterns, and a pattern's row is the same whatever other patterns come
    with it (as in `check`, where each claim's term has a family of its own)."""

    def table(*terms: str) -> dict:
        args = [arg for term in terms for arg in ("--term", term)]
        result = run("keyness", "sample-2008", "sample-2021", "--by", "term", *args, "--format", "json")
        return {(r["category"], r["term"]): r["p_holm"] for r in json.loads(result.stdout)["keyness"]}

    plain, both = table(), table("famil*", "partner*")
    alone = table("famil*")
    assert {k: v for k, v in both.items() if k[0] != "adhoc"} == plain
    assert both[("adhoc", "famil*")] == alone[("adhoc", "famil*")]
    assert len(both) == len(plain) + 2
