"""The segmenter recognises the structures of plain text and Markdown editions."""

from __future__ import annotations

import re

import pytest

from wtcompare.errors import WtcompareError
from wtcompare.load import load_document
from wtcompare.load.markdown import markdown_document
from wtcompare.segment import DocumentBuilder, segment_text


def outline(document):
    return [(s.id, s.level, s.number, s.heading) for s in document.walk()]


def paragraphs(document):
    return [(p.id, p.number, p.text) for p in document.paragraphs()]


def test_markdown_headings_give_levels_and_ids():
    doc = markdown_document(
        "# Guide\n\n## Chapter 2: Roles\n\n### 2.1 Health\n\nText one here.\n\n### Schools\n\nText two.\n", "guide.md"
    )
    assert outline(doc) == [
        ("ch2", 1, "2", "Roles"),
        ("ch2/2.1", 2, "2.1", "Health"),
        ("ch2/schools", 2, None, "Schools"),
    ]
    assert paragraphs(doc) == [("ch2/2.1/p1", None, "Text one here."), ("ch2/schools/p1", None, "Text two.")]


@pytest.mark.parametrize(
    "heading, number, title",
    [
        ("Chapter 3", "3", "Chapter 3"),
        ("Chapter 3: Working with families", "3", "Working with families"),
        ("CHAPTER THREE\nWorking with families", "3", "Working with families"),
        ("Chapter 12 - Managing risk", "12", "Managing risk"),
        ("CHAPTER IV", "4", "Chapter 4"),
    ],
)
def test_chapter_headings(heading, number, title):
    doc = segment_text(f"Intro paragraph of the document.\n\n{heading}\n\nA paragraph of the chapter.\n")
    chapter = doc.sections[1]
    assert (chapter.id, chapter.number, chapter.heading) == (f"ch{number}", number, title)
    assert [p.text for p in chapter.paragraphs] == ["A paragraph of the chapter."]


def test_numbered_heading_and_numbered_paragraphs_of_both_styles():
    text = (
        "Chapter 1: Purpose\n\n1.2 Who this is for\n\n1.23 Agencies should share information early.\n\n"
        "1.24 They should record it.\n\n23. Older editions number paragraphs like this.\n"
    )
    doc = segment_text(text)
    assert outline(doc) == [("ch1", 1, "1", "Purpose"), ("ch1/1.2", 2, "1.2", "Who this is for")]
    assert paragraphs(doc) == [
        ("ch1/1.2/p1", "1.23", "Agencies should share information early."),
        ("ch1/1.2/p2", "1.24", "They should record it."),
        ("ch1/1.2/p3", "23", "Older editions number paragraphs like this."),
    ]


def test_numbered_paragraphs_without_blank_lines_split_only_in_sequence():
    doc = segment_text("4. The review met in\n2006. It found gaps.\n5. A new paragraph.\n")
    assert paragraphs(doc) == [
        ("front/p1", "4", "The review met in 2006. It found gaps."),
        ("front/p2", "5", "A new paragraph."),
    ]


def test_lists_stay_with_the_paragraph_that_introduces_them():
    text = (
        "7. Agencies should:\n- share information\n- record decisions, and\n  review them\n\n"
        "8. The plan covers:\n\n(a) the child's needs;\n(b) who does what.\n\n9. Next.\n"
    )
    doc = segment_text(text)
    assert paragraphs(doc) == [
        ("front/p1", "7", "Agencies should:\n- share information\n- record decisions, and review them"),
        ("front/p2", "8", "The plan covers:\n(a) the child's needs;\n(b) who does what."),
        ("front/p3", "9", "Next."),
    ]


def test_bullet_characters_are_normalised_to_dashes():
    doc = segment_text("The steps are:\n\u2022 one\n* two\n")
    assert paragraphs(doc)[0][2] == "The steps are:\n- one\n- two"


def test_wrapped_lines_and_hyphenation_are_joined():
    text = (
        "1. Practitioners work in partner-\nship with parents and with inter-\nagency colleagues, and the\n"
        "inter-agency group meets monthly.\n"
    )
    doc = segment_text(text)
    assert paragraphs(doc)[0][2] == (
        "Practitioners work in partnership with parents and with inter-agency "
        "colleagues, and the inter-agency group meets monthly."
    )


def test_the_words_are_counted_only_when_a_hyphen_at_a_line_end_asks(monkeypatch):
    # counting a long edition's words is a tenth of segmenting it; a paragraph on each line needs none
    import wtcompare.segment as segment

    counted = []
    monkeypatch.setattr(
        segment, "vocabulary_of", lambda texts: counted.append(1) or segment.DocumentWords(segment.Counter(), [])
    )
    segment_text("1. Practitioners work in partnership with parents.\n\n2. The inter-agency group meets.\n")
    assert counted == []
    segment_text("1. Practitioners work in partner-\nship with parents.\n")
    assert counted == [1]


def test_the_vocabulary_finds_broken_and_slashed_words_where_a_search_of_the_whole_text_would():
    """The vocabulary tries its patterns only at the word before each hyphen at a line's end and
    each slash (a whole-text search tried them at every word): on text full of near misses it finds
    the same matches."""
    import random

    from wtcompare.segment import BROKEN_WORD, ONE_BREAK, SLASHED, _after_words

    texts = ["respon-\nsibi-\nlities", "a/b/c", "2018-\n19", "x-\n\n  y-\nz", "-\nab", "ab-\n", "é/É-\nK"]
    pieces = ["a", "Zé", "-", "\n", " ", "/", "_", "1", "\u024f", "\t", "-\n", "x/"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 16))) for _ in range(20_000)]
    for pattern, mark in ((BROKEN_WORD, "-\n"), (ONE_BREAK, "-\n"), (SLASHED, "/")):
        for text in texts:
            found = [(m.span(), m.groups()) for m in _after_words(pattern, text, mark)]
            assert found == [(m.span(), m.groups()) for m in pattern.finditer(text)], (pattern.pattern, text)


def test_text_without_headings_still_segments_into_paragraphs():
    doc = segment_text("First paragraph, which wraps\nonto a second line.\n\nSecond paragraph.\n\nThird one.\n")
    assert [p.text for p in doc.paragraphs()] == [
        "First paragraph, which wraps onto a second line.",
        "Second paragraph.",
        "Third one.",
    ]
    assert [s.id for s in doc.walk()] == ["front"]


def test_first_short_lines_are_the_document_title():
    doc = segment_text("Joining Up for Children\nSecond edition\n\nThe opening paragraph.\n")
    assert doc.sections[0].heading == "Joining Up for Children \u2014 Second edition"
    assert paragraphs(doc) == [("front/p1", None, "The opening paragraph.")]


def test_duplicate_headings_get_distinct_ids():
    doc = segment_text("Chapter 1: A\n\nNotes\n\nOne.\n\nNotes\n\nTwo.\n")
    assert [s.id for s in doc.walk()] == ["ch1", "ch1/notes", "ch1/notes-2"]


def test_ids_are_stable_when_the_same_file_is_loaded_again(tmp_path):
    path = tmp_path / "edition.md"
    path.write_text("## Chapter 1: A\n\n### 1.1 B\n\n1. Text.\n\n2. More.\n", encoding="utf-8")
    first, second = load_document(path), load_document(path)
    assert paragraphs(first) == paragraphs(second)
    assert outline(first) == outline(second)


def test_form_feeds_give_page_numbers():
    doc = segment_text("1. On page one.\n\f2. On page two.\n")
    assert [(p.number, p.page) for p in doc.paragraphs()] == [("1", "1"), ("2", "2")]


def test_builder_gives_the_same_ids_as_the_segmenter():
    builder = DocumentBuilder()
    builder.heading("Roles", 1, "2", "chapter")
    builder.heading("Health", 2, "2.1")
    builder.paragraph("Text one here.")
    built = builder.build()
    parsed = segment_text("Chapter 2: Roles\n\n2.1 Health\n\nText one here.\n")
    assert outline(built) == outline(parsed) and paragraphs(built) == paragraphs(parsed)


# Decoding ---------------------------------------------------------------------------------------


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes("\ufeffChapter 1: Caf\u00e9\r\n\r\nA paragraph\r\nwrapped.\r\n".encode("utf-8"))
    doc = load_document(path)
    assert doc.sections[0].heading == "Caf\u00e9"
    assert paragraphs(doc) == [("ch1/p1", None, "A paragraph wrapped.")]
    assert doc.warnings == []


def test_cp1252_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("The child\u2019s wishes \u2013 always.\n".encode("cp1252"))
    doc = load_document(path)
    assert paragraphs(doc)[0][2] == "The child\u2019s wishes \u2013 always."
    assert len(doc.warnings) == 2 and "cp1252" in doc.warnings[0] and "old.txt" in doc.warnings[0]
    assert doc.warnings[1] == f"{path}: no headings found; read as one section of 1 paragraph"


@pytest.mark.parametrize("name", ["edition", "edition.xyz", "edition.dat"])
def test_files_with_no_or_unfamiliar_extension_are_read_as_text(tmp_path, name):
    path = tmp_path / name
    path.write_text("Chapter 1: A\n\nSome text.\n", encoding="utf-8")
    assert paragraphs(load_document(path)) == [("ch1/p1", None, "Some text.")]


def test_binary_content_is_refused(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(WtcompareError, match=r"garbage\.txt: does not look like text"):
        load_document(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(WtcompareError, match=r"empty\.txt: file is empty"):
        load_document(path)


def test_a_text_with_no_headings_loads_with_one_warning_saying_so(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("First paragraph of a flat file.\n\nSecond paragraph, still no heading.\n", encoding="utf-8")
    doc = load_document(path)
    assert [p.text for p in doc.paragraphs()] == [
        "First paragraph of a flat file.",
        "Second paragraph, still no heading.",
    ]
    assert doc.warnings == [f"{path}: no headings found; read as one section of 2 paragraphs"]


def test_a_compound_broken_after_its_own_hyphen_keeps_it():
    """ "non-" + "package": the joined word is nowhere in the document and "package" is a word of
    its own elsewhere, so the hyphen is the compound's. A typesetter's hyphen is taken out: after
    "responsi-" no word follows, "partner-" + "ship" is spelled joined elsewhere, and "in-" +
    "dependently", "for-" + "mally" break after a word but before none (the first half being a word
    says nothing: a typesetter breaks after "in" or "be" as often)."""
    doc = segment_text(
        "1. A package may depend on a non-\npackage argument, and on responsi-\nbilities shared in partner-\n"
        "ship, worked out in-\ndependently and for-\nmally with an-\nother, as in the 2018-\n19 review and "
        "--use-feature=2020-\nresolver.\n\n2. Each package and partnership is named in full for the review, one "
        "after the other.\n"
    )
    assert paragraphs(doc)[0][2] == (
        "A package may depend on a non-package argument, and on responsibilities shared in partnership, worked "
        "out independently and formally with another, as in the 2018-19 review and --use-feature=2020-resolver."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a parenthetical dash that the line break put first continues its sentence
            "The requirement should be installed\n\u2013 the marker says when \u2013 in this environment.\n",
            ["The requirement should be installed \u2013 the marker says when \u2013 in this environment."],
        ),
        (
            "Agencies should:\n- listen to children\n- act promptly\n",
            ["Agencies should:\n- listen to children\n- act promptly"],
        ),
        ("- listen to children\n- act promptly\n", ["- listen to children\n- act promptly"]),
        (  # a list after a lead-in without a colon: its dashes come one after another
            "Local agencies should include\n- the police\n- health services\n- schools\n",
            ["Local agencies should include\n- the police\n- health services\n- schools"],
        ),
        (  # a plus sign that a line break put first is the sentence's, as a dash is
            "Extra space for complex expressions (ham[lower\n+ offset]) and more.\n",
            ["Extra space for complex expressions (ham[lower + offset]) and more."],
        ),
        ("Items:\n+ the police\n+ health services\n", ["Items:\n- the police\n- health services"]),
        ("Agencies include\n+ the police\n\n+ health\n", ["Agencies include\n- the police\n- health"]),
        ("The total is 12\n+ 3 weeks.\n", ["The total is 12 + 3 weeks."]),
        ("The folders:\n+ project/\n+ sub1/\n", ["The folders:\n- project/\n- sub1/"]),
        (  # ... also when its first item wraps, or its dashes are of two kinds
            "Local agencies should include\n- the police and the youth\noffending team\n\u2013 health services and\n"
            "local schools\n",
            [
                "Local agencies should include\n- the police and the youth offending team\n"
                "- health services and local schools"
            ],
        ),
    ],
)
def test_a_dash_starts_a_list_item_only_where_a_list_can_start(text, expected):
    assert [p[2] for p in paragraphs(segment_text("Title\n\n" + text))] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # a wrapped line that happens to begin "7)": no list starts at seven
            "- Please prefer the more readable if (a ==\n7) over the less readable if (7 == a).\n",
            ["- Please prefer the more readable if (a == 7) over the less readable if (7 == a)."],
        ),
        (  # "(c)" after "(b)" is the next item, ending in punctuation or not
            "Agencies should:\n(a) listen to children\n(b) act promptly\n(c) record decisions\n",
            ["Agencies should:\n(a) listen to children\n(b) act promptly\n(c) record decisions"],
        ),
        (  # a roman list, and a numbered one around a nested lettered one
            "(i) the police\n(ii) health\n(iii) schools\n(iv) courts\n(v) probation\n",
            ["(i) the police\n(ii) health\n(iii) schools\n(iv) courts\n(v) probation"],
        ),
        (
            "1) the police\na) officers\nb) staff\n2) health services\n",
            ["1) the police\na) officers\nb) staff\n2) health services"],
        ),
        (  # after a line that ends a sentence, a list may go on from an earlier block
            "Before the break.\n(d) the fourth item\n",
            ["Before the break.\n(d) the fourth item"],
        ),
        (  # "; and", "; or" end an item: the next marker, lettered, roman or numbered, goes on
            "Duties fall on:\n(a) local authorities;\n(b) NHS England; and\n(c) an integrated care board.\n",
            ["Duties fall on:\n(a) local authorities;\n(b) NHS England; and\n(c) an integrated care board."],
        ),
        (
            "It should:\n(i) the outcomes; or\n(ii) the plans.\n(1) listen; and\n(2) act.\na) see; and\nb) do.\n",
            ["It should:\n(i) the outcomes; or\n(ii) the plans.\n(1) listen; and\n(2) act.\na) see; and\nb) do."],
        ),
        (  # a marker run into a lead-in's sentence does not take the items after it
            "Local authorities should work with\n(a) the police\n(b) health\n(c) schools\n",
            ["Local authorities should work with (a) the police\n(b) health\n(c) schools"],
        ),
        (  # ... nor, read so, stop the next from going on from it
            "Local authorities should work with\n(a) the duties of section 11\n(b) health\n",
            ["Local authorities should work with (a) the duties of section 11\n(b) health"],
        ),
        (  # a list's first marker starts it, whatever the line above ends in
            "The following apply from 1 April 2024\n(a) the police\n(b) health\n",
            ["The following apply from 1 April 2024\n(a) the police\n(b) health"],
        ),
        (  # a running header between a list's items, as pdftotext writes one
            "Agencies should:\n(a) listen\n(b) act\n\fWorking Together to Safeguard Children\n(c) record\n(d) share\n",
            ["Agencies should:\n(a) listen\n(b) act", "Working Together to Safeguard Children\n(c) record\n(d) share"],
        ),
        (  # a number in brackets is not the next letter
            "Agencies should:\n(a) check the duties in section 11\n(2) of the Children Act 2004\n(b) stop\n",
            ["Agencies should:\n(a) check the duties in section 11 (2) of the Children Act 2004\n(b) stop"],
        ),
        (
            "The duty in section 17(10)\n(b) of the Act applies.\n",
            ["The duty in section 17(10) (b) of the Act applies."],
        ),
        (  # a reference after a word that cannot end an item stays in its sentence ...
            "4.1 Authorities must have regard to the duty under subsection\n(2) of section 11 when they act.\n",
            ["Authorities must have regard to the duty under subsection (2) of section 11 when they act."],
        ),
        (  # ... and in its list item
            "Practitioners should:\n- be alert to the signs described in section\n(2) of this chapter\n- act\n",
            ["Practitioners should:\n- be alert to the signs described in section (2) of this chapter\n- act"],
        ),
        (  # an item ending in a noun of reference is still followed by the next item
            "Local authorities must:\n(a) publish their arrangements under these regulations\n(b) review them every "
            "year\n(c) tell the partners\n",
            [
                "Local authorities must:\n(a) publish their arrangements under these regulations\n(b) review them "
                "every year\n(c) tell the partners"
            ],
        ),
        (  # ... only the next after the item right above it: "(b)" after "(c) ... paragraph" is a reference
            "Must:\n(a) assess;\n(b) decide; and\n(c) where they decide under paragraph\n(b) to act, tell it.\n",
            ["Must:\n(a) assess;\n(b) decide; and\n(c) where they decide under paragraph (b) to act, tell it."],
        ),
        ("(a) act as soon as\n(b) allows, and\n(c) review\n", ["(a) act as soon as (b) allows, and\n(c) review"]),
        (  # ... but no item ends in a preposition: "(b)" after "under" names the item before
            "Partners must:\n(a) publish what they decide under\n(b) and keep a record of it;\n(b) review it.\n",
            ["Partners must:\n(a) publish what they decide under (b) and keep a record of it;\n(b) review it."],
        ),
        (  # a running header ending in a year is no sentence going on
            "Introduction\n\nWorking Together to Safeguard Children 2023\n(c) the chief officer\n(d) others\n",
            ["Working Together to Safeguard Children 2023\n(c) the chief officer\n(d) others"],
        ),
        (  # a checklist's boxes are its bullets
            "Before the meeting:\n\u2610 Discuss the change\n\u2612 Agree the plan\n",
            ["Before the meeting:\n- Discuss the change\n- Agree the plan"],
        ),
    ],
)
def test_a_numbered_marker_starts_an_item_only_where_a_list_can_go_on(text, expected):
    assert [p[2] for p in paragraphs(segment_text("Title\n\n" + text))] == expected


