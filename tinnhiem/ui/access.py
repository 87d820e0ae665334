"""The counting board's PIN gate, shared by every page that changes a poll.

A browser session that gave the right PIN for a poll is remembered in ``st.session_state``
for that poll only: another poll, a new tab or a reloaded page asks again. The PIN itself
is never kept; the store checks it (slow hash, wrong attempts limited in the file).
A poll without a PIN (imported, or made by an older version) asks the board to set one
before anything can change. The demo poll of the first start carries ``DEMO_PIN``, shown
in the sidebar for the demo only.
"""

from __future__ import annotations

import streamlit as st

from tinnhiem import storage
from tinnhiem.demo import DEMO_PIN
from tinnhiem.ui import labels

DEMO_ACTOR = "minh họa"
__all__ = [
    "DEMO_ACTOR",
    "DEMO_PIN",
    "WRONG_PIN",
    "forget",
    "is_demo",
    "new_pin",
    "new_pin_fields",
    "remember",
    "require_pin",
    "unlocked",
]
WRONG_PIN = "Mã PIN không đúng."
_UNLOCKED = "tinnhiem.access.unlocked"
_REFUSAL = "tinnhiem.access.refusal"


def unlocked(poll_id: int) -> bool:
    """True when this browser session gave the PIN of ``poll_id``."""
    return poll_id in st.session_state.get(_UNLOCKED, ())


def remember(poll_id: int) -> None:
    """Remember that this session may change ``poll_id`` (it gave or just set the PIN)."""
    st.session_state[_UNLOCKED] = {*st.session_state.get(_UNLOCKED, ()), poll_id}


def forget(poll_id: int) -> None:
    """Make this session ask for the PIN of ``poll_id`` again."""
    st.session_state[_UNLOCKED] = set(st.session_state.get(_UNLOCKED, ())) - {poll_id}


def _show_refusal(poll_id: int) -> None:
    refusal = st.session_state.pop(_REFUSAL, None)
    if refusal and refusal[0] == poll_id:
        st.error(labels.md_escape(refusal[1]), icon=":material/lock:")


def _refuse(poll_id: int, message: str) -> None:
    st.session_state[_REFUSAL] = (poll_id, message)
    st.rerun()


def _set_pin_form(store: storage.Store, poll_id: int) -> None:
    st.warning(
        "Cuộc kiểm phiếu này chưa có mã PIN. Ban kiểm phiếu đặt mã PIN (4–12 chữ số) trước "
        "khi thiết lập, nhập phiếu hay khóa kết quả; chỉ người biết mã mới sửa được.",
        icon=":material/key:",
    )
    with st.form(f"access.set.{poll_id}"):
        first = st.text_input("Mã PIN mới (4–12 chữ số)", type="password", key="access.new")
        second = st.text_input("Nhập lại mã PIN", type="password", key="access.again")
        submitted = st.form_submit_button("Đặt mã PIN", type="primary")
    _show_refusal(poll_id)
    if not submitted:
        return
    if first != second:
        _refuse(poll_id, "Hai lần nhập mã PIN không khớp nhau.")
    try:
        store.set_pin(poll_id, first, actor="ban kiểm phiếu")
    except storage.StoreError as error:
        _refuse(poll_id, str(error))
    remember(poll_id)
    st.rerun()


def _pin_form(store: storage.Store, poll_id: int) -> None:
    st.info(
        "Trang này chỉ dành cho ban kiểm phiếu. Nhập mã PIN của cuộc kiểm phiếu để tiếp tục "
        "(trang Trình chiếu thì ai cũng xem được).",
        icon=":material/lock:",
    )
    with st.form(f"access.check.{poll_id}"):
        pin = st.text_input("Mã PIN của ban kiểm phiếu", type="password", key="access.pin")
        submitted = st.form_submit_button("Mở khóa", type="primary")
    _show_refusal(poll_id)
    if not submitted:
        return
    try:
        right = store.check_pin(poll_id, pin)
    except storage.PinLocked as error:
        _refuse(poll_id, f"{WRONG_PIN} {error}")
    if not right:
        _refuse(poll_id, f"{WRONG_PIN} Kiểm tra lại với trưởng ban kiểm phiếu.")
    remember(poll_id)
    st.rerun()


def require_pin(store: storage.Store, poll_id: int) -> bool:
    """True when this session may change ``poll_id``; otherwise shows the PIN field (or, for
    a poll without a PIN, the form that sets one) and returns False: the page then stops."""
    if unlocked(poll_id):
        return True
    if store.has_pin(poll_id):
        _pin_form(store, poll_id)
    else:
        _set_pin_form(store, poll_id)
    return False


def is_demo(store: storage.Store, poll_id: int) -> bool:
    """True for the first-start demo whose PIN is still ``DEMO_PIN`` (never changed)."""
    log = store.audit_log(poll_id)
    pins_set = [e for e in log if e.action == "pin_set"]
    return (
        bool(log)
        and log[0].actor == DEMO_ACTOR
        and len(pins_set) == 1
        and pins_set[0].actor == DEMO_ACTOR
    )


def pin_input(where, label: str, key: str) -> str:
    """A password field that keeps what is typed even when it is never committed by hand.

    Streamlit commits a text field on Enter or when the focus leaves the widget; Tab out of
    a password field lands on its own "show" button, still inside the widget, so nothing is
    committed and a button pressed next read an empty PIN although the field showed it.
    ``live`` commits after a short pause (and before any other widget's rerun), and
    ``on_change="ignore"`` keeps typing from rerunning the page.
    """
    return where.text_input(label, type="password", key=key, live=True, on_change="ignore")


def new_pin_fields(prefix: str) -> None:
    """The board's PIN for a new poll, typed twice (it guards setup, counting and locking)."""
    st.caption(
        "Mã PIN (4–12 chữ số) bảo vệ việc thiết lập, nhập phiếu, hủy phiếu và khóa kết quả; "
        "trang Trình chiếu không cần mã. Hãy ghi nhớ: không có cách xem lại mã PIN."
    )
    first, second = st.columns(2)
    pin_input(first, "Mã PIN của ban kiểm phiếu", prefix + "pin")
    pin_input(second, "Nhập lại mã PIN", prefix + "pin_again")


def new_pin(prefix: str) -> str:
    """The PIN typed twice in ``new_pin_fields``; StoreError (Vietnamese) when missing or the
    two differ (its format is checked by the store)."""
    first = st.session_state.get(prefix + "pin", "")
    again = st.session_state.get(prefix + "pin_again", "")
    if not first:
        raise storage.StoreError("Chưa đặt mã PIN cho ban kiểm phiếu (mục 1).")
    if first != again:
        raise storage.StoreError("Hai lần nhập mã PIN không khớp nhau (mục 1).")
    return first
