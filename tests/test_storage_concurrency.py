"""Several processes and threads write one database at once (tinnhiem.storage).

Every writer succeeds, entry numbers are unique and gapless, and nobody sees
"database is locked": writes take the lock first (BEGIN IMMEDIATE) and wait for it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import BallotRefused, Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from tinnhiem.storage import Store

path, poll_id, count, station = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
store = Store(path)
print("ready", flush=True)
sys.stdin.readline()  # start together
for number in range(count):
    ballot = store.add_ballot(poll_id, "123"[number % 3] * 2, station=station)
    print(ballot.entry_no, flush=True)
"""

OPENER = """
import sys
from tinnhiem.storage import Store

sys.stdin.readline()
Store(sys.argv[1])
print("ok", flush=True)
"""


def poll(collected: int) -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=(Official("Người 1", "Ủy viên"), Official("Người 2", "Ủy viên")),
    )


def run_together(script: str, argument_lists: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start one process per argument list, release them at once, return (code, out, err)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for arguments in argument_lists
    ]
    if "ready" in script:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out, err))
    return results


def test_four_processes_enter_1000_ballots_with_unique_numbers(tmp_path):
    """4 writer processes × 250 ballots give exactly 1 000 ballots numbered 1 … 1 000."""
    store = Store(tmp_path / "shared.db")
    poll_id = store.create_poll(poll(1000))
    store.open_count(poll_id)
    results = run_together(
        WRITER, [[str(store.path), str(poll_id), "250", f"Máy {n}"] for n in range(1, 5)]
    )
    for code, _, errors in results:
        assert "database is locked" not in errors
        assert code == 0, errors
    acknowledged = [int(line) for _, out, _ in results for line in out.split()]
    assert sorted(acknowledged) == list(range(1, 1001))
    ballots = store.ballots(poll_id)
    assert [b.entry_no for b in ballots] == list(range(1, 1001))
    assert {b.station for b in ballots} == {"Máy 1", "Máy 2", "Máy 3", "Máy 4"}
    for station in ("Máy 1", "Máy 2", "Máy 3", "Máy 4"):
        assert sum(b.station == station for b in ballots) == 250
    assert store.ballot_count(poll_id) == 1000
    assert store.verify().ok


def test_processes_creating_one_new_file_at_once_all_succeed(tmp_path):
    """Eight processes opening a database that does not exist yet: one migrates, all work."""
    path = tmp_path / "new" / "tinnhiem.db"
    results = run_together(OPENER, [[str(path)]] * 8)
    assert [(code, out.strip()) for code, out, _ in results] == [(0, "ok")] * 8, results
    store = Store(path)
    poll_id = store.create_poll(poll(3))
    store.open_count(poll_id)
    assert store.add_ballot(poll_id, "11").entry_no == 1


def test_threads_sharing_one_store_get_unique_numbers(tmp_path):
    """Eight threads sharing one Store (as Streamlit sessions do) each store their ballots."""
    store = Store(tmp_path / "threads.db")
    poll_id = store.create_poll(poll(200))
    store.open_count(poll_id)
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def enter() -> None:
        start.wait()
        try:
            for _ in range(25):
                numbers.append(store.add_ballot(poll_id, "12").entry_no)
        except BaseException as error:  # reported below, a thread cannot raise into pytest
            errors.append(error)

    threads = [threading.Thread(target=enter) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 201))
    assert store.verify(poll_id).ok


def test_readers_see_consistent_counts_while_a_writer_writes(tmp_path):
    """While ballots arrive, every read of a poll shows entries and count that agree."""
    store = Store(tmp_path / "read.db")
    poll_id = store.create_poll(poll(300))
    store.open_count(poll_id)
    done = threading.Event()

    def write() -> None:
        for _ in range(150):
            store.add_ballot(poll_id, "13")
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    seen = []
    while not done.is_set():
        entries = store.get_poll(poll_id).entries or ()
        seen.append(len(entries))
        assert set(entries) <= {"13"}
    writer.join()
    assert seen == sorted(seen)
    assert len(store.get_poll(poll_id).entries) == 150


def trace_new_connections(store: Store, monkeypatch) -> list[tuple[sqlite3.Connection, list]]:
    """Record every connection the store opens from now on, with the SQL it runs."""
    store.close()  # start from an empty pool
    opened: list[tuple[sqlite3.Connection, list[str]]] = []
    connect = store._pool.connect

    def traced() -> sqlite3.Connection:
        conn = connect()
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        opened.append((conn, statements))
        return conn

    monkeypatch.setattr(store._pool, "connect", traced)
    return opened


