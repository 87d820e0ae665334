"""Opening a page of the app in Streamlit's AppTest, as the page tests share it."""

from __future__ import annotations

from pathlib import Path

from pin_gate import admin_gate_shown, gate_shown, unlock, unlock_admin
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(
    script: str,
    poll: int | str | list[str] | None = None,
    *,
    switch_to: str | None = None,
    pin: str | None = None,
    admin: bool = False,
) -> AppTest:
    """``script`` (a path from the project root) run once with ``?poll=`` when given.

    ``switch_to`` then opens another page through the router; ``pin`` is given to the
    board's PIN gate and ``admin`` passes the administrator's gate, when either is shown.
    """
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    if poll is not None:
        at.query_params["poll"] = poll if isinstance(poll, str | list) else str(poll)
    at.run()
    if switch_to is not None:
        at.switch_page(switch_to).run()
    if pin and gate_shown(at):
        at = unlock(at, pin)
    return unlock_admin(at) if admin and admin_gate_shown(at) else at
