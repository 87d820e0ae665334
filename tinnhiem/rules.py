"""Rule sets: base, bands, quorum, exemptions and consequences of one legal instrument.

The built-in rule sets are data files shipped with the package (``tinnhiem/rulesets/``,
listed in order by ``index.json``), read and checked here when the module is imported; a
new instrument is a new file. A poll file may carry its own rule set (``rule_set``, see
poll-file.md), read by ``read_rule_set`` with the same checks. Every edge is an exact
fraction and every comparison is on integers (``Band.passed_by``).

A rule set cites only the articles the sources confirm (domain.md): ``cite(topic)`` gives
``Điều 12 Nghị quyết 96/2023/QH15`` where the article is known and the instrument alone
where it is not. Where the law's consequence depends on the body (Quốc hội or Hội đồng
nhân dân), the rule set holds one text per body; ``for_body`` picks them for one poll.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from importlib import resources
from typing import Any

from tinnhiem import problems as P
from tinnhiem.model import Kind, Poll
from tinnhiem.problems import Problem
from tinnhiem.rule_reading import RuleSetError, read_data, read_fraction

__all__ = [
    "BANDS",
    "BAND_NONE",
    "BAND_OVER_HALF",
    "BAND_TWO_THIRDS",
    "BODIES",
    "RULE_SETS",
    "Band",
    "RuleSet",
    "RuleSetError",
    "UnknownRuleSet",
    "body_code",
    "check_rules",
    "lookup",
    "no_quorum",
    "of_poll",
    "read_rule_set",
    "rule_set",
]

BAND_NONE = "none"
BAND_OVER_HALF = "over_half"
BAND_TWO_THIRDS = "two_thirds"
BANDS = (BAND_NONE, BAND_OVER_HALF, BAND_TWO_THIRDS)  # the bands of the built-in rule sets

# The convening bodies whose consequences differ, and the words that name them in a poll's
# ``body`` (compared in composed, case-folded form). "any" is the text for any other body.
BODIES: dict[str, tuple[str, ...]] = {
    "quoc_hoi": ("quốc hội",),
    "hdnd": ("hội đồng nhân dân", "hđnd"),
}
ANY_BODY = "any"


def body_code(body: str) -> str:
    """``quoc_hoi``, ``hdnd`` or ``any``: which body a poll's ``body`` text names."""
    text = unicodedata.normalize("NFC", body or "").casefold()
    for code, words in BODIES.items():
        if any(word in text for word in words):
            return code
    return ANY_BODY


@dataclass(frozen=True)
class Band:
    """One band: its name and the edge (a fraction of the base) the deciding count passes."""

    name: str
    edge: Fraction
    inclusive: bool  # True: the edge itself is in the band ("từ … trở lên")

    def passed_by(self, count: int, base: int) -> bool:
        """count × q ≥ p × base when inclusive, count × q > p × base when not."""
        p, q = self.edge.numerator, self.edge.denominator
        return count * q >= p * base if self.inclusive else count * q > p * base


@dataclass(frozen=True)
class RuleSet:
    """One legal instrument (or a local plan) and what it says about base, bands and more.

    ``poll_consequences`` and ``vote_consequences`` map a band to its text per body code
    (``quoc_hoi``, ``hdnd``, ``any``); ``consequence`` picks the one for ``body``.
    ``data`` is the object the rule set was read from (a poll file writes it back as is).
    """

    id: str
    name: str  # short Vietnamese name, e.g. "Nghị quyết 96/2023/QH15"
    who: str
    in_force: str
    citation: str  # the instrument in full, for "Căn cứ …"
    poll_base: str  # one of model.BASES
    base_note: str  # one sentence on the base, for the setup page
    bands_note: str  # one sentence on the bands, for the setup page
    poll_consequences: Mapping[str, Mapping[str, str]]
    vote_consequences: Mapping[str, Mapping[str, str]]
    exemptions: tuple[str, ...]
    quorum: Fraction = Fraction(2, 3)
    poll_bands: tuple[Band, ...] = ()
    vote_bands: tuple[Band, ...] = ()
    vote_base: str = "members"
    articles: Mapping[str, str] = field(default_factory=dict)  # topic → "Điều 12"
    quotes: Mapping[str, str] = field(default_factory=dict)  # topic → the article's words
    builtin: bool = False
    body: str = ""  # the convening body the consequences are read for ('' = any)
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def default_base(self, kind: Kind | str) -> str:
        """The base the rule set names for this kind (a built-in vote: all members)."""
        return self.vote_base if kind == Kind.VOTE else self.poll_base

    def bands(self, kind: Kind | str) -> tuple[Band, ...]:
        """The bands of this kind, by increasing edge."""
        return self.vote_bands if kind == Kind.VOTE else self.poll_bands

    def band_names(self, kind: Kind | str) -> tuple[str, ...]:
        """``none`` and the names of the bands of this kind, by increasing edge."""
        return (BAND_NONE, *(b.name for b in self.bands(kind)))

    def cite(self, topic: str) -> str:
        """The confirmed article on ``topic`` with the instrument, else the instrument alone."""
        article = self.articles.get(topic)
        return f"{article} {self.name}" if article else self.name

    def for_body(self, body: str) -> RuleSet:
        """The same rule set, its consequences read for the convening body ``body``."""
        return replace(self, body=body)

    def consequence(self, kind: Kind | str, band: str, body: str | None = None) -> str:
        """What the band means, in Vietnamese, with its source ('' for no band).

        ``body`` (the poll's convening body) defaults to the one given to ``for_body``.
        """
        table = self.vote_consequences if kind == Kind.VOTE else self.poll_consequences
        texts = table.get(band)
        if not texts:
            return ""
        code = body_code(self.body if body is None else body)
        text = texts.get(code) or texts[ANY_BODY]
        if not self.builtin:
            return text
        topic = "vote_consequences" if kind == Kind.VOTE else "consequences"
        return f"{text} ({self.cite(topic)})."


