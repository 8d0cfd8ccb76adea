"""The participant finder on hand-made sentences of each pattern, the senses it gives, how scanning
counts them (two senses, set-aside persons, uncertain occurrences), and lexicons whose participant
classes are missing or wrong."""

from __future__ import annotations

import pytest

from wtcompare.errors import WtcompareError
from wtcompare.lexicon import load_lexicon, parse_lexicon
from wtcompare.participants import Reader, uncertain_occurrences
from wtcompare.scan import scan, tokenize
from wtcompare.segment import DocumentBuilder


@pytest.fixture(scope="module")
def reader():
    return Reader(load_lexicon())


def reading(reader, text: str, word: str, nth: int = 1):
    """The reading of the nth occurrence of ``word`` (a token) in ``text``."""
    paragraph = reader.paragraph(text, tokenize(text))
    positions = [k for k, w in enumerate(paragraph.words) if w == word.lower()]
    return reader.read(paragraph, positions[nth - 1])


@pytest.mark.parametrize(
    "text, word, senses, shown",
    [
        # with X; the class of a noun phrase is its last word's
        (
            "Practitioners should work in partnership with the child's grandparents.",
            "partnership",
            ("families",),
            "with",
        ),
        ("Partnership with the family court has improved.", "partnership", ("interagency",), "court"),
        ("Partners in the Family Help service met on Monday.", "partners", ("interagency",), "service"),
        # between X and Y
        ("A partnership between the police and the council was agreed.", "partnership", ("interagency",), "between"),
        ("The relationship between the parents was volatile.", "relationship", ("other",), "between"),
        (
            "A positive relationship between the key worker and the mother helped.",
            "relationship",
            ("practice",),
            "between",
        ),
        (
            "Researchers found a relationship between absence and later exploitation.",
            "relationship",
            ("other",),
            "between",
        ),
        (
            "Relationships between professionals were strained by the inquiry.",
            "relationships",
            ("other",),
            "practitioners",
        ),
        # X's relationship, possessive pronouns (the clause's subject, or the nearest person)
        ("The school nurse's relationship with the girl was close.", "relationship", ("practice",), "possessor"),
        ("The boy's relationship with his grandmother was warm.", "relationship", ("other",), "possessor"),
        ("The mother described her relationship with her son as tense.", "relationship", ("other",), "kin"),
        ("Staff worked hard to repair their relationship with the girl.", "relationship", ("practice",), "possessor"),
        ("Her partner attended the appointment.", "partner", ("person",), "possessor"),
        ("The partner of the child's mother was arrested.", "partner", ("person",), "of"),
        # compounds: X-Y, X relationships, X partners
        ("A parent-child relationship was observed at home.", "relationship", ("other",), "modifier"),
        ("Peer relationships matter to adolescents.", "relationships", ("other",), "modifier"),
        ("Consistent practitioner relationships are a priority.", "relationships", ("practice",), "modifier"),
        ("The health partners published a report.", "partners", ("interagency",), "modifier"),
        ("A partner-agency audit was carried out.", "partner-agency", ("interagency",), "modifier"),
        ("Agency partners agreed a definition of neglect.", "partners", ("interagency",), "modifier"),
        ("Partner charities met the family together.", "partner", ("interagency",), "head"),
        # X as partners, be partners, in partnership: the noun before "as" or the clause's subject
        ("Young people should be treated as partners in planning.", "partners", ("families",), "subject"),
        (
            "The police, health and the local authority, acting as equal partners, agreed a budget.",
            "partners",
            ("interagency",),
            "subject",
        ),
        ("Adoptive parents and the agency worked in partnership throughout.", "partnership", ("families",), "subject"),
        # who holds the relationship: the subject of a holding verb
        (
            "The health visitor developed a trusting relationship with the boy.",
            "relationship",
            ("practice",),
            "subject",
        ),
        ("The boy had formed a relationship with a man he met online.", "relationship", ("other",), "subject"),
        (
            "An adult who seeks a close relationship with a child may be grooming.",
            "relationship",
            ("other",),
            "subject",
        ),
        # a holder alone names one side only: parents keeping their own relationship
        ("Separated parents may need help to keep a workable relationship.", "relationship", ("other",), "subject"),
        (
            "Every child should have a relationship with at least one practitioner.",
            "relationship",
            ("practice",),
            "with",
        ),
        # one side named: the other is the reader's, a practitioner
        ("A trusting relationship with the child matters.", "relationship", ("practice",), "with"),
        ("Relationships with grandparents can protect a child.", "relationships", ("other",), "with"),
        # capitalised names ending in the word
        (
            "The Fenmoor Youth Justice Partnership shares a building with the police.",
            "partnership",
            ("interagency",),
            "name",
        ),
        # cues beside the word
        ("The mother's new partner was present.", "partner", ("person",), "new"),
        ("Her former partner had threatened her.", "partner", ("other",), "violent"),
        ("The girl was afraid of her partner, who had hit her twice.", "partner", ("other",), "feared"),
        ("Intimate partner violence was recorded.", "partner", ("other",), "intimate"),
        ("Teenage relationship abuse is rising.", "relationship", ("other",), "personal"),
        ("She had been in a relationship with an older boy.", "relationship", ("other",), "in a relationship"),
        # two senses in one occurrence
        (
            "Protection depends on a partnership between the agencies and with the parents.",
            "partnership",
            ("families", "interagency"),
            "between",
        ),
        (
            "The team is a partnership of school, health, social care and the family itself.",
            "partnership",
            ("families", "interagency"),
            "of",
        ),
        # participation and involvement
        ("Parental participation in conferences rose.", "participation", ("families",), "modifier"),
        ("The involvement of the police was brief.", "involvement", ("unrelated",), "of"),
        # lexicon 2.1.0: a phrase that names one side takes the clause's subject, or its owner, as the other
        (
            "A father's drinking can damage the relationship with a child.",
            "relationship",
            ("other",),
            "unstated father's",
        ),
        (
            "Parents may find partnership with professionals difficult.",
            "partnership",
            ("families",),
            "unstated parents",
        ),
        (
            "Children value a relationship with a consistent social worker.",
            "relationship",
            ("practice",),
            "unstated children",
        ),
        # ... but never an earlier clause's: "the relationship with his father" is his, not the reader's
        ("The relationship with his father had broken down.", "relationship", ("other",), "father"),
        # "with whom": the noun before the place that qualifies it, or before coordinated relative clauses
        (
            "Children want a worker who listens and with whom they can build a relationship.",
            "relationship",
            ("practice",),
            "with worker",
        ),
        # a vague "adult": who the phrase set off after it says, else the practitioner the sentence names
        (
            "What she valued was a relationship with one adult who stayed: her personal adviser.",
            "relationship",
            ("practice",),
            "personal adviser",
        ),
        (
            "Care leavers need relationships with adults they trust, whether relatives or friends.",
            "relationships",
            ("other",),
            "relatives",
        ),
        (
            "Her personal adviser was the one adult with whom she kept a relationship.",
            "relationship",
            ("practice",),
            "read as the practitioners",
        ),
        # a possessive inside a phrase is its owner; a compound's last class word is its head
        (
            "The boy had a relationship with his mother's social worker.",
            "relationship",
            ("practice",),
            "with social worker",
        ),
        ("The relationship with the school play specialist helped her.", "relationship", ("practice",), "specialist"),
        # within, "of trust between", "and across", a phrase set off by commas, a verb's auxiliaries
        ("Relationships within the household were tense.", "relationships", ("other",), "between"),
        (
            "A relationship of trust between the worker and the mother took months.",
            "relationship",
            ("practice",),
            "between",
        ),
        (
            "Safety rests on partnership with families and across services.",
            "partnership",
            ("families", "interagency"),
            "services",
        ),
        (
            "A partnership, between the services and with the parents, was agreed.",
            "partnership",
            ("families", "interagency"),
            "between",
        ),
        (
            "Partnership is achieved with parents only when they are heard.",
            "partnership",
            ("families",),
            "with parents",
        ),
        (
            "Agencies should work in partnership with parents and with each other.",
            "partnership",
            ("families", "interagency"),
            "with agencies",
        ),
        # a relative clause after the word: the holder and its "with", or "was with"
        (
            "The relationship a teacher builds with a pupil can last for years.",
            "relationship",
            ("practice",),
            "subject teacher",
        ),
        (
            "The relationship that helped the boy most was with his youth worker.",
            "relationship",
            ("practice",),
            "worker",
        ),
        # a pronoun treated as partners; a definition
        ("Fathers said the team treated them as partners.", "partners", ("families",), "fathers"),
        ("Partnership, in this guidance, means that parents are heard.", "partnership", ("families",), "defined"),
        # a named practitioner and a relative
        ("The health visitor's relationship with the grandparents helped.", "relationship", ("practice",), "named"),
        ("A child's relationship with grandparents can protect them.", "relationship", ("other",), "grandparents"),
        # the owner of "whose" is the relative's antecedent, not the clause's subject
        (
            "Staff should note any child whose relationship with other children changes.",
            "relationship",
            ("other",),
            "whose",
        ),
        # a possessive before a verb that holds the relationship owns the doers, not the relationship
        (
            "The family centre's workers developed relationships with parents.",
            "relationships",
            ("practice",),
            "workers",
        ),
        # "the Partnership", capitalised within its sentence: a body's short name, unless it names
        # its sides
        (
            "Children should be heard in every review the Partnership undertakes.",
            "partnership",
            ("interagency",),
            "name",
        ),
        ("The Partnership with parents guides every plan.", "partnership", ("families",), "with parents"),
        ("The Partnership, with parents at its heart, worked.", "partnership", ("families",), "with parents"),
        # ... but before a participle it owns the relationship
        ("The mother's developing relationship worried the health visitor.", "relationship", ("other",), "mother"),
        # an agency's own involvement, and involvement in crime, are not families' participation
        ("The service's involvement with the family ended in May.", "involvement", ("unrelated",), "own involvement"),
        ("The boy's involvement in gang violence was known.", "involvement", ("unrelated",), "crime"),
        # an irregular past tense after a singular class word is the verb, not a noun it modifies
        (
            "The partnership between the school and the family broke down.",
            "partnership",
            ("families",),
            "between family",
        ),
        # a list in brackets or after a colon names the partners
        (
            "The partners (parents, the school and the health visiting service) signed the plan.",
            "partners",
            ("families", "interagency"),
            "with parents",
        ),
        ("The partners: the council, the police and the health service.", "partners", ("interagency",), "council"),
        ("The partners (parents) agreed the plan.", "partners", ("families",), "with parents"),
        ("The partner (a man in his thirties) was not known to services.", "partner", ("person",), "with man"),
        # a phrase in apposition is in the word's clause for a clause cue
        (
            "The mother's partner, a man with a history of violence to women, had moved in.",
            "partner",
            ("other",),
            "violent",
        ),
        (
            "The council's partner, a charity with a record of work on violence, runs it.",
            "partner",
            ("interagency",),
            "council",
        ),
        # the partners someone has had, someone's choice of partner, a civil partnership: persons
        ("She had a succession of partners, none of them checked.", "partners", ("person",), "succession"),
        # ... but not an agency's partners, nor a partner agency chosen
        ("The council has had three partners since 2019.", "partners", ("interagency",), "council"),
        ("The family's choice of partner service was explained.", "partner", ("interagency",), "head service"),
        ("The civil society partnership brings voluntary groups together.", "partnership", ("interagency",), ""),
        # an apposition naming an agency is no person described ("violence" is the agency's work)
        (
            "Each partner, an organisation with duties to prevent violence to children, should name a lead.",
            "partner",
            ("interagency",),
            "",
        ),
        # "paid" before a noun is no verb ending the phrase
        ("The relationship between the boy and his paid mentor mattered.", "relationship", ("practice",), "mentor"),
        ("Professionals should not judge a parent's choice of partner.", "partner", ("person",), "choice"),
        ("The couple entered a civil partnership in 2013.", "partnership", ("person",), "civil"),
        # independent of the partnership: of the agencies, whoever the clause's subject is
        (
            "Children were asked, by a researcher independent of the partnership, about the process.",
            "partnership",
            ("interagency",),
            "independent",
        ),
        # a member of staff is a practitioner
        (
            "A pupil's relationship with a member of staff must never become a secret one.",
            "relationship",
            ("practice",),
            "member of staff",
        ),
    ],
)
def test_participants_give_the_sense(reader, text, word, senses, shown):
    found = reading(reader, text, word)
    assert found.senses == senses, found
    assert shown in found.reason, found


