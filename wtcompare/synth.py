"""Synthetic ground truth: revise a document with known, seeded edits, and grow documents for benchmarks.

`revise` rewords paragraphs, deletes, inserts and moves paragraphs, deletes, splits, merges, moves and
retitles sections, and renumbers, then returns the revised document (B) with the true mapping from the
original (A) at every level, as `groundtruth.TruePair` lists with the same semantics as
``texts/sample/ground_truth.toml``. `grow` builds a document of a given size from another's sections.
`make_pair` adds boilerplate to A first (boilerplate has to be in both editions, so A changes too).
All randomness comes from one ``random.Random(seed)``: the same seed gives the same output.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from random import Random
from typing import Any

from .align.model import PairKind, longest_increasing  # the aligner's tie-breaking, so "moved" paragraphs agree on ties
from .groundtruth import TruePair
from .model import Document, Edition, Paragraph, Section

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


@dataclass
class Operations:
    """Rates are probabilities per unit (per word for ``reword``)."""

    reword: float = 0.1  # share of words per paragraph changed: replace, insert, delete, swap neighbours
    delete_paragraphs: float = 0.05
    insert_paragraphs: float = 0.05
    move_paragraphs: float = 0.03  # a paragraph moved to another section
    move_sections: float = 0.05  # a section moved to another chapter
    split_sections: float = 0.05  # a section with >=2 paragraphs split into two sections
    merge_sections: float = 0.05  # two consecutive sections of a chapter merged into one
    delete_sections: float = 0.03
    retitle: float = 0.2  # heading changed
    renumber: bool = True  # printed paragraph numbers renumbered
    boilerplate: int = 2  # identical paragraphs added to several sections of A and kept in B (make_pair)

    @classmethod
    def only(cls, **rates: Any) -> Operations:
        """No change at all but the ``rates`` given, by field name (printed numbers are still
        renumbered); checked as any ``Operations`` is."""
        none = cls(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, renumber=True, boilerplate=0)
        return dataclasses.replace(none, **rates)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type == "float" and not 0 <= value <= (0.5 if f.name == "reword" else 1):
                raise ValueError(f"{f.name} must be between 0 and {0.5 if f.name == 'reword' else 1}, not {value}")
        if self.boilerplate < 0:
            raise ValueError("boilerplate must be >= 0")


# Working records: edits move these around, then _build gives them B ids. eq=False so list.remove
# removes this very record, not an equal-looking one.
@dataclass(eq=False)
class _Para:
    text: str
    src: str | None = None  # A paragraph id; None when inserted
    number: str | None = None
    page: str | None = None
    footnotes: list[str] = field(default_factory=list)
    fixed: bool = False  # boilerplate: text repeated in A, kept as it is
    id: str = ""


@dataclass(eq=False)
class _Sec:
    heading: str
    paras: list[_Para]
    src: tuple[str, ...] = ()  # the A sections it came from
    own: bool = False  # paragraphs the chapter holds itself (front matter, chapter intro): never moved
    whole: bool = True  # not yet split, merged or moved, so free for the next section edit
    id: str = ""


@dataclass(eq=False)
class _Chap:
    heading: str
    sections: list[_Sec]
    src: str | None = None
    front: bool = False
    had_text: bool = True
    id: str = ""


def _records(document: Document) -> list[_Chap]:
    """One record per chapter; sections at every depth that hold paragraphs, flattened."""
    counts = Counter(p.text for p in document.paragraphs())
    chapters = []
    for top in document.sections:
        sections = [
            _Sec(
                s.heading,
                [_Para(p.text, p.id, p.number, p.page, list(p.footnotes), counts[p.text] > 1) for p in s.paragraphs],
                (s.id,),
                own=s is top,
            )
            for s in top.walk()
            if s.paragraphs
        ]
        chapters.append(_Chap(top.heading, sections, top.id, top.id == "front", bool(sections)))
    return chapters


def _build(chapters: list[_Chap], renumber: bool, edition: Edition | None) -> Document:
    """The document the records describe, with fresh ids ("chN", "chN/N.M", "<section>/pK")."""
    tops, n = [], 0
    for ch in chapters:
        sections = [s for s in ch.sections if s.paras]
        if ch.had_text and not sections:
            continue  # emptied by the edits: the chapter is gone
        if ch.front:
            ch.id, number = "front", None
        else:
            n += 1
            ch.id, number = f"ch{n}", str(n)
        top = Section(ch.id, ch.heading, 1, number)
        m = k = 0
        for s in sections:
            if s.own:
                s.id, holder = ch.id, top
            else:
                m += 1
                label = str(m) if ch.front else f"{n}.{m}"
                s.id = f"{ch.id}/{label}"
                holder = Section(s.id, s.heading, 2, label)
                top.children.append(holder)
            for p in s.paras:
                k += 1
                p.id = f"{s.id}/p{len(holder.paragraphs) + 1}"
                printed = (None if ch.front else f"{n}.{k}") if renumber else p.number
                holder.paragraphs.append(Paragraph(p.id, p.text, printed, p.page, list(p.footnotes)))
        tops.append(top)
    return Document(tops, edition)


def _vocabulary(document: Document) -> list[str]:
    words = {w.lower() for s in document.walk() for w in WORD.findall(s.heading)}
    words |= {w.lower() for p in document.paragraphs() for w in WORD.findall(p.text)}
    return sorted(words) or ["word"]  # sorted: set order varies between runs


def _other(word: str, rng: Random, vocab: list[str]) -> str:
    new = rng.choice(vocab)
    return new if new != word.lower() else new + "s"


def _reword(text: str, rate: float, rng: Random, vocab: list[str]) -> str:
    """Edit about ``rate`` of the words (measured as difflib sees them), line by line so list items stay."""
    if rate <= 0:
        return text
    p = rate / (1.25 - 0.25 * rate)  # a swap changes two words and uses two, the other edits one
    lines = []
    for line in text.split("\n"):
        words, out, i = line.split(), [], 0
        while i < len(words):
            w = words[i]
            if rng.random() >= p:
                out.append(w)
            else:
                op = rng.choice(("replace", "insert", "delete", "swap"))
                if op == "insert":
                    out += [w, rng.choice(vocab)]
                elif op == "swap" and i + 1 < len(words):
                    out += [words[i + 1], w]
                    i += 1
                elif op != "delete":
                    out.append(_other(w, rng, vocab))
            i += 1
        lines.append(" ".join(out) or rng.choice(vocab))
    return "\n".join(lines)


def _retitle(heading: str, rng: Random, vocab: list[str]) -> str:
    words = heading.split() or [""]
    i = rng.randrange(len(words))
    words[i] = _other(words[i], rng, vocab)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _random_text(rng: Random, vocab: list[str], lengths: list[int]) -> str:
    """New text: a random sequence of the document's words, so it matches no paragraph of A."""
    text = " ".join(rng.choice(vocab) for _ in range(max(5, rng.choice(lengths))))
    return text[:1].upper() + text[1:] + "."


