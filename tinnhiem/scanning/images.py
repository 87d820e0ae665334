"""A scanned file as pages of grey pixels: PNG, JPEG, TIFF (every page), PDF (every page)."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2  # type: ignore[import-untyped]  # ships no py.typed (5.x)

PDF_DPI = 200  # a PDF page is rendered at this resolution, enough for 9 × 6 mm boxes
MAX_SIDE = 6000  # px: larger pictures are shrunk before reading (a 600 dpi A4 is 7016)


class NotAnImage(ValueError):
    """Raised when a file is neither a picture OpenCV can open nor a PDF."""


_MAGIC = (
    (b"%PDF", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8", "image/jpeg"),
)


def media_type(raw: bytes) -> str:
    """The file's media type by its first bytes, as kept with the poll."""
    return next(
        (kind for start, kind in _MAGIC if raw.startswith(start)), "application/octet-stream"
    )


def _kind(raw: bytes) -> str:
    return {"application/pdf": "pdf", "image/tiff": "tiff"}.get(media_type(raw), "picture")


def _shrunk(page: np.ndarray) -> np.ndarray:
    side = max(page.shape[:2])
    if side <= MAX_SIDE:
        return page
    factor = MAX_SIDE / side
    return np.asarray(cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA))


def _pdf_pages(raw: bytes) -> list[np.ndarray]:
    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as error:
        raise NotAnImage(str(error)) from None
    try:
        pages = []
        for page in document:
            bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
            pixels = np.array(bitmap.to_numpy(), dtype=np.uint8)
            if pixels.ndim == 3:  # some PDFium builds give BGR(A) even in grey mode
                pixels = np.asarray(cv2.cvtColor(pixels[:, :, :3], cv2.COLOR_BGR2GRAY), np.uint8)
            pages.append(pixels)
        return pages
    finally:
        document.close()


def open_pages(raw: bytes) -> list[np.ndarray]:
    """Every page of a scanned file, grey 8-bit, in order; raises NotAnImage."""
    buffer = np.frombuffer(raw, dtype=np.uint8)
    kind = _kind(raw)
    if kind == "pdf":
        pages = _pdf_pages(raw)
    elif kind == "tiff":
        ok, found = cv2.imdecodemulti(buffer, cv2.IMREAD_GRAYSCALE)
        pages = list(found) if ok else []
    else:
        picture = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE) if raw else None
        pages = [] if picture is None else [picture]
    if not pages:
        raise NotAnImage("no page")
    return [_shrunk(np.ascontiguousarray(page, dtype=np.uint8)) for page in pages]
