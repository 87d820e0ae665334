"""Poll files in and out: export with the store's own extension, import checked link by link.

An exported file carries, in its ``x-tinnhiem`` extension, everything the store knows of
the poll (state, mode, every ballot with its void, the lock, the audit log), so that an
import restores it exactly, after checking it against its own chain.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.model import Poll, State
from tinnhiem.pollfile import EXTENSION, load_data, poll_from_data, poll_to_data
from tinnhiem.problems import PollError
from tinnhiem.storage import moves, rows, stack_archive, stack_rows
from tinnhiem.storage.chain import GENESIS_HASH, canonical_json, check_snapshot, entry_hash
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import BallotRefused
from tinnhiem.storage.provenance import Provenance
from tinnhiem.storage.records import (
    MODES,
    AuditEntry,
    Snapshot,
    StoredBallot,
    ballot_payload,
    now,
    setting_of,
    void_payload,
)
from tinnhiem.storage.typed import check_file_text, rule_set_problems

IMPORT_BY_CLI = "nhập bằng dòng lệnh"  # where a file came in, unless the caller says


class Archive:
    """Poll files into and out of one database file."""

    def __init__(self, pool: Pool):
        self._pool = pool

    def export_data(self, poll_id: int) -> dict:
        """The poll file of a poll; its ``x-tinnhiem`` extension also carries everything the
        store knows (state, mode, every ballot with its void, lock, the audit log), so that
        ``import_data`` restores the poll exactly."""
        with self._pool.read() as conn:  # one snapshot: a ballot arriving meanwhile is all or none
            poll = rows.read_poll(conn, poll_id)
            row = rows.poll_row(conn, poll_id)
            snap = rows.read_snapshot(conn, poll_id)
            stack_log = stack_archive.export_extra(conn, poll_id)
        extra = {
            "poll_id": poll_id,
            "state": snap.state,
            "mode": snap.mode,
            "created_at": row["created_at"],
            "locked_at": snap.locked_at,
            "lock_hash": snap.lock_hash,
            "ballot_log": [
                {
                    **ballot_payload(b),
                    "void": void_payload(b) if b.voided else None,
                }
                for b in snap.ballots
            ],
            "audit": [
                {
                    "seq": e.seq,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "payload": e.payload,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in snap.audit
            ],
        }
        return poll_to_data(poll, {**extra, **stack_log})

    def import_file(
        self, text: str | bytes, actor: str = "", file_name: str = "", source: str = ""
    ) -> int:
        """Store the poll file of ``text`` (read by the strict reader ``load_data``)."""
        return self.import_data(load_data(text), actor, file_name, source or IMPORT_BY_CLI)

    def import_data(
        self, data: dict, actor: str = "", file_name: str = "", source: str = ""
    ) -> int:
        """Store a poll file as a new poll; returns its id.

        A file exported by this store (with its audit log) is restored exactly: same
        ballots, voids, state and chain, checked link by link before anything is written. A
        plain poll file starts a new chain: setup, then counting when it has entries or
        totals. Where it came from (``file_name``, ``source``, the time, the state and lock
        hash the file carried) is kept: a poll locked elsewhere is never this board's official
        result. Raises PollError naming the field; nothing is written then.
        """
        poll = poll_from_data(data)
        if stack_archive.refused_in_app(poll):  # single entry keeps one list of ballots
            raise P.STACKS_NOT_IN_APP.error()
        found_texts = rule_set_problems(dict(poll.rule_set.data)) if poll.rule_set else []
        if found_texts:  # the rule set's texts, checked as the setup form's are
            raise PollError(found_texts[0])
        found = data.get(EXTENSION)
        ext = found if isinstance(found, dict) else {}
        if "audit" in ext:
            snap, created_at = snapshot_from_file(poll, ext)
            stacked = stack_archive.from_file(poll, ext, snap.audit)
            with self._pool.write() as conn:
                poll_id = _restore_snapshot(conn, snap, created_at, actor, poll.id, stacked)
                record_import(
                    conn, poll_id, file_name, source or IMPORT_BY_CLI, snap.state, snap.lock_hash
                )
                return poll_id
        # Every row and link is made before the write lock is taken: counting stations
        # wait only for the inserts (measured: 0.7 s for 20 000 ballots × 100 officials).
        snap, stacked = _snapshot_of_plain_file(poll, actor)
        with self._pool.write() as conn:
            poll_id = _restore_snapshot(conn, snap, snap.audit[0].at, actor, poll.id, stacked)
            record_import(conn, poll_id, file_name, source or IMPORT_BY_CLI, snap.state)
            return poll_id

    def provenance(self, poll_id: int) -> Provenance | None:
        """Where an imported poll came from; None for a poll made on this machine."""
        with self._pool.read() as conn:
            found = conn.execute("SELECT * FROM imports WHERE poll_id = ?", (poll_id,)).fetchone()
        if found is None:
            return None
        return rows.record_of(Provenance, found)


def _restore_snapshot(
    conn: sqlite3.Connection,
    snap: Snapshot,
    created_at: str,
    actor: str,
    uid: str | None,
    stacked: dict,
) -> int:
    # Insert unlocked, then lock last: the triggers refuse rows added to a locked poll.
    state = State.CLOSED if snap.state == State.LOCKED else snap.state
    poll_id = rows.insert_poll(
        conn, state, created_at, mode=snap.mode, invalid=snap.invalid,
        imported_at=now(), imported_by=actor, head_seq=snap.head_seq,
        head_hash=snap.head_hash, uid=uid,
    )  # fmt: skip
    rows.write_setting(conn, poll_id, snap.setting)
    conn.executemany(
        rows.INSERT_BALLOT,
        [
            (poll_id, b.entry_no, b.marks, b.station, b.entered_by, b.entered_at, b.replaces)
            + (b.source or (None, None))
            for b in snap.ballots
        ],
    )
    conn.executemany(
        "INSERT INTO voids VALUES (?, ?, ?, ?, ?)",
        [
            (poll_id, b.entry_no, b.void_reason, b.voided_by, b.voided_at)
            for b in snap.ballots
            if b.voided
        ],
    )
    conn.executemany(
        "INSERT INTO totals VALUES (?, ?, ?)",
        [(poll_id, n, canonical_json(t)) for n, t in enumerate(snap.totals or [], start=1)],
    )
    conn.executemany(
        "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                poll_id,
                e.seq,
                e.at,
                e.actor,
                e.action,
                canonical_json(e.payload),
                e.prev_hash,
                e.hash,
            )
            for e in snap.audit
        ],
    )
    stack_rows.insert_many(conn, poll_id, stacked)
    if snap.state == State.LOCKED:  # the chain, checked, ends with its lock
        moves.set_state(
            conn, poll_id, State.LOCKED, locked_at=snap.locked_at, lock_hash=snap.lock_hash
        )
    return poll_id


def _snapshot_of_plain_file(poll: Poll, actor: str) -> tuple[Snapshot, dict]:
    """What importing a plain poll file stores: setup, then counting when it has entries or
    totals, each ballot entered by ``actor``, with the audit chain these steps write."""
    setting = setting_of(poll)
    steps: list[tuple[str, str, dict]] = [(now(), "create", {"setting": setting})]
    ballots: list[StoredBallot] = []
    mode = "entries" if poll.mode == "stacks" else poll.mode  # stacks: passes_required > 1
    if poll.mode != "empty":
        steps.append((now(), "open", {"mode": mode}))
    stacked, stack_steps = stack_archive.plain_rows(poll, actor)
    steps.extend(stack_steps)
    if poll.totals is not None:
        payload = {"totals": [dict(t) for t in poll.totals], "invalid": poll.invalid}
        steps.append((now(), "totals", payload))
    for number, marks in enumerate(poll.entries or (), start=1):
        ballot = StoredBallot(number, marks, "", actor, now())
        ballots.append(ballot)
        steps.append((ballot.entered_at, "ballot", ballot_payload(ballot)))
    audit, prev = [], GENESIS_HASH
    for seq, (at, action, payload) in enumerate(steps, start=1):
        digest = entry_hash(prev, seq, at, actor, action, canonical_json(payload))
        audit.append(AuditEntry(seq, 0, at, actor, action, payload, prev, digest))
        prev = digest
    return Snapshot(
        state="setup" if poll.mode == "empty" else "counting",
        mode=None if poll.mode == "empty" else mode,
        setting=setting,
        invalid=poll.invalid if poll.totals is not None else 0,
        totals=[dict(t) for t in poll.totals] if poll.totals is not None else None,
        ballots=ballots,
        audit=audit,
        locked_at=None,
        lock_hash=None,
        head_seq=audit[-1].seq,
        head_hash=audit[-1].hash,
    ), stacked


def _field(field: str, key: str) -> str:
    return f"{EXTENSION}.{field}.{key}" if field else f"{EXTENSION}.{key}"


def record_import(
    conn: sqlite3.Connection,
    poll_id: int,
    file_name: str,
    source: str,
    state: str,
    lock_hash: str | None = None,
) -> None:
    """Keep where a poll came from and the chain's head it came with (pin_problems)."""
    head = rows.poll_row(conn, poll_id)["head_seq"]
    conn.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?)",
        (poll_id, file_name, source, now(), state, lock_hash, head),
    )


