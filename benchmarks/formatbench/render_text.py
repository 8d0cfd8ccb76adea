"""Plain text as a typist would lay it out: hard-wrapped at 72 columns, blank lines between blocks,
top-level headings in capitals, long headings wrapped over two lines, list markers "1.", "a)",
"(i)" and "-" with hanging continuation lines, code indented, and footnotes cited as "[1]" with
the notes at the end of the section that cites them."""

from __future__ import annotations

from .model import Code, Document, Heading, ListBlock, Paragraph, Run, item_number, notes_cited, sections
from .typography import keyboard
from .wrap import wrap

WIDTH = 72
HEADING_WIDTH = 26  # a narrow heading measure, so that the longer headings run over two lines


def inline(runs: list[Run]) -> str:
    return keyboard("".join(f"[{run.note}]" if run.kind == "note" else run.text for run in runs))


def render(document: Document) -> str:
    out = [document.title]
    if document.subtitle:
        out.append(document.subtitle)
    chunks = ["\n".join(out)]
    notes = {note.number: note for note in document.footnotes}
    for part in sections(document.blocks):
        chunks.extend(_blocks(part, ""))
        for number in notes_cited(part):
            marker = f"[{number}] "
            chunks.append("\n".join(wrap(inline(notes[number].runs), WIDTH, marker, " " * len(marker))))
    return "\n\n".join(chunks) + "\n"


def _heading(block: Heading) -> str:
    text = inline(block.runs)
    text = text.upper() if block.level == 1 else text
    text = f"{block.number} {text}" if block.number else text
    return "\n".join(wrap(text, HEADING_WIDTH)) if len(text) > HEADING_WIDTH else text


def _blocks(blocks: list, indent: str) -> list[str]:
    chunks = []
    for block in blocks:
        if isinstance(block, Heading):
            chunks.append(_heading(block))
        elif isinstance(block, Paragraph):
            first = indent + (f"{block.number}. " if block.number else "")
            chunks.append("\n".join(wrap(inline(block.runs), WIDTH, first, indent)))
        elif isinstance(block, Code):
            chunks.append("\n".join((indent + "    " + line).rstrip() for line in keyboard(block.text).split("\n")))
        else:
            chunks.append(_list(block, indent))
    return chunks


def _list(block: ListBlock, indent: str) -> str:
    """Items one under another; an item of several blocks has blank lines inside it, and then
    between items too, as the tight and loose lists of typed text have them."""
    loose = any(len(item) > 1 for item in block.items)
    items = []
    for ordinal, item in enumerate(block.items, start=1):
        marker = item_number(block.style, ordinal) + " "
        hang = indent + " " * len(marker)
        head, *rest = item
        lines = wrap(inline(head.runs), WIDTH, indent + marker, hang)
        items.append("\n\n".join(["\n".join(lines)] + _blocks(rest, hang)))
    return ("\n\n" if loose else "\n").join(items)
