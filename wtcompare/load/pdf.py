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

import ctypes
import csv
import io
import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field

from ..errors import WtcompareError
from ..headings import CHAPTER, LARGER
from ..segment import NUMBERED_PARAGRAPH, Line, note_ref

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
GUTTER = 1.5  # a horizontal gap this many type sizes wide separates two lines on one baseline
DIGITS = re.compile(r"\d+")


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
    column: int = 0  # 1 or 2 in the left or right column of a two-column stretch, else 0

    @property
    def top(self) -> float:
        return self.baseline + 0.75 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline - 0.25 * self.size


@dataclass
class PageText:
    label: str
    width: float
    height: float
    lines: list[PdfLine]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    scanned: bool = False  # read by OCR


def _open(data: bytes, name: str):
    import pypdfium2 as pdfium

    if b"%%EOF" not in data[-2048:]:  # pdfium would quietly read what there is of a half download
        raise WtcompareError(f"{name}: not a readable PDF (truncated or corrupt: no end-of-file marker); "
                             "download it again")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise WtcompareError(f"{name}: the PDF is encrypted (password-protected); save an unprotected copy") from None
        raise WtcompareError(f"{name}: not a readable PDF (truncated or corrupt: {exc})") from None


class _Chars:
    """Character measurements from pdfium, asked for only where needed (a call each)."""

    def __init__(self, textpage) -> None:
        import pypdfium2.raw as raw

        self.raw, self.page = raw, textpage.raw
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._box = [ctypes.c_double() for _ in range(4)]
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()

    def origin(self, index: int) -> tuple[float, float]:
        self.raw.FPDFText_GetCharOrigin(self.page, index, self._x, self._y)
        return self._x.value, self._y.value

    def right(self, index: int) -> float:
        left, right, bottom, top = self._box
        self.raw.FPDFText_GetCharBox(self.page, index, left, right, bottom, top)
        return right.value

    def size(self, index: int) -> float:
        return float(self.raw.FPDFText_GetFontSize(self.page, index))

    def boxes(self, start: int, count: int) -> list[tuple[float, float, float, float]]:
        """pdfium's rectangles (left, bottom, right, top) of the characters from ``start``, one
        for each run of text on a line."""
        left, top, right, bottom = (ctypes.c_double() for _ in range(4))
        found = []
        for k in range(self.raw.FPDFText_CountRects(self.page, start, count)):
            self.raw.FPDFText_GetRect(self.page, k, left, top, right, bottom)
            found.append((left.value, bottom.value, right.value, top.value))
        return found

    def at(self, x: float, y: float) -> int:
        """The index of the character at (x, y)."""
        return self.raw.FPDFText_GetCharIndexAtPos(self.page, x, y, 1.0, 1.0)

    def _font(self, index: int) -> tuple[str, int]:
        length = self.raw.FPDFText_GetFontInfo(self.page, index, self._name, len(self._name), self._flags)
        return self._name.raw[:max(length - 1, 0)].decode("latin-1", "replace").lower(), self._flags.value

    def bold(self, index: int) -> bool:
        if self.raw.FPDFText_GetFontWeight(self.page, index) >= 600:
            return True
        name, _ = self._font(index)
        return "bold" in name or "black" in name or "heavy" in name

    def mono(self, index: int) -> bool:
        """Set in a fixed-pitch font: code."""
        name, flags = self._font(index)
        return bool(flags & 1) or any(w in name for w in ("courier", "mono", "consol", "code"))


@dataclass
class _Segment:
    """One of pdfium's lines: the text and the index of each of its characters."""

    text: str
    start: int
    first: int  # index of its first character that is not a space


def _segments(text: str) -> list[_Segment]:
    out, start = [], 0
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
    text = segment.text[start - segment.start:end - segment.start]
    return _Segment(text, start, start + len(text) - len(text.lstrip())) if text.strip() else None


