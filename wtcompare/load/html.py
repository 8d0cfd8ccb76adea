"""HTML loader: gov.uk HTML publications (the "govspeak" body), pandoc pages, and a generic fallback.

The page is read as a stream (lxml's pull parser) and each block is let go once read, so memory
stays bounded however large or tag-dense the page. Only the body of the publication is read: a
``<div class="govspeak">``, else ``<main>``, ``<article>``, ``[role=main]``, else ``<body>``;
scripts, navigation, headers, footers and forms are dropped.

Text is taken as the page shows it: inline elements (links, abbreviations, emphasis) add no
space of their own, block elements and line breaks separate words. Headings ``h1``-``h6`` go
through the shared heading rule with their level counted from the top level the page uses; the
title is the page's title ``h1`` (gov.uk's header, pandoc's ``h1.title``, or a page's only
``h1``), else its ``<title>`` without the site name. Lists become list items with the markers the
page implies (bullets, ``1.``, ``a)``, ``i)``) unless an item prints its own; table cells, ``pre``
blocks (kept as code) and definition lists become paragraphs. Footnotes (govspeak's
``div.footnotes``, pandoc's ``section.footnotes``) are attached to the paragraphs that cite them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import WtcompareError
from ..headings import BoldParagraphs, Evidence, decide
from ..model import Document
from ..segment import LIST_ITEM, DocumentBuilder, check_units, note_ref
from ..text import list_number

SKIP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "button",
    "head",
    "select",
    "iframe",
    "object",
    "canvas",
    "map",
    "dialog",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "pre", "td", "th", "dt", "dd", "caption", "figcaption", "address"}
LISTS = {"ul", "ol", "menu"}
# Tags that separate words when they occur inside a block (a table inside a cell, a paragraph
# inside a list item): everything not listed is inline and adds no space.
SEPARATING = (
    BLOCKS
    | LISTS
    | {
        "li",
        "div",
        "section",
        "article",
        "br",
        "tr",
        "table",
        "blockquote",
        "hr",
        "dl",
        "figure",
        "main",
        "body",
        "center",
        "details",
        "summary",
        "fieldset",
        "legend",
    }
)
SITE_SUFFIX = re.compile(r"(?:^|\s+)[-\u2013\u2014|]\s+GOV\.UK\s*$", re.I)  # " - GOV.UK", or all of an empty page title
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
FRAGMENT_START = re.compile(rb"<(?:h[1-6]|p|div|section|article|main|header|nav|ul|ol|table|blockquote)[\s>]")
BLOCK_END = re.compile(rb"</(?:p|h[1-6]|li|div|section|td)>")
MARKDOWN_HEADING = re.compile(rb"^#{1,6} ", re.M)
CHUNK = 1 << 20
MAX_DEPTH = 2048  # elements inside one another that libxml2 reads (deeper, it drops the rest of the page)
_SPACE = re.compile(r"\s+")
Element = Any  # an lxml element (lxml has no type annotations of its own)


def looks_like_html(data: bytes) -> bool:
    """A page (a doctype, ``<html>`` or ``<body>``), or a fragment as a CMS exports it or pandoc
    writes it without ``-s``: it opens with a block element and closes three or more, and has no
    Markdown heading line (a README opening with ``<p align="center">`` is Markdown)."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    start = data[:65536].lower()
    return (
        head.startswith((b"<!doctype html", b"<html"))
        or (head.startswith(b"<") and b"<body" in start)
        or (
            FRAGMENT_START.match(head) is not None
            and len(BLOCK_END.findall(start)) >= 3
            and MARKDOWN_HEADING.search(start) is None
        )
    )


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """The page as text: UTF-8 (with or without BOM), else the charset it declares, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = META_CHARSET.search(data[:4096])
    for codec in ([declared.group(1).decode("ascii")] if declared else []) + ["cp1252"]:
        try:
            return data.decode(codec), ([] if declared else [f"{name}: not valid UTF-8; read as Windows-1252 (cp1252)"])
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace"), [f"{name}: not valid UTF-8; undecodable bytes replaced"]


def _body_rule(text: str) -> Callable[[Element], bool]:
    """Which element holds the publication, decided from a look at the page's tags."""
    sample = text[:4_000_000]
    if re.search(r"""class\s*=\s*["'][^"']*\bgovspeak\b""", sample):
        return lambda el: "govspeak" in (el.get("class") or "").split()
    tag = next((tag for tag in ("main", "article") if re.search(rf"<{tag}\b", sample, re.I)), None)
    if tag is not None:
        return lambda el: el.tag == tag
    if re.search(r"""role\s*=\s*["']main["']""", sample, re.I):
        return lambda el: el.get("role") == "main"
    return lambda el: el.tag == "body"


