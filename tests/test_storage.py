"""The store: life cycle, ballots, voids, totals, audit chain, poll files (tinnhiem.storage)."""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import threading
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from db_dump import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.storage import (
    GENESIS_HASH,
    BallotRefused,
    PollLocked,
    PollNotFound,
    SetupInvalid,
    Store,
    WrongState,
    canonical_json,
    entry_hash,
    schema,
)
from tinnhiem.tally import tally, tally_counts
from tinnhiem.validation import PollError


def small_poll(collected: int = 5, kind: Kind = Kind.POLL, **changes) -> Poll:
    """A poll of 10 members, 9 present, three officials of whom one is exempt."""
    poll = Poll(
        kind=kind,
        rules="nq96-2023",
        members=Attendance(total=10, present=9, absent_with_reason=1, absent_without_reason=0),
        issued=collected,
        collected=collected,
        officials=(
            Official("Nguyễn Văn A", "Chủ tịch"),
            Official("Trần Thị B", "Phó Chủ tịch", exempt_reason="Nghỉ hưu"),
            Official("Lê Văn C", "Ủy viên"),
        ),
        title="Kỳ họp thứ 7",
        body="HĐND xã",
        date="2024-06-01",
        time="08:00",
        place="Hội trường",
        board=(BoardMember("Phạm D", "chair"), BoardMember("Võ E", "secretary")),
        remarks="",
    )
    return replace(poll, **changes)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "tinnhiem.db")


def counting(store: Store, collected: int = 5, mode: str = "entries", **changes) -> int:
    poll_id = store.create_poll(small_poll(collected, **changes), actor="thư ký")
    store.open_count(poll_id, actor="thư ký", mode=mode)
    return poll_id


# -- setup ------------------------------------------------------------------------------


def test_create_poll_stores_the_whole_setting(store):
    """A created poll reads back equal to what was given, exempt official and board included."""
    poll = small_poll()
    poll_id = store.create_poll(poll)
    stored = store.get_poll(poll_id)
    assert stored == replace(poll, id=stored.id) and uuid.UUID(stored.id).version == 4
    assert store.state(poll_id) == "setup"
    assert store.path.parent.is_dir()


def test_create_poll_ignores_entries_and_totals(store):
    """Entries given to create_poll are not stored: counting starts at open_count."""
    poll_id = store.create_poll(small_poll(entries=("11", "22")))
    assert store.get_poll(poll_id).entries is None
    assert store.ballot_count(poll_id) == 0


def test_create_poll_allows_zero_ballots_and_no_quorum_yet(store):
    """At setup, zero ballots issued and too few present are allowed (checked at opening)."""
    poll = small_poll(0, members=Attendance(total=10, present=3))
    stored = store.get_poll(store.create_poll(poll))
    assert stored == replace(poll, id=stored.id)


def test_create_poll_refuses_an_impossible_setting(store):
    """Present above the total is refused with every problem, and nothing is stored."""
    with pytest.raises(SetupInvalid, match="số có mặt \\(11\\) lớn hơn") as error:
        store.create_poll(small_poll(members=Attendance(total=10, present=11)))
    assert error.value.problems[0].field == "members.present"
    assert store.list_polls() == []


def test_list_polls_is_newest_first_with_counts(store):
    """The list shows the newest poll first with its active ballot count."""
    first = counting(store)
    store.add_ballot(first, "12")
    second = store.create_poll(small_poll(title="Kỳ họp thứ 8"))
    summaries = store.list_polls()
    assert [s.id for s in summaries] == [second, first]
    assert (summaries[1].counted, summaries[1].collected, summaries[1].state) == (1, 5, "counting")
    assert summaries[0].title == "Kỳ họp thứ 8"


def test_unknown_poll_is_reported(store):
    """Reading or writing a poll that does not exist raises PollNotFound."""
    with pytest.raises(PollNotFound, match="Không có đợt lấy phiếu số 99"):
        store.get_poll(99)
    with pytest.raises(PollNotFound, match="số 99"):
        store.add_ballot(99, "12")


