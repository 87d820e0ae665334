"""The Tổng hợp page's widgets (pages/combine.py): upload poll files, show what was refused
and why, the combined result with a table per point, people across polls, the downloads.

Every name and reason comes from a file someone else made: it is escaped (html_table,
markup.md_escape), never read as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from tinnhiem import expected_list, words
from tinnhiem.combine import (
    Combined,
    CombinedPoll,
    PollFile,
    Refusal,
    combine_what_holds,
    missing,
)
from tinnhiem.model import DECIDING_LEVEL, Kind, Level, State
from tinnhiem.problems import PollError
from tinnhiem.tally import Tally
from tinnhiem.ui import markup
from tinnhiem.ui.tables import html_table

K = "combine."
NO_POINT = "(không ghi điểm)"
NOT_LOCKED = "(chưa khóa)"


def uploads() -> list:
    """The files chosen, each a Streamlit UploadedFile (name, getvalue)."""
    return list(
        st.file_uploader(
            "Các tệp .json đã xuất (đã khóa) của từng điểm hoặc từng đợt lấy phiếu",
            type=None,  # any file: a wrong one gets the reader's Vietnamese reason
            accept_multiple_files=True,
            key=K + "files",
        )
        or []
    )


def expected_names() -> list[str]:
    """The points or units the user expects, to say which are missing: typed one per line,
    and/or from an uploaded list (a spreadsheet or text file, one name a row)."""
    text = st.text_area(
        "Các điểm hoặc đơn vị cần có (mỗi dòng một tên; để trống nếu không cần đối chiếu)",
        key=K + "expected",
        height=90,
    )
    names = text.splitlines()
    upload = st.file_uploader(
        "…hoặc tải lên danh sách đó (.xlsx, .ods, .csv, .txt; mỗi dòng một tên)",
        type=None,  # any file: a wrong one gets the reader's Vietnamese reason
        key=K + "expected_file",
    )
    if upload is not None:
        try:
            names += expected_list.expected_units(upload.getvalue(), upload.name)
        except expected_list.ExpectedListError as error:
            st.error(markup.md_escape(str(error.problem)), icon=":material/error:")
    return names


def _unique_names(files: Sequence) -> list[str]:
    """The upload names, a repeated one numbered (“a.json (2)”) so each refusal is clear."""
    seen: dict[str, int] = {}
    names = []
    for upload in files:
        seen[upload.name] = seen.get(upload.name, 0) + 1
        count = seen[upload.name]
        names.append(upload.name if count == 1 else f"{upload.name} ({count})")
    return names


def combine_uploads(
    files: Sequence, expected: Sequence[str] = ()
) -> tuple[Combined | None, tuple[Refusal, ...]]:
    """Read and check every upload (storage.sealed), then combine what holds; the
    expected names no file brought are kept as ``missing`` for the reports."""
    from tinnhiem.storage.sealed import read_poll_file

    read: list[PollFile] = []
    refused: list[Refusal] = []
    for name, upload in zip(_unique_names(files), files, strict=True):
        try:
            read.append(read_poll_file(name, upload.getvalue()))
        except PollError as error:
            refused.append(Refusal(name, str(error)))
    combined, refusals = combine_what_holds(read, refused)
    if combined is not None:
        combined = replace(combined, missing=tuple(missing(combined, expected)))
    return combined, refusals


def show_refusals(refusals: Sequence[Refusal], absent: Sequence[str]) -> None:
    for refusal in refusals:
        st.error(f"Không dùng tệp này — {markup.md_escape(refusal.reason)}")
    if absent:
        names = ", ".join(markup.md_escape(name) for name in absent)
        st.warning(f"Chưa có tệp của: {names}.")


def _count(count: int | None, result: Tally) -> str:
    return "—" if count is None else f"{words.number(count)} ({result.percent_vi(count)})"


def result_table(result: Tally, testid: str, caption: str = "") -> None:
    """One row per official: the three counts with their percentages, and the band."""
    kind = result.kind
    rows = []
    for row in result.officials:
        high = row.counts.get(Level.HIGH) if kind == Kind.POLL else None
        counts = (high, row.counts[Level.CONFIDENCE], row.counts[DECIDING_LEVEL[kind]])
        band = words.BAND[kind].get(row.band, row.band)
        rows.append(
            (row.official.name, row.official.position, *(_count(c, result) for c in counts), band)
        )
    deciding = f"{words.LEVEL[Level.LOW]} / {words.LEVEL[Level.NO_CONFIDENCE]}"
    levels = (words.LEVEL[Level.HIGH], words.LEVEL[Level.CONFIDENCE], deciding)
    columns = ("Họ và tên", "Chức vụ", *levels, "Kết quả")
    st.html(html_table(columns, rows, label=caption or "Kết quả", testid=testid, caption=caption))


def show_poll(number: int, poll: CombinedPoll) -> None:
    """One poll: what it is, its combined result, and each point's own table."""
    result = poll.result
    title = poll.poll.title or words.KIND[result.kind]
    st.subheader(f"{number}. {markup.md_escape(title)}")
    lock = words.state(State.LOCKED) if poll.locked else "Có tệp chưa khóa: kết quả tạm thời"
    points = ", ".join(markup.md_escape(p.point or NO_POINT) for p in poll.points)
    st.markdown(
        f"{markup.md_escape(poll.poll.body or '(không ghi đơn vị)')} · "
        f"{len(poll.points)} điểm: {points} · {lock}"
    )
    st.caption(
        f"Có mặt {words.number(result.present)}/{words.number(poll.poll.members.total)}; "
        f"phiếu phát ra {words.number(result.issued)}, thu về {words.number(result.collected)}; "
        f"tỷ lệ % {words.base_compared(result.base_name)} ({words.number(result.base)})."
    )
    result_table(result, f"combine-poll-{number}")
    if len(poll.points) > 1:
        for place, point in enumerate(poll.points, start=1):
            caption = f"Điểm {point.point or NO_POINT} (tệp {point.file.name})"
            result_table(point.result, f"combine-point-{number}-{place}", caption)


