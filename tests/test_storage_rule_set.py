"""A poll under its own rule set in the store: kept in the setting, frozen by the chain once
the count opens, exported as the contract's ``rule_set`` and imported back; the library of
saved rule sets refuses what the contract refuses, with nothing written."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tests.db_dump import dump
from tinnhiem.cli import main
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.problems import PollError
from tinnhiem.rules import read_rule_set
from tinnhiem.storage import Store
from tinnhiem.storage.errors import SetupInvalid, WrongState
from tinnhiem.tally import as_json, tally


def three_fifths(inclusive: bool) -> dict:
    """A local plan with one edge at 3/5 of all members, the edge itself in or out."""
    return {
        "id": "kh-ba-phan-nam",
        "name": "Kế hoạch lấy phiếu với ngưỡng 3/5 (minh họa)",
        "citation": "Kế hoạch số 12/KH-UBND ngày 7/1/2019",
        "base": "members",
        "quorum": "3/5",
        "bands": [{"band": "three_fifths", "from": "3/5", "inclusive": inclusive}],
        "consequences": {"three_fifths": "Trên 3/5 tổng số thành viên: xem xét cho thôi giữ chức."},
    }


TWO_THIRDS = {
    "id": "kh-hai-phan-ba",
    "name": "Kế hoạch lấy phiếu (minh họa)",
    "citation": "Kế hoạch số 3/KH-UBND",
    "base": "collected",
    "quorum": "2/3",
    "bands": [
        {"band": "over_half", "from": "1/2", "inclusive": False},
        {"band": "two_thirds", "from": "2/3", "inclusive": True},
    ],
    "consequences": {"over_half": "Quá nửa.", "two_thirds": "Từ hai phần ba trở lên."},
}


def poll_under(data: dict, total: int = 9) -> Poll:
    """A poll of ``total`` members, all present and voting, under the rule set ``data``."""
    return Poll(
        kind=Kind.POLL,
        rules=data["id"],
        rule_set=read_rule_set(data),
        members=Attendance(total=total, present=total),
        issued=total,
        collected=total,
        title="Lấy phiếu tín nhiệm",
        body="Hội đồng nhân dân xã Minh Họa",
        officials=(Official("Nguyễn Văn An", "Chủ tịch"),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def counted(store: Store, poll: Poll, low: int) -> int:
    """The poll stored, its count opened in totals mode with ``low`` low votes."""
    poll_id = store.create_poll(poll, actor="Thư ký")
    store.open_count(poll_id, actor="Thư ký", mode="totals")
    high = poll.collected - low
    store.set_totals(poll_id, [{"high": high, "confidence": 0, "low": low}], actor="Thư ký")
    return poll_id


def test_a_poll_keeps_its_own_rule_set(store):
    """The stored poll reads back with the same rule set, and its chain verifies."""
    poll_id = store.create_poll(poll_under(TWO_THIRDS))
    back = store.get_poll(poll_id)
    assert back.rule_set == read_rule_set(TWO_THIRDS) and back.rules == "kh-hai-phan-ba"
    assert dict(back.rule_set.data) == TWO_THIRDS
    assert store.audit_log(poll_id)[0].payload["setting"]["rule_set"] == TWO_THIRDS
    assert store.verify(poll_id).ok


def test_editing_the_rule_set_in_the_database_breaks_the_chain(store):
    """Once the count opens, an edge changed by raw SQL is reported by verify."""
    poll_id = counted(store, poll_under(three_fifths(False), total=50), low=30)
    assert store.verify(poll_id).ok
    store.close()
    edited = json.dumps(three_fifths(True), ensure_ascii=False, separators=(",", ":"))
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("UPDATE polls SET rule_set = ? WHERE id = ?", (edited, poll_id))
    conn.close()
    report = Store(store.path).verify(poll_id)
    assert not report.ok
    assert any("rule_set" in p for p in report.problems), report.problems


def test_a_rule_set_edited_into_no_json_still_breaks_the_chain(store):
    """A rule set overwritten with text that is no JSON is reported, not a crash."""
    poll_id = counted(store, poll_under(three_fifths(False), total=50), low=30)
    store.close()
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("UPDATE polls SET rule_set = 'x' WHERE id = ?", (poll_id,))
    conn.close()
    assert not Store(store.path).verify(poll_id).ok


def test_the_rule_set_cannot_change_while_counting(store):
    """update_poll during the count refuses another rule set; the file is unchanged."""
    poll_id = counted(store, poll_under(three_fifths(False), total=50), low=30)
    before = dump(store.path)
    other = poll_under(three_fifths(True), total=50)
    with pytest.raises(WrongState):
        store.update_poll(poll_id, other)
    assert dump(store.path) == before


def test_a_rule_set_text_with_a_control_character_is_refused(store):
    """A citation holding a control character is refused (S08), nothing written."""
    before = dump(store.path)
    data = {**TWO_THIRDS, "citation": "Kế hoạch\x07"}
    with pytest.raises(SetupInvalid) as refused:
        store.create_poll(poll_under(data))
    assert [p.code for p in refused.value.problems] == ["S08"]
    assert refused.value.problems[0].field == "rule_set.citation"
    assert dump(store.path) == before


# (low votes N, members = base, band with 3/5 not inclusive, band with 3/5 inclusive)
EDGES = [
    (3, 5, "none", "three_fifths"),
    (5, 5, "three_fifths", "three_fifths"),
    (30, 50, "none", "three_fifths"),
    (31, 50, "three_fifths", "three_fifths"),
    (481, 801, "three_fifths", "three_fifths"),
    (481, 802, "none", "none"),
]


@pytest.mark.parametrize(("low", "total", "outside", "inside"), EDGES)
def test_a_three_fifths_edge_at_the_sample_counts(
    store, tmp_path, capsys, low, total, outside, inside
):
    """At N = 3, 5, 30, 31, 481 the app's band follows the edge, and `tinnhiem tally` of the
    export prints exactly the app's numbers."""
    for inclusive, band in ((False, outside), (True, inside)):
        poll_id = counted(store, poll_under(three_fifths(inclusive), total=total), low)
        result = as_json(tally(store.get_poll(poll_id)))
        assert result["officials"][0]["band"] == band
        path = tmp_path / f"export-{inclusive}.json"
        path.write_text(json.dumps(store.export_data(poll_id), ensure_ascii=False), "utf-8")
        capsys.readouterr()
        assert main(["tally", str(path)]) == 0
        assert json.loads(capsys.readouterr().out) == result