@pytest.mark.parametrize(
    "text, word, sense",
    [
        ("Each partner pays its share of the budget.", "partner", "interagency"),  # bare: agencies
        ("The relationship held because the health visitor never missed a visit.", "relationship", "practice"),
        ("A partner may stay at the house for weeks without the school knowing.", "partner", "person"),
        # no participant, but a practitioner observing: the relationship observed is the family's
        ("The social worker assessed the relationship over six sessions.", "relationship", "other"),
        # the practitioner only hears of it: a reported clause is read on its own
        ("The girl told her teacher that the relationship had ended badly.", "relationship", "other"),
        # ... or judges it: "consider whether" opens a clause about someone else's relationship
        ("Social workers should assess whether the relationship is safe.", "relationship", "other"),
        # the clause's subject, the last resort, says who a partnership is with, never that it is a person
        ("An independent person should challenge each partner.", "partner", "interagency"),
        ("Some parents find partnership hard at first.", "partnership", "families"),
        ("Parents valued the partnership.", "partnership", "families"),
        # ... but not of "the partnership" someone tells or asks, or one that owns something: a body
        ("Children told the partnership that they wanted one worker.", "partnership", "interagency"),
        ("Parents wrote to the partnership about it.", "partnership", "interagency"),
        ("Parents contacted the partnership last year.", "partnership", "interagency"),
        ("Parents are committed to the partnership.", "partnership", "families"),
        ("Parents withdrew from the partnership.", "partnership", "families"),
        ("Children in the partnership's area are safe.", "partnership's", "interagency"),
        ("Children will be the partnership's priority.", "partnership's", "interagency"),
        ("Parents wrote to the Partnership.", "partnership", "interagency"),
        # after any other verb the subject is still a side (a third review's cases)
        ("Parents appreciated the partnership.", "partnership", "families"),
        ("Parents felt part of the partnership.", "partnership", "families"),
        # a capital after "the": likely a body's short name, not certainly
        ("Children should be heard in every review the Partnership undertakes.", "partnership", "interagency"),
        ("Young people sit on every local partnership's scrutiny panel.", "partnership's", "interagency"),
        # "a stranger" says no more than someone: the reading stays open
        ("Every change means building a relationship again with a stranger.", "relationship", "other"),
    ],
)
def test_a_fallback_is_marked_uncertain(reader, text, word, sense):
    found = reading(reader, text, word)
    assert found.senses == (sense,) and found.uncertain, found


@pytest.mark.parametrize(
    "text, word",
    [
        ("The health visitor's relationship with the grandparents helped.", "relationship"),
        ("A child's relationship with grandparents can protect them.", "relationship"),
        ("Her partner's relationship with the children was volatile.", "relationship"),
        ("The parents' partnership with the school grew.", "partnership"),
    ],
)
def test_a_typographic_apostrophe_reads_as_a_plain_one(reader, text, word):
    # a possessive's base is found from its folded token: the text itself holds no "'" then
    curly = text.replace("'", "\u2019")
    assert reading(reader, curly, word) == reading(reader, text, word)


def test_a_word_in_two_families_is_listed_by_the_sense_of_its_own(tmp_path):
    # a user's lexicon may hold a word in two families: a sense term's match is judged by the sense
    # the family that read the word (its first) gives, not by the family the term names
    from importlib.resources import files

    raw = files("wtcompare").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    family = (
        '[[ambiguous]]\nid = "partner2"\nwords = ["partnership"]\nsenses = { interagency = '
        '"partnership_with_families", families = "interagency_partnership" }\nfallback = "interagency"\n\n'
    )
    raw = raw.replace("[[category]]\n", family + "[[category]]\n", 1)
    for category, term in (("partnership_with_families", "p2 in pwf"), ("interagency_partnership", "p2 in iap")):
        head = f'[[category]]\nid = "{category}"\n'
        at = raw.index("[[category.term]]", raw.index(head))
        raw = raw[:at] + f'[[category.term]]\nid = "{term}"\nsense_of = "partner2"\n\n' + raw[at:]
    lexicon = parse_lexicon(raw)
    kwic = scan([document("Social workers work in partnership with parents.")], lexicon).kwic
    shown = kwic[kwic["term"].str.startswith("p2 ")]
    assert list(shown["term"]) == ["p2 in pwf"] and list(shown["sense"]) == ["families"]


def test_a_certain_reading_is_not_uncertain(reader):
    assert not reading(reader, "Social workers work in partnership with parents.", "partnership").uncertain


def test_pronouns_take_a_person_of_the_same_number(reader):
    # "them" is the parents (plural), not the practitioner
    found = reading(reader, "Her parents felt that nobody had worked in partnership with them.", "partnership")
    assert found.senses == ("families",) and "parents" in found.reason
    # "her": the nearest singular person, not the collective "family"
    found = reading(
        reader, "The GP had known the family for years and her relationship with the mother was warm.", "relationship"
    )
    assert found.senses == ("practice",) and "(gp)" in found.reason


