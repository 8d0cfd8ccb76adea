"""The blind figure every report states is read from a record shipped beside the blind sets
(``wtcompare/data/blind_figure.json``) rather than worked out from 2,000 sentences in each new
process. These tests recompute it: when the sets, the lexicon or the sense reader change, the
record is written again with ``python tests/test_blind_figure.py``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from wtcompare import senses
from wtcompare.lexicon import load_lexicon
from wtcompare.participants import READING_VERSION


def test_the_shipped_record_is_the_figure_worked_out_now():
    lexicon = load_lexicon(None)
    sets = senses.shipped_sets(("blind",))
    record = senses.recorded_figure()
    assert record is not None, "no blind_figure.json: run python tests/test_blind_figure.py"
    key = senses.figure_key(lexicon, sets)
    assert record["key"] == key, "the sets, lexicon or reader changed: run python tests/test_blind_figure.py"
    assert record["figure"] == senses.pooled_figure(lexicon, sets)


def test_a_report_reads_the_record_and_counts_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))

    def refuse(*args):
        raise AssertionError("the figure was worked out although the record holds it")

    monkeypatch.setattr(senses, "pooled_figure", refuse)
    figure = senses.blind_figure(load_lexicon(None))
    assert figure == senses.recorded_figure()["figure"]
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("senses-*.json"))


@pytest.mark.parametrize("change", ["set", "lexicon", "schema"])
def test_a_record_that_does_not_fit_is_not_stated(monkeypatch, tmp_path, change):
    """A record is stated only for the sets, lexicon and reader it was made from, and only if it
    fits its schema; otherwise the figure is counted afresh."""
    import dataclasses

    for path in senses.SETS_DIR.glob("senses_blind_*.toml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(senses.SETS_DIR / senses.RECORD, tmp_path / senses.RECORD)
    monkeypatch.setattr(senses, "SETS_DIR", tmp_path)
    monkeypatch.setenv("WTCOMPARE_CACHE", str(tmp_path / "cache"))
    lexicon = load_lexicon(None)
    record = senses.recorded_figure()
    assert record is not None and senses.blind_figure(lexicon) == record["figure"]
    fresh = {"sets": ["marker"]}
    monkeypatch.setattr(senses, "pooled_figure", lambda lexicon, sets: {**record["figure"], **fresh})
    if change == "set":
        first = sorted(tmp_path.glob("senses_blind_*.toml"))[0]
        first.write_text(first.read_text() + "\n# changed\n")
    elif change == "lexicon":
        lexicon = dataclasses.replace(lexicon, terms=lexicon.terms[:-1])
    else:
        data = json.loads((tmp_path / senses.RECORD).read_text())
        data["figure"]["sentences"] = "many"
        (tmp_path / senses.RECORD).write_text(json.dumps(data))
    assert senses.blind_figure(lexicon)["sets"] == ["marker"]


def test_the_readme_states_the_shipped_figure_and_lexicon():
    """README, "The lexicon and its sense rules": the default lexicon's version and the pooled blind
    figure (its sets, sentences, exact and hard accuracy, reader) are the shipped record's, so the
    README is rewritten when the record is."""
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    lexicon = load_lexicon(None)
    assert f"id `{lexicon.id}`, version {lexicon.version})" in readme
    stated = re.search(
        r"over every `senses_blind_\*\.toml`\): \*\*(?P<sets>[A-Z, and]+), (?P<sentences>[\d,]+) sentences, "
        r"with the [a-z-]+ reader \(lexicon (?P<version>[\d.]+), `READING_VERSION` (?P<reading>\d+)\): "
        r"exact (?P<exact>0\.\d{3}) \((?P<right>[\d,]+) right; hard (?P<hard>0\.\d{3}),",
        readme,
    )
    assert stated, "the README's pooled blind figure is gone or reworded"
    record = senses.recorded_figure()
    figure = record["figure"]
    letters = sorted(name.removeprefix("senses_blind_").removesuffix(".toml").upper() for name in figure["sets"])
    assert sorted(re.split(r", | and ", stated["sets"])) == letters
    assert int(stated["sentences"].replace(",", "")) == figure["sentences"]
    assert stated["version"] == lexicon.version
    assert int(stated["reading"]) == record["key"]["reading"] == READING_VERSION
    assert stated["exact"] == f"{figure['exact_accuracy']:.3f}"
    assert int(stated["right"].replace(",", "")) == round(figure["exact_accuracy"] * figure["sentences"])
    assert stated["hard"] == f"{figure['hard_accuracy']:.3f}"


if __name__ == "__main__":
    print(senses.write_record(load_lexicon(None)))
