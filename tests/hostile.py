"""A hostile poll: every text a person types or imports is Markdown, HTML, a Streamlit
directive, LaTeX, an emoji shortcode, a URL or invisible characters, up to the app's limits.

Made through the app's own paths (``Store`` and a poll file's import), so only what the
validation accepts gets in; control characters are refused (S08) and are checked to be.
Used by tests/pages/test_user_text.py (AppTest) and tests/test_browser_offline.py (Chromium).
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from html.parser import HTMLParser

from tinnhiem import limits
from tinnhiem.model import Attendance, BoardMember, Kind, Official, Poll
from tinnhiem.storage import Store
from tinnhiem.ui import frame

OUTSIDE = "198.51.100.7"  # TEST-NET-2 (RFC 5737): any request to it is a leak
IMG = f"<img src=http://{OUTSIDE}/h.png>"
SCRIPT = "<script>alert(1)</script>"
MD_IMAGE = f"![x](http://{OUTSIDE}/m.png)"
MD_LINK = f"[bấm](http://{OUTSIDE}/l)"
COLOUR = ":red[ĐỎ]"
ICON = ":material/delete:"
LATEX = "$x^2$"
BOLD = "**đậm**"
HEADING = "# tiêu đề"
CODE = "`code`"
BACKSLASH = "C:\\thư mục\\*không\\*"
INVISIBLE = "Nguyễn\u200bVăn\u200dAn\ufeff"  # zero-width space and joiner, BOM
SHORTCODES = ":smile: :streamlit: :material_delete:"
ARROWS = "a -> b <- c -- d >= e"
ENTITY = "&amp; &lt;b&gt;"
AUTOLINK = f"http://{OUTSIDE}/a www.example.com"
LIST = "1. danh sách"
STYLE = f"<style>*{{background:url(http://{OUTSIDE}/c.png)}}</style>"

# One official (name, position) per hostile string: 15 fit one projector screen.
NAMES = (IMG, SCRIPT, MD_IMAGE, MD_LINK, COLOUR, ICON, LATEX, BOLD)
NAMES += (HEADING, CODE, BACKSLASH, INVISIBLE, SHORTCODES, ARROWS)
POSITIONS = (ENTITY, AUTOLINK, LIST, STYLE, IMG, MD_IMAGE, LATEX, COLOUR)
POSITIONS += (ICON, MD_LINK, BOLD, CODE, HEADING, SCRIPT)
EVERY = tuple(dict.fromkeys(NAMES + POSITIONS))


def _long(text: str, length: int) -> str:
    """``text`` repeated (with spaces) to exactly ``length`` characters."""
    return ((text + " ") * (length // (len(text) + 1) + 1))[:length]


LONG_NAME = (MD_IMAGE + " " + _long(COLOUR, limits.MAX_NAME))[: limits.MAX_NAME]
LONG_POSITION = (IMG + " " + _long(MD_LINK, limits.MAX_POSITION))[: limits.MAX_POSITION]
EXEMPT = Official(f"Miễn {MD_IMAGE}", f"Chức vụ {COLOUR}", f"Lý do {IMG} {LATEX}")
TITLE = f"Kỳ họp {BOLD} {MD_IMAGE} {ICON}"
BODY = f"HĐND {IMG} {COLOUR} {LATEX} {MD_LINK}"
PLACE = f"Hội trường {SCRIPT} {HEADING}"
TIME = f"14:00 {MD_IMAGE} {COLOUR}"  # free text in a poll file (x-tinnhiem.time)
BOARD = (
    BoardMember(f"Trưởng ban {MD_IMAGE}", "chair"),
    BoardMember(f"Thư ký {COLOUR} {ICON}", "secretary"),
    BoardMember(f"Ủy viên {IMG} {BOLD}", "member"),
)
VOID_REASON = f"Hủy vì {MD_IMAGE} {COLOUR} {ICON} {LATEX}"
CORRECTION_REASON = f"Sửa vì {IMG} {MD_LINK} {BOLD}"
CLOSE_REASON = f"Kết thúc vì {HEADING} {CODE}"
REOPEN_REASON = f"Mở lại vì {SCRIPT} {SHORTCODES}"
FILE_NAME = f"{MD_IMAGE} {COLOUR}.json"  # an imported file's name is shown with its result
CONTROLS = ("\x00", "\x07", "\x1b[31m", "\x08", "\x1f")  # refused: S08


@dataclass(frozen=True)
class HostilePoll:
    """The ids of a hostile poll and, when made, its locked copy imported from a file."""

    poll_id: int
    voided: int  # the entry number voided with VOID_REASON
    corrected: int  # the entry number corrected with CORRECTION_REASON


def hostile_poll_setting() -> Poll:
    """The hostile poll's setting: every text field hostile, the long ones at their limits."""
    officials = tuple(Official(n, p) for n, p in zip(NAMES, POSITIONS, strict=True))
    return Poll(
        kind=Kind.POLL,
        rules="nq96-2023",
        members=Attendance(10, 10),
        issued=10,
        collected=10,
        officials=(*officials, Official(LONG_NAME, LONG_POSITION), EXEMPT),
        title=TITLE,
        body=BODY,
        place=PLACE,
        time=TIME,
        board=BOARD,
        remarks=_long(f"{MD_IMAGE} {IMG}", limits.MAX_REMARKS),
    )


