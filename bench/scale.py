"""Scale of ``analystkit annotate``: speed-up with workers, and peak memory as corpora grow.

Measured in one run (the machine is shared and noisy, so only ratios taken side by side mean
anything); every run below is a fresh child process, so each peak memory is its own:

1. **Speed** on the first ``--speed-docs`` stories (default 2,000): raw spaCy ``nlp.pipe``
   (the plain pipeline, Docs thrown away) with ``n_process=1`` and ``2``; then the full
   stack, ``annotate`` (NER fixes, every table, polarity of every mention and statement
   target, Parquet files) with 1 worker and with 2. Target: 2 workers >= 1.8x the
   throughput of 1 worker. Also printed: raw spaCy's own 2-process speed-up, and the full
   stack's time over raw spaCy's (1 process each).
2. **Memory**: ``annotate`` with 2 workers on the first 2,000, 10,000 and all stories: peak
   resident memory of the parent and of each worker (each worker reports its own peak in
   its partitions' done markers). Targets: every process under 1.5 GB, and the largest
   process at most 1.2x from 2,000 stories to all of them.
3. **Notebooks on the dataset** of all stories (``--keep DIR``, or ``--report-on DIR`` for a
   dataset made before): ``analystkit report`` of every notebook on it, wall time; target
   under 3 minutes.

Usage:
    python bench/scale.py --corpus ../shared/data/reuters21578.jsonl
    python bench/scale.py --memory-docs 2000,10000,all --keep /tmp/reuters-dataset
    python bench/scale.py --no-speed --memory-docs '' --report-on /tmp/reuters-dataset
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "reuters21578.jsonl"
SPEED_TARGET = 1.8
MEMORY_LIMIT_MB = 1536
GROWTH_LIMIT = 1.2
REPORT_LIMIT_S = 180


def _first_lines(corpus: Path, n: int | None, folder: Path) -> Path:
    """The first ``n`` lines (all: None) of a JSONL corpus, as a file of its own."""
    out = folder / f"first-{n or 'all'}.jsonl"
    with corpus.open("rb") as source, out.open("wb") as target:
        for i, line in enumerate(source):
            if n is not None and i >= n:
                break
            target.write(line)
    return out


def _child(args: list[str]) -> dict:
    """Run this script's --child mode in a fresh process; return its JSON line."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_raw(corpus: str, n_process: int) -> dict:
    import spacy

    from analystkit.corpus import load_corpus
    from analystkit.dataset import peak_rss_mb
    from analystkit.pipeline import resolve_model

    texts = [d.text for d in load_corpus(corpus)]
    nlp = spacy.load(resolve_model())
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=64):
        pass
    seconds = time.perf_counter() - start
    return {"documents": len(texts), "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def child_annotate(corpus: str, out: str, workers: int) -> dict:
    from analystkit.dataset import annotate_dataset

    start = time.perf_counter()
    result = annotate_dataset(corpus, out, workers=workers, progress=False)
    return {"documents": result.documents, "seconds": time.perf_counter() - start,
            "peak_rss_mb": result.peak_rss_mb,
            "workers": sorted(result.worker_peak_rss_mb.values(), reverse=True),
            "rows": result.rows}


def _speed(corpus: Path, folder: Path) -> None:
    print(f"1. speed on {corpus.name}")
    raw = {k: _child(["--child", "raw", str(corpus), str(k)]) for k in (1, 2)}
    full = {}
    for workers in (1, 2):
        out = folder / f"speed-{workers}"
        full[workers] = _child(["--child", "annotate", str(corpus), str(out), str(workers)])
        shutil.rmtree(out)
    n = raw[1]["documents"]
    print(f"   {'run':<40} {'docs':>6} {'wall s':>8} {'docs/s':>8}")
    for label, run in (("raw spaCy nlp.pipe, n_process=1", raw[1]),
                       ("raw spaCy nlp.pipe, n_process=2", raw[2]),
                       ("analystkit annotate, 1 worker", full[1]),
                       ("analystkit annotate, 2 workers", full[2])):
        print(f"   {label:<40} {run['documents']:>6} {run['seconds']:>8.1f} "
              f"{run['documents'] / run['seconds']:>8.1f}")
    speedup = full[1]["seconds"] / full[2]["seconds"]
    verdict = "ok" if speedup >= SPEED_TARGET else "BELOW TARGET"
    print(f"   annotate speed-up, 2 workers over 1: {speedup:.2f}x "
          f"(target >= {SPEED_TARGET}x: {verdict})")
    raw_speedup = raw[1]["seconds"] / raw[2]["seconds"]
    print(f"   raw spaCy speed-up, n_process 2 over 1: {raw_speedup:.2f}x")
    print(f"   full stack over raw spaCy (1 process each): "
          f"{full[1]['seconds'] / raw[1]['seconds']:.2f}x  ({n:,} documents)")


def _memory(corpus: Path, sizes: list[int | None], folder: Path, keep: Path | None) -> None:
    print("2. peak resident memory, annotate with 2 workers")
    print(f"   {'stories':>8} {'docs':>7} {'wall s':>8} {'docs/s':>7} {'parent MB':>10} "
          f"{'workers MB':>16} {'largest MB':>11}")
    largest = {}
    for size in sizes:
        part = _first_lines(corpus, size, folder)
        out = keep if (keep and size is None) else folder / f"memory-{size or 'all'}"
        if out.exists() and out == keep:
            shutil.rmtree(out)
        run = _child(["--child", "annotate", str(part), str(out), "2"])
        if out != keep:
            shutil.rmtree(out)
        part.unlink()
        peak = max([run["peak_rss_mb"], *run["workers"]])
        largest[size] = peak
        workers = " / ".join(f"{w:,.0f}" for w in run["workers"])
        print(f"   {size or 'all':>8} {run['documents']:>7,} {run['seconds']:>8.1f} "
              f"{run['documents'] / run['seconds']:>7.1f} {run['peak_rss_mb']:>10,.0f} "
              f"{workers:>16} {peak:>11,.0f}")
    top = max(largest.values())
    print(f"   every process under {MEMORY_LIMIT_MB:,} MB: "
          f"{'ok' if top < MEMORY_LIMIT_MB else 'NO'} (largest {top:,.0f} MB)")
    first, last = largest[sizes[0]], largest[sizes[-1]]
    growth = last / first
    print(f"   growth of the largest process, {sizes[0] or 'all'} -> {sizes[-1] or 'all'} "
          f"stories: {growth:.2f}x (target <= {GROWTH_LIMIT}x: "
          f"{'ok' if growth <= GROWTH_LIMIT else 'ABOVE TARGET'})")


def _report(dataset: Path, folder: Path) -> None:
    print(f"3. every notebook on the dataset {dataset}")
    out = folder / "report"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analystkit", "report", "--seeds", str(dataset),
                           "--out", str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    print("   " + (done.stdout.strip().splitlines() or ["(no output)"])[-1][:300])
    if done.returncode:
        print("   FAILED:\n" + done.stderr[-2000:])
    print(f"   analystkit report: {seconds:.1f} s (target < {REPORT_LIMIT_S} s: "
          f"{'ok' if seconds < REPORT_LIMIT_S and not done.returncode else 'NO'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--speed-docs", type=int, default=2000)
    parser.add_argument("--memory-docs", default="2000,10000,all",
                        help="comma-separated story counts ('all': the whole file); '' skips")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the dataset of all stories here, and "
                                                   "run every notebook on it")
    parser.add_argument("--report-on", type=Path, metavar="DATASET",
                        help="run every notebook on this dataset")
    args = parser.parse_args()
    if not args.corpus.is_file():
        raise SystemExit(f"{args.corpus}: no such corpus (see ../shared/data/README.md)")
    print(f"bench/scale.py: {args.corpus}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="ak-scale-") as tmp:
        folder = Path(tmp)
        if not args.no_speed:
            _speed(_first_lines(args.corpus, args.speed_docs, folder), folder)
        sizes = [None if s.strip() == "all" else int(s)
                 for s in args.memory_docs.split(",") if s.strip()]
        if sizes:
            _memory(args.corpus, sizes, folder, args.keep)
        dataset = args.report_on or (args.keep if sizes and sizes[-1] is None else None)
        if dataset:
            _report(dataset, folder)
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "raw":
            print(json.dumps(child_raw(rest[0], int(rest[1]))))
        else:
            print(json.dumps(child_annotate(rest[0], rest[1], int(rest[2]))))
    else:
        main()
