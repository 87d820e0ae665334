"""Each box's ink against the blank paper around it, and each row's answer.

A row is warped upright at SCALE px per mm from the scan, then aligned on the printed box
outlines (a search of ±SEARCH_MM), so the few tenths of a millimetre a bent or photographed
page is off do not bring a border into a box. Each box is then judged against the paper
beside it (its own light: shadows and uneven light cancel out), inside an inset that leaves
the printed border out:

- ``coverage``: the share of its pixels darker than 3/4 of the paper (a stroke of pen or
  pencil);
- ``ink``: its mean darkness (any trace, however faint).

A box is *marked* with coverage ≥ MARKED; *blank* with coverage ≤ BLANK_COVERAGE and
ink ≤ BLANK_INK; anything between is *doubtful*. The row's answer (``decide``) is a digit
only for one marked box and every other one blank; ``0`` for every box blank or two or more
marked; ``?`` otherwise. So a trace the reader is unsure of never becomes a digit, and
never a ``0`` either: a person decides.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import cv2
import numpy as np

from tinnhiem.scanning.locate import Placement, warp

SCALE = 10.0  # px per mm of a row's picture
SEARCH_MM = 1.5  # how far a row's boxes are looked for around where the map puts them
MARGIN_MM = 1.0  # around the boxes, in the outline template
INSET_MM = 0.9  # from the box's outer edge: the border (0.35 mm) and some misregistration
STRIP_MM = (0.7, 2.2)  # the paper beside a box, left and right: its light is the reference
LINE_MM = 0.45  # the outline's width in the template
MIN_MATCH = Fraction(1, 10)  # the outlines fit no better anywhere: the row is not there
MIN_OUTLINE = Fraction(1, 4)  # the darkness a printed box edge shows at the least
MARKED = Fraction(10, 100)
BLANK_COVERAGE = Fraction(2, 100)
BLANK_INK = Fraction(2, 100)
SHADE = Fraction(85, 100)  # sides this alike are one paper in uneven light
STROKE = Fraction(1, 4)  # darker than (1 − STROKE) of the paper: a stroke
PAPER = Fraction(9, 10)  # the row's paper: the level 90 % of its pixels are darker than
_TOPHAT = np.ones((round(0.75 * SCALE),) * 2, np.uint8)  # wider than a line, not a box


@dataclass(frozen=True)
class BoxScore:
    """What was found in one box: stroke pixels, summed darkness (0–255 each), pixels."""

    stroke: int
    ink: int
    area: int

    @property
    def marked(self) -> bool:
        return self.stroke >= MARKED * self.area

    @property
    def blank(self) -> bool:
        return self.stroke <= BLANK_COVERAGE * self.area and self.ink <= BLANK_INK * 255 * self.area


def decide(scores: Sequence[BoxScore], placed: bool = True) -> str:
    """The row's entry character: ``1``… for one marked box, ``0``, or ``?`` when unsure."""
    if not placed:
        return "?"
    marked = [n for n, score in enumerate(scores, start=1) if score.marked]
    if len(marked) >= 2:
        return "0"
    if all(score.blank for n, score in enumerate(scores, start=1) if n not in marked):
        return str(marked[0]) if marked else "0"
    return "?"


