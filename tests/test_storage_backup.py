"""Backups, restore, and a disk that cannot take writes (tinnhiem.storage.backup,
tinnhiem.storage.connections)."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pytest
from db_dump import dump

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import StorageUnavailable, Store, StoreError
from tinnhiem.storage.connections import BUSY_TIMEOUT_S, Pool


def small_poll(collected: int) -> Poll:
    """``collected`` members, all present, two officials on the ballot."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị B", "Ủy viên")),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "tinnhiem.db")


def counting(store: Store, collected: int = 3, ballots: int = 0) -> int:
    poll_id = store.create_poll(small_poll(collected), actor="thư ký", pin="1234")
    store.open_count(poll_id, actor="thư ký")
    for number in range(ballots):
        store.add_ballot(poll_id, "123"[number % 3] + "1", station="Máy 1")
    return poll_id


def test_a_backup_is_one_whole_file_that_verifies(store, tmp_path):
    """backup() writes a self-contained copy (no WAL beside it) with every poll and ballot,
    whose verify() passes."""
    poll_id = counting(store, ballots=2)
    path = store.backup(tmp_path / "copy.db")
    assert path == tmp_path / "copy.db"
    assert not Path(f"{path}-wal").exists()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert dump(path) == dump(store.path)
    copy = Store(path)
    assert copy.verify().ok
    assert [b.marks for b in copy.ballots(poll_id)] == ["11", "21"]


def test_the_default_backup_goes_to_backups_beside_the_database(store):
    """Without a destination: backups/<db name>-YYYYmmdd-HHMMSS[-<poll>].db, never
    overwriting an earlier one."""
    poll_id = counting(store)
    first = store.backup(poll_id=poll_id)
    second = store.backup(poll_id=poll_id)
    assert first.parent == store.path.parent / "backups"
    assert re.fullmatch(rf"tinnhiem-\d{{8}}-\d{{6}}-{poll_id}\.db", first.name)
    assert second != first and second.exists() and first.exists()
    assert re.fullmatch(r"tinnhiem-\d{8}-\d{6}\.db", store.backup().name)


def test_a_backup_never_overwrites_a_file(store, tmp_path):
    """An existing destination is refused and left as it was."""
    taken = tmp_path / "taken.db"
    taken.write_text("keep me")
    with pytest.raises(StoreError, match="đã có"):
        store.backup(taken)
    assert taken.read_text() == "keep me"


def test_locking_a_poll_backs_the_database_up(store):
    """After lock(), backups/ holds a copy named after the poll, with the poll locked."""
    poll_id = counting(store, collected=1, ballots=1)
    store.close_count(poll_id)
    head = store.lock(poll_id)
    (path,) = (store.path.parent / "backups").glob(f"tinnhiem-*-{poll_id}.db")
    copy = Store(path)
    assert copy.verify().ok
    assert copy.lock_info(poll_id)[1] == head


def test_a_failed_automatic_backup_leaves_the_lock_in_place(store, monkeypatch, caplog):
    """When the backup after lock() fails, the lock stands, lock() returns its hash and a
    warning is logged."""
    poll_id = counting(store, collected=1, ballots=1)
    store.close_count(poll_id)

    def failing_backup(*_args, **_kwargs):
        raise StorageUnavailable("Không ghi được vào cơ sở dữ liệu: ổ đĩa đã đầy")

    monkeypatch.setattr(store, "backup", failing_backup)
    with caplog.at_level(logging.WARNING, logger="tinnhiem.storage.store"):
        head = store.lock(poll_id)
    assert store.state(poll_id) == "locked"
    assert store.lock_info(poll_id)[1] == head
    assert "không sao lưu tự động" in caplog.text


def test_restore_brings_back_the_backup_and_keeps_the_present(store, tmp_path):
    """restore() replaces the content with the backup, after backing up the present state;
    another Store open on the file sees the restored data."""
    poll_id = counting(store, collected=5, ballots=2)
    saved = store.backup(tmp_path / "two.db")
    store.add_ballot(poll_id, "33")
    other = Store(store.path)
    assert other.ballot_count(poll_id) == 3
    before = store.restore(saved)
    assert other.ballot_count(poll_id) == 2
    assert store.ballot_count(poll_id) == 2
    assert store.verify().ok
    assert Store(before).ballot_count(poll_id) == 3
    assert store.add_ballot(poll_id, "22").entry_no == 3


def tampered_copy(store: Store, tmp_path: Path) -> Path:
    """A backup in which ballot 1 was changed by hand (its guard trigger dropped)."""
    path = store.backup(tmp_path / "tampered.db")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER ballots_no_update")
        conn.execute("UPDATE ballots SET marks = '33' WHERE entry_no = 1")
    finally:
        conn.close()
    return path


