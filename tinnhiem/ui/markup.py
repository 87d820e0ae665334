"""Text a person typed, made safe for Streamlit's Markdown (st.error, st.info, st.markdown)."""

from __future__ import annotations

_MARKDOWN_SPECIALS = set("\\`*_[]<>|~$#")


def md_escape(text: str) -> str:
    """Text a person typed, made safe to put inside a Markdown message (st.error, st.info)."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


def refusal(error: Exception) -> str:
    """A store refusal as one Markdown-safe message: the problems' sentences, not their fields."""
    problems = getattr(error, "problems", None)
    if problems:
        return md_escape(" ".join(p.message for p in problems[:3]))
    return md_escape(str(error))
