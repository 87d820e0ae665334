"""tinnhiem.ui.entry: what a typed line stands for, and how it reads against the names."""

from __future__ import annotations

import pytest

from tinnhiem.storage import StoredBallot
from tinnhiem.ui.entry import Outcome, expand_entry, read_back, refused_line


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


def _stored(entry_no: int, marks: str) -> StoredBallot:
    return StoredBallot(entry_no, marks, "Máy 1", "bàn phím k, dòng 1", "2026-11-22T10:00:00")


def test_a_stored_ballot_is_read_back_by_its_number() -> None:
    """The read-back of a stored line names its entry number and is not marked bad."""
    back = read_back(Outcome("1230", "1230", stored=_stored(7, "1230")))
    assert back == {
        "marks": "1230",
        "title": "Phiếu số 7 đã lưu — đọc lại theo danh sách:",
        "bad": False,
    }


def test_arefused_line_is_read_back_as_not_stored() -> None:
    """The read-back of a refused line says it was not stored and is marked bad."""
    back = read_back(Outcome("12a", "12a", refusal="ký tự “a” …"))
    assert back["bad"] is True
    assert back["marks"] == "12a"
    assert back["title"].startswith("Chưa lưu phiếu vừa gõ")


def test_the_newestrefused_line_goes_back_to_its_own_keyboard() -> None:
    """Of a batch, the last refused line (as typed) is sent back with its keyboard and number."""
    batch = [
        Outcome("12", "12", refusal="ngắn", source=("k1", 4)),
        Outcome("1111", "1111", stored=_stored(9, "1111"), source=("k1", 5)),
        Outcome("1*2", "1*2", refusal="sai", source=("k1", 6)),
    ]
    assert refused_line(batch) == {"client": "k1", "seq": 6, "line": "1*2"}
    assert refused_line(batch[1:2]) is None
    assert refused_line([Outcome("9", "9", refusal="sai")]) is None  # no keyboard: nothing
