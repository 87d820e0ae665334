"""Streamlit's own English is not shown: the file uploader's button and size hint and the
officials grid's toolbar tooltips read in Vietnamese (issue 13 point 22 and the walk-through;
tinnhiem/ui/frame.py swaps them with CSS)."""

from __future__ import annotations

import pytest
from browser_support import App, new_page, open_new_poll_form, wait_ready
from playwright.sync_api import Browser, Page, expect

from tinnhiem import words

pytestmark = pytest.mark.browser
ENGLISH = (
    "Upload",
    "200MB per file",
    "Drag and drop file here",
    "Limit 200MB per file",
    "Browse files",
    "Add row",
    "Show/hide columns",
)
# Each text node holding one of ``english``, kept when it takes room on the screen.
_SHOWN = """english => {
  const shown = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!english.some(word => node.textContent.includes(word))) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width > 0.5 && box.height > 0.5) shown.push(node.textContent.trim());
  }
  return shown;
}"""
_AFTER = "e => getComputedStyle(e, '::after').content"


def shown_english(page: Page) -> list[str]:
    """The English strings that take room on the page as it is drawn now."""
    return page.evaluate(_SHOWN, list(ENGLISH))


def test_no_streamlit_english_is_shown_on_the_setup_page(app: App, browser: Browser) -> None:
    """At 1366×768, a new poll's setup page with its import box open shows “Chọn tệp” and
    “hoặc kéo thả tệp vào đây” in the uploaders, and hovering the officials grid's “+”
    shows “Thêm dòng”: none of Streamlit's English takes room on the screen."""
    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_new_poll_form(page, app)
    page.get_by_text("Dán danh sách hoặc nhập từ tệp Excel/CSV").click()
    wait_ready(page)
    uploader = page.get_by_test_id("stFileUploaderDropzone").first
    uploader.scroll_into_view_if_needed()
    button = uploader.get_by_test_id("stBaseButton-secondary").locator("p")
    assert button.evaluate(_AFTER) == f'"{words.UPLOAD_BUTTON}"'
    hint = uploader.get_by_test_id("stFileUploaderDropzoneInstructions").locator("span").first
    assert hint.evaluate(_AFTER) == f'"{words.UPLOAD_HINT}"'
    assert shown_english(page) == []
    page.screenshot(path=str(app.folder / "uploader.png"))
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    # Mid-screen: at the top the toolbar above the grid would sit under Streamlit's header.
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    grid.hover()
    add = page.locator("[data-testid='stBaseButton-elementToolbar'][aria-label='Add row']").first
    add.hover()
    tooltip = page.get_by_test_id("stTooltipContent").locator("p")
    expect(tooltip).to_have_count(1)
    assert tooltip.evaluate(_AFTER) == '"Thêm dòng"'
    assert shown_english(page) == []
    page.screenshot(path=str(app.folder / "toolbar.png"))


def test_the_pin_fields_eye_button_is_named_in_vietnamese(app: App, browser: Browser) -> None:
    """Screen readers hear the PIN field's eye button as "Hiện mã PIN" (then "Ẩn mã PIN"),
    not Streamlit's "Show password"."""
    poll_id = app.store.create_demo(pin="1234")
    page = new_page(browser)
    page.goto(f"{app.url}/?poll={poll_id}")
    field = page.get_by_label("Mã PIN của ban kiểm phiếu", exact=True)
    expect(field).to_be_visible(timeout=30000)
    eye = page.get_by_role("button", name="Hiện mã PIN")
    expect(eye).to_have_count(1, timeout=15000)
    assert page.locator("button[aria-label='Show password']").count() == 0
    eye.click()
    expect(page.get_by_role("button", name="Ẩn mã PIN")).to_have_count(1, timeout=15000)
    assert field.get_attribute("type") == "text"
