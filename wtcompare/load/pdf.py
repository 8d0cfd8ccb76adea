"""PDF loader: text layer by pypdfium2 (OCR by Tesseract for scanned pages), with page labels.

pypdfium2 was chosen over pdfminer.six because it is far faster (see the README's figures) and
gives each character's position, size and font, which is all the layout work below needs. The
text of a page is pdfium's own (its spaces and line breaks, never one inserted at a text run), and
layout is read from type metrics:

* visual lines are pdfium's lines joined where they share a baseline (a superscript footnote
  marker raises a few characters; it becomes a reference to the note, not text);
* paragraph breaks come from the distance between baselines compared with the line spacing the
  type size implies, and from a change of type (heading size, bold), never from glyph boxes (a line
  with no ascenders or descenders must not open a gap);
* running headers and footers (lines repeated across pages at the top or bottom) and bare page
  numbers are dropped; small print at the foot of a page becomes footnotes; contents pages are
  skipped;
* two-column pages are read column by column; a page break joins a paragraph that runs on, and
  never joins a heading at the foot of a page to the text that follows it.

Each line keeps the printed page label (the physical page number when the PDF has no labels), so
every paragraph knows its page. Scanned pages read by Tesseract give lines with the same
measurements (word boxes from its TSV output), so footnotes and headings are found the same way.
"""

from __future__ import annotations

import bisect
import csv
import ctypes
import io
import re
import shutil
import statistics
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

from ..errors import WtcompareError, setting
from ..headings import BOLD_LARGER, CHAPTER, LARGER
from ..parallel import WorkerDied, allowance, capped
from ..segment import LIST_ITEM, NUMBERED_PARAGRAPH, Line, PageNote, note_ref
from ..text import BULLET_CHARACTERS

MAX_PAGES = 5000  # the longest edition (2010) has about 393
# Memory pdfium may take to read one PDF (bytes of address space). pdfium inflates each compressed
# stream whole, so a file of 2 MB can ask for gigabytes; reading the 2010 edition's 393 pages takes
# tens of megabytes, and a page rendered for OCR at most OCR_MAX_PIXELS four-byte pixels.
PDF_MEMORY = setting("WTCOMPARE_PDF_MEMORY", 2 * 1024**3, "bytes", least=1)
OCR_MAX_PIXELS = 200_000_000  # an A0 sheet at the OCR resolution is about 140 million
SYMBOL_BULLETS = "\u2022\u25e6\u2219\u2217\u00b7\u25aa\u2023"  # bullets a typesetter may take from a symbol font
MONO_NAMES = ("courier", "mono", "consol", "code", "cmtt", "cmsltt", "sftt", "txtt", "menlo", "monaco")
MARGIN = 0.08  # share of the page height at top and bottom where running headers and footers live
FOOT = 0.35  # footnotes live in the bottom share of the page
SMALL = 0.9  # type smaller than this share of the body's is small print (footnotes)
SUPERSCRIPT = 0.9  # a digit in smaller type than its line (at most this share), raised above it, is a note marker
PAGE_NUMBER = re.compile(r"^(page\s+)?([0-9]{1,4}|[ivxlc]{1,6})(\s+of\s+[0-9]+)?$", re.I)
TERMINAL = re.compile(r"[.:;?!\u201d\"')]$")
CONTENTS_LINE = re.compile(r"(\.{2,}|\s)\s*([0-9]{1,4}|[ivxlc]{1,6})$", re.I)
NOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")  # "1 The note", "1. The note"
BACKLINK = re.compile(r"\s*[\u21a9\u21aa\u2191\u21e7]\ufe0e?\s*$")  # the arrow an HTML note links back by
OCR_DPI = 300
# the commonest size is code's alone when this share of its characters is in fixed pitch (prose
# set at that size too, however little, says the code is in the body's size) ...
CODE_SIZE = 0.98
PROSE_SHARE = 0.2  # ... and the body is then the prose's size, if prose is at least this share of the text
GUTTER = 1.5  # a horizontal gap this many type sizes wide separates two lines on one baseline
DIGITS = re.compile(r"\d+")

# Layout is measured in type sizes (of the line at hand unless said), so the same rules read any
# size of type; the values are those of ordinary typesetting, with room for producers' rounding.
ASCENT = 0.75  # capitals and ascenders rise about three quarters of the size above the baseline
DESCENT = 0.25  # descenders drop the remaining quarter below it
SAME_SIZE = 0.5  # points: sizes this close are one size (producers round sizes differently)
NEW_BASELINE = 0.5  # a baseline this far from the line's first is another line (a raised marker moves less)
SAME_BASELINE = 0.6  # two runs' baselines this close are one visual line, a raised note marker included
RAISED = 0.2  # a digit whose origin is this far above the baseline is raised: a note marker
VISIBLE_GAP = 0.2  # a gap this wide between two runs of a line is a space (a word space is about 0.25)
SIDE_LETTERS = 3  # a gutter splits a line only with this many letters each side (not a hanging number)
EVEN_SPACES = 0.75  # a line's spaces all this share of its widest or wider: spread by justifying, no gutter
LEADING = 1.2  # baseline to baseline, when no text says otherwise: the usual 120% of the size
MAX_LEADING = 2.5  # a wider gap between two body lines is a paragraph break or space, not leading
PARAGRAPH_LEEWAY = 0.2  # a gap wider than the leading by more than this (and 1.5 points) opens a paragraph
MIN_LEEWAY = 1.5  # points: the leeway for small type, where 0.2 of the size is within rounding
RISING = 0.5  # a baseline that goes up by this much inside a column starts a new block (a side-by-side table)
SIZE_CHANGE = 0.15  # of the body size: type changing by more starts a new block (a heading, small print)
BOLD_SENTENCE_END = re.compile(r"[.?!][\"'\u2019\u201d)]*$")
SHORT_LAST_LINE = 4  # a last line ending this far short of its column's right edge ends its paragraph
WRAPPED_LINES = 5  # lines running on to their column's edge that are enough to measure the line spacing by
FULL_LINE = 0.5  # one ending this close to the edge fills the column (justified): the paragraph runs on
JUSTIFIED_LINES = 3  # body lines ending at a column's right edge that show it is justified
WIDE_LINE = 0.25  # of the page width: a line of running text in a column is wider (a table's cell is not)
SIDE_TEXT = 0.1  # of the page width: the narrower of two lines side by side is running text if wider
COLUMN_LEADING = 2.0  # line heights: a wider gap between two lines of a column ends the column
INSET_LEADING = 2.5  # line heights: the room a heading or code inside a column adds to that gap
INDENTED = 3  # type sizes: a column's head may start this far in from its edge (farther: centred or to the right)
MAX_HEADING_LINES = 5  # a heading beside the first lines of its text wraps over no more lines (in half a page)
EDGE_LINES = 8  # a column's rightmost line ends kept to find its right edge by (`_edge`)
EDGE_SUPPORT = 1.0  # type sizes: lines ending this close together show where the column wraps
EDGE_CLUSTER = 3  # ... so many of them (two short lines may end together by chance)
LONG_WORD = 20  # characters: a word this long may not fit a line (a link, a path) and run past the edge
CARRIED_OVER = 1.5  # a running line this close above the right column's head belongs to it (a sentence carried over)
REPEATED_PAGES = 3  # fewer pages than this cannot show a running header or footer by repetition
DEFAULT_BODY = 10.0  # points: the body size of a PDF with no text to measure
# A list bullet drawn as a shape (as a browser prints its disc markers):
BULLET_POINTS = (1.5, 8)  # points wide: a smaller shape is a speck or rule, a larger one a box or picture
BULLET_SQUARE = 0.25  # its width and height differ by at most this share: a disc or square, not a dash
BULLET_HEIGHT = (0.1, 0.7)  # its middle this far above the baseline of the line it marks: at x-height
BULLET_GAP = 2.5  # its right edge at most this far left of the line's text: the marker's own indent
BULLET_WIDTH = (0.15, 0.7)  # its width, in the line's type sizes: about half an em (a nested list's, a fifth)
# Tesseract's line box runs from the highest ascender to the lowest descender: about 1.2 times the
# type size, with the baseline about a fifth of the size up from its bottom
OCR_LINE_BOX = 1.2
OCR_BASELINE = 0.2


