"""fetch through the GOV.UK Content API, against a local server on 127.0.0.1 serving content items
shaped by the published schemas (alphagov/publishing-api content_schemas: publication and
html_publication frontend schemas, file and HTML attachment assets, withdrawn_notice)."""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from test_cli import ok, one_line_error
from test_fetch import QuietServer, small_pdf

from wtcompare import govuk
from wtcompare import load as load_module
from wtcompare.fetch import read_lock
from wtcompare.registry import Registry

PAGE = "/government/publications/working-together-fictional"
HTML_PATH = f"{PAGE}/working-together-fictional-html"


def file_attachment(
    base: str, attachment_id: str, title: str, path: str, body: bytes, content_type: str, pages: int | None = None
) -> dict:
    """A publication_attachment_asset of type file, as the Content API lists it."""
    entry = {
        "attachment_type": "file",
        "id": attachment_id,
        "title": title,
        "url": f"{base}{path}",
        "content_type": content_type,
        "filename": path.rsplit("/", 1)[-1],
        "file_size": len(body),
        "accessible": False,
        "command_paper_number": "",
        "isbn": "",
        "unique_reference": "",
        "unnumbered_command_paper": False,
        "unnumbered_hoc_paper": False,
    }
    if pages is not None:
        entry["number_of_pages"] = pages
    return entry


def html_attachment(base: str, attachment_id: str, title: str) -> dict:
    """A publication_attachment_asset of type html: no content type, file name or pages."""
    return {
        "attachment_type": "html",
        "id": attachment_id,
        "title": title,
        "url": f"{base}{HTML_PATH}",
        "locale": "en",
        "isbn": "",
        "unique_reference": "",
    }


def publication(attachments: list[dict], withdrawn: dict | None = None) -> dict:
    """A publication content item (frontend schema), its attachments featured in list order."""
    return {
        "base_path": PAGE,
        "content_id": "5f1843f8-0000-4000-8000-000000000001",
        "document_type": "statutory_guidance",
        "schema_name": "publication",
        "title": "Working together (fictional test page)",
        "locale": "en",
        "description": "A fictional page for tests.",
        "first_published_at": "2026-03-01T09:00:00.000+00:00",
        "public_updated_at": "2026-03-01T09:00:00.000+00:00",
        "updated_at": "2026-03-01T09:00:00.000Z",
        "publishing_app": "whitehall",
        "rendering_app": "frontend",
        "phase": "live",
        "analytics_identifier": None,
        "withdrawn_notice": withdrawn or {},
        "links": {},
        "details": {
            "body": '<div class="govspeak"><p>Fictional.</p></div>',
            "political": False,
            "attachments": attachments,
            "featured_attachments": [a["id"] for a in attachments],
        },
    }


