"""Draft resolution confirming the results (dự thảo Nghị quyết xác nhận kết quả), DOCX."""

from __future__ import annotations

import pytest
from document_reading import docx_tables, docx_text, flat, nfd_poll

from tinnhiem.demo import demo_poll
from tinnhiem.documents import RecordInfo, resolution_docx
from tinnhiem.model import Poll
from tinnhiem.tally import tally


@pytest.fixture(scope="module")
def demo() -> Poll:
    return demo_poll(None)


def test_resolution_has_the_articles_and_the_signature(demo):
    """The draft has the header, QUYẾT NGHỊ, Điều 1–3, the legal basis and CHỦ TỊCH."""
    text = flat(docx_text(resolution_docx(demo, tally(demo), RecordInfo(state="locked"))))
    for phrase in (
        "DỰ THẢO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỘI ĐỒNG NHÂN DÂN TỈNH (DỮ LIỆU MINH HỌA)",
        "Số: /NQ-HĐND",
        "NGHỊ QUYẾT",
        "Xác nhận kết quả lấy phiếu tín nhiệm",
        "KỲ HỌP THỨ MƯỜI BỐN, HĐND TỈNH KHÓA XVII, NHIỆM KỲ 2021 – 2026",
        "Căn cứ Nghị quyết số 96/2023/QH15",
        "Căn cứ Biên bản kiểm phiếu ngày 13/12/2023",
        "QUYẾT NGHỊ:",
        "Điều 1. Xác nhận kết quả lấy phiếu tín nhiệm đối với 11 người",
        "số phiếu phát ra: 47; số phiếu thu về: 47",
        "Điều 2. Tổ chức thực hiện",
        "Điều 3. Nghị quyết này có hiệu lực",
        "thông qua ngày 13 tháng 12 năm 2023",
        "CHỦ TỊCH",
        "Nơi nhận:",
    ):
        assert phrase in text, phrase
    assert "TẠM THỜI" not in text


def test_resolution_table_matches_the_tally(demo):
    """Article 1's table gives each official's counts and percentages as the tally does."""
    result = tally(demo)
    table = next(t for t in docx_tables(resolution_docx(demo, result)) if t[0][0] == "STT")
    for n, r in enumerate(result.officials, start=1):
        expected = [str(n), r.official.name, r.official.position]
        for count in r.counts.values():
            expected += [str(count), result.percent_vi(count)]
        assert table[n + 1] == expected


def test_officials_over_half_are_named_with_the_consequence(demo):
    """Article 2 names the official whose low share is over half, with the rule's consequence."""
    result = tally(demo)
    crossing = [r for r in result.officials if r.band == "over_half"]
    assert [r.official.name for r in crossing] == ["Đỗ Văn Thắng"]
    text = flat(docx_text(resolution_docx(demo, result)))
    assert "2. Đối với Đỗ Văn Thắng: Có quá nửa số phiếu đánh giá tín nhiệm thấp" in text
    assert "(Điều 12 Nghị quyết 96/2023/QH15)" in text


def test_unlocked_results_are_flagged_and_nfd_reads_the_same(demo):
    """A draft from unlocked results says so; NFD input gives the same text."""
    text = docx_text(resolution_docx(demo))
    assert "KẾT QUẢ TẠM THỜI — chưa khóa: đối chiếu với biên bản kiểm phiếu đã khóa" in text
    assert docx_text(resolution_docx(nfd_poll(demo))) == text
