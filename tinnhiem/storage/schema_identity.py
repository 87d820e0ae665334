"""Migration 0010_poll_identity (listed in ``schema._MIGRATIONS``; never edit it once
released): every poll gets a stable id, a polling point, and officials a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# A random version-4 UUID, made by SQLite itself for each row it updates.
_UUID4 = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || "
    "'-' || lower(hex(randomblob(6)))"
)


def poll_identity(db: Database, lock_trigger: str) -> None:
    """Add the columns and give every stored poll its UUID; ``lock_trigger``: the trigger
    refusing updates of a locked poll's row, made again after the update."""
    # The id travels with every export, so the files of one poll are recognised anywhere
    # (combine); the polls already stored get theirs here, locked ones too, so the lock
    # trigger steps aside for this one change, as in 0002. The id is kept beside the
    # setting, not in it: those polls' chains began without one.
    db.executescript(
        f"""
        ALTER TABLE polls ADD COLUMN uid TEXT;
        ALTER TABLE polls ADD COLUMN point TEXT;
        ALTER TABLE officials ADD COLUMN person TEXT;
        DROP TRIGGER polls_locked_update;
        UPDATE polls SET uid = {_UUID4} WHERE uid IS NULL;
        {lock_trigger}
        CREATE INDEX polls_by_uid ON polls (uid);
        """
    )
