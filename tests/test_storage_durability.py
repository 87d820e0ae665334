"""The store keeps every acknowledged ballot and shows every change made behind its back.

Raw SQL against a locked poll is refused by the database itself; a database file edited
by hand fails ``verify``; a writer killed with SIGKILL at random moments loses nothing it
acknowledged and leaves a chain that verifies.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from db_dump import dump

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import TRIGGER_NAMES, Store, entry_hash

ROOT = Path(__file__).resolve().parent.parent


def poll(collected: int = 6, officials: int = 2) -> Poll:
    """A poll with ``officials`` officials and room for ``collected`` ballots."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=tuple(Official(f"Người {n}", "Ủy viên") for n in range(1, officials + 1)),
        title="Kiểm tra độ bền",
    )


def raw(path: Path, sql: str, parameters: tuple = ()) -> None:
    """Run one statement with the plain sqlite3 module, as a person with the file could."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql, parameters)
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "tinnhiem.db")


@pytest.fixture
def locked(store: Store) -> int:
    """A locked poll with three ballots, one voided."""
    poll_id = store.create_poll(poll(3), actor="thư ký")
    store.open_count(poll_id)
    for marks in ("12", "23", "31"):
        store.add_ballot(poll_id, marks)
    store.void_ballot(poll_id, 2, "đọc nhầm")
    store.close_count(poll_id, reason="một phiếu hủy")
    store.lock(poll_id)
    return poll_id


# -- the database itself refuses ------------------------------------------------------

_LOCKED_WRITES = {
    "update poll": "UPDATE polls SET collected = 99 WHERE id = :p",
    "unlock poll": "UPDATE polls SET state = 'counting' WHERE id = :p",
    "delete poll": "DELETE FROM polls WHERE id = :p",
    "insert official": (
        "INSERT INTO officials (poll_id, list_no, name, position) VALUES (:p, 9, 'Mới', '')"
    ),
    "update official": "UPDATE officials SET name = 'Khác' WHERE poll_id = :p",
    "delete official": "DELETE FROM officials WHERE poll_id = :p",
    "insert board": "INSERT INTO board VALUES (:p, 9, 'Mới', 'member')",
    "insert ballot": "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, "
    "entered_at) VALUES (:p, 4, '11', '', '', '2024-01-01')",
    "update ballot": "UPDATE ballots SET marks = '33' WHERE poll_id = :p",
    "delete ballot": "DELETE FROM ballots WHERE poll_id = :p AND entry_no = 3",
    "insert void": "INSERT INTO voids VALUES (:p, 1, 'x', '', '2024-01-01')",
    "delete void": "DELETE FROM voids WHERE poll_id = :p",
    "insert totals": "INSERT INTO totals VALUES (:p, 1, '{}')",
    "insert audit": "INSERT INTO audit VALUES (:p, 99, '', '', 'x', '{}', '', '')",
    "update audit": "UPDATE audit SET actor = 'khác' WHERE poll_id = :p",
    "delete audit": "DELETE FROM audit WHERE poll_id = :p",
}


@pytest.mark.parametrize("sql", _LOCKED_WRITES.values(), ids=_LOCKED_WRITES.keys())
def test_raw_sql_cannot_change_a_locked_poll(store, locked, sql):
    """UPDATE, DELETE and INSERT through the sqlite3 module are refused for a locked poll."""
    before = dump(store.path)
    with pytest.raises(sqlite3.IntegrityError, match=r"đã khóa|chỉ được ghi thêm"):
        raw(store.path, sql, {"p": locked})
    assert dump(store.path) == before
    assert store.verify().ok


def test_raw_sql_cannot_rewrite_ballots_or_the_log_of_an_open_poll(store):
    """Even before locking, ballots, voids and log rows can only be added, never changed."""
    poll_id = store.create_poll(poll())
    store.open_count(poll_id)
    store.add_ballot(poll_id, "11")
    store.void_ballot(poll_id, 1, "sai")
    for sql in (
        "UPDATE ballots SET marks = '22'",
        "DELETE FROM ballots",
        "UPDATE voids SET reason = 'khác'",
        "DELETE FROM voids",
        "UPDATE audit SET actor = 'khác'",
        "DELETE FROM audit WHERE seq = 3",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
            raw(store.path, sql)
    assert store.verify().ok


@pytest.mark.usefixtures("locked")
def test_other_polls_stay_writable_next_to_a_locked_one(store):
    """The lock concerns one poll: another poll in the same file still takes ballots."""
    other = store.create_poll(poll())
    store.open_count(other)
    assert store.add_ballot(other, "22").entry_no == 1
    assert store.verify().ok


# -- a hand-edited file fails verify ----------------------------------------------------


def tamper(path: Path, *statements: str) -> None:
    """Edit the file as an attacker would: drop the protecting triggers, then write."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for name in TRIGGER_NAMES:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def counted(store: Store) -> int:
    """A poll with six distinct ballots, the fourth voided and corrected."""
    poll_id = store.create_poll(poll(6), actor="thư ký")
    store.open_count(poll_id)
    for marks in ("11", "12", "13", "21", "22"):
        store.add_ballot(poll_id, marks, station="Máy 1", entered_by="An")
    store.correct_ballot(poll_id, 4, "23", "đọc nhầm", actor="Bình")
    return poll_id


