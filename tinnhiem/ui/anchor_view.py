"""The anchors on screen: the chain's head at each close and lock, the second backup folder
(its field on the setup page, its warning when it fails), and what is refused when the data
no longer verifies.

Paths are the user's own text: they go through ``markup.md_escape`` or ``st.text``.
"""

from __future__ import annotations

import streamlit as st

from tinnhiem import documents, storage, words
from tinnhiem.chain_head import head_words
from tinnhiem.storage import anchor_folder
from tinnhiem.ui import markup

K = "anchors."
BACKUP_WAIT_S = 3.0  # a close or a lock waits this long to say where its backup went
# Documents that state the result as the board's: not made from data that fails verify.
REFUSED_WHEN_BROKEN = ("minutes_docx", "minutes_pdf", "resolution_docx")
BROKEN_REASON = (
    "Không lập biên bản và dự thảo nghị quyết: dữ liệu của cuộc kiểm phiếu này đã bị sửa "
    "(chuỗi kiểm toán không hợp lệ — xem phần ghi đỏ ở đầu trang). Bảng kết quả và tệp cuộc "
    "kiểm phiếu vẫn tải được để đối chiếu, nhưng không có giá trị như kết quả chính thức."
)


def after_move(store: storage.Store, poll_id: int, done: str) -> str:
    """``done`` followed by the chain's head the move left (the projector shows the same)
    and where its automatic backup went; Markdown-safe."""
    marks = store.chain_marks(poll_id)
    text = done
    if marks:
        text += f" {head_words(marks[-1].seq, marks[-1].hash)} — ghi lại hoặc đọc to mã này."
    if store.backup_folder(poll_id).on:
        if not store.wait_for_backups(BACKUP_WAIT_S):
            text += " Đang sao lưu sang thư mục thứ hai…"
        elif (outcome := store.backup_outcome(poll_id)) is not None and outcome.ok:
            text += f" Đã sao lưu vào {outcome.path}."
    return markup.md_escape(text)


def show_marks(store: storage.Store, poll_id: int) -> None:
    """The chain's head at each close, reopen and lock of the poll, oldest first."""
    marks = [m for m in store.chain_marks(poll_id) if m.action in words.MARKED_MOVES]
    if not marks:
        return
    st.caption("Mốc nhật ký kiểm toán (đối chiếu với mã trên màn hình trình chiếu):")
    lines = [
        f"{words.move(m.action, words.moment(m.at), documents.chain_mark(m).reason)}: "
        f"{head_words(m.seq, m.hash)}"
        for m in marks
    ]
    st.text("\n".join(lines))


def show_backup_warning(store: storage.Store, poll_id: int) -> None:
    """A yellow warning while the poll's automatic backups cannot be written (the caller
    leaves it out for a locked poll, where no backup is due any more)."""
    warning = store.backup_warning(poll_id)
    if warning:
        st.warning(markup.md_escape(warning), icon=":material/usb_off:")


def refused(store: storage.Store, poll_id: int, document: str) -> str | None:
    """Why ``document`` is not made now (the data fails verify), else None."""
    if document in REFUSED_WHEN_BROKEN and not store.verify_anchored_cached(poll_id).ok:
        return BROKEN_REASON
    return None


# -- the setup page's field ------------------------------------------------------------------


def load(store: storage.Store | None, poll_id: int | None) -> None:
    """Put the poll's backup setting into the form (blank for a new poll)."""
    setting = store.backup_folder(poll_id) if store and poll_id else anchor_folder.FolderSetting()
    st.session_state[K + "folder"] = setting.folder
    st.session_state[K + "every"] = setting.every


def section(store: storage.Store, poll_id: int | None, disabled: bool) -> None:
    """The second backup folder and N, with what they are for; the status under them."""
    s = st.session_state
    if disabled and poll_id is not None:  # closed or locked: the setting as a line of text
        setting = store.backup_folder(poll_id)
        st.text(
            f"Thư mục sao lưu thứ hai: {setting.folder}, sau mỗi {setting.every} phiếu."
            if setting.on
            else "Không dùng thư mục sao lưu thứ hai."
        )
        _last_backup(store, poll_id)
        return
    if K + "folder" not in s:
        load(store, poll_id)
    left, right = st.columns([3, 1])
    left.text_input(
        "Thư mục sao lưu thứ hai (ổ USB hoặc ổ đĩa khác)",
        key=K + "folder",
        disabled=disabled,
        placeholder="ví dụ E:\\tinnhiem-sao-luu hoặc /media/usb/tinnhiem-sao-luu",
    )
    right.number_input(
        "Sao lưu sau mỗi … phiếu",
        min_value=1,
        max_value=anchor_folder.MAX_EVERY,
        step=1,
        key=K + "every",
        disabled=disabled,
    )
    st.caption(
        "Ứng dụng tự chép toàn bộ cơ sở dữ liệu vào thư mục này sau mỗi chừng ấy phiếu và "
        "mỗi lần mở, kết thúc, mở lại hoặc khóa kiểm phiếu. Nếu sau này có ai xóa bớt hay sửa "
        "các phiếu cuối trong cơ sở dữ liệu, việc kiểm tra chuỗi kiểm toán so với các bản sao "
        "này sẽ phát hiện. Hãy chọn thư mục trên ổ USB (không phải thư mục chứa cơ sở dữ liệu "
        f"{store.path.parent}) và giữ ổ đó riêng. Để trống nếu không dùng. Việc sao lưu không "
        "làm chậm việc nhập phiếu; nếu ổ bị rút, phiếu vẫn được lưu và trang báo lỗi sao lưu."
    )
    if same_disk := s.pop(K + "same_disk", None):
        st.warning(markup.md_escape(same_disk), icon=":material/warning:")
    if poll_id is not None:
        show_backup_warning(store, poll_id)
        _last_backup(store, poll_id)


def _last_backup(store: storage.Store, poll_id: int) -> None:
    outcome = store.backup_outcome(poll_id)
    if outcome is not None and outcome.ok:
        st.text(f"Bản sao lưu gần nhất: {words.moment(outcome.at)} — {outcome.path}")


def problem(store: storage.Store) -> str | None:
    """Why the folder in the form cannot be used (checked before the poll is stored)."""
    s = st.session_state
    every = int(s.get(K + "every") or anchor_folder.DEFAULT_EVERY)
    if not 1 <= every <= anchor_folder.MAX_EVERY:
        return f"Số phiếu giữa hai lần sao lưu phải từ 1 đến {anchor_folder.MAX_EVERY}."
    return anchor_folder.folder_problem(s.get(K + "folder") or "", store.path)


def save(store: storage.Store, poll_id: int, actor: str) -> None:
    """Store the form's backup setting with the poll (a folder on the database's own disk
    is kept with a warning shown by ``section``). Raises StoreError when it cannot be used."""
    s = st.session_state
    folder = (s.get(K + "folder") or "").strip()
    every = int(s.get(K + "every") or anchor_folder.DEFAULT_EVERY)
    store.set_backup_folder(poll_id, folder, every=every, actor=actor)
    if folder and anchor_folder.same_disk(folder, store.path):
        s[K + "same_disk"] = (
            f"Thư mục sao lưu {folder} nằm cùng ổ đĩa với cơ sở dữ liệu: nếu ổ này hỏng thì "
            "mất cả hai. Nên chọn ổ USB."
        )
