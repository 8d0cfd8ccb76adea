"""Benchmark: the scan stage alone on a 160,000-word edition, against another checkout if given.

Two editions of about 160,000 words: the speed benchmark's generated one (the sample's 2008 edition
grown by the generator: its sentences are shuffled words, so most occurrences of an ambiguous word
have no participants to read, the slowest case), and the sample's 2021 edition repeated (real
sentences). For each, the CPU time of `scan_document` with the default lexicon, tokens cached and
the garbage collector paused as in a run, best of N runs in a fresh process; with ``--against DIR``
(a checkout of another commit, e.g. ``git worktree add /tmp/before HEAD~5``) the same for that
code, alternating, so that both see the same load on a shared machine.

Run: python benchmarks/scan_speed.py [--against DIR] [--runs 9] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
from wtcompare.lexicon import load_lexicon
from wtcompare.model import Edition
from wtcompare.registry import Registry, bundled_texts_dir
from wtcompare.scan import scan_document
from wtcompare.segment import DocumentBuilder
from wtcompare.synth import grow

registry = Registry(bundled_texts_dir())
generated = grow(registry.load("sample-2008"), 160_000, seed=8)
builder, words = DocumentBuilder(), 0
paragraphs = [p.text for p in registry.load("sample-2021").paragraphs()]
while words < 160_000:
    for text in paragraphs:
        builder.paragraph(text)
        words += len(text.split())
repeated = builder.build()
repeated.edition = Edition(id="repeated", title="repeated")
lexicon = load_lexicon()
gc.disable()
result = {}
for name, document in (("generated", generated), ("sample-2021 repeated", repeated)):
    scan_document(document, lexicon)  # tokens cached, as after loading
    times = []
    for _ in range(int(sys.argv[2])):
        start = time.process_time()
        tokens, matches = scan_document(document, lexicon)
        times.append(time.process_time() - start)
    result[name] = {"tokens": tokens, "matches": len(matches), "best": min(times)}
print(json.dumps(result))
"""


def measure(checkout: Path, runs: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", RUN, str(checkout), str(runs)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    checkouts = [("this", ROOT)] + ([("against", args.against.resolve())] if args.against else [])
    best: dict[tuple[str, str], float] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for _ in range(args.rounds):
        for label, checkout in checkouts:
            for name, figures in measure(checkout, args.runs).items():
                key = (label, name)
                best[key] = min(best.get(key, float("inf")), figures["best"])
                if label == "this":
                    sizes[name] = (figures["tokens"], figures["matches"])
    print(f"scan CPU seconds, best of {args.runs} runs x {args.rounds} rounds")
    for name, (tokens, matches) in sizes.items():
        line = f"{name:22} {tokens:>8,} tokens {matches:>6,} matches  this {best[('this', name)]:.3f} s"
        if args.against:
            ratio = best[("this", name)] / best[("against", name)]
            line += f"  against {best[('against', name)]:.3f} s  ratio {ratio:.2f}"
        print(line)


if __name__ == "__main__":
    main()
