"""Ship the app's Streamlit files inside the package (everything else is in pyproject.toml).

dashboard.py (the router), pages/*.py (the screens) and .streamlit/config.toml live at the
top of the checkout, as the design card shows. Building a wheel (``pip install .``) copies
them into the package as ``tinnhiem/_app/``, so an installed tinnhiem runs the app from any
directory without the checkout; tinnhiem.ui.server.app_folder finds either. An editable
install (``pip install -e .``) copies nothing: the checkout itself is the app folder.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def app_files() -> list[Path]:
    """The files an installed app needs from outside the package, relative to ROOT."""
    pages = sorted(p.relative_to(ROOT) for p in (ROOT / "pages").glob("*.py"))
    return [Path("dashboard.py"), *pages, Path(".streamlit") / "config.toml"]


class BuildWithApp(build_py):
    """build_py, then the app's files into <build>/tinnhiem/_app/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "tinnhiem" / "_app"
        for name in app_files():
            self.mkpath(str((target / name).parent))
            self.copy_file(str(ROOT / name), str(target / name))


setup(cmdclass={"build_py": BuildWithApp})
