"""Read a list of officials as agencies export it from Excel, or as a person pastes it.

Accepts CSV (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1258; separated by
``,`` ``;`` or tab), XLSX (the first sheet that has a header row) and pasted text (one
official per line). The header row may sit anywhere in the first rows, under a title;
headers are matched without regard to case or diacritics. All text comes out NFC with
whitespace collapsed. Nothing here imports streamlit or sqlite; XLSX needs openpyxl.

A person's mistake never gives a traceback: ``OfficialsFileError`` carries a Vietnamese
sentence saying what is wrong and how to fix it; doubtful points become warnings.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from tinnhiem.model import Official

MAX_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 12
EXPECTED_HEADERS = "“STT”, “Họ và tên” (hoặc “Họ tên”, “Tên”), “Chức vụ” (hoặc “Chức danh”)"
_SEPARATORS = ("\t", ";", ",")
_FORMULA_SIGNS = ("=", "+", "-", "@")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]+|[A-Z])[.)]?$")
_BULLET = re.compile(r"^(?:[-•*+–]\s+|\d{1,3}\s*[.)/]\s*)")
_YES = {"x", "co", "mien", "1", "yes", "true"}
_NO = {"", "khong", "0", "no", "false"}
GENERIC_EXEMPTION = "Miễn lấy phiếu (không ghi lý do)"


class OfficialsFileError(ValueError):
    """Raised when a list of officials cannot be read; ``str()`` tells the user how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OfficialsList:
    """The officials read, in ballot order, and what the reader should double-check."""

    officials: tuple[Official, ...]
    warnings: tuple[str, ...] = ()
    source: str = ""  # how the input was read, e.g. "CSV, UTF-8 có BOM, phân cách “;”"


def clean(text: object) -> str:
    """A cell as text: NFC, no zero-width characters, whitespace trimmed and collapsed."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    value = unicodedata.normalize("NFC", str(text))
    value = value.replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", value).strip()


def fold(text: str) -> str:
    """Lower case without diacritics or punctuation, for matching headers and names."""
    decomposed = unicodedata.normalize("NFD", clean(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", plain)).strip()


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


def _formula_warning(where: str, text: str) -> str | None:
    if text.startswith(_FORMULA_SIGNS):
        return (
            f"{where}: ô “{text}” bắt đầu bằng “{text[0]}” (giống công thức Excel); "
            "đã giữ nguyên văn bản — kiểm tra lại."
        )
    return None


def officials_from_rows(rows: list[list[object]], source: str = "") -> OfficialsList:
    """The officials of a table whose header row is among its first rows.

    Raises OfficialsFileError when no header is found, a listed row has no name, or no
    official is listed. Rows are numbered as the spreadsheet shows them (from 1).
    """
    table = [[clean(cell) for cell in row] for row in rows]
    found = _find_header(table)
    if found is None:
        raise OfficialsFileError(
            f"Không tìm thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu. Cần một dòng có "
            f"các cột {EXPECTED_HEADERS}; cột “Miễn” hoặc “Lý do miễn” nếu có. Thêm dòng tiêu "
            "đề đó phía trên danh sách rồi nhập lại."
        )
    header_index, roles = found
    warnings: list[str] = []
    exempt_column = roles.get("exempt", roles.get("note"))
    if "exempt" not in roles and "note" in roles:
        warnings.append(
            "Cột “Ghi chú” được hiểu là lý do miễn lấy phiếu: người có ghi chú sẽ không có "
            "tên trên phiếu. Kiểm tra lại cột “Miễn lấy phiếu” sau khi nhập."
        )
    listed: list[tuple[int | None, int, Official]] = []
    for line, row in enumerate(table[header_index + 1 :], start=header_index + 2):

        def cell(role: str, row: list[str] = row) -> str:
            column = roles.get(role, -1) if role != "exempt" else exempt_column
            return row[column] if column is not None and 0 <= column < len(row) else ""

        if not any(row):
            continue
        name, number_text = clean(f"{cell('surname')} {cell('name')}"), cell("number")
        if not name:
            if number_text and _number(number_text) is None and not cell("position"):
                warnings.append(f"Dòng {line}: bỏ qua dòng “{number_text}” (không có họ tên).")
                continue
            raise OfficialsFileError(
                f"Dòng {line}: thiếu họ tên (STT “{number_text}”, chức vụ “{cell('position')}”). "
                "Điền họ tên hoặc xóa dòng đó trong tệp rồi nhập lại."
            )
        if _ROMAN_OR_LETTER.match(number_text) and not cell("position"):
            warnings.append(f"Dòng {line}: bỏ qua dòng nhóm “{number_text} {name}”.")
            continue
        for text in (name, cell("position"), cell("exempt")):
            warning = _formula_warning(f"Dòng {line}", text)
            if warning:
                warnings.append(warning)
        official = Official(name, cell("position"), _exempt_reason(cell("exempt")))
        listed.append((_number(number_text), line, official))
    if not listed:
        raise OfficialsFileError(
            "Danh sách trống: có dòng tiêu đề nhưng không có người nào bên dưới. Thêm ít nhất "
            "một người (mỗi người một dòng) rồi nhập lại."
        )
    officials = _in_order(listed, "number" in roles, warnings)
    warnings.extend(duplicate_warnings(officials))
    return OfficialsList(tuple(officials), tuple(warnings), source)


def _in_order(
    listed: list[tuple[int | None, int, Official]], has_numbers: bool, warnings: list[str]
) -> list[Official]:
    """Sorted by STT when every row has one, else in file order (with a warning)."""
    if not has_numbers:
        return [official for _, _, official in listed]
    missing = [line for number, line, _ in listed if number is None]
    if missing:
        warnings.append(
            f"Cột STT trống hoặc không phải số ở dòng {', '.join(map(str, missing[:5]))}; "
            "giữ thứ tự như trong tệp."
        )
        return [official for _, _, official in listed]
    numbers = [number for number, _, _ in listed]
    if len(set(numbers)) != len(numbers):
        warnings.append("Cột STT có số trùng nhau; người cùng STT giữ thứ tự như trong tệp.")
    if numbers != sorted(numbers):
        warnings.append("Danh sách đã được sắp xếp lại theo cột STT.")
    return [official for _, _, official in sorted(listed, key=lambda item: (item[0], item[1]))]


def duplicate_warnings(officials: list[Official]) -> list[str]:
    """A warning for each name seen before (compared without case or diacritics)."""
    seen: dict[str, int] = {}
    warnings = []
    for position, official in enumerate(officials, start=1):
        key = fold(official.name)
        if key in seen:
            warnings.append(
                f"Trùng họ tên: “{official.name}” ở vị trí {seen[key]} và {position}. Nếu là "
                "hai người khác nhau, ghi rõ chức vụ để phân biệt; nếu không, xóa một dòng."
            )
        else:
            seen[key] = position
    return warnings


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding (BOM first, then UTF-8, cp1258)."""
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 có BOM"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError:
                break
    sample = data[:4000]
    if sample and sample.count(0) * 3 > len(sample):
        # UTF-16 saved without a BOM: the NUL half of each ASCII letter tells the order.
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec), codec.upper()
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        raise OfficialsFileError(
            "Không đọc được bảng mã của tệp. Trong Excel chọn Lưu thành… “CSV UTF-8 "
            "(Comma delimited)” hoặc lưu dạng .xlsx rồi nhập lại."
        ) from None


