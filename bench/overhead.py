"""Overhead of analystkit over raw spaCy, and the annotation cache's speed-up.

Measured in one run on the same texts (the machine is shared and noisy, so only ratios taken
side by side mean anything):

1. raw ``nlp.pipe`` of the plain spaCy pipeline (``spacy.load``, no analystkit fixes);
2. ``analystkit.annotate`` with an empty cache (annotation with the NER fixes + cache
   writes) plus the tidy tables (documents, sentences, tokens, mentions); target ratio to
   1. <= 1.10;
3. ``analystkit.annotate`` again with the cache now warm; target: >= 20x faster than 2;
4. the timeline step (temporal expressions + events) over annotation time; target <= 0.10;
5. the stance steps: statements + coding (attribution, source entities, targets, quad
   classes, polarity of the statements' targets) over annotation time, target <= 0.15; and
   polarity of every entity mention, target <= 1.00, with targets/s;
6. the full stack (annotation with the NER fixes + tables + timeline + statements + polarity
   of every mention, each timed above) over raw ``nlp.pipe``: target <= 1.50.

Usage:
    python bench/overhead.py --corpus ../shared/data/reuters21578.jsonl --limit 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import analystkit as ak
from analystkit.corpus import Corpus


def _timed(label: str, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"  {label:<38} {seconds:8.2f} s")
    return result, seconds


def _downstream(annotated) -> tuple[float, float, float, int, int]:
    """Seconds of the timeline, mention polarity and statements steps, and row counts."""
    from analystkit import entities, stance, timeline

    mentions = entities.entity_mentions(annotated)  # shared input, timed in entities_check

    # The statements are a shared input too (one analysis computes them once for the stance
    # tables and the events' sources); their cost is the statements step below.
    attributed = stance.statements_table(annotated, mentions=mentions, polarity=None)

    def timeline_step():  # as ak.Analysis runs it: the reference dates chosen once
        dcts = timeline.reference_dates(annotated.corpus.documents, warn=False)
        timexes = timeline.timexes_table(annotated, dcts=dcts)
        return timeline.events_table(annotated, mentions=mentions, timexes=timexes,
                                     statements=attributed, dcts=dcts)

    _, timeline_time = _timed("timeline (timexes + events)", timeline_step)

    scored, polarity_time = _timed("stance: polarity of every mention",
                                   lambda: stance.mention_polarity(annotated, mentions))
    statements, statements_time = _timed(
        "stance: statements + coding", lambda: stance.statements_table(
            annotated, mentions=mentions, scored_mentions=scored))

    return timeline_time, polarity_time, statements_time, len(scored), len(statements)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, type=Path, help="file or folder of articles")
    parser.add_argument("--limit", type=int, default=2000, help="first N documents")
    parser.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)

    full = ak.load_corpus(args.corpus)
    corpus = Corpus(full.documents[: args.limit], full.manifest)
    texts = [document.text for document in corpus]
    import spacy

    from analystkit.pipeline import resolve_model

    raw_nlp = spacy.load(resolve_model(args.model))
    nlp = ak.load_model(args.model)
    for pipeline in (raw_nlp, nlp):  # warm-up: lazy initialisation is not what is measured
        list(pipeline.pipe(texts[:20]))
    print(f"{len(corpus):,} documents, {corpus.n_words:,} words, model {args.model or 'default'}")

    _, raw = _timed("raw nlp.pipe (plain spaCy)",
                    lambda: list(raw_nlp.pipe(texts, batch_size=args.batch_size)))
    with tempfile.TemporaryDirectory() as cache_dir:
        def annotate_and_tables():
            annotated = ak.annotate(corpus, nlp=nlp, cache_dir=cache_dir,
                                    batch_size=args.batch_size, progress=False)
            for table in (ak.documents_table, ak.sentences_table, ak.tokens_table,
                          ak.mentions_table):
                table(annotated)
            return annotated

        annotated, cold = _timed("analystkit annotate+tables (cold cache)",
                                 annotate_and_tables)
        warm_run, warm = _timed("analystkit annotate (warm cache)", lambda: ak.annotate(
            corpus, nlp=nlp, cache_dir=cache_dir, progress=False))
        assert warm_run.cache_hits == len(corpus), "warm run missed the cache"
        _, cold_annotate = _timed("analystkit annotate (cold, again)", lambda: ak.annotate(
            corpus, nlp=nlp, cache=False, progress=False))

    timeline_time, polarity_time, statements_time, n_scored, n_statements = \
        _downstream(annotated)

    print(f"raw spaCy throughput: {corpus.n_words / raw:,.0f} words/s")
    print(f"overhead ratio (annotate+tables / raw nlp.pipe): {cold / raw:.3f}  (target <= 1.10)")
    print(f"cache speed-up (cold annotate / warm annotate): {cold_annotate / warm:.1f}x  "
          "(target >= 20x)")
    print(f"timeline ratio (timexes+events / annotate): {timeline_time / cold_annotate:.3f}  "
          "(target <= 0.10)")
    print(f"statements ratio (statements+coding / annotate): "
          f"{statements_time / cold_annotate:.3f}  (target <= 0.15; {n_statements:,} "
          "statements)")
    print(f"mention polarity ratio (every mention / annotate): "
          f"{polarity_time / cold_annotate:.3f}  (target <= 1.00; {n_scored:,} targets, "
          f"{n_scored / polarity_time:,.0f} targets/s)")
    full = cold + timeline_time + polarity_time + statements_time
    print(f"full stack ratio (annotate+tables+timeline+statements+polarity / raw nlp.pipe): "
          f"{full / raw:.3f}  (target <= 1.50; {full:.1f} s against {raw:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
