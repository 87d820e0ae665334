"""Result files: XLSX like a published table, CSV for Excel (BOM, inert cells), poll JSON."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime

import pytest
from document_reading import nfd_poll, poll_45
from openpyxl import load_workbook

from tinnhiem import arithmetic, words
from tinnhiem.demo import demo_poll
from tinnhiem.documents import poll_json, results_csv, results_xlsx
from tinnhiem.documents.results import inert
from tinnhiem.model import Official, Poll
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.tally import tally

INJECTIONS = (
    '=HYPERLINK("http://x.invalid","bấm")',
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
)


@pytest.fixture(scope="module")
def demo() -> Poll:
    return demo_poll(None)


def hostile(poll: Poll) -> Poll:
    """The poll with names and positions that try to run as spreadsheet formulas."""
    officials = list(poll.officials)
    for i, text in enumerate(INJECTIONS):
        officials[i] = Official(text, text, officials[i].exempt_reason)
    return replace(poll, officials=tuple(officials))


def xlsx_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_xlsx_rows_match_the_tally_with_numeric_percentages(demo):
    """Each official's row holds the counts and the exact percentages as numbers shown as 0.00."""
    result = tally(demo)
    sheet = xlsx_sheet(results_xlsx(demo, result))
    for n, r in enumerate(result.officials, start=1):
        row = [cell.value for cell in sheet[6 + n]]
        assert row[:3] == [n, r.official.name, r.official.position]
        column = 3
        for level in demo.levels:
            count = r.counts[level]
            assert row[column] == count
            assert row[column + 1] == arithmetic.hundredths(count, result.base) / 100
            assert f"{row[column + 1]:.2f}" == r.percent[level]
            assert sheet.cell(row=6 + n, column=column + 2).number_format == "0.00"
            column += 2
        assert row[column] == r.invalid
        assert row[column + 1] == words.band(demo.kind, r.band)


def test_xlsx_has_titles_frozen_header_widths_and_summary(demo):
    """The sheet has title rows, a two-row frozen header, set widths and the ballot summary."""
    result = tally(demo)
    sheet = xlsx_sheet(results_xlsx(demo, result))
    assert sheet["A1"].value == "KẾT QUẢ LẤY PHIẾU TÍN NHIỆM"
    assert demo.title in sheet["A2"].value
    assert "so với tổng số phiếu thu về (47)" in sheet["A3"].value
    assert [sheet.cell(row=5, column=c).value for c in (1, 2, 3, 4, 6, 8)] == [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Tín nhiệm cao",
        "Tín nhiệm",
        "Tín nhiệm thấp",
    ]
    assert sheet.cell(row=6, column=5).value == "Tỷ lệ (%)"
    assert sheet.freeze_panes == "C7"
    assert sheet.column_dimensions["B"].width == 26
    summary = {
        sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=3).value
        for r in range(7, sheet.max_row + 1)
    }
    assert summary["Số phiếu phát ra"] == 47
    assert summary["Số phiếu thu về"] == 47
    assert summary["Số phiếu hợp lệ"] == result.valid_ballots
    assert summary["Số phiếu không hợp lệ"] == result.invalid
    assert summary["Cơ số tính tỷ lệ (tổng số phiếu thu về)"] == 47
    assert summary["Không lấy phiếu"] is None
    assert "Hồ Thị Kim Oanh" in summary


def test_xlsx_truncates_when_the_poll_says_so(demo):
    """With rounding 'truncate' the XLSX percentages are cut, not rounded."""
    poll = replace(demo, rounding="truncate")
    result = tally(poll)
    sheet = xlsx_sheet(results_xlsx(poll, result))
    for n, r in enumerate(result.officials, start=1):
        low = sheet.cell(row=6 + n, column=9).value
        assert low == arithmetic.hundredths(r.counts["low"], 47, "truncate") / 100


def test_xlsx_never_stores_a_formula(demo):
    """Names that look like formulas are stored as text, exactly as typed."""
    poll = hostile(demo)
    sheet = xlsx_sheet(results_xlsx(poll))
    for n, text in enumerate(INJECTIONS, start=1):
        for column in (2, 3):
            cell = sheet.cell(row=6 + n, column=column)
            assert cell.data_type == "s"
            assert cell.value == text


def test_csv_is_utf8_with_bom_and_matches_the_tally(demo):
    """The CSV starts with a BOM and carries each official's counts and machine percentages."""
    result = tally(demo)
    rows = csv_rows(results_csv(demo, result))
    assert rows[0][:4] == ["STT", "Họ và tên", "Chức vụ", "Tín nhiệm cao (số phiếu)"]
    for n, r in enumerate(result.officials, start=1):
        expected = [str(n), r.official.name, r.official.position]
        for level in demo.levels:
            expected += [str(r.counts[level]), r.percent[level]]
        expected += [str(r.invalid), words.band(demo.kind, r.band)]
        assert rows[n] == expected
    summary = {row[0]: row[1] for row in rows if len(row) == 2}
    assert summary["Số phiếu thu về"] == "47"
    assert summary["Số phiếu không hợp lệ"] == str(result.invalid)


def test_csv_injection_attempts_come_out_inert(demo):
    """Every cell starting with = + - @ tab or CR gets a leading apostrophe."""
    rows = csv_rows(results_csv(hostile(demo)))
    for n, text in enumerate(INJECTIONS, start=1):
        assert rows[n][1] == "'" + text
        assert rows[n][2] == "'" + text
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_inert_leaves_safe_values_alone():
    """Numbers and ordinary text pass through unchanged."""
    assert inert(42) == 42
    assert inert("Nguyễn Văn An") == "Nguyễn Văn An"
    assert inert("53.19") == "53.19"


def test_results_of_nfd_input_are_identical(demo):
    """NFD-typed names give the same CSV bytes and the same XLSX cells as NFC."""
    assert results_csv(nfd_poll(demo)) == results_csv(demo)
    a, b = xlsx_sheet(results_xlsx(nfd_poll(demo))), xlsx_sheet(results_xlsx(demo))
    assert [[c.value for c in row] for row in a.iter_rows()] == [
        [c.value for c in row] for row in b.iter_rows()
    ]


def test_45_officials_all_in_the_files():
    """A 45-official poll gives 45 rows in both files."""
    poll = poll_45()
    result = tally(poll)
    rows = csv_rows(results_csv(poll, result))
    assert [row[1] for row in rows[1:46]] == [r.official.name for r in result.officials]
    sheet = xlsx_sheet(results_xlsx(poll, result))
    assert [sheet.cell(row=6 + n, column=2).value for n in range(1, 46)] == [
        r.official.name for r in result.officials
    ]


def test_poll_json_round_trips_and_keeps_extra(demo):
    """The poll file written for archiving reads back as the same poll, with extra fields kept."""
    data = poll_json(demo, extra={"locked_at": "2023-12-13T16:05:09+07:00"})
    assert parse_poll_file(data) == demo
    assert b'"locked_at": "2023-12-13T16:05:09+07:00"' in data
    assert "Nguyễn Văn An".encode() in data


def test_xlsx_keeps_its_fixed_dates_whenever_it_is_made(demo):
    """The workbook says it was created and modified at the fixed time, not when it was
    saved, so the same poll gives the same file an hour later."""
    book = load_workbook(io.BytesIO(results_xlsx(demo)))
    assert book.properties.created == book.properties.modified == datetime(2000, 1, 1)