def test_a_short_numbered_paragraph_in_the_paragraphs_sequence_is_not_a_heading():
    doc = segment_text(
        "A small guide\n\nTERMS\n\n6. The following terms are needed to explain the module:\n\n7. project\n\n"
        "8. A library, framework, script, plugin, application, or collection of data.\n\n9. release\n\n"
        "10. A snapshot of a project at a particular point in time.\n"
    )
    assert [s.heading for s in doc.walk()] == ["TERMS"]
    assert [p[1] for p in paragraphs(doc)] == ["6", "7", "8", "9", "10"]


def test_a_bold_numbered_heading_in_the_paragraphs_sequence_stays_a_heading():
    """The numbering rule is for blocks in the body's own type: "7 Referrals" in bold between
    paragraphs 6 and 8 is a heading, as its type says."""
    from wtcompare.segment import Line, segment_lines

    lines = []
    for text, bold in (
        ("6. The first paragraph of the part.", False),
        ("", False),
        ("7 Referrals", True),
        ("", False),
        ("8. The next paragraph follows here.", False),
    ):
        lines.append(Line(text, "1", 1.0 if text else None, bold, 0.0 if text else None))
    doc = segment_lines(lines)
    assert [s.heading for s in doc.walk()][-1:] == ["Referrals"] and [p[1] for p in paragraphs(doc)] == ["6", "8"]


def test_a_heading_wrapped_in_sentence_case_and_one_ending_in_its_own_parenthesis():
    doc = segment_text(
        "A Title\n\nISSUES AND PULL REQUESTS\n\nMind these guidelines when you review a change.\n\n"
        "Welcoming first-time\ncontributors\n\nAlways show courtesy to individuals submitting issues.\n\n"
        "CHANGES TO THE RESOLVER (2020)\n\nThe big change in this release is to the resolver.\n\n"
        "Police station\nHigh Street\n\nAn address is not a heading.\n\n"
        "Keeping Children Safe in Education (2023)\n\nA reference standing alone is not a heading either.\n"
    )
    assert [s.heading for s in doc.walk()] == [
        "ISSUES AND PULL REQUESTS",
        "Welcoming first-time contributors",
        "CHANGES TO THE RESOLVER (2020)",
    ]


def test_each_join_of_a_wrapped_paragraph_looks_at_one_line_only(monkeypatch):
    """A paragraph of 5,000 wrapped lines: each join is decided on the line above alone, never on
    the paragraph gathered so far (which made such a file take minutes: every join searched and
    copied the whole text before it)."""
    from wtcompare.segment import MAX_WORD, LineGrouper

    seen: list[int] = []
    joint = LineGrouper._joint
    monkeypatch.setattr(
        LineGrouper, "_joint", lambda self, left, *rest: seen.append(len(left)) or joint(self, left, *rest)
    )
    lines = [
        f"word{k} goes on and on in one long para-" if k % 7 == 0 else f"graph line {k} of many" for k in range(5000)
    ]
    doc = segment_text("\n".join(lines) + "\n")
    # a word broken twice brings at most one word of the line before into a join
    assert len(seen) == 4999 and max(seen) <= max(len(line) for line in lines) + MAX_WORD + 1
    text = next(doc.paragraphs()).text
    assert text.startswith("word0 goes on and on in one long para") and text.endswith("graph line 4999 of many")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_text_saved_as_utf16_with_its_bom_is_read(encoding):
    """Windows' Notepad saves "Unicode" text as UTF-16 with a byte-order mark: every other byte is
    a NUL, which made it "binary content"."""
    from wtcompare.load import parse

    data = "\ufeffChapter 1: Working together\r\n\r\n1.1 Practitioners work with families \u2013 always.\r\n"
    document = parse(data.encode(encoding), "notepad.txt")
    assert [s.heading for s in document.walk()] == ["Working together"]
    assert paragraphs(document) == [("ch1/p1", "1.1", "Practitioners work with families \u2013 always.")]


def test_a_word_hyphenated_at_line_ends_twice_is_joined_both_times():
    """The halves of words broken across lines are not words of the text: "responsi-" + "bility"
    twice does not make "responsi" a word found elsewhere (which would keep the hyphen)."""
    doc = segment_text(
        "1. The council has the lead responsi-\nbility for referrals.\n\n2. Schools share the responsi-\nbility "
        "for attendance.\n"
    )
    assert [p[2] for p in paragraphs(doc)] == [
        "The council has the lead responsibility for referrals.",
        "Schools share the responsibility for attendance.",
    ]


def test_a_word_broken_over_two_line_ends_is_joined_whole():
    """A narrow column breaks one word twice ("respon-" + "sibi-" + "lities"): its start counts in
    the second break ("ac-" + "count-" + "ability" is "accountability", though "ability" is a word),
    and its middle is no word of the text (it kept one hyphen: "responsibi-lities").
    A compound broken after its own hyphen and again keeps the compound's hyphen."""
    doc = segment_text(
        "1. Each practitioner has respon-\nsibi-\nlities to share information, as their responsibilities "
        "say, in multi-\nagen-\ncy work and multi-agency panels, with ac-\ncount-\nability for their ability "
        "and accountability.\n"
    )
    assert paragraphs(doc)[0][2] == (
        "Each practitioner has responsibilities to share information, as their responsibilities say, in "
        "multi-agency work and multi-agency panels, with accountability for their ability and accountability."
    )


@pytest.mark.parametrize("typeset", [False, True])
def test_a_document_that_never_hyphenates_words_keeps_the_hyphens_it_breaks_at(typeset):
    """A browser's or word processor's PDF breaks lines only at the text's own hyphens: where two
    broken words are spelled with their hyphen elsewhere and none joined, a break nothing else
    decides keeps its hyphen ("real-" + "world": "realworld" before). One break whose joined word
    the text spells elsewhere ("responsi-" + "bility") shows a typesetter's hyphenation: it is
    taken out, as before."""
    text = (
        "1. Agencies test real-\nworld cases with multi-\nagency teams and child-\ncentred plans, as "
        "multi-agency and child-centred work asks"
        + (", and share the responsi-\nbility for the responsibility." if typeset else ".")
        + "\n"
    )
    expected = "real-world" if not typeset else "realworld"
    assert (
        f"Agencies test {expected} cases with multi-agency teams and child-centred plans"
        in paragraphs(segment_text(text))[0][2]
    )


def test_pandoc_raw_blocks_in_markdown_are_markup_not_code():
    """pandoc's Markdown writes a raw HTML block as a fence with the attribute {=html} (between a
    list and an indented code block, "<!-- -->"): it was read as a paragraph of code. Raw HTML is
    read as an HTML block is; raw markup for another format is shown by none of ours."""
    text = (
        "# Title\n\nSome text.\n\n-   Check out your fork\n\n```{=html}\n<!-- -->\n```\n    git checkout x\n\n"
        "```{=html}\n<p>Raw words.</p>\n<p>Two paragraphs.</p>\n<style>\n.note { colour: red }\n</style>\n```\n\n"
        "```{=latex}\n\\newpage\n```\n\nMore text.\n"
    )
    paragraphs_read = [(p.text, p.code) for p in markdown_document(text, "pandoc.md").paragraphs()]
    assert paragraphs_read == [
        ("Some text.\n- Check out your fork", False),
        ("git checkout x", True),
        ("Raw words.", False),
        ("Two paragraphs.", False),
        ("More text.", False),
    ]


def test_a_markdown_line_break_after_a_code_span_is_a_space():
    """In Markdown a line break inside a paragraph is a space: "`pytest-`" then "prefixed" is not a
    word broken across the line (it was joined, "pytest-prefixed", and pytest went uncounted)."""
    wrapped = markdown_document("# T\n\nnames that start `pytest-`\nprefixed, as plugins do.\n", "wrapped.md")
    assert [p.text for p in wrapped.paragraphs()] == ["names that start pytest- prefixed, as plugins do."]


def test_a_numbered_list_after_its_lead_in_is_a_list_not_headings():
    """Short numbered items after a paragraph that introduces them, with nested bullets between
    them, were taken for numbered headings in plain text; they are the list of that paragraph, as
    the same list in Markdown is."""
    text = (
        "WORKFLOW\n\nOur referral process works in three main stages:\n\n1. First contact\n\n"
        "   - Record the concern\n   - Tell the family\n\n2. Assessment and planning\n\n   - Agree a plan\n\n"
        "3. Review\n\n   - Meet again\n\nISSUES\n\nWe keep a record of every referral.\n"
    )
    document = segment_text(text)
    assert [s.heading for s in document.walk()] == ["WORKFLOW", "ISSUES"]
    assert [p.text for p in document.paragraphs()][0] == (
        "Our referral process works in three main stages:\n1. First contact\n- Record the concern\n"
        "- Tell the family\n2. Assessment and planning\n- Agree a plan\n3. Review\n- Meet again"
    )


def test_a_numbered_heading_in_heading_type_after_a_numbered_list_stays_a_heading():
    """Only a block in the body's type can be the next item of a list: "2. Definitions" in a
    PDF's heading type after a list ending at "1." is the next numbered heading."""
    from wtcompare.segment import Line, segment_lines

    def body(text: str) -> Line:
        return Line(text, "1", 1.0, False, 0.0)

    lines = [
        Line("Joining Up (fictional)", "1", 2.0, True, 0.0),
        Line(""),
        Line("1. Scope", "1", 1.4, True, 0.0),
        Line(""),
        body("The guidance covers:"),
        Line(""),
        body("1. Children in need"),
        Line(""),
        Line("2. Definitions", "1", 1.4, True, 0.0),
        Line(""),
        body("A child is anyone who has not yet reached their 18th birthday."),
    ]
    assert [s.heading for s in segment_lines(lines).walk()][1:] == ["Scope", "Definitions"]


