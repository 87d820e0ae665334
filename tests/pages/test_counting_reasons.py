"""The void/fix form's reason (issue 13, points 5, 12, 13): a reason the store refuses is
shown in Vietnamese, the ballot unchanged; the input holds no more than limits.MAX_REASON
(the store's refusal of a longer one: tests/test_storage_typed.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_counting import errors, new_poll, open_fix, page

from tinnhiem.limits import MAX_REASON
from tinnhiem.storage import Store

REASON = "tinnhiem.fix.reason"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def _fix_form(store: Store, correct: bool = False):
    """The page of a poll with ballot 1 entered, its fix form open on ballot 1."""
    poll_id = new_poll(store)
    store.add_ballot(poll_id, "1111")
    at = open_fix(page(poll_id))
    at = at.number_input(key="tinnhiem.fix.no").set_value(1).run()
    if correct:
        at.radio(key="tinnhiem.fix.action").set_value("Sửa phiếu")
        at = at.text_input(key="tinnhiem.fix.marks").input("1113").run()
    return poll_id, at


def test_a_void_reason_with_a_control_character_is_refused_in_vietnamese(store: Store) -> None:
    """U+0007 in the reason: the store's S08 sentence under the form, nothing voided."""
    poll_id, at = _fix_form(store)
    at = at.text_input(key=REASON).input("Nhập trùng\x07").run()
    at = at.button(key="tinnhiem.fix.submit").click().run()
    assert "Lý do hủy phiếu có ký tự điều khiển U+0007 (không in được); xóa ký tự đó." in errors(at)
    assert not store.ballots(poll_id)[0].voided


def test_a_correction_reason_with_a_control_character_is_refused(store: Store) -> None:
    """The correction read back first (.run()), then “Ghi lại”: refused, nothing stored."""
    poll_id, at = _fix_form(store, correct=True)
    at = at.text_input(key=REASON).input("Đọc\x1b nhầm").run()
    at = at.button(key="tinnhiem.fix.submit").click().run()
    assert "Lý do sửa phiếu có ký tự điều khiển U+001B (không in được); xóa ký tự đó." in errors(at)
    assert [(b.marks, b.voided) for b in store.ballots(poll_id)] == [("1111", False)]


def test_a_correction_reason_with_zero_width_characters_is_stored_without_them(
    store: Store,
) -> None:
    """Zero-width and direction marks typed or pasted into the reason are not kept."""
    poll_id, at = _fix_form(store, correct=True)
    at = at.text_input(key=REASON).input("Đọc\u200b nhầm\u202e dòng cuối").run()
    at = at.button(key="tinnhiem.fix.submit").click().run()
    assert errors(at) == []
    assert store.ballot(poll_id, 1).void_reason == "Đọc nhầm dòng cuối"
    assert [b.marks for b in store.ballots(poll_id, include_voided=False)] == ["1113"]


def test_the_reason_input_holds_the_store_s_limit(store: Store) -> None:
    """max_chars is MAX_REASON (the browser types no more, Streamlit cuts what is sent past
    it), so the form never sends the store an over-long reason; one at the limit is stored."""
    poll_id, at = _fix_form(store)
    assert at.text_input(key=REASON).max_chars == MAX_REASON
    at = at.text_input(key=REASON).set_value("ô" * MAX_REASON + "x").run()
    at = at.button(key="tinnhiem.fix.submit").click().run()
    assert errors(at) == []
    assert store.ballot(poll_id, 1).void_reason == "ô" * MAX_REASON
