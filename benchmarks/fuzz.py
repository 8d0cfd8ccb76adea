"""Fuzzing harness: hostile inputs against the real command line, with a fixed seed and a time budget.

    python benchmarks/fuzz.py [--seconds 120] [--seed 1] [--classes registry,cache,...] [--jobs 2]

Each attempt runs `wtcompare` in a subprocess, in a fresh temporary folder (its own HOME, working
folder, texts folder and cache), under a time limit and a memory limit (RLIMIT_AS), and checks what
the README promises: exit 0 (fine) or 1/2 (refused) with one error line naming the file or registry
entry (and at most three warning lines); no traceback and no internal error; the texts folder
unchanged after a failure; nothing written outside the texts folder, the output paths and the
cache; no byte of a file outside the texts folder in any output; under the time limit.

Classes (inputs are made from the test helpers and the sample corpus, mutated by a seeded generator):

    pdf, docx, html, text   mutated source files (byte flips, truncation, insertion, structure),
                            ingested; also the loader cases known to the issue
    registry                hostile editions.toml: sources outside the folder, links out, devices,
                            pipes, sockets, link loops, nested TOML, huge fields, many entries, bad types
    cache                   cache entries of wrong shapes, pipes, folders; the rerun must succeed with
                            the same output
    output                  hostile output paths: pipes, devices, folders, other people's files, links
    concurrent              6 to 8 ingests into one folder at once: every entry must land
    interrupt               SIGINT to the process group at a random moment after the interpreter started,
                            half the time with every piece of work that may go to a worker doing so
    startup                 SIGINT within the interpreter's own start, before any code of ours runs:
                            Python's behaviour (killed by the signal, a "Fatal Python error",
                            "Failed checking if argv[0] is an import path entry", or the interrupt
                            swallowed by the import machinery and printed as ignored), counted
                            apart as "in Python's start" (see the README)

It prints one table of outcomes per class and a line for each failure, and exits 1 when any
attempt failed. `tests/test_fuzz.py` runs it briefly on the classes whose code is not the loaders'.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wtcompare.entry import INTERRUPTED
from wtcompare.fileio import tomllib

ROOT = Path(__file__).resolve().parents[1]

sys.path.insert(0, str(ROOT / "tests"))  # the tests' PDF maker, which the loader classes mutate

CLASSES = ["pdf", "docx", "html", "text", "registry", "cache", "output", "concurrent", "interrupt", "startup"]
LOADER_CLASSES = {"pdf", "docx", "html", "text"}
# an interrupt that arrived before Python ran any code of ours (the process was killed by it, or
# Python's start-up failed): Python's behaviour, which no code of ours can change
PYTHON_START = "in Python's own start"
FINE = ("ok", "refused", PYTHON_START)
PYTHON_START_ERRORS = ("Fatal Python error: init_", "Failed checking if argv[0] is an import path entry")
# An interrupt that Python's import machinery swallowed while the interpreter started (a bare
# `python -c "import time; time.sleep(0.05)"` does it too, once in 1,500 early interrupts):
# printed as ignored, and the command then runs to its end
WORKER_DIED = "a worker process stopped without its result"  # `parallel.WorkerDied`'s message
SWALLOWED_AT_START = re.compile(
    r"Exception ignored in: <function _get_module_lock\.<locals>\.cb at 0x[0-9a-f]+>\n"
    r"Traceback \(most recent call last\):\n"
    r'  File "<frozen importlib\._bootstrap>", line \d+, in cb\n'
    r"KeyboardInterrupt: ?\n?"
)


def in_python_start(cls: str, returncode: int | None, err: str) -> bool:
    """Whether an interrupted run ended as Python's own start-up ends on an interrupt, which no
    code of ours can change: killed by the signal or with one of its messages (PYTHON_START_ERRORS)
    at any moment (a loaded machine may start later than the interrupt class allows for); the
    interrupt alone printed with exit 1 (raised where no Python code runs) or SWALLOWED_AT_START
    only for an early interrupt (the startup class), before our entry module has run and set its
    handlers, after which either would be a failure of ours."""
    if returncode == -signal.SIGINT or any(message in err for message in PYTHON_START_ERRORS):
        return True
    if cls != "startup":
        return False
    return (returncode == 1 and err == "KeyboardInterrupt\n") or (
        returncode == 0 and SWALLOWED_AT_START.fullmatch(err) is not None
    )


SECRET = "FUZZ-SECRET-3b9e1f: this line lives outside the texts folder"
TIMEOUT = 120.0
MEMORY = 2 * 1024**3
LIMITED = (
    "import os, resource, sys; m = int(sys.argv[1]); resource.setrlimit(resource.RLIMIT_AS, (m, m)); "
    "os.execv(sys.argv[2], sys.argv[2:])"
)
SCRIPT = Path(sys.executable).parent / "wtcompare"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "wtcompare"]
SAMPLE = (ROOT / "texts" / "sample" / "sample-2002.txt").read_bytes()


@dataclass
class Case:
    cls: str
    name: str
    args: list[str]
    setup: Callable[[Attempt], None] = lambda attempt: None
    names: tuple[str, ...] = ()  # a refusal must name one of these
    outputs: tuple[str, ...] = ()  # paths (from the working folder) the run may write
    must_succeed: bool = False
    check: Callable[[Attempt, Result], str | None] | None = None


@dataclass
class Result:
    code: int | None
    out: str
    err: str
    seconds: float


@dataclass
class Outcome:
    cls: str
    name: str
    verdict: str  # ok, refused, or what went wrong
    seconds: float
    detail: str = ""


@dataclass
class Attempt:
    """A fresh folder: home/, work/ (the working folder, holding texts/), cache/, outside/secret.txt."""

    root: Path
    notes: dict = field(default_factory=dict)

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def texts(self) -> Path:
        return self.work / "texts"

    @property
    def secret(self) -> Path:
        return self.root / "outside" / "secret.txt"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
        return {
            **keep,
            "HOME": str(self.root / "home"),
            "WTCOMPARE_CACHE": str(self.root / "cache"),
            **self.notes.get("env", {}),
        }

    def start(self, args: list[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", LIMITED, str(MEMORY), *COMMAND, *args],
            cwd=self.work,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
            **kwargs,
        )

    def run(self, args: list[str]) -> Result:
        started = time.monotonic()
        process = self.start(args)
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            return Result(None, out, err, time.monotonic() - started)
        return Result(process.returncode, out, err, time.monotonic() - started)


def make_attempt() -> Attempt:
    attempt = Attempt(Path(tempfile.mkdtemp(prefix="wtcompare-fuzz-")))
    for folder in ("home", "work", "cache", "outside"):
        (attempt.root / folder).mkdir()
    attempt.secret.write_text(f"Chapter 1: Outside\n\n1.1 {SECRET}.\n")
    return attempt


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path below ``root`` with what it is (never opening anything but regular files)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    found[path] = (
                        "file",
                        hashlib.file_digest(handle, "sha256").hexdigest()
                        if hasattr(hashlib, "file_digest")
                        else hashlib.sha256(handle.read()).hexdigest(),
                    )
            elif stat.S_ISLNK(info.st_mode):
                found[path] = ("link", os.readlink(path))
            else:
                found[path] = (stat.S_IFMT(info.st_mode),)
    return found


# Source files --------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Byte flips, truncation, insertion or a repeated slice."""
    how = rng.choice(["flip", "truncate", "insert", "repeat"])
    data = bytearray(data)
    if how == "flip":
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif how == "truncate":
        del data[rng.randrange(1, len(data)) :]
    elif how == "insert":
        at = rng.randrange(len(data))
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    else:
        start = rng.randrange(len(data))
        piece = data[start : start + rng.randint(1, 2000)]
        data[start:start] = piece * rng.randint(1, 50)
    return bytes(data), how


