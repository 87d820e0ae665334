"""The same poll gives the same bytes: every document is reproducible."""

from __future__ import annotations

import pytest

from tinnhiem import documents
from tinnhiem.demo import demo_poll

MAKERS = {
    "minutes_pdf": lambda poll: documents.minutes_pdf(poll),
    "minutes_docx": lambda poll: documents.minutes_docx(poll),
    "resolution_docx": lambda poll: documents.resolution_docx(poll),
    "ballots_pdf": lambda poll: documents.ballots_pdf(poll, copies=3, serial=True),
    "results_xlsx": lambda poll: documents.results_xlsx(poll),
    "results_csv": lambda poll: documents.results_csv(poll),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_same_input_gives_byte_identical_output(name):
    """Two documents made from two equal copies of one poll are byte for byte the same."""
    first = MAKERS[name](demo_poll(None))
    second = MAKERS[name](demo_poll(None))
    assert first and first == second
