"""A corpus of real documents no one on the project wrote, for the speed benchmark: the
documentation that ships in twelve source releases of docutils (PyPI sdists, pinned below with
their SHA-256), each release made into one edition of 150,000 to 170,000 words.

An edition is every ``.txt`` and ``.rst`` file under the release's ``docs/`` folder, then its
top-level ``FAQ``, ``RELEASE-NOTES`` and ``BUGS`` files, in that order (``docs/`` in
sorted path order), converted from reStructuredText to plain text the way a PDF or HTML extract
reads: each file a chapter ("Chapter 7: The Docutils Hacker's Guide"), its sections numbered
headings ("7.2 Pull Requests"), paragraphs and list items as text with the inline markup taken
out (and a ``#`` joined to the word after it, so that no line reads as a Markdown heading).
Comments, targets, substitution definitions, include and contents directives, tables and
images are left out; admonitions keep their text; literal blocks become one paragraph each
(opening with its first word, rules of punctuation taken out). The
conversion is deterministic and uses nothing but the standard library, so the same releases give
the same bytes on every machine.

Each edition is written in two forms with the same words: one paragraph per line (the shape of
text extracted from PDF or HTML) and line-wrapped at 78 columns (as the sources are).

The pair of the report benchmark is the 0.21.2 release (157,000 words) against a cut of the
0.22.4 release: two chapters of every five of it (chapters 1, 3, 6, 8, 11, 13, ...; about 62,000
of its 166,000 words), as a later edition that dropped three fifths of its chapters and changed the
rest.

`write_pdfs` renders the twelve editions (paragraph per line) as PDFs, as the real editions come:
reportlab lays each one's chapters, section headings and paragraphs out on A4 pages with a running
header and a page number (the tests' `pdfmaker`), about 470 to 520 pages an edition.

The sdists are fetched with ``pip download --no-deps --no-binary :all: docutils==VERSION`` into
``$WTCOMPARE_BENCH_SDISTS`` (default ``~/.cache/wtcompare-bench/sdists``) once, and checked
against the SHA-256 below before use.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

PROJECT = "docutils"
RELEASES = {  # version: SHA-256 of the sdist on PyPI
    "0.16": "c2de3a60e9e7d07be26b7f2b00ca0309c207e06c100f9cc2a94931fc75a478fc",
    "0.17": "e2ffeea817964356ba4470efba7c2f42b6b0de0b04e66378507e3e2504bbff4c",
    "0.17.1": "686577d2e4c32380bb50cbb22f575ed742d58168cee37e99117a854bcd88f125",
    "0.18": "c1d5dab2b11d16397406a282e53953fe495a46d69ae329f55aa98a5c4e3c5fbb",
    "0.18.1": "679987caf361a7539d76e584cbeddc311e3aee937877c87346f31debc63e9d06",
    "0.19": "33995a6753c30b7f577febfc2c50411fec6aac7f7ffeb7c4cfe5991072dcf9e6",
    "0.20": "f75a5a52fbcacd81b47e42888ad2b380748aaccfb3f13af0fe69deb759f01eb6",
    "0.20.1": "f08a4e276c3a1583a86dce3e34aba3fe04d02bba2dd51ed16106244e8a923e3b",
    "0.21.2": "3a6b18732edf182daa3cd12775bbb338cf5691468f91eeeb109deff6ebfa986f",
    "0.22": "ba9d57750e92331ebe7c08a1bbf7a7f8143b86c476acd51528b042216a6aad0f",
    "0.22.4": "4db53b1fde9abecbb74d91230d32ab626d94f6badfc575d6db9194a49df29968",
    "0.23": "746f5060322511280a1e50eb76846ed6bf2342984b2ac04dc42caa1a8d78799e",
}
PAIR = ("0.21.2", "0.22.4")  # the report benchmark: this release against a cut of that one
CUT_KEEPS = (1, 3)  # the cut keeps the chapters whose number leaves these when divided by 5
TOP_FILES = ("FAQ", "RELEASE-NOTES", "BUGS")  # after docs/, each as .txt or .rst
WIDTH = 78

ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
EXPLICIT = re.compile(r"^\.\.(\s|$)")
DIRECTIVE = re.compile(r"^\.\.\s+([\w:-]+)::\s*(.*)$")
# admonitions keep their text, their argument (if any) read as its first words; the other kept
# directives take their argument as a title paragraph of its own
ADMONITIONS = {"note", "tip", "warning", "caution", "important", "attention", "hint", "danger", "error"}
KEPT_DIRECTIVES = ADMONITIONS | {
    "admonition",
    "topic",
    "sidebar",
    "epigraph",
    "highlights",
    "pull-quote",
    "compound",
    "container",
    "rubric",
}
LITERAL_DIRECTIVES = {"code", "code-block", "sourcecode", "parsed-literal"}
BULLET = re.compile(r"^([-*+\u2022])\s+(.*)$")
ENUMERATED = re.compile(r"^(\d+\.|#\.|\(?[a-zA-Z]\)|\(?\d+\)|[a-z]\.)\s+(.*)$")
TABLE = re.compile(r"^(\+[-=+]+\+?|=+( +=+)+)\s*$")
ROLE = re.compile(r":[\w.+-]+:`([^`]*)`|`([^`]*)`:[\w.+-]+:")
REFERENCE = re.compile(r"`([^`<]*?)\s*<[^>]*>`__?")
PHRASE = re.compile(r"`([^`]+)`__?")
INLINE = re.compile(r"``([^`]+)``|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`")
NAMED_REF = re.compile(r"(\w)__?(?=[\s.,;:!?)'\"]|$)")
HASH = re.compile(r"(#+)\s+")  # "# x" becomes "#x": no wrapped line may read as a Markdown heading
RULE = re.compile(r"([=\-~^+*_#`:.])\1{2,}")
SUBSTITUTION = re.compile(r"\|([^|\s][^|]*)\|_{0,2}")


def sdist_folder() -> Path:
    return Path(os.environ.get("WTCOMPARE_BENCH_SDISTS") or Path.home() / ".cache" / "wtcompare-bench" / "sdists")


def sdist(version: str) -> Path:
    """The release's sdist, downloaded once with pip and checked against its SHA-256."""
    folder = sdist_folder()
    path = folder / f"{PROJECT}-{version}.tar.gz"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"{PROJECT}=={version}",
                "-d",
                str(folder),
            ],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != RELEASES[version]:
        raise SystemExit(f"{path}: SHA-256 {digest}, expected {RELEASES[version]}")
    return path


