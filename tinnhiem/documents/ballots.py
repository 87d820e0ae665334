"""Ballot papers (phiếu tín nhiệm): A4, one copy after another, exempt officials left off.

A ballot that does not fit on one page (45 officials) runs on, with the header row of the
table repeated and every page marked with its serial number and page, so loose pages of
one ballot can be matched. Each copy starts on a new page.
"""

from __future__ import annotations

from fpdf.fonts import FontFace

from tinnhiem.documents import words
from tinnhiem.documents.pdfbase import CONDENSED, HEADER_FILL, SERIF, WHITE, Page, output
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
_USABLE = 190.0  # mm of the first page left for the table under the header


class BallotPage(Page):
    """A page that knows which copy it belongs to, for the footer."""

    def __init__(self, pages_per_copy: int = 1):
        super().__init__()
        self.pages_per_copy = pages_per_copy
        self.serial = ""
        self.copy_start = 1

    def footer(self) -> None:
        with self.local_context():
            self.set_y(-12)
            self.set_font(CONDENSED, size=8)
            self.set_text_color(90, 90, 90)
            page = self.page_no() - self.copy_start + 1
            parts = [self.serial] if self.serial else []
            if self.pages_per_copy > 1:
                parts.append(f"trang {page}/{self.pages_per_copy}")
            self.cell(0, 4, " — ".join(parts), align="R")


def _header(pdf: BallotPage, poll: Poll, serial: str) -> None:
    top = pdf.get_y()
    left_w = 72.0
    right_w = pdf.epw - left_w
    pdf.set_font(SERIF, "B", 10)
    pdf.multi_cell(
        left_w, 4.6, words.upper(poll.body) or "……………………", align="C", new_x="LEFT", new_y="NEXT"
    )
    pdf.rule(pdf.l_margin + left_w / 2, pdf.get_y() + 0.8, 22)
    if serial:
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 2.5)
        pdf.set_font(SERIF, "B", 11)
        pdf.cell(left_w, 5, serial, align="C", new_x="LEFT", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(SERIF, "B", 10)
    pdf.cell(right_w, 4.6, words.NATION, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(SERIF, "B", 11)
    pdf.cell(right_w, 5.2, words.MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    pdf.rule(
        pdf.l_margin + left_w + right_w / 2, pdf.get_y() + 0.6, pdf.get_string_width(words.MOTTO)
    )
    pdf.set_y(max(pdf.get_y(), left_bottom) + 7)
    pdf.set_font(SERIF, "B", 15)
    pdf.cell(0, 7, words.BALLOT_TITLE[poll.kind], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "B", 10.5)
    pdf.multi_cell(
        0,
        5,
        words.sentence(words.SUBJECT.get(poll.rules, "")),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if poll.title:
        pdf.set_font(SERIF, "I", 10.5)
        pdf.multi_cell(0, 5, poll.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(SERIF, "I", 10)
    pdf.multi_cell(0, 4.8, _INSTRUCTIONS[poll.kind], align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: BallotPage, poll: Poll) -> None:
    officials = poll.ballot_officials
    levels = poll.levels
    box_w = 19.0 if len(levels) == 3 else 24.0
    widths = (10.0, 50.0, pdf.epw - 60.0 - box_w * len(levels), *[box_w] * len(levels))
    row_h = max(7.5, min(11.0, (_USABLE - 12) / max(len(officials), 1)))
    head = FontFace(family=CONDENSED, emphasis="BOLD", size_pt=9.5, fill_color=HEADER_FILL)
    body = FontFace(family=CONDENSED, size_pt=10, fill_color=WHITE)
    pdf.set_font(CONDENSED, size=10)
    pdf.set_line_width(0.25)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="L",
        line_height=4.4,
        headings_style=head,
        text_align="LEFT",
        padding=(0.6, 1.2),
        min_row_height=row_h,
    ) as table:
        row = table.row()
        for label in ("STT", "Họ và tên", "Chức vụ", *[words.LEVEL[level] for level in levels]):
            row.cell(label, align="C", style=head)
        for number, official in enumerate(officials, start=1):
            row = table.row()
            row.cell(str(number), align="C", style=body)
            row.cell(official.name, style=body)
            row.cell(official.position, style=body)
            for _ in levels:
                row.cell("", style=body)


def _render(poll: Poll, copies: int, serial: bool, pages_per_copy: int) -> BallotPage:
    pdf = BallotPage(pages_per_copy)
    for copy in range(1, copies + 1):
        # The footer of a page is drawn when the next page starts: switch serials after.
        pdf.add_page()
        pdf.serial = f"Số: {copy:03d}" if serial else ""
        pdf.copy_start = pdf.page_no()
        _header(pdf, poll, pdf.serial)
        _table(pdf, poll)
    return pdf


def ballots_pdf(poll: Poll, copies: int = 1, serial: bool = False) -> bytes:
    """``copies`` ballot papers, serial ``Số: 001`` … when ``serial``.

    Raises ValueError for copies < 1.
    """
    if copies < 1:
        raise ValueError("copies must be at least 1")
    pages_per_copy = _render(poll, 1, serial, 1).page_no()
    return output(_render(poll, copies, serial, pages_per_copy))