_EDITS: dict[str, tuple[tuple[str, ...], str]] = {
    "ballot changed": (
        ("UPDATE ballots SET marks = '33' WHERE entry_no = 2",),
        r"Phiếu số 2: nội dung trong bảng phiếu khác với nhật ký \(marks: “33” ≠ “12”\)",
    ),
    "ballot station changed": (
        ("UPDATE ballots SET station = 'Máy 9' WHERE entry_no = 1",),
        r"Phiếu số 1: nội dung .* \(station: “Máy 9” ≠ “Máy 1”\)",
    ),
    "ballot deleted": (
        ("DELETE FROM ballots WHERE entry_no = 3",),
        r"Phiếu số 3: có trong nhật ký nhưng không còn trong bảng phiếu",
    ),
    "ballots swapped": (
        (
            "UPDATE ballots SET marks = CASE entry_no WHEN 1 THEN '12' ELSE '11' END "
            "WHERE entry_no IN (1, 2)",
        ),
        r"Phiếu số 1: nội dung .*marks: “12” ≠ “11”",
    ),
    "ballot added": (
        (
            "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, entered_at) "
            "VALUES (1, 7, '11', '', '', '2024-01-01')",
        ),
        r"Phiếu số 7: có trong bảng phiếu nhưng không có trong nhật ký",
    ),
    "void deleted": (
        ("DELETE FROM voids WHERE entry_no = 4",),
        r"Phiếu số 4: việc hủy phiếu trong cơ sở dữ liệu khác với nhật ký",
    ),
    "log entry deleted": (
        ("DELETE FROM audit WHERE seq = 4",),
        r"Nhật ký mục 5: không nối với mục trước",
    ),
    "log entry and its ballot deleted": (
        ("DELETE FROM audit WHERE seq = 9", "DELETE FROM ballots WHERE entry_no = 6"),
        r"Nhật ký dừng ở mục 8 nhưng đợt lấy phiếu ghi mục cuối là mục 9",
    ),
    "log payload edited": (
        ("UPDATE audit SET payload = replace(payload, '\"12\"', '\"33\"') WHERE seq = 4",),
        r"Nhật ký mục 4 \(nhập một phiếu\): mã băm không khớp nội dung",
    ),
    "log payload made unreadable": (
        ("UPDATE audit SET payload = 'not json' WHERE seq = 5",),
        r"Nhật ký mục 5 \(nhập một phiếu\): mã băm không khớp nội dung",
    ),
    "log entries swapped": (
        (
            "UPDATE audit SET seq = -seq WHERE seq IN (3, 4)",
            "UPDATE audit SET seq = 4 WHERE seq = -3",
            "UPDATE audit SET seq = 3 WHERE seq = -4",
        ),
        r"Nhật ký mục 3 \(nhập một phiếu\): mã băm không khớp|không nối với mục trước",
    ),
    "official renamed": (
        ("UPDATE officials SET name = 'Người khác' WHERE list_no = 1",),
        r"Thông tin đợt lấy phiếu trong cơ sở dữ liệu khác với nhật ký",
    ),
    "collected changed": (
        ("UPDATE polls SET collected = 5",),
        r"Thông tin đợt lấy phiếu .*collected: “5” ≠ “6”",
    ),
    "state changed": (
        ("UPDATE polls SET state = 'closed'",),
        r"Trạng thái \(đã kết thúc kiểm phiếu, nhập từng phiếu\) khác với nhật ký \(đang kiểm "
        r"phiếu, nhập từng phiếu\)",
    ),
}


@pytest.mark.parametrize(("statements", "message"), _EDITS.values(), ids=_EDITS.keys())
@pytest.mark.usefixtures("counted")
def test_hand_edited_database_fails_verify(store, statements, message):
    """Each edit, deletion or reordering of ballots or log entries is named by verify."""
    assert store.verify().ok
    tamper(store.path, *statements)
    report = store.verify()
    assert not report.ok
    assert any("thiếu" in p and "trigger" in p for p in report.problems)
    assert any(re.search(message, p) for p in report.problems), report.problems