def sources(version: str) -> list[tuple[str, str]]:
    """(path in the sdist, text) of the files an edition is made of, in edition order."""
    with tarfile.open(sdist(version)) as archive:
        files = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if m.isfile() and "/" in m.name}

        def read(name: str) -> str:
            return io.TextIOWrapper(archive.extractfile(files[name]), encoding="utf-8", errors="replace").read()

        docs = sorted(
            n
            for n in files
            if n.startswith("docs/")
            and n.endswith((".txt", ".rst"))
            and not re.fullmatch(r"docs/header\d?\.(txt|rst)", n)
        )
        top = [f"{stem}{ext}" for stem in TOP_FILES for ext in (".txt", ".rst") if f"{stem}{ext}" in files]
        return [(name, read(name)) for name in docs + top]


def inline(text: str) -> str:
    """Text without reStructuredText's inline markup."""
    text = REFERENCE.sub(lambda m: m.group(1), text)
    text = ROLE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = PHRASE.sub(lambda m: m.group(1), text)
    text = INLINE.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    text = SUBSTITUTION.sub(lambda m: m.group(1), text)
    text = NAMED_REF.sub(r"\1", text)
    return HASH.sub(r"\1", " ".join(text.replace("\\ ", "").replace("\\", "").split()))


def blocks(lines: list[str]) -> list[tuple[str, str, int]]:
    """The blocks of one file as (kind, text, level): ``heading`` (level from the order its
    adornment style first appears), ``para``, ``item`` (a list item) and ``literal``."""
    out: list[tuple[str, str, int]] = []
    styles: list[tuple[str, bool]] = []
    i, n = 0, len(lines)

    def indented_block(start: int, base: int) -> tuple[list[str], int]:
        """Lines from ``start`` indented deeper than ``base`` (blank lines inside kept)."""
        taken, j = [], start
        while j < n and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > base):
            taken.append(lines[j])
            j += 1
        while taken and not taken[-1].strip():
            taken.pop()
        return taken, j

    def dedent(block: list[str]) -> list[str]:
        return textwrap.dedent("\n".join(block)).split("\n")

    def literal(block: list[str]) -> None:
        # one paragraph, opening with a word: a "# comment" first would make the file look like Markdown
        # (and without rules of punctuation, which a text reader takes for a heading's underline)
        text = re.sub(r"^[^\w(\"']+", "", HASH.sub(r"\1", " ".join(RULE.sub(" ", " ".join(block)).split())))
        if text:
            out.append(("literal", text, 0))

    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        indent = len(line) - len(line.lstrip())
        # a section title: underlined (and maybe overlined) with one punctuation character
        over = ADORNMENT.match(line) and i + 2 < n and lines[i + 1].strip() and ADORNMENT.match(lines[i + 2])
        if over or (
            i + 1 < n
            and ADORNMENT.match(lines[i + 1])
            and not ADORNMENT.match(line)
            and len(lines[i + 1].rstrip()) >= len(stripped)
            and indent == 0
        ):
            title = lines[i + 1].strip() if over else stripped
            style = ((lines[i + 2] if over else lines[i + 1]).strip()[0], bool(over))
            if style not in styles:
                styles.append(style)
            out.append(("heading", inline(title), styles.index(style) + 1))
            i += 3 if over else 2
            continue
        if ADORNMENT.match(line) or TABLE.match(line) or stripped.startswith("|") and stripped.endswith("|"):
            while i < n and lines[i].strip():  # a transition or a table: skipped to the next blank line
                i += 1
            continue
        if EXPLICIT.match(stripped) and indent == 0:
            directive = DIRECTIVE.match(stripped)
            body, i = indented_block(i + 1, 0)
            name = directive.group(1).lower() if directive else ""
            if name in KEPT_DIRECTIVES:
                argument = directive.group(2).strip()
                content = dedent([b for b in body if not b.strip().startswith(":")] if body else [])
                if argument and name not in ADMONITIONS:
                    out.append(("para", inline(argument), 0))
                elif argument:
                    content = [argument] + content
                out.extend(blocks(content))
            elif name in LITERAL_DIRECTIVES:
                literal([b for b in dedent(body) if not b.startswith(":")])
            continue
        if indent > 0:  # a block quote or a definition: its text, dedented
            body, i = indented_block(i, 0)
            out.extend(blocks(dedent(body)))
            continue
        # a paragraph or a list item, to the next blank line or a change of indentation
        para = [stripped]
        i += 1
        item = BULLET.match(stripped) or ENUMERATED.match(stripped)
        while i < n and lines[i].strip() and not (ADORNMENT.match(lines[i]) and len(para) == 1):
            nxt = lines[i].strip()
            if (BULLET.match(nxt) or ENUMERATED.match(nxt)) and (item or len(lines[i]) == len(lines[i].lstrip())):
                break
            if not item and len(lines[i]) - len(lines[i].lstrip()) > 0:
                break  # a definition under its term
            para.append(nxt)
            i += 1
        text = " ".join(para)
        ends_literal = text.endswith("::")
        if item:
            out.append(("item", f"- {inline(item.group(2) + ' ' + ' '.join(para[1:]))}", 0))
        elif text != "::":
            out.append(("para", inline(text[:-1] if ends_literal else text), 0))
        if i < n and not lines[i].strip():
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if ends_literal and j < n and lines[j].startswith((" ", "\t")):
                body, i = indented_block(j, 0)
                literal(body)
            elif item and j < n and lines[j].startswith((" ", "\t")):
                body, i = indented_block(j, 0)
                out.extend(blocks(dedent(body)))
    return [b for b in out if b[1]]


