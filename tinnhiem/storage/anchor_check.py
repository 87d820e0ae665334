"""The database's audit chains compared with backups nobody could edit with it (a USB stick).

A chain inside one file cannot show that its tail was cut: the last ballots deleted with
their log entries and the head moved back leave a chain whole on its own. A backup made
before the cut still holds those entries. Each backup's chain of a poll must be a prefix of
the database's: same hash at the backup's last entry (each hash covers all before it, and
``verify`` checks the database's own links). A backup holding more entries, or another hash
at the same number, means the database lost or rewrote what the backup saw.

A poll is known by the hash of its first entry (its creation), not by its number, so a
backup of another database in the same folder is told apart (and polls renumbered are
still found). Every backup file in the folder is compared, newest first; for each poll
the newest backup that disagrees is reported.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from tinnhiem import words

_STAMP = re.compile(r"-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-|\.db$)")
_HEADS = """
SELECT p.id, p.title, f.hash AS first, a.seq, a.hash
FROM polls p
JOIN audit f ON f.poll_id = p.id AND f.seq = 1
JOIN audit a ON a.poll_id = p.id
  AND a.seq = (SELECT MAX(seq) FROM audit m WHERE m.poll_id = p.id)
"""


@dataclass(frozen=True)
class PollHead:
    """One poll's chain as a file holds it: number, title, first and last entry."""

    poll_id: int
    title: str
    first: str  # hash of entry 1: the poll's identity
    seq: int  # number of the last entry
    hash: str  # hash of the last entry


class Backup(NamedTuple):
    """One backup file found in a folder, with when it was made (from its name)."""

    path: Path
    made: datetime

    def when(self) -> str:
        """ "10:32:05 ngày 02/12/2026"."""
        return words.moment(self.made.isoformat())


@dataclass(frozen=True)
class AnchorCheck:
    """What the comparison with backups found: problems (the database lost or rewrote
    entries a backup holds) and notes (what could not be compared, and what was)."""

    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    compared: int = 0  # backup files compared
    folders: tuple[str, ...] = field(default_factory=tuple)


def _made(path: Path) -> datetime:
    match = _STAMP.search(path.name)
    if match:
        try:
            year, month, day, hour, minute, second = (int(g) for g in match.groups())
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime)


def backups_in(folder: Path, db: Path) -> list[Backup]:
    """The backup files (``*.db``) of ``folder``, newest first; the database itself is left
    out. Raises OSError when the folder cannot be listed."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            path = Path(entry.path)
            if not entry.name.endswith(".db") or not entry.is_file():
                continue
            try:
                if db.exists() and path.samefile(db):
                    continue
                found.append(Backup(path, _made(path)))
            except OSError:
                continue
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


def heads(conn: sqlite3.Connection) -> list[PollHead]:
    """Every poll's chain head in the file of ``conn``."""
    return [PollHead(r[0], r[1] or "", r[2], r[3], r[4]) for r in conn.execute(_HEADS)]


