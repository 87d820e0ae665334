"""Typed free text in the count (reasons, who, which machine) checked by the store.

Every reason a person types (void, correction, close, reopen) and every name passed in
(actor, entered_by, station) is refused with the registry's problem when it holds a
control character (S08) or is longer than its limit (S07), nothing written; zero-width and
direction marks are removed and the text stored in NFC; a text exactly at its limit is
stored whole. A poll file carrying such a text is refused with its field named.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from document_reading import docx_text, flat, in_order, pdf_text
from openpyxl import load_workbook
from test_storage import counting

from tinnhiem import documents
from tinnhiem.limits import MAX_NAME, MAX_REASON
from tinnhiem.problems import PollError
from tinnhiem.storage import BallotRefused, Store, StoreError, WrongState
from tinnhiem.storage import counting as counting_module

# A reason exactly at the limit, hostile but valid: markup, a formula, quotes, Vietnamese.
_HOSTILE = "Phiếu ghi “<b>x</b>” $x^2$ :red[đỏ] =1+1 [a](http://127.0.0.9/x) gạch xóa hai ô; "
AT_LIMIT = (_HOSTILE * 10)[: MAX_REASON - 1] + "Ư"
ZERO_WIDTH = "Phiếu\u200b gạch\u2060 xóa\u202e hai\ufeff ô"  # stored as "Phiếu gạch xóa hai ô"


def _ballot_in(store: Store) -> int:
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    return poll_id


def _closed(store: Store) -> int:
    poll_id = _ballot_in(store)
    store.close_count(poll_id, reason="tạm dừng")
    return poll_id


# action: (the poll it needs, the write, the refusal it raises, how its message names it)
ACTIONS: dict[str, tuple[Callable[[Store], int], Callable, type[StoreError], str]] = {
    "void": (
        _ballot_in,
        lambda s, p, reason, actor: s.void_ballot(p, 1, reason, actor=actor),
        BallotRefused,
        "Lý do hủy phiếu",
    ),
    "correct": (
        _ballot_in,
        lambda s, p, reason, actor: s.correct_ballot(p, 1, "12", reason, actor=actor),
        BallotRefused,
        "Lý do sửa phiếu",
    ),
    "close": (
        _ballot_in,
        lambda s, p, reason, actor: s.close_count(p, actor=actor, reason=reason),
        WrongState,
        "Lý do kết thúc kiểm phiếu",
    ),
    "reopen": (
        _closed,
        lambda s, p, reason, actor: s.reopen_count(p, reason, actor=actor),
        WrongState,
        "Lý do mở lại kiểm phiếu",
    ),
}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db" / "tinnhiem.db")


def _done(store: Store, action: str, reason: str, actor: str = "") -> int:
    """The poll after ``action`` with ``reason`` was stored."""
    prepare, write, _, _ = ACTIONS[action]
    poll_id = prepare(store)
    write(store, poll_id, reason, actor)
    return poll_id


def _stored_reason(store: Store, poll_id: int, action: str) -> str:
    """The reason as the store keeps it: in the void record and the audit log."""
    logged = "void" if action == "correct" else action
    entry = [e for e in store.audit_log(poll_id) if e.action == logged]
    if action in ("void", "correct"):
        assert store.ballot(poll_id, 1).void_reason == entry[-1].payload["reason"]
    return entry[-1].payload["reason"]


def _refused(store: Store, action: str, reason: str, actor: str = "") -> StoreError:
    """The refusal of ``action`` with ``reason``; the poll is as it was before."""
    prepare, write, kind, _ = ACTIONS[action]
    poll_id = prepare(store)

    def seen() -> tuple:
        return store.state(poll_id), store.audit_log(poll_id), store.ballots(poll_id)

    before = seen()
    with pytest.raises(kind) as error:
        write(store, poll_id, reason, actor)
    assert seen() == before
    return error.value


@pytest.mark.parametrize("action", ACTIONS)
def test_a_control_character_in_a_reason_is_refused(store, action):
    """U+0007 in a reason: S08 in Vietnamese, naming the reason and how to fix it."""
    error = _refused(store, action, "Phiếu rách\x07 một góc")
    label = ACTIONS[action][3]
    assert error.problems[0].code == "S08"
    assert str(error) == f"{label} có ký tự điều khiển U+0007 (không in được); xóa ký tự đó."


@pytest.mark.parametrize("action", ACTIONS)
def test_a_reason_over_the_limit_is_refused(store, action):
    """One character over MAX_REASON (and 100 000 characters): S07, nothing written."""
    for reason in (AT_LIMIT + "a", "a" * 100_000):
        error = _refused(store, action, reason)
        assert error.problems[0].code == "S07"
        assert str(error).startswith(f"{ACTIONS[action][3]} dài {len(reason)} ký tự, quá giới")
        assert f"giới hạn {MAX_REASON} ký tự" in str(error)
        assert str(error).endswith("viết gọn lại.")


@pytest.mark.parametrize("action", ACTIONS)
def test_a_reason_at_the_limit_is_stored_whole(store, action):
    """Exactly MAX_REASON characters, markup and all, typed decomposed (NFD): stored in NFC."""
    assert len(AT_LIMIT) == MAX_REASON
    poll_id = _done(store, action, unicodedata.normalize("NFD", AT_LIMIT))
    assert _stored_reason(store, poll_id, action) == AT_LIMIT


@pytest.mark.parametrize("action", ACTIONS)
def test_zero_width_and_direction_marks_are_removed(store, action):
    """Zero-width, word-joiner, bidi override and BOM characters go, as from a typed name;
    the limit counts what is left (at the limit with them added is still stored)."""
    poll_id = _done(store, action, ZERO_WIDTH)
    assert _stored_reason(store, poll_id, action) == "Phiếu gạch xóa hai ô"
    padded = "\u200b".join(AT_LIMIT[i : i + 10] for i in range(0, MAX_REASON, 10))
    poll_id = _done(store, action, padded)
    assert _stored_reason(store, poll_id, action) == AT_LIMIT


@pytest.mark.parametrize("action", ["void", "correct"])
def test_a_reason_of_invisible_characters_only_is_no_reason(store, action):
    """Nothing left after the invisible characters go: the reason is missing."""
    with pytest.raises(BallotRefused, match="Cần ghi lý do hủy phiếu"):
        _done(store, action, "\u200b\u2060 ")


@pytest.mark.parametrize("action", ACTIONS)
def test_the_actor_is_checked_as_a_name(store, action):
    """The person recorded (actor): a control character or more than MAX_NAME is refused."""
    error = _refused(store, action, "lý do", actor="Trưởng\x1b ban")
    assert (error.problems[0].code, error.problems[0].field) == ("S08", "actor")
    assert str(error).startswith("Họ tên người làm việc có ký tự điều khiển U+001B")
    error = _refused(store, action, "lý do", actor="Ơ" * (MAX_NAME + 1))
    assert error.problems[0].code == "S07"
    poll_id = _done(store, action, "lý do", "\u200bƠ" * MAX_NAME)
    assert store.audit_log(poll_id)[-1].actor == "Ơ" * MAX_NAME


def test_a_ballot_s_station_and_entered_by_are_checked(store):
    """add_ballot refuses a control character or an over-long station or entered_by."""
    poll_id = counting(store, 3)
    with pytest.raises(BallotRefused, match=r"^Tên máy nhập phiếu có ký tự điều khiển U\+0000"):
        store.add_ballot(poll_id, "11", station="Máy\x00 1")
    with pytest.raises(BallotRefused, match=r"^Họ tên người nhập phiếu dài 121 ký tự"):
        store.add_ballot(poll_id, "11", entered_by="a" * (MAX_NAME + 1))
    with pytest.raises(BallotRefused, match=r"^Tên máy nhập phiếu có ký tự điều khiển"):
        store.correct_ballot(poll_id, 1, "12", "lý do", station="\x01")
    assert store.ballots(poll_id) == []
    ballot = store.add_ballot(poll_id, "11", station="Máy\u200b 1", entered_by="Lê\u202e Hoa")
    assert (ballot.station, ballot.entered_by) == ("Máy 1", "Lê Hoa")
    assert store.ballot(poll_id, 1).station == "Máy 1"


def test_a_reason_that_is_not_text_is_refused(store):
    """A reason passed as a number (a caller's mistake) is F05, not a crash."""
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    with pytest.raises(BallotRefused) as error:
        store.void_ballot(poll_id, 1, 12)  # type: ignore[arg-type]
    assert error.value.problems[0].code == "F05"


# -- the documents of a poll with hostile reasons ------------------------------------------


def test_documents_hold_an_at_limit_hostile_reason(store):
    """Void, correct, close and reopen with hostile reasons at the limit: the minutes (DOCX,
    PDF) and the results XLSX are made and read back."""
    poll_id = counting(store, 3)
    for marks in ("11", "21", "12"):
        store.add_ballot(poll_id, marks)
    store.void_ballot(poll_id, 1, AT_LIMIT, actor="Ơ" * MAX_NAME)
    store.correct_ballot(poll_id, 2, "22", ZERO_WIDTH, actor="Thư ký")
    store.close_count(poll_id, reason=AT_LIMIT)
    store.reopen_count(poll_id, AT_LIMIT)
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id)
    store.lock(poll_id)
    poll = store.get_poll(poll_id)
    record = documents.record_info(
        "locked", store.lock_info(poll_id), store.ballots(poll_id), store.chain_marks(poll_id)
    )
    docx = flat(docx_text(documents.minutes_docx(poll, record=record)))
    assert f"ĐÃ HỦY: {AT_LIMIT}, {'Ơ' * MAX_NAME}" in docx
    assert "ĐÃ HỦY: Phiếu gạch xóa hai ô, Thư ký" in docx
    pdf = flat(pdf_text(documents.minutes_pdf(poll, record=record)))
    short = " ".join(w for w in AT_LIMIT.split() if len(w) <= 6)  # none cut in a narrow cell
    assert in_order(pdf, f"ĐÃ HỦY: {short}")
    assert in_order(pdf, "ĐÃ HỦY: Phiếu gạch xóa hai ô, Thư ký")
    book = load_workbook(io.BytesIO(documents.results_xlsx(poll)))
    assert book.active.title == "Kết quả"


