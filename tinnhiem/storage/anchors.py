"""Anchors outside the database against a cut tail: automatic backups to a second folder,
the chain's head at each move of the count, and verify compared with the backups.

The Store does the count's own work first (committed, acknowledged) and only then calls
``Anchors.after``, which asks the worker of ``anchor_folder`` for a backup — every N
ballots and at each open, close, reopen and lock.
Nothing here can refuse or undo a ballot: a folder that fails leaves a warning
(``backup_warning``) and the log, never an error to the caller.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace
from pathlib import Path

from tinnhiem.storage import anchor_check, anchor_folder, rows
from tinnhiem.storage.anchor_check import AnchorCheck
from tinnhiem.storage.anchor_folder import BackupOutcome, FolderSetting, Worker
from tinnhiem.storage.chain import payload_of
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import StoreError
from tinnhiem.storage.records import AuditEntry, VerifyReport, now
from tinnhiem.storage.verify import Verifier

log = logging.getLogger(__name__)

_SETTING = "SELECT folder, every FROM backup_folders WHERE poll_id = ? ORDER BY rowid DESC LIMIT 1"
_MARKS = (
    "SELECT seq, poll_id, at, actor, action, hash, payload FROM audit WHERE poll_id = ? "
    "AND action IN ('open', 'close', 'reopen', 'lock') ORDER BY seq"
)


class Anchors:
    """The second backup folder of each poll, its automatic backups and the anchored verify.

    Made by the Store with the file's pool, its path and the ``Verifier`` whose report the
    comparison with the backups extends. The Store calls ``after`` once a ballot or a move
    of the count is committed; the worker thread is started at the first backup asked for.
    """

    def __init__(self, pool: Pool, path: Path, verifier: Verifier):
        self._pool = pool
        self._path = path
        self._verifier = verifier
        self._lock = threading.Lock()
        self._worker: Worker | None = None
        self._outcomes: dict[int, BackupOutcome] = {}
        self._checks: dict[tuple, AnchorCheck] = {}

    # -- the setting -------------------------------------------------------------------

    def backup_folder(self, poll_id: int) -> FolderSetting:
        """The poll's second backup folder ('' when none) and after how many ballots."""
        with self._pool.bare() as conn:
            found = conn.execute(_SETTING, (poll_id,)).fetchone()
        return FolderSetting(found[0], found[1]) if found else FolderSetting()

    def set_backup_folder(
        self, poll_id: int, folder: str, every: int = anchor_folder.DEFAULT_EVERY, actor: str = ""
    ) -> FolderSetting:
        """Choose the poll's second backup folder ('' for none) and N, the ballots between
        two automatic backups; unchanged settings write nothing.

        Raises StoreError with the reason when the folder is not a whole path to a folder
        this process can write outside the database's own, or N is not 1–10 000;
        PollNotFound.
        """
        folder = folder.strip()
        if not 1 <= every <= anchor_folder.MAX_EVERY:
            raise StoreError(
                f"Số phiếu giữa hai lần sao lưu phải từ 1 đến {anchor_folder.MAX_EVERY}, "
                f"không phải {every}."
            )
        problem = anchor_folder.folder_problem(folder, self._path)
        if problem is not None:
            raise StoreError(problem)
        chosen = FolderSetting(str(Path(folder).expanduser()) if folder else "", every)
        if chosen.on:
            try:
                anchor_folder.write_marker(chosen.folder, self._path)
            except OSError as error:
                raise StoreError(
                    f"Không ghi được vào thư mục {chosen.folder} ({error.strerror})."
                ) from error
        with self._pool.write() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(_SETTING, (poll_id,)).fetchone()
            unchanged = tuple(found) == (chosen.folder, chosen.every) if found else not chosen.on
            if unchanged:
                return chosen
            conn.execute(
                "INSERT INTO backup_folders VALUES (?, ?, ?, ?, ?)",
                (poll_id, chosen.folder, chosen.every, now(), actor),
            )
        return chosen

    # -- the automatic backups ---------------------------------------------------------

    def _started(self) -> Worker:
        with self._lock:
            if self._worker is None:
                self._worker = Worker(anchor_folder.copier(self._pool.bare), self._remember)
            return self._worker

    def _remember(self, poll_id: int, outcome: BackupOutcome) -> None:
        if not outcome.ok:
            log.warning("Đợt lấy phiếu số %s: %s", poll_id, outcome.message)
        with self._lock:
            self._outcomes[poll_id] = outcome

    def after(self, poll_id: int, reason: str, entry_no: int | None = None) -> None:
        """Ask for an automatic backup when one is due — after the ballot ``entry_no`` (every
        N ballots) or after a move of the count (``entry_no`` None); never raises."""
        try:
            setting = self.backup_folder(poll_id)
            if not setting.on or (entry_no is not None and entry_no % setting.every):
                return
            self._started().submit(poll_id, reason, setting.folder, self._path)
        except Exception:  # the ballot or the move is stored: a backup never undoes it
            log.warning("Không sao lưu tự động được", exc_info=True)

    def wait_for_backups(self, timeout: float | None = None) -> bool:
        """Wait until the automatic backups asked for are written or failed (False when
        ``timeout`` seconds passed first)."""
        return self._started().wait(timeout)

    def backup_outcome(self, poll_id: int) -> BackupOutcome | None:
        """The last automatic backup of the poll tried by this Store, if any."""
        with self._lock:
            return self._outcomes.get(poll_id)

    def backup_warning(self, poll_id: int) -> str | None:
        """A Vietnamese warning when the poll's automatic backups cannot be written now (the
        folder is gone or the last one failed), else None. Cheap: a read and two stats."""
        setting = self.backup_folder(poll_id)
        if not setting.on:
            return None
        gone = anchor_folder.missing_marker(setting.folder)
        last = self.backup_outcome(poll_id)
        if gone is not None:
            cause = f"{gone[:1].upper()}{gone[1:]}."
        elif last is not None and not last.ok:
            cause = f"Lần sao lưu lúc {last.at[11:19]} ({last.reason}) không được: {last.message}"
        else:
            return None
        return (
            f"Sao lưu tự động sang thư mục thứ hai đang lỗi. {cause} Phiếu vẫn được lưu bình "
            "thường vào cơ sở dữ liệu; hãy cắm lại ổ USB hoặc chọn thư mục khác ở trang "
            "Thiết lập."
        )

    # -- the chain's head at each move --------------------------------------------------

    def chain_marks(self, poll_id: int) -> list[AuditEntry]:
        """The log entries of the count's moves (open, close, reopen, lock), oldest first:
        each one's ``seq`` is the number of entries and its ``hash`` the head right after
        it, as the projector showed them then; its ``payload`` holds the reason, if any."""
        with self._pool.read() as conn:
            rows.poll_row(conn, poll_id)
            found = conn.execute(_MARKS, (poll_id,)).fetchall()
        return [
            AuditEntry(
                seq=r[0],
                poll_id=r[1],
                at=r[2],
                actor=r[3],
                action=r[4],
                hash=r[5],
                payload=payload_of(r[6]),
            )
            for r in found
        ]

    # -- verify, compared with the backups ----------------------------------------------

    def _folders(self, poll_id: int | None, extra: tuple[str | Path, ...]) -> list[Path]:
        if poll_id is not None:  # one statement: no BEGIN/COMMIT (a page's rerun asks)
            with self._pool.bare() as conn:
                chosen = [conn.execute(_SETTING, (poll_id,)).fetchone()]
        else:
            with self._pool.read() as conn:
                ids = [r[0] for r in conn.execute("SELECT id FROM polls ORDER BY id")]
                chosen = [conn.execute(_SETTING, (number,)).fetchone() for number in ids]
        folders: list[Path] = []
        for path in [*(Path(f[0]) for f in chosen if f and f[0]), *(Path(e) for e in extra)]:
            if not any(_same(path, seen) for seen in folders):
                folders.append(path)
        return folders

    def check_backups(
        self, poll_id: int | None = None, folders: tuple[str | Path, ...] = ()
    ) -> AnchorCheck:
        """Compare the chains (one poll's or all) with every backup in the polls' second
        backup folders and in ``folders`` (see ``anchor_check``)."""
        chosen = self._folders(poll_id, folders)
        with self._pool.read() as conn:
            return anchor_check.compare(conn, self._path, chosen, poll_id)

    def verify_anchored(
        self, poll_id: int | None = None, folders: tuple[str | Path, ...] = ()
    ) -> VerifyReport:
        """``verify`` and ``check_backups`` in one report: a cut or rewritten tail that a
        backup shows is a problem; what could not be compared is a note."""
        report = self._verifier.verify(poll_id)
        return _merged(report, self.check_backups(poll_id, folders))

    def verify_anchored_cached(self, poll_id: int) -> VerifyReport:
        """``verify_anchored(poll_id)`` for a page that reruns often: the chain's own check
        is ``verify_cached``; the comparison is redone when the head or the backup files
        (names, sizes, times) change."""
        report = self._verifier.verify_cached(poll_id)
        folders = self._folders(poll_id, ())
        if not folders:
            return report
        key = (poll_id, report.head_hash, report.entries, tuple(_listing(f) for f in folders))
        with self._lock:
            check = self._checks.get(key)
        if check is None:
            check = self.check_backups(poll_id)
            with self._lock:
                for old in [k for k in self._checks if k[0] == poll_id]:
                    del self._checks[old]
                self._checks[key] = check
        return _merged(report, check)


def _merged(report: VerifyReport, check: AnchorCheck) -> VerifyReport:
    problems = report.problems + check.problems
    return replace(report, ok=not problems, problems=problems, notes=report.notes + check.notes)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _listing(folder: Path) -> tuple:
    """What changes when a backup file in ``folder`` is added, removed or rewritten."""
    try:
        with os.scandir(folder) as entries:
            return tuple(
                sorted(
                    (e.name, e.stat().st_size, e.stat().st_mtime_ns)
                    for e in entries
                    if e.name.endswith(".db")
                )
            )
    except OSError as error:
        return ("?", error.errno)