def test_a_short_typeset_text_still_joins_the_words_its_typesetter_broke():
    """Two compounds broken at their own hyphens do not show a text that never hyphenates words when
    its other breaks are inside words no other line spells ("arrange-" + "ments"): those are a
    typesetter's, and are joined (a review found "arrange-ments", "accounta-bility")."""
    text = (
        "1. Local authorities, working with their multi-\nagency partners, should publish a threshold "
        "document that sets\nout the criteria for referral and the local arrange-\nments for early help. The "
        "document should be child-\ncentred and should make clear the accounta-\nbility of each partner for "
        "multi-agency and child-centred work.\n"
    )
    assert paragraphs(segment_text(text))[0][2] == (
        "Local authorities, working with their multi-agency partners, should publish a threshold document that "
        "sets out the criteria for referral and the local arrangements for early help. The document should be "
        "child-centred and should make clear the accountability of each partner for multi-agency and "
        "child-centred work."
    )


@pytest.mark.parametrize("parts", [("up", "to", "date"), ("out", "of", "hours"), ("multi", "agency", "led")])
def test_a_compound_of_three_broken_at_both_its_hyphens_keeps_them(parts):
    """A narrow column breaks "out-of-hours" at both hyphens: the word spelled so elsewhere keeps
    both (a review found "outofhours" and "up-todate")."""
    a, b, c = parts
    text = (
        f"1. Records are kept {a}-\n{b}-\n{c} by the team.\n\n2. The team keeps {a}-{b}-{c} records of every visit.\n"
    )
    assert paragraphs(segment_text(text))[0][2] == f"Records are kept {a}-{b}-{c} by the team."


def test_numbered_headings_after_a_lead_in_or_a_list_stay_headings():
    """Only an item with something nested under it continues a list: "1. Introduction" after a
    paragraph ending in a colon, and "3. Definitions" after a list that ended at "2.", each followed
    by its text at the margin, are headings (a review found them swallowed as items)."""
    text = (
        "WORKING TOGETHER (FICTIONAL)\n\nThis guidance is set out in the following parts:\n\n1. Introduction\n\n"
        "Local agencies work together to protect children.\n\n2. Scope\n\nThis guidance applies to the "
        "following bodies:\n1. local authorities\n2. the police\n\n3. Definitions\n\nA child is anyone who has "
        "not yet reached their 18th birthday.\n"
    )
    assert [s.heading for s in segment_text(text).walk()][1:] == ["Introduction", "Scope", "Definitions"]


def test_a_compound_of_words_broken_at_both_hyphens_keeps_them_though_spelled_nowhere_else():
    """ "multi-" + "agency-" + "led": the middle is a word of the text, so each break is a
    compound's (only a word's middle, "sibi-", takes the next line's start into its join)."""
    text = "1. Work is multi-\nagency-\nled in the county.\n\n2. Each agency led one review of the work.\n"
    assert paragraphs(segment_text(text))[0][2] == "Work is multi-agency-led in the county."


def test_a_heading_that_opens_with_a_numbering_label_and_a_colon_is_a_heading():
    """ "Step 1: Collect the list of changes" is a heading in every format (plain text and PDFs
    read it as a paragraph: a label and a colon open a paragraph, as in "Issue: from __future__")."""
    document = segment_text(
        "RELEASE PROCESS\n\nStep 1: Collect the list of changes\n\nCollect the changes since the last release.\n\n"
        "Issue: from this release on, every change is listed.\n\nTable 2: Referrals by agency\n\n"
        "Note 1: Figures exclude repeat referrals\n"
    )
    assert [s.heading for s in document.walk()] == ["Step 1: Collect the list of changes"]
    assert [p.text for p in document.paragraphs()][-3:] == [
        "Issue: from this release on, every change is listed.",
        "Table 2: Referrals by agency",
        "Note 1: Figures exclude repeat referrals",
    ]


def test_a_numbered_list_of_blocks_of_their_own_after_its_lead_in_is_one_list():
    """ "1. Referral", "2. Assessment", "3. Review", a blank line between each, after "three steps:"
    are the lead-in's list, the last item too (a review found it read as a heading)."""
    text = (
        "INTRODUCTION\n\nThis is the body text of the introduction, long enough to be a paragraph.\n\n"
        "Practitioners should follow three steps:\n\n1. Referral\n\n2. Assessment\n\n3. Review\n\n"
        "After these steps the case is closed and the record is kept for six years.\n"
    )
    document = segment_text(text)
    assert [s.heading for s in document.walk()] == ["INTRODUCTION"]
    assert [p.text for p in document.paragraphs()][1] == (
        "Practitioners should follow three steps:\n1. Referral\n2. Assessment\n3. Review"
    )


def test_a_hyphen_set_close_after_a_bracket_at_a_line_end_joins_without_a_space():
    """A hyphen close after a bracket, "{STABLE_BRANCH}-" + "backport-potential" (a browser breaks
    after any hyphen), joins without a space;
    a spaced dash, and "as follows:-", still leave a space."""
    text = (
        "Tag it field.tag={STABLE_BRANCH}-\nbackport-potential and wait.\n\n"
        "The panel met - \nand agreed.\n\n"
        "The points are as follows:-\nthe first comes first.\n\n"
        'The "toxic trio"-\ndomestic abuse, mental ill health and substance misuse (see above)-\nthe panel met.\n'
    )
    assert [p[2] for p in paragraphs(segment_text(text))] == [
        "Tag it field.tag={STABLE_BRANCH}-backport-potential and wait.",
        "The panel met - and agreed.",
        "The points are as follows:- the first comes first.",
        'The "toxic trio"- domestic abuse, mental ill health and substance misuse (see above)- the panel met.',
    ]


def test_a_line_broken_after_a_slash_is_joined_without_a_space():
    """Browsers and word processors break a line after a slash: "parents/" + "carers" (which the text
    spells so elsewhere) and an address too long for its line are joined back whole; a word of prose
    after an address or a path that ends a line ("tools/" + "directories"), and a spaced slash, keep
    their space."""
    text = (
        "See https://www.example.org/government/publications/\nworking-together-to-safeguard-children for it.\n\n"
        "See https://example.org/wiki/\nWriting-Release-Notes#user-content-breaks and the notes.\n\n"
        "The guide is at https://www.example.org/\nfor anyone who asks.\n\n"
        "Tell the parents/\ncarers, and/\nor the child, and / \nthe school.\n\n"
        "Parents/carers and/or the child are told; the files in the tools/\ndirectories stay.\n\n"
        "Read https://www.example.org/\nmulti-agency working is explained there, or https://a.org/\ne.g. the annex.\n\n"
        "See https://a.org/docs/\npartnership-guidance.pdf and https://a.org/\n100% of parents.\n"
    )
    assert [p[2] for p in paragraphs(segment_text(text))] == [
        "See https://www.example.org/government/publications/working-together-to-safeguard-children for it.",
        "See https://example.org/wiki/Writing-Release-Notes#user-content-breaks and the notes.",
        "The guide is at https://www.example.org/ for anyone who asks.",
        "Tell the parents/carers, and/or the child, and / the school.",
        "Parents/carers and/or the child are told; the files in the tools/ directories stay.",
        "Read https://www.example.org/ multi-agency working is explained there, or https://a.org/ e.g. the annex.",
        "See https://a.org/docs/partnership-guidance.pdf and https://a.org/ 100% of parents.",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # broken between its hyphens: only an option's name goes on so
            "you can pass -\n-skip-string-normalization on the command line.",
            "you can pass --skip-string-normalization on the command line.",
        ),
        ("the figure fell -\n-3 to -5 degrees.", "the figure fell - -3 to -5 degrees."),
        (  # after them: the document writes the option on one line elsewhere
            "Use --skip-magic-trailing-comma to keep it. Recover the old behaviour with the option --\n"
            "skip-magic-trailing-comma when you must.",
            "Use --skip-magic-trailing-comma to keep it. Recover the old behaviour with the option "
            "--skip-magic-trailing-comma when you must.",
        ),
        (  # ... or writes options and never two hyphens as a dash
            "Run it with --safe. Recover the old behaviour with the option --\nskip-magic-trailing-comma now.",
            "Run it with --safe. Recover the old behaviour with the option --skip-magic-trailing-comma now.",
        ),
        (  # a document that sets two hyphens apart as a dash keeps the space
            "Run it with --safe -- the default -- and the option --\nskip-magic-trailing-comma now.",
            "Run it with --safe -- the default -- and the option -- skip-magic-trailing-comma now.",
        ),
        (  # as does one that writes no options
            "Parents were told -- as the plan said --\nwhat would happen next.",
            "Parents were told -- as the plan said -- what would happen next.",
        ),
        (  # an option broken at a hyphen of its own keeps it: no typesetter hyphenates an option
            "Use --non-\ninteractive to install them, and (--install-\ntypes) to list a well-estab-\nlished set.",
            "Use --non-interactive to install them, and (--install-types) to list a well-established set.",
        ),
    ],
)
def test_an_option_broken_at_its_hyphens_is_joined_whole(text, expected):
    assert [p[2] for p in paragraphs(segment_text("Title\n\n" + text + "\n"))] == [expected]


def test_a_version_number_is_no_numbered_paragraph():
    """ "12.1.0" standing alone (a release a deprecation names) is text, in every format: it read as
    paragraph 12.1 with the text "0"; "12.1 Early help" and "12. The review" are still numbered."""
    builder = DocumentBuilder()
    for text in ("12.1.0", "12.1 Early help", "12. The review"):
        builder.paragraph(text)
    assert [(p.number, p.text) for s in builder.build().walk() for p in s.paragraphs] == [
        (None, "12.1.0"),
        ("12.1", "Early help"),
        ("12", "The review"),
    ]


def test_a_markdown_line_break_is_a_space():
    """An author's line break inside a Markdown paragraph or list item is a space, as a browser
    shows it: a hyphen or slash at its end joins no word ("community-" + "driven" is read
    "community- driven", as the same paragraph's HTML is)."""
    doc = markdown_document(
        "# Title\n\nMetPy is a community-\ndriven project for parents/\ncarers.\n\n"
        "- an item broken after d-\n  lambda\n",
        "wrapped.md",
    )
    assert [p.text for s in doc.walk() for p in s.paragraphs] == [
        "MetPy is a community- driven project for parents/ carers.\n- an item broken after d- lambda",
    ]


FAQ = """Questions From Schools: A Fictional Leaflet

Who should I call first?

The duty desk of the Thornavon children's service, on the number at the front of this leaflet.

When should a school hold
Thornavon's own meeting
before a referral?

Only when the child is safe and the meeting will not delay the referral.

What happens after a referral?

A manager reads it within one working day and tells the school what will happen next.
"""


def test_questions_each_over_its_answer_are_headings_in_plain_text():
    # a questions-and-answers text sets its questions apart as headings, as their type does in
    # PDF; a heading wraps at its own narrow measure
    doc = segment_text(FAQ)
    assert [s.heading for s in doc.walk()] == [
        "Who should I call first?",
        "When should a school hold Thornavon's own meeting before a referral?",
        "What happens after a referral?",
    ]
    assert [p.text[:20] for p in doc.paragraphs()] == [
        "The duty desk of the",
        "Only when the child ",
        "A manager reads it w",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # two questions standing alone are sentences of the text, not a pattern of headings
        FAQ.split("What happens")[0],
        # questions that follow one another are a list of questions put, not headings over answers
        "Notes For Staff: A Fictional Leaflet\n\nA paragraph opens the notes.\n\nIs the child safe?\n\n"
        "Is the child seen?\n\nIs the child heard?\n\nThese three questions open every visit.\n",
        # questions for reflection before the next chapter's heading answer nothing (a review's case)
        "Supervision: A Fictional Guide\n\n"
        + "".join(
            f"Chapter {n}: Part {n}\n\n{n}.1 Supervision gives time to reflect on the work.\n\n"
            f"Questions for reflection\n\nHow often do you discuss it?\n\nWhat would help you?\n\n"
            for n in (1, 2, 3)
        )
        + "Chapter 4: Review\n\n4.1 This guidance is reviewed every two years.\n",
        # one question for reflection before each next chapter's heading
        "Supervision: A Fictional Guide\n\n"
        + "".join(
            f"Chapter {n}: Part {n}\n\n{n}.1 Supervision gives time to reflect on the work.\n\n"
            f"A question for reflection\n\nHow often do you discuss it?\n\n"
            for n in (1, 2, 3)
        )
        + "Chapter 4: Review\n\n4.1 This guidance is reviewed every two years.\n",
    ],
)
def test_questions_not_set_apart_as_headings_stay_paragraphs(text):
    doc = segment_text(text)
    assert not any(s.heading.endswith("?") for s in doc.walk())
    # every question of the text is a paragraph of it
    assert sum(p.text.endswith("?") for p in doc.paragraphs()) == text.count("?\n")


def test_in_a_questions_and_answers_text_a_list_of_questions_stays_paragraphs():
    # each heading is one question over its answer: questions one after another, the last of them
    # too, are paragraphs of the text (a review's case)
    doc = segment_text(
        FAQ + "\nWhat does a visit check?\n\nThree questions, asked at every visit.\n\nIs the child safe?\n\n"
        "Is the child seen?\n\nIs the child heard?\n\nA worker who cannot answer them tells a manager.\n"
    )
    assert [s.heading for s in doc.walk()][-1] == "What does a visit check?"
    assert [p.text for p in doc.paragraphs()][-4:-1] == [
        "Is the child safe?",
        "Is the child seen?",
        "Is the child heard?",
    ]


def test_a_number_alone_is_no_heading_and_a_name_of_code_may_be_one():
    # "12.1.0" standing alone (a version, a year) is no title; "Image getdata()" closes no
    # sentence with its brackets, and "align8to32" is one word, not one ending in "to"
    doc = segment_text(
        "Deprecations: A Fictional Register\n\nImage getdata()\n\n12.1.0\n\n"
        "The method is deprecated and will be removed in a later release.\n\n"
        "ImageQt align8to32()\n\n13.0.0\n\nThe function is deprecated as well.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Image getdata()", "ImageQt align8to32()"]
    assert [p.text for p in doc.paragraphs()][::2] == ["12.1.0", "13.0.0"]


