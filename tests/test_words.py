"""The aligner's words: each text tokenized once into word ids of a shared vocabulary
(`wtcompare.align.words`), exactly the tokens `wtcompare.text.words` gives, which are those of
`tokenize`; and units compared in canonical form paragraph by paragraph, as their whole texts."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from wtcompare.align.model import same_paragraphs, same_text
from wtcompare.align.words import Vocabulary
from wtcompare.text import LIST_MARKER, TOKEN, normalise, tokenize, words

# words, typography that the canonical form folds, list markers, spaces of every kind and marks
# that combine with the letter before them (NFKC composes them)
PIECES = [
    "word",
    "Word",
    "WORD",
    "child's",
    "child\u2019s",
    "re-use",
    "re\u2010use",
    "caf\u00e9",
    "e\u0301",
    "\u0301",
    "\ufb01le",
    "Stra\u00dfe",
    "\u0130",
    "\u03a3",
    "2010",
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u3000",
    "\u200b",
    "\x1c",
    "\u2028",
    "-",
    "--",
    "---",
    "\u2013",
    "\u2014",
    "1. ",
    "(a) ",
    "\u2022 ",
    "- ",
    "ii. ",
    '"',
    "\u201c",
    "'",
    ".",
    "?",
]
texts = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)
# what two editions of one paragraph may differ by in typography alone
VARIANTS = {"'": "\u2019", '"': "\u201c", "-": "\u2010", " ": "\u00a0", "--": "\u2014", "\n": " \n "}


@settings(max_examples=300)
@given(texts)
def test_words_are_the_tokens_of_tokenize(text):
    assert words(text) == tuple(token for token, _, _ in tokenize(text))


@settings(max_examples=300)
@given(texts)
def test_tokenize_is_each_token_normalised_where_it_stands(text):
    # the definition, a token at a time, for a text with no list marker to leave out (an ASCII one
    # is tokenized in one pass over its lowered form)
    if "\n" in text or LIST_MARKER.match(text):
        return
    assert tokenize(text) == tuple((normalise(m.group()), m.start(), m.end()) for m in TOKEN.finditer(text))


@settings(max_examples=100)
@given(st.lists(texts, max_size=8), st.lists(texts, max_size=8))
def test_texts_numbered_by_one_vocabulary(texts_a, texts_b):
    vocabulary = Vocabulary()
    vocabulary.encode(["a text before them, so that their ids do not start at 0"])
    numbered = (vocabulary.encode(texts_a), vocabulary.encode(texts_b))
    for texts_of, words_of in zip((texts_a, texts_b), numbered, strict=True):
        assert len(words_of) == len(texts_of) and words_of.counts() == [len(words(t)) for t in texts_of]
        for k, text in enumerate(texts_of):
            ids = words_of.ids[words_of.starts[k] : words_of.starts[k + 1]].tolist()
            assert [vocabulary.words[i] for i in ids] == list(words(text))
            expected = Counter(vocabulary.ids[w] for w in words(text))
            assert words_of.bag(k) == expected and list(words_of.bag(k)) == list(expected)  # the same order too
        tally = words_of.tally(range(len(texts_of))).tolist()
        assert len(tally) == len(vocabulary.words)
        together = sum((words_of.bag(k) for k in range(len(texts_of))), Counter())
        assert {i: n for i, n in enumerate(tally) if n} == together
    both = numbered[0] + numbered[1]
    assert both.counts() == numbered[0].counts() + numbered[1].counts()


@settings(max_examples=300)
@given(st.data())
def test_runs_of_paragraphs_compared_paragraph_by_paragraph_as_their_whole_texts(data):
    same = data.draw(st.lists(texts, max_size=5))
    run_a = data.draw(st.lists(texts, max_size=4)) + same + data.draw(st.lists(texts, max_size=4))
    run_b = []
    for text in run_a:  # the same paragraphs, some in other typography, some dropped or with blank ones around
        if data.draw(st.booleans()):
            old = data.draw(st.sampled_from(sorted(VARIANTS)))
            text = text.replace(old, VARIANTS[old])
        if data.draw(st.integers(0, 9)) == 0:
            continue
        run_b.append(text)
        if data.draw(st.integers(0, 9)) == 0:
            run_b.append(data.draw(st.sampled_from(["", " ", "\n", "\u200b", "- "])))
    assert same_paragraphs(run_a, run_b) == same_text("\n\n".join(run_a), "\n\n".join(run_b))
    assert same_paragraphs(run_a, run_a)


def test_a_task_lists_box_is_part_of_its_items_marker():
    """The same checklist item written with brackets (Markdown), a box symbol (a browser's page) or
    no box (a PDF whose font has no glyph for it) has one canonical form and the same words; brackets
    holding a letter other than x are words."""
    from wtcompare.text import canonical

    forms = [
        "- [ ] Discuss the change",
        "- \u2610 Discuss the change",
        "- Discuss the change",
        "- [x] Discuss the change",
    ]
    assert {canonical(form) for form in forms} == {"Discuss the change"}
    assert {tuple(token for token, _, _ in tokenize(form)) for form in forms} == {("discuss", "the", "change")}
    assert canonical("- [a] note") == "[a] note"
