"""Typographic variety as real producers have it, never changing a word.

The model holds what pandoc's smart reader gives: curly quotes and apostrophes, en and em dashes,
the ellipsis. A plain-text or Markdown file is typed on a keyboard (straight quotes, "--",
"..."); a typeset page adds no-break spaces where a word must stay with its number ("PEP 287",
"section 4"). Neither changes the tokens: an apostrophe is one in either form, "--" and a
no-break space separate words as the dash and the space did.
"""

from __future__ import annotations

import re

KEYBOARD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "--",
        "\u2014": "--",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
STAYS_WITH_NUMBER = re.compile(r"\b(PEP|PEPs|Python|[Ss]ection|[Pp]age|[Cc]hapter|[Vv]ersion|[Ss]tep) (?=\d)")


def keyboard(text: str) -> str:
    return text.translate(KEYBOARD)


def typeset(text: str) -> str:
    return STAYS_WITH_NUMBER.sub("\\1\u00a0", text)
