"""The minutes of the count (biên bản kiểm phiếu), written once as blocks.

``minutes_document`` holds every field domain.md lists for the minutes, in the order of
a Vietnamese administrative document; the DOCX and PDF renderers only draw it. Numbers
come from the ``Tally``, percentages from ``Tally.percent_vi`` (never formatted here).
"""

from __future__ import annotations

from tinnhiem import rule_words, words
from tinnhiem.chain_head import head_words
from tinnhiem.documents.blocks import (
    Block,
    Chart,
    Document,
    Heading,
    Letterhead,
    PageBreak,
    Para,
    Signatures,
    Table,
)
from tinnhiem.documents.record import RecordInfo
from tinnhiem.documents.scan_section import images_appendix
from tinnhiem.documents.stack_section import entry_section, pass_appendix
from tinnhiem.lifecycle import Action
from tinnhiem.model import BOARD_ROLES, Poll
from tinnhiem.tally import OfficialResult, Tally

_MONO_CHAR_MM = 1.5  # one character of DejaVu Sans Mono at 7 pt, with a little room
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")


def _letterhead(poll: Poll) -> Letterhead:
    return Letterhead(
        body=words.upper(poll.body) or "……………………",
        issuer=words.BOARD,
        place_date=words.place_date(poll),
        title="BIÊN BẢN KIỂM PHIẾU",
        subtitle=words.subject(poll),
    )


def _session(poll: Poll, result: Tally) -> list[Block]:
    m = poll.members
    when = words.time_long(poll.time)
    blocks: list[Block] = []
    if poll.title:
        blocks.append(Para(f"Kỳ họp / hội nghị: {poll.title}."))
    if poll.body:
        blocks.append(Para(f"Cơ quan, tổ chức: {poll.body}."))
    when_text = (
        f"Vào hồi {when}, {words.date_long(poll.date)}" if when else words.date_long(poll.date)
    )
    blocks.append(Para(f"Thời gian: {when_text[0].upper()}{when_text[1:]}."))
    blocks.append(Para(f"Địa điểm: {poll.place or '……………………'}."))
    blocks.append(Para(f"Tổng số đại biểu (người được triệu tập): {words.number(m.total)}."))
    blocks.append(
        Para(f"Có mặt: {words.number(m.present)}/{words.number(m.total)} đại biểu có mặt.")
    )
    absent = f"Vắng mặt: {words.number(m.absent)} đại biểu"
    if m.absent_with_reason is not None or m.absent_without_reason is not None:
        parts = []
        if m.absent_with_reason is not None:
            parts.append(f"có lý do: {words.number(m.absent_with_reason)}")
        if m.absent_without_reason is not None:
            parts.append(f"không có lý do: {words.number(m.absent_without_reason)}")
        absent += f" ({'; '.join(parts)})"
    blocks.append(Para(absent + "."))
    verdict = "đủ" if result.quorum_met else "KHÔNG đủ"
    blocks.append(
        Para(
            f"Số đại biểu có mặt cần thiết ({rule_words.quorum_words(result.rules)}): "
            f"{words.number(result.quorum_required)}. Số đại biểu có mặt {verdict} điều kiện để "
            "tiến hành "
            f"{words.KIND[poll.kind].lower()}."
        )
    )
    return blocks


def _board(poll: Poll) -> list[Block]:
    if not poll.board:
        return [Para("(Chưa ghi thành phần Ban kiểm phiếu.)", style="italic")]
    order = {role: i for i, role in enumerate(words.ROLE)}
    members = sorted(poll.board, key=lambda b: order.get(b.role, len(order)))
    return [
        Para(f"{n}. {b.name} — {words.ROLE.get(b.role, b.role)}.", indent=5)
        for n, b in enumerate(members, start=1)
    ]


