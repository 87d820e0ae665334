"""Keyboard-first ballot entry: the typed line, its check, what was stored, fixes.

A ballot is one line typed into the ballot keyboard (``tinnhiem.ui.keyboard``) and ended
with Enter; the browser previews it against the names at each key press. Lines arrive as
a numbered queue and are stored in order, each exactly once, even when typed faster than
the server answers: each line carries its keyboard and line number to the store, and the
database stores a (keyboard, line) once per poll whatever is sent again. (Measured in
Chromium on a loaded server: ``st.chat_input`` merged or dropped ballots typed at 60 ms
per key, because Streamlit keeps only the newest value of a widget when reruns pile up;
``st.text_input`` merged them at 120 ms per key.)

Short forms: ``1*`` or ``*1`` rates everyone on the ballot alike (any digit); ``X`` or
``x`` is one whole invalid ballot. Spaces are ignored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from tinnhiem import storage, validation, words
from tinnhiem.model import INVALID_BALLOT, Kind, Poll, entry_alphabet
from tinnhiem.ui import access, keyboard, markup, state, tables

_KEY = "tinnhiem.entry"
_LAST_KEY = "tinnhiem.entry.last"  # the outcomes of the last batch of lines
LAST_KEY = _LAST_KEY
# (poll, stack, pass) this tab types, in a poll entered in stacks: its lines go to that pass
PASS_KEY = "tinnhiem.entry.pass"
# Keyboard client → the last line number handled by this session: a cache that spares the
# store the lines it answered already and trims the browser's queue; it never decides
# whether a line is stored (the store does).
_ACKED_KEY = "tinnhiem.entry.acked"
RECENT_TABLE = "tinnhiem-recent"  # data-testid of the last entries
# A long ballot (28 to 44 marks) wraps inside its cell: kept on one line it pushed the table
# past the right edge of a 1366-pixel screen. A short one stays on one line, and the
# station ("Máy 12") and the time never break: at 1366 px they did, under each other.
_LONG_BALLOT = 20
_RECENT = f'table[data-testid="{RECENT_TABLE}"]'
_RECENT_STYLE = (
    f"<style>{_RECENT} td:nth-child(3),{_RECENT} td:nth-child(4){{white-space:nowrap}}"
    f"{_RECENT} td.mono{{letter-spacing:.04em}}"
    f"{_RECENT} :is(td,th){{padding-left:.35rem;padding-right:.35rem}}</style>"
)
_SAME_FOR_ALL = re.compile(r"^(?:\*(\d)|(\d)\*)$")


def expand_entry(typed: str, width: int) -> str:
    """The entry string a typed line stands for: short forms expanded, spaces dropped.

    ``"1*"`` / ``"*1"`` → ``"1" * width``; ``"x"`` → ``"X"``; anything else is returned
    as typed (without spaces) for ``validation.check_entry`` to judge.
    """
    compact = "".join(typed.split())
    if compact in ("x", "X"):
        return INVALID_BALLOT
    same = _SAME_FOR_ALL.match(compact)
    if same:
        return (same.group(1) or same.group(2)) * width
    return compact


@dataclass(frozen=True)
class Outcome:
    """What became of the last line typed in this tab."""

    typed: str
    marks: str
    stored: storage.StoredBallot | None = None
    refusal: str | None = None  # Markdown-safe Vietnamese sentence when nothing was stored
    source: tuple[str, int] | None = None  # (keyboard client, line number) that sent it


def keys_help(kind: Kind) -> str:
    """One line of help on what to type for a ballot of this kind."""
    digits = ", ".join(
        f"{digit} = {words.level_of_digit(kind, digit).lower()}"
        for digit in entry_alphabet(kind)[1:]
    )
    return (
        f"Mỗi người một chữ số theo thứ tự trên phiếu: {digits}, 0 = để trống hoặc đánh "
        "không hợp lệ; rồi nhấn Enter. Cả phiếu giống nhau: gõ chữ số kèm dấu * "
        "(1* = tất cả một chữ số 1). Cả phiếu không hợp lệ: gõ X."
    )


def line_label(client: str, seq: int) -> str:
    """Who entered a ballot: the keyboard and its line number, recorded with the ballot."""
    return f"bàn phím {client}, dòng {seq}"


def _store_line(
    store: storage.Store, poll_id: int, kind: Kind, width: int, typed: str, source: tuple
) -> Outcome | None:
    """Check one typed line and store it; what became of it (None: it was stored before).

    ``source``: (keyboard client, line number). A browser that reconnects to a restarted
    server sends its last queue again, to a session that has handled nothing yet, and two
    runs of one session may handle the same queue: the store answers AlreadyStored.
    """
    marks = expand_entry(typed, width)
    problem = validation.check_entry(marks, kind, width)
    if problem is not None:
        return Outcome(typed, marks, refusal=markup.md_escape(problem.message), source=source)
    typing = st.session_state.get(PASS_KEY)
    try:
        if typing and typing[0] == poll_id:  # a pass of a stack
            stored = store.add_pass_ballot(poll_id, typing[1], typing[2], marks, source=source)
        else:
            stored = store.add_ballot(
                poll_id,
                marks,
                station=state.station(),
                entered_by=access.signed(poll_id, line_label(*source)),
                source=source,
            )
    except storage.AlreadyStored:
        return None
    except storage.StoreError as error:
        return Outcome(typed, marks, refusal=markup.refusal(error), source=source)
    return Outcome(typed, marks, stored=stored, source=source)


def _lines(queue: dict) -> list[tuple[int, str]]:
    """The (line number, line) pairs of a queue in order; malformed items are left out."""
    lines = []
    for item in queue["items"]:
        seq = item.get("seq") if isinstance(item, dict) else None
        if isinstance(seq, int) and not isinstance(seq, bool) and seq > 0:
            lines.append((seq, str(item.get("line", ""))))
    return sorted(lines)


def accept_queue(
    store: storage.Store, poll_id: int, kind: Kind, width: int, queue: dict | None
) -> bool:
    """Store the lines of a keyboard queue not stored yet, in order, each exactly once.

    True when a line was stored or refused now (what the page read before is stale).

    Exactly once is the store's: each line goes with its (keyboard, line number), which
    the database keeps unique per poll. Streamlit may start a session's next run in a new
    thread while the previous run is still ending, and a reconnecting browser sends its
    queue again: the second sending of a line is answered AlreadyStored and not shown.
    """
    if not queue or not isinstance(queue.get("items"), list):
        return False
    client = str(queue.get("client", ""))
    acked: dict[str, int] = st.session_state.setdefault(_ACKED_KEY, {})
    outcomes = []
    for seq, line in _lines(queue):
        if seq <= acked.get(client, 0):
            continue  # answered by this session already (a cache: the store would say so)
        outcome = _store_line(store, poll_id, kind, width, line, (client, seq))
        acked[client] = max(seq, acked.get(client, 0))
        if outcome is not None:
            outcomes.append(outcome)
    if outcomes:
        st.session_state[_LAST_KEY] = outcomes
    return bool(outcomes)


def _on_queue(store: storage.Store, poll_id: int, kind: Kind, width: int) -> None:
    accept_queue(store, poll_id, kind, width, keyboard.queue_of(_KEY))


def ballot_input(
    store: storage.Store, poll_id: int, poll: Poll, outcomes: Sequence[Outcome] = ()
) -> None:
    """The entry line; Enter stores the ballot and leaves the line empty and focused.

    The typed line is shown against the names at every key press, in the browser; while
    the line is empty, the last of ``outcomes`` is read back there (a stored ballot by its
    number, a refused line in red), and a line refused just now is put back to be mended.
    """
    width = len(poll.ballot_officials)
    args = (store, poll_id, poll.kind, width)
    data = {
        "names": [o.name for o in poll.ballot_officials],
        "words": {d: words.level_of_digit(poll.kind, d) for d in entry_alphabet(poll.kind)},
        "low": str(len(poll.levels)),  # the last level: tín nhiệm thấp / không tín nhiệm
        "invalid_word": words.INVALID_BALLOT,
        "placeholder": f"Gõ {width} chữ số rồi Enter (X = phiếu không hợp lệ)",
        "help": keys_help(poll.kind),
        "acked": st.session_state.get(_ACKED_KEY, {}),
        "last": read_back(outcomes[-1]) if outcomes else None,
        "refused": refused_line(outcomes),
    }
    keyboard.ballot_keyboard(_KEY, data, on_queue=functools.partial(_on_queue, *args))


def read_back(outcome: Outcome) -> dict:
    """What the keyboard reads back while its line is empty: the marks and a title."""
    if outcome.stored is not None:
        title = f"Phiếu số {outcome.stored.entry_no} đã lưu — đọc lại theo danh sách:"
        return {"marks": outcome.marks, "title": title, "bad": False}
    title = "Chưa lưu phiếu vừa gõ (xem lý do ở trên) — đọc theo danh sách:"
    return {"marks": outcome.marks, "title": title, "bad": True}


def refused_line(outcomes: Sequence[Outcome]) -> dict | None:
    """The newest refused line of a batch with the keyboard that sent it, else None."""
    refused = [o for o in outcomes if o.refusal and o.source]
    if not refused:
        return None
    client, seq = refused[-1].source  # type: ignore[misc]
    return {"client": client, "seq": seq, "line": refused[-1].typed}


def accept_pending(store: storage.Store, poll_id: int, poll: Poll) -> bool:
    """Store what the keyboard sent if its callback has not (call before drawing the page).

    Idempotent: lines already acknowledged are skipped. True when a line was handled now.
    """
    width = len(poll.ballot_officials)
    return accept_queue(store, poll_id, poll.kind, width, keyboard.queue_of(_KEY))


def last_outcomes(recent: Sequence[storage.StoredBallot]) -> list[Outcome]:
    """This tab's last batch of typed lines, else the poll's last stored ballot, else [].

    ``recent``: the poll's last entries, newest first (``Desk.recent``).
    """
    outcomes = st.session_state.get(_LAST_KEY)
    if outcomes:
        return outcomes
    active = [b for b in recent if not b.voided]
    if active:
        return [Outcome(active[0].marks, active[0].marks, stored=active[0])]
    return []


def show_outcomes(outcomes: list[Outcome]) -> None:
    """Say whether the last lines were stored; show each refused line back as typed."""
    if not outcomes:
        st.info("Chưa có phiếu nào được nhập.")
        return
    for outcome in outcomes:
        if outcome.refusal:
            st.error(
                f"Chưa lưu phiếu vừa gõ: {outcome.refusal}",
                icon=":material/block:",
            )
            st.text(f"Đã gõ: {outcome.typed}")
    stored = [o.stored for o in outcomes if o.stored is not None]
    if stored:
        numbers = ", ".join(str(b.entry_no) for b in stored)
        last = stored[-1]
        st.success(
            f"Đã lưu phiếu số {numbers} ({last.station}, {last.entered_at[11:19]}).",
            icon=":material/check_circle:",
        )


def progress(counted: int, collected: int) -> None:
    """“Đã nhập x / y phiếu thu về” with a bar."""
    fraction = min(counted / collected, 1.0) if collected else 0.0
    st.progress(
        fraction, text=f"Đã nhập {words.number(counted)} / {words.number(collected)} phiếu thu về"
    )


def recent_entries(ballots: Sequence[storage.StoredBallot], caption: str = "") -> None:
    """The last entries (``Desk.recent``, newest first), voided ones with their reason.

    ``caption`` is shown above the table.
    """
    if not ballots:
        return
    rows = [
        (
            str(b.entry_no),
            tables.Cell(b.marks, _ballot_tone(b)),
            b.station,
            b.entered_at[11:19],
            tables.Cell(_entry_note(b), "bad" if b.voided else ""),
        )
        for b in ballots
    ]
    html = tables.html_table(
        ("Số", "Phiếu", "Máy", "Giờ", "Ghi chú"),
        rows,
        label="Phiếu vừa nhập",
        testid=RECENT_TABLE,
        caption=caption,
        column_tones=("number", "", "", "muted"),
    )
    st.html(html + _RECENT_STYLE)  # after the table's own style, which it overrides


def _ballot_tone(ballot: storage.StoredBallot) -> str:
    tone = "mono wrap" if len(ballot.marks) > _LONG_BALLOT else "mono"
    return tone + " struck" if ballot.voided else tone


def _entry_note(ballot: storage.StoredBallot) -> str:
    if ballot.voided:
        return f"Đã hủy: {ballot.void_reason}"
    return f"Sửa phiếu số {ballot.replaces}" if ballot.replaces else ""


_CLOSED_NOTICES = {
    "setup": "Chưa mở kiểm phiếu: cuộc kiểm phiếu này còn ở bước thiết lập. Mở kiểm phiếu ở "
    "trang Thiết lập rồi quay lại đây.",
    "closed": "Đã kết thúc kiểm phiếu; không nhập thêm phiếu. Muốn nhập tiếp, mở lại ở trang "
    "Kết quả (cần ghi lý do).",
    "locked": "Kết quả đã khóa: không thể nhập, hủy hay sửa phiếu nữa.",
}


def entry_allowed(poll_state: str) -> bool:
    """True while the count is open; otherwise says why ballots cannot be entered."""
    if poll_state == "counting":
        return True
    st.warning(_CLOSED_NOTICES.get(poll_state, poll_state), icon=":material/lock:")
    return False
