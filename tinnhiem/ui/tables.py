"""Short read-only tables as one escaped HTML element each.

The counting page shows two small tables at every ballot: the last ballot read against
the names and the last ten entries. A grid widget (``st.dataframe``) serializes an Arrow
table and the browser paints it on a canvas; these tables are only read, so plain HTML
does: one element, text the browser can search and screen readers can read, marks in
colour. Every cell is ``html.escape``d: names come from users and are data, never markup.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from typing import NamedTuple

# One small stylesheet per table (st.html keeps a <style> beside the table); cells carry
# class names only, so 50 rows are ~6 KB, not ~25 KB of inline styles.
_STYLE = """<style>
table.tn-t{border-collapse:collapse;width:100%;font-size:.95rem;line-height:1.35}
table.tn-t th{text-align:left;font-weight:600;color:#444;border-bottom:2px solid #ccc;
padding:.25rem .5rem;white-space:nowrap}
table.tn-t caption{caption-side:top;text-align:left;color:#333;font-weight:600;font-size:.95rem;
padding:0 0 .35rem 0}
table.tn-t td{border-bottom:1px solid #e6e6e6;padding:.2rem .5rem;vertical-align:top}
table.tn-t td.number{text-align:right;color:#555;width:3.5rem;white-space:nowrap}
table.tn-t td.mono{font-family:monospace;letter-spacing:.12em;white-space:nowrap}
table.tn-t td.wrap{white-space:normal;word-break:break-all}
table.tn-t td.bad{color:#B00020;font-weight:600}
table.tn-t td.low{color:#B00020}
table.tn-t td.muted{color:#6b6b6b}
table.tn-t td.struck{text-decoration:line-through;color:#6b6b6b}
table.tn-t td.band{background:#fde0dc}
table.tn-t td.band-top{background:#f6b7ae}
table.tn-t td.pin0{position:sticky;left:0;background:#fff;z-index:1;min-width:3.5rem}
table.tn-t td.pin1{position:sticky;left:3.5rem;background:#fff;z-index:1;white-space:nowrap}
table.tn-t th.pin0{position:sticky;left:0;min-width:3.5rem;max-width:3.5rem}
table.tn-t th.pin1{position:sticky;left:3.5rem}
div.tn-box{max-height:75vh;overflow:auto}
div.tn-box table.tn-t td{white-space:nowrap}
div.tn-box table.tn-t th{position:sticky;top:0;background:#fff;z-index:2}
div.tn-box table.tn-t th.pin0,div.tn-box table.tn-t th.pin1{z-index:3}
</style>"""
# A cell's tone: how it reads at a glance (a class of _STYLE). Several join with spaces.
# pin0 and pin1 keep the first two columns in view when a wide table scrolls sideways
# inside a ``div.tn-box``, whose header row stays on top and whose cells keep to one line.
TONES = (
    *("number", "mono", "wrap", "bad", "low", "muted", "struck"),
    *("band", "band-top", "pin0", "pin1"),
)


class Cell(NamedTuple):
    """One cell: its text and its tone (names in TONES, joined by spaces; "" for none).

    A tuple, so a row of cells is hashed in C when ``_row`` looks it up."""

    text: str
    tone: str = ""


class Html(str):
    """Markup made here with every user text escaped. ``st.html`` takes it as it is, through
    ``_repr_html_`` (Streamlit's documented way), where a plain string is first re-indented
    line by line (``textwrap.dedent``: ~0.4 ms for a 100-row table at every draw)."""

    def _repr_html_(self) -> str:
        return str(self)


@functools.cache
def _opening(tone: str) -> str:
    """The ``<td>`` of a tone, checked and built once per tone."""
    unknown = [t for t in tone.split() if t not in TONES]
    if unknown:
        raise KeyError(f"unknown tone {unknown[0]!r}")
    return f'<td class="{tone}">' if tone else "<td>"


def _pinned(tone: str) -> str:
    """The header cell's class when its column is pinned (a sticky header cell), else ""."""
    pins = [t for t in tone.split() if t in ("pin0", "pin1")]
    return f' class="{pins[0]}"' if pins else ""


@functools.lru_cache(maxsize=16384)
def _td(opening: str, text: str) -> str:
    """One cell, escaped once: a result table's counts and percentages repeat over its
    rows and from one ballot to the next, where its rows themselves change."""
    return f"{opening}{html.escape(text)}</td>"


@functools.lru_cache(maxsize=4096)
def _row(cells: tuple, openings: tuple[str, ...]) -> str:
    """One ``<tr>``, kept: the page redraws the same rows at every ballot (a name and its
    mark, the last ten entries), so most rows are built once and looked up after."""
    parts = ["<tr>"]
    for opening, value in zip(openings, cells, strict=True):
        kind = value.__class__  # a loop on classes: a 100-row table is rebuilt at each ballot
        if kind is str:
            parts.append(_td(opening, value))
        elif kind is Cell:
            parts.append(_td(_opening(value.tone), value.text))
        else:
            parts.append(_td(opening, "" if value is None else str(value)))
    parts.append("</tr>")
    return "".join(parts)


def html_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str | int | Cell | None]],
    *,
    label: str,
    testid: str,
    caption: str = "",
    column_tones: Sequence[str] = (),
) -> Html:
    """A table with a header row; ``label`` names it for screen readers, ``testid`` for tests.

    ``caption`` is shown above it; ``column_tones`` gives each column's tone (a Cell's own
    tone replaces it).
    """
    tones = tuple(column_tones) + ("",) * (len(columns) - len(column_tones))
    openings = tuple(_opening(t) for t in tones)
    body = "".join(_row(tuple(row), openings) for row in rows)
    return table(columns, body, label=label, testid=testid, caption=caption, column_tones=tones)


def opening(tone: str) -> str:
    """The ``<td …>`` of a tone (names in TONES), for ``cell``."""
    return _opening(tone)


def cell(opening_: str, text: str) -> str:
    """One ``<td>`` of ``text``, escaped (kept: the same cells come back at every ballot)."""
    return _td(opening_, text)


def table(
    columns: Sequence[str],
    body: str,
    *,
    label: str,
    testid: str,
    caption: str = "",
    column_tones: Sequence[str] = (),
) -> Html:
    """``html_table`` around rows built by the caller: ``body`` is ``<tr>`` rows of
    ``cell``s only (each text escaped there), for a table redrawn whole at every ballot."""
    tones = tuple(column_tones) + ("",) * (len(columns) - len(column_tones))
    head = "".join(
        f'<th scope="col"{_pinned(t)}>{html.escape(c)}</th>'
        for c, t in zip(columns, tones, strict=True)
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return Html(
        f'{_STYLE}<table class="tn-t" data-testid="{html.escape(testid)}" '
        f'aria-label="{html.escape(label)}">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


# A line of text beside a table in the same element; "caption" as st.caption draws it (the
# theme's text colour at 60 %, .config.toml's textColor #111111, smaller).
_PARAGRAPH_TONES = {"": "<p>", "caption": '<p style="font-size:.875rem;color:rgba(17,17,17,.6)">'}


def bold(text: str) -> Html:
    """``text`` escaped, in bold, for ``paragraph``."""
    return Html(f"<b>{html.escape(text)}</b>")


# Streamlit 1.67's st.subheader: an <h3> of 1.75rem, weight 600, line height 1.2, padding
# .75rem above and 1rem below (its frontend's heading styles, which st.html does not get);
# the next element starts right under that box (its element's -1rem margin takes back the
# 1rem gap between two elements: measured in Chromium, 0 px either way).
_HEADING_LOOK = "font-size:1.75rem;font-weight:600;line-height:1.2;padding:.75rem 0 1rem"
_HEADING = f'<h3 style="{_HEADING_LOOK};margin:0">'


def heading(text: str) -> Html:
    """A section's heading as ``st.subheader`` draws it, escaped, for one element with
    what follows it."""
    return Html(f"{_HEADING}{html.escape(text)}</h3>")


# st.divider then st.subheader, as Chromium lays them out in Streamlit 1.67: the rule 2rem
# below the element above, 1 px of the text colour at 20 %, the heading's box 2rem under it
# and the next element right under the heading's box (st.subheader's own -1rem after it).
_DIVIDED = (
    '<hr style="margin:2rem 0;border:0;border-bottom:1px solid rgba(17,17,17,.2)">'
    f'<h3 style="{_HEADING_LOOK};margin:0 0 -1rem">'
)


def divided_heading(text: str) -> Html:
    """``st.divider()`` and ``st.subheader(text)`` as one element, the same to the eye."""
    return Html(f"{_DIVIDED}{html.escape(text)}</h3>")


def paragraph(*parts: str, tone: str = "") -> Html:
    """One ``<p>`` of ``parts``: each escaped, except markup made here (an ``Html``)."""
    text = "".join(part if isinstance(part, Html) else html.escape(part) for part in parts)
    return Html(f"{_PARAGRAPH_TONES[tone]}{text}</p>")


# The figures above a result, as st.metric draws them (label small and grey, the number
# large), side by side and wrapping on a narrow screen: one element for all of them.
_FIGURES_STYLE = """<style>
dl.tn-f{display:flex;flex-wrap:wrap;gap:.75rem 1rem;margin:0 0 .5rem 0;padding:0}
dl.tn-f div{flex:1 1 9rem;margin:0;padding:0}
dl.tn-f dt{margin:0;padding:0;font-size:.875rem;color:rgba(49,51,63,.8);font-weight:400}
dl.tn-f dd{margin:0;padding:0;font-size:2.25rem;line-height:1.3;color:rgb(49,51,63)}
</style>"""


def html_figures(figures: Sequence[tuple[str, str]], *, testid: str) -> Html:
    """Figures named by their labels, each ``(label, value)``, escaped like a table's cells."""
    items = "".join(
        f"<div><dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd></div>"
        for label, value in figures
    )
    testid = html.escape(testid)
    return Html(f'{_FIGURES_STYLE}<dl class="tn-f" data-testid="{testid}">{items}</dl>')