@functools.lru_cache(maxsize=256)
def _outlines(boxes: tuple[tuple[float, ...], ...]) -> tuple[tuple[float, ...], np.ndarray]:
    """The row's frame (x, y, w, h mm: its boxes and MARGIN_MM around them) and the printed
    outlines drawn in it at half the scale, as the search fits them. Made once per row of a
    layout (every page of a batch has the same rows)."""
    left = min(b[0] for b in boxes) - MARGIN_MM
    top = min(b[1] for b in boxes) - MARGIN_MM
    width = max(b[0] + b[2] for b in boxes) + MARGIN_MM - left
    height = max(b[1] + b[3] for b in boxes) + MARGIN_MM - top
    template = np.zeros((round(height * SCALE), round(width * SCALE)), np.float32)
    line = max(1, round(LINE_MM * SCALE))
    for x, y, w, h in boxes:
        top_left = (round((x - left) * SCALE), round((y - top) * SCALE))
        bottom_right = (round((x + w - left) * SCALE), round((y + h - top) * SCALE))
        cv2.rectangle(template, top_left, bottom_right, 1.0, line)
    half = cv2.resize(template, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    half.flags.writeable = False
    return (left, top, width, height), half


SORTED_AT_MOST = 4096  # pixels: fewer are sorted (a box's side strip), more counted (a row)


def _ranked(values: np.ndarray, ranks: Sequence[int]) -> list[int]:
    """The 8-bit ``values``' order statistics at ``ranks`` (0 the darkest): a few sorted,
    many by a histogram (exact while the counts fit a float32's 24 bits)."""
    if values.size <= SORTED_AT_MOST:
        ordered = np.sort(values, axis=None)
        return [int(ordered[rank]) for rank in ranks]
    counts = cv2.calcHist([values], [0], None, [256], [0, 256]).ravel().cumsum()
    return [int(v) for v in np.searchsorted(counts, ranks, side="right")]


def _median(values: np.ndarray) -> int:
    """``int(np.median(values))`` of 8-bit values, 0 for none."""
    n = values.size
    if n == 0:
        return 0
    low, high = _ranked(values, ((n - 1) // 2, n // 2))
    return (low + high) // 2


def _percentile(values: np.ndarray, share: Fraction) -> float:
    """``np.percentile(values, 100 * share)`` of 8-bit values (linear between ranks)."""
    at = (values.size - 1) * share
    rank = int(at)
    low, high = _ranked(values, (rank, min(rank + 1, values.size - 1)))
    return low + float(at - rank) * (high - low)


def _box_score(row: np.ndarray, x: int, y: int, w: int, h: int) -> BoxScore:
    """The score of the box whose outer edge is (x, y, w, h) px in the row's picture."""
    near, far = round(STRIP_MM[0] * SCALE), round(STRIP_MM[1] * SCALE)
    left = row[y : y + h, max(0, x - far) : max(0, x - near)]
    right = row[y : y + h, x + w + near : x + w + far]
    sides = [_median(left), _median(right)]
    inset = round(INSET_MM * SCALE)
    inside = row[y + inset : y + h - inset, x + inset : x + w - inset].astype(np.int32)
    if max(sides) <= 0 or inside.size == 0:
        return BoxScore(0, 255 * max(inside.size, 1), max(inside.size, 1))  # never blank
    if min(sides) * SHADE.denominator >= max(sides) * SHADE.numerator:
        # Light falling off across the box (a shadow): the paper from one side to the other.
        step = (sides[1] - sides[0]) / max(inside.shape[1] - 1, 1)
        across = (sides[0] + step * np.arange(inside.shape[1])).round().astype(np.int32)
    else:  # one side darker still: a mark over it, so the other side is the paper
        across = np.full(inside.shape[1], max(sides), np.int32)
    paper = np.maximum(across, 1)[None, :].astype(np.float64)
    # (paper − inside) × 255 // paper, in floats (exact: 255 × 255 fits, and a quotient
    # that is no integer is at least 1/255 from one), which numpy vectorizes.
    darkness = np.clip(np.floor((paper - inside) * 255 / paper), 0, 255).astype(np.int32)
    stroke = int(np.count_nonzero(darkness * STROKE.denominator > 255 * STROKE.numerator))
    return BoxScore(stroke, int(darkness.sum()), int(inside.size))


def score_row(
    gray: np.ndarray, placement: Placement, boxes: Sequence[Sequence[float]]
) -> tuple[list[BoxScore], bool]:
    """Each box's score in the order given, and whether the row's outlines were found."""
    (left, top, width, height), half = _outlines(tuple(tuple(box) for box in boxes))
    reach = SEARCH_MM + STRIP_MM[1]
    area = (left - reach, top - reach, width + 2 * reach, height + 2 * reach)
    row = cv2.GaussianBlur(warp(gray, placement, area, SCALE), (3, 3), 0)
    paper = _percentile(row, PAPER) or 1.0
    darkness = 1.0 - row.astype(np.float32) * np.float32(1.0 / paper)
    np.maximum(darkness, 0.0, out=darkness)  # at most 1 already: no pixel is below 0
    pad = round(STRIP_MM[1] * SCALE)
    # Fitted at half the scale (0.2 mm steps, a quarter of the work), on lines only (a white
    # top-hat): a filled box is a blob the outlines must not be fitted to.
    search = cv2.resize(darkness[pad:-pad, pad:-pad], None, fx=0.5, fy=0.5)
    lines = cv2.morphologyEx(search, cv2.MORPH_TOPHAT, _TOPHAT)
    fit = cv2.matchTemplate(lines, half, cv2.TM_CCOEFF_NORMED)
    _, best, _, (dx, dy) = cv2.minMaxLoc(fit)
    placed = bool(np.isfinite(best)) and Fraction(best) >= MIN_MATCH
    shift_x = 2 * dx - round(SEARCH_MM * SCALE)  # 0 where the map put the row
    shift_y = 2 * dy - round(SEARCH_MM * SCALE)
    scores = []
    for x, y, w, h in boxes:
        px = round((x - area[0]) * SCALE) + shift_x
        py = round((y - area[1]) * SCALE) + shift_y
        size = (round(w * SCALE), round(h * SCALE))
        scores.append(_box_score(row, px, py, *size))
        placed = placed and _outlined(darkness, px, py, *size)
    return scores, placed


def _outlined(darkness: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """Whether the printed outline of the box is where the row was aligned: each of its
    four edges dark enough, so a row put in the wrong place is never read."""
    band = max(1, round(LINE_MM * SCALE / 2))
    edges = (
        darkness[y - band : y + band + 1, x : x + w],
        darkness[y + h - band : y + h + band + 1, x : x + w],
        darkness[y : y + h, x - band : x + band + 1],
        darkness[y : y + h, x + w - band : x + w + band + 1],
    )
    for edge in edges:
        if edge.size == 0:
            return False
        along = 1 if edge.shape[0] <= edge.shape[1] else 0  # the darkest line across the band
        if Fraction(float(edge.sum(axis=along).max()) / edge.shape[along]) < MIN_OUTLINE:
            return False
    return True
