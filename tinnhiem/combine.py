"""Poll files above one poll (shared/poll-file.md, ``tinnhiem combine``).

Files with the same ``id`` and different ``point`` are the points of one poll: their
setting must be identical, their counts are added up and the sum is tallied as
``tinnhiem tally`` would tally a totals file holding those sums; each point is tallied on
its own too. The same id and point twice is one file counted once (a duplicate) when the
contents agree, and a conflict when they do not. Different ids are separate polls, side by
side; one person found in several of them is listed with each result, never added up.

Pure: the caller reads each file into a ``PollFile`` (``storage.sealed.read_poll_file``
also checks the audit record of a file that says it is locked).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tinnhiem import problems as P
from tinnhiem import words
from tinnhiem.model import DECIDING_LEVEL, Attendance, Poll
from tinnhiem.pollfile import EXTENSION
from tinnhiem.problems import PollError, Problem, show
from tinnhiem.tally import OfficialResult, Tally, tally
from tinnhiem.tally import as_json as tally_json

NO_POINT = "(không ghi điểm)"
NO_ID = "(không có mã)"


@dataclass(frozen=True)
class PollFile:
    """One file given to combine: its name as given, its poll, and its lock when it has one.

    ``poll`` is valid, as ``poll_from_data`` gives it (it is not checked again);
    ``content`` is what two copies of the file must share (``content_of``); ``locked``
    means its audit record was checked and ends with the lock whose hash is ``lock_hash``.
    """

    name: str
    poll: Poll
    content: str
    locked: bool = False
    lock_hash: str | None = None


def content_of(data: dict) -> str:
    """The contract's fields of a decoded file, canonical: ``x-`` extensions left out, so
    two exports of one poll from two machines compare equal."""
    kept = {key: value for key, value in data.items() if not key.startswith("x-")}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def claims_lock(data: dict) -> bool:
    """True when a decoded file says it is an export of a locked poll."""
    ext = data.get(EXTENSION)
    return isinstance(ext, dict) and (
        ext.get("state") == "locked" or ext.get("lock_hash") is not None
    )


def in_file(name: str, error: PollError) -> PollError:
    """The error of one file, its field prefixed with the file's name."""
    problem = error.problem
    return PollError(Problem(problem.code, f"{name}: {problem.field}", problem.message))


@dataclass(frozen=True)
class PointResult:
    """One point of a poll, tallied on its own."""

    file: PollFile
    result: Tally

    @property
    def point(self) -> str | None:
        return self.file.poll.point


@dataclass(frozen=True)
class CombinedPoll:
    """One poll: its points' files, the poll they add up to and its tally."""

    poll: Poll  # the sum (totals mode), or the one file's own poll
    result: Tally
    points: tuple[PointResult, ...]

    @property
    def id(self) -> str | None:
        return self.poll.id

    @property
    def files(self) -> tuple[PollFile, ...]:
        return tuple(p.file for p in self.points)

    @property
    def locked(self) -> bool:
        """Every file used is a locked export whose audit record verified."""
        return all(f.locked for f in self.files)


@dataclass(frozen=True)
class PersonResult:
    """One person's result in one poll."""

    poll: CombinedPoll
    official: OfficialResult

    @property
    def low(self) -> str:
        """The deciding level's percentage (low, or no confidence for a vote)."""
        return self.official.percent[DECIDING_LEVEL[self.poll.result.kind]]


@dataclass(frozen=True)
class Person:
    """One person found in several polls, with the result of each (never added up)."""

    name: str
    position: str
    person: str | None
    results: tuple[PersonResult, ...]