def _edition(document: Document, suffix: str, note: str) -> Edition | None:
    e = document.edition
    return e and dataclasses.replace(
        e, id=f"{e.id}-{suffix}", title=f"{e.title} ({note})", source=None, sha256=None, version_of=e.id
    )


def revise(document: Document, ops: Operations, seed: int) -> tuple[Document, dict[str, list[TruePair]]]:
    """The revised document (B) and the true mapping {"paragraph", "section", "chapter": [TruePair]}
    from ``document``'s ids to B's. Boilerplate (text repeated in A) keeps its text; ``ops.boilerplate``
    is used by `make_pair`, since adding boilerplate changes A as well."""
    rng = Random(seed)
    vocab = _vocabulary(document)
    lengths = [len(p.text.split()) for p in document.paragraphs()] or [20]
    chapters = _records(document)
    body = [ch for ch in chapters if not ch.front]

    for ch in chapters:
        ch.sections = [s for s in ch.sections if s.own or rng.random() >= ops.delete_sections]
    for ch in chapters:
        merged, i = [], 0
        while i < len(ch.sections):
            s = ch.sections[i]
            if i + 1 < len(ch.sections) and not s.own and rng.random() < ops.merge_sections:
                t = ch.sections[i + 1]
                merged.append(_Sec(s.heading, s.paras + t.paras, s.src + t.src, whole=False))
                i += 2
            else:
                merged.append(s)
                i += 1
        ch.sections = merged
    for ch in chapters:
        split = []
        for s in ch.sections:
            if s.whole and not s.own and len(s.paras) >= 2 and rng.random() < ops.split_sections:
                cut = rng.randint(1, len(s.paras) - 1)
                split += [
                    _Sec(s.heading, s.paras[:cut], s.src, whole=False),
                    _Sec(_retitle(s.heading, rng, vocab), s.paras[cut:], s.src, whole=False),
                ]
            else:
                split.append(s)
        ch.sections = split
    for ch in body if len(body) > 1 else []:
        for s in [s for s in ch.sections if s.whole and not s.own]:
            if rng.random() < ops.move_sections:
                ch.sections.remove(s)
                target = rng.choice([c for c in body if c is not ch])
                start = 1 if target.sections and target.sections[0].own else 0
                target.sections.insert(rng.randint(start, len(target.sections)), s)
                s.whole = False

    sections = [s for ch in chapters for s in ch.sections]
    for s in sections:
        kept: list[_Para] = []
        for k, p in enumerate(s.paras):
            if rng.random() < ops.delete_paragraphs and (kept or k < len(s.paras) - 1):
                continue  # a section always keeps a paragraph, else it would vanish
            kept.append(p)
            if rng.random() < ops.insert_paragraphs:
                kept.append(_Para(_random_text(rng, vocab, lengths)))
        s.paras = kept
    # Paragraphs do not move into or out of split and merged sections: their truth is what they hold.
    parts = [s.src for s in sections]
    targets = [s for s in sections if not s.own and len(s.src) == 1 and parts.count(s.src) == 1]
    for s in targets:
        for p in list(s.paras):
            if not p.fixed and len(s.paras) > 1 and len(targets) > 1 and rng.random() < ops.move_paragraphs:
                s.paras.remove(p)
                t = rng.choice([t for t in targets if t is not s])
                t.paras.insert(rng.randint(0, len(t.paras)), p)
    for s in sections:
        for p in s.paras:
            if p.src and not p.fixed:
                p.text = _reword(p.text, ops.reword, rng, vocab)
        if not s.own and rng.random() < ops.retitle:
            s.heading = _retitle(s.heading, rng, vocab)
    for ch in body:
        if rng.random() < ops.retitle:
            ch.heading = _retitle(ch.heading, rng, vocab)

    revised = _build(chapters, ops.renumber, _edition(document, f"rev{seed}", f"synthetic revision, seed {seed}"))
    return revised, _truth(document, revised, chapters)


