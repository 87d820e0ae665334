"""The officials and the board of each poll past setup, read once, not at every rerun.

A page that redraws after every ballot (the desk, the hall screen, the results) reads the
poll's setting each time; at 100 officials their rows are most of that read. After setup
the app changes neither list: ``update_poll`` while counting takes only the ballots issued
and collected, and a locked poll's triggers refuse every write. So they are kept per poll,
with what tells that they are still the ones read: the poll's identity (the hash of its
first log entry: another file put in place has other polls) and SQLite's schema version (a
trigger dropped to edit them by hand raises it). In setup they are read at every call.
``verify`` never uses this: it reads and compares the tables themselves.
"""

from __future__ import annotations

import sqlite3
import threading

from tinnhiem.model import State

People = tuple[list[dict], list[dict]]  # (officials, board) as rows.read_setting writes them


class KeptPeople:
    """The officials and board of the polls of one file, as last read past setup."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[tuple, People]] = {}
        self._lock = threading.Lock()

    def of(self, conn: sqlite3.Connection, row: sqlite3.Row) -> People:
        """The poll's officials and board: kept ones when still valid, else read now."""
        if row["state"] == State.SETUP:
            return read_people(conn, row["id"])
        first = conn.execute(
            "SELECT hash FROM audit WHERE poll_id = ? AND seq = 1", (row["id"],)
        ).fetchone()
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        key = (first[0] if first else "", version)
        with self._lock:
            kept = self._kept.get(row["id"])
        if kept is not None and kept[0] == key:
            return kept[1]
        people = read_people(conn, row["id"])
        with self._lock:
            self._kept[row["id"]] = (key, people)
        return people


def read_people(conn: sqlite3.Connection, poll_id: int) -> People:
    """The poll's officials and board, as ``rows.read_setting`` writes them (``person``
    only when there is one). Plain tuples from SQLite: a hundred dicts made directly."""
    cursor = conn.cursor()
    cursor.row_factory = None
    officials = []
    for name, position, exempt_reason, person in cursor.execute(
        "SELECT name, position, exempt_reason, person FROM officials WHERE poll_id = ? "
        "ORDER BY list_no",
        (poll_id,),
    ):
        official = {"name": name, "position": position, "exempt_reason": exempt_reason}
        if person is not None:
            official["person"] = person
        officials.append(official)
    board = [
        {"name": name, "role": role}
        for name, role in cursor.execute(
            "SELECT name, role FROM board WHERE poll_id = ? ORDER BY seat_no", (poll_id,)
        )
    ]
    return officials, board
