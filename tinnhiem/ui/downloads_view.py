"""The results page's downloads: the poll file, and the documents made when clicked.

Each document is made in the click's worker thread (deferred data) and kept until the
browser has it; the minutes refuse a broken chain at that moment (``anchor_view.refused``).
The documents package is imported when a download is clicked (it loads fonts slowly).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from tinnhiem import storage
from tinnhiem.ui import anchor_view, markup, tables

K = "results."
PROVISIONAL = "Bản tạm thời: biên bản, bảng kết quả, phiếu để in, tệp cuộc kiểm phiếu"


# Documents that could not be made, by (poll id, document): shown at the next run.
_NOT_MADE: dict[tuple[int, str], str] = {}


def _kept(data: bytes, mime: str, file_name: str, slot: str) -> bytes:
    """The file's bytes, also held by the media manager under a fixed ``slot``.

    Why (Streamlit 1.67, runtime/media_file_manager.py): ``execute_deferred`` stores the
    clicked button's file as DOWNLOADABLE but maps it to no session ("leave actual_file_id
    unmapped"), and ``remove_orphaned_files`` — run at the end of every script run of every
    session, each hall screen's half-second fragment included — marks such a file at one
    sweep and deletes it at the next. With two or three projectors open that is a few
    tenths of a second, often before the browser's GET /media/… (HTTP 404, download
    cancelled). The same bytes, type and name give the same file id, so adding them here
    keeps the very file the browser is about to fetch referenced. The callable runs in a
    worker thread with no script run context (``DeferredFileHandler``, asyncio.to_thread),
    so the reference is filed under Streamlit's session-less id, which no script run
    clears: it lives until the next file of the same ``slot`` (this poll, this document)
    replaces it — one kept file per document and poll, no more.
    """
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().media_file_mgr.add(
            data, mime, slot, file_name=file_name, is_for_static_download=True
        )
    return data


def document_bytes(store: storage.Store, poll_id: int, name: str) -> bytes:
    """The file of the download ``name`` (``minutes_docx``, ``images_zip``…), made now.

    Raises StoreError when the chain forbids it (``anchor_view.refused``), DocumentError
    or PollError when it cannot be made; each carries a Vietnamese sentence.
    """
    from tinnhiem import documents

    if reason := anchor_view.refused(store, poll_id, name):  # checked at the click
        raise storage.StoreError(reason)
    if name == "images_zip":
        kept = {digest: image.data for digest, image in store.scans.images(poll_id).items()}
        batches = store.scans.scan_batches(poll_id)
        return documents.images_zip(documents.scanned_images(batches), kept)
    poll = store.get_poll(poll_id)
    if name == "ballots_pdf":
        return documents.ballots_pdf(poll)
    if name in ("results_xlsx", "results_csv"):
        return getattr(documents, name)(poll)
    from tinnhiem.stored_record import stored_record

    return getattr(documents, name)(poll, None, stored_record(store, poll_id))


def downloads(store: storage.Store, poll_id: int, poll_state: str) -> None:
    """The poll file now; minutes, ballots, result tables and the draft resolution on click.

    Each file is made when its button is clicked (deferred data) and kept until the browser
    has it, whatever other pages are open; a document that cannot be made leaves its
    Vietnamese reason, shown here at the next run. While counting, the buttons are in a
    box (``PROVISIONAL``) drawn only while it is open.
    """

    def make(name: str, mime: str, file_name: str) -> Callable[[], bytes]:
        def build() -> bytes:
            from tinnhiem import documents
            from tinnhiem.validation import PollError

            try:
                data = document_bytes(store, poll_id, name)
            except (documents.DocumentError, PollError, storage.StoreError) as error:
                _NOT_MADE[poll_id, name] = str(error)
                raise
            _NOT_MADE.pop((poll_id, name), None)
            return _kept(data, mime, file_name, f"tinnhiem.download.{poll_id}.{name}")

        return build

    st.html(tables.divided_heading("Tải về"))  # the page's last rule and this heading
    if poll_state == "counting":  # provisional files, rarely wanted while ballots come in
        with st.expander(PROVISIONAL, key=K + "downloads_open", on_change="rerun") as box:
            if box.open:  # drawn only while open: the page reruns at every ballot
                _buttons(store, poll_id, poll_state, make)
        return
    _buttons(store, poll_id, poll_state, make)


def _buttons(
    store: storage.Store,
    poll_id: int,
    poll_state: str,
    make: Callable[[str, str, str], Callable[[], bytes]],
) -> None:
    """The download buttons, three to a row, then the poll file's."""
    stem = f"kiem-phieu-{poll_id}"
    provisional = "" if poll_state == "locked" else " (tạm thời)"
    files = [
        (
            "Biên bản kiểm phiếu (Word)" + provisional,
            "minutes_docx",
            f"{stem}-bien-ban.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Biên bản kiểm phiếu (PDF)" + provisional,
            "minutes_pdf",
            f"{stem}-bien-ban.pdf",
            "application/pdf",
        ),
        (
            "Bảng kết quả (Excel)",
            "results_xlsx",
            f"{stem}-ket-qua.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Bảng kết quả (CSV)", "results_csv", f"{stem}-ket-qua.csv", "text/csv"),
        (
            "Dự thảo nghị quyết (Word)",  # whole on a 1366-pixel screen
            "resolution_docx",
            f"{stem}-du-thao-nghi-quyet.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("Phiếu tín nhiệm để in (PDF)", "ballots_pdf", f"{stem}-phieu.pdf", "application/pdf"),
    ]
    if store.scans.image_count(poll_id):  # the scanned ballots' image files, as kept
        files.append(
            ("Ảnh phiếu quét (ZIP)", "images_zip", f"{stem}-anh-quet.zip", "application/zip")
        )
    for (failed_poll, _), reason in list(_NOT_MADE.items()):
        if failed_poll == poll_id:
            st.error(markup.md_escape(reason), icon=":material/error:")
    if anchor_view.refused(store, poll_id, "minutes_pdf"):
        st.error(anchor_view.BROKEN_REASON, icon=":material/gpp_bad:")
        files = [f for f in files if f[1] not in anchor_view.REFUSED_WHEN_BROKEN]
    cols = st.columns(3)
    for number, (label, name, file_name, mime) in enumerate(files):
        cols[number % 3].download_button(
            label,
            make(name, mime, file_name),
            file_name=file_name,
            mime=mime,
            key=K + name,
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )

    def poll_file() -> bytes:
        text = json.dumps(store.export_data(poll_id), ensure_ascii=False, indent=2)
        data = (text + "\n").encode("utf-8")
        return _kept(data, "application/json", f"{stem}.json", f"tinnhiem.download.{poll_id}.json")

    st.download_button(
        "Tệp cuộc kiểm phiếu (JSON, kèm nhật ký kiểm toán)",
        poll_file,
        file_name=f"{stem}.json",
        mime="application/json",
        key=K + "json",
        on_click="ignore",
        icon=":material/data_object:",
    )
