"""A plain (non-editable) install carries the sample corpus, the default lexicon and the bundled claims."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_sample_corpus_and_lexicon(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("wtcompare-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"wtcompare/data/lexicon.toml", "wtcompare/texts/editions.toml",
                "wtcompare/texts/sample/ground_truth.toml", "wtcompare/report/templates/pair.html.j2",
                "wtcompare/claims/literature.toml", "wtcompare/report/templates/check.html.j2",
                "wtcompare/report/templates/index.html.j2", "wtcompare/report/templates/category.html.j2"}
    expected |= {f"wtcompare/texts/sample/{p.name}" for p in (ROOT / "texts" / "sample").iterdir()}
    assert expected <= names


def test_the_cli_starts_without_the_heavy_libraries():
    """scikit-learn, NLTK and scipy.stats are imported when first needed, so quick
    commands and cached reports do not wait for them."""
    code = ("import sys, wtcompare.cli; "
            "print(sorted(m for m in ('sklearn', 'nltk', 'scipy.stats', 'scipy.optimize') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
