"""The identity fields of a poll file: ``id``, ``point`` and ``officials[].person``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tinnhiem.pollfile import parse_poll_file, poll_from_data, poll_to_data
from tinnhiem.tally import as_json, tally
from tinnhiem.validation import PollError

POLLS = Path(__file__).parent / "data" / "polls"
VP = json.loads((POLLS / "vinh-phuc-2023-totals.json").read_text(encoding="utf-8"))
UUID = "3f2b8c1e-5d4a-4e7b-9a60-1c2d3e4f5a6b"


def identified(**changes) -> dict:
    data = json.loads(json.dumps(VP))
    data.update({"id": UUID, "point": "Thôn Đông"})
    data["officials"][0]["person"] = "CB-0042"
    data.update(changes)
    return data


def test_identity_fields_are_read():
    """id, point and each official's person are read as given."""
    poll = poll_from_data(identified())
    assert (poll.id, poll.point, poll.officials[0].person) == (UUID, "Thôn Đông", "CB-0042")


def test_a_file_without_identity_reads_as_before():
    """Without the new fields the poll has no id, no point and no person."""
    poll = poll_from_data(VP)
    assert (poll.id, poll.point, poll.officials[0].person) == (None, None, None)


def test_identity_round_trips():
    """Writing a poll with an identity and reading it back gives the same poll."""
    poll = poll_from_data(identified())
    data = poll_to_data(poll)
    assert (data["id"], data["point"], data["officials"][0]["person"]) == (
        UUID,
        "Thôn Đông",
        "CB-0042",
    )
    assert poll_from_data(data) == poll


def test_no_identity_is_written_when_none_is_set():
    """A poll without identity is written without id, point or person keys."""
    data = poll_to_data(poll_from_data(VP))
    assert "id" not in data and "point" not in data
    assert data["officials"] == [{"name": "Lê Duy Thành", "position": "Phó Chủ tịch UBND tỉnh"}]


def test_identity_does_not_change_the_tally():
    """The tally of a file with id, point and person is that of the same file without them."""
    assert as_json(tally(poll_from_data(identified()))) == as_json(tally(poll_from_data(VP)))


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"id": 7}, "id", "F05"),
        ({"id": None}, "id", "F05"),
        ({"point": ["Thôn Đông"]}, "point", "F05"),
        ({"id": ""}, "id", "F25"),
        ({"point": "   "}, "point", "F25"),
        ({"id": "a\x01b"}, "id", "S08"),
        ({"point": "x" * 301}, "point", "S07"),
    ],
)
def test_bad_identity_is_refused_naming_the_field(changes, field, code):
    """An identity that is not a non-blank, printable string is refused naming its field."""
    with pytest.raises(PollError) as caught:
        poll_from_data(identified(**changes))
    assert (caught.value.problem.field, caught.value.problem.code) == (field, code)


@pytest.mark.parametrize(("person", "code"), [(12, "F05"), ("", "F25"), ("p" * 121, "S07")])
def test_bad_person_is_refused_naming_the_official(person, code):
    """A person that is not a non-blank string of a name's length is refused for that official."""
    data = identified()
    data["officials"][0]["person"] = person
    with pytest.raises(PollError) as caught:
        poll_from_data(data)
    assert (caught.value.problem.field, caught.value.problem.code) == ("officials[1].person", code)


def test_unknown_official_keys_are_still_refused():
    """Beside person, an official's unknown key is refused; an x- key is allowed."""
    data = identified()
    data["officials"][0]["staff"] = "CB-0042"
    with pytest.raises(PollError, match=r"officials\[1\]\.staff"):
        poll_from_data(data)
    data["officials"][0] = {"name": "Lê Duy Thành", "x-staff": "CB-0042"}
    assert poll_from_data(data).officials[0].person is None


def test_exempt_officials_keep_the_persons_of_the_ballot_list():
    """With exempt officials listed in the extension, the ballot's officials keep their person."""
    data = identified()
    data["x-tinnhiem"] = {
        "officials": [
            {"name": "Nguyễn Văn Miễn", "position": "Chủ tịch", "exempt_reason": "nghỉ hưu"},
            {"name": "Lê Duy Thành", "position": "Phó Chủ tịch UBND tỉnh"},
        ]
    }
    poll = poll_from_data(data)
    assert [o.person for o in poll.officials] == [None, "CB-0042"]
    assert poll_from_data(poll_to_data(poll)) == poll


def test_cli_tally_reads_identity(tmp_path):
    """``tinnhiem tally`` reads a file with identity and prints the same result as without."""
    path = tmp_path / "dong.json"
    path.write_text(json.dumps(identified(), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "tally", str(path)], capture_output=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == as_json(tally(parse_poll_file(json.dumps(VP))))
