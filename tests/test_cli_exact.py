"""The complete output of a few deterministic commands, compared with copies in tests/expected/.

Other tests check parts of an output (a field, a line, a count); these catch any change at all in
what a user sees: a column, a caption, the provenance line, an error message or an exit code.
Each case stores ``NAME.stdout`` and, when it prints one, ``NAME.stderr``. After an intended
change, regenerate them with the command in `conftest.REGENERATE` and read their diff.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from conftest import same_as_stored

EXPECTED = Path(__file__).parent / "expected"

# name, arguments, exit code: the bundled fictional sample corpus and registry only, nothing dated
CASES = [
    ("editions", ["editions"], 0),
    ("sections-sample-2008-json", ["sections", "sample-2008", "--format", "json"], 0),
    ("scan-sample-2002-csv", ["scan", "sample-2002", "--format", "csv"], 0),
    ("align-sample-2008-sample-2014-chapter", ["align", "sample-2008", "sample-2014", "--level", "chapter"], 0),
    ("diff-sample-2002-sample-2008-unit", ["diff", "sample-2002", "sample-2008", "--unit", "ch1/1.1"], 0),
    ("lexicon-check", ["lexicon", "check", "lexicon.toml"], 0),
    ("check-bundled", ["check", "--bundled"], 3),  # the real editions' texts are not shipped: cannot check
    ("error-unknown-edition", ["sections", "sample-2003"], 2),
    ("error-missing-argument", ["report", "sample-2002"], 2),
]


@pytest.mark.parametrize("name, args, code", CASES, ids=[case[0] for case in CASES])
def test_whole_output(run, monkeypatch, tmp_path, name, args, code):
    # a cache of its own: what another test left there can never decide this output
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    # the shipped lexicon under a short relative name: the caption prints the path as given
    (tmp_path / "lexicon.toml").write_bytes((files("wtcompare") / "data" / "lexicon.toml").read_bytes())
    result = run(*args, prog_name="wtcompare")  # as the console script names itself in messages
    assert result.exit_code == code, result.output
    same_as_stored(result.stdout.encode(), EXPECTED / f"{name}.stdout")
    stderr = EXPECTED / f"{name}.stderr"
    if result.stderr or stderr.exists():
        same_as_stored(result.stderr.encode(), stderr)
