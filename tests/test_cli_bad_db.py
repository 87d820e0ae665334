"""A --db file that is not the app's database: one Vietnamese line on stderr, exit 2, the
file untouched, whatever the command (exit 1 stays 'audit chain broken')."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tinnhiem import cli
from tinnhiem.storage import NotOurDatabase, Store

SAMPLE = Path(__file__).parent / "data"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of one command (SystemExit counts as its code)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def _notes(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("Ghi chú cuộc họp: không phải cơ sở dữ liệu.\n" * 50, encoding="utf-8")
    return path


def _other_program(folder: Path) -> Path:
    path = folder / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('x')")
    conn.commit()
    conn.close()
    return path


def _tinnhiem_edited(folder: Path, sql: str) -> Path:
    path = folder / "edited.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return path


BAD_FILES = {
    "a text file": (_notes, "không phải cơ sở dữ liệu SQLite"),
    "random bytes": (
        lambda f: (f / "x.db").write_bytes(bytes(range(256)) * 20) and f / "x.db",
        "không phải cơ sở dữ liệu SQLite",
    ),
    "another program's database": (_other_program, "không phải của tinnhiem"),
    "a migration row deleted": (
        lambda f: _tinnhiem_edited(
            f, "DELETE FROM _sqlite_migrations WHERE name = '0002_chain_head'"
        ),
        "thiếu bước nâng cấp 0002_chain_head",
    ),
    "every migration row deleted": (
        lambda f: _tinnhiem_edited(f, "DELETE FROM _sqlite_migrations"),
        "không phải của tinnhiem",
    ),
    "a newer version's database": (
        lambda f: _tinnhiem_edited(
            f,
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('tinnhiem', '9999_future', '2030-01-01')",
        ),
        "phiên bản tinnhiem mới hơn",
    ),
    "a table dropped": (
        lambda f: _tinnhiem_edited(f, "DROP TABLE totals"),
        "thiếu bảng totals",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_verify_on_a_file_that_is_not_the_apps_database_prints_one_line_and_exits_2(
    capsys, tmp_path, case
) -> None:
    """verify --db on such a file: exit 2, one Vietnamese line naming the file and what is
    wrong, no traceback, the file byte for byte as it was and nothing made beside it."""
    make, reason = BAD_FILES[case]
    path = make(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, out, err = run(capsys, "verify", "--db", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert str(path) in err and reason in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


COMMANDS = {
    "verify": ["verify"],
    "export": ["export", "1", "-o", "{out}"],
    "import": ["import", str(SAMPLE / "polls" / "nothing-counted.json")],
    "demo": ["demo"],
    "backup": ["backup", "-o", "{out}"],
    "restore": ["restore", "{backup}"],
    "minutes": ["minutes", "1", "-o", "{out}.pdf"],
    "app": ["app"],
}


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_every_db_command_refuses_a_text_file_in_one_line(
    capsys, tmp_path, monkeypatch, command
) -> None:
    """Every command taking --db, given notes.txt, exits 2 with one Vietnamese line and
    leaves the file as it was."""
    monkeypatch.setenv("TINNHIEM_DB", str(tmp_path / "unused.db"))  # app sets it
    notes = _notes(tmp_path)
    backup = tmp_path / "backup.db"
    Store(backup).close()
    before = notes.read_bytes()
    argv = [a.format(out=tmp_path / "out", backup=backup) for a in COMMANDS[command]] + [
        "--db",
        str(notes),
    ]
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "notes.txt" in err
    assert "Traceback" not in err
    assert notes.read_bytes() == before


def test_an_empty_file_given_to_verify_is_refused_not_made_a_database(capsys, tmp_path) -> None:
    """verify --db on an empty file says it is empty (exit 2) and leaves it empty."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "verify", "--db", str(empty))
    assert code == 2 and "tệp rỗng" in err
    assert empty.read_bytes() == b""


def test_the_store_refuses_such_a_file_with_not_our_database(tmp_path) -> None:
    """Store() on another program's database raises NotOurDatabase and writes nothing."""
    path = _other_program(tmp_path)
    before = path.read_bytes()
    with pytest.raises(NotOurDatabase, match="không phải của tinnhiem"):
        Store(path)
    assert path.read_bytes() == before


def test_a_database_of_an_older_version_is_still_migrated(tmp_path) -> None:
    """A file whose migrations stop early (an older tinnhiem) is not refused but migrated."""
    from sqlite_utils import Database

    from tinnhiem.storage.migrate import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations().apply(db, stop_before="0004_access")
    db.close()
    store = Store(path)
    assert store.verify().ok
    assert store.list_polls() == []
