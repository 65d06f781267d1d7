"""The README's relative links and images point to files in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_links_and_images_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert "docs/briefing.png" in local
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, missing


def test_readme_screenshot_is_a_png():
    assert (ROOT / "docs" / "briefing.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _evaluation() -> dict:
    import json

    return json.loads((ROOT / "analystkit" / "data" / "evaluation.json").read_text("utf-8"))


def test_readme_states_the_recorded_accuracy_with_its_data_set():
    # The README's accuracy table and analystkit/data/evaluation.json (written by the bench
    # scripts' --record) must not drift apart: every recorded figure is in the README.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How accurate is it"):]
    section = section[:section.index("\n## ", 4)]
    for task, entry in _evaluation().items():
        for name, value in entry["figures"].items():
            shown = f"{value:.2f}" if task == "attribution" else f"{100 * value:.1f}"
            assert shown in section, (task, name, shown)
    for data_set in ("NewsMTSC dev-rw", "dev-mt", "PolNeAR dev", "TempEval-3 train"):
        assert data_set in section


def test_recorded_polarity_figures_are_the_shipped_models():
    import json

    config = json.loads((ROOT / "analystkit" / "data" / "polarity" / "config.json")
                        .read_text("utf-8"))
    figures = _evaluation()["polarity"]["figures"]
    for split in ("dev-rw", "dev-mt"):
        assert round(100 * figures[f"{split} macro-F1"], 2) == pytest.approx(
            config["scores_int8"][split]["macro_f1"], abs=0.01)
