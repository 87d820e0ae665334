"""The benchmark harness (bench/run.py) in quick mode on tiny polls: every measure, numbers."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMINGS = (
    "store_ballot_500x50",
    "store_ballot_5000x100",
    "recount_5000x100",
    "compare_passes_50x50",
    "reconcile_481x44",
    "combine_300x30x50",
    "scan_pages_200dpi",
)
# Every page's rerun and each page's fragment rerun, at both sizes, against an empty page.
PAGES = tuple(
    f"{prefix}_{size}"
    for size in ("500x50", "5000x100")
    for prefix in (
        *(f"page_{name}" for name in ("setup", "counting", "projector", "results")),
        *(f"fragment_{name}" for name in ("desk", "hall", "live")),
    )
)
LATENCIES = ("projector_latency", "entry_latency_500x50")
DOCUMENTS = tuple(
    f"doc_{name}_481x44" for name in ("minutes_pdf", "minutes_docx", "ballots_pdf", "results_xlsx")
)
RATIOS = TIMINGS + PAGES + DOCUMENTS
TIMINGS += PAGES + LATENCIES + DOCUMENTS
VALUES = ("keystrokes_per_ballot_30", "cold_start_s", "rss_mb_5000x100")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@pytest.mark.browser
@pytest.mark.slow
def test_quick_run_writes_every_measure_with_numbers(tmp_path: Path) -> None:
    """A quick run on tiny polls writes one row per measure: numbers, a target, a verdict."""
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--scale", "0.01", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    rows = {row["name"]: row for row in json.loads(out.read_text())}
    assert sorted(rows) == sorted(TIMINGS + VALUES)
    for name in TIMINGS:
        row = rows[name]
        assert is_number(row["p50_ms"]) and is_number(row["p95_ms"]), row
        assert 0 < row["p50_ms"] <= row["p95_ms"], row
    for name in RATIOS:
        assert is_number(rows[name]["ratio"]) and rows[name]["ratio"] > 0, rows[name]
    for name in VALUES:
        assert is_number(rows[name]["value"]) and rows[name]["value"] > 0, rows[name]
    for row in rows.values():
        assert is_number(row["target"]) and isinstance(row["met"], bool), row
        assert row["name"] in run.stdout
