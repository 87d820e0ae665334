"""Kiểm phiếu: type ballots from the keyboard, see each one against the names, fix one."""

import streamlit as st

from tinnhiem.ui import access, anchor_view, entry, entry_forms, stack_entry, state

store, poll_id = access.board_page("Kiểm phiếu")


@st.fragment
def desk(poll_id: int) -> None:
    """The board member's desk. A fragment: a ballot reruns this part only, not the
    sidebar and navigation around it."""
    seen = store.desk(poll_id)  # one snapshot: setting, state, count, last entries
    if entry.accept_pending(store, poll_id, seen.poll):
        seen = store.desk(poll_id)
    poll = seen.poll
    if seen.state != "locked":
        anchor_view.show_backup_warning(store, poll_id)  # the stick pulled out: say so here
    if seen.mode != "totals" and poll.passes_required == 1:
        entry.progress(seen.counted, poll.collected)
    if not entry.entry_allowed(seen.state):
        if poll.passes_required > 1:  # the stacks as they stand, no typing
            stack_entry.stack_table(store.stack_summary(poll_id))
            return
        entry.show_outcomes(entry.last_outcomes(seen.recent))
        entry.recent_entries(seen.recent)
        return
    if seen.mode == "totals":
        entry_forms.totals_form(store, poll_id, poll)
        return
    if poll.passes_required > 1:  # double or triple entry, stack by stack
        stack_entry.stack_desk(store, poll_id, poll)
        return
    typing, checking = st.columns([7, 5], gap="large")  # the last ten fit at 1366 px
    with typing:
        outcomes = entry.last_outcomes(seen.recent)
        # Above the entry line: under it, a refusal fell below the preview of every name.
        entry.show_outcomes(outcomes)
        entry.ballot_input(store, poll_id, poll, outcomes)  # reads the last one back
    with checking:
        # The table's caption names this station (a generated "Máy 3F2A").
        entry.recent_entries(seen.recent, caption=f"Phiếu vừa nhập · máy này: {state.station()}")
        entry_forms.fix_form(store, poll_id, poll)


desk(poll_id)