def _file_text(item: dict, key: str, field: str, optional: bool = False) -> Any:
    value = item.get(key)
    if optional and value is None:
        return None
    if not isinstance(value, str):
        raise P.NOT_TEXT.error(field=_field(field, key), value=P.show(value))
    return value


def _lock_time(ext: dict) -> str | None:
    """The file's lock time: None, or a date and time as ISO 8601 writes them.

    Pages and documents show it; a text that is no time is refused here, not shown there.
    """
    value = ext.get("locked_at")
    if value is None:
        return None
    try:
        valid = isinstance(value, str) and len(value) <= 40 and "T" in value
        valid = valid and dt.datetime.fromisoformat(value) is not None
    except ValueError:
        valid = False
    if not valid:
        raise P.BAD_LOCK_TIME.error(value=P.show(value))
    return str(value)


def _file_int(item: dict, key: str, field: str, optional: bool = False) -> Any:
    value = item.get(key)
    if optional and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise P.NOT_INTEGER.error(field=_field(field, key), value=P.show(value))
    return value


def _file_source(item: dict, field: str) -> tuple[str, int] | None:
    source = item.get("source")
    if source is None:
        return None
    if not isinstance(source, list) or len(source) != 2:
        raise P.BAD_SOURCE.error(field=f"{EXTENSION}.{field}.source")
    try:
        return rows.check_source(tuple(source))
    except BallotRefused:
        raise P.BAD_SOURCE.error(field=f"{EXTENSION}.{field}.source") from None


