"""The results page (pages/results.py) through Streamlit's AppTest: the tally, close and lock."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from html_tables import html_table_cells, html_text
from pin_gate import PIN, gate_shown, unlock
from streamlit.testing.v1 import AppTest

from tinnhiem.limits import MAX_REASON
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import TRIGGER_NAMES, PollLocked, Store

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "results.py")

# HĐND Vĩnh Phúc, 13/12/2023 (domain.md): Lê Duy Thành 19 cao / 2 tín nhiệm / 25 thấp of 47.
VINH_PHUC = ["1"] * 19 + ["2"] * 2 + ["3"] * 25 + ["0"]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def counting(store: Store, entered: int = 47) -> int:
    """A poll of two officials (the first named with Markdown signs), ``entered`` ballots in."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(50, 47),
        issued=47,
        collected=47,
        officials=(
            Official("Lê *Duy* Thành", "Phó Chủ tịch UBND tỉnh"),
            Official("Nguyễn Văn An", "Chủ tịch HĐND tỉnh"),
            Official("Hồ Thị Kim Oanh", "Giám đốc Sở", "Đã có thông báo nghỉ hưu"),
        ),
        title="Kỳ họp thứ mười bốn",
    )
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id)
    for first in VINH_PHUC[:entered]:
        store.add_ballot(poll_id, first + "1")
    return poll_id


def page(poll_id: int, pin: str | None = PIN) -> AppTest:
    """The results page of ``poll_id``, run once; the board's PIN given when asked."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    at.run()
    return unlock(at, pin) if pin and gate_shown(at) else at


def plain(elements) -> list[str]:
    """The texts of these elements without the Markdown escapes put before user text."""
    return [e.value.replace("\\", "") for e in elements]


def close(at: AppTest, reason: str = "") -> AppTest:
    at.text_input(key="results.close_reason").input(reason)
    at.checkbox(key="results.close_sure").check()
    at = at.run()
    return at.button(key="results.close").click().run()


def lock(at: AppTest, word: str = "KHÓA") -> AppTest:
    at.text_input(key="results.lock_word").input(word).run()
    return at.button(key="results.lock").click().run()


def result_rows(at: AppTest) -> list[dict[str, str]]:
    """The result table's rows as header → text, each "%" named after its level's column
    ("Tín nhiệm thấp %")."""
    header, rows = html_table_cells(at, "results-table")
    names = [f"{header[i - 1]} %" if c == "%" else c for i, c in enumerate(header)]
    return [dict(zip(names, row, strict=True)) for row in rows]


def test_table_shows_counts_percentages_base_and_band(store: Store) -> None:
    """The published Vĩnh Phúc result: 40,43% / 4,26% / 53,19%, over half, with its consequence."""
    at = page(counting(store))
    assert not at.exception
    row = result_rows(at)[0]
    assert row["Họ và tên"] == "Lê *Duy* Thành"
    assert (row["Tín nhiệm cao"], row["Tín nhiệm"], row["Tín nhiệm thấp"]) == ("19", "2", "25")
    assert (row["Tín nhiệm cao %"], row["Tín nhiệm %"], row["Tín nhiệm thấp %"]) == (
        "40,43%",
        "4,26%",
        "53,19%",
    )
    assert (row["Hợp lệ"], row["Không hợp lệ"]) == ("46", "1")
    assert row["Kết quả"] == "Quá nửa tín nhiệm thấp"
    html = next(h.value for h in at.get("html") if "results-table" in h.value)
    assert '<td class="band">Quá nửa tín nhiệm thấp</td>' in html  # coloured
    assert "Tỷ lệ phần trăm tính so với tổng số phiếu thu về (47) — " in html_text(at, 2)
    consequence = [e.value for e in at.error if "Điều 12" in e.value]
    assert len(consequence) == 1
    assert consequence[0].startswith("**Lê \\*Duy\\* Thành** — Quá nửa tín nhiệm thấp")
    assert "Có mặt 47/50 — cần tối thiểu 34: đủ túc số" in plain(at.success)
    figures = next(h.value for h in at.get("html") if "results-figures" in h.value)
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", figures) == [
        ("Phiếu phát ra", "47"),
        ("Phiếu thu về", "47"),
        ("Đã nhập", "47/47"),
        ("Cả phiếu không hợp lệ", "0"),
        ("Phiếu hợp lệ", "47"),
    ]
    assert any("Hồ Thị Kim Oanh" in t.value and "nghỉ hưu" in t.value for t in at.text)


def test_close_then_lock_shows_the_hash_and_a_valid_chain(store: Store) -> None:
    """Closing with confirmation, then typing KHÓA locks; the audit hash and chain are shown."""
    poll_id = counting(store)
    at = close(page(poll_id))
    assert store.state(poll_id) == "closed"
    assert "KẾT QUẢ TẠM THỜI · " in html_text(at)
    at = lock(at)
    assert store.state(poll_id) == "locked"
    locked_at, head = store.lock_info(poll_id)
    assert any(head in h.proto.body for h in at.get("html") if "results-table" not in h.value)
    clock, day = locked_at[11:19], f"{locked_at[8:10]}/{locked_at[5:7]}/{locked_at[:4]}"
    assert any(f"Khóa lúc **{clock} ngày {day}**" in m for m in plain(at.markdown))
    assert "KẾT QUẢ CHÍNH THỨC · " in html_text(at)
    assert any("Chuỗi kiểm toán hợp lệ" in s for s in plain(at.success))
    assert not [b for b in at.button if b.key in ("results.close", "results.lock")]


def test_close_refused_while_entered_differs_without_reason(store: Store) -> None:
    """40 of 47 entered: closing without a reason shows the store's refusal; with one, it closes."""
    poll_id = counting(store, entered=40)
    at = page(poll_id)
    assert any("Mới nhập 40/47" in w.value for w in at.warning)
    at = close(at)
    assert any("Mới nhập 40/47 phiếu thu về; nhập đủ, hoặc ghi lý do" in e for e in plain(at.error))
    assert store.state(poll_id) == "counting"
    at = close(at, "7 phiếu bị rách, đã lập biên bản riêng")
    assert store.state(poll_id) == "closed"


