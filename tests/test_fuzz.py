"""A short run of the fuzzing harness (benchmarks/fuzz.py) on the classes outside the document
loaders: hostile registries, caches, output paths, ingests at once and interrupts must all end in
exit 0 or a one-line refusal, with nothing written where it should not be."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

spec = importlib.util.spec_from_file_location("fuzz", Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py")
fuzz = importlib.util.module_from_spec(spec)
sys.modules["fuzz"] = fuzz  # dataclasses look their module up there
spec.loader.exec_module(fuzz)


def test_short_fuzz_run_of_registries_caches_outputs_ingests_and_interrupts(capsys):
    classes = ["registry", "cache", "output", "concurrent", "interrupt"]
    code = fuzz.main(["--seconds", "15", "--seed", "1", "--jobs", "2", "--classes", ",".join(classes)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    for cls in classes:
        assert f"| {cls} " in printed


SWALLOWED = (
    "Exception ignored in: <function _get_module_lock.<locals>.cb at 0x7f4f8a9d07c0>\n"
    "Traceback (most recent call last):\n"
    '  File "<frozen importlib._bootstrap>", line 198, in cb\n'
    "KeyboardInterrupt: \n"
)


def test_an_interrupt_swallowed_by_pythons_start_is_pythons_only_before_our_entry():
    """An early interrupt that Python's import machinery swallowed (the command then ran to its
    end) is Python's start; the same after our entry module ran, or with anything else printed,
    or with another exit code, is a failure of ours."""
    assert fuzz.in_python_start("startup", 0, SWALLOWED)
    assert not fuzz.in_python_start("interrupt", 0, SWALLOWED)
    assert not fuzz.in_python_start("startup", 1, SWALLOWED)
    assert not fuzz.in_python_start("startup", 0, SWALLOWED + "Traceback (most recent call last):\n")
    assert fuzz.in_python_start("interrupt", -2, "")
    assert not fuzz.in_python_start("startup", 0, "")
    # the interrupt alone, raised where no Python code runs: Python's only before our entry
    assert fuzz.in_python_start("startup", 1, "KeyboardInterrupt\n")
    assert not fuzz.in_python_start("interrupt", 1, "KeyboardInterrupt\n")
    assert not fuzz.in_python_start("startup", 1, "Traceback (most recent call last):\nKeyboardInterrupt\n")


def test_a_worker_that_died_is_a_failure_not_a_refusal(tmp_path):
    """A dead worker is a one-line error with exit 1, as a refusal is, but it is a crash or the
    memory limit: the fuzzing harness counts it as a failure."""
    attempt = fuzz.Attempt(tmp_path)
    for folder in ("work", "cache"):
        (tmp_path / folder).mkdir()
    case = fuzz.Case("registry", "died", ["report", "a", "b"])
    line = "wtcompare: error: a worker process stopped without its result (exit code -9, killed by SIGKILL): x\n"
    assert fuzz.judge(attempt, case, fuzz.Result(1, "", line, 0.1), {}, {}).verdict == "worker died"
