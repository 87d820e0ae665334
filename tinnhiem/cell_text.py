"""The text of a list's cells: decoded, legacy encodings converted, cleaned and folded.

``clean`` is what every cell (and every name typed in the setup form) goes through: NFC,
no zero-width, direction or control characters, whitespace collapsed. ``fold`` is the key
headers and names are compared by. ``decode`` reads the bytes of a CSV or HTML file;
``unicode_table`` turns a sheet's cells into clean text, converting TCVN3 and VNI.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence

from tinnhiem import legacy_encodings
from tinnhiem import problems as P
from tinnhiem.problems import PollError, Problem

_FONTS = {
    legacy_encodings.TCVN3: {
        "fonts": ".VnTime, .VnArial…",
        "note": "; chữ hoa có dấu (phông .VnTimeH) được đọc thành chữ thường",
    },
    legacy_encodings.VNI: {"fonts": "VNI-Times, VNI-Helve…", "note": ""},
}


def _cell_text(value: object) -> str:
    """A cell as the text it shows: empty for None, 5 for the float 5.0 Excel stores."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def clean(text: object) -> str:
    """A cell as text: NFC, no invisible or control characters, whitespace trimmed and
    collapsed."""
    value = unicodedata.normalize("NFC", _cell_text(text))
    value = "".join(c for c in value if not _invisible(c))
    return re.sub(r"\s+", " ", value).strip()


def _invisible(char: str) -> bool:
    """Zero-width, direction and control characters (not the whitespace \\t \\n …)."""
    if char.isspace():
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs")


def fold(text: str) -> str:
    """Lower case without diacritics or punctuation, for matching headers and names."""
    decomposed = unicodedata.normalize("NFD", clean(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", plain)).strip()


def unicode_table(
    rows: Sequence[Sequence[object]],
) -> tuple[list[list[str]], list[Problem]]:
    """The cells as clean text, TCVN3 and VNI converted, and the warnings that says."""
    raw = [[_cell_text(c) for c in row] for row in rows]
    warnings: list[Problem] = []
    encoding = legacy_encodings.detect([c for row in raw for c in row])
    if encoding:
        raw = [[legacy_encodings.to_unicode(c, encoding) for c in row] for row in raw]
        warnings.append(P.LEGACY_ENCODING(encoding=encoding, **_FONTS[encoding]))
    hidden = sorted({f"U+{ord(ch):04X}" for row in raw for c in row for ch in c if _invisible(ch)})
    lines = [str(n) for n, row in enumerate(raw, start=1) if any(map(_has_invisible, row))]
    if lines:
        chars = ", ".join(hidden[:3])
        warnings.append(P.INVISIBLE_REMOVED(lines=", ".join(lines[:5]), chars=chars))
    return [[clean(c) for c in row] for row in raw], warnings


def _has_invisible(text: str) -> bool:
    return any(_invisible(c) for c in text)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding (BOM first, then UTF-8, cp1258)."""
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 có BOM"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError:
                break
    sample = data[:4000]
    if sample and sample.count(0) * 3 > len(sample):
        # UTF-16 saved without a BOM: the NUL half of each ASCII letter tells the order.
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec), codec.upper()
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if legacy_encodings.in_bytes(data):
        return data.decode("latin-1"), "bảng mã 8 bit"  # TCVN3 or VNI: converted with the cells
    try:
        return data.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError:
        raise PollError(P.UNKNOWN_ENCODING()) from None
