"""The words of independent entries (stacks, passes, decisions), next to tinnhiem.words.

A place where passes disagree reads as the board says it aloud while pulling the paper
from the stack: "Xấp 3, phiếu thứ 17 — người số 3 (Nguyễn Văn A): lần 1 ghi Tín nhiệm,
lần 2 ghi Tín nhiệm thấp". Stack labels, names and reasons are the users' own text: the
caller shows them literally (ui.markup, the documents' text functions).
"""

from __future__ import annotations

from collections.abc import Sequence

from tinnhiem import words
from tinnhiem.model import INVALID_BALLOT, Kind, Official
from tinnhiem.stack_decisions import AFTER, Place, changed_rows
from tinnhiem.stacks import AGREED, DIFFERENT, INCOMPLETE, RESOLVED

STACK_STATE = {
    AGREED: "Các lần nhập khớp nhau",
    DIFFERENT: "Có chỗ khác nhau, chờ quyết định",
    INCOMPLETE: "Chưa nhập đủ số lần",
    RESOLVED: "Ban kiểm phiếu đã quyết định",
}
PASSES_REQUIRED = {
    1: "Nhập mỗi phiếu một lần (như thường lệ)",
    2: "Nhập hai lần độc lập theo xấp (hai người, hai máy)",
    3: "Nhập ba lần độc lập theo xấp (ba người, ba máy)",
}
TYPED_FROM_PAPER = "Gõ lại từ phiếu giấy"


def stack_title(label: str, size: int | None) -> str:
    """ "Xấp 3 — 50 phiếu", or the label alone when the cover slip gives no size."""
    return f"{label} — {words.number(size)} phiếu" if size else label


def pass_choice(number: int) -> str:
    return f"Lần {number} đúng"


def _mark(kind: Kind, ballot: str, row: int) -> str:
    if ballot == INVALID_BALLOT:
        return words.INVALID_BALLOT.lower()
    return words.level_of_digit(kind, ballot[row - 1])


def place_lines(
    place: Place, label: str, kind: Kind, officials: Sequence[Official], pass_numbers: Sequence[int]
) -> list[str]:
    """The place's differences, one line per official whose marks differ (or one line for
    a ballot some pass lacks or has in excess). ``pass_numbers``: the number each reading's
    pass has in the stack (a stack sent back numbers its new passes on)."""
    said = list(zip(pass_numbers, place.readings, strict=True))
    if place.side == AFTER:
        where = f"{label}, sau phiếu thứ {place.position}" if place.position else label
        parts = [
            f"lần {n} có thêm {len(r)} phiếu ({', '.join(r)})" if r else f"lần {n} không có"
            for n, r in said
        ]
        return [f"{where}: " + ", ".join(parts)]
    where = f"{label}, phiếu thứ {place.position}"
    if any(not r for _, r in said):
        parts = [f"lần {n} ghi “{r[0]}”" if r else f"lần {n} không có phiếu này" for n, r in said]
        return [f"{where}: " + ", ".join(parts)]
    lines = []
    for row in changed_rows(place):
        name = officials[row - 1].name if row <= len(officials) else ""
        parts = [f"lần {n} ghi {_mark(kind, r[0], row)}" for n, r in said]
        lines.append(f"{where} — người số {row} ({name}): " + ", ".join(parts))
    return lines


def decision_words(
    chosen_pass: int | None, entries: Sequence[str], reason: str, by: str, at: str
) -> str:
    """How one place was decided: "lấy theo lần 2" or the ballot typed, who, when, why."""
    what = f"lấy theo lần {chosen_pass}" if chosen_pass else "gõ lại từ phiếu giấy"
    typed = f" ({', '.join(entries)})" if entries else " (không có phiếu)"
    who = f", {by}" if by else ""
    return f"{what}{typed}{who}, lúc {words.moment(at)}: {reason}"


def waiting_line(awaiting_entry: int, awaiting_decision: int) -> str:
    """What the hall sees of stacks not counted yet; empty when none waits."""
    parts = []
    if awaiting_entry:
        parts.append(f"chờ nhập đủ lần: {words.number(awaiting_entry)} phiếu")
    if awaiting_decision:
        parts.append(f"chờ ban kiểm phiếu quyết định: {words.number(awaiting_decision)} phiếu")
    return words.sentence("; ".join(parts)) if parts else ""
