"""Senses by participants: who a partnership, relationship or participation is between or with.

A lexicon marks some words as ambiguous (``[[ambiguous]]``: partner*, relationship*, participation);
every occurrence of one gets a sense, read in this order (the first step that decides wins):

1. **cues** of the family, close to the word: a modifier ("an *abusive* relationship", "her *new*
   partner"), a phrase right before ("*in a* relationship") or right after ("partner *violence*",
   "relationships *education*");
2. a capitalised **name** ending in the word ("the Fenmoor Youth Justice Partnership");
3. the **participants**, found by structure and classified by the lexicon's ``[participants]``
   classes: a compound modifier ("*peer* relationships", "*safeguarding* partners", "*partner*-agency"),
   the owner ("*the worker's* relationship", "*her* partner"), the noun the word modifies ("partner
   *agencies*"), the objects of ``with``, ``between ... and``, ``within``, ``of``, ``in which``,
   ``with whom`` (the noun before the place that qualifies it, "the one adult *in school* with
   whom"), also after a verb's auxiliaries ("partnership can be achieved *with them*") or set off by
   commas; a relative clause after the word ("the relationship *a teacher builds with a pupil*",
   "the relationship that mattered most *was with* her mentor"); the subject of a verb that holds a
   relationship ("*the nurse* developed a relationship"); then, for "as partners", "be partners"
   and "in partnership", the noun (or object pronoun) before ``as`` or the subject of the clause
   (and the object of a "with" right before: "staff work *with parents* in partnership");
   then members ("partners *in the Family Help service*"); then a definition ("partnership, in this
   sense, *means* that parents ..."). A noun phrase takes the class of its last word ("the family
   *court*", "the adult's community psychiatric *nurse*"); coordinated phrases are all taken ("a
   partnership *of agencies and parents*"; "with each other" is the clause's subject); a pronoun is
   the nearest earlier person of the same number in the sentence ("they" may be a family; a
   possessive one, the clause's subject when it agrees; an object, never the subject of its own
   clause). A phrase that names only one side ("a relationship *with the child*") takes the
   clause's subject or its owner as the other ("*a parent's* illness can strain the relationship
   with a child"), else the family's ``unstated`` class; a participant of a ``vague`` class ("an
   adult") is who a phrase set off after it says, else the ``nearby`` class the sentence names.
   The family's rules map the participants' classes to a sense;
4. **clause cues**: a word later in the clause ("their relationship was clearly *coercive*"), also
   used to override a sense ("her partner had been *violent*": not a person but abuse); then cues
   kept for last ("*a* partner" with nothing else said is a person), and for a word that names a
   party, the clause's subject ("some *parents* find partnership hard");
5. **nearby**: a participant of a given class elsewhere in the sentence ("*the health visitor* never
   missed a visit"), or in the sentence before after "such", "those", "these"; not outside a clause
   someone reports or judges ("the girl told her teacher that ...", "should consider whether ...");
6. the **fallback** sense.

Steps 4 to 6, an unresolved pronoun, a vague participant read from the sentence or not read at all,
and a set phrase of the lexicon that suggests another sense
than the participants (see `SenseIndex`) mark the occurrence **uncertain**: it is counted by the
rule shown in its ``reason``, and reports list it for checking. Which classes are people (for
pronouns), bodies and kin is the lexicon's ``[class_roles]``; nothing here names a class.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from .lexicon import (
    CLASS_ROLES,
    SOMEONE,
    SOMETHING,
    UNSTATED,
    Ambiguous,
    Cue,
    Lexicon,
    SenseRule,
    Term,
    compile_pattern,
    sides_named,
    word_test,
)
from .text import english_stop_words

# Scan results are cached by the lexicon, not by this code: bump this whenever a change here changes
# what any reading gives, so that no cached scan of the old reading is used.
READING_VERSION = 27


def _words(text: str) -> frozenset[str]:
    """The words of a list written as text: long lists of function words read best that way."""
    return frozenset(text.split())


# Grammar words: these end a noun phrase or a clause. They are function words of English, not
# vocabulary of the guidance, so they live here rather than in the lexicon.
DETERMINERS = _words("""a an the this that these those each every any all both some no another other such
    its our your my his her their one two three four five six several many most few single either neither
    own whole same various certain""")
PREPOSITIONS = _words("""of in on at for from to by with about within across through into onto over under during
    after before since until without among amongst around towards toward between against beyond via per upon
    like than as throughout alongside behind near beside despite except including outside inside""")
CONJUNCTIONS = _words("""and or but nor so yet because although though while whilst if unless when whenever where
    whether once that which who whom whose what how why""")
AUXILIARIES = _words("""is are was were be been being am has have had having do does did will would shall should
    can could may might must not cannot become became becomes""")
# Irregular past tenses and adverbs that follow a noun phrase ("the service began", "families alike").
AFTER_NOUN = _words("""began met made took gave said told found held kept led left felt knew came went brought
    thought sought saw chose wrote ran put set sat spoke got grew meant broke fell stood understood sent
    spent taught caught dealt fought threw shook struck fled alike together too also only itself
    themselves himself herself ourselves yourself even just still always never often very there here""")
STOP = PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | AFTER_NOUN
SINGULAR_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its", "my", "our", "your"})
PRONOUNS = (
    SINGULAR_PRONOUNS
    | PLURAL_PRONOUNS
    | frozenset({"it", "its", "whom", "we", "us", "you", "i", "me", "my", "our", "your"})
)
# Words that tell a person's sex, so that "she" and "her" are never the father nor "he" the mother,
# and are the mother who tells a practitioner whose sex the sentence does not give ("the mother
# told the health visitor that she had ended her relationship").
FEMININE = _words("""she her hers herself mother mothers mum mums woman women girl girls daughter daughters
    sister sisters grandmother grandmothers aunt aunts niece nieces wife wives girlfriend girlfriends
    stepmother stepmothers stepdaughter stepdaughters""")
MASCULINE = _words("""he him his himself father fathers dad dads man men boy boys son sons brother brothers
    grandfather grandfathers uncle uncles nephew nephews husband husbands boyfriend boyfriends stepfather
    stepfathers stepson stepsons""")
PLURAL_WORDS = frozenset({"people", "children", "staff", "men", "women", "police", "folk"})
COLLECTIVE = frozenset({"family", "families", "household", "households"})  # "they", never "he" or "she"
BE = frozenset({"be", "become", "became", "becomes", "are", "were", "is", "was", "been", "being", "remain", "remained"})
CLAUSE_WORDS = frozenset(
    {
        "but",
        "while",
        "whilst",
        "although",
        "because",
        "whereas",
        "unless",
        "that",
        "which",
        "who",
        "where",
        "when",
        "if",
        "whether",
    }
)
# one character class each (a regex with alternatives tries every position of the text: slow)
SENTENCE_MARK = re.compile(r"[.?!\n]")  # a sentence ends at one followed by a space, or a line end
PUNCTUATION = re.compile(r"[.?!\n,;:()\u2013\u2014]")  # marks that can end a clause or a sentence
ANAPHORIC = frozenset({"such", "those", "these", "this", "that"})
SIDES = frozenset({"with", "between", "of", "among", "amongst"})  # "the Partnership *with* parents" names its sides
# words between "as" or "be" and a partner word that names its subject: "parents are *the key* partners"
PREDICATE_MODIFIERS = _words("""a an the equal full real genuine true key main principal first best most
    important active valued""")
# verbs before "the partnership" by which a clause's subject addresses a body ("children *told* the
# partnership", "parents *wrote to* ... *contacted* the partnership"); after any other word
# ("parents *valued* the partnership", "felt part *of*", "committed *to*", "withdraw *from* the
# partnership") the subject is a side of it, as a review of a longer list (prepositions, "joined",
# "called") found in sentences of partnership with parents
ADDRESSING = _words("""told tell tells telling asked ask asks asking informed inform informs informing advised
    advise advises advising contacted contact contacts contacting urged urge urges warned warn warns
    lobbied lobby lobbies petitioned petition petitions emailed email emails phoned phone phones thanked
    thank thanks""")
ADDRESSING_TO = _words("""wrote write writes writing report reports reported reporting spoke speak speaks speaking
    complained complain complains complaining""")  # "parents *wrote to* the partnership"
# verbs of saying and asking: "told her teacher that ...", "asked whether ..." open a reported clause
SAYING = _words("""tell tells told say says said ask asks asked report reports reported note notes noted explain
    explains explained disclose discloses disclosed claim claims claimed hear heard learn learned learnt
    wonder wondered worry worried know knew feel felt believe believed think thought mention mentioned""")
# verbs of showing or assuring someone of something: "show parents *that* ..." opens what they are shown
SHOWING = _words("""show shows showed shown showing remind reminds reminded reminding reassure reassures reassured
    reassuring assure assures assured assuring convince convinces convinced persuade persuades persuaded
    teach teaches taught teaching""")
# verbs of judging what one observes: "practitioners should consider whether the relationship ..."
# opens a clause about someone else's relationship, as a reported one does
OBSERVING = _words("""consider considers considered assess assesses assessed observe observes observed notice
    notices noticed explore explores explored examine examines examined check checks checked judge judges judged
    establish establishes established decide decides decided""")
# before a name: a person ("Lord" and "Lady" left out: "the Lord Chancellor's" is an office's)
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame"})
# tokens before and after a name looked at for the role the paragraph gives it ("Sam, the social worker")
APPOSED_BEFORE, APPOSED_AFTER = 60, 12
# capitalised possessives that name no one ("Today's partnerships", "Society's relationship with
# its children"); pronouns such as "Everyone's" are stop words
NOT_NAMES = _words("""today tomorrow yesterday tonight year week month society government nation country world
    everybody somebody anybody""")
UNSAID = "(unsaid)"  # the text of the family's unstated class taken for a side no one names
PARTICIPLE = ("ed", "en", "lt", "ght")  # endings of past participles: achieved, taken, built, sought
# words that open a phrase saying who someone is: "adults they trust, *whether* relatives or friends"
APPOSITION = frozenset(
    {
        "whether",
        "such",
        "as",
        "usually",
        "often",
        "perhaps",
        "typically",
        "like",
        "including",
        "especially",
        "mostly",
        "mainly",
        "namely",
        "either",
        "for",
        "example",
        "e.g",
        "eg",
        "i.e",
        "ie",
    }
)
RECIPROCAL = (("each", "other"), ("one", "another"))  # the sides of "with each other" are one and the same
REFLEXIVE = frozenset({"themselves", "itself", "himself", "herself"})  # "the agencies themselves": part of the phrase
# words for a number of people or bodies, whose "of" phrase says who they are ("a group of parents")
GROUPS = frozenset({"group", "groups", "number", "handful", "network", "networks", "forum", "cohort"})
# a participle right after "partnership" that names its sides, as "between" does: "one partnership
# *joining* agencies, parents and children" (after "partners" it is their doing: "partners
# *involving* children in the review")
JOINING = frozenset({"joining", "uniting", "linking", "involving"})
# words after a noun phrase that keep it in a list ("parents *who* use its services, and schools")
LIST_GOES_ON = frozenset({"and", "or", "nor", "who", "whom", "whose", "which", "that"})
# the words before whom a body is made of ("a partnership board *made up of* parents and officers")
MADE_OF = (("made", "up", "of"), ("consisting", "of"), ("composed", "of"), ("comprising",), ("formed", "of"))
# verbs that say what a word means: "partnership, in this sense, means that parents are told ..."
DEFINING = frozenset({"means", "meant", "mean", "involves", "involved", "involve", "entails"})


class Participant(NamedTuple):  # a tuple: made several times for every occurrence read
    cls: str
    role: str  # modifier, possessor, with, between, of, head, subject, member
    text: str
    plural: bool = False


class Reading(NamedTuple):  # a tuple, like Participant: one for every occurrence read
    """The sense(s) of one occurrence, why, and whether a reader should check it."""

    senses: tuple[str, ...]
    reason: str
    uncertain: bool = False

    @property
    def label(self) -> str:
        return "+".join(self.senses)


LONGEST = 4  # words in the longest class entry looked for ("lead child protection practitioner")
# tokens either side of a word that its clause reaches at most: text with no stops (a page whose
# full stops lost their spaces) is otherwise one clause, walked once for each word read in it
LONGEST_CLAUSE = 150
# words that end what a definition says its party does ("agreeing plans with each other *before*
# meeting with the family"): a clause's conjunctions but those joining its parts, and time's
DEFINITION_ENDS = (CONJUNCTIONS - {"and", "or"}) | {"before", "after", "until", "than"}
# words that say people hold something each for themselves, or one of them does, not together
APART = {"or", "nor", "either", "neither", "each", "both", "respectively", "separately"}
MODALS = {"should", "must", "will", "would", "can", "could", "may", "might", "shall"}
AS_SUBJECT = 6  # tokens after "As a partner in X," in which the sentence's subject is looked for
DEFINED_PLACE = 4  # words of a place after a defined word ("Partnership in the Fenmoor area, ... means")
# asides set off by commas between a defined word and its verb, and the words they take at most
# ("Partnership, in this county's sense, means": one aside): bounds that keep a reading's cost flat
DEFINED_ASIDES, DEFINED_REACH = 3, 40
SUBJECT_REACH = 40  # tokens from a sentence's start where its subject is looked for
PRONOUN_REACH = 60  # tokens before a pronoun where its person is looked for (and around "their")
LIST_REACH = 16  # phrases of a coordinated list taken at most ("parents, carers and ...")
QUOTE_REACH = 400  # characters before a plural's apostrophe looked at for an open quotation
DEFINED_WITH = 12  # tokens after a definition's first party in which the others it works with are named
Tokens = Sequence[tuple[str, int, int]]  # (token, start, end) in the text, as `wtcompare.text.tokenize` gives
# what near cues look at around a word: its modifiers, and the text before and after it (see Reader._around)
Around = tuple[list[str], str, str]
# a near cue as tests (see _FormCues): its modifiers' test and its phrases before and after as regexes
CueTest = tuple[Callable[[str], bool] | None, re.Pattern[str] | None, re.Pattern[str] | None]


class _Mention(NamedTuple):
    start: int
    end: int  # exclusive
    cls: str
    plural: bool


class _Mentions(dict[int, _Mention | None]):
    """Mentions by token index (None where none starts or ends), computed on first use by ``find``
    and kept (made by `of`)."""

    find: Callable[[int], _Mention | None]

    @classmethod
    def of(
        cls, find: Callable[[int], _Mention | None], known: Iterable[int] = (), unknown: Iterable[int] = ()
    ) -> _Mentions:
        """``known``: the indexes already known to have none, but for those ``unknown`` (given apart:
        the few a mention can start at, in a paragraph all of whose tokens are known). Filled at C
        level by ``fromkeys``, not copied from another dict: one is made for every paragraph read."""
        mentions = typing.cast(_Mentions, cls.fromkeys(known))  # typeshed's fromkeys gives a dict
        for i in unknown:
            del mentions[i]
        mentions.find = find
        return mentions

    def __missing__(self, i: int) -> _Mention | None:
        self[i] = found = self.find(i)
        return found


def _base(token: str) -> str:
    """A possessive read as its word: child's -> child, parents' -> parents."""
    if token.endswith("'s"):
        return token[:-2]
    return token[:-1] if token.endswith("'") else token


class Classes:
    """The lexicon's participant classes, matched as phrases over tokens (longest first)."""

    def __init__(self, participants: dict[str, tuple[str, ...]]):
        self.exact: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.prefixes: list[tuple[tuple[str, ...], str]] = []
        for cls, entries in participants.items():
            for entry in entries:
                words = tuple(_base(w.lower()) for w in entry.split())
                if words[0].endswith("*"):
                    self.prefixes.append((words, cls))
                else:
                    self.exact.setdefault(words[0], []).append((words, cls))
        for options in self.exact.values():
            options.sort(key=lambda o: -len(o[0]))
        # the same entries by first word as (length, the other words -> class), longest first, for
        # one dictionary look-up per length; a first word with a "word*" after it is matched the long way
        self._lengths: dict[str, list[tuple[int, dict[tuple[str, ...], str]]]] = {}
        for first, options in self.exact.items():
            if any(w.endswith("*") for words, _ in options for w in words):
                continue
            by_length: dict[int, dict[tuple[str, ...], str]] = {}
            for words, cls in options:
                by_length.setdefault(len(words), {}).setdefault(words[1:], cls)
            self._lengths[first] = sorted(by_length.items(), reverse=True)

    @staticmethod
    def _word(pattern: str, token: str) -> bool:
        return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern

    def match(self, bases: list[str], i: int) -> tuple[int, str] | None:
        """The longest class entry starting at token i: (end, class)."""
        lengths = None if self.prefixes else self._lengths.get(bases[i])
        if lengths is not None:
            for length, rests in lengths:
                cls = rests.get(tuple(bases[i + 1 : i + length])) if i + length <= len(bases) else None
                if cls is not None:
                    return i + length, cls
            return None
        options = self.exact.get(bases[i])
        if self.prefixes:
            options = (options or []) + [p for p in self.prefixes if self._word(p[0][0], bases[i])]
        if not options:
            return None  # most tokens: one dictionary look-up
        best = None
        for words, cls in options:
            end = i + len(words)
            if end > len(bases) or (best is not None and end <= best[0]):
                continue
            if len(words) == 1 or all(self._word(w, bases[i + k]) for k, w in enumerate(words)):
                best = (end, cls)
        return best

    def starts(self, token: str) -> bool:
        """Whether a class entry can begin with this token."""
        return token in self.exact or any(self._word(p[0][0], token) for p in self.prefixes)

    def of_word(self, word: str) -> str | None:
        found = self.match([word], 0)
        return found[1] if found and found[0] == 1 else None


