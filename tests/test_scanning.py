"""The ballot reader (tinnhiem.scanning) on pages the project prints, marked and degraded."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest
from scan_corpus import degrade, mark_page, render, truth
from test_documents_ballots import council

from tinnhiem.demo import demo_poll
from tinnhiem.documents import ballot_layout, ballot_marks, ballots_pdf
from tinnhiem.model import Attendance, Kind, Official, Poll
from tinnhiem.scanning import Expected, NotAnImage, expected_for, open_pages, read_page
from tinnhiem.scanning.marks import BLANK_COVERAGE, BLANK_INK, MARKED, BoxScore, decide

DPI = 200


@pytest.fixture(scope="module")
def demo() -> Poll:
    return demo_poll(None)


@pytest.fixture(scope="module")
def printed(demo):
    """The demo's serial-numbered ballot: its rows, its first page rendered, its reader."""
    pdf = ballots_pdf(demo, copies=2, serial=True)
    rows = ballot_layout(demo, serial=True)["pages"][0]["rows"]
    return rows, render(pdf, DPI), expected_for(demo)


# Eleven rows: every kind of mark, a blank row and a double mark.
CHOICES = [
    [(1, "cross")],
    [(2, "tick")],
    [(3, "filled")],
    [],
    [(1, "over_border")],
    [(2, "scribble")],
    [(1, "cross"), (3, "cross")],
    [(3, "cross")],
    [(2, "filled")],
    [],
    [(1, "tick")],
]
CLEAR = {"cross", "filled", "over_border"}  # marks no reader may send to a person


def marked(printed, seed: int = 7) -> np.ndarray:
    rows, pages, _ = printed
    return mark_page(pages[0], rows, CHOICES, DPI, np.random.default_rng(seed))


def test_a_clean_scan_reads_every_row_as_marked(printed):
    """Crosses, ticks, filled boxes, scribbles, marks over the border, blank and double rows."""
    _, _, expected = printed
    reading = read_page(marked(printed), expected)
    assert (reading.status, reading.entry, reading.doubtful) == ("read", truth(CHOICES), [])
    assert (reading.ballot_page, reading.ballot_pages, reading.serial) == (1, 1, "001")
    assert truth(CHOICES)[6] == "0"  # the double mark


@pytest.mark.parametrize(
    "how", ["upside_down", "rotate", "scale", "blur", "jpeg", "noise", "shadow", "photo"]
)
def test_a_degraded_scan_is_never_given_a_wrong_digit(printed, how):
    """Turned, scaled, blurred, compressed, noisy, shadowed or photographed: every row is
    right or ``?``, and every clear mark (a cross, a filled box) is read right."""
    _, _, expected = printed
    rng = np.random.default_rng(11)
    reading = read_page(degrade(marked(printed), how, rng), expected)
    assert reading.status == "read", reading.message
    right = truth(CHOICES)
    for n, (seen, meant) in enumerate(zip(reading.entry, right, strict=True)):
        assert seen in (meant, "?"), (n, seen, meant)
        if [kind for _, kind in CHOICES[n]] in ([k] for k in CLEAR):
            assert seen == meant, (n, CHOICES[n])
    assert reading.doubtful == [n for n, c in enumerate(reading.entry, start=1) if c == "?"]


def test_light_pencil_is_read_or_sent_to_a_person(printed):
    """A light pencil cross is its digit or ``?``, never another digit nor ``0``."""
    rows, pages, expected = printed
    choices = [[(n % 3 + 1, "pencil")] for n in range(len(rows))]
    page = mark_page(pages[0], rows, choices, DPI, np.random.default_rng(3))
    reading = read_page(page, expected)
    assert reading.status == "read"
    assert all(c in (t, "?") for c, t in zip(reading.entry, truth(choices), strict=True))
    assert reading.entry.count("?") <= 2


def test_another_polls_ballot_is_not_a_ballot(printed):
    """A ballot printed for another poll is ``not_a_ballot``, its marks unread."""
    _, pages, _ = printed
    other = council(11)
    reading = read_page(pages[0], expected_for(other))
    assert reading.status == "not_a_ballot" and reading.entry is None


def test_another_layout_of_the_same_poll_is_not_a_ballot(printed):
    """A page whose QR names a layout this poll does not print (an older one) is refused."""
    _, pages, expected = printed
    stale = Expected(expected.tag, {"00000000": next(iter(expected.layouts.values()))})
    assert read_page(pages[0], stale).status == "not_a_ballot"


