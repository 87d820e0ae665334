"""Downloads from the results page while hall screens (projector pages) are open.

A download button's file is made when it is clicked (Streamlit's deferred data) and stored
by Streamlit's media manager without any session referring to it; every script run of any
session, each hall screen's half-second fragment included, sweeps such files (marked at one
sweep, deleted at the next). With two or three projector tabs open the file was gone before
the browser fetched it: HTTP 404 on /media/…, and the browser cancelled the download.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePath

import pytest
from browser_support import App, new_page
from playwright.sync_api import Browser, TimeoutError, expect

from tinnhiem.demo import demo_poll

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Ten clicks a document (70 downloads), as the issue asks: 90 s on this 2-core machine with
# nothing else running (it took 12-25 minutes before the documents were made faster and
# while other work shared the cores). Without the media-slot fix (downloads_view._kept)
# this test failed: a download was cancelled (404).
CLICKS = 10
HALL_SCREENS = 3
# Every download button of the results page of a poll being counted.
BUTTONS = 7


def check_file(suffix: str, data: bytes) -> None:
    """``data`` is a whole file of its type: the format's signature and its inner parts."""
    if suffix == ".pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    elif suffix in (".docx", ".xlsx"):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert ("word/document.xml" if suffix == ".docx" else "xl/workbook.xml") in names
    elif suffix == ".csv":
        assert data.startswith(b"\xef\xbb\xbfSTT,") and len(data.splitlines()) > 10
    else:
        assert suffix == ".json" and json.loads(data)["format"] == "tinnhiem/1"


def test_every_document_downloads_at_every_click_with_three_hall_screens_open(
    app: App, browser: Browser
) -> None:
    """With three projector tabs refreshing, each document of the results page downloads at
    the first try of every one of ten clicks, whole and of its type."""
    poll = demo_poll(20)
    poll_id = app.store.create_poll(poll, pin="246810")
    app.store.open_count(poll_id)
    for ballot in poll.entries:
        app.store.add_ballot(poll_id, ballot, station="Thử", entered_by="Thử")
    hall = []
    for _ in range(HALL_SCREENS):
        screen = new_page(browser)
        screen.goto(f"{app.url}/trinh-chieu?poll={poll_id}", wait_until="commit")
        expect(screen.get_by_text("Đã kiểm", exact=False).first).to_be_visible(timeout=120_000)
        hall.append(screen)
    chair = new_page(browser)
    chair.goto(f"{app.url}/ket-qua?poll={poll_id}", wait_until="commit", timeout=120_000)
    # Not wait_ready: the page's live result reruns every 2 s, and on a loaded machine its
    # script may never be seen idle. The buttons are what the chair waits for.
    chair.get_by_text("Bản tạm thời", exact=False).click(timeout=120_000)  # counting: a box
    buttons = chair.get_by_test_id("stDownloadButton").get_by_role("button")
    expect(buttons).to_have_count(BUTTONS, timeout=120_000)
    names: set[str] = set()
    for number in range(BUTTONS):
        button = buttons.nth(number)
        for click in range(CLICKS):
            try:
                with chair.expect_download(timeout=120_000) as event:
                    button.click()
            except TimeoutError as error:  # say which click, and what the server logged
                logs = "".join(log.read_text()[-3000:] for log in app.folder.glob("server-*"))
                raise AssertionError(f"button {number}, click {click}: {logs}") from error
            download = event.value
            assert download.failure() is None, (download.suggested_filename, download.failure())
            data = download.path().read_bytes()
            check_file(PurePath(download.suggested_filename).suffix, data)
            names.add(download.suggested_filename)
    assert len(names) == BUTTONS, names  # seven different documents
    for screen in hall:  # the hall screens kept refreshing all along
        expect(screen.get_by_text("Đã kiểm", exact=False).first).to_be_visible(timeout=120_000)
    for page in (chair, *hall):
        assert page.outside_requests == []  # type: ignore[attr-defined]
        page.close()
