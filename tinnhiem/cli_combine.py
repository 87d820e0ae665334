"""``tinnhiem combine FILE… [-o OUT]`` (shared/poll-file.md): poll files above one poll.

Points of one poll added up, polls side by side, people across polls; JSON on standard
output, or ``-o`` a .json, .xlsx or .pdf file. A file refused (unreadable, not valid, a
locked file whose record does not verify, a conflict, a point that differs) ends the
command: nothing written, one line on standard error naming the file, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tinnhiem import problems as P
from tinnhiem.cli_io import fail, read_file, utf8
from tinnhiem.combine import Combined, as_json, combine
from tinnhiem.problems import PollError

OUTPUTS = (".json", ".xlsx", ".pdf")


def _read(name: str) -> bytes:
    try:
        return read_file(name)
    except FileNotFoundError:
        raise P.NO_SUCH_FILE.error(field=name) from None
    except IsADirectoryError:
        raise P.UNREADABLE_FILE.error(field=name, reason="đây là một thư mục") from None
    except OSError as error:
        raise P.UNREADABLE_FILE.error(field=name, reason=error.strerror or "lỗi đọc") from None


def combine_files(names: list[str]) -> Combined:
    """Read, check and combine the files named; raises PollError naming the file refused."""
    from tinnhiem.storage.sealed import read_poll_file

    return combine([read_poll_file(name, _read(name)) for name in names])


def render(combined: Combined, suffix: str) -> bytes:
    """The combined result as the bytes of a .json, .xlsx or .pdf file."""
    if suffix == ".json":
        return (json.dumps(as_json(combined), ensure_ascii=False, indent=2) + "\n").encode()
    if suffix == ".xlsx":
        from tinnhiem.documents.combined_sheet import combined_xlsx

        return combined_xlsx(combined)
    from tinnhiem.documents.combined import combined_pdf

    return combined_pdf(combined)


def cmd_combine(args: argparse.Namespace) -> int:
    """Combine poll files; JSON on stdout, or the file of ``-o``."""
    suffix = Path(args.output).suffix.lower() if args.output else ".json"
    try:
        if suffix not in OUTPUTS:
            raise P.OUTPUT_SUFFIX.error(field=args.output)
        combined = combine_files(args.files)
    except PollError as error:
        return fail(str(error))
    data = render(combined, suffix)
    if not args.output:
        out = utf8(sys.stdout)
        out.write(data.decode("utf-8"))
        out.flush()
        return 0
    try:
        Path(args.output).write_bytes(data)
    except OSError as error:
        return fail(str(P.NOT_WRITTEN(field=args.output, reason=error.strerror or "lỗi ghi")))
    return 0


def cmd_point(args: argparse.Namespace) -> int:
    """Create, in the database, a new point of the poll of an exported file; print its id."""
    from tinnhiem.combine import new_point
    from tinnhiem.pollfile import parse_poll_file
    from tinnhiem.storage import Store, StoreError

    try:
        poll = new_point(parse_poll_file(_read(args.file)), args.point)
    except PollError as error:
        return fail(f"{args.file}: {error}")
    try:
        store = Store(args.db)
        poll_id = store.create_poll(poll, actor=args.actor)
        store.close()
    except StoreError as error:
        return fail(str(error))
    print(poll_id)
    return 0


def add_combine_command(commands) -> None:
    """Register ``combine`` and ``point`` on the ``tinnhiem`` parser's subcommands."""
    p = commands.add_parser(
        "combine", help="tổng hợp các tệp poll: cộng các điểm, đặt các đợt cạnh nhau"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="tệp poll tinnhiem/1 (JSON)")
    p.add_argument("-o", "--output", default=None, help="tệp kết quả .json, .xlsx hoặc .pdf")
    p.set_defaults(func=cmd_combine)

    from tinnhiem.storage import default_db_path

    p = commands.add_parser(
        "point", help="tạo một điểm lấy phiếu mới của đợt trong tệp xuất (cùng mã, cùng danh sách)"
    )
    p.add_argument("file", help="tệp poll đã xuất của đợt lấy phiếu")
    p.add_argument("point", help="tên điểm mới (thôn, tổ dân phố, đơn vị)")
    p.add_argument("--actor", default="tinnhiem point", help="người tạo (ghi vào nhật ký)")
    p.add_argument("--db", default=str(default_db_path()), help="tệp cơ sở dữ liệu")
    p.set_defaults(func=cmd_point)