@pytest.mark.parametrize(
    ("low", "collected", "band"),
    [(20, 30, "two_thirds"), (19, 30, "over_half"), (2, 3, "two_thirds"), (3, 5, "over_half"),
     (481, 722, "over_half"), (481, 720, "two_thirds"), (15, 30, "none")],
)  # fmt: skip
def test_an_inclusive_edge_at_exactly_two_thirds(store, low, collected, band):
    """Exactly ⅔ of the collected ballots is in the ⅔ band; just below, over half."""
    poll_id = counted(store, poll_under(TWO_THIRDS, total=collected), low)
    assert tally(store.get_poll(poll_id)).officials[0].band == band


def test_export_writes_the_contract_and_import_reads_it_back(store):
    """The export's rules and rule_set are the contract's; its import has the same poll."""
    poll_id = counted(store, poll_under(three_fifths(False), total=50), low=31)
    data = store.export_data(poll_id)
    assert data["rules"] == "kh-ba-phan-nam" and data["rule_set"] == three_fifths(False)
    again = store.import_data(json.loads(json.dumps(data)))
    assert store.get_poll(again).rule_set == store.get_poll(poll_id).rule_set
    assert store.verify(again).ok
    plain = {k: v for k, v in data.items() if k != "x-tinnhiem"}
    fresh = store.import_data(plain)
    assert dict(store.get_poll(fresh).rule_set.data) == three_fifths(False)
    assert tally(store.get_poll(fresh)) == tally(store.get_poll(poll_id))


