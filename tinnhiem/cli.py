"""The ``tinnhiem`` command line.

``tally FILE`` is the public contract of shared/poll-file.md: JSON on stdout and exit 0,
or nothing on stdout, one line on stderr naming the field, and exit 2. The other
commands work on the database (``--db``, default: tinnhiem.paths.default_db_path); the
document commands (minutes, ballots, results, resolution) are in tinnhiem.cli_documents.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import tinnhiem
from tinnhiem import words
from tinnhiem.cli_combine import add_combine_command
from tinnhiem.cli_documents import add_document_commands
from tinnhiem.cli_io import EXIT_BROKEN_CHAIN, fail, read_file, utf8
from tinnhiem.demo import DEMO_PIN
from tinnhiem.pollfile import load_data, parse_poll_file, poll_from_data
from tinnhiem.storage import Store, StoreError, access, default_db_path
from tinnhiem.tally import as_json, tally
from tinnhiem.validation import PollError


def cmd_tally(args: argparse.Namespace) -> int:
    """Print the tally of a poll file as JSON."""
    try:
        raw = read_file(args.file)
    except FileNotFoundError:
        return fail(f"{args.file}: không có tệp này; kiểm tra lại đường dẫn.")
    except IsADirectoryError:
        return fail(f"{args.file}: đây là một thư mục, không phải tệp poll.")
    except PermissionError:
        return fail(f"{args.file}: không có quyền đọc tệp này.")
    except OSError as error:
        return fail(f"{args.file}: không đọc được tệp ({error.strerror}).")
    try:
        result = as_json(tally(parse_poll_file(raw)))
    except PollError as error:
        return fail(str(error))
    out = utf8(sys.stdout)
    json.dump(result, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def _store(args: argparse.Namespace, existing: bool = False) -> Store:
    """The database of ``--db``; with ``existing``, a missing file is an error, not a new one.

    A file that cannot be opened as the app's database (not SQLite, another program's, its
    schema edited, the disk unreadable) ends the command: one line on stderr, exit 2.
    """
    path = Path(args.db)
    if existing and not path.is_file():
        raise StoreError(f"{args.db}: không có tệp cơ sở dữ liệu này (xem --db, TINNHIEM_DB).")
    if existing and path.stat().st_size == 0:
        raise SystemExit(fail(f"{args.db}: tệp rỗng, không phải cơ sở dữ liệu của tinnhiem."))
    try:
        return Store(args.db)
    except StoreError as error:
        raise SystemExit(fail(str(error))) from None


def cmd_export(args: argparse.Namespace) -> int:
    """Write one poll of the database to a poll file."""
    try:
        data = _store(args, existing=True).export_data(args.poll_id)
    except StoreError as error:
        return fail(str(error))
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        return fail(f"{args.output}: không ghi được tệp ({error.strerror}).")
    print(f"Đã xuất đợt lấy phiếu số {args.poll_id} ra {args.output}.", file=utf8(sys.stderr))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Store a poll file as a new poll and print its id."""
    try:
        raw = read_file(args.file)
    except OSError as error:
        return fail(f"{args.file}: không đọc được tệp ({error.strerror}).")
    try:
        data = load_data(raw)
        poll_from_data(data)  # the file's own errors first, before the database is opened
        poll_id = _store(args).import_data(data, actor=args.actor, file_name=Path(args.file).name)
    except PollError as error:
        return fail(str(error))
    except StoreError as error:
        return fail(str(error))
    print(poll_id)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Check the audit chains, and compare them with the backups in each poll's second
    backup folder and in every ``--backups`` folder; exit 1 with the report when anything
    is wrong (a cut or rewritten tail a backup shows included)."""
    for folder in args.backups or ():
        if not Path(folder).is_dir():
            return fail(f"--backups: không có thư mục {folder}; kiểm tra lại đường dẫn.")
    try:
        report = _store(args, existing=True).verify_anchored(
            args.poll_id, tuple(args.backups or ())
        )
    except StoreError as error:
        return fail(str(error))
    scope = f"đợt lấy phiếu số {args.poll_id}" if args.poll_id is not None else "mọi đợt lấy phiếu"
    out = utf8(sys.stdout)
    if report.ok:
        print(
            f"Chuỗi kiểm toán hợp lệ ({scope}): {words.number(report.entries)} mục nhật ký khớp "
            "với dữ liệu; "
            f"mã băm cuối {report.head_hash or '(chưa có)'}.",
            file=out,
        )
    else:
        problems = words.number(len(report.problems))
        print(f"Chuỗi kiểm toán KHÔNG hợp lệ ({scope}): {problems} vấn đề.", file=out)
        for problem in report.problems:
            print(f"- {problem}", file=out)
    for note in report.notes:
        print(f"Ghi chú: {note}", file=out)
    return 0 if report.ok else EXIT_BROKEN_CHAIN


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the whole database with SQLite's backup API and print where it went."""
    try:
        written = _store(args, existing=True).backup(args.output)
    except StoreError as error:
        return fail(str(error))
    print(written)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database by a backup whose audit chain checks out."""
    try:
        previous = _store(args).restore(args.file)
    except StoreError as error:
        return fail(str(error))
    print(f"Đã khôi phục từ {args.file}; cơ sở dữ liệu trước đó được lưu ở {previous}.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Create the demo poll and print its id."""
    print(_store(args).create_demo())
    return 0