def test_update_poll_in_setup_replaces_officials_and_board(store):
    """In setup the whole setting, officials and board can be replaced."""
    poll_id = store.create_poll(small_poll())
    changed = small_poll(
        officials=(Official("Đỗ F", "Ủy viên"),), board=(BoardMember("Hồ G", "chair"),)
    )
    store.update_poll(poll_id, changed)
    stored = store.get_poll(poll_id)
    assert stored == replace(changed, id=stored.id)


def test_update_poll_while_counting_changes_only_ballot_counts(store):
    """While counting, issued/collected may change but nothing else, and never below entered."""
    poll_id = counting(store, 5)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "12")
    store.update_poll(poll_id, small_poll(4))
    assert store.get_poll(poll_id).collected == 4
    with pytest.raises(WrongState, match="chỉ được sửa số phiếu phát ra và thu về"):
        store.update_poll(poll_id, small_poll(4, title="Khác"))
    with pytest.raises(WrongState, match="Đã nhập 2 phiếu"):
        store.update_poll(poll_id, small_poll(1))


def test_update_poll_after_closing_is_refused(store):
    """A closed poll's setting cannot change; a locked one says it is locked."""
    poll_id = counting(store, 1)
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id)
    with pytest.raises(WrongState, match="đã kết thúc kiểm phiếu"):
        store.update_poll(poll_id, small_poll(1))
    store.lock(poll_id)
    with pytest.raises(PollLocked, match="đã khóa"):
        store.update_poll(poll_id, small_poll(1))


# -- opening the count ------------------------------------------------------------------


def test_open_count_needs_quorum(store):
    """The count does not open without two thirds present, and says so."""
    poll_id = store.create_poll(small_poll(3, members=Attendance(total=10, present=6)))
    with pytest.raises(SetupInvalid, match="chưa đủ túc số: có mặt 6/10, cần ít nhất 7"):
        store.open_count(poll_id)
    assert store.state(poll_id) == "setup"


def test_open_count_needs_collected_ballots(store):
    """The count does not open before the ballots collected are known."""
    poll_id = store.create_poll(small_poll(0))
    with pytest.raises(SetupInvalid, match="chưa có phiếu thu về"):
        store.open_count(poll_id)


def test_open_count_twice_is_refused(store):
    """Opening an open count is a state error."""
    poll_id = counting(store)
    with pytest.raises(WrongState, match="đang kiểm phiếu"):
        store.open_count(poll_id)
    assert store.mode(poll_id) == "entries"


# -- ballots ----------------------------------------------------------------------------


def test_ballot_before_opening_is_refused(store):
    """No ballot can be entered while the poll is being set up."""
    poll_id = store.create_poll(small_poll())
    with pytest.raises(WrongState, match="đang thiết lập"):
        store.add_ballot(poll_id, "12")


def test_ballots_get_consecutive_entry_numbers(store):
    """Ballots are numbered 1, 2, 3 … with station, person and time, and counted in order."""
    poll_id = counting(store)
    first = store.add_ballot(poll_id, "12", station="Máy 1", entered_by="An")
    second = store.add_ballot(poll_id, "X", station="Máy 2", entered_by="Bình")
    third = store.add_ballot(poll_id, " x ")
    assert [first.entry_no, second.entry_no, third.entry_no] == [1, 2, 3]
    assert (first.marks, first.station, first.entered_by) == ("12", "Máy 1", "An")
    assert third.marks == "X"
    assert "T" in first.entered_at and first.entered_at[-6] in "+-"
    assert store.get_poll(poll_id).entries == ("12", "X", "X")
    assert store.ballots(poll_id) == [first, second, third]


@pytest.mark.parametrize(
    ("marks", "message"),
    [("123", "Phiếu có 3 ký tự nhưng danh sách có 2 người"), ("14", "Ký tự “4” ở vị trí 2")],
)
def test_bad_ballot_is_refused(store, marks, message):
    """A ballot of the wrong length or with a wrong character is refused with the reason."""
    poll_id = counting(store)
    with pytest.raises(BallotRefused, match=message):
        store.add_ballot(poll_id, marks)
    assert store.ballot_count(poll_id) == 0


