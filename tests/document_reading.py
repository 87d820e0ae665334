"""Reading documents back for the tests: PDF text (poppler), fonts, DOCX text, NFD polls."""

from __future__ import annotations

import io
import subprocess
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

from docx import Document

from tinnhiem.model import BoardMember, Official, Poll
from tinnhiem.pollfile import parse_poll_file

DATA = Path(__file__).parent / "data" / "documents"


def poll_45() -> Poll:
    """The 45-official poll of tests/data/documents (47 listed, two exempt, 58 ballots)."""
    return parse_poll_file((DATA / "poll-45.json").read_bytes())


def _poppler(tool: str, data: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        done = subprocess.run(
            [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            check=True,
        )
    return done.stdout.decode("utf-8")


def pdf_text(
    data: bytes, layout: bool = False, page: int | None = None, footer: bool = False
) -> str:
    """The text of a PDF (``pdftotext``), optionally keeping the layout or of one page.

    Unless ``footer``, what frames the text is left out, so a paragraph running over a
    page break reads as one: the page footer (the bottom 16 mm) and the page number at the
    top of pages 2 and on (the first line of such a page when it is just that number).
    """
    args = ["-layout"] if layout else []
    if not footer:
        args += ["-x", "0", "-y", "0", "-W", "596", "-H", "797"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    text = _poppler("pdftotext", data, *args)
    if footer:
        return text
    pages = text.split("\f")
    for index, shown in enumerate(pages):
        number = (page or 1) + index
        lines = shown.split("\n")
        top = [i for i, line in enumerate(lines) if line.strip()][:2]  # the label may come first
        found = [i for i in top if number > 1 and lines[i].strip() == str(number)]
        if found:
            del lines[found[0]]
            pages[index] = "\n".join(lines)
    return "\f".join(pages)


def pdf_pages(data: bytes) -> int:
    """The number of pages (``pdfinfo``)."""
    for line in _poppler("pdfinfo", data).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


def pdf_fonts(data: bytes) -> list[tuple[str, str]]:
    """(name, embedded yes/no) of every font in the PDF (``pdffonts``)."""
    lines = _poppler("pdffonts", data).splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def flat(text: str) -> str:
    """The text with every run of whitespace made one space."""
    return " ".join(text.split())


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, in document order, one per line."""
    document = Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    """Every table of a DOCX as rows of cell texts (merged cells repeat their text)."""
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def nfd(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFD", text)


def nfd_poll(poll: Poll) -> Poll:
    """The same poll with every text in decomposed form (NFD), as some keyboards type it."""
    return replace(
        poll,
        title=nfd(poll.title),
        body=nfd(poll.body),
        place=nfd(poll.place),
        remarks=nfd(poll.remarks),
        officials=tuple(
            Official(nfd(o.name), nfd(o.position), nfd(o.exempt_reason)) for o in poll.officials
        ),
        board=tuple(BoardMember(nfd(b.name), b.role) for b in poll.board),
    )


def in_order(text: str, phrase: str) -> bool:
    """Every word of ``phrase`` is in ``text``, in order: a wrapped cell reads this way,
    its lines interleaved with the lines of the cells beside it."""
    position = 0
    for word in phrase.split():
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True
