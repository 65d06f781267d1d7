"""Evaluate :func:`analystkit.attribution.find_attributions` on PolNeAR (who says what).

Converts the PolNeAR brat files with the shared converter into a temporary folder, parses
each article with the project's pipeline, writes one prediction line per article::

    {"doc": NAME, "attributions": [{"source": [s, e] | null, "cue": [s, e], "content": [s, e]}]}

and prints the shared scorer's summary (per-role exact/overlap P/R/F1, whole attribution).

Usage:
    python bench/attrib_eval.py [--split dev] [--out PRED.jsonl] [--limit N] [--headlines]
        [--no-cache]
    python bench/attrib_eval.py --split train --cue-stats     # lexicon candidates (see below)

Parsed articles go through analystkit's annotation cache (``ANALYSTKIT_CACHE_DIR``), so a
rerun after a rule change only re-extracts. ``--headlines`` keeps attributions in headlines
(PolNeAR annotates "Pence: Flowers Won't Be at Debate." as one; analystkit drops them by
default, see :func:`analystkit.attribution.find_attributions`).

``--cue-stats`` is the "training" step behind ``analystkit/data/cues.txt``: over the chosen
split it counts, per verb lemma outside quotations, how often the verb is a gold cue, and
lists frequent lemmas missing from the lexicon (and listed lemmas that rarely are cues), so
the lexicon is curated from corpus evidence. Run it on train only, never on dev.

``predict_attributions`` is the prediction entry point reused by ``bench/predict.py attrib``.
The data are research-use only and are read by path (default ``../shared`` next to the repo).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_DATA = SHARED / "data" / "polnear"
DEFAULT_TOOLS = SHARED / "tools"


def attributions_json(doc, *, headlines: bool = False) -> list[dict]:
    """The attributions of a parsed ``Doc`` as scorer dicts (``source`` may be None)."""
    from analystkit.attribution import find_attributions

    return [{"source": list(a.source) if a.source else None, "cue": list(a.cue),
             "content": list(a.content), "kind": a.kind, "cue_lemma": a.cue_lemma}
            for a in find_attributions(doc, headlines=headlines)]


def cached_docs(lines: list[dict], nlp) -> list:
    """Parsed Docs of the lines' texts through analystkit's annotation cache (each text is
    one document without a headline, i.e. exactly ``nlp(text)``)."""
    import pandas as pd

    import analystkit as ak
    from analystkit.corpus import Corpus, Document

    corpus = Corpus([Document(f"t{i}", line.get("text") or "")
                     for i, line in enumerate(lines)], pd.DataFrame())
    return ak.annotate(corpus, nlp=nlp, progress=False).docs


def predict_attributions(lines_in: Iterable[dict], nlp, *, batch_size: int = 16,
                         headlines: bool = False) -> Iterator[dict]:
    """Parse each ``{"doc", "text", ...}`` line with ``nlp`` and yield its prediction line.

    Args:
        lines_in: Dicts with ``doc`` (an id) and ``text`` (other keys are ignored).
        nlp: A loaded spaCy pipeline with a parser (``analystkit.load_model()``).
        batch_size: ``nlp.pipe`` batch size.
        headlines: Keep attributions found in headlines (PolNeAR's convention).

    Returns:
        An iterator of ``{"doc", "attributions": [{"source", "cue", "content", "kind",
        "cue_lemma"}]}`` in input order (the scorer ignores the extra keys).

    Example:
        >>> import analystkit as ak                                    # doctest: +SKIP
        >>> rows = predict_attributions([{"doc": "d1", "text": "He said so."}],
        ...                             ak.load_model())              # doctest: +SKIP
    """
    def texts(buffer: list[dict]) -> Iterator[str]:
        for line in lines_in:
            buffer.append(line)
            yield line.get("text") or ""

    pending: list[dict] = []
    for doc in nlp.pipe(texts(pending), batch_size=batch_size):
        line = pending.pop(0)
        yield {"doc": line["doc"], "attributions": attributions_json(doc, headlines=headlines)}


def convert(data: Path, tools: Path, splits: list[str], out_dir: Path) -> None:
    """Run the shared PolNeAR converter into ``out_dir`` (``{split}.jsonl``)."""
    subprocess.run([sys.executable, str(tools / "polnear.py"), "--root", str(data),
                    "--out", str(out_dir), "--splits", *splits],
                   check=True, stdout=subprocess.DEVNULL)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cue_stats(lines: list[dict], nlp, *, min_count: int = 8) -> None:
    """Print verb lemmas that are often gold cues but missing from the lexicon, and listed
    lemmas that are rarely cues (precision risks)."""
    from analystkit.attribution import find_quotes, load_cues

    cues = load_cues()
    listed = cues.speech | cues.belief
    seen, hits = Counter(), Counter()
    for line, doc in zip(lines, nlp.pipe((x["text"] for x in lines), batch_size=16),
                         strict=True):
        quotes = find_quotes(doc.text)
        starts = sorted(a["cue"] for a in line["attributions"])
        for token in doc:
            if token.pos_ != "VERB" or any(s <= token.idx < e for s, e, _ in quotes):
                continue
            lemma = token.lemma_.lower()
            seen[lemma] += 1
            hits[lemma] += any(s <= token.idx < e for s, e in starts)
    rows = sorted(((hits[k] / n, hits[k], n, k) for k, n in seen.items() if n >= min_count),
                  reverse=True)
    print("# frequent gold-cue verbs not in the lexicon (rate, hits/seen)")
    for rate, hit, n, lemma in rows:
        if lemma not in listed and rate >= 0.3:
            print(f"  {lemma:16s} {rate:.2f} {hit}/{n}")
    print("# listed verbs that are rarely gold cues")
    for rate, hit, n, lemma in rows:
        if lemma in listed and rate < 0.15:
            print(f"  {lemma:16s} {rate:.2f} {hit}/{n}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR root folder")
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS,
                        help="folder with polnear.py and score_attrib.py")
    parser.add_argument("--out", type=Path, help="prediction JSONL (default: a temp file)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--model", help="spaCy pipeline (see analystkit.resolve_model)")
    parser.add_argument("--cue-stats", action="store_true",
                        help="print lexicon candidates from the split instead of scoring")
    parser.add_argument("--headlines", action="store_true",
                        help="keep attributions in headlines (PolNeAR annotates them)")
    parser.add_argument("--no-cache", action="store_true",
                        help="parse without analystkit's annotation cache")
    parser.add_argument("--record", action="store_true",
                        help="write the dev figures to analystkit/data/evaluation.json")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.path.insert(0, str(REPO))
    import analystkit as ak

    if not args.data.is_dir():
        print(f"PolNeAR not found at {args.data}", file=sys.stderr)
        return 2
    nlp = ak.load_model(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        convert(args.data, args.tools, [args.split], tmp_dir)
        gold_path = tmp_dir / f"{args.split}.jsonl"
        lines = read_jsonl(gold_path)
        if args.limit:
            lines = lines[: args.limit]
            with open(gold_path, "w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
        if args.cue_stats:
            cue_stats(lines, nlp)
            return 0
        out = args.out or tmp_dir / f"pred_{args.split}.jsonl"
        started = time.perf_counter()
        n_att = 0
        if args.no_cache:
            rows = predict_attributions(lines, nlp, headlines=args.headlines)
        else:
            rows = ({"doc": line["doc"],
                     "attributions": attributions_json(doc, headlines=args.headlines)}
                    for line, doc in zip(lines, cached_docs(lines, nlp), strict=True))
        with open(out, "w", encoding="utf-8") as handle:
            for row in rows:
                n_att += len(row["attributions"])
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        elapsed = time.perf_counter() - started
        print(f"{len(lines)} articles, {n_att} attributions predicted in {elapsed:.1f} s "
              f"(parse{' (cached)' if not args.no_cache else ''} + extraction) -> {out}")
        scores = tmp_dir / "scores.json"
        subprocess.run([sys.executable, str(args.tools / "score_attrib.py"), str(gold_path),
                        str(out), "--name", f"analystkit attribution ({args.split})",
                        "--json", str(scores)], check=True)
        if args.record:
            if args.split != "dev" or args.limit or args.headlines:
                print("--record takes the whole dev split with default options",
                      file=sys.stderr)
                return 2
            res = json.loads(scores.read_text(encoding="utf-8"))
            sys.path.insert(0, str(REPO / "bench"))
            from evaluation import record

            record("attribution", command="bench/attrib_eval.py --split dev --record",
                   data=f"PolNeAR dev ({len(lines)} articles of 2016 US election news, "
                        f"{res['whole/overlap']['gold']:,} attributions)",
                   figures={"whole precision": res["whole/overlap"]["P"],
                            "whole recall": res["whole/overlap"]["R"],
                            "whole F1": res["whole/overlap"]["F1"],
                            "source F1": res["source/overlap"]["F1"],
                            "cue F1": res["cue/overlap"]["F1"],
                            "content F1": res["content/overlap"]["F1"],
                            "content exact F1": res["content/exact"]["F1"]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
