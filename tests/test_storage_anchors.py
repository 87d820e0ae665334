"""Anchors against a cut tail: the second backup folder, its automatic backups, the chain's
head at each move, and verify compared with the backups (tinnhiem.storage.anchors)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store, StoreError, anchor_folder
from tinnhiem.storage.anchor_folder import MARKER


def poll_of(ballots: int) -> Poll:
    """Two officials on the ballot, ``ballots`` collected."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=ballots, present=ballots),
        issued=ballots,
        collected=ballots,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị B", "Ủy viên")),
    )


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """A folder standing for the USB stick (outside the database's folder)."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "tinnhiem.db")


def counting(store: Store, stick: Path | None, every: int = 3, ballots: int = 20) -> int:
    """A poll in counting, backed up to ``stick`` every ``every`` ballots."""
    poll_id = store.create_poll(poll_of(ballots), actor="thư ký")
    if stick is not None:
        store.set_backup_folder(poll_id, str(stick), every=every, actor="thư ký")
    store.open_count(poll_id, actor="thư ký")
    return poll_id


def backups(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.db"))


def cut_tail(db: Path, poll_id: int, ballots: int) -> None:
    """Delete the last ``ballots`` ballots with their log entries and move the head back,
    with the protecting triggers dropped and put back exactly (the tamper verify misses)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('ballots', 'audit')"
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        last = conn.execute(
            "SELECT MAX(entry_no) FROM ballots WHERE poll_id = ?", (poll_id,)
        ).fetchone()[0]
        keep = last - ballots
        first_cut = conn.execute(
            "SELECT MIN(seq) FROM audit WHERE poll_id = ? AND action = 'ballot' "
            "AND json_extract(payload, '$.entry_no') > ?",
            (poll_id, keep),
        ).fetchone()[0]
        conn.execute("DELETE FROM ballots WHERE poll_id = ? AND entry_no > ?", (poll_id, keep))
        conn.execute("DELETE FROM audit WHERE poll_id = ? AND seq >= ?", (poll_id, first_cut))
        seq, digest = conn.execute(
            "SELECT seq, hash FROM audit WHERE poll_id = ? ORDER BY seq DESC LIMIT 1", (poll_id,)
        ).fetchone()
        conn.execute(
            "UPDATE polls SET head_seq = ?, head_hash = ? WHERE id = ?", (seq, digest, poll_id)
        )
        for _, sql in triggers:
            conn.execute(sql)
    finally:
        conn.close()


# -- the setting -------------------------------------------------------------------------


def test_a_chosen_folder_is_kept_with_the_poll_and_marked(store, stick):
    """set_backup_folder() stores the folder and N with the poll and writes the marker file."""
    poll_id = store.create_poll(poll_of(3), actor="thư ký")
    assert not store.backup_folder(poll_id).on
    store.set_backup_folder(poll_id, str(stick), every=25)
    assert store.backup_folder(poll_id) == anchor_folder.FolderSetting(str(stick), 25)
    assert (stick / MARKER).is_file()
    store.set_backup_folder(poll_id, "")
    assert not store.backup_folder(poll_id).on


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("usb/relative", "đường dẫn đầy đủ"),
        ("{tmp}/no-such-stick", "Không có thư mục"),
        ("{db}", "thư mục chứa cơ sở dữ liệu"),
        ("{db}/backups", "thư mục chứa cơ sở dữ liệu"),
    ],
)
def test_a_folder_that_cannot_hold_the_backups_is_refused_in_vietnamese(
    store, tmp_path, folder, words
):
    """A relative path, a missing folder, the database's own folder or one inside it is
    refused with the reason, and nothing is stored."""
    (tmp_path / "db" / "backups").mkdir(exist_ok=True)
    poll_id = store.create_poll(poll_of(3), actor="thư ký")
    path = folder.format(tmp=tmp_path, db=tmp_path / "db")
    with pytest.raises(StoreError, match=words):
        store.set_backup_folder(poll_id, path)
    assert not store.backup_folder(poll_id).on


