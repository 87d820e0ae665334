"""The board's PIN in a real browser: what a board member sees typed is what is stored."""

from __future__ import annotations

import pytest
from browser_support import App, new_page, open_new_poll_form, paste_officials, wait_ready
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
PIN = "246810"


def type_then_tab(page: Page, label: str, text: str) -> None:
    """Click a field, type ``text`` key by key, and leave it with Tab (no Enter)."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(text, delay=60)
    page.keyboard.press("Tab")


def test_a_pin_typed_in_both_fields_and_left_with_tab_is_taken(app: App, browser: Browser) -> None:
    """Typing the new poll's PIN in both fields, Tab after each, then the save button stores
    the poll with that PIN (Tab only reaches the field's eye button, which commits nothing)."""
    page = new_page(browser)
    open_new_poll_form(page, app)
    for label, value in (("Tổng số được triệu tập", "15"), ("Có mặt", "14")):
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(label, exact=True).press("Tab")
        wait_ready(page)
    type_then_tab(page, "Mã PIN của ban kiểm phiếu", PIN)
    type_then_tab(page, "Nhập lại mã PIN", PIN)
    paste_officials(page, "Nguyễn Văn An; Chủ tịch")
    page.get_by_role("button", name="Lưu thiết lập").click()
    # The message in the page, not the toast that says it too for a few seconds.
    saved = page.get_by_test_id("stMainBlockContainer").get_by_text("Đã lưu thiết lập.")
    expect(saved).to_be_visible(timeout=15000)
    expect(page.get_by_text("Chưa đặt mã PIN")).to_have_count(0)
    poll_id = max(p.id for p in app.store.list_polls())
    assert app.store.check_pin(poll_id, PIN)
    assert page.outside_requests == []  # type: ignore[attr-defined]
