"""Connections to one database file: a small pool, durable settings, one transaction a call.

Streamlit runs each browser session in its own thread and several processes may write one
file. Each public call of the Store checks a connection out of the pool for its one
transaction and gives it back after: a connection is never used by two threads at once,
yet a ballot does not pay for opening one (and, with connections kept open, SQLite keeps
the WAL file instead of checkpointing and deleting it when the last connection closes,
which cost two more fsyncs per call). Writes run in ``BEGIN IMMEDIATE`` transactions (the
write lock first, so concurrent writers wait their turn instead of failing with "database
is locked") in WAL mode with ``synchronous=FULL``: when a write commits, it is durable.

A write that fails because the disk is full, the file read-only or gone raises
StorageUnavailable after a rollback: nothing of it is in the file. An open connection
keeps writing into its file even after that file was deleted or replaced at the path (the
operating system keeps it alive, unreachable), so each connection records which files it
opened (device and inode of the database and its -wal and -shm) and every checkout and
every commit checks them against the files now at the path.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NoReturn

from tinnhiem.storage.errors import StorageUnavailable, StoreError

BUSY_TIMEOUT_S = 60.0
IDLE_CONNECTIONS = 4  # kept open per Store; more threads at once open (and close) their own

# SQLite's primary result codes meaning "the file cannot take writes now", with what it
# means to the board and what they can do about it.
_UNAVAILABLE = {
    sqlite3.SQLITE_FULL: ("ổ đĩa đã đầy", "giải phóng ổ đĩa (xóa bớt tệp không cần)"),
    sqlite3.SQLITE_READONLY: (
        "tệp chỉ đọc (không có quyền ghi)",
        "cấp quyền ghi cho tệp và thư mục chứa nó, hoặc chép cơ sở dữ liệu sang ổ đĩa ghi được",
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "không mở được tệp (ổ đĩa bị rút, thư mục bị xóa hoặc không có quyền)",
        "cắm lại ổ đĩa hoặc kiểm tra thư mục chứa cơ sở dữ liệu",
    ),
    sqlite3.SQLITE_IOERR: ("lỗi đọc/ghi ổ đĩa", "kiểm tra ổ đĩa (hoặc chép dữ liệu sang ổ khác)"),
}


def unavailable(
    error: BaseException, path: Path, what: str | None, target: str = "vào cơ sở dữ liệu"
) -> StorageUnavailable | None:
    """StorageUnavailable for an error of the disk or the file, else None (a bug: re-raise).

    ``what`` names what was not saved ("Phiếu này"), None for a read; ``target`` what
    could not be written.
    """
    code = getattr(error, "sqlite_errorcode", None)
    if (
        code == sqlite3.SQLITE_CANTOPEN
        and path.parent.is_dir()
        and not os.access(path.parent, os.W_OK)
    ):
        code = sqlite3.SQLITE_READONLY  # a read-only folder: no WAL index can be made
    known = _UNAVAILABLE.get(code & 0xFF) if isinstance(code, int) else None
    if known is None:
        return None
    cause, fix = known
    if what is None:
        return StorageUnavailable(
            f"Không đọc được cơ sở dữ liệu: {cause} ({path}). Hãy {fix} rồi thử lại."
        )
    return StorageUnavailable(
        f"Không ghi được {target}: {cause} ({path}). {what} CHƯA được lưu; những "
        f"gì đã lưu trước đó vẫn còn nguyên. Hãy {fix} rồi thử lại."
    )


_SIDE_FILES = ("", "-wal", "-shm")


def _identity(path: str) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``; None when there is none, or when the file
    system gives no inode (0: the check is then skipped). On Windows the check is not
    needed: a file SQLite holds open cannot be deleted or replaced there."""
    if os.name == "posix":
        try:
            found = os.stat(path)
        except (OSError, ValueError):
            return None
        return (found.st_dev, found.st_ino) if found.st_ino else None
    return None


def _side_files(path: Path) -> tuple[str, ...]:
    """The database file and its -wal and -shm, as strings made once per pool: a page's
    rerun takes a connection ~10 times, and each take checks the three."""
    return tuple(os.fspath(path.with_name(path.name + side)) for side in _SIDE_FILES)


