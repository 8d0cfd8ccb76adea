"""Build PDFs shaped like the published editions, with reportlab, for the loader tests and benchmark.

A publication is a list of blocks; `make_pdf` lays them out on A4 pages with a running header, a
footer with the printed page number, page labels (roman for the front matter, arabic after), and
returns the bytes. Fictional text only.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 72, WIDTH - 72, HEIGHT - 90, 100
BODY, LEADING = 10.5, 14
HEADER = "Joining Up for Children (fictional test document)"


def wrap(text: str, width: float, size: float = BODY, hyphenate: str | None = None) -> list[str]:
    """Greedy wrap; the word ``hyphenate`` is broken across the line end where it falls."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, "Helvetica", size) <= width:
            line = candidate
            continue
        if word == hyphenate:
            for cut in range(len(word) - 3, 2, -1):
                head = f"{line} {word[:cut]}-".strip()
                if stringWidth(head, "Helvetica", size) <= width:
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
            continue
        lines.append(line)
        line = word
    return lines + ([line] if line else [])


class Writer:
    def __init__(self, front_pages: int = 0) -> None:
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4, invariant=1)
        self.page = 0
        self.front_pages = front_pages
        self.y = TOP
        self.footnotes: list[str] = []
        self._started = False

    # pages ---------------------------------------------------------------------------------
    def new_page(self, furniture: bool = True) -> None:
        if self._started:
            self._finish_page()
        self._started = True
        self.page += 1
        self.furniture = furniture
        self.y = TOP

    def _finish_page(self) -> None:
        c = self.canvas
        if self.footnotes:
            c.line(LEFT, 95, LEFT + 120, 95)
            y = 84
            for note in self.footnotes:
                for line in wrap(note, RIGHT - LEFT, 8):
                    c.setFont("Helvetica", 8)
                    c.drawString(LEFT, y, line)
                    y -= 10
            self.footnotes = []
        if self.furniture:
            c.setFont("Helvetica", 8)
            c.drawString(LEFT, HEIGHT - 40, HEADER)
            body_number = self.page - self.front_pages
            c.drawCentredString(WIDTH / 2, 30, str(body_number))
        c.showPage()

    def _room(self, needed: float) -> None:
        if self.y - needed < BOTTOM:
            self.new_page()

    # blocks ---------------------------------------------------------------------------------
    def text(self, x: float, line: str, size: float = BODY, font: str = "Helvetica") -> None:
        self._room(LEADING)
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.y, line)
        self.y -= LEADING if size <= BODY else size * 1.4

    def heading(self, text: str, size: float) -> None:
        self._room(size * 3 + LEADING * 2)
        self.y -= size * 0.6
        self.text(LEFT, text, size, "Helvetica-Bold")
        self.y -= 6

    def paragraph(self, number: str | None, text: str, hyphenate: str | None = None, gap: float = 8) -> None:
        indent = 36 if number else 0
        lines = wrap(text, RIGHT - LEFT - indent, hyphenate=hyphenate)
        for k, line in enumerate(lines):
            self._room(LEADING)
            if k == 0 and number:
                self.canvas.setFont("Helvetica", BODY)
                self.canvas.drawString(LEFT, self.y, number)
            self.text(LEFT + indent, line)
        self.y -= gap

    def bullets(self, items: list[str]) -> None:
        for item in items:
            for k, line in enumerate(wrap(item, RIGHT - LEFT - 54)):
                self._room(LEADING)
                if k == 0:
                    self.canvas.setFont("Helvetica", BODY)
                    self.canvas.drawString(LEFT + 36, self.y, "\u2022")
                self.text(LEFT + 54, line)
        self.y -= 8

    def footnote(self, text: str) -> None:
        self.footnotes.append(text)

    def columns(self, left: list[str], right: list[str]) -> None:
        """Two columns of paragraphs side by side, starting at the current height."""
        width = (RIGHT - LEFT - 24) / 2
        top = self.y
        for x, paragraphs in ((LEFT, left), (LEFT + width + 24, right)):
            self.y = top
            for text in paragraphs:
                for line in wrap(text, width):
                    self.text(x, line)
                self.y -= 8
        self.y = min(self.y, top - 10)

    def table(self, rows: list[list[str]]) -> None:
        width = (RIGHT - LEFT) / len(rows[0])
        for row in rows:
            self._room(LEADING)
            self.canvas.setFont("Helvetica", BODY)
            for k, cell in enumerate(row):
                self.canvas.drawString(LEFT + k * width, self.y, cell)
            self.y -= LEADING
        self.y -= 8

    def image_page(self, lines: list[str]) -> None:
        """A page that is only a picture of text, as in a scan."""
        from PIL import Image, ImageDraw, ImageFont
        from reportlab.lib.utils import ImageReader

        self.new_page(furniture=False)
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        try:
            font = ImageFont.truetype("DejaVuSans.ttf", 34)
        except OSError:
            font = ImageFont.load_default(size=34)
        y = 200
        for line in lines:
            draw.text((150, y), line, fill=0, font=font)
            y += 60
        self.canvas.drawImage(ImageReader(image), 0, 0, WIDTH, HEIGHT)

    def finish(self, labels: bool = True) -> bytes:
        self._finish_page()
        if labels and self.front_pages:
            self.canvas.addPageLabel(0, "ROMAN_LOWER", 1)
            self.canvas.addPageLabel(self.front_pages, "ARABIC", 1)
        self.canvas.save()
        return self.buffer.getvalue()