class Note(NamedTuple):
    """A footnote of a page: its label (``<page>:<number>``), its text, and the place of its first
    line among the lines it was read from."""

    label: str
    text: str
    line: int = 0


class _Box(NamedTuple):
    """A rectangle in PDF points (origin bottom left)."""

    left: float
    bottom: float
    right: float
    top: float


class _OcrBox(NamedTuple):
    """A box of Tesseract's TSV output, in pixels (origin top left)."""

    left: int
    top: int
    width: int
    height: int


@dataclass
class PdfLine:
    """A visual line: its text, horizontal extent and baseline in PDF points (origin bottom
    left), type size, whether bold, and the labels of footnotes it cites."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    bold: bool = False
    mono: bool = False  # set in a fixed-pitch font: code
    ends_bold_sentence: bool = False  # opens with the end of a sentence in bold: "rare. Referrals ..."
    column: int = 0  # 1 or 2 in the left or right column of a two-column stretch, else 0

    @property
    def top(self) -> float:
        return self.baseline + ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.baseline - DESCENT * self.size


@dataclass
class PageText:
    label: str
    width: float
    height: float
    lines: list[PdfLine]
    notes: list[Note] = field(default_factory=list)
    scanned: bool = False  # read by OCR

    def in_margin(self, line: PdfLine) -> bool:
        """Whether the line reaches into the top or bottom margin, where running headers and
        footers live."""
        return line.top > self.height * (1 - MARGIN) or line.bottom < self.height * MARGIN


def _open(data: bytes, name: str) -> Any:  # a pypdfium2 PdfDocument
    import pypdfium2 as pdfium

    if b"%%EOF" not in data[-2048:]:  # pdfium would quietly read what there is of a half download
        raise WtcompareError(
            f"{name}: not a readable PDF (truncated or corrupt: no end-of-file marker); download it again"
        )
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise WtcompareError(
                f"{name}: the PDF is encrypted (password-protected); save an unprotected copy"
            ) from None
        raise WtcompareError(f"{name}: not a readable PDF (truncated or corrupt: {exc})") from None


class _Chars:
    """The page's text, and character measurements from pdfium, asked for only where needed (a
    call each). Every index is one into ``text``."""

    def __init__(self, textpage: Any) -> None:  # a pypdfium2 PdfTextPage
        import pypdfium2.raw as raw

        self.raw, self.page = raw, textpage.raw
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._box = [ctypes.c_double() for _ in range(4)]
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self.text: str = textpage.get_text_range()
        # pdfium's own index of each character of the text, where the two differ: pdfium leaves
        # out of the text a glyph it cannot map to Unicode (an emoji in a font that does not say
        # what it is), and counts a character beyond U+FFFF as two. Taken as equal, every index
        # after such a glyph would point at the character before it, on every line to the end of
        # the page.
        self._index: list[int] | None = None
        if len(self.text) != textpage.count_chars():
            self._index, unit = [], 0
            for char in self.text:
                self._index.append(raw.FPDFText_GetCharIndexFromTextIndex(self.page, unit))
                unit += 2 if ord(char) > 0xFFFF else 1

    def _pdfium(self, index: int) -> int:
        return self._index[index] if self._index is not None else index

    def origin(self, index: int) -> tuple[float, float]:
        self.raw.FPDFText_GetCharOrigin(self.page, self._pdfium(index), self._x, self._y)
        return self._x.value, self._y.value

    def right(self, index: int) -> float:
        left, right, bottom, top = self._box
        self.raw.FPDFText_GetCharBox(self.page, self._pdfium(index), left, right, bottom, top)
        return right.value

    def size(self, index: int) -> float:
        return float(self.raw.FPDFText_GetFontSize(self.page, self._pdfium(index)))

    def boxes(self, start: int, count: int) -> list[_Box]:
        """pdfium's rectangles of the characters from ``start``, one for each run of text on a
        line."""
        first = self._pdfium(start)
        count = self._pdfium(start + count - 1) + 1 - first
        left, top, right, bottom = (ctypes.c_double() for _ in range(4))
        found = []
        for k in range(self.raw.FPDFText_CountRects(self.page, first, count)):
            self.raw.FPDFText_GetRect(self.page, k, left, top, right, bottom)
            found.append(_Box(left.value, bottom.value, right.value, top.value))
        return found

    def at(self, x: float, y: float) -> int:
        """The index of the character at (x, y) (negative: none there), or of the first one after
        it in the text."""
        index = self.raw.FPDFText_GetCharIndexAtPos(self.page, x, y, 1.0, 1.0)
        return bisect.bisect_left(self._index, index) if self._index is not None and index >= 0 else index

    def _font(self, index: int) -> tuple[str, int]:
        length = self.raw.FPDFText_GetFontInfo(self.page, self._pdfium(index), self._name, len(self._name), self._flags)
        return self._name.raw[: max(length - 1, 0)].decode("latin-1", "replace").lower(), self._flags.value

    def bold(self, index: int) -> bool:
        if self.raw.FPDFText_GetFontWeight(self.page, self._pdfium(index)) >= 600:
            return True
        name, _ = self._font(index)
        return "bold" in name or "black" in name or "heavy" in name

    def mono(self, index: int) -> bool:
        """Set in a fixed-pitch font: code. TeX's typewriter fonts (CMTT10, CMSLTT10, SFTT1000,
        TXTT) do not all say so in their flags: their names do."""
        name, flags = self._font(index)
        return bool(flags & 1) or any(w in name for w in MONO_NAMES)


@dataclass
class _Segment:
    """One of pdfium's lines: the text and the index of each of its characters."""

    text: str
    start: int
    first: int  # index of its first character that is not a space


def _segments(text: str) -> list[_Segment]:
    out: list[_Segment] = []
    start = 0
    for piece in re.split(r"(\r\n|\n|\r)", text):
        if piece in ("\r\n", "\n", "\r"):
            start += len(piece)
            continue
        stripped = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append(_Segment(piece, start, start + stripped))
        start += len(piece)
    return out


def _piece(segment: _Segment, start: int, end: int) -> _Segment | None:
    text = segment.text[start - segment.start : end - segment.start]
    return _Segment(text, start, start + len(text) - len(text.lstrip())) if text.strip() else None


