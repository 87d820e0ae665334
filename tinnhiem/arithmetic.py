"""Exact arithmetic for thresholds and percentages.

Every decision compares integers (2 × count > base, 3 × count ≥ 2 × base); rounded
percentages are for people only: 20 001 of 40 001 is over half yet prints as 50,00%.
"""

from __future__ import annotations

from tinnhiem.model import Kind
from tinnhiem.rules import BAND_NONE, BAND_OVER_HALF, BAND_TWO_THIRDS


def quorum_required(total: int) -> int:
    """The smallest whole number ≥ ⅔ × total (20 of 30, 21 of 31)."""
    return (2 * total + 2) // 3


def quorum_met(total: int, present: int) -> bool:
    return present >= quorum_required(total)


def band(count: int, base: int, kind: Kind = Kind.POLL) -> str:
    """The band of a low (poll) or no-confidence (vote) count against the base.

    ``two_thirds`` when 3 × count ≥ 2 × base (poll only), else ``over_half`` when
    2 × count > base, else ``none``. Raises ValueError for a base ≤ 0.
    """
    if base <= 0:
        raise ValueError("base must be positive")
    if kind == Kind.POLL and 3 * count >= 2 * base:
        return BAND_TWO_THIRDS
    if 2 * count > base:
        return BAND_OVER_HALF
    return BAND_NONE


def is_final(count: int, remaining: int, base: int, kind: Kind = Kind.POLL) -> bool:
    """True when no split of the ``remaining`` ballots can change the band.

    The count can only grow, by at most ``remaining``, and the band is monotone in the
    count, so the band is final when both ends of that range give the same band.
    """
    return band(count, base, kind) == band(count + remaining, base, kind)


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


def percent_vi(count: int, base: int, rounding: str = "half_up") -> str:
    """The Vietnamese form of a percentage: ``"53,19%"``."""
    return percent(count, base, rounding).replace(".", ",") + "%"


def vi_number(value: int) -> str:
    """An integer with Vietnamese thousands separators: 40.001."""
    return f"{value:,}".replace(",", ".")
