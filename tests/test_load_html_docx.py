"""HTML (gov.uk govspeak and generic pages) and DOCX loading, from fixtures made here."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from wtcompare.errors import WtcompareError
from wtcompare.load import detect_format, parse

GOVSPEAK = """<!DOCTYPE html>
<html lang="en"><head><title>Joining Up for Children (fictional) - GOV.UK</title>
<script>var tracking = 1;</script></head>
<body><header><nav>Skip to main content. Menu. Search GOV.UK</nav></header>
<main id="content"><h1>Joining Up for Children (fictional)</h1>
<div class="govspeak">
<h2>Chapter 1: Introduction</h2>
<h3>1.1 Purpose</h3>
<p>1. This fictional page explains how Eastmere agencies work in partnership with families.\
<sup><a href="#fn:1" class="footnote">1</a></sup></p>
<p>2. Agencies should:</p>
<ul><li>listen to children;</li><li>work with <strong>parents</strong> and carers.</li></ul>
<h3>1.2 Safeguarding partners</h3>
<p>3. The safeguarding partners are the council, health and police &amp; they agree the &lt;arrangements&gt;.</p>
<h2>Chapter 2: Assessment</h2>
<p>4. A paragraph straight under the chapter heading.</p>
<div class="footnotes"><ol><li id="fn:1"><p>A fictional footnote. <a href="#fnref:1">&#8617;</a></p></li></ol></div>
</div></main>
<footer>Crown copyright notice of the page template</footer></body></html>"""


def test_govspeak_page():
    document = parse(GOVSPEAK.encode(), "page.html")
    assert document.format == "html"
    assert [s.id for s in document.walk()] == ["ch1", "ch1/1.1", "ch1/1.2", "ch2"]
    first, second = document.section("ch1/1.1").paragraphs
    assert (first.number, first.text) == (
        "1",
        "This fictional page explains how Eastmere agencies work in partnership with families.",
    )
    assert first.footnotes == ["A fictional footnote."]
    assert second.text == "Agencies should:\n- listen to children;\n- work with parents and carers."
    assert document.section("ch1/1.2").paragraphs[0].text.endswith("police & they agree the <arrangements>.")
    text = "\n".join(p.text for p in document.paragraphs())
    assert "Skip to main content" not in text and "tracking" not in text and "Crown copyright notice" not in text


def test_generic_html_without_govspeak():
    page = b"<html><body><h2>Working with parents</h2><p>First paragraph.</p><p>Second one.</p></body></html>"
    document = parse(page, "saved.htm")
    assert [(s.heading, [p.text for p in s.paragraphs]) for s in document.walk()] == [
        ("Working with parents", ["First paragraph.", "Second one."])
    ]


def test_a_page_title_of_the_site_s_name_alone_is_no_title():
    # a page saved with an empty title: "- GOV.UK" is the site's suffix, not a section's heading
    page = (
        b"<html><head><title> - GOV.UK</title></head><body><h1></h1><p>orphan</p>"
        b"<h2>Instructions for admins</h2><p>First paragraph.</p><h2>Releases</h2><p>More.</p></body></html>"
    )
    document = parse(page, "saved.html")
    assert document.title is None
    assert [s.heading for s in document.walk()] == ["Front matter", "Instructions for admins", "Releases"]
    page = (
        b"<html><head><title>Joining Up - GOV.UK</title></head>"
        b"<body><h2>A</h2><p>Text.</p><h2>B</h2><p>More.</p></body></html>"
    )
    assert parse(page, "saved.html").title == "Joining Up"


def test_html_with_no_text():
    with pytest.raises(WtcompareError, match=r"empty\.html: the HTML page has no text"):
        parse(b"<!doctype html><html><head><title>x</title></head><body><script>1</script></body></html>", "empty.html")


def test_loose_text_between_blocks_is_kept_across_parser_chunks():
    """The pull parser reads ahead of the events (a chunk is a megabyte); text standing loose in a
    container between paragraphs is still read in order, for pages of many small paragraphs."""
    count = 60_000  # about 1.7 MB: several parser chunks
    page = (
        b"<html><body><h2>Chapter</h2><div>"
        + b"".join(b"loose %d<p>para %d</p>" % (n, n) for n in range(count))
        + b"</div></body></html>"
    )
    texts = [p.text for p in parse(page, "dense.html").paragraphs()]
    assert texts == [t for n in range(count) for t in (f"loose {n}", f"para {n}")]


@pytest.mark.parametrize(
    ("body", "paragraphs", "headings"),
    [
        # an old page's <font> around its paragraphs: each is still a paragraph of its own
        (
            "<font face='Arial'><p>First one.</p><p>Second one.</p></font><p>Third.</p>",
            ["First one.", "Second one.", "Third."],
            [],
        ),
        # an unclosed <span> before a heading: the heading is read as one, not as body text
        (
            "<p>Intro.</p><span>Loose words <h2>Family support</h2><p>Body text.</p>",
            ["Intro.", "Loose words", "Body text."],
            ["Family support"],
        ),
        # a link around blocks
        ("<a href='#x'><div><p>Linked block.</p><p>Second.</p></div></a>", ["Linked block.", "Second."], []),
        # inline text around the block, at every level, reads as a browser shows it, in order
        (
            "<span>intro <em>em</em> <span>more <div>block</div> after</span> end</span><p>last</p>",
            ["intro em more", "block", "after end", "last"],
            [],
        ),
        # an old page: <font> around the body, text standing in it with inline elements, <br><br>
        (
            "<font size='2'><h2>Working together</h2>Agencies share <b>all</b> relevant information with "
            "the <a href='p.html'>police</a>.<br><br>Each agency keeps a record.</font>",
            ["Agencies share all relevant information with the police.", "Each agency keeps a record."],
            ["Working together"],
        ),
        # a line break in the text before a block inside a wrapper keeps its words apart
        (
            "<span>Contact us:<br>Eastmere Council<div>Opening hours</div></span>",
            ["Contact us: Eastmere Council", "Opening hours"],
            [],
        ),
        # inline elements inside a paragraph, and line breaks, change nothing
        ("<p>para <span><b>bold</b></span> more</p><font>one<br>two</font>", ["para bold more", "one two"], []),
    ],
)
def test_inline_elements_wrapping_blocks_keep_the_blocks_apart(body, paragraphs, headings):
    """Inline elements around blocks (before, their paragraphs ran into one, and a heading inside
    one was read as body text)."""
    document = parse(f"<html><body>{body}</body></html>".encode(), "wrapped.html")
    assert [p.text for p in document.paragraphs()] == paragraphs
    assert [s.heading for s in document.sections if s.id != "front"] == headings


def test_text_standing_in_a_division_runs_on_through_its_inline_elements():
    """ "Some <b>bold</b> text" directly in a <div> is one paragraph, as a browser shows it: it was
    cut at every inline element ("Some" / "bold text and" / "a link here.")."""
    page = (
        b"<html><body><div>Some <b>bold</b> text and <a href='#'>a link</a> here.<p>Next.</p> after <i>it</i> end"
        b"</div></body></html>"
    )
    assert [p.text for p in parse(page, "div.html").paragraphs()] == [
        "Some bold text and a link here.",
        "Next.",
        "after it end",
    ]


def test_a_page_of_more_units_than_the_limit_is_one_error(monkeypatch):
    from wtcompare import segment

    monkeypatch.setattr(segment, "MAX_UNITS", 1_000)
    page = b"<html><body><h2>Chapter</h2>" + b"<p><b><i>x</i></b></p>" * 1_200 + b"</body></html>"
    with pytest.raises(
        WtcompareError,
        match=r"^dense\.html: more than 1,000 paragraphs and headings: not a "
        r"guidance document \(set WTCOMPARE_MAX_UNITS to read it\)$",
    ):
        parse(page, "dense.html")
    text = "Chapter 1: A\n\n" + "".join(f"Paragraph {n}.\n\n" for n in range(1_200))
    with pytest.raises(WtcompareError, match=r"^dense\.txt: more than 1,000 paragraphs"):
        parse(text.encode(), "dense.txt")


def make_docx() -> bytes:
    word = docx.Document()
    word.add_paragraph("Joining Up for Children (fictional)", style="Title")
    word.add_paragraph("Chapter 1: Introduction", style="Heading 1")
    word.add_paragraph("1.1 Purpose", style="Heading 2")
    word.add_paragraph("1.1 Agencies work in partnership with parents in this fictional text.")
    word.add_paragraph("1.2 They should:")
    word.add_paragraph("listen to children;", style="List Bullet")
    word.add_paragraph("record decisions.", style="List Bullet")
    word.add_paragraph("Chapter 2: Review", style="Heading 1")
    word.add_paragraph("Unnumbered closing paragraph.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_headings_numbers_and_lists():
    data = make_docx()
    assert detect_format(data) == "docx"
    document = parse(data, "edition.docx")
    assert [s.id for s in document.walk()] == ["ch1", "ch1/1.1", "ch2"]
    assert [(p.number, p.text) for p in document.paragraphs()] == [
        ("1.1", "Agencies work in partnership with parents in this fictional text."),
        ("1.2", "They should:\n- listen to children;\n- record decisions."),
        (None, "Unnumbered closing paragraph."),
    ]


def test_docx_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(WtcompareError, match=r"bomb\.docx: refused: .*zip bomb"):
        parse(buffer.getvalue(), "bomb.docx")


def test_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(WtcompareError, match=r"not a Word document"):
        parse(buffer.getvalue(), "archive.docx")


def test_a_page_nested_deeper_than_the_parser_reads_is_an_error_not_a_loss():
    """libxml2 reads elements 2,048 deep and silently drops the rest of the page: past that depth
    the page is refused, not read in part."""
    from wtcompare.load import parse

    def page(levels: int) -> bytes:
        inner = "<div>" * levels + "Inside" + "</div>" * levels
        after = "<h2>2. After</h2><p>Tail words.</p>"
        return f"<html><body><h2>1. First</h2><p>Words here.</p>{inner}{after}</body></html>".encode()

    document = parse(page(2000), "deep.html")
    assert [s.heading for s in document.walk()] == ["First", "After"]
    with pytest.raises(WtcompareError, match=r"deep\.html: elements nest more than 2,048 deep"):
        parse(page(3000), "deep.html")


def test_markdown_lists_nested_ten_deep_lose_nothing_and_deeper_still_is_an_error():
    """markdown-it's default limit (20 levels, a list and its item two) dropped a list ten deep and
    the section after it."""
    from wtcompare.load.markdown import markdown_document

    def nested(depth: int) -> str:
        items = "".join("  " * k + f"- item{k}\n" for k in range(depth))
        return f"# Title\n\n## 1. Intro\n\nThe list:\n\n{items}\n## 2. After\n\nTail words.\n"

    for depth in (10, 49):  # 49: a token 99 levels deep, all of it read
        document = markdown_document(nested(depth), "list.md")
        assert [s.heading for s in document.walk()] == ["Intro", "After"]
        assert f"item{depth - 1}" in next(document.paragraphs()).text
    with pytest.raises(WtcompareError, match=r"list\.md: lists or quotes nest more than 100 blocks deep"):
        markdown_document(nested(60), "list.md")


def test_a_bulleted_item_that_prints_a_number_stays_an_item_of_its_list():
    """A contents list of numbered headings in bullets (<ul><li>1. Jenkins release access) keeps
    its items: the item's "1." was taken for its marker, and it left the list as numbered
    paragraph 1 with the rest of the list glued to it. Markdown reads the same list so."""
    page = (
        b"<html><body><h2>Contents</h2><ul><li><a href='#a'>Who can make a release?</a><ul>"
        b"<li><a href='#b'>1. Jenkins release access</a></li><li><a href='#c'>2. Web access</a></li></ul></li>"
        b"<li><a href='#d'>How to create a release</a></li></ul><h2>Next</h2><p>Text.</p></body></html>"
    )
    markdown = (
        b"## Contents\n\n- [Who can make a release?](#a)\n  - [1. Jenkins release access](#b)\n"
        b"  - [2. Web access](#c)\n- [How to create a release](#d)\n\n## Next\n\nText.\n"
    )
    expected = [
        (None, "- Who can make a release?\n- 1. Jenkins release access\n- 2. Web access\n- How to create a release"),
        (None, "Text."),
    ]
    for name, data in (("toc.html", page), ("toc.md", markdown)):
        assert [(p.number, p.text) for p in parse(data, name).paragraphs()] == expected, name


def test_lettered_sub_paragraphs_after_a_lead_in_are_its_items_in_every_format():
    """Lettered sub-paragraphs written as paragraphs ("a. Test runs: ...") after the paragraph that
    introduces them are its items in HTML and Word, as the same lines are in Markdown, plain text
    and PDF; paragraphs opening "(1)", "A)" or a dash, or a letter with no lead-in before it, stay
    paragraphs (a first version made them items, merging them into the paragraph before)."""
    lead = "There are three jobs to use for a release:"
    items = ["a. Test runs: a final run of every test.", "(b) Release builds: every asset built."]
    others = [
        "The local authority must do the following.",
        "(1) A local authority must act.",
        "A) Another kind.",
        "c. a lettered paragraph with no lead-in.",
    ]
    after = ["v. important people said this."]
    blocks = [("h2", "Jobs"), *[("p", t) for t in [lead, *items, *others]], ("h2", "More"), ("p", after[0])]
    page = ("<html><body>" + "".join(f"<{tag}>{text}</{tag}>" for tag, text in blocks) + "</body></html>").encode()
    word = docx.Document()
    for tag, text in blocks:
        word.add_heading(text, level=2) if tag == "h2" else word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    expected = ["\n".join([lead, *items]), *others, *after]
    for name, data in (("jobs.html", page), ("jobs.docx", buffer.getvalue())):
        assert [p.text for p in parse(data, name).paragraphs()] == expected, name


def test_pandoc_s_placeholder_page_title_is_no_title():
    # pandoc gives a page made from standard input with no title "<title>-</title>"
    page = (
        b"<html><head><title>-</title></head><body><h1>Contributing</h1><p>First paragraph.</p>"
        b"<h1>Releases</h1><p>More.</p></body></html>"
    )
    document = parse(page, "pandoc.html")
    assert document.title is None
    assert [s.heading for s in document.walk()] == ["Contributing", "Releases"]


def test_an_html_fragment_is_read_as_html_and_a_readme_opening_with_html_is_not():
    """Found by a fuzzing run: a fragment with no <html> or <body> (a CMS export, pandoc without
    -s) was read as plain text, its tags counted as words and its headings lost."""
    fragment = (
        b"<h1>Working with families</h1>\n<p>Practitioners work in partnership with parents.</p>\n"
        b"<h2>Early help</h2>\n<p>Help is offered early.</p>\n<ul><li>One</li><li>Two</li></ul>\n"
    )
    assert detect_format(fragment) == "html"
    document = parse(fragment, "fragment.txt")
    assert [s.heading for s in document.walk()][-1] == "Early help"
    assert "<p>" not in " ".join(p.text for p in document.paragraphs())
    readme = b'<p align="center"><img src="logo.png"></p>\n\n# Project\n\nText.</p> More.</p> End.</p>\n'
    assert detect_format(readme) == "text"


BOLD_PAGE = [
    ("p", "This fictional guide is about visits to families at home."),
    ("h2", "Working with families"),
    ("b", "Method 1: Home Visits"),
    ("p", "Practitioners visit the family at home in this fictional guidance."),
    ("b", "Why does this matter?"),
    ("p", "Parents say visits at home help them take part."),
    ("b", "Do not share a child's records without the parents' consent."),
    ("p", "Records are shared only as the fictional policy allows."),
]


def _bold_page_formats() -> dict[str, bytes]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    html_blocks = "".join(f"<p><strong>{t}</strong></p>" if k == "b" else f"<{k}>{t}</{k}>" for k, t in BOLD_PAGE)
    table = "<table><tr><th><b>Agency</b></th></tr><tr><td>Police</td></tr></table>"
    page = f"<html><body><h1>Fictional Home Visits Guide</h1>{html_blocks}{table}</body></html>".encode()
    word = docx.Document()
    word.add_paragraph("Fictional Home Visits Guide", style="Title")
    for k, t in BOLD_PAGE:
        if k == "h2":
            word.add_heading(t, level=1)
        else:
            word.add_paragraph().add_run(t).bold = k == "b" or None
    word.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("Agency").bold = True
    buffer = io.BytesIO()
    word.save(buffer)
    markdown = "# Fictional Home Visits Guide\n\n" + "\n\n".join(
        f"## {t}" if k == "h2" else f"**{t}**" if k == "b" else t for k, t in BOLD_PAGE
    )
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 760, "Fictional Home Visits Guide")
    for n, (k, t) in enumerate(BOLD_PAGE):
        c.setFont("Helvetica-Bold" if k != "p" else "Helvetica", 13 if k == "h2" else 10.5)
        c.drawString(72, 720 - 28 * n, t)
    c.save()
    return {
        "page.html": page,
        "page.docx": buffer.getvalue(),
        "page.md": markdown.encode(),
        "page.pdf": pdf.getvalue(),
    }


def test_a_paragraph_all_in_bold_is_read_as_the_pdf_of_the_page_reads_it():
    """A PDF cannot tell a paragraph in bold from a heading set in bold in the body's size, and
    reads a short title in bold as a heading ("Method 1: Home Visits", "Why does this matter?"):
    HTML, Word and Markdown read the same paragraphs so, each a section under the heading above
    it, or one page had different sections in each format; a sentence in bold stays a paragraph
    in all four, as does a table's bold header cell."""
    headings = ["Working with families", "Method 1: Home Visits", "Why does this matter?"]
    texts = [t for k, t in BOLD_PAGE if k == "p"]
    texts.insert(3, BOLD_PAGE[6][1])
    for name, data in _bold_page_formats().items():
        document = parse(data, name)
        assert [s.heading for s in document.walk() if s.paragraphs or s.children][1:] == headings, name
        body = [p.text for p in document.paragraphs() if p.text not in ("Agency", "Police", "Agency Police")]
        assert body == texts, name
        assert [s.level for s in document.walk()][1:] == [1, 2, 2], name


