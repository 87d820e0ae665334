"""Text lines, boxes and tables laid out ahead and drawn with fpdf2's plain primitives.

fpdf2's ``table()`` measures every cell several times per row and refuses a row taller
than a page ("row … too high"); 481 ballots of 44 rows took 90 s of CPU with it. Here
a table is wrapped once (``text.Measure``), rows run over as many pages as they need with
the header rows repeated, and drawing is ``text``/``rect``/``line`` only. A ``Sheet``
either draws at once (``record=False``) or keeps the drawing as a list of operations that
``replay`` draws again, on new pages, as often as wanted: the ballot papers lay one copy
out and draw it 481 times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tinnhiem.documents.text import Measure

Op = tuple


class Sheet:
    """Where the next line goes on the page, and the operations that draw it."""

    def __init__(self, pdf, record: bool = False):
        self.pdf = pdf
        self.record = record
        self.ops: list[Op] = []
        self.y = pdf.get_y()
        self.pages = 1  # pages this sheet has drawn on, the current one included
        self._measures: dict[tuple, Measure] = {}
        self._state: dict[str, object] = {}
        # The mark boxes ``table`` drew: (page, row, column, x, y, w, h), pages from 1.
        self.mark_boxes: list[tuple[int, int, int, float, float, float, float]] = []
        self._pending: list[tuple[float, float, float, float]] = []  # this page's, to draw
        self._pending_line = 0.0

    @property
    def top(self) -> float:
        return self.pdf.t_margin

    @property
    def bottom(self) -> float:
        return self.pdf.h - self.pdf.b_margin

    def measure(self, family: str, style: str, size: float) -> Measure:
        key = (family, style, size)
        if key not in self._measures:
            self._measures[key] = Measure(self.pdf, family, style, size)
        return self._measures[key]

    def _op(self, op: Op) -> None:
        if self.record:
            self.ops.append(op)
        else:
            draw(self.pdf, op, self._state, {})

    # -- primitives ----------------------------------------------------------------------

    def font(self, measure: Measure) -> None:
        self._op(("font", *measure.face))

    def colour(self, rgb: tuple[int, int, int]) -> None:
        self._op(("colour", rgb))

    def text(self, x: float, baseline: float, text: str) -> None:
        if text:
            self._op(("text", x, baseline, text))

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.3) -> None:
        self._op(("line", x1, y1, x2, y2, width))

    def box(self, x: float, y: float, w: float, h: float, fill=None, width: float = 0.2) -> None:
        self._op(("box", x, y, w, h, fill, width))

    def mark(self, name: str, x: float, baseline: float, w: float, align: str = "C") -> None:
        """A text filled in at replay (the serial number of a ballot copy)."""
        self._op(("mark", name, x, baseline, w, align))

    def rects(self, rects: list[tuple[float, float, float, float]], width: float) -> None:
        """Rectangles outlined in one path (Page.stroke_rects): many boxes, one operation."""
        if rects:
            self._op(("rects", tuple(rects), width))

    def new_page(self) -> None:
        self.flush_marks()
        self._op(("page",))
        self.pages += 1
        self.y = self.top

    def flush_marks(self) -> None:
        """Draw the mark boxes of the page so far, all at once."""
        self.rects(self._pending, self._pending_line)
        self._pending = []

    def add_mark(self, rect: tuple[float, float, float, float], line: float) -> None:
        self._pending.append(rect)
        self._pending_line = line

    # -- text ----------------------------------------------------------------------------

    def place(self, measure: Measure, line: str, x: float, w: float, y: float, align: str) -> None:
        """One line with its top at ``y``, aligned L, C or R in the ``w`` mm from ``x``."""
        baseline = y + 0.5 * (measure.height * 1.15) + 0.35 * measure.height
        if align == "C":
            x += (w - measure.width(line)) / 2
        elif align == "R":
            x += w - measure.width(line)
        self.text(x, baseline, line)

    def justified(self, measure: Measure, line: str, x: float, w: float, y: float) -> None:
        """One line spread to the full width, word by word."""
        words = line.split(" ")
        if len(words) < 2:
            self.place(measure, line, x, w, y, "L")
            return
        gap = (w - sum(measure.width(word) for word in words)) / (len(words) - 1)
        baseline = y + 0.5 * (measure.height * 1.15) + 0.35 * measure.height
        for word in words:
            self.text(x, baseline, word)
            x += measure.width(word) + gap

    def paragraph(
        self, measure: Measure, text: str, x: float, w: float, line_h: float, align: str = "L"
    ) -> None:
        """A wrapped text from ``self.y`` down, starting a new page whenever one is full."""
        self.font(measure)
        lines = measure.wrap(text, w)
        for number, line in enumerate(lines):
            if self.y + line_h > self.bottom:
                self.new_page()
                self.font(measure)
            if align == "J" and number < len(lines) - 1:
                self.justified(measure, line, x, w, self.y)
            else:
                self.place(measure, line, x, w, self.y, "L" if align == "J" else align)
            self.y += line_h


@dataclass(frozen=True)
class HeadCell:
    """A header cell: its label, first column, columns and header rows it covers."""

    label: str
    column: int
    colspan: int = 1
    rowspan: int = 1
    row: int = 0


@dataclass(frozen=True)
class Grid:
    """A table's look: column widths (mm), body alignment and font per column."""

    widths: Sequence[float]
    align: Sequence[str]
    body: Sequence[Measure]
    head: Measure
    line_h: float
    pad_v: float = 0.8
    pad_h: float = 1.0
    min_row_h: float = 0.0
    head_fill: tuple[int, int, int] = (230, 230, 230)
    x: float = 0.0
    line_w: float = 0.2
    # Columns whose cells get a mark box (w × h mm, centred, drawn white with ``mark_line``)
    # on a row's first part; each is kept in ``Sheet.mark_boxes`` (the ballot's layout).
    mark_columns: tuple[int, ...] = ()
    mark_size: tuple[float, float] = (0.0, 0.0)
    mark_line: float = 0.35