def _split_lines(segments: list[_Segment], chars: _Chars) -> list[_Segment]:
    """pdfium's lines, each split where pdfium ran two visual lines together: where the baseline
    drops back by a line (it can miss the break after a line that ends in a word it could not
    map), and at a space it supplied across a gap as wide as a column gutter (two columns, or a
    table's cells, written line by line across the page)."""
    out: list[_Segment] = []
    for segment in segments:
        last = segment.start + len(segment.text.rstrip()) - 1
        _, first_y = chars.origin(segment.first)
        size = chars.size(segment.first)
        cuts = []
        if abs(chars.origin(last)[1] - first_y) > NEW_BASELINE * size:
            line_y, previous_x = first_y, -1.0
            for offset, char in enumerate(segment.text):
                index = segment.start + offset
                if char.isspace() or char.isdigit():
                    continue  # a space has no place of its own; a digit may be a raised note marker
                x, y = chars.origin(index)
                if abs(y - line_y) > NEW_BASELINE * size and x < previous_x:
                    cuts.append(index)
                    line_y = y
                previous_x = x
        # pdfium's rectangles of the line: a gap as wide as a gutter between two of them splits it,
        # where the text on each side has letters (a hanging paragraph number stays with its line)
        boxes = chars.boxes(segment.start, len(segment.text))
        even: bool | None = None  # whether the line's spaces are all of one width, asked once a gap asks
        for before, after in pairwise(boxes):
            if after.left - before.right > GUTTER * size:
                if even is None:
                    even = _even_spaces(segment, chars)
                if even:
                    break  # a justified line's words spread over its measure, not two columns
                index = chars.at(after.left + 0.5, (after.bottom + after.top) / 2)
                offset = index - segment.start
                if (
                    0 < offset < len(segment.text)
                    and sum(c.isalpha() for c in segment.text[:offset]) >= SIDE_LETTERS
                    and sum(c.isalpha() for c in segment.text[offset:]) >= SIDE_LETTERS
                ):
                    cuts.append(index)
        bounds = [segment.start] + sorted(set(cuts)) + [segment.start + len(segment.text)]
        out.extend(piece for piece in (_piece(segment, a, b) for a, b in pairwise(bounds)) if piece)
    return out


def _even_spaces(segment: _Segment, chars: _Chars) -> bool:
    """Whether every space between two words of a line is about as wide as the widest (two or
    more of them): a justified line whose few long words leave its spaces as wide as a gutter
    ("APT::Solver::NAME::Strict-Pinning      and      APT::Solver::NAME::Preferences"), where a
    gutter between two columns, or a table's cells, is wider than the words' spaces beside it."""
    text, widths = segment.text.rstrip(), []
    for offset in range(1, len(text) - 1):
        if text[offset] == " " and text[offset - 1] != " " and text[offset + 1] != " ":
            index = segment.start + offset
            widths.append(chars.origin(index + 1)[0] - chars.right(index - 1))
    return len(widths) >= 2 and min(widths) >= EVEN_SPACES * max(widths)


