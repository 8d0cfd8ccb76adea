"""Ctrl-C at any moment of a real `wtcompare` process: one line on stderr, exit code 130, no traceback.

A terminal's Ctrl-C is a SIGINT; these tests send one to the process at chosen moments: while the
command line and its libraries are imported, during a run, while output is written and at exit.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wtcompare.entry import INTERRUPTED

COMMAND = [shutil.which("wtcompare", path=str(Path(sys.executable).parent)) or "wtcompare"]
REPORT = ["report", "sample-2002", "sample-2021", "-o", "r.html", "--date", "2026-01-01"]


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "WTCOMPARE_TEXTS"}


def interrupted_once(process: subprocess.Popen) -> tuple[str, str]:
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err and "Fatal Python error" not in err, err
    assert process.returncode == 130 and err.splitlines() == [INTERRUPTED], (process.returncode, err)
    return out, err


class Started:
    """Reads a process's stderr in a thread while it runs, its import times included
    (``PYTHONPROFILEIMPORTTIME``), so that a test can wait until our entry module is imported: before
    that no code of ours runs, and a signal then is Python's own affair (see the README). Waiting
    for it, not for a start-up time measured beforehand, holds however busy the machine is (tests
    run side by side make the start vary)."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.entry = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)
            if line.startswith("import time:") and line.rstrip().endswith("| wtcompare.entry"):
                self.entry.set()
        self.entry.set()  # it ended first: nothing to wait for

    def stderr(self) -> str:
        """What the process wrote to stderr, without the import times (once it has ended)."""
        self._thread.join(timeout=120)
        return "".join(line for line in self.lines if not line.startswith("import time:"))


