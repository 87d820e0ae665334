"""``tinnhiem combine`` on its contract (shared/poll-file.md), through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from combine_files import DONG, OFFICIALS, POLL_ID, TAY, locked, plain, point_poll, write

from tinnhiem.cli import main
from tinnhiem.model import Attendance, Kind, Official
from tinnhiem.pollfile import parse_poll_file, poll_to_data
from tinnhiem.tally import as_json, tally


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "combine", *args],
        capture_output=True,
        check=False,
    )


def combined(capsys, *files) -> dict:
    assert main(["combine", *map(str, files)]) == 0
    return json.loads(capsys.readouterr().out)


def refused(capsys, *files) -> str:
    assert main(["combine", *map(str, files)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    return captured.err


def _summed_file() -> dict:
    """The file a person would write by hand from the two points' counts."""
    dong, tay = tally(DONG), tally(TAY)
    return {
        "format": "tinnhiem/1",
        "kind": "poll",
        "rules": "nq96-2023",
        "members": {"total": 13, "present": 10},
        "ballots": {"issued": 10, "collected": 10, "invalid": dong.invalid + tay.invalid},
        "officials": [{"name": o.name, "position": o.position} for o in OFFICIALS],
        "totals": [
            {level: a.counts[level] + b.counts[level] for level in a.counts}
            for a, b in zip(dong.officials, tay.officials, strict=True)
        ],
    }


def test_points_are_summed_as_the_tally_of_the_summed_file(capsys, tmp_path):
    """Two points of one poll give the tally of a hand-made file holding their sums."""
    out = combined(capsys, plain(tmp_path / "dong.json", DONG), plain(tmp_path / "tay.json", TAY))
    expected = as_json(tally(parse_poll_file(json.dumps(_summed_file()))))
    assert len(out["polls"]) == 1
    poll = out["polls"][0]
    assert poll["tally"] == expected
    assert poll["tally"]["ballots"] == {"issued": 10, "collected": 10, "counted": 10, "invalid": 1}
    assert poll["tally"]["officials"][0]["counts"] == {"high": 2, "confidence": 1, "low": 6}
    assert (poll["id"], poll["title"]) == (POLL_ID, DONG.title)
    assert poll["points"] == ["Thôn Đông", "Thôn Tây"]
    assert poll["files"] == [str(tmp_path / "dong.json"), str(tmp_path / "tay.json")]
    assert poll["locked"] is False
    assert [p["point"] for p in poll["by_point"]] == ["Thôn Đông", "Thôn Tây"]
    assert poll["by_point"][0]["tally"] == as_json(tally(DONG))
    assert poll["by_point"][1]["tally"] == as_json(tally(TAY))
    assert (out["people"], out["duplicates"]) == ([], [])


def test_the_output_keys_are_the_contracts(capsys, tmp_path):
    """The JSON has exactly the keys of the contract's example, in its order."""
    out = combined(capsys, plain(tmp_path / "dong.json", DONG), plain(tmp_path / "tay.json", TAY))
    assert list(out) == ["polls", "people", "duplicates"]
    keys = ["id", "title", "points", "files", "locked", "tally", "by_point"]
    assert list(out["polls"][0]) == keys
    assert list(out["polls"][0]["by_point"][0]) == ["point", "tally"]


def test_locked_points_are_summed_and_marked_locked(capsys, tmp_path):
    """Points locked on their own databases verify, are summed, and the poll is locked."""
    out = combined(capsys, locked(tmp_path / "dong.json", DONG), locked(tmp_path / "tay.json", TAY))
    poll = out["polls"][0]
    assert poll["locked"] is True
    assert poll["tally"] == as_json(tally(parse_poll_file(json.dumps(_summed_file()))))


def test_a_duplicate_is_counted_once(capsys, tmp_path):
    """The same point given twice with the same content counts once and is listed."""
    dong = locked(tmp_path / "dong.json", DONG)
    copy = write(tmp_path / "dong-copy.json", json.loads(dong.read_text("utf-8")))
    tay = plain(tmp_path / "tay.json", TAY)
    out = combined(capsys, dong, tay, copy)
    assert out["duplicates"] == [[str(dong), str(copy)]]
    assert out["polls"][0]["files"] == [str(dong), str(tay)]
    assert out["polls"][0]["tally"]["ballots"]["collected"] == 10


def test_a_plain_copy_of_a_locked_file_is_a_duplicate(capsys, tmp_path):
    """Copies that differ only in the x- extensions have the same content: a duplicate."""
    dong = locked(tmp_path / "dong.json", DONG)
    data = json.loads(dong.read_text("utf-8"))
    del data["x-tinnhiem"]
    copy = write(tmp_path / "plain.json", data)
    assert combined(capsys, dong, copy)["duplicates"] == [[str(dong), str(copy)]]


