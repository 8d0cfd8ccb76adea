"""Caches, so a rerun does not redo work: parsed documents, alignments and scan results.

An entry is keyed by the SHA-256 of the source bytes, the OCR flag, the tool version, a digest of
wtcompare's own source (`code_digest`) and the cache format, so a changed file, a new version or a
changed line of wtcompare's code never reads a stale entry. Entries are JSON
(never pickle: a cache file cannot run code), written atomically; an entry that cannot be read, or
does not fit the schema of its kind (see below), is deleted and rebuilt, never fatal. The folder is
``$WTCOMPARE_CACHE``, else the user's cache folder; ``WTCOMPARE_NO_CACHE=1`` (or ``--no-cache``)
turns the cache off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import typing
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__
from .errors import WtcompareError
from .fileio import MAX_BYTES, atomic_write, depth, read_regular
from .model import Document
from .schema import problem

FORMAT = 6  # bump whenever what an entry holds, or what its key says, changes
MAX_DEPTH = 64  # JSON nesting of an entry: a document's sections nest a few levels, results three
NOT_STORED = {Document: {"edition"}}  # set by whoever loads the document, not by parsing it


_off = False  # set by use(False): --no-cache, for this process and the workers it forks


def use(on: bool) -> None:
    """Whether this process reads and writes the cache (unless ``WTCOMPARE_NO_CACHE`` is set): the
    CLI's ``--no-cache``, set again by each command, so one run never decides for the next."""
    global _off
    _off = not on


def enabled() -> bool:
    return not (_off or os.environ.get("WTCOMPARE_NO_CACHE"))


