"""The lock time on the results page is never read as Markdown, and a poll file's lock
time is an ISO 8601 time or the file is refused in Vietnamese (code review of issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_results import counting, page

from tinnhiem.problems import PollError
from tinnhiem.storage import Store

HOSTILE = [
    "![](http://10.0.0.1/x.png)",
    "**đậm** [liên kết](http://example.org) :red[đỏ] $x^2$",
    "<img src=x onerror=alert(1)>",
    "2026-12-02",  # a day without its time
    "x" * 5000,
]


@pytest.fixture
def locked(store: Store) -> int:
    """The poll of test_results, counted, closed and locked."""
    poll_id = counting(store)
    store.close_count(poll_id)
    store.lock(poll_id)
    return poll_id


@pytest.mark.parametrize("hostile", HOSTILE[:3])
def test_a_lock_time_that_is_no_time_is_shown_as_plain_text(
    store: Store, locked: int, hostile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored lock time the page cannot read as a time (a database edited by hand) is
    shown letter for letter in plain text, never in Markdown."""
    head = store.lock_info(locked)[1]
    monkeypatch.setattr(Store, "lock_info", lambda *_: (hostile, head))
    at = page(locked)
    assert not at.exception
    assert f"Khóa lúc {hostile}. Mã kiểm toán (SHA-256):" in [t.value for t in at.text]
    assert not [m.value for m in at.markdown if hostile in m.value or "Khóa lúc" in m.value]


def test_a_lock_time_it_reads_is_shown_in_bold_as_before(store: Store, locked: int) -> None:
    """The lock time the store wrote stays “Khóa lúc **14:32:05 ngày 02/12/2026**”."""
    locked_at = store.lock_info(locked)[0]
    clock, day = locked_at[11:19], f"{locked_at[8:10]}/{locked_at[5:7]}/{locked_at[:4]}"
    at = page(locked)
    assert f"Khóa lúc **{clock} ngày {day}**. Mã kiểm toán (SHA-256):" in [
        m.value for m in at.markdown
    ]


@pytest.mark.parametrize(
    ("hostile", "code", "said"),
    [
        *((h, "X10", "phải là thời điểm khóa dạng ISO 8601") for h in HOSTILE),
        (20261202, "F05", "phải là một chuỗi ký tự"),
        (["2026-12-02T10:00:00"], "F05", "phải là một chuỗi ký tự"),
    ],
)
def test_an_imported_lock_time_that_is_no_iso_time_is_refused(
    store: Store, locked: int, hostile: object, code: str, said: str, tmp_path: Path
) -> None:
    """A poll file whose x-tinnhiem.locked_at is no ISO 8601 time is refused (X10; not a
    text at all: F05) with a Vietnamese sentence naming the field; nothing is stored."""
    data = store.export_data(locked)
    data["x-tinnhiem"]["locked_at"] = hostile
    other = Store(tmp_path / "other.db")
    with pytest.raises(PollError) as caught:
        other.import_file(json.dumps(data, ensure_ascii=False))
    problem = caught.value.problem
    assert (problem.code, problem.field) == (code, "x-tinnhiem.locked_at")
    assert said in str(caught.value)
    assert other.list_polls() == []


def test_an_exported_locked_poll_with_its_own_lock_time_is_imported(
    store: Store, locked: int, tmp_path: Path
) -> None:
    """The lock time the store wrote passes the check: the file is imported, locked."""
    data = store.export_data(locked)
    other = Store(tmp_path / "other.db")
    poll_id = other.import_file(json.dumps(data, ensure_ascii=False))
    assert other.lock_info(poll_id)[0] == store.lock_info(locked)[0]
