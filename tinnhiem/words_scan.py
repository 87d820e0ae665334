"""The words of the "Quét phiếu" screen (scanned ballots read in the app), next to
tinnhiem.words. Officials' names, file names and stack labels are the users' own text: the
caller shows them literally (ui.markup)."""

from __future__ import annotations

from tinnhiem import words
from tinnhiem.model import Kind

TITLE = "Quét phiếu"
INTRO = (
    "Tải lên ảnh quét hoặc ảnh chụp các tờ phiếu (PNG, JPEG, TIFF, PDF; nhiều tệp một lần). "
    "Máy đọc từng trang; dòng nào máy không chắc, một người trong ban kiểm phiếu xem ảnh và "
    "quyết định. Chỉ khi mọi dòng nghi ngờ đã được quyết định, lô phiếu mới được ghi."
)
UPLOAD = "Các ảnh quét của lô phiếu này"
READ = "Đọc các trang"
READING = "Đang đọc các trang…"
READ_DONE = "Đã đọc xong các trang."
NO_FILES = "Chưa chọn tệp ảnh nào."
STACK = "Xấp phiếu của lô này"
NO_STACK = "Chưa có xấp nào chờ nhập. Thêm xấp theo phiếu bìa của nó rồi quét."
NOT_READ_TITLE = "Các trang không đọc được — hãy quét lại"
NOT_READ_COLUMNS = ("Tệp, trang", "Lý do")
REVIEW_TITLE = "Các dòng máy không chắc — người quyết định"
REVIEW_KEYS = "Bấm nút hoặc phím 1, 2, 3, 0 theo dấu trên phiếu giấy."
NO_PICTURE = "(không cắt được ảnh dòng này)"
DECIDED_TITLE = "Các dòng đã quyết định"
DECIDED_COLUMNS = ("Tệp, trang", "Dòng", "Người được lấy phiếu", "Quyết định", "Người quyết định")
UNDO = "Quyết định lại dòng vừa rồi"
CONFIRM = "Xác nhận và ghi lô phiếu"
DISCARD = "Bỏ lô này"
WAITING_DOUBTS = "Còn {count} dòng nghi ngờ chưa quyết định; quyết định hết rồi mới ghi được."
WAITING_PROBLEMS = "Lô có phiếu thiếu trang hoặc trùng trang; sửa rồi đọc lại lô."
NO_BALLOTS = "Lô này chưa có phiếu nào đọc được."
STORED = "Đã ghi {count} phiếu quét ({where})."
REFUSED = "Chưa ghi lô phiếu: {reason}"
BATCH_WHAT = "Lô phiếu quét (cả phiếu, biên bản quét và ảnh)"  # not stored, when the disk fails


def page_where(file: str, page: int) -> str:
    """A page of an uploaded file: “phiếu-1.pdf, trang 2”."""
    return f"{file}, trang {page}"


def review_keys(waiting: int) -> str:
    """How to decide, and how many rows wait."""
    return f"{REVIEW_KEYS} (còn {words.number(waiting)} dòng chờ quyết định)"


def too_many(ballots: int, room: int) -> str:
    """A batch with more ballots than are left to enter."""
    return (
        f"Lô có {words.number(ballots)} phiếu nhưng chỉ còn {words.number(max(room, 0))} phiếu "
        "chưa nhập so với số phiếu thu về; kiểm lại lô (quét trùng?) hoặc số phiếu thu về."
    )


def typist(member: str) -> str:
    """The name a scanned pass or ballot is entered by: the machine and who confirmed it."""
    return f"Máy quét — xác nhận: {member or 'không rõ'}"


FOLDER_TITLE = "Hoặc đọc từ thư mục mà máy quét ghi ảnh vào"
FOLDER_PATH = "Thư mục ảnh quét (trên máy đang chạy chương trình)"
FOLDER_HELP = "Ví dụ D:\\Scan\\lo-1 trên Windows, /home/ban/scan trên Linux."
WATCH = "Theo dõi thư mục (xem lại mỗi 2 giây)"
READ_FOLDER = "Đọc thư mục"
FOLDER_NONE_READY = (
    "Thư mục chưa có tệp ảnh nào sẵn sàng (PNG, JPEG, TIFF, PDF). Quét phiếu vào thư mục "
    "này rồi bấm lại."
)


def folder_state(ready: int, growing: int, too_big: int, others: int) -> str:
    """What the folder holds now, in one line."""
    parts = [f"{words.number(ready)} tệp ảnh sẵn sàng để đọc"]
    if growing:
        parts.append(f"{words.number(growing)} tệp đang được ghi (chờ máy quét ghi xong)")
    if too_big:
        parts.append(f"{words.number(too_big)} tệp quá lớn, bỏ qua")
    if others:
        parts.append(f"{words.number(others)} tệp khác không phải ảnh")
    return "Thư mục có " + ", ".join(parts) + "."


def skipped_known(count: int) -> str:
    """Files of the folder whose bytes a confirmed batch keeps already."""
    return f"Bỏ qua {words.number(count)} tệp đã được ghi ở các lô trước (cùng nội dung)."


def not_read_files(names: list[str]) -> str:
    """Files listed but gone or locked when they were to be read."""
    return (
        f"Không đọc được {words.number(len(names))} tệp (đã bị chuyển đi hoặc đang bị khóa): "
        + ", ".join(names[:5])
        + (" …" if len(names) > 5 else "")
        + ". Bấm lại “Đọc thư mục” khi máy quét ghi xong."
    )


def chosen(files: int) -> str:
    """How many files the server has received, shown before they are read."""
    return f"Đã nhận {words.number(files)} tệp. Bấm “{READ}” để máy đọc."


def summary(pages: int, read: int, ballots: int, doubts: int) -> str:
    """What the reading found, in one sentence."""
    return (
        f"{words.number(pages)} trang: đọc được {words.number(read)} trang, "
        f"{words.number(ballots)} phiếu, {words.number(doubts)} dòng cần người quyết định."
    )


def row_title(where: str, row: int, position: int) -> str:
    """Which row is shown: file and page, row on that page, place on the ballot."""
    return f"{where} · dòng {row} (người số {position} trên phiếu)"


def choice(kind: Kind, digit: str) -> str:
    """A decision's button: the digit and its meaning."""
    return f"{digit} — {words.level_of_digit(kind, digit)}"


def digits(kind: Kind) -> tuple[str, ...]:
    """The digits a person can decide a row as: 1 2 3 0 (a poll), 1 2 0 (a vote)."""
    return ("1", "2", "3", "0") if kind == Kind.POLL else ("1", "2", "0")


def where_stored(stack: str | None, pass_no: int | None) -> str:
    """Where a confirmed batch went."""
    if stack is None:
        return "nhập thẳng vào kết quả"
    return f"xấp “{stack}”, lần nhập {pass_no}"


NOT_COUNTING = "Chỉ quét phiếu được khi đợt lấy phiếu đang kiểm phiếu."
TOTALS_MODE = "Đợt này nhập kết quả tổng hợp, không nhập từng phiếu: không quét phiếu được."
STATUS = {
    "read": "đọc được",
    "not_a_ballot": "không phải phiếu của đợt này",
    "unreadable": "không đọc được",
}
