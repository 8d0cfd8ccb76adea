"""Benchmark: `wtcompare check` on 20 claims over the sample corpus (target: under 2 s warm).

Writes a claims file of 20 claims (every expect, terms, categories, lengths and chapters, over the
four sample editions), then runs the plain command in fresh processes, as a user or a CI job does:
once cold (an empty cache) and five times warm (the cache filled by the first run). Each time is the
whole command, interpreter start and imports included: the wall time, and the CPU time (user + system)
the process used, which a busy machine does not inflate; the load average is printed beside them.
Prints the times and whether the target is met.

Run: python benchmarks/check_speed.py   (about fifteen seconds)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0  # seconds, warm
WARM_RUNS = 5

CLAIMS = [
    ("sample-2021", "category", "partnership_with_families", "absent"),
    ("sample-2002", "term", "partnership*", "absent"),
    ("sample-2008", "term", "partner agenc*", "present"),
    ("sample-2021", "category", "interagency_partnership", "present"),
    ("sample-2014", "category", "relationship_based_practice", "absent"),
    ("sample-2021", "term", "teenage relationship abuse", "present"),
    (("sample-2002", "sample-2021"), "category", "interagency_partnership", "rose"),
    (("sample-2002", "sample-2021"), "category", "partnership_with_families", "fell"),
    (("sample-2008", "sample-2014"), "category", "procedural", "rose"),
    (("sample-2014", "sample-2021"), "category", "child_centred", "unchanged"),
    (("sample-2008", "sample-2021"), "term", "famil*", "fell"),
    (("sample-2002", "sample-2008"), "term", "relationship*", "unchanged"),
    (("sample-2008", "sample-2014"), "measure", "words", "fell"),
    (("sample-2014", "sample-2021"), "measure", "words", "rose"),
    (("sample-2008", "sample-2014"), "chapter", "Learning from practice", "removed"),
    (("sample-2008", "sample-2014"), "chapter", "Relationships and supervision", "removed"),
    (("sample-2008", "sample-2014"), "chapter", "Roles and responsibilities", "kept"),
    (("sample-2002", "sample-2008"), "chapter", "Introduction", "kept"),
    (("sample-2014", "sample-2021"), "chapter", "Assessment and child protection", "removed"),
    (("sample-2014", "sample-2021"), "chapter", "Local arrangements", "kept"),
]


def claims_file() -> str:
    """The 20 claims as TOML."""
    blocks = []
    for number, (editions, what, value, expect) in enumerate(CLAIMS, start=1):
        where = (
            f'editions = ["{editions[0]}", "{editions[1]}"]'
            if isinstance(editions, tuple)
            else f'edition = "{editions}"'
        )
        blocks.append(
            f'[[claim]]\nid = "claim-{number}"\nstatement = "Claim {number}"\n{where}\n'
            f'{what} = "{value}"\nexpect = "{expect}"\n'
        )
    return "\n".join(blocks)


def timed(command: list[str], env: dict, cwd: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1, 3):  # 1 and 3 are verdicts, not failures
        sys.exit(f"wtcompare check failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    assert len(CLAIMS) == 20
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "claims.toml").write_text(claims_file(), encoding="utf-8")
        env = {**os.environ, "WTCOMPARE_CACHE": str(Path(folder, "cache"))}
        env.pop("WTCOMPARE_TEXTS", None)
        env.pop("WTCOMPARE_NO_CACHE", None)
        command = [sys.executable, "-m", "wtcompare", "check", "claims.toml", "--format", "json"]
        cold = timed(command, env, folder)
        warm = sorted(timed(command, env, folder) for _ in range(WARM_RUNS))
    median = warm[len(warm) // 2]
    print("wtcompare check, 20 claims over the sample corpus (whole command: interpreter, imports, check)")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  cold (empty cache): wall {cold[0]:.2f} s, CPU {cold[1]:.2f} s")
    print(
        f"  warm ({WARM_RUNS} runs):       wall best {warm[0][0]:.2f} s, median {median[0]:.2f} s, worst "
        f"{warm[-1][0]:.2f} s; CPU median {sorted(w[1] for w in warm)[len(warm) // 2]:.2f} s"
    )
    print(f"  target under {TARGET:.1f} s warm (median wall): {'met' if median[0] < TARGET else 'MISSED'}")


if __name__ == "__main__":
    main()
