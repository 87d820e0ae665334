"""Verification: every audit chain recomputed and replayed against the stored tables.

``verify`` reads the whole file; ``verify_cached`` remembers its answer for one poll while
the poll's chain head and the file's schema stay the same, for a page that reruns often,
and while a poll is counting goes on from the last check when the chain has only grown.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from tinnhiem import words
from tinnhiem.model import State
from tinnhiem.storage import migrate, rows, scans, stack_rows
from tinnhiem.storage.access import access_problems, pin_problems
from tinnhiem.storage.chain import Replay, chain_problems, check_replayed, head_problems
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.records import AuditEntry, Snapshot, StoredBallot, VerifyReport
from tinnhiem.storage.schema import TRIGGER_NAMES


@dataclass(frozen=True)
class _Checked:
    """One poll's last verification and what going on from it needs."""

    key: tuple  # (last entry number, its hash, schema version): _head_key
    report: VerifyReport
    replay: Replay | None  # the log replayed, kept only when the report was ok and counting
    ballots: int  # the highest entry number stored then
    pin_sets: tuple[AuditEntry, ...]  # the chain's pin_set entries


class Verifier:
    """The checks of one database file's chains, tables, triggers and schema."""

    def __init__(self, pool: Pool):
        self._pool = pool
        self._cache: dict[int, _Checked] = {}
        self._cache_lock = threading.Lock()

    def verify(self, poll_id: int | None = None) -> VerifyReport:
        """Recompute every audit chain (or one poll's) and cross-check the stored tables."""
        with self._pool.read() as conn:
            return self._verify(conn, poll_id)[0]

    def _verify(
        self, conn: sqlite3.Connection, poll_id: int | None
    ) -> tuple[VerifyReport, Replay | None, Snapshot | None]:
        problems = _file_problems(conn)
        head, entries = "", 0
        if poll_id is None:
            ids = [r[0] for r in conn.execute("SELECT id FROM polls ORDER BY id")]
        else:
            ids = [poll_id]
        replay, snap = None, None
        for number in ids:
            snap = rows.read_snapshot(conn, number)
            prefix = f"Đợt lấy phiếu số {number} — " if poll_id is None else ""
            found, replay = check_replayed(snap)
            found += pin_problems(conn, number, snap.audit)
            found += stack_rows.stack_problems(snap.audit, stack_rows.rows_of(conn, number))
            found += scans.image_problems(snap.audit, scans.kept_images(conn, number))
            problems += [prefix + p for p in found]
            entries += len(snap.audit)
            if snap.audit:
                head = snap.audit[-1].hash
        report = VerifyReport(
            ok=not problems, problems=tuple(problems), head_hash=head, entries=entries
        )
        return report, replay, snap

    def verify_cached(self, poll_id: int) -> VerifyReport:
        """``verify(poll_id)``, remembered while the poll's chain head (last hash and
        number of entries) and the file's schema stay the same, so a page can show a break
        on every rerun without recomputing the chain.

        While the poll is counting and its last check found nothing, a chain that has only
        grown (the entry checked last still has its hash, the schema is the same) is checked
        from there: the new links and hashes, their replay, and the rows they touch or
        added (new ballots, every void, the setting, state, totals and head). The old
        ballots and entries are not read again: the append-only triggers keep them as they
        were. Any other change, and every closed or locked poll, is a full ``verify``: a
        row edited with the protecting triggers dropped and put back raised the schema
        version twice. Only a schema edited through ``PRAGMA writable_schema`` (which
        leaves the version as it was) is seen by ``verify()`` alone."""
        with self._pool.read() as conn:
            key = _head_key(conn, poll_id)
            with self._cache_lock:
                checked = self._cache.get(poll_id)
            if checked is not None and checked.key == key:
                return checked.report
            fresh = None
            if checked is not None and _grown(conn, poll_id, checked, key):
                fresh = _go_on(conn, poll_id, checked, key)
            if fresh is None:
                report, replay, snap = self._verify(conn, poll_id)
                fresh = _checked(key, report, replay, snap)
        with self._cache_lock:
            self._cache[poll_id] = fresh
        return fresh.report


# The chains' poll ids one index seek each (a DISTINCT would read every entry), less the
# polls that exist.
_ORPHANS = """
WITH RECURSIVE chains(id) AS (
    SELECT min(poll_id) FROM audit
    UNION ALL
    SELECT (SELECT min(poll_id) FROM audit WHERE poll_id > chains.id) FROM chains
    WHERE chains.id IS NOT NULL
)
SELECT id FROM chains WHERE id IS NOT NULL AND id NOT IN (SELECT id FROM polls)
"""


def _head_key(conn: sqlite3.Connection, poll_id: int) -> tuple[int, str, int]:
    """(the last entry's number, its hash, SQLite's schema version): two index seeks.

    A checked chain numbers its entries 1 … last, and its old entries cannot go or change
    (append-only), so the last number stands for their count; any change of a table,
    index or trigger raises the schema version (``PRAGMA schema_version``).
    """
    last = conn.execute(
        "SELECT seq, hash FROM audit WHERE poll_id = ? ORDER BY seq DESC LIMIT 1", (poll_id,)
    ).fetchone()
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    return (last[0], last[1], version) if last else (0, "", version)