def test_she_and_he_take_a_person_of_their_sex(reader):
    # "she" and "her" are the mother, not the health visitor whose sex the sentence does not give
    text = "The mother told the health visitor that she had ended her relationship with the father."
    found = reading(reader, text, "relationship")
    assert found.senses == ("other",) and "(mother)" in found.reason, found
    # never the father: the health visitor then, the nearest person whose sex is not given
    text = "The father told the health visitor that she had a good relationship with him."
    found = reading(reader, text, "relationship")
    assert found.senses == ("practice",) and "health visitor" in found.reason, found
    # "he" is never the mother; the nearest person then, here the social worker
    text = "The social worker told the mother that he had kept his relationship with her son going."
    found = reading(reader, text, "relationship")
    assert found.senses == ("practice",) and "(social worker)" in found.reason, found
    # the teller is preferred only as the teller: an owner before a person ("the mother's social
    # worker") is not who "she" is, nor is a woman who does not say what follows
    text = "The mother's social worker said that she had kept up her relationship with the family."
    found = reading(reader, text, "relationship")
    assert found.senses == ("practice",), found
    text = "The mother agreed that the health visitor should carry on, as she had built a relationship with the twins."
    found = reading(reader, text, "relationship")
    assert found.senses == ("practice",), found
    # every "her" of what the girl says is hers
    text = "The girl told the youth worker that her relationship with her stepfather had broken down."
    found = reading(reader, text, "relationship")
    assert found.senses == ("other",) and "kin her (girl)" in found.reason, found


def document(*sentences: str):
    builder = DocumentBuilder()
    for sentence in sentences:
        builder.paragraph(sentence)
    return builder.build()


def test_two_sense_occurrence_counts_in_both_categories():
    result = scan(
        [document("Child protection rests on a partnership between the agencies and with the parents.")], load_lexicon()
    )
    counted = result.counted
    assert sorted(counted["category"]) == ["interagency_partnership", "partnership_with_families"]
    assert set(counted["match"]) == {"partnership"} and set(counted["senses"]) == {2}
    assert set(counted["sense"]) == {"families", "interagency"}


def test_person_is_set_aside_with_its_sense_and_nothing_disappears():
    result = scan([document("The midwife asked whether the mother's partner would be at home.")], load_lexicon())
    assert result.counted.empty
    kwic = result.kwic
    assert len(kwic) > 0 and set(kwic["status"]) == {"excluded"}
    assert set(kwic["sense"]) == {"person"} and kwic["rule"].str.startswith("sense person:").all()


def test_uncertain_occurrences_are_listed_once():
    lexicon = load_lexicon()
    result = scan(
        [
            document(
                "Each partner pays its share.",
                "A partner may not be known to the police.",
                "Social workers work in partnership with parents.",
            )
        ],
        lexicon,
    )
    listed = uncertain_occurrences(result.kwic, lexicon)
    assert list(listed["sense"]) == ["interagency", "person"]  # bare partner; "a partner": a person, set aside
    assert list(listed["status"]) == ["counted", "excluded"]


LEXICON = """
[lexicon]
id = "t"
version = "1"

[participants]
family = ["parent", "parents"]
agencies = ["agency", "agencies"]

[[ambiguous]]
id = "partner"
words = ["partner", "partners", "partnership"]
senses = { families = "f", interagency = "i" }
fallback = "interagency"
rules = [{ sense = "families", any = ["family"] }, { sense = "interagency", any = ["agencies"] }]

[[category]]
id = "f"
[[category.term]]
id = "partner (families)"
sense_of = "partner"

[[category]]
id = "i"
[[category.term]]
id = "partner (agencies)"
sense_of = "partner"
"""


def test_a_small_lexicon_reads_senses_from_its_own_classes():
    lexicon = parse_lexicon(LEXICON, "t.toml")
    result = scan([document("We work in partnership with parents.", "Partner agencies met.")], lexicon)
    assert sorted(result.counted["category"]) == ["f", "i"]


@pytest.mark.parametrize(
    "change, message",
    [
        # [[ambiguous]] without any [participants]
        (
            lambda t: t.replace(
                '[participants]\nfamily = ["parent", "parents"]\nagencies = ["agency", "agencies"]\n', ""
            ),
            r"t\.toml:\d+: \[\[ambiguous\]\] words need a \[participants\] table",
        ),
        # a class that is not a list of words
        (
            lambda t: t.replace('family = ["parent", "parents"]', 'family = "parents"'),
            r"t\.toml:7: participant class 'family' must be a list of words",
        ),
        (lambda t: t.replace('family = ["parent", "parents"]', 'family = ["par(ent"]'), r"t\.toml:7: bad word"),
        # a class used in a rule but not defined
        (
            lambda t: t.replace('any = ["agencies"]', 'any = ["agency"]'),
            r"t\.toml:\d+: ambiguous family 'partner': rule 2: "
            r"participant class 'agency' is not defined in \[participants\]",
        ),
        # a sense or category that does not exist
        (lambda t: t.replace('fallback = "interagency"', 'fallback = "agencies"'), r"fallback: no sense 'agencies'"),
        (lambda t: t.replace('interagency = "i" }', 'interagency = "x" }'), r"sense 'interagency': no category 'x'"),
        # a sense counted in a category that has no term for it
        (
            lambda t: t.replace(
                'id = "partner (agencies)"\nsense_of = "partner"', 'id = "agencies"\npatterns = ["agency"]'
            ),
            r"sense 'interagency' needs one term with sense_of = 'partner' in category 'i'",
        ),
        (
            lambda t: t.replace('sense_of = "partner"\n\n', 'sense_of = "partners"\n\n'),
            r"sense_of names no \[\[ambiguous\]\]",
        ),
        # the classes pronouns refer to must exist too
        (
            lambda t: t + '\n[class_roles]\npersons = ["people"]\n',
            r"t\.toml:\d+: \[class_roles\] persons: participant class 'people' is not defined",
        ),
        (lambda t: t + '\n[class_roles]\nfriends = ["family"]\n', r"\[class_roles\]: no role 'friends'"),
        # a rule's stated is true or false; vague classes must exist and need a nearby class to be read as
        (
            lambda t: t.replace(
                '{ sense = "families", any = ["family"] }', '{ sense = "families", any = ["family"], stated = 1 }'
            ),
            r"t\.toml:\d+: ambiguous family 'partner': rule 1: stated must be true or false",
        ),
        # a rule's sides is a number of sides a relationship has (not true, not 3)
        (
            lambda t: t.replace(
                '{ sense = "families", any = ["family"] }', '{ sense = "families", any = ["family"], sides = true }'
            ),
            r"t\.toml:\d+: ambiguous family 'partner': rule 1: sides must be 0, 1 or 2",
        ),
        (
            lambda t: t.replace(
                '{ sense = "families", any = ["family"] }', '{ sense = "families", any = ["family"], sides = 3 }'
            ),
            r"t\.toml:\d+: ambiguous family 'partner': rule 1: sides must be 0, 1 or 2",
        ),
        # found by a fuzzing run: bool("false") is true, so a quoted "false" read as true
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\npredicative = "false"'),
            r"t\.toml:\d+: ambiguous family 'partner': predicative must be true or false",
        ),
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\nvague = ["people"]'),
            r"t\.toml:\d+: ambiguous family 'partner': vague: participant class 'people' is not defined",
        ),
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\nvague = ["family"]'),
            r"t\.toml:\d+: ambiguous family 'partner': vague classes are read as a class of `nearby`: nearby is needed",
        ),
        # the class of an owner named by a name alone must exist; its forms are a list of words
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\nnamed = "people"'),
            r"t\.toml:\d+: ambiguous family 'partner': named: participant class 'people' is not defined",
        ),
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\nnamed_forms = "partner"'),
            r"t\.toml:\d+: ambiguous family 'partner': named_forms must be a list of words",
        ),
        (
            lambda t: t.replace('fallback = "interagency"', 'fallback = "interagency"\nnamed_forms = ["(("]'),
            r"t\.toml:\d+: ambiguous family 'partner': bad word '\(\('",
        ),
    ],
)
def test_bad_participant_classes_and_rules_name_the_file_and_line(change, message):
    with pytest.raises(WtcompareError, match=message):
        parse_lexicon(change(LEXICON), "t.toml")


