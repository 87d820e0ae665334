"""The minutes' list of scanned ballot images: each file read on the Quét phiếu screen with
its SHA-256, so whoever keeps the scanner's files can show they are the ones counted."""

from __future__ import annotations

from tinnhiem import words
from tinnhiem.documents.blocks import Block, Heading, Para, Table
from tinnhiem.documents.record import RecordInfo


def images_appendix(record: RecordInfo | None) -> list[Block]:
    """A heading, a sentence and a table of the images (none when nothing was scanned)."""
    if record is None or not record.images:
        return []
    rows = tuple(
        (str(image.batch_no), image.name, words.number(image.pages), image.sha256)
        for image in record.images
    )
    return [
        Heading("Ảnh phiếu đã quét", level=2),
        Para(
            f"{words.number(len(rows))} tệp ảnh được máy đọc và ban kiểm phiếu xác nhận; mã "
            "SHA-256 của mỗi tệp được ghi vào nhật ký kiểm toán: tệp lưu giữ cùng hồ sơ cho ra "
            "đúng mã này thì đúng là tệp đã được kiểm."
        ),
        Table(
            ("Lô", "Tệp ảnh", "Số trang", "Mã SHA-256"),
            rows,
            (9, 38, 13, 105),  # 165 mm; a hash of 64 characters on one line at 7 pt
            ("R", "L", "R", "L"),
            size=7,
            mono=(3,),
        ),
    ]