def _head_layout(grid: Grid, head: Sequence[HeadCell]):
    """Each header cell's (x, y offset, w, h, lines), and the header's height."""
    starts = [grid.x]
    for width in grid.widths:
        starts.append(starts[-1] + width)
    rows = 1 + max((c.row + c.rowspan - 1 for c in head), default=0)
    heights = [0.0] * rows
    wrapped = []
    for cell in head:
        w = starts[cell.column + cell.colspan] - starts[cell.column]
        lines = grid.head.wrap(cell.label, w - 2 * grid.pad_h)
        wrapped.append((cell, w, lines))
        if cell.rowspan == 1:
            need = len(lines) * grid.line_h + 2 * grid.pad_v
            heights[cell.row] = max(heights[cell.row], need)
    for cell, _, lines in wrapped:  # a tall spanning label deepens its last row
        if cell.rowspan > 1:
            need = len(lines) * grid.line_h + 2 * grid.pad_v
            have = sum(heights[cell.row : cell.row + cell.rowspan])
            if need > have:
                heights[cell.row + cell.rowspan - 1] += need - have
    offsets = [0.0]
    for h in heights:
        offsets.append(offsets[-1] + h)
    layout = []
    for cell, w, lines in wrapped:
        y = offsets[cell.row]
        h = offsets[cell.row + cell.rowspan] - y
        layout.append((starts[cell.column], y, w, h, lines))
    return layout, offsets[-1], starts


def head_height(grid: Grid, head: Sequence[HeadCell]) -> float:
    """The height in mm the header rows take."""
    return _head_layout(grid, head)[1]


def _draw_head(sheet: Sheet, grid: Grid, layout) -> None:
    sheet.font(grid.head)
    top = sheet.y
    for x, y, w, h, lines in layout:
        sheet.box(x, top + y, w, h, fill=grid.head_fill, width=grid.line_w)
        first = top + y + (h - len(lines) * grid.line_h) / 2
        for n, line in enumerate(lines):
            sheet.place(
                grid.head, line, x + grid.pad_h, w - 2 * grid.pad_h, first + n * grid.line_h, "C"
            )