def test_lexicon_check_reports_an_undefined_class(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(LEXICON.replace('any = ["family"]', 'any = ["families"]'))
    result = run("lexicon", "check", str(bad))
    assert result.exit_code == 1
    assert "bad.toml:" in result.stderr and "participant class 'families' is not defined" in result.stderr


def test_cli_scan_shows_senses_and_lists_uncertain_occurrences(run):
    payload = run("scan", "sample-2021", "--kwic", "--excluded", "--format", "json").stdout
    import json

    data = json.loads(payload)
    assert {"sense", "senses", "uncertain", "reason"} <= set(data["kwic"][0])
    partners = [k for k in data["kwic"] if k["match"] == "safeguarding partners" and k["status"] == "counted"]
    assert partners and {k["sense"] for k in partners} == {"interagency"}
    # "being afraid of a partner's reaction", a sign of teenage relationship abuse
    feared = [k for k in data["kwic"] if k["match"] == "partner's"]
    assert [(k["status"], k["sense"]) for k in feared] == [("counted", "other")]
    assert data["uncertain"] and all(k["uncertain"] for k in data["uncertain"])
    table = run("scan", "sample-2021", "--kwic").stdout
    assert "== uncertain" in table


def test_whose_with_no_noun_before_it_names_no_owner(reader):
    """A question opening "Whose relationship ...?" has no antecedent: the phrase's other
    participants decide."""
    found = reading(reader, "Whose relationship with the child matters most?", "relationship")
    assert "whose" not in found.reason, found


@pytest.mark.parametrize(
    "text",
    ["Parents are the key partners who know the child best.", "Young people should be seen as the partners."],
)
def test_be_or_as_before_the_and_a_modifier_makes_the_subject_a_side(reader, text):
    """ "are *the key* partners", "as *the* partners": the predicate's subject, a reading of the
    phrase, not the clause's subject taken as a last resort (which is marked uncertain)."""
    found = reading(reader, text, "partners")
    assert found.senses == ("families",) and not found.uncertain, found


@pytest.mark.parametrize(
    "text, word",
    [
        ("Parents have the same duties as the partners.", "partners"),
        ("Children are as safe as the partners can make them.", "partners"),
        ("Parents living in the partnership area were surveyed.", "partnership"),
    ],
)
def test_a_comparison_or_in_the_partnership_is_no_predicate(reader, text, word):
    """In a comparison ("the same duties as the partners") and after "in the" (an area, a body),
    the word names no side: at most the clause's subject, uncertain ("worked in partnership" is
    the predicate's)."""
    assert reading(reader, text, word).uncertain


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # "with each other" after an owner: the owners are both sides, not the clause's subject
        ("Practitioners should ask about the parents' relationship with each other.", "relationship", ("other",)),
        ("Social workers should observe the children's relationships with one another.", "relationships", ("other",)),
        (
            "Parents noticed that the social workers' relationship with each other was strained.",
            "relationship",
            ("other",),
        ),
        # ... without one, the clause's subject, among themselves
        ("Social workers and teachers should build relationships with each other.", "relationships", ("other",)),
        ("Parents and practitioners should work in partnership with each other.", "partnership", ("families",)),
        # ... or those the clause asks to do it ("support X to build ...")
        (
            "Practitioners should support parents and children to rebuild relationships with each other.",
            "relationships",
            ("other",),
        ),
        (
            "Social workers should support foster carers and the child's teachers to build relationships with one "
            "another.",
            "relationships",
            ("practice",),
        ),
        # an owner no one is named for leaves the sides to those the clause asks
        (
            "The worker helped the young person and his mother to rebuild their relationship with one another.",
            "relationship",
            ("other",),
        ),
        # "with each other and with X": with X, the owners the other side
        (
            "The practitioners' relationships with one another and with the family shaped the plan.",
            "relationships",
            ("practice",),
        ),
    ],
)
def test_the_sides_of_a_reciprocal_relationship(reader, text, word, senses):
    assert reading(reader, text, word).senses == senses


def test_the_sides_of_a_relationship_with_each_other_are_its_owners(reader):
    """ "The parents' relationship with each other" is between the parents, not the practitioners
    who ask about it: the reason a report shows says so."""
    read = reading(reader, "Practitioners should ask about the parents' relationship with each other.", "relationship")
    assert read.senses == ("other",) and "between parents (family)" in read.reason
    assert "practitioners" not in read.reason.lower()


@pytest.mark.parametrize(
    "text, word, senses, shown",
    [
        # "that" after a noun and before a verb opens a relative clause about the noun ...
        (
            "A father bringing up three children alone needs services that work with him in partnership.",
            "partnership",
            ("families",),
            "subject services (agencies); with father",
        ),
        # ... not before a noun, nor after the one told or shown something: the clause's own
        # subject, or the sentence's, as before
        (
            "Social workers should explain to parents that partnership with them does not remove the authority's "
            "powers.",
            "partnership",
            ("families",),
            "parents",
        ),
        (
            "Two agencies told the family that acting in partnership had let them move faster.",
            "partnership",
            ("interagency",),
            "agencies",
        ),
        (
            "Parents should be told by the school that taking part is working in partnership.",
            "partnership",
            ("families",),
            "parents",
        ),
        # "work with X in partnership": X are the partners, as in "in partnership with X"
        (
            "Staff work with families in partnership from the first contact.",
            "partnership",
            ("families",),
            "with families",
        ),
        ("Staff work with the family every week in partnership.", "partnership", ("families",), "with family"),
        (
            "Schools that work with parents in partnership see better attendance.",
            "partnership",
            ("families",),
            "with parents",
        ),
        (
            "The school told parents that staff would work with them in partnership.",
            "partnership",
            ("families",),
            "with parents",
        ),
        (
            "The police work with the council in partnership on every strategy discussion.",
            "partnership",
            ("interagency",),
            "with council",
        ),
        # not where the word modifies a noun after it, and not without "with" right before
        (
            "Agencies concerned with children in partnership areas outside Corrington should share records.",
            "partnership",
            ("interagency",),
            "subject agencies",
        ),
        (
            "Housing officers who work with families in partnership boroughs should tell the lead agency.",
            "partnership",
            ("interagency",),
            "officers",
        ),
        ("Staff from every agency worked in partnership.", "partnership", ("interagency",), "subject staff"),
        # "that" before a noun phrase opens no clause about the noun before it
        ("Schools value the families that the partnership supports.", "partnership", ("interagency",), "schools"),
    ],
)
def test_eleventh_session_readings(reader, text, word, senses, shown):
    found = reading(reader, text, word)
    assert found.senses == senses and shown in found.reason, found


@pytest.mark.parametrize(
    "text, category, expected",
    [
        # pandemic key workers (the plural) are not a practitioner's role; a child's key worker is
        (
            "Key workers' children were allowed to attend schools during the lockdown in 2020.",
            "relationship_based_practice",
            0,
        ),
        ("During the pandemic, schools stayed open for the children of key workers.", "relationship_based_practice", 0),
        ("During the pandemic, each child's key worker kept in touch by telephone.", "relationship_based_practice", 1),
        ("A key worker will be appointed for every child on the register.", "relationship_based_practice", 1),
        # partners in a marriage are persons, counted nowhere; partners in a relationship with a
        # practitioner are partners
        (
            "Partners in a marriage share parental responsibility when both are legal parents.",
            "interagency_partnership",
            0,
        ),
        ("Partners in the local arrangements share the duty.", "interagency_partnership", 1),
        (
            "Young people should be equal partners in the relationship with their key worker.",
            "partnership_with_families",
            1,
        ),
        # a parent's involvement in a child's life is not involvement in the work of the services;
        # life story work is
        (
            "Fathers' involvement in their children's lives is associated with better outcomes.",
            "partnership_with_families",
            0,
        ),
        ("Fathers' involvement in the child's upbringing matters.", "partnership_with_families", 0),
        ("Schools should encourage parental involvement in the life of the school.", "partnership_with_families", 1),
        ("The family's involvement in the child's life story work was arranged.", "partnership_with_families", 1),
    ],
)
def test_lexicon_2_3_cues(text, category, expected):
    counted = scan([document(text)], load_lexicon()).counted
    assert (counted["category"] == category).sum() == expected, counted[["match", "category", "reason"]]


def test_a_clause_with_no_stops_reaches_only_so_far(reader):
    """Text whose full stops lost their spaces ("parents.We work ...") is one clause: each word read
    in it walked all of it, so that a long paragraph of it took minutes (quadratic). A clause
    reaches at most LONGEST_CLAUSE tokens either side of a word; a sentence is much shorter."""
    from wtcompare.participants import LONGEST_CLAUSE

    text = "We work in partnership with parents." * 400
    paragraph = reader.paragraph(text, tokenize(text))
    middle = len(paragraph.words) // 2
    start, end = paragraph.clause(middle)
    assert middle - start == LONGEST_CLAUSE and end - middle == LONGEST_CLAUSE + 1
    # a real sentence's clause is found whole
    sentence = "Staff and parents met, and they agreed a plan."
    assert reader.paragraph(sentence, tokenize(sentence)).clause(1) == (0, 4)  # up to the comma


@pytest.mark.parametrize(
    "text, senses, shown",
    [
        # the relative after "with their" is the owner's, whatever the pronoun's number
        (
            "Teachers should ask whether a young carer's relationship with their mother has changed.",
            ("other",),
            "their (young carer's)",
        ),
        (
            "Staff noticed that the boy's relationship with his stepfather had worsened.",
            ("other",),
            "his (boy's)",
        ),
    ],
)
def test_thirteenth_session_readings(reader, text, senses, shown):
    found = reading(reader, text, "relationship")
    assert found.senses == senses and shown in found.reason, found


