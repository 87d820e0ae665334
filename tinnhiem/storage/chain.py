"""The audit chain, pure: canonical forms, entry hashes, and the checks of a snapshot.

``verify()`` and import run the same checks: the chain links and hashes, the head kept
beside the chain, and a replay of the log against the stored tables.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from tinnhiem.lifecycle import transition
from tinnhiem.storage.records import (
    STATE_WORDS,
    AuditEntry,
    Snapshot,
    StoredBallot,
    ballot_payload,
    void_payload,
)
from tinnhiem.words import action, stage

GENESIS_HASH = "0" * 64


# json.dumps with these options builds a new encoder at each call; one is enough.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    """The one JSON text of a value that the audit chain hashes (sorted keys, no spaces)."""
    return _CANONICAL.encode(value)


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, payload: str) -> str:
    """sha256 of the previous hash followed by the canonical fields of one log entry.

    The poll id is left out on purpose: an exported chain stays valid when it is imported
    under a new id.
    """
    fields = canonical_json([seq, at, actor, action, payload])
    return hashlib.sha256((prev_hash + fields).encode("utf-8")).hexdigest()


def payload_of(text: str) -> dict:
    """A stored payload; text edited into something else is kept so its hash fails."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    return value if isinstance(value, dict) else {"(không đọc được)": text}


def _differences(table: dict, log: dict) -> str:
    keys = [k for k in log if table.get(k) != log.get(k)] + [k for k in table if k not in log]
    return "; ".join(f"{k}: “{table.get(k)}” ≠ “{log.get(k)}”" for k in keys)


def chain_problems(audit: list[AuditEntry], start: int = 1, prev: str = GENESIS_HASH) -> list[str]:
    """Where the links and hashes fail; ``start`` and ``prev``: the number the first entry
    should carry and the hash it should follow (a chain checked already up to it)."""
    problems = []
    for number, entry in enumerate(audit, start=start):
        if entry.seq != number:
            problems.append(
                f"Nhật ký: mục thứ {number} mang số {entry.seq} (có mục bị xóa hoặc đổi chỗ)."
            )
        if entry.prev_hash != prev:
            problems.append(
                f"Nhật ký mục {entry.seq}: không nối với mục trước (mục trước bị sửa, xóa "
                "hoặc đổi chỗ)."
            )
        payload = canonical_json(entry.payload)
        recomputed = entry_hash(
            entry.prev_hash, entry.seq, entry.at, entry.actor, entry.action, payload
        )
        if recomputed != entry.hash:
            problems.append(
                f"Nhật ký mục {entry.seq} ({action(entry.action)}): mã băm không khớp nội "
                "dung (mục này đã bị sửa)."
            )
        prev = entry.hash
    return problems


