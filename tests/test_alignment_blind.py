"""The blind alignment ground truth of real documents (benchmarks/alignment_blind/) stays valid:
its ids are the sections the segmenter gives, every one of them once per level and side. A change
to segmenting that renamed or split a section would otherwise quietly make its figures wrong."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from wtcompare.groundtruth import load_ground_truth
from wtcompare.registry import Registry

BLIND = Path(__file__).resolve().parents[1] / "benchmarks" / "alignment_blind"
SHAPES = {  # kind: whether its numbers of A and B ids fit
    "unchanged": lambda a, b: a == b == 1,
    "changed": lambda a, b: a == b == 1,
    "moved": lambda a, b: a == b == 1,
    "split": lambda a, b: a == 1 and b >= 2,
    "merged": lambda a, b: a >= 2 and b == 1,
    "deleted": lambda a, b: a >= 1 and b == 0,
    "inserted": lambda a, b: a == 0 and b >= 1,
}
STEPS = load_ground_truth(BLIND / "ground_truth.toml")


@pytest.mark.parametrize("step", STEPS, ids=[step.a for step in STEPS])
def test_the_blind_ground_truth_names_every_section_once(step):
    registry = Registry(BLIND)
    documents = {"a": registry.load(step.a), "b": registry.load(step.b)}
    units = {
        "chapter": {side: [s.id for s in doc.sections] for side, doc in documents.items()},
        "section": {side: [s.id for s in doc.walk() if s.paragraphs] for side, doc in documents.items()},
    }
    for level, truth in step.levels.items():
        assert all(SHAPES[t.kind](len(t.a), len(t.b)) for t in truth), level
        for side in "ab":
            named = Counter(unit for t in truth for unit in getattr(t, side))
            assert sorted(named.elements()) == sorted(units[level][side]), (level, side)
