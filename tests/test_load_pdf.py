"""PDF loading: page labels, running headers and footers, hyphenation, paragraphs across pages,
footnotes, lists, two columns, tables, scanned pages. Every PDF is made here with reportlab."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal

import pytest
from pdfmaker import Writer

from wtcompare.errors import WtcompareError
from wtcompare.load import detect_format, parse

LONG = (
    "Practitioners in the fictional county should keep careful records of every visit, write down what "
    "the child said in the child's own words, and share their concerns with the named manager promptly. "
)


FILL = "Columns of running text fill the width of the column from one side to the other and go on for lines."


def publication(image_page: bool = False) -> bytes:
    w = Writer(front_pages=2)
    w.new_page(furniture=False)
    w.heading("Joining Up for Children", 24)
    w.paragraph(None, "A fictional test document made by the wtcompare tests.")
    w.new_page(furniture=False)
    w.heading("Contents", 16)
    w.paragraph(None, "Chapter 1: Introduction 1")
    w.paragraph(None, "Chapter 2: Working together 2")
    w.new_page()
    w.heading("Chapter 1: Introduction", 18)
    w.heading("1.1 Purpose", 13)
    w.paragraph(
        "1.1",
        "This fictional guidance explains how agencies in Eastmere work in partnership with "
        "families1 to keep children safe, and how their responsibilities are shared out.",
        hyphenate="responsibilities",
    )
    w.footnote("1 Families here means parents, carers and other relatives.")
    w.paragraph("1.2", "Agencies should:", gap=4)
    w.bullets(["listen to children;", "work with parents and carers;", "share information promptly."])
    w.paragraph("1.3", LONG * 16)  # long enough to run onto the next page
    w.paragraph("1.4", "A short paragraph after the page break.")
    w.new_page()
    w.heading("Chapter 2: Working together", 18)
    w.heading("2.1 Two columns", 13)
    w.columns(
        [
            "The left column comes first when the page is read in order. " + FILL,
            "It has a second paragraph in the left column. " + FILL,
        ],
        [
            "The right column is read after the whole left column. " + FILL,
            "And this is the end of the right column. " + FILL,
        ],
    )
    w.heading("2.2 A table", 13)
    w.table([["Agency", "Lead", "Timescale"], ["Police", "Inspector", "One day"]])
    w.paragraph("2.3", "The last numbered paragraph of the fictional test document.")
    if image_page:
        w.image_page(
            [
                "Chapter 3: Scanned page",
                "",
                "3.1 This page is only an image of text.",
                "Optical recognition reads it back.",
            ]
        )
    return w.finish()


@pytest.fixture(scope="module")
def document():
    return parse(publication(), "test.pdf")


def paragraph(document, number):
    return next(p for p in document.paragraphs() if p.number == number)


def test_format_is_detected_from_content_not_name():
    assert detect_format(publication()) == "pdf"


def test_sections_numbers_and_page_labels(document):
    assert document.format == "pdf"
    assert [s.id for s in document.walk()] == ["front", "ch1", "ch1/1.1", "ch2", "ch2/2.1", "ch2/2.2"]
    assert [s.heading for s in document.sections if s.id != "front"] == ["Introduction", "Working together"]
    numbered = [(p.number, p.page) for p in document.paragraphs() if p.number]
    assert numbered == [("1.1", "1"), ("1.2", "1"), ("1.3", "1"), ("1.4", "2"), ("2.3", "3")]
    front = document.section("front")
    assert all(p.page in ("i", "ii") for p in front.paragraphs)


def test_running_header_footer_and_page_numbers_are_removed(document):
    text = "\n".join(p.text for p in document.paragraphs())
    assert "fictional test document)" not in text
    assert not any(p.text.strip().isdigit() for p in document.paragraphs())


def test_hyphenated_word_is_joined_and_paragraph_continues_across_pages(document):
    assert "responsibilities" in paragraph(document, "1.1").text
    long = paragraph(document, "1.3").text
    assert long == (LONG * 16).strip()
    assert paragraph(document, "1.4").text == "A short paragraph after the page break."


def _printed_words(page) -> list[str]:
    """The words of a page of a `publication`-shaped PDF as pdfium reads them, without its running
    header, its page number and its page-foot notes."""
    lines = page.get_textpage().get_text_range().splitlines()
    body = [line for line in lines if "fictional test document)" not in line and not line.strip().isdigit()]
    return " ".join(line for line in body if not re.match(r"\d+ [A-Z]", line)).split()


def test_a_paragraph_that_runs_on_to_the_next_page_knows_where(document):
    """Paragraph 1.3 begins on page 1 and ends on page 2; its text repeats one sentence sixteen
    times, so the first line of page 2 is found in it (as the line after the one before it, not
    where its words first occur)."""
    import pypdfium2 as pdfium

    long = paragraph(document, "1.3")
    assert long.page == "1" and [turn.page for turn in long.turns] == ["2"]
    pages = pdfium.PdfDocument(publication())
    on_first = _printed_words(pages[2])
    on_first = on_first[len(on_first) - on_first[::-1].index("1.3") :]  # 1.3's words on page 1
    turn = long.turns[0].offset
    assert long.text[:turn].split() == on_first
    assert long.text[turn:].split()[:8] == _printed_words(pages[3])[:8]
    assert long.page_at(0) == long.page_at(turn - 1) == "1" and long.page_at(turn) == "2"
    assert not paragraph(document, "1.4").turns and not paragraph(document, "1.1").turns


def test_a_term_is_cited_by_the_page_it_is_printed_on():
    """An occurrence in a paragraph that began on the page before is cited by its own page; a
    footnote number taken out of the text before the turn moves the turn with the text."""
    from wtcompare.lexicon import load_lexicon
    from wtcompare.scan import scan

    w = Writer()
    w.new_page()
    w.heading("Chapter 1: Practice", 18)
    for k in range(1, 10):
        w.paragraph(f"1.{k}", FILL * 3)
    w.footnote("1 Families here means parents, carers and other relatives.")  # at the foot of page 1
    w.paragraph(
        "1.10",
        "Relationship-based practice with families1 starts here. "
        + FILL * 12
        + " Relationship-based practice ends the paragraph.",
    )
    data = w.finish()
    document = parse(data, "test.pdf")
    tenth = paragraph(document, "1.10")
    assert tenth.footnotes == ["Families here means parents, carers and other relatives."]
    assert "families starts" in tenth.text and tenth.page == "1" and [t.page for t in tenth.turns] == ["2"]
    kwic = scan([document], load_lexicon()).kwic
    found = kwic[(kwic.unit == tenth.id) & (kwic.term == "relationship-based practice")]
    assert found.page.tolist() == ["1", "2"]
    import pypdfium2 as pdfium

    assert tenth.text[tenth.turns[0].offset :].split()[:8] == _printed_words(pdfium.PdfDocument(data)[1])[:8]


def test_footnote_is_kept_apart_and_linked(document):
    first = paragraph(document, "1.1")
    assert first.footnotes == ["Families here means parents, carers and other relatives."]
    assert "in partnership with families to keep" in first.text  # the marker "1" is not text
    assert all("Families here means" not in p.text for p in document.paragraphs())


def test_list_stays_with_its_paragraph(document):
    assert paragraph(document, "1.2").text == (
        "Agencies should:\n- listen to children;\n- work with parents and carers;\n- share information promptly."
    )


def test_two_columns_are_read_in_order_and_table_rows_kept(document):
    columns = document.section("ch2/2.1").text
    order = [
        "left column comes first",
        "second paragraph in the left",
        "right column is read after",
        "end of the right column",
    ]
    positions = [columns.index(fragment) for fragment in order]
    assert positions == sorted(positions)
    table = document.section("ch2/2.2").text
    assert "Agency Lead Timescale" in table and "Police Inspector One day" in table


def test_scanned_page_needs_ocr():
    with pytest.raises(WtcompareError, match=r"scan\.pdf: 1 page\(s\) have no text layer.*add --ocr"):
        parse(publication(image_page=True), "scan.pdf")


@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is not installed (apt-get install tesseract-ocr)")
def test_ocr_reads_a_scanned_page_and_records_it():
    document = parse(publication(image_page=True), "scan.pdf", ocr=True)
    assert document.ocr_pages == ["4"]
    chapter = document.section("ch3")
    assert chapter.heading == "Scanned page"
    assert [(p.number, p.page) for p in chapter.paragraphs] == [("3.1", "4")]
    assert "only an image of text" in chapter.full_text and "Optical recognition" in chapter.full_text


@pytest.mark.parametrize(
    "data, message",
    [
        (publication()[:2000], "not a readable PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 100, "not a readable PDF"),
    ],
)
def test_broken_pdfs_get_one_line(data, message):
    with pytest.raises(WtcompareError, match=message):
        parse(data, "broken.pdf")


def test_pages_reach_align_and_kwic_through_the_cli(run, tmp_path):
    import json

    (tmp_path / "a.pdf").write_bytes(publication())
    (tmp_path / "b.txt").write_text(
        "Chapter 1: Introduction\n\n1.1 Purpose\n\n1.1 Agencies work in partnership "
        "with families to keep children safe.\n"
    )
    assert run("ingest", str(tmp_path / "a.pdf"), "--edition", "pdf-1").exit_code == 0
    assert run("ingest", str(tmp_path / "b.txt"), "--edition", "txt-1").exit_code == 0
    aligned = json.loads(run("align", "pdf-1", "txt-1", "--level", "paragraph", "--format", "json").stdout)
    pages = {u["id"]: u["page"] for p in aligned["pairs"] for u in p["a_units"]}
    assert pages["ch1/1.1/p1"] == "1" and pages["ch2/2.2/p1"] == "3"
    scanned = json.loads(run("scan", "pdf-1", "--kwic", "--format", "json").stdout)
    hits = [k for k in scanned["kwic"] if k["category"] == "partnership_with_families"]
    assert hits and all(k["page"] == "1" for k in hits)


def _page_with_a_footnote() -> bytes:
    """A page of heading, body and a footnote in small print at its foot, the marker raised."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, 760, "Joining Up for Children")
    for y, heading, body in (
        (720, "Working with families", "Practitioners should work in partnership with families"),
        (560, "Sharing information", "Agencies should share what they know promptly and"),
    ):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, heading)
        text = c.beginText(72, y - 30)
        text.setFont("Helvetica", 11)
        text.textOut(body)
        if y == 720:
            text.setRise(4)
            text.setFont("Helvetica", 7)
            text.textOut("1")
            text.setRise(0)
            text.setFont("Helvetica", 11)
        text.textOut(" in every")
        c.drawText(text)
        c.setFont("Helvetica", 11)
        c.drawString(72, y - 44, "assessment, and record what the family said about the plan.")
    c.setFont("Helvetica", 8)
    c.drawString(72, 90, "1 Partnership with families means listening to parents and carers.")
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is not installed (apt-get install tesseract-ocr)")
def test_ocr_finds_the_same_headings_and_footnotes_as_the_text_layer():
    """OCR is out of the format-invariance target (recognition errors are real changes), but its
    headings and footnotes are found as in the text layer: type size from Tesseract's line boxes."""
    import io

    import pypdfium2 as pdfium

    from wtcompare.lexicon import load_lexicon
    from wtcompare.model import Edition
    from wtcompare.scan import ScanOptions, scan

    layer = _page_with_a_footnote()
    image = pdfium.PdfDocument(layer)[0].render(scale=300 / 72).to_pil().convert("L")
    scanned = io.BytesIO()
    image.save(scanned, "PDF", resolution=300)
    documents = [parse(layer, "layer.pdf"), parse(scanned.getvalue(), "scan.pdf", ocr=True)]
    for document, name in zip(documents, ("layer", "scan"), strict=True):
        document.edition = Edition(id=name, title=name)
        assert document.title == "Joining Up for Children"
        assert [s.heading for s in document.walk()] == ["Working with families", "Sharing information"]
        notes = [note for p in document.paragraphs() for note in p.footnotes]
        assert notes == ["Partnership with families means listening to parents and carers."]
        assert all("listening" not in p.text for p in document.paragraphs())
    for options, expected in ((ScanOptions(), 1), (ScanOptions(footnotes=False), 0)):
        rows = scan(documents, load_lexicon(), ["listening", "sharing information"], options).rows
        counts = rows[rows.category == "adhoc"].groupby(["edition", "term"])["count"].sum()
        assert counts[("layer", "listening")] == counts[("scan", "listening")] == expected
        assert counts[("layer", "sharing information")] == counts[("scan", "sharing information")] == 1  # the heading


