"""A realistic demo poll, so the app has something to show on its first start.

A fictional provincial council (50 members, 47 present) polls 12 officials under
NQ 96/2023, one of them exempt; 47 ballots are generated from a fixed seed, so the demo
is the same on every machine.
"""

from __future__ import annotations

import random

from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll

# The demo board's PIN, shown in the app's sidebar for the demo only (it is a demonstration).
DEMO_PIN = "1234"

DEMO_OFFICIALS: tuple[Official, ...] = (
    Official("Nguyễn Văn An", "Chủ tịch HĐND tỉnh"),
    Official("Trần Thị Bích Ngọc", "Phó Chủ tịch HĐND tỉnh"),
    Official("Lê Hoàng Phúc", "Phó Chủ tịch HĐND tỉnh"),
    Official("Phạm Quốc Hùng", "Trưởng Ban Kinh tế - Ngân sách HĐND tỉnh"),
    Official("Võ Thị Thu Hà", "Trưởng Ban Văn hóa - Xã hội HĐND tỉnh"),
    Official("Đặng Minh Đức", "Trưởng Ban Pháp chế HĐND tỉnh"),
    Official("Huỳnh Tấn Lộc", "Chủ tịch UBND tỉnh"),
    Official("Bùi Thị Mỹ Duyên", "Phó Chủ tịch UBND tỉnh"),
    Official("Ngô Đình Khoa", "Phó Chủ tịch UBND tỉnh"),
    Official("Đỗ Văn Thắng", "Ủy viên UBND tỉnh, Giám đốc Sở Tài nguyên và Môi trường"),
    Official(
        "Hồ Thị Kim Oanh",
        "Ủy viên UBND tỉnh, Giám đốc Sở Tài chính",
        exempt_reason="Đã có thông báo nghỉ hưu",
    ),
    Official("Dương Quang Vinh", "Ủy viên UBND tỉnh, Chánh Thanh tra tỉnh"),
)

# Probability of (high, confidence, low, blank) for each official on the ballot.
_PROFILES = (
    (0.80, 0.16, 0.03, 0.01),
    (0.70, 0.25, 0.04, 0.01),
    (0.62, 0.30, 0.07, 0.01),
    (0.55, 0.35, 0.09, 0.01),
    (0.66, 0.28, 0.05, 0.01),
    (0.50, 0.38, 0.11, 0.01),
    (0.58, 0.30, 0.11, 0.01),
    (0.48, 0.40, 0.11, 0.01),
    (0.44, 0.42, 0.13, 0.01),
    (0.20, 0.22, 0.57, 0.01),
    (0.52, 0.36, 0.11, 0.01),
)


def demo_entries(count: int = 47, seed: int = 2023) -> tuple[str, ...]:
    """``count`` ballot entries for the demo's 11 balloted officials; one whole invalid."""
    rng = random.Random(seed)
    entries = []
    for number in range(count):
        if number == 17:
            entries.append("X")
            continue
        row = []
        for profile in _PROFILES:
            row.append(rng.choices("1230", weights=profile)[0])
        entries.append("".join(row))
    return tuple(entries)


def demo_poll(entered: int | None = 31) -> Poll:
    """The demo poll, with the first ``entered`` of its 47 ballots entered (None: all)."""
    entries = demo_entries()
    if entered is not None:
        entries = entries[:entered]
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=50, present=47, absent_with_reason=3, absent_without_reason=0),
        issued=47,
        collected=47,
        officials=DEMO_OFFICIALS,
        entries=entries,
        title="Kỳ họp thứ mười bốn, HĐND tỉnh khóa XVII, nhiệm kỳ 2021 – 2026",
        body="Hội đồng nhân dân tỉnh (dữ liệu minh họa)",
        date="2023-12-13",
        time="14:00",
        place="Hội trường Trung tâm Hội nghị tỉnh",
        board=(
            BoardMember("Trịnh Văn Sơn", "chair"),
            BoardMember("Lý Thị Hồng Nhung", "secretary"),
            BoardMember("Châu Minh Tuấn", "member"),
        ),
    )
