"""Scanned batches: what the audit log keeps of a batch of ballot images read in the app.

A batch is logged once, when the board confirms it, as one ``scan`` entry: the images'
SHA-256 hashes (the image files themselves go in the table ``scan_images``, in the same
transaction, since migration 0013; ``verify`` checks they still hash to the entry), the
pages read and what became of them, and every doubtful row a person decided (page, row,
what the reader saw, what was decided, by whom, when). The ballots themselves are stored
as the pass of a stack (``stacks``) or as ballots of a single-entry poll (``counting``);
this entry names where they went.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from tinnhiem import problems as P
from tinnhiem.lifecycle import Action
from tinnhiem.storage import moves, rows
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import BallotRefused
from tinnhiem.storage.records import now
from tinnhiem.storage.typed import ACTOR, typed


@dataclass(frozen=True)
class ScanImage:
    """One image file of a confirmed batch, as kept with the poll."""

    sha256: str
    name: str
    media_type: str
    data: bytes


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

    def record_batch(
        self, poll_id: int, record: dict, actor: str = "", files: Sequence[ScanImage] = ()
    ) -> None:
        """Log a confirmed batch (``images`` with their ``sha256``, ``decisions`` each with
        ``page``, ``row``, ``decided``, ``by``, ``at``; anything else it says is kept as
        given) and keep its image ``files`` (each listed in ``images``), in one
        transaction. A record whose ``batch`` token is logged already is not logged again,
        nor its files kept twice. Only while counting; BallotRefused for a record that lacks
        those, or a file whose bytes do not hash to its ``sha256`` or that is not listed."""
        actor = typed(actor, ACTOR, BallotRefused)
        payload = _checked(dict(record))
        listed = {image["sha256"] for image in payload["images"]}
        for file in files:
            if hashlib.sha256(file.data).hexdigest() != file.sha256 or file.sha256 not in listed:
                raise BallotRefused(str(P.SCAN_IMAGE_NOT_LISTED(file=file.name)))
        if files:
            payload["images_kept"] = True
        with self._pool.write() as conn:
            moves.writable(conn, poll_id, Action.SCAN)
            logged = [
                e.payload for e in rows.audit_entries(conn, poll_id) if e.action == Action.SCAN
            ]
            token = payload.get("batch")
            if token is not None and any(p.get("batch") == token for p in logged):
                return  # this batch was logged by an earlier try (its confirm retried)
            rows.append(conn, poll_id, actor, Action.SCAN, {"batch_no": len(logged) + 1, **payload})
            for file in files:
                conn.execute(
                    "INSERT OR IGNORE INTO scan_images (poll_id, sha256, name, media_type, size,"
                    " data, batch, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (poll_id, file.sha256, file.name, file.media_type, len(file.data),
                     file.data, str(token or ""), now()),
                )  # fmt: skip

    def batch_record(self, poll_id: int, token: str) -> dict | None:
        """The logged record of the batch ``token``, None while it is not stored."""
        found = [p for p in self.scan_batches(poll_id) if p.get("batch") == token]
        return found[0] if found else None

    def scan_batches(self, poll_id: int) -> list[dict]:
        """Every batch logged for the poll, oldest first, as its entry's payload."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            return [e.payload for e in rows.audit_entries(conn, poll_id) if e.action == Action.SCAN]

    def image_count(self, poll_id: int) -> int:
        """How many image files are kept for the poll (one indexed count, no bytes read)."""
        with self._pool.read() as conn:
            row = conn.execute("SELECT COUNT(*) FROM scan_images WHERE poll_id = ?", (poll_id,))
            return int(row.fetchone()[0])

    def kept_hashes(self, poll_id: int) -> set[str]:
        """The SHA-256 of every image kept for the poll (no bytes read)."""
        with self._pool.read() as conn:
            found = conn.execute("SELECT sha256 FROM scan_images WHERE poll_id = ?", (poll_id,))
            return {row[0] for row in found}

    def images(self, poll_id: int) -> dict[str, ScanImage]:
        """The poll's kept image files, by SHA-256."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            return {i.sha256: i for i in kept_images(conn, poll_id)}


def kept_images(conn: sqlite3.Connection, poll_id: int, only: set | None = None) -> list[ScanImage]:
    """The image files kept for the poll (those of the SHA-256 hashes ``only``, if given),
    in the order they were stored."""
    where, params = "", tuple[str, ...]()
    if only is not None:
        params = tuple(sorted(str(digest) for digest in only))
        where = f" AND sha256 IN ({', '.join('?' * len(params))})"
    found = conn.execute(
        f"SELECT sha256, name, media_type, data FROM scan_images WHERE poll_id = ?{where} "
        "ORDER BY stored_at, sha256",
        (poll_id, *params),
    )
    return [ScanImage(r[0], r[1], r[2], bytes(r[3])) for r in found]


def image_problems(audit: list, kept: list[ScanImage]) -> list[str]:
    """Where a kept image of a ``scan`` entry is missing or its bytes changed (Vietnamese)."""

    by_hash = {image.sha256: image for image in kept}
    found = []
    for entry in audit:
        if entry.action != Action.SCAN or not entry.payload.get("images_kept"):
            continue  # a batch confirmed before migration 0013 kept no image
        for image in entry.payload.get("images", []):
            name, digest = str(image.get("name", "")), image.get("sha256")
            stored = by_hash.get(digest)
            if stored is None:
                found.append(
                    str(P.SCAN_IMAGE_MISSING(file=name, batch=entry.payload.get("batch_no")))
                )
            elif hashlib.sha256(stored.data).hexdigest() != digest:
                found.append(
                    str(P.SCAN_IMAGE_CHANGED(file=name, batch=entry.payload.get("batch_no")))
                )
    return found
