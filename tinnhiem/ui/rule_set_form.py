"""The rule set of the setup page: choosing one, and the board's own rule sets made, checked,
previewed and saved.

A custom rule set (poll-file.md, "Custom rule sets") starts from a built-in or a saved one;
every field of the contract is a widget (edges as fractions ``p/q`` with "kể cả" / "không
kể" for the edge itself), the pure core checks it (``rules.read_rule_set``, the store's
typed-text rules) and each refusal shows its Vietnamese sentence; a preview says the band
of a few sample counts over a base the user types. Saving needs the administrator's PIN,
like creating a poll. The texts are shown escaped (``markup.md_escape``) or in tables, never
read as Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from tinnhiem import arithmetic, rule_words, storage, words
from tinnhiem.cell_text import clean
from tinnhiem.model import BASES, Kind
from tinnhiem.problems import Problem
from tinnhiem.rules import RULE_SETS, RuleSet
from tinnhiem.storage.rule_library import checked
from tinnhiem.ui import access, markup, state

K = "rules."
RULES = "setup.rules"  # the setup form's choice
OWN = "setup.own_rule_set"  # the stored poll's own rule set, when it has one
MAX_BANDS = 5
SAMPLE = (3, 5, 30, 31, 481)
EDGE = {"kể cả": True, "không kể": False}
ADMIN_WHY = (
    "Tạo hoặc sửa bộ quy tắc riêng cần mã quản trị (như tạo cuộc kiểm phiếu): nhập mã ở mục "
    "“Nhập tệp cuộc kiểm phiếu (JSON)” cuối trang, rồi mở lại mục này."
)
EDGE_HELP = "“kể cả”: đúng bằng ngưỡng cũng vào mức này (từ … trở lên); “không kể”: phải vượt."


def load_own(rule_set: RuleSet | None) -> None:
    """Keep the stored poll's own rule set for the choice (``setup_form.load``)."""
    st.session_state[OWN] = rule_set


def choices() -> dict[str, RuleSet]:
    """The built-in rule sets, the saved ones, and the poll's own when not saved."""
    found: dict[str, RuleSet] = dict(RULE_SETS)
    found.update({r.id: r for r in state.get_store().rule_library.rule_sets()})
    own = st.session_state.get(OWN)
    if own is not None and own.id not in found:
        found[own.id] = own
    return found


def _label(rules: RuleSet) -> str:
    name = rule_words.rule_set_name(rules)
    return name if rules.builtin else markup.md_escape(name)


def _caption(rules: RuleSet, kind: Kind) -> str:
    if rules.builtin:
        return f"{rules.base_note} {rules.bands_note}"
    edges = "; ".join(rule_words.band_edge(b) for b in rules.bands(kind))
    return f"Tỷ lệ tính trên {words.BASE[rules.default_base(kind)]}: {edges}."


def choose(where: Any, disabled: bool) -> RuleSet:
    """The radio of rule sets (built-in, then saved); returns the one chosen."""
    found, s = choices(), st.session_state
    if K + "chosen" in s:  # a rule set just saved (the radio was drawn when it was saved)
        s[RULES] = s.pop(K + "chosen")
    if s.get(RULES) not in found:
        s[RULES] = next(iter(RULE_SETS))
    kind = Kind(s["setup.kind"])
    where.radio(
        "Bộ quy tắc",
        list(found),
        format_func=lambda r: _label(found[r]),
        captions=[_caption(r, kind) for r in found.values()],
        key=RULES,
        disabled=disabled,
    )
    return found[s[RULES]]


def chosen() -> RuleSet:
    """The rule set the form has chosen (the first built-in one before any choice)."""
    found = choices()
    return found.get(st.session_state.get(RULES, ""), next(iter(RULE_SETS.values())))


def custom_of(rule_id: str) -> RuleSet | None:
    """The custom rule set a poll under ``rule_id`` carries; None for a built-in one."""
    if rule_id in RULE_SETS:
        return None
    return choices().get(rule_id)


# -- the editor ------------------------------------------------------------------------------


def _consequences(rules: RuleSet) -> Mapping[str, str]:
    """One text per band: a custom one's own, a built-in one's text for any body."""
    table = rules.poll_consequences
    return {band: texts.get("any", "") for band, texts in table.items()}


def _fill(rules: RuleSet) -> None:
    """Put ``rules`` into the editor's fields (a built-in id gets a new one)."""
    s = st.session_state
    s[K + "id"] = f"{rules.id}-rieng" if rules.builtin else rules.id
    s[K + "name"] = f"{rules.name} (bộ quy tắc riêng)" if rules.builtin else rules.name
    s[K + "citation"] = rules.citation
    s[K + "base"] = rules.poll_base
    s[K + "quorum"] = f"{rules.quorum.numerator}/{rules.quorum.denominator}"
    texts = _consequences(rules)
    s[K + "count"] = len(rules.poll_bands)
    for n in range(MAX_BANDS):
        band = rules.poll_bands[n] if n < len(rules.poll_bands) else None
        s[f"{K}band.{n}"] = band.name if band else ""
        s[f"{K}from.{n}"] = f"{band.edge.numerator}/{band.edge.denominator}" if band else ""
        s[f"{K}edge.{n}"] = "kể cả" if band is None or band.inclusive else "không kể"
        s[f"{K}text.{n}"] = texts.get(band.name, "") if band else ""