def test_no_more_ballots_than_collected(store):
    """Once as many ballots as collected are entered, the next one is refused."""
    poll_id = counting(store, 2)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "22")
    with pytest.raises(BallotRefused, match="Đã nhập đủ 2 phiếu bằng số phiếu thu về"):
        store.add_ballot(poll_id, "33")


def test_void_keeps_the_original_and_frees_a_place(store):
    """A voided ballot keeps its marks with who, when and why, and no longer counts."""
    poll_id = counting(store, 2)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "22")
    store.void_ballot(poll_id, 1, "  nhập nhầm  ", actor="Chi")
    voided = store.ballots(poll_id)[0]
    assert (voided.marks, voided.voided, voided.void_reason, voided.voided_by) == (
        "11",
        True,
        "nhập nhầm",
        "Chi",
    )
    assert voided.voided_at is not None
    assert store.ballot_count(poll_id) == 1
    assert store.get_poll(poll_id).entries == ("22",)
    assert [b.entry_no for b in store.ballots(poll_id, include_voided=False)] == [2]
    assert store.add_ballot(poll_id, "33").entry_no == 3


def test_void_needs_a_reason(store):
    """A void without a reason (or with only spaces) is refused."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    with pytest.raises(BallotRefused, match="Cần ghi lý do hủy phiếu"):
        store.void_ballot(poll_id, 1, "   ")
    assert store.ballot_count(poll_id) == 1


def test_void_twice_or_unknown_is_refused(store):
    """A ballot cannot be voided twice, nor can a ballot that does not exist."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    store.void_ballot(poll_id, 1, "sai")
    with pytest.raises(BallotRefused, match="Phiếu số 1 đã bị hủy"):
        store.void_ballot(poll_id, 1, "sai lần nữa")
    with pytest.raises(BallotRefused, match="Không có phiếu số 7"):
        store.void_ballot(poll_id, 7, "sai")


def test_correct_ballot_voids_and_replaces(store):
    """A correction voids the ballot and stores the new marks pointing at it."""
    poll_id = counting(store, 1)
    store.add_ballot(poll_id, "11")
    corrected = store.correct_ballot(poll_id, 1, "13", "đọc nhầm", station="Máy 2", actor="Dũng")
    assert (corrected.entry_no, corrected.marks, corrected.replaces) == (2, "13", 1)
    assert (corrected.station, corrected.entered_by) == ("Máy 2", "Dũng")
    assert store.ballots(poll_id)[0].voided
    assert store.get_poll(poll_id).entries == ("13",)