def show_people(combined: Combined) -> None:
    if not combined.people:
        return
    st.subheader("Người được lấy phiếu ở nhiều nơi (đặt cạnh nhau, không cộng)")
    rows = [
        (
            person.name,
            person.position,
            r.poll.poll.title or (r.poll.id or ""),
            words.BAND[r.poll.result.kind].get(r.official.band, r.official.band),
            r.poll.result.percent_vi(r.official.counts[DECIDING_LEVEL[r.poll.result.kind]]),
        )
        for person in combined.people
        for r in person.results
    ]
    columns = ("Họ và tên", "Chức vụ", "Đợt lấy phiếu", "Kết quả", "Tỷ lệ thấp")
    st.html(html_table(columns, rows, label="Nhiều nơi", testid="combine-people"))


def show_files(combined: Combined) -> None:
    rows = [(f.name, f.poll.point or NO_POINT, f.lock_hash or NOT_LOCKED) for f in combined.files]
    rows += [
        (copy, "", f"trùng với {first}: chỉ tính một lần") for first, copy in combined.duplicates
    ]
    st.subheader("Các tệp đã dùng và mã khóa")
    st.html(
        html_table(
            ("Tệp", "Điểm", "Mã khóa"),
            rows,
            label="Các tệp",
            testid="combine-files",
            column_tones=("", "", "mono"),
        )
    )


def downloads(combined: Combined, files: Sequence) -> None:
    """The report as XLSX, PDF and DOCX, made once per set of files."""
    parts = [u.getvalue() for u in files] + ["\n".join(combined.missing).encode()]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()
    made = st.session_state.get(K + "made")
    if made is None or made[0] != digest:
        from tinnhiem.documents.combined import combined_docx, combined_pdf
        from tinnhiem.documents.combined_sheet import combined_xlsx

        made = (digest, combined_xlsx(combined), combined_pdf(combined), combined_docx(combined))
        st.session_state[K + "made"] = made
    st.subheader("Tải về")
    reports = (
        ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("PDF", "pdf", "application/pdf"),
        ("Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    for column, data, (name, ext, mime) in zip(st.columns(3), made[1:4], reports, strict=True):
        column.download_button(
            f"Báo cáo tổng hợp ({name})",
            data,
            file_name=f"tong-hop.{ext}",
            mime=mime,
            key=K + ext,
            on_click="ignore",
        )
