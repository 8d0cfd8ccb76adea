"""Check published claims about the editions: each claim in a TOML file gets a verdict and the
evidence behind it (`wtcompare check`).

A claims file holds ``[[claim]]`` tables (the format is in the README)::

    [[claim]]
    id = "wt2015-no-partnership"          # required, unique in the file
    statement = "The 2015 edition never uses the word partnership"   # required
    source = "Holt and Kelly (2018)"     # optional
    edition = "wt2015"                    # one edition, or editions = ["wt2010", "wt2013"]
    term = "partnership*"                 # or category = "...", measure = "words", chapter = "..."
    expect = "absent"                     # absent present rose fell unchanged removed kept

Verdicts are `HOLDS`, `FAILS` ("does not hold") and `UNCHECKED` ("cannot check": an edition's text
is not available or its id is unknown, the category or chapter is not found). A file that cannot be
read as claims (bad TOML, a missing or unknown field value, two claims with one id) is a
`UsageError` naming the file and line.

Figures come from the same stages as every other command, so a verdict can be re-derived from
`wtcompare scan`, `keyness` and `align` output:

* counts, tokens and rates from `wtcompare.scan.scan` (a ``term`` is an ad-hoc pattern, counted on
  its own as ``scan --term`` counts it; a ``category`` is the lexicon's, after its sense rules);
* p, Holm-adjusted p, log-likelihood and log ratio from `wtcompare.stats.keyness`. The Holm family
  of a category claim is the category table of its two editions (``keyness A B --by category``);
  of a term claim, the term table of its two editions holding the lexicon's terms and that claim's
  term alone (``keyness A B --term PATTERN``), so a claim's verdict never depends on what other
  claims the file holds;
* a chapter's retained share from `wtcompare.align.align_levels` (``align A B --level chapter
  --retention``).
"""

from __future__ import annotations

import difflib
import os
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NoReturn

import pandas as pd

from .align import Alignment, Unit, align_levels
from .errors import UsageError, WtcompareError
from .fileio import read_regular, tomllib
from .lexicon import ADHOC, Lexicon, compile_pattern
from .model import Document
from .output import provenance_line, records
from .provenance import file_option, provenance
from .registry import Registry
from .report import NavLink, render_page
from .report.build import edition_facts
from .report.structure import KEPT_SHARE
from .scan import ScanOptions, ScanResult, scan
from .stats import keyness, significant
from .text import canonical

HOLDS, FAILS, UNCHECKED = "holds", "does not hold", "cannot check"
EXPECTS = ("absent", "present", "rose", "fell", "unchanged", "removed", "kept")
ONE_EDITION = ("absent", "present")
COMPARISONS = ("rose", "fell", "unchanged")
CHAPTER_EXPECTS = ("removed", "kept")
TARGETS = ("term", "category", "measure", "chapter")  # what a claim counts: exactly one
FIELDS = (
    "id",
    "statement",
    "source",
    "note",
    "edition",
    "editions",
    *TARGETS,
    "expect",
    "at_least",
    "at_most",
    "significant",
    "threshold",
)
MEASURES = ("words",)
THRESHOLDS = {"removed": 0.10, "kept": KEPT_SHARE}  # share of a chapter's words found in the second edition
SET_ASIDE = ("excluded", "overlapped")  # matches of a category's terms that its rules or a longer match took away
BUNDLED = Path(__file__).resolve().parent / "claims" / "literature.toml"


@dataclass(frozen=True)
class Claim:
    """One published claim, as read from a claims file (``line``: where its table starts)."""

    id: str
    statement: str
    expect: str
    editions: tuple[str, ...]  # one edition, or two: from and to
    term: str | None = None
    category: str | None = None
    measure: str | None = None
    chapter: str | int | None = None
    source: str | None = None
    at_least: int | None = None
    at_most: int | None = None
    significant: bool = False
    threshold: float | None = None
    note: str | None = None
    line: int | None = None


# Reading a claims file -------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*claim\s*\]\]\s*(?:#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[\[?\s*[A-Za-z0-9_.\"' -]+\]\]?\s*(?:#.*)?$")


class _Where:
    """File and line of a claim's fields, for errors: tomllib gives values without positions, so
    the lines are found in the text, each claim's keys within its own table."""

    def __init__(self, name: str, lines: list[str], span: tuple[int, int], number: int):
        self.name, self.lines, self.span, self.number = name, lines, span, number

    @property
    def line(self) -> int:
        """The line where the claim starts: its ``[[claim]]`` header."""
        return self.span[0] + 1

    def at(self, key: str | None = None) -> str:
        """``file:line`` of ``key`` in this claim's table, else of the claim itself."""
        start, end = self.span
        if key is not None:
            pattern = re.compile(
                r"^\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\"|'" + re.escape(key) + r"')\s*="
            )
            for index in range(start, end):
                if pattern.match(self.lines[index]):
                    return f"{self.name}:{index + 1}"
        return f"{self.name}:{start + 1}"


def _claim_key(lines: list[str]) -> int:
    """The index of the line ``claim = ...``, or 0."""
    return next((k for k, line in enumerate(lines) if re.match(r"\s*claim\s*=", line)), 0)


