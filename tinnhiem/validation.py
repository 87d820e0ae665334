"""Validation rules for counts and entries: each a registered problem with its boundary.

Every rule a person can break is a ``ProblemType`` of ``tinnhiem.problems`` (code, field in
poll-file form, Vietnamese message); this module says when each one applies. The rules,
in the order they are checked (tests/test_validation.py holds a boundary table per rule):

==== ======================= =====================================================
code field                   broken when
==== ======================= =====================================================
C00  members.*, ballots.*    a count is not an integer
C01  members.*, ballots.*    a count is negative
C07  members.*, ballots.*    a count is above limits.MAX_COUNT
C02  members.present         present > total
C03  ballots.issued          issued > present
C04  ballots.collected       collected > issued
C05  members.absent          both absentee halves given and their sum ≠ total − present
S01  rules                   not a built-in rule set (and the poll has none of its own)
R01  rules                   the poll has its own rule set and rules names another
R02  rule_set.id             the poll's own rule set takes a built-in id
S02  base                    not one of BASES
S03  rounding                not one of ROUNDINGS
S04  officials               nobody on the ballot
S05  officials               more than limits.MAX_OFFICIALS people listed
S06  officials[n]            the same name and position listed twice
S07  officials[n].name …     a text longer than its limit (limits.MAX_NAME …)
S08  officials[n].name …     a control character XML cannot hold (U+0000–U+001F but \t \n \r)
K05  passes_required         not 1, 2 or 3
M01  board[n].name           a board member who is on the ballot (NQ 71/2022/QH15 Art. 29(1))
F01  totals                  both entries and totals
E03  entries                 more entries than collected
E04  entries[n]              an entry that is not a string
E01  entries[n]              an entry of the wrong length (not X)
E02  entries[n]              a character outside the kind's alphabet
T01  ballots.invalid         totals mode: invalid > collected
T02  totals                  not one row per official on the ballot
T03  totals[n]               a row without exactly the kind's levels
T04  totals[n].level         a level's count not a non-negative integer
T05  totals[n]               a row's sum > collected − invalid
T06  ballots.invalid         entries mode: invalid ≠ the X entries
K01  stacks                  stacks with entries or totals
K02  stacks[n].id            an empty (or blank) stack label
K03  stacks[n].id            a label already used by an earlier stack
K04  stacks[n].passes        a stack without passes
K08  stacks[n].….entries     a pass or decision of more than limits.MAX_STACK ballots
K06  stacks[n].….entries     a pass or decision of more ballots than collected
E04… stacks[n].….entries[m]  an entry of a pass or decision as E04, E01, E02 above
K07  stacks                  more counted ballots (agreed, resolved) than collected
T06  ballots.invalid         stacks mode: invalid ≠ the counted X entries
Q01  members.present         (check_open) present below the quorum of ⅔
Q02  members.present         (check_open) present below a rule set's other quorum
C06  ballots.collected       (check_open) no ballot collected
==== ======================= =====================================================

``check_poll`` returns every problem; ``require_valid`` raises the first one.
"""

from __future__ import annotations

import unicodedata

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.arithmetic import quorum_required
from tinnhiem.model import BASES, INVALID_BALLOT, ROUNDINGS, Kind, Poll, entry_alphabet
from tinnhiem.problems import PollError, Problem
from tinnhiem.rules import check_rules, no_quorum, of_poll
from tinnhiem.stacks import PASSES_REQUIRED, Stack, counted_entries

__all__ = [
    "PollError",
    "Problem",
    "check_counted",
    "check_entry",
    "check_open",
    "check_poll",
    "check_setting",
    "require_valid",
]


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
    shown = ", ".join(alphabet)
    if len(entry) != width:
        return P.ENTRY_LENGTH(length=len(entry), width=width, alphabet=shown)
    for position, char in enumerate(entry, start=1):
        if char not in alphabet:
            return P.ENTRY_CHARACTER(char=_show_char(char), position=position, alphabet=shown)
    return None


