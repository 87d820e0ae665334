"""The store driven by random sequences of actions, every invariant checked after each step.

A hypothesis ``RuleBasedStateMachine`` creates polls and calls every action of the life
cycle (and bad ones: wrong marks, missing reasons, actions in the wrong state) against a
real temporary Store. After each step: the stored state is the one the table of
``tinnhiem.lifecycle`` leads to, nothing of a locked poll changed, the ballots counted
never exceed those collected, and ``verify()`` passes.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tinnhiem import lifecycle
from tinnhiem.lifecycle import Action
from tinnhiem.model import Attendance, Kind, Mode, Official, Poll, State
from tinnhiem.storage import Store, StoreError

COLLECTED = 3
MARKS = st.sampled_from(["12", "X", "33", "01", "1", "12a", "x"])  # "1", "12a": refused
TOTALS = st.sampled_from(
    [
        [{"high": 1, "confidence": 1, "low": 1}] * 2,
        [{"high": 3, "confidence": 0, "low": 0}] * 2,
        [{"high": 9, "confidence": 0, "low": 0}] * 2,  # more than collected: refused
    ]
)
# Keyboard lines, some sent again (AlreadyStored), or no source at all.
SOURCE = st.one_of(st.none(), st.tuples(st.sampled_from(["k1", "k2"]), st.integers(1, 3)))
REASON = st.sampled_from(["", "  ", "phiếu nhập sai"])


def _poll() -> Poll:
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=4),
        issued=COLLECTED,
        collected=COLLECTED,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Văn C", "Ủy viên")),
    )


class StoreMachine(RuleBasedStateMachine):
    """One temporary Store; ``states`` is what the table says each poll's state is."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tinnhiem-machine-"))
        self.store = Store(self.folder / "machine.db")
        self.states: dict[int, State] = {}
        self.locked_dumps: dict[int, object] = {}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _act(self, poll_index: int, action: Action, call) -> None:
        """Run ``call``; a success must be a move of the table, whose target becomes the
        poll's state; a refusal must leave the poll's state as it was."""
        poll_id = sorted(self.states)[poll_index % len(self.states)]
        before = self.states[poll_id]
        try:
            call(poll_id)
        except StoreError:
            assert self.store.state(poll_id) == before
            return
        move = lifecycle.transition(before, action)
        assert move is not None, f"{action} succeeded from {before}"
        assert before != State.LOCKED
        self.states[poll_id] = move.target
        if move.target == State.LOCKED:
            self.locked_dumps[poll_id] = self._dump(poll_id)

    def _dump(self, poll_id: int) -> object:
        return (self.store.export_data(poll_id), self.store.has_pin(poll_id))

    @precondition(lambda self: len(self.states) < 3)
    @rule()
    def create(self) -> None:
        poll_id = self.store.create_poll(_poll())
        self.states[poll_id] = State.SETUP

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), mode=st.sampled_from(list(Mode)))
    def open(self, poll: int, mode: Mode) -> None:
        self._act(poll, Action.OPEN, lambda p: self.store.open_count(p, mode=mode))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), marks=MARKS, source=SOURCE)
    def add_ballot(self, poll: int, marks: str, source: tuple[str, int] | None) -> None:
        self._act(poll, Action.BALLOT, lambda p: self.store.add_ballot(p, marks, source=source))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), entry_no=st.integers(0, 5), reason=REASON)
    def void(self, poll: int, entry_no: int, reason: str) -> None:
        self._act(poll, Action.VOID, lambda p: self.store.void_ballot(p, entry_no, reason))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), entry_no=st.integers(0, 5), marks=MARKS, reason=REASON)
    def correct(self, poll: int, entry_no: int, marks: str, reason: str) -> None:
        call = lambda p: self.store.correct_ballot(p, entry_no, marks, reason)  # noqa: E731
        self._act(poll, Action.VOID, call)  # a void, then its ballot: counting stays

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), totals=TOTALS)
    def totals(self, poll: int, totals: list[dict]) -> None:
        self._act(poll, Action.TOTALS, lambda p: self.store.set_totals(p, totals))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), reason=REASON)
    def close(self, poll: int, reason: str) -> None:
        self._act(poll, Action.CLOSE, lambda p: self.store.close_count(p, reason=reason))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), reason=REASON)
    def reopen(self, poll: int, reason: str) -> None:
        self._act(poll, Action.REOPEN, lambda p: self.store.reopen_count(p, reason))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2))
    def lock(self, poll: int) -> None:
        self._act(poll, Action.LOCK, lambda p: self.store.lock(p))

    @precondition(lambda self: self.states)
    @rule(poll=st.integers(0, 2), collected=st.integers(0, 4))
    def update(self, poll: int, collected: int) -> None:
        changed = Poll(**{**_poll().__dict__, "issued": 4, "collected": collected})
        self._act(poll, Action.UPDATE, lambda p: self.store.update_poll(p, changed))

    @invariant()
    def the_state_is_the_tables(self) -> None:
        for poll_id, expected in self.states.items():
            assert self.store.state(poll_id) == expected

    @invariant()
    def a_locked_poll_never_changes(self) -> None:
        for poll_id, before in self.locked_dumps.items():
            assert self._dump(poll_id) == before

    @invariant()
    def counted_never_exceeds_collected(self) -> None:
        for summary in self.store.list_polls():
            assert summary.counted <= summary.collected

    @invariant()
    def each_keyboard_line_is_stored_once(self) -> None:
        for poll_id in self.states:
            sources = [b.source for b in self.store.ballots(poll_id) if b.source]
            assert len(sources) == len(set(sources))

    @invariant()
    def the_chain_verifies(self) -> None:
        if self.states:
            report = self.store.verify()
            assert report.ok, report.problems


StoreMachine.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_store_keeps_every_invariant_whatever_the_order_of_actions = StoreMachine.TestCase
test_the_store_keeps_every_invariant_whatever_the_order_of_actions.__doc__ = (
    "Random sequences of create, open, ballots, voids, corrections, totals, close, reopen, "
    "lock, updates and bad actions keep the state, the lock, the counts and the chain sound."
)
