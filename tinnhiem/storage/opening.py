"""Opening a database file: made when missing, refused when not ours, brought up to date.

The Store opens its file here, and so does ``restore`` for the backup it checks, so both
see a file the same way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tinnhiem.storage import migrate
from tinnhiem.storage.connections import Pool, unavailable, use_wal
from tinnhiem.storage.errors import NotOurDatabase


def open_pool(path: Path) -> Pool:
    """The pool of ``path``'s connections, the file made (with its folder) when missing, in
    WAL mode and at the current schema.

    Raises NotOurDatabase for a file that is not tinnhiem's (nothing written to it),
    StorageUnavailable when the disk or the file cannot be used.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pool = Pool(path)
    try:
        conn = pool.connect(create=True)
    except sqlite3.Error as error:
        raise opening_error(error, path) from error
    try:
        reason = migrate.foreign(conn)  # before anything is written to the file
        if reason is not None:
            raise NotOurDatabase(f"Tệp {path} {reason}; {NotOurDatabase.FIX}")
        use_wal(conn, path)
        if not migrate.schema_is_current(conn):
            migrate.migrate(conn)
    except BaseException as error:
        conn.close()
        if isinstance(error, sqlite3.Error):
            raise opening_error(error, path) from error
        raise
    pool.give(conn)  # the first idle connection: it keeps the WAL file open
    return pool


def opening_error(error: sqlite3.Error, path: Path) -> Exception:
    """What to raise for an SQLite error while opening ``path`` (the error itself when it
    is a bug)."""
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return NotOurDatabase(f"Tệp {path} không phải cơ sở dữ liệu SQLite; {NotOurDatabase.FIX}")
    return unavailable(error, path, None) or error
