"""User text on every page is shown as typed, never as Markdown, HTML or a directive (issue
13 point 5), and a bad ``?poll=`` gets a Vietnamese sentence, never a traceback (point 6).

Every page runs through the router (dashboard.py: the sidebar with it) on the hostile poll
of tests/hostile.py; every string of every element is collected from what AppTest would
send the browser, and judged by how the browser renders that field.
"""

from __future__ import annotations

import re
import string

import app_pages
import hostile as H
import pytest
from pin_gate import PIN, unlock
from streamlit.testing.v1 import AppTest

from tinnhiem.model import Official
from tinnhiem.storage import SetupInvalid, Store
from tinnhiem.ui import markup

PAGES = ("pages/setup.py", None, "pages/projector.py", "pages/results.py")  # None: counting
SHOWN_BY_EVERY_FRAMED_PAGE = (H.BODY, H.TITLE, H.TIME)  # the sidebar's poll card
EXEMPT = (H.EXEMPT.name, H.EXEMPT.position, H.EXEMPT.exempt_reason or "")


@pytest.fixture
def poll(store: Store) -> H.HostilePoll:
    return H.make_hostile_poll(store, PIN)


def open_page(page: str | None, poll: str | list[str] | None, pin: str | None = PIN) -> AppTest:
    """The app at ``page`` (None: the default, counting) with ``?poll=``, the PIN given."""
    return app_pages.open_page("dashboard.py", poll, switch_to=page, pin=pin)


def judged(at: AppTest, expected) -> list[H.Piece]:
    """The page's strings, checked: no exception, every expected text shown, none leaked."""
    assert not at.exception, [e.value for e in at.exception]
    found = H.pieces(at)
    assert H.missing(found, expected) == []
    assert H.leaks(found) == []
    return found


# -- the helper ----------------------------------------------------------------------------


def test_md_escape_escapes_every_ascii_punctuation_sign() -> None:
    """Each of the 32 ASCII punctuation signs gets a backslash: none is hand-picked away."""
    for sign in string.punctuation:
        assert markup.md_escape(f"a{sign}b").replace(markup.WORD_JOINER, "") == f"a\\{sign}b"


