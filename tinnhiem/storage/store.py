"""The Store: the database of polls, the one place that speaks SQL.

Every public method runs in one transaction on a connection of its own (see
connections.py), so a ``Store`` is cheap to create and safe to share between threads.

Life cycle of a poll: ``setup`` → ``counting`` → ``closed`` → ``locked`` (closed can go
back to counting with a reason; locked is forever), every move a row of the table in
``tinnhiem.lifecycle`` (docs/state-machine.md). Ballots are insert-only: a void is a
row of its own and a correction a new ballot that ``replaces`` the voided one. Every
change appends to a per-poll audit log; each entry's hash covers the previous hash and
its own canonical fields, and the poll row keeps the head. ``verify`` recomputes the
chain and replays it against the tables. Triggers in the file itself refuse UPDATE and
DELETE of ballots, voids and log rows, and every write touching a locked poll.

The Store is assembled from parts, one concept each: the count (counting.py), poll files
(archive.py), the board's PIN (access.py) and backups (backup.py); locking a poll backs
the database up. A write the disk cannot take raises StorageUnavailable, nothing written.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from tinnhiem.demo import DEMO_PIN, demo_poll
from tinnhiem.lifecycle import Action
from tinnhiem.model import Mode, Poll, State
from tinnhiem.paths import DEFAULT_DB, default_db_path  # noqa: F401 (re-exported)
from tinnhiem.storage import migrate, moves, rows
from tinnhiem.storage.access import Access, access_problems, check_pin_format, pin_problems
from tinnhiem.storage.archive import Archive
from tinnhiem.storage.backup import Backups, remove_leftovers
from tinnhiem.storage.cached_verify import CachedVerify
from tinnhiem.storage.chain import check_snapshot
from tinnhiem.storage.connections import Pool, unavailable, use_wal
from tinnhiem.storage.counting import Counting
from tinnhiem.storage.errors import NotOurDatabase, PollNotFound, SetupInvalid, WrongState
from tinnhiem.storage.kept_counts import Kept, KeptCounts
from tinnhiem.storage.records import (
    AuditEntry,
    Desk,
    PollSummary,
    StoredBallot,
    VerifyReport,
    poll_of,
    setting_of,
)
from tinnhiem.storage.schema import TRIGGER_NAMES
from tinnhiem.validation import check_poll

log = logging.getLogger(__name__)


class Store(Counting, KeptCounts, Archive, Access, Backups, CachedVerify):
    """The database of polls; see the module docstring for the rules every method follows."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._pool = Pool(self.path)
        self._kept: dict[int, Kept] = {}
        self._kept_lock = threading.Lock()
        try:
            conn = self._pool.connect(create=True)
        except sqlite3.Error as error:
            raise self._opening_error(error) from error
        try:
            reason = migrate.foreign(conn)  # before anything is written to the file
            if reason is not None:
                raise NotOurDatabase(f"Tệp {self.path} {reason}; {NotOurDatabase.FIX}")
            use_wal(conn, self.path)
            if not migrate.schema_is_current(conn):
                migrate.migrate(conn)
        except BaseException as error:
            conn.close()
            if isinstance(error, sqlite3.Error):
                raise self._opening_error(error) from error
            raise
        self._pool.give(conn)  # the first idle connection: it keeps the WAL file open
        remove_leftovers(self.path)

    def _opening_error(self, error: sqlite3.Error) -> Exception:
        """What to raise for an SQLite error while opening the file (the error itself when
        it is a bug)."""
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            return NotOurDatabase(
                f"Tệp {self.path} không phải cơ sở dữ liệu SQLite; {NotOurDatabase.FIX}"
            )
        return unavailable(error, self.path, None) or error

    def close(self) -> None:
        """Close the idle connections; the Store stays usable (a later call opens one)."""
        self._pool.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- setup -------------------------------------------------------------------------

    @staticmethod
    def _check_setting(poll: Poll) -> dict:
        problems = check_poll(replace(poll, entries=None, totals=None, invalid=0))
        if problems:
            raise SetupInvalid(problems)
        return setting_of(poll)

    def create_poll(self, poll: Poll, actor: str = "", pin: str | None = None) -> int:
        """Store a new poll in state ``setup``, with the board's PIN when given; entries and
        totals are ignored.

        Raises SetupInvalid with every problem of the setting (quorum and zero ballots are
        checked only when the count opens), StoreError when the PIN is not 4–12 digits.
        """
        setting = self._check_setting(poll)
        if pin is not None:
            check_pin_format(pin)
        with self._write() as conn:
            poll_id = rows.create_poll(conn, setting, actor)
            if pin is not None:
                self._write_pin(conn, poll_id, pin, actor)
        return poll_id

    def update_poll(self, poll_id: int, poll: Poll, actor: str = "") -> None:
        """Replace a poll's setting, officials and board.

        In ``setup`` anything may change; while counting only ballots issued and collected
        (collected never below the ballots entered). Raises SetupInvalid, WrongState,
        PollLocked or PollNotFound.
        """
        setting = self._check_setting(poll)
        with self._write() as conn:
            row = moves.writable(conn, poll_id, Action.UPDATE)
            if row["state"] == State.COUNTING:
                current = rows.read_setting(conn, row)
                others = {k: v for k, v in setting.items() if k not in ("issued", "collected")}
                if others != {k: current[k] for k in others}:
                    raise WrongState(
                        "Đang kiểm phiếu: chỉ được sửa số phiếu phát ra và thu về; muốn sửa "
                        "thông tin khác thì phải làm trước khi mở kiểm phiếu."
                    )
                entered = rows.active_count(conn, poll_id)
                if setting["collected"] < entered:
                    raise WrongState(
                        f"Đã nhập {entered} phiếu; số phiếu thu về không thể nhỏ hơn "
                        f"({setting['collected']}). Hủy bớt phiếu nhập thừa trước."
                    )
                if row["mode"] == Mode.TOTALS:
                    totals = rows.read_totals(conn, poll_id)
                    candidate = replace(
                        poll_of(setting),
                        totals=tuple(totals) if totals else None,
                        invalid=row["invalid"],
                    )
                    problems = check_poll(candidate)
                    if problems:
                        raise SetupInvalid(problems)
            rows.write_setting(conn, poll_id, setting)
            rows.append(conn, poll_id, actor, Action.UPDATE, {"setting": setting})

    # -- reading -----------------------------------------------------------------------

    def list_polls(self) -> list[PollSummary]:
        """Every poll, newest first."""
        with self._read() as conn:
            found = conn.execute(
                """SELECT p.*,
                     (SELECT COALESCE(MAX(entry_no), 0) FROM ballots b WHERE b.poll_id = p.id)
                     - (SELECT COUNT(*) FROM voids v WHERE v.poll_id = p.id) AS counted
                   FROM polls p ORDER BY p.id DESC"""
            ).fetchall()
        return [
            PollSummary(
                id=r["id"],
                title=r["title"],
                body=r["body"],
                date=r["date"],
                kind=r["kind"],
                rules=r["rules"],
                state=r["state"],
                counted=r["counted"],
                collected=r["collected"],
            )
            for r in found
        ]

    def has_poll(self, poll_id: int) -> bool:
        """True when a poll has this id (one indexed read)."""
        with self._pool.bare() as conn:
            found = conn.execute("SELECT 1 FROM polls WHERE id = ?", (poll_id,)).fetchone()
        return found is not None

    def is_demo(self, poll_id: int) -> bool:
        """True for the demo poll whose PIN is still DEMO_PIN (set by ``create_demo`` or
        ``ensure_demo`` with it, never changed since); one indexed read."""
        with self._pool.bare() as conn:
            found = conn.execute("SELECT demo FROM polls WHERE id = ?", (poll_id,)).fetchone()
        return bool(found and found[0])

    def get_poll(self, poll_id: int, with_entries: bool = True) -> Poll:
        """The whole poll: setting plus active ballots (entries mode) or totals (totals mode).

        ``entries`` and ``totals`` are None while nothing is counted; ``with_entries=False``
        leaves the ballots unread (``entries`` None), for a page that needs the setting
        only. Raises PollNotFound.
        """
        with self._read() as conn:
            return rows.read_poll(conn, poll_id, with_entries)

    def desk(self, poll_id: int, recent: int = 10) -> Desk:
        """The counting desk in one snapshot: setting, state, mode, count, last entries."""
        with self._read() as conn:
            row = rows.poll_row(conn, poll_id)
            found = conn.execute(
                rows.BALLOT_SELECT + " ORDER BY b.entry_no DESC LIMIT ?", (poll_id, recent)
            )
            return Desk(
                poll=rows.read_poll(conn, poll_id, with_entries=False, row=row),
                state=row["state"],
                mode=row["mode"] or "entries",
                counted=rows.active_count(conn, poll_id),
                recent=tuple(rows.ballot_of(r) for r in found),
            )

    def state(self, poll_id: int) -> str:
        """``setup``, ``counting``, ``closed`` or ``locked``; raises PollNotFound."""
        with self._read() as conn:
            return rows.poll_row(conn, poll_id)["state"]

    def mode(self, poll_id: int) -> str:
        """``entries`` or ``totals`` (chosen when the count opens; ``entries`` before)."""
        with self._read() as conn:
            return rows.poll_row(conn, poll_id)["mode"] or "entries"

    def ballots(self, poll_id: int, include_voided: bool = True) -> list[StoredBallot]:
        """The poll's ballots in entry order, voided ones with their void record."""
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            where = "" if include_voided else " AND v.entry_no IS NULL"
            found = conn.execute(rows.BALLOT_SELECT + where + " ORDER BY b.entry_no", (poll_id,))
            return [rows.ballot_of(r) for r in found]

    def recent_ballots(self, poll_id: int, limit: int = 10) -> list[StoredBallot]:
        """The last ``limit`` ballots entered, newest first."""
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(
                rows.BALLOT_SELECT + " ORDER BY b.entry_no DESC LIMIT ?", (poll_id, limit)
            )
            return [rows.ballot_of(r) for r in found]

    def ballot(self, poll_id: int, entry_no: int) -> StoredBallot | None:
        """The ballot of that entry number (voided or not), None when there is none."""
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(rows.BALLOT_SELECT + " AND b.entry_no = ?", (poll_id, entry_no))
            row = found.fetchone()
            return None if row is None else rows.ballot_of(row)

    def ballot_count(self, poll_id: int) -> int:
        """Active (not voided) ballots entered."""
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            return rows.active_count(conn, poll_id)

    def audit_log(self, poll_id: int) -> list[AuditEntry]:
        """The poll's audit chain, oldest first."""
        with self._read() as conn:
            return rows.read_snapshot(conn, poll_id).audit

    def change_token(self, poll_id: int) -> str:
        """A short text that changes whenever anything of the poll changes (one indexed read)."""
        with self._pool.bare() as conn:  # no BEGIN/COMMIT round trip: the projector polls this
            row = conn.execute(
                "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
            ).fetchone()
        if row is None:
            raise PollNotFound(f"Không có đợt lấy phiếu số {poll_id}.")
        return f"{row[0]}:{row[1][:16]}"

    def lock_info(self, poll_id: int) -> tuple[str, str] | None:
        """(locked_at, head hash) of a locked poll, else None."""
        with self._read() as conn:
            row = rows.poll_row(conn, poll_id)
        if row["state"] != State.LOCKED:
            return None
        return row["locked_at"], row["lock_hash"]

    def lock(self, poll_id: int, actor: str = "") -> str:
        """closed → locked, forever; returns the audit head hash (printed in the minutes).

        Then backs the database up (``backup(poll_id=…)``); a failed backup is logged as a
        warning and neither undoes nor fails the lock.
        """
        head = super().lock(poll_id, actor)
        try:
            self.backup(poll_id=poll_id)
        except Exception:
            log.warning(
                "Đã khóa đợt lấy phiếu số %s nhưng không sao lưu tự động được.",
                poll_id,
                exc_info=True,
            )
        return head

    # -- verification ------------------------------------------------------------------

    def verify(self, poll_id: int | None = None) -> VerifyReport:
        """Recompute every audit chain (or one poll's) and cross-check the stored tables."""
        problems: list[str] = []
        head, entries = "", 0
        with self._read() as conn:
            present = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            missing = [name for name in TRIGGER_NAMES if name not in present]
            if missing:
                problems.append(
                    f"Cơ sở dữ liệu thiếu {len(missing)} trigger bảo vệ ({', '.join(missing[:3])}"
                    f"{'…' if len(missing) > 3 else ''}): có người đã sửa cấu trúc bằng tay."
                )
            problems += migrate.schema_differences(conn)
            problems += access_problems(conn, TRIGGER_NAMES)
            if poll_id is None:
                ids = [r[0] for r in conn.execute("SELECT id FROM polls ORDER BY id")]
            else:
                ids = [poll_id]
            orphans = conn.execute(
                "SELECT DISTINCT poll_id FROM audit WHERE poll_id NOT IN (SELECT id FROM polls)"
            ).fetchall()
            for orphan in orphans:
                problems.append(
                    f"Nhật ký của đợt lấy phiếu số {orphan[0]} còn đó nhưng đợt này đã bị xóa."
                )
            for number in ids:
                snap = rows.read_snapshot(conn, number)
                prefix = f"Đợt lấy phiếu số {number} — " if poll_id is None else ""
                found = check_snapshot(snap) + pin_problems(conn, number, snap.audit)
                problems += [prefix + p for p in found]
                entries += len(snap.audit)
                if snap.audit:
                    head = snap.audit[-1].hash
        return VerifyReport(
            ok=not problems, problems=tuple(problems), head_hash=head, entries=entries
        )

    # -- the demo ----------------------------------------------------------------------

    def create_demo(self, actor: str = "minh họa", pin: str | None = None) -> int:
        """The demo poll of tinnhiem.demo, counting, with its first 31 ballots entered on two
        stations (Máy 1, Máy 2), and the board's PIN when given, all in one transaction;
        returns its id."""
        if pin is not None:
            check_pin_format(pin)
        with self._write() as conn:
            return self._write_demo(conn, actor, pin)

    def ensure_demo(self, actor: str = "minh họa", pin: str | None = None) -> int | None:
        """``create_demo`` when the database holds no poll at all (the app's first start);
        its id, else None. Atomic: several processes starting at once make one demo."""
        if pin is not None:
            check_pin_format(pin)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM polls LIMIT 1").fetchone() is not None:
                return None
            return self._write_demo(conn, actor, pin)

    def _write_demo(self, conn: sqlite3.Connection, actor: str, pin: str | None) -> int:
        poll = demo_poll()
        setting = self._check_setting(poll)
        poll_id = rows.create_poll(conn, setting, actor)
        if pin is not None:
            self._write_pin(conn, poll_id, pin, actor)
        if pin == DEMO_PIN:  # the sidebar shows it while nobody changed it (is_demo)
            conn.execute("UPDATE polls SET demo = 1 WHERE id = ?", (poll_id,))
        row = rows.poll_row(conn, poll_id)
        moves.move(conn, row, Action.OPEN, actor, {"mode": Mode.ENTRIES}, mode=Mode.ENTRIES)
        row = rows.poll_row(conn, poll_id)
        for number, marks in enumerate(poll.entries or (), start=1):
            station = "Máy 1" if number % 2 else "Máy 2"
            rows.store_ballot(conn, row, marks, station, f"{actor} ({station})")
        return poll_id
