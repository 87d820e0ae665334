"""Draw a ``Document`` of blocks as a PDF (fpdf2) or as an editable DOCX (python-docx)."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tinnhiem import words
from tinnhiem.documents import blocks as b
from tinnhiem.documents.pdfbase import HEADING, LINE, TABLE_START, Page, output
from tinnhiem.documents.text import clean

_ARTICLE = re.compile(r"^Điều \d+\.")
CHART_START = 45.0  # mm: the chart's heading, legend and first bars (chart.draw_chart)
SIGNATURES_ROW = 43.0  # mm: one row of signers (Page.signatures)
FONT = "Times New Roman"  # what Vietnamese administrative documents are typed in
_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
}


def to_pdf(doc: b.Document, chart: Callable[[Page], None] | None = None) -> bytes:
    """The document as PDF bytes; ``chart`` draws the Chart block (omitted when None)."""
    pdf = Page(watermark=doc.watermark, footer_text=doc.footer)
    pdf.describe(doc.footer, doc.subject, doc.made)
    pdf.add_page()
    pdf.letterhead(doc.letterhead)
    for index, block in enumerate(doc.blocks):
        if isinstance(block, b.Heading):
            pdf.heading(block, keep=_kept_with(doc.blocks[index:]))
        elif isinstance(block, b.Para):
            following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
            if isinstance(following, b.Signatures) and pdf.will_page_break(
                3 * LINE + SIGNATURES_ROW * ((len(following.signers) + 2) // 3)
            ):
                pdf.add_page()  # the closing sentence goes over with the signatures it heads
            pdf.para(block)
        elif isinstance(block, b.Table):
            pdf.grid(block)
        elif isinstance(block, b.Signatures):
            pdf.signatures(block)
        elif isinstance(block, b.PageBreak):
            pdf.add_page()
        elif isinstance(block, b.Chart) and chart is not None:
            chart(pdf)
    return output(pdf)


def _kept_with(blocks: tuple[b.Block, ...]) -> float:
    """The mm the heading ``blocks[0]`` needs on its page: itself, the headings right after
    it, and the start of the block they head (so that no heading ends a page alone)."""
    need = 0.0
    for block in blocks:
        if isinstance(block, b.Heading):
            need += HEADING
        elif isinstance(block, b.Table):
            return need + TABLE_START
        elif isinstance(block, b.Para):
            return need + 2 * LINE + 1  # two lines of it
        elif isinstance(block, b.Chart):
            return need + CHART_START
        elif isinstance(block, b.Signatures):
            return need + SIGNATURES_ROW
        else:
            break
    return max(need, 20.0)


# -- DOCX -------------------------------------------------------------------------------


_RUN_PROPERTIES: dict[tuple[bool, bool, float], object] = {}


def _run(paragraph, text: str, bold: bool = False, italic: bool = False, size: float = 13):
    run = paragraph.add_run(clean(text))
    key = (bold, italic, size)
    made = _RUN_PROPERTIES.get(key)
    if made is not None:  # python-docx's setters cost ~1.5 ms a run: copy the first one's
        run.element.insert(0, copy.deepcopy(made))
        return run
    run.bold = bold
    run.italic = italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    _RUN_PROPERTIES[key] = copy.deepcopy(run.element.rPr)
    return run


def _spacing(paragraph, before: float = 0, after: float = 3) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _rule(cell, length_mm: float, cell_mm: float) -> None:
    """A short centred horizontal line: the bottom border of an empty, narrowed paragraph."""
    paragraph = cell.add_paragraph()
    fmt = paragraph.paragraph_format
    indent = max(0.0, (cell_mm - length_mm) / 2)
    fmt.left_indent = Mm(indent)
    fmt.right_indent = Mm(indent)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_margins(table, mm: float) -> None:
    """Narrow left/right cell margins, so ten columns fit on a portrait page."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(mm * 56.7)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _widths(table, widths_mm) -> None:
    """Fix the column widths (Word and LibreOffice read the grid, the cells, or both)."""
    table.autofit = False
    columns = list(table.columns)
    for column, width in zip(columns, widths_mm, strict=False):
        column.width = Mm(width)
    for row in table.rows:  # each row once: column.cells walks the whole table every time
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _cell_text(
    cell,
    text: str,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: str = "center",
):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    _spacing(paragraph, 0, 0)
    _run(paragraph, text, bold, italic, size)
    return paragraph


def new_document():
    """An empty A4 Word document with the margins of Nghị định 30/2020 and Times New Roman."""
    document = new_docx()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    _page_numbers(section)
    return document


