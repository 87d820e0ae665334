"""Reading and writing a poll's rows inside a transaction the caller holds.

Every function takes an open connection in a transaction; none commits. ``append`` adds
one link to the poll's audit chain and moves the head kept on the poll row.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from tinnhiem.lifecycle import Action
from tinnhiem.model import INVALID_BALLOT, Kind, Poll, State
from tinnhiem.storage import stack_rows
from tinnhiem.storage.chain import canonical_json, entry_hash, payload_of
from tinnhiem.storage.errors import BallotRefused, PollNotFound
from tinnhiem.storage.people import People, read_people
from tinnhiem.storage.records import (
    AuditEntry,
    Snapshot,
    StoredBallot,
    ballot_payload,
    now,
    poll_of,
)
from tinnhiem.validation import check_entry
from tinnhiem.words import number

BALLOT_SELECT = """
SELECT b.entry_no, b.marks, b.station, b.entered_by, b.entered_at, b.replaces,
       b.source_client, b.source_seq,
       v.reason, v.voided_by, v.voided_at, v.entry_no IS NOT NULL AS voided
FROM ballots b LEFT JOIN voids v ON v.poll_id = b.poll_id AND v.entry_no = b.entry_no
WHERE b.poll_id = ?
"""


def record_of(kind: type, row: sqlite3.Row, **given: Any) -> Any:
    """The record (a dataclass) whose fields are the row's columns of the same names, but
    for those ``given``."""
    return kind(**{f.name: given[f.name] if f.name in given else row[f.name] for f in fields(kind)})


def ballot_of(row: sqlite3.Row) -> StoredBallot:
    source = None if row["source_client"] is None else (row["source_client"], row["source_seq"])
    return record_of(
        StoredBallot, row, voided=bool(row["voided"]), void_reason=row["reason"], source=source
    )


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


# The poll's row with what storing a ballot needs, in one read (add_ballot's hot path).
BALLOT_CONTEXT = """
SELECT p.id, p.state, p.mode, p.kind, p.collected, p.head_seq, p.head_hash, p.passes_required,
  (SELECT COUNT(*) FROM officials o WHERE o.poll_id = p.id AND o.exempt_reason IS NULL) AS width,
  (SELECT COALESCE(MAX(entry_no), 0) FROM ballots b WHERE b.poll_id = p.id) AS last_entry,
  (SELECT COUNT(*) FROM voids v WHERE v.poll_id = p.id) AS voided
FROM polls p WHERE p.id = ?
"""
POLL_ROW = "SELECT * FROM polls WHERE id = ?"


def poll_row(conn: sqlite3.Connection, poll_id: int, sql: str = POLL_ROW) -> sqlite3.Row:
    """The poll's row (``sql`` may add columns); PollNotFound when there is none."""
    row = conn.execute(sql, (poll_id,)).fetchone()
    if row is None:
        raise PollNotFound(f"Không có đợt lấy phiếu số {poll_id}.")
    return row


def append(
    conn: sqlite3.Connection,
    poll_id: int,
    actor: str,
    action: str,
    payload: dict,
    head: tuple[int, str] | None = None,
    at: str | None = None,
) -> str:
    """Add one link to the poll's audit chain; returns its hash.

    ``head`` (seq, hash) saves a read when the caller read it in this transaction and
    appended nothing since; ``at`` is the entry's time when the caller has it already.
    """
    if head is None:
        head = conn.execute(
            "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
        ).fetchone()
    seq, prev = head[0] + 1, head[1]
    at, text = at or now(), canonical_json(payload)
    digest = entry_hash(prev, seq, at, actor, action, text)
    conn.execute(
        "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (poll_id, seq, at, actor, action, text, prev, digest),
    )
    conn.execute(
        "UPDATE polls SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, digest, poll_id)
    )
    return digest


def write_setting(conn: sqlite3.Connection, poll_id: int, setting: dict) -> None:
    members = setting["members"]
    conn.execute(
        """UPDATE polls SET kind = ?, rules = ?, members_total = ?, members_present = ?,
           absent_with_reason = ?, absent_without_reason = ?, issued = ?, collected = ?,
           base = ?, rounding = ?, title = ?, body = ?, date = ?, time = ?, place = ?,
           remarks = ?, point = ?, rule_set = ? WHERE id = ?""",
        (
            setting["kind"], setting["rules"], members["total"], members["present"],
            members["absent_with_reason"], members["absent_without_reason"],
            setting["issued"], setting["collected"], setting["base"], setting["rounding"],
            setting["title"], setting["body"], setting["date"], setting["time"],
            setting["place"], setting["remarks"], setting.get("point"),
            canonical_json(setting["rule_set"]) if "rule_set" in setting else None, poll_id,
        ),
    )  # fmt: skip
    conn.execute(
        "UPDATE polls SET passes_required = ? WHERE id = ?",
        (setting.get("passes_required", 1), poll_id),
    )
    conn.execute("DELETE FROM officials WHERE poll_id = ?", (poll_id,))
    conn.executemany(
        "INSERT INTO officials (poll_id, list_no, name, position, exempt_reason, person) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (poll_id, n, o["name"], o["position"], o["exempt_reason"], o.get("person"))
            for n, o in enumerate(setting["officials"], start=1)
        ],
    )
    conn.execute("DELETE FROM board WHERE poll_id = ?", (poll_id,))
    conn.executemany(
        "INSERT INTO board VALUES (?, ?, ?, ?)",
        [(poll_id, n, b["name"], b["role"]) for n, b in enumerate(setting["board"], start=1)],
    )


