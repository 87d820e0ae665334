"""tinnhiem.ui.labels: the Vietnamese words for the core's codes, and safe Markdown."""

from __future__ import annotations

import pytest

from tinnhiem.model import Kind
from tinnhiem.storage import BallotRefused, SetupInvalid
from tinnhiem.ui import labels
from tinnhiem.validation import Problem


@pytest.mark.parametrize(
    ("kind", "digit", "words"),
    [
        (Kind.POLL, "1", "Tín nhiệm cao"),
        (Kind.POLL, "2", "Tín nhiệm"),
        (Kind.POLL, "3", "Tín nhiệm thấp"),
        (Kind.POLL, "0", "Không hợp lệ / để trống"),
        (Kind.VOTE, "1", "Tín nhiệm"),
        (Kind.VOTE, "2", "Không tín nhiệm"),
        (Kind.VOTE, "3", "Không hợp lệ / để trống"),
    ],
)
def test_each_typed_digit_has_its_words(kind, digit, words) -> None:
    """A digit reads as the level of its kind; anything else as a blank or invalid row."""
    assert labels.level_words(kind, digit) == words


def test_bands_have_words_only_when_there_is_one() -> None:
    """No band reads as nothing; the others as the thresholds people say."""
    assert labels.band_words(Kind.POLL, "none") == ""
    assert labels.band_words(Kind.POLL, "two_thirds") == "Từ 2/3 tín nhiệm thấp"
    assert labels.band_words(Kind.VOTE, "over_half") == "Quá nửa không tín nhiệm"


def test_dates_are_written_day_first() -> None:
    """An ISO date reads dd/mm/yyyy; an unknown date reads as nothing."""
    assert labels.vi_date("2023-12-13") == "13/12/2023"
    assert labels.vi_date(None) == ""


def test_markdown_in_typed_text_is_neutralised() -> None:
    """Emphasis, links and HTML brackets typed by a person are escaped, letters untouched."""
    assert labels.md_escape("**Bích** [x](y) <b>") == "\\*\\*Bích\\*\\* \\[x\\]\\(y\\) \\<b\\>"


def test_a_refusal_reads_as_its_sentences() -> None:
    """A setup refusal shows its problems' sentences, without the field names."""
    error = SetupInvalid([Problem("C04", "ballots.collected", "thu về nhiều hơn phát ra.")])
    assert labels.refusal(error) == "thu về nhiều hơn phát ra\\."  # Markdown-safe: escaped
    assert labels.refusal(BallotRefused("Đã đủ 3 phiếu.")) == "Đã đủ 3 phiếu\\."
