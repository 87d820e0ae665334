"""Independent entries in the store: stacks, blind passes, decisions, what counts, and the
refusals that leave the database exactly as it was."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from db_dump import dump

from tinnhiem import tally as tally_module
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.pollfile import load_data, poll_from_data
from tinnhiem.stacks import AGREED, DIFFERENT, INCOMPLETE, RESOLVED
from tinnhiem.storage import AlreadyStored, BallotRefused, PollLocked, Store, WrongState

A, B = "Nguyễn Văn A", "Trần Thị B"


def _poll(passes: int = 2, collected: int = 20) -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=(Official("Nguyễn Văn Một"), Official("Lê Văn Hai"), Official("Phạm Ba")),
        passes_required=passes,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def counting(store: Store, passes: int = 2, collected: int = 20) -> int:
    poll_id = store.create_poll(_poll(passes, collected))
    store.open_count(poll_id)
    return poll_id


def typed_pass(store: Store, poll_id: int, stack: int, typist: str, entries, client="k1") -> int:
    number = store.start_pass(poll_id, stack, typist, station="Máy 1", client=client)
    for seq, marks in enumerate(entries, start=1):
        store.add_pass_ballot(poll_id, stack, number, marks, source=(f"{client}-{number}", seq))
    store.finish_pass(poll_id, stack, number)
    return number


FIRST = ("123", "111", "222", "333", "X")
SECOND = ("123", "131", "222", "X")  # ballot 2 changed in row 2, ballot 4 skipped


def test_passes_required_is_part_of_the_setting_and_read_back(store) -> None:
    """A poll made with double entry reads back with passes_required 2; single entry 1."""
    assert store.get_poll(store.create_poll(_poll(2))).passes_required == 2
    assert store.get_poll(store.create_poll(_poll(1))).passes_required == 1


def test_passes_required_cannot_change_once_counting(store) -> None:
    """Once the count is open the setting's passes_required is frozen (WrongState)."""
    poll_id = counting(store)
    with pytest.raises(WrongState):
        store.update_poll(poll_id, _poll(3))
    assert store.get_poll(poll_id).passes_required == 2


def test_agreed_stack_counts_and_the_tally_equals_the_export(store) -> None:
    """Two identical passes agree: the stack counts, and tinnhiem tally of the export agrees."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1", 5)
    typed_pass(store, poll_id, stack, A, FIRST)
    summary = store.stack_summary(poll_id)
    assert summary.views[0].state == INCOMPLETE and summary.awaiting_entry == 5
    assert summary.counted == 0
    typed_pass(store, poll_id, stack, B, FIRST, client="k2")
    summary = store.stack_summary(poll_id)
    assert summary.views[0].state == AGREED and summary.counted == 5
    app = tally_module.tally(store.get_poll(poll_id))
    assert app.counted == 5
    data = store.export_data(poll_id)
    assert data["passes_required"] == 2
    assert data["stacks"] == [
        {"id": "Xấp 1", "passes": [{"by": A, "entries": list(FIRST)},
                                   {"by": B, "entries": list(FIRST)}]}
    ]  # fmt: skip
    text = json.dumps(data, ensure_ascii=False)
    cli = tally_module.as_json(tally_module.tally(poll_from_data(load_data(text))))
    assert cli == tally_module.as_json(app)
    assert cli["stacks"] == [{"id": "Xấp 1", "state": "agreed", "counted": 5, "differences": []}]


def test_the_same_typist_cannot_type_two_passes_of_one_stack(store) -> None:
    """A second pass by the same person is refused in Vietnamese, nothing written."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    typed_pass(store, poll_id, stack, A, FIRST)
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="phải do người khác nhập"):
        store.start_pass(poll_id, stack, " nguyễn văn a ", client="k2")
    assert dump(store.path) == before


