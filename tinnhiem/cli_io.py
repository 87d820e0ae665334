"""What every ``tinnhiem`` command shares: the exit codes, UTF-8 output, the one-line
error and reading a file or standard input (tinnhiem.cli, tinnhiem.cli_documents)."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_BROKEN_CHAIN = 1
EXIT_NOT_MADE = 1  # a document could not be made (DocumentError), the input being fine


def utf8(stream):
    """The stream, writing UTF-8 whatever the locale (names are Vietnamese)."""
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    return stream


def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    """Print ``message`` on stderr as one line and return the exit code."""
    # One line, whatever the message quotes from the file (\r, U+2028 … break lines too).
    print(" ".join(message.splitlines()), file=utf8(sys.stderr))
    return code


def read_file(path: str) -> bytes:
    """The bytes of ``path``, or of standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()
