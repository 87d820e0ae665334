"""Downloads from the results page while hall screens (projector pages) are open.

With two projector tabs open, Streamlit's sweep of unreferenced media files (run at the
end of every fragment run of every session) deleted a deferred download's file before the
browser fetched it: HTTP 404 on /media/…, and the browser cancelled the download.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from browser_support import App, new_page, wait_ready
from playwright.sync_api import Browser, expect

from tinnhiem.demo import demo_poll

pytestmark = pytest.mark.browser

# The button's label start → what the file must be.
DOCUMENTS = {
    "Biên bản kiểm phiếu (Word)": "docx",
    "Biên bản kiểm phiếu (PDF)": "pdf",
    "Bảng kết quả (Excel)": "xlsx",
    "Bảng kết quả (CSV)": "csv",
    "Dự thảo nghị quyết": "docx",
    "Phiếu tín nhiệm để in": "pdf",
    "Tệp cuộc kiểm phiếu (JSON": "json",
}


def check_file(kind: str, data: bytes) -> None:
    """``data`` is a whole file of ``kind``: the format's signature and its inner parts."""
    if kind == "pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    elif kind in ("docx", "xlsx"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert ("word/document.xml" if kind == "docx" else "xl/workbook.xml") in names
    elif kind == "csv":
        assert data.startswith(b"\xef\xbb\xbfSTT,") and len(data.splitlines()) > 10
    else:
        assert json.loads(data)["format"] == "tinnhiem/1"


def test_every_document_downloads_ten_times_with_three_hall_screens_open(
    app: App, browser: Browser
):
    """With three projector tabs open, each document downloads at every one of ten clicks,
    whole and of the right type."""
    poll_id = app.store.create_poll(demo_poll(None), pin="246810")
    app.store.open_count(poll_id)
    for ballot in demo_poll(None).entries[:20]:
        app.store.add_ballot(poll_id, ballot, station="Thử", entered_by="Thử")
    first = new_page(browser)
    first.goto(app.url + "/")
    wait_ready(first)
    hall = []
    for _ in range(3):
        screen = new_page(browser)
        screen.goto(f"{app.url}/trinh-chieu?poll={poll_id}", wait_until="commit")
        expect(screen.get_by_text("Đã kiểm", exact=False).first).to_be_visible(timeout=30000)
        hall.append(screen)
    chair = new_page(browser)
    chair.goto(f"{app.url}/ket-qua?poll={poll_id}", wait_until="commit", timeout=90000)
    wait_ready(chair)
    sizes: dict[str, set[int]] = {}
    for label, kind in DOCUMENTS.items():
        button = chair.get_by_role("button", name=label).first
        expect(button).to_be_visible(timeout=30000)
        for _ in range(10):
            with chair.expect_download(timeout=60000) as event:
                button.click()
            download = event.value
            assert download.failure() is None, (label, download.failure())
            path = download.path()
            data = path.read_bytes()
            check_file(kind, data)
            sizes.setdefault(label, set()).add(len(data))
    assert set(sizes) == set(DOCUMENTS)
    for page in (first, chair, *hall):
        assert page.outside_requests == []  # type: ignore[attr-defined]
        page.close()
