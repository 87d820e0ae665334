"""Sheets of cells from the files agencies keep their lists in: XLSX, ODS, and HTML tables.

Each reader returns the workbook's sheets in order, every row as it is numbered on screen
(from 1), with the rows hidden in the workbook, so the caller can say which ones it left
out. ``file_format`` tells these, old binary Excel files and other documents apart by their
first bytes. XLSX needs openpyxl; ODS and HTML only the standard library.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MAX_REPEAT = 1_000  # ODS repeats empty rows and columns to the sheet's end (1 048 576)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, its rows of cells, and the numbers of the rows hidden in it."""

    title: str
    rows: list[list[object]]
    hidden: frozenset[int] = field(default_factory=frozenset)


def file_format(data: bytes, filename: str = "") -> str:
    """``xlsx``, ``ods``, ``xls`` (binary Excel 97–2003), ``html``, ``pdf``, ``docx``,
    ``image`` or ``text`` (anything else: read as CSV), by content; the name only tells
    which kind of broken zip a file is."""
    name = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                    return "ods"
                if any(n.startswith("word/") for n in names):
                    return "docx"
        except zipfile.BadZipFile:
            return "ods" if name.endswith(".ods") else "xlsx"  # broken: say which
        return "xlsx"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in head:
        return "html"
    return "text"


def xlsx_sheets(data: bytes) -> list[Sheet]:
    """The sheets of an XLSX workbook; a formula never calculated keeps its text.

    Raises whatever openpyxl raises for a file that is not a workbook.
    """
    import openpyxl  # only here: the rest of the module is standard library

    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    sheets = []
    for sheet, raw in zip(values.worksheets, formulas.worksheets, strict=True):
        rows: list[list[object]] = [
            [
                raw_cell if value is None and raw_cell is not None else value
                for value, raw_cell in zip(row_values, row_raw, strict=False)
            ]
            for row_values, row_raw in zip(
                sheet.iter_rows(min_row=1, values_only=True),
                raw.iter_rows(min_row=1, values_only=True),
                strict=False,
            )
        ]
        hidden = frozenset(n for n, d in sheet.row_dimensions.items() if d.hidden)
        sheets.append(Sheet(sheet.title, rows, hidden))
    return sheets


def _ods_text(cell: ElementTree.Element) -> str:
    paragraphs = cell.findall(f"{{{_TEXT}}}p")
    return "\n".join("".join(p.itertext()) for p in paragraphs)


def ods_sheets(data: bytes) -> list[Sheet]:
    """The sheets of an OpenDocument spreadsheet (LibreOffice, WPS), read from content.xml.

    Raises zipfile.BadZipFile, KeyError or ElementTree.ParseError for a broken file.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    sheets = []
    for table in root.iter(f"{{{_TABLE}}}table"):
        rows: list[list[object]] = []
        hidden: set[int] = set()
        for row in table.iter(f"{{{_TABLE}}}table-row"):
            cells: list[object] = []
            for cell in row:
                if cell.tag not in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                    continue
                repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
                cells.extend([_ods_text(cell)] * min(repeat, _MAX_REPEAT))
            while cells and cells[-1] == "":
                cells.pop()
            repeat = min(int(row.get(f"{{{_TABLE}}}number-rows-repeated", "1")), _MAX_REPEAT)
            for _ in range(repeat):
                rows.append(list(cells))
                if row.get(f"{{{_TABLE}}}visibility", "visible") != "visible":
                    hidden.add(len(rows))
        while rows and not any(rows[-1]):
            rows.pop()
        sheets.append(Sheet(table.get(f"{{{_TABLE}}}name", ""), rows, frozenset(hidden)))
    return sheets


def _span(value: str | None) -> int:
    return min(int(value), 50) if value and value.isdigit() and int(value) > 0 else 1


class _Tables(HTMLParser):
    """Collects the rows of every <table>; a merged cell (colspan, rowspan) keeps its place,
    the cells it covers left empty, so columns line up as on screen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sheets: list[Sheet] = []
        self.rows: list[list[object]] | None = None
        self._hidden: set[int] = set()
        self._row: list[object] | None = None
        self._cell: list[str] | None = None
        self._spans = (1, 1)
        self._covered: dict[int, int] = {}  # column → rows still covered by a rowspan

    def _skip_covered(self) -> None:
        assert self._row is not None
        while self._covered.get(len(self._row), 0) > 0:
            self._covered[len(self._row)] -= 1
            self._row.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self.rows, self._hidden, self._covered = [], set(), {}
        elif tag == "tr" and self.rows is not None:
            self._row = []
            style = re.sub(r"\s", "", (attributes.get("style") or "").lower())
            if "display:none" in style or "hidden" in attributes:
                self._hidden.add(len(self.rows) + 1)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._spans = (_span(attributes.get("colspan")), _span(attributes.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._skip_covered()
            columns, rows = self._spans
            for offset in range(columns):
                if rows > 1:
                    self._covered[len(self._row) + offset] = rows - 1
            self._row.extend(["".join(self._cell)] + [""] * (columns - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.rows is not None:
            while any(n > 0 for c, n in self._covered.items() if c >= len(self._row)):
                if self._covered.get(len(self._row), 0) > 0:
                    self._skip_covered()
                else:
                    self._row.append("")  # a gap before a column still covered
            self.rows.append(self._row)
            self._row = None
        elif tag == "table" and self.rows is not None:
            self._close_table()

    def close(self) -> None:
        super().close()
        if self.rows:  # a table never closed: keep what it had
            self._close_table()

    def _close_table(self) -> None:
        assert self.rows is not None
        title = f"bảng {len(self.sheets) + 1}"
        self.sheets.append(Sheet(title, self.rows, frozenset(self._hidden)))
        self.rows = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_sheets(text: str) -> list[Sheet]:
    """The tables of an HTML page (what many programs save as ".xls"), one sheet each."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser.sheets
