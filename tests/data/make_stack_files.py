"""Write the stack fixtures of tests/data/polls/: stack-*.json (valid), bad-stack-*.json.

Run from the repository root: ``python tests/data/make_stack_files.py``. Each file is one
edge of poll-file.md's "Independent entries" section on a small poll (four officials,
twelve ballots collected). ``BAD`` says what each refused file must give; the script
writes those lines into errors.json. The expected tally of each valid file is in
tests/data/expected/ under the same name, checked by tests/test_cli_tally_stacks.py.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

POLLS = Path(__file__).parent / "polls"

OFFICIALS = [
    {"name": "Nguyễn Văn An", "position": "Chủ tịch HĐND"},
    {"name": "Trần Thị Bình", "position": "Phó Chủ tịch HĐND"},
    {"name": "Lê Minh Châu", "position": "Chủ tịch UBND"},
    {"name": "Phạm Quốc Dũng", "position": "Phó Chủ tịch UBND"},
]
STACK_A = ["1231", "2312", "3123", "1111", "2222", "3333", "1212"]
# Pass 2 of stack B: row 3 of ballot 2 wrong, ballot 3 skipped, a ballot added after 5.
STACK_B1 = ["1231", "2312", "3123", "1111", "2222", "3333", "1212"]
STACK_B2 = ["1231", "2332", "1111", "2222", "0000", "3333", "1212"]


def base(**fields: object) -> dict:
    data: dict = {
        "format": "tinnhiem/1",
        "title": "Lấy phiếu tín nhiệm — nhập hai lần độc lập",
        "kind": "poll",
        "rules": "nq96-2023",
        "members": {"total": 15, "present": 15},
        "ballots": {"issued": 15, "collected": 15},
        "officials": copy.deepcopy(OFFICIALS),
        "passes_required": 2,
    }
    data.update(fields)
    return data


def passes(*lists: list[str], by: bool = True) -> list[dict]:
    return [
        {"by": f"Máy {n}", "entries": list(entries)} if by else {"entries": list(entries)}
        for n, entries in enumerate(lists, start=1)
    ]


def stack(stack_id: str, *lists: list[str], **fields: object) -> dict:
    return {"id": stack_id, "passes": passes(*lists), **fields}


AGREED = stack("Xấp 1", STACK_A[:5], STACK_A[:5])
DIFFERENT = stack("Xấp 2", STACK_B1, STACK_B2)
DECISION = {
    "entries": STACK_B1,
    "by": "Trưởng ban kiểm phiếu",
    "reason": "Đã xem lại phiếu giấy: lần 1 đúng.",
}

VALID = {
    # two stacks whose passes agree: both count (5 + 3 of 15 collected)
    "stack-agreed.json": base(
        stacks=[AGREED, stack("Xấp 2", ["3333", "X", "0123"], ["3333", "X", "0123"])]
    ),
    # a changed row, a skipped ballot and an added one: stack 2 counts nothing
    "stack-different.json": base(stacks=[AGREED, DIFFERENT]),
    # the board decided stack 2 against the paper: its decision counts
    "stack-resolved.json": base(stacks=[AGREED, {**DIFFERENT, "resolved": DECISION}]),
    # a decision that is neither pass (the paper read again), on a stack of one pass
    "stack-resolved-own-entries.json": base(
        stacks=[
            {
                "id": "Xấp 1",
                "passes": passes(["1111", "2222"]),
                "resolved": {"entries": ["1111", "2223", "X"]},
            }
        ]
    ),
    # triple entry: two passes are not enough, three that agree are
    "stack-incomplete.json": base(
        passes_required=3,
        stacks=[stack("Xấp 1", STACK_A[:3], STACK_A[:3], STACK_A[:3]), DIFFERENT],
    ),
    # triple entry: pass 2 agrees with pass 1, pass 3 does not; then both differ
    "stack-triple.json": base(
        passes_required=3,
        stacks=[
            stack("A", STACK_A[:3], STACK_A[:3], ["1231", "2312", "3122"]),
            stack("B", STACK_A[:3], ["1231", "3123"], ["2231", "2312", "3123"]),
        ],
    ),
    # passes_required left out: one pass is enough; two that differ are still different
    "stack-single-default.json": {
        **{k: v for k, v in base().items() if k != "passes_required"},
        "stacks": [stack("1", STACK_A[:4]), stack("2", ["1111"], ["1112"])],
    },
    # X against a marked ballot differs in every row; X against X agrees
    "stack-invalid-ballots.json": base(
        stacks=[
            stack("Xấp 1", ["X", "1231", "X"], ["X", "1231", "X"]),
            stack("Xấp 2", ["X", "1231", "2222"], ["X", "X", "2222"]),
        ]
    ),
    # an added ballot before the first, and extras after p between p and p + 1
    "stack-extras-order.json": base(
        stacks=[
            stack(
                "Xấp 1",
                ["1111", "2222", "3333"],
                ["0000", "1111", "2223", "0303", "0000", "3332", "X"],
            )
        ]
    ),
    # a vote (digits 0-2): the same alignment
    "stack-vote.json": base(
        kind="vote",
        stacks=[
            stack("Xấp 1", ["1212", "2121", "1111"], ["1212", "1111"]),
            stack("Xấp 2", ["2222", "0000"], ["2222", "0000"]),
        ],
    ),
    # "stacks": [] — a file in stack mode with nothing counted yet
    "stack-empty-list.json": base(stacks=[]),
    # passes_required without stacks: tallied exactly as before (no "stacks" in the output)
    "stack-required-with-entries.json": base(entries=STACK_A),
}


def bad_pass_entry(entry: object, number: int) -> dict:
    stacks = [copy.deepcopy(AGREED), copy.deepcopy(DIFFERENT)]
    stacks[1]["passes"][0]["entries"][number - 1] = entry
    return base(stacks=stacks)


def long_second_stack(entry: str) -> dict:
    """Stack 2 of 17 ballots whose pass 1 has ``entry`` as ballot 17 (the contract's example)."""
    first = ["1111"] * 16 + [entry]
    return base(
        ballots={"issued": 20, "collected": 20},
        members={"total": 30, "present": 30},
        stacks=[stack("A", ["2222"], ["2222"]), stack("B", first, ["1111"] * 15)],
    )


def edited(edit) -> dict:
    data = base(stacks=[copy.deepcopy(AGREED), copy.deepcopy(DIFFERENT)])
    edit(data)
    return data


# name: (file, field, a fragment of the message, code)
BAD = {
    "bad-stack-with-entries.json": (
        base(stacks=[AGREED], entries=STACK_A[:2]), "stacks", "entries", "K01"),
    "bad-stack-with-totals.json": (
        base(stacks=[AGREED], totals=[{"high": 1, "confidence": 0, "low": 0}] * 4),
        "stacks", "totals", "K01"),
    "bad-stack-duplicate-id.json": (
        base(stacks=[AGREED, {**DIFFERENT, "id": "Xấp 1"}]), "stacks[2].id",
        "đã dùng cho xấp thứ 1", "K03"),
    "bad-stack-empty-id.json": (
        base(stacks=[{**AGREED, "id": ""}]), "stacks[1].id", "nhãn xấp đang trống", "K02"),
    "bad-stack-blank-id.json": (
        base(stacks=[AGREED, {**DIFFERENT, "id": "  "}]), "stacks[2].id",
        "nhãn xấp đang trống", "K02"),
    "bad-stack-id-missing.json": (
        base(stacks=[{"passes": AGREED["passes"]}]), "stacks[1].id", "thiếu trường", "F03"),
    "bad-stack-id-not-text.json": (
        base(stacks=[{**AGREED, "id": 3}]), "stacks[1].id", "phải là một chuỗi", "F05"),
    "bad-stack-no-passes.json": (
        base(stacks=[AGREED, {"id": "Xấp 2", "passes": []}]), "stacks[2].passes",
        "chưa có lần nhập nào", "K04"),
    "bad-stack-passes-missing.json": (
        base(stacks=[{"id": "Xấp 1"}]), "stacks[1].passes", "thiếu trường", "F03"),
    "bad-stack-passes-not-list.json": (
        base(stacks=[{"id": "Xấp 1", "passes": {"entries": []}}]), "stacks[1].passes",
        "phải là một danh sách", "F19"),
    "bad-stack-passes-required-0.json": (
        base(passes_required=0, stacks=[AGREED]), "passes_required", "1, 2 hoặc 3", "K05"),
    "bad-stack-passes-required-4.json": (
        base(passes_required=4, stacks=[AGREED]), "passes_required", "1, 2 hoặc 3", "K05"),
    "bad-stack-passes-required-text.json": (
        base(passes_required="2", stacks=[AGREED]), "passes_required",
        "phải là một số nguyên", "C00"),
    "bad-stack-pass-entry-wrong-length.json": (
        long_second_stack("111"), "stacks[2].passes[1].entries[17]",
        "phiếu có 3 ký tự nhưng danh sách có 4 người", "E01"),
    "bad-stack-pass-entry-bad-char.json": (
        edited(lambda d: d["stacks"][1]["passes"][1]["entries"].__setitem__(2, "12a1")),
        "stacks[2].passes[2].entries[3]", "ký tự “a” ở vị trí 3 không hợp lệ", "E02"),
    "bad-stack-pass-entry-not-text.json": (
        bad_pass_entry(1231, 4), "stacks[2].passes[1].entries[4]", "phải là một chuỗi", "E04"),
    "bad-stack-resolved-entry.json": (
        base(stacks=[AGREED, {**DIFFERENT, "resolved": {"entries": ["1111", "x"]}}]),
        "stacks[2].resolved.entries[2]", "phiếu có 1 ký tự nhưng danh sách có 4 người", "E01"),
    "bad-stack-pass-over-collected.json": (
        base(stacks=[AGREED, stack("Xấp 2", ["1111"] * 3, ["1111"] * 16)]),
        "stacks[2].passes[2].entries", "16 phiếu, nhiều hơn số phiếu thu về (15)", "K06"),
    "bad-stack-resolved-over-collected.json": (
        base(stacks=[{**AGREED, "resolved": {"entries": ["2222"] * 16}}]),
        "stacks[1].resolved.entries", "16 phiếu, nhiều hơn số phiếu thu về (15)", "K06"),
    "bad-stack-counted-over-collected.json": (
        base(stacks=[stack("1", STACK_A, STACK_A), stack("2", STACK_A, STACK_A),
                     stack("3", STACK_A, STACK_A), stack("4", STACK_A, ["1111"])]),
        "stacks", "21 phiếu, nhiều hơn số phiếu thu về (15)", "K07"),
    "bad-stack-not-list.json": (
        base(stacks={"id": "Xấp 1"}), "stacks", "phải là một danh sách", "F19"),
    "bad-stack-not-object.json": (
        base(stacks=["Xấp 1"]), "stacks[1]", "phải là một đối tượng JSON", "F02"),
    "bad-stack-unknown-key.json": (
        base(stacks=[{**AGREED, "size": 5}]), "stacks[1].size", "trường không có", "F15"),
    "bad-stack-pass-unknown-key.json": (
        edited(lambda d: d["stacks"][0]["passes"][1].update(station="Máy 2")),
        "stacks[1].passes[2].station", "trường không có", "F15"),
    "bad-stack-pass-not-object.json": (
        base(stacks=[{"id": "Xấp 1", "passes": [STACK_A]}]), "stacks[1].passes[1]",
        "phải là một đối tượng JSON", "F02"),
    "bad-stack-pass-entries-missing.json": (
        base(stacks=[{"id": "Xấp 1", "passes": [{"by": "Máy 1"}]}]),
        "stacks[1].passes[1].entries", "thiếu trường", "F03"),
    "bad-stack-pass-entries-not-list.json": (
        base(stacks=[{"id": "Xấp 1", "passes": [{"entries": "1231"}]}]),
        "stacks[1].passes[1].entries", "phải là một danh sách các chuỗi", "F11"),
    "bad-stack-by-not-text.json": (
        edited(lambda d: d["stacks"][1]["passes"][0].update(by=None)),
        "stacks[2].passes[1].by", "phải là một chuỗi ký tự", "F05"),
    "bad-stack-resolved-null.json": (
        base(stacks=[{**AGREED, "resolved": None}]), "stacks[1].resolved",
        "phải là một đối tượng JSON", "F02"),
    "bad-stack-resolved-without-entries.json": (
        base(stacks=[{**AGREED, "resolved": {"by": "Trưởng ban"}}]),
        "stacks[1].resolved.entries", "thiếu trường", "F03"),
    "bad-stack-reason-not-text.json": (
        base(stacks=[{**AGREED, "resolved": {"entries": [], "reason": 2}}]),
        "stacks[1].resolved.reason", "phải là một chuỗi ký tự", "F05"),
    "bad-stack-invalid-count.json": (
        base(stacks=[AGREED], ballots={"issued": 15, "collected": 15, "invalid": 1}),
        "ballots.invalid", "chỉ dùng khi nhập tổng số", "T06"),
}  # fmt: skip


def write(name: str, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    (POLLS / name).write_text(text, encoding="utf-8")


def main() -> None:
    for name, data in VALID.items():
        write(name, data)
    errors = json.loads((POLLS / "errors.json").read_text(encoding="utf-8"))
    for name, (data, field, fragment, code) in BAD.items():
        write(name, data)
        errors[name] = [field, fragment, code]
    lines = [
        f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in sorted(errors.items())
    ]
    (POLLS / "errors.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
