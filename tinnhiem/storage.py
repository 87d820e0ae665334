"""The store: the one module that speaks SQL (SQLite through sqlite-utils' migrations).

Every public method opens its own short-lived connection (Streamlit runs each session in
its own thread; several processes may write one file), so a ``Store`` is cheap to create
and safe to share. Writes run in ``BEGIN IMMEDIATE`` transactions (the write lock first,
so concurrent writers wait their turn instead of failing with "database is locked") in
WAL mode with ``synchronous=FULL``: when a write method returns, the change is durable.

Life cycle of a poll: ``setup`` → ``counting`` → ``closed`` → ``locked`` (closed can go
back to counting with a reason; locked is forever). Ballots are insert-only: a void is a
row of its own and a correction a new ballot that ``replaces`` the voided one. Every
change appends to a per-poll audit log; each entry's hash covers the previous hash and
its own canonical fields, and the poll row keeps the head. ``verify`` recomputes the
chain and replays it against the tables. Triggers in the file itself refuse UPDATE and
DELETE of ballots, voids and log rows, and every write touching a locked poll.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinnhiem.demo import demo_poll
from tinnhiem.model import INVALID_BALLOT, Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.pollfile import EXTENSION, poll_from_data, poll_to_data
from tinnhiem.validation import PollError, Problem, check_entry, check_open, check_poll

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "tinnhiem.db"
BUSY_TIMEOUT_S = 60.0
GENESIS_HASH = "0" * 64
MODES = ("entries", "totals")


def default_db_path() -> Path:
    """The database the CLI and the app use: ``$TINNHIEM_DB`` when set, else DEFAULT_DB."""
    override = os.environ.get("TINNHIEM_DB")
    return Path(override) if override else DEFAULT_DB


class StoreError(Exception):
    """Raised when the store refuses a write; ``str()`` is a Vietnamese sentence for the user."""


class PollNotFound(StoreError):
    """Raised when no poll has the given id."""


class PollLocked(StoreError):
    """Raised on any write to a locked poll."""


class WrongState(StoreError):
    """Raised when an action does not fit the poll's state (a ballot before the count opens)."""


class BallotRefused(StoreError):
    """Raised when a ballot cannot be stored (wrong length or character, more than collected)."""


