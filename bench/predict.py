"""Run analystkit's analytics on benchmark documents and write predictions as JSONL.

One subcommand per task, so each benchmark has one entry point:

* ``timex``: temporal expressions. Reads ``{"doc", "dct", "text"}`` lines (as written by
  ``../shared/tools/extract_text.py``) and writes one line per expression:
  ``{"doc", "start", "end", "type", "value"}`` (offsets into ``text``), the format of
  ``../shared/tools/score_timex.py``.

Usage:
    python bench/predict.py timex --docs docs.jsonl --out pred.jsonl [--no-parse]

Further tasks (``attrib``, ``stance``) are added as subcommands: write a ``_run_NAME(args)``
function and register it in :func:`build_parser`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def read_jsonl(path: Path) -> Iterator[dict]:
    """The JSON objects of a JSONL file, one per non-empty line."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def parse_dct(value: str | None) -> datetime.date | None:
    """The date of a DCT string such as ``"1998-02-13"`` or ``"19980213"`` (None if absent)."""
    if not value:
        return None
    digits = value.strip()[:10]
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(digits[: len("2000-01-01") if "-" in fmt else 8],
                                              fmt).date()
        except ValueError:
            continue
    return None


def parse_texts(texts: list[str], *, model: str | None = None, cache: bool = True) -> list:
    """spaCy Docs of ``texts`` from the project's pipeline (``load_model()`` then ``nlp``).

    With ``cache``, Docs go through ``analystkit.annotate`` and its on-disk cache (each text
    annotated as one document without a headline, i.e. exactly ``nlp(text)``), so repeated
    benchmark runs do not parse again.
    """
    import pandas as pd

    import analystkit as ak
    from analystkit.corpus import Corpus, Document

    nlp = ak.load_model(model)
    if not cache:
        return list(nlp.pipe(texts, batch_size=32))
    corpus = Corpus([Document(f"t{i}", text) for i, text in enumerate(texts)], pd.DataFrame())
    return ak.annotate(corpus, nlp=nlp, progress=False).docs


def predict_timex(records: list[dict], *, parse: bool = True, model: str | None = None,
                  cache: bool = True) -> tuple[list[dict], dict[str, float]]:
    """Tag every record's text; return prediction rows and timings (seconds).

    Args:
        records: ``{"doc", "dct", "text"}`` dicts.
        parse: Give the tagger a spaCy ``Doc`` of each text (tense from the parse).
        model: spaCy pipeline name (see ``analystkit.resolve_model``).
        cache: Read and fill analystkit's annotation cache when parsing.

    Returns:
        ``(rows, timings)``: rows ``{"doc", "start", "end", "type", "value", "text"}`` and
        ``{"parse": s, "tag": s}``.
    """
    from analystkit.timex import tag_timexes

    texts = [record["text"] for record in records]
    docs: list = [None] * len(texts)
    parse_seconds = 0.0
    if parse:
        begin = time.perf_counter()
        docs = parse_texts(texts, model=model, cache=cache)
        parse_seconds = time.perf_counter() - begin
    rows = []
    begin = time.perf_counter()
    for record, doc in zip(records, docs, strict=True):
        dct = parse_dct(record.get("dct"))
        for timex in tag_timexes(record["text"], dct, doc=doc):
            rows.append({"doc": record["doc"], "start": timex.start, "end": timex.end,
                         "type": timex.type, "value": timex.value or "", "text": timex.text})
    tag_seconds = time.perf_counter() - begin
    return rows, {"parse": parse_seconds, "tag": tag_seconds}


def _run_timex(args: argparse.Namespace) -> int:
    records = list(read_jsonl(args.docs))
    rows, timings = predict_timex(records, parse=not args.no_parse, model=args.model,
                                  cache=not args.no_cache)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"timex: {len(records)} documents, {len(rows)} expressions -> {args.out} "
          f"(parse {timings['parse']:.1f} s, tagging {timings['tag']:.2f} s)", file=sys.stderr)
    return 0


def _write_jsonl(path: Path, rows) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _run_attrib(args: argparse.Namespace) -> int:
    from attrib_eval import predict_attributions

    import analystkit as ak

    records = list(read_jsonl(args.docs))
    start = time.perf_counter()
    count = _write_jsonl(args.out, predict_attributions(records, ak.load_model(args.model)))
    print(f"attrib: {count} documents -> {args.out} ({time.perf_counter() - start:.1f} s)",
          file=sys.stderr)
    return 0


def _run_stance(args: argparse.Namespace) -> int:
    from analystkit.polarity import load_polarity_model

    records = list(read_jsonl(args.data))
    model = load_polarity_model(args.model_path)
    start = time.perf_counter()
    predictions = model.predict([(r["sentence"], int(r["from"]), int(r["to"]))
                                 for r in records])
    seconds = time.perf_counter() - start
    count = _write_jsonl(args.out, ({"id": r["id"], "label": label}
                                    for r, (label, _) in zip(records, predictions, strict=True)))
    print(f"stance: {count} targets -> {args.out} ({count / seconds:.0f} targets/s)",
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subparser per task."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")

    timex = tasks.add_parser("timex", help="temporal expressions (TIMEX3)")
    timex.add_argument("--docs", required=True, type=Path,
                       help='JSONL of {"doc", "dct", "text"} (extract_text.py output)')
    timex.add_argument("--out", required=True, type=Path, help="predictions JSONL to write")
    timex.add_argument("--no-parse", action="store_true",
                       help="do not parse with spaCy (tense guessed from nearby words)")
    timex.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    timex.add_argument("--no-cache", action="store_true",
                       help="parse afresh instead of using analystkit's annotation cache")
    timex.set_defaults(run=_run_timex)

    attrib = tasks.add_parser("attrib", help="attributions (source, cue, content)")
    attrib.add_argument("--docs", required=True, type=Path, help='JSONL of {"doc", "text"}')
    attrib.add_argument("--out", required=True, type=Path, help="predictions JSONL to write")
    attrib.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    attrib.set_defaults(run=_run_attrib)

    stance = tasks.add_parser("stance", help="target polarity (NewsMTSC lines)")
    stance.add_argument("--data", required=True, type=Path,
                        help="JSONL of {id, sentence, mention, from, to}")
    stance.add_argument("--out", required=True, type=Path, help="predictions JSONL to write")
    stance.add_argument("--model-path", help="exported polarity model folder (default: shipped)")
    stance.set_defaults(run=_run_stance)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
