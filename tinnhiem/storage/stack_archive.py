"""Stacks in poll files: the rows an export carries, and the rows an import restores.

An export carries the stack tables in its extension (``stack_log``) beside the contract's
``stacks``; importing it restores them after checking them against the file's own chain
and its ``stacks``. A plain poll file's stacks become rows of a new chain: each pass
finished by its ``by``, each ``resolved`` a decision on the whole stack.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.model import Poll
from tinnhiem.pollfile import EXTENSION
from tinnhiem.storage.records import now
from tinnhiem.storage.schema_stacks import STACK_TABLES
from tinnhiem.storage.stack_records import STACK_PLACE, model_stack, view_of
from tinnhiem.storage.stack_rows import ACTIONS, records_of, rows_of, stack_problems
from tinnhiem.storage.typed import check_file_text

LOG_KEY = "stack_log"
_TEXTS = {
    "stacks": ("label", "created_by"),
    "passes": ("typist", "station", "client"),
    "pass_ends": ("finished_by",),
    "decisions": ("reason", "decided_by"),
}
_COLUMNS: dict[str, dict[str, Any]] = {
    "stacks": {"stack_no": int, "label": str, "size": (int, type(None)),
               "created_by": str, "created_at": str},
    "passes": {"stack_no": int, "pass_no": int, "round": int, "typist": str, "station": str,
               "client": str, "started_at": str},
    "pass_ends": {"stack_no": int, "pass_no": int, "ballots": int, "finished_by": str,
                  "finished_at": str},
    "pass_ballots": {"stack_no": int, "pass_no": int, "position": int, "marks": str,
                     "entered_at": str},
    "decisions": {"decision_no": int, "stack_no": int, "round": int, "place": str,
                  "chosen_pass": (int, type(None)), "entries": list, "reason": str,
                  "decided_by": str, "decided_at": str},
}  # fmt: skip


def export_extra(conn: sqlite3.Connection, poll_id: int) -> dict:
    """What an export's extension adds for the poll's stacks: their rows, when it has any."""
    found = rows_of(conn, poll_id)
    return {LOG_KEY: found} if any(found.values()) else {}


def refused_in_app(poll: Poll) -> bool:
    """Stacks in a single-entry poll: the app counts those from its ballots, so not kept."""
    return poll.stacks is not None and poll.passes_required == 1


def _checked_rows(ext: dict) -> dict[str, list[dict]]:
    log = ext.get(LOG_KEY)
    if not isinstance(log, dict):
        raise P.NOT_OBJECT.error(field=f"{EXTENSION}.{LOG_KEY}", value=P.show(log))
    found: dict[str, list[dict]] = {}
    for table in STACK_TABLES:
        items = log.get(table, [])
        field = f"{EXTENSION}.{LOG_KEY}.{table}"
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise P.NOT_OBJECTS.error(field=field)
        for number, item in enumerate(items, start=1):
            allowed = set(_COLUMNS[table]) | ({"source"} if table == "pass_ballots" else set())
            for key, kind in _COLUMNS[table].items():
                value = item.get(key)
                if (
                    key not in item
                    or not isinstance(value, kind)
                    or (isinstance(value, bool) and kind is int)
                ):
                    raise P.NOT_TEXT.error(field=f"{field}[{number}].{key}", value=P.show(value))
            if set(item) - allowed:
                raise P.NOT_OBJECT.error(field=f"{field}[{number}]", value=P.show(item))
            for key in _TEXTS.get(table, ()):
                limit = limits.MAX_REASON if key == "reason" else limits.MAX_NAME
                check_file_text(item[key], f"{field}[{number}].{key}", limit)
        found[table] = items
    return found


def from_file(poll: Poll, ext: dict, audit: list) -> dict[str, list[dict]]:
    """The stack rows an exported file carries, checked against its chain and its
    ``stacks``; PollError naming what is wrong, nothing written."""
    if poll.stacks is None and LOG_KEY not in ext:
        return {table: [] for table in STACK_TABLES}
    found = _checked_rows(ext) if LOG_KEY in ext else {t: [] for t in STACK_TABLES}
    problems = stack_problems(audit, found)
    if problems:
        raise P.AUDIT_MISMATCH.error(problem=problems[0])
    width = len(poll.ballot_officials)
    views = [view_of(r, width, poll.passes_required) for r in records_of(found)]
    stacks = tuple(s for s in (model_stack(v) for v in views) if s.passes)
    if stacks != (poll.stacks or ()):
        raise P.BALLOT_LOG_MISMATCH.error()
    return found


def plain_rows(poll: Poll, actor: str) -> tuple[dict[str, list[dict]], list[tuple[str, str, dict]]]:
    """The rows of a plain file's stacks and the audit steps (time, action, payload) that
    log them, in order."""
    found: dict[str, list[dict]] = {table: [] for table in STACK_TABLES}
    steps: list[tuple[str, str, dict]] = []

    def add(table: str, payload: dict[str, Any]) -> None:
        found[table].append(payload)
        steps.append((now(), ACTIONS[table][0], payload))

    for stack_no, stack in enumerate(poll.stacks or (), start=1):
        add("stacks", {"stack_no": stack_no, "label": stack.id, "size": None,
                       "created_by": actor, "created_at": now()})  # fmt: skip
        for pass_no, one in enumerate(stack.passes, start=1):
            typist = one.by
            add("passes", {"stack_no": stack_no, "pass_no": pass_no, "round": 0,
                           "typist": typist, "station": "", "client": "",
                           "started_at": now()})  # fmt: skip
            for position, marks in enumerate(one.entries, start=1):
                add("pass_ballots", {"stack_no": stack_no, "pass_no": pass_no,
                                     "position": position, "marks": marks,
                                     "entered_at": now()})  # fmt: skip
            add("pass_ends", {"stack_no": stack_no, "pass_no": pass_no,
                              "ballots": len(one.entries), "finished_by": typist or actor,
                              "finished_at": now()})  # fmt: skip
        if stack.resolved is not None:
            add("decisions", {"decision_no": len(found["decisions"]) + 1,
                              "stack_no": stack_no, "round": 0, "place": STACK_PLACE,
                              "chosen_pass": None, "entries": list(stack.resolved.entries),
                              "reason": stack.resolved.reason,
                              "decided_by": stack.resolved.by,
                              "decided_at": now()})  # fmt: skip
    for table, items in found.items():
        names = ACTIONS[table][1]
        items.sort(key=lambda p: tuple(p[n] for n in names))
    return found, steps
