"""Bringing a file's schema up to date, and telling a file that is not ours.

The steps themselves (SQL, triggers, the ordered list of migrations) are in ``schema``.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
import threading
import types
from typing import TYPE_CHECKING

from tinnhiem.storage.schema import _MIGRATIONS, MIGRATION_SET

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations


def sqlite_utils_module() -> types.ModuleType:
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


def migrations() -> Migrations:
    migrations = sqlite_utils_module().Migrations(MIGRATION_SET)
    for name, function in _MIGRATIONS:
        migrations(name=name)(function)
    return migrations


# The tables of each migration that makes tables: a file recording the migration must have them.
_TABLES = {
    "0001_initial": ("polls", "officials", "board", "ballots", "voids", "totals", "audit"),
    "0004_access": ("pins",),  # its pin_attempts went in 0007
    "0007_admin_guesses_imports": ("admin_pin", "pin_guesses", "imports"),
    "0009_backup_folders": ("backup_folders",),
    "0012_rule_set": ("rule_sets",),
    "0013_scan_images": ("scan_images",),
}


def foreign(conn: sqlite3.Connection) -> str | None:
    """Why the file is not a database of this tinnhiem (a Vietnamese clause), or None when it
    is one, perhaps of an older version (then migrated), or empty (a new file).

    Raises sqlite3.DatabaseError (SQLITE_NOTADB) when the file is not SQLite at all.
    """
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "_sqlite_migrations" not in tables:
        return "là cơ sở dữ liệu SQLite nhưng không phải của tinnhiem"
    recorded = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    known = [name for name, _ in _MIGRATIONS]
    if not recorded:
        return "là cơ sở dữ liệu SQLite nhưng không phải của tinnhiem"
    newer = sorted(recorded - set(known))
    if newer:
        return f"do một phiên bản tinnhiem mới hơn tạo ra (bước nâng cấp {newer[0]})"
    last = max(known.index(name) for name in recorded)
    missing = [name for name in known[: last + 1] if name not in recorded]
    if missing:
        return f"thiếu bước nâng cấp {missing[0]} trong bảng _sqlite_migrations (bị sửa bằng tay)"
    absent = [t for name in recorded for t in _TABLES.get(name, ()) if t not in tables]
    if absent:
        return f"thiếu bảng {absent[0]} (cấu trúc đã bị sửa bằng tay)"
    return None


def schema_is_current(conn: sqlite3.Connection) -> bool:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        ).fetchall()
    except sqlite3.OperationalError:  # no migrations table yet: a new file
        return False
    return {name for name, _ in _MIGRATIONS} <= {r[0] for r in rows}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the file's schema up to date, in one transaction (one process migrates)."""
    conn.execute("BEGIN IMMEDIATE")  # two processes creating one file: one migrates
    try:
        if not schema_is_current(conn):
            db = sqlite_utils_module().Database(
                conn, execute_plugins=False, recursive_triggers=False
            )
            migrations().apply(db)  # inside our transaction: savepoints, one commit
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _schema(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(type, name) → its SQL with the spacing folded, for every table, index, trigger and
    view of the file except SQLite's own."""
    return {
        (kind, name): " ".join((sql or "").split())
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    }


@functools.cache
def expected_schema() -> dict[tuple[str, str], str]:
    """The schema of a new database made by the migrations (computed once, in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        return _schema(conn)
    finally:
        conn.close()


_KINDS = {"table": "bảng", "index": "chỉ mục", "trigger": "trigger", "view": "khung nhìn"}


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """Each way the file's tables, indexes and triggers differ from the app's (Vietnamese
    lines); empty when the schema is exactly the one the migrations make."""
    found, expected = _schema(conn), expected_schema()
    lines = []
    for (kind, name), sql in sorted(found.items()):
        what = f"{_KINDS.get(kind, kind)} {name}"
        if (kind, name) not in expected:
            lines.append(f"Cơ sở dữ liệu có {what} lạ mà tinnhiem không tạo ra.")
        elif expected[(kind, name)] != sql:
            lines.append(f"Cơ sở dữ liệu có {what} đã bị thay khác với bản tinnhiem tạo ra.")
    for kind, name in sorted(expected.keys() - found.keys()):
        if kind != "trigger":  # missing triggers: verify's own line names them
            lines.append(f"Cơ sở dữ liệu thiếu {_KINDS.get(kind, kind)} {name}.")
    return lines
