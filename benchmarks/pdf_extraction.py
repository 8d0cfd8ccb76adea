"""Benchmark: text-layer extraction of a generated 400-page PDF, pypdfium2 (ours) against pdfminer.six.

Prints pages per second and peak memory (each extractor runs in its own process, so the peak is
its own). Target: >= 100 pages/s and < 500 MB for ours. Run: python benchmarks/pdf_extraction.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = 400


def build(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfmaker import Writer

    sentence = (
        "Practitioners in the fictional county keep careful records of each visit and share "
        "their concerns with the named manager promptly, working with parents and carers. "
    )
    w = Writer(front_pages=1)
    w.new_page(furniture=False)
    w.heading("A fictional benchmark document", 20)
    number = 0
    chapter = 0
    while w.page < PAGES:
        chapter += 1
        w.heading(f"Chapter {chapter}: Fictional chapter {chapter}", 18)
        for section in range(1, 6):
            w.heading(f"{chapter}.{section} Section {section}", 13)
            for _ in range(4):
                number += 1
                w.paragraph(f"{chapter}.{number}", sentence * 4)
    path.write_bytes(w.finish())


def measure(extractor: str, path: Path) -> tuple[float, float, int]:
    code = f"""
import resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
data = open({str(path)!r}, 'rb').read()
start = time.perf_counter()
if {extractor!r} == 'wtcompare (pypdfium2)':
    from wtcompare.load import parse
    pages = len({{p.page for p in parse(data, 'bench.pdf').paragraphs()}})
else:
    from pdfminer.high_level import extract_text
    pages = extract_text({str(path)!r}).count('\\f')
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, pages)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.pdf"
        build(path)
        print(f"PDF: {PAGES} pages, {path.stat().st_size / 1e6:.1f} MB")
        print(f"{'extractor':<24} {'seconds':>8} {'pages/s':>8} {'peak MB':>8}")
        for extractor in ("wtcompare (pypdfium2)", "pdfminer.six"):
            try:
                seconds, peak, _ = measure(extractor, path)
            except subprocess.CalledProcessError as exc:
                print(f"{extractor:<24} failed: {exc.stderr.strip().splitlines()[-1]}")
                continue
            print(f"{extractor:<24} {seconds:8.2f} {PAGES / seconds:8.0f} {peak:8.0f}")


if __name__ == "__main__":
    main()
