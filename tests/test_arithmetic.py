"""Exact thresholds, quorum, the final flag and percentages (tinnhiem.arithmetic); the
Vietnamese forms of numbers are tested with tinnhiem.words."""

from __future__ import annotations

import pytest

from tinnhiem.arithmetic import (
    Banding,
    band,
    hundredths,
    is_final,
    percent,
    quorum_met,
    quorum_required,
)
from tinnhiem.model import Kind
from tinnhiem.rules import RULE_SETS, read_rule_set, rule_set

NONE, HALF, TWO = "none", "over_half", "two_thirds"

# N, largest count in `none`, smallest in `over_half`, largest in `over_half`, smallest in
# `two_thirds` — written out by hand from "2 × low > N" and "3 × low ≥ 2 × N".
# For N ≤ 3 a poll has no over_half count at all: the first count over ½ is already ⅔.
EDGES = [
    (1, 0, None, None, 1),
    (2, 1, None, None, 2),
    (3, 1, None, None, 2),
    (7, 3, 4, 4, 5),
    (30, 15, 16, 19, 20),
    (31, 15, 16, 20, 21),
    (481, 240, 241, 320, 321),
]


@pytest.mark.parametrize(("n", "none_max", "half_min", "half_max", "two_min"), EDGES)
def test_band_edges_of_a_poll(n, none_max, half_min, half_max, two_min):
    """A poll's band changes exactly at the hand-computed counts around ½ and ⅔."""
    assert band(none_max, n) == NONE
    if half_min is None:
        assert band(none_max + 1, n) == TWO
    else:
        assert band(half_min, n) == HALF
        assert band(half_max, n) == HALF
    assert band(two_min, n) == TWO
    assert band(two_min - 1, n) != TWO


@pytest.mark.parametrize(("n", "none_max", "half_min", "half_max", "two_min"), EDGES)
def test_band_sequence_over_every_count(n, none_max, half_min, half_max, two_min):
    """Counts 0..N give none, then over_half, then two_thirds, with nothing out of order."""
    bands = [band(count, n) for count in range(n + 1)]
    over_half = 0 if half_min is None else half_max - half_min + 1
    assert bands == [NONE] * (none_max + 1) + [HALF] * over_half + [TWO] * (n - two_min + 1)


@pytest.mark.parametrize(("n", "none_max"), [edge[:2] for edge in EDGES])
def test_vote_band_edges(n, none_max):
    """A vote is over_half from the first count over ½ up to all members, never two_thirds."""
    assert band(none_max, n, Kind.VOTE) == NONE
    assert band(none_max + 1, n, Kind.VOTE) == HALF
    assert band(n, n, Kind.VOTE) == HALF


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (15, 30, NONE),  # exactly half is not over half
        (16, 32, NONE),
        (20, 30, TWO),  # exactly two thirds is two_thirds
        (14, 21, TWO),
        (0, 1, NONE),
        (0, 481, NONE),
        (1, 1, TWO),
        (1, 2, NONE),
        (1, 3, NONE),
        (20_001, 40_001, HALF),  # prints "50.00" yet is over half
        (20_000, 40_001, NONE),
        (26_668, 40_001, TWO),
        (26_667, 40_001, HALF),
    ],
)
def test_band_boundaries(count, base, expected):
    """Exactly ½ is none, exactly ⅔ is two_thirds, and rounding never decides."""
    assert band(count, base) == expected


def test_over_half_yet_prints_fifty():
    """20 001 low of 40 001 is over half although its percentage reads 50.00."""
    assert percent(20_001, 40_001) == "50.00"
    assert band(20_001, 40_001) == HALF


@pytest.mark.parametrize("base", [0, -1])
def test_band_refuses_a_non_positive_base(base):
    """A base of zero or less has no band."""
    with pytest.raises(ValueError, match="base must be positive"):
        band(0, base)


@pytest.mark.parametrize(
    ("total", "required"),
    [(0, 0), (1, 1), (2, 2), (3, 2), (7, 5), (30, 20), (31, 21), (47, 32), (485, 324)],
)
def test_quorum_required(total, required):
    """The quorum is the smallest whole number at least ⅔ of the members."""
    assert quorum_required(total) == required


@pytest.mark.parametrize(
    ("total", "present", "met"),
    [
        (30, 20, True),
        (30, 19, False),
        (31, 21, True),
        (31, 20, False),
        (0, 0, True),
        (1, 0, False),
        (1, 1, True),
        (2, 1, False),
        (2, 2, True),
        (3, 1, False),
        (3, 2, True),
    ],
)
def test_quorum_met(total, present, met):
    """Quorum is met exactly when present reaches the required number."""
    assert quorum_met(total, present) is met