def _spans(lines: list[str], count: int) -> list[tuple[int, int]]:
    """For each claim, the lines of its table: from its ``[[claim]]`` header to the next header.
    Claims written another way (``claim = [{...}]``) all point at the line that starts them."""
    starts = [k for k, line in enumerate(lines) if _HEADER.match(line)]
    if len(starts) != count:
        first = _claim_key(lines)
        return [(first, first + 1)] * count
    return [
        (start, next((k for k in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[k])), len(lines)))
        for start in starts
    ]


def load_claims(path: str | os.PathLike) -> list[Claim]:
    """Read and validate a claims file; any problem is a `UsageError` naming ``file:line``."""
    path = Path(path)
    # a regular file only, and bounded: a named pipe would block for ever, /dev/zero fill memory
    data = read_regular(path, what="claims file")
    try:
        return parse_claims(data.decode("utf-8"), str(path))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the claims file is not UTF-8 text") from None


def parse_claims(raw: str, name: str = "<claims>") -> list[Claim]:
    """Claims from the text of a claims file (``name`` is the file, for errors)."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise UsageError(f"{name}:{found.group(1) if found else 1}: invalid TOML: {message}") from None
    except RecursionError:  # the parser recurses once per level of nesting
        raise UsageError(f"{name}: invalid TOML: tables or arrays nested too deep to read") from None
    except ValueError:  # Python reads an integer of at most 4,300 digits from text
        raise UsageError(f"{name}: invalid TOML: an integer too long to read") from None
    lines = raw.splitlines()
    entries = data.get("claim")
    if entries is None:
        raise UsageError(f"{name}:1: no claims: a claims file holds [[claim]] tables (see the README)")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UsageError(f"{name}:{_claim_key(lines) + 1}: 'claim' must be an array of tables, each written [[claim]]")
    if not entries:
        raise UsageError(f"{name}:1: no claims: a claims file holds [[claim]] tables (see the README)")
    claims: list[Claim] = []
    first: dict[str, str] = {}
    for number, (entry, span) in enumerate(zip(entries, _spans(lines, len(entries)), strict=True), start=1):
        where = _Where(name, lines, span, number)
        claim = _claim(entry, where)
        if claim.id in first:
            raise UsageError(f"{where.at('id')}: claim id {claim.id!r} is used twice (first at {first[claim.id]})")
        first[claim.id] = where.at("id")
        claims.append(claim)
    return claims


def _claim(entry: dict, where: _Where) -> Claim:
    """One validated claim. Fields beyond the documented ones are allowed and ignored."""
    label = f"claim {where.number}"

    def fail(key: str | None, problem: str) -> NoReturn:
        raise UsageError(f"{where.at(key)}: {label}: {problem}")

    def text(key: str) -> str | None:
        value = entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            fail(key, f"'{key}' must be a non-empty string")
        return value

    def required(key: str) -> str:
        value = text(key)
        if value is None:
            fail(None, f"missing '{key}' (required)")
        return value

    def whole(key: str) -> int | None:
        value = entry.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            fail(key, f"'{key}' must be a whole number, 0 or more")
        return value

    claim_id = required("id")
    label = f"claim {claim_id!r}"  # from here on, errors name the claim by its id
    for key in entry:
        # other fields are welcome, but one that is a field misspelt would be ignored and change the verdict
        close = difflib.get_close_matches(key, FIELDS, n=1, cutoff=0.8)
        if key not in FIELDS and close:
            fail(key, f"unknown field {key!r}; did you mean {close[0]!r}? (rename a field of your own)")
    statement = required("statement")
    source, note = text("source"), text("note")
    expect = required("expect")
    if expect not in EXPECTS:
        fail("expect", f"expect {expect!r} is not one of {', '.join(EXPECTS)}")

    if ("edition" in entry) == ("editions" in entry):
        fail(None, 'give either edition = "ID" (one edition) or editions = ["FROM", "TO"] (two)')
    if "edition" in entry:
        editions: tuple[str, ...] = (required("edition"),)
    else:
        value = entry["editions"]
        if not isinstance(value, list) or len(value) != 2 or not all(isinstance(e, str) and e.strip() for e in value):
            fail("editions", "'editions' must be a list of two edition ids, from and to")
        if value[0] == value[1]:
            fail("editions", f"'editions' names {value[0]!r} twice; give two different editions")
        editions = tuple(value)

    given = [key for key in TARGETS if key in entry]
    if len(given) != 1:
        fail(
            given[1] if len(given) > 1 else None,
            ("give only one of " if given else "say what is counted: one of ")
            + ", ".join(TARGETS)
            + (f" (found {' and '.join(given)})" if given else ""),
        )
    target = given[0]
    term = text("term")
    if term is not None:
        try:
            compile_pattern(term)
        except ValueError as exc:
            fail("term", f"term {term!r}: {exc}")
    category = text("category")
    measure = text("measure")
    if measure is not None and measure not in MEASURES:
        fail("measure", f"measure {measure!r} is not one of {', '.join(MEASURES)}")
    chapter = entry.get("chapter")
    if chapter is not None and (
        isinstance(chapter, bool)
        or not isinstance(chapter, (str, int))
        or (isinstance(chapter, str) and not chapter.strip())
        or (isinstance(chapter, int) and chapter < 0)
    ):
        fail("chapter", "'chapter' must be a heading (a string) or a chapter number")

    if target == "chapter":
        if expect not in CHAPTER_EXPECTS or len(editions) != 2:
            fail(
                "chapter",
                f"a chapter claim compares two editions (editions = [FROM, TO]) and expects "
                f"{' or '.join(CHAPTER_EXPECTS)}",
            )
    elif expect in CHAPTER_EXPECTS:
        fail(
            "expect",
            f'expect {expect!r} is about a chapter: give chapter = "HEADING" or a number, with editions = [FROM, TO]',
        )
    elif len(editions) == 1 and expect not in ONE_EDITION:
        fail("expect", f"expect {expect!r} compares two editions: give editions = [FROM, TO]")
    elif len(editions) == 2 and expect not in COMPARISONS:
        fail("expect", f'expect {expect!r} is about one edition: give edition = "ID"')
    if target == "measure" and expect == "absent":
        fail("expect", 'an edition\'s length cannot be absent: use expect = "present" with at_least or at_most')

    at_least, at_most = whole("at_least"), whole("at_most")
    if (at_least is not None or at_most is not None) and expect != "present":
        fail("at_least" if at_least is not None else "at_most", 'at_least and at_most go with expect = "present"')
    if at_most is not None and at_most < max(1, at_least or 0):
        fail(
            "at_most",
            f'at_most = {at_most} can never hold with expect = "present"'
            + (f" and at_least = {at_least}" if at_least else "")
            + ('; to claim none, use expect = "absent"' if at_most == 0 else ""),
        )

    significant = entry.get("significant", False)
    if not isinstance(significant, bool):
        fail("significant", "'significant' must be true or false")
    if "significant" in entry and (expect not in ("rose", "fell") or target == "measure"):
        fail(
            "significant",
            'significant goes with expect = "rose" or "fell" of a term or category '
            "(unchanged already means not significant; a length is not tested)",
        )

    threshold = entry.get("threshold")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            fail("threshold", "'threshold' must be a share between 0 and 1 (0.1 is 10%)")
        if expect not in CHAPTER_EXPECTS:
            fail("threshold", 'threshold goes with expect = "removed" or "kept"')

    return Claim(
        claim_id,
        statement,
        expect,
        editions,
        term,
        category,
        measure,
        chapter,
        source,
        at_least,
        at_most,
        significant,
        None if threshold is None else float(threshold),
        note,
        where.line,
    )


# Checking --------------------------------------------------------------------------------------


@dataclass
class Checked:
    """The verdicts on a file of claims: ``claims`` as JSON-ready records (id, statement, source,
    verdict, reason, evidence ...), the documents read and what they were read with."""

    claims: list[dict]
    documents: list[Document]
    lexicon: Lexicon
    path: Path
    tokens: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # edition id -> why it cannot be read
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every claim holds, 1 when any does not hold, 3 when none fails but some cannot be checked."""
        verdicts = {c["verdict"] for c in self.claims}
        return 1 if FAILS in verdicts else 3 if UNCHECKED in verdicts else 0

    def provenance(self) -> dict:
        return provenance(
            self.documents,
            self.lexicon,
            {"claims": file_option(self.path), "counted": ScanOptions().describe()},
            "check",
        )

    def summary(self) -> str:
        counts = {v: sum(c["verdict"] == v for c in self.claims) for v in (HOLDS, FAILS, UNCHECKED)}
        total = len(self.claims)
        return (
            f"{self.path.name}: {total} claim{'s' if total != 1 else ''}: {counts[HOLDS]} "
            f"{'holds' if counts[HOLDS] == 1 else 'hold'}, {counts[FAILS]} "
            f"{'does' if counts[FAILS] == 1 else 'do'} not hold, {counts[UNCHECKED]} cannot be checked"
        )

    def fictional(self) -> list[str]:
        return [d.edition.id for d in self.documents if d.edition and d.edition.fictional]