def _page_lines(textpage: Any, label: str) -> list[PdfLine]:  # textpage: a pypdfium2 PdfTextPage
    """The page's visual lines, superscript digits turned into note references."""
    chars = _Chars(textpage)
    # pdfium gives some hyphens as U+0002 or U+FFFE (a hyphen glyph it cannot map): they are hyphens
    text = chars.text.replace("\x02", "-").replace("\ufffe", "-")
    lines: list[PdfLine] = []
    for segment in _split_lines(_segments(text), chars):
        # the segment's type is read from its first character that is not a digit (which may be a
        # raised footnote marker); its size and baseline not from a list's bullet, which LaTeX sets
        # in a smaller symbol font ("•" at 8 points before a line of 10: read so, the item's next
        # line looked like larger type, a new block), but the bullet counts as the line's first
        # character for its bold and fixed pitch ("• group create" in code type is a list item)
        body = next(
            (segment.start + k for k, c in enumerate(segment.text) if not c.isspace() and not c.isdigit()),
            segment.first,
        )
        typed = next(
            (
                segment.start + k
                for k, c in enumerate(segment.text)
                if not c.isspace() and not c.isdigit() and c not in SYMBOL_BULLETS
            ),
            body,
        )
        baseline, size = chars.origin(typed)[1], chars.size(typed)
        content = _markers(segment, chars, baseline, size, label)
        last = segment.start + len(segment.text.rstrip()) - 1
        # code is set in fixed pitch throughout; an inline code word does not make a line code
        sample = {body, (body + last) // 2, last}
        mono = all(chars.mono(k) for k in sample if not segment.text[k - segment.start].isspace())
        # so is a heading's bold, sampled the same way: a line that opens with a bold word
        # ("experimental, but even ...") is body text (a note marker after a bold heading is not in
        # its type, so the last letter is sampled, not the last character)
        end = next((segment.start + k for k in range(len(segment.text) - 1, -1, -1) if segment.text[k].isalpha()), body)
        bold = all(
            chars.bold(k) for k in {body, (body + end) // 2, end} if not segment.text[k - segment.start].isspace()
        )
        line = PdfLine(content.strip(), chars.origin(segment.first)[0], chars.right(last), baseline, size, bold, mono)
        if not bold and chars.bold(body):
            line.ends_bold_sentence = _ends_bold_sentence(segment, chars, body)
        previous = lines[-1] if lines else None
        if previous and _lone_marker(line, previous):
            previous.text += note_ref(f"{label}:{line.text}")
            previous.right = line.right
        elif previous and _same_line(line, previous):
            gap = line.left - previous.right
            spaced = content[:1].isspace() or gap >= VISIBLE_GAP * previous.size  # pdfium's space, or a visible gap
            previous.text = previous.text + (" " if spaced and not previous.text.endswith(" ") else "") + line.text
            previous.right = line.right
            previous.bold = previous.bold and line.bold
        else:
            lines.append(line)
    return lines


def _ends_bold_sentence(segment: _Segment, chars: _Chars, start: int) -> bool:
    """Whether the bold words that open a segment (from ``start``) end a sentence and a new one
    begins in plain type: "**rare.** Referrals ..." goes on with a bold sentence from the line
    above; "**local authorities** must ...", "**i.e.** teachers ..." and "**pyroute2**. it ..." (the
    full stop plain) open with a bold term, as a paragraph after a heading may."""
    text, end = segment.text, segment.start + len(segment.text)
    plain = next((k for k in range(start, end) if not text[k - segment.start].isspace() and not chars.bold(k)), end)
    bold = text[start - segment.start : plain - segment.start].rstrip()
    return (
        BOLD_SENTENCE_END.search(bold) is not None and text[plain - segment.start : plain - segment.start + 1].isupper()
    )


def _lone_marker(line: PdfLine, previous: PdfLine) -> bool:
    """Whether ``line`` is a note marker that pdfium put on a line of its own: digits only, in
    smaller type, raised above the line before and starting where it ends."""
    return (
        line.text.isdigit()
        and line.size <= SUPERSCRIPT * previous.size
        and line.baseline > previous.baseline
        and line.left >= previous.right - 1
    )


def _same_line(line: PdfLine, previous: PdfLine) -> bool:
    """Whether ``line`` goes on the visual line of ``previous``: the same baseline, going on to the
    right, with no gap as wide as a column gutter or a table's cell spacing between them."""
    size = max(line.size, previous.size)
    return (
        abs(line.baseline - previous.baseline) <= SAME_BASELINE * size
        and previous.right - 1 <= line.left <= previous.right + GUTTER * size
    )


def _markers(segment: _Segment, chars: _Chars, baseline: float, size: float, label: str) -> str:
    """The segment's text with each superscript number (digits in smaller type, raised above the
    baseline) replaced by a reference to that footnote of the page."""

    def raised(index: int) -> bool:
        return chars.size(index) <= SUPERSCRIPT * size and chars.origin(index)[1] - baseline > RAISED * size

    out, position = [], 0
    for run in DIGITS.finditer(segment.text):
        # a marker is a raised end of a run of digits ("PEP 224" then the note "2" reads "2242")
        start, end = segment.start + run.start(), segment.start + run.end()
        if not raised(end - 1):
            continue
        while start < end - 1 and not raised(start):
            start += 1
        out.append(
            segment.text[position : start - segment.start]
            + note_ref(f"{label}:{segment.text[start - segment.start : run.end()]}")
        )
        position = run.end()
    return "".join(out) + segment.text[position:]


def _bullets(page: Any, lines: list[PdfLine]) -> None:  # page: a pypdfium2 PdfPage
    """List bullets drawn as shapes (a browser draws its disc markers so): a small round or square
    shape just left of a line, at its x-height, becomes a "•" at the start of that line."""
    import pypdfium2.raw as raw

    if not lines:
        return
    marks = []
    for shape in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        box = _Box(*shape.get_bounds())
        width, height = box.right - box.left, box.top - box.bottom
        if BULLET_POINTS[0] <= width <= BULLET_POINTS[1] and abs(width - height) <= BULLET_SQUARE * max(width, height):
            marks.append(box)
    for mark in marks:
        middle, width = (mark.bottom + mark.top) / 2, mark.right - mark.left
        for line in lines:
            size = line.size
            if (
                BULLET_HEIGHT[0] * size < middle - line.baseline < BULLET_HEIGHT[1] * size
                and 0 <= line.left - mark.right <= BULLET_GAP * size
                and BULLET_WIDTH[0] * size <= width <= BULLET_WIDTH[1] * size
            ):
                line.text = "• " + line.text
                line.left = (mark.left + mark.right) / 2
                line.mono = False  # a list item whose words are code ("• pip install"), not a code block
                break


def _has_image(page: Any) -> bool:  # page: a pypdfium2 PdfPage
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _columns(lines: list[PdfLine], width: float) -> tuple[list[PdfLine], bool]:
    """Lines in reading order, and whether the page seemed to have columns that could not be told
    apart (it is then read across, line by line). Where a page has two columns of running text
    (wide lines on each side of the middle, none crossing it), the left column is read before the
    right one; text above and below the columns stays in place. Tables (narrow cells) are not
    columns."""
    ordered = sorted(lines, key=lambda line: (-line.baseline, line.left))
    middle = width / 2

    def side(line: PdfLine) -> str | None:
        return "left" if line.right < middle + 2 else "right" if line.left > middle - 2 else None

    wide = [
        line
        for line in ordered
        if side(line) and line.right - line.left > WIDE_LINE * width and not line.bold and not line.mono
    ]
    if not wide:
        return ordered, _side_by_side(ordered, width)
    size = statistics.median(line.size for line in wide)

    def running(line: PdfLine) -> str | None:  # a line of a column's text type (not a heading or code), and its side
        return side(line) if not line.bold and not line.mono and abs(line.size - size) < SAME_SIZE else None

    left = [line for line in wide if running(line) == "left"]
    right = [line for line in wide if running(line) == "right"]
    # running text on both sides: two wide lines at least on each, and more lines than a table row
    if (
        len(left) < 2
        or len(right) < 2
        or len(left) + len(right) < 6
        or min(max(line.top for line in left), max(line.top for line in right))
        <= max(min(line.bottom for line in left), min(line.bottom for line in right))
    ):
        # no two columns either side of the middle (or one ends before the other begins)
        # a page whose text stands side by side is said so even where a heading beside text was read
        return _heading_beside(ordered, size, side, running) or ordered, _side_by_side(ordered, width)
    # Both columns run from where the right one starts (above that the page is read as it stands:
    # the head of a left column that starts higher is read first either way), each down through
    # its running lines while they follow each other closely, until text crosses the middle or
    # other type (a heading, code) begins; the right one also runs up, to a sentence carried over
    # to its head from the foot of the left one.
    first = _column_head(ordered, max(line.top for line in right), min(line.left for line in right), side)
    tops = {"left": first, "right": first}
    ends: dict[str, float] = {}
    for where in ("right", "left"):
        allowance = COLUMN_LEADING
        for line in ordered:
            if line.top > first + 1 or side(line) not in (where, None):
                continue
            if side(line) is None:
                break  # text across the middle: the columns have ended
            if running(line) != where:
                # a heading or code inside the column (its height and spacing allowed for); below
                # the end of the right column a heading on the left begins what follows the columns
                if where == "left" and line.top < ends["right"]:
                    break
                allowance += INSET_LEADING
                continue
            if where in ends and ends[where] - line.top >= allowance * line.size:
                break
            ends[where], allowance = line.bottom, COLUMN_LEADING
        if where not in ends:
            return ordered, True
    for line in reversed(ordered):
        if (
            running(line) == "right"
            and line.bottom > tops["right"]
            and line.bottom - tops["right"] < CARRIED_OVER * line.size
        ):
            tops["right"] = line.top
    top, bottom = max(tops.values()), min(ends.values())
    region = [line for line in ordered if line.bottom >= bottom - 1 and line.top <= top + 1]
    if any(side(line) is None for line in region):
        return ordered, True
    inside = set(map(id, region))
    above = [line for line in ordered if id(line) not in inside and line.bottom > top]
    below = [line for line in ordered if id(line) not in inside and line.bottom <= top]
    for line in region:
        line.column = 1 if side(line) == "left" else 2
    rest, unreadable = _columns(below, width)  # a page may have more than one stretch of columns
    return above + [line for line in region if line.column == 1] + [
        line for line in region if line.column == 2
    ] + rest, unreadable


def _column_head(ordered: list[PdfLine], first: float, edge: float, side: Callable[[PdfLine], str | None]) -> float:
    """The top of the right column: ``first``, the top of its first line of running text, raised
    through the right-hand lines that stand close above it, one after another, starting at the
    column's left ``edge`` or indented from it as a paragraph's first line or a sub-heading may be
    (`INDENTED`; a paragraph's opening sentence in bold, "**Unattended automation is an
    attack**" + "on the commons. ...", a heading or code in the column): else they are
    read as if above both columns, before the left one. Only through lines in bold or code, and
    not through one set apart from the column, to the right: a plain line there ("Annual report
    2023", a page's masthead) is read above both."""
    for line in sorted((line for line in ordered if line.bottom > first), key=lambda line: line.bottom):
        if side(line) is None or line.bottom - first > COLUMN_LEADING * line.size:
            break
        if side(line) != "right":
            continue
        if not (line.bold or line.mono) or not -line.size <= line.left - edge <= INDENTED * line.size:
            break
        first = max(first, line.top)
    return first


def _heading_beside(
    ordered: list[PdfLine],
    size: float,
    side: Callable[[PdfLine], str | None],
    running: Callable[[PdfLine], str | None],
) -> list[PdfLine] | None:
    """The lines of ``ordered`` in reading order where a heading stands on one side of the middle
    beside the first lines of running text on the other: the heading before the text when it is on
    the left, after it when on the right (the order of two columns); None where the page has no
    such stretch. Two columns that start at a page's foot may hold a heading in the left one and
    the first lines of its text in the right one (Chromium printing a section set in CSS columns:
    "Problems logging in with RSA" + "authentication" beside "If you have trouble logging in with
    RSA" + two lines more): too few lines for two columns of running text, they were read across
    the page, the heading's lines between the text's. The stretch is a run of two lines of running
    text or more (of body ``size``) on one side, one close under another; across the page from it,
    level with its head, stand only the lines of one heading in a heading's type (`_heading_sized`;
    up to `MAX_HEADING_LINES`, one close under another, not code), and nothing crosses the middle;
    the stretch's lines are marked with their column. Not a table's bold labels in the body's size
    beside their cells, nor a caption or note in smaller type, whose lines stay where they are."""
    for text_side in ("right", "left"):
        runs: list[list[PdfLine]] = []
        for line in ordered:
            if running(line) != text_side:
                continue
            if runs and runs[-1][-1].bottom - line.top < COLUMN_LEADING * line.size:
                runs[-1].append(line)
            else:
                runs.append([line])
        for run in runs:
            if len(run) < 2:
                continue
            top, bottom = run[0].top, run[-1].bottom
            band = [line for line in ordered if line.top > bottom + 1 and line.bottom < top - 1]
            heading = [line for line in band if side(line) != text_side]
            if (
                not heading
                or len(heading) > MAX_HEADING_LINES
                or len(band) != len(run) + len(heading)  # nothing else beside the text
                or abs(heading[0].top - top) > COLUMN_LEADING * size  # level with the text's head
                or not all(side(line) and not line.mono and _heading_sized(line, size) for line in heading)
                or any(above.bottom - below.top >= COLUMN_LEADING * below.size for above, below in pairwise(heading))
            ):
                continue
            first = next(k for k, line in enumerate(ordered) if line is band[0])
            if any(line is not other for line, other in zip(band, ordered[first : first + len(band)], strict=False)):
                # a heading's line taller than the text beside it may reach below the run's last
                # baseline, past lines of the page that are not the stretch's: no stretch then
                continue
            read = heading + run if text_side == "right" else run + heading
            for line in read:
                line.column = 1 if side(line) == "left" else 2
            return ordered[:first] + read + ordered[first + len(band) :]
    return None


def _heading_sized(line: PdfLine, body: float) -> bool:
    """Whether a line is set in a heading's type beside text of ``body`` size: larger, or in bold
    a size up (a word processor's lesser headings: 11 points on 10); not bold in the body's own
    size, as a table's labels are."""
    return line.size >= LARGER * body or (line.bold and line.size >= BOLD_LARGER * body)


def _side_by_side(lines: list[PdfLine], width: float) -> bool:
    """Whether running text stands side by side in a way other than two columns either side of the
    middle (a sidebar, three columns): three baselines or more carry two lines of it, apart."""
    rows: dict[int, list[float]] = {}
    for line in lines:
        if not line.mono:
            rows.setdefault(round(line.baseline), []).append(line.right - line.left)
    return (
        sum(
            1
            for row in rows.values()
            if len(row) > 1 and max(row) > WIDE_LINE * width and sorted(row)[-2] > SIDE_TEXT * width
        )
        >= 3
    )


def _ocr_lines(page: Any, name: str, label: str) -> list[PdfLine]:  # page: a pypdfium2 PdfPage
    """A scanned page read by Tesseract, as visual lines measured in PDF points."""
    if not shutil.which("tesseract"):
        raise WtcompareError(f"{name}: --ocr needs Tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)")
    width, height = page.get_size()
    pixels = width * height * (OCR_DPI / 72) ** 2
    if pixels > OCR_MAX_PIXELS:  # a page many feet across would take gigabytes as an image
        raise WtcompareError(
            f"{name}: page {label} is {width / 72:,.0f} by {height / 72:,.0f} inches, too large to read with OCR"
        )
    image = page.render(scale=OCR_DPI / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "4", "tsv"],
        input=buffer.getvalue(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[:200]
        raise WtcompareError(f"{name}: Tesseract failed on page {label}: {said}")
    scale = 72 / OCR_DPI
    # a line of the page is keyed by its block, paragraph and line numbers (None where a row lacks one)
    words: dict[tuple[str | None, str | None, str | None], list[str]] = {}
    boxes: dict[tuple[str | None, str | None, str | None], _OcrBox] = {}
    rows = csv.DictReader(
        io.StringIO(done.stdout.decode("utf-8", errors="replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for row in rows:
        key = (row.get("block_num"), row.get("par_num"), row.get("line_num"))
        try:
            box = _OcrBox(*(int(row[k]) for k in _OcrBox._fields))
        except (KeyError, TypeError, ValueError):
            continue
        if row.get("level") == "4":
            boxes[key] = box  # the line's box: from its highest ascender to its lowest descender
        elif row.get("level") == "5" and (row.get("text") or "").strip():
            words.setdefault(key, []).append(row["text"])
    lines = []
    for key, group in words.items():
        box = boxes[key]
        size = box.height * scale / OCR_LINE_BOX
        lines.append(
            PdfLine(
                " ".join(group),
                box.left * scale,
                (box.left + box.width) * scale,
                height - (box.top + box.height) * scale + OCR_BASELINE * size,
                size,
            )
        )
    return lines


def _rescale(lines: list[PdfLine], body: float) -> None:
    """Give a scanned page's lines the document's scale: its commonest type size becomes the body
    size (a scan's size is unknown; only the sizes on the page relative to each other count)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    if sizes:
        ratio = body / _commonest(sizes)
        for line in lines:
            line.size *= ratio


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _strip_furniture(pages: list[PageText], body: float) -> None:
    """Drop running headers and footers (repeated at the top or bottom of most pages) and bare page
    numbers; move small print at the foot of a page to its footnotes."""
    is_furniture = _furniture(pages, body)
    for page in pages:
        kept: list[PdfLine] = []
        notes: list[str] = []
        ends = (page.lines[0], page.lines[-1]) if page.lines else ()
        for line in page.lines:
            at_end = any(line is end for end in ends)  # (lines that merely look alike are other lines)
            if page.in_margin(line) and is_furniture(line, at_end and _numbered_running(line, page.label)):
                continue
            if (
                line.size < SMALL * body
                and line.bottom < page.height * FOOT
                and not line.mono
                and (notes or NOTE_START.match(line.text))
            ):
                notes.append(line.text)
                continue
            kept.append(line)
        page.lines = kept
        page.notes = _join_notes(notes, page.label)


def _numbered_running(line: PdfLine, label: str) -> bool:
    """Whether a line carries the page's own number, in figures or roman numerals, at either end,
    as a running header or footer may: "Chapter 2: Sharing information 3" on page 3."""
    words = line.text.split()
    return len(words) > 1 and bool(PAGE_NUMBER.match(label)) and label in (words[0], words[-1])


def _furniture(pages: list[PageText], body: float) -> Callable[[PdfLine, bool], bool]:
    """Whether a line in a page's margin is furniture: text that recurs in the margins of half the
    pages or more (digits counted alike, so "Page 3 of 90" recurs), or a bare page number; or, told
    it is a page's first or last line carrying the page's own number (`_numbered_running`), text
    that recurs in the margins of two pages (a header that names each chapter, "Chapter 2: ASN.1
    structure handling 3", recurs on that chapter's pages only; a heading, a footnote or a line
    that happens to end in the page's number recurs nowhere). With too few pages to see anything
    recur, small print in the margin counts as furniture instead."""
    if len(pages) < REPEATED_PAGES:
        return lambda line, numbered: bool(PAGE_NUMBER.match(line.text)) or line.size < SMALL * body
    repeated: Counter[str] = Counter()
    for page in pages:
        repeated.update({_key(line.text) for line in page.lines if page.in_margin(line)})
    threshold = max(2, len(pages) // 2)
    return lambda line, numbered: (
        repeated[_key(line.text)] >= (2 if numbered else threshold) or bool(PAGE_NUMBER.match(line.text))
    )


def _join_notes(lines: list[str], label: str) -> list[Note]:
    """Footnotes from the small print of a page, labelled ``<label>:<number>``: a line that starts
    with a number starts a note, any other line goes on with the note above it. A number the small
    print has used already (a table's column of 4s set small at a page foot; endnotes numbered
    afresh in each chapter) starts a note of its own, labelled ``<label>:<number>#<n>``, which no
    marker cites: it was taken for the first and dropped, with every word of it."""
    notes: list[Note] = []
    used: Counter[str] = Counter()
    for k, line in enumerate(lines):
        start = NOTE_START.match(line)
        if start or not notes:
            number, text = (start.group(1), start.group(2)) if start else ("", line)
            used[number] += 1
            again = f"#{used[number]}" if used[number] > 1 else ""
            notes.append(Note(f"{label}:{number}{again}", text, k))
        else:
            notes[-1] = notes[-1]._replace(text=notes[-1].text + " " + line)
    return [note._replace(text=BACKLINK.sub("", note.text)) for note in notes]


def _endnotes(pages: list[PageText], body: float) -> list[PageNote]:
    """Notes gathered at the end of the document (as a browser prints an HTML page's footnotes):
    the small print that follows the last line of body text, numbered. They are taken out of the
    pages and given as (page, label, text), labelled ``*:<number>`` to match a marker on any page."""
    trailing: list[tuple[PageText, PdfLine]] = []
    for page in reversed(pages):
        for line in reversed(page.lines):
            if line.size >= SMALL * body or line.mono:
                break
            trailing.append((page, line))
        else:
            continue
        break
    trailing.reverse()
    if not trailing:
        return []
    if not NOTE_START.match(trailing[0][1].text):
        return []
    taken = set(map(id, (line for _, line in trailing)))
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in taken]
    notes = _join_notes([line.text for _, line in trailing], "*")
    # each note on the page it begins on (endnotes may run over several pages)
    return [PageNote(trailing[note.line][0].label, note.label, note.text) for note in notes]


def _is_contents(page: PageText) -> bool:
    """A table of contents: most lines end in a page number, or the page is headed "Contents"."""
    texts = [line.text for line in page.lines]
    ending = sum(1 for t in texts if CONTENTS_LINE.search(t))
    headed = any(t.strip().lower() in ("contents", "table of contents") for t in texts[:3])
    return ending >= 2 and (headed or ending >= 0.6 * len(texts))


def _starts_block(line: PdfLine, body: float) -> bool:
    return line.size >= LARGER * body or bool(CHAPTER.match(line.text)) or bool(NUMBERED_PARAGRAPH.match(line.text))


def _heading_type(line: PdfLine, body: float) -> bool:
    return line.size >= LARGER * body or line.bold


def _body_type(line: PdfLine, body: float) -> bool:
    """Whether the line is set in the body's type size."""
    return abs(line.size - body) < SAME_SIZE


def _edges(page: PageText, body: float) -> dict[int, float]:
    """Each column's right edge as the whole page's body lines show it (`_edge`)."""
    ends: dict[int, LineEnds] = {}
    for line in page.lines:
        if _body_type(line, body) and not line.mono:
            _keep_end(ends, line)
    return {column: _edge(kept, body) for column, kept in ends.items()}


@dataclass
class LineEnds:
    """A column's rightmost line ends so far: those of lines ending in an ordinary word (the
    `EDGE_LINES` rightmost, ascending), and the rightmost of lines ending in a word too long to
    wrap (a link, a path: `LONG_WORD`), which may run past the column's edge."""

    wrapped: list[float] = field(default_factory=list)
    overlong: float | None = None


def _keep_end(ends: dict[int, LineEnds], line: PdfLine) -> None:
    """Keep the right end of ``line`` among its column's `LineEnds`."""
    kept = ends.setdefault(line.column, LineEnds())
    words = line.text.split()
    if words and len(words[-1]) >= LONG_WORD:
        kept.overlong = max(kept.overlong or line.right, line.right)
    elif len(kept.wrapped) < EDGE_LINES:
        bisect.insort(kept.wrapped, line.right)
    elif line.right > kept.wrapped[0]:
        kept.wrapped.pop(0)
        bisect.insort(kept.wrapped, line.right)


def _edge(kept: LineEnds, body: float) -> float:
    """A column's right edge: the rightmost line end, but where lines ending in a word too long to
    wrap run further (a typesetter that does not split words lets them run past the edge), the
    rightmost end of the others when `EDGE_CLUSTER` of them end together there, within a type
    size (where the column wraps). Taken for the edge, an overlong line made the full lines after
    it seem to stop short of it, and paragraphs were cut at page breaks; in ragged text the
    longest line may stand alone, and without lines ending together by it the rightmost end of
    all is taken, as it always was."""
    wrapped = kept.wrapped
    if not wrapped:
        return kept.overlong or 0.0
    if kept.overlong is None or kept.overlong <= wrapped[-1]:
        return wrapped[-1]
    together = sum(1 for right in wrapped if wrapped[-1] - right <= EDGE_SUPPORT * body)
    return wrapped[-1] if together >= EDGE_CLUSTER else kept.overlong


def _spacing(pages: list[PageText], body: float) -> float:
    """Line spacing as a multiple of the type size, from consecutive body lines: the gaps below
    lines that run on to near their column's edge, which a paragraph wraps (a text of many one-line
    paragraphs has more gaps between paragraphs than inside them), else all the gaps."""
    ratios, wrapped, to_edge = [], [], []
    for page in pages:
        edges, margins = _edges(page, body), _margins(page.lines, body)
        for previous, line in pairwise(page.lines):
            gap = previous.baseline - line.baseline
            if _body_type(line, body) and _body_type(previous, body) and 0 < gap < MAX_LEADING * body:
                ratios.append(gap / body)
                # a line across its column, from near its margin (not a table's last cell) to near
                # its edge (a column of code type only has none: typescript, a scan's hidden text)
                edge, margin = edges.get(previous.column), margins.get(previous.column)
                if (
                    line.column == previous.column
                    and edge is not None
                    and previous.right >= edge - SHORT_LAST_LINE * body
                ):
                    to_edge.append(gap / body)
                    if margin is not None and previous.left <= margin + INDENTED * body:
                        wrapped.append(gap / body)
    # a short text of indented lists and hanging numbers may have too few lines across: those that
    # reach the edge, then all
    for measured in (wrapped, to_edge):
        if len(measured) >= WRAPPED_LINES:
            return statistics.median(measured)
    return statistics.median(ratios) if ratios else LEADING


def _page_spacing(page: PageText) -> float:
    """A scanned page's line spacing, as a multiple of the type size: the lower quartile of its
    gaps, since most gaps on a page are between lines of a paragraph, and the wider ones open a
    paragraph."""
    ratios = sorted(
        (a.baseline - b.baseline) / max(a.size, b.size) for a, b in pairwise(page.lines) if a.baseline > b.baseline
    )
    return ratios[len(ratios) // 4] if ratios else LEADING


def _margins(lines: list[PdfLine], body: float) -> dict[int, float]:
    """The left margin of each column of a page: the leftmost start shared by two body lines (a
    page of list items is still indented from the margin; one stray line does not move it)."""
    starts: dict[int, Counter[int]] = {}
    for line in lines:
        if _body_type(line, body) and not line.mono:
            starts.setdefault(line.column, Counter())[round(line.left)] += 1
    margins = {}
    for column, counts in starts.items():
        shared = [left for left, n in counts.items() if n >= 2]
        margins[column] = float(min(shared or counts))
    if 1 in margins and 2 in margins and _bullets_only(lines, body, margins[2]):
        left, right = _justified_edge(lines, body, 1), _justified_edge(lines, body, 2)
        if left is not None and right is not None:
            # a right column of bulleted items only has its bullets for its margin, and its items'
            # text would read as unindented: justified columns are set alike, so the right one's
            # margin is no further right than the left one's, moved by the distance between their
            # right edges
            margins[2] = min(margins[2], margins[1] + right - left)
    return margins


def _bullets_only(lines: list[PdfLine], body: float, margin: float) -> bool:
    """Whether every body line of the right column that starts at its margin opens with a bullet
    (not a number: numbered paragraphs at the margin are the column's text)."""
    starting = [
        line
        for line in lines
        if line.column == 2 and _body_type(line, body) and not line.mono and abs(line.left - margin) < 1.0
    ]
    return bool(starting) and all(line.text[:1] in BULLET_CHARACTERS for line in starting)


def _justified_edge(lines: list[PdfLine], body: float, column: int) -> float | None:
    """A column's right edge where its text is justified: the furthest right that three body lines
    or more end at, within a point (a line may overrun it); else None, as a ragged column's
    longest line says nothing of its width."""
    rights = sorted(
        (line.right for line in lines if line.column == column and _body_type(line, body) and not line.mono),
        reverse=True,
    )
    for k in range(len(rights) - JUSTIFIED_LINES + 1):
        if rights[k + JUSTIFIED_LINES - 1] >= rights[k] - 1.0:
            return rights[k]
    return None


def _list_page_margins(page: PageText, margins: dict[int, float]) -> None:
    """Mend the margins of a page that holds only a list item's lines, its marker standing left of
    the rest (an item that runs over from the page before, or fills the page): the rest shares a
    start, which is not the margin but the item's indent. The marker's start is taken for the
    margin, so that the item's wrapped lines are indented under it, as on every other page."""
    for column, margin in margins.items():
        markers = [
            line.left
            for line in page.lines
            if line.column == column and line.left < margin - 0.5 and LIST_ITEM.match(line.text)
        ]
        if markers:
            margins[column] = min(markers)


def _to_lines(pages: list[PageText], body: float) -> list[Line]:
    """Lines for the segmenter: a blank line where a paragraph ends. Inside a column that is where
    the baseline moves on by more than the type's line spacing, or the type changes between
    heading, body and code; at a page or column break, where the last line ends a sentence or is
    in heading type, or the next starts a heading or numbered paragraph."""
    out: list[Line] = []
    spacing = _spacing(pages, body)
    previous: PdfLine | None = None
    ends: dict[int, LineEnds] = {}  # each column's rightmost line ends so far (`_edge`)
    for page in pages:
        margins = _margins(page.lines, body)
        _list_page_margins(page, margins)
        # a scan's spacing is its own (its scale is not the document's): its tighter gaps are the
        # line spacing inside paragraphs
        page_spacing = _page_spacing(page) if page.scanned else spacing
        # each column's right edge as the whole page's body lines show it (those read so far may
        # be only a heading, at the top of the first page)
        edges = _edges(page, body)
        for k, line in enumerate(page.lines):
            if previous is not None:
                if k == 0 or line.column != previous.column:
                    edge = _edge(ends[previous.column], body) if previous.column in ends else previous.right
                    broken = _ends_before_break(previous, line, body, edge)
                else:
                    broken = _ends_in_column(previous, line, body, page_spacing, edges.get(line.column))
                if broken:
                    out.append(Line("", page.label))
            indent = max(0.0, line.left - margins.get(line.column, line.left)) / body
            if _body_type(line, body) and not line.mono:
                _keep_end(ends, line)
            out.append(Line(line.text, page.label, line.size / body, line.bold, indent, line.mono))
            previous = line
    return out


def _bold_lead_in(previous: PdfLine, line: PdfLine, body: float, edge: float | None) -> bool:
    """Whether ``previous``, bold throughout, is the first line of a paragraph that opens with a
    sentence in bold ("**Purely agentic contributions are not**" + "accepted. Pull requests ..."):
    both in the body's size, the bold line running on to near its column's edge as the page's body
    lines do (a heading stops short of it, or wraps in bold) or the next line opening with the end
    of the bold sentence (in a narrow column, ragged at the right, a line stops well short of its
    edge) or the bold line stopping at a comma, and the plain one going on with its sentence in
    lower case (not "a)", which opens a list after a heading), or with a new one after a bold
    sentence that ran to the edge ("**Your account of what occurred.**" + "If there is ...": a
    heading neither ends in a full stop nor runs to the edge)."""
    if not (
        previous.bold
        and not line.bold
        and not previous.mono
        and not line.mono
        and _body_type(previous, body)
        and _body_type(line, body)
        and edge is not None
        and not LIST_ITEM.match(line.text)
        and not _opens_block(line, body)
    ):
        return False
    long = previous.right >= edge - SHORT_LAST_LINE * previous.size
    if line.text[:1].islower():
        return long or line.ends_bold_sentence or previous.text.endswith(",")
    return long and previous.text.endswith(".") and line.text[:1].isupper()


def _bold_runs_on(previous: PdfLine, line: PdfLine, body: float, edge: float | None) -> bool:
    """Whether ``line``, bold throughout, goes on with the sentence of ``previous``, a line in the
    body's plain type which runs on to near its column's edge and stops in the middle of a
    sentence, on a word in lower case or a comma: in lower case ("... if the task **raises**" +
    "**an exception it's still acknowledged!**"; "9. **If you believe you or anyone else**" + "**is
    in physical danger ...**", a bold paragraph whose number is plain), or in capitals on a line
    that itself runs to the edge or ends a sentence ("... a child tell" + "**Thornavon Referral
    Managers at once.**"). A bold heading stops short and ends no sentence, also after a list item
    or an address that ends in lower case with no full stop ("... and their family" +
    "**Information sharing**")."""
    if not (
        line.bold
        and not previous.bold
        and (previous.text[-1:].islower() or previous.text.endswith(","))
        and not previous.mono
        and not line.mono
        and _body_type(previous, body)
        and _body_type(line, body)
        and edge is not None
        and previous.right >= edge - SHORT_LAST_LINE * previous.size
        and not LIST_ITEM.match(line.text)
        and not _opens_block(line, body)
    ):
        return False
    return (
        line.text[:1].islower() or line.right >= edge - SHORT_LAST_LINE * line.size or bool(TERMINAL.search(line.text))
    )


def _opens_block(line: PdfLine, body: float) -> bool:
    """`_starts_block`, but for a line going on in lower case: "part 3 of the Children Act 1989" and
    "schedule 2" are references in a sentence, not a part's or a schedule's heading."""
    return _starts_block(line, body) and not line.text[:1].islower()


def _ends_before_break(previous: PdfLine, line: PdfLine, body: float, edge: float) -> bool:
    """Whether a paragraph ends at a page or column break, between ``previous`` (the last line
    before it, whose column's right edge is ``edge``) and ``line``. The text runs on unless it
    ends there: a last line that stops well short of the edge ends its paragraph, and so does one
    that ends a sentence without filling the column to its edge (as only a justified line does,
    even after a full stop); so does a change between heading and body type, or a line that can
    only start a block. Code runs on across the break."""
    short = previous.right < edge - SHORT_LAST_LINE * previous.size
    full = previous.right >= edge - FULL_LINE * previous.size
    ends = (
        (bool(TERMINAL.search(previous.text)) and not full)
        or _starts_block(line, body)
        or short
        or _heading_type(previous, body) != _heading_type(line, body)
    )
    return ends and not (line.mono and previous.mono)


def _ends_in_column(previous: PdfLine, line: PdfLine, body: float, spacing: float, edge: float | None) -> bool:
    """Whether a paragraph ends between two consecutive lines of one column: the baseline moves on
    by more than the line spacing (``spacing`` type sizes, with some leeway), or goes back up, or
    the type changes between heading and body (but for a paragraph that opens in bold, or a bold
    phrase that wraps: see `_bold_lead_in` and `_bold_runs_on`, ``edge`` being the column's right
    edge as the page's body lines show it), or
    changes size."""
    size = max(line.size, previous.size)
    gap = previous.baseline - line.baseline
    return (
        gap > spacing * size + max(MIN_LEEWAY, PARAGRAPH_LEEWAY * size)
        or gap < -RISING * size
        or (
            _heading_type(previous, body) != _heading_type(line, body)
            and not _bold_lead_in(previous, line, body, edge)
            and not _bold_runs_on(previous, line, body, edge)
        )
        or abs(line.size - previous.size) > SIZE_CHANGE * body
    )


def _body_size(pages: list[PageText]) -> float:
    """The type size of most of the text (by characters), away from the page margins where
    running headers and footers live. Where that size is code's alone (fixed pitch) and prose is
    a good share of the text, the prose's commonest size: a guide that is mostly code samples set
    smaller has its paragraphs in the body size still, not "larger type", headings; a document
    typed throughout in a fixed-pitch font, with only its headings in another, keeps its own."""
    sizes: Counter[float] = Counter()
    prose: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not page.in_margin(line):
                sizes[round(line.size, 1)] += len(line.text)
                if not line.mono:
                    prose[round(line.size, 1)] += len(line.text)
    if not sizes:
        sizes.update(round(line.size, 1) for page in pages for line in page.lines)
        return _commonest(sizes) if sizes else DEFAULT_BODY
    size = _commonest(sizes)
    if prose[size] <= (1 - CODE_SIZE) * sizes[size] and prose.total() >= PROSE_SHARE * sizes.total():
        return _commonest(prose)
    return size


def _commonest(sizes: Counter[float]) -> float:
    size, _ = sizes.most_common(1)[0]
    return size


def pdf_lines(data: bytes, name: str, ocr: bool = False) -> PdfText:
    """Lines of a PDF's body text with page labels; its footnotes; the labels of OCR'd pages;
    warnings (what was assumed where the layout could not be read); and whether a web browser
    printed it (`browser_made`). The PDF is read in a worker
    process allowed `PDF_MEMORY` bytes (see `wtcompare.parallel.capped`), so that a file made to
    inflate to gigabytes, or one that crashes pdfium, is an error naming it."""
    import pypdfium2  # noqa: F401 - loaded before the worker starts, which would map it again within its allowance

    try:
        return capped(PDF_MEMORY, _pdf_lines, data, name, ocr)
    except (MemoryError, WorkerDied):
        allowed, theirs = allowance(PDF_MEMORY)
        more = (
            "raise the memory limit this process runs under (ulimit -v)"
            if theirs
            else "set WTCOMPARE_PDF_MEMORY (bytes) to allow more"
        )
        raise WtcompareError(
            f"{name}: reading it took more than {_amount(allowed)} of memory or stopped the PDF "
            f"library (a compressed stream that inflates to gigabytes?); {more}"
        ) from None


def _amount(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB" if size >= 1024**2 else f"{size:,} bytes"


class PdfText(NamedTuple):
    """What `pdf_lines` reads of a PDF."""

    lines: list[Line]
    notes: list[PageNote]
    ocr_pages: list[str]
    warnings: list[str]
    browser: bool


def browser_made(producer: str) -> bool:
    """Whether a PDF's producer (its metadata's "Producer") is a web browser's printing: Chrome,
    Chromium, Edge and the apps built on them write "Skia/PDF m<version>". A browser breaks lines
    at a word's own hyphens and never hyphenates one (unless a page's style asks, which GOV.UK's
    pages do not)."""
    return producer.startswith("Skia/PDF")


def _pdf_lines(data: bytes, name: str, ocr: bool) -> PdfText:
    pdf = _open(data, name)
    if len(pdf) > MAX_PAGES:  # a small file can hold pages enough to keep the loader busy for hours
        raise WtcompareError(f"{name}: {len(pdf):,} pages; wtcompare reads PDFs of at most {MAX_PAGES:,}")
    pages, scanned = [], []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            label = pdf.get_page_label(index) or str(index + 1)
            width, height = page.get_size()
            lines = _page_lines(page.get_textpage(), label)
            _bullets(page, lines)
        except Exception as exc:  # pdfium raises its own error types for a page it cannot load
            raise WtcompareError(f"{name}: page {index + 1} cannot be read ({type(exc).__name__}: {exc})") from None
        if not lines and _has_image(page):
            scanned.append(label)
            if not ocr:
                continue
            lines = _ocr_lines(page, name, label)
        pages.append(PageText(label, width, height, lines, scanned=label in scanned))
    if scanned and not ocr:
        which = ", ".join(scanned[:5]) + (" ..." if len(scanned) > 5 else "")
        raise WtcompareError(
            f"{name}: {len(scanned)} page(s) have no text layer (scanned: page {which}); "
            "add --ocr to read them with Tesseract"
        )
    body = _body_size([p for p in pages if not p.scanned] or pages)
    for page in pages:
        if page.scanned:
            _rescale(page.lines, body)
    for page in pages:
        page.lines.sort(key=lambda line: (-line.baseline, line.left))
    _strip_furniture(pages, body)  # first: a running header is not the top of a column
    warnings = []
    for page in pages:
        page.lines, unreadable = _columns(page.lines, page.width)
        if unreadable:
            warnings.append(
                f"{name}: page {page.label} seems to be set in two columns that could not be told "
                "apart; read across the page, line by line"
            )
    kept = [p for p in pages if not _is_contents(p)]
    notes = [PageNote(p.label, note.label, note.text) for p in kept for note in p.notes] + _endnotes(kept, body)
    try:
        producer = pdf.get_metadata_value("Producer")
    except UnicodeDecodeError:  # a malformed text string (a lone surrogate): no producer known
        producer = ""
    browser = browser_made(producer)
    return PdfText(_to_lines(kept, body), notes, scanned if ocr else [], warnings, browser)
