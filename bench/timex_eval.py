"""Score analystkit's TIMEX3 tagger on TempEval-3 TimeML: overall, per subcorpus, error kinds.

Runs ``bench/predict.py timex`` logic on a folder of ``.tml`` files, scores the predictions
with the TempEval-3 scorer (``score_timex.py``, imported by path, never copied) and prints:

* relaxed P/R/F1, strict F1, type F1 and value F1, overall and per subcorpus (TimeBank vs
  AQUAINT: AQUAINT documents are named ``APW...``, ``NYT...`` or ``XIE...``);
* the most frequent error kinds (missed span, spurious span, wrong value or wrong type by
  gold type, different extent), each with a few examples;
* the strict-extent errors by kind (:func:`extent_kind`: a determiner, a modifier, an
  "ago" phrase, a preposition, trailing words, a split or merged expression... included or
  left out), with ``--extents``.

Usage:
    python bench/timex_eval.py --gold ../shared/data/tempeval3/train-tml \\
        [--tools ../shared/tools] [--no-parse] [--errors errors.tsv] [--examples 3]
        [--extents]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
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


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that", "each", "of"}
_QUANTITY = {"about", "around", "nearly", "almost", "only", "just", "barely", "over", "under",
             "more", "less", "than", "fewer", "at", "least", "most", "no", "some", "roughly",
             "approximately", "up", "to", "within", "well", "merely", "right", "good",
             "part", "full"}
_POSITION = {"early", "late", "earlier", "later", "mid", "mid-", "end", "beginning", "start",
             "middle", "rest", "the", "of"}
_ANCHOR = {"ago", "earlier", "later", "before", "after", "hence", "from", "now"}
_PREPOSITIONS = {"in", "on", "at", "for", "since", "during", "by", "until", "through",
                 "over", "within", "from", "after", "before"}
_DAY_PARTS = {"morning", "afternoon", "evening", "night"}
_COORDINATION = {"or", "and", "to", "so", "beyond", "later", "earlier", "two", "months",
                 "weeks", "years", "days"}


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w'’-]+|[^\w\s]", text)]


def extent_kind(gold: str, pred: str, text: str, g: tuple[int, int], p: tuple[int, int]
                ) -> str:
    """The kind of a strict-extent error between a gold and a predicted span that overlap.

    ``"+"`` means the prediction has the words and the gold span not, ``"-"`` the
    reverse; the kind names what differs: punctuation, a determiner ("the nine months"), a
    quantity modifier ("about", "only", "at least"), a position modifier ("early",
    "earlier", "the end of"), an "ago"/"earlier" anchor phrase, a part of the day ("Friday
    night"), a weekday and date apposition ("Friday, Oct. 13"), coordination and ranges
    ("weeks or months"), an "of" phrase, a head noun after the expression ("one-year
    term"), or other.
    """
    (gs, ge), (ps, pe) = g, p
    if ps <= gs and pe >= ge:
        sign, left, right = "+", text[ps:gs], text[ge:pe]
    elif gs <= ps and ge >= pe:
        sign, left, right = "-", text[gs:ps], text[pe:ge]
    else:
        return "crossing spans"
    lw, rw = _words(left), _words(right)
    if not lw and all(not w.isalnum() for w in rw):
        return f"{sign} trailing punctuation"
    if not rw and lw and set(lw) <= _DETERMINERS:
        return f"{sign} leading determiner"
    if not rw and lw and set(lw) <= _QUANTITY | {"the", "a"}:
        return f"{sign} leading quantity modifier (about, only, at least...)"
    if not rw and lw and set(lw) <= _POSITION:
        return f"{sign} leading position modifier (early, earlier, the end of...)"
    if not rw and lw and set(lw) <= _PREPOSITIONS:
        return f"{sign} leading preposition"
    if not lw and rw and rw[0] in _DAY_PARTS:
        return f"{sign} part of the day"
    if not lw and rw and rw[0] in _ANCHOR:
        return f"{sign} trailing ago/earlier/later"
    if not lw and len(rw) >= 2 and rw[0] == "," or (rw and rw[0][:3].isalpha()
                                                    and rw[0][:1].isupper()):
        return f"{sign} weekday and date apposition"
    if set(lw + rw) & {"or", "and", "to"}:
        return f"{sign} coordination or range"
    if rw and rw[0] == "of" or lw and lw[-1] == "of":
        return f"{sign} of-phrase"
    if not lw and rw and rw[0].startswith("-") or not lw and rw and rw[0].isalpha():
        return f"{sign} trailing words"
    if lw and not rw:
        return f"{sign} other leading words"
    return f"{sign} other"


def extent_kinds(scorer, gold: dict, preds: dict) -> dict[str, list[str]]:
    """Strict-extent errors by kind: overlapping pairs (:func:`extent_kind`), missed and
    spurious spans by type."""
    kinds: dict[str, list[str]] = collections.defaultdict(list)
    for key in sorted(gold):
        text = gold[key]["text"]
        gold_items, pred_items = gold[key]["timexes"], preds.get(key, [])
        pairs = scorer.align(gold_items, pred_items)
        for gi, pj in pairs:
            g, p = gold_items[gi], pred_items[pj]
            if (g["start"], g["end"]) != (p["start"], p["end"]):
                kind = extent_kind(g["text"], p["text"], text, (g["start"], g["end"]),
                                   (p["start"], p["end"]))
                kinds[kind].append(f"{g['text']!r} / {p['text']!r}")
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pj for _, pj in pairs}
        for gi, g in enumerate(gold_items):
            if gi not in matched_g:
                kinds[f"missed: gold {g['type'].upper()}"].append(repr(g["text"]))
        for pj, p in enumerate(pred_items):
            if pj not in matched_p:
                kinds[f"spurious: pred {p['type'].upper()}"].append(repr(p["text"]))
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
    parser.add_argument("--extents", action="store_true",
                        help="also list the strict-extent errors by kind, with counts")
    parser.add_argument("--record", action="store_true",
                        help="write the figures to analystkit/data/evaluation.json")
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
    extents = extent_kinds(scorer, gold, preds)
    if args.extents:
        print(f"\nStrict-extent errors by kind ({sum(map(len, extents.values()))}; "
              "+ predicted words the gold leaves out, - the reverse):")
        for kind, examples in sorted(extents.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(examples):5d}  {kind}")
            for example in examples[: args.examples]:
                print(f"           {example}")
    if args.record:
        from evaluation import record

        res = summary["all"]
        record("timex", command=f"bench/timex_eval.py --gold {args.gold.name} --record",
               data=f"TempEval-3 train ({len(gold)} hand-annotated news documents, "
                    f"{res['n_gold']:,} expressions)",
               figures={"strict F1": res["strict_F1"], "relaxed F1": res["relaxed_F1"],
                        "value F1": res["value_F1"], "type F1": res["type_F1"]})
    if args.json:
        args.json.write_text(json.dumps(
            {**summary, "error_kinds": {k: len(v) for k, v in kinds.items()},
             "extent_kinds": {k: len(v) for k, v in extents.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
