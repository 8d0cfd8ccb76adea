"""The format-invariance bench's renderers (benchmarks/formatbench): each rendering holds every word
of the model, read back by a tool that is not wtcompare (pdftotext, BeautifulSoup, python-docx,
pandoc), has the layout features the bench promises, and is the same file on every run."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from formatbench import model
from formatbench.formats import CHROMIUM, FORMATS, Renderers
from formatbench.render_text import HEADING_WIDTH, WIDTH
from reportlab.pdfbase import pdfmetrics

TEXTS = list(model.manifest())  # between them: footnotes, every list style, numbered paragraphs, "# " code lines


@functools.cache
def load(name: str) -> model.Document:
    """The model of a text, read once (each read runs pandoc); no test changes it."""
    return model.load(name)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{(text, format): path} for every text and format (Chromium only where it is installed)."""
    if not shutil.which("pandoc") or not shutil.which("pdftotext"):
        pytest.fail("pandoc and pdftotext are required (apt-get install pandoc poppler-utils); .ci/run installs them")
    formats = [
        f
        for f in FORMATS
        if f != "pdf-chromium" or os.path.exists(CHROMIUM) or os.environ.get("WTCOMPARE_REQUIRE_BROWSER")
    ]
    folder = tmp_path_factory.mktemp("rendered")
    with Renderers() as render:
        return {(name, fmt): render(load(name), fmt, folder) for name in TEXTS for fmt in formats}


def words(text: str) -> Counter:
    """Runs of letters (no digits: list numbers and note markers are the renderers' own), lowercased,
    split at hyphens and apostrophes, since a line may break after a hyphen."""
    text = unicodedata.normalize("NFKC", text).lower()
    return Counter(w for w in re.findall(r"[^\W\d_]+", text))


def model_words(document: model.Document, title: bool = True) -> Counter:
    texts = [text for _, text in document.blocks_text()] + ([document.title, document.subtitle] if title else [])
    return words("\n".join(texts))


def docx_text(path: Path) -> str:
    """python-docx's paragraph text (hyperlinks included), then the footnotes part's paragraphs."""
    import docx

    word = docx.Document(str(path))
    text = [p.text for p in word.paragraphs]
    for rel in word.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            notes = BeautifulSoup(rel.target_part.blob, "xml")
            text += ["".join(t.get_text() for t in p.find_all("t")) for p in notes.find_all("p")]
    return "\n".join(text)


INLINE = {
    "Str",
    "Emph",
    "Strong",
    "Code",
    "Link",
    "Span",
    "Quoted",
    "Space",
    "SoftBreak",
    "LineBreak",
    "Underline",
    "Strikeout",
    "Superscript",
    "Subscript",
    "SmallCaps",
    "Cite",
    "Note",
}


def _ast_text(node) -> str:
    """The text of a pandoc AST, the title and subtitle included; words inside a paragraph joined as
    pandoc joins them, blocks apart; no list markers or note numbers."""
    if isinstance(node, list):
        return "".join(_ast_text(v) for v in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Str":
        return node["c"]
    if kind in ("Code", "CodeBlock"):
        return node["c"][1] if kind == "Code" else f"\n{node['c'][1]}\n"
    if kind == "Quoted":  # the marks separate words: “print”ed is two
        return f'"{_ast_text(node["c"][1])}"'
    text = "".join(_ast_text(v) for v in node.values())
    return text if kind in INLINE else f"\n{text}\n"


def markdown_text(path: Path) -> str:
    """The text of a Markdown file as pandoc reads it (markup can sit inside a word: "`namedtuple`s")."""
    done = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "json", str(path)], capture_output=True, text=True, check=True
    )
    return _ast_text(json.loads(done.stdout))


def extracted(path: Path) -> str:
    """The text a reader sees."""
    if path.suffix == ".md":
        return markdown_text(path)
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix == ".html":  # no separator: "<code>namedtuple</code>s" is one word
        return BeautifulSoup(path.read_bytes(), "lxml").get_text()
    if path.suffix == ".docx":
        return docx_text(path)
    return path.read_text(encoding="utf-8")


