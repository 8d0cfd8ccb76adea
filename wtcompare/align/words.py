"""Each paragraph's words as numbers: the aligner tokenizes an edition once, into an array of word
ids, and works from that array (TF-IDF similarities, word counts, the bags of words of paragraphs
and units). A `Vocabulary` numbers the words; editions numbered by one vocabulary can be compared,
so a timeline tokenizes each edition once for both pairs it is in, and the process that aligns a
pair inherits the arrays (it is forked with them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from ..model import Document
from ..text import words


class Vocabulary:
    """Words numbered in the order they are first met. ``words`` only grows, so the words of an
    edition numbered earlier keep their ids."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []

    def paragraphs(self, document: Document, tokens: Callable[[str], Sequence[str]] = words) -> Words:
        """The words of every paragraph of ``document``, in document order (as `units` lists them);
        ``tokens`` finds them (`words`, or a function giving the same tokens)."""
        return self.encode((p.text for p in document.paragraphs()), tokens)

    def encode(self, texts: Iterable[str], tokens: Callable[[str], Sequence[str]] = words) -> Words:
        """The words of each text (`wtcompare.text.words`, or what ``tokens`` finds), numbered."""
        lengths = [0]
        every: list[str] = []
        for text in texts:
            found = tokens(text)
            lengths.append(len(found))
            every.extend(found)
        ids = self.ids
        numbered = [ids.setdefault(token, len(ids)) for token in every]
        self.words.extend(islice(ids, len(self.words), None))  # the new words, in the order they were numbered
        return Words(np.array(numbered, dtype=np.int64), np.cumsum(lengths), self.words)


@dataclass
class Words:
    """The words of a run of texts (an edition's paragraphs): text k's are ``vocabulary[i]`` for
    each i in ``ids[starts[k]:starts[k + 1]]``."""

    ids: np.ndarray
    starts: np.ndarray
    vocabulary: list[str] = field(repr=False)
    bags: dict[int, Counter] = field(default_factory=dict, init=False, repr=False)  # see `bag`

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __add__(self, other: Words) -> Words:
        """These texts, then ``other``'s (numbered by the same vocabulary)."""
        if other.vocabulary is not self.vocabulary:
            raise ValueError("words numbered by different vocabularies")
        starts = np.concatenate([self.starts, other.starts[1:] + self.starts[-1]])
        return Words(np.concatenate([self.ids, other.ids]), starts, self.vocabulary)

    def counts(self) -> list[int]:
        """How many words each text has."""
        return np.diff(self.starts).tolist()

    def bag(self, k: int) -> Counter:
        """Text k's bag of word ids, its words in the order it first uses them (the order in which
        a sum over the bag adds them up), made when first asked for: most paragraphs' never are."""
        if k not in self.bags:
            self.bags[k] = Counter(self.ids[self.starts[k] : self.starts[k + 1]].tolist())
        return self.bags[k]

    def tally(self, texts: Iterable[int]) -> np.ndarray:
        """How often each word of the vocabulary (by id) occurs in the given texts together."""
        starts = self.starts
        ids = np.concatenate([self.ids[:0]] + [self.ids[starts[k] : starts[k + 1]] for k in texts])
        return np.bincount(ids, minlength=len(self.vocabulary))


def pair_words(doc_a: Document, doc_b: Document) -> tuple[Words, Words]:
    """The paragraphs' words of two editions, numbered by one vocabulary."""
    vocabulary = Vocabulary()
    return vocabulary.paragraphs(doc_a), vocabulary.paragraphs(doc_b)
