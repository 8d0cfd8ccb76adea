"""Diff stage: word-by-word differences between two texts, with diff-match-patch.

Each word, run of spaces and punctuation mark is first mapped to one character, so the diff
works on whole words and never splits one ("red" -> "green" is one deletion and one insertion,
not "g|re|d|en"). Joining the ``equal`` and ``delete`` pieces gives back the first text exactly,
joining ``equal`` and ``insert`` the second.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

PIECES = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_OPS = {0: EQUAL, -1: DELETE, 1: INSERT}
# Private-use and later planes keep clear of surrogates, which Python strings cannot round-trip.
_FIRST_CODE = 0xE000
_ENGINE = diff_match_patch()  # holds only settings, so one serves every call


@dataclass(frozen=True)
class Piece:
    op: str  # "equal", "delete" or "insert"
    text: str


def _codes(pieces: set[str]) -> dict[str, str]:
    """One character per distinct piece, in a fixed order so that the same texts always diff alike."""
    table = {}
    for n, piece in enumerate(sorted(pieces)):
        code = _FIRST_CODE + n
        if code >= 0xF900:  # skip past the private-use area into the supplementary planes
            code += 0x10000 - 0xF900
        table[piece] = chr(code)
    return table


def word_diff(a: str, b: str, timeout: float = 2.0) -> list[Piece]:
    """Word-level diff of ``a`` and ``b`` as a list of pieces (adjacent pieces never share an op)."""
    if a == b:
        return [Piece(EQUAL, a)] if a else []
    pieces_a, pieces_b = PIECES.findall(a), PIECES.findall(b)
    table = _codes(set(pieces_a) | set(pieces_b))
    encoded_a = "".join(map(table.__getitem__, pieces_a))
    encoded_b = "".join(map(table.__getitem__, pieces_b))
    decode = {code: piece for piece, code in table.items()}
    _ENGINE.Diff_Timeout = timeout
    diffs = _ENGINE.diff_main(encoded_a, encoded_b, False)
    _ENGINE.diff_cleanupSemantic(diffs)
    result: list[Piece] = []
    for op, chars in diffs:
        text = "".join(map(decode.__getitem__, chars))
        if result and result[-1].op == _OPS[op]:
            result[-1] = Piece(_OPS[op], result[-1].text + text)
        elif text:
            result.append(Piece(_OPS[op], text))
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
