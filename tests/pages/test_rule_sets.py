"""The setup page's custom rule sets through AppTest: made from a built-in one, refused in
Vietnamese, previewed on sample counts, saved with the administrator's PIN, chosen for a
poll; their texts never read as Markdown."""

from __future__ import annotations

import dataclasses

import pytest
from app_pages import open_page
from html_tables import html_table
from pin_gate import PIN, unlock_admin
from streamlit.testing.v1 import AppTest
from test_setup import button, errors, fill, paste

from tests.db_dump import dump
from tinnhiem.demo import demo_poll
from tinnhiem.model import Attendance
from tinnhiem.storage import Store

K = "rules."


def page(poll_id: int | None = None, admin: bool = True) -> AppTest:
    """The setup page, run once (a new poll when ``poll_id`` is None)."""
    return open_page("pages/setup.py", poll_id, pin=PIN, admin=admin)


def three_fifths(at: AppTest, inclusive: str = "không kể") -> AppTest:
    """The form filled from Nghị quyết 96, made a one-band 3/5 plan over all members."""
    at = button(at, "Nạp vào mẫu").click().run()
    at.text_input(key=K + "id").input("kh-ba-phan-nam")
    at.text_input(key=K + "name").input("Kế hoạch *ba phần năm* của xã")
    at.text_area(key=K + "citation").input("Kế hoạch số 12/KH-UBND ngày 7/1/2019")
    at.selectbox(key=K + "base").set_value("members")
    at.text_input(key=K + "quorum").input("3/5")
    at.number_input(key=K + "count").set_value(1)
    at.text_input(key=K + "band.0").input("three_fifths")
    at.text_input(key=K + "from.0").input("3/5")
    at.radio(key=K + "edge.0").set_value(inclusive)
    at.text_input(key=K + "text.0").input("Trên 3/5: xem xét cho thôi giữ chức.")
    return at.run()


def rule_errors(at: AppTest) -> list[str]:
    """The rule-set editor's refusals (each names its field of the rule set)."""
    return [e for e in errors(at) if e.startswith("rule_set")]


def preview_rows(at: AppTest) -> list[tuple[str, str]]:
    """(count, band) of each line of the preview table."""
    frame = at.table[-1].value
    return list(zip(frame.index, frame["Kết quả"], strict=True))


@pytest.mark.usefixtures("store")
def test_a_built_in_rule_set_fills_every_field() -> None:
    """The editor starts from Nghị quyết 96: its edges, inclusiveness and a new id."""
    at = page()
    assert not at.exception
    assert at.text_input(key=K + "id").value == "nq96-2023-rieng"
    assert at.text_input(key=K + "quorum").value == "2/3"
    assert [at.text_input(key=f"{K}from.{n}").value for n in (0, 1)] == ["1/2", "2/3"]
    assert [at.radio(key=f"{K}edge.{n}").value for n in (0, 1)] == ["không kể", "kể cả"]


@pytest.mark.usefixtures("store")
def test_the_preview_gives_the_band_of_each_sample_count() -> None:
    """Over a typed base of 50 (and 801), N = 3, 5, 30, 31, 481 fall on either side of 3/5."""
    at = three_fifths(page())
    assert not rule_errors(at)
    assert preview_rows(at) == [
        ("3", "Chưa tới ngưỡng nào"),
        ("5", "Chưa tới ngưỡng nào"),
        ("30", "Chưa tới ngưỡng nào"),
        ("31", "Trên ba phần năm tín nhiệm thấp"),
        ("50", "Trên ba phần năm tín nhiệm thấp"),
    ]
    at.number_input(key=K + "sample").set_value(5).run()
    assert preview_rows(at) == [
        ("3", "Chưa tới ngưỡng nào"),
        ("5", "Trên ba phần năm tín nhiệm thấp"),
    ]
    at.radio(key=K + "edge.0").set_value("kể cả").run()
    assert preview_rows(at)[0] == ("3", "Từ ba phần năm tín nhiệm thấp trở lên")
    at.number_input(key=K + "sample").set_value(801).run()
    assert preview_rows(at)[-2] == ("481", "Từ ba phần năm tín nhiệm thấp trở lên")


@pytest.mark.usefixtures("store")
def test_an_inclusive_edge_at_exactly_two_thirds_in_the_preview() -> None:
    """Nghị quyết 96's inclusive ⅔: 20 of 30 is exactly ⅔, in the ⅔ band, as is 31 of 45;
    3 and 5 of 30 are in none."""
    at = page()
    at.number_input(key=K + "sample").set_value(30).run()
    rows = dict(preview_rows(at))
    assert rows["30"] == "Từ hai phần ba tín nhiệm thấp trở lên"
    assert (rows["3"], rows["5"]) == ("Chưa tới ngưỡng nào",) * 2
    at.number_input(key=K + "count").set_value(2)
    at.number_input(key=K + "sample").set_value(45).run()
    assert dict(preview_rows(at))["31"] == "Từ hai phần ba tín nhiệm thấp trở lên"  # 31 ≥ 30


