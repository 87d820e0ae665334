"""A batch of scanned pages as ballots: pages joined into ballots, doubts decided.

Pure Python over ``PageReading``: no pictures, no Streamlit, no SQL. A ballot of several
pages is joined in page order: pages with a serial number by their serial (and layout),
pages without one as they follow each other in the batch (page 1, then 2 …). A ballot with
a page missing or a page twice is a problem of the batch, which keeps it from being stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem import problems as P
from tinnhiem import words_scan
from tinnhiem.scanning.reader import READ, PageReading

Key = tuple[int, int]  # (the page's place in the batch, 0-based; its row, 1-based)


@dataclass(frozen=True)
class ScannedPage:
    """One page of an uploaded file: where it came from and what the reader made of it."""

    file: str
    file_page: int  # 1-based within the file
    sha256: str  # of the whole file
    reading: PageReading

    @property
    def where(self) -> str:
        return words_scan.page_where(self.file, self.file_page)


def doubts(pages: list[ScannedPage]) -> list[Key]:
    """Every doubtful row of the batch, in order: (page index, row within the page)."""
    return [(n, row) for n, page in enumerate(pages) for row in page.reading.doubtful]


def _groups(pages: list[ScannedPage]) -> list[list[int]]:
    """The indexes of the read pages of each ballot, in the order ballots first appear."""
    groups: dict[tuple, list[int]] = {}
    run = 0
    last: tuple | None = None
    for n, page in enumerate(pages):
        r = page.reading
        if r.status != READ:
            continue
        if r.serial:
            key: tuple = ("serial", r.layout, r.serial)
        else:
            follows = last == ((r.ballot_page or 0) - 1, r.ballot_pages)
            if r.ballot_page == 1 or not follows:
                run += 1
            key = ("run", run)
            last = (r.ballot_page, r.ballot_pages)
        groups.setdefault(key, []).append(n)
    return list(groups.values())


def ballots(pages: list[ScannedPage], decided: dict[Key, str]) -> tuple[list[str], list[str]]:
    """The batch's ballots (entries, doubts replaced by ``decided``; an undecided doubt stays
    ``?``) and the batch's problems (Vietnamese sentences) — a ballot with a page missing or
    a page twice is left out and named there."""
    entries, problems = [], []
    for group in _groups(pages):
        first = pages[group[0]]
        count = first.reading.ballot_pages or 1
        numbers = [pages[n].reading.ballot_page for n in group]
        twice = sorted({p for p in numbers if p is not None and numbers.count(p) > 1})
        if twice:
            problems.append(str(P.BALLOT_TWICE(where=first.where, page=twice[0])))
            continue
        if sorted(p or 0 for p in numbers) != list(range(1, count + 1)):
            found = ", ".join(str(p) for p in sorted(p or 0 for p in numbers))
            problems.append(str(P.BALLOT_INCOMPLETE(where=first.where, pages=count, found=found)))
            continue
        entry = ""
        for n in sorted(group, key=lambda n: pages[n].reading.ballot_page or 0):
            chars = list(pages[n].reading.entry or "")
            for row in pages[n].reading.doubtful:
                chars[row - 1] = decided.get((n, row), "?")
            entry += "".join(chars)
        entries.append(entry)
    return entries, problems
