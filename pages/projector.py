"""Trình chiếu: the read-only hall screen; refreshes itself within a second of any ballot.

Open it on the projector's computer by URL: /trinh-chieu?poll=ID.
"""

import streamlit as st

from tinnhiem.ui import charts, state

store = state.get_store()
poll_id = state.current_poll_id()
if poll_id is None:
    st.title("Chưa có cuộc kiểm phiếu nào")
    st.stop()


@st.fragment(run_every=0.5)
def hall() -> None:
    """Polls the store's change token; the tally is recomputed only when it moved."""
    charts.hall_screen(store, poll_id)


hall()
