"""The administrative layout of the minutes (Nghị định 30/2020/NĐ-CP, Phụ lục I), read back
from the PDF (pdfminer: the font, size and place of every letter) and the DOCX (python-docx):
margins, a Times-metric serif with every Vietnamese letter, 13 pt body, the Quốc hiệu and
Tiêu ngữ, page numbers centred at the top from page 2, and the file's metadata."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter

import pytest
from docx import Document
from docx.shared import Mm, Pt
from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTPage, LTTextContainer, LTTextLine
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser

from tinnhiem import documents
from tinnhiem.demo import demo_poll
from tinnhiem.documents import RecordInfo
from tinnhiem.documents.pdfbase import ASSETS
from tinnhiem.tally import tally

MM = 72 / 25.4  # points per millimetre
LOCKED = RecordInfo(state="locked", locked_at="2023-12-13T16:05:09+07:00", audit_hash="ab" * 32)
FACES = ("Regular", "Bold", "Italic", "BoldItalic")


def vietnamese_letters() -> set[str]:
    """Every letter of Vietnamese: the 12 vowels with each of the 6 tones, the 17
    consonants (đ among them), in both cases: 178 letters."""
    vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    letters = set("bcdđghklmnpqrstvx")
    letters |= {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    return letters | {c.upper() for c in letters}


@pytest.mark.parametrize("face", FACES)
def test_the_shipped_serif_has_every_vietnamese_letter(face: str) -> None:
    """Each face of the shipped Liberation Serif draws all 178 Vietnamese letters itself
    (checked glyph by glyph in its character map, no fallback needed)."""
    letters = vietnamese_letters()
    assert len(letters) == 178
    cmap = TTFont(ASSETS / f"LiberationSerif-{face}.ttf").getBestCmap()
    assert sorted(c for c in letters if ord(c) not in cmap) == []
    assert (ASSETS / "LICENSE-Liberation.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1


@pytest.fixture(scope="module")
def minutes() -> tuple[bytes, list[LTPage]]:
    """The locked minutes of the demo poll as PDF bytes and pdfminer's pages."""
    poll = demo_poll()
    data = documents.minutes_pdf(poll, tally(poll), LOCKED)
    return data, list(extract_pages(io.BytesIO(data)))


def pdf_info(data: bytes) -> dict[str, str]:
    """The PDF's document information (title, subject, dates) as text."""
    info = PDFDocument(PDFParser(io.BytesIO(data))).info[0]
    out = {}
    for key, value in info.items():
        raw = value if isinstance(value, bytes) else bytes(str(value), "latin-1")
        is_utf16 = raw.startswith(b"\xfe\xff")
        out[key] = raw[2:].decode("utf-16-be") if is_utf16 else raw.decode("latin-1")
    return out


def chars(page: LTPage) -> list[LTChar]:
    found: list[LTChar] = []

    def walk(item) -> None:
        if isinstance(item, LTChar):
            found.append(item)
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    walk(page)
    return found


def lines(page: LTPage) -> list[tuple[str, list[LTChar]]]:
    """Every text line of a page with its letters."""
    found = []
    for box in page:
        if isinstance(box, LTTextContainer):
            for line in box:
                if isinstance(line, LTTextLine):
                    letters = [c for c in line if isinstance(c, LTChar)]
                    found.append((line.get_text().strip(), letters))
    return found


def size(letters: list[LTChar]) -> float:
    return round(Counter(round(c.size, 1) for c in letters).most_common(1)[0][0], 1)


