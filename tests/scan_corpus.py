"""Synthetic scans for the reader's tests: the project's own ballot PDF rendered, marked as
people mark (pen crosses, ticks, filled boxes, light pencil, marks over the border, two
boxes), then degraded as scanners and phones do (turn, scale, blur, JPEG, noise, shadow,
perspective). Everything is made at test time from a seeded generator."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2

MARKS = ("cross", "tick", "filled", "pencil", "over_border", "scribble")


def render(pdf: bytes, dpi: int = 200) -> list[np.ndarray]:
    """Every page of a PDF as a grey picture at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    pages = [np.array(page.render(scale=dpi / 72, grayscale=True).to_numpy()) for page in document]
    document.close()
    return [p if p.ndim == 2 else cv2.cvtColor(p[:, :, :3], cv2.COLOR_BGR2GRAY) for p in pages]


@dataclass
class Pen:
    """How a mark is drawn: its darkness (0 black) and stroke width in mm."""

    grey: int = 25
    width_mm: float = 0.5


def draw_mark(page: np.ndarray, box, kind: str, dpi: int, rng: np.random.Generator) -> None:
    """Draw one mark of ``kind`` in ``box`` ([x, y, w, h] mm) on a rendered page."""
    px = dpi / 25.4
    x, y, w, h = (v * px for v in box)
    pen = Pen(grey=int(rng.integers(10, 60)), width_mm=float(rng.uniform(0.4, 0.7)))
    if kind == "pencil":
        pen = Pen(grey=int(rng.integers(120, 160)), width_mm=float(rng.uniform(0.3, 0.45)))
    thick = max(1, round(pen.width_mm * px))

    def jitter(value: float, spread: float) -> int:
        return round(value + rng.uniform(-spread, spread) * px)

    if kind in ("cross", "pencil", "over_border"):
        out = 1.5 * px if kind == "over_border" else -0.8 * px
        a = (jitter(x - out, 0.4), jitter(y - out, 0.3))
        b = (jitter(x + w + out, 0.4), jitter(y + h + out, 0.3))
        c = (jitter(x + w + out, 0.4), jitter(y - out, 0.3))
        d = (jitter(x - out, 0.4), jitter(y + h + out, 0.3))
        cv2.line(page, a, b, pen.grey, thick, cv2.LINE_AA)
        cv2.line(page, c, d, pen.grey, thick, cv2.LINE_AA)
    elif kind == "tick":
        a = (jitter(x + 0.2 * w, 0.3), jitter(y + 0.5 * h, 0.3))
        b = (jitter(x + 0.45 * w, 0.3), jitter(y + 0.85 * h, 0.2))
        c = (jitter(x + 0.85 * w, 0.3), jitter(y + 0.15 * h, 0.2))
        cv2.line(page, a, b, pen.grey, thick, cv2.LINE_AA)
        cv2.line(page, b, c, pen.grey, thick, cv2.LINE_AA)
    elif kind == "filled":
        inset = 0.6 * px
        top_left = (round(x + inset), round(y + inset))
        bottom_right = (round(x + w - inset), round(y + h - inset))
        cv2.rectangle(page, top_left, bottom_right, pen.grey, -1)
    elif kind == "scribble":
        points = [
            (jitter(x + w * t, 0.3), round(y + h * (0.2 + 0.6 * (i % 2))))
            for i, t in enumerate(np.linspace(0.15, 0.85, 9))
        ]
        cv2.polylines(page, [np.array(points, np.int32)], False, pen.grey, thick, cv2.LINE_AA)


def mark_page(page: np.ndarray, rows, choices, dpi: int, rng: np.random.Generator) -> np.ndarray:
    """A copy of ``page`` with, for each layout row, the boxes of ``choices[i]`` marked.

    ``choices[i]`` is a list of (digit, kind): no pair for a blank row, two for a double mark.
    """
    marked = page.copy()
    for row, marks in zip(rows, choices, strict=True):
        for digit, kind in marks:
            draw_mark(marked, row["boxes"][digit - 1], kind, dpi, rng)
    return marked