def _check_numbers(poll: Poll) -> list[Problem]:
    numbers = {
        "members.total": poll.members.total,
        "members.present": poll.members.present,
        "ballots.issued": poll.issued,
        "ballots.collected": poll.collected,
        "ballots.invalid": poll.invalid,
    }
    for half in ("absent_with_reason", "absent_without_reason"):
        if getattr(poll.members, half) is not None:
            numbers[f"x-tinnhiem.{half}"] = getattr(poll.members, half)
    problems = []
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(P.NOT_INTEGER(field=name, value=repr(value)))
        elif value < 0:
            problems.append(P.NEGATIVE(field=name, value=value))
        elif value > limits.MAX_COUNT:
            problems.append(P.COUNT_OVER_LIMIT(field=name, value=value, limit=limits.MAX_COUNT))
    return problems


def _check_order(poll: Poll) -> list[Problem]:
    m, p = poll.members.total, poll.members.present
    problems = []
    if p > m:
        problems.append(P.PRESENT_OVER_TOTAL(present=p, total=m))
    if poll.issued > p:
        problems.append(P.ISSUED_OVER_PRESENT(issued=poll.issued, present=p))
    if poll.collected > poll.issued:
        problems.append(P.COLLECTED_OVER_ISSUED(collected=poll.collected, issued=poll.issued))
    with_reason = poll.members.absent_with_reason
    without_reason = poll.members.absent_without_reason
    if (
        with_reason is not None
        and without_reason is not None
        and with_reason + without_reason != m - p
    ):
        problems.append(
            P.ABSENT_SPLIT(with_reason=with_reason, without_reason=without_reason, absent=m - p)
        )
    return problems


def _folded(text: str) -> str:
    """A text as two listings of the same person compare it: NFC and case folded (readers
    and the setup form have trimmed and collapsed its spaces already)."""
    return unicodedata.normalize("NFC", text).casefold()


def _is_control(char: str) -> bool:
    """A character DOCX and XLSX (XML 1.0) cannot hold: U+0000–U+001F but tab, LF, CR."""
    return char < " " and char not in "\t\n\r"


def _check_texts(poll: Poll) -> list[Problem]:
    texts: list[tuple[str, str, int]] = [
        ("title", poll.title, limits.MAX_TITLE),
        ("body", poll.body, limits.MAX_TITLE),
        ("x-tinnhiem.place", poll.place, limits.MAX_TITLE),
        ("x-tinnhiem.time", poll.time, limits.MAX_TITLE),
        ("x-tinnhiem.remarks", poll.remarks, limits.MAX_REMARKS),
        ("id", poll.id or "", limits.MAX_NAME),
        ("point", poll.point or "", limits.MAX_TITLE),
    ]
    for number, official in enumerate(poll.officials, start=1):
        texts.append((f"officials[{number}].name", official.name, limits.MAX_NAME))
        texts.append((f"officials[{number}].position", official.position, limits.MAX_POSITION))
        texts.append(
            (f"officials[{number}].exempt_reason", official.exempt_reason or "", limits.MAX_REASON)
        )
        texts.append((f"officials[{number}].person", official.person or "", limits.MAX_NAME))
    for number, member in enumerate(poll.board, start=1):
        texts.append((f"board[{number}].name", member.name, limits.MAX_NAME))
    problems = []
    for field, text, limit in texts:
        if len(text) > limit:
            problems.append(P.TEXT_TOO_LONG(field=field, length=len(text), limit=limit))
        control = next((c for c in text if _is_control(c)), None)
        if control is not None:  # DOCX and XLSX cannot hold them: the documents would fail
            problems.append(P.CONTROL_CHARACTER(field=field, char=f"U+{ord(control):04X}"))
    return problems


def _check_officials(poll: Poll) -> list[Problem]:
    if not poll.ballot_officials:
        return [P.NOBODY_ON_BALLOT()]
    if len(poll.officials) > limits.MAX_OFFICIALS:
        return [P.TOO_MANY_OFFICIALS(count=len(poll.officials), limit=limits.MAX_OFFICIALS)]
    problems = _check_texts(poll)
    seen: dict[tuple[str, str], int] = {}
    for number, official in enumerate(poll.officials, start=1):
        key = (_folded(official.name), _folded(official.position))
        if key in seen:
            problems.append(
                P.SAME_OFFICIAL_TWICE(
                    number=number,
                    name=official.name,
                    position=official.position or "không ghi chức vụ",
                    first=seen[key],
                )
            )
        seen.setdefault(key, number)
    return problems


