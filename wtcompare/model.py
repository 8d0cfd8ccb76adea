"""The data every stage passes on: editions and their text as a tree of sections.

Plain dataclasses, so a notebook user can inspect, build or serialise them directly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:  # annotations only: pandas is imported where a table is made
    import pandas as pd

EDITION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
KINDS = ("official", "sample")
ISO_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def check_edition_id(edition_id: str) -> str:
    """Return ``edition_id`` if it is lowercase letters, digits and hyphens; raise otherwise.

    Ids become file names under the texts folder, so this also keeps them inside it.
    """
    if not isinstance(edition_id, str) or not EDITION_ID.match(edition_id):
        raise UsageError(
            f"invalid edition id {edition_id!r}: use lowercase letters, digits and hyphens "
            "(at most 64 characters, not starting with a hyphen)"
        )
    return edition_id


def check_date(text: str) -> str:
    """Return ``text`` if it is an ISO date that exists in the calendar (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``); raise a `UsageError` otherwise. Dates are printed into citations and sort
    editions, so "yesterday" or "2020-13-45" must never get in."""
    match = ISO_DATE.match(text) if isinstance(text, str) else None
    if match:
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month or 1), int(day or 1))
            return text
        except ValueError:
            pass
    raise UsageError(f"invalid date {text!r}: give a real calendar date as YYYY, YYYY-MM or YYYY-MM-DD")


UNREGISTERED = "document"  # the edition id of a text read from a file the registry does not know


@dataclass(frozen=True)
class Edition:
    """One edition (or amended version) of the guidance, as listed in the registry.

    ``source`` is the local file (absolute path) when the text is available, else ``None``;
    ``url`` is the official download address when one is known; ``page``, ``attachment`` and
    ``prefer`` are a rule that finds the file a GOV.UK page lists now. ``kind`` is ``official``
    for the real guidance and ``sample`` for the project's fictional corpus. ``companion`` marks a
    document published beside an edition rather than a new edition of it (the 2023 statutory
    framework): a series leaves it out unless it is named (see `Registry.series`).
    """

    id: str
    title: str
    year: int | None = None
    date: str | None = None
    publisher: str | None = None
    kind: str = "official"
    source: str | None = None
    sha256: str | None = None
    licence: str | None = None
    url: str | None = None
    page_url: str | None = None
    page: str | None = None  # GOV.UK page whose attachments 'fetch' resolves (a path or www.gov.uk address)
    attachment: str | None = None  # on that page, the title pattern (case-insensitive regex) of this edition
    prefer: str | None = None  # "html" (default) or "file", when both kinds match the pattern
    format: str | None = None
    version_of: str | None = None
    notes: str | None = None
    ocr: bool | None = None  # read scanned pages with Tesseract
    companion: bool | None = None  # published beside an edition, not an edition of the series

    @property
    def fictional(self) -> bool:
        return self.kind == "sample"


@dataclass
class PageTurn:
    """Where a paragraph runs on to another page: the offset in its text at which that page's
    text begins, and the page's printed label."""

    offset: int
    page: str


def page_at(page: str | None, turns: Sequence[PageTurn], offset: int) -> str | None:
    """The page on which the character at ``offset`` of a paragraph's text is printed: ``page``,
    where the paragraph begins, or the last of its ``turns`` at or before ``offset``."""
    for turn in turns:
        if turn.offset > offset:
            break
        page = turn.page
    return page


@dataclass
class Paragraph:
    """A paragraph: ``id`` is stable (section id + ordinal), ``number`` is the number printed
    in the text ("1.23", "23") when there is one, ``page`` the printed page label when known
    (where the paragraph begins; ``turns`` says where it runs on to another page, so that a
    word can be cited by the page it is printed on: `page_at`).
    List items that a paragraph introduces are part of its ``text``, one item per line, each
    with its marker ("- ", "(a) ", "1. "). ``text`` keeps the typography of the source; compare
    and count through `wtcompare.text.canonical` and `wtcompare.text.tokenize`. ``footnotes``
    holds the text of each footnote the paragraph cites, and ``footnote_pages`` the page each is
    printed on where that is known (a PDF's; the list may be shorter: `footnote_page`). ``code``
    marks a code block, whose lines are kept."""

    id: str
    text: str
    number: str | None = None
    page: str | None = None
    footnotes: list[str] = field(default_factory=list)
    code: bool = False
    turns: list[PageTurn] = field(default_factory=list)
    footnote_pages: list[str | None] = field(default_factory=list)

    def page_at(self, offset: int) -> str | None:
        """The page on which the character at ``offset`` of the text is printed."""
        return page_at(self.page, self.turns, offset)

    def footnote_page(self, k: int) -> str | None:
        """The page footnote ``k`` is printed on: its own where known, else the paragraph's."""
        known = self.footnote_pages[k] if k < len(self.footnote_pages) else None
        return known if known is not None else self.page


@dataclass
class Section:
    """A heading and what it holds: paragraphs, then subsections.

    ``id`` is stable across loads of the same file: ``ch3`` for chapter 3, ``ch3/3.2`` for a
    numbered section, ``ch3/assessment`` (a slug of the heading) for an unnumbered one,
    ``front`` for text before the first heading.
    """

    id: str
    heading: str
    level: int
    number: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    page: str | None = None  # the printed page of its heading, when known

    def walk(self) -> Iterator[Section]:
        """This section and every subsection, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def text(self) -> str:
        """The paragraphs of this section alone (not its subsections), blank-line separated."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def full_text(self) -> str:
        """This section's paragraphs and all of its subsections' paragraphs."""
        return "\n\n".join(p.text for s in self.walk() for p in s.paragraphs)


@dataclass
class Document:
    """An edition's text: top-level sections (chapters, or ``front``) in order."""

    sections: list[Section]
    edition: Edition | None = None
    warnings: list[str] = field(default_factory=list)
    format: str | None = None  # text, markdown, pdf, html or docx, as detected
    ocr_pages: list[str] = field(default_factory=list)  # page labels whose text came from OCR
    title: str | None = None  # the document's own title (and subtitle), as printed; not counted

    def walk(self) -> Iterator[Section]:
        """Every section at every level, in document order."""
        for section in self.sections:
            yield from section.walk()

    @property
    def edition_id(self) -> str:
        """The id of the document's edition, or ``document`` for a text read from a file the
        registry does not know (as every table and anchor names it)."""
        return self.edition.id if self.edition else UNREGISTERED

    def registered(self) -> Edition:
        """The edition of a document read from the registry, which always gives it one (a document
        read from a file the registry does not know has none)."""
        if self.edition is None:
            raise ValueError("a document read from a file, not from the registry: it has no edition")
        return self.edition

    def paragraphs(self) -> Iterator[Paragraph]:
        for section in self.walk():
            yield from section.paragraphs

    def section(self, section_id: str) -> Section:
        for section in self.walk():
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs())

    def sections_frame(self) -> pd.DataFrame:
        """Every section with its stable id, level, number, heading, paragraphs, words (tokens, as
        in every count) and its page (its heading's, else its first paragraph's): the ``sections``
        command's table."""
        import pandas as pd

        from .text import tokenize

        return pd.DataFrame(
            [
                {
                    "id": s.id,
                    "level": s.level,
                    "number": s.number,
                    "heading": s.heading,
                    "paragraphs": len(s.paragraphs),
                    "words": sum(len(tokenize(p.text)) for p in s.paragraphs),
                    "page": s.page or (s.paragraphs[0].page if s.paragraphs else None),
                }
                for s in self.walk()
            ],
            columns=["id", "level", "number", "heading", "paragraphs", "words", "page"],
        )
