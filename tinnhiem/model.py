"""The domain model: polls, officials, attendance, the counting board.

Plain frozen data, standard library only. A ``Poll`` is everything the tally and the
documents need to know about one confidence poll or confidence vote; it never talks to a
database. Change one with ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tinnhiem.rules import RuleSet
    from tinnhiem.stacks import Stack


class Kind(StrEnum):
    """The two procedures of domain.md."""

    POLL = "poll"  # lấy phiếu tín nhiệm: three levels
    VOTE = "vote"  # bỏ phiếu tín nhiệm: two levels


class State(StrEnum):
    """Where a poll is in its life cycle (the transitions: ``tinnhiem.lifecycle``)."""

    SETUP = "setup"  # the setting is still typed; no ballot yet
    COUNTING = "counting"  # ballots are entered
    CLOSED = "closed"  # no more ballots; reopened, or locked
    LOCKED = "locked"  # the result, for ever


class Mode(StrEnum):
    """How the count is entered, chosen when it opens."""

    ENTRIES = "entries"  # ballot by ballot
    TOTALS = "totals"  # the totals of a hand count


class Level(StrEnum):
    """The marks a ballot row can carry."""

    HIGH = "high"  # tín nhiệm cao (a poll)
    CONFIDENCE = "confidence"  # tín nhiệm (a poll and a vote)
    LOW = "low"  # tín nhiệm thấp (a poll)
    NO_CONFIDENCE = "no_confidence"  # không tín nhiệm (a vote)


class Band(StrEnum):
    """What a result means (domain.md, Bands)."""

    NONE = "none"
    OVER_HALF = "over_half"
    TWO_THIRDS = "two_thirds"


class Base(StrEnum):
    """The denominator of every percentage and threshold."""

    COLLECTED = "collected"
    ISSUED = "issued"
    MEMBERS = "members"
    PRESENT = "present"


# The marks a ballot row can carry, in the order of the entry digits 1, 2, 3.
LEVELS: dict[Kind, tuple[str, ...]] = {
    Kind.POLL: (Level.HIGH, Level.CONFIDENCE, Level.LOW),
    Kind.VOTE: (Level.CONFIDENCE, Level.NO_CONFIDENCE),
}

# The level whose count decides the band.
DECIDING_LEVEL: dict[Kind, str] = {Kind.POLL: Level.LOW, Kind.VOTE: Level.NO_CONFIDENCE}

# One whole ballot judged invalid (not the issued form, no seal).
INVALID_BALLOT = "X"
# A row with no valid mark (blank, or several boxes marked).
BLANK_ROW = "0"

BASES = tuple(Base)
ROUNDINGS = ("half_up", "truncate")
BOARD_ROLES = ("chair", "secretary", "member")


def entry_alphabet(kind: Kind) -> str:
    """The characters allowed in one row of an entry string of this kind."""
    return BLANK_ROW + "".join(str(i + 1) for i in range(len(LEVELS[kind])))


@dataclass(frozen=True)
class Official:
    """A person on the list, in ballot order; exempt ones stay listed but off the ballot."""

    name: str
    position: str = ""
    exempt_reason: str | None = None
    person: str | None = None  # who this is across polls (a staff number), when known

    @property
    def on_ballot(self) -> bool:
        return not self.exempt_reason


@dataclass(frozen=True)
class Attendance:
    """Members summoned and present; absentees split as the minutes report them."""

    total: int
    present: int
    absent_with_reason: int | None = None
    absent_without_reason: int | None = None

    @property
    def absent(self) -> int:
        return self.total - self.present


@dataclass(frozen=True)
class BoardMember:
    """One member of the counting board (Ban kiểm phiếu)."""

    name: str
    role: str = "member"  # one of BOARD_ROLES


@dataclass(frozen=True)
class Poll:
    """One confidence poll or vote: its setting, its counts and what was entered.

    ``entries`` (one string per ballot, as in the poll file), ``totals`` (per ballot
    official, a dict level → count) and ``stacks`` (independent entries, tinnhiem.stacks)
    are exclusive; all ``None`` means nothing counted yet. ``invalid`` is the number of
    whole invalid ballots in totals mode. ``passes_required`` is the passes each stack needs.
    ``id`` and ``point`` say which poll this is and where (shared/poll-file.md, Identity):
    files with the same id and different points are added up by ``tinnhiem.combine``.
    """

    kind: Kind
    rules: str
    members: Attendance
    issued: int
    collected: int
    officials: tuple[Official, ...]
    entries: tuple[str, ...] | None = None
    totals: tuple[dict[str, int], ...] | None = None
    invalid: int = 0
    base: str | None = None  # override of the rule set's base, one of BASES
    rounding: str = "half_up"
    title: str = ""
    body: str = ""
    date: str | None = None  # ISO YYYY-MM-DD
    time: str = ""
    place: str = ""
    board: tuple[BoardMember, ...] = field(default_factory=tuple)
    remarks: str = ""
    passes_required: int = 1  # 1, 2 or 3
    stacks: tuple[Stack, ...] | None = None
    rule_set: RuleSet | None = None  # the poll's own rule set (``rules`` is then its id)
    id: str | None = None  # stable across exports and machines (a UUID), once assigned
    point: str | None = None  # the polling point, when one poll is held at several

    @property
    def ballot_officials(self) -> tuple[Official, ...]:
        """The officials printed on the ballot, in order (exempt ones left off)."""
        return tuple(o for o in self.officials if o.on_ballot)

    @property
    def levels(self) -> tuple[str, ...]:
        return LEVELS[self.kind]

    @property
    def mode(self) -> str:
        """``entries``, ``totals``, ``stacks`` or ``empty`` (nothing counted yet)."""
        if self.totals is not None:
            return "totals"
        if self.stacks is not None:
            return "stacks"
        if self.entries is not None:
            return "entries"
        return "empty"
