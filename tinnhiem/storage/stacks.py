"""Independent entries: stacks (xấp), their blind passes, the board's decisions.

A poll whose ``passes_required`` is 2 or 3 is counted in stacks: the board names a stack
from its cover slip, each station types it as a pass of its own (never the same typist
twice on one stack), and the stack counts once its passes agree or the board has decided
every place where they differ (``stack_records``). Nothing here is ever changed or
deleted: a pass ends with a row of its own, a decision is a row, sending a stack back is
a row that opens a new round of passes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tinnhiem import limits, validation, words
from tinnhiem.lifecycle import Action
from tinnhiem.model import INVALID_BALLOT, Kind, Mode
from tinnhiem.stacks import DIFFERENT, INCOMPLETE
from tinnhiem.storage import moves, rows, stack_rows
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import AlreadyStored, BallotRefused, WrongState
from tinnhiem.storage.records import StoredBallot, now
from tinnhiem.storage.stack_records import REENTRY_PLACE, StackView, stack_totals
from tinnhiem.storage.typed import ACTOR, ENTERED_BY, STATION, Typed, typed

STACK_LABEL = Typed("nhãn xấp phiếu", "stack.label", limits.MAX_NAME)
DECISION_REASON = Typed("lý do quyết định", "decision.reason", limits.MAX_REASON)
REENTRY_REASON = Typed("lý do cho nhập lại xấp", "reentry.reason", limits.MAX_REASON)


@dataclass(frozen=True)
class StackSummary:
    """A poll's stacks now, and the totals the projector and results page show."""

    passes_required: int
    views: tuple[StackView, ...]
    counted: int  # ballots of agreed and resolved stacks
    awaiting_entry: int  # ballots of stacks still to be entered (again)
    awaiting_decision: int  # ballots of stacks whose passes differ, undecided

    @property
    def blocking(self) -> tuple[StackView, ...]:
        """The stacks that keep the count from closing: different or incomplete ones."""
        return tuple(v for v in self.views if v.state in (DIFFERENT, INCOMPLETE))


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def blocking_reason(views: list[StackView]) -> str | None:
    """Why the count cannot close or lock while stacks wait; None when none does."""
    waiting = [v for v in views if v.state in (DIFFERENT, INCOMPLETE)]
    if not waiting:
        return None
    different = [f"“{v.record.label}”" for v in waiting if v.state == DIFFERENT]
    incomplete = [f"“{v.record.label}”" for v in waiting if v.state == INCOMPLETE]
    parts = []
    if different:
        parts.append(f"xấp {', '.join(different)} có chỗ khác nhau chưa quyết định")
    if incomplete:
        parts.append(f"xấp {', '.join(incomplete)} chưa nhập đủ số lần")
    return words.sentence("; ".join(parts)) + ". Nhập đủ hoặc quyết định xong mới kết thúc."


def stacked(row: sqlite3.Row) -> bool:
    """Whether the poll of ``row`` is counted in stacks."""
    return row["passes_required"] > 1 and row["mode"] == Mode.ENTRIES


