"""TCVN3 (ABC) and VNI text recognised and turned into Unicode (tinnhiem.legacy_encodings)."""

from __future__ import annotations

import pytest

from tinnhiem.legacy_encodings import TCVN3, VNI, detect, in_bytes, to_unicode

# Unicode, then as the TCVN3 (.VnTime) and VNI (VNI-Times) fonts stored it.
NAMES = [
    ("Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn Vaên An"),
    ("Trần Thị Bích", "TrÇn ThÞ BÝch", "Traàn Thò Bích"),
    ("Đỗ Đức Hoàng", "§ç §øc Hoµng", "Ñoã Ñöùc Hoaøng"),
    ("Phó Chủ tịch UBND tỉnh", "Phã Chñ tÞch UBND tØnh", "Phoù Chuû tòch UBND tænh"),
    ("Phạm Ngọc Tường", "Ph¹m Ngäc T­êng", "Phaïm Ngoïc Töôøng"),
]


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), NAMES)
def test_legacy_names_convert_to_unicode(unicode: str, tcvn3: str, vni: str) -> None:
    """Each name in either legacy encoding comes out as its Unicode spelling."""
    assert to_unicode(tcvn3, TCVN3) == unicode
    assert to_unicode(vni, VNI) == unicode


def test_a_file_is_recognised_by_all_its_cells() -> None:
    """The encoding is told from a file's cells together, a Unicode header left aside."""
    assert detect(["Họ và tên", *(t for _, t, _ in NAMES)]) == TCVN3
    assert detect(["Họ và tên", *(v for _, _, v in NAMES)]) == VNI


@pytest.mark.parametrize(
    "texts",
    [["Nguyễn Văn An", "Hoàng Bùi"], ["Hoà Bình", "Lò Thị Hoà"], ["Nguyen Van An"], [""]],
)
def test_unicode_and_plain_text_are_not_legacy(texts: list[str]) -> None:
    """Vietnamese in Unicode, even with only Latin-1 letters (à, ù, ò), is left as it is."""
    assert detect(texts) is None
    assert [to_unicode(t, TCVN3) for t in texts if max(t, default="") > "\xff"] == [
        t for t in texts if max(t, default="") > "\xff"
    ]


def test_windows_1258_bytes_are_not_taken_for_tcvn3() -> None:
    """Bytes of Windows-1258 Vietnamese (Đ, tone marks) do not look like TCVN3 or VNI."""
    cp1258 = "Đỗ Đức".encode("cp1258", errors="ignore") + "Lê Thị".encode("cp1258", "ignore")
    assert not in_bytes(cp1258)
    assert in_bytes("NguyÔn V¨n An".encode("latin-1"))
    assert not in_bytes(b"\x00\x07binary\xff")