@dataclass(frozen=True)
class Refusal:
    """A file set aside, and why (the problem's one line, naming the file)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Combined:
    """Everything ``tinnhiem combine`` reports; a screen that sets files aside
    (``combine_what_holds``) also keeps what it refused, and the expected points or units
    no file brought (``missing``), for the reports it prints."""

    polls: tuple[CombinedPoll, ...]
    people: tuple[Person, ...]
    duplicates: tuple[tuple[str, str], ...]
    refused: tuple[Refusal, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[PollFile, ...]:
        return tuple(f for poll in self.polls for f in poll.files)


def new_point(poll: Poll, point: str) -> Poll:
    """A new point of ``poll`` (read from its exported file): the same id, setting and
    officials, its own point, and nothing else of the file's: no attendance, ballots,
    board, place or remarks yet, nothing counted. Raises PollError when the file has no
    id, the point is blank, or it is the file's own point."""
    if poll.id is None:
        raise P.POINT_WITHOUT_ID.error(field="id")
    if not point.strip():
        raise P.BLANK_IDENTITY.error(field="point")
    if point == poll.point:
        raise P.SAME_POINT.error(field="point", point=point)
    return replace(
        poll,
        point=point,
        members=Attendance(total=0, present=0),
        issued=0,
        collected=0,
        invalid=0,
        entries=None,
        totals=None,
        stacks=None,
        board=(),
        time="",
        place="",
        remarks="",
    )


def _group_key(file: PollFile) -> tuple[str, str]:
    # A file without id is its own poll; only an identical copy of it joins it.
    return ("id", file.poll.id) if file.poll.id is not None else ("content", file.content)


def _groups(files: Sequence[PollFile]) -> tuple[list[list[PollFile]], list[tuple[str, str]]]:
    """The files by poll, then by point, in the order given; duplicates set aside."""
    groups: dict[tuple[str, str], dict[str | None, PollFile]] = {}
    duplicates: list[tuple[str, str]] = []
    for file in files:
        points = groups.setdefault(_group_key(file), {})
        first = points.get(file.poll.point)
        if first is None:
            points[file.poll.point] = file
        elif first.content == file.content:
            duplicates.append((first.name, file.name))
        else:
            raise P.SAME_POINT_OTHER_CONTENT.error(
                field=file.name,
                id=file.poll.id or NO_ID,
                point=file.poll.point or NO_POINT,
                other=first.name,
            )
    return [list(points.values()) for points in groups.values()], duplicates


def _setting(poll: Poll) -> dict[str, tuple[object, str]]:
    """What the points of one poll must share, each with how a message shows it."""
    rule_set = dict(poll.rule_set.data) if poll.rule_set is not None else None
    return {
        "kind": (poll.kind, words.KIND[poll.kind]),
        "rules": (poll.rules, show(poll.rules)),
        "rule_set": (rule_set, show(rule_set["id"]) if rule_set else "(không có)"),
        "base": (poll.base, words.BASE[poll.base] if poll.base else "(theo bộ quy tắc)"),
        "rounding": (poll.rounding, show(poll.rounding)),
    }


def _check_same_poll(first: PollFile, file: PollFile) -> None:
    """PollError naming ``file`` where its setting or officials differ from ``first``'s."""
    expected, found = _setting(first.poll), _setting(file.poll)
    for what, (value, said) in found.items():
        if value != expected[what][0]:
            raise P.POINT_SETTING.error(
                field=file.name, what=what, value=said, other=first.name, expected=expected[what][1]
            )
    ours, theirs = first.poll.ballot_officials, file.poll.ballot_officials
    if len(ours) != len(theirs):
        raise P.POINT_OFFICIALS_COUNT.error(
            field=file.name, count=len(theirs), other=first.name, expected=len(ours)
        )
    for number, (mine, other) in enumerate(zip(ours, theirs, strict=True), start=1):
        if (mine.name, mine.position) != (other.name, other.position):
            raise P.POINT_OFFICIAL.error(
                field=file.name,
                number=number,
                name=other.name,
                position=other.position,
                other=first.name,
                expected_name=mine.name,
                expected_position=mine.position,
            )


def _tally(file: PollFile) -> Tally:
    try:
        return tally(file.poll, checked=True)
    except PollError as error:
        if error.problem.code == P.BASE_ZERO.code:  # a point set up, nothing counted yet
            point = file.poll.point or NO_POINT
            raise P.NOTHING_TO_ADD.error(field=file.name, point=point) from None
        raise in_file(file.name, error) from None


