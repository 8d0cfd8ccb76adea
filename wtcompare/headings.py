"""The one rule that decides what is a heading, and at what level, for every format.

Loaders differ only in the evidence they have about a block of text: markup (an HTML ``h2``, a
Word "Heading 2" style, a Markdown ``##``), type (a PDF line's font size and weight), and the
shape of the lines (a short line on its own, a number in front, capitals). Each loader fills in an
`Evidence` and calls `decide`, so the same words become the same heading whether they came from a
text file, a PDF, an HTML page or a Word document:

* a chapter, part, annex, appendix or schedule heading ("Chapter 3: Roles", "CHAPTER THREE",
  "Annex A", "APPENDIX 2 - Glossary") is a level-1 heading of that kind;
* a numbered heading ("2.1 Health", "4. Scope.", "4 SCOPE") takes the depth of its number as its
  level (markup can only make it deeper); a trailing full stop does not stop it being a heading;
* an unnumbered heading takes its markup level; without markup (text, PDF) it is level 2 inside a
  chapter and level 1 otherwise, or its rank among the PDF's heading type sizes;
* without markup, a block is a heading only when it looks like one: short (at most `MAX_WORDS`
  words, `MAX_WRAPPED_WORDS` when it wraps over two or three lines), starting with a capital or a
  number, not ending like a sentence (a full stop is allowed after a number when the next block
  does not continue that number's sequence, which would make it a numbered paragraph), not a list
  item; in a PDF, larger type makes any block of up to `MAX_SIZED_WORDS` words a heading.

The document's title and subtitle are not headings: loaders recognise them from markup (an HTML
title ``h1``, Word's Title and Subtitle styles, a Markdown top heading) or, without markup, as the
short lines that open the document, and give them to the builder as the title.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from .text import ITEM_MARKER

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
}
ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
KINDS = ("chapter", "part", "annex", "appendix", "schedule")
CHAPTER = re.compile(
    r"^(chapter|part|annex|appendix|schedule)\s+([0-9]+|[a-z]|[ivxlc]+|" + "|".join(NUMBER_WORDS) + r")\b"
    r"\s*(?:[:.\-\u2013\u2014]\s*)?(.*)$",
    re.I,
)
# "2.1 Title", "4. Title", "4 TITLE": a number of up to three levels, then the title.
NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.:;?!,\u201d\"')\]]$")
# the endings of `SENTENCE_END` after which no test of `looks_like_heading` makes a block a heading
# (a full stop or an exclamation mark may end a numbered title, a question mark a question, a
# bracket a call or a title's parenthesis)
LEAD_IN_END = ":;,\u201d\"']"
LIST_START = re.compile(r"^(?:" + ITEM_MARKER + r")\s")
DASH_LED = re.compile(r"^(?:--|[\u2013\u2014])\s")  # a line led by a dash and a space
OPTION = re.compile(r"^--?[^\W\d_]")  # "-DCYTHON_CLINE_IN_TRACEBACK=0", "--non-interactive": a command's option
# compiled once: the tests below run on nearly every block of a plain-text or PDF edition
FIRST_ALNUM = re.compile(r"[^\W_]")  # "... Data Classes?", "(a) Scope": the first letter or digit
LETTER = re.compile(r"[^\W\d_]")
FIGURE = re.compile(r"\s(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?%)$")  # "2,345", "18.5%" at the end
CALL = re.compile(r"\w\(\)$")  # "Image getdata()": a name of code, not a sentence closing its bracket
GLUED = re.compile(r"\w\([a-z]{1,4}\)$")  # "Summer of Code(s)", "Child(ren)": a word's ending in brackets
# "HOW DO I...", "How do I...": a title that its questions go on (three dots after a letter, not a
# contents line's dot leaders)
ELLIPSIS = re.compile(r"[^\W\d_](?:\.\.\.|\u2026)$")
QUESTION_STEM = re.compile(r"(?:how|what|why|when|where|who|which|if)\b", re.I)
CAMEL = re.compile(r"[a-z]+[A-Z]")  # "macOS", "iPhone": a name whose capital is not its first letter
# A label that a note or a warning stands under, alone on its line ("Note", "Warning", "Attention"):
# in plain text the label of a paragraph, as the other formats show it, not a section of its own
# (so in four of the bench's real texts; a section titled "Important" alone is read as a label too)
ADMONITIONS = {"Note", "NOTE", "Warning", "WARNING", "Caution", "CAUTION", "Important", "IMPORTANT", "Tip", "TIP"}
ADMONITIONS |= {"Hint", "HINT", "Attention", "ATTENTION", "Danger", "DANGER"}
WORD = re.compile(r"[\w']+")  # "align8to32" is one word, not "align" and "to"
TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
STOP_THEN_SPACE = re.compile(r"[.;:]\s")
ASKED_AFTER_STOP = re.compile(r"\.\s[A-Z][^.?!]*\?\Z")  # a stop, then one question to the end
LABEL_COLON = re.compile(r"\w:\s")
# a label that numbers the parts of a procedure or a document: "Step 1: ", "Stage 2: ", "Part B: "
# (not "Table 2: " or "Note 1: ", captions and notes)
STEP_LABEL = re.compile(r"(?:Step|Stage|Phase|Part) (?:\d{1,3}|[A-Z])\s?:\s")
INNER_PUNCTUATION = re.compile(r"[,;:]")
QUOTES = re.compile("[\"'\u2018\u2019\u201c\u201d]")
MAX_WORDS = 12
MAX_WRAPPED_WORDS = 20
MAX_SIZED_WORDS = 30
MAX_FULL_STOP_WORDS = 6  # a numbered heading ending in a full stop is a short title ("4. Scope.")
MAX_CAPITAL_LINES = 6  # a title in capitals at a narrow measure may wrap over this many lines
LARGER = 1.15  # PDF type at least this much larger than the body text is heading type
BODY_TYPE = 1.05  # PDF type less than this much larger than the body text, and not bold, is the body's own
# A single line in bold at least this much larger than the body text is set as a heading may be,
# one size up from 10 or 14 points as word processors and browsers set their lesser headings (11 on
# 10, 14.66 on 14): it may open in lower case ("pyroute2") or close with a short parenthesis
# ("Operators/Operations (ops)", "Step 3 (by day 10)"), though not with a year or a list ("Figure
# 2: ... (2019 to 2020)", "Jane Smith (Chair, ...)"), and a quotation or a sentence in brackets is
# not one; an annex, appendix, chapter or part heading may close with a year too ("Annex C
# (revised 2018)")
BOLD_LARGER = 1.03
PARENTHESIS = re.compile(r"\([^(),]{1,30}\)$")
SHORT_PARENTHESIS = re.compile(r"\((?![^)]*\d{4})[^(),]{1,30}\)$")
QUOTED = re.compile(r"^[\"'\u2018\u201c(\[]")
# a release's number and only its date in a bracket after it: "1.10.0 (October 24, 2026)" (a number
# of three parts or more, and a date with its year and nothing else: not "999 (emergencies)", "16.
# (Repealed)", "2.3.1 (new in April 2024)", "2.3.1 (as amended, 2024)"); the number may be a
# pre-release's ("0.13.0.dev2 (May 12th, 2020)", "2.0.0-rc.1 (1 March 2024)")
RELEASE = re.compile(
    r"(\d+\.\d+\.\d+(?:\.\d+)*)(?:[.\-]?(?:dev|alpha|beta|a|b|rc|pre|post)\.?\d*)?\.?\s+(\(.*\)|[-\u2013\u2014]\s+.*)",
    re.I,
)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
DATE_BRACKET = re.compile(
    r"\((?=[^()]*\b\d{4}\b)(?:" + MONTH + "|" + WEEKDAY + r"|\d{1,4}(?:st|nd|rd|th)?|[\s,/\-])+\)", re.I
)
DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})")  # "01.04.2024": a date, not a version
# a date in ISO form after a dash: "4.12.0 - 2026-04-20" (a release's; not "2.3.1 - 01/04/2024" or
# "2.1.1 - 2025", a list of amended or audited paragraphs, a plan's lines)
ISO = r"\d{4}-\d{2}-\d{2}"
ISO_AFTER_DASH = re.compile(r"[-\u2013\u2014]\s+" + ISO)
ISO_DATE = re.compile(r"\b" + ISO + r"\b")


def chapter_number(token: str) -> str:
    """The number of a chapter token: "3", "three", "III" all give "3"; a letter stays a letter."""
    low = token.lower()
    if low.isdigit():
        return str(int(low))
    if low in NUMBER_WORDS:
        return str(NUMBER_WORDS[low])
    if ROMAN.match(low):
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total = 0
        for a, b in zip(low, low[1:] + " ", strict=True):  # each numeral and the one after it
            total += -values[a] if values.get(b, 0) > values[a] else values[a]
        return str(total)
    return low


class Evidence(NamedTuple):
    """What a loader knows about a block that may be a heading. (A named tuple, not a frozen
    dataclass: the segmenter makes one for each of thousands of short blocks of an edition, and a
    frozen dataclass takes several times as long to make.)

    ``markup`` is the level its markup gives, counted from the document's top heading level (1);
    None when the format has no markup for headings (text, PDF). ``lines`` is how many source lines
    the block spans; ``size`` its type size relative to the body text (PDF; None elsewhere);
    ``bold`` whether it is set in bold throughout; ``next_number`` the printed number that starts
    the following block, if any; ``in_chapter`` whether a chapter heading came before it;
    ``size_rank`` the rank of its type size among the document's heading sizes (PDF: 1 largest);
    ``previous_number`` the printed number of the last numbered paragraph before it; ``typed``
    whether the document sets its lesser headings in type of their own (a PDF with short blocks in
    bold: there, a block in the body's plain type, `BODY_TYPE`, is not an unnumbered heading unless
    it is in capitals, whatever its shape); ``asked`` whether the document sets its questions apart
    as headings in its text's own type, and the block is short enough to be one (plain text: see
    ``wtcompare.segment``); ``open_headings`` the numbers of the headings of the sections open
    before it, outermost first; ``labelled`` whether the block before it is an admonition's label
    alone on its line ("Note", `ADMONITIONS`), whose text it is; ``last_heading`` the number of the
    last numbered heading before it, open or not; ``next_numbered`` (for a question or an exclamation)
    the number and text of the next block that starts with a printed number, past unnumbered ones."""

    text: str
    markup: int | None = None
    lines: int = 1
    size: float | None = None
    bold: bool = False
    next_number: str | None = None
    in_chapter: bool = False
    size_rank: int | None = None
    previous_number: str | None = None
    typed: bool = False
    asked: bool = False
    open_headings: tuple[str, ...] = ()
    last_heading: str | None = None
    labelled: bool = False
    next_numbered: tuple[str, str] | None = None


@dataclass(frozen=True)
class Heading:
    """A decided heading: its title as printed (without chapter word or number), level, number
    (None when unnumbered) and kind (``chapter``, ``part``, ``annex``, ``appendix``, ``schedule``
    for such level-1 headings, else ``section``)."""

    title: str
    level: int
    number: str | None = None
    kind: str = "section"


def _words(text: str) -> int:
    return len(text.split())


def _follows(number: str, candidate: str | None) -> bool:
    """Whether ``candidate`` is the next number after ``number`` in the same sequence (4 then 5,
    1.3 then 1.4): what a numbered paragraph, not a heading, is followed by."""
    if not candidate:
        return False
    head, _, tail = number.rpartition(".")
    chead, _, ctail = candidate.rpartition(".")
    return head == chead and tail.isdigit() and ctail.isdigit() and int(ctail) == int(tail) + 1


def _next_heading(evidence: Evidence, number: str) -> bool:
    """Whether ``number`` is the next of the document's numbered headings: the next after an open
    one ("1.2" under "1.1"), or the first of the next chapter's after the last ("4.1" after "3.2",
    under a chapter heading with no number)."""
    if any(_follows(n, number) for n in evidence.open_headings):
        return True
    last = evidence.last_heading
    head, _, tail = last.rpartition(".") if last else ("", "", "")
    return head.isdigit() and tail.isdigit() and number == f"{int(head) + 1}.1"


def _same_sequence(number: str, previous: str | None) -> bool:
    """Whether ``number`` is of the sequence of the numbered paragraph before it (4.8 after 4.6,
    12 after 9): the same depth and the same prefix."""
    if not previous:
        return False
    return number.count(".") == previous.count(".") and number.rpartition(".")[0] == previous.rpartition(".")[0]


def released(text: str) -> bool:
    """Whether a block is a release's heading: a version of three parts or more, perhaps a
    pre-release's, and only a date in a bracket or after a dash ("1.10.0 (October 24, 2026)",
    "0.13.0.dev2 (May 12th, 2020)", "4.12.0 - 2026-04-20"); not a date written with full stops
    ("01.04.2024 - 2027-03-31", a plan's period)."""
    release = RELEASE.fullmatch(text)
    return (
        release is not None
        and not DOTTED_DATE.fullmatch(release.group(1))
        and (
            DATE_BRACKET.fullmatch(release.group(2)) is not None
            or ISO_AFTER_DASH.fullmatch(release.group(2)) is not None
        )
    )


def set_apart(text: str, lines: int, size: float | None, bold: bool) -> bool:
    """Whether a block is one line in bold type a size up from the body's (`BOLD_LARGER`), not a
    quotation or a sentence in brackets: a heading's type, where a heading may open in lower case
    or close with a short parenthesis."""
    return bold and lines == 1 and size is not None and size >= BOLD_LARGER and not QUOTED.match(text)


# asked twice in a row of a block without markup: by a loader before it gathers the rest of the
# evidence, then by `looks_like_heading`
@functools.lru_cache(maxsize=1)
def not_a_heading(text: str, lines: int, size: float | None, bold: bool = False) -> bool:
    """Whether a block with no heading markup, of ``text`` (stripped) over ``lines`` lines in type
    of ``size`` (relative to the body text), bold throughout or not, is no heading whatever else it
    is: empty, a list item, a command's option, a line led by a dash in the body's type and not
    framed by dashes (a signature), without a letter or digit (in the body's type, without a
    letter), too long, ending as a sentence or a lead-in does where nothing makes it a
    heading all the same (`LEAD_IN_END`), or in body type and opening in lower case. The first tests of
    `looks_like_heading`, which a loader can make before it gathers the rest of the evidence (most
    blocks are paragraphs that fail them)."""
    # counted no further than one past the most words a test below allows: a paragraph's words are many
    words = len(text.split(maxsplit=MAX_SIZED_WORDS + 1))
    sized = size is not None and size >= LARGER
    if (
        not sized
        and lines <= 3
        and words > (MAX_WORDS if lines == 1 else MAX_WRAPPED_WORDS)
        # a question on a line set apart in a heading's bold, a size up, may be as long as a heading
        # wrapped over lines ("How do I know what to call the changelog file before I create the
        # PR?", a PDF's lesser heading); a statement that long there is a callout or a caption
        and not (words <= MAX_WRAPPED_WORDS and text.endswith("?") and set_apart(text, lines, size, bold))
    ):
        return True  # too long in the body's type (most blocks, paragraphs: told so first)
    first = FIRST_ALNUM.search(text)
    if not text or LIST_START.match(text) or not first:
        return True
    if DASH_LED.match(text) and not sized and not bold and text[-1] not in "-\u2013\u2014":
        # "-- Joey Hess", "– a young person, aged 15" in the body's type: a signature or a
        # source, not a title (a title framed by dashes, "-- Local arrangements --", may be one)
        return True
    if OPTION.match(text) and not text.endswith("-") and not sized:
        # no title in the body's type opens with a hyphen glued to a word, as an option does (a
        # title framed by hyphens, "-Deficits-", may)
        return True
    if sized:
        return words > MAX_SIZED_WORDS  # heading type says it, whatever the case of its first letter
    if not LETTER.search(text):
        # "12.1.0", "2024" standing alone in the body's type: a number, not a title; but a release
        # and its date in figures ("4.12.0 - 2026-04-20", "4.12.0 (2026-04-20)") head its changes
        return not (released(text) and ISO_DATE.search(text) is not None)
    if lines > 3 and size is None and text.isupper() and text[-1] not in ".:;?!,":
        # a title in capitals wrapped over as many lines as a narrow measure takes ("USING
        # SYS.EXECUTABLE TO" + "SPAWN SUBPROCESSES THAT" + ...), not an address or a helpline's
        # numbers (the segmenter checks that each line is as full as it can be)
        return lines > MAX_CAPITAL_LINES or words > MAX_WRAPPED_WORDS
    if lines > 3:
        return True  # no heading wraps over more lines (but a title in capitals, above)
    if text[-1] in LEAD_IN_END or (text[-1] in ".!" and not text.endswith("...") and not NUMBERED.match(text)):
        # `looks_like_heading`'s last test, made here where no test before it can make a heading
        # of the block: it ends as a sentence, a lead-in or a quotation does, and not as a numbered
        # title ("4. Scope.", "1.2 Get the source!") or a title its questions complete ("HOW DO
        # I...") may (most short blocks that are no headings, told so before their evidence is gathered)
        return True
    # a name whose capital is not its first letter opens a title in plain text ("macOS", "eSafety
    # and Online Harm"), not a sentence ("iPads are issued to every social worker")
    camel = (
        size is None
        and CAMEL.match(text, first.start()) is not None
        and (words == 1 or title_case(text[first.start()].upper() + text[first.start() + 1 :]))
    )
    opens = first.group().isupper() or first.group().isdigit() or camel or set_apart(text, lines, size, bold)
    return not opens


def looks_like_heading(evidence: Evidence) -> bool:
    """The shape test for a block with no heading markup (text and PDF): see the module docstring."""
    text = evidence.text.strip()
    if not_a_heading(text, evidence.lines, evidence.size, evidence.bold):
        return False
    if evidence.size is not None and evidence.size >= LARGER:
        return True
    first = FIRST_ALNUM.search(text)
    assert first is not None  # not_a_heading said so
    if CHAPTER.match(text):
        # "Chapter 2: Working with families" and the like; "Annex A (optional)" in a heading's bold
        return not SENTENCE_END.search(text) or bool(
            PARENTHESIS.search(text) and set_apart(text, evidence.lines, evidence.size, evidence.bold)
        )
    numbered = NUMBERED.match(text)
    plain = not evidence.bold and (evidence.size or 1.0) < BODY_TYPE  # the body's own type, or no type known
    if evidence.size is None and (
        text in ADMONITIONS or (evidence.labelled and evidence.lines > 1 and not title_case(text) and not numbered)
    ):
        # a note's label alone on its line is a paragraph's label, as the other formats show it, and
        # a sentence wrapped over lines under it the note's text ("Note" + "The most recent release
        # can use FFmpeg versions" + "4.X, 5.X, 6.X, and 7.X"), not a heading; a line standing alone
        # there ("Warning" + "References will break tables"), or a title in title case, capitals or
        # numbered wrapped over lines, may be the note's title
        return False
    capitals = text.isupper() and not any(c.isdigit() for c in text)  # "SEE ALSO", not "NSPCC 0808 800 5000"
    if evidence.typed and plain and not numbered and not capitals:
        return False  # a short line in the body's plain type ("Note", "Unix/macOS") where headings have their own
    if (
        numbered
        and plain
        and (
            _follows(numbered.group(1), evidence.next_number)
            or (evidence.previous_number and _follows(evidence.previous_number, numbered.group(1)))
        )
    ):
        # "7. project" between paragraphs 6 and 8 continues their numbering: a numbered paragraph,
        # however short (a heading's number does not take its place in the paragraphs' sequence)
        return False
    last = WORD.findall(text)
    if len(last) >= 3 and last[-1].lower() in UNFINISHED and not numbered and not _clause_title(last):
        return False  # "To see this, the equivalent of": a sentence running on, not a title
    titled = title_case(text) and (_words(text) >= 2 or text.isupper())
    if text.endswith("?"):
        # "... DATA CLASSES?", "Why Not Tuples?" are headings; "Resolution?" standing alone in
        # the text is a sentence: without type to tell them apart, a question is a heading only
        # in capitals or title case, or in bold, set apart as a heading is ("How can I help?"; a
        # paragraph all in bold reads the same, but guidance sets its lesser headings so far oftener),
        # on one line, or two in bold a size up ("How does JupyterHub compare with hosted products,
        # such as" + "Google Colaboratory?"; in the body's size, a paragraph in bold); in a document
        # whose questions stand apart as headings (``asked``), any short question, wrapped as a
        # heading wraps
        lines = 2 if evidence.bold and (evidence.size or 1.0) >= BOLD_LARGER else 1
        # a question in capitals or title case is a heading wrapped as a heading wraps, in plain text
        # or numbered as a heading is, not as the paragraphs are ("1.1 ...rename my files /
        # according to a new path / format?")
        numbered_plain = (
            numbered is not None
            and evidence.size is None
            and not _same_sequence(numbered.group(1), evidence.previous_number)
        )
        lines = 3 if evidence.asked or (titled and evidence.size is None) or numbered_plain else lines
        # a number's own full stop is no stop of a question set as a heading is, in bold or in
        # capitals ("1. WHO CAN CONTRIBUTE TO SYNAPSE?"); in the body's type a numbered question
        # may as well be a numbered list's, its answer under it ("1. Is zlib Y2K-compliant?")
        title = numbered.group(2) if numbered is not None else None
        headed = title is not None and (evidence.bold or _capital_title(title))
        stops = STOP_THEN_SPACE.findall(title if title is not None and headed else text[first.start() :])
        # "1.9 I've never programmed before. Is there a Python tutorial?" numbered next after the
        # open heading "1.8 ..." and before the question "1.10 ...?": the next question of its
        # list, which may say one thing first ("3.2 No one agency had the whole picture. Why?" over
        # "3.3 The school did not know ...", or with no number after it, is a review's paragraph)
        after = evidence.next_numbered
        next_question = (
            numbered_plain
            and numbered is not None
            and bool(evidence.open_headings)
            and _follows(evidence.open_headings[-1], numbered.group(1))
            and stops == [". "]
            and ASKED_AFTER_STOP.search(text) is not None
            and after is not None
            and _follows(numbered.group(1), after[0])
            and after[1].endswith("?")
        )
        return (
            evidence.lines <= lines
            and (titled or evidence.bold or evidence.asked or numbered_plain)
            and (not stops or next_question)
        )
    # (in the tests below, what is known already comes before a pattern's search: most blocks fail it)
    if (text.isupper() or titled) and evidence.lines == 1 and ELLIPSIS.search(text) and QUESTION_STEM.match(text):
        return True  # "HOW DO I...": a title its questions complete
    if not (titled or numbered) and LABEL_COLON.search(text) and not STEP_LABEL.match(text):
        # "Issue: from __future__ import": a label and its text, not a title; a label that numbers
        # ("Step 1: Collect the list of changes", "Stage 2: ...") opens one
        return False
    if (
        numbered
        and text.endswith(" ...")
        and _words(numbered.group(2)) <= MAX_FULL_STOP_WORDS
        and not INNER_PUNCTUATION.search(numbered.group(2))
        and not QUOTES.search(numbered.group(2))
    ):
        # "5.2 No permissions to access ...": a short title cut short, numbered as a heading (not
        # a list's lead-in, "Signs ... include ...", nor a quotation broken off)
        return True
    exclaimed = numbered is not None and text.endswith("!")
    if exclaimed and numbered is not None and not _next_heading(evidence, numbered.group(1)):
        return False  # "3.1 Act now!": a command, unless it is the next of its headings ("1.2 Get the source!")
    if numbered and text.endswith((".", "!")) and not text.endswith(".."):
        # "4. Scope." and "1.2 Get the source!" are headings; "4. Staff must act." a numbered
        # paragraph: a heading is a short title; in plain text the next of the headings closing in
        # "!" may wrap and run longer, as they do, when the next numbered block goes on from it
        # and is no sentence ("4.1 My application" + "crashes!" over "4.2 My application crashes" +
        # "on MacOS-X!"; not "2.1 Act on it the same day!" over "2.2 Do not promise secrecy."), or
        # when it is the next under an open heading ("1.3 Never give lifts without agreement!" under
        # "1.2 Never meet a young person alone!")
        title = numbered.group(2)
        after = evidence.next_numbered
        goes_on = after is not None and _follows(numbered.group(1), after[0]) and not after[1].endswith(".")
        under = any(_follows(n, numbered.group(1)) for n in evidence.open_headings)
        wrapped = exclaimed and evidence.size is None and evidence.lines <= 3 and (goes_on or under)
        # in plain text a title in capitals may wrap and hold commas ("8. TEST, TEST, TEST!")
        capitals = evidence.size is None and evidence.lines <= 3 and _capital_title(title)
        return (
            (evidence.lines == 1 or wrapped or capitals)
            and (_words(title) <= 3 or title_case(title) or wrapped)
            and _words(title) <= MAX_FULL_STOP_WORDS
            and (capitals or not INNER_PUNCTUATION.search(title[:-1]))
        )
    if text.endswith(")") and "(" in text and text.isupper():
        # "CHANGES TO THE RESOLVER (2020)": a title in capitals and its own parenthesis (in title case
        # it may as well be a reference standing alone: "Keeping Children Safe in Education (2023)")
        return True
    if set_apart(text, evidence.lines, evidence.size, evidence.bold) and SHORT_PARENTHESIS.search(text):
        return True  # "Operators/Operations (ops)" in a heading's bold, one size up
    if released(text):
        return True  # "1.10.0 (October 24, 2026)": a release's heading, its version and its date
    if FIGURE.search(text) and not numbered:
        return False  # "Referrals 2,345", "Re-referrals 18.5%": a table's row, a label and its figure
    # "Summer of Code(s)", "JS major release(s)": read as the same words without the ending are
    return not SENTENCE_END.search(text) or bool(CALL.search(text) or GLUED.search(text))


UNFINISHED = {
    "of",
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "with",
    "by",
    "at",
    "from",
    "that",
    "which",
    "than",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "its",
    "their",
    "our",
    "your",
    "this",
    "these",
    "those",
    "such",
    # a lead-in to a list, not a title ("Local authorities should" + the duties listed under it)
    "should",
    "must",
    "shall",
    "will",
    "may",
    "can",
    "could",
    "would",
    "might",
}
CLAUSE_OPENERS = {"who", "what", "where", "when", "why", "how", "which"}
VERBS = {"is", "are", "was", "were", "be"}
SMALL_WORDS = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "in",
    "on",
    "for",
    "to",
    "with",
    "by",
    "at",
    "from",
    "as",
    "into",
    "about",
    "under",
    "over",
    "between",
    "through",
    "is",
    "are",
    "be",
    "not",
    "nor",
    "but",
    "via",
    "per",
}