def _lan_refusal(store: Store) -> str:
    """Why LAN mode cannot start ("" when it can): every poll that can still change needs a
    PIN of LAN_MIN_DIGITS digits or more (the untouched demo's PIN is public anyway), and
    the administrator's PIN too — a stranger on the network must not be able to guess one."""
    shortest = access.LAN_MIN_DIGITS
    admin = store.admin_digits()
    if admin is None or admin < shortest:
        missing = (
            "chưa đặt mã quản trị" if admin is None else f"mã quản trị ngắn hơn {shortest} chữ số"
        )
        return (
            f"Chưa mở được chế độ mạng nội bộ (--lan): {missing}. Mở ứng dụng không có "
            "--lan (tinnhiem app), đặt mã quản trị ở màn hình đầu tiên, rồi chạy lại với --lan."
        )
    weak = [
        p.id
        for p in store.list_polls()
        if p.state != "locked"
        and (store.pin_digits(p.id) or 0) < shortest
        and not store.is_demo(p.id)
    ]
    if not weak:
        return ""
    numbers = ", ".join(f"#{n}" for n in weak)
    return (
        f"Chưa mở được chế độ mạng nội bộ (--lan): cuộc kiểm phiếu {numbers} chưa có mã PIN "
        f"từ {shortest} chữ số trở lên, máy khác trong mạng có thể đoán hoặc sửa được. Mở ứng "
        f"dụng không có --lan, đặt mã PIN (ít nhất {shortest} chữ số) cho từng cuộc, rồi chạy "
        "lại với --lan."
    )


def cmd_app(args: argparse.Namespace) -> int:
    """Start the app (creating the demo poll, PIN DEMO_PIN, in an empty database first).

    By default the server listens on 127.0.0.1 only (.streamlit/config.toml). ``--lan``
    listens on every address so other laptops in the hall can enter ballots or show the
    projector; it refuses to start without an administrator's PIN, or while a poll that is
    not locked has no PIN or a PIN shorter than access.LAN_MIN_DIGITS digits. Streamlit's
    XSRF protection is never turned off here.
    """
    os.environ["TINNHIEM_DB"] = str(Path(args.db).resolve())
    try:
        store = _store(args)
        store.ensure_demo(pin=DEMO_PIN)
        refusal = _lan_refusal(store) if args.lan else ""
    except StoreError as error:
        return fail(str(error))
    if refusal:
        return fail(refusal)
    # tinnhiem.ui.server finds the app's files wherever the package is installed, so the
    # server starts from any working directory (see its docstring).
    command = [sys.executable, "-m", "tinnhiem.ui.server", "--server.port", str(args.port)]
    if args.lan:
        command += ["--server.address", "0.0.0.0"]
    sys.stdout.flush()
    return _run_server(command)


