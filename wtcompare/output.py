"""Output: the tables a command produces, in every format, to stdout, a file or a folder.

Formats: ``table`` (aligned text to read), ``csv``, ``json``, ``xlsx``, and ``text`` for commands
whose natural form is running text (``diff``).

* CSV is always one tidy table, readable by ``pandas.read_csv(path)`` with no options: a command
  with several tables gives its main one, or the one named with ``--table``.
* JSON is strict (no NaN or Infinity: a missing number is ``null``) and carries a ``provenance``
  object beside the tables.
* ``-o FILE`` writes what would be printed; beside a file with no room for the provenance (a CSV,
  a text without the provenance line, the JSON list of editions) it writes ``FILE.provenance.json``.
  An XLSX workbook holds the tables and a ``provenance`` sheet.
* ``-o DIR/`` (a path ending in a separator, or an existing folder) writes every table as
  ``NAME.csv`` (``NAME.json``, ``NAME.txt``, ``NAME.xlsx`` for the other formats) and a
  ``manifest.json`` listing them (file, table, rows, columns, SHA-256) with the provenance.

Provenance never enters a CSV's rows. Every file is written atomically. A file is replaced only
when wtcompare wrote it: for ``-o FILE`` one that carries our provenance, or whose provenance file
beside it holds its SHA-256 (so a CSV or text changed since is kept); in ``-o DIR/`` one listed,
with the same SHA-256, in our ``manifest.json``. Anything else may be the user's work: refused.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import UsageError, WtcompareError, shorten
from .fileio import MAX_BYTES, atomic_write, file_kind, read_head, read_regular
from .text import printable

if TYPE_CHECKING:  # annotations only: pandas is imported where a table is made, not with the command line
    import pandas as pd

FORMATS = ("table", "csv", "json", "xlsx")
EXTENSIONS = {"table": ".txt", "text": ".txt", "csv": ".csv", "json": ".json", "xlsx": ".xlsx"}
MANIFEST = "manifest.json"
PROVENANCE_SUFFIX = ".provenance.json"


@dataclass
class Output:
    """What a command produces: named tables (the first is the main one unless ``main`` says
    otherwise) and their provenance (`wtcompare.provenance.provenance`).

    ``show``: the tables the ``table`` format prints when none is picked (default: all).
    ``captions``: a line printed above a table in the ``table`` format.
    ``payload``: the JSON body when the command has a documented contract (a dict gets the
    provenance added; the ``editions`` list is printed as it is).
    ``text``: the ``text`` format, for commands whose output is running text."""

    tables: dict[str, pd.DataFrame]
    provenance: dict
    main: str = ""
    show: tuple[str, ...] = ()
    captions: dict[str, str] = field(default_factory=dict)
    payload: dict | list | None = None
    text: str | None = None

    def pick(self, table: str | None) -> str:
        """The table asked for with ``--table`` (checked), else the main one."""
        if table is None:
            return self.main or next(iter(self.tables))
        check_table(table, list(self.tables))
        return table


def check_table(table: str, names: Sequence[str]) -> None:
    """A usage error unless ``table`` (given with ``--table``) is one of a command's tables."""
    if table not in names:
        raise UsageError(f"--table {table!r}: no such table; this command's tables are {', '.join(names)}")


def records(frame: pd.DataFrame) -> list[dict]:
    """A DataFrame as JSON-ready records: missing values become None, numpy scalars Python ones.
    A string, an integer, a boolean or None is kept as it is without asking `_finite` (a page's
    tables hold tens of thousands of them)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{str(k): v if type(v) in _PLAIN else _finite(v) for k, v in row.items()} for row in rows]


_PLAIN = (str, int, bool, type(None))  # what `_finite` gives back as it is


def strict_json(value: object) -> str:
    """JSON that every strict parser accepts: a NaN or infinity (a number that does not exist)
    becomes null, and ``allow_nan=False`` makes sure none can slip through."""
    return json.dumps(_finite(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """``value`` (JSON-like data as pandas and numpy give it, of any shape) with Python scalars and
    None for every missing or non-finite number."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a numpy scalar
        return _finite(value.item())
    pandas = sys.modules.get("pandas")  # a value can be pandas' NA only once pandas is imported
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return None
    return value


