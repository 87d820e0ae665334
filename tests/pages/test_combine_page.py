"""The Tổng hợp page (pages/combine.py) through Streamlit's AppTest: points combined, each
refusal with its reason, a table per point, people across polls, the downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from combine_files import DONG, TAY, locked, point_poll
from html_tables import html_table
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Official
from tinnhiem.pollfile import poll_to_data

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "combine.py")
JSON = "application/json"


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page opens no database, but the app's own must not be the user's."""
    monkeypatch.setenv("TINNHIEM_DB", str(tmp_path / "tinnhiem.db"))


def page(files: list[tuple[str, bytes]], expected: str = "") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.file_uploader(key="combine.files").set_value([(n, d, JSON) for n, d in files])
    if expected:
        at.text_area(key="combine.expected").input(expected)
    return at.run()


def _bytes(poll) -> bytes:
    return json.dumps(poll_to_data(poll), ensure_ascii=False).encode()


def test_nothing_chosen_says_so():
    """Without files the page asks for them and shows no result."""
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert any("Chưa chọn tệp" in i.value for i in at.info)
    assert not at.exception


def test_two_locked_points_combine_with_a_table_per_point(tmp_path):
    """Two locked points: the summed result, each point's own table, the lock hashes and
    the two downloads."""
    dong = locked(tmp_path / "dong.json", DONG).read_bytes()
    tay = locked(tmp_path / "tay.json", TAY).read_bytes()
    at = page([("dong.json", dong), ("tay.json", tay)])
    assert not at.exception and not at.error
    rows = html_table(at, "combine-poll-1")
    assert [r["Họ và tên"] for r in rows] == [o.name for o in DONG.officials]
    assert rows[0]["Tín nhiệm thấp / Không tín nhiệm"] == "6 (60,00%)"
    assert rows[0]["Kết quả"] == "Quá nửa tín nhiệm thấp"
    assert html_table(at, "combine-point-1-1")[0]["Tín nhiệm thấp / Không tín nhiệm"] == (
        "4 (66,67%)"
    )
    assert html_table(at, "combine-point-1-2")[0]["Tín nhiệm thấp / Không tín nhiệm"] == (
        "2 (50,00%)"
    )
    hashes = {r["Tệp"]: r["Mã khóa"] for r in html_table(at, "combine-files")}
    assert hashes["dong.json"] == json.loads(dong)["x-tinnhiem"]["lock_hash"]
    assert any("Đã khóa" in m.value for m in at.markdown)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Báo cáo tổng hợp (Excel)",
        "Báo cáo tổng hợp (PDF)",
        "Báo cáo tổng hợp (Word)",
    ]


def test_refused_files_are_listed_with_their_reason_and_the_rest_combined(tmp_path):
    """A tampered locked file and a conflicting copy are refused, each with its reason;
    the remaining points are still combined; a duplicate counts once."""
    dong = locked(tmp_path / "dong.json", DONG).read_bytes()
    tampered = json.loads(locked(tmp_path / "tay.json", TAY).read_bytes())
    tampered["ballots"]["collected"] = 3
    tampered["entries"] = tampered["entries"][:3]
    other = _bytes(TAY)
    conflict = json.dumps({**json.loads(other), "entries": ["111"] * 4}).encode()
    files = [("dong.json", dong), ("tay.json", json.dumps(tampered).encode())]
    files += [("tay-2.json", other), ("tay-3.json", conflict), ("dong.json", dong)]
    at = page(files)
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert "tay\\.json" in errors[0] and "nhật ký kiểm toán không khớp" in errors[0]
    assert "tay\\-3\\.json" in errors[1] and "nội dung khác nhau" in errors[1]
    rows = {r["Tệp"]: r["Mã khóa"] for r in html_table(at, "combine-files")}
    assert rows["dong.json (2)"] == "trùng với dong.json: chỉ tính một lần"
    assert html_table(at, "combine-poll-1")[0]["Tín nhiệm thấp / Không tín nhiệm"] == ("6 (60,00%)")


def test_a_missing_point_is_named():
    """A point the user expects and no file brings is listed as missing."""
    at = page([("dong.json", _bytes(DONG))], expected="Thôn Đông\nThôn Tây\n")
    assert any("Chưa có tệp của: Thôn Tây." in w.value for w in at.warning)


def test_people_across_polls_side_by_side_and_hostile_names_stay_text():
    """One person in two polls is listed with each result; a name with Markdown and HTML
    signs shows as typed."""
    hostile = "<b>**Nguyễn**</b> [An](http://x)"
    officials = (Official(hostile, "Chủ tịch", person="P1"),)
    one = point_poll("A", ("3", "3"), total=2, id="p1", officials=officials)
    two = point_poll(None, ("1", "3"), total=2, id="p2", officials=officials, title="Đợt 2")
    at = page([("one.json", _bytes(one)), ("two.json", _bytes(two))])
    people = html_table(at, "combine-people")
    assert [(r["Họ và tên"], r["Kết quả"], r["Tỷ lệ thấp"]) for r in people] == [
        (hostile, "Từ 2/3 tín nhiệm thấp trở lên", "100,00%"),
        (hostile, "Không quá nửa", "50,00%"),
    ]


def test_no_file_left_says_so():
    """When every file is refused the page says nothing can be combined."""
    at = page([("bad.json", b"{not json")])
    assert any("bad\\.json" in e.value for e in at.error)
    assert any("Không còn tệp nào" in w.value for w in at.warning)
