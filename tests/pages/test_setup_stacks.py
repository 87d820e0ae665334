"""The setup page's choice of single, double or triple entry, through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tables import html_table
from pin_gate import ADMIN_PIN, PIN, admin_gate_shown, gate_shown, unlock, unlock_admin
from streamlit.testing.v1 import AppTest

from tinnhiem import words_stacks
from tinnhiem.storage import Store

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "setup.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    store = Store(path)
    store.set_admin_pin(ADMIN_PIN)
    return store


def page(poll_id: int | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if poll_id is not None:
        at.query_params["poll"] = str(poll_id)
    at.run()
    if gate_shown(at):
        at = unlock(at)
    return unlock_admin(at) if admin_gate_shown(at) else at


def _new_poll(at: AppTest) -> AppTest:
    at.text_input(key="setup.pin").input(PIN)
    at.text_input(key="setup.pin_again").input(PIN)
    at.text_input(key="setup.title").input("Kỳ họp thử")
    for key, value in (("total", 9), ("present", 9), ("issued", 9), ("collected", 9)):
        at.number_input(key=f"setup.{key}").set_value(value)
    at.run()
    at.text_area(key="setup.paste").input("Nguyễn Văn An; Chủ tịch\nTrần Thị Bích; Ủy viên").run()
    return at.button(key="setup.import").click().run()


def test_double_entry_is_chosen_at_setup_and_frozen_once_counting(store: Store) -> None:
    """Choosing double entry stores passes_required 2; once the count opens the choice is
    shown but cannot be changed."""
    at = _new_poll(page())
    assert at.radio(key="setup.passes").value == 1  # single entry, as today, unless chosen
    at.radio(key="setup.passes").set_value(2)
    at = next(b for b in at.button if b.label == "Lưu và mở kiểm phiếu").click().run()
    assert not at.exception
    (summary,) = store.list_polls()
    assert store.get_poll(summary.id).passes_required == 2
    assert store.state(summary.id) == "counting"
    again = page(summary.id)
    assert not [r for r in again.radio if r.key == "setup.passes"]  # no choice left
    setting = {row["Mục"]: row["Thiết lập"] for row in html_table(again, "setup-setting")}
    assert setting["Cách nhập phiếu"] == words_stacks.PASSES_REQUIRED[2]