def degrade(page: np.ndarray, how: str, rng: np.random.Generator) -> np.ndarray:
    """The page as a scanner or a phone might give it back."""
    h, w = page.shape
    if how == "clean":
        return page
    if how == "upside_down":
        return cv2.rotate(page, cv2.ROTATE_180)
    if how in ("rotate", "scale"):
        angle = float(rng.uniform(-5, 5)) if how == "rotate" else 0.0
        scale = float(rng.uniform(0.95, 1.05)) if how == "scale" else 1.0
        side = round(math.hypot(w, h) * 1.05)
        canvas = np.full((side, side), 250, np.uint8)
        canvas[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = page
        matrix = cv2.getRotationMatrix2D((side / 2, side / 2), angle, scale)
        return cv2.warpAffine(canvas, matrix, (side, side), borderValue=250)
    if how == "blur":
        return cv2.GaussianBlur(page, (0, 0), 1.2)
    if how == "jpeg":
        _, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 30])
        return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if how == "noise":
        noisy = page.astype(np.int16) + rng.normal(0, 12, page.shape).astype(np.int16)
        return np.clip(noisy, 0, 255).astype(np.uint8)
    if how == "shadow":
        ramp = (
            np.linspace(1.0, 0.55, w, dtype=np.float32)[None, :]
            * np.linspace(1.0, 0.8, h, dtype=np.float32)[:, None]
        )
        return (page.astype(np.float32) * ramp).astype(np.uint8)
    if how == "photo":
        d = 0.04
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = np.float32(
            [
                [w * d * rng.uniform(0.5, 1.5), h * d * rng.uniform(0.2, 1)],
                [w * (1 - d * rng.uniform(0.2, 1)), h * d * rng.uniform(0.5, 1.5)],
                [w * (1 - d * rng.uniform(0.5, 1.5)), h * (1 - d * rng.uniform(0.2, 1))],
                [w * d * rng.uniform(0.2, 1), h * (1 - d * rng.uniform(0.5, 1.5))],
            ]
        )
        matrix = cv2.getPerspectiveTransform(src, dst)
        photo = cv2.warpPerspective(page, matrix, (w, h), borderValue=90)
        light = np.linspace(0.75, 1.0, h, dtype=np.float32)[:, None]
        photo = cv2.GaussianBlur((photo * light).astype(np.uint8), (0, 0), 0.8)
        _, data = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 60])
        return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    raise ValueError(how)


DEGRADATIONS = (
    "clean",
    "upside_down",
    "rotate",
    "scale",
    "blur",
    "jpeg",
    "noise",
    "shadow",
    "photo",
)


def random_choices(levels: int, rows: int, rng: np.random.Generator) -> list[list[tuple[int, str]]]:
    """Per row: blank (1 in 6), a double mark (1 in 8), else one box with a random mark."""
    choices = []
    for _ in range(rows):
        roll = rng.random()
        if roll < 1 / 6:
            choices.append([])
        elif roll < 1 / 6 + 1 / 8:
            first, second = rng.choice(levels, size=2, replace=False) + 1
            choices.append([(int(first), "cross"), (int(second), "cross")])
        else:
            digit = int(rng.integers(1, levels + 1))
            choices.append([(digit, str(rng.choice(MARKS)))])
    return choices


def truth(choices) -> str:
    """The entry a careful person reads from ``choices``: the digit, or 0 for none or two."""
    return "".join(str(c[0][0]) if len(c) == 1 else "0" for c in choices)


def faint_stroke(page: np.ndarray, box, dpi: int) -> None:
    """A short light stroke in the middle of ``box`` ([x, y, w, h] mm): a mark too slight
    for the reader to decide, so its row is ``?``."""
    x, y, w, h = box
    cx, cy = round((x + w / 2) * dpi / 25.4), round((y + h / 2) * dpi / 25.4)
    cv2.line(page, (cx - 6, cy), (cx + 6, cy), 60, 2)


def marked_ballot(
    printed: np.ndarray,
    rows,
    entry: str,
    dpi: int,
    faint_rows: tuple[int, ...] = (),
    seed: int = 1,
    ext: str = ".png",
) -> bytes:
    """A rendered ballot page with a pen cross in the box of each digit of ``entry`` (0:
    left blank) and a faint stroke in the middle box of each of ``faint_rows`` (1-based),
    as the bytes of an image file of type ``ext`` (".png", or ".jpg" at quality 90)."""
    choices = [[(int(d), "cross")] if d != "0" else [] for d in entry]
    page = mark_page(printed, rows, choices, dpi, np.random.default_rng(seed))
    for row in faint_rows:
        faint_stroke(page, rows[row - 1]["boxes"][1], dpi)
    params = [cv2.IMWRITE_JPEG_QUALITY, 90] if ext == ".jpg" else []
    ok, encoded = cv2.imencode(ext, page, params)
    if not ok:
        raise ValueError(ext)
    return encoded.tobytes()
