"""tinnhiem.ui.charts: the hall screen's bar segments, status marks and paging."""

from __future__ import annotations

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.tally import tally
from tinnhiem.ui import charts


def vinh_phuc() -> Poll:
    """Lê Duy Thành, HĐND Vĩnh Phúc 2023: 19 cao, 2 tín nhiệm, 25 thấp, 1 blank of 47."""
    entries = ("1",) * 19 + ("2",) * 2 + ("3",) * 25 + ("0",)
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=50, present=47),
        issued=47,
        collected=47,
        officials=(Official("Lê Duy Thành"),),
        entries=entries,
    )


def test_segments_carry_counts_and_percentages_with_a_decimal_comma() -> None:
    """Wide segments read 'count · percent' from Tally.percent_vi, narrow ones the count only."""
    rows = charts.bar_rows(tally(vinh_phuc()), range(1))
    assert list(rows["level"]) == ["high", "confidence", "low", "blank"]
    assert list(rows["text"]) == ["19 · 40,43%", "2", "25 · 53,19%", ""]
    assert list(rows["start"]) == [0, 19, 21, 46]
    assert list(rows["end"]) == [19, 21, 46, 47]
    assert list(rows["colour"]) == ["#0072B2", "#56B4E9", "#D55E00", "#999999"]


def test_the_status_names_the_band_and_whether_it_is_final() -> None:
    """An official over half with every ballot counted shows the band and the final mark."""
    status = charts.status_rows(tally(vinh_phuc()), range(1))
    assert status.loc[0, "deciding"] == "Thấp 53,19%"
    assert status.loc[0, "status"] == "Quá nửa · ✔ đã chắc chắn"
    assert bool(status.loc[0, "alarm"])


def test_an_open_band_shows_what_it_needs_not_the_final_mark() -> None:
    """With ballots still to count and a band that could change, no final mark is shown but
    how many more low marks move it: 0 low of 47 after 20 ballots, 24 more are over half."""
    poll = vinh_phuc()
    result = tally(Poll(**{**poll.__dict__, "entries": poll.entries[:20]}))
    assert charts.status_rows(result, range(1)).loc[0, "status"] == "+24 → quá nửa"


def test_screens_split_evenly_and_rotate() -> None:
    """45 officials make three screens of 15, 40 make 14+14+12; the screen follows the clock."""
    assert [len(p) for p in charts.pages_of(45)] == [15, 15, 15]
    assert [len(p) for p in charts.pages_of(40)] == [14, 14, 12]
    assert [len(p) for p in charts.pages_of(12)] == [12]
    assert charts.current_page(3, now=0) == 0
    assert charts.current_page(3, now=charts.PAGE_SECONDS * 4 + 1) == 1