def test_a_folder_that_cannot_be_written_is_refused(store, stick, monkeypatch):
    """A folder this process cannot write to is refused with the system's reason."""
    poll_id = store.create_poll(poll_of(3), actor="thư ký")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(anchor_folder.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(StoreError, match="Không ghi được vào thư mục"):
        store.set_backup_folder(poll_id, str(stick))


@pytest.mark.parametrize("every", [0, 10_001])
def test_n_outside_1_to_10000_is_refused(store, stick, every):
    """The number of ballots between two backups is 1–10 000."""
    poll_id = store.create_poll(poll_of(3), actor="thư ký")
    with pytest.raises(StoreError, match="từ 1 đến 10000"):
        store.set_backup_folder(poll_id, str(stick), every=every)


# -- the automatic backups ---------------------------------------------------------------


def test_a_backup_is_made_after_every_n_ballots_and_at_each_move(store, stick):
    """With N = 3: a backup when the count opens, after ballots 3 and 6, and at close,
    reopen, close and lock — each named for its reason."""
    poll_id = counting(store, stick, every=3, ballots=7)
    store.wait_for_backups()
    for _ in range(7):
        store.add_ballot(poll_id, "12", station="Máy 1")
        store.wait_for_backups()  # one at a time, so none is folded into the next
    store.close_count(poll_id, actor="thư ký")
    store.wait_for_backups()
    store.reopen_count(poll_id, reason="đếm lại", actor="thư ký")
    store.wait_for_backups()
    store.close_count(poll_id, actor="thư ký")
    store.wait_for_backups()
    store.lock(poll_id, actor="thư ký")
    assert store.wait_for_backups(timeout=30)
    reasons = sorted(
        re.sub(r"_\d+$", "", name.split(f"-{poll_id}-", 1)[1].removesuffix(".db"))
        for name in backups(stick)
    )
    assert reasons == sorted(
        [
            "mo-kiem-phieu",
            "phieu-3",
            "phieu-6",
            "ket-thuc-kiem-phieu",
            "mo-lai-kiem-phieu",
            "ket-thuc-kiem-phieu",
            "khoa-ket-qua",
        ]
    )
    newest = max(stick.glob("*khoa-ket-qua.db"))
    copy = Store(newest)
    assert copy.state(poll_id) == "locked" and copy.ballot_count(poll_id) == 7
    assert store.backup_outcome(poll_id).ok


def test_a_ballot_is_acknowledged_before_its_backup_is_written(store, stick, monkeypatch):
    """The backup runs off the write path: add_ballot returns while the copy is still
    blocked, and the copy then holds that ballot."""
    poll_id = counting(store, stick, every=1, ballots=3)
    store.wait_for_backups()
    release, started = threading.Event(), threading.Event()
    real = anchor_folder.copy_database

    def slow(conn, dest):
        started.set()
        assert release.wait(30)
        real(conn, dest)

    monkeypatch.setattr(anchor_folder, "copy_database", slow)
    stored = store.add_ballot(poll_id, "11", station="Máy 1")
    assert started.wait(30)  # the copy began and is held…
    assert stored.entry_no == 1 and store.ballot_count(poll_id) == 1  # …the ballot is stored
    release.set()
    assert store.wait_for_backups(timeout=30)
    assert store.backup_outcome(poll_id).ok


def test_a_pulled_out_stick_leaves_a_warning_and_every_ballot_stored(store, stick):
    """With the folder gone, ballots due for a backup are stored and acknowledged, and
    backup_warning() says in Vietnamese what is wrong and that the ballots are safe."""
    poll_id = counting(store, stick, every=1, ballots=5)
    store.wait_for_backups()
    assert store.backup_warning(poll_id) is None
    shutil.rmtree(stick)
    for _ in range(3):
        store.add_ballot(poll_id, "21", station="Máy 1")
    store.wait_for_backups()
    assert store.ballot_count(poll_id) == 3
    warning = store.backup_warning(poll_id)
    assert warning is not None and "ổ USB" in warning and "Phiếu vẫn được lưu" in warning
    assert not store.backup_outcome(poll_id).ok


def test_an_empty_mount_point_left_by_the_stick_gets_no_backup(store, stick):
    """A folder without the marker (the stick's empty mount point) gets no backup, only the
    warning: the copy must not land on the laptop's own disk."""
    poll_id = counting(store, stick, every=1, ballots=5)
    store.wait_for_backups()
    shutil.rmtree(stick)
    stick.mkdir()  # what some systems leave behind
    store.add_ballot(poll_id, "21", station="Máy 1")
    store.wait_for_backups()
    assert backups(stick) == []
    assert MARKER in store.backup_warning(poll_id)


def test_a_copy_failing_on_the_stick_is_a_warning_not_a_refusal(store, stick, monkeypatch):
    """A write error on the stick (full, failing) leaves the ballot stored and a warning."""
    poll_id = counting(store, stick, every=1, ballots=5)
    store.wait_for_backups()

    def full(_conn, _dest):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(anchor_folder, "copy_database", full)
    assert store.add_ballot(poll_id, "11").entry_no == 1
    store.wait_for_backups()
    assert "No space left" in store.backup_warning(poll_id)


# -- verify against the backups -----------------------------------------------------------


def test_a_cut_tail_passes_verify_alone_but_not_against_the_backup(store, stick):
    """Two ballots cut with their log entries and the head moved back: verify() passes, the
    comparison with the stick says the database has fewer entries than the backup."""
    poll_id = counting(store, stick, every=3, ballots=10)
    for _ in range(6):
        store.add_ballot(poll_id, "12", station="Máy 1")
    store.wait_for_backups()
    store.close()
    cut_tail(store.path, poll_id, ballots=2)
    reopened = Store(store.path)
    assert reopened.verify().ok  # the chain alone is whole
    report = reopened.verify_anchored()
    assert not report.ok
    assert any("cơ sở dữ liệu có ít mục hơn bản sao lưu lúc" in p for p in report.problems)
    assert any("2 mục cuối đã bị cắt" in p for p in report.problems)


def test_a_tail_cut_then_typed_over_shows_as_rewritten(store, stick):
    """A cut tail typed over (new entries with the old numbers) is found by an older
    backup even after a newer one was made from the tampered file."""
    poll_id = counting(store, stick, every=3, ballots=10)
    for _ in range(3):
        store.add_ballot(poll_id, "12", station="Máy 1")
    store.wait_for_backups()
    store.close()
    cut_tail(store.path, poll_id, ballots=2)
    again = Store(store.path)
    for _ in range(3):  # ballots 2, 3, 4: a new backup after ballot 3, of the tampered chain
        again.add_ballot(poll_id, "22", station="Máy 1")
    again.wait_for_backups()
    report = again.verify_anchored(poll_id)
    assert any("đã bị viết lại" in p for p in report.problems), report.problems


def test_a_backup_folder_given_by_hand_is_compared_too(store, stick):
    """A folder passed to verify_anchored() is compared even when the poll names none (a
    setting removed by the tamperer)."""
    poll_id = counting(store, stick, every=2, ballots=10)
    for _ in range(4):
        store.add_ballot(poll_id, "11")
    store.wait_for_backups()
    store.set_backup_folder(poll_id, "")
    store.close()
    cut_tail(store.path, poll_id, ballots=1)
    reopened = Store(store.path)
    assert reopened.verify_anchored().ok  # no folder left to compare with
    assert not reopened.verify_anchored(folders=(stick,)).ok


def test_a_sound_database_agrees_with_its_backups_and_says_so(store, stick):
    """Without tampering the comparison finds nothing and notes what it compared."""
    poll_id = counting(store, stick, every=2, ballots=10)
    for _ in range(5):
        store.add_ballot(poll_id, "11")
    store.wait_for_backups()
    report = store.verify_anchored(poll_id)
    assert report.ok
    assert any("Đã đối chiếu với" in n for n in report.notes)


def test_a_backup_of_another_database_is_noted_not_reported(store, stick, tmp_path):
    """A backup in the folder sharing no poll with this database is skipped with a note."""
    poll_id = counting(store, stick, every=2, ballots=10)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "11")
    store.wait_for_backups()
    other = Store(tmp_path / "other" / "tinnhiem.db")
    other_id = other.create_poll(poll_of(3), actor="khác")
    other.open_count(other_id)
    other.backup(stick / "other-20260101-101010-1-khac.db")
    report = store.verify_anchored()
    assert report.ok
    assert any("của máy khác" in n for n in report.notes)


