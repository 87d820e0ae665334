"""The tally: counts, percentages, bands and the ``final`` flag of every official.

``tally(poll)`` takes a valid ``Poll`` (entries, totals or nothing counted yet) and
returns a frozen ``Tally``; ``as_json`` gives the exact output of ``tinnhiem tally``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import chain

from tinnhiem import arithmetic, words
from tinnhiem import problems as P
from tinnhiem.model import DECIDING_LEVEL, INVALID_BALLOT, Kind, Official, Poll, entry_alphabet
from tinnhiem.rules import RuleSet, of_poll
from tinnhiem.stacks import Stack, StackResult, counted_entries, reconcile
from tinnhiem.validation import PollError, check_counted, check_setting, require_valid

# A count's percentage of a base, kept: a screen tallies the same base after every ballot,
# and most counts of 100 officials were seen at the last tally (exact integers in and out).
_percent = functools.lru_cache(maxsize=8192)(arithmetic.percent)


@dataclass(frozen=True)
class OfficialResult:
    """One official's counts and what they mean."""

    official: Official
    counts: dict[str, int]
    invalid: int  # counted ballots that gave this official no valid mark
    percent: dict[str, str]  # machine form, "53.19"
    band: str
    final: bool

    @property
    def valid(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Tally:
    """The whole result of a poll at one moment of the count."""

    kind: Kind
    rules: RuleSet
    base_name: str  # collected, issued, members or present
    base: int
    quorum_required: int
    quorum_met: bool
    present: int
    issued: int
    collected: int
    counted: int
    invalid: int  # whole invalid ballots
    rounding: str
    officials: tuple[OfficialResult, ...]
    stacks: tuple[StackResult, ...] | None = None  # a poll entered in stacks only

    @property
    def remaining(self) -> int:
        return self.collected - self.counted

    @property
    def valid_ballots(self) -> int:
        return self.counted - self.invalid

    def percent_vi(self, count: int) -> str:
        """A count as a Vietnamese percentage of this tally's base: ``53,19%``."""
        return words.percent(count, self.base, self.rounding)


def base_value(poll: Poll, base_name: str) -> int:
    """The number a base name stands for in this poll."""
    return {
        "collected": poll.collected,
        "issued": poll.issued,
        "members": poll.members.total,
        "present": poll.members.present,
    }[base_name]


def count_entries(
    entries: tuple[str, ...] | list[str], width: int, levels: int
) -> tuple[list[list[int]], int]:
    """Per official, the count of each level (index 0 = digit 1), and whole invalid ballots.

    The valid entries (each ``width`` characters) are joined into one string, so that
    official i's column is the slice ``[i::width]`` and each level one ``str.count``: a
    recount of 5 000 ballots × 100 officials takes a few milliseconds.
    """
    valid = [e for e in entries if e != INVALID_BALLOT]
    invalid = len(entries) - len(valid)
    digits = [str(i + 1) for i in range(levels)]
    joined = "".join(valid)
    columns = [joined[i::width] for i in range(width)] if valid else [""] * width
    return [[column.count(d) for d in digits] for column in columns], invalid


def _well_formed(entries: tuple[str, ...], kind: Kind, width: int) -> bool:
    """True when every entry is ``X`` or ``width`` characters of the kind's alphabet."""
    if not set(map(type, entries)) <= {str}:
        return False
    marked = [e for e in entries if e != INVALID_BALLOT]
    if not set(map(len, marked)) <= {width}:
        return False
    try:
        joined = "".join(marked).encode("ascii")
    except UnicodeEncodeError:
        return False
    return not joined.translate(None, entry_alphabet(kind).encode("ascii"))


def _require_valid(poll: Poll) -> None:
    """``validation.require_valid``, with the entries checked in bulk when they are clean.

    ``check_entry`` walks every ballot character by character (300 ms for 5 000 ballots ×
    100 officials). When every entry is plainly well formed, no entry rule can fire, so
    the entries are not walked again (``entries_checked``). Any doubt (a bad entry) takes
    the full check, so the error raised is always the one of ``check_poll``.
    """
    entries = poll.entries
    if poll.stacks is not None:  # every pass and decision, checked in one go
        entries = tuple(chain.from_iterable(_entry_lists(poll.stacks)))
    checked = bool(entries and _well_formed(entries, poll.kind, len(poll.ballot_officials)))
    require_valid(poll, entries_checked=checked)


def _entry_lists(stacks: tuple[Stack, ...]) -> list[tuple[str, ...]]:
    decisions = [s.resolved.entries for s in stacks if s.resolved is not None]
    return [p.entries for s in stacks for p in s.passes] + decisions


def counted_ballots(poll: Poll) -> tuple[str, ...]:
    """The ballots a poll counts: its entries, or the agreed and resolved stacks' ones."""
    if poll.stacks is not None:
        return counted_entries(poll.stacks, poll.passes_required)
    return poll.entries or ()


@dataclass(frozen=True)
class Counts:
    """What a count of entries gives: per official the count of each level (index 0 =
    digit 1), the whole invalid ballots and the ballots counted."""

    rows: tuple[tuple[int, ...], ...]
    invalid: int
    counted: int

    def plus(self, entries: tuple[str, ...], kind: Kind) -> Counts | None:
        """These counts with ``entries`` counted too; None when one of them is not a well
        formed ballot (count the whole poll with ``count_poll`` to get its error)."""
        if not entries:
            return self
        width = len(self.rows)
        if not _well_formed(entries, kind, width):
            return None
        levels = len(self.rows[0]) if self.rows else 0
        added, invalid = count_entries(entries, width, levels)
        rows = tuple(
            tuple(a + b for a, b in zip(old, new, strict=True))
            for old, new in zip(self.rows, added, strict=True)
        )
        return Counts(rows, self.invalid + invalid, self.counted + len(entries))


def count_poll(poll: Poll, checked: bool = False) -> Counts:
    """The counts of a valid poll's entries; raises PollError like ``tally``."""
    if not checked:
        _require_valid(poll)
    entries = counted_ballots(poll)
    rows, invalid = count_entries(entries, len(poll.ballot_officials), len(poll.levels))
    return Counts(tuple(map(tuple, rows)), invalid, len(entries))


def tally(poll: Poll, checked: bool = False) -> Tally:
    """The result of a valid poll; raises PollError for invalid data or a zero base.

    ``checked``: the poll was validated already (``poll_from_data`` gives only valid polls),
    so its rules are not walked again; the base is still checked.
    """
    if poll.totals is not None:
        if not checked:
            _require_valid(poll)
        rows = [[row[level] for level in poll.levels] for row in poll.totals]
        return _result(poll, rows, poll.collected, poll.invalid)
    counts = count_poll(poll, checked)
    result = _result(poll, counts.rows, counts.counted, counts.invalid)
    if poll.stacks is None:
        return result
    width = len(poll.ballot_officials)
    return replace(result, stacks=reconcile(poll.stacks, width, poll.passes_required))


def tally_counts(poll: Poll, counts: Counts, setting_checked: bool = False) -> Tally:
    """``tally`` of a poll in entries mode from counts kept beside its ballots.

    ``poll`` is the setting (its entries are not read); ``counts`` those of its active
    entries, one row per official on the ballot (ValueError otherwise). Raises PollError
    as ``tally`` would for the setting, for more ballots counted than collected, or for a
    zero base. ``setting_checked``: the caller tallied this very setting already (a screen
    that redraws after every ballot), so ``check_setting`` is not run again.
    """
    problems = (None if setting_checked else check_setting(poll)) or check_counted(
        poll, counts.counted
    )
    if problems:  # more counted than collected: only a hand-edited database gets here
        raise PollError(problems[0])
    return _result(poll, counts.rows, counts.counted, counts.invalid)


def _result(poll: Poll, rows: Sequence[Sequence[int]], counted: int, invalid: int) -> Tally:
    rules = of_poll(poll)
    base_name = poll.base or rules.default_base(poll.kind)
    base = base_value(poll, base_name)
    if base <= 0:
        raise P.BASE_ZERO.error(base=base_name)
    officials = poll.ballot_officials
    levels = poll.levels
    remaining = poll.collected - counted
    deciding = levels.index(DECIDING_LEVEL[poll.kind])
    banding = arithmetic.Banding(base, poll.kind, rules)
    percents: dict[int, str] = {}  # one base for the whole tally: each count's percent once
    results = []
    for official, row in zip(officials, rows, strict=True):
        counts = dict(zip(levels, row, strict=True))
        for n in row:
            if n not in percents:
                percents[n] = _percent(n, base, poll.rounding)
        results.append(
            OfficialResult(
                official=official,
                counts=counts,
                invalid=counted - sum(row),
                percent={level: percents[n] for level, n in counts.items()},
                band=banding.band(row[deciding]),
                final=banding.is_final(row[deciding], remaining),
            )
        )
    return Tally(
        kind=poll.kind,
        rules=rules,
        base_name=base_name,
        base=base,
        quorum_required=arithmetic.quorum_required(poll.members.total, rules),
        quorum_met=arithmetic.quorum_met(poll.members.total, poll.members.present, rules),
        present=poll.members.present,
        issued=poll.issued,
        collected=poll.collected,
        counted=counted,
        invalid=invalid,
        rounding=poll.rounding,
        officials=tuple(results),
    )


def as_json(result: Tally) -> dict:
    """The ``tinnhiem tally`` output of poll-file.md, field for field; ``stacks`` only for
    a poll entered in stacks."""
    output = {
        "kind": str(result.kind),
        "rules": result.rules.id,
        "base": result.base,
        "quorum": {
            "present": result.present,
            "required": result.quorum_required,
            "met": result.quorum_met,
        },
        "ballots": {
            "issued": result.issued,
            "collected": result.collected,
            "counted": result.counted,
            "invalid": result.invalid,
        },
        "officials": [
            {
                "name": r.official.name,
                "position": r.official.position,
                "counts": dict(r.counts),
                "invalid": r.invalid,
                "percent": dict(r.percent),
                "band": r.band,
                "final": r.final,
            }
            for r in result.officials
        ],
    }
    if result.stacks is not None:
        output["stacks"] = [stack.as_json() for stack in result.stacks]
    return output
