"""The hall screen: big-type header and one stacked bar per official (Altair).

Read from the back row, on any common screen without scrolling (sized by ``hall_layout``:
1920×1080 full size, 1366×768 and 4:3 at 1024×768 scaled down). Colours are Okabe-Ito,
safe for colour-blind readers: blue for high, sky for confidence, vermillion for low (or no
confidence), grey for a ballot that gave the official no valid mark. Every percentage is
``Tally.percent_vi`` (exact arithmetic, decimal comma); names reach the screen only as
Altair text or escaped HTML.
"""

from __future__ import annotations

import functools
import html
import json
import time
from dataclasses import dataclass

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from tinnhiem import rule_words, storage, words, words_stacks
from tinnhiem.chain_head import head_words
from tinnhiem.model import DECIDING_LEVEL, Kind, Poll
from tinnhiem.tally import Tally, tally, tally_counts
from tinnhiem.ui import hall_layout, markup, needs, provenance
from tinnhiem.ui.hall_layout import HallLayout
from tinnhiem.validation import PollError

COLOURS: dict[str, str] = {
    "high": "#0072B2",
    "confidence": "#56B4E9",
    "low": "#D55E00",
    "no_confidence": "#D55E00",
    "blank": "#999999",
}
# Text on a segment: white on the dark colours, near-black on sky and grey.
_INK: dict[str, str] = {"#0072B2": "white", "#D55E00": "white", "#56B4E9": "#111111"}
_INK_DEFAULT = "#111111"
FINAL_MARK = "✔ đã chắc chắn"
PER_PAGE = 15
PAGE_SECONDS = 10
_FONT = "DejaVu Sans, Source Sans Pro, Arial, sans-serif"
_VIEW_KEY = "tinnhiem.hall.view"
_SPEC_KEY = "tinnhiem.hall.spec"


@dataclass(frozen=True)
class HallView:
    """What the hall screen shows at one change token of the poll."""

    token: str
    poll: Poll
    state: str
    result: Tally | None
    problem: str | None  # why there is no result yet (Vietnamese)
    imported: str = ""  # provenance.imported_notice: a lock made on another machine
    refusal: str = ""  # the problem with the field it concerns (str(PollError))
    waiting: str = ""  # ballots of stacks not counted yet (words_stacks.waiting_line)


def hall_view(store: storage.Store, poll_id: int) -> HallView:
    """The poll and its tally, recomputed only when the poll's change token moved (the
    hall screen's and the results page's)."""
    token = store.change_token(poll_id)
    cached = st.session_state.get(_VIEW_KEY)
    if isinstance(cached, tuple) and cached[0] == poll_id and cached[1].token == token:
        return cached[1]
    # The setting only, and the counts the store keeps up to date: after one ballot that
    # is one row read, where reading and recounting every ballot took ~30 ms at 5000×100.
    desk = store.desk(poll_id, recent=0)  # the setting and the state, one read
    poll = desk.poll
    result, problem, refusal = None, None, ""
    try:
        counts = store.entry_counts(poll_id)
        # The setting checked at the last draw, unchanged: only the counts are new.
        before = cached[1] if isinstance(cached, tuple) and cached[0] == poll_id else None
        checked = before is not None and before.result is not None and before.poll == poll
        result = tally(poll) if counts is None else tally_counts(poll, counts, checked)
    except PollError as error:
        problem, refusal = error.problem.message, str(error)
    imported = provenance.imported_notice(store, poll_id, desk.state)
    waiting = ""
    if poll.passes_required > 1 and desk.mode == "entries":  # counted in stacks
        summary = store.stack_summary(poll_id)
        waiting = words_stacks.waiting_line(summary.awaiting_entry, summary.awaiting_decision)
    view = HallView(token, poll, desk.state, result, problem, imported, refusal, waiting)
    st.session_state[_VIEW_KEY] = (poll_id, view)
    return view


