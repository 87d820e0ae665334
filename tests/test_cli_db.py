"""The database commands of ``tinnhiem``: export, import, verify, demo, app (tinnhiem.cli)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from db_dump import dump

from tinnhiem import cli
from tinnhiem.storage import TRIGGER_NAMES, Store

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "tinnhiem.db"


@pytest.fixture
def demo(capsys, db: Path) -> int:
    code, out, _ = run(capsys, "demo", "--db", str(db))
    assert code == 0
    return int(out)


def test_demo_creates_the_demo_poll_and_prints_its_id(db, demo):
    """`tinnhiem demo` creates the counting demo poll with 31 ballots and prints its id."""
    store = Store(db)
    assert demo == 1
    assert store.state(demo) == "counting"
    assert store.ballot_count(demo) == 31
    assert {b.station for b in store.ballots(demo)} == {"Máy 1", "Máy 2"}


def test_export_writes_a_poll_file_that_tally_reads(capsys, tmp_path, db, demo):
    """`tinnhiem export` writes a poll file that `tinnhiem tally` accepts."""
    target = tmp_path / "demo.json"
    code, out, _ = run(capsys, "export", str(demo), "-o", str(target), "--db", str(db))
    assert (code, out) == (0, "")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "tinnhiem/1"
    assert len(data["entries"]) == 31
    code, out, err = run(capsys, "tally", str(target))
    assert (code, err) == (0, "")
    assert json.loads(out)["ballots"]["counted"] == 31


def test_import_restores_an_export_under_a_new_id(capsys, tmp_path, db, demo):
    """`tinnhiem import` prints the new id, and the copy exports like the original."""
    target = tmp_path / "demo.json"
    run(capsys, "export", str(demo), "-o", str(target), "--db", str(db))
    code, out, err = run(capsys, "import", str(target), "--db", str(db))
    assert (code, err) == (0, "")
    copy = int(out)
    assert copy == demo + 1
    store = Store(db)
    original, restored = store.export_data(demo), store.export_data(copy)
    del original["x-tinnhiem"]["poll_id"], restored["x-tinnhiem"]["poll_id"]
    assert restored == original


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "tinnhiem/1", "rules": "nq96-2023"}', "^kind: thiếu trường bắt buộc"),
        ("{not json", r"^\(tệp\): JSON sai ở dòng 1"),
        (
            '{"format": "tinnhiem/1", "kind": "poll", "rules": "nq96-2023", '
            '"members": {"total": 5, "present": 5}, "ballots": {"issued": 5, "collected": 6},'
            ' "officials": [{"name": "A", "position": ""}]}',
            r"^ballots\.collected: số phiếu thu về \(6\) lớn hơn",
        ),
    ],
    ids=["missing field", "malformed JSON", "impossible count"],
)
@pytest.mark.usefixtures("demo")
def test_import_of_a_bad_file_exits_2_and_writes_nothing(capsys, tmp_path, db, content, message):
    """A bad poll file: exit 2, one stderr line naming the field, nothing stored."""
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = dump(db)
    code, out, err = run(capsys, "import", str(bad), "--db", str(db))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert re.search(message, err), err
    assert dump(db) == before


def test_import_of_a_missing_file_exits_2(capsys, tmp_path, db):
    """A file that cannot be read is a bad input: exit 2 with the reason."""
    code, out, err = run(capsys, "import", str(tmp_path / "none.json"), "--db", str(db))
    assert (code, out) == (2, "")
    assert "không đọc được tệp" in err


def test_verify_of_a_sound_database_exits_0(capsys, db, demo):
    """`tinnhiem verify` says the chain is valid and exits 0."""
    code, out, _ = run(capsys, "verify", "--db", str(db))
    assert code == 0
    assert out.startswith("Chuỗi kiểm toán hợp lệ (mọi đợt lấy phiếu): 33 mục nhật ký")
    code, out, _ = run(capsys, "verify", str(demo), "--db", str(db))
    assert code == 0 and "đợt lấy phiếu số 1" in out


@pytest.mark.usefixtures("demo")
def test_verify_of_a_hand_edited_file_exits_1_with_the_report(db):
    """After a ballot is changed by hand, the `tinnhiem verify` process exits 1 and says which."""
    conn = sqlite3.connect(db, isolation_level=None)
    for name in TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE ballots SET marks = '33333333333' WHERE entry_no = 12")
    conn.execute("DELETE FROM audit WHERE seq = 20")
    conn.close()
    result = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "verify", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Chuỗi kiểm toán KHÔNG hợp lệ (mọi đợt lấy phiếu):")
    assert "- Đợt lấy phiếu số 1 — Nhật ký mục 21: không nối với mục trước" in result.stdout
    assert "Phiếu số 12: nội dung trong bảng phiếu khác với nhật ký (marks: “33333333333”" in (
        result.stdout
    )
    assert f"thiếu {len(TRIGGER_NAMES)} trigger bảo vệ" in result.stdout


@pytest.mark.parametrize("command", [["verify", "9"], ["export", "9", "-o", "x.json"]])
@pytest.mark.usefixtures("demo")
def test_unknown_poll_exits_2(capsys, tmp_path, db, command):
    """Naming a poll that does not exist gives one line on stderr and exit 2."""
    code, out, err = run(capsys, *command, "--db", str(db))
    assert (code, out, err) == (2, "", "Không có đợt lấy phiếu số 9.\n")
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("command", [["verify"], ["export", "1", "-o", "x.json"]])
def test_a_missing_database_is_not_created(capsys, tmp_path, command):
    """verify and export on a database file that does not exist exit 2 and create nothing."""
    missing = tmp_path / "typo.db"
    code, out, err = run(capsys, *command, "--db", str(missing))
    assert (code, out) == (2, "")
    assert err == f"{missing}: không có tệp cơ sở dữ liệu này (xem --db, TINNHIEM_DB).\n"
    assert not missing.exists()


def test_db_defaults_to_the_environment(capsys, monkeypatch, tmp_path):
    """Without --db the commands use $TINNHIEM_DB."""
    monkeypatch.setenv("TINNHIEM_DB", str(tmp_path / "env.db"))
    code, out, _ = run(capsys, "demo")
    assert (code, out) == (0, "1\n")
    assert Store(tmp_path / "env.db").ballot_count(1) == 31


def test_app_creates_the_demo_and_starts_streamlit(capsys, monkeypatch, tmp_path, db):
    """`tinnhiem app` fills an empty database with the demo, then runs the server where it is
    started (no change of directory) and returns the server's exit status."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TINNHIEM_DB", "unused")
    started = []
    monkeypatch.setattr(cli, "_run_server", lambda command: started.append(command) or 3)
    assert run(capsys, "app", "--port", "8765", "--db", str(db))[0] == 3
    assert started == [[sys.executable, "-m", "tinnhiem.ui.server", "--server.port", "8765"]]
    assert Path.cwd() == tmp_path
    assert cli.os.environ["TINNHIEM_DB"] == str(db.resolve())
    assert [p.title for p in Store(db).list_polls()] == [
        "Kỳ họp thứ mười bốn, HĐND tỉnh khóa XVII, nhiệm kỳ 2021 – 2026"
    ]
    run(capsys, "app", "--db", str(db))
    assert len(Store(db).list_polls()) == 1  # not a second demo
    assert started[1][-1] == "8501"


