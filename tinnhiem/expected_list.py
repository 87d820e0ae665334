"""The list of points or units a higher level expects files from (Tổng hợp): read from an
uploaded spreadsheet or text file, one name a row.

The name of a row is its first cell holding a letter (an "STT" column before it is passed
over); a first row naming a column ("STT", "Đơn vị", "Tên điểm", …) is a header, not a
unit. Names are cleaned like every typed text (NFC, no control characters), blank ones
dropped and repeats kept once, in the file's order.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from tinnhiem import problems as P
from tinnhiem import spreadsheets
from tinnhiem.limits import MAX_NAME
from tinnhiem.problems.core import Problem

MAX_UNITS = 5_000  # a province's agencies and communes, with room to spare
_HEADERS = {"đơn vị", "tên đơn vị", "điểm", "tên điểm", "điểm lấy phiếu", "cơ quan", "tên"}
_HEADERS |= {"stt", "tt", "số thứ tự", "ghi chú"}


class ExpectedListError(ValueError):
    """Raised when an uploaded list of expected points or units cannot be read."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _text(cell: object) -> str:
    text = unicodedata.normalize("NFC", "" if cell is None else str(cell))
    return " ".join("".join(c for c in text if unicodedata.category(c)[0] != "C").split())


def _rows(data: bytes, filename: str) -> list[list[object]]:
    kind = spreadsheets.file_format(data, filename)
    try:
        if kind == "xlsx":
            return spreadsheets.xlsx_sheets(data)[0].rows
        if kind == "ods":
            return spreadsheets.ods_sheets(data)[0].rows
        if kind in ("text", "html"):
            text = data.decode("utf-8-sig")
            if kind == "html":
                return spreadsheets.html_sheets(text)[0].rows
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else None
            return [list(row) for row in csv.reader(io.StringIO(text), dialect or csv.excel)]
    except csv.Error:
        return [[line] for line in data.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError as error:
        raise ExpectedListError(
            P.EXPECTED_UNREADABLE(field=filename, reason="không phải văn bản UTF-8")
        ) from error
    except Exception as error:  # a broken workbook, a page with no table
        raise ExpectedListError(
            P.EXPECTED_UNREADABLE(field=filename, reason="tệp hỏng hoặc không có bảng")
        ) from error
    reason = "không phải bảng tính hay văn bản (Excel cũ .xls, PDF, Word hoặc ảnh)"
    raise ExpectedListError(P.EXPECTED_UNREADABLE(field=filename, reason=reason))


def expected_units(data: bytes, filename: str) -> list[str]:
    """The names of the list, in order, each once.

    Raises ExpectedListError (G13, G14) for a file that is not such a list.
    """
    names: list[str] = []
    for number, row in enumerate(_rows(data, filename)):
        cells = [_text(cell) for cell in row]
        if number == 0 and any(cell.casefold() in _HEADERS for cell in cells):
            continue  # the column names
        name = next((t for t in cells if any(c.isalpha() for c in t)), "")
        if not name or name in names:
            continue
        names.append(name[:MAX_NAME])
        if len(names) > MAX_UNITS:
            raise ExpectedListError(
                P.EXPECTED_UNREADABLE(field=filename, reason=f"hơn {MAX_UNITS} tên")
            )
    if not names:
        raise ExpectedListError(P.EXPECTED_EMPTY(field=filename))
    return names
