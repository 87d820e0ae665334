"""The setup page where the user looks (issue 13, points 15 and 22): a Vietnamese date
entry, the success message under the buttons just pressed, no other poll's quorum in the
sidebar while a new one is drafted, the board's roles kept as chosen."""

from __future__ import annotations

import pytest
from app_pages import open_page
from pin_gate import PIN, admin_gate_shown, unlock_admin
from test_setup import button, counting_poll, errors, fill, page, paste

from tinnhiem.demo import demo_poll
from tinnhiem.storage import Store


def in_order(node) -> list:
    """Every element under ``node``, in the order the page draws them."""
    found = [node]
    for child in getattr(node, "children", {}).values():
        found += in_order(child)
    return found


def text_of(element, name: str) -> str | None:
    """The element's ``value`` or ``label`` when it is text (a table's value is not)."""
    value = getattr(element, name, None)
    return value if isinstance(value, str) else None


def test_the_date_is_typed_the_vietnamese_way_with_no_english_calendar(store: Store) -> None:
    """No st.date_input (its calendar speaks English); 02/12/2026 is read back and stored."""
    at = paste(fill(page(), 50, 47, 47, 47))
    assert not at.get("date_input")
    at.text_input(key="setup.date").input("2/12/2026")
    at = at.run()
    assert "Thứ Tư, 2 tháng 12 năm 2026" in [c.value for c in at.caption]
    at = button(at, "Lưu thiết lập").click().run()
    (summary,) = store.list_polls()
    assert store.get_poll(summary.id).date == "2026-12-02"
    assert at.text_input(key="setup.date").value == "02/12/2026"


def test_a_day_that_does_not_exist_is_refused_with_its_reason(store: Store) -> None:
    """31/02/2026 is not saved: the setting section names the date and how to type it."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at.text_input(key="setup.date").input("31/02/2026")
    at = button(at.run(), "Lưu thiết lập").click().run()
    assert store.list_polls() == []
    assert any("Ngày “31/02/2026” chưa đúng" in e for e in errors(at))
    assert [p.code for p in at.session_state["setup.problems"]] == ["U03"]


@pytest.mark.usefixtures("store")
def test_the_success_message_is_shown_under_the_buttons_and_as_a_toast() -> None:
    """“Đã lưu thiết lập.” comes after the save button (where the user looks), and a toast."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at = button(at, "Lưu thiết lập").click().run()
    drawn = in_order(at.main)
    saved = [i for i, e in enumerate(drawn) if text_of(e, "value") == "Đã lưu thiết lập."]
    pressed = [i for i, e in enumerate(drawn) if text_of(e, "label") == "Lưu thiết lập"]
    assert saved and pressed and saved[0] > pressed[0]
    assert "Đã lưu thiết lập." in [t.value for t in at.toast]


def test_the_sidebar_shows_no_other_polls_quorum_while_a_new_one_is_drafted(
    store: Store,
) -> None:
    """Choosing “new” on the setup page: the sidebar drops the open poll's card and quorum."""
    poll_id = counting_poll(store)
    at = open_page("dashboard.py", poll_id, switch_to="pages/setup.py", pin=PIN)
    assert any("— cần tối thiểu" in s.value for s in at.sidebar.success)  # the open poll's card
    at = at.selectbox(key="setup.choice").set_value("new").run()
    if admin_gate_shown(at):
        at = unlock_admin(at)
    shown = [e.value for e in [*at.sidebar.success, *at.sidebar.error, *at.sidebar.info]]
    assert not any("— cần tối thiểu" in text for text in shown)
    assert "Đang soạn cuộc kiểm phiếu mới (chưa lưu)." in shown


def test_the_board_roles_are_vietnamese_words_in_the_grid(store: Store) -> None:
    """The role cells hold “Trưởng ban / Thư ký / Ủy viên” (what a screen reader reads),
    not chair/secretary/member, and save back as the roles they name."""
    poll_id = store.create_poll(demo_poll(), pin=PIN)  # still in setup: the board is a grid
    at = page(poll_id)
    assert list(at.data_editor[1].value["Vai trò"]) == ["Trưởng ban", "Thư ký", "Ủy viên"]
    at = button(at, "Lưu thiết lập").click().run()
    assert [b.role for b in store.get_poll(poll_id).board] == ["chair", "secretary", "member"]


def test_a_provincial_councils_over_half_consequence_names_only_its_standing_committee() -> None:
    """The demo poll (Hội đồng nhân dân tỉnh) reads “Thường trực Hội đồng nhân dân” alone,
    never “Ủy ban thường vụ Quốc hội / …” (already so on main: this proves it)."""
    from tinnhiem import rules
    from tinnhiem.model import Kind

    text = rules.of_poll(demo_poll()).consequence(Kind.POLL, "over_half")
    assert "Thường trực Hội đồng nhân dân trình Hội đồng nhân dân" in text
    assert "Quốc hội" not in text
