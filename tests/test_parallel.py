"""The worker processes of `wtcompare.parallel`: each piece of work forked with its arguments
inherited, its result or its exception brought back, at most so many at once, all stopped when the
caller fails."""

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

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


class _Unreadable(Exception):
    """Pickles, but cannot be rebuilt from its pickle (its constructor wants another argument)."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(first)


def _raise_unreadable() -> None:
    raise _Unreadable("one", "two")


def _raise_unpicklable() -> None:
    raise ValueError(threading.Lock())


def _interrupt_self() -> str:
    os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C reaches every process of the group
    time.sleep(0.2)
    return "went on"


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


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
        with pytest.raises(RuntimeError, match="a worker's result could not be sent back"):
            result()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with parallel.Workers() as workers:
        result = workers.start(os._exit, 3)
        with pytest.raises(parallel.WorkerDied, match=r"stopped without its result \(exit code 3\)"):
            result()


def test_wait_holds_the_caller_until_fewer_workers_run():
    with parallel.Workers() as workers:
        first = workers.start(_sleep_then_pid, 3.0)
        second = workers.start(_sleep_then_pid, 0.0)
        workers.wait(2)  # returns once one of the two has finished: the quick one
        assert len(multiprocessing.active_children()) == 1
        workers.wait(1)
        assert not multiprocessing.active_children()
        assert first() != second()  # each piece of work had a worker of its own
        workers.wait(0)  # nothing running: nothing to wait for


def test_pipes_and_processes_are_let_go_on_every_path():
    before = _open_fds()
    with parallel.Workers() as workers:
        results = [workers.start(_pid), workers.start(_fail, "x"), workers.start(os._exit, 1)]
        for result in results:
            with contextlib.suppress(ValueError, RuntimeError, parallel.WorkerDied):
                result()
        assert _open_fds() == before  # while the results are still held
    with pytest.raises(KeyError), parallel.Workers() as workers:
        workers.start(time.sleep, 60)
        raise KeyError("the caller failed")
    assert _open_fds() == before
    assert not multiprocessing.active_children()


def test_an_exception_or_result_that_cannot_come_back_is_an_error_that_says_so():
    with parallel.Workers() as workers:
        unreadable, unpicklable = workers.start(_raise_unreadable), workers.start(_raise_unpicklable)
        with pytest.raises(RuntimeError, match=r"a worker's result or exception could not be read \(.*__init__"):
            unreadable()
        with pytest.raises(RuntimeError, match=r"exception \(ValueError: <unlocked _thread.lock") as raised:
            unpicklable()
        assert "_raise_unpicklable" in str(raised.value.__cause__)
        workers.wait(1)  # nothing left running, and nothing broken


def test_a_worker_outlives_no_caller_that_died_without_stopping_it(tmp_path):
    """A caller that dies at once (a second Ctrl-C, a kill) leaves its workers; one with a large
    result to send must not wait forever for a reader."""
    script = tmp_path / "caller.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, time
            from wtcompare import parallel

            def big():
                open({str(tmp_path / "pid")!r}, "w").write(str(os.getpid()))
                time.sleep(0.5)
                return "x" * 1_000_000  # more than a pipe holds

            workers = parallel.Workers()
            workers.start(big)
            workers.start(big)  # a later worker inherits the earlier one's pipe
            time.sleep(0.2)
            os._exit(0)
            """
        )
    )
    subprocess.run([sys.executable, str(script)], check=True, cwd=Path(__file__).parent.parent)
    deadline = time.monotonic() + 20
    while Path(f"/proc/{(tmp_path / 'pid').read_text()}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{(tmp_path / 'pid').read_text()}").exists()


def test_workers_leave_ctrl_c_to_the_caller():
    with parallel.Workers() as workers:
        assert workers.start(_interrupt_self)() == "went on"


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


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 2**20))


def _address_limit() -> tuple[int, int]:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)


