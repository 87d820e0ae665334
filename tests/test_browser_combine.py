"""The Tổng hợp page in a real browser: three points locked on three databases, combined,
the reports downloaded and read back, every number checked."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from browser_support import App, new_page
from combine_files import DONG, TAY, locked, point_poll
from document_reading import flat, pdf_text
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BAC = point_poll("Thôn Bắc", ("111", "222", "333"), total=4)


def test_three_locked_points_combine_and_their_reports_read_back(
    app: App, browser: Browser, tmp_path
) -> None:
    """Upload three points' locked exports: the page shows the sum and each point, and the
    downloaded XLSX and PDF carry the same numbers and every lock hash."""
    paths = [
        locked(tmp_path / f"{name}.json", poll)
        for name, poll in (("dong", DONG), ("tay", TAY), ("bac", BAC))
    ]
    hashes = [json.loads(p.read_text("utf-8"))["x-tinnhiem"]["lock_hash"] for p in paths]
    page = new_page(browser)
    page.goto(f"{app.url}/tong-hop", wait_until="commit")
    uploads = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    expect(uploads).to_have_count(2, timeout=120_000)  # the poll files, the expected list
    uploads.first.set_input_files([str(p) for p in paths])
    table = page.get_by_test_id("combine-poll-1")
    expect(table).to_be_visible(timeout=120_000)
    # Nguyễn Văn An: low 4 + 2 + 1 = 7 of 13 collected.
    expect(table.locator("tr").nth(1)).to_contain_text("7 (53,85%)")
    expect(page.get_by_test_id("combine-point-1-3")).to_be_visible()
    buttons = page.get_by_test_id("stDownloadButton").get_by_role("button")
    expect(buttons).to_have_count(3, timeout=120_000)
    with page.expect_download(timeout=120_000) as xlsx_download:
        buttons.nth(0).click()
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    first = next(book["Kết quả"].iter_rows(min_row=4, values_only=True))
    assert first[3] == "Nguyễn Văn An" and first[5] == 13
    assert first[6:12] == (3, 23.08, 2, 15.38, 7, 53.85)
    listed = [r[5] for r in book["Tệp"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert listed == hashes
    with page.expect_download(timeout=120_000) as pdf_download:
        buttons.nth(1).click()
    text = flat(pdf_text(Path(pdf_download.value.path()).read_bytes()))
    assert "Các điểm lấy phiếu (3): Thôn Đông, Thôn Tây, Thôn Bắc." in text
    assert "7 (53,85%)" in text and "TẠM THỜI" not in text
    assert all(h in text for h in hashes)
    assert page.outside_requests == []  # type: ignore[attr-defined]
