"""Hard wrapping for the plain-text renderer: only at spaces, never inside a word or at a hyphen
(a word broken at a line end would be a different word to a reader that does not rejoin it)."""

from __future__ import annotations


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy wrap of ``text`` to ``width`` columns, the first line after ``first`` and the others
    after ``rest``. A word starting with a digit goes to the next line when the current one is
    already three quarters full, as typists keep a number with what follows it; it also gives the
    loaders wrapped lines that start with a number, which they must not take for numbered paragraphs."""
    lines: list[str] = []
    line = first
    words = text.split(" ")
    for word in words:
        if not word:
            continue
        indent = first if not lines else rest
        if line == indent:
            line += word
            continue
        number_break = word[:1].isdigit() and len(line) >= 0.75 * width
        if len(line) + 1 + len(word) > width or number_break:
            lines.append(line)
            line = rest + word
        else:
            line += " " + word
    lines.append(line)
    return lines