def test_app_gives_the_first_start_demo_the_demo_pin(capsys, monkeypatch, db):
    """The demo made by `tinnhiem app` on an empty database opens with PIN 1234."""
    monkeypatch.setattr(cli, "_run_server", lambda _command: 0)
    run(capsys, "app", "--db", str(db))
    (demo,) = Store(db).list_polls()
    assert Store(db).check_pin(demo.id, "1234")


def test_lan_mode_binds_every_address_only_when_every_open_poll_has_a_pin(capsys, monkeypatch, db):
    """`app --lan` refuses (exit 2, Vietnamese) without an administrator's PIN of 6+ digits
    or while an unlocked poll (but the untouched demo) has no PIN of 6+ digits, then binds
    0.0.0.0; without --lan the address stays the config's 127.0.0.1."""
    started = []
    monkeypatch.setattr(cli, "_run_server", lambda command: started.append(command) or 0)
    store = Store(db)
    store.ensure_demo(pin="1234")  # the untouched demo: its PIN is public anyway
    bare = store.create_demo()  # no PIN, like an imported poll
    code, _, err = run(capsys, "app", "--lan", "--db", str(db))
    assert code == 2 and started == [] and "chưa đặt mã quản trị" in err
    store.set_admin_pin("12345")
    code, _, err = run(capsys, "app", "--lan", "--db", str(db))
    assert code == 2 and started == [] and "mã quản trị ngắn hơn 6 chữ số" in err
    store.set_admin_pin("123456")
    code, _, err = run(capsys, "app", "--lan", "--db", str(db))
    assert code == 2 and started == []
    assert f"cuộc kiểm phiếu #{bare} chưa có mã PIN từ 6 chữ số trở lên" in err
    assert "--server.address" not in " ".join(map(str, started))
    run(capsys, "app", "--db", str(db))
    assert "--server.address" not in started[0]
    store.set_pin(bare, "55555")  # five digits: enough on one laptop, not on the network
    assert run(capsys, "app", "--lan", "--db", str(db))[0] == 2
    store.set_pin(bare, "555555")
    code, _, _ = run(capsys, "app", "--lan", "--db", str(db))
    assert started[1][-2:] == ["--server.address", "0.0.0.0"]


