"""The board's decisions on a ``different`` stack, pure: where the passes disagree, what
each pass read there, and what the stack counts once every such place is decided.

The alignment is ``tinnhiem.stacks.differences`` (the contract's); this module only groups
its steps by the place of pass 1 they concern. A place is ``at`` ballot p of pass 1 (a
changed or missing ballot in some pass) or ``after`` ballot p (extra ballots some pass has
there, 0 = before the first). At each place every pass has a reading: the ballots it holds
there (pass 1: its ballot p, or nothing after p; a pass that matched: the same). The board
takes one pass's reading, or types the ballot from the paper; the stack then counts pass 1
with each place replaced by the reading chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tinnhiem.stacks import CHANGED, EXTRA, MISSING, Difference, differences

AT = "at"
AFTER = "after"


@dataclass(frozen=True)
class Place:
    """One place of pass 1 where some pass reads otherwise."""

    side: str  # AT or AFTER
    position: int  # the ballot of pass 1 (AT), or the one the extras come after (AFTER)
    readings: tuple[tuple[str, ...], ...]  # per pass, index 0 = pass 1: its ballots here
    steps: tuple[Difference, ...]  # the contract's differences at this place

    @property
    def key(self) -> str:
        """The place as stored with a decision: ``at:17``, ``after:44``."""
        return f"{self.side}:{self.position}"

    @property
    def order(self) -> tuple[int, int]:
        return (self.position, self.side == AFTER)


def places(passes: Sequence[Sequence[str]], width: int) -> tuple[Place, ...]:
    """The places where the passes disagree, in pass 1's order; empty when they agree."""
    if not passes:
        return ()
    first = tuple(passes[0])
    found: dict[tuple[str, int], list[Difference]] = {}
    for number, other in enumerate(passes[1:], start=2):
        for step in differences(first, tuple(other), width, number):
            side = AFTER if step.kind == EXTRA else AT
            found.setdefault((side, step.position), []).append(step)
    result = []
    for (side, position), steps in found.items():
        readings = tuple(
            _reading(first, passes[number - 1], side, position, steps, number)
            for number in range(1, len(passes) + 1)
        )
        result.append(Place(side, position, readings, tuple(steps)))
    return tuple(sorted(result, key=lambda p: p.order))


def _reading(
    first: tuple[str, ...],
    other: Sequence[str],
    side: str,
    position: int,
    steps: list[Difference],
    number: int,
) -> tuple[str, ...]:
    mine = [s for s in steps if s.pass_number == number]
    if side == AFTER:
        return tuple(other[s.counterpart - 1] for s in mine if s.counterpart)
    if number == 1 or not mine:
        return (first[position - 1],)
    step = mine[0]
    if step.kind == MISSING or step.counterpart is None:
        return ()
    return (other[step.counterpart - 1],)


def resolved_entries(
    first: Sequence[str], found: Sequence[Place], chosen: Mapping[str, Sequence[str]]
) -> tuple[str, ...] | None:
    """Pass 1 with each place replaced by the ballots chosen for it (by ``Place.key``);
    None while a place is undecided."""
    if any(place.key not in chosen for place in found):
        return None
    at = {p.position: chosen[p.key] for p in found if p.side == AT}
    after = {p.position: chosen[p.key] for p in found if p.side == AFTER}
    entries: list[str] = list(after.get(0, ()))
    for position, entry in enumerate(first, start=1):
        entries.extend(at.get(position, (entry,)))
        entries.extend(after.get(position, ()))
    return tuple(entries)


def changed_rows(place: Place) -> tuple[int, ...]:
    """The officials (1-based rows) whose marks differ between the readings of an ``at``
    place where every pass holds a ballot; empty otherwise."""
    return tuple(sorted({i for s in place.steps if s.kind == CHANGED for i in s.officials}))