def edition(version: str, cut: bool = False) -> list[tuple[str, str, int]]:
    """The blocks of the edition made from ``version``, chapters numbered from 1 (a cut keeps its
    chapters' own numbers)."""
    result: list[tuple[str, str, int]] = []
    for number, (name, text) in enumerate(sources(version), start=1):
        if cut and number % 5 not in CUT_KEEPS:
            continue
        found = blocks(text.replace("\t", "        ").split("\n"))
        headings = [b for b in found if b[0] == "heading"]
        top = min((b[2] for b in headings), default=1)
        title = next((b[1] for b in found if b[0] == "heading" and b[2] == top), name)
        result.append(("chapter", f"Chapter {number}: {title}", number))
        counters: list[int] = []
        for kind, text_, level in found:
            if kind == "heading" and level == top and text_ == title and counters == []:
                counters = [0]
                continue
            if kind == "heading":
                depth = max(1, level - top)
                counters = (counters + [0] * depth)[:depth]
                counters[-1] += 1
                if depth <= 3:
                    result.append(("heading", f"{number}.{'.'.join(map(str, counters))} {text_}", depth))
                else:
                    result.append(("heading", text_, depth))
            else:
                result.append((kind, text_, level))
    return result


def render(version: str, blocks_: list[tuple[str, str, int]], wrapped: bool) -> str:
    """The edition as plain text: a title, then each block; with ``wrapped``, paragraphs and list
    items wrapped at `WIDTH` columns, else each on one line."""
    out = [
        f"Docutils {version} Documentation",
        "",
        f"The docs folder and notes of the docutils {version} source release, as plain text.",
        "",
    ]
    previous = ""
    for kind, text, _ in blocks_:
        if kind in ("chapter", "heading"):
            out += ["", text, ""] if out[-1] else [text, ""]
        elif kind == "item":
            if previous != "item" and out[-1]:
                out.append("")
            out += (
                textwrap.wrap(text, WIDTH, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
                if wrapped
                else [text]
            )
        else:
            if out[-1]:
                out.append("")
            out += textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False) if wrapped else [text]
            out.append("")
        previous = kind
    return "\n".join(out).rstrip() + "\n"


