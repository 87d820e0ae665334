"""The Vietnamese words of every document, kept in one place, and the text helpers.

Every string that reaches a page passes through ``nfc`` first, so a name typed in
decomposed form (NFD, as some Mac keyboards produce) prints exactly like its composed form.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from tinnhiem.model import Kind, Poll
from tinnhiem.rules import BAND_NONE, BAND_OVER_HALF, BAND_TWO_THIRDS

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BOARD = "BAN KIỂM PHIẾU"

LEVEL = {
    "high": "Tín nhiệm cao",
    "confidence": "Tín nhiệm",
    "low": "Tín nhiệm thấp",
    "no_confidence": "Không tín nhiệm",
}

KIND = {Kind.POLL: "Lấy phiếu tín nhiệm", Kind.VOTE: "Bỏ phiếu tín nhiệm"}
BALLOT_TITLE = {Kind.POLL: "PHIẾU LẤY PHIẾU TÍN NHIỆM", Kind.VOTE: "PHIẾU BỎ PHIẾU TÍN NHIỆM"}

# "… bằng 53,19% so với tổng số phiếu thu về"
BASE_WORDS = {
    "collected": "so với tổng số phiếu thu về",
    "issued": "so với tổng số phiếu phát ra",
    "members": "so với tổng số đại biểu",
    "present": "so với tổng số đại biểu có mặt",
}
BASE_NOUN = {
    "collected": "tổng số phiếu thu về",
    "issued": "tổng số phiếu phát ra",
    "members": "tổng số đại biểu",
    "present": "tổng số đại biểu có mặt",
}

ROLE = {"chair": "Trưởng ban", "secretary": "Thư ký", "member": "Ủy viên"}

# Whom the poll concerns, by rule set: the subject line under the title.
SUBJECT = {
    "nq96-2023": "đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc phê chuẩn",
    "nq85-2014": "đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc phê chuẩn",
    "qd96-tw": "đối với chức vụ lãnh đạo, quản lý trong hệ thống chính trị",
}

ENTRY_KEY = {
    Kind.POLL: (
        "Mỗi chữ số là một người theo thứ tự trên phiếu: 1 = tín nhiệm cao, 2 = tín nhiệm, "
        "3 = tín nhiệm thấp, 0 = không hợp lệ (không đánh dấu hoặc đánh dấu nhiều ô); "
        "X = cả phiếu không hợp lệ."
    ),
    Kind.VOTE: (
        "Mỗi chữ số là một người theo thứ tự trên phiếu: 1 = tín nhiệm, 2 = không tín nhiệm, "
        "0 = không hợp lệ (không đánh dấu hoặc đánh dấu cả hai ô); X = cả phiếu không hợp lệ."
    ),
}

NBSP = "\u00a0"
PROVISIONAL = "KẾT QUẢ TẠM THỜI — chưa khóa"


def nfc(text: object) -> str:
    """The text in Unicode composed form (NFC); ``None`` becomes ''."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


def upper(text: str) -> str:
    return nfc(text).upper()


def sentence(text: str) -> str:
    """The text with its first letter upper case (unlike ``str.capitalize``, the rest stays)."""
    text = nfc(text)
    return text[:1].upper() + text[1:]


def band_words(kind: Kind, band: str, base_name: str) -> str:
    """The band as a sentence of the result: what share of the base marked low."""
    base = BASE_NOUN[base_name]
    if kind == Kind.VOTE:
        if band == BAND_OVER_HALF:
            return f"Có quá nửa {base} bỏ phiếu không tín nhiệm."
        return f"Không có quá nửa {base} bỏ phiếu không tín nhiệm."
    if band == BAND_TWO_THIRDS:
        return f"Có từ hai phần ba {base} trở lên đánh giá tín nhiệm thấp."
    if band == BAND_OVER_HALF:
        return f"Có quá nửa {base} đánh giá tín nhiệm thấp (dưới hai phần ba)."
    return f"Không có quá nửa {base} đánh giá tín nhiệm thấp."


def band_short(kind: Kind, band: str) -> str:
    """The band in a table cell."""
    if band == BAND_NONE:
        return "Không quá nửa"
    if band == BAND_TWO_THIRDS:
        return "Từ 2/3 trở lên"
    return "Quá nửa" if kind == Kind.VOTE else "Quá nửa (dưới 2/3)"


def date_short(iso: str | None) -> str:
    """``2023-12-13`` → ``13/12/2023``; '' when unknown."""
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def date_long(iso: str | None) -> str:
    """``2023-12-13`` → ``ngày 13 tháng 12 năm 2023``; a dotted blank when unknown."""
    if not iso:
        return "ngày ..... tháng ..... năm ........"
    year, month, day = iso[:10].split("-")
    return f"ngày {int(day):02d} tháng {int(month):02d} năm {year}"


def moment(iso: str | None) -> str:
    """An ISO 8601 time stamp as people write it: ``14:32:05 ngày 13/12/2023``."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return nfc(iso)
    return f"{at:%H:%M:%S} ngày {at:%d/%m/%Y}"


def moment_short(iso: str | None) -> str:
    """An ISO 8601 time stamp for a log table: ``13/12 14:32:05``."""
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return nfc(iso)
    return f"{at:%d/%m/%Y %H:%M:%S}"


def place_date(poll: Poll) -> str:
    """The place-and-date line under the national motto."""
    place = nfc(poll.place).strip() or "................"
    # No-break spaces keep the date on one line when a long place name wraps.
    return f"{place}, {date_long(poll.date).replace(' ', NBSP)}"


def subject(poll: Poll) -> str:
    """``Lấy phiếu tín nhiệm đối với …`` — the line under a document's title."""
    return f"{KIND[poll.kind]} {SUBJECT.get(poll.rules, '')}".strip()


def group_marks(marks: str, size: int = 5) -> str:
    """An entry string in groups of five (``12310 23112 3``) so a reader can follow it."""
    return " ".join(marks[i : i + size] for i in range(0, len(marks), size))
