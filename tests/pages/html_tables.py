"""Helper shared by the page tests: read back a table the page drew with ``st.html``."""

from __future__ import annotations

from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest


class _Table(HTMLParser):
    """Collects the header and the cells of the table with one ``data-testid``."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.cell = testid, False, None
        self.header: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table" and ("data-testid", self.testid) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            (self.header if tag == "th" else self.rows[-1]).append(self.cell)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell += data


def html_table(at: AppTest, testid: str) -> list[dict[str, str]]:
    """The rows (header → text) of the last ``st.html`` table with that test id; [] if none."""
    for element in reversed(list(at.get("html"))):
        parser = _Table(testid)
        parser.feed(element.value)
        if parser.header:
            return [dict(zip(parser.header, row, strict=True)) for row in parser.rows if row]
    return []


def html_table_cells(at: AppTest, testid: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows (cells as text) of the last ``st.html`` table with that test
    id, for a table whose header repeats a name (the results table's "%")."""
    for element in reversed(list(at.get("html"))):
        parser = _Table(testid)
        parser.feed(element.value)
        if parser.header:
            return parser.header, [row for row in parser.rows if row]
    return [], []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(at: AppTest, index: int = 0) -> str:
    """The text a reader sees in the page's ``index``-th ``st.html`` element (tags dropped,
    entities read); the results page's first is its heading."""
    parser = _Text()
    parser.feed(list(at.get("html"))[index].value)
    return "".join(parser.parts)
