"""tinnhiem.lifecycle: one table of moves, the same in the docs, the database and the chain."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tinnhiem import lifecycle
from tinnhiem.lifecycle import TRANSITIONS, Action
from tinnhiem.model import Attendance, Kind, Official, Poll, State
from tinnhiem.storage import Store, schema
from tinnhiem.storage.rows import append

DOC = Path(__file__).resolve().parents[1] / "docs" / "state-machine.md"
ARROW = re.compile(r"^\s*(\S+) --> (\S+) : (\w+) / (.+) / logs (.+)$")


def _table_rows() -> set[tuple[str, str, str, str, str]]:
    return {(t.source or "[*]", t.target, t.action, t.who, t.logs) for t in TRANSITIONS}


def _poll(collected: int = 3) -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=collected,
        collected=collected,
        officials=(Official("Nguyễn Văn A"), Official("Lê Văn C")),
    )


def test_the_diagram_in_the_docs_draws_every_move_of_the_table_and_no_other() -> None:
    """Each arrow of docs/state-machine.md's Mermaid diagram is one row of TRANSITIONS."""
    text = DOC.read_text(encoding="utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    arrows = [ARROW.match(line) for line in diagram.splitlines() if " : " in line]
    assert all(arrows), [line for line in diagram.splitlines() if " : " in line]
    drawn = [m.groups() for m in arrows if m]
    assert len(drawn) == len(set(drawn)) == len(TRANSITIONS)
    assert set(drawn) == _table_rows()
    finals = re.findall(r"^\s*(\w+) --> \[\*\]$", diagram, flags=re.MULTILINE)
    assert set(finals) == set(lifecycle.FINAL_STATES) == {State.LOCKED}


def test_the_table_in_the_docs_lists_every_move() -> None:
    """The Markdown table of docs/state-machine.md says what TRANSITIONS says, row by row."""
    listed = re.findall(
        r"^\| (\S+) \| `(\w+)` \| (\w+) \| (.+?) \| (.+?) \|$",
        DOC.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    expected = [(t.source or "—", t.action, t.target, t.who, t.logs) for t in TRANSITIONS]
    assert listed == expected


def test_each_state_and_action_has_at_most_one_move() -> None:
    """The table is a function of (state, action): no move is listed twice."""
    keys = [(t.source, t.action) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    assert lifecycle.transition(State.CLOSED, Action.BALLOT) is None
    assert lifecycle.transition(None, "create").target == State.SETUP
    assert lifecycle.sources(Action.UPDATE) == (State.SETUP, State.COUNTING)


def test_the_database_trigger_allows_exactly_the_tables_changes_of_state() -> None:
    """The state moves frozen in migration 0005 are the table's changes of state, and the
    CHECK of migration 0001 lists exactly the states of the life cycle."""
    assert {tuple(m.split(">")) for m in schema.STATE_MOVES} == lifecycle.state_changes()
    check = re.search(r"CHECK \(state IN \(([^)]*)\)\)", schema._SCHEMA)
    assert check is not None
    assert {s.strip(" '") for s in check.group(1).split(",")} == set(State)


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (State.SETUP, State.COUNTING, True),
        (State.SETUP, State.CLOSED, False),
        (State.SETUP, State.LOCKED, False),
        (State.COUNTING, State.SETUP, False),
        (State.COUNTING, State.LOCKED, False),
        (State.CLOSED, State.COUNTING, True),
        (State.CLOSED, State.SETUP, False),
    ],
)
def test_raw_sql_cannot_move_a_poll_where_the_table_has_no_move(
    tmp_path: Path, start: State, target: State, allowed: bool
) -> None:
    """An UPDATE of a poll's state by hand is refused by the file itself unless it is a move."""
    store = Store(tmp_path / "t.db")
    poll_id = store.create_poll(_poll())
    if start != State.SETUP:
        store.open_count(poll_id)
        for marks in ("11", "22", "33"):
            store.add_ballot(poll_id, marks)
    if start == State.CLOSED:
        store.close_count(poll_id)
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    update = "UPDATE polls SET state = ? WHERE id = ?"
    if allowed:
        conn.execute(update, (str(target), poll_id))
    else:
        with pytest.raises(sqlite3.IntegrityError, match="trạng thái đợt lấy phiếu"):
            conn.execute(update, (str(target), poll_id))
    conn.close()


def test_verify_reports_a_logged_action_the_state_had_no_move_for(tmp_path: Path) -> None:
    """A ballot written with a sound chain link after the count closed fails verify: the
    replay walks the table and finds no ballot move from closed."""
    store = Store(tmp_path / "t.db")
    poll_id = store.create_poll(_poll())
    store.open_count(poll_id)
    store.add_ballot(poll_id, "12")
    store.close_count(poll_id, reason="thiếu phiếu")
    assert store.verify(poll_id).ok
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("BEGIN")
    payload = {
        "entry_no": 2,
        "marks": "11",
        "station": "",
        "entered_by": "",
        "entered_at": "2026-01-01T00:00:00.000+07:00",
        "replaces": None,
    }
    conn.execute(
        "INSERT INTO ballots (poll_id, entry_no, marks, station, entered_by, entered_at) "
        "VALUES (?, 2, '11', '', '', ?)",
        (poll_id, payload["entered_at"]),
    )
    append(conn, poll_id, "", "ballot", payload)
    conn.execute("COMMIT")
    conn.close()
    report = store.verify(poll_id)
    assert not report.ok
    said = "việc nhập một phiếu không thể làm khi đợt lấy phiếu đã kết thúc"
    assert any(said in p for p in report.problems)
