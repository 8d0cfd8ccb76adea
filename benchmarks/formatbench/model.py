"""The intermediate document model, and its reader: pandoc's JSON AST of a source file.

A `Document` is a title, an optional subtitle and a list of blocks: headings (with level and an
optional printed number), paragraphs (inline runs, optional printed paragraph number), lists
(ordered with a marker style "1.", "a)" or "(i)", or bullet; items hold blocks, so lists nest) and
code blocks. Footnotes are numbered in document order; a paragraph cites one with a ``note`` run.

What pandoc reads but the model cannot hold is dropped, never half-kept: raw HTML and LaTeX,
tables, images, horizontal rules, and Sphinx/MyST role names (the role's text is kept, as a
built page shows it). Every word the model holds is rendered in every format, so the words of
`Document.blocks_text` are the reference for counting.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

TEXTS = Path(__file__).resolve().parent.parent / "texts"
MARKERS = ("1.", "a)", "(i)")  # ordered-list marker styles, in the order statutory drafting nests them
PEP_FIELD = re.compile(r"^([A-Z][A-Za-z-]*):\s*(.*)$")
MYST_ROLE = re.compile(r"^\{[a-z:]+\}$")
# The PEP template's closing comment: docutils reads its indented body as part of the comment,
# pandoc as a block quote of Emacs settings.
EMACS_COMMENT = re.compile(r"^\.\.\s+Emacs settings\n(?:[ \t]*\n|[ \t]+\S.*\n)*", re.M)
MYST_FENCE = re.compile(r"^:{3,}.*\n", re.M)  # MyST directive fences (":::{admonition} Summary", ":::")
# Markup a built page never shows, which pandoc would read as text: a MyST target ("(security)=")
# and Sphinx's file-wide metadata fields at the top of a reStructuredText file (":orphan:")
MYST_TARGET = re.compile(r"^\([^()\s]+\)=[ \t]*\n", re.M)
# Python-Markdown's attribute list closing an ATX heading ("### Caching {: #caching}"): MkDocs shows
# the heading without it, as pandoc's own "{#caching}" is shown
ATTR_LIST = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{:[^{}\n]*\}[ \t]*$", re.M)
SPHINX_METADATA = re.compile(r"\A(?:[ \t]*\n)*(?::(?:orphan|nosearch|nocomments|tocdepth)::?[^\n]*\n)+")


@dataclass
class Run:
    """Inline text of one kind. ``target`` is a link's address or an abbreviation's expansion;
    a ``note`` run has no text and cites footnote ``note``."""

    kind: str
    text: str = ""
    target: str = ""
    note: int = 0


@dataclass
class Heading:
    level: int
    runs: list[Run]
    number: str = ""  # printed before the heading ("2.1"); not a word of the text


@dataclass
class Paragraph:
    runs: list[Run]
    number: str = ""  # printed paragraph number ("12"), as statutory guidance prints them


@dataclass
class Code:
    text: str


@dataclass
class ListBlock:
    ordered: bool
    style: str  # "-" for bullets, else one of MARKERS
    items: list[list]  # each item: blocks (Paragraph, Code, ListBlock), a Paragraph first


@dataclass
class Footnote:
    number: int
    runs: list[Run]


@dataclass
class Document:
    name: str
    title: str
    subtitle: str
    blocks: list
    footnotes: list[Footnote] = field(default_factory=list)

    def blocks_text(self) -> list[tuple[str, str]]:
        """(kind, text) of every heading, paragraph (list items' included), code block and
        footnote, in document order, footnotes last; no title or subtitle, no printed numbers or
        list markers. Each is a unit of its own: a phrase never runs from one into the next."""
        out: list[tuple[str, str]] = []

        def visit(blocks: list, in_list: bool) -> None:
            for block in blocks:
                if isinstance(block, Heading):
                    out.append(("heading", plain(block.runs)))
                elif isinstance(block, Paragraph):
                    out.append(("list item" if in_list else "paragraph", plain(block.runs)))
                elif isinstance(block, Code):
                    out.append(("code", block.text))
                else:
                    for item in block.items:
                        visit(item, True)

        visit(self.blocks, False)
        out.extend(("footnote", plain(note.runs)) for note in self.footnotes)
        return out


def plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def notes_cited(blocks: list) -> list[int]:
    """Footnote numbers cited in ``blocks`` (nested lists included), in order."""
    found = []
    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            found.extend(run.note for run in block.runs if run.kind == "note")
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(notes_cited(item))
    return found


def sections(blocks: list) -> list[list]:
    """``blocks`` cut before each heading (the first part may have no heading)."""
    parts: list[list] = [[]]
    for block in blocks:
        if isinstance(block, Heading) and parts[-1]:
            parts.append([])
        parts[-1].append(block)
    return [part for part in parts if part]


def item_number(style: str, ordinal: int) -> str:
    """The marker of the ``ordinal``-th item (1-based) of a list in ``style``."""
    if style == "-":
        return "-"
    if style == "a)":
        return f"{chr(ord('a') + ordinal - 1)})"
    if style == "(i)":
        return f"({roman(ordinal)})"
    return f"{ordinal}."


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


# Reading -------------------------------------------------------------------------------------


def manifest() -> dict[str, dict]:
    """benchmarks/texts/texts.toml: per text, its source file, reader and the terms to count."""
    with open(TEXTS / "texts.toml", "rb") as handle:
        return tomllib.load(handle)


def load(name: str) -> Document:
    entry = manifest()[name]
    # docutils reads a form feed as a space; pandoc does not, and the PEPs' closing comment
    # (".. <FF> Emacs settings") would become a paragraph
    source = (TEXTS / name / entry["source"]).read_text(encoding="utf-8").replace("\f", " ")
    title = subtitle = ""
    if entry.get("pep_preamble"):
        source, title, subtitle = _pep_preamble(EMACS_COMMENT.sub("", source))
    if entry["reader"].startswith("markdown"):
        source = MYST_FENCE.sub("", source)  # pandoc cannot represent MyST directives: drop the fence lines
        source = MYST_TARGET.sub("", source)
        source = ATTR_LIST.sub(r"\1", source)
    elif entry["reader"].startswith("rst"):
        source = SPHINX_METADATA.sub("", source)
    done = subprocess.run(
        ["pandoc", "-f", entry["reader"], "-t", "json"], input=source, capture_output=True, text=True, check=True
    )
    ast = json.loads(done.stdout)
    reader = _Reader(entry.get("abbreviations", {}))
    blocks = reader.blocks(ast["blocks"])
    if not title:
        title, blocks = _title_heading(blocks)
    blocks = _styles(blocks, entry.get("restyle", {}))
    document = Document(name, title, subtitle, blocks, [Footnote(n + 1, runs) for n, runs in enumerate(reader.notes)])
    if entry.get("numbered_headings"):
        _number_headings(document.blocks)
    if entry.get("numbered_paragraphs"):
        count = 0
        for block in document.blocks:
            if isinstance(block, Paragraph):
                count += 1
                block.number = str(count)
    return document


def _pep_preamble(source: str) -> tuple[str, str, str]:
    """A PEP starts with RFC 2822 header fields (metadata, not prose): the title and number are
    kept as title and subtitle, the rest dropped, as the PEP site's page shows them apart."""
    head, _, body = source.partition("\n\n")
    fields = dict(m.groups() for line in head.splitlines() if (m := PEP_FIELD.match(line)))
    return body, fields["Title"], f"PEP {fields['PEP']}"


def _title_heading(blocks: list) -> tuple[str, list]:
    """A document opening with its only top-level heading has that heading as its title (as
    Sphinx treats it); the other headings move up a level."""
    top = min((b.level for b in blocks if isinstance(b, Heading)), default=1)
    first = [b for b in blocks if isinstance(b, Heading) and b.level == top]
    if len(first) != 1 or blocks[0] is not first[0]:
        return "", blocks
    for block in blocks[1:]:
        if isinstance(block, Heading):
            block.level -= 1
    return plain(first[0].runs), blocks[1:]


def _styles(blocks: list, restyle: dict[str, str], depth: int = 0) -> list:
    """A decimal list nested in an ordered list takes the next marker style (1. then a) then (i)),
    as statutory drafting nests them; a list whose source chose a style keeps it, unless the
    manifest's ``restyle`` maps that style to another (so that every style occurs in the set)."""
    for block in blocks:
        if isinstance(block, ListBlock):
            if block.ordered and depth and block.style == "1.":
                block.style = MARKERS[min(depth, len(MARKERS) - 1)]
            block.style = restyle.get(block.style, block.style)
            for item in block.items:
                _styles(item, restyle, depth + 1 if block.ordered else depth)
    return blocks


def _number_headings(blocks: list) -> None:
    """Number headings below the top level "2.1", "2.1.3" (the chapter number is the ordinal of
    the top-level heading, which itself is printed without a number, as many guidance documents do)."""
    counters = [0, 0, 0, 0, 0, 0]
    for block in blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (len(counters) - block.level)
            if block.level > 1:
                block.number = ".".join(str(c) for c in counters[: block.level])


class _Reader:
    """pandoc AST blocks and inlines to model blocks and runs."""

    def __init__(self, abbreviations: dict[str, str]) -> None:
        self.notes: list[list[Run]] = []
        self.abbreviations = abbreviations
        self.abbreviation = (
            re.compile(r"\b(" + "|".join(map(re.escape, abbreviations)) + r")\b") if abbreviations else None
        )

    def blocks(self, nodes: list) -> list:
        out: list = []
        for node in nodes:
            kind, content = node["t"], node.get("c")
            if kind == "Header":
                out.append(Heading(content[0], self.inlines(content[2])))
            elif kind in ("Para", "Plain"):
                runs = self.inlines(content)
                if plain(runs).strip() or any(r.kind == "note" for r in runs):
                    out.append(Paragraph(runs))
            elif kind == "LineBlock":
                out.append(Paragraph(_merge([r for line in content for r in self.inlines(line) + [Run("plain", " ")]])))
            elif kind == "CodeBlock":
                out.append(Code(content[1].rstrip("\n")))
            elif kind in ("BulletList", "OrderedList"):
                ordered = kind == "OrderedList"
                items = content[1] if ordered else content
                style = _marker_style(content[0]) if ordered else "-"
                parsed = [item for item in map(self.blocks, items) if item]
                if any(not isinstance(item[0], Paragraph) for item in parsed):
                    raise ValueError("a list item that does not start with a paragraph: the renderers need one")
                out.append(ListBlock(ordered, style, parsed))
            elif kind == "BlockQuote" or kind == "Div":
                out.extend(self.blocks(content if kind == "BlockQuote" else content[1]))
            elif kind == "DefinitionList":
                for term, definitions in content:
                    out.append(Paragraph(self.inlines(term)))
                    for definition in definitions:
                        out.extend(self.blocks(definition))
            # Table, RawBlock, HorizontalRule, Null: not held by the model (see the module docstring)
        return out

    def inlines(self, nodes: list, kind: str = "plain", target: str = "") -> list[Run]:
        runs: list[Run] = []
        skip_role = False
        for index, node in enumerate(nodes):
            t, c = node["t"], node.get("c")
            following = nodes[index + 1]["t"] if index + 1 < len(nodes) else ""
            if t == "Str":
                if MYST_ROLE.match(c) and following == "Code":
                    skip_role = True  # MyST {role}`text`: Sphinx shows the text alone
                    continue
                runs.extend(self._plain_runs(c, kind, target))
            elif t in ("Space", "SoftBreak", "LineBreak"):
                runs.append(Run(kind, " ", target))
            elif t in ("Emph", "Underline", "SmallCaps", "Strikeout", "Superscript", "Subscript"):
                runs.extend(self.inlines(c, "emphasis" if kind == "plain" else kind, target))
            elif t == "Strong":
                runs.extend(self.inlines(c, "strong" if kind == "plain" else kind, target))
            elif t == "Code":
                role = nodes[index - 1]["c"][1:-1] if skip_role else dict(c[0][2]).get("role")
                text = _role_text(role, c[1]) if role else c[1]
                runs.append(Run("link", text, target) if kind == "link" else Run("code", text))
            elif t == "Link":
                runs.extend(self.inlines(c[1], "link", c[2][0]))
            elif t == "Quoted":
                open_, close = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
                runs.append(Run(kind, open_, target))
                runs.extend(self.inlines(c[1], kind, target))
                runs.append(Run(kind, close, target))
            elif t in ("Span", "Cite"):
                runs.extend(self.inlines(c[1], kind, target))
            elif t == "Math":
                runs.append(Run(kind, c[1], target))
            elif t == "Note":
                self.notes.append([])  # reserve the number before reading nested notes
                number = len(self.notes)
                body: list[Run] = []
                for block in self.blocks(c):
                    if isinstance(block, Paragraph):
                        body.extend(block.runs + [Run("plain", " ")])
                    elif isinstance(block, Code):
                        body.append(Run("code", block.text + " "))
                self.notes[number - 1] = _strip(_merge(body))
                runs.append(Run("note", note=number))
            # RawInline, Image: not held by the model
            skip_role = skip_role and t == "Str"
        return _strip(_merge(runs)) if kind == "plain" and not target else runs

    def _plain_runs(self, text: str, kind: str, target: str) -> list[Run]:
        """Plain text, with known abbreviations in plain runs marked (HTML shows them as <abbr>)."""
        if kind != "plain" or self.abbreviation is None:
            return [Run(kind, text, target)]
        out, last = [], 0
        for m in self.abbreviation.finditer(text):
            out.append(Run("plain", text[last : m.start()]))
            out.append(Run("abbreviation", m.group(1), self.abbreviations[m.group(1)]))
            last = m.end()
        out.append(Run("plain", text[last:]))
        return [r for r in out if r.text]


def _role_text(role: str, text: str) -> str:
    """What Sphinx shows for a role's content: "PEP 557" for a PEP, the title of "title <target>",
    the last part of "~a.b.c", else the content."""
    if role == "pep":
        return f"PEP {text}"
    titled = re.match(r"^(.*\S)\s*<[^>]+>$", text)
    if titled:
        return titled.group(1)
    if text.startswith("~"):
        return text[1:].rsplit(".", 1)[-1]
    return text.lstrip("!")


def _marker_style(attributes: list) -> str:
    style, delimiter = attributes[1]["t"], attributes[2]["t"]
    if style in ("LowerRoman", "UpperRoman"):
        return "(i)"
    if style in ("LowerAlpha", "UpperAlpha") or delimiter == "OneParen":
        return "a)"
    return "1."


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs of the same kind and target as one; runs of spaces as one space."""
    out: list[Run] = []
    for run in runs:
        if out and run.kind != "note" and out[-1].kind == run.kind and out[-1].target == run.target:
            out[-1].text += run.text
        else:
            out.append(Run(run.kind, run.text, run.target, run.note))
    for run in out:
        run.text = re.sub(r"[ \t\n]+", " ", run.text) if run.kind != "code" else run.text
    return out


def _strip(runs: list[Run]) -> list[Run]:
    """No space at either end of a paragraph, and none doubled across run boundaries."""
    for previous, run in itertools.pairwise(runs):
        if previous.text.endswith(" ") and run.text.startswith(" "):
            run.text = run.text[1:]
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()
    return [r for r in runs if r.text or r.kind == "note"]


COLUMN_WORD = 30  # characters: the longest word a column of the two-column page holds


def column_section(document: Document) -> int | None:
    """Index (in `sections`) of the section that print renderers set in two columns: the first
    after the opening third of the document with 100 to 900 words (about one or two pages), no
    code block and no word wider than a column (code lines and long addresses run past a column's
    edge, where renderers clip them, and a designer would not put them in one)."""
    parts = sections(document.blocks)
    for index, part in enumerate(parts):
        units = Document("", "", "", part).blocks_text()
        words = sum(len(text.split()) for _, text in units)
        fits = all(
            kind != "code" and len(max(text.split(), key=len, default="")) <= COLUMN_WORD for kind, text in units
        )
        if index >= len(parts) / 3 and 100 <= words <= 900 and fits:
            return index
    return None
