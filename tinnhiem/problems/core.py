"""The registry's parts: Problem, PollError, ProblemType and the one REGISTRY of codes."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # refused: nothing is stored until it is fixed
    WARNING = "warning"  # accepted, but the person should look again


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable code, the field it concerns, a Vietnamese sentence."""

    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PollError(ValueError):
    """Raised when a poll's data breaks a rule; carries the Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class ProblemType:
    """One registered problem; its ``field`` and ``message`` are ``str.format`` templates."""

    code: str
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def placeholders(self) -> set[str]:
        """The names the templates need when the problem is raised."""
        parts = string.Formatter().parse(self.field + self.message)
        return {name for _, name, _, _ in parts if name}

    def __call__(self, field: str | None = None, **values: Any) -> Problem:
        """The problem with its placeholders filled; ``field`` overrides the template."""
        return Problem(
            self.code,
            field if field is not None else self.field.format(**values),
            self.message.format(**values),
        )

    def error(self, field: str | None = None, **values: Any) -> PollError:
        return PollError(self(field, **values))


REGISTRY: dict[str, ProblemType] = {}


def _define(code: str, field: str, message: str) -> ProblemType:
    """One problem, on one line of its module: W codes warn, every other code refuses.

    A ``field`` of ``"{field}"`` is given when the problem is raised (``field=…``).
    """
    if code in REGISTRY:
        raise ValueError(f"problem code {code} is defined twice")
    severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
    REGISTRY[code] = ProblemType(code, field, message, severity)
    return REGISTRY[code]


def show(value: Any) -> str:
    """A JSON value as a short one-line quotation for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