def test_failed_correction_changes_nothing(store):
    """A correction with bad marks leaves the original ballot active and unvoided."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="ký tự"):
        store.correct_ballot(poll_id, 1, "1", "đọc nhầm")
    assert dump(store.path) == before


def test_recent_ballots_are_newest_first(store):
    """recent_ballots gives the last entries, newest first, voided ones included."""
    poll_id = counting(store)
    for marks in ("11", "12", "13", "21"):
        store.add_ballot(poll_id, marks)
    store.void_ballot(poll_id, 4, "sai")
    assert [b.entry_no for b in store.recent_ballots(poll_id, limit=3)] == [4, 3, 2]


def test_the_desk_is_one_snapshot_of_what_the_counting_page_shows(store):
    """desk gives the setting without ballots, state, mode, active count and last entries."""
    poll_id = counting(store)
    for marks in ("11", "12", "13"):
        store.add_ballot(poll_id, marks)
    store.void_ballot(poll_id, 2, "sai")
    desk = store.desk(poll_id, recent=2)
    assert desk.poll == store.get_poll(poll_id, with_entries=False)
    assert desk.poll.entries is None
    assert (desk.state, desk.mode, desk.counted) == ("counting", "entries", 2)
    assert [(b.entry_no, b.voided) for b in desk.recent] == [(3, False), (2, True)]
    totals = store.desk(counting(store, 5, mode="totals"))
    assert (totals.mode, totals.counted, totals.recent) == ("totals", 0, ())
    with pytest.raises(PollNotFound):
        store.desk(999)


# -- totals mode ------------------------------------------------------------------------


def test_totals_mode_stores_hand_count_totals(store):
    """In totals mode the hand-count totals are stored and read back, not ballots."""
    poll_id = counting(store, 5, mode="totals")
    assert store.mode(poll_id) == "totals"
    assert store.get_poll(poll_id).totals is None
    totals = [{"high": 2, "confidence": 1, "low": 1}, {"high": 0, "confidence": 0, "low": 4}]
    store.set_totals(poll_id, totals, invalid=1)
    poll = store.get_poll(poll_id)
    assert (poll.totals, poll.invalid, poll.entries) == (tuple(totals), 1, None)
    with pytest.raises(WrongState, match="nhập kết quả tổng hợp, không nhập từng phiếu"):
        store.add_ballot(poll_id, "11")


def test_totals_are_validated_like_a_poll_file(store):
    """Totals above the ballots that could carry them are refused with the T05 problem."""
    poll_id = counting(store, 5, mode="totals")
    too_many = [{"high": 5, "confidence": 0, "low": 0}, {"high": 0, "confidence": 0, "low": 5}]
    with pytest.raises(SetupInvalid, match="vượt số phiếu hợp lệ") as error:
        store.set_totals(poll_id, too_many, invalid=1)
    assert error.value.problems[0].code == "T05"


def test_totals_refused_in_entries_mode(store):
    """set_totals is a state error when ballots are entered one by one."""
    poll_id = counting(store)
    with pytest.raises(WrongState, match="nhập từng phiếu"):
        store.set_totals(poll_id, [])


# -- closing, reopening, locking --------------------------------------------------------


def test_close_refused_while_ballots_are_missing(store):
    """Closing with fewer ballots than collected needs a reason, which is recorded."""
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    with pytest.raises(WrongState, match="Mới nhập 1/3 phiếu thu về"):
        store.close_count(poll_id)
    store.close_count(poll_id, actor="Trưởng ban", reason="Hai phiếu bị rách")
    assert store.state(poll_id) == "closed"
    last = store.audit_log(poll_id)[-1]
    assert (last.action, last.actor, last.payload["reason"]) == (
        "close",
        "Trưởng ban",
        "Hai phiếu bị rách",
    )


def test_reopen_needs_a_reason(store):
    """A closed count reopens only with a reason, then accepts ballots again."""
    poll_id = counting(store, 2)
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id, reason="tạm dừng")
    with pytest.raises(WrongState, match="Cần ghi lý do mở lại"):
        store.reopen_count(poll_id, " ")
    with pytest.raises(WrongState, match="đã kết thúc kiểm phiếu"):
        store.add_ballot(poll_id, "12")
    store.reopen_count(poll_id, "còn một phiếu")
    assert store.add_ballot(poll_id, "12").entry_no == 2


def test_lock_returns_the_head_hash_and_refuses_every_write(store):
    """A locked poll reports its lock and refuses every write with a Vietnamese message."""
    poll_id = counting(store, 2)
    store.add_ballot(poll_id, "11")
    with pytest.raises(WrongState, match="đang kiểm phiếu"):
        store.lock(poll_id)
    store.close_count(poll_id, reason="một phiếu rách")
    head = store.lock(poll_id, actor="Chủ tọa")
    assert head == store.audit_log(poll_id)[-1].hash
    locked_at, lock_hash = store.lock_info(poll_id)
    assert lock_hash == head and "T" in locked_at
    writes = [
        lambda: store.add_ballot(poll_id, "12"),
        lambda: store.void_ballot(poll_id, 1, "sai"),
        lambda: store.correct_ballot(poll_id, 1, "12", "sai"),
        lambda: store.set_totals(poll_id, []),
        lambda: store.close_count(poll_id, reason="x"),
        lambda: store.reopen_count(poll_id, "x"),
        lambda: store.open_count(poll_id),
        lambda: store.lock(poll_id),
        lambda: store.update_poll(poll_id, small_poll(2)),
    ]
    before = dump(store.path)
    for write in writes:
        with pytest.raises(PollLocked, match="đã khóa: kết quả là cuối cùng"):
            write()
    assert dump(store.path) == before
    assert store.verify(poll_id).ok


def test_lock_info_is_none_before_locking(store):
    """An unlocked poll has no lock information."""
    assert store.lock_info(counting(store)) is None


# -- audit chain ------------------------------------------------------------------------


def test_audit_log_chains_every_change(store):
    """Each change appends one entry whose hash covers the previous hash and its own fields."""
    poll_id = counting(store, 2)
    store.add_ballot(poll_id, "11", entered_by="An")
    store.void_ballot(poll_id, 1, "sai", actor="Bình")
    log = store.audit_log(poll_id)
    assert [e.action for e in log] == ["create", "open", "ballot", "void"]
    assert [e.seq for e in log] == [1, 2, 3, 4]
    assert log[0].prev_hash == GENESIS_HASH
    for previous, entry in itertools.pairwise(log):
        assert entry.prev_hash == previous.hash
    for entry in log:
        payload = canonical_json(entry.payload)
        assert entry.hash == entry_hash(
            entry.prev_hash, entry.seq, entry.at, entry.actor, entry.action, payload
        )
    assert log[2].actor == "An" and log[2].payload["marks"] == "11"
    assert log[3].payload["reason"] == "sai"


def test_verify_passes_a_whole_life_cycle(store):
    """After setup, ballots, voids, corrections, closing and locking, verify finds nothing."""
    poll_id = counting(store, 3)
    for marks in ("11", "22", "33"):
        store.add_ballot(poll_id, marks)
    store.void_ballot(poll_id, 2, "sai")
    store.correct_ballot(poll_id, 3, "31", "đọc nhầm")
    store.add_ballot(poll_id, "X")
    store.update_poll(poll_id, small_poll(4))
    store.close_count(poll_id, reason="thiếu một phiếu")
    store.reopen_count(poll_id, "tìm thấy phiếu")
    store.add_ballot(poll_id, "00")
    store.close_count(poll_id)
    head = store.lock(poll_id)
    other = counting(store, 1, mode="totals")
    store.set_totals(other, [{"high": 1, "confidence": 0, "low": 0}] * 2)
    report = store.verify()
    assert report.ok, report.problems
    assert report.problems == ()
    assert report.entries == len(store.audit_log(poll_id)) + len(store.audit_log(other))
    assert store.verify(poll_id).head_hash == head


def test_change_token_changes_with_every_write_only(store):
    """The token moves on each change of the poll and stays put on reads."""
    poll_id = store.create_poll(small_poll())
    tokens = [store.change_token(poll_id)]
    store.open_count(poll_id)
    tokens.append(store.change_token(poll_id))
    store.add_ballot(poll_id, "11")
    tokens.append(store.change_token(poll_id))
    store.get_poll(poll_id)
    store.verify()
    tokens.append(store.change_token(poll_id))
    store.void_ballot(poll_id, 1, "sai")
    tokens.append(store.change_token(poll_id))
    assert len(set(tokens)) == 4 and tokens[2] == tokens[3]
    with pytest.raises(PollNotFound):
        store.change_token(42)


# -- failure leaves nothing behind ------------------------------------------------------


_FAILING_WRITES = {
    "bad marks": lambda s, p: s.add_ballot(p, "1"),
    "more than collected": lambda s, p: s.add_ballot(p, "33"),
    "void without reason": lambda s, p: s.void_ballot(p, 1, ""),
    "bad correction": lambda s, p: s.correct_ballot(p, 1, "9", "sai"),
    "reopen while counting": lambda s, p: s.reopen_count(p, "x"),
    "setting while counting": lambda s, p: s.update_poll(p, small_poll(2, title="khác")),
    "impossible setting": lambda s, _p: s.create_poll(
        small_poll(members=Attendance(total=1, present=2))
    ),
    "bad import": lambda s, _p: s.import_data({"format": "tinnhiem/1", "kind": "poll"}),
}


@pytest.mark.parametrize("failing", _FAILING_WRITES.values(), ids=_FAILING_WRITES.keys())
def test_failed_write_leaves_the_database_unchanged(store, failing):
    """Every refused write leaves every table exactly as it was."""
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "12")
    store.update_poll(poll_id, small_poll(2))  # full: no room for a third ballot
    before = dump(store.path)
    with pytest.raises((BallotRefused, WrongState, SetupInvalid, PollError)):
        failing(store, poll_id)
    assert dump(store.path) == before


# -- the journal replays to the live tally ----------------------------------------------

_operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.text("0123X", min_size=2, max_size=2)),
        st.tuples(st.just("void"), st.integers(1, 12)),
        st.tuples(st.just("correct"), st.integers(1, 12), st.text("0123", min_size=2, max_size=2)),
    ),
    max_size=25,
)
_databases = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=_operations)
def test_replaying_the_journal_gives_the_live_tally(operations):
    """Replaying the stored ballots (and the audit log) minus the voided gives tally(get_poll())."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / f"p{next(_databases)}.db")
        poll_id = counting(store, 8)
        for operation in operations:
            try:
                if operation[0] == "add":
                    store.add_ballot(poll_id, operation[1])
                elif operation[0] == "void":
                    store.void_ballot(poll_id, operation[1], "sai")
                else:
                    store.correct_ballot(poll_id, operation[1], operation[2], "đọc nhầm")
            except BallotRefused:
                pass  # a refused operation must simply leave no trace
        live = store.get_poll(poll_id)
        journal = tuple(b.marks for b in store.ballots(poll_id) if not b.voided)
        logged = {}
        for entry in store.audit_log(poll_id):
            if entry.action == "ballot":
                logged[entry.payload["entry_no"]] = entry.payload["marks"]
            elif entry.action == "void":
                del logged[entry.payload["entry_no"]]
        from_log = tuple(logged[n] for n in sorted(logged))
        expected = tally(replace(live, entries=journal))
        assert tally(live) == expected
        assert tally(replace(live, entries=from_log)) == expected
        assert store.ballot_count(poll_id) == len(journal) <= 8
        assert store.verify(poll_id).ok


