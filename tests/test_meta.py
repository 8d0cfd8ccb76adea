"""One version: wtcompare.__version__ is the version, CITATION.cff and CHANGELOG.md repeat it."""

from __future__ import annotations

import re
from pathlib import Path

import wtcompare

ROOT = Path(__file__).resolve().parents[1]


def cff_field(name: str) -> str:
    """A top-level scalar of CITATION.cff (read by regex: no YAML library is a dependency)."""
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    match = re.search(rf"^{name}:[ \t]*(['\"]?)([^'\"\s#]+)\1[ \t]*(?:#.*)?$", text, re.MULTILINE)
    assert match, f"CITATION.cff has no top-level {name!r}"
    return match.group(2)


def changelog_releases() -> dict[str, str | None]:
    """Each released version's date, from CHANGELOG.md's '## [VERSION] - DATE' headings."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return {
        m["version"]: m["date"]
        for m in re.finditer(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?", text, re.MULTILINE)
    }


def test_citation_cites_this_version():
    assert cff_field("version") == wtcompare.__version__


def test_changelog_has_this_version_released_when_the_citation_says():
    releases = changelog_releases()
    assert "Unreleased" in releases, "CHANGELOG.md needs an '## [Unreleased]' section for the next changes"
    assert wtcompare.__version__ in releases, f"CHANGELOG.md has no '## [{wtcompare.__version__}]' section"
    assert releases[wtcompare.__version__] == cff_field("date-released")
