"""The demo poll shown on first start (tinnhiem.demo)."""

from __future__ import annotations

from tinnhiem.demo import DEMO_OFFICIALS, demo_entries, demo_poll
from tinnhiem.model import Kind
from tinnhiem.tally import tally
from tinnhiem.validation import check_open, check_poll


def test_demo_poll_is_valid_and_can_open():
    """The demo passes every rule and has quorum, so the app can open its count."""
    poll = demo_poll()
    assert check_poll(poll) == []
    assert check_open(poll) == []
    assert (poll.kind, poll.rules) == (Kind.POLL, "nq96-2023")


def test_demo_is_the_same_on_every_run():
    """The ballots come from a fixed seed: two calls give the same entries."""
    assert demo_entries() == demo_entries()
    assert demo_entries(seed=1) != demo_entries()


def test_demo_ballots():
    """47 ballots, one of them (the 18th) a whole invalid ballot, 11 marks on each other one."""
    entries = demo_entries()
    assert len(entries) == 47
    assert entries[17] == "X"
    assert entries.count("X") == 1
    assert {len(e) for e in entries if e != "X"} == {11}


def test_demo_has_an_exempt_official():
    """12 officials are listed and 11 are on the ballot; the exempt one keeps her reason."""
    poll = demo_poll()
    assert poll.officials == DEMO_OFFICIALS
    assert len(poll.officials) == 12
    assert len(poll.ballot_officials) == 11
    (exempt,) = [o for o in poll.officials if not o.on_ballot]
    assert exempt.exempt_reason == "Đã có thông báo nghỉ hưu"


def test_demo_is_mid_count_by_default():
    """By default 31 of 47 ballots are entered, so the live screens have something to show."""
    result = tally(demo_poll())
    assert (result.counted, result.remaining) == (31, 16)
    assert any(not official.final for official in result.officials)


def test_complete_demo_has_one_official_over_half():
    """With every ballot entered, Đỗ Văn Thắng has 26 low of 47 (55.32 %): over half."""
    result = tally(demo_poll(entered=None))
    assert (result.counted, result.invalid, result.remaining) == (47, 1, 0)
    bands = {r.official.name: r.band for r in result.officials}
    assert [name for name, band in bands.items() if band != "none"] == ["Đỗ Văn Thắng"]
    thang = next(r for r in result.officials if r.official.name == "Đỗ Văn Thắng")
    assert thang.counts == {"high": 11, "confidence": 8, "low": 26}
    assert thang.percent["low"] == "55.32"
