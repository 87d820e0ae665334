"""tinnhiem.words: one vocabulary for every code and format a person sees, and nowhere else."""

from __future__ import annotations

import ast
import re
import sqlite3
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from document_reading import docx_text, flat, pdf_text

from tinnhiem import documents, words
from tinnhiem.cli import main
from tinnhiem.demo import demo_poll
from tinnhiem.documents import RecordInfo
from tinnhiem.lifecycle import TRANSITIONS, Action
from tinnhiem.model import BOARD_ROLES, LEVELS, Attendance, Band, Base, Kind, Level, Mode, State
from tinnhiem.pollfile import EXTENSION
from tinnhiem.rules import RULE_SETS
from tinnhiem.storage import TRIGGER_NAMES, Store, StoreError
from tinnhiem.tally import tally

ROOT = Path(__file__).resolve().parent.parent
WORDS_FILE = ROOT / "tinnhiem" / "words.py"
SCANNED = sorted([*(ROOT / "tinnhiem").rglob("*.py"), *(ROOT / "pages").glob("*.py")])
# Every code of the model a person could be shown by mistake.
ENUMS = (State, Mode, Level, Band, Base, Kind, Action)
CODES = {str(m) for enum in ENUMS for m in enum} | set(BOARD_ROLES)


# -- every code has its word ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (words.KIND, Kind),
        (words.STATE, State),
        (words.MODE, Mode),
        (words.LEVEL, Level),
        (words.BASE, Base),
        (words.BAND[Kind.POLL], Band),
        (words.ACTION, Action),
    ],
    ids=["kind", "state", "mode", "level", "base", "band", "action"],
)
def test_every_member_of_every_enum_has_a_word(table, enum):
    """Each table names every member of its enum, with Vietnamese text, nothing else."""
    assert set(table) == set(enum)
    assert all(word.strip() and word not in CODES for word in table.values())


def test_every_action_the_audit_log_can_hold_has_its_own_word():
    """Every action a store method writes to the log (each row of the life cycle, which the
    chain's replay checks the log against) reads in words, no two alike; a code the
    vocabulary does not know (a hand-edited log) is quoted as found."""
    assert {t.action for t in TRANSITIONS} == set(Action) == set(words.ACTION)
    assert len(set(words.ACTION.values())) == len(Action)
    assert words.action("open") == words.action(Action.OPEN) == "mở kiểm phiếu"
    assert words.action("lock") == "khóa kết quả"
    assert words.action("mở") == "“mở”"
    assert words.action("") == "“”"


def test_every_action_the_store_writes_to_the_log_has_a_word(tmp_path):
    """Every move of the life cycle, every correction, the totals and a plain file's import,
    made through the store: each action their logs hold has its word in the table."""
    store = Store(tmp_path / "t.db")
    poll = replace(demo_poll(None), entries=None)
    counted = store.create_poll(poll, pin="2468")
    store.update_poll(counted, replace(poll, title="Đợt đã sửa"))
    store.set_pin(counted, "1357")
    store.open_count(counted)
    for entry in demo_poll(None).entries[:3]:
        store.add_ballot(counted, entry, station="Máy 1")
    store.void_ballot(counted, 1, reason="nhập nhầm")
    store.correct_ballot(counted, 2, demo_poll(None).entries[5], reason="sai một ô")
    store.close_count(counted, reason="thử")
    store.reopen_count(counted, reason="nhập tiếp")
    store.close_count(counted, reason="thử")
    store.lock(counted)
    totals = store.create_poll(poll)
    store.open_count(totals, mode="totals")
    width = len(poll.officials) - sum(1 for o in poll.officials if o.exempt_reason)
    store.set_totals(totals, [{"high": 1, "confidence": 1, "low": 1}] * width)
    plain = store.export_data(counted)
    plain.pop(EXTENSION)
    imported = store.import_data(plain)
    stacked = store.create_poll(replace(poll, passes_required=2))
    store.open_count(stacked)
    stack = store.add_stack(stacked, "Xấp 1", 1)
    for typist, entry in (("Người một", "1" * width), ("Người hai", "2" * width)):
        number = store.start_pass(stacked, stack, typist)
        store.add_pass_ballot(stacked, stack, number, entry)
        store.finish_pass(stacked, stack, number)
    place = store.stack_summary(stacked).views[0].places[0].key
    store.decide(stacked, stack, place, 1, None, "xem phiếu giấy")
    store.send_back(stacked, stack, "nhập lại cho chắc")
    store.scans.record_batch(stacked, {"images": [{"sha256": "0" * 64}], "decisions": []})
    polls = (counted, totals, imported, stacked)
    logged = {e.action for p in polls for e in store.audit_log(p)}
    store.close()
    assert logged == set(Action)
    assert all(words.action(a) == words.ACTION[Action(a)] for a in logged)


