"""Double entry in a real browser: two stations type one stack blind, the hall shows
nothing of it until the board decides the one difference against the paper."""

from __future__ import annotations

import json
import random
import re

import pytest
from browser_support import App, new_page, type_ballots, unlock, wait_ready
from document_reading import flat, pdf_text
from playwright.sync_api import Browser, Page, expect

from tinnhiem.cli import main
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.stacks import RESOLVED
from tinnhiem.tally import as_json, tally

pytestmark = pytest.mark.browser
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc")
PIN = "246810"
FIRST = ["123", "111", "222", "333", "X", "213"]
SECOND = ["123", "111", "232", "333", "X", "213"]  # ballot 3, official 2 read otherwise


def _station(browser: Browser, app: App, poll_id: int) -> Page:
    page = new_page(browser)
    page.goto(app.url + "/")
    wait_ready(page)
    page.goto(f"{app.url}/?poll={poll_id}")
    unlock(page, PIN)
    return page


def _typed_pass(page: Page, typist: str, ballots: list[str]) -> None:
    page.get_by_label("Họ tên người nhập lần này").fill(typist)
    page.get_by_role("button", name="Bắt đầu nhập").click()
    expect(page.locator(".tn-line")).to_be_focused(timeout=30000)
    type_ballots(page, ballots, delay=60)
    # Lines typed faster than the server answers are acknowledged together ("số 18, 19, 20").
    stored = re.compile(rf"Đã lưu phiếu số (\d+, )*{len(ballots)} \(")
    expect(page.get_by_text(stored)).to_be_visible(timeout=30000)
    page.get_by_role("button", name="Xong lần nhập này").click()
    expect(page.get_by_text("Đã xong lần nhập")).to_be_visible(timeout=15000)


