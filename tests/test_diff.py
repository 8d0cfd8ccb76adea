"""Word diffs rebuild both texts exactly, never split a word, and are the same from both engines."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wtcompare import diff as diff_module
from wtcompare.diff import DELETE, EQUAL, INSERT, Piece, changed_share, rebuild, word_diff


def test_red_to_green_is_one_word_out_and_one_in():
    pieces = word_diff("The red door.", "The green door.")
    assert pieces == [Piece(EQUAL, "The "), Piece(DELETE, "red"), Piece(INSERT, "green"), Piece(EQUAL, " door.")]


def test_identical_and_empty_texts():
    assert word_diff("same text", "same text") == [Piece(EQUAL, "same text")]
    assert word_diff("", "") == []
    assert word_diff("", "new") == [Piece(INSERT, "new")]
    assert word_diff("old", "") == [Piece(DELETE, "old")]


def test_changed_share():
    assert changed_share(word_diff("a b c d", "a b c d")) == 0
    assert changed_share(word_diff("a b", "c d")) == 1
    assert 0 < changed_share(word_diff("one two three four", "one two five four")) < 0.5


words = st.lists(
    st.sampled_from(
        [
            "child",
            "children",
            "partner",
            "partners",
            "red",
            "green",
            "the",
            "a",
            "\u00e9t\u00e9",
            "\u2019s",
            ",",
            ".",
            " ",
            "  ",
            "\n",
            "\t",
            "\u00a0",
            "\U0001f600",
            "\ue000",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(a=st.one_of(words, st.text()), b=st.one_of(words, st.text()), python=st.booleans())
def test_diff_rebuilds_both_sides_exactly(a, b, python):
    pieces = word_diff(a, b, python=python)
    assert rebuild(pieces) == (a, b)
    assert all(p.text for p in pieces)
    assert all(x.op != y.op for x, y in itertools.pairwise(pieces))


needs_cpp = pytest.mark.skipif(
    diff_module.fast_diff_match_patch is None, reason="fast-diff-match-patch has no build for this Python"
)


@needs_cpp
@settings(max_examples=300, deadline=None)
@given(a=st.one_of(words, st.text()), b=st.one_of(words, st.text()))
def test_cpp_and_python_engines_agree(a, b):
    assert word_diff(a, b) == word_diff(a, b, python=True)


@needs_cpp
def test_engines_agree_on_reworded_paragraphs():
    from wtcompare.registry import Registry, bundled_texts_dir
    from wtcompare.synth import Operations, revise

    a = Registry(bundled_texts_dir()).load("sample-2008")
    b, _ = revise(a, Operations(reword=0.4), seed=3)
    # revising also deletes, inserts and moves paragraphs: pairs by position are enough to give the engines
    # many different texts to agree on
    pairs = list(zip((p.text for p in a.paragraphs()), (p.text for p in b.paragraphs()), strict=False))
    assert sum(x != y for x, y in pairs) > 50
    for x, y in pairs:
        assert word_diff(x, y) == word_diff(x, y, python=True)


@needs_cpp
def test_engines_agree_on_a_long_heavily_changed_text():
    """Large enough that a short time limit would cut the Python port short (its limit is an hour)."""
    rng = random.Random(2)
    words = [f"w{rng.randrange(2000)}" for _ in range(3000)]
    a = " ".join(words)
    b = " ".join(w if rng.random() > 0.2 else "x" + w for w in words)
    pieces = word_diff(a, b)
    assert pieces == word_diff(a, b, python=True)
    assert rebuild(pieces) == (a, b) and 0.15 < changed_share(pieces) < 0.25


def test_more_distinct_words_than_codes_is_still_a_diff():
    a = " ".join(f"a{n}" for n in range(70_000))
    b = " ".join(f"b{n}" for n in range(70_000))
    assert word_diff(a, b) == [Piece(DELETE, a), Piece(INSERT, b)]


def test_more_distinct_words_than_the_basic_private_use_area():
    """Past 6,400 distinct pieces the codes continue in the supplementary private-use planes."""
    rng = random.Random(1)
    vocabulary = [f"w{n}" for n in range(8000)]
    a = " ".join(rng.choice(vocabulary) for _ in range(12000))
    b = " ".join(w if rng.random() > 0.1 else w + "x" for w in a.split())
    assert len(set(a.split()) | set(b.split())) > 6400
    for python in (False, True):
        pieces = word_diff(a, b, python=python)
        assert rebuild(pieces) == (a, b)
        assert changed_share(pieces) > 0.05


@settings(max_examples=200, deadline=None)
@given(a=words, b=words)
def test_no_word_is_split(a, b):
    import re

    whole_a, whole_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    for piece in word_diff(a, b):
        for word in re.findall(r"\w+", piece.text):
            assert word in (whole_a if piece.op == DELETE else whole_b if piece.op == INSERT else whole_a & whole_b)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]{}-+\\ab \n", max_size=30), st.text(alphabet="[]{}-+\\ab \n", max_size=30))
def test_marked_text_reads_back_as_both_texts_whatever_they_hold(a, b):
    """The text itself may hold the markers' characters ("trimmed[-1]", "man [-c|-w]" in code):
    shown as they stand, an unchanged section read as a deletion, and the texts could not be
    read back from the diff. They are broken by a backslash, and `unmarked` reads both back."""
    from wtcompare.diff import marked, unmarked

    assert unmarked(marked(word_diff(a, b))) == (a, b)


def test_a_heading_changed_over_the_same_text_is_shown():
    """A section pair whose text is the same but whose heading changed is "changed": its diff
    showed no change at all. The heading's own diff is given with it."""
    from wtcompare.align import align_levels
    from wtcompare.diff import diff_frame, section_diffs
    from wtcompare.segment import segment_text

    body = "1. Agencies share information about children promptly and record every decision carefully.\n"
    a = segment_text("Chapter 1: One\n\n1.1 Sharing files as text\n\n" + body)
    b = segment_text("Chapter 1: One\n\n1.1 Sharing files as pages\n\n" + body)
    frame = diff_frame(section_diffs(align_levels(a, b)["section"]))
    row = frame[frame.a == "ch1/1.1"].iloc[0]
    assert row.kind == "changed" and "[-" not in row["diff"]
    assert row.heading == "Sharing files as [-text-]{+pages+}"
