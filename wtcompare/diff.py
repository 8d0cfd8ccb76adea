"""Diff stage: word-by-word differences between two texts, with diff-match-patch.

Each word, run of spaces and punctuation mark is first mapped to one character, so the diff
works on whole words and never splits one ("red" -> "green" is one deletion and one insertion,
not "g|re|d|en"). Joining the ``equal`` and ``delete`` pieces gives back the first text exactly,
joining ``equal`` and ``insert`` the second.

The diff itself is Google's diff-match-patch: its C++ implementation (package
fast-diff-match-patch) where a build exists for this Python, else its Python port. Both run the
same algorithm with the same settings and give the same diffs (tests/test_diff.py compares them);
the C++ one takes less than half the time over a report's diffs, and a small fraction of it on long texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from diff_match_patch import diff_match_patch

try:
    import fast_diff_match_patch
except ImportError:  # no wheel for this Python or platform
    fast_diff_match_patch = None

PIECES = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_PY_OPS = {0: EQUAL, -1: DELETE, 1: INSERT}
_C_OPS = {"=": EQUAL, "-": DELETE, "+": INSERT}
# Private-use code points: never letters, digits or spaces, so diff-match-patch's boundary scoring
# treats every piece alike, and never surrogates, which Python strings cannot round-trip.
_CODE_POINTS = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
_CODE_COUNT = sum(map(len, _CODE_POINTS))
_PYTHON_ENGINE = diff_match_patch()  # holds only settings, so one serves every call
# diff-match-patch looks for a long common middle first (which reads better) only when it has a
# time limit, and cuts a diff short when the limit is reached, which would make the result depend
# on the machine. An hour is a limit no diff comes near: the result depends only on the texts.
TIME_LIMIT = 3600.0

if TYPE_CHECKING:  # annotations only: the diff stage does not need the aligner (or pandas) to run
    import pandas as pd

    from .align.model import Alignment


@dataclass(frozen=True)
class Piece:
    op: str  # "equal", "delete" or "insert"
    text: str


def _ops(encoded_a: str, encoded_b: str, python: bool) -> list[tuple[str, int]]:
    """diff-match-patch with semantic clean-up, as (op, length in pieces)."""
    if python or fast_diff_match_patch is None:
        _PYTHON_ENGINE.Diff_Timeout = TIME_LIMIT
        diffs = _PYTHON_ENGINE.diff_main(encoded_a, encoded_b, False)
        _PYTHON_ENGINE.diff_cleanupSemantic(diffs)
        return [(_PY_OPS[op], len(chars)) for op, chars in diffs]
    diffs = fast_diff_match_patch.diff(
        encoded_a, encoded_b, timelimit=TIME_LIMIT, checklines=False, cleanup="Semantic", counts_only=True
    )
    return [(_C_OPS[op], length) for op, length in diffs]


def word_diff(a: str, b: str, python: bool = False) -> list[Piece]:
    """Word-level diff of ``a`` and ``b`` as a list of pieces (adjacent pieces never share an op).

    ``python=True`` forces diff-match-patch's Python port even where the C++ one is installed.
    """
    if a == b:
        return [Piece(EQUAL, a)] if a else []
    if not a or not b:
        return [Piece(INSERT, b)] if b else [Piece(DELETE, a)]
    pieces_a, pieces_b = PIECES.findall(a), PIECES.findall(b)
    # Codes in order of first appearance: the same texts always get the same codes.
    distinct = dict.fromkeys(pieces_a + pieces_b)
    if len(distinct) > _CODE_COUNT:  # more distinct words than codes: no text in this series comes near
        return [Piece(DELETE, a), Piece(INSERT, b)]
    # there are more codes than distinct words (counted just above): the words take the first codes
    codes = dict(zip(distinct, map(chr, chain.from_iterable(_CODE_POINTS)), strict=False))
    encoded_a = "".join(map(codes.__getitem__, pieces_a))
    encoded_b = "".join(map(codes.__getitem__, pieces_b))
    result: list[Piece] = []
    at_a = at_b = 0
    for op, length in _ops(encoded_a, encoded_b, python):
        if op == INSERT:
            text = "".join(pieces_b[at_b : at_b + length])
            at_b += length
        else:
            text = "".join(pieces_a[at_a : at_a + length])
            at_a += length
            at_b += length if op == EQUAL else 0
        if result and result[-1].op == op:
            result[-1] = Piece(op, result[-1].text + text)
        elif text:
            result.append(Piece(op, text))
    return result


def rebuild(pieces: list[Piece]) -> tuple[str, str]:
    """The two texts a diff was made from."""
    a = "".join(p.text for p in pieces if p.op != INSERT)
    b = "".join(p.text for p in pieces if p.op != DELETE)
    return a, b


def changed_share(pieces: list[Piece]) -> float:
    """Share of words (in both texts) that are inserted or deleted: 0 for identical texts."""
    total = changed = 0
    for piece in pieces:
        words = len(re.findall(r"\w+", piece.text))
        total += words if piece.op != EQUAL else 2 * words
        changed += words if piece.op != EQUAL else 0
    return changed / total if total else 0.0


# A marker's two characters as they stand in a text, which `marked` breaks with a backslash (and a
# backslash doubled) so that only the markers it writes read as markers ("trimmed[-1]" in code)
_LITERAL = re.compile(r"\\|\[-|-\]|\{\+|\+\}")
_MARKED = re.compile(r"\[-((?:\\.|[^\\])*?)-\]|\{\+((?:\\.|[^\\])*?)\+\}|\\(.)|(.)", re.S)


def _escaped(text: str) -> str:
    return _LITERAL.sub(lambda m: "\\\\" if m.group() == "\\" else m.group()[0] + "\\" + m.group()[1], text)


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


def marked(pieces: list[Piece], style: Callable[[str, str], str] | None = None) -> str:
    """A diff as text, git's word-diff style: ``[-deleted-]`` and ``{+inserted+}``. A marker's
    characters in the text itself are broken by a backslash ("trimmed[\\-1]", "x{\\+}"), and a
    backslash is doubled, so that the two texts can be read back from it exactly (`unmarked`).
    ``style`` (op, marked text) -> text may colour the changed pieces, e.g. for a terminal."""
    out = []
    for piece in pieces:
        body = _escaped(piece.text)
        text = {DELETE: f"[-{body}-]", INSERT: f"{{+{body}+}}"}.get(piece.op, body)
        out.append(style(piece.op, text) if style and piece.op != EQUAL else text)
    return "".join(out)


def unmarked(text: str) -> tuple[str, str]:
    """The two texts a diff marked up by `marked` was made from: without the insertions, and
    without the deletions."""
    a, b = [], []
    for deleted, inserted, escaped, plain in _MARKED.findall(text):
        if deleted:
            a.append(_unescaped(deleted))
        elif inserted:
            b.append(_unescaped(inserted))
        else:
            a.append(escaped or plain)
            b.append(escaped or plain)
    return "".join(a), "".join(b)


@dataclass(frozen=True)
class SectionDiff:
    """The word diff of one aligned pair: the unit ids on each side, the pair's kind, the pieces of
    its text and those of its heading (a pair whose text is the same may differ only there)."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    kind: str
    pieces: list[Piece]
    title: list[Piece]

    @property
    def heading(self) -> str:
        return f"## {' + '.join(self.a)} -> {' + '.join(self.b)}  [{self.kind}]"


