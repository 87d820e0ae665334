"""The built-in rule sets as data: files, bases, edges, citations, consequences (tinnhiem.rules)."""

from __future__ import annotations

import json
from fractions import Fraction
from importlib import resources

import pytest

from tinnhiem.model import BASES, Kind
from tinnhiem.rule_reading import RuleSetError, read_data
from tinnhiem.rules import (
    BANDS,
    RULE_SETS,
    Band,
    UnknownRuleSet,
    body_code,
    lookup,
    read_rule_set,
    rule_set,
)

IDS = ["nq96-2023", "nq85-2014", "qd96-tw"]
FOLDER = resources.files("tinnhiem") / "rulesets"
FILES = sorted(p.name for p in FOLDER.iterdir() if p.name.endswith(".json"))
OVER_HALF = Band("over_half", Fraction(1, 2), False)
TWO_THIRDS = Band("two_thirds", Fraction(2, 3), True)
ASSEMBLY, COUNCIL = "Quốc hội khóa XV", "Hội đồng nhân dân tỉnh Vĩnh Phúc"


def every_text(rules) -> list[str]:
    """Every sentence a rule set can put in front of a person, for every body."""
    texts = [rules.name, rules.who, rules.citation, rules.base_note, rules.bands_note]
    texts += [*rules.exemptions, *rules.quotes.values()]
    for kind in Kind:
        for band in rules.band_names(kind):
            texts += [rules.consequence(kind, band, body) for body in ("", ASSEMBLY, COUNCIL)]
    return texts


def test_the_three_rule_sets_exist():
    """Exactly the rule sets named in the poll-file contract are known, in the index's order."""
    assert list(RULE_SETS) == IDS
    assert json.loads((FOLDER / "index.json").read_text(encoding="utf-8")) == IDS


def test_every_file_is_a_listed_rule_set():
    """The folder holds one file per listed rule set and the index, nothing else."""
    assert sorted([*(f"{i}.json" for i in IDS), "index.json"]) == FILES


@pytest.mark.parametrize("rule_id", IDS)
def test_every_rule_set_file_passes_the_checks(rule_id):
    """Each shipped file is a complete built-in rule set whose id is its file name."""
    data = json.loads((FOLDER / f"{rule_id}.json").read_text(encoding="utf-8"))
    assert read_data(data, rule_id, builtin=True, builtins=()) is data
    assert data["id"] == rule_id
    assert rule_set(rule_id).builtin


@pytest.mark.parametrize("rule_id", IDS)
def test_a_built_in_file_is_not_a_custom_rule_set(rule_id):
    """A built-in file pasted as a poll file's rule_set is refused for its id."""
    data = json.loads((FOLDER / f"{rule_id}.json").read_text(encoding="utf-8"))
    with pytest.raises(RuleSetError, match=r"^rule_set\.who: trường không có"):
        read_rule_set(data)


@pytest.mark.parametrize(
    ("rule_id", "poll_base"),
    [("nq96-2023", "collected"), ("nq85-2014", "members"), ("qd96-tw", "collected")],
)
def test_poll_base_per_rule_set(rule_id, poll_base):
    """A poll divides by ballots collected under NQ 96 and QĐ 96, by all members under NQ 85."""
    assert rule_set(rule_id).default_base(Kind.POLL) == poll_base
    assert rule_set(rule_id).default_base("poll") == poll_base
    assert poll_base in BASES


@pytest.mark.parametrize("rule_id", IDS)
def test_vote_base_is_all_members_under_every_rule_set(rule_id):
    """A confidence vote divides by all members whatever the rule set."""
    assert rule_set(rule_id).default_base(Kind.VOTE) == "members"


@pytest.mark.parametrize("rule_id", IDS)
def test_built_in_edges_are_exactly_half_and_two_thirds(rule_id):
    """Every built-in poll has over_half above ½ and two_thirds from ⅔; a vote only over_half."""
    rules = rule_set(rule_id)
    assert rules.bands(Kind.POLL) == (OVER_HALF, TWO_THIRDS)
    assert rules.bands(Kind.VOTE) == (OVER_HALF,)
    assert rules.band_names(Kind.POLL) == BANDS
    assert rules.band_names(Kind.VOTE) == ("none", "over_half")
    assert rules.quorum == Fraction(2, 3)


def test_bands_are_ordered_by_severity():
    """The band names run from none to two_thirds."""
    assert BANDS == ("none", "over_half", "two_thirds")


@pytest.mark.parametrize("rule_id", IDS)
def test_rule_set_describes_itself(rule_id):
    """Every rule set carries a citation, a base note, a bands note and exemptions."""
    rules = rule_set(rule_id)
    assert rules.id == rule_id
    assert rules.citation.startswith(("Nghị quyết số", "Quy định số"))
    assert rules.base_note
    assert rules.bands_note
    assert rules.exemptions


