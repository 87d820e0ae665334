"""The second backup folder (a USB stick): its check, the backups written there, their status.

A poll may name a folder outside the database's own (chosen on the setup page): the whole
database is copied there after every N ballots stored and at each move of the count (open,
close, reopen, lock), so a tail cut from the database later is still in a copy nobody
edited (``anchor_check`` compares them). The copies are written by one worker thread of
the Store, never on a ballot's write path: a ballot is stored and acknowledged first, and a
folder that cannot be written (the stick pulled out) only leaves a warning to show.

The folder holds a marker file written when it was chosen: a stick pulled out leaves an
empty mount point behind on some systems, and a backup written there would land on the
laptop's own disk; without the marker the backup is refused and the warning says why.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tinnhiem.storage.backup import copy_database, file_stamp

log = logging.getLogger(__name__)
MARKER = ".tinnhiem-sao-luu"
DEFAULT_EVERY = 50
MAX_EVERY = 10_000
STEM_SEPARATOR = "-"


@dataclass(frozen=True)
class FolderSetting:
    """Where a poll's automatic backups go ('' for nowhere) and after how many ballots."""

    folder: str = ""
    every: int = DEFAULT_EVERY

    @property
    def on(self) -> bool:
        return bool(self.folder)


@dataclass(frozen=True)
class BackupOutcome:
    """The last automatic backup tried for a poll: when, why, and the file or the error."""

    at: str  # ISO 8601, local time
    reason: str  # "phiếu 50", "mở kiểm phiếu", "kết thúc", "mở lại", "khóa"
    ok: bool
    path: str = ""  # the file written
    message: str = ""  # Vietnamese, when not ok


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def folder_problem(folder: str, db: Path) -> str | None:
    """Why ``folder`` cannot hold the automatic backups of the database ``db`` (a Vietnamese
    sentence), or None when it can: it must be a whole path to an existing folder that this
    process can write, outside the database's own folder."""
    if not folder.strip():
        return None
    path = Path(folder.strip()).expanduser()
    if not path.is_absolute():
        return (
            f"Thư mục sao lưu “{folder}” phải là đường dẫn đầy đủ (ví dụ E:\\tinnhiem-sao-luu "
            "hoặc /media/usb/tinnhiem-sao-luu)."
        )
    if not path.is_dir():
        return (
            f"Không có thư mục {path} (ổ USB đã cắm chưa?). Hãy cắm ổ, tạo thư mục rồi ghi lại "
            "đường dẫn."
        )
    own = db.resolve().parent
    if _inside(path.resolve(), own):
        return (
            f"Thư mục {path} là thư mục chứa cơ sở dữ liệu (hoặc nằm trong nó): ai sửa được cơ "
            "sở dữ liệu thì cũng sửa được bản sao lưu ở đó. Hãy chọn thư mục ở ổ khác, ví dụ "
            "ổ USB."
        )
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".tinnhiem-thu-ghi-"):
            pass
    except OSError as error:
        return f"Không ghi được vào thư mục {path} ({error.strerror}); hãy chọn thư mục khác."
    return None


def same_disk(folder: str, db: Path) -> bool:
    """True when ``folder`` is on the same disk (device) as the database: allowed, but a
    failing disk then loses both."""
    chosen, own = Path(folder).expanduser().resolve(), db.resolve().parent
    if os.name == "posix":
        try:
            return os.stat(chosen).st_dev == os.stat(own).st_dev
        except OSError:
            return False
    return chosen.drive.lower() == own.drive.lower()  # a drive letter (or share) is the disk


def write_marker(folder: str, db: Path) -> None:
    """Mark ``folder`` as chosen for the backups of ``db`` (see the module docstring)."""
    marker = Path(folder).expanduser() / MARKER
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    marker.write_text(
        f"Thư mục sao lưu tự động của tinnhiem\ncơ sở dữ liệu: {db.resolve()}\nchọn lúc: {stamp}\n",
        encoding="utf-8",
    )


