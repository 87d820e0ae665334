"""The combined report (tinnhiem.combine) as an XLSX workbook, as agencies publish it.

Sheets: ``Kết quả`` (one row per official per poll: unit, post, counts, percentages,
band, consequence), ``Tổng hợp`` (by band and by unit), ``Theo điểm`` (each point's own
counts), ``Nhiều nơi`` (one person's results in several polls side by side, never
added) and ``Tệp`` (each file with its lock hash). Percentages are numbers shown with two
decimals; no cell is ever a formula (texts are stored as text).
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tinnhiem import words
from tinnhiem.combine import Combined, CombinedPoll
from tinnhiem.documents.combined import (
    COLUMNS,
    NO_POINT,
    TITLE,
    UNIT_BANDS,
    band_label,
    by_band,
    by_unit,
    cells,
    hundredths,
    lock_of,
    report_rows,
    unit_of,
)
from tinnhiem.documents.results import _FIXED_TIME, _saved
from tinnhiem.documents.text import clean, one_line
from tinnhiem.model import DECIDING_LEVEL, State
from tinnhiem.tally import Tally

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")
_BOLD = Font(bold=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)

Cell = str | int | float | None


def _put(sheet: Worksheet, row: int, column: int, value: Cell) -> None:
    cell = sheet.cell(
        row=row, column=column, value=clean(value) if isinstance(value, str) else value
    )
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.alignment = _WRAP
    elif isinstance(value, float):
        cell.number_format = "0.00"
    cell.border = _BOX


def _table(
    sheet: Worksheet, top: int, header: Sequence[tuple[str, float]], rows: Sequence[Sequence[Cell]]
) -> int:
    """A boxed table from row ``top``; returns the first row after it."""
    for column, (label, width) in enumerate(header, start=1):
        cell = sheet.cell(row=top, column=column, value=clean(label))
        cell.data_type = "s"
        cell.font, cell.alignment, cell.fill, cell.border = _BOLD, _CENTRE, _HEAD_FILL, _BOX
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width, width)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _put(sheet, top + offset, column, value)
    return top + len(rows) + 1


def _title(sheet: Worksheet, text: str) -> None:
    cell = sheet.cell(row=1, column=1, value=clean(text))
    cell.data_type = "s"
    cell.font = Font(bold=True, size=13)


def _counts(kind, result: Tally, row) -> list[Cell]:
    values: list[Cell] = []
    for count in cells(kind, row):
        values += [count, None if count is None else hundredths(count, result)]
    return values


_COUNT_HEADS = [(f"{label} ({what})", 11.0) for label in COLUMNS for what in ("số phiếu", "%")]


def _results(sheet: Worksheet, combined: Combined) -> None:
    sheet.title = "Kết quả"
    _title(sheet, TITLE)
    header = [("STT", 5.0), ("Đơn vị", 24.0), ("Đợt lấy phiếu", 28.0), ("Họ và tên", 24.0)]
    header += [("Chức vụ", 30.0), ("Cơ số", 8.0), *_COUNT_HEADS, ("Kết quả", 22.0)]
    header += [("Hệ quả", 40.0), ("Mã đợt", 20.0)]
    rows = []
    for number, line in enumerate(report_rows(combined), start=1):
        poll, result, official = line.poll, line.poll.result, line.official
        rows.append(
            [
                number,
                unit_of(poll),
                one_line(poll.poll.title),
                official.official.name,
                official.official.position,
                result.base,
                *_counts(result.kind, result, official),
                line.band,
                line.consequence,
                poll.id or "",
            ]
        )
    _table(sheet, 3, header, rows)
    sheet.freeze_panes = "E4"


def _summary(sheet: Worksheet, combined: Combined) -> None:
    _title(sheet, "Tổng hợp theo mức tín nhiệm và theo đơn vị")
    after = _table(sheet, 3, [("Kết quả", 34.0), ("Số người", 12.0)], by_band(combined))
    heads = [("Đơn vị", 34.0), ("Số đợt", 12.0), ("Số người", 12.0)]
    heads += [(label, 12.0) for label in UNIT_BANDS]
    _table(sheet, after + 1, heads, by_unit(combined))


def _point_rows(poll: CombinedPoll) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for point in poll.points:
        result = point.result
        for official in result.officials:
            rows.append(
                [
                    one_line(poll.poll.title),
                    one_line(point.point or NO_POINT),
                    point.file.name,
                    result.present,
                    result.issued,
                    result.collected,
                    official.official.name,
                    *_counts(result.kind, result, official),
                    band_label(result.kind, official.band),
                ]
            )
    return rows


def _points(sheet: Worksheet, combined: Combined) -> None:
    _title(sheet, "Kết quả từng điểm lấy phiếu")
    header = [("Đợt lấy phiếu", 28.0), ("Điểm", 18.0), ("Tệp", 20.0), ("Có mặt", 9.0)]
    header += [("Phát ra", 9.0), ("Thu về", 9.0), ("Họ và tên", 24.0), *_COUNT_HEADS]
    header += [("Kết quả", 22.0)]
    _table(sheet, 3, header, [row for poll in combined.polls for row in _point_rows(poll)])


def _people(sheet: Worksheet, combined: Combined) -> None:
    _title(sheet, "Người được lấy phiếu ở nhiều nơi (đặt cạnh nhau, không cộng)")
    widest = max((len(p.results) for p in combined.people), default=1)
    header = [("Họ và tên", 24.0), ("Chức vụ", 28.0), ("Mã người", 12.0)]
    for n in range(1, widest + 1):
        header += [(f"Đợt {n}", 26.0), (f"Kết quả {n}", 20.0), (f"Tỷ lệ thấp {n} (%)", 12.0)]
    rows = []
    for person in combined.people:
        row: list[Cell] = [person.name, person.position, person.person or ""]
        for r in person.results:
            result = r.poll.result
            low = r.official.counts[DECIDING_LEVEL[result.kind]]
            row += [one_line(r.poll.poll.title) or (r.poll.id or "")]
            row += [band_label(result.kind, r.official.band), hundredths(low, result)]
        rows.append(row)
    _table(sheet, 3, header, rows)


def _files(sheet: Worksheet, combined: Combined) -> None:
    _title(sheet, "Các tệp đã dùng và mã khóa")
    header = [("Tệp", 26.0), ("Đợt lấy phiếu", 28.0), ("Mã đợt", 20.0), ("Điểm", 18.0)]
    header += [(words.sentence(words.STATE[State.LOCKED]), 9.0), ("Mã khóa (mã băm SHA-256)", 70.0)]
    rows = [
        [
            file.name,
            one_line(file.poll.title),
            file.poll.id or "",
            one_line(file.poll.point or NO_POINT),
            "có" if file.locked else "không",
            lock_of(file.lock_hash),
        ]
        for file in combined.files
    ]
    after = _table(sheet, 3, header, rows)
    if combined.duplicates:
        heads = [("Tệp trùng (chỉ tính một lần)", 26.0), ("Trùng với", 28.0)]
        copies = [[copy, first] for first, copy in combined.duplicates]
        after = _table(sheet, after + 1, heads, copies)
    if combined.refused:
        heads = [("Tệp bị loại", 26.0), ("Lý do", 28.0)]
        rows_refused = [[r.name, r.reason] for r in combined.refused]
        after = _table(sheet, after + 1, heads, rows_refused)
    if combined.missing:
        _table(
            sheet, after + 1, [("Chưa nhận được tệp của", 26.0)], [[n] for n in combined.missing]
        )


def combined_xlsx(combined: Combined) -> bytes:
    """The combined report as an Excel workbook; the same report gives the same bytes."""
    book = Workbook()
    first = book.active
    if not isinstance(first, Worksheet):  # a new workbook opens on one plain worksheet
        raise TypeError(f"a new workbook's first sheet is a {type(first).__name__}")
    _results(first, combined)
    _summary(book.create_sheet("Tổng hợp"), combined)
    _points(book.create_sheet("Theo điểm"), combined)
    _people(book.create_sheet("Nhiều nơi"), combined)
    _files(book.create_sheet("Tệp"), combined)
    for sheet in book.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    book.properties.created = book.properties.modified = _FIXED_TIME  # the same bytes
    return _saved(book)