def check(
    claims: list[Claim],
    registry: Registry,
    lexicon: Lexicon,
    path: str | os.PathLike,
    reports: str | os.PathLike = "reports",
) -> Checked:
    """Give each claim its verdict. ``path`` is the claims file (for provenance); evidence links
    point into pair reports found at their default paths in ``reports``."""
    context = _Context(claims, registry, lexicon, Path(reports))
    results = []
    for claim in claims:
        verdict, reason, evidence = context.judge(claim)
        results.append(
            {
                "id": claim.id,
                "anchor": claim_anchor(claim.id),
                "statement": claim.statement,
                "source": claim.source,
                "expect": claim.expect,
                "at_least": claim.at_least,
                "at_most": claim.at_most,
                "significant": claim.significant,
                "note": claim.note,
                "line": claim.line,
                "verdict": verdict,
                "reason": reason,
                "evidence": evidence,
            }
        )
    return Checked(
        results, context.documents, context.lexicon, Path(path), context.tokens, context.problems, context.warnings
    )


_ANCHOR_KEPT = re.compile(r"[A-Za-z0-9._-]")


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's verdict in the HTML page, ``claim-<id>``: taken from the claim's own id, so
    a citation of it still points at that claim when the file is reordered or grows. Letters,
    digits, ``.``, ``_`` and ``-`` are kept and every other character is written as ``~`` and its
    UTF-8 bytes in hex, so the anchor is safe in a URL and an HTML attribute as it stands, and two
    ids (unique in the file) never share one."""
    return "claim-" + "".join(
        c if _ANCHOR_KEPT.fullmatch(c) else "".join(f"~{b:02x}" for b in c.encode("utf-8")) for c in claim_id
    )


class _Context:
    """What the claims of one file share: the editions read once, one scan of all of them with every
    claim's term, and alignments and keyness tables computed once per pair."""

    def __init__(self, claims: list[Claim], registry: Registry, lexicon: Lexicon, reports: Path):
        self.registry, self.reports = registry, reports
        self.problems: dict[str, str] = {}
        self.warnings: list[str] = []
        loaded: dict[str, Document] = {}

        def taken(document: Document) -> None:
            loaded[document.edition_id] = document
            self.warnings.extend(document.warnings)

        def failed(edition_id: str, error: WtcompareError) -> None:
            self.problems[edition_id] = str(error)  # inside a claims file an edition that cannot be read is a verdict

        # side by side where that pays (`Registry.load_many`: PDFs in workers)
        registry.load_many(list(dict.fromkeys(e for c in claims for e in c.editions)), each=taken, failed=failed)
        self.documents = sorted(loaded.values(), key=lambda d: registry.chronological(d.registered()))
        self.loaded = loaded
        terms = list(dict.fromkeys(c.term for c in claims if c.term and all(e in loaded for e in c.editions)))
        self.result: ScanResult | None = scan(self.documents, lexicon, terms) if self.documents else None
        self.lexicon = self.result.lexicon if self.result is not None else lexicon
        self.tokens = (
            {r["edition"]: int(r["tokens"]) for r in self.result.rows.to_dict("records")}
            if self.result is not None
            else {}
        )
        self.categories = self.result.categories() if self.result is not None else None
        self._keyness: dict[tuple[str, str, str | None], pd.DataFrame] = {}  # (a, b, term or None)
        self._alignments: dict[tuple[str, str], Alignment] = {}
        self._reports: dict[Path, str] = {}

    @property
    def scanned(self) -> ScanResult:
        """The scan of the editions read. A claim is counted only when its editions were read, so
        there was one."""
        if self.result is None:
            raise ValueError("no edition was read, so nothing was scanned")
        return self.result

    # verdicts ----------------------------------------------------------------------------------

    def judge(self, claim: Claim) -> tuple[str, str, dict]:
        evidence: dict = {"editions": list(claim.editions)}
        missing = [e for e in claim.editions if e in self.problems]
        if missing:
            return UNCHECKED, "; ".join(self.problems[e] for e in missing), evidence
        if claim.category is not None and claim.category not in [c.id for c in self.lexicon.categories]:
            known = ", ".join(c.id for c in self.lexicon.categories)
            return (
                UNCHECKED,
                (
                    f"lexicon {self.lexicon.id} {self.lexicon.version} has no category "
                    f"{claim.category!r}; its categories are {known}"
                ),
                evidence,
            )
        if claim.measure is None:  # a length has no place in the text to link to
            evidence["report"] = self.report(claim.editions)
        if claim.chapter is not None:
            return self.chapter(claim, evidence)
        if claim.measure is not None:
            return self.length(claim, evidence)
        return self.count(claim, evidence)

    def count(self, claim: Claim, evidence: dict) -> tuple[str, str, dict]:
        """absent, present, rose, fell, unchanged: of a term or a category."""
        counts = [self.count_in(claim, e) for e in claim.editions]
        what = self.describe(claim)
        evidence.update(counted=what, counts=counts, uncertain=self.uncertain(claim, evidence.get("report")))
        uncertain_note = self.uncertain_note(evidence["uncertain"])
        if claim.expect in ONE_EDITION:
            (edition, count, tokens) = (counts[0][k] for k in ("edition", "count", "tokens"))
            evidence["occurrences"] = self.occurrences(claim, "counted", evidence["report"])
            if claim.category is not None:
                evidence["set_aside"] = self.occurrences(claim, "set aside", evidence["report"])
            found = f"{what}: {_times(count, 'occurrence')} in {edition} ({tokens:,} words{_rate(counts[0])})"
            if claim.expect == "absent":
                verdict = HOLDS if count == 0 else FAILS
            else:
                verdict, found = self.bounded(claim, count, found)
            reason = found + self.set_aside_note(evidence.get("set_aside")) + uncertain_note
            return verdict, reason, evidence
        a, b = claim.editions
        stats = self.keyness(claim, a, b)
        evidence["keyness"] = stats
        family = _family(stats["holm_family"])
        move = _movement(counts, stats)
        changed = significant(stats["p_holm"])
        if claim.expect == "unchanged":
            verdict = FAILS if changed else HOLDS
            head = (
                "a significant change after Holm's correction"
                if changed
                else "no significant change after Holm's correction"
            )
            return verdict, f"{what}: {head}, {move} ({family})" + uncertain_note, evidence
        rose = counts[1]["per_10k"] > counts[0]["per_10k"]
        fell = counts[1]["per_10k"] < counts[0]["per_10k"]
        verb = "rose" if rose else "fell" if fell else "stayed the same"
        if not (rose if claim.expect == "rose" else fell):
            verdict, head = FAILS, f"{verb}, so did not {'rise' if claim.expect == 'rose' else 'fall'}"
        elif claim.significant and not changed:
            verdict, head = FAILS, f"{verb}, but not significantly after Holm's correction"
        else:
            verdict, head = HOLDS, verb + (", significantly after Holm's correction" if changed else "")
        return verdict, f"{what} {head}: {move} ({family})" + uncertain_note, evidence

    def bounded(self, claim: Claim, count: int, found: str) -> tuple[str, str]:
        """present: at least one, and within at_least and at_most when given."""
        low = max(1, claim.at_least or 0)
        if count < low:
            return FAILS, found + (f", fewer than the {low:,} claimed" if low > 1 else "")
        if claim.at_most is not None and count > claim.at_most:
            return FAILS, found + f", more than the {claim.at_most:,} claimed at most"
        bounds = [
            f"at least {claim.at_least:,}" if claim.at_least else "",
            f"at most {claim.at_most:,}" if claim.at_most is not None else "",
        ]
        bounds = [b for b in bounds if b]
        return HOLDS, found + (f" ({' and '.join(bounds)} claimed)" if bounds else "")

    def length(self, claim: Claim, evidence: dict) -> tuple[str, str, dict]:
        """measure = "words": the token count that every rate divides by."""
        lengths = [self.tokens[e] for e in claim.editions]
        words = [{"edition": e, "words": n} for e, n in zip(claim.editions, lengths, strict=True)]
        evidence.update(counted="length in words (tokens, the denominator of every rate)", counts=words)
        if claim.expect == "present":
            verdict, reason = self.bounded(claim, lengths[0], f"{claim.editions[0]} has {lengths[0]:,} words")
            return verdict, reason, evidence
        before, after = lengths[0], lengths[1]
        change = _signed_share((after - before) / before) if before else "from none"
        move = f"from {before:,} words in {claim.editions[0]} to {after:,} in {claim.editions[1]} ({change})"
        holds = {"rose": after > before, "fell": after < before, "unchanged": after == before}[claim.expect]
        return (HOLDS if holds else FAILS), f"the length went {move}", evidence

    def chapter(self, claim: Claim, evidence: dict) -> tuple[str, str, dict]:
        """removed or kept: the share of a chapter of the first edition whose words are found in the second."""
        assert claim.chapter is not None, "judge gives only chapter claims to chapter"
        a, b = claim.editions
        alignment = self.alignment(a, b)
        found = _find_chapter(alignment.units_a.values(), claim.chapter)
        if len(found) != 1:
            headings = "; ".join(f"{u.id} {u.heading!r}" for u in alignment.units_a.values())
            problem = "matches more than one chapter" if found else "is not a chapter"
            return UNCHECKED, f"{claim.chapter!r} {problem} of {a}; its chapters are: {headings}", evidence
        unit = found[0]
        if not unit.words:  # a share of no words would make "removed" hold, and "kept" fail, of nothing
            return (
                UNCHECKED,
                f"chapter {unit.id} {unit.heading!r} of {a} has no text of its own to look for in {b}",
                evidence,
            )
        row = alignment.retention().query("side == 'a' and unit == @unit.id").iloc[0]
        pair = next(p for p in alignment.pairs if unit.id in p.a)
        threshold = claim.threshold if claim.threshold is not None else THRESHOLDS[claim.expect]
        anchor = f"{a}-{unit.id.replace('/', '-')}"
        evidence.update(
            counted=f"chapter {unit.id} of {a}",
            threshold=threshold,
            chapter={
                "id": unit.id,
                "number": unit.number,
                "heading": unit.heading,
                "words": int(row["words"]),
                "shared": int(row["shared"]),
                "share": float(row["share"]),
                "links": row["links"],
                "kind": pair.kind,
                "counterpart": list(pair.b),
                "anchor": anchor,
                "link": self.link(evidence["report"], anchor),
            },
        )
        share = float(row["share"])
        holds = share <= threshold if claim.expect == "removed" else share >= threshold
        where = f" (in {row['links']})" if row["links"] else ""
        share_shown, threshold_shown = _compared_shares(share, threshold)
        kept = (
            f"{int(row['shared']):,} of its {int(row['words']):,} words ({share_shown}) are found in {b}{where}; "
            f"{claim.expect} means {'at most' if claim.expect == 'removed' else 'at least'} {threshold_shown}"
        )
        return (HOLDS if holds else FAILS), f"chapter {unit.id} {unit.heading!r} of {a}: {kept}", evidence

    # figures -----------------------------------------------------------------------------------

    def describe(self, claim: Claim) -> str:
        if claim.term is not None:
            return f"the term {claim.term!r}"
        return f"the category {self.lexicon.category(_category(claim)).label!r} ({claim.category})"

    def count_in(self, claim: Claim, edition: str) -> dict:
        if claim.term is not None:
            rows = self.scanned.rows
            row = rows[(rows["edition"] == edition) & (rows["category"] == ADHOC) & (rows["term"] == claim.term)]
        else:
            assert self.categories is not None, "made with the scan, which a counted claim's editions had"
            table = self.categories
            row = table[(table["edition"] == edition) & (table["category"] == claim.category)]
        row = row.iloc[0]
        return {
            "edition": edition,
            "count": int(row["count"]),
            "tokens": int(row["tokens"]),
            "per_10k": float(row["per_10k"]),
        }

    def mine(self, claim: Claim) -> pd.DataFrame:
        """Every match (counted or not) of the claim's term or category in its editions."""
        kwic = self.scanned.kwic
        chosen = kwic["edition"].isin(claim.editions)
        if claim.term is not None:
            chosen &= (kwic["category"] == ADHOC) & (kwic["term"] == claim.term)
        else:
            chosen &= kwic["category"] == claim.category
        return kwic[chosen]

    def occurrences(self, claim: Claim, which: str, report: str | None) -> list[dict]:
        """Counted occurrences, or those set aside (excluded by a rule or by a longer match), each
        with a link into the pair report when it has the paragraph."""
        if which == "counted":
            found = self.mine(claim)
            found = found[found["status"] == "counted"]
        else:
            found = self.set_aside(claim)
        return [dict(row, link=self.link(report, row["anchor"])) for row in records(_shown(found))]

    def set_aside(self, claim: Claim) -> pd.DataFrame:
        """Of a category: the matches of its terms that its rules or a longer match took away, and
        the occurrences of its ambiguous words read in another sense (counted in another category,
        or set aside as a person): "never used" may mean the word is there in another sense."""
        kwic = self.scanned.kwic
        mine = self.mine(claim)
        families = {f.id for f in self.lexicon.families if f.sense_of(_category(claim)) is not None}
        listed_under = {t.id for t in self.lexicon.terms if t.sense_of in families}
        lexicon_rows = kwic["category"] != ADHOC  # other claims' --term patterns are scanned too
        elsewhere = kwic[
            lexicon_rows
            & kwic["edition"].isin(claim.editions)
            & kwic["term"].isin(listed_under)
            & (kwic["category"] != claim.category)
        ]
        rows = [i for i, row in elsewhere.iterrows() if row["status"] != "overlapped"]
        # read in another sense and lost to a longer match of that sense ("partners" inside
        # "safeguarding partners"): the longer match, counted, stands for the occurrence
        counted = kwic[lexicon_rows & (kwic["status"] == "counted")]
        for _, row in elsewhere[elsewhere["status"] == "overlapped"].iterrows():
            longer = counted[
                (counted["edition"] == row["edition"])
                & (counted["unit"] == row["unit"])
                & (counted["heading"] == row["heading"])
                & (counted["footnote"] == row["footnote"])
                & (counted["start"] <= row["start"])
                & (counted["end"] >= row["end"])
            ]
            rows += [i for i in longer.index if longer.at[i, "category"] != claim.category]
        found = pd.concat([mine[mine["status"].isin(SET_ASIDE)], kwic.loc[sorted(set(rows))]])
        return found[~found.index.duplicated()].sort_index()

    def uncertain(self, claim: Claim, report: str | None) -> list[dict]:
        """The claim's occurrences whose sense the scan marks uncertain, counted or set aside, each
        with its link as `occurrences` gives it."""
        found = self.mine(claim)
        flagged = found[found["uncertain"]]
        return [dict(row, link=self.link(report, row["anchor"])) for row in records(_shown(flagged))]

    @staticmethod
    def uncertain_note(uncertain: list[dict]) -> str:
        if not uncertain:
            return ""
        counted = sum(1 for u in uncertain if u["status"] == "counted")
        return (
            f"; {_times(len(uncertain), 'occurrence')} of an uncertain sense ({counted:,} counted, "
            f"{len(uncertain) - counted:,} set aside), listed for checking"
        )

    @staticmethod
    def set_aside_note(set_aside: list[dict] | None) -> str:
        if set_aside is None:
            return ""
        if not set_aside:
            return "; no occurrence of its words was set aside"
        return (
            f"; {_times(len(set_aside), 'occurrence')} of its words {'was' if len(set_aside) == 1 else 'were'} "
            "read in another sense or set aside by a rule or a longer match, each listed with its sense or rule"
        )

    def keyness(self, claim: Claim, a: str, b: str) -> dict:
        """The claim's row of the keyness table of a and b, with its Holm family: the table, how many
        tests it holds, and the command that prints it."""
        key: tuple[str, str, str | None]
        if claim.category is not None:
            key = (a, b, None)
            if key not in self._keyness:
                self._keyness[key] = keyness(self.scanned, a, b, by="category")
            table = self._keyness[key]
            row = table[table["category"] == claim.category].iloc[0]
            command = f"wtcompare keyness {a} {b} --by category"
        else:
            term = _term(claim)
            key = (a, b, term)
            if key not in self._keyness:
                rows = self.scanned.rows
                own = rows[(rows["category"] != ADHOC) | (rows["term"] == term)]
                # the lexicon's terms and this claim's term alone: other claims' terms stay out of its family
                self._keyness[key] = keyness(replace(self.scanned, rows=own), a, b, by="term")
            table = self._keyness[key]
            row = table[(table["category"] == ADHOC) & (table["term"] == term)].iloc[0]
            command = f"wtcompare keyness {a} {b} --term {_quoted(term)}"
        stats = records(row.to_frame().T)[0]
        return {
            **{k: stats[k] for k in ("g2", "p", "p_holm", "log_ratio", "log_ratio_low", "log_ratio_high")},
            "holm_family": {
                "table": "category" if claim.category is not None else "term",
                "tests": int(table["p"].notna().sum()),
                "editions": [a, b],
                "command": command,
            },
        }

    def alignment(self, a: str, b: str) -> Alignment:
        if (a, b) not in self._alignments:
            self._alignments[(a, b)] = align_levels(self.loaded[a], self.loaded[b], levels=("chapter",))["chapter"]
        return self._alignments[(a, b)]

    # links into pair reports -------------------------------------------------------------------

    def report(self, editions: tuple[str, ...]) -> str | None:
        """The pair report at its default path (``reports/A-vs-B.html``) that shows these editions as
        read now (it holds their SHA-256), or None. For one edition, the first report pairing it with
        another edition, in publication order."""
        if len(editions) == 2:
            a, b = editions
            candidates = [(a, b), (b, a)]
        else:
            (only,) = editions
            others = [e.id for e in self.registry.editions() if e.id != only]
            candidates = [pair for other in others for pair in ((only, other), (other, only))]
        digests = [self.loaded[e].registered().sha256 for e in editions]
        for a, b in candidates:
            path = self.reports / f"{a}-vs-{b}.html"
            text = self.report_text(path)
            if text and all(d and d in text for d in digests):
                return path.as_posix()
        return None

    def report_text(self, path: Path) -> str:
        if path not in self._reports:
            try:
                self._reports[path] = path.read_text(encoding="utf-8") if path.is_file() else ""
            except (OSError, UnicodeDecodeError):  # not a report we can read: link nothing
                self._reports[path] = ""
        return self._reports[path]

    def link(self, report: str | None, anchor: str) -> str | None:
        """``report#anchor`` when the report has that anchor, else None (the paragraph id and page
        are in the evidence)."""
        if report and f'id="{anchor}"' in self.report_text(Path(report)):
            return f"{report}#{anchor}"
        return None


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """KWIC rows as evidence: every column the scan gives (senses included when it marks them),
    without the character offsets inside the paragraph."""
    return frame.drop(columns=[c for c in ("start", "end") if c in frame.columns])


