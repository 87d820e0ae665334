"""Problems of poll files, counts, setting, entries, totals, the store's extension, setup."""

from __future__ import annotations

from tinnhiem.problems.core import _at, _define

FILE = "(tệp)"  # the field of a problem with the file as a whole
# -- the poll file as JSON ------------------------------------------------------------------
NOT_OBJECT = _at("F02", "phải là một đối tượng JSON {{…}}, không phải {value}.")
MISSING = _at("F03", "thiếu trường bắt buộc này.")
NOT_TEXT = _at("F05", "phải là một chuỗi ký tự, không phải {value}.")
NOT_ALLOWED = _at("F06", "giá trị {value} không hợp lệ; chọn một trong {allowed}.")
NO_OFFICIALS_LIST = _define(
    "F07", "officials", "phải là một danh sách không rỗng các {{name, position}}."
)
EMPTY_NAME = _at("F08", "họ tên đang trống.")
EXEMPT_MISMATCH = _define(
    "F09",
    "x-tinnhiem.officials",
    "danh sách đầy đủ (kể cả người miễn lấy phiếu) không khớp với officials.",
)
BAD_DATE = _define("F10", "date", "{value} không phải một ngày có thật dạng YYYY-MM-DD.")
ENTRIES_NOT_LIST = _define(
    "F11", "entries", "phải là một danh sách các chuỗi, mỗi phiếu một chuỗi."
)
TOTALS_NOT_LIST = _define("F12", "totals", "phải là một danh sách, mỗi người một đối tượng.")
NOT_UTF8 = _define("F13", FILE, "không phải văn bản UTF-8 (byte {position}).")
MALFORMED = _define("F14", FILE, "JSON sai ở dòng {line}, cột {column}: {reason}.")
UNKNOWN_KEY = _at(
    "F15",
    "trường không có trong định dạng tinnhiem/1; các trường được dùng: {allowed} (trường "
    "mở rộng bắt đầu bằng x-).",
)
DUPLICATE_KEY = _at("F16", "khóa này xuất hiện hai lần trong cùng một đối tượng JSON.")
WRONG_FORMAT = _define("F17", "format", "phải là “tinnhiem/1”, không phải {value}.")
FORMAT_MISSING = _define("F18", "format", "thiếu trường bắt buộc này (phải là “tinnhiem/1”).")
NOT_LIST = _at("F19", "phải là một danh sách, không phải {value}.")
NOT_A_NUMBER = _define("F20", FILE, "JSON không hợp lệ: {name} không phải một số JSON.")
NUMBER_TOO_LONG = _at(
    "F21",
    "số có {digits} chữ số, quá lớn (tối đa {limit} chữ số); kiểm tra lại giá trị này.",
)
TOO_DEEP = _at(
    "F22",
    "JSON lồng nhau quá sâu (quá {limit} tầng ngoặc); tệp tinnhiem/1 chỉ có vài tầng — kiểm "
    "tra lại tệp.",
)
EMPTY_FILE = _define(
    "F23", FILE, "tệp trống (không có nội dung JSON); chọn đúng tệp .json đã xuất từ tinnhiem."
)
FILE_TOO_LARGE = _define(
    "F24",
    FILE,
    "tệp quá lớn ({size:.1f} MB; tối đa {limit} MB); một tệp tinnhiem/1 của {ballots} phiếu "
    "× {officials} người nhỏ hơn nhiều — kiểm tra lại tệp.",
)
BLANK_IDENTITY = _at(
    "F25", "đang trống; bỏ hẳn trường này hoặc ghi giá trị (mã đợt, tên điểm, mã người)."
)
# -- counts ---------------------------------------------------------------------------------
NOT_INTEGER = _at("C00", "phải là một số nguyên, không phải {value}.")
NEGATIVE = _at("C01", "không được âm ({value}).")
PRESENT_OVER_TOTAL = _define(
    "C02", "members.present", "số có mặt ({present}) lớn hơn tổng số đại biểu ({total})."
)
ISSUED_OVER_PRESENT = _define(
    "C03", "ballots.issued", "số phiếu phát ra ({issued}) lớn hơn số đại biểu có mặt ({present})."
)
COLLECTED_OVER_ISSUED = _define(
    "C04",
    "ballots.collected",
    "số phiếu thu về ({collected}) lớn hơn số phiếu phát ra ({issued}).",
)
ABSENT_SPLIT = _define(
    "C05",
    "members.absent",
    "vắng có lý do ({with_reason}) + vắng không lý do ({without_reason}) phải bằng số vắng "
    "mặt ({absent}).",
)
NOTHING_COLLECTED = _define(
    "C06",
    "ballots.collected",
    "chưa có phiếu thu về; nhập số phiếu phát ra và thu về trước khi kiểm phiếu.",
)
COUNT_OVER_LIMIT = _at(
    "C07",
    "{value} vượt giới hạn {limit} (không thể là số người hay số phiếu thật); kiểm tra lại số này.",
)
# -- the setting ----------------------------------------------------------------------------
UNKNOWN_RULES = _define("S01", "rules", "bộ quy tắc “{value}” không có; chọn một trong {allowed}.")
UNKNOWN_BASE = _define("S02", "base", "cơ số “{value}” không có; chọn {allowed}.")
UNKNOWN_ROUNDING = _define("S03", "rounding", "cách làm tròn “{value}” không có; chọn {allowed}.")
NOBODY_ON_BALLOT = _define(
    "S04", "officials", "danh sách người được lấy phiếu đang trống; thêm ít nhất một người."
)
TOO_MANY_OFFICIALS = _define(
    "S05",
    "officials",
    "danh sách có {count} người, quá giới hạn {limit} người của một đợt lấy phiếu; chia "
    "thành nhiều đợt.",
)
SAME_OFFICIAL_TWICE = _define(
    "S06",
    "officials[{number}]",
    "“{name}” ({position}) đã có ở vị trí {first}: cùng họ tên và chức vụ; xóa dòng lặp lại "
    "hoặc ghi rõ chức vụ để phân biệt hai người.",
)
CONTROL_CHARACTER = _at("S08", "có ký tự điều khiển {char} (không in được); xóa ký tự đó.")
TEXT_TOO_LONG = _at(
    "S07",
    "dài {length} ký tự, quá giới hạn {limit} ký tự (để biên bản và phiếu in được); viết gọn lại.",
)
# -- entries --------------------------------------------------------------------------------
ENTRY_LENGTH = _define(
    "E01",
    "entries",
    "phiếu có {length} ký tự nhưng danh sách có {width} người; gõ đúng một chữ số cho mỗi "
    "người ({alphabet}) hoặc X cho phiếu không hợp lệ.",
)
ENTRY_CHARACTER = _define(
    "E02",
    "entries",
    "ký tự {char} ở vị trí {position} không hợp lệ; chỉ dùng {alphabet} (hoặc X cho cả "
    "phiếu không hợp lệ).",
)
ENTRIES_OVER_COLLECTED = _define(
    "E03", "entries", "đã nhập {count} phiếu, nhiều hơn số phiếu thu về ({collected})."
)
ENTRY_NOT_TEXT = _at("E04", "phải là một chuỗi, không phải {value}.")
TOO_MANY_ENTRIES = _define(
    "E05",
    "entries",
    "có {count} phiếu, quá giới hạn {limit} phiếu của một đợt lấy phiếu; kiểm tra lại tệp.",
)
# -- totals ---------------------------------------------------------------------------------
BOTH_COUNTED = _define(
    "F01", "totals", "tệp có cả entries lẫn totals; chỉ được dùng một trong hai."
)
INVALID_OVER_COLLECTED = _define(
    "T01",
    "ballots.invalid",
    "số phiếu không hợp lệ ({invalid}) lớn hơn số phiếu thu về ({collected}).",
)
TOTALS_ROWS = _define(
    "T02",
    "totals",
    "có {rows} dòng kết quả nhưng {width} người trên phiếu; mỗi người một dòng, đúng thứ tự.",
)
TOTALS_LEVELS = _define("T03", "totals[{number}]", "{name}: cần đúng các mức {levels}.")
TOTALS_NOT_COUNT = _at("T04", "{name}: phải là số nguyên không âm.")
TOTALS_OVER = _define(
    "T05",
    "totals[{number}]",
    "{name}: tổng các mức ({sum}) vượt số phiếu hợp lệ có thể ghi cho người này ({carrying} "
    "= {collected} thu về − {invalid} không hợp lệ).",
)
INVALID_IN_ENTRIES = _define(
    "T06",
    "ballots.invalid",
    "chỉ dùng khi nhập tổng số (totals); khi nhập từng phiếu, phiếu không hợp lệ được ghi bằng X.",
)
# -- base and quorum ------------------------------------------------------------------------
BASE_ZERO = _define("B01", "base", "cơ số tính tỷ lệ ({base}) bằng 0; không thể tính phần trăm.")
NO_QUORUM = _define(
    "Q01",
    "members.present",
    "chưa đủ túc số: có mặt {present}/{total}, cần ít nhất {required} (hai phần ba số được "
    "triệu tập).",
)
# -- the store's extension of an exported file (x-tinnhiem) ---------------------------------
BAD_STATE = _define("X01", "x-tinnhiem.state", "phải là một trong {allowed}.")
BAD_MODE = _define("X02", "x-tinnhiem.mode", "phải là {allowed}.")
NOT_OBJECTS = _at("X03", "phải là một danh sách các đối tượng {{…}}.")
BALLOT_NUMBERS = _define(
    "X04", "x-tinnhiem.ballot_log", "số phiếu (entry_no) phải là 1, 2, 3 … theo thứ tự."
)
BALLOT_LOG_MISMATCH = _define(
    "X05", "x-tinnhiem.ballot_log", "các phiếu chưa hủy không khớp với entries của tệp."
)
BALLOTS_IN_TOTALS = _define(
    "X06",
    "x-tinnhiem.ballot_log",
    "đợt nhập kết quả tổng hợp không có phiếu nhập từng tờ.",
)
AUDIT_MISMATCH = _define("X07", "x-tinnhiem.audit", "nhật ký kiểm toán không khớp: {problem}")
BAD_SOURCE = _at("X08", "phải là null hoặc [mã bàn phím, số dòng].")
BAD_LOCK_TIME = _define(
    "X10",
    "x-tinnhiem.locked_at",
    "phải là thời điểm khóa dạng ISO 8601 (ví dụ 2026-12-02T14:32:05+07:00), không phải {value}.",
)
SOURCE_TWICE = _define(
    "X09", "x-tinnhiem.ballot_log", "hai phiếu mang cùng một nguồn (bàn phím, số dòng)."
)
# -- the setup form -------------------------------------------------------------------------
ROW_WITHOUT_NAME = _define(
    "U01", "officials", "dòng {number}: thiếu họ và tên; điền tên hoặc xóa dòng đó."
)
OTHER_REASON_EMPTY = _define(
    "U02", "officials", "dòng {number}: chọn “Lý do khác” thì ghi lý do ở cột bên cạnh."
)
TYPED_DATE = _define(
    "U03", "date", "ngày “{value}” chưa đúng: gõ ngày/tháng/năm, ví dụ 13/12/2023."
)
