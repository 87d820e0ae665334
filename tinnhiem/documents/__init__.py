"""Documents an agency can use as they are: minutes, ballot papers, result files.

Bytes in, bytes out: every function takes a ``Poll`` (and its ``Tally`` where a result is
printed; ``None`` computes it) and returns the file's bytes, ready for a download button
or a file. What only the store knows (state, lock time, audit hash, the entry log) comes
in an optional ``RecordInfo``; without it the minutes say the result is provisional.

Public API::

    minutes_docx(poll, result=None, record=None) -> bytes   # biên bản kiểm phiếu, Word
    minutes_pdf(poll, result=None, record=None) -> bytes    # the same for print, with chart
    ballots_pdf(poll, copies=1, serial=False) -> bytes      # phiếu tín nhiệm, A4
    ballot_layout(poll, serial=False) -> dict               # its boxes, tinnhiem-layout/1
    results_xlsx(poll, result=None) -> bytes                # published-table layout
    results_csv(poll, result=None) -> bytes                 # UTF-8 with BOM, injection-safe
    poll_json(poll, extra=None) -> bytes                    # the poll file, for archiving
    resolution_docx(poll, result=None, record=None) -> bytes  # dự thảo nghị quyết (NQ 96)
    images_zip(scanned_images, kept) -> bytes  # the scanned ballot images, SHA256SUMS
    record_info(state, lock_info, ballots, chain_marks) -> RecordInfo
    chain_mark(audit_entry) -> ChainMark   # one close, reopen or lock, with its reason

Raises ``PollError`` (from the tally) when the poll is not valid, and ``DocumentError``
(a Vietnamese sentence) when a document cannot be made for any other reason.
"""

from __future__ import annotations

import json

from tinnhiem.documents import ballots, image_archive, resolution, results
from tinnhiem.documents.chart import draw_chart
from tinnhiem.documents.errors import DocumentError, guarded
from tinnhiem.documents.minutes import minutes_document
from tinnhiem.documents.record import (
    ChainMark,
    LogRow,
    RecordInfo,
    chain_mark,
    record_info,
    scanned_images,
)
from tinnhiem.documents.render import to_docx, to_pdf
from tinnhiem.model import Poll
from tinnhiem.pollfile import poll_to_data
from tinnhiem.tally import Tally, tally

__all__ = [
    "ChainMark",
    "DocumentError",
    "LogRow",
    "RecordInfo",
    "ballot_layout",
    "ballots_pdf",
    "chain_mark",
    "images_zip",
    "minutes_docx",
    "minutes_pdf",
    "poll_json",
    "record_info",
    "resolution_docx",
    "results_csv",
    "results_xlsx",
    "scanned_images",
]


ballots_pdf = guarded("phiếu tín nhiệm để in")(ballots.ballots_pdf)
ballot_layout = guarded("sơ đồ ô đánh dấu của phiếu")(ballots.ballot_layout)
results_xlsx = guarded("bảng kết quả (Excel)")(results.results_xlsx)
results_csv = guarded("bảng kết quả (CSV)")(results.results_csv)
resolution_docx = guarded("dự thảo nghị quyết")(resolution.resolution_docx)
images_zip = guarded("tệp ZIP các ảnh phiếu quét")(image_archive.images_zip)


@guarded("biên bản kiểm phiếu (Word)")
def minutes_docx(
    poll: Poll, result: Tally | None = None, record: RecordInfo | None = None
) -> bytes:
    """The minutes (biên bản kiểm phiếu) as an editable Word file."""
    return to_docx(minutes_document(poll, result or tally(poll), record))


@guarded("biên bản kiểm phiếu (PDF)")
def minutes_pdf(poll: Poll, result: Tally | None = None, record: RecordInfo | None = None) -> bytes:
    """The minutes as an A4 PDF with the result chart, fonts embedded."""
    result = result or tally(poll)
    return to_pdf(minutes_document(poll, result, record), chart=lambda pdf: draw_chart(pdf, result))


@guarded("tệp cuộc kiểm phiếu")
def poll_json(poll: Poll, extra: dict | None = None) -> bytes:
    """The poll file (``tinnhiem/1``, UTF-8) for archiving; ``extra`` goes into x-tinnhiem."""
    text = json.dumps(poll_to_data(poll, extra), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