def _category(claim: Claim) -> str:
    """The category a claim counts, where it counts one: a claim that counts (not a length, not a
    chapter) counts a term or a category, and this is asked only where it has no term."""
    if claim.category is None:
        raise ValueError(f"claim {claim.id!r} counts no category")
    return claim.category


def _term(claim: Claim) -> str:
    """The term a claim counts, where it counts one (see `_category`)."""
    if claim.term is None:
        raise ValueError(f"claim {claim.id!r} counts no term")
    return claim.term


def _find_chapter(units: Iterable[Unit], chapter: str | int) -> list[Unit]:
    """Chapters of the first edition named by ``chapter``: its id as `sections` lists it (``"ch4"``,
    ``"ch1-3"``), a number (``4``, ``"4"``, ``"ch4"``) or a heading, compared without case,
    typography, a leading "Chapter 4:" or number, and punctuation."""
    units = list(units)
    wanted = str(chapter).strip()
    exact = [u for u in units if u.id == wanted]
    if exact:
        # ids are unique, so "ch1" is one chapter among five numbered 1; but a name that is also
        # other chapters' heading ("glossary", the id of the first of two "Glossary" chapters) is
        # not taken for the one whose id it happens to be
        others = [u for u in units if u is not exact[0] and _heading_key(u.heading) == _heading_key(wanted)]
        return exact + others
    number = re.fullmatch(r"(?:ch(?:apter)?\s*)?(\d+)\.?", wanted, re.I)
    if number:
        found = [u for u in units if (u.number or "").rstrip(".") == number.group(1) or u.id == f"ch{number.group(1)}"]
        if found:
            return found
    key = _heading_key(wanted)
    return [u for u in units if _heading_key(u.heading) == key]


