"""The widgets of the setup page: the poll's setting, attendance, officials, board, ballots.

The form lives in ``st.session_state`` under keys starting with ``setup.``; ``load`` fills
them from a stored poll (or a blank one), ``current_poll`` reads them back into a ``Poll``.
Problems the store reports (``SetupInvalid``) are kept with ``set_problems`` and shown by
each section next to its own fields. Names go into tables and ``st.text``, never Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from tinnhiem import arithmetic, officials_io, storage, words, words_stacks
from tinnhiem import problems as P
from tinnhiem.model import BASES, BOARD_ROLES, Attendance, BoardMember, Kind, Poll
from tinnhiem.problems import Problem
from tinnhiem.rules import RuleSet
from tinnhiem.ui import access, anchor_view, frame, markup, officials_editor, rule_set_form, state
from tinnhiem.ui.officials_editor import NAME

K = "setup."
_ROLE_OF = {word: role for role, word in words.ROLE.items()}  # "Thư ký" → "secretary"
# The page's sections, as the form and its read-only summary (setup_summary) head them.
TITLES = (
    "1. Kỳ họp và bộ quy tắc",
    "2. Thành phần tham dự",
    "3. Người được lấy phiếu, theo thứ tự trên phiếu",
    "4. Ban kiểm phiếu",
    "5. Phiếu phát ra và thu về",
    "6. Sao lưu tự động sang thư mục thứ hai",
)
# Which problems each section shows, by the start of the problem's field.
SECTION_FIELDS = {
    "setting": ("rules", "base", "rounding", "kind", "title", "date", "time"),
    "members": ("members",),
    "officials": ("officials",),
    "board": ("board",),
    "ballots": ("ballots", "entries", "totals"),
}


def blank_poll() -> Poll:
    """What a new poll starts from."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(0, 0),
        issued=0,
        collected=0,
        officials=(),
        date=dt.date.today().isoformat(),
    )


def load(poll: Poll, marker: object) -> None:
    """Put ``poll`` into the form; ``marker`` names what is loaded (see ``loaded``)."""
    s = st.session_state
    s[K + "title"], s[K + "body"], s[K + "place"] = poll.title, poll.body, poll.place
    s[K + "date"] = words.date(poll.date)  # typed as Vietnamese write it: 13/12/2023
    s[K + "time"] = dt.time.fromisoformat(poll.time) if _is_time(poll.time) else None
    s[K + "kind"], s[K + "rules"] = str(poll.kind), poll.rules
    rule_set_form.load_own(poll.rule_set)
    s[K + "base"], s[K + "rounding"] = poll.base, poll.rounding
    s[K + "passes"] = poll.passes_required
    s[K + "total"], s[K + "present"] = poll.members.total, poll.members.present
    s[K + "absent_reason"] = poll.members.absent_with_reason
    s[K + "absent_no_reason"] = poll.members.absent_without_reason
    s[K + "issued"], s[K + "collected"] = poll.issued, poll.collected
    s[K + "remarks"] = poll.remarks
    officials_editor.set_officials(list(poll.officials))
    # The grid holds the roles' Vietnamese words: a screen reader reads a cell's value, and
    # with codes as values it read "chair/secretary/member" (issue 13 point 22).
    s[K + "board"] = [{NAME: b.name, "Vai trò": words.ROLE.get(b.role, b.role)} for b in poll.board]
    s[K + "board_version"] = s.get(K + "board_version", 0) + 1
    s[K + "problems"] = []
    s[K + "loaded"] = marker


def loaded() -> object:
    """The marker of what the form holds (None when nothing is loaded yet)."""
    return st.session_state.get(K + "loaded")


def keep_loaded(marker: object) -> None:
    """Treat the form as holding ``marker`` (a new poll just stored keeps its form as is)."""
    st.session_state[K + "loaded"] = marker


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_TYPED_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def typed_date(text: str) -> dt.date | None:
    """The date typed as ngày/tháng/năm (``13/12/2023``, ``13-12-2023``, ``13.12.2023``).

    None when nothing was typed or no such day exists.
    """
    found = _TYPED_DATE.match(text or "")
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _is_time(text: str) -> bool:
    try:
        dt.time.fromisoformat(text)
    except ValueError:
        return False
    return True


def set_problems(problems: Sequence[Problem]) -> None:
    st.session_state[K + "problems"] = list(problems)


def show_problems(section: str | None) -> None:
    """The stored problems of one section (None: those no section claims)."""
    claimed = [f for fields in SECTION_FIELDS.values() for f in fields]
    for problem in st.session_state.get(K + "problems", []):
        fields = SECTION_FIELDS.get(section, ()) if section else ()
        mine = (
            problem.field.startswith(fields)
            if section
            else not problem.field.startswith(tuple(claimed))
        )
        if mine:
            message = problem.message[:1].upper() + problem.message[1:]
            st.error(markup.md_escape(message), icon=":material/error:")