def test_a_third_pass_of_a_double_entry_stack_is_refused(store) -> None:
    """Two stations claim the two passes; a third claim is refused, nothing written."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    assert store.start_pass(poll_id, stack, A, client="k1") == 1
    assert store.start_pass(poll_id, stack, B, client="k2") == 2
    assert store.start_pass(poll_id, stack, A, client="k1") == 1  # the same open pass again
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="đủ 2 lần nhập"):
        store.start_pass(poll_id, stack, "Lê Văn C", client="k3")
    assert dump(store.path) == before


def test_a_typist_resumes_an_open_pass_from_a_new_keyboard(store) -> None:
    """A typist whose tab was reloaded (a new keyboard, on one laptop the same address) gets
    the pass left open back, its ballots kept, and goes on from where it stopped; nothing
    is written by taking it up again."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    number = store.start_pass(poll_id, stack, A, client="phiên a")
    store.add_pass_ballot(poll_id, stack, number, "123", source=("k-a", 1))
    before = dump(store.path)
    assert store.start_pass(poll_id, stack, A, client="phiên b") == number
    assert dump(store.path) == before
    store.add_pass_ballot(poll_id, stack, number, "321", source=("k-b", 1))
    store.finish_pass(poll_id, stack, number)
    record = store.stack_summary(poll_id).views[0].record
    assert [p.entries for p in record.passes] == [("123", "321")]


