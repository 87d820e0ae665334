"""Every word and format a person sees for the core's codes: one vocabulary for the pages,
the documents and the command line.

The core speaks in codes (``counting``, ``low``, ``over_half``, ``chair``); this module is
the only place that turns them into Vietnamese, and the only place that writes a date, a
time, a number or a percentage for a reader. Each table is keyed by the enum of
``tinnhiem.model`` (the audit log's actions: ``tinnhiem.lifecycle.Action``), so a new member
without a word fails a test, not a person. Each word is stored once: names that label a
column or an option (kinds, modes, levels, bands, roles) as labels, phrases that sit inside
a sentence (states, bases, actions) in lower case; ``sentence`` and ``str.lower`` give the
other form, never a second table. An English UI would add a second module of the same
shape.

Pure: the standard library, the model and the life cycle's actions only.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata

from tinnhiem import arithmetic
from tinnhiem.lifecycle import Action
from tinnhiem.model import (
    BOARD_ROLES,
    DECIDING_LEVEL,
    LEVELS,
    Band,
    Base,
    Kind,
    Level,
    Mode,
    Poll,
    State,
)

NBSP = "\u00a0"


# -- text ----------------------------------------------------------------------------------


def nfc(text: object) -> str:
    """The text in Unicode composed form (NFC); ``None`` becomes ''."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text))


def upper(text: str) -> str:
    """The text in capitals (a document's heading)."""
    return nfc(text).upper()


def sentence(text: str) -> str:
    """The text with its first letter upper case (unlike ``str.capitalize``, the rest stays)."""
    text = nfc(text)
    return text[:1].upper() + text[1:]


# -- the codes in words ----------------------------------------------------------------------

KIND: dict[str, str] = {Kind.POLL: "Lấy phiếu tín nhiệm", Kind.VOTE: "Bỏ phiếu tín nhiệm"}

# As they read after the poll's name: "Đợt lấy phiếu số 3 đang kiểm phiếu".
STATE: dict[str, str] = {
    State.SETUP: "đang thiết lập",
    State.COUNTING: "đang kiểm phiếu",
    State.CLOSED: "đã kết thúc kiểm phiếu",
    State.LOCKED: "đã khóa",
}

MODE: dict[str, str] = {
    Mode.ENTRIES: "Nhập từng phiếu",
    Mode.TOTALS: "Nhập tổng số kiểm tay",
}

LEVEL: dict[str, str] = {
    Level.HIGH: "Tín nhiệm cao",
    Level.CONFIDENCE: "Tín nhiệm",
    Level.LOW: "Tín nhiệm thấp",
    Level.NO_CONFIDENCE: "Không tín nhiệm",
}
# The deciding levels where a full name does not fit (the projector's status column).
LEVEL_SHORT: dict[str, str] = {Level.LOW: "Thấp", Level.NO_CONFIDENCE: "Không TN"}
BLANK_ROW = "Không hợp lệ / để trống"  # a row with no valid mark, typed 0
INVALID_BALLOT = "Cả phiếu không hợp lệ"  # a whole ballot judged invalid, typed X

# The denominator, as it reads after "tính trên" or "so với".
BASE: dict[str, str] = {
    Base.COLLECTED: "tổng số phiếu thu về",
    Base.ISSUED: "tổng số phiếu phát ra",
    Base.MEMBERS: "tổng số đại biểu",
    Base.PRESENT: "tổng số đại biểu có mặt",
}
ROUNDING = {  # model.ROUNDINGS
    "half_up": "Làm tròn hai chữ số thập phân (53,185 → 53,19)",
    "truncate": "Cắt bỏ phần lẻ sau hai chữ số (53,189 → 53,18)",
}

