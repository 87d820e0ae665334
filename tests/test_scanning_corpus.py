"""The reader on a larger synthetic corpus: every mark kind under every degradation, counted.

Slow (half a minute to a minute): 30-official ballots at 150 and 200 dpi, each degradation of
scan_corpus on pages of random marks. The figures are printed (``-s``) and kept in
docs/scanning.md; the promise is asserted: no row is ever given a wrong character.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scan_corpus import DEGRADATIONS, degrade, mark_page, random_choices, render, truth
from test_documents_ballots import council

from tinnhiem.documents import ballot_layout, ballots_pdf
from tinnhiem.scanning import expected_for, read_page

PHOTO = {"photo"}


@pytest.mark.slow
def test_a_corpus_of_varied_marks_and_degradations_has_no_wrong_row():
    """Over 1000 rows of crosses, ticks, fills, pencil, scribbles, blanks and double marks,
    turned, scaled, blurred, compressed, noisy, shadowed and photographed: every page is
    located, no row is wrong, and at most 2 % of scanned rows (5 % of photographed ones)
    go to a person."""
    poll = council(30)
    pdf = ballots_pdf(poll)
    rows = ballot_layout(poll)["pages"][0]["rows"]
    expected = expected_for(poll)
    counts: Counter[str] = Counter()
    for dpi in (150, 200):
        page = render(pdf, dpi)[0]
        rng = np.random.default_rng(dpi)
        for how in DEGRADATIONS * 2:
            choices = random_choices(3, len(rows), rng)
            picture = degrade(mark_page(page, rows, choices, dpi, rng), how, rng)
            reading = read_page(picture, expected)
            kind = "photo" if how in PHOTO else "scan"
            counts[f"{kind} pages"] += 1
            if reading.status != "read":
                counts[f"{kind} pages not located"] += 1
                continue
            for seen, meant in zip(reading.entry, truth(choices), strict=True):
                counts[f"{kind} rows"] += 1
                counts[
                    f"{kind} rows "
                    + ("read" if seen == meant else "doubtful" if seen == "?" else "wrong")
                ] += 1
    print(dict(sorted(counts.items())))
    assert counts["scan rows"] + counts["photo rows"] >= 1000
    assert counts["scan rows wrong"] == counts["photo rows wrong"] == 0
    assert counts["scan pages not located"] == counts["photo pages not located"] == 0
    assert counts["scan rows doubtful"] * 50 <= counts["scan rows"]
    assert counts["photo rows doubtful"] * 20 <= counts["photo rows"]
