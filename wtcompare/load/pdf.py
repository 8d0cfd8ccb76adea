"""PDF loader: text layer by pypdfium2 (OCR by Tesseract for scanned pages), with page labels.

pypdfium2 was chosen over pdfminer.six because it is far faster (see the README's figures) and its
text runs carry positions, which is all the layout work below needs: running headers and footers
(lines repeated across pages at the top or bottom) are dropped, two-column pages are read column by
column, small-print lines at the foot of a page become footnotes, and paragraphs continue across
page breaks. Each line keeps the printed page label (the physical page number when the PDF has no
labels), so every paragraph knows its page.
"""
from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass

from ..errors import WtcompareError
from ..segment import CHAPTER, NUMBERED_PARAGRAPH, Line

MARGIN = 0.08  # share of the page height at top and bottom where running headers and footers live
PAGE_NUMBER = re.compile(r"^(page\s+)?([0-9]{1,4}|[ivxlc]{1,6})(\s+of\s+[0-9]+)?$", re.I)
TERMINAL = re.compile(r"[.:;?!\u201d\"')]$")
CONTENTS_LINE = re.compile(r"(\.{2,}|\s)\s*([0-9]{1,4}|[ivxlc]{1,6})$", re.I)


@dataclass
class Run:
    """A run of text on one line of a page, with its box in PDF points (origin bottom left)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float


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


def _runs(page) -> list[Run]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    runs = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", "").replace("\n", " ")
        text = text.replace("\x02", "-").replace("\u00ad", "-").strip()
        if not text:
            continue
        index = textpage.get_index((left + right) / 2, (bottom + top) / 2, (right - left) / 2 + 1, (top - bottom) / 2 + 1)
        size = raw.FPDFText_GetFontSize(textpage.raw, index) if index >= 0 else top - bottom
        runs.append(Run(text, left, bottom, right, top, float(size)))
    return runs


def _has_image(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Group runs into lines (runs whose vertical middles fall inside each other's boxes), top to
    bottom, each left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-(r.top + r.bottom) / 2, r.left)):
        middle = (run.top + run.bottom) / 2
        if lines and any(r.bottom - 1 <= middle <= r.top + 1 for r in lines[-1]):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.left) for line in lines]


def _columns(runs: list[Run], width: float) -> list[list[Run]]:
    """Runs in reading order. Where a page has two columns of running text (wide lines on each side
    of the middle, none crossing it), the left column is read before the right one; text above
    and below the columns stays in place. Tables (narrow cells) are not columns."""
    middle = width / 2
    wide = [r for r in runs if r.right - r.left > 0.25 * width]
    left = [r for r in wide if r.right < middle + 2]
    right = [r for r in wide if r.left > middle - 2]
    if len(left) < 3 or len(right) < 3:
        return [runs]
    top = min(max(r.top for r in left), max(r.top for r in right))
    bottom = max(min(r.bottom for r in left), min(r.bottom for r in right))
    region = [r for r in runs if r.bottom >= bottom - 1 and r.top <= top + 1]
    if top <= bottom or any(r.left < middle - 2 and r.right > middle + 2 for r in region):
        return [runs]
    above = [r for r in runs if r not in region and r.bottom > top]
    below = [r for r in runs if r not in region and r.bottom <= top]
    return [above, [r for r in region if r.left < middle], [r for r in region if r.left >= middle], below]


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


@dataclass
class PageText:
    label: str
    lines: list[tuple[str, float, float, float]]  # text, top, bottom, font size
    height: float
    footnotes: list[str]


def _page_text(page, label: str) -> PageText:
    width, height = page.get_size()
    runs = _runs(page)
    lines = []
    for column in _columns(runs, width):
        for line in _lines(column):
            text = re.sub(r"\s+", " ", " ".join(r.text for r in line)).strip()
            lines.append((text, max(r.top for r in line), min(r.bottom for r in line),
                          statistics.median(r.size for r in line)))
    return PageText(label, lines, height, [])


def _ocr_page(page, label: str, name: str) -> PageText:
    if not shutil.which("tesseract"):
        raise WtcompareError(f"{name}: --ocr needs Tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)")
    image = page.render(scale=300 / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "4"], input=buffer.getvalue(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise WtcompareError(f"{name}: Tesseract failed on page {label}: {done.stderr.decode(errors='replace').strip()[:200]}")
    text = done.stdout.decode("utf-8", errors="replace")
    height = page.get_size()[1]
    # OCR gives no positions here; keep blank lines as paragraph breaks by spacing the lines apart.
    lines, y = [], height
    for raw_line in text.split("\n"):
        y -= 24 if not raw_line.strip() else 12
        if raw_line.strip():
            lines.append((raw_line.strip(), y + 10, y, 10.0))
    return PageText(label, lines, height, [])


def _strip_furniture(pages: list[PageText]) -> None:
    """Drop running headers and footers (repeated at the top or bottom of most pages) and bare page
    numbers; move small print at the foot of a page to its footnotes."""
    repeated: Counter = Counter()
    for page in pages:
        keys = {_key(t) for t, top, bottom, _ in page.lines
                if top > page.height * (1 - MARGIN) or bottom < page.height * MARGIN}
        repeated.update(keys)
    threshold = max(2, len(pages) // 2) if len(pages) >= 3 else 10**9
    sizes = [s for p in pages for _, _, _, s in p.lines]
    body = statistics.median(sizes) if sizes else 10.0
    for page in pages:
        kept, footnotes = [], []
        for text, top, bottom, size in page.lines:
            in_margin = top > page.height * (1 - MARGIN) or bottom < page.height * MARGIN
            furniture = repeated[_key(text)] >= threshold or PAGE_NUMBER.match(text) or (
                len(pages) < 3 and size < 0.9 * body)  # too few pages to see repetition: small print
            if in_margin and furniture:
                continue
            if size < 0.85 * body and bottom < page.height * 0.35 and (footnotes or re.match(r"^\d{1,3}\s", text)):
                footnotes.append(text)
                continue
            kept.append((text, top, bottom, size))
        page.lines = kept
        page.footnotes = _join_footnotes(footnotes)


def _join_footnotes(lines: list[str]) -> list[str]:
    notes: list[str] = []
    for line in lines:
        if re.match(r"^\d{1,3}\s", line) or not notes:
            notes.append(line)
        else:
            notes[-1] += " " + line
    return notes


def _is_contents(page: PageText) -> bool:
    """A table of contents: most lines end in a page number, or the page is headed "Contents"."""
    texts = [t for t, _, _, _ in page.lines]
    ending = sum(1 for t in texts if CONTENTS_LINE.search(t))
    headed = any(t.strip().lower() in ("contents", "table of contents") for t in texts[:3])
    return ending >= 2 and (headed or ending >= 0.6 * len(texts))


def _starts_block(text: str, size: float, body: float) -> bool:
    return size > 1.15 * body or bool(CHAPTER.match(text)) or bool(NUMBERED_PARAGRAPH.match(text))


def _to_lines(pages: list[PageText]) -> tuple[list[Line], list[tuple[str, str]]]:
    """Lines for the segmenter: a blank line where the vertical gap shows a paragraph break; at a
    page break, none when the text runs on (the last line has no closing punctuation and the next
    one does not start a heading or numbered paragraph). Returns the lines and the footnotes."""
    out: list[Line] = []
    footnotes: list[tuple[str, str]] = []
    sizes = [s for p in pages for _, _, _, s in p.lines]
    body = statistics.median(sizes) if sizes else 10.0
    for page in pages:
        gaps = [prev[2] - cur[1] for prev, cur in zip(page.lines, page.lines[1:]) if prev[2] > cur[1]]
        usual = statistics.median(gaps) if gaps else 0.0
        for k, (text, top, bottom, size) in enumerate(page.lines):
            if k == 0 and out:
                previous = out[-1].text
                if TERMINAL.search(previous) or _starts_block(text, size, body):
                    out.append(Line("", page.label))
            elif k > 0:
                gap = page.lines[k - 1][2] - top
                # a change between heading and body type size ends a block; a wrapped heading stays whole
                switch = (size > 1.15 * body) != (page.lines[k - 1][3] > 1.15 * body)
                if gap > max(usual * 1.6, size * 0.5) or switch:
                    out.append(Line("", page.label))
            out.append(Line(text, page.label))
        footnotes.extend((page.label, note) for note in page.footnotes)
    return out, footnotes


def pdf_lines(data: bytes, name: str, ocr: bool = False) -> tuple[list[Line], list[tuple[str, str]], list[str]]:
    """Lines of a PDF's body text with page labels, its footnotes, and the labels of OCR'd pages."""
    pdf = _open(data, name)
    pages, scanned = [], []
    for index in range(len(pdf)):
        page = pdf[index]
        label = pdf.get_page_label(index) or str(index + 1)
        text = _page_text(page, label)
        if not text.lines and _has_image(page):
            if not ocr:
                scanned.append(label)
                continue
            text = _ocr_page(page, label, name)
            scanned.append(label)
        pages.append(text)
    if scanned and not ocr:
        which = ", ".join(scanned[:5]) + (" ..." if len(scanned) > 5 else "")
        raise WtcompareError(f"{name}: {len(scanned)} page(s) have no text layer (scanned: page {which}); "
                             "add --ocr to read them with Tesseract")
    _strip_furniture(pages)
    lines, footnotes = _to_lines([p for p in pages if not _is_contents(p)])
    return lines, footnotes, scanned if ocr else []
