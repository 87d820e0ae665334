"""The scanned-ballot reader's speed (issue 11): pages read per second on one core at 200 dpi.

A few 30-official ballot pages are printed by ``documents.ballots_pdf``, rendered at 200 dpi,
marked and saved as PNG and JPEG files at bench time with the test corpus's own helpers
(tests/scan_corpus.py). One sample is what ``tinnhiem scan`` does with one page file:
``open_pages`` (decode) then ``read_page`` (locate the markers, read the QR, score every
box). Baseline, timed alternately in the same loop: ``cv2.imdecode`` of the same file
alone. OpenCV is held to one thread while timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import fixtures
import numpy as np
from stats import percentile, timed_ms, timing

from tinnhiem.documents import ballot_layout, ballots_pdf
from tinnhiem.scanning import expected_for, open_pages, read_page

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from scan_corpus import mark_page, random_choices, render, truth  # the test corpus, not a copy

DPI = 200
PAGES = 4  # distinct marked pages, half PNG and half JPEG, read in turn
TARGET_PAGES_PER_S = 10


def _page_files(width: int, seed: int) -> tuple[list[bytes], list[str], object]:
    """``PAGES`` marked ballot pages as image files, the entries they carry, the reader's
    expectation of that poll."""
    poll = fixtures.poll(0, width, headroom=PAGES)
    pictures = render(ballots_pdf(poll, copies=PAGES, serial=True), DPI)
    rows = ballot_layout(poll, serial=True)["pages"][0]["rows"]
    rng = np.random.default_rng(seed)
    files, entries = [], []
    for number, picture in enumerate(pictures):
        choices = random_choices(3, len(rows), rng)
        marked = mark_page(picture, rows, choices, DPI, rng)
        if number % 2:
            ok, data = cv2.imencode(".jpg", marked, [cv2.IMWRITE_JPEG_QUALITY, 85])
        else:
            ok, data = cv2.imencode(".png", marked)
        if not ok:
            raise AssertionError("could not encode a page")
        files.append(data.tobytes())
        entries.append(truth(choices))
    return files, entries, expected_for(poll)


def scan_pages(name: str, width: int, reps: int) -> dict:
    """scan_pages_200dpi: one page file → its reading (decode + locate + read), against
    ``cv2.imdecode`` of the same file; ``value`` is pages per second (p50)."""
    files, entries, expected = _page_files(width, seed=fixtures.SEED)

    def read(raw: bytes) -> str | None:
        return read_page(open_pages(raw)[0], expected).entry  # type: ignore[arg-type]

    for raw, entry in zip(files, entries, strict=True):
        if read(raw) != entry:
            raise AssertionError(f"a bench page was misread: {read(raw)} for {entry}")
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    measured, baseline = [], []
    try:
        for rep in range(reps):
            raw = files[rep % len(files)]
            buffer = np.frombuffer(raw, dtype=np.uint8)
            measured.append(timed_ms(lambda raw=raw: read(raw)))
            baseline.append(timed_ms(lambda b=buffer: cv2.imdecode(b, cv2.IMREAD_GRAYSCALE)))
    finally:
        cv2.setNumThreads(threads)
    row = timing(name, measured, pages=len(files), officials=width, dpi=DPI, threads=1)
    base = percentile(baseline, 50)
    pages_per_s = 1000 / row["p50_ms"] if row["p50_ms"] > 0 else float("inf")
    return {
        **row,
        "value": round(pages_per_s, 1),
        "unit": "pages/s",
        "baseline_p50_ms": round(base, 2),
        "ratio": round(row["p50_ms"] / base, 2) if base > 0 else float("inf"),
        "target": TARGET_PAGES_PER_S,
        "met": pages_per_s >= TARGET_PAGES_PER_S,
    }
