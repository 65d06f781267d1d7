"""The README's relative links and images point to files in the repository."""

from __future__ import annotations

import re
from pathlib import Path

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
