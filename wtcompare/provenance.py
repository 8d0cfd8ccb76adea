"""Provenance: what produced a set of figures, so that anyone can check or re-derive them.

Every output (JSON, the sidecar of a CSV, the manifest of a folder, an XLSX sheet, an exported
report's tables) records the same object, built here and nowhere else, so an option that starts to
change results is added in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import __version__
from .fileio import sha256_file
from .lexicon import Lexicon
from .model import Document


def provenance(documents: list[Document], lexicon: Lexicon | None, options: dict, command: str | None = None) -> dict:
    """The provenance of figures computed from ``documents`` with ``lexicon`` (None when no lexicon
    was used) and the ``options`` that change the result (their values made JSON-ready: paths and
    tuples become strings and lists; ``None`` means the option was not given)."""
    return {
        "wtcompare": __version__,
        "command": command,
        "lexicon": (
            {"id": lexicon.id, "version": lexicon.version, "sha256": lexicon.sha256} if lexicon is not None else None
        ),
        "texts": [
            {
                "edition": d.edition_id,
                "kind": d.edition.kind if d.edition else None,
                "sha256": d.edition.sha256 if d.edition else None,
            }
            for d in documents
        ],
        "options": {name: _plain(value) for name, value in options.items()},
    }


def file_option(path: str | os.PathLike | None) -> dict | None:
    """An option that names an input file (``--pairs``): its name and SHA-256, so the provenance
    pins its content, not just its name."""
    if path is None:
        return None
    return {"file": Path(path).name, "sha256": sha256_file(path) if Path(path).is_file() else None}


def _plain(value: object) -> object:
    if isinstance(value, os.PathLike):
        return str(Path(value))
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
