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
