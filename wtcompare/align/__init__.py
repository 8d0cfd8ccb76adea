"""Align stage: pair up the paragraphs, sections and chapters of two editions.

Paragraphs are compared by TF-IDF cosine similarity over the whole of both documents (so a
paragraph is found wherever it went), then paired one-to-one by an optimal assignment in each
group of candidates, with a small bonus for staying in document order (so repeated boilerplate
pairs with the copy in the right place). Unpaired paragraphs whose words are mostly contained in
a paired one become splits or merges. Sections and chapters are then grouped by where their words
went: one section whose words went to two becomes a split, two whose words went to one a merge.

Every pair has a kind:

``unchanged``  the same words (and heading, for sections): texts equal in their canonical form
               (`wtcompare.text.canonical`); ``typography_only`` says when they differ only in
               typography (quotes, dashes, spaces, list markers);
``changed``    edited in place;
``moved``      paired, but out of document order (or, for a section, in another chapter);
``split``      one unit of A became several of B; ``merged`` several of A became one of B;
``deleted``    only in A; ``inserted`` only in B.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import TYPE_CHECKING, Any

from .. import cache
from ..model import Document
from ..overrides import Overrides
from ..progress import stage
from .model import (
    DEFAULT_SETTINGS,
    KEPT,
    LEVELS,
    Alignment,
    AlignSettings,
    Pair,
    PairKind,
    Unit,
    pair_kind,
    score_shown,
    units,
)

if TYPE_CHECKING:  # annotations only: the words are numpy arrays, imported with the aligner
    from .words import Words

__all__ = [
    "LEVELS",
    "AlignSettings",
    "DEFAULT_SETTINGS",
    "PairKind",
    "KEPT",
    "pair_kind",
    "Unit",
    "Pair",
    "Alignment",
    "units",
    "similarity",
    "match_paragraphs",
    "align_paragraphs",
    "align_levels",
    "cache_entry",
    "align",
    "load_aligner",
    "retained_share",
    "score_shown",
]
PARAGRAPH_ALIGNER = ("align_paragraphs", "match_paragraphs", "similarity")


def __getattr__(name: str) -> Any:
    """The paragraph aligner's functions, imported when first asked for: they need numpy and
    scipy (a quarter of a second), which the command line and a cached alignment do without."""
    if name in PARAGRAPH_ALIGNER:
        from . import paragraphs

        return getattr(paragraphs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def align_levels(
    doc_a: Document,
    doc_b: Document,
    overrides: Overrides | None = None,
    levels: tuple[str, ...] = LEVELS,
    settings: AlignSettings = DEFAULT_SETTINGS,
    words: tuple[Words, Words] | None = None,
) -> dict[str, Alignment]:
    """Alignments at the given levels (all by default), sharing one paragraph alignment.
    ``overrides`` (see `wtcompare.overrides`) pins and forbids pairs of paragraphs or sections.
    Asking for fewer levels saves time: the timeline asks only for ``("chapter",)``. ``settings``
    are the aligner's thresholds and weights, part of the cache key with everything else that
    changes the result. ``words``: both editions' paragraphs as word ids of one vocabulary
    (`Vocabulary.paragraphs`), when the caller has them (the timeline numbers each edition once,
    for both pairs it is in); they change nothing but the time taken."""
    if unknown := set(levels) - set(LEVELS):
        raise ValueError(f"unknown level {sorted(unknown)[0]!r}: levels are {', '.join(LEVELS)}")
    with stage("align", f"{doc_a.edition_id} and {doc_b.edition_id}"):
        entry = cache_entry(cache.document_key(doc_a), cache.document_key(doc_b), overrides, levels, settings)
        stored = _cached(entry, doc_a, doc_b, levels)
        if stored is not None:
            return stored
        result = _align_levels(doc_a, doc_b, overrides, levels, settings, words)
        cache.put_result(
            entry,
            {
                level: {
                    "pairs": [
                        [p.kind, p.score, p.a, p.b, p.retained, p.uncertain, p.source, p.typography_only]
                        for p in alignment.pairs
                    ],
                    "flow": [[s, t, w] for (s, t), w in alignment.flow.items()],
                    "words_a": {u: v.words for u, v in alignment.units_a.items()},
                    "words_b": {u: v.words for u, v in alignment.units_b.items()},
                }
                for level, alignment in result.items()
            },
        )
        return result


def cache_entry(
    key_a: str,
    key_b: str,
    overrides: Overrides | None = None,
    levels: tuple[str, ...] = LEVELS,
    settings: AlignSettings = DEFAULT_SETTINGS,
) -> str:
    """The name of the cache entry of `align_levels` on documents with these keys
    (`cache.document_key`): what a result made from the alignment is keyed by too, so that every
    setting that changes the alignment changes its key."""
    return cache.result_key(
        "align",
        key_a,
        key_b,
        repr((overrides.pins, overrides.forbids)) if overrides else "",
        repr(sorted(levels)),
        settings.key(),
    )


def _cached(entry: str, doc_a: Document, doc_b: Document, levels: tuple[str, ...]) -> dict[str, Alignment] | None:
    stored = cache.get_result(entry)
    if stored is not None:
        try:
            if set(stored) != set(levels):
                raise ValueError("the cached alignment has other levels than asked for")
            return _thaw(stored, doc_a, doc_b)
        except (KeyError, TypeError, ValueError, AttributeError):
            cache.forget(entry)  # not what this version writes: rebuild it
    return None


def _thaw(stored: dict, doc_a: Document, doc_b: Document) -> dict[str, Alignment]:
    """Alignments rebuilt from the cache (units are recomputed from the documents)."""
    result = {}
    for level, data in stored.items():
        pairs = [Pair(*values) for values in data["pairs"]]
        units_a = {u.id: u for u in units(doc_a, level, data["words_a"])}
        units_b = {u.id: u for u in units(doc_b, level, data["words_b"])}
        # The cache checked the entry's shape; what only the documents can tell is checked here:
        # every unit of both sides in exactly one pair, as every reader of an alignment assumes.
        for side, ids in (("a", units_a), ("b", units_b)):
            paired = [i for p in pairs for i in getattr(p, side)]
            if sorted(paired) != sorted(ids) or len(data[f"words_{side}"]) != len(ids):
                raise ValueError(f"cached {level} alignment does not cover side {side} once")
        if any(s not in units_a or t not in units_b for s, t, _ in data["flow"]):
            raise ValueError(f"cached {level} alignment has flow between unknown units")
        result[level] = Alignment(
            doc_a.edition_id,
            doc_b.edition_id,
            level,
            pairs,
            units_a,
            units_b,
            Counter({(s, t): w for s, t, w in data["flow"]}),
        )
    return result


def _align_levels(
    doc_a: Document,
    doc_b: Document,
    overrides: Overrides | None,
    levels: tuple[str, ...],
    settings: AlignSettings,
    words: tuple[Words, Words] | None,
) -> dict[str, Alignment]:
    from .groups import group_units
    from .paragraphs import align_paragraphs
    from .words import pair_words

    words = words or pair_words(doc_a, doc_b)  # each edition tokenized once for every level
    # the paragraphs' uncertainty is shown only at paragraph level; the grouped levels do without it
    result = {
        "paragraph": align_paragraphs(
            doc_a, doc_b, overrides, uncertain="paragraph" in levels, settings=settings, words=words
        )
    }
    if "chapter" in levels or "section" in levels:
        result["chapter"] = group_units(doc_a, doc_b, "chapter", result["paragraph"], settings=settings, words=words)
    if "section" in levels:
        groups: dict[str, set[str]] = {}  # sections pair only within chapters that pair
        for pair in result["chapter"].pairs:
            for a in pair.a:
                groups.setdefault(a, set()).update(pair.b)
        result["section"] = group_units(
            doc_a, doc_b, "section", result["paragraph"], groups, overrides, settings, words
        )
    return {level: result[level] for level in LEVELS if level in levels}


def align(
    doc_a: Document,
    doc_b: Document,
    level: str = "section",
    overrides: Overrides | None = None,
    settings: AlignSettings = DEFAULT_SETTINGS,
) -> Alignment:
    """Align two editions at ``level``: ``paragraph``, ``section`` or ``chapter``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    if level == "paragraph":
        from .paragraphs import align_paragraphs

        return align_paragraphs(doc_a, doc_b, overrides, settings=settings)
    return align_levels(doc_a, doc_b, overrides, settings=settings)[level]


def load_aligner() -> None:
    """Import the aligner and the libraries it needs now (half a second): worker processes forked
    after this share them rather than each importing them again."""
    for part in ("groups", "paragraphs"):
        importlib.import_module(f"{__name__}.{part}")


def retained_share(paragraphs: Alignment) -> float:
    """Share of A's words that survive in B, over a paragraph alignment."""
    total = sum(u.words for u in paragraphs.units_a.values())
    return sum(p.retained for p in paragraphs.pairs) / total if total else 0.0