def insert_poll(conn: sqlite3.Connection, state: str, created_at: str, **extra: Any) -> int:
    columns = {
        "state": str(state), "kind": "", "rules": "", "members_total": 0, "members_present": 0,
        "issued": 0, "collected": 0, "rounding": "", "title": "", "body": "", "time": "",
        "place": "", "remarks": "", "created_at": created_at, "uid": str(uuid.uuid4()),
        **{k: v for k, v in extra.items() if v is not None or k != "uid"},
    }  # fmt: skip
    cursor = conn.execute(
        f"INSERT INTO polls ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        tuple(columns.values()),
    )
    return int(cursor.lastrowid)  # type: ignore[arg-type]


def create_poll(conn: sqlite3.Connection, setting: dict, actor: str, **extra: Any) -> int:
    """A new poll in ``setup`` with ``setting``, its chain begun (``create``); its id."""
    poll_id = insert_poll(conn, State.SETUP, now(), **extra)
    write_setting(conn, poll_id, setting)
    append(conn, poll_id, actor, Action.CREATE, {"setting": setting})
    return poll_id


def read_setting(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    people: People | None = None,
) -> dict:
    """The poll's setting as ``write_setting`` stores it; ``people``: its officials and
    board when the caller has them (``KeptPeople``), else they are read."""
    officials, board = people if people is not None else read_people(conn, row["id"])
    setting = {
        "kind": row["kind"],
        "rules": row["rules"],
        "members": {
            "total": row["members_total"],
            "present": row["members_present"],
            "absent_with_reason": row["absent_with_reason"],
            "absent_without_reason": row["absent_without_reason"],
        },
        "issued": row["issued"],
        "collected": row["collected"],
        "base": row["base"],
        "rounding": row["rounding"],
        "title": row["title"],
        "body": row["body"],
        "date": row["date"],
        "time": row["time"],
        "place": row["place"],
        "remarks": row["remarks"],
        "officials": officials,
        "board": board,
        **({"passes_required": passes} if (passes := row["passes_required"]) != 1 else {}),
    }
    if row["point"] is not None:
        setting["point"] = row["point"]
    if row["rule_set"] is not None:
        setting["rule_set"] = _stored_json(row["rule_set"])
    return setting


def _stored_json(text: str) -> Any:
    """A JSON column read back; a text edited into something else stays that text (verify
    then reports the setting changed, instead of failing to read it)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def active_count(conn: sqlite3.Connection, poll_id: int) -> int:
    # Entry numbers are gapless, so the highest is the number stored: an index seek,
    # where COUNT(*) would read every ballot page (5 000 × 100 marks: ~10 ms cold).
    return conn.execute(
        "SELECT (SELECT COALESCE(MAX(entry_no), 0) FROM ballots WHERE poll_id = ?1)"
        " - (SELECT COUNT(*) FROM voids WHERE poll_id = ?1)",
        (poll_id,),
    ).fetchone()[0]


def read_totals(conn: sqlite3.Connection, poll_id: int) -> list[dict] | None:
    rows = conn.execute(
        "SELECT counts FROM totals WHERE poll_id = ? ORDER BY row_no", (poll_id,)
    ).fetchall()
    return [payload_of(r["counts"]) for r in rows] or None


def read_snapshot(conn: sqlite3.Connection, poll_id: int) -> Snapshot:
    row = poll_row(conn, poll_id)
    ballots = conn.execute(BALLOT_SELECT + " ORDER BY b.entry_no", (poll_id,)).fetchall()
    return snapshot_of(conn, row, [ballot_of(b) for b in ballots], audit_entries(conn, poll_id))


def audit_entries(conn: sqlite3.Connection, poll_id: int, after: int = 0) -> list[AuditEntry]:
    """The poll's audit chain in order, from the entry after number ``after``."""
    return [
        record_of(AuditEntry, r, poll_id=poll_id, payload=payload_of(r["payload"]))
        for r in conn.execute(
            "SELECT * FROM audit WHERE poll_id = ? AND seq > ? ORDER BY seq", (poll_id, after)
        )
    ]


def snapshot_of(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    ballots: list[StoredBallot],
    audit: list[AuditEntry],
) -> Snapshot:
    """The poll's row, setting and totals read, with ``ballots`` and ``audit`` as given."""
    return Snapshot(
        state=row["state"],
        mode=row["mode"],
        setting=read_setting(conn, row),
        invalid=row["invalid"],
        totals=read_totals(conn, row["id"]),
        ballots=ballots,
        audit=audit,
        locked_at=row["locked_at"],
        lock_hash=row["lock_hash"],
        head_seq=row["head_seq"],
        head_hash=row["head_hash"],
    )


