"""Where a ballot page lies in a picture: its corner markers, the homography, its QR code.

The four ArUco markers (tinnhiem.documents.ballot_marks) give sixteen corners whose place
on the paper is known; each marker knows its own corners whatever the page's turn, so an
upside-down or tilted page maps the same way. The map (mm on paper → pixels) is checked:
every corner must land within MAX_ERROR_MM of where the map puts it, or the page is bent,
folded or not this paper, and is not read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
import segno

from tinnhiem.documents import ballot_marks

MAX_ERROR_MM = 1.2  # the worst marker corner off the fitted map: beyond it the page is bent
MIN_PX_PER_MM = 3.0  # about 76 dpi: below it a 9 × 6 mm box is too few pixels to judge
DETECT_SIDE = 1400  # px: markers are searched on a picture at most this large
_DICTIONARY = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)


QUICK_WINDOW = 13  # px: the one threshold window of the first, quick marker search


def _detector(window: int | None = None) -> cv2.aruco.ArucoDetector:
    """OpenCV's marker detector: with its three threshold windows (3, 13, 23 px), or with
    one window only (``window``), which costs about a third."""
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    if window is not None:
        parameters.adaptiveThreshWinSizeMin = parameters.adaptiveThreshWinSizeMax = window
    return cv2.aruco.ArucoDetector(_DICTIONARY, parameters)


_QUICK = _detector(QUICK_WINDOW)
_DETECTOR = _detector()
_QR = cv2.QRCodeDetector()


def find_markers(gray: np.ndarray) -> dict[int, np.ndarray]:
    """The ballot's markers found: id → its four corners (px, clockwise from its top-left).

    Searched first with one threshold window; when that finds fewer than all four, again
    with OpenCV's three (a page the quick search misses is searched as it always was). An
    id seen twice (two pages in one picture) is left out: its place is not known.
    """
    factor = min(1.0, DETECT_SIDE / max(gray.shape[:2]))
    small = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor)
    markers = _detected(_QUICK, small, factor)
    if set(markers) != set(ballot_marks.MARKERS):
        markers = _detected(_DETECTOR, small, factor)
    if factor < 1.0 and markers:  # found small and fast; placed on the full picture
        points = np.vstack(list(markers.values())).astype(np.float32).reshape(-1, 1, 2)
        window = max(2, round(1 / factor))
        criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.05)
        refined = cv2.cornerSubPix(gray, points, (window, window), (-1, -1), criteria)
        for n, key in enumerate(markers):
            markers[key] = refined[4 * n : 4 * n + 4].reshape(4, 2).astype(np.float64)
    return markers


def _detected(
    detector: cv2.aruco.ArucoDetector, small: np.ndarray, factor: float
) -> dict[int, np.ndarray]:
    """The ballot's markers ``detector`` finds in ``small`` (the picture × ``factor``), each
    id seen once, its corners in the full picture's pixels."""
    corners, ids, _ = detector.detectMarkers(small)
    found: dict[int, list[np.ndarray]] = {}
    if ids is not None:
        for quad, marker in zip(corners, ids.ravel(), strict=True):
            if int(marker) in ballot_marks.MARKERS:
                found.setdefault(int(marker), []).append(quad.reshape(4, 2) / factor)
    return {marker: quads[0] for marker, quads in found.items() if len(quads) == 1}


def _paper_corners(marker: int) -> np.ndarray:
    x, y = ballot_marks.MARKERS[marker]
    side = ballot_marks.MARKER
    return np.array([[x, y], [x + side, y], [x + side, y + side], [x, y + side]], np.float64)


@dataclass(frozen=True)
class Placement:
    """The map from the paper (mm from its top-left) to the picture (px)."""

    homography: np.ndarray  # 3 × 3, mm → px
    px_per_mm: float
    error_mm: float  # the worst marker corner off the map