def _compared_shares(share: float, threshold: float) -> tuple[str, str]:
    """A share and the threshold it is judged by, as percentages with the fewest decimals (one at
    least) that show them in the order they stand: "13.877%" against "13.876967%", not 13.9% against
    14%, which reads as the opposite verdict."""
    for decimals in range(1, 10):
        shown = round(share * 100, decimals), round(threshold * 100, decimals)
        if (shown[0] > shown[1]) - (shown[0] < shown[1]) == (share > threshold) - (share < threshold):
            break
    return f"{share:.{decimals}%}", f"{threshold:.{decimals}%}"


def _signed_share(change: float) -> str:
    """A relative change as a signed percentage with one decimal, or as many as it takes not to
    show a change as none ("-0.03%", not "-0.0%")."""
    decimals = 1
    while change and round(change * 100, decimals) == 0 and decimals < 9:
        decimals += 1
    return f"{change:+.{decimals}%}"


def _heading_key(heading: str) -> str:
    text = canonical(heading).casefold()
    text = re.sub(r"^(?:chapter|part|annex|appendix|section)\s+[\w.]+\s*[:.\-]?\s*", "", text)
    text = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", text)
    return " ".join(re.findall(r"[^\W_]+", text))


def _times(count: int, noun: str = "time") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _rate(count: dict) -> str:
    return f"; {count['per_10k']:.1f} per 10,000" if count["count"] else ""


