"""Download official sources over HTTPS and pin them in ``sources.lock``.

The lock (TOML, in the texts folder) records, per edition: address, date retrieved, bytes and
sha256. A later fetch verifies the download against the lock and refuses a changed file unless
``update`` is set, in which case the old copy is kept beside the new one. Downloads go to a
temporary file that is renamed into place only when complete, so a failed or interrupted download
leaves nothing behind.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx
import tomlkit

from .errors import UsageError, WtcompareError
from .fileio import atomic_write, locked, sha256_file
from .registry import Registry

LOCK_FILE = "sources.lock"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
RETRIES = 3
LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # plain HTTP is allowed only to this machine (for tests)


@dataclass
class Fetched:
    id: str
    path: Path
    status: str  # downloaded, unchanged, updated
    bytes: int
    sha256: str


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise UsageError(f"{url}: only HTTPS addresses are fetched")


def read_lock(texts_dir: Path) -> dict[str, dict]:
    path = texts_dir / LOCK_FILE
    if not path.exists():
        return {}
    try:
        data = tomlkit.parse(path.read_text(encoding="utf-8")).unwrap()
    except Exception as exc:  # tomlkit raises several parse error types
        raise WtcompareError(f"{path}: invalid lock file: {exc}") from None
    return {entry["id"]: entry for entry in data.get("source", [])}


def _write_lock(texts_dir: Path, entries: dict[str, dict]) -> None:
    document = tomlkit.document()
    document.add(tomlkit.comment("Sources downloaded by 'wtcompare fetch': address, date retrieved, bytes, sha256."))
    tables = tomlkit.aot()
    for key in sorted(entries):
        table = tomlkit.table()
        table.update(entries[key])
        tables.append(table)
    document["source"] = tables
    atomic_write(texts_dir / LOCK_FILE, tomlkit.dumps(document))


def download(url: str, target_dir: Path, progress: Callable[[int, int | None], None] | None = None,
             client: httpx.Client | None = None) -> tuple[Path, int, str]:
    """Stream ``url`` to a temporary file in ``target_dir``; returns (temp path, bytes, sha256).
    A failure removes the temporary file."""
    _check_address(url)
    own = client is None
    # every request, redirects included, must go to an HTTPS address
    client = client or httpx.Client(timeout=TIMEOUT, transport=httpx.HTTPTransport(retries=RETRIES),
                                    follow_redirects=True, headers={"User-Agent": "wtcompare"},
                                    event_hooks={"request": [lambda request: _check_address(str(request.url))]})
    handle, name = tempfile.mkstemp(dir=target_dir, prefix=".fetch-", suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(handle, "wb") as out, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise WtcompareError(f"{url}: the server answered {response.status_code} {response.reason_phrase}")
            expected = int(response.headers.get("content-length", 0)) or None
            for chunk in response.iter_bytes():
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if progress:
                    progress(size, expected)
            if expected is not None and size != expected:
                raise WtcompareError(f"{url}: download incomplete ({size:,} of {expected:,} bytes)")
        return Path(name), size, digest.hexdigest()
    except httpx.TimeoutException:
        os.unlink(name)
        raise WtcompareError(f"{url}: timed out; try again later, or download it yourself and use "
                             "'wtcompare ingest FILE --edition ID'") from None
    except (httpx.TransportError, httpx.RemoteProtocolError) as exc:
        os.unlink(name)
        raise WtcompareError(f"{url}: cannot download ({exc.__class__.__name__}: {exc}); if you are offline, "
                             "use 'wtcompare ingest FILE --edition ID' with a local copy") from None
    except BaseException:
        if os.path.exists(name):
            os.unlink(name)
        raise
    finally:
        if own:
            client.close()


def fetch(registry: Registry, edition_id: str, update: bool = False,
          progress: Callable[[int, int | None], None] | None = None) -> Fetched:
    """Download one edition's official file into the registry's texts folder and register it."""
    from .load import detect_format
    from .registry import suffix_for

    edition = registry.get(edition_id)
    if not edition.url:
        raise UsageError(f"edition {edition_id!r} has no known official address; "
                         f"add your copy with 'wtcompare ingest FILE --edition {edition_id}'")
    texts = registry.texts_dir
    texts.mkdir(parents=True, exist_ok=True)
    temp, size, digest = download(edition.url, texts, progress)
    try:
        lock = read_lock(texts)
        known = lock.get(edition_id)
        with open(temp, "rb") as handle:
            fmt = detect_format(handle.read(65536))  # magic bytes and a text sample are enough
        target = texts / f"{edition_id}{suffix_for(fmt, Path(urlsplit(edition.url).path))}"
        current = sha256_file(target) if target.exists() else None
        if known and known["sha256"] == digest and current == digest:
            temp.unlink()
            return Fetched(edition_id, target, "unchanged", size, digest)
        if known and known["sha256"] != digest and not update:
            raise WtcompareError(
                f"{edition.url}: the file changed since it was locked (sha256 {known['sha256'][:12]}... now "
                f"{digest[:12]}...); use --update to take the new file (the old copy is kept)")
        if current and current != digest and not (known and update):
            raise WtcompareError(f"{target}: a different file is already there; use --update to replace it "
                                 "(the old copy is kept)")
        status = "updated" if current and current != digest else "downloaded"
        if current and current != digest:
            os.replace(target, target.with_name(f"{target.name}.replaced-{current[:12]}"))
        os.replace(temp, target)
    except BaseException:
        if temp.exists():
            temp.unlink()
        raise
    with locked(texts / LOCK_FILE):
        lock = read_lock(texts)  # again, under the lock: another fetch may have added to it
        lock[edition_id] = {"id": edition_id, "url": edition.url, "retrieved": dt.date.today().isoformat(),
                            "bytes": size, "sha256": digest}
        _write_lock(texts, lock)
    registry.write_entry({"id": edition_id, "source": target.name, "sha256": digest, "format": fmt})
    return Fetched(edition_id, target, status, size, digest)


def progress_bar(label: str) -> Callable[[int, int | None], None]:
    """A one-line progress display on stderr (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        return lambda done, total: None

    def show(done: int, total: int | None) -> None:
        share = f" {done / total:4.0%}" if total else ""
        sys.stderr.write(f"\r{label}: {done / 1e6:6.1f} MB{share}")
        sys.stderr.flush()

    return show
