"""The poll file ``tinnhiem/1`` (shared/poll-file.md): parse, validate and write.

``parse_poll_file`` turns a JSON text or object into a valid ``Poll`` or raises
``PollError`` naming the field. ``poll_to_file`` writes the contract's fields, plus an
``x-tinnhiem`` object holding what the contract has no field for (time, place, board,
exempt officials, absentees, remarks), which other tools may ignore.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tinnhiem.model import BASES, ROUNDINGS, Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.rules import RULE_SETS
from tinnhiem.validation import PollError, Problem, require_valid

FORMAT = "tinnhiem/1"
EXTENSION = "x-tinnhiem"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fail(code: str, field: str, message: str) -> PollError:
    return PollError(Problem(code, field, message))


def _object(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise _fail("F02", field, "phải là một đối tượng JSON {…}.")
    return value


def _int(obj: dict, key: str, field: str, default: int | None = None) -> int:
    if key not in obj:
        if default is not None:
            return default
        raise _fail("F03", field, "thiếu trường bắt buộc này.")
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(
            "F04",
            field,
            f"phải là một số nguyên, không phải {json.dumps(value, ensure_ascii=False)}.",
        )
    if value < 0:
        raise _fail("C01", field, f"không được âm ({value}).")
    return value


def _optional_int(obj: dict, key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    return _int(obj, key, f"{EXTENSION}.{key}")


def _text(obj: dict, key: str, field: str, required: bool = False) -> str:
    if key not in obj or obj[key] is None:
        if required:
            raise _fail("F03", field, "thiếu trường bắt buộc này.")
        return ""
    if not isinstance(obj[key], str):
        raise _fail("F05", field, "phải là một chuỗi ký tự.")
    return obj[key]


def _choice(
    obj: dict, key: str, allowed: tuple[str, ...], field: str, required: bool
) -> str | None:
    if key not in obj:
        if required:
            raise _fail("F03", field, "thiếu trường bắt buộc này.")
        return None
    value = obj[key]
    if value not in allowed:
        raise _fail(
            "F06",
            field,
            f"giá trị {json.dumps(value, ensure_ascii=False)} không hợp lệ; chọn một trong "
            f"{', '.join(allowed)}.",
        )
    return value


def _officials(data: dict) -> tuple[Official, ...]:
    raw = data.get("officials")
    if "officials" not in data:
        raise _fail("F03", "officials", "thiếu trường bắt buộc này.")
    if not isinstance(raw, list) or not raw:
        raise _fail("F07", "officials", "phải là một danh sách không rỗng các {name, position}.")
    officials = []
    for number, item in enumerate(raw, start=1):
        field = f"officials[{number}]"
        item = _object(item, field)
        name = _text(item, "name", f"{field}.name", required=True).strip()
        if not name:
            raise _fail("F08", f"{field}.name", "họ tên đang trống.")
        officials.append(
            Official(name=name, position=_text(item, "position", f"{field}.position").strip())
        )
    return tuple(officials)


def _with_exempt(listed: tuple[Official, ...], ext: dict) -> tuple[Official, ...]:
    """The full list from the extension when it agrees with the contract's list."""
    full = ext.get("officials")
    if not isinstance(full, list):
        return listed
    merged = tuple(
        Official(
            name=str(o.get("name", "")),
            position=str(o.get("position", "")),
            exempt_reason=o.get("exempt_reason") or None,
        )
        for o in full
        if isinstance(o, dict)
    )
    on_ballot = tuple((o.name, o.position) for o in merged if o.on_ballot)
    if on_ballot != tuple((o.name, o.position) for o in listed):
        raise _fail(
            "F09",
            f"{EXTENSION}.officials",
            "danh sách đầy đủ (kể cả người miễn lấy phiếu) không khớp với officials.",
        )
    return merged


