"""tinnhiem.paths: the default database is in the user's data folder, never the package's."""

from __future__ import annotations

from pathlib import Path

import pytest

import tinnhiem
from tinnhiem import paths


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A Linux-like environment whose home is tmp_path/home, no TINNHIEM_DB."""
    monkeypatch.setattr(paths, "_system", lambda: "other")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TINNHIEM_DB", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return tmp_path / "home"


def test_linux_default_is_under_local_share(linux: Path) -> None:
    """Without XDG_DATA_HOME the database is ~/.local/share/tinnhiem/tinnhiem.db."""
    assert paths.default_db_path() == linux / ".local" / "share" / "tinnhiem" / "tinnhiem.db"


def test_xdg_data_home_is_followed_when_absolute(linux: Path, monkeypatch, tmp_path) -> None:
    """An absolute XDG_DATA_HOME is used; a relative one is ignored as the spec says."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.default_db_path() == tmp_path / "xdg" / "tinnhiem" / "tinnhiem.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/dir")
    assert paths.default_db_path() == linux / ".local" / "share" / "tinnhiem" / "tinnhiem.db"


def test_windows_default_is_under_local_app_data(monkeypatch, tmp_path) -> None:
    """On Windows the database is %LOCALAPPDATA%\\tinnhiem\\tinnhiem.db."""
    monkeypatch.setattr(paths, "_system", lambda: "windows")
    monkeypatch.delenv("TINNHIEM_DB", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert paths.default_db_path() == tmp_path / "Local" / "tinnhiem" / "tinnhiem.db"


def test_macos_default_is_under_application_support(monkeypatch, tmp_path) -> None:
    """On macOS the database is ~/Library/Application Support/tinnhiem/tinnhiem.db."""
    monkeypatch.setattr(paths, "_system", lambda: "macos")
    monkeypatch.delenv("TINNHIEM_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / "Library" / "Application Support" / "tinnhiem" / "tinnhiem.db"
    assert paths.default_db_path() == expected


@pytest.mark.usefixtures("linux")
def test_the_environment_overrides_the_data_folder(monkeypatch, tmp_path) -> None:
    """TINNHIEM_DB, when set, is the database whatever the platform's folder."""
    monkeypatch.setenv("TINNHIEM_DB", str(tmp_path / "x.db"))
    assert paths.default_db_path() == tmp_path / "x.db"


@pytest.mark.usefixtures("linux")
def test_the_default_never_lies_inside_the_package() -> None:
    """The default database is not computed from where the package is installed."""
    package = Path(tinnhiem.__file__).resolve().parent.parent
    assert not paths.default_db_path().is_relative_to(package)
    assert not paths.DEFAULT_DB.is_relative_to(Path(tinnhiem.__file__).resolve().parent)
