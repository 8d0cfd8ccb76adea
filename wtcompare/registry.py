"""The edition registry: which editions exist, where their text is, and its checksum.

Editions are listed in ``editions.toml`` files as ``[[edition]]`` tables. The registry that ships
with the package (the fictional sample and the facts about the real editions) is read first; a
user's texts folder may hold its own ``editions.toml`` whose entries add editions or correct
fields of bundled ones, so nobody has to edit the package.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import UsageError, WtcompareError, shorten
from .fileio import MAX_BYTES, atomic_write, file_kind, locked, parse_toml, read_regular, read_text, within
from .govuk import FETCHABLE, page_path, title_pattern
from .model import KINDS, Document, Edition, check_date, check_edition_id
from .schema import problem

if TYPE_CHECKING:  # annotations only
    import pandas as pd

    from .outline import EditionText
    from .parallel import WorkerDied, Workers


REGISTRY_FILE = "editions.toml"
FIELDS = [f.name for f in fields(Edition)]


def bundled_texts_dir() -> Path:
    """The texts folder shipped with the package (installed as ``wtcompare/texts``), or the
    repository's ``texts/`` when running from a clone."""
    here = Path(__file__).resolve().parent
    installed = here / "texts"
    return installed if installed.is_dir() else here.parent / "texts"


def default_texts_dir() -> Path:
    """``$WTCOMPARE_TEXTS``, else ``./texts`` when it exists, else the bundled texts."""
    env = os.environ.get("WTCOMPARE_TEXTS")
    if env:
        return Path(env)
    local = Path("texts")
    return local if local.is_dir() else bundled_texts_dir()


ID_LINE = re.compile(r"""^[ \t]*id[ \t]*=[ \t]*["']([^"'\n]*)["']""", re.M)


def _id_lines(raw: str) -> dict[str, list[int]]:
    """The line of every ``id = "..."`` in the file, by id, in one pass (looking each entry up
    again from the top made 20,000 entries take a minute)."""
    lines: dict[str, list[int]] = {}
    line, last = 1, 0
    for match in ID_LINE.finditer(raw):
        line += raw.count("\n", last, match.start())
        last = match.start()
        lines.setdefault(match.group(1), []).append(line)
    return lines


def _confined(where: str, edition_id: str, source: str, folder: Path) -> str:
    """The absolute path of ``source``, which must resolve (links followed) inside ``folder``, the
    registry file's own folder, and be a regular file if it exists: a folder received from someone
    else must not read the rest of the machine (``../../etc/passwd``, ``/dev/zero``, a link out)."""
    named = f"{where}: edition {edition_id!r}: source {shorten(source)!r}"
    try:
        target = (folder / source).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a NUL byte, a name too long
        raise WtcompareError(f"{named} cannot be resolved: {getattr(exc, 'strerror', None) or exc}") from None
    if not target.is_relative_to(folder):
        raise WtcompareError(
            f"{named} is outside the registry's folder {folder}; a source must be a file "
            "inside the folder of the editions.toml that names it"
        )
    try:
        kind = file_kind(os.stat(target).st_mode)
    except OSError:  # missing or unreadable: loading it says so
        kind = None
    if kind:
        raise WtcompareError(f"{named} is {kind}, not a regular file")
    return str(target)


