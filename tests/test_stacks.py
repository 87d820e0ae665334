"""Stacks, passes, their states and the optimal alignment of two passes (tinnhiem.stacks)."""

from __future__ import annotations

import functools
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinnhiem.stacks import (
    AGREED,
    CHANGED,
    DIFFERENT,
    EXTRA,
    INCOMPLETE,
    MISSING,
    RESOLVED,
    Difference,
    Pass,
    Resolution,
    Stack,
    StackResult,
    alignment_cost,
    counted_entries,
    differences,
    reconcile,
    stack_counted,
    stack_differences,
    stack_state,
)

A = ("1231", "2222", "3330", "X")
B = ("1231", "2322", "3330", "X")  # ballot 2 differs in row 2


def stack(*passes: tuple[str, ...], resolved: tuple[str, ...] | None = None) -> Stack:
    return Stack(
        "A",
        tuple(Pass(p, by=f"Máy {n}") for n, p in enumerate(passes, start=1)),
        Resolution(resolved, by="Trưởng ban", reason="Xem lại phiếu giấy")
        if resolved is not None
        else None,
    )


# --- states ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("passes", "required", "resolved", "state"),
    [
        ((A,), 1, None, AGREED),
        ((A,), 2, None, INCOMPLETE),
        ((), 1, None, INCOMPLETE),
        ((A, A), 2, None, AGREED),
        ((A, B), 2, None, DIFFERENT),
        ((A, B), 1, None, DIFFERENT),
        ((A, A), 3, None, INCOMPLETE),
        ((A, B), 3, None, INCOMPLETE),
        ((A, A, A), 3, None, AGREED),
        ((A, A, B), 3, None, DIFFERENT),
        ((A, A, A, A), 3, None, AGREED),
        ((A, B), 2, A, RESOLVED),
        ((A,), 3, B, RESOLVED),
        ((), 2, (), RESOLVED),
        (((), ()), 2, None, AGREED),
    ],
)
def test_state_follows_the_contract(passes, required, resolved, state):
    """The state is resolved with a decision, agreed with enough identical passes,
    different with enough passes that differ, and incomplete otherwise."""
    assert stack_state(stack(*passes, resolved=resolved), required) == state


def test_same_ballots_in_another_order_do_not_agree():
    """Passes holding the same ballots in another order are different, not agreed."""
    assert stack_state(stack(A, tuple(reversed(A))), 2) == DIFFERENT


@pytest.mark.parametrize(
    ("passes", "required", "resolved", "counted"),
    [
        ((A, A), 2, None, A),
        ((A, B), 2, None, ()),
        ((A,), 2, None, ()),
        ((A, B), 2, B, B),
        ((A, A), 2, ("X",), ("X",)),
    ],
)
def test_a_stack_counts_its_common_or_resolved_entries(passes, required, resolved, counted):
    """An agreed stack counts its common entries, a resolved one its decision, others none."""
    assert stack_counted(stack(*passes, resolved=resolved), required) == counted


def test_counted_entries_follow_file_order():
    """The counted ballots are the stacks' contributions one after the other, in order."""
    stacks = [
        Stack("1", (Pass(("11",)), Pass(("11",)))),
        Stack("2", (Pass(("22",)), Pass(("23",)))),
        Stack("3", (Pass(("33", "X")),)),
        Stack("4", (Pass(("01",)),), Resolution(("02", "03"))),
        Stack("5", (Pass(("12",)), Pass(("12",)))),
    ]
    assert counted_entries(stacks, 2) == ("11", "02", "03", "12")
    assert counted_entries(stacks, 1) == ("11", "33", "X", "02", "03", "12")


def test_reconcile_gives_one_result_per_stack_in_order():
    """reconcile reports every stack's id, state, count and differences, in file order."""
    stacks = [Stack("A", (Pass(A), Pass(A))), Stack("B", (Pass(A), Pass(B))), Stack("C", ())]
    assert reconcile(stacks, 4, 2) == (
        StackResult("A", AGREED, 4, ()),
        StackResult("B", DIFFERENT, 0, (Difference(CHANGED, 2, 2, 2, (2,)),)),
        StackResult("C", INCOMPLETE, 0, ()),
    )
    assert [r.as_json() for r in reconcile(stacks, 4, 2)] == [
        {"id": "A", "state": "agreed", "counted": 4, "differences": []},
        {
            "id": "B",
            "state": "different",
            "counted": 0,
            "differences": [{"pass": 2, "position": 2, "officials": [2]}],
        },
        {"id": "C", "state": "incomplete", "counted": 0, "differences": []},
    ]


