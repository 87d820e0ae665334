"""A tiny document model shared by the DOCX and PDF renderers.

The minutes are written once as a list of blocks; each renderer draws the same blocks,
so the Word file and the printed PDF can never disagree on a number. Every text passes
through ``text.clean`` (NFC, nothing unprintable) when the block is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tinnhiem.documents.text import clean as nfc


@dataclass(frozen=True)
class Heading:
    """A numbered section title (``I. THỜI GIAN, ĐỊA ĐIỂM``) or a sub-heading."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text))


@dataclass(frozen=True)
class Para:
    """One paragraph; ``style`` is normal, bold, italic or notice (a red warning)."""

    text: str
    style: str = "normal"
    align: str = "justify"  # justify, left, center, right
    indent: float = 0.0  # left indent in mm

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text))


@dataclass(frozen=True)
class Table:
    """A table with a header row (optionally grouped) and body rows.

    ``widths`` are in mm for the PDF (the DOCX scales them); ``align`` holds one of
    L, C, R per column; ``groups`` is an optional first header row of (label, span):
    a span of 1 covers the column in both header rows. ``mono`` names columns printed
    in a fixed-width font (entry strings).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    align: tuple[str, ...]
    groups: tuple[tuple[str, int], ...] | None = None
    size: float = 9
    mono: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(nfc(h) for h in self.header))
        object.__setattr__(self, "rows", tuple(tuple(nfc(c) for c in row) for row in self.rows))
        if self.groups is not None:
            object.__setattr__(self, "groups", tuple((nfc(g), s) for g, s in self.groups))


@dataclass(frozen=True)
class Chart:
    """Where the result chart goes (drawn by the PDF renderer only)."""


@dataclass(frozen=True)
class Signatures:
    """The signature block: (role, name) pairs, drawn side by side, three to a row."""

    signers: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "signers", tuple((nfc(role), nfc(name)) for role, name in self.signers)
        )


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Heading | Para | Table | Chart | Signatures | PageBreak


@dataclass(frozen=True)
class Letterhead:
    """The top of an administrative document: issuing body left, national motto right."""

    body: str  # the parent body, upper case
    issuer: str  # the issuing organ (``BAN KIỂM PHIẾU``), bold
    place_date: str
    title: str
    subtitle: str = ""
    number: str = ""  # ``Số: …/BB-BKP``

    def __post_init__(self) -> None:
        for name in ("body", "issuer", "place_date", "title", "subtitle", "number"):
            object.__setattr__(self, name, nfc(getattr(self, name)))


@dataclass(frozen=True)
class Document:
    """A whole document: letterhead, blocks, and the provisional watermark if any."""

    letterhead: Letterhead
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    watermark: str = ""  # printed across every PDF page when the result is not locked
    footer: str = ""  # at the foot of every page, and the PDF's title
    subject: str = ""  # the PDF's subject: the poll it is about
    made: str | None = None  # ISO 8601: the PDF's creation date (the lock time, if locked)