def html_publication(updated: str = "2026-03-01T09:00:00.000+00:00") -> dict:
    """An html_publication content item: details.body is HTML rendered from govspeak."""
    body = (
        '<div class="govspeak"><h2 id="chapter-1-introduction">Chapter 1: Introduction</h2>\n'
        "<p>1.1 Everyone who works with children has a part to play (fictional).</p>\n"
        '<h2 id="chapter-2-working-together">Chapter 2: Working together</h2>\n'
        "<p>2.1 Agencies share information early (fictional).</p>\n</div>"
    )
    return {
        "base_path": HTML_PATH,
        "content_id": "5f1843f8-0000-4000-8000-000000000002",
        "document_type": "html_publication",
        "schema_name": "html_publication",
        "locale": "en",
        "title": "Working together 2030: a fictional guide",
        "public_updated_at": updated,
        "updated_at": updated,
        "description": None,
        "withdrawn_notice": {},
        "links": {},
        "details": {"body": body, "public_timestamp": updated, "first_published_version": True, "political": False},
    }


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict, bytes]] = {}

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b'{"error": "not found"}'))
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            if value is not None:  # None leaves the header out
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class Site:
    """The routes of the local server, with helpers to publish a page and its files."""

    def __init__(self, base: str):
        self.base = base
        self.pdf = small_pdf("The fictional guidance, as a PDF.")
        self.csv = b"year,count\n2030,1\n"

    def json(self, path: str, item: object, status: int = 200) -> None:
        Handler.routes[f"/api/content{path}"] = (
            status,
            {"Content-Type": "application/json"},
            json.dumps(item).encode(),
        )

    def file(self, path: str, body: bytes, content_type: str = "application/pdf") -> None:
        Handler.routes[path] = (200, {"Content-Type": content_type}, body)

    def attachments(self, pdf_path: str = "/media/aaa/guide.pdf") -> list[dict]:
        return [
            file_attachment(
                self.base, "7001", "Working together 2030: a fictional guide", pdf_path, self.pdf, "application/pdf", 1
            ),
            html_attachment(self.base, "7002", "Working together 2030: a fictional guide"),
            file_attachment(
                self.base, "7003", "Data tables (unrelated)", "/media/bbb/tables.csv", self.csv, "text/csv"
            ),
        ]

    def publish(self, pdf_path: str = "/media/aaa/guide.pdf", withdrawn: dict | None = None) -> None:
        self.file(pdf_path, self.pdf)
        self.file("/media/bbb/tables.csv", self.csv, "text/csv")
        self.json(PAGE, publication(self.attachments(pdf_path), withdrawn))
        self.json(HTML_PATH, html_publication())


@pytest.fixture
def site(monkeypatch):
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("WTCOMPARE_GOVUK_BASE", base)
    Handler.routes = {}
    served = Site(base)
    served.publish()
    yield served
    httpd.shutdown()


@pytest.fixture
def texts(tmp_path, site):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "editions.toml").write_text(
        '[[edition]]\nid = "rule-html"\ntitle = "By rule, HTML"\nyear = 2030\n'
        f'page = "{PAGE}"\nattachment = "^working together 2030"\n\n'
        '[[edition]]\nid = "rule-pdf"\ntitle = "By rule, file"\nyear = 2030\n'
        f'page = "{PAGE}"\nattachment = "fictional guide$"\nprefer = "file"\n\n'
        '[[edition]]\nid = "rule-fallback"\ntitle = "Rule with a fixed address too"\nyear = 2030\n'
        'page = "/government/publications/no-such-page"\nattachment = "guide"\n'
        f'url = "{site.base}/media/aaa/guide.pdf"\n'
    )
    return folder


