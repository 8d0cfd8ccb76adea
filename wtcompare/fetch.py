"""Download official sources and pin them in ``sources.lock``.

An edition's file comes from one of three places: its registered address (HTTPS only); its page
rule (registry fields ``page``, ``attachment`` and ``prefer``), resolved through the GOV.UK Content
API (`wtcompare.govuk`) to the file the page lists now, with the registered address as the fallback
when the page cannot be used; or one attachment named by page and id (`fetch_attachment`). `check`
asks the pages again whether they now list a different file, downloading nothing.

The lock (TOML, in the texts folder) records, per edition: address, date retrieved, bytes and
sha256, and for a file from a page also the page, the attachment's id and what the page said of it
(title, content type, file name, size, pages; for HTML, the date it was last updated). A later
fetch verifies the download against the lock and refuses a changed file unless ``update`` is set,
in which case the old copy is kept beside the new one. Downloads go to a temporary file that is
renamed into place only when complete, so a failed or interrupted download leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import tomlkit

from .errors import UsageError, WtcompareError
from .fileio import atomic_write, locked, read_text, sha256_file, within
from .govuk import (
    CONNECT_SECONDS,
    LOOPBACK,
    RETRIES,
    TIMEOUT_SECONDS,
    Attachment,
    ContentApi,
    GovukError,
    NoAttachment,
    Page,
    fetchable,
    find,
    page_path,
    select,
)
from .model import Edition, check_edition_id
from .registry import Registry

TIMEOUT = httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_SECONDS)
LOCK_FILE = "sources.lock"
# what --check compares between the lock and the page: any difference means another file
COMPARED = ("attachment", "url", "title", "content_type", "filename", "file_size", "number_of_pages", "updated")


@dataclass
class Fetched:
    id: str
    path: Path
    status: str  # downloaded, unchanged, updated
    bytes: int
    sha256: str
    url: str | None = None  # the address the file came from
    warnings: list[str] = field(default_factory=list)  # one line each: a withdrawn page, a fallback


@dataclass
class Checked:
    id: str
    status: str  # unchanged, changed, gone (the page no longer lists it), failed (the page cannot be used)
    message: str


@dataclass
class _Download:
    temp: Path
    size: int
    sha256: str
    url: str
    lock: dict  # where it came from, for the lock: page, attachment and its description


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise UsageError(f"{url}: only HTTPS addresses are fetched")


def read_lock(texts_dir: Path) -> dict[str, dict]:
    path = texts_dir / LOCK_FILE
    if not path.exists():
        return {}
    text = read_text(within(path, texts_dir, "lock file"), "lock file")  # a regular file, read bounded
    try:
        data = tomlkit.parse(text).unwrap()
    except Exception as exc:  # tomlkit raises several parse error types
        raise WtcompareError(f"{path}: invalid lock file: {exc}") from None
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        raise WtcompareError(f"{path}: invalid lock file: 'source' must be [[source]] tables, each with an 'id'")
    return {entry["id"]: entry for entry in entries}


def _write_lock(texts_dir: Path, entries: dict[str, dict]) -> None:
    document = tomlkit.document()
    document.add(
        tomlkit.comment(
            "Sources downloaded by 'wtcompare fetch': address, date retrieved, bytes, sha256; "
            "for a file from a GOV.UK page also the page, attachment id and what the page "
            "said of it."
        )
    )
    tables = tomlkit.aot()
    for key in sorted(entries):
        table = tomlkit.table()
        table.update(entries[key])
        tables.append(table)
    document["source"] = tables
    atomic_write(texts_dir / LOCK_FILE, tomlkit.dumps(document))


def download(
    url: str,
    target_dir: Path,
    progress: Callable[[int, int | None], None] | None = None,
    client: httpx.Client | None = None,
) -> tuple[Path, int, str]:
    """Stream ``url`` to a temporary file in ``target_dir``; returns (temp path, bytes, sha256).
    A file over the loaders' size limit is not read further. A failure removes the temporary file."""
    from . import load  # its size limit, read now so that tests can lower it

    _check_address(url)
    own = client is None
    # every request, redirects included, must go to an HTTPS address
    client = client or httpx.Client(
        timeout=TIMEOUT,
        transport=httpx.HTTPTransport(retries=RETRIES),
        follow_redirects=True,
        headers={"User-Agent": "wtcompare"},
        event_hooks={"request": [lambda request: _check_address(str(request.url))]},
    )
    handle, name = tempfile.mkstemp(dir=target_dir, prefix=".fetch-", suffix=".part")
    digest, size = hashlib.sha256(), 0
    too_big = WtcompareError(
        f"{url}: the file is over the {load.MAX_BYTES:,}-byte limit; set WTCOMPARE_MAX_BYTES to raise it"
    )
    try:
        with os.fdopen(handle, "wb") as out, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise WtcompareError(f"{url}: the server answered {response.status_code} {response.reason_phrase}")
            expected = int(response.headers.get("content-length", 0)) or None
            if expected and expected > load.MAX_BYTES:
                raise too_big
            for chunk in response.iter_bytes():
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if size > load.MAX_BYTES:
                    raise too_big
                if progress:
                    progress(size, expected)
            if expected is not None and size != expected:
                raise WtcompareError(f"{url}: download incomplete ({size:,} of {expected:,} bytes)")
        return Path(name), size, digest.hexdigest()
    except httpx.TimeoutException:
        os.unlink(name)
        raise WtcompareError(
            f"{url}: timed out; try again later, or download it yourself and use 'wtcompare ingest FILE --edition ID'"
        ) from None
    except (httpx.TransportError, httpx.RemoteProtocolError) as exc:
        os.unlink(name)
        raise WtcompareError(
            f"{url}: cannot download ({exc.__class__.__name__}: {exc}); if you are offline, "
            "use 'wtcompare ingest FILE --edition ID' with a local copy"
        ) from None
    except BaseException:
        if os.path.exists(name):
            os.unlink(name)
        raise
    finally:
        if own:
            client.close()