# -- poll files -------------------------------------------------------------------------


def _without_id(data: dict) -> dict:
    data = dict(data)
    data["x-tinnhiem"] = {k: v for k, v in data["x-tinnhiem"].items() if k != "poll_id"}
    return data


@pytest.mark.parametrize("final_state", ["setup", "counting", "closed", "locked"])
def test_export_import_round_trip_is_lossless(store, final_state):
    """export(import(export(x))) equals export(x) but for the id, in every state."""
    poll_id = store.create_poll(small_poll(3))
    if final_state != "setup":
        store.open_count(poll_id)
        store.add_ballot(poll_id, "11", station="Máy 1", entered_by="An")
        store.add_ballot(poll_id, "X", station="Máy 2", entered_by="Bình")
        store.correct_ballot(poll_id, 1, "13", "đọc nhầm", actor="Chi")
    if final_state in ("closed", "locked"):
        store.close_count(poll_id, reason="thiếu một phiếu")
    if final_state == "locked":
        store.lock(poll_id)
    exported = store.export_data(poll_id)
    copy = store.import_data(exported, actor="Lưu trữ")
    assert copy != poll_id
    assert _without_id(store.export_data(copy)) == _without_id(exported)
    assert store.state(copy) == final_state
    assert store.ballots(copy) == store.ballots(poll_id)
    assert store.lock_info(copy) == store.lock_info(poll_id)
    assert store.verify().ok


