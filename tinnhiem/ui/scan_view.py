"""The "Quét phiếu" screen's widgets: a batch of scanned pages read, its doubts decided by a
person, then stored as one pass of a stack (or, in a single-entry poll, as its ballots).

The batch lives in this tab's session until it is confirmed or dropped; nothing is stored
before every doubtful row is decided. File names and officials' names are the users' own
text, shown literally (``markup.md_escape``, ``st.text``, escaped HTML tables).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import streamlit as st

from tinnhiem import problems as P
from tinnhiem import storage, words_scan, words_stacks
from tinnhiem.model import Poll
from tinnhiem.scanning import NotAnImage, expected_for, folder, open_pages, read_page
from tinnhiem.scanning.batch import Key, ScannedPage, ballots, doubts
from tinnhiem.scanning.crops import row_pictures
from tinnhiem.scanning.images import media_type
from tinnhiem.scanning.reader import READ
from tinnhiem.scanning.storing import store_batch
from tinnhiem.stacks import INCOMPLETE
from tinnhiem.storage.records import now
from tinnhiem.storage.scans import ScanImage
from tinnhiem.ui import access, markup, stack_entry, state, tables

BATCH_KEY = "tinnhiem.scan.batch"
K_FOLDER = "scan.folder"  # the folder typed, kept for the tab's next batch
NOT_READ_TABLE = "tinnhiem-scan-not-read"  # data-testid of the pages to rescan
DECIDED_TABLE = "tinnhiem-scan-decided"  # data-testid of the doubts decided


@dataclass
class Batch:
    """A batch read in this tab: its pages, row pictures and the decisions made so far."""

    poll_id: int
    token: str  # names the batch's ballots as one source (stored once, whatever reruns)
    files: list[dict] = field(default_factory=list)  # name, sha256, pages
    kept: dict[str, ScanImage] = field(default_factory=dict)  # the files' bytes, by SHA-256
    pages: list[ScannedPage] = field(default_factory=list)
    unopened: list[tuple[str, str]] = field(default_factory=list)  # file, why
    pictures: dict[Key, bytes] = field(default_factory=dict)
    positions: dict[Key, int] = field(default_factory=dict)  # place on the ballot (1-based)
    decided: dict[Key, dict] = field(default_factory=dict)  # decided, by, at


def _picture_rows(batch: Batch, n: int, gray, expected) -> None:
    """Keep the picture and ballot place of each doubtful row of page ``n``."""
    reading = batch.pages[n].reading
    if not reading.doubtful or reading.layout is None or reading.ballot_page is None:
        return
    rows = expected.layouts[reading.layout][reading.ballot_page - 1]["rows"]
    chosen = [rows[row - 1] for row in reading.doubtful]
    pictures = row_pictures(gray, [r["boxes"] for r in chosen])
    for k, (row, layout_row) in enumerate(zip(reading.doubtful, chosen, strict=True)):
        batch.positions[n, row] = int(layout_row["official"])
        if k < len(pictures):
            batch.pictures[n, row] = pictures[k]


def read_batch(poll_id: int, poll: Poll, uploads: list) -> Batch:
    """Read every page of every upload, showing progress page by page."""
    batch = Batch(poll_id, uuid.uuid4().hex[:12])
    expected = expected_for(poll)
    bar = st.progress(0.0, text=words_scan.READING)
    with st.status(words_scan.READING, expanded=True) as status:
        for i, upload in enumerate(uploads):
            raw = upload.getvalue()
            digest = hashlib.sha256(raw).hexdigest()
            batch.kept.setdefault(digest, ScanImage(digest, upload.name, media_type(raw), raw))
            try:
                grays = open_pages(raw)
            except NotAnImage:
                batch.unopened.append((upload.name, P.NOT_AN_IMAGE(file=upload.name).message))
                batch.files.append({"name": upload.name, "sha256": digest, "pages": 0})
                continue
            batch.files.append({"name": upload.name, "sha256": digest, "pages": len(grays)})
            for k, gray in enumerate(grays, start=1):
                reading = read_page(gray, expected)
                batch.pages.append(ScannedPage(upload.name, k, digest, reading))
                _picture_rows(batch, len(batch.pages) - 1, gray, expected)
                said = words_scan.STATUS[reading.status]
                where = words_scan.page_where(upload.name, k)
                status.write(markup.md_escape(f"{where}: {said}"))
                done = (i + k / len(grays)) / len(uploads)
                bar.progress(min(done, 1.0), text=markup.md_escape(where))
        status.update(label=words_scan.READ_DONE, state="complete", expanded=False)
    bar.progress(1.0, text=words_scan.READ_DONE)  # a file with no page moved it no further
    return batch


def current_batch(poll_id: int) -> Batch | None:
    """This tab's batch of ``poll_id``, if one was read."""
    batch = st.session_state.get(BATCH_KEY)
    return batch if isinstance(batch, Batch) and batch.poll_id == poll_id else None


