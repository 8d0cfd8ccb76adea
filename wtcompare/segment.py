"""Segment stage: turn lines of text into a `Document` tree of sections and paragraphs.

Two entry points:

* `segment_text` / `segment_lines` for text whose structure must be recognised from the lines
  themselves (plain text, Markdown, text extracted from PDFs);
* `DocumentBuilder` for loaders that already know what is a heading and what is a paragraph
  (HTML, DOCX). Both give ids by the same rules, so the same file always gets the same ids.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .model import Document, Paragraph, Section

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
ROMAN = re.compile(r"^(?=[ivxlc]+$)(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
CHAPTER = re.compile(
    r"^(chapter|part|annex|appendix)\s+([0-9]+|[a-z]|[ivxlc]+|" + "|".join(NUMBER_WORDS) + r")\b"
    r"\s*(?:[:.\-\u2013\u2014]\s*)?(.*)$",
    re.I,
)
NUMBERED_HEADING = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s+(\S.*)$")
NUMBERED_PARAGRAPH = re.compile(r"^(\d{1,4}(?:\.\d{1,4})*)(\.|\s)\s*(?=\S)(.*)$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022\u2023\u25e6\u2043\u2013\u25aa\u25cf]|\(?[a-z]\)|\(?[ivx]+\))\s+(\S.*)$")
TERMINAL = re.compile(r"[.:;?!,\u201d\"')\]]$")
HYPHEN_BREAK = re.compile(r"([A-Za-z\u00c0-\u024f]+)-$")
WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:-[A-Za-z\u00c0-\u024f]+)*")


@dataclass
class Line:
    """A line of source text and the printed page it came from (when known)."""

    text: str
    page: str | None = None


def slug(text: str, limit: int = 40) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-") or "section"


def _chapter_number(token: str) -> str:
    low = token.lower()
    if low.isdigit():
        return str(int(low))
    if low in NUMBER_WORDS:
        return str(NUMBER_WORDS[low])
    if ROMAN.match(low):
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
        total = 0
        for a, b in zip(low, low[1:] + " "):
            total += -values[a] if values.get(b, 0) > values[a] else values[a]
        return str(total)
    return low


class DocumentBuilder:
    """Builds a `Document` from a stream of headings and paragraphs, giving stable ids.

    Levels: 1 is a chapter (or part, annex), 2 a section, 3 a subsection. Text before the
    first heading goes into a ``front`` section.
    """

    def __init__(self) -> None:
        self._top: list[Section] = []
        self._stack: list[Section] = []
        self._used: set[str] = set()
        self._title: str | None = None
        self._last: Paragraph | None = None

    def title(self, text: str) -> None:
        """The document's own title (shown as the heading of the ``front`` section)."""
        self._title = text.strip()

    def heading(self, text: str, level: int, number: str | None = None, kind: str = "chapter") -> Section:
        """Open a section. ``kind`` names a level-1 heading (chapter, part, annex, appendix)."""
        level = max(1, level)
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        parent = self._stack[-1] if self._stack else None
        if level == 1:
            key = (("ch" if kind == "chapter" else kind) + number) if number else slug(text)
        else:
            key = number if number else slug(text)
        base = f"{parent.id}/{key}" if parent else key
        section_id = self._unique(base)
        section = Section(id=section_id, heading=text.strip() or (f"{kind.title()} {number}" if number else ""),
                          level=level, number=number)
        (parent.children if parent else self._top).append(section)
        self._stack.append(section)
        self._last = None
        return section

    def paragraph(self, text: str, number: str | None = None, page: str | None = None) -> Paragraph | None:
        text = text.strip()
        if not text:
            return None
        section = self._current()
        paragraph = Paragraph(id=f"{section.id}/p{len(section.paragraphs) + 1}", text=text, number=number, page=page)
        section.paragraphs.append(paragraph)
        self._last = paragraph
        return paragraph

    def list_item(self, text: str, page: str | None = None) -> None:
        """A list item joins the paragraph that introduces it, one item per line."""
        if self._last is None:
            self.paragraph(text, page=page)
        else:
            self._last.text += "\n" + text.strip()

    def footnote(self, text: str) -> None:
        if self._last is not None:
            self._last.footnotes.append(text.strip())

    def build(self) -> Document:
        return Document(sections=[s for s in self._top if s.paragraphs or s.children or s.id != "front"])

    def _current(self) -> Section:
        if not self._stack:
            front = Section(id=self._unique("front"), heading=self._title or "Front matter", level=1)
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


