"""The poll file ``tinnhiem/1`` (shared/poll-file.md): parse, validate and write.

``parse_poll_file`` turns a JSON text or object into a valid ``Poll`` or raises
``PollError`` naming the field. ``poll_to_data`` writes the contract's fields, plus an
``x-tinnhiem`` object holding what the contract has no field for (time, place, board,
exempt officials, absentees, remarks), which other tools may ignore.

Reading is strict, because a silently ignored field changes a count: a key the contract
does not define is refused unless it starts with ``x-`` (extensions), every field must
have its declared JSON type (``null`` is not a string, a list or a number), duplicate
keys, ``NaN`` and ``Infinity`` are refused as malformed JSON.
"""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.model import BASES, ROUNDINGS, Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.poll_fields import choice as _choice
from tinnhiem.poll_fields import count as _int
from tinnhiem.poll_fields import known_keys as _known_keys
from tinnhiem.poll_fields import optional_choice as _optional_choice
from tinnhiem.poll_fields import optional_text as _optional_text
from tinnhiem.poll_fields import text as _text
from tinnhiem.problems import FILE, show
from tinnhiem.rules import RULE_SETS, RuleSet, lookup, read_rule_set
from tinnhiem.stacks import Pass, Resolution, Stack
from tinnhiem.strict_json import load_data
from tinnhiem.strict_json import require_object as _object
from tinnhiem.validation import require_valid

FORMAT = "tinnhiem/1"
EXTENSION = "x-tinnhiem"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The store's own keys in x-tinnhiem (storage/archive.py reads them), by JSON type.
_EXTENSION_TEXTS: tuple[str, ...] = ("time", "place", "remarks", "state", "mode", "created_at")
_EXTENSION_TEXTS += ("locked_at", "lock_hash")
_EXTENSION_LISTS = ("board", "officials", "ballot_log", "audit")
_EXTENSION_INTEGERS = ("absent_with_reason", "absent_without_reason", "poll_id")

# The keys the contract defines, per object; any other key must start with "x-".
_KEYS = {
    "": (
        *("format", "id", "title", "body", "date", "point", "kind", "rules", "rule_set"),
        *("members", "ballots"),
        *("officials", "entries", "totals", "base", "rounding", "passes_required", "stacks"),
    ),
    "members": ("total", "present"),
    "ballots": ("issued", "collected", "invalid"),
    "officials": ("name", "position", "person"),
    "stacks": ("id", "passes", "resolved"),
    "passes": ("by", "entries"),
    "resolved": ("entries", "by", "reason"),
}


def _optional_int(obj: dict, key: str) -> int | None:
    if obj.get(key) is None:
        return None
    return _int(obj, key, f"{EXTENSION}.{key}")


def _date(data: dict) -> str | None:
    if "date" not in data:
        return None
    date = _text(data, "date", "date")
    try:
        if not _DATE.fullmatch(date):
            raise ValueError(date)
        datetime.date.fromisoformat(date)
    except ValueError:
        raise P.BAD_DATE.error(value=show(date)) from None
    return date


def _officials(data: dict) -> tuple[Official, ...]:
    if "officials" not in data:
        raise P.MISSING.error(field="officials")
    raw = data["officials"]
    if not isinstance(raw, list) or not raw:
        raise P.NO_OFFICIALS_LIST.error()
    if len(raw) > limits.MAX_OFFICIALS:
        raise P.TOO_MANY_OFFICIALS.error(count=len(raw), limit=limits.MAX_OFFICIALS)
    officials = []
    for number, item in enumerate(raw, start=1):
        field = f"officials[{number}]"
        item = _object(item, field)
        _known_keys(item, _KEYS["officials"], f"{field}.")
        name = _text(item, "name", f"{field}.name", required=True).strip()
        if not name:
            raise P.EMPTY_NAME.error(field=f"{field}.name")
        position = _text(item, "position", f"{field}.position").strip()
        officials.append(Official(name, position, person=_identity(item, "person", field)))
    return tuple(officials)


def _identity(obj: dict, key: str, prefix: str = "") -> str | None:
    """``id``, ``point`` or ``person``: None when absent, else a string that is not blank."""
    field = f"{prefix}.{key}" if prefix else key
    value = _optional_text(obj, key, field)
    if value is not None and not value.strip():
        raise P.BLANK_IDENTITY.error(field=field)
    return value


def _extension(data: dict) -> dict:
    """The ``x-tinnhiem`` object, its known keys checked for type (others are kept)."""
    if EXTENSION not in data:
        return {}
    ext = _object(data[EXTENSION], EXTENSION)
    for key in _EXTENSION_TEXTS:
        _text(ext, key, f"{EXTENSION}.{key}", nullable=True)
    for key in _EXTENSION_LISTS:
        if key in ext and not isinstance(ext[key], list):
            raise P.NOT_LIST.error(field=f"{EXTENSION}.{key}", value=show(ext[key]))
    for key in _EXTENSION_INTEGERS:
        _optional_int(ext, key)
    for number, member in enumerate(ext.get("board", []), start=1):
        field = f"{EXTENSION}.board[{number}]"
        _object(member, field)
        _text(member, "name", f"{field}.name", required=True)
        _text(member, "role", f"{field}.role")
    for number, official in enumerate(ext.get("officials", []), start=1):
        field = f"{EXTENSION}.officials[{number}]"
        _object(official, field)
        _text(official, "name", f"{field}.name", required=True)
        _text(official, "position", f"{field}.position")
        _text(official, "exempt_reason", f"{field}.exempt_reason", nullable=True)
    return ext