# -- the setting ---------------------------------------------------------------------------


def setting_section(disabled: bool) -> None:
    """Title, body, date, time, place, kind, rule set, and base and rounding (advanced)."""
    left, right = st.columns(2)
    left.text_input("Kỳ họp / hội nghị", key=K + "title", disabled=disabled)
    left.text_input("Cơ quan, đơn vị", key=K + "body", disabled=disabled)
    left.text_input("Địa điểm", key=K + "place", disabled=disabled)
    when = left.columns(2)
    # A typed date, not st.date_input: its calendar names months and weekdays in English
    # (Streamlit takes them from the browser, out of the app's hands).
    when[0].text_input("Ngày (ngày/tháng/năm)", key=K + "date", disabled=disabled)
    typed = st.session_state.get(K + "date") or ""
    day = typed_date(typed)
    if day is not None:
        when[0].caption(f"{WEEKDAYS[day.weekday()]}, {day.day} tháng {day.month} năm {day.year}")
    elif typed.strip():
        when[0].caption(":red[Chưa đúng ngày: gõ ngày/tháng/năm, ví dụ 13/12/2023.]")
    when[1].time_input("Giờ", key=K + "time", step=300, disabled=disabled)
    right.radio(
        "Hình thức",
        [str(k) for k in Kind],
        format_func=lambda k: words.KIND[Kind(k)],
        key=K + "kind",
        horizontal=True,
        disabled=disabled,
    )
    rules = rule_set_form.choose(right, disabled)
    _choice(right, "Cách nhập phiếu", words_stacks.PASSES_REQUIRED, "passes", disabled)
    default = rules.default_base(Kind(st.session_state[K + "kind"]))
    with right.expander("Nâng cao: cơ số tính tỷ lệ, cách làm tròn"):
        st.selectbox(
            "Tỷ lệ phần trăm tính trên",
            [None, *BASES],
            format_func=lambda b: (
                f"Theo bộ quy tắc: {words.BASE[default]}"
                if b is None
                else words.sentence(words.BASE[b])
            ),
            key=K + "base",
            disabled=disabled,
        )
        _choice(st, "Làm tròn", words.ROUNDING, "rounding", disabled)
    show_problems("setting")


def _choice(where, label: str, choices: Mapping, key: str, disabled: bool) -> None:
    """A radio over a vocabulary's keys, each shown in its words (``K + key`` keeps it)."""
    where.radio(label, list(choices), format_func=choices.get, key=K + key, disabled=disabled)


# -- attendance ----------------------------------------------------------------------------


# The four counts of members: label, key in the form's state, text shown while blank
# (the absentees may stay unwritten).
MEMBER_FIELDS = (
    ("Tổng số được triệu tập", "total", None),
    ("Có mặt", "present", None),
    ("Vắng có lý do", "absent_reason", "không ghi"),
    ("Vắng không lý do", "absent_no_reason", "không ghi"),
)


def members_section(disabled: bool) -> None:
    """Members summoned, present and absent, with the live quorum indicator."""
    for col, (label, key, placeholder) in zip(st.columns(4), MEMBER_FIELDS, strict=True):
        col.number_input(
            label, min_value=0, step=1, key=K + key, disabled=disabled, placeholder=placeholder
        )
    total, present = st.session_state[K + "total"] or 0, st.session_state[K + "present"] or 0
    st.caption(
        f"Vắng mặt: {Attendance(total, present).absent} — vắng có lý do và không lý do (nếu "
        "ghi) phải cộng lại bằng số này."
    )
    quorum_indicator(total, present, rule_set_form.chosen())
    show_problems("members")


def quorum_indicator(total: int, present: int, rules: RuleSet | None = None) -> None:
    """ "Có mặt 47/50 — cần tối thiểu 34: đủ túc số", green when met, red when not."""
    met = bool(total) and arithmetic.quorum_met(total, present, rules)
    frame.quorum_banner(present, total, arithmetic.quorum_required(total, rules), met)


# -- officials -----------------------------------------------------------------------------


def officials_section(disabled: bool) -> None:
    """The officials in ballot order (see ``officials_editor``), then their problems."""
    officials_editor.show(rule_set_form.chosen(), disabled)
    show_problems("officials")


# -- board and ballots ---------------------------------------------------------------------


