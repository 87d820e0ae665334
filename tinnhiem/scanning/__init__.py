"""Reading scanned or photographed ballot papers printed by ``tinnhiem ballots``.

Pure image code (numpy, OpenCV, pypdfium2): no Streamlit, no SQL. ``images`` opens a file
as pages, ``locate`` finds a page's corner markers and QR code, ``marks`` scores the boxes
and decides each row, ``reader`` puts them together as ``read_page``. Apart from them,
``storing`` puts a confirmed batch into the database through the Store (no SQL of its own).
"""

from tinnhiem.scanning.images import NotAnImage, open_pages
from tinnhiem.scanning.reader import Expected, PageReading, expected_for, read_page

__all__ = ["Expected", "NotAnImage", "PageReading", "expected_for", "open_pages", "read_page"]
