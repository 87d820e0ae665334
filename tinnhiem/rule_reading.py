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

from tinnhiem import problems as P
from tinnhiem.model import BASES
from tinnhiem.problems import PollError, ProblemType

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


class RuleSetError(PollError):
    """Raised when a rule set, or a poll's ``rules``, breaks a rule; carries the Problem."""

    def __init__(self, kind: ProblemType, field: str | None = None, **values: Any):
        super().__init__(kind(field, **values))

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def field(self) -> str:
        return self.problem.field

    @property
    def message(self) -> str:
        return self.problem.message

    @classmethod
    def unknown_rules(cls, rule_id: str, builtins: tuple[str, ...]) -> RuleSetError:
        return cls(P.UNKNOWN_RULES, value=rule_id, allowed=", ".join(builtins))

    @classmethod
    def rules_not_custom(cls, rule_id: str, custom_id: str) -> RuleSetError:
        return cls(P.RULES_NOT_CUSTOM, value=rule_id, custom=custom_id)


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
        raise RuleSetError(P.BAD_FRACTION, field, value=show(text))
    value = Fraction(int(match[1]), int(match[2]))
    if not 0 < value <= 1:
        raise RuleSetError(P.FRACTION_OUTSIDE, field, value=show(text))
    return value


def _object(data: Any, field: str, keys: tuple[str, ...], required: tuple[str, ...]) -> None:
    if not isinstance(data, Mapping):
        raise RuleSetError(P.NOT_OBJECT, field, value=show(data))
    for key in data:
        if key not in keys and not key.startswith("x-"):
            raise RuleSetError(P.UNKNOWN_KEY, f"{field}.{key}", allowed=", ".join(keys))
    for key in required:
        if key not in data:
            raise RuleSetError(P.MISSING, f"{field}.{key}")


def _text(data: Mapping[str, Any], key: str, field: str, non_empty: bool = False) -> None:
    if key in data:
        value = data[key]
        if not isinstance(value, str):
            raise RuleSetError(P.NOT_TEXT, f"{field}.{key}", value=show(value))
        if non_empty and not value.strip():
            raise RuleSetError(P.EMPTY_RULE_ID if key == "id" else P.MISSING, f"{field}.{key}")


def _list(data: Mapping[str, Any], key: str, field: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise RuleSetError(P.NOT_LIST, f"{field}.{key}", value=show(value))
    return value


def _base(data: Mapping[str, Any], field: str) -> None:
    if data["base"] not in BASES:
        value = show(data["base"]).strip("“”")  # S02 quotes the value itself
        raise RuleSetError(P.UNKNOWN_BASE, f"{field}.base", value=value, allowed=", ".join(BASES))


def read_bands(bands: Any, field: str = "bands") -> None:
    """Check a list of bands: names, exact edges, strictly increasing; RuleSetError else."""
    if not isinstance(bands, list):
        raise RuleSetError(P.NOT_LIST, field, value=show(bands))
    if not bands:
        raise RuleSetError(P.NO_BANDS, field)
    seen: dict[str, str] = {}
    previous: tuple[Fraction, Mapping[str, Any]] | None = None
    for number, band in enumerate(bands, start=1):
        at = f"{field}[{number}]"
        _object(band, at, BAND_KEYS, BAND_KEYS)
        name = band["band"]
        if not isinstance(name, str) or not BAND_NAME.fullmatch(name):
            raise RuleSetError(P.BAD_BAND_NAME, f"{at}.band", value=show(name))
        if name == "none":
            raise RuleSetError(P.BAND_NAMED_NONE, f"{at}.band")
        if name in seen:
            raise RuleSetError(P.DUPLICATE_BAND, f"{at}.band", value=name, first=seen[name])
        seen[name] = at
        edge = read_fraction(band["from"], f"{at}.from")
        if not isinstance(band["inclusive"], bool):
            raise RuleSetError(P.BAD_INCLUSIVE, f"{at}.inclusive", value=show(band["inclusive"]))
        if previous is not None and edge <= previous[0]:
            raise RuleSetError(
                P.EDGES_NOT_INCREASING,
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
        raise RuleSetError(P.NOT_OBJECT, at, value=show(value))
    names = [b["band"] for b in data["bands"]]
    for band, text in value.items():
        if band not in names:
            raise RuleSetError(
                P.CONSEQUENCE_BAND, f"{at}.{band}", value=band, allowed=", ".join(names)
            )
        if builtin and isinstance(text, Mapping):
            if set(text) != set(BODY_KEYS):
                raise RuleSetError(P.BODY_TEXTS, f"{at}.{band}", allowed=", ".join(BODY_KEYS))
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
            raise RuleSetError(P.NOT_TEXT, f"{field}.exemptions[{number}]", value=show(reason))
    articles, quotes = data["articles"], data["quotes"]
    for key in ("articles", "quotes"):
        _object(data[key], f"{field}.{key}", TOPICS, ())
    for topic, article in articles.items():
        if not isinstance(article, str) or not ARTICLE.fullmatch(article):
            raise RuleSetError(P.BAD_ARTICLE, f"{field}.articles.{topic}", value=show(article))
    for topic in quotes:
        _text(quotes, topic, f"{field}.quotes", non_empty=True)
        if topic not in articles:
            raise RuleSetError(P.QUOTE_WITHOUT_ARTICLE, f"{field}.quotes.{topic}", value=topic)


def read_data(data: Any, field: str, *, builtin: bool, builtins: tuple[str, ...]) -> Any:
    """``data`` once it is a well-formed rule set; raises RuleSetError for the first mistake.

    ``builtin``: a file of tinnhiem/rulesets (every field, and the built-ins' own ones);
    otherwise a poll file's ``rule_set``, whose id must not be one of ``builtins``.
    """
    keys = BUILTIN_KEYS if builtin else CONTRACT_KEYS
    _object(data, field, keys, keys if builtin else CUSTOM_REQUIRED)
    _text(data, "id", field, non_empty=True)
    if data["id"] in builtins:
        raise RuleSetError(P.BUILTIN_RULE_ID, f"{field}.id", value=data["id"])
    for key in ("name", "citation"):
        _text(data, key, field, non_empty=builtin)
    _base(data, field)
    read_fraction(data["quorum"], f"{field}.quorum")
    read_bands(data["bands"], f"{field}.bands")
    _consequences(data, field, builtin)
    if builtin:
        _builtin_extras(data, field)
    return data