def upload_form(poll_id: int, poll: Poll) -> None:
    """The files chosen and the button that reads them (a new batch)."""
    st.caption(words_scan.INTRO)
    uploads = st.file_uploader(
        words_scan.UPLOAD, type=None, accept_multiple_files=True, key="scan.files"
    )
    if uploads:  # the server has them all: a click on the button now reads every one
        st.caption(words_scan.chosen(len(uploads)))
    if st.button(words_scan.READ, key="scan.read", type="primary"):
        if not uploads:
            st.warning(words_scan.NO_FILES)
            return
        st.session_state[BATCH_KEY] = read_batch(poll_id, poll, list(uploads))


def folder_form(store: storage.Store, poll_id: int, poll: Poll) -> None:
    """The folder a scanner writes to: what it holds now (every 2 s while watched) and the
    button that reads its ready files as a new batch, leaving out files a confirmed batch
    keeps already (same bytes)."""
    with st.expander(words_scan.FOLDER_TITLE, expanded=bool(st.session_state.get(K_FOLDER))):
        text = st.text_input(words_scan.FOLDER_PATH, key=K_FOLDER, help=words_scan.FOLDER_HELP)
        watch = st.toggle(words_scan.WATCH, key="scan.watch", disabled=not text.strip())

        @st.fragment(run_every=folder.SETTLE_SECONDS if watch and text.strip() else None)
        def shown_state() -> None:
            if text.strip() and (now := _listing(text)):
                counts = (len(now.ready), len(now.growing), len(now.too_big), now.others)
                st.caption(words_scan.folder_state(*counts))  # numbers and our words only

        shown_state()
        if st.button(words_scan.READ_FOLDER, key="scan.read_folder", disabled=not text.strip()):
            read_folder(store, poll_id, poll, text)


def _listing(text: str) -> folder.Listing | None:
    """The typed folder's files now, or None with its Vietnamese problem shown."""
    try:
        return folder.listing(folder.folder_of(text))
    except folder.FolderProblem as problem:
        st.error(markup.md_escape(str(problem)), icon=":material/folder_off:")
        return None


def read_folder(store: storage.Store, poll_id: int, poll: Poll, text: str) -> None:
    """Read the folder's ready files not kept already as this tab's batch; say what was left."""
    now = _listing(text)
    if now is None:
        return
    files, failed = folder.read_files(now.ready)
    new = folder.not_kept(files, store.scans.kept_hashes(poll_id))
    if failed:
        st.warning(markup.md_escape(words_scan.not_read_files(failed)))
    if len(new) < len(files):
        st.info(words_scan.skipped_known(len(files) - len(new)))
    if not new:
        st.warning(words_scan.FOLDER_NONE_READY)
        return
    st.session_state[BATCH_KEY] = read_batch(poll_id, poll, new)


def not_read(batch: Batch) -> None:
    """The files and pages that were not read, each with its Vietnamese reason."""
    rows = [(name, why) for name, why in batch.unopened]
    rows += [(p.where, p.reading.message) for p in batch.pages if p.reading.status != READ]
    if rows:
        _table(words_scan.NOT_READ_COLUMNS, rows, words_scan.NOT_READ_TITLE, NOT_READ_TABLE)


def _table(columns: Sequence[str], rows: list, title: str, testid: str) -> None:
    """An escaped HTML table of the users' own text (file and official names), titled."""
    st.html(tables.html_table(columns, rows, label=title, testid=testid, caption=title))


def review(poll_id: int, poll: Poll, batch: Batch) -> None:
    """The first doubtful row not decided yet: its picture, the official's name, the keys."""
    waiting = [key for key in doubts(batch.pages) if key not in batch.decided]
    if not waiting:
        return
    n, row = key = waiting[0]
    page = batch.pages[n]
    position = batch.positions.get(key, 0)
    official = poll.ballot_officials[position - 1].name if position else ""
    st.subheader(words_scan.REVIEW_TITLE)
    st.caption(words_scan.review_keys(len(waiting)))
    st.markdown(markup.md_escape(words_scan.row_title(page.where, row, position)))
    st.text(official)
    picture = batch.pictures.get(key)
    if picture:
        st.image(picture)
    else:
        st.caption(words_scan.NO_PICTURE)
    columns = st.columns(len(words_scan.digits(poll.kind)))
    for column, digit in zip(columns, words_scan.digits(poll.kind), strict=True):
        label = words_scan.choice(poll.kind, digit)
        if column.button(label, key=f"scan.decide.{digit}", shortcut=digit):
            batch.decided[key] = {"decided": digit, "by": access.current_member(poll_id),
                                  "at": now()}  # fmt: skip
            st.rerun()