def test_close_needs_the_confirmation(store: Store) -> None:
    """The close button stays disabled until the board ticks the confirmation."""
    at = page(counting(store))
    assert at.button(key="results.close").disabled


def test_lock_refused_before_close(store: Store) -> None:
    """While counting, the lock offers no field or button and says it needs the count
    closed first; once closed, both are there."""
    poll_id = counting(store)
    at = page(poll_id)
    assert "results.lock" not in [b.key for b in at.button]
    assert "results.lock_word" not in [t.key for t in at.text_input]
    said = [h.proto.body for h in at.get("html")]
    assert any("Khóa kết quả</h3>" in b and "Chỉ khóa được sau khi kết thúc" in b for b in said)
    at = close(at)
    assert not at.button(key="results.lock").disabled
    assert [s.value for s in at.subheader if s.value == "Khóa kết quả"] == ["Khóa kết quả"]
    said = [h.proto.body for h in at.get("html")] + [c.value for c in at.caption]
    assert not any("Chỉ khóa được sau khi kết thúc" in b for b in said)


def test_lock_refused_without_the_typed_word(store: Store) -> None:
    """A lock without typing KHÓA is refused and the poll stays closed."""
    poll_id = counting(store)
    at = lock(close(page(poll_id)), "khoá đi")
    assert any("Gõ đúng chữ KHÓA" in e for e in plain(at.error))
    assert store.state(poll_id) == "closed"


def test_reopen_needs_a_reason(store: Store) -> None:
    """Reopening a closed count is refused without a reason and done with one."""
    poll_id = counting(store)
    at = close(page(poll_id))
    assert "results.reopen" not in [b.key for b in at.button]  # in its box, drawn when open
    at.session_state["results.reopen_open"] = True
    at.run()
    at = at.button(key="results.reopen").click().run()
    assert any("Cần ghi lý do mở lại" in e for e in plain(at.error))
    assert store.state(poll_id) == "closed"
    at.text_input(key="results.reopen_reason").input("Kiểm lại phiếu số 12").run()
    at = at.button(key="results.reopen").click().run()
    assert store.state(poll_id) == "counting"


def test_nothing_writable_after_the_lock(store: Store) -> None:
    """A locked poll offers no action, and a write behind the page's back is refused."""
    poll_id = counting(store)
    store.close_count(poll_id)
    store.lock(poll_id)
    at = page(poll_id)
    assert [b.key for b in at.button] == []
    with pytest.raises(PollLocked):
        store.reopen_count(poll_id, "muốn sửa")
    assert store.state(poll_id) == "locked"


def test_downloads_are_offered(store: Store) -> None:
    """The poll file and every document are offered for download; while counting, once
    the box of provisional files is opened (it is drawn only then)."""
    at = page(counting(store))
    assert at.get("download_button") == []
    assert [e.label for e in at.expander if "Bản tạm thời" in e.label]
    at.session_state["results.downloads_open"] = True
    at.run()
    labels = [d.label for d in at.get("download_button")]
    assert "Tệp cuộc kiểm phiếu (JSON, kèm nhật ký kiểm toán)" in labels
    assert "Biên bản kiểm phiếu (Word) (tạm thời)" in labels
    assert "Phiếu tín nhiệm để in (PDF)" in labels
    assert len(labels) == 7


