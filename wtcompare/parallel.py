"""Work done on another core while the main process goes on: a command's editions loaded while it
imports its libraries (`Registry.load_many`), a pair report's scan (with the lexicon's blind
figure) while the pair is aligned, its diffs built and laid out while the rest of its page is, and
the timeline's chapter alignments.

Each piece of work gets a worker process of its own, forked when the work starts: it inherits the
function and its arguments rather than receiving them pickled (pickling two editions and reading
them back cost about 0.13 CPU seconds, a lexicon holds functions that pickle cannot send), and it
exits with the work, so no worker keeps the memory of an earlier peak. Only the result comes back
pickled. Workers ignore Ctrl-C, which the main process gets, and are stopped if the caller fails or
is interrupted rather than left to finish: each unwinds (a file it was writing deleted, its own
workers stopped), or is killed after `STOP_WAIT` seconds. A worker runs the same function on the
same data as the main process would, so the result is the same, only sooner: the tests compare the
two. Where processes cannot fork, in a daemon process (a pool's worker), when the system refuses
a new process, or where the caller judges a worker not worth it (below `MIN_WORDS` words in all),
the work is done in the main process.

`capped` runs work in a worker for another reason: to keep a library's own code (pdfium, reading a
PDF from a stranger) inside a memory limit, and its crash from taking the caller with it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from types import FrameType
from typing import TYPE_CHECKING, Any

from .errors import WtcompareError, setting

if TYPE_CHECKING:  # not on Windows, which cannot fork
    from multiprocessing.context import ForkContext

MIN_WORDS = setting("WTCOMPARE_PARALLEL_WORDS", 100_000, "words")  # 0: always in workers (tests)
STOP_WAIT = 5.0  # seconds a stopped worker has to clean up before it is killed


def _context() -> ForkContext | None:
    """The fork context, or None where the platform cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def cores() -> int:
    """How many cores this process may run on: those of its CPU affinity where the system tells
    (`taskset`, or a container given some of the machine's cores), else the machine's."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return len(os.sched_getaffinity(0)) or 1
        except OSError:  # a sandbox that refuses the call
            pass
    return os.cpu_count() or 1


def worth_it(words: int) -> bool:
    """Whether two or more pieces of work over ``words`` words in all are worth other processes."""
    return cores() >= 2 and words >= MIN_WORDS


class WorkerDied(WtcompareError):
    """A worker ended without sending its result: killed, out of memory in a library's own code
    (which aborts rather than raising), or crashed. Something of the machine's, not of the input's
    or ours: the command line says so in one line."""

    def __init__(self, exitcode: int | None) -> None:
        how = f"exit code {exitcode}"
        if exitcode is not None and exitcode < 0:
            try:
                how += f", killed by {signal.Signals(-exitcode).name}"
            except ValueError:  # a signal this platform does not name
                how += f", killed by signal {-exitcode}"
        super().__init__(
            f"a worker process stopped without its result ({how}): out of memory, killed, or a library's crash"
        )
        self.exitcode = exitcode

    def __reduce__(self) -> tuple:
        return WorkerDied, (self.exitcode,)  # from its exit code, not its message (a worker's own worker died)


class WorkerError(Exception):
    """The traceback of an exception raised in a worker (set as that exception's cause, for
    ``--debug``)."""


class _Stopped(BaseException):
    """Raised in a worker asked to stop (SIGTERM): not an `Exception`, so only cleanups see it."""


_owner = 0  # the worker whose `_work` took over SIGTERM (set in it); a worker's own worker inherits it until then


def _stopped(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _owner:
        # a worker's own worker (a PDF read in a `capped` one), forked with this handler and stopped
        # before its `_work` took over: it has begun nothing to unwind, and a `_Stopped` raised in
        # multiprocessing's start of the process would print its traceback
        os._exit(128 + signal.SIGTERM)
    raise _Stopped


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A stop that landed where Python cannot raise it (a ``__del__`` or a finalizer, as a PDF
    library closes its pages) would be printed and lost: it is raised again a moment later."""
    if isinstance(unraisable.exc_value, _Stopped) and hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _stopped)
        signal.setitimer(signal.ITIMER_REAL, 0.01)
    else:
        sys.__unraisablehook__(unraisable)


