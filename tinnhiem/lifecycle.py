"""The poll's life cycle: every move it can make, as one table (pure, standard library).

A poll is created in ``setup``, its count opened (``counting``), closed (``closed``, which
may go back to counting with a reason) and locked (``locked``, forever). Each row of
``TRANSITIONS`` is one move: the state it starts from, the action the audit log records,
the state it ends in, who may make it and what the log entry's payload holds. The store
makes every move through this table, the audit chain's replay checks the log against it,
the database's trigger ``polls_state_moves`` refuses any other change of state (a test
compares the two), and docs/state-machine.md draws it (a test compares the drawing).

A correction is two moves in one transaction: ``void`` then ``ballot`` (``replaces``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tinnhiem.model import State


class Action(StrEnum):
    """What one audit log entry records."""

    CREATE = "create"
    UPDATE = "update"
    PIN_SET = "pin_set"
    OPEN = "open"
    BALLOT = "ballot"
    VOID = "void"
    TOTALS = "totals"
    CLOSE = "close"
    REOPEN = "reopen"
    LOCK = "lock"
    STACK = "stack"
    PASS = "pass"
    PASS_BALLOT = "pass_ballot"
    PASS_END = "pass_end"
    DECISION = "decision"
    REENTRY = "reentry"
    SCAN = "scan"


@dataclass(frozen=True)
class Transition:
    """One move of the life cycle; ``source`` None: the poll does not exist yet."""

    source: State | None
    action: Action
    target: State
    who: str  # who may make it
    logs: str  # what the log entry's payload holds


_BOARD = "the board (PIN)"
_NOTHING = "nothing (never the PIN)"
_S, _C, _D, _L = State.SETUP, State.COUNTING, State.CLOSED, State.LOCKED

TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.CREATE, _S, "setup page, import, demo", "setting"),
    Transition(_S, Action.UPDATE, _S, _BOARD, "setting"),
    Transition(_S, Action.PIN_SET, _S, _BOARD, _NOTHING),
    Transition(_S, Action.OPEN, _C, _BOARD + ", with quorum", "mode"),
    Transition(_C, Action.UPDATE, _C, _BOARD + ", issued and collected only", "setting"),
    Transition(_C, Action.PIN_SET, _C, _BOARD, _NOTHING),
    Transition(_C, Action.BALLOT, _C, _BOARD + ", entries mode", "the ballot"),
    Transition(_C, Action.VOID, _C, _BOARD + ", with a reason", "the void"),
    Transition(_C, Action.TOTALS, _C, _BOARD + ", totals mode", "totals, invalid"),
    Transition(_C, Action.STACK, _C, _BOARD + ", stacks mode", "the stack"),
    Transition(_C, Action.PASS, _C, _BOARD + ", stacks mode", "the pass"),
    Transition(_C, Action.PASS_BALLOT, _C, _BOARD + ", stacks mode", "the pass's ballot"),
    Transition(_C, Action.PASS_END, _C, _BOARD + ", stacks mode", "the pass's end"),
    Transition(_C, Action.DECISION, _C, _BOARD + ", with a reason", "the decision"),
    Transition(_C, Action.REENTRY, _C, _BOARD + ", with a reason", "the stack sent back"),
    Transition(_C, Action.SCAN, _C, _BOARD + ", every doubt decided", "the scanned batch"),
    Transition(_C, Action.CLOSE, _D, _BOARD + ", a reason if short", "counted, collected, reason"),
    Transition(_D, Action.PIN_SET, _D, _BOARD, _NOTHING),
    Transition(_D, Action.REOPEN, _C, _BOARD + ", with a reason", "reason"),
    Transition(_D, Action.LOCK, _L, _BOARD, "counted, id"),
)

_MOVES = {(t.source, t.action): t for t in TRANSITIONS}
FINAL_STATES = frozenset(State) - {t.source for t in TRANSITIONS}


def transition(source: State | str | None, action: Action | str) -> Transition | None:
    """The move ``action`` makes from ``source``; None when the table has no such move."""
    key = (State(source) if source is not None else None, action)
    return _MOVES.get(key)  # type: ignore[arg-type]


def sources(action: Action | str) -> tuple[State, ...]:
    """The states ``action`` may start from, in life-cycle order."""
    return tuple(t.source for t in TRANSITIONS if t.action == action and t.source is not None)


def state_changes() -> frozenset[tuple[State, State]]:
    """Every (from, to) pair of states a move changes; the database refuses any other."""
    return frozenset(
        (t.source, t.target) for t in TRANSITIONS if t.source is not None and t.source != t.target
    )
