"""Markdown as a person writes it: ATX headings, one sentence a line, "-" and "1." lists,
``[^n]`` footnotes defined at the end of the section that cites them, and code blocks both fenced
and indented (alternately, fenced where an indented block would join a list), so that code lines
starting with "# " stand inside fences as they do in real READMEs."""

from __future__ import annotations

import re

from .model import Code, Document, Heading, ListBlock, Paragraph, Run, notes_cited, sections
from .typography import keyboard

SPECIAL = re.compile(r"([\\`*_\[\]<$])")  # "$": pandoc reads "$...$" as TeX mathematics
SENTENCE_END = re.compile(r"(?<=[.?!:]) (?=[A-Z\"'(])")
# what would start a block if it began a line: a heading, quote, list item or numbered item (and, for
# pandoc's Markdown, an item lettered "O." or "(a)")
BLOCK_START = re.compile(r"^(#{1,6}(?= |$)|>|[-+*](?= )|\d{1,9}(?=[.)]( |$))|\(?[A-Za-z](?=[.)]( |$)))")


def _escape(text: str) -> str:
    return SPECIAL.sub(r"\\\1", keyboard(text))


def _code_span(text: str) -> str:
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{keyboard(text)}{pad}{fence}"


def inline(runs: list[Run]) -> str:
    out = []
    for run in runs:
        if run.kind == "note":
            out.append(f"[^{run.note}]")
        elif run.kind == "code":
            out.append(_code_span(run.text))
        elif run.kind == "link":
            out.append(f"[{_escape(run.text)}](<{run.target}>)")
        elif run.kind in ("emphasis", "strong"):
            mark = "*" if run.kind == "emphasis" else "**"
            core = run.text.strip()
            if core:  # markers must hug the text: "* a *" is not emphasis
                lead, trail = run.text[: len(run.text) - len(run.text.lstrip())], run.text[len(run.text.rstrip()) :]
                out.append(f"{lead}{mark}{_escape(core)}{mark}{trail}")
            else:
                out.append(run.text)
        else:
            out.append(_escape(run.text))
    return "".join(out)


def _lines(text: str, indent: str) -> str:
    """One sentence a line; a line that would read as block syntax has its first mark escaped."""
    lines = []
    for sentence in SENTENCE_END.split(text):
        # a list number or letter is escaped after it ("12\\.", "O\\."), any other block mark before it ("\\#")
        lines.append(
            indent
            + BLOCK_START.sub(
                lambda m: m.group(0) + "\\" if m.group(0)[-1].isalnum() else "\\" + m.group(0), sentence, count=1
            )
        )
    return "\n".join(lines)


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.notes = {note.number: note for note in document.footnotes}
        self.code_blocks = 0

    def render(self) -> str:
        chunks = [f"# {_escape(self.document.title)}"]
        if self.document.subtitle:
            chunks.append(f"*{_escape(self.document.subtitle)}*")
        for part in sections(self.document.blocks):
            chunks.extend(self.blocks(part, ""))
            for number in notes_cited(part):
                text = _lines(inline(self.notes[number].runs), "    ")
                chunks.append(f"[^{number}]: {text[4:]}")
        return "\n\n".join(chunks) + "\n"

    def blocks(self, blocks: list, indent: str) -> list[str]:
        chunks = []
        previous = None
        for block in blocks:
            if isinstance(block, Heading):
                number = f"{block.number} " if block.number else ""
                chunks.append(f"{'#' * (block.level + 1)} {number}{inline(block.runs)}")
            elif isinstance(block, Paragraph):
                number = f"{block.number}\\. " if block.number else ""
                chunks.append(_lines(number + inline(block.runs), indent))
            elif isinstance(block, Code):
                chunks.append(self.code(block, indent, fenced=bool(indent) or isinstance(previous, ListBlock)))
            else:
                chunks.append(self.list(block, indent))
            previous = block
        return chunks

    def code(self, block: Code, indent: str, fenced: bool) -> str:
        self.code_blocks += 1
        if fenced or self.code_blocks % 2:
            fence = "`" * max(3, max((len(m) + 1 for m in re.findall(r"^`{3,}", block.text, re.M)), default=3))
            body = [indent + fence] + [(indent + line).rstrip() for line in block.text.split("\n")] + [indent + fence]
        else:
            body = [(indent + "    " + line).rstrip() for line in block.text.split("\n")]
        return "\n".join(body)

    def list(self, block: ListBlock, indent: str) -> str:
        """Markdown has only "1." and "1)" for ordered lists: a list numbered "1." is written so,
        one lettered or in roman numerals ("a)", "(i)") "1)", as a writer keeps the two apart."""
        loose = any(len(item) > 1 for item in block.items)
        items = []
        delimiter = "." if block.style == "1." else ")"
        for ordinal, item in enumerate(block.items, start=1):
            marker = f"{ordinal}{delimiter} " if block.ordered else "- "
            hang = indent + " " * len(marker)
            head, *rest = item
            first = _lines(inline(head.runs), hang)
            first = indent + marker + first[len(hang) :]
            items.append("\n\n".join([first] + self.blocks(rest, hang)))
        return ("\n\n" if loose else "\n").join(items)


def render(document: Document) -> str:
    return _Writer(document).render()
