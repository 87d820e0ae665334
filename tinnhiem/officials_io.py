"""Read a list of officials as agencies export it from Excel, or as a person pastes it.

Accepts CSV (UTF-8 with or without BOM, UTF-16, Windows-1258; separated by ``,`` ``;`` or
tab), XLSX and ODS (the first sheet that has a header row, then later sheets that have one
too), HTML tables (what much government software saves as ".xls") and pasted text (one
official per line). The header row may sit anywhere in the first rows, under a title, and
"Họ và tên" may be merged over "Họ đệm | Tên". Headers are matched without regard to case
or diacritics. Text typed in the legacy encodings TCVN3 and VNI is converted to Unicode;
all text comes out NFC, without invisible or control characters, whitespace collapsed.
Rows hidden in the workbook and "Tổng cộng" rows are left out with a warning.

A person's mistake never gives a traceback: ``OfficialsFileError`` carries a registered
problem (tinnhiem.problems, codes L…) saying what is wrong and how to fix it; doubtful
points become warnings (codes W…), ``OfficialsList.warnings`` their sentences.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tinnhiem import limits, spreadsheets
from tinnhiem import problems as P
from tinnhiem.cell_text import clean, fold, unicode_table
from tinnhiem.cell_text import decode as _decode
from tinnhiem.model import Official
from tinnhiem.problems import PollError, Problem

MAX_BYTES = limits.MAX_LIST_MB * 1024 * 1024
HEADER_SEARCH_ROWS = 12
EXPECTED_HEADERS = "“STT”, “Họ và tên” (hoặc “Họ tên”, “Tên”), “Chức vụ” (hoặc “Chức danh”)"
_SEPARATORS = ("\t", ";", ",")
_FORMULA_SIGNS = ("=", "+", "-", "@")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]+|[A-Z])[.)]?$")
_BULLET = re.compile(r"^(?:[-•*+–]\s+|\d{1,3}\s*[.)/]\s*)")
_YES = {"x", "co", "mien", "1", "yes", "true"}
_NO = {"", "khong", "0", "no", "false"}
_TOTAL_ROW = re.compile(r"^(?:tong cong|tong so|cong|tong)\b")
GENERIC_EXEMPTION = "Miễn lấy phiếu (không ghi lý do)"
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word (.docx)", "image": "ảnh"}


class OfficialsFileError(ValueError):
    """Raised when a list of officials cannot be read; ``str()`` tells the user how to fix it."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
        self.message = problem.message


@dataclass(frozen=True)
class OfficialsList:
    """The officials read, in ballot order, and what the reader should double-check."""

    officials: tuple[Official, ...]
    problems: tuple[Problem, ...] = ()  # warnings (codes W…), in the order found
    source: str = ""  # how the input was read, e.g. "CSV, UTF-8 có BOM, phân cách “;”"

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings' sentences, as the setup page shows them."""
        return tuple(problem.message for problem in self.problems)


def _column_role(header: str) -> str | None:
    key = fold(header)
    if key in {"stt", "tt", "so tt", "so thu tu", "thu tu"}:
        return "number"
    if key in {"ten", "ho ten", "ho va ten"} or key.startswith(("ho va ten ", "ho ten ")):
        return "name"
    if key in {"ho", "ho dem", "ho va dem", "ho va ten dem", "ho lot", "ho va chu lot"}:
        return "surname"  # lists that split "Họ đệm" | "Tên" into two columns
    if key.startswith(("chuc vu", "chuc danh")):
        return "position"
    if key.startswith(("mien", "ly do mien")):
        return "exempt"
    if key == "ghi chu":
        return "note"
    return None


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The index of the header row and the column of each role, or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles: dict[str, int] = {}
        for column, cell in enumerate(row):
            role = _column_role(cell)
            if role and role not in roles:
                roles[role] = column
        if "name" in roles:
            return index, roles
    return None


def _number(text: str) -> int | None:
    match = re.fullmatch(r"0*(\d{1,6})\.?", text)
    return int(match.group(1)) if match else None


def _exempt_reason(text: str) -> str | None:
    """The reason in a "Miễn" cell: empty or "không" → None, "x" or "có" → a generic one."""
    key = fold(text)
    if key in _NO:
        return None
    if key in _YES:
        return GENERIC_EXEMPTION
    return text


