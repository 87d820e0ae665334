"""The setup of a poll whose count is open, closed or locked, drawn as text.

Once the count is open the setting no longer changes: only the ballots issued and collected
(and the backup folder) while counting, nothing after. The form's forty disabled widgets
(the officials' grid, radios, number fields) cost every rerun of the page ~25 ms at 100
officials (issue 15, point 7) and read badly: greyed fields look editable. A setting that is
only read is drawn as a few read-only tables (``tables.html_table``: one element each, every
cell escaped, so names are text and never markup), the long list of officials in a box of
its own height so the fields still open stay near the top.
"""

from __future__ import annotations

import streamlit as st

from tinnhiem import rule_words, words, words_stacks
from tinnhiem.model import Poll
from tinnhiem.rules import of_poll
from tinnhiem.ui import frame, setup_form, tables

# The officials' box scrolls beyond this many rows (about 14 rows in 26rem).
OFFICIALS_SHOWN = 12
_SCROLL = '<div style="max-height:26rem;overflow-y:auto" data-testid="setup-officials-box">'


def setting_rows(poll: Poll) -> list[tuple[str, str]]:
    """The setting as (what, value) lines, the words of the form's labels."""
    rules = of_poll(poll)
    base = poll.base or rules.default_base(poll.kind)
    when = " ".join(x for x in (words.time(poll.time), words.date(poll.date)) if x)
    rows = [
        ("Kỳ họp / hội nghị", poll.title),
        ("Cơ quan, đơn vị", poll.body),
        ("Địa điểm", poll.place),
        ("Thời gian", when),
        ("Hình thức", words.KIND[poll.kind]),
        ("Bộ quy tắc", rule_words.rule_set_name(rules)),
        ("Cách nhập phiếu", words_stacks.PASSES_REQUIRED.get(poll.passes_required, "")),
        ("Tỷ lệ phần trăm tính trên", words.sentence(words.BASE[base])),
        ("Làm tròn", words.ROUNDING.get(poll.rounding, poll.rounding)),
    ]
    return [(what, value or "—") for what, value in rows]


def official_rows(poll: Poll) -> list[tuple[int | str, str, str, str]]:
    """One row per official in ballot order: number on the ballot (blank when exempt)."""
    rows: list[tuple[int | str, str, str, str]] = []
    number = 0
    for official in poll.officials:
        if official.on_ballot:
            number += 1
        rows.append(
            (
                number if official.on_ballot else "",
                official.name,
                official.position,
                official.exempt_reason or "",
            )
        )
    return rows


def _section(number: int, body: str) -> None:
    """A section's heading and its table as one element (the page's other headings are
    ``st.subheader``: the same <h3>, Streamlit's own heading styles)."""
    st.html(tables.Html(tables.heading(setup_form.TITLES[number]) + body))


def setting(poll: Poll) -> None:
    """Section 1: the meeting and the rule set."""
    _section(
        0,
        tables.html_table(
            ("Mục", "Thiết lập"), setting_rows(poll), label="Kỳ họp và bộ quy tắc",
            testid="setup-setting", column_tones=("muted",),
        )
    )  # fmt: skip


def members(poll: Poll) -> None:
    """Section 2: the members summoned, present and absent, and the quorum."""
    m = poll.members
    value = {
        "total": m.total,
        "present": m.present,
        "absent_reason": m.absent_with_reason,
        "absent_no_reason": m.absent_without_reason,
    }
    labels = [label for label, _, _ in setup_form.MEMBER_FIELDS]
    counts = [
        words.number(n) if (n := value[key]) is not None else str(placeholder)
        for _, key, placeholder in setup_form.MEMBER_FIELDS
    ]  # a blank absentee count shows the field's own "không ghi"
    _section(
        1,
        tables.html_table(
            [*labels, "Vắng mặt"], [[*counts, words.number(m.absent)]],
            label="Thành phần tham dự", testid="setup-members",
        )
    )  # fmt: skip
    frame.poll_quorum(poll)


def officials(poll: Poll) -> None:
    """Section 3: every official in ballot order, the exempt ones with their reason."""
    on_ballot = len(poll.ballot_officials)
    exempt = len(poll.officials) - on_ballot
    caption = f"{on_ballot} người có tên trên phiếu" + (
        f", {exempt} người miễn lấy phiếu" if exempt else ""
    )
    table = tables.html_table(
        ("STT", "Họ và tên", "Chức vụ", "Miễn lấy phiếu (lý do)"),
        official_rows(poll),
        label="Người được lấy phiếu",
        testid="setup-officials",
        caption=caption,
        column_tones=("number",),
    )
    boxed = len(poll.officials) > OFFICIALS_SHOWN
    _section(2, f"{_SCROLL}{table}</div>" if boxed else table)


def board(poll: Poll) -> None:
    """Section 4: the counting board."""
    rows = [(b.name, words.ROLE.get(b.role, b.role)) for b in poll.board]
    table = tables.html_table(
        ("Họ và tên", "Vai trò"), rows, label="Ban kiểm phiếu", testid="setup-board"
    )
    _section(3, table if rows else tables.paragraph("Chưa ghi thành viên ban kiểm phiếu."))


def ballots(poll: Poll) -> None:
    """Section 5 once the count is closed: the ballots issued and collected."""
    st.html(
        tables.html_table(
            ("Số phiếu phát ra", "Số phiếu thu về"),
            [(words.number(poll.issued), words.number(poll.collected))],
            label="Phiếu phát ra và thu về", testid="setup-ballots",
        )
    )  # fmt: skip


def show(poll: Poll, poll_state: str) -> None:
    """Sections 1 to 5 of the setup page for a poll past setup; while counting the ballots
    issued and collected stay fields (``setup_form.ballots_section``)."""
    setting(poll)
    members(poll)
    officials(poll)
    board(poll)
    st.subheader(setup_form.TITLES[4])
    if poll_state == "counting":
        setup_form.ballots_section(False)
    else:
        ballots(poll)
