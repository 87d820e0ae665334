"""The audit chain, pure: canonical forms, entry hashes, and the checks of a snapshot.

``verify()`` and import run the same checks: the chain links and hashes, the head kept
beside the chain, and a replay of the log against the stored tables.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tinnhiem.lifecycle import transition
from tinnhiem.storage.records import (
    STATE_WORDS,
    AuditEntry,
    Snapshot,
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


def _chain_problems(audit: list[AuditEntry]) -> list[str]:
    problems = []
    prev = GENESIS_HASH
    for number, entry in enumerate(audit, start=1):
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


def _replay_problems(snap: Snapshot) -> list[str]:
    """Where the stored tables disagree with what the audit log says happened."""
    problems: list[str] = []
    setting: dict | None = None
    state, mode = None, None
    totals: tuple[list[dict] | None, int] = (None, 0)
    logged: dict[int, dict] = {}
    logged_voids: dict[int, dict] = {}
    lock_entry: AuditEntry | None = None
    for entry in snap.audit:
        payload = entry.payload
        if entry.action in ("create", "update"):
            setting = payload.get("setting")
        move = transition(state, entry.action)
        if move is None:
            where = f"khi đợt lấy phiếu {STATE_WORDS[state]}" if state else "trước khi tạo đợt"
            problems.append(
                f"Nhật ký mục {entry.seq}: việc {action(entry.action)} không thể làm {where} "
                "(nhật ký sai trình tự hoặc bị sửa)."
            )
        else:
            state = move.target
        if entry.action == "open":
            mode = payload.get("mode")
        elif entry.action in ("ballot", "void"):
            number = payload.get("entry_no")
            if not isinstance(number, int):
                problems.append(f"Nhật ký mục {entry.seq}: không đọc được số phiếu.")
            elif entry.action == "ballot":
                logged[number] = payload
            else:
                logged_voids[number] = payload
        elif entry.action == "totals":
            totals = (payload.get("totals"), payload.get("invalid", 0))
        elif entry.action == "lock":
            lock_entry = entry
    if setting != snap.setting:
        detail = _differences(snap.setting, setting or {})
        problems.append(f"Thông tin đợt lấy phiếu trong cơ sở dữ liệu khác với nhật ký ({detail}).")
    if (state, mode) != (snap.state, snap.mode):
        problems.append(
            f"Trạng thái ({stage(snap.state, snap.mode)}) khác với nhật ký ({stage(state, mode)})."
        )
    if snap.mode == "totals" and (snap.totals, snap.invalid) != totals:
        problems.append("Bảng kết quả tổng hợp khác với lần nhập cuối trong nhật ký.")
    stored = {b.entry_no: b for b in snap.ballots}
    for number in sorted(set(stored) | set(logged)):
        if number not in stored:
            problems.append(
                f"Phiếu số {number}: có trong nhật ký nhưng không còn trong bảng phiếu (đã bị xóa)."
            )
            continue
        if number not in logged:
            problems.append(f"Phiếu số {number}: có trong bảng phiếu nhưng không có trong nhật ký.")
            continue
        ballot = stored[number]
        if ballot_payload(ballot) != logged[number]:
            detail = _differences(ballot_payload(ballot), logged[number])
            problems.append(
                f"Phiếu số {number}: nội dung trong bảng phiếu khác với nhật ký ({detail})."
            )
        stored_void = void_payload(ballot) if ballot.voided else None
        if stored_void != logged_voids.get(number):
            problems.append(
                f"Phiếu số {number}: việc hủy phiếu trong cơ sở dữ liệu khác với nhật ký."
            )
    for number in sorted(set(logged_voids) - set(logged) - set(stored)):
        problems.append(f"Nhật ký hủy phiếu số {number}, nhưng phiếu này không có.")
    numbers = sorted(stored)
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("Số thứ tự phiếu trong bảng phiếu không liên tục từ 1.")
    if snap.state == "locked":
        if lock_entry is None or snap.lock_hash != lock_entry.hash:
            problems.append("Mã khóa của đợt lấy phiếu khác với mã băm của mục khóa trong nhật ký.")
        elif snap.audit[-1] is not lock_entry:
            problems.append("Nhật ký có mục ghi sau khi đợt lấy phiếu đã khóa.")
        if lock_entry is not None and snap.locked_at != lock_entry.at:
            problems.append(
                f"Thời điểm khóa ghi trong đợt lấy phiếu ({snap.locked_at}) khác với thời điểm "
                f"của mục khóa trong nhật ký ({lock_entry.at})."
            )
    elif snap.lock_hash is not None:
        problems.append("Đợt lấy phiếu chưa khóa nhưng lại mang mã khóa.")
    return problems


def check_snapshot(snap: Snapshot) -> list[str]:
    """Every problem of one poll's stored data against its audit chain (Vietnamese)."""
    if not snap.audit:
        return ["Nhật ký kiểm toán trống: không có gì để đối chiếu."]
    problems = _chain_problems(snap.audit)
    last = snap.audit[-1]
    if (last.seq, last.hash) != (snap.head_seq, snap.head_hash):
        problems.append(
            f"Nhật ký dừng ở mục {last.seq} nhưng đợt lấy phiếu ghi mục cuối là mục "
            f"{snap.head_seq} (các mục cuối đã bị xóa hoặc sửa)."
        )
    return problems + _replay_problems(snap)
