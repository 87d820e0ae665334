"""Problems of reading scanned ballot papers (P): a page that cannot be read, a file that is
not a picture. A page's ``message`` in ``tinnhiem scan`` is the problem's message."""

from __future__ import annotations

from tinnhiem.problems.core import _define

# fmt: off
CORNERS_MISSING = _define("P01", "page", "Không tìm thấy đủ bốn góc của phiếu (thấy {found}/4); hãy quét lại trang này, để lọt cả tờ giấy và không che hay gập góc nào.")
PAGE_BENT = _define("P02", "page", "Bốn góc của phiếu không khớp với khổ giấy (ảnh bị méo, giấy bị cong hoặc gập); hãy quét lại trang này cho phẳng.")
CODE_UNREADABLE = _define("P03", "page", "Không đọc được mã QR ở chân trang; hãy quét lại trang này rõ hơn (độ phân giải 150–300 dpi, đủ sáng).")
TOO_SMALL = _define("P04", "page", "Ảnh của trang quá nhỏ để đọc các ô ({dpi} điểm mỗi inch); hãy quét lại ở 150–300 dpi.")
NOT_AN_IMAGE = _define("P05", "{file}", "không phải tệp ảnh (PNG, JPEG, TIFF) hay PDF đọc được; hãy chọn tệp ảnh quét của phiếu.")
NO_SUCH_IMAGE = _define("P06", "{file}", "không có tệp này; kiểm tra lại đường dẫn.")
NOT_THIS_POLL = _define("P07", "page", "Trang này không phải phiếu của đợt lấy phiếu này (phiếu của đợt khác, mẫu phiếu khác, trang trắng hoặc giấy khác).")
BALLOT_INCOMPLETE = _define("P08", "{where}", "phiếu này có {pages} trang nhưng chỉ quét được trang {found}; hãy quét đủ các trang của phiếu (theo đúng thứ tự) rồi đọc lại lô.")
BALLOT_TWICE = _define("P09", "{where}", "trang {page} của phiếu này có hai lần trong lô (quét trùng); bỏ bớt một ảnh rồi đọc lại lô.")
SCAN_IMAGE_MISSING = _define("P10", "{file}", "ảnh quét của lô số {batch} ghi trong nhật ký không còn trong cơ sở dữ liệu (đã bị xóa); hãy khôi phục tệp cơ sở dữ liệu từ bản sao lưu.")
SCAN_IMAGE_CHANGED = _define("P11", "{file}", "ảnh quét của lô số {batch} trong cơ sở dữ liệu không còn khớp mã SHA-256 ghi trong nhật ký (đã bị sửa); hãy khôi phục tệp cơ sở dữ liệu từ bản sao lưu.")
SCAN_IMAGE_NOT_LISTED = _define("P12", "{file}", "không khớp với mã SHA-256 ghi trong lô phiếu quét (tệp đã đổi sau khi được đọc, hoặc không thuộc lô này); chưa có gì được ghi — hãy tải các ảnh lên và đọc lại lô.")