def _ballots(result: Tally) -> list[Block]:
    blocks: list[Block] = [
        Para(f"Số phiếu phát ra: {words.number(result.issued)}."),
        Para(f"Số phiếu thu về: {words.number(result.collected)}."),
    ]
    if result.counted < result.collected:
        blocks.append(
            Para(
                f"Số phiếu đã nhập: {words.number(result.counted)}/"
                f"{words.number(result.collected)}; còn "
                f"{words.number(result.remaining)} phiếu chưa nhập — kết quả dưới đây chưa đầy đủ.",
                style="notice",
            )
        )
    blocks.append(Para(f"Số phiếu hợp lệ: {words.number(result.valid_ballots)}."))
    blocks.append(Para(f"Số phiếu không hợp lệ: {words.number(result.invalid)}."))
    blocks.append(
        Para(
            f"Tỷ lệ phần trăm được tính {words.base_compared(result.base_name)} "
            f"({words.number(result.base)}), làm tròn đến hai chữ số thập phân"
            f"{' (cắt bỏ phần dư)' if result.rounding == 'truncate' else ''}. Việc xác định "
            f"kết quả căn cứ {result.rules.citation or result.rules.name}."
        )
    )
    if not result.rules.builtin:  # a custom rule set is printed in full
        blocks.append(Heading("Bộ quy tắc áp dụng", level=2))
        lines = rule_words.rule_set_lines(result.rules, result.kind, result.base_name)
        blocks.extend(Para(line, indent=5) for line in lines)
    return blocks


def _table(result: Tally) -> Table:
    levels = tuple(result.officials[0].counts) if result.officials else ()
    header = ["STT", "Họ và tên", "Chức vụ"]
    for _ in levels:
        header += ["Số phiếu", "Tỷ lệ"]
    header.append("Không hợp lệ")
    rows = []
    for n, r in enumerate(result.officials, start=1):
        row = [str(n), r.official.name, r.official.position]
        for level in levels:
            row += [words.number(r.counts[level]), result.percent_vi(r.counts[level])]
        row.append(words.number(r.invalid))
        rows.append(tuple(row))
    per_level = 84 / max(len(levels), 1)
    widths = (10, 31, 32, *[per_level * 0.42, per_level * 0.58] * len(levels), 13)
    groups = (
        ("STT", 1),
        ("Họ và tên", 1),
        ("Chức vụ", 1),
        *[(words.LEVEL[level], 2) for level in levels],
        ("Không hợp lệ", 1),
    )
    align = ("C", "L", "L", *["R"] * (2 * len(levels)), "R")
    return Table(tuple(header), tuple(rows), widths, align, groups=groups, size=9)


def _official(n: int, r: OfficialResult, poll: Poll, result: Tally) -> list[Block]:
    head = f"{n}. {r.official.name}" + (f" — {r.official.position}" if r.official.position else "")
    base_words = words.base_compared(result.base_name)
    marks = "; ".join(
        f"{words.LEVEL[level]}: {words.number(count)} phiếu, "
        f"bằng {result.percent_vi(count)} {base_words}"
        for level, count in r.counts.items()
    )
    blocks: list[Block] = [
        Para(head, style="bold", align="left"),
        Para(
            f"Số phiếu hợp lệ: {words.number(r.valid)}; không hợp lệ: {words.number(r.invalid)}.",
            indent=5,
        ),
        Para(marks + ".", indent=5),
    ]
    verdict = rule_words.band_sentence(poll.kind, r.band, result.base_name, result.rules)
    if not r.final:
        verdict += " (Chưa phải kết quả cuối cùng: còn phiếu chưa nhập có thể làm thay đổi.)"
    blocks.append(Para(f"Kết quả: {verdict}", indent=5))
    consequence = result.rules.consequence(poll.kind, r.band)
    if consequence:
        blocks.append(Para(f"Theo {result.rules.name}: {consequence}", style="italic", indent=5))
    return blocks


def _exempt(poll: Poll) -> Table | None:
    exempt = [o for o in poll.officials if not o.on_ballot]
    if not exempt:
        return None
    rows = tuple(
        (str(n), o.name, o.position, o.exempt_reason or "") for n, o in enumerate(exempt, start=1)
    )
    return Table(
        ("STT", "Họ và tên", "Chức vụ", "Lý do không lấy phiếu"),
        rows,
        (10, 45, 60, 55),
        ("C", "L", "L", "L"),
    )


