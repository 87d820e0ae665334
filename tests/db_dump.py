"""Helper shared by the store tests: a database file's whole content, to compare."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL text, read through a connection of the test's own."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
