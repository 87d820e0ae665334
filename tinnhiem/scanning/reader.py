"""One picture of a page → what ``tinnhiem scan`` says of it (poll-file.md, ``tinnhiem scan``).

The page is located by its four corner markers; its QR code must name this poll and a
layout this poll prints (with or without serial numbers); then every row of that page of
the layout is scored and decided (tinnhiem.scanning.marks). A page of another poll or
layout, a blank or foreign page is ``not_a_ballot``; a page of this poll that cannot be
located well enough is ``unreadable``, with the Vietnamese reason in ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tinnhiem import problems as P
from tinnhiem.documents import ballot_layout, ballot_marks
from tinnhiem.model import Poll
from tinnhiem.scanning import locate, marks

READ, NOT_A_BALLOT, UNREADABLE = "read", "not_a_ballot", "unreadable"


@dataclass(frozen=True)
class Expected:
    """What pages of one poll's ballot look like: its tag and its layouts by hash."""

    tag: str
    layouts: dict[str, list[dict]]  # layout hash → the layout's pages


def expected_for(poll: Poll) -> Expected:
    """The ballots ``tinnhiem ballots`` prints for ``poll``, with and without serials."""
    layouts = {}
    for serial in (False, True):
        pages = ballot_layout(poll, serial=serial)["pages"]
        layouts[ballot_marks.layout_hash(pages)] = pages
    return Expected(ballot_marks.poll_tag(ballot_marks.poll_identity(poll)), layouts)


@dataclass(frozen=True)
class PageReading:
    """One page's answer, the fields of a ``tinnhiem scan`` line less ``file`` and ``page``."""

    status: str
    ballot_page: int | None = None
    ballot_pages: int | None = None
    serial: str | None = None
    entry: str | None = None
    doubtful: list[int] = field(default_factory=list)
    message: str = ""
    layout: str | None = None  # the layout hash its code names (read pages; not in the line)


def _unreadable(problem: P.Problem, code: ballot_marks.PageCode | None = None) -> PageReading:
    return PageReading(
        UNREADABLE,
        ballot_page=code.page if code else None,
        ballot_pages=code.pages if code else None,
        serial=code.serial if code else None,
        message=problem.message,
    )


def _not_ours() -> PageReading:
    return PageReading(NOT_A_BALLOT, message=P.NOT_THIS_POLL().message)


def _rows(code: ballot_marks.PageCode, expected: Expected) -> list[dict] | None:
    """The rows of the layout page the code names, or None when no layout of ours has it."""
    pages = expected.layouts.get(code.layout)
    if pages is None or len(pages) != code.pages:
        return None
    return pages[code.page - 1]["rows"]


def read_page(gray: np.ndarray, expected: Expected) -> PageReading:
    """What one grey picture of a page holds for this poll (never raises for a bad picture)."""
    markers = locate.find_markers(gray)
    placement = locate.place(markers)
    if placement is None:
        text = locate.read_qr(gray, None)
        code = ballot_marks.read_code(text) if text else None
        if code is None and not markers:
            return _not_ours()  # blank, or a page that is no ballot of ours
        if code is not None and (code.tag != expected.tag or _rows(code, expected) is None):
            return _not_ours()
        return _unreadable(P.CORNERS_MISSING(found=len(markers)), code)
    if placement.px_per_mm < locate.MIN_PX_PER_MM:  # its code is too small to read
        return _unreadable(P.TOO_SMALL(dpi=round(placement.px_per_mm * 25.4)))
    text = locate.read_qr(gray, placement)
    code = ballot_marks.read_code(text) if text else None
    if text is None:
        bent = placement.error_mm > locate.MAX_ERROR_MM
        return _unreadable(P.PAGE_BENT() if bent else P.CODE_UNREADABLE())
    if code is None or code.tag != expected.tag:
        return _not_ours()
    rows = _rows(code, expected)
    if rows is None:
        return _not_ours()
    if placement.error_mm > locate.MAX_ERROR_MM:
        return _unreadable(P.PAGE_BENT(), code)
    entry = ""
    for row in rows:
        scores, placed = marks.score_row(gray, placement, row["boxes"])
        entry += marks.decide(scores, placed)
    doubtful = [n for n, char in enumerate(entry, start=1) if char == "?"]
    found = (code.page, code.pages, code.serial, entry, doubtful)
    return PageReading(READ, *found, layout=code.layout)
