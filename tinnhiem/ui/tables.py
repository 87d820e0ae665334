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
from dataclasses import dataclass

# Inline styles (st.html keeps them; no stylesheet is shared between elements).
_TABLE = "border-collapse:collapse;width:100%;font-size:0.95rem;line-height:1.35"
_HEAD = (
    "text-align:left;font-weight:600;color:#444;border-bottom:2px solid #ccc;"
    "padding:0.25rem 0.5rem;white-space:nowrap"
)
_CELL = "border-bottom:1px solid #e6e6e6;padding:0.2rem 0.5rem;vertical-align:top"
# A cell's tone: how it reads at a glance. Several tones join with spaces.
TONES = {
    "number": "text-align:right;color:#555;width:3.5rem;white-space:nowrap",
    "mono": "font-family:monospace;letter-spacing:0.12em;white-space:nowrap",
    "bad": "color:#B00020;font-weight:600",
    "low": "color:#B00020",
    "muted": "color:#6b6b6b",
    "struck": "text-decoration:line-through;color:#6b6b6b",
}


@dataclass(frozen=True)
class Cell:
    """One cell: its text and its tone (keys of TONES, joined by spaces; "" for none)."""

    text: str
    tone: str = ""


@functools.cache
def _opening(tone: str) -> str:
    """The ``<td …>`` of a tone, built once per tone (a table has a few hundred cells)."""
    extra = ";".join(TONES[t] for t in tone.split())
    return f'<td style="{_CELL};{extra}">' if extra else f'<td style="{_CELL}">'


def _cell(value: str | int | Cell | None) -> str:
    if isinstance(value, Cell):
        return f"{_opening(value.tone)}{html.escape(value.text)}</td>"
    return f"{_opening('')}{html.escape('' if value is None else str(value))}</td>"


def html_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str | int | Cell | None]],
    *,
    label: str,
    testid: str,
) -> str:
    """A table with a header row; ``label`` names it for screen readers, ``testid`` for tests."""
    head = "".join(f'<th scope="col" style="{_HEAD}">{html.escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return (
        f'<table data-testid="{html.escape(testid)}" aria-label="{html.escape(label)}" '
        f'style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )
