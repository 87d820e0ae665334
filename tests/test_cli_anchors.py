"""`tinnhiem verify` and `tinnhiem minutes --db` against the backups on a second folder
(a cut tail that the chain alone cannot show; tinnhiem.cli, tinnhiem.storage.anchors)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_storage_anchors import cut_tail, poll_of

from tinnhiem import cli
from tinnhiem.storage import Store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counted(
    tmp_path: Path,
    ballots: int,
    every: int,
    marks: str = "11",
    station: str = "",
    forget_folder: bool = False,
) -> tuple[Path, Path, int]:
    """A database whose poll of ``ballots`` ballots (each ``marks``, typed at ``station``)
    was backed up to a second folder (the stick) every ``every`` ballots; (database, stick,
    poll id).

    ``forget_folder``: the poll no longer names the stick afterwards.
    """
    db, stick = tmp_path / "db" / "tinnhiem.db", tmp_path / "usb"
    stick.mkdir()
    store = Store(db)
    poll_id = store.create_poll(poll_of(ballots), actor="thư ký")
    store.set_backup_folder(poll_id, str(stick), every=every)
    store.open_count(poll_id)
    for _ in range(ballots):
        store.add_ballot(poll_id, marks, station=station)
    store.wait_for_backups()
    if forget_folder:
        store.set_backup_folder(poll_id, "")
    store.close()
    return db, stick, poll_id


@pytest.fixture
def cut(tmp_path: Path) -> tuple[Path, Path, int]:
    """A database whose last two ballots were cut after a backup on the stick held them;
    the poll no longer names the stick (the tamperer cleared the setting too)."""
    db, stick, poll_id = counted(tmp_path, 6, 3, marks="12", station="Máy 1", forget_folder=True)
    cut_tail(db, poll_id, ballots=2)
    return db, stick, poll_id


def test_verify_passes_alone_and_fails_against_the_backups_folder(capsys, cut):
    """Without --backups the cut chain verifies (exit 0); with the stick's folder it exits
    1 and says the database has fewer entries than the backup at its time."""
    db, stick, _ = cut
    code, out, _ = run(capsys, "verify", "--db", str(db))
    assert code == 0 and "hợp lệ" in out
    code, out, _ = run(capsys, "verify", "--db", str(db), "--backups", str(stick))
    assert code == 1
    assert "KHÔNG hợp lệ" in out
    assert "cơ sở dữ liệu có ít mục hơn bản sao lưu lúc" in out
    assert "Ghi chú: Đã đối chiếu với" in out


def test_the_folder_chosen_for_the_poll_is_compared_without_being_named(capsys, tmp_path):
    """A poll's own second folder is compared by plain `tinnhiem verify`."""
    db, stick, poll_id = counted(tmp_path, 4, 2)
    code, out, _ = run(capsys, "verify", str(poll_id), "--db", str(db))
    assert code == 0 and "Ghi chú: Đã đối chiếu với" in out and str(stick) in out
    cut_tail(db, poll_id, ballots=1)
    code, out, _ = run(capsys, "verify", str(poll_id), "--db", str(db))
    assert code == 1 and "1 mục cuối đã bị cắt" in out


def test_a_backups_folder_that_does_not_exist_is_bad_input(capsys, cut, tmp_path):
    """--backups naming no folder exits 2 with one Vietnamese line."""
    db, _, _ = cut
    code, _, err = run(capsys, "verify", "--db", str(db), "--backups", str(tmp_path / "nope"))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "không có thư mục" in err


def test_minutes_of_a_poll_whose_backup_shows_a_cut_tail_are_refused(capsys, tmp_path):
    """`tinnhiem minutes --db` refuses (exit 1, one line) a poll its own backups show cut."""
    db, _, poll_id = counted(tmp_path, 4, 2)
    cut_tail(db, poll_id, ballots=2)
    out_file = tmp_path / "bb.pdf"
    code, _, err = run(capsys, "minutes", str(poll_id), "--db", str(db), "-o", str(out_file))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "không qua được kiểm tra" in err and not out_file.exists()