def test_the_body_is_13_pt_liberation_serif_inside_the_decrees_margins(minutes) -> None:
    """Most letters of every page are Liberation Serif, the text of page 1 and every
    sentence on an official's result are 13 pt, and every letter of the text (not the page
    number or the footer line) lies inside left 30 mm, right 15 mm, top and bottom 20 mm."""
    _, pages = minutes
    first = [c for c in chars(pages[0]) if c.get_text().strip()]
    assert size(first) == 13.0
    verdicts = [ls for page in pages for text, ls in lines(page) if text.startswith("Kết quả:")]
    assert len(verdicts) == 11 and {size(ls) for ls in verdicts} == {13.0}
    for number, page in enumerate(pages, start=1):
        letters = [c for c in chars(page) if c.get_text().strip()]
        body = [c for c in letters if page.height - c.y1 > 20 * MM and c.y0 > 20 * MM]
        assert body, number
        for c in body:
            assert c.x0 >= 30 * MM - 0.5, (number, c.get_text(), c.x0 / MM)
            assert c.x1 <= page.width - 15 * MM + 0.5, (number, c.get_text(), c.x1 / MM)
        # Letters, not the entry log's digits (a monospace face, so columns line up).
        fonts = Counter(c.fontname.split("+")[-1] for c in body if c.get_text().isalpha())
        assert fonts.most_common(1)[0][0].startswith("LiberationSerif"), (number, fonts)


def test_quoc_hieu_and_tieu_ngu_are_set_as_prescribed(minutes) -> None:
    """The Quốc hiệu is 12.5 pt bold capitals on one line, the Tiêu ngữ 13.5 pt bold, and
    the title of the document 14 pt bold."""
    _, pages = minutes
    found = {text: letters for text, letters in lines(pages[0])}
    nation = found["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    motto = found["Độc lập - Tự do - Hạnh phúc"]
    title = found["BIÊN BẢN KIỂM PHIẾU"]
    assert size(nation) == 12.5 and size(motto) == 13.5 and size(title) == 14.0
    assert all("Bold" in c.fontname for c in nation + motto + title)


def test_pages_are_numbered_at_the_top_centre_from_the_second(minutes) -> None:
    """Page 1 carries no number; page n ≥ 2 carries "n" alone, 13 pt, centred in the top
    margin (within 2 mm of the text block's centre)."""
    _, pages = minutes
    assert len(pages) >= 3
    centre = (30 + (210 - 15)) / 2 * MM
    for number, page in enumerate(pages, start=1):
        top = [
            (text, letters)
            for text, letters in lines(page)
            if letters and page.height - max(c.y1 for c in letters) < 20 * MM
        ]
        numbers = [(t, ls) for t, ls in top if t.isdigit()]
        if number == 1:
            assert numbers == []
            continue
        assert [t for t, _ in numbers] == [str(number)]
        letters = numbers[0][1]
        middle = (min(c.x0 for c in letters) + max(c.x1 for c in letters)) / 2
        assert abs(middle - centre) < 2 * MM and size(letters) == 13.0


def test_the_pdf_says_what_it_is_and_when_the_result_was_locked(minutes) -> None:
    """The PDF's title names the minutes and the session, its subject the poll, and its
    creation date is the lock time (not a fixed date)."""
    data, _ = minutes
    info = pdf_info(data)
    assert info["Title"].startswith("Biên bản kiểm phiếu — Kỳ họp thứ mười bốn")
    assert "Hội đồng nhân dân tỉnh" in info["Subject"] and "13/12/2023" in info["Subject"]
    assert info["CreationDate"] == "D:20231213160509+07'00'"


def test_the_same_poll_gives_the_same_pdf_bytes() -> None:
    """Two builds of the same locked minutes are identical (the date is the lock's)."""
    poll = demo_poll()
    first = documents.minutes_pdf(poll, tally(poll), LOCKED)
    assert first == documents.minutes_pdf(poll, tally(poll), LOCKED)


def test_the_word_minutes_have_the_decrees_page() -> None:
    """The DOCX: A4, margins 20/20/30/15 mm, Times New Roman 13 pt, and a centred PAGE
    field in the header of every page but the first."""
    poll = demo_poll()
    document = Document(io.BytesIO(documents.minutes_docx(poll, tally(poll), LOCKED)))
    section = document.sections[0]
    measured = (
        *(section.page_width, section.page_height, section.top_margin, section.bottom_margin),
        *(section.left_margin, section.right_margin),
    )
    # Word keeps lengths in twentieths of a point: within 0.05 mm of the decree's values.
    assert [round(length / Mm(1), 1) for length in measured] == [210, 297, 20, 20, 30, 15]
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(13))
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == 1  # centred
    assert "PAGE" in header._p.xml and header.runs[0].font.size == Pt(13)
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