def test_poll_in_setup_says_the_count_is_not_open(store: Store) -> None:
    """A poll still in setup shows how to open its count instead of a table."""
    poll_id = counting(store)
    other = store.create_poll(store.get_poll(poll_id))
    at = page(other)
    assert any("Chưa mở kiểm phiếu" in i.value for i in at.info)
    assert result_rows(at) == []


def test_broken_audit_chain_is_shown_in_red(store: Store) -> None:
    """When the database lost a protecting trigger, the locked result says the chain is broken."""
    poll_id = counting(store)
    store.close_count(poll_id)
    store.lock(poll_id)
    with sqlite3.connect(os.environ["TINNHIEM_DB"]) as conn:
        conn.execute(f"DROP TRIGGER {TRIGGER_NAMES[0]}")
    at = page(poll_id)
    assert any("Chuỗi kiểm toán KHÔNG hợp lệ" in e for e in plain(at.error))
    assert any("thiếu 1 trigger" in t.value for t in at.text)


def test_confidence_vote_is_counted_against_all_members(store: Store) -> None:
    """A vote shows two levels and takes all 50 members as its base: 26 of 50 is over half."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(50, 47),
        issued=47,
        collected=47,
        officials=(Official("Trần Văn Bình", "Giám đốc Sở"),),
    )
    poll_id = store.create_poll(poll)
    store.open_count(poll_id)
    for marks in ["2"] * 26 + ["1"] * 21:
        store.add_ballot(poll_id, marks)
    at = page(poll_id)
    row = result_rows(at)[0]
    assert (row["Tín nhiệm"], row["Không tín nhiệm"], row["Không tín nhiệm %"]) == (
        "21",
        "26",
        "52,00%",
    )
    assert "Tín nhiệm cao" not in row
    assert row["Kết quả"] == "Quá nửa không tín nhiệm"
    assert "Tỷ lệ phần trăm tính so với tổng số đại biểu (50) — " in html_text(at, 2)
    assert any("có thể xin từ chức" in e for e in plain(at.error))


def test_hand_count_totals_are_shown_like_entries(store: Store) -> None:
    """Totals typed from a hand count give the same table as ballots entered one by one."""
    other = store.create_poll(store.get_poll(counting(store, entered=0)))
    store.open_count(other, mode="totals")
    store.set_totals(
        other,
        [{"high": 19, "confidence": 2, "low": 25}, {"high": 47, "confidence": 0, "low": 0}],
    )
    row = result_rows(page(other))[0]
    assert (row["Tín nhiệm thấp"], row["Tín nhiệm thấp %"], row["Không hợp lệ"]) == (
        "25",
        "53,19%",
        "1",
    )


def test_without_the_pin_the_result_shows_but_nothing_can_be_closed_or_locked(
    store: Store,
) -> None:
    """Anyone sees the tally; closing, reopening and locking wait for the board's PIN."""
    poll_id = counting(store)
    at = page(poll_id, pin=None)
    assert [r["Họ và tên"] for r in result_rows(at)] == ["Lê *Duy* Thành", "Nguyễn Văn An"]
    assert gate_shown(at)
    labels = [b.label for b in at.button]
    assert "Kết thúc kiểm phiếu" not in labels and "Khóa kết quả" not in labels
    at = unlock(at, "9999")
    assert any("Mã PIN không đúng" in e for e in plain(at.error))
    assert "Kết thúc kiểm phiếu" not in [b.label for b in at.button]
    at = unlock(at)
    assert "Kết thúc kiểm phiếu" in [b.label for b in at.button]


TAMPERING = {
    "a ballot changed": ["UPDATE ballots SET marks = '31' WHERE entry_no = 3"],
    "a ballot deleted": ["DELETE FROM ballots WHERE entry_no = 5"],
    "two ballots swapped": [
        "UPDATE ballots SET marks = 'tmp' WHERE entry_no = 1",
        "UPDATE ballots SET marks = (SELECT marks FROM ballots WHERE entry_no = 30)"
        " WHERE entry_no = 1",
        "UPDATE ballots SET marks = '11' WHERE entry_no = 30",
    ],
    "a log entry removed": ["DELETE FROM audit WHERE seq = 10"],
}


@pytest.mark.parametrize("edit", list(TAMPERING), ids=list(TAMPERING))
def test_a_hand_edited_database_is_shown_in_red_while_counting(store: Store, edit: str) -> None:
    """A ballot changed, deleted, two swapped or a log entry removed by hand (triggers dropped
    first) makes the results page say, in red, that the audit chain is broken."""
    poll_id = counting(store)
    assert store.ballots(poll_id)[0].marks == "11" and store.ballots(poll_id)[29].marks == "31"
    assert not [e for e in plain(page(poll_id).error) if "KHÔNG hợp lệ" in e]
    conn = sqlite3.connect(os.environ["TINNHIEM_DB"], isolation_level=None)
    for name in TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in TAMPERING[edit]:
        conn.execute(statement)
    conn.close()
    at = page(poll_id)
    assert any("Chuỗi kiểm toán KHÔNG hợp lệ" in e for e in plain(at.error))
    assert any("trigger" in t.value for t in at.text)
    report = store.verify(poll_id)
    assert not report.ok
    assert len(report.problems) >= 2  # the missing triggers and the edit itself