def summed_poll(points: Sequence[tuple[Poll, Tally]]) -> Poll:
    """The totals-mode poll whose counts are the sums of the points' counts and tallies."""
    first = points[0][0]
    levels = first.levels
    totals = tuple(
        {level: sum(t.officials[i].counts[level] for _, t in points) for level in levels}
        for i in range(len(first.ballot_officials))
    )
    return replace(
        first,
        members=Attendance(
            total=sum(p.members.total for p, _ in points),
            present=sum(p.members.present for p, _ in points),
        ),
        issued=sum(p.issued for p, _ in points),
        collected=sum(p.collected for p, _ in points),
        invalid=sum(t.invalid for _, t in points),
        officials=first.ballot_officials,
        entries=None,
        totals=totals,
        stacks=None,
        passes_required=1,
        point=None,
    )


def _combined_poll(files: list[PollFile]) -> CombinedPoll:
    first = files[0]
    for file in files[1:]:
        _check_same_poll(first, file)
    points = tuple(PointResult(file, _tally(file)) for file in files)
    if len(points) == 1:  # one file: exactly its own tally
        return CombinedPoll(first.poll, points[0].result, points)
    poll = summed_poll([(p.file.poll, p.result) for p in points])
    try:
        result = tally(poll)
    except PollError as error:  # sums above the limits: name the last file added
        raise in_file(files[-1].name, error) from None
    return CombinedPoll(poll, result, points)


def _people(polls: Sequence[CombinedPoll]) -> tuple[Person, ...]:
    """Everyone found in two polls or more: the same ``person``, or, where none is given,
    the same name and position."""
    found: dict[tuple[str, ...], list[PersonResult]] = {}
    for poll in polls:
        for row in poll.result.officials:
            official = row.official
            key = (
                ("person", official.person)
                if official.person
                else ("name", official.name, official.position)
            )
            found.setdefault(key, []).append(PersonResult(poll, row))
    people = []
    for results in found.values():
        if len({id(r.poll) for r in results}) < 2:
            continue
        official = results[0].official.official
        people.append(Person(official.name, official.position, official.person, tuple(results)))
    return tuple(people)


def combine(files: Sequence[PollFile]) -> Combined:
    """Combine poll files as ``tinnhiem combine`` does; raises PollError whose field is
    the name of the file refused (a conflict, a setting or official that differs, a
    file whose tally fails)."""
    groups, duplicates = _groups(files)
    polls = tuple(_combined_poll(group) for group in groups)
    return Combined(polls, _people(polls), tuple(duplicates))


def combine_what_holds(
    files: Sequence[PollFile], refused: Sequence[Refusal] = ()
) -> tuple[Combined | None, tuple[Refusal, ...]]:
    """``combine`` of the files it can take, for a screen that shows every refusal: each
    file a problem names (a conflict, a point that differs) is set aside with its reason
    and the others combined again; None when no file is left."""
    kept, refusals = list(files), list(refused)
    while kept:
        try:
            combined = combine(kept)
            return replace(combined, refused=tuple(refusals)), tuple(refusals)
        except PollError as error:
            field = error.problem.field
            named = [f for f in kept if field == f.name or field.startswith(f"{f.name}: ")]
            if not named:
                raise
            kept.remove(named[-1])
            refusals.append(Refusal(named[-1].name, str(error)))
    return None, tuple(refusals)


def missing(combined: Combined, expected: Sequence[str]) -> list[str]:
    """The expected points or units (one name each) that no file used is of."""
    found = {p.point for poll in combined.polls for p in poll.points}
    found |= {poll.poll.body for poll in combined.polls}
    names = [name.strip() for name in expected if name.strip()]
    return [name for name in dict.fromkeys(names) if name not in found]


def as_json(combined: Combined) -> dict:
    """The output of ``tinnhiem combine`` (poll-file.md), key for key."""
    return {
        "polls": [
            {
                "id": poll.id,
                "title": poll.poll.title,
                "points": [p.point for p in poll.points],
                "files": [f.name for f in poll.files],
                "locked": poll.locked,
                "tally": tally_json(poll.result),
                "by_point": [
                    {"point": p.point, "tally": tally_json(p.result)} for p in poll.points
                ],
            }
            for poll in combined.polls
        ],
        "people": [
            {
                "name": person.name,
                "position": person.position,
                "person": person.person,
                "results": [
                    {
                        "poll": r.poll.id,
                        "band": r.official.band,
                        "low": r.low,
                        "final": r.official.final,
                    }
                    for r in person.results
                ],
            }
            for person in combined.people
        ],
        "duplicates": [list(pair) for pair in combined.duplicates],
    }