def _check_board(poll: Poll) -> list[Problem]:
    """A member of the counting board may not be on the ballot (NQ 71/2022/QH15 Art. 29(1))."""

    def person(name: str) -> str:  # board names are typed freely: spaces folded too
        return " ".join(_folded(name).split())

    on_ballot: dict[str, int] = {}
    for number, official in enumerate(poll.officials, start=1):
        if official.on_ballot:
            on_ballot.setdefault(person(official.name), number)
    return [
        P.BOARD_MEMBER_POLLED(number=number, name=member.name, official=on_ballot[folded])
        for number, member in enumerate(poll.board, start=1)
        if (folded := person(member.name)) in on_ballot
    ]


def _check_setting(poll: Poll) -> list[Problem]:
    problems = check_rules(poll)
    if poll.base is not None and poll.base not in BASES:
        problems.append(P.UNKNOWN_BASE(value=poll.base, allowed=", ".join(BASES)))
    if poll.rounding not in ROUNDINGS:
        problems.append(P.UNKNOWN_ROUNDING(value=poll.rounding, allowed=", ".join(ROUNDINGS)))
    if poll.passes_required not in PASSES_REQUIRED or isinstance(poll.passes_required, bool):
        problems.append(P.PASSES_REQUIRED(value=repr(poll.passes_required)))
    return problems + _check_officials(poll) + _check_board(poll)


def _bad_entry(poll: Poll, entries: tuple[str, ...], field: str, where: str) -> Problem | None:
    """The first entry of ``entries`` (named ``field[n]``) that cannot be stored."""
    width = len(poll.ballot_officials)
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, str):
            return P.ENTRY_NOT_TEXT(field=f"{field}[{number}]", value=repr(entry))
        problem = check_entry(entry, poll.kind, width)
        if problem:
            message = f"{where}phiếu số {number}: {problem.message}"
            return Problem(problem.code, f"{field}[{number}]", message)
    return None


def _check_entries(poll: Poll, entries_checked: bool) -> list[Problem]:
    entries = poll.entries or ()
    problems = check_counted(poll, len(entries))
    bad = None if entries_checked else _bad_entry(poll, entries, "entries", "")
    return [*problems, bad] if bad else problems


def _check_stacks(poll: Poll, stacks: tuple[Stack, ...], entries_checked: bool) -> list[Problem]:
    """The rules of poll-file.md's "Independent entries", in the order a reader meets them."""
    if poll.entries is not None or poll.totals is not None:
        return [P.STACKS_WITH_COUNTED(other="entries" if poll.entries is not None else "totals")]
    seen: dict[str, int] = {}
    for number, stack in enumerate(stacks, start=1):
        if not stack.id.strip():
            return [P.STACK_ID_EMPTY(number=number)]
        if stack.id in seen:
            return [P.STACK_ID_TWICE(number=number, id=stack.id, first=seen[stack.id])]
        seen[stack.id] = number
        if not stack.passes:
            return [P.STACK_NO_PASSES(number=number, id=stack.id)]
        lists = [
            (f"lần nhập {n}", f"passes[{n}]", p.entries) for n, p in enumerate(stack.passes, 1)
        ]
        if stack.resolved is not None:
            lists.append(("quyết định của ban kiểm phiếu", "resolved", stack.resolved.entries))
        for what, part, entries in lists:
            field = f"stacks[{number}].{part}.entries"
            shown = {"id": stack.id, "what": what, "count": len(entries)}
            if len(entries) > limits.MAX_STACK:
                return [P.STACK_TOO_LARGE(field, **shown, limit=limits.MAX_STACK)]
            if len(entries) > poll.collected:
                return [P.STACK_OVER_COLLECTED(field, **shown, collected=poll.collected)]
            where = f"xấp “{stack.id}”, {what}, "
            bad = None if entries_checked else _bad_entry(poll, entries, field, where)
            if bad:
                return [bad]
    counted = counted_entries(stacks, poll.passes_required)
    if len(counted) > poll.collected:
        return [P.COUNTED_OVER_COLLECTED(count=len(counted), collected=poll.collected)]
    if poll.invalid and poll.invalid != counted.count(INVALID_BALLOT):
        return [P.INVALID_IN_ENTRIES()]
    return []