def test_every_role_every_band_of_a_kind_and_every_short_form_has_a_word():
    """Roles, the bands each kind can reach, and the projector's short forms are all named."""
    assert list(words.ROLE) == list(BOARD_ROLES)
    assert set(words.BAND[Kind.VOTE]) == {Band.NONE, Band.OVER_HALF}
    assert set(words.BAND_SHORT) == set(Band)
    for kind in Kind:
        for band in words.BAND[kind]:
            assert words.band(kind, band) == words.BAND[kind][band]
            for base in Base:
                assert words.BASE[base] in words.band_sentence(kind, band, base)
        assert set(words.LEVEL_SHORT) >= {LEVELS[kind][-1]}
    assert set(words.SUBJECT) == set(RULE_SETS)


def test_one_wording_per_concept():
    """The wordings that differed across screens and documents now read one way."""
    assert words.STATE[State.CLOSED] == "đã kết thúc kiểm phiếu"
    assert words.state("closed") == "Đã kết thúc kiểm phiếu"
    assert words.state("setup") == "Đang thiết lập"
    assert words.BASE[Base.PRESENT] == "tổng số đại biểu có mặt"
    assert words.base_compared("collected") == "so với tổng số phiếu thu về"
    assert words.band(Kind.POLL, "two_thirds") == "Từ 2/3 tín nhiệm thấp trở lên"
    assert words.band(Kind.VOTE, "none") == "Không quá nửa"
    assert words.BAND_SHORT[Band.NONE] == ""


@pytest.mark.parametrize(
    ("kind", "digit", "said"),
    [
        (Kind.POLL, "1", "Tín nhiệm cao"),
        (Kind.POLL, "2", "Tín nhiệm"),
        (Kind.POLL, "3", "Tín nhiệm thấp"),
        (Kind.POLL, "0", "Không hợp lệ / để trống"),
        (Kind.VOTE, "1", "Tín nhiệm"),
        (Kind.VOTE, "2", "Không tín nhiệm"),
        (Kind.VOTE, "3", "Không hợp lệ / để trống"),
    ],
)
def test_each_typed_digit_has_its_words(kind, digit, said):
    """A digit reads as the level of its kind; anything else as a blank or invalid row."""
    assert words.level_of_digit(kind, digit) == said


def test_a_stage_names_state_and_mode_and_quotes_what_it_does_not_know():
    """A report names a state and mode in words; a hand-edited code is quoted, not hidden."""
    assert words.stage("counting", "totals") == "đang kiểm phiếu, nhập tổng số kiểm tay"
    assert words.stage("closed", None) == "đã kết thúc kiểm phiếu"
    assert words.stage(None, None) == "chưa tạo"
    assert words.stage("opened", "paper") == "“opened”, “paper”"