def test_a_paragraph_in_bold_under_the_first_heading_is_no_subtitle_and_none_in_a_list_item_is_a_heading():
    """Only the paragraph in emphasis right under the title is its subtitle; one under the first
    heading is a heading in bold (it was taken for the subtitle when the title had no paragraph
    under it). A paragraph in bold inside a list item stays the item's text."""
    document = parse(b"# Title\n\n## Working Together\n\n**Key Points**\n\nText of the section.\n", "key.md")
    assert [s.heading for s in document.walk()] == ["Working Together", "Key Points"]
    page = (
        b"<html><body><h1>T</h1><h2>Scope</h2>"
        b"<ul><li><p>One item.</p><p><strong>Second Part</strong></p></li></ul></body></html>"
    )
    document = parse(page, "item.html")
    assert [s.heading for s in document.walk()] == ["Scope"]
    assert "Second Part" in [p.text for p in document.paragraphs()]


@pytest.mark.parametrize(
    "body, headings, paragraphs",
    [
        # a label, not a heading
        ("<h2>Duties</h2><p><strong>Important</strong></p><p>Act on concerns.</p>", ["Duties"], 2),
        ("<h2>Duties</h2><p><strong>Note:</strong></p><p>Act on concerns.</p>", ["Duties"], 2),
        # a numbered paragraph in bold that continues the numbering
        (
            "<h2>Duties</h2><p>5. Staff listen.</p><p><strong>6. Record every decision</strong></p><p>7. Review.</p>",
            ["Duties"],
            3,
        ),
        # a cover's lines in bold before the first heading
        (
            "<p><strong>Statutory guidance for local partners</strong></p><p><strong>June 2031</strong></p>"
            "<h2>Duties</h2><p>Act on concerns.</p>",
            ["Duties"],
            3,
        ),
        # bold text in a quotation, an aside, GOV.UK's inset text
        ("<h2>Duties</h2><blockquote><p><strong>We Felt Heard</strong></p></blockquote><p>Text.</p>", ["Duties"], 2),
        (
            '<h2>Duties</h2><div class="govuk-inset-text"><p><strong>Key Point</strong></p></div><p>T.</p>',
            ["Duties"],
            2,
        ),
        # an annex found from bold resets the level the next bold heading takes
        (
            "<h2>Duties</h2><h3>Partners</h3><p>Text.</p><p><strong>Annex A: Glossary</strong></p>"
            "<p><strong>Early Help</strong></p><p>Help given early.</p>",
            ["Duties", "Partners", "Glossary", "Early Help"],
            2,
        ),
    ],
)
def test_a_paragraph_in_bold_that_is_no_heading_or_heads_by_its_annex(body, headings, paragraphs):
    """A review of the first version found these read worse: an admonition's label, a numbered
    paragraph continuing the numbering, a cover's lines before the first heading and bold text in a
    quotation or an inset box became sections taking the paragraphs after them; a bold paragraph
    after an annex found from bold was put two levels under it."""
    document = parse(f"<html><body><h1>Fictional Guide</h1>{body}</body></html>".encode(), "page.html")
    assert [s.heading for s in document.walk() if s.heading != "Fictional Guide"] == headings
    assert len(list(document.paragraphs())) == paragraphs
    levels = {s.heading: s.level for s in document.walk()}
    if "Early Help" in levels:
        assert (levels["Glossary"], levels["Early Help"]) == (1, 2)


