"""A database file deleted or replaced under a running Store: no write is acknowledged
into a file nobody can reach any more, and a new Store at the path starts clean."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import StorageUnavailable, Store, rows

SIDES = {
    "the file": ("",),
    "the file, its -wal and -shm": ("", "-wal", "-shm"),
    "its -wal and -shm only": ("-wal", "-shm"),
}


def _poll() -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=9, present=9),
        issued=9,
        collected=9,
        officials=(Official("Nguyễn Văn A"), Official("Lê Văn C")),
    )


def _counting(tmp_path: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "tinnhiem.db")
    poll_id = store.create_poll(_poll())
    store.open_count(poll_id)
    store.add_ballot(poll_id, "12")
    return store, poll_id


@pytest.mark.parametrize("deleted", list(SIDES)[:2], ids=list(SIDES)[:2])
def test_a_ballot_for_a_deleted_file_is_refused_in_vietnamese(tmp_path, deleted) -> None:
    """After the file (with or without its -wal/-shm) is deleted, add_ballot raises
    StorageUnavailable saying the file is no longer where it was and the ballot was not
    saved; so does every later write, and nothing is returned as stored."""
    store, poll_id = _counting(tmp_path)
    assert (tmp_path / "tinnhiem.db-wal").exists()
    for side in SIDES[deleted]:
        os.remove(tmp_path / f"tinnhiem.db{side}")
    for _ in range(3):
        with pytest.raises(StorageUnavailable, match="không còn ở chỗ cũ") as refused:
            store.add_ballot(poll_id, "33")
        assert "phiếu này CHƯA được lưu" in str(refused.value)
    with pytest.raises(StorageUnavailable, match="không còn ở chỗ cũ"):
        store.close_count(poll_id, reason="thử")
    assert not (tmp_path / "tinnhiem.db").exists()  # no empty file made behind the user


def test_a_deleted_wal_refuses_the_next_ballot_then_the_file_is_written_again(tmp_path):
    """With only the -wal and -shm deleted, the next ballot is refused (its connection would
    write into the deleted -wal); the Store then reopens the file, which kept every ballot
    stored before, and the ballot typed again is stored in it."""
    store, poll_id = _counting(tmp_path)
    for side in SIDES["its -wal and -shm only"]:
        os.remove(tmp_path / f"tinnhiem.db{side}")
    with pytest.raises(StorageUnavailable, match="phiếu này CHƯA được lưu"):
        store.add_ballot(poll_id, "33")
    assert store.add_ballot(poll_id, "33").entry_no == 2
    store.close()
    again = Store(tmp_path / "tinnhiem.db")
    assert [b.marks for b in again.ballots(poll_id)] == ["12", "33"]
    assert again.verify(poll_id).ok


def test_a_new_store_at_the_path_of_a_deleted_file_starts_clean(tmp_path) -> None:
    """Once the file and its -wal/-shm are gone, a new Store at the path makes a new empty
    database (the old Store made no empty file behind the user's back)."""
    store, poll_id = _counting(tmp_path)
    for side in SIDES["the file, its -wal and -shm"]:
        os.remove(tmp_path / f"tinnhiem.db{side}")
    with pytest.raises(StorageUnavailable):
        store.add_ballot(poll_id, "33")
    with pytest.raises(StorageUnavailable, match="không đọc được"):
        store.list_polls()
    assert not (tmp_path / "tinnhiem.db").exists()
    fresh = Store(tmp_path / "tinnhiem.db")
    assert fresh.list_polls() == []
    new_id = fresh.create_poll(_poll())
    assert fresh.verify().ok and fresh.state(new_id) == "setup"


def test_a_file_deleted_during_a_write_is_not_committed(tmp_path) -> None:
    """A file deleted inside a write transaction, before its commit, makes the write fail
    (rolled back) instead of being acknowledged into the unlinked file."""
    store, poll_id = _counting(tmp_path)
    with (
        pytest.raises(StorageUnavailable, match="không còn ở chỗ cũ"),
        store._pool.write("Phiếu này") as conn,
    ):
        row = rows.poll_row(conn, poll_id, rows.BALLOT_CONTEXT)
        rows.store_ballot(conn, row, "33", "Máy 1", "")
        os.remove(tmp_path / "tinnhiem.db")


def test_a_file_replaced_at_the_path_is_read_afresh(tmp_path) -> None:
    """Another database moved over the file, its -wal and -shm (a backup put back by
    hand): the next call is refused once, then the Store reads the file now at the path."""
    store, _ = _counting(tmp_path)
    other = Store(tmp_path / "other.db")
    other_id = other.create_poll(_poll())
    other.close()
    os.replace(tmp_path / "other.db", tmp_path / "tinnhiem.db")
    for side in ("-wal", "-shm"):
        (tmp_path / f"tinnhiem.db{side}").unlink(missing_ok=True)
    with pytest.raises(StorageUnavailable, match="không đọc được dữ liệu"):
        store.list_polls()
    assert [p.id for p in store.list_polls()] == [other_id]
    assert store.state(other_id) == "setup"


def test_a_store_keeps_working_when_its_folder_is_renamed_back(tmp_path) -> None:
    """A folder moved away and back (the same files) is the same database: nothing refused."""
    store, poll_id = _counting(tmp_path / "a")
    shutil.move(tmp_path / "a", tmp_path / "b")
    with pytest.raises(StorageUnavailable):
        store.add_ballot(poll_id, "33")
    shutil.move(tmp_path / "b", tmp_path / "a")
    assert store.add_ballot(poll_id, "33").entry_no == 2
    assert store.verify(poll_id).ok
