"""The document commands of ``tinnhiem``: minutes, ballots, results and resolution.

Each writes one file (``-o``) for one poll, read from a poll file or, with ``--db``, from
the database; exit 2 for bad input, 1 for a broken audit chain or a document that could
not be made (tinnhiem.cli_io). The other commands are in tinnhiem.cli.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from tinnhiem import words
from tinnhiem.cli_io import EXIT_BAD_INPUT, EXIT_BROKEN_CHAIN, EXIT_NOT_MADE, fail, read_file, utf8
from tinnhiem.pollfile import EXTENSION, load_data, parse_poll_file
from tinnhiem.storage import Store, StoreError
from tinnhiem.tally import tally
from tinnhiem.validation import PollError

MAX_COPIES = 10_000  # ballot papers one command prints

DOCUMENT_SUFFIXES = {
    "minutes": (".docx", ".pdf"),
    "ballots": (".pdf",),
    "results": (".xlsx", ".csv", ".json"),
    "resolution": (".docx",),
}


class _Refused(Exception):
    """Raised inside a document command with the one line to print before exiting (2, or
    the code given)."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.code = code


def _record(store: Store, poll_id: int):
    """The documents' RecordInfo of a stored poll (``stored_record``)."""
    from tinnhiem.stored_record import stored_record

    return stored_record(store, poll_id)


def _archived_record(name: str, raw: bytes):
    """The RecordInfo an exported poll file carries, once its audit chain checks out.

    A file exported by ``tinnhiem export`` holds the state, the lock and the audit chain;
    it is restored into a throw-away database, which checks every link, so a locked poll's
    archive gives the same official minutes as the database. A plain poll file gives None
    (the documents are then marked provisional).
    """

    data = load_data(raw)  # already read once by parse_poll_file: it is a valid file
    extension = data.get(EXTENSION)
    if not isinstance(extension, dict) or "audit" not in extension:
        return None
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "archive.db")
        try:
            poll_id = store.import_data(data, actor="tinnhiem", file_name=Path(name).name)
        except PollError as error:
            raise _Refused(f"{name}: {error}") from None
        record = _record(store, poll_id)
        store.close()
    return record


def _document_source(args: argparse.Namespace):
    """The poll and its RecordInfo: from a poll file, or from the database with ``--db``."""

    if args.db is None:
        try:
            raw = read_file(args.poll)
        except FileNotFoundError:
            raise _Refused(f"{args.poll}: không có tệp này; kiểm tra lại đường dẫn.") from None
        except IsADirectoryError:
            raise _Refused(f"{args.poll}: đây là một thư mục, không phải tệp poll.") from None
        except OSError as error:
            raise _Refused(f"{args.poll}: không đọc được tệp ({error.strerror}).") from None
        try:
            poll = parse_poll_file(raw)
        except PollError as error:
            raise _Refused(f"{args.poll}: {error}") from None
        return poll, _archived_record(args.poll, raw)
    if not args.poll.isdigit():
        raise _Refused(f"với --db, POLL phải là số của đợt lấy phiếu, không phải “{args.poll}”.")
    if not Path(args.db).is_file():
        raise _Refused(f"{args.db}: không có cơ sở dữ liệu này; kiểm tra lại đường dẫn.")
    poll_id = int(args.poll)
    try:
        store = Store(args.db)
        poll = store.get_poll(poll_id)
        record = _record(store, poll_id)
        if args.command == "minutes" and not store.verify_anchored(poll_id).ok:
            raise _Refused(
                f"đợt lấy phiếu số {poll_id} không qua được kiểm tra nhật ký kiểm toán (dữ liệu "
                f"đã bị sửa); không lập biên bản — chạy “tinnhiem verify {poll_id} "
                f"--db {args.db}” để xem chi tiết.",
                EXIT_BROKEN_CHAIN,
            )
    except StoreError as error:
        raise _Refused(str(error)) from None
    return poll, record


