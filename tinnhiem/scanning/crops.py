"""Pictures of single rows of a read page, for the person who decides a doubtful row.

The page is located again by its markers (``locate``) and each row is warped upright from
the left margin (where the name is printed) to just past its last box, as a PNG.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from tinnhiem.scanning import locate

SCALE = 6.0  # px per mm of a row's picture: 150 dpi, the name readable on screen
LEFT_MM = 12.0  # the paper's left edge of the printed rows (the name column starts here)
AROUND_MM = 2.5  # paper shown above, below and right of the boxes


def _png(picture: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", picture)
    return encoded.tobytes() if ok else b""


def row_pictures(gray: np.ndarray, rows: Sequence[Sequence[Sequence[float]]]) -> list[bytes]:
    """For each row (its boxes ``[x, y, w, h]`` in mm) the row's picture as PNG bytes, in the
    order given; an empty list when the page's four markers are not found."""
    placement = locate.place(locate.find_markers(gray))
    if placement is None:
        return []
    pictures = []
    for boxes in rows:
        top = min(b[1] for b in boxes) - AROUND_MM
        right = max(b[0] + b[2] for b in boxes) + AROUND_MM
        bottom = max(b[1] + b[3] for b in boxes) + AROUND_MM
        area = (LEFT_MM, top, right - LEFT_MM, bottom - top)
        pictures.append(_png(locate.warp(gray, placement, area, SCALE)))
    return pictures
