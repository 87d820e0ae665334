"""The minutes of a double-entry poll: the entry setting, each stack with its passes (who,
when), the differences found and how each was decided; the appendix holds every pass."""

from __future__ import annotations

from pathlib import Path

from document_reading import docx_text, flat, pdf_text

from tinnhiem import documents
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.storage import Store
from tinnhiem.stored_record import stored_record as _record
from tinnhiem.tally import tally


def _stacked(tmp_path: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "t.db")
    poll = Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(total=4, present=4),
        issued=4,
        collected=4,
        officials=(Official("Nguyễn Văn A", "Chủ tịch"), Official("Lê Thị Bình", "Phó")),
        passes_required=2,
    )
    poll_id = store.create_poll(poll)
    store.open_count(poll_id)
    stack = store.add_stack(poll_id, "Xấp 3", 4)
    for typist, entries in (("Trần Một", "12 31 22 11"), ("Phạm Hai", "12 33 11")):
        number = store.start_pass(poll_id, stack, typist, station="Máy 1")
        for marks in entries.split():
            store.add_pass_ballot(poll_id, stack, number, marks)
        store.finish_pass(poll_id, stack, number)
    store.decide(poll_id, stack, "at:2", 1, None, "phiếu giấy ghi như lần 1", "Chủ tọa")
    store.decide(poll_id, stack, "at:3", 1, None, "phiếu bị bỏ sót ở lần 2", "Chủ tọa")
    store.close_count(poll_id)
    store.lock(poll_id)
    return store, poll_id


def test_the_minutes_list_stacks_passes_differences_and_decisions(tmp_path) -> None:
    """PDF and DOCX both print the setting, the passes' typists, both differences and both
    decisions, and the appendix lists each pass."""
    store, poll_id = _stacked(tmp_path)
    poll = store.get_poll(poll_id)
    record = _record(store, poll_id)
    assert len(record.stacks) == 1 and record.stacks[0].state == "resolved"
    result = tally(poll)
    assert result.counted == 4
    for text in (
        flat(pdf_text(documents.minutes_pdf(poll, result, record))),
        flat(docx_text(documents.minutes_docx(poll, result, record))),
    ):
        assert "NHẬP PHIẾU ĐỘC LẬP THEO XẤP" in text
        assert "nhập hai lần độc lập theo xấp" in text
        assert "Xấp 3 — 4 phiếu" in text
        assert "Trần Một" in text and "Phạm Hai" in text
        assert (
            "Xấp 3, phiếu thứ 2 — người số 2 (Lê Thị Bình): lần 1 ghi Tín nhiệm cao, "
            "lần 2 ghi Tín nhiệm thấp" in text
        )
        assert "Xấp 3, phiếu thứ 3: lần 1 ghi “22”, lần 2 không có phiếu này" in text
        assert "lấy theo lần 1 (22), Chủ tọa" in text
        assert "phiếu bị bỏ sót ở lần 2" in text
        assert "Xấp 3, lần nhập 1 — Trần Một (4 phiếu):" in text
        assert "Xấp 3, lần nhập 2 — Phạm Hai (3 phiếu):" in text


def test_the_minutes_of_a_plain_stacks_file_list_its_differences(polls_dir) -> None:
    """A plain poll file with stacks (no store behind it) prints its stacks, their
    differences in words and every pass in the appendix."""
    from tinnhiem.pollfile import parse_poll_file

    poll = parse_poll_file((polls_dir / "stack-different.json").read_bytes())
    text = flat(pdf_text(documents.minutes_pdf(poll, tally(poll))))
    assert "NHẬP PHIẾU ĐỘC LẬP THEO XẤP" in text
    assert "Có chỗ khác nhau, chờ quyết định" in text
    assert (
        "Xấp 2, phiếu thứ 2 — người số 3 (Lê Minh Châu): lần 1 ghi Tín nhiệm cao, "
        "lần 2 ghi Tín nhiệm thấp" in text
    )
    assert "Xấp 2, lần nhập 2 — Máy 2 (7 phiếu):" in text
