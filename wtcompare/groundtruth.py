"""Ground truth for alignment: the true mapping between editions, and how well an `Alignment` matches it.

A ground-truth file (``texts/sample/ground_truth.toml`` for the sample corpus) has one
``[[step]]`` per pair of editions with ``a`` and ``b`` edition ids and two lists of entries,
``[[step.chapters]]`` and ``[[step.sections]]``, each ``{kind, a = [ids], b = [ids]}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .align import Alignment
from .errors import WtcompareError
from .fileio import read_toml

LEVEL_KEYS = {"chapter": "chapters", "section": "sections"}


@dataclass(frozen=True)
class TruePair:
    kind: str
    a: tuple[str, ...]
    b: tuple[str, ...]


@dataclass
class Step:
    a: str
    b: str
    levels: dict[str, list[TruePair]]
    note: str = ""


def load_ground_truth(path: str | Path) -> list[Step]:
    """Read a ground-truth file; errors name the file."""
    data = read_toml(path, "ground truth")
    steps = []
    for number, step in enumerate(data.get("step", []), start=1):
        try:
            levels = {
                level: [TruePair(e["kind"], tuple(e["a"]), tuple(e["b"])) for e in step.get(key, [])]
                for level, key in LEVEL_KEYS.items()
            }
            steps.append(Step(step["a"], step["b"], levels, step.get("note", "")))
        except (KeyError, TypeError) as exc:
            raise WtcompareError(f"{path}: step {number}: missing or malformed field {exc}") from None
    return steps


def compare(truth: list[TruePair], alignment: Alignment) -> pd.DataFrame:
    """One row per true pair and per found pair that is not true: ``found`` says whether the
    aligner produced exactly that pair (same kind, same units on each side)."""
    found = {TruePair(p.kind, tuple(p.a), tuple(p.b)) for p in alignment.pairs}
    rows = [
        {"kind": t.kind, "a": " + ".join(t.a), "b": " + ".join(t.b), "true": True, "found": t in found} for t in truth
    ]
    rows += [
        {"kind": f.kind, "a": " + ".join(f.a), "b": " + ".join(f.b), "true": False, "found": True}
        for f in sorted(found - set(truth), key=lambda f: (f.a, f.b))
    ]
    return pd.DataFrame(rows, columns=["kind", "a", "b", "true", "found"])


def scores(truth: list[TruePair], alignment: Alignment) -> dict[str, float]:
    """Precision and recall of exact pairs (kind and units), and recall per kind of change."""
    table = compare(truth, alignment)
    hits = int((table["true"] & table["found"]).sum())
    result = {"precision": hits / max(int(table["found"].sum()), 1), "recall": hits / max(len(truth), 1)}
    for kind, group in table[table["true"]].groupby("kind"):
        result[f"recall_{kind}"] = float(group["found"].mean())
    return result
