"""The access rules as pages show them (issue 13): who works in a tab, who may import, and
that a poll locked on another machine is never shown as this board's official result."""

from __future__ import annotations

import json

from app_pages import open_page
from html_tables import html_text
from pin_gate import PIN, admin_gate_shown, unlock, unlock_admin
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.storage import Store

BOARD = (BoardMember("Lê Thị Thư Ký", "secretary"), BoardMember("Trần Văn Ủy Viên", "member"))


def counting_poll(store: Store) -> int:
    """Three officials, a board of two, the count open."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=5,
        collected=5,
        officials=tuple(Official(n) for n in ("Nguyễn Văn An", "Lê Bình", "Phạm Cường")),
        board=BOARD,
        title="Kỳ họp thử",
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    return poll_id


def page(name: str, poll_id: int) -> AppTest:
    """A page of ``poll_id``, run once."""
    return open_page(f"pages/{name}", poll_id)


def test_the_member_chosen_at_the_gate_is_named_for_typed_voided_and_corrected_ballots(
    store: Store,
) -> None:
    """The gate offers the poll's board; the member chosen there is recorded as entering a
    ballot, voiding one and entering its correction (never an empty name)."""
    poll_id = counting_poll(store)
    at = page("counting.py", poll_id)
    assert at.selectbox(key="access.member").options == [b.name for b in BOARD]
    at.selectbox(key="access.member").set_value("Trần Văn Ủy Viên")
    at = unlock(at)
    at.session_state["tinnhiem.entry"] = {"queue": {"client": "k", "items": [
        {"seq": 1, "line": "111"}, {"seq": 2, "line": "222"}]}}  # fmt: skip
    at = at.run()
    at = at.toggle(key="tinnhiem.fix.open").set_value(True).run()
    at.number_input(key="tinnhiem.fix.no").set_value(1)
    at.text_input(key="tinnhiem.fix.reason").input("Nhập trùng").run()  # read back first
    at = at.button(key="tinnhiem.fix.submit").click().run()
    at.number_input(key="tinnhiem.fix.no").set_value(2)
    at.radio(key="tinnhiem.fix.action").set_value("Sửa phiếu")
    at.text_input(key="tinnhiem.fix.marks").input("223")
    at.text_input(key="tinnhiem.fix.reason").input("Đọc nhầm").run()  # read back first
    at = at.button(key="tinnhiem.fix.submit").click().run()
    first, second, correction = store.ballots(poll_id)
    assert (first.entered_by, first.source) == ("Trần Văn Ủy Viên", ("k", 1))
    assert first.voided_by == "Trần Văn Ủy Viên"
    assert second.voided_by == "Trần Văn Ủy Viên"
    assert (correction.entered_by, correction.replaces) == ("Trần Văn Ủy Viên", 2)


def test_importing_a_poll_file_needs_the_administrators_pin(store: Store) -> None:
    """The board's PIN opens a poll's setup, but the file import asks for the administrator's
    PIN; a wrong one imports nothing, the right one shows the uploader."""
    poll_id = counting_poll(store)
    at = unlock(page("setup.py", poll_id))
    assert not admin_gate_shown(at)  # the import box is closed: nothing drawn in it
    at.session_state["setup.import_open"] = True  # the box opened
    at = at.run()
    assert admin_gate_shown(at)
    at = unlock_admin(at, "00000000")
    assert any("Mã quản trị không đúng" in e.value for e in at.error)
    assert admin_gate_shown(at)
    at = unlock_admin(at)
    assert not admin_gate_shown(at)
    assert len(store.list_polls()) == 1


def test_a_poll_locked_elsewhere_is_shown_as_imported_not_official(store: Store) -> None:
    """A locked poll that came from a file says where and when it came from on the results
    page and the projector, never KẾT QUẢ CHÍNH THỨC; one locked here still does."""
    poll_id = counting_poll(store)
    for marks in ("111", "123", "321", "222", "333"):
        store.add_ballot(poll_id, marks)
    store.close_count(poll_id)
    store.lock(poll_id)
    data = json.loads(json.dumps(store.export_data(poll_id)))
    imported = store.import_data(data, file_name="tu-may-khac.json", source="trang Thiết lập")
    results = page("results.py", imported)
    heading = html_text(results)
    assert "Kết quả nhập từ tệp “tu-may-khac.json” lúc" in heading
    assert "CHÍNH THỨC" not in heading
    hall = page("projector.py", imported).get("html")[0].proto.body
    assert "NHẬP TỪ TỆP" in hall and "KẾT QUẢ CHÍNH THỨC" not in hall
    assert "tu-may-khac.json" in hall
    assert "KẾT QUẢ CHÍNH THỨC · " in html_text(page("results.py", poll_id))
