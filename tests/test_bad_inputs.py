"""The bad-input corpus (tests/data/bad/): every file gets a clear Vietnamese answer and
leaves the database as it was.

Officials lists go through the setup page's upload (AppTest); poll files through
``tinnhiem import`` (parse, then Store.import_data). Two 10 MB files are made at test time.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from browser_support import ADMIN_PIN
from db_dump import dump
from pin_gate import admin_gate_shown, unlock_admin
from streamlit.testing.v1 import AppTest

from tinnhiem import cli
from tinnhiem.problems import PollError
from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
SETUP = str(ROOT / "pages" / "setup.py")
NO_HEADER = "Không tìm thấy dòng tiêu đề"
TWO = ["Nguyễn Văn An", "Trần Thị Bích"]
THREE = [*TWO, "Đỗ Đức Hoàng"]

# file → a fragment of the message the user reads (an error, or a warning when the list is
# still read), or the names read when the file is read as it should be.
OFFICIALS = {
    "officials-binary-junk.csv": "Không đọc được bảng mã của tệp",
    "officials-cp1258-with-utf8-bom.csv": NO_HEADER,
    "officials-latin1.csv": NO_HEADER,
    "officials-empty.csv": NO_HEADER,
    "officials-header-only.csv": "Danh sách trống",
    "officials-missing-name-column.csv": NO_HEADER,
    "officials-renamed-columns.csv": NO_HEADER,
    "officials-no-header.csv": NO_HEADER,
    "officials-xls-renamed.xlsx": "Tệp Excel kiểu cũ (.xls) của Excel 97–2003 chưa được hỗ trợ",
    "officials-truncated.xlsx": "Không mở được tệp Excel (.xlsx)",
    "officials-duplicate-names.csv": "Trùng họ tên: “Nguyễn Văn An” ở vị trí 1 và 2",
    "officials-formula-hyperlink.csv": "bắt đầu bằng “=” (giống công thức Excel)",
    "officials-formula-plus-cmd.csv": "bắt đầu bằng “+” (giống công thức Excel)",
    "officials-formula-at-sum.csv": "bắt đầu bằng “@” (giống công thức Excel)",
    "officials-formula-minus.csv": "bắt đầu bằng “-” (giống công thức Excel)",
    "officials-10mb.csv": "Tệp quá lớn",
    "officials-nfd.csv": ["Nguyễn Văn An", "Trần Thị Bích"],
    "officials-utf16-no-bom.csv": ["Nguyễn Văn An", "Trần Thị Bích"],
    "officials-header-on-row-5.xlsx": ["Nguyễn Văn An"],
    "officials-empty-and-merged-rows.csv": ["Nguyễn Văn An", "Trần Thị Bích Phó Chủ tịch"],
    "officials-html-script.csv": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
    # issue 13 point 12 (made by tests/data/make_officials_files.py): names and a warning
    "officials-merged-name-header.xlsx": (TWO, "gộp trên hai cột “Họ đệm” và “Tên”"),
    "officials-hidden-rows.xlsx": (
        ["Nguyễn Văn An", "Đỗ Đức Hoàng"],
        "dòng 3 bị ẩn trong bảng tính: đã bỏ qua",
    ),
    "officials-second-sheet.xlsx": (THREE, "tiếp tục ở trang tính “Trang 2”: đã đọc thêm 1"),
    "officials-second-sheet-no-header.xlsx": (TWO, "“Trang 2” có dữ liệu nhưng không có"),
    "officials-total-row.csv": (THREE, "bỏ qua dòng tổng “Tổng cộng: 3 người”"),
    "officials-libreoffice.ods": THREE,
    "officials-html-table.xls": THREE,
    "officials-excel-97.xls": "Tệp Excel kiểu cũ (.xls) của Excel 97–2003 chưa được hỗ trợ",
    "officials-tcvn3.xlsx": (TWO, "bảng mã cũ TCVN3 (ABC)"),
    "officials-tcvn3.csv": (TWO, "bảng mã cũ TCVN3 (ABC)"),
    "officials-vni.xlsx": (TWO, "bảng mã cũ VNI"),
    "officials-invisible-characters.csv": (TWO, "đã xóa ký tự ẩn hoặc ký tự điều khiển"),
    "officials-report.pdf": "Tệp PDF không phải bảng danh sách",
}

POLLS = {
    "poll-present-over-total.json": "members.present: số có mặt (51) lớn hơn tổng số",
    "poll-collected-over-issued.json": "ballots.collected: số phiếu thu về (48) lớn hơn",
    "poll-entries-over-collected.json": "entries: đã nhập 94 phiếu, nhiều hơn số phiếu thu về",
    "poll-negative-issued.json": "ballots.issued: không được âm",
    "poll-entry-wrong-length.json": "phiếu có 2 ký tự nhưng danh sách có 1 người",
    "poll-vote-with-3.json": "ký tự “3” ở vị trí 1 không hợp lệ",
    "poll-totals-over-collected.json": "tổng các mức (999) vượt số phiếu hợp lệ",
    "poll-entries-and-totals.json": "tệp có cả entries lẫn totals",
    "poll-malformed.json": "JSON sai ở dòng 1",
    "poll-truncated.json": "JSON sai ở dòng 1",
    "poll-html-in-names.json": "ký tự “4” ở vị trí 1 không hợp lệ",
    "poll-10mb.json": "entries: có 2097140 phiếu, quá giới hạn 10000 phiếu",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/bad plus the two 10 MB files, made here rather than committed."""
    folder = tmp_path_factory.mktemp("bad")
    for path in BAD.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    row = "1;Nguyễn Văn An;Chủ tịch Hội đồng nhân dân tỉnh khóa XVII nhiệm kỳ 2021–2026\n"
    big = ("STT;Họ và tên;Chức vụ\n" + row * (10 * 1024 * 1024 // len(row.encode()))).encode()
    (folder / "officials-10mb.csv").write_bytes(big)
    poll = json.loads((ROOT / "tests/data/polls/vinh-phuc-2023-entries.json").read_text())
    poll["entries"] = poll["entries"] * (10 * 1024 * 1024 // (len(poll["entries"]) * 5))
    (folder / "poll-10mb.json").write_text(json.dumps(poll), encoding="utf-8")
    assert (folder / "poll-10mb.json").stat().st_size > 10_000_000
    assert len(big) > 10_000_000
    return folder


def test_the_corpus_holds_at_least_thirty_files_each_in_a_table() -> None:
    """tests/data/bad has 30+ files and every one is in a table of expected answers."""
    names = {p.name for p in BAD.iterdir()}
    assert len(names) + 2 >= 32 and len(names) >= 30
    assert names | {"officials-10mb.csv", "poll-10mb.json"} == set(OFFICIALS) | set(POLLS)


@pytest.mark.parametrize("name", sorted(OFFICIALS))
def test_a_bad_officials_list_gets_its_message_and_the_database_is_unchanged(
    name: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploading the file on the setup page shows its Vietnamese message (or reads the right
    names as plain text, with its warning when it has one) and writes nothing to the
    database."""
    db = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(db))
    Store(db).set_admin_pin(ADMIN_PIN)  # no poll: the page opens a new poll's form
    at = AppTest.from_file(SETUP, default_timeout=60).run()
    at.text_input(key="access.admin.pin").input(ADMIN_PIN)  # creating needs the administrator
    at = next(b for b in at.button if b.label == "Mở quyền quản trị").click().run()
    before = dump(db)  # after the administrator's guess, which is kept
    at.file_uploader(key="setup.upload").upload(name, (corpus / name).read_bytes(), "text/csv")
    at = at.run()
    if any(b.key == "setup.import" for b in at.button):  # the file was read: put it in
        at = at.button(key="setup.import").click().run()
    assert not at.exception
    said = [e.value.replace("\\", "").replace("\u2060", "") for e in [*at.error, *at.warning]]
    expected = OFFICIALS[name]
    names, fragment = (
        expected if isinstance(expected, tuple) else (None, expected)
        if isinstance(expected, str) else (expected, None)
    )  # fmt: skip
    if fragment is not None:
        assert any(fragment in s for s in said), said
    if names is not None:
        table = list(at.data_editor[0].value["Họ và tên"])
        assert table == names
        assert all(unicodedata.is_normalized("NFC", n) and n.isprintable() for n in table)
    assert dump(db) == before


@pytest.mark.parametrize("name", sorted(POLLS))
def test_a_bad_poll_file_is_refused_with_its_message_and_nothing_stored(
    name: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`tinnhiem import` of the file exits 2 with one Vietnamese line naming the fault, and
    the database is byte for byte what it was."""
    db = tmp_path / "tinnhiem.db"
    Store(db).create_demo(pin="1234")
    before = dump(db)
    code = cli.main(["import", str(corpus / name), "--db", str(db)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert POLLS[name] in err
    assert dump(db) == before


POLLS_DATA = ROOT / "tests" / "data" / "polls"
EDGES = sorted(p.name for p in POLLS_DATA.glob("bad-edge-*.json"))
EDGE_ERRORS = json.loads((POLLS_DATA / "errors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", EDGES)
def test_an_edge_poll_file_is_refused_by_import_in_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`tinnhiem import` of each edge file (huge integers, deep nesting, empty file, wrong
    extension types, limits) exits 2 with one line naming the field; nothing is stored."""
    db = tmp_path / "tinnhiem.db"
    Store(db).create_demo(pin="1234")
    before = dump(db)
    code = cli.main(["import", str(POLLS_DATA / name), "--db", str(db)])
    out, err = capsys.readouterr()
    field, fragment, _ = EDGE_ERRORS[name]
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    assert err.startswith(f"{field}: ") and fragment in err
    assert dump(db) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    """A poll file over limits.MAX_FILE_MB is refused as a whole (F24), however it looks."""
    from tinnhiem import limits
    from tinnhiem.pollfile import parse_poll_file

    big = b'{"format": "tinnhiem/1", "x-pad": "' + b"x" * (limits.MAX_FILE_MB << 20) + b'"}'
    with pytest.raises(PollError) as caught:
        parse_poll_file(big)
    assert caught.value.problem.code == "F24"
    assert "tệp quá lớn" in str(caught.value)


def _exported(store: Store) -> dict:
    poll_id = store.create_demo(pin="1234")
    return store.export_data(poll_id)


# An edit of an exported file's x-tinnhiem, and the code the archive reader must give.
EXTENSION_EDITS = {
    "X01": lambda ext: ext.update(state="open"),
    "X02": lambda ext: ext.update(mode="both"),
    "X03": lambda ext: ext.update(ballot_log=["phiếu 1"]),
    "X04": lambda ext: ext["ballot_log"][0].update(entry_no=2),
    "X05": lambda ext: ext["ballot_log"][0].update(marks="X"),
    "X07": lambda ext: ext["audit"][0].update(actor="người khác"),
}


@pytest.mark.parametrize("code", sorted(EXTENSION_EDITS))
def test_a_tampered_export_is_refused_with_its_code(code: str, tmp_path: Path) -> None:
    """Each inconsistency of an exported file's extension has its own registered code, and
    the import writes nothing."""
    store = Store(tmp_path / "tinnhiem.db")
    data = _exported(store)
    EXTENSION_EDITS[code](data["x-tinnhiem"])
    before = dump(store.path)
    with pytest.raises(PollError) as caught:
        store.import_file(json.dumps(data, ensure_ascii=False))
    assert caught.value.problem.code == code
    assert caught.value.problem.field.startswith("x-tinnhiem.")
    assert dump(store.path) == before


def test_a_totals_export_with_typed_ballots_is_refused(tmp_path: Path) -> None:
    """An export in totals mode that also carries typed ballots is refused ("X06")."""
    store = Store(tmp_path / "tinnhiem.db")
    entries = _exported(store)
    data = json.loads((POLLS_DATA / "vinh-phuc-2023-totals.json").read_text(encoding="utf-8"))
    poll_id = store.import_file(json.dumps(data))
    totals = store.export_data(poll_id)
    totals["x-tinnhiem"]["ballot_log"] = entries["x-tinnhiem"]["ballot_log"][:1]
    with pytest.raises(PollError) as caught:
        store.import_file(json.dumps(totals, ensure_ascii=False))
    assert caught.value.problem.code == "X06"


def test_the_setup_page_import_refuses_what_the_command_line_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with `entries` given twice is refused on the setup page too (F16), with the
    same line as `tinnhiem import`, and nothing is stored."""
    db = tmp_path / "tinnhiem.db"
    monkeypatch.setenv("TINNHIEM_DB", str(db))
    Store(db).set_admin_pin(ADMIN_PIN)  # importing needs the administrator
    text = (POLLS_DATA / "vinh-phuc-2023-entries.json").read_text(encoding="utf-8")
    twice = text.replace('"entries": [', '"entries": [], "entries": [', 1).encode()
    at = AppTest.from_file(SETUP, default_timeout=60).run()
    at = unlock_admin(at) if admin_gate_shown(at) else at
    before = dump(db)  # after the administrator's PIN (its guess is kept)
    at.session_state["setup.import_open"] = True  # the box opened
    at = at.run()
    at.file_uploader(key="setup.json").upload("hai-lan.json", twice, "application/json")
    at = at.run()
    at = at.button(key="setup.import_json").click().run()
    assert not at.exception
    said = [e.value.replace("\\", "") for e in at.error]
    assert any("entries: khóa này xuất hiện hai lần" in s for s in said), said
    assert dump(db) == before


def _officials_form_problems() -> None:
    import streamlit as st

    from tinnhiem.ui import officials_editor as oe

    row = dict.fromkeys(oe.COLUMNS, "")
    st.session_state["setup.officials"] = [
        {**row, oe.STT: 1, oe.POSITION: "Chủ tịch"},
        {**row, oe.STT: 2, oe.NAME: "Trần Văn B", oe.EXEMPT: oe.OTHER_REASON},
    ]
    for problem in oe.current_officials()[1]:
        st.text(f"{problem.code} {problem}")


def test_the_officials_form_names_rows_without_a_name_or_a_reason() -> None:
    """A row with a position but no name ("U01") and "Lý do khác" without the reason ("U02")
    are reported with their row numbers."""
    at = AppTest.from_function(_officials_form_problems).run()
    assert [t.value for t in at.text] == [
        "U01 officials: dòng 1: thiếu họ và tên; điền tên hoặc xóa dòng đó.",
        "U02 officials: dòng 2: chọn “Lý do khác” thì ghi lý do ở cột bên cạnh.",
    ]


def test_an_import_prepares_every_row_before_it_takes_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing a plain file hashes every audit link outside the write transaction, so a
    counting station waits only for the inserts; the imported chain then verifies."""
    from contextlib import contextmanager

    from tinnhiem.storage import archive

    store = Store(tmp_path / "tinnhiem.db")
    inside: list[bool] = [False]
    hashed_inside: list[bool] = []
    write, entry_hash = store._pool.write, archive.entry_hash

    @contextmanager
    def watched_write(*args):
        with write(*args) as conn:
            inside[0] = True
            try:
                yield conn
            finally:
                inside[0] = False

    def watched_hash(*args):
        hashed_inside.append(inside[0])
        return entry_hash(*args)

    monkeypatch.setattr(store._pool, "write", watched_write)
    monkeypatch.setattr(archive, "entry_hash", watched_hash)
    poll_id = store.import_file((POLLS_DATA / "vinh-phuc-2023-entries.json").read_bytes())
    assert len(hashed_inside) == 2 + 47  # create, open and one link per ballot
    assert not any(hashed_inside)
    assert store.verify(poll_id).ok
