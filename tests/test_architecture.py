"""The layering of style.md, read from the imports of every file that exists (ast)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tinnhiem"
PURE_CORE = (
    *("model", "lifecycle", "rules", "arithmetic", "validation", "tally", "pollfile", "demo"),
    *("problems", "limits", "strict_json", "stacks", "rule_reading", "chain_head"),
)
SQL = {"sqlite3", "sqlite_utils"}
STORAGE = PACKAGE / "storage"
# Inside the storage package, the modules that only compute or describe: no SQL there.
STORAGE_PURE = ("errors", "records", "chain")
MAX_MODULE_LINES = 400


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, absolute, including lazy and importlib imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            # `from tinnhiem import arithmetic` imports the module tinnhiem.arithmetic.
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.add(node.args[0].value)
    return found


def top(name: str) -> str:
    return name.split(".")[0]


def python_files(*roots: Path) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(sorted(root.rglob("*.py")))
    return files


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


PACKAGE_FILES = python_files(PACKAGE)
OUTSIDE_UI = [p for p in PACKAGE_FILES if p.relative_to(PACKAGE).parts[0] != "ui"]
FRONT = python_files(ROOT / "pages", ROOT / "dashboard.py")


def _core_files(name: str) -> list[Path]:
    """A pure-core module's file, or every file of a pure-core package."""
    folder = PACKAGE / name
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{name}.py"]


CORE_FILES = [path for name in PURE_CORE for path in _core_files(name)]
STORAGE_PURE_FILES = [STORAGE / f"{name}.py" for name in STORAGE_PURE]


def test_the_tree_is_found():
    """The scan sees the package, the pure core and the front end, so the rules below bite."""
    assert all(p.exists() for p in CORE_FILES)
    assert STORAGE / "__init__.py" in PACKAGE_FILES
    assert STORAGE / "store.py" in PACKAGE_FILES
    assert all(p in PACKAGE_FILES for p in STORAGE_PURE_FILES)
    assert ROOT / "dashboard.py" in FRONT


def test_import_reader_sees_every_form(tmp_path):
    """The reader finds plain, from, relative, lazy and importlib imports."""
    package = tmp_path / "tinnhiem"
    package.mkdir()
    source = package / "sample.py"
    source.write_text(
        "import os.path\n"
        "from . import rules\n"
        "from .model import Poll\n"
        "def f():\n"
        "    import streamlit as st\n"
        "    importlib.import_module('sqlite3')\n"
        "    __import__('pandas')\n",
        encoding="utf-8",
    )
    found = imports(source, root=tmp_path)
    assert {
        "os.path",
        "tinnhiem.rules",
        "tinnhiem.model",
        "streamlit",
        "sqlite3",
        "pandas",
    } <= found


@pytest.mark.parametrize("path", CORE_FILES, ids=ids(CORE_FILES))
def test_pure_core_imports_only_the_standard_library_and_itself(path):
    """model, rules, arithmetic, validation, tally, pollfile and demo need nothing else."""

    def allowed(name: str) -> bool:
        if top(name) in sys.stdlib_module_names or name in {"__future__", "tinnhiem"}:
            return True
        # `from tinnhiem.model import Poll` also yields "tinnhiem.model.Poll".
        return any(name == f"tinnhiem.{m}" or name.startswith(f"tinnhiem.{m}.") for m in PURE_CORE)

    bad = {name for name in imports(path) if not allowed(name)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", OUTSIDE_UI, ids=ids(OUTSIDE_UI))
def test_only_the_ui_package_imports_streamlit(path):
    """Inside tinnhiem/, only tinnhiem/ui/ may import streamlit or tinnhiem.ui."""
    bad = {n for n in imports(path) if top(n) == "streamlit" or n.startswith("tinnhiem.ui")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=ids(PACKAGE_FILES))
def test_only_storage_speaks_sql(path):
    """Inside tinnhiem/, only the tinnhiem/storage/ package imports sqlite3 or sqlite_utils."""
    if path.is_relative_to(STORAGE) and path.stem not in STORAGE_PURE:
        return
    bad = {n for n in imports(path) if top(n) in SQL}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", FRONT, ids=ids(FRONT))
def test_pages_and_dashboard_never_speak_sql(path):
    """A page or the router reaches the database only through tinnhiem.storage."""
    bad = {n for n in imports(path) if top(n) in SQL}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=ids(PACKAGE_FILES))
def test_the_package_never_imports_pages(path):
    """Dependencies point one way: the package never imports a page or the router."""
    bad = {n for n in imports(path) if top(n) in {"pages", "dashboard"}}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", STORAGE_PURE_FILES, ids=ids(STORAGE_PURE_FILES))
def test_storage_data_and_chain_modules_are_pure(path):
    """The store's errors, records and audit chain import only the standard library and
    the pure core, so the chain checks can run on any file's data."""
    allowed_inside = {f"tinnhiem.{m}" for m in PURE_CORE} | {
        f"tinnhiem.storage.{m}" for m in STORAGE_PURE
    }

    def allowed(name: str) -> bool:
        if top(name) in sys.stdlib_module_names or name == "__future__":
            return True
        return any(name == m or name.startswith(f"{m}.") for m in allowed_inside)

    bad = {name for name in imports(path) if not allowed(name)}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


# The pure core and the storage package; the rest of tinnhiem/ joins once every module of
# it is under the limit too (tinnhiem/ui/setup_form.py had 401 lines when this was written).
SMALL_FILES = CORE_FILES + python_files(STORAGE)


@pytest.mark.parametrize("path", SMALL_FILES, ids=ids(SMALL_FILES))
def test_core_and_storage_modules_stay_small(path):
    """Each module of the pure core and of the storage package holds one concept in under
    about 400 lines."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