@pytest.mark.parametrize(
    ("rule_id", "articles"),
    [
        (
            "nq96-2023",
            {
                "who": "Điều 2",
                "exemptions": "khoản 5 Điều 2",
                "procedure_quoc_hoi": "Điều 10",
                "procedure_hdnd": "Điều 11",
                "consequences": "Điều 12",
                "vote": "Điều 13",
                "publication": "khoản 6 Điều 19",
            },
        ),
        ("nq85-2014", {"result": "khoản 1 Điều 17"}),
        ("qd96-tw", {"exemptions": "Điều 3", "quorum": "Điều 3"}),
    ],
)
def test_only_the_confirmed_articles_are_cited(rule_id, articles):
    """Each rule set cites exactly the articles domain.md confirms, and no other."""
    assert dict(rule_set(rule_id).articles) == articles


@pytest.mark.parametrize(
    ("rule_id", "poll_source", "vote_source"),
    [
        ("nq96-2023", "(Điều 12 Nghị quyết 96/2023/QH15).", "(Nghị quyết 96/2023/QH15)."),
        ("nq85-2014", "(Nghị quyết 85/2014/QH13).", "(Nghị quyết 85/2014/QH13)."),
        ("qd96-tw", "(Quy định 96-QĐ/TW).", None),
    ],
)
def test_consequences_end_with_their_source(rule_id, poll_source, vote_source):
    """NQ 96's consequences cite Art. 12; where no article is confirmed, the instrument alone."""
    rules = rule_set(rule_id)
    for body in ("", ASSEMBLY, COUNCIL):
        for band in ("over_half", "two_thirds"):
            assert rules.consequence(Kind.POLL, band, body).endswith(poll_source)
        vote = rules.consequence(Kind.VOTE, "over_half", body)
        assert vote.endswith(vote_source) if vote_source else vote == ""


@pytest.mark.parametrize("rule_id", IDS)
def test_no_band_has_no_consequence(rule_id):
    """``none``, and a band the kind does not have, mean nothing."""
    rules = rule_set(rule_id)
    assert rules.consequence(Kind.POLL, "none") == ""
    assert rules.consequence(Kind.VOTE, "none") == ""
    assert rules.consequence(Kind.VOTE, "two_thirds") == ""


@pytest.mark.parametrize("rule_id", IDS)
def test_no_unconfirmed_article_is_printed(rule_id):
    """No text of a rule set names an article its ``articles`` does not hold."""
    rules = rule_set(rule_id)
    for text in every_text(rules):
        assert "Điều 11 Nghị" not in text
        if rule_id != "nq96-2023":
            assert "Điều" not in text.replace("Điều 3 Quy", "").replace("Điều 17", "")


@pytest.mark.parametrize("rule_id", IDS)
def test_no_district_council_is_named_as_current(rule_id):
    """Since 1/7/2025 there is no HĐND cấp huyện: no text of a rule set names one."""
    for text in every_text(rule_set(rule_id)):
        assert "huyện" not in text.lower()


def test_nq96_applies_to_the_assembly_and_provincial_councils():
    """NQ 96 names the National Assembly and provincial councils (the two-tier reform)."""
    assert rule_set("nq96-2023").who == "Quốc hội, Hội đồng nhân dân cấp tỉnh"


def test_nq96_over_half_names_the_body_that_acts():
    """Over half: the Assembly's Standing Committee, or the council's standing body, acts."""
    rules = rule_set("nq96-2023")
    assembly = rules.consequence(Kind.POLL, "over_half", ASSEMBLY)
    council = rules.consequence(Kind.POLL, "over_half", COUNCIL)
    assert "Ủy ban thường vụ Quốc hội trình Quốc hội bỏ phiếu tín nhiệm" in assembly
    assert "Hội đồng nhân dân" not in assembly
    assert "Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ phiếu tín nhiệm" in council
    assert "Quốc hội" not in council
    assert "Quốc hội / Thường trực" not in rules.consequence(Kind.POLL, "over_half")


def test_nq85_two_thirds_names_the_body_that_acts():
    """Under NQ 85 the vote at ⅔ is proposed by the body's own standing organ."""
    rules = rule_set("nq85-2014")
    assert "Ủy ban thường vụ Quốc hội trình Quốc hội" in rules.consequence(
        Kind.POLL, "two_thirds", "QUỐC HỘI"
    )
    council = rules.consequence(Kind.POLL, "two_thirds", "HĐND xã Tân Lập")
    assert "Thường trực Hội đồng nhân dân trình" in council
    assert "Quốc hội" not in council


def test_for_body_reads_the_consequences_for_that_body():
    """A rule set given the poll's body answers with that body's text by default."""
    council = rule_set("nq96-2023").for_body(COUNCIL)
    assert council.consequence(Kind.POLL, "over_half") == rule_set("nq96-2023").consequence(
        Kind.POLL, "over_half", COUNCIL
    )
    assert council.consequence(Kind.POLL, "over_half", ASSEMBLY) != council.consequence(
        Kind.POLL, "over_half"
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Quốc hội", "quoc_hoi"),
        ("QUỐC HỘI khóa XV", "quoc_hoi"),
        ("Quo\u0302\u0301c ho\u0323\u0302i", "quoc_hoi"),  # typed decomposed (NFD)
        ("Hội đồng nhân dân tỉnh Vĩnh Phúc", "hdnd"),
        ("HĐND thành phố Cần Thơ", "hdnd"),
        ("hđnd xã Tân Lập", "hdnd"),
        ("Đảng ủy Sở Nội vụ", "any"),
        ("", "any"),
    ],
)
def test_body_code(body, code):
    """The convening body is recognised in any case and in decomposed form."""
    assert body_code(body) == code


