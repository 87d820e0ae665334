"""Every validation rule: its code, the field it names, its boundary (tinnhiem.validation)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.validation import (
    PollError,
    Problem,
    check_entry,
    check_open,
    check_poll,
    require_valid,
)

BASE = Poll(
    kind=Kind.POLL,
    rules="nq96-2023",
    members=Attendance(total=30, present=20),
    issued=20,
    collected=20,
    officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Trần Thị B", "Phó Chủ tịch")),
    entries=("12", "30"),
)


def poll(**changes) -> Poll:
    return replace(BASE, **changes)


def codes(p: Poll) -> list[tuple[str, str]]:
    return [(problem.code, problem.field) for problem in check_poll(p)]


def test_a_valid_poll_has_no_problem():
    """The reference poll passes every rule."""
    assert check_poll(BASE) == []
    require_valid(BASE)


@pytest.mark.parametrize(
    ("entry", "kind", "width"),
    [("123", Kind.POLL, 3), ("000", Kind.POLL, 3), ("X", Kind.POLL, 3), ("12", Kind.VOTE, 2)],
)
def test_check_entry_accepts(entry, kind, width):
    """Digits of the kind's set, 0 for a blank row, and X for a whole invalid ballot pass."""
    assert check_entry(entry, kind, width) is None


@pytest.mark.parametrize(
    ("entry", "kind", "width", "code", "message"),
    [
        ("12", Kind.POLL, 3, "E01", "phiếu có 2 ký tự nhưng danh sách có 3 người"),
        ("1234", Kind.POLL, 3, "E01", "phiếu có 4 ký tự"),
        ("", Kind.POLL, 1, "E01", "phiếu có 0 ký tự"),
        ("XX", Kind.POLL, 1, "E01", "phiếu có 2 ký tự"),
        ("4", Kind.POLL, 1, "E02", "ký tự “4” ở vị trí 1"),
        ("13", Kind.VOTE, 2, "E02", "ký tự “3” ở vị trí 2"),
        ("1x", Kind.POLL, 2, "E02", "ký tự “x” ở vị trí 2"),
        ("1１", Kind.POLL, 2, "E02", "ký tự “１” ở vị trí 2"),  # a full-width digit is not a digit
        ("1 ", Kind.POLL, 2, "E02", "ký tự U\\+0020 ở vị trí 2"),
        ("\u2028", Kind.POLL, 1, "E02", "ký tự U\\+2028 ở vị trí 1"),
    ],
)
def test_check_entry_refuses(entry, kind, width, code, message):
    """A wrong length or a character outside the kind's set is refused with its position."""
    problem = check_entry(entry, kind, width)
    assert problem is not None
    assert (problem.code, problem.field) == (code, "entries")
    assert re.search(message, problem.message)


def test_problem_reads_field_colon_message():
    """A problem prints as 'field: message', the form of the command's error line."""
    assert str(Problem("C01", "ballots.issued", "không được âm (-1).")) == (
        "ballots.issued: không được âm (-1)."
    )


def test_poll_error_carries_its_problem():
    """PollError is a ValueError whose text is the problem's line."""
    problem = Problem("C02", "members.present", "số có mặt (31) lớn hơn tổng số đại biểu (30).")
    error = PollError(problem)
    assert isinstance(error, ValueError)
    assert error.problem is problem
    assert str(error) == str(problem)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"members": Attendance(total=30, present=31)}, ("C02", "members.present")),
        ({"members": Attendance(total=30, present=19)}, ("C03", "ballots.issued")),
        ({"collected": 21}, ("C04", "ballots.collected")),
        ({"issued": -1}, ("C01", "ballots.issued")),
        ({"members": Attendance(total=-3, present=0)}, ("C01", "members.total")),
        ({"invalid": -1, "entries": None}, ("C01", "ballots.invalid")),
        ({"collected": 20.0}, ("C00", "ballots.collected")),
        ({"issued": True}, ("C00", "ballots.issued")),
        (
            {"members": Attendance(total=30, present=20, absent_with_reason=4)},
            None,  # one half of the split alone is not checked
        ),
        (
            {
                "members": Attendance(
                    total=30, present=20, absent_with_reason=4, absent_without_reason=5
                )
            },
            ("C05", "members.absent"),
        ),
        ({"rules": "nq35-2012"}, ("S01", "rules")),
        ({"base": "valid"}, ("S02", "base")),
        ({"rounding": "half_even"}, ("S03", "rounding")),
        ({"officials": ()}, ("S04", "officials")),
        ({"officials": (Official("A", exempt_reason="Nghỉ hưu"),)}, ("S04", "officials")),
        ({"officials": tuple(Official(f"Người {n}") for n in range(200)), "entries": None}, None),
        (
            {"officials": tuple(Official(f"Người {n}") for n in range(201)), "entries": None},
            ("S05", "officials"),
        ),
        (
            {
                "officials": (
                    Official("Nguyễn Văn A", "Chủ tịch"),
                    Official("NGUYỄN VĂN A", "chủ tịch"),
                )
            },
            ("S06", "officials[2]"),
        ),
        (
            {
                "officials": (
                    Official("Nguyễn Văn A", "Chủ tịch"),
                    Official("Nguyễn Văn A", "Ủy viên"),
                )
            },
            None,  # the same name with another position: two people (the setup page warns)
        ),
        ({"officials": (Official("A" * 120), Official("B"))}, None),
        ({"officials": (Official("A" * 121), Official("B"))}, ("S07", "officials[1].name")),
        (
            {"officials": (Official("A", "P" * 301), Official("B"))},
            ("S07", "officials[1].position"),
        ),
        ({"title": "T" * 301}, ("S07", "title")),
        ({"officials": (Official("A\x07"), Official("B"))}, ("S08", "officials[1].name")),
        (
            {"officials": (Official("A", "Chủ\x0btịch"), Official("B"))},
            ("S08", "officials[1].position"),
        ),
        ({"officials": (Official("\t=1+1"), Official("\r=1+1"))}, None),  # XML holds these
        ({"remarks": "dòng 1\ndòng 2\tcột"}, None),
        ({"remarks": "dòng 1\x00"}, ("S08", "x-tinnhiem.remarks")),
        ({"members": Attendance(total=10**9, present=20)}, None),
        ({"members": Attendance(total=10**9 + 1, present=20)}, ("C07", "members.total")),
        ({"entries": ("12",) * 21}, ("E03", "entries")),
        ({"entries": ("12", "1")}, ("E01", "entries[2]")),
        ({"entries": ("12", "14")}, ("E02", "entries[2]")),
        ({"entries": ("12", 12)}, ("E04", "entries[2]")),
        ({"totals": ({"high": 1, "confidence": 1, "low": 1},) * 2}, ("F01", "totals")),
        ({"entries": ("X", "X"), "invalid": 1}, ("T06", "ballots.invalid")),
        ({"entries": None, "invalid": 1}, ("T06", "ballots.invalid")),
    ],
)
def test_check_poll_rules(changes, expected):
    """Each broken rule is reported with its code and the field in poll-file form."""
    found = codes(poll(**changes))
    if expected is None:
        assert found == []
    else:
        assert found[0] == expected


