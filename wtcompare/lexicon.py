"""Lexicons: categories of terms to count, with patterns and context (sense) rules.

A lexicon is a TOML file::

    [lexicon]
    id = "my-lexicon"
    version = "1.0.0"

    [[category]]
    id = "partnership_with_families"
    label = "Partnership with families"
    colour = "#1b9e77"

    [[category.term]]
    id = "partner (with families)"
    patterns = ["partner*"]
    basis = "why the term is here"
    rules = [
      { action = "exclude", words = ["safeguarding"], before = 2, note = "safeguarding partners are agencies" },
      { action = "require", words = ["parent*", "famil*"], before = 5, after = 5 },
    ]

Pattern syntax (matched against lowercased tokens, see `wtcompare.scan.tokenize`): words separated
by spaces form a phrase; a trailing ``*`` matches any ending (``partner*``); ``(a|b)`` is a choice
of words; a group followed by ``?`` is optional (``work* (closely)? with famil*``).
A rule ``exclude`` drops a match when any of ``words`` occurs within ``before`` tokens before it or
``after`` tokens after it (in the same paragraph); ``require`` drops it unless one does.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TypedDict

from .errors import WtcompareError
from .fileio import parse_toml, read_text

COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
WORD_PATTERN = re.compile(r"^[^\s()|?*]+\*?$")
ADHOC = "adhoc"


def compile_word(word: str) -> str:
    """Regex for one token pattern; tokens never contain spaces, so ``\\S*`` ends at the token."""
    if not WORD_PATTERN.match(word):
        raise ValueError(f"bad word {word!r}")
    stem = word[:-1] if word.endswith("*") else word
    return re.escape(stem.lower().replace("\u2019", "'")) + (r"\S*" if word.endswith("*") else "")


def compile_pattern(pattern: str) -> re.Pattern:
    """Compile a term pattern to a regex over tokens joined by single spaces."""
    text = pattern.strip()
    if not text:
        raise ValueError("empty pattern")
    parts: list[str] = []
    position = 0
    item = re.compile(r"\s*(?:\(([^()]*)\)(\?)?|([^\s()]+))")
    while position < len(text):
        match = item.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read pattern {pattern!r} at character {position + 1}")
        position = match.end()
        group, optional, word = match.groups()
        if word is not None:
            if "|" in word or "?" in word:
                raise ValueError(f"choices and optional words need brackets in {pattern!r}")
            parts.append((compile_word(word) + " ", False))
        else:
            choices = [c.strip() for c in group.split("|")]
            if not all(choices):
                raise ValueError(f"empty choice in {pattern!r}")
            alternatives = ["".join(compile_word(w) + " " for w in c.split()) for c in choices]
            parts.append(("(?:" + "|".join(alternatives) + ")", bool(optional)))
    if all(optional for _, optional in parts):
        raise ValueError(f"pattern {pattern!r} has only optional parts")
    body = "".join(f"(?:{p})?" if optional else p for p, optional in parts)
    # Tokens are joined as " tok tok tok ": a match starts after a space and takes the space that ends
    # its last token, so its end is the start of the next token.
    return re.compile(r"(?<= )" + body)


def start_words(pattern: str) -> re.Pattern:
    """A regex matching, as a whole, any token that can begin a match of ``pattern``: the scanner
    tries the pattern only where such a token stands instead of along the whole text."""
    words: list[str] = []
    for group, optional, word in re.findall(r"\(([^()]*)\)(\?)?|([^\s()]+)", pattern.strip()):
        if word:
            words.append(word)
            break
        words.extend(choice.split()[0] for choice in group.split("|") if choice.split())
        if not optional:
            break
    return re.compile("(?:" + "|".join(compile_word(w) for w in words) + r")\Z")


@dataclass(frozen=True)
class Rule:
    """A context rule: ``exclude`` or ``require`` one of ``words`` within a token window."""

    action: str
    words: tuple[str, ...]
    before: int = 0
    after: int = 0
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regexes", [re.compile(compile_word(w) + r"\Z") for w in self.words])

    def found(self, tokens: list[str], start: int, end: int) -> bool:
        window = tokens[max(0, start - self.before):start] + tokens[end:end + self.after]
        return any(r.match(tok) for tok in window for r in self._regexes)

    def describe(self) -> str:
        sides = []
        if self.before:
            sides.append(f"{self.before} before")
        if self.after:
            sides.append(f"{self.after} after")
        return f"{self.action} if {'/'.join(self.words)} within {' or '.join(sides)}"


@dataclass(frozen=True)
class Term:
    id: str
    category: str
    patterns: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    basis: str = ""
    order: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regexes", [compile_pattern(p) for p in self.patterns])
        object.__setattr__(self, "_starts", [start_words(p) for p in self.patterns])

    @property
    def regexes(self) -> list[re.Pattern]:
        return self._regexes

    @property
    def starts(self) -> list[re.Pattern]:
        """For each pattern, which tokens can begin a match (see `start_words`)."""
        return self._starts

    def rejected_by(self, tokens: list[str], start: int, end: int) -> Rule | None:
        """The first rule that rejects the match of tokens[start:end], or None if it counts."""
        for rule in self.rules:
            found = rule.found(tokens, start, end)
            if (rule.action == "exclude" and found) or (rule.action == "require" and not found):
                return rule
        return None


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str = ""
    colour: str = "#888888"


@dataclass
class Lexicon:
    """Categories and terms, in file order (which breaks ties between overlapping matches)."""

    id: str
    version: str
    categories: list[Category]
    terms: list[Term]
    sha256: str = ""
    path: str = ""
    adhoc: list[Term] = field(default_factory=list)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        if category_id == ADHOC:
            return Category(ADHOC, "Ad-hoc terms", "Terms given with --term", "#555555")
        raise KeyError(category_id)

    def with_terms(self, patterns: list[str]) -> "Lexicon":
        """A copy with ad-hoc terms (``--term``), counted on their own, outside overlap resolution."""
        extra = []
        for n, pattern in enumerate(patterns):
            try:
                extra.append(Term(pattern, ADHOC, (pattern,), order=len(self.terms) + n))
            except ValueError as exc:
                raise WtcompareError(f"--term {pattern!r}: {exc}") from None
        return Lexicon(self.id, self.version, self.categories, self.terms, self.sha256, self.path, self.adhoc + extra)


def _line_of(raw: str, needle: str) -> str:
    index = raw.find(needle)
    return f":{raw.count(chr(10), 0, index) + 1}" if index >= 0 else ""


class _RuleFile(TypedDict, total=False):
    action: str
    words: list[str]
    before: int
    after: int
    note: str


class _TermFile(TypedDict, total=False):
    id: str
    pattern: str
    patterns: list[str]
    basis: str
    rules: list[_RuleFile]


class _CategoryFile(TypedDict, total=False):
    id: str
    label: str
    description: str
    colour: str
    term: list[_TermFile]


class _MetaFile(TypedDict, total=False):
    id: str
    version: str | int | float
    title: str


class _LexiconFile(TypedDict, total=False):
    """The types a lexicon file's values must have (which are required is checked as it is read)."""

    lexicon: _MetaFile
    category: list[_CategoryFile]


