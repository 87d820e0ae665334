"""A scanned batch as ballots (tinnhiem.scanning.batch) and its record in the audit log
(Scans): pages joined by serial and page, doubts replaced by decisions, gaps refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tinnhiem import problems as P
from tinnhiem.demo import demo_poll
from tinnhiem.scanning.batch import ScannedPage, ballots, doubts
from tinnhiem.scanning.reader import NOT_A_BALLOT, READ, PageReading
from tinnhiem.storage import BallotRefused, Store, WrongState

SHA = "ab" * 32


def page(n: int, of: int, entry: str, serial: str | None = None, file: str = "a.png"):
    doubtful = [k for k, c in enumerate(entry, start=1) if c == "?"]
    reading = PageReading(READ, n, of, serial, entry, doubtful, layout="0000AAAA")
    return ScannedPage(file, n, SHA, reading)


def test_pages_without_serial_join_in_the_order_they_follow():
    """Page 1 then 2 of a two-page ballot are one ballot; the next page 1 starts another."""
    pages = [page(1, 2, "12"), page(2, 2, "30"), page(1, 2, "33"), page(2, 2, "11")]
    assert ballots(pages, {}) == (["1230", "3311"], [])


def test_pages_with_a_serial_join_by_serial_in_page_order():
    """Pages of serial 001 and 002 shuffled are joined by serial, page 1 before page 2."""
    pages = [page(2, 2, "30", "001"), page(1, 2, "12", "002"), page(1, 2, "21", "001"),
             page(2, 2, "00", "002")]  # fmt: skip
    assert ballots(pages, {}) == (["2130", "1200"], [])


def test_a_doubt_is_replaced_by_its_decision_and_stays_until_decided():
    """``?`` rows are listed in order; a decided one takes its digit, an undecided stays."""
    pages = [page(1, 1, "1?2"), page(1, 1, "?0?", file="b.png")]
    assert doubts(pages) == [(0, 2), (1, 1), (1, 3)]
    assert ballots(pages, {(0, 2): "3", (1, 1): "0"})[0] == ["132", "00?"]


def test_a_ballot_missing_a_page_is_left_out_and_named():
    """A two-page ballot of which only page 1 was scanned is a problem (P08), not a ballot;
    pages not read are no ballots at all."""
    other = ScannedPage("x.png", 1, SHA, PageReading(NOT_A_BALLOT, message="…"))
    entries, problems = ballots([page(1, 2, "12"), other, page(1, 1, "3")], {})
    assert entries == ["3"]
    assert P.BALLOT_INCOMPLETE.code == "P08"
    assert problems == [str(P.BALLOT_INCOMPLETE(where="a.png, trang 1", pages=2, found="1"))]


def test_a_page_scanned_twice_is_named():
    """The same serial's page twice in a batch (scanned twice) is a problem (P09)."""
    entries, problems = ballots([page(1, 1, "12", "007"), page(1, 1, "12", "007")], {})
    assert P.BALLOT_TWICE.code == "P09"
    assert entries == [] and problems == [str(P.BALLOT_TWICE(where="a.png, trang 1", page=1))]


@pytest.fixture
def counting(tmp_path):
    store = Store(tmp_path / "t.db")
    poll_id = store.create_poll(replace(demo_poll(None), entries=None), pin="2468")
    store.open_count(poll_id)
    yield store, poll_id
    store.close()


def test_a_batch_is_logged_with_its_hashes_and_decisions(counting):
    """A batch's record is one ``scan`` entry of the chain, numbered, read back as logged;
    the chain still verifies."""
    store, poll_id = counting
    decision = {"page": 1, "row": 2, "decided": "1", "by": "Lê Thu", "at": "2026-12-02T06:00:00"}
    record = {"images": [{"name": "a.png", "sha256": SHA}], "decisions": [decision]}
    store.scans.record_batch(poll_id, record, "Lê Thu")
    store.scans.record_batch(poll_id, {**record, "decisions": []}, "Lê Thu")
    first, second = store.scans.scan_batches(poll_id)
    assert first == {"batch_no": 1, **record} and second["batch_no"] == 2
    assert store.audit_log(poll_id)[-1].action == "scan"
    assert store.verify(poll_id).ok


