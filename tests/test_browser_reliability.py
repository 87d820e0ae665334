"""Reliability and security in a real browser (issue 5): injection, offline, the projector's
first load, four stations at once, and a server killed while ballots are typed.

Each test starts its own server (tests/browser_support.py) on a free localhost port.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    App,
    new_page,
    type_ballots,
    unlock,
    wait_ready,
)
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, Page, expect

from tinnhiem.model import Attendance, Kind, Official, Poll

pytestmark = pytest.mark.browser
PIN = "97531"
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Quốc Hùng", "Võ Thị Hà")
HOSTILE = (
    "<script>alert(1)</script>",
    "**đậm**",
    "[link](http://x)",
    "<img src=x onerror=alert(1)>",
)


def open_poll(app: App, names: tuple[str, ...], collected: int, positions=None) -> int:
    """A poll of ``names`` with the board's PIN, its count open; its id."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=collected, present=collected),
        issued=collected,
        collected=collected,
        officials=tuple(Official(name, (positions or names)[i]) for i, name in enumerate(names)),
        title="Kiểm tra độ tin cậy",
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    return poll_id


def open_counting(page: Page, app: App, poll_id: int) -> None:
    """The counting page of ``poll_id``, the PIN given, the entry line focused.

    The counting page is the default page: its URL is the root.
    """
    page.goto(f"{app.url}/?poll={poll_id}")
    unlock(page, PIN)
    expect(page.locator(".tn-line")).to_be_focused(timeout=30000)


def assert_nothing_injected(page: Page) -> None:
    """No script, image, link or bold text was made from the hostile names; no alert ran."""
    assert page.locator("script", has_text="alert").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href='http://x']").count() == 0
    assert page.locator("strong", has_text="đậm").count() == 0
    assert page.locator("b", has_text="đậm").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def watch_dialogs(page: Page) -> Page:
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    return page


def test_hostile_names_are_shown_as_text_on_counting_projector_and_results(
    app: App, browser: Browser
) -> None:
    """Names and positions that look like HTML, Markdown or links are shown literally on the
    counting, projector and results pages: no script, image, link or bold is created."""
    poll_id = open_poll(app, HOSTILE, collected=10, positions=tuple(reversed(HOSTILE)))
    for marks in ("1231", "2222", "3330"):
        app.store.add_ballot(poll_id, marks)

    counting = watch_dialogs(new_page(browser))
    open_counting(counting, app, poll_id)
    counting.keyboard.type("12", delay=40)  # the preview draws the names against the digits
    preview = counting.locator(".tn-preview")
    expect(preview).to_contain_text(HOSTILE[0])
    for name in HOSTILE:
        expect(preview).to_contain_text(name)
    assert_nothing_injected(counting)

    hall = watch_dialogs(new_page(browser))
    hall.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    table = hall.get_by_test_id("tinnhiem-hall-table")
    expect(hall.get_by_text("Đã kiểm 3 / 10 phiếu thu về")).to_be_visible(timeout=30000)
    for name in HOSTILE:
        expect(table).to_contain_text(name)
    assert_nothing_injected(hall)

    results = watch_dialogs(new_page(browser))
    results.goto(f"{app.url}/ket-qua?poll={poll_id}")
    expect(results.get_by_text("KẾT QUẢ TẠM THỜI")).to_be_visible(timeout=30000)
    wait_ready(results)
    table = results.get_by_test_id("results-table")
    for name in HOSTILE:
        expect(table).to_contain_text(name)
    expect(results.locator("body")).to_contain_text("Kiểm tra độ tin cậy")
    assert_nothing_injected(results)
    assert counting.outside_requests == hall.outside_requests == []  # type: ignore[attr-defined]


PAGES = ("/", "/thiet-lap", "/trinh-chieu", "/ket-qua")  # "/" is the counting page
LOOPBACK_V4 = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the sockets process ``pid`` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            inodes.add(match.group(1))
    return inodes


