"""Render stage: self-contained HTML reports (no network request of any kind).

``pair_report(doc_a, doc_b)`` compares two editions; ``timeline_report(documents)`` shows
vocabulary rates across editions. Both return the HTML as text; `write_report` writes it
atomically. All document text is escaped by jinja2's autoescaping.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from .. import align as align_module
from ..fileio import atomic_write
from ..lexicon import Lexicon, load_lexicon
from ..model import Document
from ..overrides import Overrides
from ..scan import scan
from . import charts
from .build import edition_facts, pair_data

_ENV = Environment(loader=PackageLoader("wtcompare.report", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


def _render(template: str, date: str | None, categories, script: str = "", **context) -> str:
    hashes = ""
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        hashes = f"'sha256-{digest}'"
    return _ENV.get_template(template).render(version=__version__, date=date or dt.date.today().isoformat(),
                                              categories=categories, script=script, script_hashes=hashes, **context)


def pair_report(doc_a: Document, doc_b: Document, lexicon: Lexicon | None = None,
                terms: list[str] | tuple = (), date: str | None = None, overrides: Overrides | None = None) -> str:
    """HTML comparing edition ``doc_a`` with ``doc_b``."""
    result = scan([doc_a, doc_b], lexicon or load_lexicon(), terms)
    data = pair_data(doc_a, doc_b, result, overrides)
    vocabulary = data["vocabulary"]
    chart = charts.rates_bars([c["label"] for c in vocabulary],
                              {data["a"]["id"]: [c["a"][1] for c in vocabulary],
                               data["b"]["id"]: [c["b"][1] for c in vocabulary]},
                              [c["colour"] for c in vocabulary])
    methods = {"pair_threshold": align_module.PAIR_THRESHOLD, "containment": align_module.CONTAINMENT,
               "share_a": align_module.SECTION_SHARE_A, "share_b": align_module.SECTION_SHARE_B}
    return _render("pair.html.j2", date, result.lexicon.categories, data=data, chart=charts.data_uri(chart),
                   methods=methods)


def timeline_data(documents: list[Document], lexicon: Lexicon | None = None) -> dict:
    """Category and term rates for each edition, in the order given."""
    result = scan(documents, lexicon or load_lexicon())
    ids = [d.edition.id if d.edition else "document" for d in documents]
    rows = result.rows.set_index(["category", "term", "edition"])["per_10k"]
    totals = result.categories().set_index(["category", "edition"])["per_10k"]
    tokens = result.rows.groupby("edition")["tokens"].first()
    categories = []
    for category in result.lexicon.categories:
        terms = [{"term": t.id, "rates": [float(rows[(category.id, t.id, e)]) for e in ids]}
                 for t in result.lexicon.terms if t.category == category.id]
        categories.append({"id": category.id, "label": category.label, "colour": category.colour,
                           "rates": [float(totals.get((category.id, e), 0.0)) for e in ids], "terms": terms})
    editions = [dict(edition_facts(d), tokens=int(tokens[e])) for d, e in zip(documents, ids)]
    warnings = [w for d in documents for w in d.warnings]
    return {"editions": editions, "categories": categories, "lexicon": result.lexicon, "warnings": warnings}


def timeline_report(documents: list[Document], lexicon: Lexicon | None = None, date: str | None = None) -> str:
    """HTML of vocabulary rates across editions (give them in year order)."""
    data = timeline_data(documents, lexicon)
    chart = charts.rates_lines([e["id"] for e in data["editions"]],
                               {c["label"]: c["rates"] for c in data["categories"]},
                               [c["colour"] for c in data["categories"]])
    return _render("timeline.html.j2", date, data["lexicon"].categories, data=data, chart=charts.data_uri(chart))


def write_report(path: str | Path, html: str) -> Path:
    return atomic_write(path, html)
