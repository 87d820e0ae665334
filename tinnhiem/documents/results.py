"""Result files: an XLSX laid out like the tables councils publish, and a CSV for Excel.

Percentages in the XLSX are numbers (count × 100 / base, rounded by the poll's rounding
through ``tinnhiem.arithmetic``) shown with the format ``0.00``; in the CSV they are the
machine form ``53.19`` of ``tinnhiem tally``. No cell is ever a formula: a text beginning
with ``=``, ``+``, ``-``, ``@``, tab or carriage return is stored as text in the XLSX and
prefixed with ``'`` in the CSV, so a name cannot run code in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from tinnhiem import arithmetic, rule_words, words
from tinnhiem.documents.render import fixed_zip
from tinnhiem.documents.text import clean
from tinnhiem.model import Base, Poll
from tinnhiem.tally import Tally, tally

_FIXED_TIME = datetime(2000, 1, 1)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")


def inert(value: object) -> object:
    """A CSV cell that no spreadsheet runs: texts starting with = + - @ tab CR get a '."""
    if isinstance(value, str):
        value = clean(value)
        if value.startswith(_DANGEROUS):
            return "'" + value
    return value


def _percent_number(count: int, result: Tally) -> float:
    return arithmetic.hundredths(count, result.base, result.rounding) / 100


def _summary(poll: Poll, result: Tally) -> list[tuple[str, int]]:
    return [
        (words.sentence(words.BASE[Base.MEMBERS]), poll.members.total),
        ("Số đại biểu có mặt", poll.members.present),
        ("Số phiếu phát ra", result.issued),
        ("Số phiếu thu về", result.collected),
        ("Số phiếu đã nhập", result.counted),
        ("Số phiếu hợp lệ", result.valid_ballots),
        ("Số phiếu không hợp lệ", result.invalid),
        (f"Cơ số tính tỷ lệ ({words.BASE[result.base_name]})", result.base),
    ]


def _text_cell(sheet: Worksheet, row: int, column: int, value: str, **style: object) -> Cell:
    # The poll's checks keep every text far below Excel's 32 767 characters a cell.
    cell = sheet.cell(row=row, column=column, value=clean(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def results_xlsx(poll: Poll, result: Tally | None = None) -> bytes:
    """The result table as an Excel workbook (one sheet, frozen header, fixed widths)."""
    result = result or tally(poll)
    levels = poll.levels
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # a new workbook opens on one plain worksheet
        raise TypeError(f"a new workbook's first sheet is a {type(sheet).__name__}")
    sheet.title = "Kết quả"
    width = 3 + 2 * len(levels) + 2
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    title = f"KẾT QUẢ {words.KIND[poll.kind].upper()}"
    _text_cell(sheet, 1, 1, title, font=Font(bold=True, size=14), alignment=centre)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    line = " — ".join(
        p for p in (words.nfc(poll.title), words.nfc(poll.body), words.date(poll.date)) if p
    )
    _text_cell(sheet, 2, 1, line, font=Font(italic=True), alignment=centre)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    compared = words.base_compared(result.base_name)
    note = f"Tỷ lệ % {compared} ({words.number(result.base)}); căn cứ {result.rules.name}."
    _text_cell(sheet, 3, 1, note, alignment=centre)
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    top, sub = 5, 6
    heads = [("STT", 6), ("Họ và tên", 26), ("Chức vụ", 36)]
    for column, (label, col_width) in enumerate(heads, start=1):
        _text_cell(sheet, top, column, label, font=bold, alignment=centre, fill=_HEAD_FILL)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        sheet.column_dimensions[get_column_letter(column)].width = col_width
    column = 4
    for level in levels:
        _text_cell(
            sheet, top, column, words.LEVEL[level], font=bold, alignment=centre, fill=_HEAD_FILL
        )
        sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
        _text_cell(sheet, sub, column, "Số phiếu", font=bold, alignment=centre, fill=_HEAD_FILL)
        _text_cell(
            sheet, sub, column + 1, "Tỷ lệ (%)", font=bold, alignment=centre, fill=_HEAD_FILL
        )
        sheet.column_dimensions[get_column_letter(column)].width = 10
        sheet.column_dimensions[get_column_letter(column + 1)].width = 10
        column += 2
    for label, col_width in (("Không hợp lệ", 11), ("Kết quả", 20)):
        _text_cell(sheet, top, column, label, font=bold, alignment=centre, fill=_HEAD_FILL)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        sheet.column_dimensions[get_column_letter(column)].width = col_width
        column += 1
    row = sub + 1
    for number, r in enumerate(result.officials, start=1):
        sheet.cell(row=row, column=1, value=number).alignment = centre
        _text_cell(sheet, row, 2, r.official.name, alignment=wrap)
        _text_cell(sheet, row, 3, r.official.position, alignment=wrap)
        column = 4
        for level in levels:
            sheet.cell(row=row, column=column, value=r.counts[level])
            cell = sheet.cell(
                row=row, column=column + 1, value=_percent_number(r.counts[level], result)
            )
            cell.number_format = "0.00"
            column += 2
        sheet.cell(row=row, column=column, value=r.invalid)
        _text_cell(
            sheet,
            row,
            column + 1,
            rule_words.band_label(poll.kind, r.band, result.rules),
            alignment=wrap,
        )
        row += 1
    for cells in sheet.iter_rows(min_row=top, max_row=row - 1, max_col=width):
        for boxed in cells:
            boxed.border = _BOX
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=3).coordinate
    row += 1
    for label, value in _summary(poll, result):
        _text_cell(sheet, row, 2, label, font=bold)
        sheet.cell(row=row, column=3, value=value).alignment = Alignment(horizontal="left")
        row += 1
    exempt = [o for o in poll.officials if not o.on_ballot]
    if exempt:
        row += 1
        _text_cell(sheet, row, 2, "Không lấy phiếu", font=bold)
        for o in exempt:
            row += 1
            _text_cell(sheet, row, 2, o.name)
            _text_cell(sheet, row, 3, f"{words.nfc(o.position)} — {words.nfc(o.exempt_reason)}")
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    book.properties.created = book.properties.modified = _FIXED_TIME  # the same bytes
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    """The workbook's bytes with its own dates: ``Workbook.save`` stamps the time of saving
    as "modified", so two results made a second apart would differ."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return fixed_zip(buffer.getvalue())


def results_csv(poll: Poll, result: Tally | None = None) -> bytes:
    """The result table as CSV, UTF-8 with BOM; one row per official, then the summary."""
    result = result or tally(poll)
    levels = poll.levels
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["STT", "Họ và tên", "Chức vụ"]
    for level in levels:
        header += [f"{words.LEVEL[level]} (số phiếu)", f"{words.LEVEL[level]} (%)"]
    header += ["Không hợp lệ", "Kết quả"]
    writer.writerow(header)
    for number, r in enumerate(result.officials, start=1):
        row: list[object] = [number, r.official.name, r.official.position]
        for level in levels:
            row += [r.counts[level], r.percent[level]]
        row += [r.invalid, rule_words.band_label(poll.kind, r.band, result.rules)]
        writer.writerow([inert(v) for v in row])
    writer.writerow([])
    for label, value in _summary(poll, result):
        writer.writerow([inert(label), value])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
