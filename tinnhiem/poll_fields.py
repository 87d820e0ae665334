"""The typed readers of poll-file fields (tinnhiem.pollfile): each returns the value or
raises PollError naming the field. ``null`` is not a string, a list or a number; a key the
contract does not define is refused unless it starts with ``x-``."""

from __future__ import annotations

from tinnhiem import problems as P
from tinnhiem.problems import show


def known_keys(obj: dict, allowed: tuple[str, ...], prefix: str) -> None:
    """PollError for the first key of ``obj`` neither in ``allowed`` nor starting ``x-``."""
    for key in obj:
        if key not in allowed and not key.startswith("x-"):
            raise P.UNKNOWN_KEY.error(field=f"{prefix}{key}", allowed=", ".join(allowed))


def count(obj: dict, key: str, field: str, default: int | None = None) -> int:
    """A non-negative integer; without ``default`` the key is required."""
    if key not in obj:
        if default is not None:
            return default
        raise P.MISSING.error(field=field)
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise P.NOT_INTEGER.error(field=field, value=show(value))
    if value < 0:
        raise P.NEGATIVE.error(field=field, value=value)
    return value


def text(obj: dict, key: str, field: str, required: bool = False, nullable: bool = False) -> str:
    """A string ("" when absent, or ``null`` and ``nullable``)."""
    if key not in obj or (nullable and obj[key] is None):
        if required:
            raise P.MISSING.error(field=field)
        return ""
    if not isinstance(obj[key], str):
        raise P.NOT_TEXT.error(field=field, value=show(obj[key]))
    return obj[key]


def optional_text(obj: dict, key: str, field: str) -> str | None:
    """A string when the key is there (``null`` refused like any non-string), else None."""
    return text(obj, key, field) if key in obj else None


def choice(obj: dict, key: str, allowed: tuple[str, ...], field: str) -> str:
    """A required string, one of ``allowed``."""
    if key not in obj:
        raise P.MISSING.error(field=field)
    value = obj[key]
    if not isinstance(value, str) or value not in allowed:
        raise P.NOT_ALLOWED.error(field=field, value=show(value), allowed=", ".join(allowed))
    return value


def optional_choice(obj: dict, key: str, allowed: tuple[str, ...], field: str) -> str | None:
    """``choice`` when the key is there, else None."""
    return choice(obj, key, allowed, field) if key in obj else None
