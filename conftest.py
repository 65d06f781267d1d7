"""Pytest glue for nbval: expected outputs of checked cells live outside the notebooks.

Notebooks are committed without outputs (reviewable diffs, no stale results), yet cells marked
``# NBVAL_CHECK_OUTPUT`` must compare a deterministic summary. Their expected stdout is kept in
``tests/notebook_expected.json`` as ``{notebook: {cell id: text}}``; before nbval runs a
notebook, the text is put back into those cells. A marked cell without a stored expectation
fails the run, so a check can never pass by having nothing to compare.
Refresh the file with ``make expected-outputs`` after a deliberate change.

With ``ANALYSTKIT_NBVAL_CORPUS=PATH`` the notebooks run on that corpus instead of ``seeds/``
(``make test`` does this with the multi-document test corpus): the path is set after the
parameters cell, as papermill would, and the checked summaries, which describe the seeds,
are not compared.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parent / "tests" / "notebook_expected.json"
MARKER = "NBVAL_CHECK_OUTPUT"

try:
    import nbformat
    from nbval.plugin import IPyNbFile
except ImportError:  # nbval absent: nothing to patch
    IPyNbFile = None


def _on_other_corpus(items: list, corpus: str) -> list:
    for item in items:
        item.options["check"] = False  # the stored summaries describe the seeds
        if "parameters" in item.cell.get("metadata", {}).get("tags", []):
            item.cell.source += f"\ncorpus_path = {corpus!r}  # ANALYSTKIT_NBVAL_CORPUS\n"
    return items


def _inject_expected(self):
    items = list(_original_collect(self))
    corpus = os.environ.get("ANALYSTKIT_NBVAL_CORPUS")
    if corpus:
        return _on_other_corpus(items, corpus)
    expected = json.loads(EXPECTED.read_text()).get(self.path.name, {})
    for cell in self.nb.cells:
        if cell.cell_type != "code" or MARKER not in cell.source:
            continue
        if cell.get("id") not in expected:
            raise pytest.UsageError(
                f"{self.path.name}: cell {cell.get('id')!r} is marked {MARKER} but "
                f"{EXPECTED.name} has no expected output for it (run `make expected-outputs`)")
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected[cell.id])]
    return items


if IPyNbFile is not None:
    _original_collect = IPyNbFile.collect
    IPyNbFile.collect = _inject_expected


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line for the CI log: how many multi-document corpus tests ran, and whether the
    shared data was there (they skip, and say so, without it)."""
    outcomes = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if "multidoc" in getattr(report, "keywords", {}) and report.when in (
                    "call", "setup") and not (outcome == "passed" and report.when == "setup"):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if outcomes:
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        terminalreporter.write_line(f"multi-document corpus tests (marker multidoc): {summary}")
    # The browser checks' tables (tests/test_browser.py), so CI's log shows what was checked.
    for title, table in getattr(config, "analystkit_browser_checks", []):
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(table)
