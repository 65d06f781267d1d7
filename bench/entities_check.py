"""Generality check for canonical entities on a real corpus (not the seed).

Prints, for the first N documents:

* how many distinct surface forms were merged into how many entities, and how many entity
  ids carry more than one canonical name or label (must be 0);
* the 30 largest merges (entities with the most surface forms);
* 50 random merges (surface form -> canonical, with context) for a human to judge;
* the cost: entity canonicalisation + co-occurrence time over annotation time, measured in
  one run on the same documents (target <= 0.10).

Usage:
    python bench/entities_check.py --corpus ../shared/data/reuters21578.jsonl --limit 2000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import analystkit as ak
from analystkit import entities
from analystkit.corpus import Corpus


def _print_merges(corpus, mentions, frequency, *, sample_size: int, seed: int) -> None:
    """Totals, the largest merges and a random sample of merges with their context."""
    forms = mentions.groupby("entity_id")["text"].nunique()
    merged = forms[forms > 1]
    print(f"{len(corpus):,} documents, {len(mentions):,} name mentions, "
          f"{mentions['text'].nunique():,} distinct surface forms, {len(frequency):,} entities")
    print(f"merged: {int(merged.sum()):,} surface forms into {len(merged):,} entities "
          f"({len(mentions[mentions.entity_id.isin(merged.index)]):,} mentions)")
    named = mentions.dropna(subset=["entity_id"])
    split = [column for column in ("canonical", "label")
             if (named.groupby("entity_id")[column].nunique() > 1).any()]
    print(f"entity ids with more than one canonical name or label: "
          f"{sum(int((named.groupby('entity_id')[c].nunique() > 1).sum()) for c in split)}")
    print("\nroles:", {str(k): int(v) for k, v in mentions["role"].value_counts().items()})

    print("\n30 largest merges (entity: mentions, surface forms)")
    largest = frequency[frequency.entity_id.isin(merged.index)].copy()
    largest["n_forms"] = largest["surface_forms"].str.count(r"\|") + 1
    for row in largest.sort_values(["n_forms", "mentions"], ascending=False).head(30).itertuples():
        print(f"  {row.canonical} [{row.label}]: {row.mentions} | {row.surface_forms}")

    texts = {d.doc_id: d.text for d in corpus}
    pairs = mentions[(mentions.text != mentions.canonical) & mentions.entity_id.isin(merged.index)]
    pairs = pairs.drop_duplicates(["text", "entity_id"])
    sample = pairs.sample(min(sample_size, len(pairs)), random_state=seed) \
        if len(pairs) else pairs
    print(f"\n{len(sample)} random merges of {len(pairs):,} distinct (form -> entity) merges")
    for row in sample.sort_values("canonical").itertuples():
        text = texts[row.doc_id]
        context = " ".join(text[max(0, row.start_char - 50):row.end_char + 50].split())
        print(f"  {row.text!r} -> {row.canonical} [{row.label}, {row.role}]  … {context} …")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--model")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    full = ak.load_corpus(args.corpus)
    corpus = Corpus(full.documents[: args.limit], full.manifest)
    nlp = ak.load_model(args.model)
    list(nlp.pipe([d.text for d in corpus.documents[:20]]))  # warm-up
    with tempfile.TemporaryDirectory() as cache_dir:
        start = time.perf_counter()
        annotated = ak.annotate(corpus, nlp=nlp, cache_dir=cache_dir, progress=False)
        annotation = time.perf_counter() - start
    steps = {}
    start = time.perf_counter()
    mentions = entities.entity_mentions(annotated)
    steps["entity_mentions"] = time.perf_counter() - start
    frequency = entities.entity_frequency(mentions)
    steps["entity_frequency"] = time.perf_counter() - start - sum(steps.values())
    entities.cooccurrence(mentions)
    steps["cooccurrence"] = time.perf_counter() - start - sum(steps.values())
    entity_steps = time.perf_counter() - start

    _print_merges(corpus, mentions, frequency, sample_size=args.sample, seed=args.seed)

    random.seed(args.seed)
    print(f"\nannotation {annotation:.1f} s; canonicalisation + co-occurrence "
          f"{entity_steps:.2f} s ("
          + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items()) + ")")
    print(f"entity overhead ratio: {entity_steps / annotation:.3f}  (target <= 0.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