def _truth(doc_a: Document, doc_b: Document, chapters: list[_Chap]) -> dict[str, list[TruePair]]:
    paragraphs_a = {p.id: (k, p.text) for k, p in enumerate(doc_a.paragraphs())}
    source = {p.id: p.src for ch in chapters for s in ch.sections for p in s.paras}
    # (position in A, position in B, paragraph of B, id of its source in A) for every paragraph
    # that has a source; k is unique, so the sort never compares the last two
    matched = sorted(
        (paragraphs_a[from_a][0], k, p, from_a) for k, p in enumerate(doc_b.paragraphs()) if (from_a := source[p.id])
    )
    in_order = longest_increasing([k for _, k, _, _ in matched])
    paragraphs = [
        TruePair(
            PairKind.MOVED if n not in in_order else "unchanged" if p.text == paragraphs_a[a][1] else "changed",
            (a,),
            (p.id,),
        )
        for n, (_, _, p, a) in enumerate(matched)
    ]
    kept = set(source.values())
    paragraphs += [TruePair(PairKind.DELETED, (a,), ()) for a in paragraphs_a if a not in kept]
    paragraphs += [TruePair(PairKind.INSERTED, (), (p.id,)) for p in doc_b.paragraphs() if not source[p.id]]

    sections_a = {s.id: (s, top.id) for top in doc_a.sections for s in top.walk()}
    sections_b = {s.id: (s, top.id) for top in doc_b.sections for s in top.walk()}
    counterpart = {ch.src: ch.id for ch in chapters if ch.id}
    groups: dict[tuple[str, ...], list[str]] = {}
    for ch in chapters:
        for s in ch.sections:
            groups.setdefault(s.src, []).append(s.id)
    sections = []
    for src, b_ids in groups.items():
        if len(b_ids) > 1 or len(src) > 1:
            sections.append(TruePair(PairKind.SPLIT if len(b_ids) > 1 else PairKind.MERGED, src, tuple(b_ids)))
            continue
        (a, chapter_a), (b, chapter_b) = sections_a[src[0]], sections_b[b_ids[0]]
        kind = (
            PairKind.MOVED
            if counterpart.get(chapter_a) != chapter_b
            else "unchanged"
            if (a.heading, a.text) == (b.heading, b.text)
            else "changed"
        )
        sections.append(TruePair(kind, src, tuple(b_ids)))
    kept = {a for src in groups for a in src}
    sections += [
        TruePair(PairKind.DELETED, (i,), ()) for i, (s, _) in sections_a.items() if s.paragraphs and i not in kept
    ]

    chapters_b = {top.id: top for top in doc_b.sections}
    chapter_pairs = []
    for top in doc_a.sections:
        top_b = chapters_b.get(counterpart.get(top.id, ""))
        kind = (
            PairKind.DELETED
            if top_b is None
            else PairKind.UNCHANGED
            if (top.heading, top.full_text) == (top_b.heading, top_b.full_text)
            else "changed"
        )
        chapter_pairs.append(TruePair(kind, (top.id,), (top_b.id,) if top_b else ()))
    return {"paragraph": paragraphs, "section": sections, "chapter": chapter_pairs}


