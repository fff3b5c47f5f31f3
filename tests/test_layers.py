"""Every import points down the layers, and no module imports itself back in a loop.

The layers, bottom to top (docs/architecture.md says what each holds):
core < reader < model < validation < loader < publish < tools < cli. A module may
import from its own layer or any layer below it, never from one above. The imports are
read from the source with ``ast`` (those inside functions too), so an import that runs
only at call time counts like any other.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "conflictdata"
LAYERS = ["core", "reader", "model", "validation", "loader", "publish", "tools", "cli"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int | None:
    """The layer of ``conflictdata.<layer>...``; None for the package's own top module."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def _imports(module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import of the package in ``module``."""
    path = MODULES[module]
    return _imports_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def _imports_in(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    package = module if is_package else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from conflictdata.core import paths`` imports the module core.paths
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((node.lineno, sub if sub in MODULES else target))
    return [(line, m) for line, m in out if m == "conflictdata" or m.startswith("conflictdata.")]


def test_every_module_is_in_a_layer():
    outside = [m for m in MODULES if _layer(m) is None and m != "conflictdata"]
    assert outside == [], "put these in one of the layers: " + ", ".join(outside)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) is not None))
def test_imports_point_down(module):
    assert _upward(module, _imports(module)) == []


def _upward(module: str, imports: list[tuple[int, str]]) -> list[str]:
    mine = _layer(module)
    return [
        f"{module}:{line}: imports {target} ({LAYERS[_layer(target)]} is above {LAYERS[mine]})"
        for line, target in imports
        if _layer(target) is not None and _layer(target) > mine
    ]


def test_the_top_module_imports_only_what_load_needs():
    allowed = {"core", "loader", "model"}
    for _, target in _imports("conflictdata"):
        assert target.split(".")[1] in allowed, target


def test_no_import_cycle():
    graph = {m: {t for _, t in _imports(m) if t in MODULES and t != m} for m in MODULES}
    # a package's __init__ is imported with each of its modules: not a cycle by itself
    for m in graph:
        graph[m] = {t for t in graph[m] if not m.startswith(t + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t) :] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_check_sees_upward_imports_also_inside_functions_and_relative_ones():
    source = (
        "from conflictdata.core import paths\n"
        "def f():\n"
        "    from conflictdata.cli.common import command\n"
        "from ..publish import build\n"
    )
    found = _imports_in(source, "conflictdata.validation.example", is_package=False)
    assert sorted(_upward("conflictdata.validation.example", found)) == [
        "conflictdata.validation.example:3: imports conflictdata.cli.common (cli is above validation)",
        "conflictdata.validation.example:4: imports conflictdata.publish.build "
        "(publish is above validation)",
    ]


def test_only_the_command_line_prints():
    """Library functions return data; printing (print, sys.stdout, sys.stderr) is the
    command line's."""
    found = []
    for module, path in MODULES.items():
        if _layer(module) == LAYERS.index("cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                found.append(f"{module}:{node.lineno}: print")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("stdout", "stderr")
                and getattr(node.value, "id", None) == "sys"
            ):
                found.append(f"{module}:{node.lineno}: sys.{node.attr}")
    assert found == []
