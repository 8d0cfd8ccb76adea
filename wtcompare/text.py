"""The one canonical form of text, used for comparing and counting; and the tokenizer.

Every loader keeps the text a reader sees as the source printed it (curly or straight quotes,
dashes, no-break spaces, list markers). Two texts are the *same words* when their canonical forms
are equal: `canonical` folds what differs between producers of the same document and never a
word:

* Unicode NFKC (ligatures split, no-break and other wide spaces become spaces, full-width forms
  narrowed), soft hyphens and zero-width characters removed;
* curly, low and prime quotes folded to ``'`` and ``"``, hyphen and dash characters (and ``--``,
  ``---``) to ``-``, the ellipsis character to ``...``;
* list markers at the start of a line (bullets, ``a)``, ``(ii)``, ``1.``) removed, like printed
  paragraph numbers, which are never part of a paragraph's text;
* all whitespace collapsed to single spaces.

Spaces are never invented by a loader (none is added at a PDF text run or an HTML inline
element), so none has to be taken away here: a space before a comma is a difference in the text.

`tokenize` gives the tokens that are counted and compared: runs of letters and digits joined
across internal hyphens and apostrophes (``child-centred``, ``child's``, ``2010``), lowercased
and folded as above, with their character spans in the original text; list markers at the start
of a line are not tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# A list marker at the start of a line: a bullet; a lettered or roman item ("a)", "(b)", "A)",
# "(iv)", and "a." or "iv." as a browser prints an HTML list); or a numbered item ("2)", "(3)",
# "1."). Roman numerals are limited to the letters of small ones so that an ordinary word in
# brackets is not taken for one. `ITEM_MARKER` leaves out "1.", which may be a printed paragraph
# number instead (`wtcompare.segment.DocumentBuilder.numbered` decides).
# (the boxes of a checklist among them: "\u2610 Discuss the change")
BULLET_CHARACTERS = (
    "-*+\u2022\u2023\u2043\u2013\u2014\u25aa\u25ab\u25cf\u25e6\u25a0\u25a1\u2219\u00b7\u2610\u2611\u2612"
)
ITEM_MARKER = r"[" + BULLET_CHARACTERS + r"]|\(?(?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,3})\)|[a-z]\.|[ivx]{1,5}\."
# A task list's box after a marker ("- [ ] Discuss", "- \u2610 Discuss") is part of the marker: one
# format writes it as brackets, another as a symbol, a third (a PDF without the glyph) not at all.
TASK_BOX = r"(?:[ \t\u00a0]+(?:\[[ xX]\]|[\u2610\u2611\u2612]))?"
LIST_MARKER = re.compile(r"^[ \t]*(?:" + ITEM_MARKER + r"|\d{1,3}\.)" + TASK_BOX + r"(?=[ \t\u00a0]|$)", re.M)

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def list_number(number: int, style: str) -> str:
    """The ``number``-th item's number in a list numbered in ``style``, as HTML's ``type`` names
    them: ``a``/``A`` letters, ``i``/``I`` Roman numerals, anything else digits. The HTML and DOCX
    loaders write list markers with it, so the same list reads the same from either."""
    if style in ("a", "A"):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter if style == "a" else letter.upper()
    if style in ("i", "I"):
        roman = ""
        for value, letters in _ROMAN:
            while number >= value:
                roman += letters
                number -= value
        return roman if style == "i" else roman.upper()
    return str(number)


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_DASH_RUN = re.compile(r"-{2,3}")
_SPACE = re.compile(r"\s+")

# Tokens: letters and digits joined by an internal apostrophe or hyphen of any kind.
TOKEN = re.compile(r"[^\W_]+(?:['\u2019\u2018\u02bc\-\u2010\u2011][^\W_]+)*")
_TOKEN_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def fold(text: str) -> str:
    """NFKC and the typographic folds of `canonical`, without touching spaces or markers."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _DASH_RUN.sub("-", text)


def strip_markers(text: str) -> str:
    """``text`` without the list markers that start its lines."""
    return LIST_MARKER.sub("", text)


@lru_cache(maxsize=100_000)
def canonical(text: str) -> str:
    """The canonical form of a paragraph or heading: equal for the same words in any format."""
    return _SPACE.sub(" ", fold(strip_markers(text))).strip()


def typography_only(a: str, b: str) -> bool:
    """True when two texts differ, but only in typography (their canonical forms are equal)."""
    return a != b and canonical(a) == canonical(b)


@lru_cache(maxsize=200_000)
def normalise(token: str) -> str:
    """A token as it is matched: NFKC, lowercase, apostrophes and hyphens folded."""
    return unicodedata.normalize("NFKC", token).lower().translate(_TOKEN_FOLD)


def _marker_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in LIST_MARKER.finditer(text) if m.end() > m.start()]


@lru_cache(maxsize=50_000)
def tokenize(text: str) -> tuple[tuple[str, int, int], ...]:
    """Tokens of ``text`` as (normalised token, start, end) character spans, list markers left out.
    Cached: the aligner, the scanner and the statistics all tokenize the same paragraphs."""
    markers = _marker_spans(text) if ("\n" in text or LIST_MARKER.match(text)) else []
    if not markers and text.isascii():
        # most paragraphs: lowercasing ASCII changes no token's extent, so the lowered text's
        # matches are the tokens, with their spans (a fifth faster than a token at a time)
        return tuple([(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text.lower())])
    out = []
    k = 0  # markers and tokens both run left to right: one pass over each, not every marker per token
    for m in TOKEN.finditer(text):
        start = m.start()
        while k < len(markers) and markers[k][1] <= start:
            k += 1
        if k < len(markers) and markers[k][0] <= start:
            continue
        token = m.group()
        # plain ASCII needs only lowercasing; NFKC and the folds matter only beyond it
        out.append((token.lower() if token.isascii() else normalise(token), start, m.end()))
    return tuple(out)


def words(text: str) -> tuple[str, ...]:
    """The normalised tokens of ``text``: those of `tokenize`, without their spans. A text of one
    line that opens with no list marker (most paragraphs) has no marker to leave out, so its
    tokens are found in one call, without a match object for each."""
    if "\n" in text or LIST_MARKER.match(text):
        return tuple(t for t, _, _ in tokenize(text))
    if text.isascii():  # lowercasing ASCII changes no token's extent: the whole text at once, not each token
        return tuple(TOKEN.findall(text.lower()))
    return tuple(token.lower() if token.isascii() else normalise(token) for token in TOKEN.findall(text))


def quantity(count: int, noun: str, plural: str = "") -> str:
    """``1 section``, ``2 sections`` (``plural`` where adding an s is wrong)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


# Characters that must not reach a page, a terminal or a workbook as they are: the C0 and C1
# controls but tab, line feed and carriage return (a NUL; an escape sequence that retitles a
# terminal; what a workbook cannot hold), and the bidirectional embeddings, overrides and isolates,
# with which a heading or a title could make a page show a report's figures reversed ("35" read as
# "53"). JSON and CSV keep the text as it is.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` without the characters of `_UNPRINTABLE` (a regular expression: `str.translate`
    with a table took half a second over a large report's page, this a twentieth of that)."""
    return _UNPRINTABLE.sub("", text)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (318 words), shipped as ``data/stopwords.txt``."""
    text = resources.files("wtcompare").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
