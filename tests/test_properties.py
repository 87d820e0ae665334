"""Properties of the tally and its arithmetic over generated polls (hypothesis)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem.arithmetic import band, hundredths, is_final, percent, quorum_required
from tinnhiem.model import LEVELS, Attendance, Kind, Official, Poll, entry_alphabet
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.rules import BANDS, RULE_SETS
from tinnhiem.tally import as_json, tally
from tinnhiem.validation import PollError

# No deadline: a busy CI machine must not turn a slow example into a failure.
PROFILE = settings(deadline=None)

PERCENT = re.compile(r"(0|[1-9][0-9]?|100)\.[0-9]{2}")


@st.composite
def polls(draw, complete: bool = False) -> Poll:
    """A valid poll with entries; ``complete``: every collected ballot entered."""
    kind = draw(st.sampled_from(list(Kind)))
    total = draw(st.integers(1, 40))
    present = draw(st.integers(0, total))
    issued = draw(st.integers(0, present))
    collected = draw(st.integers(0, issued))
    width = draw(st.integers(1, 4))
    row = st.text(alphabet=entry_alphabet(kind), min_size=width, max_size=width)
    ballot = st.one_of(st.just("X"), row, row, row)
    size = collected if complete else draw(st.integers(0, collected))
    entries = draw(st.lists(ballot, min_size=size, max_size=size))
    rules = draw(st.sampled_from(list(RULE_SETS)))
    base = draw(st.sampled_from([None, "collected", "issued", "members", "present"]))
    poll = Poll(
        kind=kind,
        rules=rules,
        members=Attendance(total=total, present=present),
        issued=issued,
        collected=collected,
        officials=tuple(Official(f"Người {i + 1}") for i in range(width)),
        entries=tuple(entries),
        base=base,
        rounding=draw(st.sampled_from(["half_up", "truncate"])),
    )
    base_number = {
        "collected": collected,
        "issued": issued,
        "members": total,
        "present": present,
    }[base or RULE_SETS[rules].default_base(kind)]
    if base_number == 0:  # a zero base is refused by the tally; tested elsewhere
        poll = replace(poll, base="members")
    return poll


def as_totals(poll: Poll) -> Poll:
    """The same poll as hand-count totals: per official, the count of each level."""
    levels = LEVELS[poll.kind]
    valid = [e for e in poll.entries if e != "X"]
    totals = tuple(
        {level: sum(1 for e in valid if e[i] == str(n + 1)) for n, level in enumerate(levels)}
        for i in range(len(poll.officials))
    )
    return replace(poll, entries=None, totals=totals, invalid=len(poll.entries) - len(valid))


@PROFILE
@given(polls(complete=True))
def test_entries_and_equivalent_totals_give_the_same_tally(poll):
    """A tally from entries of every collected ballot equals the tally of the same totals."""
    assert as_json(tally(poll)) == as_json(tally(as_totals(poll)))


@PROFILE
@given(polls())
def test_counts_add_up(poll):
    """For every official, valid marks plus invalid equal the ballots counted."""
    result = tally(poll)
    assert result.counted == len(poll.entries)
    assert result.invalid == poll.entries.count("X")
    for official in result.officials:
        assert official.valid + official.invalid == result.counted
        assert official.invalid >= result.invalid


@PROFILE
@given(polls())
def test_percent_strings_are_two_decimals_between_0_and_100(poll):
    """Every percentage in a tally is written d.dd and lies between 0.00 and 100.00."""
    for official in tally(poll).officials:
        for text in official.percent.values():
            assert PERCENT.fullmatch(text), text
            assert Decimal(0) <= Decimal(text) <= Decimal(100)


@PROFILE
@given(polls())
def test_band_and_final_match_an_independent_oracle(poll):
    """Bands follow the exact fractions; final means no completion of the count moves the band."""
    result = tally(poll)
    deciding = "low" if poll.kind == Kind.POLL else "no_confidence"
    for official in result.officials:
        low = official.counts[deciding]
        share = Fraction(low, result.base)
        expected = (
            "two_thirds"
            if poll.kind == Kind.POLL and share >= Fraction(2, 3)
            else "over_half"
            if share > Fraction(1, 2)
            else "none"
        )
        assert official.band == expected
        reachable = {
            band(low + more, result.base, poll.kind) for more in range(result.remaining + 1)
        }
        assert official.final is (reachable == {official.band})


@PROFILE
@given(st.integers(1, 2_000), st.data())
def test_bands_are_monotone_in_the_deciding_count(base, data):
    """More low (or no-confidence) marks never give a milder band."""
    first = data.draw(st.integers(0, base))
    second = data.draw(st.integers(first, base))
    kind = data.draw(st.sampled_from(list(Kind)))
    assert BANDS.index(band(first, base, kind)) <= BANDS.index(band(second, base, kind))


@PROFILE
@given(st.integers(1, 10**12), st.data())
def test_percent_matches_decimal_rounding(base, data):
    """Half up and truncate agree with Decimal's ROUND_HALF_UP and ROUND_DOWN to two places."""
    count = data.draw(st.integers(0, base))
    # 60 digits make the division exact enough: a value off a rounding boundary is at least
    # 1/(2 × base) away from it, and a value on one (x.xx5) is a short exact decimal.
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(count * 100) / Decimal(base)
        half_up = exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
        truncated = exact.quantize(Decimal("0.01"), ROUND_DOWN)
    assert percent(count, base) == f"{half_up:.2f}"
    assert percent(count, base, "truncate") == f"{truncated:.2f}"