@pytest.mark.parametrize(
    "record",
    [
        {"images": [], "decisions": []},
        {"images": [{"sha256": "short"}], "decisions": []},
        {"images": [{"sha256": SHA}], "decisions": [{"page": 1, "row": 2}]},
        {"images": [{"sha256": SHA}]},
    ],
)
def test_a_batch_without_hashes_or_with_a_decision_lacking_who_is_refused(counting, record):
    """No image, a hash that is not SHA-256, a decision without row, what or who: refused."""
    store, poll_id = counting
    with pytest.raises(BallotRefused):
        store.scans.record_batch(poll_id, record)
    assert store.scans.scan_batches(poll_id) == []


def test_a_batch_confirmed_again_is_logged_once(counting):
    """The same batch token logged twice (a confirm retried after a failure) is one entry."""
    store, poll_id = counting
    record = {"batch": "t1", "images": [{"sha256": SHA}], "decisions": []}
    store.scans.record_batch(poll_id, record)
    store.scans.record_batch(poll_id, record)
    store.scans.record_batch(poll_id, {**record, "batch": "t2"})
    assert [b["batch"] for b in store.scans.scan_batches(poll_id)] == ["t1", "t2"]


def test_a_batch_is_logged_only_while_counting(tmp_path):
    """Before the count opens, no batch can be logged."""
    store = Store(tmp_path / "t.db")
    poll_id = store.create_poll(replace(demo_poll(None), entries=None), pin="2468")
    with pytest.raises(WrongState):
        store.scans.record_batch(poll_id, {"images": [{"sha256": SHA}], "decisions": []})
    store.close()


def _image(name: str, data: bytes):
    import hashlib

    from tinnhiem.storage.scans import ScanImage

    return ScanImage(hashlib.sha256(data).hexdigest(), name, "image/png", data)


def test_a_batchs_image_files_are_kept_with_its_entry_once(counting):
    """The files of a confirmed batch are kept byte for byte with its ``scan`` entry; a
    confirm retried keeps them once; the chain verifies."""
    store, poll_id = counting
    files = [_image("a.png", b"\x89PNG first"), _image("b.png", b"\x89PNG second")]
    record = {"batch": "t1", "images": [{"name": f.name, "sha256": f.sha256} for f in files],
              "decisions": []}  # fmt: skip
    store.scans.record_batch(poll_id, record, "Lê Thu", files)
    store.scans.record_batch(poll_id, record, "Lê Thu", files)
    assert store.scans.images(poll_id) == {f.sha256: f for f in files}
    [logged] = store.scans.scan_batches(poll_id)
    assert logged["images_kept"] is True
    assert store.verify(poll_id).ok


def test_a_file_not_matching_its_listed_hash_is_refused_with_nothing_logged(counting):
    """A file whose bytes are not the listed SHA-256, or one the record does not list:
    refused, and neither the entry nor any file is kept."""
    store, poll_id = counting
    good = _image("a.png", b"\x89PNG first")
    record = {"images": [{"name": "a.png", "sha256": good.sha256}], "decisions": []}
    for bad in (replace(good, data=b"\x89PNG other"), _image("c.png", b"unlisted")):
        with pytest.raises(BallotRefused) as refused:
            store.scans.record_batch(poll_id, record, "Lê Thu", [good, bad])
        assert str(refused.value) == str(P.REGISTRY["P12"](file=bad.name))
        assert str(refused.value).startswith(f"{bad.name}: không khớp với mã SHA-256")
    assert store.scans.scan_batches(poll_id) == [] and store.scans.images(poll_id) == {}


