"""Reading a poll file for ``tinnhiem combine``: strict, and a file that says it is locked
is believed only when its audit record verifies (the same checks as ``tinnhiem import``)."""

from __future__ import annotations

from tinnhiem import problems as P
from tinnhiem.combine import PollFile, claims_lock, content_of, in_file
from tinnhiem.model import State
from tinnhiem.pollfile import EXTENSION, load_data, poll_from_data
from tinnhiem.problems import PollError
from tinnhiem.storage.archive import snapshot_from_file


def read_poll_file(name: str, raw: bytes | str) -> PollFile:
    """The ``PollFile`` of one file's bytes; raises PollError whose field starts with
    ``name``: the file's own error, or G05 for a locked file whose record does not verify
    (edited after export, its log cut or rewritten)."""
    try:
        data = load_data(raw)
        poll = poll_from_data(data)
    except PollError as error:
        raise in_file(name, error) from None
    if not claims_lock(data):
        return PollFile(name, poll, content_of(data))
    ext = data[EXTENSION]
    if "audit" not in ext:
        raise P.LOCK_NOT_VERIFIED.error(field=name, problem="tệp không có nhật ký kiểm toán")
    try:
        snap, _ = snapshot_from_file(poll, ext)
    except PollError as error:
        raise P.LOCK_NOT_VERIFIED.error(field=name, problem=error.problem.message) from None
    if snap.state != State.LOCKED:
        problem = "tệp mang mã khóa nhưng nhật ký không kết thúc bằng việc khóa"
        raise P.LOCK_NOT_VERIFIED.error(field=name, problem=problem)
    sealed = snap.audit[-1].payload.get("id")  # locks made before 0010 record none
    if sealed is not None and sealed != poll.id:
        problem = f"mã đợt của tệp ({poll.id or 'không có'}) khác với mã ghi lúc khóa ({sealed})"
        raise P.LOCK_NOT_VERIFIED.error(field=name, problem=problem)
    return PollFile(name, poll, content_of(data), locked=True, lock_hash=snap.lock_hash)