def read_poll(
    conn: sqlite3.Connection,
    poll_id: int,
    with_entries: bool = True,
    row: sqlite3.Row | None = None,
    people: Callable[[sqlite3.Connection, sqlite3.Row], People] | None = None,
) -> Poll:
    """The whole poll: setting plus active ballots (entries mode) or totals (totals mode).

    ``row``: the poll's row when the caller read it in this transaction already;
    ``people``: where its officials and board come from (``KeptPeople.of``), else read.
    """
    row = row if row is not None else poll_row(conn, poll_id)
    setting = read_setting(conn, row, people(conn, row) if people is not None else None)
    poll = replace(poll_of(setting), id=row["uid"])
    if row["mode"] == "totals":
        totals = read_totals(conn, poll_id)
        return replace(poll, totals=tuple(totals) if totals else None, invalid=row["invalid"])
    if not with_entries:
        return poll
    if row["passes_required"] > 1 and row["mode"] == "entries":  # counted in stacks
        return replace(poll, stacks=stack_rows.model_stacks(conn, row))
    marks = conn.execute(
        "SELECT marks FROM ballots b WHERE poll_id = ? AND NOT EXISTS (SELECT 1 FROM "
        "voids v WHERE v.poll_id = b.poll_id AND v.entry_no = b.entry_no) "
        "ORDER BY entry_no",
        (poll_id,),
    ).fetchall()
    return replace(poll, entries=tuple(m[0] for m in marks) or None)


# A line's source is unique per poll (index ballots_source, migration 0006): SQLite itself
# refuses to store a line twice, whatever the caller does.
INSERT_BALLOT = (
    "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, entered_at, replaces, "
    "source_client, source_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_MAX_SEQ = 2**62


def check_source(source: object) -> tuple[str, int]:
    """The (client, line number) of a keyboard line; BallotRefused when malformed."""
    if (
        isinstance(source, tuple)
        and len(source) == 2
        and isinstance(source[0], str)
        and 0 < len(source[0]) <= 64
        and isinstance(source[1], int)
        and not isinstance(source[1], bool)
        and 0 < source[1] < _MAX_SEQ
    ):
        return source
    raise BallotRefused("Dòng gửi từ bàn phím không rõ nguồn (mã bàn phím, số dòng); gõ lại.")


def stored_from(
    conn: sqlite3.Connection, poll_id: int, source: tuple[str, int]
) -> StoredBallot | None:
    """The ballot a line of this source became, if it was stored (one index seek)."""
    found = conn.execute(
        BALLOT_SELECT + " AND b.source_client = ? AND b.source_seq = ?", (poll_id, *source)
    ).fetchone()
    return ballot_of(found) if found is not None else None


def store_ballot(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    marks: str,
    station: str,
    entered_by: str,
    replaces: int | None = None,
    source: tuple[str, int] | None = None,
) -> StoredBallot:
    """Check one ballot against the poll and store it with the next entry number.

    When ``row`` was read with BALLOT_CONTEXT in this transaction and nothing was written
    since, its counts and chain head are used as they are; else they are read again.
    ``source``: the keyboard line it came from (the caller checked it was not stored).
    """
    poll_id = row["id"]
    marks = marks.strip()
    if marks == INVALID_BALLOT.lower():
        marks = INVALID_BALLOT
    fresh = "last_entry" in row.keys()  # noqa: SIM118  (sqlite3.Row has no __contains__)
    context = row if fresh else conn.execute(BALLOT_CONTEXT, (poll_id,)).fetchone()
    width, last, voided = context["width"], context["last_entry"], context["voided"]
    problem = check_entry(marks, Kind(row["kind"]), width)
    if problem:
        raise BallotRefused(sentence(problem.message))
    if last - voided >= row["collected"]:  # entry numbers are gapless: last = stored
        raise BallotRefused(
            f"Đã nhập đủ {number(row['collected'])} phiếu bằng số phiếu thu về; không thể nhập "
            "thêm. Nếu một phiếu nhập sai, hãy sửa hoặc hủy phiếu đó."
        )
    ballot = StoredBallot(
        entry_no=last + 1,
        marks=marks,
        station=station,
        entered_by=entered_by,
        entered_at=now(),
        replaces=replaces,
        source=source,
    )
    client, seq = source if source is not None else (None, None)
    conn.execute(
        INSERT_BALLOT,
        (
            poll_id,
            ballot.entry_no,
            marks,
            station,
            entered_by,
            ballot.entered_at,
            replaces,
            client,
            seq,
        ),
    )
    head = (row["head_seq"], row["head_hash"]) if fresh else None
    payload = ballot_payload(ballot)
    append(conn, poll_id, entered_by, Action.BALLOT, payload, head, ballot.entered_at)
    return ballot
