"""The chain's head at close and lock printed in the minutes, read back from the PDF and
the DOCX (tinnhiem.documents.minutes, with the store's chain_marks)."""

from __future__ import annotations

from pathlib import Path

from document_reading import docx_text, flat, pdf_text
from test_storage_anchors import poll_of

from tinnhiem import documents
from tinnhiem.chain_head import head_words
from tinnhiem.cli import main
from tinnhiem.storage import Store


def test_the_minutes_print_the_head_at_close_reopen_and_lock(tmp_path: Path, capsys) -> None:
    """`tinnhiem minutes --db` of a closed, reopened, closed and locked poll prints, in the
    PDF and in the DOCX, each move with the chain's count and short head it left, and the
    reason the board gave for closing short and for reopening."""
    db = tmp_path / "tinnhiem.db"
    store = Store(db)
    poll_id = store.create_poll(poll_of(3), actor="thư ký")
    store.open_count(poll_id)
    store.add_ballot(poll_id, "11")
    store.add_ballot(poll_id, "12")
    store.close_count(poll_id, reason="còn một phiếu")
    store.reopen_count(poll_id, reason="nhập nốt")
    store.add_ballot(poll_id, "21")
    store.close_count(poll_id)
    store.lock(poll_id)
    marks = store.chain_marks(poll_id)[1:]  # close, reopen, close, lock
    heads = [head_words(m.seq, m.hash) for m in marks]
    store.close()
    for suffix, read in ((".pdf", pdf_text), (".docx", docx_text)):
        out = tmp_path / f"bb{suffix}"
        assert main(["minutes", str(poll_id), "--db", str(db), "-o", str(out)]) == 0
        text = flat(read(out.read_bytes()))
        assert "Mốc nhật ký kiểm toán" in text
        for words, head in zip(
            ("Kết thúc kiểm phiếu", "Mở lại kiểm phiếu", "Kết thúc kiểm phiếu", "Khóa kết quả"),
            heads,
            strict=True,
        ):
            assert f"{words} lúc" in text and f"{head}." in text
        assert text.index(heads[0]) < text.index(heads[-1])
        assert "(lý do: còn một phiếu)" in text and "(lý do: nhập nốt)" in text
        assert text.count("(lý do:") == 2  # the second close and the lock gave none
    capsys.readouterr()


def test_provisional_minutes_of_a_closed_poll_print_the_head_at_close(tmp_path: Path) -> None:
    """Minutes made between close and lock already name the head at close."""
    store = Store(tmp_path / "tinnhiem.db")
    poll_id = store.create_poll(poll_of(1), actor="thư ký")
    store.open_count(poll_id)
    store.add_ballot(poll_id, "11")
    store.close_count(poll_id)
    mark = store.chain_marks(poll_id)[-1]
    record = documents.record_info(
        "closed", None, store.ballots(poll_id), store.chain_marks(poll_id)
    )
    text = flat(pdf_text(documents.minutes_pdf(store.get_poll(poll_id), None, record)))
    assert "Kết thúc kiểm phiếu lúc" in text and head_words(mark.seq, mark.hash) in text