def test_export_is_a_valid_poll_file(store):
    """The exported data is a poll file whose entries are the active ballots."""
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "23")
    store.void_ballot(poll_id, 1, "sai")
    data = store.export_data(poll_id)
    assert data["format"] == "tinnhiem/1"
    assert data["entries"] == ["23"]
    assert data["officials"] == [
        {"name": "Nguyễn Văn A", "position": "Chủ tịch"},
        {"name": "Lê Văn C", "position": "Ủy viên"},
    ]
    extension = data["x-tinnhiem"]
    assert (extension["state"], extension["mode"], extension["poll_id"]) == (
        "counting",
        "entries",
        poll_id,
    )
    assert extension["ballot_log"][0]["void"]["reason"] == "sai"
    assert [e["action"] for e in extension["audit"]][-1] == "void"


def test_totals_round_trip(store):
    """A totals-mode poll survives export and import with its totals and invalid count."""
    poll_id = counting(store, 4, mode="totals")
    store.set_totals(poll_id, [{"high": 1, "confidence": 1, "low": 1}] * 2, invalid=1)
    exported = store.export_data(poll_id)
    copy = store.import_data(exported)
    assert _without_id(store.export_data(copy)) == _without_id(exported)
    assert store.get_poll(copy).totals == store.get_poll(poll_id).totals


