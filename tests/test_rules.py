"""The three legal rule sets: bases, consequences, citations (tinnhiem.rules)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tinnhiem.model import BASES, Kind
from tinnhiem.rules import BANDS, RULE_SETS, UnknownRuleSet, rule_set


def test_the_three_rule_sets_exist():
    """Exactly the rule sets named in the poll-file contract are known."""
    assert list(RULE_SETS) == ["nq96-2023", "nq85-2014", "qd96-tw"]


@pytest.mark.parametrize(
    ("rule_id", "poll_base"),
    [("nq96-2023", "collected"), ("nq85-2014", "members"), ("qd96-tw", "collected")],
)
def test_poll_base_per_rule_set(rule_id, poll_base):
    """A poll divides by ballots collected under NQ 96 and QĐ 96, by all members under NQ 85."""
    assert rule_set(rule_id).default_base(Kind.POLL) == poll_base
    assert poll_base in BASES


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
def test_vote_base_is_all_members_under_every_rule_set(rule_id):
    """A confidence vote divides by all members whatever the rule set."""
    assert rule_set(rule_id).default_base(Kind.VOTE) == "members"


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
def test_poll_consequences_are_vietnamese_and_cited(rule_id):
    """Each poll band above none has a Vietnamese consequence naming its source article."""
    rules = rule_set(rule_id)
    assert rules.consequence(Kind.POLL, "none") == ""
    for band in ("over_half", "two_thirds"):
        text = rules.consequence(Kind.POLL, band)
        assert "Điều" in text
        assert rules.name.split()[-1] in text


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014"])
def test_vote_consequence_of_the_assembly_rules(rule_id):
    """Under NQ 96 and NQ 85 a vote over half means resignation or dismissal."""
    rules = rule_set(rule_id)
    assert "không tín nhiệm" in rules.consequence(Kind.VOTE, "over_half")
    assert rules.consequence(Kind.VOTE, "two_thirds") == ""
    assert rules.consequence(Kind.VOTE, "none") == ""


def test_consequences_differ_between_rule_sets():
    """NQ 96 proposes dismissal at ⅔ while NQ 85 holds a confidence vote."""
    assert "miễn nhiệm" in rule_set("nq96-2023").consequence(Kind.POLL, "two_thirds")
    assert "bỏ phiếu tín nhiệm" in rule_set("nq85-2014").consequence(Kind.POLL, "two_thirds")
    assert "thấp hơn" in rule_set("qd96-tw").consequence(Kind.POLL, "two_thirds")


@pytest.mark.parametrize("rule_id", ["nq96-2023", "nq85-2014", "qd96-tw"])
def test_rule_set_describes_itself(rule_id):
    """Every rule set carries a citation, a base note, a bands note, exemptions and ⅔ quorum."""
    rules = rule_set(rule_id)
    assert rules.id == rule_id
    assert rules.citation.startswith(("Nghị quyết số", "Quy định số"))
    assert rules.base_note
    assert rules.bands_note
    assert rules.exemptions
    assert rules.quorum == Fraction(2, 3)


def test_bands_are_ordered_by_severity():
    """The band names run from none to two_thirds."""
    assert BANDS == ("none", "over_half", "two_thirds")


def test_unknown_rule_set():
    """An unknown rule-set id raises UnknownRuleSet naming the id."""
    with pytest.raises(UnknownRuleSet, match="nq35-2012"):
        rule_set("nq35-2012")
