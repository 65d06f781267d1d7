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


def _is_token_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("head", "root", "left_edge",
                                                              "right_edge")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_tokens_are_never_compared_by_identity(path: Path):
    """spaCy makes a new Token object on every access (``doc[0] is doc[0]`` is False), so
    ``token.head is token`` never holds, even at a root: a loop climbing to the root on it
    never ends. Tokens are compared by ``.i``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"line {node.lineno}" for node in ast.walk(tree) if isinstance(node, ast.Compare)
             and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops)
             and any(_is_token_attribute(side) for side in (node.left, *node.comparators))]
    assert not found, f"{path.name}: identity comparison of tokens at {found}"


def test_identity_check_sees_the_bug_it_guards_against():
    import spacy
    from spacy.tokens import Doc

    doc = Doc(spacy.blank("en").vocab, words=["a", "b"], heads=[0, 0], deps=["ROOT", "dep"])
    assert doc[0].head is not doc[0] and doc[0].head.i == doc[0].i
    tree = ast.parse("while verb.head is not verb:\n    verb = verb.head\n")
    assert any(isinstance(n, ast.Compare) and _is_token_attribute(n.left)
               for n in ast.walk(tree))


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
