"""Publish a series as a static site (`wtcompare site OUT`): a folder any static host can serve, or a
reader can open from disk, with one page per comparison at a stable path.

The site of a series (`Registry.series`: every edition with a text when no ids are given, samples
never mixed with other editions, companion documents only when named) holds:

* ``index.html``: the editions in publication order with their length, source and SHA-256, the
  rates of every category across the series, links to every page and to the data, how to cite;
* ``timeline.html``: the timeline report (`wtcompare.report.timeline_page`);
* ``pairs/A-vs-B.html``: the pair report (`wtcompare.report.pair_page`) of each two consecutive
  editions, and of any other pair asked for;
* ``claims.html``: the verdicts on a claims file (`wtcompare.check`), when one is given;
* ``categories/<category id>.html``: a category's rate in every edition and its occurrences, each
  linked to its paragraph in a pair report;
* ``data/<page>/csv/`` and ``data/<page>/json/``: the tables behind each page, written by
  `wtcompare.output.write_folder` with their own ``manifest.json``, as ``-o DIR/`` writes them;
* ``manifest.json``: every file of the site with its path, bytes and SHA-256, the tool version, the
  date, and for each page the digest of its inputs.

Every page carries the same navigation bar and stylesheet and works alone (self-contained, with the
reports' Content-Security-Policy). A page whose inputs (the texts' SHA-256 and registry entries, the
lexicon's SHA-256, the claims file's, the pages it links to, the tool version, the date) have the
same digest as in the manifest, and whose files are still on disk as the manifest lists them, is not
built again. Nothing a user made is overwritten: a folder without our manifest is refused, and so is
a file the manifest lists that was changed since; files of the previous build that this one does
not write are deleted.

Python API: `build_site` (the whole build; returns a `Site`), `plan_site` (which pages, from which
inputs, without building anything).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import Any, TypedDict

import pandas as pd

from . import __version__, cache
from . import check as claims_check
from .errors import UsageError, WtcompareError
from .fileio import MAX_BYTES, atomic_write, file_kind, locked, read_regular, sha256_file
from .lexicon import Lexicon, load_lexicon
from .model import Document, Edition
from .output import MANIFEST, Output, folder_files, strict_json, write_folder
from .progress import stage
from .provenance import file_option, provenance
from .registry import Registry
from .report import NavLink, charts, pair_page, render_page, timeline_data, timeline_page
from .scan import Match
from .schema import problem

SITE_FORMAT = 1  # bump when the layout of the site or of its manifest changes: every page is built again
DATA_FORMATS = ("csv", "json")
CATEGORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class Page:
    """One page of a site: ``path`` inside the site (``pairs/A-vs-B.html``), its ``kind`` (index,
    timeline, pair, category, claims), ``title``, and ``inputs``, the SHA-256 of everything it is
    built from (its data folder, ``data/<path without .html>/``, is built with it)."""

    path: str
    kind: str
    title: str
    inputs: str = ""
    pair: tuple[str, str] | None = None
    category: str | None = None

    @property
    def data(self) -> str:
        """The folder of the tables behind the page: ``data/pairs/A-vs-B`` for ``pairs/A-vs-B.html``,
        ``data/editions`` for the index."""
        return "data/" + ("editions" if self.kind == "index" else self.path.removesuffix(".html"))


@dataclass(frozen=True)
class SiteFile:
    """A file of the site, as the manifest lists it."""

    path: str
    bytes: int
    sha256: str


@dataclass
class SitePlan:
    """What a site holds before anything is built: the series (``editions``, in publication order,
    with the SHA-256 of each text in ``texts``), the pairs compared (the chain of consecutive
    editions first, then those asked for), the pages, the lexicon, the claims file (and how many
    claims it holds) and the date."""

    editions: list[Edition]
    texts: dict[str, str | None]
    pairs: list[tuple[str, str]]
    chain: list[tuple[str, str]]
    pages: list[Page]
    lexicon: Lexicon
    claims: Path | None
    claim_count: int
    date: str
    include_samples: bool

    def options(self) -> dict:
        """The options that change what the site shows, for the provenance."""
        return {
            "include_samples": self.include_samples,
            "pairs": [list(p) for p in self.pairs],
            "claims": file_option(self.claims),
        }


@dataclass
class Site:
    """A site built (or brought up to date) in ``out``: its pages and files, which pages were
    built this time and which were kept, the files of a previous build deleted, and warnings
    (about the texts, or from the claims) to show the user."""

    out: Path
    plan: SitePlan
    files: list[SiteFile]
    built: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "index.html"


# The manifest ----------------------------------------------------------------------------------


class _PageEntry(TypedDict):
    path: str
    kind: str
    title: str
    inputs: str
    files: list[str]


class _FileEntry(TypedDict):
    path: str
    bytes: int
    sha256: str


class _Manifest(TypedDict):
    site: int
    pages: list[_PageEntry]
    files: list[_FileEntry]


def _inside(out: Path, relative: str) -> Path:
    """``out / relative``, refused when the path could leave the folder (absolute, ``..``, a link
    out): a manifest is read from a folder that may have come from anyone."""
    posix = PurePosixPath(relative)
    if posix.is_absolute() or ".." in posix.parts or "\\" in relative or not posix.parts:
        raise WtcompareError(f"{out / MANIFEST}: lists {relative!r}, a path outside the site's folder")
    path = out.joinpath(*posix.parts)
    if not path.parent.resolve().is_relative_to(out.resolve()):
        raise WtcompareError(f"{path}: is outside the site's folder {out} (a link leads out); move it away")
    return path


def _previous(out: Path) -> _Manifest | None:
    """The manifest of the site already in ``out`` (None for a new or empty folder). A folder with
    anything else in it, or a manifest that is not a wtcompare site's, is refused."""
    try:
        kind = file_kind(os.stat(out).st_mode)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WtcompareError(f"{out}: cannot read: {exc.strerror or exc}") from None
    if kind != "a directory":
        raise WtcompareError(f"{out}: is {kind or 'a file'}, not a folder; choose another folder for the site")
    manifest = out / MANIFEST
    if not os.path.lexists(manifest):
        try:
            empty = not any(out.iterdir())
        except OSError as exc:
            raise WtcompareError(f"{out}: cannot read: {exc.strerror or exc}") from None
        if not empty:
            raise WtcompareError(
                f"{out}: exists and holds no manifest.json of a wtcompare site; choose a new or "
                "empty folder (nothing in it was changed)"
            )
        return None
    try:
        body = json.loads(read_regular(manifest, MAX_BYTES, "site manifest").decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        body = None
    ours = isinstance(body, dict) and isinstance(body.get("provenance"), dict) and "site" in body
    if not ours or problem(body, _Manifest) is not None:
        raise WtcompareError(
            f"{manifest}: is not the manifest of a wtcompare site; choose another folder (nothing in it was changed)"
        )
    for entry in body["files"]:
        _inside(out, entry["path"])
    return body


def _ids(html: str) -> set[str]:
    """The ids of a page's elements: what a link's anchor can land on."""
    return set(re.findall(r'\bid="([^"]+)"', html))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _on_disk(path: Path) -> str | None:
    """The SHA-256 of the regular file at ``path``, or None when nothing is there."""
    if not os.path.lexists(path):
        return None
    try:
        return sha256_file(path)
    except (UsageError, WtcompareError):  # not a regular file: never ours
        return "not a regular file"


# Planning --------------------------------------------------------------------------------------


def _digest(value: object) -> str:
    return _sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _facts(edition: Edition, sha256: str | None) -> dict:
    """What a page shows of an edition's registry entry, with the SHA-256 of its text as read now
    (the folder it lives in is left out: moving the texts changes no page)."""
    return dict(asdict(edition), source=Path(edition.source).name if edition.source else None, sha256=sha256)


def _text_sha256(edition: Edition) -> str | None:
    return sha256_file(edition.source) if edition.source else None


def pair_path(a: str, b: str) -> str:
    """The stable path of the pair report of editions ``a`` and ``b`` in a site."""
    return f"pairs/{a}-vs-{b}.html"


def nav(page: Page, pages: list[Page]) -> list[NavLink]:
    """The navigation bar of ``page``: the same links on every page of the site, relative to the
    page (so the site works from disk and from any folder of a host), with the page's own link, or
    the part of the site it belongs to, marked current."""
    up = "../" * (len(PurePosixPath(page.path).parts) - 1)
    part = {"pair": "Pairs", "category": "Categories"}.get(page.kind)
    links = [
        ("Series", "index.html", page.kind == "index"),
        ("Timeline", "timeline.html", page.kind == "timeline"),
        ("Pairs", "index.html#pairs", False),
        ("Categories", "index.html#categories", False),
    ]
    if any(p.kind == "claims" for p in pages):
        links.append(("Claims", "claims.html", page.kind == "claims"))
    links.append(("Data", "index.html#data", False))
    return [NavLink(label, up + href, "page" if own else "true" if label == part else "") for label, href, own in links]


def plan_site(
    registry: Registry,
    ids: tuple[str, ...] | list[str] = (),
    *,
    pairs: tuple[tuple[str, str], ...] | list = (),
    claims: str | os.PathLike | None = None,
    lexicon: Lexicon | str | os.PathLike | None = None,
    date: str | None = None,
    include_samples: bool = False,
) -> SitePlan:
    """The pages of the site of the series ``ids`` (see `Registry.series`) and the digest of each
    page's inputs, reading only the registry, the texts' bytes, the lexicon and the claims file.

    ``pairs``: pairs (A, B) to compare beyond the consecutive editions; ``claims``: a claims file
    for ``claims.html``; ``date``: the date printed in every page (default today)."""
    editions = registry.series(tuple(ids), include_samples)
    chain = list(pairwise(e.id for e in editions))
    extra = []
    for a, b in pairs:
        if a == b:
            raise UsageError(f"--pair {a} {b}: cannot compare edition {a!r} with itself; give two different editions")
        registry.series((a, b), include_samples)  # known ids, and samples mixed only on purpose
        extra.append((a, b))
    compared = list(dict.fromkeys(chain + extra))
    paths: dict[str, tuple[str, str]] = {}
    for a, b in compared:
        other = paths.setdefault(pair_path(a, b), (a, b))
        if other != (a, b):
            raise UsageError(f"the pairs {other[0]} {other[1]} and {a} {b} would both be {pair_path(a, b)}")
    checked = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(None if lexicon is None else os.fspath(lexicon))
    lowered: dict[str, str] = {}
    for category in checked.categories:
        if not CATEGORY_ID.match(category.id):
            raise WtcompareError(
                f"{checked.path or 'lexicon'}: category {category.id!r} cannot name a page of the "
                "site: use letters, digits, '_', '.' and '-', starting with a letter or digit"
            )
        if lowered.setdefault(category.id.lower(), category.id) != category.id:
            raise WtcompareError(
                f"{checked.path or 'lexicon'}: categories {lowered[category.id.lower()]!r} and "
                f"{category.id!r} would name the same page on a case-insensitive disk"
            )
    claims_path = Path(claims) if claims is not None else None
    claims_list = claims_check.load_claims(claims_path) if claims_path else []
    date = date or dt.date.today().isoformat()

    everyone = {e.id: e for e in editions}
    for a, b in compared:
        everyone.setdefault(a, registry.get(a))
        everyone.setdefault(b, registry.get(b))
    texts = {i: _text_sha256(e) for i, e in everyone.items()}
    facts = {i: _facts(e, texts[i]) for i, e in everyone.items()}
    series = [facts[e.id] for e in editions]
    # links into pair reports (from a category's occurrences, from the claims' evidence) depend on them all
    reports = {"pairs": compared, "editions": [facts[i] for i in everyone]}

    pages = [Page(pair_path(a, b), "pair", f"{a} compared with {b}", pair=(a, b)) for a, b in compared]
    pages.append(Page("timeline.html", "timeline", "Vocabulary across the series"))
    pages += [Page(f"categories/{c.id}.html", "category", c.label, category=c.id) for c in checked.categories]
    if claims_path:
        pages.append(Page("claims.html", "claims", "Published claims checked"))
    pages.append(Page("index.html", "index", "The series at a glance"))

    # the code's own digest, as in every cache key: a page built by other code is built again
    common = {
        "site": SITE_FORMAT,
        "wtcompare": __version__,
        "code": cache.code_digest(),
        "date": date,
        "lexicon": checked.sha256,
        "lexicon content": checked.content_key(),
    }
    links = [(p.path, p.title) for p in pages]
    # a claim may name any edition, in the series or not, known or not: its verdict depends on each
    named = dict.fromkeys(e for c in claims_list for e in c.editions)
    claims_inputs = {
        "claims": file_option(claims_path),
        "editions": {
            e: _facts(registry.get(e), _text_sha256(registry.get(e))) if e in registry else "unknown" for e in named
        },
    }
    inputs = {
        "pair": lambda p: {"editions": [facts[i] for i in p.pair]},
        "timeline": lambda p: {"series": series},
        "category": lambda p: {"series": series, "category": p.category, **reports},
        "claims": lambda p: {"series": series, **reports, **claims_inputs},
        "index": lambda p: {"series": series, "pages": links, "chain": chain, "claims": file_option(claims_path)},
    }
    pages = [
        replace(
            p,
            inputs=_digest({**common, "page": p.path, "nav": [asdict(n) for n in nav(p, pages)], **inputs[p.kind](p)}),
        )
        for p in pages
    ]
    return SitePlan(
        editions, texts, compared, chain, pages, checked, claims_path, len(claims_list), date, include_samples
    )


# Building --------------------------------------------------------------------------------------


class _Builder:
    """One build: the previous manifest, the documents (loaded when first needed, those of the pair
    pages to build before any page, together: `preload`), the pages, and
    the manifest kept up to date after every page, so that an interrupted build leaves a site whose
    manifest lists what is really on disk (the next build keeps what was finished)."""

    def __init__(self, out: Path, registry: Registry, plan: SitePlan, previous: _Manifest | None):
        self.out, self.registry, self.plan = out, registry, plan
        self.old_files = {f["path"]: f for f in (previous.get("files", []) if previous is not None else [])}
        self.old_pages = {p["path"]: p for p in (previous.get("pages", []) if previous is not None else [])}
        self.files: dict[str, SiteFile] = {}
        self.page_files: dict[str, list[str]] = {}
        self.done: dict[str, Page] = {}
        self.anchors: dict[str, set[str]] = {}
        self.documents: dict[str, Document] = {}
        self.warnings: list[str] = []
        self.figures: Mapping[str, Any] | None = None  # `timeline_data` of the series, computed once
        self.found: dict[str, str | None] = {}  # SHA-256 of each listed file as the build found it

    # inputs

    def load(self, edition_id: str) -> Document:
        if edition_id not in self.documents:
            self._taken(self.registry.load(edition_id))
        return self.documents[edition_id]

    def series(self) -> list[Document]:
        self.preload([e.id for e in self.plan.editions])
        return [self.documents[e.id] for e in self.plan.editions]

    def preload(self, edition_ids: Iterable[str]) -> None:
        """Load the editions not loaded yet, together (`Registry.load_many`: PDFs in workers, two
        at a time), in the order given."""
        self.registry.load_many([e for e in edition_ids if e not in self.documents], each=self._taken)

    def _taken(self, document: Document) -> None:
        self.warnings.extend(document.warnings)
        self.documents[document.edition_id] = document

    def series_figures(self) -> Mapping[str, Any]:
        """The timeline's figures: the timeline page's when it was built now, else computed (from the
        caches), for the index and the category pages."""
        if self.figures is None:
            self.figures = timeline_data(self.series(), self.plan.lexicon)
        return self.figures

    def provenance(self, options: dict | None = None) -> dict:
        return provenance(self.series(), self.plan.lexicon, {**self.plan.options(), **(options or {})}, "site")

    def anchors_of(self, path: str) -> set[str]:
        """The ids in a pair page of this site, as built now or as the previous build left it."""
        if path not in self.anchors:
            self.anchors[path] = _ids(read_regular(self.out / path).decode("utf-8"))
        return self.anchors[path]

    # what to keep

    def unchanged(self, page: Page) -> bool:
        """Whether ``page`` can be kept: the same inputs as when the manifest was written, and every
        file of it still on disk as listed."""
        old = self.old_pages.get(page.path)
        if old is None or old["inputs"] != page.inputs:
            return False
        return all(
            path in self.old_files and self.found.get(path) == self.old_files[path]["sha256"] for path in old["files"]
        )

    def refuse_changed(self) -> None:
        """Every file the previous manifest lists must be missing or as it was written: one changed
        since may be the user's work, and is neither overwritten nor deleted."""
        for path, entry in self.old_files.items():
            found = self.found[path] = _on_disk(_inside(self.out, path))
            if found is not None and found != entry["sha256"]:
                raise WtcompareError(
                    f"{self.out / path}: was changed since wtcompare wrote it (it no longer has the "
                    "SHA-256 the site's manifest lists); move it away, then build again"
                )

    # writing

    def write(self, page: Page, html: str, tables: Output) -> None:
        """The page and its data folders, then the manifest. A file at the page's path that the
        previous build did not write is refused (`write_folder` refuses one in a data folder)."""
        target = _inside(self.out, page.path)
        if page.path not in self.old_files and os.path.lexists(target):
            raise WtcompareError(
                f"{target}: exists and is not a file of this site; move it away, or choose another folder"
            )
        written = [atomic_write(target, html)]
        for fmt in DATA_FORMATS:
            written += write_folder(_inside(self.out, f"{page.data}/{fmt}/{MANIFEST}").parent, tables, fmt)
        self.record(page, [self.written(p.relative_to(self.out).as_posix()) for p in written])
        self.write_manifest(final=False)

    def written(self, path: str) -> SiteFile:
        """A file this build has just written, as the manifest lists it."""
        digest = _on_disk(self.out / path)
        assert digest is not None, "the file was written a moment ago"
        return SiteFile(path, os.path.getsize(self.out / path), digest)

    def keep(self, page: Page) -> None:
        self.record(page, [SiteFile(**self.old_files[p]) for p in self.old_pages[page.path]["files"]])

    def record(self, page: Page, files: list[SiteFile]) -> None:
        self.files.update((f.path, f) for f in files)
        self.page_files[page.path] = sorted(f.path for f in files)
        self.done[page.path] = page

    def write_manifest(self, final: bool) -> None:
        """The site's manifest: while building, the previous build's pages and files not yet
        replaced stay listed (they are still on disk); at the end, only this build's."""
        pages: list[_PageEntry] = [
            {"path": p.path, "kind": p.kind, "title": p.title, "inputs": p.inputs, "files": self.page_files[p.path]}
            for p in self.done.values()
        ]
        files: dict[str, _FileEntry] = {
            path: {"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for path, f in self.files.items()
        }
        if not final:
            pages += [p for path, p in self.old_pages.items() if path not in self.done]
            files = {**{path: f for path, f in self.old_files.items() if path not in files}, **files}
        # the provenance names each text by its registry entry and SHA-256; nothing needs loading for it
        texts = [Document([], replace(e, sha256=self.plan.texts[e.id])) for e in self.plan.editions]
        body = {
            "site": SITE_FORMAT,
            "generator": f"wtcompare {__version__}",
            "wtcompare": __version__,
            "date": self.plan.date,
            "provenance": provenance(texts, self.plan.lexicon, self.plan.options(), "site"),
            "pages": pages,
            "files": [files[path] for path in sorted(files)],
        }
        atomic_write(self.out / MANIFEST, strict_json(body))

    def delete_leftovers(self) -> list[str]:
        """The files of the previous build that this one did not write (each unchanged, as
        `refuse_changed` made sure), and the folders they leave empty."""
        deleted = []
        for path in sorted(set(self.old_files) - set(self.files)):
            target = _inside(self.out, path)
            if self.found[path] == self.old_files[path]["sha256"]:
                # a data folder's export, written again, may have deleted its own stale table already
                target.unlink(missing_ok=True)
                deleted.append(path)
            folder = target.parent
            while folder != self.out and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        return deleted

    # the pages

    def pair(self, page: Page, links: list[NavLink]) -> tuple[str, Output]:
        assert page.pair is not None, "plan_site gives every pair page its pair"
        a, b = page.pair
        rendered = pair_page(self.load(a), self.load(b), self.plan.lexicon, date=self.plan.date, nav=links)
        self.anchors[page.path] = _ids(rendered.html)
        return rendered.html, rendered.output

    def timeline(self, page: Page, links: list[NavLink]) -> tuple[str, Output]:
        rendered = timeline_page(self.series(), self.plan.lexicon, self.plan.date, nav=links)
        self.figures = rendered.data
        return rendered.html, rendered.output

    def link(self, edition: str, anchor: str, up: str) -> str | None:
        """Where an occurrence is read in context: its paragraph (or heading) in the pair report
        that shows its edition against the one before it (the first edition: against the one after;
        an edition outside the chain: a pair asked for), when that report has the anchor."""
        chain = self.plan.chain
        hosts = (
            [p for p in chain if p[1] == edition]
            + [p for p in chain if p[0] == edition]
            + [p for p in self.plan.pairs if edition in p and p not in chain]
        )
        for a, b in hosts:
            if anchor in self.anchors_of(pair_path(a, b)):
                return f"{up}{pair_path(a, b)}#{anchor}"
        return None

    def category(self, page: Page, links: list[NavLink]) -> tuple[str, Output]:
        data = self.series_figures()
        shown = next(c for c in data["categories"] if c["id"] == page.category)
        editions = data["editions"]
        rows = [
            {
                "edition": e["id"],
                "count": count,
                "tokens": e["words"],
                "per_10k": rate,
                "change": rate - shown["cells"][k - 1][1] if k else None,
            }
            for k, (e, (count, rate)) in enumerate(zip(editions, shown["cells"], strict=True))
        ]
        occurrences = {
            e["id"]: [
                dict(k, link=self.link(e["id"], k["anchor"], "../"))
                for k in data["kwic"][e["id"]]
                if k["category"] == page.category
            ]
            for e in editions
        }
        panels = charts.rates_panels(
            {
                "editions": data["chart"]["editions"],
                "panels": [{key: shown[key] for key in ("label", "colour", "cells")}],
            }
        )
        assert page.category is not None, "plan_site gives every category page its category"
        category = self.plan.lexicon.category(page.category)
        html = render_page(
            "category.html.j2",
            self.plan.date,
            self.plan.lexicon.categories,
            links,
            data=data,
            category=category,
            shown=shown,
            rows=rows,
            occurrences=occurrences,
            panels=[charts.svg(p) for p in panels],
            caption=data["chart"]["caption"],
        )
        rates = data["tables"]["rates"]
        found = [k for e in editions for k in occurrences[e["id"]]]
        tables = {
            "rates": rates[rates["category"] == page.category].reset_index(drop=True),
            "occurrences": pd.DataFrame(found, columns=[*Match.__dataclass_fields__, "anchor", "link"]),
        }
        return html, Output(tables, self.provenance({"category": page.category}))

    def claims(self, page: Page, links: list[NavLink]) -> tuple[str, Output]:
        plan = self.plan
        assert plan.claims is not None, "plan_site plans a claims page only with a claims file"
        checked = claims_check.check(
            claims_check.load_claims(plan.claims), self.registry, plan.lexicon, plan.claims, reports=self.out / "pairs"
        )
        self.warnings.extend(checked.warnings)
        html = claims_check.html(checked, plan.date, self.out / page.path, links, root=self.out)
        return html, Output({"claims": claims_check.frame(checked)}, checked.provenance())

    def index(self, page: Page, links: list[NavLink]) -> tuple[str, Output]:
        data, plan = self.series_figures(), self.plan
        facts = data["editions"]
        columns = [
            "id",
            "title",
            "year",
            "date",
            "kind",
            "version_of",
            "companion",
            "publisher",
            "licence",
            "source_name",
            "sha256",
            "words",
            "paragraphs",
            "sections",
            "chapters",
        ]
        editions = pd.DataFrame([{k: e[k] for k in columns} for e in facts], columns=columns)
        tables = Output({"editions": editions.rename(columns={"source_name": "source"})}, self.provenance())
        folders = []
        for listed in plan.pages:
            # the index's own data files are not written yet: named as write_folder will name them
            names = self.page_files.get(listed.path) or [
                f"{listed.data}/{fmt}/{name}" for fmt in DATA_FORMATS for name in folder_files(tables, fmt)
            ]
            folders.append({"page": listed, "files": [n for n in names if n.startswith("data/")]})
        html = render_page(
            "index.html.j2",
            plan.date,
            plan.lexicon.categories,
            links,
            data=data,
            pairs=[{"path": pair_path(a, b), "a": a, "b": b, "chain": (a, b) in plan.chain} for a, b in plan.pairs],
            categories_pages=[p for p in plan.pages if p.kind == "category"],
            claims=next((p for p in plan.pages if p.kind == "claims"), None),
            claims_file=file_option(plan.claims),
            claim_count=plan.claim_count,
            folders=folders,
            lexicon=plan.lexicon,
        )
        return html, tables


def build_site(
    out: str | os.PathLike,
    registry: Registry,
    ids: tuple[str, ...] | list[str] = (),
    *,
    pairs: tuple[tuple[str, str], ...] | list = (),
    claims: str | os.PathLike | None = None,
    lexicon: Lexicon | str | os.PathLike | None = None,
    date: str | None = None,
    include_samples: bool = False,
) -> Site:
    """Build the site of the series ``ids`` in the folder ``out`` (see the module's docstring), or
    bring the site already there up to date: returns what was built, kept and deleted. The same
    inputs and ``date`` give byte-identical files. Arguments as for `plan_site`."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WtcompareError(f"{out}: cannot create the site's folder: {exc.strerror or exc}") from None
    # two builds into one folder take turns (the lock is beside the folder, not in the site): at
    # once, each would find the other's pages unlisted in its manifest, and leave a manifest that
    # lists only some of the pages there
    with locked(Path(os.path.abspath(out))):  # by the folder's own name ("site ." or "site .."), in its parent
        return _build(out, registry, ids, pairs, claims, lexicon, date, include_samples)


def _build(
    out: Path,
    registry: Registry,
    ids: tuple[str, ...] | list[str],
    pairs: tuple[tuple[str, str], ...] | list,
    claims: str | os.PathLike | None,
    lexicon: Lexicon | str | os.PathLike | None,
    date: str | None,
    include_samples: bool,
) -> Site:
    previous = _previous(out)
    plan = plan_site(
        registry, ids, pairs=pairs, claims=claims, lexicon=lexicon, date=date, include_samples=include_samples
    )
    builder = _Builder(out, registry, plan, previous)
    builder.refuse_changed()
    # the editions of the pair pages to build (the first pages) loaded together, rather than each
    # when its first page asks; in the order they would be (the others' warnings follow as before)
    pairs = [page.pair for page in plan.pages if page.pair and not builder.unchanged(page)]
    builder.preload(dict.fromkeys(edition for pair in pairs for edition in pair))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WtcompareError(f"{out}: cannot create the site's folder: {exc.strerror or exc}") from None
    makers = {
        "pair": builder.pair,
        "timeline": builder.timeline,
        "category": builder.category,
        "claims": builder.claims,
        "index": builder.index,
    }
    site = Site(out, plan, [])
    for number, page in enumerate(plan.pages, start=1):
        if builder.unchanged(page):
            builder.keep(page)
            site.kept.append(page.path)
            continue
        with stage("building", f"page {number} of {len(plan.pages)}, {page.path}"):
            builder.write(page, *makers[page.kind](page, nav(page, plan.pages)))
        site.built.append(page.path)
    site.deleted = builder.delete_leftovers()
    builder.write_manifest(final=True)
    site.files = [builder.files[p] for p in sorted(builder.files)]
    site.warnings = list(dict.fromkeys(builder.warnings))
    return site
