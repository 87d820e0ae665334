"""tinnhiem.ui.markup: text a person typed, made safe for Streamlit's Markdown."""

from __future__ import annotations

from tinnhiem.storage import BallotRefused, SetupInvalid
from tinnhiem.ui import markup
from tinnhiem.validation import Problem


def test_markdown_in_typed_text_is_neutralised() -> None:
    """Emphasis, links and HTML brackets typed by a person are escaped, letters untouched."""
    assert markup.md_escape("**Bích** [x](y) <b>") == "\\*\\*Bích\\*\\* \\[x\\]\\(y\\) \\<b\\>"


def test_a_refusal_reads_as_its_sentences() -> None:
    """A setup refusal shows its problems' sentences, without the field names."""
    error = SetupInvalid([Problem("C04", "ballots.collected", "thu về nhiều hơn phát ra.")])
    assert markup.refusal(error) == "thu về nhiều hơn phát ra\\."  # Markdown-safe: escaped
    assert markup.refusal(BallotRefused("Đã đủ 3 phiếu.")) == "Đã đủ 3 phiếu\\."
