"""Polls and databases of a given size for the benchmarks, built the way the app builds them.

A prepared database holds one poll in ``counting`` (entries mode) with ``ballots`` already
stored through the store's own code path (``Store.import_data`` stores every entry with
``_store_ballot``, so ballots, audit chain and head are exactly what ``add_ballot`` leaves),
and room for ``headroom`` more ballots (``collected`` = ballots + headroom). Each database
is built once per run and copied for every measure that writes to it.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.pollfile import poll_to_data
from tinnhiem.storage import Store

SEED = 20261122
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Hoàng", "Thu", "Đình", "Tấn", "Mỹ", "Kim")
_GIVEN = ("An", "Bích", "Phúc", "Hùng", "Hà", "Đức", "Lộc", "Duyên", "Khoa", "Thắng", "Vinh")
# Probabilities of the entry digits 1, 2, 3, 0 on one row of a ballot.
_WEIGHTS = (0.55, 0.33, 0.10, 0.02)


def officials(count: int) -> tuple[Official, ...]:
    """``count`` officials with realistic Vietnamese names and positions, none exempt."""
    rng = random.Random(SEED)
    return tuple(
        Official(
            f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
            f"Ủy viên số {number}",
        )
        for number in range(1, count + 1)
    )


def ballots(count: int, width: int, seed: int = SEED) -> list[str]:
    """``count`` entry strings of ``width`` rows (poll kind), about one in 200 invalid."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        if rng.random() < 0.005:
            rows.append("X")
        else:
            rows.append("".join(rng.choices("1230", weights=_WEIGHTS, k=width)))
    return rows


def poll(entered: int, width: int, headroom: int) -> Poll:
    """A poll of ``width`` officials, ``entered`` ballots entered, room for ``headroom`` more."""
    collected = entered + headroom
    members = collected + 3
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=members, present=collected),
        issued=collected,
        collected=collected,
        officials=officials(width),
        entries=tuple(ballots(entered, width)) or None,
        title=f"Lấy phiếu tín nhiệm — {entered} phiếu × {width} người",
        body="Hội đồng đo hiệu năng",
        date="2026-11-22",
    )


PIN = "2468"  # the counting board's PIN of every bench poll
ADMIN_PIN = "135790"  # the administrator's PIN: without it every page shows the first start


def build(path: Path, entered: int, width: int, headroom: int) -> int:
    """Create the database at ``path`` with one counting poll; returns its id."""
    store = Store(path)
    store.set_admin_pin(ADMIN_PIN)
    poll_id = store.import_data(poll_to_data(poll(entered, width, headroom)), actor="bench")
    if entered == 0:
        store.open_count(poll_id, actor="bench")
    store.set_pin(poll_id, PIN, actor="bench")  # the counting page asks for it (issue 5)
    checkpoint(path)
    return poll_id


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so a plain file copy is the whole database."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


class Databases:
    """Prepared databases under one work directory, built once, copied per use."""

    def __init__(self, work: Path, headroom: int):
        self.work = work
        self.headroom = headroom
        self._built: dict[tuple[int, int], tuple[Path, int]] = {}
        self._copies = 0

    def copy(self, entered: int, width: int) -> tuple[Path, int]:
        """A fresh copy of the database of that size, and the poll id in it."""
        key = (entered, width)
        if key not in self._built:
            master = self.work / f"master-{entered}x{width}.db"
            self._built[key] = (master, build(master, entered, width, self.headroom))
        master, poll_id = self._built[key]
        self._copies += 1
        target = self.work / f"copy{self._copies}-{entered}x{width}.db"
        shutil.copyfile(master, target)
        return target, poll_id
