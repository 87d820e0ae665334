"""tinnhiem's Streamlit router: page config, st.navigation, the frame around every page.

``tinnhiem app`` runs it (through tinnhiem/ui/main/app.py, see tinnhiem/ui/server.py). The
projector page hides the frame so the hall screen shows the result only; it still opens by
URL (``/trinh-chieu?poll=ID``). The counting page is the default page, at ``/`` and at
``/kiem-phieu``.
"""

from functools import partial
from pathlib import Path

import streamlit as st

from tinnhiem.ui import access, frame, state

PAGES = Path(__file__).resolve().parent / "pages"  # the screens, beside this file

# An emoji favicon is drawn locally; without it Streamlit fetches the page's Material icon
# from fonts.gstatic.com, and the app must make no network request.
st.set_page_config(page_title="tinnhiem — Kiểm phiếu tín nhiệm", page_icon="🗳️", layout="wide")

access.note_serving_mode()
store = state.get_store()
frame.ensure_demo(store)

projector = st.Page(
    PAGES / "projector.py", title="Trình chiếu", icon=":material/tv:", url_path="trinh-chieu"
)
counting = partial(st.Page, PAGES / "counting.py", title="Kiểm phiếu", icon=":material/keyboard:")
setup = st.Page(PAGES / "setup.py", title="Thiết lập", icon=":material/tune:", url_path="thiet-lap")
results = st.Page(
    PAGES / "results.py", title="Kết quả", icon=":material/verified:", url_path="ket-qua"
)
scan = st.Page(
    PAGES / "scan.py", title="Quét phiếu", icon=":material/document_scanner:", url_path="quet-phieu"
)
combine = st.Page(
    PAGES / "combine.py", title="Tổng hợp", icon=":material/merge:", url_path="tong-hop"
)
# A mistyped address (/counting) is served the counting screen with a note, not Streamlit's
# English "Page not found" dialog.
known = {"trang-chu", "kiem-phieu", "quet-phieu", "trinh-chieu", "thiet-lap", "ket-qua", "tong-hop"}
unknown = state.unknown_page(known)
aliases = [counting(url_path=unknown, visibility="hidden")] if unknown else []
page = st.navigation(
    [
        setup,
        # Streamlit serves the default page at "/" only: its url_path is just its identity
        # (a name no pages/ file has, or AppTest mixes the two up). The same screen, hidden
        # from the menu, answers /kiem-phieu.
        counting(url_path="trang-chu", default=True),
        counting(url_path="kiem-phieu", visibility="hidden"),
        scan,
        projector,
        results,
        combine,
        *aliases,
    ]
)
frame.vietnamese_chrome()
if unknown and page is aliases[0]:
    state.unknown_page_note(unknown)
if page is projector:
    frame.hide_chrome()
elif not access.first_start(store):  # the administrator's PIN first; the hall screen waits not
    st.stop()
else:
    # A new poll being drafted on the setup page is no poll yet: the sidebar shows none.
    drafting = page is setup and bool(st.session_state.get("setup.new"))
    frame.sidebar(store, None if drafting else state.current_poll_id(), drafting=drafting)
page.run()