@pytest.mark.skipif(parallel._address_space() is None, reason="needs /proc/self/statm (Linux)")
def test_capped_work_is_limited_in_its_worker_and_the_caller_is_not():
    before = _address_limit()
    assert parallel.capped(256 * 2**20, _allocate, 16) == 16 * 2**20
    with pytest.raises(MemoryError):
        parallel.capped(64 * 2**20, _allocate, 512)
    soft, _ = parallel.capped(64 * 2**20, _address_limit)
    mapped = parallel._address_space()
    assert mapped is not None and abs(soft - mapped - 64 * 2**20) < 16 * 2**20  # what was mapped, and 64 MB
    assert _address_limit() == before
    assert _allocate(512) == 512 * 2**20


@pytest.mark.skipif(parallel._address_space() is None, reason="needs /proc/self/statm (Linux)")
def test_capped_keeps_a_lower_limit_the_user_set():
    script = textwrap.dedent(
        """
        import resource
        from wtcompare import parallel
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        lower = parallel._address_space() + 3 * 2**30
        resource.setrlimit(resource.RLIMIT_AS, (lower, hard))
        print(parallel.capped(2**40, resource.getrlimit, resource.RLIMIT_AS)[0] == lower)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_a_worker_that_dies_is_a_worker_died_with_its_exit_code():
    with pytest.raises(parallel.WorkerDied, match=r"exit code -9") as raised:
        parallel.capped(2**30, _kill_self)
    assert raised.value.exitcode == -signal.SIGKILL


def test_capped_work_in_a_daemon_process_is_done_there():
    """A pool's worker is a daemon process, which may not start one of its own (Python refuses)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(parallel.capped, (2**30, os.getpid)) == pool.apply(os.getpid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _sleep_forever(pid_file: Path) -> None:
    pid_file.write_text(str(os.getpid()))
    time.sleep(600)


def _nest(pid_file: Path) -> None:
    """A worker that waits on a worker of its own, as a worker loading a PDF waits on its reader."""
    with parallel.Workers() as inner:
        inner.start(_sleep_forever, pid_file)()


def _write_slowly(target: Path, started: Path) -> None:
    """Stopped inside `atomic_write` (its fsync made slow), as a worker writing a cache entry can be."""
    from wtcompare import fileio

    def slow_fsync(fd: int) -> None:
        started.write_text("writing")
        time.sleep(600)

    os.fsync = slow_fsync
    fileio.atomic_write(target, "x" * 1000)


def _wait_for(path: Path) -> None:
    """Until another process has written ``path`` (it exists, then holds its text: wait for both)."""
    deadline = time.monotonic() + 30
    while not (path.exists() and path.read_text()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_a_stopped_worker_stops_its_own_workers_rather_than_leaving_them_running(tmp_path):
    """Stopping a worker (the caller failed or was interrupted) makes it unwind, so that a worker
    it started (a PDF's reader, in a `capped` worker) is stopped too, not left running unowned."""
    pid_file = tmp_path / "pid"
    with parallel.Workers() as outer:
        outer.start(_nest, pid_file)
        _wait_for(pid_file)
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 30
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_stopped_worker_leaves_no_half_written_file(tmp_path):
    target, started = tmp_path / "out" / "entry.json", tmp_path / "started"
    with parallel.Workers() as workers:
        workers.start(_write_slowly, target, started)
        _wait_for(started)
        assert [p.name for p in target.parent.iterdir()][0].endswith(".tmp")  # being written now
    assert list(target.parent.iterdir()) == []


def test_in_a_daemon_process_or_without_a_new_process_the_work_is_done_here(monkeypatch):
    """A pool's worker may not start one (Python refuses); a system out of processes refuses a fork."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_start_pid) == pool.apply(os.getpid)

    def refuse(self):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    with parallel.Workers() as workers:
        assert workers.start(os.getpid)() == os.getpid()


def _start_pid() -> int:
    with parallel.Workers() as workers:
        return workers.start(os.getpid)()


def test_a_worker_died_pickles_with_its_exit_code():
    """As a worker's own worker's death comes back through its pipe (a PDF reader's, to a loader)."""
    import pickle

    again = pickle.loads(pickle.dumps(parallel.WorkerDied(-9)))
    assert again.exitcode == -9 and str(again) == str(parallel.WorkerDied(-9))


def _terminate_self() -> str:
    os.kill(os.getpid(), signal.SIGTERM)  # as a tool that ends the largest process would
    time.sleep(5)
    return "went on"


def test_a_worker_ended_by_someone_elses_sigterm_is_a_worker_died_not_an_exit_of_the_caller():
    with parallel.Workers() as workers, pytest.raises(parallel.WorkerDied, match=r"exit code 143"):
        workers.start(_terminate_self)()


def _big_result(pid_file: Path) -> bytes:
    pid_file.write_text(str(os.getpid()))
    return b"x" * 20_000_000  # far more than a pipe holds: the worker waits in its send


def test_a_worker_killed_while_sending_its_result_is_a_worker_died(tmp_path):
    """A loading worker holding a whole document waits to send it while the caller imports: the
    system's out-of-memory killer may end it there."""
    pid_file = tmp_path / "pid"
    with parallel.Workers() as workers:
        result = workers.start(_big_result, pid_file)
        _wait_for(pid_file)
        time.sleep(0.5)  # into its send
        os.kill(int(pid_file.read_text()), signal.SIGKILL)
        with pytest.raises(parallel.WorkerDied, match=r"exit code -9"):
            result()


def _deaf(pid_file: Path) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as a worker deep in a library's own code
    pid_file.write_text(str(os.getpid()))
    time.sleep(600)


def test_a_stopped_worker_that_does_not_end_is_killed(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "STOP_WAIT", 0.3)
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with parallel.Workers() as workers:
        workers.start(_deaf, pid_file)
        _wait_for(pid_file)
    assert time.monotonic() - started < 30
    assert not _alive(int(pid_file.read_text()))


def test_without_a_worker_an_error_is_raised_when_the_result_is_asked_for(monkeypatch):
    """As a worker's: work started after it is not cut short, and results asked for before it come first."""
    monkeypatch.setattr(parallel, "_context", lambda: None)
    with parallel.Workers() as workers:
        failing = workers.start(_fail, "later")
        fine = workers.start(os.getpid)
        assert fine() == os.getpid()
        with pytest.raises(ValueError, match="later"):
            failing()


def test_capped_without_a_new_process_leaves_this_processs_limit_alone(monkeypatch):
    import resource

    def refuse(self):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    assert parallel.capped(2**30, resource.getrlimit, resource.RLIMIT_AS) == before
    assert resource.getrlimit(resource.RLIMIT_AS) == before


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is a Linux call")
def test_cores_are_those_the_process_may_run_on():
    """A process held to one core (`taskset`, a container's cpuset) does its work in one process,
    however many cores the machine has; given them all back, it counts them all."""
    code = textwrap.dedent(
        """
        import os
        from wtcompare import parallel
        every = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(every)})
        print(parallel.cores(), parallel.worth_it(10**9))
        os.sched_setaffinity(0, every)
        print(parallel.cores() == len(every))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["1", "False", "True"]


def test_a_worker_stopped_as_it_ends_after_its_work_ends_quietly(tmp_path):
    """A worker that has sent its result, or found its caller gone, ends through
    multiprocessing's own code, outside the worker's handling of a stop: a stop landing there
    (the caller leaving `Workers`, say on Ctrl-C, just as the worker ends) printed multiprocessing's
    traceback. The worker's ending is slowed here so that the stop lands in it."""
    script = tmp_path / "ending.py"
    script.write_text(
        textwrap.dedent(
            """
            import multiprocessing.util
            import time

            from wtcompare import parallel

            ending = multiprocessing.util._exit_function

            def slow_ending(*args, **kwargs):
                time.sleep(1.0)
                return ending(*args, **kwargs)

            multiprocessing.util._exit_function = slow_ending
            with parallel.Workers() as workers:
                workers.start(int, 1)
                time.sleep(0.5)  # the worker has sent its result and is ending
            multiprocessing.util._exit_function = ending
            print("left")
            """
        )
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout == "left\n"
    assert run.stderr == ""


def test_cores_when_the_system_refuses_to_say(monkeypatch):
    """A sandbox that refuses the affinity call leaves the machine's count, not an error."""

    def refused(pid: int) -> set:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(parallel.os, "sched_getaffinity", refused, raising=False)
    assert parallel.cores() == (os.cpu_count() or 1)


def test_a_worker_killed_by_a_signal_says_which():
    assert "killed by SIGKILL" in str(parallel.WorkerDied(-9))
    assert "exit code 3)" in str(parallel.WorkerDied(3))


def test_an_interrupt_just_after_a_result_is_received_still_stops_the_other_workers(monkeypatch):
    """A result received and its worker let go of, an interrupt before the task leaves the running
    ones: leaving `Workers` must still stop every other worker (it stopped at the closed one)."""
    receive = parallel._Task.receive

    def interrupted(task: parallel._Task) -> None:
        receive(task)
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel._Task, "receive", interrupted)
    with pytest.raises(KeyboardInterrupt), parallel.Workers() as workers:
        first = workers.start(_pid)
        workers.start(time.sleep, 60)
        first()
    assert not multiprocessing.active_children()


def test_a_worker_whose_caller_went_away_before_its_error_could_be_sent_ends_quietly(tmp_path):
    """A result that cannot be sent back is replaced by an error saying so; if the caller is gone
    by then, that second send fails too, and the worker ends without a traceback."""
    script = tmp_path / "gone.py"
    script.write_text(
        textwrap.dedent(
            """
            import threading
            import time

            from wtcompare import parallel

            def lock_later():
                time.sleep(0.5)
                return threading.Lock()  # cannot be pickled

            with parallel.Workers() as workers:
                workers.start(lock_later)
                workers._running[0].receiver.close()  # the caller stops reading, without a stop
                time.sleep(1.5)
            print("left")
            """
        )
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout == "left\n"
    assert run.stderr == ""


def _nested_sleeper() -> None:
    """A worker that starts one of its own (as a PDF is read in a `capped` worker) and waits for it."""
    with parallel.Workers() as workers:
        workers.start(time.sleep, 0)()


def test_a_workers_own_worker_stopped_while_it_starts_ends_quietly(capfd, monkeypatch):
    """A worker's own worker is forked with the worker's handler of a stop. Stopped before its
    `_work` takes over (still in multiprocessing's start of the process, slowed here), it ends
    at once, printing nothing: it used to raise the stop there, and multiprocessing printed its
    traceback (seen when a timeline's worker loading a PDF was stopped)."""
    main = os.getpid()
    real_work = parallel._work

    def slow_start(*args):
        if os.getppid() != main:  # the worker's own worker, still starting when its caller is stopped
            time.sleep(5)
        real_work(*args)

    monkeypatch.setattr(parallel, "_work", slow_start)
    started = time.monotonic()
    with parallel.Workers() as workers:
        workers.start(_nested_sleeper)
        time.sleep(1.0)  # the worker has started its own, which is still starting
    err = capfd.readouterr().err
    assert "Traceback" not in err and "_Stopped" not in err
    assert time.monotonic() - started < 1.0 + parallel.STOP_WAIT  # stopped, not waited for nor killed


def _pid_then_sleep(path: str) -> None:
    Path(path).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(30)


def test_ctrl_c_while_a_worker_is_forked_still_stops_the_worker(tmp_path, monkeypatch):
    """An interrupt that arrives as the fork returns, before this process has the worker's pid
    (multiprocessing's ``Process._popen``), is held back until it has it: the interrupt is raised
    then, and the worker is stopped on leaving `Workers` rather than left running on."""
    from multiprocessing import popen_fork

    main = os.getpid()
    launch = popen_fork.Popen._launch

    def interrupted_launch(self, process_obj):
        launch(self, process_obj)  # the worker never returns from it
        os.kill(main, signal.SIGINT)  # here, before `_popen` is set

    monkeypatch.setattr(popen_fork.Popen, "_launch", interrupted_launch)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    started = tmp_path / "pid"
    try:
        with pytest.raises(KeyboardInterrupt), parallel.Workers() as workers:
            workers.start(_pid_then_sleep, str(started))
    finally:
        signal.signal(signal.SIGINT, previous)
    # stopped, the worker has ended by now, whether or not it began its work; left running, it
    # begins it within moments
    deadline = time.monotonic() + 3
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if started.exists():  # the worker got as far as its work: it must be gone now
        pid = int(started.read_text(encoding="utf-8"))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        os.kill(pid, signal.SIGKILL)  # not left running by this test
        pytest.fail("the worker was left running after the interrupt")
