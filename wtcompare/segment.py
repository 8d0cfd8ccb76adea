"""Segment stage: turn what a loader found into a `Document` tree of sections and paragraphs.

Every loader ends here, so the same words get the same structure and the same ids whatever the
format:

* `DocumentBuilder` takes a stream of events (title, heading, paragraph, list item, footnote) and
  applies the rules every format shares: ids, printed paragraph numbers, list items joining the
  paragraph that introduces them, a numbered item told from a numbered paragraph, footnotes
  attached to the paragraph that cites them. Loaders with markup (HTML, DOCX, Markdown) call it
  directly.
* `segment_lines` / `segment_text` recognise structure from the lines themselves (plain text, text
  extracted from a PDF), with the heading rule of `wtcompare.headings`, then call the builder.
* `LineGrouper` joins the lines of one block into paragraphs and list items (wrapped lines,
  hyphenation across line ends, numbered paragraphs without blank lines between them); Markdown
  paragraphs use it too, so a hard-wrapped paragraph reads the same in text and Markdown.
"""

from __future__ import annotations

import functools
import itertools
import re
import statistics
import string
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import setting
from .headings import (
    ADMONITIONS,
    CALL,
    CHAPTER,
    LARGER,
    MAX_CAPITAL_LINES,
    MAX_SIZED_WORDS,
    MAX_WORDS,
    MAX_WRAPPED_WORDS,
    NUMBERED,
    SENTENCE_END,
    Evidence,
    Heading,
    decide,
    nested,
    not_a_heading,
    ranked_by_words,
    released,
    title_case,
)
from .model import Document, PageTurn, Paragraph, Section
from .text import BULLET_CHARACTERS, ITEM_MARKER, english_stop_words