def _page_numbers(section) -> None:
    """Page numbers as Nghị định 30/2020 sets them: Arabic figures, 13 pt, upright, centred
    in the top margin, none on the first page (Word's PAGE field, so they stay right)."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.name, run.font.size = FONT, Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def letterhead_docx(document, head: b.Letterhead) -> None:
    """Body and issuer left, Quốc hiệu and tiêu ngữ right (each with its rule), then title."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (68, 97))
    left, right = table.rows[0].cells
    if head.body:
        _cell_text(left, head.body, size=12)
    _cell_text(left, head.issuer, bold=True, size=12)
    _rule(left, 25, 68)
    if head.number:
        _cell_text(left, head.number, size=12)
    _cell_text(right, words.NATION, bold=True, size=12)
    _cell_text(right, words.MOTTO, bold=True, size=13)
    _rule(right, 62, 97)
    place = _cell_text(right, head.place_date, italic=True, size=13)
    _spacing(place, 6, 0)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, 18, 0)
    _run(title, head.title, bold=True, size=14)
    if head.subtitle:
        sub = document.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(sub, 0, 12)
        _run(sub, head.subtitle, bold=True, size=13)


def table_docx(document, block: b.Table) -> None:
    """A bordered table; its header row(s) repeat on every page in Word."""
    heading_rows = 2 if block.groups else 1
    table = document.add_table(rows=heading_rows + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, 1.0)
    total = sum(block.widths)
    size = block.size + 1.5
    _widths(table, [165 * width / total for width in block.widths])
    if block.groups:
        column = 0
        for label, span in block.groups:
            top = table.cell(0, column)
            if span == 1:
                merged = top.merge(table.cell(1, column))
                _cell_text(merged, label, bold=True, size=size)
            else:
                merged = top.merge(table.cell(0, column + span - 1))
                _cell_text(merged, label, bold=True, size=size)
                for i in range(span):
                    _cell_text(
                        table.cell(1, column + i), block.header[column + i], bold=True, size=size
                    )
            column += span
    else:
        for i, label in enumerate(block.header):
            _cell_text(table.cell(0, i), label, bold=True, size=size)
    for r in range(heading_rows):
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
    for row in table.rows:  # a row never splits over two pages
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant_split)
    rows = list(table.rows)  # table.rows[r] walks the table from the start each time
    for r, values in enumerate(block.rows, start=heading_rows):
        cells = rows[r].cells
        for i, value in enumerate(values):
            paragraph = _cell_text(cells[i], value, size=size, align=block.align[i])
            if i in block.mono:
                for run in paragraph.runs:
                    run.font.name = "Courier New"
    document.add_paragraph()


def signatures_docx(document, block: b.Signatures) -> None:
    signers = list(block.signers)
    while signers:
        line, signers = signers[:3], signers[3:]
        table = document.add_table(rows=1, cols=len(line))
        _no_borders(table)
        _widths(table, [165 / len(line)] * len(line))
        for cell, (role, name) in zip(table.rows[0].cells, line, strict=True):
            _cell_text(cell, role, bold=True, size=13)
            _cell_text(cell, "(Ký, ghi rõ họ tên)", italic=True, size=12)
            for _ in range(4):
                _cell_text(cell, "", size=13)
            _cell_text(cell, name, bold=True, size=13)
        document.add_paragraph()


def para_docx(document, block: b.Para) -> None:
    """A paragraph; an article number (``Điều 2.``) at its start is set in bold."""
    paragraph = document.add_paragraph()
    paragraph.alignment = _ALIGN[block.align]
    paragraph.paragraph_format.left_indent = Mm(block.indent)
    paragraph.paragraph_format.first_line_indent = Mm(0 if block.indent else 10)
    _spacing(paragraph, 0, 3)
    text = block.text
    article = _ARTICLE.match(text)
    if article and block.style == "normal":
        _run(paragraph, article.group(0), bold=True)
        text = text[article.end() :]
    run = _run(
        paragraph, text, bold=block.style in ("bold", "notice"), italic=block.style == "italic"
    )
    if block.style == "notice":
        run.font.color.rgb = RGBColor(0xB4, 0x1E, 0x00)


def to_docx(doc: b.Document) -> bytes:
    """The document as DOCX bytes (the Chart block is left to the PDF)."""
    document = new_document()
    letterhead_docx(document, doc.letterhead)
    if doc.watermark:
        para_docx(document, b.Para(doc.watermark.upper(), style="notice", align="center"))
    for block in doc.blocks:
        if isinstance(block, b.Heading):
            paragraph = document.add_paragraph()
            _spacing(paragraph, 6, 3)
            paragraph.paragraph_format.keep_with_next = True
            _run(paragraph, block.text, bold=True, italic=block.level > 1)
        elif isinstance(block, b.Para):
            para_docx(document, block)
        elif isinstance(block, b.Table):
            table_docx(document, block)
        elif isinstance(block, b.Signatures):
            signatures_docx(document, block)
        elif isinstance(block, b.PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return saved(document)


def fixed_zip(data: bytes) -> bytes:
    """The same zip (DOCX, XLSX) with every entry dated 1980-01-01: the writers stamp the
    time of saving, so the same poll would not give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry.filename))
    return buffer.getvalue()


def saved(document) -> bytes:
    """A python-docx or openpyxl document's bytes, the same for the same content."""
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())