def _file_list(ext: dict, key: str) -> list[dict]:
    items = ext.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise P.NOT_OBJECTS.error(field=_field("", key))
    return items


def snapshot_from_file(poll: Poll, ext: dict) -> tuple[Snapshot, str]:
    """The snapshot an exported file describes, checked against its own audit chain."""
    state = ext.get("state")
    if not isinstance(state, str) or state not in set(State):
        raise P.BAD_STATE.error(allowed=", ".join(State))
    mode = ext.get("mode")
    if mode is not None and (not isinstance(mode, str) or mode not in MODES):
        raise P.BAD_MODE.error(allowed=" hoặc ".join(MODES))
    ballots = []
    for number, item in enumerate(_file_list(ext, "ballot_log"), start=1):
        field = f"ballot_log[{number}]"
        void = item.get("void")
        if void is not None and not isinstance(void, dict):
            raise P.NOT_OBJECT.error(field=_field(field, "void"), value=P.show(void))
        ballots.append(
            StoredBallot(
                entry_no=_file_int(item, "entry_no", field),
                marks=_file_text(item, "marks", field),
                station=_file_text(item, "station", field),
                entered_by=_file_text(item, "entered_by", field),
                entered_at=_file_text(item, "entered_at", field),
                replaces=_file_int(item, "replaces", field, optional=True),
                voided=void is not None,
                void_reason=_file_text(void, "reason", f"{field}.void") if void else None,
                voided_by=_file_text(void, "voided_by", f"{field}.void") if void else None,
                voided_at=_file_text(void, "voided_at", f"{field}.void") if void else None,
                source=_file_source(item, field),
            )
        )
    audit = []
    for number, item in enumerate(_file_list(ext, "audit"), start=1):
        field = f"audit[{number}]"
        if not isinstance(item.get("payload"), dict):
            raise P.NOT_OBJECT.error(
                field=_field(field, "payload"), value=P.show(item.get("payload"))
            )
        audit.append(
            AuditEntry(
                seq=_file_int(item, "seq", field),
                poll_id=0,
                at=_file_text(item, "at", field),
                actor=_file_text(item, "actor", field),
                action=_file_text(item, "action", field),
                payload=item["payload"],
                prev_hash=_file_text(item, "prev_hash", field),
                hash=_file_text(item, "hash", field),
            )
        )
    snap = Snapshot(
        state=state,
        mode=mode,
        setting=setting_of(poll),
        invalid=poll.invalid,
        totals=[dict(t) for t in poll.totals] if poll.totals is not None else None,
        ballots=ballots,
        audit=audit,
        locked_at=_lock_time(ext),
        lock_hash=_file_text(ext, "lock_hash", "", optional=True),
        head_seq=audit[-1].seq if audit else 0,
        head_hash=audit[-1].hash if audit else GENESIS_HASH,
    )
    sources = [b.source for b in ballots if b.source is not None]
    if len(sources) != len(set(sources)):
        raise P.SOURCE_TWICE.error()
    if [b.entry_no for b in ballots] != list(range(1, len(ballots) + 1)):
        raise P.BALLOT_NUMBERS.error()
    active = tuple(b.marks for b in ballots if not b.voided) or None
    if mode != "totals" and active != poll.entries:
        raise P.BALLOT_LOG_MISMATCH.error()
    if mode == "totals" and ballots:
        raise P.BALLOTS_IN_TOTALS.error()
    _check_typed(ballots, audit)
    problems = check_snapshot(snap)
    if problems:
        raise P.AUDIT_MISMATCH.error(problem=problems[0])
    created_at = _file_text(ext, "created_at", "")
    return snap, created_at


def _check_typed(ballots: list[StoredBallot], audit: list[AuditEntry]) -> None:
    """The typed texts of a file (reasons, who, which machine) as the store checks them when
    typed (``storage.typed``): refused with the file's field named, nothing imported."""
    name = limits.MAX_NAME
    for number, b in enumerate(ballots, start=1):
        field = f"{EXTENSION}.ballot_log[{number}]"
        check_file_text(b.station, f"{field}.station", name)
        check_file_text(b.entered_by, f"{field}.entered_by", name)
        check_file_text(b.void_reason, f"{field}.void.reason", limits.MAX_REASON)
        check_file_text(b.voided_by, f"{field}.void.voided_by", name)
    for number, e in enumerate(audit, start=1):
        field = f"{EXTENSION}.audit[{number}]"
        check_file_text(e.actor, f"{field}.actor", name)
        check_file_text(e.payload.get("reason"), f"{field}.payload.reason", limits.MAX_REASON)
