"""The tests' cheap PIN hash (tests/conftest.py) stays inside the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pin_gate import CHEAP_SCHEME

from tinnhiem.storage import Store, access


def test_tests_hash_pins_cheaply_and_still_check_them(tmp_path) -> None:
    """Inside a test the stored scheme is the cheap one, and the PIN still checks out."""
    store = Store(tmp_path / "t.db")
    poll_id = store.create_demo(pin="2468")
    assert access.SCHEME == CHEAP_SCHEME
    assert store.check_pin(poll_id, "2468") and not store.check_pin(poll_id, "2469")


@pytest.mark.real_pin_cost
def test_a_marked_test_gets_the_production_cost() -> None:
    """A test marked real_pin_cost sees scrypt at n=2**14, r=8, p=1."""
    assert access.SCHEME == "scrypt:16384:8:1"


def test_a_process_outside_the_tests_uses_the_production_cost() -> None:
    """A fresh Python (as a server the tests start, or a real run) hashes at n=2**14."""
    run = subprocess.run(
        [sys.executable, "-c", "from tinnhiem.storage import access; print(access.SCHEME)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "scrypt:16384:8:1"
