"""The minutes of a poll under its own rule set print it in full, each edge said in words
from its own fractions and inclusiveness, read back with pdftotext and python-docx."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from tests.document_reading import docx_text, flat, pdf_text
from tinnhiem.documents import minutes_docx, minutes_pdf
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.rule_words import band_label, edge_words, fraction_words
from tinnhiem.rules import rule_set

POLLS = Path(__file__).parent / "data" / "polls"


WATERMARK = "KẾT QUẢ TẠM THỜI — CHƯA KHÓA"


def read_pdf(data: bytes) -> str:
    """The PDF's text on one line, without the watermark drawn across the pages."""
    return flat(pdf_text(data).replace(WATERMARK, " "))


def poll(name: str):
    return parse_poll_file((POLLS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("edge", "inclusive", "said"),
    [
        (Fraction(2, 3), True, "từ hai phần ba tổng số trở lên"),
        (Fraction(1, 2), False, "quá nửa tổng số"),
        (Fraction(3, 5), False, "trên ba phần năm tổng số"),
        (Fraction(3, 5), True, "từ ba phần năm tổng số trở lên"),
        (Fraction(1, 2), True, "từ một nửa tổng số trở lên"),
        (Fraction(2, 3), False, "trên hai phần ba tổng số"),
        (Fraction(11, 20), False, "trên 11/20 tổng số"),
        (Fraction(1, 1), True, "toàn bộ tổng số"),
    ],
)
def test_an_edge_in_words(edge, inclusive, said):
    """Each edge is said from its fraction and whether the edge itself is in the band."""
    assert edge_words(edge, inclusive, "tổng số") == said


def test_fractions_past_ten_are_written_as_numbers():
    """Small fractions are words; larger ones keep their digits (Vietnamese separators)."""
    assert (fraction_words(Fraction(4, 7)), fraction_words(Fraction(1001, 2000))) == (
        "bốn phần bảy",
        "1.001/2.000",
    )


def test_built_in_labels_are_unchanged_and_custom_ones_come_from_the_edges():
    """A built-in band keeps its name; a custom band is named by its own edge."""
    custom = poll("rules-decree-2025.json").rule_set
    assert (
        band_label("poll", "two_thirds", rule_set("nq96-2023")) == "Từ 2/3 tín nhiệm thấp trở lên"
    )
    assert band_label("poll", "over_two_thirds", custom) == "Trên hai phần ba tín nhiệm thấp"
    assert band_label("poll", "over_half", custom) == "Quá nửa tín nhiệm thấp"
    assert band_label("poll", "none", custom) == "Chưa tới ngưỡng nào"


DECREE_LINES = [
    "Bộ quy tắc áp dụng",
    "Tên: Lấy phiếu theo nghị định năm 2025 về công chức (minh họa) (mã “nd-2025-cong-chuc”).",
    "Căn cứ: Bộ quy tắc minh họa: trên 50% nhưng không quá 2/3 số phiếu tín nhiệm thấp.",
    "Tỷ lệ tính trên tổng số phiếu thu về.",
    "Túc số: số đại biểu có mặt phải từ hai phần ba tổng số đại biểu được triệu tập trở lên (2/3).",
    "Mức 1 (“over_half”): số phiếu tín nhiệm thấp quá nửa tổng số phiếu thu về (ngưỡng 1/2, "
    "không kể chính ngưỡng): Trên 50% nhưng không quá 2/3 số phiếu tín nhiệm thấp.",
    "Mức 2 (“over_two_thirds”): số phiếu tín nhiệm thấp trên hai phần ba tổng số phiếu thu về "
    "(ngưỡng 2/3, không kể chính ngưỡng): Trên 2/3 số phiếu tín nhiệm thấp.",
    "Kết quả: Có quá nửa tổng số phiếu thu về đánh giá tín nhiệm thấp (mức “over_half”).",
    "Kết quả: Có trên hai phần ba tổng số phiếu thu về đánh giá tín nhiệm thấp (mức "
    "“over_two_thirds”).",
    "Kết quả: Không có quá nửa tổng số phiếu thu về đánh giá tín nhiệm thấp: chưa tới ngưỡng nào.",
]


def test_the_pdf_minutes_print_the_rule_set_in_full():
    """pdftotext of the PDF minutes reads the rule set, its edges and each result in words."""
    text = read_pdf(minutes_pdf(poll("rules-decree-2025.json")))
    for line in DECREE_LINES:
        assert line in text, line
    assert "Vạch đứt: mốc 1/2 và 2/3 cơ số" in text


def test_the_word_minutes_print_the_rule_set_in_full():
    """python-docx reads the same lines, one paragraph each, in the Word minutes."""
    lines = docx_text(minutes_docx(poll("rules-decree-2025.json"))).splitlines()
    for line in DECREE_LINES:
        assert line in lines, line


def test_a_three_fifths_edge_and_its_quorum_are_said_from_the_rule_set():
    """A 3/5 inclusive edge over all members, with a 3/5 quorum: every sentence says 3/5."""
    data = minutes_pdf(poll("rules-three-fifths-481.json"))
    text = read_pdf(data)
    assert "Số đại biểu có mặt cần thiết (từ ba phần năm tổng số trở lên): 289." in text
    assert (
        "Mức 1 (“three_fifths”): số phiếu tín nhiệm thấp từ ba phần năm tổng số đại biểu trở "
        "lên (ngưỡng 3/5, kể cả chính ngưỡng): Từ 3/5 tổng số thành viên trở lên đánh giá tín "
        "nhiệm thấp."
    ) in text
    assert "Vạch đứt: mốc 3/5 cơ số" in text
    assert "hai phần ba" not in text


def test_built_in_minutes_print_no_rule_set_section():
    """A poll under a built-in rule set keeps its minutes as they were: no section added."""
    plain = replace(poll("rules-cantho-2019.json"), rules="nq96-2023", rule_set=None)
    text = read_pdf(minutes_pdf(plain))
    assert "Bộ quy tắc áp dụng" not in text
    assert "Số đại biểu có mặt cần thiết (từ hai phần ba tổng số trở lên)" in text
