"""Scanned batches: what the audit log keeps of a batch of ballot images read in the app.

A batch is logged once, when the board confirms it, as one ``scan`` entry: the images'
SHA-256 hashes (the image bytes are not stored), the pages read and what became of them,
and every doubtful row a person decided (page, row, what the reader saw, what was decided,
by whom, when). The ballots themselves are stored as the pass of a stack (``stacks``) or
as ballots of a single-entry poll (``counting``); this entry names where they went.
"""

from __future__ import annotations

from tinnhiem.lifecycle import Action
from tinnhiem.storage import moves, rows
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import BallotRefused
from tinnhiem.storage.typed import ACTOR, typed

_DECISION_KEYS = {"page", "row", "decided", "by", "at"}


def _checked(record: dict) -> dict:
    """``record`` when it has what a scanned batch must say; BallotRefused otherwise."""
    images = record.get("images")
    decisions = record.get("decisions")
    if not isinstance(images, list) or not images:
        raise BallotRefused("Lô phiếu quét không có ảnh nào.")
    for image in images:
        digest = image.get("sha256") if isinstance(image, dict) else None
        if not isinstance(digest, str) or len(digest) != 64:
            raise BallotRefused("Lô phiếu quét thiếu mã SHA-256 của một ảnh.")
    if not isinstance(decisions, list):
        raise BallotRefused("Lô phiếu quét thiếu danh sách các quyết định.")
    for decision in decisions:
        if not isinstance(decision, dict) or not set(decision) >= _DECISION_KEYS:
            raise BallotRefused("Một quyết định của lô phiếu quét thiếu trang, dòng hoặc người.")
    return record


class Scans:
    """The scanned batches of the polls of one database file (audit entries only)."""

    def __init__(self, pool: Pool):
        self._pool = pool

    def record_batch(self, poll_id: int, record: dict, actor: str = "") -> None:
        """Log a confirmed batch (``images`` with their ``sha256``, ``decisions`` each with
        ``page``, ``row``, ``decided``, ``by``, ``at``; anything else it says is kept as
        given). A record whose ``batch`` token is logged already is not logged again. Only
        while counting; BallotRefused for a record that lacks those."""
        actor = typed(actor, ACTOR, BallotRefused)
        payload = _checked(dict(record))
        with self._pool.write() as conn:
            moves.writable(conn, poll_id, Action.SCAN)
            logged = [
                e.payload for e in rows.audit_entries(conn, poll_id) if e.action == Action.SCAN
            ]
            token = payload.get("batch")
            if token is not None and any(p.get("batch") == token for p in logged):
                return  # this batch was logged by an earlier try (its confirm retried)
            rows.append(conn, poll_id, actor, Action.SCAN, {"batch_no": len(logged) + 1, **payload})

    def scan_batches(self, poll_id: int) -> list[dict]:
        """Every batch logged for the poll, oldest first, as its entry's payload."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            return [e.payload for e in rows.audit_entries(conn, poll_id) if e.action == Action.SCAN]