# -- formats at their edges ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "short", "long"),
    [
        ("2023-12-13", "13/12/2023", "ngày 13 tháng 12 năm 2023"),
        ("2024-01-01", "01/01/2024", "ngày 01 tháng 01 năm 2024"),
        ("2024-03-05", "05/03/2024", "ngày 05 tháng 03 năm 2024"),
        ("2024-02-29T00:00:00+07:00", "29/02/2024", "ngày 29 tháng 02 năm 2024"),
        (None, "", "ngày ..... tháng ..... năm ........"),
        ("", "", "ngày ..... tháng ..... năm ........"),
        ("mai", "mai", "ngày ..... tháng ..... năm ........"),
    ],
)
def test_dates_day_first(iso, short, long):
    """A date reads dd/mm/yyyy, or in words; single digits get their zero, unknown is blank."""
    assert words.date(iso) == short
    assert words.date_long(iso) == long


@pytest.mark.parametrize(
    ("typed", "short", "long"),
    [
        ("14:00", "14:00", "14 giờ 00"),
        ("00:00", "00:00", "0 giờ 00"),
        ("9:05", "09:05", "9 giờ 05"),
        ("23:59", "23:59", "23 giờ 59"),
        ("", "", ""),
        (None, "", ""),
        ("sáng", "sáng", "sáng"),
        ("25:00", "25:00", "25:00"),
    ],
)
def test_times_of_day(typed, short, long):
    """A poll's time reads hh:mm, or "h giờ mm" in a sentence; other text as typed."""
    assert words.time(typed) == short
    assert words.time_long(typed) == long


@pytest.mark.parametrize(
    ("iso", "moment", "date_time"),
    [
        ("2023-12-13T16:05:09+07:00", "16:05:09 ngày 13/12/2023", "13/12/2023 16:05:09"),
        ("2024-01-01T00:00:00.123+07:00", "00:00:00 ngày 01/01/2024", "01/01/2024 00:00:00"),
        ("2024-03-05T09:07:03", "09:07:03 ngày 05/03/2024", "05/03/2024 09:07:03"),
        (None, "", ""),
        ("hôm qua", "hôm qua", "hôm qua"),
    ],
)
def test_time_stamps_on_the_clock_they_were_taken_on(iso, moment, date_time):
    """A time stamp reads with its own clock (no conversion), in a sentence or in a table."""
    assert words.moment(iso) == moment
    assert words.date_time(iso) == date_time


@pytest.mark.parametrize(
    ("value", "said"),
    [(0, "0"), (1, "1"), (999, "999"), (1000, "1.000"), (40_001, "40.001"), (10**6, "1.000.000")],
)
def test_numbers_group_thousands_with_a_dot(value, said):
    """Vietnamese numbers group thousands with a dot."""
    assert words.number(value) == said


@pytest.mark.parametrize(
    ("count", "base", "rounding", "said"),
    [
        (25, 47, "half_up", "53,19%"),
        (2, 47, "half_up", "4,26%"),
        (0, 5, "half_up", "0,00%"),
        (1, 1, "half_up", "100,00%"),
        (1, 3, "half_up", "33,33%"),
        (2, 3, "half_up", "66,67%"),
        (2, 3, "truncate", "66,66%"),
        (19, 47, "truncate", "40,42%"),
        (1000, 1000, "half_up", "100,00%"),
    ],
)
def test_percentages_have_a_decimal_comma(count, base, rounding, said):
    """A percentage has two decimals, a decimal comma and a sign, under either rounding."""
    assert words.percent(count, base, rounding) == said


# -- nowhere else --------------------------------------------------------------------------

