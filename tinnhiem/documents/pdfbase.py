"""The A4 page every PDF of tinnhiem is printed on: fonts, letterhead, blocks, tables.

The page follows Nghị định 30/2020/NĐ-CP, Phụ lục I (the presentation of administrative
documents): A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; body text 13 pt in
a Times-metric serif (Liberation Serif 2, shipped in ``tinnhiem/assets``: Times New Roman
itself cannot be shipped; tests/test_documents_layout.py checks its Vietnamese letters one
by one); page numbers in Arabic figures, 13 pt, upright, centred in the top margin, none on
the first page. The ballot form keeps its own margins (ballots.py). Fonts are embedded as
subsets, so the file prints the same on any machine; DejaVu draws any sign the serif lacks;
every text is put in NFC before it is measured or drawn. Nothing here reaches the network:
the only picture (the watermark of a provisional result) is drawn here with Pillow.
"""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from tinnhiem import words
from tinnhiem.documents.blocks import Heading, Letterhead, Para, Signatures, Table
from tinnhiem.documents.sheet import Grid, HeadCell, Sheet, table
from tinnhiem.documents.text import Measure, clean, one_line, shorten

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SERIF = "serif"
CONDENSED = "condensed"
MONO = "mono"

FALLBACK = "dejavu"  # signs the serif lacks (✔, →): drawn from DejaVu

# The serif of the text, by style: Times-metric for the administrative documents; the
# ballot form keeps DejaVu Serif, whose wider letters its layout and its reader were made for.
ADMINISTRATIVE_SERIF = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
FORM_SERIF = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-Bold.ttf",
}
_FONTS = (
    (FALLBACK, "", "DejaVuSerif.ttf"),
    (FALLBACK, "B", "DejaVuSerif-Bold.ttf"),
    (FALLBACK, "I", "DejaVuSerif-Italic.ttf"),
    (CONDENSED, "", "DejaVuSerifCondensed.ttf"),
    (CONDENSED, "B", "DejaVuSerifCondensed-Bold.ttf"),
    (MONO, "", "DejaVuSansMono.ttf"),
)
INK = (0, 0, 0)
NOTICE = (180, 30, 0)
HEADER_FILL = (230, 230, 230)
WHITE = (255, 255, 255)
# Nghị định 30/2020, Phụ lục I: margins (mm), body size (pt), the page number's size.
TOP_MARGIN, BOTTOM_MARGIN, LEFT_MARGIN, RIGHT_MARGIN = 20.0, 20.0, 30.0, 15.0
BODY_PT = 13.0
PAGE_NUMBER_PT = 13.0
HEAD_PT = 12.5  # the issuing body and the Quốc hiệu (12–13 pt)
MOTTO_PT = 13.5  # the Tiêu ngữ (13–14 pt)
TITLE_PT = 14.0  # the kind of document (BIÊN BẢN …, 13–14 pt)
LINE = 5.8  # mm per line of body text (13 pt, a little over single spacing)
HEADING = 11.0  # mm a one-line heading takes (its space above, line and space below)
TABLE_START = 45.0  # mm a table's header and first rows need on a page, or it starts anew


