"""The "Quét phiếu" page through AppTest: ballots printed by the project, marked and rendered
at test time, read in a batch; doubts decided by a person before anything is stored; the
batch a pass compared like any other, its decisions and image hashes in the audit log."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from app_pages import open_page
from pin_gate import PIN, gate_shown
from scan_corpus import mark_page, marked_ballot, render
from streamlit.testing.v1 import AppTest
from test_documents_ballots import council

from tinnhiem import words_scan
from tinnhiem.documents import ballot_layout, ballots_pdf
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.stacks import AGREED
from tinnhiem.storage import BallotRefused, Store
from tinnhiem.storage.scans import Scans
from tinnhiem.ui import scan_view

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "scan.py")
DPI = 200
MEMBER = "Lê Thị Thu"
NAMES = ("Nguyễn Văn An", "Trần Thị **Bích** <b>đậm</b>", "[Lê](http://x.vn) `Phúc` :red[đỏ]")
PNG = "image/png"


def new_poll(store: Store, passes: int, kind: Kind = Kind.POLL) -> tuple[int, Poll]:
    poll = Poll(
        kind=kind,
        rules="nq96-2023",
        members=Attendance(total=10, present=10),
        issued=10,
        collected=10,
        officials=tuple(Official(name, "Ủy viên") for name in NAMES),
        passes_required=passes,
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    return poll_id, store.get_poll(poll_id, with_entries=False)


def ballot_png(poll: Poll, entry: str, faint_row: int | None = None, seed: int = 1) -> bytes:
    """A printed ballot of ``poll`` rendered, a pen cross in the box of each digit of
    ``entry`` (0: left blank), and a short faint stroke in the middle box of ``faint_row``
    (1-based), which the reader cannot decide; as PNG bytes."""
    rows = ballot_layout(poll)["pages"][0]["rows"]
    faint = () if faint_row is None else (faint_row,)
    return marked_ballot(render(ballots_pdf(poll), DPI)[0], rows, entry, DPI, faint, seed)


def page(poll_id: int) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["poll"] = str(poll_id)
    at.run()
    assert gate_shown(at)  # the board's PIN first, as on the counting page
    at.text_input(key="access.pin").input(PIN)
    at.text_input(key="access.member").input(MEMBER)
    next(b for b in at.button if b.label == "Mở khóa").click()
    return at.run()


def read(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="scan.files").set_value([(name, data, PNG) for name, data in files])
    return at.button(key="scan.read").click().run()


def pictures(at: AppTest) -> list:
    """The images the page shows (st.image elements, wherever they are)."""
    return [e for e in _walk(at.main) if getattr(e, "type", "") == "image"]


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def scan_entries(store: Store, poll_id: int) -> list[dict]:
    return [e.payload for e in store.audit_log(poll_id) if e.action == "scan"]


def test_the_page_is_behind_the_boards_pin(store):
    """Without the PIN the page shows the gate and no uploader."""
    poll_id, _ = new_poll(store, 2)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.run()
    assert gate_shown(at) and not at.get("file_uploader")


def test_the_router_serves_the_page_at_quet_phieu(store):
    """The app's router has the page (the menu's “Quét phiếu”, /quet-phieu): opened through
    dashboard.py and unlocked, it shows the uploader."""
    poll_id, _ = new_poll(store, 1)
    at = open_page("dashboard.py", poll_id, switch_to="pages/scan.py", pin=PIN)
    assert not at.exception
    assert [t.value for t in at.title] == [words_scan.TITLE]
    assert at.get("file_uploader")
    source = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert 'url_path="quet-phieu"' in source and '"quet-phieu"' in source.split("known =")[1]


def test_a_clean_batch_is_a_pass_that_agrees_with_an_identical_typed_pass(store):
    """Two ballots scanned as the second pass of a stack typed once: the stack agrees, and
    the audit log keeps the batch with the images' SHA-256 and no decision."""
    poll_id, poll = new_poll(store, 2)
    stack = store.add_stack(poll_id, "Xấp 1", 2, "Trưởng ban")
    number = store.start_pass(poll_id, stack, "Người gõ")
    for entry in ("120", "312"):
        store.add_pass_ballot(poll_id, stack, number, entry)
    store.finish_pass(poll_id, stack, number)
    files = [("a.png", ballot_png(poll, "120")), ("b.png", ballot_png(poll, "312", seed=2))]
    at = read(page(poll_id), files)
    assert not at.exception
    assert at.selectbox(key="scan.stack").value == stack
    assert not at.button(key="scan.confirm").disabled
    at = at.button(key="scan.confirm").click().run()
    assert not at.exception
    view = store.stack_summary(poll_id).views[0]
    assert view.state == AGREED and list(view.counted) == ["120", "312"]
    scanned = view.record.current()[1]
    assert scanned.typist == words_scan.typist(MEMBER) and scanned.finished
    [logged] = scan_entries(store, poll_id)
    assert [i["sha256"] for i in logged["images"]] == [
        hashlib.sha256(d).hexdigest() for _, d in files
    ]
    assert logged["decisions"] == [] and logged["stack_no"] == stack and logged["ballots"] == 2
    assert any("Đã ghi 2 phiếu quét" in s.value for s in at.success)
    kept = store.scans.images(poll_id)  # the files themselves, byte for byte
    assert {(i.name, i.media_type, i.data) for i in kept.values()} == {
        (name, "image/png", data) for name, data in files
    }


