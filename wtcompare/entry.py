"""The ``wtcompare`` command's entry point: Ctrl-C gives one line and exit code 130 from the first
moment of the process to the last, never a traceback.

This module imports nothing heavy, so the interrupt handling is in place before the command line
and its libraries are imported (most of a second). Until the command runs, and once it has
finished, an interrupt exits at once: there is nothing to clean up. While the command runs, an
interrupt raises KeyboardInterrupt, which the command turns into the one line once its ``finally``
blocks have run (files are written to a temporary file and renamed, so none is half-written); a
second interrupt meanwhile exits at once, and one that Python swallowed (in a ``__del__``) is raised
again a moment later. The process ends with ``os._exit`` after flushing its output, so the
interpreter's shutdown, where an interrupt would print a traceback or go unseen, never runs
(nothing of ours needs it: worker processes are joined or stopped, the progress thread is a daemon).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

INTERRUPTED = "wtcompare: interrupted; files already written are complete, nothing half-written was kept"
# as the command; the command runs; the line printed; an interrupt was raised in the command
_state = {"command": False, "running": False, "said": False, "interrupted": False}


def say_interrupted() -> None:
    """Print the one line that says the run was interrupted (once, when running as the command)."""
    if _state["said"]:
        return
    _state["said"] = _state["command"]
    sys.stderr.write(INTERRUPTED + "\n")
    sys.stderr.flush()


def _stop(signum: int | None = None, frame: FrameType | None = None) -> None:
    """Exit at once. In a signal handler the main thread may be inside a write to sys.stderr, so
    the line goes straight to the file descriptor."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _state["said"]:
        _state["said"] = True
        with contextlib.suppress(OSError):
            os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(130)


def _raise(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, _stop)
    _state["interrupted"] = True
    raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether an interrupt was raised while the command ran. A library can turn the
    KeyboardInterrupt into another error (numpy, interrupted while it initialises, raises
    "ImportError: initialization failed"), which is then the interrupt, not a bug."""
    return _state["interrupted"]


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An interrupt that landed where Python cannot raise it (a ``__del__`` or a weakref callback,
    say while a library is imported) would be printed as "Exception ignored" and lost: raise it
    again a moment later (a timer signal), once the code that swallowed it has returned."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
    elif _state["running"] and hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, 0.01)
    else:
        _stop()


def _ignore_in_child() -> None:
    # A forked worker would otherwise run these handlers too (a terminal's Ctrl-C reaches every
    # process of the group) and print a second line; the main process stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(command: Callable[[], object]) -> int:
    try:
        command()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")
        return 1
    return 0


def _finish(code: int) -> None:
    """Flush the output and end the process, skipping the interpreter's shutdown."""
    signal.signal(signal.SIGINT, _stop)
    _state["running"] = False
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        pass
    except OSError as exc:
        sys.stderr.write(f"wtcompare: error: cannot write the output: {exc.strerror or exc}\n")
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Run the command line with interrupts handled from start to exit."""
    signal.signal(signal.SIGINT, _stop)
    _state["command"] = True
    sys.unraisablehook = _unraisable
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_ignore_in_child)
    from .errors import WtcompareError

    try:
        from .cli import main as command
    except WtcompareError as exc:  # a setting read as the modules load (WTCOMPARE_MAX_BYTES=2G)
        sys.stderr.write(f"wtcompare: error: {exc}\n")
        _finish(exc.exit_code)

    code = 130
    try:
        _state["running"] = True
        signal.signal(signal.SIGINT, _raise)
        code = _run(command)
        signal.signal(signal.SIGINT, _stop)
        _state["running"] = False
        if _state["interrupted"] and code == 0:
            # A library caught the interrupt (as the error it turned it into, say while it was
            # imported) and the command ran to its end: asked to stop, it says it was interrupted.
            say_interrupted()
            code = 130
    except KeyboardInterrupt:  # one that arrived outside the command's own handling
        signal.signal(signal.SIGINT, _stop)
        say_interrupted()
        code = 130
    _finish(code)