# --- differences: each kind -------------------------------------------------------------


def as_json(steps) -> list[dict]:
    return [s.as_json() for s in steps]


def test_identical_passes_give_no_difference():
    """Two passes holding the same entries have no difference."""
    assert differences(A, A, 4) == ()
    assert differences((), (), 4) == ()


def test_a_changed_ballot_names_its_rows():
    """A ballot typed differently is one step naming the differing rows, ascending."""
    other = ("1231", "2222", "1320", "X")
    assert as_json(differences(A, other, 4)) == [{"pass": 2, "position": 3, "officials": [1, 3]}]


def test_a_skipped_ballot_is_missing():
    """A ballot of pass 1 that pass j skipped is reported missing at its position."""
    other = ("1231", "3330", "X")
    assert as_json(differences(A, other, 4, pass_number=3)) == [
        {"pass": 3, "position": 2, "missing": True}
    ]


def test_an_added_ballot_is_extra_after_its_place():
    """A ballot only pass j has is extra, placed after the pass-1 ballot before it."""
    other = ("1231", "2222", "0000", "3330", "X")
    assert as_json(differences(A, other, 4)) == [{"pass": 2, "after": 2, "extra": 3}]


def test_an_extra_ballot_before_the_first_is_after_zero():
    """A ballot added before every ballot of pass 1 is extra after 0."""
    assert as_json(differences(A, ("0000", *A), 4)) == [{"pass": 2, "after": 0, "extra": 1}]


def test_extra_ballots_at_the_end_follow_the_last_position():
    """Ballots added after the last one are extra after the last position of pass 1."""
    assert as_json(differences(A[:2], (*A[:2], "0000", "1111"), 4)) == [
        {"pass": 2, "after": 2, "extra": 3},
        {"pass": 2, "after": 2, "extra": 4},
    ]


def test_an_empty_pass_misses_every_ballot():
    """Against an empty pass, every ballot of pass 1 is missing."""
    assert as_json(differences(A[:2], (), 4)) == [
        {"pass": 2, "position": 1, "missing": True},
        {"pass": 2, "position": 2, "missing": True},
    ]


def test_extras_after_p_come_between_position_p_and_p_plus_1():
    """An extra after ballot p is listed after the step of ballot p, before that of p + 1."""
    first = ("1111", "2222", "3333")
    other = ("1111", "2223", "0000", "3330")
    assert as_json(differences(first, other, 4)) == [
        {"pass": 2, "position": 2, "officials": [4]},
        {"pass": 2, "after": 2, "extra": 3},
        {"pass": 2, "position": 3, "officials": [4]},
    ]


def test_x_against_a_marked_ballot_differs_in_every_row():
    """X typed for a marked ballot (or the reverse) differs in every row of the ballot."""
    assert as_json(differences(("1231",), ("X",), 4)) == [
        {"pass": 2, "position": 1, "officials": [1, 2, 3, 4]}
    ]
    assert as_json(differences(("X",), ("0000",), 4)) == [
        {"pass": 2, "position": 1, "officials": [1, 2, 3, 4]}
    ]


def test_x_against_x_costs_nothing():
    """Two passes that both hold X for a ballot agree on it."""
    assert differences(("X", "12"), ("X", "13"), 2) == (Difference(CHANGED, 2, 2, 2, (2,)),)


def test_a_changed_ballot_is_preferred_to_a_gap_pair():
    """A ballot wrong in every row is one change (w) rather than missing + extra (2w + 2)."""
    assert as_json(differences(("1111",), ("3333",), 4)) == [
        {"pass": 2, "position": 1, "officials": [1, 2, 3, 4]}
    ]


def test_one_skipped_ballot_is_not_reported_as_a_shifted_stack():
    """Skipping one ballot is one missing step, not every later ballot changed."""
    first = ("1111", "2222", "3333", "1212", "2323", "3131")
    other = first[:1] + first[2:]
    assert as_json(differences(first, other, 4)) == [{"pass": 2, "position": 2, "missing": True}]


def test_a_transposition_gives_exactly_two_changed_positions():
    """Two neighbouring ballots typed in swapped order are two changed positions."""
    first = ("1111", "2233", "3121", "1230")
    other = ("1111", "3121", "2233", "1230")
    steps = differences(first, other, 4)
    assert [(s.kind, s.position, s.counterpart) for s in steps] == [
        (CHANGED, 2, 2),
        (CHANGED, 3, 3),
    ]