def _formula_warning(where: str, text: str) -> Problem | None:
    if text.startswith(_FORMULA_SIGNS):
        return P.LIKE_A_FORMULA(where=where, text=text, sign=text[0])
    return None


def _sub_header(row: list[str], roles: dict[str, int]) -> dict[str, int] | None:
    """The roles a second header row gives ("Họ đệm" | "Tên" under a merged "Họ và tên")."""
    found = {_column_role(cell): column for column, cell in enumerate(row) if cell}
    if "surname" in found and "name" in found and set(found) <= {"surname", "name", None}:
        return {**roles, "surname": found["surname"], "name": found["name"]}
    return None


def officials_from_rows(
    rows: Sequence[Sequence[object]], source: str = "", hidden: frozenset[int] = frozenset()
) -> OfficialsList:
    """The officials of a table whose header row is among its first rows.

    Raises OfficialsFileError when no header is found, a listed row has no name, or no
    official is listed. Rows are numbered as the spreadsheet shows them (from 1); those in
    ``hidden`` (hidden in the workbook) are left out with a warning.
    """
    table, warnings = unicode_table(rows)
    found = _find_header(table)
    if found is None:
        raise OfficialsFileError(P.NO_HEADER(rows=HEADER_SEARCH_ROWS, expected=EXPECTED_HEADERS))
    header_index, roles = found
    first = header_index + 1
    if first < len(table) and (merged := _sub_header(table[first], roles)):
        surname, name = table[first][merged["surname"]], table[first][merged["name"]]
        warnings.append(P.MERGED_HEADER(surname=surname, name=name))
        roles, first = merged, first + 1
    exempt_column = roles.get("exempt", roles.get("note"))
    if "exempt" not in roles and "note" in roles:
        warnings.append(P.NOTE_AS_EXEMPT())
    listed: list[tuple[int | None, int, Official]] = []
    skipped_hidden = []
    for line, row in enumerate(table[first:], start=first + 1):

        def cell(role: str, row: list[str] = row) -> str:
            column = roles.get(role, -1) if role != "exempt" else exempt_column
            return row[column] if column is not None and 0 <= column < len(row) else ""

        if not any(row):
            continue
        if line in hidden:
            skipped_hidden.append(str(line))
            continue
        name, number_text = clean(f"{cell('surname')} {cell('name')}"), cell("number")
        leading = next(c for c in row if c)
        if _TOTAL_ROW.match(fold(leading)) and _number(number_text) is None:
            warnings.append(P.TOTAL_ROW(line=line, text=" ".join(c for c in row if c)))
            continue
        if not name:
            if number_text and _number(number_text) is None and not cell("position"):
                warnings.append(P.SKIPPED_WITHOUT_NAME(line=line, text=number_text))
                continue
            raise OfficialsFileError(
                P.LISTED_WITHOUT_NAME(line=line, number=number_text, position=cell("position"))
            )
        if _ROMAN_OR_LETTER.match(number_text) and not cell("position"):
            warnings.append(P.GROUP_ROW(line=line, text=f"{number_text} {name}"))
            continue
        for text in (name, cell("position"), cell("exempt")):
            warning = _formula_warning(f"Dòng {line}", text)
            if warning:
                warnings.append(warning)
        official = Official(name, cell("position"), _exempt_reason(cell("exempt")))
        listed.append((_number(number_text), line, official))
    if skipped_hidden:
        title = source.rsplit("“", 1)[-1].rstrip("”") if "“" in source else "1"
        warnings.append(P.HIDDEN_ROWS(title=title, lines=", ".join(skipped_hidden[:10])))
    if not listed:
        raise OfficialsFileError(P.LIST_EMPTY())
    officials = _in_order(listed, "number" in roles, warnings)
    warnings.extend(_duplicates(officials))
    return OfficialsList(tuple(officials), tuple(warnings), source)


