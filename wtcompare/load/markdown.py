"""Markdown loader: read by a CommonMark parser (markdown-it-py, with its footnote plugin).

Structure comes from the parse, never from line patterns: ``#`` headings are headings only where
CommonMark says so (a ``# comment`` line in an indented or fenced code block stays code), lists
are lists (one pass before the parse gives pandoc's lettered and roman items, which CommonMark has
no list for, a number of the same width, so that the parse nests what is indented under them),
``[^1]`` footnotes attach to the paragraph that cites them, tables give one paragraph per cell (as
the HTML and DOCX loaders do). The lines of each paragraph then go through the same
`LineGrouper` as plain text, so a hard-wrapped paragraph with a lettered list or printed paragraph
numbers reads the same in either format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import WtcompareError
from ..headings import BoldParagraphs, Evidence, decide, is_chapter_heading
from ..model import Document
from ..segment import DocumentBuilder, Line, LineGrouper, note_ref, soft_joined, vocabulary_of
from .html import SEPARATING, SKIP

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")
_TAG = re.compile(r"<[^>]*>")
# raw HTML as the HTML reader sees it: what it skips (scripts, styles, menus) and comments hidden;
# what separates words there (blocks, line breaks, cells) separates paragraphs here
_HTML_HIDDEN = re.compile(r"<(" + "|".join(sorted(SKIP)) + r")\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_HTML_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(SEPARATING, key=len, reverse=True)) + r")\b[^>]*>", re.I)
RAW_FENCE = re.compile(r"\{=([A-Za-z0-9_+-]+)\}")  # pandoc's raw attribute: ```{=html}
# pandoc's lettered and roman list markers, which CommonMark has no list for ("a.", "b)", "(c)",
# "ii.", "A."), and the markers it has (for the columns of the items they open)
FANCY_MARKER = re.compile(r"( *)(\(?(?:[a-zA-Z]|[ivxIVX]{1,5})\)|[a-zA-Z]\.|[ivxIVX]{1,5}\.)( +)(?=\S)")
LIST_MARKER = re.compile(r"( *)([-+*]|\d{1,9}[.)])( +)(?=\S)")
FENCE = re.compile(r"( *)(`{3,}|~{3,})")
SETEXT = re.compile(r"=+|-+")  # a line that underlines the one above (at any indent: an item's heading)
ENDS_LISTS = re.compile(r" {0,3}(?:#{1,6}(?:\s|$)|(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,})$)")  # a heading, a rule
RAW_BLOCK = re.compile(r" {0,3}<(pre|script|style|textarea)[\s>]", re.I)
PANDOC_WIDTH = 4  # pandoc pads a list marker with spaces to this width, with one space at least


def looks_like_markdown(text: str) -> bool:
    """Markdown by its content: ATX headings, fenced code or footnote definitions at line starts."""
    head = text[:200_000]
    atx = len(re.findall(r"^#{1,6}[ \t]+\S", head, re.M))
    return atx >= 2 or bool(re.search(r"^(```|~~~)|^\[\^[^\]]+\]:", head, re.M))


# Levels of nesting markdown-it reads (a list and its item are two): its default, 20, lost the text
# of a list ten deep; guidance nests three or four.
MAX_NESTING = 100


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported here: only Markdown files need it
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(front_matter_plugin)
    parser.options["maxNesting"] = MAX_NESTING + 10  # read past the limit, to see a block that goes beyond it
    return parser


def _lines(inline: Token) -> list[str]:
    """The text of an inline token as source lines: soft and hard breaks end a line, footnote
    references become placeholders, markup is dropped."""
    lines = [""]
    previous = ""
    for child in inline.children or []:
        if child.type == "softbreak" and previous == "code_inline":
            lines[-1] += " "  # a code span is as written: "`pytest-`" + "prefixed" is no broken word
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in ("text", "code_inline"):
            lines[-1] += child.content
        elif child.type == "footnote_ref":
            lines[-1] += note_ref(child.meta["label"])
        elif child.type == "image":
            lines[-1] += "".join(c.content for c in child.children or [])
        previous = child.type
    return [line for line in lines if line.strip()]


def _title_and_levels(tokens: Sequence[Token]) -> tuple[set[int], dict[int, int]]:
    """Which top-level headings are the document's title (their token indexes), and the level of
    every other top-level heading counted from the top one (1). The title is a first heading above
    every other, or, where headings name chapters, the headings above the chapter level."""
    headings = [
        (i, int(t.tag[1]), tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.level == 0
    ]
    if not headings:
        return set(), {}
    chapter_levels = [level for _, level, text in headings if is_chapter_heading(text)]
    title: set[int] = set()
    if chapter_levels:
        top_chapter = min(chapter_levels)
        title = {i for i, level, _ in headings if level < top_chapter}
    else:
        first, first_level, _ = headings[0]
        starts = all(t.type in ("heading_open", "inline", "heading_close") for t in tokens[:first])
        if starts and all(level > first_level for _, level, _ in headings[1:]):
            title = {first}
    rest = [level for i, level, _ in headings if i not in title]
    top = min(rest, default=1)
    return title, {i: level - top + 1 for i, level, _ in headings if i not in title}


def _front_matter(content: str) -> list[str]:
    """The title and subtitle of a YAML front matter block (as pandoc writes it)."""
    found: dict[str, str] = {}
    for line in content.split("\n"):
        match = re.match(r"^(title|subtitle):\s*(.*?)\s*$", line)
        if match:
            found[match.group(1)] = match.group(2).strip("'\"")
    return [found[k] for k in ("title", "subtitle") if found.get(k)]


def _emphasis_only(inline: Token) -> bool:
    """A paragraph set wholly in emphasis: how a Markdown subtitle under the title is written."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    return (
        len(children) >= 3
        and children[0].type in ("em_open", "strong_open")
        and children[-1].type in ("em_close", "strong_close")
    )


