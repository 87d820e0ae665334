"""The combined report (tinnhiem.combine) as a PDF, and the rows it shares with the XLSX.

Laid out as agencies publish their reports: one row per official per poll with unit,
post, counts, percentages, band and consequence; a summary by band and by unit; the
people found in several polls side by side; each point's counts; and the lock hash of
every file used, so the higher level can compare it with the paper minutes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tinnhiem import arithmetic, words
from tinnhiem.combine import Combined, CombinedPoll, PersonResult
from tinnhiem.documents.blocks import Block, Document, Heading, Letterhead, Para, Table
from tinnhiem.documents.render import to_docx, to_pdf
from tinnhiem.documents.text import one_line
from tinnhiem.model import DECIDING_LEVEL, Band, Kind, Level
from tinnhiem.tally import OfficialResult, Tally

TITLE = "BÁO CÁO TỔNG HỢP KẾT QUẢ LẤY PHIẾU TÍN NHIỆM"
NO_UNIT = "(không ghi đơn vị)"
NO_POINT = "(không ghi điểm)"
NOT_LOCKED = "(chưa khóa)"
# The three count columns: high, confidence, and the deciding level (low, or no confidence).
COLUMNS = (
    words.LEVEL[Level.HIGH],
    words.LEVEL[Level.CONFIDENCE],
    f"{words.LEVEL[Level.LOW]} / {words.LEVEL[Level.NO_CONFIDENCE]}",
)


# The two bands counted per unit, in the words of the projector's short column.
UNIT_BANDS = (words.BAND_SHORT[Band.OVER_HALF], words.BAND_SHORT[Band.TWO_THIRDS])


def band_label(kind: Kind, code: str) -> str:
    """The band's words; a band of a poll's own rule set keeps its name."""
    return words.BAND[kind].get(code, code)


def unit_of(poll: CombinedPoll) -> str:
    return one_line(poll.poll.body) or NO_UNIT


def cells(kind: Kind, row: OfficialResult) -> tuple[int | None, int, int]:
    """The counts of the three columns; a vote has no high confidence."""
    high = row.counts.get(Level.HIGH) if kind == Kind.POLL else None
    return high, row.counts[Level.CONFIDENCE], row.counts[DECIDING_LEVEL[kind]]


def hundredths(count: int, result: Tally) -> float:
    """A count as the percentage number a spreadsheet shows with two decimals."""
    return arithmetic.hundredths(count, result.base, result.rounding) / 100


@dataclass(frozen=True)
class ReportRow(PersonResult):
    """One official in one poll, as the report's main table shows it: the band and its
    consequence in words."""

    @property
    def band(self) -> str:
        return band_label(self.poll.result.kind, self.official.band)

    @property
    def consequence(self) -> str:
        result = self.poll.result
        return result.rules.consequence(result.kind, self.official.band, self.poll.poll.body)


def report_rows(combined: Combined) -> list[ReportRow]:
    """One row per official per poll, polls in the order given."""
    return [ReportRow(poll, row) for poll in combined.polls for row in poll.result.officials]


def by_band(combined: Combined) -> list[tuple[str, int]]:
    """How many officials fall in each band, the bands' words in the order first met."""
    counted = Counter(row.band for row in report_rows(combined))
    return list(counted.items())


def by_unit(combined: Combined) -> list[tuple[str, int, int, int, int]]:
    """Per unit: polls, officials, and officials over half and from two thirds."""
    units: dict[str, list[int]] = {}
    for poll in combined.polls:
        tallies = units.setdefault(unit_of(poll), [0, 0, 0, 0])
        tallies[0] += 1
        for row in poll.result.officials:
            tallies[1] += 1
            tallies[2] += row.band == Band.OVER_HALF
            tallies[3] += row.band == Band.TWO_THIRDS
    return [(unit, n[0], n[1], n[2], n[3]) for unit, n in units.items()]


def lock_of(hash_: str | None) -> str:
    return hash_ or NOT_LOCKED


def _count(count: int | None, result: Tally) -> str:
    if count is None:
        return "—"
    return f"{words.number(count)} ({result.percent_vi(count)})"


def _results_table(result: Tally) -> Table:
    kind = result.kind
    rows = tuple(
        (
            str(n),
            r.official.name,
            r.official.position,
            *(_count(c, result) for c in cells(kind, r)),
            band_label(kind, r.band),
        )
        for n, r in enumerate(result.officials, start=1)
    )
    return Table(
        header=("STT", "Họ và tên", "Chức vụ", *COLUMNS, "Kết quả"),
        rows=rows,
        widths=(8, 30, 34, 22, 22, 22, 32),
        align=("C", "L", "L", "R", "R", "R", "L"),
        size=8.5,
    )


