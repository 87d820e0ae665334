"""Independent entries: stacks, passes, their states and the alignment of two passes.

A stack (xấp phiếu) is a bundle of ballots kept in the order read; each station that
enters it independently makes a pass. poll-file.md ("Independent entries") is the
contract: a stack is ``resolved`` when the board decided it against the paper, ``agreed``
when it has ``passes_required`` passes or more and all hold the same entries in the same
order, ``different`` when it has enough passes that do not agree, ``incomplete`` otherwise.
Only agreed and resolved stacks count.

The differences of a ``different`` stack are the steps of an optimal alignment of each
pass j ≥ 2 against pass 1 (edit distance over whole ballots): a changed ballot costs the
rows that differ (``X`` against a marked ballot differs in every row), a missing or extra
ballot costs the officials on the ballot plus one. Entries are assumed valid (``X`` or one
digit 0–3 per official): the poll file's loader checks them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tinnhiem.model import INVALID_BALLOT

RESOLVED = "resolved"
AGREED = "agreed"
DIFFERENT = "different"
INCOMPLETE = "incomplete"
STATES = (RESOLVED, AGREED, DIFFERENT, INCOMPLETE)
COUNTING_STATES = (RESOLVED, AGREED)
PASSES_REQUIRED = (1, 2, 3)

CHANGED = "changed"
MISSING = "missing"
EXTRA = "extra"


@dataclass(frozen=True)
class Pass:
    """One station's independent entry of a stack, in the order the paper was read."""

    entries: tuple[str, ...]
    by: str = ""  # the station or person who typed it


@dataclass(frozen=True)
class Resolution:
    """The board's decision after looking at the paper: what the stack counts."""

    entries: tuple[str, ...]
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Stack:
    """A labelled bundle of ballots, its passes and the board's decision if any."""

    id: str
    passes: tuple[Pass, ...]
    resolved: Resolution | None = None


def stack_state(stack: Stack, passes_required: int) -> str:
    """The stack's state, one of STATES, as poll-file.md defines it."""
    if stack.resolved is not None:
        return RESOLVED
    if len(stack.passes) < passes_required or not stack.passes:
        return INCOMPLETE
    first = stack.passes[0].entries
    if all(p.entries == first for p in stack.passes[1:]):
        return AGREED
    return DIFFERENT


def stack_counted(stack: Stack, passes_required: int) -> tuple[str, ...]:
    """The entries the stack contributes: its common or resolved entries, else none."""
    return _contribution(stack, stack_state(stack, passes_required))


def _contribution(stack: Stack, state: str) -> tuple[str, ...]:
    if state == RESOLVED:
        return stack.resolved.entries  # type: ignore[union-attr]
    if state == AGREED:
        return stack.passes[0].entries
    return ()


def counted_entries(stacks: Iterable[Stack], passes_required: int) -> tuple[str, ...]:
    """The counted ballots, stack after stack in file order."""
    counted: list[str] = []
    for stack in stacks:
        counted.extend(stack_counted(stack, passes_required))
    return tuple(counted)


@dataclass(frozen=True)
class Difference:
    """One step of an alignment of pass j against pass 1 that is not an exact match.

    ``position`` is the 1-based ballot of pass 1 (for an extra ballot: the ballot of pass 1
    it comes after, 0 = before the first); ``counterpart`` the 1-based ballot of pass j
    (None for a missing ballot); ``officials`` the 1-based rows that differ (changed only).
    """

    kind: str  # CHANGED, MISSING or EXTRA
    pass_number: int
    position: int
    counterpart: int | None
    officials: tuple[int, ...] = ()

    @property
    def order(self) -> tuple[int, int, int, int]:
        """The contract's order: by pass, then by position in pass 1; the extras after
        ballot p come after the step of ballot p and before that of ballot p + 1."""
        return (self.pass_number, self.position, self.kind == EXTRA, self.counterpart or 0)

    def as_json(self) -> dict:
        """The step as ``tinnhiem tally`` writes it."""
        if self.kind == CHANGED:
            officials = list(self.officials)
            return {"pass": self.pass_number, "position": self.position, "officials": officials}
        if self.kind == MISSING:
            return {"pass": self.pass_number, "position": self.position, "missing": True}
        return {"pass": self.pass_number, "after": self.position, "extra": self.counterpart}


def _code(entry: str) -> int:
    """A ballot as an integer, two bits per row (its digits read in base 4); X is -1."""
    return -1 if entry == INVALID_BALLOT else int(entry or "0", 4)


def _changed_rows(first: str, other: str, width: int) -> tuple[int, ...]:
    if INVALID_BALLOT in (first, other):
        return tuple(range(1, width + 1))
    return tuple(i for i, (a, b) in enumerate(zip(first, other, strict=True), start=1) if a != b)


def alignment_cost(steps: Iterable[Difference], width: int) -> int:
    """The cost of an alignment given by its differences (exact matches cost nothing)."""
    return sum(len(s.officials) if s.kind == CHANGED else width + 1 for s in steps)


def _ballot_cost(width: int) -> Callable[[int, int], int]:
    """The cost of aligning two encoded ballots: the rows that differ (X: every row)."""
    mask = int("1" * width or "0", 4)  # the low bit of every row

    def cost(x: int, y: int) -> int:
        if x == y:
            return 0
        if x < 0 or y < 0:
            return width
        z = x ^ y
        return ((z | z >> 1) & mask).bit_count()

    return cost


