"""The count of a poll's ballots kept beside them, brought up to date at each read.

The hall screen recounts at every change; reading and counting 5 000 ballots × 100
officials costs tens of milliseconds, adding the one ballot stored since costs nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from tinnhiem.model import Kind
from tinnhiem.storage import rows
from tinnhiem.storage.connections import Pool
from tinnhiem.tally import Counts, count_poll


@dataclass(frozen=True)
class Kept:
    """A poll's counts and the stored rows they were taken at."""

    counts: Counts
    voided: int  # voids stored then (voids are insert-only: a new one changes this)
    last: tuple[int, str, str] | None  # (entry_no, entered_at, marks) of the last ballot


class KeptCounts:
    """The counts of each poll of one database file, kept between calls."""

    def __init__(self, pool: Pool):
        self._pool = pool
        self._kept: dict[int, Kept] = {}
        self._kept_lock = threading.Lock()

    def entry_counts(self, poll_id: int) -> Counts | None:
        """The counts of the active ballots (``tally.Counts``, for ``tally.tally_counts``);
        None in totals mode. Raises PollError for stored entries ``tally`` would refuse.

        Kept per poll on this Store, so a call reads only the ballots entered since the
        last one (the hall's refresh after a ballot reads one row, not 5 000). A new void,
        a last counted ballot no longer as it was (another file in place), a changed list
        of officials or a malformed entry recounts every ballot.
        """
        with self._pool.read() as conn:
            row = rows.poll_row(conn, poll_id, rows.BALLOT_CONTEXT)
            if row["mode"] == "totals":
                return None
            if row["passes_required"] > 1:  # stacks: count them all
                return count_poll(rows.read_poll(conn, poll_id))
            with self._kept_lock:
                kept = self._kept.get(poll_id)
            counts = self._counts_since(conn, row, kept) if kept else None
            if counts is None:
                counts = count_poll(rows.read_poll(conn, poll_id))
            last = conn.execute(
                "SELECT entry_no, entered_at, marks FROM ballots WHERE poll_id = ? "
                "AND entry_no = ?",
                (poll_id, row["last_entry"]),
            ).fetchone()
        with self._kept_lock:
            self._kept[poll_id] = Kept(counts, row["voided"], last and tuple(last))
        return counts

    @staticmethod
    def _counts_since(conn: sqlite3.Connection, row: sqlite3.Row, kept: Kept) -> Counts | None:
        """``kept`` plus the ballots stored since; None when they cannot be added up."""
        if kept.voided != row["voided"] or len(kept.counts.rows) != row["width"]:
            return None
        after = kept.last[0] if kept.last else 0
        if after > row["last_entry"]:
            return None
        if kept.last is not None:
            anchor = conn.execute(
                "SELECT entry_no, entered_at, marks FROM ballots WHERE poll_id = ? "
                "AND entry_no = ?",
                (row["id"], after),
            ).fetchone()
            if anchor is None or tuple(anchor) != kept.last:
                return None
        found = conn.execute(
            "SELECT marks FROM ballots WHERE poll_id = ? AND entry_no > ? ORDER BY entry_no",
            (row["id"], after),
        ).fetchall()
        return kept.counts.plus(tuple(r[0] for r in found), Kind(row["kind"]))