def poll_from_data(data: Any) -> Poll:
    """A valid Poll from a decoded poll file; raises PollError naming the field."""
    data = _object(data, "(tệp)")
    if data.get("format") != FORMAT:
        if "format" not in data:
            raise _fail("F03", "format", f"thiếu trường bắt buộc này (phải là “{FORMAT}”).")
        raise _fail("F06", "format", f"phải là “{FORMAT}”.")
    kind = Kind(_choice(data, "kind", tuple(k.value for k in Kind), "kind", True))
    rules = _choice(data, "rules", tuple(RULE_SETS), "rules", True)
    members = _object(data.get("members"), "members") if "members" in data else None
    if members is None:
        raise _fail("F03", "members", "thiếu trường bắt buộc này.")
    ballots = _object(data.get("ballots"), "ballots") if "ballots" in data else None
    if ballots is None:
        raise _fail("F03", "ballots", "thiếu trường bắt buộc này.")
    date = _text(data, "date", "date") or None
    if date is not None and not _DATE.match(date):
        raise _fail("F10", "date", f"“{date}” không đúng dạng YYYY-MM-DD.")
    entries = data.get("entries")
    if entries is not None:
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise _fail("F11", "entries", "phải là một danh sách các chuỗi, mỗi phiếu một chuỗi.")
        entries = tuple(entries)
    totals = data.get("totals")
    if totals is not None:
        if entries is not None:
            raise _fail(
                "F01", "totals", "tệp có cả entries lẫn totals; chỉ được dùng một trong hai."
            )
        if not isinstance(totals, list):
            raise _fail("F12", "totals", "phải là một danh sách, mỗi người một đối tượng.")
        totals = tuple(totals)
    ext = data.get(EXTENSION) if isinstance(data.get(EXTENSION), dict) else {}
    listed = _officials(data)
    poll = Poll(
        kind=kind,
        rules=rules,  # type: ignore[arg-type]
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
        base=_choice(data, "base", BASES, "base", False),
        rounding=_choice(data, "rounding", ROUNDINGS, "rounding", False) or "half_up",
        title=_text(data, "title", "title"),
        body=_text(data, "body", "body"),
        date=date,
        time=str(ext.get("time", "")),
        place=str(ext.get("place", "")),
        board=tuple(
            BoardMember(name=str(b.get("name", "")), role=str(b.get("role", "member")))
            for b in ext.get("board", [])
            if isinstance(b, dict)
        ),
        remarks=str(ext.get("remarks", "")),
    )
    require_valid(poll)
    return poll


def parse_poll_file(text: str | bytes) -> Poll:
    """A valid Poll from the text of a poll file; raises PollError naming the field."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise _fail("F13", "(tệp)", f"không phải văn bản UTF-8 (byte {error.start}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _fail(
            "F14", "(tệp)", f"JSON sai ở dòng {error.lineno}, cột {error.colno}: {error.msg}."
        ) from None
    return poll_from_data(data)


def poll_to_data(poll: Poll, extra: dict | None = None) -> dict:
    """The poll file object for a poll; ``extra`` is merged into the extension."""
    data: dict[str, Any] = {"format": FORMAT}
    if poll.title:
        data["title"] = poll.title
    if poll.body:
        data["body"] = poll.body
    if poll.date:
        data["date"] = poll.date
    data["kind"] = str(poll.kind)
    data["rules"] = poll.rules
    data["members"] = {"total": poll.members.total, "present": poll.members.present}
    data["ballots"] = {"issued": poll.issued, "collected": poll.collected}
    if poll.totals is not None:
        data["ballots"]["invalid"] = poll.invalid
    data["officials"] = [{"name": o.name, "position": o.position} for o in poll.ballot_officials]
    if poll.entries is not None:
        data["entries"] = list(poll.entries)
    if poll.totals is not None:
        data["totals"] = [dict(row) for row in poll.totals]
    if poll.base is not None:
        data["base"] = poll.base
    if poll.rounding != "half_up":
        data["rounding"] = poll.rounding
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