def test_absentees_that_add_up_are_accepted():
    """Absent with and without reason that sum to the absentees pass."""
    members = Attendance(total=30, present=20, absent_with_reason=4, absent_without_reason=6)
    assert check_poll(poll(members=members)) == []


def test_invalid_matching_the_x_entries_is_accepted():
    """In entries mode ballots.invalid may repeat the number of X entries."""
    assert check_poll(poll(entries=("X", "12", "X"), invalid=2)) == []


TOTALS = ({"high": 10, "confidence": 5, "low": 4}, {"high": 1, "confidence": 1, "low": 1})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"invalid": 21}, ("T01", "ballots.invalid")),
        ({"totals": TOTALS[:1]}, ("T02", "totals")),
        ({"totals": (TOTALS[0], {"high": 1, "low": 1})}, ("T03", "totals[2]")),
        ({"totals": (TOTALS[0], [1, 1, 1])}, ("T03", "totals[2]")),
        ({"totals": (TOTALS[0], {"high": 1, "confidence": -1, "low": 1})}, ("T04", "totals[2]")),
        ({"totals": ({"high": 10, "confidence": 5, "low": 6}, TOTALS[1])}, ("T05", "totals[1]")),
        ({"invalid": 2}, ("T05", "totals[1]")),
    ],
)
def test_check_totals(changes, expected):
    """Totals must have one row per official, every level, and no more marks than ballots."""
    p = poll(entries=None, totals=TOTALS)
    assert check_poll(p) == []
    found = codes(replace(p, **changes))
    assert found[0][0] == expected[0]
    assert found[0][1].startswith(expected[1])


def test_totals_exactly_filling_the_valid_ballots_pass():
    """A row summing to collected − invalid is the boundary that still passes."""
    p = poll(entries=None, invalid=1, totals=({"high": 10, "confidence": 5, "low": 4}, TOTALS[1]))
    assert check_poll(p) == []


def test_entries_exactly_collected_pass():
    """As many entries as ballots collected is allowed; one more is not."""
    assert check_poll(poll(entries=("12",) * 20)) == []
    assert codes(poll(entries=("12",) * 21))[0] == ("E03", "entries")


def test_require_valid_raises_the_first_problem():
    """require_valid raises PollError with the first problem's line."""
    with pytest.raises(PollError, match=r"^ballots\.collected: số phiếu thu về \(21\) lớn hơn"):
        require_valid(poll(collected=21))


def test_check_open_without_quorum():
    """The count cannot open when fewer than ⅔ of the members are present."""
    problems = check_open(poll(members=Attendance(total=31, present=20)))
    assert [(p.code, p.field) for p in problems] == [("Q01", "members.present")]
    assert "20/31" in problems[0].message
    assert "21" in problems[0].message


def test_check_open_with_quorum():
    """21 of 31 present opens the count."""
    p = poll(members=Attendance(total=31, present=21))
    assert check_open(p) == []


def test_check_open_without_ballots():
    """The count cannot open before ballots are collected."""
    problems = check_open(poll(issued=0, collected=0, entries=None))
    assert [(p.code, p.field) for p in problems] == [("C06", "ballots.collected")]


def test_check_open_reports_impossible_counts_first():
    """Impossible counts are reported before the quorum."""
    problems = check_open(poll(members=Attendance(total=30, present=31)))
    assert problems[0].code == "C02"
