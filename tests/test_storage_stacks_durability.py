"""Killing the writer during a pass or a decision loses nothing it acknowledged: every
pass ballot and decision it reported is stored, and the chain verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import sys
from tinnhiem.storage import Store

store, poll_id, run = Store(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
number = 0
while True:
    number += 1
    stack = store.add_stack(poll_id, f"Xấp {run}-{number}", 10)
    for typist in ("Một", "Hai"):
        one = store.start_pass(poll_id, stack, f"{typist} {run}", client=f"{run}{typist}")
        for position in range(1, 11):
            marks = "12" if typist == "Hai" and position == 3 else "0123"[position % 4] + "1"
            stored = store.add_pass_ballot(poll_id, stack, one, marks)
            print("ballot", stack, one, stored.entry_no, stored.marks, flush=True)
        store.finish_pass(poll_id, stack, one)
        print("end", stack, one, 0, "-", flush=True)
    store.decide(poll_id, stack, "at:3", 1, None, "theo phiếu giấy")
    print("decision", stack, 0, 3, "-", flush=True)
"""


def _killed(path: Path, poll_id: int, run: int, rng: random.Random) -> list[list[str]]:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(poll_id), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    first = writer.stdout.readline()  # type: ignore[union-attr]
    time.sleep(rng.uniform(0.0, 0.4))
    os.kill(writer.pid, signal.SIGKILL)
    output, errors = writer.communicate()
    assert writer.returncode == -signal.SIGKILL, errors.decode()
    return [line.split() for line in (first + output).decode().split("\n")[:-1]]


@pytest.mark.slow
def test_sigkill_during_passes_and_decisions_loses_nothing_acknowledged(tmp_path) -> None:
    """Twelve writers killed mid-stream: each acknowledged pass ballot, pass end and
    decision is stored, and the poll's chain verifies after each."""
    path = tmp_path / "killed.db"
    store = Store(path)
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=100_000, present=100_000),
        issued=100_000,
        collected=100_000,
        officials=(Official("Người 1"), Official("Người 2")),
        passes_required=2,
    )
    poll_id = store.create_poll(poll)
    store.open_count(poll_id)
    rng = random.Random(20261202)
    acknowledged: list[list[str]] = []
    for run in range(12):
        acknowledged += _killed(path, poll_id, run, rng)
        views = {v.record.stack_no: v for v in Store(path).stack_summary(poll_id).views}
        for kind, stack, one, position, marks in acknowledged:
            record = views[int(stack)].record
            if kind == "ballot":
                found = next(p for p in record.passes if p.pass_no == int(one))
                assert found.entries[int(position) - 1] == marks
            elif kind == "end":
                assert next(p for p in record.passes if p.pass_no == int(one)).finished
            else:
                assert "at:3" in views[int(stack)].decided
        report = Store(path).verify(poll_id)
        assert report.ok, report.problems
    assert any(kind == "decision" for kind, *_ in acknowledged)