def test_a_doubtful_row_is_decided_by_a_person_before_anything_is_stored(store):
    """A row the reader cannot decide shows its picture and the official's name literally;
    confirm waits until a person decides it; the decision (who, what, where) is logged."""
    poll_id, poll = new_poll(store, 1)
    at = read(page(poll_id), [("phiếu.png", ballot_png(poll, "100", faint_row=2))])
    assert not at.exception
    assert at.button(key="scan.confirm").disabled
    assert store.ballot_count(poll_id) == 0
    assert NAMES[1] in [t.value for t in at.text]  # the name as typed, never Markdown
    assert not any(NAMES[1] in m.value for m in at.markdown)
    assert pictures(at)  # the row's picture
    batch = at.session_state[scan_view.BATCH_KEY]
    assert batch.pictures[0, 2].startswith(b"\x89PNG")
    at = at.button(key="scan.decide.3").click().run()
    assert not at.button(key="scan.confirm").disabled
    decided = " ".join(h.proto.body for h in at.get("html"))
    assert scan_view.DECIDED_TABLE in decided and "&lt;b&gt;đậm&lt;/b&gt;" in decided
    assert "<b>đậm</b>" not in decided and MEMBER in decided
    at = at.button(key="scan.confirm").click().run()
    assert not at.exception
    [ballot] = store.ballots(poll_id)
    assert ballot.marks == "130" and ballot.entered_by == words_scan.typist(MEMBER)
    [logged] = scan_entries(store, poll_id)
    [decision] = logged["decisions"]
    assert (decision["file"], decision["page"], decision["row"]) == ("phiếu.png", 1, 2)
    assert (decision["decided"], decision["by"], decision["official"]) == ("3", MEMBER, NAMES[1])
    assert decision["at"]


def test_a_vote_row_is_decided_as_1_2_or_0(store):
    """A confidence vote's doubtful row offers 1, 2 and 0 only; 0 stores a blank row."""
    poll_id, poll = new_poll(store, 1, Kind.VOTE)
    at = read(page(poll_id), [("a.png", ballot_png(poll, "120", faint_row=3))])
    keys = sorted(b.key for b in at.button if b.key and b.key.startswith("scan.decide."))
    assert keys == ["scan.decide.0", "scan.decide.1", "scan.decide.2"]
    at = at.button(key="scan.decide.0").click().run()
    at = at.button(key="scan.confirm").click().run()
    assert [b.marks for b in store.ballots(poll_id)] == ["120"]