def seed_pdf() -> bytes:
    from pdfmaker import Writer

    writer = Writer()
    for page in range(3):
        writer.new_page()
        writer.heading(f"Chapter {page + 1}: Working together", 16)
        for n in range(4):
            writer.paragraph(
                f"{page + 1}.{n + 1}",
                "Practitioners work in partnership with parents and carers "
                "in this fictional paragraph, which goes on for a line or two. " * 2,
            )
        writer.footnote(f"{page + 1} A fictional footnote.")
    return writer.finish()


def seed_docx() -> bytes:
    from test_load_html_docx import make_docx

    return make_docx()


def seed_html() -> bytes:
    from test_load_html_docx import GOVSPEAK

    return GOVSPEAK.encode()


SEEDS: dict[str, Callable[[], bytes]] = {"pdf": seed_pdf, "docx": seed_docx, "html": seed_html, "text": lambda: SAMPLE}
_seeds: dict[str, bytes] = {}


def seed(kind: str) -> bytes:
    if kind not in _seeds:
        _seeds[kind] = SEEDS[kind]()
    return _seeds[kind]


def loader_case(cls: str, rng: random.Random) -> Case:
    """A mutated source file of one format, or (one time in five) a case known to trouble the loader."""
    data, how = seed(cls), ""
    special = rng.random() < 0.2
    if special and cls == "pdf":  # a page object pdfium cannot load
        pages = [m.start() for m in re.finditer(rb"/Type /Page[\n ]", data)]
        at = rng.choice(pages) if pages else len(data) // 2
        data, how = (
            data[:at] + b"/Type /Page /Contents 999 0 R /Resources 12345" + data[at + 11 :],
            "broken page object",
        )
    elif special and cls == "docx":  # the document part itself mutated, inside a valid zip
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "word/document.xml":
                    content, how = mutate(content, rng)
                    how = f"document.xml {how}"
                archive.writestr(item, content)
        data = out.getvalue()
    elif special and cls == "html":
        how = rng.choice(["two footnote links in one sup", "tags nested 100,000 deep", "tag-dense page"])
        if how == "two footnote links in one sup":
            link = b'<a href="#fn:1" class="footnote">1</a>'
            data = data.replace(b"<sup>" + link + b"</sup>", b"<sup>" + link + link + b"</sup>")
        elif how == "tags nested 100,000 deep":
            data = data.replace(b"<p>4.", b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"<p>4.")
        else:
            megabytes = rng.choice([5, 20, 50])
            how = f"tag-dense page of {megabytes} MB"
            data = data.replace(b"<p>4.", b"<p><b><i>x</i></b></p>" * (megabytes * 1024 * 1024 // 22) + b"<p>4.")
    elif special and cls == "text":
        how = rng.choice(
            [
                "1,000-level dotted heading number",
                "headings 1, 1.1, 1.1.1 ... 1,000 levels deep",
                "one 5 MB line",
                "100,000 headings",
            ]
        )
        if how.startswith("1,000"):
            data = b"Chapter 1: A\n\n" + ".".join(["1"] * 1000).encode() + b" Heading\n\nA paragraph.\n"
        elif how.startswith("headings"):
            data = b"Chapter 1: A\n\n" + b"".join(
                ".".join(["1"] * k).encode() + b" Heading\n\nText.\n\n" for k in range(1, 1001)
            )
        elif how.startswith("one"):
            data = b"Chapter 1: A\n\n1.1 " + b"word " * 1_000_000 + b"\n"
        else:
            data = b"".join(b"1.%d Heading %d\n\nText.\n\n" % (n, n) for n in range(100_000))
    else:
        data, how = mutate(data, rng)
    name = f"input.{'txt' if cls == 'text' else cls}"
    return Case(
        cls,
        how,
        ["ingest", f"../{name}", "--edition", "fuzzed"],
        lambda attempt: (attempt.root / name).write_bytes(data),
        names=(name,),
    )


# Registries ----------------------------------------------------------------------------------


def registry(attempt: Attempt, entries: str) -> None:
    attempt.texts.mkdir(exist_ok=True)
    (attempt.texts / "editions.toml").write_text(entries)


def entry(source: str, edition_id: str = "fz", **extra: str) -> str:
    fields = "".join(f"{k} = {v}\n" for k, v in extra.items())
    return f'[[edition]]\nid = "{edition_id}"\ntitle = "Fuzzed"\nsource = {json.dumps(source)}\n{fields}'


def registry_case(rng: random.Random) -> Case:
    kind = rng.choice(
        [
            "dotdot",
            "absolute",
            "link out",
            "folder link out",
            "dev/zero",
            "link to dev/zero",
            "fifo",
            "socket",
            "folder",
            "link loop",
            "nul",
            "long source",
            "nested toml",
            "huge title",
            "many entries",
            "bad type",
            "registry is a folder",
            "registry is a fifo",
            "registry links out",
            "overrides a bundled source",
            "not utf-8",
            "unknown huge field",
            "lock file links out",
        ]
    )
    edition_id = "sample-2002" if kind == "overrides a bundled source" else "fz"

    def setup(attempt: Attempt) -> None:
        texts, outside = attempt.texts, attempt.secret
        texts.mkdir()
        if kind in ("dotdot", "overrides a bundled source"):
            registry(attempt, entry("../../outside/secret.txt", edition_id))
        elif kind == "absolute":
            registry(attempt, entry(str(outside)))
        elif kind == "link out":
            (texts / "in.txt").symlink_to(outside)
            registry(attempt, entry("in.txt"))
        elif kind == "folder link out":
            (texts / "sub").symlink_to(outside.parent)
            registry(attempt, entry("sub/secret.txt"))
        elif kind == "dev/zero":
            registry(attempt, entry("/dev/zero"))
        elif kind == "link to dev/zero":
            (texts / "zero.txt").symlink_to("/dev/zero")
            registry(attempt, entry("zero.txt"))
        elif kind == "fifo":
            os.mkfifo(texts / "pipe.txt")
            registry(attempt, entry("pipe.txt"))
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(texts / "sock.txt"))
            server.close()
            registry(attempt, entry("sock.txt"))
        elif kind == "folder":
            (texts / "dir.txt").mkdir()
            registry(attempt, entry("dir.txt"))
        elif kind == "link loop":
            (texts / "loop.txt").symlink_to("loop.txt")
            registry(attempt, entry("loop.txt"))
        elif kind == "nul":
            registry(attempt, entry("a\u0000b.txt"))
        elif kind == "long source":
            registry(attempt, entry("x" * rng.choice([300, 5000, 200_000]) + ".txt"))
        elif kind == "nested toml":
            levels = rng.choice([21, 100, 3000, 100_000])
            registry(attempt, entry("a.txt") + f"notes = {'[' * levels}{']' * levels}\n")
        elif kind == "huge title":
            size = rng.choice([1, 10, 50]) * 1024 * 1024
            registry(attempt, entry("a.txt").replace('title = "Fuzzed"', f'title = "{"T" * size}"'))
        elif kind == "many entries":
            registry(
                attempt,
                "".join(entry(f"e{n}.txt", f"e{n}") for n in range(rng.choice([1000, 20_000, 40_000])))
                + entry("a.txt"),
            )
        elif kind == "bad type":
            name, value = rng.choice(
                [
                    ("title", "[1, 2]"),
                    ("year", '"1999"'),
                    ("year", "true"),
                    ("ocr", "1"),
                    ("date", "12:00:00"),
                    ("notes", "{ a = 1 }"),
                    ("year", "1e400"),
                    ("kind", "5"),
                    ("sha256", "[]"),
                    ("url", "2024-01-01"),
                ]
            )
            registry(attempt, entry("a.txt", **{name: value}))
        elif kind == "registry is a folder":
            (texts / "editions.toml").mkdir()
        elif kind == "registry is a fifo":
            os.mkfifo(texts / "editions.toml")
        elif kind == "registry links out":
            (texts / "editions.toml").symlink_to(outside)
        elif kind == "lock file links out":
            registry(attempt, entry("a.txt"))
            (texts / ".editions.toml.lock").symlink_to(outside)
        elif kind == "not utf-8":
            (texts / "editions.toml").write_bytes(entry("a.txt").encode() + b'notes = "\xff\xfe"\n')
        else:
            registry(attempt, entry("a.txt") + f"{'k' * 100_000} = 1\n")
        if not (texts / "a.txt").exists() and kind not in ("registry is a folder",):
            (texts / "a.txt").write_bytes(SAMPLE)
        (attempt.root / "input.txt").write_bytes(SAMPLE)

    command = rng.choice(
        [
            ["editions"],
            ["scan", edition_id],
            ["sections", edition_id],
            ["report", edition_id, "sample-2008" if edition_id != "sample-2008" else "sample-2002", "-o", "out.html"],
            ["ingest", "../input.txt", "--edition", "new-one"],
            ["timeline", "--format", "csv"],
        ]
    )
    return Case(
        "registry",
        f"{kind}: {' '.join(command[:2])}",
        ["--texts", "texts", *command],
        setup,
        names=("editions.toml", "texts"),
        outputs=("out.html",),
    )


# Caches --------------------------------------------------------------------------------------

CACHE_COMMANDS = [
    ["scan", "sample-2002", "sample-2008", "--format", "csv"],
    ["align", "sample-2002", "sample-2008", "--format", "json"],
    ["sections", "sample-2014", "--format", "csv"],
    ["report", "sample-2002", "sample-2008", "-o", "out.html", "--date", "2026-01-01"],
]


def spoil(path: Path, rng: random.Random) -> str:
    """Replace one cache entry by something of the wrong shape; returns what."""
    data = json.loads(path.read_text())
    how = rng.choice(
        [
            "list",
            "null",
            "number",
            "not json",
            "empty",
            "wrong key",
            "missing field",
            "extra field",
            "field of the wrong type",
            "huge number",
            "negative number",
            "NaN",
            "deep nesting",
            "named pipe",
            "folder",
            "link to /dev/zero",
            "truncated",
        ]
    )
    path.unlink()
    if how == "named pipe":
        os.mkfifo(path)
        return how
    if how == "folder":
        path.mkdir()
        return how
    if how == "link to /dev/zero":
        path.symlink_to("/dev/zero")
        return how
    body = data.get("value", data)
    dropped = rng.choice(list(data))

    def first(kind, value):
        stack = [body]
        while stack:
            item = stack.pop(0)
            for k, v in item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else []:
                if isinstance(v, kind) and not isinstance(v, bool):
                    item[k] = value
                    return True
                stack.append(v)
        return False

    text = {
        "list": lambda: json.dumps([data]),
        "null": lambda: "null",
        "number": lambda: "12",
        "not json": lambda: "{nope",
        "empty": lambda: "",
        "wrong key": lambda: json.dumps({**data, "key": "f" * 64}),
        "extra field": lambda: json.dumps({**data, "spare": []}),
        "missing field": lambda: json.dumps({k: v for k, v in data.items() if k != dropped}),
        "field of the wrong type": lambda: json.dumps(data) if first(str, 17) else json.dumps([]),
        "huge number": lambda: json.dumps(data) if first(int, 10**40) else "1e999",
        "negative number": lambda: json.dumps(data) if first(int, -3) else "-3",
        "NaN": lambda: json.dumps(data) if first(float, float("nan")) else "NaN",
        "deep nesting": lambda: "[" * 200_000 + "]" * 200_000,
        "truncated": lambda: json.dumps(data)[: rng.randrange(1, 200)],
    }[how]()
    path.write_text(text)
    return how


def cache_case(rng: random.Random) -> Case:
    command = rng.choice(CACHE_COMMANDS)

    def setup(attempt: Attempt) -> None:
        first = attempt.run(command)
        if first.code != 0:
            raise RuntimeError(f"the reference run failed: {first.err.strip()}")
        attempt.notes["expected"] = (first.out, _read(attempt.work / "out.html"))
        entries = sorted((attempt.root / "cache").glob("*.json"))
        chosen = rng.sample(entries, rng.randint(1, len(entries)))
        attempt.notes["spoiled"] = [f"{p.name.split('-')[0]} {spoil(p, rng)}" for p in chosen]

    def same_output(attempt: Attempt, result: Result) -> str | None:
        if (result.out, _read(attempt.work / "out.html")) != attempt.notes["expected"]:
            return "output differs from the run before the cache was spoiled"
        return None

    return Case(
        "cache", " ".join(command[:1]), command, setup, must_succeed=True, outputs=("out.html",), check=same_output
    )


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


# Outputs -------------------------------------------------------------------------------------


def output_case(rng: random.Random) -> Case:
    kind = rng.choice(
        [
            "fifo",
            "device",
            "folder",
            "someone's file",
            "through a file",
            "link out",
            "long name",
            "export is a file",
            "export holds a fifo",
            "export holds a folder",
            "new nested folders",
        ]
    )
    command = rng.choice(
        [
            ["report", "sample-2002", "sample-2008"],
            ["timeline", "sample-2002", "sample-2008"],
            ["scan", "sample-2002", "--format", "xlsx"],
            ["keyness", "sample-2002", "sample-2008", "--format", "xlsx"],
        ]
    )
    target = {
        "through a file": "plain.txt/out.html",
        "long name": "x" * 300 + ".html",
        "new nested folders": "a/b/c/out.html",
    }.get(kind, "out.html")
    args = [*command, "-o", target]
    if kind.startswith("export"):
        if command[0] not in ("report", "timeline"):
            command = ["report", "sample-2002", "sample-2008"]
        args = [*command, "-o", "out.html", "--export", "export"]

    def setup(attempt: Attempt) -> None:
        out = attempt.work / "out.html"
        if kind == "fifo":
            os.mkfifo(out)
        elif kind == "device":
            try:
                os.mknod(out, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            except PermissionError:
                os.mkfifo(out)
        elif kind == "folder":
            out.mkdir()
        elif kind == "someone's file":
            out.write_text("<html>a page someone else wrote</html>")
        elif kind == "through a file":
            (attempt.work / "plain.txt").write_text("a file, not a folder")
        elif kind == "link out":
            out.symlink_to(attempt.secret)
        elif kind == "export is a file":
            (attempt.work / "export").write_text("a file")
        elif kind == "export holds a fifo":
            (attempt.work / "export").mkdir()
            os.mkfifo(attempt.work / "export" / "rates.svg")
        elif kind == "export holds a folder":
            (attempt.work / "export").mkdir()
            (attempt.work / "export" / "rates.png").mkdir()

    # someone else's file is never replaced by a report; every other path named is the user's choice
    outputs = () if kind == "someone's file" and command[0] in ("report", "timeline") else (target, "export")
    return Case(
        "output",
        f"{kind}: {command[0]}",
        args,
        setup,
        outputs=outputs,
        names=(target[:40], "out.html", "export", "plain.txt"),
    )


# Ingests at once, interrupts -------------------------------------------------------------------


def concurrent_case(rng: random.Random) -> Case:
    count = rng.randint(6, 8)
    return Case(
        "concurrent",
        f"{count} ingests at once",
        [],
        must_succeed=True,
        setup=lambda attempt: attempt.notes.update(count=count),
    )


def run_concurrent(attempt: Attempt, case: Case) -> Outcome:
    count = attempt.notes["count"]
    for n in range(count):
        (attempt.root / f"in-{n}.md").write_text(f"# Chapter 1\n\nFuzzed text number {n}.\n")
    started = time.monotonic()
    processes = [
        attempt.start(["--texts", "texts", "ingest", f"../in-{n}.md", "--edition", f"at-once-{n}"])
        for n in range(count)
    ]
    results = [(p.wait(TIMEOUT), p.stderr.read()) for p in processes]
    seconds = time.monotonic() - started
    failed = [f"{code}: {err.strip()[:120]}" for code, err in results if code != 0 or err]
    if failed:
        return Outcome(case.cls, case.name, "ingest failed", seconds, failed[0])
    registered = {e["id"] for e in tomllib.loads((attempt.texts / "editions.toml").read_text()).get("edition", [])}
    lost = {f"at-once-{n}" for n in range(count)} - registered
    files = {f"at-once-{n}.md" for n in range(count)} - {p.name for p in attempt.texts.iterdir()}
    if lost or files:
        return Outcome(case.cls, case.name, "lost entries", seconds, f"missing {sorted(lost | files)}")
    return Outcome(case.cls, case.name, "ok", seconds)


INTERRUPT_COMMANDS = [
    ["report", "sample-2002", "sample-2021", "-o", "out.html"],
    ["scan", "--kwic"],
    ["editions"],
    ["--texts", "texts", "ingest", "../input.txt", "--edition", "mine"],
    ["timeline", "-o", "out.html"],
]
_startup: list[float] = []


def startup_time() -> float:
    """How long the interpreter (behind the memory-limit wrapper) takes to reach our entry module."""
    if not _startup:
        times = []
        for _ in range(3):
            started = time.monotonic()
            subprocess.run(
                [sys.executable, "-c", LIMITED, str(MEMORY), sys.executable, "-c", "import wtcompare.entry"], check=True
            )
            times.append(time.monotonic() - started)
        _startup.append(min(times))
    return _startup[0]


def interrupt_case(rng: random.Random, early: bool = False) -> Case:
    command = rng.choice(INTERRUPT_COMMANDS)
    floor = startup_time()
    delay = rng.uniform(0, floor * 0.8) if early else rng.uniform(floor * 1.5, floor * 1.5 + 4)
    # half the time every piece of work that may go to a worker process does (the sample's
    # editions are far below the size where they would), so that interrupts land in workers too
    workers = not early and rng.random() < 0.5

    def setup(attempt: Attempt) -> None:
        (attempt.root / "input.txt").write_bytes(SAMPLE)
        attempt.notes["delay"] = delay
        if workers:
            attempt.notes["env"] = {"WTCOMPARE_PARALLEL_WORDS": "0"}

    return Case(
        "startup" if early else "interrupt",
        f"{command[0] if command[0] != '--texts' else 'ingest'}{' in workers' if workers else ''} after {delay:.2f} s",
        command,
        setup,
        outputs=("out.html",),
    )


def run_interrupt(attempt: Attempt, case: Case) -> Outcome:
    started = time.monotonic()
    process = attempt.start(case.args)
    time.sleep(attempt.notes["delay"])
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return Outcome(case.cls, case.name, "timeout", time.monotonic() - started)
    seconds = time.monotonic() - started
    lines = err.strip().splitlines()
    # Python's start-up reports an interrupt itself: "Fatal Python error: init_..." while it
    # initialises, or "Failed checking if argv[0] is an import path entry" (with the interrupt's
    # traceback) while it looks at the console script's folder, before the script's first line runs
    if in_python_start(case.cls, process.returncode, err):
        return Outcome(case.cls, case.name, PYTHON_START, seconds, (lines or [""])[0][:160])
    if process.returncode == 0 and not lines:
        verdict = "ok"  # it had finished
    elif process.returncode == 130 and lines == [INTERRUPTED]:
        verdict = "refused"
    else:
        return Outcome(
            case.cls,
            case.name,
            "traceback" if "Traceback" in err else f"exit {process.returncode}",
            seconds,
            (lines or [""])[0][:160] + f" ({len(lines)} lines)",
        )
    leftovers = [p for p in attempt.root.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".part")]
    if leftovers:
        return Outcome(case.cls, case.name, "half-written file left", seconds, str(leftovers[0]))
    if attempt.texts.exists():
        problem = registry_consistent(attempt.texts)
        if problem:
            return Outcome(case.cls, case.name, "texts inconsistent", seconds, problem)
    return Outcome(case.cls, case.name, verdict, seconds)


def registry_consistent(texts: Path) -> str | None:
    """Every entry's file is there and every text file has an entry."""
    path = texts / "editions.toml"
    entries = tomllib.loads(path.read_text()).get("edition", []) if path.exists() else []
    sources = {e.get("source") for e in entries}
    texts_files = {p.name for p in texts.iterdir() if not p.name.startswith(".") and p.name != "editions.toml"}
    if texts_files != sources - {None}:
        return f"files {sorted(texts_files)} but entries for {sorted(sources - {None})}"
    return None


# Running and judging ---------------------------------------------------------------------------


def judge(attempt: Attempt, case: Case, result: Result, before: dict, after: dict) -> Outcome:
    def outcome(verdict: str, detail: str = "") -> Outcome:
        return Outcome(case.cls, case.name, verdict, result.seconds, detail)

    lines = result.err.strip().splitlines()
    first = next((line for line in lines if line.startswith("wtcompare: error:")), lines[0] if lines else "")
    if result.code is None:
        return outcome("timeout", f"over {TIMEOUT:.0f} s")
    if "MemoryError" in result.err or result.code < 0:
        return outcome(
            "out of memory" if "MemoryError" in result.err else f"killed by signal {-result.code}", first[:160]
        )
    if "Traceback" in result.err or "Fatal Python error" in result.err:
        return outcome("traceback", next((line for line in reversed(lines) if line.strip()), "")[:160])
    if "internal error" in result.err:
        return outcome("internal error", first[:160])
    if WORKER_DIED in result.err:  # one line, but a worker's crash or the memory limit: not a refusal
        return outcome("worker died", first[:160])
    warnings = [line for line in lines if line.startswith("wtcompare: warning:")]
    errors = [line for line in lines if line.startswith("wtcompare: error:")]
    if len(warnings) > 3 or len(warnings) + len(errors) != len(lines):
        return outcome("noisy stderr", f"{len(lines)} lines: {first[:120]}")
    if result.code == 0:
        verdict = "ok"
        if errors:
            return outcome("error line with exit 0", first[:160])
    elif result.code in (1, 2):
        verdict = "refused"
        if len(errors) != 1:
            return outcome("not one error line", f"{len(errors)} error lines")
        if case.names and not any(name in errors[0] for name in case.names):
            return outcome("names neither file nor entry", errors[0][:160])
        if case.must_succeed:
            return outcome("refused what should work", errors[0][:160])
    else:
        return outcome(f"exit {result.code}", first[:160])
    allowed = [attempt.root / "cache", *(attempt.work / o for o in case.outputs)]  # our cache, the outputs
    if result.code == 0:
        allowed.append(attempt.texts)
    for path in sorted(set(before) ^ set(after) | {p for p in before if p in after and before[p] != after[p]}):
        if Path(path).name == ".editions.toml.lock":
            continue  # the registry's lock file, left in place by design
        if not any(Path(path) == a or a in Path(path).parents or Path(path) in a.parents for a in allowed):
            where = "texts folder changed after a failure" if attempt.texts in Path(path).parents else "wrote outside"
            return outcome(where, path.replace(str(attempt.root), "<attempt>"))
    written = [p for p in after if after[p][0] == "file" and before.get(p) != after[p]]
    if SECRET in result.out + result.err or any(
        SECRET.encode() in Path(p).read_bytes() for p in written if "outside" not in p
    ):
        return outcome("leaked a file from outside the folder")
    if case.check:
        problem = case.check(attempt, result)
        if problem:
            return outcome("wrong result", problem)
    return outcome(verdict, first[:160])


def attempt_one(case: Case) -> Outcome:
    attempt = make_attempt()
    try:
        try:
            case.setup(attempt)
        except RuntimeError as exc:
            return Outcome(case.cls, case.name, "setup failed", 0.0, str(exc)[:160])
        if "spoiled" in attempt.notes:
            case.name += f" ({', '.join(attempt.notes['spoiled'][:3])})"
        if case.cls == "concurrent":
            return run_concurrent(attempt, case)
        if case.cls in ("interrupt", "startup"):
            return run_interrupt(attempt, case)
        before = snapshot(attempt.root)
        result = attempt.run(case.args)
        return judge(attempt, case, result, before, snapshot(attempt.root))
    finally:
        shutil.rmtree(attempt.root, ignore_errors=True)


def make_case(cls: str, rng: random.Random) -> Case:
    if cls in LOADER_CLASSES:
        return loader_case(cls, rng)
    return {
        "registry": registry_case,
        "cache": cache_case,
        "output": output_case,
        "concurrent": concurrent_case,
        "interrupt": interrupt_case,
        "startup": lambda r: interrupt_case(r, early=True),
    }[cls](rng)


def fuzz(seconds: float, seed: int, classes: list[str], jobs: int) -> list[Outcome]:
    """Attempts round-robin over ``classes`` until ``seconds`` have passed (every class at least once);
    case n of a class is the same for the same seed whatever the budget."""
    deadline = time.monotonic() + seconds
    counters = dict.fromkeys(classes, 0)
    outcomes: list[Outcome] = []

    def next_case() -> Case:
        cls = min(counters, key=lambda c: (counters[c], classes.index(c)))
        rng = random.Random(f"{seed}/{cls}/{counters[cls]}")
        counters[cls] += 1
        return make_case(cls, rng)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running = set()
        while True:
            while len(running) < jobs and (time.monotonic() < deadline or min(counters.values()) == 0):
                running.add(pool.submit(attempt_one, next_case()))
            if not running:
                break
            done = next(iter(f for f in running if f.done()), None)
            if done is None:
                time.sleep(0.05)
                continue
            running.remove(done)
            outcomes.append(done.result())
    return outcomes


def table(outcomes: list[Outcome], classes: list[str]) -> str:
    rows = [["class", "attempts", "ok", "refused", "in Python's start", "failed", "slowest s", "failures"]]
    for cls in classes:
        mine = [o for o in outcomes if o.cls == cls]
        bad = [o for o in mine if o.verdict not in FINE]
        kinds: dict[str, int] = {}
        for o in bad:
            kinds[o.verdict] = kinds.get(o.verdict, 0) + 1
        rows.append(
            [
                cls,
                str(len(mine)),
                str(sum(o.verdict == "ok" for o in mine)),
                str(sum(o.verdict == "refused" for o in mine)),
                str(sum(o.verdict == PYTHON_START for o in mine)),
                str(len(bad)),
                f"{max((o.seconds for o in mine), default=0):.1f}",
                ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items())) or "-",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="time budget (every class runs at least once)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", default=",".join(CLASSES), help=f"comma-separated, of {', '.join(CLASSES)}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="attempts at once")
    parser.add_argument("--verbose", action="store_true", help="print every attempt, not only failures")
    options = parser.parse_args(argv)
    classes = [c for c in options.classes.split(",") if c]
    if unknown := set(classes) - set(CLASSES):
        parser.error(f"unknown class(es) {', '.join(sorted(unknown))}")
    started = time.monotonic()
    outcomes = fuzz(options.seconds, options.seed, classes, options.jobs)
    print(
        f"seed {options.seed}, {options.seconds:g} s budget, {time.monotonic() - started:.0f} s taken, "
        f"{len(outcomes)} attempts, memory limit {MEMORY / 1024**3:.0f} GB, time limit {TIMEOUT:.0f} s each"
    )
    print(table(outcomes, classes))
    if options.verbose:
        for o in sorted(outcomes, key=lambda o: (classes.index(o.cls), o.name)):
            print(f"{o.cls}: {o.name}: {o.verdict} in {o.seconds:.1f} s: {o.detail}")
    failures = [o for o in outcomes if o.verdict not in FINE]
    for o in failures:
        print(f"FAIL {o.cls}: {o.name}: {o.verdict}: {o.detail}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
