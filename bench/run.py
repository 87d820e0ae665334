"""tinnhiem's benchmark suite: ``python3 bench/run.py`` (``--quick`` for a smoke run).

Prints one line per measure and writes bench/results.json: a list of objects with
``name``, ``p50_ms``/``p95_ms`` or ``value``, ``ratio`` where a baseline is timed in the
same run, ``target`` and ``met``. See docs/performance.md for what each measure is.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import browser_measures
import combine_measures
import document_measures
import fixtures
import page_measures
import scan_measures
import stack_measures
import store_measures
import streamlit

HERE = Path(__file__).resolve().parent
SIZES = ((500, 50), (5000, 100))
HEADROOM = 150  # ballots each prepared poll can still take (page reruns: 3 + 100)


def _repetitions(quick: bool) -> dict[str, int]:
    if quick:
        return {
            "store": 8,
            "recount": 3,
            "stacks": 5,
            "documents": 1,
            "page": 3,
            "latency": 5,
            "entry": 3,
            "keys": 2,
            "cold": 1,
            "scan": 4,
        }
    return {
        "store": 60,
        "recount": 15,
        "stacks": 200,
        "documents": 5,
        "page": 100,
        "latency": 50,
        "entry": 30,
        "keys": 5,
        "cold": 3,
        "scan": 40,
    }


def plan(quick: bool, scale: float) -> list[tuple[str, Callable[[fixtures.Databases], dict]]]:
    """Every measure in order: its name and how to take it on a set of databases."""
    reps = _repetitions(quick)

    def entered(nominal: int) -> int:
        return max(1, round(nominal * scale))

    steps: list[tuple[str, Callable[[fixtures.Databases], dict]]] = []
    for n, w in SIZES:
        name = f"store_ballot_{n}x{w}"
        steps.append(
            (name, lambda d, name=name, n=n, w=w: store_measures.store_ballot(
                d, name, entered(n), w, reps["store"]))
        )  # fmt: skip
    steps.append(
        ("recount_5000x100", lambda d: store_measures.recount(
            d, "recount_5000x100", entered(5000), 100, reps["recount"]))
    )  # fmt: skip
    # Pure computation of a few milliseconds: always at the nominal size, whatever --scale.
    steps.append(
        ("compare_passes_50x50", lambda _d: stack_measures.compare_passes(
            "compare_passes_50x50", 50, 50, reps["stacks"]))
    )  # fmt: skip
    steps.append(
        ("reconcile_481x44", lambda _d: stack_measures.reconcile_poll(
            "reconcile_481x44", 481, 44, reps["stacks"]))
    )  # fmt: skip
    steps.append(  # 300 × scale locked polls
        ("combine_300x30x50", lambda d: combine_measures.combine_campaign(
            "combine_300x30x50", d.work, entered(300), 30, 50, reps["documents"]))
    )  # fmt: skip
    # Each document of a 481 × 44 poll (481 × scale ballots and copies) against the plain
    # library drawing the same pages (issue 13, point 16).
    for name, measure in document_measures.steps(reps["documents"], scale):
        steps.append((name, lambda _d, measure=measure: measure()))
    # Pure computation at the nominal size: a 30-official ballot page file read (issue 11).
    steps.append(
        ("scan_pages_200dpi", lambda _d: scan_measures.scan_pages(
            "scan_pages_200dpi", 30, reps["scan"]))
    )  # fmt: skip
    for n, w in SIZES:
        pages = [(f"page_{page}", page) for page in page_measures.PAGES]
        pages += [(f"fragment_{name}", name) for name in page_measures.FRAGMENTS]
        for prefix, page in pages:
            name = f"{prefix}_{n}x{w}"
            target = page_measures.TARGETS[(n, w)]
            steps.append(
                (name, lambda d, name=name, page=page, n=n, w=w, target=target:
                    page_measures.page_rerun(
                        d, name, page, entered(n), w, reps["page"], target))
            )  # fmt: skip
    steps.append(
        ("projector_latency", lambda d: browser_measures.projector_latency(
            d, entered(500), 50, reps["latency"]))
    )  # fmt: skip
    steps.append(
        ("entry_latency_500x50", lambda d: browser_measures.entry_latency(
            d, entered(500), 50, reps["entry"]))
    )  # fmt: skip
    steps.append(
        ("keystrokes_per_ballot_30", lambda d: browser_measures.keystrokes_per_ballot(
            d, 30, reps["keys"]))
    )  # fmt: skip
    steps.append(
        ("cold_start_s", lambda d: browser_measures.cold_start(
            d.copy(entered(500), 50)[0], d.work, reps["cold"]))
    )  # fmt: skip
    steps.append(
        ("rss_mb_5000x100", lambda d: browser_measures.rss(
            d, "rss_mb_5000x100", entered(5000), 100, settle_s=1.0 if quick else 5.0))
    )  # fmt: skip
    return steps


def describe(row: dict) -> str:
    """One line of the printed table."""
    if "value" in row:
        figure = f"{row['value']:>10}"
    else:
        figure = f"{row['p50_ms']:>8.1f} ms p50 {row['p95_ms']:>8.1f} ms p95"
    ratio = f"ratio {row['ratio']:>6.2f}" if "ratio" in row else " " * 12
    verdict = "met   " if row["met"] else "MISSED"
    return f"{row['name']:<26} {figure:<33} {ratio}  target {row['target']:<6} {verdict}"


def machine() -> dict:
    """What the figures were taken on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "streamlit": streamlit.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke run")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the ballots already stored (names keep the nominal sizes; "
        "each result records the real ones) — for the harness's own test",
    )
    parser.add_argument("--only", nargs="*", help="run only the measures with these names")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)

    steps = [(n, s) for n, s in plan(args.quick, args.scale) if not args.only or n in args.only]
    results = []
    print(f"tinnhiem bench — {machine()['cpu']}, Python {platform.python_version()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="tinnhiem-bench-") as work:
        dbs = fixtures.Databases(Path(work), HEADROOM)
        for _name, step in steps:
            started = time.perf_counter()
            row = step(dbs)
            if args.scale != 1.0:
                row["scale"] = args.scale
            results.append(row)
            print(f"{describe(row)}  ({time.perf_counter() - started:.0f} s)", flush=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    missed = [r["name"] for r in results if not r["met"]]
    print(f"{len(results) - len(missed)}/{len(results)} targets met; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
