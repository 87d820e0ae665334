"""Tampering that changes the schema itself, and what killed backups and restores leave
behind (tinnhiem.storage.migrate.schema_differences, Store.verify, Store.restore)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store, StoreError


def small_poll() -> Poll:
    """Three members, all present, two officials on the ballot."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=3, present=3),
        issued=3,
        collected=3,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị B", "Ủy viên")),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "db" / "tinnhiem.db")
    poll_id = store.create_poll(small_poll(), actor="thư ký", pin="1234")
    store.open_count(poll_id, actor="thư ký")
    store.add_ballot(poll_id, "11", station="Máy 1")
    return store


def raw(path: Path, script: str) -> None:
    """Run ``script`` on the file behind the app's back."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.executescript(script)
    finally:
        conn.close()


def test_a_protecting_trigger_replaced_by_a_no_op_of_the_same_name_fails_verify(store):
    """A trigger of the app's name whose body does nothing is reported by verify()."""
    assert store.verify().ok
    store.close()
    raw(
        store.path,
        "DROP TRIGGER ballots_no_delete;"
        "CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots BEGIN SELECT 1; END;",
    )
    report = Store(store.path).verify()
    assert not report.ok
    assert any("ballots_no_delete" in p and "đã bị thay" in p for p in report.problems)


def test_a_foreign_trigger_fails_verify(store):
    """A trigger the app never made (e.g. one silencing a table) is reported by verify()."""
    store.close()
    raw(store.path, "CREATE TRIGGER quiet AFTER INSERT ON ballots BEGIN SELECT 1; END;")
    report = Store(store.path).verify()
    assert any("quiet" in p and "lạ" in p for p in report.problems)


def test_a_deleted_migration_row_is_a_vietnamese_line_not_a_traceback(store):
    """Deleting a row of _sqlite_migrations makes opening refuse with one Vietnamese line."""
    store.close()
    raw(store.path, "DELETE FROM _sqlite_migrations WHERE name = '0003_fewer_triggers'")
    with pytest.raises(StoreError, match="0003_fewer_triggers"):
        Store(store.path)


def test_restore_refuses_a_backup_carrying_a_foreign_trigger(store, tmp_path):
    """restore() accepts only a database whose schema is exactly the app's."""
    copy = store.backup(tmp_path / "copy.db")
    raw(copy, "CREATE TRIGGER quiet AFTER INSERT ON ballots BEGIN SELECT 1; END;")
    before = sorted(p.name for p in (store.path.parent / "backups").glob("*"))
    with pytest.raises(StoreError, match="quiet"):
        store.restore(copy)
    assert sorted(p.name for p in (store.path.parent / "backups").glob("*")) == before


def test_restore_refuses_a_backup_with_a_changed_table(store, tmp_path):
    """A backup with an extra column on a table of the app is refused."""
    copy = store.backup(tmp_path / "copy.db")
    raw(copy, "ALTER TABLE ballots ADD COLUMN extra TEXT")
    with pytest.raises(StoreError, match="ballots"):
        store.restore(copy)


def test_leftovers_of_killed_backups_and_restores_are_cleaned_at_the_next_open(store, tmp_path):
    """Opening the Store removes old .part files in backups/ and old restore folders beside
    the database, and keeps everything else (and anything newer than the process)."""
    backups = store.path.parent / "backups"
    backups.mkdir(exist_ok=True)
    part = backups / "tinnhiem-20260101-000000.db.part"
    part.write_bytes(b"x" * 100)
    work = store.path.parent / ".tinnhiem-khoi-phuc-abc123"
    work.mkdir()
    (work / "restore.db").write_bytes(b"x" * 100)
    other = backups / "ghi-chu.txt.part"  # not our name: kept
    other.write_text("x")
    mine = store.path.parent / "tmpabc"  # not our name: kept
    mine.mkdir()
    old = time.time() - 3600
    for path in (part, work, other, mine):
        os.utime(path, (old, old))
    store.close()
    Store(store.path)
    assert not part.exists()
    assert not work.exists()
    assert other.exists()
    assert mine.exists()


def test_a_part_file_newer_than_the_process_is_kept(store):
    """A .part being written right now by another process is not removed."""
    backups = store.path.parent / "backups"
    backups.mkdir(exist_ok=True)
    part = backups / "tinnhiem-20260101-000000.db.part"
    part.write_bytes(b"x")
    future = time.time() + 3600
    os.utime(part, (future, future))
    Store(store.path)
    assert part.exists()