def _p(p: float | None) -> str:
    return "not tested" if p is None else "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _movement(counts: list[dict], stats: dict) -> str:
    """Both rates with the counts and tokens behind them, then the test and the effect size."""
    first, second = counts
    rates = (
        f"from {first['per_10k']:.1f} per 10,000 words in {first['edition']} ({first['count']:,} in "
        f"{first['tokens']:,}) to {second['per_10k']:.1f} in {second['edition']} ({second['count']:,} in "
        f"{second['tokens']:,})"
    )
    if stats["p"] is None:
        return rates + "; found in neither edition, so not tested"
    return (
        f"{rates}; log-likelihood {stats['g2']:.2f}, {_p(stats['p'])}, Holm-adjusted {_p(stats['p_holm'])}; "
        f"log ratio {_signed(stats['log_ratio'])} (95% CI {_signed(stats['log_ratio_low'])} to "
        f"{_signed(stats['log_ratio_high'])})"
    )


def _family(family: dict) -> str:
    """A Holm family in words, for a reason."""
    a, b = family["editions"]
    what = "categories" if family["table"] == "category" else "terms (the lexicon's and this claim's)"
    return f"Holm family: the {family['tests']} {what} tested between {a} and {b}, as '{family['command']}'"


def _quoted(pattern: str) -> str:
    return "'" + pattern.replace("'", "'\\''") + "'"


