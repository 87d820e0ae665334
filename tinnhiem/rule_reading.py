"""Reading a rule set written as data, with one Vietnamese sentence for each mistake.

The same checks read the built-in files (``tinnhiem/rulesets/*.json``) and a poll file's
``rule_set`` (poll-file.md, "Custom rule sets"): a custom rule set has the contract's
fields only; a built-in file has them all, plus the fields only the law's own rule sets
carry (who, notes, a vote's own base and bands, exemptions, confirmed articles, quotes).
``read_data`` returns the object unchanged once it passes; ``tinnhiem.rules`` builds the
RuleSet from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from tinnhiem.model import BASES

CONTRACT_KEYS = ("id", "name", "citation", "base", "quorum", "bands", "consequences")
CUSTOM_REQUIRED = ("id", "base", "quorum", "bands")
BUILTIN_KEYS = (
    *CONTRACT_KEYS,
    *("who", "in_force", "base_note", "bands_note", "vote", "exemptions", "articles", "quotes"),
)
VOTE_KEYS = ("base", "bands", "consequences")
BAND_KEYS = ("band", "from", "inclusive")
BODY_KEYS = ("quoc_hoi", "hdnd", "any")
# What a built-in rule set may cite an article for.
TOPICS = (
    "who",
    "exemptions",
    "procedure_quoc_hoi",
    "procedure_hdnd",
    "consequences",
    "vote",
    "vote_consequences",
    "publication",
    "result",
    "quorum",
)

FRACTION = re.compile(r"([0-9]{1,100})/([0-9]{1,100})")
BAND_NAME = re.compile(r"[a-z][a-z0-9_]*")
ARTICLE = re.compile(r"(khoản [0-9]+ )?Điều [0-9]+")
EXAMPLE_ID = "kh-cantho-2019"

# code → message template; the field is named where the problem is raised.
MESSAGES = {
    "S01": "bộ quy tắc “{value}” không có; chọn một trong {allowed}.",
    "R02": (
        "phải là id của rule_set trong tệp (“{custom}”), không phải “{value}”; sửa rules "
        "thành “{custom}”, hoặc bỏ rule_set để dùng bộ quy tắc có sẵn."
    ),
    "R03": (
        "“{value}” là mã của một bộ quy tắc có sẵn; đặt cho bộ quy tắc riêng một mã khác "
        f"(ví dụ “{EXAMPLE_ID}”) và ghi mã đó vào rules, hoặc bỏ rule_set để dùng bộ có sẵn."
    ),
    "R04": (
        "phải là một phân số dạng “p/q” (p, q là số nguyên, q khác 0; ví dụ “1/2”, “2/3”), "
        "không phải {value}."
    ),
    "R05": "phân số {value} nằm ngoài khoảng cho phép: cần 0 < p/q ≤ 1 (ví dụ “1/2”, “2/3”).",
    "R06": (
        "ngưỡng {value} phải lớn hơn ngưỡng {previous} của mức “{band}” đứng trước; liệt kê "
        "các mức theo ngưỡng tăng dần, mỗi ngưỡng một mức."
    ),
    "R07": "cơ số {value} không có; chọn một trong {allowed}.",
    "R08": "mức “{value}” đã có ở {first}; mỗi mức một tên riêng.",
    "R09": (
        "tên mức {value} không hợp lệ; dùng chữ thường không dấu, chữ số và dấu _, bắt đầu "
        "bằng một chữ cái (ví dụ “over_half”)."
    ),
    "R10": "“none” là tên dành cho kết quả không qua ngưỡng nào; đặt tên khác cho mức này.",
    "R11": "phải là một đối tượng JSON {{…}}, không phải {value}.",
    "R12": "thiếu trường bắt buộc này.",
    "R13": (
        "trường không có trong bộ quy tắc; các trường được dùng: {allowed} (trường mở rộng "
        "bắt đầu bằng x-)."
    ),
    "R14": "phải là một chuỗi ký tự, không phải {value}.",
    "R15": "phải là true (kể cả chính ngưỡng) hoặc false (không kể ngưỡng), không phải {value}.",
    "R16": "không có mức “{value}” trong bands; chỉ ghi hậu quả cho các mức {allowed}.",
    "R17": "cần ít nhất một mức {{“band”, “from”, “inclusive”}}.",
    "R18": "phải là một danh sách, không phải {value}.",
    "R19": f"mã bộ quy tắc đang trống; đặt một mã như “{EXAMPLE_ID}”.",
    "R20": "phải ghi điều, khoản dạng “Điều 12” hoặc “khoản 5 Điều 2”, không phải {value}.",
    "R21": "trích dẫn “{value}” cần số điều đã xác nhận trong articles.",
    "R22": "cần đúng các cơ quan {allowed} (any: mọi cơ quan khác), mỗi cơ quan một câu.",
}


class RuleSetError(ValueError):
    """Raised when a rule set, or a poll's ``rules``, breaks a rule; names code and field."""

    def __init__(self, code: str, field: str, **values: Any):
        self.code = code
        self.field = field
        self.message = MESSAGES[code].format(**values)
        super().__init__(f"{field}: {self.message}")

    @classmethod
    def unknown_rules(cls, rule_id: str, builtins: tuple[str, ...]) -> RuleSetError:
        return cls("S01", "rules", value=rule_id, allowed=", ".join(builtins))

    @classmethod
    def rules_not_custom(cls, rule_id: str, custom_id: str) -> RuleSetError:
        return cls("R02", "rules", value=rule_id, custom=custom_id)


