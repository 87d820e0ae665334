"""Every page opens by its URL with no "Page not found" (issue 13 point 18, issue 15 point 6).

Each page gets its own fresh server; the page is opened by URL in ten fresh browser
contexts, the first right after the start (the session Streamlit used to get wrong). Each
tab's websocket frames are decoded: no ``page_not_found`` message may reach the browser,
and no dialog may be in the page.
"""

from __future__ import annotations

import time

import pytest
from browser_support import new_page
from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.browser
TABS = 10
LOADED_MS = 120_000  # a page's first run on a loaded 2-core machine
PAGES = {  # URL path → a text only that page shows
    "": "Kiểm phiếu",
    "kiem-phieu": "Kiểm phiếu",
    "thiet-lap": "Thiết lập cuộc kiểm phiếu",
    "trinh-chieu": "KẾT QUẢ TẠM THỜI",
    "ket-qua": "Kết quả kiểm phiếu",
    "tong-hop": "Tổng hợp kết quả",
    "quet-phieu": "Quét phiếu",
}


def record_messages(page: Page) -> list[str]:
    """The kinds of Streamlit message the page's websocket receives, as they arrive."""
    kinds: list[str] = []

    def on_socket(socket) -> None:
        def on_frame(payload) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                message.ParseFromString(payload)
                kinds.append(message.WhichOneof("type"))

        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    return kinds


def check_page(page: Page, kinds: list[str], path: str) -> None:
    """The page shows its own screen, got no page_not_found message and shows no dialog.

    Not wait_ready: the hall screen's and the results' fragments rerun on timers, and on
    a loaded machine the script is seldom seen idle (the old timeout). The first run's end is
    its script_finished frame; a page_not_found frame would come before it.
    """
    expect(page.get_by_text(PAGES[path]).first).to_be_visible(timeout=LOADED_MS)
    deadline = time.monotonic() + LOADED_MS / 1000
    while "script_finished" not in kinds:  # Playwright delivers frames while it waits
        assert time.monotonic() < deadline, f"no script_finished frame: {kinds}"
        page.wait_for_timeout(100)
    assert "page_not_found" not in kinds
    assert page.get_by_test_id("stDialog").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.outside_requests == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "root" for p in PAGES])
def test_a_page_opened_by_url_in_ten_fresh_tabs_never_shows_page_not_found(app, browser, path):
    """/{path}?poll=1 opened in ten fresh browser contexts, one after the other, the first
    right after the server starts: each shows its page, gets no page_not_found message and
    shows no dialog."""
    for _ in range(TABS):
        page = new_page(browser)  # a page of its own, new browser context
        page.set_default_timeout(LOADED_MS)
        try:
            kinds = record_messages(page)
            page.goto(f"{app.url}/{path}?poll=1", wait_until="commit")
            check_page(page, kinds, path)
        finally:
            page.close()  # one session at a time: a hall screen reruns twice a second