# Output ----------------------------------------------------------------------------------------

REASON_WIDTH = 78


def table(checked: Checked) -> str:
    """The terminal table: a summary line, one row per claim (id, verdict, reason wrapped), and the
    provenance line."""
    id_width = max([len("id")] + [len(c["id"]) for c in checked.claims])
    verdict_width = max(len(v) for v in (HOLDS, FAILS, UNCHECKED))
    lines = [checked.summary()]
    fictional = checked.fictional()
    if fictional:
        lines.append(
            f"fictional sample: {', '.join(fictional)} {'is' if len(fictional) == 1 else 'are'} "
            "invented text, not statutory guidance"
        )
    lines += [
        "",
        f"{'id':<{id_width}}  {'verdict':<{verdict_width}}  reason",
        f"{'-' * id_width}  {'-' * verdict_width}  {'-' * REASON_WIDTH}",
    ]
    indent = " " * (id_width + verdict_width + 4)
    for claim in checked.claims:
        wrapped = textwrap.wrap(claim["reason"], REASON_WIDTH, break_long_words=False, break_on_hyphens=False)
        lines.append(f"{claim['id']:<{id_width}}  {claim['verdict']:<{verdict_width}}  {wrapped[0]}")
        lines += [indent + rest for rest in wrapped[1:]]
    lines += ["", provenance_line(checked.provenance())]
    return "\n".join(lines) + "\n"


