"""The tally: counts, percentages, bands, final flags, the command's JSON (tinnhiem.tally)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.tally import as_json, count_entries, count_poll, tally, tally_counts
from tinnhiem.validation import PollError

THANH = Official("Lê Duy Thành", "Phó Chủ tịch UBND tỉnh")
NHA = Official("Phùng Xuân Nhạ", "Bộ trưởng Bộ Giáo dục và Đào tạo")

# HĐND Vĩnh Phúc, 13/12/2023, NQ 96: 47 ballots; 19 cao / 2 tín nhiệm / 25 thấp.
# The contract's worked example as `tinnhiem tally` prints it (also read by test_cli_tally).
EXPECTED = Path(__file__).parent / "data" / "expected" / "vinh-phuc-tally.json"
VINH_PHUC = Poll(
    kind=Kind.POLL,
    rules="nq96-2023",
    members=Attendance(total=50, present=47),
    issued=47,
    collected=47,
    officials=(THANH,),
    totals=({"high": 19, "confidence": 2, "low": 25},),
)
VINH_PHUC_ENTRIES = replace(
    VINH_PHUC, totals=None, entries=("1",) * 19 + ("2",) * 2 + ("3",) * 25 + ("0",)
)
# Quốc hội, 25/10/2018, NQ 85: 485 members, 475 ballots; 140 / 194 / 137.
QUOC_HOI = Poll(
    kind=Kind.POLL,
    rules="nq85-2014",
    members=Attendance(total=485, present=475),
    issued=475,
    collected=475,
    officials=(NHA,),
    totals=({"high": 140, "confidence": 194, "low": 137},),
)


def only(poll: Poll):
    """The single official's result of a tally."""
    (result,) = tally(poll).officials
    return result


@pytest.mark.parametrize("poll", [VINH_PHUC, VINH_PHUC_ENTRIES], ids=["totals", "entries"])
def test_vinh_phuc_2023(poll):
    """Lê Duy Thành: 40.43 / 4.26 / 53.19 of 47 ballots, over half, 1 invalid row."""
    result = tally(poll)
    assert result.base == 47
    assert result.base_name == "collected"
    (thanh,) = result.officials
    assert thanh.counts == {"high": 19, "confidence": 2, "low": 25}
    assert thanh.percent == {"high": "40.43", "confidence": "4.26", "low": "53.19"}
    assert thanh.band == "over_half"
    assert thanh.final is True
    assert thanh.invalid == 1
    assert thanh.valid == 46
    assert result.percent_vi(25) == "53,19%"
    assert result.percent_vi(2) == "4,26%"


def test_quoc_hoi_2018():
    """Phùng Xuân Nhạ: 28.87 / 40.00 / 28.25 of all 485 members, no band."""
    result = tally(QUOC_HOI)
    assert (result.base, result.base_name) == (485, "members")
    nha = result.officials[0]
    assert nha.percent == {"high": "28.87", "confidence": "40.00", "low": "28.25"}
    assert nha.band == "none"
    assert nha.invalid == 475 - 471
    assert result.percent_vi(140) == "28,87%"


def test_nq85_divides_by_all_members_even_when_fewer_voted():
    """Under NQ 85, 16 low of 20 ballots is no band when the body has 40 members."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq85-2014",
        members=Attendance(total=40, present=20),
        issued=20,
        collected=20,
        officials=(THANH,),
        totals=({"high": 2, "confidence": 2, "low": 16},),
    )
    result = tally(poll)
    assert result.base == 40
    assert (only(poll).percent["low"], only(poll).band) == ("40.00", "none")
    # The same counts under NQ 96 are 80 % of the ballots: two thirds.
    assert only(replace(poll, rules="nq96-2023")).band == "two_thirds"


@pytest.mark.parametrize(
    ("rules", "kind", "base_name", "base"),
    [
        ("nq96-2023", Kind.POLL, "collected", 44),
        ("nq85-2014", Kind.POLL, "members", 50),
        ("qd96-tw", Kind.POLL, "collected", 44),
        ("nq96-2023", Kind.VOTE, "members", 50),
        ("nq85-2014", Kind.VOTE, "members", 50),
        ("qd96-tw", Kind.VOTE, "members", 50),
    ],
)
def test_base_per_rule_set_and_kind(rules, kind, base_name, base):
    """The base follows the rule set for a poll and is all members for every vote."""
    poll = Poll(
        kind=kind,
        rules=rules,
        members=Attendance(total=50, present=46),
        issued=45,
        collected=44,
        officials=(THANH,),
    )
    result = tally(poll)
    assert (result.base_name, result.base) == (base_name, base)


@pytest.mark.parametrize(
    ("base_name", "base"),
    [("collected", 44), ("issued", 45), ("present", 46), ("members", 50)],
)
@pytest.mark.parametrize("kind", [Kind.POLL, Kind.VOTE])
def test_base_in_the_file_overrides(base_name, base, kind):
    """`base` in the poll overrides the rule set's base, for polls and votes alike."""
    poll = Poll(
        kind=kind,
        rules="nq96-2023",
        members=Attendance(total=50, present=46),
        issued=45,
        collected=44,
        officials=(THANH,),
        base=base_name,
    )
    assert (tally(poll).base_name, tally(poll).base) == (base_name, base)


