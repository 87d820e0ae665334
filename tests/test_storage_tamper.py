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


def test_leftovers_of_killed_backups_and_restores_are_cleaned_at_the_next_open(store):
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


def locked_then_tampered(tmp_path: Path) -> tuple[Path, int]:
    """A locked poll whose ballot was rewritten by hand (triggers dropped and put back)."""
    db = tmp_path / "t.db"
    store = Store(db)
    poll_id = store.create_poll(small_poll(), actor="thư ký", pin="1234")
    store.open_count(poll_id, actor="thư ký")
    for marks in ("11", "21", "12"):
        store.add_ballot(poll_id, marks, station="Máy 1")
    store.close_count(poll_id, actor="thư ký")
    store.lock(poll_id, actor="thư ký")
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ballots'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE ballots SET marks = '22' WHERE entry_no = 1")
    for _, sql in triggers:
        conn.execute(sql)
    conn.close()
    return db, poll_id


def test_minutes_of_a_poll_that_fails_verify_are_refused_by_the_cli(tmp_path, capsys):
    """tinnhiem minutes --db of a tampered locked poll exits 1 with one Vietnamese line and
    writes no file."""
    from tinnhiem.cli import main

    db, poll_id = locked_then_tampered(tmp_path)
    for suffix in (".pdf", ".docx"):
        out = tmp_path / f"bb{suffix}"
        code = main(["minutes", str(poll_id), "--db", str(db), "-o", str(out)])
        _, err = capsys.readouterr()
        assert code == 1
        assert len(err.strip().splitlines()) == 1
        assert "không qua được kiểm tra" in err
        assert not out.exists()


def test_verify_cached_follows_the_chain_head_and_the_schema(store):
    """verify_cached() gives verify()'s answer, reuses it while the head and the schema
    stay, and checks again after a new entry or a schema change."""
    poll_id = store.list_polls()[0].id
    first = store.verify_cached(poll_id)
    assert first.ok and first == store.verify(poll_id)
    assert store.verify_cached(poll_id) is first
    store.add_ballot(poll_id, "21", station="Máy 1")
    second = store.verify_cached(poll_id)
    assert second is not first and second.entries == first.entries + 1
    store.close()
    raw(store.path, "CREATE TRIGGER quiet AFTER INSERT ON ballots BEGIN SELECT 1; END;")
    assert not store.verify_cached(poll_id).ok


def test_an_edited_lock_time_fails_verify(tmp_path):
    """polls.locked_at changed by hand (triggers dropped and put back) no longer matches the
    time of the lock's log entry, and verify() says so."""
    db = tmp_path / "t.db"
    store = Store(db)
    poll_id = store.create_poll(small_poll(), actor="thư ký", pin="1234")
    store.open_count(poll_id, actor="thư ký")
    for marks in ("11", "21", "12"):
        store.add_ballot(poll_id, marks, station="Máy 1")
    store.close_count(poll_id, actor="thư ký")
    store.lock(poll_id, actor="thư ký")
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'polls'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE polls SET locked_at = '2020-01-01T00:00:00+07:00'")
    for _, sql in triggers:
        conn.execute(sql)
    conn.close()
    report = Store(db).verify(poll_id)
    assert any("Thời điểm khóa" in p for p in report.problems)
