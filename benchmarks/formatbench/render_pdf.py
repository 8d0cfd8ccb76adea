"""PDF, from two independent producers.

reportlab lays the model out as printed guidance is laid out: justified Vera text on A4, a running
header (the title) and footer ("Page N"), paragraphs that run on across pages, curly quotes, one
section on a two-column page, one heading forced to the foot of a page, and footnotes in small print
at the foot of the page that cites them, with superscript markers. Footnotes take room from the page
they land on, which moves the text, which can move a footnote: the layout is repeated until every
note falls on a page with room for it.

Chromium prints the print page of `render_html` (justified text, one section in CSS columns) with
its own header and footer templates. Chromium stamps its PDF with the time and offers no way to fix
it, so that file alone is not byte-identical between runs; its text is.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    XPreformatted,
)
from reportlab.platypus import Paragraph as Para

from .model import Code, Document, Heading, Paragraph, Run, column_section, item_number, sections
from .render_html import print_page
from .typography import typeset

WIDTH, HEIGHT = A4
MARGIN_X, TOP, BOTTOM = 64, 70, 64  # body frame margins in points
NOTE_SIZE, NOTE_LEADING = 7.5, 9
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # reportlab ships Bitstream Vera: no system fonts needed
pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
pdfmetrics.registerFont(TTFont("VeraIt", "VeraIt.ttf"))
pdfmetrics.registerFont(TTFont("VeraBI", "VeraBI.ttf"))
pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="VeraIt", boldItalic="VeraBI")

# splitLongWords=0: a token wider than the column runs past its edge, as in a typist's document,
# rather than being cut in two with no hyphen (which no reader of the PDF could put back together)
BODY = ParagraphStyle(
    "body", fontName="Vera", fontSize=10, leading=13.5, alignment=TA_JUSTIFY, spaceAfter=6, splitLongWords=0
)
HEADINGS = {
    level: ParagraphStyle(
        f"h{level}", fontName="VeraBd", fontSize=size, leading=size * 1.25, spaceBefore=10, spaceAfter=5, keepWithNext=1
    )
    for level, size in ((1, 15), (2, 12.5), (3, 11), (4, 10.5))
}
TITLE = ParagraphStyle("title", fontName="VeraBd", fontSize=20, leading=24, spaceAfter=4)
SUBTITLE = ParagraphStyle("subtitle", fontName="Vera", fontSize=13, leading=16, spaceAfter=14)
CODE = ParagraphStyle("code", fontName="Courier", fontSize=8, leading=9.6, leftIndent=12, spaceAfter=6)


def _fit(text: str, indent: float) -> str:
    """``text`` with a line break after a "/" in any word too wide for the page (an address of 150
    characters), as a word processor breaks one: it would run off the paper, out of reach of every
    reader of the PDF. A word a little wider than the text runs on into the margin, as before."""
    width = WIDTH - MARGIN_X - indent - 12  # to near the paper's edge from the text's start: the margin is paper too
    words = []
    for word in text.split(" "):
        if stringWidth(word, "Vera", BODY.fontSize) > width:
            pieces, line = [], ""
            for part in re.split(r"(?<=/)", word):
                if line and stringWidth(line + part, "Vera", BODY.fontSize) > width:
                    pieces.append(line)
                    line = ""
                line += part
            word = "<br/>".join(pieces + [line])
        words.append(word)
    return " ".join(words)


def _wrap_code(text: str, indent: float) -> str:
    """Code lines too long for the paper wrapped at a space (after a hyphen where a word is still
    too long), the rest indented as the line was (as a code listing in a word processor wraps), not
    run off its edge."""
    width = int((WIDTH - MARGIN_X - indent) / stringWidth("M", "Courier", CODE.fontSize)) - 1
    lines = []
    for line in text.split("\n"):
        lead = line[: len(line) - len(line.lstrip())]
        wrapped = [line]
        for hyphens in (False, True):  # at spaces, and where a word is still too long, after its hyphens
            wrapped = [
                part
                for piece in wrapped
                for part in (
                    textwrap.wrap(
                        piece,
                        width,
                        subsequent_indent=lead,
                        break_long_words=False,
                        break_on_hyphens=hyphens,
                        expand_tabs=False,
                    )
                    if len(piece) > width
                    else [piece]
                )
            ]
        lines += wrapped
    return "\n".join(lines)


def _markup(runs: list[Run], indent: float = 0) -> str:
    out = []
    for run in runs:
        text = _fit(escape(typeset(run.text)), indent)
        if run.kind == "note":
            out.append(f'<super><onDraw name="footnote" label="{run.note}"/>{run.note}</super>')
        elif run.kind == "code":
            out.append(f'<font face="Courier">{escape(run.text)}</font>')
        elif run.kind == "link" and ":" in run.target:
            out.append(f'<a href="{escape(run.target, {chr(34): "&quot;"})}" color="#1d4f91">{text}</a>')
        elif run.kind == "link":  # a page-relative address has no meaning in a PDF: coloured text only
            out.append(f'<font color="#1d4f91">{text}</font>')
        elif run.kind == "emphasis":
            out.append(f"<i>{text}</i>")
        elif run.kind == "strong":
            out.append(f"<b>{text}</b>")
        else:
            out.append(text)
    return "".join(out)


class _ToFoot(Flowable):
    """Empty space that leaves exactly room for ``heading`` at the foot of the frame, so that the
    heading ends a page and its text starts the next (what keep-with-next prevents, and loaders meet)."""

    def __init__(self, heading: Para) -> None:
        super().__init__()
        self.heading = heading

    def wrap(self, width, height):
        needed = self.heading.wrap(width, height)[1] + self.heading.getSpaceBefore() + 2
        self.height = max(0.0, height - needed)
        return width, self.height

    def draw(self) -> None:
        pass


def _story(document: Document) -> list:
    story = [Para(escape(typeset(document.title)), TITLE)]
    if document.subtitle:
        story.append(Para(escape(typeset(document.subtitle)), SUBTITLE))
    parts = sections(document.blocks)
    columns = column_section(document)
    foot = 2 if len(parts) > 3 else None  # the heading of the third section is forced to a page foot
    for index, part in enumerate(parts):
        if index == columns:
            story += [NextPageTemplate("two"), PageBreak()]
        flowables = _blocks(part, 0)
        if index == foot and index != columns and isinstance(part[0], Heading):
            flowables[0].keepWithNext = 0
            story.append(_ToFoot(flowables[0]))
        story += flowables
        if index == columns:
            story += [NextPageTemplate("one"), PageBreak()]
    return story


def _blocks(blocks: list, depth: int) -> list:
    indent = 18 * depth
    out: list = []
    for block in blocks:
        if isinstance(block, Heading):
            number = f"{block.number} " if block.number else ""
            style = HEADINGS[min(block.level, 4)].clone(f"h{block.level}")
            out.append(Para(number + _markup(block.runs), style))
        elif isinstance(block, Paragraph):
            style = BODY.clone("p", leftIndent=indent + (22 if block.number else 0), bulletIndent=indent)
            markup = _markup(block.runs, style.leftIndent)
            out.append(Para(markup, style, bulletText=f"{block.number}." if block.number else None))
        elif isinstance(block, Code):
            out.append(
                XPreformatted(escape(_wrap_code(block.text, indent + 12)), CODE.clone("pre", leftIndent=indent + 12))
            )
        else:
            for ordinal, item in enumerate(block.items, start=1):
                marker = "\u2022" if block.style == "-" else item_number(block.style, ordinal)
                head, *rest = item
                style = BODY.clone("li", leftIndent=indent + 22, bulletIndent=indent + 4, spaceAfter=3)
                out.append(Para(_markup(head.runs, style.leftIndent), style, bulletText=marker))
                out += _blocks(rest, depth + 1)
    return out


class _Pages(BaseDocTemplate):
    """Templates "one" (one column) and "two" (two columns); ``reserve`` maps a page number to the
    height its footnotes need at the foot; ``placed`` records which notes were drawn on each page."""

    def __init__(self, path: str, document: Document, reserve: dict[int, float]) -> None:
        super().__init__(
            path,
            pagesize=A4,
            invariant=1,
            title=document.title,
            author="format-invariance bench",
            subject=document.subtitle,
            creator="reportlab",
            producer="reportlab",
        )
        self.document = document
        self.notes = {note.number: note for note in document.footnotes}
        self.reserve = reserve
        self.placed: dict[int, list[int]] = {}
        height = HEIGHT - TOP - BOTTOM
        half = (WIDTH - 2 * MARGIN_X - 18) / 2
        one = [Frame(MARGIN_X, BOTTOM, WIDTH - 2 * MARGIN_X, height, id="body")]
        two = [
            Frame(MARGIN_X, BOTTOM, half, height, id="left"),
            Frame(MARGIN_X + half + 18, BOTTOM, half, height, id="right"),
        ]
        self.addPageTemplates(
            [
                PageTemplate("one", one, onPage=self._furniture, onPageEnd=self._footnotes),
                PageTemplate("two", two, onPage=self._furniture, onPageEnd=self._footnotes),
            ]
        )

    def beforePage(self) -> None:
        self.canv.setNamedCB("footnote", self._cited)
        room = self.reserve.get(self.page, 0.0)
        for frame in self.pageTemplate.frames:  # raise the frames' foot to leave the notes their room
            frame.__dict__["_y1"] = BOTTOM + room
            frame.__dict__["_height"] = HEIGHT - TOP - BOTTOM - room
            frame._geom()
            frame._reset()

    def _cited(self, canvas, kind, label) -> None:
        self.placed.setdefault(self.page, []).append(int(label))

    def _furniture(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Vera", 8)
        canvas.drawString(MARGIN_X, HEIGHT - 40, typeset(self.document.title))
        canvas.drawRightString(WIDTH - MARGIN_X, 34, f"Page {doc.page}")
        canvas.restoreState()

    def _footnotes(self, canvas, doc) -> None:
        numbers = self.placed.get(doc.page, [])
        if not numbers:
            return
        lines = note_lines(self.notes, numbers)
        canvas.saveState()
        y = BOTTOM + len(lines) * NOTE_LEADING
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, y + 4, MARGIN_X + 120, y + 4)
        canvas.setFont("Vera", NOTE_SIZE)
        for line in lines:
            y -= NOTE_LEADING
            canvas.drawString(MARGIN_X, y + 2, line)
        canvas.restoreState()


def note_lines(notes: dict, numbers: list[int]) -> list[str]:
    """The notes as printed: "3 Text of the note" wrapped to the body width."""
    lines = []
    for number in numbers:
        text = f"{number} " + typeset("".join(run.text for run in notes[number].runs))
        lines += simpleSplit(text, "Vera", NOTE_SIZE, WIDTH - 2 * MARGIN_X)
    return lines


def reportlab_pdf(document: Document, path: Path) -> None:
    """Lay out, see where the notes fell, make room for them there and lay out again, until every
    page has the room its notes need. Room only ever grows (a page that lost its note keeps a short
    text area, as Word's pages sometimes do), so this ends."""
    reserve: dict[int, float] = {}
    notes = {note.number: note for note in document.footnotes}
    for _ in range(8):
        pages = _Pages(str(path), document, reserve)
        pages.build(_story(document))
        needed = {page: len(note_lines(notes, numbers)) * NOTE_LEADING + 10 for page, numbers in pages.placed.items()}
        if all(reserve.get(page, 0.0) >= room for page, room in needed.items()):
            return
        reserve = {page: max(reserve.get(page, 0.0), needed.get(page, 0.0)) for page in reserve.keys() | needed.keys()}
    raise RuntimeError(f"{document.name}: footnote placement did not settle in eight layouts")


HEADER = '<div style="font-size:7pt; width:100%; margin:0 20mm; font-family:serif;"><span class="title"></span></div>'
FOOTER = (
    '<div style="font-size:7pt; width:100%; margin:0 20mm; text-align:right; font-family:serif;">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


def chromium_pdf(document: Document, path: Path, browser) -> None:
    """Print the print page with ``browser`` (a Playwright Chromium browser)."""
    page = browser.new_page()
    try:
        page.set_content(print_page(document), wait_until="load")
        path.write_bytes(
            page.pdf(
                format="A4",
                display_header_footer=True,
                header_template=HEADER,
                footer_template=FOOTER,
                print_background=False,
                margin={"top": "22mm", "bottom": "24mm", "left": "20mm", "right": "20mm"},
            )
        )
    finally:
        page.close()