@functools.cache
def _installed_glyph(char: str) -> bool:
    """Whether a font installed here (fontconfig's list) has a glyph for ``char``."""
    found = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=True)
    return bool(found.stdout.strip())


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_word_of_the_model_is_rendered(rendered, fmt):
    if not any(f == fmt for _, f in rendered):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    for name in TEXTS:
        missing = model_words(load(name)) - words(extracted(rendered[(name, fmt)]))
        if fmt == "pdf-reportlab":
            # its font (Bitstream Vera, shipped with reportlab) has no glyph for Greek letters and the
            # like ("πλάσμα"): only the words it can show are asked of it
            covered = pdfmetrics.getFont("Vera").face.charWidths
            missing = Counter({w: n for w, n in missing.items() if all(ord(c) in covered for c in w)})
        if fmt == "pdf-chromium":
            # Chromium prints a character only in a font installed here ("好" with no CJK font)
            missing = Counter({w: n for w, n in missing.items() if all(_installed_glyph(c) for c in w)})
        assert not missing, (
            f"{name} {fmt}: words of the model missing from the rendering: {dict(missing.most_common(15))}"
        )


@pytest.mark.parametrize("fmt", ["markdown", "markdown-pandoc"])
def test_markdown_reads_back_as_the_model(rendered, fmt):
    """pandoc reading the Markdown finds exactly the model's words: no syntax leaks into the text
    (a link address, an unescaped marker) and none swallows text."""
    for name in TEXTS:
        found, expected = words(markdown_text(rendered[(name, fmt)])), model_words(load(name))
        assert found == expected, f"{name} {fmt}: extra {found - expected}, missing {expected - found}"


def test_markdown_has_fenced_and_indented_code_and_hash_lines_in_fences(rendered):
    text = "\n".join(rendered[(name, "markdown")].read_text() for name in TEXTS)
    assert re.search(r"^```\n(?:.*\n)*?# ", text, re.M), "no fenced code line starting with '# '"
    assert re.search(r"\n\n    \S", text), "no indented code block"
    assert re.search(r"\[\^\d+\]: ", text), "no footnote definition"


def test_text_layout(rendered):
    texts = {name: rendered[(name, "text")].read_text() for name in TEXTS}
    everything = "\n".join(texts.values())
    for name, text in texts.items():
        for line in text.splitlines():
            # a line may run long only where it cannot break: one token (after its list marker or
            # paragraph number, which no typist leaves alone on a line), or code
            unbreakable = " " not in re.sub(r"^\s*(?:\S{1,5}\s)?", "", line)
            assert len(line) <= WIDTH or unbreakable or line.startswith("    "), f"{name}: too long: {line!r}"
    for marker in (r"1\. ", r"a\) ", r"\(i\) ", r"- "):
        assert re.search(rf"^ *{marker}\S", everything, re.M), f"no list item marked {marker!r}"
    assert re.search(r"^ +\d\S* ", everything, re.M), "no wrapped list line that starts with a number"
    assert re.search(r"^\S.*\[\d+\]", everything, re.M) and re.search(r"^\[\d+\] \S", everything, re.M), "no footnotes"
    long = [
        h
        for name in TEXTS
        for h in load(name).blocks
        if isinstance(h, model.Heading) and len(model.plain(h.runs)) > HEADING_WIDTH
    ]
    assert long, "no heading long enough to wrap"
    first, second = model.plain(long[0].runs).upper().split(" ", 1)[0], model.plain(long[0].runs).split()[-1]
    assert re.search(
        rf"^{re.escape(first)}.*\n.*{re.escape(second.upper() if long[0].level == 1 else second)}$", everything, re.M
    ), f"heading {model.plain(long[0].runs)!r} is not on two lines"


