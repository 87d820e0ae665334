"""PINs: the board's PIN of each poll and the administrator's PIN, slow-hashed, with every
guess kept so that brute force stays infeasible without letting strangers lock anyone out.

A PIN is kept as ``hashlib.scrypt`` (``SCHEME``) of a 16-byte random salt and compared in
constant time. It is never exported and never in the audit log: setting a poll's PIN
appends ``pin_set`` with the SHA-256 of the stored hash, so ``verify`` sees a hash replaced
by hand. Every guess is a row of the append-only ``pin_guesses`` table. Limits, per
client (the browser's address, or its session when the address is unknown):

- the fifth wrong PIN within 10 minutes makes that client wait 30 s, each further wrong
  one doubles the wait, up to 15 minutes; a right PIN resets that client's count;
- all clients together get at most ``WRONG_PER_HOUR`` wrong guesses per PIN in any hour;
  past that, clients that never gave the right PIN wait — but the server's own machine
  (loopback) and clients that gave it before do not: strangers cannot lock the board out.

LAN mode (``TINNHIEM_LAN=1``, set by ``tinnhiem app --lan``) needs PINs of at least
``LAN_MIN_DIGITS`` digits; README's Access section gives the arithmetic.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
import sqlite3
import time

from tinnhiem.lifecycle import Action
from tinnhiem.storage import moves, rows
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import PinLocked, StoreError
from tinnhiem.storage.records import AuditEntry, now
from tinnhiem.words import number

PIN_PATTERN = re.compile(r"[0-9]{4,12}")
MIN_DIGITS, LAN_MIN_DIGITS = 4, 6
SCHEME = "scrypt:16384:8:1"  # n, r, p as stored beside each hash
FREE_FAILURES = 4  # wrong PINs a client may give before it waits; the fifth makes it wait
WINDOW_S = 600  # a client's failures further apart than this start a new count
FIRST_WAIT_S = 30
MAX_WAIT_S = 900
WRONG_PER_HOUR = 30  # wrong guesses of one PIN per hour, all untrusted clients together
ADMIN = "admin"  # the target of the administrator's PIN in pin_guesses
DEMO_ACTOR = "minh họa"
_LOOPBACK = ("127.0.0.1", "::1", "localhost")
_ACCESS_TABLES = ("pins", "pin_guesses", "imports", "admin_pin")

_clock = time.time  # wall clock: shared by every process on the file (tests replace it)


def lan_mode() -> bool:
    """True when the app serves the hall network (``tinnhiem app --lan``)."""
    return os.environ.get("TINNHIEM_LAN") == "1"


def min_digits() -> int:
    """The shortest PIN accepted now: LAN_MIN_DIGITS in LAN mode, else MIN_DIGITS."""
    return LAN_MIN_DIGITS if lan_mode() else MIN_DIGITS


def check_pin_format(pin: object) -> str:
    """The PIN as given when it is min_digits() to 12 digits; StoreError (Vietnamese) else."""
    shortest = min_digits()
    if not isinstance(pin, str) or not PIN_PATTERN.fullmatch(pin) or len(pin) < shortest:
        lan = " (chế độ mạng nội bộ cần mã dài hơn)" if shortest > MIN_DIGITS else ""
        raise StoreError(
            f"Mã PIN phải gồm từ {shortest} đến 12 chữ số (0–9), không có chữ hay dấu cách{lan}."
        )
    return pin


def pin_hash(pin: str, salt: bytes, scheme: str | None = None) -> bytes:
    """The slow hash of a PIN under a scheme ``scrypt:n:r:p`` (default: SCHEME, read now)."""
    name, n, r, p = (SCHEME if scheme is None else scheme).split(":")
    if name != "scrypt":
        raise StoreError(f"Không nhận ra cách lưu mã PIN “{scheme}”.")
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=32)


def pin_digest(scheme: str, salt: bytes, hashed: bytes) -> str:
    """What the audit chain records of a stored PIN: SHA-256 of its scheme, salt and hash."""
    return hashlib.sha256(scheme.encode() + b":" + salt + b":" + hashed).hexdigest()


def wait_after(failures: int) -> int:
    """Seconds a client waits after this many wrong attempts in a row (0: none)."""
    if failures <= FREE_FAILURES:
        return 0
    return min(FIRST_WAIT_S * 2 ** (failures - FREE_FAILURES - 1), MAX_WAIT_S)


def _run(times: list[float]) -> tuple[int, float]:
    """(failures in the current run, end of the wait) of one client's wrong attempts.

    A run ends 10 minutes after its first failure (while not yet waiting) or 10 minutes
    after its last wait ended.
    """
    failures, first, until = 0, 0.0, 0.0
    for at in times:
        if failures == 0 or at - (first if failures <= FREE_FAILURES else until) > WINDOW_S:
            failures, first = 1, at
        else:
            failures += 1
        until = at + wait_after(failures)
    return failures, until


def _minutes(wait_s: int) -> str:
    return f" (khoảng {number(math.ceil(wait_s / 60))} phút)" if wait_s >= 60 else ""


def _locked_message(failures: int, wait_s: int) -> str:
    return (
        f"Đã nhập sai mã PIN {number(failures)} lần liên tiếp. Hãy chờ {number(wait_s)} giây"
        f"{_minutes(wait_s)} rồi thử lại; mỗi lần sai tiếp theo thời gian chờ tăng gấp đôi "
        "(tối đa 15 phút)."
    )


def _crowd_message(wait_s: int) -> str:
    return (
        f"Trong một giờ qua đã có {number(WRONG_PER_HOUR)} lần nhập sai mã PIN này từ các máy "
        f"trong mạng. Máy này hãy chờ {number(wait_s)} giây{_minutes(wait_s)} rồi thử lại; máy "
        "chủ và các máy đã mở khóa đúng trước đó vẫn vào được."
    )


def is_loopback(client: str) -> bool:
    """True for the server's own machine (its clients cannot be strangers on the network)."""
    return client in _LOOPBACK


