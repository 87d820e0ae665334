"""The image files of a confirmed scanned batch, kept with the poll (migration 0013)."""

import hashlib
import sqlite3
from dataclasses import replace

import pytest

from tinnhiem.demo import demo_poll
from tinnhiem.storage import Store
from tinnhiem.storage.errors import BallotRefused
from tinnhiem.storage.scans import ScanImage

DATA = b"\x89PNG fake scan bytes"
SHA = hashlib.sha256(DATA).hexdigest()
RECORD = {"batch": "t1", "images": [{"name": "a.png", "sha256": SHA}], "decisions": []}
IMAGE = ScanImage(SHA, "a.png", "image/png", DATA)


@pytest.fixture
def counting(tmp_path):
    store = Store(tmp_path / "t.db")
    poll_id = store.create_poll(replace(demo_poll(None), entries=None), pin="2468")
    store.open_count(poll_id)
    yield store, poll_id, tmp_path / "t.db"
    store.close()


def test_the_image_is_kept_with_its_batch_once(counting):
    """A confirmed batch keeps its image bytes; confirming it again keeps nothing twice."""
    store, poll_id, path = counting
    store.scans.record_batch(poll_id, RECORD, "Lê Thu", [IMAGE])
    store.scans.record_batch(poll_id, RECORD, "Lê Thu", [IMAGE])
    assert store.scans.images(poll_id) == {SHA: IMAGE}
    assert len(store.scans.scan_batches(poll_id)) == 1
    assert store.verify(poll_id).ok


def test_an_image_not_matching_its_hash_stores_nothing(counting):
    """Bytes that do not hash to the listed SHA-256: refused, neither entry nor image kept."""
    store, poll_id, path = counting
    with pytest.raises(BallotRefused):
        store.scans.record_batch(poll_id, RECORD, "", [replace(IMAGE, data=b"other")])
    assert store.scans.images(poll_id) == {} and store.scans.scan_batches(poll_id) == []


def test_raw_sql_cannot_change_or_delete_a_kept_image(counting):
    """The triggers refuse UPDATE and DELETE on scan_images whoever writes."""
    store, poll_id, path = counting
    store.scans.record_batch(poll_id, RECORD, "", [IMAGE])
    conn = sqlite3.connect(path)
    for sql in ("UPDATE scan_images SET data = x'00'", "DELETE FROM scan_images"):
        with pytest.raises(sqlite3.DatabaseError, match="chỉ được ghi thêm"):
            conn.execute(sql)
    conn.close()


def test_verify_names_a_deleted_or_changed_image(counting):
    """With the triggers dropped, a deleted image is P10 and a changed one P11, by name."""
    store, poll_id, path = counting
    store.scans.record_batch(poll_id, RECORD, "", [IMAGE])
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER scan_images_no_update")
    conn.execute("UPDATE scan_images SET data = ?, size = 5", (b"xxxxx",))
    conn.commit()
    assert any("a.png" in p and "khớp" in p for p in store.verify(poll_id).problems)  # "P11"
    conn.execute("DROP TRIGGER scan_images_no_delete")
    conn.execute("DELETE FROM scan_images")
    conn.commit()
    conn.close()
    assert any("a.png" in p and "bị xóa" in p for p in store.verify(poll_id).problems)  # "P10"
