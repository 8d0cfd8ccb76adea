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
``after`` tokens after it (in the same paragraph), or a phrase of ``followed_by`` (patterns, as a
term's) starts right after it; ``require`` drops it unless one does. A rule with ``forms`` applies
only to matches whose last word is one of them (``forms = ["workers"]``: the plural only).

Ambiguous words are read by their participants (see `wtcompare.participants`)::

    [participants]                      # classes of participant: words or phrases
    family = ["parent", "parents", "foster carer", "famil*"]
    agencies = ["agency", "agencies", "police"]

    [[ambiguous]]
    id = "partner"
    words = ["partner", "partners", "partnership"]
    senses = { families = "partnership_with_families", interagency = "interagency_partnership", person = "" }
    fallback = "interagency"            # when nothing decides (the occurrence is marked uncertain)
    cues = [{ sense = "person", modifiers = ["former"], note = "a former partner" }]
    rules = [{ sense = "families", any = ["family"] }, { sense = "interagency", any = ["agencies"] }]

    [[category.term]]
    id = "partner (with families)"
    sense_of = "partner"                # counts the occurrences read as this category's sense

The full set of keys is described in the default lexicon's comments. Every class a rule, cue or
setting names must be defined under ``[participants]`` (or be ``someone`` or ``something``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, TypedDict

from .errors import WtcompareError, shorten
from .fileio import parse_toml, read_text

COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
ALL_TERMS = "(all terms)"  # the term column of a category's total in the tables (`stats.TOTAL`)
MAX_PATTERN = 1000  # characters in a term's pattern (the longest shipped is about 200)
MAX_LABEL = 200  # characters in a category's label, which headings, legends and tables show whole
WORD_PATTERN = re.compile(r"^[^\s()|?*\x00-\x1f\x7f-\x9f]+\*?$")  # no control character: no token has one
ADHOC = "adhoc"


def compile_word(word: str) -> str:
    """Regex for one token pattern; tokens never contain spaces, so ``\\S*`` ends at the token."""
    if not WORD_PATTERN.match(word):
        raise ValueError(f"bad word {word!r}")
    stem = word[:-1] if word.endswith("*") else word
    return re.escape(stem.lower().replace("\u2019", "'")) + (r"\S*" if word.endswith("*") else "")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a term pattern to a regex over tokens joined by single spaces."""
    text = pattern.strip()
    if not text:
        raise ValueError("empty pattern")
    if len(text) > MAX_PATTERN:
        raise ValueError(f"the pattern is {len(text):,} characters long; patterns are at most {MAX_PATTERN}")
    parts: list[tuple[str, bool]] = []  # (regex, optional)
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


PATTERN_PART = re.compile(r"\(([^()]*)\)(\?)?|([^\s()]+)")  # a group of choices, maybe optional, or a word


def _first_of(parts: list[tuple[str, str, str]]) -> tuple[str, ...] | None:
    """The word patterns (lowercased) that can stand first in a run of pattern parts, or None when
    every part is optional (the run may be empty)."""
    words: list[str] = []
    for group, optional, word in parts:
        if word:
            words.append(word)
            break
        words.extend(choice.split()[0] for choice in group.split("|") if choice.split())
        if not optional:
            break
    else:
        return None
    return tuple(w.lower().replace("\u2019", "'") for w in words)


def start_words(pattern: str) -> tuple[str, ...]:
    """The word patterns (lowercased; a trailing ``*`` any ending) of the tokens that can begin a
    match of ``pattern``: the scanner tries the pattern only where such a token stands instead of
    along the whole text."""
    return _first_of(PATTERN_PART.findall(pattern.strip())) or ()


def second_words(pattern: str) -> tuple[str, ...] | None:
    """The word patterns of the tokens that can stand second in a match of ``pattern``, when its
    first part is one token (a required word, or a group of one-word choices) and a token must
    follow; else None. The scanner tries the pattern only where the text after a first token
    begins like one of them: most places a phrase's first word stands, its second does not."""
    parts = PATTERN_PART.findall(pattern.strip())
    group, optional, word = parts[0] if parts else ("", "?", "")
    if optional or (not word and any(len(choice.split()) != 1 for choice in group.split("|"))):
        return None
    return _first_of(parts[1:])


# tokens after a match a rule's `followed_by` phrase may take: more than the default lexicon's
# longest ("from her own two older sisters" is 6), few enough that each match stays cheap
FOLLOWING = 12


@dataclass(frozen=True)
class Rule:
    """A context rule: ``exclude`` or ``require`` one of ``words`` within a token window, or a
    phrase of ``followed_by`` (term patterns) right after the match."""

    action: str
    words: tuple[str, ...]
    before: int = 0
    after: int = 0
    note: str = ""
    forms: tuple[str, ...] = ()  # the rule applies only to matches ending in one of these words
    followed_by: tuple[str, ...] = ()
    # compiled once from the fields above; not fields of the rule's own (neither shown nor compared)
    _regexes: list[re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _forms: list[re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _following: list[re.Pattern[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.words and not self.followed_by:
            raise ValueError("a rule needs words or followed_by")
        if (self.before or self.after) and not self.words:
            raise ValueError("a rule's before and after are windows for its words: it has none")
        object.__setattr__(self, "_regexes", [re.compile(compile_word(w) + r"\Z") for w in self.words])
        object.__setattr__(self, "_forms", [re.compile(compile_word(w) + r"\Z") for w in self.forms])
        object.__setattr__(self, "_following", [compile_pattern(f) for f in self.followed_by])

    def applies(self, tokens: list[str], start: int, end: int) -> bool:
        return not self._forms or any(r.match(tokens[end - 1]) for r in self._forms)

    def found(self, tokens: list[str], start: int, end: int) -> bool:
        window = tokens[max(0, start - self.before) : start] + tokens[end : end + self.after]
        if any(r.match(tok) for tok in window for r in self._regexes):
            return True
        if self._following and end < len(tokens):
            text = " " + " ".join(tokens[end : end + FOLLOWING]) + " "
            return any(r.match(text, 1) for r in self._following)
        return False

    def describe(self) -> str:
        sides = []
        if self.before:
            sides.append(f"{self.before} before")
        if self.after:
            sides.append(f"{self.after} after")
        forms = f" ({'/'.join(self.forms)} only)" if self.forms else ""
        said = [f"{'/'.join(self.words)} within {' or '.join(sides)}"] if self.words else []
        said += [f"followed by '{'/'.join(self.followed_by)}'"] if self.followed_by else []
        return f"{self.action} if {' or '.join(said)}{forms}"


@dataclass(frozen=True)
class Term:
    id: str
    category: str
    patterns: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    basis: str = ""
    order: int = 0
    sense_of: str = ""  # an ambiguous family: the term counts its occurrences read in this category
    _regexes: list[re.Pattern[str]] = field(init=False, repr=False, compare=False)
    _starts: list[tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _seconds: list[tuple[str, ...] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regexes", [compile_pattern(p) for p in self.patterns])
        object.__setattr__(self, "_starts", [start_words(p) for p in self.patterns])
        object.__setattr__(self, "_seconds", [second_words(p) for p in self.patterns])

    @property
    def regexes(self) -> list[re.Pattern[str]]:
        return self._regexes

    @property
    def starts(self) -> list[tuple[str, ...]]:
        """For each pattern, which tokens can begin a match (see `start_words`)."""
        return self._starts

    @property
    def seconds(self) -> list[tuple[str, ...] | None]:
        """For each pattern, which tokens can stand second in a match (see `second_words`)."""
        return self._seconds

    def rejected_by(self, tokens: list[str], start: int, end: int) -> Rule | None:
        """The first rule that rejects the match of tokens[start:end], or None if it counts."""
        for rule in self.rules:
            if not rule.applies(tokens, start, end):
                continue
            found = rule.found(tokens, start, end)
            if (rule.action == "exclude" and found) or (rule.action == "require" and not found):
                return rule
        return None


BUILTIN_CLASSES = ("someone", "something")  # an unresolved pronoun; a noun phrase of no class
SOMEONE, SOMETHING = BUILTIN_CLASSES
# [class_roles]: which classes are people ("he", "she", "they" refer to them), bodies ("it", "its";
# "partners in the service" are its members) and kin ("his", "her", "their" + one of them: that
# person's relative)
CLASS_ROLES = ("persons", "bodies", "kin")
# a rule can look at the owner alone, the sides of "between", the object of "of", the compound modifiers alone
ROLES = ("possessor", "between", "of", "modifier")
UNSTATED = "unstated"  # the role of a side a phrase leaves unsaid, read from its clause or the family's default


def word_test(words: Sequence[str]) -> Callable[[str], bool]:
    """One test for a list of word patterns (a trailing * matches any ending): whether a token is
    one. A set look-up and one ``startswith``, not a regex: sense reading asks it for every word
    near every occurrence."""
    for word in words:
        compile_word(word)  # the same check of each word as patterns get
    exact = frozenset(normalise_word(w) for w in words if not w.endswith("*"))
    prefixes = tuple(normalise_word(w[:-1]) for w in words if w.endswith("*"))
    if prefixes:
        return lambda token: token in exact or token.startswith(prefixes)
    return exact.__contains__


def normalise_word(word: str) -> str:
    return word.lower().replace("\u2019", "'")


class Party(Protocol):
    """What a sense rule looks at of a participant (`wtcompare.participants.Participant`)."""

    @property
    def cls(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def plural(self) -> bool: ...

    @property
    def text(self) -> str: ...


HOLDERS = ("subject", "possessor")  # the roles of a side that holds a relationship or partnership


def sides_named(participants: Sequence[Party]) -> int:
    """How many sides of a relationship these participants name by themselves: two when two
    people, each one person, hold it together with no one named after "with" ("the health visitor
    and the social worker had a poor relationship"), else one when someone holds it or is named
    after "with". Plural holders are no such person ("social workers and teachers should build
    relationships" says nothing of with whom), and a holder with someone after "with" is one side:
    who a pronoun or "whom" after "with" is, the reader does not know for sure; nor whether a
    phrase of no class after "with" is people ("with the younger members of the gang") or not. A
    holder of no class is no person (the reader's rules do not see it either)."""
    held = {p.text for p in participants if p.role in HOLDERS and not p.plural and p.cls not in BUILTIN_CLASSES}
    if len(held) > 1 and not any(p.role == "with" for p in participants):
        return 2
    return int(any(p.role in HOLDERS or p.role == "with" for p in participants))


@dataclass(frozen=True)
class SenseRule:
    """From participants to senses: fits when a participant has a class in ``any`` (if given), every
    class in ``all`` is present, no participant is outside ``only`` (if given), ``at_least`` holds
    (a plural noun counts two), only the participants of that ``role`` are looked at when one is
    given ("possessor": the owner; "between": the sides of "between"; "of": its object;
    "modifier": compound modifiers), only those the phrase itself names when ``stated`` (not the
    side it leaves unsaid, taken from its clause or the family's ``unstated`` class), the phrase
    names at least ``sides`` sides (see `sides_named`), and the word is one of ``forms`` (if given)."""

    senses: tuple[str, ...]
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    at_least: tuple[tuple[str, int], ...] = ()
    role: str = ""
    forms: tuple[str, ...] = ()
    note: str = ""
    stated: bool = False
    sides: int = 0
    # derived from the fields above once, for `fits` (asked for every occurrence); not compared
    _form: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    _any: frozenset[str] = field(init=False, repr=False, compare=False)
    _all: frozenset[str] = field(init=False, repr=False, compare=False)
    _only: frozenset[str] = field(init=False, repr=False, compare=False)
    _classes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_form", word_test(self.forms))
        object.__setattr__(self, "_any", frozenset(self.any))
        object.__setattr__(self, "_all", frozenset(self.all))
        object.__setattr__(self, "_only", frozenset(self.only))
        object.__setattr__(self, "_classes", self._any | self._all | self._only | {c for c, _ in self.at_least})

    def fits(self, participants: Sequence[Party], word: str) -> bool:
        if self.forms and not self._form(word):
            return False
        if self.stated:
            participants = [p for p in participants if p.role != UNSTATED]
        if self.role:
            participants = [p for p in participants if p.role == self.role]
        if (self.role or self.stated) and not participants:
            return False
        classes = {p.cls for p in participants}
        if self._any and self._any.isdisjoint(classes):
            return False
        if not self._all <= classes or (self._only and not classes <= self._only):
            return False
        if self.sides and sides_named(participants) < self.sides:
            return False
        return all(sum(2 if p.plural else 1 for p in participants if p.cls == cls) >= n for cls, n in self.at_least)

    def classes(self) -> frozenset[str]:
        return self._classes


@dataclass(frozen=True)
class Cue:
    """Words that decide a sense by themselves (see `wtcompare.participants`)."""

    sense: str
    modifiers: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    clause: tuple[str, ...] = ()
    over: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    note: str = ""
    last: bool = False  # used only when nothing else decides (the occurrence is then uncertain)
    _form: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    _clause: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_form", word_test(self.forms))
        object.__setattr__(self, "_clause", word_test(self.clause))

    def applies(self, word: str) -> bool:
        return not self.forms or self._form(word)

    def clause_word(self, token: str) -> bool:
        return self._clause(token)


@dataclass(frozen=True)
class Ambiguous:
    """A family of ambiguous words and how its occurrences get a sense."""

    id: str
    words: tuple[str, ...]
    senses: tuple[tuple[str, str], ...]  # sense -> category ("" = counted in no category)
    rules: tuple[SenseRule, ...]
    cues: tuple[Cue, ...] = ()
    fallback: str = ""
    unstated: str = ""
    nearby: tuple[tuple[str, str], ...] = ()  # class -> sense
    name: str = ""
    predicative: bool = False  # "parents as partners", "be partners": the word names a party
    holders: tuple[str, ...] = ()  # verbs whose subject holds the relationship ("built a relationship")
    # classes whose words say no more than "a person" ("an adult"): after "with", read as the class
    # of `nearby` the sentence names ("the mentor was the one adult with whom ...")
    vague: tuple[str, ...] = ()
    # the class of an owner named by a name alone ("Maya's relationship", "Kelly's partner"), for
    # the forms in `named_forms` (all the family's forms when empty)
    named: str = ""
    named_forms: tuple[str, ...] = ()
    _senses_in: dict[str, str] = field(init=False, repr=False, compare=False)  # category -> sense
    _categories: dict[str, str] = field(init=False, repr=False, compare=False)  # sense -> category
    _holds: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    _holder: Callable[[str], bool] = field(init=False, repr=False, compare=False)
    _names: Callable[[str], bool] = field(init=False, repr=False, compare=False)

    def holds_verb(self, token: str) -> bool:
        return self._holder(token)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_senses_in", {c: s for s, c in reversed(self.senses) if c})  # the first wins
        object.__setattr__(self, "_categories", dict(self.senses))
        object.__setattr__(self, "_holds", word_test(self.words))
        object.__setattr__(self, "_holder", word_test(self.holders))
        object.__setattr__(self, "_names", word_test(self.named_forms or self.words))

    def named_owner(self, token: str) -> str:
        """The class of an owner named by a name alone before this form of the word ("" if none)."""
        return self.named if self.named and self._names(token) else ""

    def holds(self, token: str) -> bool:
        return self._holds(token)

    def sense_of(self, category: str) -> str | None:
        """The sense counted in ``category``, if any."""
        return self._senses_in.get(category)

    def category_of(self, sense: str) -> str:
        return self._categories.get(sense, "")


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
    participants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    families: list[Ambiguous] = field(default_factory=list)
    class_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._family_cache: dict[str, Ambiguous | None] = {}
        self.sense_categories = {c for f in self.families for _, c in f.senses if c}

    def family_of(self, token: str) -> Ambiguous | None:
        """The ambiguous family a token belongs to, if any (cached: asked for every token near a match)."""
        if token not in self._family_cache:
            self._family_cache[token] = next((f for f in self.families if f.holds(token)), None)
        return self._family_cache[token]

    def ambiguous_family(self, token: str) -> Ambiguous:
        """The family of a token known to be an ambiguous word (a sense term matched it, or a reading
        was made of it): having none is a bug, not a reading to make."""
        family = self.family_of(token)
        if family is None:
            raise ValueError(f"{token!r} is not an ambiguous word of lexicon {self.id!r}")
        return family

    def senses_key(self) -> str:
        """Everything of the lexicon that sense reading depends on, for cache keys."""
        return repr((sorted(self.participants.items()), self.families, sorted(self.class_roles.items())))

    def terms_key(self) -> str:
        """Everything of the lexicon that counting depends on (terms, ad-hoc terms, senses), for
        cache keys: equal for equal content, whatever file it came from, and changed by a lexicon
        changed in Python (``dataclasses.replace``), which keeps its file's ``sha256``."""
        terms = [(t.id, t.category, t.patterns, t.rules, t.order, t.sense_of) for t in self.terms + self.adhoc]
        return repr(terms) + self.senses_key()

    def content_key(self) -> str:
        """A digest of everything a page shows of the lexicon or counts by: its id, version,
        categories and `terms_key`."""
        whole = repr((self.id, self.version, self.categories)) + self.terms_key()
        return hashlib.sha256(whole.encode("utf-8")).hexdigest()

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        if category_id == ADHOC:
            return Category(ADHOC, "Ad-hoc terms", "Terms given with --term", "#555555")
        raise KeyError(category_id)

    def with_terms(self, patterns: list[str]) -> Lexicon:
        """A copy with ad-hoc terms (``--term``), counted on their own, outside overlap resolution."""
        extra = []
        for n, pattern in enumerate(patterns):
            try:
                extra.append(Term(pattern, ADHOC, (pattern,), order=len(self.terms) + n))
            except ValueError as exc:
                raise WtcompareError(f"--term {shorten(repr(pattern), 80)}: {shorten(str(exc), 200)}") from None
        return Lexicon(
            self.id,
            self.version,
            self.categories,
            self.terms,
            self.sha256,
            self.path,
            self.adhoc + extra,
            self.participants,
            self.families,
            self.class_roles,
        )


def _line_of(raw: str, needle: str) -> str:
    index = raw.find(needle)
    return f":{raw.count(chr(10), 0, index) + 1}" if index >= 0 else ""


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of words")
    return tuple(value)


def _participants(data: Mapping[str, Any], raw: str, path: str) -> dict[str, tuple[str, ...]]:
    table = data.get("participants", {})
    if not isinstance(table, dict):
        raise WtcompareError(f"{path}{_line_of(raw, 'participants')}: [participants] must be a table of classes")
    classes = {}
    for name, entries in table.items():
        where = f"{path}{_line_of(raw, name + ' =')}"
        try:
            classes[name] = _strings(entries, f"participant class {name!r}")
            for entry in classes[name]:
                for word in entry.split():
                    compile_word(word)
        except ValueError as exc:
            raise WtcompareError(f"{where}: {exc}") from None
        if name in BUILTIN_CLASSES:
            raise WtcompareError(f"{where}: participant class {name!r} is built in and cannot be redefined")
    return classes


def _class_roles(
    data: Mapping[str, Any], classes: Mapping[str, tuple[str, ...]], raw: str, path: str
) -> dict[str, tuple[str, ...]]:
    table = data.get("class_roles", {})
    where = f"{path}{_line_of(raw, '[class_roles]')}"
    if not isinstance(table, dict):
        raise WtcompareError(f"{where}: [class_roles] must be a table")
    roles = {}
    for role, names in table.items():
        if role not in CLASS_ROLES:
            raise WtcompareError(f"{where}: [class_roles]: no role {role!r} (roles: {', '.join(CLASS_ROLES)})")
        try:
            roles[role] = _strings(names, f"[class_roles] {role}")
        except ValueError as exc:
            raise WtcompareError(f"{where}: {exc}") from None
        for name in roles[role]:
            if name not in classes:
                raise WtcompareError(
                    f"{where}: [class_roles] {role}: participant class {name!r} is not defined in [participants]"
                )
    return roles


class _Names:
    """What the tables of one [[ambiguous]] family may name: its senses and the participant classes
    (the lexicon's and the built-in ones). Each check returns the name, or raises saying which part
    (``what``) names one that does not exist."""

    def __init__(self, senses: Mapping[str, str], classes: Collection[str]) -> None:
        self.senses, self.classes = senses, classes

    def sense(self, name: str, what: str) -> str:
        if name not in self.senses:
            raise ValueError(f"{what}: no sense {name!r} (senses: {', '.join(self.senses)})")
        return name

    def klass(self, name: str, what: str) -> str:
        if name not in self.classes:
            raise ValueError(f"{what}: participant class {name!r} is not defined in [participants]")
        return name


def _senses(senses: object, categories: Collection[str]) -> dict[str, str]:
    """A family's ``senses`` table (sense = category id, "" for none), every category defined."""
    if not isinstance(senses, dict) or not senses or not all(isinstance(c, str) for c in senses.values()):
        raise ValueError('senses must be a table of sense = "category id" ("" for none)')
    for sense, category in senses.items():
        if category and category not in categories:
            raise ValueError(f"sense {sense!r}: no category {category!r}")
    return senses


def _sense_rule(r: object, what: str, names: _Names) -> SenseRule:
    """One of a family's ``rules`` (``what`` names it in errors): its senses and every class it looks
    for must exist, and its role be one a participant can have."""
    if not isinstance(r, dict):
        raise ValueError(f"{what} must be a table")
    senses = r.get("senses") or ([r["sense"]] if "sense" in r else [])
    if not senses:
        raise ValueError(f"{what} needs a sense")
    at_least = r.get("at_least", {})
    if not isinstance(at_least, dict) or not all(isinstance(v, int) for v in at_least.values()):
        raise ValueError(f"{what}: at_least must be a table of class = number")
    if r.get("role", "") not in ("",) + ROLES:
        raise ValueError(f"{what}: role must be one of {', '.join(ROLES)}")
    rule = SenseRule(
        tuple(names.sense(s, what) for s in senses),
        _strings(r.get("any", []), "any"),
        _strings(r.get("all", []), "all"),
        _strings(r.get("only", []), "only"),
        tuple(at_least.items()),
        r.get("role", ""),
        _strings(r.get("forms", []), "forms"),
        r.get("note", ""),
        r.get("stated", False),
        r.get("sides", 0),
    )
    if not isinstance(rule.stated, bool):
        raise ValueError(f"{what}: stated must be true or false")
    if not isinstance(rule.sides, int) or isinstance(rule.sides, bool) or not 0 <= rule.sides <= 2:
        raise ValueError(f"{what}: sides must be 0, 1 or 2")
    for name in rule.classes():
        names.klass(name, what)
    return rule


def _flag(table: Mapping[str, Any], key: str) -> bool:
    """A true-or-false field (``bool("false")`` is true: a quoted "false" must not pass)."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _cue(c: object, what: str, names: _Names) -> Cue:
    """One of a family's ``cues`` (``what`` names it in errors): its sense and the senses it may
    override must exist, its phrases be patterns, and it needs words to look for."""
    if not isinstance(c, dict) or "sense" not in c:
        raise ValueError(f"{what} needs a sense")
    sense = names.sense(c["sense"], what)
    modifiers, before, after, clause, over, forms = (
        _strings(c.get(k, []), k) for k in ("modifiers", "before", "after", "clause", "over", "forms")
    )
    cue = Cue(sense, modifiers, before, after, clause, over, forms, c.get("note", ""), _flag(c, "last"))
    for phrase in cue.before + cue.after:
        compile_pattern(phrase)
    for name in cue.over:
        names.sense(name, what)
    if not (cue.modifiers or cue.before or cue.after or cue.clause):
        raise ValueError(f"{what} has no words (modifiers, before, after or clause)")
    return cue


def _family(
    entry: dict[str, Any], classes: Mapping[str, tuple[str, ...]], categories: Collection[str], raw: str, path: str
) -> Ambiguous:
    """One [[ambiguous]] table, checked: every sense, category and class it names must exist."""
    fid = entry.get("id")
    where = f"{path}{_line_of(raw, f'id = {fid!r}'.replace(chr(39), chr(34)))}"
    if not fid or not isinstance(fid, str):
        raise WtcompareError(f"{path}: an [[ambiguous]] family has no id")
    try:
        words = _strings(entry.get("words"), "words")
        for word in words:
            compile_word(word)
        senses = _senses(entry.get("senses"), categories)
        names = _Names(senses, set(classes) | set(BUILTIN_CLASSES))
        rules = [_sense_rule(r, f"rule {n}", names) for n, r in enumerate(entry.get("rules", []), start=1)]
        cues = [_cue(c, f"cue {n}", names) for n, c in enumerate(entry.get("cues", []), start=1)]
        nearby = entry.get("nearby", {})
        if not isinstance(nearby, dict):
            raise ValueError("nearby must be a table of class = sense")
        family = Ambiguous(
            fid,
            words,
            tuple(senses.items()),
            tuple(rules),
            tuple(cues),
            names.sense(entry.get("fallback", ""), "fallback"),
            names.klass(entry["unstated"], "unstated") if entry.get("unstated") else "",
            tuple((names.klass(k, "nearby"), names.sense(v, "nearby")) for k, v in nearby.items()),
            names.sense(entry["name"], "name") if entry.get("name") else "",
            _flag(entry, "predicative"),
            _strings(entry.get("holders", []), "holders"),
            tuple(names.klass(c, "vague") for c in _strings(entry.get("vague", []), "vague")),
            names.klass(entry["named"], "named") if entry.get("named") else "",
            _strings(entry.get("named_forms", []), "named_forms"),
        )
        if family.vague and not family.nearby:
            raise ValueError("vague classes are read as a class of `nearby`: nearby is needed")
        for word in family.holders + family.named_forms:
            compile_word(word)
    except (ValueError, TypeError) as exc:
        raise WtcompareError(f"{where}: ambiguous family {fid!r}: {exc}") from None
    return family


class _RuleFile(TypedDict, total=False):
    action: str
    words: list[str]
    before: int
    after: int
    note: str
    forms: list[str]
    followed_by: list[str]


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


class _FamilyFile(TypedDict, total=False):
    """An [[ambiguous]] family: a table, its keys checked as it is read (`_family`)."""


class _LexiconFile(TypedDict, total=False):
    """The types a lexicon file's values must have (which are required is checked as it is read)."""

    lexicon: _MetaFile
    category: list[_CategoryFile]
    ambiguous: list[_FamilyFile]


def _term(term: Mapping[str, Any], cid: str, families: list[Ambiguous], order: int, raw: str, path: str) -> Term:
    """One [[category.term]] of category ``cid``, listed ``order``-th in the lexicon: its patterns
    (a sense term's are its family's words) and context rules, checked."""
    patterns = term.get("patterns") or ([term["pattern"]] if "pattern" in term else [])
    tid = term.get("id") or (patterns[0] if patterns else "")
    where = f"{path}{_line_of(raw, patterns[0] if patterns else tid)}"
    sense_of = term.get("sense_of", "")
    if sense_of:
        family = next((f for f in families if f.id == sense_of), None)
        if family is None:
            raise WtcompareError(f"{where}: term {tid!r}: sense_of names no [[ambiguous]] family {sense_of!r}")
        if family.sense_of(cid) is None:
            raise WtcompareError(f"{where}: term {tid!r}: family {sense_of!r} has no sense counted in {cid!r}")
        patterns = ["(" + "|".join(family.words) + ")"]  # one pattern: one pass over the text
    if not patterns:
        raise WtcompareError(f"{where}: term {tid!r} in category {cid!r} has no patterns")
    try:
        rules = tuple(
            Rule(
                r["action"],
                tuple(r.get("words", ()) if "followed_by" in r else r["words"]),  # (one of the two is needed)
                int(r.get("before", 0)),
                int(r.get("after", 0)),
                r.get("note", ""),
                tuple(r.get("forms", ())),
                tuple(r.get("followed_by", ())),
            )
            for r in term.get("rules", [])
        )
        if any(r.action not in ("exclude", "require") for r in rules):
            raise ValueError("rule action must be 'exclude' or 'require'")
        return Term(tid, cid, tuple(patterns), rules, term.get("basis", ""), order, sense_of)
    except (KeyError, TypeError) as exc:
        raise WtcompareError(f"{where}: term {tid!r}: rule is missing {exc}") from None
    except ValueError as exc:
        raise WtcompareError(f"{where}: term {tid!r}: {exc}") from None


def _check_sense_terms(families: list[Ambiguous], terms: list[Term], raw: str, path: str) -> None:
    """Every sense a family counts in a category needs exactly one term there that counts it: the
    occurrences read in that sense are listed and counted under it."""
    for family in families:
        for sense, category in family.senses:
            holders = [t for t in terms if t.sense_of == family.id and t.category == category]
            if category and len(holders) != 1:
                raise WtcompareError(
                    f"{path}{_line_of(raw, f'id = {family.id!r}'.replace(chr(39), chr(34)))}: "
                    f"ambiguous family {family.id!r}: sense {sense!r} needs one term with "
                    f"sense_of = {family.id!r} in category {category!r} (found {len(holders)})"
                )


def parse_lexicon(raw: str, path: str = "<lexicon>") -> Lexicon:
    """Parse and validate lexicon TOML text; errors name the file and, where found, the line."""
    data = parse_toml(raw, path, "lexicon", _LexiconFile)
    meta = data.get("lexicon", {})
    if not isinstance(meta, dict) or not meta.get("id") or not meta.get("version"):
        raise WtcompareError(f"{path}: needs a [lexicon] table with id and version")
    # a category with no id is reported below; here it names nothing a sense can be counted in
    category_ids = {c["id"] for c in data.get("category", []) if isinstance(c, dict) and "id" in c}
    families_raw = data.get("ambiguous", [])
    if families_raw and not data.get("participants"):
        raise WtcompareError(
            f"{path}{_line_of(raw, '[[ambiguous]]')}: [[ambiguous]] words need a [participants] table of classes"
        )
    classes = _participants(data, raw, path)
    roles = _class_roles(data, classes, raw, path)
    families = [_family(f, classes, category_ids, raw, path) for f in families_raw]
    if len({f.id for f in families}) < len(families):
        raise WtcompareError(f"{path}: an [[ambiguous]] family id is listed twice")
    categories: list[Category] = []
    terms: list[Term] = []
    for cat in data.get("category", []):
        cid = cat.get("id")
        if not cid or not isinstance(cid, str):
            raise WtcompareError(f"{path}: a [[category]] has no id")
        if cid == ADHOC:
            raise WtcompareError(
                f"{path}{_line_of(raw, repr(cid)[1:-1])}: category id {ADHOC!r} is reserved for the patterns "
                "given with --term"
            )
        if any(c.id == cid for c in categories):
            raise WtcompareError(f"{path}{_line_of(raw, repr(cid)[1:-1])}: category {cid!r} is listed twice")
        colour = cat.get("colour", "#888888")
        if not isinstance(colour, str) or not COLOUR.fullmatch(colour):
            raise WtcompareError(f"{path}{_line_of(raw, str(colour))}: category {cid!r}: colour must be like #1b7f5f")
        if len(colour) == 4:  # "#1b7": the short form, each digit doubled, as CSS reads it
            colour = "#" + "".join(digit * 2 for digit in colour[1:])
        label = cat.get("label", cid)
        if len(label) > MAX_LABEL:
            raise WtcompareError(
                f"{path}{_line_of(raw, repr(cid)[1:-1])}: category {cid!r}: its label is {len(label):,} characters "
                f"long; labels are at most {MAX_LABEL}"
            )
        categories.append(Category(cid, label, cat.get("description", ""), colour))
        if not cat.get("term"):
            raise WtcompareError(f"{path}{_line_of(raw, repr(cid)[1:-1])}: category {cid!r} has no terms")
        for term in cat.get("term", []):
            made = _term(term, cid, families, len(terms), raw, path)
            where = f"{path}{_line_of(raw, made.id)}"
            if made.id == ALL_TERMS:
                raise WtcompareError(f"{where}: term id {ALL_TERMS!r} is reserved for a category's total")
            if any(t.category == cid and t.id == made.id for t in terms):
                # its counts would be added to the category's total twice
                raise WtcompareError(f"{where}: term {made.id!r} is listed twice in category {cid!r}")
            terms.append(made)
    if not terms:
        raise WtcompareError(f"{path}: lexicon has no terms")
    _check_sense_terms(families, terms, raw, path)
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Lexicon(
        meta["id"],
        str(meta["version"]),
        categories,
        terms,
        digest,
        path,
        participants=classes,
        families=families,
        class_roles=roles,
    )


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
    documented rule that resolves them: for an ambiguous word, the sense its participants give;
    then context rules (a match they drop claims nothing), then the longest match wins, then the
    term listed first."""
    result = []
    for k, first in enumerate(lexicon.terms):
        words_first = {w for p in first.patterns for w in _pattern_words(p)}
        for second in lexicon.terms[k + 1 :]:
            if second.category == first.category:
                continue
            pairs = {
                (a, b)
                for a in words_first
                for b in {w for p in second.patterns for w in _pattern_words(p)}
                if _words_meet(a, b)
            }
            if pairs:
                # an ambiguous word counts in the category of the sense its participants give
                by_sense = any(lexicon.family_of(w.rstrip("*")) for pair in pairs for w in pair)
                result.append(
                    {
                        "term": first.id,
                        "category": first.category,
                        "other_term": second.id,
                        "other_category": second.category,
                        "shared": ", ".join(sorted(f"{a} ~ {b}" if a != b else a for a, b in pairs)),
                        "resolution": ("the sense read from the participants, then " if by_sense else "")
                        + f"context rules, then the longer match, then {first.id!r} (listed first)",
                    }
                )
    return result