class Page(FPDF):
    """An A4 portrait PDF with the Vietnamese administrative margins and fonts."""

    serif = ADMINISTRATIVE_SERIF  # a subclass may draw its text in another serif
    numbered = True  # page numbers at the top from page 2 (a ballot form has none)

    def __init__(self, watermark: str = "", footer_text: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, filename in self.serif.items():
            self.add_font(SERIF, style, str(ASSETS / filename))
        for family, style, filename in _FONTS:
            self.add_font(family, style, str(ASSETS / filename))
        self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.set_margins(left=LEFT_MARGIN, top=TOP_MARGIN, right=RIGHT_MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.watermark = one_line(watermark)
        self.footer_text = one_line(footer_text)
        self.set_lang("vi")
        self.describe()
        self.set_font(SERIF, size=BODY_PT)

    def describe(self, title: str = "", subject: str = "", made: str | None = None) -> None:
        """The file's metadata: its title, the poll it is about, and ``made`` (ISO 8601:
        the lock time of a locked result) as its creation date. Without ``made`` the date
        is fixed, so the same poll always gives the same bytes."""
        self.set_title(one_line(title))
        self.set_subject(one_line(subject))
        self.set_creator("tinnhiem")
        self.set_creation_date(_moment(made))

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(clean(text).replace("\r\n", "\n").replace("\r", "\n"))

    def header(self) -> None:
        if self.numbered and self.page_no() > 1:  # centred in the top margin; none on page 1
            with self.local_context():
                self.set_xy(self.l_margin, 9)
                self.set_font(SERIF, size=PAGE_NUMBER_PT)
                self.cell(self.epw, 5, str(self.page_no()), align="C")
        if self.watermark:
            # A picture, not text: the diagonal words must not break the text a reader copies.
            width = self.w - 60
            y = self.h / 2 - width * 0.37
            self.image(watermark_image(self.watermark), x=30, y=y, w=width)
            with self.local_context():
                self.set_xy(self.l_margin, 4)
                self.set_font(SERIF, "B", 9)
                self.set_text_color(*NOTICE)
                self.cell(self.epw, 4, self.watermark.upper(), align="R")
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        if not self.footer_text:
            return
        with self.local_context():  # which document a loose page belongs to
            self.set_y(-13)
            self.set_font(SERIF, size=8)
            self.set_text_color(90, 90, 90)
            footer = shorten(Measure(self, SERIF, "", 8), self.footer_text, self.epw)
            self.cell(self.epw, 4, footer, align="L")

    # -- building blocks -------------------------------------------------------------

    def rule(self, x_center: float, y: float, width: float) -> None:
        """The short horizontal line under the motto and the issuer."""
        self.set_line_width(0.3)
        self.line(x_center - width / 2, y, x_center + width / 2, y)

    def centred(self, width: float, line_h: float, text: str) -> None:
        """``text`` centred in ``width`` mm from the current x, wrapped by ``Measure.wrap``
        (never inside a bracketed group that fits a line), x kept for the next line."""
        x = self.get_x()
        measure = Measure(self, self.font_family, self.font_style, self.font_size_pt)
        for line in measure.wrap(clean(text), width - 2 * self.c_margin):
            self.set_x(x)
            self.cell(width, line_h, line, align="C", new_x="LEFT", new_y="NEXT")

    def letterhead(self, head: Letterhead) -> None:
        """Issuing body on the left, Quốc hiệu and tiêu ngữ on the right, then the title."""
        top = self.get_y()
        self.set_font(SERIF, "B", HEAD_PT)
        right_w = max(self.epw - 72.0, self.get_string_width(words.NATION) + 4)
        left_w = self.epw - right_w
        left_x, right_x = self.l_margin, self.l_margin + left_w
        self.set_xy(left_x, top)
        self.set_font(SERIF, size=HEAD_PT)
        if head.body:
            self.centred(left_w, 5.2, head.body)
        self.set_font(SERIF, "B", HEAD_PT)
        self.centred(left_w, 5.2, head.issuer)
        self.rule(left_x + left_w / 2, self.get_y() + 0.8, 22)
        left_bottom = self.get_y() + 1.5
        if head.number:
            self.set_xy(left_x, left_bottom + 1)
            self.set_font(SERIF, size=HEAD_PT)
            self.cell(left_w, 5, head.number, align="C")
            left_bottom += 6
        self.set_xy(right_x, top)
        self.set_font(SERIF, "B", HEAD_PT)
        self.cell(right_w, 5.2, words.NATION, align="C", new_x="LEFT", new_y="NEXT")
        self.set_font(SERIF, "B", MOTTO_PT)
        self.cell(right_w, 5.8, words.MOTTO, align="C", new_x="LEFT", new_y="NEXT")
        motto_w = self.get_string_width(words.MOTTO)
        self.rule(right_x + right_w / 2, self.get_y() + 0.6, motto_w)
        self.set_xy(right_x, self.get_y() + 3)
        self.set_font(SERIF, "I", BODY_PT)
        self.multi_cell(right_w, LINE, head.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(self.get_y(), left_bottom) + 6)
        self.set_font(SERIF, "B", TITLE_PT)
        self.centred(self.epw, 7, head.title)
        if head.subtitle:
            self.set_font(SERIF, "B", BODY_PT)
            self.centred(self.epw, LINE + 0.4, head.subtitle)
        self.ln(4)

    def heading(self, block: Heading, keep: float = 20) -> None:
        """A heading; a new page first unless ``keep`` mm (the heading and the start of
        what it heads) fit on this one."""
        if self.will_page_break(keep):
            self.add_page()
        self.ln(2.5 if block.level == 1 else 1.5)
        self.set_font(SERIF, "B" if block.level == 1 else "BI", BODY_PT)
        self.multi_cell(0, LINE + 0.4, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def para(self, block: Para) -> None:
        style = {"bold": "B", "italic": "I", "notice": "B"}.get(block.style, "")
        self.set_font(SERIF, style, BODY_PT)
        if block.style == "notice":
            self.set_text_color(*NOTICE)
        align = {"justify": "J", "left": "L", "center": "C", "right": "R"}[block.align]
        self.set_x(self.l_margin + block.indent)
        self.multi_cell(
            self.epw - block.indent, LINE, block.text, align=align, new_x="LMARGIN", new_y="NEXT"
        )
        self.set_text_color(*INK)
        self.ln(0.6)

    def grid(self, block: Table) -> None:
        """A table; its header row(s) repeat on every page it runs over, and a row taller
        than what is left of a page continues on the next."""
        scale = self.epw / sum(block.widths) if sum(block.widths) > self.epw else 1.0
        widths = tuple(w * scale for w in block.widths)
        if self.will_page_break(TABLE_START):  # header and a few rows, or the next page
            self.add_page()
        sheet = Sheet(self)
        body = sheet.measure(SERIF, "", block.size)
        mono = sheet.measure(MONO, "", block.size - 0.5)
        grid = Grid(
            widths=widths,
            align=block.align,
            body=[mono if i in block.mono else body for i in range(len(widths))],
            head=sheet.measure(SERIF, "B", block.size),
            line_h=block.size * 0.48,
            pad_v=0.8,
            pad_h=1.0,
            head_fill=HEADER_FILL,
            x=self.l_margin,
        )
        self.set_draw_color(0)
        table(sheet, grid, _head_cells(block), block.rows)
        self.set_y(sheet.y)
        self.ln(2)

    def signatures(self, block: Signatures) -> None:
        """Signers three to a row: role, '(Ký, ghi rõ họ tên)', space, name."""
        signers = list(block.signers)
        if self.will_page_break(43 * ((len(signers) + 2) // 3)):  # keep the block together
            self.add_page()
        while signers:
            line, signers = signers[:3], signers[3:]
            self.ln(3)
            top = self.get_y()
            width = self.epw / len(line)
            for i, (role, name) in enumerate(line):
                x = self.l_margin + i * width
                self.set_xy(x, top)
                self.set_font(SERIF, "B", BODY_PT)
                self.multi_cell(width, LINE, role, align="C", new_x="LEFT", new_y="NEXT")
                self.set_font(SERIF, "I", BODY_PT - 1)
                self.cell(width, 5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
                self.set_xy(x, top + 32)
                self.set_font(SERIF, "B", BODY_PT)
                self.multi_cell(width, LINE, name, align="C", new_x="LEFT", new_y="NEXT")
            self.set_y(top + 40)


def _head_cells(block: Table) -> list[HeadCell]:
    """The header cells of a table: one row, or groups over the column labels."""
    if not block.groups:
        return [HeadCell(label, i) for i, label in enumerate(block.header)]
    cells, column = [], 0
    for label, span in block.groups:
        if span == 1:
            cells.append(HeadCell(label, column, rowspan=2))
        else:
            cells.append(HeadCell(label, column, colspan=span))
            cells.extend(HeadCell(block.header[column + i], column + i, row=1) for i in range(span))
        column += span
    return cells


@functools.cache
def _watermark_png(text: str) -> bytes:
    font = ImageFont.truetype(str(ASSETS / "DejaVuSerif-Bold.ttf"), 110)
    # Whole pixels for a TrueType font (Pillow types the box as floats, for other layouts).
    left, top, right, bottom = (int(edge) for edge in font.getbbox(text))
    label = Image.new("LA", (right - left + 40, bottom - top + 40), (0, 0))
    ImageDraw.Draw(label).text((20 - left, 20 - top), text, font=font, fill=(150, 110))
    turned = label.rotate(35, expand=True, resample=Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    turned.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def watermark_image(text: str) -> io.BytesIO:
    """The watermark as a translucent grey picture, turned 35°, drawn offline with Pillow."""
    return io.BytesIO(_watermark_png(words.nfc(text)))


def _moment(made: str | None) -> datetime:
    """The creation date of a file: ``made`` (ISO 8601) or, without one or if unreadable,
    a fixed date (2000-01-01), so that output stays the same for the same input."""
    if made:
        try:
            moment = datetime.fromisoformat(made)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime(2000, 1, 1, tzinfo=UTC)


def output(pdf: FPDF) -> bytes:
    """The finished PDF file."""
    return bytes(pdf.output())