def _identities(files: tuple[str, ...]) -> list[tuple[int, int] | None]:
    return [_identity(file) for file in files]


def _uri_of_existing(path: Path) -> str | None:
    """An SQLite URI opening ``path`` only if it exists (``mode=rw``); None for a Windows
    network path (``\\\\server\\share``), which SQLite's URIs do not name: opened plainly."""
    absolute = path.absolute()
    if absolute.drive.startswith(("\\\\", "//")):
        return None
    return absolute.as_uri() + "?mode=rw"


class _Connection(sqlite3.Connection):
    """A connection that remembers the files it has open (see ``Pool.check``)."""

    files: list[tuple[int, int] | None]


def vanished(path: Path, what: str | None) -> StorageUnavailable:
    """The error of a database file no longer at its path (deleted, moved or replaced)."""
    where = (
        f"Tệp cơ sở dữ liệu {path} không còn ở chỗ cũ (đã bị xóa, đổi tên hoặc bị thay bằng "
        "tệp khác)"
    )
    fix = (
        "Hãy đặt lại tệp vào chỗ cũ hoặc khôi phục bản sao lưu gần nhất (tinnhiem restore), "
        "rồi mở lại ứng dụng"
    )
    if what is None:
        return StorageUnavailable(f"{where}; không đọc được dữ liệu. {fix}.")
    return StorageUnavailable(
        f"{where}; không lưu được: {what[:1].lower()}{what[1:]} CHƯA được lưu. {fix} và nhập lại."
    )


def use_wal(conn: sqlite3.Connection, path: Path) -> None:
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


