"""Reading officials lists as agencies export them from Excel, and as people paste them."""

from __future__ import annotations

import codecs
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from tinnhiem.model import Official
from tinnhiem.officials_io import (
    GENERIC_EXEMPTION,
    MAX_BYTES,
    OfficialsFileError,
    clean,
    decode,
    parse_pasted,
    read_csv,
    read_officials,
    read_xlsx,
)

EXPECTED = (
    Official("Nguyễn Văn An", "Chủ tịch HĐND tỉnh"),
    Official("Trần Thị Bích Ngọc", "Phó Chủ tịch HĐND tỉnh"),
    Official("Đỗ Văn Thắng", "Ủy viên UBND tỉnh, Giám đốc Sở Tài nguyên và Môi trường"),
)

TITLE = "DANH SÁCH NGƯỜI ĐƯỢC LẤY PHIẾU TÍN NHIỆM"
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def csv_text(separator: str) -> str:
    """The EXPECTED list as a CSV export with a title, a blank row and the header on row 3."""
    quote = '"' if separator == "," else ""
    lines = [TITLE, "", separator.join(["STT", "Họ và tên", "Chức vụ"])]
    for number, official in enumerate(EXPECTED, start=1):
        position = f"{quote}{official.position}{quote}"
        lines.append(separator.join([str(number), official.name, position]))
    return "\r\n".join(lines) + "\r\n"


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: precomposed base letter + combining tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def xlsx_bytes(rows: list[list[object]], sheets_before: int = 0) -> bytes:
    """A workbook whose last sheet holds ``rows``, after ``sheets_before`` sheets of notes."""
    book = openpyxl.Workbook()
    first = book.active
    for number in range(sheets_before):
        sheet = first if number == 0 else book.create_sheet()
        sheet.title = f"Ghi chú {number + 1}"
        sheet.append(["Tài liệu kỳ họp"])
    sheet = book.create_sheet("Danh sách") if sheets_before else first
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (csv_text(",").encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + csv_text(",").encode("utf-8"), "UTF-8 có BOM"),
        (csv_text(",").encode("utf-16"), "UTF-16"),
        (codecs.BOM_UTF16_LE + csv_text(",").encode("utf-16-le"), "UTF-16 LE"),
        (codecs.BOM_UTF16_BE + csv_text(",").encode("utf-16-be"), "UTF-16 BE"),
        (csv_text(",").encode("utf-16-le"), "UTF-16-LE"),
        (cp1258_bytes(csv_text(",")), "Windows-1258"),
    ],
)
def test_every_encoding_reads_the_same_list(encoded: bytes, label: str) -> None:
    """UTF-8 with or without BOM, UTF-16 LE/BE and Windows-1258 all give the same officials."""
    result = read_officials(encoded, "danh-sach.csv")
    assert result.officials == EXPECTED
    assert label in result.source
    assert result.warnings == ()


def test_cp1258_combining_tones_come_out_nfc() -> None:
    """Windows-1258's base letter + combining tone mark is normalized to NFC."""
    data = cp1258_bytes("Họ và tên;Chức vụ\nNguyễn Thị Tuyết;Phó Trưởng ban\n")
    assert "\u0303".encode("cp1258") in data  # the tone really is a separate mark
    _, label = decode(data)
    assert label == "Windows-1258"
    official = read_csv(data).officials[0]
    assert official.name == "Nguyễn Thị Tuyết"
    assert unicodedata.is_normalized("NFC", official.name + official.position)


@pytest.mark.parametrize(("separator", "name"), [(";", "“;”"), ("\t", "tab"), (",", "“,”")])
def test_separator_is_sniffed(separator: str, name: str) -> None:
    """Semicolon, tab and comma files are told apart; commas inside a position survive."""
    result = read_csv(csv_text(separator).encode("utf-8"))
    assert result.officials == EXPECTED
    assert result.source.endswith(name)