def _upper_bound(a: list[int], b: list[int], cost: Callable[[int, int], int], gap: int) -> int:
    """The cost of some alignment: the naive one, or a greedy one that takes a gap where
    the next ballot matches (one skipped ballot then costs a gap, not a shifted stack)."""
    naive = sum(map(cost, a, b)) + gap * abs(len(a) - len(b))
    i = j = greedy = 0
    while i < len(a) and j < len(b) and greedy < naive:
        if a[i] == b[j]:
            i, j = i + 1, j + 1
        elif i + 1 < len(a) and a[i + 1] == b[j]:
            greedy, i = greedy + gap, i + 1
        elif j + 1 < len(b) and a[i] == b[j + 1]:
            greedy, j = greedy + gap, j + 1
        else:
            greedy, i, j = greedy + cost(a[i], b[j]), i + 1, j + 1
    greedy += gap * (len(a) - i + len(b) - j)
    return min(naive, greedy)


def _align(
    a: list[int], b: list[int], cost: Callable[[int, int], int], gap: int
) -> list[tuple[str, int, int]]:
    """The steps (kind, i, j) of an optimal alignment, 1-based, matches included, in order.

    The classic O(n·m) programme, restricted to the cells an alignment no dearer than a
    known one can pass through: a cell (i, j) lies at least |i − j| gaps from the start and
    |(n − m) − (i − j)| from the end.
    """
    n, m = len(a), len(b)
    bound = _upper_bound(a, b, cost, gap)
    reach, shift = bound // gap, n - m
    low, high = -((reach - shift) // 2), (reach + shift) // 2  # the band of i − j
    inf = bound + 1
    table = [[inf] * (m + 1) for _ in range(n + 1)]
    table[0][0] = 0
    for i in range(n + 1):
        row, above = table[i], table[i - 1]
        for j in range(max(0, i - high), min(m, i - low) + 1):
            best = row[j]
            if i and j:
                best = above[j - 1] + cost(a[i - 1], b[j - 1])
            if i and above[j] + gap < best:
                best = above[j] + gap
            if j and row[j - 1] + gap < best:
                best = row[j - 1] + gap
            row[j] = best
    steps: list[tuple[str, int, int]] = []
    i, j = n, m
    while i or j:
        here = table[i][j]
        if i and j and table[i - 1][j - 1] + cost(a[i - 1], b[j - 1]) == here:
            steps.append((CHANGED, i, j))
            i, j = i - 1, j - 1
        elif i and table[i - 1][j] + gap == here:
            steps.append((MISSING, i, j))
            i -= 1
        else:
            steps.append((EXTRA, i, j))
            j -= 1
    steps.reverse()
    return steps


def differences(
    first: Sequence[str], other: Sequence[str], width: int, pass_number: int = 2
) -> tuple[Difference, ...]:
    """The differences of an optimal alignment of ``other`` (pass ``pass_number``) against
    ``first`` (pass 1), in the contract's order; empty when the passes are identical.

    ``width`` is the number of officials on the ballot. A common beginning and end are
    matched as they are (exchanging steps shows some optimal alignment always does); the
    rest goes through ``_align``. Where several alignments cost the same, the one it finds
    is given.
    """
    n, m = len(first), len(other)
    start = 0
    while start < min(n, m) and first[start] == other[start]:
        start += 1
    end = 0
    while end < min(n, m) - start and first[n - 1 - end] == other[m - 1 - end]:
        end += 1
    a = [_code(e) for e in first[start : n - end]]
    b = [_code(e) for e in other[start : m - end]]
    found: list[Difference] = []
    for kind, i, j in _align(a, b, _ballot_cost(width), width + 1):
        i, j = i + start, j + start
        if kind == MISSING:
            found.append(Difference(MISSING, pass_number, i, None))
        elif kind == EXTRA:
            found.append(Difference(EXTRA, pass_number, i, j))
        elif first[i - 1] != other[j - 1]:
            rows = _changed_rows(first[i - 1], other[j - 1], width)
            found.append(Difference(CHANGED, pass_number, i, j, rows))
    return tuple(found)


def stack_differences(stack: Stack, width: int, passes_required: int) -> tuple[Difference, ...]:
    """Every pass j ≥ 2 aligned against pass 1, by pass; empty unless ``different``."""
    if stack_state(stack, passes_required) != DIFFERENT:
        return ()
    return _pass_differences(stack, width)


def _pass_differences(stack: Stack, width: int) -> tuple[Difference, ...]:
    first = stack.passes[0].entries
    found: list[Difference] = []
    for number, other in enumerate(stack.passes[1:], start=2):
        if other.entries != first:
            found.extend(differences(first, other.entries, width, number))
    return tuple(found)


@dataclass(frozen=True)
class StackResult:
    """What the tally says of one stack: its state, what it counts, its differences."""

    id: str
    state: str
    counted: int
    differences: tuple[Difference, ...]

    def as_json(self) -> dict:
        """The stack's object in ``tinnhiem tally``'s ``stacks`` array."""
        return {
            "id": self.id,
            "state": self.state,
            "counted": self.counted,
            "differences": [d.as_json() for d in self.differences],
        }


def reconcile(stacks: Iterable[Stack], width: int, passes_required: int) -> tuple[StackResult, ...]:
    """One result per stack, in file order."""
    results = []
    for stack in stacks:
        state = stack_state(stack, passes_required)
        found = _pass_differences(stack, width) if state == DIFFERENT else ()
        results.append(StackResult(stack.id, state, len(_contribution(stack, state)), found))
    return tuple(results)
