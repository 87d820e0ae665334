"""Trình chiếu: the read-only hall screen; refreshes itself within a second of any ballot.

Open it on the projector's computer by URL: /trinh-chieu?poll=ID.
"""

import streamlit as st

from tinnhiem.ui import charts, frame, state

store = state.get_store()
poll_id = state.current_poll_id()
if poll_id is None:  # no sidebar here: the choice is on the screen itself
    state.show_url_problem(store)
    st.title(
        "Chọn cuộc kiểm phiếu để trình chiếu"
        if store.list_polls()
        else "Chưa có cuộc kiểm phiếu nào"
    )
    frame.poll_switcher(store, None)
    st.stop()


@st.fragment(run_every=0.5)
def hall(poll_id: int) -> None:
    """Polls the store's change token; the tally is recomputed only when it moved."""
    charts.hall_screen(store, poll_id)


hall(poll_id)