def test_text_side_by_side_but_not_in_two_columns_gives_one_warning():
    """A wide main column beside a narrow one (a sidebar) defeats the two-column reading: the page
    is read across, line by line, and a warning says so."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10.5)
    for k in range(6):
        c.drawString(40, 700 - 14 * k, f"Sidebar line {k} is here.")
        c.drawString(200, 700 - 14 * k, f"Main text line {k} runs across most of the width of the page.")
    c.showPage()
    c.save()
    document = parse(buffer.getvalue(), "sidebar.pdf")
    assert (
        "sidebar.pdf: page 1 seems to be set in two columns that could not be told apart; read across the page, "
        "line by line" in document.warnings
    )
    assert next(document.paragraphs()).text.startswith("Sidebar line 0 is here. Main text line 0")


def test_two_stretches_of_columns_on_one_page_are_each_read_column_by_column():
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10.5)
    for k in range(8):
        y = 700 - 14 * k
        if k == 4:  # a line across both columns, between two stretches of them
            c.drawString(72, y, "A sentence that runs right across the page from the left margin to the right one.")
            continue
        c.drawString(72, y, f"Left column line {k} of running text here.")
        c.drawString(310, y, f"Right column line {k} of running text.")
    c.showPage()
    c.save()
    document = parse(buffer.getvalue(), "two.pdf")
    text = " ".join(p.text for p in document.paragraphs())
    order = [text.index(f"{side} column line {k}") for k in (0, 3) for side in ("Left", "Right")]
    assert order[0] < order[1] and text.index("Left column line 3") < text.index("Right column line 0")
    assert (
        text.index("Right column line 3")
        < text.index("A sentence that runs")
        < text.index("Left column line 5")
        < text.index("Left column line 7")
        < text.index("Right column line 5")
    )
    assert not any("could not be told apart" in w for w in document.warnings)


def test_a_glyph_pdfium_cannot_map_does_not_shift_the_rest_of_the_page():
    """An emoji in a font that does not say what it is: pdfium leaves it out of the page's text
    but still counts it, so every later character's measurements must be looked up past it (taken
    one off, each line's first letter came loose: "f new commits", "B uild")."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped with reportlab; it has no emoji
    lines = [
        "If there are failures, press the \N{ANTICLOCKWISE DOWNWARDS AND UPWARDS OPEN CIRCLE ARROWS} Re-run button,",
        "on the right-hand side of the Checks tab.",
        "",
        "Build it again. It is in the left navigation of the relevant job.",
        "",
        "If new commits are pushed, a fresh run is required.",
    ]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Vera", 10.5)
    for k, line in enumerate(lines):
        c.drawString(72, 700 - 14 * k, line)
    c.showPage()
    c.save()
    # the glyph left out leaves the spaces either side of it, as pdfium gives them
    paragraphs = [" ".join(p.text.split()) for p in parse(buffer.getvalue(), "emoji.pdf").paragraphs()]
    assert paragraphs == [
        "If there are failures, press the Re-run button, on the right-hand side of the Checks tab.",
        "Build it again. It is in the left navigation of the relevant job.",
        "If new commits are pushed, a fresh run is required.",
    ]


def _page(draw) -> bytes:
    """A one-page PDF drawn by ``draw(canvas)``."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _lines_page(blocks: list[tuple[str, float, str]]) -> bytes:
    """A one-page PDF of one-line blocks (font, size, text), each set apart by a blank line."""

    def draw(c):
        for k, (font, size, text) in enumerate(blocks):
            c.setFont(font, size)
            c.drawString(72, 700 - 28 * k, text)

    return _page(draw)


def test_where_headings_have_type_of_their_own_a_short_plain_line_is_no_heading():
    """Headings in bold: "Unix/macOS", a tab's label in the body's plain type, is a paragraph (but a
    numbered heading in that type is still a heading: a review found guidance-shaped PDFs with bold
    chapters and plain numbered sections), and a question set in bold is a heading ("How can I
    help?" fails the shape test of plain text)."""
    blocks = [
        ("Helvetica-Bold", "Installing packages"),
        ("Helvetica", "The tool is a command line program, run from the command prompt as follows:"),
        ("Helvetica", "Unix/macOS"),
        ("Helvetica", "Run the program with its arguments and it does what they ask of it."),
        ("Helvetica-Bold", "How can I help?"),
        ("Helvetica", "Review the changes others propose, and test them on your own machine."),
        ("Helvetica-Bold", "Removing packages"),
        ("Helvetica", "Packages are removed one at a time, with their own command."),
        ("Helvetica-Bold", "Upgrading packages"),
        ("Helvetica", "An upgrade replaces the version installed by the newest one."),
        ("Helvetica", "SEE ALSO"),  # in capitals: a heading in any type
        ("Helvetica", "The reference lists every command."),
        ("Helvetica", "NSPCC 0808 800 5000"),  # but a number in capitals is not
        ("Helvetica", "The helpline is open every day."),
        # a numbered line in the body's type stays a heading: guidance sets some numbered headings so
        ("Helvetica", "2.1 Early help"),
        ("Helvetica", "The notes list every change since the last release."),
    ]

    document = parse(_lines_page([(font, 10.5, text) for font, text in blocks]), "typed.pdf")
    assert [s.heading for s in document.walk()] == [
        "Installing packages",
        "How can I help?",
        "Removing packages",
        "Upgrading packages",
        "SEE ALSO",
        "Early help",
    ]
    assert {"Unix/macOS", "NSPCC 0808 800 5000"} <= {p.text for p in document.paragraphs()}


def test_a_bold_line_a_size_up_is_a_heading_however_it_opens_or_closes():
    """Lesser headings set in bold a size up (11 on 10 points) that open in lower case ("pyroute2")
    or close with a parenthesis ("Operators/Operations (ops)") are headings, as their markup says in
    HTML; a bold line a size up that ends as a sentence does, a quotation, a caption or name
    closing with years or a list, a label and its text, and a bold line in the body's size opening
    in lower case, stay paragraphs."""
    blocks = [
        ("Helvetica-Bold", 11, "Tagging bugs"),
        ("Helvetica", 10, "Each tag covers an area with a contact who can say more about its bugs."),
        ("Helvetica-Bold", 11, "Operators/Operations (ops)"),
        ("Helvetica", 10, "Bugs that operators of the service meet when they run it."),
        ("Helvetica-Bold", 11, "pyroute2"),
        ("Helvetica", 10, "Bugs in the library that configures the network."),
        ("Helvetica-Bold", 11, "Every bug needs a tag."),
        ("Helvetica", 10, "A bug without one is found by nobody who looks for its area."),
        ("Helvetica-Bold", 10, "oslo"),
        ("Helvetica", 10, "The shared libraries have their own tracker."),
        # a review found these made headings by a first version of the rule: a quotation, a caption
        # closing with years, a name with its role, a label and its text
        ("Helvetica-Bold", 11, "\u201cNobody asked what I wanted\u201d"),
        ("Helvetica", 10, "A child said so at the end of the review, and the panel wrote it down."),
        ("Helvetica-Bold", 11, "Figure 2: Referrals by Agency (2019 to 2020)"),
        ("Helvetica", 10, "The figure shows how many referrals each agency made in the year."),
        ("Helvetica-Bold", 11, "Jane Smith (Chair, Eastmere Partnership)"),
        ("Helvetica", 10, "The chair signs the report on behalf of the three partners."),
        ("Helvetica-Bold", 11, "Key message: practitioners work with parents"),
        ("Helvetica", 10, "Parents are told what is planned and why, at every step."),
        ("Helvetica-Bold", 11, "(see the annex for the forms)"),
        ("Helvetica", 10, "The forms are the same in every area, and the annex lists them."),
        # and these are headings: a step with a number in its parenthesis, an annex with a year
        ("Helvetica-Bold", 11, "Step 3 (by day 10)"),
        ("Helvetica", 10, "The plan is agreed with the family and shared with every agency."),
        ("Helvetica-Bold", 11, "Annex C (revised 2018)"),
        ("Helvetica", 10, "The forms each agency uses, as they stood after the last review."),
    ]

    document = parse(_lines_page(blocks), "bold.pdf")
    assert [s.heading for s in document.walk()] == [
        "Tagging bugs",
        "Operators/Operations (ops)",
        "pyroute2",
        "Step 3 (by day 10)",
        "(revised 2018)",
    ]
    assert {
        "Every bug needs a tag.",
        "oslo",
        "\u201cNobody asked what I wanted\u201d",
        "Figure 2: Referrals by Agency (2019 to 2020)",
        "Jane Smith (Chair, Eastmere Partnership)",
        "Key message: practitioners work with parents",
        "(see the annex for the forms)",
    } <= {p.text for p in document.paragraphs()}


def test_a_line_that_opens_with_a_bold_word_goes_on_with_its_paragraph():
    """Bold is a heading's type only when the whole line is bold: a paragraph whose wrapped line
    begins with a word in bold ("experimental") is not cut in two there."""

    def draw(c):
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 720, "Compatibility")
        y = 700
        for runs in (
            [("Helvetica", "New features may be aggressively marked unstable or")],
            [("Helvetica-Bold", "experimental"), ("Helvetica", ", but even these are relied on in production")],
            [("Helvetica", "code if they have been around for a long time.")],
        ):
            x = 72
            for font, text in runs:
                c.setFont(font, 10.5)
                c.drawString(x, y, text)
                x += c.stringWidth(text, font, 10.5)
            y -= 13
        c.setFont("Helvetica", 10.5)
        c.drawString(72, y - 14, "A second paragraph follows here.")

    texts = [p.text for p in parse(_page(draw), "bold.pdf").paragraphs()]
    assert texts[0] == (
        "New features may be aggressively marked unstable or experimental, but even these are relied on in "
        "production code if they have been around for a long time."
    )


def test_bullets_drawn_as_shapes_before_code_words_are_list_items_of_their_lead_in():
    """A browser draws a list's bullets as discs (a nested list's smaller); an item whose words are
    code ("pip check") is still a list item, and the list goes on from the line that introduces it."""

    def draw(c):
        c.setFont("Helvetica", 10.5)
        c.drawString(72, 700, "Try these commands:")
        for k, (word, radius) in enumerate((("pip install", 1.3), ("pip check", 0.9))):
            y = 700 - 28 - 14 * k  # the list set apart from its lead-in, as a browser's margin does
            c.circle(84, y + 3.2, radius, stroke=0, fill=1)
            c.setFont("Courier", 10.5)
            c.drawString(92, y, word)
        c.setFont("Helvetica", 10.5)
        c.drawString(72, 700 - 28 - 28 - 14, "Then read what they print, line by line, before you go on.")

    texts = [p.text for p in parse(_page(draw), "bullets.pdf").paragraphs()]
    assert texts[0] == "Try these commands:\n- pip install\n- pip check"


def test_a_pdf_of_more_pages_than_any_edition_is_refused_in_one_line(monkeypatch):
    from wtcompare.load import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    data = _page(lambda c: (c.drawString(72, 700, "One."), c.showPage(), c.drawString(72, 700, "Two."), c.showPage()))
    with pytest.raises(WtcompareError, match=r"many\.pdf: 3 pages; wtcompare reads PDFs of at most 2"):
        parse(data, "many.pdf")