def test_vote_never_gives_two_thirds():
    """Every member voting no confidence is still over_half in a vote."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(total=30, present=30),
        issued=30,
        collected=30,
        officials=(THANH,),
        entries=("2",) * 30,
    )
    result = only(poll)
    assert result.counts == {"confidence": 0, "no_confidence": 30}
    assert (result.percent["no_confidence"], result.band) == ("100.00", "over_half")


def test_vote_exactly_half_of_members_is_no_band():
    """15 no confidence of 30 members is not over half, even when all 15 ballots say so."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq85-2014",
        members=Attendance(total=30, present=20),
        issued=15,
        collected=15,
        officials=(THANH,),
        entries=("2",) * 15,
    )
    assert only(poll).band == "none"
    assert only(poll).final is True


def test_invalid_rows_and_whole_invalid_ballots():
    """A 0 row gives one official nothing; an X ballot gives nobody anything and is counted."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=10, present=10),
        issued=10,
        collected=10,
        officials=(Official("A"), Official("B"), Official("C")),
        entries=("123", "021", "X", "330", "X", "111"),
    )
    result = tally(poll)
    assert (result.counted, result.invalid, result.valid_ballots, result.remaining) == (6, 2, 4, 4)
    a, b, c = result.officials
    assert a.counts == {"high": 2, "confidence": 0, "low": 1}
    assert b.counts == {"high": 1, "confidence": 2, "low": 1}
    assert c.counts == {"high": 2, "confidence": 0, "low": 1}
    assert (a.invalid, b.invalid, c.invalid) == (3, 2, 3)


def test_totals_mode_counts_every_collected_ballot():
    """With totals, counted = collected and each official's invalid includes invalid ballots."""
    poll = replace(VINH_PHUC, invalid=1, totals=({"high": 19, "confidence": 2, "low": 24},))
    result = tally(poll)
    assert (result.counted, result.invalid, result.remaining) == (47, 1, 0)
    assert result.officials[0].invalid == 2
    assert result.officials[0].final is True


def test_totals_mode_is_always_final():
    """In totals mode nothing remains to enter, so every band is final, even on an edge."""
    poll = replace(QUOC_HOI, totals=({"high": 0, "confidence": 0, "low": 242},))
    assert (only(poll).band, only(poll).final) == ("none", True)


def test_final_while_entering():
    """Entering 16 of 21: a band already at ⅔ is final; one that could still cross ½ is not."""
    poll = Poll(
        kind=Kind.POLL,
        rules="qd96-tw",
        members=Attendance(total=31, present=21),
        issued=21,
        collected=21,
        officials=(Official("B"), Official("C"), Official("D")),
        entries=("331",) * 6 + ("313",) * 8 + ("X", "031"),
    )
    b, c, d = tally(poll).officials
    assert (b.counts["low"], b.band, b.final) == (14, "two_thirds", True)
    assert (c.counts["low"], c.band, c.final) == (7, "none", False)  # 7 + 5 = 12 > 10.5
    assert (d.counts["low"], d.band, d.final) == (8, "none", False)