# -- poll files -----------------------------------------------------------------------------


def _stored_unchecked(monkeypatch: pytest.MonkeyPatch, store: Store, reason: str) -> dict:
    """The export of a poll whose void reason an older tinnhiem stored unchecked."""
    monkeypatch.setattr(counting_module, "typed", lambda text, *_: text)
    poll_id = counting(store, 3)
    store.add_ballot(poll_id, "11")
    store.void_ballot(poll_id, 1, reason, actor="Thư\x07 ký")
    monkeypatch.undo()
    return store.export_data(poll_id)


def test_an_imported_file_with_a_control_character_is_refused(monkeypatch, store):
    """A file whose chain is sound but whose void reason holds U+0007: S08, field named."""
    data = _stored_unchecked(monkeypatch, store, "rách\x07")
    count = len(store.list_polls())
    with pytest.raises(PollError) as error:
        store.import_data(data)
    assert error.value.problem.code == "S08"
    assert error.value.problem.field == "x-tinnhiem.ballot_log[1].void.reason"
    assert str(error.value).endswith("có ký tự điều khiển U+0007 (không in được); xóa ký tự đó.")
    assert len(store.list_polls()) == count


def test_an_imported_file_with_an_over_long_reason_is_refused(monkeypatch, store):
    """A void reason over MAX_REASON in a file: S07 naming it; the actor too (S08)."""
    data = _stored_unchecked(monkeypatch, store, "a" * (MAX_REASON + 1))
    with pytest.raises(PollError) as error:
        store.import_data(data)
    assert (error.value.problem.code, error.value.problem.field) == (
        "S07",
        "x-tinnhiem.ballot_log[1].void.reason",
    )
    data["x-tinnhiem"]["ballot_log"][0]["void"]["reason"] = "a"
    with pytest.raises(PollError) as error:
        store.import_data(data)
    assert (error.value.problem.code, error.value.problem.field) == (
        "S08",
        "x-tinnhiem.ballot_log[1].void.voided_by",
    )


def test_an_exported_file_with_at_limit_reasons_imports(store):
    """What the store accepts, its files carry back in: reasons at the limit, round trip."""
    poll_id = _done(store, "close", AT_LIMIT, actor="Ơ" * MAX_NAME)
    copy = store.import_data(store.export_data(poll_id))
    assert store.audit_log(copy)[-1].payload["reason"] == AT_LIMIT
