"""Fixtures the page tests share: a fresh database whose first start is done."""

from __future__ import annotations

from pathlib import Path

import pytest
from pin_gate import ADMIN_PIN

from tinnhiem.storage import Store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store on a fresh database (the administrator's PIN set) that the pages open
    through TINNHIEM_DB; a test module with its own ``store`` fixture uses that one."""
    path = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(path))
    store = Store(path)
    store.set_admin_pin(ADMIN_PIN)
    return store