def _poll_blocks(number: int, poll: CombinedPoll) -> list[Block]:
    result = poll.result
    points = ", ".join(one_line(p.point or NO_POINT) for p in poll.points)
    compared = words.base_compared(result.base_name)
    blocks: list[Block] = [
        Heading(f"{number}. {one_line(poll.poll.title) or words.KIND[result.kind]}"),
        Para(f"Đơn vị: {unit_of(poll)}. Mã đợt: {poll.id or '(không có)'}.", align="left"),
        Para(f"Các điểm lấy phiếu ({len(poll.points)}): {points}.", align="left"),
        Para(
            f"Tổng số được triệu tập {words.number(poll.poll.members.total)}, có mặt "
            f"{words.number(result.present)}; phiếu phát ra {words.number(result.issued)}, thu "
            f"về {words.number(result.collected)}, không hợp lệ {words.number(result.invalid)}. "
            f"Tỷ lệ % {compared} ({words.number(result.base)}); căn cứ {result.rules.name}.",
            align="left",
        ),
        _results_table(result),
    ]
    for row in result.officials:
        consequence = result.rules.consequence(result.kind, row.band, poll.poll.body)
        if consequence:
            blocks.append(Para(f"{row.official.name}: {consequence}", indent=4))
    if len(poll.points) > 1:
        blocks.append(Heading("Kết quả từng điểm", level=2))
        for point in poll.points:
            blocks.append(Para(f"Điểm {one_line(point.point or NO_POINT)}", style="bold"))
            blocks.append(_results_table(point.result))
    return blocks


def _summary_blocks(combined: Combined) -> list[Block]:
    return [
        Heading("Tổng hợp theo mức tín nhiệm"),
        Table(
            header=("Kết quả", "Số người"),
            rows=tuple((label, words.number(n)) for label, n in by_band(combined)),
            widths=(110, 30),
            align=("L", "R"),
        ),
        Heading("Tổng hợp theo đơn vị"),
        Table(
            header=("Đơn vị", "Số đợt", "Số người", *UNIT_BANDS),
            rows=tuple(
                (unit, *(words.number(n) for n in numbers)) for unit, *numbers in by_unit(combined)
            ),
            widths=(80, 20, 20, 25, 25),
            align=("L", "R", "R", "R", "R"),
        ),
    ]


def _people_blocks(combined: Combined) -> list[Block]:
    if not combined.people:
        return []
    rows = []
    for person in combined.people:
        for r in person.results:
            rows.append(
                (
                    person.name,
                    person.position,
                    one_line(r.poll.poll.title) or (r.poll.id or ""),
                    band_label(r.poll.result.kind, r.official.band),
                    r.poll.result.percent_vi(r.official.counts[DECIDING_LEVEL[r.poll.result.kind]]),
                )
            )
    return [
        Heading("Người được lấy phiếu ở nhiều nơi (đặt cạnh nhau, không cộng)"),
        Table(
            header=("Họ và tên", "Chức vụ", "Đợt lấy phiếu", "Kết quả", "Tỷ lệ thấp"),
            rows=tuple(rows),
            widths=(32, 36, 48, 34, 20),
            align=("L", "L", "L", "L", "R"),
            size=8.5,
        ),
    ]


def _file_blocks(combined: Combined) -> list[Block]:
    rows = tuple(
        (file.name, one_line(file.poll.point or NO_POINT), lock_of(file.lock_hash))
        for file in combined.files
    )
    blocks: list[Block] = [
        Heading("Các tệp đã dùng và mã khóa"),
        Table(
            header=("Tệp", "Điểm", "Mã khóa (mã băm SHA-256)"),
            rows=rows,
            widths=(34, 26, 110),
            align=("L", "L", "L"),
            size=7.5,
            mono=(2,),
        ),
    ]
    for first, copy in combined.duplicates:
        blocks.append(Para(f"Tệp {copy} trùng với tệp {first}: chỉ tính một lần.", align="left"))
    if combined.refused:
        blocks.append(Heading("Các tệp bị loại và lý do"))
        blocks += [Para(refusal.reason, align="left") for refusal in combined.refused]
    if combined.missing:
        blocks.append(Heading("Chưa nhận được tệp của"))
        blocks.append(Para(", ".join(combined.missing) + ".", align="left"))
    return blocks


def combined_document(combined: Combined) -> Document:
    """The report as blocks (drawn as PDF by ``combined_pdf``)."""
    blocks: list[Block] = []
    for number, poll in enumerate(combined.polls, start=1):
        blocks += _poll_blocks(number, poll)
    blocks += _summary_blocks(combined) + _people_blocks(combined) + _file_blocks(combined)
    locked = all(poll.locked for poll in combined.polls)
    return Document(
        letterhead=Letterhead(
            body="",
            issuer="BỘ PHẬN TỔNG HỢP",
            place_date="…………, ngày …… tháng …… năm ……",
            title=TITLE,
            subtitle=f"{words.number(len(combined.polls))} đợt lấy phiếu, "
            f"{words.number(len(combined.files))} tệp",
        ),
        blocks=tuple(blocks),
        watermark="" if locked else "Có tệp chưa khóa: kết quả tạm thời",
        footer=TITLE,
    )


def combined_pdf(combined: Combined) -> bytes:
    """The combined report as PDF bytes."""
    return to_pdf(combined_document(combined))


def combined_docx(combined: Combined) -> bytes:
    """The same report as an editable Word file (the biên bản tổng hợp to sign)."""
    return to_docx(combined_document(combined))
