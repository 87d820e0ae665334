"""What fits on common screens, measured in a real browser (issue 13, point 15).

The projector must show its whole screen without scrolling at 1366×768, 1600×900,
1920×1080 and 1024×768 (a 4:3 projector), for the demo poll and for 44 officials; at
1366×768 (the common office laptop) the entry line keeps a 44-digit ballot in sight, the
recent-entries table stays inside the page and the officials grid does not scroll sideways.
"""

from __future__ import annotations

import random

import pytest
from browser_support import App, new_page, unlock, wait_ready
from playwright.sync_api import Browser, Page, expect

from tinnhiem.model import Attendance, Kind, Official, Poll

pytestmark = pytest.mark.browser
PIN = "246810"
SIZES = [(1366, 768), (1600, 900), (1920, 1080), (1024, 768)]
LONG_NAME = "Nguyễn Thị Phương Thảo Số {n}"

# Every element the page scrolls in: Streamlit scrolls its main area, not the document, so
# the document's own scrollHeight alone would never show a page too tall.
_SCROLLERS = """() => Array.from(document.querySelectorAll('*'))
  .filter((e) => {
    const style = getComputedStyle(e);
    const y = ['auto', 'scroll'].includes(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
    const x = ['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
    return y || x;
  })
  .map((e) => `${e.getAttribute('data-testid') || e.className}: ${e.scrollWidth}x${e.scrollHeight}`
    + ` in ${e.clientWidth}x${e.clientHeight}`)"""
_SIDEWAYS = """() => Array.from(document.querySelectorAll('*'))
  .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
    && e.scrollWidth > e.clientWidth + 1)
  .map((e) => `${e.getAttribute('data-testid') || e.className}: ${e.scrollWidth}`
    + ` in ${e.clientWidth}`)"""
_CHART_FITS = """() => {
  const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
  return chart !== null && chart.querySelector('canvas, svg') !== null
    && chart.getBoundingClientRect().bottom <= innerHeight;
}"""


def long_poll(app: App, officials: int = 44, ballots: int = 30) -> int:
    """A counting poll of ``officials`` long names with ``ballots`` ballots typed; its id."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=60, present=58),
        issued=58,
        collected=58,
        officials=tuple(
            Official(LONG_NAME.format(n=n), "Phó Chủ tịch Ủy ban nhân dân tỉnh")
            for n in range(1, officials + 1)
        ),
        title="Kỳ họp thứ mười bốn, HĐND tỉnh khóa XVII, nhiệm kỳ 2021 – 2026",
        body="Hội đồng nhân dân tỉnh",
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    rng = random.Random(officials)
    for _ in range(ballots):
        app.store.add_ballot(poll_id, "".join(rng.choice("0123") for _ in range(officials)))
    return poll_id


def assert_no_scrolling(page: Page) -> None:
    """Neither the document nor any element inside it scrolls, either way."""
    height, width, inner_h, inner_w = page.evaluate(
        "[document.scrollingElement.scrollHeight, document.scrollingElement.scrollWidth,"
        " innerHeight, innerWidth]"
    )
    assert height <= inner_h and width <= inner_w
    assert page.evaluate(_SCROLLERS) == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_projector_fits_the_screen_without_scrolling(
    app: App, browser: Browser, width: int, height: int
) -> None:
    """The hall screen of the demo poll and of a 44-official poll needs no scrolling."""
    demo = app.store.create_demo(pin="1234")
    polls = {"demo": demo, "44": long_poll(app)}
    for name, poll_id in polls.items():
        page = new_page(browser)
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
        wait_ready(page)
        expect(page.get_by_text("KẾT QUẢ TẠM THỜI")).to_be_visible()
        page.wait_for_function(_CHART_FITS, timeout=30_000)
        page.wait_for_timeout(1500)  # the layout has settled: it must still fit after
        assert page.evaluate(_CHART_FITS), name
        assert_no_scrolling(page)
        if width in (1366, 1920):
            page.screenshot(path=str(app.folder / f"projector-{name}-{width}x{height}.png"))
        page.close()


def test_a_44_digit_ballot_and_the_recent_entries_fit_a_1366_screen(
    app: App, browser: Browser
) -> None:
    """At 1366×768 a 44-digit line stays whole in sight and the recent table inside the page."""
    poll_id = long_poll(app)
    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app.url}/?poll={poll_id}")
    unlock(page, PIN)
    line = page.locator(".tn-line")
    expect(line).to_be_focused()
    page.keyboard.type("1231" * 11, delay=5)
    expect(page.locator(".tn-status")).to_have_text("Đủ 44 người — nhấn Enter để lưu.")
    scroll_w, client_w, scroll_h, client_h = line.evaluate(
        "l => [l.scrollWidth, l.clientWidth, l.scrollHeight, l.clientHeight]"
    )
    assert scroll_w <= client_w and scroll_h <= client_h  # nothing scrolled out of sight
    box = line.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366
    table = page.get_by_test_id("tinnhiem-recent")
    expect(table).to_be_visible()
    right = table.evaluate("t => t.getBoundingClientRect().right")
    main_right = page.get_by_test_id("stMain").evaluate("m => m.getBoundingClientRect().right")
    assert right <= main_right
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    assert page.evaluate(_SIDEWAYS) == []  # the page may be tall, never wide
    page.screenshot(path=str(app.folder / "counting-1366x768.png"))


def test_the_setup_grids_do_not_scroll_sideways_on_a_1366_screen(
    app: App, browser: Browser
) -> None:
    """At 1366×768 the officials grid and the board grid show every column without scrolling."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=60, present=58),
        issued=58,
        collected=58,
        officials=tuple(
            Official(LONG_NAME.format(n=n), "Phó Chủ tịch Ủy ban nhân dân tỉnh") for n in range(5)
        ),
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app.url}/thiet-lap?poll={poll_id}")
    unlock(page, PIN)
    grids = page.locator(".dvn-scroller")
    expect(grids).to_have_count(2)  # the officials and the board
    for index in range(2):
        wide, room = grids.nth(index).evaluate("g => [g.scrollWidth, g.clientWidth]")
        assert wide <= room, f"grid {index}: {wide} px in {room}"
    page.screenshot(path=str(app.folder / "setup-1366x768.png"), full_page=True)