def _classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


# elements that are a page's navigation, search or footer by their ARIA role ("navigation": a
# Sphinx theme's "related" bar) or by DocBook's classes (its chunked HTML's "Prev" / "Next" tables)
SKIP_ROLES = {"navigation", "search", "contentinfo"}
SKIP_CLASSES = {"navheader", "navfooter"}


def _skipped(el: Element, tag: str) -> bool:
    """Whether an element is read for nothing: a tag of `SKIP`, or a role or class of navigation."""
    return (
        tag in SKIP
        or not SKIP_ROLES.isdisjoint((el.get("role") or "").lower().split())  # roles may be a list
        or any(c.lower() in SKIP_CLASSES for c in _classes(el))
    )


def _note_target(el: Element) -> str | None:
    """The footnote a link cites (govspeak ``<sup><a href="#fn:1">``, pandoc ``a.footnote-ref``)."""
    href = el.get("href") or ""
    if el.tag != "a" or not href.startswith("#fn") or href.startswith("#fnref"):
        return None
    parent = el.getparent()
    cited = (
        any("footnote" in c for c in _classes(el))
        or el.get("role") == "doc-noteref"
        or (parent is not None and parent.tag == "sup")
        or el.find("sup") is not None
    )
    return href[1:] if cited else None


def _backlink(el: Element) -> bool:
    href = el.get("href") or ""
    return el.tag == "a" and (
        href.startswith("#fnref") or "footnote-back" in _classes(el) or el.get("role") == "doc-backlink"
    )


def inline_text(root: Element, keep_lines: bool = False, stop: Element | None = None) -> str:
    """The text of an element as a reader sees it: no space added at inline elements, one at
    block elements and line breaks, footnote references as placeholders, back-links dropped.
    ``keep_lines`` keeps the text's own line breaks (``pre``); ``stop`` ends the text where that
    child element starts."""
    from lxml import etree

    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, node in walker:
        if node is stop:
            break
        if event == "comment":
            parts.append(node.tail or "")
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if _skipped(node, tag) or _backlink(node) or tag == "img":
                walker.skip_subtree()
                continue
            target = _note_target(node)
            if target:
                parts.append(note_ref(target))
                walker.skip_subtree()
                continue
            if tag in SEPARATING and node is not root:
                parts.append("\n" if keep_lines else " ")
            parts.append(node.text or "")
        else:
            if tag in SEPARATING and node is not root:
                parts.append("\n" if keep_lines and tag == "br" else " ")
            if node is not root:
                parts.append(node.tail or "")
    text = "".join(parts)
    if keep_lines:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip("\n")
    return _SPACE.sub(" ", text).strip()


@dataclass
class _Event:
    kind: str  # title, subtitle, heading, paragraph, bold (a paragraph all in bold), code, item, note
    text: str
    level: int = 0
    marker: str = "-"
    label: str = ""


@dataclass
class _Frame:
    """An open element and its role (see `_Reader`); for a list item, whether its own text was
    already read."""

    el: Element
    role: str
    read: bool = False
    unwrapped: bool = False  # an inline element made a container by a block inside it


@dataclass
class _List:
    ordered: bool
    style: str = "1"
    next: int = 1


