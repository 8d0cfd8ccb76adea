"""Every format the bench renders: name -> file suffix and producer. `Renderers` starts Chromium once,
and only when a Chromium format is asked for."""

from __future__ import annotations

import re
from pathlib import Path

from . import pandoc_ast, render_docx, render_html, render_markdown, render_pdf, render_text
from .model import Document

FORMATS = {
    "text": ".txt",
    "markdown": ".md",
    "markdown-pandoc": ".md",
    "pdf-reportlab": ".pdf",
    "pdf-chromium": ".pdf",
    "html-govuk": ".html",
    "html-pandoc": ".html",
    "docx-python-docx": ".docx",
    "docx-pandoc": ".docx",
}
CHROMIUM = "/usr/bin/chromium"
AUTOLINK = re.compile(r"<https?://[^<>\s]*>")


class Renderers:
    """``with Renderers() as render: path = render(document, "pdf-chromium", folder)``."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()

    def _chromium(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=render_pdf.CHROMIUM_ARGS)
        return self._browser

    def __call__(self, document: Document, fmt: str, folder: Path) -> Path:
        path = Path(folder) / f"{document.name}.{fmt}{FORMATS[fmt]}"
        if fmt == "text":
            path.write_text(render_text.render(document), encoding="utf-8")
        elif fmt == "markdown":
            path.write_text(render_markdown.render(document), encoding="utf-8")
        elif fmt == "markdown-pandoc":
            pandoc_ast.write(document, "markdown", path, "--columns=72")
            # pandoc writes an address shown as itself as an autolink with its braces escaped,
            # "<https://...?tag=%7BSTABLE_BRANCH%7D-...>", which every reader then shows so: the
            # words in braces would be lost; an autolink may hold braces as they are
            text = path.read_text(encoding="utf-8")
            path.write_text(
                AUTOLINK.sub(lambda m: m.group(0).replace("%7B", "{").replace("%7D", "}"), text), encoding="utf-8"
            )
        elif fmt == "pdf-reportlab":
            render_pdf.reportlab_pdf(document, path)
        elif fmt == "pdf-chromium":
            render_pdf.chromium_pdf(document, path, self._chromium())
        elif fmt == "html-govuk":
            path.write_text(render_html.govuk_page(document), encoding="utf-8")
        elif fmt == "html-pandoc":
            pandoc_ast.write(document, "html5", path)
        elif fmt == "docx-python-docx":
            render_docx.python_docx(document, path)
        elif fmt == "docx-pandoc":
            pandoc_ast.write(document, "docx", path)
        else:
            raise ValueError(f"unknown format {fmt!r}: formats are {', '.join(FORMATS)}")
        return path
