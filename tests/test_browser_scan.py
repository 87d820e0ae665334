"""Scanned ballots in a real browser: a single-entry poll's 20 ballots, printed by the
project, marked and saved as images at test time, are uploaded on "Quét phiếu", every
doubtful row is decided by a person, and the projector counts what the marks say."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from browser_support import App, new_page, unlock, wait_ready
from playwright.sync_api import Browser, expect
from scan_corpus import marked_ballot, render

from tinnhiem import words, words_scan
from tinnhiem.documents import ballot_layout, ballots_pdf
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.tally import tally

pytestmark = pytest.mark.browser
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc")
PIN = "246810"
DPI = 200
COLLECTED = 22
# Ballot (1-based) → the row with only a faint stroke (the reader answers ``?``), the
# digit the person decides against the paper, and how: a key of the keyboard or a button.
FAINT = {3: (2, "2", "key"), 8: (1, "1", "key"), 13: (3, "0", "button"), 18: (2, "3", "button")}


def _files(poll: Poll) -> tuple[list[dict], list[str]]:
    """20 marked ballots as PNG and JPEG files, and the entries the board should store."""
    rng = random.Random(11)
    rows = ballot_layout(poll)["pages"][0]["rows"]
    printed = render(ballots_pdf(poll), DPI)[0]
    files, expected = [], []
    for number in range(1, 21):
        drawn = [rng.choice("1112230") for _ in NAMES]
        faint: tuple[int, ...] = ()
        if number in FAINT:
            row = FAINT[number][0]
            drawn[row - 1] = "0"  # no cross: only the faint stroke in the middle box
            faint = (row,)
        ext, mime = (".jpg", "image/jpeg") if number % 2 else (".png", "image/png")
        data = marked_ballot(printed, rows, "".join(drawn), DPI, faint, seed=number, ext=ext)
        files.append({"name": f"phieu-{number:02d}{ext}", "mimeType": mime, "buffer": data})
        if number in FAINT:
            drawn[FAINT[number][0] - 1] = FAINT[number][1]
        expected.append("".join(drawn))
    return files, expected


def test_twenty_scanned_ballots_are_read_decided_and_counted_on_the_projector(
    app: App, browser: Browser
) -> None:
    """20 ballot images uploaded at 1366×768 are read; each of the four faint rows is
    decided by key or button; confirmed, they are the poll's ballots, and the projector
    shows "Đã kiểm 20 / 22" with the counts of the entries the marks make."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=24, present=COLLECTED),
        issued=COLLECTED,
        collected=COLLECTED,
        officials=tuple(Official(name, "Ủy viên") for name in NAMES),
    )
    poll_id = app.store.create_poll(poll, pin=PIN)
    app.store.open_count(poll_id)
    poll = app.store.get_poll(poll_id, with_entries=False)
    files, expected = _files(poll)

    page = new_page(browser)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(app.url + "/")
    wait_ready(page)
    page.goto(f"{app.url}/quet-phieu?poll={poll_id}")
    unlock(page, PIN)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)  # type: ignore[arg-type]
    # Not wait_ready alone: it can see the script idle before the uploads end, and a click
    # then was lost under load (CI). The page says when the server has every file.
    expect(page.get_by_text(words_scan.chosen(20))).to_be_visible(timeout=60_000)
    wait_ready(page)
    page.get_by_role("button", name=words_scan.READ).click()
    summary = words_scan.summary(20, 20, 20, len(FAINT))
    expect(page.get_by_text(summary)).to_be_visible(timeout=60_000)
    confirm = page.get_by_role("button", name=words_scan.CONFIRM)
    expect(confirm).to_be_disabled()

    for number, (row, decided, how) in FAINT.items():  # the queue follows the upload order
        name = files[number - 1]["name"]
        title = words_scan.row_title(words_scan.page_where(name, 1), row, row)
        expect(page.get_by_text(title)).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("stText")).to_have_text(NAMES[row - 1])  # beside the picture
        if how == "key":
            page.locator("body").press(decided)
        else:
            page.get_by_role("button", name=words_scan.choice(poll.kind, decided)).click()
        expect(page.get_by_text(title)).to_have_count(0, timeout=30_000)
        wait_ready(page)

    expect(confirm).to_be_enabled()
    confirm.click()
    stored = words_scan.STORED.format(count=20, where=words_scan.where_stored(None, None))
    expect(page.get_by_text(stored)).to_be_visible(timeout=30_000)
    assert [b.marks for b in app.store.ballots(poll_id)] == expected

    hall = new_page(browser)
    hall.set_viewport_size({"width": 1366, "height": 768})
    hall.goto(f"{app.url}/trinh-chieu?poll={poll_id}")
    expect(hall.get_by_text(f"Đã kiểm 20 / {COLLECTED} phiếu thu về")).to_be_visible()
    result = tally(replace(poll, entries=tuple(expected)))
    table = hall.get_by_test_id("tinnhiem-hall-table")
    for index, official in enumerate(result.officials):
        line = table.locator("tr").nth(index)
        for level, count in official.counts.items():
            cell = f"{words.LEVEL[level]} {words.number(count)} ({result.percent_vi(count)})"
            expect(line).to_contain_text(cell)
    assert not page.outside_requests and not hall.outside_requests  # type: ignore[attr-defined]
