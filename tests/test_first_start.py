"""The first browser session after the server starts may open any page by its URL."""

from __future__ import annotations

import pytest
from browser_support import new_page, wait_ready
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"), [("trinh-chieu", "KẾT QUẢ TẠM THỜI"), ("ket-qua", "Kết quả kiểm phiếu")]
)
def test_first_session_opens_a_page_by_url_without_page_not_found(app, browser, path, heading):
    """Opened first after a start, a page's URL shows that page and no 'Page not found'."""
    page = new_page(browser)
    page.goto(f"{app.url}/{path}?poll=1")
    wait_ready(page)
    expect(page.get_by_text(heading).first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1500)  # the dialog, when it comes, follows the first script run
    assert page.get_by_text("Page not found").count() == 0
    assert page.outside_requests == []
