"""The Vietnamese words the screens show for the core's codes, kept in one place.

An English UI would add a second table here; the core only ever speaks in codes
(``low``, ``counting``, ``over_half``).
"""

from __future__ import annotations

from tinnhiem.model import LEVELS, Kind
from tinnhiem.rules import BAND_NONE, BAND_OVER_HALF, BAND_TWO_THIRDS

LEVEL_WORDS: dict[str, str] = {
    "high": "Tín nhiệm cao",
    "confidence": "Tín nhiệm",
    "low": "Tín nhiệm thấp",
    "no_confidence": "Không tín nhiệm",
}
BLANK_ROW_WORDS = "Không hợp lệ / để trống"
INVALID_BALLOT_WORDS = "Cả phiếu không hợp lệ"

STATE_WORDS: dict[str, str] = {
    "setup": "Thiết lập",
    "counting": "Đang kiểm phiếu",
    "closed": "Đã kết thúc kiểm",
    "locked": "Đã khóa",
}

BASE_WORDS: dict[str, str] = {
    "collected": "tổng số phiếu thu về",
    "issued": "tổng số phiếu phát ra",
    "members": "tổng số đại biểu",
    "present": "số đại biểu có mặt",
}

KIND_WORDS: dict[str, str] = {
    Kind.POLL: "Lấy phiếu tín nhiệm",
    Kind.VOTE: "Bỏ phiếu tín nhiệm",
}

_BAND_WORDS: dict[Kind, dict[str, str]] = {
    Kind.POLL: {
        BAND_NONE: "",
        BAND_OVER_HALF: "Quá nửa tín nhiệm thấp",
        BAND_TWO_THIRDS: "Từ 2/3 tín nhiệm thấp",
    },
    Kind.VOTE: {BAND_NONE: "", BAND_OVER_HALF: "Quá nửa không tín nhiệm"},
}


def band_words(kind: Kind | str, band: str) -> str:
    """The band in words ('' for no band)."""
    return _BAND_WORDS[Kind(kind)].get(band, "")


def level_words(kind: Kind | str, digit: str) -> str:
    """What one typed digit means on a ballot of this kind ('0' is a blank or invalid row)."""
    levels = LEVELS[Kind(kind)]
    if digit.isdigit() and 1 <= int(digit) <= len(levels):
        return LEVEL_WORDS[levels[int(digit) - 1]]
    return BLANK_ROW_WORDS


def vi_date(iso: str | None) -> str:
    """An ISO date as Vietnamese write it: 13/12/2023 ('' when unknown)."""
    if not iso or len(iso) < 10:
        return iso or ""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


_MARKDOWN_SPECIALS = set("\\`*_[]<>|~$#")


def md_escape(text: str) -> str:
    """Text a person typed, made safe to put inside a Markdown message (st.error, st.info)."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


def refusal(error: Exception) -> str:
    """A store refusal as one Markdown-safe message: the problems' sentences, not their fields."""
    problems = getattr(error, "problems", None)
    if problems:
        return md_escape(" ".join(p.message for p in problems[:3]))
    return md_escape(str(error))
