"""Start Streamlit for tinnhiem: ``python -m tinnhiem.ui.server run dashboard.py [options]``.

The same as ``python -m streamlit …`` but for one thing. Streamlit treats an app with a
``pages/`` folder beside its main script as an old-style multipage app until the first
script run has called ``st.navigation``; so the very first browser session after a start
that opens a page by URL (the projector at ``/trinh-chieu?poll=3``) gets Streamlit's
"Page not found" dialog over the right page. We route with ``st.navigation`` only, so the
folder-based guess is switched off before the server starts.
"""

from __future__ import annotations

import sys


def disable_pages_folder_guess() -> bool:
    """Tell Streamlit this app routes with st.navigation only; False if the hook is gone."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a future Streamlit without the hook
        return False
    if not hasattr(PagesManager, "uses_pages_directory"):
        return False
    PagesManager.uses_pages_directory = False
    return True


def main(argv: list[str] | None = None) -> None:
    """Run Streamlit's own command line with ``argv`` (default: this process's arguments)."""
    from streamlit.web import cli as streamlit_cli

    disable_pages_folder_guess()
    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
