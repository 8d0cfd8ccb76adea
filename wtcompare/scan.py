"""Scan stage: count lexicon terms in editions, with keyword-in-context evidence for every match.

Counting rules (also in the README):

* The text counted is the whole text: every section heading (not the document's title), every
  paragraph (list items included) and every footnote, unless `ScanOptions` leaves headings or
  footnotes out. Printed paragraph numbers and list markers are not text.
* Tokens are runs of letters and digits, joined across internal hyphens and apostrophes:
  "child-centred", "child's" and "2010" are one token each (see `wtcompare.text.tokenize`).
  Matching is on the lowercased, NFKC-normalised token, typographic apostrophes and hyphens
  folded.
* A phrase matches consecutive tokens inside one unit: a heading, a paragraph (list items
  included) or a footnote.
* Each token is counted for at most one lexicon term: the longest match wins, then the term that
  comes first in the lexicon. Matches dropped by a context rule do not claim tokens, and are kept
  in the KWIC output with status ``excluded`` and the rule; matches that lose an overlap are kept
  with status ``overlapped``. Ad-hoc ``--term`` patterns are counted on their own.
* An ambiguous word (partner*, relationship* ...) is counted in the category of the sense read from
  its participants (`wtcompare.participants`) and listed under that sense's term (one set aside,
  "a person", under its family's first term, ``excluded``); a longer term of another category that
  holds it is ``excluded`` with the sense as its rule. An occurrence with two senses ("a
  partnership of agencies and parents") counts once in each category: its token is claimed once
  per category.
* The rate is count / tokens x 10,000, where tokens is every token of the text counted.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from .lexicon import ADHOC, Lexicon, Term, load_lexicon
from .model import Document, PageTurn, Section, page_at
from .outline import EditionText
from .participants import READING_VERSION, Found, Reading, SenseIndex, uncertain_occurrences
from .progress import stage
from .text import tokenize

CONTEXT_CHARS = 70
_TOKEN = operator.itemgetter(0)  # of a (token, start, end) tuple
_PLACE = operator.itemgetter(0, 1, 2)  # of a placed match: its unit, start and end


@dataclass(frozen=True)
class ScanOptions:
    """What text is counted: section headings and footnotes are, unless switched off. Part of
    every cache key and of every output's provenance."""

    headings: bool = True
    footnotes: bool = True

    def describe(self) -> dict[str, bool]:
        return {"headings": self.headings, "footnotes": self.footnotes}

    def sentence(self) -> str:
        """What is counted, in words, for a report's methods section."""
        parts = (
            (["section headings"] if self.headings else [])
            + ["paragraphs (list items included)"]
            + (["footnotes"] if self.footnotes else [])
        )
        left_out = [name for name, on in (("headings", self.headings), ("footnotes", self.footnotes)) if not on]
        return (
            f"Counted text: {', '.join(parts[:-1]) + ' and ' + parts[-1] if len(parts) > 1 else parts[0]}; "
            f"the document's title is not counted"
            + (f", and {' and '.join(left_out)} were left out on request" if left_out else "")
            + "."
        )


DEFAULT_OPTIONS = ScanOptions()  # headings and footnotes counted: the default of every function taking options


class ScanUnit(NamedTuple):  # a tuple: one for every heading, paragraph and footnote scanned
    """A piece of counted text: a section heading, a paragraph or a footnote. ``unit`` is the
    paragraph's id (for a footnote, the id of the paragraph that cites it; for a heading, its
    section's id) and ``section`` the id of the section that holds it."""

    kind: str  # "heading", "text" or "footnote"
    unit: str
    section: str
    text: str
    number: str | None
    page: str | None
    turns: Sequence[PageTurn] = ()  # a paragraph's: where its text runs on to another page


def _is_front(section_id: str) -> bool:
    """The front matter: its heading is the document's title, not a heading of the text."""
    return re.fullmatch(r"front(-\d+)?", section_id) is not None


def scan_units(document: Document, options: ScanOptions = DEFAULT_OPTIONS) -> list[ScanUnit]:
    """The counted text of an edition in reading order: each section's heading, then its
    paragraphs, each followed by its footnotes. The front matter's heading is the document's title,
    which is not counted."""
    units: list[ScanUnit] = []
    for section in document.walk():
        # a heading's page: its own, where the loader knows it (a PDF's), else its text's
        page = section.page or (section.paragraphs[0].page if section.paragraphs else None)
        if options.headings and not _is_front(section.id) and section.heading.strip():
            units.append(ScanUnit("heading", section.id, section.id, section.heading, section.number, page))
        for paragraph in section.paragraphs:
            units.append(
                ScanUnit(
                    "text", paragraph.id, section.id, paragraph.text, paragraph.number, paragraph.page, paragraph.turns
                )
            )
            if options.footnotes:
                units.extend(
                    ScanUnit("footnote", paragraph.id, section.id, note, paragraph.number, paragraph.footnote_page(k))
                    for k, note in enumerate(paragraph.footnotes)
                )
    return units


