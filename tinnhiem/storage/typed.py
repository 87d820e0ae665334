"""Text a person types into the count (reasons, who did it, which machine): checked here.

The rules are validation's for the poll's own texts (``validation._check_texts``): no
control character XML cannot hold (S08, ``validation._is_control``: the DOCX and XLSX
writers refuse them), no more characters than the limit of ``tinnhiem.limits`` (S07). A
typed text that passes is stored as the setup form stores a name (``cell_text.clean``):
NFC, zero-width, direction and other invisible characters removed, spaces collapsed;
the limit is counted on that text.

A file being imported cannot be changed (its audit chain is hashed over its texts), so
``check_file_text`` only refuses, with the file's field named.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinnhiem import limits
from tinnhiem import problems as P
from tinnhiem.cell_text import clean
from tinnhiem.problems import PollError, Problem
from tinnhiem.storage.errors import StoreError
from tinnhiem.validation import _is_control
from tinnhiem.words import sentence


@dataclass(frozen=True)
class Typed:
    """One kind of typed text: how a message names it, its field, its limit."""

    label: str
    field: str
    limit: int


VOID_REASON = Typed("lý do hủy phiếu", "void.reason", limits.MAX_REASON)
CORRECT_REASON = Typed("lý do sửa phiếu", "correct.reason", limits.MAX_REASON)
CLOSE_REASON = Typed("lý do kết thúc kiểm phiếu", "close.reason", limits.MAX_REASON)
REOPEN_REASON = Typed("lý do mở lại kiểm phiếu", "reopen.reason", limits.MAX_REASON)
ACTOR = Typed("họ tên người làm việc", "actor", limits.MAX_NAME)
ENTERED_BY = Typed("họ tên người nhập phiếu", "entered_by", limits.MAX_NAME)
STATION = Typed("tên máy nhập phiếu", "station", limits.MAX_NAME)


def _problem(text: str, field: str, limit: int | None) -> Problem | None:
    """S08 for the first control character, else S07 when longer than ``limit``."""
    control = next((c for c in text if _is_control(c)), None)
    if control is not None:
        return P.CONTROL_CHARACTER(field=field, char=f"U+{ord(control):04X}")
    if limit is not None and len(text) > limit:
        return P.TEXT_TOO_LONG(field=field, length=len(text), limit=limit)
    return None


def typed(text: object, kind: Typed, refused: type[StoreError]) -> str:
    """``text`` as stored (NFC, invisible characters removed, spaces collapsed, trimmed).

    Raises ``refused`` (BallotRefused, WrongState) with a Vietnamese sentence naming the
    text, what is wrong and how to fix it; its ``problems`` holds the registry's problem.
    """
    if text is None:
        return ""
    problem: Problem | None
    if not isinstance(text, str):
        problem = P.NOT_TEXT(field=kind.field, value=P.show(repr(text)))
    else:
        problem = _problem(text, kind.field, None)  # before clean removes them unseen
        if problem is None:
            value = clean(text)
            problem = _problem(value, kind.field, kind.limit)
            if problem is None:
                return value
    assert problem is not None
    worded = Problem(problem.code, problem.field, sentence(f"{kind.label} {problem.message}"))
    error = refused(worded.message)
    error.problems = [worded]  # what ui.markup.refusal shows
    raise error


def check_file_text(value: str | None, field: str, limit: int) -> None:
    """Raise the PollError of a text of an imported file that the store would refuse."""
    if isinstance(value, str):
        problem = _problem(value, field, limit)
        if problem is not None:
            raise PollError(problem)


def rule_set_problems(data: object, field: str = "rule_set") -> list[Problem]:
    """The problems of a custom rule set's texts (name, citation, each consequence): a
    control character or more characters than its limit, as for the poll's own texts."""
    if not isinstance(data, dict):
        return []
    texts = [("name", data.get("name"), limits.MAX_TITLE)]
    texts.append(("citation", data.get("citation"), limits.MAX_RULE_TEXT))
    consequences = data.get("consequences")
    for name, text in (consequences if isinstance(consequences, dict) else {}).items():
        texts.append((f"consequences.{name}", text, limits.MAX_RULE_TEXT))
    found = []
    for key, text, limit in texts:
        problem = _problem(text, f"{field}.{key}", limit) if isinstance(text, str) else None
        if problem is not None:
            found.append(problem)
    return found
