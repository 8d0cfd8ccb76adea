"""DOCX loader (python-docx): headings from paragraph styles, numbered paragraphs, lists.

A DOCX is a zip file; its declared uncompressed size is checked before anything is unpacked, so a
zip bomb is refused with a clear message instead of filling memory.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import WtcompareError
from ..model import Document
from ..segment import CHAPTER, NUMBERED_HEADING, NUMBERED_PARAGRAPH, DocumentBuilder, _chapter_number

MAX_UNPACKED = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; real DOCX files stay far below this


def check_zip(data: bytes, name: str, limit: int = MAX_UNPACKED) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WtcompareError(f"{name}: not a readable DOCX (corrupt zip: {exc})") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > limit or unpacked / packed > MAX_RATIO:
        raise WtcompareError(f"{name}: refused: the DOCX would unpack to {unpacked:,} bytes "
                             f"({unpacked / packed:.0f} times its size), which looks like a zip bomb")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise WtcompareError(f"{name}: a zip file but not a Word document (no word/document.xml)")


def _level(style_name: str) -> int | None:
    match = re.match(r"^(heading|titre|überschrift)\s*(\d)$", style_name.strip(), re.I)
    return int(match.group(2)) if match else None


def docx_document(data: bytes, name: str) -> Document:
    import docx

    check_zip(data, name)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise WtcompareError(f"{name}: not a readable DOCX ({type(exc).__name__}: {exc})") from None
    builder = DocumentBuilder()
    paragraphs = [(p.style.name if p.style is not None else "", p.text.strip()) for p in word.paragraphs]
    levels = [_level(style) for style, text in paragraphs if text]
    top = min((lv for lv in levels if lv), default=1)
    for style, text in paragraphs:
        if not text:
            continue
        if style.lower() == "title":
            builder.title(text)
            continue
        level = _level(style)
        if level:
            chapter = CHAPTER.match(text)
            numbered = NUMBERED_HEADING.match(text)
            if chapter:
                builder.heading(chapter.group(3).strip() or text, 1, _chapter_number(chapter.group(2)),
                                chapter.group(1).lower())
            elif numbered:
                builder.heading(numbered.group(2), max(level - top + 1, numbered.group(1).count(".") + 1),
                                numbered.group(1))
            else:
                builder.heading(text, level - top + 1)
        elif "list" in style.lower():
            builder.list_item(f"- {text}")
        else:
            number = NUMBERED_PARAGRAPH.match(text)
            builder.paragraph(number.group(3) if number else text, number=number.group(1) if number else None)
    document = builder.build()
    if not any(p.text.strip() for p in document.paragraphs()):
        raise WtcompareError(f"{name}: the DOCX has no text")
    return document
