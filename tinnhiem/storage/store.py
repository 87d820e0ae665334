"""The Store: the database of polls, the one place that speaks SQL.

Every public method runs in one transaction on a connection of its own (see
connections.py), so a ``Store`` is cheap to create and safe to share between threads;
``as_one`` makes several calls one (a scanned batch: its ballots, record and images).

Life cycle of a poll: ``setup`` → ``counting`` → ``closed`` → ``locked`` (closed can go
back to counting with a reason; locked is forever), every move a row of the table in
``tinnhiem.lifecycle`` (docs/state-machine.md). Ballots are insert-only: a void is a
row of its own and a correction a new ballot that ``replaces`` the voided one. Every
change appends to a per-poll audit log; each entry's hash covers the previous hash and
its own canonical fields, and the poll row keeps the head. ``verify`` recomputes the
chain and replays it against the tables. Triggers in the file itself refuse UPDATE and
DELETE of ballots, voids and log rows, and every write touching a locked poll.

The Store is a facade over services with one job each, every one made here with what it
needs (the file's pool of connections, and ``Access`` for ``Polls``):

- ``polls`` (Polls, polls.py): making and changing polls, reading them, their life cycle,
  the demo poll;
- ``counting`` (Ballots, counting.py): ballots, voids, corrections, totals, the desk;
- ``stacks`` (Stacks, stacks.py): independent entries, stacks, passes, decisions;
- ``scans`` (Scans, scans.py): the scanned batches' audit entries (used directly);
- ``counts`` (KeptCounts, kept_counts.py): the counts of the ballots, kept between calls;
- ``archive`` (Archive, archive.py): poll files out and in;
- ``rule_library`` (RuleLibrary, rule_library.py): the saved custom rule sets (used directly);
- ``access`` (Access, access.py): the board's PIN and the administrator's PIN;
- ``backups`` (Backups, backup.py): backups and restore;
- ``verifier`` (Verifier, verify.py): the audit chains and the schema checked;
- ``anchors`` (Anchors, anchors.py): the second backup folder, its automatic backups, the
  chain's head at each move and verify compared with the backups.

Each public method below hands its call to one of them, with the service's docstring;
the ballots and the count's moves then call ``anchors.after`` (an automatic backup when
one is due, never an error), and ``lock`` also backs the database up. A write the disk cannot
take raises StorageUnavailable, nothing written.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from pathlib import Path

from tinnhiem import words
from tinnhiem.lifecycle import Action
from tinnhiem.model import Poll
from tinnhiem.paths import DEFAULT_DB, default_db_path  # noqa: F401 (re-exported)
from tinnhiem.storage.access import Access
from tinnhiem.storage.anchor_check import AnchorCheck
from tinnhiem.storage.anchor_folder import DEFAULT_EVERY, BackupOutcome, FolderSetting
from tinnhiem.storage.anchors import Anchors
from tinnhiem.storage.archive import Archive
from tinnhiem.storage.backup import Backups, remove_leftovers
from tinnhiem.storage.counting import Ballots
from tinnhiem.storage.kept_counts import KeptCounts
from tinnhiem.storage.opening import open_pool
from tinnhiem.storage.people import KeptPeople
from tinnhiem.storage.polls import Polls
from tinnhiem.storage.provenance import Provenance
from tinnhiem.storage.records import AuditEntry, Desk, PollSummary, StoredBallot, VerifyReport
from tinnhiem.storage.rule_library import RuleLibrary
from tinnhiem.storage.scans import Scans
from tinnhiem.storage.stacks import Stacks, StackSummary
from tinnhiem.storage.verify import Verifier
from tinnhiem.tally import Counts

log = logging.getLogger(__name__)


class Store:
    """The database of polls; see the module docstring for the rules every method follows.

    Raises NotOurDatabase for a file that is not tinnhiem's, StorageUnavailable when the
    disk or the file cannot be used.
    """

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        self._pool = open_pool(self.path)
        remove_leftovers(self.path)
        self.access = Access(self._pool)
        people = KeptPeople()  # the officials and board past setup, for both
        self.polls = Polls(self._pool, self.access, people)
        self.counting = Ballots(self._pool, people)
        self.stacks = Stacks(self._pool)
        self.scans = Scans(self._pool)
        self.counts = KeptCounts(self._pool)
        self.archive = Archive(self._pool)
        self.rule_library = RuleLibrary(self._pool)
        self.backups = Backups(self._pool)
        self.verifier = Verifier(self._pool)
        self.anchors = Anchors(self._pool, self.path, self.verifier)

    def close(self) -> None:
        """Close the idle connections; the Store stays usable (a later call opens one)."""
        self._pool.close()

    def as_one(self, what: str) -> AbstractContextManager[object]:
        """The calls the block makes stored as one transaction (``Pool.write``): all or none."""
        return self._pool.write(what)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- Polls (polls) ----------------------------------------------------------

    def create_poll(self, poll: Poll, actor: str = "", pin: str | None = None) -> int:
        return self.polls.create_poll(poll, actor, pin)

    def update_poll(self, poll_id: int, poll: Poll, actor: str = "") -> None:
        self.polls.update_poll(poll_id, poll, actor)

    def list_polls(self) -> list[PollSummary]:
        return self.polls.list_polls()

    def has_poll(self, poll_id: int) -> bool:
        return self.polls.has_poll(poll_id)

    def is_demo(self, poll_id: int) -> bool:
        return self.polls.is_demo(poll_id)

    def get_poll(self, poll_id: int, with_entries: bool = True) -> Poll:
        return self.polls.get_poll(poll_id, with_entries)

    def state(self, poll_id: int) -> str:
        return self.polls.state(poll_id)

    def mode(self, poll_id: int) -> str:
        return self.polls.mode(poll_id)

    def audit_log(self, poll_id: int) -> list[AuditEntry]:
        return self.polls.audit_log(poll_id)

    def change_token(self, poll_id: int) -> str:
        return self.polls.change_token(poll_id)

    def lock_info(self, poll_id: int) -> tuple[str, str] | None:
        return self.polls.lock_info(poll_id)

    def open_count(self, poll_id: int, actor: str = "", mode: str = "entries") -> None:
        self.polls.open_count(poll_id, actor, mode)
        self.anchors.after(poll_id, words.ACTION[Action.OPEN])

    def close_count(self, poll_id: int, actor: str = "", reason: str = "") -> None:
        self.polls.close_count(poll_id, actor, reason)
        self.anchors.after(poll_id, words.ACTION[Action.CLOSE])

    def reopen_count(self, poll_id: int, reason: str, actor: str = "") -> None:
        self.polls.reopen_count(poll_id, reason, actor)
        self.anchors.after(poll_id, words.ACTION[Action.REOPEN])

    def lock(self, poll_id: int, actor: str = "") -> str:
        """closed → locked, forever (``Polls.lock``); returns the audit head hash.

        Then backs the database up (``backup(poll_id=…)``) and asks for the automatic
        backup to the second folder; a failed backup is logged as a warning and neither
        undoes nor fails the lock.
        """
        head = self.polls.lock(poll_id, actor)
        try:
            self.backup(poll_id=poll_id)
        except Exception:
            log.warning(
                "Đã khóa đợt lấy phiếu số %s nhưng không sao lưu tự động được.",
                poll_id,
                exc_info=True,
            )
        self.anchors.after(poll_id, words.ACTION[Action.LOCK])
        return head

    def create_demo(self, actor: str = "minh họa", pin: str | None = None) -> int:
        return self.polls.create_demo(actor, pin)

    def ensure_demo(self, actor: str = "minh họa", pin: str | None = None) -> int | None:
        return self.polls.ensure_demo(actor, pin)

    # -- Ballots (counting) -----------------------------------------------------

    # fmt: off
    def add_ballot(
        self, poll_id: int, marks: str, station: str = "", entered_by: str = "",
        source: tuple[str, int] | None = None,
    ) -> StoredBallot:
        stored = self.counting.add_ballot(poll_id, marks, station, entered_by, source)
        self.anchors.after(poll_id, f"phiếu {stored.entry_no}", stored.entry_no)
        return stored
    # fmt: on

    def void_ballot(self, poll_id: int, entry_no: int, reason: str, actor: str = "") -> None:
        self.counting.void_ballot(poll_id, entry_no, reason, actor)

    # fmt: off
    def correct_ballot(
        self, poll_id: int, entry_no: int, marks: str, reason: str, station: str = "",
        actor: str = "",
    ) -> StoredBallot:
        stored = self.counting.correct_ballot(poll_id, entry_no, marks, reason, station, actor)
        self.anchors.after(poll_id, f"phiếu {stored.entry_no}", stored.entry_no)
        return stored
    # fmt: on

    def set_totals(
        self, poll_id: int, totals: list[dict[str, int]], invalid: int = 0, actor: str = ""
    ) -> None:
        self.counting.set_totals(poll_id, totals, invalid, actor)

    def desk(self, poll_id: int, recent: int = 10) -> Desk:
        return self.counting.desk(poll_id, recent)

    def ballots(self, poll_id: int, include_voided: bool = True) -> list[StoredBallot]:
        return self.counting.ballots(poll_id, include_voided)

    def recent_ballots(self, poll_id: int, limit: int = 10) -> list[StoredBallot]:
        return self.counting.recent_ballots(poll_id, limit)

    def ballot(self, poll_id: int, entry_no: int) -> StoredBallot | None:
        return self.counting.ballot(poll_id, entry_no)

    def ballot_count(self, poll_id: int) -> int:
        return self.counting.ballot_count(poll_id)

    # -- Stacks (stacks) -------------------------------------------------------

    def add_stack(self, poll_id: int, label: str, size: int | None = None, actor: str = "") -> int:
        return self.stacks.add_stack(poll_id, label, size, actor)

    def start_pass(
        self, poll_id: int, stack_no: int, typist: str, station: str = "", client: str = ""
    ) -> int:
        return self.stacks.start_pass(poll_id, stack_no, typist, station, client)

    # fmt: off
    def add_pass_ballot(
        self, poll_id: int, stack_no: int, pass_no: int, marks: str,
        source: tuple[str, int] | None = None,
    ) -> StoredBallot:
        stored = self.stacks.add_pass_ballot(poll_id, stack_no, pass_no, marks, source)
        where = f"xấp {stack_no}, lần {pass_no}, phiếu {stored.entry_no}"
        self.anchors.after(poll_id, where, stored.entry_no)
        return stored
    # fmt: on

    def finish_pass(self, poll_id: int, stack_no: int, pass_no: int, actor: str = "") -> None:
        self.stacks.finish_pass(poll_id, stack_no, pass_no, actor)

    # fmt: off
    def decide(
        self, poll_id: int, stack_no: int, place: str, chosen_pass: int | None,
        marks: str | None, reason: str, actor: str = "",
    ) -> None:
        self.stacks.decide(poll_id, stack_no, place, chosen_pass, marks, reason, actor)
    # fmt: on

    def send_back(self, poll_id: int, stack_no: int, reason: str, actor: str = "") -> None:
        self.stacks.send_back(poll_id, stack_no, reason, actor)

    def stack_summary(self, poll_id: int) -> StackSummary:
        return self.stacks.stack_summary(poll_id)

    # -- KeptCounts (counts) ----------------------------------------------------

    def entry_counts(self, poll_id: int) -> Counts | None:
        return self.counts.entry_counts(poll_id)

    # -- Archive (archive) ------------------------------------------------------

    def export_data(self, poll_id: int) -> dict:
        return self.archive.export_data(poll_id)

    def import_file(
        self, text: str | bytes, actor: str = "", file_name: str = "", source: str = ""
    ) -> int:
        return self.archive.import_file(text, actor, file_name, source)

    def import_data(
        self, data: dict, actor: str = "", file_name: str = "", source: str = ""
    ) -> int:
        return self.archive.import_data(data, actor, file_name, source)

    def provenance(self, poll_id: int) -> Provenance | None:
        return self.archive.provenance(poll_id)

    # -- Access (access) --------------------------------------------------------

    def set_pin(self, poll_id: int, pin: str, actor: str = "") -> None:
        self.access.set_pin(poll_id, pin, actor)

    def set_admin_pin(self, pin: str) -> None:
        self.access.set_admin_pin(pin)

    def has_pin(self, poll_id: int) -> bool:
        return self.access.has_pin(poll_id)

    def pin_digits(self, poll_id: int) -> int | None:
        return self.access.pin_digits(poll_id)

    def admin_digits(self) -> int | None:
        return self.access.admin_digits()

    def check_pin(self, poll_id: int, pin: str, client: str = "") -> bool:
        return self.access.check_pin(poll_id, pin, client)

    def check_admin_pin(self, pin: str, client: str = "") -> bool:
        return self.access.check_admin_pin(pin, client)

    # -- Backups (backups) ------------------------------------------------------

    def default_backup_path(self, poll_id: int | None = None, label: str = "") -> Path:
        return self.backups.default_backup_path(poll_id, label)

    def backup(
        self, dest: str | Path | None = None, *, poll_id: int | None = None, label: str = ""
    ) -> Path:
        return self.backups.backup(dest, poll_id=poll_id, label=label)

    def restore(self, src: str | Path) -> Path:
        return self.backups.restore(src)

    # -- Verifier (verifier) ----------------------------------------------------

    def verify(self, poll_id: int | None = None) -> VerifyReport:
        return self.verifier.verify(poll_id)

    def verify_cached(self, poll_id: int) -> VerifyReport:
        return self.verifier.verify_cached(poll_id)

    # -- Anchors (anchors) ------------------------------------------------------

    def backup_folder(self, poll_id: int) -> FolderSetting:
        return self.anchors.backup_folder(poll_id)

    def set_backup_folder(
        self, poll_id: int, folder: str, every: int = DEFAULT_EVERY, actor: str = ""
    ) -> FolderSetting:
        return self.anchors.set_backup_folder(poll_id, folder, every, actor)

    def wait_for_backups(self, timeout: float | None = None) -> bool:
        return self.anchors.wait_for_backups(timeout)

    def backup_outcome(self, poll_id: int) -> BackupOutcome | None:
        return self.anchors.backup_outcome(poll_id)

    def backup_warning(self, poll_id: int) -> str | None:
        return self.anchors.backup_warning(poll_id)

    def chain_marks(self, poll_id: int) -> list[AuditEntry]:
        return self.anchors.chain_marks(poll_id)

    def check_backups(
        self, poll_id: int | None = None, folders: tuple[str | Path, ...] = ()
    ) -> AnchorCheck:
        return self.anchors.check_backups(poll_id, folders)

    def verify_anchored(
        self, poll_id: int | None = None, folders: tuple[str | Path, ...] = ()
    ) -> VerifyReport:
        return self.anchors.verify_anchored(poll_id, folders)

    def verify_anchored_cached(self, poll_id: int) -> VerifyReport:
        return self.anchors.verify_anchored_cached(poll_id)


# The service behind each public method of the Store, for its docstring (``lock`` has its
# own) and for tests/test_architecture.py, which checks the signatures agree. A long
# signature is written here on as few lines as fit (``fmt: off``): the service's own,
# one parameter a line, is the one to read.
SERVICES = {
    "polls": Polls, "counting": Ballots, "stacks": Stacks, "scans": Scans,
    "counts": KeptCounts, "archive": Archive, "rule_library": RuleLibrary, "access": Access,
    "backups": Backups, "verifier": Verifier, "anchors": Anchors,
}  # fmt: skip
DELEGATES = {
    name: service
    for service in SERVICES.values()
    for name in vars(service)
    if not name.startswith("_") and name in vars(Store)
}


def _copy_docstrings() -> None:
    for name, service in DELEGATES.items():
        method = vars(Store)[name]
        method.__doc__ = method.__doc__ or vars(service)[name].__doc__


_copy_docstrings()
