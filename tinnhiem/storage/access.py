"""The counting board's PIN: a salted slow hash, and wrong attempts limited in the file.

The PIN is kept as ``hashlib.scrypt`` (n=2**14, r=8, p=1) of a 16-byte random salt, and
compared in constant time. It is never exported and never in the audit log (the log says
only that a PIN was set). Wrong attempts are counted in the database, so every tab and
every process on the file shares one limit: the fifth wrong PIN within 10 minutes locks
the PIN for 30 s, each further wrong one doubles the wait, up to 15 minutes; a right PIN
resets the count.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import sqlite3
import time

from tinnhiem.storage import rows
from tinnhiem.storage.connections import Connected
from tinnhiem.storage.errors import PinLocked, StoreError
from tinnhiem.storage.records import now

PIN_PATTERN = re.compile(r"[0-9]{4,12}")
SCHEME = "scrypt:16384:8:1"  # n, r, p as stored beside each hash
FREE_FAILURES = 4  # wrong PINs allowed before the lock; the fifth locks
WINDOW_S = 600  # failures further apart than this start a new count
FIRST_WAIT_S = 30
MAX_WAIT_S = 900

_clock = time.time  # wall clock: shared by every process on the file (tests replace it)


def check_pin_format(pin: object) -> str:
    """The PIN as given when it is 4 to 12 digits; StoreError (Vietnamese) otherwise."""
    if not isinstance(pin, str) or not PIN_PATTERN.fullmatch(pin):
        raise StoreError("Mã PIN phải gồm từ 4 đến 12 chữ số (0–9), không có chữ hay dấu cách.")
    return pin


def pin_hash(pin: str, salt: bytes, scheme: str | None = None) -> bytes:
    """The slow hash of a PIN under a scheme ``scrypt:n:r:p`` (default: SCHEME, read now)."""
    name, n, r, p = (SCHEME if scheme is None else scheme).split(":")
    if name != "scrypt":
        raise StoreError(f"Không nhận ra cách lưu mã PIN “{scheme}”.")
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=32)


def wait_after(failures: int) -> int:
    """Seconds the PIN stays locked after this many wrong attempts in a row (0: not locked)."""
    if failures <= FREE_FAILURES:
        return 0
    return min(FIRST_WAIT_S * 2 ** (failures - FREE_FAILURES - 1), MAX_WAIT_S)


def _locked_message(failures: int, wait_s: int) -> str:
    minutes = f" (khoảng {math.ceil(wait_s / 60)} phút)" if wait_s >= 60 else ""
    return (
        f"Đã nhập sai mã PIN {failures} lần liên tiếp. Hãy chờ {wait_s} giây{minutes} rồi "
        "thử lại; mỗi lần sai tiếp theo thời gian chờ tăng gấp đôi (tối đa 15 phút)."
    )


class Access(Connected):
    """The Store's methods for the board's PIN."""

    def _write_pin(self, conn: sqlite3.Connection, poll_id: int, pin: str, actor: str) -> None:
        """Store the PIN's hash, forget past failures and log that a PIN was set."""
        salt = secrets.token_bytes(16)
        conn.execute(
            "INSERT OR REPLACE INTO pins VALUES (?, ?, ?, ?, ?)",
            (poll_id, SCHEME, salt, pin_hash(pin, salt), now()),
        )
        conn.execute("DELETE FROM pin_attempts WHERE poll_id = ?", (poll_id,))
        rows.append(conn, poll_id, actor, "pin_set", {})

    def set_pin(self, poll_id: int, pin: str, actor: str = "") -> None:
        """Set or replace the poll's PIN, in any state but locked.

        Raises StoreError when the PIN is not 4–12 digits, PollLocked, PollNotFound. The
        caller checks the old PIN first when replacing one.
        """
        check_pin_format(pin)
        with self._write() as conn:
            rows.writable(conn, poll_id, "setup", "counting", "closed")
            self._write_pin(conn, poll_id, pin, actor)

    def has_pin(self, poll_id: int) -> bool:
        """True when the poll has a PIN; raises PollNotFound."""
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute("SELECT 1 FROM pins WHERE poll_id = ?", (poll_id,)).fetchone()
        return found is not None

    def check_pin(self, poll_id: int, pin: str) -> bool:
        """True when ``pin`` is the poll's PIN (False when it has none).

        A right PIN resets the count of wrong ones. Raises PinLocked (with ``wait_s``) on
        the wrong attempt that locks the PIN and on every attempt while it is locked,
        without looking at the PIN then. Raises PollNotFound.
        """
        with self._read() as conn:
            rows.poll_row(conn, poll_id)
            stored = conn.execute(
                "SELECT scheme, salt, hash FROM pins WHERE poll_id = ?", (poll_id,)
            ).fetchone()
            self._refuse_while_locked(conn, poll_id, _clock())
        if stored is None:
            return False
        # The slow hash runs outside any transaction: it must not hold the write lock.
        given = pin if isinstance(pin, str) and PIN_PATTERN.fullmatch(pin) else ""
        right = hmac.compare_digest(
            pin_hash(given, stored["salt"], stored["scheme"]), stored["hash"]
        ) and bool(given)
        with self._write() as conn:
            at = _clock()
            self._refuse_while_locked(conn, poll_id, at)  # another tab may have locked it
            if right:
                conn.execute("DELETE FROM pin_attempts WHERE poll_id = ?", (poll_id,))
                return True
            failures = self._count_failure(conn, poll_id, at)
        wait_s = wait_after(failures)
        if wait_s:
            raise PinLocked(_locked_message(failures, wait_s), wait_s)
        return False

    @staticmethod
    def _refuse_while_locked(conn: sqlite3.Connection, poll_id: int, at: float) -> None:
        row = conn.execute(
            "SELECT failures, locked_until FROM pin_attempts WHERE poll_id = ?", (poll_id,)
        ).fetchone()
        if row is not None and row["locked_until"] > at:
            wait_s = math.ceil(row["locked_until"] - at)
            raise PinLocked(_locked_message(row["failures"], wait_s), wait_s)

    @staticmethod
    def _count_failure(conn: sqlite3.Connection, poll_id: int, at: float) -> int:
        """Record one wrong PIN; returns the failures counted in the current run."""
        row = conn.execute(
            "SELECT failures, first_failure, locked_until FROM pin_attempts WHERE poll_id = ?",
            (poll_id,),
        ).fetchone()
        # A run of failures ends 10 minutes after its first (while not yet locked) or 10
        # minutes after its last lock ended.
        if row is None or (
            at - (row["first_failure"] if row["failures"] <= FREE_FAILURES else row["locked_until"])
            > WINDOW_S
        ):
            failures, first = 1, at
        else:
            failures, first = row["failures"] + 1, row["first_failure"]
        locked_until = at + wait_after(failures)
        conn.execute(
            "INSERT OR REPLACE INTO pin_attempts VALUES (?, ?, ?, ?)",
            (poll_id, failures, first, locked_until),
        )
        return failures
