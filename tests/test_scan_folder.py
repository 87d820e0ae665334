"""The folder a scanner writes to (tinnhiem/scanning/folder.py): which files are ready, which
are still being written, and each wrong path said in Vietnamese with what to do."""

from __future__ import annotations

import os
import time

import pytest

from tinnhiem.scanning import folder
from tinnhiem.scanning.folder import FolderProblem, folder_of, listing, read_files

OLD = time.time() - 60


def put(path, data: bytes = b"\x89PNG page", age: float | None = OLD) -> None:
    path.write_bytes(data)
    if age is not None:
        os.utime(path, (age, age))


def test_ready_files_are_the_pictures_in_name_order_the_rest_counted(tmp_path):
    for name in ("scan-0002.JPG", "scan-0001.png", "b.pdf", "a.tiff", "ghi-chu.txt", ".an.png"):
        put(tmp_path / name)
    (tmp_path / "con").mkdir()
    put(tmp_path / "con" / "x.png")  # a subfolder's files are not the batch
    now = listing(folder_of(str(tmp_path)))
    assert [p.name for p in now.ready] == ["a.tiff", "b.pdf", "scan-0001.png", "scan-0002.JPG"]
    assert now.others == 2 and now.growing == () and now.too_big == ()


def test_a_file_being_written_waits_until_it_has_settled(tmp_path):
    """Empty, or changed less than SETTLE_SECONDS ago: growing; exactly that long ago: ready."""
    now = time.time()
    put(tmp_path / "fresh.png", age=now - 0.5)
    put(tmp_path / "empty.png", b"", age=OLD)
    put(tmp_path / "edge.png", age=now - folder.SETTLE_SECONDS)
    seen = listing(tmp_path, now=now)
    assert seen.growing == ("empty.png", "fresh.png")
    assert [p.name for p in seen.ready] == ["edge.png"]


def test_a_file_too_big_for_a_page_is_named_and_left(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "MAX_BYTES", 10)
    put(tmp_path / "big.tif", b"x" * 11)
    put(tmp_path / "ok.tif", b"x" * 10)
    seen = listing(tmp_path)
    assert seen.too_big == ("big.tif",) and [p.name for p in seen.ready] == ["ok.tif"]


def test_more_files_than_a_batch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "MAX_FILES", 2)
    for n in range(3):
        put(tmp_path / f"{n}.png")
    with pytest.raises(FolderProblem, match="nhiều hơn một lô"):
        listing(tmp_path)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Chưa nhập đường dẫn thư mục"),
        ("   ", "Chưa nhập đường dẫn thư mục"),
        ("khong-co-thu-muc-nay", "Không có thư mục “khong-co-thu-muc-nay” trên máy này"),
        ("a\x00b", "ký tự không hợp lệ"),
    ],
)
def test_a_wrong_path_is_said_in_vietnamese(text, says, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FolderProblem, match=says):
        folder_of(text)


def test_a_file_instead_of_a_folder_is_said(tmp_path):
    put(tmp_path / "a.png")
    with pytest.raises(FolderProblem, match="là một tệp, không phải thư mục"):
        folder_of(str(tmp_path / "a.png"))


def test_a_folder_that_cannot_be_opened_is_said(tmp_path, monkeypatch):
    """(The tests run as root, who may open any folder: the refusal is simulated.)"""

    def refuse(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", refuse)
    with pytest.raises(FolderProblem, match="Không có quyền đọc thư mục"):
        folder_of(str(tmp_path))


def test_quotes_and_spaces_around_a_pasted_path_and_the_home_sign(tmp_path, monkeypatch):
    """Windows' "Copy as path" adds quotes; ``~`` is the user's home."""
    assert folder_of(f'  "{tmp_path}"  ') == tmp_path
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "scan").mkdir()
    assert folder_of("~/scan") == tmp_path / "scan"


def test_read_files_names_a_file_gone_before_it_was_read(tmp_path):
    put(tmp_path / "a.png", b"A")
    files, failed = read_files((tmp_path / "a.png", tmp_path / "gone.png"))
    assert [(f.name, f.getvalue()) for f in files] == [("a.png", b"A")] and failed == ["gone.png"]
