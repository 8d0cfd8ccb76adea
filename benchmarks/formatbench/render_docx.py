"""DOCX as a Word user makes it, with python-docx: Title and Subtitle styles, Heading 1 to 3 (deeper
headings Heading 3 too, as Word templates stop there in practice), "List Bullet"/"List Number"
styles (each ordered list its own numbering, restarting at 1, in its marker style), hyperlinks as
real w:hyperlink elements, no-break spaces where a word stays with its number, code in a monospaced
style, and real Word footnotes (a footnotes part; python-docx has no API for either, so both are
written as WordprocessingML).

The file is made byte-identical between runs: fixed core properties and fixed zip timestamps.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from .model import Code, Document, Heading, ListBlock, Paragraph, Run
from .typography import typeset

FIXED = datetime.datetime(2026, 1, 1)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FORMATS = {
    "-": ("bullet", "\u2022"),
    "1.": ("decimal", "%{n}."),
    "a)": ("lowerLetter", "%{n})"),
    "(i)": ("lowerRoman", "(%{n})"),
}
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class _Writer:
    def __init__(self, document: Document) -> None:
        self.model = document
        self.word = docx.Document()
        self.notes = {note.number: note for note in document.footnotes}
        self.numbering = self.word.part.numbering_part.element
        code = self.word.styles.add_style("Source Code", 1)  # 1: a paragraph style
        code.base_style = self.word.styles["Normal"]
        code.font.name, code.font.size = "Courier New", Pt(8.5)

    def build(self) -> bytes:
        properties = self.word.core_properties
        properties.title, properties.subject = self.model.title, self.model.subtitle
        properties.author = "format-invariance bench"
        properties.created = properties.modified = properties.last_printed = FIXED
        properties.revision = 1
        self.word.add_paragraph(typeset(self.model.title), style="Title")
        if self.model.subtitle:
            self.word.add_paragraph(typeset(self.model.subtitle), style="Subtitle")
        self.blocks(self.model.blocks, 0)
        if self.model.footnotes:
            self._footnotes_part()
        buffer = io.BytesIO()
        self.word.save(buffer)
        return _fixed_zip(buffer.getvalue())

    def blocks(self, blocks: list, depth: int) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                paragraph = self.word.add_paragraph(style=f"Heading {min(block.level, 3)}")
                if block.number:
                    paragraph.add_run(block.number + " ")
                self.runs(paragraph, block.runs)
            elif isinstance(block, Paragraph):
                paragraph = self.word.add_paragraph(style="List Continue" if depth else None)
                if block.number:
                    paragraph.add_run(f"{block.number}.\t")
                self.runs(paragraph, block.runs)
            elif isinstance(block, Code):
                self.word.add_paragraph(block.text, style="Source Code")  # python-docx writes "\n" as w:br
            else:
                self.list(block, depth)

    def list(self, block: ListBlock, depth: int) -> None:
        kind = "Number" if block.ordered else "Bullet"
        style = f"List {kind}" + (f" {min(depth + 1, 3)}" if depth else "")
        number = self._numbering(block.style, depth) if block.ordered else None
        for item in block.items:
            head, *rest = item
            paragraph = self.word.add_paragraph(style=style)
            if number is not None:
                properties = paragraph._p.get_or_add_pPr()
                properties.append(
                    parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{depth}"/><w:numId w:val="{number}"/></w:numPr>')
                )
            self.runs(paragraph, head.runs)
            self.blocks(rest, depth + 1)

    def _numbering(self, style: str, depth: int) -> int:
        """A new abstract numbering and instance for one ordered list, so that it starts at 1
        in its own marker style (the "List Number" style alone would continue the previous list)."""
        ids = [int(n.get(qn("w:abstractNumId"))) for n in self.numbering.findall(qn("w:abstractNum"))]
        abstract = max(ids, default=0) + 1
        number = max((int(n.get(qn("w:numId"))) for n in self.numbering.findall(qn("w:num"))), default=0) + 1
        fmt, text = FORMATS[style]
        level = (
            f'<w:lvl w:ilvl="{depth}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text.format(n=depth + 1)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (depth + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
        first_num = self.numbering.find(qn("w:num"))
        element = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{level}</w:abstractNum>'
        )
        if first_num is not None:  # the schema wants every abstractNum before the first num
            first_num.addprevious(element)
        else:
            self.numbering.append(element)
        self.numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{abstract}"/></w:num>')
        )
        return number

    def runs(self, paragraph, runs: list[Run]) -> None:
        for run in runs:
            if run.kind == "note":
                element = paragraph.add_run()._r
                element.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:vertAlign w:val="superscript"/></w:rPr>'))
                element.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{run.note}"/>'))
            elif run.kind == "link":
                self._hyperlink(paragraph, run)
            else:
                text = run.text if run.kind == "code" else typeset(run.text)
                added = paragraph.add_run(text)
                added.italic = run.kind == "emphasis" or None
                added.bold = run.kind == "strong" or None
                if run.kind == "code":
                    added.font.name = "Courier New"

    def _hyperlink(self, paragraph, run: Run) -> None:
        rel = self.word.part.relate_to(run.target, RT.HYPERLINK, is_external=True)
        link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"/>')
        added = paragraph.add_run(typeset(run.text))
        added.font.color.rgb, added.font.underline = RGBColor(0x05, 0x63, 0xC1), True
        added._r.addprevious(link)
        link.append(added._r)

    def _footnotes_part(self) -> None:
        """word/footnotes.xml with Word's two separator notes (ids -1 and 0), then one note each."""
        notes = []
        for number, note in self.notes.items():
            runs = "".join(f'<w:r><w:t xml:space="preserve">{_xml(typeset(r.text))}</w:t></w:r>' for r in note.runs)
            notes.append(
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>'
            )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0">'
            "<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>" + "".join(notes) + "</w:footnotes>"
        )
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode("utf-8"), self.word.part.package)
        self.word.part.relate_to(part, RT.FOOTNOTES)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(
                zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)),
                source.read(info.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def python_docx(document: Document, path: Path) -> None:
    path.write_bytes(_Writer(document).build())
