"""Every page opens by its URL with no "Page not found" (issue 13 point 18, issue 15 point 6).

Each page gets its own fresh server; the page is opened by URL in ten fresh browser
contexts, the first right after the start (the session Streamlit used to get wrong). Each
tab's websocket frames are decoded: no ``page_not_found`` message may reach the browser,
and no dialog may be in the page.
"""

from __future__ import annotations

import pytest
from browser_support import new_page, wait_ready
from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.browser
TABS = 10
PAGES = {  # URL path → a text only that page shows
    "": "Kiểm phiếu",
    "kiem-phieu": "Kiểm phiếu",
    "thiet-lap": "Thiết lập cuộc kiểm phiếu",
    "trinh-chieu": "KẾT QUẢ TẠM THỜI",
    "ket-qua": "Kết quả kiểm phiếu",
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


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "root" for p in PAGES])
def test_a_page_opened_by_url_in_ten_fresh_tabs_never_shows_page_not_found(app, browser, path):
    """/{path}?poll=1 opened in ten fresh browser contexts, the first right after the server
    starts: each shows its page, gets no page_not_found message and shows no dialog."""
    for _ in range(TABS):
        page = new_page(browser)  # a page of its own, new browser context
        try:
            kinds = record_messages(page)
            page.goto(f"{app.url}/{path}?poll=1")
            wait_ready(page)
            expect(page.get_by_text(PAGES[path]).first).to_be_visible()
            assert "script_finished" in kinds  # the frames were seen
            assert "page_not_found" not in kinds
            assert page.get_by_test_id("stDialog").count() == 0
            assert page.get_by_text("Page not found").count() == 0
            assert page.outside_requests == []  # type: ignore[attr-defined]
        finally:
            page.close()