def parse_lexicon(raw: str, path: str = "<lexicon>") -> Lexicon:
    """Parse and validate lexicon TOML text; errors name the file and, where found, the line."""
    data = parse_toml(raw, path, "lexicon", _LexiconFile)
    meta = data.get("lexicon", {})
    if not isinstance(meta, dict) or not meta.get("id") or not meta.get("version"):
        raise WtcompareError(f"{path}: needs a [lexicon] table with id and version")
    categories: list[Category] = []
    terms: list[Term] = []
    for cat in data.get("category", []):
        cid = cat.get("id")
        if not cid or not isinstance(cid, str):
            raise WtcompareError(f"{path}: a [[category]] has no id")
        if any(c.id == cid for c in categories):
            raise WtcompareError(f"{path}{_line_of(raw, repr(cid)[1:-1])}: category {cid!r} is listed twice")
        colour = cat.get("colour", "#888888")
        if not isinstance(colour, str) or not COLOUR.match(colour):
            raise WtcompareError(f"{path}{_line_of(raw, str(colour))}: category {cid!r}: colour must be like #1b7f5f")
        categories.append(Category(cid, cat.get("label", cid), cat.get("description", ""), colour))
        for term in cat.get("term", []):
            patterns = term.get("patterns") or ([term["pattern"]] if "pattern" in term else [])
            tid = term.get("id") or (patterns[0] if patterns else "")
            where = f"{path}{_line_of(raw, patterns[0] if patterns else tid)}"
            if not patterns:
                raise WtcompareError(f"{where}: term {tid!r} in category {cid!r} has no patterns")
            try:
                rules = tuple(Rule(r["action"], tuple(r["words"]), int(r.get("before", 0)),
                                   int(r.get("after", 0)), r.get("note", "")) for r in term.get("rules", []))
                if any(r.action not in ("exclude", "require") for r in rules):
                    raise ValueError("rule action must be 'exclude' or 'require'")
                terms.append(Term(tid, cid, tuple(patterns), rules, term.get("basis", ""), len(terms)))
            except (KeyError, TypeError) as exc:
                raise WtcompareError(f"{where}: term {tid!r}: rule is missing {exc}") from None
            except ValueError as exc:
                raise WtcompareError(f"{where}: term {tid!r}: {exc}") from None
    if not terms:
        raise WtcompareError(f"{path}: lexicon has no terms")
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Lexicon(meta["id"], str(meta["version"]), categories, terms, digest, path)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load a lexicon file, or the default lexicon shipped with the package."""
    if path is None:
        resource = files("wtcompare") / "data" / "lexicon.toml"
        return parse_lexicon(resource.read_text(encoding="utf-8"), "default lexicon")
    return parse_lexicon(read_text(path, "lexicon"), str(path))


def _pattern_words(pattern: str) -> set[str]:
    return {w for w in re.split(r"[\s()|?]+", pattern.lower()) if w}


def _words_meet(a: str, b: str) -> bool:
    """Whether two word patterns can match the same token."""
    stem_a, stem_b = a.rstrip("*"), b.rstrip("*")
    if a.endswith("*") and b.endswith("*"):
        return stem_a.startswith(stem_b) or stem_b.startswith(stem_a)
    if a.endswith("*"):
        return stem_b.startswith(stem_a)
    if b.endswith("*"):
        return stem_a.startswith(stem_b)
    return a == b


def overlaps(lexicon: Lexicon) -> list[dict]:
    """Pairs of terms of different categories whose patterns can claim the same token, with the
    documented rule that resolves them: context rules first (a match they drop claims nothing),
    then the longest match wins, then the term listed first."""
    result = []
    for k, first in enumerate(lexicon.terms):
        words_first = {w for p in first.patterns for w in _pattern_words(p)}
        for second in lexicon.terms[k + 1:]:
            if second.category == first.category:
                continue
            shared = sorted({f"{a} ~ {b}" if a != b else a for a in words_first
                             for b in {w for p in second.patterns for w in _pattern_words(p)} if _words_meet(a, b)})
            if shared:
                result.append({"term": first.id, "category": first.category, "other_term": second.id,
                               "other_category": second.category, "shared": ", ".join(shared),
                               "resolution": f"context rules, then the longer match, then {first.id!r} (listed first)"})
    return result
