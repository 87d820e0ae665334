"""The app and the command line use nothing that Windows 10/11 lacks, unless guarded.

CI cannot run Windows, so this reads the source (ast) of tinnhiem/, dashboard.py and pages/:
no POSIX-only module is imported and no POSIX-only function, signal or file attribute is
used outside a guard. Guarded means inside an ``if`` that tests ``os.name`` or
``sys.platform`` (either branch), or inside a ``try`` that catches ImportError,
ModuleNotFoundError or AttributeError.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [*(ROOT / "tinnhiem").rglob("*.py"), ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py")]
)

POSIX_MODULES = {
    "fcntl", "termios", "tty", "pty", "pwd", "grp", "spwd", "crypt", "resource", "posix",
    "syslog", "curses", "readline", "nis", "posixpath",
}  # fmt: skip
POSIX_NAMES = {
    # processes: Windows has no fork or exec in place (os.execv starts a new process and
    # leaves the console), no process groups, sessions or users by number
    "os.fork", "os.forkpty", "os.execv", "os.execve", "os.execl", "os.execle", "os.execlp",
    "os.execlpe", "os.execvp", "os.execvpe", "os.killpg", "os.setsid", "os.setpgrp",
    "os.getpgid", "os.getuid", "os.geteuid", "os.getgid", "os.getegid", "os.chown",
    "os.lchown", "os.mkfifo", "os.statvfs", "os.sync", "os.nice", "os.wait3", "os.wait4",
    "os.symlink",
    # signals: SIGKILL, SIGHUP … do not exist there, SIGTERM is never delivered
    "signal.signal", "signal.SIGKILL", "signal.SIGTERM", "signal.SIGHUP", "signal.SIGQUIT",
    "signal.SIGUSR1", "signal.SIGUSR2", "signal.SIGALRM", "signal.SIGCHLD", "signal.SIGPIPE",
    "signal.alarm", "signal.setitimer", "signal.pause",
}  # fmt: skip
POSIX_ATTRIBUTES = {"st_ino", "st_dev"}  # device/inode checks mean nothing on NTFS copies
GUARD_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError"}


def _mentions_platform(test: ast.expr) -> bool:
    """Whether an if-test reads os.name or sys.platform."""
    return any(_dotted(node) in {"os.name", "sys.platform"} for node in ast.walk(test))


def _catches_guard_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(n, ast.Name) and n.id in GUARD_ERRORS for n in names)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def unguarded_posix_uses(source: str, filename: str = "<source>") -> list[str]:
    """Each POSIX-only import or use outside a guard, as ``line: what``."""
    found: list[str] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.If) and _mentions_platform(node.test):
            for child in [*node.body, *node.orelse]:
                visit(child, True)
            return
        if isinstance(node, ast.Try) and any(_catches_guard_error(h) for h in node.handlers):
            for child in node.body:
                visit(child, True)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if not guarded:
            what = None
            if isinstance(node, ast.Import):
                bad = [a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
                what = f"import {', '.join(bad)}" if bad else None
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                top = node.module.split(".")[0]
                if top in POSIX_MODULES:
                    what = f"from {node.module} import …"
                else:
                    names = {f"{node.module}.{a.name}" for a in node.names} & POSIX_NAMES
                    what = ", ".join(sorted(names)) or None
            elif isinstance(node, ast.Attribute):
                if _dotted(node) in POSIX_NAMES:
                    what = _dotted(node)
                elif node.attr in POSIX_ATTRIBUTES:
                    what = f".{node.attr}"
            if what:
                found.append(f"{node.lineno}: {what}")
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(source, filename=filename), False)
    return found


def test_the_checker_finds_unguarded_uses_and_accepts_guarded_ones() -> None:
    """Unguarded fcntl, os.execv, SIGKILL and st_ino are found; the guarded forms are not."""
    bad = (
        "import fcntl\n"
        "import os, signal\n"
        "from signal import SIGTERM\n"
        "os.execv('a', ['a'])\n"
        "os.kill(1, signal.SIGKILL)\n"
        "same = os.stat('a').st_ino == os.stat('b').st_ino\n"
    )
    assert unguarded_posix_uses(bad) == [
        "1: import fcntl",
        "3: signal.SIGTERM",
        "4: os.execv",
        "5: signal.SIGKILL",
        "6: .st_ino",
        "6: .st_ino",
    ]
    good = (
        "import os, sys\n"
        "try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n"
        "if os.name == 'posix':\n    os.execv('a', ['a'])\n"
        "if sys.platform.startswith('win'):\n    pass\nelse:\n    import termios\n"
    )
    assert unguarded_posix_uses(good) == []


def test_the_scan_sees_the_app_and_the_command_line() -> None:
    """The files read include the command line, the server start and every page."""
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"tinnhiem/cli.py", "tinnhiem/ui/server.py", "dashboard.py"} <= names
    assert {"pages/counting.py", "pages/projector.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=[p.relative_to(ROOT).as_posix() for p in SOURCES])
def test_no_posix_only_call_without_a_guard(path: Path) -> None:
    """The file imports no POSIX-only module and uses no POSIX-only call unguarded."""
    uses = unguarded_posix_uses(path.read_text(encoding="utf-8"), str(path))
    assert uses == [], f"{path.relative_to(ROOT)}: {uses}"
