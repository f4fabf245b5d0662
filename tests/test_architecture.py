"""The package's shape holds: no import cycle (not even a hidden one), a pure core that imports no
pytest, and options read in one place."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.kata_runs import REPO

PACKAGE = REPO / "pytest_tfkatas"
#: The pure core: results, rules, catalogue, progress record and gradebook, and what they stand on.
CORE = {"results", "rules", "catalogue", "progress", "paths", "gradebook", "integrity"}


def _modules() -> dict[str, Path]:
    """The package's own modules (the hidden checks are data for the plugin, not part of it)."""
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in ("checks", "bundled"):
            continue
        found[".".join(parts).removesuffix("__init__").rstrip(".") or "__init__"] = file
    return found


MODULES = _modules()


def imports_of(file: Path) -> set[str]:
    """Every module ``file`` imports anywhere: at the top, inside functions, under TYPE_CHECKING."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def own_imports(module: str) -> set[str]:
    """The package's modules that ``module`` imports (``from pytest_tfkatas import x`` counts as x)."""
    deps = set()
    for name in imports_of(MODULES[module]):
        if name.startswith("pytest_tfkatas."):
            local = name.removeprefix("pytest_tfkatas.")
            while local and local not in MODULES:
                local = local.rpartition(".")[0]
            if local and local != module:
                deps.add(local)
    return deps


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search, each as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                found.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_module_of_the_package_imports_one_that_imports_it_back() -> None:
    graph = {module: own_imports(module) for module in MODULES}
    assert not cycles(graph), "import cycles: " + "; ".join(" -> ".join(c) for c in cycles(graph))


def test_the_cycle_search_finds_a_cycle_at_any_depth() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_imports_inside_functions_and_under_type_checking_count(tmp_path: Path) -> None:
    file = tmp_path / "m.py"
    file.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pytest_tfkatas.session import X\n"
        "def f():\n    from pytest_tfkatas import report\n",
        encoding="utf-8",
    )
    assert {"pytest_tfkatas.session", "pytest_tfkatas.report"} <= imports_of(file)


def test_the_core_imports_no_pytest_at_any_depth() -> None:
    reached, todo = set(), list(CORE)
    while todo:
        module = todo.pop()
        if module not in reached:
            reached.add(module)
            todo += own_imports(module)
    assert reached <= CORE, f"the core reaches {sorted(reached - CORE)}"
    for module in sorted(reached):
        outside = {name.partition(".")[0] for name in imports_of(MODULES[module])}
        assert not outside & {"pytest", "_pytest", "pluggy", "rich"}, f"{module} imports {outside}"


def test_only_the_options_module_reads_the_configs_options() -> None:
    readers = []
    for module, file in MODULES.items():
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("getoption", "getini"):
                readers.append(f"{module}:{node.lineno}")
    assert all(reader.startswith("options:") for reader in readers), readers
