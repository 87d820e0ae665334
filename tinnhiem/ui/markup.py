"""Text a person typed, made safe for Streamlit's Markdown (st.error, st.info, st.markdown)."""

from __future__ import annotations

import re
import string

# Every ASCII punctuation sign is one Markdown may read (CommonMark lets each be escaped):
# emphasis, links, images, HTML, entities (&amp;), LaTeX ($), Streamlit's directives
# (:red[…]) and icons (:material/…:), lists (1.), autolinks (http://, www.).
_MARKDOWN_SIGNS = frozenset(string.punctuation)
# Streamlit and GitHub Markdown rewrite text after it has been read, where escapes no
# longer count: ``:name:`` shortcodes (emoji, :material_x: icons, :streamlit:), the arrows
# and dashes ->, <-, <->, --, >=, <=, ~= between spaces, and addresses made links
# (http://, www., e-mail). A word joiner (U+2060, invisible) inside each keeps it as typed.
WORD_JOINER = "\u2060"
_REWRITTEN = re.compile(
    r":(?=[\w+-]+:)|(?:(?<=\s)|^)(?:<(?=[-=])|-(?=[->])|[>~](?==))"
    r"|(?i:https?:)(?=//)|(?i:www)(?=\.)|@"
)
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n][\s]*")


def md_escape(text: str) -> str:
    """Text a person typed, made safe to put inside Markdown (st.markdown, st.error, a label,
    a caption, help): shown exactly as typed, never read as Markdown, HTML or a directive.

    Every ASCII punctuation sign gets a backslash; Streamlit's own rewrites are broken with
    an invisible word joiner (``WORD_JOINER``); line breaks become spaces (Markdown shows a
    single one as a space and would read a blank line as a new block) and leading blanks
    no-break spaces (four would start a code block).
    """
    text = _LINE_BREAKS.sub(" ", str(text))
    blanks = len(text) - len(text.lstrip(" \t"))
    text = "\u00a0" * blanks + text[blanks:]
    text = _REWRITTEN.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return "".join("\\" + c if c in _MARKDOWN_SIGNS else c for c in text)


def refusal(error: Exception) -> str:
    """A store refusal as one Markdown-safe message: the problems' sentences, not their fields."""
    problems = getattr(error, "problems", None)
    if problems:
        return md_escape(" ".join(p.message for p in problems[:3]))
    return md_escape(str(error))
