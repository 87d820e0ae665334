"""``tinnhiem scan POLL IMAGE…`` and ``tinnhiem ballots --layout``: the public contract."""

from __future__ import annotations

import json
from dataclasses import replace

import cv2
import numpy as np
import pytest
from scan_corpus import mark_page, render, truth

from tinnhiem.cli import main
from tinnhiem.demo import demo_poll
from tinnhiem.documents import ballot_layout, ballots_pdf, poll_json
from tinnhiem.storage import Store

KEYS = [
    "file",
    "page",
    "status",
    "ballot_page",
    "ballot_pages",
    "serial",
    "entry",
    "doubtful",
    "message",
]
DPI = 150


def run(capsys, *argv) -> tuple[int, list[dict], str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """A poll file, its ballots (2 serial copies) as a PDF, and marked scans of copy 1."""
    folder = tmp_path_factory.mktemp("scan")
    poll = demo_poll(None)
    (folder / "poll.json").write_bytes(poll_json(poll))
    pdf = ballots_pdf(poll, copies=2, serial=True)
    (folder / "ballots.pdf").write_bytes(pdf)
    rows = ballot_layout(poll, serial=True)["pages"][0]["rows"]
    choices = [[(n % 3 + 1, "cross")] if n % 4 else [] for n in range(len(rows))]
    choices[5] = [(1, "cross"), (2, "filled")]
    pages = render(pdf, DPI)
    page = mark_page(pages[0], rows, choices, DPI, np.random.default_rng(2))
    cv2.imwrite(str(folder / "scan-001.png"), page)
    cv2.imwrite(str(folder / "scan-002.jpg"), cv2.rotate(page, cv2.ROTATE_180))
    blank = np.full_like(page, 248)
    cv2.imwritemulti(str(folder / "batch.tiff"), [page, blank, pages[1]])
    return folder, truth(choices)


def test_each_page_is_one_json_line_with_exactly_the_contracts_keys(capsys, scans):
    """PNG and JPEG pages (one upside down) give one line each, keys in order, entry read."""
    folder, entry = scans
    files = [folder / "scan-001.png", folder / "scan-002.jpg"]
    code, lines, err = run(capsys, "scan", folder / "poll.json", *files)
    assert code == 0, err
    assert [list(line) for line in lines] == [KEYS, KEYS]
    assert [line["file"] for line in lines] == [str(f) for f in files]
    for line in lines:
        assert line == {
            "file": line["file"],
            "page": 1,
            "status": "read",
            "ballot_page": 1,
            "ballot_pages": 1,
            "serial": "001",
            "entry": entry,
            "doubtful": [],
            "message": "",
        }
    assert "0" in entry and entry[5] == "0"  # blank rows and the double mark


def test_every_page_of_a_tiff_and_a_pdf_is_read_in_order(capsys, scans):
    """A 3-page TIFF (a ballot, a blank sheet, copy 2) and the printed PDF: a line per page."""
    folder, entry = scans
    code, lines, err = run(
        capsys, "scan", folder / "poll.json", folder / "batch.tiff", folder / "ballots.pdf"
    )
    assert code == 0, err
    assert [(line["file"][-4:], line["page"], line["status"]) for line in lines] == [
        ("tiff", 1, "read"),
        ("tiff", 2, "not_a_ballot"),
        ("tiff", 3, "read"),
        (".pdf", 1, "read"),
        (".pdf", 2, "read"),
    ]
    assert lines[0]["entry"] == entry
    assert [line["serial"] for line in lines] == ["001", None, "002", "001", "002"]
    assert lines[1]["entry"] is None and lines[1]["doubtful"] == []
    assert lines[2]["entry"] == "0" * len(entry)  # an unmarked copy


def test_another_polls_scan_is_not_a_ballot(capsys, scans, tmp_path):
    """The same scans read against another poll are all ``not_a_ballot`` (problem "P07")."""
    folder, _ = scans
    other = replace(demo_poll(None), title="Kỳ họp khác")
    (tmp_path / "other.json").write_bytes(poll_json(other))
    code, lines, _ = run(capsys, "scan", tmp_path / "other.json", folder / "scan-001.png")
    assert code == 0
    assert lines[0]["status"] == "not_a_ballot" and lines[0]["entry"] is None
    assert "không phải phiếu của đợt lấy phiếu này" in lines[0]["message"]


def test_a_stored_poll_is_named_with_db(capsys, tmp_path):
    """``--db PATH ID`` reads the poll from the database, as the document commands do: its
    ballots, printed with ``ballots --db``, read back."""
    db = tmp_path / "t.db"
    poll_id = Store(db).create_poll(replace(demo_poll(None), entries=None))
    pdf = tmp_path / "b.pdf"
    code = main(["ballots", str(poll_id), "--db", str(db), "-o", str(pdf)])
    capsys.readouterr()
    assert code == 0
    stored = Store(db).get_poll(poll_id)
    rows = ballot_layout(stored)["pages"][0]["rows"]
    choices = [[(n % 2 + 1, "filled")] for n in range(len(rows))]
    page = mark_page(render(pdf.read_bytes(), DPI)[0], rows, choices, DPI, np.random.default_rng(4))
    cv2.imwrite(str(tmp_path / "s.png"), page)
    code, lines, err = run(capsys, "scan", "--db", db, poll_id, tmp_path / "s.png")
    assert code == 0, err
    assert lines[0]["entry"] == truth(choices)


def test_a_file_that_is_no_picture_exits_2_before_any_page(capsys, scans, tmp_path):
    """A text file among the images (problem "P05") or a missing one ("P06") exits 2 with
    one Vietnamese line, and no page is printed."""
    folder, _ = scans
    text = tmp_path / "notes.txt"
    text.write_text("không phải ảnh", encoding="utf-8")
    for bad, said in ((text, "không phải tệp ảnh"), (tmp_path / "nope.png", "không có tệp này")):
        code, lines, err = run(capsys, "scan", folder / "poll.json", folder / "scan-001.png", bad)
        assert (code, lines) == (2, [])
        assert len(err.splitlines()) == 1 and said in err and str(bad) in err


def test_a_broken_picture_exits_2(capsys, scans, tmp_path):
    """A file that starts like a PNG but is cut short exits 2 (problem "P05")."""
    folder, _ = scans
    cut = tmp_path / "cut.png"
    cut.write_bytes((folder / "scan-001.png").read_bytes()[:40])
    code, _, err = run(capsys, "scan", folder / "poll.json", cut)
    assert code == 2 and "không phải tệp ảnh" in err


def test_a_bad_poll_exits_2(capsys, scans, tmp_path):
    """A missing or invalid POLL exits 2 with one line."""
    folder, _ = scans
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    for poll in (tmp_path / "missing.json", bad):
        code, lines, err = run(capsys, "scan", poll, folder / "scan-001.png")
        assert (code, lines) == (2, []) and len(err.splitlines()) == 1


def test_layout_file_is_the_contracts_geometry(capsys, tmp_path):
    """``ballots --layout`` writes tinnhiem-layout/1: 1-based officials, boxes per digit."""
    poll_file = tmp_path / "poll.json"
    poll = demo_poll(None)
    poll_file.write_bytes(poll_json(poll))
    out, layout_file = tmp_path / "b.pdf", tmp_path / "b.layout.json"
    code = main(["ballots", str(poll_file), "-o", str(out), "--layout", str(layout_file)])
    capsys.readouterr()
    assert code == 0
    layout = json.loads(layout_file.read_text(encoding="utf-8"))
    assert list(layout) == ["format", "poll", "page_size_mm", "pages"]
    assert layout["format"] == "tinnhiem-layout/1"
    assert layout["page_size_mm"] == [210, 297]
    assert layout == ballot_layout(poll)
    rows = layout["pages"][0]["rows"]
    assert [r["official"] for r in rows] == list(range(1, len(poll.ballot_officials) + 1))
    assert all(len(r["boxes"]) == 3 and all(len(b) == 4 for b in r["boxes"]) for r in rows)
    assert all(r["boxes"][0][0] < r["boxes"][1][0] < r["boxes"][2][0] for r in rows)


def test_layout_boxes_are_where_the_pdf_draws_them():
    """Rendered, the PDF is dark on every layout box's border and white inside it, on every
    page of a two-page ballot."""
    from test_documents_ballots import council

    poll = council(45)
    layout = ballot_layout(poll, serial=True)
    pages = render(ballots_pdf(poll, serial=True), 200)
    px = 200 / 25.4
    assert len(layout["pages"]) == len(pages) == 2
    for number, page in enumerate(pages):
        for row in layout["pages"][number]["rows"]:
            for x, y, w, h in row["boxes"]:
                mid_x, mid_y = round((x + w / 2) * px), round((y + h / 2) * px)
                left, right = round(x * px), round((x + w) * px)
                top, bottom = round(y * px), round((y + h) * px)
                assert page[top - 1 : top + 2, mid_x].min() < 128
                assert page[bottom - 1 : bottom + 2, mid_x].min() < 128
                assert page[mid_y, left - 1 : left + 2].min() < 128
                assert page[mid_y, right - 1 : right + 2].min() < 128
                assert page[mid_y - 5 : mid_y + 5, mid_x - 5 : mid_x + 5].min() > 200


def _marked_ballots():
    """scripts/marked_ballots.py as a module (it is a script, not in the package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "marked_ballots.py"
    spec = importlib.util.spec_from_file_location("marked_ballots", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("photo", [False, True])
def test_the_scripts_marked_ballots_are_read_as_its_answers_say(capsys, tmp_path, photo):
    """README's way to try the reader without a printer: ``tinnhiem ballots`` with
    ``--layout``, scripts/marked_ballots.py, ``tinnhiem scan``; every row the reader gives a
    digit is the answer's digit (a ``?`` is a person's to decide, never a wrong digit)."""
    poll = demo_poll(None)
    (tmp_path / "poll.json").write_bytes(poll_json(poll))
    pdf, layout, folder = tmp_path / "phiếu.pdf", tmp_path / "phiếu.json", tmp_path / "ảnh"
    assert main(["ballots", str(tmp_path / "poll.json"), "-o", str(pdf), "--copies", "3",
                 "--layout", str(layout)]) == 0  # fmt: skip
    argv = [str(pdf), str(layout), str(folder)] + (["--photo"] if photo else [])
    script = _marked_ballots()
    assert script.main(argv) == 0
    capsys.readouterr()
    key = script.answers_file(folder)
    assert key == tmp_path / "ảnh-đáp-án.txt"
    answers = dict(line.split("\t") for line in key.read_text("utf-8").splitlines())
    images = sorted(folder.iterdir())  # nothing but the images: scan reads the whole folder
    assert [p.name for p in images] == sorted(answers) and len(images) == 3
    assert {p.suffix for p in images} == {".jpg" if photo else ".png"}
    code, lines, _ = run(capsys, "scan", tmp_path / "poll.json", *images)
    assert code == 0 and [line["status"] for line in lines] == ["read"] * 3
    for line in lines:
        answer = answers[line["file"].rsplit("/", 1)[-1]]
        assert len(line["entry"]) == len(answer)
        assert all(got in ("?", want) for got, want in zip(line["entry"], answer, strict=True))
        assert line["entry"].count("?") <= 2, line


def test_the_script_says_in_vietnamese_when_its_files_are_wrong(capsys, tmp_path):
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    (tmp_path / "x.pdf").write_text("không phải PDF", encoding="utf-8")
    code = _marked_ballots().main([str(tmp_path / "x.pdf"), str(tmp_path / "x.json"), "out"])
    assert code == 2 and "Không đọc được phiếu hoặc bố cục" in capsys.readouterr().err
