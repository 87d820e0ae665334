"""The result chart of the PDF minutes, drawn with fpdf2 rectangles (offline, no browser).

One horizontal bar per official, as long as the base: tín nhiệm cao and tín nhiệm grow
from the left, tín nhiệm thấp (or không tín nhiệm) from the right, grey for rows that gave
no valid mark; what is left white is the part of the base that cast no ballot or is not
entered yet. Dashed lines at ½ and ⅔ of the base, measured from the right, show at a
glance which low share crosses a threshold. Okabe–Ito colours, safe for colour-blind readers.
"""

from __future__ import annotations

from tinnhiem import words
from tinnhiem.documents.blocks import Heading
from tinnhiem.documents.pdfbase import CONDENSED, Page
from tinnhiem.documents.text import Measure, one_line, shorten
from tinnhiem.model import Kind
from tinnhiem.rules import BAND_NONE
from tinnhiem.tally import Tally

COLOURS = {
    "high": (0, 114, 178),  # Okabe–Ito blue #0072B2
    "confidence": (86, 180, 233),  # sky blue #56B4E9
    "low": (213, 94, 0),  # vermillion #D55E00
    "no_confidence": (213, 94, 0),
    "invalid": (170, 170, 170),
}
TEXT_ON = {"high": (255, 255, 255), "confidence": (0, 0, 0), "low": (0, 0, 0)}
TEXT_ON["no_confidence"] = (0, 0, 0)
LABEL_W = 52.0
VALUE_W = 20.0


def _edges(result: Tally) -> list[str]:
    """The rule set's edges as written: ``1/2``, ``2/3`` (``3/5`` for a custom one)."""
    return [f"{b.edge.numerator}/{b.edge.denominator}" for b in result.rules.bands(result.kind)]


def _legend(pdf: Page, kind: Kind, edges: list[str]) -> None:
    pdf.set_font(CONDENSED, size=7.5)
    keys = [
        *(
            [level for level in ("high", "confidence", "low")]
            if kind == Kind.POLL
            else ["confidence", "no_confidence"]
        ),
        "invalid",
    ]
    labels = {**words.LEVEL, "invalid": "Không hợp lệ"}
    x = pdf.l_margin
    y = pdf.get_y()
    for key in keys:
        pdf.set_fill_color(*COLOURS[key])
        pdf.rect(x, y + 0.8, 3, 3, style="F")
        pdf.set_xy(x + 4, y)
        label = labels[key]
        pdf.cell(pdf.get_string_width(label) + 2, 4.6, label)
        x = pdf.get_x() + 4
    pdf.set_xy(x + 2, y)
    marks = "mốc " + (f"{', '.join(edges[:-1])} và {edges[-1]}" if len(edges) > 1 else edges[0])
    pdf.cell(0, 4.6, f"Vạch đứt: {marks} cơ số, tính từ phải")  # fits 165 mm
    pdf.ln(6)


def _threshold_lines(
    pdf: Page, x0: float, width: float, top: float, bottom: float, result: Tally
) -> None:
    bands = result.rules.bands(result.kind)
    with pdf.local_context():
        pdf.set_draw_color(60, 60, 60)
        pdf.set_line_width(0.25)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.set_font(CONDENSED, size=6.5)
        pdf.set_text_color(60, 60, 60)
        for band, label in zip(bands, _edges(result), strict=True):
            x = x0 + width * (1 - float(band.edge))
            pdf.line(x, top, x, bottom)
            pdf.text(x - pdf.get_string_width(label) / 2, top - 0.6, label)


def draw_chart(pdf: Page, result: Tally) -> None:
    """Draw the chart at the current position, breaking pages between bars."""
    if not result.officials:
        return
    kind = result.kind
    deciding = "low" if kind == Kind.POLL else "no_confidence"
    left_levels = ("high", "confidence") if kind == Kind.POLL else ("confidence",)
    n = len(result.officials)
    bar_h = 4.2 if n > 20 else 5.5
    step = bar_h + (1.6 if n > 20 else 2.4)
    bar_w = pdf.epw - LABEL_W - VALUE_W
    x0 = pdf.l_margin + LABEL_W
    if pdf.will_page_break(30 + 2 * step):
        pdf.add_page()
    pdf.heading(Heading("Biểu đồ kết quả", level=2))
    _legend(pdf, kind, _edges(result))
    pdf.ln(2)
    segment_top = pdf.get_y()
    for number, r in enumerate(result.officials, start=1):
        if pdf.will_page_break(step + 2):
            _threshold_lines(pdf, x0, bar_w, segment_top - 1, pdf.get_y(), result)
            pdf.add_page()
            pdf.ln(3)
            segment_top = pdf.get_y()
        y = pdf.get_y()
        label = f"{number}. {one_line(r.official.name)}"
        size = 7.5
        pdf.set_font(CONDENSED, size=size)
        while pdf.get_string_width(label) > LABEL_W - 2 and size > 5.5:
            size -= 0.5
            pdf.set_font(CONDENSED, size=size)
        label = shorten(Measure(pdf, CONDENSED, "", size), label, LABEL_W - 2)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(LABEL_W - 2, bar_h, label, align="R")
        unit = bar_w / result.base
        segments = [(level, r.counts[level], x0 + 0.0) for level in left_levels]
        x = x0
        for level, count, _ in segments:
            _segment(pdf, level, count, x, y, count * unit, bar_h)
            x += count * unit
        _segment(pdf, "invalid", r.invalid, x, y, r.invalid * unit, bar_h)
        low = r.counts[deciding]
        _segment(pdf, deciding, low, x0 + bar_w - low * unit, y, low * unit, bar_h)
        with pdf.local_context():
            pdf.set_draw_color(120, 120, 120)
            pdf.set_line_width(0.15)
            pdf.rect(x0, y, bar_w, bar_h)
        pdf.set_xy(x0 + bar_w + 1, y)
        pdf.set_font(CONDENSED, "B" if r.band != BAND_NONE else "", 7.5)
        pdf.cell(VALUE_W - 1, bar_h, result.percent_vi(low), align="R")
        pdf.set_y(y + step)
    _threshold_lines(pdf, x0, bar_w, segment_top - 1, pdf.get_y() - step + bar_h + 1, result)
    pdf.set_font(CONDENSED, size=7)
    pdf.set_x(x0)
    pdf.cell(
        bar_w + VALUE_W,
        4,
        f"Cả thanh = {words.BASE[result.base_name]} ({words.number(result.base)}); số bên phải: "
        f"tỷ lệ {words.LEVEL[deciding].lower()}.",
        align="L",
    )
    pdf.ln(6)


def _segment(pdf: Page, level: str, count: int, x: float, y: float, w: float, h: float) -> None:
    if count <= 0:
        return
    with pdf.local_context():
        pdf.set_fill_color(*COLOURS[level])
        pdf.rect(x, y, w, h, style="F")
        text = str(count)
        pdf.set_font(CONDENSED, size=6.5)
        if w >= pdf.get_string_width(text) + 1.5:
            pdf.set_text_color(*TEXT_ON.get(level, (0, 0, 0)))
            pdf.set_xy(x, y)
            pdf.cell(w, h, text, align="C")