# The words of the tables, and the old variants that must not come back.
_VOCABULARY = {
    unicodedata.normalize("NFC", w).casefold()
    for table in (
        *(words.KIND, words.STATE, words.MODE, words.LEVEL, words.BASE, words.ROLE),
        words.ACTION,
    )
    for w in table.values()
} | {
    unicodedata.normalize("NFC", w).casefold()
    for w in (
        *(w for kind in Kind for w in words.BAND[kind].values()),
        *words.LEVEL_SHORT.values(),
        *(w for w in words.BAND_SHORT.values() if w),
        *("Đã kết thúc kiểm", "đang chuẩn bị", "Từ 2/3 trở lên", "Quá nửa (dưới 2/3)"),
        "Từ 2/3 tín nhiệm thấp",
    )
}
# Buttons and headings that still spell an action's word themselves, by file: the count may
# only go down (each one becomes ``words.sentence(words.ACTION[…])``).
_ACTION_LABELS_LEFT = {"tinnhiem/ui/results_view.py": 6, "tinnhiem/ui/access.py": 1}
_ACTION_WORDS = {unicodedata.normalize("NFC", w).casefold() for w in words.ACTION.values()}
# A date or clock written by hand: strftime directives, or a format spec of them.
_DATE_FORMAT = re.compile(r"%[dmYHMSyb]")
# Files that stamp a date in a machine form (a file name), never for a reader.
_MACHINE_STAMPS = {"tinnhiem/storage/backup.py": 1}


