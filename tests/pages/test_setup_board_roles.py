"""The setup page's two grids when their cells hold what no row was drawn with (issue 13
point 22): the board's roles, the officials' STT typed while the page reruns, and the
"Chuyển vị trí" box after a reorder."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_setup import button, fill, page, paste

from tinnhiem.storage import Store
from tinnhiem.ui import officials_editor

NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê **Văn** Cường"]


def edits(edited=None, added=None, deleted=None) -> dict:
    """A data editor's editing state as the browser sends it."""
    return {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}


def board(at: AppTest, added: list[dict], edited: dict | None = None) -> AppTest:
    """Seed the board grid with rows typed into it and run the page."""
    at.session_state[at.data_editor[1].key] = edits(edited, added)
    return at.run()


def officials(at: AppTest) -> list[str]:
    return list(at.data_editor[0].value["Họ và tên"])


def saved_board(store: Store) -> list[tuple[str, str]]:
    (summary,) = store.list_polls()
    return [(b.name, b.role) for b in store.get_poll(summary.id).board]


def test_a_role_chosen_in_the_same_run_as_a_typed_stt_is_saved(store: Store) -> None:
    """“Thư ký” chosen and an STT typed before the page answered (one run brings both):
    the row moves and the board keeps “Thư ký” (the reorder used to st.rerun() before the
    board's grid was drawn)."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at.session_state[at.data_editor[0].key] = edits({2: {"STT": 1}})
    at = board(at, [{"Họ và tên": "Phạm Thị Thư", "Vai trò": "Thư ký"}])
    assert officials(at) == [NAMES[2], NAMES[0], NAMES[1]]
    assert list(at.data_editor[1].value["Vai trò"]) == []  # a fresh board grid is not drawn
    button(at, "Lưu thiết lập").click().run()
    assert saved_board(store) == [("Phạm Thị Thư", "secretary")]


def test_an_stt_typed_while_the_page_reran_for_a_role_is_kept(store: Store) -> None:
    """A role chosen, then (before the page answered) STT 1 typed on the third official and
    the second official's position changed: the run moves the row and keeps the position."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at = board(at, [{"Họ và tên": "Phạm Thị Thư", "Vai trò": "Thư ký"}])
    at.session_state[at.data_editor[0].key] = edits({2: {"STT": 1}, 1: {"Chức vụ": "Ủy viên"}})
    at = at.run()
    assert officials(at) == [NAMES[2], NAMES[0], NAMES[1]]
    assert list(at.data_editor[0].value["Chức vụ"])[2] == "Ủy viên"
    assert list(at.data_editor[0].value["STT"]) == [1, 2, 3]
    button(at, "Lưu thiết lập").click().run()
    assert saved_board(store) == [("Phạm Thị Thư", "secretary")]


def test_a_save_pressed_in_the_same_run_as_a_typed_stt_is_not_lost(store: Store) -> None:
    """STT 1 typed on the third official and “Lưu thiết lập” pressed before the page
    answered: the poll is saved in the new order (an st.rerun() for the reorder used to
    drop the click, and the save's message never showed)."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at = board(at, [{"Họ và tên": "Phạm Thị Thư", "Vai trò": "Thư ký"}])
    at.session_state[at.data_editor[0].key] = edits({2: {"STT": 1}})
    at = button(at, "Lưu thiết lập").click().run()
    assert "Đã lưu thiết lập." in [t.value for t in at.toast]
    (summary,) = store.list_polls()
    assert [o.name for o in store.get_poll(summary.id).officials] == [
        NAMES[2],
        NAMES[0],
        NAMES[1],
    ]
    assert saved_board(store) == [("Phạm Thị Thư", "secretary")]


@pytest.mark.parametrize(
    ("role", "saved"),
    [(None, "member"), ("", "member"), ("Thư ký", "secretary"), ("secretary", "secretary")],
)
def test_a_role_cell_no_option_was_drawn_with_is_saved_as_a_role(
    store: Store, role: str | None, saved: str
) -> None:
    """A role cell left empty (or emptied) is saved as “Ủy viên”, and a role code from an
    older grid as its role: nothing becomes another role, 0 or a traceback."""
    at = paste(fill(page(), 50, 47, 47, 47))
    at = board(at, [{"Họ và tên": "Phạm Thị Thư", "Vai trò": role}])
    assert not at.exception
    button(at, "Lưu thiết lập").click().run()
    assert saved_board(store) == [("Phạm Thị Thư", saved)]


@pytest.mark.usefixtures("store")
def test_the_move_box_follows_its_official_through_a_typed_stt() -> None:
    """The box points at the third official; STT 1 typed on that row moves them first: the
    box shows “1. …” with that official's name (not the old order's label)."""
    at = paste(page())
    at.selectbox(key="setup.move").set_value(2).run()
    at.session_state[at.data_editor[0].key] = edits({2: {"STT": 1}})
    at = at.run()
    box = at.selectbox(key="setup.move")
    assert box.value == 0
    assert box.options == [f"1. {NAMES[2]}", f"2. {NAMES[0]}", f"3. {NAMES[1]}"]
    at = at.button(key="setup.down").click().run()
    assert officials(at) == [NAMES[0], NAMES[2], NAMES[1]]


BEFORE = [NAMES[0], NAMES[1], NAMES[2]]
NOW = [NAMES[2], NAMES[0], NAMES[1]]  # after STT 1 typed on the third row


@pytest.mark.parametrize(
    ("value", "chosen"),
    [
        (f"3. {NAMES[2]}", 0),  # the old label of the row that moved first
        (f"2. {NAMES[1]}", 2),
        (f"1. {NAMES[2]}", 0),  # a label of the new order
        ("9. Không có ai", 0),
        ("", 0),
        (None, 0),
        (7, 0),
        (2, 0),  # the index of the old order: the official it pointed at
    ],
)
def test_a_move_box_value_that_is_not_a_row_number_names_its_official(
    value: object, chosen: int
) -> None:
    """After a reorder the browser can hand back the box's old label (a text): the label
    names its official in the new order (not row 1 by default, nor a TypeError); a value
    that names no row is the first row."""
    assert officials_editor._still_chosen(value, BEFORE, NOW) == chosen


def test_the_same_name_twice_keeps_the_right_one_chosen() -> None:
    """Two officials of one name: the second chosen stays the second after a reorder."""
    before, now = ["A", "B", "A"], ["B", "A", "A"]
    assert officials_editor._still_chosen(2, before, now) == 2
    assert officials_editor._still_chosen(0, before, now) == 1
    assert officials_editor._still_chosen(True, before, now) == 0


def test_pending_edits_are_read_as_the_grid_shows_them() -> None:
    """Edited cells, added rows and deleted rows are applied in the grid's own order."""
    rows = [{"STT": 1, "Họ và tên": "A"}, {"STT": 2, "Họ và tên": "B"}]
    shown, typed = officials_editor._with_edits(
        rows, edits({"1": {"STT": 1}}, [{"Họ và tên": "C"}], [0])
    )
    assert [(r["STT"], r["Họ và tên"]) for r in shown] == [(1, "B"), (None, "C")]
    assert typed == {0}