def _limit(conn: sqlite3.Connection, target: str, client: str, since: float) -> PinLocked | None:
    """The PinLocked to raise when ``client`` must wait before guessing ``target`` again."""
    at = _clock()
    guesses = conn.execute(
        "SELECT client, at, accepted FROM pin_guesses WHERE target = ? AND rowid > ? "
        "ORDER BY at, rowid",
        (target, since),
    ).fetchall()
    mine = [g for g in guesses if g["client"] == client]
    last_right = max((g["at"] for g in mine if g["accepted"]), default=None)
    failures, until = _run([g["at"] for g in mine if not g["accepted"] and (
        last_right is None or g["at"] > last_right)])  # fmt: skip
    if until > at:
        return PinLocked(_locked_message(failures, math.ceil(until - at)), math.ceil(until - at))
    if is_loopback(client) or last_right is not None:
        return None
    crowd = [
        g["at"]
        for g in guesses
        if not g["accepted"] and not is_loopback(g["client"]) and g["at"] > at - 3600
    ]
    if len(crowd) >= WRONG_PER_HOUR:
        wait_s = max(1, math.ceil(crowd[-WRONG_PER_HOUR] + 3600 - at))
        return PinLocked(_crowd_message(wait_s), wait_s)
    return None


def _last_guess(conn: sqlite3.Connection) -> int:
    """The newest guess's row: a PIN set now counts only the guesses after it."""
    return conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM pin_guesses").fetchone()[0]