# (not a version number: "12.1.0" is no paragraph 12.1 reading "0")
NUMBERED_PARAGRAPH = re.compile(r"^(\d{1,4}(?:\.\d{1,4})*)(\.(?!\d)|\s)\s*(?=\S)(.*)$")
NUMBERED_HEADING = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?\s+\S")  # "3.6.4 Choice of", wrapped or not
# how a paragraph, a quotation or a lead-in ends, and a command or a line of code seldom does
# a block's last word and the stop after it, as prose ends ("It is so.", "its answer?\u201d"), not a
# command's path or file ("pip install .", "report.html."); and what only code or a table holds: a
# call, operators and sigils, an option, columns set apart by spaces or a tab
PROSE_CLOSE = re.compile(r"(?:^|\s)[\"'\u201c\u2018(]*[\w'\u2019-]*[^\W\d_][.!?:][\"'\u201d\u2019)]*\s*$")
CODE_SIGN = re.compile(r"\w\(|[={}$`|<>\\]|\s-{1,2}[A-Za-z]|\S {3,}\S|\S\t")
PROSE_END = re.compile(r"[.!?:;,\u2026\"'\u201d\u2019)\]]\s*$")
# A list item line: its marker (a bullet, "a)", "(b)", "(iv)", "2)") and text. "2." is not here:
# it may be a numbered paragraph, which `DocumentBuilder.numbered` decides.
LIST_ITEM = re.compile(r"^\s*(" + ITEM_MARKER + r")\s+(\S.*)$")
BULLETS = BULLET_CHARACTERS
DASHES = "-\u2013\u2014"  # list markers that are also the dashes of a sentence
ATTRIBUTION = re.compile(r"[\u2013\u2014]\s+(\w)")  # "\u2013 Joey Hess": a signature or a source led by a dash
HYPHEN_BREAK = re.compile(r"([A-Za-z\u00c0-\u024f0-9]+)-$")
GLUED_DASH = re.compile(r"\S[\u2013\u2014]$")  # an en or em dash at a line's end, close after a word or mark
# the end of a line a browser broke inside a token: a hyphen after a letter, a digit or a bracket,
# two after a letter, a slash or a bracket ("parents--", "-v/--", "(--"), an equals sign after a
# word's last letter ("verify="); not a dash or an operator after a space ("numpy <=", "a -"), nor a
# rule ("Signed: -------")
BROWSER_BREAK = re.compile(r"(?:[^\W_]-|\(-|(?:[^\W_]|[/(])--|\w=)$")
# ... or an option's two hyphens after a space, before its name, which has a hyphen or a value in it
# ("the --" + "disable-setuid", "--" + "limit=web"; not a dash before a word, "parents --" + "they")
BROWSER_OPTION = re.compile(r"(?:^|\s)--$")
OPTION_NAME = re.compile(r"[a-z][a-z0-9]*[-=]")
# across a line's end, or several ("respon-" + "sibi-" + "lities")
BROKEN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:-\n\s*[A-Za-z\u00c0-\u024f]+)+")
# a word broken once, its halves whole words of letters ("partner-" + "ship", not "non-" + "2018")
ONE_BREAK = re.compile(r"(?<![\w-])([A-Za-z\u00c0-\u024f]+)-\n\s*([A-Za-z\u00c0-\u024f]+)(?![\w-])")
WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*")
WORD_LETTERS = frozenset(string.ascii_letters) | frozenset(map(chr, range(0xC0, 0x250)))  # `WORD`'s, one at a time
# A footnote's definition in plain text: "[1] The note." or Markdown-style "[^1]: The note."
FOOTNOTE_DEFINITION = re.compile(r"^\[\^?([0-9A-Za-z]{1,8})\]:?\s+(\S.*)$")
CITATION = re.compile(r"\[\^?([0-9A-Za-z]{1,8})\]")  # "[1]", "[^1]": a footnote cited
# Where a loader found a footnote reference, it writes this placeholder into the text; the builder
# removes it and attaches the note. Private-use characters never occur in real text.
NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"
# the lines a paragraph's text was joined from, each with the page it opens (None: the page before)
PagedLines = Sequence[tuple[str, str | None]]
NOTE_REF = re.compile(NOTE_OPEN + r"([^" + NOTE_CLOSE + r"]*)" + NOTE_CLOSE)
# an answer under a question is a paragraph: it ends a sentence, holds one ("Yes! It has been used
# ... For example," before a list), or runs on longer or wider than a heading
ANSWER_END = re.compile(r"[.!:;)\]\"\u201d']$")
SENTENCE_INSIDE = re.compile(r"[.!?;]\s")  # not ":": "Chapter 2: Review" is a heading
ASKED_HEADINGS = 3  # short questions, each over its answer, that show a text sets its questions as headings
# such a question, wrapped at a heading's narrow measure, may take this many lines ("How do I make a" +
# "cdef'd class that" + "derives from a builtin" + "type such as list?"); read as three, a heading's most
ASKED_LINES = 5
RECENT_NUMBERS = 8  # numbered paragraphs a number may follow on from, a numbered list's between them
NEXT_NUMBERED = 12  # blocks looked past for the next numbered one: a question's answer, a quotation, a list
MARGIN_STEP = 0.25  # type sizes: a line set in further than this from another is indented from it
FULL_LINE = 0.6  # a line this share of the text's full measure or longer is a full line (a wrapped paragraph's)
TYPED_HEADINGS = 3  # short bold blocks that show a PDF sets its lesser headings apart by type
# characters: the longest word a hyphen at a line's end is looked for in (beyond it, one run of letters)
MAX_WORD = 200
SHORT_PIECE = 3  # words: a title listing things ("Salt, tests, documentation") lists them short
ACRONYM = re.compile(r"[A-Z]{2,}")  # "BSD", "NSPCC": a word in capitals, which no one hyphenates
POSSESSIVE_END = re.compile(r"[^\W\d_]s'$")  # "sites'": a plural's apostrophe, not a quotation closing
# breaks at a document's own hyphens that show it never hyphenates a word (one may be chance: a
# short typeset text's "inter-" + "agency" beside its "partner-" + "ship")
OWN_BREAKS = 2
COMPOUND_BREAK = re.compile(r"([A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)+)-$")  # "up-to-" at a line end
# a paragraph opening with a lower-case letter or roman numeral of its own: "a. ", "(b) ", "iv) "
LETTERED = re.compile(r"(\(?[a-z]\)|[a-z]\.|\(?[ivx]{1,5}\)|[ivx]{1,5}\.)\s+(\S.*)", re.S)
# two words joined by a slash ("parents/carers", "and/or"), and a word with a slash at a line's end
SLASHED = re.compile(r"[A-Za-z\u00c0-\u024f]+/[A-Za-z\u00c0-\u024f]+")
SLASHED_HEAD = re.compile(r"([A-Za-z\u00c0-\u024f]+)/$")
# a web address at a line's end, broken after a slash, and a line that goes on with the rest of one:
# a path with its own punctuation in its first word, or two hyphens at least, not a word of prose
URL_START = re.compile(r"(?:https?://|www\.)\S")
# ("notes#changes", "working-together-to-...", "guidance.pdf", "%7B"; not "multi-agency", "e.g.", "100%")
URL_GOES_ON = re.compile(r"\S*(?:[/#?=&_]|%[0-9A-Fa-f]{2}|\.[A-Za-z]{2,5}(?:$|[\s/#?]))|[^\s-]+-[^\s-]+-")
# "--non-" at a line end: an option broken at one of its own hyphens
OPTION_BROKEN = re.compile(r"(?:^|[\s(\[\"'\u201c\u2018])--?[A-Za-z0-9][\w-]*-$")
# "{BRANCH}-" at a line end: a hyphen joining on (not after prose's ")" or a quotation)
CLOSE_BEFORE_HYPHEN = frozenset("]}>_")
LONE_BROKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+-")  # a line that is only a word's middle, broken again
# a command-line option written on one line ("--skip-string-normalization"), and two hyphens set
# apart as a dash ("the flag -- which ..."): a line ending in " --" goes on into an option's name
# in a document that writes options and no such dash
# (the two hyphens first, what stands before them looked behind at after: a pattern that opens with
# a literal is searched for as a string, far faster over a whole document's text)
OPTION = re.compile(r"--(?<![\w-]--)([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
SPACED_DASH = re.compile(r"--(?<!\S--)(?!\S)")
OPTION_HEAD = re.compile(r"(?:^|\s)(--?)$")  # a line ending in "-" or "--" standing alone
MAX_DEPTH = 6  # heading levels below this are folded into it (ids stay short on hostile input)
# The longest edition (2010, about 393 pages) has a few thousand paragraphs; a file with hundreds of
# thousands is not guidance, and each unit costs memory (a 50 MB page of one-word paragraphs would
# need gigabytes): refused, with the setting that lifts the limit.
MAX_UNITS = setting("WTCOMPARE_MAX_UNITS", 500_000, "sections and paragraphs", least=1)


class TooManyUnits(ValueError):
    """A document with more paragraphs and headings than `MAX_UNITS`."""

    def __init__(self) -> None:
        super().__init__(
            f"more than {MAX_UNITS:,} paragraphs and headings: not a guidance document "
            f"(set WTCOMPARE_MAX_UNITS to read it)"
        )


def check_units(count: int) -> None:
    """Raise `TooManyUnits` when a loader has found more than `MAX_UNITS` units."""
    if count > MAX_UNITS:
        raise TooManyUnits()


def _hung_prose(block: list[Line], indent: int) -> bool:
    """Whether a block indented as far as a numbered paragraph's text reads as prose: a letter
    first, every line at that indent, a word before its last stop (`PROSE_CLOSE`), and nothing of
    code or a table (`CODE_SIGN`)."""
    return (
        block[0].text.lstrip()[:1].isalpha()
        and all(len(line.text) - len(line.text.lstrip()) == indent for line in block)
        and PROSE_CLOSE.search(block[-1].text) is not None
        and not any(CODE_SIGN.search(line.text.strip()) for line in block)
    )


def _highest(number: str, numbers: Iterable[str]) -> str | None:
    """The highest of ``numbers`` of the sequence of ``number`` (its depth and prefix: 3.14 for
    3.15, 20 for 21), if any."""
    head = number.rpartition(".")[0]
    same = [n for n in numbers if n.rpartition(".")[0] == head and n.rpartition(".")[2].isdigit()]
    return max(same, key=lambda n: int(n.rpartition(".")[2]), default=None)


def _numbered_paragraph(text: str) -> re.Match[str] | None:
    """`NUMBERED_PARAGRAPH` matched at the start of ``text`` (stripped), tried only when a digit
    opens it: asked of nearly every line, which seldom opens so, and a pattern's match costs many
    times a look at one character."""
    return NUMBERED_PARAGRAPH.match(text) if text[:1].isdecimal() else None


# Words after which a sentence goes on: a line ending in one of them does not end a list item.
CONTINUING = {
    "and",
    "or",
    "nor",
    "in",
    "of",
    "to",
    "the",
    "a",
    "an",
    "with",
    "by",
    "at",
    "from",
    "for",
    "on",
    "see",
    "under",
    "between",
    "than",
    "as",
    "that",
    "which",
    "paragraph",
    "paragraphs",
    "section",
    "sections",
    "subsection",
    "subsections",
    "subparagraph",
    "subparagraphs",
    "sub-paragraph",
    "sub-paragraphs",
    "regulations",
    "articles",
    "schedules",
    "chapter",
    "chapters",
    "part",
    "annex",
    "appendix",
    "regulation",
    "article",
    "schedule",
    "item",
    "items",
}


def note_ref(label: str) -> str:
    """The placeholder a loader puts where a footnote is cited."""
    return f"{NOTE_OPEN}{label}{NOTE_CLOSE}"


class PageNote(NamedTuple):
    """A footnote found apart from the text (a PDF's small print): the page it is printed on, its
    label (a `note_ref` that cites it carries the same) and its text."""

    page: str
    label: str
    text: str


@dataclass
class Line:
    """A line of source text, the printed page it came from (when known), and for PDFs its type
    size relative to the body text, whether it is bold, how far it is indented from the margin
    (in multiples of the body type size) and whether it is set in a fixed-pitch font (code)."""

    text: str
    page: str | None = None
    size: float | None = None
    bold: bool = False
    indent: float | None = None
    code: bool = False

    @property
    def margin(self) -> float:
        """How far the line starts from the margin, in type sizes: a PDF's measured indent, or in
        text its leading spaces (two to a type size)."""
        if self.indent is not None:
            return self.indent
        return (len(self.text) - len(self.text.lstrip(" \t"))) / 2


def slug(text: str, limit: int = 40) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-") or "section"


def _single(number: str | None) -> int | None:
    """The value of a one-level printed number ("7"), else None."""
    return int(number) if number and number.isdigit() else None


def _marker_value(marker: str | None) -> int | None:
    """The number of a numbered list marker ("3.", "3)", "(3)"), else None."""
    return _single(marker.strip("().")) if marker else None


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# a list's marker inside a line, after a space ("based on (1) what", "either a) the child"), written
# as a line's first marker may be (`ITEM_MARKER`); and where a sentence, a lead-in or an item ends
INLINE_BRACKETED = re.compile(r"(?<=\s)(\((?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,3})\))\s")
INLINE_CLOSED = re.compile(r"(?<=\s)((?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,3})\))\s")
INLINE_DOTTED = re.compile(r"(?<=\s)((?:[a-z]|[ivx]{1,5})\.)\s")
SENTENCE_ENDS = re.compile(r"[.;:!?](?:\s|$)")
INLINE_LINES = 6  # lines above a marker in which the marker before it is looked for
# a line ending in a number or a symbol ("section 17(10)", "if (a =="), not a word or punctuation:
# it ends no item of a list, and a marker after it that neither starts nor continues a list is text
ENDS_MID_SENTENCE = re.compile(r"(?:(?<!\d)\d{1,3}|[=<>+*/&|^%(\[{)\]}-])$")  # not a year: a running header's "2023"
# words of `CONTINUING` no list item ends in, whatever marker follows: prepositions and articles
ENDS_NO_ITEM = frozenset(
    {"in", "of", "to", "the", "a", "an", "with", "by", "at", "from", "for", "on", "see", "under", "between", "than"}
    | {"as", "that", "which"}
)


def _ordinals(marker: str | None) -> set[tuple[str, int]]:
    """The places in a list a numbered, lettered or roman marker may stand for, with the kind of
    list: "(c)" the third letter, "(iv)" the fourth roman numeral, "(i)" the first roman numeral
    or the ninth letter, "3)" the third number; a bullet none."""
    core = (marker or "").strip("().").lower()
    values = {("number", int(core))} if core.isdigit() else set()
    if len(core) == 1 and core.isalpha():
        values.add(("letter", ord(core) - ord("a") + 1))
    if core and set(core) <= set(_ROMAN_VALUES):
        total = 0
        for index, letter in enumerate(core):
            value = _ROMAN_VALUES[letter]
            following = _ROMAN_VALUES[core[index + 1]] if index + 1 < len(core) else 0
            total += -value if value < following else value
        values.add(("roman", total))
    return values


def _inline_before(texts: Sequence[str], marker: str, places: set[tuple[str, int]]) -> bool:
    """Whether the marker before ``marker`` in its list ("(1)" before "(2)", "a)" before "b)")
    stands inside the lines ``texts`` after a space, written as ``marker`` is, in the sentence that
    the last line leaves unfinished: the list runs inside a sentence
    ("is one based on (1) what users ask for," + "(2) how much effort it takes"), and a line break
    put this marker first. Not after a lead-in or an item's end ("... goes on:" + "(2) For the
    purpose", "1) the first;" + "2) ..."), nor where a sentence ended after it ("section 17 (1)
    says so. The Act goes on" + "(2) ...")."""
    wanted = {(kind, place - 1) for kind, place in places if place > 1}
    if not wanted:
        return False
    # the last few lines only: a sentence's list runs over no more, and a block of many lines each
    # joined so would otherwise be read again for every line (time growing with its square)
    text = " ".join(texts[-INLINE_LINES:])
    ends = [m.end() for m in SENTENCE_ENDS.finditer(text)]
    sentence = text[ends[-1] :] if ends else text
    if marker.startswith("("):
        pattern = INLINE_BRACKETED
    elif marker.endswith(")"):
        pattern = INLINE_CLOSED
    elif marker.endswith("."):
        pattern = INLINE_DOTTED
    else:
        return False  # a bullet: no place in a list
    return any(bool(_ordinals(found) & wanted) for found in pattern.findall(" " + sentence))


class DocumentBuilder:
    """Builds a `Document` from a stream of headings, paragraphs and list items, giving stable ids.

    Levels: 1 is a chapter (or part, annex), 2 a section, 3 a subsection. Text before the first
    heading goes into a ``front`` section."""

    def __init__(self) -> None:
        self._top: list[Section] = []
        self._stack: list[Section] = []
        self._used: set[str] = set()
        self._title: list[str] = []
        self._last: Paragraph | None = None  # the paragraph a list item joins
        self._item: str | None = None  # the marker of the last list item, while the last unit is one
        self._numbered_item: int | None = None  # the last number of a numbered list still open (nested bullets keep it)
        self._number: str | None = None  # the last printed paragraph number
        self._numbers: deque[str] = deque(maxlen=RECENT_NUMBERS)  # the section's last few, the last first
        self._heading_number: str | None = None  # the last printed heading number
        self._notes: dict[str, str] = {}
        self._note_home: dict[str, Paragraph | None] = {}
        self._note_marks: dict[str, tuple[str, str]] = {}
        self._note_pages: dict[str, str] = {}  # a note's label: the page it is printed on (a PDF's)
        self.in_chapter = False
        self._units = 0

    # Title and headings -------------------------------------------------------------------

    def title(self, text: str) -> None:
        """A line of the document's own title (the first) or subtitle (the rest): shown as the
        heading of the ``front`` section, joined by dashes; never counted."""
        text = " ".join(NOTE_REF.sub("", text).split())
        if text:
            self._title.append(text)

    def add(self, heading: Heading, page: str | None = None) -> Section:
        """Open the section a decided heading starts (printed on ``page``, when known)."""
        self.in_chapter = self.in_chapter or heading.kind == "chapter"
        return self.heading(heading.title, heading.level, heading.number, heading.kind, page)

    def heading(
        self, text: str, level: int, number: str | None = None, kind: str = "chapter", page: str | None = None
    ) -> Section:
        """Open a section. ``kind`` names a level-1 heading (chapter, part, annex, appendix);
        ``page``, the page its heading is printed on, when known."""
        level = min(max(1, level), MAX_DEPTH)
        self._units += 1
        check_units(self._units)
        text = " ".join(NOTE_REF.sub("", text).split())
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        parent = self._stack[-1] if self._stack else None
        if level == 1:
            key = (("ch" if kind in ("chapter", "section") else kind) + number) if number else slug(text)
        else:
            key = number if number else slug(text)
        base = f"{parent.id}/{key}" if parent else key
        section_id = self._unique(base)
        section = Section(
            id=section_id,
            heading=text or (f"{kind.title()} {number}" if number else ""),
            level=level,
            number=number,
            page=page,
        )
        (parent.children if parent else self._top).append(section)
        self._stack.append(section)
        self._last, self._item, self._numbered_item = None, None, None
        self._heading_number = number or self._heading_number
        self._numbers.clear()  # a list's numbers go on from the paragraphs of its own section
        return section

    # Paragraphs, numbered paragraphs and list items -----------------------------------------

    def paragraph(
        self,
        text: str,
        number: str | None = None,
        page: str | None = None,
        code: bool = False,
        lines: PagedLines = (),
    ) -> Paragraph | None:
        """Add a paragraph. Without ``number``, a printed number at its start ("23. Text",
        "1.4 Text") is taken off as its number (a "1." may make it a list item instead: see
        `numbered`). Code keeps its lines. ``lines``: the lines ``text`` was joined from, each with
        the label of the page it opens, when it runs on to another page than ``page`` (`_turned`)."""
        if code:
            text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
            return self._new(text, None, page, code=True, lines=lines) if text.strip() else None
        text = text.strip()
        if not text:
            return None
        if number is None and (found := _numbered_paragraph(text)):
            return self.numbered(found.group(1), found.group(2), found.group(3), page, lines)
        last = self._last
        lettered = LETTERED.match(text) if number is None and last is not None else None
        if lettered and last is not None and (self._item is not None or last.text.rstrip().endswith(":")):
            # "a. Test runs: ..." after "...used for a release:": a lettered sub-paragraph, as Word
            # and HTML write them, is an item of its lead-in, as the same lines are in plain text,
            # a PDF and Markdown; "(1) A local authority must ..." and "A) ..." stay paragraphs
            self._join_item(lettered.group(2), lettered.group(1), page, lines)
            return self._last
        return self._new(text, number, page, lines=lines)

    def numbered(
        self,
        number: str,
        delimiter: str,
        text: str,
        page: str | None = None,
        lines: PagedLines = (),
    ) -> Paragraph | None:
        """A unit that starts with a printed number. "1.4 Text" and "23 Text" are numbered
        paragraphs. "3. Text" is a numbered paragraph too, unless it is the item of a numbered list:
        the next item of one ("3." after "2."), or the first item after a paragraph that
        introduces a list (ending in a colon), when it does not continue the paragraph numbers."""
        if self.takes_as_item(number, delimiter):
            self._join_item(text, f"{number}.", page, lines)
            self._numbered_item = _single(number)
            return self._last
        return self._new(text.strip(), number, page, lines=lines)

    def takes_as_item(self, number: str, delimiter: str) -> bool:
        """Whether a unit printed with ``number`` and ``delimiter`` would be an item of a numbered
        list (see `numbered`)."""
        value = _single(number)
        if delimiter != "." or value is None:
            return False
        after_item = self.next_item(number)
        continues = _single(self._number) == value - 1
        # a paragraph or an item that ends in a colon introduces a (nested) list
        introduced = self._last is not None and self._last.text.rstrip().endswith(":")
        return after_item or (introduced and not continues)

    def next_item(self, number: str) -> bool:
        """Whether ``number`` is the next item's of the list last added to ("3." after "2.", nested
        bullets between them or not)."""
        value = _single(number)
        return (
            value is not None
            and self._item is not None
            and value - 1 in (_marker_value(self._item), self._numbered_item)
        )

    @property
    def has_title(self) -> bool:
        return bool(self._title)

    @property
    def last_number(self) -> str | None:
        """The printed number of the last numbered paragraph."""
        return self._number

    @property
    def recent_numbers(self) -> tuple[str, ...]:
        """The printed numbers of the last `RECENT_NUMBERS` numbered paragraphs of the open
        section, the last first."""
        return tuple(self._numbers)

    @property
    def last_heading(self) -> str | None:
        """The printed number of the last numbered heading."""
        return self._heading_number

    @property
    def open_headings(self) -> tuple[str, ...]:
        """The numbers of the headings of the sections now open, outermost first."""
        return tuple(section.number for section in self._stack if section.number)

    def item(self, text: str, marker: str = "-", page: str | None = None, lines: PagedLines = ()) -> None:
        """A list item joins the paragraph that introduces it, one item per line, with its marker
        as printed (bullets as "-"); a "1." item may be a numbered paragraph (see `numbered`)."""
        text = text.strip()
        if not text:
            return
        if re.fullmatch(r"\d{1,3}\.", marker):
            self.numbered(marker[:-1], ".", text, page, lines)
        else:
            self._join_item(text, "-" if marker in BULLETS else marker, page, lines)

    def _join_item(self, text: str, marker: str, page: str | None, lines: PagedLines = ()) -> None:
        line = f"{marker} {text.strip()}"
        if self._last is None or self._last.code:
            # never into a code block: an item after one starts a paragraph
            self._new(line, None, page, lines=lines)
        else:
            last, start = self._last, len(self._last.text) + 1
            if page is not None and page != last.page_at(start):  # the item opens the next page
                last.turns.append(PageTurn(start, page))
            last.text += "\n" + line
            _turned(last, start, lines)
        self._item = marker

    def footnote(self, label: str, text: str, page: str | None = None, number: str | None = None) -> None:
        """A footnote's text; it goes to the paragraph that cites it by a `note_ref` placeholder;
        else, given its ``page`` and ``number``, to the paragraph of that page where the number
        stands glued to a word ("families1", as a PDF without superscript type prints it), the
        number being taken out; else to the paragraph before the note."""
        text = " ".join(text.split())
        if text and label in self._notes:
            # a label given again (notes numbered afresh in each chapter): a note of its own, which
            # no marker cites (the first took that), so it goes to the paragraph before it
            label = next(f"{label}#{n}" for n in itertools.count(2) if f"{label}#{n}" not in self._notes)
        if text:
            self._notes[label] = text
            self._note_home[label] = self._last
            if page is not None:
                self._note_pages[label] = page
                if number:
                    self._note_marks[label] = (page, number)

    def _new(
        self,
        text: str,
        number: str | None,
        page: str | None,
        code: bool = False,
        lines: PagedLines = (),
    ) -> Paragraph:
        self._units += 1
        check_units(self._units)
        section = self._current()
        paragraph = Paragraph(
            id=f"{section.id}/p{len(section.paragraphs) + 1}", text=text, number=number, page=page, code=code
        )
        _turned(paragraph, 0, lines)
        section.paragraphs.append(paragraph)
        self._last, self._item, self._numbered_item = paragraph, None, None
        if number is not None:
            self._number = number
            self._numbers.appendleft(number)
        return paragraph

    # Finishing ------------------------------------------------------------------------------

    def build(self) -> Document:
        self._attach_notes()
        if self._title and self._top and self._top[0].id == "front":
            self._top[0].heading = " \u2014 ".join(self._title)
        sections = [s for s in self._top if s.paragraphs or s.children or s.id != "front"]
        return Document(sections=sections, title=" \u2014 ".join(self._title) or None)

    def _attach_notes(self) -> None:
        cited: set[str] = set()
        for section in self._top:
            for part in section.walk():
                for paragraph in part.paragraphs:
                    if NOTE_OPEN not in paragraph.text:
                        continue
                    for label in NOTE_REF.findall(paragraph.text):
                        if label not in self._notes:
                            # a marker numbered on its page ("12:3") cites an endnote ("*:3")
                            label = "*:" + label.rpartition(":")[2]
                        if label in self._notes and label not in cited:
                            cited.add(label)
                            self._give_note(paragraph, label)
                    _cut(paragraph, [m.span() for m in NOTE_REF.finditer(paragraph.text)])
        on_page: dict[str, list[Paragraph]] = {}  # by every page a paragraph is printed on
        for section in self._top:
            for part in section.walk():
                for paragraph in part.paragraphs:
                    for page in dict.fromkeys([paragraph.page or "", *(turn.page for turn in paragraph.turns)]):
                        on_page.setdefault(page, []).append(paragraph)
        for label in self._notes:
            home = self._note_home[label]
            if label in cited:
                continue
            if label in self._note_marks:
                page, number = self._note_marks[label]
                glued = re.compile(r"(?<=[A-Za-z.,;:)\u201d\u2019])" + re.escape(number) + r"\b")
                found = next(
                    (
                        (p, mark)
                        for p in on_page.get(page, [])
                        if not p.code and (mark := glued.search(p.text, *_on_page(p, page)))
                    ),
                    None,
                )
                if found is not None:
                    _cut(found[0], [found[1].span()])
                    home = found[0]
            if home is not None:
                self._give_note(home, label)

    def _give_note(self, paragraph: Paragraph, label: str) -> None:
        """Attach note ``label`` to ``paragraph``, with the page it is printed on when known (then
        every note of the paragraph before it has its page or None, so the pages stay in step)."""
        paragraph.footnotes.append(self._notes[label])
        page = self._note_pages.get(label)
        if page is not None or paragraph.footnote_pages:
            paragraph.footnote_pages.extend([None] * (len(paragraph.footnotes) - 1 - len(paragraph.footnote_pages)))
            paragraph.footnote_pages.append(page)

    def _current(self) -> Section:
        if not self._stack:
            front = Section(id=self._unique("front"), heading="Front matter", level=1)
            self._top.append(front)
            self._stack.append(front)
        return self._stack[-1]

    def _unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return candidate


TURN_PROBE = 24  # characters of a line looked for in its paragraph's text
JOIN_SLACK = 3  # characters at most that joining a line to the next takes off its end (a hyphen)


def _turned(paragraph: Paragraph, since: int, lines: PagedLines) -> None:
    """Record where ``paragraph`` runs on to another page. ``lines`` are the lines its text from
    ``since`` on was joined from, in order, each with the label of the page it opens (None for a
    line on the page of the line before). Each is found in the text by its first characters, which
    joining lines leaves as they were (a word broken across a page rejoins at the line's start, so
    it is cited by the page it begins on), after the line before it, so that words repeated
    earlier in the paragraph are not taken for it. A line not found leaves its words with the page
    before, as every paragraph's were before turns were read."""
    at = since
    for text, page in lines:
        probe = text.strip()[:TURN_PROBE]
        found = paragraph.text.find(probe, at) if probe else -1
        if found < 0:
            continue
        if page is not None:
            paragraph.turns.append(PageTurn(found, page))
        at = found + max(1, len(text.strip()) - JOIN_SLACK)


def _paged(texts: list[str], pages: list[str | None]) -> list[tuple[str, str | None]]:
    """Lines with the pages they are printed on as `_turned` takes them: each with the label of
    the page it opens (None for one on the page of the line before); none at all when every line
    is on the first's page."""
    if all(page == pages[0] for page in pages):
        return []
    opened = [
        page if page is not None and page != before else None
        for before, page in zip(pages[:1] + pages[:-1], pages, strict=True)
    ]
    return list(zip(texts, opened, strict=True))


def _on_page(paragraph: Paragraph, page: str) -> tuple[int, int]:
    """Where in the text of ``paragraph`` its words printed on ``page`` begin and end (the whole
    text when it is all on one page)."""
    starts = [(0, paragraph.page), *((turn.offset, turn.page) for turn in paragraph.turns)]
    for k, (start, label) in enumerate(starts):
        if label == page:
            return start, starts[k + 1][0] if k + 1 < len(starts) else len(paragraph.text)
    return 0, len(paragraph.text)


def _cut(paragraph: Paragraph, spans: list[tuple[int, int]]) -> None:
    """Take the ``spans`` (in order, apart) out of the paragraph's text, its page turns moving
    with the text after them."""
    for start, end in reversed(spans):
        paragraph.text = paragraph.text[:start] + paragraph.text[end:]
        for turn in paragraph.turns:
            if turn.offset > start:
                turn.offset = max(start, turn.offset - (end - start))


@dataclass
class _Unit:
    """A paragraph or list item being gathered: its first line's margin decides what continues it."""

    kind: str  # "para" or "item"
    number: str | None  # printed number, or the item's marker
    delimiter: str | None
    texts: list[str]  # its lines' text
    first: Line  # its first line (its margin is worked out only if a line after it asks)
    pages: list[str | None] = field(default_factory=list)  # the page of each line after the first

    def add(self, text: str, line: Line) -> None:
        """A line that continues the unit (``text``, stripped)."""
        self.texts.append(text)
        self.pages.append(line.page)

    def paged(self) -> list[tuple[str, str | None]]:
        """Its lines as `_turned` takes them (`_paged`)."""
        return _paged(self.texts, [self.first.page, *self.pages])


class LineGrouper:
    """Joins the lines of one block into paragraphs and list items for a `DocumentBuilder`.

    A new paragraph starts inside a block only at the next printed number in sequence (or a
    numbered item after a paragraph that introduces a list); a list item line starts an item; a
    line after an item continues it unless it starts a numbered paragraph or a capitalised
    sentence at the margin. ``vocabulary`` counts the document's words, to decide whether a word
    hyphenated at a line end is rejoined ("partner-" + "ship") or keeps its hyphen ("inter-agency");
    it is given as a function, called when a hyphen at a line's end first asks (text with a
    paragraph on each line has none, and counting a long edition's words takes a tenth of its
    segmenting). ``browser``: the lines were set by a web browser (its PDF), which breaks a line
    after a word's own hyphen but never hyphenates a word.
    """

    def __init__(
        self, builder: DocumentBuilder, vocabulary: Callable[[], DocumentWords], browser: bool = False
    ) -> None:
        self.builder = builder
        self._count = vocabulary
        self.browser = browser

    @functools.cached_property
    def _words(self) -> DocumentWords:
        return self._count()

    @property
    def vocabulary(self) -> Counter:
        return self._words.counts

    @functools.cached_property
    def keeps_hyphens(self) -> bool:
        """Whether the document breaks lines only at hyphens of its own and never hyphenates a word
        (as a browser's or a word processor's PDF): `OWN_BREAKS` broken words are spelled with their
        hyphen elsewhere, or break before a word of its own; none is spelled joined elsewhere; and
        fewer break into halves neither of which is a word of the text ("approp-" + "riate", as a
        typesetter breaks a word, or "half-" + "finished" where neither half occurs alone). Such a
        document keeps the hyphen of a break nothing else decides ("real-" + "world")."""
        counts = self.vocabulary
        own = typeset = halves = 0
        for head, tail in self._words.breaks:
            joined, hyphenated = counts[head + tail], counts[f"{head}-{tail}"]
            if joined and hyphenated:
                continue  # spelled both ways elsewhere ("multiprocessing", "multi-processing"): no sign
            if joined > hyphenated:
                typeset += 1
            elif hyphenated or (tail not in english_stop_words() and counts[tail]):
                own += 1
            elif not counts[head]:
                halves += 1  # "approp-" + "riate", or a compound of words the text has nowhere else
        return own >= OWN_BREAKS and typeset == 0 and halves < own

    def add(self, lines: list[Line], one_paragraph: bool = False) -> None:
        """Add a block's lines. ``one_paragraph``: the lines are known to be one paragraph (a
        Markdown paragraph), so a line continues what is above it unless it starts a list item or
        a numbered paragraph, after a space (`soft_joined`); in plain text and PDFs a line after a
        list item continues it when it is indented further than the item's first line or starts in
        lower case."""
        units: list[_Unit] = []
        # the block's last line that starts with a dash, looked for when a dash asks (most blocks have
        # none): a list of dashes goes on below a dash, where a dash that a line break put first stands alone
        last_dash: int | None = None
        placed: set[tuple[str, int]] = set()  # the places in a list of the block's markers so far
        for index, line in enumerate(lines):
            text = line.text.strip()
            item = LIST_ITEM.match(text)
            starts = _numbered_paragraph(text)
            last = units[-1] if units else None
            inside = False
            if item:
                places = _ordinals(item.group(1))
                follows = any((kind, place - 1) in placed for kind, place in places)
                inline = last is not None and not follows and _inline_before(last.texts, item.group(1), places)
                if not inline:
                    # refused or not: "with" + "(a) the duties of section 11" + "(b) health"; but a
                    # marker of a list inside the sentence is not in the block's list ("(3)" after it)
                    placed |= places
                # the next item after the one right above it ("(b)" after "(a)", not after "(c)")
                before = _ordinals(last.number) if last is not None and last.kind == "item" else set()
                after_last = any((kind, place - 1) in before for kind, place in places)
                if last_dash is None and item.group(1) in DASHES:
                    last_dash = max(k for k, below in enumerate(lines) if below.text.lstrip()[:1] in DASHES)
                dashes_after = last_dash is not None and last_dash > index
                if last and self._inside_sentence(last, item.group(1), dashes_after, after_last, follows):
                    item, inside = None, True  # "(c) ... under paragraph" + "(b) to act, ..."
                elif inline:
                    item, inside = None, True  # "based on (1) what users ask for," + "(2) how much"
                elif last and not follows and places and all(place > 1 for _, place in places):
                    # "the more readable if (a ==" + "7) over ...": a marker that neither starts a
                    # list nor goes on from one, after a line that cannot end an item
                    inside = bool(ENDS_MID_SENTENCE.search(last.texts[-1].rstrip()))
                    item = None if inside else item
            if item:
                units.append(_Unit("item", item.group(1), None, [item.group(2)], line))
            elif starts and self._starts_unit(units, starts, line):
                units.append(_Unit("para", starts.group(1), starts.group(2), [starts.group(3)], line))
            elif last and (
                last.kind == "para"
                or last.kind == "item"
                and (
                    inside
                    or one_paragraph
                    or text[:1].islower()
                    or starts
                    or line.margin > last.first.margin + MARGIN_STEP
                )
            ):
                last.add(text, line)  # continues the paragraph or item above
            else:
                units.append(_Unit("para", None, None, [text], line))
        for unit in units:
            text = soft_joined(unit.texts) if one_paragraph else self.joined(unit.texts)
            paged = unit.paged()
            if unit.kind == "item":
                self.builder.item(text, unit.number or "-", unit.first.page, paged)
            elif unit.number is not None:
                self.builder.numbered(unit.number, unit.delimiter or " ", text, unit.first.page, paged)
            else:
                self.builder.paragraph(text, page=unit.first.page, lines=paged)

    @staticmethod
    def _inside_sentence(last: _Unit, marker: str, dashes_follow: bool, next_item: bool, follows: bool) -> bool:
        """Whether a line starting with "(b)" continues the sentence above it: the line above ends
        in a word that cannot end a sentence or a list item ("in", "paragraph"), or in "and" or
        "or" when the marker goes on from none before it in the block (``follows``: "(d) NHS
        England; and" + "(e) ..." is the next item, "in (a) and" + "(b) will be" a reference). A dash
        continues the sentence of a paragraph whose line above ends mid-sentence when no line after
        it in the block starts with a dash (``dashes_follow``): "should be installed" +
        "– the requirement" is a parenthetical dash that a line break put first; "should include" +
        "- the police" + "- health services" a list. A plus sign continues a sum or an expression
        in brackets. Other bullets always start items."""
        if marker in DASHES:
            return last.kind == "para" and bool(re.search(r"[\w,)]$", last.texts[-1].rstrip())) and not dashes_follow
        above = last.texts[-1].rstrip()
        if marker == "+":
            # a sum or an expression a line break put first: "12" + "+ 3", "(ham[lower" + "+ offset])"
            # (not after "project/": a tree of folders)
            opened = above.count("(") + above.count("[") > above.count(")") + above.count("]")
            return above[-1:].isdigit() or opened
        if marker in BULLETS:
            return False
        ending = re.search(r"([A-Za-z]+)$", above)
        word = ending.group(1).lower() if ending else ""
        # after "; and" a marker that goes on from one before it is the next item; after a noun, only
        # the next after the item right above (``next_item``: "(a) comply with these regulations" +
        # "(b) ...", but "(c) ... under paragraph" + "(b) to act" is a reference); after a
        # preposition or article, never
        if word in ("and", "or", "nor"):
            return not follows
        return word in CONTINUING and not (next_item and word not in ENDS_NO_ITEM)

    def _starts_unit(self, units: list[_Unit], starts: re.Match, line: Line) -> bool:
        """Whether a line beginning with a number starts a paragraph or item, rather than being a
        wrapped line that happens to begin with one ("2006. The review ...")."""
        if not units:
            return True
        last = units[-1]
        if line.margin > last.first.margin + MARGIN_STEP:
            return False  # indented further than the paragraph or item above: it continues it
        number, delimiter = starts.group(1), starts.group(2)
        value = _single(number)
        if last.kind == "item":
            if delimiter == "." and value is not None and _marker_value(last.number) == value - 1:
                return True  # the next item of a numbered list
            previous = next(
                (u.number for u in reversed(units) if u.kind == "para" and u.number), self.builder.last_number
            )
            if _follows(previous, number) or (previous is None and delimiter == "."):
                return True
            # the paragraphs' own numbers going on after a numbered list among them ("20." then
            # "1.", "2.", "3." each over its bullets, then "21."): the next after the highest of
            # the section's recent numbers of its sequence, the item above ending its sentence (not
            # "see paragraph" + "21. The review", nor "19 of them ..." or "20 March ..." wrapped)
            ended = last.texts[-1].rstrip()[-1:]
            block = [u.number for u in reversed(units) if u.kind == "para" and u.number][:RECENT_NUMBERS]
            recent = block + list(self.builder.recent_numbers)
            return bool(ended) and ended in ".;:!?" and _follows(_highest(number, recent), number)
        if _follows(last.number, number):
            return True
        # the first item of a numbered list, after the paragraph that introduces it
        return delimiter == "." and value is not None and last.texts[-1].rstrip().endswith(":")

    def joined(self, lines: Sequence[str]) -> str:
        """Wrapped lines as one text: each joined to the line before it (`_joint`), which alone
        decides the join, so that a paragraph of many lines takes time in proportion to its length."""
        if len(lines) == 1:
            return lines[0].strip()  # (most paragraphs of a text with one on each line)
        pieces = [lines[0].strip()]
        for number, line in enumerate(lines[1:], start=2):
            left = pieces[-1]
            before = pieces[-2][-1:] if len(pieces) > 1 else ""
            if left[-1:] == "-" and (before.isalpha() or before == "-") and left[:1].isalpha():
                # the line was joined to the one above inside a word broken twice ("respon-" +
                # "sibi-" + "lities", "up-" + "to-" + "date"): that word's start is part of this
                # break's left half
                left = pieces[-2][-MAX_WORD:] + left
            kept, rest = self._joint(left, line, lines[number] if number < len(lines) else "")
            pieces[-1] = pieces[-1][: len(pieces[-1]) - (len(left) - kept)]
            pieces.append(rest)
        return "".join(pieces)

    def _joint(self, left: str, right: str, below: str = "") -> tuple[int, str]:
        """How a wrapped line ``right`` joins the line ``left`` above it: how many characters of
        ``left`` stay, and what follows them (a space and ``right``, or ``right`` alone), rejoining a
        word hyphenated across the break. ``below``, the line after ``right``, ends the word when
        ``right`` is only its middle, broken again ("multi-" + "agen-" + "cy").

        "partner-" + "ship" becomes "partnership", and "pri-" + "nciples" "principles"; the hyphen
        stays where the document spells the word with it elsewhere ("inter-" + "agency"), where
        it does not spell the joined word elsewhere but uses the second half as a word of its own
        ("non-" + "package", "format-" + "specific"), before a capital ("Cross-" + "References") and
        after a digit ("2018-" + "19")."""
        right = right.strip()
        if self.browser and (
            BROWSER_BREAK.search(left[-3:]) or (BROWSER_OPTION.search(left[-3:]) and OPTION_NAME.match(right))
        ):
            # a browser breaks a line after a hyphen, or an equals sign, inside a word, an option or
            # a call ("charset-" + "normalizer", "-v/--" + "verbose", "address-" + ">name",
            # "verify=" + "<ssl_context>") and never hyphenates a word: what stands on either side
            # is one (see `BROWSER_BREAK`)
            return len(left), right
        if left.endswith("-") and left[-2:-1] in CLOSE_BEFORE_HYPHEN:
            # a hyphen set close after a bracket or a symbol ("{BRANCH}-" + "backport"): it joins
            # what stands on either side, as a dash, spaced, does not (not after a colon: "as
            # follows:-" leads into what follows)
            return len(left), right
        broken = HYPHEN_BREAK.search(left[-MAX_WORD:]) if left.endswith("-") else None
        if broken and (right[:1].isupper() or broken.group(1)[-1].isdigit() or ACRONYM.fullmatch(broken.group(1))):
            # no one hyphenates a number or an acronym: "2020-" + "resolver", "2018-" + "19", "BSD-" + "based"
            return len(left), right
        if broken and OPTION_BROKEN.search(left[-MAX_WORD:]):
            # nor an option, a word that opens with a hyphen ("--non-" + "interactive", "--install-"
            # + "types"): its hyphens are its own
            return len(left), right
        if broken and right[:1] in "{<[":
            # nor a word before a bracket: the hyphen is the text's own, and what follows is a
            # placeholder joined to it ("ipcontroller-" + "{client|engine}.json", "team-" + "<area>")
            return len(left), right
        if broken and right[:1].islower():
            head = broken.group(1).lower()
            tail = WORD.match(right)
            tail_word = tail.group(0).lower() if tail else ""
            end = WORD.match(below.strip()) if below and LONE_BROKEN.fullmatch(right) else None
            if end and self.vocabulary[f"{head}-{tail_word}-{end.group(0).lower()}"]:
                return len(left), right  # "out-" + "of-" + "hours", spelled so elsewhere
            if end and not self.vocabulary[tail_word]:  # a word's middle ("sibi-"), not a word ("of-")
                tail_word += end.group(0).lower()
            hyphenated, joined = f"{head}-{tail_word}", head + tail_word
            if self.vocabulary[hyphenated] > self.vocabulary[joined] or (
                self.vocabulary[hyphenated] and self.keeps_hyphens
            ):
                # spelled so elsewhere more often, or at all in a document that breaks lines only
                # at its own hyphens ("multi-" + "processing", where the module "multiprocessing"
                # is named more often)
                return len(left), right
            compound = COMPOUND_BREAK.search(left[-MAX_WORD:])
            if compound and self.vocabulary[f"{compound.group(1).lower()}-{tail_word}"]:
                return len(left), right  # "up-to-" + "date", spelled "up-to-date" elsewhere
            # a line broken after a compound's own hyphen ("non-" + "package", "multi-" + "agency"):
            # the joined word is found nowhere in the document and its second half is a word found
            # elsewhere on its own (`vocabulary_of` leaves the broken halves out), or the document
            # never hyphenates words (`keeps_hyphens`). Not the first half: a typesetter's break
            # falls after one as often ("in-" + "dependently", "be-" + "have")
            if joined in english_stop_words():  # "an-" + "other", "with-" + "out": words of every text
                return len(left) - 1, right
            if not self.vocabulary[joined] and (self.vocabulary[tail_word.split("-")[0]] or self.keeps_hyphens):
                return len(left), right
            return len(left) - 1, right
        if GLUED_DASH.search(left[-2:]):
            # a line broken after a dash set close to the word or mark before it ("MusicBrainz—" +
            # "so", "2010–" + "2013", "(see 2.1)—" + "so"): set close on one side, it is set close
            # on the other
            return len(left), right
        if left.endswith("/") and self._slash_joins(left.rsplit(maxsplit=1)[-1], right):
            return len(left), right
        if left.endswith("-") and self._option_joins(left, right):
            return len(left), right
        return len(left), " " + right

    def _option_joins(self, left: str, right: str) -> bool:
        """Whether a line ending in a hyphen or two that stand alone goes on without a space into
        ``right``: an option broken between its hyphens ("pass -" + "-skip-string-normalization"),
        or after them ("the option --" + "skip-magic-trailing-comma") where the document writes
        that option on one line elsewhere, or writes options and never two hyphens as a dash."""
        head = OPTION_HEAD.search(left[-3:])
        if head is None:
            return False
        if head.group(1) == "-":
            return bool(re.match(r"-[a-z]", right))
        name = OPTION.match("--" + right)
        if name is None:
            return False
        words = self._words
        return bool(words.options[name.group(1)]) or (bool(words.options) and not words.spaced_dashes)

    def _slash_joins(self, last: str, right: str) -> bool:
        """Whether a line ending in ``last``, a word or address with a slash at its end, goes on
        without a space into ``right``: a web address too long for its line ("https://.../wiki/" +
        "Writing-Release-Notes#...") when a path with its own punctuation goes on (not "at
        https://www.example.org/" + "for anyone"), and two words the document joins with a slash
        elsewhere ("parents/" + "carers"; not "the tools/" + "directories")."""
        if URL_START.match(last):
            return bool(URL_GOES_ON.match(right))
        head, tail = SLASHED_HEAD.search(last), WORD.match(right)
        return bool(head and tail and self._words.slashed[f"{head.group(1).lower()}/{tail.group(0).lower()}"])


def soft_joined(lines: Sequence[str]) -> str:
    """Lines an author wrapped (a Markdown paragraph's) as one text: a line break is a space, as
    a browser shows it ("community-" + "driven" is "community- driven"), never a word broken."""
    return " ".join(line.strip() for line in lines)


def _follows(previous: str | None, candidate: str) -> bool:
    """Inside a block, only the next number in sequence starts a new paragraph: a wrapped line
    beginning "2006. The" must not. "1.9" may be followed by "1.10" or "2.1"."""
    if previous is None:
        return False
    head, _, tail = previous.rpartition(".")
    if not tail.isdigit():
        return False
    if candidate == (f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)):
        return True
    return bool(head) and head.split(".")[0].isdigit() and candidate == f"{int(head.split('.')[0]) + 1}.1"