@pytest.fixture(scope="module")
def whole_report(tmp_path_factory) -> bytes:
    """The report the interrupted runs make, made without interruption."""
    folder = tmp_path_factory.mktemp("whole")
    subprocess.run([*COMMAND, *REPORT], cwd=folder, env=environment(), check=True, capture_output=True)
    return (folder / "r.html").read_bytes()


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_interrupt_while_importing(tmp_path, delay, whole_report):
    """The interrupt comes while the libraries are imported or just after (``delay`` seconds after
    our entry module is), before anything is written. The cache is off: with it, the sample report
    is written in a fifth of a second, before the later signals. Were the report written all the
    same, it would be whole, and no temporary file is ever left."""
    process = subprocess.Popen(
        [*COMMAND, *REPORT],
        cwd=tmp_path,
        env=dict(environment(), WTCOMPARE_NO_CACHE="1", PYTHONPROFILEIMPORTTIME="1"),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = Started(process)
    assert started.entry.wait(timeout=120)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    process.stdout.read()
    process.wait(timeout=120)
    err = started.stderr()
    assert "Traceback" not in err and "Fatal Python error" not in err, err
    assert process.returncode == 130 and err.splitlines() == [INTERRUPTED], (process.returncode, err)
    left = list(tmp_path.iterdir())
    assert left in ([], [tmp_path / "r.html"])
    assert not left or (tmp_path / "r.html").read_bytes() == whole_report


def test_interrupt_during_a_run_keeps_the_previous_report(tmp_path):
    """An interrupt during a run leaves the previous report, or (when it came as the run ended,
    after the new report was renamed into place) the whole new one: never a part of either."""
    env = dict(environment(), WTCOMPARE_NO_CACHE="1")  # every run cold: long enough to be caught
    started = time.monotonic()
    subprocess.run([*COMMAND, *REPORT], cwd=tmp_path, env=env, check=True, capture_output=True)
    length = time.monotonic() - started
    before = (tmp_path / "r.html").read_bytes()
    elsewhere = tmp_path / "whole"
    elsewhere.mkdir()
    subprocess.run([*COMMAND, *REPORT[:-1], "2026-02-02"], cwd=elsewhere, env=env, check=True, capture_output=True)
    after = (elsewhere / "r.html").read_bytes()
    for share in (0.6, 0.9):
        process = subprocess.Popen(
            [*COMMAND, *REPORT[:-1], "2026-02-02"],
            cwd=tmp_path,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(length * share)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
        assert "Traceback" not in err
        if process.returncode == 0:  # it finished first: a whole new report
            assert out.strip().endswith("r.html") and err == ""
            continue
        assert process.returncode == 130 and err.splitlines() == [INTERRUPTED], err
        assert (tmp_path / "r.html").read_bytes() in (before, after)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_interrupt_while_writing_output(tmp_path):
    """Output to a pipe nobody reads blocks the process in a write (the pipe made as small as it
    can be); an interrupt there ends it with the one line."""
    for args in (["sections", "sample-2021", "--format", "json"], ["scan", "--kwic", "--format", "json"]):
        process = subprocess.Popen(
            [*COMMAND, *args],
            cwd=tmp_path,
            env=environment(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and not _blocked_writing(process.pid):
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        interrupted_once(process)


def _blocked_writing(pid: int) -> bool:
    """Whether the process sleeps in a write to its full stdout pipe (Linux /proc)."""
    try:
        return "pipe_write" in Path(f"/proc/{pid}/wchan").read_text()  # pipe_write, anon_pipe_write
    except OSError:
        pytest.skip("needs Linux /proc")


def test_interrupt_right_after_the_output_arrives(tmp_path):
    """The moment the output is read the process is at its end: it either ended already (exit 0)
    or ends now with the one line; never a traceback from the interpreter's shutdown."""
    outcomes = set()
    for _ in range(4):
        process = subprocess.Popen(
            [*COMMAND, "editions"],
            cwd=tmp_path,
            env=environment(),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.readline()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert "Traceback" not in err and "Exception ignored" not in err, err
        assert (process.returncode, err.splitlines()) in [(0, []), (130, [INTERRUPTED])]
        outcomes.add(process.returncode)
    assert outcomes


SCRIPT = """
import os, signal, sys
import wtcompare.cli
from wtcompare import entry

def interrupt():
    os.kill(os.getpid(), signal.SIGINT)

class Dying:
    def __del__(self):
        interrupt()
        sum(range(10**6))

def command():  # {where}
    print("some output")
    {command}

class Stdout:
    def __init__(self, stream):
        self.stream = stream
    def write(self, text):
        return self.stream.write(text)
    def flush(self):
        {flush}
        self.stream.flush()

sys.stdout = Stdout(sys.stdout)
wtcompare.cli.main = command
entry.main()
"""


@pytest.mark.parametrize(
    "where, command, flush",
    [
        ("in the command, outside the CLI's own handling", "interrupt(); sum(range(10**6))", "pass"),
        (
            "in the command, after it asked to exit",
            "try:\n        sys.exit(3)\n    finally:\n        interrupt()",
            "pass",
        ),
        ("at exit, while the output is flushed", "pass", "interrupt(); sum(range(10**6))"),
        ("a second one while the first is handled", "interrupt(); interrupt(); sum(range(10**6))", "pass"),
        ("in a __del__, where Python cannot raise it", "Dying(); sum(range(10**7))", "pass"),
        (
            "caught by a library, which went on (as one turning it into an error it then ignores)",
            "try:\n        interrupt(); sum(range(10**6))\n    except KeyboardInterrupt:\n        pass",
            "pass",
        ),
    ],
)
def test_interrupt_at_each_stage_of_the_entry_point(where, command, flush):
    script = SCRIPT.format(where=where, command=command, flush=flush)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 130 and result.stderr.splitlines() == [INTERRUPTED], result.stderr


def test_a_finished_run_flushes_its_output_and_keeps_its_exit_code(tmp_path):
    result = subprocess.run(
        [*COMMAND, "sections", "sample-2002", "--format", "csv"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("id,level,number") and result.stdout.endswith("\n")
    result = subprocess.run(
        [*COMMAND, "sections", "no-such-edition"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stderr.startswith("wtcompare: error: unknown edition")


def test_an_interrupt_a_library_turned_into_another_error_is_an_interrupt(run, monkeypatch):
    """numpy, interrupted while it initialises, raises "ImportError: initialization failed" rather
    than KeyboardInterrupt: once an interrupt was raised, any error is the interrupt (one line, 130),
    not an internal error."""
    import wtcompare.cli

    def broken(*args, **kwargs):
        raise ImportError("initialization failed")

    monkeypatch.setattr(wtcompare.cli, "interrupted", lambda: True)
    monkeypatch.setattr(wtcompare.cli, "Registry", broken)
    result = run("editions")
    assert result.exit_code == 130 and result.stderr.splitlines() == [INTERRUPTED]