def test_a_conflict_is_refused_naming_both_files(capsys, tmp_path):
    """Two different files for the same poll and point: exit 2, one line naming both."""
    dong = plain(tmp_path / "dong.json", DONG)
    other = plain(tmp_path / "dong-2.json", replace(DONG, entries=(*DONG.entries[:-1], "111")))
    err = refused(capsys, dong, other)
    assert err.startswith(f"{other}: ")
    assert str(dong) in err and "Thôn Đông" in err and "nội dung khác nhau" in err


def test_two_files_without_point_of_one_id_conflict(capsys, tmp_path):
    """Without a point, two different files of the same id are the same point: a conflict."""
    one = plain(tmp_path / "a.json", replace(DONG, point=None))
    two = plain(tmp_path / "b.json", replace(TAY, point=None))
    assert "a.json" in refused(capsys, one, two)


def test_a_tampered_locked_file_is_refused_naming_it(tmp_path):
    """A locked file whose counts were edited after export: exit 2, the file named."""
    dong = locked(tmp_path / "dong.json", DONG)
    data = json.loads(dong.read_text("utf-8"))
    data["entries"][0] = "111"
    data["x-tinnhiem"]["ballot_log"][0]["marks"] = "111"
    write(dong, data)
    done = run(str(dong), str(plain(tmp_path / "tay.json", TAY)))
    assert done.returncode == 2 and done.stdout == b""
    err = done.stderr.decode("utf-8")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{dong}: ") and "nhật ký kiểm toán không khớp" in err


@pytest.mark.parametrize("edit", ["lock_hash", "audit", "members"])
def test_every_kind_of_edit_to_a_locked_file_is_refused(capsys, tmp_path, edit):
    """A changed lock hash, a log cut short or an edited attendance: the file is refused."""
    dong = locked(tmp_path / "dong.json", DONG)
    data = json.loads(dong.read_text("utf-8"))
    if edit == "lock_hash":
        data["x-tinnhiem"]["lock_hash"] = "0" * 64
    elif edit == "audit":
        data["x-tinnhiem"]["audit"].pop()
    else:
        data["members"]["total"] = 9
    err = refused(capsys, write(dong, data))
    assert err.startswith(f"{dong}: ") and "nhật ký kiểm toán không khớp" in err


def test_a_locked_file_without_its_log_is_refused(capsys, tmp_path):
    """A file that says it is locked but carries no audit log cannot prove it: refused."""
    dong = locked(tmp_path / "dong.json", DONG)
    data = json.loads(dong.read_text("utf-8"))
    del data["x-tinnhiem"]["audit"]
    assert "không có nhật ký kiểm toán" in refused(capsys, write(dong, data))


def test_mismatched_officials_are_refused_naming_the_official(capsys, tmp_path):
    """A point whose second official differs is refused, naming the official and both files."""
    dong = plain(tmp_path / "dong.json", DONG)
    renamed = (OFFICIALS[0], Official("Trần Thị Bính", OFFICIALS[1].position), OFFICIALS[2])
    tay = plain(tmp_path / "tay.json", replace(TAY, officials=renamed))
    err = refused(capsys, dong, tay)
    assert err.startswith(f"{tay}: officials[2]")
    assert "Trần Thị Bính" in err and "Trần Thị Bình" in err and str(dong) in err


def test_officials_in_another_order_are_refused(capsys, tmp_path):
    """The same officials in another order are not the same ballot: refused."""
    swapped = (OFFICIALS[1], OFFICIALS[0], OFFICIALS[2])
    tay = plain(tmp_path / "tay.json", replace(TAY, officials=swapped))
    assert "officials[1]" in refused(capsys, plain(tmp_path / "dong.json", DONG), tay)


def test_a_missing_official_is_refused(capsys, tmp_path):
    """A point with one official fewer is refused, saying how many each file has."""
    tay = replace(TAY, officials=OFFICIALS[:2], entries=tuple(e[:2] for e in TAY.entries))
    err = refused(capsys, plain(tmp_path / "dong.json", DONG), plain(tmp_path / "tay.json", tay))
    assert "2 người" in err and "3 người" in err


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        ({"rules": "nq85-2014"}, "rules"),
        ({"base": "issued"}, "base"),
        ({"rounding": "truncate"}, "rounding"),
    ],
)
def test_a_point_with_another_setting_is_refused(capsys, tmp_path, changes, what):
    """A point under other rules, base or rounding is refused naming the field."""
    tay = plain(tmp_path / "tay.json", replace(TAY, **changes))
    err = refused(capsys, plain(tmp_path / "dong.json", DONG), tay)
    assert err.startswith(f"{tay}: {what} là ")


def test_a_vote_point_of_a_poll_is_refused(capsys, tmp_path):
    """A point that is a vote, not a poll, is refused with the kinds in words."""
    entries = tuple(e.replace("3", "2") for e in TAY.entries)
    tay = plain(tmp_path / "tay.json", replace(TAY, kind=Kind.VOTE, entries=entries))
    err = refused(capsys, plain(tmp_path / "dong.json", DONG), tay)
    assert "Bỏ phiếu tín nhiệm" in err and "Lấy phiếu tín nhiệm" in err