def _substitute(text: str, mapping: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0)
        new = mapping.get(word.lower(), word)
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    return WORD.sub(swap, text)


def _size(section: _Sec) -> int:
    return sum(len(p.text.split()) for p in section.paras)


def grow(document: Document, words: int, seed: int) -> Document:
    """A document of about ``words`` words: the chapters of ``document`` repeated and cut at a section
    boundary, with fresh ids. Each copy after the first swaps the document's longer words by a random
    one-to-one mapping: near-copies would be ambiguous for any aligner, while this keeps the
    structure, the sentence shapes and the short common words."""
    rng = Random(seed)
    long_words = [w for w in _vocabulary(document) if len(w) > 3]
    template = _records(document)
    grown = [ch for ch in template if ch.front]
    total = sum(_size(s) for ch in grown for s in ch.sections)
    body = [ch for ch in template if not ch.front and any(_size(s) for s in ch.sections)]
    edition = _edition(document, f"{words}w", f"grown to about {words} words, seed {seed}")
    for n in itertools.count() if body else ():
        mapping = dict(zip(long_words, rng.sample(long_words, len(long_words)), strict=True)) if n else {}
        for ch in body:
            grown.append(_Chap(_substitute(ch.heading, mapping), []))
            for s in ch.sections:
                if total + _size(s) / 2 > words:  # adding it would overshoot more than leaving it out
                    return _build(grown, True, edition)
                grown[-1].sections.append(
                    _Sec(
                        _substitute(s.heading, mapping),
                        [_Para(_substitute(p.text, mapping)) for p in s.paras],
                        own=s.own,
                    )
                )
                total += _size(s)
    return _build(grown, True, edition)


def add_boilerplate(document: Document, count: int, seed: int) -> Document:
    """A copy of ``document`` with ``count`` boilerplate paragraphs, each appended to several sections."""
    rng = Random(seed)
    vocab = _vocabulary(document)
    result = copy.deepcopy(document)
    holders = [s for s in result.walk() if s.paragraphs]
    for _ in range(count if holders else 0):
        text = _random_text(rng, vocab, [25])
        for s in rng.sample(holders, min(len(holders), max(2, len(holders) // 5))):
            s.paragraphs.append(Paragraph(f"{s.id}/p{len(s.paragraphs) + 1}", text))  # ids are ordinals
    return result


def make_pair(document: Document, ops: Operations, seed: int) -> tuple[Document, Document, dict[str, list[TruePair]]]:
    """A (``document`` plus ``ops.boilerplate`` boilerplate paragraphs), its revision B, and the true mapping."""
    a = add_boilerplate(document, ops.boilerplate, seed)
    b, truth = revise(a, ops, seed)
    return a, b, truth


def to_markdown(document: Document) -> str:
    """The document as Markdown that `wtcompare.segment` reads back with the same ids, headings,
    paragraph numbers and texts (used to write generated editions to files)."""
    front = document.sections[0] if document.sections and document.sections[0].id == "front" else None
    title = front.heading if front else document.edition.title if document.edition else "Generated edition"
    lines = [f"# {title}", ""]
    for top in document.sections:
        if top.id != "front":
            number = top.number or top.id.removeprefix("ch")
            lines += [f"## Chapter {number}: {top.heading}", ""]
        for section in top.walk():
            if section is not top:
                lines += [f"### {section.number + ' ' if section.number else ''}{section.heading}", ""]
            for paragraph in section.paragraphs:
                first, *items = paragraph.text.split("\n")
                lines += [f"{paragraph.number} {first}" if paragraph.number else first, ""]
                if items:
                    lines += items + [""]
    return "\n".join(lines)
