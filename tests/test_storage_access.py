"""The counting board's PIN: format, slow salted hash, attempts limited in the file
(tinnhiem.storage.access)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import PinLocked, PollLocked, PollNotFound, Store, StoreError, access


def small_poll(collected: int = 3) -> Poll:
    """Five members, all present, two officials on the ballot."""
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=5, present=5),
        issued=collected,
        collected=collected,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị B", "Ủy viên")),
    )


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(access, "_clock", fake)
    return fake


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "tinnhiem.db")


@pytest.fixture
def poll_id(store: Store) -> int:
    return store.create_poll(small_poll(), actor="thư ký", pin="2468")


def wrong(store: Store, poll_id: int, times: int) -> None:
    """Enter a wrong PIN ``times`` times, each answered False."""
    for _ in range(times):
        assert store.check_pin(poll_id, "1111") is False


@pytest.mark.parametrize("pin", ["1234", "0000", "123456789012"])
def test_a_pin_of_4_to_12_digits_is_accepted(store, pin):
    """4 and 12 digits (leading zeros too) are valid PINs and check true afterwards."""
    poll_id = store.create_poll(small_poll(), pin=pin)
    assert store.has_pin(poll_id)
    assert store.check_pin(poll_id, pin) is True


@pytest.mark.parametrize(
    "pin", ["123", "1234567890123", "12a4", "abcd", "", "12 34", " 1234", "١٢٣٤", "１２３４"]
)
def test_a_pin_that_is_not_4_to_12_digits_is_refused_and_nothing_stored(store, pin):
    """3 or 13 digits, letters, spaces and non-ASCII digits are refused before any write."""
    with pytest.raises(StoreError, match="4 đến 12 chữ số"):
        store.create_poll(small_poll(), pin=pin)
    assert store.list_polls() == []
    poll_id = store.create_poll(small_poll())
    with pytest.raises(StoreError, match="4 đến 12 chữ số"):
        store.set_pin(poll_id, pin)
    assert not store.has_pin(poll_id)


def test_a_poll_without_pin_has_none_and_matches_nothing(store):
    """has_pin is False and check_pin answers False when no PIN was set."""
    poll_id = store.create_poll(small_poll())
    assert store.has_pin(poll_id) is False
    assert store.check_pin(poll_id, "1234") is False


def test_the_pin_can_be_set_in_every_state_but_locked(store):
    """set_pin works in setup, counting and closed, and raises PollLocked once locked."""
    poll_id = store.create_poll(small_poll(1))
    store.set_pin(poll_id, "1111")
    store.open_count(poll_id)
    store.set_pin(poll_id, "2222")
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id)
    store.set_pin(poll_id, "3333")
    store.lock(poll_id)
    with pytest.raises(PollLocked, match="đã khóa"):
        store.set_pin(poll_id, "4444")
    assert store.check_pin(poll_id, "3333") is True
    with pytest.raises(PollNotFound, match="số 99"):
        store.set_pin(99, "1234")
    with pytest.raises(PollNotFound, match="số 99"):
        store.check_pin(99, "1234")
    assert store.verify().ok


def test_raw_sql_cannot_change_the_pin_of_a_locked_poll(store):
    """The lock triggers guard the pins table too."""
    poll_id = store.create_poll(small_poll(1), pin="1234")
    store.open_count(poll_id)
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id)
    store.lock(poll_id)
    conn = sqlite3.connect(store.path)
    try:
        for sql in ("UPDATE pins SET hash = x'00'", "DELETE FROM pins"):
            with pytest.raises(sqlite3.IntegrityError, match="đã khóa"):
                conn.execute(sql)
    finally:
        conn.close()


@pytest.mark.real_pin_cost
def test_the_pin_is_stored_as_a_salted_scrypt_hash(store):
    """Two polls with one PIN get different salts and hashes; neither holds the PIN."""
    first = store.create_poll(small_poll(), pin="246813")
    second = store.create_poll(small_poll(), pin="246813")
    conn = sqlite3.connect(store.path)
    try:
        found = conn.execute("SELECT scheme, salt, hash FROM pins ORDER BY poll_id").fetchall()
    finally:
        conn.close()
    assert [r[0] for r in found] == ["scrypt:16384:8:1"] * 2
    assert found[0][1] != found[1][1] and found[0][2] != found[1][2]
    assert all(len(r[1]) == 16 and b"246813" not in r[2] for r in found)
    assert store.check_pin(first, "246813") and store.check_pin(second, "246813")


def test_wrong_pins_are_counted_and_the_fifth_locks_for_30_seconds(store, poll_id, clock):
    """Four wrong PINs answer False; the fifth raises PinLocked saying to wait 30 s, and
    while locked even the right PIN is refused, with the seconds left."""
    wrong(store, poll_id, 4)
    with pytest.raises(PinLocked, match=r"sai mã PIN 5 lần.*chờ 30 giây") as locked:
        store.check_pin(poll_id, "1111")
    assert locked.value.wait_s == 30
    clock.now += 10
    with pytest.raises(PinLocked, match="chờ 20 giây") as still:
        store.check_pin(poll_id, "2468")
    assert still.value.wait_s == 20
    clock.now += 20
    assert store.check_pin(poll_id, "2468") is True


def test_each_further_failure_doubles_the_wait_up_to_15_minutes(store, poll_id, clock):
    """After the lock ends, each wrong PIN locks again for twice as long, at most 900 s."""
    wrong(store, poll_id, 4)
    waits = []
    for _ in range(7):
        with pytest.raises(PinLocked) as locked:
            store.check_pin(poll_id, "1111")
        waits.append(locked.value.wait_s)
        clock.now += locked.value.wait_s
    assert waits == [30, 60, 120, 240, 480, 900, 900]
    assert [access.wait_after(n) for n in (1, 4, 5, 6, 10, 11, 50)] == [0, 0, 30, 60, 900, 900, 900]


def test_the_wait_message_gives_minutes_for_long_waits(store, poll_id, clock):
    """A wait of a minute or more is also said in minutes."""
    wrong(store, poll_id, 4)
    for _ in range(5):
        with pytest.raises(PinLocked) as locked:
            store.check_pin(poll_id, "1111")
        clock.now += locked.value.wait_s
    with pytest.raises(PinLocked, match=r"chờ 900 giây \(khoảng 15 phút\)"):
        store.check_pin(poll_id, "1111")


@pytest.mark.usefixtures("clock")
def test_a_right_pin_resets_the_count(store, poll_id):
    """Four wrong, one right, then four wrong again: never locked."""
    wrong(store, poll_id, 4)
    assert store.check_pin(poll_id, "2468") is True
    wrong(store, poll_id, 4)
    assert store.check_pin(poll_id, "2468") is True


def test_failures_older_than_10_minutes_start_a_new_count(store, poll_id, clock):
    """Four wrong PINs, then 10 minutes later four more: the count started again."""
    wrong(store, poll_id, 4)
    clock.now += 601
    wrong(store, poll_id, 4)
    with pytest.raises(PinLocked, match="chờ 30 giây"):
        store.check_pin(poll_id, "1111")


@pytest.mark.usefixtures("clock")
def test_setting_a_new_pin_forgets_the_failures(store, poll_id):
    """set_pin replaces the PIN (the old one no longer matches) and clears the count."""
    wrong(store, poll_id, 4)
    store.set_pin(poll_id, "97531")
    assert store.check_pin(poll_id, "2468") is False
    wrong(store, poll_id, 3)
    assert store.check_pin(poll_id, "97531") is True


@pytest.mark.usefixtures("clock")
def test_the_limit_is_shared_by_every_store_on_the_file(store, poll_id):
    """Wrong PINs in two Store objects (two tabs, two processes) add up in the file."""
    other = Store(store.path)
    wrong(store, poll_id, 3)
    wrong(other, poll_id, 1)
    with pytest.raises(PinLocked, match="5 lần"):
        other.check_pin(poll_id, "1111")
    with pytest.raises(PinLocked, match="chờ 30 giây"):
        store.check_pin(poll_id, "2468")


HEX_RUN = re.compile(r"[0-9a-f]{16,}")  # a salt, a hash or a digest, never a 4–8-digit PIN


def test_the_pin_is_never_exported_nor_in_the_audit_log(store, poll_id):
    """The export and the audit log hold neither the PIN, its salt nor its hash; the log
    says that a PIN was set, with the SHA-256 of the stored hash (so a replaced hash shows)."""
    conn = sqlite3.connect(store.path)
    try:
        salt, digest = conn.execute("SELECT salt, hash FROM pins").fetchone()
        audit_text = json.dumps(conn.execute("SELECT * FROM audit").fetchall())
    finally:
        conn.close()
    exported = json.dumps(store.export_data(poll_id), ensure_ascii=False)
    for text in (exported, audit_text):
        assert salt.hex() not in text and digest.hex() not in text
        # The digests the chain carries are random hex and hold "2468" now and then (seen
        # in CI): the PIN must not be there outside them.
        assert "2468" not in HEX_RUN.sub("", text)
    entries = store.audit_log(poll_id)
    assert [(e.action, e.payload) for e in entries] == [
        ("create", entries[0].payload),
        ("pin_set", {"pin": access.pin_digest(access.SCHEME, salt, digest)}),
    ]
    imported = store.import_data(store.export_data(poll_id))
    assert not store.has_pin(imported)
    assert store.verify().ok


def test_the_demo_can_carry_a_pin(tmp_path):
    """ensure_demo(pin=…) and create_demo(pin=…) give the demo that PIN; the chain stays sound."""
    store = Store(tmp_path / "demo-pin.db")
    first = store.ensure_demo(pin="1234")
    second = store.create_demo(pin="98765")
    assert store.has_pin(first) and store.has_pin(second)
    assert store.check_pin(first, "1234") and store.check_pin(second, "98765")
    assert store.ballot_count(first) == 31
    assert store.verify().ok
    with pytest.raises(StoreError, match="4 đến 12 chữ số"):
        store.create_demo(pin="12")


# -- limits per client, a ceiling for strangers (issue 13, point 4) ------------------------


@pytest.mark.usefixtures("clock")
def test_one_clients_wrong_guesses_do_not_lock_another_client_out(store, poll_id):
    """Five wrong PINs make that client wait; another client (the board) still gets in."""
    for _ in range(4):
        assert store.check_pin(poll_id, "1111", client="10.0.0.66") is False
    with pytest.raises(PinLocked):
        store.check_pin(poll_id, "1111", client="10.0.0.66")
    with pytest.raises(PinLocked):
        store.check_pin(poll_id, "2468", client="10.0.0.66")  # waits, even with the right PIN
    assert store.check_pin(poll_id, "2468", client="10.0.0.5") is True


def test_strangers_together_hit_a_ceiling_that_spares_the_server_and_known_clients(
    store, poll_id, clock
):
    """WRONG_PER_HOUR wrong guesses from many addresses stop every new address for the rest
    of the hour, but not the server's own machine nor a client that gave the PIN before."""
    assert store.check_pin(poll_id, "2468", client="10.0.0.5") is True  # the board's laptop
    for n in range(access.WRONG_PER_HOUR - 1):
        clock.now += 1
        assert store.check_pin(poll_id, "1111", client=f"10.0.1.{n}") is False
    with pytest.raises(PinLocked, match="từ các máy trong mạng"):  # the one that fills it
        store.check_pin(poll_id, "1111", client="10.0.1.99")
    with pytest.raises(PinLocked, match="từ các máy trong mạng") as refused:
        store.check_pin(poll_id, "2468", client="10.0.2.1")
    assert 0 < refused.value.wait_s <= 3600
    assert store.check_pin(poll_id, "2468", client="127.0.0.1") is True
    assert store.check_pin(poll_id, "2468", client="10.0.0.5") is True
    clock.now += 3600
    assert store.check_pin(poll_id, "2468", client="10.0.2.1") is True  # the hour has passed


