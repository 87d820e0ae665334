"""A poll file's own rule set (``rule_set``): what is read, and every refusal of the contract."""

from __future__ import annotations

import copy
import re
from fractions import Fraction

import pytest

from tinnhiem.model import Kind
from tinnhiem.rule_reading import RuleSetError
from tinnhiem.rules import RULE_SETS, Band, lookup, read_rule_set

CANTHO = {
    "id": "kh-cantho-2019",
    "name": "Kế hoạch lấy phiếu tín nhiệm của UBND TP Cần Thơ (7/1/2019)",
    "citation": "Kế hoạch số 05/KH-UBND ngày 07/01/2019 của UBND thành phố Cần Thơ",
    "base": "collected",
    "quorum": "2/3",
    "bands": [
        {"band": "over_half", "from": "1/2", "inclusive": False},
        {"band": "two_thirds", "from": "2/3", "inclusive": True},
    ],
    "consequences": {"over_half": "Xem xét cho thôi giữ chức vụ.", "two_thirds": "Miễn nhiệm."},
}


def changed(path: str, value=None, *, delete: bool = False) -> dict:
    """CANTHO with the value at ``path`` (dots and [n], 1-based) replaced or deleted."""
    data = copy.deepcopy(CANTHO)
    *parents, last = re.findall(r"[^.\[\]]+", path)
    target = data
    for key in parents:
        target = target[int(key) - 1] if key.isdigit() else target[key]
    key = int(last) - 1 if last.isdigit() else last
    if delete:
        del target[key]
    else:
        target[key] = value
    return data


def refusal(data) -> RuleSetError:
    with pytest.raises(RuleSetError) as caught:
        read_rule_set(data)
    return caught.value


def test_a_custom_rule_set_is_read_as_written():
    """The contract's example becomes a rule set with its own edges, base, quorum and texts."""
    rules = read_rule_set(CANTHO)
    assert (rules.id, rules.name, rules.citation) == (
        CANTHO["id"],
        CANTHO["name"],
        CANTHO["citation"],
    )
    assert rules.default_base(Kind.POLL) == rules.default_base(Kind.VOTE) == "collected"
    assert rules.quorum == Fraction(2, 3)
    expected = (
        Band("over_half", Fraction(1, 2), False),
        Band("two_thirds", Fraction(2, 3), True),
    )
    assert rules.bands(Kind.POLL) == rules.bands(Kind.VOTE) == expected
    assert rules.consequence(Kind.POLL, "two_thirds") == "Miễn nhiệm."
    assert rules.consequence(Kind.VOTE, "over_half", "Quốc hội") == "Xem xét cho thôi giữ chức vụ."
    assert rules.consequence(Kind.POLL, "none") == ""
    assert not rules.builtin
    assert rules.data == CANTHO


def test_only_the_arithmetic_fields_are_required():
    """id, base, quorum and bands suffice; the name defaults to the id, texts to nothing."""
    data = {key: CANTHO[key] for key in ("id", "base", "quorum", "bands")}
    rules = read_rule_set(data)
    assert rules.name == "kh-cantho-2019"
    assert rules.citation == ""
    assert rules.consequence(Kind.POLL, "over_half") == ""


def test_extension_keys_are_allowed():
    """Keys starting with x- are kept, in the rule set and in its bands."""
    data = changed("x-note", "ghi chú")
    data["bands"][0]["x-label"] = "Quá nửa"
    assert read_rule_set(data).data["x-note"] == "ghi chú"


@pytest.mark.parametrize("text", ["1/1", "4/6", "001/2", "1/1000000"])
def test_fractions_up_to_one_are_accepted(text):
    """Any fraction p/q with 0 < p/q ≤ 1 is an edge, written reduced or not."""
    data = changed("bands[2].from", text)
    data["bands"] = data["bands"][1:]
    data["consequences"] = {}
    assert read_rule_set(data).bands(Kind.POLL)[0].edge == Fraction(*map(int, text.split("/")))


