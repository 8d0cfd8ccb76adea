"""Caches, so a rerun does not redo work: parsed documents, alignments, scan results and charts.

An entry is keyed by the SHA-256 of the source bytes, the OCR flag, the tool version and the cache
format, so a changed file or a new version of wtcompare never reads a stale entry. Entries are JSON
(never pickle: a cache file cannot run code), written atomically; an entry that cannot be read is
deleted and rebuilt, never fatal. The folder is ``$WTCOMPARE_CACHE``, else the user's cache folder;
``WTCOMPARE_NO_CACHE=1`` (or ``--no-cache``) turns the cache off.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .fileio import atomic_write
from .model import Document, Paragraph, Section

FORMAT = 4  # bump whenever what an entry holds changes


def enabled() -> bool:
    return not os.environ.get("WTCOMPARE_NO_CACHE")


def folder() -> Path:
    env = os.environ.get("WTCOMPARE_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("wtcompare"))


def key(data: bytes, ocr: bool) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return hashlib.sha256(f"{FORMAT}|{__version__}|{ocr}|{digest}".encode()).hexdigest()


def _section(data: dict) -> Section:
    return Section(id=data["id"], heading=data["heading"], level=data["level"], number=data["number"],
                   paragraphs=[Paragraph(**p) for p in data["paragraphs"]],
                   children=[_section(c) for c in data["children"]])


def get(entry: str) -> Document | None:
    path = folder() / f"{entry}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != entry:
            raise ValueError("entry does not match its key")
        return Document(sections=[_section(s) for s in data["sections"]], warnings=data["warnings"],
                        format=data["format"], ocr_pages=data["ocr_pages"], title=data["title"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        try:
            path.unlink()  # corrupt: rebuild it
        except OSError:
            pass
        return None


def document_key(document: Document) -> str:
    """A digest of everything alignment and diffs depend on: ids, headings, numbers, pages, texts."""
    digest = hashlib.sha256()
    for section in document.walk():
        digest.update(json.dumps([section.id, section.heading, section.level, section.number,
                                  [[p.id, p.number, p.page, p.text, p.footnotes, p.code]
                                   for p in section.paragraphs]]).encode())
    return digest.hexdigest()


def result_key(kind: str, *parts: str) -> str:
    return hashlib.sha256("|".join([kind, str(FORMAT), __version__, *parts]).encode()).hexdigest()


def get_result(entry: str):
    """A cached result (JSON data) or None; an unreadable entry is deleted."""
    if not enabled():
        return None
    path = folder() / f"{entry}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != entry:
            raise ValueError("entry does not match its key")
        return data["value"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        try:
            path.unlink()
        except OSError:
            pass
        return None


def forget(entry: str) -> None:
    """Delete an entry that could be read but not used (it is rebuilt)."""
    try:
        (folder() / f"{entry}.json").unlink()
    except OSError:
        pass


def put_result(entry: str, value) -> None:
    if enabled():
        _write(entry, {"key": entry, "value": value})


def _write(entry: str, data: dict) -> None:
    try:
        atomic_write(folder() / f"{entry}.json", json.dumps(data, ensure_ascii=False))
    except Exception:  # noqa: BLE001 - a read-only or full cache must not stop the run
        pass


def summary() -> tuple[Path, int, int]:
    """The cache folder, its number of entries and their total size in bytes."""
    entries = list(folder().glob("*.json")) if folder().is_dir() else []
    return folder(), len(entries), sum(e.stat().st_size for e in entries)


def clear() -> int:
    """Delete every cache entry; returns how many were deleted."""
    entries = list(folder().glob("*.json")) if folder().is_dir() else []
    for entry in entries:
        entry.unlink(missing_ok=True)
    return len(entries)


def put(entry: str, document: Document) -> None:
    """Store a parsed document; a cache that cannot be written is skipped, not an error."""
    _write(entry, {"key": entry, "sections": [asdict(s) for s in document.sections], "warnings": document.warnings,
                   "format": document.format, "ocr_pages": document.ocr_pages, "title": document.title})
