"""The results page's anchors (pages/results.py, tinnhiem.ui.anchor_view): the chain's head
at close and lock, the break a backup shows, and no minutes from data that fails verify."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_results import close, counting, lock, page, plain
from test_storage_anchors import cut_tail

from tinnhiem.chain_head import head_words
from tinnhiem.storage import Store
from tinnhiem.ui import anchor_view


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "db" / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def head_now(store: Store, poll_id: int) -> str:
    mark = store.chain_marks(poll_id)[-1]
    return head_words(mark.seq, mark.hash)


def test_close_and_lock_show_the_head_they_left(store: Store) -> None:
    """The message after closing and after locking names the chain's head (as the projector
    shows it), and the page lists the head at close and at lock."""
    poll_id = counting(store)
    at = close(page(poll_id))
    closed = head_now(store, poll_id)
    assert any(closed in s for s in plain(at.success))
    assert any("Kết thúc kiểm phiếu lúc" in t.value and closed in t.value for t in at.text)
    at = lock(at)
    locked = head_now(store, poll_id)
    assert any(locked in s and "Đã khóa kết quả" in s for s in plain(at.success))
    marks = next(t.value for t in at.text if "Khóa kết quả lúc" in t.value)
    assert closed in marks and locked in marks


def test_a_close_names_the_backup_it_made(store: Store, tmp_path: Path) -> None:
    """With a second folder, the message after closing says where the backup went."""
    poll_id = counting(store)
    stick = tmp_path / "usb"
    stick.mkdir()
    store.set_backup_folder(poll_id, str(stick))
    at = close(page(poll_id))
    assert any("Đã sao lưu vào" in s and "usb" in s for s in plain(at.success))
    assert list(stick.glob("*ket-thuc-kiem-phieu.db"))


def test_a_cut_tail_a_backup_shows_refuses_the_minutes(store: Store, tmp_path: Path) -> None:
    """A poll whose backup holds ballots the database lost shows the break first, offers no
    minutes nor draft resolution (the reason in Vietnamese), and still the result tables."""
    poll_id = counting(store, entered=40)
    stick = tmp_path / "usb"
    stick.mkdir()
    store.set_backup_folder(poll_id, str(stick), every=2)
    for _ in range(4):  # ballots 41–44: backups after 42 and 44
        store.add_ballot(poll_id, "11")
    store.wait_for_backups()
    store.close()
    cut_tail(store.path, poll_id, ballots=3)
    assert Store(store.path).verify(poll_id).ok  # the chain alone is whole
    at = page(poll_id)
    errors = plain(at.error)
    assert errors and "Chuỗi kiểm toán KHÔNG hợp lệ" in errors[0]
    assert any("ít mục hơn bản sao lưu" in t.value for t in at.text)
    at.session_state["results.downloads_open"] = True  # the provisional files' box
    at.run()
    assert anchor_view.BROKEN_REASON in [e.value for e in at.error]
    labels = [d.label for d in at.get("download_button")]
    assert not [label for label in labels if "Biên bản" in label or "nghị quyết" in label]
    assert "Bảng kết quả (Excel)" in labels
    reopened = Store(store.path)
    for name in anchor_view.REFUSED_WHEN_BROKEN:  # what a click on a stale button gets
        assert anchor_view.refused(reopened, poll_id, name) == anchor_view.BROKEN_REASON
    assert anchor_view.refused(reopened, poll_id, "results_xlsx") is None


def test_a_pulled_out_stick_is_a_warning_on_the_results_page(store: Store, tmp_path) -> None:
    """While the chosen folder is gone, the page says so in yellow."""
    poll_id = counting(store, entered=10)
    stick = tmp_path / "usb"
    stick.mkdir()
    store.set_backup_folder(poll_id, str(stick))
    stick.rename(tmp_path / "elsewhere")
    at = page(poll_id)
    assert any("ổ USB" in w for w in plain(at.warning))


def test_the_reason_for_closing_short_is_shown_literally_beside_its_mark(store: Store) -> None:
    """A count closed with ballots still to enter lists its reason beside the close's mark,
    as typed, Markdown and all (st.text: nothing in it is interpreted)."""
    poll_id = counting(store, entered=40)
    reason = "Hết giờ **7 phiếu** ![x](http://example.com/x.png)"
    at = close(page(poll_id), reason=reason)
    assert store.state(poll_id) == "closed"
    marks = next(t.value for t in at.text if "Kết thúc kiểm phiếu lúc" in t.value)
    assert f"(lý do: {reason}):" in marks