@pytest.mark.parametrize(
    "text, word, senses, shown",
    [
        # a plural's possessive apostrophe, which no token keeps
        ("The parents' partners may also need to be seen.", "partners", ("person",), "possessor parents"),
        ("Parents should be seen as 'partners' in the work.", "partners", ("families",), "parents"),
        # ... and a quotation's close is no possessive
        ("The principle of 'partnership with families' underpins the offer.", "partnership", ("families",), "families"),
        # a child's participation in class, not in the services' work; parents' in classes the services run is
        ("The boy's participation in class had fallen away.", "participation", ("unrelated",), "class"),
        ("Parents' participation in classes run by the family centre grew.", "participation", ("families",), ""),
        # male and female partners are people
        ("Services should engage fathers and male partners.", "partners", ("person",), "a person"),
        # an adult in a named child's relationship is someone in the child's life ...
        (
            "Staff should recognise when a young person's relationship with an adult is exploitative.",
            "relationship",
            ("other",),
            "does not say",
        ),
        # ... unless it is an adult in a place, one of its staff, or a practitioner named after it says who
        (
            "Teachers should recognise that a pupil's relationship with a trusted adult in school matters.",
            "relationship",
            ("practice",),
            "read as the practitioners",
        ),
        (
            "A child's relationship with a key adult at school, such as a learning mentor, can protect.",
            "relationship",
            ("practice",),
            "read as the practitioners",
        ),
    ],
)
def test_thirteenth_session_lexicon_and_reader_13(reader, text, word, senses, shown):
    found = reading(reader, text, word)
    assert found.senses == senses and shown in found.reason, found


def test_a_local_board_is_counted_by_its_place_s_name_too():
    from wtcompare.scan import scan_document

    builder = DocumentBuilder()
    builder.paragraph("The Oakvale Safeguarding Children Board published its threshold document.")
    _, matches = scan_document(builder.build(), load_lexicon())
    assert [m.category for m in matches if "board" in m.match.lower()] == ["interagency_partnership"]


@pytest.mark.parametrize(
    "text, word, senses, shown",
    [
        # a name after a title is a person: their partner is a person; a place's partners are agencies
        ("Dr Rahman's partner collected the children from nursery.", "partner", ("person",), "dr rahman's"),
        ("Mrs Hale's partner gave a statement to the police.", "partner", ("person",), "mrs hale's"),
        ("Kingsmere's partners agreed the plan.", "partners", ("interagency",), ""),
        # ... not before a body it names ("partner charity"), nor a charity named after a doctor
        ("Dr Barnardo's partner in the scheme was the health authority.", "partner", ("interagency",), ""),
        ("Dame Eleanor's partner charity ran the centre.", "partner", ("interagency",), "charity"),
        # partners in a practice or a business are persons; partners in the local arrangements are not
        ("The two GPs were partners in the same general practice.", "partners", ("person",), "practice"),
        ("Her uncle was a partner in a family haulage business.", "partner", ("person",), "business"),
        ("Each agency is a partner in its own business continuity plan.", "partner", ("interagency",), ""),
        ("Partners in the local arrangements share the duty.", "partners", ("interagency",), ""),
        ("Dancing partners at the club were told about the policy.", "partners", ("person",), "dance"),
        # ... but partners "in practice", "in the business of" safeguarding, "in the same practice model"
        # are parties to the work, and a charity named after a doctor is no person
        ("Agencies should be partners in practice, not only in policy.", "partners", ("interagency",), ""),
        (
            "Parents and professionals are partners in the business of keeping children safe.",
            "partners",
            ("families",),
            "",
        ),
        ("Safeguarding partners in the same practice model share one framework.", "partners", ("interagency",), ""),
        ("Dr Barnardo's partners in the project included the health authority.", "partners", ("interagency",), ""),
        ("Her uncle was a partner in a busy general practice.", "partner", ("person",), "practice"),
        ("Health partners in the local GP practices shared data.", "partners", ("interagency",), ""),
        # involvement in offences' work, an assessment or a programme is in the services' work
        ("Parental involvement in assault prevention work grew.", "involvement", ("families",), ""),
        ("Family involvement in the fractures assessment was limited.", "involvement", ("families",), ""),
        ("The mother's involvement in the assessment was welcomed.", "involvement", ("families",), ""),
        ("Parental involvement in the child death review process was expected.", "involvement", ("families",), ""),
        ("Parental involvement in injury prevention programmes grew.", "involvement", ("families",), ""),
        # a clause joined by ", and" does not modify the word: "early help" is not whose involvement it is
        (
            "Staff offered early help, and parental involvement in planning was expected.",
            "involvement",
            ("families",),
            "parental",
        ),
        (
            "The plan set out early help, parental involvement in reviews and a timetable.",
            "involvement",
            ("families",),
            "parental",
        ),
        (
            "Staff gave the children family support, and parental involvement in planning followed.",
            "involvement",
            ("families",),
            "parental",
        ),
        # a list of three or more before the word modifies it, its commas and all, with "and" or ", and"
        ("A family, school and police partnership was set up.", "partnership", ("families", "interagency"), ""),
        ("Teacher, pupil and parent relationships were strong.", "relationships", ("practice",), "teacher"),
        ("Police, parent, and school partnership tackled truancy.", "partnership", ("families", "interagency"), ""),
        # "one" or "ones" stands for the person or people named before it
        (
            "Children who had no social worker could not form a relationship with one.",
            "relationship",
            ("practice",),
            "one (social worker)",
        ),
        (
            "Young people wanted fewer workers and longer relationships with the ones they had.",
            "relationships",
            ("practice",),
            "ones (workers)",
        ),
        (
            "A child with three social workers in a year may never form a relationship with one.",
            "relationship",
            ("practice",),
            "one (social workers)",
        ),
        # ... not "one of" others (the noun after it says who), "no one", nor "ones" for one person
        (
            "The mother told the social worker she had a relationship with one of the neighbours.",
            "relationship",
            ("other",),
            "",
        ),
        ("The boy told his social worker he had a trusting relationship with no one.", "relationship", ("other",), ""),
        ("The girl told her teacher of her relationship with one or both parents.", "relationship", ("other",), ""),
        # ... nor a word that only modifies another ("a *family* hub")
        (
            "Schools without a link to a family hub should consider a partnership with one.",
            "partnership",
            ("interagency",),
            "",
        ),
        (
            "The social worker helped the girl rebuild relationships with the ones she trusted.",
            "relationships",
            ("other",),
            "",
        ),
        (
            "Pupils with no friends said a relationship with one was hard to imagine.",
            "relationship",
            ("other",),
            "friends",
        ),
    ],
)
def test_fourteenth_reader(reader, text, word, senses, shown):
    found = reading(reader, text, word)
    assert found.senses == senses and shown in found.reason, found


@pytest.mark.parametrize(
    "text, category, expected",
    [
        # "no family support" is support from relatives oftener than a service offered to no one
        ("The mother had no family support and was isolated after the birth.", "family_support", 0),
        ("The young mother had little family support after the birth.", "family_support", 0),
        ("A family support worker was allocated.", "family_support", 1),
        # a threshold crossed, stood by or stepped down is one for services
        ("The threshold for a conference was met.", "procedural", 1),
        ("The concerns crossed the threshold for a child protection conference.", "procedural", 1),
        ("Staff stood by the threshold decision.", "procedural", 1),
        ("The step-down threshold was agreed.", "procedural", 1),
        ("The highest-risk cases are heard first.", "procedural", 1),
    ],
)
def test_lexicon_2_5_rules(text, category, expected):
    counted = scan([document(text)], load_lexicon()).counted
    assert (counted["category"] == category).sum() == expected, counted[["match", "category", "reason"]]


@pytest.mark.parametrize(
    "text, word, senses, shown",
    [
        # "they"/"their" for the one person a sentence names, when it names no people
        (
            "The lead child protection practitioner is responsible for the plan and for their relationship "
            "with the family.",
            "relationship",
            ("practice",),
            "child protection practitioner",
        ),
        (
            "The boy said their relationship with the youth worker mattered most.",
            "relationship",
            ("practice",),
            "boy",
        ),
        # ... not when people are named too: the parents the worker treated as partners
        (
            "Parents said the social worker had treated them as partners, even when she disagreed.",
            "partners",
            ("families",),
            "",
        ),
        ("The mother said their relationship with the worker had improved.", "relationship", ("practice",), "mother"),
        # ... nor when a "their" in the sentence is someone's with their own family: the relationship
        # is theirs with their family, whoever they are
        (
            "The key worker should help them repair their relationship with their father.",
            "relationship",
            ("other",),
            "",
        ),
        (
            "The nurse should ask whether their relationship with their parents feels safe.",
            "relationship",
            ("other",),
            "",
        ),
        (
            "The social worker said their relationship with their own mother shaped her practice.",
            "relationship",
            ("other",),
            "",
        ),
        (
            "The social worker should help the child understand their relationship with their extended family.",
            "relationship",
            ("other",),
            "",
        ),
        # ... nor an agency ("the school reviewed *their* relationship"), nor anyone where an earlier
        # "them" or "they" stands for people the sentence does not name
        (
            "After a referral about the girl, the school reviewed their relationship with the family.",
            "relationship",
            ("practice",),
            "",
        ),
        (
            "The family support worker should help them strengthen their relationship with the children.",
            "relationship",
            ("other",),
            "",
        ),
        (
            "When they visited, the social worker noticed their relationship with the baby was cold.",
            "relationship",
            ("other",),
            "",
        ),
        (
            "After the parents left, the social worker kept their relationship with the baby going.",
            "relationship",
            ("other",),
            "possessor their (parents)",
        ),
        # the subject of a "that" clause's sentence: the mother's relationship, not the teacher's
        ("The mother told the teacher that their relationship was strained.", "relationship", ("other",), "mother"),
    ],
)
def test_sixteenth_reader(reader, text, word, senses, shown):
    found = reading(reader, text, word)
    assert found.senses == senses and shown in found.reason, found


