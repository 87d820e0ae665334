"""Percentiles and the result rows of results.json."""

from __future__ import annotations

import math
from collections.abc import Callable
from time import perf_counter


def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``samples``, nearest-rank method."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def timed_ms(action: Callable[[], object]) -> float:
    """Milliseconds one call of ``action`` takes."""
    start = perf_counter()
    action()
    return (perf_counter() - start) * 1000


def timing(name: str, samples_ms: list[float], **extra: object) -> dict:
    """A result row with p50/p95 of ``samples_ms`` (milliseconds, rounded to 0.01)."""
    return {
        "name": name,
        "p50_ms": round(percentile(samples_ms, 50), 2),
        "p95_ms": round(percentile(samples_ms, 95), 2),
        "samples": len(samples_ms),
        **extra,
    }


def with_ratio(row: dict, samples_ms: list[float], baseline_ms: list[float], target: float) -> dict:
    """Add the baseline's p50 and ``ratio`` = p50 / baseline p50, with target and verdict."""
    base = percentile(baseline_ms, 50)
    ratio = percentile(samples_ms, 50) / base if base > 0 else math.inf
    return {
        **row,
        "baseline_p50_ms": round(base, 2),
        "ratio": round(ratio, 2),
        "target": target,
        "met": ratio <= target,
    }