@pytest.mark.parametrize(
    ("count", "remaining", "base", "kind", "final"),
    [
        (14, 5, 21, Kind.POLL, True),  # already two_thirds: can only stay there
        (7, 5, 21, Kind.POLL, False),  # none, but 12 of 21 would be over half
        (10, 5, 30, Kind.POLL, True),  # none, 15 of 30 is still not over half
        (10, 6, 30, Kind.POLL, False),  # 16 of 30 would be over half
        (16, 3, 30, Kind.POLL, True),  # over_half, 19 of 30 stays below ⅔
        (16, 4, 30, Kind.POLL, False),  # 20 of 30 would reach ⅔
        (16, 14, 30, Kind.VOTE, True),  # a vote has no ⅔ band to reach
        (15, 1, 30, Kind.VOTE, False),
        (0, 0, 1, Kind.POLL, True),  # nothing remaining: always final
        (0, 1, 1, Kind.POLL, False),
    ],
)
def test_is_final(count, remaining, base, kind, final):
    """The band is final exactly when no split of the remaining ballots can change it."""
    assert is_final(count, remaining, base, kind) is final


@pytest.mark.parametrize(
    ("count", "base", "half_up", "truncate"),
    [
        (19, 47, "40.43", "40.42"),
        (2, 47, "4.26", "4.25"),
        (25, 47, "53.19", "53.19"),
        (140, 485, "28.87", "28.86"),
        (194, 485, "40.00", "40.00"),
        (137, 485, "28.25", "28.24"),
        (47, 47, "100.00", "100.00"),
        (0, 47, "0.00", "0.00"),
        (1, 32, "3.13", "3.12"),  # exactly half a hundredth rounds up, not to even
        (5, 32, "15.63", "15.62"),
        (2, 3, "66.67", "66.66"),
        (1, 3, "33.33", "33.33"),
        (1, 80_000, "0.00", "0.00"),
        (1, 20_000, "0.01", "0.00"),  # 0.005 rounds up
        (39_999, 40_000, "100.00", "99.99"),
        (20_001, 40_001, "50.00", "50.00"),
    ],
)
def test_percent_machine_form(count, base, half_up, truncate):
    """Percentages have two decimals and a dot, rounded half up or truncated."""
    assert percent(count, base) == half_up
    assert percent(count, base, "half_up") == half_up
    assert percent(count, base, "truncate") == truncate


