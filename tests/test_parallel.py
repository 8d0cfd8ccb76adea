"""The worker processes of `wtcompare.parallel`: each piece of work forked with its arguments
inherited, its result or its exception brought back, at most so many at once, all stopped when the
caller fails."""

import multiprocessing
import os
import threading
import time

import pytest

from wtcompare import parallel

pytestmark = pytest.mark.skipif(parallel._context() is None, reason="workers fork")


def _pid(*_: object) -> int:
    return os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _unpicklable() -> threading.Lock:
    return threading.Lock()


def _sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_arguments_are_inherited_not_pickled_and_the_result_comes_back():
    lock = threading.Lock()  # pickle cannot send it
    with parallel.Workers() as workers:
        result = workers.start(_pid, lock, lambda: None)
        assert result() != os.getpid()
        assert result() == result()  # asked twice, received once
    assert not multiprocessing.active_children()


def test_a_workers_exception_is_raised_in_the_caller_with_its_traceback():
    with parallel.Workers() as workers:
        result = workers.start(_fail, "no such chapter")
        with pytest.raises(ValueError, match="no such chapter") as raised:
            result()
    assert isinstance(raised.value.__cause__, parallel.WorkerError)
    assert "_fail" in str(raised.value.__cause__)


def test_a_result_that_cannot_be_sent_back_is_an_error():
    with parallel.Workers() as workers:
        result = workers.start(_unpicklable)
        with pytest.raises(RuntimeError, match="could not be sent back"):
            result()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with parallel.Workers() as workers:
        result = workers.start(os._exit, 3)
        with pytest.raises(RuntimeError, match=r"stopped \(exit code 3\)"):
            result()


def test_wait_holds_the_caller_until_fewer_workers_run():
    with parallel.Workers() as workers:
        first = workers.start(_sleep_then_pid, 0.5)
        second = workers.start(_sleep_then_pid, 0.0)
        assert len(multiprocessing.active_children()) == 2
        workers.wait(2)  # returns once one of the two has finished
        assert len(multiprocessing.active_children()) == 1
        workers.wait(1)
        assert not multiprocessing.active_children()
        assert first() != second()  # each piece of work had a worker of its own


def test_leaving_on_an_error_stops_the_workers_at_once():
    started = time.monotonic()
    with pytest.raises(KeyError), parallel.Workers() as workers:
        workers.start(time.sleep, 60)
        raise KeyError("the caller failed")
    assert time.monotonic() - started < 30
    assert not multiprocessing.active_children()


def test_without_fork_the_work_is_done_here(monkeypatch):
    monkeypatch.setattr(parallel, "_context", lambda: None)
    with parallel.Workers() as workers:
        assert workers.start(_pid)() == os.getpid()
    with parallel.alongside(_pid) as result:
        assert result() == os.getpid()
