"""Reading and writing the poll file tinnhiem/1 (tinnhiem.pollfile)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tinnhiem.demo import demo_poll
from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.pollfile import EXTENSION, FORMAT, parse_poll_file, poll_from_data, poll_to_data
from tinnhiem.validation import PollError

POLLS = Path(__file__).parent / "data" / "polls"
ERRORS = json.loads((POLLS / "errors.json").read_text(encoding="utf-8"))
# A zero base is found by the tally, not by reading the file.
TALLY_ERRORS = {"bad-base-zero.json", "bad-vote-base-zero.json"}
VALID = sorted(p.name for p in POLLS.glob("*.json") if not p.name.startswith("bad-"))
VALID.remove("errors.json")

VP = json.loads((POLLS / "vinh-phuc-2023-totals.json").read_text(encoding="utf-8"))


def mutated(**changes) -> dict:
    data = json.loads(json.dumps(VP))
    data.update(changes)
    return data


def test_every_bad_fixture_has_an_expected_error():
    """The error table covers every bad-*.json fixture and nothing else."""
    assert set(ERRORS) == {p.name for p in POLLS.glob("bad-*.json")}


@pytest.mark.parametrize("name", sorted(set(ERRORS) - TALLY_ERRORS))
def test_bad_file_names_the_field(name):
    """Every invalid file raises PollError with its registered code, whose line starts with
    the field and says why."""
    field, fragment, code = ERRORS[name]
    with pytest.raises(PollError, match=re.escape(fragment)) as caught:
        parse_poll_file((POLLS / name).read_bytes())
    assert str(caught.value).startswith(f"{field}: ")
    assert fragment in str(caught.value)
    assert (caught.value.problem.field, caught.value.problem.code) == (field, code)


@pytest.mark.parametrize("name", sorted(TALLY_ERRORS))
def test_zero_base_file_parses(name):
    """A file whose base is zero is well formed; only the tally refuses it."""
    assert parse_poll_file((POLLS / name).read_bytes()).collected == 0


@pytest.mark.parametrize("name", VALID)
def test_valid_fixture_parses(name):
    """Every good fixture parses into a Poll."""
    assert isinstance(parse_poll_file((POLLS / name).read_bytes()), Poll)


def test_parse_reads_every_contract_field():
    """Each contract field lands in the Poll it describes."""
    poll = parse_poll_file((POLLS / "base-members-truncate.json").read_bytes())
    assert poll.kind is Kind.POLL
    assert poll.rules == "nq96-2023"
    assert poll.members == Attendance(total=50, present=47)
    assert (poll.issued, poll.collected, poll.invalid) == (47, 47, 0)
    assert poll.officials == (Official("Lê Duy Thành", "Phó Chủ tịch UBND tỉnh"),)
    assert poll.totals == ({"high": 19, "confidence": 2, "low": 25},)
    assert poll.entries is None
    assert (poll.base, poll.rounding) == ("members", "truncate")
    assert (poll.title, poll.body, poll.date) == (VP["title"], VP["body"], "2023-12-13")


def test_defaults_of_optional_fields():
    """Without base, rounding, invalid, title, body and date the defaults apply."""
    data = mutated()
    for key in ("title", "body", "date"):
        del data[key]
    poll = poll_from_data(data)
    assert (poll.base, poll.rounding, poll.invalid) == (None, "half_up", 0)
    assert (poll.title, poll.body, poll.date) == ("", "", None)


def test_neither_entries_nor_totals_is_nothing_counted():
    """A file with neither entries nor totals is a poll with nothing counted yet."""
    data = mutated()
    del data["totals"]
    assert poll_from_data(data).mode == "empty"


def test_utf8_bom_is_accepted_in_bytes_and_text():
    """A leading byte-order mark does not stop a file from parsing."""
    raw = (POLLS / "vinh-phuc-2023-bom.json").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    expected = parse_poll_file((POLLS / "vinh-phuc-2023-totals.json").read_bytes())
    assert parse_poll_file(raw) == expected
    assert parse_poll_file(raw.decode("utf-8")) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "tệp trống"),
        (" \n\t", "tệp trống"),
        ("{", "JSON sai ở dòng 1, cột 2: tên trường phải nằm trong dấu"),
        ('{"format": "tinnhiem/1",}', "JSON sai ở dòng 1, cột 25: tên trường"),
        ('{"format" "tinnhiem/1"}', "thiếu dấu “:” sau tên trường"),
        ('{"format": "tinnhiem/1"} {}', "còn dữ liệu thừa"),
        ('{"format": tinnhiem}', "thiếu một giá trị"),
        ('{"format": Infinity}', "Infinity không phải một số JSON"),
        ('{"format": -Infinity}', "-Infinity không phải một số JSON"),
        ("1" + "0" * 5000, "số có 5001 chữ số, quá lớn"),
        ("[" * 100_000 + "]" * 100_000, "lồng nhau quá sâu"),
        ("[" * 65 + "]" * 65, "lồng nhau quá sâu"),
        ("null", "phải là một đối tượng JSON"),
        ('"tinnhiem/1"', "phải là một đối tượng JSON"),
    ],
)
def test_malformed_json(text, message):
    """Text that is not one strict JSON object is refused as a whole file."""
    with pytest.raises(PollError, match=r"^\(tệp\): .*" + message):
        parse_poll_file(text)


def test_duplicate_key_in_a_nested_object():
    """A key given twice, even inside members, is refused rather than silently overwritten."""
    text = json.dumps(VP).replace('"present": 47', '"present": 47, "present": 50')
    with pytest.raises(PollError, match=r"^present: khóa này xuất hiện hai lần"):
        parse_poll_file(text)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"members": {"total": 50, "present": 47, "absent": 3}}, "members.absent", "không có"),
        ({"ballots": {"issued": 47, "collected": 47, "valid": 46}}, "ballots.valid", "không có"),
        (
            {"officials": [{"name": "Lê Duy Thành", "role": "PCT"}]},
            "officials[1].role",
            "không có",
        ),
        ({"members": [50, 47]}, "members", "phải là một đối tượng JSON"),
        ({"ballots": None}, "ballots", "phải là một đối tượng JSON"),
        ({"officials": {"name": "A"}}, "officials", "danh sách không rỗng"),
        ({"officials": ["Lê Duy Thành"]}, "officials[1]", "phải là một đối tượng JSON"),
        ({"officials": [{"name": "  "}]}, "officials[1].name", "họ tên đang trống"),
        ({"officials": [{"name": 7}]}, "officials[1].name", "phải là một chuỗi"),
        ({"officials": [{"name": "A", "position": None}]}, "officials[1].position", "chuỗi"),
        ({"kind": ["poll"]}, "kind", "không hợp lệ"),
        ({"kind": "Poll"}, "kind", "không hợp lệ"),
        ({"rules": None}, "rules", "không hợp lệ"),
        ({"base": None}, "base", "không hợp lệ"),
        ({"rounding": "HALF_UP"}, "rounding", "không hợp lệ"),
        ({"format": "tinnhiem/1.0"}, "format", "phải là “tinnhiem/1”"),
        ({"title": 5}, "title", "phải là một chuỗi"),
        ({"body": ["HĐND"]}, "body", "phải là một chuỗi"),
        ({"date": "13/12/2023"}, "date", "YYYY-MM-DD"),
        ({"date": "2023-12-13\n"}, "date", "YYYY-MM-DD"),
        ({"date": "２０２３-12-13"}, "date", "YYYY-MM-DD"),
        ({"date": ""}, "date", "YYYY-MM-DD"),
        ({"date": None}, "date", "phải là một chuỗi"),
        ({"totals": None}, "totals", "phải là một danh sách"),
        ({"totals": {"high": 1}}, "totals", "phải là một danh sách"),
        ({"totals": [{"high": 19, "confidence": 2, "low": "25"}]}, "totals[1].low", "không âm"),
        ({"entries": None}, "totals", "cả entries lẫn totals"),
        ({"ballots": {"issued": 47, "collected": 47, "invalid": 1.5}}, "ballots.invalid", "số"),
        ({"members": {"total": 50, "present": -0.0}}, "members.present", "số nguyên"),
        ({EXTENSION: []}, EXTENSION, "phải là một đối tượng JSON"),
        ({EXTENSION: {"board": 5}}, f"{EXTENSION}.board", "phải là một danh sách"),
        ({EXTENSION: {"board": ["A"]}}, f"{EXTENSION}.board[1]", "đối tượng"),
        ({EXTENSION: {"board": [{"role": "chair"}]}}, f"{EXTENSION}.board[1].name", "thiếu"),
        ({EXTENSION: {"time": 14}}, f"{EXTENSION}.time", "chuỗi"),
        ({EXTENSION: {"absent_with_reason": "3"}}, f"{EXTENSION}.absent_with_reason", "số"),
        ({EXTENSION: {"officials": [{"name": "B"}]}}, f"{EXTENSION}.officials", "không khớp"),
        (
            {EXTENSION: {"officials": [{"name": "X", "exempt_reason": 1}]}},
            f"{EXTENSION}.officials[1].exempt_reason",
            "chuỗi",
        ),
    ],
)
def test_field_errors(changes, field, message):
    """Each wrong field value is refused with an error line naming that field."""
    with pytest.raises(PollError, match=re.escape(message)) as caught:
        poll_from_data(mutated(**changes))
    assert caught.value.problem.field == field
    assert message in caught.value.problem.message


def test_extension_keys_are_accepted():
    """Keys starting with x- are extensions: accepted at every level and ignored."""
    data = mutated(**{"x-other-tool": {"any": [1, 2]}})
    data["members"]["x-note"] = "vắng 3"
    data["officials"][0]["x-id"] = 7
    assert poll_from_data(data) == poll_from_data(mutated())


def test_null_in_the_extension_means_absent():
    """The extension writes null for unknown absentees and reads it back as None."""
    data = mutated(**{EXTENSION: {"absent_with_reason": None, "time": None, "place": None}})
    poll = poll_from_data(data)
    assert poll.members.absent_with_reason is None
    assert (poll.time, poll.place) == ("", "")


def test_official_names_are_trimmed():
    """Spaces around a name or position are dropped."""
    data = mutated(officials=[{"name": " Lê Duy Thành ", "position": " PCT "}])
    assert poll_from_data(data).officials == (Official("Lê Duy Thành", "PCT"),)


def test_position_is_optional():
    """An official without a position gets an empty one."""
    data = mutated(officials=[{"name": "Lê Duy Thành"}])
    assert poll_from_data(data).officials == (Official("Lê Duy Thành", ""),)


def test_round_trip_of_the_demo_poll():
    """Writing the demo poll and reading it back loses nothing, exempt official included."""
    poll = demo_poll(entered=None)
    data = json.loads(json.dumps(poll_to_data(poll), ensure_ascii=False))
    assert poll_from_data(data) == poll
    assert [o["name"] for o in data["officials"]] == [o.name for o in poll.ballot_officials]
    assert len(data[EXTENSION]["officials"]) == len(poll.officials)


def test_round_trip_of_totals_vote_and_settings():
    """Totals, whole invalid ballots, a vote, a base override and truncation survive the trip."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="qd96-tw",
        members=Attendance(total=9, present=8, absent_with_reason=1, absent_without_reason=0),
        issued=8,
        collected=8,
        invalid=1,
        officials=(Official("Ngô Văn D", "Bí thư"),),
        totals=({"confidence": 3, "no_confidence": 4},),
        base="collected",
        rounding="truncate",
        title="Hội nghị",
        date="2024-01-31",
        time="08:00",
        place="Hội trường",
        board=(BoardMember("Trưởng ban", "chair"),),
        remarks="Không có khiếu nại.",
    )
    data = poll_to_data(poll)
    assert data["ballots"] == {"issued": 8, "collected": 8, "invalid": 1}
    assert poll_from_data(json.loads(json.dumps(data))) == poll


def test_written_file_has_the_contract_key_order():
    """The writer puts the contract fields first, in the order of poll-file.md."""
    data = poll_to_data(replace(demo_poll(), base="issued", rounding="truncate"))
    assert data["format"] == FORMAT
    assert list(data) == [
        "format",
        "title",
        "body",
        "date",
        "kind",
        "rules",
        "members",
        "ballots",
        "officials",
        "entries",
        "base",
        "rounding",
        EXTENSION,
    ]


def test_extra_goes_into_the_extension():
    """Extra data from the store is merged into x-tinnhiem and ignored when read back."""
    poll = demo_poll()
    data = poll_to_data(poll, extra={"state": "locked"})
    assert data[EXTENSION]["state"] == "locked"
    assert poll_from_data(data) == poll
