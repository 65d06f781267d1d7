"""Score the shipped polarity model on a NewsMTSC jsonl file and time it.

Runs :class:`analystkit.polarity.PolarityModel` (ONNX int8, no torch) on every target of the
file, writes ``{"id", "label", "probs"}`` lines, scores them with the NewsMTSC scorer
(``/work/shared/tools/score_newsmtsc.py``, imported by path) and prints macro-F1 and the
throughput in targets per second (tokenization included, model load excluded).

Usage::

    .venv/bin/python bench/polarity_eval.py [GOLD.jsonl ...] [--model DIR] [--out preds.jsonl]
        [--repeat 3] [--record]

Without a gold file it scores NewsMTSC dev-rw and dev-mt; ``--record`` writes their figures
to ``analystkit/data/evaluation.json`` (see ``bench/evaluation.py``).

The targets of one sentence are scored together in one encoder pass, as the kit scores the
mentions of a sentence.
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


DEV_SETS = [ROOT.parent / "shared" / "data" / "newsmtsc" / f"dev-{name}.jsonl"
            for name in ("rw", "mt")]


def evaluate(gold: Path, model: PolarityModel, *, out: Path | None, repeat: int,
             scorer) -> dict:
    """Predict, write and score one NewsMTSC file; print and return the figures."""
    with gold.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    items = [(r["sentence"], r["from"], r["to"]) for r in rows]
    model.predict(items[:32])  # warm-up
    best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        preds = model.predict(items)
        best = min(best, time.perf_counter() - t0)
    out = out or Path(tempfile.mkdtemp()) / f"{gold.stem}.pred.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r, (label, probs) in zip(rows, preds, strict=True):
            fh.write(json.dumps({"id": r["id"], "label": label,
                                 "probs": [round(p, 5) for p in probs]}) + "\n")
    res = scorer.score(scorer.load_gold(str(gold)), scorer.load_pred(str(out)))
    print(f"{gold.stem}: model {model.path}")
    print(f"  predictions {out}")
    print(f"  targets     {len(rows)}  (sentences {len({r['sentence'] for r in rows})})")
    print(f"  macro-F1    {100 * res['macro_f1']:.1f}")
    print(f"  accuracy    {100 * res['accuracy']:.1f}")
    print(f"  speed       {len(rows) / best:.0f} targets/s (best of {max(1, repeat)})")
    return {"targets": len(rows), "macro_f1": res["macro_f1"], "accuracy": res["accuracy"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, nargs="*", default=DEV_SETS,
                    help="NewsMTSC jsonl files (flat layout: id, sentence, from, to); "
                         "default dev-rw and dev-mt")
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: shipped)")
    ap.add_argument("--out", type=Path, default=None,
                    help="predictions jsonl to write (one gold file only)")
    ap.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (best one reported)")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    ap.add_argument("--record", action="store_true",
                    help="write the dev-rw and dev-mt figures to analystkit/data/evaluation.json")
    a = ap.parse_args(argv)
    if a.out is not None and len(a.gold) != 1:
        ap.error("--out needs exactly one gold file")

    model = PolarityModel.load(a.model, threads=a.threads)
    scorer = load_scorer(a.scorer)
    results = {gold.stem: evaluate(gold, model, out=a.out, repeat=a.repeat, scorer=scorer)
               for gold in a.gold}
    if a.record:
        if sorted(results) != ["dev-mt", "dev-rw"] or a.model is not None:
            ap.error("--record scores the shipped model on dev-rw and dev-mt only")
        from evaluation import record

        record("polarity", command="bench/polarity_eval.py --record",
               data=f"NewsMTSC dev-rw ({results['dev-rw']['targets']} targets, the real-world "
                    f"mix) and dev-mt ({results['dev-mt']['targets']} targets in sentences "
                    "with several targets); the model never saw them in training",
               figures={f"{k} {name}": v[key] for k, v in results.items()
                        for name, key in (("macro-F1", "macro_f1"), ("accuracy", "accuracy"))})
    return 0


if __name__ == "__main__":
    sys.exit(main())
