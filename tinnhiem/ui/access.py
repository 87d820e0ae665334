"""The PIN gates: the counting board's of each poll, and the administrator's.

A browser session that gave the right PIN for a poll is remembered in ``st.session_state``
for that poll only, with the board member it named: another poll, a new tab or a reloaded
page asks again. The PIN itself is never kept; the store checks it (slow hash, guesses
limited per client — the browser's address as Streamlit sees it — in the file). Creating
or importing a poll needs the administrator's PIN, set on the first-start screen.
A poll without a PIN (imported, or made by an older version) asks the board to set one
before anything can change. The demo poll of the first start carries ``DEMO_PIN``, shown
in the sidebar for the demo only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from tinnhiem import storage
from tinnhiem.demo import DEMO_PIN
from tinnhiem.model import Poll, State
from tinnhiem.ui import markup, state

T = TypeVar("T")

DEMO_ACTOR = storage.access.DEMO_ACTOR
__all__ = [
    "DEMO_ACTOR",
    "DEMO_PIN",
    "WRONG_PIN",
    "current_member",
    "first_start",
    "forget",
    "is_demo",
    "new_pin",
    "new_pin_fields",
    "remember",
    "require_admin",
    "require_pin",
    "signed",
    "unlocked",
]
WRONG_PIN = "Mã PIN không đúng."
_UNLOCKED = "tinnhiem.access.unlocked"
_MEMBERS = "tinnhiem.access.members"
_ADMIN = "tinnhiem.access.admin"
_CLIENT = "tinnhiem.access.client"
_REFUSAL = "tinnhiem.access.refusal"


def client() -> str:
    """Who is guessing, for the store's limits: the browser's address when Streamlit knows
    it, else this browser session (a new one per tab)."""
    try:
        address = st.context.ip_address
    except Exception:  # no script context (tests driving widgets directly)
        address = None
    if isinstance(address, str) and address:
        return address
    if _CLIENT not in st.session_state:
        st.session_state[_CLIENT] = "phiên " + uuid.uuid4().hex[:8]
    return st.session_state[_CLIENT]


def unlocked(poll_id: int) -> bool:
    """True when this browser session gave the PIN of ``poll_id``."""
    return poll_id in st.session_state.get(_UNLOCKED, ())


def remember(poll_id: int, member: str = "") -> None:
    """Remember that this session may change ``poll_id`` (it gave or just set the PIN), and
    the board member who works in it."""
    st.session_state[_UNLOCKED] = {*st.session_state.get(_UNLOCKED, ()), poll_id}
    st.session_state[_MEMBERS] = {**st.session_state.get(_MEMBERS, {}), poll_id: member}


def current_member(poll_id: int) -> str:
    """The board member this tab named at the PIN gate of ``poll_id`` ("" when none): the
    person recorded as entering, voiding or correcting ballots."""
    return st.session_state.get(_MEMBERS, {}).get(poll_id, "")


def forget(poll_id: int) -> None:
    """Make this session ask for the PIN of ``poll_id`` again."""
    st.session_state[_UNLOCKED] = set(st.session_state.get(_UNLOCKED, ())) - {poll_id}


def _show_refusal(poll_id: int) -> None:
    refusal = st.session_state.pop(_REFUSAL, None)
    if refusal and refusal[0] == poll_id:
        st.error(markup.md_escape(refusal[1]), icon=":material/lock:")


def _refuse(poll_id: int, message: str) -> None:
    st.session_state[_REFUSAL] = (poll_id, message)
    st.rerun()


def signed(poll_id: int, label: str) -> str:
    """What a ballot records as entered by: the person named at the gate; ``label`` (the
    keyboard line) only when nobody was named. The keyboard and line travel in the ballot's
    own source columns, which decide exactly-once."""
    return current_member(poll_id) or label


def _member_field(store: storage.Store, poll_id: int) -> None:
    """Who works in this tab: one of the poll's board, or a name when it has no board yet."""
    board = [b.name for b in store.get_poll(poll_id, with_entries=False).board if b.name]
    if board:
        st.selectbox("Người làm việc ở máy này (ban kiểm phiếu)", board, key="access.member")
    else:
        st.text_input("Họ tên người làm việc ở máy này", key="access.member", max_chars=120)


