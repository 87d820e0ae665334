"""Hostile and very long text through every document: each is made, opens, and reads back."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from document_reading import docx_text, flat, in_order, pdf_pages, pdf_text
from openpyxl import load_workbook

from tinnhiem import documents
from tinnhiem.demo import demo_poll
from tinnhiem.documents import DocumentError
from tinnhiem.documents.text import clean
from tinnhiem.limits import MAX_NAME, MAX_POSITION, MAX_TITLE
from tinnhiem.model import BoardMember, Poll
from tinnhiem.pollfile import poll_to_data

# Text as long as the poll's limits allow (tinnhiem.limits): the documents must draw it all.
LONG = " ".join(["Nguyễn Văn Trường Giang"] * 13)[:MAX_TITLE]  # words to wrap at
LONG_NAME = LONG[:MAX_NAME]
UNBROKEN = "Ư" * MAX_POSITION  # no space anywhere: must be cut mid-word
UNBROKEN_NAME = "Ư" * MAX_NAME
CONTROL = "Lê\x00 Thị\x01\x0b\x1f\x7f\x85 Hoa\ufeff\u202e"
ODD = "Lê Thị\u202e Hoa\ufeff"  # what the poll accepts but no document should print
# The board's names differ from the officials' (a board member is never on the ballot, M01).
BOARD_NAMES = (
    " ".join(["Trần Thị Thư Ký"] * 10)[:MAX_NAME],
    "Hồ\u202e Văn Ủy\ufeff",
    "Ơ" * MAX_NAME,
)
HOSTILE = "<b>x</b> ![](http://127.0.0.9/x.png) $x^2$ :red[đỏ] =1+1"


def hostile_poll() -> Poll:
    """The demo poll with text at its length limits, unbroken, with invisible marks and markup
    in every field (control characters are refused by the poll itself, S08)."""
    poll = demo_poll(None)
    officials = list(poll.officials)
    officials[0] = replace(officials[0], name=LONG_NAME, position=LONG)
    officials[1] = replace(officials[1], name=UNBROKEN_NAME, position=UNBROKEN)
    officials[2] = replace(officials[2], name=ODD, position=HOSTILE)
    board = tuple(
        BoardMember(name, member.role)
        for name, member in zip(BOARD_NAMES, poll.board, strict=False)
    )
    return replace(
        poll,
        officials=tuple(officials),
        board=board,
        title=LONG,
        body=LONG,
        place=UNBROKEN,
        remarks=" ".join([LONG] * 15) + "\r\n" + ODD,
    )


@pytest.fixture(scope="module")
def poll() -> Poll:
    return hostile_poll()


def test_clean_removes_what_no_writer_holds_and_keeps_the_rest():
    """Control characters, BOM and bidi overrides go; letters, tab and line ends stay, in NFC."""
    assert clean(CONTROL) == "Lê Thị Hoa"
    assert clean("a\tb\r\nc") == "a\tb\r\nc"
    assert clean("Nguye\u0302\u0303n") == "Nguyễn"
    assert clean(None) == ""


def test_minutes_pdf_wraps_long_text_over_pages(poll):
    """The minutes PDF is made; the long name, the unbroken one and the cleaned one read back."""
    data = documents.minutes_pdf(poll)
    text = flat(pdf_text(data))
    assert in_order(text, "Nguyễn Văn Trường Giang " * 10)
    # the place once, the unbroken position and name in the table and in the result per person
    assert text.count("Ư") >= 3 * MAX_POSITION + 2 * MAX_NAME
    assert "Lê Thị Hoa" in text
    assert "\x00" not in text and "\ufeff" not in text
    assert pdf_pages(data) > pdf_pages(documents.minutes_pdf(demo_poll(None)))


def test_ballots_pdf_wraps_long_names_and_repeats_the_header(poll):
    """Ballots with texts at their length limits are made; from where the table starts, every page
    of a copy repeats its header row."""
    data = documents.ballots_pdf(poll, copies=2, serial=True)
    pages = pdf_pages(data)
    assert pages >= 4 and pages % 2 == 0
    per_copy = pages // 2
    heads = ["Họ và tên" in pdf_text(data, page=page) for page in range(1, per_copy + 1)]
    start = heads.index(True)
    assert all(heads[start:]) and per_copy - start >= 2, heads
    for page in range(1, per_copy + 1):
        assert f"Số: 001 — trang {page}/{per_copy}" in pdf_text(data, page=page, footer=True)
    text = flat(pdf_text(data))
    assert in_order(text, "Nguyễn Văn Trường Giang " * 20)
    assert "Lê Thị Hoa" in text


@pytest.mark.parametrize("name", ["minutes_docx", "resolution_docx"])
def test_word_files_are_made_and_read_back(poll, name):
    """Both Word files open, and hold the long and the cleaned names without control chars."""
    text = docx_text(getattr(documents, name)(poll))
    assert LONG in text
    assert "Lê Thị Hoa" in text
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


def test_xlsx_holds_the_cleaned_names(poll):
    """The workbook opens and holds the names cleaned, the long one whole."""
    sheet = load_workbook(io.BytesIO(documents.results_xlsx(poll))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert LONG in values and UNBROKEN in values and "Lê Thị Hoa" in values


def test_csv_holds_the_cleaned_names(poll):
    """The CSV parses back and holds the cleaned names."""
    rows = list(csv.reader(io.StringIO(documents.results_csv(poll).decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:] if len(row) > 2]
    assert LONG_NAME in names and "Lê Thị Hoa" in names


def test_failure_inside_a_writer_is_a_vietnamese_document_error(monkeypatch):
    """A fault inside fpdf2 comes out as DocumentError naming the document, in Vietnamese."""
    from tinnhiem.documents import pdfbase

    def broken(_self, *_args, **_kwargs):
        raise ValueError("row too high")

    monkeypatch.setattr(pdfbase.Page, "grid", broken)
    with pytest.raises(DocumentError, match="Không tạo được biên bản kiểm phiếu \\(PDF\\)"):
        documents.minutes_pdf(demo_poll(None))


def test_cli_prints_one_vietnamese_line_for_a_document_it_cannot_make(tmp_path: Path):
    """When a document cannot be made, the CLI prints one line and exits non-zero."""
    import json

    source = tmp_path / "poll.json"
    source.write_text(json.dumps(poll_to_data(demo_poll(None)), ensure_ascii=False))
    script = (
        "import sys\n"
        "from tinnhiem.documents import pdfbase\n"
        "def broken(self, *a, **k): raise ValueError('row too high')\n"
        "pdfbase.Page.grid = broken\n"
        "from tinnhiem.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, "minutes", str(source), "-o", str(tmp_path / "b.pdf")],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Không tạo được biên bản kiểm phiếu (PDF)" in lines[0]
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "b.pdf").exists()