def contents(folder) -> dict:
    """Every file in the folder and its bytes: to show that a failure left nothing behind."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


# --list ---------------------------------------------------------------------------------------


def test_list_shows_every_attachment_in_page_order(run, site):
    table = ok(run("fetch", "--list", PAGE)).stdout
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["id", "title", "attachment_type"]
    assert [line.split()[0] for line in lines[1:]] == ["7001", "7002", "7003"]
    assert f"{site.base}/media/aaa/guide.pdf" in table  # addresses are printed whole
    listed = strict_json(ok(run("fetch", "--list", PAGE, "--format", "json")).stdout)
    assert listed["page"] == PAGE and listed["withdrawn"] is None
    pdf, html, csv = listed["attachments"]
    assert pdf == {
        "id": "7001",
        "title": "Working together 2030: a fictional guide",
        "attachment_type": "file",
        "content_type": "application/pdf",
        "filename": "guide.pdf",
        "number_of_pages": 1,
        "url": f"{site.base}/media/aaa/guide.pdf",
    }
    assert html["attachment_type"] == "html" and html["content_type"] is None and html["number_of_pages"] is None
    assert csv["filename"] == "tables.csv" and csv["number_of_pages"] is None


def test_list_follows_featured_order(run, site):
    item = publication(site.attachments())
    item["details"]["featured_attachments"] = ["7003", "7001"]  # 7002 not featured: it comes after
    site.json(PAGE, item)
    listed = strict_json(ok(run("fetch", "--list", PAGE, "--format", "json")).stdout)
    assert [a["id"] for a in listed["attachments"]] == ["7003", "7001", "7002"]


def test_list_takes_a_full_address(run, site):
    listed = strict_json(ok(run("fetch", "--list", f"{site.base}{PAGE}/", "--format", "json")).stdout)
    assert listed["page"] == PAGE and len(listed["attachments"]) == 3
    one_line_error(run("fetch", "--list", f"https://example.org{PAGE}"), 2, "not a GOV.UK page")


def test_withdrawn_page_still_lists_with_one_warning(run, site):
    site.publish(
        withdrawn={
            "explanation": '<div class="govspeak"><p>Replaced by the <a href="/x">2031 guide</a>.</p></div>',
            "withdrawn_at": "2031-01-13T13:05:30Z",
        }
    )
    result = ok(run("fetch", "--list", PAGE, "--format", "json"))
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("wtcompare: warning:")
    assert "withdrawn on 2031-01-13: Replaced by the 2031 guide." in warnings[0]
    assert len(strict_json(result.stdout)["attachments"]) == 3


# --page --attachment --------------------------------------------------------------------------


def test_page_attachment_fetches_a_file(run, texts, site):
    out = ok(
        run(
            "--texts",
            str(texts),
            "fetch",
            "--page",
            PAGE,
            "--attachment",
            "7001",
            "--edition",
            "wt2030-pdf",
            "--year",
            "2030",
            "--publisher",
            "Fictional",
        )
    )
    assert out.stdout.startswith("downloaded wt2030-pdf:")
    lock = read_lock(texts)["wt2030-pdf"]
    assert lock["page"] == PAGE and lock["attachment"] == "7001" and lock["url"] == f"{site.base}/media/aaa/guide.pdf"
    assert lock["bytes"] == len(site.pdf) and len(lock["sha256"]) == 64 and lock["retrieved"]
    assert lock["number_of_pages"] == 1 and lock["filename"] == "guide.pdf"
    registry = Registry(texts)
    edition = registry.get("wt2030-pdf")
    assert (edition.format, edition.sha256, edition.year, edition.publisher) == (
        "pdf",
        lock["sha256"],
        2030,
        "Fictional",
    )
    assert edition.title == "Working together 2030: a fictional guide"  # a new edition is named after the attachment
    document = registry.load("wt2030-pdf")
    assert [s.heading for s in document.sections] == ["Fetched"]
    again = ok(run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "wt2030-pdf"))
    assert again.stdout.startswith("unchanged wt2030-pdf:")


def test_page_attachment_fetches_html_as_a_govspeak_document(run, texts, site):
    ok(
        run(
            "--texts",
            str(texts),
            "fetch",
            "--page",
            PAGE,
            "--attachment",
            "7002",
            "--edition",
            "wt2030-html",
            "--title",
            "Fictional HTML",
        )
    )
    saved = (texts / "wt2030-html.html").read_text(encoding="utf-8")
    assert saved.startswith("<!DOCTYPE html>") and "<title>Working together 2030: a fictional guide</title>" in saved
    assert '<div class="govspeak">' in saved and saved.rstrip().endswith("</html>")
    lock = read_lock(texts)["wt2030-html"]
    assert lock["updated"] == "2026-03-01T09:00:00.000+00:00" and lock["url"] == f"{site.base}{HTML_PATH}"
    registry = Registry(texts)
    assert registry.get("wt2030-html").format == "html" and registry.get("wt2030-html").title == "Fictional HTML"
    document = registry.load("wt2030-html")
    assert [s.heading for s in document.sections] == ["Introduction", "Working together"]
    assert [p.number for p in document.paragraphs()] == ["1.1", "2.1"]


def test_an_attachment_neither_file_nor_html_is_refused(run, texts, site):
    item = publication(
        site.attachments()
        + [{"attachment_type": "external", "id": "7004", "title": "Elsewhere", "url": "https://example.org/elsewhere"}]
    )
    site.json(PAGE, item)
    before = contents(texts)
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7004", "--edition", "x"),
        1,
        "7004",
        "neither a file nor HTML",
    )
    assert contents(texts) == before


def test_unknown_attachment_id(run, texts, site):
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "9999", "--edition", "x"),
        1,
        PAGE,
        "no attachment with id '9999'",
        "7001",
    )


# page rules in the registry -------------------------------------------------------------------


def test_rule_picks_html_or_file_as_preferred(run, texts, site):
    assert ok(run("--texts", str(texts), "fetch", "rule-html", "rule-pdf")).stderr == ""
    registry = Registry(texts)
    assert registry.get("rule-html").format == "html" and registry.get("rule-pdf").format == "pdf"
    assert (texts / "rule-pdf.pdf").read_bytes() == site.pdf
    assert read_lock(texts)["rule-html"]["attachment"] == "7002"
    assert [s.heading for s in registry.load("rule-html").sections] == ["Introduction", "Working together"]


def test_rule_falls_back_to_the_registered_address(run, texts, site):
    result = ok(run("--texts", str(texts), "fetch", "rule-fallback"))
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and "no-such-page" in warnings[0] and "404" in warnings[0]
    assert "using the registered address" in warnings[0]
    assert (texts / "rule-fallback.pdf").read_bytes() == site.pdf and "page" not in read_lock(texts)["rule-fallback"]


def test_rule_says_when_the_page_lists_another_address(run, texts, site):
    (texts / "editions.toml").write_text(
        f'[[edition]]\nid = "moved"\ntitle = "M"\nurl = "{site.base}/media/old/guide.pdf"\n'
        f'page = "{PAGE}"\nattachment = "guide"\nprefer = "file"\n'
    )
    result = ok(run("--texts", str(texts), "fetch", "moved"))
    assert "now lists" in result.stderr and "/media/aaa/guide.pdf" in result.stderr
    assert read_lock(texts)["moved"]["url"] == f"{site.base}/media/aaa/guide.pdf"


def test_rule_without_a_match_and_without_an_address(run, texts, site):
    (texts / "editions.toml").write_text(
        f'[[edition]]\nid = "nomatch"\ntitle = "N"\npage = "{PAGE}"\nattachment = "statutory framework"\n'
    )
    before = contents(texts)
    one_line_error(run("--texts", str(texts), "fetch", "nomatch"), 1, PAGE, "no attachment", "statutory framework")
    assert contents(texts) == before


def test_ambiguous_rule_is_an_error(run, texts, site):
    (texts / "editions.toml").write_text(
        f'[[edition]]\nid = "two"\ntitle = "T"\npage = "{PAGE}"\nattachment = "."\nprefer = "file"\n'
    )
    one_line_error(run("--texts", str(texts), "fetch", "two"), 1, "2 attachments match", "narrower")


@pytest.mark.parametrize(
    "fields, message",
    [
        ('page = "/government/publications/x"\nattachment = "(unclosed"', "not a valid regular expression"),
        ('page = "/government/publications/x"\nattachment = "x"\nprefer = "pdf"', "prefer must be one of html, file"),
        ('page = "https://example.org/government/publications/x"\nattachment = "x"', "not a GOV.UK page"),
        ('page = "/government/publications/x"', "needs both 'page' and 'attachment'"),
        ('attachment = "x"', "needs both 'page' and 'attachment'"),
    ],
)
def test_bad_page_rules_are_refused(run, tmp_path, fields, message):
    (tmp_path / "editions.toml").write_text(f'[[edition]]\nid = "bad"\ntitle = "B"\n{fields}\n')
    line = one_line_error(run("--texts", str(tmp_path), "editions"), 1, "editions.toml", message)
    assert "'bad'" in line


def test_bundled_rule_is_only_on_the_file_the_page_lists_now(registry):
    ruled = [e.id for e in registry.editions() if e.page]
    assert ruled == ["wt2026-reupload-2"]
    edition = registry.get("wt2026-reupload-2")
    assert edition.page == "/government/publications/working-together-to-safeguard-children--2"
    assert edition.prefer == "file" and edition.url  # the fixed address stays as the fallback


# --check --------------------------------------------------------------------------------------


def test_check_reports_a_changed_file(run, texts, site):
    ok(run("--texts", str(texts), "fetch", "rule-pdf", "rule-html"))
    ok(run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7003", "--edition", "tables"))
    lines = ok(run("--texts", str(texts), "fetch", "--check")).stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["unchanged", "rule-html:"],
        ["unchanged", "rule-pdf:"],
        ["unchanged", "tables:"],
    ]
    lock_before, requests_before = (texts / "sources.lock").read_bytes(), contents(texts)
    site.pdf = small_pdf("The fictional guidance, amended.")  # re-uploaded at a new address
    site.publish(pdf_path="/media/ccc/guide-amended.pdf")
    site.json(HTML_PATH, html_publication(updated="2026-06-01T09:00:00.000+00:00"))  # the HTML edited in place
    lines = ok(run("--texts", str(texts), "fetch", "--check")).stdout.splitlines()
    assert lines[0].startswith("changed rule-html:") and "updated" in lines[0] and "2026-06-01" in lines[0]
    assert lines[1].startswith("changed rule-pdf:") and "/media/ccc/guide-amended.pdf" in lines[1]
    assert lines[1].endswith("'wtcompare fetch rule-pdf --update' takes it")
    assert lines[2].startswith("unchanged tables:")
    assert contents(texts) == requests_before and (texts / "sources.lock").read_bytes() == lock_before
    only = ok(run("--texts", str(texts), "fetch", "--check", "rule-pdf")).stdout.splitlines()
    assert len(only) == 1 and only[0].startswith("changed rule-pdf:")
    one_line_error(run("--texts", str(texts), "fetch", "rule-pdf"), 1, "changed since it was locked", "--update")
    assert ok(run("--texts", str(texts), "fetch", "rule-pdf", "--update")).stdout.startswith("updated rule-pdf:")
    assert ok(run("--texts", str(texts), "fetch", "--check", "rule-pdf")).stdout.startswith("unchanged rule-pdf:")


def test_check_when_the_page_drops_the_attachment(run, texts, site):
    ok(run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7003", "--edition", "tables"))
    site.json(PAGE, publication(site.attachments()[:2]))
    result = ok(run("--texts", str(texts), "fetch", "--check"))
    assert result.stdout.startswith("gone tables:") and "'7003'" in result.stdout


def test_check_with_an_unreachable_page(run, texts, site):
    ok(run("--texts", str(texts), "fetch", "rule-pdf"))
    site.json(PAGE, {"error": "gone"}, status=410)
    result = run("--texts", str(texts), "fetch", "--check")
    one_line_error(result, 1, "rule-pdf")
    assert result.stdout.startswith("failed rule-pdf:") and "410" in result.stdout


def test_check_needs_a_source_from_a_page(run, texts, site):
    assert "nothing to check" in ok(run("--texts", str(texts), "fetch", "--check")).stdout
    ok(run("--texts", str(texts), "fetch", "rule-fallback"))  # came from its fixed address
    one_line_error(run("--texts", str(texts), "fetch", "--check", "rule-fallback"), 2, "not fetched from a page")


# errors: nothing is left behind ---------------------------------------------------------------


@pytest.mark.parametrize("status, fragment", [(404, "no such page"), (410, "gone")])
def test_missing_page(run, texts, site, status, fragment):
    site.json(PAGE, {"error": "x"}, status=status)
    before = contents(texts)
    one_line_error(run("fetch", "--list", PAGE), 1, PAGE, fragment)
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"),
        1,
        PAGE,
        str(status),
    )
    one_line_error(run("--texts", str(texts), "fetch", "rule-pdf"), 1, PAGE, str(status))
    assert contents(texts) == before


@pytest.mark.parametrize(
    "body",
    [
        b'{"details": {"attachments": [',
        b"[1, 2]",
        b'{"details": {"attachments": [{"attachment_type": "file", "id": "1"}]}}',
        b'{"details": {"attachments": "none"}}',
    ],
)
def test_malformed_content_item(run, texts, site, body):
    Handler.routes[f"/api/content{PAGE}"] = (200, {"Content-Type": "application/json"}, body)
    before = contents(texts)
    one_line_error(run("fetch", "--list", PAGE), 1, PAGE, "malformed")
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "1", "--edition", "x"), 1, "malformed"
    )
    assert contents(texts) == before


def test_redirect_off_the_allowed_hosts_is_not_followed(run, texts, site):
    Handler.routes["/media/aaa/guide.pdf"] = (302, {"Location": "https://example.org/guide.pdf"}, b"")
    before = contents(texts)
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"),
        1,
        "https://example.org/guide.pdf",
        "not followed",
    )
    assert contents(texts) == before
    Handler.routes["/media/aaa/guide.pdf"] = (302, {"Location": "http://localhost:1/guide.pdf"}, b"")
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"), 1, "not followed"
    )  # another loopback host and port is not the API's own
    assert contents(texts) == before


def test_a_redirect_on_the_same_host_is_followed(run, texts, site):
    Handler.routes["/media/aaa/guide.pdf"] = (301, {"Location": "/media/aaa/moved.pdf"}, b"")
    site.file("/media/aaa/moved.pdf", site.pdf)
    ok(run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"))
    assert (texts / "x.pdf").read_bytes() == site.pdf


def test_attachment_address_off_the_allowed_hosts(run, texts, site):
    attachments = site.attachments()
    attachments[0]["url"] = "https://example.org/media/guide.pdf"
    site.json(PAGE, publication(attachments))
    before = contents(texts)
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"),
        1,
        "example.org",
        "not followed",
        "www.gov.uk",
    )
    assert contents(texts) == before


def test_oversized_answers(run, texts, site, monkeypatch):
    before = contents(texts)
    monkeypatch.setattr(load_module, "MAX_BYTES", 100)
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"),
        1,
        "over the 100-byte limit",
        "WTCOMPARE_MAX_BYTES",
    )
    assert contents(texts) == before
    site.file("/media/aaa/guide.pdf", site.pdf, content_type="application/pdf")
    Handler.routes["/media/aaa/guide.pdf"][1]["Content-Length"] = None  # no size announced: counted as it comes
    one_line_error(
        run("--texts", str(texts), "fetch", "--page", PAGE, "--attachment", "7001", "--edition", "x"),
        1,
        "over the 100-byte limit",
    )
    assert contents(texts) == before
    monkeypatch.setattr(govuk, "MAX_JSON_BYTES", 100)
    one_line_error(run("fetch", "--list", PAGE), 1, PAGE, "over the 100-byte limit")
    Handler.routes[f"/api/content{PAGE}"][1]["Content-Length"] = None
    one_line_error(run("fetch", "--list", PAGE), 1, PAGE, "over the 100-byte limit")


def test_offline(run, texts, monkeypatch):
    monkeypatch.setenv("WTCOMPARE_GOVUK_BASE", "http://127.0.0.1:9")
    before = contents(texts)
    one_line_error(run("fetch", "--list", PAGE), 1, "cannot reach", "ingest")
    one_line_error(run("--texts", str(texts), "fetch", "rule-pdf"), 1, "cannot reach")
    assert contents(texts) == before


@pytest.mark.parametrize("base", ["http://example.org", "ftp://127.0.0.1", "https://www.gov.uk/api"])
def test_api_base_must_be_https_or_loopback(run, monkeypatch, base):
    monkeypatch.setenv("WTCOMPARE_GOVUK_BASE", base)
    one_line_error(run("fetch", "--list", PAGE), 2, "WTCOMPARE_GOVUK_BASE", "https://")


@pytest.mark.parametrize(
    "args",
    [
        ["wt2026", "--list", PAGE],
        ["--list", PAGE, "--check"],
        ["--page", PAGE, "--attachment", "1", "--edition", "x", "--check"],
        ["wt2026", "--page", PAGE, "--attachment", "1", "--edition", "x"],
        ["--list", PAGE, "--title", "T"],
        ["--page", PAGE, "--edition", "x"],
        ["wt2026", "--format", "json"],
        ["--check", "--update"],
    ],
)
def test_modes_cannot_be_mixed(run, args):
    one_line_error(run("fetch", *args), 2)