@dataclass
class DocumentWords:
    """A document's words, for `LineGrouper`: ``counts`` of its lowercased words (hyphenated ones
    whole), and ``breaks``, the two halves of each word broken once at a line's end after a hyphen."""

    counts: Counter
    breaks: list[tuple[str, str]]
    slashed: Counter = field(default_factory=Counter)  # words joined by a slash on one line: "parents/carers"
    options: Counter = field(default_factory=Counter)  # names written after "--" on one line: "skip-magic"
    spaced_dashes: int = 0  # "--" standing alone within a line: a dash


def _after_words(pattern: re.Pattern[str], text: str, mark: str) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer(text)` gives, for a pattern whose every match opens with a run
    of letters (of `WORD`) that ``mark`` follows ("partner" + "-\\n" + "ship", "parents" + "/" +
    "carers"), tried only at the run before each ``mark``: a search tries the pattern at every
    word, and a document has a hundred thousand words and a few dozen breaks at a line's end."""
    end = 0  # where the last match ended (at a word's end: no match starts before it)
    at = text.find(mark)
    while at != -1:
        start = at
        while start > end and text[start - 1] in WORD_LETTERS:
            start -= 1
        found = pattern.match(text, start) if start < at else None
        if found:
            yield found
            end = found.end()
        at = text.find(mark, max(at + 1, end))


def vocabulary_of(texts: Iterable[str]) -> DocumentWords:
    """The `DocumentWords` of a document, the lines of ``texts`` taken in turn. The halves of a word
    hyphenated across a line's end are not counted as words: "responsi-" + "bility" twice over must
    not make "responsi" and "bility" words of the text."""
    counts: Counter = Counter()
    breaks: list[tuple[str, str]] = []
    slashed: Counter = Counter()
    options: Counter = Counter()
    spaced_dashes = 0
    for text in texts:
        if "-\n" in text:
            breaks += [(m.group(1).lower(), m.group(2).lower()) for m in _after_words(ONE_BREAK, text, "-\n")]
            pieces, kept = [], 0
            for m in _after_words(BROKEN_WORD, text, "-\n"):  # each broken word replaced by a space
                pieces += [text[kept : m.start()], " "]
                kept = m.end()
            text = "".join(pieces) + text[kept:]
        if text.isascii():  # lowercasing ASCII changes no word's extent: the whole text at once
            counts.update(WORD.findall(text.lower()))
        else:  # each spelling of a word lowercased once, not each time it is used
            for word, count in Counter(WORD.findall(text)).items():
                counts[word.lower()] += count
        if "/" in text:
            slashed.update(m.group(0).lower() for m in _after_words(SLASHED, text, "/"))
        if "--" in text:
            options.update(m.group(1) for m in OPTION.finditer(text))
            spaced_dashes += len(SPACED_DASH.findall(text.replace("\n", "\0")))  # not at a line's end
    return DocumentWords(counts, breaks, slashed, options, spaced_dashes)


def segment_text(text: str) -> Document:
    """Segment plain text. Form feeds (as pdftotext writes) mark page breaks. Its blocks are those
    `segment_lines` would make of its lines, split at blank lines and at a page's end, with a `Line`
    made once for each line of text only (not also for each blank line, and each then copied
    without its trailing spaces)."""
    paged = "\f" in text
    blocks: list[list[Line]] = [[]]
    for page_no, page_text in enumerate(text.split("\f"), start=1):
        page = str(page_no) if paged else None
        for raw in page_text.split("\n"):
            stripped = raw.rstrip()
            if stripped.strip():
                blocks[-1].append(Line(stripped, page))
            elif blocks[-1]:
                blocks.append([])
        if blocks[-1]:
            blocks.append([])
    return _Segmenter([b for b in blocks if b]).run()


def segment_lines(lines: Iterable[Line], notes: Iterable[PageNote] = (), browser: bool = False) -> Document:
    """Segment lines into sections and paragraphs. Blank lines separate blocks. ``notes`` are
    footnotes found apart from the text (a PDF's small print): each goes to
    the paragraph that cites it by a `note_ref` placeholder, else to the last paragraph before the
    end of its page. ``browser``: a web browser set the lines (a PDF it printed), so that a hyphen at
    a line's end is the text's own (`LineGrouper`)."""
    blocks: list[list[Line]] = [[]]
    for line in lines:
        stripped = line.text.rstrip()
        if stripped.strip():
            blocks[-1].append(Line(stripped, line.page, line.size, line.bold, line.indent, line.code))
        elif blocks[-1]:
            blocks.append([])
    return _Segmenter([b for b in blocks if b], list(notes), browser).run()


def _ends_sentence(line: str, question: bool, after: str, numbered: bool = False) -> bool:
    """Whether a line of a block ends like a sentence, so that the block is no heading wrapped over
    its lines: not when it ends in a plural's apostrophe ("Particular sites'" + "opinions") or a
    call ("Why is calling" + "freeze_support()" + "required?"); in a ``numbered`` block or a
    ``question``, not when it ends a list of short titles with a comma before a line ``after`` it
    that goes on in lower case ("4.1 Salt, tests," + "documentation, and you"; not an address's
    "Front Door," + "ground floor", a sign-off's "Yours sincerely," + "the Director", nor "2.3
    Where a family does not agree to an assessment," + "practitioners should ..."); nor, in a
    question, in a closing quotation mark or bracket with no stop before it ("1.3 ...create
    \"Disc N\"" + "directories for ..."; elsewhere such a line may end an address's "(North Area)")."""
    if not SENTENCE_END.search(line) or POSSESSIVE_END.search(line) or CALL.search(line):
        return False
    if line.endswith(",") and after[:1].islower() and (numbered or question):
        title = NUMBERED.match(line)
        pieces = (title.group(2) if title else line)[:-1].split(",")
        if all(len(piece.split()) <= SHORT_PIECE for piece in pieces):
            return False
    return not (question and line[-1] in "\"')\u201d]" and len(line) > 1 and line[-2] not in ".?!,;:")


def _label(block: Sequence[Line]) -> bool:
    """Whether a block is an admonition's label alone on its line in plain text ("Note")."""
    return len(block) == 1 and block[0].size is None and block[0].text.strip() in ADMONITIONS


def _wrapped_capitals(lines: Sequence[Line]) -> bool:
    """Whether four to `MAX_CAPITAL_LINES` lines in capitals are one title wrapped at a narrow
    measure ("USING SYS.EXECUTABLE TO" + "SPAWN SUBPROCESSES THAT" + ...): every line but the last
    is as full as the next line's first word lets it be (it would not fit on the longest line),
    as an address's or a signature's lines, broken where their author chose, are not."""
    if len(lines) > MAX_CAPITAL_LINES:
        return False
    texts = [line.text.strip() for line in lines]
    if not all(text.isupper() for text in texts):
        return False
    longest = max(map(len, texts))
    return all(len(text) + 1 + len(after.split()[0]) > longest for text, after in zip(texts, texts[1:], strict=False))


def _title_shaped(lines: Sequence[Line]) -> bool:
    """Whether a block can be a title: four short lines at most, not opening with a numbered line."""
    return len(lines) <= 4 and all(_short(line.text) for line in lines) and not _numbered_first(lines[0].text)


def _numbered_first(text: str) -> bool:
    """Whether a line opens a numbered paragraph ("1. Scope", "1. This guidance applies"), never
    a title, though it may be as short as one: a document that opens so has no title. Not a year
    ("2024. Annual report")."""
    starts = _numbered_paragraph(text.strip())
    return starts is not None and starts.group(2) == "." and len(starts.group(1)) <= 3


def _size(lines: list[Line]) -> float | None:
    """A block's type size: its lines' median (None when they have none, as in text files)."""
    if len(lines) == 1:
        return lines[0].size  # the median of one (most blocks are one line: asked of each several times)
    sizes = [line.size for line in lines if line.size is not None]
    return statistics.median(sizes) if sizes else None


def _short(text: str) -> bool:
    text = text.strip()
    return 0 < len(text.split()) <= MAX_WORDS and not SENTENCE_END.search(text)


_Shape = tuple[str, int, float | None, bool]  # what `not_a_heading` is told of a block (`_Segmenter._shape`)


class _Segmenter:
    """Headings, title, footnotes and code blocks of plain text and PDF lines; paragraphs and
    lists through `LineGrouper`."""

    def __init__(
        self, blocks: list[list[Line]], page_notes: list[PageNote] | None = None, browser: bool = False
    ) -> None:
        self.blocks = blocks
        self.page_notes = page_notes or []
        self._find_code()
        self.builder = DocumentBuilder()
        texts = [line.text for b in self.blocks for line in b]  # as they are now: citations are marked later
        self.lines = LineGrouper(self.builder, lambda: vocabulary_of(["\n".join(texts)]), browser)
        # heading sizes are ranked without the title's (a title block opens the document)
        titled = bool(self.blocks) and _title_shaped(self.blocks[0])
        sizes = sorted(
            {
                round(line.size, 2)
                for b in self.blocks[1 if titled else 0 :]
                for line in b
                if line.size is not None and line.size >= LARGER
            },
            reverse=True,
        )
        self.size_rank = {size: rank for rank, size in enumerate(sizes, start=1)}
        self.larger_level = 0  # the level of the last heading `_heading` ranks, 0 before one
        # a PDF sets its lesser headings in type of their own when several short blocks are bold
        # throughout; large chapter headings of one size alone do not say so (sections may then be
        # headed in the body's own type, or in italic, which is not read)
        short = [
            b
            for b in self.blocks[1 if titled else 0 :]
            if len(b) <= 3
            and b[0].size is not None  # (a text file's lines have none: asked of the first line alone)
            and all(line.size is not None for line in b)
            and sum(len(line.text.split()) for line in b) <= MAX_SIZED_WORDS
        ]
        bold = sum(all(line.bold for line in b) for b in short)
        larger = [round(_size(b) or 1.0, 2) for b in short if (_size(b) or 1.0) >= LARGER]
        # ... or when short blocks are set larger in two sizes or more (chapters and sections both)
        self.typed = bold >= TYPED_HEADINGS or (len(larger) >= TYPED_HEADINGS and len(set(larger)) >= 2)
        self.block_sizes = Counter(round(b[0].size, 2) for b in self.blocks if b[0].size is not None)
        widths = sorted(len(line.text.strip()) * (line.size or 1.0) for b in self.blocks for line in b)
        self.line_width = widths[int(0.9 * (len(widths) - 1))] if widths else 0.0  # a full line's width
        self.notes = self._footnote_blocks()
        self.asked = self._questions_set_apart()  # the indices of the blocks that are such questions
        self._in_list = -2  # the index of the last block read as an item of a numbered list (`_list_item`)

    def _narrow(self, lines: Sequence[Line]) -> bool:
        """Whether no line of a block runs near the text's full measure: a heading's lines, or a
        short line of text, not a paragraph's wrapped lines."""
        return all(len(line.text.strip()) * (line.size or 1.0) < FULL_LINE * self.line_width for line in lines)

    def _questions_set_apart(self) -> set[int]:
        """The blocks that are questions set apart as headings in the text's own type, as on a
        questions-and-answers page in plain text: narrow blocks (`_narrow`) of one short question,
        each followed by a block that answers it (a paragraph: one that ends a sentence, not in a
        question, or runs on longer than a heading), when the document has at least
        `ASKED_HEADINGS` of them (else none). A question standing alone in running text is rare,
        and wraps as the text does ("How can you trust me with this kind of power? What if I mess
        everything" + "up?!?" in a paragraph of its own); questions one after another ("Is the
        child safe?", "Is the child seen?", "Is the child heard?", the last one too) or before a
        heading ("Questions for reflection") answer nothing; several short ones, each with its
        answer under it, are headings."""
        indices = [i for i in range(len(self.blocks)) if not self.code[i] and i not in self.notes]
        # only a block ending in a question mark (as its last line does) is read further
        questions = [self.blocks[index][-1].text.strip().endswith("?") for index in indices]
        asked = set()
        for position, index in enumerate(indices[:-1]):
            if not questions[position]:
                continue
            block, following = self.blocks[index], self.blocks[indices[position + 1]]
            text = " ".join(line.text.strip() for line in block)
            # the last of questions one after another asks too; a title in capitals over them does not
            # ("HOW DO I ...?" over "How do I pickle cdef classes?" and its answer)
            above = self.blocks[indices[position - 1]] if position and questions[position - 1] else None
            if (
                (above is None or " ".join(line.text.strip() for line in above).isupper())
                and len(block) <= ASKED_LINES
                and self._narrow(block)
                and not any(
                    _ends_sentence(line.text.strip(), True, after.text.strip())
                    for line, after in zip(block, block[1:], strict=False)
                )
                and not not_a_heading(text, min(len(block), 3), None)
            ):
                answer = " ".join(line.text.strip() for line in following)
                # a question under it that is short is the next of a list ("Is the child seen?"); one
                # running on at the text's full measure is an answer asking back
                if not (answer.endswith("?") and self._narrow(following)) and (
                    ANSWER_END.search(answer) is not None
                    or SENTENCE_INSIDE.search(answer) is not None
                    or len(answer.split()) > MAX_WRAPPED_WORDS
                    or not self._narrow(following)
                ):
                    asked.add(index)
        return asked if len(asked) >= ASKED_HEADINGS else set()

    def _mark_citation(self, defined: int, label: str) -> None:
        """Replace the "[1]" that cites the note defined in block ``defined`` by a `note_ref`: the
        last "[1]" before the definition (a note follows its citation; a later "list[1]" in code is
        not a citation)."""
        pattern = re.compile(r"\[\^?" + re.escape(label) + r"\]")
        closed = label + "]"  # in every citation: looked for as a string first, as most lines cite nothing
        for index in range(defined - 1, -1, -1):
            if index in self.notes or self.code[index]:
                continue
            for line in reversed(self.blocks[index]):
                found = list(pattern.finditer(line.text)) if closed in line.text else []
                if found:
                    m = found[-1]
                    line.text = line.text[: m.start()] + note_ref(label) + line.text[m.end() :]
                    return

    def _footnote_blocks(self) -> dict[int, tuple[str, str]]:
        """Blocks that define a footnote ("[1] The note.") cited elsewhere as "[1]"."""
        found = {}
        for index, block in enumerate(self.blocks):
            if self.code[index]:
                continue  # "[1] ..." in an example of markup is not a footnote
            # (the bracket looked for as a string first: few blocks have one)
            definition = FOOTNOTE_DEFINITION.match(block[0].text.strip()) if "[" in block[0].text else None
            if definition:
                text = " ".join([definition.group(2)] + [x.text.strip() for x in block[1:]])
                found[index] = (definition.group(1), text)
        if not found:
            return {}  # no definition, no citation to look for
        labels = {label for label, _ in found.values()}
        cited = set()
        for index, block in enumerate(self.blocks):
            if index not in found and not self.code[index]:
                for line in block:
                    if "[" in line.text:  # (most lines have no bracket: looked for as a string first)
                        cited.update(CITATION.findall(line.text))
        cited &= labels
        return {k: v for k, v in found.items() if v[0] in cited}

    def _find_code(self) -> None:
        """Which blocks are code (``self.code``), joining code blocks that blank lines split (one
        code block, as in Markdown). In a PDF code is set in a fixed-pitch font. In plain text it
        is indented four spaces more than the text it stands in: a paragraph that continues a list
        item is indented as far as the item's text, and is not code. The text it stands in may be
        an outer item's, when the code follows a nested list ("- Update:" + "  - Check out ..." +
        code indented four from "Update:", two from "Check out"): past the last item's text, four
        spaces past any open item's text is code too, unless it ends as prose does (a sentence, a
        quotation, a note typed a little further in under a nested item)."""
        merged: list[list[Line]] = []
        code: list[bool] = []
        context = 0  # the column where the text around the block starts
        items: list[tuple[int, int]] = []  # the open list items: (marker column, text column)
        numbered: int | None = None  # the text column of the last block opening with a printed number
        # the sizes of headings: short blocks set larger than the body, not in code type
        heading_sizes = {
            round(size, 2)
            for block in self.blocks
            if len(block) <= 3 and (size := _size(block) or 1.0) >= LARGER and not any(line.code for line in block)
        }
        for block in self.blocks:  # (no line of a block is blank: `segment_lines`)
            # its least indent, its lines in code type and its list items, in one pass over its lines
            indent, code_lines, found = len(block[0].text), 0, []
            for line in block:
                indent = min(indent, len(line.text) - len(line.text.lstrip()))
                code_lines += 1 if line.code else 0
                if item := LIST_ITEM.match(line.text):
                    found.append(item)
            hung = False
            if code_lines == len(block):
                # ... unless it is one line in the size of the document's headings: a heading that
                # is a name in code type ("docutils.__version_info__"); code set larger than the
                # body in a size of its own is still code
                is_code = len(block) > 1 or round(_size(block) or 1.0, 2) not in heading_sizes
            elif code_lines or block[0].indent is not None:
                is_code = hung = False
            else:
                is_code = (
                    (
                        indent >= context + 4
                        or (
                            indent > context
                            and any(indent >= text + 4 for _, text in items)
                            and not PROSE_END.search(block[-1].text)
                        )
                    )
                    and not LIST_ITEM.match(block[0].text)
                    and not _numbered_paragraph(block[0].text.strip())
                    # prose hung under a numbered paragraph's text ("10. Why ...?" over its answer
                    # indented four columns, as far as the text after "10. ")
                    and not (hung := indent == numbered and _hung_prose(block, indent))
                )
            if not is_code:
                while items and not LIST_ITEM.match(block[0].text) and items[-1][1] > indent:
                    items.pop()  # a paragraph indented less than an item's text closes the item
                for m in found:
                    while items and items[-1][0] >= m.start(1):
                        items.pop()
                    items.append((m.start(1), m.start(2)))
                if not hung:  # (code under hung prose is four past the number's text, as before it)
                    context = found[-1].start(2) if found else indent
                opening = block[0].text
                if (starts := _numbered_paragraph(opening.lstrip())) is not None:
                    numbered = indent + starts.start(3)
                elif indent < (numbered or 0):
                    numbered = None  # text less indented than the number's closes what hangs under it
            if merged and is_code and code[-1]:
                merged[-1] = merged[-1] + [Line("", block[0].page)] + block
            else:
                merged.append(block)
                code.append(is_code)
        self.blocks, self.code = merged, code

    def run(self) -> Document:
        for defined, (label, _) in sorted(self.notes.items()):
            self._mark_citation(defined, label)
        pending = list(self.page_notes)
        last_block = {line.page: index for index, block in enumerate(self.blocks) for line in block}
        for index, block in enumerate(self.blocks):
            # a page's notes are given once its text is read, so that a note no marker cites
            # goes to the last paragraph of its page
            while pending and last_block.get(pending[0].page, -1) < index:
                self._page_note(*pending.pop(0))
            if index in self.notes:
                self.builder.footnote(*self.notes[index])
            else:
                self._block(index, block)
        for note in pending:
            self._page_note(*note)
        return self.builder.build()

    def _page_note(self, page: str, label: str, text: str) -> None:
        number = label.rpartition(":")[2]
        # a number the page's small print used before (`pdf._join_notes`) is no note's to find glued
        self.builder.footnote(label, text, page, number if number and "#" not in number else None)

    def _block(self, index: int, lines: list[Line]) -> None:
        if (index == 0 or self._subtitle(index)) and _title_shaped(lines) and not CHAPTER.match(lines[0].text.strip()):
            for part in self._title_parts(lines):
                self.builder.title(part)
            return
        if self.code[index]:
            indent = min(len(line.text) - len(line.text.lstrip()) for line in lines if line.text.strip())
            texts = [line.text[indent:] for line in lines]
            # code runs on across a page break (a PDF's): its lines say where
            paged = _paged(texts, [line.page for line in lines])
            self.builder.paragraph("\n".join(texts), page=lines[0].page, code=True, lines=paged)
            return
        if self._attribution(index, lines):
            self.builder.paragraph(lines[0].text.strip(), page=lines[0].page)
            return
        starts = _numbered_paragraph(lines[0].text.strip())
        if starts is not None and (self._list_item(index, lines, starts) or self._over_a_list(index, lines)):
            self.lines.add(lines)
            return
        while lines:
            used = self._heading(index, lines)
            if not used:
                self.lines.add(lines)
                return
            lines = lines[used:]

    def _title_parts(self, lines: list[Line]) -> list[str]:
        """A title block's parts, title then subtitles. In a PDF a line in the type of the line
        above goes on with it where it had to wrap: it opens in lower case ("How to follow up on
        a" + "report"), or its first word would not have fitted on the line above in the text's
        measure; otherwise it is a subtitle, a date or a body's name under the title ("Keeping
        Learners Safe" + "Statutory guidance for schools"). Plain text shows no type and wraps
        no title: every line is a part of its own."""
        parts: list[list[Line]] = []
        for line in lines:
            above = parts[-1][-1] if parts else None
            text = line.text.strip()
            if (
                above is not None
                and line.size is not None
                and (line.size, line.bold) == (above.size, above.bold)
                and (
                    text[:1].islower()
                    or (len(above.text.strip()) + 1 + len(text.split()[0])) * line.size > self.line_width
                )
            ):
                parts[-1].append(line)
            else:
                parts.append([line])
        return [soft_joined([line.text.strip() for line in part]) for part in parts]

    def _list_item(self, index: int, lines: list[Line], starts: re.Match) -> bool:
        """Whether a block in the body's type is an item of a numbered list the text before opened
        ("...three main stages:" + "1. Local development", then "2. Code review" after its nested
        bullets), which a short numbered line would otherwise be taken for a heading. Only an item
        with something nested under it (the next block indented further), or in a list of such
        blocks, says so: "1. Introduction" after a paragraph ending in a colon, followed by its text
        at the margin, is a heading. ``starts``: the block's printed number, as its first line opens."""
        if all(line.bold for line in lines) or ((size := _size(lines)) is not None and size >= LARGER):
            return False
        following = self.blocks[index + 1][0] if index + 1 < len(self.blocks) else None
        nested = following is not None and following.margin > lines[0].margin + MARGIN_STEP
        # ... or the list goes on in blocks of its own: the next item follows, or this one follows
        # an item read so ("1. Referral", "2. Assessment", "3. Review", a blank line between each)
        value = _single(starts.group(1))
        after = _numbered_paragraph(following.text.strip()) if following is not None else None
        goes_on = value is not None and after is not None and _single(after.group(1)) == value + 1
        # ... or it is the next of the items of the list last read ("4. Back to 1." after "3. Create
        # a new commit" and its bullets), unless it is the next of the headings too ("4. Next steps"
        # under "3. Roles" and its list of three)
        next_item = (
            value is not None
            and self.builder.next_item(starts.group(1))
            and str(value - 1) not in (*self.builder.open_headings, self.builder.last_heading)
        )
        item = (nested or goes_on or next_item or self._in_list == index - 1) and self.builder.takes_as_item(
            starts.group(1), starts.group(2)
        )
        if item:
            self._in_list = index
        return item

    def _over_a_list(self, index: int, lines: list[Line]) -> bool:
        """Whether a short numbered block of plain text has a bulleted list indented under it
        ("1. Warning" over "     * Event: ..."): a numbered paragraph whose items follow, as
        Markdown reads it, not a numbered heading, whose text starts at the margin. (In a PDF a
        heading's text may well be indented from its number, so only plain text is read so.) Asked
        only of a block whose first line opens with a printed number."""
        following = self.blocks[index + 1][0] if index + 1 < len(self.blocks) else None
        return (
            lines[0].size is None
            and following is not None
            and LIST_ITEM.match(following.text) is not None
            and following.margin > lines[0].margin + MARGIN_STEP
        )

    def _subtitle(self, index: int) -> bool:
        """The block right under a PDF's title, in type of a size that nothing else in the document
        uses: a subtitle, part of the title (text files have it in the title's own block)."""
        if index != 1 or not self.builder.has_title:
            return False
        size = self.blocks[1][0].size
        return size is not None and size >= LARGER and self.block_sizes[round(size, 2)] == 1

    def _wrapped_heading(self, index: int, lines: list[Line]) -> bool:
        """Whether a block of two or three lines (more in capitals, `_wrapped_capitals`, or in a
        question set apart as a heading, `ASKED_LINES`) can be one heading wrapped over them: same
        type, no line but the last ends like a sentence (in a question, `_ends_sentence`; nor a
        comma in a number's bracket) or is a list item, and the first line is full (a heading wraps
        because it is long; two short lines are a table's rows or an address)."""
        asked = index in self.asked
        if (len(lines) > 3 and not (asked or _wrapped_capitals(lines))) or len({line.size for line in lines}) != 1:
            return False  # (most blocks of several lines are paragraphs, told so here)
        joined = " ".join(line.text.strip() for line in lines)
        question, numbered = joined.endswith("?"), NUMBERED.match(joined)
        # "0.48.0 (September 13," + "2025)": a comma inside a number's bracket ends no sentence
        bracketed = released(joined)
        if LIST_ITEM.match(lines[-1].text) or any(
            LIST_ITEM.match(line.text)
            or (not bracketed and _ends_sentence(line.text.strip(), question, after.text.strip(), numbered is not None))
            for line, after in zip(lines, lines[1:], strict=False)
        ):
            return False
        size = lines[0].size or 1.0
        return (
            size >= LARGER
            or len(lines[0].text.strip()) * size >= FULL_LINE * self.line_width
            or bool(NUMBERED_HEADING.match(joined))
            or bracketed
            or title_case(joined)
            # "Welcoming first-time" + "contributors": a line that goes on in lower case continues
            # the one above, as a table's rows or an address's lines do not
            or all(line.text.strip()[:1].islower() for line in lines[1:])
            # "How would I set up" + "JupyterHub on" + "institutional hardware?" where questions are
            # headings (`questions_set_apart`)
            or (asked and joined.endswith("?") and self._narrow(lines))
        )

    def _shown_lines(self, index: int, lines: list[Line]) -> int:
        """How many lines a block counts as for the heading test: a question set apart as a heading
        (`_questions_set_apart`) wrapped over more than three lines at its narrow measure counts as
        three, the most a heading wraps over."""
        return min(len(lines), 3) if index in self.asked else len(lines)

    def _shape(self, index: int, lines: list[Line]) -> _Shape:
        """What `not_a_heading` is told of a block, and its `Evidence` too, worked out once for both:
        its text (its lines joined), how many lines it counts as (`_shown_lines`), its type size, and
        whether it is bold throughout."""
        if len(lines) == 1:  # most blocks, read without a join or a median
            line = lines[0]
            return line.text.strip(), 1, line.size, bool(line.bold)
        return (
            " ".join(line.text.strip() for line in lines),
            self._shown_lines(index, lines),
            _size(lines),
            all(line.bold for line in lines),
        )

    def _evidence(self, index: int, lines: list[Line], shape: _Shape) -> Evidence:
        text, shown, size, bold = shape
        following = self.blocks[index + 1][0].text.strip() if index + 1 < len(self.blocks) else ""
        next_number = _numbered_paragraph(following)
        if (
            next_number is None
            and size is not None
            and text.startswith("1. ")
            and self.builder.last_number not in (None, "1")
            and following
            and following[0] in BULLETS
        ):
            # in a PDF, after numbered paragraphs ("20. ..."), "1. Warning" in the body's type over
            # bullets, then "2. Temporary suspension" over its own: a numbered list among the
            # paragraphs, each item over a list nested under it, as HTML and Word mark them up,
            # whose numbers go on past the bullets (the next items follow it as `looks_like_heading`
            # reads "2." after "1.", and only in the body's plain type). Not numbered headings opening a
            # document's numbering ("1 Scope" over bullets, "2 Definitions" over text).
            next_number = self._number_after_bullets(index)
        return Evidence(
            text,
            lines=shown,
            size=size,
            bold=bold,
            next_number=next_number.group(1) if next_number else None,
            in_chapter=self.builder.in_chapter,
            size_rank=self.size_rank.get(round(size, 2)) if size is not None else None,
            previous_number=self.builder.last_number,
            typed=self.typed,
            asked=index in self.asked and self._narrow(lines),
            open_headings=self.builder.open_headings,
            last_heading=self.builder.last_heading,
            labelled=index > 0 and _label(self.blocks[index - 1]),
            # only a question or an exclamation asks what comes next (a look ahead for every block
            # costs segmenting time)
            next_numbered=self._next_numbered(index) if text.endswith(("?", "!")) else None,
        )

    def _attribution(self, index: int, lines: list[Line]) -> bool:
        """Whether a block is one line led by an en or em dash and a capital ("– Joey Hess", a
        signature under a paragraph; "— Ofsted, 2024", a quotation's source), set no further in
        than the block above (not a nested list's item), which neither leads in to a list (ending
        in a colon, a semicolon, a comma, a hyphen or a word, mid-sentence) nor ends with a list's
        item (a list of dashes or a dialogue going on), with no dash-led block after it: a
        paragraph of its own, as HTML and Word keep it, not a list of one item joined to the
        paragraph above."""
        led = ATTRIBUTION.match(lines[0].text.strip()) if len(lines) == 1 and index > 0 else None
        if led is None or not led.group(1).isupper():
            return False  # (in lower case, an item or an aside: "– this includes babies")
        above = self.blocks[index - 1]
        if lines[0].margin > above[0].margin + MARGIN_STEP or LIST_ITEM.match(above[-1].text):
            return False
        following = self.blocks[index + 1][0].text.strip() if index + 1 < len(self.blocks) else ""
        ended = above[-1].text.rstrip()[-1:]
        leads_in = not ended or ended in ":;,-" or ended.isalpha()
        return not leads_in and not (following and following[0] in DASHES)

    def _number_after_bullets(self, index: int) -> re.Match[str] | None:
        """The match of the printed number that opens the first block after the bulleted items
        that follow block ``index`` (within `NEXT_NUMBERED` blocks), if any."""
        for block in self.blocks[index + 1 : index + 1 + NEXT_NUMBERED]:
            text = block[0].text.strip()
            if not text or text[0] not in BULLETS:
                return _numbered_paragraph(text)
        return None

    def _next_numbered(self, index: int) -> tuple[str, str] | None:
        """The number and text of the first block after ``index`` that starts with a printed number
        (a question's list goes on, or a review's numbered paragraphs), within `NEXT_NUMBERED`
        blocks."""
        for block in self.blocks[index + 1 : index + 1 + NEXT_NUMBERED]:
            found = _numbered_paragraph(block[0].text.strip())
            if found:
                return found.group(1), " ".join(line.text.strip() for line in block)
        return None

    def _heading(self, index: int, lines: list[Line]) -> int:
        """If ``lines`` starts with a heading, record it and return how many lines it used (0: it
        does not). A chapter line is tried first, on its own, since it may open a block of text;
        failing that, the whole block as one heading."""
        found = self._chapter_heading(index, lines) or self._block_heading(index, lines)
        if found is None:
            return 0
        heading, used = found
        size = _size(lines[:used])  # None in plain text, which has no type to rank
        # a heading whose level its type size, number or words give; under it, a heading in the
        # body's size (in bold, in capitals) heads a section, as a paragraph all in bold does under
        # the last heading marked up in HTML or Word (`BoldParagraphs`); before any, a cover's
        # title set large aside, it stays a section of its own, as a glossary does
        ranked = size is not None and (size >= LARGER or ranked_by_words(heading))
        if size is not None and not ranked:
            heading = nested(heading, self.larger_level)
        level = self.builder.add(heading, lines[0].page).level
        if ranked:
            self.larger_level = level
        return used

    def _chapter_heading(self, index: int, lines: list[Line]) -> tuple[Heading, int] | None:
        """A chapter heading on the block's first line ("Chapter 2: ..."), and the lines it uses.
        Only that line is judged, as a chapter line may open a block that goes on with text. A
        chapter line with no title of its own ("Chapter 2") takes the next line as its title when
        that line is short: printed editions set the title on a line of its own under the number."""
        first = lines[0].text.strip()
        if not (CHAPTER.match(first) and _short(first)):
            return None
        heading = decide(self._evidence(index, lines[:1], self._shape(index, lines[:1])))
        if heading is None:
            return None
        if not heading.title and len(lines) > 1 and _short(lines[1].text):
            return Heading(lines[1].text.strip(), heading.level, heading.number, heading.kind), 2
        return heading, 1

    def _block_heading(self, index: int, lines: list[Line]) -> tuple[Heading, int] | None:
        """The whole block as one heading, and its line count: a single line, or two or three
        lines of one heading wrapped (`_wrapped_heading`). Any other block of several lines is
        text, whatever its type, so a paragraph in bold is never taken for a heading."""
        if len(lines) > 1 and not self._wrapped_heading(index, lines):
            return None
        shape = self._shape(index, lines)
        if not_a_heading(*shape):
            return None  # what `decide` would say, without the rest of the evidence
        heading = decide(self._evidence(index, lines, shape))
        return None if heading is None else (heading, len(lines))
