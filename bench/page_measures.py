"""One rerun of a page (or of its fragment) through Streamlit's AppTest, against an empty
page's rerun.

A page is run as its own script (as tests/pages do), with ``TINNHIEM_DB`` pointing to a
prepared database and ``?poll=ID`` in its URL; a fragment's rerun runs the page once, then
only the function it decorates (bench/fragment_page.py). Before each timed rerun the bench stores
one more ballot through the store, so every rerun has something new to show (the case
the typist and the hall wait for); the first run (imports, caches) and WARM_UP more are
not timed. The empty page's reruns are interleaved with the page's.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import fixtures
from stats import timed_ms, timing, with_ratio
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, local_script_runner

from tinnhiem.storage import Store

ROOT = Path(__file__).resolve().parent.parent
EMPTY_PAGE = Path(__file__).resolve().parent / "empty_page.py"
FRAGMENT_PAGE = Path(__file__).resolve().parent / "fragment_page.py"
PAGES = {
    name: ROOT / "pages" / f"{name}.py" for name in ("setup", "counting", "projector", "results")
}
# The fragment each page reruns on its own: the desk (a ballot typed), the hall screen's and
# the live result's timers.
FRAGMENTS = {"desk": "counting", "hall": "projector", "live": "results"}
TARGETS = {(500, 50): 3.0, (5000, 100): 3.0}  # issue 15, point 7: within ×3 of an empty page
TIMEOUT_S = 300
# AppTest's first run, outside any script, logs "missing ScriptRunContext" twice per page
# (Streamlit resets its loggers' levels when it reads its config, so a filter is used).
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage()
)
WARM_UP = 3  # reruns (each after a ballot) not timed: the first ones open connections
# A page is compiled once by the server: its Runtime keeps one ScriptCache for every session
# and every rerun (Streamlit 1.67, runtime/runtime.py). AppTest's LocalScriptRunner makes a
# new one at each run (testing/v1/local_script_runner.py), so each measured rerun would
# compile the page's file again, magic's AST pass included: ~2 ms for pages/setup.py, next
# to nothing for the empty page, and never paid by the app. The bench keeps one cache for
# every script it runs, as the server does (docs/performance.md, "Compiled once").
_SCRIPTS = ScriptCache()
local_script_runner.ScriptCache = lambda: _SCRIPTS  # type: ignore[assignment,misc]


def _app(script: Path, poll_id: int | None = None) -> AppTest:
    app = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    if poll_id is not None:
        app.query_params["poll"] = str(poll_id)
    return app


def _rerun(app: AppTest) -> None:
    app.run()
    if app.exception:
        raise RuntimeError(f"the page raised: {app.exception[0].message}")


def _unlock(app: AppTest) -> None:
    """Pass the board's PIN gate once, untimed, as the typist does before the first ballot:
    a session that gave the PIN keeps it, so the timed reruns show the page itself."""
    gate = [t for t in app.text_input if t.key == "access.pin"]
    if not gate:
        return
    gate[0].input(fixtures.PIN)
    next(b for b in app.button if b.label == "Mở khóa").click()
    _rerun(app)
    if any(t.key == "access.pin" for t in app.text_input):
        raise RuntimeError("the page kept its PIN gate closed")


def page_rerun(
    dbs: fixtures.Databases,
    name: str,
    page: str,
    entered: int,
    width: int,
    reps: int,
    target: float,
) -> dict:
    """page_PAGE_NxM (or fragment_NAME_NxM): p50/p95 of one rerun, ratio to the empty page."""
    path, poll_id = dbs.copy(entered, width)
    os.environ["TINNHIEM_DB"] = str(path)
    store = Store(path)
    if page in FRAGMENTS:
        os.environ["BENCH_PAGE"] = str(PAGES[FRAGMENTS[page]])
        app = _app(FRAGMENT_PAGE, poll_id)
    else:
        app = _app(PAGES[page], poll_id)
    empty = _app(EMPTY_PAGE)
    _rerun(app)
    _unlock(app)
    if page in FRAGMENTS and "bench.fragment" not in app.session_state:
        raise RuntimeError(f"the {FRAGMENTS[page]} page ran no fragment")
    _rerun(empty)
    measured, baseline = [], []
    ballots = fixtures.ballots(WARM_UP + reps, width, seed=fixtures.SEED + 2)
    for number, ballot in enumerate(ballots):
        store.add_ballot(poll_id, ballot, station="Máy đo", entered_by="bench")
        page_ms, empty_ms = timed_ms(lambda: _rerun(app)), timed_ms(lambda: _rerun(empty))
        if number >= WARM_UP:
            measured.append(page_ms)
            baseline.append(empty_ms)
    row = timing(name, measured, ballots=entered, officials=width)
    return with_ratio(row, measured, baseline, target=target)
