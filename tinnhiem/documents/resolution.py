"""Draft resolution confirming the results (dự thảo Nghị quyết xác nhận kết quả), DOCX.

Under NQ 96/2023 a council passes a resolution confirming the poll's results and
publishes them. This is a draft in the usual layout, with the numbers filled in from the
tally; blanks (number, submission) are left for the council office to complete in Word.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from tinnhiem import words
from tinnhiem.documents.blocks import Letterhead, Para, Table
from tinnhiem.documents.record import RecordInfo
from tinnhiem.documents.render import (
    _cell_text,
    _no_borders,
    _run,
    _spacing,
    _widths,
    letterhead_docx,
    new_document,
    para_docx,
    saved,
    table_docx,
)
from tinnhiem.model import Poll
from tinnhiem.tally import Tally, tally


def _results_table(result: Tally) -> Table:
    levels = tuple(result.officials[0].counts) if result.officials else ()
    header = ["STT", "Họ và tên", "Chức vụ"]
    for _ in levels:
        header += ["Số phiếu", "Tỷ lệ"]
    rows = []
    for n, r in enumerate(result.officials, start=1):
        row = [str(n), r.official.name, r.official.position]
        for level in levels:
            row += [words.number(r.counts[level]), result.percent_vi(r.counts[level])]
        rows.append(tuple(row))
    groups = (
        ("STT", 1),
        ("Họ và tên", 1),
        ("Chức vụ", 1),
        *[(words.LEVEL[lv], 2) for lv in levels],
    )
    per_level = 90 / max(len(levels), 1)
    widths = (10, 33, 37, *[per_level * 0.42, per_level * 0.58] * len(levels))
    align = ("C", "L", "L", *["R"] * (2 * len(levels)))
    return Table(tuple(header), tuple(rows), widths, align, groups=groups, size=8.5)


def resolution_docx(
    poll: Poll, result: Tally | None = None, record: RecordInfo | None = None
) -> bytes:
    """The draft resolution as an editable Word file, marked DỰ THẢO."""
    result = result or tally(poll)
    kind = words.KIND[poll.kind]
    body = words.nfc(poll.body) or "Hội đồng nhân dân"
    document = new_document()
    letterhead_docx(
        document,
        Letterhead(
            body="",
            issuer=words.upper(body),
            number="Số:        /NQ-HĐND",
            place_date=words.place_date(poll),
            title="NGHỊ QUYẾT",
            subtitle=f"Xác nhận kết quả {kind.lower()} {words.SUBJECT.get(poll.rules, '')}".strip(),
        ),
    )
    draft = document.add_paragraph()
    draft.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(draft, "DỰ THẢO", bold=True, size=12)
    document.tables[0]._tbl.addprevious(draft._p)  # above the letterhead
    if record is None or not record.locked:
        para_docx(
            document,
            Para(
                f"{words.PROVISIONAL}: đối chiếu với biên bản kiểm phiếu đã khóa trước khi trình.",
                style="notice",
            ),
        )
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(heading, 6, 12)
    _run(heading, words.upper(body), bold=True)
    if poll.title:
        _run(heading, "\n" + words.upper(poll.title), bold=True)
    minutes_date = words.date(poll.date) or "……"
    for text in (
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        f"Căn cứ {result.rules.citation};",
        f"Căn cứ Biên bản kiểm phiếu ngày {minutes_date} của Ban kiểm phiếu;",
        "Xét Tờ trình số ……/TTr-TTHĐND ngày …… của Thường trực Hội đồng nhân dân về việc "
        f"xác nhận kết quả {kind.lower()}; ý kiến thảo luận của đại biểu Hội đồng nhân dân "
        "tại kỳ họp.",
    ):
        para_docx(document, Para(text, style="italic"))
    decides = document.add_paragraph()
    decides.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(decides, 6, 6)
    _run(decides, "QUYẾT NGHỊ:", bold=True, size=14)
    count = len(result.officials)
    para_docx(
        document,
        Para(
            f"Điều 1. Xác nhận kết quả {kind.lower()} đối với {words.number(count)} người giữ "
            f"chức vụ do {body} bầu, như sau (số phiếu phát ra: {words.number(result.issued)}; "
            "số phiếu thu về: "
            f"{words.number(result.collected)}; tỷ lệ {words.base_compared(result.base_name)}):"
        ),
    )
    table_docx(document, _results_table(result))
    para_docx(document, Para("Điều 2. Tổ chức thực hiện"))
    para_docx(
        document,
        Para(
            "1. Thường trực Hội đồng nhân dân công bố công khai kết quả và gửi kết quả đến cơ "
            "quan, người có thẩm quyền theo quy định."
        ),
    )
    item = 2
    for band in reversed(result.rules.band_names(poll.kind)[1:]):  # the highest band first
        people = [r for r in result.officials if r.band == band]
        if not people:
            continue
        names = ", ".join(words.nfc(r.official.name) for r in people)
        consequence = result.rules.consequence(poll.kind, band)
        para_docx(document, Para(f"{item}. Đối với {names}: {consequence}"))
        item += 1
    para_docx(
        document,
        Para(
            "Điều 3. Nghị quyết này có hiệu lực kể từ ngày được Hội đồng nhân dân thông qua. "
            f"Nghị quyết này đã được {body}"
            f"{(', ' + words.nfc(poll.title) + ',') if poll.title else ''} thông qua "
            f"{words.date_long(poll.date)}./."
        ),
    )
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (85, 80))
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    for line in ("- Như Điều 2;", "- Người được lấy phiếu;", "- Lưu: VT, hồ sơ kỳ họp."):
        _cell_text(left, line, size=11, align="left")
    _cell_text(right, "CHỦ TỊCH", bold=True, size=13)
    for _ in range(4):
        _cell_text(right, "", size=13)
    _cell_text(right, "……………………", bold=True, size=13)
    return saved(document)
