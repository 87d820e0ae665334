"""Exact arithmetic for thresholds and percentages.

Every decision compares integers (count × q against p × base for an edge p/q, read from
the rule set); rounded percentages are for people only: 20 001 of 40 001 is over half yet
prints as 50,00%. Without a rule set the built-in edges apply (over_half: more than ½;
two_thirds, poll only: ⅔ or more; quorum ⅔), the same under every built-in rule set.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem.model import Kind
from tinnhiem.rules import BAND_NONE, RULE_SETS, Band, RuleSet

BUILT_IN_EDGES = RULE_SETS["nq96-2023"]


def quorum_required(total: int, rules: RuleSet | None = None) -> int:
    """The smallest whole number ≥ quorum × total (⅔ by default: 20 of 30, 21 of 31)."""
    quorum = (rules or BUILT_IN_EDGES).quorum
    return -(-quorum.numerator * total // quorum.denominator)


def quorum_met(total: int, present: int, rules: RuleSet | None = None) -> bool:
    return present >= quorum_required(total, rules)


def band(count: int, base: int, kind: Kind = Kind.POLL, rules: RuleSet | None = None) -> str:
    """The band of a low (poll) or no-confidence (vote) count against the base.

    The last band of the rule set whose edge the count passes, else ``none``; by default
    ``two_thirds`` when 3 × count ≥ 2 × base (poll only), else ``over_half`` when
    2 × count > base. Raises ValueError for a base ≤ 0.
    """
    return Banding(base, kind, rules).band(count)


def is_final(
    count: int, remaining: int, base: int, kind: Kind = Kind.POLL, rules: RuleSet | None = None
) -> bool:
    """True when no split of the ``remaining`` ballots can change the band.

    The count can only grow, by at most ``remaining``, and the band is monotone in the
    count (edges strictly increase), so the band is final when both ends of that range
    give the same band.
    """
    return Banding(base, kind, rules).is_final(count, remaining)


class Banding:
    """``band`` and ``is_final`` for one base: each edge's smallest passing count
    (``smallest_passing``) is found once, then a count is compared with whole numbers.
    A count passes an edge exactly when it is at least that count (passing is monotone
    in the count), and the edges strictly increase, so the band is that of the last edge
    reached. A tally of 100 officials makes one. Raises ValueError for a base ≤ 0."""

    def __init__(self, base: int, kind: Kind = Kind.POLL, rules: RuleSet | None = None):
        if base <= 0:
            raise ValueError("base must be positive")
        edges = (rules or BUILT_IN_EDGES).bands(kind)
        self._steps = tuple((smallest_passing(edge, base), edge.name) for edge in edges)

    def band(self, count: int) -> str:
        found = BAND_NONE
        for least, name in self._steps:
            if count < least:
                break
            found = name
        return found

    def is_final(self, count: int, remaining: int) -> bool:
        return self.band(count) == self.band(count + remaining)


def smallest_passing(edge: Band, base: int) -> int:
    """The smallest count that passes the edge: ⌈p × base / q⌉, or ⌊p × base / q⌋ + 1 when
    the edge itself is not in the band (over ½ of 30 is 16, ⅔ or more of 30 is 20)."""
    p, q = edge.edge.numerator, edge.edge.denominator
    return -(-p * base // q) if edge.inclusive else p * base // q + 1


@dataclass(frozen=True)
class Need:
    """How many more deciding marks move an official out of his band, and where to.

    ``more`` ≥ 1 further low (poll) or no-confidence (vote) marks, and not one fewer, reach
    the band ``band`` (the rule set's band, with its edge); ``remaining`` ballots are still
    to count, each giving at most one such mark.
    """

    more: int
    band: Band
    remaining: int

    @property
    def reachable(self) -> bool:
        """Whether the ballots still to count can bring it (exactly ``not is_final``)."""
        return self.more <= self.remaining


def need(
    count: int, remaining: int, base: int, kind: Kind = Kind.POLL, rules: RuleSet | None = None
) -> Need | None:
    """What it takes to leave the current band; ``None`` in the top band (nothing above).

    The base is a number of the setting (ballots collected or issued, members, present),
    so more ballots never move it: the count alone grows, one per ballot at most. The first
    edge the count does not pass gives ``more``; the band is where ``count + more`` lands,
    which is above that edge's band when the next edge's smallest count is the same (2 of
    3 is already ⅔). Raises ValueError for a base ≤ 0.
    """
    if base <= 0:
        raise ValueError("base must be positive")
    edges = (rules or BUILT_IN_EDGES).bands(kind)
    above = [edge for edge in edges if not edge.passed_by(count, base)]
    if not above:
        return None
    more = smallest_passing(above[0], base) - count
    reached = [edge for edge in above if edge.passed_by(count + more, base)]
    return Need(more, reached[-1], remaining)


def hundredths(count: int, base: int, rounding: str = "half_up") -> int:
    """count × 100 / base in hundredths of a percent, rounded half up or truncated."""
    if base <= 0:
        raise ValueError("base must be positive")
    scaled = count * 10_000
    if rounding == "truncate":
        return scaled // base
    if rounding != "half_up":
        raise ValueError(f"unknown rounding {rounding!r}")
    return (2 * scaled + base) // (2 * base)


def percent(count: int, base: int, rounding: str = "half_up") -> str:
    """The machine form of a percentage: ``"53.19"`` (two decimals, a dot, no sign)."""
    h = hundredths(count, base, rounding)
    return f"{h // 100}.{h % 100:02d}"
