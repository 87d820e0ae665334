"""The store's errors: each ``str()`` is a Vietnamese sentence the user can act on."""

from __future__ import annotations

from collections.abc import Sequence

from tinnhiem.storage.records import StoredBallot
from tinnhiem.validation import Problem


class StoreError(Exception):
    """Raised when the store refuses a write; ``str()`` is a Vietnamese sentence for the user.
    ``problems``: the registry's problems behind it, when it has them."""

    problems: Sequence[Problem] = ()


class PollNotFound(StoreError):
    """Raised when no poll has the given id."""


class PollLocked(StoreError):
    """Raised on any write to a locked poll."""


class WrongState(StoreError):
    """Raised when an action does not fit the poll's state (a ballot before the count opens)."""


class BallotRefused(StoreError):
    """Raised when a ballot cannot be stored (wrong length or character, more than collected)."""


class AlreadyStored(StoreError):
    """Raised when a line from this source (keyboard, line number) was stored before;
    ``ballot`` is the ballot it became. Nothing was written."""

    def __init__(self, ballot: StoredBallot):
        super().__init__(f"Dòng này đã được lưu trước đó: phiếu số {ballot.entry_no}.")
        self.ballot = ballot


class SetupInvalid(StoreError):
    """Raised when a setup is impossible or the count cannot open; carries every Problem."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class PinLocked(StoreError):
    """Raised by ``check_pin`` after too many wrong PINs; ``wait_s`` says how long to wait."""

    def __init__(self, message: str, wait_s: int):
        super().__init__(message)
        self.wait_s = wait_s


class StorageUnavailable(StoreError):
    """Raised when the disk is full, the file read-only or unreachable; nothing was written."""


class NotOurDatabase(StoreError):
    """Raised when the file opened is not a database of this tinnhiem (not SQLite, another
    program's, a newer version's, or its schema edited by hand); nothing was written."""

    FIX = "không mở được. Kiểm tra đường dẫn (--db, TINNHIEM_DB) hoặc khôi phục bản sao lưu."
