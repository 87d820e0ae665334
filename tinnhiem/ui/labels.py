"""The Vietnamese words the screens show for the core's codes, kept in one place.

An English UI would add a second table here; the core only ever speaks in codes
(``low``, ``counting``, ``over_half``).
"""

from __future__ import annotations

import re
import string

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


# Every ASCII punctuation sign is one Markdown may read (CommonMark lets each be escaped):
# emphasis, links, images, HTML, entities (&amp;), LaTeX ($), Streamlit's directives
# (:red[…]) and icons (:material/…:), lists (1.), autolinks (http://, www.).
_MARKDOWN_SIGNS = frozenset(string.punctuation)
# Streamlit and GitHub Markdown rewrite text after it has been read, where escapes no
# longer count: ``:name:`` shortcodes (emoji, :material_x: icons, :streamlit:), the arrows
# and dashes ->, <-, <->, --, >=, <=, ~= between spaces, and addresses made links
# (http://, www., e-mail). A word joiner (U+2060, invisible) inside each keeps it as typed.
WORD_JOINER = "\u2060"
_REWRITTEN = re.compile(
    r":(?=[\w+-]+:)|(?:(?<=\s)|^)(?:<(?=[-=])|-(?=[->])|[>~](?==))"
    r"|(?i:https?:)(?=//)|(?i:www)(?=\.)|@"
)
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n][\s]*")


def md_escape(text: str) -> str:
    """Text a person typed, made safe to put inside Markdown (st.markdown, st.error, a label,
    a caption, help): shown exactly as typed, never read as Markdown, HTML or a directive.

    Every ASCII punctuation sign gets a backslash; Streamlit's own rewrites are broken with
    an invisible word joiner (``WORD_JOINER``); line breaks become spaces (Markdown shows a
    single one as a space and would read a blank line as a new block) and leading blanks
    no-break spaces (four would start a code block).
    """
    text = _LINE_BREAKS.sub(" ", str(text))
    blanks = len(text) - len(text.lstrip(" \t"))
    text = "\u00a0" * blanks + text[blanks:]
    text = _REWRITTEN.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return "".join("\\" + c if c in _MARKDOWN_SIGNS else c for c in text)


def refusal(error: Exception) -> str:
    """A store refusal as one Markdown-safe message: the problems' sentences, not their fields."""
    problems = getattr(error, "problems", None)
    if problems:
        return md_escape(" ".join(p.message for p in problems[:3]))
    return md_escape(str(error))
