"""The minutes (biên bản kiểm phiếu), PDF and DOCX, read back and checked against the tally."""

from __future__ import annotations

import re
import socket
from dataclasses import replace

import pytest
from document_reading import (
    docx_tables,
    docx_text,
    flat,
    nfd_poll,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    poll_45,
)

from tinnhiem import documents, words
from tinnhiem.demo import demo_poll
from tinnhiem.documents import LogRow, RecordInfo
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.tally import Tally, tally

HASH = "9f2c" * 16
LOCKED = RecordInfo(state="locked", locked_at="2023-12-13T16:05:09+07:00", audit_hash=HASH)


def official_clauses(result: Tally) -> list[str]:
    """Every sentence the minutes must print for each official, from the tally alone."""
    clauses = []
    for n, r in enumerate(result.officials, start=1):
        clauses.append(f"{n}. {r.official.name} — {r.official.position}")
        clauses.append(f"Số phiếu hợp lệ: {r.valid}; không hợp lệ: {r.invalid}.")
        for level, count in r.counts.items():
            clauses.append(
                f"{words.LEVEL[level]}: {count} phiếu, bằng {result.percent_vi(count)} "
                f"{words.base_compared(result.base_name)}"
            )
        clauses.append(f"Kết quả: {words.band_sentence(result.kind, r.band, result.base_name)}")
        consequence = result.rules.consequence(result.kind, r.band)
        if consequence:
            clauses.append(consequence)
    return clauses