def test_a_vote_pass_aligns_like_a_poll_pass():
    """Vote entries (digits 0–2) align with the same costs."""
    assert as_json(differences(("12", "21", "00"), ("12", "00"), 2)) == [
        {"pass": 2, "position": 2, "missing": True}
    ]


def test_stack_differences_compare_every_later_pass_with_the_first():
    """Each pass j ≥ 2 is aligned against pass 1, ordered by pass; equal passes add none."""
    third = ("1231", "2222", "3330")
    steps = stack_differences(stack(A, B, A, third), 4, 3)
    assert as_json(steps) == [
        {"pass": 2, "position": 2, "officials": [2]},
        {"pass": 4, "position": 4, "missing": True},
    ]


@pytest.mark.parametrize("state", [AGREED, INCOMPLETE, RESOLVED])
def test_only_a_different_stack_has_differences(state):
    """A stack that is not different reports no difference, even if its passes differ."""
    cases = {
        AGREED: (stack(A, A), 2),
        INCOMPLETE: (stack(A, B), 3),
        RESOLVED: (stack(A, B, resolved=A), 2),
    }
    subject, required = cases[state]
    assert stack_state(subject, required) == state
    assert stack_differences(subject, 4, required) == ()


# --- properties -------------------------------------------------------------------------


def ballot(width: int):
    return st.one_of(st.text(alphabet="0123", min_size=width, max_size=width), st.just("X"))


def ballots(width: int, max_size: int):
    return st.lists(ballot(width), max_size=max_size).map(tuple)


@st.composite
def two_passes(draw, max_size: int = 8, related: bool = True):
    width = draw(st.integers(1, 4))
    first = draw(ballots(width, max_size))
    if related and draw(st.booleans()):
        other = list(first)  # a copy with a few slips: more realistic than unrelated passes
        for _ in range(draw(st.integers(0, 3))):
            slip = draw(st.sampled_from(("change", "skip", "add")))
            where = draw(st.integers(0, len(other)))
            if slip == "add" or (not other):
                other.insert(where, draw(ballot(width)))
            elif slip == "skip":
                del other[min(where, len(other) - 1)]
            else:
                other[min(where, len(other) - 1)] = draw(ballot(width))
        return width, first, tuple(other)
    return width, first, draw(ballots(width, max_size))


def row_cost(x: str, y: str, width: int) -> int:
    """The contract's cost of aligning two ballots, written naively."""
    if x == y:
        return 0
    if "X" in (x, y):
        return width
    return sum(a != b for a, b in zip(x, y, strict=True))


def brute_force_cost(first, other, width: int) -> int:
    """The least cost over every alignment, enumerated as paths (tiny inputs only)."""
    gap = width + 1

    @functools.cache
    def paths(i: int, j: int) -> frozenset[int]:
        if i == len(first) and j == len(other):
            return frozenset({0})
        costs: set[int] = set()
        if i < len(first) and j < len(other):
            costs |= {row_cost(first[i], other[j], width) + c for c in paths(i + 1, j + 1)}
        if i < len(first):
            costs |= {gap + c for c in paths(i + 1, j)}
        if j < len(other):
            costs |= {gap + c for c in paths(i, j + 1)}
        return frozenset(costs)

    return min(paths(0, 0))


def full_table_cost(first, other, width: int) -> int:
    """The least cost by the textbook programme over the whole table (no band, no trim)."""
    gap = width + 1
    above = [j * gap for j in range(len(other) + 1)]
    for i, x in enumerate(first, start=1):
        row = [i * gap]
        for j, y in enumerate(other, start=1):
            row.append(min(above[j - 1] + row_cost(x, y, width), above[j] + gap, row[-1] + gap))
        above = row
    return above[-1]


def replay(first, other, width: int, steps) -> int:
    """Check that ``steps`` describe a whole alignment of the passes; return its cost.

    Ballots of both passes not named by a step must pair up, in order, with equal entries.
    """
    named_first = {s.position for s in steps if s.kind in (CHANGED, MISSING)}
    named_other = {s.counterpart for s in steps if s.kind in (CHANGED, EXTRA)}
    pairs = {(s.position, s.counterpart) for s in steps if s.kind == CHANGED}
    assert len(named_first) == sum(s.kind in (CHANGED, MISSING) for s in steps)
    assert len(named_other) == sum(s.kind in (CHANGED, EXTRA) for s in steps)
    matched_first = [p for p in range(1, len(first) + 1) if p not in named_first]
    matched_other = [q for q in range(1, len(other) + 1) if q not in named_other]
    assert len(matched_first) == len(matched_other)
    for p, q in zip(matched_first, matched_other, strict=True):
        assert first[p - 1] == other[q - 1]
        pairs.add((p, q))
    ordered = sorted(pairs)
    assert [q for _, q in ordered] == sorted(q for _, q in ordered)  # no crossing
    for s in steps:
        if s.kind == CHANGED:
            assert s.officials and list(s.officials) == sorted(s.officials)
            cost = row_cost(first[s.position - 1], other[s.counterpart - 1], width)
            assert len(s.officials) == cost
        if s.kind == EXTRA:  # comes after ballot p of pass 1: between the pairs around it
            before = [q for p, q in ordered if p <= s.position]
            after = [q for p, q in ordered if p > s.position]
            assert all(q < s.counterpart for q in before)
            assert all(q > s.counterpart for q in after)
        if s.kind == MISSING:
            assert s.counterpart is None
    return alignment_cost(steps, width)