def _with_exempt(listed: tuple[Official, ...], ext: dict) -> tuple[Official, ...]:
    """The full list from the extension when it agrees with the contract's list."""
    if "officials" not in ext:
        return listed
    persons = iter(o.person for o in listed)  # the contract's list says who they are
    merged = tuple(
        Official(
            name=o["name"].strip(),
            position=o.get("position", "").strip(),
            exempt_reason=o.get("exempt_reason") or None,
            person=None if o.get("exempt_reason") else next(persons, None),
        )
        for o in ext["officials"]
    )
    on_ballot = tuple((o.name, o.position) for o in merged if o.on_ballot)
    if on_ballot != tuple((o.name, o.position) for o in listed):
        raise P.EXEMPT_MISMATCH.error()
    return merged


def _section(data: dict, key: str) -> dict:
    if key not in data:
        raise P.MISSING.error(field=key)
    section = _object(data[key], key)
    _known_keys(section, _KEYS[key], f"{key}.")
    return section


def _entry_list(obj: dict, field: str) -> tuple[str, ...]:
    """The list of entry strings ``obj["entries"]`` (named ``field``), type-checked."""
    if "entries" not in obj:
        raise P.MISSING.error(field=field)
    entries = obj["entries"]
    if not isinstance(entries, list):
        raise P.ENTRIES_NOT_LIST.error(field=field)
    if len(entries) > limits.MAX_BALLOTS:
        raise P.TOO_MANY_ENTRIES.error(field=field, count=len(entries), limit=limits.MAX_BALLOTS)
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, str):
            raise P.ENTRY_NOT_TEXT.error(field=f"{field}[{number}]", value=show(entry))
    return tuple(entries)


def _list(obj: dict, key: str, field: str) -> list:
    if key not in obj:
        raise P.MISSING.error(field=field)
    if not isinstance(obj[key], list):
        raise P.NOT_LIST.error(field=field, value=show(obj[key]))
    return obj[key]


def _part(value: Any, key: str, field: str) -> dict:
    """A stack, pass or decision object, its keys checked."""
    part = _object(value, field)
    _known_keys(part, _KEYS[key], f"{field}.")
    return part


def _stacks(data: dict) -> tuple[Stack, ...] | None:
    """``stacks`` as given, type-checked (stacks.py and validation say what they mean)."""
    if "stacks" not in data:
        return None
    stacks = []
    for number, raw in enumerate(_list(data, "stacks", "stacks"), start=1):
        field = f"stacks[{number}]"
        item = _part(raw, "stacks", field)
        stack_id = _text(item, "id", f"{field}.id", required=True)
        passes = []
        for place, one in enumerate(_list(item, "passes", f"{field}.passes"), start=1):
            one = _part(one, "passes", f"{field}.passes[{place}]")
            entries = _entry_list(one, f"{field}.passes[{place}].entries")
            passes.append(Pass(entries, _text(one, "by", f"{field}.passes[{place}].by")))
        resolved = None
        if "resolved" in item:
            decision = _part(item["resolved"], "resolved", f"{field}.resolved")
            resolved = Resolution(
                _entry_list(decision, f"{field}.resolved.entries"),
                by=_text(decision, "by", f"{field}.resolved.by"),
                reason=_text(decision, "reason", f"{field}.resolved.reason"),
            )
        stacks.append(Stack(stack_id, tuple(passes), resolved))
    return tuple(stacks)


def _passes_required(data: dict) -> int:
    value = data.get("passes_required", 1)
    if isinstance(value, bool) or not isinstance(value, int):
        raise P.NOT_INTEGER.error(field="passes_required", value=show(value))
    return value


def _counted(data: dict) -> tuple[tuple[str, ...] | None, tuple | None]:
    """``entries`` and ``totals`` as given (at most one of them), type-checked."""
    if "entries" in data and "totals" in data:
        raise P.BOTH_COUNTED.error()
    entries = totals = None
    if "entries" in data:
        entries = _entry_list(data, "entries")
    if "totals" in data:
        totals = data["totals"]
        if not isinstance(totals, list):
            raise P.TOTALS_NOT_LIST.error()
        totals = tuple(totals)
    return entries, totals


def _rules(data: dict) -> tuple[RuleSet | None, str]:
    """The file's own rule set and ``rules``, its id; without one, a built-in id as before."""
    if "rule_set" not in data:
        return None, _choice(data, "rules", tuple(RULE_SETS), "rules")
    custom = read_rule_set(data["rule_set"])
    return custom, lookup(_text(data, "rules", "rules", required=True), custom).id