def _clause_title(words: list[str]) -> bool:
    """A title that is a clause ending in its verb: "Who we are", "What early help is" (a sentence
    running on past a line's end stops on "is" or "are" too, but does not open with "who" or "what")."""
    return words[0].lower() in CLAUSE_OPENERS and words[-1].lower() in VERBS


def _capital_title(title: str) -> bool:
    """A title all in capitals: "GET THE SOURCE.", "TEST, TEST, TEST!"."""
    words = TITLE_WORD.findall(title)
    return bool(words) and all(w.isupper() for w in words)


def title_case(text: str) -> bool:
    """Every word capitalised but small ones ("Roles and Responsibilities"), or all capitals."""
    words = TITLE_WORD.findall(text)
    if not words:
        return False
    if all(w.isupper() for w in words if len(w) > 1):
        return True
    return all(w[0].isupper() or w.lower() in SMALL_WORDS for w in words) and words[0][0].isupper()


def decide(evidence: Evidence) -> Heading | None:
    """The heading a block is, or None when it is not a heading."""
    text = " ".join(evidence.text.split())
    if evidence.markup is None and not looks_like_heading(evidence):
        return None
    chapter = CHAPTER.match(text)
    if chapter:
        kind, number = chapter.group(1).lower(), chapter_number(chapter.group(2))
        return Heading(chapter.group(3).strip(), 1, number, kind)
    numbered = NUMBERED.match(text)
    if numbered:
        number = numbered.group(1)
        depth = number.count(".") + 1
        return Heading(numbered.group(2).strip(), max(evidence.markup or 1, depth), number)
    if evidence.markup is not None:
        return Heading(text, evidence.markup)
    if evidence.size_rank is not None:
        return Heading(text, max(evidence.size_rank, 2 if evidence.in_chapter else 1))
    return Heading(text, 2 if evidence.in_chapter else 1)


