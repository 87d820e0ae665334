"""An installed tinnhiem (a wheel, not the checkout) runs the app from any directory.

The wheel is built from a copy of the source tree and installed into a fresh virtual
environment whose only other packages are this one's (seen through a .pth line, so the
checkout's editable tinnhiem is not); `tinnhiem app` starts in an unrelated folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
from pathlib import Path

import pytest
from browser_support import ROOT, _free_port, new_page, wait_ready
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SOURCE = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "dashboard.py")
SOURCE_DIRS = ("tinnhiem", "pages", ".streamlit")


def build_wheel(folder: Path) -> Path:
    """The wheel `pip install .` would install, built from a copy of the tree in ``folder``."""
    tree = folder / "src"
    for name in SOURCE:
        tree.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, tree / name)
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip_wheel, "-w", str(folder / "dist"), str(tree)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (folder / "dist").glob("tinnhiem-*.whl")
    return wheel


def fresh_venv(folder: Path, wheel: Path) -> Path:
    """A new virtual environment holding the wheel; its bin (Scripts) folder."""
    venv.create(folder, with_pip=False)
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    pip_install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run(
        [*pip_install, "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies (streamlit, pandas …) from this environment, without its tinnhiem.
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return bin_dir


def test_the_installed_wheel_runs_the_app_from_another_directory(tmp_path, browser) -> None:
    """`tinnhiem app` of an installed wheel, started in an unrelated folder: the package holds
    the app's files, the database goes to the user's data folder, and the projector page
    opens by URL with the app's theme colours."""
    bin_dir = fresh_venv(tmp_path / "venv", build_wheel(tmp_path))
    python = next(bin_dir.glob("python*"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import tinnhiem; print(tinnhiem.__file__)"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    installed = Path(where).parent
    assert installed.is_relative_to(tmp_path / "venv")
    assert (installed / "_app" / "dashboard.py").is_file()
    assert (installed / "_app" / "pages" / "projector.py").is_file()
    assert (installed / "_app" / ".streamlit" / "config.toml").is_file()

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TINNHIEM_DB"}
    env |= {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    env["LOCALAPPDATA"] = str(tmp_path / "xdg")
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(bin_dir / "tinnhiem"), "app", "--port", str(port)],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the installed app did not start"
                time.sleep(0.3)
        assert (tmp_path / "xdg" / "tinnhiem" / "tinnhiem.db").is_file()
        page = new_page(browser)
        themes = []

        def on_socket(socket) -> None:
            def on_frame(payload) -> None:
                if isinstance(payload, bytes):
                    message = ForwardMsg()
                    message.ParseFromString(payload)
                    if message.WhichOneof("type") == "new_session":
                        themes.append(message.new_session.custom_theme.primary_color)

            socket.on("framereceived", on_frame)

        page.on("websocket", on_socket)
        page.goto(url + "/trinh-chieu?poll=1")
        wait_ready(page)
        expect(page.get_by_text("KẾT QUẢ TẠM THỜI")).to_be_visible()
        assert themes and set(themes) == {"#0072B2"}
        assert page.get_by_test_id("stDialog").count() == 0
        assert list(elsewhere.iterdir()) == []  # nothing written where it was started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