@dataclass
class Match:
    """One occurrence of a term: where it is, what surrounds it, and whether it was counted."""

    edition: str
    category: str
    term: str
    unit: str
    section: str
    path: str  # headings from the chapter down to the section, joined by " > "
    number: str | None
    page: str | None  # the printed page where the match begins
    start: int
    end: int
    left: str
    match: str
    right: str
    status: str = "counted"
    rule: str | None = None
    heading: bool = False  # found in a section heading (``unit`` is then the section's id)
    footnote: bool = False  # found in a footnote of the paragraph ``unit``
    sense: str | None = None  # for an ambiguous word: the sense read from its participants
    senses: int = 1  # 2 when the occurrence carries two senses and is counted in both categories
    uncertain: bool = False  # the sense came from a fallback, or the evidence disagreed
    reason: str | None = None  # the participants or cue that gave the sense

    @property
    def anchor(self) -> str:
        """Where the match is in the edition's report: ``<edition>-<paragraph id with / as ->``,
        or for a heading ``<edition>-<section id with / as ->``."""
        return f"{self.edition}-{self.unit.replace('/', '-')}"


# The columns of the occurrence tables a reader is shown (``scan --kwic``): where, what, and how it was read.
KWIC_COLUMNS = [
    "edition",
    "category",
    "term",
    "unit",
    "section",
    "path",
    "number",
    "page",
    "anchor",
    "left",
    "match",
    "right",
    "status",
    "rule",
    "heading",
    "footnote",
    "sense",
    "senses",
    "uncertain",
    "reason",
]


@dataclass
class ScanResult:
    """``rows``: one row per (edition, category, term) with counts, zeros included.
    ``kwic``: one row per match, counted or not (see ``status``)."""

    rows: pd.DataFrame
    kwic: pd.DataFrame
    lexicon: Lexicon
    options: ScanOptions = DEFAULT_OPTIONS

    @property
    def counted(self) -> pd.DataFrame:
        return self.kwic[self.kwic["status"] == "counted"]

    def categories(self) -> pd.DataFrame:
        """Totals per (edition, category), lexicon categories only."""
        rows = self.rows[self.rows["category"] != ADHOC]
        table = rows.groupby(["edition", "category"], sort=False).agg(
            count=("count", "sum"), tokens=("tokens", "first")
        )
        table["per_10k"] = table["count"] / table["tokens"] * 10_000
        return table.reset_index()

    def evidence(self, excluded: bool = False) -> dict[str, pd.DataFrame]:
        """The occurrences behind the counts, in the columns a reader is shown (``KWIC_COLUMNS``):
        ``kwic`` (counted ones, or with ``excluded`` every match) and ``uncertain`` (occurrences of
        ambiguous words counted or set aside by a fallback or on conflicting evidence)."""
        listed = self.kwic if excluded else self.counted
        return {"kwic": listed[KWIC_COLUMNS], "uncertain": uncertain_occurrences(self.kwic, self.lexicon)[KWIC_COLUMNS]}


def _context(text: str, start: int, end: int, plain: bool = False) -> tuple[str, str]:
    """The words either side of ``text[start:end]``, up to CONTEXT_CHARS each, whitespace runs
    shown as one space. ``plain``: the text's only whitespace is single spaces, so that taking a
    slice's ends off does what splitting and joining it would (a fast path: most paragraphs are
    plain, and every match needs its context)."""
    if plain:
        left = text[max(0, start - CONTEXT_CHARS) : start].strip(" ")
        right = text[end : end + CONTEXT_CHARS].strip(" ")
    else:
        left = " ".join(text[max(0, start - CONTEXT_CHARS) : start].split())
        right = " ".join(text[end : end + CONTEXT_CHARS].split())
    # a word cut by the window is left out (sliced at its space, not split into a list)
    if start > CONTEXT_CHARS and " " in left:
        left = left[left.index(" ") + 1 :]
    if end + CONTEXT_CHARS < len(text) and " " in right:
        right = right[: right.rindex(" ")]
    left = left + " " if left and text[start - 1 : start].isspace() else left
    right = " " + right if right and text[end : end + 1].isspace() else right
    return left, right