# titles of a document's end matter: a chapter's subsection by no type or position
END_MATTER = {
    "glossary",
    "references",
    "bibliography",
    "acknowledgements",
    "acknowledgments",
    "index",
    "further reading",
}


def ranked_by_words(heading: Heading) -> bool:
    """Whether a heading's own words give its level: a number, or a chapter's or an annex's word."""
    return heading.number is not None or heading.kind != "section"


def nested(heading: Heading, above: int) -> Heading:
    """An unnumbered heading in the body's type (a paragraph in bold, a PDF's line in bold) as a
    section of the heading at level ``above`` (0: none, and the heading stays as it is); an end
    matter title ("Glossary") is a section of its own, not the last chapter's."""
    if not above or heading.title.lower() in END_MATTER:
        return heading
    return Heading(heading.title, above + 1)


class BoldParagraphs:
    """Paragraphs set wholly in bold in a format that marks its headings up (HTML, Word,
    Markdown), read as the PDF of the same page reads them. A PDF cannot tell such a paragraph
    from a heading set in bold in the body's size, and reads it by its shape (`looks_like_heading`):
    a short title in bold is a heading there, so it is one here too, or the same page would have
    different sections in each format ("**Method 1: Class Attribute**", a definition's term in
    bold); a sentence or a warning in bold is a paragraph in both.

    Not a heading even so: an admonition's label ("**Note**"), a numbered paragraph that continues
    the paragraphs' numbering ("**6. Record every decision**" after paragraph 5), and, in a
    document that marks headings up, a paragraph in bold before the first of them (a cover's
    "Published March 2031", "Statutory guidance for local partners") unless it is a chapter's or
    an annex's. An unnumbered heading in bold heads a section one level below the last heading
    whose level its markup or its words give (`opened`), so that bold paragraphs one after another
    are sections side by side, as in the PDF; an end matter title ("Glossary") is a section of its
    own."""

    def __init__(self, headed: bool) -> None:
        self.headed = headed  # whether the document marks any heading up
        self.above = 0  # the level of the last heading whose level its markup or its words give

    def opened(self, heading: Heading, level: int, marked: bool) -> None:
        """A heading was added at ``level``: ``marked`` up, or read from a paragraph in bold."""
        if marked or ranked_by_words(heading):
            self.above = level

    def heading(self, text: str, previous_number: str | None) -> Heading | None:
        """The heading a paragraph all in bold is, or None; ``previous_number`` is the printed
        number of the last numbered paragraph before it."""
        text = " ".join(text.split())
        if text.rstrip(":") in ADMONITIONS:
            return None
        numbered = NUMBERED.match(text)
        if numbered and previous_number and _follows(previous_number, numbered.group(1)):
            return None
        heading = decide(Evidence(text, size=1.0, bold=True))
        if heading is None or ranked_by_words(heading):
            return heading  # a numbered or chapter heading takes the level its number or word gives
        if self.headed and not self.above:
            return None
        return nested(heading, self.above)


def is_chapter_heading(text: str) -> bool:
    """Whether ``text`` names a chapter, part, annex, appendix or schedule."""
    return bool(CHAPTER.match(" ".join(text.split())))