class Access:
    """The board's PIN of each poll and the administrator's PIN, in one database file."""

    def __init__(self, pool: Pool):
        self._pool = pool

    # -- setting -----------------------------------------------------------------------

    def write_pin(self, conn: sqlite3.Connection, poll_id: int, pin: str, actor: str) -> None:
        """Store the PIN's hash (its count of failures starts again) and log its digest,
        inside the caller's write transaction ``conn``."""
        salt = secrets.token_bytes(16)
        hashed = pin_hash(pin, salt)
        conn.execute(
            "INSERT OR REPLACE INTO pins (poll_id, scheme, salt, hash, set_at, digits, "
            "guesses_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (poll_id, SCHEME, salt, hashed, now(), len(pin), _last_guess(conn)),
        )
        conn.execute("UPDATE polls SET demo = 0 WHERE id = ? AND demo = 1", (poll_id,))
        rows.append(conn, poll_id, actor, Action.PIN_SET, {"pin": pin_digest(SCHEME, salt, hashed)})

    def set_pin(self, poll_id: int, pin: str, actor: str = "") -> None:
        """Set or replace the poll's PIN, in any state but locked.

        Raises StoreError when the PIN is not min_digits()–12 digits, PollLocked,
        PollNotFound. The caller checks the old PIN first when replacing one.
        """
        check_pin_format(pin)
        with self._pool.write() as conn:
            moves.writable(conn, poll_id, Action.PIN_SET)
            self.write_pin(conn, poll_id, pin, actor)

    def set_admin_pin(self, pin: str) -> None:
        """Set the administrator's PIN (creating and importing polls need it)."""
        check_pin_format(pin)
        salt = secrets.token_bytes(16)
        with self._pool.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO admin_pin VALUES (1, ?, ?, ?, ?, ?, ?)",
                (SCHEME, salt, pin_hash(pin, salt), len(pin), now(), _last_guess(conn)),
            )

    # -- reading -----------------------------------------------------------------------

    def has_pin(self, poll_id: int) -> bool:
        """True when the poll has a PIN; raises PollNotFound."""
        return self.pin_digits(poll_id) is not None

    def pin_digits(self, poll_id: int) -> int | None:
        """How many digits the poll's PIN has (0: set by an older version; None: no PIN)."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute("SELECT digits FROM pins WHERE poll_id = ?", (poll_id,)).fetchone()
        return None if found is None else found[0] or 0

    def admin_digits(self) -> int | None:
        """How many digits the administrator's PIN has; None before the first start."""
        with self._pool.read() as conn:
            found = conn.execute("SELECT digits FROM admin_pin").fetchone()
        return None if found is None else found[0]

    # -- checking ----------------------------------------------------------------------

    def check_pin(self, poll_id: int, pin: str, client: str = "") -> bool:
        """True when ``pin`` is the poll's PIN (False when it has none).

        Raises PinLocked (with ``wait_s``) on the wrong attempt that makes ``client`` wait
        and on every attempt while it waits, without looking at the PIN then. Raises
        PollNotFound.
        """
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            stored = conn.execute(
                "SELECT scheme, salt, hash, guesses_after FROM pins WHERE poll_id = ?", (poll_id,)
            ).fetchone()
        if stored is None:
            return False
        return self._guess(f"poll:{poll_id}", stored, pin, client)

    def check_admin_pin(self, pin: str, client: str = "") -> bool:
        """True when ``pin`` is the administrator's PIN (False before one is set); limited
        like ``check_pin``."""
        with self._pool.read() as conn:
            stored = conn.execute(
                "SELECT scheme, salt, hash, guesses_after FROM admin_pin"
            ).fetchone()
        if stored is None:
            return False
        return self._guess(ADMIN, stored, pin, client)

    def _guess(self, target: str, stored: sqlite3.Row, pin: str, client: str) -> bool:
        with self._pool.read() as conn:
            refusal = _limit(conn, target, client, stored["guesses_after"])
        if refusal is not None:
            raise refusal
        # The slow hash runs outside any transaction: it must not hold the write lock.
        given = pin if isinstance(pin, str) and PIN_PATTERN.fullmatch(pin) else ""
        right = hmac.compare_digest(
            pin_hash(given, stored["salt"], stored["scheme"]), stored["hash"]
        ) and bool(given)
        with self._pool.write() as conn:
            refusal = _limit(conn, target, client, stored["guesses_after"])  # another tab's guess
            if refusal is None:
                conn.execute(
                    "INSERT INTO pin_guesses VALUES (?, ?, ?, ?)",
                    (target, client, _clock(), right),
                )
                if not right:  # the wrong guess that makes this client wait says so
                    refusal = _limit(conn, target, client, stored["guesses_after"])
        if refusal is not None:
            raise refusal
        return right


def pin_problems(conn: sqlite3.Connection, poll_id: int, audit: list[AuditEntry]) -> list[str]:
    """Where the poll's stored PIN disagrees with the last ``pin_set`` of its chain.

    ``pin_set`` entries that came in an imported file are not this machine's: only those
    after the import are compared. An entry of an older version carries no digest.
    """
    stored = conn.execute(
        "SELECT scheme, salt, hash FROM pins WHERE poll_id = ?", (poll_id,)
    ).fetchone()
    imported = conn.execute("SELECT head_seq FROM imports WHERE poll_id = ?", (poll_id,)).fetchone()
    after = imported[0] if imported else 0
    sets = [e for e in audit if e.action == "pin_set" and e.seq > after]
    if stored is None:
        if sets:
            return [
                f"Nhật ký ghi đã đặt mã PIN (mục {sets[-1].seq}) nhưng mã PIN không còn trong "
                "cơ sở dữ liệu: có người đã xóa nó bằng tay."
            ]
        return []
    if not sets:
        return ["Có mã PIN nhưng nhật ký không ghi lần đặt mã nào: mã đã được thêm bằng tay."]
    logged = sets[-1].payload.get("pin")
    if logged is not None and logged != pin_digest(*stored):
        return [
            f"Mã PIN trong cơ sở dữ liệu khác với lần đặt mã cuối trong nhật ký (mục "
            f"{sets[-1].seq}): có người đã thay mã PIN bằng tay."
        ]
    return []


def access_problems(conn: sqlite3.Connection, expected: tuple[str, ...]) -> list[str]:
    """Triggers on the PIN tables that the app did not make (one could drop every guess)."""
    marks = ",".join("?" * len(_ACCESS_TABLES))
    found = conn.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
        _ACCESS_TABLES,
    ).fetchall()
    foreign = sorted(r[0] for r in found if r[0] not in expected)
    if not foreign:
        return []
    return [
        f"Cơ sở dữ liệu có trigger lạ trên bảng mã PIN ({', '.join(foreign)}): có người đã "
        "sửa cấu trúc bằng tay."
    ]
