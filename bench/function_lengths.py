"""Functions longer than a limit (default 60 lines, docstring included) in the package.

Usage:
    python bench/function_lengths.py [--limit 60] [PATH ...]   (default: analystkit bench)

Prints ``file:line name length`` for each, longest first, and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path


def long_functions(paths: list[Path], limit: int) -> list[tuple[int, str, str]]:
    """``(length, "file:line", name)`` of every function longer than ``limit`` lines."""
    found = []
    for root in paths:
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    length = node.end_lineno - node.lineno + 1
                    if length > limit:
                        found.append((length, f"{path}:{node.lineno}", node.name))
    return sorted(found, reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        default=[Path("analystkit"), Path("bench")])
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args(argv)
    found = long_functions(args.paths, args.limit)
    for length, where, name in found:
        print(f"{where} {name} {length}")
    print(f"{len(found)} function(s) over {args.limit} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