class Stacks:
    """The stacks of the polls of one database file."""

    def __init__(self, pool: Pool):
        self._pool = pool

    def _row(self, conn: sqlite3.Connection, poll_id: int, action: Action) -> sqlite3.Row:
        row = moves.writable(conn, poll_id, action)
        if not stacked(row):
            raise WrongState(
                f"Đợt lấy phiếu số {poll_id} nhập mỗi phiếu một lần, không nhập theo xấp."
            )
        return row

    def add_stack(self, poll_id: int, label: str, size: int | None = None, actor: str = "") -> int:
        """A new stack at the end of the counting order, named as on its cover slip, with
        the ballots the slip says (optional); its number. BallotRefused for an empty or
        used label, a size outside 1 … MAX_STACK; WrongState unless counting in stacks."""
        label, actor = typed(label, STACK_LABEL, BallotRefused), typed(actor, ACTOR, BallotRefused)
        if not label:
            raise BallotRefused("Cần ghi nhãn xấp như trên phiếu bìa (vd. “Xấp 3”).")
        if size is not None and (isinstance(size, bool) or not 0 < size <= limits.MAX_STACK):
            raise BallotRefused(f"Số phiếu của xấp phải từ 1 đến {words.number(limits.MAX_STACK)}.")
        with self._pool.write() as conn:
            self._row(conn, poll_id, Action.STACK)
            found = conn.execute(
                "SELECT label FROM stacks WHERE poll_id = ?", (poll_id,)
            ).fetchall()
            if any(_same(r[0], label) for r in found):
                raise BallotRefused(f"Đã có xấp “{label}”; mỗi xấp một nhãn riêng.")
            number = len(found) + 1
            payload = {
                "stack_no": number, "label": label, "size": size,
                "created_by": actor, "created_at": now(),
            }  # fmt: skip
            _insert(conn, poll_id, "stacks", payload, actor)
            return number

    def start_pass(
        self, poll_id: int, stack_no: int, typist: str, station: str = "", client: str = ""
    ) -> int:
        """A new pass of the stack typed by ``typist``; its number. The same person cannot
        type two passes of one round (BallotRefused); the same typist starting again gets
        back the pass left open, from any keyboard (a tab reloaded or a browser restarted
        on the one laptop is a new keyboard: the half-typed pass is not lost; a line is
        still stored once, by its keyboard and number). Refused once the round has its
        passes."""
        typist = _required(typist, ENTERED_BY, "Cần ghi họ tên người nhập lần này.")
        station = typed(station, STATION, BallotRefused)
        client = typed(client, STATION, BallotRefused)
        with self._pool.write() as conn:
            row, view = self._stack(conn, poll_id, Action.PASS, stack_no)
            record = view.record
            mine = [p for p in record.current() if _same(p.typist, typist)]
            if mine and not mine[0].finished:
                return mine[0].pass_no
            if mine:
                raise BallotRefused(
                    f"{typist} đã nhập lần {mine[0].pass_no} của xấp “{record.label}”; "
                    "lần nhập khác của xấp này phải do người khác nhập."
                )
            if len(record.current()) >= row["passes_required"]:
                raise BallotRefused(
                    f"Xấp “{record.label}” đã có đủ {row['passes_required']} lần nhập."
                )
            number = len(record.passes) + 1
            payload = {
                "stack_no": stack_no, "pass_no": number, "round": record.round,
                "typist": typist, "station": station, "client": client, "started_at": now(),
            }  # fmt: skip
            _insert(conn, poll_id, "passes", payload, typist)
            return number

    def add_pass_ballot(
        self,
        poll_id: int,
        stack_no: int,
        pass_no: int,
        marks: str,
        source: tuple[str, int] | None = None,
    ) -> StoredBallot:
        """The next ballot of an open pass; as ``add_ballot``, a line from one ``source`` is
        stored once (AlreadyStored after). ``entry_no`` of the answer: its place in the pass."""
        if source is not None:
            source = rows.check_source(source)
        with self._pool.write("Phiếu này") as conn:
            if source is not None:
                earlier = conn.execute(
                    "SELECT position, marks, entered_at FROM pass_ballots WHERE poll_id = ? "
                    "AND source_client = ? AND source_seq = ?",
                    (poll_id, *source),
                ).fetchone()
                if earlier is not None:
                    raise AlreadyStored(StoredBallot(earlier[0], earlier[1], "", "", earlier[2]))
            row = self._row(conn, poll_id, Action.PASS_BALLOT)
            found = self._open_pass(conn, row, stack_no, pass_no)
            marks = marks.strip()
            marks = INVALID_BALLOT if marks == INVALID_BALLOT.lower() else marks
            problem = validation.check_entry(marks, Kind(row["kind"]), _width(conn, poll_id))
            if problem:
                raise BallotRefused(rows.sentence(problem.message))
            position = len(found.entries) + 1
            if position > min(row["collected"], limits.MAX_STACK):
                raise BallotRefused("Lần nhập này đã nhiều phiếu hơn số phiếu thu về.")
            at = now()
            payload = {
                "stack_no": stack_no, "pass_no": pass_no, "position": position,
                "marks": marks, "entered_at": at,
            }  # fmt: skip
            if source is not None:
                payload["source"] = list(source)
            _insert(conn, poll_id, "pass_ballots", payload, found.typist)
            return StoredBallot(position, marks, found.station, found.typist, at, source=source)

    def finish_pass(self, poll_id: int, stack_no: int, pass_no: int, actor: str = "") -> None:
        """End an open pass: it is compared with the others from now on."""
        actor = typed(actor, ACTOR, BallotRefused)
        with self._pool.write() as conn:
            row = self._row(conn, poll_id, Action.PASS_END)
            found = self._open_pass(conn, row, stack_no, pass_no)
            if not found.entries:
                raise BallotRefused("Lần nhập này chưa có phiếu nào; nhập xong rồi mới kết thúc.")
            payload = {
                "stack_no": stack_no, "pass_no": pass_no, "ballots": len(found.entries),
                "finished_by": actor or found.typist, "finished_at": now(),
            }  # fmt: skip
            _insert(conn, poll_id, "pass_ends", payload, actor or found.typist)
            _within_collected(conn, row)

    def decide(
        self,
        poll_id: int,
        stack_no: int,
        place: str,
        chosen_pass: int | None,
        marks: str | None,
        reason: str,
        actor: str = "",
    ) -> None:
        """The board's decision on one place where the stack's passes differ: the reading of
        ``chosen_pass``, or ``marks`` typed from the paper (one ballot). A reason is needed;
        a place is decided once (send the stack back to begin again)."""
        why = "Cần ghi lý do của quyết định (đã xem phiếu giấy thế nào)."
        reason = _required(reason, DECISION_REASON, why)
        actor = typed(actor, ACTOR, BallotRefused)
        with self._pool.write() as conn:
            row, view = self._stack(conn, poll_id, Action.DECISION, stack_no)
            found = next((p for p in view.places if p.key == place), None)
            if view.state != DIFFERENT or found is None:
                raise BallotRefused("Chỗ này không còn cần quyết định (xấp đã khớp hoặc đã xử lý).")
            if place in view.decided:
                raise BallotRefused("Chỗ này đã được quyết định; muốn làm lại, cho nhập lại xấp.")
            if chosen_pass is not None:
                if not 1 <= chosen_pass <= len(found.readings):
                    raise BallotRefused(f"Không có lần nhập thứ {chosen_pass} ở chỗ này.")
                entries = found.readings[chosen_pass - 1]
            else:
                entry = (marks or "").strip()
                entry = INVALID_BALLOT if entry == INVALID_BALLOT.lower() else entry
                problem = validation.check_entry(entry, Kind(row["kind"]), _width(conn, poll_id))
                if problem:
                    raise BallotRefused(rows.sentence(problem.message))
                entries = (entry,)
            current = [p for p in view.record.current() if p.finished]
            self._insert_decision(conn, poll_id, stack_no, view.record.round, place,
                                  chosen_pass and current[chosen_pass - 1].pass_no,
                                  entries, reason, actor, Action.DECISION)  # fmt: skip
            _within_collected(conn, row)

    def send_back(self, poll_id: int, stack_no: int, reason: str, actor: str = "") -> None:
        """Send a stack back to be entered again from the start: a new round of passes; the
        old passes stay (and are exported), no longer compared; a pass left open (a typist
        gone) takes no more ballots. A reason is needed."""
        reason = _required(reason, REENTRY_REASON, "Cần ghi lý do cho nhập lại xấp.")
        actor = typed(actor, ACTOR, BallotRefused)
        with self._pool.write() as conn:
            _, view = self._stack(conn, poll_id, Action.REENTRY, stack_no)
            if not view.record.current():
                raise BallotRefused(f"Xấp “{view.record.label}” chưa có lần nhập nào.")
            self._insert_decision(conn, poll_id, stack_no, view.record.round, REENTRY_PLACE,
                                  None, (), reason, actor, Action.REENTRY)  # fmt: skip

    @staticmethod
    def _insert_decision(conn, poll_id, stack_no, round_, place, chosen, entries, reason,
                         actor, action) -> None:  # fmt: skip
        number = conn.execute(
            "SELECT COUNT(*) FROM decisions WHERE poll_id = ?", (poll_id,)
        ).fetchone()[0]
        payload = {
            "decision_no": number + 1, "stack_no": stack_no, "round": round_, "place": place,
            "chosen_pass": chosen, "entries": list(entries), "reason": reason,
            "decided_by": actor, "decided_at": now(),
        }  # fmt: skip
        _insert(conn, poll_id, "decisions", payload, actor, action)

    # -- reading -----------------------------------------------------------------------

    def _stack(
        self, conn: sqlite3.Connection, poll_id: int, action: Action, stack_no: int
    ) -> tuple[sqlite3.Row, StackView]:
        """The poll's row, writable for ``action`` in stacks, and the view of one stack."""
        row = self._row(conn, poll_id, action)
        return row, self._view(conn, row, stack_no)

    def _view(self, conn: sqlite3.Connection, row: sqlite3.Row, stack_no: int) -> StackView:
        found = stack_rows.read_views(conn, row, stack_no)
        if not found:
            raise BallotRefused(f"Không có xấp số {stack_no}.")
        return found[0]

    def _open_pass(self, conn: sqlite3.Connection, row: sqlite3.Row, stack_no: int, pass_no: int):
        """The open pass, its ballots read (the stack's rows only, no alignment)."""
        found = stack_rows.records_of(stack_rows.rows_of(conn, row["id"], stack_no))
        if not found:
            raise BallotRefused(f"Không có xấp số {stack_no}.")
        record = found[0]
        one = next((p for p in record.passes if p.pass_no == pass_no), None)
        if one is None:
            raise BallotRefused(f"Xấp “{record.label}” không có lần nhập {pass_no}.")
        if one.finished or one.round != record.round:
            raise BallotRefused(f"Lần nhập {pass_no} của xấp “{record.label}” đã xong.")
        return one

    def stack_summary(self, poll_id: int) -> StackSummary:
        """Every stack of the poll with its state, and the ballots counted and waiting."""
        with self._pool.read() as conn:
            row = rows.poll_row(conn, poll_id)
            views = stack_rows.read_views(conn, row)
        totals = stack_totals(views)
        return StackSummary(
            passes_required=row["passes_required"],
            views=tuple(views),
            counted=totals["counted"],
            awaiting_entry=totals["awaiting_entry"],
            awaiting_decision=totals["awaiting_decision"],
        )


def _insert(
    conn: sqlite3.Connection, poll_id: int, table: str, payload: dict, actor: str, action: str = ""
) -> None:
    """Store one row of ``table`` and log it (``action``: the table's own unless given)."""
    stack_rows.insert_row(conn, poll_id, table, payload)
    rows.append(conn, poll_id, actor, action or stack_rows.ACTIONS[table][0], payload)


def _within_collected(conn: sqlite3.Connection, row: sqlite3.Row) -> None:
    """BallotRefused (the transaction undone) when the stacks now count more ballots than
    were collected: the tally would refuse the poll (K07)."""
    counted = stack_totals(stack_rows.read_views(conn, row))["counted"]
    if counted > row["collected"]:
        raise BallotRefused(
            f"Các xấp đã khớp hoặc đã quyết định sẽ tính {words.number(counted)} phiếu, nhiều "
            f"hơn {words.number(row['collected'])} phiếu thu về; kiểm lại các xấp."
        )


def _width(conn: sqlite3.Connection, poll_id: int) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM officials WHERE poll_id = ? AND exempt_reason IS NULL", (poll_id,)
    ).fetchone()[0]


def _required(text: str, limit: Typed, missing: str) -> str:
    """``text`` checked as ``typed`` checks it; BallotRefused(``missing``) when empty."""
    text = typed(text, limit, BallotRefused)
    if not text:
        raise BallotRefused(missing)
    return text
