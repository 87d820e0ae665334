"""The document commands of the CLI: tinnhiem minutes / ballots / results / resolution."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from document_reading import DATA, docx_text, flat, pdf_pages, pdf_text
from openpyxl import load_workbook

from tinnhiem.cli import main
from tinnhiem.demo import demo_poll
from tinnhiem.documents import poll_json
from tinnhiem.pollfile import parse_poll_file
from tinnhiem.storage import Store
from tinnhiem.tally import tally

POLL_45 = DATA / "poll-45.json"
BAD = Path(__file__).parent / "data" / "polls"


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "demo.json"
    path.write_bytes(poll_json(demo_poll(None)))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_minutes_from_a_poll_file(capsys, tmp_path, demo_file, suffix):
    """`tinnhiem minutes` writes the minutes with the tally's numbers, exit 0."""
    out = tmp_path / f"bb{suffix}"
    code, stdout, err = run(capsys, "minutes", demo_file, "-o", out)
    assert (code, stdout) == (0, "")
    assert f"Đã ghi {out}." in err
    data = out.read_bytes()
    text = flat(pdf_text(data) if suffix == ".pdf" else docx_text(data))
    result = tally(demo_poll(None))
    for r in result.officials:
        low = r.counts["low"]
        assert f"Tín nhiệm thấp: {low} phiếu, bằng {result.percent_vi(low)}" in text


def test_ballots_with_copies_and_serials(capsys, tmp_path):
    """`tinnhiem ballots --copies 3 --serial` prints three numbered copies of two pages each."""
    out = tmp_path / "phieu.pdf"
    code, _, _ = run(capsys, "ballots", POLL_45, "-o", out, "--copies", 3, "--serial")
    assert code == 0
    data = out.read_bytes()
    assert pdf_pages(data) == 6
    assert "Số: 003 — trang 2/2" in pdf_text(data, page=6, footer=True)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_results_in_every_format(capsys, tmp_path, suffix):
    """`tinnhiem results` writes XLSX, CSV or the poll file, each holding all 45 officials."""
    out = tmp_path / f"kq{suffix}"
    assert run(capsys, "results", POLL_45, "-o", out)[0] == 0
    poll = parse_poll_file(POLL_45.read_bytes())
    data = out.read_bytes()
    if suffix == ".json":
        assert parse_poll_file(data) == poll
    elif suffix == ".csv":
        text = data.decode("utf-8-sig")
        assert all(o.name in text for o in poll.ballot_officials)
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet.cell(row=51, column=2).value == poll.ballot_officials[-1].name


def test_resolution_command(capsys, tmp_path, demo_file):
    """`tinnhiem resolution` writes the draft resolution."""
    out = tmp_path / "nq.docx"
    assert run(capsys, "resolution", demo_file, "-o", out)[0] == 0
    assert "QUYẾT NGHỊ:" in docx_text(out.read_bytes())


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("bad-malformed-json.json", r"JSON"),
        ("bad-collected-over-issued.json", r"ballots\.collected"),
        ("bad-not-utf8.json", r"UTF-8"),
    ],
)
def test_bad_poll_file_exits_2_with_one_line(capsys, tmp_path, fixture, message):
    """A bad poll file writes nothing, prints one Vietnamese line naming the problem, exits 2."""
    out = tmp_path / "bb.pdf"
    code, stdout, err = run(capsys, "minutes", BAD / fixture, "-o", out)
    assert (code, stdout) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert re.search(message, err)
    assert not out.exists()


def test_missing_file_exits_2(capsys, tmp_path):
    """A poll file that does not exist is named in the error."""
    code, _, err = run(capsys, "ballots", tmp_path / "khong-co.json", "-o", tmp_path / "p.pdf")
    assert code == 2
    assert "khong-co.json: không có tệp này" in err


@pytest.mark.parametrize(
    "command, name, allowed",
    [
        ("minutes", "bb.xlsx", ".docx, .pdf"),
        ("ballots", "p.docx", ".pdf"),
        ("results", "kq.txt", ".xlsx, .csv, .json"),
        ("results", "kq", ".xlsx, .csv, .json"),
    ],
)
def test_wrong_extension_exits_2_naming_the_allowed_ones(
    capsys, tmp_path, demo_file, command, name, allowed
):
    """An output name with the wrong extension is refused, listing the allowed ones."""
    code, _, err = run(capsys, command, demo_file, "-o", tmp_path / name)
    assert code == 2
    assert f"dùng {allowed}." in err
    assert not (tmp_path / name).exists()


def test_copies_out_of_range_exit_2(capsys, tmp_path, demo_file):
    """Zero copies is refused with exit 2."""
    code, _, err = run(capsys, "ballots", demo_file, "-o", tmp_path / "p.pdf", "--copies", 0)
    assert code == 2
    assert "--copies: số bản phải từ 1 đến 10.000" in err


def test_minutes_from_the_database_carry_the_lock_and_the_log(capsys, tmp_path):
    """With --db, the minutes of a locked poll print its lock hash and the entry log."""
    db = tmp_path / "t.db"
    store = Store(db)
    poll = demo_poll(None)
    poll_id = store.create_poll(replace(poll, entries=None))
    store.open_count(poll_id, actor="Trưởng ban")
    for entry in poll.entries:
        store.add_ballot(poll_id, entry, station="Máy 1", entered_by="Nguyễn Nhập")
    store.close_count(poll_id, actor="Trưởng ban")
    head = store.lock(poll_id, actor="Trưởng ban")
    out = tmp_path / "bb.pdf"
    code, _, err = run(capsys, "minutes", poll_id, "--db", db, "-o", out)
    assert code == 0, err
    text = flat(pdf_text(out.read_bytes()))
    assert head in text
    assert "Kết quả đã được khóa lúc" in text
    assert "Số lần nhập: 47; trong đó đã hủy: 0." in text
    assert "Máy 1 Nguyễn Nhập" in text
    assert "TẠM THỜI" not in text


def test_database_errors_exit_2(capsys, tmp_path):
    """With --db, a missing database, a non-numeric or unknown poll exit 2 with a reason."""
    db = tmp_path / "t.db"
    code, _, err = run(capsys, "minutes", 1, "--db", db, "-o", tmp_path / "a.pdf")
    assert code == 2 and "không có cơ sở dữ liệu này" in err
    Store(db)
    code, _, err = run(capsys, "minutes", "abc", "--db", db, "-o", tmp_path / "a.pdf")
    assert code == 2 and "POLL phải là số của đợt lấy phiếu" in err
    code, _, err = run(capsys, "minutes", 7, "--db", db, "-o", tmp_path / "a.pdf")
    assert code == 2 and "7" in err


def test_the_installed_command_runs(tmp_path, demo_file):
    """`python -m tinnhiem.cli ballots` works as a separate process."""
    out = tmp_path / "p.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", "ballots", str(demo_file), "-o", str(out)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
