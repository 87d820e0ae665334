"""The counting desk of a poll entered in stacks (double or triple entry).

A station picks or adds a stack ("Xấp 3 — 50 phiếu"), names its typist and starts a pass;
then it types with the same keyboard, read-back and queue as a single-entry poll. The pass
being typed shows only its own ballots: nothing of another pass (its ballots, its totals)
is on this page until every pass of the stack is finished. Stack labels, names and reasons
are the users' text, shown literally (``markup.md_escape``).
"""

from __future__ import annotations

import streamlit as st

from tinnhiem import limits, storage, words_stacks
from tinnhiem.model import Poll
from tinnhiem.stacks import AGREED, DIFFERENT, INCOMPLETE, RESOLVED
from tinnhiem.storage.stacks import StackSummary, StackView
from tinnhiem.ui import access, entry, markup, reconcile_view, state, tables

PASS_KEY = entry.PASS_KEY
STACK_TABLE = "tinnhiem-stacks"  # data-testid of the table of stacks
DONE_KEY = _DONE_KEY = "tinnhiem.stack.done"


def _say_done() -> None:
    """The last action's confirmation, in a slot drawn at every run: an element that comes
    and goes above the ballot keyboard would move it, and the browser would mount a new one
    (a new keyboard id), dropping the lines queued in the old one."""
    slot = st.empty()
    done = st.session_state.pop(_DONE_KEY, None)
    if done:
        slot.success(markup.md_escape(done), icon=":material/check_circle:")


def _done(message: str) -> None:
    st.session_state[_DONE_KEY] = message
    st.rerun()


def stack_table(summary: StackSummary) -> None:
    """Every stack: its label and size, its state, its passes (who; never their ballots)."""
    if not summary.views:
        st.info("Chưa có xấp nào. Thêm xấp đầu tiên theo phiếu bìa của nó.")
        return
    rows = []
    for v in summary.views:
        record = v.record
        typists = ", ".join(
            f"lần {p.pass_no}: {p.typist}" + ("" if p.finished else " (đang nhập)")
            for p in record.current()
        )
        rows.append(
            (
                words_stacks.stack_title(record.label, record.size),
                words_stacks.STACK_STATE[v.state],
                typists,
                str(len(v.counted)) if v.state in (AGREED, RESOLVED) else "",
            )
        )
    st.html(
        tables.html_table(
            ("Xấp", "Tình trạng", "Các lần nhập", "Phiếu được tính"),
            rows,
            label="Các xấp phiếu",
            testid=STACK_TABLE,
            column_tones=("", "", "", "number"),
        )
    )


def _add_stack_form(store: storage.Store, poll_id: int) -> None:
    with st.form("tinnhiem.stack.add", border=True):
        st.markdown("**Thêm xấp phiếu** (theo phiếu bìa)")
        left, right = st.columns([2, 1])
        label = left.text_input("Nhãn xấp", key="tinnhiem.stack.label", max_chars=limits.MAX_NAME)
        size = right.number_input(
            "Số phiếu trong xấp",
            min_value=0,
            max_value=limits.MAX_STACK,
            step=1,
            key="tinnhiem.stack.size",
        )
        if not st.form_submit_button("Thêm xấp", key="tinnhiem.stack.add.submit"):
            return
    try:
        actor = access.current_member(poll_id)
        store.add_stack(poll_id, label, int(size) or None, actor)
    except storage.StoreError as error:
        st.error(f"Chưa thêm xấp: {markup.refusal(error)}")
        return
    _done(f"Đã thêm xấp “{label.strip()}”.")


def _open_for(view: StackView, required: int) -> bool:
    return view.state == INCOMPLETE and len(view.record.current()) < required