def _work(sender: Connection, inherited: list[Connection], function: Callable, args: tuple) -> None:
    global _owner
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # Stopped (SIGTERM), the worker unwinds rather than dying where it stands: a file it is
        # writing is deleted by `fileio.atomic_write` rather than left half-written, and workers of
        # its own (a PDF read in a `capped` one) are stopped in turn rather than left running. It
        # then ends sending nothing: the caller that stopped it wants nothing, and another sees it
        # end (`WorkerDied`), as when a worker is killed.
        _owner = os.getpid()
        signal.signal(signal.SIGTERM, _stopped)
        sys.unraisablehook = _unraisable
        # The ends the caller reads from, this worker's and those of the workers before it, are
        # closed here: were the caller to die without stopping its workers, a worker sending a
        # large result would otherwise wait forever for a reader, its own copy of that end.
        for receiver in inherited:
            receiver.close()
        _send(sender, function, args)
        # Done: a stop from here on (the caller leaving `Workers` while this worker ends, or a
        # stop swallowed earlier and due again) would land in multiprocessing's own ending of the
        # process, outside this `try`, and print its traceback there.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Stopped:
        os._exit(128 + signal.SIGTERM)


def _send(sender: Connection, function: Callable, args: tuple) -> None:
    try:
        outcome: tuple = (True, function(*args))
    except _Stopped:
        raise
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the caller
        outcome = (False, error, traceback.format_exc())
    try:
        sender.send(outcome)
    except BrokenPipeError:  # the caller is gone
        return
    except Exception as error:  # the result or the exception would not pickle: say what it was
        what = "result" if outcome[0] else f"exception ({type(outcome[1]).__name__}: {str(outcome[1])[:200]})"
        details = outcome[2] if not outcome[0] else ""
        try:
            sender.send((False, RuntimeError(f"a worker's {what} could not be sent back: {error}"), details))
        except BrokenPipeError:  # the caller is gone meanwhile
            return
    sender.close()


class _Task:
    """A piece of work in a worker, and its outcome once received."""

    def __init__(self, context: ForkContext) -> None:
        self.receiver, self.sender = context.Pipe(duplex=False)
        self.process: multiprocessing.process.BaseProcess | None = None
        self.outcome: tuple | None = None

    def receive(self) -> None:
        """Wait for the outcome (or for the worker to end without one), then for the worker to
        exit, and let go of its pipe and process."""
        assert self.process is not None
        try:
            self.outcome = self.receiver.recv()
        except Exception as error:  # no outcome, or one that cannot be read: say why
            self.process.join()
            # ended by a signal or an error before or while sending (killed when out of memory)
            if isinstance(error, EOFError) or self.process.exitcode != 0:
                self.outcome = (False, WorkerDied(self.process.exitcode), "")
            else:
                self.outcome = (False, RuntimeError(f"a worker's result or exception could not be read ({error})"), "")
        finally:
            self.receiver.close()
        self.process.join()
        self.process.close()

    def _live(self) -> multiprocessing.process.BaseProcess | None:
        """The worker's process if it was started and not yet let go of (`receive` closes it, and
        an interrupt just after that still finds the task among the running ones)."""
        try:
            return self.process if self.process is not None and self.process.pid is not None else None
        except ValueError:  # closed: received, ended and let go
            return None

    def stop(self) -> None:
        """Ask the worker to stop (it unwinds: see `_work`) and let go of its pipe; `reap` waits for it."""
        self.receiver.close()
        self.sender.close()
        process = self._live()
        if process is not None:
            process.terminate()

    def reap(self) -> None:
        """Wait for a stopped worker to end: a few seconds for its cleanup (a worker inside a
        library's own code sees the request only when it returns), then it is killed."""
        process = self._live()
        if process is not None:
            process.join(STOP_WAIT)
            if process.exitcode is None:
                process.kill()
                process.join()
            process.close()


