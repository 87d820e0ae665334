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
from streamlit.testing.v1 import AppTest

from tinnhiem import cli
from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
SETUP = str(ROOT / "pages" / "setup.py")
NO_HEADER = "Không tìm thấy dòng tiêu đề"

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
    "officials-xls-renamed.xlsx": "Tệp Excel kiểu cũ (.xls) chưa được hỗ trợ",
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
    "poll-10mb.json": "nhiều hơn số phiếu thu về (47)",
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
    names as plain text) and writes nothing to the database."""
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
    said = [e.value.replace("\\", "") for e in [*at.error, *at.warning]]
    expected = OFFICIALS[name]
    if isinstance(expected, str):
        assert any(expected in s for s in said), said
    else:
        table = list(at.data_editor[0].value["Họ và tên"])
        assert table == expected
        assert all(unicodedata.is_normalized("NFC", n) for n in table)
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