FRACTION_MESSAGE = (
    "phải là một phân số dạng “p/q” (p, q là số nguyên, q khác 0; ví dụ “1/2”, “2/3”)"
)


@pytest.mark.parametrize(
    "value",
    [
        "0.5",
        "2:3",
        "1/0",
        "0/0",
        " 1/2",
        "1/2 ",
        "½",
        "-1/2",
        "+1/2",
        "1",
        "1/2/3",
        "٣/٥",
        "",
        0.5,
        1,
        None,
        ["1", "2"],
    ],
)
@pytest.mark.parametrize("path", ["quorum", "bands[1].from", "bands[2].from"])
def test_a_malformed_fraction_is_refused(path, value):
    """Anything but digits, a slash and digits (a non-zero denominator) is refused by name."""
    error = refusal(changed(path, value))
    assert error.code == "R03"
    assert str(error).startswith(f"rule_set.{path}: {FRACTION_MESSAGE}, không phải ")


@pytest.mark.parametrize("value", ["0/3", "3/2", "4/3", "1000001/1000000"])
@pytest.mark.parametrize("path", ["quorum", "bands[1].from", "bands[2].from"])
def test_a_fraction_outside_zero_one_is_refused(path, value):
    """Zero and fractions above one are refused: 0 < p/q ≤ 1."""
    error = refusal(changed(path, value))
    assert error.code == "R04"
    assert str(error) == (
        f"rule_set.{path}: phân số “{value}” nằm ngoài khoảng cho phép: cần 0 < p/q ≤ 1 "
        "(ví dụ “1/2”, “2/3”)."
    )


@pytest.mark.parametrize(
    ("second", "inclusive"),
    [("1/2", False), ("1/2", True), ("2/4", True), ("1/3", True), ("499/1000", False)],
)
def test_edges_not_strictly_increasing_are_refused(second, inclusive):
    """A band whose edge is not above the previous one's (equal included) is refused."""
    data = changed("bands[2]", {"band": "two_thirds", "from": second, "inclusive": inclusive})
    error = refusal(data)
    assert error.code == "R05"
    assert str(error) == (
        f"rule_set.bands[2].from: ngưỡng “{second}” phải lớn hơn ngưỡng “1/2” của mức "
        "“over_half” đứng trước; liệt kê các mức theo ngưỡng tăng dần, mỗi ngưỡng một mức."
    )


@pytest.mark.parametrize("base", ["ballots", "Collected", "", None, 3])
def test_an_unknown_base_is_refused(base):
    """The base is one of the contract's four bases."""
    error = refusal(changed("base", base))
    assert error.code == "S02"
    assert error.field == "rule_set.base"
    assert error.message.endswith("không có; chọn collected, issued, members, present.")


def test_a_duplicate_band_name_is_refused():
    """Two bands may not share a name, whatever their edges."""
    error = refusal(changed("bands[2].band", "over_half"))
    assert error.code == "R06"
    assert str(error) == (
        "rule_set.bands[2].band: mức “over_half” đã có ở rule_set.bands[1]; mỗi mức một tên riêng."
    )


@pytest.mark.parametrize(
    "name", ["Over_half", "over half", "1st", "_low", "quá_nửa", "over-half", "", 7, None]
)
def test_a_bad_band_name_is_refused(name):
    """A band name is a lower-case word: [a-z][a-z0-9_]*."""
    error = refusal(changed("bands[1].band", name))
    assert error.code == "R07"
    assert error.field == "rule_set.bands[1].band"
    assert "tên mức" in error.message and "over_half" in error.message


@pytest.mark.parametrize("name", ["a", "b2", "tren_50", "over_two_thirds"])
def test_good_band_names_are_accepted(name):
    """Lower-case letters, digits and underscores, starting with a letter, make a name."""
    data = changed("bands[1].band", name)
    data["consequences"] = {}
    assert read_rule_set(data).bands(Kind.POLL)[0].name == name


def test_none_is_not_a_band_name():
    """``none`` is the result that passes no edge; no band may take that name."""
    assert refusal(changed("bands[1].band", "none")).code == "R08"


