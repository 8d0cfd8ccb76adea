"""Sense evaluation: how well a lexicon's rules count a labelled set of sentences.

The set is a TOML file of ``[[sentence]]`` tables, each with ``text`` and ``expect`` (occurrences
per category that a careful reader counts; a missing category means none); ``tests/data/senses.toml``
is the project's set of 172 sentences written for it. For each category, true positives are
min(expected, counted) per sentence, false positives the excess counted, false negatives the
shortfall; precision and recall follow.
"""
from __future__ import annotations

from pathlib import Path
from typing import TypedDict

import pandas as pd

from .errors import WtcompareError
from .fileio import read_toml
from .lexicon import Lexicon
from .scan import scan
from .segment import DocumentBuilder



class _SentenceFile(TypedDict, total=False):
    text: str
    expect: dict[str, int]  # category -> occurrences
    note: str


class _SentencesFile(TypedDict, total=False):
    sentence: list[_SentenceFile]


def load_sentences(path: str | Path) -> list[dict]:
    data = read_toml(path, "the sentence set", _SentencesFile)
    sentences = data.get("sentence", [])
    if not sentences:
        raise WtcompareError(f"{path}: the sentence set has no [[sentence]]")
    for number, sentence in enumerate(sentences, start=1):
        if "text" not in sentence:
            raise WtcompareError(f"{path}: sentence {number}: needs 'text' and an 'expect' table")
    return sentences


def counted(sentences: list[dict], lexicon: Lexicon) -> pd.DataFrame:
    """One row per (sentence, category): expected and counted occurrences."""
    builder = DocumentBuilder()
    for sentence in sentences:
        builder.paragraph(sentence["text"])
    document = builder.build()
    ids = [p.id for p in document.paragraphs()]
    result = scan([document], lexicon).counted
    found = result.groupby(["unit", "category"]).size()
    rows = []
    for index, (sentence, unit) in enumerate(zip(sentences, ids), start=1):
        for category in lexicon.categories:
            rows.append({"sentence": index, "category": category.id,
                         "expected": int(sentence.get("expect", {}).get(category.id, 0)),
                         "counted": int(found.get((unit, category.id), 0)), "text": sentence["text"]})
    return pd.DataFrame(rows)


def evaluate(sentences: list[dict], lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision and recall per category, and the sentences where counts and labels differ."""
    table = counted(sentences, lexicon)
    table["tp"] = table[["expected", "counted"]].min(axis=1)
    table["fp"] = (table["counted"] - table["expected"]).clip(lower=0)
    table["fn"] = (table["expected"] - table["counted"]).clip(lower=0)
    scores = table.groupby("category", sort=False)[["tp", "fp", "fn"]].sum()
    scores["precision"] = (scores["tp"] / (scores["tp"] + scores["fp"])).fillna(1.0)
    scores["recall"] = (scores["tp"] / (scores["tp"] + scores["fn"])).fillna(1.0)
    errors = table[(table["fp"] > 0) | (table["fn"] > 0)][["sentence", "category", "expected", "counted", "text"]]
    return scores.reset_index(), errors.reset_index(drop=True)
