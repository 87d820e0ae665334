"""The demo flag is stored on the poll's row: set for the demo made with DEMO_PIN, cleared
when its PIN changes, derived once from the audit log for files made before it existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tinnhiem.demo import DEMO_PIN, demo_poll
from tinnhiem.storage import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "t.db")


def test_the_first_start_demo_with_the_demo_pin_is_the_demo(store) -> None:
    """ensure_demo(pin=DEMO_PIN) makes a poll is_demo says is the demo; no other poll is."""
    demo = store.ensure_demo(pin=DEMO_PIN)
    assert demo is not None and store.is_demo(demo)
    other = store.create_poll(demo_poll(entered=None), actor="minh họa", pin=DEMO_PIN)
    assert not store.is_demo(other)  # made like a demo, but by the setup page
    assert not store.is_demo(store.create_demo())  # no PIN: nothing to show
    assert not store.is_demo(store.create_demo(pin="98765"))  # the sidebar would lie
    assert not store.is_demo(999)


def test_changing_the_demo_pin_ends_the_demo_hint(store) -> None:
    """Once the board sets another PIN, the demo PIN is no longer shown (is_demo False)."""
    demo = store.create_demo(pin=DEMO_PIN)
    store.set_pin(demo, "24680")
    assert not store.is_demo(demo)
    store.set_pin(demo, DEMO_PIN)  # set again by hand: still not the untouched demo
    assert not store.is_demo(demo)
    assert store.verify(demo).ok


def test_a_file_made_before_the_flag_gets_it_from_its_audit_log(store) -> None:
    """Migration 0008 marks exactly the polls the audit log shows as the untouched demo
    (made by 'minh họa', one PIN set by 'minh họa'), locked ones included."""
    demo = store.create_demo(pin=DEMO_PIN)
    changed = store.create_demo(pin=DEMO_PIN)
    store.set_pin(changed, "24680")
    plain = store.create_poll(demo_poll(entered=None), pin="13579")
    locked = store.create_demo(pin=DEMO_PIN)
    store.close_count(locked, reason="minh họa")
    store.lock(locked)
    store.close()
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("ALTER TABLE polls DROP COLUMN demo")  # the file as 0007 left it
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0008_demo_flag'")
    conn.execute("DROP TABLE backup_folders")  # and what later migrations made
    conn.execute("DROP TABLE rule_sets")
    conn.execute("ALTER TABLE polls DROP COLUMN rule_set")
    conn.execute("DROP INDEX polls_by_uid")
    for table, column in (("polls", "uid"), ("polls", "point"), ("officials", "person")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table in ("scan_images", "decisions", "pass_ballots", "pass_ends", "passes", "stacks"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE polls DROP COLUMN passes_required")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name > '0008_demo_flag'")
    conn.close()
    again = Store(store.path)
    assert [again.is_demo(p) for p in (demo, changed, plain, locked)] == [
        True,
        False,
        False,
        True,
    ]
    assert again.verify().ok
