"""The counting page of a double-entry poll through AppTest: a stack added, two blind
passes typed, the difference named and decided; the projector shows only what counts."""

from __future__ import annotations

from pathlib import Path

from pin_gate import PIN, gate_shown, unlock
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.stacks import AGREED, RESOLVED
from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "counting.py")
PROJECTOR = str(ROOT / "pages" / "projector.py")
KEYBOARD = "tinnhiem.entry"
NAMES = ("Nguyễn Văn An", "Trần Thị **Bích**", "Lê Hoàng Phúc")


def new_poll(store: Store, collected: int = 10) -> int:
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=10, present=10),
        issued=collected,
        collected=collected,
        officials=tuple(Official(name, "Ủy viên") for name in NAMES),
        passes_required=2,
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    return poll_id


def page(poll_id: int) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.run()
    return unlock(at, PIN) if gate_shown(at) else at


def type_ballot(at: AppTest, line: str, client: str) -> AppTest:
    seq = at.session_state["typed"] + 1 if "typed" in at.session_state else 1
    at.session_state["typed"] = seq
    at.session_state[KEYBOARD] = {
        "queue": {"client": client, "items": [{"seq": seq, "line": line}]}
    }
    return at.run()


def add_stack(at: AppTest, label: str, size: int) -> AppTest:
    at.text_input(key="tinnhiem.stack.label").input(label)
    at.number_input(key="tinnhiem.stack.size").set_value(size)
    return at.button(key="tinnhiem.stack.add.submit").click().run()


def start_pass(at: AppTest, typist: str) -> AppTest:
    at.text_input(key="tinnhiem.pass.typist").input(typist)
    return at.button(key="tinnhiem.pass.start.submit").click().run()


def typed_pass(poll_id: int, typist: str, lines: list[str], client: str) -> AppTest:
    at = page(poll_id)
    at = start_pass(at, typist)
    for line in lines:
        at = type_ballot(at, line, client)
    return at


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.success]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_a_stack_typed_twice_alike_agrees_and_counts(store: Store) -> None:
    """A stack added on the page and typed by two people alike agrees and counts."""
    poll_id = new_poll(store)
    at = add_stack(page(poll_id), "Xấp 1", 2)
    assert not at.exception
    assert store.stack_summary(poll_id).views[0].record.label == "Xấp 1"
    at = typed_pass(poll_id, "Người Một", ["123", "111"], "k1")
    assert not at.exception
    at.button(key="tinnhiem.pass.finish").click().run()
    at = typed_pass(poll_id, "Người Hai", ["123", "111"], "k2")
    at.button(key="tinnhiem.pass.finish").click().run()
    summary = store.stack_summary(poll_id)
    assert summary.views[0].state == AGREED and summary.counted == 2


def test_the_second_pass_shows_nothing_of_the_first(store: Store) -> None:
    """While pass 2 is typed, the page shows none of pass 1's ballots."""
    poll_id = new_poll(store)
    add_stack(page(poll_id), "Xấp 1", 2)
    first = typed_pass(poll_id, "Người Một", ["321", "213"], "k1")
    first.button(key="tinnhiem.pass.finish").click().run()
    second = typed_pass(poll_id, "Người Hai", [], "k2")
    assert not second.exception
    shown = page_text(second)
    assert "321" not in shown and "213" not in shown
    assert "lần nhập 2" in shown


def test_the_same_typist_is_refused_a_second_pass(store: Store) -> None:
    """The page says in Vietnamese that another person must type the other pass."""
    poll_id = new_poll(store)
    add_stack(page(poll_id), "Xấp 1", 1)
    first = typed_pass(poll_id, "Người Một", ["111"], "k1")
    first.button(key="tinnhiem.pass.finish").click().run()
    at = start_pass(page(poll_id), "Người Một")
    assert any("phải do người khác nhập" in e.value for e in at.error)


def test_a_difference_is_named_and_decided_on_the_page(store: Store) -> None:
    """The reconciliation lists "Xấp 3, phiếu thứ 2 — người số 2 (…)" with both readings in
    words; choosing pass 1 with a reason resolves the stack; the projector counts it then."""
    poll_id = new_poll(store)
    add_stack(page(poll_id), "Xấp 3", 2)
    for typist, lines, client in (
        ("Người Một", ["123", "111"], "k1"),
        ("Người Hai", ["123", "131"], "k2"),
    ):
        at = typed_pass(poll_id, typist, lines, client)
        at.button(key="tinnhiem.pass.finish").click().run()
    hall = AppTest.from_file(PROJECTOR, default_timeout=60)
    hall.query_params["poll"] = str(poll_id)
    hall.run()
    header = "\n".join(h.proto.body for h in hall.get("html"))
    assert "Đã kiểm 0 / 10" in header and "Chờ ban kiểm phiếu quyết định: 2 phiếu" in header
    at = page(poll_id)
    shown = page_text(at)
    assert (
        "Xấp 3, phiếu thứ 2 — người số 2 (Trần Thị **Bích**): lần 1 ghi Tín nhiệm cao, "
        "lần 2 ghi Tín nhiệm thấp" in shown
    )
    key = "tinnhiem.decide.1.at:2"
    at.radio(key=f"{key}.choice").set_value(1)
    at.text_input(key=f"{key}.reason").input("phiếu giấy ghi như lần 1")
    at = at.button(key=f"{key}.submit").click().run()
    assert not at.exception
    view = store.stack_summary(poll_id).views[0]
    assert view.state == RESOLVED and view.counted == ("123", "111")
    hall.run()
    header = "\n".join(h.proto.body for h in hall.get("html"))
    assert "Đã kiểm 2 / 10" in header


