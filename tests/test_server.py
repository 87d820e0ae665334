"""tinnhiem.ui.server: what `tinnhiem app` hands to Streamlit."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tinnhiem.ui import server

ROOT = Path(__file__).resolve().parent.parent


def test_the_checkout_is_the_app_folder_of_an_editable_install() -> None:
    """Without a shipped copy (tinnhiem/_app) the app's files are the checkout's."""
    assert not (ROOT / "tinnhiem" / "_app").exists()
    assert server.app_folder() == ROOT


def test_the_main_script_has_no_pages_folder_beside_it() -> None:
    """Streamlit's main script sits where Streamlit cannot guess its old multipage mode."""
    assert server.MAIN_SCRIPT.is_file()
    assert not (server.MAIN_SCRIPT.parent / "pages").exists()
    assert [p.name for p in server.MAIN_SCRIPT.parent.iterdir() if p.suffix == ".py"] == ["app.py"]


def test_every_config_option_becomes_a_flag(tmp_path: Path) -> None:
    """Each option of config.toml becomes ``--section.key value``; booleans in lower case."""
    config = tmp_path / "config.toml"
    config.write_text('[server]\nheadless = true\nport = 8600\n[theme]\nprimaryColor = "#0072B2"\n')
    assert server.config_flags(config) == [
        *("--server.headless", "true", "--server.port", "8600"),
        *("--theme.primaryColor", "#0072B2"),
    ]


def test_the_app_config_sets_the_theme_and_the_callers_options_come_last() -> None:
    """The app's config.toml names the theme colours; the caller's flags follow it (and win)."""
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))["theme"]
    assert theme["primaryColor"] == "#0072B2" and theme["base"] == "light"
    args = server.streamlit_args(["--server.address", "0.0.0.0"])
    assert args[:2] == ["run", str(server.MAIN_SCRIPT)]
    assert "--theme.primaryColor" in args
    assert args[-2:] == ["--server.address", "0.0.0.0"]
    assert args.index("--server.address") < len(args) - 2  # the config's, then the caller's
