"""Word diffs rebuild both texts exactly and never split a word."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


words = st.lists(st.sampled_from(["child", "children", "partner", "partners", "red", "green", "the", "a", "\u00e9t\u00e9",
                                  "\u2019s", ",", ".", " ", "  ", "\n", "\t", "\u00a0", "\U0001f600", "\ue000"]),
                 max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(a=st.one_of(words, st.text()), b=st.one_of(words, st.text()))
def test_diff_rebuilds_both_sides_exactly(a, b):
    pieces = word_diff(a, b)
    assert rebuild(pieces) == (a, b)
    assert all(p.text for p in pieces)
    assert all(x.op != y.op for x, y in zip(pieces, pieces[1:]))


@settings(max_examples=200, deadline=None)
@given(a=words, b=words)
def test_no_word_is_split(a, b):
    import re

    whole_a, whole_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    for piece in word_diff(a, b):
        for word in re.findall(r"\w+", piece.text):
            assert word in (whole_a if piece.op == DELETE else whole_b if piece.op == INSERT else whole_a & whole_b)