LEXICON_2_6_CASES = [
    # "their" stands for one person only before a word whose sides people hold ("their
    # relationship"), not before "involvement" in crime
    ("The boy's mother was worried about their involvement in knife crime.", "partnership_with_families", 0),
    # partner agencies and safeguarding, statutory or strategic partners, whoever's they are
    ("The practitioner should make sure their partner agencies are told.", "interagency_partnership", 1),
    ("The lead should share the information with their safeguarding partners.", "interagency_partnership", 1),
    ("The director wrote to her statutory partners.", "interagency_partnership", 1),
    ("The safeguarding partners, with the father's agreement, asked him to speak.", "interagency_partnership", 1),
    ("The statutory partners, with the mother's consent, shared her plan.", "interagency_partnership", 1),
    # ... but a practitioner's partner is a person
    ("The social worker said her partner had been unwell.", "interagency_partnership", 0),
    # online relationships are a person's own
    ("Staff should be alert to the risks online relationships pose to children.", "other_relationships", 1),
    # ... unless the sentence says whose ("online" decides only when nothing else does)
    (
        "Youth workers keep online relationships with young people through the club's platform.",
        "relationship_based_practice",
        1,
    ),
    # friendships and relationships: a child's own
    ("Workers should ask children about their friendships and relationships.", "other_relationships", 1),
    # ... unless the sentence says whose
    (
        "Workers should ask children about their friendships and relationships with adults.",
        "other_relationships",
        0,
    ),
]


def test_sixteenth_reader_object_pronoun_never_stands_for_its_own_subject(reader):
    # "with *them*": not the social worker, the one person named, who is the clause's subject
    found = reading(reader, "The social worker built a relationship with them over many months.", "relationship")
    assert found.senses == ("practice",) and "with social worker" not in found.reason, found


@pytest.mark.parametrize(
    "text, senses",
    [
        # "in that light": "that" points at a noun after a preposition and opens no clause, so "their"
        # is the teachers' (the clause's subject), not the children's named before
        (
            "Abuse can leave children hypervigilant, and teachers should read behaviour in that light "
            "and work on their relationship with the child.",
            ("practice",),
        ),
        ("At that point the practitioners began to rebuild their relationship with the children.", ("practice",)),
        # after a comma the clause opens at the preposition all the same
        (
            "The children were settled, except that their relationship with their grandparents was strained.",
            ("other",),
        ),
    ],
)
def test_seventeenth_reader_that_after_a_preposition_opens_no_clause(reader, text, senses):
    found = reading(reader, text, "relationship")
    assert found.senses == senses, found


LEXICON_2_7_CASES = [
    # a partnership of an agency, a practitioner and a family is both kinds (one occurrence, two senses)
    (
        "A partnership between the school, the health visitor and the parents was formed.",
        "interagency_partnership",
        1,
    ),
    (
        "A partnership between the school, the health visitor and the parents was formed.",
        "partnership_with_families",
        1,
    ),
    # ... not a practitioner's with a family alone, nor two agencies' with no family
    ("A partnership between the health visitor and the parents was formed.", "interagency_partnership", 0),
    ("A partnership between the school and the health visitor was formed.", "partnership_with_families", 0),
    # relationships between services, their staff and a family: the staff's with each other and with the family
    (
        "Safeguarding depends on relationships between the school, the health visitor and the family.",
        "other_relationships",
        1,
    ),
    (
        "Safeguarding depends on relationships between the school, the health visitor and the family.",
        "relationship_based_practice",
        1,
    ),
    ("Safeguarding depends on relationships between the health visitor and the family.", "other_relationships", 0),
    # a family liaison officer is a practitioner, not the family
    (
        "The school's family liaison officer had developed a good relationship with both parents.",
        "relationship_based_practice",
        1,
    ),
    # partnership across agencies names its sides; across a place, no side
    (
        "The project was built on partnership across agencies and with the families it served.",
        "interagency_partnership",
        1,
    ),
    (
        "The project was built on partnership across agencies and with the families it served.",
        "partnership_with_families",
        1,
    ),
    ("Staff built relationships across the school with every family.", "relationship_based_practice", 1),
]