def is_folder(target: str | os.PathLike) -> bool:
    """``-o`` names a folder when it ends in a path separator or is an existing folder."""
    text = os.fspath(target)
    if text.endswith(("/", os.sep)):
        return True
    try:
        return stat.S_ISDIR(os.stat(text).st_mode)
    except (OSError, ValueError):  # nothing there, a name too long, a NUL: not a folder (writing says why)
        return False


def flat_provenance(provenance: dict) -> pd.DataFrame:
    """The provenance as two columns, field and value (``texts.0.sha256``): the XLSX sheet."""
    rows: list[dict] = []

    def visit(prefix: str, value: object) -> None:
        if isinstance(value, dict) and value:
            for key, inner in value.items():
                visit(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not all(isinstance(v, (str, int, float)) for v in value):
            for index, inner in enumerate(value):
                visit(f"{prefix}.{index}", inner)
        else:
            rows.append(
                {
                    "field": prefix,
                    "value": json.dumps(_finite(value), ensure_ascii=False)
                    if isinstance(value, (list, dict))
                    else value,
                }
            )

    visit("", provenance)
    import pandas as pd

    return pd.DataFrame(rows, columns=["field", "value"])


def provenance_line(provenance: dict) -> str:
    """One line for the ``table`` format: tool, lexicon, texts and options."""
    parts = [f"wtcompare {provenance['wtcompare']}"]
    if provenance.get("lexicon"):
        lexicon = provenance["lexicon"]
        parts.append(f"lexicon {lexicon['id']} {lexicon['version']} sha256 {lexicon['sha256']}")
    parts += [f"{t['edition']} sha256 {t['sha256']}" for t in provenance.get("texts", [])]
    options = {k: v for k, v in provenance.get("options", {}).items() if v not in (None, False, [], ())}
    if options:
        parts.append("options " + json.dumps(options, ensure_ascii=False, sort_keys=True))
    return "provenance: " + "; ".join(parts)


def _text_table(frame: pd.DataFrame) -> str:
    # Cells are cut for display only (to_string pads every row to the longest cell: one 50 MB title
    # made `editions` print gigabytes); CSV, JSON and XLSX keep them whole.
    import pandas as pd

    shown = _text_cells(frame, lambda text: shorten(printable(text)))
    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 200, "display.max_colwidth", 60
    ):
        # a missing value shows blank, not as NaN
        return shown.to_string(index=False, na_rep="") if len(frame) else "(nothing)"


def _text_cells(frame: pd.DataFrame, convert: Callable[[str], str]) -> pd.DataFrame:
    """The table with ``convert`` applied to each cell that holds text."""
    return frame.apply(lambda column: column.map(lambda v: convert(v) if isinstance(v, str) else v))


def _need_openpyxl() -> None:
    """openpyxl is the ``xlsx`` extra, not in a plain install: one line saying so where it is missing."""
    try:
        importlib.import_module("openpyxl")  # pandas writes workbooks with it, and ours are read back with it
    except ImportError:
        raise WtcompareError("--format xlsx needs openpyxl: pip install 'wtcompare[xlsx]'") from None


def _xlsx(tables: dict[str, pd.DataFrame], provenance: dict) -> bytes:
    import pandas as pd

    _need_openpyxl()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in {**tables, "provenance": flat_provenance(provenance)}.items():
            # a workbook cannot hold a control character (openpyxl refuses the cell): they are left out
            _text_cells(frame, printable).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def render(output: Output, fmt: str, table: str | None = None) -> str | bytes:
    """The content of one file (or of stdout) in format ``fmt``: ``csv`` one table (``table``, else
    the main one); ``json``, ``xlsx`` and ``table`` every table, or only ``table`` when given."""
    name = output.pick(table)
    chosen = {name: output.tables[name]} if table else output.tables
    if fmt == "csv":
        return output.tables[name].to_csv(index=False)
    if fmt == "json":
        body: dict[str, Any]
        if table is None and output.payload is not None:
            if isinstance(output.payload, list):
                return strict_json(output.payload)  # a documented list contract (editions)
            body = output.payload
        else:
            body = {k: records(v) for k, v in chosen.items()}
        return strict_json({"provenance": output.provenance, **body})
    if fmt == "xlsx":
        return _xlsx(chosen, output.provenance)
    if fmt == "text":
        if output.text is None:
            raise UsageError("--format text is not available for this command")
        return output.text
    if fmt != "table":
        raise UsageError(f"unknown format {fmt!r}")
    shown = [name] if table else list(output.show or output.tables)
    blocks = []
    for key in shown:
        heading = output.captions.get(key) or (f"== {key}" if len(shown) > 1 else "")
        blocks.append((heading + "\n" if heading else "") + _text_table(output.tables[key]))
    return "\n\n".join(blocks + [provenance_line(output.provenance)]) + "\n"


