"""The senses read in the sample corpus and the development sets, against a frozen record: a change
made for speed must not change any reading. The record (``senses_frozen.json``) holds, per document,
the counts by category and a SHA-256 of every occurrence of an ambiguous word (where, its term,
status, sense, uncertainty and reason). A change to the rules that is meant to change readings
bumps `READING_VERSION` or the lexicon, and then the record is written again with
``python tests/test_senses_frozen.py``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from wtcompare.lexicon import load_lexicon
from wtcompare.participants import READING_VERSION
from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.scan import scan_document
from wtcompare.segment import DocumentBuilder
from wtcompare.senses import load_sentences

FROZEN = Path(__file__).with_name("senses_frozen.json")
DATA = Path(__file__).resolve().parent.parent / "wtcompare" / "data"
DEVELOPMENT = ["eastmere", "northvale", "westbrook", "kestrelmoor", "harrowdene", "marlowdene"]
SAMPLES = ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]


def documents():
    """Each development set, a sentence a paragraph; the same sentences twelve to a paragraph
    (long paragraphs are read in windows of sentences); and the sample editions."""
    for name in DEVELOPMENT:
        texts = [s["text"] for s in load_sentences(DATA / f"senses_dev_{name}.toml")]
        for label, size in ((name, 1), (f"{name}, 12 a paragraph", 12)):
            builder = DocumentBuilder()
            for start in range(0, len(texts), size):
                builder.paragraph(" ".join(texts[start : start + size]))
            yield label, builder.build()
    registry = Registry(bundled_texts_dir())
    for edition in SAMPLES:
        yield edition, registry.load(edition)


def record() -> dict:
    lexicon = load_lexicon()
    families = {t.id for t in lexicon.terms if t.sense_of}
    found = {"lexicon": lexicon.sha256, "reading": READING_VERSION, "documents": {}}
    for label, document in documents():
        _, matches = scan_document(document, lexicon)
        counts: dict[str, int] = {}
        for m in matches:
            if m.status == "counted":
                counts[m.category] = counts.get(m.category, 0) + 1
        readings = [
            [m.unit, m.start, m.term, m.status, m.sense, m.senses, m.uncertain, m.reason, m.rule]
            for m in matches
            if m.term in families or m.reason is not None
        ]
        digest = hashlib.sha256(json.dumps(readings).encode()).hexdigest()
        found["documents"][label] = {
            "counts": dict(sorted(counts.items())),
            "readings": len(readings),
            "sha256": digest,
        }
    return found


def test_senses_and_counts_are_those_frozen():
    frozen = json.loads(FROZEN.read_text())
    now = record()
    assert (now["lexicon"], now["reading"]) == (frozen["lexicon"], frozen["reading"]), (
        "the lexicon or READING_VERSION changed: if the readings were meant to change, write the record "
        "again (python tests/test_senses_frozen.py)"
    )
    for label, figures in frozen["documents"].items():
        assert now["documents"][label] == figures, label


if __name__ == "__main__":
    FROZEN.write_text(json.dumps(record(), indent=1) + "\n")
    print(f"wrote {FROZEN}")
