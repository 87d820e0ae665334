"""verify_cached going on from its last check while a poll is counting: the same answer as
a full verify() after every move and every kind of tampering (tinnhiem.storage.verify)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store, verify
from tinnhiem.storage.chain import entry_hash


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "tinnhiem.db")


@pytest.fixture
def carried_on(monkeypatch) -> list[int]:
    """The entries each check verify_cached() carried on from its last one had reached."""
    calls: list[int] = []
    real = verify._go_on

    def counted(conn, poll_id, checked, key):
        found = real(conn, poll_id, checked, key)
        if found is not None:
            calls.append(key[0])
        return found

    monkeypatch.setattr(verify, "_go_on", counted)
    return calls


def counting(store: Store, ballots: int = 5) -> int:
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=40, present=40),
        issued=40,
        collected=40,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị B", "Ủy viên")),
    )
    poll_id = store.create_poll(poll, actor="thư ký", pin="1234")
    store.open_count(poll_id, actor="thư ký")
    for _ in range(ballots):
        store.add_ballot(poll_id, "12", station="Máy 1")
    return poll_id


def raw(store: Store, script: str, *params) -> None:
    """Write behind the app's back, the Store left open."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        if params:
            conn.execute(script, params)
        else:
            conn.executescript(script)
    finally:
        conn.close()


def behind_trigger(store: Store, trigger: str, statement: str) -> None:
    """Run ``statement`` with ``trigger`` dropped, then put the trigger back as it was."""
    conn = sqlite3.connect(store.path)
    kept = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (trigger,)).fetchone()
    conn.close()
    raw(store, f"DROP TRIGGER {trigger};{statement};{kept[0]};")


def forged_entry(store: Store, poll_id: int, action: str, payload: dict) -> None:
    """An entry appended with a right hash and the poll's head moved, as only someone who
    knows the chain's rules could (the backups' comparison is what catches this)."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        seq, prev = conn.execute(
            "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
        ).fetchone()
        at = "2026-01-01T00:00:00+07:00"
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = entry_hash(prev, seq + 1, at, "kẻ gian", action, text)
        conn.execute(
            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (poll_id, seq + 1, at, "kẻ gian", action, text, prev, digest),
        )
        conn.execute(
            "UPDATE polls SET head_seq = ?, head_hash = ? WHERE id = ?", (seq + 1, digest, poll_id)
        )
    finally:
        conn.close()


def test_a_growing_chain_is_checked_from_where_it_was_with_verifys_answer(store, carried_on):
    """Ballots, voids and corrections each give verify()'s report, with one full check."""
    poll_id = counting(store, ballots=8)
    assert store.verify_cached(poll_id).ok
    moves = [
        lambda: store.add_ballot(poll_id, "21", station="Máy 2"),
        lambda: store.void_ballot(poll_id, 2, "Nhập nhầm", actor="thư ký"),
        lambda: store.correct_ballot(poll_id, 3, "X", "Đọc sai", actor="thư ký"),
        lambda: store.add_ballot(poll_id, "X", station="Máy 1"),
        lambda: store.void_ballot(poll_id, 9, "Trùng", actor="thư ký"),
        lambda: store.correct_ballot(poll_id, 11, "11", "Đọc sai", actor="thư ký"),
    ]
    for move in moves:
        move()
        cached = store.verify_cached(poll_id)
        assert cached.ok and cached == store.verify(poll_id)
    assert len(carried_on) == len(moves)


def test_closing_the_count_is_a_full_check(store, carried_on):
    """A closed poll is checked in full once, then remembered."""
    poll_id = counting(store)
    store.verify_cached(poll_id)
    store.close_count(poll_id, actor="thư ký", reason="Hết giờ")
    assert store.verify_cached(poll_id).ok
    assert store.verify_cached(poll_id).ok
    assert carried_on == []