def _marks(record: RecordInfo | None) -> list[Block]:
    """The chain's head at each close, reopen and lock, as the projector showed it then."""
    marks = [m for m in (record.marks if record else ()) if m.action in words.MARKED_MOVES]
    if not marks:
        return []
    blocks: list[Block] = [
        Para(
            "Mốc nhật ký kiểm toán (đối chiếu với mã đã hiện trên màn hình trình chiếu và với "
            "bản sao lưu):"
        )
    ]
    for mark in marks:
        blocks.append(
            Para(
                f"{words.move(mark.action, words.moment(mark.at), mark.reason)}: "
                f"{head_words(mark.entries, mark.hash)}.",
                indent=5,
                align="left",
            )
        )
    return blocks


def _lock(record: RecordInfo | None) -> list[Block]:
    return _lock_state(record) + _marks(record)


def _lock_state(record: RecordInfo | None) -> list[Block]:
    if record is not None and record.imported:  # locked elsewhere: not this board's result
        text = f"{record.imported}; không phải kết quả do Ban kiểm phiếu khóa trên máy này."
        blocks: list[Block] = [Para(text, style="notice")]
        if record.audit_hash:
            blocks.append(Para(f"Mã khóa ghi trong tệp: {record.audit_hash}", align="left"))
        return blocks
    if record is not None and record.locked:
        text = "Kết quả đã được khóa"
        if record.locked_at:
            text += f" lúc {words.moment(record.locked_at)}"
        text += "; từ thời điểm này không phiếu nào được thêm, sửa hay hủy."
        blocks = [Para(text)]
        if record.audit_hash:
            blocks.append(
                Para(
                    f"Mã kiểm tra nhật ký (SHA-256, mắt xích cuối): {record.audit_hash}",
                    align="left",
                )
            )
        return blocks
    stage = f" (trạng thái: {words.STATE[record.state]})" if record is not None else ""
    return [
        Para(
            f"{words.PROVISIONAL}{stage}. Biên bản này chỉ để tham khảo; kết quả chính thức "
            "là biên bản in sau khi Ban kiểm phiếu khóa kết quả.",
            style="notice",
        )
    ]


def _signatures(poll: Poll) -> Signatures:
    order = {role: i for i, role in enumerate(words.ROLE)}
    members = sorted(poll.board, key=lambda b: order.get(b.role, len(order)))
    signers = tuple((words.ROLE.get(b.role, b.role).upper(), b.name) for b in members)
    return Signatures(signers or tuple((words.upper(words.ROLE[r]), "") for r in BOARD_ROLES))


def _log(poll: Poll, record: RecordInfo | None) -> list[Block]:
    blocks: list[Block] = [Heading("PHỤ LỤC: NHẬT KÝ NHẬP PHIẾU")]
    if poll.mode == "totals":
        return [
            *blocks,
            Para("Kết quả được nhập theo tổng số của từng người (không nhập từng phiếu)."),
        ]
    blocks.append(Para(words.ENTRY_KEY[poll.kind], style="italic"))
    if poll.passes_required > 1 or poll.stacks is not None:  # every pass of every stack
        return blocks + pass_appendix(poll, record, _packed_entries)
    if record is not None and record.log:
        rows = []
        for row in record.log:
            note = []
            if row.replaces:
                note.append(f"thay phiếu số {row.replaces}")
            if row.voided:
                who = f", {row.voided_by}" if row.voided_by else ""
                when = f", {words.date_time(row.voided_at)}" if row.voided_at else ""
                note.append(f"ĐÃ HỦY: {row.void_reason or 'không ghi lý do'}{who}{when}")
            rows.append(
                (
                    str(row.entry_no),
                    words.group_marks(row.marks),
                    row.station,
                    row.entered_by,
                    words.date_time(row.entered_at),
                    "; ".join(note),
                )
            )
        voided = sum(1 for r in record.log if r.voided)
        blocks.append(Para(f"Số lần nhập: {len(record.log)}; trong đó đã hủy: {voided}."))
        blocks.append(
            Table(
                (
                    "Số",
                    "Phiếu (theo thứ tự trên phiếu)",
                    "Máy",
                    "Người nhập",
                    "Thời gian",
                    "Ghi chú",
                ),
                tuple(rows),
                (10, 52, 18, 26, 26, 38),
                ("R", "L", "L", "L", "L", "L"),
                size=7.5,
                mono=(1,),
            )
        )
        return blocks
    entries = poll.entries or ()
    if not entries:
        return [*blocks, Para("Chưa nhập phiếu nào.")]
    blocks.append(
        Para("Tệp không ghi máy, người và thời gian nhập; dưới đây là các phiếu theo thứ tự nhập.")
    )
    blocks.append(_packed_entries(entries))
    return blocks


