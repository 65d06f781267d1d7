"""Score analystkit's TIMEX3 tagger on TempEval-3 TimeML: overall, per subcorpus, error kinds.

Runs ``bench/predict.py timex`` logic on a folder of ``.tml`` files, scores the predictions
with the TempEval-3 scorer (``score_timex.py``, imported by path, never copied) and prints:

* relaxed P/R/F1, strict F1, type F1 and value F1, overall and per subcorpus (TimeBank vs
  AQUAINT: AQUAINT documents are named ``APW...``, ``NYT...`` or ``XIE...``);
* the most frequent error kinds (missed span, spurious span, wrong value or wrong type by
  gold type, different extent), each with a few examples.

Usage:
    python bench/timex_eval.py --gold ../shared/data/tempeval3/train-tml \\
        [--tools ../shared/tools] [--no-parse] [--errors errors.tsv] [--examples 3]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from predict import predict_timex

DEFAULT_TOOLS = Path(__file__).resolve().parents[1].parent / "shared" / "tools"
AQUAINT_PREFIXES = ("APW", "NYT", "XIE")


def load_scorer(tools: Path):
    """The ``score_timex`` module from ``tools`` (the shared TempEval-3 scorer)."""
    path = tools / "score_timex.py"
    if not path.is_file():
        sys.exit(f"scorer not found: {path} (pass --tools)")
    spec = importlib.util.spec_from_file_location("score_timex", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def subcorpus(doc: str) -> str:
    """``"AQUAINT"`` or ``"TimeBank"`` from a TempEval-3 document name."""
    return "AQUAINT" if doc.startswith(AQUAINT_PREFIXES) else "TimeBank"


def error_kinds(scorer, gold: dict, preds: dict) -> collections.Counter:
    """Counter of (kind, example) lists: ``kinds[kind] -> [examples]``."""
    kinds: dict[str, list[str]] = collections.defaultdict(list)
    for key in sorted(gold):
        gold_items, pred_items = gold[key]["timexes"], preds.get(key, [])
        pairs = scorer.align(gold_items, pred_items)
        for gi, pj in pairs:
            g, p = gold_items[gi], pred_items[pj]
            gtype, ptype = g["type"].upper(), p["type"].upper()
            if gtype != ptype:
                kinds[f"wrong type: gold {gtype} -> {ptype}"].append(
                    f"{g['text']!r} {g['value']} / {p['text']!r} {p['value']}")
            elif g["value"] != p["value"]:
                kinds[f"wrong value: gold {gtype}"].append(
                    f"{g['text']!r} {g['value']} / {p['text']!r} {p['value']}")
            if (g["start"], g["end"]) != (p["start"], p["end"]):
                kinds["extent differs"].append(f"{g['text']!r} / {p['text']!r}")
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pj for _, pj in pairs}
        for gi, g in enumerate(gold_items):
            if gi not in matched_g:
                kinds[f"missed span: gold {g['type'].upper()}"].append(
                    f"{g['text']!r} {g['value']}")
        for pj, p in enumerate(pred_items):
            if pj not in matched_p:
                kinds[f"spurious span: pred {p['type'].upper()}"].append(
                    f"{p['text']!r} {p['value']}")
    return kinds


def _line(name: str, res: dict) -> str:
    pct = lambda x: f"{100 * x:6.2f}"  # noqa: E731
    return (f"{name:<9} gold {res['n_gold']:5d} pred {res['n_pred']:5d} | relaxed P "
            f"{pct(res['relaxed_P'])} R {pct(res['relaxed_R'])} F1 {pct(res['relaxed_F1'])}"
            f" | strict F1 {pct(res['strict_F1'])} | type F1 {pct(res['type_F1'])}"
            f" | value F1 {pct(res['value_F1'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", required=True, type=Path, help="folder of gold .tml files")
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS,
                        help="folder holding score_timex.py (default ../shared/tools)")
    parser.add_argument("--no-parse", action="store_true", help="tag without a spaCy parse")
    parser.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    parser.add_argument("--pred", type=Path, help="also write the predictions JSONL here")
    parser.add_argument("--errors", type=Path, help="write the scorer's error TSV here")
    parser.add_argument("--top", type=int, default=10, help="error kinds to show")
    parser.add_argument("--examples", type=int, default=3, help="examples per error kind")
    parser.add_argument("--json", type=Path, help="write the summary numbers as JSON")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.tools)
    gold = scorer.load_gold(str(args.gold))
    records = [{"doc": d["file"], "dct": d["dct"], "text": d["text"]} for d in gold.values()]
    rows, timings = predict_timex(records, parse=not args.no_parse, model=args.model)
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = args.pred or Path(tmp) / "pred.jsonl"
        with open(pred_path, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        preds = scorer.load_pred(str(pred_path), gold)

    summary = {"all": scorer.score(gold, preds,
                                   errors=str(args.errors) if args.errors else None)}
    for part in ("TimeBank", "AQUAINT"):
        keys = [k for k in gold if subcorpus(k) == part]
        summary[part] = scorer.score({k: gold[k] for k in keys},
                                     {k: preds[k] for k in keys if k in preds})
    print(f"{len(gold)} documents; parse {timings['parse']:.1f} s, "
          f"tagging {timings['tag']:.2f} s")
    for name, res in summary.items():
        print(_line(name, res))
    kinds = error_kinds(scorer, gold, preds)
    print(f"\nTop {args.top} error kinds:")
    for kind, examples in sorted(kinds.items(), key=lambda kv: -len(kv[1]))[: args.top]:
        print(f"  {len(examples):5d}  {kind}")
        for example in examples[: args.examples]:
            print(f"           {example}")
    if args.json:
        args.json.write_text(json.dumps(
            {**summary, "error_kinds": {k: len(v) for k, v in kinds.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
