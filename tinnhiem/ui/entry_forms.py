"""The counting page's two forms besides the ballot keyboard: fix one entry, hand totals.

Fixing an entry voids or corrects it with a reason, the original kept; in totals mode the
board types the hand count's totals per official instead of ballots.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tinnhiem import storage, validation, words
from tinnhiem.model import Poll
from tinnhiem.ui import access, markup, state
from tinnhiem.ui.entry import expand_entry

_FIX_DONE_KEY = "tinnhiem.fix.done"
_FIX_OPEN_KEY = "tinnhiem.fix.open"
FIX_SWITCH = "Hủy hoặc sửa một phiếu đã nhập"


def fix_form(store: storage.Store, poll_id: int, poll: Poll) -> None:
    """Void or correct one entry; a reason is required and the original is kept.

    The form opens with a switch and stays open in this tab until switched off: a fix is
    rare, and ten widgets drawn at every ballot's rerun were a third of its cost.
    """
    width = len(poll.ballot_officials)
    done = st.session_state.pop(_FIX_DONE_KEY, None)
    if not st.toggle(FIX_SWITCH, key=_FIX_OPEN_KEY):
        return
    with st.form("tinnhiem.entry.fix", clear_on_submit=False, border=True):
        left, right = st.columns([1, 2])
        entry_no = left.number_input("Số phiếu", min_value=1, step=1, key="tinnhiem.fix.no")
        action = right.radio(
            "Việc cần làm", ["Hủy phiếu", "Sửa phiếu"], horizontal=True, key="tinnhiem.fix.action"
        )
        marks = st.text_input("Phiếu đúng (khi sửa)", key="tinnhiem.fix.marks")
        reason = st.text_input("Lý do (bắt buộc)", key="tinnhiem.fix.reason")
        submitted = st.form_submit_button("Ghi lại", key="tinnhiem.fix.submit")
    if done:
        st.success(done)
    if not submitted:
        return
    if not reason.strip():
        st.error("Cần ghi lý do hủy hoặc sửa phiếu; phiếu chưa thay đổi.")
        return
    try:
        if action == "Hủy phiếu":
            store.void_ballot(
                poll_id, int(entry_no), reason.strip(), actor=access.current_member(poll_id)
            )
            done = f"Đã hủy phiếu số {int(entry_no)}; bản gốc vẫn được giữ lại."
        else:
            new_marks = expand_entry(marks, width)
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
    # Rerun so the list of entries above the form shows the change at once.
    st.session_state[_FIX_DONE_KEY] = done
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
