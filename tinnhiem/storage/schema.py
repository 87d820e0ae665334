"""The schema: migrations (sqlite-utils' ``Migrations``) and the triggers that guard it.

Released migrations never change; a change to the schema is a new migration at the end
of ``_MIGRATIONS``. The triggers live in the file itself, so raw SQL is refused too:
ballots, voids and audit rows are insert-only, and nothing of a locked poll changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinnhiem.storage.chain import GENESIS_HASH
from tinnhiem.storage.schema_identity import poll_identity
from tinnhiem.storage.schema_rule_set import APPEND_ONLY, rule_set
from tinnhiem.storage.schema_scans import SCAN_IMAGE_TRIGGER_NAMES, scan_images
from tinnhiem.storage.schema_stacks import STACK_TRIGGER_NAMES, stacks_migration

if TYPE_CHECKING:
    from sqlite_utils import Database

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


def _pin_triggers() -> str:
    """A locked poll's PIN is as final as the rest of it (attempts stay writable)."""
    locked = "(SELECT state FROM polls WHERE id = {}) = 'locked'"
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{_LOCKED_MESSAGE}'); END;"
    new, old = locked.format("NEW.poll_id"), locked.format("OLD.poll_id")
    return "\n".join(
        [
            f"CREATE TRIGGER pins_locked_insert BEFORE INSERT ON pins WHEN {new} {raise_}",
            f"CREATE TRIGGER pins_locked_update BEFORE UPDATE ON pins WHEN {old} OR {new} {raise_}",
            f"CREATE TRIGGER pins_locked_delete BEFORE DELETE ON pins WHEN {old} {raise_}",
        ]
    )


# The changes of state the life cycle makes (``lifecycle.state_changes()``), frozen here as
# migration 0005 released them; a test compares the two. A new move of the life cycle
# needs a new migration that replaces the trigger.
STATE_MOVES = ("closed>counting", "closed>locked", "counting>closed", "setup>counting")


def _state_moves_trigger() -> str:
    """The trigger refusing any change of a poll's state the life cycle has no move for."""
    moves = ", ".join(f"'{move}'" for move in STATE_MOVES)
    return (
        "CREATE TRIGGER polls_state_moves BEFORE UPDATE OF state ON polls "
        # a locked poll is left to polls_locked_update, which says so
        f"WHEN OLD.state IS NOT 'locked' AND NEW.state IS NOT OLD.state "
        f"AND OLD.state || '>' || NEW.state NOT IN ({moves}) "
        "BEGIN SELECT RAISE(ABORT, 'tinnhiem: trạng thái đợt lấy phiếu không đổi được như "
        "vậy'); END;"
    )


TRIGGER_NAMES = tuple(
    name
    for name in (
        line.split()[2]
        for line in "\n".join(
            (_lock_triggers(), _pin_triggers(), _state_moves_trigger())
        ).splitlines()
        if line.startswith("CREATE TRIGGER")
    )
    if name not in _REDUNDANT_TRIGGERS
)


def _initial(db: Database) -> None:
    db.executescript(_SCHEMA + _lock_triggers())


def _locked_update_trigger() -> str:
    """The trigger refusing updates of a locked poll's row, as migration 0001 made it (for a
    migration that must update locked polls' rows: it drops it and makes it again)."""
    return next(
        line
        for line in _lock_triggers().splitlines()
        if line.startswith("CREATE TRIGGER polls_locked_update")
    )


def _head_columns(db: Database) -> None:
    # The head of each chain, kept beside the chain: cutting the last entries off the log
    # (and their ballots) no longer leaves a consistent-looking file. Locked polls get
    # their head too, so the lock trigger steps aside for this one schema change.
    lock_trigger = _locked_update_trigger()
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


def _access(db: Database) -> None:
    # The board's PIN (a salted scrypt hash, never exported) and the wrong attempts,
    # counted in the file so that every tab and process shares one limit.
    db.executescript(
        """
        CREATE TABLE pins (
            poll_id INTEGER PRIMARY KEY REFERENCES polls(id),
            scheme TEXT NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            set_at TEXT NOT NULL
        );
        CREATE TABLE pin_attempts (
            poll_id INTEGER PRIMARY KEY REFERENCES polls(id),
            failures INTEGER NOT NULL,
            first_failure REAL NOT NULL,
            locked_until REAL NOT NULL
        );
        """
        + _pin_triggers()
    )


def _state_moves(db: Database) -> None:
    db.executescript(_state_moves_trigger())


def _ballot_source(db: Database) -> None:
    # The keyboard line each ballot came from, unique per poll: a line sent again (a
    # reconnecting browser, two runs of one session) is refused by SQLite itself. Ballots
    # stored before, imported or made otherwise have none (NULLs are never equal).
    db.executescript(
        """
        ALTER TABLE ballots ADD COLUMN source_client TEXT;
        ALTER TABLE ballots ADD COLUMN source_seq INTEGER;
        CREATE UNIQUE INDEX ballots_source ON ballots (poll_id, source_client, source_seq);
        """
    )