def place(markers: dict[int, np.ndarray]) -> Placement | None:
    """The page's placement from all four markers, or None when one is missing."""
    if set(markers) != set(ballot_marks.MARKERS):
        return None
    paper = np.vstack([_paper_corners(m) for m in sorted(markers)])
    picture = np.vstack([markers[m] for m in sorted(markers)]).astype(np.float64)
    homography, _ = cv2.findHomography(paper, picture, 0)
    if homography is None:
        return None
    projected = cv2.perspectiveTransform(paper.reshape(-1, 1, 2), homography).reshape(-1, 2)
    sides = [np.linalg.norm(q[i] - q[(i + 1) % 4]) for q in markers.values() for i in range(4)]
    px_per_mm = float(np.mean(sides)) / ballot_marks.MARKER
    error = float(np.max(np.linalg.norm(projected - picture, axis=1))) / px_per_mm
    return Placement(homography, px_per_mm, error)


def warp(gray: np.ndarray, placement: Placement, area: tuple, scale: float) -> np.ndarray:
    """The paper's rectangle ``area`` (x, y, w, h in mm) at ``scale`` px per mm, upright."""
    x, y, w, h = area
    to_paper = np.array([[1 / scale, 0, x], [0, 1 / scale, y], [0, 0, 1]], np.float64)
    size = (round(w * scale), round(h * scale))
    return cv2.warpPerspective(
        gray,
        placement.homography @ to_paper,
        size,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _decode(picture: np.ndarray, corners: np.ndarray | None = None) -> str | None:
    """The QR's text, decoded where ``corners`` (4 × 2 px) say it is, else looked for."""
    try:
        if corners is not None:
            text, _ = _QR.decode(picture, corners.reshape(1, 4, 2).astype(np.float32))
        else:
            text, _, _ = _QR.detectAndDecode(picture)
    except cv2.error:
        return None
    return text or None


_MODULE_PX = 6  # px per QR module when its grid is sampled
_SYMBOL_SIDES = (25, 29, 21, 33)  # modules of QR versions 2, 3, 1, 4 (the ballot's is 2 or 3)
_REACH = 3  # px (half a module) the sampled grid is moved to find the code's own grid


@functools.cache
def _fixed(side: int) -> tuple[np.ndarray, np.ndarray]:
    """The modules every QR of this size has (finders, separators, timing): where, and dark."""
    where = np.zeros((side, side), bool)
    dark = np.zeros((side, side), bool)
    for top, left in ((0, 0), (0, side - 7), (side - 7, 0)):
        y0, x0 = max(top - 1, 0), max(left - 1, 0)
        where[y0 : top + 8, x0 : left + 8] = True  # the finder and its white separator
        ring = np.ones((7, 7), bool)
        ring[1:6, 1:6] = False
        ring[2:5, 2:5] = True
        dark[top : top + 7, left : left + 7] = ring
    where[6, 8 : side - 8] = where[8 : side - 8, 6] = True
    dark[6, 8 : side - 8 : 2] = dark[8 : side - 8 : 2, 6] = True
    where[side - 8, 8] = dark[side - 8, 8] = True  # the one module always dark
    return where, dark


@functools.cache
def _formats(side: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Where a QR of this size keeps its format (error level and mask), and the 32 patterns
    it can hold there (4 levels × 8 masks; made with segno, which prints the ballots)."""
    where = np.zeros((side, side), bool)
    where[8, :9] = where[:9, 8] = True
    where[8, side - 8 :] = where[side - 7 :, 8] = True
    where[6, :] = where[:, 6] = False
    version = (side - 17) // 4
    patterns = [
        segno.make("0", error=level, version=version, mask=mask, boost_error=False).matrix
        for level in "lmqh"
        for mask in range(8)
    ]
    return where, [np.array(pattern, bool)[where] for pattern in patterns]


def _with_format(modules: np.ndarray, means: np.ndarray, level: float) -> np.ndarray:
    """``modules`` with the finders, timing and format bits as every code has them (the
    format: the pattern nearest what was seen, 7 bits apart from any other). A blurred bit
    there loses the whole code in OpenCV's decoder, however much correction its data has."""
    side = modules.shape[0]
    where, patterns = _formats(side)
    seen = level - means[where]  # > 0 where dark
    best = max(patterns, key=lambda pattern: float(np.sum(np.where(pattern, seen, -seen))))
    fixed = modules.copy()
    fixed[where] = best
    always, dark = _fixed(side)
    fixed[always] = dark[always]
    return fixed


def _redrawn(modules: np.ndarray) -> np.ndarray:
    """A crisp picture of a QR's modules (True dark), 8 px each, with a 4-module margin."""
    picture = np.where(modules, 0, 255).astype(np.uint8)
    picture = np.kron(picture, np.ones((8, 8), np.uint8))
    return cv2.copyMakeBorder(picture, 32, 32, 32, 32, cv2.BORDER_CONSTANT, value=255)


def _decode_redrawn(modules: np.ndarray) -> str | None:
    """The text of a redrawn QR: decoded at the corners it was drawn at (no search, a
    quarter of the time), else looked for as in any picture."""
    picture = _redrawn(modules)
    low, high = 32, 32 + 8 * modules.shape[0]
    corners = np.array([[low, low], [high, low], [high, high], [low, high]], np.float32)
    return _decode(picture, corners) or _decode(picture)


def _best_grid(crop: np.ndarray, side: int) -> np.ndarray:
    """Each module's mean (its central 2 × 2 px) for the grid offset, of the (2·_REACH + 1)²
    tried at once, at which the modules every QR has fit best (light minus dark)."""
    # box[r, c]: the mean of crop[r : r + 2, c : c + 2].
    box = (crop[:-1, :-1] + crop[1:, :-1] + crop[:-1, 1:] + crop[1:, 1:]) / 4
    centres = np.arange(2 * _REACH + 1)[:, None] + 2 + _MODULE_PX * np.arange(side)[None, :]
    means = box[centres[:, None, :, None], centres[None, :, None, :]]  # dy, dx, row, column
    where, dark = _fixed(side)
    fits = means[:, :, where & ~dark].mean(axis=2) - means[:, :, where & dark].mean(axis=2)
    dy, dx = np.unravel_index(int(np.argmax(fits)), fits.shape)  # the first best, as a loop
    return np.asarray(means[dy, dx])


def _read_in_place(gray: np.ndarray, placement: Placement) -> str | None:
    """The QR where the layout prints it, its grid sampled module by module.

    OpenCV's detector gives up on a blurred or coarse scan of a 13 mm code; the reader
    knows where the code is and how large, so for each symbol size it moves a sampling grid
    until the modules every QR has (finders, timing) fit best, samples each module's
    centre, redraws the code crisp and decodes that.
    """
    x, y = ballot_marks.QR_AT
    for side in _SYMBOL_SIDES:
        scale = side * _MODULE_PX / ballot_marks.QR_SIZE
        margin = _REACH / scale
        area = (x - margin, y - margin, *(ballot_marks.QR_SIZE + 2 * margin,) * 2)
        crop = warp(gray, placement, area, scale).astype(np.float32)
        where, dark = _fixed(side)
        best = _best_grid(crop, side)
        # Halfway between the code's own dark and light fixed modules: its contrast.
        level = float(best[where & dark].mean() + best[where & ~dark].mean()) / 2
        text = _decode_redrawn(_with_format(best < level, best, level))
        if text is not None:
            return text
    return None


def read_qr(gray: np.ndarray, placement: Placement | None) -> str | None:
    """The text of the page's QR code: where the layout puts it, else anywhere in the picture."""
    if placement is not None:
        text = _read_in_place(gray, placement)
        if text is not None:
            return text
    factor = min(1.0, 2400 / max(gray.shape[:2]))
    small = gray if factor == 1.0 else cv2.resize(gray, None, fx=factor, fy=factor)
    return _decode(small)
