"""KeptPeople: a poll's officials and board read once past setup, read again whenever they
may have changed (in setup, another file in place, the schema touched by hand)."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.storage import Store


def setting(*names: str) -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=10, present=10),
        issued=10,
        collected=10,
        officials=tuple(Official(name, "Ủy viên") for name in names),
        board=(BoardMember("Trần Văn Tư", "head"),),
    )


LIST_READ = "SELECT name, position, exempt_reason, person FROM officials"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "tinnhiem.db")


def officials_read(store: Store, monkeypatch) -> list[str]:
    """The reads of the officials list that the store's connections run from now on."""
    store.close()
    seen: list[str] = []
    connect = store._pool.connect

    def traced() -> sqlite3.Connection:
        conn = connect()
        conn.set_trace_callback(lambda s: seen.append(s) if s.startswith(LIST_READ) else None)
        return conn

    monkeypatch.setattr(store._pool, "connect", traced)
    return seen


def test_past_setup_the_officials_are_read_once_for_every_page_that_asks(store, monkeypatch):
    """While counting, get_poll and desk give the same officials and board, read once."""
    poll_id = store.create_poll(setting("Nguyễn Văn An", "Lê Thị Bình"))
    store.open_count(poll_id)
    seen = officials_read(store, monkeypatch)
    first = store.get_poll(poll_id, with_entries=False)
    for _ in range(3):
        store.add_ballot(poll_id, "12")
        assert store.desk(poll_id).poll == first
        assert store.get_poll(poll_id, with_entries=False) == first
    assert len(seen) == 1
    assert [o.name for o in first.officials] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert [b.name for b in first.board] == ["Trần Văn Tư"]


def test_in_setup_the_officials_are_read_at_every_call(store, monkeypatch):
    """A list changed in setup is seen at once: nothing is kept before the count opens."""
    poll_id = store.create_poll(setting("Nguyễn Văn An"))
    seen = officials_read(store, monkeypatch)
    assert [o.name for o in store.get_poll(poll_id).officials] == ["Nguyễn Văn An"]
    store.update_poll(poll_id, setting("Phạm Văn Cường", "Nguyễn Văn An"))
    assert [o.name for o in store.get_poll(poll_id).officials] == [
        "Phạm Văn Cường",
        "Nguyễn Văn An",
    ]
    assert len(seen) >= 2


def test_another_file_put_in_place_is_read_anew(tmp_path, store):
    """The same path and poll number, another poll (its first entry differs): its own names."""
    poll_id = store.create_poll(setting("Nguyễn Văn An"))
    store.open_count(poll_id)
    assert store.get_poll(poll_id).officials[0].name == "Nguyễn Văn An"
    other = Store(tmp_path / "other.db")
    assert other.create_poll(setting("Hoàng Thị Dung")) == poll_id
    other.open_count(poll_id)
    other.close()
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "other.db", store.path)
    reopened = store.get_poll(poll_id)
    assert [o.name for o in reopened.officials] == ["Hoàng Thị Dung"]


def test_a_name_edited_behind_a_dropped_trigger_is_read_anew(store):
    """Officials edited by hand past setup (a trigger dropped and put back): the schema
    version rose, so the page shows what the table now holds (and verify names the edit)."""
    poll_id = store.create_poll(setting("Nguyễn Văn An"))
    store.open_count(poll_id)
    assert store.get_poll(poll_id).officials[0].name == "Nguyễn Văn An"
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.executescript(
        "CREATE TRIGGER tmp_touch AFTER INSERT ON voids BEGIN SELECT 1; END;"
        "DROP TRIGGER tmp_touch;"
        f"UPDATE officials SET name = 'Người Khác' WHERE poll_id = {poll_id};"
    )
    conn.close()
    assert store.get_poll(poll_id).officials[0].name == "Người Khác"
    assert not store.verify(poll_id).ok


def test_counting_changes_only_the_ballot_numbers_which_are_read_every_time(store):
    """The ballots issued and collected may change while counting; they are not kept."""
    poll_id = store.create_poll(setting("Nguyễn Văn An"))
    store.open_count(poll_id)
    before = store.get_poll(poll_id, with_entries=False)
    store.update_poll(poll_id, replace(before, issued=10, collected=9))
    after = store.get_poll(poll_id, with_entries=False)
    assert (after.issued, after.collected) == (10, 9)
    assert after.officials == before.officials
