"""Ballot papers (phiếu tín nhiệm): A4, one copy after another, exempt officials left off.

Up to 30 officials fit on one A4 page (names in 11 pt, boxes at least 6.2 mm high); a
longer ballot, or one with very long names, runs on with the header row of the table
repeated and every page marked with its serial number and page, so loose pages of one
ballot can be matched. Each copy starts on a new page. One copy is laid out once and
drawn again for every copy, so 481 copies cost little more than drawing 481 pages.
"""

from __future__ import annotations

from dataclasses import replace

from tinnhiem import words
from tinnhiem.documents import text
from tinnhiem.documents.errors import DocumentError
from tinnhiem.documents.pdfbase import CONDENSED, FORM_SERIF, HEADER_FILL, SERIF, Page, output
from tinnhiem.documents.sheet import Grid, HeadCell, Sheet, head_height, replay, table
from tinnhiem.model import Kind, Poll

_INSTRUCTIONS = {
    Kind.POLL: (
        "Cách ghi phiếu: ở dòng của mỗi người, đánh dấu X vào MỘT trong ba ô “Tín nhiệm cao”, "
        "“Tín nhiệm” hoặc “Tín nhiệm thấp”. Dòng không đánh dấu ô nào hoặc đánh dấu từ hai ô "
        "trở lên thì không được tính cho người đó."
    ),
    Kind.VOTE: (
        "Cách ghi phiếu: ở dòng của mỗi người, đánh dấu X vào MỘT trong hai ô “Tín nhiệm” hoặc "
        "“Không tín nhiệm”. Dòng không đánh dấu ô nào hoặc đánh dấu cả hai ô thì không được "
        "tính cho người đó."
    ),
}
TOP, BOTTOM, LEFT, RIGHT = 10.0, 15.0, 12.0, 10.0  # mm: a ballot is a form, not a letter
NAME_PT, POSITION_PT, HEAD_PT = 11.0, 9.5, 9.5
LINE_H = 4.4  # mm per line of a row (11 pt)
ONE_PAGE = 30  # officials that fit on one page at the smallest row height
SMALLEST_ROW, LARGEST_ROW = 6.2, 11.0  # mm: a box still markable by hand, a roomy one


class BallotPage(Page):
    """A page that knows which copy it belongs to, for the footer."""

    serif = FORM_SERIF
    numbered = False  # each copy's pages are numbered in its footer ("trang 2/3")

    def __init__(self, pages_per_copy: int = 1):
        super().__init__()
        self.set_margins(left=LEFT, top=TOP, right=RIGHT)
        self.set_auto_page_break(False, margin=BOTTOM)
        self.pages_per_copy = pages_per_copy
        self.serial = ""
        self.copy_start = 1

    def footer(self) -> None:
        with self.local_context():
            self.set_y(-11)
            self.set_font(CONDENSED, size=8)
            self.set_text_color(90, 90, 90)
            page = self.page_no() - self.copy_start + 1
            parts = [self.serial] if self.serial else []
            if self.pages_per_copy > 1:
                parts.append(f"trang {page}/{self.pages_per_copy}")
            self.cell(0, 4, " — ".join(parts), align="R")


def _header(sheet: Sheet, poll: Poll, serial: bool) -> None:
    """Body and serial left, Quốc hiệu right, then the title, subject and instructions."""
    pdf = sheet.pdf
    top = sheet.y
    left_w = 72.0
    right_w = pdf.epw - left_w
    right_x = pdf.l_margin + left_w
    bold10 = sheet.measure(SERIF, "B", 10)
    sheet.font(bold10)
    sheet.place(bold10, words.NATION, right_x, right_w, top, "C")
    bold11 = sheet.measure(SERIF, "B", 11)
    sheet.font(bold11)
    sheet.place(bold11, words.MOTTO, right_x, right_w, top + 4.6, "C")
    motto_w = bold11.width(words.MOTTO)
    sheet.line(
        right_x + (right_w - motto_w) / 2, top + 10.4, right_x + (right_w + motto_w) / 2, top + 10.4
    )
    right_bottom = top + 11.0
    sheet.paragraph(
        bold10, words.upper(text.clean(poll.body)) or "……………………", pdf.l_margin, left_w, 4.6, "C"
    )
    centre = pdf.l_margin + left_w / 2
    sheet.line(centre - 11, sheet.y + 0.8, centre + 11, sheet.y + 0.8)
    sheet.y += 1.5
    if serial:
        sheet.font(bold11)
        sheet.mark("serial", pdf.l_margin, sheet.y + 5.0, left_w)
        sheet.y += 6.0
    if sheet.pages == 1:
        sheet.y = max(sheet.y, right_bottom)
    sheet.y += 3.5
    width = pdf.epw
    x = pdf.l_margin
    sheet.paragraph(sheet.measure(SERIF, "B", 15), words.BALLOT_TITLE[poll.kind], x, width, 7, "C")
    subject = words.sentence(words.SUBJECT.get(poll.rules, ""))
    sheet.paragraph(sheet.measure(SERIF, "B", 10.5), subject, x, width, 4.8, "C")
    if poll.title:
        sheet.paragraph(sheet.measure(SERIF, "I", 10.5), text.clean(poll.title), x, width, 4.8, "C")
    sheet.y += 1.5
    sheet.paragraph(sheet.measure(SERIF, "I", 10), _INSTRUCTIONS[poll.kind], x, width, 4.5, "J")
    sheet.y += 2.0


