"""A confirmed batch of scanned ballots into the database, in one transaction.

The batch's ballots go in as the ballots of a single-entry poll, or as one pass of a stack
(started, filled and finished), with the batch's ``scan`` record and its image files: all
of it or, whatever fails, none (``Store.as_one``). A batch whose record is logged already
(a confirm repeated after a run cut short) is not stored again.
"""

from __future__ import annotations

from collections.abc import Sequence

from tinnhiem import words_scan
from tinnhiem.storage import Store
from tinnhiem.storage.scans import ScanImage


def store_batch(
    store: Store,
    poll_id: int,
    entries: Sequence[str],
    record: dict,
    files: Sequence[ScanImage],
    *,
    typist: str,
    station: str,
    actor: str,
    stack_no: int | None = None,
) -> int | None:
    """Store the batch (``record["batch"]``: its token, which also names its ballots'
    source); the pass it became in the stack ``stack_no``, None in a single-entry poll."""
    token = str(record["batch"])
    client = "quét " + token
    with store.as_one(words_scan.BATCH_WHAT):
        earlier = store.scans.batch_record(poll_id, token)
        if earlier is not None:
            return earlier.get("pass_no")
        if stack_no is None:
            for n, entry in enumerate(entries, start=1):
                store.add_ballot(poll_id, entry, station, typist, (client, n))
            store.scans.record_batch(poll_id, record, actor, list(files))
            return None
        number = store.start_pass(poll_id, stack_no, typist, station, client)
        for n, entry in enumerate(entries, start=1):
            store.add_pass_ballot(poll_id, stack_no, number, entry, (client, n))
        record = {**record, "pass_no": number, "typist": typist}
        store.scans.record_batch(poll_id, record, actor, list(files))
        store.finish_pass(poll_id, stack_no, number, actor)
        return number
