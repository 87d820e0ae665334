"""A folder a scanner writes to: which of its files are ready to read, which are still being
written, and every way the path can be wrong, in Vietnamese.

Only the folder's own files (not its subfolders) whose name ends like a picture or a PDF are
taken, in name order (a scanner numbers its pages). A file is ready when it is not empty and
has not changed for ``SETTLE_SECONDS``: a sheet-fed scanner writes a page in under a second,
and a file still growing would read as a broken picture. Works the same on Windows paths
(``D:\\Scan``) through ``pathlib``; ``~`` is the user's home.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf", ".webp", ".bmp")
SETTLE_SECONDS = 2.0
MAX_FILES = 2000  # a folder of more than this is not a batch: pick the day's subfolder
MAX_BYTES = 64 * 1024 * 1024  # one scanned page, even a 600 dpi colour TIFF, is far less


class FolderProblem(Exception):
    """The folder cannot be read; the message says why and what to do, in Vietnamese."""


@dataclass(frozen=True)
class FolderFile:
    """One ready file, read: what the reader needs of an uploaded file (name, getvalue)."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class Listing:
    """What the folder holds now: files ready to read, names still being written, names
    skipped (too big) and the count of other files (not pictures)."""

    folder: Path
    ready: tuple[Path, ...]
    growing: tuple[str, ...]
    too_big: tuple[str, ...]
    others: int


def folder_of(text: str) -> Path:
    """The folder named by ``text`` (spaces and quotes around it dropped, ``~`` expanded);
    FolderProblem when there is none, it does not exist, is a file or cannot be opened."""
    cleaned = text.strip().strip("\"'").strip()
    if not cleaned:
        raise FolderProblem("Chưa nhập đường dẫn thư mục. Nhập thư mục mà máy quét ghi ảnh vào.")
    if "\x00" in cleaned:
        raise FolderProblem("Đường dẫn có ký tự không hợp lệ. Hãy chép lại đường dẫn thư mục.")
    folder = Path(cleaned).expanduser()
    try:
        if not folder.exists():
            raise FolderProblem(
                f"Không có thư mục “{cleaned}” trên máy này. Kiểm tra lại đường dẫn (chép từ "
                "thanh địa chỉ của trình quản lý tệp)."
            )
        if not folder.is_dir():
            raise FolderProblem(
                f"“{cleaned}” là một tệp, không phải thư mục. Nhập thư mục chứa các ảnh quét, "
                "hoặc tải tệp này lên ở ô phía trên."
            )
        os.listdir(folder)
    except PermissionError as error:
        raise FolderProblem(
            f"Không có quyền đọc thư mục “{cleaned}”. Chọn thư mục khác hoặc cấp quyền đọc."
        ) from error
    except OSError as error:
        raise FolderProblem(
            f"Không mở được thư mục “{cleaned}” ({error.strerror or 'lỗi hệ thống'}). Kiểm tra "
            "lại đường dẫn và ổ đĩa."
        ) from error
    return folder


def listing(folder: Path, now: float | None = None) -> Listing:
    """The picture and PDF files of ``folder`` now (FolderProblem if it cannot be read)."""
    now = time.time() if now is None else now
    ready, growing, too_big, others = [], [], [], 0
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name))
    except OSError as error:
        raise FolderProblem(
            f"Không đọc được thư mục “{folder}” ({error.strerror or 'lỗi hệ thống'})."
        ) from error
    for path in entries:
        try:
            if not path.is_file():
                continue
            if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
                others += 1
                continue
            stat = path.stat()
        except OSError:  # gone between the listing and now: the scanner renamed it
            continue
        if stat.st_size > MAX_BYTES:
            too_big.append(path.name)
        elif stat.st_size == 0 or now - stat.st_mtime < SETTLE_SECONDS:
            growing.append(path.name)
        else:
            ready.append(path)
    if len(ready) > MAX_FILES:
        raise FolderProblem(
            f"Thư mục có {len(ready)} tệp ảnh, nhiều hơn một lô ({MAX_FILES}). Hãy để mỗi lô "
            "phiếu trong một thư mục riêng."
        )
    return Listing(folder, tuple(ready), tuple(growing), tuple(too_big), others)


def read_files(paths: tuple[Path, ...]) -> tuple[list[FolderFile], list[str]]:
    """The ready files' bytes, and the names that could not be read (moved or locked)."""
    files, failed = [], []
    for path in paths:
        try:
            files.append(FolderFile(path.name, path.read_bytes()))
        except OSError:
            failed.append(path.name)
    return files, failed


def not_kept(files: list[FolderFile], kept: set[str]) -> list[FolderFile]:
    """The files whose bytes (SHA-256) are not among ``kept``: a folder read again after a
    confirmed batch gives only its new pages."""
    return [f for f in files if hashlib.sha256(f.data).hexdigest() not in kept]
