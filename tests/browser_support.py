"""What the browser tests share: a live server on a free localhost port, Debian's Chromium,
and the keyboard and PIN steps a board member takes. Imported by tests/test_browser*.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parents[1]
ADMIN_PIN = "13579246"  # the administrator's PIN of every test server (first start done)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's own default for expect() is 5 s; a loaded CI machine sometimes needs more for
# a page's first script run, so every browser assertion without its own timeout waits 30 s.
expect.set_options(timeout=30_000)
PAGE_TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class App:
    """A running server: its base URL, the database it writes and its process."""

    def __init__(self, url: str, db: Path, server: subprocess.Popen, folder: Path):
        self.url = url
        self.db = db
        self.store = Store(db)
        self.server = server
        self.folder = folder
        self.port = int(url.rsplit(":", 1)[1])

    def kill(self) -> None:
        """SIGKILL the server, as a crash or a pulled plug would stop it."""
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=20)

    def restart(self) -> None:
        """Start the server again on the same port and database."""
        self.server = start_server(self.folder, self.db, self.port)


def start_server(folder: Path, db: Path, port: int) -> subprocess.Popen:
    """The app as `tinnhiem app` starts it, on ``port``, TINNHIEM_DB=db; returns when healthy.

    The server's working directory is ``folder``, not the checkout: the app must not depend
    on where it is started.
    """
    env = {**os.environ, "TINNHIEM_DB": str(db)}
    log_path = folder / f"server-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        command = [sys.executable, "-m", "tinnhiem.ui.server"]
        server = subprocess.Popen(
            [*command, "--server.port", str(port), "--server.headless", "true"],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(log_path.read_text())
        time.sleep(0.2)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    """``streamlit run dashboard.py`` on a free port with TINNHIEM_DB in tmp_path."""
    port = _free_port()
    db = tmp_path / "tinnhiem.db"
    Store(db).set_admin_pin(ADMIN_PIN)
    running = App(f"http://127.0.0.1:{port}", db, start_server(tmp_path, db, port), tmp_path)
    try:
        yield running
    finally:
        if running.server.poll() is None:
            running.server.terminate()
            running.server.wait(timeout=20)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with nothing that would reach the network."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def new_page(browser: Browser) -> Page:
    """A 1920×1080 tab that fails the test on any request leaving localhost."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    # Playwright's own 30 s for goto and wait_for_selector (wait_ready) is short for a page's
    # first run on a loaded 2-core machine; an action that never happens still fails.
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    outside: list[str] = []

    def watch(request) -> None:
        if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            outside.append(request.url)

    page.on("request", watch)
    page.outside_requests = outside  # type: ignore[attr-defined]
    return page


def wait_ready(page: Page) -> None:
    """Wait until Streamlit has finished running the page's script."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def type_ballots(page: Page, ballots: list[str], delay: int) -> None:
    """Type each ballot and Enter into the focused entry field, keyboard only."""
    for ballot in ballots:
        page.keyboard.type(ballot, delay=delay)
        page.keyboard.press("Enter")


def unlock(page: Page, pin: str) -> None:
    """Type the board's PIN into the gate of the page and press Enter (keyboard only)."""
    field = page.get_by_label("Mã PIN của ban kiểm phiếu", exact=True)
    expect(field).to_be_visible(timeout=30000)
    assert field.get_attribute("type") == "password"
    field.fill(pin)
    field.press("Enter")
    expect(field).to_have_count(0, timeout=30000)
    wait_ready(page)


def unlock_admin(page: Page, pin: str = ADMIN_PIN) -> None:
    """Type the administrator's PIN into its gate (creating or importing a poll) and Enter."""
    field = page.get_by_label("Mã quản trị", exact=True)
    expect(field).to_be_visible(timeout=30000)
    field.fill(pin)
    field.press("Enter")
    expect(field).to_have_count(0, timeout=30000)
    wait_ready(page)


def open_new_poll_form(page: Page, app: App) -> None:
    """The setup page of ``app`` with "Tạo cuộc kiểm phiếu mới" chosen and the
    administrator's gate passed: a blank form for a new poll."""
    # The very first session of a fresh server runs before Streamlit knows the app uses
    # st.navigation (a pages/ folder exists), so a sub-page URL would show "Page not found".
    page.goto(app.url + "/")
    wait_ready(page)
    page.goto(app.url + "/thiet-lap")
    wait_ready(page)
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Tạo cuộc kiểm phiếu mới").click()
    wait_ready(page)
    unlock_admin(page)


def paste_officials(page: Page, text: str) -> None:
    """Paste the officials' list on the setup page and put it in, waiting until the page
    has taken it (the paste box closes): a click sent while the paste's own run had not yet
    begun was lost under load, and a save then found the list empty (CI, 2026-12-02)."""
    page.get_by_text("Dán danh sách hoặc nhập từ tệp Excel/CSV").click()
    paste = page.get_by_label("Văn bản dán")
    paste.fill(text)
    paste.press("Control+Enter")
    people = len([line for line in text.splitlines() if line.strip()])
    expect(page.get_by_text(f"Đọc được {people} người", exact=False)).to_be_visible()
    wait_ready(page)
    # The click itself can be lost the same way (the box still open 30 s later beside other
    # browser tests, CI 2026-12-03): once the page is idle with the button still there, the
    # click was not taken, and a person clicks again; so does this step, at most three times.
    put_in = page.get_by_role("button", name="Đưa vào danh sách")
    for _ in range(3):
        put_in.click()
        try:
            expect(put_in).to_have_count(0, timeout=10000)
            break
        except AssertionError:
            wait_ready(page)
            if put_in.count() == 0:
                break
    expect(put_in).to_have_count(0)
    wait_ready(page)
