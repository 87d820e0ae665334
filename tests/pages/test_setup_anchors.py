"""The setup page's second backup folder (pages/setup.py, tinnhiem.ui.anchor_view)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pin_gate import ADMIN_PIN, PIN
from test_setup import button, errors, page

from tinnhiem.demo import demo_poll
from tinnhiem.storage import Store
from tinnhiem.storage.anchor_folder import MARKER


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store in tmp/db that the page opens through TINNHIEM_DB, with one poll in setup."""
    path = tmp_path / "db" / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    store = Store(path)
    store.set_admin_pin(ADMIN_PIN)
    return store


def stored_poll(store: Store) -> int:
    return store.create_poll(demo_poll(entered=None), actor="thư ký", pin=PIN)


def test_a_folder_typed_on_the_setup_page_is_kept_with_the_poll(store, tmp_path):
    """Typing a folder and N and saving stores them with the poll and marks the folder."""
    poll_id = stored_poll(store)
    stick = tmp_path / "usb"
    stick.mkdir()
    at = page(poll_id)
    at.text_input(key="anchors.folder").input(str(stick))
    at.number_input(key="anchors.every").set_value(20)
    at = button(at.run(), "Lưu thiết lập").click().run()
    assert not at.exception
    setting = store.backup_folder(poll_id)
    assert (setting.folder, setting.every) == (str(stick), 20)
    assert (stick / MARKER).is_file()
    assert page(poll_id).text_input(key="anchors.folder").value == str(stick)


def test_the_databases_own_folder_is_refused_and_nothing_saved(store, tmp_path):
    """The database's folder is refused with the reason in Vietnamese; the setting stays."""
    poll_id = stored_poll(store)
    at = page(poll_id)
    at.text_input(key="anchors.folder").input(str(tmp_path / "db"))
    at = button(at.run(), "Lưu thiết lập").click().run()
    assert any("thư mục chứa cơ sở dữ liệu" in e for e in errors(at))
    assert not store.backup_folder(poll_id).on


def test_a_closed_polls_folder_is_a_line_of_text_not_a_field(store, tmp_path):
    """After the close the folder can no longer change: it is said, with N, as text; while
    counting it is still a field."""
    poll_id = stored_poll(store)
    stick = tmp_path / "usb"
    stick.mkdir()
    store.set_backup_folder(poll_id, str(stick), every=20, actor="thư ký")
    store.open_count(poll_id)
    assert page(poll_id).text_input(key="anchors.folder").value == str(stick)
    store.close_count(poll_id, reason="Thử đóng khi chưa nhập phiếu")
    at = page(poll_id)
    assert not [t for t in at.text_input if t.key == "anchors.folder"]
    assert f"Thư mục sao lưu thứ hai: {stick}, sau mỗi 20 phiếu." in [t.value for t in at.text]