def remote_addresses(pid: int) -> list[str]:
    """The remote addresses of the TCP sockets of ``pid`` (from /proc/<pid>/net/tcp{,6})."""
    mine = socket_inodes(pid)
    found = []
    for table, width in (("tcp", 8), ("tcp6", 32)):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            if fields[9] not in mine:
                continue
            hex_address = fields[2].split(":")[0]
            raw = bytes.fromhex(hex_address)
            # The kernel writes each 32-bit word in host (little-endian) order.
            words = [raw[i : i + 4][::-1] for i in range(0, len(raw), 4)]
            address = ipaddress.ip_address(b"".join(words))
            assert len(hex_address) == width
            found.append(str(address))
    return found


def is_local(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def test_the_app_makes_no_outbound_connection(app: App, browser: Browser) -> None:
    """Every page loads only from 127.0.0.1 (each request routed and recorded), and the
    server process holds no socket connected to an address outside the machine."""
    poll_id = open_poll(app, NAMES, collected=5)
    app.store.add_ballot(poll_id, "12312")
    requested: list[str] = []
    page = browser.new_page(viewport={"width": 1920, "height": 1080})

    def record(route) -> None:
        requested.append(route.request.url)
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    page.route("**/*", record)
    for path in PAGES:
        page.goto(f"{app.url}{path}?poll={poll_id}")
        wait_ready(page)
        if path in ("/", "/thiet-lap"):
            unlock(page, PIN)
    page.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    expect(page.get_by_text("Đã kiểm 1 / 5 phiếu thu về")).to_be_visible(timeout=30000)
    assert requested, "the route saw no request"
    outside = [
        url
        for url in requested
        if not url.startswith(("data:", "blob:")) and urlparse(url).hostname != "127.0.0.1"
    ]
    assert outside == []
    addresses = remote_addresses(app.server.pid)
    assert addresses, "the server holds no TCP socket (is /proc readable?)"
    assert [a for a in addresses if not is_local(a)] == []


async def _station(
    browser, url: str, poll_id: int, ballots: list[str], delay: int, store, total: int
) -> None:
    context = await browser.new_context(viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/?poll={poll_id}")  # the counting page is the default page
    field = page.get_by_label("Mã PIN của ban kiểm phiếu", exact=True)
    await field.fill(PIN)
    await field.press("Enter")
    line = page.locator(".tn-line")
    await line.wait_for(timeout=30000)
    await line.focus()
    for ballot in ballots:
        await page.keyboard.type(ballot, delay=delay)
        await page.keyboard.press("Enter")
    await page.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=60000)
    # The tab stays open until every station's ballots are stored: a ballot still queued in
    # a tab that closes is lost (the typist would see it in red after 5 s, not here).
    deadline = time.monotonic() + 90  # a loaded CI machine answers slowly
    while store.ballot_count(poll_id) < total and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    errors = await page.get_by_test_id("stAlertContentError").all_inner_texts()
    assert errors == [], errors
    await context.close()


def test_four_stations_typing_at_once_store_every_ballot_once(app: App) -> None:
    """Four browser contexts, each its own station, typing ten ballots at once (30–60 ms a
    key) into one poll: exactly 40 stored, each station's in its order, no error shown."""
    poll_id = open_poll(app, NAMES, collected=40)
    rng = random.Random(4)
    per_station = [["".join(rng.choice("0123") for _ in NAMES) for _ in range(10)] for _ in "abcd"]

    async def main() -> None:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            await asyncio.gather(
                *(
                    _station(browser, app.url, poll_id, ballots, 30 + 10 * number, app.store, 40)
                    for number, ballots in enumerate(per_station)
                )
            )
            await browser.close()

    asyncio.run(main())
    stored = app.store.ballots(poll_id)
    assert len(stored) == 40
    assert [b.entry_no for b in stored] == list(range(1, 41))
    by_station: dict[str, list[str]] = {}
    for ballot in stored:
        by_station.setdefault(ballot.station, []).append(ballot.marks)
    assert sorted(by_station.values()) == sorted(per_station)
    assert app.store.verify(poll_id).ok


def test_a_server_killed_while_ballots_are_typed_keeps_every_acknowledged_one(
    app: App, browser: Browser
) -> None:
    """SIGKILL while a browser types ballots: after a restart on the same file every ballot
    the page acknowledged is there, in order, none twice; the next gets the next number."""
    poll_id = open_poll(app, NAMES, collected=40)
    rng = random.Random(9)
    ballots = ["".join(rng.choice("0123") for _ in NAMES) for _ in range(15)]
    page = new_page(browser)
    open_counting(page, app, poll_id)
    type_ballots(page, ballots[:5], delay=30)
    expect(page.get_by_text("Đã lưu phiếu số 5")).to_be_visible(timeout=30000)
    type_ballots(page, ballots[5:], delay=30)  # returns once typed: the server is still busy
    saved = page.get_by_test_id("stAlertContentSuccess").all_inner_texts()
    numbers = [
        int(n)
        for text in saved
        for listed in re.findall(r"Đã lưu phiếu số ([\d, ]+)", text)
        for n in listed.replace(" ", "").split(",")
        if n
    ]
    acknowledged = max(numbers, default=5)
    app.kill()
    app.restart()
    stored = app.store.ballots(poll_id)
    assert len(stored) >= acknowledged >= 5
    assert [b.marks for b in stored] == ballots[: len(stored)]
    assert [b.entry_no for b in stored] == list(range(1, len(stored) + 1))
    again = new_page(browser)
    open_counting(again, app, poll_id)
    type_ballots(again, ["11111"], delay=30)
    expect(again.get_by_text(f"Đã lưu phiếu số {len(stored) + 1}")).to_be_visible(timeout=30000)
    after = app.store.ballots(poll_id)
    assert after[-1].marks == "11111" and len(after) == len(stored) + 1
    assert app.store.verify(poll_id).ok


def test_a_queue_resent_after_a_server_restart_stores_each_ballot_once(
    app: App, browser: Browser
) -> None:
    """A keyboard whose acknowledgements were lost in a server restart sends its stored
    lines again, after 150 ballots from another station: each is stored once, and the new
    line typed with them gets the next number."""
    poll_id = open_poll(app, NAMES, collected=200)
    rng = random.Random(15)
    ballots = ["".join(rng.choice("0123") for _ in NAMES) for _ in range(5)]
    page = new_page(browser)
    open_counting(page, app, poll_id)
    type_ballots(page, ballots, delay=0)
    expect(page.get_by_text("Đã nhập 5 / 200 phiếu thu về")).to_be_visible(timeout=30000)
    keyboard = page.locator(".tn-entry")
    client = keyboard.evaluate("root => root.__tn.client")
    stored = app.store.ballots(poll_id)
    assert [(b.marks, b.source) for b in stored] == [
        (marks, (client, seq)) for seq, marks in enumerate(ballots, start=1)
    ]
    app.kill()
    for number in range(150):  # another station goes on while this one waits
        app.store.add_ballot(poll_id, "11111", station="Máy 2", source=("other", number + 1))
    app.restart()
    unlock(page, PIN)  # the browser reconnects to a new session, which asks for the PIN
    expect(page.locator(".tn-line")).to_be_visible(timeout=30000)
    # The queue as the browser held it when the acknowledgements were lost: all five lines.
    items = [{"seq": seq, "line": marks} for seq, marks in enumerate(ballots, start=1)]
    keyboard.evaluate(
        "(root, items) => Object.assign(root.__tn, {client: items.client, seq: 5, "
        "queue: items.queue})",
        {"client": client, "queue": items},
    )
    page.locator(".tn-line").focus()
    type_ballots(page, ["33333"], delay=0)  # sent with the five: one queue of six lines
    expect(page.get_by_text("Đã lưu phiếu số 156")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Đã nhập 156 / 200 phiếu thu về")).to_be_visible()
    after = app.store.ballots(poll_id)
    mine = [(b.entry_no, b.marks, b.source) for b in after if b.source and b.source[0] == client]
    assert mine == [
        *((seq, marks, (client, seq)) for seq, marks in enumerate(ballots, start=1)),
        (156, "33333", (client, 6)),
    ]
    assert len(after) == 156
    assert page.get_by_test_id("stAlertContentError").count() == 0
    assert app.store.verify(poll_id).ok