@dataclass
class Replay:
    """What the audit log says happened, fed entry by entry in order; ``copy`` and feed
    the entries added since to go on from a log replayed already."""

    setting: dict | None = None
    state: str | None = None
    mode: str | None = None
    totals: tuple[list[dict] | None, int] = (None, 0)
    logged: dict[int, dict] = field(default_factory=dict)
    logged_voids: dict[int, dict] = field(default_factory=dict)
    lock_entry: AuditEntry | None = None
    problems: list[str] = field(default_factory=list)  # entries out of order, unreadable

    def copy(self) -> Replay:
        # The payloads are never changed, only replaced: copying the dicts is enough.
        return replace(
            self,
            logged=dict(self.logged),
            logged_voids=dict(self.logged_voids),
            problems=list(self.problems),
        )

    def feed(self, entries: list[AuditEntry]) -> set[int]:
        """Replay ``entries``; the ballot numbers they log a ballot or a void of."""
        touched: set[int] = set()
        for entry in entries:
            payload = entry.payload
            if entry.action in ("create", "update"):
                self.setting = payload.get("setting")
            move = transition(self.state, entry.action)
            if move is None:
                state = self.state
                where = f"khi đợt lấy phiếu {STATE_WORDS[state]}" if state else "trước khi tạo đợt"
                self.problems.append(
                    f"Nhật ký mục {entry.seq}: việc {action(entry.action)} không thể làm "
                    f"{where} (nhật ký sai trình tự hoặc bị sửa)."
                )
            else:
                self.state = move.target
            if entry.action == "open":
                self.mode = payload.get("mode")
            elif entry.action in ("ballot", "void"):
                number = payload.get("entry_no")
                if not isinstance(number, int):
                    self.problems.append(f"Nhật ký mục {entry.seq}: không đọc được số phiếu.")
                elif entry.action == "ballot":
                    self.logged[number] = payload
                    touched.add(number)
                else:
                    self.logged_voids[number] = payload
                    touched.add(number)
            elif entry.action == "totals":
                self.totals = (payload.get("totals"), payload.get("invalid", 0))
            elif entry.action == "lock":
                self.lock_entry = entry
        return touched

    def table_problems(self, snap: Snapshot, only: set[int] | None = None) -> list[str]:
        """Where the stored tables disagree with the log replayed. ``only``: compare just
        these ballot numbers (``snap.ballots`` holds at least those stored) and leave the
        check that the numbers run from 1 to the caller."""
        problems: list[str] = []
        setting = self.setting
        if setting != snap.setting:
            detail = _differences(snap.setting, setting or {})
            problems.append(
                f"Thông tin đợt lấy phiếu trong cơ sở dữ liệu khác với nhật ký ({detail})."
            )
        state, mode = self.state, self.mode
        if (state, mode) != (snap.state, snap.mode):
            problems.append(
                f"Trạng thái ({stage(snap.state, snap.mode)}) khác với nhật ký "
                f"({stage(state, mode)})."
            )
        if snap.mode == "totals" and (snap.totals, snap.invalid) != self.totals:
            problems.append("Bảng kết quả tổng hợp khác với lần nhập cuối trong nhật ký.")
        logged, logged_voids = self.logged, self.logged_voids
        stored = {b.entry_no: b for b in snap.ballots}
        numbers = set(stored) | set(logged) if only is None else only
        for number in sorted(numbers):
            problems += _ballot_problems(number, stored.get(number), logged, logged_voids)
        voids_only = set(logged_voids) - set(logged) - set(stored)
        for number in sorted(voids_only if only is None else voids_only & only):
            problems.append(f"Nhật ký hủy phiếu số {number}, nhưng phiếu này không có.")
        kept = sorted(stored)
        if only is None and kept != list(range(1, len(kept) + 1)):
            problems.append("Số thứ tự phiếu trong bảng phiếu không liên tục từ 1.")
        return problems + self._lock_problems(snap)

    def _lock_problems(self, snap: Snapshot) -> list[str]:
        lock_entry = self.lock_entry
        problems = []
        if snap.state == "locked":
            if lock_entry is None or snap.lock_hash != lock_entry.hash:
                problems.append(
                    "Mã khóa của đợt lấy phiếu khác với mã băm của mục khóa trong nhật ký."
                )
            elif snap.audit[-1] is not lock_entry:
                problems.append("Nhật ký có mục ghi sau khi đợt lấy phiếu đã khóa.")
            if lock_entry is not None and snap.locked_at != lock_entry.at:
                problems.append(
                    f"Thời điểm khóa ghi trong đợt lấy phiếu ({snap.locked_at}) khác với thời "
                    f"điểm của mục khóa trong nhật ký ({lock_entry.at})."
                )
        elif snap.lock_hash is not None:
            problems.append("Đợt lấy phiếu chưa khóa nhưng lại mang mã khóa.")
        return problems


def _ballot_problems(
    number: int, ballot: StoredBallot | None, logged: dict, logged_voids: dict
) -> list[str]:
    if ballot is None:
        if number not in logged:
            return []
        return [
            f"Phiếu số {number}: có trong nhật ký nhưng không còn trong bảng phiếu (đã bị xóa)."
        ]
    if number not in logged:
        return [f"Phiếu số {number}: có trong bảng phiếu nhưng không có trong nhật ký."]
    problems = []
    if ballot_payload(ballot) != logged[number]:
        detail = _differences(ballot_payload(ballot), logged[number])
        problems.append(
            f"Phiếu số {number}: nội dung trong bảng phiếu khác với nhật ký ({detail})."
        )
    stored_void = void_payload(ballot) if ballot.voided else None
    if stored_void != logged_voids.get(number):
        problems.append(f"Phiếu số {number}: việc hủy phiếu trong cơ sở dữ liệu khác với nhật ký.")
    return problems


def head_problems(audit: list[AuditEntry], snap: Snapshot) -> list[str]:
    """Where the chain's last entry is not the head kept on the poll's row."""
    last = audit[-1]
    if (last.seq, last.hash) != (snap.head_seq, snap.head_hash):
        return [
            f"Nhật ký dừng ở mục {last.seq} nhưng đợt lấy phiếu ghi mục cuối là mục "
            f"{snap.head_seq} (các mục cuối đã bị xóa hoặc sửa)."
        ]
    return []


def check_snapshot(snap: Snapshot) -> list[str]:
    """Every problem of one poll's stored data against its audit chain (Vietnamese)."""
    return check_replayed(snap)[0]


def check_replayed(snap: Snapshot) -> tuple[list[str], Replay]:
    """``check_snapshot`` and the log's replay, to go on from when the chain grows."""
    replay = Replay()
    if not snap.audit:
        return ["Nhật ký kiểm toán trống: không có gì để đối chiếu."], replay
    replay.feed(snap.audit)
    problems = chain_problems(snap.audit) + head_problems(snap.audit, snap)
    return problems + replay.problems + replay.table_problems(snap), replay