def test_a_docx_paragraph_in_bold_in_a_quotation_caption_contents_line_or_cell_is_no_heading():
    word = docx.Document()
    word.add_paragraph("Fictional Guide", style="Title")
    word.add_heading("Duties", level=1)
    word.add_paragraph().add_run("Chapter 1: Scope\t4").bold = True  # a contents line typed in bold
    word.add_paragraph(style="Quote").add_run("We Felt Heard").bold = True
    word.add_paragraph(style="Caption").add_run("Figure 1: Family Hubs").bold = True
    word.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("Agency").bold = True
    word.add_paragraph("Act on concerns.")
    buffer = io.BytesIO()
    word.save(buffer)
    document = parse(buffer.getvalue(), "styles.docx")
    assert [s.heading for s in document.walk()] == ["Duties"]


def test_a_lead_in_in_bold_ending_in_should_or_must_is_a_paragraph_in_every_format():
    """ "Local authorities should" in bold before the list of what they should do is a lead-in, not a
    title: a review found it read as a heading (in a PDF by its shape, in HTML as the PDF reads it),
    taking the list as its section."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lead = "Local authorities should"
    page = f"<html><body><h1>Guide</h1><h2>Duties</h2><p><strong>{lead}</strong></p><ul><li>act</li></ul></body></html>"
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf, pagesize=A4, invariant=1)
    for n, (font, size, text) in enumerate(
        [
            ("Helvetica-Bold", 18, "Guide"),
            ("Helvetica", 10.5, "This fictional guide sets out duties."),
            ("Helvetica-Bold", 13, "Duties"),
            ("Helvetica-Bold", 10.5, lead),
            ("Helvetica", 10.5, "- act"),
        ]
    ):
        c.setFont(font, size)
        c.drawString(72, 760 - 28 * n, text)
    c.save()
    for name, data in (("lead.html", page.encode()), ("lead.pdf", pdf.getvalue())):
        document = parse(data, name)
        assert [s.heading for s in document.walk() if s.heading not in ("Guide",)] == ["Duties"], name


def test_an_end_matter_title_in_bold_is_a_section_of_its_own_in_every_format():
    """A review found "Glossary" and "References" in the body's bold after the last section nested
    in the last chapter (its words counted with that chapter's): they are sections of their own,
    in a PDF as in HTML, while a bold heading before them still nests under its chapter."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    blocks = [
        ("Helvetica-Bold", 18, "Fictional Guide"),
        ("Helvetica", 10.5, "This fictional guide is about early help."),
        ("Helvetica-Bold", 14, "Introduction"),
        ("Helvetica", 10.5, "Early help is offered to every family."),
        ("Helvetica-Bold", 14, "Delivering Early Help"),
        ("Helvetica-Bold", 10.5, "Family Voice"),
        ("Helvetica", 10.5, "Families say what help they want."),
        ("Helvetica-Bold", 10.5, "Glossary"),
        ("Helvetica", 10.5, "Early help: help given early."),
    ]
    pdf = io.BytesIO()
    c = canvas.Canvas(pdf, pagesize=A4, invariant=1)
    for n, (font, size, text) in enumerate(blocks):
        c.setFont(font, size)
        c.drawString(72, 760 - 28 * n, text)
    c.save()
    page = (
        "<html><body><h1>Fictional Guide</h1><p>This fictional guide is about early help.</p>"
        "<h2>Introduction</h2><p>Early help is offered to every family.</p><h2>Delivering Early Help</h2>"
        "<p><strong>Family Voice</strong></p><p>Families say what help they want.</p>"
        "<p><strong>Glossary</strong></p><p>Early help: help given early.</p></body></html>"
    )
    for name, data in (("guide.pdf", pdf.getvalue()), ("guide.html", page.encode())):
        levels = {s.heading: s.level for s in parse(data, name).walk()}
        assert (levels["Delivering Early Help"], levels["Family Voice"], levels["Glossary"]) == (1, 2, 1), name


