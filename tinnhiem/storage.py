"""The store: the one module that speaks SQL (sqlite-utils). API CONTRACT — being implemented.

Every public method opens its own short-lived connection (Streamlit runs each session in
its own thread; several processes may write one file), so a ``Store`` is cheap to create
and safe to share. Writes run in ``BEGIN IMMEDIATE`` transactions in WAL mode with
``synchronous=FULL``: when a write method returns, the change is durable.

Life cycle of a poll: ``setup`` → ``counting`` → ``closed`` → ``locked`` (closed can go
back to counting with a reason; locked is forever). Every change appends to a per-poll
audit log whose entries chain SHA-256 hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tinnhiem.model import Poll
from tinnhiem.validation import Problem

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "tinnhiem.db"


class StoreError(Exception):
    """Raised when the store refuses a write; ``str()`` is a Vietnamese sentence for the user."""


class PollNotFound(StoreError):
    """Raised when no poll has the given id."""


class PollLocked(StoreError):
    """Raised on any write to a locked poll."""


class WrongState(StoreError):
    """Raised when an action does not fit the poll's state (e.g. a ballot before the count opens)."""


class BallotRefused(StoreError):
    """Raised when a ballot cannot be stored (wrong length or character, more than collected)."""


class SetupInvalid(StoreError):
    """Raised when a setup is impossible or the count cannot open; carries every Problem."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class PollSummary:
    """One line of the list of polls."""

    id: int
    title: str
    body: str
    date: str | None
    kind: str
    rules: str
    state: str
    counted: int  # active (not voided) ballots entered
    collected: int


@dataclass(frozen=True)
class StoredBallot:
    """One ballot as entered; a voided ballot keeps its original marks."""

    entry_no: int  # 1, 2, 3 … per poll, never reused
    marks: str  # entry string of poll-file.md ("1203", or "X")
    station: str
    entered_by: str
    entered_at: str  # ISO 8601, local time with offset
    voided: bool = False
    void_reason: str | None = None
    voided_by: str | None = None
    voided_at: str | None = None
    replaces: int | None = None  # entry_no of the ballot this one corrects


@dataclass(frozen=True)
class AuditEntry:
    """One link of a poll's audit chain."""

    seq: int
    poll_id: int
    at: str
    actor: str
    action: str
    payload: dict = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""


@dataclass(frozen=True)
class VerifyReport:
    """The result of checking the audit chain against the stored data."""

    ok: bool
    problems: tuple[str, ...]  # Vietnamese sentences, empty when ok
    head_hash: str  # hash of the last log entry checked
    entries: int  # log entries checked