def test_header_on_row_three_under_a_title() -> None:
    """A title and a blank row above the header are skipped."""
    rows = read_csv(csv_text(";").encode("utf-8"))
    assert rows.officials[0].name == "Nguyễn Văn An"


def test_headers_match_without_case_or_diacritics() -> None:
    """ "HO TEN", "chuc danh" and "So TT" are recognized like "Họ và tên", "Chức vụ", "STT"."""
    data = "So TT;HO TEN;chuc danh\n1;Lê Văn Tám;Chánh Văn phòng\n".encode()
    assert read_csv(data).officials == (Official("Lê Văn Tám", "Chánh Văn phòng"),)


def test_split_surname_and_given_name_columns_are_joined() -> None:
    """A list with "Họ và đệm" and "Tên" in two columns gives the full name."""
    data = "STT;Họ và đệm;Tên;Chức vụ\n1;Nguyễn Thị;Lan;Phó Chủ tịch\n".encode()
    assert read_csv(data).officials == (Official("Nguyễn Thị Lan", "Phó Chủ tịch"),)


def test_sorted_by_stt_with_a_warning() -> None:
    """Rows are put in STT order and the reader is told the order changed."""
    data = "STT;Tên;Chức vụ\n2;B;Phó\n1;A;Trưởng\n10;C;Ủy viên\n".encode()
    result = read_csv(data)
    assert [o.name for o in result.officials] == ["A", "B", "C"]
    assert any("sắp xếp lại theo cột STT" in w for w in result.warnings)


def test_missing_stt_keeps_file_order() -> None:
    """When some STT cells are empty, the file order is kept and the rows are named."""
    data = "STT;Tên\n2;B\n;A\n".encode()
    result = read_csv(data)
    assert [o.name for o in result.officials] == ["B", "A"]
    assert any("dòng 3" in w for w in result.warnings)


def test_whitespace_collapsed_and_nfd_made_nfc() -> None:
    """Decomposed input and stray spaces (including no-break spaces) come out clean NFC."""
    name = unicodedata.normalize("NFD", "  Nguyễn\u00a0 Văn   An ")
    data = f"Họ và tên,Chức vụ\n{name}, Chủ tịch  \n".encode()
    official = read_csv(data).officials[0]
    assert official == Official("Nguyễn Văn An", "Chủ tịch")
    assert clean(unicodedata.normalize("NFD", "Đức")) == "Đức"


def test_exemption_column() -> None:
    """A "Lý do miễn" cell becomes the exemption; "x" in a "Miễn" column a generic one."""
    data = "STT;Họ tên;Chức vụ;Lý do miễn\n1;A;Trưởng;Đã có thông báo nghỉ hưu\n2;B;Phó;\n"
    result = read_csv(data.encode())
    assert result.officials[0].exempt_reason == "Đã có thông báo nghỉ hưu"
    assert result.officials[1].exempt_reason is None
    marked = read_csv("Họ tên;Miễn\nA;x\nB;không\n".encode())
    assert [o.exempt_reason for o in marked.officials] == [GENERIC_EXEMPTION, None]


def test_note_column_is_an_exemption_with_a_warning() -> None:
    """A "Ghi chú" column counts as the exemption reason, and the reader is warned."""
    result = read_csv("Họ tên;Ghi chú\nA;Nghỉ hưu từ 1/1\nB;\n".encode())
    assert result.officials[0].exempt_reason == "Nghỉ hưu từ 1/1"
    assert any("Ghi chú" in w for w in result.warnings)


def test_missing_header_names_the_expected_headers() -> None:
    """Without a header row the error says which headers are expected."""
    with pytest.raises(OfficialsFileError, match=r"Không tìm thấy dòng tiêu đề.*Họ và tên"):
        read_csv("1;Nguyễn Văn An;Chủ tịch\n".encode())


def test_header_without_rows_is_an_empty_list() -> None:
    """A header with nobody under it is refused as an empty list."""
    with pytest.raises(OfficialsFileError, match="Danh sách trống"):
        read_csv("STT;Họ và tên;Chức vụ\n;;\n".encode())


