"""The command line speaks Vietnamese around its own help texts and in argparse's refusals
(tinnhiem.cli_words): no "usage:", "options:" or "the following arguments are required"."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "argument")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tinnhiem.cli", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("args", [("--help",), ("combine", "--help"), ("point", "--help")])
def test_help_is_in_vietnamese(args: tuple[str, ...]) -> None:
    """``--help`` of the program and of a command reads "Cách dùng", "tùy chọn" and says
    what -h does in Vietnamese, with none of argparse's English words."""
    done = run(*args)
    assert done.returncode == 0
    assert done.stdout.startswith("Cách dùng: tinnhiem")
    assert "tùy chọn:" in done.stdout and "in hướng dẫn này rồi thoát" in done.stdout
    assert not [word for word in ENGLISH if word in done.stdout]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("point",), "tinnhiem point: lỗi: còn thiếu tham số: file, point"),
        (("talli",), "tinnhiem: lỗi: tham số LỆNH: không có lựa chọn 'talli' (chọn một trong:"),
        (("tally", "a.json", "b.json"), "tinnhiem: lỗi: không hiểu tham số: b.json"),
        (("combine", "-o"), "tinnhiem combine: lỗi: tham số -o/--output: cần một giá trị"),
    ],
)
def test_a_mistyped_command_is_refused_in_vietnamese(args: tuple[str, ...], said: str) -> None:
    """A missing, unknown or extra argument exits 2 and says what is wrong in Vietnamese."""
    done = run(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert said in done.stderr, done.stderr
    assert not [word for word in ENGLISH if word in done.stderr]