def emit(
    output: Output, fmt: str, target: str | os.PathLike | None = None, table: str | None = None
) -> tuple[str | None, list[Path]]:
    """Print or write ``output``: returns the text for stdout (None when written to files) and
    the paths written."""
    if target is None:
        if fmt == "xlsx":
            raise UsageError("--format xlsx writes a file: add -o FILE.xlsx (or -o DIR/ for one workbook per table)")
        content = render(output, fmt, table)
        return content if isinstance(content, str) else content.decode("utf-8"), []
    if is_folder(target):
        return None, write_folder(target, output, fmt, table)
    path = Path(target)
    _check_replaceable(path)
    content = render(output, fmt, table)
    if not _self_identifying(content):
        # provenance goes beside a file that has no room for it (never into a CSV's rows): a CSV, a
        # text without its provenance line, the JSON list of editions
        sidecar = path.with_name(path.name + PROVENANCE_SUFFIX)
        _check_ours(sidecar)
        return None, [
            atomic_write(path, content),
            atomic_write(
                sidecar,
                strict_json(
                    {
                        "file": path.name,
                        "table": output.pick(table),
                        "sha256": _sha256(content),
                        "provenance": output.provenance,
                    }
                ),
            ),
        ]
    return None, [atomic_write(path, content)]


def folder_files(
    output: Output, fmt: str = "csv", table: str | None = None, figures: dict[str, bytes] | None = None
) -> list[str]:
    """The names of the files `write_folder` writes, in its order: ``manifest.json``, then a file
    for every table (or only ``table``), then the figures."""
    names = [output.pick(table)] if table else list(output.tables)
    return [MANIFEST] + [f"{name}{EXTENSIONS[fmt]}" for name in names] + list(figures or {})


