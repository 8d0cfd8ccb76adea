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
