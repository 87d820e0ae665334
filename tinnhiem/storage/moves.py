"""The life cycle's moves inside a transaction the caller holds (``tinnhiem.lifecycle``).

``writable`` refuses an action the poll's state has no move for; ``move`` logs a move and
sets the state it ends in; ``set_state`` is the one write of a poll's state.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tinnhiem import lifecycle, words
from tinnhiem.lifecycle import Action
from tinnhiem.model import Mode, State
from tinnhiem.storage.errors import PollLocked, WrongState
from tinnhiem.storage.records import STATE_WORDS, now
from tinnhiem.storage.rows import POLL_ROW, append, poll_row


def writable(
    conn: sqlite3.Connection, poll_id: int, action: Action, sql: str = POLL_ROW
) -> sqlite3.Row:
    """The poll's row when ``action`` may be done in its state now (``lifecycle``);
    PollLocked when locked, WrongState in another state."""
    row = poll_row(conn, poll_id, sql)
    if row["state"] == State.LOCKED:
        raise PollLocked(
            f"Đợt lấy phiếu số {poll_id} đã khóa: kết quả là cuối cùng, không được thay đổi."
        )
    if lifecycle.transition(row["state"], action) is None:
        wanted = " hoặc ".join(STATE_WORDS[s] for s in lifecycle.sources(action))
        raise WrongState(
            f"Đợt lấy phiếu số {poll_id} {STATE_WORDS[row['state']]}; việc "
            f"{words.action(action)} chỉ làm được khi {wanted}."
        )
    return row


def set_state(conn: sqlite3.Connection, poll_id: int, state: State, **columns: Any) -> None:
    """The one write of a poll's state (with other columns of the same step).

    Callers go through ``move`` (which checks the life cycle and logs the move); an import
    restoring a chain it has checked sets the state that chain ends in. The trigger
    ``polls_state_moves`` refuses a change of state the life cycle has no move for.
    """
    assignments = ", ".join(f"{name} = ?" for name in ("state", *columns))
    conn.execute(
        f"UPDATE polls SET {assignments} WHERE id = ?", (str(state), *columns.values(), poll_id)
    )


def move(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    action: Action,
    actor: str,
    payload: dict,
    **columns: Any,
) -> str:
    """Make the life cycle's move ``action`` from the state of ``row`` (read in this
    transaction, checked by ``writable``): log it, then set the state it ends in with
    ``columns``; a lock records its time and the hash of its log entry. Returns that hash.
    """
    step = lifecycle.transition(row["state"], action)
    if step is None:  # a caller that skipped writable(): a bug, not a person's mistake
        raise ValueError(f"no move {action!r} from {row['state']!r}")
    at = now()
    digest = append(conn, row["id"], actor, action, payload, at=at)
    if step.target == State.LOCKED:
        columns = {**columns, "locked_at": at, "lock_hash": digest}
    if step.target != step.source or columns:
        set_state(conn, row["id"], step.target, **columns)
    return digest


def counting_entries(
    conn: sqlite3.Connection, poll_id: int, action: Action = Action.BALLOT, sql: str = POLL_ROW
) -> sqlite3.Row:
    """The poll's row when it takes ballots one by one now (``action``: a ballot or a void);
    else PollLocked or WrongState."""
    row = writable(conn, poll_id, action, sql=sql)
    if row["mode"] != Mode.ENTRIES:
        raise WrongState(
            f"Đợt lấy phiếu số {poll_id} nhập kết quả tổng hợp, không nhập từng phiếu."
        )
    if row["passes_required"] > 1:
        raise WrongState(
            f"Đợt lấy phiếu số {poll_id} nhập theo xấp, mỗi xấp {row['passes_required']} lần "
            "độc lập: chọn một xấp và một lần nhập."
        )
    return row