def _described(attachment: Attachment) -> dict:
    """What the page says of an attachment, for the lock (TOML has no null: missing fields are left out)."""
    fields = {
        "title": attachment.title,
        "content_type": attachment.content_type,
        "filename": attachment.filename,
        "file_size": attachment.file_size,
        "number_of_pages": attachment.number_of_pages,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _from_page(
    api: ContentApi,
    page: Page,
    attachment: Attachment,
    target_dir: Path,
    progress: Callable[[int, int | None], None] | None,
) -> _Download:
    """Download a file attachment, or write an HTML attachment as an HTML document, to a temporary file."""
    fetchable(page, attachment)
    api.check_followed(attachment.url)
    lock = {"page": page.path, "attachment": attachment.id, **_described(attachment)}
    if attachment.attachment_type == "file":
        temp, size, digest = download(attachment.url, target_dir, progress, api.http)
        return _Download(temp, size, digest, attachment.url, lock)
    content = api.html_attachment(attachment)
    if content.updated:
        lock["updated"] = content.updated
    handle, name = tempfile.mkstemp(dir=target_dir, prefix=".fetch-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content.document)
    except BaseException:
        os.unlink(name)
        raise
    return _Download(
        Path(name), len(content.document), hashlib.sha256(content.document).hexdigest(), attachment.url, lock
    )


@contextlib.contextmanager
def _client(api: ContentApi | None) -> Iterator[ContentApi]:
    """The caller's client, or one of our own for this call."""
    if api is not None:
        yield api
    else:
        with ContentApi() as own:
            yield own


def _by_rule(
    api: ContentApi,
    edition: Edition,
    target_dir: Path,
    progress: Callable[[int, int | None], None] | None,
    warnings: list[str],
) -> _Download:
    if edition.page is None or edition.attachment is None:  # the registry lists a rule's two parts together
        raise ValueError(f"edition {edition.id!r} has no page rule")
    page = api.page(edition.page)
    attachment = select(page, edition.attachment, edition.prefer or "html")
    if page.withdrawn:
        warnings.append(page.withdrawn)
    if edition.url and attachment.url != edition.url:
        warnings.append(f"{edition.id}: {page.path} now lists {attachment.url}, not the registered {edition.url}")
    return _from_page(api, page, attachment, target_dir, progress)


def fetch(
    registry: Registry,
    edition_id: str,
    update: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    api: ContentApi | None = None,
) -> Fetched:
    """Download one edition's official file into the registry's texts folder and register it.

    An edition with a page rule gets the file its page lists now; when the page cannot be used
    (unreachable, gone, malformed, no matching attachment), its registered address, with a warning."""
    edition = registry.get(edition_id)
    if not edition.url and not edition.page:
        raise UsageError(
            f"edition {edition_id!r} has no known official address; "
            f"add your copy with 'wtcompare ingest FILE --edition {edition_id}'"
        )
    texts = registry.texts_dir
    texts.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    got = None
    if edition.page:
        try:
            with _client(api) as client:
                got = _by_rule(client, edition, texts, progress, warnings)
        except GovukError as exc:
            if not edition.url:
                raise
            warnings.append(f"{exc}; using the registered address {edition.url}")
    if got is None:
        # no page rule, or one that failed: either way the edition has an address (refused above if not)
        assert edition.url is not None
        temp, size, digest = download(edition.url, texts, progress)
        got = _Download(temp, size, digest, edition.url, {})
    return _store(registry, edition_id, got, update, {}, warnings)


def fetch_attachment(
    registry: Registry,
    page: str,
    attachment_id: str,
    edition_id: str,
    update: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
    api: ContentApi | None = None,
    **metadata: str | int | None,
) -> Fetched:
    """Download one attachment of a GOV.UK page (a file, or an HTML attachment saved as an HTML
    document) and register it as ``edition_id`` as `Registry.ingest` does: the metadata given
    (title, year, date, publisher, kind, licence), else what the registry has; a new edition is
    titled after the attachment."""
    check_edition_id(edition_id)
    texts = registry.texts_dir
    texts.mkdir(parents=True, exist_ok=True)
    with _client(api) as client:
        listed = client.page(page)
        attachment = find(listed, attachment_id)
        got = _from_page(client, listed, attachment, texts, progress)
    entry = {key: value for key, value in metadata.items() if value is not None}
    if edition_id not in registry:
        entry.setdefault("title", attachment.title or edition_id)
        entry.setdefault("kind", "official")
    return _store(registry, edition_id, got, update, entry, [listed.withdrawn] if listed.withdrawn else [])


def _store(
    registry: Registry, edition_id: str, got: _Download, update: bool, entry: dict, warnings: list[str]
) -> Fetched:
    """Move a download into place as the edition's file, pin it in the lock and register it; a
    file that changed since it was locked is refused unless ``update``."""
    from .load import detect_format
    from .registry import suffix_for

    texts = registry.texts_dir
    temp, size, digest = got.temp, got.size, got.sha256
    record = {
        "id": edition_id,
        **got.lock,
        "url": got.url,
        "retrieved": dt.date.today().isoformat(),
        "bytes": size,
        "sha256": digest,
    }
    try:
        # read, decide and write the lock as one step: another fetch may be writing it
        with locked(texts / LOCK_FILE):
            lock = read_lock(texts)
            known = lock.get(edition_id)
            with open(temp, "rb") as handle:
                fmt = detect_format(handle.read(65536))  # magic bytes and a text sample are enough
            target = texts / f"{edition_id}{suffix_for(fmt, Path(urlsplit(got.url).path))}"
            current = sha256_file(target) if target.exists() else None
            if known and known["sha256"] == digest and current == digest:
                temp.unlink()
                # the same bytes: keep the date they were retrieved, but take what the page now says of them
                record["retrieved"] = known.get("retrieved", record["retrieved"])
                if record != known:
                    lock[edition_id] = record
                    _write_lock(texts, lock)
                return Fetched(edition_id, target, "unchanged", size, digest, got.url, warnings)
            if known and known["sha256"] != digest and not update:
                raise WtcompareError(
                    f"{got.url}: the file changed since it was locked (sha256 {known['sha256'][:12]}... now "
                    f"{digest[:12]}...); use --update to take the new file (the old copy is kept)"
                )
            if current and current != digest and not (known and update):
                raise WtcompareError(
                    f"{target}: a different file is already there; use --update to replace it (the old copy is kept)"
                )
            status = "updated" if current and current != digest else "downloaded"
            if current and current != digest:
                os.replace(target, target.with_name(f"{target.name}.replaced-{current[:12]}"))
            os.replace(temp, target)
            lock[edition_id] = record
            _write_lock(texts, lock)
    except BaseException:
        if temp.exists():
            temp.unlink()
        raise
    registry.write_entry({**entry, "id": edition_id, "source": target.name, "sha256": digest, "format": fmt})
    return Fetched(edition_id, target, status, size, digest, got.url, warnings)


def check(registry: Registry, ids: tuple[str, ...] | list[str] = (), api: ContentApi | None = None) -> list[Checked]:
    """For each locked source that came from a page (those of ``ids``, else all), ask the page
    again whether it now lists a different file than the one locked: another attachment or
    address, or changed type, name, size, pages or title; for an HTML attachment, whose address
    stays the same when it is edited, a later update date (its content item is read, nothing is
    saved). Downloads no file."""
    from_pages = {key: entry for key, entry in read_lock(registry.texts_dir).items() if entry.get("page")}
    for edition_id in ids:
        if edition_id not in from_pages:
            raise UsageError(
                f"{registry.texts_dir / LOCK_FILE}: edition {edition_id!r} was not fetched from a "
                "page; only sources fetched from a page can be checked"
            )
    chosen = list(ids) or sorted(from_pages)
    if not chosen:
        return []
    with _client(api) as client:
        return [_check_one(client, registry, edition_id, from_pages[edition_id]) for edition_id in chosen]


def _check_one(api: ContentApi, registry: Registry, edition_id: str, locked: dict) -> Checked:
    try:
        page = api.page(locked["page"])
        edition = registry.get(edition_id) if edition_id in registry else None
        if edition and edition.page and edition.attachment and page_path(edition.page, api.base) == page.path:
            attachment = select(page, edition.attachment, edition.prefer or "html")  # what a fetch would take
            again = f"wtcompare fetch {edition_id} --update"
        else:
            attachment = fetchable(page, find(page, str(locked.get("attachment"))))
            again = f"wtcompare fetch --page {page.path} --attachment {attachment.id} --edition {edition_id} --update"
        now = {"attachment": attachment.id, "url": attachment.url, **_described(attachment)}
        if attachment.attachment_type == "html":
            now["updated"] = api.html_attachment(attachment).updated
    except NoAttachment as exc:
        return Checked(edition_id, "gone", f"{exc} (locked: {locked.get('url')})")
    except GovukError as exc:
        return Checked(edition_id, "failed", str(exc))
    changes = [f"{key} {locked.get(key)!r} -> {now.get(key)!r}" for key in COMPARED if locked.get(key) != now.get(key)]
    if changes:
        return Checked(
            edition_id, "changed", f"{page.path} lists another file: {'; '.join(changes)}; '{again}' takes it"
        )
    return Checked(edition_id, "unchanged", f"{page.path} still lists {attachment.title!r} ({attachment.url})")


def progress_bar(label: str) -> Callable[[int, int | None], None]:
    """A one-line progress display on stderr (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        return lambda done, total: None

    def show(done: int, total: int | None) -> None:
        share = f" {done / total:4.0%}" if total else ""
        sys.stderr.write(f"\r{label}: {done / 1e6:6.1f} MB{share}")
        sys.stderr.flush()

    return show
