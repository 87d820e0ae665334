"""Migration 0012_rule_set (listed in ``schema._MIGRATIONS``; never edit it once released):
a poll's own rule set, and the board's library of custom rule sets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# rule_sets is append-only: a saved rule set polls were counted under stays readable.
APPEND_ONLY = "\n".join(
    f"CREATE TRIGGER rule_sets_no_{verb} BEFORE {verb.upper()} ON rule_sets "
    "BEGIN SELECT RAISE(ABORT, 'tinnhiem: bảng rule_sets chỉ được ghi thêm'); END;"
    for verb in ("update", "delete")
)


def rule_set(db: Database) -> None:
    """Add ``polls.rule_set`` and the table ``rule_sets``."""
    # A poll's own rule set (poll-file.md, "Custom rule sets") is canonical JSON beside its
    # ``rules``, part of the setting the chain records (NULL for a built-in one). The
    # library keeps one row per save; the newest row of an id is its text.
    db.executescript(
        f"""
        ALTER TABLE polls ADD COLUMN rule_set TEXT;
        CREATE TABLE rule_sets (
            rule_id TEXT NOT NULL,
            data TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            saved_by TEXT NOT NULL
        );
        CREATE INDEX rule_sets_by_id ON rule_sets (rule_id);
        {APPEND_ONLY}
        """
    )
