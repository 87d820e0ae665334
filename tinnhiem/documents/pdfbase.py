"""The A4 page every PDF of tinnhiem is printed on: fonts, letterhead, blocks, tables.

Fonts are the DejaVu TTFs shipped in ``tinnhiem/assets`` (embedded as subsets, so the
file prints the same on any machine); every text is put in NFC before it is measured or
drawn. Nothing here reaches the network: the only picture (the watermark of a provisional
result) is drawn here with Pillow.
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

_FONTS = (
    (SERIF, "", "DejaVuSerif.ttf"),
    (SERIF, "B", "DejaVuSerif-Bold.ttf"),
    (SERIF, "I", "DejaVuSerif-Italic.ttf"),
    (CONDENSED, "", "DejaVuSerifCondensed.ttf"),
    (CONDENSED, "B", "DejaVuSerifCondensed-Bold.ttf"),
    (MONO, "", "DejaVuSansMono.ttf"),
)
INK = (0, 0, 0)
NOTICE = (180, 30, 0)
HEADER_FILL = (230, 230, 230)
WHITE = (255, 255, 255)
LINE = 5.0  # mm per line of body text


class Page(FPDF):
    """An A4 portrait PDF with the Vietnamese administrative margins and fonts."""

    def __init__(self, watermark: str = "", footer_text: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        for family, style, filename in _FONTS:
            self.add_font(family, style, str(ASSETS / filename))
        self.set_margins(left=25, top=15, right=15)
        self.set_auto_page_break(True, margin=18)
        self.watermark = one_line(watermark)
        self.footer_text = one_line(footer_text)
        # A fixed creation date: the same poll gives the same bytes.
        self.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
        self.set_font(SERIF, size=11)

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(clean(text).replace("\r\n", "\n").replace("\r", "\n"))

    def header(self) -> None:
        if not self.watermark:
            return
        # A picture, not text: the diagonal words must not break the text a reader copies.
        width = self.w - 60
        self.image(watermark_image(self.watermark), x=30, y=self.h / 2 - width * 0.37, w=width)
        with self.local_context():
            self.set_xy(self.l_margin, 6)
            self.set_font(CONDENSED, "B", 8.5)
            self.set_text_color(*NOTICE)
            self.cell(self.epw, 5, self.watermark.upper(), align="C")
        self.set_xy(self.l_margin, self.t_margin)

    def stroke_rects(self, rects, width: float) -> None:
        """Outline rectangles (x, y, w, h in mm) in black as one path: a ballot's 90 mark
        boxes cost one operation, not 90 ``rect`` calls and their line-width changes."""
        self._out(f"q {width * self.k:.3f} w 0 G {self._path(rects)} S Q")

    def fill_black(self, rects) -> None:
        """Fill rectangles (x, y, w, h in mm) black as one path (corner markers, QR codes)."""
        self._out(f"q 0 g {self._path(rects)} f Q")

    def _path(self, rects) -> str:
        k, top = self.k, self.h
        return " ".join(
            f"{x * k:.3f} {(top - y) * k:.3f} {w * k:.3f} {-h * k:.3f} re" for x, y, w, h in rects
        )

    def footer(self) -> None:
        with self.local_context():
            self.set_y(-12)
            self.set_font(CONDENSED, size=7.5)
            self.set_text_color(90, 90, 90)
            footer = shorten(Measure(self, CONDENSED, "", 7.5), self.footer_text, self.epw * 0.78)
            self.cell(self.epw * 0.8, 4, footer, align="L")
            self.cell(self.epw * 0.2, 4, f"Trang {self.page_no()}/{{nb}}", align="R")

    # -- building blocks -------------------------------------------------------------

    def rule(self, x_center: float, y: float, width: float) -> None:
        """The short horizontal line under the motto and the issuer."""
        self.set_line_width(0.3)
        self.line(x_center - width / 2, y, x_center + width / 2, y)

    def letterhead(self, head: Letterhead) -> None:
        """Issuing body on the left, Quốc hiệu and tiêu ngữ on the right, then the title."""
        top = self.get_y()
        left_w, right_w = 72.0, self.epw - 72.0
        left_x, right_x = self.l_margin, self.l_margin + left_w
        self.set_xy(left_x, top)
        self.set_font(SERIF, size=10)
        if head.body:
            self.multi_cell(left_w, 4.6, head.body, align="C", new_x="LEFT", new_y="NEXT")
        self.set_font(SERIF, "B", 10)
        self.multi_cell(left_w, 4.6, head.issuer, align="C", new_x="LEFT", new_y="NEXT")
        self.rule(left_x + left_w / 2, self.get_y() + 0.8, 22)
        left_bottom = self.get_y() + 1.5
        if head.number:
            self.set_xy(left_x, left_bottom + 1)
            self.set_font(SERIF, size=10)
            self.cell(left_w, 5, head.number, align="C")
            left_bottom += 6
        self.set_xy(right_x, top)
        self.set_font(SERIF, "B", 10)
        self.cell(right_w, 4.6, words.NATION, align="C", new_x="LEFT", new_y="NEXT")
        self.set_font(SERIF, "B", 11)
        self.cell(right_w, 5.2, words.MOTTO, align="C", new_x="LEFT", new_y="NEXT")
        motto_w = self.get_string_width(words.MOTTO)
        self.rule(right_x + right_w / 2, self.get_y() + 0.6, motto_w)
        self.set_xy(right_x, self.get_y() + 3)
        self.set_font(SERIF, "I", 10)
        self.multi_cell(right_w, 4.6, head.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_y(max(self.get_y(), left_bottom) + 6)
        self.set_font(SERIF, "B", 14)
        self.multi_cell(0, 7, head.title, align="C", new_x="LMARGIN", new_y="NEXT")
        if head.subtitle:
            self.set_font(SERIF, "B", 11)
            self.multi_cell(0, 5.5, head.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def heading(self, block: Heading) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(2.5 if block.level == 1 else 1.5)
        self.set_font(SERIF, "B", 11 if block.level == 1 else 10.5)
        self.multi_cell(0, 6, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def para(self, block: Para) -> None:
        style = {"bold": "B", "italic": "I", "notice": "B"}.get(block.style, "")
        size = 10 if block.style == "italic" else 11
        self.set_font(SERIF, style, size)
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
        if self.will_page_break(45):  # header and a few rows, or start on the next page
            self.add_page()
        sheet = Sheet(self)
        body = sheet.measure(CONDENSED, "", block.size)
        mono = sheet.measure(MONO, "", block.size - 0.5)
        grid = Grid(
            widths=widths,
            align=block.align,
            body=[mono if i in block.mono else body for i in range(len(widths))],
            head=sheet.measure(CONDENSED, "B", block.size),
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
                self.set_font(SERIF, "B", 10.5)
                self.multi_cell(width, 5, role, align="C", new_x="LEFT", new_y="NEXT")
                self.set_font(SERIF, "I", 9)
                self.cell(width, 4.5, "(Ký, ghi rõ họ tên)", align="C", new_x="LEFT", new_y="NEXT")
                self.set_xy(x, top + 32)
                self.set_font(SERIF, "B", 10.5)
                self.multi_cell(width, 5, name, align="C", new_x="LEFT", new_y="NEXT")
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


def output(pdf: FPDF) -> bytes:
    """The finished PDF file."""
    return bytes(pdf.output())
