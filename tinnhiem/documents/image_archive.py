"""The scanned ballot images of a poll as one ZIP file, for the office that keeps the record.

Each image sits in the folder of its batch (``lo-01/…``), under a name made safe for every
file system (no folder part, no character Windows refuses, unique in its folder), stored
byte for byte. Beside them: ``SHA256SUMS`` in the format ``sha256sum -c`` checks, and
``danh-sach-anh.csv`` (UTF-8, for Excel) with each file's batch, name in the archive,
name as uploaded, SHA-256 and size. An image listed in two batches is stored once; the
list says where. The archive's bytes depend only on the images, so every click gives the
same file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence

from tinnhiem.documents.errors import DocumentError
from tinnhiem.documents.record import ScannedImage
from tinnhiem.documents.results import inert
from tinnhiem.words import nfc

SUMS = "SHA256SUMS"
LIST = "danh-sach-anh.csv"
LIST_COLUMNS = ("Lô", "Tệp trong ZIP", "Tên tệp khi tải lên", "SHA-256", "Số byte")
_WHEN = (1980, 1, 1, 0, 0, 0)  # a fixed time: the same images give the same archive
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*/\\]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def safe_name(name: str) -> str:
    """``name`` as a file name any system accepts: its last path part, no control or
    reserved character, no leading dot, at most 120 characters; ``anh`` if nothing is left."""
    base = re.split(r"[/\\]", nfc(name))[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    if _RESERVED.match(base):
        base = "_" + base
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base or "anh"


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2.ext``, ``name-3.ext``… the first not in ``taken`` (any case)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate.casefold())
    return candidate


def images_zip(images: Sequence[ScannedImage], kept: Mapping[str, bytes]) -> bytes:
    """The ZIP of the kept ``images`` (``documents.scanned_images`` of the scan entries;
    ``kept``: the stored bytes by SHA-256). DocumentError, in Vietnamese, when there is no
    image or one listed is not kept."""
    if not images:
        raise DocumentError("Cuộc kiểm phiếu này chưa có ảnh phiếu quét nào được lưu.")
    missing = [i.name for i in images if i.sha256 not in kept]
    if missing:
        raise DocumentError(
            f"Không tìm thấy ảnh {missing[0]} trong cơ sở dữ liệu (lô phiếu xác nhận trước khi "
            "ảnh được lưu cùng cuộc kiểm phiếu, hoặc ảnh đã bị xoá). Hãy bấm “Kiểm tra ngay” ở "
            "trang Kết quả để xem chuỗi kiểm toán."
        )
    placed: dict[str, str] = {}  # sha256 → path in the archive
    taken: dict[int, set[str]] = {}
    rows, sums = [], []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for image in images:
            path = placed.get(image.sha256)
            if path is None:
                folder = f"lo-{image.batch_no:02d}"
                used = taken.setdefault(image.batch_no, set())
                path = f"{folder}/{_unique(safe_name(image.name), used)}"
                info = zipfile.ZipInfo(path, _WHEN)
                info.compress_type = zipfile.ZIP_STORED  # images are compressed already
                archive.writestr(info, kept[image.sha256])
                placed[image.sha256] = path
                sums.append(f"{image.sha256}  {path}\n")
            rows.append(
                (image.batch_no, path, nfc(image.name), image.sha256, len(kept[image.sha256]))
            )
        for name, text in ((SUMS, "".join(sums)), (LIST, _table(rows))):
            info = zipfile.ZipInfo(name, _WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _table(rows: list[tuple]) -> str:
    """The list of images as CSV, with a byte-order mark so Excel reads the diacritics."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(LIST_COLUMNS)
    for row in rows:  # a name starting with = + - @ is text, never a formula in Excel
        writer.writerow([inert(cell) for cell in row])
    return "\ufeff" + text.getvalue()