TAMPERING = {
    "a void row written for an old ballot": (
        "INSERT INTO voids VALUES (?, 2, 'lén', 'kẻ gian', '2026-01-01T00:00:00+07:00')",
        "việc hủy phiếu",
    ),
    "a ballot row with no entry in the log": (
        "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, entered_at) "
        "VALUES (?, 6, '11', 'Máy 9', 'kẻ gian', '2026-01-01T00:00:00+07:00')",
        "không có trong nhật ký",
    ),
    "a ballot row numbered 0": (  # carried on, found out of order, then checked in full
        "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, entered_at) "
        "VALUES (?, 0, '11', 'Máy 9', 'kẻ gian', '2026-01-01T00:00:00+07:00')",
        "không liên tục",
    ),
    "the title changed": ("UPDATE polls SET title = 'Khác' WHERE id = ?", "Thông tin đợt"),
    "the head moved": ("UPDATE polls SET head_hash = 'ab' WHERE id = ?", "Nhật ký dừng"),
}


@pytest.mark.parametrize("what", TAMPERING)
def test_tampering_between_two_ballots_is_seen_with_verifys_words(store, carried_on, what):
    """Rows written behind the app's back between two checks give verify()'s problems."""
    script, words = TAMPERING[what]
    poll_id = counting(store)
    assert store.verify_cached(poll_id).ok
    if what == "the head moved":  # after a new entry: the chain grew, its head did not
        forged_entry(store, poll_id, "update", {"setting": {}})
        raw(store, script, poll_id)
    else:
        raw(store, script, poll_id)
        store.add_ballot(poll_id, "11", station="Máy 1")
    cached = store.verify_cached(poll_id)
    assert not cached.ok and any(words in p for p in cached.problems)
    assert cached == store.verify(poll_id)
    assert len(carried_on) == (what != "a ballot row numbered 0")


def test_forged_entries_are_replayed_like_verify_does(store, carried_on):
    """An entry of the right hash that names a ballot not stored, or comes out of order."""
    poll_id = counting(store)
    store.verify_cached(poll_id)
    payload = {"entry_no": 3, "marks": "22", "station": "Máy 1", "entered_by": "kẻ gian"}
    forged_entry(store, poll_id, "ballot", {**payload, "entered_at": "x", "replaces": None})
    forged_entry(store, poll_id, "create", {"setting": {}})
    cached = store.verify_cached(poll_id)
    assert any("Phiếu số 3" in p for p in cached.problems)
    assert any("không thể làm" in p for p in cached.problems)
    assert cached == store.verify(poll_id)
    assert len(carried_on) == 1


def test_a_changed_schema_is_a_full_check(store, carried_on):
    """A trigger dropped: verify() in full, which names it."""
    poll_id = counting(store)
    store.verify_cached(poll_id)
    raw(store, "DROP TRIGGER ballots_no_update;")
    store.add_ballot(poll_id, "11", station="Máy 1")
    report = store.verify_cached(poll_id)
    assert not report.ok and any("ballots_no_update" in p for p in report.problems)
    assert carried_on == []


def test_a_rewritten_last_checked_entry_is_a_full_check(store, carried_on):
    """The entry checked last rewritten (triggers dropped and put back as they were)."""
    poll_id = counting(store)
    checked = store.verify_cached(poll_id)
    behind_trigger(
        store, "audit_no_update", f"UPDATE audit SET hash = 'ab' WHERE seq = {checked.entries}"
    )
    store.add_ballot(poll_id, "11", station="Máy 1")
    report = store.verify_cached(poll_id)
    assert report == store.verify(poll_id)
    assert any(f"mục {checked.entries}" in p for p in report.problems)
    assert carried_on == []


def test_an_old_ballot_rewritten_behind_dropped_triggers_is_a_full_check(store, carried_on):
    """Ballot 2 rewritten with its trigger dropped and put back exactly as it was: the
    schema looks the same, but SQLite's schema version rose, so the check starts again
    from the first entry and finds the ballot that differs from its log entry."""
    poll_id = counting(store)
    assert store.verify_cached(poll_id).ok
    edit = f"UPDATE ballots SET marks = '33' WHERE poll_id = {poll_id} AND entry_no = 2"
    behind_trigger(store, "ballots_no_update", edit)
    store.add_ballot(poll_id, "11", station="Máy 1")
    report = store.verify_cached(poll_id)
    assert not report.ok and any("Phiếu số 2" in p for p in report.problems)
    assert report == store.verify(poll_id)
    assert carried_on == []
