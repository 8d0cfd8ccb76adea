"""DOCX loader (python-docx for the package, its XML read directly for the text).

Structure comes from paragraph styles: Title and Subtitle give the document's title; "Heading N"
styles (or an outline level) give headings, counted from the top level the document uses, through
the shared heading rule; numbered and bulleted paragraphs (numbering on the paragraph or its
style) become list items with the marker Word would print; code styles keep their lines; table
cells give one paragraph each; footnotes attach to the paragraph that cites them. Text is read
run by run, so hyperlinks, no-break spaces and no-break hyphens are kept as typed and nothing is
inserted between runs.

A DOCX is a zip file; its declared uncompressed size is checked before anything is unpacked, so a
zip bomb is refused with a clear message instead of filling memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..errors import WtcompareError
from ..headings import BoldParagraphs, Evidence, decide
from ..model import Document
from ..segment import DocumentBuilder, note_ref
from ..text import list_number

MAX_UNPACKED = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; real DOCX files stay far below this
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CODE_STYLES = {"source code", "html preformatted", "plain text", "code", "macro text"}
WORD_STYLES = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}
Element = Any  # an lxml element of the package's XML (lxml has no type annotations of its own)
Word = Any  # a python-docx Document


def check_zip(data: bytes, name: str, limit: int = MAX_UNPACKED) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WtcompareError(f"{name}: not a readable DOCX (corrupt zip: {exc})") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > limit or unpacked / packed > MAX_RATIO:
        raise WtcompareError(
            f"{name}: refused: the DOCX would unpack to {unpacked:,} bytes "
            f"({unpacked / packed:.0f} times its size), which looks like a zip bomb"
        )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise WtcompareError(f"{name}: a zip file but not a Word document (no word/document.xml)")


def _format(number: int, fmt: str) -> str:
    """Word's number format as HTML's list style (`text.list_number`)."""
    return list_number(number, WORD_STYLES.get(fmt, "1"))


def _val(element: Element | None, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


class _Level(NamedTuple):
    """A level of a numbering definition: the number format ("decimal", "lowerLetter", "bullet"),
    the marker's text ("%1.", "(%1)") and the first number."""

    fmt: str
    text: str
    start: int


_PLAIN = _Level("decimal", "", 1)  # a level a list does not define counts from 1


class _Numbering:
    """The list markers Word prints: numbering definitions, and a counter per list and level."""

    def __init__(self, word: Word) -> None:
        self.levels: dict[tuple[str, int], _Level] = {}  # by (numId, ilvl)
        self.counters: dict[str, list[int]] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.findall(f"{W}abstractNum")}
        for num in root.findall(f"{W}num"):
            definition = abstract.get(_val(num, f"{W}abstractNumId"))
            if definition is None:
                continue
            for level in definition.findall(f"{W}lvl"):
                ilvl = int(level.get(f"{W}ilvl") or 0)
                start = _val(level, f"{W}start")
                self.levels[(num.get(f"{W}numId"), ilvl)] = _Level(
                    _val(level, f"{W}numFmt") or "decimal",
                    _val(level, f"{W}lvlText") or "%1.",
                    int(start) if start and start.isdigit() else 1,
                )

    def marker(self, num_id: str, ilvl: int) -> str | None:
        """The marker of the next item of list ``num_id`` at level ``ilvl``, or None for no list."""
        if (num_id, ilvl) not in self.levels:
            return None
        fmt, text, start = self.levels[(num_id, ilvl)]
        if fmt == "none" or not text.strip():
            return None  # numbering that prints nothing: a paragraph that continues a list item
        if fmt == "bullet":
            return "-"
        counts = self.counters.setdefault(num_id, [])
        while len(counts) <= ilvl:
            counts.append(self.levels.get((num_id, len(counts)), _PLAIN).start - 1)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, len(counts)):  # a new item restarts the levels below it
            counts[deeper] = self.levels.get((num_id, deeper), _PLAIN).start - 1
        own = _format(counts[ilvl], fmt)
        return f"({own})" if text.startswith("(") else f"{own})" if text.rstrip().endswith(")") else f"{own}."


class _Styles:
    """Each paragraph style's name, heading level and numbering, following ``basedOn``."""

    def __init__(self, word: Word) -> None:
        self.by_id: dict[str, Any] = {}  # python-docx style objects
        for style in word.styles:
            try:
                self.by_id[style.style_id] = style
            except (AttributeError, ValueError):
                continue

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        return (style.name or "") if style is not None else ""

    def inherited(self, style_id: str | None, path: str) -> Element | None:
        """The element at ``path`` in the style's definition or the nearest style it is based on."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                return None
            found = style.element.find(path)
            if found is not None:
                return found
            base = style.element.find(f"{W}basedOn")
            style_id = base.get(f"{W}val") if base is not None else None
        return None


def _heading_level(style_name: str, outline: str | None) -> int | None:
    match = re.match(r"^(heading|titre|\u00fcberschrift)\s*(\d)$", style_name.strip(), re.I)
    if match:
        return int(match.group(2))
    return int(outline) + 1 if outline and outline.isdigit() and int(outline) < 9 else None


def _text(paragraph: Element, code: bool) -> str:
    """A paragraph's text run by run; footnote references become placeholders."""
    parts: list[str] = []
    for el in paragraph.iter():
        tag = el.tag
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n" if code else " ")
        elif tag == f"{W}tab":
            parts.append("\t" if code else " ")
        elif tag == f"{W}noBreakHyphen":
            parts.append("\u2011")
        elif tag == f"{W}footnoteReference":
            parts.append(note_ref(f"footnote-{el.get(f'{W}id')}"))
        elif tag == f"{W}endnoteReference":
            parts.append(note_ref(f"endnote-{el.get(f'{W}id')}"))
    return "".join(parts)