@pytest.mark.parametrize("edit", ["delete", "change"])
def test_verify_names_a_kept_image_deleted_or_changed_by_hand(counting, edit):
    """Raw SQL past the triggers: a deleted image (P10) or changed bytes (P11) make verify
    fail naming the file and its batch."""
    import sqlite3

    from tinnhiem.storage.schema_scans import SCAN_IMAGE_TRIGGER_NAMES

    store, poll_id = counting
    file = _image("phiếu 1.png", b"\x89PNG first")
    record = {"images": [{"name": file.name, "sha256": file.sha256}], "decisions": []}
    store.scans.record_batch(poll_id, record, "Lê Thu", [file])
    conn = sqlite3.connect(store.path, isolation_level=None)
    for name in SCAN_IMAGE_TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER {name}")
    if edit == "delete":
        conn.execute("DELETE FROM scan_images")
    else:
        conn.execute("UPDATE scan_images SET data = ?", (b"\x89PNG firsT",))  # same size
    conn.close()
    report = store.verify(poll_id)
    code = P.SCAN_IMAGE_MISSING if edit == "delete" else P.SCAN_IMAGE_CHANGED
    assert code.code == {"delete": "P10", "change": "P11"}[edit]
    expected = str(code(file="phiếu 1.png", batch=1))
    assert not report.ok and any(expected in problem for problem in report.problems)


def test_a_locked_polls_images_cannot_be_added_or_changed(counting):
    """The triggers: no image added to a locked poll, none updated or deleted ever."""
    import sqlite3

    store, poll_id = counting
    file = _image("a.png", b"\x89PNG first")
    record = {"images": [{"name": "a.png", "sha256": file.sha256}], "decisions": []}
    store.scans.record_batch(poll_id, record, "Lê Thu", [file])
    conn = sqlite3.connect(store.path, isolation_level=None)
    for sql in ("UPDATE scan_images SET name = 'x'", "DELETE FROM scan_images"):
        with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
            conn.execute(sql)
    store.close_count(poll_id, reason="Phiếu còn lại đã được kiểm bằng tay")
    store.lock(poll_id)
    other = _image("b.png", b"\x89PNG second")
    with pytest.raises(sqlite3.IntegrityError, match="đã khóa"):
        conn.execute(
            "INSERT INTO scan_images VALUES (?, ?, 'b.png', 'image/png', ?, ?, 't', 'x')",
            (poll_id, other.sha256, len(other.data), other.data),
        )
    conn.close()
    assert list(store.scans.images(poll_id)) == [file.sha256]


def test_verify_cached_going_on_checks_the_images_of_a_batch_logged_since(counting, monkeypatch):
    """While counting, verify_cached carries on over a new ``scan`` entry (no full verify)
    and checks that batch's images: kept ones pass, one the entry says is kept but is not
    is P10; only the new batch's images are read."""
    from tinnhiem.storage import scans, verify

    store, poll_id = counting
    assert store.verify_cached(poll_id).ok
    read: list[set | None] = []
    real_kept, real_go_on = scans.kept_images, verify._go_on
    went_on: list[bool] = []

    def kept(conn, number, only=None):
        read.append(only)
        return real_kept(conn, number, only)

    def go_on(*args):
        found = real_go_on(*args)
        went_on.append(found is not None)
        return found

    monkeypatch.setattr(scans, "kept_images", kept)
    monkeypatch.setattr(verify, "_go_on", go_on)
    first = _image("a.png", b"\x89PNG first")
    record = {"batch": "t1", "images": [{"name": "a.png", "sha256": first.sha256}], "decisions": []}
    store.scans.record_batch(poll_id, record, "Lê Thu", [first])
    assert store.verify_cached(poll_id).ok
    assert went_on == [True] and read == [{first.sha256}]
    claimed = {"batch": "t2", "images": [{"name": "b.png", "sha256": SHA}], "decisions": [],
               "images_kept": True}  # fmt: skip
    store.scans.record_batch(poll_id, claimed, "Lê Thu")
    report = store.verify_cached(poll_id)
    assert went_on == [True, True] and read[-1] == {SHA}
    assert not report.ok
    assert report.problems == (str(P.SCAN_IMAGE_MISSING(file="b.png", batch=2)),)
