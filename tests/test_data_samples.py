"""The sample officials lists shipped in data/ load as a secretary would load them."""

from pathlib import Path

import pytest

from tinnhiem.demo import DEMO_OFFICIALS
from tinnhiem.officials_io import read_officials

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("name", ["danh-sach-mau.csv", "danh-sach-mau.xlsx"])
def test_sample_list_gives_the_demo_officials_in_order(name):
    """Each sample list reads back as the demo's twelve officials, exemption included."""
    result = read_officials((DATA / name).read_bytes(), name)
    assert result.officials == DEMO_OFFICIALS
    assert result.warnings == ()