def test_empty_paste_is_refused() -> None:
    """Pasting nothing says how to paste."""
    with pytest.raises(OfficialsFileError, match="Chưa có ai"):
        parse_pasted("  \n\n")


def test_row_without_a_name_is_refused_with_its_line() -> None:
    """A row with an STT and a position but no name names its spreadsheet row."""
    with pytest.raises(OfficialsFileError, match="Dòng 3: thiếu họ tên"):
        read_csv("STT;Họ tên;Chức vụ\n1;A;Trưởng\n2;;Phó\n".encode())


def test_group_and_footer_rows_are_skipped_with_warnings() -> None:
    """Roman-numbered group rows and a footer without a name are skipped, not refused."""
    data = "STT;Họ tên;Chức vụ\nI;THƯỜNG TRỰC HĐND;\n1;A;Chủ tịch\nTổng cộng: 1 người;;\n"
    result = read_csv(data.encode())
    assert result.officials == (Official("A", "Chủ tịch"),)
    assert len(result.warnings) == 2


def test_too_large_is_refused() -> None:
    """A file over 2 MB is refused before it is read."""
    with pytest.raises(OfficialsFileError, match=r"quá lớn.*tối đa 2 MB"):
        read_officials(b"a" * (MAX_BYTES + 1), "x.csv")


def test_duplicate_names_warn() -> None:
    """The same name twice (even spelled without diacritics) is a warning, not an error."""
    result = read_csv("Họ tên;Chức vụ\nNguyễn Văn An;Trưởng\nNGUYEN VAN AN;Phó\n".encode())
    assert len(result.officials) == 2
    assert any("Trùng họ tên" in w and "vị trí 1 và 2" in w for w in result.warnings)


def test_formula_like_cells_are_kept_with_a_warning() -> None:
    """Cells starting with = + - @ keep their text and raise a warning."""
    result = read_csv("Họ tên;Chức vụ\n=HYPERLINK(1);@Phó\n".encode())
    assert result.officials == (Official("=HYPERLINK(1)", "@Phó"),)
    assert len(result.warnings) == 2
    assert "giống công thức Excel" in result.warnings[0]


def test_xlsx_header_on_row_three() -> None:
    """An XLSX export with a title above the header reads like the CSV."""
    rows = [[TITLE], [], ["STT", "Họ và tên", "Chức vụ"]]
    rows += [[n, o.name, o.position] for n, o in enumerate(EXPECTED, start=1)]
    result = read_officials(xlsx_bytes(rows), "ds.xlsx")
    assert result.officials == EXPECTED
    assert result.source == "XLSX, trang “Sheet”"


def test_xlsx_uses_the_sheet_with_the_header() -> None:
    """When the first sheet has no header, the first sheet that has one is used and named."""
    rows = [["Họ tên", "Chức danh"], ["Lê Văn Tám", "Chánh Văn phòng"]]
    result = read_xlsx(xlsx_bytes(rows, sheets_before=2))
    assert result.officials == (Official("Lê Văn Tám", "Chánh Văn phòng"),)
    assert "Danh sách" in result.warnings[0]


def test_xlsx_formula_without_cached_value_keeps_its_text() -> None:
    """A formula cell never calculated by Excel keeps its formula text, with a warning."""
    rows = [["Họ tên", "Chức vụ"], ["A", '=CONCAT("Phó ","Chủ tịch")']]
    result = read_xlsx(xlsx_bytes(rows))
    assert result.officials[0].position == '=CONCAT("Phó ","Chủ tịch")'
    assert "công thức" in result.warnings[0]


