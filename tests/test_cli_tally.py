"""`tinnhiem tally FILE`, the public contract of poll-file.md (tinnhiem.cli, tally part)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinnhiem.cli import main
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.tally import as_json, tally

ROOT = Path(__file__).resolve().parent.parent
POLLS = Path(__file__).parent / "data" / "polls"
ERRORS = json.loads((POLLS / "errors.json").read_text(encoding="utf-8"))
VALID = sorted(
    p.name
    for p in POLLS.glob("*.json")
    if not p.name.startswith("bad-") and p.name != "errors.json"
)

# The contract's worked example (domain.md, Vĩnh Phúc), as `tinnhiem tally` prints it.
VINH_PHUC_OUTPUT = json.loads(
    (POLLS.parent / "expected" / "vinh-phuc-tally.json").read_text(encoding="utf-8")
)


def run(*args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command in a fresh Python process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def assert_refused(code: int, out: str, err: str, field: str, fragment: str = "") -> None:
    """Exit 2, nothing on stdout, one line on stderr starting with the field."""
    assert code == 2
    assert out == ""
    assert err.endswith("\n")
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{field}: "), err
    assert fragment in err


def test_subprocess_prints_the_contract_json():
    """A real process prints the worked example's JSON, keys in contract order, and exits 0."""
    done = run("tally", str(POLLS / "vinh-phuc-2023-totals.json"))
    assert (done.returncode, done.stderr) == (0, b"")
    output = json.loads(done.stdout.decode("utf-8"))
    assert output == VINH_PHUC_OUTPUT
    assert json.dumps(output) == json.dumps(VINH_PHUC_OUTPUT)  # same key order everywhere


def test_subprocess_quoc_hoi_2018():
    """The NQ 85 worked example prints 28.87 / 40.00 / 28.25 of 485 members, band none."""
    done = run("tally", str(POLLS / "quoc-hoi-2018-totals.json"))
    assert done.returncode == 0
    output = json.loads(done.stdout)
    assert output["base"] == 485
    official = output["officials"][0]
    assert official["percent"] == {"high": "28.87", "confidence": "40.00", "low": "28.25"}
    assert (official["band"], official["invalid"]) == ("none", 4)


@pytest.mark.parametrize(
    "name",
    [
        "bad-malformed-json.json",
        "bad-not-utf8.json",
        "bad-missing-kind.json",
        "bad-unknown-rules.json",
        "bad-negative-count.json",
        "bad-present-over-total.json",
        "bad-issued-over-present.json",
        "bad-collected-over-issued.json",
        "bad-more-entries-than-collected.json",
        "bad-entry-wrong-length.json",
        "bad-vote-entry-3.json",
        "bad-totals-exceed-collected.json",
        "bad-entries-and-totals.json",
        "bad-base-zero.json",
        "bad-float-count.json",
        "bad-bool-count.json",
    ],
)
def test_subprocess_refuses_a_bad_file(name):
    """A real process refuses each kind of bad file: exit 2, empty stdout, one stderr line."""
    done = run("tally", str(POLLS / name))
    field, fragment, _ = ERRORS[name]
    assert_refused(done.returncode, done.stdout.decode(), done.stderr.decode(), field, fragment)


def test_subprocess_file_not_found(tmp_path):
    """A missing file is exit 2 with one line naming the path."""
    missing = tmp_path / "khong-co.json"
    done = run("tally", str(missing))
    assert_refused(
        done.returncode, done.stdout.decode(), done.stderr.decode(), str(missing), "không có tệp"
    )


def test_subprocess_directory(tmp_path):
    """A directory instead of a file is exit 2 with one line."""
    done = run("tally", str(tmp_path))
    assert_refused(done.returncode, done.stdout.decode(), done.stderr.decode(), str(tmp_path))


def test_subprocess_reads_standard_input():
    """`-` reads the poll file from standard input."""
    done = run("tally", "-", stdin=(POLLS / "vinh-phuc-2023-entries.json").read_bytes())
    assert done.returncode == 0
    assert json.loads(done.stdout) == VINH_PHUC_OUTPUT


def test_subprocess_accepts_a_bom():
    """A file saved with a UTF-8 byte-order mark is read like any other."""
    done = run("tally", str(POLLS / "vinh-phuc-2023-bom.json"))
    assert done.returncode == 0
    assert json.loads(done.stdout) == VINH_PHUC_OUTPUT


