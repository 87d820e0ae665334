"""The hall screen's size: measured in the browser, so the projector fits without scrolling.

A hall screen is read from the back of the room and must never need scrolling, on a
1920×1080 projector as on a 1366×768 laptop or a 4:3 projector at 1024×768. The server
cannot know the screen, so a small browser component (``st.components.v2``, no network)
reports the window's size and where the bars begin (below the header, whose lines wrap
differently on each screen); the header's type is scaled from the window's size and the
bars take exactly the height that is left. Until the browser has answered (the first
draw, or AppTest) the layout is the one for the smallest common screen, 1024×768.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

KEY = "tinnhiem.hall.size"
FALLBACK = (1024, 768)  # the smallest common screen: a first draw fits every screen
CHART_TESTID = "stVegaLiteChart"
_MARGIN = 14  # pixels kept free under the bars (the chart's own padding and a rounding)

_JS = """
export default function (component) {
  const { setStateValue, parentElement } = component;
  if (parentElement.__tnHall) return;  // one watcher per mounted component
  parentElement.__tnHall = true;
  let sent = "";
  const measure = () => {
    const chart = document.querySelector('[data-testid="CHART"]');
    const top = chart ? Math.round(chart.getBoundingClientRect().top) : 0;
    const size = { width: window.innerWidth, height: window.innerHeight, top: top };
    const text = JSON.stringify(size);
    if (text !== sent) { sent = text; setStateValue("size", size); }
  };
  window.addEventListener("resize", measure);
  setInterval(measure, 700);  // the header rewraps after each redraw: look again
  measure();
}
""".replace("CHART", CHART_TESTID)

_component = st.components.v2.component(
    "tinnhiem.hall_size", html="<span></span>", js=_JS, isolate_styles=True
)

# The measuring component draws nothing; its element takes no row of the page.
HIDE_CSS = f".st-key-{KEY.replace('.', '-')} {{ display: none !important; }}"


@dataclass(frozen=True)
class HallLayout:
    """Type sizes and the bars' height for one window, in CSS pixels."""

    scale: float  # 1.0 on 1920×1080; the header's and the bars' type scale with it
    chart_height: int  # the height left for the bars under the header

    def px(self, size: float) -> int:
        """A 1920×1080 type size in pixels, scaled to this window."""
        return max(10, round(size * self.scale))

    def row_height(self, rows: int) -> int:
        """Each official's row: the bars share what is left, at most 84 px at full scale."""
        return max(20, min(round(84 * self.scale), self.chart_height // max(rows, 1)))


def layout_for(width: int, height: int, top: int | None) -> HallLayout:
    """The layout of a ``width``×``height`` window whose bars start ``top`` px down.

    ``top`` None or 0: not measured yet; the header is assumed to take 30 % of the height.
    """
    scale = max(0.5, min(1.0, height / 1080, width / 1600))
    start = top if top and 0 < top < height else round(0.3 * height)
    return HallLayout(scale=round(scale, 2), chart_height=max(120, height - start - _MARGIN))


def measure() -> HallLayout:
    """Mount the measuring component; the layout of the window it last reported."""
    result = _component(key=KEY, default={"size": None}, on_size_change=lambda: None)
    size = result.size if hasattr(result, "size") else None
    if isinstance(size, dict):
        try:
            width, height = int(size["width"]), int(size["height"])
            top = int(size.get("top") or 0)
        except (KeyError, TypeError, ValueError):
            width, height, top = (*FALLBACK, 0)
        if 200 <= width <= 10_000 and 200 <= height <= 10_000:
            return layout_for(width, height, top)
    return layout_for(*FALLBACK, None)
