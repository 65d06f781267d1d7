"""Structure checks over the package's source: short functions, one-way imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analystkit"
MAX_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_over_60_lines(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
            for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert not long, f"{path.name}: {long}"


# Capability modules and what they may import from the package: data flows one way.
DOWNSTREAM = {
    "entities": {"stance", "timeline", "plots", "report", "analysis", "cli"},
    "timeline": {"stance", "plots", "report", "analysis", "cli"},
    "stance": {"timeline", "plots", "report", "analysis", "cli"},
    "pipeline": {"entities", "stance", "timeline", "plots", "report", "analysis", "cli"},
    "corpus": {"pipeline", "entities", "stance", "timeline", "plots", "report", "analysis",
               "cli"},
}


@pytest.mark.parametrize("module", sorted(DOWNSTREAM))
def test_imports_flow_one_way(module: str):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    imported = {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}
    assert not imported & DOWNSTREAM[module], f"{module} imports {imported & DOWNSTREAM[module]}"