def test_answers_may_ask_back_or_lead_into_a_list_and_a_question_in_capitals_may_wrap():
    # an answer is a paragraph: wrapped at the text's full measure even when it asks back, or
    # holding a sentence before the list it introduces; a question in capitals is a heading
    # wrapped over lines as a heading wraps
    wide = "So no-one is coming to read your referral, and how do you speed that"
    doc = segment_text(
        FAQ
        + f"\nHow can I get a reply\nfaster?\n\n{wide}\nprocess up?\n\nCall the duty desk.\n\n"
        + "Who can help?\n\nYes! Many teams help. For example,\n\n- the school nurse\n- the family hub\n\n"
        + "WHAT IF THE CHILD IS\nIN DANGER NOW?\n\nCall the police on 999.\n"
    )
    assert [s.heading for s in doc.walk()][-3:] == [
        "How can I get a reply faster?",
        "Who can help?",
        "WHAT IF THE CHILD IS IN DANGER NOW?",
    ]
    # in capitals, in a text that sets no other question apart
    alone = segment_text("Notes: A Fictional Leaflet\n\nWHAT IF THE CHILD IS\nIN DANGER NOW?\n\nCall the police.\n")
    assert [s.heading for s in alone.walk()] == ["WHAT IF THE CHILD IS IN DANGER NOW?"]


def test_a_title_that_is_a_clause_ending_in_its_verb_is_a_heading():
    # "Who we are" ends on a verb as a sentence running on past a line's end may, but opens with
    # "who": a title (a review's case); "The duty of care is" stays a sentence going on
    doc = segment_text(
        "Thornavon Partnership: A Fictional Guide\n\nWho we are\n\nThe partnership brings three agencies together.\n\n"
        "What early help is\n\nHelp given when a problem emerges.\n\nThe duty of care is\n\nowed to every child.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Who we are", "What early help is"]


def test_a_label_and_its_figure_is_a_table_row_not_a_heading():
    # a table's rows in plain text ("Referrals 2,345"), short and unpunctuated, are no headings (a
    # review's case); a title ending in a year still is
    doc = segment_text(
        "Thornavon Figures: A Fictional Return\n\nReferrals in 2024\n\nReferrals 2,345\n\nRe-referrals 18.5%\n\n"
        "The figures are provisional.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Referrals in 2024"]
    assert [p.text for p in doc.paragraphs()][:2] == ["Referrals 2,345", "Re-referrals 18.5%"]


def test_a_numbered_block_over_an_indented_list_is_a_paragraph_not_a_heading():
    # "1. Warning" with its bullets indented under it, after a paragraph that ends in a full stop:
    # a numbered paragraph whose items follow, as Markdown reads it (a seventh audit's case); "4.2
    # Review" with its text at the margin is still a heading
    doc = segment_text(
        "Enforcement: A Fictional Code\n\nThe following ladder may be used.\n\n1. Warning\n\n"
        "     * Event: a single incident.\n     * Consequence: a private warning.\n\n"
        "4.2 Review\n\nThe team reviews the ladder every year.\n"
    )
    assert [s.heading for s in doc.walk()][-1] == "Review"
    first = next(p for p in doc.paragraphs() if p.number == "1")
    assert first.text.startswith("Warning") and "a private warning." in first.text


def test_plain_text_headings_of_the_eighth_audit():
    # an eighth held-out audit's kinds, each in plain text as its other formats read it: a name whose
    # capital is not its first letter ("macOS") is a heading; a note's label alone on its line is the
    # label of the paragraph under it, not a section; a title in capitals runs over as many lines
    # as a narrow measure takes; a title closing in a word's ending in brackets ("Code(s)") is one
    doc = segment_text(
        "Pitfalls: A Fictional Guide\n\nWindows\n\nOn Windows, the search path changes.\n\nmacOS\n\n"
        "On macOS, the paths are rewritten.\n\nNote\n\nThe package is free software.\n\n"
        "USING THE EXECUTABLE TO\nSPAWN SUBPROCESSES THAT\nOUTLIVE THE APPLICATION\nPROCESS / IMPLEMENTING\n"
        "APPLICATION RESTART\n\nSome applications restart themselves.\n\nSummer of Code(s)\n\n"
        "Students join for a summer.\n"
    )
    assert [s.heading for s in doc.walk()] == [
        "Windows",
        "macOS",
        "USING THE EXECUTABLE TO SPAWN SUBPROCESSES THAT OUTLIVE THE APPLICATION PROCESS / IMPLEMENTING "
        "APPLICATION RESTART",
        "Summer of Code(s)",
    ]
    assert "Note" in [p.text for p in doc.paragraphs()]


def test_plain_text_questions_numbered_as_headings_and_wrapped():
    # "HOW DO I..." over questions numbered as headings, each wrapped over up to three lines, one
    # line closing a quotation ("1.3 ...create \"Disc N\""): headings, not numbered paragraphs
    doc = segment_text(
        "FAQ: A Fictional Page\n\nHOW DO I...\n\n1.1 ...rename my files\naccording to a new path\nformat?\n\n"
        'Run the move command.\n\n1.2 ...create "Disc N"\ndirectories for multi-disc\nalbums?\n\n'
        "Use the inline plugin.\n\n1.3 ...import a multi-disc\nalbum?\n\nThe importer guesses.\n"
    )
    assert [(s.number, s.heading) for s in doc.walk()] == [
        (None, "HOW DO I..."),
        ("1.1", "...rename my files according to a new path format?"),
        ("1.2", '...create "Disc N" directories for multi-disc albums?'),
        ("1.3", "...import a multi-disc album?"),
    ]


def test_questions_set_apart_may_wrap_at_a_name_of_code():
    # "Why is calling" + "freeze_support()" + "required?": a line ending in a call ends no sentence
    doc = segment_text(
        "Processes: A Fictional Guide\n\nWhy is calling\nfreeze_support()\nrequired?\n\n"
        "The module spawns worker processes, as its name says.\n\nWhen to call\nfreeze_support()?\n\n"
        "Call it before anything else runs.\n\nWhat about other\nframeworks?\n\nNone of them is supported.\n"
    )
    assert [s.heading for s in doc.walk()] == [
        "Why is calling freeze_support() required?",
        "When to call freeze_support()?",
        "What about other frameworks?",
    ]


def test_a_word_spelled_both_ways_keeps_its_hyphen_where_the_text_never_hyphenates():
    # "multi-" + "processing" in a text that breaks lines only at its own hyphens ("inter-" +
    # "agency", "real-" + "world", spelled so elsewhere) and spells both "multi-processing" and the
    # module "multiprocessing", more often: the hyphen is the text's own (an eighth audit's case)
    doc = segment_text(
        "Processes: A Fictional Guide\n\nWorkers\n\nThe multiprocessing module, multiprocessing pools and "
        "multiprocessing queues are one kind of multi-processing.\n\nOther alternative python-based multi-\n"
        "processing solutions run an inter-\nagency team of workers in a real-\nworld case.\n\n"
        "An inter-agency team works on a real-world case.\n"
    )
    assert [p.text for p in doc.paragraphs()][1] == (
        "Other alternative python-based multi-processing solutions run an inter-agency team of workers in a "
        "real-world case."
    )


def test_the_eighth_audit_rules_leave_guidance_shapes_alone():
    # cases a review of the eighth audit's rules found them reading wrongly, each read as before:
    # a sentence opening with a name in camel case; an address, a helpline's numbers and a
    # disclaimer in capitals (an address broken where its author chose, not wrapped at a measure);
    # a contents line's dot leaders and a child's words closing in an ellipsis; a numbered
    # question among the numbered paragraphs of its chapter; an address's line closing a bracket
    doc = segment_text(
        "Recording: A Fictional Guide\n\n1. Introduction\n\n1.1 Practitioners record what the child says.\n\n"
        "iPads are issued to every social worker in the team\n\niPhone users can download the app\nfrom the store\n\n"
        "CHILDREN'S SERVICES\nCOUNTY HALL\nMARKET STREET\nWENDLEBURY\n\n"
        "NSPCC HELPLINE 0808 800 5000\nCHILDLINE 0800 1111\nPOLICE 101\nEMERGENCY 999\n\n"
        "NOTHING IN THIS DOCUMENT REPLACES THE STATUTORY DUTIES OF ANY AGENCY OR THE ADVICE OF ITS OWN LAWYERS\n\n"
        "How to Make a Referral......\n\nWE WANT TO BE HEARD...\n\n1.2 Staff listen.\n\n"
        "1.4 Who decides whether a strategy discussion is needed?\n\n"
        "Children's Services (North Area)\nCounty Hall, Wendlebury\n\n2. Attendance\n\n"
        "2.1 Everyone who is invited should attend the meeting.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Introduction", "Attendance"]


def test_a_wrapped_heading_may_break_after_a_plurals_apostrophe():
    # "Particular sites'" + "opinions or configurations": a plural's apostrophe ends no sentence
    # nor does a call ("Calling freeze_support()" + "before the pool starts")
    doc = segment_text(
        "Ciphers: A Fictional Guide\n\nParticular sites'\nopinions or configurations\n\n"
        "Some sites publish their own advice on ciphers, and it varies.\n\nCalling freeze_support()\n"
        "before the pool starts\n\nThe module spawns worker processes, as its name says.\n"
    )
    assert [s.heading for s in doc.walk()] == [
        "Particular sites' opinions or configurations",
        "Calling freeze_support() before the pool starts",
    ]


def test_plain_text_headings_of_the_ninth_audit():
    # a numbered title closing in "!" or cut short with " ...", and a title wrapped after a comma
    # that goes on in lower case, are headings (a ninth audit's kinds); an address's "County
    # Hall," over "Wendlebury" stays a paragraph
    doc = segment_text(
        "Contributing: A Fictional Guide\n\nSETTING UP\n\n1.1 Before you start\n\n"
        "Read this guide before you start work. It says what to do.\n\n1.2 Get the source!\n\n"
        "Clone the repository. Then make a branch for your change.\n\n1.3 No permissions to\naccess ...\n\n"
        "Pass your configuration path to the commands.\n\n1.4 Salt, tests,\ndocumentation, and you\n\n"
        "We require documentation and passing tests.\n\nCounty Hall,\nWendlebury\n\n"
        "Write to us at the address above.\n"
    )
    assert [(s.number, s.heading) for s in doc.walk()] == [
        (None, "SETTING UP"),
        ("1.1", "Before you start"),
        ("1.2", "Get the source!"),
        ("1.3", "No permissions to access ..."),
        ("1.4", "Salt, tests, documentation, and you"),
    ]


def test_an_acronym_broken_at_its_hyphen_keeps_it():
    # "BSD-" + "based": no one hyphenates a word in capitals (a ninth audit's case)
    doc = segment_text(
        "Sockets: A Fictional Note\n\nLimits\n\nThe socket path is limited to 103 characters on most BSD-\n"
        "based systems, so choose a short root directory for the tests.\n"
    )
    assert "most BSD-based systems" in [p.text for p in doc.paragraphs()][0]


def test_a_list_item_after_a_code_block_is_never_part_of_the_code():
    # "- second item" after a code block in a list starts a paragraph of its own: it was added to
    # the code block's text (and shown as code)
    doc = markdown_document("# T\n\nIntro:\n\n- first item\n\n  ```\n  code here\n  ```\n\n- second item\n", "t.md")
    assert [(p.text, p.code) for p in doc.paragraphs()] == [
        ("Intro:\n- first item", False),
        ("code here", True),
        ("- second item", False),
    ]


def test_the_ninth_audit_rules_leave_guidance_shapes_alone():
    # a review's cases, each read as before the ninth audit's rules: a numbered command closing in
    # "!" that is not the next of its headings; a list's lead-in and a quotation broken off with
    # " ..."; a sign-off, an address and a caption wrapped after a comma; a numbered paragraph
    # wrapped after a long clause and a comma
    doc = segment_text(
        "Speaking Out: A Fictional Leaflet\n\nChapter 3: Acting on a concern\n\n3.1 Act now!\n\n"
        "Do not wait until you are sure.\n\n3.2 The designated lead decides whether a referral is made.\n\n"
        "3.3 Signs that a child may be suffering physical abuse include ...\n\n- bruises in unusual places\n\n"
        "Yours sincerely,\nthe Director of Children's Services\n\n"
        "Chief Superintendent, Wendlebury Police,\nvice chair\n\n"
        "3.4 Where a family does not agree to an early help assessment,\n"
        "practitioners should record the reasons and consider the next step.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Acting on a concern"]
    assert [p.number for p in doc.paragraphs()][:4] == ["3.1", None, "3.2", "3.3"]
    # the first numbered paragraph of a section, where no number before it shows the sequence
    doc = segment_text(
        "Recognising Abuse: A Fictional Guide\n\nPhysical abuse\n\n"
        "1.4 Signs that a child may be suffering physical abuse include ...\n\n- bruising in unusual places;\n"
        "- injuries that the child cannot explain.\n\nWorking with families\n\n"
        "2.3 Where a family does not agree to an early help assessment,\n"
        "practitioners should record the reasons and consider\n\n- whether the child's needs are escalating.\n\n"
        'Training\n\n4.1 "Imagine you are eleven ...\n\n... and a message arrives," the trainer begins.\n\n'
        "Advice\n\n5.1 If in doubt, ask ...\n\n... the designated lead before you act.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Physical abuse", "Working with families", "Training", "Advice"]


