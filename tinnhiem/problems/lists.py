"""Problems of lists of officials (CSV, XLSX, ODS, HTML, pasted text): L errors, W warnings."""

from __future__ import annotations

from tinnhiem.problems.core import _define

# -- lists of officials (CSV, XLSX, ODS, HTML, pasted text) ---------------------------------
LIST = "officials"  # the field of every problem of an officials list

# fmt: off
NO_HEADER = _define("L01", LIST, "Không tìm thấy dòng tiêu đề trong {rows} dòng đầu. Cần một dòng có các cột {expected}; cột “Miễn” hoặc “Lý do miễn” nếu có. Thêm dòng tiêu đề đó phía trên danh sách rồi nhập lại.")
LISTED_WITHOUT_NAME = _define("L02", LIST, "Dòng {line}: thiếu họ tên (STT “{number}”, chức vụ “{position}”). Điền họ tên hoặc xóa dòng đó trong tệp rồi nhập lại.")
LIST_EMPTY = _define("L03", LIST, "Danh sách trống: có dòng tiêu đề nhưng không có người nào bên dưới. Thêm ít nhất một người (mỗi người một dòng) rồi nhập lại.")
UNKNOWN_ENCODING = _define("L04", LIST, "Không đọc được bảng mã của tệp. Trong Excel chọn Lưu thành… “CSV UTF-8 (Comma delimited)” hoặc lưu dạng .xlsx rồi nhập lại.")
BROKEN_WORKBOOK = _define("L05", LIST, "Không mở được tệp {format}: tệp hỏng hoặc không phải bảng tính. Mở tệp trong Excel hoặc LibreOffice, lưu lại dạng .xlsx hoặc CSV UTF-8 rồi nhập lại.")
NO_SHEET_HEADER = _define("L06", LIST, "Không trang tính nào có dòng tiêu đề trong {rows} dòng đầu. Cần các cột {expected}. Thêm dòng tiêu đề đó phía trên danh sách rồi nhập lại.")
OLD_EXCEL = _define("L07", LIST, "Tệp Excel kiểu cũ (.xls) của Excel 97–2003 chưa được hỗ trợ. Trong Excel chọn Lưu thành… “Excel Workbook (.xlsx)” hoặc “CSV UTF-8” rồi nhập lại.")
PASTED_WITHOUT_NAME = _define("L08", LIST, "Dòng {line}: thiếu họ tên (“{text}”). Mỗi dòng ghi “Họ tên; Chức vụ” hoặc “Họ tên - Chức vụ”; sửa hoặc xóa dòng đó.")
NOTHING_PASTED = _define("L09", LIST, "Chưa có ai trong văn bản dán. Dán mỗi người một dòng, dạng “Họ tên; Chức vụ” hoặc “Họ tên - Chức vụ”.")
LIST_TOO_LARGE = _define("L10", LIST, "Tệp quá lớn ({size:.1f} MB; tối đa {limit} MB). Danh sách người được lấy phiếu chỉ cần các cột STT, Họ và tên, Chức vụ: xóa các trang tính và cột khác rồi nhập lại.")
NOT_A_LIST = _define("L11", LIST, "Tệp {format} không phải bảng danh sách. Cần tệp Excel (.xlsx), LibreOffice (.ods), CSV hoặc bảng HTML có các cột {expected}.")
NOTE_AS_EXEMPT = _define("W01", LIST, "Cột “Ghi chú” được hiểu là lý do miễn lấy phiếu: người có ghi chú sẽ không có tên trên phiếu. Kiểm tra lại cột “Miễn lấy phiếu” sau khi nhập.")
SKIPPED_WITHOUT_NAME = _define("W02", LIST, "Dòng {line}: bỏ qua dòng “{text}” (không có họ tên).")
GROUP_ROW = _define("W03", LIST, "Dòng {line}: bỏ qua dòng nhóm “{text}”.")
LIKE_A_FORMULA = _define("W04", LIST, "{where}: ô “{text}” bắt đầu bằng “{sign}” (giống công thức Excel); đã giữ nguyên văn bản — kiểm tra lại.")
STT_MISSING = _define("W05", LIST, "Cột STT trống hoặc không phải số ở dòng {lines}; giữ thứ tự như trong tệp.")
STT_TWICE = _define("W06", LIST, "Cột STT có số trùng nhau; người cùng STT giữ thứ tự như trong tệp.")
RESORTED = _define("W07", LIST, "Danh sách đã được sắp xếp lại theo cột STT.")
SAME_NAME = _define("W08", LIST, "Trùng họ tên: “{name}” ở vị trí {first} và {second}. Nếu là hai người khác nhau, ghi rõ chức vụ để phân biệt; nếu không, xóa một dòng.")
LATER_SHEET = _define("W09", LIST, "Đã dùng trang tính “{title}” (các trang trước không có dòng tiêu đề).")
HIDDEN_ROWS = _define("W10", LIST, "Trang “{title}”, dòng {lines} bị ẩn trong bảng tính: đã bỏ qua, không đưa vào danh sách. Nếu những người đó có tên trên phiếu, bỏ ẩn các dòng đó rồi nhập lại.")
MORE_SHEETS = _define("W11", LIST, "Danh sách tiếp tục ở trang tính “{title}”: đã đọc thêm {count} người từ trang đó, đặt sau những người của trang trước. Kiểm tra lại thứ tự.")
SHEET_NOT_READ = _define("W12", LIST, "Trang tính “{title}” có dữ liệu nhưng không có dòng tiêu đề nên chưa được đọc. Nếu danh sách tiếp tục ở đó, thêm dòng tiêu đề vào trang đó (hoặc chép các dòng sang trang “{first}”) rồi nhập lại.")
TOTAL_ROW = _define("W13", LIST, "Dòng {line}: bỏ qua dòng tổng “{text}” (không phải một người).")
LEGACY_ENCODING = _define("W14", LIST, "Tệp gõ bằng bảng mã cũ {encoding} (phông chữ {fonts}): đã chuyển sang Unicode. Kiểm tra lại họ tên{note}.")
INVISIBLE_REMOVED = _define("W15", LIST, "Dòng {lines}: đã xóa ký tự ẩn hoặc ký tự điều khiển ({chars}) trong ô; kiểm tra lại.")
MERGED_HEADER = _define("W16", LIST, "Tiêu đề “Họ và tên” gộp trên hai cột “{surname}” và “{name}”: đã ghép hai cột thành họ tên.")
