"""The list of points or units a higher level expects (tinnhiem.expected_list): one name a
row from XLSX, ODS, CSV or text; a header and an STT column passed over; bad files refused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tinnhiem.expected_list import ExpectedListError, expected_units


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_with_a_header_and_an_stt_column_gives_the_names_in_order() -> None:
    """Rows "STT | Đơn vị" then "1 | Thôn Đông" …: the header is left out, the number passed
    over, a blank row and a repeated name dropped."""
    data = workbook(
        [["STT", "Đơn vị"], [1, "Thôn Đông"], [2, "Thôn Tây"], [None, None], [3, "Thôn Đông"]]
    )
    assert expected_units(data, "don-vi.xlsx") == ["Thôn Đông", "Thôn Tây"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Đơn vị\nSở Nội vụ\nSở Tài chính\n", ["Sở Nội vụ", "Sở Tài chính"]),
        ("STT;Tên điểm\n1;Tổ dân phố 1\n2;Tổ dân phố 2\n", ["Tổ dân phố 1", "Tổ dân phố 2"]),
        ("\ufeffXã Tân Lập\r\nXã Đức Thọ\r\n", ["Xã Tân Lập", "Xã Đức Thọ"]),
        ("Xa\u0303 Ta\u0302n La\u0323\u0302p\n", ["Xã Tân Lập"]),  # typed decomposed: NFC
    ],
)
def test_a_text_or_csv_list_gives_one_name_a_line(text: str, names: list[str]) -> None:
    """A UTF-8 text or CSV (comma, semicolon or tab) gives the first cell with letters of
    each line, the header left out, in NFC."""
    assert expected_units(text.encode("utf-8"), "list.csv") == names


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"PK\x03\x04 broken", "hong.xlsx", "G13"),
        (b"%PDF-1.4 ...", "scan.pdf", "G13"),
        ("Danh sách\xff".encode("latin-1"), "cu.txt", "G13"),
        (b"STT\n1\n2\n", "so.csv", "G14"),
        (b"", "trong.txt", "G14"),
        (workbook([["Đơn vị"]]), "chi-tieu-de.xlsx", "G14"),
    ],
)
def test_a_file_that_is_no_such_list_is_refused_naming_it(data: bytes, name: str, code: str):
    """A broken workbook, a PDF, a text not in UTF-8, or a list with no name in it is
    refused with its code and a Vietnamese sentence that names the file."""
    with pytest.raises(ExpectedListError) as refused:
        expected_units(data, name)
    assert refused.value.problem.code == code
    assert str(refused.value).startswith(f"{name}: ")