@pytest.mark.parametrize("text, category, expected", LEXICON_2_6_CASES + LEXICON_2_7_CASES)
def test_lexicon_rules(text, category, expected):
    counted = scan([document(text)], load_lexicon()).counted
    assert (counted["category"] == category).sum() == expected, counted[["match", "category", "reason"]]


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # "to build" after a preposition's object: the doer is the clause's subject, not the object
        (
            "Social workers need enough time with children to build relationships with them.",
            "relationships",
            ("practice",),
        ),
        (
            "Children in care need regular time with their social worker to build a relationship.",
            "relationship",
            ("practice",),
        ),
        (
            "The council provides funding for mentors to build relationships with care leavers.",
            "relationships",
            ("practice",),
        ),
        (
            "Parents need support from the health visitor to build relationships with their babies.",
            "relationships",
            ("other",),
        ),
        ("Schools should expect staff to build relationships with pupils.", "relationships", ("practice",)),
        # modifiers joined by "but" or "and" stand between a holding verb and the word
        (
            "Young carers may have a close but burdensome relationship with a parent who is ill.",
            "relationship",
            ("other",),
        ),
        ("The nurse had a warm and trusting relationship with the mother.", "relationship", ("practice",)),
        (
            "The social worker held a meeting and relationships between the two families worsened.",
            "relationships",
            ("other",),
        ),
        # "in partnership" set off by commas after "with families"
        ("Family Help is meant to be done with families, in partnership, not to them.", "partnership", ("families",)),
        (
            "The police will work with the council, in partnership, to keep children safe.",
            "partnership",
            ("interagency",),
        ),
        (
            "The council and the police dealt with the family's complaint, in partnership, within a week.",
            "partnership",
            ("interagency",),
        ),
        # a definition after a place and a phrase set off by commas, with whom the first party works
        (
            "Partnership in Hollinsford, the director wrote, means agencies sharing information with one another "
            "and with parents.",
            "partnership",
            ("families", "interagency"),
        ),
        ("Partnership means agencies sharing information with each other.", "partnership", ("interagency",)),
        ("Partnership, in this sense, means that parents are told.", "partnership", ("families",)),
        ("Partnership means the school working with the child and the family.", "partnership", ("families",)),
        ("Partnership means agencies dealing with children's cases quickly.", "partnership", ("interagency",)),
        (
            "Partnership means the three agencies working with one another, and it does not mean working with parents.",
            "partnership",
            ("interagency",),
        ),
        (
            "Partnership means the police and the council agreeing plans with each other before meeting with the "
            "family.",
            "partnership",
            ("interagency",),
        ),
        # a participle right after the word names its sides
        (
            "The strategy speaks of one partnership joining agencies, parents and children.",
            "partnership",
            ("families", "interagency"),
        ),
        ("A partnership involving parents works best.", "partnership", ("families",)),
        ("Partners involving children in the review must explain what they will do.", "partners", ("interagency",)),
        # "As a partner ..., X must": X, the main clause's subject after the comma
        (
            "As a partner in the local arrangements, the clinical commissioning group must ensure that GPs attend.",
            "partner",
            ("interagency",),
        ),
        ("As partners in the plan, parents should be told everything.", "partners", ("families",)),
        ("As a partner, the school must share information.", "partner", ("interagency",)),  # not "partner, the school"
        # ... not where "as" opens a clause, nor for one partner of the family ("in the business")
        ("As the partners agreed, the father was invited to the conference.", "partners", ("interagency",)),
        ("As partners in the review explained, the mother had not been told.", "partners", ("interagency",)),
        ("As a partner in the business, the father was often away.", "partner", ("person",)),
        ("As a partner, the mother's new boyfriend should have been assessed.", "partner", ("person",)),
        # "like partners" as "as partners"
        ("Some parents said their practitioner had made them feel like genuine partners.", "partners", ("families",)),
        ("Schools treated fathers like partners.", "partners", ("families",)),
        # a pronoun's person is a phrase's head, not the word modifying it ("family" of "family worker")
        (
            "The family worker had seen the mother weekly for a year, and their relationship gave her insight.",
            "relationship",
            ("practice",),
        ),
        (
            "The social worker gave the father family help and his relationship with his son improved.",
            "relationship",
            ("other",),
        ),
    ],
)
def test_eighteenth_reader(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


@pytest.mark.parametrize(
    "text, category, expected",
    [
        ("The CCG and the police are partners.", "interagency_partnership", 1),
        ("The clinical commissioning groups worked in partnership with the council.", "interagency_partnership", 1),
        ("The ICB worked in partnership with parents.", "partnership_with_families", 1),
    ],
)
def test_lexicon_2_8_bodies(text, category, expected):
    counted = scan([document(text)], load_lexicon()).counted
    assert (counted["category"] == category).sum() == expected, counted[["match", "category", "reason"]]


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # "neither X nor Y" names both
        ("Neither the school nor the GP had any relationship with the family.", "relationship", ("practice",)),
        # "a group of parents" are the parents
        ("A partnership between the council and a group of parents shapes the training.", "partnership", ("families",)),
        ("The council works in partnership with a group of parents.", "partnership", ("families",)),
        ("The partnership with a network of agencies grew.", "partnership", ("interagency",)),
        # a safeguarding children partnership named in lower case is the agencies'
        (
            "The local safeguarding children partnership will fund an advocate for fathers.",
            "partnership",
            ("interagency",),
        ),
    ],
)
def test_nineteenth_reader(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


def test_neither_nor_names_both_sides(reader):
    found = reading(reader, "Neither the school nor the GP had any relationship with the family.", "relationship")
    assert "school" in found.reason and "gp" in found.reason, found


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Key worker status allowed the mother to keep him in school.", 0),  # the pandemic's category of jobs
        ("The lead professional body for youth workers issued guidance.", 0),  # a profession's association
        ("The key worker visited the family weekly.", 1),
        ("The lead professional coordinated the plan.", 1),
    ],
)
def test_lexicon_2_9_named_practitioner_in_other_senses(text, expected):
    counted = scan([document(text)], load_lexicon()).counted
    assert (counted["category"] == "relationship_based_practice").sum() == expected, counted[["match", "reason"]]


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # an owner named by a name alone holds the relationship: a child's own with other children
        ("Maya's relationship with older boys at the park worried her school.", "relationship", ("other",)),
        ("At the meeting, Maya\u2019s relationships with older boys were discussed.", "relationships", ("other",)),
        # ... and with a practitioner, still the practitioner's relationship with a child
        ("Leon's relationship with his youth worker lasted through three moves.", "relationship", ("practice",)),
        # a named person's partner is a person, counted nowhere
        ("Kelly's partner moved into the flat in March.", "partner", ("person",)),
        # not an area's partnership or partners, nor a title's, capitals' or an indefinite word's owner
        ("Eastmere's partners agreed the new arrangements.", "partners", ("interagency",)),
        ("Eastmere's partnership with parents was praised.", "partnership", ("families",)),
        ("The PCSO's relationship with the young people was good.", "relationship", ("practice",)),
        ("Everyone's relationship with the child mattered to the review.", "relationship", ("practice",)),
        ("Mrs Okafor's relationships with the pupils in her class were warm.", "relationships", ("practice",)),
        # the role the text gives the name: "Sam, the family's social worker", "as a youth worker"
        (
            "Sam, the family's social worker, visited weekly, and Sam's relationship with the family grew.",
            "relationship",
            ("practice",),
        ),
        ("The health visitor, Priya, said Priya's relationship with the baby was good.", "relationship", ("practice",)),
        (
            "Tom's relationships with the children he supported were the heart of his practice as a youth worker.",
            "relationships",
            ("practice",),
        ),
        ("Kelly, Jade's mother, said that Kelly's relationship with her son had improved.", "relationship", ("other",)),
        # an area's or an organisation's partner is an agency: before a classed noun, named as a body
        ("Kidsafe's partner charity in Eastbrook runs the club.", "partner", ("interagency",)),
        ("Harrowmead's partner, the Lindfield County Council, funds the post.", "partner", ("interagency",)),
        ("Harrowmead's partner, the Lindfield Youth Trust, runs the drop-in.", "partner", ("interagency",)),
        ("Harrowmead's partner in the pilot was Lindfield Borough Council.", "partner", ("interagency",)),
        # ... but a person's partner's children are the person's partner's
        ("Kelly's partner's children stayed at the house at weekends.", "partner's", ("person",)),
        ("Kelly's partner told the police about the injury.", "partner", ("person",)),
        ("Kelly's partner moved into the flat, the council said.", "partner", ("person",)),
        # a practitioner the sentence names may be the name's role; a partner "in" something, after
        # a word of its own or owned by "the" named one is a body's
        ("Social worker Sam Okafor's relationship with the boys was strong.", "relationship", ("practice",)),
        (
            "Priya had been the health visitor, and Priya's relationship with the baby was good.",
            "relationship",
            ("practice",),
        ),
        ("Harrowby's partner in the pilot withdrew in March.", "partner", ("interagency",)),
        ("Kidsafe's delivery partner runs the groups.", "partner", ("interagency",)),
        ("Kelly's partner was the Eastmere Youth Trust's caretaker.", "partner", ("person",)),
        ("Anne-Marie's partner had supervised contact.", "partner", ("person",)),
        ("The Trust's partner agreed the plan.", "partner", ("interagency",)),
        # a relationship the sentence gives to "it" is a body's
        ("Kidsafe's relationship with the families it supports is strong.", "relationship", ("practice",)),
        # a role given in the sentence before: "Sam, the family's social worker," / "The health visitor, Priya,"
        (
            "Sam, the family's social worker, started in May. Sam's relationship with the family grew.",
            "relationship",
            ("practice",),
        ),
        (
            "The health visitor, Priya, started in May. Priya's relationship with the baby was good.",
            "relationship",
            ("practice",),
        ),
        ("Harrowmead's partner, a local charity, funds the post.", "partner", ("interagency",)),
        ("DSL's relationship with the young people was good.", "relationship", ("practice",)),
    ],
)
def test_twentieth_reader_a_name_alone_owns_its_relationship(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # a role is a phrase set off by commas beside the name, capitalised: not the next sentence's
        # subject after a full stop, nor the verb "rose" (a code review's cases)
        (
            "Kelly moved in with Maya. The social worker visited. Maya's relationship with her mother improved.",
            "relationship",
            ("other",),
        ),
        ("Rose's relationship with her mother improved after tensions rose.", "relationship", ("other",)),
        # "it" in another clause is no sign of a body
        ("Maya's relationship with older boys worried her mother, and it got worse.", "relationship", ("other",)),
        # the family word of "the family worker" is a word of a title, not a third person
        ("The mother met the family worker, and their relationship improved.", "relationship", ("practice",)),
    ],
)
def test_twentieth_reader_review_mends(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


def test_a_role_given_to_the_name_does_not_lift_the_partner_s_guards(reader):
    """ "Kelly, the mother, said Kelly's *delivery* partner ...": a body's partner, whatever role
    the text gives the name (the role was looked at first, before the guards)."""
    found = reading(reader, "Kelly, the mother, said Kelly's delivery partner funds the pilot.", "partner")
    assert found.senses != ("person",), found


@pytest.mark.parametrize(
    "before, between, run_on",
    [
        ("", "", "the partner, the "),
        ("", "", "parents and partners and "),
        ("", "", "their relationship with their "),
        ("", "", "the parents' partners and "),
        # a long list first, then many words that look back along it (a code review's cases)
        ("parents and carers and ", "schools, ", "their relationship, "),
        ("parents, carers, ", "many of whom ", "have relationships, "),
        ("the mother and ", "the lead professional, ", "and their relationship "),
        # the twenty-second reader's steps: a relative clause's modal, a word describing the
        # relationship after "their", two practitioners holding one (a code review's shapes)
        ("", "", "young people who use the service should be partners and "),
        ("", "", "their working relationship and "),
        ("", "", "the nurse and the teacher had a relationship and "),
        ("", "", "family support from the "),
    ],
)
def test_a_long_run_on_sentence_is_read_in_time_linear_in_its_length(before, between, run_on):
    """Reading each occurrence looked for the sentence's subject from its start, along a coordinated
    list to its end, for a defined word's verb past every comma after it, for the person of each
    "their" before it, and for an open quotation back to the sentence's start: a run-on "sentence"
    of thousands of "the partner, the" took time growing with its square (4,000 occurrences 8 s;
    "parents and partners and" 24 s at 2,000). The work is counted, not timed: the lines of the
    reader's module run grow no faster than the text (loops included)."""
    import sys

    from wtcompare import participants

    lines = 0

    def trace(frame, event, arg):
        nonlocal lines
        if frame.f_code.co_filename != participants.__file__:
            return None
        if event == "line":
            lines += 1
        return trace

    work = []
    for n in (200, 800):
        lines = 0
        sys.settrace(trace)
        try:
            scan([document(before * n + between + run_on * n)], load_lexicon())
        finally:
            sys.settrace(None)
        work.append(lines)
    assert work[1] < 5 * work[0], work


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # a comma after a "with" list goes on with it only before "and", "or", a comma or the clause's end
        (
            "Watching the baby's relationship with her mother, the health visitor saw warmth.",
            "relationship",
            ("other",),
        ),
        ("The partnership with schools, the police, and health works well.", "partnership", ("interagency",)),
        # "X, many of whom have relationships": X holds them (not the sentence's first noun)
        (
            "Practitioners should know the lived experience of children in kinship care, many of whom have "
            "relationships with their grandparents to manage.",
            "relationships",
            ("other",),
        ),
        # a title and a name before "whose": a person's partner
        ("Ms Grant, whose partner worked as a police officer, declared it.", "partner", ("person",)),
        # "made up of": its sides, not the board
        ("A partnership board made up of parents and carers advises the council.", "partnership", ("families",)),
        # "their relationship" of the practitioner and the parent the sentence names
        (
            "The mother said the lead professional had explained things to her, and their relationship grew.",
            "relationship",
            ("practice",),
        ),
        # ... but not "their relationship with the boy", the two's with someone else
        (
            "The mother said the lead professional had explained things to her, and their relationship with "
            "the boy improved.",
            "relationship",
            ("other",),
        ),
        # GP partners are partners in a practice: persons; not in a list of agencies
        ("Some GP partners were reluctant to attend conferences.", "partners", ("person",)),
        ("The police, the council and GP partners each nominated a lead.", "partners", ("interagency",)),
        # a list's item may go on with a relative clause or a phrase of its own
        (
            "The council works in partnership with health, schools, parents who use its services and the "
            "voluntary sector.",
            "partnership",
            ("families", "interagency"),
        ),
        # "whose partners" named as agencies are agencies
        (
            "Dr Mensah, whose partners in the review were the police and the council, wrote the report.",
            "partners",
            ("interagency",),
        ),
        # a name's words between a preposition and the noun of a place: "Staff at the Meadow Lane
        # children's home, many of whom ..." are the staff
        (
            "Staff at the Meadow Lane children's home, many of whom have relationships with the children, stayed.",
            "relationships",
            ("practice",),
        ),
    ],
)
def test_twenty_first_reader(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


def test_an_ambiguous_word_is_no_clause_s_subject(reader):
    """ "no single partner" is an agency: the clause's subject looked for in the sentence was "each
    safeguarding partner", an ambiguous word read as an intimate partner."""
    text = "Each safeguarding partner must contribute fairly to the costs, and no single partner should carry them."
    found = reading(reader, text, "partner", nth=2)
    assert found.senses == ("interagency",), found


def test_involvement_as_partners_counts_once():
    counted = scan(
        [document("Young people co-designed the training, and their involvement as partners was paid.")], load_lexicon()
    ).counted
    assert (counted["category"] == "partnership_with_families").sum() == 1, counted[["match", "reason"]]


@pytest.mark.parametrize(
    "text, senses",
    [
        # two people, each one person and both practitioners, hold the relationship together: theirs
        ("The health visitor and the social worker had a poor relationship and rarely shared information.", ("other",)),
        ("The social worker and the teacher have a good working relationship.", ("other",)),
        # plural holders say nothing of with whom: the children's practitioners, as before
        ("Social workers and teachers should build a relationship of trust.", ("practice",)),
        # someone after "with", named or a pronoun, is a side of their own
        ("The teacher and the nurse have a relationship of trust with Amy.", ("practice",)),
        ("The teacher and the nurse have a relationship of trust with him.", ("practice",)),
        ("The social worker and the teacher built a relationship with the family.", ("practice",)),
        # one practitioner alone holds a relationship with the reader's child
        ("The social worker built a strong relationship over the months.", ("practice",)),
        # a child among the holders
        ("The mentor and the boy had a strong relationship.", ("practice",)),
        # "together" says they hold it together; "together with" names someone else (a review's cases)
        ("The social worker and the teacher worked together and built a strong relationship.", ("other",)),
        ("The social worker and the teacher, together with Amy, built a relationship.", ("practice",)),
    ],
)
def test_twenty_second_reader_two_practitioners_hold_their_own_relationship(reader, text, senses):
    found = reading(reader, text, "relationship")
    assert found.senses == senses, found


def test_the_cache_of_decisions_does_not_depend_on_order():
    """A holder of no class is no person to `sides_named`, as the rules see it: decisions cached by
    the sides named agree whatever came first (a review's case: two holder lists of the same classes,
    one naming two practitioners and one the same one twice, each beside a thing of no class, were
    read alike, as whichever came first)."""
    from wtcompare.lexicon import load_lexicon
    from wtcompare.participants import Participant, Reader

    lexicon = load_lexicon()
    family = next(f for f in lexicon.families if f.id == "relationship")
    rota = Participant("something", "subject", "rota")
    a = [Participant("practitioners", "subject", "nurse"), Participant("practitioners", "subject", "teacher"), rota]
    b = [Participant("practitioners", "subject", "nurse"), Participant("practitioners", "subject", "nurse"), rota]
    readings = []
    for order in ((a, b), (b, a)):
        reader = Reader(lexicon)
        readings.append({id(x): reader.decide(family, x, "relationship", True).senses for x in order})
    assert readings[0] == readings[1], readings


@pytest.mark.parametrize(
    "participants, sides",
    [
        ([("practitioners", "subject", "nurse", False), ("practitioners", "subject", "teacher", False)], 2),
        # the same holder found twice is one person
        ([("practitioners", "subject", "nurse", False), ("practitioners", "possessor", "nurse", False)], 1),
        ([("practitioners", "subject", "nurses", True), ("practitioners", "subject", "teacher", False)], 1),
        ([("practitioners", "subject", "nurse", False), ("practitioners", "with", "teacher", False)], 1),
        # someone after "with" (a pronoun or "whom" the reader may have read wrong) leaves one side
        (
            [
                ("practitioners", "subject", "nurse", False),
                ("practitioners", "subject", "teacher", False),
                ("practitioners", "with", "teacher", False),
            ],
            1,
        ),
        ([("children", "with", "child", False)], 1),
        ([("practitioners", "of", "teacher", False)], 0),
        ([], 0),
    ],
)
def test_sides_named(participants, sides):
    from wtcompare.lexicon import sides_named
    from wtcompare.participants import Participant

    assert sides_named([Participant(*p) for p in participants]) == sides


@pytest.mark.parametrize(
    "text, senses, whose",
    [
        # "their" before a word that describes the relationship stands for the same people as before
        # "their relationship": the agencies' own, not a practitioner's with a family
        (
            "Both agencies agreed that their working relationship would benefit from joint training.",
            ("other",),
            "agencies",
        ),
        # a practitioner and a parent named before "their (working) relationship": the two's
        (
            "The mother said the lead professional had explained things to her, and their working relationship "
            "improved.",
            ("practice",),
            "lead professional",
        ),
    ],
)
def test_twenty_second_reader_their_described_relationship(reader, text, senses, whose):
    found = reading(reader, text, "relationship")
    assert found.senses == senses and f"possessor their ({whose})" in found.reason, found


@pytest.mark.parametrize(
    "text, word, senses",
    [
        # a modal past a relative clause's first word is the main verb's: its subject is the antecedent
        (
            "Young people who use the Marlowdene youth service should be treated as partners in planning.",
            "partners",
            ("families",),
        ),
        (
            "Health visitors who have known a family over several years can build a relationship of trust.",
            "relationship",
            ("practice",),
        ),
        # the phrase a relative clause's antecedent belongs to is the subject: not "young people"
        # after "for" or a participle (a review's cases)
        ("Services for young people who use the drop-in centre should work as partners.", "partners", ("interagency",)),
        (
            "Agencies supporting young people who use the youth service should be partners.",
            "partners",
            ("interagency",),
        ),
        # a partner's clause takes the antecedent alone, not whom the relative clause names
        ("Schools which refer children to the service should be partners in the review.", "partners", ("interagency",)),
        # holders deal with whom the relative clause names: the relationship's other side
        (
            "Children who see the school nurse each week may form a relationship that lasts.",
            "relationship",
            ("practice",),
        ),
    ],
)
def test_twenty_second_reader_the_subject_past_a_relative_clause(reader, text, word, senses):
    found = reading(reader, text, word)
    assert found.senses == senses, found


def test_the_side_a_phrase_leaves_unsaid_is_read_past_a_relative_clause(reader):
    """ "Schools which may not know the family should work in partnership with the health visitor":
    the schools' partnership, not the family's (a code review's case; `Reader.side` took the
    relative clause's object)."""
    text = "Schools which may not know the family should work in partnership with the health visitor."
    found = reading(reader, text, "partnership")
    assert found.senses == ("interagency",), found


def test_a_relative_clause_with_a_subject_of_its_own_keeps_it(reader):
    """ "The agencies which *the children* must have relationships with": the relationships are the
    children's, whose clause it is, not the antecedent's."""
    found = reading(reader, "The agencies which the children must have relationships with are named.", "relationships")
    assert "subject children" in found.reason, found


def test_their_described_relationship_with_kin_is_left_to_the_phrase(reader):
    """ "their working relationships *with parents*": whoever "their" is, the relationship is theirs
    with a family, as "their relationships with parents" reads (a review's case: "their" had been
    read as the "child" of "child protection teams", making it a child's relationship)."""
    found = reading(
        reader, "Child protection teams should review their working relationships with parents.", "relationships"
    )
    assert found.senses == ("practice",), found
