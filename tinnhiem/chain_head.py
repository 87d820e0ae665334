"""How the audit chain's head is named to people: "Nhật ký 52 mục · mã 1a2b3c4d".

The projector shows it after every change, the results page and the minutes at each close
and lock; the same words everywhere so the hall can compare what it noted with any copy.
"""

from __future__ import annotations

SHORT = 8  # hex digits of the head's hash shown (32 bits: a silent match is 1 in 4 billion)


def head_words(entries: int, digest: str) -> str:
    """ "Nhật ký 52 mục · mã 1a2b3c4d" for a chain of ``entries`` ending with ``digest``."""
    return f"Nhật ký {entries} mục · mã {digest[:SHORT]}"
