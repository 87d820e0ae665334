"""The domain model: kinds, levels, officials, polls (tinnhiem.model)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from tinnhiem.model import (
    DECIDING_LEVEL,
    LEVELS,
    Attendance,
    Kind,
    Official,
    Poll,
    entry_alphabet,
)


def test_levels_in_entry_digit_order():
    """A poll has three levels and a vote two, in the order of the digits 1, 2, 3."""
    assert LEVELS[Kind.POLL] == ("high", "confidence", "low")
    assert LEVELS[Kind.VOTE] == ("confidence", "no_confidence")
    assert DECIDING_LEVEL == {Kind.POLL: "low", Kind.VOTE: "no_confidence"}


def test_entry_alphabet():
    """A poll row takes 0–3 and a vote row 0–2."""
    assert entry_alphabet(Kind.POLL) == "0123"
    assert entry_alphabet(Kind.VOTE) == "012"


def test_kind_values_are_the_file_values():
    """The kinds compare equal to the strings of the poll file."""
    assert Kind("poll") is Kind.POLL
    assert str(Kind.VOTE) == "vote"


def test_exempt_official_is_off_the_ballot():
    """An official with an exemption reason stays listed but is not on the ballot."""
    assert Official("A").on_ballot
    assert not Official("B", exempt_reason="Nghỉ hưu").on_ballot
    assert Official("C", exempt_reason="").on_ballot


def test_attendance_absent():
    """Absent is members minus present."""
    assert Attendance(total=31, present=21).absent == 10


def test_poll_mode_and_ballot_officials():
    """The mode says whether entries, totals or nothing was counted; exempt ones are left off."""
    officials = (Official("A"), Official("B", exempt_reason="Nghỉ hưu"), Official("C"))
    poll = Poll(Kind.POLL, "nq96-2023", Attendance(3, 3), 3, 3, officials)
    assert poll.mode == "empty"
    assert poll.ballot_officials == (officials[0], officials[2])
    assert poll.levels == LEVELS[Kind.POLL]
    assert Poll(Kind.POLL, "nq96-2023", Attendance(3, 3), 3, 3, officials, entries=()).mode == (
        "entries"
    )
    totals = ({"high": 0, "confidence": 0, "low": 0},) * 2
    assert Poll(Kind.POLL, "nq96-2023", Attendance(3, 3), 3, 3, officials, totals=totals).mode == (
        "totals"
    )


def test_poll_is_frozen():
    """A poll cannot be changed in place; use dataclasses.replace."""
    poll = Poll(Kind.VOTE, "nq85-2014", Attendance(3, 3), 3, 3, (Official("A"),))
    with pytest.raises(FrozenInstanceError, match="collected"):
        poll.collected = 2  # type: ignore[misc]
