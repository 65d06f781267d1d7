"""Every temporal expression the tagger finds in a corpus, as a TSV (to diff two versions).

One row per expression: document id, mode, start, end, text, type, value, anchored and the
``relative`` words. Each document is tagged in three modes: with its date as the DCT
(``dct``), without a DCT (``nodct``, the underspecified values and their words) and, with
``--parse``, with its date and a spaCy parse (``parse``, the tense read from the parse).
The output holds corpus text: write it outside the repository (e.g. under /tmp).

Usage:
    python bench/timex_snapshot.py --corpus ../shared/data/field/wikinews-sources.jsonl \\
        --out /tmp/timex_field.tsv --parse
    python bench/timex_snapshot.py --corpus ../shared/data/reuters21578.jsonl --limit 300 \\
        --out /tmp/timex_reuters.tsv --parse
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from analystkit.timex import Timex, tag_timexes


def _records(corpus: Path, limit: int | None) -> Iterator[dict]:
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def _date(record: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(record.get("date"))[:10])
    except ValueError:
        return None


def _row(doc_id: str, mode: str, timex: Timex) -> str:
    fields = [doc_id, mode, str(timex.start), str(timex.end), timex.text, timex.type,
              timex.value or "", str(timex.anchored), timex.relative or ""]
    return "\t".join(" ".join(f.split()) for f in fields)


def snapshot(corpus: Path, *, limit: int | None = None, parse: bool = False) -> list[str]:
    """The TSV rows for the first ``limit`` documents of a JSONL ``corpus``.

    Args:
        corpus: JSONL file with ``id``, ``date`` and ``text`` fields.
        limit: How many documents (None: all).
        parse: Also tag with a spaCy parse of each text (mode ``parse``).

    Returns:
        The rows, in document then text order.
    """
    nlp = None
    if parse:
        import analystkit

        nlp = analystkit.load_model()
    rows = []
    for record in _records(corpus, limit):
        text, dct, doc_id = record.get("text") or "", _date(record), str(record.get("id"))
        rows += [_row(doc_id, "dct", t) for t in tag_timexes(text, dct)]
        rows += [_row(doc_id, "nodct", t) for t in tag_timexes(text, None)]
        if nlp is not None and text:
            rows += [_row(doc_id, "parse", t) for t in tag_timexes(text, dct, doc=nlp(text))]
    return rows


def main() -> None:
    """Write the snapshot TSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path, help="JSONL corpus")
    parser.add_argument("--out", required=True, type=Path, help="TSV to write")
    parser.add_argument("--limit", type=int, help="first N documents only")
    parser.add_argument("--parse", action="store_true", help="also tag with a spaCy parse")
    args = parser.parse_args()
    rows = snapshot(args.corpus, limit=args.limit, parse=args.parse)
    args.out.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} rows -> {args.out}")


if __name__ == "__main__":
    main()
