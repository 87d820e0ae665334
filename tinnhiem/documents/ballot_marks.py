"""What a ballot page carries for a machine to read it (tinnhiem.scanning reads it back).

Four ArUco markers (OpenCV's 4×4 dictionary, ids 0–3) sit in the corners, each id in its
own corner, so a reader finds the page, its scale and which way up it is, upside down
included. A QR code at the foot carries the poll's tag, the page and pages of one ballot,
the serial and a hash of the layout, so a page of another poll, or printed from another
layout, is told apart from this one. Everything is drawn as vector rectangles: nothing is
rendered to a picture, and the same poll gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import segno

from tinnhiem.documents.text import clean
from tinnhiem.model import Poll

PAGE_MM = (210.0, 297.0)  # A4 portrait
MARKER = 7.0  # mm: the side of a corner marker (6 cells of 7/6 mm, black border included)
EDGE = 5.0  # mm from the paper's edge, inside what office printers print
# id → the marker's top-left corner (mm); the ids go round clockwise from the top-left.
MARKERS = {
    0: (EDGE, EDGE),
    1: (PAGE_MM[0] - EDGE - MARKER, EDGE),
    2: (PAGE_MM[0] - EDGE - MARKER, PAGE_MM[1] - EDGE - MARKER),
    3: (EDGE, PAGE_MM[1] - EDGE - MARKER),
}
# The 4×4 inner cells of ArUco DICT_4X4_50 ids 0–3, "1" white (tests compare with OpenCV).
_MARKER_BITS = {
    0: ("1011", "0101", "0011", "0010"),
    1: ("0000", "1111", "1001", "1010"),
    2: ("0011", "0011", "0010", "1101"),
    3: ("1001", "1001", "0100", "0110"),
}
QR_SIZE = 13.0  # mm, the symbol without its quiet zone
QR_AT = (PAGE_MM[0] - EDGE - MARKER - 3.0 - QR_SIZE, PAGE_MM[1] - EDGE - QR_SIZE)
CODE_FORMAT = "TN1"


def poll_identity(poll: Poll) -> str:
    """The poll's identity on its ballots: its ``id`` when it has one, else a fingerprint.

    The fingerprint hashes what is printed and what tells two polls apart (kind, rules,
    title, body, date and the officials on the ballot), so a reprint of the same poll reads
    back and a ballot of another poll does not.
    """
    given = getattr(poll, "id", None)
    if given is not None and str(given):
        return str(given)
    facts = [  # in NFC, as printed: an NFD-typed copy of the poll is the same poll
        poll.kind.value,
        clean(poll.rules),
        clean(poll.title),
        clean(poll.body),
        poll.date,
        [[clean(o.name), clean(o.position)] for o in poll.ballot_officials],
    ]
    digest = hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode("utf-8"))
    return "fp-" + digest.hexdigest()[:16]


def poll_tag(identity: str) -> str:
    """The short tag of a poll identity that the QR code carries (10 hex digits)."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10].upper()


def layout_hash(pages: list[dict]) -> str:
    """A short hash of a ballot's layout (the ``pages`` of ``tinnhiem-layout/1``)."""
    canonical = json.dumps(pages, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:8].upper()


@dataclass(frozen=True)
class PageCode:
    """What the QR code of one printed page says."""

    tag: str
    page: int
    pages: int
    serial: str | None
    layout: str

    def text(self) -> str:
        """The QR's text: upper-case letters, digits and colons (QR alphanumeric mode)."""
        serial = self.serial or "-"
        return f"{CODE_FORMAT}:{self.tag}:{self.page}:{self.pages}:{serial}:{self.layout}"


def read_code(text: str) -> PageCode | None:
    """The PageCode a QR's text holds, or None for any other text."""
    parts = text.strip().split(":")
    if len(parts) != 6 or parts[0] != CODE_FORMAT:
        return None
    _, tag, page, pages, serial, layout = parts
    if not (page.isdigit() and pages.isdigit() and 1 <= int(page) <= int(pages)):
        return None
    return PageCode(tag, int(page), int(pages), None if serial == "-" else serial, layout)


def _runs(rows, x0: float, y0: float, cell: float) -> list[tuple[float, float, float, float]]:
    """The dark cells of a grid (rows of truthy cells) as rectangles, one per run in a row."""
    rects = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            rects.append((x0 + start * cell, y0 + r * cell, (c - start) * cell, cell))
    return rects


def _marker_cells(marker: int) -> list[list[bool]]:
    """The 6 × 6 cells of a marker, True black: the border and the inner cells marked 0."""
    inner = [[True, *(bit == "0" for bit in bits), True] for bits in _MARKER_BITS[marker]]
    return [[True] * 6, *inner, [True] * 6]


def draw_markers(pdf) -> None:
    """The four corner markers, black runs filled in one path (``pdf.fill_black``)."""
    rects = []
    for marker, (x, y) in MARKERS.items():
        rects += _runs(_marker_cells(marker), x, y, MARKER / 6)
    pdf.fill_black(rects)


def draw_code(pdf, code: PageCode) -> None:
    """The page's QR code at QR_AT, its dark modules as runs filled in one path.

    The mask is fixed (0): segno's search for the best one took 13 ms a page, and a reader
    is told the mask by the code itself.
    """
    symbol = segno.make(code.text(), error="m", micro=False, boost_error=False, mask=0)
    matrix = symbol.matrix
    pdf.fill_black(_runs(matrix, *QR_AT, QR_SIZE / len(matrix)))
