"""An edition's text as the timeline reads it: an outline at once, the whole document only if needed.

A timeline shows of each edition its counts (a cached scan), which chapters persist (a cached
alignment) and a few facts (its warnings, its size, its chapters' headings). The scan and the
alignments are cached under the document's key (`cache.document_key`), so when the cache also holds
that key and the facts, an `Outline` (`load.load_text`), the timeline never loads the document:
loading and checking twelve cached documents was most of a warm timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import cache
from .model import UNREGISTERED, Document, Edition


@dataclass
class Outline:
    """What a timeline shows of an edition's text beside its counts: the loaders' ``warnings``, how
    many ``paragraphs`` and ``sections`` (those holding paragraphs) it has, and each chapter's id and
    heading, in order."""

    warnings: list[str]
    paragraphs: int
    sections: int
    chapters: list[tuple[str, str]]

    @classmethod
    def of(cls, document: Document) -> Outline:
        return cls(
            list(document.warnings),
            sum(1 for _ in document.paragraphs()),
            sum(1 for s in document.walk() if s.paragraphs),
            [(s.id, s.heading) for s in document.sections],
        )


class EditionText:
    """An edition's text: its ``edition``, its `key` and `outline`, and its `document`, loaded by
    ``load`` only when first asked for. `of` makes one of a loaded document; `load.load_text` one
    whose key and outline come from the cache (``key``, ``outline``), so that a timeline whose scans
    and alignments are cached never loads the document."""

    def __init__(
        self,
        edition: Edition | None,
        load: Callable[[], Document],
        key: str | None = None,
        outline: Outline | None = None,
        entry: str | None = None,
    ) -> None:
        self.edition = edition
        self._load = load
        self._document: Document | None = None
        self._key = key
        self._outline = outline
        self._entry = entry  # the cache entry the key and outline came from, if they did

    @classmethod
    def of(cls, item: Document | EditionText) -> EditionText:
        """A document as an `EditionText` (one already is returned as it is)."""
        if isinstance(item, EditionText):
            return item
        return cls(item.edition, lambda: item)

    @property
    def edition_id(self) -> str:
        """As `Document.edition_id`."""
        return self.edition.id if self.edition else UNREGISTERED

    def document(self) -> Document:
        if self._document is None:
            self._document = self._load()
            if self._entry is not None and cache.document_key(self._document) != self._key:
                self.forget()  # the stored key is not this text's: never trust that entry again
                self._key = None
        return self._document

    def forget(self) -> None:
        """Delete the cache entry the key and outline came from (they did not fit what they describe),
        so that the next run stores them afresh from the document."""
        if self._entry is not None:
            cache.forget(self._entry)
            self._entry = None

    def key(self) -> str:
        """`cache.document_key` of the document."""
        if self._key is None:
            self._key = cache.document_key(self.document())
        return self._key

    def outline(self) -> Outline:
        if self._outline is None:
            self._outline = Outline.of(self.document())
        return self._outline
