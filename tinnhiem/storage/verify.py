"""Verification: every audit chain recomputed and replayed against the stored tables.

``verify`` reads the whole file; ``verify_cached`` remembers its answer for one poll while
the poll's chain head and the file's schema stay the same, for a page that reruns often.
"""

from __future__ import annotations

import threading

from tinnhiem import words
from tinnhiem.storage import migrate, rows
from tinnhiem.storage.access import access_problems, pin_problems
from tinnhiem.storage.chain import check_snapshot
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.records import VerifyReport
from tinnhiem.storage.schema import TRIGGER_NAMES


class Verifier:
    """The checks of one database file's chains, tables, triggers and schema."""

    def __init__(self, pool: Pool):
        self._pool = pool
        self._cache: dict[tuple, VerifyReport] = {}
        self._cache_lock = threading.Lock()

    def verify(self, poll_id: int | None = None) -> VerifyReport:
        """Recompute every audit chain (or one poll's) and cross-check the stored tables."""
        problems: list[str] = []
        head, entries = "", 0
        with self._pool.read() as conn:
            present = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            }
            missing = [name for name in TRIGGER_NAMES if name not in present]
            if missing:
                problems.append(
                    f"Cơ sở dữ liệu thiếu {words.number(len(missing))} trigger bảo vệ "
                    f"({', '.join(missing[:3])}{'…' if len(missing) > 3 else ''}): có người đã "
                    "sửa cấu trúc bằng tay."
                )
            problems += migrate.schema_differences(conn)
            problems += access_problems(conn, TRIGGER_NAMES)
            if poll_id is None:
                ids = [r[0] for r in conn.execute("SELECT id FROM polls ORDER BY id")]
            else:
                ids = [poll_id]
            orphans = conn.execute(
                "SELECT DISTINCT poll_id FROM audit WHERE poll_id NOT IN (SELECT id FROM polls)"
            ).fetchall()
            for orphan in orphans:
                problems.append(
                    f"Nhật ký của đợt lấy phiếu số {orphan[0]} còn đó nhưng đợt này đã bị xóa."
                )
            for number in ids:
                snap = rows.read_snapshot(conn, number)
                prefix = f"Đợt lấy phiếu số {number} — " if poll_id is None else ""
                found = check_snapshot(snap) + pin_problems(conn, number, snap.audit)
                problems += [prefix + p for p in found]
                entries += len(snap.audit)
                if snap.audit:
                    head = snap.audit[-1].hash
        return VerifyReport(
            ok=not problems, problems=tuple(problems), head_hash=head, entries=entries
        )

    def verify_cached(self, poll_id: int) -> VerifyReport:
        """``verify(poll_id)``, remembered while the poll's chain head (last hash and
        number of entries) and the file's schema stay the same, so a page can show a break
        on every rerun without recomputing the chain. A row edited with the protecting
        triggers dropped and put back unchanged is seen only by ``verify()`` itself."""
        with self._pool.read() as conn:
            last = conn.execute(
                "SELECT count(*), max(seq) FROM audit WHERE poll_id = ?", (poll_id,)
            ).fetchone()
            head = conn.execute(
                "SELECT hash FROM audit WHERE poll_id = ? AND seq = ?", (poll_id, last[1])
            ).fetchone()
            key = (poll_id, last[0], head[0] if head else "", migrate.schema_fingerprint(conn))
        with self._cache_lock:
            report = self._cache.get(key)
        if report is None:
            report = self.verify(poll_id)
            with self._cache_lock:
                for old in [k for k in self._cache if k[0] == poll_id]:
                    del self._cache[old]
                self._cache[key] = report
        return report
