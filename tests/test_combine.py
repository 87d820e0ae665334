"""tinnhiem.combine and storage.sealed: the codes of each refusal, the sum, the copies."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from combine_files import DONG, OFFICIALS, TAY, locked

from tinnhiem import problems as P
from tinnhiem.cli_combine import combine_files
from tinnhiem.combine import PollFile, claims_lock, combine, content_of, summed_poll
from tinnhiem.model import Official
from tinnhiem.pollfile import poll_to_data
from tinnhiem.problems import PollError
from tinnhiem.storage.sealed import read_poll_file
from tinnhiem.tally import tally


def file(name: str, poll) -> PollFile:
    return PollFile(name, poll, content_of(poll_to_data(poll)))


def code_of(files) -> str:
    with pytest.raises(PollError) as caught:
        combine(files)
    return caught.value.problem.code


def test_the_sum_holds_every_count_of_the_points():
    """The summed poll adds attendance, ballots, whole invalid ballots and each level."""
    poll = summed_poll([(DONG, tally(DONG)), (TAY, tally(TAY))])
    assert (poll.members.total, poll.members.present) == (13, 10)
    assert (poll.issued, poll.collected, poll.invalid) == (10, 10, 1)
    assert poll.totals is not None and poll.totals[0] == {"high": 2, "confidence": 1, "low": 6}
    assert (poll.entries, poll.point, poll.id) == (None, None, DONG.id)


@pytest.mark.parametrize(
    ("other", "code"),
    [
        (replace(DONG, entries=DONG.entries[:-1]), "G01"),
        (replace(TAY, rounding="truncate"), "G02"),
        (replace(TAY, officials=OFFICIALS[:2], entries=tuple(e[:2] for e in TAY.entries)), "G03"),
        (replace(TAY, officials=(Official("Khác"), *OFFICIALS[1:])), "G04"),
    ],
    ids=["conflict", "setting", "count", "official"],
)
def test_each_refusal_has_its_code(other, code):
    """A conflict, another setting, another number of officials and another official."""
    assert code_of([file("dong.json", DONG), file("other.json", other)]) == code


def test_a_tampered_locked_file_gives_g05(tmp_path):
    """A locked export whose totals were edited is refused with G05 naming the file."""
    path = locked(tmp_path / "dong.json", DONG)
    data = json.loads(path.read_text("utf-8"))
    data["ballots"]["collected"] = 5
    data["entries"] = data["entries"][:5]
    with pytest.raises(PollError) as caught:
        read_poll_file("dong.json", json.dumps(data))
    assert (caught.value.problem.code, caught.value.problem.field) == ("G05", "dong.json")


def test_a_verified_locked_file_carries_its_lock_hash(tmp_path):
    """A locked export that verifies is read as locked with the hash of its lock entry."""
    path = locked(tmp_path / "dong.json", DONG)
    data = json.loads(path.read_text("utf-8"))
    read = read_poll_file("dong.json", path.read_bytes())
    assert claims_lock(data) and read.locked
    assert read.lock_hash == data["x-tinnhiem"]["lock_hash"]


def test_a_file_is_read_or_refused_with_its_code(tmp_path):
    """No such file gives G06, a folder G07."""
    for name, code in ((str(tmp_path / "none.json"), "G06"), (str(tmp_path), "G07")):
        with pytest.raises(PollError) as caught:
            combine_files([name])
        assert (caught.value.problem.code, caught.value.problem.field) == (code, name)


def test_output_problems_have_their_codes():
    """The output's suffix and a failed write are registered problems G08 and G09."""
    assert P.OUTPUT_SUFFIX(field="x.docx").code == "G08"
    assert P.NOT_WRITTEN(field="x.pdf", reason="đầy đĩa").code == "G09"


def test_a_point_with_nothing_collected_is_refused_with_g12(tmp_path):
    """A point made but not yet counted (base zero) is refused, saying to count it first."""
    from tinnhiem.combine import new_point

    empty = new_point(DONG, "Thôn Tây")
    assert code_of([file("dong.json", DONG), file("tay.json", empty)]) == "G12"
    path = tmp_path / "tay.json"
    path.write_text(json.dumps(poll_to_data(empty), ensure_ascii=False), "utf-8")
    with pytest.raises(PollError, match="Thôn Tây chưa có phiếu"):
        combine_files([str(path)])
