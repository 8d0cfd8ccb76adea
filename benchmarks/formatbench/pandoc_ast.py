"""The model as a pandoc AST, for pandoc's own writers (Markdown, HTML, DOCX): the second producer
of each of those formats, built from the same model rather than from the source, so that both
producers hold the same words."""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

from .model import Code, Document, Heading, ListBlock, Paragraph, Run
from .typography import typeset

STYLES = {"1.": ("Decimal", "Period"), "a)": ("LowerAlpha", "OneParen"), "(i)": ("LowerRoman", "TwoParens")}
NO_ATTR = ["", [], []]
# pandoc stamps DOCX files with the time unless told a date (it reads SOURCE_DATE_EPOCH)
FIXED_DATE = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01


@lru_cache(maxsize=1)
def api_version() -> list[int]:
    done = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json"], input="", capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)["pandoc-api-version"]


def _words(text: str) -> list[dict]:
    out: list[dict] = []
    for piece in re.split(r"( +)", typeset(text)):
        if piece.startswith(" "):
            out.append({"t": "Space"})
        elif piece:
            out.append({"t": "Str", "c": piece})
    return out


def _inlines(runs: list[Run], notes: dict[int, list[Run]]) -> list[dict]:
    out: list[dict] = []
    for run in runs:
        if run.kind == "note":
            out.append({"t": "Note", "c": [{"t": "Para", "c": _inlines(notes[run.note], notes)}]})
        elif run.kind == "code":
            out.append({"t": "Code", "c": [NO_ATTR, run.text]})
        elif run.kind == "link":
            out.append({"t": "Link", "c": [NO_ATTR, _words(run.text), [run.target, ""]]})
        elif run.kind == "emphasis":
            out.append({"t": "Emph", "c": _words(run.text)})
        elif run.kind == "strong":
            out.append({"t": "Strong", "c": _words(run.text)})
        else:  # plain, and abbreviations: pandoc's writers have no <abbr>, and a Span would print as
            # "[PEP]{.abbr title=...}" in Markdown, which no one writing Markdown would type
            out.extend(_words(run.text))
    return out


def _numbered(number: str, inlines: list[dict]) -> list[dict]:
    return ([{"t": "Str", "c": number}, {"t": "Space"}] if number else []) + inlines


def _blocks(blocks: list, notes: dict[int, list[Run]]) -> list[dict]:
    out: list[dict] = []
    for block in blocks:
        if isinstance(block, Heading):
            heading = _numbered(block.number, _inlines(block.runs, notes))
            out.append({"t": "Header", "c": [block.level, NO_ATTR, heading]})
        elif isinstance(block, Paragraph):
            number = f"{block.number}." if block.number else ""
            out.append({"t": "Para", "c": _numbered(number, _inlines(block.runs, notes))})
        elif isinstance(block, Code):
            out.append({"t": "CodeBlock", "c": [NO_ATTR, block.text]})
        elif isinstance(block, ListBlock):
            items = [_blocks(item, notes) for item in block.items]
            if block.ordered:
                style, delimiter = STYLES[block.style]
                out.append({"t": "OrderedList", "c": [[1, {"t": style}, {"t": delimiter}], items]})
            else:
                out.append({"t": "BulletList", "c": items})
    return out


def ast(document: Document) -> dict:
    notes = {note.number: note.runs for note in document.footnotes}
    meta = {"title": {"t": "MetaInlines", "c": _words(document.title)}}
    if document.subtitle:
        meta["subtitle"] = {"t": "MetaInlines", "c": _words(document.subtitle)}
    return {"pandoc-api-version": api_version(), "meta": meta, "blocks": _blocks(document.blocks, notes)}


def write(document: Document, to: str, path: Path, *options: str) -> None:
    """Run pandoc's writer ``to`` on the model into ``path``."""
    subprocess.run(
        ["pandoc", "-f", "json", "-t", to, "-s", "-o", str(path), *options],
        input=json.dumps(ast(document)),
        text=True,
        check=True,
        env={**os.environ, **FIXED_DATE},
    )
