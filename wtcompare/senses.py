"""Sense evaluation: how well a lexicon counts labelled sets of sentences.

A set is a TOML file of ``[[sentence]]`` tables, each with ``text`` and ``expect`` (occurrences
per category that a careful reader counts under ``data/annotation-guide.md``; a missing category
means none), and optionally ``hard`` (a hard case). The package ships development sets
(``data/senses_dev_*.toml``, used to write the rules) and blind sets (``data/senses_blind_*.toml``,
written from the annotation guide alone and never used to change the rules: the honest figure).

For each category, true positives are min(expected, counted) per sentence, false positives the
excess counted, false negatives the shortfall; precision and recall follow (1.0 when there is
nothing to find or nothing was counted). A sentence is **exact** when its counts equal its labels
in every category an ambiguous word can count in (`Lexicon.sense_categories`; every category for a
lexicon without ambiguous words); exact accuracy is the share of exact sentences, over all
sentences and over the hard ones. Each counted occurrence is mapped to its sentence by the
paragraph it was found in: every sentence is a paragraph of one document.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import pandas as pd

from .errors import WtcompareError
from .fileio import read_toml
from .lexicon import Lexicon
from .participants import READING_VERSION
from .scan import scan_document
from .segment import DocumentBuilder

SETS_DIR = Path(__file__).parent / "data"
KINDS = (("development", "senses_dev_*.toml"), ("blind", "senses_blind_*.toml"))
MAX_EXPECTED = 1000  # occurrences of a category a labelled sentence may be given


@dataclass(frozen=True)
class SentenceSet:
    name: str  # the file name without .toml
    path: Path
    kind: str  # development, blind, or given (--sentences)

    @property
    def shown(self) -> str:
        """The set's file as output names it: a shipped set by its file name, never the folder the
        package is installed in, so the same input gives the same output on every machine; a given
        set as the user gave it."""
        return str(self.path) if self.kind == "given" else self.path.name


def shipped_sets(kinds: tuple[str, ...] = ("development", "blind")) -> list[SentenceSet]:
    """The labelled sets shipped with the package, development sets first, each in name order."""
    return [
        SentenceSet(path.stem, path, kind)
        for kind, pattern in KINDS
        if kind in kinds
        for path in sorted(SETS_DIR.glob(pattern))
    ]


class _SentenceFile(TypedDict, total=False):
    text: str
    expect: dict[str, int]  # category -> occurrences
    hard: bool
    era: int
    note: str


class _SentencesFile(TypedDict, total=False):
    sentence: list[_SentenceFile]


def load_sentences(path: str | Path) -> list[dict]:
    data = read_toml(path, "the sentence set", _SentencesFile)
    sentences = data.get("sentence", [])
    if not sentences:
        raise WtcompareError(f"{path}: the sentence set has no [[sentence]]")
    for number, sentence in enumerate(sentences, start=1):
        if "text" not in sentence or "expect" not in sentence:
            # a misspelt "expec" would otherwise label the sentence as counting nothing
            raise WtcompareError(f"{path}: sentence {number}: needs 'text' and an 'expect' table")
        if not sentence["text"].strip():
            raise WtcompareError(f"{path}: sentence {number}: its 'text' is empty")
        for category, count in sentence.get("expect", {}).items():
            if not 0 <= count <= MAX_EXPECTED:
                raise WtcompareError(
                    f"{path}: sentence {number}: 'expect' gives {category} {count} occurrences "
                    f"(a sentence holds 0 to {MAX_EXPECTED})"
                )
    return sentences


def check_categories(sentences: list[dict], lexicon: Lexicon, path: str | Path) -> None:
    """Refuse a set whose labels name a category the lexicon does not have: a misspelt name would
    be read as no occurrence of a category and no occurrence of the one meant."""
    known = {category.id for category in lexicon.categories}
    for number, sentence in enumerate(sentences, start=1):
        for category in sentence.get("expect", {}):
            if category not in known:
                raise WtcompareError(
                    f"{path}: sentence {number}: 'expect' names the category {category!r}, which the lexicon "
                    f"{lexicon.id} does not have"
                )


def counted(sentences: list[dict], lexicon: Lexicon) -> pd.DataFrame:
    """One row per (sentence, category): expected and counted occurrences."""
    builder = DocumentBuilder()
    for number, sentence in enumerate(sentences, start=1):
        # each in a section of its own: a sentence after one ending in a colon ("(h) explain to
        # parents ...") would otherwise join it as a list item
        builder.heading(f"Sentence {number}", 1)
        builder.paragraph(sentence["text"])
    document = builder.build()
    ids = [p.id for p in document.paragraphs()]  # one paragraph per sentence
    # not through the cache: an evaluation is cached whole (`blind_figure`), and its sentences are
    # not an edition anyone will scan again
    _, matches = scan_document(document, lexicon)
    found = Counter((m.unit, m.category) for m in matches if m.status == "counted")
    rows = []
    for index, (sentence, unit) in enumerate(zip(sentences, ids, strict=True), start=1):
        for category in lexicon.categories:
            rows.append(
                {
                    "sentence": index,
                    "category": category.id,
                    "expected": int(sentence.get("expect", {}).get(category.id, 0)),
                    "counted": found[(unit, category.id)],
                    "hard": bool(sentence.get("hard", False)),
                    "text": sentence["text"],
                }
            )
    return pd.DataFrame(rows)


def exact_categories(lexicon: Lexicon) -> list[str]:
    """The categories exact agreement is judged on: those an ambiguous word can count in."""
    chosen = [c.id for c in lexicon.categories if c.id in lexicon.sense_categories]
    return chosen or [c.id for c in lexicon.categories]


def evaluate(sentences: list[dict], lexicon: Lexicon) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Precision and recall per category; exact accuracy over all and hard sentences; and the
    sentences where counts and labels differ."""
    table = counted(sentences, lexicon)
    table["tp"] = table[["expected", "counted"]].min(axis=1)
    table["fp"] = (table["counted"] - table["expected"]).clip(lower=0)
    table["fn"] = (table["expected"] - table["counted"]).clip(lower=0)
    scores = table.groupby("category", sort=False)[["tp", "fp", "fn"]].sum()
    scores["precision"] = (scores["tp"] / (scores["tp"] + scores["fp"])).fillna(1.0)
    scores["recall"] = (scores["tp"] / (scores["tp"] + scores["fn"])).fillna(1.0)
    judged = table[table["category"].isin(exact_categories(lexicon))]
    exact = (judged["expected"] == judged["counted"]).groupby(judged["sentence"]).all()
    hard = judged.groupby("sentence")["hard"].first()
    accuracy = {
        "sentences": int(len(exact)),
        "exact": int(exact.sum()),
        "exact_accuracy": float(exact.mean()) if len(exact) else 1.0,
        "hard": int(hard.sum()),
        "hard_exact": int(exact[hard].sum()),
        "hard_accuracy": float(exact[hard].mean()) if hard.any() else 1.0,
        "categories": ", ".join(exact_categories(lexicon)),
    }
    errors = table[(table["fp"] > 0) | (table["fn"] > 0)][
        ["sentence", "category", "expected", "counted", "hard", "text"]
    ]
    return scores.reset_index(), accuracy, errors.reset_index(drop=True)


