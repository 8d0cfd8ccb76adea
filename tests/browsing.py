"""What the browser tests share: Debian's Chromium (driven by Playwright, started as the project's
rules say), where screenshots go, and a page that records anything it should not do. The
``browser`` fixture itself is in conftest.py."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class Watched:
    """A page that records console errors, page errors, dialogs and every request that is not the file
    itself (with ``folder``, every request for a file outside that folder: a site's pages link to each other)."""

    def __init__(self, browser, path: Path, width: int = 1280, folder: Path | None = None, **options):
        self.page = browser.new_page(viewport={"width": width, "height": 900}, **options)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        inside = (folder or path).resolve().as_uri()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith("data:")
                or r.url.split("#")[0] == inside
                or (folder and r.url.startswith(inside + "/"))
                else self.requests.append(r.url)
            ),
        )
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def clean(self):
        assert self.errors == [] and self.requests == [] and self.dialogs == []
