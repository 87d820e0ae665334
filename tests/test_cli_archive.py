"""Documents from an archived poll file: a locked poll's export gives the official minutes."""

from __future__ import annotations

import json
from dataclasses import replace

from document_reading import flat, pdf_text

from tinnhiem.cli import main
from tinnhiem.demo import demo_poll
from tinnhiem.storage import Store


def _locked_export(tmp_path):
    """Lock the whole demo poll in a fresh database and export it; returns (file, head)."""
    store = Store(tmp_path / "t.db")
    poll = demo_poll(None)
    poll_id = store.create_poll(replace(poll, entries=None))
    store.open_count(poll_id, actor="Trưởng ban")
    for entry in poll.entries:
        store.add_ballot(poll_id, entry, station="Máy 2", entered_by="Lý Nhập")
    store.close_count(poll_id, actor="Trưởng ban")
    head = store.lock(poll_id, actor="Trưởng ban")
    exported = tmp_path / "archive.json"
    exported.write_text(json.dumps(store.export_data(poll_id), ensure_ascii=False), "utf-8")
    store.close()
    return exported, head


def test_minutes_of_a_locked_archive_carry_the_lock_and_the_log(tmp_path):
    """An exported locked poll gives minutes with its lock hash and log, not 'provisional';
    locked on another machine, they say which file they come from instead of 'official'."""
    archive, head = _locked_export(tmp_path)
    out = tmp_path / "bb.pdf"
    assert main(["minutes", str(archive), "-o", str(out)]) == 0
    text = flat(pdf_text(out.read_bytes()))
    assert head in text
    assert f"Kết quả nhập từ tệp “{archive.name}” lúc" in text
    assert "Kết quả đã được khóa lúc" not in text
    assert "Máy 2 Lý Nhập" in text
    assert "TẠM THỜI" not in text


def test_a_plain_poll_file_still_gives_provisional_minutes(tmp_path):
    """A poll file with no audit chain cannot prove a lock, so its minutes say provisional."""
    archive, _ = _locked_export(tmp_path)
    data = json.loads(archive.read_text("utf-8"))
    del data["x-tinnhiem"]
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / "bb.pdf"
    assert main(["minutes", str(plain), "-o", str(out)]) == 0
    assert "TẠM THỜI" in flat(pdf_text(out.read_bytes()))


def test_a_tampered_archive_is_refused_with_one_line(capsys, tmp_path):
    """A ballot changed in both the entries and the log breaks the chain: exit 2, no file."""
    archive, _ = _locked_export(tmp_path)
    data = json.loads(archive.read_text("utf-8"))
    forged = "3" * len(data["entries"][3])
    data["entries"][3] = forged
    data["x-tinnhiem"]["ballot_log"][3]["marks"] = forged
    archive.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / "bb.pdf"
    assert main(["minutes", str(archive), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Phiếu số 4" in err and "nhật ký" in err
    assert not out.exists()


def test_importing_a_single_entry_stacks_file_is_refused_in_vietnamese(capsys, tmp_path):
    """A poll file with stacks but one pass each (passes_required 1) is not stored by the
    app: `tinnhiem import` exits 2 with one Vietnamese line (K09), no poll stored."""
    from pathlib import Path

    stacks_file = Path(__file__).parent / "data" / "polls" / "stack-single-default.json"
    db = tmp_path / "t.db"
    assert main(["import", str(stacks_file), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "theo xấp" in err[0] and "tinnhiem tally" in err[0]
    assert Store(db).list_polls() == []
    try:
        Store(db).import_data(json.loads(stacks_file.read_text("utf-8")))
    except ValueError as error:
        assert error.problem.code == "K09"
    else:
        raise AssertionError("a stacks file was imported")


def test_a_double_entry_file_imports_and_exports_with_the_same_tally(capsys, tmp_path):
    """A double-entry poll file is stored; its export tallies as the file itself does."""
    from pathlib import Path

    stacks_file = Path(__file__).parent / "data" / "polls" / "stack-agreed.json"
    db, out = tmp_path / "t.db", tmp_path / "out.json"
    assert main(["import", str(stacks_file), "--db", str(db)]) == 0
    poll_id = Store(db).list_polls()[0].id
    capsys.readouterr()
    assert main(["export", "--db", str(db), str(poll_id), "-o", str(out)]) == 0
    assert main(["tally", str(stacks_file)]) == 0
    original = json.loads(capsys.readouterr().out)
    assert main(["tally", str(out)]) == 0
    assert json.loads(capsys.readouterr().out) == original


def test_importing_a_file_with_its_own_rule_set_keeps_it(capsys, tmp_path):
    """A poll file carrying its own rule_set is imported with it: `tinnhiem import` exits 0
    and `tinnhiem tally` of the export prints what it printed for the file."""
    from pathlib import Path

    rules_file = Path(__file__).parent / "data" / "polls" / "rules-cantho-2019.json"
    db = tmp_path / "t.db"
    assert main(["import", str(rules_file), "--db", str(db)]) == 0
    capsys.readouterr()
    store = Store(db)
    [summary] = store.list_polls()
    assert (summary.rules, store.get_poll(summary.id).rule_set.id) == ("kh-cantho-2019",) * 2
    out = tmp_path / "out.json"
    out.write_text(json.dumps(store.export_data(summary.id), ensure_ascii=False), "utf-8")
    assert main(["tally", str(rules_file)]) == 0
    from_file = capsys.readouterr().out
    assert main(["tally", str(out)]) == 0
    assert capsys.readouterr().out == from_file