def test_subprocess_writes_utf8_under_a_latin1_locale():
    """Vietnamese names come out as UTF-8 even when the locale's encoding cannot hold them."""
    env = {"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    done = run("tally", str(POLLS / "vinh-phuc-2023-totals.json"), env=env)
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8")) == VINH_PHUC_OUTPUT
    bad = run("tally", str(POLLS / "bad-present-over-total.json"), env=env)
    assert bad.returncode == 2
    assert "số có mặt" in bad.stderr.decode("utf-8")


def test_subprocess_one_line_even_when_the_value_has_line_breaks(tmp_path):
    """A value with CR, LF or U+2028 in it still gives exactly one line on stderr."""
    data = json.loads((POLLS / "vinh-phuc-2023-entries.json").read_text(encoding="utf-8"))
    data["kind"] = "a\r\nb\u2028c\u2029d\x85e"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run("tally", str(path))
    assert_refused(done.returncode, done.stdout.decode(), done.stderr.decode(), "kind")


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_in_process_refuses_every_bad_file(name, capsys):
    """Every bad fixture: exit 2, nothing on stdout, one stderr line naming field and fault."""
    code = main(["tally", str(POLLS / name)])
    captured = capsys.readouterr()
    field, fragment, _ = ERRORS[name]
    assert_refused(code, captured.out, captured.err, field, fragment)


@pytest.mark.parametrize("name", VALID)
def test_in_process_prints_the_tally(name, capsys):
    """Every good fixture prints the tally of the file as JSON and exits 0."""
    code = main(["tally", str(POLLS / name)])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    expected = as_json(tally(parse_poll_file((POLLS / name).read_bytes())))
    assert json.loads(captured.out) == expected


def run_in_process(name: str, capsys) -> dict:
    assert main(["tally", str(POLLS / name)]) == 0
    return json.loads(capsys.readouterr().out)


def test_entries_and_totals_files_agree(capsys):
    """The Vĩnh Phúc example gives the same output from entries as from totals."""
    entries = run_in_process("vinh-phuc-2023-entries.json", capsys)
    totals = run_in_process("vinh-phuc-2023-totals.json", capsys)
    assert entries == totals == VINH_PHUC_OUTPUT


def test_over_half_prints_fifty(capsys):
    """20 001 low of 40 001 prints "50.00" with band over_half."""
    official = run_in_process("over-half-prints-50.json", capsys)["officials"][0]
    assert (official["percent"]["low"], official["band"]) == ("50.00", "over_half")
    assert official["percent"]["high"] == "0.00"


def test_vote_divides_by_all_members(capsys):
    """A vote with 40 of 50 members voting divides by 50; whole invalid ballots are counted."""
    output = run_in_process("vote-members-base.json", capsys)
    assert output["base"] == 50
    assert output["ballots"] == {"issued": 40, "collected": 40, "counted": 40, "invalid": 1}
    official = output["officials"][0]
    assert official["counts"] == {"confidence": 12, "no_confidence": 26}
    assert official["percent"] == {"confidence": "24.00", "no_confidence": "52.00"}
    assert (official["invalid"], official["band"], official["final"]) == (2, "over_half", True)


def test_partial_entries(capsys):
    """16 of 21 entered: counted, invalid and the final flag of each official."""
    output = run_in_process("partial-entries.json", capsys)
    assert output["ballots"] == {"issued": 21, "collected": 21, "counted": 16, "invalid": 1}
    assert output["quorum"] == {"present": 21, "required": 21, "met": True}
    first, second = output["officials"]
    assert (first["band"], first["final"], first["percent"]["low"]) == ("two_thirds", True, "66.67")
    assert (second["band"], second["final"], second["invalid"]) == ("none", False, 1)
    assert first["invalid"] == 2  # the X ballot and one blank row


def test_nothing_counted(capsys):
    """A file with neither entries nor totals counts 0 ballots; quorum 19/30 is not met."""
    output = run_in_process("nothing-counted.json", capsys)
    assert output["quorum"] == {"present": 19, "required": 20, "met": False}
    assert output["ballots"] == {"issued": 19, "collected": 19, "counted": 0, "invalid": 0}
    for official in output["officials"]:
        assert official["counts"] == {"high": 0, "confidence": 0, "low": 0}
        assert (official["invalid"], official["band"], official["final"]) == (0, "none", False)


def test_base_override_and_truncation(capsys):
    """`base: members` and `rounding: truncate` from the file: 25 of 50 is exactly half, none."""
    output = run_in_process("base-members-truncate.json", capsys)
    assert output["base"] == 50
    official = output["officials"][0]
    assert official["percent"] == {"high": "38.00", "confidence": "4.00", "low": "50.00"}
    assert official["band"] == "none"


def test_totals_with_invalid_ballots(capsys):
    """ballots.invalid in totals mode is reported and counts in each official's invalid."""
    output = run_in_process("totals-invalid-ballots.json", capsys)
    assert output["ballots"] == {"issued": 47, "collected": 47, "counted": 47, "invalid": 2}
    official = output["officials"][0]
    assert (official["invalid"], official["final"]) == (2, True)
    assert official["percent"]["confidence"] == "2.13"
