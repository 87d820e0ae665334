"""Problems of rule sets (R), of a quorum a rule set sets (Q02) and of the counting board (M).

A rule set is a built-in file of tinnhiem/rulesets or a poll file's ``rule_set``
(poll-file.md, "Custom rule sets"); ``tinnhiem.rule_reading`` raises these, together with
the general F problems (not an object, missing, not text, unknown key, not a list).
"""

from __future__ import annotations

from tinnhiem.problems.core import _define

# fmt: off
RULES_NOT_CUSTOM = _define("R01", "rules", "phải là id của rule_set trong tệp (“{custom}”), không phải “{value}”; sửa rules thành “{custom}”, hoặc bỏ rule_set để dùng bộ quy tắc có sẵn.")
BUILTIN_RULE_ID = _define("R02", "{field}", "“{value}” là mã của một bộ quy tắc có sẵn; đặt cho bộ quy tắc riêng một mã khác (ví dụ “kh-cantho-2019”) và ghi mã đó vào rules, hoặc bỏ rule_set để dùng bộ có sẵn.")
BAD_FRACTION = _define("R03", "{field}", "phải là một phân số dạng “p/q” (p, q là số nguyên, q khác 0; ví dụ “1/2”, “2/3”), không phải {value}.")
FRACTION_OUTSIDE = _define("R04", "{field}", "phân số {value} nằm ngoài khoảng cho phép: cần 0 < p/q ≤ 1 (ví dụ “1/2”, “2/3”).")
EDGES_NOT_INCREASING = _define("R05", "{field}", "ngưỡng {value} phải lớn hơn ngưỡng {previous} của mức “{band}” đứng trước; liệt kê các mức theo ngưỡng tăng dần, mỗi ngưỡng một mức.")
DUPLICATE_BAND = _define("R06", "{field}", "mức “{value}” đã có ở {first}; mỗi mức một tên riêng.")
BAD_BAND_NAME = _define("R07", "{field}", "tên mức {value} không hợp lệ; dùng chữ thường không dấu, chữ số và dấu _, bắt đầu bằng một chữ cái (ví dụ “over_half”).")
BAND_NAMED_NONE = _define("R08", "{field}", "“none” là tên dành cho kết quả không qua ngưỡng nào; đặt tên khác cho mức này.")
BAD_INCLUSIVE = _define("R09", "{field}", "phải là true (kể cả chính ngưỡng) hoặc false (không kể ngưỡng), không phải {value}.")
CONSEQUENCE_BAND = _define("R10", "{field}", "không có mức “{value}” trong bands; chỉ ghi hậu quả cho các mức {allowed}.")
NO_BANDS = _define("R11", "{field}", "cần ít nhất một mức {{“band”, “from”, “inclusive”}}.")
EMPTY_RULE_ID = _define("R12", "{field}", "mã bộ quy tắc đang trống; đặt một mã như “kh-cantho-2019”.")
BAD_ARTICLE = _define("R13", "{field}", "phải ghi điều, khoản dạng “Điều 12” hoặc “khoản 5 Điều 2”, không phải {value}.")
QUOTE_WITHOUT_ARTICLE = _define("R14", "{field}", "trích dẫn “{value}” cần số điều đã xác nhận trong articles.")
BODY_TEXTS = _define("R15", "{field}", "cần đúng các cơ quan {allowed} (any: mọi cơ quan khác), mỗi cơ quan một câu.")
NO_QUORUM_FRACTION = _define("Q02", "members.present", "chưa đủ túc số: có mặt {present}/{total}, cần ít nhất {required} ({quorum} số được triệu tập, theo {rules}).")
BOARD_MEMBER_POLLED = _define("M01", "board[{number}].name", "“{name}” vừa ở Ban kiểm phiếu vừa có tên trên phiếu (số {official} trong danh sách); thành viên Ban kiểm phiếu không được là người được lấy phiếu (khoản 1 Điều 29 Nội quy kỳ họp Quốc hội, Nghị quyết 71/2022/QH15) — chọn người khác vào Ban kiểm phiếu.")