def payload(checked: Checked) -> dict:
    """The JSON body: ``claims`` (id, anchor, statement, source, verdict, reason, evidence, and the
    claim's expect, note and line); the output module adds the provenance."""
    return {"claims": checked.claims}


def frame(checked: Checked) -> pd.DataFrame:
    return pd.DataFrame(
        [{k: c[k] for k in ("id", "verdict", "reason")} for c in checked.claims], columns=["id", "verdict", "reason"]
    )


def html(
    checked: Checked,
    date: str | None,
    target: str | os.PathLike,
    nav: Sequence[NavLink] = (),
    root: str | os.PathLike | None = None,
) -> str:
    """The self-contained HTML page (written to ``target``; links into pair reports are made
    relative to it). ``nav``: a site's navigation bar; ``root``: the site's folder, which the page
    names the pair reports from (``pairs/A-vs-B.html``), never a folder of this machine."""
    folder = os.path.abspath(os.path.dirname(os.path.abspath(target)))

    def href(link: str) -> str:  # links are relative to the working folder; the page may be elsewhere
        path, hash_, anchor = link.partition("#")
        return Path(os.path.relpath(os.path.abspath(path), folder)).as_posix() + hash_ + anchor

    def shown(path: str) -> str:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix() if root else path

    editions = [edition_facts(d, checked.tokens[d.registered().id]) for d in checked.documents]
    claims_file = file_option(checked.path)
    return render_page(
        "check.html.j2",
        date,
        checked.lexicon.categories,
        nav,
        claims=checked.claims,
        editions=editions,
        unavailable=checked.unavailable,
        summary=checked.summary(),
        counts={v: sum(c["verdict"] == v for c in checked.claims) for v in (HOLDS, FAILS, UNCHECKED)},
        verdicts={"holds": HOLDS, "fails": FAILS, "unchecked": UNCHECKED},
        claims_file=claims_file,
        lexicon=checked.lexicon,
        href=href,
        shown=shown,
        thresholds=THRESHOLDS,
        counting=ScanOptions().sentence(),
        warnings=checked.warnings,
    )
