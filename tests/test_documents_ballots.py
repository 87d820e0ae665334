"""Ballot papers (phiếu tín nhiệm): A4 PDF, officials in ballot order, copies, serials."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from document_reading import flat, in_order, nfd_poll, pdf_fonts, pdf_pages, pdf_text, poll_45

from tinnhiem import words
from tinnhiem.demo import demo_poll
from tinnhiem.documents import DocumentError, ballots_pdf
from tinnhiem.model import Attendance, Kind, Official, Poll


@pytest.fixture(scope="module")
def demo() -> Poll:
    return demo_poll(None)


def test_ballot_lists_the_officials_in_order_without_the_exempt(demo):
    """Every balloted official is printed with position, in ballot order; the exempt one is not."""
    data = ballots_pdf(demo)
    layout = pdf_text(data, layout=True)
    positions = []
    for n, official in enumerate(demo.ballot_officials, start=1):
        match = re.search(rf"^\s*{n}\s+{re.escape(official.name)}\s", layout, re.MULTILINE)
        assert match, official.name
        positions.append(match.start())
    assert positions == sorted(positions)
    text = flat(pdf_text(data))
    for official in demo.ballot_officials:
        assert flat(official.position) in text
    assert "Hồ Thị Kim Oanh" not in text


def test_ballot_has_header_title_instructions_and_three_boxes(demo):
    """The ballot carries the body, Quốc hiệu, title, instructions and the three level columns."""
    text = flat(pdf_text(ballots_pdf(demo)))
    for phrase in (
        "HỘI ĐỒNG NHÂN DÂN TỈNH (DỮ LIỆU MINH HỌA)",
        words.NATION,
        words.MOTTO,
        "PHIẾU LẤY PHIẾU TÍN NHIỆM",
        "Đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc phê chuẩn",
        demo.title,
        "đánh dấu X vào MỘT trong ba ô",
        "STT Họ và tên Chức vụ",
    ):
        assert phrase in text, phrase
    assert "Tín nhiệm cao" in text and "Tín nhiệm thấp" in text


def test_vote_ballot_has_two_boxes():
    """A confidence vote ballot has the columns Tín nhiệm and Không tín nhiệm."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(30, 28),
        issued=28,
        collected=28,
        officials=(Official("Đỗ Văn Thắng", "Giám đốc Sở"),),
    )
    text = flat(pdf_text(ballots_pdf(poll)))
    assert "PHIẾU BỎ PHIẾU TÍN NHIỆM" in text
    assert "Tín nhiệm Không tín nhiệm" in text
    assert "Tín nhiệm cao" not in text


def test_copies_start_on_their_own_page_with_serial_numbers(demo):
    """Three serial-numbered copies give three pages, numbered Số: 001 to Số: 003 in order."""
    data = ballots_pdf(demo, copies=3, serial=True)
    assert pdf_pages(data) == 3
    for page in (1, 2, 3):
        text = pdf_text(data, page=page, footer=True)
        assert f"Số: {page:03d}" in text
        assert "PHIẾU LẤY PHIẾU TÍN NHIỆM" in text


def test_without_serial_no_number_is_printed(demo):
    """Unnumbered ballots print no ``Số:`` line."""
    data = ballots_pdf(demo, copies=2)
    assert pdf_pages(data) == 2
    assert "Số:" not in pdf_text(data, footer=True)


def test_copies_below_one_are_refused(demo):
    """Asking for no copy raises DocumentError, in Vietnamese."""
    with pytest.raises(DocumentError, match="Số bản phiếu phải từ 1 trở lên"):
        ballots_pdf(demo, copies=0)


def test_45_officials_run_over_two_pages_with_the_header_repeated():
    """A 45-official ballot takes two pages per copy, repeats the header row, marks its pages."""
    poll = poll_45()
    data = ballots_pdf(poll, copies=2, serial=True)
    assert pdf_pages(data) == 4
    layout = "".join(pdf_text(data, layout=True, page=p) for p in (1, 2))
    for n in range(1, len(poll.ballot_officials) + 1):
        assert re.search(rf"^\s*{n}\s+\S", layout, re.MULTILINE), n
    flat_all = flat(pdf_text(data))
    for official in poll.ballot_officials:
        assert in_order(flat_all, official.name), official.name
    for page, footer in (
        (1, "Số: 001 — trang 1/2"),
        (2, "Số: 001 — trang 2/2"),
        (4, "Số: 002 — trang 2/2"),
    ):
        text = pdf_text(data, page=page, footer=True)
        assert footer in text
        assert "Họ và tên" in text
    assert in_order(flat_all, "Tôn Nữ Thị Hoàng Phương Thảo Nguyên")


def test_fonts_embedded_and_nfd_input_renders_the_same(demo):
    """The ballot embeds its fonts, and an NFD-typed poll gives the same bytes."""
    data = ballots_pdf(demo, copies=2, serial=True)
    assert all(embedded == "yes" for _, embedded in pdf_fonts(data))
    assert ballots_pdf(nfd_poll(demo), copies=2, serial=True) == data


def council(count: int) -> Poll:
    """A council's ballot of ``count`` officials with the demo's real names and positions."""
    poll = demo_poll(None)
    on_ballot = poll.ballot_officials
    officials = tuple(
        Official(
            f"{on_ballot[i % len(on_ballot)].name} {i + 1}", on_ballot[i % len(on_ballot)].position
        )
        for i in range(count)
    )
    return replace(poll, officials=officials)


@pytest.mark.parametrize("count", [1, 11, 28, 30])
def test_up_to_30_officials_fit_on_one_page(count):
    """A ballot of up to 30 officials is one A4 page, with every row on it."""
    data = ballots_pdf(council(count), serial=True)
    assert pdf_pages(data) == 1
    layout = pdf_text(data, layout=True)
    assert all(re.search(rf"^\s*{n}\s+\S", layout, re.MULTILINE) for n in range(1, count + 1))


def test_names_are_11_pt_and_boxes_markable_on_a_30_official_ballot():
    """On a 30-row page the names are set in 11 pt and every row is at least 6 mm high."""
    from tinnhiem.documents import ballots

    ops, pages = ballots._layout(council(30), serial=True)
    assert pages == 1
    fonts = [op[1:] for op in ops if op[0] == "font"]
    assert ("condensed", "", 11.0) in fonts
    boxes = [op for op in ops if op[0] == "box" and op[5] is None]
    assert len(boxes) == 30 * 6
    assert min(op[4] for op in boxes) >= 6.0


def test_more_than_fit_run_on_with_the_header_repeated():
    """A 60-official ballot takes two pages, each with the table's header row."""
    data = ballots_pdf(council(60), serial=True)
    assert pdf_pages(data) == 2
    for page in (1, 2):
        assert "Họ và tên" in pdf_text(data, page=page)
