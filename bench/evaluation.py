"""Record the kit's measured accuracy in ``analystkit/data/evaluation.json``.

The notebooks (:func:`analystkit.display.show_accuracy`) and the README state these figures
with the data set each was measured on, so a reader knows how far to trust a report. Each
evaluation script writes its own entry when given ``--record``::

    python bench/polarity_eval.py --record          # NewsMTSC dev-rw and dev-mt
    python bench/attrib_eval.py --split dev --record  # PolNeAR dev
    python bench/timex_eval.py --gold ../shared/data/tempeval3/train-tml --record

``python bench/evaluation.py`` prints what is recorded; ``--markdown`` prints it as the rows
of the README's accuracy table (percentages, attribution F1 as fractions).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALUATION_FILE = ROOT / "analystkit" / "data" / "evaluation.json"


def record(task: str, *, data: str, command: str, figures: dict[str, float]) -> None:
    """Write one task's figures (fractions in 0..1) into the evaluation file.

    Args:
        task: ``polarity``, ``attribution`` or ``timex``.
        data: The data set and split, for a reader ("PolNeAR dev, 84 articles").
        command: The command that measured them.
        figures: Named figures, e.g. ``{"dev-rw macro-F1": 0.83}``.
    """
    entries = json.loads(EVALUATION_FILE.read_text(encoding="utf-8")) \
        if EVALUATION_FILE.is_file() else {}
    entries[task] = {"data": data, "command": command,
                     "measured": dt.datetime.now(dt.UTC).date().isoformat(),
                     "figures": {name: round(float(value), 4) for name, value in figures.items()}}
    EVALUATION_FILE.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n",
                               encoding="utf-8")
    print(f"recorded {task} in {EVALUATION_FILE.relative_to(ROOT)}")


def markdown() -> str:
    """The recorded figures as Markdown table rows: step | data set | figure | value."""
    entries = json.loads(EVALUATION_FILE.read_text(encoding="utf-8"))
    lines = ["| step | measured on | figure | value |", "|---|---|---|---|"]
    for task, entry in entries.items():
        for name, value in entry["figures"].items():
            shown = f"{value:.2f}" if task == "attribution" else f"{100 * value:.1f}"
            lines.append(f"| {task} | {entry['data']} | {name} | {shown} |")
    return "\n".join(lines)


def main() -> int:
    if "--markdown" in sys.argv[1:]:
        print(markdown())
    else:
        print(EVALUATION_FILE.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
