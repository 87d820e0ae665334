"""Helpers shared by the page tests: the board's PIN and the gate that asks for it."""

from __future__ import annotations

from browser_support import ADMIN_PIN  # one administrator's PIN for every test
from streamlit.testing.v1 import AppTest

PIN = "2468"
CHEAP_SCHEME = "scrypt:16:8:1"  # the tests' PIN hash (tests/conftest.py puts it in place)
__all__ = [
    "ADMIN_PIN",
    "CHEAP_SCHEME",
    "PIN",
    "admin_gate_shown",
    "gate_shown",
    "unlock",
    "unlock_admin",
]


def gate_shown(at: AppTest) -> bool:
    """True when the page shows the PIN field of the counting board's gate."""
    return any(t.key == "access.pin" for t in at.text_input)


def unlock(at: AppTest, pin: str = PIN) -> AppTest:
    """Type ``pin`` into the gate and press “Mở khóa”, as a board member would."""
    at.text_input(key="access.pin").input(pin)
    next(b for b in at.button if b.label == "Mở khóa").click()
    return at.run()


def admin_gate_shown(at: AppTest) -> bool:
    """True when the page asks for the administrator's PIN (creating or importing a poll)."""
    return any(t.key == "access.admin.pin" for t in at.text_input)


def unlock_admin(at: AppTest, pin: str = ADMIN_PIN) -> AppTest:
    """Type the administrator's PIN and press “Mở quyền quản trị”."""
    at.text_input(key="access.admin.pin").input(pin)
    next(b for b in at.button if b.label == "Mở quyền quản trị").click()
    return at.run()
