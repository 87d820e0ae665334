"""Where tinnhiem keeps its database when nobody says: a per-user data folder.

The rule, in one place: ``$TINNHIEM_DB`` when set (``--db`` overrides both on the command
line); else ``tinnhiem.db`` in the user's data folder —
on Windows ``%LOCALAPPDATA%\\tinnhiem``, on macOS ``~/Library/Application Support/tinnhiem``,
elsewhere ``$XDG_DATA_HOME/tinnhiem`` or ``~/.local/share/tinnhiem``. Never the package's
own folder: an installed package may be read-only and is replaced on upgrade.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENVIRONMENT = "TINNHIEM_DB"
FILE_NAME = "tinnhiem.db"


def _system() -> str:
    """ "windows", "macos" or "other" (the tests pretend to be each)."""
    if os.name == "nt":
        return "windows"
    return "macos" if sys.platform == "darwin" else "other"


def data_folder() -> Path:
    """The user's data folder for tinnhiem (not created here)."""
    system = _system()
    if system == "windows":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "tinnhiem"
    if system == "macos":
        return Path.home() / "Library" / "Application Support" / "tinnhiem"
    xdg = os.environ.get("XDG_DATA_HOME")
    # The XDG spec ignores a relative $XDG_DATA_HOME.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "tinnhiem"


def default_db_path() -> Path:
    """The database the command line and the app use: ``$TINNHIEM_DB``, else the data folder's."""
    override = os.environ.get(ENVIRONMENT)
    return Path(override) if override else data_folder() / FILE_NAME


DEFAULT_DB = data_folder() / FILE_NAME  # the data folder's database, as this process started
