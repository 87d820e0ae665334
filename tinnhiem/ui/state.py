"""Which poll a browser session works on, and the store it talks to.

A page opened by URL starts a new browser session, so the open poll travels in the URL
(``?poll=3``) and everything two windows share lives in SQLite, never in session_state.
"""

from __future__ import annotations

import re
import threading
import uuid

import streamlit as st

from tinnhiem import storage
from tinnhiem.ui import markup

POLL_PARAM = "poll"
_STATION_KEY = "tinnhiem.station"
_CHOSEN_KEY = "tinnhiem.poll"


_STORES: dict[str, storage.Store] = {}
_STORES_LOCK = threading.Lock()


def get_store() -> storage.Store:
    """The store of this server (``TINNHIEM_DB`` or data/tinnhiem.db); cheap to share.

    One per database file and process, shared by every session (its pool and its kept
    counts with them); a plain dict, where ``st.cache_resource`` cost ~0.15 ms a call.
    """
    path = str(storage.default_db_path())
    store = _STORES.get(path)
    if store is None:
        with _STORES_LOCK:
            store = _STORES.get(path) or _STORES.setdefault(path, storage.Store(path))
    return store


def current_poll_id() -> int | None:
    """The poll this window works on: the one in the URL, else the one chosen earlier in
    this session, else — on a fresh install only — the demo; None when the user must choose.

    No page opens a poll the user did not choose (an imported file must not open itself as
    the default result), nor another poll than the URL names: a URL whose ``poll`` is not
    one poll of this database gives None (``url_problem`` says why). Keeps the URL in step.
    """
    store = get_store()
    if st.query_params.get_all(POLL_PARAM):
        chosen = _url_poll(store)
        if chosen is None:
            return None
    else:
        chosen = st.session_state.get(_CHOSEN_KEY)
        if chosen is None or not store.has_poll(chosen):
            chosen = _fresh_demo(store)
    if chosen is None:
        return None
    set_current_poll(chosen)
    return chosen


_POLL_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is True)


def _url_poll(store: storage.Store) -> int | None:
    """The id ``?poll=`` names when it is one poll of this database, else None."""
    values = st.query_params.get_all(POLL_PARAM)
    if len(values) == 1 and _POLL_NUMBER.fullmatch(values[0]) and store.has_poll(int(values[0])):
        return int(values[0])
    return None


def url_problem(store: storage.Store) -> str | None:
    """Why the URL's ``?poll=`` opens no poll (one Markdown-safe Vietnamese sentence), or
    None when it names one poll of this database or is not given."""
    values = st.query_params.get_all(POLL_PARAM)
    if not values or _url_poll(store) is not None:
        return None
    choose = " Chọn cuộc kiểm phiếu cần mở trong danh sách."
    if len(values) > 1:
        return "Địa chỉ trang ghi nhiều số cuộc kiểm phiếu (poll=…); chỉ được ghi một." + choose
    raw = values[0]
    if not raw.strip():
        return "Địa chỉ trang chưa ghi số cuộc kiểm phiếu sau “poll=”." + choose
    shown = markup.md_escape(raw if len(raw) <= 40 else raw[:40] + "…")  # typed by someone
    if not raw.isascii() or not raw.isdigit():
        return f"“{shown}” trong địa chỉ trang (poll=…) không phải số cuộc kiểm phiếu." + choose
    return f"Không có cuộc kiểm phiếu số {shown} trong cơ sở dữ liệu này." + choose


def show_url_problem(store: storage.Store) -> None:
    """Say why the URL's ``?poll=`` opens nothing, when it does not."""
    problem = url_problem(store)
    if problem:
        st.warning(problem, icon=":material/link_off:")


def _fresh_demo(store: storage.Store) -> int | None:
    """The demo's id while it is the only poll of the database (a fresh install)."""
    polls = store.list_polls()
    if len(polls) == 1 and store.is_demo(polls[0].id):
        return polls[0].id
    return None


def no_poll_open(store: storage.Store) -> None:
    """What a page shows when no poll is open: why the URL opened none, how to choose one,
    or to make the first."""
    show_url_problem(store)
    if store.list_polls():
        st.info("Chưa chọn cuộc kiểm phiếu. Chọn một cuộc ở thanh bên (Cuộc kiểm phiếu đang mở).")
    else:
        st.info("Chưa có cuộc kiểm phiếu nào. Tạo một cuộc ở trang Thiết lập.")


def set_current_poll(poll_id: int) -> None:
    """Make ``poll_id`` the open poll of this window (written into the URL and the session)."""
    st.session_state[_CHOSEN_KEY] = poll_id
    if st.query_params.get(POLL_PARAM) != str(poll_id):
        st.query_params[POLL_PARAM] = str(poll_id)


def station() -> str:
    """A short name for this browser tab, recorded with every ballot it enters."""
    if _STATION_KEY not in st.session_state:
        st.session_state[_STATION_KEY] = "Máy " + uuid.uuid4().hex[:4].upper()
    return st.session_state[_STATION_KEY]


# A page name Streamlit could serve under: one path segment of these characters.
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,60}")


def unknown_page(known: set[str]) -> str | None:
    """The page name the browser's address asks for when no page has it (a mistyped
    ``/counting``), or None; only a name Streamlit could serve as a page of its own.

    The router serves such a name as the default page, hidden, with ``unknown_page_note``,
    instead of Streamlit's English "Page not found" dialog.
    """
    url = st.context.url or ""
    path = url.split("://", 1)[-1].partition("/")[2].strip("/")
    if not path or path in known or not _PAGE_NAME.fullmatch(path):
        return None
    return path


def unknown_page_note(name: str) -> None:
    """Say that the address named no page and which page is shown instead."""
    st.info(
        f"Không có trang “{markup.md_escape(name)}”; đây là trang Kiểm phiếu. Các trang khác "
        "ở danh sách bên trái.",
        icon=":material/link_off:",
    )
