"""What only the store knows about a poll: its state, lock, audit hash and entry log.

Plain data so the documents never import the store; the UI and the CLI convert
``storage.StoredBallot`` rows into ``LogRow`` and the lock information into ``RecordInfo``.
A document made without a ``RecordInfo`` (from a plain poll file) is marked provisional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LogRow:
    """One ballot as entered (nhật ký nhập phiếu); a voided ballot keeps its marks."""

    entry_no: int
    marks: str  # entry string of poll-file.md ("1203", or "X")
    station: str = ""
    entered_by: str = ""
    entered_at: str = ""  # ISO 8601
    voided: bool = False
    void_reason: str | None = None
    voided_by: str | None = None
    voided_at: str | None = None
    replaces: int | None = None  # entry_no of the ballot this one corrects


@dataclass(frozen=True)
class ChainMark:
    """The audit chain's head right after one move of the count (close, reopen, lock)."""

    action: str  # open, close, reopen or lock
    at: str  # ISO 8601
    entries: int  # entries in the chain then (the move's own number)
    hash: str  # the head's hash then (SHA-256, hex)
    reason: str = ""  # why the board closed short or reopened, as typed (empty: none given)


@dataclass(frozen=True)
class PassLog:
    """One pass of a stack as entered: who, where, when, its ballots in order."""

    pass_no: int
    typist: str
    station: str
    started_at: str  # ISO 8601
    finished_at: str | None
    entries: tuple[str, ...]


@dataclass(frozen=True)
class StackLog:
    """One stack of a poll entered in stacks: its passes, differences and decisions."""

    label: str
    size: int | None
    state: str  # one of tinnhiem.stacks.STATES
    counted: int
    passes: tuple[PassLog, ...]
    differences: tuple[str, ...]  # each difference of its current passes, in words
    decisions: tuple[str, ...]  # how each was decided (and any sending back), in words


@dataclass(frozen=True)
class RecordInfo:
    """The stored record of a poll: life-cycle state, lock time, audit head, entry log."""

    state: str = "counting"  # setup, counting, closed or locked
    locked_at: str | None = None  # ISO 8601
    audit_hash: str = ""  # hash of the last audit log entry (SHA-256, hex)
    log: tuple[LogRow, ...] = field(default_factory=tuple)
    poll_id: int | None = None
    imported: str = ""  # "Kết quả nhập từ tệp … lúc …" when locked on another machine
    marks: tuple[ChainMark, ...] = ()  # the chain's head at each move, oldest first
    stacks: tuple[StackLog, ...] = ()  # a poll entered in stacks (stack_section.stack_logs)

    @property
    def locked(self) -> bool:
        return self.state == "locked"


_LOG_FIELDS = (
    "entry_no",
    "marks",
    "station",
    "entered_by",
    "entered_at",
    "voided",
    "void_reason",
    "voided_by",
    "voided_at",
    "replaces",
)


def chain_mark(entry: Any) -> ChainMark:
    """The mark of one move from its audit entry: any object with ``action``, ``at``,
    ``seq``, ``hash`` and ``payload`` (``storage.AuditEntry``); the payload's reason, if any."""
    reason = entry.payload.get("reason") if isinstance(entry.payload, dict) else None
    return ChainMark(entry.action, entry.at, entry.seq, entry.hash, str(reason or ""))


def record_info(
    state: str,
    lock: tuple[str, str] | None = None,
    ballots: Iterable[object] = (),
    marks: Iterable[object] = (),
) -> RecordInfo:
    """A RecordInfo from what the store returns: its state, ``lock_info``, ``ballots`` and
    ``chain_marks``.

    ``ballots`` may be any rows with the attributes of ``LogRow`` (``storage.StoredBallot``),
    ``marks`` any audit entries ``chain_mark`` reads, so the documents never import the store.
    """
    locked_at, head = lock if lock else (None, "")
    log = tuple(LogRow(**{name: getattr(b, name) for name in _LOG_FIELDS}) for b in ballots)
    moves = tuple(chain_mark(m) for m in marks)
    return RecordInfo(state=state, locked_at=locked_at, audit_hash=head, log=log, marks=moves)
