"""The app in a real browser: Debian's Chromium driven by Playwright against a live server.

The server is ``streamlit run dashboard.py`` on a free localhost port with its own database;
ballots are typed with the keyboard only, and a second page (the projector) must follow
without a reload.
"""

from __future__ import annotations

import random
import time

import pytest
from browser_support import (
    App,
    new_page,
    open_new_poll_form,
    paste_officials,
    type_ballots,
    unlock,
    wait_ready,
)
from playwright.sync_api import Browser, Page, expect

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.tally import tally

pytestmark = pytest.mark.browser
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Quốc Hùng", "Võ Thị Hà")
PIN = "246810"


def setup_poll(page: Page, app: App, collected: int) -> int:
    """Create a poll of the five NAMES on the setup page, open its count; its id."""
    open_new_poll_form(page, app)
    fields = {
        "Kỳ họp / hội nghị": "Kỳ họp thử nghiệm trình duyệt",
        "Cơ quan, đơn vị": "HĐND xã Thử",
        "Tổng số được triệu tập": "15",
        "Có mặt": "14",
        "Số phiếu phát ra": "14",
        "Số phiếu thu về": str(collected),
        "Mã PIN của ban kiểm phiếu": PIN,
        "Nhập lại mã PIN": PIN,
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
        # Enter commits a field; Tab out of a password field only reaches its eye button.
        page.get_by_label(label, exact=True).press("Enter" if "PIN" in label else "Tab")
        wait_ready(page)
    paste_officials(page, "\n".join(f"{name}; Ủy viên" for name in NAMES))
    page.get_by_role("button", name="Lưu và mở kiểm phiếu").click()
    expect(page.get_by_text("Đã mở kiểm phiếu.").first).to_be_visible(timeout=15000)
    poll_id = max(p.id for p in app.store.list_polls())
    assert app.store.state(poll_id) == "counting"
    assert [o.name for o in app.store.get_poll(poll_id).officials] == list(NAMES)
    return poll_id


def counting_poll(app: App, title: str, collected: int) -> int:
    """A poll of the five NAMES with the board's PIN, 28 present, its count open; its id."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=30, present=28),
        issued=28,
        collected=collected,
        officials=tuple(Official(name) for name in NAMES),
        title=title,
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    return poll_id


def test_a_board_counts_voids_and_locks_while_the_hall_watches(app: App, browser: Browser) -> None:
    """Setup, 12 ballots typed, the projector follows without reload, one void, lock, official."""
    counting = new_page(browser)
    poll_id = setup_poll(counting, app, collected=12)

    hall = new_page(browser)
    hall.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    expect(hall.get_by_text("KẾT QUẢ TẠM THỜI")).to_be_visible(timeout=15000)
    hall.evaluate("window.tinnhiemNoReload = true")

    rng = random.Random(12)
    ballots = ["".join(rng.choice("0123") for _ in NAMES) for _ in range(11)] + ["X"]
    counting.goto(f"{app.url}/?poll={poll_id}")
    unlock(counting, PIN)
    expect(counting.locator(".tn-line")).to_be_focused(timeout=30000)
    counting.keyboard.type("31", delay=60)
    preview = counting.locator(".tn-preview")
    expect(preview.locator("tr").nth(0)).to_contain_text(f"{NAMES[0]}Tín nhiệm thấp")
    expect(preview.locator("tr").nth(1)).to_contain_text(f"{NAMES[1]}Tín nhiệm cao")
    expect(counting.locator(".tn-status")).to_have_text("Đã gõ 2 / 5 người.")
    counting.keyboard.press("Backspace")
    counting.keyboard.press("Backspace")
    type_ballots(counting, ballots, delay=60)
    expect(counting.get_by_text("Đã nhập 12 / 12 phiếu thu về")).to_be_visible(timeout=10000)
    assert [b.marks for b in app.store.ballots(poll_id)] == ballots

    table = hall.get_by_test_id("tinnhiem-hall-table")
    expect(hall.get_by_text("Đã kiểm 12 / 12 phiếu thu về")).to_be_visible(timeout=3000)
    result = tally(app.store.get_poll(poll_id))
    for index in range(len(NAMES)):
        row = result.officials[index]
        expect(table).to_contain_text(
            f"Tín nhiệm thấp {row.counts['low']} ({result.percent_vi(row.counts['low'])})"
        )
    assert hall.evaluate("window.tinnhiemNoReload") is True

    counting.get_by_text("Hủy hoặc sửa một phiếu đã nhập").click()  # the form's switch
    counting.get_by_label("Số phiếu").fill("3")
    counting.get_by_label("Lý do (bắt buộc)").fill("Đọc nhầm phiếu")
    counting.get_by_role("button", name="Ghi lại").click()
    expect(counting.get_by_text("Đã hủy phiếu số 3")).to_be_visible(timeout=10000)
    expect(hall.get_by_text("Đã kiểm 11 / 12 phiếu thu về")).to_be_visible(timeout=3000)
    assert app.store.ballots(poll_id)[2].void_reason == "Đọc nhầm phiếu"

    counting.locator(".tn-line").click()
    type_ballots(counting, [ballots[2]], delay=60)
    expect(hall.get_by_text("Đã kiểm 12 / 12 phiếu thu về")).to_be_visible(timeout=3000)

    counting.goto(f"{app.url}/ket-qua?poll={poll_id}")
    unlock(counting, PIN)  # a page opened by URL is a new session: the PIN is asked again
    counting.get_by_text("Ban kiểm phiếu xác nhận đã kiểm xong").click()
    counting.get_by_role("button", name="Kết thúc kiểm phiếu").click()
    expect(counting.get_by_label("Gõ KHÓA để xác nhận")).to_be_enabled(timeout=10000)
    counting.get_by_label("Gõ KHÓA để xác nhận").fill("KHÓA")
    counting.get_by_label("Gõ KHÓA để xác nhận").press("Tab")
    wait_ready(counting)
    counting.get_by_role("button", name="Khóa kết quả").click()
    expect(hall.get_by_text("KẾT QUẢ CHÍNH THỨC")).to_be_visible(timeout=30000)
    assert app.store.state(poll_id) == "locked"
    assert hall.evaluate("window.tinnhiemNoReload") is True
    assert counting.outside_requests == [] and hall.outside_requests == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("delay", [30, 0])
def test_twenty_ballots_typed_fast_are_stored_apart_and_exact(
    app: App, browser: Browser, delay: int
) -> None:
    """Twenty ballots typed at 30 ms per key, or with no pause at all, are twenty exact entries."""
    poll_id = counting_poll(app, "Gõ nhanh", collected=28)
    rng = random.Random(20)
    ballots = ["".join(rng.choice("0123") for _ in NAMES) for _ in range(20)]
    page = new_page(browser)
    page.goto(f"{app.url}/?poll={poll_id}")
    unlock(page, PIN)
    expect(page.locator(".tn-line")).to_be_focused(timeout=30000)
    type_ballots(page, ballots, delay=delay)
    expect(page.get_by_text("Đã nhập 20 / 28 phiếu thu về")).to_be_visible(timeout=10000)
    assert [b.marks for b in app.store.ballots(poll_id)] == ballots
    expect(page.locator(".tn-line")).to_be_focused()
    expect(page.locator(".tn-line")).to_have_value("")


def test_the_last_ballot_is_read_back_and_a_refused_one_comes_back_to_mend(
    app: App, browser: Browser
) -> None:
    """After Enter the empty line reads the stored ballot back; a refused line returns to it."""
    poll_id = counting_poll(app, "Đọc lại", collected=28)
    page = new_page(browser)
    page.goto(f"{app.url}/?poll={poll_id}")
    unlock(page, PIN)
    line, status = page.locator(".tn-line"), page.locator(".tn-status")
    rows = page.locator(".tn-preview tr")
    expect(line).to_be_focused(timeout=30000)
    type_ballots(page, ["13201"], delay=40)
    expect(status).to_have_text("Phiếu số 1 đã lưu — đọc lại theo danh sách:", timeout=10000)
    expect(rows.nth(1)).to_contain_text(f"{NAMES[1]}Tín nhiệm thấp")
    expect(rows.nth(3)).to_contain_text(f"{NAMES[3]}Không hợp lệ / để trống")
    expect(line).to_have_value("")

    type_ballots(page, ["12a"], delay=40)  # a letter, and two names short
    expect(line).to_have_value("12a", timeout=10000)  # back in the line, to be mended
    expect(page.get_by_text("Chưa lưu phiếu vừa gõ")).to_be_visible()
    expect(rows.nth(2)).to_contain_text("? “a” không hợp lệ")
    expect(line).to_be_focused()
    page.keyboard.press("Backspace")
    type_ballots(page, ["311"], delay=40)  # "12" + "311": the mended ballot
    expect(status).to_have_text("Phiếu số 2 đã lưu — đọc lại theo danh sách:", timeout=10000)
    assert [b.marks for b in app.store.ballots(poll_id)] == ["13201", "12311"]
    page.reload()  # a new session: nothing refused to give back, the last ballot read back
    unlock(page, PIN)
    expect(page.locator(".tn-status")).to_have_text(
        "Phiếu số 2 đã lưu — đọc lại theo danh sách:", timeout=30000
    )
    expect(page.locator(".tn-line")).to_have_value("")


def test_two_stations_enter_into_the_same_poll_at_once(app: App, browser: Browser) -> None:
    """Two tabs typing in turn into one poll store every ballot once, each with its station."""
    poll_id = counting_poll(app, "Hai máy", collected=20)
    rng = random.Random(2)
    ballots = ["".join(rng.choice("0123") for _ in NAMES) for _ in range(20)]
    stations = [new_page(browser), new_page(browser)]
    for page in stations:
        page.goto(f"{app.url}/?poll={poll_id}")
        unlock(page, PIN)
        expect(page.locator(".tn-line")).to_be_focused(timeout=30000)
    for number, ballot in enumerate(ballots):
        type_ballots(stations[number % 2], [ballot], delay=20)
    deadline = time.monotonic() + 60  # generous: a loaded CI machine answers slowly
    while app.store.ballot_count(poll_id) < len(ballots) and time.monotonic() < deadline:
        time.sleep(0.2)
    stored = app.store.ballots(poll_id)
    assert sorted(b.marks for b in stored) == sorted(ballots)
    by_station = {b.station for b in stored}
    assert len(by_station) == 2
    for station in by_station:
        mine = [b.marks for b in stored if b.station == station]
        assert mine in (ballots[0::2], ballots[1::2])


def test_a_mistyped_address_opens_the_counting_page_with_a_vietnamese_note(
    app: App, browser: Browser
) -> None:
    """/counting (no such page) shows the counting screen and says so in Vietnamese, never
    Streamlit's English "Page not found" dialog."""
    poll_id = counting_poll(app, "Địa chỉ gõ sai", collected=28)
    page = new_page(browser)
    page.goto(f"{app.url}/counting?poll={poll_id}")
    wait_ready(page)
    expect(page.get_by_text("Không có trang “counting”; đây là trang Kiểm phiếu.")).to_be_visible()
    unlock(page, PIN)
    expect(page.locator(".tn-line")).to_be_focused()
    page.wait_for_timeout(1000)  # a dialog the server sent would be drawn by now
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("dialog").count() == 0
