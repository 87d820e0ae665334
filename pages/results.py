"""Kết quả: the tally of the open poll, closing and locking the count, and the documents."""

from __future__ import annotations

import streamlit as st

from tinnhiem import storage
from tinnhiem.ui import access, charts, downloads_view, markup, provenance, state
from tinnhiem.ui import results_view as view

store = state.get_store()
poll_id = state.current_poll_id()
st.title("Kết quả kiểm phiếu")
if poll_id is None:
    state.no_poll_open(store)
    st.stop()

# The setting, the state and the tally, kept by the poll's change token from the counts the
# store keeps up to date: the page and its live fragment share one tally, and a rerun after
# a ballot reads that ballot, not all of them.
shown = charts.hall_view(store, poll_id)
poll, poll_state = shown.poll, shown.state
actor = state.station()
view.show_heading(poll, provenance.heading(store, poll_id, poll_state), poll_state)
view.show_messages()
view.show_verify_if_broken(store, poll_id, poll_state)  # a break first, before any tally
if poll_state == "setup":
    st.info("Chưa mở kiểm phiếu. Hoàn tất thiết lập rồi bấm “Lưu và mở kiểm phiếu”.")
    st.stop()
if shown.result is None:
    st.error(f"Chưa tính được kết quả: {markup.md_escape(shown.refusal)}")
    st.stop()
result = shown.result


@st.fragment(run_every=view.REFRESH_SECONDS if poll_state == "counting" else None)
def live_result(poll_id: int) -> None:
    """The counts and the table, redrawn while other stations enter ballots."""
    now = charts.hall_view(store, poll_id)
    if now.result is None:
        st.error(f"Chưa tính được kết quả: {markup.md_escape(now.refusal)}")
        return
    view.show_counts(now.result, now.poll)
    if now.waiting:  # stacks not counted yet: awaiting a further entry or a decision
        st.warning(now.waiting, icon=":material/hourglass_top:")
    view.show_table(now.result)
    view.show_exempt(now.poll)


live_result(poll_id)
st.divider()

if poll_state in ("counting", "closed") and access.require_pin(store, poll_id, (poll, poll_state)):
    left, right = st.columns(2, gap="large")
    with left:
        if poll_state == "counting":
            view.close_panel(store, poll_id, result, actor)
        else:
            view.reopen_panel(store, poll_id, actor)
    with right:
        view.lock_panel(store, poll_id, poll_state, actor)
if poll_state == "locked":
    view.locked_panel(store, poll_id)
else:
    with st.expander(
        "Kiểm tra chuỗi kiểm toán", key=view.K + "verify_open", on_change="rerun"
    ) as box:
        if box.open and st.button("Kiểm tra ngay", key=view.K + "verify"):  # drawn when open
            view.show_verify(store, poll_id)
try:  # under a rule, drawn with the downloads' heading (one element)
    downloads_view.downloads(store, poll_id, poll_state)
except storage.StoreError as error:
    st.error(markup.md_escape(str(error)))
