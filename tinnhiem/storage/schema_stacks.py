"""Migration 0011_stacks: independent entries (a poll's passes required, its stacks, their
passes, the ballots of each pass, the board's decisions), as released: never edit it.

Every new table is append-only (no UPDATE, no DELETE, whoever writes) and refuses rows
added to a locked poll. ``passes_required`` on the poll row is part of its setting: the
setup page chooses it, and the store refuses to change the setting's other fields once
the count is open, so it is frozen then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

STACK_TABLES = ("stacks", "passes", "pass_ends", "pass_ballots", "decisions")
_LOCKED_MESSAGE = "tinnhiem: đợt lấy phiếu đã khóa, không được thay đổi"

_TABLES = """
ALTER TABLE polls ADD COLUMN passes_required INTEGER NOT NULL DEFAULT 1
    CHECK (passes_required IN (1, 2, 3));
CREATE TABLE stacks (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    stack_no INTEGER NOT NULL,
    label TEXT NOT NULL,
    size INTEGER,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, stack_no),
    UNIQUE (poll_id, label)
) WITHOUT ROWID;
CREATE TABLE passes (
    poll_id INTEGER NOT NULL,
    stack_no INTEGER NOT NULL,
    pass_no INTEGER NOT NULL,
    round INTEGER NOT NULL,
    typist TEXT NOT NULL,
    station TEXT NOT NULL,
    client TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, stack_no, pass_no),
    FOREIGN KEY (poll_id, stack_no) REFERENCES stacks(poll_id, stack_no)
) WITHOUT ROWID;
CREATE TABLE pass_ends (
    poll_id INTEGER NOT NULL,
    stack_no INTEGER NOT NULL,
    pass_no INTEGER NOT NULL,
    ballots INTEGER NOT NULL,
    finished_by TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, stack_no, pass_no),
    FOREIGN KEY (poll_id, stack_no, pass_no) REFERENCES passes(poll_id, stack_no, pass_no)
) WITHOUT ROWID;
CREATE TABLE pass_ballots (
    poll_id INTEGER NOT NULL,
    stack_no INTEGER NOT NULL,
    pass_no INTEGER NOT NULL,
    position INTEGER NOT NULL,
    marks TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    source_client TEXT,
    source_seq INTEGER,
    PRIMARY KEY (poll_id, stack_no, pass_no, position),
    FOREIGN KEY (poll_id, stack_no, pass_no) REFERENCES passes(poll_id, stack_no, pass_no)
) WITHOUT ROWID;
CREATE UNIQUE INDEX pass_ballots_source ON pass_ballots (poll_id, source_client, source_seq);
CREATE TABLE decisions (
    poll_id INTEGER NOT NULL,
    decision_no INTEGER NOT NULL,
    stack_no INTEGER NOT NULL,
    round INTEGER NOT NULL,
    place TEXT NOT NULL,
    chosen_pass INTEGER,
    entries TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL, decided_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, decision_no),
    FOREIGN KEY (poll_id, stack_no) REFERENCES stacks(poll_id, stack_no)
) WITHOUT ROWID;
"""


def locked_append_only_triggers(tables: tuple[str, ...]) -> str:
    """Each table: append-only, and nothing added to a locked poll (migrations 0011, 0013)."""
    locked = "(SELECT state FROM polls WHERE id = NEW.poll_id) = 'locked'"
    sql = []
    for table in tables:
        sql.append(
            f"CREATE TRIGGER {table}_locked_insert BEFORE INSERT ON {table} WHEN {locked} "
            f"BEGIN SELECT RAISE(ABORT, '{_LOCKED_MESSAGE}'); END;"
        )
        for verb in ("update", "delete"):
            sql.append(
                f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'tinnhiem: bảng {table} chỉ được ghi thêm'); END;"
            )
    return "\n".join(sql)


def stack_triggers() -> str:
    """Each table of STACK_TABLES: append-only, and nothing added to a locked poll."""
    return locked_append_only_triggers(STACK_TABLES)


def stacks_migration(db: Database) -> None:
    db.executescript(_TABLES + stack_triggers())


STACK_TRIGGER_NAMES = tuple(line.split()[2] for line in stack_triggers().splitlines())