def board_section(disabled: bool) -> None:
    """The counting board: name and role."""
    s = st.session_state
    base = pd.DataFrame(s[K + "board"], columns=[NAME, "Vai trò"])
    frame = st.data_editor(
        base,
        key=f"{K}board_editor.{s[K + 'board_version']}",
        num_rows="dynamic",
        hide_index=True,
        disabled=disabled,
        width="stretch",
        placeholder="",
        column_config={
            NAME: st.column_config.TextColumn(NAME, width=300),  # 460 px: fits at 1366
            "Vai trò": st.column_config.SelectboxColumn(
                "Vai trò",
                options=[words.ROLE[r] for r in BOARD_ROLES],
                default=words.ROLE["member"],
                width=160,
            ),
        },
    )
    s[K + "board_now"] = frame.to_dict("records")
    show_problems("board")


def current_board() -> list[BoardMember]:
    rows = st.session_state.get(K + "board_now", st.session_state.get(K + "board", []))
    board = []
    for row in rows:
        name = officials_editor.text(row.get(NAME))
        if name:
            role = officials_editor.text(row.get("Vai trò"))
            board.append(BoardMember(name, _ROLE_OF.get(role, role) or "member"))
    return board


def ballots_section(disabled: bool) -> None:
    """Ballots issued and collected, as the board announces them before counting."""
    cols = st.columns(2)
    cols[0].number_input(
        "Số phiếu phát ra", min_value=0, step=1, key=K + "issued", disabled=disabled
    )
    cols[1].number_input(
        "Số phiếu thu về", min_value=0, step=1, key=K + "collected", disabled=disabled
    )
    show_problems("ballots")


# -- the whole form ------------------------------------------------------------------------


def current_poll(stored: Poll | None = None) -> tuple[Poll, list[Problem]]:
    """The poll the form describes (counts of ``stored`` kept) and the form's own problems."""
    s = st.session_state
    officials, problems = officials_editor.current_officials()
    time = s.get(K + "time")
    typed = s.get(K + "date") or ""
    date = typed_date(typed)
    if date is None and typed.strip():
        problems.append(P.TYPED_DATE(value=officials_io.clean(typed)))
    poll = Poll(
        kind=Kind(s[K + "kind"]),
        rules=s[K + "rules"],
        rule_set=rule_set_form.custom_of(s[K + "rules"]),
        members=Attendance(
            int(s[K + "total"] or 0),
            int(s[K + "present"] or 0),
            s.get(K + "absent_reason"),
            s.get(K + "absent_no_reason"),
        ),
        issued=int(s[K + "issued"] or 0),
        collected=int(s[K + "collected"] or 0),
        officials=tuple(officials),
        base=s.get(K + "base"),
        rounding=s[K + "rounding"],
        title=officials_io.clean(s[K + "title"]),
        body=officials_io.clean(s[K + "body"]),
        date=date.isoformat() if date else None,
        time=time.isoformat(timespec="minutes") if time else "",
        place=officials_io.clean(s[K + "place"]),
        board=tuple(current_board()),
        remarks=s.get(K + "remarks", ""),
        passes_required=int(s.get(K + "passes") or 1),
    )
    if stored is not None:
        poll = replace(poll, remarks=stored.remarks)
    return poll, problems


# -- storing -------------------------------------------------------------------------------


def save(store: storage.Store, poll_id: int | None, stored: Poll | None, poll_state: str) -> int:
    """Store the form (only the ballot numbers while counting) and return the poll's id.

    On a refusal the problems are kept for the sections and the page reruns.
    """
    if poll_state == "counting" and stored is not None:  # the setting is frozen: drawn as text
        s = st.session_state
        issued, collected = int(s[K + "issued"] or 0), int(s[K + "collected"] or 0)
        poll, problems = replace(stored, issued=issued, collected=collected), list[Problem]()
    else:
        poll, problems = current_poll(stored)
    try:
        if problems:
            raise storage.SetupInvalid(problems)
        if folder_problem := anchor_view.problem(store):  # before anything is stored
            raise storage.StoreError(folder_problem)
        if poll_id is None:
            new_id = store.create_poll(poll, actor=state.station(), pin=access.new_pin(K))
            access.remember(new_id)
            state.set_current_poll(new_id)
            st.session_state[K + "new"] = False
            anchor_view.save(store, new_id, state.station())
            return new_id
        store.update_poll(poll_id, poll, actor=state.station())
        anchor_view.save(store, poll_id, state.station())
        return poll_id
    except storage.SetupInvalid as error:
        set_problems(error.problems)
        st.session_state[K + "refusal"] = "Chưa lưu được — sửa các mục ghi đỏ ở trên."
    except storage.StoreError as error:
        st.session_state[K + "refusal"] = str(error)
    st.rerun()


def reload(message: str) -> None:
    """Show ``message`` and reload the form from the store on the next run."""
    st.session_state[K + "flash"], st.session_state[K + "loaded"] = message, None
    st.rerun()
