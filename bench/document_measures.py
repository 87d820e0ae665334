"""Measures of the documents (issue 13, point 16) for a 481 × 44 poll.

Each document is timed against the plain library drawing the same pages with the same
fonts (fpdf2 for the PDFs, python-docx for the minutes, openpyxl for the workbook): the
same texts, one table row per official, one page per ballot copy. The two are interleaved
in one loop so that both see the same load. Pure computation: no database.
"""

from __future__ import annotations

import io

import docx
import fixtures
from fpdf import FPDF
from openpyxl import Workbook
from stats import timed_ms, timing, with_ratio

from tinnhiem import documents
from tinnhiem.documents.pdfbase import ASSETS
from tinnhiem.model import Poll
from tinnhiem.tally import tally

BALLOTS, OFFICIALS = 481, 44
TARGET = 3.0


def _pdf() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("serif", "", str(ASSETS / "DejaVuSerif.ttf"))
    pdf.add_font("serif", "B", str(ASSETS / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(left=20, top=12, right=12)
    return pdf


def plain_ballots(poll: Poll, copies: int) -> bytes:
    """fpdf2 alone: one page per copy, a title, a serial number, a row per official with
    its name, position and three boxes."""
    pdf = _pdf()
    for copy in range(1, copies + 1):
        pdf.add_page()
        pdf.set_font("serif", "B", 13)
        pdf.cell(0, 7, "PHIẾU LẤY PHIẾU TÍN NHIỆM", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("serif", "", 10)
        pdf.cell(0, 6, poll.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, f"Số: {copy:03d}", align="R", new_x="LMARGIN", new_y="NEXT")
        for number, official in enumerate(poll.ballot_officials, start=1):
            y = pdf.get_y()
            pdf.set_font("serif", "B", 11)
            pdf.cell(80, 6.2, f"{number}. {official.name}", border=1)
            pdf.set_font("serif", "", 10)
            pdf.cell(60, 6.2, official.position, border=1)
            for box in range(3):
                pdf.rect(162 + box * 12, y + 1, 4, 4)
            pdf.ln(6.2)
    return bytes(pdf.output())


def plain_minutes_pdf(poll: Poll) -> bytes:
    """fpdf2 alone: the minutes' headings, paragraphs and the result table of every official."""
    result = tally(poll)
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("serif", "B", 13)
    pdf.cell(0, 7, "BIÊN BẢN KIỂM PHIẾU", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", 11)
    for _ in range(8):
        pdf.multi_cell(0, 5, poll.title + " — " + poll.body * 4, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(10, 60, 30, 30, 30, 18)) as grid:
        grid.row(("STT", "Họ và tên", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Trống"))
        for number, row in enumerate(result.officials, start=1):
            counts = [f"{n} ({result.percent_vi(n)})" for n in row.counts.values()]
            grid.row((str(number), row.official.name, *counts, str(row.invalid)))
    return bytes(pdf.output())


def plain_minutes_docx(poll: Poll) -> bytes:
    """python-docx alone: the same headings, paragraphs and result table."""
    result = tally(poll)
    document = docx.Document()
    document.add_heading("BIÊN BẢN KIỂM PHIẾU", level=1)
    for _ in range(8):
        document.add_paragraph(poll.title + " — " + poll.body * 4)
    grid = document.add_table(rows=1, cols=6)
    heads = ("STT", "Họ và tên", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Trống")
    for cell, text in zip(grid.rows[0].cells, heads, strict=True):
        cell.text = text
    for number, row in enumerate(result.officials, start=1):
        counts = [f"{n} ({result.percent_vi(n)})" for n in row.counts.values()]
        cells = grid.add_row().cells
        values = (str(number), row.official.name, *counts, str(row.invalid))
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plain_results_xlsx(poll: Poll) -> bytes:
    """openpyxl alone: a header and one row of numbers per official."""
    result = tally(poll)
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Cao", "%", "TN", "%", "Thấp", "%", "Trống"])
    for number, row in enumerate(result.officials, start=1):
        cells = [number, row.official.name, row.official.position]
        for n in row.counts.values():
            cells += [n, n * 100 / max(result.base, 1)]
        sheet.append([*cells, row.invalid])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _measure(name: str, ours, plain, reps: int, ballots: int, **extra) -> dict:
    measured, baseline = [], []
    for _ in range(reps):
        measured.append(timed_ms(ours))
        baseline.append(timed_ms(plain))
    row = timing(name, measured, ballots=ballots, officials=OFFICIALS, **extra)
    return with_ratio(row, measured, baseline, target=TARGET)


def steps(reps: int, scale: float = 1.0) -> list[tuple[str, object]]:
    """(name, measure) for each document; ``measure`` takes nothing and returns a row.
    ``scale`` shrinks the ballots (and the ballot copies), not the officials."""
    ballots = max(2, round(BALLOTS * scale))
    poll = fixtures.poll(ballots, OFFICIALS, headroom=0)
    return [
        ("doc_minutes_pdf_481x44", lambda: _measure(
            "doc_minutes_pdf_481x44", lambda: documents.minutes_pdf(poll),
            lambda: plain_minutes_pdf(poll), reps, ballots)),
        ("doc_minutes_docx_481x44", lambda: _measure(
            "doc_minutes_docx_481x44", lambda: documents.minutes_docx(poll),
            lambda: plain_minutes_docx(poll), reps, ballots)),
        ("doc_ballots_pdf_481x44", lambda: _measure(
            "doc_ballots_pdf_481x44",
            lambda: documents.ballots_pdf(poll, copies=ballots, serial=True),
            lambda: plain_ballots(poll, ballots), max(1, reps // 3), ballots, copies=ballots)),
        ("doc_results_xlsx_481x44", lambda: _measure(
            "doc_results_xlsx_481x44", lambda: documents.results_xlsx(poll),
            lambda: plain_results_xlsx(poll), reps, ballots)),
    ]  # fmt: skip