@PROFILE
@given(st.integers(1, 10**9), st.data())
def test_half_up_is_at_most_one_hundredth_above_truncate(base, data):
    """Rounding half up gives the truncated value or one hundredth more, never less."""
    count = data.draw(st.integers(0, base))
    up, down = hundredths(count, base, "half_up"), hundredths(count, base, "truncate")
    assert 0 <= up - down <= 1
    assert 0 <= down <= up <= 10_000


@PROFILE
@given(st.integers(0, 10**6))
def test_quorum_is_the_smallest_two_thirds(total):
    """The quorum reaches ⅔ of the members and one fewer would not."""
    required = quorum_required(total)
    assert 3 * required >= 2 * total
    assert required == 0 or 3 * (required - 1) < 2 * total


@PROFILE
@given(st.integers(1, 500), st.data())
def test_is_final_agrees_with_brute_force(base, data):
    """is_final is true exactly when every possible number of further marks keeps the band."""
    count = data.draw(st.integers(0, base))
    remaining = data.draw(st.integers(0, base - count))
    kind = data.draw(st.sampled_from(list(Kind)))
    bands = {band(count + more, base, kind) for more in range(remaining + 1)}
    assert is_final(count, remaining, base, kind) is (len(bands) == 1)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from(["poll", "vote", "nq96-2023", "members", "X", "123", "13", "truncate"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
SAMPLE = {
    "format": "tinnhiem/1",
    "kind": "poll",
    "rules": "nq96-2023",
    "members": {"total": 5, "present": 4},
    "ballots": {"issued": 4, "collected": 3, "invalid": 0},
    "officials": [{"name": "A", "position": "B"}, {"name": "C"}],
    "entries": ["12", "X", "30"],
    "base": "issued",
}


def paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


SAMPLE_PATHS = [p for p in paths(SAMPLE) if p]


@PROFILE
@given(st.sampled_from(SAMPLE_PATHS), JSON_VALUES)
def test_any_damaged_file_is_tallied_or_refused_with_a_field(path, value):
    """Replacing any part of a good file with any JSON value never crashes the reader."""
    data = json.loads(json.dumps(SAMPLE))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        result = tally(parse_poll_file(json.dumps(data)))
    except PollError as error:
        assert error.problem.field
        assert error.problem.message
    else:
        assert result.counted <= result.collected


@PROFILE
@given(st.binary(max_size=200))
def test_any_bytes_are_tallied_or_refused(raw):
    """Arbitrary bytes give a tally or a PollError, never another exception."""
    try:
        tally(parse_poll_file(raw))
    except PollError as error:
        assert error.problem.field == "(tệp)" or error.problem.field
