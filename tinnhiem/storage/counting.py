"""The count: ballots one by one (voids, corrections) or hand-count totals, and reading them.

Ballots are insert-only: a void is a row of its own and a correction a new ballot that
``replaces`` the voided one; each write appends to the poll's audit log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from tinnhiem.lifecycle import Action
from tinnhiem.model import Mode
from tinnhiem.storage import moves, rows
from tinnhiem.storage.chain import canonical_json
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import AlreadyStored, BallotRefused, SetupInvalid, WrongState
from tinnhiem.storage.people import KeptPeople
from tinnhiem.storage.records import Desk, StoredBallot, now, poll_of
from tinnhiem.storage.typed import (
    ACTOR,
    CORRECT_REASON,
    ENTERED_BY,
    STATION,
    VOID_REASON,
    Typed,
    typed,
)
from tinnhiem.validation import check_poll


class Ballots:
    """The ballots and totals of the polls of one database file."""

    def __init__(self, pool: Pool, people: KeptPeople):
        self._pool = pool
        self._people = people

    def add_ballot(
        self,
        poll_id: int,
        marks: str,
        station: str = "",
        entered_by: str = "",
        source: tuple[str, int] | None = None,
    ) -> StoredBallot:
        """Store one ballot with the next entry number; durable when this returns.

        ``source`` is the (keyboard client, line number) the ballot was typed on: a line
        is stored once per poll, however often it is sent. When it was stored before, this
        raises AlreadyStored with that ballot, in the same transaction, nothing written (the
        database's unique index on the source refuses a second row anyway).

        Raises BallotRefused (bad entry or source, or as many ballots as collected already),
        WrongState (not counting, or totals mode), PollLocked, PollNotFound.
        """
        if source is not None:
            source = rows.check_source(source)
        station = typed(station, STATION, BallotRefused)
        entered_by = typed(entered_by, ENTERED_BY, BallotRefused)
        with self._pool.write("Phiếu này") as conn:
            earlier = rows.stored_from(conn, poll_id, source) if source is not None else None
            if earlier is not None:  # whatever the poll's state now: that line is stored
                raise AlreadyStored(earlier)
            row = moves.counting_entries(conn, poll_id, sql=rows.BALLOT_CONTEXT)
            return rows.store_ballot(conn, row, marks, station, entered_by, source=source)

    def _void(
        self, conn: sqlite3.Connection, poll_id: int, entry_no: int, reason: str, actor: str
    ) -> None:
        """Void one ballot; ``reason`` and ``actor`` were checked (``typed``)."""
        if not reason:
            raise BallotRefused("Cần ghi lý do hủy phiếu.")
        found = conn.execute(
            "SELECT b.entry_no, v.entry_no FROM ballots b LEFT JOIN voids v ON "
            "v.poll_id = b.poll_id AND v.entry_no = b.entry_no WHERE b.poll_id = ? "
            "AND b.entry_no = ?",
            (poll_id, entry_no),
        ).fetchone()
        if found is None:
            raise BallotRefused(f"Không có phiếu số {entry_no}.")
        if found[1] is not None:
            raise BallotRefused(f"Phiếu số {entry_no} đã bị hủy trước đó.")
        void = {"entry_no": entry_no, "reason": reason, "voided_by": actor}
        void["voided_at"] = now()
        conn.execute(
            "INSERT INTO voids VALUES (?, ?, ?, ?, ?)",
            (poll_id, entry_no, void["reason"], actor, void["voided_at"]),
        )
        rows.append(conn, poll_id, actor, Action.VOID, void)

    def void_ballot(self, poll_id: int, entry_no: int, reason: str, actor: str = "") -> None:
        """Void one ballot, keeping its original; raises BallotRefused without a reason, or
        when the reason or actor is not text the minutes can print (``storage.typed``)."""
        reason, actor = _typed_fix(reason, VOID_REASON, actor)
        with self._pool.write() as conn:
            moves.counting_entries(conn, poll_id, Action.VOID)
            self._void(conn, poll_id, entry_no, reason, actor)

    def correct_ballot(
        self,
        poll_id: int,
        entry_no: int,
        marks: str,
        reason: str,
        station: str = "",
        actor: str = "",
    ) -> StoredBallot:
        """Void a ballot and store its correction (``replaces=entry_no``) in one transaction;
        the reason, station and actor are checked as ``void_ballot``'s."""
        reason, actor = _typed_fix(reason, CORRECT_REASON, actor)
        station = typed(station, STATION, BallotRefused)
        with self._pool.write("Phiếu này") as conn:
            row = moves.counting_entries(conn, poll_id, Action.VOID)
            self._void(conn, poll_id, entry_no, reason, actor)
            return rows.store_ballot(conn, row, marks, station, actor, replaces=entry_no)

    def set_totals(
        self, poll_id: int, totals: list[dict[str, int]], invalid: int = 0, actor: str = ""
    ) -> None:
        """Store the hand-count totals (one dict per official on the ballot, in order).

        Raises SetupInvalid with the poll file's T0x problems, WrongState outside counting
        in totals mode, PollLocked; BallotRefused when ``actor`` is not a name (``typed``).
        """
        actor = typed(actor, ACTOR, BallotRefused)
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.TOTALS)
            if row["mode"] != Mode.TOTALS:
                raise WrongState(
                    f"Đợt lấy phiếu số {poll_id} nhập từng phiếu, không nhập kết quả tổng hợp."
                )
            counts = [dict(t) for t in totals]
            poll = replace(
                poll_of(rows.read_setting(conn, row)), totals=tuple(counts), invalid=invalid
            )
            problems = check_poll(poll)
            if problems:
                raise SetupInvalid(problems)
            conn.execute("DELETE FROM totals WHERE poll_id = ?", (poll_id,))
            conn.executemany(
                "INSERT INTO totals VALUES (?, ?, ?)",
                [(poll_id, n, canonical_json(t)) for n, t in enumerate(counts, start=1)],
            )
            conn.execute("UPDATE polls SET invalid = ? WHERE id = ?", (invalid, poll_id))
            rows.append(conn, poll_id, actor, Action.TOTALS, {"totals": counts, "invalid": invalid})

    # -- reading -----------------------------------------------------------------------

    def desk(self, poll_id: int, recent: int = 10) -> Desk:
        """The counting desk in one snapshot: setting, state, mode, count, last entries."""
        with self._pool.read() as conn:
            row = rows.poll_row(conn, poll_id)
            found = (  # recent=0 (the hall screen, the results): no query at all
                conn.execute(
                    rows.BALLOT_SELECT + " ORDER BY b.entry_no DESC LIMIT ?", (poll_id, recent)
                )
                if recent > 0
                else ()
            )
            return Desk(
                poll=rows.read_poll(conn, poll_id, False, row, self._people.of),
                state=row["state"],
                mode=row["mode"] or "entries",
                counted=rows.active_count(conn, poll_id),
                recent=tuple(rows.ballot_of(r) for r in found),
            )

    def ballots(self, poll_id: int, include_voided: bool = True) -> list[StoredBallot]:
        """The poll's ballots in entry order, voided ones with their void record."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            where = "" if include_voided else " AND v.entry_no IS NULL"
            found = conn.execute(rows.BALLOT_SELECT + where + " ORDER BY b.entry_no", (poll_id,))
            return [rows.ballot_of(r) for r in found]

    def recent_ballots(self, poll_id: int, limit: int = 10) -> list[StoredBallot]:
        """The last ``limit`` ballots entered, newest first."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(
                rows.BALLOT_SELECT + " ORDER BY b.entry_no DESC LIMIT ?", (poll_id, limit)
            )
            return [rows.ballot_of(r) for r in found]

    def ballot(self, poll_id: int, entry_no: int) -> StoredBallot | None:
        """The ballot of that entry number (voided or not), None when there is none."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(rows.BALLOT_SELECT + " AND b.entry_no = ?", (poll_id, entry_no))
            row = found.fetchone()
            return None if row is None else rows.ballot_of(row)

    def ballot_count(self, poll_id: int) -> int:
        """Active (not voided) ballots entered."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            return rows.active_count(conn, poll_id)


def _typed_fix(reason: str, kind: Typed, actor: str) -> tuple[str, str]:
    """The reason and actor of a void or correction as stored; BallotRefused when bad."""
    return typed(reason, kind, BallotRefused), typed(actor, ACTOR, BallotRefused)
