"""“Needs k more”: how many more deciding marks move an official's band (arithmetic.need),
and the sentence that says it (words.needs)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinnhiem import words
from tinnhiem.arithmetic import band, is_final, need, smallest_passing
from tinnhiem.model import Kind
from tinnhiem.rules import Band, read_rule_set, rule_set

NONE, HALF, TWO = "none", "over_half", "two_thirds"
HALF_OPEN = {"band": "over_half", "from": "1/2", "inclusive": False}
EDGES = {
    "half_closed": [{"band": "half", "from": "1/2", "inclusive": True}],
    # The 2025 decree, "trên 50% nhưng không quá 2/3": ⅔ itself is in the lower band.
    "decree_2025": [HALF_OPEN, {"band": "over_two_thirds", "from": "2/3", "inclusive": False}],
    "three_fifths": [{"band": "three_fifths", "from": "3/5", "inclusive": True}],
    "half_then_over_three_fifths": [
        HALF_OPEN,
        {"band": "three_fifths", "from": "6/10", "inclusive": False},
    ],
}


def custom(name: str):
    """A custom rule set with the named edges, read as a poll file's rule_set."""
    return read_rule_set(
        {"id": f"kh-{name}", "base": "collected", "quorum": "2/3", "bands": EDGES[name]}
    )


def test_smallest_passing_count_at_exact_edges() -> None:
    """Over ½ of 30 is 16 (15 is exactly ½), ½ or more is 15; ⅔ or more is 20, over ⅔ 21."""
    half = Band("h", rule_set("nq96-2023").poll_bands[0].edge, False)
    assert smallest_passing(half, 30) == 16
    assert smallest_passing(Band("h", half.edge, True), 30) == 15
    two = rule_set("nq96-2023").poll_bands[1]
    assert smallest_passing(two, 30) == 20
    assert smallest_passing(Band("t", two.edge, False), 30) == 21
    assert smallest_passing(half, 31) == 16
    assert smallest_passing(two, 31) == 21  # 20.67 → 21


@pytest.mark.parametrize(
    ("count", "base", "rules", "more", "reached"),
    [
        (14, 30, None, 2, HALF),  # 15 is exactly ½: not over it
        (15, 30, None, 1, HALF),  # exactly ½: one more is over
        (16, 30, None, 4, TWO),  # over ½, needs 20 for ⅔
        (19, 30, None, 1, TWO),  # one short of exactly ⅔, which is in
        (0, 481, None, 241, HALF),
        (241, 481, None, 80, TWO),
        (14, 30, "half_closed", 1, "half"),  # ½ itself is in this band
        (19, 30, "decree_2025", 2, "over_two_thirds"),  # exactly ⅔ is not over ⅔
        (20, 30, "decree_2025", 1, "over_two_thirds"),
        (17, 30, "three_fifths", 1, "three_fifths"),  # 18 is exactly ⅗, inclusive
        (1, 3, None, 1, TWO),  # 2 of 3 passes ½ and ⅔ at once
        (1, 3, "half_then_over_three_fifths", 1, "three_fifths"),
        (0, 1, None, 1, TWO),  # base 1: the first mark is all of it
    ],
)
def test_need_at_the_edges(count, base, rules, more, reached) -> None:
    """k is the hand-computed distance to the next edge; the band is where count + k lands."""
    result = need(count, 5, base, Kind.POLL, custom(rules) if rules else None)
    assert result is not None
    assert (result.more, result.band.name) == (more, reached)
    assert band(count + more, base, Kind.POLL, custom(rules) if rules else None) == reached


@pytest.mark.parametrize(("count", "more"), [(0, 16), (14, 2), (15, 1)])
def test_need_in_a_vote_uses_its_own_bands(count, more) -> None:
    """A built-in vote has one edge (over ½ of all members); above it nothing is needed."""
    rules = rule_set("nq85-2014")
    result = need(count, 30, 30, Kind.VOTE, rules)
    assert result is not None and (result.more, result.band.name) == (more, HALF)
    assert need(16, 14, 30, Kind.VOTE, rules) is None
    assert need(1, 0, 1, Kind.VOTE, rules) is None  # base 1: one mark is over half


def test_the_top_band_needs_nothing() -> None:
    """In ⅔ (poll) there is no band above: None, whatever is left."""
    assert need(20, 10, 30) is None
    assert need(1, 0, 1) is None


