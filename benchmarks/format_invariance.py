"""Format invariance: does the same text give the same result in every format?

Each text of benchmarks/texts/ is read into the bench's document model (benchmarks/formatbench,
which does not use wtcompare) and rendered into every format: plain text, Markdown (our own writer
and pandoc's), PDF (reportlab and Chromium), HTML (a gov.uk-shaped page and pandoc's) and DOCX
(python-docx and pandoc). Every file is loaded with `wtcompare.load.parse`, and for every pair of
formats of the same text this prints:

* the share of paragraph pairs that are ``unchanged`` (paragraph-level alignment);
* the share of sections paired one to one: section-level pairs with exactly one section on each
  side and kind unchanged, changed or moved, counted on both sides, over all sections of both;
* whether the two have the same number of sections;

and for every format the `scan --term` count of each of the text's terms (benchmarks/texts/
texts.toml), next to an independent count over the model's own text (formatbench/count.py), and
the time each format took to load. Targets: >= 98% of paragraph pairs unchanged and 100% of
sections paired one to one for every text and format pair; every term count the same in every
format and equal to the independent count. OCR is out of scope.

Run: python benchmarks/format_invariance.py [--texts NAME...] [--formats FORMAT...] [--check]
[--examples N]. ``--check`` exits 1 when a target is missed; ``--examples N`` prints up to N
paragraphs per format pair that did not come out unchanged. Needs pandoc, and Debian's chromium for
the Chromium PDF.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from formatbench import count, model
from formatbench.formats import FORMATS, Renderers

from wtcompare.align import align_levels
from wtcompare.errors import WtcompareError
from wtcompare.lexicon import load_lexicon
from wtcompare.load import parse
from wtcompare.scan import scan

TARGET_UNCHANGED = 0.98
TARGET_ONE_TO_ONE = 1.0
PAIRED = ("unchanged", "changed", "moved")
SHORT = {
    "text": "txt",
    "markdown": "md",
    "markdown-pandoc": "md-pd",
    "pdf-reportlab": "pdf-rl",
    "pdf-chromium": "pdf-cr",
    "html-govuk": "html-gov",
    "html-pandoc": "html-pd",
    "docx-python-docx": "docx-py",
    "docx-pandoc": "docx-pd",
}


@dataclass
class PairResult:
    a: str
    b: str
    paragraph_pairs: int
    unchanged: int
    one_to_one: int  # sections on both sides that are in a 1:1 pair
    sections_a: int
    sections_b: int
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # kind, A text, B text

    @property
    def unchanged_share(self) -> float:
        return self.unchanged / self.paragraph_pairs if self.paragraph_pairs else 0.0

    @property
    def one_to_one_share(self) -> float:
        total = self.sections_a + self.sections_b
        return self.one_to_one / total if total else 0.0


@dataclass
class TextResult:
    name: str
    words: int
    terms: list[str]
    independent: dict[str, Counter]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # format -> term -> count
    load_seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # format -> why it did not load
    pairs: list[PairResult] = field(default_factory=list)


def _pair(a: str, b: str, doc_a, doc_b, examples: int) -> PairResult:
    levels = align_levels(doc_a, doc_b)
    paragraphs, sections = levels["paragraph"], levels["section"]
    one_to_one = sum(2 for p in sections.pairs if len(p.a) == 1 and len(p.b) == 1 and p.kind in PAIRED)
    result = PairResult(
        a,
        b,
        len(paragraphs.pairs),
        sum(1 for p in paragraphs.pairs if p.kind == "unchanged"),
        one_to_one,
        len(sections.units_a),
        len(sections.units_b),
    )
    for p in paragraphs.pairs:
        if p.kind != "unchanged" and len(result.examples) < examples:
            text_a = " | ".join(paragraphs.units_a[u].text for u in p.a)
            text_b = " | ".join(paragraphs.units_b[u].text for u in p.b)
            result.examples.append((p.kind, text_a, text_b))
    return result


@contextlib.contextmanager
def _no_cache():
    """WTCOMPARE_NO_CACHE=1 while measuring: time the loaders, not the cache, and leave the user's
    cache alone; restored after, so that a test session importing this module keeps its cache."""
    before = os.environ.get("WTCOMPARE_NO_CACHE")
    os.environ["WTCOMPARE_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["WTCOMPARE_NO_CACHE"]
        else:
            os.environ["WTCOMPARE_NO_CACHE"] = before


def measure(names: list[str], formats: list[str], folder: Path, examples: int = 0) -> list[TextResult]:
    with _no_cache():
        return _measure(names, formats, folder, examples)


def _measure(names: list[str], formats: list[str], folder: Path, examples: int) -> list[TextResult]:
    manifest = model.manifest()
    lexicon = load_lexicon()
    results = []
    with Renderers() as render:
        for name in names:
            document = model.load(name)
            terms = manifest[name]["terms"]
            words = sum(len(count.tokens(text)) for _, text in document.blocks_text())
            result = TextResult(name, words, terms, count.count(document, terms))
            loaded = {}
            for fmt in formats:
                path = render(document, fmt, folder)
                started = time.perf_counter()
                try:
                    loaded[fmt] = parse(path.read_bytes(), str(path))
                except WtcompareError as exc:
                    result.errors[fmt] = str(exc)
                    continue
                except Exception as exc:  # a loader that crashes is a finding to report, not the end of the run
                    result.errors[fmt] = f"crashed: {type(exc).__name__}: {exc}"
                    continue
                finally:
                    result.load_seconds[fmt] = time.perf_counter() - started
                rows = scan([loaded[fmt]], lexicon, terms).rows
                result.counts[fmt] = {row.term: int(row.count) for row in rows.itertuples() if row.category == "adhoc"}
            for a, b in combinations(formats, 2):
                if a in loaded and b in loaded:
                    result.pairs.append(_pair(a, b, loaded[a], loaded[b], examples))
            results.append(result)
    return results


def misses(results: list[TextResult], formats: list[str]) -> list[str]:
    """Every target missed, one line each (empty when all are met)."""
    out = []
    for r in results:
        out += [f"{r.name}: {fmt} did not load: {why}" for fmt, why in r.errors.items()]
        for p in r.pairs:
            if p.unchanged_share < TARGET_UNCHANGED:
                out.append(f"{r.name}: {p.a} vs {p.b}: {p.unchanged_share:.1%} of paragraph pairs unchanged")
            if p.one_to_one_share < TARGET_ONE_TO_ONE:
                out.append(f"{r.name}: {p.a} vs {p.b}: {p.one_to_one_share:.1%} of sections paired 1:1")
        for term in r.terms:
            expected = sum(r.independent[term].values())
            wrong = [
                f"{fmt} {r.counts[fmt][term]}" for fmt in formats if fmt in r.counts and r.counts[fmt][term] != expected
            ]
            if wrong:
                out.append(f"{r.name}: {term!r}: independent count {expected}, but {', '.join(wrong)}")
    return out


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if k else str(c).ljust(w) for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def report(results: list[TextResult], formats: list[str]) -> str:
    manifest = model.manifest()
    out = []
    for r in results:
        out.append(f"\n== {r.name} ({manifest[r.name]['source']}; {r.words:,} words in the model)")
        for fmt, why in r.errors.items():
            out.append(f"  {fmt} DID NOT LOAD: {why}")
        out.append(
            _table(
                ["format A", "format B", "para pairs", "unchanged", "1:1 sections", "sections A/B", "same count"],
                [
                    [
                        p.a,
                        p.b,
                        p.paragraph_pairs,
                        f"{p.unchanged_share:.1%}",
                        f"{p.one_to_one_share:.1%}",
                        f"{p.sections_a}/{p.sections_b}",
                        "yes" if p.sections_a == p.sections_b else "NO",
                    ]
                    for p in r.pairs
                ],
            )
        )
        out.append(
            f"\nTerm counts: wtcompare `scan --term` per format; 'independent': {count.SCOPE} "
            "(headings and footnotes in brackets, which scan does not see when a loader keeps them apart)."
        )
        shown = [f for f in formats if f in r.counts]
        rows = []
        for term in r.terms:
            found = r.independent[term]
            rows.append(
                [term, f"{sum(found.values())} ({found['heading']}/{found['footnote']})"]
                + [r.counts[f][term] for f in shown]
            )
        out.append(_table(["term", "independent (h/fn)"] + [SHORT[f] for f in shown], rows))
        out.append("Load seconds: " + ", ".join(f"{SHORT[f]} {s:.2f}" for f, s in r.load_seconds.items()))
        for p in r.pairs:
            for kind, text_a, text_b in p.examples:
                out.append(f"  [{p.a} vs {p.b}] {kind}\n    A: {text_a[:300]!r}\n    B: {text_b[:300]!r}")
    out.append("\n== Summary per text")
    rows = []
    for r in results:
        worst_u = min(r.pairs, key=lambda p: p.unchanged_share, default=None)
        worst_s = min(r.pairs, key=lambda p: p.one_to_one_share, default=None)
        differ = sum(1 for t in r.terms if len({r.counts[f][t] for f in r.counts}) > 1)
        off = sum(1 for t in r.terms for f in r.counts if r.counts[f][t] != sum(r.independent[t].values()))
        rows.append(
            [
                r.name,
                f"{worst_u.unchanged_share:.1%} ({worst_u.a}/{worst_u.b})" if worst_u else "-",
                f"{worst_s.one_to_one_share:.1%} ({worst_s.a}/{worst_s.b})" if worst_s else "-",
                f"{sum(1 for p in r.pairs if p.sections_a != p.sections_b)}/{len(r.pairs)}",
                f"{differ}/{len(r.terms)}",
                f"{off}/{len(r.terms) * len(r.counts)}",
                len(r.errors),
            ]
        )
    out.append(
        _table(
            [
                "text",
                "min unchanged",
                "min 1:1 sections",
                "section counts differ",
                "terms differing across formats",
                "counts != independent",
                "not loaded",
            ],
            rows,
        )
    )
    out.append("\n== Per format pair: paragraph pairs unchanged / sections 1:1, per text")
    names = [r.name for r in results]
    pairs = {(p.a, p.b): {} for r in results for p in r.pairs}
    for r in results:
        for p in r.pairs:
            pairs[(p.a, p.b)][r.name] = f"{p.unchanged_share:.0%} / {p.one_to_one_share:.0%}"
    out.append(
        _table(
            ["format pair"] + names + ["min unchanged"],
            [
                [f"{SHORT[a]} vs {SHORT[b]}"]
                + [cells.get(n, "-") for n in names]
                + [f"{min(p.unchanged_share for r in results for p in r.pairs if (p.a, p.b) == (a, b)):.1%}"]
                for (a, b), cells in pairs.items()
            ],
        )
    )
    seconds = Counter()
    for r in results:
        seconds.update(r.load_seconds)
    out.append("\nLoad seconds per format, all texts: " + ", ".join(f"{SHORT[f]} {seconds[f]:.2f}" for f in formats))
    out.append(
        f"\nTargets: >= {TARGET_UNCHANGED:.0%} of paragraph pairs unchanged and "
        f"{TARGET_ONE_TO_ONE:.0%} of sections paired 1:1 for every text and format pair; every term count the "
        "same in every format and equal to the independent count."
    )
    missed = misses(results, formats)
    out.append(f"Targets: {'all met' if not missed else f'{len(missed)} missed'}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    names = list(model.manifest())
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", nargs="+", choices=names, default=names, metavar="NAME", help=", ".join(names))
    parser.add_argument(
        "--formats", nargs="+", choices=list(FORMATS), default=list(FORMATS), metavar="FORMAT", help=", ".join(FORMATS)
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--examples",
        type=int,
        default=0,
        metavar="N",
        help="print up to N paragraphs per format pair that did not come out unchanged",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args.texts, args.formats, Path(folder), args.examples)
    print(report(results, args.formats))
    print(f"({time.perf_counter() - started:.0f} s)")
    return 1 if args.check and misses(results, args.formats) else 0


if __name__ == "__main__":
    sys.exit(main())
