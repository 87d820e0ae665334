"""Measures of the store: recording one durable ballot, and a full recount.

Each measure has a raw ``sqlite3`` baseline timed in the same run, interleaved with it so
that both see the same disk and the same cache.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import fixtures
from stats import timed_ms, timing, with_ratio

from tinnhiem.storage import Store
from tinnhiem.tally import tally

# The store's ballots table, as a raw application would write it.
_RAW_TABLE = """
CREATE TABLE ballots (
    poll_id INTEGER NOT NULL,
    entry_no INTEGER NOT NULL,
    marks TEXT NOT NULL,
    station TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    replaces INTEGER,
    PRIMARY KEY (poll_id, entry_no)
) WITHOUT ROWID
"""
_BALLOT_ROW = (
    "SELECT poll_id, entry_no, marks, station, entered_by, entered_at, replaces FROM ballots"
)


def _raw_copy(store_db: Path, target: Path) -> sqlite3.Connection:
    """A raw database with the same ballots rows, WAL + synchronous=FULL, autocommit off."""
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(_RAW_TABLE)
    source = sqlite3.connect(store_db)
    rows = source.execute(_BALLOT_ROW + " ORDER BY poll_id, entry_no").fetchall()
    source.close()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    return conn


def store_ballot(dbs: fixtures.Databases, name: str, entered: int, width: int, reps: int) -> dict:
    """store_ballot_NxM: Store.add_ballot with ``entered`` ballots stored.

    Baseline: one ``BEGIN; INSERT; COMMIT`` of the same row into the same ballots table
    holding the same rows, on a connection kept open, WAL and synchronous=FULL.
    """
    path, poll_id = dbs.copy(entered, width)
    store = Store(path)
    raw = _raw_copy(path, path.with_name(path.stem + "-raw.db"))
    marks = fixtures.ballots(reps, width, seed=fixtures.SEED + 1)
    measured, baseline = [], []
    for number, ballot in enumerate(marks, start=entered + 1):
        stored = None

        def add(ballot: str = ballot) -> None:
            nonlocal stored
            stored = store.add_ballot(poll_id, ballot, station="Máy đo", entered_by="bench")

        measured.append(timed_ms(add))
        assert stored is not None and stored.entry_no == number
        row = (poll_id, number, ballot, stored.station, stored.entered_by, stored.entered_at, None)

        def insert(row: tuple = row) -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            raw.execute("COMMIT")

        baseline.append(timed_ms(insert))
    raw.close()
    row = timing(name, measured, ballots=entered, officials=width)
    return with_ratio(row, measured, baseline, target=2.0)


def _recount_sql(width: int) -> str:
    """One pass over the active ballots: per official and digit, SUM(mark = digit).

    Faster here than the textbook ``GROUP BY position, substr(marks, position, 1)`` over a
    join with the positions (which builds ballots × officials rows): the fastest raw SQL
    found is the fairest baseline.
    """
    sums = ", ".join(
        f"SUM(substr(marks, {i}, 1) = '{digit}')" for i in range(1, width + 1) for digit in "123"
    )
    return (
        f"SELECT {sums} FROM ballots b WHERE b.poll_id = ? AND b.marks != 'X' AND NOT EXISTS "
        "(SELECT 1 FROM voids v WHERE v.poll_id = b.poll_id AND v.entry_no = b.entry_no)"
    )


def sql_counts(path: Path, poll_id: int, width: int) -> list[int]:
    """Counts of digits 1, 2, 3 for each official in turn, by SQL alone (fresh connection)."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(_recount_sql(width), (poll_id,)).fetchone()
    finally:
        conn.close()
    return [n or 0 for n in row]


def recount(dbs: fixtures.Databases, name: str, entered: int, width: int, reps: int) -> dict:
    """recount_NxM: tally(store.get_poll(id)), a full recount from the store.

    Baseline: one SQL aggregate over the same rows giving every (official, digit) count,
    on a fresh connection like the store's. Both answers are checked equal before timing.
    """
    path, poll_id = dbs.copy(entered, width)
    store = Store(path)
    result = tally(store.get_poll(poll_id))
    levels = ("high", "confidence", "low")
    counts = [official.counts[level] for official in result.officials for level in levels]
    if counts != sql_counts(path, poll_id, width):
        raise AssertionError("the SQL baseline and the tally disagree")
    measured, baseline = [], []
    for _ in range(reps):
        measured.append(timed_ms(lambda: tally(store.get_poll(poll_id))))
        baseline.append(timed_ms(lambda: sql_counts(path, poll_id, width)))
    row = timing(name, measured, ballots=entered, officials=width)
    return with_ratio(row, measured, baseline, target=1.5)
