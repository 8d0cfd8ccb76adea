"""The GOV.UK Content API: a publication page's attachments, and the text of an HTML attachment.

Every page on GOV.UK is also published as JSON at ``<base>/api/content/<page path>`` (the base is
``$WTCOMPARE_GOVUK_BASE``, default ``https://www.gov.uk``). This module reads only what it needs
and returns plain dataclasses:

* `ContentApi.page` gives a `Page`: its title, whether it was withdrawn, and its `Attachment` list
  in the order the page shows them.
* `select` picks an attachment by a title pattern (`title_pattern`) and a preferred kind; `find`
  picks one by its id.
* `ContentApi.html_attachment` gives an HTML attachment as a complete HTML document, its body
  inside ``<div class="govspeak">`` so that the HTML loader reads it as govspeak.

The shapes follow the published content schemas (alphagov/publishing-api, read at commit 64d2c150):
``content_schemas/dist/formats/publication/frontend/schema.json`` (``details.attachments``, each a
``publication_attachment_asset``: one of a ``file`` with ``id``, ``url`` and ``content_type``
required and ``title``, ``filename``, ``file_size``, ``number_of_pages`` optional; an ``html`` or
an ``external`` attachment with ``id`` and ``url`` required; ``details.featured_attachments``, the
ids in the order the page shows them; ``withdrawn_notice`` with ``explanation`` and
``withdrawn_at``), ``content_schemas/formats/shared/definitions/asset_links.jsonnet`` (the source
of ``file_attachment_asset`` and ``publication_attachment_asset``) and
``content_schemas/dist/formats/html_publication/frontend/schema.json`` (``details.body``: "HTML
rendered from govspeak"; ``public_updated_at``), with the examples under
``content_schemas/examples/publication/frontend/`` and ``.../html_publication/frontend/``.

Requests go to the base and, for attachments and every redirect, only to ``www.gov.uk`` and
``assets.publishing.service.gov.uk`` over HTTPS, or to the base itself when it is a loopback
server (tests). Answers are read up to `MAX_JSON_BYTES`.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from .errors import UsageError, WtcompareError

if TYPE_CHECKING:  # annotations only
    import httpx

DEFAULT_BASE = "https://www.gov.uk"
BASE_VARIABLE = "WTCOMPARE_GOVUK_BASE"
GOVUK_HOSTS = ("www.gov.uk", "assets.publishing.service.gov.uk")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # plain HTTP is allowed only to this machine (for tests)
FETCHABLE = ("html", "file")  # "external" attachments are links to other sites: nothing to download
MAX_JSON_BYTES = 32 * 1024 * 1024  # the longest HTML publications are a few MB of JSON
TIMEOUT_SECONDS, CONNECT_SECONDS = 30.0, 10.0  # a request, and connecting to the server
RETRIES = 3
PAGE_PATH = re.compile(r"^(/[A-Za-z0-9._~%-]+)+$")


class GovukError(WtcompareError):
    """The page cannot be used: unreachable, missing, malformed, or it has no suitable attachment."""


class NoAttachment(GovukError):
    """The page answered, but lists no attachment with that id or title."""


@dataclass(frozen=True)
class Attachment:
    """One attachment as the page lists it; ``url`` is absolute. Missing fields are ``None``."""

    id: str
    title: str | None
    attachment_type: str  # file, html or external
    content_type: str | None
    filename: str | None
    number_of_pages: int | None
    url: str
    file_size: int | None = None


@dataclass(frozen=True)
class Page:
    """A publication page: ``path`` as given to the API, ``withdrawn`` a one-line notice or ``None``."""

    path: str
    title: str | None
    attachments: tuple[Attachment, ...]
    withdrawn: str | None = None


@dataclass(frozen=True)
class HtmlAttachment:
    """An HTML attachment's text: ``document`` is a complete HTML page (UTF-8), ``updated`` the
    date GOV.UK shows as last updated (``public_updated_at``), used to notice an edit."""

    document: bytes
    updated: str | None


def api_base() -> str:
    """``$WTCOMPARE_GOVUK_BASE`` (default https://www.gov.uk), checked: HTTPS, or plain HTTP to a
    loopback host, and no path."""
    base = os.environ.get(BASE_VARIABLE) or DEFAULT_BASE
    parts = urlsplit(base)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not parts.hostname or not secure or parts.path.strip("/") or parts.query or parts.fragment:
        raise UsageError(
            f"{BASE_VARIABLE}={base!r}: give an https:// address without a path "
            "(plain http:// only for 127.0.0.1, localhost or ::1)"
        )
    return base.rstrip("/")


def page_path(page: str, base: str | None = None) -> str:
    """The path of a GOV.UK page given as a path (``/government/publications/...``) or an address
    on https://www.gov.uk (or on ``base``); an ``/api/content`` prefix is dropped."""
    parts = urlsplit(page.strip())
    if parts.scheme or parts.netloc:
        on_base = base is not None and _origin(page) == _origin(base)
        if not on_base and (parts.scheme != "https" or parts.hostname != "www.gov.uk"):
            raise UsageError(
                f"{page}: not a GOV.UK page; give a path such as /government/publications/NAME "
                "or an https://www.gov.uk/ address"
            )
    path = parts.path.rstrip("/")
    if path.startswith("/api/content/"):
        path = path[len("/api/content") :]
    if not PAGE_PATH.match(path) or "/../" in f"{path}/" or "/./" in f"{path}/":
        raise UsageError(f"{page}: not a GOV.UK page path; give one such as /government/publications/NAME")
    return path


def title_pattern(pattern: str) -> re.Pattern:
    """An attachment rule: a regular expression searched anywhere in the title, ignoring case."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"attachment pattern {pattern!r} is not a valid regular expression ({exc})") from None


def select(page: Page, pattern: str, prefer: str = "html") -> Attachment:
    """The attachment whose title matches ``pattern`` (see `title_pattern`). When both an HTML and
    a file attachment match (the same document in two forms), ``prefer`` picks the kind; two
    matches of the chosen kind are an error, since guessing between them could fetch the wrong
    document."""
    regex = title_pattern(pattern)
    matches = [a for a in page.attachments if a.title and regex.search(a.title)]
    usable = [a for a in matches if a.attachment_type in FETCHABLE]
    if not usable:
        which = "that can be fetched (a file or HTML) " if matches else ""
        raise NoAttachment(
            f"{page.path}: no attachment {which}has a title matching {pattern!r} ({len(page.attachments)} listed)"
        )
    chosen = [a for a in usable if a.attachment_type == prefer] or usable
    if len(chosen) > 1:
        titles = "; ".join(f"{a.id}: {a.title}" for a in chosen)
        raise GovukError(
            f"{page.path}: {len(chosen)} attachments match {pattern!r} ({titles}); make the pattern narrower"
        )
    return chosen[0]


def find(page: Page, attachment_id: str) -> Attachment:
    """The attachment with this id (see ``fetch --list``)."""
    for attachment in page.attachments:
        if attachment.id == attachment_id:
            return attachment
    listed = ", ".join(a.id for a in page.attachments) or "none"
    raise NoAttachment(f"{page.path}: no attachment with id {attachment_id!r} (listed: {listed})")


def fetchable(page: Page, attachment: Attachment) -> Attachment:
    """``attachment`` if it is a file or HTML; an external link or unknown kind is an error."""
    if attachment.attachment_type not in FETCHABLE:
        raise GovukError(
            f"{page.path}: attachment {attachment.id} is of type {attachment.attachment_type!r}, "
            "neither a file nor HTML; nothing to fetch"
        )
    return attachment


def html_page(title: str, body: str) -> bytes:
    """A complete HTML document: ``title``, and ``body`` (HTML rendered from govspeak) inside
    ``<div class="govspeak">``, where the HTML loader looks for govspeak. A body that already
    carries that div nests harmlessly: the loader reads the outermost one."""
    return (
        f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f'</head>\n<body>\n<div class="govspeak">\n{body}\n</div>\n</body>\n</html>\n'
    ).encode()


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def _plain(fragment: str) -> str:
    """One line of text from a small HTML fragment (a withdrawal explanation)."""
    spaced = re.sub(r"</?(?:p|div|br|li|ul|ol|h[1-6])\b[^>]*>", " ", fragment)  # blocks part words
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", spaced))).strip()


class ContentApi:
    """A client of the Content API at `api_base`; use as a context manager (or call `close`)."""

    def __init__(self) -> None:
        self.base = api_base()
        self._base_origin = _origin(self.base)
        # imported here: the registry checks its page rules with this module on every run, and
        # httpx takes a tenth of a second to import
        import httpx

        self.http = httpx.Client(
            timeout=httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_SECONDS),
            transport=httpx.HTTPTransport(retries=RETRIES),
            follow_redirects=True,
            headers={"User-Agent": "wtcompare"},
            event_hooks={"request": [self._check_request]},
        )
        self._pages: dict[str, Page] = {}

    def __enter__(self) -> ContentApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def check_followed(self, url: str) -> None:
        """Raise unless ``url`` is on a GOV.UK host over HTTPS, or on the base when the base is a
        loopback server: addresses from the API are never followed anywhere else."""
        origin = _origin(url)
        if origin[0] == "https" and origin[1] in GOVUK_HOSTS:
            return
        if self._base_origin[1] in LOOPBACK and origin == self._base_origin:
            return
        raise GovukError(
            f"{url}: not followed; addresses from the Content API must be on {' or '.join(GOVUK_HOSTS)} over HTTPS"
        )

    def _check_request(self, request: httpx.Request) -> None:
        # every request, redirects included; the base itself is where the user pointed the API
        url = str(request.url)
        if _origin(url) != self._base_origin:
            self.check_followed(url)

    def page(self, page: str) -> Page:
        """The page's attachments (asked once per client), in the order the page shows them."""
        path = page_path(page, self.base)
        if path not in self._pages:
            self._pages[path] = self._parse_page(path, self._content_item(path))
        return self._pages[path]

    def html_attachment(self, attachment: Attachment) -> HtmlAttachment:
        """An HTML attachment's content item, as a complete HTML document."""
        self.check_followed(attachment.url)
        path = page_path(attachment.url, self.base)
        item = self._content_item(path)
        details = item.get("details")
        body = details.get("body") if isinstance(details, dict) else None
        if not isinstance(body, str):
            raise GovukError(f"{path}: malformed content item: no 'details.body' text")
        if not re.sub(r"<[^>]+>", "", body).strip():
            raise GovukError(f"{path}: the HTML attachment's body is empty")
        given = item.get("title")
        title = given if isinstance(given, str) else attachment.title or path
        updated = item.get("public_updated_at")
        return HtmlAttachment(html_page(title, body), updated if isinstance(updated, str) else None)

    def _content_item(self, path: str) -> dict:
        import httpx

        url = f"{self.base}/api/content{path}"
        try:
            with self.http.stream("GET", url) as response:
                if response.status_code == 404:
                    raise GovukError(f"{path}: no such page on GOV.UK (404 Not Found at {url})")
                if response.status_code == 410:
                    raise GovukError(f"{path}: the page is gone from GOV.UK (410 Gone)")
                if response.status_code != 200:
                    raise GovukError(
                        f"{path}: the Content API answered {response.status_code} {response.reason_phrase}"
                    )
                data = _read_bounded(response, path)
        except httpx.TimeoutException:
            raise GovukError(f"{path}: the Content API at {self.base} timed out; try again later") from None
        except httpx.TransportError as exc:
            raise GovukError(
                f"{path}: cannot reach the Content API at {self.base} ({exc.__class__.__name__}: "
                f"{exc}); if you are offline, use 'wtcompare ingest FILE --edition ID' with a "
                "local copy"
            ) from None
        try:
            item = json.loads(data)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise GovukError(f"{path}: malformed JSON from the Content API ({exc})") from None
        if not isinstance(item, dict):
            raise GovukError(f"{path}: malformed content item: not a JSON object")
        return item

    def _parse_page(self, path: str, item: dict) -> Page:
        details = item.get("details", {})
        raw = details.get("attachments", []) if isinstance(details, dict) else None
        featured = details.get("featured_attachments", []) if isinstance(details, dict) else None
        if not isinstance(raw, list) or not isinstance(featured, list):
            raise GovukError(
                f"{path}: malformed content item: 'details.attachments' and "
                "'details.featured_attachments' must be lists"
            )
        attachments = [self._attachment(path, number, entry) for number, entry in enumerate(raw, start=1)]
        # the page shows featured attachments in that order; any others keep the list's order
        order = {attachment_id: k for k, attachment_id in enumerate(featured)}
        attachments.sort(key=lambda a: order.get(a.id, len(order)))
        notice = item.get("withdrawn_notice")
        withdrawn = None
        if isinstance(notice, dict) and (notice.get("withdrawn_at") or notice.get("explanation")):
            when = str(notice.get("withdrawn_at") or "")[:10]
            why = _plain(str(notice.get("explanation") or ""))
            withdrawn = f"{path}: this page was withdrawn{' on ' + when if when else ''}" + (f": {why}" if why else "")
        title = item.get("title")
        return Page(path, title if isinstance(title, str) else None, tuple(attachments), withdrawn)

    def _attachment(self, path: str, number: int, entry: object) -> Attachment:
        where = f"{path}: malformed content item: attachment {number}"
        if not isinstance(entry, dict):
            raise GovukError(f"{where} is not an object")
        for key in ("attachment_type", "id", "url"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise GovukError(f"{where} has no '{key}'")
        for key in ("title", "content_type", "filename"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise GovukError(f"{where}: '{key}' is not text")
        for key in ("number_of_pages", "file_size"):
            value = entry.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise GovukError(f"{where}: '{key}' is not a whole number")
        return Attachment(
            id=entry["id"],
            title=entry.get("title"),
            attachment_type=entry["attachment_type"],
            content_type=entry.get("content_type"),
            filename=entry.get("filename"),
            number_of_pages=entry.get("number_of_pages"),
            url=urljoin(self.base + "/", entry["url"]),
            file_size=entry.get("file_size"),
        )


def _read_bounded(response: httpx.Response, path: str) -> bytes:
    limit = MAX_JSON_BYTES
    over = GovukError(f"{path}: the Content API's answer is over the {limit:,}-byte limit")
    if int(response.headers.get("content-length") or 0) > limit:
        raise over
    data = bytearray()
    for chunk in response.iter_bytes():
        data.extend(chunk)
        if len(data) > limit:
            raise over
    return bytes(data)