class _Reader:
    """Turns parser events into `_Event`s, holding only the elements still open.

    Each open element has a role: ``outside`` the publication's body, ``skip`` (scripts, menus),
    ``title-area`` (a page header, read only for the title), ``title`` (the title or subtitle
    element), ``page-title`` (the ``<title>``), ``container`` (a division of the body), ``list``,
    ``item`` (a list item), ``block`` (a paragraph, heading, cell or ``pre``), ``inline`` (inside
    a block or item) and ``loose`` (an inline element standing directly in a container). A block
    starting inside a ``loose`` element (and the inline elements within it) makes them containers."""

    def __init__(self, is_body: Callable[[Element], bool]) -> None:
        self.is_body = is_body
        self.events: list[_Event] = []
        self.page_title: str | None = None
        self.stack: list[_Frame] = []
        self.lists: list[_List] = []
        self.body_depth = 0  # stack depth of the body element; 0 when outside it
        self.notes_depth = 0  # stack depth of the footnotes block; 0 when outside it

    def start(self, el: Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in WRAPPED and self.stack and self.stack[-1].role in ("loose", "inline"):
            self._unwrap(el)
        parent = self.stack[-1] if self.stack else None
        role = parent.role if parent else "outside"
        if parent is not None and role == "item" and tag and not self.notes_depth and _ends_item(parent.el, el, tag):
            # A list item's text ends where a nested list or a further block starts; what follows
            # in the item is read as paragraphs of their own, as Word and plain text have them.
            self._item(parent, before=el)
            parent.role = role = "container"
        if role == "skip" or not tag:
            new = "skip"
        elif role in ("block", "inline", "loose", "item", "title", "page-title"):
            new = "inline"
        elif role == "title-area":
            classes = _classes(el)
            new = (
                "title"
                if tag == "h1" or "title" in classes or "subtitle" in classes
                else "skip"
                if tag in SKIP
                else "title-area"
            )
        elif tag == "header":
            new = "title-area"
        elif _skipped(el, tag):
            new = "page-title" if tag == "head" else "skip"
        elif not self.body_depth:
            if self.is_body(el):
                self.body_depth = len(self.stack) + 1
                new = "container"
            else:
                new = "title" if tag == "h1" else "outside"
        else:
            notes = not self.notes_depth and any("footnotes" in c for c in _classes(el))
            if tag in BLOCKS:
                new = "block"
            elif tag in LISTS:
                new = "list"
            elif tag == "li":
                new = "item"
            elif tag in SEPARATING or tag in ("tbody", "thead", "tfoot", "colgroup"):
                new = "container"
            else:
                new = "loose"
            if new != "loose" or notes:
                # text standing before a block is a paragraph of its own; before an inline element
                # ("Some <b>bold</b> text" in a <div>) it runs on into it, read when a block or the
                # container's end comes
                self._loose(el)
            if notes:
                self.notes_depth = len(self.stack) + 1
        if new == "list":
            start = el.get("start")
            self.lists.append(_List(tag == "ol", el.get("type") or "1", int(start) if start and start.isdigit() else 1))
        self.stack.append(_Frame(el, new))

    def end(self, el: Element) -> None:
        frame = self.stack.pop()
        role = frame.role
        tag = el.tag if isinstance(el.tag, str) else ""
        if role == "page-title" and tag == "head":
            title = el.find("title")
            self.page_title = inline_text(title) if title is not None else None
        elif role == "title":
            text = inline_text(el)
            if text:
                self.events.append(_Event("subtitle" if "subtitle" in _classes(el) else "title", text))
        elif role == "block":
            self._block(el, tag)
        elif role == "item":
            self._item(frame)
        elif frame.unwrapped:
            # what follows its last block runs on into the text after it, as inline text does
            el.tail = self._take(el, list(el)) + (el.tail or "")
        elif role in ("container", "list"):
            self._loose(None, container=el)
        if role == "list":
            self.lists.pop()
        depth = len(self.stack) + 1
        if self.notes_depth == depth:
            self.notes_depth = 0
        if self.body_depth == depth:
            self.body_depth = 0
        if role not in ("inline", "loose", "page-title") or tag == "head":
            el.clear(keep_tail=True)  # read: let it go

    def _unwrap(self, block: Element) -> None:
        """A block starts inside inline elements that stand in a container (``<font><p>``, an
        unclosed ``<span>`` before a heading): they become containers, so that its paragraphs,
        headings and lists are read as such and not run together into one paragraph. What each
        held before the next is read first, in document order. Inline elements in a paragraph
        are left as they are."""
        chain = []
        for frame in reversed(self.stack):
            if frame.role != "inline":
                if frame.role == "loose":
                    chain.append(frame)
                    break
                return
            chain.append(frame)
        chain.reverse()
        # the text before the block, at every level, is one paragraph, as a browser shows it
        inner = [frame.el for frame in chain[1:]] + [block]
        self._paragraph("".join(self._take(el.getparent(), _before(el.getparent(), el)) for el in inner))
        for frame in chain:
            frame.role, frame.unwrapped = "container", True

    def _block(self, el: Element, tag: str) -> None:
        if tag == "pre":
            text = inline_text(el, keep_lines=True)
            if text.strip():
                self.events.append(_Event("code", text))
            return
        text = inline_text(el)
        if not text:
            return
        if tag in HEADINGS:
            self.events.append(_Event("heading", text, level=int(tag[1])))
        elif tag == "p" and not self.notes_depth and _bold_only(el, text):
            self.events.append(_Event("bold", text))
        else:
            self.events.append(_Event("paragraph", text))

    def _marker(self, el: Element) -> str:
        current = self.lists[-1] if self.lists else _List(False)
        if not current.ordered:
            return "-"
        value = el.get("value")
        number = int(value) if value and value.isdigit() else current.next
        current.next = number + 1
        if current.style in ("a", "A", "i", "I"):
            return f"{list_number(number, current.style)})"
        return f"{number}."

    def _item(self, frame: _Frame, before: Element | None = None) -> None:
        """Emit a list item's own text once: all of it, or the part ``before`` a nested list."""
        if frame.read:
            return
        frame.read = True
        el = frame.el
        text = inline_text(el, stop=before)
        if before is not None:  # what was read is let go, so the rest of the item is read once
            for child in _before(el, before):
                el.remove(child)
            el.text = None
        if self.notes_depth:
            if text and el.get("id"):
                self.events.append(_Event("note", text, label=el.get("id")))
            return
        marker = self._marker(el)
        # an ordered list's item that prints its own number or letter is shown by it; in a list of
        # bullets, "1. Jenkins release access" (a contents list of numbered headings) is the item's
        # text, as Markdown and Word have it
        ordered = bool(self.lists) and self.lists[-1].ordered
        own = ordered and (LIST_ITEM.match(text) or re.match(r"^(\d{1,3}\.)\s+(\S.*)$", text))
        if own:
            marker, text = own.group(1), own.group(2)
        if text:
            self.events.append(_Event("item", text, marker=marker))

    def _loose(self, child: Element | None, container: Element | None = None) -> None:
        """Text standing directly in a container (not in a paragraph): read up to ``child`` as it
        starts, or, at the ``container``'s end, what is left; read children are let go."""
        if container is not None:
            parent, done = container, list(container)
        else:
            assert child is not None, "_loose is given the child that starts or the container that ends"
            parent = child.getparent()
            if parent is None:
                return
            done = _before(parent, child)
        self._paragraph(self._take(parent, done))

    @staticmethod
    def _take(parent: Element, done: list[Element]) -> str:
        """The text of ``parent`` up to the end of its children ``done``, which are let go."""
        loose = [parent.text or ""]
        for sibling in done:
            if (
                isinstance(sibling.tag, str)
                and sibling.tag not in SEPARATING
                and sibling.tag not in SKIP
                and sibling.tag not in ("tbody", "thead", "tfoot", "colgroup", "li")
            ):
                loose.append(inline_text(sibling))
            elif sibling.tag in SEPARATING:
                loose.append(" ")  # a line break read inside a wrapper ("one<br>two<p>"): words apart
            loose.append(sibling.tail or "")
            parent.remove(sibling)
        parent.text = None
        return "".join(loose)

    def _paragraph(self, text: str) -> None:
        text = _SPACE.sub(" ", text).strip()
        if text and not self.notes_depth:
            self.events.append(_Event("paragraph", text))


# Blocks that make the inline elements around them containers (a line break does not)
WRAPPED = SEPARATING - {"br"}
ITEM_ENDS = LISTS | {"pre", "table", "blockquote", "div", "dl", "figure"} | HEADINGS


# Where a paragraph in bold is a box's or a list's own text, not a heading of the page: list items,
# table cells, quotations, asides, folded details, figures and definitions, and GOV.UK's inset
# and warning texts and the call-outs and panels of other sites
SET_APART = {"li", "td", "th", "blockquote", "aside", "details", "figure", "dd", "dt"}
SET_APART_CLASS = re.compile(r"inset|warning|call-?out|notice|panel", re.I)


def _bold_only(paragraph: Element, text: str) -> bool:
    """Whether a paragraph's ``text`` is all in one ``<strong>`` or ``<b>``, and the paragraph
    stands in the page's own flow (`SET_APART`)."""
    bold = [child for child in paragraph if child.tag in ("strong", "b")]
    return (
        len(bold) == 1
        and " ".join(inline_text(bold[0]).split()) == " ".join(text.split())
        and not any(
            a.tag in SET_APART or SET_APART_CLASS.search(a.get("class") or "") for a in paragraph.iterancestors()
        )
    )


def _before(parent: Element, child: Element) -> list[Element]:
    """The children of ``parent`` before ``child``. (The pull parser may already have read further
    siblings when ``child``'s start is handled, so ``child`` need not be the last child.)"""
    if child.getparent() is not parent:
        return list(parent)
    # preceding siblings only: read ones are removed as the next starts, so there are few; the
    # siblings already parsed after ``child`` can be thousands (a listing of the whole parent made
    # a page of 200,000 short paragraphs take minutes)
    return list(child.itersiblings(preceding=True))[::-1]


def _ends_item(item: Element, child: Element, tag: str) -> bool:
    """Whether ``child`` of a list item ends the item's own text: a nested list, code, a table, or
    a second paragraph."""
    return tag in ITEM_ENDS or (tag == "p" and any(c.tag == "p" for c in _before(item, child)))


def _stream(text: str, name: str) -> _Reader:
    from lxml import etree

    reader = _Reader(_body_rule(text))
    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, no_network=True, huge_tree=True)
    depth = 0

    def read() -> None:
        nonlocal depth
        for event, el in parser.read_events():
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                # libxml2 reads no deeper, and drops the rest of the page without a word
                raise WtcompareError(
                    f"{name}: elements nest more than {MAX_DEPTH:,} deep; the page cannot be read whole"
                )
            (reader.start if event == "start" else reader.end)(el)

    for offset in range(0, len(text), CHUNK):
        parser.feed(text[offset : offset + CHUNK])
        read()
        check_units(len(reader.events))  # before the events of a hostile page fill the memory
    parser.close()
    read()
    return reader


