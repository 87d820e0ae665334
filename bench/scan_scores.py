"""Every box score the reader gives on a fixed corpus, to compare a reader change against.

``python3 bench/scan_scores.py > before.txt``, change the reader, run it again and diff:
one line per page (its degradation, dpi, status and entry) and per row (its boxes'
stroke, ink and area, and whether the row was placed). A speed change to the reader must
leave every line as it was, or say in its commit which moved and why no decision did.
Not timed and not part of the bench's figures; the pages are the slow corpus test's
(tests/test_scanning_corpus.py): every degradation twice at 150 and 200 dpi.
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from scan_corpus import DEGRADATIONS, degrade, mark_page, random_choices, render, truth
from test_documents_ballots import council

from tinnhiem.documents import ballot_layout, ballots_pdf
from tinnhiem.scanning import expected_for, marks, read_page


def main() -> None:
    poll = council(30)
    pdf = ballots_pdf(poll)
    rows = ballot_layout(poll)["pages"][0]["rows"]
    expected = expected_for(poll)
    scored: list[str] = []
    real = marks.score_row

    def logged(*args: object, **kwargs: object) -> tuple[list[marks.BoxScore], bool]:
        scores, placed = real(*args, **kwargs)
        scored.append(f"  {placed:d} " + " ".join(f"{s.stroke}/{s.ink}/{s.area}" for s in scores))
        return scores, placed

    with mock.patch.object(marks, "score_row", logged):
        for dpi in (150, 200):
            page = render(pdf, dpi)[0]
            rng = np.random.default_rng(dpi)
            for how in DEGRADATIONS * 2:
                choices = random_choices(3, len(rows), rng)
                picture = degrade(mark_page(page, rows, choices, dpi, rng), how, rng)
                scored.clear()
                reading = read_page(picture, expected)
                print(f"{how} {dpi} {reading.status} {reading.entry} (meant {truth(choices)})")
                print("\n".join(scored))


if __name__ == "__main__":
    main()
