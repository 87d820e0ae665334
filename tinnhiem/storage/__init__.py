"""The store: the one package that speaks SQL (SQLite through sqlite-utils' migrations).

Callers import everything from here; the modules are:

- ``errors``: StoreError and its kinds, each a Vietnamese sentence for the user;
- ``records``: the plain data the store hands out (PollSummary, Desk, StoredBallot, AuditEntry,
  VerifyReport) and the setting of a poll as the audit log records it;
- ``chain``: canonical JSON, entry hashes and the checks of a poll against its chain (pure);
- ``schema``: migrations and the triggers that refuse writes to a locked poll;
- ``connections``: connections with durable settings, one transaction per call;
  ``opening``: a file opened, refused when not ours, brought up to date;
- ``rows``: reading and writing a poll's rows inside a transaction;
- ``moves``: the life cycle's moves (``tinnhiem.lifecycle``) inside a transaction;
- ``store``: the Store, a facade over one service per job, each made with what it needs:
  ``polls`` (polls and their life cycle), ``counting`` (ballots and totals),
  ``kept_counts`` (the counts kept between calls), ``archive`` (poll files), ``access``
  (the PINs), ``backup`` (backups and restore), ``verify`` (the chains checked).
"""

from tinnhiem.storage.chain import GENESIS_HASH, canonical_json, check_snapshot, entry_hash
from tinnhiem.storage.connections import BUSY_TIMEOUT_S
from tinnhiem.storage.errors import (
    AlreadyStored,
    BallotRefused,
    NotOurDatabase,
    PinLocked,
    PollLocked,
    PollNotFound,
    SetupInvalid,
    StorageUnavailable,
    StoreError,
    WrongState,
)
from tinnhiem.storage.records import (
    MODES,
    AuditEntry,
    Desk,
    PollSummary,
    StoredBallot,
    VerifyReport,
    poll_of,
    setting_of,
)
from tinnhiem.storage.schema import MIGRATION_SET, TRIGGER_NAMES
from tinnhiem.storage.store import DEFAULT_DB, Store, default_db_path

__all__ = [
    "BUSY_TIMEOUT_S",
    "DEFAULT_DB",
    "GENESIS_HASH",
    "MIGRATION_SET",
    "MODES",
    "TRIGGER_NAMES",
    "AlreadyStored",
    "AuditEntry",
    "BallotRefused",
    "Desk",
    "NotOurDatabase",
    "PinLocked",
    "PollLocked",
    "PollNotFound",
    "PollSummary",
    "SetupInvalid",
    "StorageUnavailable",
    "Store",
    "StoreError",
    "StoredBallot",
    "VerifyReport",
    "WrongState",
    "canonical_json",
    "check_snapshot",
    "default_db_path",
    "entry_hash",
    "poll_of",
    "setting_of",
]
