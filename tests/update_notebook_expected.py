"""Refresh tests/notebook_expected.json: run each notebook with its default parameters and
store the stdout of every cell marked ``# NBVAL_CHECK_OUTPUT`` (see the root conftest.py).

Run it (``make expected-outputs``) only after a deliberate change of a checked summary, and
review the diff of the JSON file like any other change of expected results.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

from analystkit.report import kernel_config

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "notebook_expected.json"
MARKER = "NBVAL_CHECK_OUTPUT"


def main() -> int:
    expected: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            out = Path(tmp) / path.name
            papermill.execute_notebook(str(path), str(out), cwd=str(path.parent),
                                       progress_bar=False, config=kernel_config("python3"))
            notebook = nbformat.read(str(out), as_version=4)
            cells = {}
            for cell in notebook.cells:
                if cell.cell_type == "code" and MARKER in cell.source:
                    cells[cell.id] = "".join(o.get("text", "") for o in cell.outputs
                                             if o.output_type == "stream" and o.name == "stdout")
            if cells:
                expected[path.name] = cells
    EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED.relative_to(ROOT)}: "
          + ", ".join(f"{name} ({len(cells)} cells)" for name, cells in expected.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
