"""Poll identity in the store (migration 0010): id, point and person kept, exported,
imported, and a new point of a poll made from its exported file."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace

import pytest
from combine_files import DONG, POLL_ID, TAY, locked, write

from tinnhiem.cli import main
from tinnhiem.combine import new_point
from tinnhiem.demo import demo_poll
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.problems import PollError
from tinnhiem.storage import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def test_every_new_poll_gets_its_own_uuid(store):
    """A poll made without an id gets a version-4 UUID; two polls never share one."""
    first = store.get_poll(store.create_poll(demo_poll(entered=None)))
    second = store.get_poll(store.create_poll(demo_poll(entered=None)))
    assert uuid.UUID(first.id).version == 4 and first.id != second.id


def test_id_point_and_person_are_kept_and_survive_an_update(store):
    """A poll made with an identity keeps it, and an update of its setting keeps the id."""
    poll_id = store.create_poll(replace(DONG, entries=None))
    stored = store.get_poll(poll_id)
    assert (stored.id, stored.point, stored.officials[0].person) == (
        POLL_ID,
        "Thôn Đông",
        "CB-001",
    )
    store.update_poll(poll_id, replace(DONG, entries=None, title="Đợt khác", id=None))
    assert store.get_poll(poll_id).id == POLL_ID
    assert store.verify(poll_id).ok


def test_an_update_from_the_setup_form_keeps_point_and_persons(store):
    """A setting saved without point or persons (the form shows neither) keeps the stored
    ones; an official renamed loses the person of the old name."""
    known = (DONG.officials[0], replace(DONG.officials[1], person="CB-002"), DONG.officials[2])
    poll_id = store.create_poll(replace(DONG, entries=None, officials=known))
    bare = tuple(replace(o, person=None) for o in known)
    renamed = (bare[0], replace(bare[1], name="Trần Thị Bính"), bare[2])
    store.update_poll(poll_id, replace(DONG, entries=None, point=None, officials=renamed))
    stored = store.get_poll(poll_id)
    assert stored.point == "Thôn Đông"
    assert [o.person for o in stored.officials] == ["CB-001", None, None]
    assert store.verify(poll_id).ok


def test_export_carries_the_identity_and_import_keeps_it(store, tmp_path):
    """The exported file has id, point and person; importing it, plain or with its log,
    gives a poll of the same identity."""
    path = locked(tmp_path / "dong.json", DONG)
    data = json.loads(path.read_text("utf-8"))
    assert (data["id"], data["point"], data["officials"][0]["person"]) == (
        POLL_ID,
        "Thôn Đông",
        "CB-001",
    )
    restored = store.get_poll(store.import_data(data))
    plain = dict(data)
    del plain["x-tinnhiem"]
    fresh = store.get_poll(store.import_data(plain))
    for poll in (restored, fresh):
        assert (poll.id, poll.point, poll.officials[0].person) == (
            POLL_ID,
            "Thôn Đông",
            "CB-001",
        )
    assert store.verify().ok


def test_the_point_of_a_locked_file_is_sealed_by_its_chain(capsys, tmp_path):
    """Renaming the point of a locked export breaks its audit record: combine refuses it."""
    path = locked(tmp_path / "dong.json", DONG)
    data = json.loads(path.read_text("utf-8"))
    data["point"] = "Thôn Tây"
    write(path, data)
    assert main(["combine", str(path)]) == 2
    assert "nhật ký kiểm toán không khớp" in capsys.readouterr().err


def test_the_id_of_a_locked_file_is_sealed_by_its_lock(capsys, tmp_path):
    """Changing the id of a locked export (to join another poll) breaks it: refused."""
    path = locked(tmp_path / "dong.json", DONG)
    data = json.loads(path.read_text("utf-8"))
    assert data["x-tinnhiem"]["audit"][-1]["payload"]["id"] == POLL_ID
    data["id"] = "another-poll"
    write(path, data)
    assert main(["combine", str(path)]) == 2
    assert "khác với mã ghi lúc khóa (6a1f0c2e" in capsys.readouterr().err


def test_migration_0010_gives_existing_polls_an_id(store):
    """Polls stored before 0010, a locked one included, get distinct UUIDs and still verify."""
    open_one = store.create_poll(demo_poll(entered=None))
    closed = store.create_demo()
    store.close_count(closed, reason="minh họa")
    store.lock(closed)
    store.close()
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("DROP INDEX polls_by_uid")
    for table, column in (("polls", "uid"), ("polls", "point"), ("officials", "person")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    # and what later migrations made: a file as 0009 left it (a gap in the recorded
    # migrations is a hand-edited file, refused)
    for table in ("decisions", "pass_ballots", "pass_ends", "passes", "stacks"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE polls DROP COLUMN passes_required")
    conn.execute("DROP TABLE rule_sets")  # 0012
    conn.execute("ALTER TABLE polls DROP COLUMN rule_set")
    conn.execute("DROP TABLE scan_images")  # 0013
    conn.execute("DELETE FROM _sqlite_migrations WHERE name >= '0010_poll_identity'")
    conn.close()
    again = Store(store.path)
    ids = [again.get_poll(p).id for p in (open_one, closed)]
    assert all(uuid.UUID(i).version == 4 for i in ids) and ids[0] != ids[1]
    assert again.state(closed) == "locked"
    assert again.verify().ok
    again.close()


def test_a_new_point_keeps_the_poll_and_starts_empty():
    """A new point has the file's id, setting and officials, and nothing of its counts."""
    point = new_point(DONG, "Thôn Tây")
    assert (point.id, point.point, point.officials, point.rules) == (
        POLL_ID,
        "Thôn Tây",
        DONG.officials,
        DONG.rules,
    )
    assert (point.members.total, point.issued, point.collected, point.mode) == (0, 0, 0, "empty")


