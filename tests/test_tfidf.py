"""The aligner's TF-IDF gives scikit-learn's TfidfVectorizer matrix bit for bit: the same float32
values, in the same columns, stored in the same order (so the similarities, summed in that order,
are the same too), and the same IDF per word. scikit-learn is in the test extra for this alone."""

from __future__ import annotations

import numpy as np
import pytest

from wtcompare.align.model import cached_words, units
from wtcompare.align.paragraphs import tfidf
from wtcompare.align.words import Vocabulary
from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.synth import Operations, grow, revise

text = pytest.importorskip("sklearn.feature_extraction.text")


def reference(texts):
    vectorizer = text.TfidfVectorizer(
        tokenizer=cached_words,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
        ngram_range=(1, 2),
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(texts)
    weights = vectorizer.idf_.tolist()
    return matrix, {w: weights[i] for w, i in vectorizer.vocabulary_.items() if " " not in w}


def corpora():
    registry = Registry(bundled_texts_dir())
    sample = [[u.text for u in units(registry.load(e), "paragraph")] for e in ("sample-2002", "sample-2021")]
    big = grow(registry.load("sample-2008"), 30000, seed=5)
    revised, _ = revise(big, Operations(reword=0.3), seed=6)
    return {
        "sample pair": sample[0] + sample[1],
        "generated pair": [u.text for d in (big, revised) for u in units(d, "paragraph")],
        "empty and wordless texts": ["", "a", "", "b b b", "?", "Don't re-use it: re-use, don't!"],
        "unicode and one-word texts": ["Caf\u00e9 caf\u00e9s", "\u00e9t\u00e9", "z", "a-b a'b a"],
    }


@pytest.mark.parametrize("name, texts", list(corpora().items()))
def test_tfidf_is_scikit_learns_bit_for_bit(name, texts):
    expected, expected_idf = reference(texts)
    vocabulary = Vocabulary()
    vocabulary.encode(["another text first: ids not numbered from this corpus alone"])
    matrix, weights = tfidf(vocabulary.encode(texts))
    idf = {w: weights[vocabulary.ids[w]] for w in expected_idf}
    assert matrix.shape == expected.shape
    assert np.array_equal(matrix.indptr, expected.indptr) and np.array_equal(matrix.indices, expected.indices)
    assert matrix.data.dtype == np.float32 and matrix.data.tobytes() == expected.data.tobytes()
    assert idf == expected_idf
    half = len(texts) // 2
    ours, theirs = (matrix[:half] @ matrix[half:].T).tocsr(), (expected[:half] @ expected[half:].T).tocsr()
    assert np.array_equal(ours.indices, theirs.indices) and ours.data.tobytes() == theirs.data.tobytes()


def test_no_words_at_all():
    assert tfidf(Vocabulary().encode(["", "?", "--"])) == (None, [])