@pytest.mark.parametrize(
    "text",
    [H.SHORTCODES, H.ARROWS, H.ICON, "-> x", "x <-", "~= ≈", H.AUTOLINK, "HTTPS://a.b", "a@b.vn"],
)
def test_md_escape_leaves_nothing_for_streamlit_to_rewrite(text: str) -> None:
    """What Streamlit rewrites after Markdown is read (its own regular expressions, from
    its frontend: shortcodes, icons, its logo, arrows and dashes; GitHub Markdown's links
    made of addresses, mdast-util-gfm-autolink-literal) no longer matches."""
    escaped = markup.md_escape(text)
    assert ":material/" not in escaped  # Streamlit reads this in the source, before Markdown
    read = re.sub(r"\\(.)", r"\1", escaped)  # the text Markdown hands on
    assert not re.search(r":material_(\w+):|:streamlit:|:[\w+-][\w_+-]*:", read)
    assert not re.search(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)", read)
    assert not re.search(r"(https?://|www(?=\.))([-.\w]+)", read, re.I)
    assert not re.search(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", read)
    assert not re.search(r":(?!material\/|streamlit:)[\w+-][\w_+-]*:", escaped)  # emoji loader
    assert read.replace(markup.WORD_JOINER, "") == text


def test_md_escape_keeps_blank_lines_and_indents_from_making_blocks() -> None:
    """A line break is a space, leading blanks are no-break spaces: no new paragraph, list
    or code block can start inside user text."""
    assert markup.md_escape("    a\n\n# b") == "\u00a0" * 4 + "a \\# b"


@pytest.mark.parametrize("control", H.CONTROLS)
def test_control_characters_are_refused_with_s08(store: Store, control: str) -> None:
    """A name with a control character is refused (S08), naming the character; none stored."""
    setting = H.hostile_poll_setting()
    bad = (Official(f"Nguyễn{control}An"), *setting.officials[1:])
    with pytest.raises(SetupInvalid) as refused:
        store.create_poll(type(setting)(**{**setting.__dict__, "officials": bad}), pin=PIN)
    assert [p.code for p in refused.value.problems] == ["S08"]
    assert f"U+{ord(control[0]):04X}" in refused.value.problems[0].message
    assert store.list_polls() == []


# -- every page ----------------------------------------------------------------------------


def test_the_counting_page_shows_names_and_reasons_as_typed(poll: H.HostilePoll) -> None:
    """The gate lists the board's names, the keyboard the officials', the last entries the
    void and correction reasons; a reason typed into the fix form is shown as typed."""
    at = open_page(None, str(poll.poll_id), pin=None)
    judged(at, [b.name for b in H.BOARD])
    at = unlock(at)
    expected = [*H.NAMES, H.LONG_NAME, H.VOID_REASON, H.CORRECTION_REASON]
    judged(at, [*expected, *SHOWN_BY_EVERY_FRAMED_PAGE])
    typed = f"{H.MD_LINK} {H.LATEX} {H.ICON}"
    at.toggle(key="tinnhiem.fix.open").set_value(True).run()
    at.number_input(key="tinnhiem.fix.no").set_value(5)
    at.text_input(key="tinnhiem.fix.reason").input(typed).run()  # shown, then read back
    at.button(key="tinnhiem.fix.submit").click().run()
    judged(at, [*expected, f"Đã hủy: {typed}"])


def test_the_results_page_shows_names_positions_and_reasons_as_typed(
    poll: H.HostilePoll,
) -> None:
    """Names and positions in the table, every name in its consequence (a Markdown message),
    the exempt official with their reason, the body and the title."""
    at = open_page("pages/results.py", str(poll.poll_id))
    found = judged(
        at,
        [
            *H.NAMES,
            *H.POSITIONS,
            H.LONG_NAME,
            H.LONG_POSITION,
            *SHOWN_BY_EVERY_FRAMED_PAGE,
            *EXEMPT,
        ],
    )
    consequences = [p for p in found if p.where.startswith("error") and "—" in p.text]
    assert len(consequences) == len(H.NAMES) + 1  # everyone over half: each name in Markdown


def test_the_projector_shows_names_body_and_title_as_typed(poll: H.HostilePoll) -> None:
    """The hall screen's header, its table for screen readers and its chart's data."""
    at = open_page("pages/projector.py", str(poll.poll_id), pin=None)
    judged(at, [*H.NAMES, H.LONG_NAME, H.BODY, H.TITLE])


def test_the_setup_page_shows_every_field_as_typed(poll: H.HostilePoll) -> None:
    """Title, body, place, the officials (with the exempt reason) and the board."""
    at = open_page("pages/setup.py", str(poll.poll_id))
    judged(
        at,
        [H.TITLE, H.BODY, H.PLACE, *H.NAMES, *H.POSITIONS, H.LONG_NAME, H.LONG_POSITION, *EXEMPT]
        + [b.name for b in H.BOARD],
    )


def test_an_imported_result_names_its_file_as_typed(store: Store, poll: H.HostilePoll) -> None:
    """The file name of a poll locked elsewhere heads its results page, escaped."""
    copy = H.lock_and_import(store, poll.poll_id)
    at = open_page("pages/results.py", str(copy))
    found = judged(at, [H.FILE_NAME, *H.NAMES])
    assert any(p.kind == "html" and "nhập từ tệp" in H.shown(p) for p in found)


# -- ?poll= --------------------------------------------------------------------------------

BAD_POLLS = [
    ("²", "không phải số"),
    ("99999999999999999999999", "Không có cuộc kiểm phiếu số 99999999999999999999999"),
    ("-1", "không phải số"),
    ("abc", "không phải số"),
    ("", "chưa ghi số"),
    (["1", "2"], "nhiều số"),
    ("4711", "Không có cuộc kiểm phiếu số 4711"),
    (H.MD_IMAGE, "không phải số"),
]
_ENGLISH = re.compile(r"\b(the|not|found|error|invalid|poll|traceback|exception)\b", re.I)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("value", "says"), BAD_POLLS)
@pytest.mark.usefixtures("store", "poll")
def test_a_bad_poll_in_the_url_gets_a_vietnamese_sentence(
    page: str | None, value, says: str
) -> None:
    """Each bad ``?poll=`` on each page: no traceback, one warning in Vietnamese saying
    what is wrong and to choose a poll, no English; no poll opens by itself."""
    at = open_page(page, value, pin=None)
    assert not at.exception, [e.value for e in at.exception]
    warnings = [H.shown(H.Piece("markdown", w.value, "warning")) for w in at.main.warning]
    assert [w for w in warnings if says in w and "Chọn cuộc kiểm phiếu" in w], warnings
    assert H.leaks(H.pieces(at), [H.MD_IMAGE]) == []
    assert not [w for w in warnings if _ENGLISH.search(w.replace("poll=", ""))]
    assert H.missing(H.pieces(at), [H.NAMES[1]]) == [H.NAMES[1]]  # no poll opened
