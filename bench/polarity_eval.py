"""Score the shipped polarity model on a NewsMTSC jsonl file and time it.

Runs :class:`analystkit.polarity.PolarityModel` (ONNX int8, no torch) on every target of the
file, writes ``{"id", "label", "probs"}`` lines, scores them with the NewsMTSC scorer
(``/work/shared/tools/score_newsmtsc.py``, imported by path) and prints macro-F1 and the
throughput in targets per second (tokenization included, model load excluded).

Usage::

    .venv/bin/python bench/polarity_eval.py /work/shared/data/newsmtsc/dev-rw.jsonl \
        [--model analystkit/data/polarity] [--out preds.jsonl] [--batch-size 32] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analystkit.polarity import PolarityModel  # noqa: E402

SCORER = Path("/work/shared/tools/score_newsmtsc.py")


def load_scorer(path: Path = SCORER):
    """Import the NewsMTSC scorer module from its file."""
    spec = importlib.util.spec_from_file_location("score_newsmtsc", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="NewsMTSC jsonl (flat layout: id, sentence, from, to)")
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: shipped)")
    ap.add_argument("--out", type=Path, default=None, help="predictions jsonl to write")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (best one reported)")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    a = ap.parse_args(argv)

    with a.gold.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    items = [(r["sentence"], r["from"], r["to"]) for r in rows]
    model = PolarityModel.load(a.model, threads=a.threads)
    model.predict(items[: a.batch_size], batch_size=a.batch_size)  # warm-up
    best = float("inf")
    for _ in range(max(1, a.repeat)):
        t0 = time.perf_counter()
        preds = model.predict(items, batch_size=a.batch_size)
        best = min(best, time.perf_counter() - t0)

    out = a.out or Path(tempfile.mkdtemp()) / f"{a.gold.stem}.pred.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r, (label, probs) in zip(rows, preds, strict=True):
            fh.write(json.dumps({"id": r["id"], "label": label,
                                 "probs": [round(p, 5) for p in probs]}) + "\n")
    scorer = load_scorer(a.scorer)
    res = scorer.score(scorer.load_gold(str(a.gold)), scorer.load_pred(str(out)))
    print(f"model       {model.path}")
    print(f"predictions {out}")
    print(f"targets     {len(rows)}  (sentences {len({r['sentence'] for r in rows})})")
    print(f"macro-F1    {100 * res['macro_f1']:.1f}")
    print(f"accuracy    {100 * res['accuracy']:.1f}")
    print(f"speed       {len(rows) / best:.0f} targets/s (batch {a.batch_size}, best of "
          f"{max(1, a.repeat)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