def test_a_pass_line_sent_again_is_stored_once(store) -> None:
    """A keyboard line of a pass resent is answered AlreadyStored, nothing written."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    number = store.start_pass(poll_id, stack, A, client="k1")
    store.add_pass_ballot(poll_id, stack, number, "123", source=("k1", 1))
    before = dump(store.path)
    with pytest.raises(AlreadyStored):
        store.add_pass_ballot(poll_id, stack, number, "123", source=("k1", 1))
    assert dump(store.path) == before


def test_duplicate_label_and_single_entry_polls_are_refused(store) -> None:
    """A label used twice (any case) and a stack in a single-entry poll are refused."""
    poll_id = counting(store)
    store.add_stack(poll_id, "Xấp 1")
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="Đã có xấp"):
        store.add_stack(poll_id, "xấp 1")
    single = counting(store, passes=1)
    with pytest.raises(WrongState, match="mỗi phiếu một lần"):
        store.add_stack(single, "Xấp 1")
    with pytest.raises(WrongState, match="nhập theo xấp"):
        store.add_ballot(poll_id, "123")
    assert store.stack_summary(poll_id).views[0].record.label == "Xấp 1"
    assert len(dump(store.path)) > len(before)  # only the single poll was added


def _different(store: Store) -> tuple[int, int]:
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 3", 5)
    typed_pass(store, poll_id, stack, A, FIRST)
    typed_pass(store, poll_id, stack, B, SECOND, client="k2")
    return poll_id, stack


def test_different_stack_blocks_close_until_decided(store) -> None:
    """Close is refused while a stack differs, naming it; deciding each place resolves it."""
    poll_id, stack = _different(store)
    view = store.stack_summary(poll_id).views[0]
    assert view.state == DIFFERENT
    assert [p.key for p in view.places] == ["at:2", "at:4"]
    assert store.stack_summary(poll_id).awaiting_decision == 5
    before = dump(store.path)
    with pytest.raises(WrongState, match="Xấp 3"):
        store.close_count(poll_id, reason="thử")
    assert dump(store.path) == before
    store.decide(poll_id, stack, "at:2", 1, None, "phiếu giấy ghi như lần 1", "Chủ tọa")
    store.decide(poll_id, stack, "at:4", None, "331", "xem lại phiếu giấy", "Chủ tọa")
    view = store.stack_summary(poll_id).views[0]
    assert view.state == RESOLVED
    assert view.counted == ("123", "111", "222", "331", "X")
    store.close_count(poll_id, reason="một xấp thử")
    store.lock(poll_id)
    assert store.verify(poll_id).ok
    data = store.export_data(poll_id)
    assert data["stacks"][0]["resolved"]["entries"] == ["123", "111", "222", "331", "X"]
    cli = tally_module.as_json(tally_module.tally(poll_from_data(data)))
    assert cli == tally_module.as_json(tally_module.tally(store.get_poll(poll_id)))
    with pytest.raises(PollLocked):
        store.add_stack(poll_id, "Xấp 4")


def test_a_place_is_decided_once_and_needs_a_reason(store) -> None:
    """A decision without a reason, or on a place decided already, is refused, nothing written."""
    poll_id, stack = _different(store)
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="lý do"):
        store.decide(poll_id, stack, "at:2", 1, None, "  ")
    assert dump(store.path) == before
    store.decide(poll_id, stack, "at:2", 2, None, "như lần 2")
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="đã được quyết định"):
        store.decide(poll_id, stack, "at:2", 1, None, "đổi ý")
    assert dump(store.path) == before


def test_sending_back_opens_a_new_round_that_can_agree(store) -> None:
    """A stack sent back is typed again; the old passes stay (in the stack log, and back on
    import); the file's stacks hold the new round, so its tally is the app's."""
    poll_id, stack = _different(store)
    store.send_back(poll_id, stack, "nhiều chỗ sai", "Chủ tọa")
    assert store.stack_summary(poll_id).views[0].state == INCOMPLETE
    typed_pass(store, poll_id, stack, A, FIRST, client="k3")  # a new round: A may type again
    typed_pass(store, poll_id, stack, "Lê Văn C", FIRST, client="k4")
    view = store.stack_summary(poll_id).views[0]
    assert view.state == AGREED and len(view.record.passes) == 4
    data = store.export_data(poll_id)
    assert [p["by"] for p in data["stacks"][0]["passes"]] == [A, "Lê Văn C"]  # this round's
    assert "resolved" not in data["stacks"][0]
    assert len(data["x-tinnhiem"]["stack_log"]["passes"]) == 4  # every pass is kept
    again = store.import_data(json.loads(json.dumps(data)))
    assert len(store.stack_summary(again).views[0].record.passes) == 4
    cli = tally_module.tally(poll_from_data(data))
    assert cli.counted == tally_module.tally(store.get_poll(poll_id)).counted == 5


def test_verify_sees_a_pass_ballot_edited_behind_the_triggers(store) -> None:
    """A pass ballot changed with its trigger dropped is reported by verify."""
    poll_id, _ = _different(store)
    assert store.verify(poll_id).ok
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER pass_ballots_no_update")
    conn.execute("UPDATE pass_ballots SET marks = '333' WHERE position = 2 AND pass_no = 2")
    conn.commit()
    conn.close()
    report = Store(store.path).verify(poll_id)
    assert not report.ok
    assert any("pass_ballots" in p and "khác với nhật ký" in p for p in report.problems)


def test_stack_rows_refuse_update_and_delete(store) -> None:
    """Raw SQL cannot change or delete a pass's ballots or a decision."""
    poll_id, stack = _different(store)
    store.decide(poll_id, stack, "at:2", 1, None, "như lần 1")
    store.close()
    conn = sqlite3.connect(store.path)
    for sql in (
        "UPDATE pass_ballots SET marks = '111'",
        "DELETE FROM passes",
        "DELETE FROM decisions",
        "UPDATE stacks SET label = 'khác'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
            conn.execute(sql)
    conn.close()


def test_export_and_import_round_trip_the_stacks(store) -> None:
    """An exported double-entry poll imports back with the same stacks and the same tally,
    its chain verified; a plain file with stacks imports too."""
    poll_id, stack = _different(store)
    store.decide(poll_id, stack, "at:2", 1, None, "như lần 1", "Chủ tọa")
    data = store.export_data(poll_id)
    again = store.import_data(json.loads(json.dumps(data)))
    assert store.export_data(again)["stacks"] == data["stacks"]
    assert store.verify(again).ok
    assert store.stack_summary(again).views[0].decided.keys() == {"at:2"}
    plain = {k: v for k, v in data.items() if not k.startswith("x-")}
    third = store.import_data(plain)
    assert store.export_data(third)["stacks"] == data["stacks"]
    assert store.verify(third).ok
    resolved = replace(store.get_poll(poll_id))
    assert tally_module.tally(store.get_poll(third)).counted == tally_module.tally(resolved).counted


def test_a_stack_that_would_count_more_than_collected_is_refused(store) -> None:
    """Finishing the pass that would make the stacks count more than collected is refused,
    nothing written."""
    poll_id = counting(store, collected=3)
    first = store.add_stack(poll_id, "Xấp 1")
    typed_pass(store, poll_id, first, A, ("111", "222"))
    typed_pass(store, poll_id, first, B, ("111", "222"), client="k2")
    second = store.add_stack(poll_id, "Xấp 2")
    typed_pass(store, poll_id, second, A, ("111", "222"), client="k3")
    number = store.start_pass(poll_id, second, B, client="k4")
    store.add_pass_ballot(poll_id, second, number, "111")
    store.add_pass_ballot(poll_id, second, number, "222")
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="nhiều hơn 3 phiếu thu về"):
        store.finish_pass(poll_id, second, number)
    assert dump(store.path) == before


