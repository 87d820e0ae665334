"""Shared test fixtures. Keep this file small; add fixtures at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from pin_gate import CHEAP_SCHEME

from tinnhiem.storage import access

pytest_plugins = ["browser_support"]  # the live server and Chromium fixtures

POLLS = Path(__file__).parent / "data" / "polls"

# scrypt at n=16 instead of 2**14 (pin_gate.CHEAP_SCHEME): a PIN costs microseconds, not
# ~90 ms. Only this process's tests get it, through monkeypatch (undone after each test);
# servers the tests start and every real run use access.SCHEME as written
# (tests/test_pin_cost.py checks both).


@pytest.fixture(autouse=True)
def cheap_pin_hash(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash PINs cheaply in this test unless it is marked ``real_pin_cost``."""
    if request.node.get_closest_marker("real_pin_cost") is None:
        monkeypatch.setattr(access, "SCHEME", CHEAP_SCHEME)


@pytest.fixture
def polls_dir() -> Path:
    """The directory of small poll files, one per edge case (tests/data/polls)."""
    return POLLS


def _weight(item: pytest.Item) -> int:
    """0 for a slow test, 1 for a browser test, 2 for the rest."""
    if item.get_closest_marker("slow"):
        return 0
    return 1 if item.get_closest_marker("browser") else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding slow or browser tests run first, the slowest kind first, each module's
    tests together and in their order (module fixtures are made once): with xdist's
    ``worksteal`` the seconds-long tests start early and the quick ones fill the other
    worker, so no core waits alone at the end of a run for a long test started late."""
    weight: dict[object, int] = {}
    for item in items:
        weight[item.path] = min(weight.get(item.path, 2), _weight(item))
    items.sort(key=lambda item: weight[item.path])
