"""wtcompare: compare editions of "Working Together to Safeguard Children".

The pipeline, one module per stage, each usable from Python:

    load     wtcompare.load.load_document(path)          -> Document
    segment  wtcompare.segment.segment_text(text)        -> Document
    align    wtcompare.align.align(doc_a, doc_b, level)  -> Alignment
    scan     wtcompare.scan.scan(documents, lexicon)      -> ScanResult (pandas DataFrames)
    diff     wtcompare.diff.word_diff(text_a, text_b)     -> list[Piece]
    render   wtcompare.report.pair_report(doc_a, doc_b)   -> HTML text
    publish  wtcompare.site.build_site(out, registry)      -> Site (a static site of the series)

`wtcompare.registry.Registry` finds editions and loads them by id.
"""

__version__ = "0.1.0"