@pytest.mark.parametrize("rule_id", list(RULE_SETS))
def test_a_built_in_id_is_refused(rule_id):
    """A file's own rule set may not take the id of a built-in one."""
    error = refusal(changed("id", rule_id))
    assert error.code == "R02"
    assert str(error).startswith(f"rule_set.id: “{rule_id}” là mã của một bộ quy tắc có sẵn;")


@pytest.mark.parametrize(
    ("path", "value", "code", "field"),
    [
        ("id", "", "R12", "rule_set.id"),
        ("id", "   ", "R12", "rule_set.id"),
        ("id", 42, "F05", "rule_set.id"),
        ("name", None, "F05", "rule_set.name"),
        ("citation", ["…"], "F05", "rule_set.citation"),
        ("who", "Quốc hội", "F15", "rule_set.who"),
        ("bands", [], "R11", "rule_set.bands"),
        ("bands", {"band": "over_half"}, "F19", "rule_set.bands"),
        ("bands[1]", "over_half", "F02", "rule_set.bands[1]"),
        ("bands[1].edge", "1/2", "F15", "rule_set.bands[1].edge"),
        ("bands[1].inclusive", "false", "R09", "rule_set.bands[1].inclusive"),
        ("bands[1].inclusive", 0, "R09", "rule_set.bands[1].inclusive"),
        ("consequences", "Miễn nhiệm.", "F02", "rule_set.consequences"),
        ("consequences.three_fifths", "…", "R10", "rule_set.consequences.three_fifths"),
        ("consequences.none", "…", "R10", "rule_set.consequences.none"),
        ("consequences.over_half", {"any": "…"}, "F05", "rule_set.consequences.over_half"),
    ],
)
def test_other_malformed_fields_are_refused(path, value, code, field):
    """Every field of a rule set is checked for its type, and the field is named."""
    error = refusal(changed(path, value))
    assert (error.code, error.field) == (code, field)
    assert error.message


@pytest.mark.parametrize("key", ["id", "base", "quorum", "bands"])
def test_a_missing_required_field_is_refused(key):
    """id, base, quorum and bands are required."""
    error = refusal(changed(key, delete=True))
    assert str(error) == f"rule_set.{key}: thiếu trường bắt buộc này."


@pytest.mark.parametrize("key", ["band", "from", "inclusive"])
def test_a_band_without_one_of_its_fields_is_refused(key):
    """Each band needs its name, its edge and whether the edge itself is in it."""
    error = refusal(changed(f"bands[2].{key}", delete=True))
    assert str(error) == f"rule_set.bands[2].{key}: thiếu trường bắt buộc này."


@pytest.mark.parametrize("value", [[], "kh", None, 3])
def test_a_rule_set_that_is_not_an_object_is_refused(value):
    """rule_set is a JSON object."""
    assert refusal(value).field == "rule_set"


def test_the_field_prefix_can_be_named():
    """The caller names where the rule set sits, so the message points there."""
    with pytest.raises(RuleSetError, match=r"^points\[2\]\.rule_set\.base: "):
        read_rule_set(changed("base", "x"), "points[2].rule_set")


def test_lookup_uses_the_files_own_rule_set():
    """rules naming the file's rule_set gives that rule set."""
    custom = read_rule_set(CANTHO)
    assert lookup("kh-cantho-2019", custom) is custom


@pytest.mark.parametrize("rules", ["kh-cantho-2020", "nq96-2023"])
def test_rules_must_name_the_files_rule_set(rules):
    """With a rule_set in the file, rules naming anything else (a built-in too) is refused."""
    with pytest.raises(RuleSetError) as caught:
        lookup(rules, read_rule_set(CANTHO))
    assert caught.value.code == "R01"
    assert str(caught.value) == (
        f"rules: phải là id của rule_set trong tệp (“kh-cantho-2019”), không phải “{rules}”; "
        "sửa rules thành “kh-cantho-2019”, hoặc bỏ rule_set để dùng bộ quy tắc có sẵn."
    )