def test_final_when_the_remaining_cannot_cross():
    """With 2 ballots left, 8 low of 21 cannot pass ½ (10 ≤ 10.5): final none."""
    poll = Poll(
        kind=Kind.POLL,
        rules="qd96-tw",
        members=Attendance(total=21, present=21),
        issued=21,
        collected=21,
        officials=(Official("D"),),
        entries=("3",) * 8 + ("1",) * 11,
    )
    assert (only(poll).band, only(poll).final) == ("none", True)
    fewer = replace(poll, entries=poll.entries[:-1])  # 3 left: 11 of 21 would be over half
    assert (only(fewer).band, only(fewer).final) == ("none", False)


def test_over_half_not_final_when_two_thirds_is_reachable():
    """Over half with enough ballots left to reach ⅔ is not final; a vote would be."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=30, present=30),
        issued=30,
        collected=30,
        officials=(Official("E"),),
        entries=("3",) * 16 + ("1",) * 10,
    )
    assert (only(poll).band, only(poll).final) == ("over_half", False)
    vote = replace(poll, kind=Kind.VOTE, entries=("2",) * 16 + ("1",) * 10)
    assert (only(vote).band, only(vote).final) == ("over_half", True)


def test_nothing_counted_yet():
    """With neither entries nor totals every count is 0 and nothing is final while ballots wait."""
    poll = replace(VINH_PHUC, totals=None)
    result = tally(poll)
    assert (result.counted, result.invalid, result.remaining) == (0, 0, 47)
    thanh = result.officials[0]
    assert thanh.counts == {"high": 0, "confidence": 0, "low": 0}
    assert thanh.percent == {"high": "0.00", "confidence": "0.00", "low": "0.00"}
    assert (thanh.invalid, thanh.band, thanh.final) == (0, "none", False)


def test_rounding_truncate():
    """Truncation cuts the third decimal instead of rounding it."""
    result = only(replace(VINH_PHUC, rounding="truncate"))
    assert result.percent == {"high": "40.42", "confidence": "4.25", "low": "53.19"}


def test_over_half_yet_fifty_percent():
    """20 001 low of 40 001 prints 50.00 and is over half."""
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=40_001, present=40_001),
        issued=40_001,
        collected=40_001,
        officials=(THANH,),
        totals=({"high": 0, "confidence": 20_000, "low": 20_001},),
    )
    assert (only(poll).percent["low"], only(poll).band) == ("50.00", "over_half")


def test_zero_base_of_a_poll():
    """No ballot collected under NQ 96 is a zero base: the tally refuses it, naming the base."""
    poll = replace(VINH_PHUC, issued=0, collected=0, totals=None)
    with pytest.raises(PollError, match=r"^base: .*\(collected\) bằng 0"):
        tally(poll)
    assert tally(replace(poll, base="present")).base == 47


def test_zero_base_of_a_vote():
    """A vote of a body with no members has a zero base."""
    poll = replace(
        VINH_PHUC, kind=Kind.VOTE, members=Attendance(0, 0), issued=0, collected=0, totals=None
    )
    with pytest.raises(PollError, match=r"^base: .*\(members\) bằng 0"):
        tally(poll)


def test_tally_refuses_invalid_data():
    """The tally validates its input first."""
    with pytest.raises(PollError, match=r"^ballots\.collected: "):
        tally(replace(VINH_PHUC, collected=48))


def test_exempt_officials_are_left_off():
    """An exempt official stays on the list but gets no result row."""
    poll = replace(
        VINH_PHUC_ENTRIES,
        officials=(Official("Miễn", "PCT", exempt_reason="Đã có thông báo nghỉ hưu"), THANH),
    )
    assert [r.official for r in tally(poll).officials] == [THANH]


def test_quorum_in_the_result():
    """The tally reports the quorum required and whether it is met, without refusing."""
    poll = Poll(
        kind=Kind.POLL,
        rules="qd96-tw",
        members=Attendance(total=30, present=19),
        issued=19,
        collected=19,
        officials=(THANH,),
    )
    result = tally(poll)
    assert (result.present, result.quorum_required, result.quorum_met) == (19, 20, False)
    met = tally(replace(poll, members=Attendance(total=30, present=20)))
    assert (met.quorum_required, met.quorum_met) == (20, True)


def test_count_entries_by_column():
    """count_entries counts each digit per official and the X ballots."""
    rows, invalid = count_entries(["12", "X", "21", "00", "22"], width=2, levels=2)
    assert (rows, invalid) == ([[1, 2], [1, 2]], 1)
    assert count_entries(["X"], width=3, levels=3) == ([[0, 0, 0]] * 3, 1)
    assert count_entries([], width=1, levels=2) == ([[0, 0]], 0)


def test_as_json_is_the_contract_output():
    """as_json gives exactly the fields, order and JSON types of poll-file.md."""
    output = as_json(tally(VINH_PHUC))
    assert output == json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert list(output) == ["kind", "rules", "base", "quorum", "ballots", "officials"]
    assert list(output["quorum"]) == ["present", "required", "met"]
    assert list(output["ballots"]) == ["issued", "collected", "counted", "invalid"]
    official = output["officials"][0]
    assert list(official) == ["name", "position", "counts", "invalid", "percent", "band", "final"]
    assert list(official["counts"]) == ["high", "confidence", "low"]
    assert list(official["percent"]) == ["high", "confidence", "low"]
    assert type(output["kind"]) is str  # not the Kind enum
    assert type(output["quorum"]["met"]) is bool


def test_as_json_of_a_vote_uses_its_two_levels():
    """A vote's counts and percents have confidence and no_confidence, in that order."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(total=50, present=40),
        issued=40,
        collected=40,
        officials=(THANH,),
        entries=("2",) * 26 + ("1",) * 12 + ("0", "X"),
    )
    official = as_json(tally(poll))["officials"][0]
    assert official["counts"] == {"confidence": 12, "no_confidence": 26}
    assert list(official["percent"]) == ["confidence", "no_confidence"]
    assert official["percent"] == {"confidence": "24.00", "no_confidence": "52.00"}
    assert (official["invalid"], official["band"], official["final"]) == (2, "over_half", True)