def read_backup(path: Path) -> list[PollHead]:
    """The chain heads a backup holds; raises sqlite3.Error when it is no database of ours."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return heads(conn)
    finally:
        conn.close()


def _hashes(conn: sqlite3.Connection, poll_id: int) -> list[str]:
    found = conn.execute("SELECT hash FROM audit WHERE poll_id = ? ORDER BY seq", (poll_id,))
    return [r[0] for r in found]


def _first_difference(ours: list[str], theirs: list[str]) -> int | None:
    """The number (from 1) of the first entry both hold that differs, else None."""
    for number, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        if a != b:
            return number
    return None


def _disagreement(
    conn: sqlite3.Connection, mine: PollHead, theirs: PollHead, backup: Backup
) -> str | None:
    """What the database lacks or changed of ``theirs`` (a backup's head of the same poll)."""
    at = conn.execute(
        "SELECT hash FROM audit WHERE poll_id = ? AND seq = ?", (mine.poll_id, theirs.seq)
    ).fetchone()
    if at is not None and at[0] == theirs.hash:
        return None  # the backup's chain is a prefix of ours
    where = f"bản sao lưu lúc {backup.when()} ({backup.path})"
    prefix = f"Đợt lấy phiếu số {mine.poll_id} — "
    other = sqlite3.connect(f"{backup.path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        differs = _first_difference(_hashes(conn, mine.poll_id), _hashes(other, theirs.poll_id))
    finally:
        other.close()
    if differs is not None:
        fewer = (
            f"; cơ sở dữ liệu còn {mine.seq} mục, bản sao lưu có {theirs.seq}"
            if mine.seq < theirs.seq
            else ""
        )
        return (
            f"{prefix}nhật ký trong cơ sở dữ liệu khác với {where} từ mục {differs}{fewer}: "
            "các mục từ đó đã bị viết lại."
        )
    return (
        f"{prefix}cơ sở dữ liệu có ít mục hơn {where}: nhật ký trong cơ sở dữ liệu có "
        f"{mine.seq} mục, bản sao lưu có {theirs.seq}; {theirs.seq - mine.seq} mục cuối đã "
        "bị cắt khỏi cơ sở dữ liệu."
    )


def compare(
    conn: sqlite3.Connection, db: Path, folders: list[Path], poll_id: int | None = None
) -> AnchorCheck:
    """Compare the chains of the database (``conn``, in a read transaction; one poll or
    all) with every backup in ``folders``."""
    ours: dict[str, list[PollHead]] = {}
    for head in heads(conn):  # one chain imported twice is two polls with one first hash
        ours.setdefault(head.first, []).append(head)
    wanted = {
        h.first for same in ours.values() for h in same if poll_id is None or h.poll_id == poll_id
    }
    problems: dict[str, str] = {}  # by the poll's first hash: the newest disagreement
    notes: list[str] = []
    compared = 0
    for folder in folders:
        try:
            found = backups_in(folder, db)
        except OSError as error:
            notes.append(
                f"Không đọc được thư mục sao lưu {folder} ({error.strerror}): chưa đối chiếu "
                "được với bản sao lưu ở đó."
            )
            continue
        if not found:
            notes.append(f"Thư mục sao lưu {folder} chưa có bản sao lưu nào.")
            continue
        mine, newest = 0, None
        for backup in found:
            try:
                theirs = read_backup(backup.path)
            except (sqlite3.Error, OSError, ValueError):  # ValueError: a path SQLite cannot name
                notes.append(
                    f"Bỏ qua {backup.path}: không đọc được (không phải bản sao lưu của tinnhiem "
                    "hoặc tệp bị hỏng)."
                )
                continue
            if not any(h.first in ours for h in theirs):
                if theirs:
                    notes.append(
                        f"Bỏ qua {backup.path}: không có đợt lấy phiếu nào của cơ sở dữ liệu này "
                        "(bản sao lưu của máy khác — hoặc nhật ký đã bị viết lại từ đầu)."
                    )
                continue
            mine += 1
            newest = newest or backup
            for head in theirs:
                if head.first in problems:
                    continue
                if head.first not in ours:
                    if poll_id is None:
                        problems[head.first] = (
                            f"Đợt lấy phiếu số {head.poll_id} (“{head.title}”) có trong bản sao "
                            f"lưu lúc {backup.when()} ({backup.path}) nhưng không còn trong cơ sở "
                            "dữ liệu."
                        )
                    continue
                if head.first not in wanted:
                    continue
                same = ours[head.first]
                match = next((h for h in same if h.poll_id == head.poll_id), same[0])
                found_problem = _disagreement(conn, match, head, backup)
                if found_problem:
                    problems[head.first] = found_problem
        compared += mine
        if newest is not None:
            notes.append(
                f"Đã đối chiếu với {mine} bản sao lưu trong {folder} "
                f"(mới nhất lúc {newest.when()})."
            )
    return AnchorCheck(
        problems=tuple(problems.values()),
        notes=tuple(notes),
        compared=compared,
        folders=tuple(str(f) for f in folders),
    )
