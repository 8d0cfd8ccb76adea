"""Shared fixtures: the bundled sample registry and a CLI runner; whole outputs compared with stored copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browsing import ARGS, CHROMIUM
from click.testing import CliRunner
from hypothesis import settings

from wtcompare.cli import cli
from wtcompare.registry import Registry, bundled_texts_dir

SAMPLE_IDS = ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]

# No property test has a time limit: these machines are shared and noisy, and a case that takes
# 270 ms once and 3 ms again is no failure (speed is measured by the benchmark scripts, not tests).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Tests never read or fill the user's own cache of parsed documents."""
    os.environ["WTCOMPARE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, for every browser test (skipped where it is not
    installed, unless WTCOMPARE_REQUIRE_BROWSER is set, as in CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("WTCOMPARE_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (WTCOMPARE_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry(bundled_texts_dir())


@pytest.fixture(scope="session")
def sample_docs(registry):
    return {edition_id: registry.load(edition_id) for edition_id in SAMPLE_IDS}


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run the CLI in an empty folder; returns the click Result (stdout and stderr apart)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WTCOMPARE_TEXTS", raising=False)

    def invoke(*args: str, **kwargs):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)

    return invoke


# Whole outputs stored in the repository (tests/expected/, tests/golden/) ---------------------
# They change on purpose whenever the lexicon, the aligner, a template or a message does, so one
# command stores the new ones; its diff is then read and committed like any other change.
ROOT = Path(__file__).resolve().parents[1]
REGENERATE = (
    "WTCOMPARE_REGENERATE=1 python -m pytest -q -p no:cacheprovider tests/test_cli_exact.py tests/test_golden.py"
)


def same_as_stored(actual: bytes, stored: Path) -> None:
    """Fail unless ``actual`` is byte for byte the file ``stored``, naming the first line that
    differs and the command that regenerates it; with WTCOMPARE_REGENERATE=1, write it there."""
    if os.environ.get("WTCOMPARE_REGENERATE"):
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(actual)
        return
    expected = stored.read_bytes() if stored.exists() else None
    if actual == expected:
        return
    name = stored.relative_to(ROOT)
    if expected is None:
        problem = f"{name} does not exist"
    else:
        # the first differing line, not the whole file: a report is hundreds of kilobytes
        old, new = expected.decode("utf-8", "replace").splitlines(), actual.decode("utf-8", "replace").splitlines()
        # one may be longer: then the first line past the shorter one differs
        line = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
        shown = [lines[line][:300] if line < len(lines) else "(end of file)" for lines in (old, new)]
        problem = f"{name} differs from line {line + 1}:\n  stored: {shown[0]}\n  now:    {shown[1]}"
    pytest.fail(
        f"{problem}\nIf the change is intended, regenerate the stored outputs with:\n  {REGENERATE}\n"
        "and check their diff before committing it.",
        pytrace=False,
    )
