"""Shared fixtures: the bundled sample registry and a CLI runner."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from wtcompare.cli import cli
from wtcompare.registry import Registry, bundled_texts_dir

SAMPLE_IDS = ["sample-2002", "sample-2008", "sample-2014", "sample-2021"]


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Tests never read or fill the user's own cache of parsed documents."""
    import os
    os.environ["WTCOMPARE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


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
