"""Migration 0013_scan_images: the image files of every confirmed scanned batch, kept with
the poll, as released: never edit it.

One row an image file: its poll, SHA-256 (the key: a file uploaded twice is kept once),
name as uploaded, media type, size and bytes, the batch that brought it and when. The
``scan`` audit entry of its batch lists the same hash, so ``verify`` finds an image
deleted or changed by hand. The table is append-only and refuses rows added to a locked
poll, like the ballots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinnhiem.storage.schema_stacks import locked_append_only_triggers

if TYPE_CHECKING:
    from sqlite_utils import Database

_TABLE = """
CREATE TABLE scan_images (
    poll_id INTEGER NOT NULL REFERENCES polls(id),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size = length(data)),
    data BLOB NOT NULL,
    batch TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (poll_id, sha256)
);
"""


def scan_image_triggers() -> str:
    """Append-only, and nothing added to a locked poll."""
    return locked_append_only_triggers(("scan_images",))


def scan_images(db: Database) -> None:
    db.executescript(_TABLE + scan_image_triggers())


SCAN_IMAGE_TRIGGER_NAMES = tuple(line.split()[2] for line in scan_image_triggers().splitlines())
