"""The board's library of custom rule sets (table ``rule_sets``, migration 0012).

A rule set is saved as the poll file's ``rule_set`` object (poll-file.md, "Custom rule
sets"), checked by the pure core (``rules.read_rule_set``) and its texts as typed text
(``storage.typed``). Rows are only added: saving an id again makes a new row, and the
newest row of an id is its text. A poll chosen under a rule set keeps its own copy in its
setting, so changing the library later never changes a poll already made.
"""

from __future__ import annotations

import json

from tinnhiem.rule_reading import RuleSetError
from tinnhiem.rules import RuleSet, read_rule_set
from tinnhiem.storage.chain import canonical_json
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import SetupInvalid, WrongState
from tinnhiem.storage.records import now
from tinnhiem.storage.typed import ACTOR, rule_set_problems, typed

_NEWEST = """
SELECT data FROM rule_sets r WHERE rowid = (
    SELECT MAX(rowid) FROM rule_sets s WHERE s.rule_id = r.rule_id
) ORDER BY rule_id
"""


def checked(data: object) -> RuleSet:
    """The RuleSet of ``data``; SetupInvalid with the contract's refusal or a text's problem."""
    try:
        found = read_rule_set(data)
    except RuleSetError as error:
        raise SetupInvalid([error.problem]) from None
    problems = rule_set_problems(data)
    if problems:
        raise SetupInvalid(problems)
    return found


class RuleLibrary:
    """The saved custom rule sets of one database file."""

    def __init__(self, pool: Pool):
        self._pool = pool

    def save_rule_set(self, data: dict, actor: str = "") -> RuleSet:
        """Save (or save again) a custom rule set; returns it as read back.

        Raises SetupInvalid with the Vietnamese problem when it is not a well-formed rule set
        (every refusal of the contract) or a text is too long or holds a control character.
        """
        found = checked(data)
        who = typed(actor, ACTOR, WrongState)
        with self._pool.write() as conn:
            conn.execute(
                "INSERT INTO rule_sets VALUES (?, ?, ?, ?)",
                (found.id, canonical_json(data), now(), who),
            )
        return found

    def rule_sets(self) -> list[RuleSet]:
        """The newest text of every saved rule set, by id."""
        with self._pool.read() as conn:
            found = conn.execute(_NEWEST).fetchall()
        return [read_rule_set(json.loads(row["data"])) for row in found]

    def saved_rule_set(self, rule_id: str) -> RuleSet | None:
        """The newest text of the saved rule set ``rule_id``, or None."""
        return next((r for r in self.rule_sets() if r.id == rule_id), None)