def make_hostile_poll(store: Store, pin: str) -> HostilePoll:
    """Create the hostile poll and count it: everyone rated low (over half, every name in a
    consequence), one ballot voided, one corrected, the count closed and reopened, each
    with a hostile reason. Left counting."""
    poll_id = store.create_poll(hostile_poll_setting(), actor=BOARD[0].name, pin=pin)
    store.open_count(poll_id, actor=BOARD[0].name)
    width = len(NAMES) + 1
    for _ in range(8):
        store.add_ballot(poll_id, "3" * width, station="Máy 1", entered_by=BOARD[1].name)
    store.void_ballot(poll_id, 2, VOID_REASON, actor=BOARD[2].name)
    corrected = store.correct_ballot(
        poll_id, 3, "3" * (width - 1) + "1", CORRECTION_REASON, actor=BOARD[2].name
    )
    store.close_count(poll_id, actor=BOARD[0].name, reason=CLOSE_REASON)
    store.reopen_count(poll_id, reason=REOPEN_REASON, actor=BOARD[0].name)
    assert corrected.replaces == 3
    return HostilePoll(poll_id, voided=2, corrected=3)


def lock_and_import(store: Store, poll_id: int) -> int:
    """Close and lock the hostile poll, then import its exported file under the hostile
    FILE_NAME (as the setup page does): the copy's results page names that file."""
    store.close_count(poll_id, actor=BOARD[0].name, reason=CLOSE_REASON)
    store.lock(poll_id, actor=BOARD[0].name)
    text = json.dumps(store.export_data(poll_id), ensure_ascii=False)
    return store.import_file(text, actor=BOARD[0].name, file_name=FILE_NAME, source="tệp thử")


def visible(text: str) -> str:
    """``text`` as a reader sees it: the invisible characters md_escape adds removed, its
    no-break spaces as spaces, white space folded."""
    return " ".join(text.replace("\u2060", "").replace("\u00a0", " ").split())


USER_TEXTS = (
    *EVERY,
    *(LONG_NAME, LONG_POSITION, EXEMPT.name, EXEMPT.position, EXEMPT.exempt_reason or ""),
    *(TITLE, BODY, PLACE, TIME, *(b.name for b in BOARD)),
    *(VOID_REASON, CORRECTION_REASON, FILE_NAME),
)


# -- what a page rendered (AppTest) --------------------------------------------------------

# Proto fields the browser renders as Markdown (widget labels, help, bodies of st.markdown,
# st.error, st.caption, headings, radio options and captions, a progress bar's text).
_MARKDOWN_FIELDS = frozenset({"body", "label", "help", "captions", "text"})
_LITERAL_ELEMENTS = frozenset({"text", "code", "html", "json", "exception", "bidi_component"})


@dataclass(frozen=True)
class Piece:
    """One string a page sent to the browser and how the browser reads it."""

    kind: str  # "markdown", "html" or "text" (shown as it is)
    text: str
    where: str  # element type and field, for messages


def pieces(at) -> list[Piece]:  # at: AppTest
    """Every string of every element and block of a run page, with how it is rendered."""
    found: list[Piece] = []
    _walk(at._tree, found)
    return found


def _walk(node, found: list[Piece]) -> None:
    label = getattr(node, "label", None)
    if hasattr(node, "children"):
        if isinstance(label, str) and label:  # an expander's or tab's label: Markdown
            found.append(Piece("markdown", label, f"{node.type}.label"))
        for child in node.children.values():
            _walk(child, found)
        return
    from google.protobuf.json_format import MessageToDict

    kind = node.type
    data = MessageToDict(node.proto, preserving_proto_field_name=True)
    for field, text in _strings(data, ""):
        name = field.rsplit(".", 1)[-1]
        if kind == "html" and name == "body":
            found.append(Piece("html", text, f"{kind}.{field}"))
        elif kind == "arrow_vega_lite_chart" or kind == "vega_lite_chart":
            if name == "spec":
                found.append(Piece("text", text, f"{kind}.spec"))
        elif kind not in _LITERAL_ELEMENTS and (
            name in _MARKDOWN_FIELDS or (kind == "radio" and name == "options")
        ):
            found.append(Piece("markdown", text, f"{kind}.{field}"))
        else:
            found.extend(Piece("text", t, f"{kind}.{field}") for t in _json_strings(text))
    found.extend(Piece("text", t, f"{kind}.data") for t in _arrow_strings(node))