def test_an_export_whose_rule_set_was_edited_is_refused(store):
    """Changing the rule set of an export (its chain recorded another) refuses the import."""
    poll_id = counted(store, poll_under(three_fifths(False), total=50), low=31)
    data = store.export_data(poll_id)
    data["rule_set"]["bands"][0]["inclusive"] = True
    before = dump(store.path)
    with pytest.raises(PollError):
        store.import_data(data)
    assert dump(store.path) == before


def test_an_imported_rule_set_text_is_checked_as_typed_text(store):
    """A file whose rule-set name is too long is refused naming the field, nothing written."""
    data = store.export_data(store.create_poll(poll_under(TWO_THIRDS)))
    data.pop("x-tinnhiem")
    data["rule_set"]["name"] = "A" * 301
    before = dump(store.path)
    with pytest.raises(PollError) as refused:
        store.import_data(data)
    assert (refused.value.problem.code, refused.value.problem.field) == ("S07", "rule_set.name")
    assert dump(store.path) == before


REFUSALS = [
    ({"id": "nq96-2023"}, "R02"),
    ({"quorum": "2:3"}, "R03"),
    ({"quorum": "3/2"}, "R04"),
    ({"base": "voters"}, "S02"),
    (
        {
            "bands": [
                {"band": "a", "from": "2/3", "inclusive": True},
                {"band": "b", "from": "1/2", "inclusive": False},
            ],
            "consequences": {},
        },
        "R05",
    ),
    (
        {
            "bands": [
                {"band": "a", "from": "1/2", "inclusive": True},
                {"band": "a", "from": "2/3", "inclusive": False},
            ],
            "consequences": {},
        },
        "R06",
    ),
]


@pytest.mark.parametrize(("change", "code"), REFUSALS)
def test_the_library_refuses_what_the_contract_refuses(store, change, code):
    """Each refusal of the contract gives its problem in Vietnamese; the file is unchanged."""
    before = dump(store.path)
    with pytest.raises(SetupInvalid) as refused:
        store.rule_library.save_rule_set({**TWO_THIRDS, **change}, actor="Quản trị")
    assert [p.code for p in refused.value.problems] == [code]
    assert str(refused.value)  # one Vietnamese sentence for the page
    assert dump(store.path) == before


def test_the_library_keeps_the_newest_text_of_each_rule_set(store):
    """Saving an id again replaces what the library offers; both rows stay (append-only)."""
    store.rule_library.save_rule_set(three_fifths(False), actor="Quản trị")
    store.rule_library.save_rule_set(TWO_THIRDS, actor="Quản trị")
    store.rule_library.save_rule_set(three_fifths(True), actor="Quản trị")
    assert [r.id for r in store.rule_library.rule_sets()] == ["kh-ba-phan-nam", "kh-hai-phan-ba"]
    assert store.rule_library.saved_rule_set("kh-ba-phan-nam") == read_rule_set(three_fifths(True))
    assert store.rule_library.saved_rule_set("khác") is None
    store.close()
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT COUNT(*) FROM rule_sets").fetchone()[0] == 3
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM rule_sets")
    conn.close()


def test_a_poll_made_from_a_saved_rule_set_keeps_its_copy(store):
    """Changing the library later never changes a poll made under the old text."""
    saved = store.rule_library.save_rule_set(three_fifths(False), actor="Quản trị")
    poll_id = store.create_poll(replace(poll_under(three_fifths(False)), rule_set=saved))
    store.rule_library.save_rule_set(three_fifths(True), actor="Quản trị")
    assert store.get_poll(poll_id).rule_set == read_rule_set(three_fifths(False))
