"""Helpers shared by the page tests: the board's PIN and the gate that asks for it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PIN = "2468"


def gate_shown(at: AppTest) -> bool:
    """True when the page shows the PIN field of the counting board's gate."""
    return any(t.key == "access.pin" for t in at.text_input)


def unlock(at: AppTest, pin: str = PIN) -> AppTest:
    """Type ``pin`` into the gate and press “Mở khóa”, as a board member would."""
    at.text_input(key="access.pin").input(pin)
    next(b for b in at.button if b.label == "Mở khóa").click()
    return at.run()