# What one audit log entry records, as it reads after "việc": "việc mở kiểm phiếu".
ACTION: dict[str, str] = {
    Action.CREATE: "tạo đợt lấy phiếu",
    Action.UPDATE: "sửa thông tin đợt lấy phiếu",
    Action.PIN_SET: "đặt mã PIN",
    Action.OPEN: "mở kiểm phiếu",
    Action.BALLOT: "nhập một phiếu",
    Action.VOID: "hủy một phiếu",
    Action.TOTALS: "nhập kết quả tổng hợp",
    Action.CLOSE: "kết thúc kiểm phiếu",
    Action.REOPEN: "mở lại kiểm phiếu",
    Action.LOCK: "khóa kết quả",
    Action.STACK: "thêm một xấp phiếu",
    Action.PASS: "bắt đầu một lần nhập xấp",
    Action.PASS_BALLOT: "nhập một phiếu của xấp",
    Action.PASS_END: "xong một lần nhập xấp",
    Action.DECISION: "quyết định một chỗ khác nhau",
    Action.REENTRY: "cho nhập lại một xấp",
    Action.SCAN: "ghi một lô phiếu quét",
}

# The moves of the count whose chain head the board notes (results page, minutes).
MARKED_MOVES = (Action.CLOSE, Action.REOPEN, Action.LOCK)


ROLE: dict[str, str] = dict(
    zip(BOARD_ROLES, ("Trưởng ban", "Thư ký", "Ủy viên"), strict=True),
)

# What a result means, in a table cell or before the rule set's consequence.
BAND: dict[str, dict[str, str]] = {
    Kind.POLL: {
        Band.NONE: "Không quá nửa",
        Band.OVER_HALF: "Quá nửa tín nhiệm thấp",
        Band.TWO_THIRDS: "Từ 2/3 tín nhiệm thấp trở lên",
    },
    Kind.VOTE: {Band.NONE: "Không quá nửa", Band.OVER_HALF: "Quá nửa không tín nhiệm"},
}
# The band where a full name does not fit (the projector's status column); none says nothing.
BAND_SHORT: dict[str, str] = {Band.NONE: "", Band.OVER_HALF: "Quá nửa", Band.TWO_THIRDS: "Từ 2/3"}


def state(code: str) -> str:
    """A state as a line's label: ``Đang kiểm phiếu``."""
    return sentence(STATE[State(code)])


def stage(state: str | None, mode: str | None) -> str:
    """A poll's state and entry mode in a report: ``đang kiểm phiếu, nhập từng phiếu``.

    A code this vocabulary does not know (a hand-edited database) is quoted as found.
    """
    if not state:
        return "chưa tạo"
    said = STATE[State(state)] if state in STATE else f"“{state}”"
    if mode:
        said += ", " + (MODE[Mode(mode)].lower() if mode in MODE else f"“{mode}”")
    return said


def action(code: str) -> str:
    """An audit log entry's action in a sentence: ``mở kiểm phiếu``.

    A code this vocabulary does not know (a hand-edited log) is quoted as found.
    """
    return ACTION[Action(code)] if code in ACTION else f"“{nfc(code)}”"


def level_of_digit(kind: Kind | str, digit: str) -> str:
    """What one typed digit means on a ballot of this kind ('0' is a blank or invalid row)."""
    levels = LEVELS[Kind(kind)]
    if digit.isdigit() and 1 <= int(digit) <= len(levels):
        return LEVEL[Level(levels[int(digit) - 1])]
    return BLANK_ROW


def band(kind: Kind | str, code: str) -> str:
    """The band's name for this kind: ``Quá nửa tín nhiệm thấp``."""
    return BAND[Kind(kind)][Band(code)]


def base_compared(code: str) -> str:
    """The base after a percentage: ``so với tổng số phiếu thu về``."""
    return f"so với {BASE[Base(code)]}"


