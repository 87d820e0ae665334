"""tinnhiem.ui.frame through the router (dashboard.py): demo on first start, poll card, switcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import ADMIN_PIN
from streamlit.testing.v1 import AppTest

from tinnhiem.demo import demo_entries
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.rules import read_rule_set
from tinnhiem.storage import Store
from tinnhiem.ui import frame

POLLS = Path(__file__).parent / "data" / "polls"

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database that the app opens through TINNHIEM_DB."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    store = Store(path)
    store.set_admin_pin(ADMIN_PIN)  # the first start is done (it has tests of its own)
    return store


def app(poll_id: int | None = None) -> AppTest:
    """The whole app (router, frame, default page), run once, ``poll_id`` in the URL."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if poll_id is not None:
        at.query_params["poll"] = str(poll_id)
    return at.run()


def test_the_first_start_creates_the_demo_poll_once(store: Store) -> None:
    """With no poll at all the demo is created, counting, with its first 31 ballots; only once."""
    poll_id = frame.ensure_demo(store)
    assert poll_id is not None
    assert frame.ensure_demo(store) is None
    assert len(store.list_polls()) == 1
    assert store.state(poll_id) == "counting"
    assert [b.marks for b in store.ballots(poll_id)] == list(demo_entries()[:31])


@pytest.mark.usefixtures("store")
def test_the_sidebar_shows_the_open_poll_its_state_and_quorum() -> None:
    """The frame names the demo poll, says it is being counted and that quorum is met."""
    at = app()
    assert not at.exception
    sidebar_text = [t.value for t in at.sidebar.text]
    assert "Hội đồng nhân dân tỉnh (dữ liệu minh họa)" in sidebar_text
    assert any("Đang kiểm phiếu" in m.value for m in at.sidebar.markdown)
    assert [s.value for s in at.sidebar.success] == ["Có mặt 47/50 — cần tối thiểu 34: đủ túc số"]
    assert at.title[0].value == "Kiểm phiếu"


def _three_quarters():
    data = json.loads((POLLS / "rules-quorum-three-quarters.json").read_text(encoding="utf-8"))
    return read_rule_set(data["rule_set"])


@pytest.mark.parametrize(
    ("rule_set", "total", "present", "expected"),
    [
        (None, 30, 19, "Có mặt 19/30 — cần tối thiểu 20: chưa đủ túc số"),  # ⅔ of 30 is 20
        # A custom ¾ quorum: 23 of 31 is short (24 needed), though ⅔ (21) would pass it.
        ("3/4", 31, 23, "Có mặt 23/31 — cần tối thiểu 24: chưa đủ túc số"),
    ],
)
def test_a_poll_without_quorum_by_its_own_rule_set_says_so(
    store: Store, rule_set, total, present, expected
) -> None:
    """Present below the quorum of the poll's rule set shows the quorum as not met."""
    custom = _three_quarters() if rule_set else None
    poll = Poll(
        kind=Kind.VOTE,
        rules=custom.id if custom else "nq96-2023",
        rule_set=custom,
        members=Attendance(total=total, present=present),
        issued=0,
        collected=0,
        officials=(Official("Người được bỏ phiếu"),),
        title="Thiếu túc số",
    )
    at = app(store.create_poll(poll))
    assert [e.value for e in at.sidebar.error] == [expected]


def test_the_switcher_puts_the_chosen_poll_in_the_url(store: Store) -> None:
    """With more than the demo, no poll opens by itself; the one chosen in the sidebar is
    the open poll of this window, on every page of its session."""
    demo = frame.ensure_demo(store)
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=5,
        collected=5,
        officials=(Official("Người thứ nhất"),),
        title="Cuộc thứ hai",
    )
    second = store.create_poll(poll)
    at = app()
    assert "poll" not in at.query_params  # two polls: none opens until one is chosen
    assert at.sidebar.selectbox[0].value is None
    assert any("Chưa chọn cuộc kiểm phiếu" in i.value for i in at.info)
    at.sidebar.selectbox[0].set_value(second).run()
    assert at.query_params["poll"] in (str(second), [str(second)])
    at.query_params.pop("poll")  # another page of the same tab: the session keeps the choice
    assert at.run().query_params["poll"] in (str(second), [str(second)])
    at.sidebar.selectbox[0].set_value(demo).run()
    assert at.query_params["poll"] in (str(demo), [str(demo)])
    assert "Hội đồng nhân dân tỉnh (dữ liệu minh họa)" in [t.value for t in at.sidebar.text]


def test_the_demo_pin_is_shown_for_the_demo_only(store: Store) -> None:
    """The sidebar says "PIN minh họa: 1234" for the first-start demo and for no other poll."""
    at = app()
    assert "PIN minh họa: 1234" in [c.value for c in at.sidebar.caption]
    other = store.create_poll(
        Poll(
            kind=Kind.POLL,
            rules="nq96-2023",
            members=Attendance(total=5, present=5),
            issued=5,
            collected=5,
            officials=(Official("Người thứ nhất"),),
            title="Cuộc thật",
        ),
        pin="8642",
    )
    at.query_params["poll"] = str(other)
    at = at.run()
    assert not [c for c in at.sidebar.caption if "PIN" in c.value]
    demo = next(p.id for p in store.list_polls() if p.id != other)
    store.set_pin(demo, "7777", actor="ban kiểm phiếu")  # the board changed the demo's PIN
    at.query_params["poll"] = str(demo)
    assert not [c for c in at.run().sidebar.caption if "PIN" in c.value]


def test_the_first_start_asks_for_the_administrators_pin_twice(tmp_path, monkeypatch) -> None:
    """A fresh install shows the first-start screen on every page but the projector until
    the administrator's PIN is typed twice alike; the demo exists already."""
    path = tmp_path / "fresh.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    at = app()
    assert at.title[0].value == "Chào mừng đến với tinnhiem"
    assert not at.sidebar.selectbox  # nothing else of the app yet
    store = Store(path)
    assert len(store.list_polls()) == 1  # the demo, made without the administrator's PIN
    at.text_input(key="access.admin.new").input("13579246")
    at.text_input(key="access.admin.again").input("13579240")
    at = next(b for b in at.button if b.label == "Đặt mã quản trị").click().run()
    assert any("không khớp" in e.value for e in at.error)
    assert store.admin_digits() is None
    at.text_input(key="access.admin.new").input("13579246")
    at.text_input(key="access.admin.again").input("13579246")
    at = next(b for b in at.button if b.label == "Đặt mã quản trị").click().run()
    assert store.admin_digits() == 8 and store.check_admin_pin("13579246")
    assert at.title[0].value == "Kiểm phiếu"


@pytest.mark.usefixtures("store")
def test_every_page_carries_the_css_that_puts_streamlits_english_in_vietnamese() -> None:
    """The router draws the CSS that swaps the uploader's words and each table-toolbar
    tooltip Streamlit writes in English for its Vietnamese (words.TOOLBAR), as CSS strings."""
    from tinnhiem import words

    at = app()
    (css,) = [h.proto.body for h in at.get("html") if "stFileUploaderDropzone" in h.proto.body]
    assert f'content: "{words.UPLOAD_BUTTON}"' in css
    assert f'content: "{words.UPLOAD_HINT}"' in css
    for english, vietnamese in words.TOOLBAR.items():
        assert f'[aria-label="{english}"]' in css and f'content: "{vietnamese}"' in css
