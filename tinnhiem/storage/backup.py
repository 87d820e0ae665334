"""Backups with SQLite's online backup API, and a restore that checks the chain first.

A backup is one self-contained file (rollback journal, no WAL beside it) written under a
temporary name, synced, then renamed: a crash leaves either no backup or a whole one. A
restore accepts only an SQLite file of this application whose ``verify()`` passes; it
backs up the current database first, then replaces its content in one step.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tinnhiem.storage.connections import Pool, unavailable
from tinnhiem.storage.errors import StoreError
from tinnhiem.storage.migrate import schema_differences
from tinnhiem.storage.opening import open_pool
from tinnhiem.storage.schema import MIGRATION_SET
from tinnhiem.storage.verify import Verifier
from tinnhiem.words import number

SQLITE_HEADER = b"SQLite format 3\x00"


def file_stamp() -> str:
    """Now as a backup file's name carries it: ``20261202-103205`` (sorts by time)."""
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _fsync(path: Path) -> None:
    # Windows cannot open a folder to flush it (NTFS journals the rename itself), and it
    # flushes a file only through a handle open for writing.
    if os.name == "nt":
        if path.is_dir():
            return
        fd = os.open(path, os.O_RDWR)
    else:
        fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """Copy the database of ``source`` (outside any transaction) into a new file ``dest``."""
    part = dest.with_name(dest.name + ".part")
    try:
        target = sqlite3.connect(part, isolation_level=None)
        try:
            source.backup(target)  # all pages in one step: one consistent snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # one file, readable anywhere
        finally:
            target.close()
        _fsync(part)
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _fsync(dest.parent)


def check_is_tinnhiem(path: Path, shown: Path) -> None:
    """StoreError unless ``path`` is an SQLite database with tinnhiem's migrations."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(f"Tệp {shown} không phải cơ sở dữ liệu SQLite; không khôi phục.")
    conn = sqlite3.connect(path)
    try:
        names = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
            )
        }
    except sqlite3.DatabaseError:
        names = set()
    finally:
        conn.close()
    if "0001_initial" not in names:
        raise StoreError(
            f"Tệp {shown} là cơ sở dữ liệu SQLite nhưng không phải của tinnhiem; không khôi phục."
        )


def check_schema(candidate: Pool, shown: Path) -> None:
    """StoreError unless the (migrated) database has exactly the app's tables, indexes and
    triggers."""
    with candidate.bare() as conn:
        differences = schema_differences(conn)
    if differences:
        listed = "\n".join(f"- {d}" for d in differences)
        raise StoreError(
            f"Không khôi phục từ {shown}: cấu trúc của tệp khác với cấu trúc tinnhiem tạo ra "
            f"(có người đã sửa bằng tay):\n{listed}"
        )


RESTORE_PREFIX = ".tinnhiem-khoi-phuc-"
_STARTED = time.time()


def remove_leftovers(db: Path) -> None:
    """Remove what killed backups (``backups/*.db.part``) and killed restores (folders
    ``.tinnhiem-khoi-phuc-*`` beside the database) left behind — only our own names, and
    only those older than this process, so another process's work in progress stays."""
    found = [*(db.parent / "backups").glob("*.db.part"), *db.parent.glob(RESTORE_PREFIX + "*")]
    for path in found:
        try:
            if path.stat().st_mtime >= _STARTED:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.is_file():
                path.unlink()
        except OSError:  # cannot clean now: the next start tries again
            continue


class Backups:
    """Backups of one database file, and its restore from one."""

    def __init__(self, pool: Pool):
        self._pool = pool

    def default_backup_path(self, poll_id: int | None = None, label: str = "") -> Path:
        """backups/<db name>-YYYYmmdd-HHMMSS[-<poll>][-<label>].db beside the database,
        with -2, -3 … added when that name is taken."""
        stamp = file_stamp()
        db = self._pool.path
        parts = [db.stem, stamp]
        parts += [str(poll_id)] if poll_id is not None else []
        parts += [label] if label else []
        folder = db.parent / "backups"
        path = folder / f"{'-'.join(parts)}.db"
        number = 2
        while path.exists():
            path = folder / f"{'-'.join(parts)}-{number}.db"
            number += 1
        return path

    def backup(
        self, dest: str | Path | None = None, *, poll_id: int | None = None, label: str = ""
    ) -> Path:
        """Copy the whole database into ``dest`` (default: ``default_backup_path``); returns
        the file written. The copy is consistent even while ballots are being entered.

        Raises StoreError when ``dest`` exists, StorageUnavailable when it cannot be written.
        """
        path = Path(dest) if dest is not None else self.default_backup_path(poll_id, label)
        if path.exists():
            raise StoreError(f"Tệp {path} đã có; chọn tên khác cho bản sao lưu.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"Không tạo được thư mục {path.parent}: {error.strerror}.") from error
        with self._pool.bare() as conn:
            try:
                copy_database(conn, path)
            except sqlite3.Error as error:  # the copy's side: the database itself is intact
                mapped = unavailable(error, path, "Bản sao lưu", target="bản sao lưu")
                if mapped is None:
                    raise
                raise mapped from error
            except OSError as error:
                raise StoreError(f"Không ghi được bản sao lưu {path}: {error.strerror}.") from error
        return path

    def restore(self, src: str | Path) -> Path:
        """Replace the whole database with the backup ``src``; returns the backup of the
        database as it was just before.

        Refused (StoreError, nothing changed) when ``src`` is not an SQLite database of
        tinnhiem, or when its ``verify()`` finds a problem (each one listed). A backup of
        an older schema is brought up to date on a copy first.
        """
        source = Path(src)
        if not source.is_file():
            raise StoreError(f"Không có tệp {source}; không khôi phục.")
        with tempfile.TemporaryDirectory(prefix=RESTORE_PREFIX, dir=self._pool.path.parent) as work:
            copy = Path(work) / "restore.db"
            shutil.copyfile(source, copy)
            wal = source.with_name(source.name + "-wal")
            if wal.exists():  # a live database copied by hand: its last commits are there
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            check_is_tinnhiem(copy, source)
            candidate = open_pool(copy)
            try:
                check_schema(candidate, source)
                report = Verifier(candidate).verify()
                if not report.ok:
                    listed = "\n".join(f"- {p}" for p in report.problems)
                    raise StoreError(
                        f"Không khôi phục từ {source}: tệp không qua được kiểm tra nhật ký "
                        f"kiểm toán ({number(len(report.problems))} vấn đề):\n{listed}"
                    )
                before = self.backup(label="truoc-khoi-phuc")
                with candidate.bare() as conn, self._pool.bare() as target:
                    conn.backup(target)  # one step: readers see the old file or the new
            finally:
                candidate.close()
        return before
