"""Sheets of cells from XLSX, ODS and HTML files, hidden rows included (tinnhiem.spreadsheets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinnhiem.spreadsheets import file_format, html_sheets, ods_sheets, xlsx_sheets

BAD = Path(__file__).parent / "data" / "bad"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("officials-libreoffice.ods", "ods"),
        ("officials-html-table.xls", "html"),
        ("officials-excel-97.xls", "xls"),
        ("officials-hidden-rows.xlsx", "xlsx"),
        ("officials-report.pdf", "pdf"),
        ("officials-total-row.csv", "text"),
    ],
)
def test_the_format_is_told_by_content(name: str, expected: str) -> None:
    """A file's format comes from its first bytes, whatever its name says."""
    assert file_format((BAD / name).read_bytes(), "danh-sach.xlsx") == expected


def test_hidden_rows_are_reported_by_their_numbers() -> None:
    """Row 3 hidden in Excel is reported as hidden; rows are numbered from 1."""
    sheet = xlsx_sheets((BAD / "officials-hidden-rows.xlsx").read_bytes())[0]
    assert sheet.hidden == {3}
    assert sheet.rows[0][:2] == ["STT", "Họ và tên"]


def test_ods_cells_and_sheet_name() -> None:
    """An ODS sheet gives its name and its cells' text."""
    sheet = ods_sheets((BAD / "officials-libreoffice.ods").read_bytes())[0]
    assert sheet.title == "Danh sách"
    assert sheet.rows[1] == ["1", "Nguyễn Văn An", "Chủ tịch HĐND tỉnh"]


def test_html_merged_cells_keep_their_columns() -> None:
    """colspan and rowspan leave empty cells, so sub-headers sit under their header."""
    page = (
        "<table><tr><td rowspan=2>STT</td><td colspan=2>Họ và tên</td><td rowspan=2>Chức vụ"
        "</td></tr><tr><td>Họ đệm</td><td>Tên</td></tr>"
        "<tr style='display: none'><td>1</td><td>Nguyễn Văn</td><td>An</td><td>CT</td></tr>"
    )
    sheet = html_sheets(page)[0]
    assert sheet.rows[:2] == [["STT", "Họ và tên", "", "Chức vụ"], ["", "Họ đệm", "Tên", ""]]
    assert sheet.hidden == {3}
