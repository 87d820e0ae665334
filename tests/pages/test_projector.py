"""The projector page (pages/projector.py) through AppTest: header, counts, official result."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "projector.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the page opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    return Store(path)


def new_poll(store: Store, officials: int = 3, collected: int = 4, body: str = "HĐND xã") -> int:
    """A poll of ``officials`` officials with its count open."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=5,
        collected=collected,
        officials=tuple(Official(f"Người thứ {n}", "Ủy viên") for n in range(1, officials + 1)),
        title="Kỳ họp thử",
        body=body,
    )
    poll_id = store.create_poll(poll)
    store.open_count(poll_id)
    return poll_id


def page(poll_id: int) -> AppTest:
    """The projector page of ``poll_id``, run once."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["poll"] = str(poll_id)
    return at.run()


def header(at: AppTest) -> str:
    """The HTML of the big-type header."""
    return at.get("html")[0].proto.body


def test_while_counting_the_result_is_provisional_with_the_ballots_counted(store: Store) -> None:
    """During the count the header says KẾT QUẢ TẠM THỜI and how many ballots are counted."""
    poll_id = new_poll(store)
    store.add_ballot(poll_id, "123")
    at = page(poll_id)
    assert not at.exception
    assert "KẾT QUẢ TẠM THỜI" in header(at)
    assert "Đã kiểm 1 / 4 phiếu thu về" in header(at)
    assert len(at.get("vega_lite_chart")) == 1


def test_a_ballot_stored_elsewhere_shows_on_the_next_refresh(store: Store) -> None:
    """A ballot stored by another station appears when the screen refreshes (token changed)."""
    poll_id = new_poll(store)
    at = page(poll_id)
    assert "Đã kiểm 0 / 4 phiếu thu về" in header(at)
    store.add_ballot(poll_id, "333")
    at.run()
    assert "Đã kiểm 1 / 4 phiếu thu về" in header(at)


def test_after_the_lock_the_result_is_official(store: Store) -> None:
    """A locked poll is shown as KẾT QUẢ CHÍNH THỨC."""
    poll_id = new_poll(store, collected=1)
    store.add_ballot(poll_id, "111")
    store.close_count(poll_id)
    store.lock(poll_id)
    at = page(poll_id)
    assert "KẾT QUẢ CHÍNH THỨC" in header(at)
    assert "KẾT QUẢ TẠM THỜI" not in header(at)


def test_a_poll_not_yet_counted_says_so(store: Store) -> None:
    """A poll still in setup with no ballots collected shows why there is no result yet."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=0,
        collected=0,
        officials=(Official("Người thứ nhất"),),
    )
    poll_id = store.create_poll(poll)
    at = page(poll_id)
    assert "CHƯA KIỂM PHIẾU" in header(at)
    assert any("Chưa có kết quả" in i.value for i in at.info)


def test_many_officials_are_shown_a_screen_at_a_time(store: Store) -> None:
    """Forty-five officials are split into three screens of fifteen."""
    poll_id = new_poll(store, officials=45)
    at = page(poll_id)
    assert "Trang " in header(at) and "/3" in header(at)


def test_names_and_bodies_are_never_rendered_as_html(store: Store) -> None:
    """A body containing markup reaches the screen escaped."""
    poll_id = new_poll(store, body="<img src=x onerror=alert(1)> **HĐND**")
    at = page(poll_id)
    assert "<img" not in header(at)
    assert "&lt;img src=x onerror=alert(1)&gt; **HĐND**" in header(at)


def test_the_header_shows_the_chain_head_and_its_entry_count_after_every_change(store):
    """The hall sees the audit chain's short head and count, and both move with a ballot."""
    poll_id = new_poll(store)
    entries = store.audit_log(poll_id)
    assert f"Nhật ký {len(entries)} mục · mã {entries[-1].hash[:8]}" in header(page(poll_id))
    store.add_ballot(poll_id, "111")
    entries = store.audit_log(poll_id)
    assert f"Nhật ký {len(entries)} mục · mã {entries[-1].hash[:8]}" in header(page(poll_id))


def test_an_open_band_says_how_many_more_low_marks_move_it(store: Store) -> None:
    """3 low of 5 with one ballot left: one more is ⅔; the others (0 low) are final."""
    poll_id = new_poll(store, collected=5)
    for ballot in ("311", "311", "311", "111"):
        store.add_ballot(poll_id, ballot)
    body = header(page(poll_id))
    rows = body.split("<tr>")[1:]
    assert len(rows) == 3
    assert "Quá nửa · +1 → từ 2/3" in rows[0]
    assert "đã chắc chắn" not in rows[0]
    for row in rows[1:]:
        assert "✔ đã chắc chắn" in row and "→" not in row
