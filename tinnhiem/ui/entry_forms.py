"""The counting page's two forms besides the ballot keyboard: fix one entry, hand totals.

Fixing an entry voids or corrects it with a reason, the original kept; in totals mode the
board types the hand count's totals per official instead of ballots.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tinnhiem import limits, storage, validation, words
from tinnhiem.model import INVALID_BALLOT, Poll, entry_alphabet
from tinnhiem.ui import access, markup, state, tables
from tinnhiem.ui.entry import expand_entry

_FIX_DONE_KEY = "tinnhiem.fix.done"
_FIX_OPEN_KEY = "tinnhiem.fix.open"
_FIX_CLEAR_KEY = "tinnhiem.fix.clear"  # set after a fix: the next draw starts empty
_FIX_SHOWN_KEY = "tinnhiem.fix.shown"  # what the last draw read back: (number, action, marks)
_FIX_FIELDS = {"tinnhiem.fix.no": None, "tinnhiem.fix.marks": "", "tinnhiem.fix.reason": ""}
FIX_SWITCH = "Hủy hoặc sửa một phiếu đã nhập"
FIX_TABLE = "tinnhiem-fix-readback"  # data-testid of the ballot read back against the names
VOID, CORRECT = "Hủy phiếu", "Sửa phiếu"


def _word(poll: Poll, marks: str, index: int) -> str:
    """What ``marks`` says for the official at ``index``, as the keyboard reads it back."""
    if marks == INVALID_BALLOT:
        return words.INVALID_BALLOT
    if index >= len(marks):
        return "— thiếu"
    word = (
        words.level_of_digit(poll.kind, marks[index])
        if marks[index] in entry_alphabet(poll.kind)
        else ""
    )
    return word or f"? “{marks[index]}” không hợp lệ"


def read_back(poll: Poll, original: storage.StoredBallot, marks: str) -> str:
    """The ballot against the names, and beside it the correction (``marks``, "" for none).

    The same words as a typed ballot's read-back; a changed row is marked.
    """
    columns = ["STT", "Họ và tên", f"Phiếu số {original.entry_no}"]
    if marks:
        columns.append("Sửa thành")
    rows: list[list[str | tables.Cell]] = []
    for index, official in enumerate(poll.ballot_officials):
        now = _word(poll, original.marks, index)
        row: list[str | tables.Cell] = [str(index + 1), official.name, now]
        if marks:
            after = _word(poll, marks, index)
            row.append(tables.Cell(after, "bad" if after != now else ""))
        rows.append(row)
    caption = f"Phiếu số {original.entry_no} ({original.marks})"
    if original.voided:
        caption += f" — đã hủy: {original.void_reason}"
    return tables.html_table(
        columns,
        rows,
        label="Phiếu cần hủy hoặc sửa",
        testid=FIX_TABLE,
        caption=caption,
        column_tones=("number",),
    )


def fix_form(store: storage.Store, poll_id: int, poll: Poll) -> None:
    """Void or correct one entry; a reason is required and the original is kept.

    The ballot is looked up by its number (any ballot) and read back against the names;
    a correction is read back beside it, and only what was read back is stored: a line
    changed in the same click as "Ghi lại" is shown first, not stored. After a fix the
    fields are emptied. The form opens with a switch and stays open in this tab until
    switched off: a fix is rare, and its widgets drawn at every ballot's rerun were a
    third of its cost.
    """
    width = len(poll.ballot_officials)
    s = st.session_state
    done = s.pop(_FIX_DONE_KEY, None)
    if not st.toggle(FIX_SWITCH, key=_FIX_OPEN_KEY):
        return
    clear = s.pop(_FIX_CLEAR_KEY, False)
    for key, empty in _FIX_FIELDS.items():
        if clear or key not in s:
            s[key] = empty
    with st.container(border=True):
        left, right = st.columns([1, 2])
        entry_no = left.number_input("Số phiếu", min_value=1, step=1, key="tinnhiem.fix.no")
        action = right.radio(
            "Việc cần làm", [VOID, CORRECT], horizontal=True, key="tinnhiem.fix.action"
        )
        typed = st.text_input("Phiếu đúng (khi sửa)", key="tinnhiem.fix.marks")
        reason = st.text_input(
            "Lý do (bắt buộc)", key="tinnhiem.fix.reason", max_chars=limits.MAX_REASON
        )
        marks = expand_entry(typed, width) if action == CORRECT and typed.strip() else ""
        original = store.ballot(poll_id, int(entry_no)) if entry_no else None
        if entry_no and original is None:
            st.warning(f"Không có phiếu số {int(entry_no)}.")
        if original is not None:
            st.html(read_back(poll, original, marks))
        submitted = st.button("Ghi lại", key="tinnhiem.fix.submit")
    shown, now = s.get(_FIX_SHOWN_KEY), (entry_no, action, marks)
    s[_FIX_SHOWN_KEY] = now
    if done:
        st.success(done)
    if not submitted:
        return
    if entry_no is None:
        st.error("Gõ số phiếu cần hủy hoặc sửa; phiếu chưa thay đổi.")
        return
    if shown != now:  # changed with the click itself: read it back before storing
        st.warning("Đọc lại phiếu ở bảng trên rồi bấm “Ghi lại” lần nữa; phiếu chưa thay đổi.")
        return
    if not reason.strip():
        st.error("Cần ghi lý do hủy hoặc sửa phiếu; phiếu chưa thay đổi.")
        return
    try:
        if action == VOID:
            store.void_ballot(
                poll_id, int(entry_no), reason.strip(), actor=access.current_member(poll_id)
            )
            done = f"Đã hủy phiếu số {int(entry_no)}; bản gốc vẫn được giữ lại."
        else:
            new_marks = expand_entry(typed, width)
            problem = validation.check_entry(new_marks, poll.kind, width)
            if problem is not None:
                st.error(f"Chưa sửa: {markup.md_escape(problem.message)}")
                return
            stored = store.correct_ballot(
                poll_id,
                int(entry_no),
                new_marks,
                reason.strip(),
                station=state.station(),
                actor=access.current_member(poll_id),
            )
            done = (
                f"Đã sửa phiếu số {int(entry_no)} thành phiếu số {stored.entry_no}; "
                "bản gốc vẫn được giữ lại."
            )
    except storage.StoreError as error:
        st.error(markup.refusal(error))
        return
    # Rerun so the list of entries above the form shows the change at once; the fields
    # start empty for the next fix.
    s[_FIX_DONE_KEY], s[_FIX_CLEAR_KEY] = done, True
    st.rerun()


def totals_form(store: storage.Store, poll_id: int, poll: Poll) -> None:
    """Aggregate mode: the hand count's totals per official and the whole invalid ballots."""
    levels = poll.levels
    previous = poll.totals or tuple({level: 0 for level in levels} for _ in poll.ballot_officials)
    frame = pd.DataFrame(
        [
            {"STT": n, "Họ và tên": o.name, **{words.LEVEL[lv]: row[lv] for lv in levels}}
            for n, (o, row) in enumerate(zip(poll.ballot_officials, previous, strict=True), start=1)
        ]
    )
    with st.form("tinnhiem.totals", border=True):
        st.markdown("**Nhập tổng số theo kết quả kiểm bằng tay**")
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            disabled=["STT", "Họ và tên"],
            height=35 * (len(frame) + 1) + 3,  # every official visible, no inner scrolling
            column_config={
                words.LEVEL[lv]: st.column_config.NumberColumn(min_value=0, step=1) for lv in levels
            },
            key="tinnhiem.totals.editor",
        )
        invalid = st.number_input(
            "Số phiếu không hợp lệ (cả phiếu)",
            min_value=0,
            step=1,
            value=poll.invalid,
            key="tinnhiem.totals.invalid",
        )
        submitted = st.form_submit_button("Lưu tổng số", key="tinnhiem.totals.submit")
    if not submitted:
        return
    totals = [{lv: int(row[words.LEVEL[lv]] or 0) for lv in levels} for _, row in edited.iterrows()]
    try:
        store.set_totals(
            poll_id, totals, invalid=int(invalid), actor=access.current_member(poll_id)
        )
    except storage.StoreError as error:
        st.error(f"Chưa lưu tổng số: {markup.refusal(error)}")
        return
    st.success("Đã lưu tổng số.")