def diff_frame(diffs: list[SectionDiff]) -> pd.DataFrame:
    """The ``diff`` command's table: each pair's units of A and of B, its kind, and the word diffs
    of its heading and of its text, marked up as text (`marked`)."""
    import pandas as pd

    rows = [
        {
            "a": " + ".join(d.a),
            "b": " + ".join(d.b),
            "kind": d.kind,
            "heading": marked(d.title),
            "diff": marked(d.pieces),
        }
        for d in diffs
    ]
    return pd.DataFrame(rows, columns=["a", "b", "kind", "heading", "diff"])


def section_diffs(alignment: Alignment, unit: str | None = None) -> list[SectionDiff]:
    """The word diff of every pair of an alignment, in its order; with ``unit`` (a section or
    paragraph id) only the pairs holding that unit or a unit inside it. An empty list when none does."""

    def holds(ids: list[str]) -> bool:
        return unit is None or any(unit == i or unit.startswith(i + "/") for i in ids)

    return [
        SectionDiff(
            tuple(pair.a),
            tuple(pair.b),
            pair.kind,
            word_diff(
                "\n\n".join(alignment.units_a[i].text for i in pair.a),
                "\n\n".join(alignment.units_b[i].text for i in pair.b),
            ),
            word_diff(
                " + ".join(alignment.units_a[i].heading for i in pair.a),
                " + ".join(alignment.units_b[i].heading for i in pair.b),
            ),
        )
        for pair in alignment.pairs
        if holds(pair.a) or holds(pair.b)
    ]