@pytest.mark.parametrize(
    ("poll", "name", "code"),
    [(replace(DONG, id=None), "Thôn Tây", "G10"), (DONG, "Thôn Đông", "G11"), (DONG, " ", "F25")],
)
def test_a_new_point_is_refused_without_id_or_with_the_same_name(poll, name, code):
    """A file without id, its own point again, or a blank name cannot make a new point."""
    with pytest.raises(PollError) as caught:
        new_point(poll, name)
    assert caught.value.problem.code == code


def test_points_made_on_two_databases_combine_into_one_locked_result(capsys, tmp_path):
    """The commune exports its poll; a second laptop makes the other point from that file
    (tinnhiem point), counts and locks it; both exports combine, locked, into one result."""
    dong = locked(tmp_path / "dong.json", DONG)
    db = tmp_path / "tay.db"
    assert main(["point", str(dong), "Thôn Tây", "--db", str(db)]) == 0
    poll_id = int(capsys.readouterr().out)
    store = Store(db)
    made = store.get_poll(poll_id)
    assert (made.id, made.point, made.officials, made.members.total) == (
        POLL_ID,
        "Thôn Tây",
        DONG.officials,
        0,
    )
    store.update_poll(poll_id, replace(made, members=TAY.members, issued=4, collected=4))
    store.open_count(poll_id)
    for entry in TAY.entries or ():
        store.add_ballot(poll_id, entry)
    store.close_count(poll_id)
    store.lock(poll_id)
    tay = write(tmp_path / "tay.json", store.export_data(poll_id))
    store.close()
    assert main(["combine", str(dong), str(tay)]) == 0
    poll = json.loads(capsys.readouterr().out)["polls"][0]
    assert (poll["locked"], poll["points"]) == (True, ["Thôn Đông", "Thôn Tây"])
    assert poll["tally"]["ballots"]["collected"] == 10
    assert parse_poll_file(tay.read_bytes()).point == "Thôn Tây"


def test_point_refuses_a_file_without_id_in_one_line(capsys, tmp_path, polls_dir):
    """``tinnhiem point`` on a file without id: exit 2, one line naming the file."""
    path = polls_dir / "vinh-phuc-2023-totals.json"
    assert main(["point", str(path), "Thôn Tây", "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: id: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "x.db").exists()
