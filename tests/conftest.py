"""Shared test fixtures. Keep this file small; add fixtures at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["browser_support"]  # the live server and Chromium fixtures

POLLS = Path(__file__).parent / "data" / "polls"


@pytest.fixture
def polls_dir() -> Path:
    """The directory of small poll files, one per edge case (tests/data/polls)."""
    return POLLS