def test_code_under_a_nested_list_is_code_in_plain_text():
    # code indented four spaces from an outer item's text, after a nested item whose text it passes
    # by two: code, as Markdown reads the same document; the next item starts its own paragraph
    text = (
        "Getting the code\n\nThe steps:\n\n1. Local work\n\n   - Update:\n\n"
        "     - Check out your copy\n\n         git clone https://example.org/repo\n         cd repo\n\n"
        "     - Update your branch\n\nThat is all.\n"
    )
    doc = segment_text(text)
    assert [(p.text, p.code) for p in doc.paragraphs()][-3:] == [
        ("git clone https://example.org/repo\ncd repo", True),
        ("- Update your branch", False),
        ("That is all.", False),
    ]
    # a paragraph continuing the nested item (as far in as its text) or indented a little past it,
    # short of four past the outer item's text, is no code
    text = (
        "Getting the code\n\nThe steps:\n\n- Update:\n\n  - Check out your copy\n\n    as the guide says\n\n"
        "     and a line typed a little further in\n"
    )
    assert not any(p.code for p in segment_text(text).paragraphs())


@pytest.mark.parametrize(
    "text",
    [
        # a review's counter-examples: prose, a quotation or a note typed four spaces past an outer
        # item's text under a nested item, or past a hanging item's text long after its list, stays
        # prose
        "Elective Home Education (fictional guidance)\n\nVisits\n\n- The local authority should:\n"
        "  - offer a visit within the first month;\n\n      Parents do not have to accept a visit, but the "
        "authority should\n      record the offer.\n\n  - ask for information if no suitable education is given.\n"
        "- Parents may give the information in writing.\n\nThe authority should keep its contact proportionate.\n",
        "Safeguarding Policy of Westbrook Nursery (fictional)\n\nOur commitment\n\n   The nursery takes its "
        "safeguarding duties seriously.\n\n- the designated lead is the nursery manager;\n- the deputy lead is "
        "the room leader.\n\n   The designated lead may ring the front door, whose staff will ask:\n\n"
        '      "Is the child safe to go home tonight?"\n\n   The nursery keeps a record of every call.\n',
        "Missing Children (fictional)\n\nSteps\n\n1. Check the usual places:\n   - the child's friends;\n\n"
        "       Note: a friend's parent may not know the child is missing.\n\n2. Ring the police.\n",
    ],
)
def test_prose_under_a_nested_item_is_not_code(text):
    assert not any(p.code for p in segment_text(text).paragraphs())


def test_a_numbered_first_line_is_no_title():
    """A text that opens with a numbered line ("1. Scope") has no title: the line heads its first
    chapter, as the numbered line after it does, where it was the title and chapter 1 was lost."""
    doc = segment_text(
        "1. Scope\n\nThis guidance applies to every agency in the area.\n\n2. Principles\n\n"
        "Agencies work together and with families.\n"
    )
    assert doc.title is None
    assert [(s.id, s.heading) for s in doc.walk()] == [("ch1", "Scope"), ("ch2", "Principles")]
    # a short first line numbered without a full stop ("2018 review"), or a year with one, is still a title
    assert segment_text("2018 review of partnership\n\nThe opening paragraph.\n").title == "2018 review of partnership"
    assert segment_text("2024. Annual safeguarding report\n\nThe opening paragraph.\n").title == (
        "2024. Annual safeguarding report"
    )


def test_a_word_hyphenated_before_a_bracket_keeps_its_hyphen_with_no_space():
    """No one breaks a word before a bracket: "ipcontroller-" + "{client|engine}.json" is one
    name with its own hyphen, not "ipcontroller- {client|engine}.json"."""
    doc = segment_text(
        "Connection files are written as ipcontroller-\n{client|engine}.json in the profile, and a team is named"
        " team-\n<area> in the list of teams.\n"
    )
    assert [p.text for p in doc.paragraphs()] == [
        "Connection files are written as ipcontroller-{client|engine}.json in the profile, and a team is named"
        " team-<area> in the list of teams."
    ]


def test_in_a_questions_text_a_title_in_capitals_over_questions_and_long_or_double_questions_are_headings():
    # a heading "HOW DO I ...?" over the questions is not the first of a list of questions; a long
    # question wrapped at a heading's narrow measure over four or five lines (of two questions
    # too) is a heading where the text sets its questions apart
    doc = segment_text(
        FAQ + "\nHOW DO I ...?\n\nHow do I find the\nduty desk's number?\n\nIt is on the front of this leaflet.\n\n"
        "How do I tell the school\nnurse that a child\nwho moved to another\nschool is at risk?\n\n"
        "Write to the nurse at the new school the same day.\n\n"
        "What is the difference\nbetween a referral and\na request? When should\neither be made?\n\n"
        "A referral asks for an assessment; a request asks for advice.\n"
    )
    assert [s.heading for s in doc.walk()][3:] == [
        "HOW DO I ...?",
        "How do I find the duty desk's number?",
        "How do I tell the school nurse that a child who moved to another school is at risk?",
        "What is the difference between a referral and a request? When should either be made?",
    ]


def test_a_question_wrapped_over_four_lines_is_no_heading_where_questions_are_not_set_apart():
    doc = segment_text(
        "Notes For Staff: A Fictional Leaflet\n\nA paragraph opens the notes.\n\n"
        "How do I tell the school\nnurse that a child\nwho moved to another\nschool is at risk?\n\n"
        "Write to the nurse at the new school the same day.\n"
    )
    assert not any(s.heading.endswith("?") for s in doc.walk())
    assert [p.text for p in doc.paragraphs()][1].endswith("at risk?")


def test_a_release_s_number_and_its_date_head_a_section():
    # a version of three parts and only its date in a bracket, on one line or wrapped at a comma in
    # the bracket; a version alone, a numbered paragraph that is a sentence in brackets, a number
    # and a note in brackets (a review's cases: a telephone number, a repealed paragraph, a cross
    # reference, a figure) are not headings
    doc = segment_text(
        "Release Notes: A Fictional Register\n\n1.10.0 (October 24, 2026)\n\nChanged\n\n"
        "- Compare the lists by key.\n\n0.48.0 (September 13,\n2025)\n\nFixed\n\n- Parse the last field.\n\n"
        "0.48.0.dev2 (May 12th,\n2025)\n\nThe first of the fields is read.\n\n"
        "0.48.0.DEV1 (MAY 2ND,\n2025)\n\nThe last of the fields is read.\n\n"
        "0.47.0-rc.1 (1 March 2025)\n\nThe register is read.\n\n"
        "The register is read field by field, and each field is checked against the schema before the\n"
        "next one is read, so that a bad field is reported with its line and the name of its column.\n\n"
        "12.1.0\n\nThe method is deprecated.\n\n4. (See Annex A.)\n\n5. The register is kept up to date.\n"
    )
    headings = [(s.number, s.heading) for s in doc.walk()]
    assert headings[:4] == [
        ("1.10.0", "(October 24, 2026)"),
        (None, "Changed"),
        ("0.48.0", "(September 13, 2025)"),
        (None, "Fixed"),
    ]
    # a pre-release's version, wrapped at the comma in its date's bracket, in capitals or not
    assert [heading for _, heading in headings[4:7]] == [
        "0.48.0.dev2 (May 12th, 2025)",
        "0.48.0.DEV1 (MAY 2ND, 2025)",
        "0.47.0-rc.1 (1 March 2025)",
    ]
    # its first line short of the text's full measure (a paragraph wraps at it below)
    after_a_list = segment_text(
        "Release Notes: A Fictional Register\n\n1.10.0 (October 24, 2026)\n\nChanged\n\n- Compare the lists by key."
        "\n\n0.48.0.dev2 (May 12th,\n2025)\n\nThe first of the fields is read.\n\nThe register is read field by field, "
        "and each field is checked against the schema before the\nnext one is read, so that a bad field is reported "
        "with its line and the name of its column.\n"
    )
    assert [s.heading for s in after_a_list.walk()][-1] == "0.48.0.dev2 (May 12th, 2025)"
    assert ("12.1.0", "") not in headings and [p.text for p in doc.paragraphs()][-3:] == [
        "The method is deprecated.",
        "(See Annex A.)",
        "The register is kept up to date.",
    ]


def test_a_release_s_number_and_its_date_after_a_dash_head_a_section():
    # "4.12.0 - 2026-04-20" over its list of changes heads them, as the Markdown heading of the same
    # words does, rather than reading as paragraph 4.12.0 opening a list item "- 2026-04-20"; a
    # number alone is still no heading
    text = (
        "Release history\n\n4.12.0 - 2026-04-20\n\n- Add a dark mode to the register.\n"
        "- Sort the register by name.\n\n4.11.0 \u2013 15 January 2025\n\n- Keep the last field.\n\n"
        "12.1.0\n\nThe method is deprecated.\n\nPeriod covered by this plan\n\n01.04.2024 - 2027-03-31\n\n"
        "Amended paragraphs\n\n4.2 (2019-04-01)\n\n2.3.1 - 01/04/2024\n\n4.1.2 (01/04/2024)\n\n6.2.4 - 2025\n\n"
        "Each amendment was agreed by the partners.\n"
    )
    doc = segment_text(text)
    # a date written with full stops is no version ("01.04.2024 - 2027-03-31", a plan's period); a
    # number of two parts over a date, or of three over a date not in ISO form or a year, is a list of
    # amended paragraphs, not a release (reviews' cases)
    assert [(s.number, s.heading) for s in doc.walk()] == [
        ("4.12.0", "- 2026-04-20"),
        ("4.11.0", "\u2013 15 January 2025"),
        (None, "Period covered by this plan"),
        (None, "Amended paragraphs"),
    ]
    markdown = markdown_document("# Release history\n\n## 4.12.0 - 2026-04-20\n\n- Add a dark mode.\n", "notes.md")
    assert [(s.number, s.heading) for s in markdown.walk()] == [("4.12.0", "- 2026-04-20")]
    assert [p.text for p in doc.paragraphs()][:2] == [
        "- Add a dark mode to the register.\n- Sort the register by name.",
        "- Keep the last field.",
    ]
    assert [p.text for p in doc.paragraphs()][2:4] == ["12.1.0", "The method is deprecated."]


@pytest.mark.parametrize(
    "text",
    [
        "Who To Call\n\nIf a child is in danger, call the police at once and then tell the duty desk.\n\n"
        "999 (emergencies)\n\n101 (non-emergencies)\n\nThe Duty Desk\n\nThe desk answers calls all day.\n",
        "Part 5: Records\n\n14. Each agency keeps its own records and shares them when a child's welfare "
        "depends on it.\n\n16. (Repealed)\n\nAnnex A: Contacts\n\nThe duty desk answers calls all day.\n",
        "Chapter 3: Early help\n\n4.8 (see paragraph 4.7)\n\nAssessment\n\nThe team assesses within ten days.\n",
        "Reviews Completed\n\nThe panel met monthly through the year.\n\n24 (of 30 planned)\n\n"
        "The rest were held over to the spring.\n",
        # a date in brackets after a number that is no release's version
        "Part 5: Records\n\n14. Each agency keeps its own records.\n\n16. (Repealed in 2018)\n\n"
        "Annex A: Contacts\n\nThe duty desk answers calls all day.\n",
        # a paragraph's number three deep and a note with a year (a review's case)
        "Marrowby Guidance\n\n2.3 Case notes\n\n2.3.1 (new in April 2024)\n\n"
        "Staff write case notes on the day of contact.\n",
        "Marrowby Guidance\n\n2.3 Case notes\n\n2.3.1 (as amended, 2024)\n\n"
        "Staff write case notes on the day of contact.\n",
        # a date alone in brackets after a number that is no version, or after words
        "Reviews Held\n\nThe panel reviewed cases in two rounds.\n\n12 (March 2024)\n\n"
        "Each round closed within the month.\n",
        "Marrowby Guidance\n\n2.3 Charges\n\n2.3.1 Fees rise (April 2024)\n\nThe fees rise by a tenth.\n",
    ],
)
def test_a_number_and_a_note_in_brackets_is_no_heading(text):
    doc = segment_text(text)
    assert not any("(" in s.heading for s in doc.walk())


@pytest.mark.parametrize(
    "text, numbers",
    [
        # items a lead-in opens
        (
            "1 Working together\n\n1.1 Partners\n\nThe partners agree these standards for every referral:\n\n"
            "1.2 Timeliness\n\n1.3 Clarity\n\n1.4 Consent\n\nEach agency names a lead for the standards.\n",
            ["1.2", "1.3", "1.4"],
        ),
        # a run that a numbered sentence closes
        (
            "1 Introduction\n\nThis guide is for staff.\n\n2 Partners\n\nEach agency keeps its own records.\n\n"
            "3 Health\n\n4 Police\n\n5 Where a child is at immediate risk, staff must contact the police "
            "without delay.\n",
            ["3", "4", "5"],
        ),
        # sentences
        (
            "Kestrel Vale Recording Guide\n\n2.1 Recording\n\nRecord every concern on the case system the same "
            "day.\n\n2.2 Be prompt.\n\n2.3 Be accurate.\n",
            ["2.2", "2.3"],
        ),
        # items in lower case, rows of a table, items under a lead-in ending in a full stop
        (
            "Hub Guide\n\n3.1 Staffing\n\nThe agencies at the hub are\n\n3.2 police\n\n3.3 health\n\n"
            "Each agency places staff at the hub.\n",
            ["3.2", "3.3"],
        ),
        (
            "Hub Guide\n\n3.1 Staffing\n\nThe hub is staffed by three agencies.\n\n3.2 Police 12\n\n"
            "3.3 Health 8\n\nEach agency places staff at the hub.\n",
            ["3.2", "3.3"],
        ),
        (
            "Hub Guide\n\n4.1 Levels\n\nThe levels of need are as follows.\n\n4.2 Universal\n\n4.3 Targeted\n\n"
            "The levels are reviewed each year.\n",
            ["4.2", "4.3"],
        ),
    ],
)
def test_numbered_items_and_sentences_after_a_numbered_heading_stay_numbered_paragraphs(text, numbers):
    """Short numbered lines after a numbered heading whose next block goes on with their numbering
    are numbered paragraphs, though the heading's number comes before them (two reviews' cases of a
    rule tried and left out, that made them headings)."""
    doc = segment_text(text)
    assert [p.number for p in doc.paragraphs() if p.number] == numbers


