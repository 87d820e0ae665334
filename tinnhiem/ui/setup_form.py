"""The widgets of the setup page: the poll's setting, attendance, officials, board, ballots.

The form lives in ``st.session_state`` under keys starting with ``setup.``; ``load`` fills
them from a stored poll (or a blank one), ``current_poll`` reads them back into a ``Poll``.
Problems the store reports (``SetupInvalid``) are kept with ``set_problems`` and shown by
each section next to its own fields. Names go into tables and ``st.text``, never Markdown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import streamlit as st

from tinnhiem import arithmetic, officials_io
from tinnhiem.model import BASES, BOARD_ROLES, Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.rules import RULE_SETS, rule_set
from tinnhiem.ui import labels
from tinnhiem.ui.results_view import BASE_NOUN, ROLE_WORDS
from tinnhiem.validation import Problem

K = "setup."
OTHER_REASON = "Lý do khác"
NAME, POSITION, STT, EXEMPT, OTHER = "Họ và tên", "Chức vụ", "STT", "Miễn lấy phiếu", "Lý do khác"
COLUMNS = [STT, NAME, POSITION, EXEMPT, OTHER]
ROUNDING_WORDS = {
    "half_up": "Làm tròn hai chữ số thập phân (53,185 → 53,19)",
    "truncate": "Cắt bỏ phần lẻ sau hai chữ số (53,189 → 53,18)",
}
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
    s[K + "date"] = dt.date.fromisoformat(poll.date) if poll.date else None
    s[K + "time"] = dt.time.fromisoformat(poll.time) if _is_time(poll.time) else None
    s[K + "kind"], s[K + "rules"] = str(poll.kind), poll.rules
    s[K + "base"], s[K + "rounding"] = poll.base, poll.rounding
    s[K + "total"], s[K + "present"] = poll.members.total, poll.members.present
    s[K + "absent_reason"] = poll.members.absent_with_reason
    s[K + "absent_no_reason"] = poll.members.absent_without_reason
    s[K + "issued"], s[K + "collected"] = poll.issued, poll.collected
    s[K + "remarks"] = poll.remarks
    set_officials(list(poll.officials))
    s[K + "board"] = [{NAME: b.name, "Vai trò": b.role} for b in poll.board]
    s[K + "board_version"] = s.get(K + "board_version", 0) + 1
    s[K + "problems"] = []
    s[K + "loaded"] = marker


def loaded() -> object:
    """The marker of what the form holds (None when nothing is loaded yet)."""
    return st.session_state.get(K + "loaded")


def _is_time(text: str) -> bool:
    try:
        dt.time.fromisoformat(text)
    except ValueError:
        return False
    return True


def set_problems(problems: list[Problem]) -> None:
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
            st.error(labels.md_escape(problem.message), icon=":material/error:")


# -- the setting ---------------------------------------------------------------------------


def setting_section(disabled: bool) -> None:
    """Title, body, date, time, place, kind, rule set, and base and rounding (advanced)."""
    left, right = st.columns(2)
    left.text_input("Kỳ họp / hội nghị", key=K + "title", disabled=disabled)
    left.text_input("Cơ quan, đơn vị", key=K + "body", disabled=disabled)
    left.text_input("Địa điểm", key=K + "place", disabled=disabled)
    when = left.columns(2)
    when[0].date_input("Ngày", key=K + "date", format="DD/MM/YYYY", disabled=disabled)
    when[1].time_input("Giờ", key=K + "time", step=300, disabled=disabled)
    right.radio(
        "Hình thức",
        [str(k) for k in Kind],
        format_func=lambda k: labels.KIND_WORDS[Kind(k)],
        key=K + "kind",
        horizontal=True,
        disabled=disabled,
    )
    right.radio(
        "Bộ quy tắc",
        list(RULE_SETS),
        format_func=lambda r: f"{RULE_SETS[r].name} — {RULE_SETS[r].who}",
        captions=[f"{r.base_note} {r.bands_note}" for r in RULE_SETS.values()],
        key=K + "rules",
        disabled=disabled,
    )
    rules = rule_set(st.session_state[K + "rules"])
    default = rules.default_base(Kind(st.session_state[K + "kind"]))
    with right.expander("Nâng cao: cơ số tính tỷ lệ, cách làm tròn"):
        st.selectbox(
            "Tỷ lệ phần trăm tính trên",
            [None, *BASES],
            format_func=lambda b: (
                f"Theo bộ quy tắc: {BASE_NOUN[default]}" if b is None else BASE_NOUN[b].capitalize()
            ),
            key=K + "base",
            disabled=disabled,
        )
        st.radio(
            "Làm tròn",
            list(ROUNDING_WORDS),
            format_func=ROUNDING_WORDS.get,
            key=K + "rounding",
            disabled=disabled,
        )
    show_problems("setting")


# -- attendance ----------------------------------------------------------------------------


def members_section(disabled: bool) -> None:
    """Members summoned, present and absent, with the live quorum indicator."""
    cols = st.columns(4)
    cols[0].number_input(
        "Tổng số được triệu tập", min_value=0, step=1, key=K + "total", disabled=disabled
    )
    cols[1].number_input("Có mặt", min_value=0, step=1, key=K + "present", disabled=disabled)
    cols[2].number_input(
        "Vắng có lý do",
        min_value=0,
        step=1,
        key=K + "absent_reason",
        disabled=disabled,
        placeholder="không ghi",
    )
    cols[3].number_input(
        "Vắng không lý do",
        min_value=0,
        step=1,
        key=K + "absent_no_reason",
        disabled=disabled,
        placeholder="không ghi",
    )
    quorum_indicator(st.session_state[K + "total"] or 0, st.session_state[K + "present"] or 0)
    show_problems("members")


def quorum_indicator(total: int, present: int) -> None:
    """ "Có mặt 47/50 — cần tối thiểu 34: đủ túc số", green when met, red when not."""
    required = arithmetic.quorum_required(total)
    line = f"Có mặt {present}/{total} — cần tối thiểu {required}"
    if total and arithmetic.quorum_met(total, present):
        st.success(f"{line}: đủ túc số", icon=":material/groups:")
    else:
        st.error(f"{line}: chưa đủ túc số", icon=":material/group_off:")


# -- officials -----------------------------------------------------------------------------


def set_officials(officials: list[Official]) -> None:
    """Replace the officials table (a new editor: pending cell edits are dropped)."""
    exemptions = {e for r in RULE_SETS.values() for e in r.exemptions}
    rows = []
    for number, o in enumerate(officials, start=1):
        reason = o.exempt_reason or ""
        standard = reason in exemptions or not reason
        rows.append(
            {
                STT: number,
                NAME: o.name,
                POSITION: o.position,
                EXEMPT: reason if standard else OTHER_REASON,
                OTHER: "" if standard else reason,
            }
        )
    st.session_state[K + "officials"] = rows
    st.session_state[K + "officials_version"] = st.session_state.get(K + "officials_version", 0) + 1


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return officials_io.clean(value)


def _ordered(frame: pd.DataFrame, edited: set[int]) -> list[dict]:
    """Rows sorted by STT; a row whose STT was just typed goes before its tie."""
    rows = frame.to_dict("records")

    def key(item: tuple[int, dict]) -> tuple[float, int, int]:
        index, row = item
        number = row.get(STT)
        known = number is not None and not pd.isna(number)
        return (float(number) if known else math.inf, 0 if index in edited else 1, index)

    ordered = [row for _, row in sorted(enumerate(rows), key=key)]
    for number, row in enumerate(ordered, start=1):
        row[STT] = number
    return ordered


def officials_section(disabled: bool) -> None:
    """The officials in ballot order: table, move buttons, paste box and file upload."""
    s = st.session_state
    rules = rule_set(s[K + "rules"])
    editor_key = f"{K}officials_editor.{s[K + 'officials_version']}"
    base = pd.DataFrame(s[K + "officials"], columns=COLUMNS)
    base[STT] = base[STT].astype("Int64")
    # Reasons of another rule set (the rule set was switched) stay choosable.
    present = [r for r in dict.fromkeys(base[EXEMPT].dropna()) if r and r != OTHER_REASON]
    options = ["", *dict.fromkeys([*rules.exemptions, *present]), OTHER_REASON]
    frame = st.data_editor(
        base,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        disabled=disabled,
        width="stretch",
        column_config={
            STT: st.column_config.NumberColumn(
                STT, width=60, min_value=1, step=1, help="Gõ số thứ tự mới để chuyển dòng."
            ),
            NAME: st.column_config.TextColumn(NAME, width="medium", required=True),
            POSITION: st.column_config.TextColumn(POSITION, width="large"),
            EXEMPT: st.column_config.SelectboxColumn(
                "Miễn lấy phiếu (lý do)",
                options=options,
                width="medium",
                help="Để trống nếu người này có tên trên phiếu.",
            ),
            OTHER: st.column_config.TextColumn(
                "Lý do khác", width="medium", help="Ghi khi chọn “Lý do khác”."
            ),
        },
    )
    edits = s.get(editor_key, {}).get("edited_rows", {})
    edited = {int(i) for i, change in edits.items() if STT in change}
    numbers = [n for n in frame[STT].tolist() if not pd.isna(n)]
    if edited and numbers != sorted(set(numbers)):
        s[K + "officials"] = _ordered(frame, edited)
        s[K + "officials_version"] += 1
        st.rerun()
    s[K + "officials_now"] = frame.to_dict("records")
    if not disabled:
        _move_buttons(frame)
        _import_box()
    show_problems("officials")


def _move(step: int) -> None:
    """Swap the chosen official with the one above (-1) or below (+1)."""
    s = st.session_state
    rows = _ordered(pd.DataFrame(s[K + "officials_now"], columns=COLUMNS), set())
    index = s.get(K + "move", 0)
    target = index + step
    if 0 <= index < len(rows) and 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
        for number, row in enumerate(rows, start=1):
            row[STT] = number
        s[K + "officials"] = rows
        s[K + "officials_version"] += 1
        s[K + "move"] = target


def _move_buttons(frame: pd.DataFrame) -> None:
    rows = _ordered(frame, set())
    if len(rows) < 2:
        return
    if st.session_state.get(K + "move", 0) >= len(rows):
        st.session_state[K + "move"] = 0
    pick, up, down = st.columns([6, 1, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Chuyển vị trí trên phiếu",
        range(len(rows)),
        key=K + "move",
        format_func=lambda i: f"{i + 1}. {_text(rows[i][NAME]) or '(chưa có tên)'}",
    )
    up.button("↑ Lên", key=K + "up", on_click=_move, args=(-1,), width="stretch")
    down.button("↓ Xuống", key=K + "down", on_click=_move, args=(1,), width="stretch")


def _apply_import(officials: tuple[Official, ...], append: bool) -> None:
    current = current_officials()[0] if append else []
    set_officials([*current, *officials])
    st.session_state[K + "paste"] = ""


def _import_box() -> None:
    with st.expander("Dán danh sách hoặc nhập từ tệp Excel/CSV"):
        st.caption(
            "Mỗi người một dòng: “Họ tên; Chức vụ”, “Họ tên - Chức vụ” hoặc dán thẳng các ô "
            "từ Excel. Tệp CSV/XLSX cần dòng tiêu đề “STT”, “Họ và tên”, “Chức vụ” (cột "
            "“Miễn” nếu có)."
        )
        append = (
            st.radio(
                "Cách đưa vào",
                ["Thay cả danh sách", "Thêm vào cuối"],
                horizontal=True,
                key=K + "import_how",
            )
            == "Thêm vào cuối"
        )
        pasted = st.text_area("Văn bản dán", key=K + "paste", height=120)
        upload = st.file_uploader(
            "Tệp danh sách", type=["csv", "txt", "tsv", "xlsx"], key=K + "upload"
        )
        reading: officials_io.OfficialsList | None = None
        try:
            if upload is not None:
                reading = officials_io.read_officials(upload.getvalue(), upload.name)
            elif pasted.strip():
                reading = officials_io.parse_pasted(pasted)
        except officials_io.OfficialsFileError as error:
            st.error(labels.md_escape(error.message), icon=":material/error:")
        if reading is None:
            return
        st.text(f"Đọc được {len(reading.officials)} người ({reading.source}).")
        for warning in reading.warnings:
            st.warning(labels.md_escape(warning), icon=":material/warning:")
        st.button(
            "Đưa vào danh sách",
            key=K + "import",
            type="primary",
            on_click=_apply_import,
            args=(reading.officials, append),
        )


def current_officials() -> tuple[list[Official], list[Problem]]:
    """The officials now in the table, in STT order, and rows that lack a name."""
    rows = st.session_state.get(K + "officials_now", st.session_state.get(K + "officials", []))
    officials, problems = [], []
    for number, row in enumerate(_ordered(pd.DataFrame(rows, columns=COLUMNS), set()), start=1):
        name, position = _text(row[NAME]), _text(row[POSITION])
        choice, other = _text(row[EXEMPT]), _text(row[OTHER])
        reason = other if choice == OTHER_REASON or (not choice and other) else choice
        if not name and not (position or reason):
            continue
        if not name:
            problems.append(
                Problem(
                    "U01",
                    "officials",
                    f"dòng {number}: thiếu họ và tên; điền tên hoặc xóa dòng đó.",
                )
            )
        if choice == OTHER_REASON and not other:
            problems.append(
                Problem(
                    "U02",
                    "officials",
                    f"dòng {number}: chọn “Lý do khác” thì ghi lý do ở cột bên cạnh.",
                )
            )
        officials.append(Official(name, position, reason or None))
    return officials, problems


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
        column_config={
            NAME: st.column_config.TextColumn(NAME, width="large"),
            "Vai trò": st.column_config.SelectboxColumn(
                "Vai trò",
                options=list(BOARD_ROLES),
                format_func=ROLE_WORDS.get,
                default="member",
                width="medium",
            ),
        },
    )
    s[K + "board_now"] = frame.to_dict("records")
    show_problems("board")


def current_board() -> list[BoardMember]:
    rows = st.session_state.get(K + "board_now", st.session_state.get(K + "board", []))
    board = []
    for row in rows:
        name = _text(row.get(NAME))
        if name:
            board.append(BoardMember(name, _text(row.get("Vai trò")) or "member"))
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
    officials, problems = current_officials()
    time = s.get(K + "time")
    date = s.get(K + "date")
    poll = Poll(
        kind=Kind(s[K + "kind"]),
        rules=s[K + "rules"],
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
        time=time.strftime("%H:%M") if time else "",
        place=officials_io.clean(s[K + "place"]),
        board=tuple(current_board()),
        remarks=s.get(K + "remarks", ""),
    )
    if stored is not None:
        poll = replace(poll, remarks=stored.remarks)
    return poll, problems