def test_the_results_page_refuses_to_close_while_a_stack_differs(store: Store) -> None:
    """Closing with a different stack is refused with the stack named; the page says how
    many ballots await a decision."""
    poll_id = new_poll(store)
    stack = store.add_stack(poll_id, "Xấp 3", 1)
    for typist, marks in (("Người Một", "111"), ("Người Hai", "112")):
        number = store.start_pass(poll_id, stack, typist)
        store.add_pass_ballot(poll_id, stack, number, marks)
        store.finish_pass(poll_id, stack, number)
    at = AppTest.from_file(str(ROOT / "pages" / "results.py"), default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.run()
    at = unlock(at, PIN) if gate_shown(at) else at
    assert any("Chờ ban kiểm phiếu quyết định: 1 phiếu" in w.value for w in at.warning)
    at.text_input(key="results.close_reason").input("chỉ một xấp")
    at = at.checkbox(key="results.close_sure").check().run()
    at = at.button(key="results.close").click().run()
    refused = [e.value.replace("\\", "") for e in at.error]
    assert any("Xấp 3" in e and "chưa quyết định" in e for e in refused)
    assert store.state(poll_id) == "counting"


def test_a_stack_label_and_typist_are_shown_literally(store: Store) -> None:
    """A label and a typist's name holding Markdown and HTML are shown as typed, never read."""
    poll_id = new_poll(store)
    label, typist = "**Xấp** <b>3</b> :red[x]", "_Nguyễn_ <i>A</i>"
    stack = store.add_stack(poll_id, label, 2)
    at = page(poll_id)
    tables = "\n".join(h.proto.body for h in at.get("html"))
    assert "&lt;b&gt;3&lt;/b&gt;" in tables and "<b>3</b>" not in tables
    at = start_pass(at, typist)
    assert not at.exception
    assert store.stack_summary(poll_id).views[0].record.passes[0].typist == typist
    heading = next(h.value for h in at.subheader)
    assert heading.replace("\\", "").replace("\u2060", "").startswith(label)
    assert "\\*\\*Xấp\\*\\*" in heading and "\\<b\\>" in heading
    assert stack == 1


def test_a_decided_place_is_shown_with_its_decision(store: Store) -> None:
    """With one of two places decided, the page shows that decision and a form for the other."""
    poll_id = new_poll(store)
    stack = store.add_stack(poll_id, "Xấp 1", 3)
    for typist, entries in (("Người Một", ("111", "222", "333")), ("Người Hai", ("112", "222"))):
        number = store.start_pass(poll_id, stack, typist)
        for marks in entries:
            store.add_pass_ballot(poll_id, stack, number, marks)
        store.finish_pass(poll_id, stack, number)
    store.decide(poll_id, stack, "at:1", 2, None, "ô thứ ba đánh thấp", "Chủ tọa")
    at = page(poll_id)
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any("Xấp 1, phiếu thứ 1" in c and "lấy theo lần 2 (112)" in c for c in captions)
    choices = {r.key for r in at.radio}
    assert "tinnhiem.decide.1.at:3.choice" in choices
    assert "tinnhiem.decide.1.at:1.choice" not in choices


def test_a_typist_in_a_new_tab_takes_up_his_open_pass(store: Store) -> None:
    """A pass left open after two ballots (the tab was closed) is taken up in a new tab by
    the same typist: the page says how many ballots it has, and the next line is the third."""
    poll_id = new_poll(store)
    stack = store.add_stack(poll_id, "Xấp 1", 5)
    number = store.start_pass(poll_id, stack, "Người Một", client="phiên cũ")
    for seq, marks in enumerate(("123", "111"), start=1):
        store.add_pass_ballot(poll_id, stack, number, marks, source=("k-cũ", seq))
    at = start_pass(page(poll_id), "Người Một")
    said = [s.value.replace("\\", "") for s in at.success]  # shown escaped: literal text
    assert any("Tiếp tục lần nhập 1 của xấp “Xấp 1 — 5 phiếu”: đã có 2 phiếu" in s for s in said)
    at = type_ballot(at, "222", "k-mới")
    record = store.stack_summary(poll_id).views[0].record
    assert [p.entries for p in record.passes] == [("123", "111", "222")]