def test_calls_in_turn_reuse_one_pooled_connection(tmp_path, monkeypatch):
    """One thread's calls in turn share one pooled connection, PRAGMAs set once, each write
    one BEGIN IMMEDIATE … COMMIT; close() closes it and the store still works after."""
    store = Store(tmp_path / "calls.db")
    opened = trace_new_connections(store, monkeypatch)
    poll_id = store.create_poll(poll(3))
    store.open_count(poll_id)
    store.add_ballot(poll_id, "12")
    store.get_poll(poll_id)
    store.change_token(poll_id)
    assert len(opened) == 1
    conn, statements = opened[0]
    controls = [s for s in statements if s in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")]
    # three writes, then get_poll's snapshot; change_token reads in autocommit
    assert controls == ["BEGIN IMMEDIATE", "COMMIT"] * 3 + ["BEGIN", "COMMIT"]
    # Settings were made before the trace; reading the schema version (KeptPeople) is not one.
    assert not any(s.startswith("PRAGMA") and "=" in s for s in statements)
    assert [s for s in statements if s.startswith("PRAGMA")] == ["PRAGMA schema_version"]
    store.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        conn.execute("SELECT 1")
    assert store.ballot_count(poll_id) == 1
    assert len(opened) == 2


def test_a_connection_that_saw_an_error_is_discarded(tmp_path, monkeypatch):
    """An SQLite error inside a call rolls back and closes that connection for good."""
    store = Store(tmp_path / "error.db")
    opened = trace_new_connections(store, monkeypatch)
    poll_id = store.create_poll(poll(3))
    with (
        pytest.raises(sqlite3.OperationalError, match="no such table"),
        store._pool.write() as conn,
    ):
        conn.execute("UPDATE polls SET title = 'half' WHERE id = ?", (poll_id,))
        conn.execute("SELECT * FROM no_such_table")
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0][0].execute("SELECT 1")
    assert store._pool.idle() == 0
    assert store.get_poll(poll_id).title == ""


def test_a_refusal_keeps_the_connection(tmp_path, monkeypatch):
    """A refused ballot rolls back but its healthy connection goes back to the pool."""
    store = Store(tmp_path / "refusal.db")
    poll_id = store.create_poll(poll(1))
    store.open_count(poll_id)
    opened = trace_new_connections(store, monkeypatch)
    with pytest.raises(BallotRefused, match="Phiếu"):
        store.add_ballot(poll_id, "1")
    store.add_ballot(poll_id, "11")
    assert len(opened) == 1
    assert "ROLLBACK" in opened[0][1]


def test_threads_never_share_a_connection_and_the_pool_stays_small(tmp_path, monkeypatch):
    """8 threads calling at once each hold a connection of their own; at most 4 stay idle."""
    store = Store(tmp_path / "threads-pool.db")
    poll_id = store.create_poll(poll(400))
    store.open_count(poll_id)
    held: set[int] = set()
    shared: list[int] = []
    guard = threading.Lock()
    take, give = store._pool._take, store._pool.give

    def watched_take(what):
        conn = take(what)
        with guard:
            if id(conn) in held:
                shared.append(id(conn))
            held.add(id(conn))
        return conn

    def watched_give(conn):
        with guard:
            held.discard(id(conn))
        give(conn)

    monkeypatch.setattr(store._pool, "_take", watched_take)
    monkeypatch.setattr(store._pool, "give", watched_give)
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(25):
            store.add_ballot(poll_id, "12")
            store.ballot_count(poll_id)
            store.change_token(poll_id)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared == []
    assert store.ballot_count(poll_id) == 200
    # However many threads ran at once, the pool keeps exactly its idle_max when more than
    # that were out together (taken all at once here, so the count does not depend on timing).
    pool = store._pool
    taken = [pool.connect() for _ in range(pool.idle_max + 2)]
    for conn in taken:
        pool.give(conn)
    assert pool.idle() == pool.idle_max == 4


def test_connections_are_durable_and_patient(tmp_path):
    """A store connection runs in WAL with synchronous=FULL and waits at least 30 s for locks."""
    store = Store(tmp_path / "pragmas.db")
    with store._pool.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 30_000
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
