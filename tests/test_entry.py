"""tinnhiem.ui.entry: what a typed line stands for, and how it reads against the names."""

from __future__ import annotations

import pytest

from tinnhiem.demo import demo_poll
from tinnhiem.ui.entry import decoded_rows, expand_entry


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1203", "1203"),
        ("1*", "1111"),
        ("*3", "3333"),
        ("0*", "0000"),
        ("x", "X"),
        ("X", "X"),
        (" 12 03 ", "1203"),
        ("1**", "1**"),
        ("12*", "12*"),
        ("", ""),
    ],
)
def test_short_forms_expand_and_anything_else_is_left_for_the_check(typed, expected) -> None:
    """'d*' and '*d' repeat the digit for every official, 'x' is X, other text stays as typed."""
    assert expand_entry(typed, 4) == expected


def test_a_refused_line_still_reads_against_the_names() -> None:
    """Missing digits read '— thiếu', a wrong character is named, extra characters are shown."""
    poll = demo_poll()
    short = decoded_rows(poll, "12a")
    assert list(short["Đánh giá"])[:4] == [
        "Tín nhiệm cao",
        "Tín nhiệm",
        "? “a” không hợp lệ",
        "— thiếu",
    ]
    long = decoded_rows(poll, "1" * 11 + "22")
    assert list(long["Đánh giá"])[-1] == "thừa “22”"


def test_a_whole_invalid_ballot_reads_invalid_for_everyone() -> None:
    """X marks every official's row as part of a whole invalid ballot."""
    rows = decoded_rows(demo_poll(), "X")
    assert set(rows["Đánh giá"]) == {"Cả phiếu không hợp lệ"}
    assert len(rows) == 11
