"""HTML: the model's blocks as a gov.uk HTML publication writes them (a ``govspeak`` body, with
footnotes as govspeak marks them up), inside gov.uk-like page furniture; and the same blocks in a
print page (justified text, one section in CSS columns) for Chromium to print to PDF."""

from __future__ import annotations

import re
from html import escape

from .model import Code, Document, Heading, Paragraph, Run, column_section, sections
from .typography import typeset

OL_TYPES = {"1.": "", "a)": ' type="a"', "(i)": ' type="i"'}


def _text(text: str) -> str:
    return escape(typeset(text), quote=False)


def inline(runs: list[Run]) -> str:
    out = []
    for run in runs:
        if run.kind == "note":
            out.append(f'<sup id="fnref:{run.note}"><a href="#fn:{run.note}" class="footnote">{run.note}</a></sup>')
        elif run.kind == "code":
            out.append(f"<code>{escape(run.text, quote=False)}</code>")
        elif run.kind == "link":
            out.append(f'<a href="{escape(run.target)}">{_text(run.text)}</a>')
        elif run.kind == "abbreviation":
            out.append(f'<abbr title="{escape(run.target)}">{_text(run.text)}</abbr>')
        elif run.kind in ("emphasis", "strong"):
            tag = "em" if run.kind == "emphasis" else "strong"
            out.append(f"<{tag}>{_text(run.text)}</{tag}>")
        else:
            out.append(_text(run.text))
    return "".join(out)


def anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _blocks(blocks: list, tight: bool = False) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            text = inline(block.runs)
            number = f"{block.number} " if block.number else ""
            level = block.level + 1  # h1 is the page title, outside the body
            out.append(f'<h{level} id="{anchor(number + text)}">{number}{text}</h{level}>')
        elif isinstance(block, Paragraph):
            number = f"{block.number}. " if block.number else ""
            out.append(number + inline(block.runs) if tight else f"<p>{number}{inline(block.runs)}</p>")
        elif isinstance(block, Code):
            out.append(f"<pre><code>{escape(block.text, quote=False)}</code></pre>")
        else:
            tag = "ol" if block.ordered else "ul"
            items = []
            for item in block.items:
                single = len(item) == 1 or not isinstance(item[1], Paragraph)
                items.append("<li>" + "\n".join(_blocks(item[:1], single) + _blocks(item[1:])) + "</li>")
            out.append(f"<{tag}{OL_TYPES.get(block.style, '')}>\n" + "\n".join(items) + f"\n</{tag}>")
    return out


def footnotes(document: Document) -> str:
    """govspeak's footnotes block: one list item per note, with a link back to the citation."""
    if not document.footnotes:
        return ""
    items = "\n".join(
        f'<li id="fn:{note.number}" role="doc-endnote"><p>{inline(note.runs)}&nbsp;'
        f'<a href="#fnref:{note.number}" class="reversefootnote" role="doc-backlink" '
        f'aria-label="go to where this is referenced">\u21a9</a></p></li>'
        for note in document.footnotes
    )
    return f'<div class="footnotes" role="doc-endnotes">\n<ol>\n{items}\n</ol>\n</div>'


def body(document: Document, columns: int | None = None) -> str:
    """The blocks, footnotes last; section ``columns`` (an index into `sections`) in a columns div."""
    out = []
    for index, part in enumerate(sections(document.blocks)):
        html = "\n".join(_blocks(part))
        out.append(f'<div class="columns">\n{html}\n</div>' if index == columns else html)
    out.append(footnotes(document))
    return "\n".join(out)


def govuk_page(document: Document) -> str:
    title = _text(document.title)
    lead = f'<p class="gem-c-lead-paragraph">{_text(document.subtitle)}</p>' if document.subtitle else ""
    contents = "\n".join(
        f'<li><a href="#{anchor(inline(b.runs))}">{inline(b.runs)}</a></li>'
        for b in document.blocks
        if isinstance(b, Heading) and b.level == 1
    )
    return f"""<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>{title} - GOV.UK</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/application.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<div id="global-cookie-message" class="gem-c-cookie-banner" role="region" aria-label="Cookies on GOV.UK">
<p>We use some essential cookies to make this website work.</p>
<button type="button">Accept additional cookies</button>
</div>
<header role="banner" class="govuk-header">
<a href="/" class="govuk-header__link govuk-header__link--homepage">GOV.UK</a>
<nav aria-label="Menu" class="gem-c-layout-super-navigation-header">
<ul><li><a href="/browse">Services and information</a></li>\
<li><a href="/government/organisations">Government activity</a></li></ul>
</nav>
<form action="/search" role="search"><label for="q">Search GOV.UK</label><input id="q" name="q" type="search"></form>
</header>
<div class="govuk-width-container">
<nav class="gem-c-breadcrumbs govuk-breadcrumbs" aria-label="Breadcrumb">
<ol class="govuk-breadcrumbs__list">
<li class="govuk-breadcrumbs__list-item"><a href="/">Home</a></li>
<li class="govuk-breadcrumbs__list-item"><a href="/education">Education, training and skills</a></li>
</ol>
</nav>
<main class="govuk-main-wrapper" id="main-content" role="main" lang="en">
<div class="gem-c-title">
<span class="gem-c-title__context">Guidance</span>
<h1 class="gem-c-title__text">{title}</h1>
</div>
{lead}
<div class="gem-c-metadata"><dl><dt>Published</dt><dd>1 January 2026</dd></dl></div>
<nav class="gem-c-contents-list" aria-label="Contents">
<h2 class="gem-c-contents-list__title">Contents</h2>
<ol class="gem-c-contents-list__list">
{contents}
</ol>
</nav>
<div class="govspeak">
{body(document)}
</div>
</main>
</div>
<footer class="govuk-footer" role="contentinfo">
<h2 class="govuk-visually-hidden">Support links</h2>
<ul><li><a href="/help">Help</a></li><li><a href="/help/privacy-notice">Privacy</a></li>\
<li><a href="/help/cookies">Cookies</a></li></ul>
<p>All content is available under the Open Government Licence v3.0, except where otherwise stated</p>
<p>&copy; Crown copyright</p>
</footer>
</body>
</html>
"""


PRINT_CSS = """
@page { size: A4; margin: 22mm 20mm 24mm 20mm; }
body { font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 10.5pt; line-height: 1.4; hyphens: manual; }
p, li { text-align: justify; }
h1 { font-size: 20pt; margin-bottom: 2pt; }
.subtitle { font-size: 13pt; margin-top: 0; }
h2 { font-size: 15pt; } h3 { font-size: 12.5pt; } h4, h5 { font-size: 11pt; }
pre { white-space: pre-wrap; font-size: 8.5pt; }
.columns { column-count: 2; column-gap: 8mm; }
.footnotes { font-size: 8.5pt; border-top: 0.5pt solid #888; margin-top: 12pt; }
"""


def print_page(document: Document) -> str:
    subtitle = f'<p class="subtitle">{_text(document.subtitle)}</p>' if document.subtitle else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{_text(document.title)}</title>
<style>{PRINT_CSS}</style>
</head>
<body>
<h1>{_text(document.title)}</h1>
{subtitle}
{body(document, column_section(document))}
</body>
</html>
"""
