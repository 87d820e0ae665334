"""Several calls as one transaction (``Store.as_one``): all stored or none, a refusal
caught inside undoing only its own call, reads inside seeing what the block wrote and no
other connection seeing it before the commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import test_storage_exactly_once as exactly_once
from db_dump import dump

from tinnhiem.storage import BallotRefused, StorageUnavailable, Store

COLLECTED = 3


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def counting(store: Store) -> int:
    return exactly_once.counting(store, COLLECTED)


class Stop(Exception):
    """What the block raises to stop half way."""


def test_a_block_that_raises_half_way_stores_nothing(store) -> None:
    poll_id = counting(store)
    before = dump(store.path)
    with pytest.raises(Stop), store.as_one("Lô"):
        store.add_ballot(poll_id, "12", source=("quét x", 1))
        store.add_ballot(poll_id, "31", source=("quét x", 2))
        raise Stop
    assert dump(store.path) == before
    assert store.ballot_count(poll_id) == 0 and store.verify(poll_id).ok


def test_a_refusal_of_the_last_call_undoes_the_calls_before_it(store) -> None:
    """Three collected, four ballots in one block: the fourth is refused, so none is stored
    (one at a time, three would have been)."""
    poll_id = counting(store)
    with pytest.raises(BallotRefused), store.as_one("Lô"):
        for n in range(1, COLLECTED + 2):
            store.add_ballot(poll_id, "12", source=("quét y", n))
    assert store.ballot_count(poll_id) == 0
    assert store.verify(poll_id).ok


def test_a_refusal_caught_inside_undoes_only_its_own_call(store) -> None:
    poll_id = counting(store)
    with store.as_one("Lô"):
        store.add_ballot(poll_id, "12")
        with pytest.raises(BallotRefused):
            store.add_ballot(poll_id, "1234")  # too long: refused, nothing of it written
        store.add_ballot(poll_id, "33")
        assert store.ballot_count(poll_id) == 2  # a read inside sees the block's writes
    assert [b.marks for b in store.ballots(poll_id)] == ["12", "33"]
    assert [b.entry_no for b in store.ballots(poll_id)] == [1, 2]
    assert store.verify(poll_id).ok


def test_no_other_connection_sees_the_block_before_it_ends(store, tmp_path) -> None:
    poll_id = counting(store)
    seen = []
    with store.as_one("Lô"):
        store.add_ballot(poll_id, "12")
        other = sqlite3.connect(tmp_path / "t.db")
        seen.append(other.execute("SELECT COUNT(*) FROM ballots").fetchone()[0])
        other.close()
    assert seen == [0] and store.ballot_count(poll_id) == 1


def test_blocks_one_after_another_each_stand_alone(store) -> None:
    """A block that failed leaves the store as it was for the next one."""
    poll_id = counting(store)
    with pytest.raises(Stop), store.as_one("Lô"):
        store.add_ballot(poll_id, "12")
        raise Stop
    with store.as_one("Lô"):
        store.add_ballot(poll_id, "21")
    store.add_ballot(poll_id, "22")
    assert [b.marks for b in store.ballots(poll_id)] == ["21", "22"]


def test_a_disk_failure_names_the_whole_block(store, monkeypatch) -> None:
    """The disk refusing the commit: StorageUnavailable naming the block as not stored."""
    poll_id = counting(store)
    pool = store._pool

    def full(*_: object) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(pool, "check", full)
    refused = pytest.raises(StorageUnavailable, match="Lô phiếu quét CHƯA được lưu")
    with refused, store.as_one("Lô phiếu quét"):
        store.add_ballot(poll_id, "12")
        store.add_ballot(poll_id, "21")
    monkeypatch.undo()
    assert store.ballot_count(poll_id) == 0