def table(
    sheet: Sheet, grid: Grid, head: Sequence[HeadCell], rows: Sequence[Sequence[str]]
) -> None:
    """Header and rows from ``sheet.y``; a row too tall for what is left of a page runs on."""
    layout, head_h, starts = _head_layout(grid, head)
    _draw_head(sheet, grid, layout)
    sheet.y += head_h
    pad_v, pad_h, line_h = grid.pad_v, grid.pad_h, grid.line_h
    current = None
    for row, values in enumerate(rows):
        cells = [
            grid.body[i].wrap(value, grid.widths[i] - 2 * pad_h) for i, value in enumerate(values)
        ]
        depth = max(len(lines) for lines in cells)
        height = max(depth * line_h + 2 * pad_v, grid.min_row_h)
        if sheet.y + height > sheet.bottom and height <= sheet.bottom - sheet.top - head_h:
            sheet.new_page()
            _draw_head(sheet, grid, layout)
            sheet.y += head_h
            current = None
        done = 0
        while done < depth:
            room = int((sheet.bottom - sheet.y - 2 * pad_v) // line_h)
            if room < 1:
                sheet.new_page()
                _draw_head(sheet, grid, layout)
                sheet.y += head_h
                current = None
                continue
            take = min(room, depth - done)
            part_h = height if take == depth else take * line_h + 2 * pad_v
            for i, lines in enumerate(cells):
                x = starts[i]
                sheet.box(x, sheet.y, grid.widths[i], part_h, width=grid.line_w)
                if done == 0 and i in grid.mark_columns:
                    _mark_box(sheet, grid, row, i, x, part_h)
                part = lines[done : done + take]
                if not any(part):
                    continue
                if current is not grid.body[i]:
                    current = grid.body[i]
                    sheet.font(current)
                first = (
                    sheet.y + (part_h - len(part) * line_h) / 2
                    if take == depth
                    else sheet.y + pad_v
                )
                for n, line in enumerate(part):
                    sheet.place(
                        grid.body[i],  # the measure ``current`` has just been set to
                        line,
                        x + pad_h,
                        grid.widths[i] - 2 * pad_h,
                        first + n * line_h,
                        grid.align[i],
                    )
            sheet.y += part_h
            done += take
    sheet.flush_marks()


def _mark_box(sheet: Sheet, grid: Grid, row: int, column: int, x: float, cell_h: float) -> None:
    """The box a voter marks, centred in its cell: remembered, drawn with its page's others."""
    w, h = grid.mark_size[0], min(grid.mark_size[1], cell_h - 1.6)
    box_x = round(x + (grid.widths[column] - w) / 2, 2)
    box_y = round(sheet.y + (cell_h - h) / 2, 2)
    sheet.add_mark((box_x, box_y, w, round(h, 2)), grid.mark_line)
    sheet.mark_boxes.append((sheet.pages, row, column, box_x, box_y, w, round(h, 2)))


def draw(pdf, op: Op, state: dict, marks: dict[str, str]) -> None:
    """Draw one operation; ``state`` remembers line width and fill to skip repeats."""
    kind = op[0]
    if kind == "text":
        pdf.text(op[1], op[2], op[3])
    elif kind == "font":
        pdf.set_font(op[1], op[2], op[3])
    elif kind == "box":
        _, x, y, w, h, fill, width = op
        if state.get("width") != width:
            pdf.set_line_width(width)
            state["width"] = width
        if fill is not None:
            if state.get("fill") != fill:
                pdf.set_fill_color(*fill)
                state["fill"] = fill
            pdf.rect(x, y, w, h, style="DF")
        else:
            pdf.rect(x, y, w, h)
    elif kind == "line":
        _, x1, y1, x2, y2, width = op
        if state.get("width") != width:
            pdf.set_line_width(width)
            state["width"] = width
        pdf.line(x1, y1, x2, y2)
    elif kind == "rects":
        pdf.stroke_rects(op[1], op[2])
    elif kind == "colour":
        pdf.set_text_color(*op[1])
    elif kind == "page":
        pdf.add_page()
        state.clear()  # a new page starts with fpdf2's defaults written again
    elif kind == "mark":
        _, name, x, baseline, w, align = op
        text = marks.get(name, "")
        if text:
            width = pdf.get_string_width(text)
            offset = {"C": (w - width) / 2, "R": w - width}.get(align, 0.0)
            pdf.text(x + offset, baseline, text)


def replay(pdf, ops: Sequence[Op], marks: dict[str, str] | None = None) -> None:
    """Draw recorded operations again, from the current page on."""
    state: dict = {}
    marks = marks or {}
    for op in ops:
        draw(pdf, op, state, marks)