def test_a_two_page_ballot_is_one_ballot_joined_in_page_order(store):
    """A ballot of 31 officials printed on two pages, uploaded page 2 first then page 1 with
    a serial, is one ballot whose entry runs page 1 then page 2."""
    poll = replace(council(31), passes_required=1, board=())  # the gate asks a name
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    poll = store.get_poll(poll_id, with_entries=False)
    layout = ballot_layout(poll, serial=True)["pages"]
    sizes = [len(p["rows"]) for p in layout]
    entry = "".join("123"[n % 3] for n in range(31))
    printed = render(ballots_pdf(poll, serial=True), DPI)
    files = []
    for number in (2, 1):
        start = sum(sizes[: number - 1])
        part = entry[start : start + sizes[number - 1]]
        choices = [[(int(d), "cross")] for d in part]
        rng = np.random.default_rng(number)
        marked = mark_page(printed[number - 1], layout[number - 1]["rows"], choices, DPI, rng)
        files.append((f"trang-{number}.png", cv2.imencode(".png", marked)[1].tobytes()))
    at = read(page(poll_id), files)
    assert not at.exception and len(sizes) == 2
    at = at.button(key="scan.confirm").click().run()
    assert [b.marks for b in store.ballots(poll_id)] == [entry]


def test_a_batch_larger_than_the_ballots_left_is_not_stored_at_all(store):
    """With 9 of 10 collected ballots entered, a batch of two is refused before any is
    stored, saying why."""
    poll_id, poll = new_poll(store, 1)
    for _ in range(9):
        store.add_ballot(poll_id, "111")
    files = [("a.png", ballot_png(poll, "120")), ("b.png", ballot_png(poll, "312", seed=2))]
    at = read(page(poll_id), files)
    assert at.button(key="scan.confirm").disabled
    assert any(words_scan.too_many(2, 1) == i.value for i in at.info)
    assert store.ballot_count(poll_id) == 9


def test_a_batch_whose_storing_fails_half_way_is_not_stored_at_all(store, monkeypatch):
    """The batch's record refused after its ballots were written (here: made to fail):
    none of its ballots stays, the board reads why, and the batch waits to be confirmed
    again — which then stores every ballot once."""
    poll_id, poll = new_poll(store, 1)
    files = [("a.png", ballot_png(poll, "120")), ("b.png", ballot_png(poll, "312", seed=2))]
    at = read(page(poll_id), files)
    real = Scans.record_batch

    def refused(*_: object, **__: object) -> None:
        raise BallotRefused("Hỏng giữa chừng.")

    monkeypatch.setattr(Scans, "record_batch", refused)
    at = at.button(key="scan.confirm").click().run()
    assert not at.exception
    assert any("Chưa ghi lô phiếu: Hỏng giữa chừng" in e.value for e in at.error)
    assert store.ballot_count(poll_id) == 0 and not scan_entries(store, poll_id)
    assert store.scans.image_count(poll_id) == 0 and store.verify(poll_id).ok
    monkeypatch.setattr(Scans, "record_batch", real)
    at = at.button(key="scan.confirm").click().run()
    assert [b.marks for b in store.ballots(poll_id)] == ["120", "312"]
    assert len(scan_entries(store, poll_id)) == 1 and store.scans.image_count(poll_id) == 2


def test_a_stack_pass_whose_storing_fails_half_way_leaves_no_pass(store, monkeypatch):
    """As a pass of a stack: no pass is started, no ballot of it kept, when the batch's
    record is refused."""
    poll_id, poll = new_poll(store, 2)
    store.add_stack(poll_id, "Xấp 1", 2, "Trưởng ban")
    files = [("a.png", ballot_png(poll, "120")), ("b.png", ballot_png(poll, "312", seed=2))]
    at = read(page(poll_id), files)

    def refused(*_: object, **__: object) -> None:
        raise BallotRefused("Hỏng giữa chừng.")

    monkeypatch.setattr(Scans, "record_batch", refused)
    at = at.button(key="scan.confirm").click().run()
    assert any("Hỏng giữa chừng" in e.value for e in at.error)
    assert store.stack_summary(poll_id).views[0].record.passes == ()
    assert store.verify(poll_id).ok


