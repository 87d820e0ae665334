"""Start tinnhiem's Streamlit server: ``python -m tinnhiem.ui.server [streamlit run options]``.

``tinnhiem app`` runs this module. It finds the app's files, then runs Streamlit's own
command line: ``streamlit run tinnhiem/ui/main/app.py`` with the options of the app's
``.streamlit/config.toml`` given as flags, then the caller's options (a later flag wins).

**The app's files.** ``dashboard.py`` (the router), ``pages/`` (one screen per file) and
``.streamlit/config.toml`` sit at the top of the source checkout, as the design card shows.
Building a wheel (``pip install .``, see setup.py) copies them into the package as
``tinnhiem/_app/``; :func:`app_folder` takes that copy when it exists and the checkout
otherwise (an editable install), so the app runs from any directory either way.

**Why Streamlit runs main/app.py and not dashboard.py.** Streamlit 1.67 decides once per
server process whether an app is an old-style multipage app: the first session's
``PagesManager`` sets ``PagesManager.uses_pages_directory`` when a ``pages/`` folder sits
beside the main script, and only a finished ``st.navigation`` call turns it off. Until then
each script run goes through ``_mpa_v1`` (scriptrunner/script_runner.py), which builds pages
from the folder's file names; a URL such as ``/trinh-chieu`` matches none of them, so
Streamlit sends ``page_not_found`` (the frontend's "Page not found" dialog) and then runs
dashboard.py, whose ``st.navigation`` shows the right page under the dialog. The main
script main/app.py lives in a folder with no ``pages/``, so the guess is False from the
first session on: no private attribute is touched, no dialog is hidden. (The same guess
comes back with a plain ``streamlit run dashboard.py`` in the checkout; use ``tinnhiem app``.)

**Config.** Streamlit reads ``.streamlit/config.toml`` from the working directory (and
the main script's folder); ``tinnhiem app`` may start anywhere, so the file's options go on
the command line instead (:func:`config_flags`).
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from pathlib import Path

import tinnhiem

MAIN_SCRIPT = Path(__file__).resolve().parent / "main" / "app.py"
_SHIPPED = Path(tinnhiem.__file__).resolve().parent / "_app"
_CHECKOUT = Path(tinnhiem.__file__).resolve().parent.parent
ROUTER = "dashboard.py"
CONFIG = Path(".streamlit") / "config.toml"


def app_folder() -> Path:
    """The folder that holds dashboard.py, pages/ and .streamlit/config.toml.

    The copy a wheel ships inside the package (tinnhiem/_app) when there is one, else the
    source checkout around the package (an editable install, the tests).

    Raises FileNotFoundError when neither holds dashboard.py (a broken installation).
    """
    for folder in (_SHIPPED, _CHECKOUT):
        if (folder / ROUTER).is_file() and (folder / "pages").is_dir():
            return folder
    raise FileNotFoundError(f"{ROUTER} not found in {_SHIPPED} or {_CHECKOUT}")


@cache
def router_code():
    """dashboard.py compiled once per process (main/app.py runs it on every full rerun)."""
    path = app_folder() / ROUTER
    return compile(path.read_text(encoding="utf-8"), str(path), "exec")


def config_flags(path: Path | None = None) -> list[str]:
    """The options of the app's config.toml as ``streamlit run`` flags, in file order."""
    data = tomllib.loads((path or app_folder() / CONFIG).read_text(encoding="utf-8"))
    flags: list[str] = []
    for section, options in data.items():
        for key, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags += [f"--{section}.{key}", text]
    return flags


def streamlit_args(options: list[str]) -> list[str]:
    """The arguments of ``streamlit`` for the app, ``options`` (flags) last so they win."""
    return ["run", str(MAIN_SCRIPT), *config_flags(), *options]


def main(argv: list[str] | None = None) -> None:
    """Run Streamlit's own command line for the app with the options in ``argv``."""
    from streamlit.web import cli as streamlit_cli

    options = list(sys.argv[1:] if argv is None else argv)
    sys.argv = ["streamlit", *streamlit_args(options)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
