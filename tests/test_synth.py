"""The synthetic ground-truth generator: determinism, complete mappings, the edits it promises, and the aligner on
it."""

from __future__ import annotations

import difflib
from collections import Counter

import pytest

from wtcompare.align import align_levels
from wtcompare.groundtruth import scores
from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.synth import Operations, grow, make_pair, revise


@pytest.fixture(scope="module")
def doc():
    return Registry(bundled_texts_dir()).load("sample-2008")


def units(document, level):
    if level == "paragraph":
        return [p.id for p in document.paragraphs()]
    if level == "section":
        return [s.id for s in document.walk() if s.paragraphs]
    return [s.id for s in document.sections]


def outline(document):
    return [(s.id, s.heading, s.number, [(p.id, p.text, p.number) for p in s.paragraphs]) for s in document.walk()]


def check_mapping(a, b, truth):
    """Every unit of A and B exactly once per level, and kinds that agree with the texts."""
    for level in ("paragraph", "section", "chapter"):
        for side, document in (("a", a), ("b", b)):
            ids = [i for t in truth[level] for i in getattr(t, side)]
            assert sorted(ids) == sorted(units(document, level)), (level, side)
        shapes = {"split": (1, 2), "merged": (2, 1), "deleted": (1, 0), "inserted": (0, 1)}
        for t in truth[level]:
            assert (len(t.a), len(t.b)) == shapes.get(t.kind, (1, 1)), t
    text_a = {p.id: p.text for p in a.paragraphs()}
    text_b = {p.id: p.text for p in b.paragraphs()}
    for t in truth["paragraph"]:
        if t.kind in ("unchanged", "changed"):
            assert (text_a[t.a[0]] == text_b[t.b[0]]) == (t.kind == "unchanged"), t
    for t in truth["section"]:
        if t.kind in ("unchanged", "changed"):
            sa, sb = a.section(t.a[0]), b.section(t.b[0])
            assert ((sa.heading, sa.text) == (sb.heading, sb.text)) == (t.kind == "unchanged"), t


def kinds(truth, level):
    return Counter(t.kind for t in truth[level])


def test_same_seed_same_output_and_other_seed_differs(doc):
    b1, t1 = revise(doc, Operations(), seed=5)
    b2, t2 = revise(doc, Operations(), seed=5)
    b3, t3 = revise(doc, Operations(), seed=6)
    assert outline(b1) == outline(b2) and t1 == t2
    assert outline(b1) != outline(b3) and t1 != t3
    assert outline(grow(doc, 9000, 1)) == outline(grow(doc, 9000, 1)) != outline(grow(doc, 9000, 2))


def test_input_is_not_modified(doc):
    before = outline(doc)
    revise(doc, Operations(move_sections=1.0, merge_sections=0.5, retitle=1.0), seed=1)
    make_pair(doc, Operations(boilerplate=3), seed=1)
    assert outline(doc) == before


@pytest.mark.parametrize("seed", range(5))
def test_every_unit_once_per_level(doc, seed):
    b, truth = revise(
        doc,
        Operations(
            reword=0.2,
            move_sections=0.2,
            split_sections=0.2,
            merge_sections=0.2,
            delete_sections=0.1,
            move_paragraphs=0.1,
        ),
        seed,
    )
    check_mapping(doc, b, truth)
    a, b, truth = make_pair(grow(doc, 12000, seed), Operations(), seed)
    check_mapping(a, b, truth)


def test_no_edits_means_all_unchanged(doc):
    b, truth = revise(doc, Operations.only(), seed=3)
    for level in truth:
        assert set(kinds(truth, level)) == {"unchanged"}, level
        assert len(truth[level]) == len(units(doc, level))
    assert [p.text for p in b.paragraphs()] == [p.text for p in doc.paragraphs()]
    b, _ = revise(doc, Operations.only(renumber=False), seed=3)
    assert [p.number for p in b.paragraphs()] == [p.number for p in doc.paragraphs()]


