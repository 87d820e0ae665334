"""Take the README's screenshots at 1920×1080: counting, projector, projector with 45 officials.

Usage: python3 scripts/screenshots.py [OUT_DIR]   (default docs/images)

Starts the app (``python -m tinnhiem.ui.server``, as ``tinnhiem app`` does) on a free port
with a throw-away database (the demo poll is created on the first start), adds a
45-official poll, and drives Debian's Chromium.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store
from tinnhiem.ui.access import DEMO_PIN

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Đức", "Hồng", "Xuân", "Ngọc")
GIVEN = ("An", "Bình", "Chiến", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc")


def large_poll() -> Poll:
    """A National-Assembly-sized poll: 45 officials, 480 ballots, 300 of them entered."""
    rng = random.Random(45)
    names = []
    while len(names) < 45:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in names:
            names.append(name)
    lows = [rng.choice((0.03, 0.06, 0.1, 0.15, 0.2)) for _ in names]
    lows[7], lows[30] = 0.62, 0.7
    entries = []
    for _ in range(300):
        row = ""
        for low in lows:
            row += rng.choices("1230", weights=((1 - low) * 0.6, (1 - low) * 0.4, low, 0.005))[0]
        entries.append(row)
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=499, present=485),
        issued=480,
        collected=480,
        officials=tuple(Official(n, "Ủy viên") for n in names),
        entries=tuple(entries),
        title="Kỳ họp thứ sáu (dữ liệu minh họa, 45 người)",
        body="Quốc hội (dữ liệu minh họa)",
    )


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "images")
    out.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = Path(tempfile.mkdtemp()) / "tinnhiem.db"
    Store(db).set_admin_pin("13579246")  # the first-start screen is not what we show
    env = {**os.environ, "TINNHIEM_DB": str(db)}
    command = [sys.executable, "-m", "tinnhiem.ui.server"]
    server = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(url + "/?poll=1")
            pin = page.get_by_label("Mã PIN của ban kiểm phiếu", exact=True)
            pin.fill(DEMO_PIN)  # the demo poll's public PIN
            pin.press("Enter")
            page.locator(".tn-line").wait_for(timeout=60000)
            page.keyboard.type("11211111231", delay=60)
            page.keyboard.press("Enter")
            page.get_by_text("Đã lưu phiếu số 32").wait_for(timeout=30000)
            page.keyboard.type("2111321", delay=80)
            time.sleep(2)
            page.screenshot(path=str(out / "counting.png"))
            page.goto(url + "/trinh-chieu?poll=1")
            page.get_by_text("KẾT QUẢ TẠM THỜI").wait_for()
            time.sleep(3)
            page.screenshot(path=str(out / "projector.png"))
            store = Store(db)
            poll = large_poll()
            large = store.create_poll(Poll(**{**poll.__dict__, "entries": None}))
            store.open_count(large)
            for marks in poll.entries or ():
                store.add_ballot(large, marks, station="Minh họa")
            page.goto(f"{url}/trinh-chieu?poll={large}")
            page.get_by_text("KẾT QUẢ TẠM THỜI").wait_for()
            time.sleep(3)
            page.screenshot(path=str(out / "projector-45.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
