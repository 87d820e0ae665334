"""The scanned images of a poll as one ZIP (documents.images_zip) and its download on the
results page (downloads_view): each image byte for byte in its batch's folder, names safe on
every system, SHA256SUMS that ``sha256sum -c`` accepts, the list readable in Excel."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tinnhiem import documents
from tinnhiem.demo import demo_poll
from tinnhiem.documents import DocumentError
from tinnhiem.documents.image_archive import LIST, LIST_COLUMNS, SUMS, safe_name
from tinnhiem.documents.record import ScannedImage
from tinnhiem.storage import Store
from tinnhiem.storage.scans import ScanImage
from tinnhiem.ui import downloads_view

RESULTS = str(Path(__file__).resolve().parents[1] / "pages" / "results.py")


def image(name: str, data: bytes) -> ScanImage:
    return ScanImage(hashlib.sha256(data).hexdigest(), name, "image/png", data)


def listed(batch: int, kept: ScanImage) -> ScannedImage:
    return ScannedImage(batch, kept.name, kept.sha256, 1)


def opened(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


def rows(archive: zipfile.ZipFile) -> list[list[str]]:
    text = archive.read(LIST).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_each_image_is_in_its_batchs_folder_byte_for_byte_with_its_hash():
    """Two batches, three images: lo-01/, lo-02/, the bytes as kept, SHA256SUMS, the list."""
    a, b, c = image("phieu-01.png", b"A" * 10), image("phieu-02.jpg", b"B"), image("x.tif", b"C")
    data = documents.images_zip(
        [listed(1, a), listed(1, b), listed(2, c)], {i.sha256: i.data for i in (a, b, c)}
    )
    archive = opened(data)
    assert archive.namelist() == [
        "lo-01/phieu-01.png",
        "lo-01/phieu-02.jpg",
        "lo-02/x.tif",
        SUMS,
        LIST,
    ]
    assert archive.read("lo-01/phieu-01.png") == b"A" * 10
    assert archive.read(SUMS).decode() == (
        f"{a.sha256}  lo-01/phieu-01.png\n{b.sha256}  lo-01/phieu-02.jpg\n{c.sha256}  lo-02/x.tif\n"
    )
    assert rows(archive) == [
        list(LIST_COLUMNS),
        ["1", "lo-01/phieu-01.png", "phieu-01.png", a.sha256, "10"],
        ["1", "lo-01/phieu-02.jpg", "phieu-02.jpg", b.sha256, "1"],
        ["2", "lo-02/x.tif", "x.tif", c.sha256, "1"],
    ]
    # The same images give the same bytes (each click the same file).
    assert data == documents.images_zip(
        [listed(1, a), listed(1, b), listed(2, c)], {i.sha256: i.data for i in (a, b, c)}
    )


def test_sha256sum_checks_the_unpacked_archive(tmp_path):
    """What an office does on receipt: unpack, ``sha256sum -c SHA256SUMS`` — all OK."""
    assert shutil.which("sha256sum")
    a, b = image("Ảnh quét 1.png", b"\x89PNG one"), image("Ảnh quét 1.png", b"\x89PNG two")
    data = documents.images_zip([listed(1, a), listed(1, b)], {a.sha256: a.data, b.sha256: b.data})
    opened(data).extractall(tmp_path)
    done = subprocess.run(
        ["sha256sum", "-c", SUMS], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 2


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ban\\phieu.png", "phieu.png"),
        ('a<b>:"|?*.png', "a_b_.png"),
        ("CON.png", "_CON.png"),
        ("nul", "_nul"),
        ("...", "anh"),
        ("", "anh"),
        (".hidden.png", "hidden.png"),
        ("Phie\u0302\u0301u.png", "Phiếu.png"),  # NFD from a Mac becomes NFC
        ("a\x00b\nc.png", "a_b_c.png"),
    ],
)
def test_a_hostile_or_odd_name_becomes_a_safe_file_name(name, safe):
    assert safe_name(name) == safe


def test_a_long_name_keeps_its_extension():
    assert safe_name("x" * 300 + ".jpeg") == "x" * 115 + ".jpeg"


def test_names_alike_in_a_batch_get_a_number_and_an_image_of_two_batches_is_stored_once():
    """Two uploads named "a.png" (or "A.PNG") in one batch stay two files; an image in two
    batches is stored once and listed twice, both rows naming the one file."""
    a, b, c = image("a.png", b"1"), image("A.PNG", b"2"), image("a.png", b"3")
    kept = {i.sha256: i.data for i in (a, b, c)}
    archive = opened(
        documents.images_zip([listed(1, a), listed(1, b), listed(1, c), listed(2, a)], kept)
    )
    assert archive.namelist()[:3] == ["lo-01/a.png", "lo-01/A-2.PNG", "lo-01/a-3.png"]
    assert [r[1] for r in rows(archive)[1:]] == [
        "lo-01/a.png",
        "lo-01/A-2.PNG",
        "lo-01/a-3.png",
        "lo-01/a.png",
    ]
    assert len(archive.read(SUMS).splitlines()) == 3


def test_a_name_that_would_be_a_formula_is_text_in_the_list():
    a = image("=HYPERLINK(1).png", b"1")
    [_, row] = rows(opened(documents.images_zip([listed(1, a)], {a.sha256: a.data})))
    assert row[2] == "'=HYPERLINK(1).png"


def test_no_image_or_one_not_kept_is_a_vietnamese_refusal():
    a = image("a.png", b"1")
    with pytest.raises(DocumentError, match="chưa có ảnh phiếu quét nào"):
        documents.images_zip([], {})
    with pytest.raises(DocumentError, match=r"Không tìm thấy ảnh a\.png"):
        documents.images_zip([listed(1, a)], {})


@pytest.fixture
def scanned(tmp_path, monkeypatch):
    """A counting poll with one confirmed batch of two kept images, the page's database."""
    path = tmp_path / "t.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    store = Store(path)
    poll_id = store.create_poll(replace(demo_poll(None), entries=None), pin="2468")
    store.open_count(poll_id)
    files = [image("p1.png", b"\x89PNG first"), image("p2.png", b"\x89PNG second")]
    listed_files = [{"name": f.name, "sha256": f.sha256, "pages": 1} for f in files]
    record = {"batch": "t1", "images": listed_files, "decisions": []}
    store.scans.record_batch(poll_id, record, "Lê Thu", files)
    yield store, poll_id, files
    store.close()


def test_the_results_page_offers_the_images_only_when_some_are_kept(scanned):
    """The button "Ảnh phiếu quét (ZIP)" is the eighth download of a poll with kept images;
    the file it makes holds them; a poll without images has no such button."""
    store, poll_id, files = scanned
    at = AppTest.from_file(RESULTS, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.session_state["results.downloads_open"] = True  # counting: the provisional files' box
    at.run()
    labels = [d.label for d in at.get("download_button")]
    assert "Ảnh phiếu quét (ZIP)" in labels and len(labels) == 8
    data = downloads_view.document_bytes(store, poll_id, "images_zip")
    archive = opened(data)
    assert [archive.read(f"lo-01/{f.name}") for f in files] == [f.data for f in files]

    other = store.create_poll(replace(demo_poll(None), entries=None), pin="2468")
    store.open_count(other)
    at.query_params["poll"] = str(other)
    at.run()
    assert "Ảnh phiếu quét (ZIP)" not in [d.label for d in at.get("download_button")]
    assert store.scans.image_count(other) == 0 and store.scans.image_count(poll_id) == 2
