"""The widgets of the results page: the result table and the life-cycle actions (the
downloads: ``downloads_view``).

Every number comes from ``tinnhiem.tally`` (percentages through ``Tally.percent_vi``,
bands and the ``final`` flag); this module only lays them out. Names go into escaped
HTML tables or ``st.text``; Markdown gets only fixed words, numbers and ``markup.md_escape``d text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from tinnhiem import limits, rule_words, storage, words
from tinnhiem.model import LEVELS, Poll, State
from tinnhiem.tally import Tally
from tinnhiem.ui import anchor_view, frame, markup, needs, provenance, tables

K = "results."
LOCK_WORD = "KHÓA"
REFRESH_SECONDS = 2.0  # the results page follows the count; the projector is the fast one
_HEX = re.compile(r"^[0-9a-f]{16,128}$")
# What words.moment writes from a time it could read: digits and fixed words only, so safe
# in Markdown; any other text (a database edited by hand) goes to st.text as it is.
_MOMENT = re.compile(r"\d{2}:\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}")


def base_phrase(result: Tally) -> str:
    """The base named in words with its number: "so với tổng số phiếu thu về (47)"."""
    return f"{words.base_compared(result.base_name)} ({words.number(result.base)})"


NEEDS = "Còn có thể đổi mức"
TABLE_NOTE = (  # under the result table, in the small grey of st.caption
    "“Chắc chắn”: các phiếu chưa nhập không thể làm thay đổi mức kết quả của người đó. "
    "“Không hợp lệ”: phiếu đã kiểm nhưng dòng của người đó để trống hoặc đánh nhiều ô (kể cả "
    "phiếu không hợp lệ cả tờ)."
)
TABLE_ID = "results-table"
FIGURES_ID = "results-figures"


def _tone(number: int, count: int) -> str:
    """A band's tone by its place: none clear, the highest band darkest."""
    if number == 0:
        return ""
    return "band-top" if number == count - 1 else "band"


def _levels(result: Tally) -> tuple[str, ...]:
    return LEVELS[result.kind]


def table_columns(result: Tally) -> list[str]:
    """The columns as the chair reads them: the name, its counts and its band first, so
    they fit the 906 px a 1366-pixel screen leaves beside the sidebar (the number and the
    name stay in view when the rest scrolls); the position, long, comes last."""
    counts = [c for level in _levels(result) for c in (words.LEVEL[level], "%")]
    return [
        *("STT", "Họ và tên", *counts, "Kết quả", "Chắc chắn", NEEDS),
        *("Hợp lệ", "Không hợp lệ", "Chức vụ"),
    ]


COLUMN_TONES = ("number pin0", "pin1")  # then each level's count and %, then the rest


def table_body(result: Tally) -> str:
    """One ``<tr>`` per official on the ballot, in ``table_columns``' order: counts,
    percentages, the band (its cell toned by its place), final, what could still move it,
    valid and invalid rows, the position. Every text is escaped by ``tables.cell``; the
    row is one string, not a row of cells looked up whole: after a ballot every official's
    counts are new, so each row is built again (100 rows at every rerun)."""
    bands = result.rules.band_names(result.kind)
    band_cells = {  # each band's cell, toned by its place, once per table
        band: tables.cell(
            tables.opening(_tone(place, len(bands))),
            rule_words.band_label(result.kind, band, result.rules),
        )
        for place, band in enumerate(bands)
    }
    levels = _levels(result)
    cell, number, percent = tables.cell, words.number, words.percent_of
    first, name, plain, figure = (tables.opening(t) for t in (*COLUMN_TONES, "", "number"))
    rows = []
    for place, row in enumerate(result.officials, start=1):
        counts = "".join(
            cell(figure, number(row.counts[level])) + cell(figure, percent(row.percent[level]))
            for level in levels
        )
        rows.append(
            f"<tr>{cell(first, str(place))}{cell(name, row.official.name)}{counts}"
            f"{band_cells[row.band]}{cell(plain, '✓' if row.final else 'chưa')}"
            f"{cell(plain, needs.needs(result, row))}{cell(figure, number(row.valid))}"
            f"{cell(figure, number(row.invalid))}{cell(plain, row.official.position)}</tr>"
        )
    return "".join(rows)


def show_heading(poll: Poll, heading: str, poll_state: str) -> None:
    """Under the title, one element: the body and the poll's title (typed by people), then
    the result's heading (a file's name for an imported one), the kind, state and date."""
    named = " — ".join(x for x in (poll.body, poll.title) if x)
    facts = [words.KIND[poll.kind], words.state(poll_state)]
    facts += [words.date(poll.date)] if poll.date else []
    line = tables.paragraph(tables.bold(heading), "".join(f" · {x}" for x in facts))
    st.html(tables.Html((tables.paragraph(named) if named else "") + line))


