"""Connections to one database file: durable settings, and one transaction per call.

Streamlit runs each browser session in its own thread and several processes may write one
file, so every transaction gets a connection of its own. Writes run in ``BEGIN
IMMEDIATE`` transactions (the write lock first, so concurrent writers wait their turn
instead of failing with "database is locked") in WAL mode with ``synchronous=FULL``: when
a write commits, it is durable.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from tinnhiem.storage.errors import StoreError

BUSY_TIMEOUT_S = 60.0


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
    """The connections of one database file; ``read()`` and ``write()`` give one each."""

    def __init__(self, path: Path):
        self.path = path

    def connect(self) -> sqlite3.Connection:
        """A new connection with the store's settings (WAL is kept in the file itself)."""
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def bare(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit, for one statement that needs no snapshot."""
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (WAL readers never wait for writers)."""
        conn = self.connect()
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: the write lock first, so no writer ever deadlocks."""
        conn = self.connect()
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


class Connected:
    """What every part of the Store stands on: its file and that file's connections."""

    path: Path
    _pool: Pool

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._pool.read()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._pool.write()