@pytest.mark.parametrize(
    ("count", "remaining", "reachable"),
    [(13, 3, True), (13, 2, False), (13, 0, False), (15, 1, True), (15, 0, False)],
)
def test_reachable_is_whether_the_ballots_left_can_bring_it(count, remaining, reachable) -> None:
    """k ≤ ballots still to count, exactly; with no ballot left nothing can move."""
    result = need(count, remaining, 30)
    assert result is not None and result.reachable is reachable
    assert is_final(count, remaining, 30) is not reachable


@pytest.mark.parametrize("base", [0, -1])
def test_need_refuses_a_non_positive_base(base) -> None:
    with pytest.raises(ValueError, match="base must be positive"):
        need(0, 0, base)


RULES = [None, rule_set("nq85-2014"), *(custom(name) for name in EDGES)]


@settings(deadline=None, max_examples=400)
@given(
    st.integers(1, 700).flatmap(
        lambda base: st.tuples(
            st.just(base),
            st.integers(0, base).flatmap(
                lambda count: st.tuples(st.just(count), st.integers(0, base - count))
            ),
        )
    ),
    st.sampled_from(RULES),
    st.sampled_from([Kind.POLL, Kind.VOTE]),
)
def test_k_more_cross_the_edge_and_k_minus_one_do_not(case, rules, kind) -> None:
    """Adding k marks changes the band (to ``need.band``), k − 1 do not; None only at the top;
    reachable exactly when the band is not final — all as the band function says."""
    base, (count, remaining) = case
    result = need(count, remaining, base, kind, rules)
    now = band(count, base, kind, rules)
    if result is None:
        assert band(base, base, kind, rules) == now  # not even every mark moves it
        return
    assert result.more >= 1
    assert band(count + result.more - 1, base, kind, rules) == now
    assert band(count + result.more, base, kind, rules) == result.band.name != now
    assert result.reachable is not is_final(count, remaining, base, kind, rules)


# -- the sentence --------------------------------------------------------------------------


def test_the_sentence_of_the_issue() -> None:
    """13 low of 30 with 12 ballots left: 3 more are over half."""
    result = need(13, 12, 30)
    assert words.needs(Kind.POLL, result) == (
        "cần thêm 3 phiếu thấp nữa để quá nửa; còn 12 phiếu chưa kiểm"
    )
    assert words.needs(Kind.POLL, result, short=True) == "+3 → quá nửa"


def test_the_sentence_of_a_vote_and_of_two_thirds() -> None:
    assert words.needs(Kind.VOTE, need(14, 16, 30, Kind.VOTE)) == (
        "cần thêm 2 phiếu không tín nhiệm nữa để quá nửa; còn 16 phiếu chưa kiểm"
    )
    assert words.needs(Kind.VOTE, need(14, 16, 30, Kind.VOTE), True) == ("+2 → quá nửa")
    assert words.needs(Kind.POLL, need(16, 14, 30)) == (
        "cần thêm 4 phiếu thấp nữa để từ hai phần ba trở lên; còn 14 phiếu chưa kiểm"
    )
    assert words.needs(Kind.POLL, need(16, 14, 30), True) == "+4 → từ 2/3"


def test_the_sentence_when_the_ballots_left_cannot_bring_it() -> None:
    assert words.needs(Kind.POLL, need(0, 1200, 4001)) == (
        "cần thêm 2.001 phiếu thấp nữa để quá nửa, nhưng chỉ còn 1.200 phiếu chưa kiểm"
    )


@pytest.mark.parametrize(
    ("name", "count", "phrase", "short"),
    [
        ("half_closed", 14, "từ một nửa trở lên", "từ một nửa"),
        ("decree_2025", 20, "quá hai phần ba", "quá 2/3"),
        ("three_fifths", 17, "từ 3/5 trở lên", "từ 3/5"),
        ("half_then_over_three_fifths", 16, "quá 3/5", "quá 3/5"),  # 6/10 read as ⅗
    ],
)
def test_the_sentence_names_any_edge(name, count, phrase, short) -> None:
    """Edges other than over ½ and ⅔ or more are said from their fraction and inclusiveness."""
    result = need(count, 10, 30, Kind.POLL, custom(name))
    assert words.needs(Kind.POLL, result).split(" để ")[1].split(";")[0] == phrase
    assert words.needs(Kind.POLL, result, True).split(" → ")[1] == short
