"""The modules of ``src/coursehost`` import each other without a circle, and the bottom layers import no feature.

The graph is read from the source with ``ast``, so it holds every import: at module level, inside functions, and
under ``if TYPE_CHECKING:``. A circle hidden in a function or behind TYPE_CHECKING is still two modules that each
need the other (issue 11: ``context.py`` imported the worker pool for a type, and the worker pool imports
``context.py``), so none is left out. Importing a submodule is an edge to that submodule only, not to its package's
``__init__``: Python runs the ``__init__`` first, but a package that re-exports its own submodules is no circle.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import coursehost

ROOT = Path(coursehost.__file__).parent


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_in(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The ``known`` modules that ``source`` (the text of ``module``) imports, anywhere in it."""
    package = module if is_package else module.rsplit(".", 1)[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return {target for target in targets if target in known and target != module}


@cache
def graph() -> dict[str, frozenset[str]]:
    known = set(modules())
    return {
        module: frozenset(imports_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py", known))
        for module, path in modules().items()
    }


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """One circle through each strongly connected group of modules (Tarjan), shortest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted((_circle(edges, group) for group in groups), key=len)


def _circle(edges: dict[str, frozenset[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges[node] & group):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError("a strongly connected group always has a circle")


def test_no_module_imports_itself_through_others() -> None:
    found = cycles(graph())
    assert not found, "import circles:\n" + "\n".join(" -> ".join(circle) for circle in found)


def test_the_check_finds_a_circle() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(edges) == [["a", "b", "c", "a"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_every_kind_of_import_is_an_edge() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from .sibling import name\n"
        "import coursehost.kit.db\n"
        "if TYPE_CHECKING:\n    from coursehost.imports.worker import Dispatcher\n"
        "def f():\n    from coursehost.courses import service\n"
    )
    known = {"coursehost.a", "coursehost.a.sibling", "coursehost.kit.db", "coursehost.imports.worker"}
    known |= {"coursehost.courses", "coursehost.courses.service", "coursehost.a.me"}
    assert imports_in(source, "coursehost.a.me", False, known) == {
        "coursehost.a.sibling",
        "coursehost.kit.db",
        "coursehost.imports.worker",
        "coursehost.courses.service",
    }


def _layer(prefix: str) -> list[str]:
    return sorted(m for m in modules() if m == prefix or m.startswith(prefix + "."))


def _outside(module: str, allowed: tuple[str, ...]) -> set[str]:
    return {t for t in graph()[module] if not any(t == a or t.startswith(a + ".") for a in allowed)}


@pytest.mark.parametrize(
    ("layer", "allowed"),
    [
        # Shared infrastructure: nothing above it.
        ("coursehost.kit", ("coursehost.kit", "coursehost.config")),
        ("coursehost.storage", ("coursehost.storage",)),
        # Format parsers: no database, no storage, no HTTP, no feature (docs/architecture.md).
        ("coursehost.packages", ("coursehost.packages", "coursehost.kit")),
        ("coursehost.models", ("coursehost.models", "coursehost.kit")),
        # What every handler is handed: infrastructure and the content store, never a feature's internals (the
        # worker pool least of all: it is started by app.py and the CLI).
        (
            "coursehost.context",
            ("coursehost.config", "coursehost.kit", "coursehost.storage", "coursehost.content.store"),
        ),
    ],
)
def test_lower_layers_import_no_feature(layer: str, allowed: tuple[str, ...]) -> None:
    modules_of_layer = _layer(layer)
    assert modules_of_layer
    wrong = {module: sorted(_outside(module, allowed)) for module in modules_of_layer if _outside(module, allowed)}
    assert not wrong, wrong