def _constants(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def _label_tables(tree: ast.AST):
    """Dict literals keyed by the model's codes whose values are short Vietnamese labels."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict) or not node.keys:
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        values = [v.value for v in node.values if isinstance(v, ast.Constant)]
        if (
            len(keys) == len(node.keys)
            and set(keys) <= CODES
            and len(values) == len(node.values)
            and all(isinstance(v, str) and not v.isascii() and len(v.split()) <= 5 for v in values)
        ):
            yield node


@pytest.mark.parametrize("path", SCANNED, ids=[str(p.relative_to(ROOT)) for p in SCANNED])
def test_no_word_or_date_format_is_defined_outside_words(path):
    """Outside tinnhiem/words.py no file spells a state, level, role, base, band or mode, keeps
    a table of words keyed by codes, or writes a date format, so the split cannot come back."""
    if path == WORDS_FILE:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = str(path.relative_to(ROOT))
    spelled = [
        c.value
        for c in _constants(tree)
        if unicodedata.normalize("NFC", c.value).strip(" .:").casefold() in _VOCABULARY
    ]
    actions = [w for w in spelled if w.strip(" .:").casefold() in _ACTION_WORDS]
    assert len(actions) == _ACTION_LABELS_LEFT.get(name, 0), f"{name} spells actions {actions}"
    spelled = [w for w in spelled if w not in actions]
    assert not spelled, f"{name} spells {spelled}: use tinnhiem.words"
    tables = [ast.unparse(t)[:60] for t in _label_tables(tree)]
    assert not tables, f"{name} keeps a word table {tables}: move it to tinnhiem.words"
    formats = [c.value for c in _constants(tree) if _DATE_FORMAT.search(c.value)]
    assert len(formats) == _MACHINE_STAMPS.get(name, 0), f"{name} formats dates: {formats}"


def test_the_scan_sees_what_it_looks_for():
    """The scan's three tests bite on a file that does what it forbids."""
    tree = ast.parse(
        'STATE = {"counting": "Đang kiểm"}\n'
        'x = "Đã kết thúc kiểm"\n'
        'f"{at:%H:%M}"\n'
        'ROLE = {"chair": "Trưởng ban"}\n'
        'ACTIONS = {"open": "Mở kiểm phiếu", "lock": "Khóa kết quả"}\n'
        'st.button("Mở lại kiểm phiếu")\n'
    )
    assert len(list(_label_tables(tree))) == 3
    assert [c.value for c in _constants(tree) if c.value.casefold() in _ACTION_WORDS] == [
        "Mở kiểm phiếu",
        "Khóa kết quả",
        "Mở lại kiểm phiếu",
    ]
    assert any(c.value.casefold() in _VOCABULARY for c in _constants(tree))
    assert any(_DATE_FORMAT.search(c.value) for c in _constants(tree))


# -- nothing raw reaches a person ----------------------------------------------------------

_RAW = re.compile(
    r"(?<![\w./-])(" + "|".join(sorted(CODES, key=len, reverse=True)) + r")(?![\w.-])"
)


def _raw_codes(text: str) -> list[str]:
    return _RAW.findall(text)


@pytest.mark.parametrize("state", [s for s in State if s != State.LOCKED])
def test_provisional_minutes_name_their_state_in_words(state):
    """The provisional minutes, PDF and DOCX, say the state in words and no code at all."""
    poll = demo_poll(None)
    result, record = tally(poll), RecordInfo(state=state)
    for text in (
        flat(pdf_text(documents.minutes_pdf(poll, result, record))),
        flat(docx_text(documents.minutes_docx(poll, result, record))),
    ):
        assert f"(trạng thái: {words.STATE[state]})" in text
        assert _raw_codes(text) == []


def test_counts_in_the_minutes_group_thousands():
    """A poll of more than a thousand prints its counts as Vietnamese write them."""
    poll = replace(
        demo_poll(None), members=Attendance(1500, 1400), issued=1400, collected=1200, entries=None
    )
    text = flat(pdf_text(documents.minutes_pdf(poll, tally(poll))))
    assert "Có mặt: 1.400/1.500 đại biểu có mặt." in text
    assert "Số phiếu thu về: 1.200." in text
    assert "so với tổng số phiếu thu về (1.200)" in text


def _cli(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_command_line_says_states_in_words(capsys, tmp_path):
    """Refusals, reports and documents of the command line name states, never their codes."""
    db = tmp_path / "t.db"
    store = Store(db)
    poll = demo_poll(None)
    poll_id = store.create_poll(replace(poll, entries=None))
    store.open_count(poll_id, actor="Trưởng ban")
    for entry in poll.entries[:5]:
        store.add_ballot(poll_id, entry, station="Máy 1", entered_by="Nguyễn Nhập")
    store.close()
    said = []
    code, text = _cli(capsys, "minutes", poll_id, "--db", db, "-o", tmp_path / "bb.docx")
    assert code == 0, text
    said += [text, docx_text((tmp_path / "bb.docx").read_bytes())]
    assert "(trạng thái: đang kiểm phiếu)" in said[-1]
    code, text = _cli(capsys, "verify", poll_id, "--db", db)
    assert code == 0, text
    said.append(text)
    connection = sqlite3.connect(db, isolation_level=None)  # edited by hand, as an attacker
    for name in TRIGGER_NAMES:
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    connection.execute("UPDATE polls SET state = 'closed'")
    connection.close()
    code, text = _cli(capsys, "verify", poll_id, "--db", db)
    assert code == 1
    assert "Trạng thái (đã kết thúc kiểm phiếu, nhập từng phiếu) khác với nhật ký" in text
    said.append(text)
    for text in said:
        assert _raw_codes(text) == [], text


def test_verify_names_the_action_of_a_tampered_log_entry_in_words(capsys, tmp_path):
    """A log entry edited by hand is named by what it records, in words; an action no
    version of tinnhiem writes is quoted as found. No code reaches the report."""
    db = tmp_path / "t.db"
    store = Store(db)
    poll = demo_poll(None)
    poll_id = store.create_poll(replace(poll, entries=None))
    store.open_count(poll_id)
    store.add_ballot(poll_id, poll.entries[0], station="Máy 1")
    assert [e.action for e in store.audit_log(poll_id)] == ["create", "open", "ballot"]
    store.close()
    connection = sqlite3.connect(db, isolation_level=None)  # edited by hand, as an attacker
    for name in TRIGGER_NAMES:
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    connection.execute("UPDATE audit SET action = 'lock' WHERE seq = 2")
    connection.execute("UPDATE audit SET action = 'sửa tay' WHERE seq = 3")
    connection.close()
    code, text = _cli(capsys, "verify", poll_id, "--db", db)
    assert code == 1
    for said in (
        "Nhật ký mục 2 (khóa kết quả): mã băm không khớp nội dung",
        "Nhật ký mục 2: việc khóa kết quả không thể làm khi đợt lấy phiếu đang thiết lập",
        "Nhật ký mục 3 (“sửa tay”): mã băm không khớp nội dung",
        "Nhật ký mục 3: việc “sửa tay” không thể làm khi đợt lấy phiếu đang thiết lập",
    ):
        assert said in text, text
    assert _raw_codes(text) == [], text


def test_a_refusal_names_the_action_and_groups_its_counts(tmp_path):
    """A refusal of the store says which action it refused, and counts of a thousand or
    more as Vietnamese write them."""
    store = Store(tmp_path / "t.db")
    poll = replace(
        demo_poll(None), members=Attendance(1500, 1400), issued=1400, collected=1200, entries=None
    )
    poll_id = store.create_poll(poll)
    with pytest.raises(StoreError) as refused:
        store.add_ballot(poll_id, demo_poll(None).entries[0], station="Máy 1")
    assert "việc nhập một phiếu chỉ làm được khi đang kiểm phiếu" in str(refused.value)
    store.open_count(poll_id)
    with pytest.raises(StoreError) as refused:
        store.close_count(poll_id)
    store.close()
    assert "Mới nhập 0/1.200 phiếu thu về" in str(refused.value)
    assert _raw_codes(str(refused.value)) == []


# A value named like a code of the model (``poll.state``, ``row["mode"]``, ``entry.action``)
# formatted into a string as it is; each allowed one is not a code of the model.
_CODE_NAMES = {"state", "mode", "kind", "level", "band", "base", "base_name", "action", "role"}
_RAW_FORMATS_ALLOWED = {
    ("tinnhiem/officials_io.py", "kind"),  # the officials file's format ("Excel")
    ("tinnhiem/rule_reading.py", "band"),  # a key of a rule set file, in its field path
    ("tinnhiem/storage/connections.py", "mode"),  # SQLite's journal mode, in its own words
    ("tinnhiem/storage/moves.py", "action"),  # ValueError: a programming error, not a refusal
    ("tinnhiem/storage/moves.py", "row['state']"),
}


def _raw_formats(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FormattedValue):
            continue
        value = node.value
        if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
            name = value.slice.value
        else:
            name = getattr(value, "attr", getattr(value, "id", None))
        if name in _CODE_NAMES:
            found.append(ast.unparse(value))
    return found


@pytest.mark.parametrize("path", SCANNED, ids=[str(p.relative_to(ROOT)) for p in SCANNED])
def test_no_code_is_formatted_raw_into_a_message(path):
    """No f-string outside tinnhiem/words.py formats a state, mode, kind, level, band, base,
    action or role as it is: each goes through its word (``words.STATE[poll.state]``)."""
    if path == WORDS_FILE:
        return
    name = str(path.relative_to(ROOT))
    raw = {f for f in _raw_formats(ast.parse(path.read_text(encoding="utf-8")))}
    raw -= {f for file, f in _RAW_FORMATS_ALLOWED if file == name}
    assert not raw, f"{name} formats {sorted(raw)} raw: use tinnhiem.words"


def test_the_raw_format_scan_sees_what_it_looks_for():
    """The scan bites on a code formatted as it is, and lets its word through."""
    tree = ast.parse(
        "f\"{poll.state} {row['mode']} {entry.action} {kind}\"\n"
        'f"{words.STATE[poll.state]} {words.action(entry.action)} {words.KIND[kind]}"\n'
    )
    assert _raw_formats(tree) == ["poll.state", "row['mode']", "entry.action", "kind"]


def test_a_tallys_machine_percentage_reads_as_words_percent_writes_it() -> None:
    """percent_of("53.19") is "53,19%", the same as percent(25, 47) of the same numbers."""
    assert words.percent_of("53.19") == "53,19%" == words.percent(25, 47)
    assert words.percent_of("0.00") == "0,00%" and words.percent_of("100.00") == "100,00%"
