"""The reconciliation screen: each place where a stack's passes differ, decided by the board.

Shown only for stacks whose passes are all finished (nothing of a pass is shown while
another is typed). Each place reads as the board says it aloud ("Xấp 3, phiếu thứ 17 —
người số 3 (Nguyễn Văn A): lần 1 ghi Tín nhiệm, lần 2 ghi Tín nhiệm thấp"); the board
takes one pass's reading or types the ballot from the paper, with a reason, or sends the
whole stack back for a new pass. The counting page is behind the board's PIN; the person
named at the PIN gate is recorded as deciding.
"""

from __future__ import annotations

import html

import streamlit as st

from tinnhiem import limits, storage, words_stacks
from tinnhiem.model import Poll
from tinnhiem.stacks import DIFFERENT
from tinnhiem.storage.stacks import StackSummary, StackView
from tinnhiem.ui import access, entry, markup

RECONCILE_LIST = "tinnhiem-reconcile"  # data-testid of the list of differences
_DONE_KEY = "tinnhiem.stack.done"


def _finished_numbers(view: StackView) -> list[int]:
    return [p.pass_no for p in view.record.current() if p.finished]


def difference_lines(view: StackView, poll: Poll) -> list[str]:
    """Every difference of a ``different`` stack, one line each, in pass 1's order."""
    numbers = _finished_numbers(view)
    lines = []
    for place in view.places:
        lines += words_stacks.place_lines(
            place, view.record.label, poll.kind, poll.ballot_officials, numbers
        )
    return lines


def _decide_form(store: storage.Store, poll_id: int, poll: Poll, view: StackView, place) -> None:
    numbers = _finished_numbers(view)
    key = f"tinnhiem.decide.{view.record.stack_no}.{place.key}"
    lines = words_stacks.place_lines(
        place, view.record.label, poll.kind, poll.ballot_officials, numbers
    )
    with st.form(key, border=True):
        for line in lines:
            st.markdown(markup.md_escape(line))
        options = [*range(1, len(numbers) + 1), 0]
        choice = st.radio(
            "Phiếu giấy ghi đúng như",
            options,
            format_func=lambda i: (
                words_stacks.pass_choice(numbers[i - 1]) if i else words_stacks.TYPED_FROM_PAPER
            ),
            horizontal=True,
            key=f"{key}.choice",
        )
        typed = st.text_input("Phiếu gõ lại từ phiếu giấy", key=f"{key}.marks")
        reason = st.text_input("Lý do (bắt buộc)", key=f"{key}.reason", max_chars=limits.MAX_REASON)
        if not st.form_submit_button("Ghi quyết định", key=f"{key}.submit"):
            return
    marks = entry.expand_entry(typed, len(poll.ballot_officials)) if not choice else None
    try:
        store.decide(
            poll_id,
            view.record.stack_no,
            place.key,
            int(choice) or None,
            marks,
            reason,
            access.current_member(poll_id),
        )
    except storage.StoreError as error:
        st.error(f"Chưa ghi quyết định: {markup.refusal(error)}")
        return
    st.session_state[_DONE_KEY] = f"Đã ghi quyết định: {lines[0]}." if lines else "Đã ghi."
    st.rerun()


def send_back_form(store: storage.Store, poll_id: int, view: StackView) -> None:
    key = f"tinnhiem.reentry.{view.record.stack_no}"
    with st.form(key, border=True):
        st.markdown(f"Cho nhập lại cả xấp “{markup.md_escape(view.record.label)}” từ đầu")
        reason = st.text_input("Lý do (bắt buộc)", key=f"{key}.reason", max_chars=limits.MAX_REASON)
        if not st.form_submit_button("Cho nhập lại xấp", key=f"{key}.submit"):
            return
    try:
        store.send_back(poll_id, view.record.stack_no, reason, access.current_member(poll_id))
    except storage.StoreError as error:
        st.error(f"Chưa cho nhập lại: {markup.refusal(error)}")
        return
    st.session_state[_DONE_KEY] = (
        f"Xấp “{view.record.label}” sẽ được nhập lại; các lần nhập cũ vẫn được giữ."
    )
    st.rerun()


def reconcile(store: storage.Store, poll_id: int, poll: Poll, summary: StackSummary) -> None:
    """Each different stack: its differences, a decision per place, and sending it back."""
    st.subheader("Đối chiếu các lần nhập")
    st.caption(
        "Rút đúng tờ phiếu trong xấp, xem phiếu giấy rồi chọn lần nhập đúng hoặc gõ lại phiếu."
    )
    for view in summary.views:
        if view.state != DIFFERENT:
            continue
        lines = difference_lines(view, poll)
        st.html(
            f'<ul data-testid="{RECONCILE_LIST}">'
            + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            + "</ul>"
        )
        for place in view.places:
            decided = view.decided.get(place.key)
            if decided is None:
                _decide_form(store, poll_id, poll, view, place)
                continue
            said = words_stacks.decision_words(
                decided.chosen_pass, decided.entries, decided.reason, decided.decided_by,
                decided.decided_at,
            )  # fmt: skip
            lines = words_stacks.place_lines(
                place, view.record.label, poll.kind, poll.ballot_officials,
                _finished_numbers(view),
            )  # fmt: skip
            st.caption(markup.md_escape(f"{lines[0]} — đã quyết định: {said}"))
        send_back_form(store, poll_id, view)