def read_registry_file(path: Path) -> list[dict]:
    """Parse and validate one registry file; paths in it are made absolute (and must stay inside
    the file's folder)."""
    raw = read_text(path, "registry")
    data = parse_toml(raw, path, "registry")
    entries = data.get("edition", [])
    if not isinstance(entries, list):
        raise WtcompareError(f"{path}: 'edition' must be an array of tables ([[edition]])")
    folder = path.parent.resolve()
    lines = _id_lines(raw)
    seen: set[str] = set()
    result = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: edition {number}"
        if not isinstance(entry, dict) or "id" not in entry:
            raise WtcompareError(f"{where}: missing 'id'")
        edition_id = entry["id"]
        if isinstance(edition_id, str):
            found = lines.get(edition_id, [])  # a second entry with an id is at that id's second line
            nth = 1 if edition_id in seen and len(found) > 1 else 0
            where = f"{path}:{found[nth]}" if found else where
        try:
            check_edition_id(edition_id)
        except UsageError as exc:
            raise WtcompareError(f"{where}: {shorten(str(exc), 200)}") from None
        unknown = set(entry) - set(FIELDS)
        if unknown:
            names = ", ".join(shorten(k, 40) for k in sorted(unknown)[:5])
            raise WtcompareError(f"{where}: unknown field(s) {names} in edition {edition_id!r}")
        if edition_id in seen:
            raise WtcompareError(f"{where}: edition {edition_id!r} is listed twice")
        seen.add(edition_id)
        if isinstance(entry.get("date"), dt.date):  # a TOML date: kept as its text
            entry["date"] = str(entry["date"])
        wrong = problem(entry, Edition)
        if wrong:
            raise WtcompareError(f"{where}: edition {edition_id!r}: {shorten(wrong, 200)}")
        try:
            if "date" in entry:
                check_date(entry["date"])
        except UsageError as exc:
            raise WtcompareError(f"{where}: edition {edition_id!r}: {exc}") from None
        if "year" in entry and not 1 <= entry["year"] <= 9999:
            raise WtcompareError(f"{where}: edition {edition_id!r}: year must be from 1 to 9999, not {entry['year']}")
        if "kind" in entry and entry["kind"] not in KINDS:
            raise WtcompareError(f"{where}: edition {edition_id!r}: kind must be one of {', '.join(KINDS)}")
        try:
            _check_page_rule(entry)
        except UsageError as exc:
            raise WtcompareError(f"{where}: edition {edition_id!r}: {exc}") from None
        if entry.get("source"):
            entry["source"] = _confined(where, edition_id, entry["source"], folder)
        result.append(entry)
    return result


def _check_page_rule(entry: dict) -> None:
    """The fields of a page rule, each on its own (a user's file may complete a bundled rule)."""
    for key in ("page", "attachment", "prefer"):
        if key in entry and not isinstance(entry[key], str):
            raise UsageError(f"{key} must be a string")
    if "page" in entry:
        page_path(entry["page"])
    if "attachment" in entry:
        title_pattern(entry["attachment"])
    if "prefer" in entry and entry["prefer"] not in FETCHABLE:
        raise UsageError(f"prefer must be one of {', '.join(FETCHABLE)}")


def suffix_for(fmt: str | None, source: Path) -> str:
    """File extension for a stored source, from its detected format. A stored Markdown file must
    keep a Markdown extension, since that is one way its format is known again."""
    if fmt == "markdown":
        return source.suffix.lower() if source.suffix.lower() in (".md", ".markdown") else ".md"
    return {"pdf": ".pdf", "docx": ".docx", "html": ".html"}.get(fmt or "", ".txt")


class _Source(NamedTuple):
    """An edition's local text as read: its registry entry with the text's SHA-256, the file, its
    bytes, and warnings about it (a SHA-256 that differs from the registry's)."""

    edition: Edition
    path: str
    data: bytes
    notes: list[str]


LOADING_AT_ONCE = 2  # editions `Registry.load_many` loads in workers, beside the caller's imports


def _died(source: str | None, died: WorkerDied) -> WtcompareError:
    """The error of an edition whose loading worker process died."""
    return WtcompareError(
        f"{source}: loading it stopped its worker process (exit code {died.exitcode}): out of memory, "
        "or a library's crash"
    )


def _slow(source: _Source) -> bool:
    """Whether loading an edition is mostly reading a PDF's pages, worth a worker of its own: a
    PDF whose document the cache lacks."""
    from .load import detect_format, stored

    try:
        pdf = detect_format(source.data) == "pdf"
    except WtcompareError:  # its loading says what is wrong with it, in its turn
        return False
    return pdf and not stored(source.data, source.path, bool(source.edition.ocr))


