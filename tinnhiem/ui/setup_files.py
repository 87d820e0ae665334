"""The setup page's files: the ballot papers to print, and a poll file to import.

Both work on a stored poll (or store a new one), not on the form of tinnhiem.ui.setup_form,
whose keys (``setup.``) and ``reload`` they share.
"""

from __future__ import annotations

import streamlit as st

from tinnhiem import storage
from tinnhiem.problems import PollError
from tinnhiem.ui import access, markup, state
from tinnhiem.ui.setup_form import K, reload

IMPORT_OPEN = K + "import_open"  # the import box is open (its content is drawn only then)


def ballots_download(store: storage.Store, poll_id: int) -> None:
    """The ballot papers of the stored poll as a PDF, made when the button is clicked."""

    def ballots() -> bytes:
        from tinnhiem import documents  # loads fonts: only when the button is clicked

        return documents.ballots_pdf(store.get_poll(poll_id))

    st.download_button(
        "Tải phiếu tín nhiệm để in (PDF)",
        ballots,
        file_name=f"phieu-{poll_id}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/print:",
        key=K + "ballots_pdf",
    )


def import_box(store: storage.Store, lazy: bool) -> None:
    """Upload a poll file (JSON) and store it as a new poll; a bad file gets its message.

    ``lazy``: the box's content is drawn only while it is open (a poll past setup, whose
    page reruns at every ballot). In setup it is always drawn: its administrator's gate also
    opens the rule-set editor (``rule_set_form.ADMIN_WHY``).
    """
    with st.expander("Nhập tệp cuộc kiểm phiếu (JSON)", key=IMPORT_OPEN, on_change="rerun") as box:
        if lazy and not box.open:
            return
        if not access.require_admin(store):  # importing a poll needs the administrator
            return
        upload = st.file_uploader(
            "Tệp .json xuất từ tinnhiem hoặc theo định dạng tinnhiem/1",
            type=None,  # any file: a wrong one gets the reader's Vietnamese reason
            key=K + "json",
        )
        if upload is None or not st.button("Nhập tệp này", key=K + "import_json"):
            return
        try:
            new_id = store.import_file(
                upload.getvalue(),
                actor=state.station(),
                file_name=upload.name,
                source="trang Thiết lập",
            )
        except (PollError, storage.StoreError) as error:
            st.error(f"Không nhập được tệp: {markup.md_escape(str(error))}")
        else:
            state.set_current_poll(new_id)
            st.session_state[K + "new"] = False
            reload(f"Đã nhập tệp thành cuộc kiểm phiếu #{new_id}.")
