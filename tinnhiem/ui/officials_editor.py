"""The officials table of the setup page: typed, reordered, pasted or imported from a file.

The rows live in ``st.session_state["setup.officials"]``; every deliberate change (a sort
by STT, a move, an import) stores new rows and bumps a version that is part of the
editor's key, so Streamlit builds a fresh editor instead of replaying stale cell edits.
Typing a new STT moves the row there; the ↑/↓ buttons move the chosen official.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from tinnhiem import limits, officials_io
from tinnhiem import problems as P
from tinnhiem.model import Official
from tinnhiem.problems import Problem
from tinnhiem.rules import RULE_SETS, RuleSet
from tinnhiem.ui import markup

K = "setup."
OTHER_REASON = "Lý do khác"
NAME, POSITION, STT, EXEMPT, OTHER = "Họ và tên", "Chức vụ", "STT", "Miễn lấy phiếu", "Lý do khác"
COLUMNS = [STT, NAME, POSITION, EXEMPT, OTHER]


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
                EXEMPT: (reason or None) if standard else OTHER_REASON,
                OTHER: "" if standard else reason,
            }
        )
    st.session_state[K + "officials"] = rows
    st.session_state[K + "officials_version"] = st.session_state.get(K + "officials_version", 0) + 1


def text(value: Any) -> str:
    """A cell of an edited table as clean text ('' for empty and missing cells).

    ``value`` is whatever pandas holds in the cell: a text, None, NaN, NA or NaT.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return officials_io.clean(value)


def _ordered(frame: pd.DataFrame, edited: set[int]) -> list[dict]:
    """Rows sorted by STT; a row whose STT was just typed goes before its tie."""
    rows = frame.to_dict("records")

    def key(item: tuple[int, dict]) -> tuple[float, int, int]:
        index, row = item
        number = row.get(STT)
        place = float(number) if number is not None and not pd.isna(number) else math.inf
        return (place, 0 if index in edited else 1, index)

    ordered = [row for _, row in sorted(enumerate(rows), key=key)]
    for number, row in enumerate(ordered, start=1):
        row[STT] = number
    return ordered


def _with_edits(rows: list[dict], edits: dict) -> tuple[list[dict], set[int]]:
    """The rows as the grid shows them with its pending ``edits`` (Streamlit's editing
    state: edited_rows, added_rows, deleted_rows), and the rows whose STT was typed."""
    edited_rows = {int(i): change for i, change in (edits.get("edited_rows") or {}).items()}
    deleted = {int(i) for i in edits.get("deleted_rows") or ()}
    shown: list[dict] = []
    typed: set[int] = set()
    for index, row in enumerate([*rows, *(edits.get("added_rows") or ())]):
        change = edited_rows.get(index, {})
        if index in deleted:
            continue
        if STT in change:
            typed.add(len(shown))
        shown.append({column: change.get(column, row.get(column)) for column in COLUMNS})
    return shown, typed


def _apply_typed_stt() -> None:
    """Move a row whose new STT was typed, before the grid is drawn.

    Done in the same run that brings the typed number (as an ``on_change`` would), not by
    drawing the grid and then ``st.rerun()``: a rerun stopped the page before the board's
    grid further down, and a change typed meanwhile (an STT, a role) could be lost.
    """
    s = st.session_state
    edits = s.get(f"{K}officials_editor.{s[K + 'officials_version']}")
    if not isinstance(edits, dict):
        return
    rows, typed = _with_edits(s[K + "officials"], edits)
    numbers = [n for n in (row[STT] for row in rows) if n is not None and not pd.isna(n)]
    if typed and numbers != sorted(set(numbers)):
        s[K + "officials"] = _ordered(pd.DataFrame(rows, columns=COLUMNS), typed)
        s[K + "officials_version"] += 1


def show(rules: RuleSet, disabled: bool) -> None:
    """The officials in ballot order: table, move buttons, paste box and file upload."""
    s = st.session_state
    _apply_typed_stt()
    editor_key = f"{K}officials_editor.{s[K + 'officials_version']}"
    base = pd.DataFrame(s[K + "officials"], columns=COLUMNS)
    base[STT] = base[STT].astype("Int64")
    # Reasons of another rule set (the rule set was switched) stay choosable.
    present = [r for r in dict.fromkeys(base[EXEMPT].dropna()) if r and r != OTHER_REASON]
    options = [*dict.fromkeys([*rules.exemptions, *present]), OTHER_REASON]
    # The columns add up to 840 px: the grid fits a 1366-pixel screen beside the sidebar
    # without scrolling sideways (long positions wrap in the cell's tooltip).
    frame = st.data_editor(
        base,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        disabled=disabled,
        width="stretch",
        height=min(40 + 35 * (len(base) + 1), 42 * 35),
        placeholder="",
        column_config={
            STT: st.column_config.NumberColumn(
                STT, width=50, min_value=1, step=1, help="Gõ số thứ tự mới để chuyển dòng."
            ),
            NAME: st.column_config.TextColumn(
                NAME, width=210, required=True, max_chars=limits.MAX_NAME
            ),
            POSITION: st.column_config.TextColumn(
                POSITION, width=250, max_chars=limits.MAX_POSITION
            ),
            EXEMPT: st.column_config.SelectboxColumn(
                "Miễn lấy phiếu (lý do)",
                options=options,
                width=200,
                help="Để trống (chọn ô, bấm Delete) nếu người này có tên trên phiếu.",
            ),
            OTHER: st.column_config.TextColumn(
                "Lý do khác", width=130, help="Ghi khi chọn “Lý do khác”."
            ),
        },
    )
    s[K + "officials_now"] = frame.to_dict("records")
    if not disabled:
        for warning in officials_io.duplicate_warnings(current_officials()[0]):
            st.warning(markup.md_escape(warning), icon=":material/warning:")
        _move_buttons(frame)
        _import_box()


