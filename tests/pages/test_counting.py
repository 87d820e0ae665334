"""The counting page through Streamlit's AppTest: the happy path and each refusal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from html_tables import html_table
from pin_gate import PIN, gate_shown, unlock
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import BUSY_TIMEOUT_S, Store
from tinnhiem.storage.connections import Pool
from tinnhiem.ui import state
from tinnhiem.ui.entry import RECENT_TABLE

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "counting.py")
KEYBOARD = "tinnhiem.entry"
NAMES = ("Nguyễn Văn An", "Trần Thị **Bích**", "Lê Hoàng Phúc", "Phạm Quốc Hùng")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def new_poll(store: Store, collected: int = 3, open_count: str | None = "entries") -> int:
    """A poll of four officials and ``collected`` ballots, its count opened in that mode."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=5,
        collected=collected,
        officials=tuple(Official(name, "Ủy viên") for name in NAMES),
        title="Kỳ họp thử",
        body="HĐND xã",
    )
    poll_id = store.create_poll(poll, pin=PIN)
    if open_count:
        store.open_count(poll_id, mode=open_count)
    return poll_id


def page(poll_id: int, pin: str | None = PIN) -> AppTest:
    """The counting page of ``poll_id``, run once; the board's PIN given when asked."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.run()
    return unlock(at, pin) if pin and gate_shown(at) else at


def type_ballot(at: AppTest, line: str) -> AppTest:
    """Type one line and Enter: what the ballot keyboard sends (its queue, numbered)."""
    seq = at.session_state["typed"] + 1 if "typed" in at.session_state else 1
    at.session_state["typed"] = seq
    at.session_state[KEYBOARD] = {
        "queue": {"client": "test", "items": [{"seq": seq, "line": line}]}
    }
    return at.run()


def open_fix(at: AppTest) -> AppTest:
    """Switch on the void/correct form (it is closed until asked for)."""
    return at.toggle(key="tinnhiem.fix.open").set_value(True).run()


def keyboards(at: AppTest) -> list:
    """The ballot keyboards on the page (Streamlit custom components)."""
    return [e for e in at.main.get("bidi_component")]


def keyboard_data(at: AppTest) -> dict:
    """What the page gave the ballot keyboard (sent as one JSON string)."""
    return json.loads(json.loads(keyboards(at)[0].proto.json))


def errors(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]  # Markdown escapes dropped


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_a_typed_ballot_is_stored_and_read_back_against_the_names(store: Store) -> None:
    """A ballot of one digit per official is stored and shown against the names in words."""
    poll_id = new_poll(store)
    at = type_ballot(page(poll_id), "1230")
    assert not at.exception
    assert [b.marks for b in store.ballots(poll_id)] == ["1230"]
    assert any("Đã lưu phiếu số 1" in s.value for s in at.success)
    data = keyboard_data(at)
    assert data["names"] == list(NAMES)
    assert data["last"] == {
        "marks": "1230",
        "title": "Phiếu số 1 đã lưu — đọc lại theo danh sách:",
        "bad": False,
    }
    assert [data["words"][d] for d in "1230"] == [
        "Tín nhiệm cao",
        "Tín nhiệm",
        "Tín nhiệm thấp",
        "Không hợp lệ / để trống",
    ]
    assert data["refused"] is None
    assert "Đã nhập 1 / 3 phiếu thu về" in at.get("progress")[0].proto.text


def test_the_page_offers_the_ballot_keyboard_while_counting(store: Store) -> None:
    """An open count shows one ballot keyboard and the help on what to type."""
    at = page(new_poll(store))
    assert len(keyboards(at)) == 1
    assert "1* = tất cả một chữ số 1" in keyboard_data(at)["help"]


def test_a_line_sent_twice_is_stored_once(store: Store) -> None:
    """A queue resent with lines already stored (a merged rerun) stores nothing twice."""
    poll_id = new_poll(store)
    at = page(poll_id)
    items = [{"seq": 1, "line": "1111"}, {"seq": 2, "line": "2222"}]
    at.session_state[KEYBOARD] = {"queue": {"client": "a", "items": items[:1]}}
    at.run()
    at.session_state[KEYBOARD] = {"queue": {"client": "a", "items": items}}
    at.run()
    assert [b.marks for b in store.ballots(poll_id)] == ["1111", "2222"]


def test_a_queue_resent_to_a_new_session_is_not_stored_again(store: Store) -> None:
    """After a server restart the browser resends its last lines; the store already has them."""
    poll_id = new_poll(store)
    queue = {"client": "k1", "items": [{"seq": 1, "line": "1111"}, {"seq": 2, "line": "2222"}]}
    first = page(poll_id)
    first.session_state[KEYBOARD] = {"queue": queue}
    first.run()
    again = page(poll_id)
    again.session_state[KEYBOARD] = {"queue": queue}
    again.run()
    stored = store.ballots(poll_id)
    assert [(b.marks, b.entered_by) for b in stored] == [
        ("1111", "bàn phím k1, dòng 1"),
        ("2222", "bàn phím k1, dòng 2"),
    ]


def test_the_short_forms_rate_everyone_alike_and_void_a_whole_ballot(store: Store) -> None:
    """'2*', '*3' and 'x' store 2222, 3333 and X."""
    poll_id = new_poll(store)
    at = page(poll_id)
    for line in ("2*", "*3", "x"):
        at = type_ballot(at, line)
    assert [b.marks for b in store.ballots(poll_id)] == ["2222", "3333", "X"]


def test_a_ballot_of_the_wrong_length_is_refused_and_shown_back(store: Store) -> None:
    """Three digits for four officials are refused with the reason; the typed text stays visible."""
    poll_id = new_poll(store)
    at = type_ballot(page(poll_id), "123")
    assert store.ballots(poll_id) == []
    assert any("phiếu có 3 ký tự nhưng danh sách có 4 người" in e for e in errors(at))
    assert "Đã gõ: 123" in texts(at)
    data = keyboard_data(at)
    assert data["last"]["marks"] == "123" and data["last"]["bad"] is True
    assert data["refused"] == {"client": "test", "seq": 1, "line": "123"}


def test_a_ballot_with_a_wrong_character_is_refused(store: Store) -> None:
    """A letter inside a ballot is refused, naming the character and its position."""
    poll_id = new_poll(store)
    at = type_ballot(page(poll_id), "12a0")
    assert store.ballots(poll_id) == []
    assert any("“a” ở vị trí 3 không hợp lệ" in e for e in errors(at))
    assert "Đã gõ: 12a0" in texts(at)


def test_no_more_ballots_than_collected_are_stored(store: Store) -> None:
    """Once the collected ballots are all entered, one more is refused by the store."""
    poll_id = new_poll(store, collected=2)
    at = page(poll_id)
    for line in ("1111", "2222", "3333"):
        at = type_ballot(at, line)
    assert [b.marks for b in store.ballots(poll_id)] == ["1111", "2222"]
    assert errors(at), "the third ballot must be refused with a message"
    assert "Đã gõ: 3333" in texts(at)


def test_the_fix_form_stays_closed_until_switched_on(store: Store) -> None:
    """The void/correct form is drawn only once its switch is on, and stays open after."""
    poll_id = new_poll(store)
    at = type_ballot(page(poll_id), "1111")
    assert not at.number_input
    at = open_fix(at)
    assert at.number_input(key="tinnhiem.fix.no").value is None  # no ballot chosen yet
    at = type_ballot(at, "2222")
    assert at.number_input(key="tinnhiem.fix.no")


def test_voiding_without_a_reason_is_refused(store: Store) -> None:
    """The void form refuses an empty reason and leaves the ballot as it was."""
    poll_id = new_poll(store)
    at = open_fix(type_ballot(page(poll_id), "1111"))
    at.number_input(key="tinnhiem.fix.no").set_value(1).run()
    at.button(key="tinnhiem.fix.submit").click()
    at.run()
    assert "Cần ghi lý do hủy hoặc sửa phiếu; phiếu chưa thay đổi." in errors(at)
    assert not store.ballots(poll_id)[0].voided


def test_voiding_with_a_reason_keeps_the_original(store: Store) -> None:
    """A voided ballot stays in the list with its marks and reason and no longer counts."""
    poll_id = new_poll(store)
    at = open_fix(type_ballot(page(poll_id), "1111"))
    at.number_input(key="tinnhiem.fix.no").set_value(1).run()
    at.text_input(key="tinnhiem.fix.reason").input("Nhập trùng")
    at.button(key="tinnhiem.fix.submit").click()
    at.run()
    ballot = store.ballots(poll_id)[0]
    assert (ballot.marks, ballot.voided, ballot.void_reason) == ("1111", True, "Nhập trùng")
    assert store.ballot_count(poll_id) == 0
    assert any("Đã hủy phiếu số 1" in s.value for s in at.success)
    assert "Đã hủy: Nhập trùng" in [row["Ghi chú"] for row in html_table(at, RECENT_TABLE)]


def test_correcting_a_ballot_stores_a_new_entry_that_replaces_it(store: Store) -> None:
    """A correction with a reason voids the original and stores the right marks as a new entry."""
    poll_id = new_poll(store)
    at = open_fix(type_ballot(page(poll_id), "1111"))
    at.number_input(key="tinnhiem.fix.no").set_value(1)
    at.radio(key="tinnhiem.fix.action").set_value("Sửa phiếu")
    at.text_input(key="tinnhiem.fix.marks").input("1112")
    at.text_input(key="tinnhiem.fix.reason").input("Đọc nhầm dòng cuối").run()  # read back
    at.button(key="tinnhiem.fix.submit").click()
    at.run()
    active = store.ballots(poll_id, include_voided=False)
    assert [(b.marks, b.replaces) for b in active] == [("1112", 1)]
    assert store.ballots(poll_id)[0].marks == "1111"


def test_a_correction_of_the_wrong_length_is_refused(store: Store) -> None:
    """A correction is checked like a typed ballot before anything changes."""
    poll_id = new_poll(store)
    at = open_fix(type_ballot(page(poll_id), "1111"))
    at.number_input(key="tinnhiem.fix.no").set_value(1)
    at.radio(key="tinnhiem.fix.action").set_value("Sửa phiếu")
    at.text_input(key="tinnhiem.fix.marks").input("11")
    at.text_input(key="tinnhiem.fix.reason").input("Sửa").run()  # read back first
    at.button(key="tinnhiem.fix.submit").click()
    at.run()
    assert any("phiếu có 2 ký tự" in e for e in errors(at))
    assert [b.marks for b in store.ballots(poll_id)] == ["1111"]


def test_no_entry_before_the_count_opens(store: Store) -> None:
    """A poll still in setup shows why and offers no entry field."""
    poll_id = new_poll(store, open_count=None)
    at = page(poll_id)
    assert not keyboards(at)
    assert any("Chưa mở kiểm phiếu" in w.value for w in at.warning)


def test_no_entry_on_a_locked_poll(store: Store) -> None:
    """A locked poll shows that it is locked and offers no entry field."""
    poll_id = new_poll(store, collected=1)
    store.add_ballot(poll_id, "1111")
    store.close_count(poll_id)
    store.lock(poll_id)
    at = page(poll_id)
    assert not keyboards(at)
    assert any("Kết quả đã khóa" in w.value for w in at.warning)


def test_a_ballot_typed_after_the_poll_was_locked_elsewhere_is_refused(store: Store) -> None:
    """A tab opened while counting cannot store a ballot once another station locked the poll."""
    poll_id = new_poll(store, collected=1)
    at = page(poll_id)
    store.add_ballot(poll_id, "1111")
    store.close_count(poll_id)
    store.lock(poll_id)
    at = type_ballot(at, "2222")
    assert [b.marks for b in store.ballots(poll_id)] == ["1111"]
    assert "Đã gõ: 2222" in texts(at)
    assert errors(at)


def test_totals_mode_takes_the_hand_count_and_refuses_impossible_numbers(store: Store) -> None:
    """In totals mode the page takes per-official totals; more invalid than collected is refused."""
    poll_id = new_poll(store, collected=3, open_count="totals")
    at = page(poll_id)
    assert not keyboards(at)
    at.number_input(key="tinnhiem.totals.invalid").set_value(4)
    at.button(key="tinnhiem.totals.submit").click()
    at.run()
    assert any("Chưa lưu tổng số" in e and "không hợp lệ (4)" in e for e in errors(at))
    at.number_input(key="tinnhiem.totals.invalid").set_value(1)
    at.button(key="tinnhiem.totals.submit").click()
    at.run()
    assert any(s.value == "Đã lưu tổng số." for s in at.success)
    assert store.get_poll(poll_id).invalid == 1


def test_without_the_pin_nothing_can_be_typed_or_voided(store: Store) -> None:
    """Without the PIN the page shows only the gate: no keyboard, no void form; a queue sent
    anyway is not stored."""
    poll_id = new_poll(store)
    at = page(poll_id, pin=None)
    assert gate_shown(at)
    assert not keyboards(at)
    assert [t.key for t in at.text_input] == ["access.pin", "access.member"]
    assert not at.number_input
    at.session_state[KEYBOARD] = {"queue": {"client": "x", "items": [{"seq": 1, "line": "1111"}]}}
    at.run()
    assert store.ballots(poll_id) == []


def test_a_wrong_pin_is_refused_and_five_lock_the_gate(store: Store) -> None:
    """A wrong PIN says "Mã PIN không đúng"; the fifth says to wait; the keyboard stays hidden."""
    poll_id = new_poll(store)
    at = page(poll_id, pin=None)
    at = unlock(at, "1357")
    assert any("Mã PIN không đúng" in e for e in errors(at))
    for _ in range(4):
        at = unlock(at, "1357")
    assert any("Hãy chờ 30 giây" in e for e in errors(at))
    assert not keyboards(at)


def test_the_pin_opens_one_poll_for_one_session(store: Store) -> None:
    """The PIN given in one session opens that poll only; a new session (tab) asks again."""
    first, second = new_poll(store), new_poll(store)
    at = page(first)
    assert keyboards(at)
    at.query_params["poll"] = str(second)
    assert gate_shown(at.run()) and not keyboards(at)
    assert gate_shown(page(first, pin=None))


def test_a_poll_without_a_pin_asks_the_board_to_set_one(store: Store) -> None:
    """An imported poll has no PIN: the page asks for a new one twice before any typing."""
    poll_id = store.import_data(store.export_data(new_poll(store)))
    assert store.state(poll_id) == "counting" and not store.has_pin(poll_id)
    at = page(poll_id, pin=None)
    assert any("chưa có mã PIN" in w.value for w in at.warning)
    assert not keyboards(at)
    at.text_input(key="access.new").input("13579")
    at.text_input(key="access.again").input("97531")
    at = next(b for b in at.button if b.label == "Đặt mã PIN").click().run()
    assert any("không khớp" in e for e in errors(at)) and not store.has_pin(poll_id)
    at.text_input(key="access.again").input("13579")
    at = next(b for b in at.button if b.label == "Đặt mã PIN").click().run()
    assert store.check_pin(poll_id, "13579")
    assert keyboards(at)


def test_a_read_only_database_says_so_and_keeps_the_typed_ballot(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the file turns read-only a typed ballot is refused with a clear Vietnamese message
    that shows it back, nothing is stored, and typing it again later stores it once."""
    poll_id = new_poll(store)
    at = page(poll_id)
    served = state.get_store()  # the page's store (shared by the server's sessions)
    keeper = sqlite3.connect(served.path)  # keeps the WAL index a read-only reader needs
    keeper.execute("SELECT 1 FROM polls").fetchall()
    served.close()
    connect = served._pool.connect

    def read_only() -> sqlite3.Connection:
        connect().close()
        ro = sqlite3.connect(
            f"file:{served.path}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
        )
        return Pool.prepare(ro)

    monkeypatch.setattr(served._pool, "connect", read_only)
    before = store.ballots(poll_id)
    at = type_ballot(at, "1230")
    shown = " ".join(errors(at))
    assert "tệp chỉ đọc" in shown and "CHƯA được lưu" in shown, shown
    assert "Đã gõ: 1230" in texts(at)  # shown back, to type again
    assert store.ballots(poll_id) == before == []
    monkeypatch.setattr(served._pool, "connect", connect)
    served.close()  # drop the idle read-only connections: the file is writable again
    keeper.close()
    at = type_ballot(at, "1230")
    assert [b.marks for b in store.ballots(poll_id)] == ["1230"]
    assert store.verify(poll_id).ok