def test_a_changed_lock_hash_fails_verify(store, locked):
    """Replacing the hash recorded at locking is detected."""
    tamper(store.path, f"UPDATE polls SET lock_hash = '{'ab' * 32}' WHERE id = {locked}")
    report = store.verify(locked)
    assert "Mã khóa của đợt lấy phiếu khác với mã băm của mục khóa trong nhật ký." in (
        report.problems
    )


def test_an_entry_appended_after_the_lock_fails_verify(store, locked):
    """A log entry slipped in after the lock entry is reported, even with a valid link."""
    last = store.audit_log(locked)[-1]
    forged = entry_hash(last.hash, last.seq + 1, last.at, "kẻ gian", "note", "{}")
    tamper(
        store.path,
        f"INSERT INTO audit VALUES ({locked}, {last.seq + 1}, '{last.at}', 'kẻ gian', 'note', "
        f"'{{}}', '{last.hash}', '{forged}')",
    )
    assert "Nhật ký có mục ghi sau khi đợt lấy phiếu đã khóa." in store.verify(locked).problems


def test_edited_totals_fail_verify(store):
    """Hand-count totals changed (or made unreadable) after they were entered are detected."""
    poll_id = store.create_poll(poll(6))
    store.open_count(poll_id, mode="totals")
    store.set_totals(poll_id, [{"high": 3, "confidence": 2, "low": 1}] * 2)
    tamper(store.path, "UPDATE totals SET counts = '{\"high\":1}' WHERE row_no = 2")
    message = "Bảng kết quả tổng hợp khác với lần nhập cuối trong nhật ký."
    assert message in store.verify(poll_id).problems
    tamper(store.path, "UPDATE totals SET counts = 'không phải JSON' WHERE row_no = 2")
    assert message in store.verify(poll_id).problems


def test_verify_names_the_poll_when_checking_all(store, counted):
    """Checking every poll prefixes each problem with the poll's number."""
    store.create_poll(poll())
    tamper(store.path, "UPDATE ballots SET marks = '33' WHERE entry_no = 2")
    assert any(
        p.startswith(f"Đợt lấy phiếu số {counted} — Phiếu số 2") for p in store.verify().problems
    )


# -- SIGKILL at random moments ----------------------------------------------------------

WRITER = """
import sys
from tinnhiem.storage import Store

store, poll_id = Store(sys.argv[1]), int(sys.argv[2])
number, last = 0, None
while True:
    number += 1
    marks = "123"[number % 3] + "0123"[number % 4]
    if number % 5 == 0 and last is not None:
        ballot = store.correct_ballot(poll_id, last, marks, "sửa", station="k")
    else:
        ballot = store.add_ballot(poll_id, marks, station="k", entered_by="w")
        last = ballot.entry_no
    # Printed only once add_ballot has returned: an acknowledged ballot.
    print(ballot.entry_no, ballot.marks, ballot.replaces or 0, flush=True)
"""


def _acknowledged(output: bytes) -> list[tuple[int, str, int]]:
    lines = output.decode().split("\n")[:-1]  # a line cut by the kill has no newline
    return [(int(n), marks, int(replaces)) for n, marks, replaces in map(str.split, lines)]


def _kill_at_random(path: Path, poll_id: int, rng: random.Random) -> list[tuple[int, str, int]]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(poll_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    first = writer.stdout.readline()  # the writer is in its loop: kill it mid-stream
    time.sleep(rng.uniform(0.0, 0.3))
    os.kill(writer.pid, signal.SIGKILL)
    output, errors = writer.communicate()
    assert writer.returncode == -signal.SIGKILL, errors.decode()
    return _acknowledged(first + output)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_ballot(tmp_path):
    """24 writers killed with SIGKILL mid-stream: every acknowledged ballot survives intact."""
    path = tmp_path / "killed.db"
    store = Store(path)
    poll_id = store.create_poll(poll(100_000), actor="thư ký")
    store.open_count(poll_id)
    rng = random.Random(20231213)
    acknowledged: list[tuple[int, str, int]] = []
    for _ in range(24):
        before = len(acknowledged)
        acknowledged += _kill_at_random(path, poll_id, rng)
        assert len(acknowledged) > before  # killed while writing, not while starting
        stored = {b.entry_no: b for b in Store(path).ballots(poll_id)}
        for entry_no, marks, replaces in acknowledged:
            assert stored[entry_no].marks == marks
            assert (stored[entry_no].replaces or 0) == replaces
            if replaces:
                assert stored[replaces].voided
        report = Store(path).verify(poll_id)
        assert report.ok, report.problems
    numbers = [b.entry_no for b in Store(path).ballots(poll_id)]
    assert numbers == list(range(1, len(numbers) + 1))
