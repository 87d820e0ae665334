"""Problems of combining poll files (``tinnhiem combine``, the Tổng hợp page): code G.

The field of each is the file's name as the user gave it, so the one line on standard
error names the file; a problem between two files names the other one in its message.
"""

from __future__ import annotations

from tinnhiem.problems.core import _define

# fmt: off
SAME_POINT_OTHER_CONTENT = _define("G01", "{field}", "cùng mã đợt lấy phiếu ({id}) và cùng điểm ({point}) với tệp {other} nhưng nội dung khác nhau; mỗi điểm chỉ có một kết quả: giữ lại tệp đúng (tệp đã khóa của điểm đó) và bỏ tệp kia.")
POINT_SETTING = _define("G02", "{field}", "{what} là {value}, còn ở tệp {other} là {expected}; các điểm của cùng một đợt lấy phiếu phải cùng loại, cùng bộ quy tắc, cùng cơ số tính tỷ lệ và cùng cách làm tròn.")
POINT_OFFICIALS_COUNT = _define("G03", "{field}", "phiếu có {count} người, còn ở tệp {other} có {expected} người; các điểm của cùng một đợt lấy phiếu phải có cùng danh sách người được lấy phiếu, cùng thứ tự.")
POINT_OFFICIAL = _define("G04", "{field}", "officials[{number}] là “{name}” ({position}), còn ở tệp {other} là “{expected_name}” ({expected_position}); các điểm của cùng một đợt lấy phiếu phải có cùng danh sách người được lấy phiếu, cùng thứ tự.")
LOCK_NOT_VERIFIED = _define("G05", "{field}", "tệp ghi là đã khóa nhưng nhật ký kiểm toán không khớp với nội dung ({problem}); tệp đã bị sửa sau khi xuất: xin lại tệp gốc của nơi đã khóa kết quả.")
NO_SUCH_FILE = _define("G06", "{field}", "không có tệp này; kiểm tra lại đường dẫn.")
UNREADABLE_FILE = _define("G07", "{field}", "không đọc được tệp ({reason}).")
OUTPUT_SUFFIX = _define("G08", "{field}", "tệp kết quả phải có đuôi .json, .xlsx hoặc .pdf.")
NOT_WRITTEN = _define("G09", "{field}", "không ghi được tệp kết quả ({reason}).")
POINT_WITHOUT_ID = _define("G10", "{field}", "tệp không có mã đợt lấy phiếu nên không tạo được điểm mới cùng đợt; xuất lại tệp từ máy đã tạo đợt lấy phiếu (tinnhiem bản mới ghi mã đợt vào mọi tệp xuất).")
NOTHING_TO_ADD = _define("G12", "{field}", "điểm {point} chưa có phiếu để tính (cơ số tính tỷ lệ bằng 0); kiểm phiếu và khóa điểm này rồi xuất lại tệp trước khi tổng hợp.")
SAME_POINT = _define("G11", "{field}", "tệp đã là của điểm “{point}”; đặt cho điểm mới một tên khác (tên thôn, tổ dân phố, đơn vị).")
EXPECTED_UNREADABLE = _define("G13", "{field}", "không đọc được danh sách điểm hoặc đơn vị cần có ({reason}); dùng tệp .xlsx, .ods, .csv hoặc .txt, mỗi dòng một tên (cột đầu tiên có chữ).")
EXPECTED_EMPTY = _define("G14", "{field}", "danh sách điểm hoặc đơn vị cần có không có tên nào; mỗi dòng một tên (cột đầu tiên có chữ), dòng tiêu đề như “Đơn vị” được bỏ qua.")