def test_each_refusal_of_the_contract_is_shown_in_vietnamese_and_nothing_saved(
    store: Store,
) -> None:
    """A malformed fraction, one outside (0, 1], a built-in id, edges not increasing and a
    repeated band each show their sentence; the save button is off; the file is unchanged."""
    at = three_fifths(page())
    before = dump(store.path)
    cases = [
        (K + "quorum", "3:5", "phải là một phân số dạng “p/q”"),
        (K + "quorum", "5/3", "nằm ngoài khoảng cho phép"),
        (K + "id", "nq96-2023", "là mã của một bộ quy tắc có sẵn"),
    ]
    for key, value, said in cases:
        at = three_fifths(at)
        at.text_input(key=key).input(value).run()
        assert any(said in e for e in rule_errors(at)), rule_errors(at)
        assert button(at, "Lưu bộ quy tắc").disabled
    at = three_fifths(at)
    at.number_input(key=K + "count").set_value(2).run()
    at.text_input(key=K + "band.1").input("two_thirds")
    at.text_input(key=K + "from.1").input("1/2").run()
    assert any("phải lớn hơn ngưỡng" in e for e in rule_errors(at)), rule_errors(at)
    at.text_input(key=K + "band.1").input("three_fifths")
    at.text_input(key=K + "from.1").input("2/3").run()
    assert any("đã có ở" in e for e in rule_errors(at)), rule_errors(at)
    at.number_input(key=K + "count").set_value(1)
    at.text_input(key=K + "name").input("Kế hoạch\x07").run()
    assert any("U+0007" in e for e in rule_errors(at)), rule_errors(at)
    assert dump(store.path) == before


def test_a_saved_rule_set_is_chosen_for_a_new_poll_and_stored_with_it(store: Store) -> None:
    """Saving puts the rule set in the library and chooses it; the poll made carries it."""
    at = three_fifths(page())
    at = button(at, "Lưu bộ quy tắc").click().run()
    assert not at.exception, at.exception
    assert [r.id for r in store.rule_library.rule_sets()] == ["kh-ba-phan-nam"]
    assert at.radio(key="setup.rules").value == "kh-ba-phan-nam"
    # The name is shown as typed: its asterisks escaped, never emphasis.
    assert "Kế hoạch \\*ba phần năm\\* của xã" in at.radio(key="setup.rules").options[-1]
    at = paste(fill(at, 50, 47, 47, 47))
    at = button(at, "Lưu thiết lập").click().run()
    (summary,) = store.list_polls()
    poll = store.get_poll(summary.id)
    assert poll.rules == "kh-ba-phan-nam"
    assert poll.rule_set is not None and poll.rule_set.name == "Kế hoạch *ba phần năm* của xã"
    assert dict(poll.rule_set.data)["bands"] == [
        {"band": "three_fifths", "from": "3/5", "inclusive": False}
    ]


def test_the_editor_asks_for_the_administrators_pin(store: Store) -> None:
    """On an existing poll, the board's PIN alone does not open the rule-set editor; the
    page's one administrator's gate does."""
    poll_id = store.create_poll(demo_poll(entered=None), pin=PIN)
    at = page(poll_id, admin=False)
    assert not at.exception
    assert [t.key for t in at.text_input if "admin" in str(t.key)] == ["access.admin.pin"]
    assert any("Tạo hoặc sửa bộ quy tắc riêng cần mã quản trị" in i.value for i in at.info)
    assert not any(b.label == "Lưu bộ quy tắc" for b in at.button)
    at = unlock_admin(at)
    assert any(b.label == "Lưu bộ quy tắc" for b in at.button)


def counted_under_three_fifths(store: Store) -> int:
    """A poll of 50 members under a 3/5 plan (edge not inclusive), 31 of 50 low for the first."""
    data = {
        "id": "kh-ba-phan-nam",
        "name": "Kế hoạch _ba phần năm_",
        "citation": "Kế hoạch số 12/KH-UBND",
        "base": "members",
        "quorum": "3/5",
        "bands": [{"band": "three_fifths", "from": "3/5", "inclusive": False}],
        "consequences": {"three_fifths": "Trên 3/5: xem xét cho thôi giữ chức."},
    }
    rules = store.rule_library.save_rule_set(data)
    poll = dataclasses.replace(
        demo_poll(entered=None), rules=rules.id, rule_set=rules, members=Attendance(50, 50),
        issued=50, collected=50, officials=demo_poll().officials[:2], board=(),
    )  # fmt: skip
    poll_id = store.create_poll(poll, pin=PIN)
    store.open_count(poll_id, mode="totals")
    store.set_totals(
        poll_id,
        [{"high": 19, "confidence": 0, "low": 31}, {"high": 20, "confidence": 0, "low": 30}],
    )
    return poll_id


def test_the_results_and_projector_pages_name_the_custom_bands(store: Store) -> None:
    """A poll under a custom rule set shows its bands from its edges and its consequence
    as typed (escaped), on the results page and the projector."""
    poll_id = counted_under_three_fifths(store)
    at = open_page("pages/results.py", poll_id, pin=PIN)
    assert not at.exception, at.exception
    assert [r["Kết quả"] for r in html_table(at, "results-table")] == [
        "Trên ba phần năm tín nhiệm thấp",
        "Chưa tới ngưỡng nào",
    ]
    assert any("Trên 3/5: xem xét cho thôi giữ chức." in e for e in errors(at))
    hall = open_page("pages/projector.py", poll_id)
    assert not hall.exception, hall.exception