def write_folder(
    folder: str | os.PathLike,
    output: Output,
    fmt: str = "csv",
    table: str | None = None,
    figures: dict[str, bytes] | None = None,
) -> list[Path]:
    """Every table (or only ``table``) as ``NAME`` + the format's extension in ``folder``, the
    ``figures`` (file name -> bytes) as they are, and ``manifest.json`` listing them with the
    provenance. Returns the manifest's path and the files written (as `folder_files` names them)."""
    folder = Path(folder)
    manifest = folder / MANIFEST
    _check_ours(manifest)
    body_before = _json_of_ours(manifest) if os.path.lexists(manifest) else None
    before = _manifest_entries(body_before)
    listed = {name: entry for entries in before.values() for name, entry in entries.items()}
    names = [output.pick(table)] if table else list(output.tables)
    files = folder_files(output, fmt, table, figures)[1:]
    on_disk: dict[str, str | None] = {}  # the SHA-256 of what the folder holds under each name
    for file_name in files:
        path = folder / file_name
        if not os.path.lexists(path):
            continue
        on_disk[file_name] = digest = _file_sha256(path)
        # ours: its own SHA-256, or, while a run was replacing it, the one it replaced; what cannot
        # be read as a file (a pipe, a folder: no digest) is left to `atomic_write`, which says what it is
        entry = listed.get(file_name, {})
        if digest and digest not in {entry.get("sha256"), entry.get("replaces")}:
            raise WtcompareError(
                f"{path}: exists and is not a file wtcompare wrote there (or it was changed "
                "since); choose another folder with -o"
            )
    kept = _kept_entries(folder, before, set(files))
    stale = sorted(kept["files"] | kept["figures"])
    if stale and body_before and body_before.get("provenance") != output.provenance:
        # Tables of another run: listed under this run's provenance they would be cited as its
        # tables; left unlisted, the next export would refuse them as files wtcompare did not write.
        command = body_before["provenance"].get("command")
        if command != output.provenance.get("command"):
            raise WtcompareError(
                f"{folder}: holds the export of another command ({f'{command}: ' if command else ''}"
                f"{', '.join(stale)}); choose another folder with -o"
            )
        if table:
            raise WtcompareError(
                f"{folder}: holds tables of another run, from other inputs or options ({', '.join(stale)}); "
                "write every table again (without --table), or choose another folder with -o"
            )
        # the same command's export, written again in full with other inputs or options: it
        # replaces the earlier one, whose files it does not write are its own, unchanged since
        # (deleted only once every file it writes is known to be replaceable, above)
        for name in stale:
            os.unlink(folder / name)
        kept = {kind: set() for kind in kept}
    # The manifest is written before and after each file: before, it lists the file with its new
    # SHA-256 and that of the file it replaces, as the folder holds it; after, with its new one; the
    # files still to come as the last run listed them. Were the run interrupted, or a write to fail,
    # anywhere, the manifest would still describe the folder, and the next run could replace it all.
    contents: list[tuple[str, str, bytes | str, dict]] = []  # kind, file name, content, entry
    for name, file_name in zip(names, files, strict=False):  # the figures' files come after the tables'
        single = Output({name: output.tables[name]}, output.provenance, text=output.text if fmt == "text" else None)
        content = render(single, fmt, name)
        frame = output.tables[name]
        entry = {"file": file_name, "table": name, "rows": len(frame), "columns": list(frame.columns)}
        contents.append(("files", file_name, content, {**entry, "sha256": _sha256(content)}))
    for file_name, data in (figures or {}).items():
        contents.append(("figures", file_name, data, {"file": file_name, "sha256": _sha256(data)}))
    done: dict[str, dict] = {}

    def body() -> dict:
        # this run's files, then those an earlier run of the same inputs wrote (another --table)
        listing = {
            kind: [
                done.get(f) or before[kind][f]
                for k, f, _, _ in contents
                if k == kind and (f in done or f in before[kind])
            ]
            + [entry for f, entry in before[kind].items() if f in kept[kind]]
            for kind in ("files", "figures")
        }
        return {
            "generator": f"wtcompare {__version__}",
            "provenance": output.provenance,
            "files": listing["files"],
            **({"figures": listing["figures"]} if listing["figures"] else {}),
        }

    written = []
    for _, file_name, content, entry in contents:
        replaced = on_disk.get(file_name)
        if replaced != entry["sha256"]:
            done[file_name] = {**entry, **({"replaces": replaced} if replaced else {})}
            atomic_write(manifest, strict_json(body()))
        written.append(atomic_write(folder / file_name, content))
        done[file_name] = entry
        atomic_write(manifest, strict_json(body()))
    if not contents:
        atomic_write(manifest, strict_json(body()))
    return [manifest] + written


def _manifest_entries(body: dict | None) -> dict[str, dict[str, dict]]:
    """The ``files`` and ``figures`` entries a manifest of ours lists, by file name."""
    return {
        kind: {
            f["file"]: f
            for f in (body or {}).get(kind, [])
            if isinstance(f, dict) and {"file", "sha256"} <= set(f) and isinstance(f["file"], str)
        }
        for kind in ("files", "figures")
    }


def report_target(path: str | os.PathLike | None, default_name: str) -> Path:
    """Where an HTML report goes: ``path`` (a folder gets ``default_name`` inside), else
    ``reports/<default_name>``. An existing file that is not a wtcompare report is never
    overwritten: it may be the user's own work."""
    if path is None:
        target = Path("reports") / default_name
    else:
        target = Path(path) / default_name if is_folder(path) else Path(path)
    head = read_head(target, 4096)
    if head is not None and b'content="wtcompare' not in head:
        raise WtcompareError(f"{target}: exists and is not a wtcompare report; choose another path with -o")
    return target