def _packed_entries(entries: tuple[str, ...]) -> Table:
    """The entries side by side, as many (number, marks) pairs per row as fit 170 mm."""
    marks = [words.group_marks(e) for e in entries]
    mark_w = max(len(m) for m in marks) * _MONO_CHAR_MM + 3
    per_row = max(1, min(6, int(170 // (10 + mark_w))))
    rows = []
    for start in range(0, len(marks), per_row):
        row: list[str] = []
        for n in range(start, start + per_row):
            row += [str(n + 1), marks[n]] if n < len(marks) else ["", ""]
        rows.append(tuple(row))
    return Table(
        ("Số", "Phiếu") * per_row,
        tuple(rows),
        (10, mark_w) * per_row,
        ("R", "L") * per_row,
        size=7.5,
        mono=tuple(2 * i + 1 for i in range(per_row)),
    )


def minutes_document(poll: Poll, result: Tally, record: RecordInfo | None = None) -> Document:
    """The minutes as blocks; provisional (watermarked) unless ``record`` says locked."""
    sections: list[tuple[str, list[Block]]] = [
        ("THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", _session(poll, result)),
        ("BAN KIỂM PHIẾU", _board(poll)),
        ("SỐ PHIẾU", _ballots(result)),
    ]
    if poll.passes_required > 1 or poll.stacks is not None:
        sections.append(("NHẬP PHIẾU ĐỘC LẬP THEO XẤP", entry_section(poll, record)))
    results: list[Block] = [Heading("Bảng tổng hợp kết quả", level=2)]
    if result.officials:
        results.append(_table(result))
    results.append(Chart())
    results.append(Heading("Kết quả đối với từng người", level=2))
    for n, r in enumerate(result.officials, start=1):
        results.extend(_official(n, r, poll, result))
    exempt = _exempt(poll)
    if exempt is not None:
        results.append(Heading("Những người không lấy phiếu", level=2))
        results.append(exempt)
    sections.append((f"KẾT QUẢ {words.KIND[poll.kind].upper()}", results))
    sections.append(("Ý KIẾN, KHIẾU NẠI, KIẾN NGHỊ", [Para(poll.remarks or "Không có.")]))
    sections.append((words.upper(words.ACTION[Action.LOCK]), _lock(record)))
    blocks: list[Block] = []
    for numeral, (title, body) in zip(_ROMAN, sections, strict=False):
        blocks.append(Heading(f"{numeral}. {title}"))
        blocks.extend(body)
    blocks.append(
        Para(
            "Biên bản được lập xong vào hồi ..... giờ ..... cùng ngày; các thành viên Ban kiểm "
            "phiếu thống nhất ký tên dưới đây."
        )
    )
    blocks.append(_signatures(poll))
    blocks.append(PageBreak())
    blocks.extend(_log(poll, record) + images_appendix(record))
    locked = record is not None and record.locked
    return Document(
        letterhead=_letterhead(poll),
        blocks=tuple(blocks),
        watermark="" if locked else words.PROVISIONAL,
        footer=" — ".join(
            p for p in ("Biên bản kiểm phiếu", words.nfc(poll.title or poll.body)) if p
        ),
        subject=_subject(poll),
        made=_made(record),
    )


def _subject(poll: Poll) -> str:
    """The poll a file is about: its body, session and date (the PDF's subject)."""
    parts = (poll.body, poll.title, words.date(poll.date) if poll.date else "")
    return " — ".join(words.nfc(p) for p in parts if p)


def _made(record: RecordInfo | None) -> str | None:
    """When the record was made: the lock time, else the last move or entry, else None."""
    if record is None:
        return None
    if record.locked_at:
        return record.locked_at
    times = [m.at for m in record.marks] + [r.entered_at for r in record.log if r.entered_at]
    return max(times) if times else None
