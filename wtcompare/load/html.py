"""HTML loader: gov.uk HTML publications (the "govspeak" body) and a generic fallback.

Headings h1-h6 give sections (h1 is the document title when there is only one), paragraphs and
list items give text, and the footnotes block of a govspeak page is attached to the paragraphs
that cite it.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from ..errors import WtcompareError
from ..model import Document
from ..segment import CHAPTER, NUMBERED_HEADING, NUMBERED_PARAGRAPH, DocumentBuilder, _chapter_number

SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "button"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt"}


def _text(node: Tag) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def _body(soup: BeautifulSoup) -> Tag:
    for selector in ("div.govspeak", "main", "article", "[role=main]", "body"):
        found = soup.select_one(selector)
        if found is not None:
            return found
    return soup


def _footnotes(body: Tag) -> dict[str, str]:
    """govspeak footnotes: <div class="footnotes"><ol><li id="fn:1">...</li></ol></div>."""
    notes = {}
    for block in body.select("div.footnotes"):
        for number, item in enumerate(block.select("li"), start=1):
            for back in item.select("a[href^='#fnref']"):
                back.decompose()
            notes[item.get("id") or f"fn:{number}"] = f"{number} {_text(item)}"
        block.decompose()
    return notes


def html_document(data: bytes, name: str) -> Document:
    soup = BeautifulSoup(data, "lxml")
    for node in soup.find_all(SKIP):
        node.decompose()
    body = _body(soup)
    notes = _footnotes(body)
    builder = DocumentBuilder()
    headings = body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    top = min((int(h.name[1]) for h in headings if h.name != "h1"), default=2)
    single_h1 = sum(1 for h in headings if h.name == "h1") == 1
    title = soup.title.get_text(strip=True) if soup.title else None
    if title:
        builder.title(title)
    for node in body.find_all(BLOCKS):
        if node.find_parent(BLOCKS) is not None and node.name not in ("li",):
            continue  # its text is part of the enclosing block
        text = _text(node)
        if not text:
            continue
        if node.name[0] == "h" and node.name[1:].isdigit():
            level = int(node.name[1])
            if level == 1 and single_h1:
                builder.title(text)
                continue
            _heading(builder, text, max(1, level - top + 1))
        elif node.name == "li":
            if node.find_parent("div", class_="footnotes") is None:
                nested = node.find(["ul", "ol"])
                item = _text(_without_lists(node)) if nested else text
                builder.list_item(f"- {item}")
        else:
            cited = []
            for ref in node.select("sup a[href^='#fn'], a.footnote[href^='#fn']"):
                if ref["href"].lstrip("#") in notes:
                    cited.append(notes[ref["href"].lstrip("#")])
                    (ref.find_parent("sup") or ref).decompose()  # the marker is replaced by the link
            text = _text(node) if cited else text
            number = NUMBERED_PARAGRAPH.match(text)
            paragraph = builder.paragraph(number.group(3) if number else text, number=number.group(1) if number else None)
            if paragraph is not None:
                paragraph.footnotes.extend(cited)
    document = builder.build()
    if not any(p.text.strip() for p in document.paragraphs()):
        raise WtcompareError(f"{name}: the HTML page has no text")
    return document


def _without_lists(node: Tag) -> Tag:
    copy = BeautifulSoup(str(node), "lxml").find(node.name)
    for nested in copy.find_all(["ul", "ol"]):
        nested.decompose()
    return copy


def _heading(builder: DocumentBuilder, text: str, level: int) -> None:
    chapter = CHAPTER.match(text)
    if chapter:
        builder.heading(chapter.group(3).strip() or text, 1, _chapter_number(chapter.group(2)), chapter.group(1).lower())
        return
    numbered = NUMBERED_HEADING.match(text)
    if numbered:
        builder.heading(numbered.group(2), max(level, numbered.group(1).count(".") + 1), numbered.group(1))
        return
    builder.heading(text, level)


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<body" in data[:65536].lower())