def test_people_across_polls_are_listed_never_summed(capsys, tmp_path):
    """One person in two polls (by person id, or name and position) is listed with each
    result; each poll keeps its own tally."""
    party = point_poll(
        None,
        ("33", "31", "11", "13"),
        id="party-2026",
        title="Lấy phiếu tại Đảng ủy",
        officials=(
            Official("Nguyễn Văn An", "Bí thư Đảng ủy xã", person="CB-001"),
            Official("Lê Văn Cường", "Trưởng Công an xã"),
        ),
    )
    dong = plain(tmp_path / "dong.json", DONG)
    party_file = plain(tmp_path / "party.json", party)
    out = combined(capsys, dong, party_file)
    assert [p["id"] for p in out["polls"]] == [POLL_ID, "party-2026"]
    assert out["polls"][1]["tally"] == as_json(tally(party))
    people = out["people"]
    assert [(p["name"], p["person"]) for p in people] == [
        ("Nguyễn Văn An", "CB-001"),
        ("Lê Văn Cường", None),
    ]
    assert list(people[0]) == ["name", "position", "person", "results"]
    assert people[0]["position"] == "Chủ tịch UBND xã"
    assert people[0]["results"] == [
        {"poll": POLL_ID, "band": "two_thirds", "low": "66.67", "final": True},
        {"poll": "party-2026", "band": "none", "low": "50.00", "final": True},
    ]
    assert [r["poll"] for r in people[1]["results"]] == [POLL_ID, "party-2026"]


def test_an_official_only_in_one_poll_is_not_in_people(capsys, tmp_path):
    """Same name in another position and no person: two different people, none listed."""
    other = point_poll(
        None,
        ("3",),
        total=1,
        id="other",
        officials=(Official("Trần Thị Bình", "Chủ tịch Hội Phụ nữ xã"),),
    )
    out = combined(capsys, plain(tmp_path / "a.json", DONG), plain(tmp_path / "b.json", other))
    assert out["people"] == []


def test_a_lone_file_is_tallied_as_tinnhiem_tally_would(capsys, polls_dir):
    """A single file, with no identity at all, is one poll whose tally is its own."""
    path = polls_dir / "vinh-phuc-2023-totals.json"
    out = combined(capsys, path)
    poll = out["polls"][0]
    assert (poll["id"], poll["points"], poll["files"]) == (None, [None], [str(path)])
    assert poll["tally"] == as_json(tally(parse_poll_file(path.read_bytes())))


def test_an_invalid_file_is_refused_naming_the_file_and_the_field(capsys, tmp_path):
    """A point file with a bad field: exit 2, the file then the field named."""
    data = poll_to_data(TAY)
    data["members"]["present"] = 99
    bad = write(tmp_path / "tay.json", data)
    err = refused(capsys, plain(tmp_path / "dong.json", DONG), bad)
    assert err.startswith(f"{bad}: members.present: ")


def test_a_missing_file_and_a_bad_output_are_refused(capsys, tmp_path):
    """A file that does not exist, or an output that is not .json, .xlsx or .pdf: exit 2."""
    assert "không có tệp này" in refused(capsys, tmp_path / "none.json")
    dong = plain(tmp_path / "dong.json", DONG)
    assert main(["combine", str(dong), "-o", str(tmp_path / "out.docx")]) == 2
    assert "out.docx" in capsys.readouterr().err
    assert not (tmp_path / "out.docx").exists()


def test_json_output_file_equals_standard_output(capsys, tmp_path):
    """``-o out.json`` writes what standard output would show."""
    files = [str(plain(tmp_path / "dong.json", DONG)), str(plain(tmp_path / "tay.json", TAY))]
    shown = combined(capsys, *files)
    assert main(["combine", *files, "-o", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text("utf-8")) == shown


def test_summing_keeps_absentee_split_out(capsys, tmp_path):
    """Points that split their absentees still sum (the split is not summed)."""
    split = replace(TAY, members=Attendance(5, 4, absent_with_reason=1, absent_without_reason=0))
    split = replace(split, issued=4, collected=4)
    out = combined(capsys, plain(tmp_path / "d.json", DONG), plain(tmp_path / "t.json", split))
    assert out["polls"][0]["tally"]["quorum"]["present"] == 10


def test_an_output_that_cannot_be_written_is_refused(capsys, tmp_path):
    """An output in a folder that does not exist: exit 2 with one line naming it."""
    out = tmp_path / "no" / "out.json"
    dong = plain(tmp_path / "dong.json", DONG)
    assert main(["combine", str(dong), "-o", str(out)]) == 2
    assert "không ghi được" in capsys.readouterr().err