def data() -> dict:
    """The rule set the fields describe, as the poll file's ``rule_set`` object."""
    s = st.session_state
    bands, consequences = [], {}
    for n in range(int(s.get(K + "count") or 1)):
        name = str(s.get(f"{K}band.{n}") or "").strip()
        edge = s.get(f"{K}edge.{n}")
        bands.append(
            {
                "band": name,
                "from": str(s.get(f"{K}from.{n}") or "").strip(),
                "inclusive": EDGE.get(edge) if edge in EDGE else None,
            }
        )
        text = s.get(f"{K}text.{n}") or ""
        if text.strip():
            consequences[name] = text
    found = {
        "id": str(s.get(K + "id") or "").strip(),
        "name": s.get(K + "name") or "",
        "citation": s.get(K + "citation") or "",
        "base": s.get(K + "base"),
        "quorum": str(s.get(K + "quorum") or "").strip(),
        "bands": bands,
    }
    if consequences:
        found["consequences"] = consequences
    return found


def cleaned(found: dict) -> dict:
    """The texts as the store keeps typed text: NFC, invisible characters gone, spaces one."""
    texts = {k: clean(found[k]) for k in ("id", "name", "citation")}
    result = {**found, **texts}
    if "consequences" in found:
        result["consequences"] = {b: clean(t) for b, t in found["consequences"].items()}
    return result


def _problems(found: dict) -> list[Problem]:
    try:
        checked(found)  # control characters are looked for before ``clean`` removes them
        checked(cleaned(found))
    except storage.SetupInvalid as error:
        return list(error.problems)
    return []


def _fields() -> None:
    s = st.session_state
    left, right = st.columns(2)
    left.text_input("Mã bộ quy tắc (chữ thường, ví dụ kh-cantho-2019)", key=K + "id")
    left.text_input("Tên bộ quy tắc", key=K + "name")
    right.text_area("Căn cứ (văn bản, số, ngày)", key=K + "citation", height=80)
    left.selectbox(
        "Tỷ lệ tính trên", list(BASES), key=K + "base",
        format_func=lambda b: words.sentence(words.BASE[b]),
    )  # fmt: skip
    left.text_input("Túc số: phần số được triệu tập phải có mặt (p/q, ví dụ 2/3)", key=K + "quorum")
    right.number_input("Số mức", min_value=1, max_value=MAX_BANDS, step=1, key=K + "count")
    st.caption("Các mức theo ngưỡng tăng dần; ngưỡng là phân số p/q của cơ số.")
    for n in range(int(s.get(K + "count") or 1)):
        name, edge, inclusive, text = st.columns([2, 1, 2, 5])
        name.text_input(f"Mức {n + 1}: tên (chữ thường, _)", key=f"{K}band.{n}")
        edge.text_input("Ngưỡng (p/q)", key=f"{K}from.{n}")
        inclusive.radio("Đúng bằng ngưỡng", list(EDGE), key=f"{K}edge.{n}", help=EDGE_HELP)
        text.text_input("Hậu quả (ghi vào biên bản)", key=f"{K}text.{n}")


def preview(rules: RuleSet, kind: Kind) -> None:
    """The band of each sample count over a base the user types."""
    base = int(st.number_input("Xem trước với cơ số", min_value=1, value=50, key=K + "sample"))
    counts = sorted({n for n in SAMPLE if n <= base} | {base})
    rows = [
        {
            "Số phiếu": words.number(n),
            "Tỷ lệ": words.percent(n, base),
            "Kết quả": rule_words.band_label(kind, arithmetic.band(n, base, kind, rules), rules),
        }
        for n in counts
    ]
    st.table(
        pd.DataFrame(rows).set_index("Số phiếu")
    )  # no grid: the page's grids keep their places
    for line in rule_words.rule_set_lines(rules, kind, rules.default_base(kind)):
        st.text(line)


def editor(store: storage.Store) -> None:
    """The expander that makes a custom rule set from another one, checks, previews, saves."""
    with st.expander("Bộ quy tắc riêng: tạo từ một bộ có sẵn, xem trước, lưu"):
        if not access.is_admin():  # one gate per page: the import box's, at the bottom
            st.info(ADMIN_WHY, icon=":material/admin_panel_settings:")
            return
        found, s = choices(), st.session_state
        start = st.selectbox(
            "Tạo từ bộ quy tắc", list(found), key=K + "start",
            format_func=lambda r: _label(found[r]),
        )  # fmt: skip
        if st.button("Nạp vào mẫu", icon=":material/content_copy:") or K + "id" not in s:
            _fill(found[start])
        _fields()
        kind, written = Kind(s.get("setup.kind", Kind.POLL)), data()
        problems = _problems(written)
        for problem in problems:
            message = f"{problem.field}: {problem.message}"
            st.error(markup.md_escape(message), icon=":material/error:")
        if not problems:
            preview(checked(cleaned(written)), kind)
        if st.button("Lưu bộ quy tắc", type="primary", disabled=bool(problems)):
            try:
                saved = store.rule_library.save_rule_set(cleaned(written), actor=state.station())
            except storage.StoreError as error:
                st.error(markup.md_escape(str(error)), icon=":material/block:")
                return
            s[K + "chosen"] = saved.id  # chosen for this poll by the next run
            s["setup.flash"] = f"Đã lưu bộ quy tắc “{saved.id}”."
            st.rerun()