def show(value: Any) -> str:
    """A JSON value as a short one-line quotation for a message: “1/2”, 0.5, null."""
    text = json.dumps(value, ensure_ascii=False)
    text = text[1:-1] if isinstance(value, str) else text  # escapes kept: one line
    text = text if len(text) <= 40 else text[:39] + "…"
    return f"“{text}”" if isinstance(value, str) else text


def read_fraction(text: Any, field: str = "") -> Fraction:
    """The exact value of a fraction written ``"p/q"`` with 0 < p/q ≤ 1; RuleSetError else."""
    match = FRACTION.fullmatch(text) if isinstance(text, str) else None
    if match is None or int(match[2]) == 0:
        raise RuleSetError("R04", field, value=show(text))
    value = Fraction(int(match[1]), int(match[2]))
    if not 0 < value <= 1:
        raise RuleSetError("R05", field, value=show(text))
    return value


def _object(data: Any, field: str, keys: tuple[str, ...], required: tuple[str, ...]) -> None:
    if not isinstance(data, Mapping):
        raise RuleSetError("R11", field, value=show(data))
    for key in data:
        if key not in keys and not key.startswith("x-"):
            raise RuleSetError("R13", f"{field}.{key}", allowed=", ".join(keys))
    for key in required:
        if key not in data:
            raise RuleSetError("R12", f"{field}.{key}")


def _text(data: Mapping[str, Any], key: str, field: str, non_empty: bool = False) -> None:
    if key in data:
        value = data[key]
        if not isinstance(value, str):
            raise RuleSetError("R14", f"{field}.{key}", value=show(value))
        if non_empty and not value.strip():
            raise RuleSetError("R19" if key == "id" else "R12", f"{field}.{key}")


