"""`tinnhiem backup` and `tinnhiem restore`: a copy on demand, a restore that checks first."""

from __future__ import annotations

import sqlite3

from tinnhiem.cli import main
from tinnhiem.storage import Store


def _demo_db(tmp_path):
    db = tmp_path / "t.db"
    store = Store(db)
    poll_id = store.create_demo(pin="1234")
    store.close()
    return db, poll_id


def test_backup_writes_a_copy_that_verifies(capsys, tmp_path):
    """A backup on demand is a whole database whose audit chain checks out."""
    db, poll_id = _demo_db(tmp_path)
    out = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    copy = Store(out)
    assert copy.verify().ok
    assert copy.ballot_count(poll_id) == Store(db).ballot_count(poll_id) == 31


def test_restore_brings_back_the_backup_and_keeps_the_present(capsys, tmp_path):
    """Restoring puts the backup's ballots back and saves the database it replaced."""
    db, poll_id = _demo_db(tmp_path)
    out = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db), "-o", str(out)]) == 0
    Store(db).add_ballot(poll_id, "1" * 11, station="Máy 9")
    assert main(["restore", str(out), "--db", str(db)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    assert Store(db).ballot_count(poll_id) == 31
    assert list((tmp_path / "backups").glob("t-*.db"))


def test_a_tampered_backup_is_refused_and_nothing_changes(capsys, tmp_path):
    """A backup whose ballot was edited by hand fails the chain check: exit 2, DB unchanged."""
    db, _ = _demo_db(tmp_path)
    out = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db), "-o", str(out)]) == 0
    with sqlite3.connect(out) as raw:
        raw.execute("DROP TRIGGER IF EXISTS ballots_no_update")
        raw.execute("UPDATE ballots SET marks = '33333333333' WHERE entry_no = 4")
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["restore", str(out), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "Phiếu số 4" in err
    assert db.read_bytes() == before
    assert Store(db).verify().ok