def decided_table(poll: Poll, batch: Batch) -> None:
    """The doubts decided so far, and undoing the last one."""
    if not batch.decided:
        return
    rows = []
    for (n, row), made in batch.decided.items():
        position = batch.positions.get((n, row), 0)
        name = poll.ballot_officials[position - 1].name if position else ""
        choice = words_scan.choice(poll.kind, made["decided"])
        rows.append((batch.pages[n].where, str(row), name, choice, made["by"]))
    _table(words_scan.DECIDED_COLUMNS, rows, words_scan.DECIDED_TITLE, DECIDED_TABLE)
    if st.button(words_scan.UNDO, key="scan.undo"):
        batch.decided.pop(list(batch.decided)[-1])
        st.rerun()


def choose_stack(store: storage.Store, poll_id: int) -> tuple[int, str] | None:
    """The stack the batch is a pass of (one still waiting for a pass), or a new one."""
    summary = store.stack_summary(poll_id)
    views = [
        v
        for v in summary.views
        if v.state == INCOMPLETE and len(v.record.current()) < summary.passes_required
    ]
    left, right = st.columns(2)
    with right:
        stack_entry.add_stack_form(store, poll_id)
    with left:
        if not views:
            st.info(words_scan.NO_STACK)
            return None
        titles = {v.record.stack_no: words_stacks.stack_title(v.record.label, v.record.size)
                  for v in views}  # fmt: skip
        stack_no = st.selectbox(
            words_scan.STACK, list(titles), format_func=lambda s: titles[s], key="scan.stack"
        )
    return (int(stack_no), titles[int(stack_no)]) if stack_no is not None else None


def _record(batch: Batch, poll: Poll, stored: int, stack: tuple[int, str] | None) -> dict:
    """What the audit log keeps of the batch: the images' hashes, the pages, the decisions."""
    decisions = []
    for (n, row), made in batch.decided.items():
        page, position = batch.pages[n], batch.positions.get((n, row), 0)
        decisions.append({
            "file": page.file, "page": page.file_page, "row": row, "position": position,
            "official": poll.ballot_officials[position - 1].name if position else "",
            "read": "?", **made,
        })  # fmt: skip
    pages = [
        {"file": p.file, "page": p.file_page, "status": p.reading.status,
         "ballot_page": p.reading.ballot_page, "serial": p.reading.serial,
         "entry": p.reading.entry, "message": p.reading.message}
        for p in batch.pages
    ]  # fmt: skip
    return {
        "batch": batch.token, "stack_no": stack[0] if stack else None, "images": batch.files,
        "images_kept": False, "pages": pages, "ballots": stored, "decisions": decisions,
    }  # fmt: skip


def _store(store: storage.Store, poll_id: int, poll: Poll, batch: Batch, entries: list[str],
           stack: tuple[int, str] | None) -> str:  # fmt: skip
    """Store the batch (``scanning.storing``: all of it or none); where it went."""
    member = access.current_member(poll_id)
    number = store_batch(
        store, poll_id, entries, _record(batch, poll, len(entries), stack),
        list(batch.kept.values()), typist=words_scan.typist(member), station=state.station(),
        actor=member, stack_no=stack[0] if stack else None,
    )  # fmt: skip
    return words_scan.where_stored(stack[1] if stack else None, number)


def confirm(store: storage.Store, poll_id: int, poll: Poll, batch: Batch,
            stack: tuple[int, str] | None) -> None:  # fmt: skip
    """The batch's standing and the button that stores it, once nothing is left to decide."""
    decided = {key: made["decided"] for key, made in batch.decided.items()}
    entries, problems = ballots(batch.pages, decided)
    waiting = [key for key in doubts(batch.pages) if key not in batch.decided]
    read = sum(1 for p in batch.pages if p.reading.status == READ)
    st.caption(words_scan.summary(len(batch.pages), read, len(entries), len(doubts(batch.pages))))
    for problem in problems:
        st.error(markup.md_escape(problem), icon=":material/error:")
    why = None
    if waiting:
        why = words_scan.WAITING_DOUBTS.format(count=len(waiting))
    elif problems:
        why = words_scan.WAITING_PROBLEMS
    elif not entries:
        why = words_scan.NO_BALLOTS
    elif poll.passes_required > 1 and stack is None:
        why = words_scan.NO_STACK
    elif poll.passes_required == 1 and store.ballot_count(poll_id) + len(entries) > poll.collected:
        # Checked before any is stored: the store would refuse the ballot after the last
        # one collected, leaving the batch half stored.
        why = words_scan.too_many(len(entries), poll.collected - store.ballot_count(poll_id))
    if why:
        st.info(why)
    left, right = st.columns(2)
    if left.button(words_scan.CONFIRM, key="scan.confirm", type="primary", disabled=bool(why)):
        try:
            where = _store(store, poll_id, poll, batch, entries, stack)
        except storage.StoreError as error:
            st.error(words_scan.REFUSED.format(reason=markup.refusal(error)))
            return
        st.session_state.pop(BATCH_KEY, None)
        st.session_state[stack_entry.DONE_KEY] = words_scan.STORED.format(
            count=len(entries), where=where
        )
        st.rerun()
    if right.button(words_scan.DISCARD, key="scan.discard"):
        st.session_state.pop(BATCH_KEY, None)
        st.rerun()