def _split(text: str, separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=separator))


def _best_table(text: str) -> tuple[list[list[str]], str] | None:
    """The rows under the separator whose header names the most roles, if any has one."""
    best: tuple[int, list[list[str]], str] | None = None
    for separator in _SEPARATORS:
        rows = _split(text, separator)
        found = _find_header([[clean(c) for c in row] for row in rows])
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


def read_xlsx(data: bytes) -> OfficialsList:
    """The officials of the first sheet of an XLSX workbook that has a header row."""
    _check_size(data)
    import openpyxl  # only here: the rest of the module is standard library

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # a corrupt zip or not a workbook at all
        raise OfficialsFileError(
            "Không mở được tệp Excel (.xlsx): tệp hỏng hoặc không phải bảng tính. Mở tệp "
            "trong Excel, lưu lại dạng .xlsx hoặc CSV UTF-8 rồi nhập lại."
        ) from error
    for number, sheet in enumerate(values.worksheets):
        raw = formulas.worksheets[number]
        rows = []
        for row_values, row_raw in zip(
            sheet.iter_rows(values_only=True), raw.iter_rows(values_only=True), strict=False
        ):
            # A formula without a cached value (never opened in Excel): keep its text.
            rows.append(
                [
                    raw_cell if value is None and raw_cell is not None else value
                    for value, raw_cell in zip(row_values, row_raw, strict=False)
                ]
            )
        if _find_header([[clean(c) for c in row] for row in rows]) is None:
            continue
        result = officials_from_rows(rows, f"XLSX, trang “{sheet.title}”")
        if number:
            note = f"Đã dùng trang tính “{sheet.title}” (các trang trước không có dòng tiêu đề)."
            return OfficialsList(result.officials, (note, *result.warnings), result.source)
        return result
    raise OfficialsFileError(
        f"Không trang tính nào có dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu. Cần các "
        f"cột {EXPECTED_HEADERS}. Thêm dòng tiêu đề đó phía trên danh sách rồi nhập lại."
    )


def read_officials(data: bytes, filename: str = "") -> OfficialsList:
    """The officials of an uploaded file: XLSX by content or name, else CSV text."""
    _check_size(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise OfficialsFileError(
            "Tệp Excel kiểu cũ (.xls) chưa được hỗ trợ. Trong Excel chọn Lưu thành… “Excel "
            "Workbook (.xlsx)” hoặc “CSV UTF-8” rồi nhập lại."
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    return read_csv(data)


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
    warnings: list[str] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        name, position = _split_line(line)
        if not name and not position:
            continue
        if not name:
            raise OfficialsFileError(
                f"Dòng {line_no}: thiếu họ tên (“{clean(line)}”). Mỗi dòng ghi “Họ tên; Chức "
                "vụ” hoặc “Họ tên - Chức vụ”; sửa hoặc xóa dòng đó."
            )
        for value in (name, position):
            warning = _formula_warning(f"Dòng {line_no}", value)
            if warning:
                warnings.append(warning)
        listed.append((None, line_no, Official(name, position)))
    if not listed:
        raise OfficialsFileError(
            "Chưa có ai trong văn bản dán. Dán mỗi người một dòng, dạng “Họ tên; Chức vụ” "
            "hoặc “Họ tên - Chức vụ”."
        )
    officials = [official for _, _, official in listed]
    warnings.extend(duplicate_warnings(officials))
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
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB; tối đa 2 MB). Danh sách người được "
            "lấy phiếu chỉ cần các cột STT, Họ và tên, Chức vụ: xóa các trang tính và cột "
            "khác rồi nhập lại."
        )
