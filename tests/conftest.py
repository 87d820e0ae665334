"""Shared test fixtures. Keep this file small; add fixtures at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

POLLS = Path(__file__).parent / "data" / "polls"


@pytest.fixture
def polls_dir() -> Path:
    """The directory of small poll files, one per edge case (tests/data/polls)."""
    return POLLS
