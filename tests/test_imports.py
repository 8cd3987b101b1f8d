"""The import graph: no cycles (function-level imports included) and no private names across modules.

The pipeline of STYLE.md holds only if the imports say so. This test reads every module's source
(so an import inside a function counts as much as one at the top; ``if TYPE_CHECKING:`` blocks do
not, since they never run) and checks two rules:

* the graph of argkit modules has no cycle;
* no module uses another module's private names (``from argkit.x import _y``, ``x._y``). Private
  *modules* (``argkit._io``) are shared helpers by design; their public names may be used.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import argkit

SRC = Path(argkit.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _imports(module: str, source: str | None = None) -> tuple[set[str], list[str]]:
    """The argkit modules ``module`` imports, and the private names it takes from other modules."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8") if source is None else source)
    deps: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}  # local name -> argkit module
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("argkit"):
                    deps.add(a.name)
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            if not base.startswith("argkit"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in MODULES:  # "from argkit import render": the module itself
                    deps.add(sub)
                    aliases[a.asname or a.name] = sub
                else:
                    deps.add(base)
                    if a.name.startswith("_") and base != module:
                        private.append(f"{module}: from {base} import {a.name}")
    for node in _runtime_nodes(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__") and aliases[node.value.id] != module):
            private.append(f"{module}: {aliases[node.value.id]}.{node.attr}")
    # importing argkit.a.b runs argkit.a first: the package is a dependency too
    deps |= {d.rpartition(".")[0] for d in deps if d.count(".") > 1}
    return {d for d in deps if d in MODULES and d != module}, private


GRAPH = {m: _imports(m)[0] for m in MODULES}


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for d in sorted(GRAPH[m]):
            if d == "argkit" or d == m.rpartition(".")[0]:
                continue  # a submodule runs after its package's __init__ has started: not a cycle
            if state.get(d) == 1:
                return [*path[path.index(d):], d]
            if d not in state and (found := visit(d)):
                return found
        state[m] = 2
        path.pop()
        return None

    for m in sorted(GRAPH):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or [])


def test_no_private_name_crosses_a_module() -> None:
    found = [p for m in MODULES for p in _imports(m)[1]]
    assert found == []


# The stages in order, as README's "For developers" gives them: a module may import modules of its
# own stage or of an earlier one, never of a later one, inside a function or not. ``validate``
# (checks on a map, which need only the model) comes before the text readers, because a reader
# refuses an invalid map with every problem at once: it calls the checks.
STAGES: tuple[tuple[str, ...], ...] = (
    ("errors", "_text", "_suggest"),
    ("_io",),
    ("model",),
    ("validate",),
    ("mapfile", "argdown", "argdown.lexer", "argdown.document", "argdown.to_map", "argdown.writer", "aif"),
    ("overlay",),
    ("files",),
    ("semantics",),
    ("engine", "raster", "pdf", "render", "tables", "quotes", "timeline"),
    ("exercises", "convert"),
    ("mapview", "editor", "classmap", "cli", "__main__", ""),
)
STAGE = {f"argkit.{m}".rstrip("."): i for i, stage in enumerate(STAGES) for m in stage}


def test_every_module_has_a_stage() -> None:
    assert set(STAGE) == set(MODULES)


def test_the_pipeline_runs_one_way() -> None:
    upward = sorted(f"{m} -> {d}" for m, deps in GRAPH.items() for d in deps if STAGE[d] > STAGE[m])
    assert upward == []


def test_the_stage_check_sees_an_upward_import_inside_a_function() -> None:
    # validate reaching up to overlay from inside a function (as validate(path) once did) is caught.
    src = MODULES["argkit.validate"].read_text(encoding="utf-8")
    deps, _ = _imports("argkit.validate", src + "\n\ndef _late(p):\n    from argkit.overlay import load\n"
                                                "    return load(p)\n")
    assert "argkit.overlay" in deps and STAGE["argkit.overlay"] > STAGE["argkit.validate"]


def test_the_graph_sees_function_level_imports() -> None:
    # cli imports its commands' modules inside functions: they must show up as edges.
    assert {"argkit.render", "argkit.semantics"} <= GRAPH["argkit.cli"]
    assert "argkit.validate" in GRAPH["argkit.overlay"]


def test_import_argkit_stays_light() -> None:
    code = ("import argkit, sys; argkit.load; argkit.evaluate; "
            "print(sorted(m for m in ('pandas', 'ipywidgets', 'IPython', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_api_is_discoverable() -> None:
    import pytest

    assert set(dir(argkit)) == set(argkit.__all__)
    assert argkit.exercises.check_label.__module__ == "argkit.exercises"
    with pytest.raises(AttributeError, match="module 'argkit' has no attribute 'nope'"):
        argkit.nope  # noqa: B018


def test_python_dash_m_argkit_runs_the_cli(monkeypatch, capsys) -> None:
    import runpy

    import pytest

    monkeypatch.setattr(sys, "argv", ["argkit", "--version"])
    with pytest.raises(SystemExit) as e:
        runpy.run_module("argkit", run_name="__main__")
    assert e.value.code == 0
    assert argkit.__version__ in capsys.readouterr().out