def cmd_document(args: argparse.Namespace) -> int:
    """Write minutes, ballot papers, result files or the draft resolution of one poll."""
    from tinnhiem import documents

    suffix = Path(args.output).suffix.lower()
    allowed = DOCUMENT_SUFFIXES[args.command]
    if suffix not in allowed:
        return fail(
            f"{args.output}: lệnh {args.command} không ghi được đuôi “{suffix or '(không có)'}”; "
            f"dùng {', '.join(allowed)}."
        )
    if args.command == "ballots" and not 1 <= args.copies <= MAX_COPIES:
        most = words.number(MAX_COPIES)  # the number typed is echoed as typed
        return fail(f"--copies: số bản phải từ 1 đến {most}, không phải {args.copies}.")
    layout = None
    try:
        poll, record = _document_source(args)
        if args.command == "ballots":
            data = documents.ballots_pdf(poll, copies=args.copies, serial=args.serial)
            if args.layout is not None:
                layout = documents.ballot_layout(poll, serial=args.serial)
        elif args.command == "results" and suffix == ".json":
            data = documents.poll_json(poll)
        else:
            result = tally(poll)
            make = {
                ("minutes", ".docx"): lambda: documents.minutes_docx(poll, result, record),
                ("minutes", ".pdf"): lambda: documents.minutes_pdf(poll, result, record),
                ("results", ".xlsx"): lambda: documents.results_xlsx(poll, result),
                ("results", ".csv"): lambda: documents.results_csv(poll, result),
                ("resolution", ".docx"): lambda: documents.resolution_docx(poll, result, record),
            }
            data = make[args.command, suffix]()
    except _Refused as refused:
        return fail(str(refused), refused.code)
    except PollError as error:
        return fail(f"{args.poll}: {error}")
    except documents.DocumentError as error:
        return fail(f"{args.poll}: {error}", code=EXIT_NOT_MADE)
    written = [(args.output, data)]
    if layout is not None:
        text = json.dumps(layout, ensure_ascii=False) + "\n"
        written.append((args.layout, text.encode("utf-8")))
    for name, content in written:
        try:
            Path(name).write_bytes(content)
        except OSError as error:
            return fail(f"{name}: không ghi được tệp ({error.strerror}).")
        print(f"Đã ghi {name}.", file=utf8(sys.stderr))
    return 0


def _document_parser(commands, name: str, help_text: str) -> argparse.ArgumentParser:
    p = commands.add_parser(name, help=help_text)
    p.add_argument("poll", metavar="POLL", help="tệp poll tinnhiem/1 (JSON); với --db: số đợt")
    p.add_argument(
        "-o", "--output", required=True, help=f"tệp sẽ ghi ({', '.join(DOCUMENT_SUFFIXES[name])})"
    )
    p.add_argument("--db", default=None, help="lấy đợt lấy phiếu số POLL từ cơ sở dữ liệu này")
    p.set_defaults(func=cmd_document)
    return p


def add_document_commands(commands) -> None:
    """The commands minutes, ballots, results and resolution, in this order."""
    _document_parser(commands, "minutes", "biên bản kiểm phiếu (DOCX để sửa, PDF để in)")
    p = _document_parser(commands, "ballots", "phiếu tín nhiệm để in (PDF, A4)")
    p.add_argument("--copies", type=int, default=1, help="số bản (mặc định 1)")
    p.add_argument("--serial", action="store_true", help="in số thứ tự “Số: 001” trên mỗi phiếu")
    p.add_argument(
        "--layout", metavar="FILE", default=None, help="ghi thêm vị trí các ô đánh dấu (JSON)"
    )
    _document_parser(commands, "results", "bảng kết quả (XLSX, CSV) hoặc tệp poll (JSON)")
    _document_parser(commands, "resolution", "dự thảo nghị quyết xác nhận kết quả (DOCX)")