def _row_height(grid_rows: list[float], room: float) -> float:
    """The common row height: as roomy as the page allows, never below SMALLEST_ROW.

    ``grid_rows`` holds each row's own height; the answer makes every row of a ballot of up
    to ONE_PAGE officials fit in ``room`` whenever their own heights allow it.
    """
    height = LARGEST_ROW
    while height > SMALLEST_ROW and sum(max(h, height) for h in grid_rows) > room:
        height = round(height - 0.1, 1)
    return max(height, SMALLEST_ROW)


def _table(sheet: Sheet, poll: Poll) -> None:
    pdf = sheet.pdf
    officials = poll.ballot_officials
    levels = poll.levels
    box_w = 15.0 if len(levels) == 3 else 20.0
    name_w = 50.0
    widths = (10.0, name_w, pdf.epw - 10.0 - name_w - box_w * len(levels), *[box_w] * len(levels))
    name = sheet.measure(CONDENSED, "", NAME_PT)
    position = sheet.measure(CONDENSED, "", POSITION_PT)
    head = sheet.measure(CONDENSED, "B", HEAD_PT)
    labels = ("STT", "Họ và tên", "Chức vụ", *[words.LEVEL[level] for level in levels])
    rows = [
        (str(n), text.clean(o.name), text.clean(o.position), *[""] * len(levels))
        for n, o in enumerate(officials, start=1)
    ]
    pad_v, pad_h = 0.8, 1.2
    own = [
        max(
            len(name.wrap(r[1], name_w - 2 * pad_h)),
            len(position.wrap(r[2], widths[2] - 2 * pad_h)),
        )
        * LINE_H
        + 2 * pad_v
        for r in rows
    ]
    grid = Grid(
        widths=widths,
        align=("C", "L", "L", *["C"] * len(levels)),
        body=(name, name, position, *[name] * len(levels)),
        head=head,
        line_h=LINE_H,
        pad_v=pad_v,
        pad_h=pad_h,
        head_fill=HEADER_FILL,
        x=pdf.l_margin,
        line_w=0.25,
    )
    cells = [HeadCell(label, i) for i, label in enumerate(labels)]
    room = sheet.bottom - sheet.y - head_height(grid, cells)
    table(sheet, replace(grid, min_row_h=_row_height(own, room)), cells, rows)


def _layout(poll: Poll, serial: bool) -> tuple[list, int]:
    """One copy's drawing, from its first page on, and how many pages it takes."""
    pdf = BallotPage()
    pdf.add_page()
    sheet = Sheet(pdf, record=True)
    _header(sheet, poll, serial)
    _table(sheet, poll)
    return sheet.ops, sheet.pages


def ballots_pdf(poll: Poll, copies: int = 1, serial: bool = False) -> bytes:
    """``copies`` ballot papers, serial ``Số: 001`` … when ``serial``.

    One copy is laid out once and drawn ``copies`` times. Raises DocumentError for
    copies < 1.
    """
    if copies < 1:
        raise DocumentError(f"Số bản phiếu phải từ 1 trở lên, không phải {copies}.")
    ops, pages_per_copy = _layout(poll, serial)
    pdf = BallotPage(pages_per_copy)
    for copy in range(1, copies + 1):
        # The footer of a page is drawn when the next page starts: switch serials after.
        pdf.add_page()
        pdf.serial = f"Số: {copy:03d}" if serial else ""
        pdf.copy_start = pdf.page_no()
        replay(pdf, ops, {"serial": pdf.serial})
    return output(pdf)