def test_triple_entry_with_a_skipped_and_an_extra_ballot(store) -> None:
    """Three passes: pass 2 skips ballot 2, pass 3 has an extra ballot after ballot 3; each
    place gets every pass's reading, and deciding both counts the paper's ballots."""
    poll_id = counting(store, passes=3)
    stack = store.add_stack(poll_id, "Xấp 1", 3)
    typed_pass(store, poll_id, stack, A, ("111", "222", "333"))
    typed_pass(store, poll_id, stack, B, ("111", "333"), client="k2")
    typed_pass(store, poll_id, stack, "Lê Văn C", ("111", "222", "333", "123"), client="k3")
    view = store.stack_summary(poll_id).views[0]
    assert view.state == DIFFERENT
    assert [(p.key, p.readings) for p in view.places] == [
        ("at:2", (("222",), (), ("222",))),
        ("after:3", ((), (), ("123",))),
    ]
    store.decide(poll_id, stack, "at:2", 3, None, "hai lần có phiếu này")
    store.decide(poll_id, stack, "after:3", 1, None, "xấp chỉ có ba phiếu")
    view = store.stack_summary(poll_id).views[0]
    assert view.state == RESOLVED and view.counted == ("111", "222", "333")
    data = store.export_data(poll_id)
    assert tally_module.tally(poll_from_data(data)).counted == 3
    assert tally_module.as_json(tally_module.tally(poll_from_data(data)))["stacks"][0] == {
        "id": "Xấp 1", "state": "resolved", "counted": 3, "differences": [],
    }  # fmt: skip


def test_stack_labels_and_reasons_are_checked_like_other_typed_text(store) -> None:
    """A control character in a label or a reason is refused in Vietnamese, nothing written."""
    poll_id, stack = _different(store)
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="Nhãn xấp phiếu"):
        store.add_stack(poll_id, "Xấp\x07 9")
    with pytest.raises(BallotRefused, match="Lý do quyết định"):
        store.decide(poll_id, stack, "at:2", 1, None, "lý do\x00")
    with pytest.raises(BallotRefused, match=r"(?i)người nhập"):
        store.start_pass(poll_id, stack, "A" * 500)
    assert dump(store.path) == before