class Workers:
    """Worker processes, one forked per piece of work (use as a context manager: on leaving it,
    every worker whose result was not received is stopped, as when the caller fails)."""

    def __init__(self) -> None:
        self._running: list[_Task] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: Any) -> None:
        # every worker is asked to stop before any is waited for, so that an interrupt while
        # waiting (a second Ctrl-C) leaves none running unasked
        running, self._running = self._running, []
        for task in running:
            task.stop()
        for task in running:
            task.reap()

    def start(self, function: Callable, *args: Any, here: Callable | None = None) -> Callable[[], Any]:
        """Start ``function(*args)`` in a new worker; return what gives its result, waiting for it
        (the worker's exception is raised there). Where processes cannot fork, in a daemon process,
        which may not start one, or when the system refuses a new process, ``here`` (by default
        ``function``) is run with ``args`` in this process, at once."""
        context = _context()
        if context is None or multiprocessing.current_process().daemon:
            return _here(here or function, args)
        task = _Task(context)
        # known before the fork, so that an interrupt during it still stops the worker
        self._running.append(task)
        inherited = [t.receiver for t in self._running]
        # Not a daemon: a worker loading a PDF runs the PDF library in a `capped` worker of its own,
        # which a daemon may not start. Every worker is stopped (and so are its own) on leaving `Workers`.
        task.process = context.Process(target=_work, args=(task.sender, inherited, function, args))
        try:
            with _interrupts_held():
                task.process.start()
        except OSError:  # no process to be had (a process limit, no memory): the work is done here
            self._running.remove(task)
            task.stop()
            return _here(here or function, args)
        task.sender.close()

        def result() -> Any:
            if task.outcome is None:
                self._receive(task)
            assert task.outcome is not None
            ok, value, *details = task.outcome
            if ok:
                return value
            if details and details[0]:
                raise value from WorkerError(details[0])
            raise value

        return result

    def wait(self, most: int) -> None:
        """Wait until fewer than ``most`` workers are running (their outcomes are kept for when
        their results are asked for)."""
        while self._running and len(self._running) >= most:
            for receiver in wait([t.receiver for t in self._running]):
                self._receive(next(t for t in self._running if t.receiver is receiver))

    def _receive(self, task: _Task) -> None:
        task.receive()  # interrupted, the task stays running, to be stopped on leaving
        self._running.remove(task)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back until the block ends, then handled as this process handles it: while a
    worker is forked, an interrupt before this process has its pid (multiprocessing's
    ``Process._popen``, set once the fork returns, a few milliseconds for a large process) would
    leave a worker no one can stop, running on after the command. Signals are handled in the main
    thread only; elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield  # not ours to hold: another thread, or a handler not set from Python
        return
    held: list[tuple[int, FrameType | None]] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            if callable(previous):
                previous(*held[0])
            elif previous != signal.SIG_IGN:  # the system's default: end as it would have
                os.kill(os.getpid(), signal.SIGINT)


def _here(function: Callable, args: tuple) -> Callable[[], Any]:
    """``function(*args)`` done here, now; its result or its error given when asked for, as a
    worker's would be (so that a caller takes the results of work started before it first)."""
    try:
        done = function(*args)
    except Exception as error:
        caught = error  # the name ``error`` is unbound once the except block ends

        def failed() -> Any:
            raise caught

        return failed
    return lambda: done


@contextmanager
def alongside(function: Callable, *args: Any, parallel: bool = True) -> Iterator[Callable]:
    """Run ``function(*args)`` in a worker while the body goes on; the body gets its result by
    calling what this yields. With ``parallel`` false it runs in this process when its result is
    asked for."""
    if not parallel:
        yield lambda: function(*args)
        return
    with Workers() as workers:
        yield workers.start(function, *args)


def _address_space() -> int | None:
    """The bytes of address space this process has mapped, where the system says (Linux)."""
    try:
        import resource  # not on Windows

        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        return None


def _within(limit: int, function: Callable, args: tuple) -> Any:
    import faulthandler
    import resource

    faulthandler.disable()  # a library aborting here is reported by the caller, naming its input

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    stricter = [bound for bound in (soft, hard) if bound != resource.RLIM_INFINITY]
    if not stricter or limit < min(stricter):  # a limit the user set stays, when lower
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return function(*args)


def allowance(memory: int) -> tuple[int, bool]:
    """The bytes a `capped` worker may map beyond what this process has mapped now, and whether a
    lower limit the user set (``ulimit -v``) decides it rather than ``memory``."""
    mapped = _address_space()
    if mapped is None:
        return memory, False
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft >= mapped + memory:
        return memory, False
    return max(0, soft - mapped), True


def _uncapped(limit: int, function: Callable, args: tuple) -> Any:
    return function(*args)


def capped(memory: int, function: Callable, *args: Any) -> Any:
    """``function(*args)`` run in a worker that may map at most ``memory`` bytes more than this
    process has mapped now (its address-space limit; a program the worker starts inherits it).
    Going over it raises `MemoryError` or, where a library aborts on a failed allocation, a
    `WorkerDied`, as does a crash. Where processes cannot fork or the system does not say how much
    a process has mapped (Linux does), in a daemon process (a pool's worker), which may not start
    one, or when the system refuses a new process, the work is done in this process, with no limit."""
    mapped = _address_space()
    if mapped is None:
        return function(*args)
    with Workers() as workers:
        # without a worker, the limit would bind this process for good: the work is done uncapped
        return workers.start(_within, mapped + memory, function, args, here=_uncapped)()