def show_table(result: Tally) -> None:
    """The result table and, under it, what each band means under the rule set.

    One escaped HTML element (``tables.html_table``) holds the base's line above the table,
    the table and the words under it: text the browser can search (Ctrl+F finds a name) and
    print. A grid widget serialized an Arrow table at every ballot (~5 ms a rerun at 100
    officials), and each further element costs ~0.3 ms a rerun (docs/performance.md)."""
    width = len(_levels(result))
    table = tables.table(
        table_columns(result),
        table_body(result),
        label="Kết quả kiểm phiếu",
        testid=TABLE_ID,
        column_tones=(*COLUMN_TONES, *("number", "number") * width, "", "", "", "number", "number"),
    )
    base = tables.paragraph(
        "Tỷ lệ phần trăm tính ", tables.bold(base_phrase(result)), f" — {result.rules.name}."
    )
    box = f'<div class="tn-box" data-testid="{TABLE_ID}-box">{table}</div>'
    st.html(tables.Html(base + box + tables.paragraph(TABLE_NOTE, tone="caption")))
    for row in result.officials:
        consequence = result.rules.consequence(result.kind, row.band)
        if consequence:
            label = rule_words.band_label(result.kind, row.band, result.rules)
            st.error(
                f"**{markup.md_escape(row.official.name)}** — {label}: "
                f"{markup.md_escape(consequence)}",
                icon=":material/gavel:",
            )


def show_exempt(poll: Poll) -> None:
    """Officials left off the ballot, with their reason."""
    exempt = [o for o in poll.officials if not o.on_ballot]
    if exempt:
        st.markdown("**Không lấy phiếu (miễn):**")
        for official in exempt:
            st.text(f"• {official.name} — {official.position}: {official.exempt_reason}")


def show_counts(result: Tally, poll: Poll) -> None:
    """Quorum, then ballots issued, collected, entered, whole invalid and valid."""
    frame.quorum_banner(
        result.present, poll.members.total, result.quorum_required, result.quorum_met
    )
    figures = (
        ("Phiếu phát ra", words.number(result.issued)),
        ("Phiếu thu về", words.number(result.collected)),
        ("Đã nhập", f"{words.number(result.counted)}/{words.number(result.collected)}"),
        ("Cả phiếu không hợp lệ", words.number(result.invalid)),
        ("Phiếu hợp lệ", words.number(result.valid_ballots)),
    )
    st.html(tables.html_figures(figures, testid=FIGURES_ID))  # one element, not ten


# -- the life cycle ------------------------------------------------------------------------


def _act(action: Callable[[], object], done: str | Callable[[], str]) -> None:
    """Run a store action; on success remember ``done`` (or what it returns, made after the
    action) and rerun, else show the refusal."""
    try:
        action()
    except storage.StoreError as error:
        st.session_state[K + "refusal"] = str(error)
    else:
        st.session_state[K + "flash"] = done() if callable(done) else done
        st.session_state.pop(K + "refusal", None)
    st.rerun()