def folder() -> Path:
    env = os.environ.get("WTCOMPARE_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("wtcompare"))


@functools.cache
def code_digest() -> str:
    """A digest of wtcompare's own files (its code, the report's templates, the shipped data), part
    of every entry's key and of every site page's: the version changes only at a release, and a
    result of the code before a fix made between releases (a loader's, the sense reader's, a
    template's) must not be served after it."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    files = (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.relative_to(root).parts)
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(data: bytes, ocr: bool, name: str) -> str:
    """The entry of a parsed document: its bytes, and its file's name, which says whether text is
    read as Markdown and which the loaders' warnings quote."""
    digest = hashlib.sha256(data).hexdigest()
    parts = f"{FORMAT}|{__version__}|{code_digest()}|{ocr}|{name}|{digest}"
    return "document-" + hashlib.sha256(parts.encode()).hexdigest()


# Schemas -------------------------------------------------------------------------------------
# Every entry is checked against the schema of its kind (the part of its name before the first
# hyphen) before anything uses it: its key, which holds the format and the tool version, and the
# type and range of every field at every depth (`wtcompare.schema`). The document schema is
# `Document`'s own fields and type annotations (and `Section`'s and `Paragraph`'s), so a field
# added to the model is stored, checked and read back with no change here.


# A type annotation as `typing` sees it (a dataclass, ``list[X]``, ``X | None``, a TypedDict made
# at run time): no static type covers them all, so `Any` is the honest one (as in `wtcompare.schema`).
Hint = Any
# `typing.TypedDict` called with fields known only at run time (the model's annotations), which
# the class syntax cannot express; named apart so that type checkers take it as the call it is.
_typed_dict: Any = typing.TypedDict


@functools.cache
def _fields(cls: Hint) -> dict[str, Hint]:
    """The stored fields of a dataclass or TypedDict and their types."""
    hints = typing.get_type_hints(cls)
    return {name: hint for name, hint in hints.items() if name not in NOT_STORED.get(cls, ())}


def _build(value: Any, hint: Hint) -> Any:
    """JSON data that fits ``hint`` as the objects it stands for (dataclasses built from dicts)."""
    make = _builder(hint)
    return make(value) if make else value


_builders: dict[Hint, Callable | None] = {}


def _builder(hint: Hint) -> Callable | None:
    """What makes the objects ``hint`` stands for from JSON data that fits it (None: the data as
    it is), made once per type rather than worked out again for every value (a cached edition has
    tens of thousands)."""
    if hint in _builders:
        return _builders[hint]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        parts: list[tuple[str, Callable | None]] = []

        def make(value: dict) -> Any:
            return hint(**{name: inner(value[name]) if inner else value[name] for name, inner in parts})

        _builders[hint] = make  # before its fields' builders, which may refer to it (a Section's children)
        parts.extend((name, _builder(field)) for name, field in _fields(hint).items())
        return make
    inner = _builder(typing.get_args(hint)[0]) if typing.get_origin(hint) is list else None
    _builders[hint] = (lambda value: [inner(item) for item in value]) if inner else None
    return _builders[hint]


@functools.cache
def _schema(kind: str) -> Hint:
    """The type an entry of ``kind`` must have (the entry's ``key`` is checked apart)."""
    if kind == "document":
        return _typed_dict("DocumentEntry", {"key": str, **_fields(Document)})
    if kind == "senses":
        from .senses import BlindFigure

        value: Hint = BlindFigure
    elif kind == "scan":
        from .scan import FIELDS, Match

        match = typing.get_type_hints(Match)
        # a tuple type built from the dataclass's fields at run time, which a static checker cannot follow
        fields: Any = tuple(match[f] for f in FIELDS)
        value = _typed_dict("ScanValue", {"tokens": int, "matches": list[tuple[fields]]})
    elif kind == "align":
        from .align.model import LEVELS, Pair

        pair: Any = tuple(typing.get_type_hints(Pair).values())
        level = _typed_dict(
            "AlignLevel",
            {
                "pairs": list[tuple[pair]],
                "flow": list[tuple[str, str, int]],
                "words_a": dict[str, int],
                "words_b": dict[str, int],
            },
        )
        levels: Any = LEVELS
        value = dict[typing.Literal[levels], level]  # type: ignore[valid-type]  # the levels, known only at run time
    elif kind == "chapters":  # the timeline's chapter pairs of two editions (`wtcompare.report`)
        from .align.model import PairKind

        value = list[tuple[PairKind, list[str], list[str], int, int, str, int]]
    elif kind == "outline":
        from .outline import Outline

        value = _typed_dict("OutlineValue", {"document": str, "outline": Outline})
    else:
        return None
    return _typed_dict("ResultEntry", {"key": str, "value": value})


def _path(entry: str) -> Path:
    return folder() / f"{entry}.json"


def _read(entry: str) -> Any:
    """The entry's data if it fits its kind's schema, else None (and an unusable entry is deleted)."""
    path = _path(entry)
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(read_regular(path, MAX_BYTES, "cache entry").decode("utf-8"))
        kind = entry.partition("-")[0]
        schema = _schema(kind)
        # The schema first: then only a document's depth needs finding (a section holds sections;
        # every result's schema nests to a fixed depth, far below MAX_DEPTH), and without walking
        # every value
        if (
            schema is not None
            and isinstance(data, dict)
            and data.get("key") == entry
            and problem(data, schema, exact=True, fields=_fields) is None
            and (kind != "document" or _document_depth(data) <= MAX_DEPTH)
        ):
            return data
    except (WtcompareError, ValueError, RecursionError):  # not a file, unreadable, not JSON, too deep
        pass
    forget(entry)
    return None


def _document_depth(data: dict) -> int:
    """`fileio.depth` of a document entry that fits its schema, or more, in far fewer steps: every
    paragraph nests alike (a table holding a list of footnotes and a list of page turns, tables of
    their own), so each section's first paragraph, given a page turn, stands for the rest (walking
    them all took longer than parsing the JSON)."""

    def sample(section: dict) -> dict:
        return {
            **section,
            "paragraphs": [{**p, "turns": [{"offset": 0, "page": ""}]} for p in section["paragraphs"][:1]],
            "children": [sample(child) for child in section["children"]],
        }

    return depth({**data, "sections": [sample(s) for s in data["sections"]]})


def get(entry: str) -> Document | None:
    """A cached parsed document, or None."""
    data = _read(entry)
    if data is None:
        return None
    return _build({k: v for k, v in data.items() if k != "key"}, Document)


_kept: dict[int, tuple[weakref.ref, str]] | None = None  # inside `keys_kept`: id -> (document, its key)


@contextmanager
def keys_kept() -> Iterator[None]:
    """Inside the block, each document's key is worked out once, the first time it is asked for
    (the timeline asks for an edition's key for its scan and for the alignments either side of it,
    a twentieth of a second each time); the documents must not change inside it."""
    global _kept
    outer, _kept = _kept, {}
    try:
        yield
    finally:
        _kept = outer


def document_key(document: Document) -> str:
    """A digest of everything alignment and diffs depend on: ids, headings, numbers, pages, texts."""
    known = _kept.get(id(document)) if _kept is not None else None
    if known is not None and known[0]() is document:
        return known[1]
    digest = hashlib.sha256()
    for section in document.walk():
        digest.update(
            json.dumps(
                [
                    section.id,
                    section.heading,
                    section.level,
                    section.number,
                    [
                        # pages known only of a PDF's headings, notes and paragraphs that turn a
                        # page: other documents keep the keys they had before these were read
                        [p.id, p.number, p.page, p.text, p.footnotes, p.code]
                        + ([[[t.offset, t.page] for t in p.turns]] if p.turns else [])
                        + ([p.footnote_pages] if p.footnote_pages else [])
                        for p in section.paragraphs
                    ],
                ]
                + ([section.page] if section.page is not None else [])
            ).encode()
        )
    if _kept is not None:
        _kept[id(document)] = (weakref.ref(document), digest.hexdigest())
    return digest.hexdigest()


def result_key(kind: str, *parts: str) -> str:
    """An entry's name: its kind (which says what schema it must fit), then a digest of everything
    the result depends on."""
    return (
        f"{kind}-"
        + hashlib.sha256("|".join([kind, str(FORMAT), __version__, code_digest(), *parts]).encode()).hexdigest()
    )


def get_result(entry: str) -> Any:
    """A cached result (JSON data that fits the schema of its kind) or None; an unusable entry is deleted."""
    if not enabled():
        return None
    data = _read(entry)
    return None if data is None else data["value"]


def holds(entry: str) -> bool:
    """Whether the cache is on and has an entry of that name (not whether it is usable: only
    reading it says so)."""
    return enabled() and os.path.lexists(_path(entry))


def forget(entry: str) -> None:
    """Delete an entry that could be read but not used (it is rebuilt)."""
    with contextlib.suppress(OSError):
        _path(entry).unlink()


def put_result(entry: str, value: Any) -> None:
    if enabled():
        _write(entry, {"key": entry, "value": value})


def _write(entry: str, data: dict, stored: Callable[[Any], Any] | None = None) -> None:
    with contextlib.suppress(Exception):  # a read-only or full cache must not stop the run
        atomic_write(_path(entry), json.dumps(data, ensure_ascii=False, default=stored))


# An entry's file name: its kind, a hyphen and a SHA-256 (`key`, `result_key`). Only such files are
# counted or deleted: WTCOMPARE_CACHE may name a folder that holds other files too.
ENTRY_NAME = re.compile(r"[a-z]+-[0-9a-f]{64}\.json")


def _entries() -> list[Path]:
    if not folder().is_dir():
        return []
    return [path for path in folder().glob("*-*.json") if ENTRY_NAME.fullmatch(path.name)]


def summary() -> tuple[Path, int, int]:
    """The cache folder, its number of entries and their total size in bytes."""
    entries = _entries()
    return folder(), len(entries), sum(e.lstat().st_size for e in entries)


def clear() -> int:
    """Delete every cache entry (and nothing else in the folder); returns how many were deleted."""
    deleted = 0
    for entry in _entries():
        try:
            entry.unlink()
            deleted += 1
        except OSError:  # a folder, or gone meanwhile: not an entry of ours
            pass
    return deleted


def put(entry: str, document: Document) -> None:
    """Store a parsed document; a cache that cannot be written is skipped, not an error."""
    _write(entry, {"key": entry, **_stored(document)}, _stored)


def _stored(value: Any) -> dict[str, Any]:
    """A dataclass's stored fields (what `dataclasses.asdict` gives one level down, without its deep
    copy of every value): the JSON encoder asks for them of each section, paragraph and edition it
    meets, rather than a copy of the whole document being built first (that copy took 0.07 of the
    0.12 CPU seconds of storing a 155,000-word edition)."""
    if isinstance(value, type) or not dataclasses.is_dataclass(value):
        raise TypeError(f"not JSON data: {type(value).__name__}")  # as json.dumps says, and nothing is written
    return {name: getattr(value, name) for name in _fields(typing.cast(Hint, type(value)))}
