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
    """The demo's minutes with ``size`` board members (each moves the table 5–6 mm down)."""
    board = tuple(BoardMember(f"Thành viên số {n}", "member") for n in range(1, size + 1))
    return documents.minutes_pdf(replace(demo_poll(), board=board))


def page_of(pdf: bytes, text: str) -> tuple[int, str]:
    """The first page showing ``text``, and what that page shows after it."""
    for page in range(1, pdf_pages(pdf) + 1):
        shown = pdf_text(pdf, page=page)
        if text in shown:
            return page, shown.split(text, 1)[1]
    raise AssertionError(f"{text!r} is on no page")


def test_the_results_table_heading_stays_with_the_tables_first_row() -> None:
    """However far down page 1 the results table starts (board of 1 to 24 members, which
    walks its start over the page's foot), its heading is on the page of its first row."""
    first = demo_poll().officials[0].name
    pages = set()
    for size in range(1, 25):
        pdf = minutes_with_board(size)
        page, after = page_of(pdf, HEADING)
        pages.add(page)
        assert first in after.split("Biểu đồ kết quả")[0], (size, page)
    assert pages == {1, 2}  # the sweep did reach the foot of page 1
