"""The frame around every page: the open poll, its state, its quorum, the poll switcher.

Names, titles and bodies come from users, so they are shown with ``st.text`` (no Markdown,
no HTML); only numbers and fixed words go into Markdown.
"""

from __future__ import annotations

import json

import streamlit as st

from tinnhiem import arithmetic, storage, words
from tinnhiem.model import Poll
from tinnhiem.rules import of_poll
from tinnhiem.ui import access, markup, state

_SWITCHER_KEY = "tinnhiem.frame.poll"

# Hides Streamlit's own chrome for the hall screen: sidebar, its toggle, header, toolbar.
_HALL_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], .st-key-tinnhiem-hall-size { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding-top: 1.2rem !important; padding-bottom: 0 !important; max-width: 100% !important;
}
</style>
"""


def _css_text(text: str) -> str:
    """A fixed word as a CSS string (only words.py's words go in: no user text)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _vietnamese_chrome_css() -> str:
    """CSS that shows Vietnamese in place of Streamlit's English: the file uploader's
    button and hint, and the tooltips of a table's toolbar (a tooltip is drawn apart from
    its button, so it is matched by the button under the pointer or the keyboard focus)."""
    toolbar = ""
    for english, vietnamese in words.TOOLBAR.items():
        hovered = (
            f'body:has([data-testid="stBaseButton-elementToolbar"][aria-label={_css_text(english)}]'
            ':is(:hover, :focus-visible)) [data-testid="stTooltipContent"] p'
        )
        toolbar += f"{hovered} {{ font-size: 0 !important; }}\n"
        toolbar += f"{hovered}::after {{ content: {_css_text(vietnamese)}; font-size: .875rem; }}\n"
    return f"""<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0 !important; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {{
  content: {_css_text(words.UPLOAD_BUTTON)}; font-size: 1rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {_css_text(words.UPLOAD_HINT)}; font-size: .875rem;
}}
{toolbar}</style>"""


_VIETNAMESE_CHROME_CSS = _vietnamese_chrome_css()


# The eye button of a PIN field is named "Show password" for screen readers, an attribute
# CSS cannot change: this script renames it, and again whenever Streamlit draws it anew.
_PASSWORD_TOGGLE_JS = (
    "<script>(() => {const names = "
    + json.dumps(words.PASSWORD_TOGGLE, ensure_ascii=False)
    + """;
const rename = () => document.querySelectorAll('button[aria-label]').forEach((b) => {
  const name = names[b.getAttribute('aria-label')];
  if (name) { b.setAttribute('aria-label', name); b.setAttribute('title', name); }
});
if (!window.tinnhiemToggleNames) {
  window.tinnhiemToggleNames = new MutationObserver(rename);
  window.tinnhiemToggleNames.observe(document.body, {subtree: true, childList: true,
    attributes: true, attributeFilter: ['aria-label']});
}
rename();
})();</script>"""
)


# The one script of the app: fixed words of words.py only, never a user's text.
CHROME_HTML = _VIETNAMESE_CHROME_CSS + _PASSWORD_TOGGLE_JS


def vietnamese_chrome() -> None:
    """Show Streamlit's own widget words (uploader, table toolbar, the PIN field's eye
    button) in Vietnamese."""
    st.html(CHROME_HTML, unsafe_allow_javascript=True)


def ensure_demo(store: storage.Store) -> int | None:
    """On the very first start (no poll at all) create the demo poll; its id, else None.

    The demo is what ``tinnhiem demo`` creates: the demo poll, its count open, its first
    31 ballots entered; its board's PIN is ``access.DEMO_PIN`` (shown in the sidebar).
    """
    return store.ensure_demo(actor=access.DEMO_ACTOR, pin=access.DEMO_PIN)


def hide_chrome() -> None:
    """Hide the sidebar, navigation and header (the projector's clean hall screen)."""
    st.html(_HALL_SCREEN_CSS)


def _summary_label(summary: storage.PollSummary) -> str:
    title = summary.title or summary.body or "Chưa đặt tên"
    date = words.date(summary.date)
    return f"#{summary.id} · {title}" + (f" · {date}" if date else "")


def _switch_poll() -> None:
    poll_id = st.session_state.get(_SWITCHER_KEY)
    if poll_id is not None:
        state.set_current_poll(int(poll_id))


def poll_switcher(store: storage.Store, poll_id: int | None) -> None:
    """A selectbox of every poll (newest first); choosing one puts it in the URL."""
    polls = store.list_polls()
    if not polls:
        return
    ids = [p.id for p in polls]
    by_id = {p.id: p for p in polls}
    st.session_state[_SWITCHER_KEY] = poll_id if poll_id in by_id else None
    st.selectbox(
        "Cuộc kiểm phiếu đang mở",
        ids,
        placeholder="Chọn một cuộc kiểm phiếu…",
        format_func=lambda pid: _summary_label(by_id[pid]),
        key=_SWITCHER_KEY,
        on_change=_switch_poll,
    )


def poll_card(store: storage.Store, poll_id: int) -> None:
    """The open poll: body, title, date, kind, state and quorum."""
    try:
        poll = store.get_poll(poll_id, with_entries=False)
        poll_state = store.state(poll_id)
    except storage.PollNotFound:
        st.warning("Không tìm thấy cuộc kiểm phiếu này.")
        return
    if poll.body:
        st.text(poll.body)
    if poll.title:
        st.text(poll.title)
    when = " ".join(x for x in (words.time(poll.time), words.date(poll.date)) if x)
    st.caption(f"{words.KIND[poll.kind]}" + (f" · {markup.md_escape(when)}" if when else ""))
    st.markdown(f"**Trạng thái:** {words.state(poll_state)}")
    poll_quorum(poll)


def poll_quorum(poll: Poll) -> None:
    """The quorum banner of a stored poll, under its own rule set (a custom one may ask
    for 3/4)."""
    total, present = poll.members.total, poll.members.present
    rules = of_poll(poll)
    quorum_banner(
        present, total, arithmetic.quorum_required(total, rules),
        arithmetic.quorum_met(total, present, rules),
    )  # fmt: skip


def quorum_banner(present: int, total: int, required: int, met: bool) -> None:
    """The quorum line, green when met and red when not (``words.quorum_line``)."""
    line = words.quorum_line(present, total, required, met)
    if met:
        st.success(line, icon=":material/groups:")
    else:
        st.error(line, icon=":material/group_off:")


def sidebar(store: storage.Store, poll_id: int | None, drafting: bool = False) -> None:
    """Everything the frame puts in the sidebar under the navigation.

    ``drafting``: a new poll is being drafted (setup page); no other poll's card is shown.
    """
    with st.sidebar:
        if drafting:
            st.info("Đang soạn cuộc kiểm phiếu mới (chưa lưu).", icon=":material/edit_note:")
            poll_switcher(store, None)
            return
        if poll_id is None:
            if store.list_polls():  # none chosen yet: the user chooses, nothing opens itself
                poll_switcher(store, None)
            else:
                st.info("Chưa có cuộc kiểm phiếu nào. Tạo một cuộc ở trang Thiết lập.")
            return
        poll_card(store, poll_id)
        poll_switcher(store, poll_id)
        if access.is_demo(store, poll_id):
            st.caption(f"PIN minh họa: {access.DEMO_PIN}")
