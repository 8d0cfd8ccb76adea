"""Work done on another core while the main process goes on: a pair report's scan (with the
lexicon's blind figure) while the pair is aligned, and the timeline's chapter alignments.

Workers are forked where the platform can (they start at once and share the modules already
imported); they ignore Ctrl-C, which the main process gets, and are stopped at once if the caller
fails or is interrupted rather than left to finish. A worker runs the same function on the same
data as the main process would, so the result is the same, only sooner: the tests compare the two.
Below `MIN_WORDS` words in all, starting a worker costs more than it saves, and the work is done
in the main process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from typing import Any

MIN_WORDS = int(os.environ.get("WTCOMPARE_PARALLEL_WORDS", 100_000))  # 0: always in workers (tests)


def _context() -> BaseContext:
    """fork where the platform has it (workers start at once, sharing the imported modules)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@contextmanager
def pool(workers: int, tasks_each: int | None = None) -> Iterator:
    """A pool of ``workers`` processes, stopped at once if the body fails, else joined. With
    ``tasks_each``, a worker is replaced by a new one after that many tasks (and the memory it
    holds after them returned)."""
    # Workers ignore Ctrl-C: the main process gets it and stops them.
    started = _context().Pool(
        workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN), maxtasksperchild=tasks_each
    )
    try:
        yield started
    except BaseException:
        started.terminate()
        raise
    else:
        started.close()
    finally:
        started.join()


def worth_it(words: int, tasks: int = 2) -> bool:
    """Whether ``tasks`` pieces of work over ``words`` words in all are worth other processes."""
    return tasks >= 2 and (os.cpu_count() or 1) >= 2 and words >= MIN_WORDS


_inherited: list[tuple[Callable, tuple]] = []  # what a forked worker of `alongside` runs


def _run_inherited() -> Any:
    function, args = _inherited[-1]
    return function(*args)


@contextmanager
def alongside(function: Callable, *args: Any, parallel: bool = True) -> Iterator[Callable]:
    """Run ``function(*args)`` in a forked worker while the body goes on; the body gets its result
    by calling what this yields. The worker inherits the function and its arguments instead of
    receiving them pickled (a lexicon holds functions, which pickle cannot send); its result comes
    back pickled. With ``parallel`` false, or where processes cannot fork, it runs in this process
    when its result is asked for."""
    if not parallel or _context().get_start_method() != "fork":
        yield lambda: function(*args)
        return
    _inherited.append((function, args))
    try:
        with pool(1) as worker:
            pending = worker.apply_async(_run_inherited)
            yield pending.get
    finally:
        _inherited.pop()
