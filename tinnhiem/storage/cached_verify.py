"""verify() remembered by chain head and schema, for a page that reruns often."""

from __future__ import annotations

import threading

from tinnhiem.storage import migrate
from tinnhiem.storage.connections import Connected
from tinnhiem.storage.records import VerifyReport


class CachedVerify(Connected):
    """The Store's cached check of one poll (``verify`` is the Store's own)."""

    _verified: dict[tuple, VerifyReport]
    _verified_lock = threading.Lock()

    def verify_cached(self, poll_id: int) -> VerifyReport:
        """``verify(poll_id)``, remembered while the poll's chain head (last hash and
        number of entries) and the file's schema stay the same, so a page can show a break
        on every rerun without recomputing the chain. A row edited with the protecting
        triggers dropped and put back unchanged is seen only by ``verify()`` itself."""
        with self._read() as conn:
            last = conn.execute(
                "SELECT count(*), max(seq) FROM audit WHERE poll_id = ?", (poll_id,)
            ).fetchone()
            head = conn.execute(
                "SELECT hash FROM audit WHERE poll_id = ? AND seq = ?", (poll_id, last[1])
            ).fetchone()
            key = (poll_id, last[0], head[0] if head else "", migrate.schema_fingerprint(conn))
        with self._verified_lock:
            cache = self.__dict__.setdefault("_verified", {})
            report = cache.get(key)
        if report is None:
            report = self.verify(poll_id)
            with self._verified_lock:
                for old in [k for k in cache if k[0] == poll_id]:
                    del cache[old]
                cache[key] = report
        return report
