"""The three legal rule sets of domain.md: base, bands, quorum, exemptions, consequences.

Each rule set is plain frozen data with the citation of its source, so the minutes can
name the rule they applied. Points the public texts leave open are settings with the
default domain.md names (the percent base of QĐ 96, the serious-illness exemption).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from tinnhiem.model import Kind

BAND_NONE = "none"
BAND_OVER_HALF = "over_half"
BAND_TWO_THIRDS = "two_thirds"
BANDS = (BAND_NONE, BAND_OVER_HALF, BAND_TWO_THIRDS)


@dataclass(frozen=True)
class RuleSet:
    """One legal instrument and what it says about base, bands and exemptions."""

    id: str
    name: str  # short Vietnamese name, e.g. "Nghị quyết 96/2023/QH15"
    who: str
    in_force: str
    citation: str
    poll_base: str  # one of model.BASES
    base_note: str  # one sentence on the base, for the setup page
    bands_note: str  # one sentence on the bands, for the setup page
    poll_consequences: dict[str, str]
    vote_consequences: dict[str, str]
    exemptions: tuple[str, ...]
    quorum: Fraction = Fraction(2, 3)

    def default_base(self, kind: Kind) -> str:
        """The base the law names: all members for every vote, the rule's base for a poll."""
        return "members" if kind == Kind.VOTE else self.poll_base

    def consequence(self, kind: Kind, band: str) -> str:
        """What the band means under this rule set, in Vietnamese ('' for no band)."""
        table = self.vote_consequences if kind == Kind.VOTE else self.poll_consequences
        return table.get(band, "")


_VOTE_NQ = {
    BAND_OVER_HALF: (
        "Người có quá nửa tổng số đại biểu bỏ phiếu không tín nhiệm có thể xin từ chức; "
        "nếu không từ chức, cơ quan có thẩm quyền trình miễn nhiệm, bãi nhiệm hoặc "
        "phê chuẩn đề nghị cách chức."
    ),
}

NQ96_2023 = RuleSet(
    id="nq96-2023",
    name="Nghị quyết 96/2023/QH15",
    who="Quốc hội, Hội đồng nhân dân",
    in_force="01/07/2023",
    citation=(
        "Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội về lấy phiếu tín nhiệm, "
        "bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân "
        "bầu hoặc phê chuẩn"
    ),
    poll_base="collected",
    base_note="Tỷ lệ phần trăm tính trên tổng số phiếu thu về.",
    bands_note=(
        "Quá nửa tín nhiệm thấp: có thể xin từ chức, nếu không thì bỏ phiếu tín nhiệm; "
        "từ hai phần ba trở lên: trình miễn nhiệm."
    ),
    poll_consequences={
        BAND_OVER_HALF: (
            "Có quá nửa số phiếu đánh giá tín nhiệm thấp: có thể xin từ chức; nếu không "
            "xin từ chức, Ủy ban thường vụ Quốc hội / Thường trực HĐND trình bỏ phiếu tín "
            "nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất (Điều 11 Nghị quyết 96/2023/QH15)."
        ),
        BAND_TWO_THIRDS: (
            "Có từ hai phần ba số phiếu trở lên đánh giá tín nhiệm thấp: cơ quan hoặc người "
            "có thẩm quyền giới thiệu để bầu, phê chuẩn trình miễn nhiệm (Điều 11 Nghị quyết "
            "96/2023/QH15)."
        ),
    },
    vote_consequences=_VOTE_NQ,
    exemptions=(
        "Đã có thông báo nghỉ hưu",
        "Được bầu, phê chuẩn trong năm lấy phiếu",
        "Nghỉ điều trị bệnh hiểm nghèo từ 6 tháng trở lên",
    ),
)