def _move(step: int) -> None:
    """Swap the chosen official with the one above (-1) or below (+1)."""
    s = st.session_state
    rows = _ordered(pd.DataFrame(s[K + "officials_now"], columns=COLUMNS), set())
    index = s.get(K + "move", 0)
    index = index if isinstance(index, int) else 0
    target = index + step
    if 0 <= index < len(rows) and 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
        for number, row in enumerate(rows, start=1):
            row[STT] = number
        s[K + "officials"] = rows
        s[K + "officials_version"] += 1
        s[K + "move"] = target
        s[K + "move_names"] = [text(row[NAME]) for row in rows]


def _still_chosen(chosen: object, before: list[str], now: list[str]) -> int:
    """The row the move box points at now: the official it pointed at before a reorder.

    ``chosen`` is the box's value: a row index into ``before`` (the names in the order it
    was drawn with), or after a reorder Streamlit's old label of it (a text such as
    "2. Trần Thị Bình"); anything unreadable or gone points at the first row.
    """
    if isinstance(chosen, str):
        number, _, name = chosen.partition(". ")
        index = int(number) - 1 if number.isdigit() else -1
        if 0 <= index < len(before) and before[index] == name:
            chosen = index
        elif name in now:
            return now.index(name)
    if not isinstance(chosen, int) or isinstance(chosen, bool) or not 0 <= chosen < len(before):
        return 0
    if before == now:
        return chosen if chosen < len(now) else 0
    # The nth of that name before (two officials may share one) is the nth of it now.
    name, nth = before[chosen], before[:chosen].count(before[chosen])
    places = [i for i, n in enumerate(now) if n == name]
    return places[nth] if nth < len(places) else min(chosen, len(now) - 1)


def _move_buttons(frame: pd.DataFrame) -> None:
    rows = _ordered(frame, set())
    if len(rows) < 2:
        return
    s = st.session_state
    names = [text(row[NAME]) for row in rows]
    s[K + "move"] = _still_chosen(s.get(K + "move", 0), s.get(K + "move_names", names), names)
    s[K + "move_names"] = names
    pick, up, down = st.columns([6, 1, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Chuyển vị trí trên phiếu",
        range(len(rows)),
        key=K + "move",
        format_func=lambda i: f"{i + 1}. {text(rows[i][NAME]) or '(chưa có tên)'}",
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
            "từ Excel. Tệp Excel, LibreOffice, CSV hoặc bảng HTML cần dòng tiêu đề “STT”, “Họ "
            "và tên”, “Chức vụ” (cột “Miễn” nếu có)."
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
        # Any file is taken, so that a wrong one (.xls, .pdf …) gets the app's Vietnamese
        # reason rather than the browser widget's English refusal.
        upload = st.file_uploader(
            "Tệp danh sách (Excel .xlsx, LibreOffice .ods, CSV hoặc bảng HTML; tối đa 2 MB)",
            type=None,
            key=K + "upload",
        )
        reading: officials_io.OfficialsList | None = None
        try:
            if upload is not None:
                reading = officials_io.read_officials(upload.getvalue(), upload.name)
            elif pasted.strip():
                reading = officials_io.parse_pasted(pasted)
        except officials_io.OfficialsFileError as error:
            st.error(markup.md_escape(error.message), icon=":material/error:")
        if reading is None:
            return
        st.text(f"Đọc được {len(reading.officials)} người ({reading.source}).")
        for warning in reading.warnings:
            st.warning(markup.md_escape(warning), icon=":material/warning:")
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
        name, position = text(row[NAME]), text(row[POSITION])
        choice, other = text(row[EXEMPT]), text(row[OTHER])
        reason = other if choice == OTHER_REASON or (not choice and other) else choice
        if not name and not (position or reason):
            continue
        if not name:
            problems.append(P.ROW_WITHOUT_NAME(number=number))
        if choice == OTHER_REASON and not other:
            problems.append(P.OTHER_REASON_EMPTY(number=number))
        officials.append(Official(name, position, reason or None))
    return officials, problems
