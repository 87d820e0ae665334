"""Thiết lập: create or open a poll, fill in its setting, officials and board, open the count."""

from __future__ import annotations

import streamlit as st

from tinnhiem import storage, words
from tinnhiem.ui import access, anchor_view, markup, rule_set_form, setup_files, state
from tinnhiem.ui import setup_form as form
from tinnhiem.ui import setup_summary as summary

NEW = "new"

store = state.get_store()
s = st.session_state
polls = {p.id: p for p in store.list_polls()}
if s.get("setup.new") and st.query_params.get("poll") != s.get("setup.new_from"):
    s["setup.new"] = False  # another poll was opened (sidebar) while a new one was drafted
poll_id = None if s.get("setup.new", False) or not polls else state.current_poll_id()
creating = poll_id is None  # nothing chosen yet: a new poll (which needs the administrator)


def choose() -> None:
    choice = s["setup.choice"]
    s["setup.new"], s["setup.new_from"] = choice == NEW, st.query_params.get("poll")
    if choice != NEW:
        state.set_current_poll(int(choice))


st.title("Thiết lập cuộc kiểm phiếu")
state.show_url_problem(store)
s["setup.choice"] = NEW if creating else poll_id
st.selectbox(
    "Cuộc kiểm phiếu",
    [NEW, *polls],
    key="setup.choice",
    on_change=choose,
    format_func=lambda c: (
        "➕ Tạo cuộc kiểm phiếu mới"
        if c == NEW
        else f"#{c} · {polls[c].title or polls[c].body or 'Chưa đặt tên'} · "
        f"{words.state(polls[c].state)}"
    ),
)
poll_state = "setup" if poll_id is None else store.state(poll_id)
# Where the user looks: a toast over whatever part of the page is on screen, and the
# message under the buttons just pressed (the top of a long page is out of sight), or
# under a PIN gate that stops the page before them.
if flash := s.pop("setup.flash", None):
    st.toast(flash, icon=":material/check_circle:")


def stop() -> None:
    if flash:
        st.success(flash, icon=":material/check_circle:")
    st.stop()


if creating and not access.require_admin(store):  # a new poll needs the administrator
    stop()
if poll_id is not None and poll_state != "locked" and not access.require_pin(store, poll_id):
    stop()
stored = None if poll_id is None else store.get_poll(poll_id, with_entries=False)  # setting
marker = (NEW,) if creating else (poll_id, poll_state)
if form.loaded() != marker:
    form.load(stored or form.blank_poll(), marker)
    anchor_view.load(store, poll_id)
frozen = poll_state != "setup"
if poll_state == "counting":
    st.info("Đang kiểm phiếu: chỉ còn sửa được số phiếu phát ra và thu về.", icon=":material/lock:")
elif frozen:
    st.info(f"{words.state(poll_state)}: thiết lập không còn sửa được.", icon=":material/lock:")

if frozen and stored is not None:  # the count is open: the setting as text (setup_summary)
    summary.show(stored, poll_state)
else:
    st.subheader(form.TITLES[0])
    form.setting_section(frozen)
    if creating:  # before the officials: their import reruns the page, clearing later fields
        access.new_pin_fields("setup.")
    rule_set_form.editor(store)  # the board's own rule sets (the administrator's PIN)
    st.subheader(form.TITLES[1])
    form.members_section(frozen)
    st.subheader(form.TITLES[2])
    form.officials_section(frozen)
    board, ballots = st.columns([3, 2], gap="large")
    with board:
        st.subheader(form.TITLES[3])
        form.board_section(frozen)
    with ballots:
        st.subheader(form.TITLES[4])
        form.ballots_section(False)
st.subheader(form.TITLES[5])
anchor_view.section(store, poll_id, poll_state not in ("setup", "counting"))
form.show_problems(None)


st.divider()
# In setup the save, the mode and the open share a row; while counting only the save is left.
save_col, mode_col, open_col = (
    st.columns([2, 3, 2], vertical_alignment="bottom") if poll_state == "setup" else (st,) * 3
)
if poll_state in ("setup", "counting") and save_col.button(
    "Lưu thiết lập", type="primary", icon=":material/save:", width=320 if frozen else "stretch"
):
    form.save(store, poll_id, stored, poll_state)
    form.reload("Đã lưu thiết lập.")
if poll_state == "setup":
    mode = mode_col.radio(
        "Cách kiểm phiếu",
        [str(m) for m in words.MODE],
        format_func=words.MODE.get,
        horizontal=True,
        key="setup.mode",
    )
    if open_col.button("Lưu và mở kiểm phiếu", icon=":material/play_arrow:", width="stretch"):
        saved = form.save(store, poll_id, stored, poll_state)
        form.keep_loaded((saved, "setup"))  # a refusal must not reload the form it explains
        try:
            store.open_count(saved, actor=state.station(), mode=mode)
        except storage.SetupInvalid as error:
            form.set_problems(error.problems)
            s["setup.refusal"] = "Chưa mở được kiểm phiếu: " + " ".join(
                p.message for p in error.problems
            )
            st.rerun()
        except storage.StoreError as error:
            s["setup.refusal"] = str(error)
            st.rerun()
        form.reload("Đã mở kiểm phiếu. Sang trang Kiểm phiếu để nhập phiếu.")
if refusal := s.pop("setup.refusal", None):
    st.error(markup.md_escape(refusal), icon=":material/block:")
if flash:
    st.success(flash, icon=":material/check_circle:")

if poll_id is not None and stored is not None and stored.ballot_officials:
    setup_files.ballots_download(store, poll_id)
setup_files.import_box(store, lazy=frozen)
