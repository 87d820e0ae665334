"""Where an imported poll came from: it was not counted nor locked on this machine."""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem import words


@dataclass(frozen=True)
class Provenance:
    """An imported poll's file, how and when it came in, and the state it carried."""

    file_name: str
    source: str  # "trang Thiết lập" or "nhập bằng dòng lệnh"
    imported_at: str  # ISO 8601
    state: str  # the state the file carried: "locked" means locked on another machine
    lock_hash: str | None = None

    @property
    def locked_elsewhere(self) -> bool:
        """True when the file came locked: its lock is not this board's."""
        return self.state == "locked"

    def notice(self) -> str:
        """``Kết quả nhập từ tệp “x.json” lúc 14:32:05 ngày 13/12/2023 (…)`` — said in
        place of "official" wherever the result is shown or printed."""
        when = words.moment(self.imported_at)
        name = f"“{self.file_name}”" if self.file_name else "(không rõ tên)"
        return f"Kết quả nhập từ tệp {name} lúc {when} ({self.source})"


def imported_notice(origin: Provenance | None, state: str) -> str:
    """What replaces "official" for a poll that came in locked from a file; "" otherwise."""
    if origin is None or state != "locked" or not origin.locked_elsewhere:
        return ""
    return origin.notice()
