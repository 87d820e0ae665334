"""Poll files for the combine tests: points of one poll, locked on their own databases."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.pollfile import poll_to_data
from tinnhiem.storage import Store

POLL_ID = "6a1f0c2e-9b7d-4c3a-8e51-2f4d6b8a0c1e"
OFFICIALS = (
    Official("Nguyễn Văn An", "Chủ tịch UBND xã", person="CB-001"),
    Official("Trần Thị Bình", "Phó Chủ tịch UBND xã"),
    Official("Lê Văn Cường", "Trưởng Công an xã"),
)


def point_poll(point: str, entries: tuple[str, ...], total: int = 10, **changes) -> Poll:
    """One point of the commune's poll: ``entries`` ballots collected and entered."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=total, present=len(entries)),
        issued=len(entries),
        collected=len(entries),
        officials=OFFICIALS,
        entries=entries,
        title="Lấy phiếu tín nhiệm cán bộ xã Đông Hòa",
        body="Ủy ban MTTQ xã Đông Hòa",
        id=POLL_ID,
        point=point,
    )
    return replace(poll, **changes)


DONG = point_poll("Thôn Đông", ("333", "331", "321", "X", "123", "303"), total=8)
TAY = point_poll("Thôn Tây", ("332", "113", "330", "222"), total=5)


def write(path: Path, data: dict) -> Path:
    """Write a poll file's object as UTF-8 JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def plain(path: Path, poll: Poll) -> Path:
    """The poll as a plain poll file."""
    return write(path, poll_to_data(poll))


def locked(path: Path, poll: Poll) -> Path:
    """The poll counted and locked on a database of its own, exported to ``path``."""
    store = Store(path.with_suffix(".db"))
    poll_id = store.create_poll(replace(poll, entries=None))
    store.open_count(poll_id, actor="Trưởng ban")
    for entry in poll.entries or ():
        store.add_ballot(poll_id, entry, station="Máy 1", entered_by="Thư ký")
    store.close_count(poll_id, actor="Trưởng ban")
    store.lock(poll_id, actor="Trưởng ban")
    data = store.export_data(poll_id)
    store.close()
    return write(path, data)
