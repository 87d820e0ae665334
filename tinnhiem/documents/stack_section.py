"""The minutes' section on independent entry, and its appendix of every pass.

``stack_logs`` turns the store's stack views (any objects with the attributes of
``storage.StackView``: the documents never import the store) into ``StackLog`` rows; the
section lists the setting, each stack with its passes (who, when), the differences found
and how each was decided; the appendix holds every pass's ballots in the order typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tinnhiem import words, words_stacks
from tinnhiem.documents.blocks import Block, Heading, Para, Table
from tinnhiem.documents.record import PassLog, RecordInfo, StackLog
from tinnhiem.model import Kind, Official, Poll
from tinnhiem.stack_decisions import places
from tinnhiem.stacks import DIFFERENT, reconcile

_REENTRY = "reentry"


def stack_logs(views: Iterable, kind: Kind, officials: Sequence[Official]) -> tuple[StackLog, ...]:
    """The stacks as the minutes print them, from ``StackSummary.views``."""
    logs = []
    for view in views:
        record = view.record
        numbers = [p.pass_no for p in record.current() if p.finished]
        differences: list[str] = []
        decisions: list[str] = []
        places = {place.key: place for place in view.places}
        for place in view.places:
            differences += words_stacks.place_lines(place, record.label, kind, officials, numbers)
        for d in record.decisions:
            said = words_stacks.decision_words(
                d.chosen_pass, d.entries, d.reason, d.decided_by, d.decided_at
            )
            if d.place == _REENTRY:
                decisions.append(f"{record.label}: cho nhập lại cả xấp — {said}")
                continue
            place = places.get(d.place)
            lines = (
                words_stacks.place_lines(place, record.label, kind, officials, numbers)
                if place is not None
                else [f"{record.label}: cả xấp"]
            )
            decisions.append(f"{lines[0] if lines else record.label} — {said}")
        passes = tuple(
            PassLog(p.pass_no, p.typist, p.station, p.started_at, p.finished_at, p.entries)
            for p in record.passes
        )
        logs.append(
            StackLog(
                record.label,
                record.size,
                view.state,
                len(view.counted),
                passes,
                tuple(differences),
                tuple(decisions),
            )
        )
    return tuple(logs)


def file_stack_logs(poll: Poll) -> tuple[StackLog, ...]:
    """The stacks of a plain poll file (no store behind it: no times, no stations)."""
    officials = poll.ballot_officials
    logs = []
    results = reconcile(poll.stacks or (), len(officials), poll.passes_required)
    for stack, result in zip(poll.stacks or (), results, strict=True):
        entries = [p.entries for p in stack.passes]
        numbers = list(range(1, len(entries) + 1))
        differences = []
        if result.state == DIFFERENT:
            for place in places(entries, len(officials)):
                differences += words_stacks.place_lines(
                    place, stack.id, poll.kind, officials, numbers
                )
        decisions: tuple[str, ...] = ()
        if stack.resolved is not None:
            who = f", {stack.resolved.by}" if stack.resolved.by else ""
            decisions = (f"{stack.id}: cả xấp theo phiếu giấy{who}: {stack.resolved.reason}",)
        passes = tuple(
            PassLog(n, p.by, "", "", None, p.entries) for n, p in enumerate(stack.passes, 1)
        )
        logs.append(
            StackLog(
                stack.id,
                None,
                result.state,
                result.counted,
                passes,
                tuple(differences),
                decisions,
            )
        )
    return tuple(logs)


def entry_section(poll: Poll, record: RecordInfo | None) -> list[Block]:
    """The setting, and each stack with its passes, differences and decisions."""
    blocks: list[Block] = [
        Para(
            f"Cách nhập phiếu: {words_stacks.PASSES_REQUIRED[poll.passes_required].lower()}; "
            "chỉ những xấp mà các lần nhập khớp nhau hoặc đã được Ban kiểm phiếu quyết định "
            "theo phiếu giấy mới được tính."
        )
    ]
    stacks = record.stacks if record is not None and record.stacks else file_stack_logs(poll)
    if not stacks:
        return [*blocks, Para("Chưa có xấp phiếu nào.")]
    for stack in stacks:
        title = words_stacks.stack_title(stack.label, stack.size)
        blocks.append(Heading(title, level=2))
        blocks.append(
            Para(
                f"{words_stacks.STACK_STATE[stack.state]}; số phiếu được tính: "
                f"{words.number(stack.counted)}."
            )
        )
        rows = tuple(
            (
                str(p.pass_no),
                p.typist,
                p.station,
                words.date_time(p.started_at) if p.started_at else "",
                words.date_time(p.finished_at)
                if p.finished_at
                else ("chưa xong" if p.started_at else ""),
                words.number(len(p.entries)),
            )
            for p in stack.passes
        )
        blocks.append(
            Table(
                ("Lần", "Người nhập", "Máy", "Bắt đầu", "Xong", "Số phiếu"),
                rows,
                (12, 48, 26, 32, 32, 20),
                ("R", "L", "L", "L", "L", "R"),
                size=8,
            )
        )
        if stack.differences:
            blocks.append(Para("Các chỗ khác nhau giữa các lần nhập:"))
            blocks += [Para(line, indent=5, align="left") for line in stack.differences]
        if stack.decisions:
            blocks.append(Para("Quyết định của Ban kiểm phiếu sau khi xem phiếu giấy:"))
            blocks += [Para(line, indent=5, align="left") for line in stack.decisions]
    return blocks


def pass_appendix(
    poll: Poll, record: RecordInfo | None, packed: Callable[[tuple[str, ...]], Table]
) -> list[Block]:
    """Every pass of every stack, its ballots in the order typed (``packed`` lays them out)."""
    blocks: list[Block] = []
    stacks = record.stacks if record is not None and record.stacks else file_stack_logs(poll)
    for stack in stacks:
        for p in stack.passes:
            blocks.append(
                Para(
                    f"{stack.label}, lần nhập {p.pass_no} — {p.typist or 'không ghi người nhập'}"
                    f" ({words.number(len(p.entries))} phiếu):",
                    style="bold",
                )
            )
            if p.entries:
                blocks.append(packed(p.entries))
    return blocks or [Para("Chưa nhập xấp nào.")]