def naive_cost(first, other, width: int) -> int:
    """Position-by-position comparison, the length difference paid as missing or extra."""
    common = sum(row_cost(x, y, width) for x, y in zip(first, other, strict=False))
    return common + (width + 1) * abs(len(first) - len(other))


@settings(max_examples=300, deadline=None)
@given(two_passes(max_size=5))
def test_the_alignment_is_optimal_and_whole_on_tiny_inputs(case):
    """On tiny passes, the steps form a whole alignment whose cost is the brute-force least."""
    width, first, other = case
    steps = differences(first, other, width)
    assert replay(first, other, width, steps) == brute_force_cost(first, other, width)


@settings(max_examples=300, deadline=None)
@given(two_passes(max_size=16))
def test_the_band_and_the_trimming_keep_the_least_cost(case):
    """On passes of up to 16 ballots, the cost found is the whole table's least cost."""
    width, first, other = case
    steps = differences(first, other, width)
    assert replay(first, other, width, steps) == full_table_cost(first, other, width)


@settings(max_examples=200, deadline=None)
@given(two_passes(max_size=20))
def test_the_alignment_never_costs_more_than_the_naive_comparison(case):
    """An alignment's cost is never above position-by-position comparison."""
    width, first, other = case
    steps = differences(first, other, width)
    assert replay(first, other, width, steps) <= naive_cost(first, other, width)


@settings(max_examples=200, deadline=None)
@given(two_passes(max_size=12))
def test_steps_are_in_the_contract_order(case):
    """Steps are ordered by position in pass 1, extras after p between p and p + 1."""
    width, first, other = case
    steps = differences(first, other, width)
    assert list(steps) == sorted(steps, key=lambda s: s.order)


@given(st.integers(1, 4).flatmap(lambda w: st.tuples(st.just(w), ballots(w, 20))))
def test_identical_passes_never_differ(case):
    """A pass compared with itself has no difference and costs nothing."""
    width, entries = case
    assert differences(entries, entries, width) == ()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_one_transposition_gives_exactly_two_changed_positions(data):
    """Swapping two neighbouring ballots that differ gives exactly two changed positions
    (the two changes cost at most 2w; any alignment with a gap has two, 2w + 2)."""
    width = data.draw(st.integers(1, 6))
    first = data.draw(ballots(width, 10).filter(lambda b: len(b) >= 2))
    k = data.draw(st.integers(0, len(first) - 2))
    assume(first[k] != first[k + 1])
    other = list(first)
    other[k], other[k + 1] = other[k + 1], other[k]
    steps = differences(first, tuple(other), width)
    assert [(s.kind, s.position, s.counterpart) for s in steps] == [
        (CHANGED, k + 1, k + 1),
        (CHANGED, k + 2, k + 2),
    ]


def test_tied_alignments_report_one_optimal_one():
    """Where a missing ballot could be any of several equal ones, one of them is reported."""
    first = ("12", "12", "12")
    steps = differences(first, ("12", "12"), 2)
    assert len(steps) == 1 and steps[0].kind == MISSING and steps[0].position in (1, 2, 3)
    assert alignment_cost(steps, 2) == 3


def test_fifty_by_fifty_unrelated_passes_align_optimally_in_full():
    """Two unrelated 50-ballot passes of 50 officials still get a whole, cheapest-found
    alignment no dearer than the naive comparison (the widest band of the programme)."""
    rng = random.Random(10)
    first = tuple("".join(rng.choice("0123") for _ in range(50)) for _ in range(50))
    other = tuple("".join(rng.choice("0123") for _ in range(50)) for _ in range(49))
    steps = differences(first, other, 50)
    assert replay(first, other, 50, steps) <= naive_cost(first, other, 50)