class Registry:
    """Editions known to the tool, from the bundled registry and the user's texts folder."""

    def __init__(self, texts_dir: str | os.PathLike | None = None, create: bool = False) -> None:
        """``create``: the texts folder need not exist yet; `ingest` makes it once it has a file to store."""
        self.texts_dir = Path(texts_dir) if texts_dir is not None else default_texts_dir()
        if texts_dir is not None and not create and not self.texts_dir.is_dir():
            raise UsageError(f"{self.texts_dir}: texts folder does not exist")
        self._read()

    def _read(self) -> None:
        self.files: list[Path] = []
        merged: dict[str, dict] = {}
        for path in self._registry_files():
            self.files.append(path)
            for entry in read_registry_file(path):
                merged.setdefault(entry["id"], {}).update(entry)
        self._editions = {}
        for edition_id, entry in merged.items():
            if "title" not in entry:
                raise WtcompareError(f"{self.files[-1]}: edition {edition_id!r} has no title")
            if ("page" in entry) != ("attachment" in entry) or ("prefer" in entry and "page" not in entry):
                raise WtcompareError(
                    f"{self.files[-1]}: edition {edition_id!r}: a page rule needs both 'page' and "
                    "'attachment' (a title pattern); 'prefer' only goes with them"
                )
            self._editions[edition_id] = Edition(**entry)

    @property
    def path(self) -> Path:
        """The registry file of the texts folder (the one `ingest` and `fetch` write)."""
        return self.texts_dir / REGISTRY_FILE

    def _registry_files(self) -> list[Path]:
        unique: list[Path] = []
        for path in (bundled_texts_dir() / REGISTRY_FILE, self.path):
            if path == self.path and os.path.islink(path):
                within(path, self.texts_dir, "registry")
            try:
                kind = file_kind(os.stat(path).st_mode)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise WtcompareError(f"{path}: cannot read registry: {exc.strerror or exc}") from None
            if kind:
                raise WtcompareError(f"{path}: is {kind}, not a registry file")
            if all(not path.samefile(seen) for seen in unique):
                unique.append(path)
        return unique

    # Reading --------------------------------------------------------------------------------

    def editions(self) -> list[Edition]:
        """All editions in publication order (see `chronological`)."""
        return sorted(self._editions.values(), key=self.chronological)

    def chronological(self, edition: Edition) -> tuple:
        """Sort key putting editions in publication order: by date (``YYYY``, ``YYYY-MM`` or
        ``YYYY-MM-DD``; a bare year stands for its date), then year, then id. An amendment
        (``version_of``) comes after its base edition: undated, or dated no later than the base, it
        takes the base's date and follows it; dated later, it sorts by its own date. An edition with
        neither date nor year comes last."""
        dates, depth, current, seen = [], 0, edition, {edition.id}
        while True:
            own = current.date or (f"{current.year:04d}" if current.year else None)
            if own:
                dates.append(own)
            base = self._editions.get(current.version_of) if current.version_of else None
            if base is None or base.id in seen:  # a version_of loop is ignored, not followed forever
                break
            seen.add(base.id)
            depth += 1
            current = base
        # the latest of the edition's own date and its bases' dates; ``depth`` then puts an
        # amendment after the base whose date it shares
        when = max(dates) if dates else None
        return (when is None, when or "", depth, edition.year or 0, edition.id)

    def series(self, ids: tuple[str, ...] | list[str] = (), include_samples: bool = False) -> list[Edition]:
        """The editions of a series (a timeline, or a scan of every edition), in publication order.

        With ``ids``, those editions; mixing fictional samples (kind ``sample``) with official or
        user editions is refused unless ``include_samples``. Without, every edition with a local
        text but companion documents (``companion = true``: published beside an edition, such as
        the 2023 statutory framework, not a step of the series): the non-sample ones when there are
        any (a folder of one's own editions is never mixed with the bundled fiction), else the
        samples; ``include_samples`` takes both. A companion is in a series only when named."""
        if ids:
            repeated = sorted({i for i in ids if list(ids).count(i) > 1})
            if repeated:
                raise UsageError(f"edition {repeated[0]!r} is given twice")
            chosen = [self.get(i) for i in ids]
            samples = [e.id for e in chosen if e.fictional]
            others = [e.id for e in chosen if not e.fictional]
            if samples and others and not include_samples:
                raise UsageError(
                    f"{samples[0]} is a fictional sample and {others[0]} is not; "
                    "add --include-samples to put them in one series"
                )
        else:
            with_text = [e for e in self._editions.values() if e.source]
            if not with_text:
                raise WtcompareError("no edition has a local text; add one with 'wtcompare ingest FILE --edition ID'")
            if not include_samples and any(not e.fictional for e in with_text):
                with_text = [e for e in with_text if not e.fictional]
            chosen = [e for e in with_text if not e.companion]
            if not chosen:
                companions = ", ".join(e.id for e in with_text)
                raise WtcompareError(
                    f"only companion documents have a local text ({companions}); name them to put them in a series"
                )
        return sorted(chosen, key=self.chronological)

    def __contains__(self, edition_id: str) -> bool:
        return edition_id in self._editions

    def get(self, edition_id: str) -> Edition:
        """The edition with this id; an unknown id raises a `UsageError` naming close matches."""
        if edition_id in self._editions:
            return self._editions[edition_id]
        close = difflib.get_close_matches(edition_id, list(self._editions), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; run 'wtcompare editions' to list them"
        raise UsageError(f"unknown edition {edition_id!r}{hint}")

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # imported here, like everywhere the command line needs it: it takes a third of a second

        frame = pd.DataFrame([asdict(e) for e in self.editions()], columns=FIELDS)
        return frame.astype({"year": "Int64"})  # a year stays a whole number where another edition has none

    def load(self, edition_id: str) -> Document:
        """Load and segment an edition's text."""
        return self._parse(self._source(edition_id))

    @staticmethod
    def _parse(source: _Source) -> Document:
        from .load import load_bytes

        document = load_bytes(source.data, source.path, source.edition, ocr=bool(source.edition.ocr))
        document.warnings.extend(source.notes)
        return document

    def stored(self, edition_id: str) -> bool:
        """Whether the cache holds the edition's parsed document (so `load` reads it from there, and
        an alignment of it may be stored too: one of an edition the cache lacks cannot be)."""
        from .load import stored

        source = self._source(edition_id)
        return stored(source.data, source.path, bool(source.edition.ocr))

    def load_many(
        self,
        edition_ids: Sequence[str],
        meanwhile: Callable[[], object] = lambda: None,
        each: Callable[[Document], object] = lambda document: None,
        failed: Callable[[str, WtcompareError], object] | None = None,
    ) -> list[Document]:
        """The editions ``edition_ids``, loaded as `load` loads them, while this process runs
        ``meanwhile``: the first two each in a worker process of its own, so that the imports the
        caller needs next (SciPy, pandas: most of a second of a cold command) need not wait for
        their loading, nor one edition for the other. The rest afterwards: a PDF the cache lacks
        in a worker, started when the edition two before it is taken (reading a PDF's pages is
        most of its loading), others here, in turn (a worker costs about 20 ms an edition, forking
        and sending the document back, more than a text takes to load). Two workers at most: a
        PDF is read within `WTCOMPARE_PDF_MEMORY` each. ``each`` is given every document in order
        as it is taken (a caller prints its warnings), so that the first failing edition, in the
        order given, raises its error as `load` would, after the editions before it are taken and
        before any later one is. Where no worker can be had (see `parallel.Workers.start`), an
        edition is loaded here when it would have been started; on one core (`parallel.cores`),
        where beside is after, all are loaded here after ``meanwhile``. With ``failed``, an
        edition's error is given to it (with the edition's id) rather than raised, and the others
        are loaded: the list holds those that loaded, in order."""
        from . import cache, parallel  # multiprocessing: only for commands that load

        if cache.enabled():
            cache.code_digest()  # part of every cache key: worked out once here, not in each worker
        documents = []
        at_once = LOADING_AT_ONCE if parallel.cores() >= 2 else 0  # on one core, beside the imports is after them
        with parallel.Workers() as workers:
            # each reads its edition's source too: an edition's error is raised in its turn
            loading = {k: self._started(workers, e) for k, e in enumerate(edition_ids[:at_once])}
            meanwhile()
            for k, edition_id in enumerate(edition_ids):
                try:
                    documents.append(loading.pop(k)() if k in loading else self.load(edition_id))
                except WtcompareError as error:
                    if failed is None:
                        raise
                    failed(edition_id, error)
                else:
                    each(documents[-1])
                later = k + at_once  # keeps as many loading as were started beside ``meanwhile``
                if at_once and later < len(edition_ids):
                    source = self._readable(edition_ids[later])
                    if source is not None and _slow(source):
                        loading[later] = self._started(workers, source)
        return documents

    @contextmanager
    def texts(self, edition_ids: Sequence[str]) -> Iterator[Iterator[EditionText]]:
        """Each edition's text as the timeline reads it (`load.load_text`: its outline, from the cache
        when it holds it, and its document, loaded only if asked for), in turn, while the caller
        works on the one before: a PDF whose outline and document the cache lacks (so that its
        document will be loaded) is loaded in a worker process from when the edition before it is
        given (reading a PDF's pages, in a worker of its own, is most of its loading, which this
        process would otherwise wait for, one edition at a time). Other formats, and any edition on
        one core, are loaded here in their turn: a text loads in less time than sending its document
        back from a worker takes a busy core. An edition's error is raised in its turn, after the
        editions before it. Ask for the texts' documents inside the ``with``: leaving it stops a
        worker still loading one."""
        from . import parallel

        with parallel.Workers() as workers:
            yield self._texts(edition_ids, workers)

    def _texts(self, edition_ids: Sequence[str], workers: Workers) -> Iterator[EditionText]:
        from . import parallel
        from .load import load_text, outlined

        following: tuple[_Source | None, Callable[[], Document] | None] = (None, None)
        for k, edition_id in enumerate(edition_ids):
            source, parsed = following
            if source is None:
                source = self._source(edition_id)
            if k + 1 < len(edition_ids):
                # the next edition's source read now, and a PDF of it started (its error is raised
                # in its turn) if its document will be loaded: with its outline cached, only if asked for
                ahead = self._readable(edition_ids[k + 1])
                loads = (
                    ahead is not None
                    and parallel.cores() >= 2
                    and _slow(ahead)
                    and not outlined(ahead.data, ahead.path, bool(ahead.edition.ocr))
                )
                # without the registry's notes, which `load_text` adds itself
                following = (ahead, self._started(workers, ahead._replace(notes=[])) if ahead and loads else None)
            yield load_text(source.data, source.path, source.edition, bool(source.edition.ocr), source.notes, parsed)

    def _readable(self, edition_id: str) -> _Source | None:
        """An edition's source read ahead of its turn, or None if it cannot be (its error is raised
        when its turn comes)."""
        try:
            return self._source(edition_id)
        except WtcompareError:
            return None

    def _started(self, workers: Workers, edition: str | _Source) -> Callable[[], Document]:
        """What gives an edition's document (of its id, or its source read), loaded in a worker as
        `load` loads it."""
        from . import parallel

        if isinstance(edition, str):
            # the worker says what is wrong with an id the registry lacks, in its turn
            result, path = workers.start(self.load, edition), lambda: self.get(edition).source
        else:
            result, path = workers.start(self._parse, edition), lambda: edition.path

        def document() -> Document:
            try:
                return result()
            except parallel.WorkerDied as died:
                raise _died(path(), died) from died

        return document

    def _source(self, edition_id: str) -> _Source:
        from .load import read_source

        edition = self.get(edition_id)
        if not edition.source:
            fetch = f"download it with 'wtcompare fetch {edition.id}' or " if edition.url else ""
            raise WtcompareError(
                f"edition {edition.id!r} has no local text; {fetch}add your copy with "
                f"'wtcompare ingest FILE --edition {edition.id}'"
            )
        data = read_source(edition.source)
        actual = hashlib.sha256(data).hexdigest()
        notes = []
        if edition.sha256 and actual != edition.sha256:
            notes.append(
                f"{edition.source}: sha256 {actual[:12]}... differs from the registry's {edition.sha256[:12]}...; "
                "the file changed since it was registered"
            )
        return _Source(replace(edition, sha256=actual), edition.source, data, notes)

    # Writing --------------------------------------------------------------------------------

    def ingest(
        self,
        path: str | os.PathLike,
        edition_id: str,
        *,
        replace_existing: bool = False,
        ocr: bool = False,
        **metadata: str | int | None,
    ) -> tuple[Edition, bool]:
        """Copy a user's file (text, Markdown, PDF, HTML or DOCX) into the texts folder and register
        it with its format and sha256. Returns the edition and whether anything changed (ingesting
        the same file again changes nothing). Metadata not given is kept from the registry.

        The file is read once: what is parsed, hashed and copied are the same bytes. Registering
        holds the registry's lock from reading it to writing it, so ingests at once all land; if
        the registry cannot be written, the copied file is taken back out."""
        from .load import load_bytes, read_source

        check_edition_id(edition_id)
        source = Path(path)
        data = read_source(source)
        document = load_bytes(data, str(source), ocr=ocr)  # fails with a clear message on unreadable input
        digest = hashlib.sha256(data).hexdigest()
        try:  # only now: a refused file leaves no empty folder behind
            self.texts_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WtcompareError(f"{self.texts_dir}: cannot create texts folder: {exc.strerror or exc}") from None
        with locked(self.path):
            self._read()  # what other runs registered while this one parsed
            known = self._editions.get(edition_id)
            if known and known.sha256 == digest and known.source and Path(known.source).is_file():
                return known, False
            if known and known.source and Path(known.source).is_file() and not replace_existing:
                raise WtcompareError(
                    f"{source}: edition {edition_id!r} already has a different source ({known.source}); "
                    "use --replace to replace it"
                )
            target = self.texts_dir / f"{edition_id}{suffix_for(document.format, source)}"
            entry: dict[str, object] = {k: v for k, v in metadata.items() if v is not None}  # a TOML table
            entry.update(id=edition_id, source=target.name, sha256=digest, format=document.format)
            if document.ocr_pages:
                entry["ocr"] = True
            if not known:
                entry.setdefault("title", edition_id)
                entry.setdefault("kind", "official")
            text = self._with_entry(entry)  # an unreadable registry fails here, before anything is copied
            undo = _store(target, data, digest)
            try:
                atomic_write(self.path, text)
            except BaseException:
                undo()
                raise
            self._read()
        return self.get(edition_id), True

    def write_entry(self, entry: dict) -> None:
        """Add or update one entry in the texts folder's registry, keeping its comments; the
        registry is read and written under its lock."""
        with locked(self.path):
            atomic_write(self.path, self._with_entry(entry))

    def _with_entry(self, entry: dict) -> str:
        """The texts folder's registry as it is now with ``entry`` added or updated (call under the lock)."""
        import tomlkit  # imported here: only writing the registry needs it
        from tomlkit.exceptions import TOMLKitError

        path = self.path
        raw = read_text(path, "registry") if path.exists() else ""
        try:
            document = tomlkit.parse(raw)
            tables = document.setdefault("edition", tomlkit.aot())
            for table in tables:
                if table.get("id") == entry["id"]:
                    table.update(entry)
                    break
            else:
                # the registry's own form: [[edition]] tables, or an inline array of tables
                # (``edition = [{...}]``), where a table of the other form would not be TOML
                table = tomlkit.table() if isinstance(tables, tomlkit.items.AoT) else tomlkit.inline_table()
                for key in FIELDS:
                    if key in entry:
                        table[key] = entry[key]
                tables.append(table)
            text = tomlkit.dumps(document)
        except (TOMLKitError, ValueError, TypeError, AttributeError) as exc:
            raise WtcompareError(f"{path}: cannot update registry: {shorten(str(exc), 200)}") from None
        # what is written must read back as the registry with the entry: anything else is refused
        # before a byte is written, and the registry stays as it was
        try:
            written = {e.get("id"): e for e in parse_toml(text, path, "registry").get("edition", [])}
        except WtcompareError as exc:
            raise WtcompareError(f"{path}: cannot update registry: the result would not be TOML ({exc})") from None
        if written.get(entry["id"], {}).get("source") != entry["source"]:
            raise WtcompareError(f"{path}: cannot update registry: its form is one wtcompare cannot add to")
        return text


def _store(target: Path, data: bytes, digest: str) -> Callable[[], None]:
    """Put an ingested file's bytes at ``target``; a different file already there is kept beside it
    as ``NAME.replaced-<sha>``. Returns a function that puts everything back as it was."""
    try:
        kind = file_kind(os.lstat(target).st_mode)
    except FileNotFoundError:
        atomic_write(target, data)
        return lambda: target.unlink(missing_ok=True)
    if kind:  # never read or write through a link or anything else planted in a shared folder
        raise WtcompareError(f"{target}: is {kind}, not a regular file; move it away first")
    old = read_regular(target, MAX_BYTES)
    old_digest = hashlib.sha256(old).hexdigest()
    if old_digest == digest:
        return lambda: None
    kept = target.with_name(f"{target.name}.replaced-{old_digest[:12]}")
    made = not os.path.lexists(kept)
    if made:
        atomic_write(kept, old)
    atomic_write(target, data)

    def undo() -> None:
        atomic_write(target, old)
        if made:
            kept.unlink(missing_ok=True)

    return undo
