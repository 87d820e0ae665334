"""``tinnhiem combine -o report.xlsx`` and ``-o report.pdf``: the report as agencies publish it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from combine_files import DONG, TAY, locked, plain, point_poll
from document_reading import flat, pdf_text

from tinnhiem.cli import main
from tinnhiem.model import Official
from tinnhiem.pollfile import poll_to_data

PARTY = point_poll(
    None,
    ("33", "31", "11", "13"),
    total=4,
    id="party-2026",
    title="Lấy phiếu tại Đảng ủy xã",
    body="Đảng ủy xã Đông Hòa",
    officials=(
        Official("Nguyễn Văn An", "Bí thư Đảng ủy xã", person="CB-001"),
        Official("Lê Văn Cường", "Trưởng Công an xã"),
    ),
)


def _files(tmp_path) -> list[str]:
    return [
        str(locked(tmp_path / "dong.json", DONG)),
        str(plain(tmp_path / "tay.json", TAY)),
        str(plain(tmp_path / "party.json", PARTY)),
    ]


def _rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


def test_the_workbook_has_one_row_per_official_per_poll(tmp_path):
    """Kết quả: unit, post, counts, percentages as numbers, band and consequence per row."""
    out = tmp_path / "report.xlsx"
    assert main(["combine", *_files(tmp_path), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Kết quả", "Tổng hợp", "Theo điểm", "Nhiều nơi", "Tệp"]
    rows = _rows(book["Kết quả"])
    assert len(rows) == 5  # three officials of the commune's poll, two of the party's
    first = rows[0]
    assert first[1:6] == (DONG.body, DONG.title, "Nguyễn Văn An", "Chủ tịch UBND xã", 10)
    assert first[6:12] == (2, 20, 1, 10, 6, 60)
    assert first[12] == "Quá nửa tín nhiệm thấp" and "xin từ chức" in first[13]
    assert rows[3][1:4] == ("Đảng ủy xã Đông Hòa", PARTY.title, "Nguyễn Văn An")
    assert rows[3][10:12] == (2, 50)


def test_the_workbook_summarises_by_band_and_by_unit(tmp_path):
    """Tổng hợp counts the officials per band and, per unit, polls, officials and bands."""
    out = tmp_path / "report.xlsx"
    assert main(["combine", *_files(tmp_path), "-o", str(out)]) == 0
    rows = [r[:5] for r in openpyxl.load_workbook(out)["Tổng hợp"].iter_rows(values_only=True)]
    assert ("Quá nửa tín nhiệm thấp", 1, None, None, None) in rows
    assert ("Không quá nửa", 4, None, None, None) in rows
    assert (DONG.body, 1, 3, 1, 0) in rows
    assert ("Đảng ủy xã Đông Hòa", 1, 2, 0, 0) in rows


def test_the_workbook_puts_people_side_by_side_and_lists_the_lock_hashes(tmp_path):
    """Nhiều nơi: one row per person, each poll's result beside the other; Tệp: the hashes."""
    files = _files(tmp_path)
    out = tmp_path / "report.xlsx"
    assert main(["combine", *files, "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    people = _rows(book["Nhiều nơi"])
    assert people[0] == (
        "Nguyễn Văn An",
        "Chủ tịch UBND xã",
        "CB-001",
        DONG.title,
        "Quá nửa tín nhiệm thấp",
        60,
        PARTY.title,
        "Không quá nửa",
        50,
    )
    assert len(people) == 2
    points = _rows(book["Theo điểm"])
    assert [(r[1], r[6], r[11]) for r in points[:4]] == [
        ("Thôn Đông", "Nguyễn Văn An", 4),
        ("Thôn Đông", "Trần Thị Bình", 2),
        ("Thôn Đông", "Lê Văn Cường", 3),
        ("Thôn Tây", "Nguyễn Văn An", 2),
    ]
    lock = json.loads((tmp_path / "dong.json").read_text("utf-8"))["x-tinnhiem"]["lock_hash"]
    listed = {r[0]: r[5] for r in _rows(book["Tệp"])}
    assert listed == {files[0]: lock, files[1]: "(chưa khóa)", files[2]: "(chưa khóa)"}


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path):
    """An official named like a formula is stored as text, never run."""
    hostile = point_poll(
        "A", ("3",), total=1, id="h", officials=(Official("=HYPERLINK(1)", "Chủ tịch"),)
    )
    out = tmp_path / "report.xlsx"
    assert main(["combine", str(plain(tmp_path / "h.json", hostile)), "-o", str(out)]) == 0
    cell = openpyxl.load_workbook(out)["Kết quả"]["D4"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_the_pdf_holds_the_same_report_and_every_lock_hash(tmp_path, monkeypatch):
    """The PDF lists every poll, each point's counts, the people side by side and the lock
    hash of every file used; with a file not locked it says the result is provisional."""
    files = [Path(name).name for name in _files(tmp_path)]
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.pdf"
    assert main(["combine", *files, "-o", str(out)]) == 0
    text = flat(pdf_text(out.read_bytes()))
    lock = json.loads((tmp_path / "dong.json").read_text("utf-8"))["x-tinnhiem"]["lock_hash"]
    assert lock in text.replace(" ", "")
    for fragment in (
        "BÁO CÁO TỔNG HỢP KẾT QUẢ LẤY PHIẾU TÍN NHIỆM",
        "Các điểm lấy phiếu (2): Thôn Đông, Thôn Tây.",
        "Tổng số được triệu tập 13, có mặt 10; phiếu phát ra 10, thu về 10, không hợp lệ 1.",
        "6 (60,00%)",
        "4 (66,67%)",
        "Điểm Thôn Tây",
        "Người được lấy phiếu ở nhiều nơi",
        "KẾT QUẢ TẠM THỜI",
    ):
        assert fragment in text, fragment
    assert all(f"{name} " in text for name in files)


def test_a_pdf_of_locked_files_only_is_not_provisional(tmp_path):
    """When every file used is a verified locked export, no provisional mark is printed."""
    files = [str(locked(tmp_path / "dong.json", DONG)), str(locked(tmp_path / "tay.json", TAY))]
    out = tmp_path / "report.pdf"
    assert main(["combine", *files, "-o", str(out)]) == 0
    text = flat(pdf_text(out.read_bytes()))
    assert "TẠM THỜI" not in text and "(chưa khóa)" not in text


def test_the_word_report_holds_the_same_numbers_and_hashes(tmp_path):
    """The DOCX of the same report carries the counts, the points and every lock hash."""
    from document_reading import docx_text

    from tinnhiem.cli_combine import combine_files
    from tinnhiem.documents.combined import combined_docx

    files = [str(locked(tmp_path / "dong.json", DONG)), str(locked(tmp_path / "tay.json", TAY))]
    text = flat(docx_text(combined_docx(combine_files(files))))
    for name in files:
        lock = json.loads(Path(name).read_text("utf-8"))["x-tinnhiem"]["lock_hash"]
        assert lock in text
    assert "6 (60,00%)" in text and "Điểm Thôn Tây" in text


def test_reports_list_the_refused_files_and_the_missing_points(tmp_path):
    """A report made on the Tổng hợp screen lists each refused file with its reason and the
    expected points no file brought, in the workbook and the PDF."""
    from dataclasses import replace

    from tinnhiem.combine import combine_what_holds
    from tinnhiem.documents.combined import combined_pdf
    from tinnhiem.documents.combined_sheet import combined_xlsx
    from tinnhiem.storage.sealed import read_poll_file

    dong = read_poll_file("dong.json", locked(tmp_path / "dong.json", DONG).read_bytes())
    other = read_poll_file("dong-2.json", json.dumps(poll_to_data(replace(TAY, point=DONG.point))))
    combined, refused = combine_what_holds([dong, other])
    assert combined is not None and [r.name for r in refused] == ["dong-2.json"]
    combined = replace(combined, missing=("Thôn Tây",))
    book = openpyxl.load_workbook(io.BytesIO(combined_xlsx(combined)))
    cells = [c for row in book["Tệp"].iter_rows(values_only=True) for c in row if c]
    assert "dong-2.json" in cells and "Thôn Tây" in cells
    assert any("nội dung khác nhau" in str(c) for c in cells)
    text = flat(pdf_text(combined_pdf(combined)))
    assert "Các tệp bị loại và lý do" in text and "Chưa nhận được tệp của Thôn Tây." in text
