"""Generality and cost check of the TIMEX3 tagger on a real corpus (not the TimeML gold).

Prints, for the first N documents of a corpus:

* the time to tag them all (``tag_timexes`` without a parse) and, with ``--annotate``, the
  time spaCy annotation takes on the same documents (target: tagging < 5% of annotation);
* the most frequent tagged expressions, so that over-tagging stands out;
* K random documents with their expressions marked inline as
  ``[text|TYPE|value]``, for a human to judge.

Usage:
    python bench/timex_check.py --corpus ../shared/data/reuters21578.jsonl --limit 2000 \\
        --sample 30 [--annotate] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

import analystkit as ak
from analystkit.corpus import Corpus
from analystkit.timex import Timex, tag_timexes


def marked(text: str, timexes: list[Timex]) -> str:
    """``text`` with each expression written as ``[text|TYPE|value]``."""
    parts, position = [], 0
    for timex in timexes:
        parts.append(text[position:timex.start])
        parts.append(f"[{timex.text}|{timex.type}|{timex.value}]")
        position = timex.end
    parts.append(text[position:])
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--limit", type=int, default=2000, help="first N documents")
    parser.add_argument("--sample", type=int, default=30, help="documents to print")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=40, help="most frequent expressions shown")
    parser.add_argument("--annotate", action="store_true",
                        help="also time spaCy annotation (no cache) for the ratio")
    parser.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    args = parser.parse_args(argv)

    full = ak.load_corpus(args.corpus)
    documents = full.documents[: args.limit]
    begin = time.perf_counter()
    tagged = [tag_timexes(document.text, document.date) for document in documents]
    tag_seconds = time.perf_counter() - begin
    words = sum(len(document.text.split()) for document in documents)
    count = sum(len(found) for found in tagged)
    print(f"{len(documents):,} documents, {words:,} words: {count:,} expressions tagged in "
          f"{tag_seconds:.2f} s ({1000 * tag_seconds / max(1, len(documents)):.2f} ms/doc)")
    if args.annotate:
        begin = time.perf_counter()
        ak.annotate(Corpus(documents, full.manifest), model=args.model, cache=False,
                    progress=False)
        spacy_seconds = time.perf_counter() - begin
        print(f"spaCy annotation of the same documents: {spacy_seconds:.1f} s; tagging is "
              f"{100 * tag_seconds / spacy_seconds:.1f}% of it (target < 5%)")

    by_type = collections.Counter(t.type for found in tagged for t in found)
    print("by type: " + ", ".join(f"{k} {v:,}" for k, v in by_type.most_common()))
    unvalued = sum(t.value is None for found in tagged for t in found)
    print(f"without a value: {unvalued:,}")
    frequent = collections.Counter(t.text.lower() for found in tagged for t in found)
    print(f"\nMost frequent expressions (top {args.top}):")
    print("  " + "; ".join(f"{text!r} {n}" for text, n in frequent.most_common(args.top)))

    rng = random.Random(args.seed)
    picks = sorted(rng.sample(range(len(documents)), min(args.sample, len(documents))))
    for index in picks:
        document = documents[index]
        print(f"\n=== {document.doc_id}  DCT {document.date}  ({len(tagged[index])} expressions)")
        print(marked(document.text, tagged[index]).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