@pytest.mark.skipif(not shutil.which("tesseract"), reason="needs Tesseract")
def test_a_scanned_page_too_large_to_render_is_refused_in_one_line():
    """A page 200 inches square would be a 3.6-gigapixel image for OCR: refused, naming the page."""
    import io

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.new("L", (8, 8), 255).save(picture, format="PNG")
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(200 * 72, 200 * 72), invariant=1)
    c.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 72, 72, 720, 720)
    c.showPage()
    c.save()
    with pytest.raises(WtcompareError, match=r"huge\.pdf: page 1 is 200 by 200 inches, too large to read with OCR"):
        parse(buffer.getvalue(), "huge.pdf", ocr=True)


def test_where_only_chapters_have_large_type_a_plain_section_heading_is_still_one():
    """Large chapter headings alone do not make plain short lines paragraphs: a document may head
    its sections in the body's own type (or in italic, which is not read)."""
    blocks = []
    for number, (chapter, section) in enumerate(
        [
            ("Introduction", "Key principles"),
            ("Assessment", "Timescales for assessment"),
            ("Settings", "Schools and colleges"),
            ("Review", "Learning from cases"),
        ],
        start=1,
    ):
        blocks += [
            ("Helvetica", 16, f"Chapter {number}: {chapter}"),
            ("Helvetica", 10.5, section),
            ("Helvetica", 10.5, "Practitioners should listen to children and act on what they are told."),
        ]

    def draw(c):
        for k, (font, size, text) in enumerate(blocks):
            c.setFont(font, size)
            c.drawString(72, 760 - 28 * k, text)

    headings = [s.heading for s in parse(_page(draw), "chapters.pdf").walk()]
    assert headings == [
        "Introduction",
        "Key principles",
        "Assessment",
        "Timescales for assessment",
        "Settings",
        "Schools and colleges",
        "Review",
        "Learning from cases",
    ]


def test_where_sections_are_headed_larger_in_a_second_size_a_short_plain_line_is_no_heading():
    """Chapters and sections both set larger than the body, in two sizes, not bold: the document
    sets its headings apart by type, so "Note" on its own in the body's type is a paragraph."""
    blocks = [("Helvetica-Bold", 24, "A Guide"), ("Helvetica", 18, "Installing"), ("Helvetica", 13, "From the index")]
    blocks += [("Helvetica", 10.5, "Note"), ("Helvetica", 10.5, "The tool installs from the index by default.")]
    blocks += [("Helvetica", 18, "Removing"), ("Helvetica", 13, "One at a time")]
    blocks += [("Helvetica", 10.5, "Packages are removed one at a time, each with its own command.")]

    def draw(c):
        for k, (font, size, text) in enumerate(blocks):
            c.setFont(font, size)
            c.drawString(72, 760 - 30 * k, text)

    document = parse(_page(draw), "sizes.pdf")
    assert [s.heading for s in document.walk()] == ["Installing", "From the index", "Removing", "One at a time"]
    assert "Note" in [p.text for p in document.paragraphs()]


def _story_pdf(story, **frame) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, **frame).build(story)
    return out.getvalue()


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    return (
        ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6),
        ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=5, spaceBefore=10),
        ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=20, leading=24),
    )


@pytest.mark.parametrize(
    "first, sentence",
    [
        (False, "Purely agentic referrals are not accepted."),
        (True, "Purely agentic referrals are not accepted."),
        # the bold line stops well short of the edge (a long word went on to the next line, which
        # opens in bold): the sentence still runs on
        (False, "Purely agentic referrals are uncharacteristically rare."),
    ],
)
def test_a_paragraph_opening_with_a_sentence_in_bold_is_one_paragraph(first, sentence):
    """In a narrow column the bold sentence that opens a paragraph fills its first line: that line
    was cut from its paragraph (bold to plain is a change of type) and made a heading. A bold
    line running on to the column's edge, or into a next line that opens in bold, followed in
    lower case, is the paragraph's first line, the page's first paragraph too (before any plain
    line)."""
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    lead_in = Paragraph(
        f"<b>{sentence}</b> Referrals sent with no review by a practitioner are returned.",
        body,
    )
    story = [Paragraph("Joining Up (fictional)", title), Paragraph("Sharing information", heading)]
    story += [lead_in, Paragraph(filler * 3, body)] if first else [Paragraph(filler * 3, body), lead_in]
    for name in ("Assessment", "Planning", "Review"):
        story += [Paragraph(name, heading), Paragraph(filler * 2, body)]
    document = parse(_story_pdf(story, leftMargin=64, rightMargin=595 - 64 - 200), "leadin.pdf")
    assert [s.heading for s in document.walk()][1:] == ["Sharing information", "Assessment", "Planning", "Review"]
    sharing = next(s for s in document.walk() if s.heading == "Sharing information")
    assert [p.text for p in sharing.paragraphs][0 if first else 1] == (
        f"{sentence} Referrals sent with no review by a practitioner are returned."
    )