def band_sentence(kind: Kind | str, code: str, base_code: str) -> str:
    """The band as a sentence of the result: what share of the base marked low."""
    base, band_code = BASE[Base(base_code)], Band(code)
    if Kind(kind) == Kind.VOTE:
        if band_code == Band.OVER_HALF:
            return f"Có quá nửa {base} bỏ phiếu không tín nhiệm."
        return f"Không có quá nửa {base} bỏ phiếu không tín nhiệm."
    if band_code == Band.TWO_THIRDS:
        return f"Có từ hai phần ba {base} trở lên đánh giá tín nhiệm thấp."
    if band_code == Band.OVER_HALF:
        return f"Có quá nửa {base} đánh giá tín nhiệm thấp (dưới hai phần ba)."
    return f"Không có quá nửa {base} đánh giá tín nhiệm thấp."


# -- numbers ---------------------------------------------------------------------------------


def quorum_line(present: int, total: int, required: int, met: bool) -> str:
    """ "Có mặt 47/50 — cần tối thiểu 34: đủ túc số" (setup, sidebar and results alike)."""
    verdict = "đủ túc số" if met else "chưa đủ túc số"
    return f"Có mặt {number(present)}/{number(total)} — cần tối thiểu {number(required)}: {verdict}"


def number(value: int) -> str:
    """An integer with Vietnamese thousands separators: ``40.001``."""
    return f"{value:,}".replace(",", ".")


def percent(count: int, base: int, rounding: str = "half_up") -> str:
    """A percentage as Vietnamese write it, exact to two decimals: ``53,19%``."""
    return percent_of(arithmetic.percent(count, base, rounding))


def percent_of(machine: str) -> str:
    """A tally's machine percentage (``"53.19"``, ``OfficialResult.percent``) as Vietnamese
    write it: ``53,19%``."""
    return machine.replace(".", ",") + "%"


def _edge(need: arithmetic.Need, short: bool = False) -> str:
    """The edge a ``Need`` reaches, after "để": ``quá nửa``, ``từ hai phần ba trở lên``
    (short: ``từ 2/3``); any other fraction as written, ``quá 3/5``, ``từ 3/5 trở lên``."""
    fraction, inclusive = need.band.edge, need.band.inclusive
    p, q = number(fraction.numerator), number(fraction.denominator)
    named = {(1, 2): "nửa", (2, 3): "2/3" if short else "hai phần ba"}
    said = named.get((fraction.numerator, fraction.denominator), f"{p}/{q}")
    if said == "nửa" and inclusive:
        said = "một nửa"
    if not inclusive:
        return f"quá {said}"
    return f"từ {said}" if short else f"từ {said} trở lên"


def needs(kind: Kind | str, need: arithmetic.Need, short: bool = False) -> str:
    """What moves an official to the next band: ``cần thêm 3 phiếu thấp nữa để quá nửa; còn
    12 phiếu chưa kiểm`` (or ``…, nhưng chỉ còn 2 phiếu chưa kiểm`` when they cannot bring
    it); short, for the projector's status column beside ``Thấp 36,17%``: ``+3 → quá nửa``."""
    deciding = Level(DECIDING_LEVEL[Kind(kind)])
    if short:
        return f"+{number(need.more)} → {_edge(need, True)}"
    mark = (LEVEL_SHORT if deciding == Level.LOW else LEVEL)[deciding].lower()
    left = "; còn" if need.reachable else ", nhưng chỉ còn"
    return (
        f"cần thêm {number(need.more)} phiếu {mark} nữa để {_edge(need)}"
        f"{left} {number(need.remaining)} phiếu chưa kiểm"
    )


# -- dates and times (the stored forms are ISO 8601) ---------------------------------------


def _day(iso: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def date(iso: str | None) -> str:
    """``2023-12-13`` → ``13/12/2023``; '' when unknown, any other text as written."""
    if not iso:
        return ""
    day = _day(iso)
    if day is None:
        return nfc(iso)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def date_long(iso: str | None) -> str:
    """``2023-12-13`` → ``ngày 13 tháng 12 năm 2023``; a dotted blank when unknown."""
    day = _day(iso) if iso else None
    if day is None:
        return "ngày ..... tháng ..... năm ........"
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year:04d}"