OPENING_QUOTE = re.compile(r"(?:^|(?<=[\s(\[]))['\u2018]")  # a single quote mark opening a quotation
CLOSING_QUOTE = re.compile(r"(?<=[^\s(\[])['\u2019](?![^\W\d_])")  # one closing it, or a plural's apostrophe
# after a vague person ("a trusted adult *in* school", "*at* the setting"): where they are, a place's staff
PLACED = frozenset({"in", "at", "from", "within", "around"})


@functools.lru_cache(maxsize=1024)
def _phrase(patterns: tuple[str, ...], anchored: str) -> re.Pattern:
    """Cue phrases as one regex over " tok tok " text: ``before`` phrases must end where the word
    starts, ``after`` phrases start right after it. Kept: each scan's reader asks for the same
    phrases (building them is a few milliseconds an edition)."""
    body = "(?:" + "|".join(compile_pattern(x).pattern for x in patterns) + ")"
    return re.compile(body + r"\Z") if anchored == "end" else re.compile(body)


_TOKEN, _START = operator.itemgetter(0), operator.itemgetter(1)  # of a (token, start, end) tuple


class Paragraph:
    """One paragraph prepared for reading senses: tokens, their case, the punctuation between them,
    and the class mentions in it."""

    def __init__(self, text: str, tokens: Tokens, classes: Classes):
        n = len(tokens)
        self.words = words = list(map(_TOKEN, tokens))  # a C-level map: a fifth of preparing a paragraph
        # possessives read as their word; most paragraphs have no apostrophe at all, and share the
        # list (an ASCII text is looked at whole, not joined from its words; beyond ASCII a token's
        # apostrophe may be a folded one)
        apostrophe = "'" in text if text.isascii() else "'" in "".join(words)
        self.bases = [_base(w) if "'" in w else w for w in words] if apostrophe else words
        self._text, self._starts = text, starts = text, list(map(_START, tokens))
        # punctuation between tokens, found in one pass: stops[i] when it stands before token i; one
        # more (False) at the end, so that stops[i] is boundary(i) for any i from -1 to n
        self.stops = stops = [False] * (n + 1)
        self.commas: set[int] = set()  # tokens a comma stands before
        commas = self.commas
        breaks = None  # 1 at each token a sentence starts at, after the first (most paragraphs: none)
        for m in PUNCTUATION.finditer(text, tokens[0][1], tokens[-1][2]) if n else ():
            at = m.start()
            i = bisect.bisect_right(starts, at)
            if not 0 < i < n or at < tokens[i - 1][2]:
                continue  # inside a token: "child-centred", "2.1"
            mark = text[at]
            if mark in ".?!\n":
                if mark != "\n" and not text[at + 1 : at + 2].isspace():
                    continue  # "e.g.x": not the end of a sentence
                if breaks is None:
                    breaks = [0] * n
                breaks[i] = 1
            elif mark == ",":
                commas.add(i)
            stops[i] = True
        dash = text.find(" - ", tokens[0][1]) if n else -1
        while dash != -1:  # a hyphen standing alone between spaces is a dash: it ends a clause
            i = bisect.bisect_right(starts, dash)
            if 0 < i < n:
                stops[i] = True
            dash = text.find(" - ", dash + 3)
        self.sentence = [0] * n if breaks is None else list(itertools.accumulate(breaks))  # by token
        self._clauses: dict[int, tuple[int, int]] = {}
        self._spans: dict[int, range] = {}
        self._named: dict[tuple[int, int], set[str]] = {}
        self.around: dict[int, Around] = {}  # what near cues look at, by token (see Reader._around)
        self._classes = classes
        # every token is known at once to start no class entry but those a class entry can start at,
        # whose mentions are found when first asked for
        starters = map(classes.starts, self.bases) if classes.prefixes else map(classes.exact.__contains__, self.bases)
        self.mention_at = _Mentions.of(self._mention_at, range(n), itertools.compress(range(n), starters))
        self.mention_ending = _Mentions.of(self._mention_ending)

    def _mention_at(self, i: int) -> _Mention | None:
        """The longest class entry starting at token i, not across punctuation. Found when first
        asked for: a reading looks at a few words around the occurrence, not the whole paragraph."""
        found = self._classes.match(self.bases, i) if 0 <= i < len(self.words) else None
        if found is None:
            return None
        end = found[0]
        if end > i + 1 and any(self.stops[i + 1 : end]):
            return None
        last = self.bases[end - 1]
        return _Mention(i, end, found[1], (last.endswith("s") and not last.endswith("ss")) or last in PLURAL_WORDS)

    def _mention_ending(self, j: int) -> _Mention | None:
        """The longest class entry that ends at token j."""
        mention_at = self.mention_at
        for start in range(max(0, j - LONGEST + 1), j + 1):
            m = mention_at[start]
            if m is not None and m.end == j + 1:
                return m
        return None

    def capital(self, i: int) -> bool:
        return self._text[self._starts[i] : self._starts[i] + 1].isupper()

    def titled(self, i: int) -> bool:
        """Whether token i is written with a capital first and no other but after a hyphen
        ("Maya's", "Anne-Marie's"; not "PCSO's")."""
        start = self._starts[i]
        original = self._text[start : start + len(self.words[i])]
        return all(part[:1].isupper() and not any(c.isupper() for c in part[1:]) for part in original.split("-"))

    def boundary(self, i: int) -> bool:
        """Whether punctuation stands between token i-1 and token i (``stops[i]`` for i from -1 to n)."""
        return 0 < i < len(self.words) and self.stops[i]

    def possessive(self, i: int) -> bool:
        word = self.words[i]
        if word.endswith(("'s", "s'")) or word in POSSESSIVE_PRONOUNS:
            return True
        # a plural's apostrophe, which no token keeps ("the parents' partners"), not a quotation's
        # close ("the 'partners'")
        start = self._starts[i]
        end = start + len(word)
        if not (word.endswith("s") and self._text[end : end + 1] in ("'", "\u2019")):
            return False
        # inside a quotation opened with a single quote mark earlier in the sentence ("the
        # principle of 'partnership with families' ...") the mark closes it
        # (over the last QUOTE_REACH characters at most: a run-on sentence is not read again whole
        # for each plural possessive in it)
        reach = max(0, start - QUOTE_REACH)
        before = self._text[max(self._text.rfind(".", reach, start), reach) : start]
        return len(OPENING_QUOTE.findall(before)) <= len(CLOSING_QUOTE.findall(before))

    def opens_list(self, i: int) -> bool:
        """Whether an opening bracket or a colon stands right before token i."""
        return (
            0 < i < len(self.words)
            and self.stops[i]
            and any(mark in "(:" for mark in self._text[self._starts[i - 1] + len(self.words[i - 1]) : self._starts[i]])
        )

    def _opens_clause(self, i: int) -> bool:
        """Whether token i is a word that opens a clause (`CLAUSE_WORDS`): not "that" right after a
        preposition, where it points at a noun ("read behaviour *in that light* and work on their
        relationship", "at that point", "for that reason")."""
        word = self.words[i]
        if word not in CLAUSE_WORDS:
            return False
        return word != "that" or not i or self.words[i - 1] not in PREPOSITIONS

    def clause(self, k: int) -> tuple[int, int]:
        """The clause around token k: from after the last boundary or clause word before it to the
        next boundary or clause word after it (a sentence's end is a boundary)."""
        found = self._clauses.get(k)
        if found is None:
            # a sentence's end is a boundary (a stop), so the walk never leaves the sentence
            words, stops = self.words, self.stops
            start, first = k, max(0, k - LONGEST_CLAUSE)
            while start > first and not stops[start] and not self._opens_clause(start - 1):
                start -= 1
            end, n = k + 1, min(len(words), k + 1 + LONGEST_CLAUSE)
            while end < n and not stops[end] and not self._opens_clause(end):
                end += 1
            found = self._clauses[k] = (start, end)
        return found

    def named(self, span: range) -> set[str]:
        """The classes of the mentions that start in ``span`` (kept: a sentence is asked for once
        for each of its occurrences)."""
        key = (span.start, span.stop)
        found = self._named.get(key)
        if found is None:
            mention_at = self.mention_at
            found = self._named[key] = {m.cls for m in (mention_at[i] for i in span) if m is not None}
        return found

    def sentence_span(self, k: int) -> range:
        """The tokens of token k's sentence."""
        number = self.sentence[k]
        if number not in self._spans:
            first = bisect.bisect_left(self.sentence, number)
            self._spans[number] = range(first, bisect.bisect_right(self.sentence, number))
        return self._spans[number]


# how `Reader.decide` ends for a combination of participants: the rule that fits (or None), whether the
# reading is uncertain, and which participants its reason shows (by index)
_Decision = tuple[SenseRule | None, bool, tuple[int, ...]]