def test_each_footnote_ends_the_section_that_cites_it(rendered):
    text = rendered[("pep-0287", "text")].read_text()
    for number in range(1, len(load("pep-0287").footnotes) + 1):
        cited, note = text.index(f"[{number}]"), text.index(f"\n[{number}] ")
        assert cited < note, f"note {number} comes before its citation"
        between = text[cited:note]
        assert not re.search(r"\n\n[A-Z][A-Z &'-]+\n\n", between), f"note {number} is not in the citing section"


def test_govuk_page(rendered):
    for name in TEXTS:
        document = load(name)
        soup = BeautifulSoup(rendered[(name, "html-govuk")].read_bytes(), "lxml")
        assert soup.title.get_text().endswith(" - GOV.UK")
        body = soup.select_one("div.govspeak")
        assert soup.find("h1") is not None and body.find("h1") is None, "the h1 title must be outside the body"
        assert soup.find("header") and soup.find("footer") and soup.select_one("nav.govuk-breadcrumbs")
        assert words(body.get_text()) == model_words(document, title=False), f"{name}: body words differ from the model"
        assert body.select("p abbr[title], li abbr[title]"), f"{name}: no <abbr> in a paragraph or list item"
        for note in document.footnotes:
            ref = body.select_one(f'sup[id="fnref:{note.number}"] > a.footnote[href="#fn:{note.number}"]')
            assert ref is not None and ref.get_text() == str(note.number)
            assert body.select_one(f'div.footnotes ol li[id="fn:{note.number}"]') is not None
    for style in ("a", "i"):
        assert any(
            BeautifulSoup(rendered[(name, "html-govuk")].read_bytes(), "lxml").select(f'ol[type="{style}"]')
            for name in TEXTS
        ), f'no <ol type="{style}">'


def _pages(path: Path) -> list[str]:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]


def _two_column_lines(page: str) -> int:
    return sum(1 for line in page.splitlines() if re.search(r"\S {6,}\S", line.strip()))


@pytest.mark.parametrize("fmt", ["pdf-reportlab", "pdf-chromium"])
def test_pdf_pages_have_furniture_and_a_two_column_page(rendered, fmt):
    if ("attrs-why", fmt) not in rendered:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    pages = _pages(rendered[("attrs-why", fmt)])
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0].startswith("Why not"), f"page {number}: no running header"
        assert re.match(rf"Page {number}\b", lines[-1]), f"page {number}: no page number at the foot"
    assert max(_two_column_lines(page) for page in pages) >= 10, "no two-column page"


def test_reportlab_footnotes_at_the_foot_and_a_heading_at_a_page_foot(rendered):
    document = load("attrs-why")
    pages = _pages(rendered[("attrs-why", "pdf-reportlab")])
    notes = words(" ".join(model.plain(note.runs) for note in document.footnotes))
    for note in document.footnotes:
        start = f"{note.number} " + " ".join(model.plain(note.runs).split()[:4])
        holding = [p for p in pages if any(line.strip().startswith(start) for line in p.splitlines())]
        assert holding, f"footnote {note.number} is not printed"
        lines = [line.strip() for line in holding[0].splitlines() if line.strip()]
        after = lines[next(k for k, line in enumerate(lines) if line.startswith(start)) : -1]  # up to the footer
        assert words(" ".join(after)) <= notes, f"footnote {note.number} is followed by body text"
    headings = [model.plain(b.runs) for b in document.blocks if isinstance(b, model.Heading)]
    last_lines = [[line.strip() for line in page.splitlines() if line.strip()][-2] for page in pages]
    assert any(line in headings for line in last_lines), "no page ends with a heading"


