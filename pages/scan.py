"""Quét phiếu: read a batch of scanned ballots, decide every doubtful row, store it as a pass."""

import streamlit as st

from tinnhiem import words_scan
from tinnhiem.ui import access, scan_view, stack_entry

store, poll_id = access.board_page(words_scan.TITLE)

if store.state(poll_id) != "counting":
    st.info(words_scan.NOT_COUNTING)
    st.stop()
if store.mode(poll_id) == "totals":
    st.info(words_scan.TOTALS_MODE)
    st.stop()

poll = store.get_poll(poll_id, with_entries=False)
stack_entry.say_done()
stack = scan_view.choose_stack(store, poll_id) if poll.passes_required > 1 else None
batch = scan_view.current_batch(poll_id)
if batch is None:
    scan_view.upload_form(poll_id, poll)
    scan_view.folder_form(store, poll_id, poll)
    batch = scan_view.current_batch(poll_id)
if batch is not None:
    scan_view.not_read(batch)
    scan_view.review(poll_id, poll, batch)
    scan_view.decided_table(poll, batch)
    scan_view.confirm(store, poll_id, poll, batch, stack)