def test_plain_poll_file_starts_a_new_chain(store):
    """A poll file without the store's log is imported as counting with its entries."""
    data = {
        "format": "tinnhiem/1",
        "kind": "vote",
        "rules": "nq85-2014",
        "members": {"total": 10, "present": 9},
        "ballots": {"issued": 9, "collected": 9},
        "officials": [{"name": "Nguyễn Văn A", "position": "Chủ tịch"}],
        "entries": ["1", "2", "X"],
    }
    poll_id = store.import_data(data, actor="Nhập tệp")
    assert (store.state(poll_id), store.mode(poll_id)) == ("counting", "entries")
    assert store.get_poll(poll_id).entries == ("1", "2", "X")
    assert [b.entered_by for b in store.ballots(poll_id)] == ["Nhập tệp"] * 3
    assert store.verify(poll_id).ok
    empty = store.import_data({k: v for k, v in data.items() if k != "entries"})
    assert store.state(empty) == "setup"


def test_import_refuses_a_bad_file_naming_the_field(store):
    """A poll file with an impossible count is refused with the field's name; nothing stored."""
    data = store.export_data(counting(store))
    data["ballots"]["collected"] = 99
    before = dump(store.path)
    with pytest.raises(PollError, match=r"ballots\.collected"):
        store.import_data(data)
    assert dump(store.path) == before


def test_import_refuses_an_edited_ballot_log(store):
    """An exported file whose ballot was edited by hand fails its own chain and is refused."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    data = store.export_data(poll_id)
    data["entries"] = ["33"]
    data["x-tinnhiem"]["ballot_log"][0]["marks"] = "33"
    before = dump(store.path)
    with pytest.raises(PollError, match=r"x-tinnhiem\.audit: .*Phiếu số 1: nội dung"):
        store.import_data(data)
    assert dump(store.path) == before


_MALFORMED = {
    "audit seq": (
        lambda ext: ext["audit"][0].update(seq="một"),
        r"^x-tinnhiem\.audit\[1\]\.seq: phải là một số nguyên, không phải \"một\"\.$",
    ),
    "created_at": (
        lambda ext: ext.pop("created_at"),
        r"^x-tinnhiem\.created_at: phải là một chuỗi ký tự, không phải null\.$",
    ),
    "state": (lambda ext: ext.update(state="open"), r"^x-tinnhiem\.state: phải là một trong"),
    "duplicate ballot": (
        lambda ext: ext["ballot_log"].append(dict(ext["ballot_log"][0])),
        r"^x-tinnhiem\.ballot_log: số phiếu \(entry_no\) phải là 1, 2, 3",
    ),
    "void type": (
        lambda ext: ext["ballot_log"][0].update(void="có"),
        r"^x-tinnhiem\.ballot_log\[1\]\.void: phải là một đối tượng JSON",
    ),
}


@pytest.mark.parametrize(("edit", "message"), _MALFORMED.values(), ids=_MALFORMED.keys())
def test_import_refuses_a_malformed_extension(store, edit, message):
    """A wrong value inside the store's extension names the exact field; nothing is stored."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    data = store.export_data(poll_id)
    edit(data["x-tinnhiem"])
    before = dump(store.path)
    with pytest.raises(PollError, match=message):
        store.import_data(data)
    assert dump(store.path) == before


# -- the database file ------------------------------------------------------------------


