"""Load stage: read a source file of any supported format into a `Document`.

The format is detected from the file's content (magic bytes), not its name: PDF, DOCX, HTML, or
text, which is Markdown when its name says so (``.md``) or its content shows Markdown structure.
Every loader ends in the same builder (`wtcompare.segment`) and heading rule
(`wtcompare.headings`), so the same words give the same `Document` in every format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from .. import cache
from ..errors import WtcompareError
from ..fileio import MAX_BYTES, read_regular
from ..model import Document, Edition
from ..outline import EditionText, Outline
from ..progress import gc_paused, stage
from ..segment import TooManyUnits, segment_lines, segment_text
from .text import decode_text, looks_like_text


def detect_format(data: bytes) -> str:
    """``pdf``, ``docx``, ``html`` or ``text`` (text or Markdown) from the content; raises for
    anything else."""
    from .html import looks_like_html

    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if looks_like_html(data):
        return "html"
    if looks_like_text(data):
        return "text"
    raise WtcompareError("does not look like text, PDF, DOCX or HTML (binary content)")


def read_source(path: str | os.PathLike) -> bytes:
    """Read a source file, with one-line errors for the usual problems (see `read_regular`: only a
    regular file is read, and never more than `MAX_BYTES`)."""
    path = Path(path)
    with stage("load", path.name):
        return read_regular(path, MAX_BYTES)


def parse(data: bytes, name: str, ocr: bool = False) -> Document:
    """Segment the bytes of a source file into a `Document` (``name`` is used in messages)."""
    if not data.strip():
        raise WtcompareError(f"{name}: file is empty")
    try:
        fmt = detect_format(data)
    except WtcompareError as exc:
        raise WtcompareError(f"{name}: {exc}") from None
    try:
        if fmt == "pdf":
            from .pdf import pdf_lines

            with stage("load", Path(name).name):
                read = pdf_lines(data, name, ocr)
            with stage("segment", Path(name).name):
                document = segment_lines(read.lines, read.notes, read.browser)
            document.ocr_pages = read.ocr_pages
            document.warnings.extend(read.warnings)
        elif fmt == "docx":
            from .docx import docx_document

            with stage("segment", Path(name).name):
                document = docx_document(data, name)
        elif fmt == "html":
            from .html import html_document

            with stage("segment", Path(name).name):
                document = html_document(data, name)
        else:
            from .markdown import EXTENSIONS, looks_like_markdown, markdown_document

            with stage("load", Path(name).name):
                text, warnings = decode_text(data, name)
            if Path(name).suffix.lower() in EXTENSIONS or looks_like_markdown(text):
                fmt = "markdown"
                with stage("segment", Path(name).name):
                    document = markdown_document(text, name)
            else:
                with stage("segment", Path(name).name):
                    document = segment_text(text)
            document.warnings.extend(warnings)
    except TooManyUnits as exc:
        raise WtcompareError(f"{name}: {exc}") from None
    document.format = fmt
    if not any(re.search(r"\w", p.text) for p in document.paragraphs()):
        raise WtcompareError(f"{name}: no words found outside a title and headings (only those, punctuation or markup)")
    # a front section's children are headed ("front/1.1": numbered headings under a title)
    if all(section.id.startswith("front") and "/" not in section.id for section in document.walk()):
        count = sum(1 for _ in document.paragraphs())
        document.warnings.append(
            f"{name}: no headings found; read as one section of {count} paragraph{'s' if count != 1 else ''}"
        )
    return document


@gc_paused()
def load_document(path: str | os.PathLike, edition: Edition | None = None, ocr: bool = False) -> Document:
    """Load and segment one source file (from the cache of parsed documents when it holds it)."""
    return load_bytes(read_source(path), str(path), edition, ocr)


def _entry(data: bytes, name: str, ocr: bool) -> str | None:
    """The cache entry of the document parsed from ``data`` (None with the cache off)."""
    return cache.key(data, ocr, name) if cache.enabled() else None


def stored(data: bytes, name: str, ocr: bool = False) -> bool:
    """Whether the cache holds what `load_bytes` would parse from ``data``, so that loading it
    reads the cache rather than the source."""
    entry = _entry(data, name, ocr)
    return entry is not None and cache.holds(entry)


def outlined(data: bytes, name: str, ocr: bool = False) -> bool:
    """Whether the cache holds the outline `load_text` reads of ``data``, so that it loads the
    document only if it is asked for (a timeline whose scans and alignments are cached never asks)."""
    return cache.enabled() and cache.holds(_outline_entry(data, name, ocr))


def _outline_entry(data: bytes, name: str, ocr: bool) -> str:
    return cache.result_key("outline", cache.key(data, ocr, name))


@gc_paused()
def load_bytes(data: bytes, name: str, edition: Edition | None = None, ocr: bool = False) -> Document:
    """`load_document` for a file already read, so its checksum and copy are of the bytes parsed."""
    entry = _entry(data, name, ocr)
    with stage("cache", Path(name).name):
        document = cache.get(entry) if entry else None
    if document is None:
        document = parse(data, name, ocr)
        if entry:
            cache.put(entry, document)
    document.edition = edition
    return document


def load_text(
    data: bytes,
    name: str,
    edition: Edition | None = None,
    ocr: bool = False,
    notes: Sequence[str] = (),
    parsed: Callable[[], Document] | None = None,
) -> EditionText:
    """`load_bytes` for the timeline (see `EditionText`): the document's key and outline from the
    cache, which stores them apart from the document, so that the document is loaded only if it is
    asked for; without them there, it is loaded now and they are stored. ``notes``: warnings about
    the file from whoever read it (the registry's checksum), which follow the loaders' own.
    ``parsed``: what gives the document `load_bytes` gives, when another process loads it."""

    def load() -> Document:
        document = parsed() if parsed is not None else load_bytes(data, name, edition, ocr)
        document.warnings.extend(notes)
        return document

    if not cache.enabled():
        return EditionText(edition, load)
    entry = _outline_entry(data, name, ocr)
    with stage("cache", Path(name).name):
        stored = cache.get_result(entry)
    if stored is not None:
        fields = stored["outline"]
        chapters = [(chapter, heading) for chapter, heading in fields["chapters"]]
        outline = Outline(fields["warnings"] + list(notes), fields["paragraphs"], fields["sections"], chapters)
        return EditionText(edition, load, stored["document"], outline, entry)
    document = parsed() if parsed is not None else load_bytes(data, name, edition, ocr)
    key = cache.document_key(document)
    # stored with the loaders' warnings only: the registry's notes may change while the file stays the same
    cache.put_result(entry, {"document": key, "outline": asdict(Outline.of(document))})
    document.warnings.extend(notes)
    return EditionText(edition, lambda: document, key)
