"""Stage timings and progress on stderr.

Every stage of a run (load, segment, align, scan, diff, render) is wrapped in ``stage(name,
detail)``. That records how long each stage took (the benchmark reads `timings`) and, when progress
is switched on, shows on stderr which edition and stage the run is in, once the run has lasted
about two seconds; short runs stay silent. The CLI switches it on only when stderr is a terminal
and ``--quiet`` is not given. ``gc_paused`` keeps Python's cyclic garbage collector out of a run.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypedDict

DELAY = 2.0  # seconds before progress appears

timings: dict[str, float] = defaultdict(float)


class _State(TypedDict):
    label: str  # the edition and stage the run is in
    shown: str  # the label on stderr now
    enabled: bool
    start: float  # when progress was switched on (time.monotonic)


_state: _State = {"label": "", "shown": "", "enabled": False, "start": 0.0}
_lock = threading.Lock()


def enable() -> None:
    """Show progress on stderr for the rest of this run (from DELAY seconds on)."""
    _state.update({"enabled": True, "start": time.monotonic()})
    threading.Thread(target=_watch, daemon=True).start()


@contextmanager
def stage(name: str, detail: str = "") -> Iterator[None]:
    started = time.perf_counter()
    with _lock:
        previous, _state["label"] = _state["label"], f"{detail}: {name}" if detail else name
    try:
        yield
    finally:
        timings[name] += time.perf_counter() - started
        with _lock:
            _state["label"] = previous


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration (also usable as a decorator). A run
    builds millions of small objects that live until it ends, and the collector would rescan them
    again and again: measured, a third of a warm pairwise report. Reference counting still frees
    almost everything at once; the collector resumes on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _after_fork() -> None:
    # A worker forked while the progress thread held the lock would wait for it forever; a worker
    # has no progress thread of its own, so it shows nothing.
    global _lock
    _lock = threading.Lock()
    _state.update({"enabled": False, "label": "", "shown": ""})


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_after_fork)


def _watch() -> None:
    while _state["enabled"]:
        time.sleep(0.2)
        with _lock:
            label = _state["label"]
            due = time.monotonic() - _state["start"] >= DELAY
            if due and label != _state["shown"]:
                _state["shown"] = label
                sys.stderr.write(f"\r\033[K{label}\u2026" if label else "\r\033[K")
                sys.stderr.flush()


def finish() -> None:
    """Clear the progress line before the command prints its result."""
    with _lock:
        if _state["enabled"] and _state["shown"]:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
        _state.update({"enabled": False, "label": "", "shown": ""})