def _split_lines(segments: list[_Segment], chars: "_Chars") -> list[_Segment]:
    """pdfium's lines, each split where pdfium ran two visual lines together: where the baseline
    drops back by a line (it can miss the break after a line that ends in a word it could not
    map), and at a space it supplied across a gap as wide as a column gutter (two columns, or a
    table's cells, written line by line across the page)."""
    out = []
    for segment in segments:
        last = segment.start + len(segment.text.rstrip()) - 1
        _, first_y = chars.origin(segment.first)
        size = chars.size(segment.first)
        cuts = []
        if abs(chars.origin(last)[1] - first_y) > 0.5 * size:
            line_y, previous_x = first_y, -1.0
            for offset, char in enumerate(segment.text):
                index = segment.start + offset
                if char.isspace() or char.isdigit():
                    continue  # a space has no place of its own; a digit may be a raised note marker
                x, y = chars.origin(index)
                if abs(y - line_y) > 0.5 * size and x < previous_x:
                    cuts.append(index)
                    line_y = y
                previous_x = x
        # pdfium's rectangles of the line: a gap as wide as a gutter between two of them splits it,
        # where the text on each side has letters (a hanging paragraph number stays with its line)
        boxes = chars.boxes(segment.start, len(segment.text))
        for (_, _, right, _), (left, bottom, _, top) in zip(boxes, boxes[1:]):
            if left - right > GUTTER * size:
                index = chars.at(left + 0.5, (bottom + top) / 2)
                offset = index - segment.start
                if 0 < offset < len(segment.text) and sum(c.isalpha() for c in segment.text[:offset]) >= 3 \
                        and sum(c.isalpha() for c in segment.text[offset:]) >= 3:
                    cuts.append(index)
        bounds = [segment.start] + sorted(set(cuts)) + [segment.start + len(segment.text)]
        out.extend(piece for piece in (_piece(segment, a, b) for a, b in zip(bounds, bounds[1:])) if piece)
    return out