def _in_order(
    listed: list[tuple[int | None, int, Official]], has_numbers: bool, warnings: list[Problem]
) -> list[Official]:
    """Sorted by STT when every row has one, else in file order (with a warning)."""
    if not has_numbers:
        return [official for _, _, official in listed]
    numbered = [(number, line, official) for number, line, official in listed if number is not None]
    if len(numbered) < len(listed):
        missing = [line for number, line, _ in listed if number is None]
        warnings.append(P.STT_MISSING(lines=", ".join(map(str, missing[:5]))))
        return [official for _, _, official in listed]
    numbers = [number for number, _, _ in numbered]
    if len(set(numbers)) != len(numbers):
        warnings.append(P.STT_TWICE())
    if numbers != sorted(numbers):
        warnings.append(P.RESORTED())
    return [official for _, _, official in sorted(numbered, key=lambda item: (item[0], item[1]))]


def duplicate_warnings(officials: list[Official]) -> list[str]:
    """A warning for each name seen before (compared without case or diacritics)."""
    return [problem.message for problem in _duplicates(officials)]


def _duplicates(officials: list[Official]) -> list[Problem]:
    seen: dict[str, int] = {}
    warnings = []
    for position, official in enumerate(officials, start=1):
        key = fold(official.name)
        if key in seen:
            warnings.append(P.SAME_NAME(name=official.name, first=seen[key], second=position))
        else:
            seen[key] = position
    return warnings


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV or HTML file and the name of its encoding (see cell_text.decode)."""
    try:
        return _decode(data)
    except PollError as error:
        raise OfficialsFileError(error.problem) from None


def _split(text: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def _best_table(text: str) -> tuple[list[list[str]], str] | None:
    """The rows under the separator whose header names the most roles, if any has one."""
    best: tuple[int, list[list[str]], str] | None = None
    for separator in _SEPARATORS:
        rows = _split(text, separator)
        found = _find_header(unicode_table(rows)[0])
        if found and (best is None or len(found[1]) > best[0]):
            best = (len(found[1]), rows, separator)
    return (best[1], best[2]) if best else None


_SEPARATOR_NAMES = {"\t": "tab", ";": "“;”", ",": "“,”"}


def read_csv(data: bytes) -> OfficialsList:
    """The officials of a CSV file; see the module docstring for what is accepted."""
    _check_size(data)
    text, encoding = decode(data)
    text = unicodedata.normalize("NFC", text)
    table = _best_table(text)
    if table is None:
        return officials_from_rows(_split(text, ","), f"CSV, {encoding}")
    rows, separator = table
    return officials_from_rows(rows, f"CSV, {encoding}, phân cách {_SEPARATOR_NAMES[separator]}")


def _read_sheets(sheets: list[spreadsheets.Sheet], kind: str) -> OfficialsList:
    """The officials of the first sheet with a header row, and of later sheets with one.

    A later sheet with rows but no header is named in a warning (it is not read).
    """
    headed = [_find_header(unicode_table(s.rows)[0]) is not None for s in sheets]
    if not any(headed):
        raise OfficialsFileError(
            P.NO_SHEET_HEADER(rows=HEADER_SEARCH_ROWS, expected=EXPECTED_HEADERS)
        )
    start = headed.index(True)
    first = sheets[start]
    result = officials_from_rows(first.rows, f"{kind}, trang “{first.title}”", first.hidden)
    officials, warnings = list(result.officials), list(result.problems)
    if start:
        warnings.insert(0, P.LATER_SHEET(title=first.title))
    for sheet, has_header in zip(sheets[start + 1 :], headed[start + 1 :], strict=True):
        if has_header:
            more = officials_from_rows(sheet.rows, f"{kind}, trang “{sheet.title}”", sheet.hidden)
            officials.extend(more.officials)
            warnings.append(P.MORE_SHEETS(title=sheet.title, count=len(more.officials)))
            warnings.extend(w for w in more.problems if w not in warnings)
        elif any(any(clean(c) for c in row) for row in sheet.rows):
            warnings.append(P.SHEET_NOT_READ(title=sheet.title, first=first.title))
    if len(officials) > len(result.officials):
        warnings.extend(w for w in _duplicates(officials) if w not in warnings)
    return OfficialsList(tuple(officials), tuple(warnings), result.source)


def read_xlsx(data: bytes) -> OfficialsList:
    """The officials of an XLSX workbook (see ``_read_sheets``)."""
    _check_size(data)
    try:
        sheets = spreadsheets.xlsx_sheets(data)
    except Exception as error:  # a corrupt zip or not a workbook at all
        raise OfficialsFileError(P.BROKEN_WORKBOOK(format="Excel (.xlsx)")) from error
    return _read_sheets(sheets, "XLSX")


def read_ods(data: bytes) -> OfficialsList:
    """The officials of an OpenDocument spreadsheet (LibreOffice, WPS Office)."""
    _check_size(data)
    try:
        sheets = spreadsheets.ods_sheets(data)
    except Exception as error:  # not a zip, no content.xml, broken XML
        raise OfficialsFileError(P.BROKEN_WORKBOOK(format="LibreOffice (.ods)")) from error
    return _read_sheets(sheets, "ODS")


def read_html(data: bytes) -> OfficialsList:
    """The officials of an HTML page's tables (often saved by other programs as ".xls")."""
    _check_size(data)
    text, encoding = decode(data)
    sheets = spreadsheets.html_sheets(text)
    if not sheets:
        raise OfficialsFileError(P.NO_HEADER(rows=HEADER_SEARCH_ROWS, expected=EXPECTED_HEADERS))
    result = _read_sheets(sheets, f"bảng HTML, {encoding}")
    return result


