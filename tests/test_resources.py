"""Tests for analystkit.resources: one loader, one cache policy, a way to clear it."""

from __future__ import annotations

import ast
from pathlib import Path

from analystkit import resources

PACKAGE = Path(resources.__file__).parent


def test_built_once_per_key_and_again_after_clear():
    calls = []

    def build():
        calls.append(1)
        return object()

    first = resources.cached("test-kind", (), build, settings=1)
    assert resources.cached("test-kind", (), build, settings=1) is first
    assert resources.cached("test-kind", (), build, settings=2) is not first
    resources.clear("test-kind")
    assert resources.cached("test-kind", (), build, settings=1) is not first
    assert len(calls) == 3


def test_an_edited_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "_RECHECK_SECONDS", 0.0)  # look at the file on every call
    path = tmp_path / "rules.txt"
    path.write_text("one\n", encoding="utf-8")
    read = lambda: path.read_text(encoding="utf-8")  # noqa: E731
    assert resources.cached("test-file", (path,), read) == "one\n"
    path.write_text("one\ntwo\n", encoding="utf-8")  # a different size: a new stamp
    assert resources.cached("test-file", (path,), read) == "one\ntwo\n"
    resources.clear("test-file")


def test_a_hit_within_the_recheck_interval_does_not_look_at_the_files(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "_RECHECK_SECONDS", 3600.0)
    path = tmp_path / "rules.txt"
    path.write_text("one\n", encoding="utf-8")
    read = lambda: path.read_text(encoding="utf-8")  # noqa: E731
    assert resources.cached("test-hot", (path,), read) == "one\n"
    stamps = []
    monkeypatch.setattr(resources, "file_stamp", lambda p: stamps.append(p))
    assert resources.cached("test-hot", (path,), read) == "one\n"
    assert stamps == []  # a hot path pays a dictionary look-up, not a stat
    resources.clear("test-hot")


def test_a_failed_build_caches_nothing():
    def failing():
        raise ValueError("bad file")

    for _ in range(2):
        try:
            resources.cached("test-fail", (), failing)
        except ValueError:
            pass
    assert resources.cached("test-fail", (), lambda: "ok") == "ok"
    resources.clear("test-fail")


def test_no_module_reads_a_file_or_caches_on_its_own_at_import_time():
    # Module-level statements may not call a reader; caches go through resources.cached.
    readers = {"read_text", "read_bytes", "open", "load", "loads", "safe_load"}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef,
                                 ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'":
                continue  # runs as a script only, never at import
            for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
                name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                assert name not in readers, f"{path.name}:{call.lineno} reads at import"
        decorators = [d for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                      for d in n.decorator_list]
        names = {ast.unparse(d) for d in decorators}
        assert not {n for n in names if "lru_cache" in n or n == "functools.cache"} - {
            "functools.lru_cache(maxsize=65536)"}, f"{path.name} keeps its own cache: {names}"


def test_the_annotation_fingerprint_covers_the_modules_annotation_imports():
    from analystkit.pipeline import doc_shaping_files

    names = {path.name for path in doc_shaping_files()}
    assert {"pipeline.py", "nerfix.py", "aliases.py", "aliases.csv"} <= names
    assert not {"stance.py", "timeline.py", "report.py"} & names  # downstream: no effect