class Pool:
    """The connections of one database file: ``read()``, ``write()`` and ``bare()`` each
    check one out for the caller's block and give it back after.

    At most ``idle_max`` connections wait idle; a connection that saw an SQLite error, or
    is somehow still in a transaction, is closed instead of going back. ``close()`` closes
    the idle ones; the pool stays usable (a later call opens a new connection).
    """

    def __init__(self, path: Path, idle_max: int = IDLE_CONNECTIONS):
        self.path = path
        self.idle_max = idle_max
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._open_existing = _uri_of_existing(path)
        self._files = _side_files(path)
        self._local = threading.local()  # .conn: this thread's open write, if any (``write``)

    def connect(self, create: bool = False) -> sqlite3.Connection:
        """A new connection with the store's settings (WAL is kept in the file itself).

        Only ``create`` makes a missing file (the Store's first connection); later ones
        open the file that is there, so a deleted file is not silently made anew empty.
        """
        uri = None if create else self._open_existing
        conn = sqlite3.connect(
            uri or self.path,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
            uri=uri is not None,
        )
        try:
            conn.files = _identities(self._files)
            return self.prepare(conn)
        except BaseException:
            conn.close()
            raise

    def current(self, conn: sqlite3.Connection) -> bool:
        """True while the files ``conn`` opened are still the ones at the path.

        A file the connection had not seen yet (the -wal before its first transaction) is
        recorded now; a file system without inodes is not checked.
        """
        files = getattr(conn, "files", None)
        if files is None:
            return True
        now = _identities(self._files)
        for index, (seen, found) in enumerate(zip(files, now, strict=True)):
            if seen is None:
                files[index] = found
            elif found != seen:
                return False
        return True

    def check(self, conn: sqlite3.Connection, what: str | None) -> None:
        """StorageUnavailable (``vanished``) when ``conn``'s files are no longer at the path."""
        if not self.current(conn):
            raise vanished(self.path, what)

    @staticmethod
    def prepare(conn: sqlite3.Connection) -> sqlite3.Connection:
        """Set the store's PRAGMAs on a new connection, once for its life."""
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def give(self, conn: sqlite3.Connection) -> None:
        """Put a healthy connection (outside any transaction) back, or close it if full."""
        if not conn.in_transaction:
            with self._lock:
                if len(self._idle) < self.idle_max:
                    self._idle.append(conn)
                    return
        conn.close()

    def idle(self) -> int:
        """How many connections wait idle now."""
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        """Close every idle connection (one checked out now goes back when its call ends)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _take(self, what: str | None) -> sqlite3.Connection:
        """An idle connection on the file now at the path, or a new one."""
        with self._lock:
            idle = self._idle.pop() if self._idle else None
        if idle is not None:
            if self.current(idle):
                return idle
            # Its files are gone or replaced: this call is refused and every idle connection
            # closed (all of them point at the old files; closing the last one also moves
            # what a deleted -wal held into the database file). The next call opens anew.
            idle.close()
            self.close()
            raise vanished(self.path, what)
        if self.path.parent.is_dir() and not self.path.exists():
            raise vanished(self.path, what)  # (a folder gone too: CANTOPEN says so below)
        try:
            return self.connect()
        except sqlite3.Error as error:
            mapped = unavailable(error, self.path, what)
            if mapped is None:
                raise
            raise mapped from error

    def _failed(self, conn: sqlite3.Connection, error: BaseException, what: str | None) -> NoReturn:
        """Roll back after ``error`` and keep or close the connection; raise ``error``, or
        the StorageUnavailable that stands for it."""
        _rollback(conn)
        mapped = None
        if isinstance(error, sqlite3.Error) or not self.current(conn):
            conn.close()  # it saw an SQLite error, or its file is gone: never reused
            mapped = unavailable(error, self.path, what)
        elif isinstance(error, Exception) and not conn.in_transaction:
            self.give(conn)  # a refusal of ours: the connection itself is fine
        else:
            conn.close()
        if mapped is None:
            raise error
        raise mapped from error

    # bare and _transaction share one shape (take, run, give back or fail) rather than nest
    # one inside the other: add_ballot goes through one of them per ballot.

    def bare(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection in autocommit, for one statement that needs no snapshot."""
        if getattr(self._local, "conn", None) is not None:
            return self._within()
        return self._bare()

    @contextmanager
    def _bare(self) -> Iterator[sqlite3.Connection]:
        conn = self._take(None)
        try:
            yield conn
        except BaseException as error:
            self._failed(conn, error, None)
        self.give(conn)

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (WAL readers never wait for writers)."""
        if getattr(self._local, "conn", None) is not None:
            return self._within()
        return self._transaction("BEGIN", None)

    def write(self, what: str = "Thay đổi vừa rồi") -> AbstractContextManager[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: the write lock first, so no writer ever deadlocks.

        Committed (durable) when the block ends; rolled back when it raises. ``what`` names
        what was not saved in the StorageUnavailable message.

        Inside another ``write`` of the same thread (several calls stored as one, e.g. a
        scanned batch: ``Store.as_one``) it is a savepoint of that transaction: its block
        undone alone when it raises (a refusal the caller catches), and nothing of any of
        them durable until the outermost block commits; a ``read`` or ``bare`` there uses
        the same connection, so it sees what the transaction wrote.
        """
        if getattr(self._local, "conn", None) is not None:
            return self._savepoint(self._local.conn)
        return self._transaction("BEGIN IMMEDIATE", what)

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        depth = self._local.depth = self._local.depth + 1
        name = f"inner_{depth}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:  # (an SQLite error may have ended it: the outer fails)
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._local.depth = depth - 1
        conn.execute(f"RELEASE {name}")

    @contextmanager
    def _within(self) -> Iterator[sqlite3.Connection]:
        """This thread's open write's connection, for a read or a bare statement in it."""
        yield self._local.conn

    @contextmanager
    def _transaction(self, begin: str, what: str | None) -> Iterator[sqlite3.Connection]:
        conn = self._take(what)
        writing = what is not None
        try:
            conn.execute(begin)
            if writing:
                self._local.conn, self._local.depth = conn, 0
            try:
                yield conn
            finally:
                if writing:
                    self._local.conn = None
            if writing:  # a write: never commit into a file nobody can reach
                self.check(conn, what)
            conn.execute("COMMIT")
        except BaseException as error:
            self._failed(conn, error, what)
        self.give(conn)


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back whatever is open; a failing rollback leaves the connection to be closed."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass
