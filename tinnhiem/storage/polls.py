"""Polls and their life cycle: setup, the move from state to state, the demo poll.

Every move is a row of the table in ``tinnhiem.lifecycle`` (docs/state-machine.md), made
through ``moves`` in the caller's transaction: setup → counting → closed → locked; closed
goes back to counting with a reason; locked is forever.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from tinnhiem import words
from tinnhiem.demo import DEMO_PIN, demo_poll
from tinnhiem.lifecycle import Action
from tinnhiem.model import Mode, Poll, State
from tinnhiem.storage import moves, rows, stack_rows
from tinnhiem.storage.access import Access, check_pin_format
from tinnhiem.storage.connections import Pool
from tinnhiem.storage.errors import PollNotFound, SetupInvalid, WrongState
from tinnhiem.storage.people import KeptPeople
from tinnhiem.storage.records import MODES, AuditEntry, PollSummary, poll_of, setting_of
from tinnhiem.storage.stacks import blocking_reason
from tinnhiem.storage.stacks import stacked as stacked_poll
from tinnhiem.storage.typed import ACTOR, CLOSE_REASON, REOPEN_REASON, rule_set_problems, typed
from tinnhiem.validation import check_open, check_poll


def check_setting(poll: Poll) -> dict:
    """The setting of ``poll`` as stored; SetupInvalid with every problem of it (quorum and
    zero ballots are checked only when the count opens)."""
    problems = check_poll(replace(poll, entries=None, totals=None, invalid=0))
    if poll.rule_set is not None:
        problems += rule_set_problems(dict(poll.rule_set.data))
    if problems:
        raise SetupInvalid(problems)
    return setting_of(poll)


def _keep_identity(setting: dict, current: dict) -> None:
    """Carry the current point and officials' persons into a new setting that has none."""
    if "point" in current:
        setting.setdefault("point", current["point"])
    persons = {(o["name"], o["position"]): o.get("person") for o in current["officials"]}
    for official in setting["officials"]:
        person = persons.get((official["name"], official["position"]))
        if person is not None:
            official.setdefault("person", person)


class Polls:
    """The polls of one database file: made, changed, read, moved through their states.

    ``access`` writes the board's PIN in the same transaction as a new poll.
    """

    def __init__(self, pool: Pool, access: Access, people: KeptPeople):
        self._pool = pool
        self._access = access
        self._people = people

    def create_poll(self, poll: Poll, actor: str = "", pin: str | None = None) -> int:
        """Store a new poll in state ``setup``, with the board's PIN when given; entries and
        totals are ignored.

        Raises SetupInvalid with every problem of the setting (quorum and zero ballots are
        checked only when the count opens), StoreError when the PIN is not 4–12 digits.
        """
        setting = check_setting(poll)
        if pin is not None:
            check_pin_format(pin)
        with self._pool.write() as conn:
            poll_id = rows.create_poll(conn, setting, actor, uid=poll.id)
            if pin is not None:
                self._access.write_pin(conn, poll_id, pin, actor)
        return poll_id

    def update_poll(self, poll_id: int, poll: Poll, actor: str = "") -> None:
        """Replace a poll's setting, officials and board.

        In ``setup`` anything may change; while counting only ballots issued and collected
        (collected never below the ballots entered). The poll's point, and the person of
        each official kept (same name and position), stay when ``poll`` gives none: the
        setup form does not show them. Raises SetupInvalid, WrongState, PollLocked or
        PollNotFound.
        """
        setting = check_setting(poll)
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.UPDATE)
            _keep_identity(setting, rows.read_setting(conn, row))
            if row["state"] == State.COUNTING:
                current = rows.read_setting(conn, row)
                others = {k: v for k, v in setting.items() if k not in ("issued", "collected")}
                if others != {k: current.get(k) for k in others}:
                    raise WrongState(
                        "Đang kiểm phiếu: chỉ được sửa số phiếu phát ra và thu về; muốn sửa "
                        "thông tin khác thì phải làm trước khi mở kiểm phiếu."
                    )
                entered = rows.active_count(conn, poll_id)
                if setting["collected"] < entered:
                    raise WrongState(
                        f"Đã nhập {words.number(entered)} phiếu; số phiếu thu về không thể nhỏ "
                        f"hơn ({words.number(setting['collected'])}). Hủy bớt phiếu nhập thừa "
                        "trước."
                    )
                if row["mode"] == Mode.TOTALS:
                    totals = rows.read_totals(conn, poll_id)
                    candidate = replace(
                        poll_of(setting),
                        totals=tuple(totals) if totals else None,
                        invalid=row["invalid"],
                    )
                    problems = check_poll(candidate)
                    if problems:
                        raise SetupInvalid(problems)
            rows.write_setting(conn, poll_id, setting)
            rows.append(conn, poll_id, actor, Action.UPDATE, {"setting": setting})

    # -- reading -----------------------------------------------------------------------

    def list_polls(self) -> list[PollSummary]:
        """Every poll, newest first."""
        with self._pool.read() as conn:
            found = conn.execute(
                """SELECT p.*,
                     (SELECT COALESCE(MAX(entry_no), 0) FROM ballots b WHERE b.poll_id = p.id)
                     - (SELECT COUNT(*) FROM voids v WHERE v.poll_id = p.id) AS counted
                   FROM polls p ORDER BY p.id DESC"""
            ).fetchall()
            stacked = {  # counted in stacks: the ballots of agreed and resolved ones
                r["id"]: sum(len(v.counted) for v in stack_rows.read_views(conn, r))
                for r in found
                if stacked_poll(r)
            }
        return [
            PollSummary(
                id=r["id"],
                title=r["title"],
                body=r["body"],
                date=r["date"],
                kind=r["kind"],
                rules=r["rules"],
                state=r["state"],
                counted=stacked.get(r["id"], r["counted"]),
                collected=r["collected"],
            )
            for r in found
        ]

    def has_poll(self, poll_id: int) -> bool:
        """True when a poll has this id (one indexed read)."""
        with self._pool.bare() as conn:
            found = conn.execute("SELECT 1 FROM polls WHERE id = ?", (poll_id,)).fetchone()
        return found is not None

    def is_demo(self, poll_id: int) -> bool:
        """True for the demo poll whose PIN is still DEMO_PIN (set by ``create_demo`` or
        ``ensure_demo`` with it, never changed since); one indexed read."""
        with self._pool.bare() as conn:
            found = conn.execute("SELECT demo FROM polls WHERE id = ?", (poll_id,)).fetchone()
        return bool(found and found[0])

    def get_poll(self, poll_id: int, with_entries: bool = True) -> Poll:
        """The whole poll: setting plus active ballots (entries mode) or totals (totals mode).

        ``entries`` and ``totals`` are None while nothing is counted; ``with_entries=False``
        leaves the ballots unread (``entries`` None), for a page that needs the setting
        only. Raises PollNotFound.
        """
        with self._pool.read() as conn:
            return rows.read_poll(conn, poll_id, with_entries, people=self._people.of)

    def state(self, poll_id: int) -> str:
        """``setup``, ``counting``, ``closed`` or ``locked``; raises PollNotFound."""
        with self._pool.bare() as conn:  # one statement: no BEGIN/COMMIT
            return rows.poll_row(conn, poll_id)["state"]

    def mode(self, poll_id: int) -> str:
        """``entries`` or ``totals`` (chosen when the count opens; ``entries`` before)."""
        with self._pool.bare() as conn:  # one statement: no BEGIN/COMMIT
            return rows.poll_row(conn, poll_id)["mode"] or "entries"

    def audit_log(self, poll_id: int) -> list[AuditEntry]:
        """The poll's audit chain, oldest first."""
        with self._pool.read() as conn:
            return rows.read_snapshot(conn, poll_id).audit

    def change_token(self, poll_id: int) -> str:
        """A short text that changes whenever anything of the poll changes (one indexed read)."""
        with self._pool.bare() as conn:  # no BEGIN/COMMIT round trip: the projector polls this
            row = conn.execute(
                "SELECT head_seq, head_hash FROM polls WHERE id = ?", (poll_id,)
            ).fetchone()
        if row is None:
            raise PollNotFound(f"Không có đợt lấy phiếu số {poll_id}.")
        return f"{row[0]}:{row[1][:16]}"

    def lock_info(self, poll_id: int) -> tuple[str, str] | None:
        """(locked_at, head hash) of a locked poll, else None."""
        with self._pool.bare() as conn:  # one statement: no BEGIN/COMMIT
            row = rows.poll_row(conn, poll_id)
        if row["state"] != State.LOCKED:
            return None
        return row["locked_at"], row["lock_hash"]

    # -- the life cycle ----------------------------------------------------------------

    def open_count(self, poll_id: int, actor: str = "", mode: str = "entries") -> None:
        """setup → counting, entering ballots one by one (``entries``) or hand-count totals.

        Raises SetupInvalid with ``validation.check_open``'s problems (no quorum, no
        official on the ballot, impossible counts, no ballot collected).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.OPEN)
            problems = check_open(poll_of(rows.read_setting(conn, row)))
            if problems:
                raise SetupInvalid(problems)
            moves.move(conn, row, Action.OPEN, actor, {"mode": mode}, mode=mode)

    def close_count(self, poll_id: int, actor: str = "", reason: str = "") -> None:
        """counting → closed; refused while the ballots counted differ from those collected,
        unless a reason is given (it is recorded). WrongState too when the reason or actor is
        not text the minutes can print (``storage.typed``)."""
        reason = typed(reason, CLOSE_REASON, WrongState)
        actor = typed(actor, ACTOR, WrongState)
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.CLOSE)
            if row["mode"] == Mode.TOTALS:
                counted = row["collected"] if rows.read_totals(conn, poll_id) else 0
            else:
                counted = _counted(conn, row)
            if counted != row["collected"] and not reason:
                raise WrongState(
                    f"Mới nhập {words.number(counted)}/{words.number(row['collected'])} phiếu "
                    "thu về; nhập đủ, hoặc ghi lý do để kết thúc kiểm phiếu khi chưa đủ."
                )
            payload = {"counted": counted, "collected": row["collected"], "reason": reason}
            moves.move(conn, row, Action.CLOSE, actor, payload)

    def reopen_count(self, poll_id: int, reason: str, actor: str = "") -> None:
        """closed → counting; a reason is required (WrongState without one, or when the
        reason or actor is not text the minutes can print: ``storage.typed``)."""
        reason = typed(reason, REOPEN_REASON, WrongState)
        actor = typed(actor, ACTOR, WrongState)
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.REOPEN)
            if not reason:
                raise WrongState("Cần ghi lý do mở lại kiểm phiếu.")
            moves.move(conn, row, Action.REOPEN, actor, {"reason": reason})

    def lock(self, poll_id: int, actor: str = "") -> str:
        """closed → locked, forever; returns the audit head hash (printed in the minutes).

        The lock entry records the poll's id too, so an export's id is sealed by its chain
        (``storage.sealed``), as its point already is by the setting.
        """
        with self._pool.write() as conn:
            row = moves.writable(conn, poll_id, Action.LOCK)
            entries = row["mode"] == Mode.ENTRIES
            counted = _counted(conn, row) if entries else row["collected"]
            payload = {"counted": counted, "id": rows.poll_row(conn, poll_id)["uid"]}
            return moves.move(conn, row, Action.LOCK, actor, payload)

    # -- the demo ----------------------------------------------------------------------

    def create_demo(self, actor: str = "minh họa", pin: str | None = None) -> int:
        """The demo poll of tinnhiem.demo, counting, with its first 31 ballots entered on two
        stations (Máy 1, Máy 2), and the board's PIN when given, all in one transaction;
        returns its id."""
        if pin is not None:
            check_pin_format(pin)
        with self._pool.write() as conn:
            return self._write_demo(conn, actor, pin)

    def ensure_demo(self, actor: str = "minh họa", pin: str | None = None) -> int | None:
        """``create_demo`` when the database holds no poll at all (the app's first start);
        its id, else None. Atomic: several processes starting at once make one demo."""
        if pin is not None:
            check_pin_format(pin)
        with self._pool.write() as conn:
            if conn.execute("SELECT 1 FROM polls LIMIT 1").fetchone() is not None:
                return None
            return self._write_demo(conn, actor, pin)

    def _write_demo(self, conn: sqlite3.Connection, actor: str, pin: str | None) -> int:
        poll = demo_poll()
        setting = check_setting(poll)
        poll_id = rows.create_poll(conn, setting, actor)
        if pin is not None:
            self._access.write_pin(conn, poll_id, pin, actor)
        if pin == DEMO_PIN:  # the sidebar shows it while nobody changed it (is_demo)
            conn.execute("UPDATE polls SET demo = 1 WHERE id = ?", (poll_id,))
        row = rows.poll_row(conn, poll_id)
        moves.move(conn, row, Action.OPEN, actor, {"mode": Mode.ENTRIES}, mode=Mode.ENTRIES)
        row = rows.poll_row(conn, poll_id)
        for number, marks in enumerate(poll.entries or (), start=1):
            station = "Máy 1" if number % 2 else "Máy 2"
            rows.store_ballot(conn, row, marks, station, f"{actor} ({station})")
        return poll_id


def _counted(conn: sqlite3.Connection, row: sqlite3.Row) -> int:
    """The ballots a poll entered one by one counts; for one counted in stacks, those of its
    agreed and resolved stacks, WrongState while a stack is different or incomplete."""
    if not stacked_poll(row):
        return rows.active_count(conn, row["id"])
    views = stack_rows.read_views(conn, row)
    reason = blocking_reason(views)
    if reason:
        raise WrongState(reason)
    return sum(len(v.counted) for v in views)