def test_a_pulled_out_folder_is_a_note_of_verify(store, stick):
    """When the chosen folder is gone, verify says it could not compare (no problem)."""
    poll_id = counting(store, stick, every=2, ballots=10)
    store.wait_for_backups()
    shutil.rmtree(stick)
    report = store.verify_anchored(poll_id)
    assert report.ok and any("Không đọc được thư mục sao lưu" in n for n in report.notes)


def test_the_cached_comparison_follows_new_backup_files(store, stick):
    """verify_anchored_cached() reuses its comparison until the chain or the folder moves."""
    poll_id = counting(store, stick, every=2, ballots=10)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "11")
    store.wait_for_backups()
    first = store.verify_anchored_cached(poll_id)
    assert first.ok and first.notes
    assert store.verify_anchored_cached(poll_id) == first
    store.close()
    cut_tail(store.path, poll_id, ballots=1)
    assert not Store(store.path).verify_anchored_cached(poll_id).ok


# -- the chain's head at each move --------------------------------------------------------


def test_each_move_of_the_count_names_the_head_it_left(store):
    """chain_marks() lists open, close, reopen and lock with the head the projector showed
    right after each (change_token)."""
    poll_id = counting(store, None, ballots=2)
    seen = []
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id, reason="thiếu một phiếu")
    seen.append(store.change_token(poll_id))
    store.reopen_count(poll_id, reason="nhập nốt")
    seen.append(store.change_token(poll_id))
    store.add_ballot(poll_id, "12")
    store.close_count(poll_id)
    seen.append(store.change_token(poll_id))
    store.lock(poll_id)
    seen.append(store.change_token(poll_id))
    marks = store.chain_marks(poll_id)
    assert [m.action for m in marks] == ["open", "close", "reopen", "close", "lock"]
    assert [f"{m.seq}:{m.hash[:16]}" for m in marks[1:]] == seen
    assert marks[-1].hash == store.lock_info(poll_id)[1]