def test_xlsx_without_header_and_corrupt_files() -> None:
    """A workbook with no header row, an old .xls and a broken .xlsx each get a message."""
    with pytest.raises(OfficialsFileError, match="Không trang tính nào có dòng tiêu đề"):
        read_xlsx(xlsx_bytes([["1", "A"]]))
    with pytest.raises(OfficialsFileError, match=r"kiểu cũ \(\.xls\)"):
        read_officials(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "ds.xls")
    with pytest.raises(OfficialsFileError, match="Không mở được tệp Excel"):
        read_officials(b"PK\x03\x04broken", "ds.xlsx")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nguyễn Văn An\tChủ tịch", Official("Nguyễn Văn An", "Chủ tịch")),
        ("Nguyễn Văn An; Chủ tịch", Official("Nguyễn Văn An", "Chủ tịch")),
        ("Nguyễn Văn An, Ủy viên, Giám đốc Sở", Official("Nguyễn Văn An", "Ủy viên, Giám đốc Sở")),
        (
            "Nguyễn Văn An - Trưởng Ban Kinh tế - Ngân sách",
            Official("Nguyễn Văn An", "Trưởng Ban Kinh tế - Ngân sách"),
        ),
        ("1. Nguyễn Văn An – Chủ tịch", Official("Nguyễn Văn An", "Chủ tịch")),
        ("3\tNguyễn Văn An\tChủ tịch", Official("Nguyễn Văn An", "Chủ tịch")),
        ("Nguyễn Văn An", Official("Nguyễn Văn An", "")),
    ],
)
def test_pasted_line_forms(line: str, expected: Official) -> None:
    """Each pasted line form gives the name and the position."""
    assert parse_pasted(line).officials == (expected,)


def test_pasted_table_with_header() -> None:
    """Cells copied from Excel with their header row go through the table reader."""
    result = parse_pasted(csv_text("\t"))
    assert result.officials == EXPECTED
    assert "tiêu đề" in result.source


def test_pasted_line_without_name_is_refused() -> None:
    """A pasted line that has a position but no name names its line number."""
    with pytest.raises(OfficialsFileError, match="Dòng 2: thiếu họ tên"):
        parse_pasted("A; Trưởng\n; Phó\n")


BAD = Path(__file__).parent / "data" / "bad"


def bad(name: str) -> bytes:
    return (BAD / name).read_bytes()


def refused_code(read, *args) -> str:
    """The registered code of the OfficialsFileError ``read(*args)`` raises."""
    with pytest.raises(OfficialsFileError) as caught:
        read(*args)
    return caught.value.problem.code


# Every refusal of an officials list, by its registered code.
REFUSALS = [
    ("L01", lambda: read_csv(b"A;B\n1;2\n")),
    ("L02", lambda: read_csv("STT;Họ và tên\n1;\n".encode())),
    ("L03", lambda: read_csv("STT;Họ và tên;Chức vụ\n".encode())),
    ("L04", lambda: read_csv(bad("officials-binary-junk.csv"))),
    ("L05", lambda: read_officials(b"PK\x03\x04 broken", "a.xlsx")),
    ("L05", lambda: read_officials(b"PK\x03\x04 broken", "a.ods")),
    ("L06", lambda: read_xlsx(xlsx_bytes([["1", "A"]]))),
    ("L07", lambda: read_officials(bad("officials-excel-97.xls"), "ds.xls")),
    ("L08", lambda: parse_pasted("Nguyễn Văn An; PCT\n; Chủ tịch\n")),
    ("L09", lambda: parse_pasted("  \n\n")),
    ("L10", lambda: read_csv(b"x" * (MAX_BYTES + 1))),
    ("L11", lambda: read_officials(bad("officials-report.pdf"), "ds.pdf")),
]


@pytest.mark.parametrize(("code", "read"), REFUSALS)
def test_every_refusal_has_its_code(code: str, read) -> None:
    """Each way a list cannot be read is refused with its own registered code."""
    assert refused_code(read) == code