def pages_of(count: int, per_page: int = PER_PAGE) -> list[range]:
    """Split ``count`` officials into screens of at most ``per_page``, as even as possible."""
    if count <= 0:
        return [range(0)]
    screens = -(-count // per_page)
    size = -(-count // screens)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def current_page(screens: int, now: float | None = None) -> int:
    """Which screen to show now: they rotate every PAGE_SECONDS, the same on every computer."""
    now = time.time() if now is None else now
    return int(now // PAGE_SECONDS) % max(screens, 1)


def bar_records(result: Tally, shown: range) -> list[dict]:
    """One row per segment of each shown official's bar: where it starts and ends, its text."""
    rows = []
    for index in shown:
        official = result.officials[index]
        label = f"{index + 1}. {official.official.name}"
        start = 0
        segments = [(lv, official.counts[lv]) for lv in official.counts]
        segments.append(("blank", official.invalid))
        for level, count in segments:
            width = count / result.base
            if width >= 0.19:
                text = f"{words.number(count)} · {result.percent_vi(count)}"
            elif width >= 0.035:
                text = words.number(count)
            else:
                text = ""
            colour = COLOURS[level]
            rows.append(
                {
                    "official": label,
                    "order": index,
                    "level": level,
                    "start": start,
                    "end": start + count,
                    "middle": start + count / 2,
                    "text": text,
                    "colour": colour,
                    "ink": _INK.get(colour, _INK_DEFAULT),
                }
            )
            start += count
    return rows


def status_records(result: Tally, shown: range) -> list[dict]:
    """Per shown official: the deciding percentage, the band (if any) and the final mark."""
    deciding = DECIDING_LEVEL[result.kind]
    rows = []
    for index in shown:
        official = result.officials[index]
        band = rule_words.short_label(result.kind, official.band, result.rules)
        parts = [band, FINAL_MARK if official.final else needs.needs(result, official, True)]
        count = official.counts[deciding]
        rows.append(
            {
                "official": f"{index + 1}. {official.official.name}",
                "order": index,
                "deciding": f"{words.LEVEL_SHORT[deciding]} {result.percent_vi(count)}",
                "status": " · ".join(p for p in parts if p),
                "alarm": bool(band),
            }
        )
    return rows


def bar_rows(result: Tally, shown: range) -> pd.DataFrame:
    """``bar_records`` as a DataFrame."""
    return pd.DataFrame(bar_records(result, shown))


def status_rows(result: Tally, shown: range) -> pd.DataFrame:
    """``status_records`` as a DataFrame."""
    return pd.DataFrame(status_records(result, shown))


@functools.lru_cache(maxsize=32)
def _bars_template(scale_end: int, height: int, scale: float = 1.0) -> str:
    """The Vega-Lite spec of the bars with named data ``bars`` and ``status`` (JSON).

    Building an Altair chart costs hundreds of milliseconds; the layout depends only on
    the scale, the height and the type's scale (``HallLayout.scale``), so it is built
    once and the data is put in per refresh.
    """

    def px(size: float) -> int:
        return max(10, round(size * scale))

    bars, status = alt.Data(name="bars"), alt.Data(name="status")
    x_scale = alt.Scale(domain=[0, scale_end * 1.62], nice=False, zero=True)
    y = alt.Y(
        "official:N",
        sort=alt.SortField("order"),
        title=None,
        axis=alt.Axis(
            labelFontSize=px(27), labelLimit=px(560), labelPadding=px(14), ticks=False, domain=False
        ),
    )
    track = (
        alt.Chart(status)
        .mark_bar(color="white", stroke="#444444", strokeWidth=1.5, height={"band": 0.72})
        .encode(y=y, x=alt.X("zero:Q", scale=x_scale, axis=None), x2="end:Q")
        .transform_calculate(zero="0", end=str(scale_end))
    )
    segments = (
        alt.Chart(bars)
        .mark_bar(height={"band": 0.72})
        .encode(
            y=y,
            x=alt.X("start:Q", scale=x_scale, axis=None),
            x2="end:Q",
            color=alt.Color("colour:N", scale=None, legend=None),
        )
    )
    numbers = (
        alt.Chart(bars)
        .mark_text(fontSize=px(23), fontWeight="bold", font=_FONT)
        .encode(
            y=y,
            x=alt.X("middle:Q", scale=x_scale),
            text="text:N",
            color=alt.Color("ink:N", scale=None, legend=None),
        )
    )
    deciding = (
        alt.Chart(status)
        .mark_text(fontSize=px(24), fontWeight="bold", align="left", dx=px(16), font=_FONT)
        .encode(y=y, x=alt.X("edge:Q", scale=x_scale), text="deciding:N", color=alt.value("#111"))
        .transform_calculate(edge=str(scale_end))
    )
    marks = (
        alt.Chart(status)
        .mark_text(fontSize=px(24), fontWeight="bold", align="left", dx=px(218), font=_FONT)
        .encode(
            y=y,
            x=alt.X("edge:Q", scale=x_scale),
            text="status:N",
            color=alt.condition("datum.alarm", alt.value("#B34700"), alt.value("#1B5E20")),
        )
        .transform_calculate(edge=str(scale_end))
    )
    chart = (
        alt.layer(track, segments, numbers, deciding, marks)
        .properties(height=height)
        .configure_view(stroke=None)
        .configure_axis(labelFont=_FONT, labelColor="#111111", grid=False)
    )
    return json.dumps(chart.to_dict(validate=False))


def bars_spec(
    result: Tally, shown: range, height: int, status: list[dict] | None = None, scale: float = 1.0
) -> dict:
    """The Vega-Lite spec of the shown officials' bars, counts, percentages and status.

    ``status``: ``status_records(result, shown)`` when the caller has them already;
    ``scale``: the type's scale (``HallLayout.scale``, 1.0 on 1920×1080).
    """
    template = json.loads(_bars_template(max(result.base, result.counted), height, scale))
    return {
        **template,
        "datasets": {
            # Arrow tables go to the browser as they are; lists of dicts would pass through
            # pandas at every draw.
            "bars": pa.Table.from_pylist(bar_records(result, shown)),
            "status": pa.Table.from_pylist(status or status_records(result, shown)),
        },
    }


def _header_html(
    poll: Poll,
    state: str,
    result: Tally | None,
    page: str,
    imported: str = "",
    anchor: str = "",
    layout: HallLayout | None = None,
    waiting: str = "",
) -> str:
    px = (layout or hall_layout.layout_for(1920, 1080, None)).px
    official = state == "locked" and not imported
    banner = provenance.OFFICIAL if official else provenance.PROVISIONAL
    banner_colour = "#1B5E20" if official else "#B34700"
    if imported:  # locked on another machine: never this board's official result
        banner, banner_colour = "NHẬP TỪ TỆP", "#555555"
    if state == "setup":
        banner, banner_colour = "CHƯA KIỂM PHIẾU", "#555555"
    counted = (
        f"Đã kiểm {words.number(result.counted)} / {words.number(result.collected)} phiếu thu về"
        if result
        else f"Đã kiểm 0 / {words.number(poll.collected)} phiếu thu về"
    )
    base = (
        f"Tỷ lệ tính trên {words.BASE[result.base_name]} ({words.number(result.base)})"
        if result
        else ""
    )
    e = html.escape
    return f"""
<div style="font-family:{_FONT};color:#111;line-height:1.15">
 <div style="display:flex;justify-content:space-between;align-items:flex-start;gap:{px(24)}px">
  <div>
   <div style="font-size:{px(30)}px;font-weight:600">{e(poll.body)}</div>
   <div style="font-size:{px(25)}px;color:#333">{e(poll.title)}</div>
   <div style="font-size:{px(25)}px;color:#555">{e(imported)}</div>
  </div>
  <div style="font-size:{px(46)}px;font-weight:800;color:white;background:{banner_colour};
   padding:{px(6)}px {px(22)}px;border-radius:8px;white-space:nowrap">{banner}</div>
 </div>
 <div style="display:flex;justify-content:space-between;align-items:baseline;margin-top:{px(10)}px">
  <div style="font-size:{px(40)}px;font-weight:700">{e(counted)}</div>
  <div style="font-size:{px(26)}px;color:#333">{e(base)} {e(page)}</div>
 </div>
 <div data-testid="tinnhiem-hall-waiting" style="font-size:{px(28)}px;color:#B34700">
  {e(waiting)}</div>
 <div style="font-size:{px(20)}px;color:#555;font-family:DejaVu Sans Mono,monospace">
  {e(anchor)}</div>
</div>"""


def _anchor(token: str) -> str:
    """ "12:ab12cd34…" (change_token) → "Nhật ký 12 mục · mã ab12cd34": the chain's short head
    and entry count, for the hall to see (an anchor outside the file against cut tails)."""
    count, _, digest = token.partition(":")
    return head_words(int(count), digest) if count.isdigit() else ""


def _legend_html(kind: Kind, layout: HallLayout | None = None) -> str:
    px = (layout or hall_layout.layout_for(1920, 1080, None)).px
    levels = ("confidence", "no_confidence") if kind == Kind.VOTE else ("high", "confidence", "low")
    items = [(words.LEVEL[lv], COLOURS[lv]) for lv in levels]
    items.append(("Không hợp lệ / để trống", COLOURS["blank"]))
    box = px(30)
    spans = "".join(
        f'<span style="margin-right:{px(36)}px;white-space:nowrap"><span style="display:'
        f"inline-block;width:{box}px;height:{box}px;background:{colour};vertical-align:"
        f'-{px(5)}px;margin-right:{px(10)}px;border-radius:4px"></span>{html.escape(text)}</span>'
        for text, colour in items
    )
    return f'<div style="font-family:{_FONT};font-size:{px(26)}px;margin:6px 0 0 0">{spans}</div>'


def _summary_html(result: Tally, shown: range, status: list[dict]) -> str:
    """The shown bars as a table for screen readers (and browser tests): a chart is a picture.

    ``status``: ``status_records(result, shown)``.
    """
    rows = []
    for index, state in zip(shown, status, strict=True):
        official = result.officials[index]
        cells = [f"{index + 1}. {official.official.name}"]
        cells += [
            f"{words.LEVEL[lv]} {words.number(n)} ({result.percent_vi(n)})"
            for lv, n in official.counts.items()
        ]
        cells.append(f"{words.BLANK_ROW} {official.invalid}")
        cells += [state["deciding"], state["status"]]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    hidden = (
        "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
        "white-space:nowrap"
    )
    # The box, not the table, is hidden: a table grows to its content whatever its width,
    # and a wide hidden table made a 1024-pixel screen scroll sideways.
    return (
        f'<div style="{hidden}"><table data-testid="tinnhiem-hall-table" '
        f'aria-label="Kết quả theo từng người">{"".join(rows)}</table></div>'
    )


def hall_screen(store: storage.Store, poll_id: int, now: float | None = None) -> None:
    """The whole hall screen for one poll at this moment (call it inside a fragment).

    Sized to the window the browser reports (``hall_layout``): no screen needs scrolling.
    """
    layout = hall_layout.measure()
    view = hall_view(store, poll_id)
    result = view.result
    screens = pages_of(len(result.officials) if result else 0)
    page = current_page(len(screens), now)
    page_text = f"· Trang {page + 1}/{len(screens)}" if len(screens) > 1 else ""
    header = _header_html(
        view.poll, view.state, result, page_text, view.imported, _anchor(view.token), layout,
        view.waiting,
    )  # fmt: skip
    if result is None:
        st.html(header)
        st.info(f"Chưa có kết quả: {markup.md_escape(view.problem or '')}")
        return
    shown = screens[page]
    # One HTML element for the header, the legend and the screen readers' table (hidden):
    # every element costs each refresh its own message, so the hall screen draws two.
    status = status_records(result, shown)
    st.html(header + _legend_html(result.kind, layout) + _summary_html(result, shown, status))
    height = layout.row_height(len(shown)) * len(shown)
    drawn = st.session_state.get(_SPEC_KEY)
    if not drawn or drawn[0] != (view.token, page, layout):
        spec = bars_spec(result, shown, height, status, layout.scale)
        drawn = ((view.token, page, layout), spec)
        st.session_state[_SPEC_KEY] = drawn
    st.vega_lite_chart(drawn[1], width="stretch")