def missing_marker(folder: str) -> str | None:
    """Why backups cannot go to ``folder`` now (a Vietnamese clause), or None."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        return f"không còn thư mục {path} (ổ USB đã bị rút?)"
    if not (path / MARKER).is_file():
        return (
            f"thư mục {path} không còn là thư mục đã chọn (ổ USB đã bị rút hoặc thay ổ khác; "
            f"thiếu tệp {MARKER})"
        )
    return None


def backup_name(folder: Path, db: Path, poll_id: int, reason: str) -> Path:
    """<db name>-YYYYmmdd-HHMMSS-<poll>-<reason>.db in ``folder`` (_2, _3 … when taken)."""
    stamp = file_stamp()
    words = "".join(c if c.isascii() and c.isalnum() else "-" for c in _ascii(reason)).strip("-")
    stem = STEM_SEPARATOR.join(p for p in (db.stem, stamp, str(poll_id), words) if p)
    path = folder / f"{stem}.db"
    number = 2
    while path.exists() or path.with_name(path.name + ".part").exists():
        path = folder / f"{stem}_{number}.db"
        number += 1
    return path


_FOLDED = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)


def _ascii(text: str) -> str:
    return text.lower().translate(_FOLDED)


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Worker:
    """One thread writing the automatic backups of one Store, in order, one at a time.

    ``submit`` returns at once. A backup asked for while another waits replaces the waiting
    one for the same folder (the later copy holds everything the earlier would have). The
    thread is not a daemon: a process that stored a ballot finishes the copy before it ends.
    """

    def __init__(self, copy: Callable[[Path], None], record: Callable[[int, BackupOutcome], None]):
        self._copy = copy
        self._record = record
        self._lock = threading.Lock()
        self._waiting: dict[str, tuple[int, str, Path, Path]] = {}
        self._thread: threading.Thread | None = None

    def submit(self, poll_id: int, reason: str, folder: str, db: Path) -> None:
        with self._lock:
            self._waiting[folder] = (poll_id, reason, Path(folder).expanduser(), db)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="tinnhiem-sao-luu", daemon=False
                )
                self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every backup asked for is written or failed; False on timeout."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._thread = None
                    return
                folder = next(iter(self._waiting))
                poll_id, reason, path, db = self._waiting.pop(folder)
            try:
                outcome = self.write(poll_id, reason, folder, path, db)
            except Exception as error:  # e.g. the database itself vanished: say so, go on
                log.warning("Sao lưu tự động thất bại", exc_info=True)
                outcome = BackupOutcome(
                    now(), reason, ok=False, message=f"Không sao lưu được: {error}"
                )
            self._record(poll_id, outcome)

    def write(self, poll_id: int, reason: str, folder: str, path: Path, db: Path) -> BackupOutcome:
        """Write one backup now; its outcome (never raises for the folder's own failures)."""
        gone = missing_marker(folder)
        if gone is not None:
            return BackupOutcome(now(), reason, ok=False, message=f"Không sao lưu được: {gone}.")
        dest = backup_name(path, db, poll_id, reason)
        try:
            self._copy(dest)
        except (CopyFailed, OSError) as error:
            cause = getattr(error, "strerror", None) or str(error)
            return BackupOutcome(
                now(), reason, ok=False, message=f"Không ghi được bản sao lưu {dest}: {cause}."
            )
        return BackupOutcome(now(), reason, ok=True, path=str(dest))


class CopyFailed(Exception):
    """Raised by a copier when the backup's side failed (the database itself is intact)."""


def copier(pool_bare: Callable) -> Callable[[Path], None]:
    """A function copying the database of a pool (``Pool.bare``) into a new file; raises
    CopyFailed with the cause when the copy cannot be written."""

    def copy(dest: Path) -> None:
        with pool_bare() as conn:
            try:
                copy_database(conn, dest)
            except OSError as error:  # caught here: the pool would blame the database
                raise CopyFailed(error.strerror or str(error)) from error
            except sqlite3.Error as error:
                raise CopyFailed(str(error)) from error

    return copy
