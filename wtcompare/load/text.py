"""Decode text files: UTF-8 (with or without BOM), UTF-16 with its BOM (what Windows' Notepad saves
as "Unicode"), else cp1252 with a warning; CRLF normalised."""

from __future__ import annotations

import codecs

from ..errors import WtcompareError

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def looks_like_text(data: bytes) -> bool:
    """True when ``data`` has no NUL bytes and few control characters (a heuristic on the first 64 KB)."""
    if data.startswith(UTF16_BOMS):  # every other byte of English text in UTF-16 is a NUL
        try:
            sample = data[:65536].decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return False
    else:
        sample = data[:65536]
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(sample) // 100


def decode_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Return the text and any warnings. ``name`` is used in messages."""
    warnings: list[str] = []
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise WtcompareError(f"{name}: cannot decode the bytes at offset {exc.start} as UTF-16") from None
        return text.replace("\r\n", "\n").replace("\r", "\n"), warnings
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise WtcompareError(
                f"{name}: cannot decode byte 0x{data[exc.start]:02x} at offset {exc.start} as UTF-8 or cp1252"
            ) from None
        warnings.append(f"{name}: not valid UTF-8; read as Windows-1252 (cp1252)")
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings
