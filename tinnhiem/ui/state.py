"""Which poll a browser session works on, and the store it talks to.

A page opened by URL starts a new browser session, so the open poll travels in the URL
(``?poll=3``) and everything two windows share lives in SQLite, never in session_state.
"""

from __future__ import annotations

import threading
import uuid

import streamlit as st

from tinnhiem import storage

POLL_PARAM = "poll"
_STATION_KEY = "tinnhiem.station"


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
    """The poll named in the URL, else the newest poll, else None; keeps the URL in step."""
    raw = st.query_params.get(POLL_PARAM)
    store = get_store()
    if raw is not None and str(raw).isdigit():
        poll_id = int(raw)
        if store.has_poll(poll_id):
            return poll_id
    polls = store.list_polls()
    if not polls:
        return None
    st.query_params[POLL_PARAM] = str(polls[0].id)
    return polls[0].id


def set_current_poll(poll_id: int) -> None:
    """Make ``poll_id`` the open poll of this window (written into the URL)."""
    st.query_params[POLL_PARAM] = str(poll_id)


def station() -> str:
    """A short name for this browser tab, recorded with every ballot it enters."""
    if _STATION_KEY not in st.session_state:
        st.session_state[_STATION_KEY] = "Máy " + uuid.uuid4().hex[:4].upper()
    return st.session_state[_STATION_KEY]