def test_a_blank_page_and_a_foreign_page_are_not_ballots(printed):
    """White paper, a page with text but no markers, a single pixel and noise are
    ``not_a_ballot``, never an error."""
    _, _, expected = printed
    blank = np.full((2339, 1654), 245, np.uint8)
    foreign = blank.copy()
    for line in range(40):
        cv2.putText(foreign, "Lorem ipsum dolor", (150, 200 + 50 * line), 0, 1.2, 20, 2)
    tiny = np.zeros((1, 1), np.uint8)
    noise = np.random.default_rng(0).integers(0, 256, (1200, 900)).astype(np.uint8)
    for page in (blank, foreign, tiny, noise):
        reading = read_page(page, expected)
        assert (reading.status, reading.entry) == ("not_a_ballot", None)


def test_a_cropped_page_is_unreadable_and_says_so_in_vietnamese(printed):
    """A scan that lost the page's foot (two corners, the QR) is ``unreadable``, asking for a
    rescan (problem "P01")."""
    _, _, expected = printed
    cropped = marked(printed)[:1600]
    reading = read_page(cropped, expected)
    assert reading.status == "unreadable" and reading.entry is None
    assert reading.message.startswith("Không tìm thấy đủ bốn góc của phiếu (thấy 2/4)")


def test_a_folded_corner_is_unreadable(printed):
    """A corner folded over (its marker hidden under the paper's back) asks for a rescan."""
    _, _, expected = printed
    page = marked(printed)
    w = page.shape[1]
    fold = round(25 * DPI / 25.4)
    triangle = np.array([[w - fold, 0], [w, 0], [w, fold]], np.int32)
    cv2.fillPoly(page, [triangle], 235)
    reading = read_page(page, expected)
    assert reading.status == "unreadable"
    assert "(thấy 3/4)" in reading.message
    assert (reading.ballot_page, reading.ballot_pages, reading.serial) == (1, 1, "001")


def test_a_page_with_its_corners_but_no_readable_code_is_unreadable(printed):
    """Four corners found but the QR scratched out: ``unreadable`` (problem "P03")."""
    _, _, expected = printed
    page = marked(printed)
    px = DPI / 25.4
    x, y = ballot_marks.QR_AT
    side = ballot_marks.QR_SIZE
    top_left = (round(x * px), round(y * px))
    bottom_right = (round((x + side) * px), round((y + side) * px))
    cv2.rectangle(page, top_left, bottom_right, 0, -1)
    reading = read_page(page, expected)
    assert reading.status == "unreadable"
    assert "mã QR" in reading.message


def test_a_page_whose_corners_disagree_is_unreadable(printed):
    """A corner marker turned a quarter round (a pasted or folded corner) does not fit one
    flat sheet with the other three: ``unreadable`` (problem "P02")."""
    _, pages, expected = printed
    page = pages[0].copy()
    px = DPI / 25.4
    x, y = ballot_marks.MARKERS[2]
    m = round(ballot_marks.MARKER * px)
    x0, y0 = round(x * px), round(y * px)
    page[y0 : y0 + m, x0 : x0 + m] = np.rot90(page[y0 : y0 + m, x0 : x0 + m]).copy()
    reading = read_page(page, expected)
    assert reading.status == "unreadable"
    assert reading.message.startswith("Bốn góc của phiếu không khớp với khổ giấy")


def test_a_picture_too_coarse_to_judge_a_box_is_unreadable(printed):
    """A page shrunk to about 65 dpi, its corners still found, asks for a rescan at 150–300
    dpi (problem "P04")."""
    _, _, expected = printed
    small = cv2.resize(marked(printed), None, fx=0.33, fy=0.33, interpolation=cv2.INTER_AREA)
    reading = read_page(small, expected)
    assert reading.status == "unreadable"
    assert "150–300 dpi" in reading.message and "điểm mỗi inch" in reading.message


def test_the_second_page_of_a_long_ballot_reads_as_page_2_of_2():
    """A 45-official ballot's second page says so, with one character per row on it."""
    poll = council(45)
    layout = ballot_layout(poll)
    pages = render(ballots_pdf(poll), 150)
    rows = layout["pages"][1]["rows"]
    choices = [[(n % 3 + 1, "cross")] for n in range(len(rows))]
    page = mark_page(pages[1], rows, choices, 150, np.random.default_rng(5))
    reading = read_page(page, expected_for(poll))
    assert (reading.status, reading.ballot_page, reading.ballot_pages) == ("read", 2, 2)
    assert reading.serial is None
    assert reading.entry == truth(choices)
    assert rows[0]["official"] == len(layout["pages"][0]["rows"]) + 1


