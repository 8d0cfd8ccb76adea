"""The aligner against the sample corpus's ground truth: the designed removal, split, merge and move."""

from __future__ import annotations

import pytest

from wtcompare.align import align_levels
from wtcompare.groundtruth import TruePair, compare, load_ground_truth, scores
from wtcompare.registry import bundled_texts_dir

STEPS = load_ground_truth(bundled_texts_dir() / "sample" / "ground_truth.toml")


@pytest.fixture(scope="module")
def alignments(sample_docs):
    return {(s.a, s.b): align_levels(sample_docs[s.a], sample_docs[s.b]) for s in STEPS}


def test_ground_truth_covers_every_unit_once(sample_docs):
    assert [(s.a, s.b) for s in STEPS] == [
        ("sample-2002", "sample-2008"),
        ("sample-2008", "sample-2014"),
        ("sample-2014", "sample-2021"),
    ]
    for step in STEPS:
        for level, truth in step.levels.items():
            for side, doc in (("a", sample_docs[step.a]), ("b", sample_docs[step.b])):
                ids = [i for t in truth for i in getattr(t, side)]
                want = [s.id for s in doc.walk() if (s.level == 1 if level == "chapter" else bool(s.paragraphs))]
                assert sorted(ids) == sorted(want), (step.a, step.b, level, side)


@pytest.mark.parametrize(
    "designed",
    [
        ("sample-2008", "sample-2014", "chapter", TruePair("deleted", ("ch7",), ())),
        ("sample-2008", "sample-2014", "chapter", TruePair("merged", ("ch1", "ch2"), ("ch1",))),
        ("sample-2014", "sample-2021", "chapter", TruePair("split", ("ch4",), ("ch4", "ch5"))),
        ("sample-2002", "sample-2008", "section", TruePair("moved", ("ch6/6.3",), ("ch4/training",))),
        (
            "sample-2002",
            "sample-2008",
            "section",
            TruePair("split", ("ch5/5.2",), ("ch5/initial-assessment", "ch5/core-assessment")),
        ),
        (
            "sample-2008",
            "sample-2014",
            "section",
            TruePair("merged", ("ch5/initial-assessment", "ch5/core-assessment"), ("ch4/4.2",)),
        ),
        ("sample-2008", "sample-2014", "section", TruePair("moved", ("ch6/supervision-and-reflection",), ("ch2/2.5",))),
    ],
    ids=lambda d: f"{d[0][-4:]}-{d[1][-4:]}-{d[3].kind}-{'+'.join(d[3].a)}",
)
def test_designed_changes_are_found(alignments, designed):
    a, b, level, pair = designed
    step = next(s for s in STEPS if (s.a, s.b) == (a, b))
    assert pair in step.levels[level], "the test names a pair the ground truth does not hold"
    found = {TruePair(p.kind, tuple(p.a), tuple(p.b)) for p in alignments[(a, b)][level].pairs}
    assert pair in found


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"{s.a}-{s.b}")
@pytest.mark.parametrize("level", ["chapter", "section"])
def test_every_true_pair_is_found(alignments, step, level):
    table = compare(step.levels[level], alignments[(step.a, step.b)][level])
    assert table[table["true"] != table["found"]].empty, table[table["true"] != table["found"]].to_string()
    assert scores(step.levels[level], alignments[(step.a, step.b)][level])["recall"] == 1.0


@pytest.mark.parametrize("level", ["paragraph", "section", "chapter"])
def test_unit_word_counts_equal_tokens_of_the_unit_text(sample_docs, level):
    from wtcompare.align.model import cached_words, units

    for document in sample_docs.values():
        assert all(u.words == len(cached_words(u.text)) for u in units(document, level))
