"""Scanner counts equal hand counts, including the sense rules for 'partner' and 'relationship'."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wtcompare.errors import WtcompareError
from wtcompare.lexicon import ADHOC, compile_pattern, load_lexicon, parse_lexicon
from wtcompare.model import Edition
from wtcompare.scan import scan
from wtcompare.segment import segment_text

FIXTURE = """\
1. Practitioners should work in partnership with parents. Partnership with families is the aim.

2. The safeguarding partners must publish their arrangements. The three safeguarding partners and partner agencies meet.

3. A child may be harmed by the mother's new partner or by an intimate partner.

4. A trusting relationship with the child matters. Teenage relationship abuse is rising; relationships education helps.

5. The relationship between agencies has improved. Parents as partners in the plan.
"""


def document(text: str, edition_id: str = "fixture"):
    doc = segment_text(text)
    doc.edition = Edition(id=edition_id, title=edition_id)
    return doc


@pytest.fixture(scope="module")
def result():
    return scan([document(FIXTURE)], load_lexicon())


def count(result, term: str) -> int:
    rows = result.rows[result.rows["term"] == term]
    return int(rows["count"].sum())


def category(result, name: str) -> int:
    return int(result.rows[result.rows["category"] == name]["count"].sum())


def test_hand_counted_terms(result):
    assert count(result, "working in partnership with parents/families") == 1
    assert count(result, "partnership with parents/families") == 1  # "Partnership with families"
    assert count(result, "parents as partners") == 1
    assert count(result, "safeguarding partners") == 2
    assert count(result, "partner agencies") == 1
    assert count(result, "intimate partner") == 1
    assert count(result, "trusting relationship") == 1
    assert count(result, "relationship abuse") == 1
    assert count(result, "relationships education") == 1
    assert count(result, "relationship between agencies") == 1
    assert count(result, "must") == 1


def test_sense_rules_keep_institutional_and_intimate_partners_out_of_families(result):
    assert category(result, "partnership_with_families") == 3
    assert category(result, "interagency_partnership") == 3
    # "the mother's new partner" is neither families nor agencies: a person, set aside with that sense.
    kwic = result.kwic
    families_term = "partner/partnership with parents, families or children"
    excluded = kwic[(kwic["status"] == "excluded") & (kwic["term"] == families_term)]
    mother = excluded[excluded["left"].str.endswith("mother's new ")]
    assert len(mother) == 1
    assert mother.iloc[0]["rule"].startswith("sense person:") and mother.iloc[0]["sense"] == "person"
    # every other 'partner' is listed once, under the term that counts it and with its sense (after
    # 'safeguarding' twice and before 'agencies': inter-agency; after 'intimate': intimate partner
    # abuse); only the person, counted nowhere, is set aside under this term
    assert len(excluded) == 1
    partners = kwic[kwic["match"].str.contains("partner", case=False) & (kwic["status"] == "counted")]
    assert set(partners["sense"]) == {"families", "interagency", "other"}


def test_relationship_senses(result):
    assert category(result, "relationship_based_practice") == 1
    assert category(result, "other_relationships") == 4  # abuse, education, between agencies, intimate partner


def test_rows_have_tokens_and_rates(result):
    # an independent count of the words, the five printed paragraph numbers left out (they are not text)
    tokens = len(re.findall(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*", re.sub(r"(?m)^\d+\. ", "", FIXTURE)))
    row = result.rows[result.rows["term"] == "safeguarding partners"].iloc[0]
    assert row["tokens"] == tokens
    assert row["per_10k"] == pytest.approx(2 / tokens * 10_000)


def test_zero_rows_are_included(result):
    assert count(result, "lived experience") == 0
    assert len(result.rows) == len(load_lexicon().terms)


def test_each_counted_row_has_kwic_lines(result):
    counted = result.counted
    assert len(counted) == int(result.rows["count"].sum())
    line = counted[counted["term"] == "partner agencies"].iloc[0]
    assert (line["unit"], line["match"]) == ("front/p2", "partner agencies")
    assert line["left"].endswith("safeguarding partners and ")
    assert line["right"] == " meet."


def test_adhoc_terms_count_every_occurrence_independently():
    res = scan([document(FIXTURE)], load_lexicon(), ["partner*", "relationship*"])
    adhoc = res.rows[res.rows["category"] == "adhoc"].set_index("term")["count"]
    assert adhoc["partner*"] == 8  # 2 + 3 + 2 + 0 + 1 by paragraph
    assert adhoc["relationship*"] == 4  # 0 + 0 + 0 + 3 + 1


def test_case_insensitive_and_typographic_apostrophes():
    res = scan([document("The CHILD\u2019S WISHES AND FEELINGS. Child-Centred work.")], load_lexicon(), ["child's"])
    assert count(res, "wishes and feelings") == 1
    assert count(res, "child-centred") == 1
    assert count(res, "child's") == 1


def test_non_compliance_is_compliance():
    # "non-compliance" is one token: the word compliance in it counts once (a blind set's case)
    res = scan(
        [document("Non-compliance by parents is often a service hard to reach. Noncompliance too.")], load_lexicon()
    )
    assert count(res, "compliance") == 2


def test_phrases_do_not_cross_paragraphs():
    res = scan([document("We work in partnership\n\nwith parents always.")], load_lexicon())
    assert count(res, "working in partnership with parents/families") == 0


def test_optional_and_choice_groups():
    regex = compile_pattern("work* (closely)? with (famil*|parents)")
    assert regex.search(" working closely with families ")
    assert regex.search(" works with parents ")
    assert not regex.search(" working with carers ")


LEXICON = """
[lexicon]
id = "t"
version = "1"
[[category]]
id = "c"
label = "C"
colour = "#123456"
[[category.term]]
id = "partner"
patterns = ["partner*"]
rules = [{ action = "exclude", words = ["safeguarding"], before = 1 }]
[[category.term]]
id = "agency partners"
patterns = ["partner agenc*"]
"""


def test_a_short_colour_is_read_as_css_reads_it():
    # "#fff" passed the lexicon's check and then stopped the report with an internal error
    assert parse_lexicon(LEXICON.replace("#123456", "#1aF"), "t.toml").categories[0].colour == "#11aaFF"


def test_a_rule_with_forms_applies_to_those_forms_only():
    lexicon = parse_lexicon(LEXICON.replace("before = 1 }", 'before = 1, forms = ["partners"] }'), "t.toml")
    res = scan([document("Safeguarding partners. Safeguarding partner.")], lexicon)
    assert list(res.kwic["status"]) == ["excluded", "counted"]
    assert "(partners only)" in res.kwic["rule"].iloc[0]


def test_a_rule_may_look_for_a_phrase_right_after_the_match():
    rule = '{ action = "exclude", followed_by = ["from (her|the)? (own)? (mother|grandparents)"] }'
    lexicon = parse_lexicon(
        LEXICON.replace('{ action = "exclude", words = ["safeguarding"], before = 1 }', rule), "t.toml"
    )
    text = (
        "A partner from her own mother. A partner from the council. A partner. "
        "Her mother was a partner from the grandparents."
    )
    res = scan([document(text)], lexicon)
    assert list(res.kwic["status"]) == ["excluded", "counted", "counted", "excluded"]
    assert "followed by 'from (her|the)? (own)? (mother|grandparents)'" in res.kwic["rule"].iloc[0]


def test_custom_lexicon_longest_match_wins_and_rules_apply():
    lexicon = parse_lexicon(LEXICON, "t.toml")
    res = scan([document("Safeguarding partners. Partner agencies. A partner.")], lexicon)
    counts = res.rows.set_index("term")["count"]
    assert counts["partner"] == 1 and counts["agency partners"] == 1
    assert set(res.kwic["status"]) == {"counted", "excluded", "overlapped"}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("[lexicon\nid=1", r"t\.toml: invalid TOML in lexicon: .*line 1"),
        ('[lexicon]\nid = "x"\n', r"needs a \[lexicon\] table with id and version"),
        (LEXICON.replace('"partner*"', '"partner (x"'), r"t\.toml:\d+: term 'partner'"),
        (LEXICON.replace("#123456", "red; x"), r"colour must be like"),
        (LEXICON.replace('"#123456"', '"#123456\\n"'), r"colour must be like"),  # nothing after it in an attribute
        (LEXICON.replace('action = "exclude"', 'action = "maybe"'), r"rule action must be"),
        (
            LEXICON.replace('words = ["safeguarding"]', 'words = "safeguarding"'),
            r"t\.toml: category\[1\]\.term\[1\]\.rules\[1\]\.words: must be a list of text",
        ),
        (
            LEXICON.replace("before = 1 }", 'before = 1, forms = "partners" }'),
            r"t\.toml: category\[1\]\.term\[1\]\.rules\[1\]\.forms: must be a list of text",
        ),
        (
            LEXICON.replace('words = ["safeguarding"], before = 1', 'followed_by = "from her mother"'),
            r"t\.toml: category\[1\]\.term\[1\]\.rules\[1\]\.followed_by: must be a list of text",
        ),
        (
            LEXICON.replace('words = ["safeguarding"], before = 1', 'followed_by = ["from (her"]'),
            r"t\.toml:\d+: term 'partner': cannot read pattern 'from \(her'",
        ),
        (
            LEXICON.replace('words = ["safeguarding"], before = 1', "before = 1"),
            r"t\.toml:\d+: term 'partner': rule is missing 'words'",
        ),
        (
            LEXICON.replace('words = ["safeguarding"], before = 1', "words = []"),
            r"t\.toml:\d+: term 'partner': a rule needs words or followed_by",
        ),
        (
            LEXICON.replace('words = ["safeguarding"], before = 1', 'followed_by = ["from parents"], before = 1'),
            r"t\.toml:\d+: term 'partner': a rule's before and after are windows for its words: it has none",
        ),
        # found by a fuzzing run, each an internal error before
        (
            LEXICON.replace('version = "1"', "version = " + "9" * 5000),
            r"t\.toml: invalid TOML in lexicon: an integer too long",
        ),
        (LEXICON.replace('id = "c"', 'id = "adhoc"'), r"t\.toml:\d+: category id 'adhoc' is reserved"),
        (LEXICON + '[[category]]\nid = "d"\nlabel = "D"\n', r"t\.toml:\d+: category 'd' has no terms"),
        (LEXICON.replace('label = "C"', 'label = "' + "L" * 201 + '"'), r"category 'c': its label is 201 characters"),
        (LEXICON + "[ambiguous]\nid = 'x'\n", r"t\.toml: ambiguous: must be a list of tables"),
        (LEXICON.replace('"partner agenc*"', '"partner\\u0001"'), r"term 'agency partners': bad word 'partner\\x01'"),
        (LEXICON.replace('"partner agenc*"', '"' + "x" * 1001 + '"'), r"the pattern is 1,001 characters long"),
        (LEXICON.replace('id = "agency partners"', 'id = "partner"'), r"t\.toml:\d+: term 'partner' is listed twice"),
        (LEXICON.replace('id = "agency partners"', 'id = "(all terms)"'), r"term id '\(all terms\)' is reserved"),
    ],
)
def test_bad_lexicons_name_the_file_and_problem(bad, message):
    with pytest.raises(WtcompareError, match=message):
        parse_lexicon(bad, "t.toml")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["partnership", "with", "parents", "the", "child-centred", "agencies", "a", "work"]),
            st.sampled_from(["  ", "\t", "\xa0", "\n ", " \u2009"]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.booleans(),
)
def test_context_shows_whitespace_runs_as_one_space(pieces, plain):
    """The words either side of a match read the same whether the paragraph's spacing is plain or
    not (the scan takes a faster path for plain paragraphs): at most 70 characters of text each
    side, whole words only, each run of whitespace one space."""
    from wtcompare.segment import DocumentBuilder

    text = " ".join(word for word, _ in pieces) if plain else "".join(word + gap for word, gap in pieces).strip()
    builder = DocumentBuilder()
    builder.paragraph(text)
    doc = builder.build()
    doc.edition = Edition(id="spacing", title="spacing")
    kwic = scan([doc], load_lexicon(), ["partnership"]).kwic
    assert len(kwic) or "partnership" not in text
    for row in kwic.itertuples():
        start, end = row.start, row.end
        left = " ".join(text[max(0, start - 70) : start].split())
        right = " ".join(text[end : end + 70].split())
        if start > 70 and " " in left:
            left = left.split(" ", 1)[1]
        if end + 70 < len(text) and " " in right:
            right = right.rsplit(" ", 1)[0]
        assert row.left == (left + " " if left and text[start - 1].isspace() else left)
        assert row.right == (" " + right if right and text[end : end + 1].isspace() else right)


WORDS = ["work", "working", "with", "parents", "partners", "as"]
PART = st.one_of(
    st.sampled_from(WORDS + ["work*", "partner*"]),
    st.builds(
        lambda choices, optional: "(" + "|".join(choices) + ")" + ("?" if optional else ""),
        st.lists(
            st.lists(st.sampled_from(WORDS + ["partner*"]), min_size=1, max_size=2).map(" ".join),
            min_size=1,
            max_size=8,
        ),
        st.booleans(),
    ),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(PART, min_size=1, max_size=4).filter(lambda parts: not all(p.endswith("?") for p in parts)),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=4, max_size=30).map(" ".join), min_size=1, max_size=4),
)
def test_a_pattern_matches_where_its_regex_does(parts, paragraphs):
    """The scan tries a pattern only where a token that can begin it stands, followed (when the
    pattern says which) by the beginning of one that can stand second, and the sense terms of one
    word share a search: it finds exactly what running the pattern's regex along each paragraph
    finds."""
    from wtcompare.segment import DocumentBuilder

    pattern = " ".join(parts)
    builder = DocumentBuilder()
    for text in paragraphs:
        builder.paragraph(text)
    doc = builder.build()
    doc.edition = Edition(id="patterns", title="patterns")
    kwic = scan([doc], load_lexicon(), [pattern]).kwic
    kwic = kwic[kwic["category"] == ADHOC]
    regex = compile_pattern(pattern)
    expected = sorted(
        (paragraph.id, m.group().strip())
        for paragraph in doc.paragraphs()
        for m in regex.finditer(" " + paragraph.text.lower() + " \n")
    )
    assert sorted(zip(kwic["unit"], kwic["match"].str.lower(), strict=True)) == expected


@pytest.mark.parametrize(
    "pattern, second",
    [
        ("work* (closely)? with (famil*|parents)", ("closely", "with")),
        ("(in|into) (a|an) relationship* with", ("a", "an")),
        ("(local)? safeguarding partner*", None),  # the first word may be absent
        ("child (centred|centered)", ("centred", "centered")),
        ("(child centred|child-centred)", None),  # a choice of two words: the second is not known
        ("must", None),  # nothing follows
        ("work* (together)?", None),  # nothing need follow
    ],
)
def test_which_words_can_stand_second(pattern, second):
    from wtcompare.lexicon import second_words

    assert second_words(pattern) == second


def test_a_token_with_spaces_in_it_ends_a_match_as_one_token():
    # NFKC makes a phrase of words of the ligature U+FDFA: one token with spaces in it. A match
    # that takes some of its words ends with that token, not with the tokens its spaces suggest.
    text = "They said the \ufdfa child was safe."
    res = scan(
        [document(text)], load_lexicon(), ["the \u0635\u0644\u0649 \u0627\u0644\u0644\u0647", "the \u0635\u0644\u0649"]
    )
    found = res.kwic[res.kwic["category"] == ADHOC]
    assert sorted(found["match"]) == ["the \ufdfa", "the \ufdfa"]
    assert set(found["end"]) == {text.index("\ufdfa") + 1}


@pytest.mark.parametrize(
    "text, counted",
    [
        ("Family support from the maternal grandparents kept the children at their school.", False),
        ("Without family help from her two sisters she could not have kept her job.", False),
        ("Family help from the local authority was offered within a week.", True),
        # a service named after the word "family" or "partner" (a review's cases)
        ("Families can get family help from family hubs in every area.", True),
        ("Family support from partner agencies must be coordinated by the lead practitioner.", True),
        ("The council's family support service opened in 1995.", True),
    ],
)
def test_support_from_relatives_is_no_service(text, counted):
    res = scan([document(text)], load_lexicon())
    assert bool((res.counted["category"] == "family_support").sum() == 1) is counted, res.kwic[
        ["match", "status", "rule"]
    ]


def test_a_headings_number_is_not_counted_and_a_symbol_stays_apart_from_its_word():
    """README, "Counting rules": "Chapter 4: Early help" and "4.2 Early help" count as "Early
    help"; "XHTML™" is the token xhtml."""
    from wtcompare.scan import scan_units
    from wtcompare.segment import segment_text
    from wtcompare.text import tokenize

    document = segment_text(
        "Chapter 4: Early help\n\n4.2 Early help offers\n\n"
        "1. Agencies offer early help in XHTML™ pages to every family.\n"
    )
    units = scan_units(document)
    assert [(u.kind, u.text) for u in units[:2]] == [("heading", "Early help"), ("heading", "Early help offers")]
    assert "xhtml" in [token for token, _, _ in tokenize(units[2].text)]
