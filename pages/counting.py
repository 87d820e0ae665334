"""Kiểm phiếu: type ballots from the keyboard, see each one against the names, fix one."""

import streamlit as st

from tinnhiem.ui import access, entry, entry_forms, state

st.title("Kiểm phiếu")
store = state.get_store()
poll_id = state.current_poll_id()
if poll_id is None:
    st.info("Chưa có cuộc kiểm phiếu nào. Tạo một cuộc ở trang Thiết lập.")
    st.stop()

if store.state(poll_id) != "locked" and not access.require_pin(store, poll_id):
    st.stop()


@st.fragment
def desk() -> None:
    """The board member's desk. A fragment: a ballot reruns this part only, not the
    sidebar and navigation around it."""
    poll = store.get_poll(poll_id, with_entries=False)
    entry.accept_pending(store, poll_id, poll)
    by_totals = store.mode(poll_id) == "totals"
    if not by_totals:
        entry.progress(store, poll_id, poll)
    if not entry.entry_allowed(store.state(poll_id)):
        entry.show_outcomes(entry.last_outcomes(store, poll_id))
        entry.recent_entries(store, poll_id)
        return
    if by_totals:
        entry_forms.totals_form(store, poll_id, poll)
        return
    recent = store.recent_ballots(poll_id, limit=10)  # read once for both columns
    typing, checking = st.columns([3, 2], gap="large")
    with typing:
        st.caption(entry.keys_help(poll.kind))
        entry.ballot_input(store, poll_id, poll)
        outcomes = entry.last_outcomes(store, poll_id, recent)
        entry.show_outcomes(outcomes)
        entry.show_decoded(poll, outcomes)
    with checking:
        # One element for the heading and this station's name (a generated "Máy 3F2A").
        st.markdown(f"#### Phiếu vừa nhập\n:gray[Máy này: {state.station()}]")
        entry.recent_entries(store, poll_id, ballots=recent)
        entry_forms.fix_form(store, poll_id, poll)


desk()