class Reader:
    """Reads the sense of each occurrence of an ambiguous word in a paragraph."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.family_of = lexicon.family_of
        self.classes = Classes(lexicon.participants)
        self.roles = {role: frozenset(lexicon.class_roles.get(role, ())) for role in CLASS_ROLES}
        self.families = {f.id: f for f in lexicon.families}
        self._cues_for: dict[tuple[str, str], _FormCues] = {}  # (family, word form) -> the cues that apply
        # (family, word form, each participant's class, role and number) -> how decide() ends: a rule's
        # outcome depends on nothing else, and the same few combinations recur all through a text
        self._decisions: dict[tuple[str, str, tuple[tuple[str, str, bool], ...], int], _Decision] = {}

    def paragraph(self, text: str, tokens: Tokens) -> Paragraph:
        return Paragraph(text, tokens, self.classes)

    # -- noun phrases -------------------------------------------------------------------------

    def noun_phrase(self, p: Paragraph, i: int, extend: bool = False) -> tuple[Participant | None, int]:
        """The noun phrase starting at token i (after a preposition): its participant (class of its
        last word, or a resolved pronoun) and the index after it. ``extend`` lets unknown nouns
        after a singular class word become the head ("school *attendance*")."""
        n = len(p.words)
        j = i
        if p.words[j : j + 2] in (["at", "least"], ["more", "than"], ["up", "to"]):
            j += 2  # "with at least one practitioner"
        while (
            j < n
            and j - i < 5
            and (p.words[j] in DETERMINERS or p.words[j].isdigit())
            and not (j > i and p.boundary(j))
        ):
            if p.words[j] in POSSESSIVE_PRONOUNS and not self._determines(p, j):
                return self.pronoun(p, j, is_object=True), j + 1  # "with her": the pronoun is the phrase
            j += 1
        if j < n and p.words[j] in PRONOUNS:
            return self.pronoun(p, j, is_object=p.words[j] in ("them", "him", "her")), j + 1
        head, last, k = None, None, j
        while k < n and k - j < 7 and not (k > j and p.boundary(k)):
            word = p.words[k]
            if word in STOP or word in PRONOUNS or (k > j and word in DETERMINERS):
                break
            mention = p.mention_at[k]
            if mention is not None:
                head, last, k = mention, mention.end - 1, mention.end
                continue
            compound = (
                not word.endswith(("s", "ed", "ing", "ly"))
                and k + 1 < n
                and not p.boundary(k + 1)
                and p.mention_at[k + 1] is not None
            )  # "the hospital *play* specialist"
            if (
                head is not None
                and not p.possessive(head.end - 1)
                and not compound
                and (not extend or head.plural or word.endswith(("s", "ed", "ing", "ly")))
            ):
                break  # a verb after the phrase ("parents take"), not a noun it modifies ("school attendance")
            last, k = k, k + 1
        one = j - 1 if last is None and j > i and p.words[j - 1] == "one" else j if last == j else -1
        named = self._one(p, one) if head is None and one >= 0 and self._stands_for_someone(p, i, one) else None
        if named is not None:
            # "a relationship with *one*", "with *the ones* they had": the person or people named before
            return named, k
        if head is None and last is not None and p.words[last] in GROUPS and k < n and p.words[k] == "of":
            return self.noun_phrase(p, k + 1, extend)  # "a *group of* parents": the parents
        if last is None:
            return None, k
        if k < n and p.words[k] in REFLEXIVE and not p.boundary(k):
            k += 1
        # an owner's phrase is its last class word ("the adult's community psychiatric *nurse*"), or the
        # owner when no class word follows ("the family's agreement")
        if head is not None and (head.end - 1 == last or p.possessive(head.end - 1)):
            return Participant(head.cls, "", " ".join(p.words[head.start : head.end]), head.plural), k
        text = " ".join(p.words[j : last + 1])
        return Participant(SOMEONE if head is None and p.capital(last) else SOMETHING, "", text), k  # "with Mia"

    @staticmethod
    def _stands_for_someone(p: Paragraph, i: int, j: int) -> bool:
        """Whether "one" or "ones" at j, in the noun phrase starting at i, stands for a person named
        before: "with *one*", "with *the ones* they had"; not "one *of* the neighbours" (the noun
        after it says who), "no one", "each one", "another one", "one or both parents"."""
        words = p.words
        if words[j] not in ("one", "ones") or (j + 1 < len(words) and words[j + 1] in ("of", "another", "or", "and")):
            return False
        return not (j > i and words[j - 1] in ("no", "any", "every", "each", "some", "another", "which"))

    def _one(self, p: Paragraph, j: int) -> Participant | None:
        """Whom "one" or "ones" at j stands for: the nearest person named before it in the sentence,
        of either number for "one" ("who their social worker was, let alone a relationship with
        *one*"; "three social workers in a year, and no relationship with *one*"), people for "ones"
        ("fewer workers and longer relationships with *the ones* they had")."""
        plural = p.words[j] == "ones"
        for k in range(j - 1, -1, -1):
            if p.sentence[k] != p.sentence[j]:
                break
            m = p.mention_ending[k]
            modifies = k + 1 < j and p.mention_at[k + 1] is not None and not p.boundary(k + 1)  # "a *family* hub"
            if m is not None and m.cls in self.roles["persons"] and (m.plural or not plural) and not modifies:
                return Participant(m.cls, "", f"{p.words[j]} ({' '.join(p.words[m.start : m.end])})", plural)
        return None

    @staticmethod
    def _determines(p: Paragraph, j: int) -> bool:
        """Whether a possessive pronoun stands before a noun ("her mother") rather than for one
        ("with her rather than"): a class word follows within three words."""
        for k in range(j + 1, min(j + 4, len(p.words))):
            if p.boundary(k) or p.words[k] in STOP:
                return False
            if p.mention_at[k] is not None:
                return True
        return False

    def phrase_list(self, p: Paragraph, i: int, extend: bool = False) -> tuple[list[Participant], int]:
        """Coordinated noun phrases from token i: "school, health, social care and the family"; "each
        other" and "one another" are the clause's subject ("agencies work with *each other*"), or
        those asked to do what the clause says ("help *the family and the school* to build a
        relationship with each other")."""
        if tuple(p.words[i : i + 2]) in RECIPROCAL:
            return self._reciprocal(p, i), i + 2
        found, k = [], i
        while True:
            participant, k = self.noun_phrase(p, k, extend)
            if participant is None:
                break
            found.append(participant)
            if (
                k < len(p.words)
                and p.words[k] in ("and", "or")
                and k + 1 < len(p.words)
                and p.words[k + 1] not in PREPOSITIONS
                and not self.family_of(p.words[k + 1])
                and not (k + 2 < len(p.words) and self.family_of(p.words[k + 2]))
            ):
                k += 1
            elif (
                k < len(p.words)
                and k in p.commas
                and p.words[k] not in STOP
                and not self.family_of(p.words[k])
                and (p.words[k] in DETERMINERS or p.mention_at[k] is not None)
                and self._listed_on(p, k)
            ):
                continue
            else:
                break
        return found, k

    def _listed_on(self, p: Paragraph, k: int) -> bool:
        """Whether the noun phrase at ``k``, after a comma, is an item of the list before it: another
        "and", "or" or comma follows it, a relative clause or a phrase of its own ("parents *who* use
        its services", "parents *of* disabled children"), or its clause ends ("with schools, health,
        and the police"); not a verb ("with her mother, *the health visitor* saw ...": a new clause)."""
        _, end = self.noun_phrase(p, k)
        return end >= len(p.words) or p.boundary(end) or p.words[end] in LIST_GOES_ON or p.words[end] in PREPOSITIONS

    def _reciprocal(self, p: Paragraph, i: int) -> list[Participant]:
        """Whom "each other" at token i stands for: the noun phrases right before the "to" of the
        clause's infinitive ("support *parents and children* to rebuild relationships with each
        other"), else the clause's subject ("practitioners need to build ...": no phrase before it)."""
        start, _ = p.clause(i)
        for t in range(i - 1, start, -1):
            if p.words[t] == "to" and p.mention_ending[t - 1] is not None and not p.possessive(t - 1):
                found = [x for x in self.phrases_ending(p, t - 1) if x.cls not in (SOMEONE, SOMETHING)]
                if found:
                    return found
        return self.side(p, i)

    def phrases_ending(self, p: Paragraph, j: int, serial: bool = True) -> list[Participant]:
        """Coordinated noun phrases whose last ends at token j, walking back: "children and young
        people". ``serial=False`` (modifiers before a noun) stops at ", and" or a comma unless they
        are in a list: there ", and" joins clauses ("around early help, and parental involvement")."""
        found: list[Participant] = []
        words, stops, mention_ending = p.words, p.stops, p.mention_ending
        while j >= 0 and (m := mention_ending[j]) is not None and len(found) < LIST_REACH:
            found.append(Participant(m.cls, "", " ".join(words[m.start : m.end]), m.plural))
            k = m.start - 1
            # past its article and owner: "foster carers and *the child's* teachers"
            while k >= 0 and (words[k] in DETERMINERS or p.possessive(k)) and not stops[k + 1]:
                k -= 1
            if k >= 0 and words[k] in ("and", "or", "nor") and not stops[k + 1]:
                if not (serial or k not in p.commas or self._listed(p, k - 1)):
                    break  # "offered early help, and parental involvement": a clause ends at ", and"
                # "family, school and police partnership", "parent, carer, and school": a list
                j, serial = k - 1, True
            elif k >= 2 and p.words[k - 2 : k + 1] == ["as", "well", "as"]:
                j = k - 3  # "fathers, as well as mothers"
            elif not serial:
                break
            elif k >= 0 and (k + 1) in p.commas:
                j = k
            else:
                break
        return found

    @staticmethod
    def _listed(p: Paragraph, j: int) -> bool:
        """Whether the mention ending at j follows a comma after another mention: the middle of a
        list ("parent, *carer*, and school"), not a clause's end ("offered early *help*, and")."""
        m = p.mention_ending[j] if j >= 0 else None
        return m is not None and m.start in p.commas and p.mention_ending[m.start - 1] is not None

    def pronoun(self, p: Paragraph, j: int, is_object: bool = False) -> Participant:
        """A pronoun's person: the nearest earlier mention of a person of the same number in the
        sentence (``its``: the nearest agency; ``whom``: the phrase before it). An object ("worked
        with *them*") is never the subject of its own clause: practitioners who work with them are
        not working with themselves."""
        word = p.words[j]
        if word in ("whom", "who"):
            return self._antecedent(p, j) or Participant(SOMEONE, "", word)
        subject = {x.text for x in self.subject(p, j)} if is_object else set()
        sentence = p.sentence[j]
        same, other = (FEMININE, MASCULINE) if word in FEMININE else (MASCULINE, FEMININE)
        if word in SINGULAR_PRONOUNS:
            speaker = self._speaker(p, j)
            if speaker is not None and speaker.text.split()[-1] in same:
                return speaker
        for k in range(j - 1, max(-1, j - 1 - PRONOUN_REACH), -1):
            if p.sentence[k] != sentence:
                break
            m = p.mention_ending[k]
            if m is None or self._in_title(p, m, j):
                continue  # none, or a word of someone's title: "family" of "the family worker"
            text = " ".join(p.words[m.start : m.end])
            if word in ("it", "its"):
                if m.cls in self.roles["bodies"]:
                    return Participant(m.cls, "", text, m.plural)
            elif (
                m.cls in self.roles["persons"]
                and ((m.plural or p.bases[m.end - 1] in COLLECTIVE) if word in PLURAL_PRONOUNS else not m.plural)
                and not (word in SINGULAR_PRONOUNS and p.bases[m.end - 1] in COLLECTIVE)
                and text not in subject
            ):
                if word in SINGULAR_PRONOUNS and p.bases[m.end - 1] in other:
                    continue
                return Participant(m.cls, "", text, m.plural)
        # "their (working) relationship": a word whose sides are held by people
        # (`Ambiguous.holders`), of which "their" names one
        if word == "their" and self._held(p, j) is not None:
            return self._singular_they(p, j)
        return Participant(SOMEONE, "", word)

    def _held(self, p: Paragraph, j: int) -> int | None:
        """The place of a word whose sides people hold (`Ambiguous.holders`) right after the
        possessive at j, or after one word that describes it ("their *working* relationship",
        "their *close* relationship"; not a person's or a body's word: "their school relationship"
        may be the school's); None if there is none."""
        for k in (j + 1, j + 2):
            if k >= len(p.words) or p.boundary(k):
                return None
            family = self.family_of(p.words[k])
            if family is not None and family.holders:
                return k
            if p.mention_at[k] is not None or not p.words[k].islower():
                return None
        return None

    def _in_title(self, p: Paragraph, m: _Mention, j: int) -> bool:
        """Whether the mention ``m``, before token j, is a word of someone's title, not a person:
        "family" of "the family worker" (a person's class that is no kin's follows it)."""
        title = p.mention_at[m.end] if m.end < j and not p.boundary(m.end) else None
        return title is not None and title.cls in self.roles["persons"] - self.roles["kin"]

    def _singular_they(self, p: Paragraph, j: int) -> Participant:
        """Whom "their" at j, before a word whose sides people hold ("their relationship"), stands for
        when the sentence names no people before it: its clause's subject when that is one person,
        as current guidance writes of a practitioner or a child ("the lead practitioner is
        responsible for *their* relationship with the family"), or one body ("the school reviewed
        *their* relationship"); not anyone where an earlier "they" or "them" stands for people the
        sentence does not name ("help *them* repair *their* relationship"), nor where a "their" goes
        with a family word ("their relationship with *their (own, extended) family*": whoever it
        is, the relationship is theirs with their own family, not a practitioner's). Two people the
        sentence names, a practitioner and one of the family, come before the subject (`_two_people`)."""
        unknown = Participant(SOMEONE, "", p.words[j])
        span = p.sentence_span(j)
        for k in range(max(span.start, j - PRONOUN_REACH), min(span.stop - 1, j + PRONOUN_REACH)):
            if p.words[k] not in PLURAL_PRONOUNS:
                continue
            if (
                k < j
                and p.words[k] in ("they", "them")
                and self.pronoun(p, k, is_object=p.words[k] == "them").cls == SOMEONE
            ):
                return unknown
            # "their (own, extended) family", "their relationship with parents": the first person or
            # body named in the next three words, past a word that describes the relationship
            # ("their *working* relationships with parents", as `_held` reads it)
            reach = k + 4 + (self._held(p, k) == k + 2)
            owned = next((m for i in range(k + 1, min(reach, span.stop)) if (m := p.mention_at[i]) is not None), None)
            if owned is not None and owned.cls in self.roles["kin"]:
                return unknown
        pair = self._two_people(p, j)
        if pair is not None:
            return pair
        subject = self.subject(p, j)
        return Participant(subject[0].cls, "", subject[0].text) if len(subject) == 1 else unknown

    def _two_people(self, p: Paragraph, j: int) -> Participant | None:
        """ "their" at j as two people the sentence names before it, one of the family's ``nearby``
        class and one of kin ("the mother said the lead professional had explained things to her,
        and *their* relationship ..."): the relationship is the two's, read as that of the nearby
        one (a practitioner's with a parent). None unless exactly two such people are named, each
        once and in the singular (not a vague "person")."""
        k = self._held(p, j)
        family = self.family_of(p.words[k]) if k is not None else None
        if k is None or family is None or not family.nearby or p.words[k + 1 : k + 2] in (["with"], ["between"]):
            return None  # "their relationship *with the boy*": not the two's with each other
        if self._speaker(p, j) is not None:
            return None  # "the mother told the teacher *that their* relationship ...": the speaker's, as before
        nearby = {cls for cls, _ in family.nearby}
        people: dict[str, Participant] = {}
        named = 0
        span = p.sentence_span(j)
        for end in range(max(span.start, j - PRONOUN_REACH), j):
            m = p.mention_ending[end]
            if m is None or m.cls not in self.roles["persons"] or m.cls in family.vague or self._in_title(p, m, j):
                continue
            if m.plural:
                return None
            named += 1
            text = " ".join(p.words[m.start : m.end])
            people.setdefault(text, Participant(m.cls, "", text))
        if len(people) != 2 or named != 2:
            return None  # exactly two people, each named once
        first, second = people.values()
        for one, other in ((first, second), (second, first)):
            if one.cls in nearby and other.cls in self.roles["kin"]:
                return one
        return None

    def _speaker(self, p: Paragraph, j: int) -> Participant | None:
        """Who tells, says or asks what the clause of the pronoun at j says ("the girl told the youth
        worker *that her* relationship with *her* stepfather ..."): the subject of a verb of saying
        within four words before the "that" opening the clause, when it is one person."""
        start, _ = p.clause(j)
        that = start - 1
        if that < 1 or p.words[that] != "that" or p.boundary(that) or p.boundary(start):
            return None
        verb = next((v for v in range(that - 1, max(-1, that - 5), -1) if p.words[v] in SAYING), None)
        if verb is None:
            return None
        found = self.subject(p, verb)
        return found[0] if len(found) == 1 and found[0].cls in self.roles["persons"] else None

    @staticmethod
    def _before_aside(p: Paragraph, start: int) -> Participant | None:
        """The noun an aside opening at ``start`` ("..., many of whom") is about: the last one before
        it in the sentence, not in a phrase that qualifies it ("children *in kinship care*")."""
        candidate = None  # a noun in a phrase after a preposition: the one meant unless a noun precedes it
        span_start = p.sentence_span(start).start  # a sentence's first word is capitalised, name or not
        end = start - 1
        while end >= 0 and start - end <= APPOSED_AFTER and p.sentence[end] == p.sentence[start]:
            m = p.mention_ending[end]
            if m is None:
                if candidate is not None and p.words[end] not in DETERMINERS | PREPOSITIONS:
                    break  # "the experience of *children* in kinship care": no noun of a class before it
                end -= 1
                continue
            before = m.start - 1
            while before >= 0 and (
                p.words[before] in DETERMINERS
                or (p.capital(before) and before > max(span_start, m.start - APPOSED_AFTER))
            ):
                before -= 1  # "at the *Meadow Lane* children's home": a name's words
            found = Participant(m.cls, "", " ".join(p.words[m.start : m.end]), m.plural)
            if before < 0 or p.words[before] not in PREPOSITIONS:
                return found
            candidate = candidate or found
            end = before - 1
        return candidate

    def _antecedent(self, p: Paragraph, j: int) -> Participant | None:
        """Who "who" or "whom" at j stands for: the noun before it (or before "with whom"), not a place
        that qualifies it ("the one adult *in school* with whom": the adult), and in coordinated
        relative clauses the first one's ("a worker who stayed, who listened and with whom")."""
        end = (j - 1 if j and p.words[j - 1] in PREPOSITIONS else j) - 1
        for _ in range(4):
            if end < 0:
                return None
            m = p.mention_ending[end]
            if m is not None:
                before = m.start - 1
                while before >= 0 and p.words[before] in DETERMINERS:
                    before -= 1
                if before < 0 or p.words[before] not in PREPOSITIONS or p.sentence[before] != p.sentence[j]:
                    return Participant(m.cls, "", " ".join(p.words[m.start : m.end]), m.plural)
                end = before - 1  # the phrase qualifies the noun before its preposition
            elif p.words[end] in ("and", "or") or end + 1 in p.commas:
                i = end
                while i >= 0 and p.sentence[i] == p.sentence[j] and p.words[i] not in ("who", "whom"):
                    i -= 1
                if i < 0 or p.sentence[i] != p.sentence[j]:
                    return None
                end = (i - 1 if i and p.words[i - 1] in PREPOSITIONS else i) - 1
            else:
                return None
        return None

    # -- structures ---------------------------------------------------------------------------

    def participants(self, p: Paragraph, k: int, family: Ambiguous) -> list[Participant]:
        """Participants the phrase around token k names: modifiers, owner, the noun it modifies,
        the objects of with, between, of, in which, with whom, and a holding verb's subject."""
        found = self._modifiers(p, k)
        with_at = self._with_object(p, k)
        kin = self.kin(p, with_at) if with_at is not None else []
        owner = self.owner(p, k, subject_first=not kin, family=family)
        if kin and owner is not None and owner.cls in self.roles["persons"]:
            # "a young carer's relationship with their parent": the relative is the owner's, whatever
            # the pronoun's number (a singular "their"), not the nearest plural's ("Practitioners
            # should consider whether ...")
            whose = owner.text.partition(" (")[2][:-1] or owner.text  # "her (girl)": the girl
            kin = [Participant(owner.cls, "kin", f"{kin[0].text.split()[0]} ({whose})", owner.plural)]
        if owner is not None:
            found.append(owner)
        head = self._head(p, k)
        if head is not None:
            found.append(head)
        found += self._objects(p, k, with_at, kin, [x for x in found if x.role in ("possessor", "modifier")])
        members = self._made_of(p, k)
        if members:
            # "a partnership board *made up of* parents and council officers": its sides, not the board
            found = [x for x in found if x.role != "head"] + members
        if not any(x.role in ("with", "between", "of") for x in found):
            found.extend(self.relative(p, k, family))
        whom = self._with_whom(p, k)
        if whom is not None:
            found.append(whom)
        if family.holders and owner is None and not any(x.role == "subject" for x in found):
            found.extend(self.holder(p, k, family))
        named = [x for x in found if x.cls not in (SOMEONE, SOMETHING)]
        if named and all(x.role == "with" for x in named):
            found.extend(
                Participant(x.cls, UNSTATED, x.text, x.plural)
                for x in self.side(p, k)
                if x.cls in self.roles["persons"]
            )
        return [x for x in found if x.cls != SOMETHING or x.role in ("between", "with")]

    def _made_of(self, p: Paragraph, k: int) -> list[Participant]:
        """Whom a partnership "made up of", "consisting of" or "comprising" X names (after the word
        or the noun it modifies, "partnership *board*"): X."""
        words = p.words
        i = k + 1
        head = p.mention_at[i] if i < len(words) and not p.boundary(i) else None
        if head is not None:
            i = head.end
        for phrase in MADE_OF:
            if tuple(words[i : i + len(phrase)]) == phrase and not p.boundary(i):
                items, _ = self.phrase_list(p, i + len(phrase), extend=True)
                return [
                    Participant(x.cls, "between", x.text, x.plural) for x in items if x.cls not in (SOMEONE, SOMETHING)
                ]
        return []

    def _modifiers(self, p: Paragraph, k: int) -> list[Participant]:
        """Compound modifiers, which say whom the word is of: the classed parts after the word's own
        in a hyphenated form ("partner-agency"), and the class phrase right before the word ("*peer*
        relationships"; an owner's is found by `owner`) or else the classed parts of a hyphenated
        word there ("*parent-child* relationships")."""
        words = p.words
        found: list[Participant] = []
        for part in words[k].split("-")[1:] if "-" in words[k] and self.family_of(words[k].split("-")[0]) else []:
            cls = self.classes.of_word(part)
            if cls:
                found.append(Participant(cls, "modifier", part))
        j = k - 1
        if j >= 0 and not p.stops[k]:
            if p.mention_ending[j] is not None and not p.possessive(j):
                found.extend(
                    Participant(x.cls, "modifier", x.text, x.plural) for x in self.phrases_ending(p, j, serial=False)
                )
            elif "-" in words[j] and not p.possessive(j):
                for part in words[j].split("-"):
                    cls = self.classes.of_word(part)
                    if cls:
                        found.append(Participant(cls, "modifier", part))
        return found

    def _head(self, p: Paragraph, k: int) -> Participant | None:
        """The noun the word modifies ("partner *agencies*"), or a class entry that holds the word and
        the words after it; a noun of no class is no participant here."""
        words, mention_at = p.words, p.mention_at
        whole = mention_at[k]
        if whole is not None and whole.end > k + 1:
            return Participant(whole.cls, "head", " ".join(words[whole.start : whole.end]), whole.plural)
        if k + 1 < len(words) and not p.stops[k + 1] and mention_at[k + 1] is not None and words[k + 1] not in STOP:
            participant, _ = self.noun_phrase(p, k + 1)
            if participant is not None and participant.cls != SOMETHING:
                return Participant(participant.cls, "head", participant.text, participant.plural)
        return None

    def _objects(
        self, p: Paragraph, k: int, with_at: int | None, kin: list[Participant], owners: list[Participant]
    ) -> list[Participant]:
        """The objects of with / between / among / across / within / of / in which after the word: up
        to two words after it ("partnership working with"), after a verb's auxiliaries ("partnership
        can be achieved with them"), or set off by commas ("a partnership, between the agencies and
        with the family, is needed"); "across" only before bodies in the plural ("partnership across
        agencies").
        The relatives of a "with" object belong to their owner (see `kin`; ``kin`` are those of the
        object at ``with_at``, already found). "With each other" names the sides among themselves:
        the phrase's ``owners`` when it has them ("the parents' relationship with each other", not
        the practitioners who ask about it)."""
        n, words, stops, mention_at = len(p.words), p.words, p.stops, p.mention_at
        found: list[Participant] = []

        def add(items: Iterable[Participant], role: str) -> None:
            found.extend(Participant(x.cls, role, x.text, x.plural) for x in items)

        i = k + 1
        skipped, limit = 0, 2
        while (
            i < n
            and skipped <= limit
            and (not stops[i] or (i == k + 1 and i in p.commas and words[i] in ("with", "between")))
        ):
            word = words[i]
            if word in ("with", "between", "among", "amongst", "within", "across") or (
                i == k + 1 and (word == "of" or (word in JOINING and words[k].startswith("partnership")))
            ):
                role = "of" if word == "of" else ("with" if word == "with" else "between")
                # between two factors, unknown nouns after a class word are the head ("school attendance")
                items, after = self.phrase_list(p, i + 1, extend=word in ("between", "among", "amongst"))
                among = word == "with" and tuple(words[i + 1 : i + 3]) in RECIPROCAL
                if among:
                    # "staff should build relationships with each other"; an owner no one is named for
                    # ("helped the young person and his mother to rebuild *their* relationship") says nothing
                    known = [x for x in owners if x.cls not in (SOMEONE, SOMETHING)]
                    role, items = "between", known or items
                if role == "of" and all(x.cls in (SOMEONE, SOMETHING) for x in items) and after > i + 1:
                    i, skipped = after, skipped + 1  # "a relationship of trust between the family and ..."
                    continue
                if word == "across" and not (items and all(x.cls in self.roles["bodies"] and x.plural for x in items)):
                    # "partnership across agencies" (bodies, in the plural) names its sides;
                    # "relationships across the school with every family", a place
                    i, skipped = after, skipped + 1
                    continue
                # "between the agencies and with the parents", "with parents and across agencies"
                if (
                    after + 1 < n
                    and words[after] == "and"
                    and words[after + 1] in ("with", "between", "across", "among", "amongst")
                ):
                    more, _ = self.phrase_list(p, after + 2)
                    items += more
                add(items, role)
                if role == "with":
                    found.extend(kin if i + 1 == with_at else self.kin(p, i + 1))
                if word == "between" and items and all(x.cls == SOMETHING for x in items):
                    found.append(Participant(SOMETHING, "between", "two factors"))
                break
            if word == "in" and i + 1 < n and words[i + 1] in ("which", "whom"):
                items, _ = self.phrase_list(p, i + 2)
                add(items, "with")
                break
            if word in AUXILIARIES and skipped == 0 and i - k <= 3:
                limit = 1  # after "can be", "has been" only their participle: "can be achieved with them"
                i += 1
                continue
            if (
                word in STOP
                or self.family_of(word)
                or mention_at[i]
                or (limit == 1 and not (word.endswith(PARTICIPLE) or word in AFTER_NOUN))
            ):
                break
            skipped += 1
            i += 1
        return found

    def _with_whom(self, p: Paragraph, k: int) -> Participant | None:
        """Who "with whom" earlier in the word's clause stands for ("parents with whom the service
        should work in partnership"), looked for only within twelve words."""
        words = p.words
        if "whom" not in words[max(0, k - 12) : k]:
            return None
        start, _ = p.clause(k)
        for i in range(k - 1, max(start - 1, k - 12), -1):
            if words[i] == "whom" and i and words[i - 1] == "with":
                who = self.pronoun(p, i)
                return Participant(who.cls, "with", who.text, who.plural)
        return None

    def relative(self, p: Paragraph, k: int, family: Ambiguous) -> list[Participant]:
        """Who a relative clause after the word names: the subject of a holding verb and its "with"
        ("the relationship (that) *a pastoral lead* builds *with a pupil*"), or the "with" after the
        clause's own verb "be" ("the relationship that mattered most to her was *with the play
        specialist*")."""
        n, words = len(p.words), p.words
        j = k + 1
        relative = j < n and words[j] in ("that", "which") and not p.boundary(j)
        j += relative
        if family.holders and j < n and not p.boundary(j) and (words[j] in DETERMINERS or words[j] in PRONOUNS):
            for v in range(j + 1, min(j + 5, n)):
                if p.boundary(v):
                    break
                if family.holds_verb(words[v]):
                    doers = [self.pronoun(p, v - 1)] if words[v - 1] in PRONOUNS else self.phrases_ending(p, v - 1)
                    found = [Participant(x.cls, "subject", x.text, x.plural) for x in doers]
                    if v + 1 < n and words[v + 1] == "with" and not p.boundary(v + 1):
                        items, _ = self.phrase_list(p, v + 2)
                        found += [Participant(x.cls, "with", x.text, x.plural) for x in items]
                    return found
                if words[v] in STOP:
                    break
        for i in range(j, min(j + 12, n - 1)) if relative else ():
            if p.sentence[i] != p.sentence[k] or self.family_of(words[i]):
                break
            if words[i] in BE and words[i + 1] == "with" and not p.boundary(i + 1):
                items, _ = self.phrase_list(p, i + 2)
                return [Participant(x.cls, "with", x.text, x.plural) for x in items]
        return []

    def side(self, p: Paragraph, k: int) -> list[Participant]:
        """The other side of a phrase that names one ("a relationship with the child", "partnership
        with professionals"): the subject of the word's clause, or its owner ("*a parent's* illness
        can strain the relationship with a child"), or a relative clause's antecedent. Not a subject
        of an earlier clause: "parents said that partnership with the police had failed". A body
        there is not taken (by the caller) as a side: "partner agencies should value a good
        relationship with parents" is their practitioners'. Past a relative clause, as
        `_past_relative` reads it ("schools which may not know the family should work in
        partnership with the health visitor": the schools)."""
        start, _ = p.clause(k)
        past = self._past_relative(p, start, k, holders=False)
        if past is not None:
            return past
        for i in range(start, k):
            if p.words[i] in ("they", "he", "she"):
                who = self.pronoun(p, i)
                return [] if who.cls == SOMEONE else [who]
            m = p.mention_at[i]
            if m is None or m.end > k or self.family_of(p.words[i]) or self._in_phrase(p, i):
                continue
            items, _ = self.phrase_list(p, i)
            return [x for x in items if x.cls not in (SOMEONE, SOMETHING)]
        if start > 1 and p.words[start - 1] in ("who", "which"):
            return self.phrases_ending(p, start - 2)
        return []

    def holder(self, p: Paragraph, k: int, family: Ambiguous) -> list[Participant]:
        """Who has, builds or keeps the relationship: the subject of a holding verb right before the
        word and its modifiers ("the school nurse *developed* a trusting relationship with the boy")."""
        j = k - 1
        while j >= 0 and k - j <= 5 and not p.boundary(j + 1):
            word = p.words[j]
            if family.holds_verb(word):
                before = p.mention_ending[j - 2] if j >= 2 and p.words[j - 1] == "to" else None
                preposition = self._preposition(p, before.start) if before is not None else None
                if before is not None and preposition in (None, "for"):
                    # "expect staff to build a relationship", "funding *for mentors* to build
                    # relationships": the doer is the noun before "to"
                    return [Participant(x.cls, "subject", x.text, x.plural) for x in self.phrases_ending(p, j - 2)]
                if preposition == "with":
                    # "need time *with children* to build relationships": the clause's subject and
                    # those it spends the time with ("children need time with their social worker")
                    return self.subject(p, j + 1, holders=True) + [
                        Participant(x.cls, "with", x.text, x.plural) for x in self.phrases_ending(p, j - 2)
                    ]
                return self.subject(p, j + 1, holders=True)  # "support *from the health visitor* to build": a helper
            # modifiers joined by "and", "but" or "or" are one ("a close *but* burdensome relationship");
            # not a clause or a noun joined to the word ("held a meeting *and* relationships worsened")
            joined = word in ("and", "but", "or") and j + 1 < k
            if (word in STOP and not joined) or p.possessive(j) or p.mention_ending[j] is not None:
                return []
            j -= 1
        return []

    def _with_object(self, p: Paragraph, k: int) -> int | None:
        """Where the object of a "with" right after the word (or two words on) starts."""
        words, stops = p.words, p.stops
        for i in range(k + 1, min(k + 4, len(words))):
            if stops[i]:
                return None
            if words[i] == "with":
                return i + 1
            if words[i] in STOP:
                return None
        return None

    def kin(self, p: Paragraph, i: int) -> list[Participant]:
        """In "his relationship with his stepfather", "with their grandparents", the relative belongs
        to the pronoun's person, who is the other side: returned with role "kin"."""
        j = i
        while j < len(p.words) and p.words[j] in DETERMINERS and p.words[j] not in POSSESSIVE_PRONOUNS:
            j += 1
        if j < len(p.words) and p.words[j] in ("his", "her", "their") and self._determines(p, j):
            m = next(
                (p.mention_at[x] for x in range(j + 1, min(j + 4, len(p.words))) if p.mention_at[x] is not None), None
            )
            if m is not None and m.cls in self.roles["kin"]:
                whose = self.pronoun(p, j)
                return [Participant(whose.cls, "kin", f"{p.words[j]} ({whose.text})", whose.plural)]
        return []

    def owner(
        self, p: Paragraph, k: int, subject_first: bool = True, family: Ambiguous | None = None
    ) -> Participant | None:
        """The owner before the word and its modifiers: "the key worker's relationship", "her
        partner", "a child *whose* relationship" (the relative's antecedent). A possessive pronoun is
        the clause's subject when it agrees ("social workers should work with parents throughout
        *their* involvement"), else the nearest person. Not across a verb of the family's that holds
        the word: in "the centre's workers *developed* relationships" the owner is of the doers (a
        participle right after an owner is no verb: "the mother's *developing* relationship")."""
        j, words, stops = k - 1, p.words, p.stops
        while j >= 0 and k - j <= 4 and not stops[j + 1]:
            word = words[j]
            if family is not None and family.holds_verb(word) and not self._participle(p, j, k):
                return None
            if word == "whose":
                antecedent = self.phrases_ending(p, j - 1)
                if (
                    not antecedent
                    and family is not None
                    and family.predicative
                    and j > 1
                    and p.boundary(j)
                    and p.words[j - 2] in TITLES
                    and p.titled(j - 1)
                    and not words[k].endswith("s")
                ):
                    # "Ms Grant, whose partner worked as a police officer": a person's
                    return Participant(SOMEONE, "possessor", f"whose ({p.words[j - 2]} {p.words[j - 1]})")
                if not antecedent:
                    return None
                first = antecedent[0]
                return Participant(first.cls, "possessor", f"whose ({first.text})", first.plural)
            if p.possessive(j):
                if word in POSSESSIVE_PRONOUNS:
                    subject = self.subject(p, j) if subject_first and word in ("his", "her", "their") else []
                    agrees = [x for x in subject if x.cls in self.roles["persons"] and x.plural == (word == "their")]
                    found = agrees[0] if len(subject) == 1 and agrees else self.pronoun(p, j)
                    return Participant(found.cls, "possessor", f"{word} ({found.text})", found.plural)
                m = p.mention_ending[j]
                if (
                    m is None
                    and j > 0
                    and p.capital(j)
                    and words[j - 1] in TITLES
                    and not words[k].endswith("s")
                    and not (k + 1 < len(words) and p.mention_at[k + 1] is not None and not p.boundary(k + 1))
                ):
                    # "Mr Ahmed's partner": a person's; "Dr Barnardo's partners" are a charity's, and
                    # "Dame Eleanor's partner charity" a body
                    return Participant(SOMEONE, "possessor", f"{words[j - 1]} {word}")
                named = self._name_class(p, j, k, family) if family is not None and m is None else ""
                if named:
                    # "Maya's relationship with older boys": the relationship is Maya's, not a reader's
                    # with the boys; "Kelly's partner" is a person
                    return Participant(named, "possessor", word)
                return Participant(
                    m.cls if m else SOMETHING,
                    "possessor",
                    " ".join(p.words[m.start : m.end]) if m else word,
                    m.plural if m else False,
                )
            if word in STOP or word in DETERMINERS:
                return None
            j -= 1
        return None

    def _name_class(self, p: Paragraph, j: int, k: int, family: Ambiguous) -> str:
        """The class of an owner at ``j`` named by a name alone (`_named`), or "" when the word's
        family takes none there: the class the text gives the name ("Sam, the family's social
        worker, ..."), else the family's ``named`` class where nothing says the name may be an
        organisation's or an area's, or a practitioner's:

        * not after a determiner ("the Trust's partner");
        * a partner's owner right before it ("Kidsafe's *delivery* partner" is a body's), not before a
          classed noun ("Kidsafe's partner *charity*"), nor a partner "in" something ("Harrowby's
          partner *in the pilot*"), nor one the text says is a body ("partner, the Lindfield Youth
          Trust,", "partner ... was Lindfield Borough Council");
        * a relationship's owner not in a sentence that names someone of the family's ``nearby``
          class, who may be the name's role ("Social worker Sam Okafor's relationship"; "Priya had
          been the family's health visitor, and Priya's relationship ..."), nor one the sentence
          calls "it" ("Kidsafe's relationship with the families *it* supports")."""
        named = family.named_owner(p.words[k])
        if not named or not self._named(p, j) or (j > 0 and p.words[j - 1] in DETERMINERS):
            return ""
        words = p.words
        if family.predicative:
            if j != k - 1 or (k + 1 < len(words) and words[k + 1] == "in" and not p.boundary(k + 1)):
                return ""
            if k + 1 < len(words) and not p.boundary(k + 1) and not p.possessive(k) and p.mention_at[k + 1] is not None:
                return ""
            # who the partner is: an aside right after it ("partner, the Trust,"), a name with "the"
            # there ("partner, the Lindfield Youth Trust,": a body; a person's is "partner, Kelly,"),
            # or what the clause says it is ("partner ... *was* Lindfield Borough Council")
            _, end = p.clause(k)
            said = k + 1 if p.boundary(k + 1) else next((x + 1 for x in range(k + 1, end) if words[x] in BE), None)
            if said is not None and said < len(words) and words[said] == "the":
                x = said + 1
                while (
                    x < min(len(words), said + APPOSED_AFTER)
                    and p.capital(x)
                    and not p.boundary(x)
                    and not p.possessive(x)
                ):
                    x += 1
                if x > said + 1 and not (x < len(words) and p.possessive(x)):
                    return ""  # "the Lindfield Youth Trust", not "the Eastmere Youth Trust's caretaker"
            if said is not None and said < len(words):
                who, _ = self.noun_phrase(p, said)
                if who is not None and who.cls in self.roles["bodies"]:
                    return ""
            return self._apposed_class(p, j) or named
        role = self._apposed_class(p, j)
        if role:
            return role
        sentence = p.sentence_span(k)
        near = range(max(sentence.start, k - APPOSED_BEFORE), min(sentence.stop, k + APPOSED_AFTER * 2))
        nearby = {cls for cls, _ in family.nearby}
        if any((m := p.mention_at[x]) is not None and m.cls in nearby for x in near):
            return ""
        _, end = p.clause(k)
        if any(words[x] in ("it", "its") for x in range(k + 1, min(end, k + APPOSED_AFTER * 2))):
            return ""  # "Kidsafe's relationship with the families *it* supports", in its own clause
        return named

    def _apposed_class(self, p: Paragraph, j: int) -> str:
        """The class of a person the paragraph sets beside the name at ``j``, set off by commas:
        "Sam, the family's social worker," or "the health visitor, Priya," ("" if none)."""
        name = p.words[j].removesuffix("'s")
        words, commas = p.words, p.commas
        # near the name only: a paragraph may be long, and a name given a role is given it close by
        for i in range(max(0, j - APPOSED_BEFORE), min(len(words), j + APPOSED_AFTER)):
            if i == j or words[i] != name or not p.titled(i):
                continue  # the name itself, capitalised ("Rose", not the verb "rose")
            if i + 1 in commas:
                after, end = self.noun_phrase(p, i + 1)
                if after is not None and after.cls in self.roles["persons"] and end in commas:
                    return after.cls  # "Sam, the family's social worker,"
            if i in commas and i + 1 in commas:
                before = self.phrases_ending(p, i - 1)
                if before and before[-1].cls in self.roles["persons"]:
                    return before[-1].cls  # "the health visitor, Priya,"
        return ""

    @staticmethod
    def _named(p: Paragraph, j: int) -> bool:
        """Whether the possessive at ``j`` is someone's name alone: capitalised, the rest in lower
        case but after a hyphen ("Maya's", "Anne-Marie's"; not "PCSO's"), not after a title (`owner`
        reads "Mr Ahmed's"), and no word such as "Everyone's" or "Today's", wherever it stands."""
        base = p.words[j].removesuffix("'s")
        return (
            base != p.words[j]
            and p.titled(j)
            and (j == 0 or p.words[j - 1] not in TITLES)
            and base not in NOT_NAMES
            and base not in english_stop_words()
        )

    @staticmethod
    def _participle(p: Paragraph, j: int, k: int) -> bool:
        """Whether the holding verb at ``j`` is a participle between an owner and the word ("the
        mother's *developing* relationship", "her *established* relationships"), not a verb ("staff
        helped her *build* relationships", "the school's *built* relationships": "has built")."""
        return j == k - 1 and j > 0 and p.possessive(j - 1) and p.words[j].endswith(("ing", "ed"))

    def predicate(self, p: Paragraph, k: int) -> list[Participant]:
        """For "X as partners", "X should be partners", "X and Y worked in partnership": X (and Y).
        With "the" ("X are the key partners", "X seen as the partners"), not after "in" ("in the
        partnership area") or in a comparison ("the same duties as the partners"), and never of an
        owner ("the partnership's priority")."""
        words = p.words
        if p.possessive(k):
            return []  # "the partnership's priority": an owner, not a party
        j = k - 1
        while j >= 0 and words[j] in PREDICATE_MODIFIERS and not p.boundary(j + 1):
            j -= 1
        if j < 0:
            return []
        definite = "the" in words[j + 1 : k]
        if words[j] in ("as", "like"):
            # the noun before "as" (or "like": "made them feel like partners"), across a comma
            # ("treat fathers, as well as mothers, as partners")
            before = self.phrases_ending(p, j - 1) if p.sentence[j - 1] == p.sentence[j] else []
            if not before and j and p.words[j - 1] in ("them", "him", "her", "us"):
                # "professionals treated *them* as partners": the pronoun's person, when it has one
                before = [x for x in [self.pronoun(p, j - 1, is_object=True)] if x.cls != SOMEONE]
            if before:
                return [Participant(x.cls, "subject", x.text, x.plural) for x in before]
            if j == 0 or p.sentence[j - 1] != p.sentence[j]:
                # "As a partner in the local arrangements, the health board must ...": the subject
                # of the sentence's main clause, after the comma that ends the phrase "as" opens;
                # not where "as" opens a clause ("As partners in the review *explained*, ...", "As
                # the partners agreed")
                _, end = p.clause(k)
                phrase = words[k + 1 : end]
                role = not any(w.endswith("ed") or w in AFTER_NOUN or w in SAYING for w in phrase)
                if role and end < len(words) and end in p.commas and p.sentence[end] == p.sentence[j]:
                    span = range(end, min(end + AS_SUBJECT, len(words)))
                    after = self._first_phrase(p, span, len(words), serial=False) or []
                    # one partner is a body or its staff ("As a partner, the school"), not a family
                    # member ("As a partner in the business, the father") or someone's partner
                    staff = self.roles["bodies"] | (self.roles["persons"] - self.roles["kin"])
                    if after and (words[k].endswith("s") or all(x.cls in staff for x in after)):
                        return [Participant(x.cls, "subject", x.text, x.plural) for x in after]
            # "seen as the partners", but not a comparison: "the same duties as the partners", "as
            # safe as the partners"
            comparison = "same" in words[max(0, j - 4) : j] or "as" in words[max(0, j - 3) : j]
            return [] if definite and comparison else self.subject(p, k)
        if words[j] in BE or (
            words[j] == "in" and not definite and not (k + 1 < len(words) and words[k + 1] == "with")
        ):
            partners = self._with_before(p, j, k) if words[j] == "in" else []
            if partners:
                # "X work with Y in partnership": X is one side, however many it names ("services
                # that work with him in partnership" is not several agencies and a family)
                return [x._replace(plural=False) for x in self.subject(p, k)] + partners
            return self.subject(p, k)
        return []

    def _with_before(self, p: Paragraph, j: int, k: int) -> list[Participant]:
        """The object of a "with" right before "in partnership" (``in`` at ``j``, the word at ``k``):
        the subject's partners in "staff work *with parents* in partnership", as in "work in
        partnership with parents"; not when the word modifies a noun after it ("agencies concerned
        with children in partnership *areas*", "*working*": a plural, a gerund or a class's word)."""
        words = p.words
        if k + 1 < len(words) and not p.boundary(k + 1):
            after = words[k + 1]
            if p.mention_at[k + 1] is not None or (after.endswith(("s", "ing")) and not after.endswith("ss")):
                return []
        # "done with families, in partnership, not to them": "in partnership" set off by a comma
        # still says how the work with them is done, when the "with" names them right before it
        # (not "dealt with *the family's complaint*, in partnership")
        set_off = j in p.commas and p.mention_ending[j - 1] is not None and not p.possessive(j - 1)
        for w in range(j - 1, max(-1, j - 9), -1):
            if p.boundary(w + 1) and not (w + 1 == j and set_off):
                break
            if words[w] == "with":
                items, _ = self.phrase_list(p, w + 1)
                return [Participant(x.cls, "with", x.text, x.plural) for x in items if x.cls != SOMEONE]
        return []

    def subject(self, p: Paragraph, k: int, holders: bool = False) -> list[Participant]:
        """The first noun phrase of the clause (with those coordinated with it); a pronoun there is
        resolved. ``holders``: the subject of a verb that holds a relationship, which may name the
        other side in a relative clause about it."""
        start, _ = p.clause(k)
        past = self._past_relative(p, start, k, holders)
        if past is not None:
            return past
        clause = range(start, k) if start < k else range(0)
        found = self._first_phrase(p, clause, k)
        if found is None and start + 2 < k and p.words[start + 1] == "of" and p.words[start + 2] in ("whom", "which"):
            # "children in kinship care, *many of whom* have relationships": the relative's antecedent
            noun = self._before_aside(p, start)
            if noun is not None:
                return [Participant(noun.cls, "subject", noun.text, noun.plural)]
        if found is None and start > 1 and p.words[start - 1] in ("who", "which", "that"):
            # "practitioners who build relationships": the subject is the relative's antecedent
            antecedent = self.phrases_ending(p, start - 2)
            if p.words[start - 1] != "that" or (antecedent and self._relative_that(p, start - 1)):
                return [Participant(x.cls, "subject", x.text, x.plural) for x in antecedent]
        if found is None:
            # the sentence's subject stands near its start: looked for there only, so that a long
            # run-on sentence is not read again whole for each of its words
            first = p.sentence_span(k).start
            found = self._first_phrase(p, range(first, min(start, first + SUBJECT_REACH)), k)
        return [Participant(x.cls, "subject", x.text, x.plural) for x in found or []]

    def _past_relative(self, p: Paragraph, start: int, k: int, holders: bool) -> list[Participant] | None:
        """The subject of a clause that starts right after a relative "who" or "which" whose subject
        it is, when a modal stands in it before k (None otherwise): the modal may be the main
        verb's, whose subject is the antecedent ("young people who use the youth service *should*
        be treated as partners": young people, not the service), and a modal of the relative
        clause itself ("parents who should know better are ...") has the antecedent for subject
        too. Not a relative clause with a subject of its own: a noun phrase, pronoun or name first
        ("which *the parents* should trust", "who *Mr* Hale must mentor"), or after one word and
        before the modal ("which local *agencies* should support"). An antecedent after a
        preposition or a participle belongs to the phrase before it ("*services* for young people
        who ...", "*agencies* supporting young people who ...").
        ``holders``: the holders of a relationship also deal with the people the relative clause
        names ("children who see *the school nurse* each week may form a relationship")."""
        words = p.words
        if start < 2 or words[start - 1] not in ("who", "which") or not any(w in MODALS for w in words[start:k]):
            return None
        second = p.mention_at[start + 1] if start + 1 < k else None
        if (
            words[start] in DETERMINERS | PRONOUNS
            or p.mention_at[start] is not None
            or p.capital(start)
            or (second is not None and second.end < len(words) and words[second.end] in MODALS)
        ):
            return None  # (a noun after one word is the clause's object, "which refer *children* to")
        m = p.mention_ending[start - 2]
        if m is None:
            return None
        head = self.phrases_ending(p, start - 2)
        i = self._governing(p, m.start)
        if i is not None and i > 0 and (words[i] in PREPOSITIONS or words[i].endswith("ing")):
            head = self.phrases_ending(p, i - 1) if p.mention_ending[i - 1] is not None and not p.boundary(i) else []
        if not head:
            return None
        inner = (self._first_phrase(p, range(start, k), k) or []) if holders else []
        people = [x for x in inner if x.cls in self.roles["persons"]]
        return [Participant(x.cls, "subject", x.text, x.plural) for x in head + people]

    def _relative_that(self, p: Paragraph, j: int) -> bool:
        """Whether "that" at j, after a noun, opens a relative clause about it ("services *that* work
        with her"): not before a noun or pronoun ("explain to parents that partnership with them
        ..."), nor after the one told or shown something ("told the family that acting in
        partnership ...", "told by the school that ...")."""
        after = p.words[j + 1]
        if p.mention_at[j + 1] is not None or self.family_of(after) or after in DETERMINERS | PRONOUNS:
            return False
        i = j - 1
        while i >= 0 and (p.mention_at[i] is not None or p.words[i] in DETERMINERS or p.possessive(i)):
            i -= 1  # back past the noun phrase
        told = p.words[max(0, i - 1) : i + 1]
        return not any(w in ADDRESSING or w in SAYING or w in SHOWING for w in told)

    def _first_phrase(self, p: Paragraph, span: Iterable[int], k: int, serial: bool = True) -> list[Participant] | None:
        """The first person or body named in ``span`` that can be a subject (not an owner, not in
        a prepositional phrase, not an ambiguous word), with those coordinated with it (``serial``:
        also those a comma joins before it, see `phrases_ending`)."""
        for i in span:
            if p.words[i] in ("they", "he", "she"):
                return [self.pronoun(p, i)]
            m = p.mention_at[i]
            if m is None or p.possessive(m.end - 1) or self.family_of(p.words[i]) or self._in_phrase(p, i):
                continue
            while m.end < k and (following := p.mention_at[m.end]) is not None and not p.boundary(m.end):
                m = following  # "the family support worker": the last word is the head
            if self.family_of(p.words[m.end - 1]):
                return []  # "each safeguarding *partner*": an ambiguous word is no one's subject, nor is another
            return self.phrases_ending(p, self._list_end(p, m.end - 1, k), serial)
        return None

    @staticmethod
    def _preposition(p: Paragraph, i: int) -> str | None:
        """The preposition whose object the mention at i is ("working *with* families"), if any."""
        j = Reader._governing(p, i)
        return p.words[j] if j is not None and p.words[j] in PREPOSITIONS else None

    @staticmethod
    def _governing(p: Paragraph, i: int) -> int | None:
        """The place of the word right before the noun phrase whose mention starts at i, past its
        determiners and possessives, in the same stretch of text (None if punctuation or the
        paragraph's start comes first): a preposition or a verb that governs it."""
        j = i - 1
        while j >= 0 and (p.words[j] in DETERMINERS or p.possessive(j)) and not p.boundary(j + 1):
            j -= 1
        return j if j >= 0 and not p.boundary(j + 1) else None

    def _in_phrase(self, p: Paragraph, i: int) -> bool:
        """Whether the mention at i is the object of a preposition ("working *with families*")."""
        return self._preposition(p, i) is not None

    @staticmethod
    def _list_end(p: Paragraph, j: int, limit: int) -> int:
        """The last mention of a coordinated list starting with the mention that ends at j (of
        `LIST_REACH` phrases at most: a run-on list is not walked again whole for each word)."""
        for _ in range(LIST_REACH):
            k = j + 1
            while k < limit and p.words[k] in DETERMINERS:
                k += 1
            # "neither the school *nor* the GP" as "the school and the GP"
            if k < limit and p.words[k] in ("and", "or", "nor") or (k < limit and k in p.commas):
                step = k + 1 if p.words[k] in ("and", "or", "nor") else k
                while step < limit and p.words[step] in DETERMINERS:
                    step += 1
                m = p.mention_at[step]
                if m is not None and m.end - 1 < limit:
                    j = m.end - 1
                    continue
            return j
        return j

    def members(self, p: Paragraph, k: int) -> list[Participant]:
        """'partners in the Family Help service': members of a body."""
        if k + 1 < len(p.words) and p.words[k + 1] == "in" and not p.boundary(k + 1):
            participant, _ = self.noun_phrase(p, k + 2)
            if participant is not None and participant.cls in self.roles["bodies"]:
                return [Participant(participant.cls, "member", participant.text, participant.plural)]
        return []

    # -- deciding -----------------------------------------------------------------------------

    def read(self, p: Paragraph, k: int) -> Reading:
        """The sense of the ambiguous word at token k, by the steps of the module's docstring in
        order: the first that decides gives the reading."""
        word = p.words[k]
        family = self.lexicon.ambiguous_family(word)
        cue = self.cue(p, k, family, stage="near")
        if cue is not None:
            over = self.cue(p, k, family, stage="clause", over=(cue.sense,))
            return Reading((over.sense,), f"{over.note} ({cue.note})") if over else Reading((cue.sense,), cue.note)
        if family.name and self.is_name(p, k):
            return Reading((family.name,), "a name ending in the word")
        if family.name and self.short_name(p, k):
            return Reading((family.name,), "a capitalised word after 'the': a body's short name", uncertain=True)
        reading = self._by_participants(p, k, family, word)
        if reading is not None:
            return reading
        cue = self.cue(p, k, family, stage="clause") or self.cue(p, k, family, stage="last")
        if cue is not None:
            return Reading((cue.sense,), cue.note or "clause cue", uncertain=True)
        if family.predicative and not self._a_body(p, k):
            # "some parents find partnership hard": who the clause is about, as a last resort; it says
            # who a partnership is with, never that the word is a person counted nowhere ("an
            # independent person, who should challenge each partner": an agency)
            reading = self.decide(family, self.subject(p, k), word)
            if reading is not None and all(family.category_of(sense) for sense in reading.senses):
                return Reading(reading.senses, f"the clause's subject: {reading.reason}", uncertain=True)
        return self._by_sentence(p, k, family)

    @staticmethod
    def _joint(p: Paragraph, k: int) -> bool:
        """Whether the people named before the word at k in its sentence hold it together: not
        each or either of them ("the social worker and the teacher should *each* build a
        relationship", "the teacher *or* the nurse"), and no one among them that the reader has no
        class for, such as a name ("the social worker, the teacher and *Amy's* mother", "Mr Shah")
        or a capitalised word the reader does not know (conservative: "In Redwater ..." too)."""
        span = p.sentence_span(k)
        start = max(span.start, k - SUBJECT_REACH)
        covered: set[int] = set()
        for i in range(start, k):
            if p.words[i] in APART or (p.words[i] == "together" and p.words[i + 1] == "with"):
                return False  # ("worked *together* and built a relationship" is theirs together)
            m = p.mention_at[i]
            if m is not None:
                covered.update(range(m.start, m.end))
            elif i not in covered and p.capital(i) and (i > span.start or p.words[i] not in english_stop_words()):
                return False  # (a sentence's first word is capitalised: "The", but "Amy, her social worker")
        return True

    @staticmethod
    def _a_body(p: Paragraph, k: int) -> bool:
        """Whether the word names a body the clause's subject acts on rather than a partnership it is
        a side of: one that owns something ("the partnership*'s* panel"), or "the partnership" after
        a verb of `ADDRESSING` ("children *told the* partnership"; not "parents *valued the*
        partnership", "parents are committed *to the* partnership")."""
        words = p.words
        if p.possessive(k):
            return True
        if k < 2 or words[k - 1] != "the" or p.boundary(k - 1):
            return False
        return words[k - 2] in ADDRESSING or (k >= 3 and words[k - 2] == "to" and words[k - 3] in ADDRESSING_TO)

    def _by_participants(self, p: Paragraph, k: int, family: Ambiguous, word: str) -> Reading | None:
        """Step 3: the sense the family's rules give the first participants found (see `_tiers`) that
        one fits, unless a clause cue overrides it; None when no rule fits any of them."""
        for found in self._tiers(p, k, family):
            if not found:
                continue
            found, taken = self.vague(p, k, family, found)
            reading = self.decide(family, found, word, sides_named(found) > 1 and self._joint(p, k))
            if reading is not None:
                if taken:
                    # "an adult", "a stranger": whoever they are, the reading is open to a set phrase of
                    # the lexicon ("a trusting relationship again with a stranger")
                    reading = Reading(reading.senses, f"{taken}; {reading.reason}", uncertain=True)
                over = self.cue(p, k, family, stage="clause", over=reading.senses)
                if over is not None:
                    return Reading((over.sense,), f"{over.note}; {reading.reason}", reading.uncertain)
                return reading
        return None

    def _by_sentence(self, p: Paragraph, k: int, family: Ambiguous) -> Reading:
        """Steps 5 and 6, when nothing closer decides: the sense of a ``nearby`` class the sentence
        (or, after "such", the one before) names outside a reported clause, else the fallback; both
        uncertain."""
        span = p.sentence_span(k)
        start, _ = p.clause(k)
        if start > span.start and self._reported(p, start - 1):
            # "the girl told her teacher that the relationship had ended": whoever reports or asks
            # about the relationship is not in it
            span = range(start, span.stop)
        elif k and p.words[k - 1] in ANAPHORIC and span.start > 0:
            span = range(p.sentence_span(span.start - 1).start, span.stop)  # "such relationships": the last sentence's
        named = p.named(span)
        for cls, sense in family.nearby:
            if cls in named:
                return Reading((sense,), f"no participant found; {cls} named nearby", uncertain=True)
        return Reading((family.fallback,), "no participant found: fallback", uncertain=True)

    def _tiers(self, p: Paragraph, k: int, family: Ambiguous) -> Iterator[list[Participant]]:
        """The participants found each way in turn: the phrase's, then (asked for only when the
        phrase decides nothing) the predicate's, the members' and the definition's."""
        yield self.participants(p, k, family)
        if family.predicative:
            yield self.predicate(p, k)
        yield self.members(p, k)
        yield self.defined(p, k)
        yield self.listed(p, k)

    def vague(self, p: Paragraph, k: int, family: Ambiguous, found: list[Participant]) -> tuple[list[Participant], str]:
        """A participant of one of the family's ``vague`` classes after "with" ("a relationship with
        *an adult* he described as safe"): who the phrase set off after it says ("adults they trust,
        whether relatives, foster carers or friends"), else read as the class of ``nearby`` the
        sentence names ("she had been the boy's mentor"), and why (empty when there is none). A
        practitioner named in a prepositional phrase only watches or hears ("was assessed *by the
        social worker*")."""
        if not family.vague or not any(x.cls in family.vague and x.role == "with" for x in found):
            return found, ""
        said = self._apposition(p, k, family)
        if said:
            return [x for x in found if not (x.cls in family.vague and x.role == "with")] + said, ""
        taken = [x for x in found if x.cls in family.vague and x.role == "with"]
        nearby = {c for c, _ in family.nearby}
        after = [m for i in range(k + 1, p.sentence_span(k).stop) if (m := p.mention_at[i]) is not None]
        later = {m.cls for m in after}
        adult = next((m for m in after if m.cls in family.vague), None)
        placed = adult is not None and adult.end < len(p.words) and p.words[adult.end] in PLACED
        if (
            not later & nearby
            and not placed
            and any(x.role == "possessor" and x.cls in self.roles["persons"] and x.cls not in nearby for x in found)
        ):
            # "a young person's relationship with an adult": its owner is named, and the adult is
            # someone in the owner's life, not the practitioners the sentence names before it (one
            # named after it may say who the adult is: "a key adult at school, such as a learning
            # mentor"; and an adult "in school", "at the setting" is one of its staff)
            return found, f"who {taken[0].text} is, the sentence does not say"
        named, i, span = set(), p.sentence_span(k).start, p.sentence_span(k).stop
        while i < span:
            m = p.mention_at[i]
            if m is not None and not self._in_phrase(p, i):
                named.add(m.cls)
            i = m.end if m is not None else i + 1
        cls = next((c for c, _ in family.nearby if c in named), None)
        if cls is None:
            return found, f"who {taken[0].text} is, the sentence does not say"
        return (
            [Participant(cls, x.role, x.text, x.plural) if x in taken else x for x in found],
            f"{taken[0].text} read as the {cls} named in the sentence",
        )

    def _apposition(self, p: Paragraph, k: int, family: Ambiguous) -> list[Participant]:
        """Who the phrase set off after a vague word after token k names: "with adults they trust,
        *whether relatives, foster carers or friends*", "with one adult who did not change: *her
        personal adviser*"."""
        span = p.sentence_span(k)
        at = next(
            (
                i
                for i in range(k + 1, min(k + 8, span.stop))
                if (m := p.mention_at[i]) is not None and m.cls in family.vague
            ),
            None,
        )
        if at is None:
            return []
        stop = next((i for i in range(at + 1, min(at + 10, span.stop)) if p.stops[i]), None)
        if stop is None or stop in p.commas and p.words[stop] in STOP and p.words[stop] not in APPOSITION:
            return []
        i = stop
        while i < span.stop and (p.words[i] in APPOSITION or p.words[i] in DETERMINERS and p.mention_at[i] is None):
            i += 1
        items, _ = self.phrase_list(p, i) if i < span.stop and p.mention_at[i] is not None else ([], i)
        return [Participant(x.cls, "with", x.text, x.plural) for x in items if x.cls not in (SOMEONE, SOMETHING)]

    def defined(self, p: Paragraph, k: int) -> list[Participant]:
        """Who the word's definition names: "Partnership, in this county's sense, *means* that parents
        are told ...": the first person or body after a verb of meaning that follows the word (or
        a phrase set off by commas after it)."""
        n, words, i = len(p.words), p.words, k + 1
        if i < n and words[i] in PLACED and not p.boundary(i):
            # "Partnership *in Hollinsford*, the director wrote, means": a place the word is of
            i += 1
            while i < n and i - k <= DEFINED_PLACE and not p.boundary(i) and words[i] not in DEFINING:
                i += 1
        asides = 0
        while i < n and i in p.commas and words[i] not in DEFINING and asides < DEFINED_ASIDES:
            i += 1  # "Partnership, in this county's sense, means"
            asides += 1
            while i < n and p.sentence[i] == p.sentence[k] and i not in p.commas and i - k <= DEFINED_REACH:
                i += 1
        if i >= n or words[i] not in DEFINING or p.sentence[i] != p.sentence[k] or (p.boundary(i) and i == k + 1):
            return []
        for j in range(i + 1, min(i + 6, n)):
            if p.sentence[j] != p.sentence[k]:
                break
            if p.mention_at[j] is not None and not self.family_of(words[j]):
                items, end = self.phrase_list(p, j)
                # ... and those it works with in the same clause: "means agencies sharing information
                # with one another *and with parents*"
                items += self._with_after(p, end, p.sentence[k])
                return [
                    Participant(x.cls, "defined", x.text, x.plural) for x in items if x.cls not in (SOMEONE, SOMETHING)
                ]
        return []

    def _with_after(self, p: Paragraph, i: int, sentence: int) -> list[Participant]:
        """The objects of each "with" from token i to the end of the clause, within `DEFINED_WITH`
        tokens (in the sentence ``sentence``)."""
        found: list[Participant] = []
        for w in range(i, min(i + DEFINED_WITH, len(p.words) - 1)):
            if p.sentence[w] != sentence or (w > i and p.stops[w]) or p.words[w] in DEFINITION_ENDS:
                # a comma too ("..., and it does not mean working with parents"), or what the
                # parties do before or after it ("agreeing plans *before* meeting with the family")
                break
            if p.words[w] == "with":
                o = w + 1
                while o < len(p.words) - 1 and p.words[o] in DETERMINERS:
                    o += 1
                named = p.mention_at[o]
                if named is not None and not p.possessive(named.end - 1):  # not "with *children's* cases"
                    items, _ = self.phrase_list(p, w + 1)
                    found += items
        return found

    def listed(self, p: Paragraph, k: int) -> list[Participant]:
        """Who a list in brackets or after a colon right after the word names: "the partners
        (*parents, the school and the health visiting service*)", "the partner (*a man* in his
        thirties)"."""
        if not p.opens_list(k + 1) or p.sentence[k + 1] != p.sentence[k]:
            return []
        items, _ = self.phrase_list(p, k + 1)
        return [Participant(x.cls, "with", x.text, x.plural) for x in items if x.cls not in (SOMEONE, SOMETHING)]

    @staticmethod
    def _reported(p: Paragraph, j: int) -> bool:
        """Whether token j ("that", "whether", "if") opens what someone reports, asks or judges: a
        verb of saying or judging stands within four words before it ("the girl told her teacher
        that", "should consider whether")."""
        if p.words[j] not in ("that", "whether", "if"):
            return False
        return any(p.words[i] in SAYING or p.words[i] in OBSERVING for i in range(max(0, j - 4), j))

    def decide(self, family: Ambiguous, found: list[Participant], word: str, joint: bool = False) -> Reading | None:
        """The sense the family's rules give these participants, or None when no rule fits.
        ``joint``: the people named as holders hold it together (`_joint`), as a rule that counts
        the sides a phrase names needs (`wtcompare.lexicon.sides_named`, which reads their text)."""
        key = (family.id, word, tuple((x.cls, x.role, x.plural) for x in found), sides_named(found) if joint else 0)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = self._decide(family, found, word, joint)
        rule, uncertain, kept = decision
        if rule is None:
            return None
        text = "; ".join(f"{x.role} {x.text} ({x.cls})" for x in (found[i] for i in kept))
        return Reading(rule.senses, f"{rule.note}: {text}" if rule.note else text, uncertain)

    @staticmethod
    def _decide(family: Ambiguous, found: list[Participant], word: str, joint: bool) -> _Decision:
        """`decide` for a combination of participants: the rule that fits (or None), whether the
        reading is uncertain, and which participants its reason shows (by index)."""
        # an unresolved pronoun, or someone or something of no class on one side ("again with a
        # stranger"): the reading is open to a set phrase of the lexicon ("trusting relationship")
        uncertain = any(x.cls == SOMEONE or (x.cls == SOMETHING and x.role == "with") for x in found)
        # "the relationship with his father": the other side is whoever "his" is, even unnamed
        kin = any(x.role == "kin" for x in found)
        kept = list(range(len(found)))
        if any(x.cls not in (SOMEONE, SOMETHING) for x in found):
            # unknown people and things beside a classed participant do not block it ("with a teacher
            # or a teaching assistant"); the owner stays: "her partner" is someone's
            kept = [i for i in kept if found[i].cls not in (SOMEONE, SOMETHING) or found[i].role == "possessor"]
        named = [found[i] for i in kept if found[i].cls != SOMEONE]
        judged = [found[i] for i in kept]
        if family.unstated and named and not kin and all(x.role == "with" for x in named):
            # "a relationship with the child": only the other side is named; the side left unsaid
            # is the reader's
            kept = [i for i in kept if found[i].cls != SOMEONE]
            judged = [found[i] for i in kept] + [Participant(family.unstated, UNSTATED, UNSAID)]
        unknown = all(x.cls == SOMEONE for x in judged)
        # someone or something of no class after "with" is a side of its own to a rule that counts
        # the sides ("the teacher and the nurse have a relationship of trust *with Amy*", "*with the
        # younger members* of the gang": not theirs alone)
        unclassed = [x for i, x in enumerate(found) if i not in kept and x.role == "with"]
        for rule in family.rules:
            if unknown and SOMEONE not in rule.classes():
                continue  # "grew between them", no one named: let the sentence decide
            if rule.sides and not joint:
                continue
            if rule.fits(judged + unclassed if rule.sides else judged, word):
                return rule, uncertain, tuple(kept)
        return None, uncertain, ()

    def cue(self, p: Paragraph, k: int, family: Ambiguous, stage: str, over: tuple[str, ...] = ()) -> Cue | None:
        """The first cue of the family that holds at this stage: "near" (modifiers and the phrases
        right before and after), "clause" (a word later in the clause; with ``over``, only cues
        that may override those senses) or "last" (near cues kept for when nothing else decides)."""
        words = p.words
        key = (family.id, words[k])
        cues = self._cues_for.get(key)
        if cues is None:
            cues = self._cues_for[key] = _FormCues([cue for cue in family.cues if cue.applies(words[k])])
        if stage == "clause":
            chosen = cues.clause_over(over)
            if not chosen:
                return None
            # the word's clause, a relative clause about it ("a partner who is violent") and a phrase
            # in apposition to it that names a person ("her partner, a man with convictions for
            # violence, ..."; not "each partner, an organisation with duties to prevent harm")
            after = k + 1 < len(words) and (words[k + 1] in ("who", "that") or self._a_person_apposed(p, k, family))
            _, end = p.clause(k + 1 if after else k)
            later = words[k + 1 : end]
            return next((cue for cue in chosen if any(cue.clause_word(w) for w in later)), None)
        chosen = cues.last if stage == "last" else cues.near
        if not chosen:
            return None
        around = p.around.get(k)
        if around is None:
            around = p.around[k] = self._around(p, k)
        if stage == "near" and not self._near(p, k, cues.any_near, around):
            return None  # most words: no near cue at all, found by one test of them all together
        return next(
            (cue for cue, test in zip(chosen, cues.tests(chosen), strict=True) if self._near(p, k, test, around)), None
        )

    def _a_person_apposed(self, p: Paragraph, k: int, family: Ambiguous) -> bool:
        """Whether a phrase in apposition follows the word ("her partner, *a man* with ...") and
        names someone the family counts in no category (a person, not an agency or a practitioner)."""
        if k + 1 not in p.commas or p.words[k + 1] not in ("a", "an"):
            return False
        head, _ = self.noun_phrase(p, k + 1)
        if head is None or head.cls in (SOMEONE, SOMETHING):
            return False
        reading = self.decide(family, [head], p.words[k])
        return reading is not None and not any(family.category_of(sense) for sense in reading.senses)

    @staticmethod
    def _near(p: Paragraph, k: int, test: CueTest, around: Around) -> bool:
        """Whether a cue's modifiers, phrase before or phrase after (``test``, see `_FormCues`)
        stand next to the word."""
        modifier, before, after = test
        if modifier is not None and any(map(modifier, around[0])):
            return True
        stops = p.stops
        if before is not None and not stops[k] and before.search(around[1]):
            return True
        return after is not None and k + 1 < len(p.words) and not stops[k + 1] and after.match(around[2], 1) is not None

    @staticmethod
    def _around(p: Paragraph, k: int) -> Around:
        """What near cues look at: the modifiers between the word and its article or owner (and the
        first part of a hyphenated form, ex-partner; each part of a hyphenated modifier), and the
        words either side as cue phrases read them."""
        words, bases, stops = p.words, p.bases, p.stops
        modifiers = [words[k].split("-")[0]] if "-" in words[k] else []
        j = k - 1
        while j >= 0 and k - j <= 3 and not stops[j + 1]:
            word = words[j]
            modifiers.append(bases[j])
            if "-" in word:
                modifiers.extend(word.split("-"))
            if word in STOP or word in DETERMINERS or p.possessive(j):
                modifiers.pop()  # an article, owner or preposition ends the modifiers
                break
            j -= 1
        return (modifiers, " " + " ".join(words[max(0, k - 4) : k]) + " ", " " + " ".join(words[k + 1 : k + 6]) + " ")

    @staticmethod
    def short_name(p: Paragraph, k: int) -> bool:
        """Whether the word, capitalised after "the" and followed by a word that does not name its
        sides ("every review *the Partnership* undertakes", not "the Partnership with parents" or
        "the Partnership, with parents at its heart"), is a body's short name: likely, not certain
        (a heading in title case capitalises every word)."""
        words = p.words
        if not (k > 0 and words[k - 1] == "the" and p.capital(k) and not p.boundary(k)):
            return False
        # the next word, unless it is no word of the clause ("wrote to the Partnership." + "They")
        return k + 1 == len(words) or (words[k + 1] not in SIDES and (p.boundary(k + 1) or not p.capital(k + 1)))

    @staticmethod
    def is_name(p: Paragraph, k: int) -> bool:
        """A capitalised name ending in the word: at least one capitalised word before it (not
        only the sentence's first word), and the next word not capitalised."""
        if not p.capital(k) or (k + 1 < len(p.words) and p.capital(k + 1) and not p.boundary(k + 1)):
            return False
        j, capitals = k - 1, 0
        while j >= 0 and not p.boundary(j + 1) and (p.capital(j) or p.words[j] in ("and", "of", "for")):
            capitals += p.capital(j)
            j -= 1
        starts_sentence = j < 0 or p.sentence[j] != p.sentence[j + 1] or p.boundary(j + 1)
        return capitals >= 2 or (capitals == 1 and not starts_sentence)


class _FormCues:
    """The cues of a family that apply to one form of its word, by stage, each near one as a test
    (its modifiers' test, its phrases before and after as regexes), and one test that holds wherever
    any near one does (all their modifiers and phrases together): most occurrences have no near
    cue, and one test says so."""

    def __init__(self, cues: list[Cue]):
        self.near = [c for c in cues if not c.last and (c.modifiers or c.before or c.after)]
        self.last = [c for c in cues if c.last]
        self.clause = [c for c in cues if c.clause]
        self._over: dict[tuple[str, ...], list[Cue]] = {}
        self._tests = {id(c): self._test(c.modifiers, c.before, c.after) for c in self.near + self.last}
        self.any_near = self._test(
            tuple(w for c in self.near for w in c.modifiers),
            tuple(x for c in self.near for x in c.before),
            tuple(x for c in self.near for x in c.after),
        )

    @staticmethod
    def _test(modifiers: tuple[str, ...], before: tuple[str, ...], after: tuple[str, ...]) -> CueTest:
        return (
            word_test(modifiers) if modifiers else None,
            _phrase(before, "end") if before else None,
            _phrase(after, "start") if after else None,
        )

    def tests(self, cues: list[Cue]) -> list[CueTest]:
        return [self._tests[id(c)] for c in cues]

    def clause_over(self, over: tuple[str, ...]) -> list[Cue]:
        """The clause cues that may override these senses (all of them when none are given)."""
        if over not in self._over:
            self._over[over] = [c for c in self.clause if not over or set(c.over) & set(over)]
        return self._over[over]


WHOLE = 80  # tokens: a paragraph this short is prepared whole (finding its sentences costs more)


def _window(text: str, tokens: Tokens, first: int, last: int) -> tuple[int, int]:
    """The tokens a reading can look at: from the sentence before the first occurrence's (for
    "such relationships") to the end of the last occurrence's sentence. Preparing only these keeps
    scanning fast in long paragraphs."""
    if len(tokens) <= WHOLE:
        return 0, len(tokens)
    ends = [
        m.start() for m in SENTENCE_MARK.finditer(text) if m.group() == "\n" or text[m.end() : m.end() + 1].isspace()
    ]
    starts = [s for _, s, _ in tokens]

    def sentence(k: int) -> int:
        return bisect.bisect_left(ends, starts[k])

    before = sentence(first) - 1
    low = bisect.bisect_right(starts, ends[before - 1]) if before >= 1 else 0
    high = bisect.bisect_right(starts, ends[sentence(last)]) if sentence(last) < len(ends) else len(tokens)
    return low, high


Found = tuple[Term, int, int, int]  # a term's match: the term, its unit, its first token and its end token


@dataclass
class SenseIndex:
    """The reading of every occurrence of an ambiguous word in a document, with what a set phrase
    of the lexicon adds: where the participants leave the sense uncertain, a longer term of the
    lexicon that holds the word ("partnership arrangements", "relationship-based") decides it; where
    they are certain and the phrase says otherwise, the participants win and the occurrence is
    marked uncertain."""

    lexicon: Lexicon
    readings: dict[tuple[int, int], Reading] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # asked for every match of every term: each family by id, and the first term of its senses
        self._families = {f.id: f for f in self.lexicon.families}
        self._first_terms: dict[str, Term] = {}
        for term in self.lexicon.terms:
            if term.sense_of:
                self._first_terms.setdefault(term.sense_of, term)

    def add(self, found: list[Found], paragraphs: Sequence[tuple[str, Tokens]]) -> None:
        """``found``: (term, paragraph, first token, end token) for every match; ``paragraphs``:
        (text, tokens) by paragraph index."""
        reader = Reader(self.lexicon)
        wanted: dict[int, set[int]] = {}
        for term, para, begin, _ in found:
            if term.sense_of:
                wanted.setdefault(para, set()).add(begin)
        for para, positions in wanted.items():
            text, tokens = paragraphs[para]
            low, high = _window(text, tokens, min(positions), max(positions))
            prepared = reader.paragraph(text, tokens[low:high])
            for k in positions:
                self.readings[(para, k)] = reader.read(prepared, k - low)
        phrases: dict[tuple[int, int], Term] = {}
        fixed = [f for f in found if not f[0].sense_of and f[0].category in self.lexicon.sense_categories]
        for term, para, begin, end in sorted(fixed, key=lambda f: (-(f[3] - f[2]), f[0].order)):
            position = self.position(term, para, begin, end)
            if position is not None:
                phrases.setdefault((para, position), term)
        for key, term in phrases.items():
            reading = self.readings.get(key)
            if reading is None:
                continue
            family = self.lexicon.ambiguous_family(paragraphs[key[0]][1][key[1]][0])
            sense = family.sense_of(term.category)
            if sense is None or (sense in reading.senses and not reading.uncertain):
                continue
            if reading.uncertain and sense in reading.senses:
                self.readings[key] = Reading(reading.senses, f"the phrase '{term.id}' ({reading.reason})")
            elif reading.uncertain:
                self.readings[key] = Reading((sense,), f"the phrase '{term.id}' ({reading.reason})")
            else:
                self.readings[key] = Reading(
                    reading.senses, f"{reading.reason}; but the phrase '{term.id}' suggests {sense}", uncertain=True
                )

    def position(self, term: Term, para: int, begin: int, end: int) -> int | None:
        """Where the ambiguous word stands in a match of ``term``, if it holds one."""
        if term.sense_of:
            return begin  # a sense term matches the word alone
        for i in range(begin, end):
            if (para, i) in self.readings:
                return i
        return None

    def listed(self, term: Term, reading: Reading, sense: str | None) -> bool:
        """Whether a sense term's match belongs in the evidence: an occurrence is listed under the
        term of each sense it counts in, and one set aside ("person") under its family's first
        sense term; not again under the terms of senses it does not have."""
        if not term.sense_of or sense in reading.senses:
            return True
        family = self._families[term.sense_of]
        if any(family.category_of(s) for s in reading.senses):
            return False
        return term is self._first_terms[term.sense_of]

    def evidence(self, found: list[Found], paragraphs: Sequence[tuple[str, Tokens]]) -> list[Found]:
        """``found`` without the sense terms' matches that are not `listed` (each occurrence is
        evidence under the terms of its own senses): dropped before the scan judges and sorts them,
        since most matches of a sense term are of another sense. ``paragraphs`` as for `add`."""
        kept: list[Found] = []
        verdicts: dict[tuple[int, str, tuple[str, ...]], bool] = {}  # (term, word, senses read) -> listed
        readings = self.readings
        for match in found:
            term = match[0]
            if term.sense_of:
                reading = readings[(match[1], match[2])]
                word = paragraphs[match[1]][1][match[2]][0]
                key = (id(term), word, reading.senses)
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = self.listed(term, reading, self._counted(term, word))
                if not verdict:
                    continue
            kept.append(match)
        return kept

    def judge(
        self, term: Term, para: int, begin: int, end: int, tokens: Tokens
    ) -> tuple[Reading | None, int | None, str | None]:
        """For a match: the reading of the ambiguous word it holds (or None), where that word
        stands, and the sense the match's category counts (None when it counts none)."""
        if not term.sense_of and term.category not in self.lexicon.sense_categories:
            return None, None, None
        position = self.position(term, para, begin, end)
        if position is None:
            return None, None, None
        return self.readings[(para, position)], position, self._counted(term, tokens[position][0])

    def _counted(self, term: Term, word: str) -> str | None:
        """The sense a match of ``term`` counts when it holds the ambiguous ``word``: the one the
        word's own family gives the term's category (a user's lexicon may put a word in two
        families)."""
        return self.lexicon.ambiguous_family(word).sense_of(term.category)


def uncertain_occurrences(kwic: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """The occurrences of ambiguous words a reader should check: counted, or set aside in a sense
    counted nowhere ("person"), by a fallback rule or on conflicting evidence. One row per
    occurrence and sense (a set-aside occurrence is evidence under several terms)."""
    set_aside = {sense for family in lexicon.families for sense, category in family.senses if not category}
    chosen = kwic[
        kwic["uncertain"].astype(bool)
        & (
            (kwic["status"] == "counted")
            | (kwic["sense"].isin(set_aside) & kwic["rule"].fillna("").str.startswith("sense "))
        )
    ]
    first = chosen.assign(_set_aside=chosen["status"] != "counted").sort_values("_set_aside", kind="stable")
    return first.drop_duplicates(["edition", "unit", "start", "end", "sense"]).sort_index().drop(columns="_set_aside")


def uncertain_share(kwic: pd.DataFrame) -> tuple[int, int]:
    """(uncertain, all) counted occurrences of ambiguous words, for a report's methods."""
    counted = kwic[(kwic["status"] == "counted") & kwic["sense"].notna()]
    return int(counted["uncertain"].astype(bool).sum()), len(counted)