def _member() -> str:
    return str(st.session_state.get("access.member") or "").strip()


def _form(
    store: storage.Store, poll_id: int, key: str, fields: Callable[[], T], button: str
) -> T | None:
    """A PIN form: its ``fields``, who works at this machine, and its button; what the
    fields gave once the button is pressed, else None. The last refusal shows under it."""
    with st.form(key):
        given = fields()
        _member_field(store, poll_id)
        submitted = st.form_submit_button(button, type="primary")
    _show_refusal(poll_id)
    return given if submitted else None


def _set_pin_form(store: storage.Store, poll_id: int) -> None:
    if storage.access.lan_mode() and not require_admin(store):
        return  # on the network, a poll without a PIN is not for the first comer to claim
    st.warning(
        f"Cuộc kiểm phiếu này chưa có mã PIN. Ban kiểm phiếu đặt mã PIN "
        f"({storage.access.min_digits()}–12 chữ số) trước "
        "khi thiết lập, nhập phiếu hay khóa kết quả; chỉ người biết mã mới sửa được.",
        icon=":material/key:",
    )
    typed = _form(
        store,
        poll_id,
        f"access.set.{poll_id}",
        lambda: (
            st.text_input("Mã PIN mới", type="password", key="access.new"),
            st.text_input("Nhập lại mã PIN", type="password", key="access.again"),
        ),
        "Đặt mã PIN",
    )
    if typed is None:
        return
    first, second = typed
    if first != second:
        _refuse(poll_id, "Hai lần nhập mã PIN không khớp nhau.")
    try:
        store.set_pin(poll_id, first, actor=_member() or "ban kiểm phiếu")
    except storage.StoreError as error:
        _refuse(poll_id, str(error))
    remember(poll_id, _member())
    st.rerun()


def _pin_form(store: storage.Store, poll_id: int) -> None:
    st.info(
        "Trang này chỉ dành cho ban kiểm phiếu. Nhập mã PIN của cuộc kiểm phiếu để tiếp tục "
        "(trang Trình chiếu thì ai cũng xem được).",
        icon=":material/lock:",
    )
    pin = _form(
        store,
        poll_id,
        f"access.check.{poll_id}",
        lambda: st.text_input("Mã PIN của ban kiểm phiếu", type="password", key="access.pin"),
        "Mở khóa",
    )
    if pin is None:
        return
    try:
        right = store.check_pin(poll_id, pin, client=client())
    except storage.PinLocked as error:
        _refuse(poll_id, f"{WRONG_PIN} {error}")
    if not right:
        _refuse(poll_id, f"{WRONG_PIN} Kiểm tra lại với trưởng ban kiểm phiếu.")
    remember(poll_id, _member())
    st.rerun()


def _ask_member(store: storage.Store, poll_id: int, shown: tuple[Poll, str] | None) -> bool:
    """While counting, a tab unlocked without naming its member (it created the poll) names
    one before ballots are typed; True when none is needed. ``shown``: the setting and state
    the page read in this run, else they are read now."""
    poll, state = shown or (None, store.state(poll_id))
    if state != State.COUNTING:
        return True
    if not (poll or store.get_poll(poll_id, with_entries=False)).board:
        return True
    with st.form(f"access.member.{poll_id}"):
        _member_field(store, poll_id)
        submitted = st.form_submit_button("Bắt đầu", type="primary")
    if submitted and _member():
        remember(poll_id, _member())
        st.rerun()
    return False


def require_pin(store: storage.Store, poll_id: int, shown: tuple[Poll, str] | None = None) -> bool:
    """True when this session may change ``poll_id``; otherwise shows the PIN field (or, for
    a poll without a PIN, the form that sets one) and returns False: the page then stops.
    ``shown``: the poll's setting and state as the page read them in this run (not read
    again)."""
    if unlocked(poll_id):
        return bool(current_member(poll_id)) or _ask_member(store, poll_id, shown)
    if store.has_pin(poll_id):
        _pin_form(store, poll_id)
    else:
        _set_pin_form(store, poll_id)
    return False


def is_demo(store: storage.Store, poll_id: int) -> bool:
    """True for the first-start demo whose PIN is still ``DEMO_PIN`` (never changed)."""
    return store.is_demo(poll_id)


# -- the administrator ---------------------------------------------------------------------

