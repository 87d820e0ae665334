"""tinnhiem's Streamlit entry point: the router and the frame around every page.

Run with ``streamlit run dashboard.py``. The projector page hides the frame so the hall
screen shows the result only; it still opens by URL (``/trinh-chieu?poll=ID``).
"""

import streamlit as st

from tinnhiem.ui import access, frame, state

# An emoji favicon is drawn locally; without it Streamlit fetches the page's Material icon
# from fonts.gstatic.com, and the app must make no network request.
st.set_page_config(page_title="tinnhiem — Kiểm phiếu tín nhiệm", page_icon="🗳️", layout="wide")

access.note_serving_mode()
store = state.get_store()
frame.ensure_demo(store)

projector = st.Page(
    "pages/projector.py", title="Trình chiếu", icon=":material/tv:", url_path="trinh-chieu"
)
page = st.navigation(
    [
        st.Page("pages/setup.py", title="Thiết lập", icon=":material/tune:", url_path="thiet-lap"),
        st.Page(
            "pages/counting.py",
            title="Kiểm phiếu",
            icon=":material/keyboard:",
            url_path="kiem-phieu",
            default=True,
        ),
        projector,
        st.Page(
            "pages/results.py", title="Kết quả", icon=":material/verified:", url_path="ket-qua"
        ),
    ]
)
if page is projector:
    frame.hide_chrome()
elif not access.first_start(store):  # the administrator's PIN first; the hall screen waits not
    st.stop()
else:
    frame.sidebar(store, state.current_poll_id())
page.run()