def _consequences(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """band → body code → text, from a checked ``consequences`` object."""
    return {
        band: dict(text) if isinstance(text, Mapping) else {ANY_BODY: text}
        for band, text in data.items()
    }


def _bands(data: list[Mapping[str, Any]]) -> tuple[Band, ...]:
    return tuple(Band(b["band"], read_fraction(b["from"]), b["inclusive"]) for b in data)


def _build(data: Mapping[str, Any], builtin: bool) -> RuleSet:
    """The RuleSet of a checked rule-set object."""
    bands = _bands(data["bands"])
    consequences = _consequences(data.get("consequences", {}))
    vote = data.get("vote")
    return RuleSet(
        id=data["id"],
        name=data.get("name") or data["id"],
        who=data.get("who", ""),
        in_force=data.get("in_force", ""),
        citation=data.get("citation", ""),
        poll_base=data["base"],
        base_note=data.get("base_note", ""),
        bands_note=data.get("bands_note", ""),
        poll_consequences=consequences,
        vote_consequences=_consequences(vote["consequences"]) if vote else consequences,
        exemptions=tuple(data.get("exemptions", ())),
        quorum=read_fraction(data["quorum"]),
        poll_bands=bands,
        vote_bands=_bands(vote["bands"]) if vote else bands,
        vote_base=vote["base"] if vote else data["base"],
        articles=dict(data.get("articles", {})),
        quotes=dict(data.get("quotes", {})),
        builtin=builtin,
        data=data,
    )


class UnknownRuleSet(KeyError):
    """Raised when a rule-set id is not one of RULE_SETS (nor the poll's own rule set)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"a rule-set file repeats a key: {keys}")
    return dict(pairs)


def _load_builtins() -> dict[str, RuleSet]:
    folder = resources.files("tinnhiem") / "rulesets"
    order = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    found = {}
    for rule_id in order:
        text = (folder / f"{rule_id}.json").read_text(encoding="utf-8")
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        data = read_data(data, f"rulesets/{rule_id}.json", builtin=True, builtins=())
        if data["id"] != rule_id:
            raise ValueError(f"rulesets/{rule_id}.json holds rule set {data['id']!r}")
        found[rule_id] = _build(data, builtin=True)
    return found


RULE_SETS: dict[str, RuleSet] = _load_builtins()


def read_rule_set(data: Any, field: str = "rule_set") -> RuleSet:
    """The custom rule set of a poll file's ``rule_set`` object, checked as the contract says.

    Raises RuleSetError (code, field, Vietnamese message) for the first problem found,
    including an id that is a built-in one.
    """
    return _build(read_data(data, field, builtin=False, builtins=tuple(RULE_SETS)), False)


def rule_set(rule_id: str) -> RuleSet:
    """The built-in rule set with this id; raises UnknownRuleSet."""
    try:
        return RULE_SETS[rule_id]
    except KeyError:
        raise UnknownRuleSet(rule_id) from None


def lookup(rule_id: str, custom: RuleSet | None = None) -> RuleSet:
    """The rule set a poll's ``rules`` names: its own ``custom`` one, else a built-in one.

    Raises RuleSetError when ``rules`` names neither (or names a built-in one while the
    poll carries its own).
    """
    if custom is not None:
        if rule_id != custom.id:
            raise RuleSetError.rules_not_custom(rule_id, custom.id)
        return custom
    if rule_id not in RULE_SETS:
        raise RuleSetError.unknown_rules(rule_id, tuple(RULE_SETS))
    return RULE_SETS[rule_id]


def of_poll(poll: Poll) -> RuleSet:
    """The rule set a poll is counted under, its consequences read for the poll's body.

    Raises RuleSetError when ``poll.rules`` names neither a built-in rule set nor the
    poll's own (``poll.rule_set``).
    """
    return lookup(poll.rules, poll.rule_set).for_body(poll.body)


def check_rules(poll: Poll) -> list[Problem]:
    """The problem with the rule set a poll names (S01, R01, R02), or none."""
    if poll.rule_set is not None and poll.rule_set.id in RULE_SETS:
        return [P.BUILTIN_RULE_ID(field="rule_set.id", value=poll.rule_set.id)]
    try:
        of_poll(poll)
    except RuleSetError as error:
        return [error.problem]
    return []


def no_quorum(poll: Poll, rules: RuleSet, required: int) -> Problem:
    """Q01 for the usual ⅔ (its message unchanged), Q02 naming any other fraction."""
    present, total = poll.members.present, poll.members.total
    if rules.quorum == Fraction(2, 3):
        return P.NO_QUORUM(present=present, total=total, required=required)
    quorum = f"{rules.quorum.numerator}/{rules.quorum.denominator}"
    return P.NO_QUORUM_FRACTION(
        present=present, total=total, required=required, quorum=quorum, rules=rules.name
    )