def test_restore_refuses_a_tampered_backup_and_changes_nothing(store, tmp_path):
    """A backup that fails verify() is refused with every problem listed; the database and
    the backups folder are unchanged."""
    counting(store, ballots=2)
    path = tampered_copy(store, tmp_path)
    before = dump(store.path)
    with pytest.raises(StoreError, match="không qua được kiểm tra") as refused:
        store.restore(path)
    message = str(refused.value)
    assert "thiếu 1 trigger" in message
    assert "Phiếu số 1: nội dung trong bảng phiếu khác với nhật ký" in message
    assert dump(store.path) == before
    assert not (store.path.parent / "backups").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all, just text", "không phải cơ sở dữ liệu SQLite"),
        (None, "không phải của tinnhiem"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_tinnhiem_database(store, tmp_path, content, message):
    """A text file, or an SQLite file of another application, is refused; nothing changes."""
    counting(store, ballots=1)
    path = tmp_path / "other.db"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = dump(store.path)
    with pytest.raises(StoreError, match=message):
        store.restore(path)
    with pytest.raises(StoreError, match="Không có tệp"):
        store.restore(tmp_path / "missing.db")
    assert dump(store.path) == before


def limited_connections(store: Store, monkeypatch, limit) -> None:
    """From now on the store's connections come from ``limit(conn)`` (the pool emptied)."""
    store.close()
    connect = store._pool.connect
    monkeypatch.setattr(store._pool, "connect", lambda: limit(connect()))


def test_a_full_disk_refuses_the_ballot_cleanly(store, monkeypatch):
    """When the file can grow no more (SQLITE_FULL: max_page_count reached), add_ballot
    raises StorageUnavailable saying the ballot was NOT saved, the file is exactly as
    before, and entry resumes at the right number once there is room again."""
    poll_id = counting(store, collected=500)
    state = {"full": True}

    def no_room(conn: sqlite3.Connection) -> sqlite3.Connection:
        if state["full"]:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    limited_connections(store, monkeypatch, no_room)
    stored = 0
    for _ in range(200):  # until a ballot needs a new page
        before = dump(store.path)
        try:
            store.add_ballot(poll_id, "12")
        except StorageUnavailable as error:
            refusal = str(error)
            break
        stored += 1
    else:
        pytest.fail("the file never filled up")
    assert "ổ đĩa đã đầy" in refusal and "Phiếu này CHƯA được lưu" in refusal
    assert dump(store.path) == before
    assert store.ballot_count(poll_id) == stored
    assert store.verify().ok
    state["full"] = False
    store.close()
    assert store.add_ballot(poll_id, "12").entry_no == stored + 1


def test_a_read_only_database_refuses_writes_cleanly(store, monkeypatch):
    """On a file opened read-only every write raises StorageUnavailable (tệp chỉ đọc),
    reads still work, and the file is exactly as before."""
    poll_id = counting(store, ballots=1)
    keeper = sqlite3.connect(store.path)  # keeps the WAL index a read-only reader needs
    keeper.execute("SELECT 1 FROM polls").fetchall()

    def read_only(conn: sqlite3.Connection) -> sqlite3.Connection:
        conn.close()
        uri = f"file:{store.path}?mode=ro"
        ro = sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        return Pool.prepare(ro)

    limited_connections(store, monkeypatch, read_only)
    before = dump(store.path)
    with pytest.raises(StorageUnavailable, match=r"tệp chỉ đọc.*Phiếu này CHƯA được lưu"):
        store.add_ballot(poll_id, "22")
    with pytest.raises(StorageUnavailable, match=r"tệp chỉ đọc.*Thay đổi vừa rồi CHƯA"):
        store.create_poll(small_poll(3))
    with pytest.raises(StorageUnavailable, match="tệp chỉ đọc"):
        store.set_pin(poll_id, "5678")
    assert store.ballot_count(poll_id) == 1
    assert dump(store.path) == before
    keeper.close()


def test_a_database_whose_folder_went_away_is_reported(store):
    """When the database's folder is gone (a USB disk pulled out), a write raises
    StorageUnavailable (không mở được tệp); once it is back, entry resumes."""
    poll_id = counting(store, ballots=1)
    store.close()
    folder = store.path.parent
    moved = folder.with_name("elsewhere")
    folder.rename(moved)
    try:
        with pytest.raises(StorageUnavailable, match=r"không mở được tệp.*Phiếu này CHƯA"):
            store.add_ballot(poll_id, "22")
    finally:
        moved.rename(folder)
    assert store.add_ballot(poll_id, "22").entry_no == 2