def _demo_flag(db: Database) -> None:
    # Whether a poll is the first-start demo with its demo PIN, kept on its row (the sidebar
    # reads it at every rerun) instead of derived from the whole audit log: a demo made by
    # "minh họa" whose one PIN was set by "minh họa" (never changed). Locked demos too, so
    # the lock trigger steps aside for this one change, as in 0002.
    lock_trigger = _locked_update_trigger()
    db.executescript(
        f"""
        ALTER TABLE polls ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
        DROP TRIGGER polls_locked_update;
        UPDATE polls SET demo = 1 WHERE
            (SELECT actor FROM audit a WHERE a.poll_id = polls.id AND a.seq = 1) = 'minh họa'
            AND (SELECT COUNT(*) FROM audit a WHERE a.poll_id = polls.id
                 AND a.action = 'pin_set') = 1
            AND (SELECT actor FROM audit a WHERE a.poll_id = polls.id
                 AND a.action = 'pin_set') = 'minh họa';
        {lock_trigger}
        """
    )


def _access_admin_guesses_imports(db: Database) -> None:
    # The administrator's PIN (creating and importing polls), the length of each PIN (LAN
    # mode needs longer ones), every PIN guess kept append-only (limits per client), and
    # where each imported poll came from (it was not locked on this machine).
    db.executescript(
        """
        CREATE TABLE admin_pin (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            scheme TEXT NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            digits INTEGER NOT NULL,
            set_at TEXT NOT NULL,
            guesses_after INTEGER NOT NULL
        );
        ALTER TABLE pins ADD COLUMN digits INTEGER;
        ALTER TABLE pins ADD COLUMN guesses_after INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE pin_guesses (
            target TEXT NOT NULL,
            client TEXT NOT NULL,
            at REAL NOT NULL,
            accepted INTEGER NOT NULL CHECK (accepted IN (0, 1))
        );
        CREATE INDEX pin_guesses_by_target ON pin_guesses (target, at);
        CREATE TABLE imports (
            poll_id INTEGER PRIMARY KEY REFERENCES polls(id),
            file_name TEXT NOT NULL,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            state TEXT NOT NULL,
            lock_hash TEXT,
            head_seq INTEGER NOT NULL
        );
        DROP TABLE pin_attempts;
        """
        + _append_only_triggers("pin_guesses", "imports")
    )


def _append_only_triggers(*tables: str) -> str:
    """Triggers refusing every UPDATE and DELETE of each table: rows are only added."""
    return "\n".join(
        f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'tinnhiem: bảng {table} chỉ được ghi thêm'); END;"
        for table in tables
        for verb in ("update", "delete")
    )


def _backup_folders(db: Database) -> None:
    # The second folder (a USB stick) each poll is backed up to automatically, and after how
    # many ballots; append-only, the newest row of a poll is its setting (anchors.py).
    db.executescript(
        """
        CREATE TABLE backup_folders (
            poll_id INTEGER NOT NULL REFERENCES polls(id),
            folder TEXT NOT NULL,
            every INTEGER NOT NULL CHECK (every BETWEEN 1 AND 100000),
            set_at TEXT NOT NULL,
            set_by TEXT NOT NULL
        );
        CREATE INDEX backup_folders_by_poll ON backup_folders (poll_id);
        """
        + _append_only_triggers("backup_folders")
    )


# In order; a name, once released, never changes (it is recorded in _sqlite_migrations).
_MIGRATIONS = (
    ("0001_initial", _initial),
    ("0002_chain_head", _head_columns),
    ("0003_fewer_triggers", _drop_redundant_triggers),
    ("0004_access", _access),
    ("0005_state_moves", _state_moves),
    ("0006_ballot_source", _ballot_source),
    ("0007_admin_guesses_imports", _access_admin_guesses_imports),
    ("0008_demo_flag", _demo_flag),
    ("0009_backup_folders", _backup_folders),
    ("0010_poll_identity", lambda db: poll_identity(db, _locked_update_trigger())),
    ("0011_stacks", stacks_migration),
    ("0012_rule_set", rule_set),
    ("0013_scan_images", scan_images),
)

_APPENDED_LATER = _append_only_triggers("pin_guesses", "imports", "backup_folders")
TRIGGER_NAMES += tuple(line.split()[2] for line in _APPENDED_LATER.splitlines())
TRIGGER_NAMES += STACK_TRIGGER_NAMES
TRIGGER_NAMES += tuple(line.split()[2] for line in APPEND_ONLY.splitlines())
TRIGGER_NAMES += SCAN_IMAGE_TRIGGER_NAMES