def segment_text(text: str) -> Document:
    """Segment plain text or Markdown. Form feeds (as pdftotext writes) mark page breaks."""
    paged = "\f" in text
    lines = []
    for page_no, page_text in enumerate(text.split("\f"), start=1):
        lines.extend(Line(raw, str(page_no) if paged else None) for raw in page_text.split("\n"))
        lines.append(Line(""))
    return segment_lines(lines)


def segment_lines(lines: Iterable[Line]) -> Document:
    """Segment lines into sections and paragraphs. Blank lines separate blocks."""
    blocks: list[list[Line]] = [[]]
    for line in lines:
        stripped = line.text.rstrip()
        if stripped.strip():
            blocks[-1].append(Line(stripped, line.page))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    return _Segmenter(blocks).run()


def attach_footnotes(document: Document, footnotes: list[tuple[str, str]], page_order: list[str]) -> None:
    """Attach each footnote (page label, text starting with its number) to the paragraph on that
    page that carries its marker (a word followed directly by the number), else to the last
    paragraph that starts on or before that page."""
    rank = {label: k for k, label in enumerate(page_order)}
    paragraphs = list(document.paragraphs())
    for page, note in footnotes:
        number = re.match(r"^(\d{1,3})\s", note)
        marked = [p for p in paragraphs if p.page == page and number
                  and re.search(r"[A-Za-z.,;:)]" + number.group(1) + r"\b", p.text)]
        before = [p for p in paragraphs if rank.get(p.page or "", -1) <= rank.get(page, -1)]
        target = marked[0] if marked else (before[-1] if before else None)
        if target is not None:
            target.footnotes.append(note)