def _strong_only(inline: Token) -> bool:
    """A paragraph set wholly in one strong emphasis ("**Method 1: Class Attribute**"), not two
    ("**Note** and **see**")."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and all(c.type != "strong_close" for c in children[1:-1])
    )


def _fancy_lists(text: str) -> tuple[str, dict[int, str]]:
    """The text with each lettered or roman list marker that pandoc wrote (a marker padded with
    spaces to `PANDOC_WIDTH`, "a.  ", "(a) ", "(iv) ") written as a number of the same width
    ("1.  ", "01) ", "001) "), and those markers by line number. An item opens after a blank line,
    right under an item opened so (a list with no blank lines), or at the text column of a list item
    above; at the margin or at such a column; never in code, raw HTML or a setext heading's line.
    markdown-it then reads what is indented under the item as the item's ("a.  Ensure ..." over
    "    -   When ..." is an item and its bullets, where it read a paragraph and an indented code
    block), as it does for a numbered item. A marker written as people write it ("a) Install:"
    over an indented command) is left to be read as before."""
    lines = text.split("\n")
    markers: dict[int, str] = {}
    columns: list[int] = []  # where the text of each open list item starts, innermost last
    closing: str | None = None  # what ends the code fence or raw block being read
    blank, in_fancy = True, False  # after a blank line; within an item opened here (no blank line since)
    for number, line in enumerate(lines):
        if closing is not None:  # code is code: no marker in it opens an item
            if line.strip().startswith(closing) or (closing.startswith("</") and closing in line.lower()):
                closing = None
            continue
        if not line.strip():
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        while columns and blank and indent < columns[-1]:
            columns.pop()  # a line less indented after a blank line closes the items it is outside
        placed = indent <= 3 or indent in columns
        fence, raw = FENCE.match(line), RAW_BLOCK.match(line)
        if fence is not None and (indent <= 3 or any(0 <= indent - column <= 3 for column in columns)):
            closing, blank, in_fancy = fence.group(2)[0] * 3, False, False
            continue
        if raw is not None:
            closing = f"</{raw.group(1).lower()}"
            blank, in_fancy = False, False
            continue
        if ENDS_LISTS.match(line):
            columns, blank, in_fancy = [], False, False
            continue
        fancy = FANCY_MARKER.match(line)
        underlined = number + 1 < len(lines) and SETEXT.fullmatch(lines[number + 1].strip()) is not None
        if (
            fancy is not None
            and placed
            and (blank or in_fancy or indent in columns)
            and len(fancy.group(3)) == max(1, PANDOC_WIDTH - len(fancy.group(2)))
            and not underlined
        ):
            marker = fancy.group(2)
            delimiter = "." if marker.endswith(".") else ")"
            lines[number] = fancy.group(1) + "1".rjust(len(marker) - 1, "0") + delimiter + line[fancy.end(2) :]
            markers[number] = marker
            _open_item(columns, indent, indent + len(marker) + len(fancy.group(3)))
            blank, in_fancy = False, True
            continue
        listed = LIST_MARKER.match(line)
        if listed is not None and placed:
            _open_item(columns, indent, indent + len(listed.group(2)) + len(listed.group(3)))
        in_fancy = in_fancy and not blank
        blank = False
    return "\n".join(lines), markers


def _open_item(columns: list[int], indent: int, column: int) -> None:
    """Record a list item whose marker stands at ``indent`` and whose text at ``column``: it closes
    the items whose text starts further right (its siblings and theirs), so that the columns only
    grow, one for each level of nesting, however long the list."""
    while columns and columns[-1] > indent:
        columns.pop()
    columns.append(column)


def markdown_document(text: str, name: str) -> Document:
    text, fancy = _fancy_lists(text)
    tokens = _parser().parse(text)
    if any(token.level > MAX_NESTING for token in tokens):
        # markdown-it stops reading a block nested this deep and goes on after it: its text would be lost
        raise WtcompareError(
            f"{name}: lists or quotes nest more than {MAX_NESTING} blocks deep (a list and its item are two); "
            "the file cannot be read whole"
        )
    builder = DocumentBuilder()
    grouper = LineGrouper(builder, lambda: vocabulary_of([text]))  # counted only if a hyphen asks
    title, levels = _title_and_levels(tokens)
    markers: list[str | None] = []  # for each open list: None (bullets) or the ordered delimiter
    # The list item being read: its marker and the lines of its first paragraph. A list item's
    # first paragraph is the item; what else it holds (more paragraphs, code) follows it as
    # paragraphs of their own, as in Word and plain text.
    item: tuple[str, list[str]] | None = None
    note: tuple[str, list[str]] | None = None  # footnote being read: label, lines
    after_title = False
    bold = BoldParagraphs(headed=bool(levels))

    def flush_item() -> None:
        nonlocal item
        if item is not None and item[1]:
            builder.item(soft_joined(item[1]), item[0])
        item = None

    def read_html(markup: str) -> None:
        # what a browser shows: no scripts, styles or comments, and each block a paragraph
        for chunk in _HTML_BLOCK_TAG.split(_HTML_HIDDEN.sub(" ", markup)):
            lines = [line for line in html.unescape(_TAG.sub(" ", chunk)).split("\n") if line.strip()]
            if lines:
                flush_item()
                grouper.add([Line(line) for line in lines])

    for index, token in enumerate(tokens):
        kind = token.type
        opening = tokens[index - 1].type if index else ""
        if kind == "front_matter":
            for line in _front_matter(token.content):
                builder.title(line)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            flush_item()  # a nested list ends its parent item's own text
            markers.append(token.markup if kind == "ordered_list_open" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            flush_item()
            markers.pop()
        elif kind == "list_item_open":
            flush_item()
            marker = fancy.get(token.map[0]) if token.map else None
            item = (marker or (f"{token.info}{markers[-1]}" if markers and markers[-1] else "-"), [])
        elif kind == "list_item_close":
            flush_item()
        elif kind == "footnote_open":
            note = (str(token.meta["label"]), [])
        elif kind == "footnote_close" and note is not None:
            builder.footnote(note[0], " ".join(note[1]))
            note = None
        elif kind == "heading_open":
            content = " ".join(_lines(tokens[index + 1]))
            if note is not None:
                note[1].append(content)
            elif token.level > 0:  # a heading inside a list or block quote is not the document's structure
                flush_item()
                builder.paragraph(content)
            elif index in title:
                builder.title(content)
            elif (heading := decide(Evidence(content, markup=levels[index]))) is not None:
                bold.opened(heading, builder.add(heading).level, marked=True)
            after_title = index in title  # a paragraph in emphasis under another heading is no subtitle
        elif kind == "inline" and opening in ("paragraph_open", "th_open", "td_open"):
            lines = _lines(token)
            if note is not None:
                note[1].extend(lines)
            elif after_title and opening == "paragraph_open" and _emphasis_only(token):
                builder.title(" ".join(lines))  # the subtitle
                after_title = False
            elif item is not None and not item[1] and opening == "paragraph_open":
                item[1].extend(lines)
            elif (
                opening == "paragraph_open"
                and tokens[index - 1].level == 0
                and _strong_only(token)
                and (heading := bold.heading(" ".join(lines), builder.last_number)) is not None
            ):
                flush_item()
                bold.opened(heading, builder.add(heading).level, marked=False)
            elif opening == "paragraph_open":
                flush_item()
                grouper.add([Line(line) for line in lines], one_paragraph=True)
            elif lines:
                builder.paragraph(" ".join(lines))
        elif kind == "fence" and (raw := RAW_FENCE.fullmatch(token.info.strip())):
            # pandoc's raw block (```{=html}): markup for one output format, not code to show;
            # HTML is read as an HTML block is, any other format is shown by none we read
            if raw.group(1).lower() == "html":
                read_html(token.content)
        elif kind in ("fence", "code_block"):
            flush_item()
            builder.paragraph(token.content, code=True)
        elif kind == "html_block":
            read_html(token.content)
        if kind not in ("heading_open", "inline", "heading_close", "paragraph_open"):
            after_title = False  # only the paragraph right under the title can be its subtitle
    flush_item()
    return builder.build()
