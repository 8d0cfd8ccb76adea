"""The independent count: term occurrences in the model's own text, with a tokenizer outside
wtcompare (NLTK's RegexpTokenizer with a pattern written here from the README's counting rules:
runs of letters and digits joined across internal hyphens and apostrophes, matched without case,
the typographic apostrophe read as "'", NFKC-normalised).

Counted: every heading, paragraph, list item, code block and footnote (`Document.blocks_text`);
not the title or subtitle, list markers or printed numbers. A phrase matches consecutive tokens
inside one of those units; ``word*`` matches any ending.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from nltk.tokenize import RegexpTokenizer

from .model import Document

TOKENIZER = RegexpTokenizer(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
SCOPE = "headings, paragraphs, list items, code blocks and footnotes; not the title or subtitle"


def tokens(text: str) -> list[str]:
    return [t.lower().replace("\u2019", "'") for t in TOKENIZER.tokenize(unicodedata.normalize("NFKC", text))]


def _matches(pattern: str, words: list[str]) -> int:
    parts = [p.lower() for p in pattern.split()]

    def fits(part: str, word: str) -> bool:
        return word.startswith(part[:-1]) if part.endswith("*") else word == part

    found, i = 0, 0
    while i + len(parts) <= len(words):
        if all(fits(part, word) for part, word in zip(parts, words[i : i + len(parts)], strict=True)):
            found += 1
            i += len(parts)  # occurrences do not overlap
        else:
            i += 1
    return found


def count(document: Document, patterns: list[str]) -> dict[str, Counter]:
    """For each pattern, its occurrences by kind of unit (heading, paragraph, list item, code, footnote)."""
    units = [(kind, tokens(text)) for kind, text in document.blocks_text()]
    found = {pattern: Counter() for pattern in patterns}
    for pattern in patterns:
        for kind, words in units:
            found[pattern][kind] += _matches(pattern, words)
    return found
