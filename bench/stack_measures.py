"""Measures of independent entry (issue 10): comparing two passes, reconciling a poll.

Both are timed against ``tally`` of the same ballots entered once (entries mode), the two
interleaved in one loop so that both see the same load. Pure computation: no database.
"""

from __future__ import annotations

from dataclasses import replace

import fixtures
from stats import timed_ms, timing, with_ratio

from tinnhiem.model import Poll
from tinnhiem.stacks import DIFFERENT, Pass, Stack, differences
from tinnhiem.tally import as_json, tally

STACK_SIZE = 50


def _slipped(entries: list[str], width: int, changed: int, skipped: int) -> list[str]:
    """A second pass of ``entries`` with the browser test's two slips: ballot ``changed``
    (0-based) typed with its first row wrong, ballot ``skipped`` left out."""
    slipped = list(entries)
    ballot = slipped[changed] if slipped[changed] != "X" else "0" * width
    slipped[changed] = ("2" if ballot[0] != "2" else "1") + ballot[1:]
    del slipped[skipped]
    return slipped


def _poll(ballots: int, width: int) -> Poll:
    """A poll of ``ballots`` ballots × ``width`` officials, every ballot entered once."""
    return fixtures.poll(ballots, width, headroom=0)


def _stacked(poll: Poll, slipped_stacks: tuple[int, ...]) -> Poll:
    """The same poll entered in stacks of 50 by two stations; the stacks numbered in
    ``slipped_stacks`` carry two slips in their second pass (so they are different)."""
    entries = list(poll.entries or ())
    stacks = []
    for number, start in enumerate(range(0, len(entries), STACK_SIZE), start=1):
        first = entries[start : start + STACK_SIZE]
        second = (
            _slipped(first, len(poll.ballot_officials), 5, 20)
            if number in slipped_stacks
            else first
        )
        stacks.append(
            Stack(f"Xấp {number}", (Pass(tuple(first), "Máy 1"), Pass(tuple(second), "Máy 2")))
        )
    return replace(poll, entries=None, passes_required=2, stacks=tuple(stacks))


def compare_passes(name: str, ballots: int, width: int, reps: int) -> dict:
    """compare_passes_50x50: ``differences`` of two passes of one stack, the second with a
    changed row and a skipped ballot. Baseline: ``tally`` of the stack entered once."""
    poll = _poll(ballots, width)
    first = list(poll.entries or ())
    second = _slipped(first, width, ballots // 5, ballots * 3 // 5)
    found = differences(first, second, width)
    if [d.kind for d in found] != ["changed", "missing"]:
        raise AssertionError(f"the planted slips were not found: {found}")
    measured, baseline = [], []
    for _ in range(reps):
        measured.append(timed_ms(lambda: differences(first, second, width)))
        baseline.append(timed_ms(lambda: tally(poll)))
    row = timing(name, measured, ballots=ballots, officials=width)
    return with_ratio(row, measured, baseline, target=2.0)


def reconcile_poll(name: str, ballots: int, width: int, reps: int) -> dict:
    """reconcile_481x44: ``tally`` (and its JSON) of the poll entered in stacks of 50 by two
    stations, two stacks different — every stack's state, the differences, the count.
    Baseline: ``tally`` (and its JSON) of the same ballots entered once."""
    poll = _poll(ballots, width)
    stacked = _stacked(poll, slipped_stacks=(3, 7))
    result = as_json(tally(stacked))
    states = [s["state"] for s in result["stacks"]]
    if states.count(DIFFERENT) != 2 or result["ballots"]["counted"] != ballots - 2 * STACK_SIZE:
        raise AssertionError(f"unexpected reconciliation: {states}")
    measured, baseline = [], []
    for _ in range(reps):
        measured.append(timed_ms(lambda: as_json(tally(stacked))))
        baseline.append(timed_ms(lambda: as_json(tally(poll))))
    row = timing(name, measured, ballots=ballots, officials=width, stacks=len(states))
    return with_ratio(row, measured, baseline, target=2.0)
