"""Safe file reading and writing.

Every file the tool writes goes to a temporary file first and is renamed into place, so an
interrupted run leaves the previous file intact. Every file it reads must be a regular file, checked
before it is opened (a named pipe would block for ever, a device such as /dev/zero never ends and
reports size 0), and is read with a bounded read. A read-modify-write of a shared file (the registry,
the sources lock) holds a lock, so two runs at once cannot lose each other's change.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError, WtcompareError, setting, shorten
from .schema import problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_BYTES = setting("WTCOMPARE_MAX_BYTES", 200 * 1024 * 1024, "bytes", least=1)
MAX_DEPTH = 20  # nesting of tables and arrays in a user's TOML file; a lexicon needs 8
LOCK_TIMEOUT = 120.0  # seconds to wait for another run's read-modify-write of the same file


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def _refuse(path: Path, mode: int) -> None:
    kind = file_kind(mode)
    if kind:
        raise UsageError(f"{path}: is {kind}, not a regular file")


def within(path: Path, folder: Path, what: str) -> Path:
    """``path``, a file of ``folder`` that may be a link, refused where it leads out of the folder:
    a texts folder from a stranger must not make wtcompare read (or write) a file elsewhere."""
    try:
        target = path.resolve()
        inside = target.is_relative_to(folder.resolve())
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise WtcompareError(f"{path}: cannot read {what}: {getattr(exc, 'strerror', None) or exc}") from None
    if not inside:
        raise WtcompareError(f"{path}: is a link to {shorten(str(target))}, outside {folder}; the {what} must be in it")
    return path


def open_regular(path: str | os.PathLike, what: str = "file") -> BinaryIO:
    """Open a regular file for reading; anything else is refused before it is opened. The open does
    not block (O_NONBLOCK) and the opened file is checked again, in case it was swapped meanwhile."""
    path = Path(path)
    try:
        _refuse(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise WtcompareError(f"{path}: cannot read {what}: {getattr(exc, 'strerror', None) or exc}") from None
    handle = open(fd, "rb")  # noqa: SIM115 - the caller closes it
    try:
        _refuse(path, os.fstat(fd).st_mode)
    except BaseException:
        handle.close()
        raise
    return handle


def read_regular(path: str | os.PathLike, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default `MAX_BYTES`). The size the
    file reports is only a hint: the read stops one byte past the limit whatever it says."""
    path = Path(path)
    limit = MAX_BYTES if limit is None else limit
    with open_regular(path, what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise WtcompareError(
                f"{path}: {size:,} bytes is over the {limit:,}-byte limit; set WTCOMPARE_MAX_BYTES to raise it"
            )
        parts, total, want = [], 0, size + 1
        try:
            while total <= limit:
                chunk = handle.read(min(want, limit + 1 - total))
                if not chunk:
                    break
                parts.append(chunk)
                total += len(chunk)
                want = 1 << 20
        except OSError as exc:
            raise WtcompareError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if total > limit:
        raise WtcompareError(f"{path}: more than the {limit:,}-byte limit; set WTCOMPARE_MAX_BYTES to raise it")
    return b"".join(parts)


def read_head(path: str | os.PathLike, size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file, or None when nothing is there."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # a name too long, a link loop
        raise WtcompareError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with open_regular(path) as handle:
        return handle.read(size)


def read_text(path: str | os.PathLike, what: str) -> str:
    """A UTF-8 text file the user gave (bounded, regular files only)."""
    try:
        return read_regular(path, what=what).decode("utf-8")
    except UnicodeDecodeError:
        raise WtcompareError(f"{path}: {what} is not UTF-8 text") from None


def depth(value: object) -> int:
    """How deeply lists and dicts nest in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        for child in item.values() if isinstance(item, dict) else item:  # (no generator made for each one)
            if isinstance(child, (dict, list)):
                stack.append((child, level + 1))
    return deepest


def parse_toml(raw: str, path: str | os.PathLike, what: str, schema: type | None = None) -> dict:
    """Parse TOML text; bad TOML, too deep nesting and (given a TypedDict ``schema``) a value of the
    wrong type are one error naming the file (and the line, or the key)."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise WtcompareError(f"{path}: invalid TOML in {what}: {exc}") from None
    except ValueError:  # Python reads an integer of at most 4,300 digits from text
        raise WtcompareError(f"{path}: invalid TOML in {what}: an integer too long to read") from None
    except RecursionError:  # the parser recurses once per level of nesting
        data = None
    if data is None or depth(data) > MAX_DEPTH:
        raise WtcompareError(f"{path}: {what} nests tables or arrays more than {MAX_DEPTH} levels deep")
    wrong = problem(data, schema) if schema else None
    if wrong:
        raise WtcompareError(f"{path}: {shorten(wrong, 200)}")
    return data


def read_toml(path: str | os.PathLike, what: str, schema: type | None = None) -> dict:
    """Parse a TOML file the user gave; every problem is one error naming the file (and, for bad
    TOML, the line). ``what`` says what the file is, for the message; see `parse_toml`."""
    return parse_toml(read_text(path, what), path, what, schema)


@contextmanager
def locked(path: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of ``path`` for a read-modify-write of it (read inside, then write), so runs
    at once take turns instead of one losing the other's change. The lock is ``.NAME.lock`` beside
    it, left in place (deleting it would let a third run lock a different file); nesting is fine."""
    from filelock import FileLock, Timeout  # only writers need it

    path = Path(path)
    lock_file = path.with_name(f".{path.name}.lock")
    lock = FileLock(lock_file, timeout=LOCK_TIMEOUT, is_singleton=True)
    try:
        lock.acquire()
    except Timeout:
        raise WtcompareError(
            f"{path}: another wtcompare run has been changing it for {LOCK_TIMEOUT:.0f} s; "
            "try again when it has finished"
        ) from None
    except OSError as exc:
        # a link planted as the lock file is never followed (filelock opens it with O_NOFOLLOW)
        raise WtcompareError(f"{path}: cannot lock it with {lock_file.name}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mode(path: Path) -> int:
    """The replaced file's permissions, else the usual ones for a new file (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically (same-folder temporary file, fsync, rename)."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        # renaming over a device or a pipe would replace it (as root, /dev/null itself)
        _refuse(path, os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise WtcompareError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WtcompareError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WtcompareError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        raise
    return path