def _page_lines(textpage, label: str) -> list[PdfLine]:
    """The page's visual lines, superscript digits turned into note references."""
    chars = _Chars(textpage)
    # pdfium gives some hyphens as U+0002 or U+FFFE (a hyphen glyph it cannot map): they are hyphens
    text = textpage.get_text_range().replace("\x02", "-").replace("\ufffe", "-")
    lines: list[PdfLine] = []
    for segment in _split_lines(_segments(text), chars):
        # the segment's type is read from its first letter, not from a digit that may be a raised
        # footnote marker
        body = next((segment.start + k for k, c in enumerate(segment.text)
                     if not c.isspace() and not c.isdigit()), segment.first)
        baseline, size = chars.origin(body)[1], chars.size(body)
        content = _markers(segment, chars, baseline, size, label)
        last = segment.start + len(segment.text.rstrip()) - 1
        # code is set in fixed pitch throughout; an inline code word does not make a line code
        sample = {body, (body + last) // 2, last}
        line = PdfLine(content.strip(), chars.origin(segment.first)[0], chars.right(last), baseline, size,
                       chars.bold(body), all(chars.mono(k) for k in sample if not segment.text[k - segment.start].isspace()))
        previous = lines[-1] if lines else None
        if previous and line.text.isdigit() and line.size <= SUPERSCRIPT * previous.size \
                and line.baseline > previous.baseline and line.left >= previous.right - 1:
            previous.text += note_ref(f"{label}:{line.text}")  # a marker pdfium put on a line of its own
            previous.right = line.right
            continue
        # one visual line: the same baseline, going on to the right, with no gap as wide as a
        # column gutter or a table's cell spacing between them
        if previous and abs(line.baseline - previous.baseline) <= 0.6 * max(line.size, previous.size) \
                and previous.right - 1 <= line.left <= previous.right + GUTTER * max(line.size, previous.size):
            gap = line.left - previous.right
            spaced = content[:1].isspace() or gap >= 0.2 * previous.size  # pdfium's space, or a visible gap
            previous.text = previous.text + (" " if spaced and not previous.text.endswith(" ") else "") + line.text
            previous.right = line.right
            previous.bold = previous.bold and line.bold
            continue
        lines.append(line)
    return lines


def _markers(segment: "_Segment", chars: _Chars, baseline: float, size: float, label: str) -> str:
    """The segment's text with each superscript number (digits in smaller type, raised above the
    baseline) replaced by a reference to that footnote of the page."""
    def raised(index: int) -> bool:
        return chars.size(index) <= SUPERSCRIPT * size and chars.origin(index)[1] - baseline > 0.2 * size

    out, position = [], 0
    for run in DIGITS.finditer(segment.text):
        # a marker is a raised end of a run of digits ("PEP 224" then the note "2" reads "2242")
        start, end = segment.start + run.start(), segment.start + run.end()
        if not raised(end - 1):
            continue
        while start < end - 1 and not raised(start):
            start += 1
        out.append(segment.text[position:start - segment.start]
                   + note_ref(f"{label}:{segment.text[start - segment.start:run.end()]}"))
        position = run.end()
    return "".join(out) + segment.text[position:]


def _bullets(page, lines: list[PdfLine]) -> None:
    """List bullets drawn as shapes (a browser draws its disc markers so): a small round or square
    shape just left of a line, at its x-height, becomes a "•" at the start of that line."""
    import pypdfium2.raw as raw

    if not lines:
        return
    marks = []
    for shape in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = shape.get_bounds()
        width, height = right - left, top - bottom
        if 1.5 <= width <= 8 and abs(width - height) <= 0.25 * max(width, height):
            marks.append(((left + right) / 2, (bottom + top) / 2, right))
    for x, y, right in marks:
        for line in lines:
            if 0.1 * line.size < y - line.baseline < 0.7 * line.size and 0 <= line.left - right <= 2.5 * line.size \
                    and 0.2 * line.size <= right - (x - (right - x)) <= 0.7 * line.size:
                line.text = "• " + line.text
                line.left = x
                break


def _has_image(page) -> bool:
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

    wide = [line for line in ordered if side(line) and line.right - line.left > 0.25 * width
            and not line.bold and not line.mono]
    if not wide:
        return ordered, _side_by_side(ordered, width)
    size = statistics.median(line.size for line in wide)

    def running(line: PdfLine) -> str | None:  # a line of a column's text type (not a heading or code), and its side
        return side(line) if not line.bold and not line.mono and abs(line.size - size) < 0.5 else None

    left = [line for line in wide if running(line) == "left"]
    right = [line for line in wide if running(line) == "right"]
    # running text on both sides: two wide lines at least on each, and more lines than a table row
    if len(left) < 2 or len(right) < 2 or len(left) + len(right) < 6 \
            or min(max(line.top for line in left), max(line.top for line in right)) <= \
            max(min(line.bottom for line in left), min(line.bottom for line in right)):
        # no two columns either side of the middle (or one ends before the other begins)
        return ordered, _side_by_side(ordered, width)
    # Both columns run from where the right one starts (above that the page is read as it stands:
    # the head of a left column that starts higher is read first either way), each down through
    # its running lines while they follow each other closely, until text crosses the middle or
    # other type (a heading, code) begins; the right one also runs up, to a sentence carried over
    # to its head from the foot of the left one.
    first = max(line.top for line in right)
    tops = {"left": first, "right": first}
    ends: dict[str, float] = {}
    for where in ("right", "left"):
        allowance = 2.0  # the gap, in line heights, between two lines of one column
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
                allowance += 2.5
                continue
            if where in ends and ends[where] - line.top >= allowance * line.size:
                break
            ends[where], allowance = line.bottom, 2.0
        if where not in ends:
            return ordered, True
    for line in reversed(ordered):
        if running(line) == "right" and line.bottom > tops["right"] and line.bottom - tops["right"] < 1.5 * line.size:
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
    return above + [line for line in region if line.column == 1] + [line for line in region if line.column == 2] \
        + rest, unreadable


def _side_by_side(lines: list[PdfLine], width: float) -> bool:
    """Whether running text stands side by side in a way other than two columns either side of the
    middle (a sidebar, three columns): three baselines or more carry two lines of it, apart."""
    rows: dict[int, list[float]] = {}
    for line in lines:
        if not line.mono:
            rows.setdefault(round(line.baseline), []).append(line.right - line.left)
    return sum(1 for row in rows.values()
               if len(row) > 1 and max(row) > 0.25 * width and sorted(row)[-2] > 0.1 * width) >= 3


def _ocr_lines(page, name: str, label: str) -> list[PdfLine]:
    """A scanned page read by Tesseract, as visual lines measured in PDF points."""
    if not shutil.which("tesseract"):
        raise WtcompareError(f"{name}: --ocr needs Tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)")
    image = page.render(scale=OCR_DPI / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "4", "tsv"], input=buffer.getvalue(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise WtcompareError(f"{name}: Tesseract failed on page {label}: {done.stderr.decode(errors='replace').strip()[:200]}")
    height = page.get_size()[1]
    scale = 72 / OCR_DPI
    words: dict[tuple[str, str, str], list[str]] = {}
    boxes: dict[tuple[str, str, str], tuple[int, int, int, int]] = {}
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", errors="replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    for row in rows:
        key = (row.get("block_num"), row.get("par_num"), row.get("line_num"))
        try:
            box = tuple(int(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if row.get("level") == "4":
            boxes[key] = box  # the line's box: from its highest ascender to its lowest descender
        elif row.get("level") == "5" and (row.get("text") or "").strip():
            words.setdefault(key, []).append(row["text"])
    lines = []
    for key, group in words.items():
        left, top, box_width, box_height = boxes[key]
        # a line box is about 1.2 times the type size; its baseline about a fifth up from its bottom
        size = box_height * scale / 1.2
        lines.append(PdfLine(" ".join(group), left * scale, (left + box_width) * scale,
                             height - (top + box_height) * scale + 0.2 * size, size))
    return lines


def _rescale(lines: list[PdfLine], body: float) -> None:
    """Give a scanned page's lines the document's scale: its commonest type size becomes the body
    size (a scan's size is unknown; only the sizes on the page relative to each other count)."""
    sizes: Counter = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    if sizes:
        ratio = body / sizes.most_common(1)[0][0]
        for line in lines:
            line.size *= ratio


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _strip_furniture(pages: list[PageText], body: float) -> None:
    """Drop running headers and footers (repeated at the top or bottom of most pages) and bare page
    numbers; move small print at the foot of a page to its footnotes."""
    repeated: Counter = Counter()
    for page in pages:
        repeated.update({_key(line.text) for line in page.lines
                         if line.top > page.height * (1 - MARGIN) or line.bottom < page.height * MARGIN})
    threshold = max(2, len(pages) // 2) if len(pages) >= 3 else 10**9
    for page in pages:
        kept, notes = [], []
        for line in page.lines:
            in_margin = line.top > page.height * (1 - MARGIN) or line.bottom < page.height * MARGIN
            furniture = repeated[_key(line.text)] >= threshold or PAGE_NUMBER.match(line.text) or (
                len(pages) < 3 and line.size < 0.9 * body)  # too few pages to see repetition: small print
            if in_margin and furniture:
                continue
            if line.size < SMALL * body and line.bottom < page.height * FOOT and not line.mono \
                    and (notes or NOTE_START.match(line.text)):
                notes.append(line.text)
                continue
            kept.append(line)
        page.lines = kept
        page.notes = _join_notes(notes, page.label)


def _join_notes(lines: list[str], label: str) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    for line in lines:
        start = NOTE_START.match(line)
        if start or not notes:
            number, text = (start.group(1), start.group(2)) if start else ("", line)
            notes.append((f"{label}:{number}", text))
        else:
            notes[-1] = (notes[-1][0], notes[-1][1] + " " + line)
    return [(key, BACKLINK.sub("", text)) for key, text in notes]


def _endnotes(pages: list[PageText], body: float) -> list[tuple[str, str, str]]:
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
    if not trailing or not NOTE_START.match(trailing[0][1].text):
        return []
    taken = set(map(id, (line for _, line in trailing)))
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in taken]
    notes = _join_notes([line.text for _, line in trailing], "*")
    return [(trailing[0][0].label, label, text) for label, text in notes]


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


def _spacing(pages: list[PageText], body: float) -> float:
    """Line spacing as a multiple of the type size, from consecutive body lines."""
    ratios = []
    for page in pages:
        for previous, line in zip(page.lines, page.lines[1:]):
            gap = previous.baseline - line.baseline
            if abs(line.size - body) < 0.5 and abs(previous.size - body) < 0.5 and 0 < gap < 2.5 * body:
                ratios.append(gap / body)
    return statistics.median(ratios) if ratios else 1.2


def _page_spacing(page: PageText) -> float:
    ratios = sorted((a.baseline - b.baseline) / max(a.size, b.size) for a, b in zip(page.lines, page.lines[1:])
                    if a.baseline > b.baseline)
    return ratios[len(ratios) // 4] if ratios else 1.2


def _margins(lines: list[PdfLine], body: float) -> dict[int, float]:
    """The left margin of each column of a page: the leftmost start shared by two body lines (a
    page of list items is still indented from the margin; one stray line does not move it)."""
    starts: dict[int, Counter] = {}
    for line in lines:
        if abs(line.size - body) < 0.5 and not line.mono:
            starts.setdefault(line.column, Counter())[round(line.left)] += 1
    margins = {}
    for column, counts in starts.items():
        shared = [left for left, n in counts.items() if n >= 2]
        margins[column] = float(min(shared or counts))
    return margins


def _to_lines(pages: list[PageText], body: float) -> list[Line]:
    """Lines for the segmenter: a blank line where a paragraph ends. Inside a column that is where
    the baseline moves on by more than the type's line spacing, or the type changes between
    heading, body and code; at a page or column break, where the last line ends a sentence or is
    in heading type, or the next starts a heading or numbered paragraph."""
    out: list[Line] = []
    spacing = _spacing(pages, body)
    previous: PdfLine | None = None
    rights: dict[int, float] = {}
    for page in pages:
        margins = _margins(page.lines, body)
        # a scan's spacing is its own (its scale is not the document's): its tighter gaps are the
        # line spacing inside paragraphs
        page_spacing = _page_spacing(page) if page.scanned else spacing
        for k, line in enumerate(page.lines):
            if previous is not None:
                # from one page, or one column, to the next the text runs on unless it ends there
                if k == 0 or line.column != previous.column:
                    # a last line that stops well short of its column's right edge ends its paragraph;
                    # one that fills the column to its edge (as only a justified line does) runs on,
                    # even after a full stop
                    edge = rights.get(previous.column, previous.right)
                    short = previous.right < edge - 4 * previous.size
                    full = previous.right >= edge - 0.5 * previous.size
                    broken = ((TERMINAL.search(previous.text) and not full) or _starts_block(line, body) or short
                              or _heading_type(previous, body) != _heading_type(line, body)) \
                        and not (line.mono and previous.mono)
                else:
                    size = max(line.size, previous.size)
                    gap = previous.baseline - line.baseline
                    broken = (gap > page_spacing * size + max(1.5, 0.2 * size) or gap < -0.5 * size
                              or _heading_type(previous, body) != _heading_type(line, body)
                              or abs(line.size - previous.size) > 0.15 * body)
                if broken:
                    out.append(Line("", page.label))
            indent = max(0.0, line.left - margins.get(line.column, line.left)) / body
            if abs(line.size - body) < 0.5 and not line.mono:
                rights[line.column] = max(rights.get(line.column, 0.0), line.right)
            out.append(Line(line.text, page.label, line.size / body, line.bold, indent, line.mono))
            previous = line
    return out


def _body_size(pages: list[PageText]) -> float:
    """The type size of most of the text (by characters), away from the page margins where
    running headers and footers live."""
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            if page.height * MARGIN <= line.bottom and line.top <= page.height * (1 - MARGIN):
                sizes[round(line.size, 1)] += len(line.text)
    if not sizes:
        sizes.update(round(line.size, 1) for page in pages for line in page.lines)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def pdf_lines(data: bytes, name: str, ocr: bool = False) -> tuple[list[Line], list[tuple[str, str, str]], list[str],
                                                                   list[str]]:
    """Lines of a PDF's body text with page labels; its footnotes as (page, label, text); the
    labels of OCR'd pages; and warnings (what was assumed where the layout could not be read)."""
    pdf = _open(data, name)
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
        raise WtcompareError(f"{name}: {len(scanned)} page(s) have no text layer (scanned: page {which}); "
                             "add --ocr to read them with Tesseract")
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
            warnings.append(f"{name}: page {page.label} seems to be set in two columns that could not be told "
                            "apart; read across the page, line by line")
    kept = [p for p in pages if not _is_contents(p)]
    notes = [(p.label, label, text) for p in kept for label, text in p.notes] + _endnotes(kept, body)
    return _to_lines(kept, body), notes, scanned if ocr else [], warnings
