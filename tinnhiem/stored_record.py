"""What only the store knows of a poll, as the documents take it (``documents.RecordInfo``):
one builder for the app's downloads and the command line's documents alike."""

from __future__ import annotations

from dataclasses import replace

from tinnhiem.documents import RecordInfo, record_info, scanned_images
from tinnhiem.documents.stack_section import stack_logs
from tinnhiem.storage import Store
from tinnhiem.storage.provenance import imported_notice


def stored_record(store: Store, poll_id: int) -> RecordInfo:
    """The poll's state, lock, entry log and chain marks, a lock made elsewhere, its stacks
    and its scanned images, read now."""
    poll_state = store.state(poll_id)
    record = record_info(
        poll_state, store.lock_info(poll_id), store.ballots(poll_id), store.chain_marks(poll_id)
    )
    poll = store.get_poll(poll_id, with_entries=False)
    return replace(
        record,
        poll_id=poll_id,
        imported=imported_notice(store.provenance(poll_id), poll_state),
        stacks=stack_logs(store.stack_summary(poll_id).views, poll.kind, poll.ballot_officials),
        images=scanned_images(store.scans.scan_batches(poll_id)),
    )