class _Segmenter:
    def __init__(self, blocks: list[list[Line]]) -> None:
        self.blocks = blocks
        self.builder = DocumentBuilder()
        self.vocabulary = Counter(w.lower() for b in blocks for line in b for w in WORD.findall(line.text))
        self.md_chapter_level = self._markdown_chapter_level()
        self.in_chapter = False

    def _markdown_chapter_level(self) -> int | None:
        levels = [len(m.group(1)) for b in self.blocks for line in b
                  if (m := MD_HEADING.match(line.text)) and CHAPTER.match(m.group(2))]
        return min(levels) if levels else None

    def run(self) -> Document:
        for index, block in enumerate(self.blocks):
            self._block(index, block)
        return self.builder.build()

    def _block(self, index: int, block: list[Line]) -> None:
        lines = list(block)
        while lines:
            consumed = self._heading(index, lines)
            if consumed:
                lines = lines[consumed:]
                continue
            self._paragraphs(lines)
            return

    # Headings ------------------------------------------------------------------------------

    def _heading(self, index: int, lines: list[Line]) -> int:
        """If ``lines`` starts with a heading, record it and return how many lines it used."""
        first = lines[0].text.strip()
        md = MD_HEADING.match(first)
        text = md.group(2).strip() if md else first
        chapter = CHAPTER.match(text)
        if chapter and (md or self._short(text)):
            kind, number, title = chapter.group(1).lower(), _chapter_number(chapter.group(2)), chapter.group(3).strip()
            used = 1
            if not title and len(lines) > 1 and self._short(lines[1].text) and not md:
                title, used = lines[1].text.strip(), 2
            self.builder.heading(title or f"{kind.title()} {number}", 1, number, kind)
            self.in_chapter = self.in_chapter or kind == "chapter"
            return used
        numbered = NUMBERED_HEADING.match(text)
        if numbered and (md or (len(lines) == 1 and self._short(text))):
            number, title = numbered.group(1), numbered.group(2).strip()
            self.builder.heading(title, number.count(".") + 1, number)
            return 1
        if md:
            level = len(md.group(1))
            if self.md_chapter_level is not None:
                if level < self.md_chapter_level:
                    self.builder.title(text)
                    return 1
                level = level - self.md_chapter_level + 1
            elif index == 0:
                self.builder.title(text)
                return 1
            self.builder.heading(text, level)
            return 1
        if index == 0 and len(lines) <= 4 and all(self._short(line.text) for line in lines):
            self.builder.title(" \u2014 ".join(line.text.strip() for line in lines))
            return len(lines)
        if len(lines) == 1 and self._short(text) and not LIST_ITEM.match(first) and text[:1].isupper():
            self.builder.heading(text, 2 if self.in_chapter else 1)
            return 1
        return 0

    @staticmethod
    def _short(text: str) -> bool:
        text = text.strip()
        return 0 < len(text.split()) <= 12 and not TERMINAL.search(text)

    # Paragraphs and lists ----------------------------------------------------------------------

    def _paragraphs(self, lines: list[Line]) -> None:
        """Join wrapped lines into paragraphs and list items.

        A new paragraph starts inside a block only at the next number in sequence; a list item
        joins the paragraph before it (the one that introduces the list); a line after an item
        continues that item unless it starts a numbered paragraph or a capitalised sentence."""
        units: list[tuple[str, str | None, list[Line]]] = []  # (kind, number, lines)
        for line in lines:
            text = line.text.strip()
            starts = NUMBERED_PARAGRAPH.match(text)
            last = units[-1] if units else None
            if LIST_ITEM.match(text):
                units.append(("item", None, [Line(self._marker(text), line.page)]))
            elif last and last[0] == "item" and not starts and (text[:1].islower() or line.text[:1].isspace()):
                last[2].append(Line(text, line.page))
            elif starts and (not last or last[0] == "item" or self._follows(last[1], starts.group(1))):
                units.append(("para", starts.group(1), [Line(starts.group(3), line.page)]))
            elif last and last[0] == "para":
                last[2].append(Line(text, line.page))
            else:
                units.append(("para", None, [Line(text, line.page)]))
        for kind, number, unit_lines in units:
            text = unit_lines[0].text.strip()
            for line in unit_lines[1:]:
                text = self._join(text, line.text)
            if kind == "item":
                self.builder.list_item(text, unit_lines[0].page)
            else:
                self.builder.paragraph(text, number=number, page=unit_lines[0].page)

    @staticmethod
    def _marker(text: str) -> str:
        return re.sub(r"^[*+\u2022\u2023\u25e6\u2043\u2013\u25aa\u25cf]\s+", "- ", text.strip())

    @staticmethod
    def _follows(previous: str | None, candidate: str) -> bool:
        """Inside a block, only the next number in sequence starts a new paragraph: a wrapped
        line beginning "2006. The" must not."""
        if previous is None:
            return False
        head, _, tail = previous.rpartition(".")
        if candidate == (f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)):
            return True
        return bool(head) and candidate == f"{int(head.split('.')[0]) + 1}.1"

    def _join(self, left: str, right: str) -> str:
        """Join a wrapped line, rejoining a word hyphenated across the break.

        "partner-" + "ship" becomes "partnership" unless the document spells the word with a
        hyphen elsewhere ("inter-" + "agency" stays "inter-agency")."""
        right = right.strip()
        broken = HYPHEN_BREAK.search(left)
        if broken and right[:1].islower():
            head = broken.group(1)
            tail = WORD.match(right)
            tail_word = tail.group(0) if tail else ""
            hyphenated = f"{head}-{tail_word}".lower()
            if self.vocabulary[hyphenated] > self.vocabulary[(head + tail_word).lower()]:
                return left + right
            return left[:-1] + right
        return f"{left} {right}"
