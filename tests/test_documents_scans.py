"""The minutes list every scanned ballot image with its SHA-256 (documents.scan_section),
read back from the PDF and the Word file made by `tinnhiem minutes --db`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from document_reading import docx_text, flat, pdf_text

from tinnhiem.cli import main
from tinnhiem.storage import Store

NAME = "*đậm* ![x](u).jpg"  # a file name is text, never markup


def test_the_minutes_list_each_scanned_image_with_its_hash(tmp_path: Path, capsys) -> None:
    """Two batches of images logged: the appendix names every file, its batch, its pages
    and its SHA-256, in the PDF and in the DOCX; a poll with no scan has no such list."""
    db = tmp_path / "tinnhiem.db"
    store = Store(db)
    poll_id = store.create_demo(pin="2468")
    plain_id = store.create_demo(pin="2468")
    digests = [hashlib.sha256(name.encode()).hexdigest() for name in ("a", "b", "c")]
    batches = ([(NAME, digests[0], 2), ("lo2-1.png", digests[1], 1)], [("lo3.pdf", digests[2], 4)])
    for images in batches:
        record = {
            "images": [{"name": n, "sha256": d, "pages": p} for n, d, p in images],
            "decisions": [],
        }
        store.scans.record_batch(poll_id, record, actor="Trịnh Văn Sơn")
    store.close()
    for suffix, read in ((".pdf", pdf_text), (".docx", docx_text)):
        out = tmp_path / f"bb{suffix}"
        assert main(["minutes", str(poll_id), "--db", str(db), "-o", str(out)]) == 0
        text = flat(read(out.read_bytes()))
        assert "Ảnh phiếu đã quét" in text and "3 tệp ảnh được máy đọc" in text
        assert all(digest in text for digest in digests)
        assert NAME in text and "lo3.pdf" in text
        other = tmp_path / f"plain{suffix}"
        assert main(["minutes", str(plain_id), "--db", str(db), "-o", str(other)]) == 0
        assert "Ảnh phiếu đã quét" not in flat(read(other.read_bytes()))
    capsys.readouterr()
