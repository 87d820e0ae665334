"""Independent entries as the store keeps them, and what they mean (no SQL here).

A stack's passes and decisions are append-only. Sending a stack back (``reentry``) opens
a new round: the passes of earlier rounds are kept (in the export's stack log) but no
longer compared; the stack's state is that of its finished passes of the current round, by
``tinnhiem.stacks.stack_state``, and a ``different`` stack is ``resolved`` once every place
where its passes disagree (``tinnhiem.stack_decisions``) has a decision, or the board
decided the whole stack (``STACK_PLACE``: a poll file's ``resolved``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem import stacks as core
from tinnhiem.stack_decisions import Place, places, resolved_entries

REENTRY_PLACE = "reentry"  # a decision that sends the stack back for a new round
STACK_PLACE = "stack"  # a decision on the whole stack (what an imported ``resolved`` is)


@dataclass(frozen=True)
class PassRecord:
    """One pass of a stack: who typed it where, its ballots so far, its end if finished."""

    stack_no: int
    pass_no: int  # 1, 2, 3 … per stack, over every round
    round: int  # the reentries of the stack before it began
    typist: str
    station: str
    client: str
    started_at: str
    entries: tuple[str, ...] = ()
    finished_at: str | None = None
    finished_by: str | None = None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True)
class DecisionRecord:
    """The board's decision on one place of a stack (or the whole stack, or a reentry)."""

    decision_no: int  # 1, 2, 3 … per poll
    stack_no: int
    round: int
    place: str  # Place.key, STACK_PLACE or REENTRY_PLACE
    chosen_pass: int | None  # the pass whose reading was taken; None: typed from the paper
    entries: tuple[str, ...]
    reason: str
    decided_by: str
    decided_at: str


@dataclass(frozen=True)
class StackRecord:
    """A stack (xấp) with everything entered and decided about it."""

    stack_no: int  # its place in the counting order, 1, 2, 3 …
    label: str
    size: int | None  # ballots written on its cover slip, if given
    created_by: str
    created_at: str
    passes: tuple[PassRecord, ...] = ()
    decisions: tuple[DecisionRecord, ...] = ()

    @property
    def round(self) -> int:
        return sum(1 for d in self.decisions if d.place == REENTRY_PLACE)

    def current(self) -> tuple[PassRecord, ...]:
        """The passes of the current round, finished or not, in order."""
        return tuple(p for p in self.passes if p.round == self.round)


@dataclass(frozen=True)
class StackView:
    """A stack's state now, what it counts, and where its passes disagree."""

    record: StackRecord
    state: str  # one of tinnhiem.stacks.STATES
    counted: tuple[str, ...]
    places: tuple[Place, ...]  # where the current round's passes disagree
    decided: dict[str, DecisionRecord]  # the current round's decisions by place

    @property
    def open_passes(self) -> tuple[PassRecord, ...]:
        return tuple(p for p in self.record.current() if not p.finished)

    @property
    def waiting(self) -> int:
        """Ballots of this stack not counted yet: its cover slip's size, or its longest pass."""
        if self.state in core.COUNTING_STATES:
            return 0
        longest = max((len(p.entries) for p in self.record.current()), default=0)
        return max(self.record.size or 0, longest)


def view_of(record: StackRecord, width: int, required: int) -> StackView:
    """The stack's state and contribution, from its current round."""
    current = record.current()
    finished = tuple(p for p in current if p.finished)
    decided = {d.place: d for d in record.decisions if d.round == record.round}
    if STACK_PLACE in decided:
        return StackView(record, core.RESOLVED, decided[STACK_PLACE].entries, (), decided)
    if len(finished) < required or len(finished) < len(current):
        return StackView(record, core.INCOMPLETE, (), (), decided)
    entries = [p.entries for p in finished]
    stack = core.Stack(record.label, tuple(core.Pass(e) for e in entries))
    state = core.stack_state(stack, required)
    if state == core.AGREED:
        return StackView(record, state, entries[0], (), decided)
    found = places(entries, width)
    chosen = {key: d.entries for key, d in decided.items()}
    resolved = resolved_entries(entries[0], found, chosen)
    if resolved is not None:
        return StackView(record, core.RESOLVED, resolved, found, decided)
    return StackView(record, state, (), found, decided)


def model_stack(view: StackView) -> core.Stack:
    """The stack as a poll file holds it: the finished passes of its current round, by their
    typists, and the board's decision as ``resolved`` once it is resolved; so the file's
    state is the app's and ``tinnhiem tally`` of it counts what the app counts. The passes
    of earlier rounds (a stack sent back) are kept in the export's stack log."""
    record = view.record
    passes = tuple(core.Pass(p.entries, p.typist) for p in record.current() if p.finished)
    resolved = None
    if view.state == core.RESOLVED:
        decisions = [d for d in record.decisions if d.round == record.round]
        names = dict.fromkeys(d.decided_by for d in decisions if d.decided_by)
        reasons = dict.fromkeys(d.reason for d in decisions if d.reason)
        resolved = core.Resolution(view.counted, ", ".join(names), "; ".join(reasons))
    return core.Stack(record.label, passes, resolved)


def stack_totals(views: list[StackView]) -> dict[str, int]:
    """Ballots counted, awaiting a further entry, awaiting a decision; stacks of each state."""
    totals = {state: 0 for state in core.STATES}
    for view in views:
        totals[view.state] += 1
    return {
        **totals,
        "counted": sum(len(v.counted) for v in views),
        "awaiting_entry": sum(v.waiting for v in views if v.state == core.INCOMPLETE),
        "awaiting_decision": sum(v.waiting for v in views if v.state == core.DIFFERENT),
    }