def test_nq96_exemptions_quote_article_2_5():
    """NQ 96's exemptions are those of Art. 2(5), quoted in its own words."""
    rules = rule_set("nq96-2023")
    assert rules.cite("exemptions") == "khoản 5 Điều 2 Nghị quyết 96/2023/QH15"
    assert rules.quotes["exemptions"] == (
        "Không lấy phiếu tín nhiệm đối với người giữ chức vụ … đã có thông báo nghỉ công tác "
        "chờ nghỉ hưu hoặc được bầu, bổ nhiệm trong năm lấy phiếu tín nhiệm"
    )
    assert rules.exemptions[:2] == (
        "Đã có thông báo nghỉ công tác chờ nghỉ hưu",
        "Được bầu, bổ nhiệm trong năm lấy phiếu tín nhiệm",
    )


def test_qd96_quorum_quotes_article_3():
    """QĐ 96's quorum is cited to Art. 3 in its own words."""
    rules = rule_set("qd96-tw")
    assert rules.cite("quorum") == "Điều 3 Quy định 96-QĐ/TW"
    assert rules.quotes["quorum"] == (
        "chỉ được tiến hành khi có ít nhất 2/3 số người được triệu tập có mặt"
    )


def test_cite_without_a_confirmed_article_is_the_instrument_alone():
    """An unconfirmed article is never guessed: the instrument is cited alone."""
    assert rule_set("nq85-2014").cite("consequences") == "Nghị quyết 85/2014/QH13"
    assert rule_set("qd96-tw").cite("consequences") == "Quy định 96-QĐ/TW"
    assert rule_set("nq96-2023").cite("quorum") == "Nghị quyết 96/2023/QH15"


def test_consequences_differ_between_rule_sets():
    """NQ 96 proposes dismissal at ⅔ while NQ 85 holds a confidence vote."""
    assert "miễn nhiệm" in rule_set("nq96-2023").consequence(Kind.POLL, "two_thirds")
    assert "bỏ phiếu tín nhiệm" in rule_set("nq85-2014").consequence(Kind.POLL, "two_thirds")
    assert "thấp hơn" in rule_set("qd96-tw").consequence(Kind.POLL, "two_thirds")


def test_unknown_rule_set():
    """An unknown rule-set id raises UnknownRuleSet naming the id."""
    with pytest.raises(UnknownRuleSet, match="nq35-2012"):
        rule_set("nq35-2012")


def test_lookup_finds_a_built_in_rule_set():
    """Without a rule set of its own, a poll's rules name a built-in one."""
    assert lookup("nq85-2014") is RULE_SETS["nq85-2014"]


def test_lookup_refuses_an_unknown_id():
    """rules naming no built-in set, in a file without rule_set, is refused as before."""
    with pytest.raises(RuleSetError, match=r"^rules: bộ quy tắc “kh-x” không có; chọn một trong "):
        lookup("kh-x")


def nq96_data() -> dict:
    return json.loads((FOLDER / "nq96-2023.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda d: d["articles"].update(consequences="Điều 12a"), "R13", "f.articles.consequences"),
        (
            lambda d: d["articles"].update(exemptions="Khoản 5 Điều 2"),
            "R13",
            "f.articles.exemptions",
        ),
        (lambda d: d["quotes"].update(quorum="…"), "R14", "f.quotes.quorum"),
        (lambda d: d["consequences"]["over_half"].pop("any"), "R15", "f.consequences.over_half"),
        (lambda d: d["articles"].update(penalty="Điều 20"), "F15", "f.articles.penalty"),
        (lambda d: d.pop("vote"), "F03", "f.vote"),
        (lambda d: d.update(who=""), "F03", "f.who"),
        (lambda d: d["exemptions"].append(""), "F05", "f.exemptions[4]"),
        (lambda d: d["vote"]["bands"][0].update({"from": "1/2 "}), "R03", "f.vote.bands[1].from"),
        (
            lambda d: d["vote"]["consequences"].update(two_thirds="…"),
            "R10",
            "f.vote.consequences.two_thirds",
        ),
    ],
)
def test_a_broken_built_in_file_is_refused(change, code, field):
    """A shipped file that cites an article loosely, quotes without one or misses a body fails."""
    data = nq96_data()
    change(data)
    with pytest.raises(RuleSetError) as caught:
        read_data(data, "f", builtin=True, builtins=())
    assert (caught.value.code, caught.value.field) == (code, field)