def test_a_stack_typed_twice_with_one_difference_is_decided(app: App, browser: Browser) -> None:
    """Two stations type "Xấp 3" blind; the projector counts nothing of it; the
    reconciliation names the ballot and official; the board's decision makes it count."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=6, present=6),
        issued=6,
        collected=6,
        officials=tuple(Official(name) for name in NAMES),
        passes_required=2,
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    one = _station(browser, app, poll_id)
    one.get_by_label("Nhãn xấp").fill("Xấp 3")
    one.get_by_label("Số phiếu trong xấp").fill("6")
    one.get_by_role("button", name="Thêm xấp").click()
    expect(one.get_by_text("Đã thêm xấp “Xấp 3”.")).to_be_visible(timeout=15000)
    _typed_pass(one, "Người Một", FIRST)

    hall = new_page(browser)
    hall.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    expect(hall.get_by_text("Đã kiểm 0 / 6 phiếu thu về")).to_be_visible(timeout=30000)
    expect(hall.get_by_text("Chờ nhập đủ lần: 6 phiếu")).to_be_visible(timeout=15000)

    two = _station(browser, app, poll_id)
    _typed_pass(two, "Người Hai", SECOND)
    expect(hall.get_by_text("Chờ ban kiểm phiếu quyết định: 6 phiếu")).to_be_visible(timeout=15000)
    expect(hall.get_by_text("Đã kiểm 0 / 6 phiếu thu về")).to_be_visible()

    line = (
        "Xấp 3, phiếu thứ 3 — người số 2 (Trần Thị Bích Ngọc): lần 1 ghi Tín nhiệm, "
        "lần 2 ghi Tín nhiệm thấp"
    )
    expect(two.get_by_test_id("tinnhiem-reconcile")).to_contain_text(line, timeout=15000)
    form = two.get_by_test_id("stForm").filter(has_text="Ghi quyết định")
    form.get_by_text("Lần 1 đúng").click()
    form.get_by_label("Lý do (bắt buộc)").fill("phiếu giấy ghi tín nhiệm")
    form.get_by_label("Lý do (bắt buộc)").press("Tab")
    form.get_by_role("button", name="Ghi quyết định").click()
    expect(two.get_by_text("Đã ghi quyết định")).to_be_visible(timeout=15000)
    expect(hall.get_by_text("Đã kiểm 6 / 6 phiếu thu về")).to_be_visible(timeout=15000)
    view = app.store.stack_summary(poll_id).views[0]
    assert view.state == RESOLVED and list(view.counted) == FIRST
    app.store.close_count(poll_id)
    app.store.lock(poll_id)
    assert app.store.verify(poll_id).ok


def test_a_twenty_ballot_stack_with_a_changed_row_and_a_skipped_ballot(
    app: App, browser: Browser, tmp_path
) -> None:
    """The issue's walk: two stations type the same 20-ballot stack, the second with one
    row read otherwise (ballot 7) and one ballot skipped (ballot 15); the hall counts none
    of it meanwhile; the reconciliation names both; the board decides both for pass 1; the
    poll locks and the minutes list both decisions; the export tallies as the app."""
    rng = random.Random(20)
    first = ["".join(rng.choice("123") for _ in NAMES) for _ in range(20)]
    second = list(first)
    second[6] = ("2" if first[6][0] != "2" else "1") + first[6][1:]
    del second[14]
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=22, present=20),
        issued=20,
        collected=20,
        officials=tuple(Official(name) for name in NAMES),
        passes_required=2,
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    hall = new_page(browser)
    hall.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    one = _station(browser, app, poll_id)
    one.get_by_label("Nhãn xấp").fill("Xấp 3")
    one.get_by_label("Số phiếu trong xấp").fill("20")
    one.get_by_role("button", name="Thêm xấp").click()
    expect(one.get_by_text("Đã thêm xấp “Xấp 3”.")).to_be_visible(timeout=15000)
    _typed_pass(one, "Người Một", first)
    expect(hall.get_by_text("Đã kiểm 0 / 20 phiếu thu về")).to_be_visible(timeout=30000)
    two = _station(browser, app, poll_id)
    _typed_pass(two, "Người Hai", second)
    expect(hall.get_by_text("Chờ ban kiểm phiếu quyết định: 20 phiếu")).to_be_visible(timeout=15000)
    expect(hall.get_by_text("Đã kiểm 0 / 20 phiếu thu về")).to_be_visible()

    board = two.get_by_test_id("tinnhiem-reconcile")
    expect(board).to_contain_text("Xấp 3, phiếu thứ 7 — người số 1 (Nguyễn Văn An)")
    expect(board).to_contain_text(f"Xấp 3, phiếu thứ 15: lần 1 ghi “{first[14]}”, lần 2 không")
    forms = two.get_by_test_id("stForm").filter(has_text="Ghi quyết định")
    for left, reason in ((1, "phiếu giấy số 7 như lần 1"), (0, "phiếu số 15 có trong xấp")):
        form = forms.first
        form.get_by_text("Lần 1 đúng").click()
        form.get_by_label("Lý do (bắt buộc)").fill(reason)
        form.get_by_label("Lý do (bắt buộc)").press("Tab")
        form.get_by_role("button", name="Ghi quyết định").click()
        # The decided place's form is gone before the next one is filled (one each run).
        expect(forms).to_have_count(left, timeout=30000)
    expect(hall.get_by_text("Đã kiểm 20 / 20 phiếu thu về")).to_be_visible(timeout=30000)
    assert list(app.store.stack_summary(poll_id).views[0].counted) == first
    app.store.close_count(poll_id)
    app.store.lock(poll_id)
    assert app.store.verify(poll_id).ok

    minutes, exported = tmp_path / "bb.pdf", tmp_path / "poll.json"
    assert main(["minutes", str(poll_id), "--db", str(app.db), "-o", str(minutes)]) == 0
    text = flat(pdf_text(minutes.read_bytes()))
    assert "phiếu giấy số 7 như lần 1" in text and "phiếu số 15 có trong xấp" in text
    assert main(["export", str(poll_id), "--db", str(app.db), "-o", str(exported)]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["passes_required"] == 2 and len(data["stacks"][0]["passes"]) == 2
    assert as_json(tally(parse_poll_file(exported.read_bytes()))) == as_json(
        tally(app.store.get_poll(poll_id))
    )
