"""Reading and writing a poll's stacks, passes and decisions inside the caller's transaction.

Each row is written with the audit entry that logs it; the entry's payload is the row as
``rows_of`` reads it back, so ``verify`` compares the two (``stack_problems``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from tinnhiem.storage.chain import canonical_json
from tinnhiem.storage.schema_stacks import STACK_TABLES
from tinnhiem.storage.stack_records import (
    DecisionRecord,
    PassRecord,
    StackRecord,
    StackView,
    model_stack,
    view_of,
)

# Each table: the audit action that logs one of its rows, and the columns naming a row.
ACTIONS = {
    "stacks": ("stack", ("stack_no",)),
    "passes": ("pass", ("stack_no", "pass_no")),
    "pass_ends": ("pass_end", ("stack_no", "pass_no")),
    "pass_ballots": ("pass_ballot", ("stack_no", "pass_no", "position")),
    "decisions": ("decision", ("decision_no",)),
}
TABLE_OF_ACTION = {action: table for table, (action, _) in ACTIONS.items()}
TABLE_OF_ACTION["reentry"] = "decisions"


def _payload(table: str, row: sqlite3.Row) -> dict:
    """A stored row as its audit entry logs it (no poll id: the chain is poll-free)."""
    payload = {k: row[k] for k in row.keys() if k != "poll_id"}  # noqa: SIM118
    if table == "decisions":
        payload["entries"] = json.loads(payload["entries"])
    if table == "pass_ballots":
        client, seq = payload.pop("source_client"), payload.pop("source_seq")
        if client is not None:
            payload["source"] = [client, seq]
    return payload


def rows_of(
    conn: sqlite3.Connection, poll_id: int, stack_no: int | None = None
) -> dict[str, list[dict]]:
    """Every stack row of the poll (or of its stack ``stack_no``), table by table, as
    payloads, in key order."""
    found = {}
    where = "" if stack_no is None else " AND stack_no = ?"
    params = (poll_id,) if stack_no is None else (poll_id, stack_no)
    for table in STACK_TABLES:
        keys = ", ".join(ACTIONS[table][1])
        cursor = conn.execute(
            f"SELECT * FROM {table} WHERE poll_id = ?{where} ORDER BY {keys}", params
        )
        found[table] = [_payload(table, r) for r in cursor]
    return found


def has_stack_rows(conn: sqlite3.Connection, poll_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM stacks WHERE poll_id = ? LIMIT 1", (poll_id,)).fetchone()
    return row is not None


def insert_row(conn: sqlite3.Connection, poll_id: int, table: str, payload: dict) -> None:
    """Store one row of ``table`` given as its payload (the caller logs it)."""
    columns = dict(payload)
    if table == "decisions":
        columns["entries"] = canonical_json(list(payload["entries"]))
    if table == "pass_ballots":
        source = columns.pop("source", None)
        columns["source_client"], columns["source_seq"] = source or (None, None)
    names = ["poll_id", *columns]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        (poll_id, *columns.values()),
    )


def insert_many(conn: sqlite3.Connection, poll_id: int, found: dict[str, list[dict]]) -> None:
    """Restore rows read from a file (their audit entries come with the file's chain)."""
    for table in STACK_TABLES:
        for payload in found.get(table, []):
            insert_row(conn, poll_id, table, payload)


def records_of(found: dict[str, list[dict]]) -> list[StackRecord]:
    """The stacks of a poll from its rows (``rows_of``), in counting order."""
    ballots: dict[tuple[int, int], list[str]] = {}
    for b in found["pass_ballots"]:
        ballots.setdefault((b["stack_no"], b["pass_no"]), []).append(b["marks"])
    ends = {(e["stack_no"], e["pass_no"]): e for e in found["pass_ends"]}
    passes: dict[int, list[PassRecord]] = {}
    for p in found["passes"]:
        key = (p["stack_no"], p["pass_no"])
        end = ends.get(key, {})
        passes.setdefault(p["stack_no"], []).append(
            PassRecord(
                **p,
                entries=tuple(ballots.get(key, ())),
                finished_at=end.get("finished_at"),
                finished_by=end.get("finished_by"),
            )
        )
    decisions: dict[int, list[DecisionRecord]] = {}
    for d in found["decisions"]:
        record = DecisionRecord(**{**d, "entries": tuple(d["entries"])})
        decisions.setdefault(d["stack_no"], []).append(record)
    return [
        StackRecord(
            **s,
            passes=tuple(passes.get(s["stack_no"], ())),
            decisions=tuple(decisions.get(s["stack_no"], ())),
        )
        for s in found["stacks"]
    ]


def read_views(
    conn: sqlite3.Connection, row: sqlite3.Row, stack_no: int | None = None
) -> list[StackView]:
    """Every stack of the poll of ``row`` (or only ``stack_no``) with its state now."""
    width = conn.execute(
        "SELECT COUNT(*) FROM officials WHERE poll_id = ? AND exempt_reason IS NULL", (row["id"],)
    ).fetchone()[0]
    records = records_of(rows_of(conn, row["id"], stack_no))
    return [view_of(r, width, row["passes_required"]) for r in records]


def model_stacks(conn: sqlite3.Connection, row: sqlite3.Row) -> tuple:
    """The poll's stacks as a poll file holds them (``tinnhiem.stacks.Stack``); a stack with
    no finished pass yet is left out (a file's stack has at least one pass; it counts
    nothing either way)."""
    stacks = (model_stack(v) for v in read_views(conn, row))
    return tuple(stack for stack in stacks if stack.passes)


def logged_rows(entries: Iterable) -> tuple[dict[str, dict[tuple, dict]], list[str]]:
    """What the audit log says the stack tables hold, table → key → payload; and the
    entries it cannot read."""
    logged: dict[str, dict[tuple, dict]] = {table: {} for table in STACK_TABLES}
    problems = []
    for entry in entries:
        table = TABLE_OF_ACTION.get(entry.action)
        if table is None:
            continue
        names = ACTIONS[table][1]
        key = tuple(entry.payload.get(n) for n in names)
        if not all(isinstance(k, int) for k in key):
            problems.append(f"Nhật ký mục {entry.seq}: không đọc được xấp phiếu của mục này.")
            continue
        logged[table][key] = entry.payload
    return logged, problems


def stack_problems(audit: list, found: dict[str, list[dict]]) -> list[str]:
    """Where the stored stack rows disagree with the audit log (Vietnamese sentences)."""
    logged, problems = logged_rows(audit)
    words = {
        "stacks": "xấp phiếu",
        "passes": "lần nhập",
        "pass_ends": "kết thúc lần nhập",
        "pass_ballots": "phiếu của lần nhập",
        "decisions": "quyết định của ban kiểm phiếu",
    }
    for table in STACK_TABLES:
        names = ACTIONS[table][1]
        stored = {tuple(p[n] for n in names): p for p in found.get(table, [])}
        for key in sorted(set(stored) | set(logged[table])):
            where = f"{words[table]} {'/'.join(map(str, key))}"
            if key not in logged[table]:
                problems.append(
                    f"Bảng {table}: {where} có trong cơ sở dữ liệu nhưng không có trong nhật ký."
                )
            elif key not in stored:
                problems.append(
                    f"Bảng {table}: {where} có trong nhật ký nhưng không còn trong "
                    "cơ sở dữ liệu (đã bị xóa)."
                )
            elif stored[key] != logged[table][key]:
                problems.append(f"Bảng {table}: {where} trong cơ sở dữ liệu khác với nhật ký.")
    return problems