def test_python_docx_structure(rendered):
    import docx

    path = rendered[("pep-0287", "docx-python-docx")]
    word = docx.Document(str(path))
    styles = Counter(p.style.name for p in word.paragraphs)
    assert styles["Title"] == 1 and styles["Subtitle"] == 1 and styles["Heading 1"] >= 5
    assert styles["List Number"] and styles["List Bullet"] and styles["List Bullet 2"]
    xml = word.element.xml
    assert xml.count("<w:hyperlink ") >= 5 and all(
        word.part.rels[rid].is_external for rid in re.findall(r'<w:hyperlink [^>]*r:id="(rId\d+)"', xml)
    )
    assert any("\u00a0" in p.text for p in word.paragraphs), "no no-break space"
    numbers = re.findall(r'<w:numId w:val="(\d+)"/>', xml)
    assert len(set(numbers)) >= 5, "ordered lists do not restart: they share a numbering"
    assert xml.count("<w:footnoteReference ") == len(load("pep-0287").footnotes)


def test_renderings_are_byte_identical_between_runs(rendered, tmp_path):
    """Every producer but Chromium (which stamps the time into its PDF and offers no way to fix it)."""
    with Renderers() as render:
        for name in ("pep-0287", "attrs-why"):
            for fmt in FORMATS:
                if fmt == "pdf-chromium":
                    continue
                again = render(load(name), fmt, tmp_path)
                first = rendered[(name, fmt)].read_bytes()
                assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(first).digest(), (
                    f"{name} {fmt} differs"
                )


def test_docx_archives_have_fixed_dates(rendered):
    for fmt in ("docx-python-docx", "docx-pandoc"):
        with zipfile.ZipFile(rendered[("attrs-why", fmt)]) as archive:
            assert {info.date_time[:3] for info in archive.infolist()} <= {(1980, 1, 1), (2026, 1, 1)}, fmt


def test_markup_a_built_page_never_shows_is_left_out_of_the_model():
    """A MyST target ("(security)=") and Sphinx's ":orphan:" are build instructions, not text: kept,
    they became the document's first paragraph, above its title heading, which then was no title."""
    for name, title in [
        ("ipyparallel-security", "Security details of IPython Parallel"),
        ("skimage-report-handling", "scikit-image Code of Conduct - How to follow up on a report"),
    ]:
        document = load(name)
        texts = [text for _, text in document.blocks_text()]
        assert document.title == title
        assert not any(re.fullmatch(r"orphan|\(.*\)=", text.strip()) for text in texts)


def test_an_attribute_list_closing_a_markdown_heading_is_left_out_of_the_model():
    """MkDocs shows "### Caching cibuildwheel's downloaded tools {: #caching}" without its
    attribute list; kept as text, it made the heading a sentence-like line that PDFs read as a
    paragraph."""
    texts = [text for _, text in load("cibuildwheel-faq").blocks_text()]
    assert not any("{:" in text for text in texts)
    assert "Building Linux wheels for non-native archs using emulation" in texts


def test_markdown_writes_a_lettered_list_with_the_other_delimiter_and_it_reads_as_items():
    """Markdown numbers lists only "1." or "1)": a lettered list ("a)") written "1." read as the
    numbered paragraphs a top-level "1." list is in guidance, where every other format reads the
    items of the paragraph that leads into them; written "1)", it reads as they do."""
    from formatbench import render_markdown

    from wtcompare.load import parse

    run = model.Run
    lettered = model.ListBlock(True, "a)", [[model.Paragraph([run("plain", t)])] for t in ("Agree it.", "Merge it.")])
    numbered = model.ListBlock(True, "1.", [[model.Paragraph([run("plain", "Tag it.")])]])
    lead = model.Paragraph([run("plain", "Coordinate a release:")])
    document = model.Document("lists", "Lists", "", [lead, lettered, lead, numbered])
    text = render_markdown.render(document)
    assert "1) Agree it.\n2) Merge it." in text and "1. Tag it." in text
    paragraphs = [p.text for p in parse(text.encode(), "lists.md").paragraphs()]
    assert paragraphs[0] == "Coordinate a release:\n1) Agree it.\n2) Merge it."
