"""``tinnhiem scan POLL IMAGE…``: read scanned ballot papers, one JSON line per page.

POLL is a poll file, or with ``--db PATH`` the number of a stored poll (as the document
commands take it, tinnhiem.cli_documents). Every file is checked to be a picture or a PDF
before any page is read, so a typo in the last name does not leave half a batch printed:
exit 2 with one line on standard error then, and for a bad POLL; else exit 0, whatever the
pages held (poll-file.md, ``tinnhiem scan``).
"""

from __future__ import annotations

import argparse
import json
import sys

from tinnhiem import problems as P
from tinnhiem.cli_documents import _document_source, _Refused
from tinnhiem.cli_io import EXIT_BAD_INPUT, fail, utf8
from tinnhiem.validation import PollError

# The first bytes of the files OpenCV and PDFium open: PNG, JPEG, TIFF, PDF, BMP, WebP.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"%PDF", b"BM")


def _looks_like_a_picture(raw: bytes) -> bool:
    return raw.startswith(_SIGNATURES) or (raw[:4] == b"RIFF" and raw[8:12] == b"WEBP")


def _read_all(names: list[str]) -> list[bytes]:
    """Every file's bytes; raises _Refused naming the first that is missing or no picture."""
    contents = []
    for name in names:
        try:
            with open(name, "rb") as file:
                raw = file.read()
        except FileNotFoundError:
            raise _Refused(str(P.NO_SUCH_IMAGE(file=name))) from None
        except OSError:
            raise _Refused(str(P.NOT_AN_IMAGE(file=name))) from None
        if not _looks_like_a_picture(raw):
            raise _Refused(str(P.NOT_AN_IMAGE(file=name)))
        contents.append(raw)
    return contents


def cmd_scan(args: argparse.Namespace) -> int:
    """Print what every page of every image holds for the poll, one JSON object a line."""
    from tinnhiem.scanning import NotAnImage, expected_for, open_pages, read_page

    try:
        poll, _ = _document_source(args)
        contents = _read_all(args.images)
    except _Refused as refused:
        return fail(str(refused), refused.code)
    except PollError as error:
        return fail(f"{args.poll}: {error}")
    expected = expected_for(poll)
    out = utf8(sys.stdout)
    for name, raw in zip(args.images, contents, strict=True):
        try:
            pages = open_pages(raw)
        except NotAnImage:
            return fail(str(P.NOT_AN_IMAGE(file=name)), EXIT_BAD_INPUT)
        for number, gray in enumerate(pages, start=1):
            reading = read_page(gray, expected)
            line = {
                "file": name,
                "page": number,
                "status": reading.status,
                "ballot_page": reading.ballot_page,
                "ballot_pages": reading.ballot_pages,
                "serial": reading.serial,
                "entry": reading.entry,
                "doubtful": reading.doubtful,
                "message": reading.message,
            }
            print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
    return 0


def add_scan_command(commands) -> None:
    """The command scan."""
    p = commands.add_parser("scan", help="đọc phiếu đã quét hoặc chụp (mỗi trang một dòng JSON)")
    p.add_argument("poll", metavar="POLL", help="tệp poll tinnhiem/1 (JSON); với --db: số đợt")
    p.add_argument("images", metavar="IMAGE", nargs="+", help="ảnh quét: PNG, JPEG, TIFF, PDF")
    p.add_argument("--db", default=None, help="lấy đợt lấy phiếu số POLL từ cơ sở dữ liệu này")
    p.set_defaults(func=cmd_scan)