def _notes(word: Word) -> dict[str, str]:
    """Footnote and endnote texts by the label their references carry."""
    from lxml import etree

    notes: dict[str, str] = {}
    for rel in word.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in ("footnotes", "endnotes") or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob)
        for note in root:
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(_text(p, False) for p in note.iter(f"{W}p"))
            notes[f"{kind[:-1]}-{note.get(f'{W}id')}"] = " ".join(text.split())
    return notes


def _blocks(body: Element) -> Iterator[Element]:
    """Paragraphs of the body in reading order, table cells and content controls included."""
    stack = [iter(body)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag == f"{W}p":
            yield element
        elif tag == f"{W}sdt":
            gallery = element.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if gallery is None or "Table of Contents" not in (gallery.get(f"{W}val") or ""):
                content = element.find(f"{W}sdtContent")
                if content is not None:
                    stack.append(iter(content))
        elif tag in (f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}customXml", f"{W}sdtContent"):
            stack.append(iter(element))


def _bold_only(paragraph: Element, style: str, styles: _Styles) -> bool:
    """Whether every run of a paragraph that holds text is bold (``w:b`` on, or Word's character
    style Strong), the paragraph in the document's own flow: not in a table's cell (a header row
    is bold), not a quotation, a caption or a contents line (``style``, lower case; a tab before
    the page number)."""
    if style.startswith(("quote", "intense quote", "caption", "toc")) or paragraph.find(f".//{W}tab") is not None:
        return False
    if any(a.tag == f"{W}tc" for a in paragraph.iterancestors()):
        return False
    runs = [run for run in paragraph.iter(f"{W}r") if "".join(t.text or "" for t in run.iter(f"{W}t")).strip()]
    for run in runs:
        bold = run.find(f"{W}rPr/{W}b")
        on = bold is not None and (bold.get(f"{W}val") or "true").lower() not in ("0", "false", "off")
        if not on and styles.name(_val(run, f"{W}rPr/{W}rStyle")).lower() != "strong":
            return False
    return bool(runs)


@dataclass
class _Read:
    """A paragraph as read: its kind (title, heading, code, item, bold: a paragraph all in bold,
    or paragraph), its text, and a heading's level or a list item's marker."""

    kind: str
    text: str
    level: int = 0
    marker: str = ""


def docx_document(data: bytes, name: str) -> Document:
    import docx

    check_zip(data, name)
    try:
        word = docx.Document(io.BytesIO(data))
        styles, numbering, notes = _Styles(word), _Numbering(word), _notes(word)
    except Exception as exc:  # python-docx and lxml raise many types for broken packages
        raise WtcompareError(f"{name}: not a readable DOCX ({type(exc).__name__}: {exc})") from None
    read: list[_Read] = []
    for paragraph in _blocks(word.element.body):
        style_id = _val(paragraph, f"{W}pPr/{W}pStyle")
        style = styles.name(style_id).lower()
        code = style in CODE_STYLES
        text = _text(paragraph, code)
        if not text.strip():
            continue
        outline = _val(paragraph, f"{W}pPr/{W}outlineLvl")
        if outline is None and (inherited := styles.inherited(style_id, f"{W}pPr/{W}outlineLvl")) is not None:
            outline = inherited.get(f"{W}val")
        level = _heading_level(styles.name(style_id), outline)
        num = paragraph.find(f"{W}pPr/{W}numPr")
        if num is None:
            num = styles.inherited(style_id, f"{W}pPr/{W}numPr")
        marker = None
        if num is not None and level is None:
            num_id, ilvl = _val(num, f"{W}numId"), _val(num, f"{W}ilvl")
            if num_id and num_id != "0":
                marker = numbering.marker(num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0)
        if style in ("title", "subtitle"):
            read.append(_Read("title", text))
        elif level is not None:
            read.append(_Read("heading", text, level=level))
        elif code:
            read.append(_Read("code", text))
        elif marker is not None:
            read.append(_Read("item", text, marker=marker))
        else:
            read.append(_Read("bold" if _bold_only(paragraph, style, styles) else "paragraph", text))
    builder = DocumentBuilder()
    top = min((r.level for r in read if r.kind == "heading"), default=1)
    bold = BoldParagraphs(headed=any(r.kind == "heading" for r in read))
    for r in read:
        if r.kind == "title":
            builder.title(r.text)
        elif r.kind == "heading":
            heading = decide(Evidence(r.text, markup=r.level - top + 1))
            if heading is not None:
                bold.opened(heading, builder.add(heading).level, marked=True)
        elif r.kind == "code":
            builder.paragraph(r.text, code=True)
        elif r.kind == "item":
            builder.item(r.text, r.marker)
        elif r.kind == "bold" and (heading := bold.heading(r.text, builder.last_number)) is not None:
            bold.opened(heading, builder.add(heading).level, marked=False)
        else:
            builder.paragraph(r.text)
    for label, text in notes.items():
        builder.footnote(label, text)
    document = builder.build()
    if not any(p.text.strip() for p in document.paragraphs()):
        raise WtcompareError(f"{name}: the DOCX has no text")
    return document
