"""Page breaks of the documents: a heading is never the last line of a page, away from what
it heads (issue 13 walk-through: "Bảng tổng hợp kết quả" alone at the foot of page 1)."""

from __future__ import annotations

from dataclasses import replace

from document_reading import pdf_pages, pdf_text

from tinnhiem import documents
from tinnhiem.demo import demo_poll
from tinnhiem.model import BoardMember

HEADING = "Bảng tổng hợp kết quả"


def minutes_with_board(size: int) -> bytes:
    """The demo's minutes (every ballot in), short of its place and with a short title,
    with ``size`` board members (each moves the table about 6 mm down)."""
    board = tuple(BoardMember(f"Thành viên số {n}", "member") for n in range(1, size + 1))
    poll = replace(demo_poll(entered=None), title="Kỳ họp thứ mười bốn", place="", time="")
    poll = replace(poll, board=board)
    return documents.minutes_pdf(poll)


def page_of(pdf: bytes, text: str) -> tuple[int, str]:
    """The first page showing ``text``, and what that page shows after it."""
    for page in range(1, pdf_pages(pdf) + 1):
        shown = pdf_text(pdf, page=page)
        if text in shown:
            return page, shown.split(text, 1)[1]
    raise AssertionError(f"{text!r} is on no page")


def test_the_results_table_heading_stays_with_the_tables_first_row() -> None:
    """However far down page 1 the results table starts (board of 0 to 11 members, which
    walks its start over the page's foot), its heading is on the page of its first row."""
    first = demo_poll().officials[0].name
    pages = set()
    for size in range(0, 12):
        pdf = minutes_with_board(size)
        page, after = page_of(pdf, HEADING)
        pages.add(page)
        assert first in after.split("Biểu đồ kết quả")[0], (size, page)
    assert pages == {1, 2}  # the sweep did reach the foot of page 1


# The council's name is upper-cased in the headers; each place moves where the line ends.
PLACES = ("xã Tân Lập", "huyện Đức Thọ", "tỉnh Vĩnh Phúc", "thị xã Sơn Tây", "quận Hoàn Kiếm")


def header_lines(pdf: bytes) -> list[str]:
    """The first page's lines as laid out (pdftotext -layout: the left and right header
    columns side by side, no line-end hyphen joined to the next line), blanks dropped."""
    return [line.strip() for line in pdf_text(pdf, layout=True, page=1).splitlines() if line]


def test_the_body_name_breaks_outside_its_brackets_in_the_minutes_and_ballot_headers() -> None:
    """“Hội đồng nhân dân … (khóa XII)” wraps between words outside the brackets: the
    bracketed “(KHÓA XII)” is whole on one line of the minutes' and the ballot's header."""
    broken = []
    for place in PLACES:
        for session in ("khóa XII", "nhiệm kỳ 2021 - 2026"):
            poll = replace(demo_poll(), body=f"Hội đồng nhân dân {place} ({session})")
            whole = f"({session.upper()})"
            for pdf in (documents.minutes_pdf(poll), documents.ballots_pdf(poll)):
                if not any(whole in line for line in header_lines(pdf)[:6]):
                    broken.append((place, session, header_lines(pdf)[:3]))
    assert broken == []