def _check_totals(poll: Poll, totals: tuple) -> list[Problem]:
    problems: list[Problem] = []
    width = len(poll.ballot_officials)
    if poll.invalid > poll.collected:
        problems.append(P.INVALID_OVER_COLLECTED(invalid=poll.invalid, collected=poll.collected))
    if len(totals) != width:
        problems.append(P.TOTALS_ROWS(rows=len(totals), width=width))
    carrying = poll.collected - poll.invalid
    for number, (official, row) in enumerate(
        zip(poll.ballot_officials, totals, strict=False), start=1
    ):
        name = official.name
        if not isinstance(row, dict) or set(row) != set(poll.levels):
            levels = ", ".join(poll.levels)
            problems.append(P.TOTALS_LEVELS(number=number, name=name, levels=levels))
            continue
        bad = [
            level
            for level, value in row.items()
            if isinstance(value, bool) or not isinstance(value, int) or value < 0
        ]
        if bad:
            problems.append(P.TOTALS_NOT_COUNT(field=f"totals[{number}].{bad[0]}", name=name))
            continue
        if sum(row.values()) > carrying:
            problems.append(
                P.TOTALS_OVER(
                    number=number,
                    name=name,
                    sum=sum(row.values()),
                    carrying=carrying,
                    collected=poll.collected,
                    invalid=poll.invalid,
                )
            )
    return problems


def _check_counted(poll: Poll, entries_checked: bool) -> list[Problem]:
    if poll.stacks is not None:
        return _check_stacks(poll, poll.stacks, entries_checked)
    if poll.entries is not None and poll.totals is not None:
        return [P.BOTH_COUNTED()]
    if poll.totals is not None:
        return _check_totals(poll, poll.totals)
    problems = _check_entries(poll, entries_checked)
    if poll.invalid:
        invalid_entries = sum(1 for e in poll.entries or () if e == INVALID_BALLOT)
        if poll.invalid != invalid_entries:
            problems.append(P.INVALID_IN_ENTRIES())
    return problems


def check_setting(poll: Poll) -> list[Problem]:
    """Every problem with a poll's setting and counts, leaving entries and totals aside."""
    problems = _check_numbers(poll)
    if problems:
        return problems
    return _check_order(poll) + _check_setting(poll)


def check_counted(poll: Poll, counted: int) -> list[Problem]:
    """The problem with ``counted`` ballots entered in this poll (more than collected)."""
    if counted > poll.collected:
        return [P.ENTRIES_OVER_COLLECTED(count=counted, collected=poll.collected)]
    return []


def check_poll(poll: Poll, entries_checked: bool = False) -> list[Problem]:
    """Every problem with a poll's setting, counts, entries and totals.

    ``entries_checked``: the caller has checked every entry is well formed (in bulk), so
    they are not walked one by one again.
    """
    return check_setting(poll) or _check_counted(poll, entries_checked)


def require_valid(poll: Poll, entries_checked: bool = False) -> None:
    """Raise PollError for the first problem of ``check_poll``."""
    problems = check_poll(poll, entries_checked)
    if problems:
        raise PollError(problems[0])


def check_open(poll: Poll) -> list[Problem]:
    """Why the count cannot be opened yet: impossible counts, no officials, no quorum."""
    problems = check_poll(poll)
    if problems:
        return problems
    rules = of_poll(poll)
    required = quorum_required(poll.members.total, rules)
    if poll.members.present < required:
        problems.append(no_quorum(poll, rules, required))
    if poll.collected == 0:
        problems.append(P.NOTHING_COLLECTED())
    return problems
