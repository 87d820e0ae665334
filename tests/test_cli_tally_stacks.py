"""`tinnhiem tally` of files with stacks (poll-file.md, "Independent entries"), whole JSON."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tinnhiem.cli import main
from tinnhiem.pollfile import parse_poll_file, poll_from_data, poll_to_data
from tinnhiem.stacks import Pass, Stack
from tinnhiem.tally import as_json, tally

ROOT = Path(__file__).resolve().parent.parent
POLLS = Path(__file__).parent / "data" / "polls"
EXPECTED = Path(__file__).parent / "data" / "expected"
STACK_FILES = sorted(p.name for p in POLLS.glob("stack-*.json"))
BAD_STACK_FILES = sorted(p.name for p in POLLS.glob("bad-stack-*.json"))
ERRORS = json.loads((POLLS / "errors.json").read_text(encoding="utf-8"))


def read(name: str) -> dict:
    return json.loads((POLLS / name).read_text(encoding="utf-8"))


def tally_output(capsys, path: Path) -> dict:
    """Run `tinnhiem tally PATH` in this process; exit 0 and nothing on stderr."""
    code = main(["tally", str(path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return json.loads(out)


def counted_by_hand(data: dict) -> list[str]:
    """The contract's counted ballots, read straight from the file's JSON."""
    required = data.get("passes_required", 1)
    counted: list[str] = []
    for stack in data["stacks"]:
        entries = [p["entries"] for p in stack["passes"]]
        if "resolved" in stack:
            counted += stack["resolved"]["entries"]
        elif len(entries) >= required and all(e == entries[0] for e in entries):
            counted += entries[0]
    return counted


def test_every_edge_has_a_fixture_and_an_expected_output():
    """Each valid stack fixture has its expected tally output, and there are enough edges."""
    assert len(STACK_FILES) >= 10
    assert sorted(p.name for p in EXPECTED.glob("stack-*.json")) == STACK_FILES
    assert len(BAD_STACK_FILES) >= 25
    assert set(BAD_STACK_FILES) <= set(ERRORS)


@pytest.mark.parametrize("name", STACK_FILES)
def test_tally_prints_the_expected_json(name, capsys):
    """`tinnhiem tally` of each stack fixture prints exactly its expected JSON, key order too."""
    output = tally_output(capsys, POLLS / name)
    expected = json.loads((EXPECTED / name).read_text(encoding="utf-8"))
    assert output == expected
    assert json.dumps(output) == json.dumps(expected)


@pytest.mark.parametrize("name", [n for n in STACK_FILES if "stacks" in read(n)])
def test_a_stack_file_tallies_as_its_counted_ballots_entered_once(name, capsys):
    """Without its `stacks` array, the output is the tally of the counted ballots given as
    plain `entries` (the not-counted ones still to be entered, as far as final goes)."""
    data = read(name)
    plain = {k: v for k, v in data.items() if k not in ("stacks", "passes_required")}
    plain["entries"] = counted_by_hand(data)
    output = tally_output(capsys, POLLS / name)
    stacks = output.pop("stacks")
    assert output == as_json(tally(poll_from_data(plain)))
    assert [s["id"] for s in stacks] == [s["id"] for s in data["stacks"]]
    assert sum(s["counted"] for s in stacks) == output["ballots"]["counted"]


def test_a_file_without_stacks_prints_no_stacks(capsys):
    """passes_required without stacks changes nothing: no `stacks` key, the same numbers."""
    output = tally_output(capsys, POLLS / "stack-required-with-entries.json")
    plain = {k: v for k, v in read("stack-required-with-entries.json").items()}
    del plain["passes_required"]
    assert "stacks" not in output
    assert output == as_json(tally(poll_from_data(plain)))


def test_the_contract_kinds_of_difference_in_one_stack(capsys):
    """A changed row, a skipped ballot and an added one are reported as the contract shows."""
    output = tally_output(capsys, POLLS / "stack-different.json")
    assert output["stacks"] == [
        {"id": "Xấp 1", "state": "agreed", "counted": 5, "differences": []},
        {
            "id": "Xấp 2",
            "state": "different",
            "counted": 0,
            "differences": [
                {"pass": 2, "position": 2, "officials": [3]},
                {"pass": 2, "position": 3, "missing": True},
                {"pass": 2, "after": 5, "extra": 5},
            ],
        },
    ]
    assert output["ballots"] == {"issued": 15, "collected": 15, "counted": 5, "invalid": 0}


def test_the_ballots_of_a_different_stack_are_still_to_be_entered(capsys):
    """final uses only counted ballots: a band the different stack could still move is not
    final; the same file resolved is counted in full."""
    different = tally_output(capsys, POLLS / "stack-different.json")
    resolved = tally_output(capsys, POLLS / "stack-resolved.json")
    assert different["ballots"]["counted"] == 5  # 10 of 15 still to count: 3 low can become 13
    assert resolved["ballots"]["counted"] == 12  # 3 to count: 3 + 3 low is not over half of 15
    assert [o["final"] for o in different["officials"]] == [False] * 4
    assert [o["final"] for o in resolved["officials"]] == [True] * 4


def test_the_field_of_a_bad_entry_is_named_as_in_the_contract(capsys):
    """Ballot 17 of pass 1 of stack 2 is named stacks[2].passes[1].entries[17]."""
    code = main(["tally", str(POLLS / "bad-stack-pass-entry-wrong-length.json")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("stacks[2].passes[1].entries[17]: ")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("name", BAD_STACK_FILES)
def test_a_real_process_refuses_each_bad_stack_file(name):
    """A real process refuses each bad stack file: exit 2, empty stdout, one stderr line
    starting with the field that errors.json names."""
    done = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "tally", str(POLLS / name)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    field, fragment = ERRORS[name][:2]
    err = done.stderr.decode("utf-8")
    assert (done.returncode, done.stdout) == (2, b""), err
    assert len(err.splitlines()) == 1 and err.startswith(f"{field}: "), err
    assert fragment in err


@pytest.mark.parametrize("name", STACK_FILES)
def test_stacks_survive_writing_and_reading_back(name):
    """poll_to_data writes stacks, passes (with who typed them) and decisions back exactly."""
    poll = parse_poll_file((POLLS / name).read_bytes())
    again = poll_from_data(json.loads(json.dumps(poll_to_data(poll))))
    assert again == poll


def test_the_loader_builds_the_stacks_in_order():
    """Stacks, passes and the decision are read into frozen data, in file order."""
    poll = parse_poll_file((POLLS / "stack-resolved.json").read_bytes())
    assert poll.passes_required == 2
    assert poll.mode == "stacks"
    assert [s.id for s in poll.stacks] == ["Xấp 1", "Xấp 2"]
    second = poll.stacks[1]
    typed = read("stack-resolved.json")["stacks"][1]["passes"][1]["entries"]
    assert second.passes[1] == Pass(tuple(typed), "Máy 2")
    assert second.resolved.by == "Trưởng ban kiểm phiếu"
    assert isinstance(second, Stack)


def test_each_pass_may_hold_up_to_collected_ballots():
    """A pass of exactly `collected` ballots is accepted; one more is refused (boundary)."""
    data = read("stack-agreed.json")
    full = [{"entries": ["1111"] * 15}, {"entries": ["1111"] * 15}]
    data["stacks"] = [{"id": "A", "passes": full}]
    assert tally(poll_from_data(copy.deepcopy(data))).counted == 15
    data["stacks"][0]["passes"][1]["entries"].append("1111")
    with pytest.raises(ValueError, match=r"16 phiếu, nhiều hơn số phiếu thu về \(15\)"):
        poll_from_data(data)


def test_a_pass_may_not_hold_more_than_a_thousand_ballots():
    """A pass of more than limits.MAX_STACK ballots is refused (K08), however many were
    collected: comparing two unrelated passes costs their product."""
    data = read("stack-agreed.json")
    data["members"] = {"total": 2000, "present": 2000}
    data["ballots"] = {"issued": 2000, "collected": 2000}
    data["stacks"] = [{"id": "A", "passes": [{"entries": ["1111"] * 1000}]}]
    data["passes_required"] = 1
    assert tally(poll_from_data(copy.deepcopy(data))).counted == 1000
    data["stacks"][0]["passes"].append({"entries": ["1111"] * 1001})
    with pytest.raises(ValueError) as caught:
        poll_from_data(data)
    assert caught.value.problem.code == "K08"
    assert caught.value.problem.field == "stacks[1].passes[2].entries"