def write(folder: Path, wrapped: bool) -> tuple[list[str], tuple[str, str]]:
    """Write the twelve editions and the cut of the report pair into ``folder`` with an
    editions.toml; returns the series' ids (in release order) and the pair's ids."""
    folder.mkdir(parents=True, exist_ok=True)
    entries, ids = [], []
    for k, version in enumerate(RELEASES):
        edition_id = f"docutils-{version.replace('.', '-')}"
        (folder / f"{edition_id}.txt").write_text(render(version, edition(version), wrapped), encoding="utf-8")
        entries.append(
            f'[[edition]]\nid = "{edition_id}"\ntitle = "Docutils {version} documentation"\n'
            f'year = {2000 + k}\nkind = "sample"\nsource = "{edition_id}.txt"\n'
        )
        ids.append(edition_id)
    cut_id = f"docutils-{PAIR[1].replace('.', '-')}-cut"
    (folder / f"{cut_id}.txt").write_text(render(PAIR[1], edition(PAIR[1], cut=True), wrapped), encoding="utf-8")
    entries.append(
        f'[[edition]]\nid = "{cut_id}"\ntitle = "Docutils {PAIR[1]} documentation, cut"\n'
        f'kind = "sample"\nsource = "{cut_id}.txt"\n'
    )
    (folder / "editions.toml").write_text("\n".join(entries), encoding="utf-8")
    return ids, (f"docutils-{PAIR[0].replace('.', '-')}", cut_id)


def write_pdfs(texts: Path, folder: Path, ids: list[str]) -> int:
    """The editions ``ids`` of ``texts`` (written by `write`, one paragraph per line) as PDFs in
    ``folder``, with an editions.toml in the same order; returns the number of pages in all. Each
    is read with wtcompare's loader for its chapters, headings and paragraphs, then laid out."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import pdfmaker

    from wtcompare.load import parse

    folder.mkdir(parents=True, exist_ok=True)
    entries, pages = [], 0
    for k, edition_id in enumerate(ids):
        document = parse((texts / f"{edition_id}.txt").read_bytes(), f"{edition_id}.txt")
        pdfmaker.HEADER = f"{document.title or edition_id} (benchmark rendering)"
        pdf = pdfmaker.Writer(front_pages=1)
        pdf.new_page(furniture=False)
        pdf.heading(document.title or edition_id, 20)
        for chapter in document.sections:
            _lay_out(pdf, chapter, 0)
        (folder / f"{edition_id}.pdf").write_bytes(pdf.finish())
        pages += pdf.page
        entries.append(
            f'[[edition]]\nid = "{edition_id}"\ntitle = "{edition_id} (PDF)"\nyear = {2000 + k}\nkind = "sample"\n'
            f'source = "{edition_id}.pdf"\n'
        )
    (folder / "editions.toml").write_text("\n".join(entries), encoding="utf-8")
    return pages


def _lay_out(pdf, section, depth: int) -> None:
    """A section's heading (a chapter's larger), its paragraphs, then its subsections."""
    if section.heading:
        pdf.heading(_latin(section.heading), 18 if depth == 0 else 13)
    for paragraph in section.paragraphs:
        pdf.paragraph(None, _latin(paragraph.text))
    for child in section.children:
        _lay_out(pdf, child, depth + 1)


def _latin(text: str) -> str:
    """The text in the PDF's standard font's characters (the few others as "?")."""
    return text.encode("latin-1", "replace").decode("latin-1")


if __name__ == "__main__":  # write both forms into a folder, to look at them
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docutils-corpus")
    for form, wrapped in (("paragraphs", False), ("wrapped", True)):
        write(target / form, wrapped)
    print(target)
