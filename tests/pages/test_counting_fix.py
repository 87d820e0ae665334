"""Correcting with eyes open (issue 13, point 20) and a refusal shown where the typist
looks (point 22): any ballot looked up by number and read back against the names, the
correction read back beside it before it is stored, the form emptied after “Ghi lại”."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tables import html_table
from pin_gate import PIN
from test_counting import NAMES, errors, new_poll, open_fix, page, type_ballot

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store
from tinnhiem.ui.entry_forms import FIX_TABLE


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def look_up(at, number: int):
    """Type a ballot's number into the fix form (the page reruns and reads it back)."""
    return at.number_input(key="tinnhiem.fix.no").set_value(number).run()


def test_any_ballot_is_looked_up_by_number_and_read_back_against_the_names(store: Store) -> None:
    """Ballot 2 of 14 (not among the last ten) is shown with each official's word."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=20, present=20),
        issued=20,
        collected=20,
        officials=tuple(Official(name) for name in NAMES),
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    for marks in ["1111", "1230", *["2222"] * 12]:
        store.add_ballot(poll_id, marks)
    at = look_up(open_fix(page(poll_id)), 2)
    rows = html_table(at, FIX_TABLE)
    assert [(r["Họ và tên"], r["Phiếu số 2"]) for r in rows] == [
        ("Nguyễn Văn An", "Tín nhiệm cao"),
        ("Trần Thị **Bích**", "Tín nhiệm"),
        ("Lê Hoàng Phúc", "Tín nhiệm thấp"),
        ("Phạm Quốc Hùng", "Không hợp lệ / để trống"),
    ]
    at = look_up(at, 40)
    assert "Không có phiếu số 40." in [w.value for w in at.warning]


def test_the_correction_is_read_back_beside_the_ballot_before_it_is_stored(store: Store) -> None:
    """Typed with the click itself, a correction is shown first; the second click stores it."""
    poll_id = new_poll(store)
    store.add_ballot(poll_id, "1111")
    at = look_up(open_fix(page(poll_id)), 1)
    at.radio(key="tinnhiem.fix.action").set_value("Sửa phiếu")
    at.text_input(key="tinnhiem.fix.marks").input("1113")
    at.text_input(key="tinnhiem.fix.reason").input("Đọc nhầm dòng cuối")
    at = at.button(key="tinnhiem.fix.submit").click().run()  # all in one click: not stored
    assert [b.marks for b in store.ballots(poll_id)] == ["1111"]
    assert any("Đọc lại phiếu" in w.value for w in at.warning)
    rows = html_table(at, FIX_TABLE)
    assert [r["Sửa thành"] for r in rows] == ["Tín nhiệm cao"] * 3 + ["Tín nhiệm thấp"]
    at = at.button(key="tinnhiem.fix.submit").click().run()  # what was read back: stored
    active = store.ballots(poll_id, include_voided=False)
    assert [(b.marks, b.replaces) for b in active] == [("1113", 1)]


def test_after_ghi_lai_the_form_is_empty(store: Store) -> None:
    """A stored fix leaves no number, marks or reason behind for the next one."""
    poll_id = new_poll(store)
    store.add_ballot(poll_id, "1111")
    at = look_up(open_fix(page(poll_id)), 1)
    at.text_input(key="tinnhiem.fix.reason").input("Nhập trùng").run()
    at = at.button(key="tinnhiem.fix.submit").click().run()
    assert store.ballots(poll_id)[0].voided
    assert any("Đã hủy phiếu số 1" in s.value for s in at.success)
    assert at.number_input(key="tinnhiem.fix.no").value is None
    assert at.text_input(key="tinnhiem.fix.marks").value == ""
    assert at.text_input(key="tinnhiem.fix.reason").value == ""
    assert not at.get("html") or not any(FIX_TABLE in h.proto.body for h in at.get("html"))


def test_the_reason_a_line_was_refused_is_shown_above_the_preview(store: Store) -> None:
    """The refusal comes before the keyboard (its preview of 28 rows pushes below out of view)."""
    poll_id = new_poll(store)
    at = type_ballot(page(poll_id), "12")
    assert any("Chưa lưu phiếu vừa gõ" in e for e in errors(at))
    drawn = _flat(at.main)
    refusal = next(i for i, e in enumerate(drawn) if _is_refusal(e))
    keyboard = next(i for i, e in enumerate(drawn) if getattr(e, "type", "") == "bidi_component")
    assert refusal < keyboard


def _flat(node) -> list:
    """Every element under ``node``, in the order the page draws them."""
    found = [node]
    for child in getattr(node, "children", {}).values():
        found += _flat(child)
    return found


def _is_refusal(element) -> bool:
    value = getattr(element, "value", None)
    return isinstance(value, str) and value.startswith("Chưa lưu phiếu vừa gõ")
