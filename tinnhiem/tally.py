"""The tally: counts, percentages, bands and the ``final`` flag of every official.

``tally(poll)`` takes a valid ``Poll`` (entries, totals or nothing counted yet) and
returns a frozen ``Tally``; ``as_json`` gives the exact output of ``tinnhiem tally``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem import arithmetic
from tinnhiem.model import DECIDING_LEVEL, INVALID_BALLOT, Kind, Official, Poll
from tinnhiem.rules import RuleSet, rule_set
from tinnhiem.validation import PollError, Problem, require_valid


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

    @property
    def remaining(self) -> int:
        return self.collected - self.counted

    @property
    def valid_ballots(self) -> int:
        return self.counted - self.invalid

    def percent_vi(self, count: int) -> str:
        """A count as a Vietnamese percentage of this tally's base: ``53,19%``."""
        return arithmetic.percent_vi(count, self.base, self.rounding)


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

    Counts by column with ``str.count`` over the transposed entries, which keeps a recount
    of 5 000 ballots × 100 officials well under the time of one screen refresh.
    """
    valid = [e for e in entries if e != INVALID_BALLOT]
    invalid = len(entries) - len(valid)
    digits = [str(i + 1) for i in range(levels)]
    if not valid:
        return [[0] * levels for _ in range(width)], invalid
    columns = ["".join(col) for col in zip(*valid, strict=True)]
    return [[column.count(d) for d in digits] for column in columns], invalid


def tally(poll: Poll) -> Tally:
    """The result of a valid poll; raises PollError for invalid data or a zero base."""
    require_valid(poll)
    rules = rule_set(poll.rules)
    base_name = poll.base or rules.default_base(poll.kind)
    base = base_value(poll, base_name)
    if base <= 0:
        raise PollError(
            Problem(
                "B01", "base", f"cơ số tính tỷ lệ ({base_name}) bằng 0; không thể tính phần trăm."
            )
        )
    officials = poll.ballot_officials
    levels = poll.levels
    if poll.totals is not None:
        rows = [[row[level] for level in levels] for row in poll.totals]
        counted, invalid = poll.collected, poll.invalid
    else:
        entries = poll.entries or ()
        rows, invalid = count_entries(entries, len(officials), len(levels))
        counted = len(entries)
    remaining = poll.collected - counted
    deciding = levels.index(DECIDING_LEVEL[poll.kind])
    results = []
    for official, row in zip(officials, rows, strict=True):
        counts = dict(zip(levels, row, strict=True))
        results.append(
            OfficialResult(
                official=official,
                counts=counts,
                invalid=counted - sum(row),
                percent={
                    level: arithmetic.percent(n, base, poll.rounding) for level, n in counts.items()
                },
                band=arithmetic.band(row[deciding], base, poll.kind),
                final=arithmetic.is_final(row[deciding], remaining, base, poll.kind),
            )
        )
    return Tally(
        kind=poll.kind,
        rules=rules,
        base_name=base_name,
        base=base,
        quorum_required=arithmetic.quorum_required(poll.members.total),
        quorum_met=arithmetic.quorum_met(poll.members.total, poll.members.present),
        present=poll.members.present,
        issued=poll.issued,
        collected=poll.collected,
        counted=counted,
        invalid=invalid,
        rounding=poll.rounding,
        officials=tuple(results),
    )


def as_json(result: Tally) -> dict:
    """The ``tinnhiem tally`` output of poll-file.md, field for field."""
    return {
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