def _is_plain(text: str) -> bool:
    """Whether a text's only whitespace is single spaces between words (see `_context`)."""
    return " ".join(text.split()) == text


def _matches(
    regex: re.Pattern[str], first: tuple[str, ...], second: tuple[str, ...] | None, joined: _Joined
) -> Iterator[re.Match[str]]:
    """The matches ``regex.finditer(joined.text)`` would give, found by trying the regex only where
    a token that can begin it stands (much faster than scanning the whole text with each pattern)
    and, when ``second`` says which tokens can follow that one, the text after it begins like one
    of them. ``first``, ``second``: word patterns (a trailing ``*`` any ending)."""
    text, at, vocabulary = joined.text, joined.at, joined.vocabulary
    # a word is followed by the space that ends it; a stem by anything
    beginnings = None if second is None else tuple(w[:-1] if w.endswith("*") else w + " " for w in second)
    found: list[int] = []
    for word in first:
        for token in _spelled(word, vocabulary):
            if beginnings is None:
                found.extend(at[token])
            else:
                step = len(token) + 1  # where the next token starts, if one follows in the unit
                found.extend([offset for offset in at[token] if text.startswith(beginnings, offset + step)])
    end = -1
    for offset in sorted(set(found)):
        if offset < end:
            continue  # inside the previous match, as finditer would skip it
        m = regex.match(text, offset)
        if m:
            end = m.end()
            yield m


def _heading_paths(document: Document) -> dict[str, str]:
    paths: dict[str, str] = {}

    def visit(section: Section, trail: list[str]) -> None:
        trail = trail + [section.heading]
        paths[section.id] = " > ".join(trail)
        for child in section.children:
            visit(child, trail)

    for top in document.sections:
        visit(top, [])
    return paths


@dataclass
class _Joined:
    """An edition's tokens as one text, " tok tok \n" per unit (the newline keeps a phrase inside
    one unit), so that each term's regexes run once over the whole edition. ``at``: each distinct
    token that can begin a term -> where it stands in ``text``; ``where``: the unit and token index
    of each of those places; ``vocabulary``: the distinct tokens, sorted (a prefix's tokens stand
    together); ``spaced``: the words of each unit when a token holds a space (NFKC makes words of
    some ligatures, U+FDFA), else None."""

    text: str
    at: dict[str, list[int]]
    where: dict[int, tuple[int, int]]
    vocabulary: list[str]
    offsets: list[int]  # where each unit starts in ``text``
    spaced: list[list[str]] | None

    @classmethod
    def of(cls, words: list[list[str]], first_words: Iterable[str]) -> _Joined:
        """``first_words``: the word patterns (a trailing ``*`` any ending) that can begin a term;
        only the tokens they spell are indexed in ``at``."""
        vocabulary = sorted(set(itertools.chain.from_iterable(words)))
        at: dict[str, list[int]] = {token: [] for word in set(first_words) for token in _spelled(word, vocabulary)}
        where: dict[int, tuple[int, int]] = {}
        # str.join, not a generator per token (a fifth of the scan's time)
        pieces = [" " + " ".join(w) + " \n" if w else " \n" for w in words]
        indexed = at.__contains__
        offsets = []
        offset = 0
        for unit, tokens in enumerate(words):
            offsets.append(offset)
            # the indexed tokens found and their offsets summed at C level: most tokens are not indexed
            hits = list(itertools.compress(range(len(tokens)), map(indexed, tokens)))
            if hits:
                lengths = [0, *itertools.accumulate(map(len, tokens))]  # of the tokens before each
                for k in hits:
                    place = offset + 1 + lengths[k] + k  # a space before each token
                    at[tokens[k]].append(place)
                    where[place] = (unit, k)
            offset += len(pieces[unit])
        spaced = words if any(" " in token for token in vocabulary) else None
        return cls("".join(pieces), at, where, vocabulary, offsets, spaced)

    def locate(self, match: re.Match[str]) -> tuple[int, int, int]:
        """The unit a match is in, and its first and end token in that unit: it starts where an
        indexed token stands, and each of its tokens takes the space after it; where a token holds
        a space, its end token is the first that starts at or after its end."""
        unit, begin = self.where[match.start()]
        if self.spaced is None:
            return unit, begin, begin + self.text.count(" ", match.start(), match.end())
        starts = itertools.accumulate((len(token) + 1 for token in self.spaced[unit]), initial=self.offsets[unit] + 1)
        return unit, begin, sum(1 for start in itertools.islice(starts, len(self.spaced[unit])) if start < match.end())