NQ85_2014 = RuleSet(
    id="nq85-2014",
    name="Nghị quyết 85/2014/QH13",
    who="Quốc hội, Hội đồng nhân dân",
    in_force="2015 – 30/06/2023",
    citation=(
        "Nghị quyết số 85/2014/QH13 ngày 28/11/2014 của Quốc hội về việc lấy phiếu tín "
        "nhiệm, bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân "
        "dân bầu hoặc phê chuẩn"
    ),
    poll_base="members",
    base_note="Tỷ lệ phần trăm tính trên tổng số đại biểu, kể cả khi có đại biểu vắng mặt.",
    bands_note=(
        "Quá nửa tổng số đại biểu đánh giá tín nhiệm thấp: có thể xin từ chức; từ hai "
        "phần ba trở lên: đưa ra bỏ phiếu tín nhiệm."
    ),
    poll_consequences={
        BAND_OVER_HALF: (
            "Có quá nửa tổng số đại biểu đánh giá tín nhiệm thấp: có thể xin từ chức "
            "(Điều 12 Nghị quyết 85/2014/QH13)."
        ),
        BAND_TWO_THIRDS: (
            "Có từ hai phần ba tổng số đại biểu trở lên đánh giá tín nhiệm thấp: Ủy ban "
            "thường vụ Quốc hội / Thường trực HĐND trình bỏ phiếu tín nhiệm (Điều 12 Nghị "
            "quyết 85/2014/QH13)."
        ),
    },
    vote_consequences=_VOTE_NQ,
    exemptions=("Giữ chức vụ chưa đủ 9 tháng liên tục tính đến ngày khai mạc kỳ họp",),
)

QD96_TW = RuleSet(
    id="qd96-tw",
    name="Quy định 96-QĐ/TW",
    who="Cấp ủy, tổ chức đảng, cơ quan, đơn vị (chức danh lãnh đạo, quản lý)",
    in_force="02/02/2023",
    citation=(
        "Quy định số 96-QĐ/TW ngày 02/02/2023 của Ban Chấp hành Trung ương về việc lấy "
        "phiếu tín nhiệm đối với chức vụ lãnh đạo, quản lý trong hệ thống chính trị"
    ),
    poll_base="collected",
    base_note=(
        "Tỷ lệ phần trăm tính trên tổng số phiếu thu về (văn bản không nói rõ; theo quy "
        "định trước đó — có thể đổi trong phần thiết lập)."
    ),
    bands_note=(
        "Quá nửa tín nhiệm thấp: đưa ra khỏi quy hoạch, xem xét cho thôi giữ chức vụ; "
        "từ hai phần ba trở lên: cho thôi giữ chức vụ, bố trí công tác thấp hơn."
    ),
    poll_consequences={
        BAND_OVER_HALF: (
            "Có trên 50% đến dưới 2/3 số phiếu tín nhiệm thấp: không quy hoạch, bổ nhiệm lên "
            "chức vụ cao hơn; xem xét cho thôi giữ chức vụ, bố trí công tác khác, cho từ "
            "chức hoặc bỏ phiếu tín nhiệm (Điều 10 Quy định 96-QĐ/TW)."
        ),
        BAND_TWO_THIRDS: (
            "Có từ 2/3 số phiếu trở lên tín nhiệm thấp: cấp có thẩm quyền cho thôi giữ chức "
            "vụ, bố trí công tác thấp hơn, không chờ hết nhiệm kỳ, hết thời hạn giữ chức "
            "vụ (Điều 10 Quy định 96-QĐ/TW)."
        ),
    },
    vote_consequences={},
    exemptions=(
        "Đã có thông báo nghỉ hưu",
        "Được bổ nhiệm, bầu, phê chuẩn trong năm lấy phiếu",
    ),
)

RULE_SETS: dict[str, RuleSet] = {r.id: r for r in (NQ96_2023, NQ85_2014, QD96_TW)}


class UnknownRuleSet(KeyError):
    """Raised when a rule-set id is not one of RULE_SETS."""


def rule_set(rule_id: str) -> RuleSet:
    """The rule set with this id; raises UnknownRuleSet."""
    try:
        return RULE_SETS[rule_id]
    except KeyError:
        raise UnknownRuleSet(rule_id) from None