def test_the_text_under_a_note_s_label_is_the_note_not_a_heading():
    # text wrapped over lines under the label is the note's; a line standing alone there may be its title
    doc = segment_text(
        "Guide Title\n\nFFmpeg Installation\n\nSome text here about it.\n\nNote\n\n"
        "The most recent release can use FFmpeg versions\n4.X, 5.X, 6.X, and 7.X\n\n"
        "See the guide to learn more.\n\nLoading Media\n\nText.\n\nWarning\n\n"
        "References will break tables\n\nWhere references appear in a table, the table breaks.\n"
    )
    assert [s.heading for s in doc.walk()] == ["FFmpeg Installation", "Loading Media", "References will break tables"]
    assert [p.text for p in doc.paragraphs()][1:3] == [
        "Note",
        "The most recent release can use FFmpeg versions 4.X, 5.X, 6.X, and 7.X",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Changes To The Referral Pathway From\nApril 2026 For All Partner Agencies",
        "CHANGES TO THE REFERRAL PATHWAY FROM\nAPRIL 2026",
        "5 Changes to referrals from partner agencies\nfrom the first of April 2026",
    ],
)
def test_a_title_wrapped_under_a_note_s_label_stays_a_heading(title):
    doc = segment_text(
        "Installing The Client\n\nDownload the installer from the portal of the council and run it.\n\n"
        f"Warning\n\n{title}\n\nFrom April, referrals from partner agencies go to the front door.\n"
    )
    assert len(list(doc.walk())) == 2


def test_a_command_s_option_alone_on_its_line_is_no_heading():
    doc = segment_text(
        "Build Notes: A Fictional Guide\n\nSmaller Modules\n\nPass this option to the compiler:\n\n"
        "-DCYTHON_CLINE_IN_TRACEBACK=0\n\nIt leaves the C line numbers out.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Smaller Modules"]
    assert "-DCYTHON_CLINE_IN_TRACEBACK=0" in [p.text for p in doc.paragraphs()]
    # a title framed by hyphens is no option (a review's case)
    doc = segment_text(
        "Budget Guide\n\nCarry Forward\n\nThe service may carry forward a balance.\n\n-Deficits-\n\n"
        "A deficit is repaid in the next year.\n"
    )
    assert [s.heading for s in doc.walk()] == ["Carry Forward", "-Deficits-"]


def test_an_option_set_in_a_heading_s_type_is_a_heading():
    from wtcompare.segment import Line, segment_lines

    lines = []
    for text, size, bold in (
        ("Command Reference", 1.6, True),
        ("", None, False),
        ("Every command takes the options below, each under its own heading.", 1.0, False),
        ("", None, False),
        ("--dry-run", 1.4, True),
        ("", None, False),
        ("Show what would change without changing it.", 1.0, False),
    ):
        lines.append(Line(text, "1", size, bold, 0.0 if text else None))
    doc = segment_lines(lines)
    assert "--dry-run" in [s.heading for s in doc.walk()]


def test_a_numbered_question_next_after_its_open_heading_may_say_one_thing_first():
    # "1.9 I have never programmed" + "before. Is there a" + "tutorial?" after the heading "1.8 ...":
    # the next question of the list, not a numbered paragraph that the questions after it then follow
    text = (
        "A Fictional FAQ\n\n1.8 How do I find the\ndocumentation?\n\nThe documentation is on the site.\n\n"
        "1.9 I have never programmed\nbefore. Is there a\ntutorial?\n\nThere are several tutorials.\n\n"
        "1.10 Is there a mailing\nlist?\n\nThere is one list.\n"
    )
    assert [(s.number, s.heading) for s in segment_text(text).walk()] == [
        ("1.8", "How do I find the documentation?"),
        ("1.9", "I have never programmed before. Is there a tutorial?"),
        ("1.10", "Is there a mailing list?"),
    ]


@pytest.mark.parametrize(
    "question",
    [
        "1.10 I have never programmed before. Is there a tutorial?",  # not the next number after 1.8
        "1.9 I have never programmed before; is there a tutorial?",  # not a full stop
        "1.9 I have never programmed. I am new. Is there a tutorial?",  # two stops
        "1.9 I have never programmed before. Is there one? Is there a tutorial?",  # two questions
        "1.9 I have never programmed before. is there a tutorial?",  # no question opens after the stop
    ],
)
def test_a_numbered_question_saying_more_or_out_of_sequence_stays_a_paragraph(question):
    text = (
        "A Fictional FAQ\n\n1.8 How do I find the documentation?\n\nThe documentation is on the site.\n\n"
        f"{question}\n\nThere are several tutorials for beginners.\n"
    )
    assert [s.number for s in segment_text(text).walk()] == ["1.8"]


@pytest.mark.parametrize(
    "text, heading",
    [
        # a numbered heading over a one-line heading, then the next numbered heading wrapped: both
        # headings, though the line between is in the body's type
        (
            "Guide\n\n1. Introduction\n\nPurpose\n\n2. Principles of working together with\nparents and carers\n\n"
            "This guidance applies to everyone.\n",
            "Introduction",
        ),
        (
            "Guide\n\n1. Contact details\n\nAshmere Children's Services, 01234 567890\n\n"
            "2. How to make a referral to the\nmulti-agency safeguarding hub\n\nReferrals are made by telephone.\n",
            "Contact details",
        ),
        ("Guide\n\n1. Introduction\n\nPurpose\n\n2. Scope\n\nThis guidance applies to everyone.\n", "Introduction"),
        (
            "Guide\n\n1. Introduction\n\nThe purpose is stated here.\n\n2. This guidance applies to everyone.\n",
            "Introduction",
        ),
    ],
)
def test_a_numbered_heading_over_a_short_line_stays_a_heading(text, heading):
    assert ("1", heading) in [(s.number, s.heading) for s in segment_text(text).walk()]


@pytest.mark.parametrize(
    "caption",
    [
        "Table 3: Ashmere vs Statistical Neighbours",
        "Chart 1: Ashmere versus England",
        "Source: Re B vs Ashmere Council",
    ],
)
def test_a_caption_or_source_holding_vs_stays_a_paragraph(caption):
    # "vs" is no small word of a title: a caption, a note's label or a source line with it is no heading
    text = f"Guide\n\nREFERRALS\n\nReferrals rose in the year.\n\n{caption}\n\nThe rest follows here.\n"
    assert [s.heading for s in segment_text(text).walk()] == ["REFERRALS"]


@pytest.mark.parametrize(
    "line",
    [
        "To see this, the equivalent of",  # a sentence running on, in the body's case or capitals
        "FOR AND ON BEHALF OF",
        "PLEASE RETURN THIS FORM TO",
    ],
)
def test_a_line_running_on_stays_a_paragraph(line):
    text = f"Guide\n\nCOUNTING\n\nThe query counts rows.\n\n{line}\n\nThe rest follows here.\n"
    assert [s.heading for s in segment_text(text).walk()] == ["COUNTING"]


@pytest.mark.parametrize(
    "text, numbers",
    [
        # the next number is not the question's next ("2.1 ...?" after "1.9 ..."): no list of questions
        (
            "A Fictional FAQ\n\n1.8 How do I find the documentation?\n\nThe documentation is on the site.\n\n"
            "1.9 I have never programmed before. Is there a tutorial?\n\nThere are several tutorials.\n\n"
            "2.1 Is there a mailing list?\n\nThere is one list.\n",
            ["1.8", "2.1"],
        ),
        # "1.5 ... Was the explanation consistent?" under "1.4 Summary of concerns", the last numbered
        # block: no next question shows a list of questions
        (
            "Review\n\n1.4 Summary of concerns\n\nThe concerns follow.\n\n"
            "1.5 The bruise was explained by the mother. Was the explanation consistent?\n\nIt was not.\n",
            ["1.4"],
        ),
        # "3.2 ... Why?" under "3.1 Findings", then a quotation and "3.3 The school did not know ...":
        # the review's numbered paragraphs go on, so the question is one of them
        (
            "Review\n\n3.1 Findings\n\nThe findings follow.\n\n3.2 No one agency had the whole picture. Why?\n\n"
            "'We all had a piece of it,' said one manager.\n\n3.3 The school did not know about the move.\n\n"
            "3.4 Nor did the surgery.\n",
            ["3.1"],
        ),
    ],
)
def test_a_numbered_question_with_no_next_question_after_it_stays_a_paragraph(text, numbers):
    assert [s.number for s in segment_text(text).walk()] == numbers


def test_the_next_numbered_heading_closing_in_an_exclamation_may_wrap():
    # plain text of a questions page whose chapters are unnumbered capitals and whose questions are
    # numbered: "4.1 My application" + "crashes!" opens the next chapter's numbers after "3.2", and
    # "4.2 ... on" + "MacOS-X!" is the next after it (a sixteenth-session class of the fifteenth
    # audit: read as numbered paragraphs, they took the chapter's later questions with them)
    doc = segment_text(
        "A Fictional Library FAQ\n\nCONTRIBUTING\n\n3.1 Why is it not written in Python?\n\nIt almost is.\n\n"
        "3.2 How can I contribute?\n\nTell us on the list.\n\nBUGS\n\n4.1 My application\ncrashes!\n\n"
        "Report the crash to the list with the versions you use.\n\n4.2 My application crashes\non "
        "MacOS-X!\n\nUse the static build.\n\n4.3 Where do I report a bug?\n\nOn the list.\n"
    )
    assert [(s.number, s.heading) for s in doc.walk()] == [
        (None, "CONTRIBUTING"),
        ("3.1", "Why is it not written in Python?"),
        ("3.2", "How can I contribute?"),
        (None, "BUGS"),
        ("4.1", "My application crashes!"),
        ("4.2", "My application crashes on MacOS-X!"),
        ("4.3", "Where do I report a bug?"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # no numbered heading before it: "3.1" is not the next of any
        "A Fictional Leaflet\n\nActing on a concern\n\n3.1 Act now and tell the designated\nlead today!\n\n"
        "Do not wait until you are sure.\n",
        # a number that does not go on from the last heading's ("4.3" after "3.2"), nor from its chapter's
        "A Fictional Leaflet\n\n3.2 Who decides\n\nThe designated lead decides.\n\nACTING\n\n"
        "4.3 Act now and tell the designated\nlead today!\n\nDo not wait until you are sure.\n",
    ],
)
def test_a_wrapped_numbered_exclamation_that_goes_on_from_no_heading_stays_a_paragraph(text):
    doc = segment_text(text)
    assert "4.3" not in [s.number for s in doc.walk()] and "3.1" not in [s.number for s in doc.walk()]
    assert any(p.text.endswith("lead today!") for p in doc.paragraphs())


@pytest.mark.parametrize(
    "between",
    [
        # numbers that do not go on past it (13, then 15)
        "13. The hub takes referrals.\n\nHow does the hub work?\n\n15. Each referral is read.\n",
        # no numbered paragraph before it
        "The hub takes referrals.\n\nHow does the hub work?\n\n14. Each referral is read.\n",
        # wrapped over two lines, or saying something first
        "13. The hub takes referrals.\n\nHow does the hub work when the\nsocial worker is away?\n\n"
        "14. Each referral is read.\n",
        "13. The hub takes referrals.\n\nIt is busy. How does it work?\n\n14. Each referral is read.\n",
        # a review's cases: a question a numbered paragraph leads into, a scenario's question, a
        # rhetorical one (a rule that read a one-line question between numbered paragraphs as a
        # subheading was left out after a review of 60 invented documents: 13 of them it misread)
        "13. The panel will ask one question of every agency:\n\nWho knew?\n\n14. Each agency answers.\n",
        "13. A girl of nine tells you a secret.\n\nWhat should you do?\n\n14. A boy of six has a bruise.\n",
        "13. She saw the bruise on Monday.\n\nSo why did she not refer?\n\n14. The review found no policy.\n",
    ],
)
def test_a_question_between_numbered_paragraphs_stays_a_paragraph(between):
    doc = segment_text("A Fictional Handbook\n\nTHE HUB\n\n" + between)
    assert [s.heading for s in doc.walk()] == ["THE HUB"]


def test_two_questions_in_larger_type_stay_apart():
    # a pull quote in large type ("Did anyone ask me?" + "Did anyone listen?") is no heading (a rule
    # that read two questions on two lines in a heading's larger type as one heading was left out
    # after a review: pull quotes, callouts and numbered questions in one block read as headings)
    from wtcompare.segment import Line, segment_lines

    body = "The girl told the review that no one had asked her what she wanted or how she felt."
    doc = segment_lines(
        [Line("Voices", "1", 1.6, True), Line("", "1"), Line("What children told us", "1", 1.4, True)]
        + [Line("", "1"), Line(body, "1", 1.0), Line("", "1")]
        + [Line("Did anyone ask me?", "1", 1.25), Line("Did anyone listen?", "1", 1.25)]
        + [Line("", "1"), Line(body, "1", 1.0)]
    )
    assert "Did anyone ask me? Did anyone listen?" not in [s.heading for s in doc.walk()]


@pytest.mark.parametrize(
    "after",
    [
        "2.2 Do not promise to keep a secret.",  # a sentence
        "2.5 Who decides what happens?",  # a number that does not go on from it
    ],
)
def test_the_next_numbered_exclamation_over_a_numbered_sentence_stays_a_paragraph(after):
    # "2.1" goes on from the heading "1.1", but the next numbered block is a sentence, or does not go
    # on from it: numbered paragraphs, the first closing in "!" (a review's case)
    doc = segment_text(
        "A Fictional Leaflet\n\n1.1 Who we are\n\nWe are the hub.\n\nACTING\n\n"
        f"2.1 Act now and tell\nthe lead!\n\n- write it down\n\n{after}\n"
    )
    assert [s.number for s in doc.walk() if s.number] == ["1.1"]
    assert [p.number for p in doc.paragraphs() if p.number][0] == "2.1"


