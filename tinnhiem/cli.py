"""The ``tinnhiem`` command line.

``tally FILE`` is the public contract of shared/poll-file.md: JSON on stdout and exit 0,
or nothing on stdout, one line on stderr naming the field, and exit 2. The other
commands work on the database (``--db``, default ``data/tinnhiem.db``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tinnhiem.pollfile import parse_poll_file
from tinnhiem.tally import as_json, tally
from tinnhiem.validation import PollError

EXIT_BAD_INPUT = 2


def _utf8(stream):
    """The stream, writing UTF-8 whatever the locale (names are Vietnamese)."""
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    # One line, whatever the message quotes from the file (\r, U+2028 … break lines too).
    print(" ".join(message.splitlines()), file=_utf8(sys.stderr))
    return code


def _read_file(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def cmd_tally(args: argparse.Namespace) -> int:
    """Print the tally of a poll file as JSON."""
    try:
        raw = _read_file(args.file)
    except FileNotFoundError:
        return _fail(f"{args.file}: không có tệp này; kiểm tra lại đường dẫn.")
    except IsADirectoryError:
        return _fail(f"{args.file}: đây là một thư mục, không phải tệp poll.")
    except PermissionError:
        return _fail(f"{args.file}: không có quyền đọc tệp này.")
    except OSError as error:
        return _fail(f"{args.file}: không đọc được tệp ({error.strerror}).")
    try:
        result = as_json(tally(parse_poll_file(raw)))
    except PollError as error:
        return _fail(str(error))
    out = _utf8(sys.stdout)
    json.dump(result, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tinnhiem", description="Kiểm phiếu lấy phiếu tín nhiệm và bỏ phiếu tín nhiệm."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("tally", help="tính kết quả một tệp poll (JSON ra stdout)")
    p.add_argument("file", help="tệp poll tinnhiem/1 (JSON), hoặc - cho stdin")
    p.set_defaults(func=cmd_tally)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