def _spelled(word: str, vocabulary: list[str]) -> list[str]:
    """The tokens of a sorted vocabulary that a word pattern spells (``stem*``: every token
    beginning with the stem)."""
    stem = word[:-1] if word.endswith("*") else word
    i = j = bisect.bisect_left(vocabulary, stem)
    if not word.endswith("*"):
        return [word] if i < len(vocabulary) and vocabulary[i] == word else []
    while j < len(vocabulary) and vocabulary[j].startswith(stem):
        j += 1
    return vocabulary[i:j]


def _first_words(lexicon: Lexicon) -> Iterator[str]:
    """The word patterns that can begin a match of any term (lexicon and ad hoc)."""
    for term in lexicon.terms + lexicon.adhoc:
        for first in term.starts:
            yield from first


def _find(lexicon: Lexicon, joined: _Joined) -> list[Found]:
    """Every match of every term (lexicon and ad hoc), each place once per term. Terms with the
    same patterns (the sense terms of one ambiguous word) share one search."""
    found: list[Found] = []
    places: dict[tuple[str, ...], list[tuple[int, int, int]]] = {}
    for term in lexicon.terms + lexicon.adhoc:
        if term.patterns not in places:
            seen: dict[tuple[int, int, int], None] = {}  # in the order found
            for regex, first, second in zip(term.regexes, term.starts, term.seconds, strict=True):
                for m in _matches(regex, first, second, joined):
                    seen.setdefault(joined.locate(m))
            places[term.patterns] = list(seen)
        found.extend((term, *place) for place in places[term.patterns])
    return found


def _status(
    term: Term,
    words: list[str],
    begin: int,
    end: int,
    reading: Reading | None,
    fits: bool,
    position: int | None,
    claimed: dict[tuple[int, int, str | None], str],
    index: int,
) -> tuple[str, str | None]:
    """Whether a match is counted, and if not the rule that set it aside: a rule of its term, a
    sense that is not its term's, or a longer (or earlier) match of another term on the same words.
    A counted lexicon match claims its tokens in ``claimed``; a word read in two senses claims its
    own token once per category (its lane), so both senses count."""
    rejected = term.rejected_by(words, begin, end)
    if rejected:
        return "excluded", rejected.describe()
    if reading is not None and not fits:
        return "excluded", f"sense {reading.label}: {reading.reason}"
    if term.category == ADHOC:
        return "counted", None
    lane = term.category if reading is not None and len(reading.senses) > 1 else None
    # most matches are one word: a tuple of one key, not a comprehension (a tenth of the scan's loop)
    keys = (
        ((index, begin, lane if begin == position else None),)
        if end - begin == 1
        else [(index, i, lane if i == position else None) for i in range(begin, end)]
    )
    for key in keys:
        if key in claimed:
            return "overlapped", f"overlaps a match of {claimed[key]!r}"
    for key in keys:
        claimed[key] = term.id
    return "counted", None


