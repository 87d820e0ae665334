"""The one reader of poll files as JSON: strict, quick to refuse, never a traceback.

``load_data`` is used by the command line, the setup page's import and the archive reader
(``Store.import_file``), so a file is accepted or refused the same way everywhere. What it
refuses is listed in its docstring; each refusal is a registered problem naming the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.problems import FILE, show


def require_object(value: Any, field: str) -> dict:
    """``value`` when it is a JSON object; else PollError naming ``field``."""
    if not isinstance(value, dict):
        raise P.NOT_OBJECT.error(field=field, value=show(value))
    return value


@dataclass(frozen=True)
class _LongNumber:
    """An integer literal of more than ``limits.MAX_DIGITS`` digits (its digit count)."""

    digits: int


def _integer(literal: str) -> int | _LongNumber:
    digits = len(literal.lstrip("-"))
    if digits > limits.MAX_DIGITS:
        return _LongNumber(digits)  # int() of 5 000 digits is slow, then refused by Python
    return int(literal)


def _reject_constant(name: str) -> Any:
    raise P.NOT_A_NUMBER.error(name=name)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise P.DUPLICATE_KEY.error(field=key)
        data[key] = value
    return data


# json's English reasons, as a person reads them.
_JSON_REASONS = {
    "Expecting value": "thiếu một giá trị (số, chuỗi, {…} hoặc […]) hoặc có chữ không hợp lệ",
    "Expecting property name enclosed in double quotes": 'tên trường phải nằm trong dấu “"”',
    "Expecting ':' delimiter": "thiếu dấu “:” sau tên trường",
    "Expecting ',' delimiter": "thiếu dấu “,” giữa hai phần tử (hoặc thiếu “}”, “]”)",
    "Unterminated string starting at": 'chuỗi thiếu dấu “"” đóng',
    "Invalid control character at": "có ký tự điều khiển trong chuỗi (viết \\n, \\t)",
    "Invalid \\escape": "dấu “\\” không hợp lệ trong chuỗi",
    "Invalid \\uXXXX escape": "mã \\uXXXX không hợp lệ",
    "Extra data": "còn dữ liệu thừa sau đối tượng JSON",
}


def _path(parent: str, key: str | int) -> str:
    """The field name of a child in poll-file form: ``members.total``, ``entries[3]``."""
    if isinstance(key, int):
        return f"{parent or FILE}[{key + 1}]"
    return f"{parent}.{key}" if parent else key


def _check_tree(data: Any) -> None:
    """PollError for nesting deeper than the limit or an integer of too many digits."""
    stack = [(data, "", 1)]
    while stack:
        value, field, depth = stack.pop()
        if depth > limits.MAX_JSON_DEPTH:
            top = field.split("[")[0].split(".")[0]  # the whole path would fill the line
            raise P.TOO_DEEP.error(field=top or FILE, limit=limits.MAX_JSON_DEPTH)
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            if isinstance(child, dict | list):
                stack.append((child, _path(field, key), depth + 1))
            elif isinstance(child, _LongNumber):
                raise P.NUMBER_TOO_LONG.error(
                    field=_path(field, key), digits=child.digits, limit=limits.MAX_DIGITS
                )


def load_data(text: str | bytes) -> dict:
    """The decoded object of a poll file, read strictly; raises PollError naming the field.

    The one reader of poll files (command line, setup page, archive). Bytes must be UTF-8;
    a leading byte-order mark is allowed (Windows editors add one). Refused at once: a file
    over ``limits.MAX_FILE_MB``, an empty file, malformed JSON, duplicate keys, ``NaN``
    and ``Infinity``, nesting deeper than ``limits.MAX_JSON_DEPTH``, integers of more than
    ``limits.MAX_DIGITS`` digits, and anything but an object at the top.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    if size > limits.MAX_FILE_MB * 1024 * 1024:
        raise P.FILE_TOO_LARGE.error(
            size=size / 1024 / 1024,
            limit=limits.MAX_FILE_MB,
            ballots=limits.MAX_BALLOTS,
            officials=limits.MAX_OFFICIALS,
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise P.NOT_UTF8.error(position=error.start) from None
    else:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        raise P.EMPTY_FILE.error()
    try:
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_integer,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        reason = _JSON_REASONS.get(error.msg, "cú pháp không hợp lệ")
        raise P.MALFORMED.error(line=error.lineno, column=error.colno, reason=reason) from None
    except RecursionError:
        raise P.TOO_DEEP.error(field=FILE, limit=limits.MAX_JSON_DEPTH) from None
    if isinstance(data, _LongNumber):
        raise P.NUMBER_TOO_LONG.error(field=FILE, digits=data.digits, limit=limits.MAX_DIGITS)
    if isinstance(data, dict | list):
        _check_tree(data)
    return require_object(data, FILE)