def _hours_minutes(text: str) -> tuple[int, int] | None:
    hours, _, minutes = text.strip().partition(":")
    if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
        return int(hours), int(minutes)
    return None


def time(text: str | None) -> str:
    """A poll's time of day: ``9:05`` → ``09:05``; any other text as written."""
    clock = _hours_minutes(text or "")
    return f"{clock[0]:02d}:{clock[1]:02d}" if clock else nfc(text or "").strip()


def time_long(text: str | None) -> str:
    """A poll's time of day in a sentence: ``14:00`` → ``14 giờ 00``."""
    clock = _hours_minutes(text or "")
    return f"{clock[0]} giờ {clock[1]:02d}" if clock else nfc(text or "").strip()


def _instant(iso: str) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromisoformat(iso)
    except ValueError:
        return None


def _stamp(iso: str | None, layout: str) -> str:
    """A time stamp in ``layout`` ({clock} ``14:32:05``, {day} ``13/12/2023``, on the clock
    it was taken on); any other text as written."""
    at = _instant(iso) if iso else None
    if at is None:
        return nfc(iso)
    clock = f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}"
    return layout.format(clock=clock, day=date(at.date().isoformat()))


def moment(iso: str | None) -> str:
    """A time stamp in a sentence: ``14:32:05 ngày 13/12/2023`` (the clock it was taken on)."""
    return _stamp(iso, "{clock} ngày {day}")


def date_time(iso: str | None) -> str:
    """A time stamp in a table: ``13/12/2023 14:32:05``."""
    return _stamp(iso, "{day} {clock}")


# -- Streamlit's own words ---------------------------------------------------------------

# What Streamlit's widgets show in English, and what the app shows in their place
# (tinnhiem/ui/frame.py swaps them with CSS: Streamlit has no setting for its language).
TOOLBAR = {
    "Add row": "Thêm dòng",
    "Delete row(s)": "Xóa dòng đã chọn",
    "Show/hide columns": "Ẩn/hiện cột",
    "Download as CSV": "Tải về tệp CSV",
    "Search": "Tìm",
    "Fullscreen": "Phóng to toàn màn hình",
    "Close fullscreen": "Thu nhỏ lại",
    "Clear selection": "Bỏ chọn",
}
UPLOAD_BUTTON = "Chọn tệp"
UPLOAD_HINT = "hoặc kéo thả tệp vào đây"
# The screen-reader names of a PIN field's eye button (set by a small script: no CSS can).
PASSWORD_TOGGLE = {"Show password": "Hiện mã PIN", "Hide password": "Ẩn mã PIN"}


# -- the documents' fixed words ------------------------------------------------------------

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BOARD = "BAN KIỂM PHIẾU"
BALLOT_TITLE: dict[str, str] = {
    Kind.POLL: "PHIẾU LẤY PHIẾU TÍN NHIỆM",
    Kind.VOTE: "PHIẾU BỎ PHIẾU TÍN NHIỆM",
}
PROVISIONAL = "KẾT QUẢ TẠM THỜI — chưa khóa"

# Whom the poll concerns, by rule set: the subject line under the title.
SUBJECT = {
    "nq96-2023": "đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc phê chuẩn",
    "nq85-2014": "đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc phê chuẩn",
    "qd96-tw": "đối với chức vụ lãnh đạo, quản lý trong hệ thống chính trị",
}

ENTRY_KEY: dict[str, str] = {
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


def move(action: str, at: str, reason: str = "") -> str:
    """One move of the count in a sentence: ``Kết thúc kiểm phiếu lúc 14:32:05 ngày
    13/12/2023 (lý do: …)``; ``at`` already in words, the reason as the board typed it."""
    return f"{sentence(ACTION[action])} lúc {at}" + (f" (lý do: {reason})" if reason else "")
