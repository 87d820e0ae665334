"""A rule set in words: its edges, bands and quorum said from its own fractions.

The built-in rule sets keep the wording of ``tinnhiem.words`` (``Quá nửa tín nhiệm thấp``,
``Có từ hai phần ba … trở lên``); a custom rule set (poll-file.md, "Custom rule sets") is
said from its own edges and inclusiveness: ``từ hai phần ba … trở lên`` for an inclusive ⅔,
``quá nửa …`` for ½ not inclusive, ``trên ba phần năm …`` for 3/5 not inclusive.
"""

from __future__ import annotations

from fractions import Fraction

from tinnhiem import words
from tinnhiem.model import DECIDING_LEVEL, Base, Kind
from tinnhiem.rules import BAND_NONE, Band, RuleSet

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
BELOW = "Chưa tới ngưỡng nào"  # a custom rule set's "none", in a table cell
WHAT = {Kind.POLL: "đánh giá tín nhiệm thấp", Kind.VOTE: "bỏ phiếu không tín nhiệm"}


def rule_set_name(rules: RuleSet) -> str:
    """A rule set as a person chooses it: ``Nghị quyết 96/2023/QH15 — Quốc hội, …`` for a
    built-in one, its name and id for the board's own (plain text: escape it for Markdown)."""
    if rules.builtin:
        return f"{rules.name} — {rules.who}"
    return f"{rules.name} (bộ quy tắc riêng “{rules.id}”)"


def fraction_words(value: Fraction) -> str:
    """``nửa``, ``hai phần ba``, ``ba phần năm``; past ten, as written: ``11/20``."""
    p, q = value.numerator, value.denominator
    if (p, q) == (1, 2):
        return "nửa"
    if (p, q) == (1, 1):
        return "toàn bộ"
    if q <= 10:
        return f"{_DIGITS[p]} phần {_DIGITS[q]}"
    return f"{words.number(p)}/{words.number(q)}"


def edge_words(edge: Fraction, inclusive: bool, share_of: str = "") -> str:
    """The edge with what it is a share of: ``từ hai phần ba tổng số trở lên``, ``quá nửa
    tổng số``, ``trên ba phần năm tổng số``, ``từ một nửa tổng số trở lên``."""
    said = fraction_words(edge)
    of = f" {share_of}" if share_of else ""
    if inclusive:
        if said == "toàn bộ":
            return f"toàn bộ{of}"
        return f"từ {'một nửa' if said == 'nửa' else said}{of} trở lên"
    return f"{'quá' if said == 'nửa' else 'trên'} {said}{of}"


def band_edge(band: Band, share_of: str = "") -> str:
    """One band's edge in words (see ``edge_words``)."""
    return edge_words(band.edge, band.inclusive, share_of)


def quorum_words(rules: RuleSet) -> str:
    """The quorum after "cần thiết": ``từ hai phần ba tổng số trở lên``."""
    return edge_words(rules.quorum, True, "tổng số")


def _band(rules: RuleSet, kind: Kind | str, code: str) -> Band | None:
    return next((b for b in rules.bands(kind) if b.name == code), None)


def band_label(kind: Kind | str, code: str, rules: RuleSet | None = None) -> str:
    """A result in a table cell: the built-in name, else the custom band's edge in words
    (``Trên ba phần năm tín nhiệm thấp``, ``Từ hai phần ba tín nhiệm thấp trở lên``)."""
    if rules is None or rules.builtin:
        return words.band(kind, code)
    band = _band(rules, kind, code)
    if band is None:
        return BELOW if code == BAND_NONE else code
    said = band_edge(band, words.LEVEL[DECIDING_LEVEL[Kind(kind)]].lower())
    return f"{said[0].upper()}{said[1:]}"


def short_label(kind: Kind | str, code: str, rules: RuleSet) -> str:
    """A result where a full name does not fit (the projector's column); none says nothing."""
    if rules.builtin:
        return words.BAND_SHORT[code]
    return "" if code == BAND_NONE else band_label(kind, code, rules)


def band_sentence(kind: Kind | str, code: str, base_code: str, rules: RuleSet) -> str:
    """The result as a sentence: the built-in wording, else from the custom band's edge
    (``Có trên ba phần năm tổng số đại biểu đánh giá tín nhiệm thấp (mức “three_fifths”).``)."""
    if rules.builtin:
        return words.band_sentence(kind, code, base_code)
    base, what = words.BASE[Base(base_code)], WHAT[Kind(kind)]
    band = _band(rules, kind, code)
    if band is not None:
        return f"Có {band_edge(band, base)} {what} (mức “{band.name}”)."
    lowest = rules.bands(kind)[0]
    return f"Không có {band_edge(lowest, base)} {what}: chưa tới ngưỡng nào."


def rule_set_lines(rules: RuleSet, kind: Kind | str, base_code: str) -> list[str]:
    """A custom rule set in full, one sentence a line: name, citation, base, quorum, then
    each band's edge in words with its consequence."""
    base = words.BASE[Base(base_code)]
    lines = [f"Tên: {rules.name} (mã “{rules.id}”)."]
    if rules.citation:
        lines.append(f"Căn cứ: {rules.citation}.")
    lines.append(f"Tỷ lệ tính trên {words.BASE[Base(base_code)]}.")
    q = rules.quorum
    called = edge_words(q, True, "tổng số đại biểu được triệu tập")
    lines.append(
        f"Túc số: số đại biểu có mặt phải {called} "
        f"({words.number(q.numerator)}/{words.number(q.denominator)})."
    )
    deciding = words.LEVEL[DECIDING_LEVEL[Kind(kind)]].lower()
    for n, band in enumerate(rules.bands(kind), start=1):
        p, d = band.edge.numerator, band.edge.denominator
        keep = "kể cả" if band.inclusive else "không kể"
        line = (
            f"Mức {n} (“{band.name}”): số phiếu {deciding} {band_edge(band, base)} "
            f"(ngưỡng {words.number(p)}/{words.number(d)}, {keep} chính ngưỡng)"
        )
        consequence = rules.consequence(kind, band.name)
        if consequence:
            line += f": {consequence}"
        lines.append(line if line.endswith((".", "!", "?", "…")) else f"{line}.")
    return lines
