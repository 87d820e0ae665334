"""Vietnamese typed in the legacy font encodings TCVN3 (ABC) and VNI, turned into Unicode.

Before Unicode, Vietnamese offices typed with fonts such as .VnTime (TCVN3, "ABC") and
VNI-Times (VNI): the letters are stored as Latin-1 characters that only those fonts draw
as Vietnamese. Lists kept since then still open in Excel as "NguyÔn V¨n An" (TCVN3) or
"Nguyeãn Vaên An" (VNI). ``detect`` recognises such text from characters that never occur
in Vietnamese written in Unicode; ``to_unicode`` converts it.

TCVN3 draws capitals with accents in a second font (.VnTimeH) using the same codes as the
small letters, so such letters come out small ("NGUYễN"); the reader is warned.
"""

from __future__ import annotations

import re
import unicodedata

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI"

_TCVN3_FROM = "¨©®ª«¬\xad¡¢§£¤¥¦µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ"
_TCVN3_TO = "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_TCVN3 = str.maketrans(_TCVN3_FROM, _TCVN3_TO)
# The Latin-1 letters Vietnamese in Unicode uses (à á â ã è é ê ì í ò ó ô õ ù ú ý).
_UNICODE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")

# VNI: a base letter followed by one character for its marks.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_I_LETTERS = {"æ": "ỉ", "ó": "ĩ", "ò": "ị", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị"}  # í, ì are as in Unicode


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(base: str, marks: dict[str, str], extra: str = "") -> None:
        for char, tone in marks.items():
            for b, c in ((base, char), (base.upper(), char.upper()), (base.upper(), char)):
                table[b + c] = unicodedata.normalize("NFC", b + extra + tone)

    for vowel in "aeouy":
        add(vowel, _TONES)
    for vowel in "aeo":
        add(vowel, _CIRCUMFLEX, "\u0302")
    add("a", _BREVE, "\u0306")
    table.update(_I_LETTERS)
    for horned, letter in (("ô", "ơ"), ("ö", "ư")):
        for char, tone in _TONES.items():
            for h, c, v in ((horned, char, letter), (horned.upper(), char.upper(), letter.upper())):
                table[h + c] = unicodedata.normalize("NFC", v + tone)
        table[horned], table[horned.upper()] = letter, letter.upper()
    table.update({"ñ": "đ", "Ñ": "Đ"})
    return table


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI), key=len, reverse=True)))
_VNI_CHARS = {c for key in _VNI for c in key[1:] or key}
# What only the legacy encodings write: TCVN3's letters that neither Unicode nor VNI use;
# VNI's marks that Unicode never has (ñ ö ø …), and its pairs Unicode never writes.
_TCVN3_ONLY = set(_TCVN3_FROM) - _UNICODE_LATIN1 - _VNI_CHARS
_VNI_ONLY = _VNI_CHARS - _UNICODE_LATIN1
_VNI_PAIRS = re.compile("[aA][âáàåãäêéèúüëÂÁÀÅÃÄÊÉÈÚÜË]|[eE][âáàåãäÂÁÀÅÃÄ]|[oO][âåäÂÅÄ]")


def is_legacy_candidate(text: str) -> bool:
    """True when ``text`` could be legacy-encoded: some letter beyond ASCII, none beyond
    Latin-1 (ă, ơ, đ, ạ … mean it is Unicode already)."""
    return bool(text) and max(text) > "\x7f" and max(text) <= "\xff"


def detect(texts: list[str]) -> str | None:
    """``TCVN3`` or ``VNI`` when the texts (the cells of one file) are Vietnamese in that
    legacy encoding, else None. Cells holding letters beyond Latin-1 are left out: a
    header typed later in Unicode does not hide names typed in TCVN3."""
    legacy = "".join(t for t in texts if is_legacy_candidate(t))
    chars = set(legacy)
    if chars & _TCVN3_ONLY:
        return TCVN3
    if chars & _VNI_ONLY or _VNI_PAIRS.search(legacy):
        return VNI
    return None


def in_bytes(data: bytes) -> bool:
    """True when undecodable-as-UTF-8 bytes look like TCVN3 or VNI rather than Windows-1258.

    Only characters Windows-1258 Vietnamese never produces count here: TCVN3's letters
    below À (¨ © ª µ ¸ …) and VNI's marks (ñ ö ø û …); Windows-1258 writes Đ and its tone
    marks with the bytes that Latin-1 reads as Ð, Þ, ì, ò.
    """
    chars = set(data.decode("latin-1"))
    if any(c < " " and c not in "\t\r\n" for c in chars):
        return False  # control characters: not text at all
    return bool(chars & {c for c in _TCVN3_ONLY if c < "À"} or chars & _VNI_ONLY)


def to_unicode(text: str, encoding: str) -> str:
    """The text converted from ``encoding`` (``TCVN3`` or ``VNI``) to Unicode NFC; text that
    cannot be legacy-encoded (``is_legacy_candidate``) is returned as it is."""
    if not is_legacy_candidate(text):
        return text
    if encoding == TCVN3:
        return text.translate(_TCVN3)
    return _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], text)
