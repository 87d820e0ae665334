"""Validation rules for counts and entries, each with a code, a field and a message.

Every rule a person can break has a code (``C01`` …), names the field in poll-file
form (``ballots.collected``) and says in Vietnamese what is wrong and how to fix it.
``check_poll`` returns every problem; ``require_valid`` raises the first one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem.arithmetic import quorum_required
from tinnhiem.model import BASES, INVALID_BALLOT, ROUNDINGS, Kind, Poll, entry_alphabet
from tinnhiem.rules import RULE_SETS


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable code, the field it concerns, a Vietnamese sentence."""

    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PollError(ValueError):
    """Raised when a poll's data breaks a rule; carries the Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _show_char(char: str) -> str:
    """A character as a message can show it: quoted, or its code point when invisible."""
    return f"“{char}”" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def check_entry(entry: str, kind: Kind, width: int) -> Problem | None:
    """The problem with one typed ballot, or None when it can be stored.

    ``width`` is the number of officials on the ballot.
    """
    if entry == INVALID_BALLOT:
        return None
    alphabet = entry_alphabet(kind)
    if len(entry) == width and not entry.strip(alphabet):
        return None  # the usual case, checked in one pass: every character allowed
    if len(entry) != width:
        return Problem(
            "E01",
            "entries",
            f"phiếu có {len(entry)} ký tự nhưng danh sách có {width} người; "
            f"gõ đúng một chữ số cho mỗi người ({', '.join(alphabet)}) hoặc X cho phiếu "
            "không hợp lệ.",
        )
    for position, char in enumerate(entry, start=1):
        if char not in alphabet:
            return Problem(
                "E02",
                "entries",
                f"ký tự {_show_char(char)} ở vị trí {position} không hợp lệ; chỉ dùng "
                f"{', '.join(alphabet)} (hoặc X cho cả phiếu không hợp lệ).",
            )
    return None


def _check_numbers(poll: Poll) -> list[Problem]:
    numbers = {
        "members.total": poll.members.total,
        "members.present": poll.members.present,
        "ballots.issued": poll.issued,
        "ballots.collected": poll.collected,
        "ballots.invalid": poll.invalid,
    }
    problems = []
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem("C00", name, f"phải là một số nguyên, không phải {value!r}."))
        elif value < 0:
            problems.append(Problem("C01", name, f"không được âm ({value})."))
    return problems


def _check_order(poll: Poll) -> list[Problem]:
    m, p = poll.members.total, poll.members.present
    problems = []
    if p > m:
        problems.append(
            Problem("C02", "members.present", f"số có mặt ({p}) lớn hơn tổng số đại biểu ({m}).")
        )
    if poll.issued > p:
        problems.append(
            Problem(
                "C03",
                "ballots.issued",
                f"số phiếu phát ra ({poll.issued}) lớn hơn số đại biểu có mặt ({p}).",
            )
        )
    if poll.collected > poll.issued:
        problems.append(
            Problem(
                "C04",
                "ballots.collected",
                f"số phiếu thu về ({poll.collected}) lớn hơn số phiếu phát ra ({poll.issued}).",
            )
        )
    absent = [poll.members.absent_with_reason, poll.members.absent_without_reason]
    if all(a is not None for a in absent) and sum(absent) != m - p:  # type: ignore[arg-type]
        problems.append(
            Problem(
                "C05",
                "members.absent",
                f"vắng có lý do ({absent[0]}) + vắng không lý do ({absent[1]}) phải bằng "
                f"số vắng mặt ({m - p}).",
            )
        )
    return problems


def _check_setting(poll: Poll) -> list[Problem]:
    problems = []
    if poll.rules not in RULE_SETS:
        problems.append(
            Problem(
                "S01",
                "rules",
                f"bộ quy tắc “{poll.rules}” không có; chọn một trong {', '.join(RULE_SETS)}.",
            )
        )
    if poll.base is not None and poll.base not in BASES:
        problems.append(
            Problem("S02", "base", f"cơ số “{poll.base}” không có; chọn {', '.join(BASES)}.")
        )
    if poll.rounding not in ROUNDINGS:
        problems.append(
            Problem(
                "S03",
                "rounding",
                f"cách làm tròn “{poll.rounding}” không có; chọn {', '.join(ROUNDINGS)}.",
            )
        )
    if not poll.ballot_officials:
        problems.append(
            Problem(
                "S04",
                "officials",
                "danh sách người được lấy phiếu đang trống; thêm ít nhất một người.",
            )
        )
    return problems


def _check_counted(poll: Poll) -> list[Problem]:
    problems: list[Problem] = []
    width = len(poll.ballot_officials)
    if poll.entries is not None and poll.totals is not None:
        return [
            Problem("F01", "totals", "tệp có cả entries lẫn totals; chỉ được dùng một trong hai.")
        ]
    if poll.entries is not None:
        if len(poll.entries) > poll.collected:
            problems.append(
                Problem(
                    "E03",
                    "entries",
                    f"đã nhập {len(poll.entries)} phiếu, nhiều hơn số phiếu thu về "
                    f"({poll.collected}).",
                )
            )
        for number, entry in enumerate(poll.entries, start=1):
            problem = (
                check_entry(entry, poll.kind, width)
                if isinstance(entry, str)
                else Problem("E02", "entries", "mỗi phiếu phải là một chuỗi ký tự.")
            )
            if problem:
                problems.append(
                    Problem(
                        problem.code, f"entries[{number}]", f"phiếu số {number}: {problem.message}"
                    )
                )
                break
    if poll.totals is not None:
        if poll.invalid > poll.collected:
            problems.append(
                Problem(
                    "T01",
                    "ballots.invalid",
                    f"số phiếu không hợp lệ ({poll.invalid}) lớn hơn số phiếu thu về "
                    f"({poll.collected}).",
                )
            )
        if len(poll.totals) != width:
            problems.append(
                Problem(
                    "T02",
                    "totals",
                    f"có {len(poll.totals)} dòng kết quả nhưng {width} người trên phiếu; "
                    "mỗi người một dòng, đúng thứ tự.",
                )
            )
        carrying = poll.collected - poll.invalid
        for number, (official, row) in enumerate(
            zip(poll.ballot_officials, poll.totals, strict=False), start=1
        ):
            field = f"totals[{number}]"
            if not isinstance(row, dict) or set(row) != set(poll.levels):
                problems.append(
                    Problem(
                        "T03",
                        field,
                        f"{official.name}: cần đúng các mức {', '.join(poll.levels)}.",
                    )
                )
                continue
            bad = [
                level
                for level, value in row.items()
                if isinstance(value, bool) or not isinstance(value, int) or value < 0
            ]
            if bad:
                problems.append(
                    Problem(
                        "T04", f"{field}.{bad[0]}", f"{official.name}: phải là số nguyên không âm."
                    )
                )
                continue
            if sum(row.values()) > carrying:
                problems.append(
                    Problem(
                        "T05",
                        field,
                        f"{official.name}: tổng các mức ({sum(row.values())}) vượt số phiếu hợp "
                        f"lệ có thể ghi cho người này ({carrying} = {poll.collected} thu về − "
                        f"{poll.invalid} không hợp lệ).",
                    )
                )
    elif poll.invalid:
        invalid_entries = sum(1 for e in poll.entries or () if e == INVALID_BALLOT)
        if poll.invalid != invalid_entries:
            problems.append(
                Problem(
                    "T06",
                    "ballots.invalid",
                    "chỉ dùng khi nhập tổng số (totals); khi nhập từng phiếu, phiếu không hợp lệ "
                    "được ghi bằng X.",
                )
            )
    return problems


def check_poll(poll: Poll) -> list[Problem]:
    """Every problem with a poll's setting, counts, entries and totals."""
    problems = _check_numbers(poll)
    if problems:
        return problems
    problems = _check_order(poll) + _check_setting(poll)
    if problems:
        return problems
    return _check_counted(poll)


def require_valid(poll: Poll) -> None:
    """Raise PollError for the first problem of ``check_poll``."""
    problems = check_poll(poll)
    if problems:
        raise PollError(problems[0])


def check_open(poll: Poll) -> list[Problem]:
    """Why the count cannot be opened yet: impossible counts, no officials, no quorum."""
    problems = check_poll(poll)
    if problems:
        return problems
    required = quorum_required(poll.members.total)
    if poll.members.present < required:
        problems.append(
            Problem(
                "Q01",
                "members.present",
                f"chưa đủ túc số: có mặt {poll.members.present}/{poll.members.total}, cần ít "
                f"nhất {required} (hai phần ba số được triệu tập).",
            )
        )
    if poll.collected == 0:
        problems.append(
            Problem(
                "C06",
                "ballots.collected",
                "chưa có phiếu thu về; nhập số phiếu phát ra và thu về trước khi kiểm phiếu.",
            )
        )
    return problems