def read_officials(data: bytes, filename: str = "") -> OfficialsList:
    """The officials of an uploaded file, by its content: XLSX, ODS, HTML, else CSV text.

    Old binary Excel files (.xls) and documents (PDF, Word, pictures) are refused.
    """
    _check_size(data)
    kind = spreadsheets.file_format(data, filename)
    if kind == "xls":
        raise OfficialsFileError(P.OLD_EXCEL())
    if kind in _FORMAT_NAMES:
        raise OfficialsFileError(
            P.NOT_A_LIST(format=_FORMAT_NAMES[kind], expected=EXPECTED_HEADERS)
        )
    readers = {"xlsx": read_xlsx, "ods": read_ods, "html": read_html}
    return readers.get(kind, read_csv)(data)


def parse_pasted(text: str) -> OfficialsList:
    """The officials of pasted text: a table with a header, or one official per line.

    A line is "Họ tên<tab, ; or ,>Chức vụ" or "Họ tên - Chức vụ"; a leading list bullet
    or number ("1.", "- ") is dropped, and a first column of numbers is taken as STT.
    """
    text = unicodedata.normalize("NFC", text or "")
    _check_size(text.encode("utf-8"))
    table = _best_table(text)
    if table is not None:
        return officials_from_rows(table[0], "văn bản dán (có dòng tiêu đề)")
    listed: list[tuple[int | None, int, Official]] = []
    warnings: list[Problem] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        name, position = _split_line(line)
        if not name and not position:
            continue
        if not name:
            raise OfficialsFileError(P.PASTED_WITHOUT_NAME(line=line_no, text=clean(line)))
        for value in (name, position):
            warning = _formula_warning(f"Dòng {line_no}", value)
            if warning:
                warnings.append(warning)
        listed.append((None, line_no, Official(name, position)))
    if not listed:
        raise OfficialsFileError(P.NOTHING_PASTED())
    officials = [official for _, _, official in listed]
    warnings.extend(_duplicates(officials))
    return OfficialsList(tuple(officials), tuple(warnings), "văn bản dán")


def _split_line(line: str) -> tuple[str, str]:
    """Name and position of one pasted line."""
    line = _BULLET.sub("", line.strip())
    for separator, joiner in (("\t", " "), (";", "; "), (",", ", ")):
        if separator in line:
            cells = [clean(c) for c in line.split(separator)]
            if _number(cells[0]) is not None:
                cells = cells[1:]  # a pasted STT column
            return cells[0], joiner.join(c for c in cells[1:] if c)
    match = re.match(r"^(.*?)\s+[-–—]\s+(.*)$", clean(line))
    if match:
        return clean(match.group(1)), clean(match.group(2))
    return clean(line), ""


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise OfficialsFileError(
            P.LIST_TOO_LARGE(size=len(data) / 1024 / 1024, limit=limits.MAX_LIST_MB)
        )