def _filling(words: list[str], font: str, size: float, width: float) -> str:
    """The longest run of ``words`` (repeated) that fits ``width`` points in ``font``: a sentence that
    ends at the end of its line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = ""
    for word in words * 4:
        longer = f"{text} {word}".strip()
        if stringWidth(longer, font, size) > width:
            return text
        text = longer
    return text


def test_a_bold_phrase_or_paragraph_that_wraps_stays_one_paragraph():
    """Bold that starts mid-line and wraps makes the next line bold throughout; a bold paragraph
    whose number is plain has a first line that is not; a bold sentence may end at its line's end
    with the next sentence in plain type opening in capitals. Each was cut in two at the change of
    type, as a heading is cut from its text; a bold heading after a paragraph still is."""
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    width = 200
    wrapped = (
        "Staff record what they saw and when, and <b>a referral made by telephone is confirmed in writing "
        "within one working day</b> so that nothing is lost."
    )
    numbered = "9. <b>If you believe a child is in immediate danger, call the police first and then tell the team.</b>"
    measure = width - 12 - 2  # the frame's padding either side, and a little room for the full stop
    sentence = _filling(["Your", "account", "of", "what", "happened", "matters"], "Helvetica-Bold", 10, measure) + "."
    lead = f"<b>{sentence}</b> Investigators read every account the same day."
    # a bold name that begins on a line's last words and goes on, in capitals, on the next
    opening = "Staff who are worried about a child tell"
    name = _filling(["Thornavon", "Referral", "Team", "Duty", "Office"], "Helvetica-Bold", 10, measure - 80)
    named = f"{opening} <b>{name} Managers at once.</b>"
    # a bold clause that stops at a comma well short of the edge: the next word did not fit
    clause = (
        _filling(
            ["When", "a", "child", "is", "at", "risk", "of", "harm", "at", "home", "or", "school"],
            "Helvetica-Bold",
            10,
            measure - 50,
        )
        + ","
    )
    paused = f"<b>{clause}</b> notwithstanding any other duty, the team acts."
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    story = [Paragraph("Joining Up (fictional)", title), Paragraph("Making a referral", heading)]
    story += [Paragraph(filler * 3, body), Paragraph(wrapped, body), Paragraph(filler * 2, body)]
    story += [Paragraph(numbered, body), Paragraph(filler * 2, body), Paragraph(lead, body)]
    story += [Paragraph(filler * 2, body), Paragraph(named, body), Paragraph(filler * 2, body)]
    story += [Paragraph(paused, body)]
    story += [Paragraph("Staff keep a note of the call in the child's record as soon as they can.", body)]
    story += [Paragraph("<b>After the call</b>", body), Paragraph("The duty team rings back.", body)]
    document = parse(_story_pdf(story, leftMargin=64, rightMargin=595 - 64 - width), "bold.pdf")
    texts = [p.text for p in document.paragraphs()]
    assert re.sub("<[^>]+>", "", wrapped) in texts
    assert re.sub("<[^>]+>", "", numbered).removeprefix("9. ") in texts
    assert f"{sentence} Investigators read every account the same day." in texts
    assert f"{opening} {name} Managers at once." in texts
    assert f"{clause} notwithstanding any other duty, the team acts." in texts
    assert [s.heading for s in document.walk()][1:] == ["Making a referral", "After the call"]


@pytest.mark.parametrize("before", [0, 2])
def test_a_bold_heading_after_a_list_item_or_an_address_with_no_full_stop_stays_a_heading(before):
    """A list item or an address may end a paragraph in lower case with no full stop, running near
    its column's edge; a bold heading in the body's size set close under it stops short and ends no
    sentence: not a bold phrase going on (a review's case, with 0 to 2 points above the heading)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    tight = ParagraphStyle("tb", parent=body, spaceAfter=0)
    bullet = ParagraphStyle("l", parent=tight, leftIndent=18, bulletIndent=6)
    sub = ParagraphStyle("s", parent=tight, fontName="Helvetica-Bold", spaceBefore=before)
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    last = "the school nurse, the health visitor and the general practitioner for the child and their family"
    address = "The service publishes its offer on its website at www.thornavon.example/early-help-offer"
    story = [Paragraph("Early Help (fictional)", title), Paragraph("Working together", heading)]
    story += [Paragraph(filler * 2, tight), Paragraph("The lead practitioner should involve:", tight)]
    story += [Paragraph(t, bullet, bulletText="\u2022") for t in ["the child and their parents", "the teacher", last]]
    story += [Paragraph("Information sharing", sub), Paragraph(filler * 2, tight), Paragraph(address, tight)]
    story += [Paragraph("Family hubs", sub), Paragraph(filler, tight), Paragraph("Consent", sub)]
    story += [Paragraph(filler, tight)]
    document = parse(_story_pdf(story, leftMargin=72, rightMargin=72), "list.pdf")
    assert [s.heading for s in document.walk()][2:] == ["Information sharing", "Family hubs", "Consent"]


def test_a_bold_lead_in_going_on_with_a_reference_to_a_part_is_one_paragraph():
    # "part 3 of the Children Act 1989" goes on with a sentence: no part's heading in lower case
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    bold = "Each local authority must have regard to the duties owed to children in need as set out in"
    lead = f"<b>{bold} part 3 of the Children Act 1989.</b> Practitioners who are unsure ask the duty manager."
    story = [Paragraph("Early Help (fictional)", title), Paragraph("Duties", heading)]
    story += [Paragraph(filler * 2, body), Paragraph(lead, body), Paragraph(filler * 2, body)]
    document = parse(_story_pdf(story, leftMargin=72, rightMargin=72), "part.pdf")
    assert re.sub("<[^>]+>", "", lead) in [p.text for p in document.paragraphs()]


def test_a_heading_set_in_code_type_is_a_heading_not_code():
    """A heading whose words are code ("docutils.__version_info__") is set in a fixed-pitch font at
    the size of the document's other headings of its level: it was taken for a code block of the
    section before. Code set larger than the body in a size no heading has stays code."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    lesser = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=10)
    text = "The state of development is stored in two forms, a tuple and a string, for every release. "
    story = [Paragraph("Project policies (fictional)", title), Paragraph("Version identification", heading)]
    story += [Paragraph(text * 3, body), Paragraph('<font face="Courier">project.__version_info__</font>', lesser)]
    story += [Paragraph(text * 2, body), Paragraph("Version numbers", lesser), Paragraph(text * 2, body)]
    larger_code = ParagraphStyle("code", fontName="Courier", fontSize=11.5, leading=14)
    story += [Paragraph("Release cycle", heading), Paragraph(text * 2, body), Paragraph("project release", larger_code)]
    story += [Paragraph(text * 2, body)]
    document = parse(_story_pdf(story), "mono.pdf")
    assert [s.heading for s in document.walk()][1:] == [
        "Version identification",
        "project.__version_info__",
        "Version numbers",
        "Release cycle",
    ]
    assert [p.text for p in document.paragraphs() if p.code] == ["project release"]


def test_the_body_size_is_the_prose_s_when_code_samples_outweigh_it():
    """A guide mostly of code samples, set smaller in a fixed-pitch font: its prose is still the
    body type, so that a short paragraph introducing a sample is not read as larger type, a
    heading (a tenth audit's guide lost its lead-ins and lists so)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Preformatted

    body, heading, title = _styles()
    code = ParagraphStyle("code", fontName="Courier", fontSize=8, leading=10)
    sample = "\n".join(f"setting_{n} = value_{n}  # a line of an example configuration file" for n in range(14))
    intro = "The service reads its settings when it starts, and each one changes how it handles requests. " * 4
    story = [Paragraph("Configuration (fictional)", title), Paragraph("Settings", heading), Paragraph(intro, body)]
    for lead in ("Add these settings to your configuration file:", "Or set them on the command line:"):
        story += [Paragraph(lead, body), Preformatted(sample, code)]
    story += [Paragraph("Each setting takes effect when the service starts again.", body)]
    document = parse(_story_pdf(story), "samples.pdf")
    assert [s.heading for s in document.walk()][1:] == ["Settings"]
    assert [p.text for p in document.paragraphs() if not p.code][1:] == [
        "Add these settings to your configuration file:",
        "Or set them on the command line:",
        "Each setting takes effect when the service starts again.",
    ]


def test_prose_at_the_code_s_size_keeps_the_body_size():
    """A review's counter-example: a 12-point summary outweighs the 10-point prose once the
    10-point code samples are left out, but prose set at the code's size says that size is the
    body's: the closing numbered paragraphs stay text (not small print, notes), and the headings
    keep their level under the title."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Preformatted

    body, _, title = _styles()
    larger = ParagraphStyle("b12", fontName="Helvetica", fontSize=12, leading=16)
    heading = ParagraphStyle("h13", fontName="Helvetica", fontSize=13, leading=16, spaceBefore=10)
    code = ParagraphStyle("code", fontName="Courier", fontSize=10, leading=12)
    summary = "Practitioners should record what a child says in the child's own words, and the date. " * 5
    story = [Paragraph("Case System Guide (fictional)", title), Paragraph(summary, larger), Paragraph(summary, larger)]
    story += [Paragraph("Opening a record", heading)]
    story += [Paragraph("Type the command below.", body)]
    opening = "\n".join(f"open-record --child {n:05d} --team east --reason referral" for n in range(20))
    story += [Preformatted(opening, code)]
    story += [Paragraph("Closing a record", heading), Paragraph("A manager must agree first.", body)]
    story += [Preformatted("\n".join(f"close-record --child {n:05d} --approved-by manager" for n in range(20)), code)]
    story += [Paragraph("Further points", heading), Paragraph("1 Records are kept for 25 years.", body)]
    story += [Paragraph("2 Access is audited.", body)]
    document = parse(_story_pdf(story), "guide.pdf")
    assert [(s.heading, s.level) for s in document.walk()][1:] == [
        ("Opening a record", 2),
        ("Closing a record", 2),
        ("Further points", 2),
    ]
    assert [p.text for p in document.paragraphs()][-2:] == ["Records are kept for 25 years.", "Access is audited."]


@pytest.mark.parametrize(
    "column, bold_term",
    [
        (None, None),
        (200, None),
        (200, "<b>local authorities</b> must read it, as "),
        # bold ending in a full stop, but no new sentence after it; a plain full stop after bold
        (200, "<b>i.e.</b> teachers must read it, as "),
        (200, "<b>pyroute2</b>. It is read first, as "),
    ],
)
def test_a_bold_heading_in_body_size_before_a_lower_case_line_stays_a_heading(column, bold_term):
    """A heading in bold body type before a paragraph that opens in lower case ("e.g. ...", or a
    list "a) the local authority", or a term in bold, "**local authorities** must ...") is no
    paragraph's bold opening: the first heading of a document (no plain line yet shows the
    column's edge) and a heading filling a narrow column (a review found both run into the text
    below them)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    body, _, title = _styles()
    # set close above its text, as the line spacing alone: only the type tells heading from text
    head = ParagraphStyle("hb", fontName="Helvetica-Bold", fontSize=10, leading=13.5, spaceBefore=12)
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    story = [Paragraph("Joining Up (fictional)", title)]
    if column:
        first, opening = (
            "The statutory safeguarding partners",
            "a) the local authority, which leads;<br/>b) the police.",
        )
        story += [Paragraph("Scope", head), Paragraph(filler * 3, body)]
        if bold_term:
            first, opening = "Who should read it", bold_term + filler
    else:
        first, opening = "Who this guidance is for", "e.g. teachers: " + filler
    story += [Paragraph(first, head), Paragraph(opening, body)]
    for name in ("Assessment", "Planning", "Review"):
        story += [Paragraph(name, head), Paragraph(filler * 3, body)]
    frame = {"leftMargin": 64, "rightMargin": 595 - 64 - column} if column else {}
    document = parse(_story_pdf(story, **frame), "heading.pdf")
    headings = [first, "Assessment", "Planning", "Review"]
    assert [s.heading for s in document.walk()][1:] == (["Scope", *headings] if column else headings)


def _one_page_pdf(text: bytes, padding_mb: int) -> bytes:
    """A PDF whose one page's content stream (the text, then ``padding_mb`` megabytes of spaces)
    is compressed: a few kilobytes that pdfium inflates whole."""
    import zlib

    squeeze = zlib.compressobj(9)
    stream = squeeze.compress(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET\n")
    space = b" " * 2**20
    stream += b"".join(squeeze.compress(space) for _ in range(padding_mb)) + squeeze.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/statm"), reason="the cap needs Linux")
def test_a_pdf_that_inflates_beyond_the_memory_allowed_is_refused_in_one_line(monkeypatch):
    """pdfium inflates a compressed stream whole: a file of kilobytes can ask for gigabytes (one of
    1.5 MB took 2.6 GB). It is read in a worker allowed PDF_MEMORY; the same page with a stream
    that fits is read as ever, so the cap is what refuses the first."""
    from wtcompare.load import pdf

    monkeypatch.setattr(pdf, "PDF_MEMORY", 64 * 2**20)
    text = b"A page of real words, then a stream of spaces."
    assert [p.text for p in parse(_one_page_pdf(text, 1), "fits.pdf").paragraphs()] == [text.decode()]
    bomb = _one_page_pdf(text, 384)
    assert len(bomb) < 500_000
    refused = r"^bomb\.pdf: reading it took more than 64 MB of memory .*WTCOMPARE_PDF_MEMORY"
    with pytest.raises(WtcompareError, match=refused):
        parse(bomb, "bomb.pdf")


def test_a_pdf_library_crash_is_an_error_naming_the_file(monkeypatch):
    """pdfium aborts the process on some inputs (and on a failed allocation): the worker dies, the
    caller says which file."""
    from wtcompare.load import pdf

    if pdf.capped(2**30, os.getpid) == os.getpid():
        pytest.skip("no worker process here: a crash would take the caller")
    monkeypatch.setattr(pdf, "_pdf_lines", lambda *_: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(WtcompareError, match=r"^crash\.pdf: reading it took more than .* or stopped the PDF library"):
        parse(_one_page_pdf(b"Words.", 0), "crash.pdf")


def test_a_pdf_library_crash_in_an_edition_loaded_by_a_worker_still_names_the_file(monkeypatch, tmp_path):
    """`Registry.load_many` loads each edition in a worker, which must still read a PDF in a
    `capped` worker of its own (a daemon worker could not start one): the crash takes that
    grandchild, and the error names the file, as when the edition is loaded here."""
    from wtcompare.load import pdf
    from wtcompare.registry import Registry

    if pdf.capped(2**30, os.getpid) == os.getpid():
        pytest.skip("no worker process here: a crash would take the caller")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "crash.pdf").write_bytes(_one_page_pdf(b"Words.", 0))
    (texts / "plain.txt").write_text("Some words here.\n", encoding="utf-8")
    (texts / "editions.toml").write_text(
        '[[edition]]\nid = "plain"\ntitle = "Plain"\nsource = "plain.txt"\n\n'
        '[[edition]]\nid = "crash"\ntitle = "Crash"\nsource = "crash.pdf"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(pdf, "_pdf_lines", lambda *_: os.kill(os.getpid(), signal.SIGKILL))
    registry = Registry(texts)
    crashed = r"/crash\.pdf: reading it took more than .* or stopped the PDF library"
    with pytest.raises(WtcompareError, match=crashed):
        registry.load("crash")
    with pytest.raises(WtcompareError, match=crashed):
        registry.load_many(["plain", "crash"])


def test_a_page_holding_only_a_list_item_keeps_the_item_whole():
    """A page whose lines all belong to one list item (its marker left of its text, the text's
    lines sharing a start) has the document's margin, not the item's indent: the item's wrapped
    lines, each opening with a capital, go on with it rather than each starting a paragraph."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)

    def body(lines, y=760):
        for k, (x, text) in enumerate(lines):
            c.setFont("Helvetica", 10)
            c.drawString(x, y - 12 * k, text)
        c.showPage()

    body(
        [
            (72, "Every change needs three things, each of them written down before it is made, in"),
            (72, "the places named below:"),
            (84, "\u2022 A note in the change log, which says what changed and for whom it"),
            (93, "changed, in words that anyone can read."),
        ]
    )
    body(
        [
            (84, "\u2022 A warning in the code, which tells users what they should use instead of"),
            (93, "Directive names. This uses the form that the guide sets out, and it is"),
            (93, "Placed at the top of the text that the warning is about, near its first"),
            (93, "Line, so that nobody who reads the text can miss it."),
        ]
    )
    body(
        [
            (72, "The text of a warning should be short, no more than a paragraph, and say what to do."),
            (72, "It names the version in which the change was made and the one that removes it."),
        ]
    )
    c.save()
    texts = [p.text for p in parse(buffer.getvalue(), "items.pdf").paragraphs()]
    assert texts[0].endswith(
        "- A warning in the code, which tells users what they should use instead of Directive names. This uses the "
        "form that the guide sets out, and it is Placed at the top of the text that the warning is about, near its "
        "first Line, so that nobody who reads the text can miss it."
    )
    assert len(texts) == 2


@pytest.mark.parametrize("indent", [0, 18])
def test_a_right_column_opening_with_a_bold_sentence_is_read_after_the_left_one(indent):
    """On a page of two columns whose right one opens with a paragraph's bold first line, that line
    was taken for text above both columns and read first, before the left column's heading; it
    belongs to the right column, and to its paragraph."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
    )

    body, heading, title = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    width, height = A4
    frames = [
        Frame(50, 60, width / 2 - 60, height - 120, id="left"),
        Frame(width / 2 + 10, 60, width / 2 - 60, height - 120, id="right"),
    ]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    one = PageTemplate(id="one", frames=[Frame(50, 60, width - 100, height - 120)])
    template.addPageTemplates([one, PageTemplate(id="two", frames=frames)])
    # the heading opens the left column, level with the right column's bold first line
    story = [Paragraph("Joining Up (fictional)", title), Paragraph(filler * 2, body)]
    story += [NextPageTemplate("two"), PageBreak()]
    story += [Paragraph("Information Sharing Between Agencies", heading), Paragraph(filler * 5, body), FrameBreak()]
    opening = "<b>Unattended automated referrals are an attack</b> on the service and its staff. "
    indented = ParagraphStyle("i", parent=body, firstLineIndent=indent)  # a first line indented, or not
    story += [Paragraph(opening + filler * 3, indented)]
    story += [Paragraph(filler * 4, body)]
    template.build(story)
    document = parse(out.getvalue(), "columns.pdf")
    assert [s.heading for s in document.walk()][1:] == ["Information Sharing Between Agencies"]
    section = next(s for s in document.walk() if s.heading == "Information Sharing Between Agencies")
    texts = [p.text for p in section.paragraphs]
    assert texts[0].startswith("Practitioners in Eastmere")
    assert texts[1].startswith("Unattended automated referrals are an attack on the service and its staff. Practition")


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.exists("/proc/self/statm"), reason="the cap needs Linux")
@pytest.mark.parametrize(
    "memory, limit, said",
    [
        # an allowance too small for pdfium itself: the library is loaded before the worker starts,
        # so the worker fails reading, not loading it ("failed to map segment", an internal error)
        ("1000", None, r"more than 1,000 bytes of memory .* set WTCOMPARE_PDF_MEMORY"),
        # a lower limit the user set decides, and the message says which to raise
        (
            "8000000000",
            300 * 2**20,
            r"more than 2\d\d MB of memory .* raise the memory limit this process runs under",
        ),
    ],
)
def test_the_memory_a_pdf_may_take_is_said_as_it_was(tmp_path, memory, limit, said):
    """In a new process (whose PDF library is not loaded yet), with ``WTCOMPARE_PDF_MEMORY`` and
    the user's own address-space limit (300 MB more than the process has mapped)."""
    import subprocess
    import sys
    import textwrap

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_one_page_pdf(b"Words of a page.", 1 if limit is None else 600))
    script = textwrap.dedent(
        f"""
        import resource
        from wtcompare.errors import WtcompareError
        from wtcompare.load import parse
        if {limit!r}:  # the user's limit: this much more than the process has mapped now
            mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
            resource.setrlimit(resource.RLIMIT_AS, (mapped + {limit!r}, resource.getrlimit(resource.RLIMIT_AS)[1]))
        try:
            parse(open({str(bomb)!r}, "rb").read(), "bomb.pdf")
        except WtcompareError as error:
            print(error)
        """
    )
    env = {**os.environ, "WTCOMPARE_PDF_MEMORY": memory, "WTCOMPARE_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert re.search(r"^bomb\.pdf: reading it took " + said, done.stdout), (done.stdout, done.stderr[-2000:])


def test_a_masthead_level_with_the_columns_head_stays_above_them():
    """A title in larger type on the left, level with a smaller line set to the right margin just
    above two columns ("Annual report 2023"): the right line is no head of the right column that
    would leave the title read after both columns (a review found the title an empty heading at
    the page's end)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    body, _, _ = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    width, height = A4

    def masthead(canvas, _doc):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(50, height - 70, "Eastmere Safeguarding Partnership")
        canvas.setFont("Helvetica", 10)
        canvas.drawRightString(width - 50, height - 70, "Annual report 2023")

    frames = [Frame(50, 60, width / 2 - 60, height - 140), Frame(width / 2 + 10, 60, width / 2 - 60, height - 140)]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    template.addPageTemplates([PageTemplate(id="two", frames=frames, onPage=masthead)])
    template.build([Paragraph(filler * 8, body), FrameBreak(), Paragraph(filler * 6, body)])
    document = parse(out.getvalue(), "masthead.pdf")
    headings = [s.heading for s in document.walk()]
    assert headings[0].startswith("Eastmere Safeguarding Partnership") and len(headings) == 1


def test_a_plain_line_close_above_the_right_column_is_no_head_of_it():
    """A page's masthead in small plain type at the right column's edge, close above the columns
    ("Annual report 2023"), is read above both columns, not made the right column's first heading
    (a review found the column's text put under it)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    body, heading, _ = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    width, height = A4

    def masthead(canvas, _doc):
        canvas.setFont("Helvetica", 9)
        canvas.drawString(width / 2 + 10, height - 55, "Annual report 2023")

    frames = [Frame(50, 60, width / 2 - 60, height - 120), Frame(width / 2 + 10, 60, width / 2 - 60, height - 120)]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    template.addPageTemplates([PageTemplate(id="two", frames=frames, onPage=masthead)])
    story = [Paragraph("Working together", heading), Paragraph(filler * 8, body), FrameBreak()]
    template.build(story + [Paragraph(filler * 6, body)])
    headings = [s.heading for s in parse(out.getvalue(), "masthead.pdf").walk()]
    assert "Annual report 2023" not in headings and len(headings) == 1


def test_a_pdf_of_many_one_line_paragraphs_keeps_them_apart():
    """The line spacing is measured below lines that wrap: in a text of many one-line paragraphs
    (version numbers, short notes) the gaps between paragraphs outnumber those inside them, and
    the median of all gaps took the paragraph gap for the leading, running every paragraph into
    the next."""
    w = Writer()
    w.new_page()
    w.heading("Deprecations", 16)
    expected = []
    for k in range(12):
        w.paragraph(None, f"Version {k + 1} notice.")
        expected.append(f"Version {k + 1} notice.")
        if k % 4 == 0:
            text = " ".join([f"Paragraph {k} explains at length what changed in this release and why."] * 3)
            w.paragraph(None, text)
            expected.append(text)
    doc = parse(w.finish(), "versions.pdf")
    assert [p.text for s in doc.walk() for p in s.paragraphs] == expected


def test_sections_headed_in_the_bodys_bold_stay_top_level_after_a_cover_in_larger_type():
    """A cover's title and subtitle set large do not make sections headed in the body's own bold
    their subsections (a rule tried for bold questions, taken back after a review found this)."""
    w = Writer()
    w.new_page(furniture=False)
    w.heading("Keeping Children Safe Locally", 24)
    w.heading("Multi-agency safeguarding arrangements", 16)
    w.paragraph(None, "Published by the Example Safeguarding Partnership, December 2023.")
    for title in ("Introduction", "Early help", "Assessment", "Child protection"):
        w.heading(title, 10.5)
        w.paragraph(None, f"{title} is set out here. Practitioners should read this section in full before acting.")
    doc = parse(w.finish(), "arrangements.pdf")
    assert [s.heading for s in doc.sections][-4:] == ["Introduction", "Early help", "Assessment", "Child protection"]


def test_a_page_of_typescript_loads():
    """A page whose body-size text is all in fixed-pitch type (a typed letter, a scan's hidden text)
    has no column edge to measure its line spacing by: it loads (it raised KeyError)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595, 842))
    y = 780
    for line in [
        "1.1 Local authorities should work with their partners to safeguard",
        "children and promote their welfare in every area.",
        "",
        "1.2 Safeguarding partners must publish their arrangements and review",
        "them every year, with the help of relevant agencies in the area.",
    ]:
        c.setFont("Courier", 10)
        c.drawString(72, y, line)
        y -= 12
    c.showPage()
    c.save()
    doc = parse(buffer.getvalue(), "typed.pdf")
    assert "safeguard children" in " ".join(p.text for p in doc.paragraphs()).replace("\n", " ")


def test_a_bold_question_wrapped_over_two_lines_is_a_heading():
    """A question in bold a size up from the body is a heading on two lines as on one; in the
    body's own size, two lines in bold are a paragraph set in bold (a question one line long is
    still a heading: guidance sets its lesser headings so)."""
    from pdfmaker import LEFT

    w = Writer()
    w.new_page()
    w.heading("Guidance on questions", 20)
    body = "Text explains what the answer covers, for anyone reading it."
    w.paragraph(None, body)
    w.heading("Questions from managers", 16)
    asked = "What happens once a parent agrees? Does it mean the plan changes if they sign the"
    for question, size in (
        (["Is the service safe?"], 11.5),
        (
            ["How does the service compare with the hosted products that other councils", "run for their own staff?"],
            11.5,
        ),
        ([asked, "wrong form?"], 10.5),
        (["Who else uses it?"], 11.5),
    ):
        for line in question:
            w.text(LEFT, line, size, "Helvetica-Bold")
        w.y -= 8
        w.paragraph(None, body)
    doc = parse(w.finish(), "questions.pdf")
    assert [s.heading for s in doc.walk()] == [
        "Guidance on questions",
        "Questions from managers",
        "Is the service safe?",
        "How does the service compare with the hosted products that other councils run for their own staff?",
        "Who else uses it?",
    ]
    assert f"{asked} wrong form?" in [p.text for p in doc.paragraphs()]


def test_a_long_table_does_not_set_the_line_spacing_of_the_text():
    """The line spacing is measured below lines that run across their column, from its margin to
    its edge: the wrapped last cells of a long table, set tighter than the text, do not count (they
    had the text's every line read as a paragraph of its own)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    text = ParagraphStyle("text", fontName="Helvetica", fontSize=10.5, leading=15, spaceAfter=4)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=10.5, leading=12.6)
    paragraphs = [
        f"Paragraph {k} sets out what the local arrangements require of every agency that works with children, "
        "and how the partners will know that the arrangements work." * 1
        for k in range(10)
    ]
    rows = [
        [Paragraph(f"Agency {k}", cell), Paragraph("Named lead", cell), Paragraph(" ".join(["duty"] * 30), cell)]
        for k in range(40)
    ]
    table = Table(rows, colWidths=[100, 110, 241])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build([Paragraph(p, text) for p in paragraphs] + [table])
    doc = parse(buffer.getvalue(), "arrangements.pdf")
    assert [p.text for p in doc.paragraphs() if p.text.startswith("Paragraph")] == paragraphs


def test_a_short_pdf_of_hanging_numbers_and_lists_keeps_its_one_line_paragraphs_apart():
    """A page of numbered paragraphs with hanging numbers and an indented list has too few lines
    across its column from the margin to measure the line spacing by: the lines reaching the edge
    measure it (all the gaps together took the paragraphs' gaps for the leading and ran the short
    paragraphs at the end into one). Invented text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    def style(after, **kw):
        return ParagraphStyle("s", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=after, **kw)

    numbered = style(6, leftIndent=36, bulletIndent=0, bulletFontName="Helvetica", bulletFontSize=11)
    listed = style(4, leftIndent=54, bulletIndent=36, bulletFontName="Helvetica", bulletFontSize=11)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=8, spaceBefore=10)
    texts = [
        "Partners in the area should agree their arrangements and publish them, saying how they will work "
        "together and with other agencies to keep children safe, and how each will answer to the others.",
        "The lead partners are the council's chief executive, the chief constable and the head of the health "
        "board, and each shares the same responsibility for how the arrangements work.",
        "Those the lead partners name to act for them should be senior enough to speak for their agency, to commit "
        "it to decisions and to make sure that the decisions are carried out.",
    ]
    items = ["the council", "the police", "the health board", "schools and colleges", "health providers", "probation"]
    flow = [Paragraph("Chapter 2: What the partners do", heading)]
    for k, text in enumerate(texts, 1):
        flow.append(Paragraph(text, numbered, bulletText=f"2.{k}"))
        if k == 2:
            flow += [Paragraph(item, listed, bulletText="\u2022") for item in items]
    short = ["Partners should review the arrangements every year.", "Their report should be published."]
    flow.append(Paragraph(short[0], numbered, bulletText="2.4"))
    flow += [Paragraph(text, style(6)) for text in short[1:] + ["It should say what the partners have done."]]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(flow)
    paragraphs = [p.text for p in parse(buffer.getvalue(), "extract.pdf").paragraphs()]
    assert paragraphs[-3:] == short + ["It should say what the partners have done."]


def test_a_justified_line_whose_spaces_are_as_wide_as_a_gutter_stays_one_line():
    """Long words that cannot break leave a justified line of a few words with spaces as wide as
    a column's gutter ("REGISTER::NAME::Strict-Orders-Set      and      REGISTER::NAME::..."): its
    spaces are all as wide as each other, so it is one line of its paragraph, not two columns'
    (split, its first name in bold was read as a heading and "and" as a paragraph of its own).
    Two columns on one baseline are still read apart
    (`test_two_columns_are_read_in_order_and_table_rows_kept`). Invented text."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from wtcompare.load.pdf import pdf_lines

    body, heading, _ = _styles()
    justified = ParagraphStyle("j", parent=body, alignment=TA_JUSTIFY)
    names = "<b>REGISTER::NAME::Strict-Orders-Set</b> and <b>REGISTER::NAME::Preferred-Sorting-Set</b>"
    sentence = (
        f"{names} respectively set the options Strict-Ordering and Preferred-Sorting for one register only, "
        "where NAME is the name of the register the option should apply to."
    )
    data = _story_pdf([Paragraph("Options", heading), Paragraph(sentence, justified)])
    lines = [line.text for line in pdf_lines(data, "options.pdf").lines if line.text]
    assert lines[1] == re.sub(r"</?b>", "", names)  # (its two spaces about 2.7 type sizes wide)
    document = parse(data, "options.pdf")
    assert [s.heading for s in document.walk()] == ["Options"]
    assert [p.text for p in document.paragraphs()] == [re.sub(r"</?b>", "", sentence)]


def test_a_title_wrapped_over_two_lines_is_one_title():
    """A title set in one type over two lines ("How to follow up on a" + "report") is one title,
    not a title and a subtitle; a numbered line in the body's type above a larger heading is no
    title ("1. Scope" heads chapter 1, as in plain text), and the heading under it heads a section
    of its own, where both were run into the title."""
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    filler = "The committee reads every report it is sent and answers the one who sent it within a week. "
    wrapped = _story_pdf(
        [
            Paragraph("Code of conduct: how to follow up on a report of conduct", title),
            Paragraph(filler * 3, body),
            Paragraph("Who reads a report", heading),
            Paragraph(filler * 3, body),
        ],
        leftMargin=150,
        rightMargin=150,
    )
    document = parse(wrapped, "wrapped.pdf")
    assert document.title == "Code of conduct: how to follow up on a report of conduct"
    assert [s.heading for s in document.walk()] == [document.title, "Who reads a report"]

    numbered = _story_pdf(
        [
            Paragraph("1. Scope", body),
            Paragraph("Following up on a report", title),
            Paragraph("2. " + filler * 3, body),
            Paragraph("Who reads a report", heading),
            Paragraph("3. " + filler * 3, body),
        ]
    )
    document = parse(numbered, "numbered.pdf")
    assert document.title is None
    assert [s.heading for s in document.walk()] == ["Scope", "Following up on a report", "Who reads a report"]
    assert [p.number for p in document.paragraphs()] == ["2", "3"]


def test_a_right_column_of_list_items_measures_indents_as_the_left_one():
    """Two justified columns, the right one holding only list items (an item running over from
    the left column, then more): its bullets are not its margin. Measured from them, the run-over
    lines were less indented than the item's lines in the left column, and the item was cut in
    two at the second of them ("... build them in" | "Python 3.12 or later;")."""
    left = [
        (0, "The reasons for the change are these, each of them"),
        (0, "taken in turn:"),
        (12, "\u2022 the tools create extensions that only"),
        (20, "the interpreter can use, which limits what"),
        (20, "compiled code can do;"),
        (12, "\u2022 the tools rely on a build system that is"),
        (20, "being taken out of the language's library"),
        (20, "when the next release of it comes out, which"),
    ]
    right = [
        (20, "leaves the tools with no way to build them in"),
        (20, "Python 3.12 or later;"),
        (12, "\u2022 the chain of tools is limited in what it"),
        (20, "can do, and it has many open problems;"),
        (12, "\u2022 the number of users is small, as a public"),
        (20, "meeting found in the course of last year;"),
        (12, "\u2022 the project would rather build a new"),
        (20, "compiler than keep this one."),
    ]

    def draw(c):
        for column, lines in ((72, left), (320, right)):
            for k, (indent, text) in enumerate(lines):
                line = c.beginText(column + indent, 700 - 14 * k)
                line.setFont("Helvetica", 10.5)
                ends = text.endswith((":", ";", ".")) and not (column == 72 and k == len(lines) - 1)
                if not ends:  # justified to the column's edge, 220 points from its margin
                    words = text.split()
                    line.setWordSpace((220 - indent - c.stringWidth(text, "Helvetica", 10.5)) / (len(words) - 1))
                line.textLine(text)
                c.drawText(line)

    texts = [p.text for p in parse(_page(draw), "columns.pdf").paragraphs()]
    assert len(texts) == 1 and texts[0].count("\n- ") == 5, texts
    assert "comes out, which leaves the tools with no way to build them in Python 3.12 or later;\n- the" in texts[0]


def test_numbered_headings_under_the_title_are_headings_found():
    """Sections numbered "1.1", "1.2" under a title open no chapter: they are the front section's
    children ("front/1.1"), and were taken for no headings at all, with a warning saying so."""
    from reportlab.platypus import Paragraph

    body, heading, title = _styles()
    filler = "The controller and its engines talk over connections that each side checks. "
    pdf = _story_pdf(
        [
            Paragraph("Security details of the cluster", title),
            Paragraph(filler * 3, body),
            Paragraph("1.1 Process and network topology", heading),
            Paragraph(filler * 3, body),
            Paragraph("1.2 Application logic", heading),
            Paragraph(filler * 3, body),
        ]
    )
    document = parse(pdf, "security.pdf")
    assert [s.id for s in document.walk()] == ["front", "front/1.1", "front/1.2"]
    assert document.warnings == []


def test_numbered_paragraphs_in_justified_columns_of_two_widths_stay_apart():
    """Review case: justified columns, the right one narrower, numbered paragraphs with no space
    between them, paragraph 5 running over. The right column's margin moved by the difference of
    the columns' edges would indent its text, and "6.", "7." ... ran on into paragraph 5: only a
    right column of bulleted items alone is measured from the left one's margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    sentences = [
        "Everyone who comes into contact with children in the area has a part to play in keeping them safe.",
        "Practitioners should record what the child said in the child's own words and share concerns promptly.",
        "The designated safeguarding lead keeps written records of every concern and the action taken.",
    ]

    def wrap(text, width):
        lines, line = [], ""
        for word in text.split():
            if stringWidth(f"{line} {word}".strip(), "Helvetica", 10) <= width:
                line = f"{line} {word}".strip()
            else:
                lines.append(line)
                line = word
        return [*lines, line]

    def paragraph(k, width):
        wrapped = wrap(f"{k}. " + " ".join(sentences[(k + i) % 3] for i in range(2)), width)
        return [(text, i == len(wrapped) - 1) for i, text in enumerate(wrapped)]

    left_width, right_width = 235, 225
    left = [line for k in range(1, 5) for line in paragraph(k, left_width)]
    five = wrap("5. " + " ".join(sentences), left_width)
    left += [(text, False) for text in five[:3]]
    rest = wrap(" ".join(five[3:]), right_width)
    right = [(text, i == len(rest) - 1) for i, text in enumerate(rest)]
    right += [line for k in range(6, 10) for line in paragraph(k, right_width)]

    def draw(c):
        c.setFont("Helvetica-Bold", 18)
        c.drawString(50, 790, "Safeguarding Partnership")
        for x, width, lines in ((50, left_width, left), (310, right_width, right)):
            for k, (text, last) in enumerate(lines):
                line = c.beginText(x, 735 - 13 * k)
                line.setFont("Helvetica", 10)
                if not last:
                    line.setWordSpace((width - stringWidth(text, "Helvetica", 10)) / (len(text.split()) - 1))
                line.textLine(text)
                c.drawText(line)

    numbers = [p.number for p in parse(_page(draw), "columns.pdf").paragraphs()]
    assert numbers == [str(k) for k in range(1, 10)]


@pytest.mark.parametrize(
    "cover, title",
    [
        (
            "Keeping Learners Safe<br/>Statutory guidance for schools",
            "Keeping Learners Safe \u2014 Statutory guidance for schools",
        ),
        ("Child Protection Policy<br/>September 2024", "Child Protection Policy \u2014 September 2024"),
        ("Safeguarding<br/>and child protection<br/>policy", "Safeguarding and child protection policy"),
    ],
)
def test_a_subtitle_in_the_title_s_type_stays_a_subtitle(cover, title):
    """Review cases: a line under the title in its own type is a subtitle or a date unless the
    title had to wrap to reach it (it opens in lower case, or its first word would not have
    fitted on the line above)."""
    from reportlab.platypus import Paragraph

    body, heading, big = _styles()
    text = "Practitioners should record what the child said in the child's own words and share concerns. " * 3
    pdf = _story_pdf(
        [Paragraph(cover, big), Paragraph(text, body), Paragraph("Introduction", heading), Paragraph(text, body)]
    )
    assert parse(pdf, "cover.pdf").title == title


@pytest.mark.parametrize("producer", ["Skia/PDF m156", "ReportLab PDF Library - www.reportlab.com"])
def test_a_browser_s_pdf_keeps_every_hyphen_at_a_line_s_end_and_joins_what_it_broke(producer):
    """A browser (its PDF's producer "Skia/PDF ...") breaks lines after a word's own hyphens, and
    after an equals sign in a call, but never hyphenates a word: "charset-" + "normalizer", "pre-" +
    "determined" (though "predetermined" is spelled elsewhere), "-v/--" + "verbose" and "verify=" +
    "<ssl_context>" are one token each; a spaced dash or operator at a line's end stays spaced ("numpy
    <=" + "2.0.0", from PlasmaPy's coding guide in the bench). Another
    producer's break is read as before, from the document's words (the sixteenth audit's Chromium
    PDFs)."""
    w = Writer()
    w.new_page()
    w.heading("Changes to the fictional register", 16)
    for line in (
        "The register no longer falls back to charset-",
        "normalizer for detection; the order is pre-",
        "determined by the schema. Pass verify=",
        "<ssl_context> to check the host, and -v/--",
        "verbose to see each field read. Ask the parents -",
        "they know the child best. Pin numpy <=",
        "2.0.0 until then. Tell the parents--",
        "they asked. Build it (--",
        "with-db=db) or pass --",
        "disable-setuid, and ask them --",
        "they know (-",
        "Wd shows it).",
    ):
        w.text(72, line)
    w.y -= 8
    w.text(72, "The order is predetermined, and the verify argument is deprecated.")
    w.canvas.setProducer(producer)
    doc = parse(w.finish(), "changes.pdf")
    text = [p.text for s in doc.walk() for p in s.paragraphs][0]
    if producer.startswith("Skia/PDF"):
        assert text == (
            "The register no longer falls back to charset-normalizer for detection; the order is "
            "pre-determined by the schema. Pass verify=<ssl_context> to check the host, and "
            "-v/--verbose to see each field read. Ask the parents - they know the child best. Pin numpy "
            "<= 2.0.0 until then. Tell the parents--they asked. Build it (--with-db=db) or pass "
            "--disable-setuid, and ask them -- they know (-Wd shows it)."
        )
    else:
        assert "order is predetermined by" in text and "verify= <ssl_context>" in text


@pytest.mark.parametrize("producer", ["Skia/PDF m156", "Microsoft\u00ae Word for Microsoft 365"])
def test_a_line_broken_after_a_dash_set_close_to_a_word_joins_the_next_without_a_space(producer):
    """A browser or a word processor breaks a line after an en or em dash set close to the word
    before it ("MusicBrainz\u2014" + "so", in beets' FAQ in the bench; "2010\u2013" + "2013"): the dash was
    set close to the word after it as well, and the two join without a space, as the HTML of the
    same text reads. A dash spaced from the word before it stays spaced ("parents \u2013" + "they")."""
    w = Writer()
    w.new_page()
    w.heading("Notes on the fictional register", 16)
    for line in (
        "Anyone can edit the register\u2014",
        "so consider adding the data yourself. The editions of 2010\u2013",
        "2013 differ; ask the parents \u2013",
        "they know the child best, and the parent\u2013",
        "child relationship comes first (see 2.1)\u2014",
        "so act on it.",
    ):
        w.text(72, line)
    w.canvas.setProducer(producer)
    doc = parse(w.finish(), "notes.pdf")
    assert [p.text for s in doc.walk() for p in s.paragraphs] == [
        "Anyone can edit the register\u2014so consider adding the data yourself. The editions of 2010\u20132013 "
        "differ; ask the parents \u2013 they know the child best, and the parent\u2013child relationship comes first "
        "(see 2.1)\u2014so act on it."
    ]


def test_a_browser_s_pdf_leaves_a_form_s_rules_of_dashes_apart():
    """ "Signed: ----------" + "Date: --/--/----" on a form printed by a browser: a rule of three
    hyphens or more at a line's end is a blank to fill in, not a word's hyphen (a review's form)."""
    w = Writer()
    w.new_page()
    w.heading("Consent form (fictional)", 16)
    for line in ("Signed: ------------------", "Date: --/--/----", "Relationship to the child: ------"):
        w.text(72, line)
    w.canvas.setProducer("Skia/PDF m156")
    doc = parse(w.finish(), "form.pdf")
    text = [p.text for s in doc.walk() for p in s.paragraphs][0]
    assert text == "Signed: ------------------ Date: --/--/---- Relationship to the child: ------"


def test_a_pdf_whose_producer_cannot_be_decoded_loads_as_any_other(monkeypatch):
    """A producer string pdfium hands back as malformed UTF-16 is no producer: the PDF loads, its
    line-end hyphens read as any PDF's."""
    import pypdfium2

    def malformed(self, key):
        raise UnicodeDecodeError("utf-16-le", b"\x00\xd8", 0, 2, "illegal UTF-16 surrogate")

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_metadata_value", malformed)
    w = Writer()
    w.new_page()
    w.heading("Changes to the fictional register", 16)
    w.text(72, "Pass verify=")
    w.text(72, "<ssl_context> to check the host.")
    w.canvas.setProducer("Skia/PDF m156")
    doc = parse(w.finish(), "odd.pdf")
    assert [p.text for s in doc.walk() for p in s.paragraphs] == ["Pass verify= <ssl_context> to check the host."]


@pytest.mark.parametrize("size", [11, 10.5])
def test_a_long_line_set_apart_in_bold_a_size_up_is_a_heading(size):
    """A lesser heading of fourteen words, on one line in bold a size up from the body's (10 pt),
    was read as a paragraph: too long for a line in the body's type (audit 20: a Markdown "###"
    question in both PDFs). In the body's size and weight the same line stays a paragraph's, and a
    sentence or a callout in bold a size up stays a paragraph: only a question may run so long
    (a review of invented guidance found long bold statements to be callouts, captions and lead-ins)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    body, heading, _ = _styles()
    lesser = ParagraphStyle("l", fontName="Helvetica-Bold", fontSize=size, leading=14, spaceBefore=8, spaceAfter=4)
    filler = "The team keeps a changelog of every release and reviews each entry before it is merged. "
    question = "How do I know what to call the changelog file before I create the PR?"
    sentence = "Each entry of the changelog is written in the past tense by the author."
    callout = "If you think a child is in danger now call the police on 999 at once and say so"
    pdf = _story_pdf(
        [
            Paragraph("Changelog", heading),
            Paragraph(filler * 3, body),
            Paragraph(question, lesser),
            Paragraph(filler * 3, body),
            Paragraph(sentence, lesser),
            Paragraph(filler * 3, body),
            Paragraph(callout, lesser),
            Paragraph(filler * 3, body),
            Paragraph(question, body),
            Paragraph(filler * 3, body),
        ]
    )
    document = parse(pdf, "lesser.pdf")
    assert [s.heading for s in document.walk()] == ["Changelog", question]
    texts = [p.text for p in document.paragraphs()]
    assert sentence in texts and callout in texts and question in texts
    from wtcompare.headings import not_a_heading

    # the question's length is allowed by its type: in plain text, or in bold of the body's size, it is too long
    assert not not_a_heading(question, 1, 1.1, True)
    assert not_a_heading(question, 1, None, False) and not_a_heading(question, 1, 1.0, True)


def _list_with_small_bullets() -> bytes:
    """A list as LaTeX sets it: each bullet a symbol in smaller type (8 points before a line of
    10), the item's text wrapping onto a second line at the text's indent."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "There are two important requirements for the way the partnership works:")
    y = 740
    for first, second in (
        ("Agencies must be able to share information with each other when a child moves, to add", "new"),
        ("Parents must be told what is shared and why, in writing, and be able to see it in their", "own"),
    ):
        c.setFont("Helvetica", 8)
        c.drawString(84, y + 1, "\u2022")
        c.setFont("Helvetica", 10)
        c.drawString(96, y, first)
        c.drawString(96, y - 13, f"{second} information about the family and the plan as it changes.")
        y -= 30
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_a_bullet_in_smaller_type_does_not_set_its_item_apart_from_the_next_line():
    """A line's type is read from its first letter: read from the bullet, an item's first line
    looked two points smaller than its second, which then started a block of its own (a LaTeX PDF
    of a real specification, shared-mime-info's, broke every wrapped item so)."""
    document = parse(_list_with_small_bullets(), "list.pdf")
    texts = [p.text for s in document.sections for p in s.paragraphs]
    assert len(texts) == 1, texts
    items = texts[0].split("\n")[1:]
    assert [i[:12] for i in items] == ["- Agencies m", "- Parents mu"], texts
    assert all(i.endswith("the plan as it changes.") for i in items), texts


def _chapter_headed_pages() -> bytes:
    """Six pages whose running header names the chapter and ends in the page number, as a book
    typeset with LaTeX or Texinfo has it ("Chapter 2: Sharing information 5"); the first page of
    each chapter carries the number alone."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    body = "Agencies should share what they know about a child promptly and record why they shared it."
    chapters = ["1: Working with families"] * 3 + ["2: Sharing information"] * 3
    for page, chapter in enumerate(chapters, start=1):
        first = page in (1, 4)
        c.setFont("Helvetica", 10)
        c.drawString(72, 800, str(page) if first else f"Chapter {chapter} {page}")
        if first:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(72, 740, f"{chapter.split(': ')[1]}")
        c.setFont("Helvetica", 10)
        for k in range(12):
            c.drawString(72, 700 - 40 * k, f"{k + 1}. {body}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def test_a_running_header_carrying_the_page_number_is_furniture():
    document = parse(_chapter_headed_pages(), "book.pdf")
    headings = [s.heading for s in document.sections]
    texts = [p.text for s in document.sections for p in s.paragraphs]
    assert headings == ["Working with families", "Sharing information"], headings
    assert not any("Chapter" in t for t in texts), [t for t in texts if "Chapter" in t]


def test_a_line_that_ends_in_its_page_s_number_but_recurs_nowhere_is_kept():
    """A heading at the top of page 2 numbered 2, a footnote numbered 3 at the foot of page 3 and a
    last line ending in 4 on page 4, its sentence going on over the page, are the page's text, not
    running headers or footers (a review's cases)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    sentence = "Agencies should share what they know about a child promptly and record why they shared it."
    for page in range(1, 6):
        if page == 2:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(72, 790, "2 Sharing information")
        c.setFont("Helvetica", 10)
        lines = [sentence[:47], sentence[47:] + " Agencies"] * 20
        if page == 4:  # a sentence running on to the next page, its last line in the foot margin
            lines = lines[:52] + ["should check that the plan is reviewed every 4"]
        if page == 5:
            lines = ["weeks by the chair of the conference."] + lines[:20]
        for k, line in enumerate(lines):
            c.drawString(72, 740 - 13 * k, line)
        if page == 3:
            c.setFont("Helvetica", 7)
            c.drawString(72, 40, "3 Children Act 1989, section 17.")
        c.showPage()
    c.save()
    document = parse(buffer.getvalue(), "guide.pdf")
    texts = [p.text for s in document.sections for p in s.paragraphs]
    notes = [n for s in document.sections for p in s.paragraphs for n in p.footnotes]
    assert "Sharing information" in [s.heading for s in document.sections]
    assert any("reviewed every 4 weeks by the chair" in t for t in texts), [t[-80:] for t in texts]
    assert any("Children Act 1989" in n for n in notes), notes


def test_tex_typewriter_fonts_are_code_by_their_name():
    """TeX's CMTT10 does not flag itself fixed-pitch: its name says it is (a Texinfo manual's
    examples, "BEGIN" and "END" alone on their lines, were read as headings)."""
    import os

    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    # a proportional font (Bitstream Vera, shipped with reportlab), renamed in the PDF after a
    # typewriter font of TeX's (the same length, so that no offset moves): only the name says "code"
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "The definitions must follow the syntax below:")
    c.setFont("Vera", 10)
    for k, line in enumerate(["DEFINITIONS EXPLICIT TAGS ::=", "BEGIN", "Group ::= SEQUENCE { id INTEGER }", "END"]):
        c.drawString(90, 735 - 13 * k, line)
    c.setFont("Helvetica", 10)
    c.drawString(72, 670, "The notation to access the group type is shown above.")
    c.showPage()
    c.save()
    data = buffer.getvalue()
    assert data.count(b"BitstreamVeraSans-Roman") == 2
    document = parse(data.replace(b"BitstreamVeraSans-Roman", b"CMTT10-TypewriterRomanX"), "manual.pdf")
    paragraphs = [p for s in document.sections for p in s.paragraphs]
    assert [s.heading for s in document.sections if s.heading in ("BEGIN", "END")] == []
    assert [p.code for p in paragraphs] == [False, True, False], [(p.code, p.text) for p in paragraphs]


def test_small_print_at_a_page_foot_is_never_lost_and_notes_keep_their_own_numbers():
    """A table set small at a page foot, whose lines open with the same number (a DocBook
    specification's "4 CARD32 ..." rows), was read as notes of one number, all but the first of
    which were dropped with every word of them. Notes numbered afresh on a page (a chapter's
    first, 1, after another's 14 and 15) stay notes of their own, each with its paragraph."""
    w = Writer()
    w.new_page()
    w.heading("Chapter 1: Reviews", 18)
    w.paragraph("1.0", FILL * 2)
    w.paragraph("1.1", "Each review is planned with the family14 and the school.15")
    w.paragraph("1.2", "Every plan is written down with the parents.1")
    w.footnote("14 Family here means parents and carers.")
    w.footnote("15 The review takes twelve months in all.")
    w.footnote("1 Parents here means those with parental responsibility.")
    w.new_page()
    w.heading("Chapter 2: Cache", 18)
    w.paragraph("2.0", FILL * 2)
    w.paragraph("2.1", "The cache file holds a header and these lists:")
    for row in ("4 CARD32 N_ALIASES", "4 CARD32 ALIAS_OFFSET", "4 CARD32 MIME_TYPE_OFFSET"):
        w.footnote(row)
    w.new_page()  # three pages or more, so that a page's foot is told from its running footer by recurring
    w.heading("Chapter 3: Close", 18)
    w.paragraph("3.1", FILL * 2)
    document = parse(w.finish(), "test.pdf")
    review, plan = paragraph(document, "1.1"), paragraph(document, "1.2")
    assert review.footnotes == ["Family here means parents and carers.", "The review takes twelve months in all."]
    assert plan.text.endswith("parents.") and plan.footnotes == [
        "Parents here means those with parental responsibility."
    ]
    text = " ".join(p.text + " " + " ".join(p.footnotes) for p in document.paragraphs())
    for word in ("N_ALIASES", "ALIAS_OFFSET", "MIME_TYPE_OFFSET"):
        assert word in text


def test_endnotes_over_two_pages_are_cited_by_the_page_each_is_printed_on():
    """Notes gathered at the end (as a browser prints an HTML page's footnotes) all took the page
    of the first; the third, printed on the next page, is cited by that page."""
    from pdfmaker import LEFT

    from wtcompare.lexicon import load_lexicon
    from wtcompare.scan import scan

    w = Writer()
    w.new_page()
    w.heading("Chapter 1: Reviews", 18)
    w.paragraph("1.1", FILL * 2)
    w.new_page()
    w.heading("Chapter 2: Plans", 18)
    w.paragraph(
        "2.1", FILL * 2 + " Each plan is agreed with the family.1 Each plan is reviewed.2 Each plan is shared.3"
    )
    w.text(LEFT, "1 Family here means parents and carers.", 8)
    w.text(LEFT, "2 Reviews happen every term.", 8)
    w.new_page()
    w.text(LEFT, "3 Sharing follows the orchard protocol.", 8)
    document = parse(w.finish(), "test.pdf")
    plan = paragraph(document, "2.1")
    assert plan.footnotes[2] == "Sharing follows the orchard protocol." and plan.footnote_pages == ["2", "2", "3"]
    kwic = scan([document], load_lexicon(), ["orchard", "carers"]).kwic
    adhoc = kwic[kwic.category == "adhoc"]
    assert list(zip(adhoc.match, adhoc.page, strict=True)) == [("carers", "2"), ("orchard", "3")]


@pytest.mark.parametrize("heading_side", ["left", "right"])
def test_a_heading_beside_the_first_lines_of_its_text_at_a_page_foot_is_read_whole_in_column_order(heading_side):
    """Two columns starting at a page's foot (Chromium printing a section set in CSS columns) with
    a heading on one side and three lines of running text on the other: too few lines for two
    columns of running text, they were read across the page, the heading's two lines taken for two
    headings between the text's lines, and the paragraph cut in three. The heading is read whole,
    before the text beside it when it stands in the left column, after it in the right one."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate, Paragraph

    body, heading, title = _styles()
    filler = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. "
    width, height = A4
    half = width / 2 - 60
    foot = [
        Frame(50, 150, width - 100, height - 210, id="main"),
        Frame(50, 60, half, 80, id="left"),
        Frame(width / 2 + 10, 60, half, 80, id="right"),
    ]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    one = PageTemplate(id="one", frames=[Frame(50, 60, width - 100, height - 120)])
    template.addPageTemplates([PageTemplate(id="foot", frames=foot), one])
    named = "Problems Reaching the Eastmere Referral Service"  # wraps to two lines in a column
    opening = "If you have trouble reaching the referral service then the problem is probably the hour you call. "
    story = [Paragraph("Joining Up (fictional)", title), Paragraph(filler * 4, body)]
    story += [FrameBreak(), NextPageTemplate("one")]
    if heading_side == "left":
        story += [Paragraph(named, heading), FrameBreak(), Paragraph(opening + filler * 6, body)]
        expected = [("Joining Up (fictional)", filler * 4), (named, opening + filler * 6)]
    else:
        ending = "The last words of the section before run to the foot of the left column here. " * 3
        # the heading alone at the foot of the right column, its text on the next page
        story += [Paragraph(ending, body), FrameBreak(), Paragraph(named, heading), FrameBreak()]
        story += [Paragraph(opening + filler * 6, body)]
        expected = [("Joining Up (fictional)", filler * 4 + ending), (named, opening + filler * 6)]
    template.build(story)
    document = parse(out.getvalue(), "foot.pdf")
    got = [(s.heading, " ".join(p.text for p in s.paragraphs)) for s in document.walk()]
    assert list(document.walk())[1].page == "1"  # the heading at the first page's foot
    assert got == [(h, " ".join(t.split())) for h, t in expected]


def _ladder_pdf(rungs: list[str], bullets: list[str]) -> bytes:
    """Numbered paragraphs 20 and 21 of a fictional procedure with a numbered list between them
    whose items each stand over bullets of their own, set as a word processor or browser sets
    them: the list's numbers indented a little, its bullets at the paragraphs' text."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    body = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6, alignment=TA_JUSTIFY)
    numbered = ParagraphStyle("p", parent=body, leftIndent=22, bulletIndent=0)
    item = ParagraphStyle("i", parent=body, leftIndent=22, bulletIndent=4, spaceAfter=3)
    nested = ParagraphStyle("n", parent=body, leftIndent=40, bulletIndent=22, spaceAfter=3)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=10, spaceAfter=5)
    filler = "The response team climbs the ladder one rung at a time, as each case needs, and records why. "
    story = [Paragraph("The ladder", heading), Paragraph(filler * 3, numbered, bulletText="20.")]
    for k, rung in enumerate(rungs, 1):
        story += [Paragraph(rung, item, bulletText=f"{k}.")]
        story += [Paragraph(text, nested, bulletText="\u2022") for text in bullets]
    story += [Paragraph(filler * 2, numbered, bulletText="21.")]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    frame = Frame(70, 70, A4[0] - 140, A4[1] - 140, leftPadding=0, rightPadding=0)
    template.addPageTemplates([PageTemplate(frames=[frame])])
    template.build(story)
    return out.getvalue()


@pytest.mark.parametrize(
    "bullets",
    [
        # bullets wrapped over two lines each, each its own block: "1. Warning" stood alone, and
        # was read as a numbered heading, its bullets as its section's text
        [
            "Event: a violation involving a single incident or a series of incidents over the months of the review.",
            "Consequence: a private warning in writing from the team, sent to the person within a week of its meeting.",
        ],
        # short bullets: paragraph 21's first line was read as the last bullet's, its second line a
        # paragraph without a number (the list's "3." was taken for the last paragraph number)
        ["Event: a single incident.", "Consequence: a private warning."],
    ],
)
def test_numbered_items_each_over_bullets_between_numbered_paragraphs_are_a_list(bullets):
    """Paragraphs numbered 20 and 21 with a numbered list between them, each item over bullets of
    its own, as HTML and Word nest them: each item is a paragraph numbered as the list numbers it,
    holding its bullets, and paragraph 21 is whole, with its number."""
    rungs = ["Warning", "Temporary suspension", "Permanent ban"]
    document = parse(_ladder_pdf(rungs, bullets), "ladder.pdf")
    assert [s.heading for s in document.walk()] == ["The ladder"]
    got = [(p.number, p.text) for p in document.paragraphs()]
    items = "\n".join(f"- {text}" for text in bullets)
    filler = "The response team climbs the ladder one rung at a time, as each case needs, and records why."
    assert got == [("20", " ".join([filler] * 3))] + [
        (str(k), f"{rung}\n{items}") for k, rung in enumerate(rungs, 1)
    ] + [("21", " ".join([filler] * 2))]


def test_a_table_of_bold_labels_beside_one_line_cells_keeps_each_label_with_its_cell():
    """A table of two columns either side of the middle, bold labels in the body's size beside
    one-line cells: the labels are no heading beside the first lines of a text (a review found the
    first version of that rule reading all four labels, then all four cells)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    body, heading, _ = _styles()
    bold = ParagraphStyle("bb", fontName="Helvetica-Bold", fontSize=10, leading=12)
    cell = ParagraphStyle("c", fontName="Helvetica", fontSize=10, leading=12)
    rows = [
        [Paragraph(f"Role {n} lead", bold), Paragraph(f"Writes to the family within one working day {n}.", cell)]
        for n in "ABCD"
    ]
    table = Table(rows, colWidths=[A4[0] / 2 - 50] * 2)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph("Roles of agencies", heading), Paragraph("Eastmere agencies share what they know. " * 6, body)]
    document = parse(_story_pdf(story + [table], leftMargin=50, rightMargin=50), "roles.pdf")
    texts = [f"{s.heading}: {' '.join(p.text for p in s.paragraphs)}" for s in document.walk()]
    assert texts[1:] == [f"Role {n} lead: Writes to the family within one working day {n}." for n in "ABCD"]


def test_a_caption_in_small_type_beside_a_paragraph_stays_apart_from_it():
    """A caption in smaller type on the left beside a paragraph on the right is no heading beside
    the first lines of a text: it stays a paragraph of its own (a review found the first version of
    that rule joining it to the text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    body, _, _ = _styles()
    caption = ParagraphStyle("cap", fontName="Helvetica-Oblique", fontSize=8, leading=10)
    width, height = A4
    half = width / 2 - 60
    full = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. " * 2
    frames = [
        Frame(50, 470, width - 100, height - 530),
        Frame(50, 300, half, 160),
        Frame(width / 2 + 10, 300, half, 160),
        Frame(50, 60, width - 100, 230),
    ]
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    template.addPageTemplates([PageTemplate(frames=frames)])
    board = "The fictional board reviews each referral within one working day. " * 5
    template.build(
        [Paragraph(full, body), FrameBreak(), Paragraph("Figure 2: The fictional pathway.", caption), FrameBreak()]
        + [Paragraph(board, body), FrameBreak(), Paragraph(full, body)]
    )
    texts = [p.text for p in parse(out.getvalue(), "caption.pdf").paragraphs()]
    assert texts == [full.strip(), "Figure 2: The fictional pathway.", board.strip(), full.strip()]


def test_a_signature_led_by_a_dash_under_the_last_paragraph_of_a_pdf_is_its_own_paragraph():
    """ "\u2013 Joey Hess" on a line of its own under a PDF's last paragraph, set as HTML and Word
    keep it: a paragraph of its own, not a list of one item joined to the paragraph above."""
    from reportlab.platypus import Paragraph

    body, heading, _ = _styles()
    story = [Paragraph("Notes (fictional)", heading), Paragraph("The build systems are tried in order. " * 5, body)]
    story += [Paragraph("\u2013 Joey Hess joeyh@example.org", body)]
    texts = [p.text for p in parse(_story_pdf(story), "signed.pdf").paragraphs()]
    assert texts == [("The build systems are tried in order. " * 5).strip(), "\u2013 Joey Hess joeyh@example.org"]


def test_a_line_of_one_long_token_past_the_margin_does_not_cut_a_paragraph_at_the_page_break():
    """A link too long to wrap runs past the column's right edge (a typesetter that does not split
    words); taken for the edge, it made the full last line of the page's last paragraph look short,
    and the paragraph was cut in two at the page break. The edge is where lines of several words
    end."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph

    body = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6, splitLongWords=0)
    width, height = A4
    link = "https://www.eastmere.example/children/services/early-help/assessment/guidance/forms/2024/" + "a" * 60
    text = "Practitioners in Eastmere share what they know with partner agencies as soon as they can, " * 16 + "always."
    out = io.BytesIO()
    template = BaseDocTemplate(out, pagesize=A4)
    template.addPageTemplates(
        [
            PageTemplate(id="short", frames=[Frame(50, height - 260, width - 100, 200)]),
            PageTemplate(id="full", frames=[Frame(50, 60, width - 100, height - 120)]),
        ]
    )
    # two such links, of different lengths: neither is the edge
    other = link + "b" * 12
    story = [NextPageTemplate("full"), Paragraph(f"The form is at {link} for anyone.", body)]
    story += [Paragraph(f"The old form was at {other} until May.", body), Paragraph(text, body)]
    template.build(story)
    document = parse(out.getvalue(), "link.pdf")
    assert [p.text for p in document.paragraphs()] == [
        f"The form is at {link} for anyone.",
        f"The old form was at {other} until May.",
        text.strip(),
    ]
    assert list(document.paragraphs())[2].turns  # it runs on to the next page


def test_two_short_lines_ending_together_are_no_right_edge():
    """A first page of short lines in the body's type (a cover's imprint: "Next review: March
    2025.", "Owner: the business unit.") ends two lines together far short of the margin; taken for
    the column's edge (a first version of the rule for a link running past the edge), the page's
    last line looked full and ran on into the next page's first paragraph."""
    from reportlab.platypus import PageBreak, Paragraph

    body, _, title = _styles()
    imprint = [
        "Published by the Eastmere Safeguarding Partnership in March 2024.",
        "Next review: March 2025.",
        "Owner: the business unit.",
    ]
    text = "Practitioners in Eastmere share what they know with partner agencies as soon as they can. " * 3
    story = [Paragraph("Working Together in Eastmere (fictional)", title)]
    story += [Paragraph(line, body) for line in imprint] + [PageBreak(), Paragraph(text, body)]
    assert [p.text for p in parse(_story_pdf(story), "cover.pdf").paragraphs()] == imprint + [text.strip()]