def test_two_stations_claiming_passes_at_once_get_different_passes(store) -> None:
    """Two threads starting a pass of one stack at once get passes 1 and 2, never the same."""
    import threading

    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    got: list[int] = []
    start = threading.Barrier(2)

    def claim(typist: str, client: str) -> None:
        start.wait()
        got.append(Store(store.path).start_pass(poll_id, stack, typist, client=client))

    threads = [threading.Thread(target=claim, args=a) for a in ((A, "k1"), (B, "k2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == [1, 2]
    typists = {p.typist for p in store.stack_summary(poll_id).views[0].record.passes}
    assert typists == {A, B}


def test_an_exported_file_with_an_edited_pass_is_refused(store) -> None:
    """A ballot of a pass changed in the exported file's stack log (or its stacks) no longer
    matches its chain: the import is refused, no poll added."""
    poll_id, _ = _different(store)
    data = store.export_data(poll_id)
    data["x-tinnhiem"]["stack_log"]["pass_ballots"][0]["marks"] = "333"
    before = len(store.list_polls())
    with pytest.raises(ValueError, match="nhật ký"):
        store.import_data(data)
    edited = store.export_data(poll_id)
    edited["stacks"][0]["passes"][0]["entries"][0] = "333"
    with pytest.raises(ValueError):
        store.import_data(edited)
    assert len(store.list_polls()) == before


def test_a_pass_left_open_is_set_aside_when_the_stack_is_sent_back(store) -> None:
    """A stack whose typist left a pass open can be sent back; the open pass takes no more
    ballots and a new person types it again."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    left = store.start_pass(poll_id, stack, A, client="k1")
    store.add_pass_ballot(poll_id, stack, left, "111")
    store.send_back(poll_id, stack, "người nhập đã về", "Chủ tọa")
    with pytest.raises(BallotRefused, match="đã xong"):
        store.add_pass_ballot(poll_id, stack, left, "222")
    typed_pass(store, poll_id, stack, A, FIRST, client="k2")
    typed_pass(store, poll_id, stack, B, FIRST, client="k3")
    view = store.stack_summary(poll_id).views[0]
    assert view.state == AGREED and view.counted == FIRST
    data = store.export_data(poll_id)
    assert len(data["stacks"][0]["passes"]) == 2  # the open pass was never finished
    assert tally_module.tally(poll_from_data(data)).counted == 5
    assert store.verify(poll_id).ok


def test_the_list_of_polls_counts_a_stacked_poll_by_its_stacks(store) -> None:
    """list_polls gives a stacked poll the ballots its agreed stacks count."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    typed_pass(store, poll_id, stack, A, FIRST)
    assert store.list_polls()[0].counted == 0
    typed_pass(store, poll_id, stack, B, FIRST, client="k2")
    assert store.list_polls()[0].counted == 5


def test_close_is_refused_while_a_stack_is_incomplete(store) -> None:
    """A stack with one pass of two keeps the count open, with the stack named."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 7")
    typed_pass(store, poll_id, stack, A, FIRST)
    before = dump(store.path)
    with pytest.raises(WrongState, match=r"Xấp 7.*chưa nhập đủ số lần"):
        store.close_count(poll_id, reason="thử")
    assert dump(store.path) == before


def test_verify_sees_a_decision_deleted_behind_the_triggers(store) -> None:
    """A decision removed with its trigger dropped is reported by verify."""
    poll_id, stack = _different(store)
    store.decide(poll_id, stack, "at:2", 1, None, "như lần 1")
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER decisions_no_delete")
    conn.execute("DELETE FROM decisions")
    conn.execute(
        "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'tinnhiem: bảng decisions chỉ được ghi thêm'); END;"
    )
    conn.commit()
    conn.close()
    report = Store(store.path).verify(poll_id)
    assert any("decisions" in p and "đã bị xóa" in p for p in report.problems)


def test_a_stack_without_a_finished_pass_counts_nothing_and_exports_cleanly(store) -> None:
    """A new stack, and one with its first pass still open, leave the tally and the
    export valid: they count nothing and the file lists only stacks with a finished pass."""
    poll_id = counting(store)
    store.add_stack(poll_id, "Xấp 1", 5)
    assert tally_module.tally(store.get_poll(poll_id)).counted == 0
    assert store.entry_counts(poll_id).counted == 0
    second = store.add_stack(poll_id, "Xấp 2", 5)
    number = store.start_pass(poll_id, second, A)
    store.add_pass_ballot(poll_id, second, number, "123")
    data = store.export_data(poll_id)
    assert data["stacks"] == []
    assert tally_module.tally(poll_from_data(data)).counted == 0
    again = store.import_data(json.loads(json.dumps(data)))
    assert [v.record.label for v in store.stack_summary(again).views] == ["Xấp 1", "Xấp 2"]
    assert store.verify(again).ok


def test_passes_of_earlier_rounds_never_count_in_the_file(store) -> None:
    """One pass, sent back, then one identical pass: the app waits for a second entry, and
    the exported file counts nothing either (the earlier round's pass is not compared)."""
    poll_id = counting(store)
    stack = store.add_stack(poll_id, "Xấp 1")
    typed_pass(store, poll_id, stack, A, FIRST)
    store.send_back(poll_id, stack, "bìa ghi sai số phiếu")
    typed_pass(store, poll_id, stack, B, FIRST, client="k2")
    assert store.stack_summary(poll_id).views[0].state == INCOMPLETE
    cli = tally_module.as_json(tally_module.tally(poll_from_data(store.export_data(poll_id))))
    assert cli["stacks"] == [
        {"id": "Xấp 1", "state": "incomplete", "counted": 0, "differences": []}
    ]
