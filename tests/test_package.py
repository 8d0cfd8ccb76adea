"""A plain (non-editable) install carries the sample corpus, the default lexicon and the bundled claims."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_sample_corpus_and_lexicon(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("wtcompare-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "wtcompare/data/lexicon.toml",
        "wtcompare/data/blind_figure.json",
        "wtcompare/texts/editions.toml",
        "wtcompare/texts/sample/ground_truth.toml",
        "wtcompare/report/templates/pair.html.j2",
        "wtcompare/claims/literature.toml",
        "wtcompare/report/templates/check.html.j2",
        "wtcompare/report/templates/index.html.j2",
        "wtcompare/report/templates/category.html.j2",
    }
    expected |= {f"wtcompare/texts/sample/{p.name}" for p in (ROOT / "texts" / "sample").iterdir()}
    assert expected <= names


def test_the_cli_starts_without_the_heavy_libraries():
    """pandas, numpy, SciPy, jinja2, httpx, NLTK and the loaders' libraries are imported by the
    command that first needs them, so the command line starts in a tenth of a second."""
    code = (
        "import sys, wtcompare.cli; "
        "print(sorted(m for m in ('sklearn', 'nltk', 'scipy', 'numpy', 'pandas', 'jinja2', 'httpx', 'tomlkit', "
        "'markdown_it', 'bs4', 'lxml', 'docx', 'pypdfium2', 'openpyxl', 'PIL', 'diff_match_patch') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
