"""Exactly once in the database: a keyboard line (client, line number) is stored once per
poll, however often and however late it is sent, and SQLite itself refuses a second row."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from db_dump import dump

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import AlreadyStored, BallotRefused, Store, rows


def _poll(collected: int) -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=(Official("Nguyễn Văn A"), Official("Lê Văn C")),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def counting(store: Store, collected: int) -> int:
    poll_id = store.create_poll(_poll(collected))
    store.open_count(poll_id)
    return poll_id


def _others(store: Store, poll_id: int, count: int) -> None:
    """``count`` ballots from other stations' keyboards, stored by the store's own ballot
    code in one transaction (one commit instead of ``count``: the rows are the same)."""
    with store._pool.write() as conn:
        for number in range(1, count + 1):
            row = rows.poll_row(conn, poll_id, rows.BALLOT_CONTEXT)
            client = f"other{number % 3}"
            rows.store_ballot(
                conn, row, "12", f"Máy {number % 3 + 2}", "khác", source=(client, number)
            )


@pytest.mark.parametrize("others", [150, 1000, 5000])
def test_a_line_sent_again_after_many_other_ballots_is_stored_once(store, others) -> None:
    """A line resent after 150, 1 000 or 5 000 ballots from other stations is refused as
    already stored, naming the ballot it became; nothing is written."""
    poll_id = counting(store, others + 10)
    first = store.add_ballot(poll_id, "31", station="Máy 1", entered_by="k", source=("k1", 7))
    _others(store, poll_id, others)
    before = dump(store.path)
    with pytest.raises(AlreadyStored, match=f"phiếu số {first.entry_no}") as refused:
        store.add_ballot(poll_id, "31", station="Máy 1", entered_by="k", source=("k1", 7))
    assert refused.value.ballot == first
    assert dump(store.path) == before
    assert store.ballot_count(poll_id) == others + 1
    assert [b.entry_no for b in store.ballots(poll_id) if b.source == ("k1", 7)] == [1]
    assert store.verify(poll_id).ok


def test_two_threads_sending_the_same_line_at_once_store_it_once(store) -> None:
    """Two threads sending each of 20 lines at the same moment store each line once: one
    gets the ballot, the other AlreadyStored with that same ballot."""
    poll_id = counting(store, 40)
    results: list[list] = [[], []]

    def send(index: int, barrier: threading.Barrier, seq: int) -> None:
        barrier.wait()
        try:
            results[index].append(store.add_ballot(poll_id, "12", source=("k", seq)))
        except AlreadyStored as already:
            results[index].append(already)

    for seq in range(1, 21):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(i, barrier, seq)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert store.ballot_count(poll_id) == 20
    for first, second in zip(*results, strict=True):
        outcomes = sorted([first, second], key=lambda r: isinstance(r, AlreadyStored))
        assert isinstance(outcomes[1], AlreadyStored)
        assert outcomes[1].ballot == outcomes[0]
    assert store.verify(poll_id).ok


def test_a_stored_line_is_named_as_stored_even_after_the_count_closed(store) -> None:
    """A line resent once its poll is closed is answered with the ballot it became, not a
    refusal that would make the typist enter it again."""
    poll_id = counting(store, 1)
    first = store.add_ballot(poll_id, "11", source=("k", 1))
    store.close_count(poll_id)
    with pytest.raises(AlreadyStored) as refused:
        store.add_ballot(poll_id, "11", source=("k", 1))
    assert refused.value.ballot == first


def test_the_same_line_number_of_another_keyboard_or_poll_is_another_ballot(store) -> None:
    """The source is (poll, keyboard, line number): another keyboard's line 1, or line 1 in
    another poll, is a new ballot; a ballot without a source is never taken for a resend."""
    poll_id, other_poll = counting(store, 5), counting(store, 5)
    store.add_ballot(poll_id, "11", source=("k1", 1))
    store.add_ballot(poll_id, "11", source=("k2", 1))
    store.add_ballot(other_poll, "11", source=("k1", 1))
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "11")
    assert store.ballot_count(poll_id) == 4 and store.ballot_count(other_poll) == 1
    assert [b.source for b in store.ballots(poll_id)] == [("k1", 1), ("k2", 1), None, None]


def test_sqlite_itself_refuses_a_second_row_of_one_source(store) -> None:
    """Raw SQL inserting a ballot with a source already stored fails on the unique index."""
    poll_id = counting(store, 5)
    store.add_ballot(poll_id, "11", source=("k", 3))
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(rows.INSERT_BALLOT, (poll_id, 2, "11", "", "", "2026-01-01", None, "k", 3))
    finally:
        conn.close()


@pytest.mark.parametrize(
    "source", [("", 1), ("k", 0), ("k", -1), ("k", True), ("k" * 65, 1), ("k",), ["k", 1]]
)
def test_a_malformed_source_is_refused_before_anything_is_written(store, source) -> None:
    """A source that is not a short keyboard id and a positive line number is refused."""
    poll_id = counting(store, 5)
    before = dump(store.path)
    with pytest.raises(BallotRefused, match="không rõ nguồn"):
        store.add_ballot(poll_id, "11", source=source)
    assert dump(store.path) == before


def test_the_source_travels_through_export_and_import(store) -> None:
    """An exported poll keeps each ballot's source; imported, a resent line is refused."""
    poll_id = counting(store, 5)
    store.add_ballot(poll_id, "11", source=("k", 1))
    store.add_ballot(poll_id, "22")
    copy = store.import_data(store.export_data(poll_id))
    assert [b.source for b in store.ballots(copy)] == [("k", 1), None]
    assert store.verify(copy).ok
    with pytest.raises(AlreadyStored):
        store.add_ballot(copy, "11", source=("k", 1))


def test_a_file_with_two_ballots_of_one_source_is_refused(store) -> None:
    """An exported file edited so that two ballots share one source is refused by import."""
    from tinnhiem.validation import PollError

    poll_id = counting(store, 5)
    store.add_ballot(poll_id, "11", source=("k", 1))
    store.add_ballot(poll_id, "22", source=("k", 2))
    data = store.export_data(poll_id)
    data["x-tinnhiem"]["ballot_log"][1]["source"] = ["k", 1]
    before = dump(store.path)
    with pytest.raises(PollError, match="cùng một nguồn") as refused:
        store.import_data(data)
    assert refused.value.problem.code == "X09"
    assert dump(store.path) == before


@pytest.mark.parametrize("source", [["k"], "k-1", ["k", "1"], ["k", -1]])
def test_a_file_with_a_malformed_source_is_refused(store, source) -> None:
    """A ballot's source in an exported file that is not [keyboard, line] is refused (X08)."""
    from tinnhiem.validation import PollError

    poll_id = counting(store, 5)
    store.add_ballot(poll_id, "11", source=("k", 1))
    data = store.export_data(poll_id)
    data["x-tinnhiem"]["ballot_log"][0]["source"] = source
    before = dump(store.path)
    with pytest.raises(PollError, match="mã bàn phím, số dòng") as refused:
        store.import_data(data)
    assert refused.value.problem.code == "X08"
    assert dump(store.path) == before