def test_the_last_decision_can_be_made_again_before_confirming(store):
    """Undoing the last decision puts its row back in the queue; nothing is stored."""
    poll_id, poll = new_poll(store, 1)
    at = read(page(poll_id), [("a.png", ballot_png(poll, "100", faint_row=2))])
    at = at.button(key="scan.decide.2").click().run()
    at = at.button(key="scan.undo").click().run()
    assert at.button(key="scan.confirm").disabled and store.ballot_count(poll_id) == 0
    assert pictures(at)


def test_another_polls_page_and_a_file_that_is_no_image_are_listed_to_rescan(store):
    """A ballot printed for another poll is listed as not this poll's ballot (P07), a text
    file as no image (P05); the page's own ballot is still read."""
    poll_id, poll = new_poll(store, 1)
    files = [
        ("khác.png", ballot_png(council(3), "111")),
        ("ghi-chú.txt", b"khong phai anh"),
        ("đúng.png", ballot_png(poll, "222")),
    ]
    at = read(page(poll_id), files)
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert scan_view.NOT_READ_TABLE in html
    assert "khác.png, trang 1" in html and "không phải phiếu của đợt lấy phiếu này" in html
    assert "ghi-chú.txt" in html and "không phải tệp ảnh" in html
    at = at.button(key="scan.confirm").click().run()
    assert [b.marks for b in store.ballots(poll_id)] == ["222"]


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "**x** _y_ $z$ :red[w]"])
def test_hostile_file_names_stay_literal(store, name):
    """A file name with HTML or Markdown is shown as typed in the list of pages to rescan."""
    poll_id, _ = new_poll(store, 1)
    at = read(page(poll_id), [(name, b"no image")])
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<script>" not in html
    assert ("&lt;script&gt;" in html) if "<" in name else (name in html)


def test_a_folder_the_scanner_writes_to_is_read_as_a_batch_and_not_twice(store, tmp_path):
    """The folder typed, its state shown, its two ready ballots read and confirmed; read
    again, both are left out as kept already (same bytes), and a wrong path is said."""
    import os
    import time

    poll_id, poll = new_poll(store, 1)
    scans = tmp_path / "may-quet"
    scans.mkdir()
    old = time.time() - 60
    for name, entry, seed in (("0001.png", "120", 1), ("0002.png", "312", 2)):
        (scans / name).write_bytes(ballot_png(poll, entry, seed=seed))
        os.utime(scans / name, (old, old))
    (scans / "0003.png").write_bytes(b"")  # the scanner has just opened this one
    at = page(poll_id)
    at = at.text_input(key=scan_view.K_FOLDER).input(str(scans)).run()
    assert not at.exception
    state = words_scan.folder_state(2, 1, 0, 0)
    assert (
        state
        == "Thư mục có 2 tệp ảnh sẵn sàng để đọc, 1 tệp đang được ghi (chờ máy quét ghi xong)."
    )
    assert state in [c.value for c in at.caption]
    at = at.button(key="scan.read_folder").click().run()
    assert not at.exception
    at = at.button(key="scan.confirm").click().run()
    assert [b.marks for b in store.ballots(poll_id)] == ["120", "312"]
    [logged] = scan_entries(store, poll_id)
    assert [i["name"] for i in logged["images"]] == ["0001.png", "0002.png"]

    at = at.text_input(key=scan_view.K_FOLDER).input(str(scans)).run()
    at = at.button(key="scan.read_folder").click().run()
    assert words_scan.skipped_known(2) in [i.value for i in at.info]
    assert words_scan.FOLDER_NONE_READY in [w.value for w in at.warning]
    assert len(scan_entries(store, poll_id)) == 1

    at = at.text_input(key=scan_view.K_FOLDER).input(str(scans / "khongco")).run()
    assert any("Không có thư mục" in e.value and "khongco" in e.value for e in at.error)