def evaluate_sets(sets: list[SentenceSet], lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """`evaluate` on each set: scores, accuracy and errors, each row named by its set."""
    scores, accuracy, errors = [], [], []
    for chosen in sets:
        sentences = load_sentences(chosen.path)
        check_categories(sentences, lexicon, chosen.shown)
        set_scores, set_accuracy, set_errors = evaluate(sentences, lexicon)
        named = {"set": chosen.name, "kind": chosen.kind}
        scores.append(set_scores.assign(**named))
        accuracy.append({**named, **set_accuracy})
        errors.append(set_errors.assign(**named))
    first = ["set", "kind"]

    def ordered(frames: list[pd.DataFrame]) -> pd.DataFrame:
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=first)
        return frame[first + [c for c in frame.columns if c not in first]]

    accuracy_columns = first + [
        "sentences",
        "exact",
        "exact_accuracy",
        "hard",
        "hard_exact",
        "hard_accuracy",
        "categories",
    ]
    return ordered(scores), pd.DataFrame(accuracy, columns=accuracy_columns), ordered(errors)


class CategoryFigure(TypedDict):
    category: str
    precision: float | None  # None when nothing was counted in the category (or nothing expected)
    recall: float | None


class BlindFigure(TypedDict):
    """What `blind_figure` gives (and the cache keeps, checked against this)."""

    sets: list[str]
    sentences: int
    exact_accuracy: float
    hard_accuracy: float
    categories: list[CategoryFigure]