def html_document(data: bytes, name: str) -> Document:
    text, warnings = _decode(data, name)
    reader = _stream(text, name)
    events = reader.events
    titles = [e for e in events if e.kind == "title"]
    h1s = [e for e in events if e.kind == "heading" and e.level == 1]
    builder = DocumentBuilder()
    if titles:
        builder.title(titles[0].text)
    elif len(h1s) == 1:
        builder.title(h1s[0].text)
        events = [e for e in events if e is not h1s[0]]
    elif reader.page_title and reader.page_title.strip() != "-":  # pandoc's title for a page made from stdin with none
        builder.title(SITE_SUFFIX.sub("", reader.page_title))
    for event in events:
        if event.kind == "subtitle":
            builder.title(event.text)
    top = min((e.level for e in events if e.kind == "heading"), default=1)
    bold = BoldParagraphs(headed=any(e.kind == "heading" for e in events))
    for event in events:
        if event.kind == "heading":
            heading = decide(Evidence(event.text, markup=event.level - top + 1))
            if heading is not None:
                bold.opened(heading, builder.add(heading).level, marked=True)
        elif event.kind == "paragraph":
            builder.paragraph(event.text)
        elif event.kind == "bold":
            if (heading := bold.heading(event.text, builder.last_number)) is not None:
                bold.opened(heading, builder.add(heading).level, marked=False)
            else:
                builder.paragraph(event.text)
        elif event.kind == "code":
            builder.paragraph(event.text, code=True)
        elif event.kind == "item":
            builder.item(event.text, event.marker)
        elif event.kind == "note":
            builder.footnote(event.label, event.text)
    document = builder.build()
    document.warnings.extend(warnings)
    if not any(p.text.strip() for p in document.paragraphs()):
        raise WtcompareError(f"{name}: the HTML page has no text")
    return document
