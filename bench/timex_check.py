"""Generality and cost check of the TIMEX3 tagger on a real corpus (not the TimeML gold).

Prints, for the first N documents of a corpus:

* the time to tag them all (``tag_timexes`` without a parse) and, with ``--annotate``, the
  time spaCy annotation takes on the same documents (target: tagging < 5% of annotation);
* the most frequent tagged expressions, so that over-tagging stands out;
* K random documents with their expressions marked inline as
  ``[text|TYPE|value]``, for a human to judge.

With ``--dates``, it checks instead the date properties of the timeline on the corpus, with
each document's reference date chosen as the timeline chooses it: how reference dates were
chosen; every bare year and every date before 1900 with its context (to judge by hand); and
counts that must be zero: days equal to the old placeholder 2000-01-01 that the text does
not write, calendar dates computed from an unknown DCT; and, in documents without a
reference date, every expression whose value was anchored on an earlier date of the text
("the next day" after "March 3, 2004"), to judge by hand; and the anaphora left
unresolved (no date close enough before them). ``--undated`` ignores every reference date
(all timelines relative), as the multi-document tests do for their copies without dates.

Usage:
    python bench/timex_check.py --corpus ../shared/data/reuters21578.jsonl --limit 2000 \\
        --sample 30 [--annotate] [--seed 7]
    python bench/timex_check.py --corpus ../shared/data/field/wikinews-sources.jsonl --dates \\
        [--undated]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

import analystkit as ak
from analystkit import timeline
from analystkit.corpus import Corpus, Document
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


def _context(text: str, timex: Timex, width: int = 30) -> str:
    left = " ".join(text[max(0, timex.start - width):timex.start].split())
    right = " ".join(text[timex.end:timex.end + min(width, 40)].split())
    return f"...{left} [{timex.text}] {right}..."


def date_properties(documents: list[Document], *, show: int = 60, undated: bool = False) -> int:
    """Print the date checks described in the module docstring; return the violations."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dcts = timeline.reference_dates(documents)
    if undated:
        dcts = {doc_id: timeline.ReferenceDate(None, "none") for doc_id in dcts}
    sources = collections.Counter(ref.source for ref in dcts.values())
    print("reference dates: " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    years, old, placeholder, from_unknown, on_text, unresolved = [], [], [], [], [], []
    values = collections.Counter()
    for document in documents:
        reference = dcts[document.doc_id]
        order = timeline.document_date_order(document, reference.date)
        for timex in tag_timexes(document.text, reference.date, date_order=order):
            if timex.type not in ("DATE", "TIME") or not timex.value:
                continue
            if (timex.relative or "").endswith("not resolved"):
                unresolved.append((document.doc_id, timex))  # anaphora with no close anchor
            first, _, precision, _ = timeline._resolve(timex, reference)
            if first is None:
                continue
            if reference.date is None and timex.anchored and timex.relative:
                from_unknown.append((document.doc_id, timex))  # must never happen
            if reference.date is None and timex.anchored and not timex.relative:
                on_text.append((document.doc_id, timex))  # anchored on the text's dates
            if first.year < 1900:
                old.append((document.doc_id, timex))
            if first == timeline.dt.date(2000, 1, 1) and precision in ("day", "time") \
                    and "2000" not in timex.text:
                placeholder.append((document.doc_id, timex))
            if precision == "year" and timex.value.isdigit():
                years.append((document.doc_id, timex))
                values[timex.value] += 1
    print(f"bare years: {len(years)} ({len(values)} distinct); most frequent: "
          + ", ".join(f"{v} {n}" for v, n in values.most_common(15)))
    for label, found in (("dates before 1900", old), ("2000-01-01 not in the text", placeholder),
                         ("calendar dates from an unknown DCT", from_unknown),
                         ("without a DCT, anchored on an earlier date of the text (judge)",
                          on_text),
                         ("anaphora left unresolved (no date close before them)",
                          unresolved)):
        print(f"\n{label}: {len(found)}")
        for doc_id, timex in found[:show]:
            text = next(d.text for d in documents if d.doc_id == doc_id)
            # anaphora: enough text before to see what they were anchored on
            width = 160 if label.startswith(("without", "anaphora")) else 30
            print(f"  {doc_id} {timex.value:<10} {_context(text, timex, width)}")
    print(f"\nbare years in context (first {show}, to judge by hand):")
    for doc_id, timex in years[:show]:
        text = next(d.text for d in documents if d.doc_id == doc_id)
        print(f"  {doc_id} {timex.value} {_context(text, timex, 24)}")
    return len(placeholder) + len(from_unknown)


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
    parser.add_argument("--dates", action="store_true",
                        help="check the timeline's date properties instead (see above)")
    parser.add_argument("--show", type=int, default=60, help="examples per date check")
    parser.add_argument("--undated", action="store_true",
                        help="with --dates: ignore every reference date (relative timelines)")
    args = parser.parse_args(argv)

    full = ak.load_corpus(args.corpus)
    documents = full.documents[: args.limit]
    if args.dates:
        return 1 if date_properties(documents, show=args.show, undated=args.undated) else 0
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