def test_the_last_of_a_run_of_exclamation_headings_is_a_heading():
    # "1.3 ...!" under the heading "1.2 ...!", with no numbered block after it (a review's case)
    doc = segment_text(
        "A Fictional Code of Conduct\n\n1.1 Scope\n\nThis code applies to every worker and volunteer.\n\n"
        "1.2 Never meet a young person alone!\n\nWorkers should meet young people in open areas.\n\n"
        "1.3 Never give lifts without agreement!\n\nAsk your manager first, in writing.\n"
    )
    assert [s.number for s in doc.walk()] == ["1.1", "1.2", "1.3"]


SYNAPSE_SHAPE = (
    "CONTRIBUTING\n\nThis document aims to get you started.\n\n"
    "1. WHO CAN CONTRIBUTE TO\nSYNAPSE?\n\n"
    "Everyone is welcome to contribute code, provided that they are willing to\nlicense it.\n\n"
    "2. WHAT DO I NEED?\n\nIf you are running Windows, a subsystem for Linux is\nstrongly recommended.\n\n"
    "3. TEST, TEST, TEST!\n\nWhile you are developing, test your code.\n\n"
    "4. TURN FEEDBACK INTO\nBETTER CODE.\n\nOnce the request is opened, you will see a few things.\n"
)


def test_headings_in_capitals_numbered_in_one_sequence_are_headings():
    """A plain-text writer prints a document's top headings in capitals, numbered 1 to 11 with
    nothing numbered under them (audit 20): each continues the numbers before it, as a numbered
    paragraph does, and they were read as numbered paragraphs; the first, a question, wrapped, was
    refused for the stop after its own number."""
    doc = segment_text(SYNAPSE_SHAPE)
    assert [(s.number, s.heading) for s in doc.walk()] == [
        (None, "CONTRIBUTING"),
        ("1", "WHO CAN CONTRIBUTE TO SYNAPSE?"),
        ("2", "WHAT DO I NEED?"),
        ("3", "TEST, TEST, TEST!"),
        ("4", "TURN FEEDBACK INTO BETTER CODE."),
    ]
    assert [p[1] for p in paragraphs(doc)] == [None] * 5


@pytest.mark.parametrize(
    "text",
    [
        "2. WHAT DO I NEED?",
        "2. GET THE SOURCE.",
        "2. NHS ENGLAND",
        "2. THIS CIRCULAR IS ISSUED UNDER SECTION 7 OF THE ACT.",
    ],
)
def test_a_numbered_block_continuing_the_paragraphs_sequence_stays_a_paragraph_even_in_capitals(text):
    """Typed editions write whole numbered paragraphs, contact lists and rules in capitals: a block
    numbered between paragraphs 1 and 3 is paragraph 2 whatever its case (a review of invented
    guidance found a capitals exception wrong far more often than right)."""
    from wtcompare.headings import Evidence, decide

    assert decide(Evidence(text, previous_number="1", next_number="3")) is None


def test_the_next_item_of_a_list_after_its_nested_bullets_stays_in_the_list():
    """ "4. Back to 1." after item 3 and its bullets is the list's last item (Markdown reads it so),
    not a numbered heading; "4. Next steps" is the next heading where heading 3 is open."""
    items = (
        "From this point, you should:\n\n1. Look at the results.\n\n2. Make the changes.\n\n"
        "3. Create a new commit with the changes.\n\n   - Do not overwrite the history.\n"
        "   - Push the commits.\n\n4. Back to 1.\n\nTHE END\n\nThat is all.\n"
    )
    doc = segment_text("Guide\n\nSome text to open.\n\n" + items)
    assert [s.heading for s in doc.walk()] == ["Guide", "THE END"]
    assert paragraphs(doc)[1][2].endswith("- Push the commits.\n4. Back to 1.")
    headed = (
        "Guide\n\n3. Roles\n\nThe roles are these:\n\n1. Lead.\n\n2. Deputy.\n\n3. Member of the team.\n\n"
        "   - A nurse.\n   - A teacher.\n\n4. Next steps\n\nWhat comes next.\n"
    )
    assert [(s.number, s.heading) for s in segment_text(headed).walk()] == [("3", "Roles"), ("4", "Next steps")]


@pytest.mark.parametrize(
    "text",
    [
        "Selecting new features is one based on (1) what users ask for,\n(2) how much effort it takes and"
        " (3) someone\nimplementing it.",
        "The plan is agreed by either a) the lead professional and the\nparent, or b) the team manager.",
        # the next marker after one joined so is inside the sentence too
        "Decide by (1) what the child says, what the parents\n(2) say and\n(3) what the school has seen.",
    ],
)
def test_a_list_running_inside_a_sentence_stays_inside_it_where_a_line_break_puts_a_marker_first(text):
    """A wrapped line opening with "(2)" where "(1)" stands inside the line above: the list runs
    inside the sentence, and the other formats join the line with a space (audit 20)."""
    doc = segment_text("Title\n\n" + text + "\n")
    assert [p[2] for p in paragraphs(doc)] == [" ".join(text.split())]


@pytest.mark.parametrize(
    "text",
    [
        # "(1)" inside the line above is of another list
        "Under section 47 (1) the duty is set out:\n(a) to make enquiries;\n(b) to decide what to do.",
        # "(2)" goes on from the "(1)" that opens a line: the next item, whatever the text cites
        "The duties are these:\n(1) A local authority shall act where the duty in\nsubsection (1) of that"
        " section applies.\n(2) The authority shall keep a record.",
        # after a lead-in, an item's end or a sentence's end, the inline marker is of another sentence
        "Section 17 (1) sets the general duty. The Act goes on:\n(2) For the purpose of this section\n"
        "(3) Every local authority",
        "The plan is agreed by part a) of the protocol with the employer:\nb) the chair decides\n"
        "c) the chair records it",
        "You should: 1) tell the designated lead;\n2) write down what was said\n3) keep it safe",
        "Decide by (1) what the child says. Then record what was said,\n(2) the date\n(3) the time",
    ],
)
def test_a_list_after_a_line_citing_a_marker_is_a_list(text):
    lines = text.split("\n")
    expected = [lines[0], *[line for line in lines[1:] if re.match(r"\(?\w\)", line)]]
    found = paragraphs(segment_text("Title\n\n" + text + "\n"))[0][2].split("\n")
    assert [line.split()[0] for line in found] == [line.split()[0] for line in expected]


def _texts(document):
    return [(p.code, p.text) for p in document.paragraphs()]


def test_a_lettered_list_as_pandoc_writes_it_holds_what_is_indented_under_its_items():
    """pandoc writes a lettered list's items with their text at column 4 and what they hold
    indented to it ("a.  assess ..." over "    -   their health;"). CommonMark has no lettered
    list, so markdown-it read a paragraph and then an indented code block: the bullets came out
    as code and the list in three pieces (audit 20: "a)" items, linux-handling-regressions). The
    items keep their own markers."""
    text = (
        "# Guide\n\nLocal authorities should:\n\na.  assess the needs of the child, including:\n\n"
        "    -   their health;\n    -   their education;\n\nb.  review the plan; and\n\nc.  record the decision.\n\n"
        "After the list a paragraph goes on.\n"
    )
    assert _texts(markdown_document(text, "guide.md")) == [
        (
            False,
            "Local authorities should:\na. assess the needs of the child, including:\n- their health;\n"
            "- their education;\nb. review the plan; and\nc. record the decision.",
        ),
        (False, "After the list a paragraph goes on."),
    ]
    nested = (
        "# Guide\n\n1.  A numbered paragraph:\n\n    a)  a lettered item;\n\n        -   a bullet under it.\n\n"
        "    b)  the second.\n\nText after.\n"
    )
    assert _texts(markdown_document(nested, "nested.md")) == [
        (False, "A numbered paragraph:\na) a lettered item;\n- a bullet under it.\nb) the second."),
        (False, "Text after."),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # right under its lead-in (no blank line) a lettered line is the paragraph's, as before
        (
            "Local authorities should:\na) assess the child;\nb) review the plan.\n",
            [(False, "Local authorities should:\na) assess the child;\nb) review the plan.")],
        ),
        # in a fenced block a marker is code
        (
            "Some code:\n\n```\n\na)  first\n\n    indented code\n```\n",
            [(False, "Some code:"), (True, "a)  first\n\n    indented code")],
        ),
        # nor does a marker a line break puts first inside a paragraph
        (
            "The duty set out in\n(b) applies to every agency.\n",
            [(False, "The duty set out in (b) applies to every agency.")],
        ),
        # a marker with more than four spaces after it would make its text code: left as it is
        ("The list:\n\n(viii)  eighth item\n", [(False, "The list:\n(viii) eighth item")]),
        # a line less indented after a blank line closes the items it is outside
        (
            "1.  An item:\n\n    a)  a lettered one.\n\nA paragraph.\n\n    a)  code again\n",
            [(False, "An item:\na) a lettered one."), (False, "A paragraph."), (True, "a)  code again")],
        ),
        # an indented block after a paragraph is code; a roman item after it is no code
        (
            "A paragraph.\n\n    code line\n\nii. a roman item\n",
            [(False, "A paragraph."), (True, "code line"), (False, "ii. a roman item")],
        ),
        # ... and a marker in it no item's: "a)" indented where no list item's text stands
        ("A paragraph.\n\n    a)  not an item\n", [(False, "A paragraph."), (True, "a)  not an item")]),
        # a tight list of lettered items after a blank line: every item's marker kept
        (
            "The duties:\n\n(a) to assess,\n    which takes time;\n(b) to review.\n",
            [(False, "The duties:\n(a) to assess, which takes time;\n(b) to review.")],
        ),
    ],
)
def test_a_lettered_marker_opens_an_item_only_where_pandoc_would_read_one(text, expected):
    assert _texts(markdown_document("# Guide\n\n" + text, "guide.md")) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a fence inside a bullet's item (indented to its text) holds code, whatever its lines open with
        (
            "-   To export a note, run:\n\n    ```\n\n    a)  header\n\n    b)  body\n    ```\n\n-   Check it.\n",
            [(False, "- To export a note, run:"), (True, "a)  header\n\nb)  body"), (False, "- Check it.")],
        ),
        # so does a raw <pre> block, to its end
        (
            "<pre>\nSummary\n\na)  What was seen</pre>\n\nb)  what was done:\n\n    -   a bullet under it\n",
            [(False, "Summary\na) What was seen\nb) what was done:\n- a bullet under it")],
        ),
        # a heading ends the lists above it: what is indented under it is code
        (
            "-   Use the tracker.\n## Queries\n\n    a)  open cases older than 90 days\n\nRun them weekly.\n",
            [(False, "- Use the tracker."), (True, "a)  open cases older than 90 days"), (False, "Run them weekly.")],
        ),
        # a setext heading's line is no item, nor an item's line underlined at its text's column
        (
            "Text.\n\na)  Purpose\n----------\n\nThis handbook explains.\n",
            [(False, "Text."), (False, "This handbook explains.")],
        ),
        (
            "It may hang.\n\na)  Kernel blockages\n    ===================\n\nText after.\n",
            [(False, "It may hang.\na) Kernel blockages ==================="), (False, "Text after.")],
        ),
        # a marker as people write it, one space after "a)": the indented command under it is code
        (
            "a) Install the tracker:\n\n    pip install referral-tracker\n\nb) Start it.\n",
            [(False, "a) Install the tracker:"), (True, "pip install referral-tracker"), (False, "b) Start it.")],
        ),
        # a wide roman marker ("(viii) ", pandoc's width) holds what is indented to its text
        (
            "The plan sets out:\n\n(vii) the actions;\n(viii) who does each:\n\n       -   the lead;\n\n"
            "(ix) by when.\n",
            [(False, "The plan sets out:\n(vii) the actions;\n(viii) who does each:\n- the lead;\n(ix) by when.")],
        ),
        # ... of an open item: a new bullet closes its sibling's nested one, so a lettered line at
        # the closed item's column is the bullet's text run on (as pandoc reads it)
        ("- a\n  - deep\n- b\n    a.  x\n", [(False, "- a\n- deep\n- b a.  x")]),
        # a tight lettered list right under a bullet's line, at its text's column
        (
            "-   The nurse may send a deputy.\n    a.  The deputy is briefed.\n    b.  The deputy reports back.\n",
            [(False, "- The nurse may send a deputy.\na. The deputy is briefed.\nb. The deputy reports back.")],
        ),
    ],
)
def test_a_lettered_marker_in_code_raw_html_or_a_heading_opens_no_item(text, expected):
    assert _texts(markdown_document("# Guide\n\n" + text, "guide.md")) == expected


def test_a_numbered_question_in_the_body_s_type_stays_a_numbered_paragraph():
    """A FAQ numbered as a list, each answer under its question ("1. Is zlib Y2K-compliant?"): in
    sentence case, in plain text, a numbered question is the list's, as Markdown reads it (a
    held-out audit found it read as headings in text and PDF once the number's own full stop was
    no longer taken for a stop in every question); in capitals it is a heading."""
    text = (
        "The FAQ\n\nSome questions people ask.\n\n1. Is the library year-2000 compliant?\n\nYes. It does not "
        "handle dates.\n\n2. Where can I get a build for my system?\n\nFrom the download page of the project.\n"
    )
    doc = segment_text(text)
    assert [s.heading for s in doc.walk()] == ["The FAQ"]
    assert [p[1] for p in paragraphs(doc)] == [None, "1", None, "2", None]
    capitals = segment_text(text.replace("Is the library year-2000 compliant?", "IS THE LIBRARY COMPLIANT?"))
    assert [s.heading for s in capitals.walk()] == ["The FAQ", "IS THE LIBRARY COMPLIANT?"]


def test_a_numbered_question_in_bold_is_a_heading():
    from wtcompare.headings import Evidence, decide

    question = "1. Is the library year-2000 compliant?"
    assert decide(Evidence(question, size=1.0, bold=True, typed=True)) is not None
    assert decide(Evidence(question, size=1.0, typed=True)) is None