def test_a_vote_ballot_reads_its_two_boxes():
    """A confidence vote's ballot has two boxes per row, read as 1 or 2."""
    poll = Poll(
        kind=Kind.VOTE,
        rules="nq96-2023",
        members=Attendance(30, 28),
        issued=28,
        collected=28,
        officials=(Official("Đỗ Văn Thắng", "Giám đốc Sở"), Official("Lê Văn A", "Phó Giám đốc")),
    )
    rows = ballot_layout(poll)["pages"][0]["rows"]
    assert [len(r["boxes"]) for r in rows] == [2, 2]
    choices = [[(2, "cross")], [(1, "filled")]]
    page = mark_page(
        render(ballots_pdf(poll), 150)[0], rows, choices, 150, np.random.default_rng(1)
    )
    assert read_page(page, expected_for(poll)).entry == "21"


def test_a_poll_with_an_id_is_named_by_it(demo):
    """A poll that carries an ``id`` is named by it in the layout; one without, by a stable
    fingerprint that an NFD copy of the poll shares."""
    without_id, with_id = replace(demo), replace(demo)
    object.__setattr__(without_id, "id", None)  # Poll may carry an ``id`` field, or not yet
    object.__setattr__(with_id, "id", "hdnd-2026-01")
    assert ballot_layout(without_id)["poll"].startswith("fp-")
    assert ballot_layout(with_id)["poll"] == "hdnd-2026-01"
    assert expected_for(with_id).tag != expected_for(without_id).tag


def S(stroke: int, ink: int = 0, area: int = 100) -> BoxScore:
    return BoxScore(stroke, ink, area)


MARK = S(int(MARKED * 100))
BLANK = S(int(BLANK_COVERAGE * 100), int(BLANK_INK * 255 * 100))
FAINT = S(int(BLANK_COVERAGE * 100) + 1)
INKY = S(0, int(BLANK_INK * 255 * 100) + 1)
JUST_UNDER = S(int(MARKED * 100) - 1)


@pytest.mark.parametrize(
    ("scores", "placed", "entry"),
    [
        ([MARK, BLANK, BLANK], True, "1"),
        ([BLANK, BLANK, MARK], True, "3"),
        ([BLANK, BLANK, BLANK], True, "0"),
        ([MARK, MARK, BLANK], True, "0"),
        ([MARK, MARK, FAINT], True, "0"),
        ([MARK, FAINT, BLANK], True, "?"),
        ([MARK, INKY, BLANK], True, "?"),
        ([JUST_UNDER, BLANK, BLANK], True, "?"),
        ([BLANK, FAINT, BLANK], True, "?"),
        ([MARK, BLANK, BLANK], False, "?"),
        ([BLANK, MARK], True, "2"),
    ],
)
def test_a_row_is_a_digit_only_for_one_clear_mark(scores, placed, entry):
    """One marked box and the rest blank gives its digit; none or two marked give 0; any
    box between blank and marked, or a row not found, gives ``?`` (exact thresholds)."""
    assert decide(scores, placed) == entry


def test_markers_are_opencvs_aruco_markers():
    """The corner markers drawn are OpenCV's DICT_4X4_50 markers 0–3, cell for cell."""
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    for marker, rows in ballot_marks._MARKER_BITS.items():
        cells = cv2.aruco.generateImageMarker(dictionary, marker, 6)[1:5, 1:5] // 255
        assert ["".join(str(v) for v in row) for row in cells.tolist()] == list(rows)


def test_pdf_and_tiff_pages_open_in_order_and_other_bytes_do_not(printed):
    """Every page of a PDF and of a multi-page TIFF opens, in order; text is NotAnImage."""
    _, pages, _ = printed
    assert len(open_pages(ballots_pdf(demo_poll(None), copies=2))) == 2
    ok, tiff = cv2.imencodemulti(".tiff", [pages[0], pages[1][:100]])
    assert ok and [p.shape for p in open_pages(tiff.tobytes())] == [pages[0].shape, (100, 1654)]
    for raw in (b"hello", b"", b"%PDF-1.4 broken"):
        with pytest.raises(NotAnImage):
            open_pages(raw)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "TN2:ABCDEF0123:1:1:-:ABCDEF01",
        "TN1:ABCDEF0123:0:1:-:ABCDEF01",
        "TN1:ABCDEF0123:3:2:-:ABCDEF01",
        "TN1:ABCDEF0123:x:2:-:ABCDEF01",
        "TN1:ABCDEF0123:1:2:-",
    ],
)
def test_a_code_that_is_not_a_ballot_pages_is_refused(text):
    """Another QR's text, or a page outside 1…pages, is no PageCode."""
    assert ballot_marks.read_code(text) is None


def test_a_page_code_reads_back_what_was_printed():
    """A page's code text gives back its tag, page, pages, serial and layout hash."""
    code = ballot_marks.PageCode("0F611CED9D", 2, 3, "017", "50E1F1CB")
    assert ballot_marks.read_code(code.text()) == code
    assert ballot_marks.read_code(replace(code, serial=None).text()).serial is None