class SetupInvalid(StoreError):
    """Raised when a setup is impossible or the count cannot open; carries every Problem."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


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


# ---------------------------------------------------------------------------------------
# Schema

MIGRATION_SET = "tinnhiem"
_PROTECTED = ("officials", "board", "ballots", "voids", "totals", "audit")
_LOCKED_MESSAGE = "tinnhiem: đợt lấy phiếu đã khóa, không được thay đổi"


def _lock_triggers() -> str:
    """Triggers refusing every write that touches a locked poll, whoever writes.

    This and ``_SCHEMA`` are migration 0001 as released: never edit them; change the
    schema with a new migration at the end of ``_MIGRATIONS``.
    """
    locked = "(SELECT state FROM polls WHERE id = {}) = 'locked'"
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{_LOCKED_MESSAGE}'); END;"
    sql = [
        f"CREATE TRIGGER polls_locked_insert BEFORE INSERT ON polls "
        f"WHEN NEW.state = 'locked' {raise_}",
        f"CREATE TRIGGER polls_locked_update BEFORE UPDATE ON polls "
        f"WHEN OLD.state = 'locked' {raise_}",
        f"CREATE TRIGGER polls_locked_delete BEFORE DELETE ON polls "
        f"WHEN OLD.state = 'locked' {raise_}",
    ]
    for table in _PROTECTED:
        new, old = locked.format("NEW.poll_id"), locked.format("OLD.poll_id")
        sql += [
            f"CREATE TRIGGER {table}_locked_insert BEFORE INSERT ON {table} WHEN {new} {raise_}",
            f"CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table} "
            f"WHEN {old} OR {new} {raise_}",
            f"CREATE TRIGGER {table}_locked_delete BEFORE DELETE ON {table} WHEN {old} {raise_}",
        ]
    for table in ("ballots", "voids", "audit"):
        for verb in ("update", "delete"):
            sql.append(
                f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'tinnhiem: bảng {table} chỉ được ghi thêm'); END;"
            )
    return "\n".join(sql)


_SCHEMA = """
CREATE TABLE polls (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('setup', 'counting', 'closed', 'locked')),
    mode TEXT CHECK (mode IN ('entries', 'totals')),
    kind TEXT NOT NULL,
    rules TEXT NOT NULL,
    members_total INTEGER NOT NULL,
    members_present INTEGER NOT NULL,
    absent_with_reason INTEGER,
    absent_without_reason INTEGER,
    issued INTEGER NOT NULL,
    collected INTEGER NOT NULL,
    invalid INTEGER NOT NULL DEFAULT 0,
    base TEXT,
    rounding TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    date TEXT,
    time TEXT NOT NULL,
    place TEXT NOT NULL,
    remarks TEXT NOT NULL,
    created_at TEXT NOT NULL,
    locked_at TEXT,
    lock_hash TEXT,
    imported_at TEXT,
    imported_by TEXT
);
CREATE TABLE officials (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    list_no INTEGER NOT NULL,
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    exempt_reason TEXT,
    PRIMARY KEY (poll_id, list_no)
) WITHOUT ROWID;
CREATE TABLE board (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    seat_no INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (poll_id, seat_no)
) WITHOUT ROWID;
CREATE TABLE ballots (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    entry_no INTEGER NOT NULL,
    marks TEXT NOT NULL,
    station TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    replaces INTEGER,
    PRIMARY KEY (poll_id, entry_no)
) WITHOUT ROWID;
CREATE TABLE voids (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    entry_no INTEGER NOT NULL,
    reason TEXT NOT NULL,
    voided_by TEXT NOT NULL,
    voided_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, entry_no),
    FOREIGN KEY (poll_id, entry_no) REFERENCES ballots(poll_id, entry_no)
) WITHOUT ROWID;
CREATE TABLE totals (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    row_no INTEGER NOT NULL,
    counts TEXT NOT NULL,
    PRIMARY KEY (poll_id, row_no)
) WITHOUT ROWID;
CREATE TABLE audit (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (poll_id, seq)
) WITHOUT ROWID;
"""

# Ballots, voids and audit rows refuse every UPDATE and DELETE anyway; their locked-poll
# twins only cost schema parsing on every connection (dropped by migration 0003).
_REDUNDANT_TRIGGERS = tuple(
    f"{table}_locked_{verb}"
    for table in ("ballots", "voids", "audit")
    for verb in ("update", "delete")
)
TRIGGER_NAMES = tuple(
    name
    for name in (
        line.split()[2]
        for line in _lock_triggers().splitlines()
        if line.startswith("CREATE TRIGGER")
    )
    if name not in _REDUNDANT_TRIGGERS
)


def _initial(db: Database) -> None:
    db.executescript(_SCHEMA + _lock_triggers())


def _head_columns(db: Database) -> None:
    # The head of each chain, kept beside the chain: cutting the last entries off the log
    # (and their ballots) no longer leaves a consistent-looking file. Locked polls get
    # their head too, so the lock trigger steps aside for this one schema change.
    lock_trigger = next(
        line
        for line in _lock_triggers().splitlines()
        if line.startswith("CREATE TRIGGER polls_locked_update")
    )
    db.executescript(
        f"""
        ALTER TABLE polls ADD COLUMN head_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE polls ADD COLUMN head_hash TEXT NOT NULL DEFAULT '{GENESIS_HASH}';
        DROP TRIGGER polls_locked_update;
        UPDATE polls SET
            head_seq = COALESCE((SELECT MAX(seq) FROM audit a WHERE a.poll_id = polls.id), 0),
            head_hash = COALESCE((SELECT hash FROM audit a WHERE a.poll_id = polls.id
                                  ORDER BY seq DESC LIMIT 1), '{GENESIS_HASH}');
        {lock_trigger}
        """
    )


def _drop_redundant_triggers(db: Database) -> None:
    db.executescript("".join(f"DROP TRIGGER IF EXISTS {name};" for name in _REDUNDANT_TRIGGERS))


# In order; a name, once released, never changes (it is recorded in _sqlite_migrations).
_MIGRATIONS = (
    ("0001_initial", _initial),
    ("0002_chain_head", _head_columns),
    ("0003_fewer_triggers", _drop_redundant_triggers),
)


def _sqlite_utils() -> types.ModuleType:
    """sqlite_utils, imported only when the schema is behind.

    On import it also loads pandas and numpy when they are installed, only to map their
    types (unused here); that costs seconds in every process (each CLI call, each writer).
    In a single-threaded process they are hidden while it loads, unless loaded already
    (with other threads running, one of them might be importing pandas at that moment).
    """
    hidden = []
    if threading.active_count() == 1:
        hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes the import fail fast
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return sqlite_utils


def _migrations() -> Migrations:
    migrations = _sqlite_utils().Migrations(MIGRATION_SET)
    for name, function in _MIGRATIONS:
        migrations(name=name)(function)
    return migrations


def _use_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch the file to WAL mode (kept in the file, so once is enough).

    Switching needs an exclusive lock and SQLite does not wait for it through the busy
    handler: several processes opening a new file at once get "database is locked" at
    once. So wait here, up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            mode = "locked"
        if mode.lower() == "wal":
            return
        if time.monotonic() > deadline:
            raise StoreError(
                f"Không bật được chế độ WAL cho tệp {path} (chế độ hiện tại: "
                f"{mode}); hãy đặt cơ sở dữ liệu trên ổ đĩa cục bộ."
            )
        time.sleep(0.01)


def _schema_is_current(conn: sqlite3.Connection) -> bool:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        ).fetchall()
    except sqlite3.OperationalError:  # no migrations table yet: a new file
        return False
    return {name for name, _ in _MIGRATIONS} <= {r[0] for r in rows}


# ---------------------------------------------------------------------------------------
# Canonical forms and the hash chain (pure; import uses them on file data too)


def canonical_json(value: Any) -> str:
    """The one JSON text of a value that the audit chain hashes (sorted keys, no spaces)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, payload: str) -> str:
    """sha256 of the previous hash followed by the canonical fields of one log entry.

    The poll id is left out on purpose: an exported chain stays valid when it is imported
    under a new id.
    """
    fields = canonical_json([seq, at, actor, action, payload])
    return hashlib.sha256((prev_hash + fields).encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def setting_of(poll: Poll) -> dict:
    """Everything of a poll but what was counted, as plain JSON data."""
    return {
        "kind": str(poll.kind),
        "rules": poll.rules,
        "members": {
            "total": poll.members.total,
            "present": poll.members.present,
            "absent_with_reason": poll.members.absent_with_reason,
            "absent_without_reason": poll.members.absent_without_reason,
        },
        "issued": poll.issued,
        "collected": poll.collected,
        "base": poll.base,
        "rounding": poll.rounding,
        "title": poll.title,
        "body": poll.body,
        "date": poll.date,
        "time": poll.time,
        "place": poll.place,
        "remarks": poll.remarks,
        "officials": [
            {
                "name": o.name,
                "position": o.position,
                "exempt_reason": _blank_to_none(o.exempt_reason),
            }
            for o in poll.officials
        ],
        "board": [{"name": b.name, "role": b.role} for b in poll.board],
    }


def poll_of(setting: dict) -> Poll:
    """The Poll (nothing counted) of a setting made by ``setting_of``."""
    members = setting["members"]
    return Poll(
        kind=Kind(setting["kind"]),
        rules=setting["rules"],
        members=Attendance(
            total=members["total"],
            present=members["present"],
            absent_with_reason=members["absent_with_reason"],
            absent_without_reason=members["absent_without_reason"],
        ),
        issued=setting["issued"],
        collected=setting["collected"],
        officials=tuple(
            Official(o["name"], o["position"], o["exempt_reason"]) for o in setting["officials"]
        ),
        base=setting["base"],
        rounding=setting["rounding"],
        title=setting["title"],
        body=setting["body"],
        date=setting["date"],
        time=setting["time"],
        place=setting["place"],
        remarks=setting["remarks"],
        board=tuple(BoardMember(b["name"], b["role"]) for b in setting["board"]),
    )


def _ballot_payload(ballot: StoredBallot) -> dict:
    return {
        "entry_no": ballot.entry_no,
        "marks": ballot.marks,
        "station": ballot.station,
        "entered_by": ballot.entered_by,
        "entered_at": ballot.entered_at,
        "replaces": ballot.replaces,
    }


def _void_payload(ballot: StoredBallot) -> dict:
    return {
        "entry_no": ballot.entry_no,
        "reason": ballot.void_reason,
        "voided_by": ballot.voided_by,
        "voided_at": ballot.voided_at,
    }


@dataclass(frozen=True)
class _Snapshot:
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


_STATE_AFTER = {
    "create": "setup",
    "open": "counting",
    "close": "closed",
    "reopen": "counting",
    "lock": "locked",
}


def _payload(text: str) -> dict:
    """A stored payload; text edited into something else is kept so its hash fails."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    return value if isinstance(value, dict) else {"(không đọc được)": text}


def _differences(table: dict, log: dict) -> str:
    keys = [k for k in log if table.get(k) != log.get(k)] + [k for k in table if k not in log]
    return "; ".join(f"{k}: “{table.get(k)}” ≠ “{log.get(k)}”" for k in keys)


def _chain_problems(audit: list[AuditEntry]) -> list[str]:
    problems = []
    prev = GENESIS_HASH
    for number, entry in enumerate(audit, start=1):
        if entry.seq != number:
            problems.append(
                f"Nhật ký: mục thứ {number} mang số {entry.seq} (có mục bị xóa hoặc đổi chỗ)."
            )
        if entry.prev_hash != prev:
            problems.append(
                f"Nhật ký mục {entry.seq}: không nối với mục trước (mục trước bị sửa, xóa "
                "hoặc đổi chỗ)."
            )
        payload = canonical_json(entry.payload)
        recomputed = entry_hash(
            entry.prev_hash, entry.seq, entry.at, entry.actor, entry.action, payload
        )
        if recomputed != entry.hash:
            problems.append(
                f"Nhật ký mục {entry.seq} ({entry.action}): mã băm không khớp nội dung (mục "
                "này đã bị sửa)."
            )
        prev = entry.hash
    return problems


def _replay_problems(snap: _Snapshot) -> list[str]:
    """Where the stored tables disagree with what the audit log says happened."""
    problems: list[str] = []
    setting: dict | None = None
    state, mode = None, None
    totals: tuple[list[dict] | None, int] = (None, 0)
    logged: dict[int, dict] = {}
    logged_voids: dict[int, dict] = {}
    lock_entry: AuditEntry | None = None
    for entry in snap.audit:
        payload = entry.payload
        if entry.action in ("create", "update"):
            setting = payload.get("setting")
        if entry.action in _STATE_AFTER:
            state = _STATE_AFTER[entry.action]
        if entry.action == "open":
            mode = payload.get("mode")
        elif entry.action in ("ballot", "void"):
            number = payload.get("entry_no")
            if not isinstance(number, int):
                problems.append(f"Nhật ký mục {entry.seq}: không đọc được số phiếu.")
            elif entry.action == "ballot":
                logged[number] = payload
            else:
                logged_voids[number] = payload
        elif entry.action == "totals":
            totals = (payload.get("totals"), payload.get("invalid", 0))
        elif entry.action == "lock":
            lock_entry = entry
    if setting != snap.setting:
        detail = _differences(snap.setting, setting or {})
        problems.append(f"Thông tin đợt lấy phiếu trong cơ sở dữ liệu khác với nhật ký ({detail}).")
    if (state, mode) != (snap.state, snap.mode):
        problems.append(
            f"Trạng thái “{snap.state}/{snap.mode}” khác với nhật ký (“{state}/{mode}”)."
        )
    if snap.mode == "totals" and (snap.totals, snap.invalid) != totals:
        problems.append("Bảng kết quả tổng hợp (totals) khác với lần nhập cuối trong nhật ký.")
    stored = {b.entry_no: b for b in snap.ballots}
    for number in sorted(set(stored) | set(logged)):
        if number not in stored:
            problems.append(
                f"Phiếu số {number}: có trong nhật ký nhưng không còn trong bảng phiếu (đã bị xóa)."
            )
            continue
        if number not in logged:
            problems.append(f"Phiếu số {number}: có trong bảng phiếu nhưng không có trong nhật ký.")
            continue
        ballot = stored[number]
        if _ballot_payload(ballot) != logged[number]:
            detail = _differences(_ballot_payload(ballot), logged[number])
            problems.append(
                f"Phiếu số {number}: nội dung trong bảng phiếu khác với nhật ký ({detail})."
            )
        stored_void = _void_payload(ballot) if ballot.voided else None
        if stored_void != logged_voids.get(number):
            problems.append(
                f"Phiếu số {number}: việc hủy phiếu trong cơ sở dữ liệu khác với nhật ký."
            )
    for number in sorted(set(logged_voids) - set(logged) - set(stored)):
        problems.append(f"Nhật ký hủy phiếu số {number}, nhưng phiếu này không có.")
    numbers = sorted(stored)
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("Số thứ tự phiếu trong bảng phiếu không liên tục từ 1.")
    if snap.state == "locked":
        if lock_entry is None or snap.lock_hash != lock_entry.hash:
            problems.append("Mã khóa của đợt lấy phiếu khác với mã băm của mục khóa trong nhật ký.")
        elif snap.audit[-1] is not lock_entry:
            problems.append("Nhật ký có mục ghi sau khi đợt lấy phiếu đã khóa.")
    elif snap.lock_hash is not None:
        problems.append("Đợt lấy phiếu chưa khóa nhưng lại mang mã khóa.")
    return problems


def check_snapshot(snap: _Snapshot) -> list[str]:
    """Every problem of one poll's stored data against its audit chain (Vietnamese)."""
    if not snap.audit:
        return ["Nhật ký kiểm toán trống: không có gì để đối chiếu."]
    problems = _chain_problems(snap.audit)
    last = snap.audit[-1]
    if (last.seq, last.hash) != (snap.head_seq, snap.head_hash):
        problems.append(
            f"Nhật ký dừng ở mục {last.seq} nhưng đợt lấy phiếu ghi mục cuối là mục "
            f"{snap.head_seq} (các mục cuối đã bị xóa hoặc sửa)."
        )
    return problems + _replay_problems(snap)


# ---------------------------------------------------------------------------------------
# The store

_BALLOT_SELECT = """
SELECT b.entry_no, b.marks, b.station, b.entered_by, b.entered_at, b.replaces,
       v.reason, v.voided_by, v.voided_at, v.entry_no IS NOT NULL AS voided
FROM ballots b LEFT JOIN voids v ON v.poll_id = b.poll_id AND v.entry_no = b.entry_no
WHERE b.poll_id = ?
"""

_STATE_NAMES = {
    "setup": "đang chuẩn bị",
    "counting": "đang kiểm phiếu",
    "closed": "đã kết thúc kiểm phiếu",
    "locked": "đã khóa",
}


def _ballot(row: sqlite3.Row) -> StoredBallot:
    return StoredBallot(
        entry_no=row["entry_no"],
        marks=row["marks"],
        station=row["station"],
        entered_by=row["entered_by"],
        entered_at=row["entered_at"],
        voided=bool(row["voided"]),
        void_reason=row["reason"],
        voided_by=row["voided_by"],
        voided_at=row["voided_at"],
        replaces=row["replaces"],
    )


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


class Store:
    """The database of polls; see the module docstring for the rules every method follows."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            _use_wal(conn, self.path)
            if not _schema_is_current(conn):
                self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        # Kept open, idle, never used for a call: while it is open no call's connection is
        # the last one to close, and closing the last one checkpoints the WAL and deletes
        # it (~10 ms of fsyncs on every call). It holds no lock; SQLite still checkpoints
        # automatically every 1 000 pages.
        self._keeper = conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")  # two processes creating one file: one migrates
        try:
            if not _schema_is_current(conn):
                db = _sqlite_utils().Database(conn, execute_plugins=False, recursive_triggers=False)
                _migrations().apply(db)  # inside our transaction: savepoints, one commit
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (WAL readers never wait for writers)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: the write lock first, so no writer ever deadlocks."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    # -- small helpers inside a transaction ---------------------------------------------

    @staticmethod
    def _poll_row(conn: sqlite3.Connection, poll_id: int) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM polls WHERE id = ?", (poll_id,)).fetchone()
        if row is None:
            raise PollNotFound(f"Không có đợt lấy phiếu số {poll_id}.")
        return row

    def _writable(self, conn: sqlite3.Connection, poll_id: int, *states: str) -> sqlite3.Row:
        """The poll's row; PollLocked when locked, WrongState when not in one of ``states``."""
        row = self._poll_row(conn, poll_id)
        if row["state"] == "locked":
            raise PollLocked(
                f"Đợt lấy phiếu số {poll_id} đã khóa: kết quả là cuối cùng, không được thay đổi."
            )
        if row["state"] not in states:
            wanted = " hoặc ".join(_STATE_NAMES[s] for s in states)
            raise WrongState(
                f"Đợt lấy phiếu số {poll_id} {_STATE_NAMES[row['state']]}; việc này chỉ làm "
                f"được khi {wanted}."
            )
        return row

    @staticmethod
    def _append(
        conn: sqlite3.Connection, poll_id: int, actor: str, action: str, payload: dict
    ) -> str:
        """Add one link to the poll's audit chain; returns its hash."""
        head = conn.execute(
            "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
        ).fetchone()
        seq, prev = head[0] + 1, head[1]
        at, text = _now(), canonical_json(payload)
        digest = entry_hash(prev, seq, at, actor, action, text)
        conn.execute(
            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (poll_id, seq, at, actor, action, text, prev, digest),
        )
        conn.execute(
            "UPDATE polls SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, digest, poll_id)
        )
        return digest

    @staticmethod
    def _write_setting(conn: sqlite3.Connection, poll_id: int, setting: dict) -> None:
        members = setting["members"]
        conn.execute(
            """UPDATE polls SET kind = ?, rules = ?, members_total = ?, members_present = ?,
               absent_with_reason = ?, absent_without_reason = ?, issued = ?, collected = ?,
               base = ?, rounding = ?, title = ?, body = ?, date = ?, time = ?, place = ?,
               remarks = ? WHERE id = ?""",
            (
                setting["kind"], setting["rules"], members["total"], members["present"],
                members["absent_with_reason"], members["absent_without_reason"],
                setting["issued"], setting["collected"], setting["base"], setting["rounding"],
                setting["title"], setting["body"], setting["date"], setting["time"],
                setting["place"], setting["remarks"], poll_id,
            ),
        )  # fmt: skip
        conn.execute("DELETE FROM officials WHERE poll_id = ?", (poll_id,))
        conn.executemany(
            "INSERT INTO officials VALUES (?, ?, ?, ?, ?)",
            [
                (poll_id, n, o["name"], o["position"], o["exempt_reason"])
                for n, o in enumerate(setting["officials"], start=1)
            ],
        )
        conn.execute("DELETE FROM board WHERE poll_id = ?", (poll_id,))
        conn.executemany(
            "INSERT INTO board VALUES (?, ?, ?, ?)",
            [(poll_id, n, b["name"], b["role"]) for n, b in enumerate(setting["board"], start=1)],
        )

    @staticmethod
    def _insert_poll(conn: sqlite3.Connection, state: str, created_at: str, **extra: Any) -> int:
        columns = {
            "state": state, "kind": "", "rules": "", "members_total": 0, "members_present": 0,
            "issued": 0, "collected": 0, "rounding": "", "title": "", "body": "", "time": "",
            "place": "", "remarks": "", "created_at": created_at, **extra,
        }  # fmt: skip
        cursor = conn.execute(
            f"INSERT INTO polls ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(columns.values()),
        )
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    @staticmethod
    def _setting(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
        officials = conn.execute(
            "SELECT name, position, exempt_reason FROM officials WHERE poll_id = ? "
            "ORDER BY list_no",
            (row["id"],),
        ).fetchall()
        board = conn.execute(
            "SELECT name, role FROM board WHERE poll_id = ? ORDER BY seat_no", (row["id"],)
        ).fetchall()
        return {
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
            "officials": [dict(o) for o in officials],
            "board": [dict(b) for b in board],
        }

    @staticmethod
    def _active_count(conn: sqlite3.Connection, poll_id: int) -> int:
        # Entry numbers are gapless, so the highest is the number stored: an index seek,
        # where COUNT(*) would read every ballot page (5 000 × 100 marks: ~10 ms cold).
        return conn.execute(
            "SELECT (SELECT COALESCE(MAX(entry_no), 0) FROM ballots WHERE poll_id = ?1)"
            " - (SELECT COUNT(*) FROM voids WHERE poll_id = ?1)",
            (poll_id,),
        ).fetchone()[0]

    @staticmethod
    def _totals(conn: sqlite3.Connection, poll_id: int) -> list[dict] | None:
        rows = conn.execute(
            "SELECT counts FROM totals WHERE poll_id = ? ORDER BY row_no", (poll_id,)
        ).fetchall()
        return [_payload(r["counts"]) for r in rows] or None

    def _snapshot(self, conn: sqlite3.Connection, poll_id: int) -> _Snapshot:
        row = self._poll_row(conn, poll_id)
        ballots = conn.execute(_BALLOT_SELECT + " ORDER BY b.entry_no", (poll_id,)).fetchall()
        audit = [
            AuditEntry(
                seq=r["seq"],
                poll_id=poll_id,
                at=r["at"],
                actor=r["actor"],
                action=r["action"],
                payload=_payload(r["payload"]),
                prev_hash=r["prev_hash"],
                hash=r["hash"],
            )
            for r in conn.execute("SELECT * FROM audit WHERE poll_id = ? ORDER BY seq", (poll_id,))
        ]
        return _Snapshot(
            state=row["state"],
            mode=row["mode"],
            setting=self._setting(conn, row),
            invalid=row["invalid"],
            totals=self._totals(conn, poll_id),
            ballots=[_ballot(b) for b in ballots],
            audit=audit,
            locked_at=row["locked_at"],
            lock_hash=row["lock_hash"],
            head_seq=row["head_seq"],
            head_hash=row["head_hash"],
        )

    # -- setup -------------------------------------------------------------------------

    @staticmethod
    def _check_setting(poll: Poll) -> dict:
        problems = check_poll(replace(poll, entries=None, totals=None, invalid=0))
        if problems:
            raise SetupInvalid(problems)
        return setting_of(poll)

    def create_poll(self, poll: Poll, actor: str = "") -> int:
        """Store a new poll in state ``setup``; entries and totals are ignored.

        Raises SetupInvalid with every problem of the setting (quorum and zero ballots are
        checked only when the count opens).
        """
        setting = self._check_setting(poll)
        with self._write() as conn:
            poll_id = self._insert_poll(conn, "setup", _now())
            self._write_setting(conn, poll_id, setting)
            self._append(conn, poll_id, actor, "create", {"setting": setting})
        return poll_id

    def update_poll(self, poll_id: int, poll: Poll, actor: str = "") -> None:
        """Replace a poll's setting, officials and board.

        In ``setup`` anything may change; while counting only ballots issued and collected
        (collected never below the ballots entered). Raises SetupInvalid, WrongState,
        PollLocked or PollNotFound.
        """
        setting = self._check_setting(poll)
        with self._write() as conn:
            row = self._writable(conn, poll_id, "setup", "counting")
            if row["state"] == "counting":
                current = self._setting(conn, row)
                others = {k: v for k, v in setting.items() if k not in ("issued", "collected")}
                if others != {k: current[k] for k in others}:
                    raise WrongState(
                        "Đang kiểm phiếu: chỉ được sửa số phiếu phát ra và thu về; muốn sửa "
                        "thông tin khác thì phải làm trước khi mở kiểm phiếu."
                    )
                entered = self._active_count(conn, poll_id)
                if setting["collected"] < entered:
                    raise WrongState(
                        f"Đã nhập {entered} phiếu; số phiếu thu về không thể nhỏ hơn "
                        f"({setting['collected']}). Hủy bớt phiếu nhập thừa trước."
                    )
                if row["mode"] == "totals":
                    totals = self._totals(conn, poll_id)
                    candidate = replace(
                        poll_of(setting),
                        totals=tuple(totals) if totals else None,
                        invalid=row["invalid"],
                    )
                    problems = check_poll(candidate)
                    if problems:
                        raise SetupInvalid(problems)
            self._write_setting(conn, poll_id, setting)
            self._append(conn, poll_id, actor, "update", {"setting": setting})

    # -- reading -----------------------------------------------------------------------

    def list_polls(self) -> list[PollSummary]:
        """Every poll, newest first."""
        with self._read() as conn:
            rows = conn.execute(
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
            for r in rows
        ]

    def get_poll(self, poll_id: int) -> Poll:
        """The whole poll: setting plus active ballots (entries mode) or totals (totals mode).

        ``entries`` and ``totals`` are None while nothing is counted. Raises PollNotFound.
        """
        with self._read() as conn:
            return self._poll(conn, poll_id)

    def _poll(self, conn: sqlite3.Connection, poll_id: int) -> Poll:
        row = self._poll_row(conn, poll_id)
        poll = poll_of(self._setting(conn, row))
        if row["mode"] == "totals":
            totals = self._totals(conn, poll_id)
            return replace(poll, totals=tuple(totals) if totals else None, invalid=row["invalid"])
        marks = conn.execute(
            "SELECT marks FROM ballots b WHERE poll_id = ? AND NOT EXISTS (SELECT 1 FROM "
            "voids v WHERE v.poll_id = b.poll_id AND v.entry_no = b.entry_no) "
            "ORDER BY entry_no",
            (poll_id,),
        ).fetchall()
        return replace(poll, entries=tuple(m[0] for m in marks) or None)

    def state(self, poll_id: int) -> str:
        """``setup``, ``counting``, ``closed`` or ``locked``; raises PollNotFound."""
        with self._read() as conn:
            return self._poll_row(conn, poll_id)["state"]

    def mode(self, poll_id: int) -> str:
        """``entries`` or ``totals`` (chosen when the count opens; ``entries`` before)."""
        with self._read() as conn:
            return self._poll_row(conn, poll_id)["mode"] or "entries"

    def ballots(self, poll_id: int, include_voided: bool = True) -> list[StoredBallot]:
        """The poll's ballots in entry order, voided ones with their void record."""
        with self._read() as conn:
            self._poll_row(conn, poll_id)
            where = "" if include_voided else " AND v.entry_no IS NULL"
            rows = conn.execute(_BALLOT_SELECT + where + " ORDER BY b.entry_no", (poll_id,))
            return [_ballot(r) for r in rows]

    def recent_ballots(self, poll_id: int, limit: int = 10) -> list[StoredBallot]:
        """The last ``limit`` ballots entered, newest first."""
        with self._read() as conn:
            self._poll_row(conn, poll_id)
            rows = conn.execute(
                _BALLOT_SELECT + " ORDER BY b.entry_no DESC LIMIT ?", (poll_id, limit)
            )
            return [_ballot(r) for r in rows]

    def ballot_count(self, poll_id: int) -> int:
        """Active (not voided) ballots entered."""
        with self._read() as conn:
            self._poll_row(conn, poll_id)
            return self._active_count(conn, poll_id)

    def audit_log(self, poll_id: int) -> list[AuditEntry]:
        """The poll's audit chain, oldest first."""
        with self._read() as conn:
            return self._snapshot(conn, poll_id).audit

    def change_token(self, poll_id: int) -> str:
        """A short text that changes whenever anything of the poll changes (one indexed read)."""
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
            ).fetchone()
        finally:
            conn.close()
        if row is None:
            raise PollNotFound(f"Không có đợt lấy phiếu số {poll_id}.")
        return f"{row[0]}:{row[1][:16]}"

    def lock_info(self, poll_id: int) -> tuple[str, str] | None:
        """(locked_at, head hash) of a locked poll, else None."""
        with self._read() as conn:
            row = self._poll_row(conn, poll_id)
        if row["state"] != "locked":
            return None
        return row["locked_at"], row["lock_hash"]

    # -- the count ---------------------------------------------------------------------

    def open_count(self, poll_id: int, actor: str = "", mode: str = "entries") -> None:
        """setup → counting, entering ballots one by one (``entries``) or hand-count totals.

        Raises SetupInvalid with ``validation.check_open``'s problems (no quorum, no
        official on the ballot, impossible counts, no ballot collected).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self._write() as conn:
            row = self._writable(conn, poll_id, "setup")
            problems = check_open(poll_of(self._setting(conn, row)))
            if problems:
                raise SetupInvalid(problems)
            conn.execute(
                "UPDATE polls SET state = 'counting', mode = ? WHERE id = ?", (mode, poll_id)
            )
            self._append(conn, poll_id, actor, "open", {"mode": mode})

    def _counting_entries(self, conn: sqlite3.Connection, poll_id: int) -> sqlite3.Row:
        row = self._writable(conn, poll_id, "counting")
        if row["mode"] != "entries":
            raise WrongState(
                f"Đợt lấy phiếu số {poll_id} nhập kết quả tổng hợp, không nhập từng phiếu."
            )
        return row

    def _store_ballot(
        self,
        conn: sqlite3.Connection,
        row: sqlite3.Row,
        marks: str,
        station: str,
        entered_by: str,
        replaces: int | None = None,
    ) -> StoredBallot:
        poll_id = row["id"]
        marks = marks.strip()
        if marks == INVALID_BALLOT.lower():
            marks = INVALID_BALLOT
        width, last, voided = conn.execute(
            "SELECT (SELECT COUNT(*) FROM officials WHERE poll_id = ?1 AND exempt_reason IS NULL),"
            " (SELECT COALESCE(MAX(entry_no), 0) FROM ballots WHERE poll_id = ?1),"
            " (SELECT COUNT(*) FROM voids WHERE poll_id = ?1)",
            (poll_id,),
        ).fetchone()
        problem = check_entry(marks, Kind(row["kind"]), width)
        if problem:
            raise BallotRefused(_sentence(problem.message))
        if last - voided >= row["collected"]:  # entry numbers are gapless: last = stored
            raise BallotRefused(
                f"Đã nhập đủ {row['collected']} phiếu bằng số phiếu thu về; không thể nhập "
                "thêm. Nếu một phiếu nhập sai, hãy sửa hoặc hủy phiếu đó."
            )
        ballot = StoredBallot(
            entry_no=last + 1,
            marks=marks,
            station=station,
            entered_by=entered_by,
            entered_at=_now(),
            replaces=replaces,
        )
        conn.execute(
            "INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?)",
            (poll_id, ballot.entry_no, marks, station, entered_by, ballot.entered_at, replaces),
        )
        self._append(conn, poll_id, entered_by, "ballot", _ballot_payload(ballot))
        return ballot

    def add_ballot(
        self, poll_id: int, marks: str, station: str = "", entered_by: str = ""
    ) -> StoredBallot:
        """Store one ballot with the next entry number; durable when this returns.

        Raises BallotRefused (bad entry, or as many ballots as collected already), WrongState
        (not counting, or totals mode), PollLocked, PollNotFound.
        """
        with self._write() as conn:
            row = self._counting_entries(conn, poll_id)
            return self._store_ballot(conn, row, marks, station, entered_by)

    def _void(
        self, conn: sqlite3.Connection, poll_id: int, entry_no: int, reason: str, actor: str
    ) -> None:
        if not reason or not reason.strip():
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
        void = {"entry_no": entry_no, "reason": reason.strip(), "voided_by": actor}
        void["voided_at"] = _now()
        conn.execute(
            "INSERT INTO voids VALUES (?, ?, ?, ?, ?)",
            (poll_id, entry_no, void["reason"], actor, void["voided_at"]),
        )
        self._append(conn, poll_id, actor, "void", void)

    def void_ballot(self, poll_id: int, entry_no: int, reason: str, actor: str = "") -> None:
        """Void one ballot, keeping its original; raises BallotRefused without a reason."""
        with self._write() as conn:
            self._counting_entries(conn, poll_id)
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
        """Void a ballot and store its correction (``replaces=entry_no``) in one transaction."""
        with self._write() as conn:
            row = self._counting_entries(conn, poll_id)
            self._void(conn, poll_id, entry_no, reason, actor)
            return self._store_ballot(conn, row, marks, station, actor, replaces=entry_no)

    def set_totals(
        self, poll_id: int, totals: list[dict[str, int]], invalid: int = 0, actor: str = ""
    ) -> None:
        """Store the hand-count totals (one dict per official on the ballot, in order).

        Raises SetupInvalid with the poll file's T0x problems, WrongState outside counting
        in totals mode, PollLocked.
        """
        with self._write() as conn:
            row = self._writable(conn, poll_id, "counting")
            if row["mode"] != "totals":
                raise WrongState(
                    f"Đợt lấy phiếu số {poll_id} nhập từng phiếu, không nhập kết quả tổng hợp."
                )
            rows = [dict(t) for t in totals]
            poll = replace(poll_of(self._setting(conn, row)), totals=tuple(rows), invalid=invalid)
            problems = check_poll(poll)
            if problems:
                raise SetupInvalid(problems)
            conn.execute("DELETE FROM totals WHERE poll_id = ?", (poll_id,))
            conn.executemany(
                "INSERT INTO totals VALUES (?, ?, ?)",
                [(poll_id, n, canonical_json(t)) for n, t in enumerate(rows, start=1)],
            )
            conn.execute("UPDATE polls SET invalid = ? WHERE id = ?", (invalid, poll_id))
            self._append(conn, poll_id, actor, "totals", {"totals": rows, "invalid": invalid})

    def close_count(self, poll_id: int, actor: str = "", reason: str = "") -> None:
        """counting → closed; refused while the ballots counted differ from those collected,
        unless a reason is given (it is recorded)."""
        with self._write() as conn:
            row = self._writable(conn, poll_id, "counting")
            if row["mode"] == "totals":
                counted = row["collected"] if self._totals(conn, poll_id) else 0
            else:
                counted = self._active_count(conn, poll_id)
            reason = reason.strip()
            if counted != row["collected"] and not reason:
                raise WrongState(
                    f"Mới nhập {counted}/{row['collected']} phiếu thu về; nhập đủ, hoặc ghi lý "
                    "do để kết thúc kiểm phiếu khi chưa đủ."
                )
            conn.execute("UPDATE polls SET state = 'closed' WHERE id = ?", (poll_id,))
            payload = {"counted": counted, "collected": row["collected"], "reason": reason}
            self._append(conn, poll_id, actor, "close", payload)

    def reopen_count(self, poll_id: int, reason: str, actor: str = "") -> None:
        """closed → counting; a reason is required (WrongState without one)."""
        with self._write() as conn:
            self._writable(conn, poll_id, "closed")
            if not reason or not reason.strip():
                raise WrongState("Cần ghi lý do mở lại kiểm phiếu.")
            conn.execute("UPDATE polls SET state = 'counting' WHERE id = ?", (poll_id,))
            self._append(conn, poll_id, actor, "reopen", {"reason": reason.strip()})

    def lock(self, poll_id: int, actor: str = "") -> str:
        """closed → locked, forever; returns the audit head hash (printed in the minutes)."""
        with self._write() as conn:
            row = self._writable(conn, poll_id, "closed")
            counted = (
                self._active_count(conn, poll_id) if row["mode"] == "entries" else row["collected"]
            )
            head = self._append(conn, poll_id, actor, "lock", {"counted": counted})
            conn.execute(
                "UPDATE polls SET state = 'locked', locked_at = ?, lock_hash = ? WHERE id = ?",
                (_now(), head, poll_id),
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
                snap = self._snapshot(conn, number)
                prefix = f"Đợt lấy phiếu số {number} — " if poll_id is None else ""
                problems += [prefix + p for p in check_snapshot(snap)]
                entries += len(snap.audit)
                if snap.audit:
                    head = snap.audit[-1].hash
        return VerifyReport(
            ok=not problems, problems=tuple(problems), head_hash=head, entries=entries
        )

    # -- poll files ----------------------------------------------------------------------

    def export_data(self, poll_id: int) -> dict:
        """The poll file of a poll; its ``x-tinnhiem`` extension also carries everything the
        store knows (state, mode, every ballot with its void, lock, the audit log), so that
        ``import_data`` restores the poll exactly."""
        with self._read() as conn:  # one snapshot: a ballot arriving meanwhile is all or none
            poll = self._poll(conn, poll_id)
            row = self._poll_row(conn, poll_id)
            snap = self._snapshot(conn, poll_id)
        extra = {
            "poll_id": poll_id,
            "state": snap.state,
            "mode": snap.mode,
            "created_at": row["created_at"],
            "locked_at": snap.locked_at,
            "lock_hash": snap.lock_hash,
            "ballot_log": [
                {
                    **_ballot_payload(b),
                    "void": _void_payload(b) if b.voided else None,
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
        return poll_to_data(poll, extra)

    def import_data(self, data: dict, actor: str = "") -> int:
        """Store a poll file as a new poll; returns its id.

        A file exported by this store (with its audit log) is restored exactly: same
        ballots, voids, state and chain, checked link by link before anything is written. A
        plain poll file starts a new chain: setup, then counting when it has entries or
        totals. Raises PollError naming the field; nothing is written then.
        """
        poll = poll_from_data(data)
        ext = data.get(EXTENSION) if isinstance(data.get(EXTENSION), dict) else {}
        if "audit" in ext:
            snap, created_at = _snapshot_from_file(poll, ext)
            with self._write() as conn:
                return self._restore(conn, snap, created_at, actor)
        setting = setting_of(poll)
        with self._write() as conn:
            poll_id = self._insert_poll(
                conn, "setup", _now(), imported_at=_now(), imported_by=actor
            )
            self._write_setting(conn, poll_id, setting)
            self._append(conn, poll_id, actor, "create", {"setting": setting})
            if poll.mode == "empty":
                return poll_id
            conn.execute(
                "UPDATE polls SET state = 'counting', mode = ? WHERE id = ?", (poll.mode, poll_id)
            )
            self._append(conn, poll_id, actor, "open", {"mode": poll.mode})
            if poll.totals is not None:
                rows = [dict(t) for t in poll.totals]
                conn.executemany(
                    "INSERT INTO totals VALUES (?, ?, ?)",
                    [(poll_id, n, canonical_json(t)) for n, t in enumerate(rows, start=1)],
                )
                conn.execute("UPDATE polls SET invalid = ? WHERE id = ?", (poll.invalid, poll_id))
                payload = {"totals": rows, "invalid": poll.invalid}
                self._append(conn, poll_id, actor, "totals", payload)
            else:
                row = self._poll_row(conn, poll_id)
                for marks in poll.entries or ():
                    self._store_ballot(conn, row, marks, "", actor)
        return poll_id

    def _restore(
        self, conn: sqlite3.Connection, snap: _Snapshot, created_at: str, actor: str
    ) -> int:
        # Insert unlocked, then lock last: the triggers refuse rows added to a locked poll.
        state = "closed" if snap.state == "locked" else snap.state
        poll_id = self._insert_poll(
            conn, state, created_at, mode=snap.mode, invalid=snap.invalid,
            imported_at=_now(), imported_by=actor, head_seq=snap.head_seq,
            head_hash=snap.head_hash,
        )  # fmt: skip
        self._write_setting(conn, poll_id, snap.setting)
        conn.executemany(
            "INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (poll_id, b.entry_no, b.marks, b.station, b.entered_by, b.entered_at, b.replaces)
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
        if snap.state == "locked":
            conn.execute(
                "UPDATE polls SET state = 'locked', locked_at = ?, lock_hash = ? WHERE id = ?",
                (snap.locked_at, snap.lock_hash, poll_id),
            )
        return poll_id

    def create_demo(self, actor: str = "minh họa") -> int:
        """The demo poll of tinnhiem.demo, counting, with its first 31 ballots entered on two
        stations; returns its id."""
        poll = demo_poll()
        poll_id = self.create_poll(poll, actor)
        self.open_count(poll_id, actor)
        for number, marks in enumerate(poll.entries or (), start=1):
            station = "Máy 1" if number % 2 else "Máy 2"
            self.add_ballot(poll_id, marks, station, f"{actor} ({station})")
        return poll_id


# ---------------------------------------------------------------------------------------
# Reading the store's own extension of a poll file


def _file_error(field: str, message: str) -> PollError:
    return PollError(Problem("X01", f"{EXTENSION}.{field}", message))


def _file_text(item: dict, key: str, field: str, optional: bool = False) -> Any:
    value = item.get(key)
    if optional and value is None:
        return None
    if not isinstance(value, str):
        raise _file_error(f"{field}.{key}" if field else key, "phải là một chuỗi ký tự.")
    return value


def _file_int(item: dict, key: str, field: str, optional: bool = False) -> Any:
    value = item.get(key)
    if optional and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _file_error(f"{field}.{key}" if field else key, "phải là một số nguyên.")
    return value


def _file_list(ext: dict, key: str) -> list[dict]:
    items = ext.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise _file_error(key, "phải là một danh sách các đối tượng {…}.")
    return items


def _snapshot_from_file(poll: Poll, ext: dict) -> tuple[_Snapshot, str]:
    """The snapshot an exported file describes, checked against its own audit chain."""
    state = ext.get("state")
    if state not in _STATE_NAMES:
        raise _file_error("state", f"phải là một trong {', '.join(_STATE_NAMES)}.")
    mode = ext.get("mode")
    if mode is not None and mode not in MODES:
        raise _file_error("mode", f"phải là {' hoặc '.join(MODES)}.")
    ballots = []
    for number, item in enumerate(_file_list(ext, "ballot_log"), start=1):
        field = f"ballot_log[{number}]"
        void = item.get("void")
        if void is not None and not isinstance(void, dict):
            raise _file_error(f"{field}.void", "phải là null hoặc một đối tượng {…}.")
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
            )
        )
    audit = []
    for number, item in enumerate(_file_list(ext, "audit"), start=1):
        field = f"audit[{number}]"
        if not isinstance(item.get("payload"), dict):
            raise _file_error(f"{field}.payload", "phải là một đối tượng {…}.")
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
    snap = _Snapshot(
        state=state,
        mode=mode,
        setting=setting_of(poll),
        invalid=poll.invalid,
        totals=[dict(t) for t in poll.totals] if poll.totals is not None else None,
        ballots=ballots,
        audit=audit,
        locked_at=_file_text(ext, "locked_at", "", optional=True),
        lock_hash=_file_text(ext, "lock_hash", "", optional=True),
        head_seq=audit[-1].seq if audit else 0,
        head_hash=audit[-1].hash if audit else GENESIS_HASH,
    )
    if [b.entry_no for b in ballots] != list(range(1, len(ballots) + 1)):
        raise _file_error("ballot_log", "số phiếu (entry_no) phải là 1, 2, 3 … theo thứ tự.")
    active = tuple(b.marks for b in ballots if not b.voided) or None
    if mode != "totals" and active != poll.entries:
        raise _file_error("ballot_log", "các phiếu chưa hủy không khớp với entries của tệp.")
    if mode == "totals" and ballots:
        raise _file_error("ballot_log", "đợt nhập kết quả tổng hợp không có phiếu nhập từng tờ.")
    problems = check_snapshot(snap)
    if problems:
        raise _file_error("audit", f"nhật ký kiểm toán không khớp: {problems[0]}")
    created_at = _file_text(ext, "created_at", "")
    return snap, created_at