def _strings(data, path: str):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value, path)
    elif isinstance(data, str):
        yield path, data


def _json_strings(text: str) -> list[str]:
    """``text``, and when it is JSON (a component's data), every string inside it."""
    if text[:1] in '{["':
        try:
            data = json.loads(text)
        except ValueError:
            return [text]
        if isinstance(data, str):  # a component's data is JSON inside a JSON string
            return [text, *_json_strings(data)]
        return [text, *(s for _, s in _strings(data, ""))]
    return [text]


def _arrow_strings(node) -> list[str]:
    """The cells of a dataframe or data editor, and of a chart's datasets, as text."""
    import pyarrow as pa

    tables = []
    for field in ("data", "arrow_data"):  # a chart's or a dataframe's (its .data)
        arrow = getattr(node.proto, field, None)
        arrow = getattr(arrow, "data", arrow)
        if isinstance(arrow, bytes) and arrow:
            tables.append(arrow)
    for dataset in getattr(node.proto, "datasets", ()):
        tables.append(dataset.data.data)
    texts = []
    for blob in tables:
        try:
            table = pa.ipc.open_stream(blob).read_all()
        except pa.ArrowInvalid:
            continue
        for column in table.columns:
            texts += [str(v) for v in column.to_pylist() if isinstance(v, str)]
    return texts


# -- judging them --------------------------------------------------------------------------

# What Streamlit's frontend and GitHub Markdown rewrite in text already read (their own
# expressions): shortcodes and icons, arrows, addresses made links.
_REWRITES = re.compile(
    r":material_\w+:|:[A-Za-z_][\w+-]*:|(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"
    r"|(?i:https?://|www\.)[-.\w]|[-.\w+]@[-\w]+\.[-\w]"
)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def strict_escape(text: str) -> str:
    """``text`` with a backslash before every ASCII punctuation sign (CommonMark's escapes)."""
    return "".join("\\" + c if c in string.punctuation else c for c in text)


def shown(piece: Piece) -> str:
    """What a reader of the piece sees: Markdown escapes undone, HTML reduced to its text."""
    if piece.kind == "markdown":
        return visible(_ESCAPE.sub(r"\1", piece.text))
    if piece.kind == "html":
        parser = _HtmlText()
        parser.feed(piece.text)
        return " \n ".join(visible(t) for t in parser.texts)
    return visible(piece.text)


def missing(found: list[Piece], expected) -> list[str]:
    """The expected texts that no piece shows as they are."""
    seen = "\n".join(shown(p) for p in found)
    return [text for text in expected if visible(text) not in seen]


def leaks(found: list[Piece], user_texts=USER_TEXTS) -> list[str]:
    """Where user text reaches the browser as markup: a Markdown piece that shows a user
    text without every sign of it escaped, or HTML with a tag or address from user text."""
    problems = []
    for piece in found:
        if piece.kind == "markdown":
            raw = piece.text.replace("\u2060", "")
            read = _ESCAPE.sub(r"\1", piece.text)  # what Markdown hands on to the rewrites
            if _REWRITES.search(read):
                problems.append(f"{piece.where}: rewritten after Markdown: {piece.text!r}")
            for text in user_texts:
                if visible(text) in shown(piece) and strict_escape(text) not in raw:
                    problems.append(f"{piece.where}: {text!r} unescaped in {piece.text!r}")
        elif piece.kind == "html" and piece.text == frame.CHROME_HTML:
            continue  # the app's own fixed chrome (words.py's words), not a user's text
        elif piece.kind == "html":
            parser = _HtmlText()
            parser.feed(piece.text)
            problems += [f"{piece.where}: {tag}" for tag in parser.bad]
    return problems


class _HtmlText(HTMLParser):
    """The text of an HTML piece, and any tag a user's text could have made."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.bad: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("img", "script", "a", "iframe", "link", "object", "embed"):
            self.bad.append(f"<{tag}>")
        if any(OUTSIDE in (value or "") for _, value in attrs):
            self.bad.append(f"<{tag}> pointing at {OUTSIDE}")
        self._style = tag == "style"

    def handle_endtag(self, _tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style and OUTSIDE in data:
            self.bad.append(f"<style> fetching {OUTSIDE}")
        elif not self._style:
            self.texts.append(data)
