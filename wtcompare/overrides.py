"""User overrides for alignment: pairs the user knows (pins) and pairs the user rejects (forbids).

A TOML file passed with ``--pairs FILE``::

    [[pin]]                       # these units belong together
    a = ["ch3/3.2"]
    b = ["ch4/4.1", "ch4/4.2"]    # several ids on one side: a split (or, on side a, a merge)

    [[forbid]]                    # never pair these
    a = ["ch2/2.1/p3"]
    b = ["ch2/2.3/p1"]

Ids are section ids (``ch3/3.2``, from ``wtcompare sections ID``) or paragraph ids (``ch3/3.2/p4``,
from ``align --level paragraph``). A section pin keeps the paragraphs of its A sections to its B
sections; a section forbid keeps them apart. Pairs an override shaped are marked ``source = "user"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from .errors import WtcompareError
from .fileio import read_toml

if TYPE_CHECKING:  # annotations only: numpy and scipy are imported where pairs are restricted
    from scipy.sparse import csr_matrix


PARAGRAPH_ID = re.compile(r"/p\d+$")


@dataclass
class Overrides:
    pins: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    forbids: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    path: str = "overrides"

    def check(self, ids_a: set[str], ids_b: set[str]) -> None:
        """Raise naming the file when an id is in neither edition."""
        for kind, rules in (("pin", self.pins), ("forbid", self.forbids)):
            for a_ids, b_ids in rules:
                for side, ids, known in (("a", a_ids, ids_a), ("b", b_ids, ids_b)):
                    for unit in ids:
                        if unit not in known:
                            raise WtcompareError(f"{self.path}: {kind}: no unit {unit!r} in edition {side.upper()}")

    def paragraph_rules(
        self, owner_a: dict[str, str], owner_b: dict[str, str]
    ) -> tuple[list[tuple[tuple[str, ...], tuple[str, ...]]], list[tuple[str, str]], list[tuple[set[str], set[str]]]]:
        """(pinned paragraph pairs, forbidden paragraph pairs, pinned section groups) with section
        rules expanded to their paragraphs."""
        pinned: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        forbidden: list[tuple[str, str]] = []
        groups: list[tuple[set[str], set[str]]] = []
        for a_ids, b_ids in self.pins:
            if all(PARAGRAPH_ID.search(i) for i in a_ids + b_ids):
                pinned.append((a_ids, b_ids))
            else:
                groups.append((set(a_ids), set(b_ids)))
        for a_ids, b_ids in self.forbids:
            paragraphs_a = [p for p, s in owner_a.items() if p in a_ids or s in a_ids]
            paragraphs_b = [p for p, s in owner_b.items() if p in b_ids or s in b_ids]
            forbidden.extend((x, y) for x in paragraphs_a for y in paragraphs_b)
        return pinned, forbidden, groups


class _PairFile(TypedDict, total=False):
    a: list[str]
    b: list[str]


class _OverridesFile(TypedDict, total=False):
    pin: list[_PairFile]
    forbid: list[_PairFile]


def load_overrides(path: str | Path) -> Overrides:
    data = read_toml(path, "pairs file", _OverridesFile)
    unknown = set(data) - {"pin", "forbid"}
    if unknown:
        raise WtcompareError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}; use [[pin]] and [[forbid]]")
    result = Overrides(path=str(path))
    for kind, target in (("pin", result.pins), ("forbid", result.forbids)):
        for number, rule in enumerate(data.get(kind, []), start=1):
            a_ids, b_ids = rule.get("a"), rule.get("b")
            if not (
                isinstance(a_ids, list)
                and isinstance(b_ids, list)
                and a_ids
                and b_ids
                and all(isinstance(i, str) for i in a_ids + b_ids)
            ):
                raise WtcompareError(f"{path}: {kind} {number}: 'a' and 'b' must be non-empty lists of unit ids")
            target.append((tuple(a_ids), tuple(b_ids)))
    _check_conflicts(result)
    return result


def _check_conflicts(overrides: Overrides) -> None:
    """Refuse rules that contradict each other, which the aligner would otherwise resolve silently
    by dropping pairs (a unit pinned twice; a pair both pinned and forbidden)."""
    pinned: dict[tuple[str, str], int] = {}
    for number, (a_ids, b_ids) in enumerate(overrides.pins, start=1):
        for side, ids in (("a", a_ids), ("b", b_ids)):
            for unit in ids:
                if (side, unit) in pinned:
                    raise WtcompareError(
                        f"{overrides.path}: pin {number}: unit {unit!r} of edition {side.upper()} is in pin "
                        f"{pinned[side, unit]} already"
                    )
                pinned[side, unit] = number
    for number, (a_ids, b_ids) in enumerate(overrides.forbids, start=1):
        for pin, (pin_a, pin_b) in enumerate(overrides.pins, start=1):
            if set(a_ids) & set(pin_a) and set(b_ids) & set(pin_b):
                raise WtcompareError(f"{overrides.path}: forbid {number} forbids a pair that pin {pin} pins")


def restrict(
    sims: csr_matrix,
    ids_a: list[str],
    ids_b: list[str],
    owner_a: dict[str, str],
    owner_b: dict[str, str],
    forbidden: list[tuple[str, str]],
    groups: list[tuple[set[str], set[str]]],
) -> csr_matrix:
    """Similarities with forbidden paragraph pairs removed and pinned sections kept together."""
    if not forbidden and not groups:
        return sims
    import numpy as np  # imported here: the command line reads overrides before it needs numpy
    from scipy.sparse import csr_matrix

    index_a = {u: k for k, u in enumerate(ids_a)}
    index_b = {u: k for k, u in enumerate(ids_b)}
    matrix = sims.tolil()
    for x, y in forbidden:
        matrix[index_a[x], index_b[y]] = 0
    coo = matrix.tocoo()
    keep = np.ones(coo.nnz, dtype=bool)
    for a_sections, b_sections in groups:
        in_a = np.array([owner_a[ids_a[i]] in a_sections or ids_a[i] in a_sections for i in coo.row], dtype=bool)
        in_b = np.array([owner_b[ids_b[j]] in b_sections or ids_b[j] in b_sections for j in coo.col], dtype=bool)
        keep &= in_a == in_b  # inside the pin on both sides, or outside it on both
    result = csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=sims.shape)
    result.eliminate_zeros()
    return result