def _file_problems(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the file as a whole: triggers, schema, orphaned chains."""
    return _schema_problems(conn) + _orphan_problems(conn)


def _schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Missing or foreign triggers, and every other way the schema is not the app's."""
    problems: list[str] = []
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [name for name in TRIGGER_NAMES if name not in present]
    if missing:
        problems.append(
            f"Cơ sở dữ liệu thiếu {words.number(len(missing))} trigger bảo vệ "
            f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}): có người đã "
            "sửa cấu trúc bằng tay."
        )
    problems += migrate.schema_differences(conn)
    problems += access_problems(conn, TRIGGER_NAMES)
    return problems


def _orphan_problems(conn: sqlite3.Connection) -> list[str]:
    return [
        f"Nhật ký của đợt lấy phiếu số {orphan[0]} còn đó nhưng đợt này đã bị xóa."
        for orphan in conn.execute(_ORPHANS)
    ]


def _checked(key: tuple, report: VerifyReport, replay: Replay | None, snap) -> _Checked:
    counting = snap is not None and snap.state == State.COUNTING
    return _Checked(
        key=key,
        report=report,
        replay=replay if report.ok and counting else None,
        ballots=max((b.entry_no for b in snap.ballots), default=0) if snap else 0,
        pin_sets=tuple(e for e in snap.audit if e.action == "pin_set") if snap else (),
    )


def _grown(conn: sqlite3.Connection, poll_id: int, checked: _Checked, key: tuple) -> bool:
    """Whether the chain only grew since ``checked``, with the same schema, still counting."""
    entries, head, version = checked.key
    if checked.replay is None or version != key[2] or key[0] <= entries:
        return False
    row = conn.execute("SELECT state FROM polls WHERE id = ?", (poll_id,)).fetchone()
    kept = conn.execute(
        "SELECT hash FROM audit WHERE poll_id = ? AND seq = ?", (poll_id, entries)
    ).fetchone()
    return row is not None and row[0] == State.COUNTING and kept is not None and kept[0] == head


def _go_on(conn: sqlite3.Connection, poll_id: int, checked: _Checked, key: tuple):
    """``checked`` carried on over the entries added since; None when it cannot be."""
    entries, head, _ = checked.key
    audit = rows.audit_entries(conn, poll_id, after=entries)
    if len(audit) != key[0] - entries:
        return None
    if checked.replay is None:  # _grown checked it; a full verify if ever not
        return None
    if any(e.action in stack_rows.TABLE_OF_ACTION for e in audit):
        return None  # stacks are compared whole, by the full verify
    replay = checked.replay.copy()
    touched = replay.feed(audit)
    again = sorted(n for n in touched if n <= checked.ballots)
    if len(again) > 500:  # more old ballots named again than one query should carry
        return None
    # The rows to compare: ballots added since, every voided one (a void row needs no
    # update of an old row) and those the new entries name again; each an index range.
    found: dict[int, StoredBallot] = {}
    for where, params in (
        ("b.entry_no > ?", (checked.ballots,)),
        ("b.entry_no IN (SELECT entry_no FROM voids WHERE poll_id = ?)", (poll_id,)),
        (f"b.entry_no IN ({', '.join('?' * len(again)) or 'NULL'})", tuple(again)),
    ):
        for row in conn.execute(rows.BALLOT_SELECT + f" AND {where}", (poll_id, *params)):
            found[row["entry_no"]] = rows.ballot_of(row)
    added = rows.snapshot_of(conn, rows.poll_row(conn, poll_id), list(found.values()), audit)
    only = touched | set(found)
    # The schema is the one checked last time (same version), found whole then.
    problems = _orphan_problems(conn)
    problems += chain_problems(audit, start=entries + 1, prev=head)
    problems += head_problems(audit, added)
    problems += replay.problems + replay.table_problems(added, only)
    # The old rows were 1 … checked.ballots and cannot go (append-only): the numbers are
    # still 1 … highest when the new ones fill the rest and none is below 1. Index ranges
    # only: a count(*) of all the rows would read every ballot.
    added_rows = conn.execute(
        "SELECT count(*), COALESCE(max(entry_no), ?) FROM ballots WHERE poll_id = ? "
        "AND entry_no > ?",
        (checked.ballots, poll_id, checked.ballots),
    ).fetchone()
    below = conn.execute(
        "SELECT 1 FROM ballots WHERE poll_id = ? AND entry_no < 1 LIMIT 1", (poll_id,)
    ).fetchone()
    if checked.ballots + added_rows[0] != added_rows[1] or below is not None:
        return None  # which rows are out of place: only the full comparison says
    pin_sets = checked.pin_sets + tuple(e for e in audit if e.action == "pin_set")
    problems += pin_problems(conn, poll_id, list(pin_sets))
    # The images of the batches logged since (older ones are append-only, checked already).
    listed = {i.get("sha256") for e in audit if e.action == "scan" for i in e.payload["images"]}
    if listed:
        problems += scans.image_problems(audit, scans.kept_images(conn, poll_id, listed))
    report = VerifyReport(
        ok=not problems, problems=tuple(problems), head_hash=audit[-1].hash, entries=key[0]
    )
    return _Checked(
        key=key,
        report=report,
        replay=replay if report.ok else None,
        ballots=added_rows[1],
        pin_sets=pin_sets,
    )