def _start_pass_form(store: storage.Store, poll_id: int, summary: StackSummary) -> None:
    views = [v for v in summary.views if _open_for(v, summary.passes_required) or v.open_passes]
    if not views:
        return
    with st.form("tinnhiem.pass.start", border=True):
        st.markdown("**Nhập một xấp** (mỗi lần nhập do một người khác)")
        titles = {v.record.stack_no: words_stacks.stack_title(v.record.label, v.record.size)
                  for v in views}  # fmt: skip
        stack_no = st.selectbox(
            "Xấp", list(titles), format_func=lambda n: titles[n],
            key="tinnhiem.pass.stack",
        )  # fmt: skip
        typist = st.text_input(
            "Họ tên người nhập lần này",
            value=access.current_member(poll_id),
            key="tinnhiem.pass.typist",
            max_chars=limits.MAX_NAME,
        )
        if not st.form_submit_button("Bắt đầu nhập", key="tinnhiem.pass.start.submit"):
            return
    try:
        client = st.session_state.setdefault("tinnhiem.pass.client", access.client())
        number = store.start_pass(poll_id, int(stack_no), typist, state.station(), client)
    except storage.StoreError as error:
        st.error(f"Chưa bắt đầu: {markup.refusal(error)}")
        return
    st.session_state[PASS_KEY] = (poll_id, int(stack_no), number)
    st.session_state.pop(entry.LAST_KEY, None)  # the last pass's read-back is not this one's
    _done(f"Bắt đầu lần nhập {number} của xấp “{titles[int(stack_no)]}”.")


def _current_pass(summary: StackSummary, poll_id: int):
    chosen = st.session_state.get(PASS_KEY)
    if not chosen or chosen[0] != poll_id:
        return None, None
    for view in summary.views:
        for one in view.open_passes:
            if (view.record.stack_no, one.pass_no) == tuple(chosen[1:]):
                return view, one
    st.session_state.pop(PASS_KEY, None)
    return None, None


def _typing(store: storage.Store, poll_id: int, poll: Poll, view: StackView, one) -> None:
    """The pass being typed: its own ballots only, the keyboard, and its end."""
    record = view.record
    title = words_stacks.stack_title(record.label, record.size)
    st.subheader(markup.md_escape(f"{title} · lần nhập {one.pass_no} · {one.typist}"))
    typed, size = len(one.entries), record.size
    st.progress(
        min(typed / size, 1.0) if size else 0.0,
        text=f"Lần này đã nhập {typed}" + (f" / {size} phiếu của xấp" if size else " phiếu"),
    )
    own = [
        storage.StoredBallot(n, marks, one.station, one.typist, one.started_at)
        for n, marks in enumerate(one.entries, start=1)
    ][::-1][:10]
    typing, checking = st.columns([3, 2], gap="large")
    with typing:
        outcomes = entry.last_outcomes(own)
        entry.show_outcomes(outcomes)
        entry.ballot_input(store, poll_id, poll, outcomes)
    with checking:
        entry.recent_entries(own, caption=f"Phiếu vừa nhập của lần này · máy: {state.station()}")
        left, right = st.columns(2)
        if left.button("Xong lần nhập này", key="tinnhiem.pass.finish", type="primary"):
            try:
                store.finish_pass(poll_id, record.stack_no, one.pass_no, one.typist)
            except storage.StoreError as error:
                st.error(markup.refusal(error))
                return
            st.session_state.pop(PASS_KEY, None)
            st.session_state.pop(entry.LAST_KEY, None)
            _done(f"Đã xong lần nhập {one.pass_no} của xấp “{title}”.")
        if right.button("Tạm rời lần nhập", key="tinnhiem.pass.leave"):
            st.session_state.pop(PASS_KEY, None)
            st.session_state.pop(entry.LAST_KEY, None)
            st.rerun()


# The scan page (ui.scan_view) adds stacks and confirms its actions as this desk does.
add_stack_form = _add_stack_form
say_done = _say_done


def stack_desk(store: storage.Store, poll_id: int, poll: Poll) -> None:
    """The desk of a poll entered in stacks (call inside the counting page's fragment)."""
    _say_done()
    entry.accept_pending(store, poll_id, poll)  # the summary below is read after it
    summary = store.stack_summary(poll_id)
    view, one = _current_pass(summary, poll_id)
    if view is not None:
        _typing(store, poll_id, poll, view, one)
        return
    st.caption(words_stacks.PASSES_REQUIRED[summary.passes_required])
    stack_table(summary)
    left, right = st.columns(2)
    with left:
        _start_pass_form(store, poll_id, summary)
    with right:
        _add_stack_form(store, poll_id)
    if any(v.state == DIFFERENT for v in summary.views):
        reconcile_view.reconcile(store, poll_id, poll, summary)
    stuck = [v for v in summary.views if v.state == INCOMPLETE and v.record.current()]
    if stuck:
        with st.expander("Cho nhập lại một xấp đang nhập dở (bỏ các lần nhập của vòng này)"):
            for view in stuck:
                reconcile_view.send_back_form(store, poll_id, view)
