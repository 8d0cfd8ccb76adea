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
SMALL = 0.85  # type this much smaller than the body is small print (footnotes)
SUPERSCRIPT = 0.8  # a digit in type this much smaller than its line, raised above it, is a note marker
PAGE_NUMBER = re.compile(r"^(page\s+)?([0-9]{1,4}|[ivxlc]{1,6})(\s+of\s+[0-9]+)?$", re.I)
TERMINAL = re.compile(r"[.:;?!\u201d\"')]$")
CONTENTS_LINE = re.compile(r"(\.{2,}|\s)\s*([0-9]{1,4}|[ivxlc]{1,6})$", re.I)
NOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
OCR_DPI = 300


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

    def bold(self, index: int) -> bool:
        weight = self.raw.FPDFText_GetFontWeight(self.page, index)
        if weight >= 600:
            return True
        length = self.raw.FPDFText_GetFontInfo(self.page, index, self._name, len(self._name), self._flags)
        name = self._name.raw[:max(length - 1, 0)].decode("latin-1", "replace").lower()
        return "bold" in name or "black" in name or "heavy" in name


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


def _page_lines(textpage, label: str) -> list[PdfLine]:
    """The page's visual lines, superscript digits turned into note references."""
    chars = _Chars(textpage)
    text = textpage.get_text_range().replace("\x02", "-")
    lines: list[PdfLine] = []
    for segment in _segments(text):
        x, baseline = chars.origin(segment.first)
        size = chars.size(segment.first)
        content = segment.text
        # superscript digits: smaller type above the baseline of the segment's first character
        if any(c.isdigit() for c in content):
            kept = []
            for offset, char in enumerate(content):
                index = segment.start + offset
                if char.isdigit() and index != segment.first:
                    char_size = chars.size(index)
                    raised = chars.origin(index)[1] - baseline
                    if char_size < SUPERSCRIPT * size and raised > 0.15 * size:
                        if kept and kept[-1][0] == "note":
                            kept[-1] = ("note", kept[-1][1] + char)
                        else:
                            kept.append(("note", char))
                        continue
                kept.append(("text", char))
            content = "".join(note_ref(f"{label}:{v}") if kind == "note" else v for kind, v in kept)
        last = segment.start + len(segment.text.rstrip()) - 1
        line = PdfLine(content.strip(), x, chars.right(last), baseline, size, chars.bold(segment.first))
        previous = lines[-1] if lines else None
        if previous and abs(line.baseline - previous.baseline) <= 0.6 * max(line.size, previous.size) \
                and line.left >= previous.right - 1:
            gap = line.left - previous.right
            joiner = "" if content.startswith(" ") or previous.text.endswith(" ") or gap < 0.2 * previous.size else " "
            previous.text = (previous.text + joiner + line.text).strip()
            previous.right = line.right
            previous.bold = previous.bold and line.bold
            continue
        if previous and line.size < SUPERSCRIPT * previous.size and line.baseline > previous.baseline \
                and line.text.isdigit() and line.left >= previous.right - 1:
            previous.text += note_ref(f"{label}:{line.text}")  # a marker pdfium put on a line of its own
            previous.right = line.right
            continue
        lines.append(line)
    return lines


def _has_image(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _columns(lines: list[PdfLine], width: float) -> list[PdfLine]:
    """Lines in reading order. Where a page has two columns of running text (wide lines on each side
    of the middle, none crossing it), the left column is read before the right one; text above
    and below the columns stays in place. Tables (narrow cells) are not columns."""
    ordered = sorted(lines, key=lambda line: (-line.baseline, line.left))
    middle = width / 2
    one_side = [line for line in ordered if line.right < middle + 2 or line.left > middle - 2]
    wide = [line for line in one_side if line.right - line.left > 0.25 * width]
    left = [line for line in wide if line.right < middle + 2]
    right = [line for line in wide if line.left > middle - 2]
    if len(left) < 3 or len(right) < 3:
        return ordered
    top = min(max(line.top for line in left), max(line.top for line in right))
    bottom = max(min(line.bottom for line in left), min(line.bottom for line in right))
    if top <= bottom:
        return ordered
    # the longer column runs on below the shorter one: take its next lines while they stay on one
    # side in the columns' type, close under the line above them
    column_size = statistics.median(line.size for line in left + right)
    ends = {"left": min(line.bottom for line in left), "right": min(line.bottom for line in right)}
    for line in ordered:
        side = "left" if line.right < middle + 2 else "right" if line.left > middle - 2 else None
        if side and line.top < ends[side] and not line.bold and abs(line.size - column_size) < 0.5 \
                and ends[side] - line.top < 1.5 * line.size:
            ends[side] = line.bottom
    bottom = min(bottom, *ends.values())
    region = [line for line in ordered if line.bottom >= bottom - 1 and line.top <= top + 1]
    if any(line.left < middle - 2 and line.right > middle + 2 for line in region):
        return ordered
    inside = set(map(id, region))
    above = [line for line in ordered if id(line) not in inside and line.bottom > top]
    below = [line for line in ordered if id(line) not in inside and line.bottom <= top]
    return (above + [line for line in region if line.left < middle] + [line for line in region if line.left >= middle]
            + below)


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
            if line.size < SMALL * body and line.bottom < page.height * FOOT and (notes or NOTE_START.match(line.text)):
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
    return notes


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


def _to_lines(pages: list[PageText], body: float) -> list[Line]:
    """Lines for the segmenter: a blank line where a paragraph ends. Inside a page that is where
    the baseline moves on by more than the type's line spacing, or the type changes between
    heading and body; at a page break, where the last line ends a sentence or is in heading type,
    or the next starts a heading or numbered paragraph."""
    out: list[Line] = []
    spacing = _spacing(pages, body)
    previous: PdfLine | None = None
    for page in pages:
        # a scan's spacing is its own (its scale is not the document's): its tighter gaps are the
        # line spacing inside paragraphs
        page_spacing = _page_spacing(page) if page.scanned else spacing
        for k, line in enumerate(page.lines):
            if previous is not None:
                if k == 0:
                    broken = (TERMINAL.search(previous.text) or _starts_block(line, body)
                              or _heading_type(previous, body) != _heading_type(line, body))
                else:
                    size = max(line.size, previous.size)
                    gap = previous.baseline - line.baseline
                    broken = (gap > page_spacing * size + max(1.5, 0.2 * size) or gap < -0.5 * size
                              or _heading_type(previous, body) != _heading_type(line, body)
                              or abs(line.size - previous.size) > 0.15 * body)
                if broken:
                    out.append(Line("", page.label))
            out.append(Line(line.text, page.label, line.size / body if body else None,
                            line.bold))
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


def pdf_lines(data: bytes, name: str, ocr: bool = False) -> tuple[list[Line], list[tuple[str, str, str]], list[str]]:
    """Lines of a PDF's body text with page labels; its footnotes as (page, label, text); and the
    labels of OCR'd pages."""
    pdf = _open(data, name)
    pages, scanned = [], []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            label = pdf.get_page_label(index) or str(index + 1)
            width, height = page.get_size()
            lines = _page_lines(page.get_textpage(), label)
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
        page.lines = _columns(page.lines, page.width)
    _strip_furniture(pages, body)
    kept = [p for p in pages if not _is_contents(p)]
    notes = [(p.label, label, text) for p in kept for label, text in p.notes]
    return _to_lines(kept, body), notes, scanned if ocr else []
