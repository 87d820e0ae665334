"""Measure of ``tinnhiem combine`` (issue 12): a campaign of 300 locked poll files.

Each file is a locked export of 30 officials × 50 ballots whose audit record verifies.
Measured: reading, verifying and combining them all with the JSON of the result (what
``tinnhiem combine`` does); baseline: reading and verifying the same files (what any
higher level must do anyway). The two interleaved in one loop so both see the same load.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from time import perf_counter

import fixtures
from stats import timed_ms, timing, with_ratio

from tinnhiem.combine import as_json, combine
from tinnhiem.pollfile import poll_to_data
from tinnhiem.storage import Store
from tinnhiem.storage.sealed import read_poll_file

WALL_TARGET_S = 30.0


def locked_files(work: Path, polls: int, width: int, ballots: int) -> list[tuple[str, bytes]]:
    """``polls`` locked exports of distinct polls (each its own id, sealed by its lock)."""
    store = Store(work / f"combine-{polls}x{width}x{ballots}.db")
    poll = fixtures.poll(ballots, width, headroom=0)
    files = []
    for n in range(1, polls + 1):
        plain = poll_to_data(replace(poll, id=f"bench-{n:03}", body=f"Đơn vị {n:03}"))
        poll_id = store.import_data(plain, actor="bench")  # counting, every ballot entered
        store.close_count(poll_id, actor="bench")
        store.lock(poll_id, actor="bench")
        files.append((f"don-vi-{n:03}.json", json.dumps(store.export_data(poll_id)).encode()))
    store.close()
    return files


def combine_campaign(
    name: str, work: Path, polls: int, width: int, ballots: int, reps: int
) -> dict:
    """combine_300x30x50: read, verify and combine ``polls`` locked files; baseline: read and
    verify them. Also the wall time of one whole run against WALL_TARGET_S."""
    files = locked_files(work, polls, width, ballots)

    def read() -> list:
        return [read_poll_file(n, raw) for n, raw in files]

    started = perf_counter()
    result = as_json(combine(read()))
    wall = perf_counter() - started
    if len(result["polls"]) != polls or not all(p["locked"] for p in result["polls"]):
        raise AssertionError("the campaign did not combine into its locked polls")
    measured, baseline = [], []
    for _ in range(reps):
        measured.append(timed_ms(lambda: as_json(combine(read()))))
        baseline.append(timed_ms(read))
    row = timing(name, measured, files=polls, officials=width, ballots=ballots)
    row = with_ratio(row, measured, baseline, target=1.5)
    return {**row, "wall_s": round(wall, 2), "wall_target_s": WALL_TARGET_S,
            "met": row["met"] and wall <= WALL_TARGET_S}  # fmt: skip
