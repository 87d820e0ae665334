"""The command line's own words in Vietnamese: what argparse prints around our help texts
and in its refusals ("usage:", "the following arguments are required", …).

argparse looks every such sentence up through ``gettext`` when it prints it; ``speak``
puts a lookup in this table in its place, so ``tinnhiem --help`` and a mistyped command
read in Vietnamese like the rest. A sentence not in the table stays as argparse wrote it.
"""

from __future__ import annotations

import argparse

ARGPARSE: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "còn thiếu tham số: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)"
    ),
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (%(type)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
}
_PLURAL: dict[str, str] = {"expected %s argument": "cần %s giá trị"}


def _word(sentence: str) -> str:
    return ARGPARSE.get(sentence, sentence)


def _words(singular: str, plural: str, count: int) -> str:
    return _PLURAL.get(singular, singular if count == 1 else plural)


def speak() -> None:
    """Make argparse print its sentences in Vietnamese (for the whole process)."""
    argparse._ = _word  # type: ignore[attr-defined]  # its gettext lookup, see the docstring
    argparse.ngettext = _words  # type: ignore[attr-defined]
