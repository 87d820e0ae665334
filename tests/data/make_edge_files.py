"""Write the edge-case fixtures of tests/data/polls/ (bad-edge-*.json), one per edge.

Run from the repository root: ``python tests/data/make_edge_files.py``. Each file is the
small Vĩnh Phúc totals file with one thing broken; errors.json says what each must give.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

POLLS = Path(__file__).parent / "polls"
BASE = json.loads((POLLS / "vinh-phuc-2023-totals.json").read_text(encoding="utf-8"))
ENTRIES = json.loads((POLLS / "vinh-phuc-2023-entries.json").read_text(encoding="utf-8"))


def edited(base: dict, edit) -> str:
    data = copy.deepcopy(base)
    edit(data)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def officials(count: int) -> list[dict]:
    return [{"name": f"Người thứ {n}", "position": "Ủy viên"} for n in range(1, count + 1)]


def many_officials(data: dict) -> None:
    data["officials"] = officials(201)
    data.pop("totals")


def same_official(data: dict) -> None:
    data["officials"] = [*data["officials"], dict(data["officials"][0])]
    data.pop("totals")


def many_entries(data: dict) -> None:
    data["entries"] = ["1"] * 10_001


TEXT_EDITS = {
    # integers beyond SQLite's range, and beyond Python's own int-from-text limit
    "bad-edge-huge-integer.json": lambda d: d["members"].update(total="@BIG@"),
    "bad-edge-5000-digits.json": lambda d: d["ballots"].update(issued="@5000@"),
}
EDITS = {
    "bad-edge-count-over-limit.json": lambda d: d["members"].update(total=10**12),
    "bad-edge-state-list.json": lambda d: d.update({"x-tinnhiem": {"state": ["locked"]}}),
    "bad-edge-board-object.json": lambda d: d.update({"x-tinnhiem": {"board": {"name": "A"}}}),
    "bad-edge-absent-not-integer.json": lambda d: d.update(
        {"x-tinnhiem": {"absent_with_reason": "3"}}
    ),
    "bad-edge-same-official-twice.json": same_official,
    "bad-edge-too-many-officials.json": many_officials,
    "bad-edge-long-name.json": lambda d: d["officials"][0].update(name="Nguyễn " * 30),
    "bad-edge-long-position.json": lambda d: d["officials"][0].update(position="Phó " * 100),
    "bad-edge-format-missing.json": lambda d: d.pop("format"),
    "bad-edge-empty-name.json": lambda d: d["officials"][0].update(name="  "),
    "bad-edge-totals-not-list.json": lambda d: d.update(totals={"high": 1}),
    "bad-edge-exempt-mismatch.json": lambda d: d.update(
        {"x-tinnhiem": {"officials": [{"name": "Người khác", "position": ""}]}}
    ),
}


def main() -> None:
    for name, edit in EDITS.items():
        (POLLS / name).write_text(edited(BASE, edit), encoding="utf-8")
    for name, edit in TEXT_EDITS.items():
        text = edited(BASE, edit)
        text = text.replace('"@BIG@"', str(10**100)).replace('"@5000@"', "9" * 5000)
        (POLLS / name).write_text(text, encoding="utf-8")
    (POLLS / "bad-edge-too-many-entries.json").write_text(
        edited(ENTRIES, many_entries), encoding="utf-8"
    )
    (POLLS / "bad-edge-empty-file.json").write_text("", encoding="utf-8")
    (POLLS / "bad-edge-whitespace-only.json").write_text("\ufeff \n\n", encoding="utf-8")
    nested = '{"format": "tinnhiem/1", "x-deep": ' + "[" * 5000 + "]" * 5000 + "}"
    (POLLS / "bad-edge-deep-nesting.json").write_text(nested, encoding="utf-8")
    nested = '{"format": "tinnhiem/1", "x-deep": ' + "[" * 70 + "]" * 70 + "}"
    (POLLS / "bad-edge-nesting-over-limit.json").write_text(nested, encoding="utf-8")


if __name__ == "__main__":
    main()