def test_hundredths_is_exact_for_huge_numbers():
    """Percentages are exact integers even where a float would lose digits."""
    base = 10**30 + 1
    assert hundredths(base // 2 + 1, base) == 5000
    assert percent(base - 1, base, "truncate") == "99.99"


def test_hundredths_refuses_an_unknown_rounding():
    """An unknown rounding mode is an error, not a silent default."""
    with pytest.raises(ValueError, match="unknown rounding 'half_even'"):
        hundredths(1, 3, "half_even")


def test_percent_refuses_a_zero_base():
    """A percentage of a zero base is an error."""
    with pytest.raises(ValueError, match="base must be positive"):
        percent(0, 0)


# -- edges read from a rule set ------------------------------------------------------------

HALF_OPEN = {"band": "over_half", "from": "1/2", "inclusive": False}
CUSTOM_EDGES = {
    # The built-in edges written as a custom set: ⅔ itself is in the upper band.
    "inclusive_two_thirds": [HALF_OPEN, {"band": "two_thirds", "from": "2/3", "inclusive": True}],
    # The 2025 decree, "trên 50% nhưng không quá 2/3": ⅔ itself is in the lower band.
    "decree_2025": [HALF_OPEN, {"band": "over_two_thirds", "from": "2/3", "inclusive": False}],
    "three_fifths": [{"band": "three_fifths", "from": "3/5", "inclusive": True}],
    "half_then_over_three_fifths": [
        HALF_OPEN,
        {"band": "three_fifths", "from": "6/10", "inclusive": False},
    ],
}


def custom(name: str, quorum: str = "2/3"):
    """A custom rule set with the named edges, read as a poll file's rule_set."""
    return read_rule_set(
        {"id": f"kh-{name}", "base": "collected", "quorum": quorum, "bands": CUSTOM_EDGES[name]}
    )


# Written by hand from count × q > p × N (not inclusive) and count × q ≥ p × N (inclusive):
# for each N, the runs of counts 0..N as (band, first count, last count).
RUNS = {
    "inclusive_two_thirds": {
        3: [(NONE, 0, 1), (TWO, 2, 3)],
        5: [(NONE, 0, 2), (HALF, 3, 3), (TWO, 4, 5)],
        30: [(NONE, 0, 15), (HALF, 16, 19), (TWO, 20, 30)],
        31: [(NONE, 0, 15), (HALF, 16, 20), (TWO, 21, 31)],
        481: [(NONE, 0, 240), (HALF, 241, 320), (TWO, 321, 481)],
    },
    "decree_2025": {
        3: [(NONE, 0, 1), (HALF, 2, 2), ("over_two_thirds", 3, 3)],  # 2 of 3 is exactly ⅔
        5: [(NONE, 0, 2), (HALF, 3, 3), ("over_two_thirds", 4, 5)],
        30: [(NONE, 0, 15), (HALF, 16, 20), ("over_two_thirds", 21, 30)],  # 20 is exactly ⅔
        31: [(NONE, 0, 15), (HALF, 16, 20), ("over_two_thirds", 21, 31)],
        481: [(NONE, 0, 240), (HALF, 241, 320), ("over_two_thirds", 321, 481)],
    },
    "three_fifths": {
        3: [(NONE, 0, 1), ("three_fifths", 2, 3)],
        5: [(NONE, 0, 2), ("three_fifths", 3, 5)],  # 3 of 5 is exactly ⅗
        30: [(NONE, 0, 17), ("three_fifths", 18, 30)],  # 18 of 30 is exactly ⅗
        31: [(NONE, 0, 18), ("three_fifths", 19, 31)],
        481: [(NONE, 0, 288), ("three_fifths", 289, 481)],
    },
    "half_then_over_three_fifths": {
        3: [(NONE, 0, 1), ("three_fifths", 2, 3)],  # 2 of 3 passes both edges at once
        5: [(NONE, 0, 2), (HALF, 3, 3), ("three_fifths", 4, 5)],
        30: [(NONE, 0, 15), (HALF, 16, 18), ("three_fifths", 19, 30)],
        31: [(NONE, 0, 15), (HALF, 16, 18), ("three_fifths", 19, 31)],
        481: [(NONE, 0, 240), (HALF, 241, 288), ("three_fifths", 289, 481)],
    },
}


def expand(runs):
    return [name for name, first, last in runs for _ in range(first, last + 1)]


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
@pytest.mark.parametrize("n", [3, 5, 30, 31, 481])
def test_built_in_edge_tables_are_unchanged(rule_id, n):
    """Every built-in rule set gives the hand-written ½ / ⅔ table, the same as no rule set."""
    rules = rule_set(rule_id)
    expected = expand(RUNS["inclusive_two_thirds"][n])
    assert [band(count, n, Kind.POLL, rules) for count in range(n + 1)] == expected
    assert [band(count, n) for count in range(n + 1)] == expected


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
@pytest.mark.parametrize("n", [3, 5, 30, 31, 481])
def test_built_in_vote_has_no_two_thirds(rule_id, n):
    """Under every built-in rule set a vote is over_half from the first count over ½, to N."""
    rules = rule_set(rule_id)
    first = n // 2 + 1
    expected = [NONE] * first + [HALF] * (n + 1 - first)
    assert [band(count, n, Kind.VOTE, rules) for count in range(n + 1)] == expected


@pytest.mark.parametrize("name", list(RUNS))
@pytest.mark.parametrize("n", [3, 5, 30, 31, 481])
def test_custom_edge_tables(name, n):
    """A custom rule set's bands change exactly at the hand-computed counts, poll and vote."""
    rules = custom(name)
    expected = expand(RUNS[name][n])
    assert len(expected) == n + 1
    assert [band(count, n, Kind.POLL, rules) for count in range(n + 1)] == expected
    assert [band(count, n, Kind.VOTE, rules) for count in range(n + 1)] == expected


def test_exactly_two_thirds_depends_on_the_edge_inclusiveness():
    """20 of 30 is two_thirds under “từ 2/3 trở lên” and over_half under “không quá 2/3”."""
    assert band(20, 30, Kind.POLL, custom("inclusive_two_thirds")) == TWO
    assert band(20, 30, Kind.POLL, custom("decree_2025")) == HALF
    assert band(21, 30, Kind.POLL, custom("decree_2025")) == "over_two_thirds"


def test_custom_band_refuses_a_non_positive_base():
    """A custom rule set does not make a zero base meaningful."""
    with pytest.raises(ValueError, match="base must be positive"):
        band(0, 0, Kind.POLL, custom("three_fifths"))


@pytest.mark.parametrize(
    ("name", "count", "remaining", "base", "kind", "final"),
    [
        ("decree_2025", 20, 0, 30, Kind.POLL, True),  # nothing left: stays over_half
        ("decree_2025", 20, 1, 30, Kind.POLL, False),  # 21 of 30 would pass ⅔
        ("decree_2025", 16, 4, 30, Kind.POLL, True),  # 20 of 30 is still over_half here
        ("inclusive_two_thirds", 16, 4, 30, Kind.POLL, False),  # …but two_thirds here
        ("three_fifths", 18, 12, 30, Kind.POLL, True),  # the top band can only stay
        ("three_fifths", 17, 1, 30, Kind.POLL, False),  # 18 of 30 reaches ⅗
        ("three_fifths", 10, 7, 30, Kind.POLL, True),  # 17 of 30 is still below ⅗
        ("three_fifths", 10, 8, 30, Kind.POLL, False),
        ("half_then_over_three_fifths", 16, 2, 30, Kind.POLL, True),  # 18 is exactly ⅗
        ("half_then_over_three_fifths", 16, 3, 30, Kind.POLL, False),
        ("half_then_over_three_fifths", 1, 1, 3, Kind.POLL, False),  # none → three_fifths
        # A custom set's bands hold for a vote too: over_half can still become two_thirds.
        ("inclusive_two_thirds", 16, 14, 30, Kind.VOTE, False),
        ("inclusive_two_thirds", 16, 3, 30, Kind.VOTE, True),
    ],
)
def test_is_final_with_custom_edges(name, count, remaining, base, kind, final):
    """Final exactly when no split of the remaining ballots can move the count past an edge."""
    assert is_final(count, remaining, base, kind, custom(name)) is final


@pytest.mark.parametrize(
    ("quorum", "total", "required"),
    [
        ("2/3", 0, 0),
        ("2/3", 30, 20),
        ("2/3", 31, 21),
        ("4/6", 31, 21),  # the same fraction written otherwise
        ("1/2", 30, 15),
        ("1/2", 31, 16),  # 15.5 → 16
        ("3/5", 30, 18),
        ("3/5", 31, 19),  # 18.6 → 19
        ("3/4", 481, 361),  # 360.75 → 361
        ("1/3", 1, 1),
        ("1/1", 31, 31),
        ("1/1000", 1, 1),
    ],
)
def test_quorum_required_reads_the_rule_sets_fraction(quorum, total, required):
    """The quorum is the smallest whole number at least the rule set's fraction of the members."""
    rules = custom("three_fifths", quorum=quorum)
    assert quorum_required(total, rules) == required
    assert quorum_met(total, required, rules)
    assert required == 0 or not quorum_met(total, required - 1, rules)


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
def test_built_in_quorum_is_two_thirds(rule_id):
    """Every built-in rule set needs ⅔ of the members, as without a rule set."""
    for total in (0, 1, 2, 3, 7, 30, 31, 47, 485):
        assert quorum_required(total, rule_set(rule_id)) == quorum_required(total)


def _band_by_definition(count: int, base: int, kind: Kind, rules) -> str:
    """The band straight from the rule: the last edge, in order, that the count passes."""
    found = NONE
    for edge in rules.bands(kind):
        if not edge.passed_by(count, base):
            break
        found = edge.name
    return found


@pytest.mark.parametrize("rules", ["built-in", *CUSTOM_EDGES])
@pytest.mark.parametrize("kind", [Kind.POLL, Kind.VOTE])
def test_the_tallys_banding_is_the_rule_for_every_count_and_base(rules, kind):
    """``Banding`` (each edge's smallest passing count, found once per tally) gives the
    band of ``passed_by`` for every count 0 … base + 3 of every base 1 … 60 and 481, and
    ``is_final`` says whether both ends of the remaining ballots share it."""
    rule_sets = list(RULE_SETS.values()) if rules == "built-in" else [custom(rules)]
    for chosen in rule_sets:
        for base in [*range(1, 61), 481]:
            banding = Banding(base, kind, chosen)
            for count in range(base + 4):
                expected = _band_by_definition(count, base, kind, chosen)
                assert banding.band(count) == band(count, base, kind, chosen) == expected
                for remaining in (0, 1, 2, base // 3):
                    later = _band_by_definition(count + remaining, base, kind, chosen)
                    assert banding.is_final(count, remaining) == (expected == later)