RECORD = "blind_figure.json"  # in SETS_DIR: the shipped sets' figure for the shipped lexicon


def blind_figure(lexicon: Lexicon) -> BlindFigure | None:
    """Exact accuracy and per-category precision and recall of ``lexicon`` on every shipped blind
    set together (their sentences pooled), or None when none is shipped.

    Working it out reads 2,000 sentences, about a second, so it is looked up first: in the record
    shipped beside the sets (``blind_figure.json``, written by ``python tests/test_blind_figure.py``,
    whose test recomputes it), which holds the figure of the shipped lexicon, then in the cache. Both
    are keyed by the lexicon's content (`Lexicon.content_key`), the sets' SHA-256 and the sense
    reader's version, so a lexicon changed in any way is counted afresh."""
    from . import cache

    sets = shipped_sets(("blind",))
    if not sets:
        return None
    key = figure_key(lexicon, sets)
    recorded = recorded_figure()
    if recorded is not None and recorded["key"] == key:
        return recorded["figure"]
    entry = cache.result_key("senses", key["lexicon"], f"reading {key['reading']}", *key["sets"].values())
    stored = cache.get_result(entry)
    if stored is not None:
        return stored
    figure = pooled_figure(lexicon, sets)
    cache.put_result(entry, figure)
    return figure


class FigureKey(TypedDict):
    lexicon: str  # Lexicon.content_key
    reading: int  # READING_VERSION
    sets: dict[str, str]  # file name -> SHA-256


class FigureRecord(TypedDict):
    key: FigureKey
    figure: BlindFigure


def figure_key(lexicon: Lexicon, sets: list[SentenceSet]) -> FigureKey:
    """What the pooled figure of ``sets`` depends on besides the code: the lexicon's content, the
    sense reader's version and each set's SHA-256."""
    return FigureKey(
        lexicon=lexicon.content_key(),
        reading=READING_VERSION,
        sets={s.path.name: hashlib.sha256(s.path.read_bytes()).hexdigest() for s in sets},
    )


def recorded_figure() -> FigureRecord | None:
    """The record shipped in SETS_DIR, or None when there is none or it does not fit its schema."""
    from .schema import problem

    path = SETS_DIR / RECORD
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return None if problem(data, FigureRecord, exact=True) else data


def pooled_figure(lexicon: Lexicon, sets: list[SentenceSet]) -> BlindFigure:
    """The figure of ``lexicon`` on the sentences of ``sets`` pooled, counted afresh."""
    sentences = [sentence for s in sets for sentence in load_sentences(s.path)]
    scores, accuracy, _ = evaluate(sentences, lexicon)
    judged = exact_categories(lexicon)
    return BlindFigure(
        sets=[s.path.name for s in sets],
        sentences=int(accuracy["sentences"]),
        exact_accuracy=float(accuracy["exact_accuracy"]),
        hard_accuracy=float(accuracy["hard_accuracy"]),
        categories=[
            CategoryFigure(category=r["category"], precision=_share(r["precision"]), recall=_share(r["recall"]))
            for r in scores.to_dict("records")
            if r["category"] in judged
        ],
    )


def write_record(lexicon: Lexicon) -> Path:
    """Work out the shipped blind sets' figure for ``lexicon`` and write it as the shipped record."""
    from .fileio import atomic_write

    sets = shipped_sets(("blind",))
    record = FigureRecord(key=figure_key(lexicon, sets), figure=pooled_figure(lexicon, sets))
    path = SETS_DIR / RECORD
    atomic_write(path, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return path


def _share(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