def _list(data: Mapping[str, Any], key: str, field: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise RuleSetError("R18", f"{field}.{key}", value=show(value))
    return value


def _base(data: Mapping[str, Any], field: str) -> None:
    if data["base"] not in BASES:
        raise RuleSetError(
            "R07", f"{field}.base", value=show(data["base"]), allowed=", ".join(BASES)
        )


def read_bands(bands: Any, field: str = "bands") -> None:
    """Check a list of bands: names, exact edges, strictly increasing; RuleSetError else."""
    if not isinstance(bands, list):
        raise RuleSetError("R18", field, value=show(bands))
    if not bands:
        raise RuleSetError("R17", field)
    seen: dict[str, str] = {}
    previous: tuple[Fraction, Mapping[str, Any]] | None = None
    for number, band in enumerate(bands, start=1):
        at = f"{field}[{number}]"
        _object(band, at, BAND_KEYS, BAND_KEYS)
        name = band["band"]
        if not isinstance(name, str) or not BAND_NAME.fullmatch(name):
            raise RuleSetError("R09", f"{at}.band", value=show(name))
        if name == "none":
            raise RuleSetError("R10", f"{at}.band")
        if name in seen:
            raise RuleSetError("R08", f"{at}.band", value=name, first=seen[name])
        seen[name] = at
        edge = read_fraction(band["from"], f"{at}.from")
        if not isinstance(band["inclusive"], bool):
            raise RuleSetError("R15", f"{at}.inclusive", value=show(band["inclusive"]))
        if previous is not None and edge <= previous[0]:
            raise RuleSetError(
                "R06",
                f"{at}.from",
                value=show(band["from"]),
                previous=show(previous[1]["from"]),
                band=previous[1]["band"],
            )
        previous = (edge, band)


def _consequences(data: Mapping[str, Any], field: str, builtin: bool) -> None:
    value = data.get("consequences", {})
    at = f"{field}.consequences"
    if not isinstance(value, Mapping):
        raise RuleSetError("R11", at, value=show(value))
    names = [b["band"] for b in data["bands"]]
    for band, text in value.items():
        if band not in names:
            raise RuleSetError("R16", f"{at}.{band}", value=band, allowed=", ".join(names))
        if builtin and isinstance(text, Mapping):
            if set(text) != set(BODY_KEYS):
                raise RuleSetError("R22", f"{at}.{band}", allowed=", ".join(BODY_KEYS))
            for body in BODY_KEYS:
                _text(text, body, f"{at}.{band}", non_empty=True)
        else:
            _text(value, band, at, non_empty=builtin)


def _builtin_extras(data: Mapping[str, Any], field: str) -> None:
    for key in ("who", "in_force", "base_note", "bands_note"):
        _text(data, key, field, non_empty=True)
    vote = data["vote"]
    _object(vote, f"{field}.vote", VOTE_KEYS, VOTE_KEYS)
    _base(vote, f"{field}.vote")
    read_bands(vote["bands"], f"{field}.vote.bands")
    _consequences(vote, f"{field}.vote", builtin=True)
    for number, reason in enumerate(_list(data, "exemptions", field), start=1):
        if not isinstance(reason, str) or not reason.strip():
            raise RuleSetError("R14", f"{field}.exemptions[{number}]", value=show(reason))
    articles, quotes = data["articles"], data["quotes"]
    for key in ("articles", "quotes"):
        _object(data[key], f"{field}.{key}", TOPICS, ())
    for topic, article in articles.items():
        if not isinstance(article, str) or not ARTICLE.fullmatch(article):
            raise RuleSetError("R20", f"{field}.articles.{topic}", value=show(article))
    for topic in quotes:
        _text(quotes, topic, f"{field}.quotes", non_empty=True)
        if topic not in articles:
            raise RuleSetError("R21", f"{field}.quotes.{topic}", value=topic)


def read_data(data: Any, field: str, *, builtin: bool, builtins: tuple[str, ...]) -> Any:
    """``data`` once it is a well-formed rule set; raises RuleSetError for the first mistake.

    ``builtin``: a file of tinnhiem/rulesets (every field, and the built-ins' own ones);
    otherwise a poll file's ``rule_set``, whose id must not be one of ``builtins``.
    """
    keys = BUILTIN_KEYS if builtin else CONTRACT_KEYS
    _object(data, field, keys, keys if builtin else CUSTOM_REQUIRED)
    _text(data, "id", field, non_empty=True)
    if data["id"] in builtins:
        raise RuleSetError("R03", f"{field}.id", value=data["id"])
    for key in ("name", "citation"):
        _text(data, key, field, non_empty=builtin)
    _base(data, field)
    read_fraction(data["quorum"], f"{field}.quorum")
    read_bands(data["bands"], f"{field}.bands")
    _consequences(data, field, builtin)
    if builtin:
        _builtin_extras(data, field)
    return data