def test_a_locked_poll_whose_chain_is_broken_shows_the_break_before_any_tally(
    store: Store,
) -> None:
    """A locked poll edited by hand so that its tally fails shows the broken chain first,
    not only a tally error."""
    poll_id = counting(store)
    store.close_count(poll_id)
    store.lock(poll_id)
    conn = sqlite3.connect(os.environ["TINNHIEM_DB"], isolation_level=None)
    for name in TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE ballots SET marks = '9' WHERE entry_no = 1")
    conn.close()
    errors = plain(page(poll_id).error)
    assert errors and "Chuỗi kiểm toán KHÔNG hợp lệ" in errors[0]


def test_an_open_band_says_how_many_more_low_marks_move_it(store: Store) -> None:
    """After 30 of 47 ballots Lê Duy Thành has 9 low: 15 more are over half and 17 are left;
    Nguyễn Văn An (0 low, 24 needed) is already final and gets no sentence."""
    at = page(counting(store, entered=30))
    assert not at.exception
    first, second = result_rows(at)
    assert first["Chắc chắn"] == "chưa"
    assert first["Còn có thể đổi mức"] == (
        "cần thêm 15 phiếu thấp nữa để quá nửa; còn 17 phiếu chưa kiểm"
    )
    assert second["Chắc chắn"] == "✓" and second["Còn có thể đổi mức"] == ""


def test_no_sentence_once_every_band_is_final(store: Store) -> None:
    at = page(counting(store))
    assert [r["Còn có thể đổi mức"] for r in result_rows(at)] == ["", ""]


def test_the_close_and_reopen_reasons_are_held_to_the_stores_limit(store: Store) -> None:
    """The close and reopen boxes stop at the store's limit for a typed reason."""
    poll_id = counting(store)
    at = page(poll_id)
    assert at.text_input(key="results.close_reason").max_chars == MAX_REASON
    at = close(at)
    at.session_state["results.reopen_open"] = True  # the box "Mở lại kiểm phiếu"
    at.run()
    assert at.text_input(key="results.reopen_reason").max_chars == MAX_REASON


def test_the_table_shows_the_name_counts_and_band_before_the_position(store: Store) -> None:
    """Columns run name, counts with their %, band, then the rest, the position last: on a
    1366-pixel screen the band is in sight without scrolling sideways (the browser test
    measures it); the number and the name stay in view when the table scrolls."""
    at = page(counting(store))
    header, _ = html_table_cells(at, "results-table")
    assert header == [
        *("STT", "Họ và tên", "Tín nhiệm cao", "%", "Tín nhiệm", "%", "Tín nhiệm thấp", "%"),
        *("Kết quả", "Chắc chắn", "Còn có thể đổi mức", "Hợp lệ", "Không hợp lệ", "Chức vụ"),
    ]
    html = next(h.value for h in at.get("html") if "results-table" in h.value)
    assert '<th scope="col" class="pin0">STT</th>' in html
    assert '<th scope="col" class="pin1">Họ và tên</th>' in html
    assert '<td class="pin1">Lê *Duy* Thành</td>' in html
    assert '<div class="tn-box" data-testid="results-table-box"><style>' in html


def test_a_closed_polls_downloads_are_shown_without_opening_a_box(store: Store) -> None:
    """Once the count is closed the board checks the documents before locking: the
    buttons are on the page itself."""
    poll_id = counting(store)
    store.close_count(poll_id)
    labels = [d.label for d in page(poll_id).get("download_button")]
    assert "Biên bản kiểm phiếu (PDF) (tạm thời)" in labels and len(labels) == 7


def test_the_chains_check_runs_on_request_from_its_box(store: Store) -> None:
    """The box "Kiểm tra chuỗi kiểm toán" draws its button only while open; pressed, the
    whole chain is verified and its length said."""
    poll_id = counting(store)
    at = page(poll_id)
    assert "results.verify" not in [b.key for b in at.button]
    at.session_state["results.verify_open"] = True
    at.run()
    at = at.button(key="results.verify").click().run()
    entries = store.verify(poll_id).entries
    assert any(f"Chuỗi kiểm toán hợp lệ ({entries} mục nhật ký)" in s for s in plain(at.success))