def test_guesses_are_append_only_even_by_raw_sql(store, poll_id):
    """Rows of pin_guesses cannot be deleted or edited, so a run of failures cannot be wiped."""
    store.check_pin(poll_id, "1111", client="10.0.0.66")
    conn = sqlite3.connect(store.path)
    try:
        for sql in ("DELETE FROM pin_guesses", "UPDATE pin_guesses SET accepted = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
                conn.execute(sql)
    finally:
        conn.close()


def test_lan_mode_needs_pins_of_six_digits(store, monkeypatch):
    """With TINNHIEM_LAN=1 a PIN of fewer than 6 digits is refused for polls and the admin."""
    monkeypatch.setenv("TINNHIEM_LAN", "1")
    with pytest.raises(StoreError, match="từ 6 đến 12 chữ số"):
        store.create_poll(small_poll(), pin="12345")
    with pytest.raises(StoreError, match="từ 6 đến 12 chữ số"):
        store.set_admin_pin("12345")
    poll_id = store.create_poll(small_poll(), pin="123456")
    assert store.pin_digits(poll_id) == 6


@pytest.mark.usefixtures("clock")
def test_the_administrators_pin_is_checked_and_limited_like_a_polls(store):
    """No administrator's PIN before the first start; once set, it checks true, and five
    wrong ones make that client wait."""
    assert store.admin_digits() is None and store.check_admin_pin("123456") is False
    store.set_admin_pin("123456")
    assert store.admin_digits() == 6 and store.check_admin_pin("123456") is True
    for _ in range(4):
        assert store.check_admin_pin("000000", client="10.0.0.66") is False
    with pytest.raises(PinLocked):
        store.check_admin_pin("000000", client="10.0.0.66")
    assert store.check_admin_pin("123456", client="10.0.0.5") is True


# -- tampering with the PIN tables (issue 13, point 8) -------------------------------------


def raw(store: Store, *statements: tuple) -> None:
    """Run SQL on the file as someone with the database in hand would."""
    conn = sqlite3.connect(store.path)
    try:
        for statement in statements:
            conn.execute(*statement)
        conn.commit()
    finally:
        conn.close()


def test_a_pin_hash_replaced_by_one_of_a_known_pin_fails_verify(store, poll_id):
    """Copying another poll's PIN hash (a PIN the tamperer knows) over this one is detected."""
    other = store.create_poll(small_poll(), pin="13579")
    assert store.verify().ok
    conn = sqlite3.connect(store.path)
    _, salt, hashed = conn.execute(
        "SELECT scheme, salt, hash FROM pins WHERE poll_id = ?", (other,)
    ).fetchone()
    conn.close()
    raw(store, ("UPDATE pins SET salt = ?, hash = ? WHERE poll_id = ?", (salt, hashed, poll_id)))
    assert store.check_pin(poll_id, "13579")  # the tamperer's PIN works …
    report = store.verify(poll_id)
    assert not report.ok  # … but verify sees it
    assert any("thay mã PIN bằng tay" in p for p in report.problems)


def test_a_deleted_pin_fails_verify(store, poll_id):
    """Deleting the PIN (so that anyone may set a new one at the gate) is detected."""
    raw(store, ("DELETE FROM pins WHERE poll_id = ?", (poll_id,)))
    report = store.verify(poll_id)
    assert any("không còn trong cơ sở dữ liệu" in p for p in report.problems)


@pytest.mark.usefixtures("poll_id")
def test_a_trigger_silencing_the_guesses_fails_verify(store):
    """A foreign trigger that drops every guess (RAISE(IGNORE)) is reported by verify."""
    raw(
        store,
        (
            "CREATE TRIGGER forget_guesses BEFORE INSERT ON pin_guesses "
            "BEGIN SELECT RAISE(IGNORE); END",
        ),
    )
    report = store.verify()
    assert any("trigger lạ" in p and "forget_guesses" in p for p in report.problems)


def test_an_imported_poll_keeps_where_it_came_from(store, poll_id):
    """An import records its file, source, time, the state and lock hash it came with; a
    poll made here has none, and the imported chain's own pin_set is not compared."""
    assert store.provenance(poll_id) is None
    data = store.export_data(poll_id)
    imported = store.import_data(data, file_name="ket-qua.json", source="trang Thiết lập")
    origin = store.provenance(imported)
    assert (origin.file_name, origin.source, origin.state) == (
        "ket-qua.json",
        "trang Thiết lập",
        "setup",
    )
    assert not origin.locked_elsewhere
    assert origin.notice().startswith("Kết quả nhập từ tệp “ket-qua.json” lúc ")
    assert store.verify().ok  # the file's pin_set, with no PIN here, is not a tampering
    store.set_pin(imported, "97531")
    assert store.verify().ok