def test_a_second_store_on_the_same_file_sees_the_data(store):
    """Opening the file again migrates nothing and reads what the first store wrote."""
    poll_id = counting(store)
    store.add_ballot(poll_id, "11")
    again = Store(store.path)
    assert again.get_poll(poll_id).entries == ("11",)
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    finally:
        conn.close()
    assert names == [name for name, _ in schema._MIGRATIONS]  # each once, in order


def test_a_database_of_the_first_schema_is_migrated(tmp_path):
    """A file of the first schema, locked poll included, gains chain heads and verifies."""
    from sqlite_utils import Database

    from tinnhiem.storage.migrate import migrations as _migrations

    current = Store(tmp_path / "current.db")
    locked = counting(current, 1)
    current.add_ballot(locked, "11")
    current.close_count(locked)
    current.lock(locked)
    open_poll = counting(current, 3)
    current.add_ballot(open_poll, "12")

    old = tmp_path / "old.db"
    db = Database(old)
    _migrations().apply(db, stop_before="0002_chain_head")
    db.close()
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("ATTACH ? AS src", (str(current.path),))
    columns = [r[1] for r in conn.execute("PRAGMA main.table_info(polls)")]
    chosen = ", ".join("'closed'" if c == "state" else c for c in columns)
    conn.execute(f"INSERT INTO polls ({', '.join(columns)}) SELECT {chosen} FROM src.polls")
    for table in ("officials", "board", "ballots", "voids", "totals", "audit"):
        names = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM src.{table}")
    conn.execute("UPDATE polls SET state = (SELECT state FROM src.polls s WHERE s.id = polls.id)")
    conn.close()

    upgraded = Store(old)
    report = upgraded.verify()
    assert report.ok, report.problems
    assert upgraded.change_token(locked) == current.change_token(locked)
    assert upgraded.add_ballot(open_poll, "13").entry_no == 2
    assert upgraded.verify().ok


def test_demo_poll_is_counting_with_31_ballots_on_two_stations(store):
    """The demo poll opens with 31 of its 47 ballots entered on Máy 1 and Máy 2."""
    poll_id = store.create_demo()
    assert store.state(poll_id) == "counting"
    assert store.ballot_count(poll_id) == 31
    assert {b.station for b in store.ballots(poll_id)} == {"Máy 1", "Máy 2"}
    assert store.get_poll(poll_id).collected == 47


def test_ensure_demo_makes_one_demo_on_an_empty_database_only(tmp_path):
    """Four stores starting at once on an empty file make exactly one demo; later calls and
    a file with polls get None."""
    path = tmp_path / "first-start.db"
    stores = [Store(path) for _ in range(4)]
    made: list[int | None] = []
    start = threading.Barrier(4)

    def first_start(store: Store) -> None:
        start.wait()
        made.append(store.ensure_demo())

    threads = [threading.Thread(target=first_start, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made, key=str) == [1, None, None, None]
    assert [p.id for p in stores[0].list_polls()] == [1]
    assert stores[0].ballot_count(1) == 31
    assert [e.action for e in stores[0].audit_log(1)][:3] == ["create", "open", "ballot"]
    assert stores[0].verify().ok
    assert not stores[0].has_pin(1)


def test_entry_counts_follow_ballots_voids_and_corrections(store):
    """entry_counts, kept and added to call by call, always equal a full recount."""
    poll_id = counting(store, collected=6)
    setting = store.get_poll(poll_id, with_entries=False)
    for marks in ("12", "33", "X"):
        store.add_ballot(poll_id, marks)
        counts = store.entry_counts(poll_id)
        assert tally_counts(setting, counts) == tally(store.get_poll(poll_id))
    store.void_ballot(poll_id, 2, "Nhập trùng")
    store.correct_ballot(poll_id, 1, "22", "Đọc nhầm")
    store.add_ballot(poll_id, "10")
    counts = store.entry_counts(poll_id)
    assert (counts.counted, counts.invalid) == (3, 1)
    assert tally_counts(setting, counts) == tally(store.get_poll(poll_id))
    assert Store(store.path).entry_counts(poll_id) == counts


def test_entry_counts_are_none_in_totals_mode(store):
    """A poll counted by hand totals has no entry counts."""
    assert store.entry_counts(counting(store, mode="totals")) is None
