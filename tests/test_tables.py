"""tinnhiem.ui.tables: short read-only tables drawn as one escaped HTML element."""

from __future__ import annotations

import pytest

from tinnhiem.ui.tables import TONES, Cell, html_figures, html_table


def test_a_table_has_its_header_cells_label_and_test_id() -> None:
    """The header row, every cell in order, the aria-label and the data-testid are written."""
    out = html_table(("Số", "Phiếu"), [(1, "1230"), (2, None)], label="Phiếu vừa nhập", testid="t")
    assert '<table class="tn-t" data-testid="t" aria-label="Phiếu vừa nhập">' in out
    assert "<caption>" not in out
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


def test_a_tone_classes_its_cell_and_tones_combine() -> None:
    """A cell's tones become its classes, each styled by the table's stylesheet."""
    out = html_table(("a", "b"), [(Cell("x", "mono struck"), "y")], label="l", testid="t")
    assert '<td class="mono struck">x</td><td>y</td>' in out
    for tone in TONES:
        assert f"table.tn-t td.{tone}{{" in out
    with pytest.raises(KeyError, match="loud"):
        html_table(("a",), [(Cell("x", "loud"),)], label="l", testid="t")


def test_a_caption_and_column_tones_are_written_and_a_cell_tone_wins() -> None:
    """The caption is escaped text above the table; a column's tone yields to a Cell's own."""
    out = html_table(
        ("Số", "Ghi chú"),
        [("1", "ok"), ("2", Cell("Đã hủy", "bad"))],
        label="l",
        testid="t",
        caption="Máy <b>1</b>",
        column_tones=("number", "muted"),
    )
    assert "<caption>Máy &lt;b&gt;1&lt;/b&gt;</caption>" in out
    assert '<td class="number">1</td><td class="muted">ok</td>' in out
    assert '<td class="number">2</td><td class="bad">Đã hủy</td>' in out


def test_a_row_with_more_cells_than_columns_is_refused() -> None:
    """A row that does not fit the header is an error, not a silently cut table."""
    with pytest.raises(ValueError, match="zip"):
        html_table(("a",), [("1", "2")], label="l", testid="t")


def test_figures_are_labelled_values_escaped_in_order() -> None:
    """Each figure is its label then its value, in order; text is escaped."""
    out = html_figures((("Phiếu thu về", "47"), ("<b>x</b>", "1/2")), testid="f")
    assert '<dl class="tn-f" data-testid="f">' in out
    assert out.index("<dt>Phiếu thu về</dt><dd>47</dd>") < out.index("<dd>1/2</dd>")
    assert "<b>" not in out and "<dt>&lt;b&gt;x&lt;/b&gt;</dt>" in out


def test_a_table_is_markup_streamlit_takes_as_it_is() -> None:
    """html_table gives Html: st.html reads it through _repr_html_, the same text, not
    re-indented; a cell is a plain tuple of text and tone."""
    out = html_table(("a",), [(Cell("  x", "muted"),)], label="l", testid="t")
    assert isinstance(out, str) and out._repr_html_() == str(out)
    assert '<td class="muted">  x</td>' in out._repr_html_()
    assert Cell("x") == ("x", "")
