"""tinnhiem.ui.tables: short read-only tables drawn as one escaped HTML element."""

from __future__ import annotations

from tinnhiem.ui.tables import TONES, Cell, html_table


def test_a_table_has_its_header_cells_label_and_test_id() -> None:
    """The header row, every cell in order, the aria-label and the data-testid are written."""
    out = html_table(("Số", "Phiếu"), [(1, "1230"), (2, None)], label="Phiếu vừa nhập", testid="t")
    assert out.startswith('<table data-testid="t" aria-label="Phiếu vừa nhập"')
    assert out.count('<th scope="col"') == 2
    assert out.count("<tr>") == 3
    assert ">Số</th>" in out and ">1230</td>" in out
    assert out.index(">1</td>") < out.index(">1230</td>") < out.index(">2</td>")
    assert "None" not in out  # an empty cell is empty, not the word None


def test_names_are_escaped_never_markup() -> None:
    """A name with HTML in it reaches the browser as text, in the header and in the cells."""
    hostile = '<img src=x onerror="alert(1)">'
    out = html_table(
        (hostile,), [(hostile,), (Cell(hostile, "bad"),)], label=hostile, testid=hostile
    )
    assert "<img" not in out
    assert out.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 5


def test_a_tone_styles_its_cell_and_tones_combine() -> None:
    """A cell's tones add their styles to that cell only; an unknown tone is an error."""
    out = html_table(("a", "b"), [(Cell("x", "mono struck"), "y")], label="l", testid="t")
    styled, plain = out.split("<td")[1], out.split("<td")[2]
    assert TONES["mono"] in styled and TONES["struck"] in styled
    assert TONES["mono"] not in plain and TONES["struck"] not in plain
    try:
        html_table(("a",), [(Cell("x", "loud"),)], label="l", testid="t")
    except KeyError as error:
        assert "loud" in str(error)
    else:
        raise AssertionError("an unknown tone was accepted")
