"""The store's public data types and the plain-data forms the audit log records."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from datetime import datetime

from tinnhiem.model import Attendance, BoardMember, Kind, Mode, Official, Poll
from tinnhiem.rules import read_rule_set
from tinnhiem.words import STATE

MODES = tuple(Mode)

# The states in the store’s sentences (“Đợt lấy phiếu số 3 đang kiểm phiếu; …”), from words.
STATE_WORDS = STATE


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
    source: tuple[str, int] | None = None  # (keyboard client, line number) that sent it


@dataclass(frozen=True)
class Desk:
    """What the counting desk shows, read in one snapshot so its parts agree."""

    poll: Poll  # the setting, officials and board; no ballots (totals in totals mode)
    state: str  # setup, counting, closed or locked
    mode: str  # entries or totals
    counted: int  # active (not voided) ballots entered
    recent: tuple[StoredBallot, ...]  # the last ones entered, newest first


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
    notes: tuple[str, ...] = ()  # what the comparison with backups could or could not see


def now() -> str:
    """The current local time, ISO 8601 with its offset, to the millisecond."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


# The fields a setting holds as they are on the Poll and its Attendance, in the setting's
# order (the setting's JSON keeps it): setting_of writes them, poll_of reads them back.
_ATTENDANCE = ("total", "present", "absent_with_reason", "absent_without_reason")
_PLAIN = (
    *("issued", "collected", "base", "rounding", "title", "body"),
    *("date", "time", "place", "remarks"),
)


def setting_of(poll: Poll) -> dict:
    """Everything of a poll but what was counted, as plain JSON data.

    ``point`` and each official's ``person`` are there only when set, so the setting of a
    poll made before they existed (and its audit chain) stays as it was. The poll's ``id``
    is not part of it: polls made before 0010 got theirs from the migration, after their
    chain began. ``rule_set`` (the poll's own rule set, as the poll file writes it) is there
    only when the poll has one: once the count opens it is frozen with the rest.
    """
    setting = {
        "kind": str(poll.kind),
        "rules": poll.rules,
        "members": {name: getattr(poll.members, name) for name in _ATTENDANCE},
        **{name: getattr(poll, name) for name in _PLAIN},
        "officials": [
            {
                "name": o.name,
                "position": o.position,
                "exempt_reason": _blank_to_none(o.exempt_reason),
                **({"person": o.person} if o.person is not None else {}),
            }
            for o in poll.officials
        ],
        "board": [{"name": b.name, "role": b.role} for b in poll.board],
        # only when not single entry, so that settings logged before 0011_stacks still match
        **({"passes_required": poll.passes_required} if poll.passes_required != 1 else {}),
    }
    if poll.point is not None:
        setting["point"] = poll.point
    if poll.rule_set is not None:
        setting["rule_set"] = copy.deepcopy(dict(poll.rule_set.data))
    return setting


def poll_of(setting: dict) -> Poll:
    """The Poll (nothing counted) of a setting made by ``setting_of``."""
    members = setting["members"]
    return Poll(
        kind=Kind(setting["kind"]),
        rules=setting["rules"],
        members=Attendance(**{name: members[name] for name in _ATTENDANCE}),
        officials=_officials(
            tuple(
                (o["name"], o["position"], o["exempt_reason"], o.get("person"))
                for o in setting["officials"]
            )
        ),
        point=setting.get("point"),
        rule_set=read_rule_set(setting["rule_set"]) if "rule_set" in setting else None,
        board=tuple(BoardMember(b["name"], b["role"]) for b in setting["board"]),
        **{name: setting[name] for name in _PLAIN},
        passes_required=setting.get("passes_required", 1),
    )


@functools.lru_cache(maxsize=64)
def _officials(rows: tuple[tuple[str, str, str | None, str | None], ...]) -> tuple[Official, ...]:
    """The officials of those rows, made once per list: a page that redraws after every
    ballot reads the same hundred names each time (an Official is frozen, so shared)."""
    return tuple(Official(*row) for row in rows)


def ballot_payload(ballot: StoredBallot) -> dict:
    """What the log records of a ballot; ``source`` only when it has one (older ballots,
    imported and demo ones have none)."""
    payload: dict = {
        "entry_no": ballot.entry_no,
        "marks": ballot.marks,
        "station": ballot.station,
        "entered_by": ballot.entered_by,
        "entered_at": ballot.entered_at,
        "replaces": ballot.replaces,
    }
    if ballot.source is not None:
        payload["source"] = list(ballot.source)
    return payload


def void_payload(ballot: StoredBallot) -> dict:
    return {
        "entry_no": ballot.entry_no,
        "reason": ballot.void_reason,
        "voided_by": ballot.voided_by,
        "voided_at": ballot.voided_at,
    }


@dataclass(frozen=True)
class Snapshot:
    """Everything stored about one poll, as plain data; what verify() and import check."""

    state: str
    mode: str | None
    setting: dict
    invalid: int
    totals: list[dict] | None
    ballots: list[StoredBallot]
    audit: list[AuditEntry]
    locked_at: str | None
    lock_hash: str | None
    head_seq: int
    head_hash: str