# the names an export writes: a table ("counts.csv", "p-values.json") or a figure ("rates.svg")
OUR_FILE = re.compile(r"[a-z][a-z0-9_-]*\.(?:csv|json|txt|xlsx|svg|png)")


def _kept_entries(folder: Path, before: dict[str, dict[str, dict]], written: set[str]) -> dict[str, set[str]]:
    """The files a manifest lists that this run does not write and that the folder still holds as
    listed (one a user changed since is theirs, and one that is gone needs no entry), by kind. Only
    names an export writes, no paths, and no links count: a manifest names nothing outside its
    folder, nor a file of the user's."""
    return {
        kind: {
            name
            for name, entry in entries.items()
            if name not in written
            and OUR_FILE.fullmatch(name)
            and isinstance(entry["sha256"], str)
            and not os.path.islink(folder / name)
            and _file_sha256(folder / name) == entry["sha256"]
        }
        for kind, entries in before.items()
    }


def _json_of_ours(path: Path) -> dict | None:
    """The JSON object in ``path`` when wtcompare wrote it (it carries our provenance), else None."""
    try:
        body = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except (WtcompareError, UnicodeDecodeError, ValueError):
        return None
    ours = isinstance(body, dict) and isinstance(body.get("provenance"), dict) and "wtcompare" in body["provenance"]
    return body if ours else None


def _check_ours(path: Path) -> None:
    """Refuse to overwrite a manifest or provenance file that wtcompare did not write."""
    if os.path.lexists(path) and _json_of_ours(path) is None:
        raise WtcompareError(f"{path}: exists and was not written by wtcompare; choose another path with -o")


def _check_replaceable(path: Path) -> None:
    """``-o FILE`` replaces a file only when wtcompare wrote it and it is unchanged since: a JSON
    with our provenance, a table ending in our provenance line, a workbook with our provenance
    sheet, or a CSV or text whose provenance file beside it holds its SHA-256. Anything else may be
    the user's own work: refused, one line."""
    try:
        if file_kind(os.stat(path).st_mode):
            return  # not a regular file: atomic_write refuses it, saying what it is
    except OSError:
        return  # nothing there (or nothing to read): nothing to lose
    sidecar = (
        _json_of_ours(path.with_name(path.name + PROVENANCE_SUFFIX))
        if os.path.lexists(path.with_name(path.name + PROVENANCE_SUFFIX))
        else None
    )
    try:
        data = read_regular(path, MAX_BYTES)
    except WtcompareError:
        data = None  # too large to be ours
    ours = data is not None and (
        (sidecar is not None and sidecar.get("sha256") == _sha256(data))
        or _json_of_ours(path) is not None
        or _ends_in_provenance(data)
        or (data[:2] == b"PK" and _workbook_of_ours(data))
    )
    if not ours:
        raise WtcompareError(
            f"{path}: exists and was not written by wtcompare (or was changed since); choose another path with -o"
        )


def _self_identifying(content: str | bytes) -> bool:
    """Whether the content carries our provenance: a JSON object with it, a text ending in its
    line, a workbook with its sheet."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return _ends_in_provenance(data) or data[:2] == b"PK" or (data[:1] == b"{" and b'"provenance"' in data[:200])


def _ends_in_provenance(data: bytes) -> bool:
    """Whether a text ends in the provenance line `provenance_line` writes."""
    return data.rstrip().rsplit(b"\n", 1)[-1].startswith(b"provenance: wtcompare ")


def _workbook_of_ours(data: bytes) -> bool:
    _need_openpyxl()
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
        sheet = book["provenance"] if "provenance" in book.sheetnames else None
        return sheet is not None and any(row[:1] == ("wtcompare",) for row in sheet.iter_rows(values_only=True))
    except Exception:  # any workbook openpyxl cannot read is not one of ours
        return False


def _file_sha256(path: Path) -> str | None:
    try:
        return _sha256(read_regular(path, MAX_BYTES))
    except WtcompareError:
        return None


def _sha256(content: str | bytes) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()