def test_prose_hung_under_a_numbered_paragraph_s_text_is_no_code():
    """A typed list numbered past 9 hangs its answers four columns in, as far as the text after
    "10. ": prose there is the item's, not an indented code block (audit 21: zlib's FAQ, whose
    answers from the tenth on were read as code in plain text); a command there is still code, and
    so is a sentence indented past the text."""
    text = (
        "FAQ\n\nSome text.\n\n9. Why is the sky blue?\n\n   Because of scattering. It is so.\n\n"
        "10. Why is grass green?\n\n    Because of chlorophyll. It is so.\n\n    A second paragraph of the answer.\n\n"
        '11. Install it with:\n\n    pip install thing\n\n12. Configure it:\n\n    [tool]\n    name = "x"\n\n'
        "13. Read the notes.\n\n        This line is set further in than the text.\n\n"
        "14. In Python:\n\n    >>> print('done.')\n\nMore text here, at the margin.\n\n"
        "    An indented block after the margin's text is code again.\n"
    )
    found = [(p.code, p.text) for p in segment_text(text).paragraphs()]
    assert (False, "Because of chlorophyll. It is so.") in found
    assert (False, "A second paragraph of the answer.") in found
    assert (True, "pip install thing") in found
    assert (True, '[tool]\nname = "x"') in found
    assert (True, "This line is set further in than the text.") in found
    assert (True, ">>> print('done.')") in found
    assert (True, "An indented block after the margin's text is code again.") in found


@pytest.mark.parametrize(
    "hung, code",
    [
        ("Then build it from the checkout:", "pip install ."),  # a path, not a word, before the stop
        ("The files are copied to:", "cp templates/*.html out/."),
        ("The table of contacts follows.", "Police    101    Review annually."),  # a table's columns
        ("Call it with the option:", "run --quiet now."),  # an option
        ("The function returns its status.", "call(job) and wait."),  # a call
        ("Comment it out:", "# Set the flag first."),  # no letter first
        ("Loop over them:", "for each one in them\n        report it."),  # lines not flush
    ],
)
def test_a_command_or_a_table_hung_under_a_numbered_paragraph_stays_code(hung, code):
    """Code hung as far as a numbered paragraph's text, whose last line happens to end in a stop,
    stays code; prose between two code blocks there leaves the second code (a review of invented
    READMEs and FAQs found both read as prose by the first version of the rule)."""
    text = f"Steps\n\nSome text.\n\n10. Set up:\n\n    {hung}\n\n    {code}\n\n11. Done.\n"
    found = [(p.code, p.text) for p in segment_text(text).paragraphs()]
    assert (False, hung) in found and (True, code.replace("\n    ", "\n")) in found, found


def test_an_inline_marker_is_looked_for_in_the_last_few_lines_only():
    """Each line opening with a marker looks back a few lines (`INLINE_LINES`) for the marker
    before it, not over the whole block: a block of many such lines was read again for each line."""
    from wtcompare.segment import INLINE_LINES

    near = "Decide by (1) what the child says,\n(2) what the parents say.\n"
    assert [p.text for p in segment_text("Title\n\n" + near).paragraphs()] == [" ".join(near.split())]
    far = "Decide by (1) what the child says,\n" + "what others say,\n" * INLINE_LINES + "(2) what the parents say.\n"
    texts = [p.text for p in segment_text("Title\n\n" + far).paragraphs()]
    assert texts[0].endswith("\n(2) what the parents say."), texts


def test_page_turns_move_with_the_text_when_note_markers_are_taken_out():
    """A paragraph that runs on to page 2 records where (`Paragraph.turns`), at the start of its
    line on page 2, also after the markers of the notes it cites are taken out of the text before
    it; an item that opens page 2 under its lead-in on page 1 does too."""
    from wtcompare.segment import Line, PageNote, note_ref, segment_lines

    document = segment_lines(
        [
            Line("Chapter 1: Working together", "1"),
            Line(""),
            Line(f"1.1 Agencies work with families{note_ref('1:1')} and share what they know about", "1"),
            Line("the child with every partner promptly.", "2"),
            Line(""),
            Line("1.2 Each agency should:", "2"),
            Line("- listen to children;", "2"),
            Line("- work with parents.", "3"),
        ],
        [PageNote("1", "1:1", "Families means parents and carers.")],
    )
    first, second = document.section("ch1").paragraphs
    assert first.text == (
        "Agencies work with families and share what they know about the child with every partner promptly."
    )
    assert first.footnotes == ["Families means parents and carers."]
    (turn,) = first.turns
    assert turn.page == "2" and first.text[turn.offset :].startswith("the child with")
    assert first.page_at(turn.offset - 1) == "1" and first.page_at(len(first.text)) == "2"
    assert second.text == "Each agency should:\n- listen to children;\n- work with parents."
    assert [(second.text[t.offset :], t.page) for t in second.turns] == [("- work with parents.", "3")]


def test_code_notes_and_headings_are_cited_by_their_own_pages():
    """Each word is cited by the page it is printed on: code that runs on to the next page, a
    footnote printed at the foot of the page a paragraph runs on to, a note whose number is glued
    to a word on that page (found there, and taken out), and a heading at the foot of a page
    whose text begins on the next."""
    from wtcompare.lexicon import load_lexicon
    from wtcompare.scan import scan
    from wtcompare.segment import Line, PageNote, note_ref, segment_lines

    document = segment_lines(
        [
            Line("Chapter 1: Orchards", "1"),
            Line(""),
            Line(f"1.1 The survey{note_ref('1:1')} of the orchard is done", "1"),
            Line(f"each spring{note_ref('2:1')} by the growers, and the fair2 follows.", "2"),
            Line(""),
            Line("plant(apples)", "2", code=True),
            Line("plant(pears)", "3", code=True),
            Line(""),
            Line("Chapter 2: Meadows", "3"),
            Line(""),
            Line("2.1 Meadows are mown once a year by the growers.", "4"),
        ],
        [
            PageNote("1", "1:1", "The survey counts every tree."),
            PageNote("2", "2:1", "The spring survey is annual."),
            PageNote("2", "2:2", "The fair is held in June."),
        ],
    )
    orchard = document.section("ch1").paragraphs[0]
    assert orchard.text.endswith("the fair follows.")  # the glued "2" found and taken out on page 2
    assert orchard.footnotes == [
        "The survey counts every tree.",
        "The spring survey is annual.",
        "The fair is held in June.",
    ]
    assert [orchard.footnote_page(k) for k in range(3)] == ["1", "2", "2"]
    code = document.section("ch1").paragraphs[1]
    assert code.code and code.page == "2"
    assert [(code.text[t.offset :], t.page) for t in code.turns] == [("plant(pears)", "3")]
    assert document.section("ch2").page == "3" and document.section("ch2").paragraphs[0].page == "4"
    kwic = scan([document], load_lexicon(), ["spring", "annual", "june", "pears", "meadows"]).kwic
    assert list(zip(kwic.unit, kwic.match, kwic.footnote, kwic.page, strict=True)) == [
        ("ch1/p1", "spring", False, "2"),
        ("ch1/p1", "spring", True, "2"),
        ("ch1/p1", "annual", True, "2"),
        ("ch1/p1", "June", True, "2"),
        ("ch1/p2", "pears", False, "3"),
        ("ch2", "Meadows", False, "3"),
        ("ch2/p1", "Meadows", False, "4"),
    ]


def test_notes_numbered_afresh_in_each_chapter_stay_with_their_own_chapter():
    """ "[1]" defined in each chapter: the second was dropped; kept with the first, its words were
    counted in the wrong chapter. It is a note of its own, with the paragraph before it."""
    document = segment_text(
        "Chapter 1: One\n\n"
        "Families are partners in planning, and every agency works with them closely every day.[1]\n\n"
        "[1] Family here means parents.\n\n"
        "Chapter 2: Two\n\n"
        "A lead professional helps the family, and agencies share what they know with each other.[1]\n\n"
        "[1] A lead professional coordinates support.\n\n"
        "Chapter 3: Three\n\nReviews are held every year, and the family takes part in each as a partner.\n"
    )
    (one,), (two,) = document.section("ch1").paragraphs, document.section("ch2").paragraphs
    assert one.footnotes == ["Family here means parents."]
    assert two.footnotes == ["A lead professional coordinates support."] and "[1]" not in two.text


def test_a_glued_note_number_is_looked_for_on_its_own_page_only():
    """A paragraph runs from page 1 to page 2; the note at the foot of page 2 is numbered 2 and its
    number is glued to "fair" there: "Form A2" on page 1 is not it."""
    from wtcompare.segment import Line, PageNote, segment_lines

    document = segment_lines(
        [
            Line("Chapter 1: Orchards", "1"),
            Line(""),
            Line("1.1 Growers follow the rules in Form A2 when they plant and", "1"),
            Line("prune. The fair2 follows the harvest.", "2"),
        ],
        [PageNote("2", "2:2", "The fair is held in June.")],
    )
    (orchard,) = document.section("ch1").paragraphs
    assert (
        orchard.text == "Growers follow the rules in Form A2 when they plant and prune. The fair follows the harvest."
    )
    assert orchard.footnotes == ["The fair is held in June."]


@pytest.mark.parametrize(
    "line, paragraph",
    [
        # the paragraphs' numbers going on past a numbered list among them: paragraph 21, after 20
        ("21. Practitioners record each decision and the reason for it.", True),
        # a wrapped line that opens with a figure or a date is no paragraph of its own: its number
        # is not the next after the highest of the paragraphs' (20), whatever it follows
        ("19 of them came from schools, the rest from health visitors.", False),
        ("20 March 2024 was the day the review began.", False),
        ("2 days later the lead checks the record.", False),
    ],
)
def test_a_number_after_a_numbered_list_s_bullets_goes_on_from_the_paragraphs_numbers(line, paragraph):
    """Paragraph 20, then a numbered list among the paragraphs, each item over bullets ("1.
    Warning" + "- Event: ..."), then a line opening with a number right under the last bullet:
    "21." was read as the last bullet's text, the list's "3" being taken for the last paragraph
    number."""
    text = (
        "Guide\n\nTHE LADDER\n\n20. The team climbs the ladder one rung at a time.\n\n"
        "1. Warning\n- Event: a single incident.\n- Consequence: a warning.\n\n"
        "2. Suspension\n- Event: repeated incidents.\n- Consequence: a suspension.\n\n"
        f"3. Ban\n- Event: a serious incident.\n- Consequence: a ban.\n{line}\n"
    )
    paragraphs = [(p.number, p.text) for p in segment_text(text).paragraphs()]
    if paragraph:
        assert paragraphs[-2][0] == "3" and paragraphs[-1] == ("21", line.removeprefix("21. "))
    else:
        assert paragraphs[-1][0] == "3" and paragraphs[-1][1].endswith(f"- Consequence: a ban. {line}")


@pytest.mark.parametrize("dash", ["--", "\u2013", "\u2014"])
def test_a_signature_led_by_a_dash_is_a_paragraph_of_its_own(dash):
    """A line led by a dash under a paragraph that ends its sentence, at the end ("-- Joey Hess
    <joeyh@example.org>", a signature): a paragraph of its own, as HTML and Word keep it; typed
    "--" it was read as a heading, set as a dash it was joined to the paragraph above as a list of
    one item. After a lead-in ending in a colon a dash-led line is still the list's item."""
    signed = f"Guide\n\nNOTES\n\nThe build systems are tried in a fixed order.\n\n{dash} Joey Hess joeyh@example.org\n"
    document = segment_text(signed)
    assert [s.heading for s in document.walk()] == ["NOTES"]
    assert [p.text for p in document.paragraphs()][-1] == f"{dash} Joey Hess joeyh@example.org"
    listed = "Guide\n\nNOTES\n\nThe build systems are tried in this order:\n\n\u2013 The autoconf one\n"
    assert [p.text for p in segment_text(listed).paragraphs()][
        -1
    ] == "The build systems are tried in this order:\n- The autoconf one"


def test_a_nested_item_led_by_a_dash_under_a_list_stays_in_the_list():
    """A dash-led line indented under a list's last item, a blank line between them, is the item's
    nested item, not a signature: it stays in the list (a first version of the signature rule took
    it out as a paragraph of its own)."""
    text = (
        "Guide\n\nNOTES\n\nThe partners agree three things:\n\n- who leads each case.\n- how they share records.\n\n"
        "    \u2013 records held by schools too.\n\nThe rest follows in the next chapter.\n"
    )
    assert [p.text for p in segment_text(text).paragraphs()] == [
        "The partners agree three things:\n- who leads each case.\n- how they share records.\n"
        "- records held by schools too.",
        "The rest follows in the next chapter.",
    ]


def test_a_number_after_a_bullet_that_runs_on_mid_sentence_is_no_paragraph():
    """The next paragraph number after a list item starts a paragraph only when the item ends its
    sentence: a bullet wrapped before "21. ..." mid-sentence ("as set out in paragraph" + "21. The
    review ...") goes on."""
    text = (
        "Guide\n\nTHE LADDER\n\n20. The team climbs the ladder one rung at a time.\n\n"
        "1. Warning\n- Event: a single incident.\n- Consequence: a warning.\n\n"
        "2. Ban\n- Event: a serious incident.\n- Consequence: a ban, as set out in paragraph\n"
        "21. The review explains it.\n"
    )
    paragraphs = [(p.number, p.text) for p in segment_text(text).paragraphs()]
    assert paragraphs[-1][0] == "2" and paragraphs[-1][1].endswith(
        "as set out in paragraph 21. The review explains it."
    )


@pytest.mark.parametrize("line", ["-- Local arrangements --", "-- Local arrangements -"])
def test_a_title_framed_by_dashes_stays_a_heading(line):
    """A line led by "-- " is no heading (a signature), unless a dash closes it too, as a title."""
    text = f"Guide\n\nNOTES\n\nThe partners meet.\n\n{line}\n\nThe next paragraph.\n"
    assert [s.heading for s in segment_text(text).walk()] == ["NOTES", line]