def row_pattern(n: int, r, result: Tally) -> re.Pattern:
    """A layout-text line of the summary table: STT, then every count and percentage, invalid."""
    numbers = r"\s+".join(
        f"{count}\\s+{re.escape(result.percent_vi(count))}" for count in r.counts.values()
    )
    return re.compile(rf"^\s*{n}\s.*\s{numbers}\s+{r.invalid}\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def demo() -> Poll:
    return demo_poll(None)


@pytest.fixture(scope="module")
def locked_pdf(demo) -> bytes:
    return documents.minutes_pdf(demo, tally(demo), LOCKED)


@pytest.fixture(scope="module")
def provisional_pdf(demo) -> bytes:
    return documents.minutes_pdf(demo)


def test_pdf_prints_every_official_number_of_the_tally(demo, locked_pdf):
    """Each official's rows, counts, percentages with the base in words, band and consequence."""
    text = flat(pdf_text(locked_pdf))
    for clause in official_clauses(tally(demo)):
        assert flat(clause) in text


def test_pdf_summary_table_rows_match_the_tally(demo, locked_pdf):
    """Every row of the summary table carries the tally's counts and percentages in order."""
    layout = pdf_text(locked_pdf, layout=True)
    result = tally(demo)
    for n, r in enumerate(result.officials, start=1):
        assert row_pattern(n, r, result).search(layout), r.official.name


def test_pdf_holds_the_session_attendance_ballots_and_board(demo, locked_pdf):
    """Body, session, date, time, place, attendance, quorum, ballots, board, citation."""
    text = flat(pdf_text(locked_pdf))
    result = tally(demo)
    expected = [
        words.NATION,
        words.MOTTO,
        "BIÊN BẢN KIỂM PHIẾU",
        "Lấy phiếu tín nhiệm đối với người giữ chức vụ",
        "HỘI ĐỒNG NHÂN DÂN TỈNH (DỮ LIỆU MINH HỌA)",
        "Hội trường Trung tâm Hội nghị tỉnh, ngày 13 tháng 12 năm 2023",
        "Kỳ họp thứ mười bốn, HĐND tỉnh khóa XVII, nhiệm kỳ 2021 – 2026",
        "Vào hồi 14 giờ 00, ngày 13 tháng 12 năm 2023",
        "Tổng số đại biểu (người được triệu tập): 50.",
        "Có mặt: 47/50 đại biểu có mặt.",
        "Vắng mặt: 3 đại biểu (có lý do: 3; không có lý do: 0).",
        f"(từ hai phần ba tổng số trở lên): {result.quorum_required}.",
        "Số phiếu phát ra: 47.",
        "Số phiếu thu về: 47.",
        f"Số phiếu hợp lệ: {result.valid_ballots}.",
        f"Số phiếu không hợp lệ: {result.invalid}.",
        "Tỷ lệ phần trăm được tính so với tổng số phiếu thu về (47)",
        result.rules.citation,
        "1. Trịnh Văn Sơn — Trưởng ban.",
        "2. Lý Thị Hồng Nhung — Thư ký.",
        "3. Châu Minh Tuấn — Ủy viên.",
        "TRƯỞNG BAN",
        "THƯ KÝ",
        "ỦY VIÊN",
    ]
    for phrase in expected:
        assert flat(phrase) in text, phrase
    assert result.valid_ballots == 46 and result.invalid == 1


def test_exempt_official_is_listed_with_reason_but_not_counted(locked_pdf):
    """The exempt official appears only in the exempt list, never with counts."""
    text = flat(pdf_text(locked_pdf))
    assert "Những người không lấy phiếu" in text
    layout = pdf_text(locked_pdf, layout=True)
    assert re.search(r"^\s*1\s+Hồ Thị Kim Oanh\s.*Đã có thông báo nghỉ hưu", layout, re.M)
    assert "Hồ Thị Kim Oanh —" not in text


def test_locked_minutes_give_lock_time_and_audit_hash_without_watermark(locked_pdf):
    """A locked record prints the lock time and the audit head hash, and no provisional notice."""
    text = flat(pdf_text(locked_pdf))
    assert "Kết quả đã được khóa lúc 16:05:09 ngày 13/12/2023" in text
    assert HASH in text
    assert "TẠM THỜI" not in text


def test_minutes_without_record_are_marked_provisional(demo, provisional_pdf):
    """From a plain poll file the minutes say, in words, that the result is provisional."""
    data = provisional_pdf
    text = flat(pdf_text(data))
    assert "KẾT QUẢ TẠM THỜI — chưa khóa. Biên bản này chỉ để tham khảo" in text
    for page in range(1, pdf_pages(data) + 1):
        assert "KẾT QUẢ TẠM THỜI — CHƯA KHÓA" in pdf_text(data, page=page)
    docx = documents.minutes_docx(demo)
    assert "KẾT QUẢ TẠM THỜI — CHƯA KHÓA" in docx_text(docx)


def test_unlocked_record_states_its_state(demo):
    """A record still being counted says so next to the provisional notice."""
    record = RecordInfo(state="closed")
    text = flat(pdf_text(documents.minutes_pdf(demo, None, record)))
    assert "KẾT QUẢ TẠM THỜI — chưa khóa (trạng thái: đã kết thúc kiểm phiếu)" in text


def test_appendix_lists_every_ballot_with_station_person_time_and_voids(demo):
    """The entry log prints each ballot's marks, station, person, time, and voids with reasons."""
    log = (
        LogRow(1, demo.entries[0], "Máy 1", "Nguyễn Nhập", "2023-12-13T15:01:02+07:00"),
        LogRow(
            2,
            demo.entries[1],
            "Máy 2",
            "Trần Gõ",
            "2023-12-13T15:01:30+07:00",
            voided=True,
            void_reason="gõ nhầm dòng 4",
            voided_by="Trưởng ban",
            voided_at="2023-12-13T15:02:00+07:00",
        ),
        LogRow(3, demo.entries[1], "Máy 2", "Trần Gõ", "2023-12-13T15:02:10+07:00", replaces=2),
    )
    record = replace(LOCKED, log=log)
    text = flat(pdf_text(documents.minutes_pdf(demo, None, record)))
    assert "PHỤ LỤC: NHẬT KÝ NHẬP PHIẾU" in text
    assert "Số lần nhập: 3; trong đó đã hủy: 1." in text
    for row in log:
        assert words.group_marks(row.marks) in text
    for phrase in (
        "Máy 1 Nguyễn Nhập 13/12/2023 15:01:02",
        "ĐÃ HỦY: gõ nhầm dòng 4, Trưởng ban, 13/12/2023 15:02:00",
        "thay phiếu số 2",
    ):
        assert phrase in text


def test_appendix_from_a_poll_file_lists_the_entries_in_order(demo, provisional_pdf):
    """Without a record, the appendix lists the file's entries, numbered in entry order."""
    text = flat(pdf_text(provisional_pdf))
    for n, entry in enumerate(demo.entries, start=1):
        assert f"{n} {words.group_marks(entry)}" in text


def test_totals_mode_appendix_says_there_is_no_ballot_log():
    """A hand count entered as totals says the log holds no single ballots."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(10, 9),
        issued=9,
        collected=9,
        officials=(Official("Lê Văn Tổng", "Chánh Văn phòng"),),
        totals=({"high": 5, "confidence": 2, "low": 1},),
        invalid=1,
    )
    text = flat(pdf_text(documents.minutes_pdf(poll)))
    assert "nhập theo tổng số của từng người" in text
    assert "Tín nhiệm cao: 5 phiếu, bằng 55,56% so với tổng số phiếu thu về" in text


def test_fonts_are_embedded(locked_pdf):
    """Every font of the PDF is embedded, so it prints the same everywhere: the shipped
    Liberation Serif for the text, DejaVu for the chart's labels and the log's digits."""
    fonts = pdf_fonts(locked_pdf)
    assert fonts and all(embedded == "yes" for _, embedded in fonts)
    assert all("LiberationSerif" in name or "DejaVu" in name for name, _ in fonts)
    assert any("LiberationSerif" in name for name, _ in fonts)


def test_decomposed_input_gives_the_same_documents(demo):
    """A poll typed in NFD gives byte-identical PDF and the same DOCX text as its NFC form."""
    decomposed = nfd_poll(demo)
    assert decomposed.officials[0].name != demo.officials[0].name
    assert documents.minutes_pdf(decomposed, None, LOCKED) == documents.minutes_pdf(
        demo, None, LOCKED
    )
    assert docx_text(documents.minutes_docx(decomposed)) == docx_text(documents.minutes_docx(demo))
    assert "Nguyễn Văn An" in pdf_text(documents.minutes_pdf(decomposed))


def test_docx_table_and_paragraphs_match_the_tally(demo):
    """The Word minutes hold the same table rows and official clauses as the tally."""
    data = documents.minutes_docx(demo, tally(demo), LOCKED)
    result = tally(demo)
    summary = next(t for t in docx_tables(data) if t[0][0] == "STT" and len(t[0]) == 10)
    for n, r in enumerate(result.officials, start=1):
        expected = [str(n), r.official.name, r.official.position]
        for count in r.counts.values():
            expected += [str(count), result.percent_vi(count)]
        expected.append(str(r.invalid))
        assert summary[n + 1] == expected
    text = flat(docx_text(data))
    for clause in official_clauses(result):
        assert flat(clause) in text
    assert HASH in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_partial_count_says_how_many_ballots_are_missing():
    """Minutes of an unfinished count say how many ballots are still to enter."""
    poll = demo_poll(31)
    text = flat(pdf_text(documents.minutes_pdf(poll)))
    assert "Số phiếu đã nhập: 31/47; còn 16 phiếu chưa nhập" in text


def test_vote_minutes_use_two_levels_and_all_members_as_base():
    """A confidence vote prints tín nhiệm / không tín nhiệm against all members."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(50, 46),
        issued=46,
        collected=46,
        officials=(Official("Đỗ Văn Thắng", "Giám đốc Sở"),),
        entries=("2",) * 30 + ("1",) * 15 + ("0",),
    )
    text = flat(pdf_text(documents.minutes_pdf(poll)))
    assert "Không tín nhiệm: 30 phiếu, bằng 60,00% so với tổng số đại biểu" in text
    assert "Bỏ phiếu tín nhiệm đối với người giữ chức vụ" in text
    assert "Có quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm." in text


def test_45_officials_fit_and_every_row_is_printed():
    """A 45-official poll prints every official's row, clauses and chart value on A4 pages."""
    poll = poll_45()
    result = tally(poll)
    assert len(result.officials) == 45
    data = documents.minutes_pdf(poll, result, LOCKED)
    text = flat(pdf_text(data))
    for clause in official_clauses(result):
        assert flat(clause) in text
    layout = pdf_text(data, layout=True)
    for n, r in enumerate(result.officials, start=1):
        assert row_pattern(n, r, result).search(layout), r.official.name
        # table, paragraph and chart each print the low share
        assert text.count(result.percent_vi(r.counts["low"])) >= 3
    assert pdf_pages(data) <= 16


def test_no_network_is_touched(monkeypatch, demo):
    """Making every document opens no socket."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    documents.minutes_pdf(demo, None, replace(LOCKED, state="closed"))
    documents.minutes_docx(demo)
    documents.ballots_pdf(demo, copies=2, serial=True)
    documents.results_xlsx(demo)
    documents.results_csv(demo)
    documents.resolution_docx(demo)
