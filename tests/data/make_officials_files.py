"""Write the officials-list fixtures of issue 13 point 12 into tests/data/bad/, one per case.

Run from the repository root: ``python tests/data/make_officials_files.py``. Each file is
a list as an agency's software or an old Excel habit leaves it; tests/test_bad_inputs.py
says what each must give.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

BAD = Path(__file__).parent / "bad"
HEADER = ["STT", "Họ và tên", "Chức vụ"]
PEOPLE = [
    ["1", "Nguyễn Văn An", "Chủ tịch HĐND tỉnh"],
    ["2", "Trần Thị Bích", "Phó Chủ tịch HĐND tỉnh"],
    ["3", "Đỗ Đức Hoàng", "Trưởng ban Pháp chế"],
]
# The same people as the legacy fonts stored them (what Excel shows without the font).
TCVN3 = [["1", "NguyÔn V¨n An", "Chñ tÞch H§ND tØnh"], ["2", "TrÇn ThÞ BÝch", "Phã Chñ tÞch"]]
VNI = [["1", "Nguyeãn Vaên An", "Chuû tòch HÑND tænh"], ["2", "Traàn Thò Bích", "Phoù Chuû tòch"]]


def workbook(*sheets: list[list[object]], hidden: tuple[int, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Trang {number}")
        for row in rows:
            sheet.append(row)
        if number == 1:
            for line in hidden:
                sheet.row_dimensions[line].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def merged_header() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", None, "Chức vụ"])
    sheet.append([None, "Họ đệm", "Tên", None])
    sheet.append(["1", "Nguyễn Văn", "An", "Chủ tịch HĐND tỉnh"])
    sheet.append(["2", "Trần Thị", "Bích", "Phó Chủ tịch HĐND tỉnh"])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("D1:D2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows: list[list[str]], hidden: tuple[int, ...] = ()) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc writes one."""
    collapse = ' table:visibility="collapse"'
    table = "".join(
        f"<table:table-row{collapse if n in hidden else ''}>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p>'
            "</table:table-cell>"
            for c in row
        )
        + "</table:table-row>"
        for n, row in enumerate(rows, start=1)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sách">'
        f"{table}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
    return out.getvalue()


def html_table() -> bytes:
    """An HTML page saved as .xls, as many government programs export a list."""
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in PEOPLE
    )
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "</head><body><table border=1><tr><td colspan=3><b>DANH SÁCH LẤY PHIẾU</b></td></tr>"
        "<tr><th>STT</th><th>Họ và tên</th><th>Chức vụ</th></tr>"
        f"{rows}</table></body></html>"
    )
    return page.encode("utf-8")


def main() -> None:
    files = {
        "officials-merged-name-header.xlsx": merged_header(),
        "officials-hidden-rows.xlsx": workbook([HEADER, *PEOPLE], hidden=(3,)),
        "officials-second-sheet.xlsx": workbook([HEADER, *PEOPLE[:2]], [HEADER, PEOPLE[2]]),
        "officials-second-sheet-no-header.xlsx": workbook([HEADER, *PEOPLE[:2]], [PEOPLE[2]]),
        "officials-total-row.csv": "\r\n".join(
            ";".join(r) for r in [HEADER, *PEOPLE, ["Tổng cộng: 3 người", "", ""]]
        ).encode("utf-8"),
        "officials-libreoffice.ods": ods([HEADER, *PEOPLE]),
        "officials-html-table.xls": html_table(),
        "officials-excel-97.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
        "officials-tcvn3.xlsx": workbook([HEADER, *TCVN3]),
        "officials-tcvn3.csv": "\r\n".join(
            ";".join(r) for r in [["STT", "Hä vµ tªn", "Chøc vô"], *TCVN3]
        ).encode("latin-1"),
        "officials-vni.xlsx": workbook([HEADER, *VNI]),
        "officials-invisible-characters.csv": (
            "STT;Họ và tên;Chức vụ\r\n1;Nguyễn\u200b Văn An;Chủ tịch\r\n"
            "2;Trần Thị\x07 Bích\u200d;Phó Chủ tịch\r\n"
        ).encode("utf-8"),
        "officials-report.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
    }
    for name, data in files.items():
        (BAD / name).write_bytes(data)


if __name__ == "__main__":
    main()