_ADMIN_KEY = -1  # the refusal slot of the administrator's gate


def _admin_set_form(store: storage.Store) -> None:
    with st.form("access.admin.set"):
        first = st.text_input("Mã quản trị", type="password", key="access.admin.new")
        second = st.text_input("Nhập lại mã quản trị", type="password", key="access.admin.again")
        submitted = st.form_submit_button("Đặt mã quản trị", type="primary")
    _show_refusal(_ADMIN_KEY)
    if not submitted:
        return
    if not first:
        _refuse(_ADMIN_KEY, "Chưa nhập mã quản trị.")
    if first != second:
        _refuse(_ADMIN_KEY, "Hai lần nhập mã quản trị không khớp nhau.")
    try:
        store.set_admin_pin(first)
    except storage.StoreError as error:
        _refuse(_ADMIN_KEY, str(error))
    st.session_state[_ADMIN] = True
    st.rerun()


def note_serving_mode() -> None:
    """Tell the store whether this server listens beyond this machine (``--lan``): every
    PIN set then needs LAN_MIN_DIGITS digits."""
    address = str(st.get_option("server.address") or "")
    lan = not storage.access.is_loopback(address)  # unset: Streamlit listens everywhere
    os.environ["TINNHIEM_LAN"] = "1" if lan else "0"


def first_start(store: storage.Store) -> bool:
    """True once the administrator's PIN is set; before, shows the first-start screen that
    asks for it twice and returns False (the page then stops)."""
    if store.admin_digits() is not None:
        return True
    st.title("Chào mừng đến với tinnhiem")
    st.info(
        "Lần chạy đầu tiên: hãy đặt mã quản trị (từ "
        f"{storage.access.min_digits()} đến 12 chữ số; muốn dùng mạng nội bộ thì ít nhất "
        f"{storage.access.LAN_MIN_DIGITS}). Chỉ người biết mã này mới tạo hoặc nhập được "
        "cuộc kiểm phiếu. Cuộc kiểm phiếu minh họa đã có sẵn. Hãy ghi nhớ: không có cách xem "
        "lại mã.",
        icon=":material/admin_panel_settings:",
    )
    _admin_set_form(store)
    return False


def is_admin() -> bool:
    """True when this session gave the administrator's PIN (``require_admin`` asks for it)."""
    return bool(st.session_state.get(_ADMIN))


def require_admin(store: storage.Store) -> bool:
    """True when this session gave the administrator's PIN; otherwise shows its field (or,
    before the first start is done, the form that sets it) and returns False."""
    if st.session_state.get(_ADMIN):
        return True
    if store.admin_digits() is None:
        return first_start(store)
    st.info(
        "Tạo hoặc nhập cuộc kiểm phiếu cần mã quản trị (đặt ở lần chạy đầu tiên).",
        icon=":material/admin_panel_settings:",
    )
    with st.form("access.admin.check"):
        pin = st.text_input("Mã quản trị", type="password", key="access.admin.pin")
        submitted = st.form_submit_button("Mở quyền quản trị", type="primary")
    _show_refusal(_ADMIN_KEY)
    if not submitted:
        return False
    try:
        right = store.check_admin_pin(pin, client=client())
    except storage.PinLocked as error:
        _refuse(_ADMIN_KEY, f"Mã quản trị không đúng. {error}")
    if not right:
        _refuse(_ADMIN_KEY, "Mã quản trị không đúng.")
    st.session_state[_ADMIN] = True
    st.rerun()
    return False  # not reached


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
        f"Mã PIN ({storage.access.min_digits()}–12 chữ số) bảo vệ việc thiết lập, nhập "
        "phiếu, hủy phiếu và khóa kết quả; "
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


def board_page(title: str) -> tuple[storage.Store, int]:
    """The head of a board member's page (Kiểm phiếu, Quét phiếu): its title, the store and
    this tab's poll, behind the board's PIN unless the poll is locked. Stops the page when
    no poll is open or the PIN is not given yet."""
    st.title(title)
    store = state.get_store()
    poll_id = state.current_poll_id()
    if poll_id is None:
        state.no_poll_open(store)
        st.stop()
    if store.state(poll_id) != "locked" and not require_pin(store, poll_id):
        st.stop()
    return store, poll_id