def scan_document(
    document: Document, lexicon: Lexicon, options: ScanOptions = DEFAULT_OPTIONS
) -> tuple[int, list[Match]]:
    """Return the edition's token count and every match of every term (counted or not). Longer
    matches claim their words first, then lexicon order; an ambiguous word's match is judged by the
    sense its participants give (`wtcompare.participants`)."""
    edition = document.edition_id
    paths = _heading_paths(document)
    units = scan_units(document, options)
    unit_tokens = [tokenize(u.text) for u in units]
    words = [list(map(_TOKEN, tokens)) for tokens in unit_tokens]
    found = _find(lexicon, _Joined.of(words, _first_words(lexicon)))
    senses = SenseIndex(lexicon)
    paragraphs = [(u.text, t) for u, t in zip(units, unit_tokens, strict=True)]
    senses.add(found, paragraphs)
    found = senses.evidence(found, paragraphs)
    claimed: dict[tuple[int, int, str | None], str] = {}  # (unit, token, lane) -> the term that counted it
    contexts: dict[tuple[int, int, int], tuple[str, str]] = {}
    plain: dict[int, bool] = {}  # by unit, once it has a match
    placed = []
    for term, index, begin, end in sorted(
        found, key=lambda f: (f[0].category == ADHOC, -(f[3] - f[2]), f[0].order, f[1], f[2])
    ):
        reading, position, sense = senses.judge(term, index, begin, end, unit_tokens[index])
        fits = reading is None or sense in reading.senses
        status, rule = _status(term, words[index], begin, end, reading, fits, position, claimed, index)
        unit = units[index]
        start, stop = unit_tokens[index][begin][1], unit_tokens[index][end - 1][2]
        if (index, start, stop) not in contexts:  # the same occurrence is evidence under several terms
            if index not in plain:
                plain[index] = _is_plain(unit.text)
            contexts[(index, start, stop)] = _context(unit.text, start, stop, plain[index])
        left, right = contexts[(index, start, stop)]
        placed.append(
            (
                index,
                start,
                stop,
                Match(
                    edition,
                    term.category,
                    term.id,
                    unit.unit,
                    unit.section,
                    paths[unit.section],
                    unit.number,
                    page_at(unit.page, unit.turns, start) if unit.turns else unit.page,  # where the match begins
                    start,
                    stop,
                    left,
                    unit.text[start:stop],
                    right,
                    status,
                    rule,
                    # by position, in the order of Match's fields: a third faster than by keyword
                    unit.kind == "heading",  # heading
                    unit.kind == "footnote",  # footnote
                    reading.label if reading is not None and not fits else sense,  # sense
                    len(reading.senses) if reading else 1,  # senses
                    bool(reading and reading.uncertain),  # uncertain
                    reading.reason if reading else None,  # reason
                ),
            )
        )
    placed.sort(key=_PLACE)
    return sum(map(len, unit_tokens)), [match for *_, match in placed]


FIELDS = [f for f in Match.__dataclass_fields__ if f != "edition"]


def _scan_cached(text: EditionText, lexicon: Lexicon, options: ScanOptions) -> tuple[int, list[Match]]:
    """`scan_document`, from the cache when the same text was scanned with the same terms, rules
    and options (then the document itself is not needed: the cache knows it by its key)."""
    from . import cache

    if not cache.enabled():
        return scan_document(text.document(), lexicon, options)
    terms = lexicon.terms_key() + f"|reading {READING_VERSION}"
    entry = cache.result_key("scan", text.key(), terms, repr(options))
    edition = text.edition_id
    stored = cache.get_result(entry)
    if stored is not None:
        try:
            return stored["tokens"], [Match(edition, *values) for values in stored["matches"]]
        except (KeyError, TypeError, ValueError):
            cache.forget(entry)  # not what this version writes: rebuild it
    tokens, matches = scan_document(text.document(), lexicon, options)
    cache.put_result(entry, {"tokens": tokens, "matches": [[getattr(m, f) for f in FIELDS] for m in matches]})
    return tokens, matches


def scan(
    documents: Iterable[Document | EditionText],
    lexicon: Lexicon | None = None,
    terms: list[str] | tuple = (),
    options: ScanOptions = DEFAULT_OPTIONS,
) -> ScanResult:
    """Scan editions with a lexicon (the default one when None) plus ad-hoc ``terms``; ``options``
    say whether headings and footnotes are counted. An edition given as an `EditionText` is loaded
    only if the cache does not hold its scan."""
    lexicon = lexicon or load_lexicon()
    if terms:
        lexicon = lexicon.with_terms(list(terms))
    rows, kwic = [], []
    for item in documents:
        text = EditionText.of(item)
        with stage("scan", text.edition.id if text.edition else ""):
            tokens, matches = _scan_cached(text, lexicon, options)
        kwic.extend(matches)
        counted: dict[tuple[str, str], int] = {}
        excluded: dict[tuple[str, str], int] = {}
        for m in matches:
            bucket = {"counted": counted, "excluded": excluded}.get(m.status)
            if bucket is not None:
                bucket[(m.category, m.term)] = bucket.get((m.category, m.term), 0) + 1
        edition = text.edition_id
        for term in lexicon.terms + lexicon.adhoc:
            count = counted.get((term.category, term.id), 0)
            rows.append(
                {
                    "edition": edition,
                    "category": term.category,
                    "term": term.id,
                    "count": count,
                    "excluded": excluded.get((term.category, term.id), 0),
                    "tokens": tokens,
                    "per_10k": count / tokens * 10_000 if tokens else 0.0,
                }
            )
    columns = list(Match.__dataclass_fields__) + ["anchor"]
    return ScanResult(
        pd.DataFrame(rows),
        pd.DataFrame([dict(vars(m), anchor=m.anchor) for m in kwic], columns=columns),
        lexicon,
        options,
    )
