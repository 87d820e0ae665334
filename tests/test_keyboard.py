"""tinnhiem.ui.keyboard: the ballot keyboard mounts without network and hands over its queue."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tinnhiem.ui import keyboard


def _script() -> None:
    import streamlit as st

    from tinnhiem.ui import keyboard

    data = {
        "names": ["Người thứ nhất"],
        "words": {"1": "Tín nhiệm cao"},
        "invalid_word": "Cả phiếu không hợp lệ",
        "placeholder": "Gõ",
        "acked": {},
    }
    keyboard.ballot_keyboard("kb", data, on_queue=lambda: None)
    st.text(repr(keyboard.queue_of("kb")))


def test_the_keyboard_hands_over_the_queue_it_was_sent() -> None:
    """What the browser sent as the keyboard's queue is what queue_of returns."""
    at = AppTest.from_function(_script, default_timeout=60).run()
    assert at.text[0].value == "None"
    queue = {"client": "c1", "items": [{"seq": 1, "line": "1"}]}
    at.session_state["kb"] = {"queue": queue}
    at.run()
    assert at.text[0].value == repr(queue)
    assert len(at.get("bidi_component")) == 1


def test_the_component_code_fetches_nothing() -> None:
    """The component's HTML, CSS and JavaScript load no URL and write no markup from data."""
    code = keyboard._HTML + keyboard._CSS + keyboard._JS
    for needle in ("http:", "https:", "//cdn", "import(", "fetch(", "innerHTML", "@import"):
        assert needle not in code