@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_reword_changes_that_share_of_words(doc, rate):
    b, truth = revise(doc, Operations.only(reword=rate), seed=11)
    text_a = {p.id: p.text.split() for p in doc.paragraphs()}
    text_b = {p.id: p.text.split() for p in b.paragraphs()}
    changed = total = 0
    for t in truth["paragraph"]:
        words_a, words_b = text_a[t.a[0]], text_b[t.b[0]]
        ops = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
        changed += sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
        total += len(words_a)
    print(f"reword={rate}: {changed / total:.3f} of words changed")
    assert changed / total == pytest.approx(rate, abs=0.04)


@pytest.mark.parametrize(
    "operation, level, kind",
    [
        ("split_sections", "section", "split"),
        ("merge_sections", "section", "merged"),
        ("move_sections", "section", "moved"),
        ("delete_sections", "section", "deleted"),
        ("delete_sections", "chapter", "deleted"),
        ("retitle", "section", "changed"),
        ("move_paragraphs", "paragraph", "moved"),
        ("delete_paragraphs", "paragraph", "deleted"),
        ("insert_paragraphs", "paragraph", "inserted"),
    ],
)
def test_each_edit_shows_in_the_mapping(doc, operation, level, kind):
    small = grow(doc, 1500, seed=1)
    b, truth = revise(small, Operations.only(**{operation: 1.0}), seed=2)
    check_mapping(small, b, truth)
    found = kinds(truth, level)
    assert found[kind] >= 2, found
    if operation == "split_sections":
        assert found["split"] == sum(len(s.paragraphs) >= 2 for s in small.walk() if s.level > 1)
    if operation == "move_sections":  # same section, in a chapter that is not its own chapter's counterpart
        counterpart = {t.a[0]: t.b[0] for t in truth["chapter"] if t.b}
        for t in truth["section"]:
            if t.kind == "moved":
                assert b.section(t.b[0]).text == small.section(t.a[0]).text
                assert counterpart.get(t.a[0].split("/")[0]) != t.b[0].split("/")[0]


def test_boilerplate_is_in_both_editions(doc):
    a, b, truth = make_pair(doc, Operations(boilerplate=2), seed=4)
    repeated = [text for text, n in Counter(p.text for p in a.paragraphs()).items() if n > 1]
    assert len(repeated) == 2
    in_b = Counter(p.text for p in b.paragraphs())
    assert all(in_b[text] >= 2 for text in repeated)
    check_mapping(a, b, truth)


@pytest.mark.parametrize("words", [2000, 10000, 40000])
def test_grow_hits_the_target(doc, words):
    grown = grow(doc, words, seed=7)
    assert abs(grown.word_count - words) <= 0.1 * words
    ids = [s.id for s in grown.walk()] + [p.id for p in grown.paragraphs()]
    assert len(ids) == len(set(ids))
    assert all(s.id == f"ch{s.number}" for s in grown.sections if s.id != "front")


@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_aligner_recall_on_revisions(doc, rate):
    """Smoke check of the aligner against the generator, averaged over a few seeds (one unlucky
    seed, e.g. a paragraph moved between two short sections, can cost several section pairs)."""
    recall: dict[str, list[float]] = {}
    for seed in range(5):
        b, truth = revise(doc, Operations(reword=rate), seed)
        alignments = align_levels(doc, b)
        for level in truth:
            recall.setdefault(level, []).append(scores(truth[level], alignments[level])["recall"])
    mean = {level: sum(values) / len(values) for level, values in recall.items()}
    print(
        f"reword={rate}: mean recall "
        + ", ".join(f"{level} {mean[level]:.3f}" for level in mean)
        + f"; section recall per seed {[round(r, 3) for r in recall['section']]}"
    )
    if rate == 0.1:
        assert mean["section"] >= 0.8


@pytest.mark.parametrize("edition", ["sample-2008", "sample-2014", "sample-2021"])
def test_to_markdown_reads_back_identically(edition):
    from wtcompare.load.markdown import markdown_document
    from wtcompare.synth import to_markdown

    document = grow(Registry(bundled_texts_dir()).load(edition), 6000, seed=2)
    back = markdown_document(to_markdown(document), "generated.md")
    assert outline(back) == outline(document)
