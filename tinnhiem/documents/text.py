"""User text at the documents' boundary: cleaned for every writer, measured and wrapped.

``clean`` is applied to every text a document prints (names, positions, reasons, titles):
NFC, and the characters no writer can hold removed — C0/C1 control
characters (XML 1.0 and Excel forbid them; python-docx and openpyxl raise on them), lone
surrogates, the non-characters U+FFFE/U+FFFF, the byte-order mark U+FEFF, and the
bidirectional overrides that would let a name print backwards. ``Measure.wrap`` breaks a
text into lines of a width in mm with the font's own advance widths, breaking a word with no
space in it where it must, so no text is ever too long for a line, a cell or a page.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and line feed, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF,
# U+FEFF, and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_POINTS_PER_MM = 72 / 25.4


def clean(text: object) -> str:
    """The text as every document prints it: NFC, nothing unprintable (tab, CR, LF kept)."""
    if text is None:
        return ""
    value = _UNPRINTABLE.sub("", str(text))
    return unicodedata.normalize("NFC", value)


def one_line(text: object) -> str:
    """``clean`` with tabs and line breaks made spaces (a footer, a file name, a label)."""
    return " ".join(_lines(clean(text).replace("\t", " ")))


def _lines(text: str) -> list[str]:
    """The lines of a text, whichever of CR LF, CR or LF ends them."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class Measure:
    """A font at a size, for measuring: ``Measure(pdf, family, style, size)``."""

    def __init__(self, pdf, family: str, style: str, size: float):
        self.face = (family, style, size)
        self.widths = pdf.fonts[f"{family.lower()}{style}"].cw
        self.scale = size * 0.001 / _POINTS_PER_MM
        self.space = self.width(" ")
        self.height = size / _POINTS_PER_MM

    def width(self, text: str) -> float:
        """Width in mm of ``text`` (no kerning, no shaping: as fpdf2 draws it)."""
        widths = self.widths
        return sum(widths[ord(c)] for c in text) * self.scale

    def _break_word(self, word: str, width: float) -> list[str]:
        """A word wider than ``width`` cut into pieces that fit (at least one character each)."""
        widths, scale = self.widths, self.scale
        pieces: list[str] = []
        piece: list[str] = []
        used = 0.0
        for char in word:
            advance = widths[ord(char)] * scale
            if piece and used + advance > width:
                pieces.append("".join(piece))
                piece, used = [], 0.0
            piece.append(char)
            used += advance
        if piece:
            pieces.append("".join(piece))
        return pieces

    def _units(self, words: list[str], width: float) -> list[str]:
        """The words, each bracketed group ``(…)`` joined into one unit when it fits in
        ``width`` (a group that does not fit stays words, broken as any words are)."""
        units: list[str] = []
        group: list[str] = []
        for word in words:
            if group or ("(" in word and ")" not in word.split("(")[-1]):
                group.append(word)
                if ")" in word and len(group) > 1:
                    joined = " ".join(group)
                    units.extend([joined] if self.width(joined) <= width else group)
                    group = []
            else:
                units.append(word)
        return units + group

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` (already clean) as lines no wider than ``width`` mm.

        Breaks at spaces, not inside brackets where the bracketed words fit on a line
        (``Hội đồng nhân dân (khóa XII)`` never ends a line on ``(khóa``); a word longer
        than a line is cut where it must be; ``\\n`` starts a new line. Always at least
        one line (an empty text is one empty line).
        """
        lines: list[str] = []
        space = self.space
        for paragraph in _lines(text.replace("\t", " ")):
            line: list[str] = []
            used = 0.0
            for word in self._units(paragraph.split(), width):
                advance = self.width(word)
                if line and used + space + advance <= width:
                    line.append(word)
                    used += space + advance
                    continue
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                if advance <= width:
                    line, used = [word], advance
                else:
                    *whole, last = self._break_word(word, width)
                    lines.extend(whole)
                    line, used = [last], self.width(last)
            lines.append(" ".join(line))
        return lines


def shorten(measure: Measure, text: str, width: float) -> str:
    """``text`` cut to fit ``width`` mm on one line, ending in “…” when it was cut."""
    if measure.width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if measure.width(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