def test_a_locked_poll_without_a_pin_does_not_stop_lan_mode(capsys, monkeypatch, db):
    """A locked poll cannot change any more, so LAN mode does not ask it for a PIN."""
    started = []
    monkeypatch.setattr(cli, "_run_server", lambda command: started.append(command) or 0)
    store = Store(db)
    store.set_admin_pin("123456")
    poll_id = store.create_demo(pin=None)
    for marks in [b.marks for b in store.ballots(poll_id)][:16]:
        store.add_ballot(poll_id, marks)
    store.close_count(poll_id)
    store.lock(poll_id)
    assert run(capsys, "app", "--lan", "--db", str(db))[0] == 0
    assert "0.0.0.0" in started[0]


def test_xsrf_protection_stays_on():
    """The app's config keeps Streamlit's XSRF protection on and the CLI never turns it off."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["address"] == "127.0.0.1"
    source = (ROOT / "tinnhiem" / "cli.py").read_text(encoding="utf-8")
    assert "enableXsrfProtection" not in source and "enableCORS" not in source


@pytest.mark.parametrize(
    "statements",
    [
        ["UPDATE ballots SET marks = '22222222222' WHERE entry_no = 4"],
        ["DELETE FROM ballots WHERE entry_no = 31"],
        [
            "UPDATE ballots SET marks = 'tmp' WHERE entry_no = 1",
            "UPDATE ballots SET marks = (SELECT marks FROM ballots WHERE entry_no = 2)"
            " WHERE entry_no = 1",
        ],
        ["DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)"],
    ],
    ids=["changed", "deleted", "swapped", "log-entry-removed"],
)
@pytest.mark.usefixtures("demo")
def test_verify_exits_1_on_each_kind_of_hand_edit(capsys, db, statements):
    """A ballot changed, deleted, two swapped, or the last log entry removed: exit 1."""
    conn = sqlite3.connect(db, isolation_level=None)
    for name in TRIGGER_NAMES:
        conn.execute(f"DROP TRIGGER {name}")
    first, second = (r[0] for r in conn.execute("SELECT marks FROM ballots WHERE entry_no <= 2"))
    assert first != second  # so that swapping them is a real change
    for statement in statements:
        conn.execute(statement)
    if "tmp" in statements[0]:
        conn.execute("UPDATE ballots SET marks = ? WHERE entry_no = 2", (first,))
    conn.close()
    code, out, _ = run(capsys, "verify", "--db", str(db))
    assert code == 1
    assert out.startswith("Chuỗi kiểm toán KHÔNG hợp lệ")
    problems = [line for line in out.splitlines() if line.startswith("- ")]
    assert [p for p in problems if "trigger" not in p]  # the edit itself, not only the triggers