def poll_from_data(data: Any) -> Poll:
    """A valid Poll from a decoded poll file; raises PollError naming the field."""
    data = _object(data, FILE)
    if "format" not in data:
        raise P.FORMAT_MISSING.error()
    if data["format"] != FORMAT:
        raise P.WRONG_FORMAT.error(value=show(data["format"]))
    _known_keys(data, _KEYS[""], "")
    kind = Kind(_choice(data, "kind", tuple(k.value for k in Kind), "kind"))
    rule_set, rules = _rules(data)
    members = _section(data, "members")
    ballots = _section(data, "ballots")
    entries, totals = _counted(data)
    ext = _extension(data)
    listed = _officials(data)
    poll = Poll(
        kind=kind,
        rules=rules,
        rule_set=rule_set,
        members=Attendance(
            total=_int(members, "total", "members.total"),
            present=_int(members, "present", "members.present"),
            absent_with_reason=_optional_int(ext, "absent_with_reason"),
            absent_without_reason=_optional_int(ext, "absent_without_reason"),
        ),
        issued=_int(ballots, "issued", "ballots.issued"),
        collected=_int(ballots, "collected", "ballots.collected"),
        invalid=_int(ballots, "invalid", "ballots.invalid", default=0),
        officials=_with_exempt(listed, ext),
        entries=entries,
        totals=totals,
        base=_optional_choice(data, "base", BASES, "base"),
        rounding=_optional_choice(data, "rounding", ROUNDINGS, "rounding") or "half_up",
        title=_text(data, "title", "title"),
        body=_text(data, "body", "body"),
        date=_date(data),
        time=ext.get("time") or "",
        place=ext.get("place") or "",
        board=tuple(
            BoardMember(name=b["name"], role=b.get("role", "member")) for b in ext.get("board", [])
        ),
        remarks=ext.get("remarks") or "",
        passes_required=_passes_required(data),
        stacks=_stacks(data),
        id=_identity(data, "id"),
        point=_identity(data, "point"),
    )
    require_valid(poll)
    return poll


def parse_poll_file(text: str | bytes) -> Poll:
    """A valid Poll from the text of a poll file; raises PollError naming the field.

    ``strict_json.load_data`` reads the file; see it for what is refused before the fields
    are read.
    """
    return poll_from_data(load_data(text))


def _stack_data(stack: Stack) -> dict:
    """One stack as the poll file writes it; an empty ``by`` or ``reason`` is left out."""

    def part(entries: tuple[str, ...], **texts: str) -> dict:
        return {**{k: v for k, v in texts.items() if v}, "entries": list(entries)}

    data: dict[str, Any] = {
        "id": stack.id,
        "passes": [part(p.entries, by=p.by) for p in stack.passes],
    }
    if stack.resolved is not None:
        decision = stack.resolved
        data["resolved"] = part(decision.entries, by=decision.by, reason=decision.reason)
    return data


def _official_data(official: Official) -> dict:
    data = {"name": official.name, "position": official.position}
    if official.person is not None:
        data["person"] = official.person
    return data


def poll_to_data(poll: Poll, extra: dict | None = None) -> dict:
    """The poll file object for a poll; ``extra`` is merged into the extension."""
    data: dict[str, Any] = {"format": FORMAT}
    if poll.id is not None:
        data["id"] = poll.id
    if poll.title:
        data["title"] = poll.title
    if poll.body:
        data["body"] = poll.body
    if poll.date:
        data["date"] = poll.date
    if poll.point is not None:
        data["point"] = poll.point
    data["kind"] = str(poll.kind)
    data["rules"] = poll.rules
    if poll.rule_set is not None:
        data["rule_set"] = copy.deepcopy(dict(poll.rule_set.data))
    data["members"] = {"total": poll.members.total, "present": poll.members.present}
    data["ballots"] = {"issued": poll.issued, "collected": poll.collected}
    if poll.totals is not None:
        data["ballots"]["invalid"] = poll.invalid
    data["officials"] = [_official_data(o) for o in poll.ballot_officials]
    if poll.entries is not None:
        data["entries"] = list(poll.entries)
    if poll.totals is not None:
        data["totals"] = [dict(row) for row in poll.totals]
    if poll.base is not None:
        data["base"] = poll.base
    if poll.rounding != "half_up":
        data["rounding"] = poll.rounding
    if poll.passes_required != 1:
        data["passes_required"] = poll.passes_required
    if poll.stacks is not None:
        data["stacks"] = [_stack_data(stack) for stack in poll.stacks]
    ext: dict[str, Any] = {
        "time": poll.time,
        "place": poll.place,
        "absent_with_reason": poll.members.absent_with_reason,
        "absent_without_reason": poll.members.absent_without_reason,
        "board": [{"name": b.name, "role": b.role} for b in poll.board],
        "remarks": poll.remarks,
    }
    if any(not o.on_ballot for o in poll.officials):
        ext["officials"] = [
            {"name": o.name, "position": o.position, "exempt_reason": o.exempt_reason}
            for o in poll.officials
        ]
    ext.update(extra or {})
    data[EXTENSION] = ext
    return data