def test_the_demo_ballots_in_the_recent_entries_stay_on_one_line_at_1366(
    app: App, browser: Browser
) -> None:
    """At 1366×768 an 11-digit ballot, its station and its time each keep one line, inside
    the page (they broke under each other before)."""
    demo = app.store.create_demo(pin="1234")
    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app.url}/?poll={demo}")
    unlock(page, "1234")
    table = page.get_by_test_id("tinnhiem-recent")
    expect(table).to_be_visible()
    lines = table.evaluate(
        """t => Array.from(t.querySelectorAll('tbody tr')).map(r => Array.from(r.cells)
             .slice(1, 4).map(c => { const range = document.createRange();
               range.selectNodeContents(c); return range.getClientRects().length; }))"""
    )
    assert lines and all(cells == [1, 1, 1] for cells in lines), lines
    right = table.evaluate("t => t.getBoundingClientRect().right")
    main_right = page.get_by_test_id("stMain").evaluate("m => m.getBoundingClientRect().right")
    assert right <= main_right


def test_the_results_table_shows_the_band_at_1366_and_keeps_the_name_in_view(
    app: App, browser: Browser
) -> None:
    """At 1366×768 the result table of 44 long names shows each official's band without
    scrolling sideways, every row keeps to one line, the table stays inside the page, and
    scrolled sideways inside its box the number and the name stay where they were."""
    poll_id = long_poll(app)
    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app.url}/ket-qua?poll={poll_id}")
    box = page.get_by_test_id("results-table-box")
    expect(box).to_be_visible(timeout=30000)
    edges = box.evaluate(
        """b => {
          const head = Array.from(b.querySelectorAll('th'));
          const band = head.find(h => h.textContent === 'Kết quả');
          const rows = Array.from(b.querySelectorAll('tbody tr'));
          return {band: band.getBoundingClientRect().right, box: b.getBoundingClientRect().right,
                  rows: rows.length, heights: rows.map(r => r.getBoundingClientRect().height)};
        }"""
    )
    assert edges["band"] <= edges["box"], edges
    assert edges["rows"] == 44 and max(edges["heights"]) < 40, edges  # one line each
    main_right = page.get_by_test_id("stMain").evaluate("m => m.getBoundingClientRect().right")
    assert edges["box"] <= main_right
    name = box.locator("tbody tr").first.locator("td").nth(1)
    before = name.bounding_box()
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert box.evaluate("b => b.scrollLeft") > 0  # the table is wider than its box
    after = name.bounding_box()
    assert before is not None and after is not None and after["x"] == before["x"]
    page.screenshot(path=str(app.folder / "results-1366x768.png"))
