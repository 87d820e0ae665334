"""A poll under its own rule set: the poll file's ``rule_set``, `tinnhiem tally`, validation."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tinnhiem.cli import main
from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.pollfile import parse_poll_file, poll_from_data, poll_to_data
from tinnhiem.rules import read_rule_set, rule_set
from tinnhiem.tally import tally
from tinnhiem.validation import check_open, check_poll

ROOT = Path(__file__).resolve().parent.parent
POLLS = Path(__file__).parent / "data" / "polls"
EXPECTED = Path(__file__).parent / "data" / "expected"
RULES_FILES = sorted(p.name for p in POLLS.glob("rules-*.json"))


def read(name: str) -> dict:
    return json.loads((POLLS / name).read_text(encoding="utf-8"))


def expected(name: str) -> dict:
    """The whole output, checked by hand: bands, final and quorum from the file's edges."""
    path = EXPECTED / name.replace(".json", "-tally.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_is_one_fixture_and_one_expected_output_per_edge():
    """Six rule-set fixtures, each with its hand-checked output."""
    assert len(RULES_FILES) == 6
    assert all((EXPECTED / n.replace(".json", "-tally.json")).exists() for n in RULES_FILES)


@pytest.mark.parametrize("name", RULES_FILES)
def test_tally_prints_the_whole_expected_output(name, capsys):
    """`tinnhiem tally` of each rule-set fixture prints exactly the hand-checked JSON."""
    assert main(["tally", str(POLLS / name)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    output = json.loads(captured.out)
    assert output == expected(name)
    assert list(output) == ["kind", "rules", "base", "quorum", "ballots", "officials"]


def test_a_real_process_honours_the_rule_set():
    """A fresh process prints the decree's bands: exactly ⅔ stays in the lower band."""
    done = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "tally", str(POLLS / "rules-decree-2025.json")],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    output = json.loads(done.stdout)
    assert output == expected("rules-decree-2025.json")
    assert [o["band"] for o in output["officials"]] == ["over_half", "over_two_thirds", "none"]


@pytest.mark.parametrize(
    ("name", "bands", "final", "quorum"),
    [
        ("rules-cantho-2019.json", ["none", "over_half", "two_thirds", "over_half"], None, 20),
        ("rules-decree-2025.json", ["over_half", "over_two_thirds", "none"], None, 20),
        ("rules-three-fifths-481.json", ["none", "three_fifths"], None, 289),
        (
            "rules-entries-final.json",
            ["over_half", "none", "over_three_fifths"],
            [False, False, True],
            3,
        ),
        ("rules-vote.json", ["two_thirds", "over_half", "none"], None, 16),
        ("rules-quorum-three-quarters.json", ["over_half"], None, 24),
    ],
)
def test_the_expected_outputs_agree_with_the_edges(name, bands, final, quorum):
    """The stored outputs carry the bands, final flags and quorum worked out from each edge."""
    output = expected(name)
    assert [o["band"] for o in output["officials"]] == bands
    assert [o["final"] for o in output["officials"]] == final or [True] * len(bands)
    assert output["quorum"]["required"] == quorum
    assert output["rules"] == read(name)["rule_set"]["id"]


@pytest.mark.parametrize("name", RULES_FILES)
def test_export_writes_the_rule_set_back_as_read(name):
    """A poll read from a file with rule_set is written back with the same rule_set."""
    data = read(name)
    poll = parse_poll_file((POLLS / name).read_bytes())
    assert poll.rule_set is not None and poll.rule_set.id == poll.rules
    written = poll_to_data(poll)
    assert written["rule_set"] == data["rule_set"]
    assert list(written).index("rule_set") == list(written).index("rules") + 1
    assert poll_from_data(written) == poll


def test_export_keeps_fractions_as_written():
    """An edge written 4/6 comes back as 4/6, not reduced to 2/3."""
    data = read("rules-cantho-2019.json")
    data["rule_set"]["bands"][1]["from"] = "4/6"
    poll = poll_from_data(data)
    assert poll_to_data(poll)["rule_set"]["bands"][1]["from"] == "4/6"
    assert tally(poll).officials[2].band == "two_thirds"  # 20 of 30 is still ⅔


def test_a_file_without_rule_set_has_none_and_writes_none():
    """A file under a built-in rule set reads and writes exactly as before."""
    poll = parse_poll_file((POLLS / "vinh-phuc-2023-totals.json").read_bytes())
    assert poll.rule_set is None
    assert "rule_set" not in poll_to_data(poll)


def test_the_rule_set_is_exported_as_a_copy():
    """Changing an exported object does not change the poll's rule set."""
    poll = parse_poll_file((POLLS / "rules-cantho-2019.json").read_bytes())
    poll_to_data(poll)["rule_set"]["bands"][0]["from"] = "1/3"
    assert poll_to_data(poll)["rule_set"]["bands"][0]["from"] == "1/2"


def test_tally_reads_the_consequences_for_the_body():
    """A provincial council's over-half consequence names only its standing body."""
    poll = parse_poll_file((POLLS / "vinh-phuc-2023-totals.json").read_bytes())
    result = tally(poll)
    text = result.rules.consequence(poll.kind, result.officials[0].band)
    assert result.officials[0].band == "over_half"
    assert "Thường trực Hội đồng nhân dân trình Hội đồng nhân dân" in text
    assert "Quốc hội" not in text
    assert result.rules.id == "nq96-2023"


# -- validation of a Poll made in code ------------------------------------------------------

CUSTOM = read_rule_set(read("rules-quorum-three-quarters.json")["rule_set"])
BASE = Poll(
    kind=Kind.POLL,
    rules="nq96-2023",
    members=Attendance(total=31, present=21),
    issued=21,
    collected=21,
    officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Trần Thị B", "Phó Chủ tịch")),
    board=(BoardMember("Lê Văn C", "chair"), BoardMember("Phạm Thị D", "secretary")),
)


def codes(poll: Poll) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in check_poll(poll)]


def test_the_reference_poll_is_valid():
    """A board of people who are not on the ballot passes."""
    assert check_poll(BASE) == []


@pytest.mark.parametrize(
    "name", ["Nguyễn Văn A", "nguyễn  văn a", "NGUYỄN VĂN A", "Nguye\u0302\u0303n Va\u0306n A"]
)
def test_a_board_member_on_the_ballot_is_refused(name):
    """A counting-board member who is polled is refused, whatever the case, spaces or form."""
    poll = replace(BASE, board=(BoardMember("Lê Văn C", "chair"), BoardMember(name)))
    problems = check_poll(poll)
    assert [(p.code, p.field) for p in problems] == [("M01", "board[2].name")]
    assert problems[0].message == (
        f"“{name}” vừa ở Ban kiểm phiếu vừa có tên trên phiếu (số 1 trong danh sách); thành "
        "viên Ban kiểm phiếu không được là người được lấy phiếu (khoản 1 Điều 29 Nội quy kỳ "
        "họp Quốc hội, Nghị quyết 71/2022/QH15) — chọn người khác vào Ban kiểm phiếu."
    )


def test_every_polled_board_member_is_named():
    """Two board members on the ballot give two problems, each naming its place."""
    board = (BoardMember("Trần Thị B", "chair"), BoardMember("Nguyễn Văn A"))
    assert codes(replace(BASE, board=board)) == [("M01", "board[1].name"), ("M01", "board[2].name")]


def test_an_exempt_official_may_sit_on_the_board():
    """Someone listed but exempt is not polled, so he may count the ballots."""
    officials = (*BASE.officials, Official("Lê Văn C", "Ủy viên", exempt_reason="Nghỉ hưu"))
    assert check_poll(replace(BASE, officials=officials)) == []


def test_a_board_member_on_the_list_is_refused_when_a_file_is_read():
    """The poll-file reader refuses the same board with the same message."""
    data = read("vinh-phuc-2023-totals.json")
    data["x-tinnhiem"] = {"board": [{"name": "Lê Duy Thành", "role": "member"}]}
    with pytest.raises(Exception, match=r"^board\[1\]\.name: “Lê Duy Thành” vừa ở Ban kiểm"):
        poll_from_data(data)


def test_a_poll_under_its_own_rule_set_is_valid():
    """rules naming the poll's own rule set passes."""
    assert check_poll(replace(BASE, rules=CUSTOM.id, rule_set=CUSTOM)) == []


def test_rules_naming_another_set_than_its_own_is_refused():
    """With a rule set of its own, rules naming a built-in one is refused (R01)."""
    assert codes(replace(BASE, rule_set=CUSTOM)) == [("R01", "rules")]


def test_an_own_rule_set_with_a_built_in_id_is_refused():
    """A rule set made in code under a built-in id is refused like one read from a file."""
    fake = replace(CUSTOM, id="nq96-2023")
    assert codes(replace(BASE, rule_set=fake)) == [("R02", "rule_set.id")]


def test_an_unknown_rule_set_is_refused_as_before():
    """Without a rule set of its own, an unknown id is S01, as it always was."""
    assert codes(replace(BASE, rules="kh-x")) == [("S01", "rules")]


def test_opening_needs_the_rule_sets_quorum():
    """Under a ¾ quorum, 23 of 31 present is not enough (24 needed) and says so (Q02)."""
    poll = replace(BASE, rules=CUSTOM.id, rule_set=CUSTOM, members=Attendance(31, 23))
    problems = check_open(poll)
    assert [(p.code, p.field) for p in problems] == [("Q02", "members.present")]
    assert problems[0].message == (
        "chưa đủ túc số: có mặt 23/31, cần ít nhất 24 (3/4 số được triệu tập, theo Kế hoạch "
        "với túc số 3/4 (minh họa))."
    )
    assert check_open(replace(poll, members=Attendance(31, 24), issued=24, collected=24)) == []


def test_the_usual_quorum_keeps_its_message():
    """A built-in rule set's ⅔ quorum is refused with Q01, word for word as before."""
    problems = check_open(replace(BASE, members=Attendance(31, 20), issued=20, collected=20))
    assert [(p.code, p.message) for p in problems] == [
        (
            "Q01",
            "chưa đủ túc số: có mặt 20/31, cần ít nhất 21 (hai phần ba số được triệu tập).",
        )
    ]


def test_a_built_in_rule_set_object_is_not_an_own_rule_set():
    """Passing a built-in RuleSet as the poll's own is refused: its id is a built-in id."""
    poll = replace(BASE, rule_set=rule_set("nq96-2023"))
    assert codes(poll) == [("R02", "rule_set.id")]