def _run_server(command: list[str]) -> int:
    """Run the server until it stops; its exit status.

    On POSIX the server replaces this process, so stopping `tinnhiem app` (a signal, a
    service manager) stops the server. Windows has no such exec: the server is a child,
    and Ctrl+C in the console reaches both.
    """
    if os.name == "posix":
        os.execv(command[0], command)
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except KeyboardInterrupt:  # the console sent it to the server too; let it finish
        return server.wait()


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=str(default_db_path()),
        help=f"tệp cơ sở dữ liệu (mặc định: $TINNHIEM_DB, hoặc {default_db_path()})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinnhiem", description="Kiểm phiếu lấy phiếu tín nhiệm và bỏ phiếu tín nhiệm."
    )
    parser.add_argument("--version", action="version", version=f"tinnhiem {tinnhiem.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("tally", help="tính kết quả một tệp poll (JSON ra stdout)")
    p.add_argument("file", help="tệp poll tinnhiem/1 (JSON), hoặc - cho stdin")
    p.set_defaults(func=cmd_tally)

    p = commands.add_parser("export", help="xuất một đợt lấy phiếu ra tệp poll (JSON)")
    p.add_argument("poll_id", type=int, help="số của đợt lấy phiếu")
    p.add_argument("-o", "--output", required=True, help="tệp JSON sẽ ghi")
    _db_option(p)
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("import", help="nhập một tệp poll thành đợt lấy phiếu mới")
    p.add_argument("file", help="tệp poll tinnhiem/1 (JSON), hoặc - cho stdin")
    p.add_argument("--actor", default="tinnhiem import", help="người nhập (ghi vào nhật ký)")
    _db_option(p)
    p.set_defaults(func=cmd_import)

    p = commands.add_parser("verify", help="kiểm tra chuỗi kiểm toán (thoát 1 nếu bị sửa)")
    p.add_argument("poll_id", type=int, nargs="?", help="số của đợt lấy phiếu (mặc định: tất cả)")
    p.add_argument(
        "--backups",
        action="append",
        metavar="DIR",
        help="đối chiếu thêm với các bản sao lưu trong thư mục này (ví dụ ổ USB); lặp lại được",
    )
    _db_option(p)
    p.set_defaults(func=cmd_verify)

    p = commands.add_parser("demo", help="tạo đợt lấy phiếu minh họa")
    _db_option(p)
    p.set_defaults(func=cmd_demo)

    add_document_commands(commands)  # minutes, ballots, results, resolution
    add_combine_command(commands)

    p = commands.add_parser("backup", help="sao lưu toàn bộ cơ sở dữ liệu")
    p.add_argument(
        "-o",
        "--output",
        default=None,
        help="tệp sao lưu (mặc định: thư mục backups cạnh cơ sở dữ liệu)",
    )
    _db_option(p)
    p.set_defaults(func=cmd_backup)

    p = commands.add_parser("restore", help="khôi phục từ một tệp sao lưu (kiểm tra chuỗi trước)")
    p.add_argument("file", help="tệp sao lưu .db")
    _db_option(p)
    p.set_defaults(func=cmd_restore)

    p = commands.add_parser("app", help="mở ứng dụng (Streamlit)")
    p.add_argument("--port", type=int, default=8501, help="cổng (mặc định 8501)")
    p.add_argument(
        "--lan",
        action="store_true",
        help="cho máy khác trong mạng nội bộ vào (0.0.0.0); mã quản trị và mã PIN của mọi "
        "cuộc chưa khóa phải dài ít nhất 6 chữ số",
    )
    _db_option(p)
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