def test_counts_kept_beside_the_ballots_give_the_same_tally() -> None:
    """tally_counts on counts added up ballot by ballot equals the tally of the whole poll."""
    poll = VINH_PHUC_ENTRIES
    entries = poll.entries
    counts = count_poll(replace(poll, entries=entries[:10]))
    for entry in entries[10:]:
        counts = counts.plus((entry,), poll.kind)
    setting = replace(poll, entries=None)
    assert tally_counts(setting, counts) == tally(poll)


def test_counts_refuse_a_malformed_entry() -> None:
    """Counts.plus gives None for an entry that is not a well-formed ballot."""
    counts = count_poll(VINH_PHUC_ENTRIES)
    assert counts.plus(("12",), Kind.POLL) is None
    assert counts.plus(("7",), Kind.POLL) is None


def test_counts_of_more_ballots_than_collected_raise_the_tally_error() -> None:
    """tally_counts refuses more ballots counted than collected with tally's own message."""
    counts = count_poll(VINH_PHUC_ENTRIES).plus(("1",), Kind.POLL)
    with pytest.raises(PollError, match="nhiều hơn số phiếu thu về"):
        tally_counts(replace(VINH_PHUC_ENTRIES, entries=None), counts)
    with pytest.raises(PollError, match="nhiều hơn số phiếu thu về"):  # whatever the setting
        tally_counts(replace(VINH_PHUC_ENTRIES, entries=None), counts, setting_checked=True)


def test_a_setting_checked_already_is_not_checked_again_and_gives_the_same_tally() -> None:
    """``setting_checked`` skips check_setting (a screen redrawn after each ballot checked
    this setting at its last draw) and changes nothing else: a setting that check_setting
    refuses is refused without it, tallied when the caller says it was checked."""
    setting = replace(VINH_PHUC_ENTRIES, entries=None)
    counts = count_poll(VINH_PHUC_ENTRIES)
    assert tally_counts(setting, counts, setting_checked=True) == tally_counts(setting, counts)
    wrong = replace(setting, issued=setting.collected - 1)  # more collected than issued
    with pytest.raises(PollError):
        tally_counts(wrong, counts)
    assert tally_counts(wrong, counts, setting_checked=True).collected == setting.collected
