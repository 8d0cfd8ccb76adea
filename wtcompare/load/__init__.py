"""Load stage: read a source file of any supported format into a `Document`.

The format is detected from the file's content, not its name; every loader produces the same
`Document` model so later stages do not care where the text came from.
"""
from __future__ import annotations

import os
from pathlib import Path

import re

from ..errors import UsageError, WtcompareError
from ..model import Document, Edition
from ..segment import segment_text
from .text import decode_text, looks_like_text

MAX_BYTES = int(os.environ.get("WTCOMPARE_MAX_BYTES", 200 * 1024 * 1024))


def detect_format(data: bytes) -> str:
    """``text`` for plain text and Markdown; raises for content the tool cannot read."""
    if looks_like_text(data):
        return "text"
    raise WtcompareError("does not look like text (binary content)")


def read_source(path: str | os.PathLike) -> bytes:
    """Read a source file, with one-line errors for the usual problems."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise WtcompareError(
            f"{path}: {size:,} bytes is over the {MAX_BYTES:,}-byte limit; "
            "set WTCOMPARE_MAX_BYTES to raise it"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WtcompareError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_document(path: str | os.PathLike, edition: Edition | None = None) -> Document:
    """Load and segment one source file."""
    data = read_source(path)
    if not data.strip():
        raise WtcompareError(f"{path}: file is empty")
    try:
        fmt = detect_format(data)
    except WtcompareError as exc:
        raise WtcompareError(f"{path}: {exc}") from None
    text, warnings = decode_text(data, str(path))
    document = segment_text(text)
    document.edition = edition
    document.warnings.extend(warnings)
    if not any(re.search(r"\w", p.text) for p in document.paragraphs()):
        raise WtcompareError(f"{path}: no words found (the file holds only punctuation or markup)")
    return document
