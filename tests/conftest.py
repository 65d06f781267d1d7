"""Shared fixtures: the seed corpus annotated once per test session with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seed_annotated(tmp_path_factory):
    """The seed corpus annotated with the default English pipeline (skips without it)."""
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    return ak.annotate(ak.load_corpus(SEEDS), cache_dir=tmp_path_factory.mktemp("seed-cache"))


@pytest.fixture(scope="session")
def multidoc_corpus(tmp_path_factory) -> Path:
    """The multi-document test corpus of ``tests/multidoc.py``, written once per session from
    ``../shared/data`` into a temporary folder (skips, naming the path, without the data)."""
    from multidoc import FIELD_FILE, REUTERS_FILE, build_test_corpus, shared_data_dir

    shared = shared_data_dir()
    for needed in (shared / FIELD_FILE, shared / REUTERS_FILE):
        if not needed.is_file():
            pytest.skip(f"multi-document corpus not built: {needed} is missing "
                        "(research data kept outside the repository)")
    return build_test_corpus(tmp_path_factory.mktemp("multidoc"))