def test_a_docx_paragraph_in_word_s_strong_style_is_bold():
    """Word marks bold text with ``w:b`` or with its character style Strong; both are read."""
    word = docx.Document()
    word.add_paragraph("Fictional Guide", style="Title")
    word.add_heading("Duties", level=1)
    word.add_paragraph("Every agency acts on concerns.")
    word.add_paragraph().add_run("Working With Families", style="Strong")
    word.add_paragraph("Families are told what happens next.")
    buffer = io.BytesIO()
    word.save(buffer)
    assert [s.heading for s in parse(buffer.getvalue(), "strong.docx").walk()] == ["Duties", "Working With Families"]


def test_navigation_by_role_or_docbook_class_is_not_text():
    """A Sphinx theme's "related" bar (role="navigation") and DocBook's chunked pages' "Prev" /
    "Next" tables (class NAVHEADER, NAVFOOTER) are navigation, as a <nav> is; a role may be a list."""
    page = b"""<html><head><title>Unified system</title></head><body>
    <DIV CLASS="NAVHEADER"><TABLE><TR><TH>Joining Up</TH></TR><TR><TD>Prev</TD><TD>Next</TD></TR></TABLE></DIV>
    <div class="related" role="navigation"><ul><li>index</li><li>modules</li></ul></div>
    <h1>2. Unified system</h1>
    <p>Agencies should work in partnership with families.</p>
    <div role="contentinfo">Copyright notice</div>
    <div role="menubar navigation"><p>Site menu</p></div>
    <DIV CLASS="NAVFOOTER"><TABLE><TR><TD>Home</TD><TD>Contributors</TD></TR></TABLE></DIV>
    </body></html>"""
    document = parse(page, "x34.html")
    texts = [p.text for s in document.sections for p in s.paragraphs]
    assert texts == ["Agencies should work in partnership with families."], texts
