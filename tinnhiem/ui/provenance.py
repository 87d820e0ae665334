"""Whether a result is this board's own: an imported poll was not locked on this machine.

One place decides the words every screen uses for a result's standing: the results page,
the projector and the documents made from it say "Kết quả nhập từ tệp … lúc …" where a
poll locked here says "KẾT QUẢ CHÍNH THỨC".
"""

from __future__ import annotations

from tinnhiem import storage
from tinnhiem.model import State
from tinnhiem.storage import provenance as storage_provenance

OFFICIAL = "KẾT QUẢ CHÍNH THỨC"
PROVISIONAL = "KẾT QUẢ TẠM THỜI"


def imported_notice(store: storage.Store, poll_id: int, state: str) -> str:
    """The notice of a poll that came in locked from a file; "" for this board's own.
    Only a locked poll has one: the file is not read for any other (a rerun while counting)."""
    if state != State.LOCKED:
        return ""
    return storage_provenance.imported_notice(store.provenance(poll_id), state)


def heading(store: storage.Store, poll_id: int, state: str) -> str:
    """The result's standing as the results page heads it."""
    if state != "locked":
        return PROVISIONAL
    return imported_notice(store, poll_id, state) or OFFICIAL