# Every warning of an officials list, by its registered code: the list is still read.
WARNINGS = [
    ("W01", lambda: read_csv("Họ và tên;Ghi chú\nA;nghỉ ốm\n".encode())),
    ("W02", lambda: read_csv("STT;Họ và tên;Chức vụ\n1;A;B\nGhi chú;;\n".encode())),
    ("W03", lambda: read_csv("STT;Họ và tên;Chức vụ\nI;Thường trực;\n1;A;B\n".encode())),
    ("W04", lambda: read_csv("STT;Họ và tên;Chức vụ\n1;=A1;B\n".encode())),
    ("W05", lambda: read_csv("STT;Họ và tên\n1;A\n;B\n".encode())),
    ("W06", lambda: read_csv("STT;Họ và tên\n1;A\n1;B\n".encode())),
    ("W07", lambda: read_csv("STT;Họ và tên\n2;A\n1;B\n".encode())),
    ("W08", lambda: read_csv("STT;Họ và tên;Chức vụ\n1;An;X\n2;AN;Y\n".encode())),
    ("W09", lambda: read_xlsx(xlsx_bytes([["STT", "Họ và tên"], ["1", "A"]], 1))),
    ("W10", lambda: read_officials(bad("officials-hidden-rows.xlsx"))),
    ("W11", lambda: read_officials(bad("officials-second-sheet.xlsx"))),
    ("W12", lambda: read_officials(bad("officials-second-sheet-no-header.xlsx"))),
    ("W13", lambda: read_officials(bad("officials-total-row.csv"))),
    ("W14", lambda: read_officials(bad("officials-tcvn3.xlsx"))),
    ("W15", lambda: read_officials(bad("officials-invisible-characters.csv"))),
    ("W16", lambda: read_officials(bad("officials-merged-name-header.xlsx"))),
]


@pytest.mark.parametrize(("code", "read"), WARNINGS)
def test_every_warning_has_its_code(code: str, read) -> None:
    """Each doubtful point is read and named by its own registered warning code."""
    assert code in [problem.code for problem in read().problems]


@pytest.mark.parametrize(
    ("name", "people", "source"),
    [
        ("officials-libreoffice.ods", 3, "ODS"),
        ("officials-html-table.xls", 3, "bảng HTML"),
        ("officials-merged-name-header.xlsx", 2, "XLSX"),
        ("officials-tcvn3.csv", 2, "CSV"),
        ("officials-vni.xlsx", 2, "XLSX"),
    ],
)
def test_other_formats_read_the_same_people(name: str, people: int, source: str) -> None:
    """ODS, an HTML table named .xls, a merged header and legacy encodings give the names
    and positions in Unicode as they were meant."""
    result = read_officials(bad(name), name)
    expected = [
        ("Nguyễn Văn An", "Chủ tịch HĐND tỉnh"),
        ("Trần Thị Bích", "Phó Chủ tịch"),
        ("Đỗ Đức Hoàng", "Trưởng ban Pháp chế"),
    ][:people]
    assert [o.name for o in result.officials] == [n for n, _ in expected]
    assert all(
        o.position.startswith(p) for o, (_, p) in zip(result.officials, expected, strict=True)
    )
    assert result.source.startswith(source)


def test_hidden_and_total_rows_are_not_officials() -> None:
    """A row hidden in Excel and a "Tổng cộng" row are left out, each named in a warning."""
    hidden = read_officials(bad("officials-hidden-rows.xlsx"))
    assert [o.name for o in hidden.officials] == ["Nguyễn Văn An", "Đỗ Đức Hoàng"]
    assert "dòng 3 bị ẩn" in hidden.warnings[0]
    total = read_officials(bad("officials-total-row.csv"))
    assert "Tổng cộng: 3 người" not in [o.name for o in total.officials]


def test_invisible_and_control_characters_are_removed_from_names() -> None:
    """Zero-width joiners and spaces and the BEL control character are gone from names."""
    result = read_officials(bad("officials-invisible-characters.csv"))
    assert [o.name for o in result.officials] == ["Nguyễn Văn An", "Trần Thị Bích"]
    assert clean("A\u200b\u200d\u2060\x07\u202eB") == "AB"