def show_messages() -> None:
    """The outcome of the last action: a success line or the store's refusal."""
    flash = st.session_state.pop(K + "flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    refusal = st.session_state.pop(K + "refusal", None)
    if refusal:
        st.error(markup.md_escape(refusal), icon=":material/block:")


def close_panel(store: storage.Store, poll_id: int, result: Tally, actor: str) -> None:
    """End the count, with a confirmation; a reason when ballots entered ≠ collected."""
    st.subheader("Kết thúc kiểm phiếu")
    if result.remaining:
        st.warning(
            f"Mới nhập {words.number(result.counted)}/{words.number(result.collected)} phiếu thu "
            "về. Nhập đủ, hoặc ghi lý "
            "do để kết thúc khi chưa đủ (lý do được ghi vào nhật ký).",
            icon=":material/warning:",
        )
    reason = st.text_input(
        "Lý do (bắt buộc khi số phiếu đã nhập khác số phiếu thu về)",
        key=K + "close_reason",
        max_chars=limits.MAX_REASON,
    )
    sure = st.checkbox("Ban kiểm phiếu xác nhận đã kiểm xong", key=K + "close_sure")
    if st.button("Kết thúc kiểm phiếu", key=K + "close", type="primary", disabled=not sure):
        _act(
            lambda: store.close_count(poll_id, actor=actor, reason=reason),
            lambda: anchor_view.after_move(
                store, poll_id, "Đã kết thúc kiểm phiếu. Kiểm tra lại kết quả rồi khóa."
            ),
        )


def reopen_panel(store: storage.Store, poll_id: int, actor: str) -> None:
    """Back to counting, with a reason that goes into the audit log."""
    st.subheader(words.state(State.CLOSED))
    st.caption("Kiểm tra lại bảng kết quả rồi khóa. Nếu cần nhập hoặc sửa phiếu, mở lại.")
    anchor_view.show_marks(store, poll_id)
    with st.expander("Mở lại kiểm phiếu", key=K + "reopen_open", on_change="rerun") as box:
        if not box.open:  # its field and button drawn only while open
            return
        reason = st.text_input("Lý do mở lại", key=K + "reopen_reason", max_chars=limits.MAX_REASON)
        if st.button("Mở lại kiểm phiếu", key=K + "reopen"):
            _act(
                lambda: store.reopen_count(poll_id, reason=reason, actor=actor),
                lambda: anchor_view.after_move(store, poll_id, "Đã mở lại kiểm phiếu."),
            )


LOCK_EFFECT = (
    "Sau khi khóa, không ai sửa được phiếu hay kết quả; mã kiểm toán được in vào biên bản."
)
LOCK_NOT_YET = "Chỉ khóa được sau khi kết thúc kiểm phiếu."
LOCK_HEADING = "Khóa kết quả"


def lock_panel(store: storage.Store, poll_id: int, poll_state: str, actor: str) -> None:
    """Lock the result for ever: type KHÓA, then press the button."""
    if poll_state != "closed":  # no greyed-out field that looks as if it could be typed in
        # The heading and its words as one element: this panel is drawn at every rerun
        # while counting (docs/performance.md).
        said = tables.paragraph(f"{LOCK_EFFECT} {LOCK_NOT_YET}", tone="caption")
        st.html(tables.Html(tables.heading(LOCK_HEADING) + said))
        return
    st.subheader(LOCK_HEADING)
    st.caption(LOCK_EFFECT)
    typed = st.text_input(f"Gõ {LOCK_WORD} để xác nhận", key=K + "lock_word")
    if st.button("Khóa kết quả", key=K + "lock", type="primary"):
        if typed.strip().upper() != LOCK_WORD:
            st.session_state[K + "refusal"] = f"Gõ đúng chữ {LOCK_WORD} (in hoa) để xác nhận khóa."
            st.rerun()
        _act(
            lambda: store.lock(poll_id, actor=actor),
            lambda: anchor_view.after_move(store, poll_id, "Đã khóa kết quả."),
        )


def locked_panel(store: storage.Store, poll_id: int) -> None:
    """When and with which audit hash the result was locked, and whether the chain holds."""
    info = store.lock_info(poll_id)
    if info is None:
        return
    locked_at, head = info
    if imported := provenance.imported_notice(store, poll_id, "locked"):
        st.subheader("Đã khóa ở máy khác — không phải kết quả chính thức của máy này")
        st.text(imported)  # a file's name: never Markdown
    else:
        st.subheader("Kết quả chính thức — đã khóa")
    moment = words.moment(locked_at)
    if _MOMENT.fullmatch(moment):
        st.markdown(f"Khóa lúc **{moment}**. Mã kiểm toán (SHA-256):")
    else:
        st.text(f"Khóa lúc {moment}. Mã kiểm toán (SHA-256):")
    if _HEX.match(head):  # only a hex digest goes into raw HTML
        st.html(
            "<div style='font-family:DejaVu Sans Mono,monospace;font-size:1.55rem;"
            "font-weight:600;word-break:break-all;padding:.6rem .9rem;border-radius:.5rem;"
            f"background:rgba(128,128,128,.12)'>{head}</div>"
        )
    else:
        st.code(head)
    anchor_view.show_marks(store, poll_id)
    show_verify(store, poll_id)


def show_verify(store: storage.Store, poll_id: int) -> None:
    """The audit chain's full check, compared with the poll's backups; notes under it."""
    report = store.verify_anchored(poll_id)
    if report.ok:
        st.success(
            f"Chuỗi kiểm toán hợp lệ ({report.entries} mục nhật ký).", icon=":material/verified:"
        )
    else:
        _show_broken(report)
    if report.notes:
        st.text("\n".join(report.notes))  # folder names: never Markdown


def _show_broken(report: storage.VerifyReport) -> None:
    st.error("Chuỗi kiểm toán KHÔNG hợp lệ:", icon=":material/dangerous:")
    for problem in report.problems:
        st.text(f"• {problem}")


def show_verify_if_broken(store: storage.Store, poll_id: int, poll_state: str) -> None:
    """The audit chain's check (cached by chain head and backup files), shown in red only
    when the data was edited by hand; a failing backup folder in yellow (not once locked)."""
    report = store.verify_anchored_cached(poll_id)
    if not report.ok:
        _show_broken(report)
    if poll_state != "locked":
        anchor_view.show_backup_warning(store, poll_id)
