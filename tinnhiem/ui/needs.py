"""“Needs k more”: beside “đã chắc chắn”, what would still move an official's band.

One sentence per official whose band can still change (``final`` false), from
``arithmetic.need`` (exact integers on the rule set's edges) and ``words.needs``; nothing
for a final one. The projector takes the short form, the results page the full one.
"""

from __future__ import annotations

from tinnhiem import arithmetic, words
from tinnhiem.model import DECIDING_LEVEL
from tinnhiem.tally import OfficialResult, Tally


def needs(result: Tally, official: OfficialResult, short: bool = False) -> str:
    """``cần thêm 3 phiếu thấp nữa để quá nửa; còn 12 phiếu chưa kiểm``, or '' when final."""
    if official.final:
        return ""
    count = official.counts[DECIDING_LEVEL[result.kind]]
    need = arithmetic.need(count, result.remaining, result.base, result.kind, result.rules)
    return words.needs(result.kind, need, short) if need else ""
