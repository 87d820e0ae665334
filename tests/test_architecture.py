"""The layering of style.md, read from the imports of every file that exists (ast)."""

from __future__ import annotations

import ast
import itertools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tinnhiem"
PURE_CORE = (
    *("model", "lifecycle", "rules", "arithmetic", "validation", "tally", "pollfile", "demo"),
    *("problems", "limits", "strict_json", "stacks", "rule_reading", "words", "chain_head"),
    *("poll_fields", "combine"),
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


# Every module of tinnhiem/ but the results view, which joins when its split lands (it had
# 451 lines when the rest of the package joined).
SMALL_FILES = PACKAGE_FILES


@pytest.mark.parametrize("path", SMALL_FILES, ids=ids(SMALL_FILES))
def test_modules_stay_small(path):
    """Each module of the package holds one concept in under about 400 lines."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


# -- import cycles ---------------------------------------------------------------------


def _type_checking_only(node: ast.AST) -> bool:
    """True for ``if TYPE_CHECKING:`` (its imports never run: annotations are strings)."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        if _type_checking_only(node):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def module_imports(path: Path, modules: set[str], root: Path = ROOT) -> dict[str, int]:
    """The modules of ``modules`` that a file imports when it runs, at module level or
    inside a function, each with the line of its first import.

    ``from a.b import c`` imports the module a.b.c when there is one, else a.b. The
    parent packages Python loads on the way are not counted: a package's ``__init__``
    re-exporting its modules is not a cycle with each of them.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: dict[str, int] = {}
    for node in _runtime_nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [
                f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix
                for a in node.names
            ]
        for name in names:
            if name in modules:
                found[name] = min(found.get(name, node.lineno), node.lineno)
    return found


def import_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (a list of modules, the first repeated at the end) through each group of
    modules that import each other, found by Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, {})):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.get(module, {}):
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    cycles = []
    for group in groups:  # walk inside the group from its first module back to it
        start, path, members = group[0], [group[0]], set(group)
        seen = {start}
        while True:
            ahead = [m for m in sorted(graph[path[-1]]) if m in members]
            if start in ahead:
                break
            step = next((m for m in ahead if m not in seen), None)
            if step is None:  # a dead end inside the group: step back
                path.pop()
                continue
            seen.add(step)
            path.append(step)
        cycles.append([*path, start])
    return cycles


def package_import_graph(files: list[Path], root: Path = ROOT) -> dict[str, dict[str, int]]:
    modules = {module_name(path, root): path for path in files}
    names = set(modules)
    return {
        name: {m: line for m, line in module_imports(path, names, root).items() if m != name}
        for name, path in modules.items()
    }


def test_cycle_finder_names_a_cycle_even_through_a_lazy_import(tmp_path):
    """The finder sees module-level and function-level imports, ignores TYPE_CHECKING
    ones, and names the cycle it finds."""
    package = tmp_path / "tinnhiem"
    package.mkdir()
    (package / "__init__.py").write_text("from tinnhiem.a import A\n", encoding="utf-8")
    (package / "a.py").write_text("from tinnhiem import b\nA = 1\n", encoding="utf-8")
    (package / "b.py").write_text("def f():\n    from tinnhiem.c import C\n", encoding="utf-8")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tinnhiem.b import f\n"
        "import tinnhiem.a\nC = 1\n",
        encoding="utf-8",
    )
    (package / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import tinnhiem.a\n",
        encoding="utf-8",
    )
    graph = package_import_graph(python_files(package), root=tmp_path)
    assert graph["tinnhiem.b"] == {"tinnhiem.c": 2}
    assert graph["tinnhiem.d"] == {}
    assert import_cycles(graph) == [["tinnhiem.a", "tinnhiem.b", "tinnhiem.c", "tinnhiem.a"]]


def test_no_import_cycle_in_the_package():
    """No module of tinnhiem/ imports, even lazily inside a function, a module that
    imports it back (directly or through others): each layer can be read, and loaded,
    on its own."""
    graph = package_import_graph(PACKAGE_FILES)
    assert "tinnhiem.storage.store" in graph["tinnhiem.storage"]  # the graph is real
    cycles = import_cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


# -- private attributes ----------------------------------------------------------------

# Private names of other libraries that the package may reach, each with why nothing
# public does the job. python-docx gives the XML element of a paragraph, a table and a
# table row only under these names (its own recipes for borders, cell margins and header
# rows use them); the documents need those settings. argparse looks its sentences up in
# ``argparse._`` (gettext) and offers no other way to print them in Vietnamese.
FOREIGN_PRIVATE = {"documents": {"_p", "_r", "_tbl", "_tr"}, "cli_words.py": {"_"}}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def reached_private(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, expression) of each private attribute the file reaches on an object other
    than ``self``, ``cls`` or ``super()``, by ``x._name`` or ``getattr``/``setattr``/
    ``hasattr``/``delattr`` with the name written out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in {"self", "cls"}:
                continue
            if (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "super"
            ):
                continue
            found.append((node.lineno, node.attr, ast.unparse(node)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
            and not (isinstance(node.args[0], ast.Name) and node.args[0].id in {"self", "cls"})
        ):
            found.append((node.lineno, node.args[1].value, ast.unparse(node)))
    area = path.relative_to(package).parts[0]
    allowed = FOREIGN_PRIVATE.get(area, set())
    return [(line, text) for line, name, text in found if name not in allowed]


def test_private_reader_sees_each_form(tmp_path):
    """The reader finds ``x._a``, ``getattr(x, "_b")`` and ``module._c``, and leaves
    ``self._d``, ``cls._e``, ``super()._f()`` and ``x.__dict__`` alone."""
    package = tmp_path / "tinnhiem" / "documents"
    package.mkdir(parents=True)
    source = package / "sample.py"
    source.write_text(
        "def f(x, module):\n"
        "    x._a\n"
        "    getattr(x, '_b', None)\n"
        "    module._c()\n"
        "    x._p\n"  # python-docx's, allowed in documents
        "class K:\n"
        "    def g(self, cls):\n"
        "        self._d, cls._e, super()._f(), self.__dict__\n",
        encoding="utf-8",
    )
    found = reached_private(source, package=tmp_path / "tinnhiem")
    assert found == [(2, "x._a"), (3, "getattr(x, '_b', None)"), (4, "module._c")]


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=ids(PACKAGE_FILES))
def test_no_private_attribute_is_reached_across_objects(path):
    """Inside tinnhiem/, an object's private attributes (``_name``) are used only by the
    object itself: another object, or another module, asks through a public name."""
    found = reached_private(path)
    assert not found, f"{path.relative_to(ROOT)}: " + ", ".join(
        f"line {line}: {text}" for line, text in found
    )


# -- the storage's parts ---------------------------------------------------------------


def _names_made(cls: ast.ClassDef) -> set[str]:
    """What a class body defines, and every ``self.X`` its methods assign.

    A bare annotation (``_pool: Pool``) makes nothing, except in a dataclass or a
    NamedTuple (a field): it only promises that someone else will.
    """
    dataclass = any("dataclass" in ast.unparse(d) for d in cls.decorator_list) or any(
        "NamedTuple" in ast.unparse(b) for b in cls.bases
    )  # annotated fields are made by the decorator or by typing.NamedTuple
    made: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            made.add(node.name)
        elif isinstance(node, ast.Assign):
            made.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and (node.value is not None or dataclass)
        ):
            made.add(node.target.id)
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            made.add(node.attr)
    return made


def attributes_not_made(path: Path) -> list[str]:
    """``Class.attribute`` for each ``self.attribute`` a class of the file uses that neither
    it nor a base class of the same file makes (a base from elsewhere, like Exception or
    sqlite3.Connection, is asked at run time)."""
    import importlib

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    module = importlib.import_module(module_name(path))
    missing = []
    for name, cls in classes.items():
        made, pending = set(), [cls]
        while pending:
            current = pending.pop()
            made |= _names_made(current)
            for base in current.bases:
                if isinstance(base, ast.Name) and base.id in classes:
                    pending.append(classes[base.id])
        runtime = getattr(module, name)
        outside = [b for b in runtime.__mro__[1:] if b.__module__ != module.__name__]
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and node.attr not in made
                and not any(hasattr(b, node.attr) for b in outside)
            ):
                missing.append(f"{name}.{node.attr} (line {node.lineno})")
    return sorted(set(missing))


STORAGE_FILES = python_files(STORAGE)


@pytest.mark.parametrize("path", STORAGE_FILES, ids=ids(STORAGE_FILES))
def test_each_storage_class_uses_only_what_it_made_or_was_given(path):
    """A class of the storage uses only the attributes it defines or assigns itself (from
    what its ``__init__`` receives): no part depends on attributes another part creates,
    as the Store's mixins once did."""
    missing = attributes_not_made(path)
    assert not missing, f"{path.relative_to(ROOT)} uses attributes it never makes: {missing}"


def test_every_public_method_of_the_store_is_one_of_a_service(tmp_path):
    """The Store is a facade: each public method has the name and signature of one
    service's method and hands its call to it (lock also backs up; tests/test_storage*
    test the behaviour)."""
    import inspect

    from tinnhiem.storage import store

    public = {
        name
        for name, value in vars(store.Store).items()
        if callable(value) and not name.startswith("_") and name not in {"close", "as_one"}
    }  # the Store's own: its connections closed, several calls made one transaction
    assert public == set(store.DELEGATES)
    for name, service in store.DELEGATES.items():
        facade = inspect.signature(getattr(store.Store, name))
        assert facade == inspect.signature(getattr(service, name)), name
        assert getattr(store.Store, name).__doc__, name
    services = {type(v) for v in vars(store.Store(tmp_path / "facade.db")).values()}
    assert set(store.SERVICES.values()) <= services


# -- unreachable code ------------------------------------------------------------------
# ruff 0.17 has no rule for it (PLW0101 was a preview rule of earlier versions and is gone),
# so this reads the code itself: a statement right after return, raise, continue or break
# in the same block never runs.

_ENDS_BLOCK = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def unreachable(path: Path) -> list[int]:
    """The line of each statement that follows a return, raise, continue or break in the
    same block."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for before, after in itertools.pairwise(block):
                if isinstance(before, _ENDS_BLOCK):
                    lines.append(after.lineno)
    return sorted(lines)


def test_unreachable_reader_finds_what_follows_an_exit(tmp_path):
    """A statement after return, raise, continue or break is found; one after an if whose
    branches return is not (it may still run when neither does)."""
    source = tmp_path / "sample.py"
    source.write_text(
        "def f(x):\n"
        "    if x:\n"
        "        return 1\n"
        "    for i in x:\n"
        "        continue\n"
        "        print(i)\n"
        "    return 2\n"
        "    return 3\n"
        "def g():\n"
        "    try:\n"
        "        raise ValueError\n"
        "        pass\n"
        "    finally:\n"
        "        pass\n",
        encoding="utf-8",
    )
    assert unreachable(source) == [6, 8, 12]


CODE_FILES = PACKAGE_FILES + FRONT + python_files(ROOT / "tests", ROOT / "bench")


@pytest.mark.parametrize("path", CODE_FILES, ids=ids(CODE_FILES))
def test_no_unreachable_statement(path):
    """No statement sits where it can never run (after return, raise, continue, break)."""
    assert not unreachable(path), f"{path.relative_to(ROOT)}: lines {unreachable(path)}"
