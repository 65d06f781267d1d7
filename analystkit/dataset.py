"""Annotate a corpus once, in parallel, into a Parquet dataset, and read its tables back.

:func:`annotate_dataset` reads the corpus as a stream and cuts it into partitions of
``partition_size`` documents in document order. Each partition is annotated by a worker
process with the same code the in-memory :class:`~analystkit.analysis.Analysis` uses (an
``Analysis`` over the partition's documents), and the worker writes its own Parquet files,
one per table, then a done marker. Only row counts travel back to the parent. A re-run skips
every partition whose marker names the same documents. Workers are spawned processes
(``engine="local"``) or ``dask.distributed`` workers (``engine="dask"``: a LocalCluster, or
the cluster at ``scheduler``); both run the same partition function and give the same files.

Layout of a dataset folder::

    dataset.json                 schema version, analystkit version, model, options, partitions
    manifest.parquet             every input of the corpus: its status and reason (from the
                                 corpus manifest), its partition and dataset_status
    TABLE/part-00000.parquet     one file per table per partition (tables: TABLE_NAMES)
    _done/part-00000.json        the partition's done marker: its doc_ids, row counts, and the
                                 worker's pid and peak memory

Every file is written to a temporary name and renamed, so a killed run leaves no half file
under a real name; a partition without its marker is annotated again on the next run.

``ak.Analysis(DATASET_DIR)`` (:class:`~analystkit.analysis.DatasetAnalysis`) reads the tables
as an in-memory analysis has them; :func:`read_table` and :func:`arrow_dataset` read one.

What differs from an in-memory analysis of the whole corpus:

* **Entity linking is per partition.** Canonical entities link short forms ("Reid",
  "ANC") to full names across the documents of one partition, not across the corpus. With a
  single partition (``partition_size`` at least the corpus size) the tables equal the
  in-memory ones; with several, the positions and labels of mentions are the same but a
  short form whose full name is only in another partition keeps its own ``entity_id`` and
  ``canonical`` (and so may statement sources, targets and event actors).
* ``statement_id`` is numbered per partition in the files; :func:`read_table` adds the
  statements of the earlier partitions, so ids read back run over the corpus as in memory.

Workers are started with the ``spawn`` method, which imports the caller's main module: with
``workers > 1`` call :func:`annotate_dataset` from the CLI, a notebook or a script file
(under ``if __name__ == "__main__":``), not from ``python -`` reading stdin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import AnalystkitError, InputError, plural
from .schema import TEXT_DTYPE

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "SCHEMA_VERSION",
    "TABLE_NAMES",
    "Dataset",
    "DatasetResult",
    "annotate_dataset",
    "arrow_dataset",
    "open_dataset",
    "partition_bounds",
    "corpus_records",
    "is_dataset",
    "partition_name",
    "peak_rss_mb",
    "read_partitions",
    "read_table",
]

SCHEMA_VERSION = 2
"""Version of the dataset layout and table columns; a dataset of another version is refused."""

TABLE_NAMES = ("corpus", "documents", "sentences", "tokens", "ner", "scored_mentions",
               "timexes", "events", "statements", "statement_targets")
"""The tables written per partition (see :mod:`analystkit.schema` for their columns;
``corpus`` holds every field of each :class:`~analystkit.corpus.Document`, text included,
so a dataset is read without its input files)."""

DEFAULT_PARTITION_SIZE = 200
DATASET_FILE = "dataset.json"
MANIFEST_FILE = "manifest.parquet"
DONE_DIR = "_done"
_META_TABLE = b"analystkit.table"
_META_SCHEMA = b"analystkit.schema_version"
# Tables whose statement_id is numbered per partition in the files.
_STATEMENT_ID_TABLES = ("events", "statements", "statement_targets")


@dataclass
class DatasetResult:
    """What :func:`annotate_dataset` did.

    Attributes:
        path: The dataset folder.
        partitions: Partitions in the dataset.
        computed: Partitions annotated by this run.
        skipped: Partitions already done (left as they were).
        documents: Documents in the dataset.
        rows: Rows per table over the whole dataset.
        seconds: Wall time of the run.
        engine: ``local`` or ``dask``.
        peak_rss_mb: Peak resident memory of this (the parent) process, MB.
        worker_peak_rss_mb: Peak resident memory of each worker process (by pid) that
            annotated a partition in this run, MB (the parent's own pid with one local
            worker).
    """

    path: Path
    partitions: int
    computed: int
    skipped: int
    documents: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    engine: str = "local"
    peak_rss_mb: float = 0.0
    worker_peak_rss_mb: dict[int, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a reader: partitions computed and skipped, documents, rows."""
        counts = ", ".join(f"{n:,} {name}" for name, n in self.rows.items())
        return (f"{plural(self.documents, 'document')} in {plural(self.partitions, 'partition')}"
                f" ({self.computed:,} annotated now, {self.skipped:,} already done) in "
                f"{self.seconds:.1f} s; rows: {counts}")


def partition_name(index: int) -> str:
    """The name of partition ``index`` in file names.

    Example:
        >>> partition_name(3)
        'part-00003'
    """
    return f"part-{index:05d}"


def partition_bounds(n_documents: int, *, partition_size: int) -> list[tuple[int, int]]:
    """Cut ``n_documents`` in document order into partitions of a fixed size.

    Args:
        n_documents: Documents in the corpus.
        partition_size: Documents per partition (the last one may be smaller).

    Returns:
        ``[(start, end), ...]``: half-open document index ranges, in order.

    Raises:
        InputError: If ``partition_size`` is not a positive integer.

    Example:
        >>> partition_bounds(5, partition_size=2)
        [(0, 2), (2, 4), (4, 5)]
    """
    if not isinstance(partition_size, int) or partition_size < 1:
        raise InputError(f"partition_size must be a positive integer, not {partition_size!r}")
    return [(start, min(start + partition_size, n_documents))
            for start in range(0, n_documents, partition_size)]


# ----------------------------------------------------------------------- writing files


def _write_atomic_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_parquet(frame: pd.DataFrame, path: Path, table: str) -> None:
    """Write ``frame`` to ``path`` via a temporary name, tagged as analystkit's ``table``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    metadata = dict(arrow.schema.metadata or {})
    metadata.update({_META_TABLE: table.encode(), _META_SCHEMA: str(SCHEMA_VERSION).encode()})
    arrow = arrow.replace_schema_metadata(metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(arrow, tmp)
    os.replace(tmp, path)


def _table_path(root: Path, table: str, index: int) -> Path:
    return root / table / f"{partition_name(index)}.parquet"


def _marker_path(root: Path, index: int) -> Path:
    return root / DONE_DIR / f"{partition_name(index)}.json"


# ------------------------------------------------------------------------ the workers

_WORKER: dict[str, Any] = {}
_PARTITION_LOCK = threading.Lock()


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux and macOS)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _init_worker(options: dict[str, Any], cache: bool, threads: int | None = None) -> None:
    """Load the pipeline once per worker process (kept by :func:`load_model`'s cache) and,
    with ``threads``, the polarity model with that many onnxruntime threads: by default
    a session takes every core, and workers that each do so only slow each other (a
    worker is one core's work, as a Dask worker with one thread is)."""
    from .pipeline import load_model

    warnings.simplefilter("ignore")  # said once by the parent's corpus manifest
    _WORKER.update(options=options, cache=cache)
    load_model(options["model"], aliases=options["aliases"])
    if threads and options["polarity"] == "model":
        from .polarity import DEFAULT_MODEL_DIR, PolarityModel
        from .resources import cached

        # The entry load_polarity_model reads: the stance tables then use this session.
        folder = DEFAULT_MODEL_DIR.resolve()
        cached("polarity_model", (folder,), lambda: PolarityModel.load(folder, threads=threads))


def _partition_tables(documents: list, manifest: pd.DataFrame, options: dict[str, Any],
                      cache: bool) -> tuple[dict[str, pd.DataFrame], str]:
    """Every table of one partition, computed by an :class:`Analysis` of its documents."""
    from .analysis import Analysis
    from .corpus import Corpus

    analysis = Analysis(Corpus(documents=documents, manifest=manifest), cache=cache,
                        progress=False, **options)
    _WORKER["notes"] = analysis._warnings  # the reader notes raised while computing
    tables = {"corpus": corpus_records(analysis.corpus.documents),
              "documents": analysis.documents, "sentences": analysis.sentences,
              "tokens": analysis.tokens, "ner": analysis.ner,
              "scored_mentions": analysis.scored_mentions, "timexes": analysis.timexes,
              "events": analysis.events, "statements": analysis.statements,
              "statement_targets": analysis.statement_targets}
    return tables, analysis.model_name


def _annotate_partition(root: str, index: int, documents: list,
                        options: dict[str, Any] | None = None, cache: bool = False,
                        threads: int | None = None) -> dict[str, Any]:
    """Annotate one partition and write its files and marker; return only its counts.

    With ``options``, the worker is set up first unless it already is with these (a Dask
    worker gets its partitions this way; a pool's workers by their initializer)."""
    with _PARTITION_LOCK:  # a Dask worker with several threads: one partition at a time
        if options is not None and _WORKER.get("setup") != (options, cache, threads):
            _init_worker(options, cache, threads)
            _WORKER["setup"] = (options, cache, threads)
        return _write_partition(Path(root), index, documents)


def _write_partition(out: Path, index: int, documents: list) -> dict[str, Any]:
    from .corpus import MANIFEST_COLUMNS

    _marker_path(out, index).unlink(missing_ok=True)
    # The manifest's notes are the dataset's (manifest.parquet), not each partition's.
    manifest = pd.DataFrame(columns=MANIFEST_COLUMNS)
    tables, model = _partition_tables(documents, manifest, _WORKER["options"], _WORKER["cache"])
    for name in TABLE_NAMES:
        _write_parquet(tables[name], _table_path(out, name, index), name)
    marker = {"partition": partition_name(index), "model": model,
              "doc_ids": [document.doc_id for document in documents],
              "rows": {name: len(tables[name]) for name in TABLE_NAMES},
              "notes": list(_WORKER.pop("notes", [])),
              # For bench/scale.py: which process did it, and its peak memory so far.
              "worker": {"pid": os.getpid(), "peak_rss_mb": peak_rss_mb()}}
    _write_atomic_bytes(_marker_path(out, index), json.dumps(marker, indent=1).encode())
    return marker


# -------------------------------------------------------------------------- the run

ENGINES = ("local", "dask")
"""``engine`` options of :func:`annotate_dataset`."""

WORKER_THREADS = 1
"""onnxruntime threads of each worker's polarity model: a worker is one core's work (spaCy's
pipeline is single-threaded), so N workers use N cores, and one worker one core."""


def _options(model: str | None, aliases: str | Path | None, merge_demonyms: bool,
             reference_date: str | dt.date | None, polarity: str,
             keep_other_languages: bool) -> dict[str, Any]:
    from .corpus import parse_date

    date = parse_date(reference_date) if reference_date is not None else None
    return {"model": model, "aliases": str(Path(aliases).resolve()) if aliases else None,
            "merge_demonyms": bool(merge_demonyms),
            "reference_date": date.isoformat() if date else None,
            "polarity": polarity, "keep_other_languages": bool(keep_other_languages)}


def _read_marker(root: Path, index: int) -> dict[str, Any] | None:
    path = _marker_path(root, index)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a damaged marker: the partition is annotated again
        return None


def _check_existing(root: Path, options: dict[str, Any], partition_size: int,
                    inputs: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Refuse to add to a dataset of another schema version or made with other options;
    return the partitions its description lists."""
    if not (root / DATASET_FILE).is_file():
        return []
    description = _read_description(root / DATASET_FILE)
    inputs = inputs or {}
    theirs = (description.get("options"), description.get("partition_size"),
              {key: description.get(key) for key in inputs})
    if theirs != (options, partition_size, inputs):
        made = {**(theirs[0] or {}), "partition_size": theirs[1], **theirs[2]}
        wanted = {**options, "partition_size": partition_size, **inputs}
        differ = ", ".join(f"{key}={made.get(key)!r} (now {wanted[key]!r})" for key in wanted
                           if made.get(key) != wanted[key])
        raise InputError(f"{root / DATASET_FILE}: this dataset was made with {differ}; "
                         "annotate into another folder, or delete this one")
    return list(description.get("partitions") or [])


@dataclass
class _Progress:
    """What the run has seen so far: partitions planned, done (markers) and failed, and
    what ``dataset.json`` records (rewritten as partitions are planned and finished, so a
    run killed at any point leaves a description of what is on disk)."""

    root: Path
    options: dict[str, Any]
    partition_size: int
    inputs: dict[str, Any] = field(default_factory=dict)  # pipeline, alias file hash
    previous: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    doc_partition: dict[str, int] = field(default_factory=dict)
    markers: dict[int, dict] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    computed: int = 0

    def save(self, *, complete: bool = False) -> None:
        _write_description(self, complete=complete)


def _plan(root: Path, stream: Any, progress: _Progress, bar: Any
          ) -> Iterator[tuple[int, list]]:
    """The partitions to annotate, as the corpus is read: those without a marker naming
    the same documents. Done ones are recorded (and counted on the bar) and skipped."""
    for index, documents in enumerate(stream):
        ids = [document.doc_id for document in documents]
        progress.sizes.append(len(ids))
        progress.doc_partition.update(dict.fromkeys(ids, index))
        marker = _read_marker(root, index)
        if marker is not None and marker.get("doc_ids") == ids:
            progress.markers[index] = marker
            bar.update(len(ids))
            continue
        progress.save()
        yield index, documents


def _record(progress: _Progress, index: int, get: Any) -> None:
    try:
        progress.markers[index] = get()
        progress.computed += 1
    except Exception as exc:  # a worker's error, or its death: said per partition at the end
        ids = [d for d, i in progress.doc_partition.items() if i == index]
        where = f"documents {ids[0]} .. {ids[-1]}, " if ids else ""
        progress.failed[index] = f"{where}{type(exc).__name__}: {exc}"
    progress.save()


@contextlib.contextmanager
def _in_this_process(options: dict[str, Any], cache: bool) -> Iterator[None]:
    """One worker in the caller's process, leaving it as it was: warnings filtered only
    inside, and the one-thread polarity session dropped afterwards (the caller's next
    analysis loads its own)."""
    from .resources import clear

    before = dict(_WORKER)
    with warnings.catch_warnings():
        clear("polarity_model")
        try:
            _init_worker(options, cache, WORKER_THREADS)
            yield
        finally:
            clear("polarity_model")
            _WORKER.clear()
            _WORKER.update(before)


def _run_local(tasks: Iterator[tuple[int, list]], root: Path, *, workers: int,
               options: dict[str, Any], cache: bool, progress: _Progress, bar: Any) -> None:
    """In this process for one worker, else in a pool of spawned processes; at most two
    partitions per worker are read ahead, so the parent holds a few partitions at a time."""
    if workers == 1:
        with _in_this_process(options, cache):
            for index, documents in tasks:
                _record(progress, index, lambda d=documents, i=index: _annotate_partition(
                    str(root), i, d))
                bar.update(len(documents))
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                             initializer=_init_worker,
                             initargs=(options, cache, WORKER_THREADS)) as pool:
        running: dict[Any, tuple[int, int]] = {}
        for index, documents in tasks:
            running[pool.submit(_annotate_partition, str(root), index, documents)] = (
                index, len(documents))
            while len(running) >= 2 * workers:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                _collect(finished, running, progress, bar)
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            _collect(finished, running, progress, bar)


def _collect(finished: Iterable[Any], running: dict[Any, tuple[int, int]],
             progress: _Progress, bar: Any) -> None:
    for future in finished:
        index, n = running.pop(future)
        _record(progress, index, future.result)
        bar.update(n)


def _run_dask(tasks: Iterator[tuple[int, list]], root: Path, *, workers: int,
              scheduler: str | None, options: dict[str, Any], cache: bool,
              progress: _Progress, bar: Any) -> None:
    """The same partition function on a ``dask.distributed`` cluster: the one at
    ``scheduler``, else a LocalCluster of ``workers`` one-thread processes. Each worker sets
    itself up on its first partition; ``root`` must be a folder every worker can write."""
    import contextlib
    import logging

    try:
        from dask.distributed import Client, LocalCluster, wait
    except ImportError as exc:
        raise AnalystkitError(f"engine 'dask' needs dask.distributed ({exc}); "
                              "pip install 'dask[distributed]' bokeh") from None
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout="20s"))
            except (OSError, TimeoutError) as exc:
                raise InputError(f"no Dask scheduler at {scheduler} ({exc})") from None
            threads = None  # the cluster's own workers: their settings are theirs
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster))
            threads = WORKER_THREADS
        print(f"analystkit: Dask dashboard: {client.dashboard_link}", file=sys.stderr)
        capacity = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        running: dict[Any, tuple[int, int]] = {}
        for index, documents in tasks:
            future = client.submit(_annotate_partition, str(root.resolve()), index, documents,
                                   options, cache, threads, pure=False,
                                   key=f"analystkit-annotate-{partition_name(index)}-"
                                       f"{os.getpid()}-{time.time_ns()}")
            running[future] = (index, len(documents))
            while len(running) >= capacity:
                finished = wait(list(running), return_when="FIRST_COMPLETED").done
                _collect(finished, running, progress, bar)
        while running:
            finished = wait(list(running), return_when="FIRST_COMPLETED").done
            _collect(finished, running, progress, bar)


def annotate_dataset(
    corpus_path: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    model: str | None = None,
    aliases: str | Path | None = None,
    merge_demonyms: bool = False,
    reference_date: str | dt.date | None = None,
    polarity: str = "model",
    keep_other_languages: bool = False,
    cache: bool = False,
    progress: bool | None = None,
) -> DatasetResult:
    """Annotate a corpus into a Parquet dataset, partition by partition, in parallel.

    The corpus is read as a stream: the parent holds a few partitions at a time. Layout,
    and what differs from an in-memory analysis: see the module docstring.

    Args:
        corpus_path: Files or folders, as :func:`~analystkit.corpus.load_corpus` reads them.
        out_dir: The dataset folder (created; a re-run adds the partitions not yet done).
        workers: Worker processes, each loading the pipeline once (local engine: 1 means
            this process; dask: the LocalCluster's size).
        engine: ``"local"`` (spawned processes) or ``"dask"`` (``dask.distributed``).
        scheduler: A running Dask scheduler (``tcp://host:8786``); default a LocalCluster.
        partition_size: Documents per partition, in document order.
        model, aliases, merge_demonyms, reference_date, polarity, keep_other_languages:
            As for :class:`~analystkit.analysis.Analysis`.
        cache: Also use the Doc cache (off: the dataset is the stored result).
        progress: Progress bar with documents/s (default: when stderr is a terminal).

    Returns:
        A :class:`DatasetResult`: counts, peak memory.

    Raises:
        InputError: For a dataset of another schema version or options, or a bad argument.
        AnalystkitError: If a partition failed (the others are written; re-run to retry).

    Example:
        >>> annotate_dataset("seeds/", "dataset/", workers=2).summary()  # doctest: +SKIP
    """
    from .corpus import CorpusStream

    started, root = time.perf_counter(), Path(out_dir)
    options = _options(model, aliases, merge_demonyms, reference_date, polarity,
                       keep_other_languages)
    state = _check_arguments(root, options, engine=engine, scheduler=scheduler,
                             size=partition_size)
    stream = CorpusStream(corpus_path, batch_size=partition_size,
                          keep_other_languages=keep_other_languages)
    _execute(root, stream, state, engine=engine, workers=max(1, int(workers)),
             scheduler=scheduler, options=options, cache=cache, progress=progress)
    _write_manifest(root, stream.manifest, state)
    state.save(complete=not state.failed)
    _raise_failed(root, state.failed)
    return _result(root, state, engine=engine, seconds=time.perf_counter() - started)


def _check_arguments(root: Path, options: dict[str, Any], *, engine: str,
                     scheduler: str | None, size: int) -> _Progress:
    """Check the arguments and the folder; the run's state (saved), with what a dataset
    already there holds."""
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if scheduler and engine != "dask":
        raise InputError("a scheduler address needs engine 'dask'")
    partition_bounds(1, partition_size=size)  # checks partition_size
    import hashlib

    from .pipeline import resolve_model

    aliases = options["aliases"]
    inputs = {"pipeline": resolve_model(options["model"]),  # the default: what is installed
              "aliases_sha256": hashlib.sha256(Path(aliases).read_bytes()).hexdigest()
              if aliases and Path(aliases).is_file() else None}
    previous = _check_existing(root, options, size, inputs)
    state = _Progress(root=root, options=options, partition_size=size, inputs=inputs,
                      previous=previous)
    # The options first, so a run resumed with other options is refused; then the half
    # files a killed run left (a run does not share its folder with another).
    state.save()
    for stale in root.glob("**/.*.tmp-*"):
        stale.unlink(missing_ok=True)
    return state


def _result(root: Path, state: _Progress, *, engine: str, seconds: float) -> DatasetResult:
    rows = {name: sum(m["rows"][name] for m in state.markers.values()) for name in TABLE_NAMES}
    peaks: dict[int, float] = {}
    for marker in state.markers.values():  # the highest each worker process reported
        worker = marker.get("worker") or {}
        if "pid" in worker:
            peaks[worker["pid"]] = max(peaks.get(worker["pid"], 0.0), worker["peak_rss_mb"])
    return DatasetResult(path=root, partitions=len(state.sizes), computed=state.computed,
                         skipped=len(state.sizes) - state.computed, documents=sum(state.sizes),
                         rows=rows, seconds=seconds, engine=engine, peak_rss_mb=peak_rss_mb(),
                         worker_peak_rss_mb=peaks)


def _execute(root: Path, stream: Any, state: _Progress, *, engine: str, workers: int,
             scheduler: str | None, options: dict[str, Any], cache: bool,
             progress: bool | None) -> None:
    """Annotate every partition not yet done, with the engine, under a progress bar."""
    from tqdm.auto import tqdm

    bar = tqdm(unit="doc", desc="annotating", disable={True: False, False: True}.get(progress))
    try:
        tasks = _plan(root, stream, state, bar)
        if engine == "dask":
            _run_dask(tasks, root, workers=workers, scheduler=scheduler, options=options,
                      cache=cache, progress=state, bar=bar)
        else:
            _run_local(tasks, root, workers=workers, options=options, cache=cache,
                       progress=state, bar=bar)
    except BrokenProcessPool as exc:  # a worker killed (out of memory?): the pool is gone
        raise AnalystkitError(f"a worker process of {root} died ({exc}); the finished "
                              "partitions are kept, and a re-run continues") from None
    finally:
        bar.close()
        state.save()  # whatever stopped the run, dataset.json says what is on disk


def _raise_failed(root: Path, failed: dict[int, str]) -> None:
    if failed:
        listed = "; ".join(f"{partition_name(i)}: {why}" for i, why in sorted(failed.items()))
        raise AnalystkitError(f"{plural(len(failed), 'partition')} of {root} failed ({listed}); "
                              "the others are written, and a re-run retries the failed ones")


def _write_manifest(root: Path, manifest: pd.DataFrame, state: _Progress) -> None:
    """Every input with its corpus status and reason, its partition and dataset status."""
    manifest = manifest.copy()
    index = manifest["doc_id"].map(state.doc_partition)
    ok = manifest["status"].eq("ok") & index.notna()
    manifest["partition"] = [partition_name(int(i)) if keep else None
                             for i, keep in zip(index, ok, strict=True)]
    manifest["dataset_status"] = [
        ("annotated" if int(i) in state.markers else "failed") if keep else "skipped"
        for i, keep in zip(index, ok, strict=True)]
    _write_parquet(manifest, root / MANIFEST_FILE, "manifest")


def _write_description(state: _Progress, *, complete: bool) -> None:
    """``dataset.json``: the partitions this run has planned (done: a marker), then those an
    earlier run listed beyond them; ``complete`` once every partition of the corpus is."""
    markers = state.markers
    models = sorted({marker["model"] for marker in markers.values()})
    partitions = [{"name": partition_name(i), "documents": n, "done": i in markers,
                   "rows": markers[i]["rows"] if i in markers else None}
                  for i, n in enumerate(state.sizes)]
    partitions += state.previous[len(partitions):]
    description = {"schema_version": SCHEMA_VERSION, "analystkit_version": __version__,
                   "model": models[0] if len(models) == 1 else models or None,
                   "options": state.options, **state.inputs,
                   "partition_size": state.partition_size,
                   "complete": complete, "tables": list(TABLE_NAMES), "partitions": partitions}
    _write_atomic_bytes(state.root / DATASET_FILE, json.dumps(description, indent=1).encode())


# -------------------------------------------------------------------------- reading

_RECORD_COLUMNS = ("doc_id", "text", "title", "date", "source", "url", "path", "record",
                   "headline_end", "meta", "changes", "language")


def corpus_records(documents: Sequence[Any]) -> pd.DataFrame:
    """The ``corpus`` table: every field of each document, so it can be rebuilt exactly.

    Dates are ISO strings; ``meta`` and ``changes`` are JSON (a date inside ``meta`` is
    written as its ISO string and read back as a date for the keys the corpus parses).

    Args:
        documents: :class:`~analystkit.corpus.Document` objects.

    Returns:
        One row per document, columns ``doc_id, text, title, date, source, url, path,
        record, headline_end, meta, changes, language``.
    """
    rows = [(d.doc_id, d.text, d.title, d.date.isoformat() if d.date else None, d.source,
             d.url, d.path, d.record, d.headline_end,
             json.dumps(d.meta, default=str, sort_keys=True), json.dumps(d.changes),
             d.language) for d in documents]
    frame = pd.DataFrame(rows, columns=list(_RECORD_COLUMNS))
    for column in ("record", "headline_end"):
        frame[column] = frame[column].astype("Int64")
    for column in ("doc_id", "text", "title", "date", "source", "url", "path", "meta",
                   "changes", "language"):
        frame[column] = frame[column].astype(TEXT_DTYPE)
    return frame


def _documents_from_records(records: pd.DataFrame) -> list[Any]:
    from .corpus import EXTRA_DATE_FIELDS, Document, parse_date

    def text(value: Any) -> str | None:
        return None if pd.isna(value) else str(value)

    def number(value: Any) -> int | None:
        return None if pd.isna(value) else int(value)

    documents = []
    for row in records.itertuples(index=False):
        meta = json.loads(row.meta) if text(row.meta) else {}
        for key in EXTRA_DATE_FIELDS:
            if meta.get(key) is not None:
                meta[key] = parse_date(meta[key])
        documents.append(Document(
            doc_id=str(row.doc_id), text=str(row.text), title=text(row.title),
            date=parse_date(row.date) if text(row.date) else None, source=text(row.source),
            url=text(row.url), path=text(row.path) or "", record=number(row.record),
            headline_end=number(row.headline_end), meta=meta,
            changes=json.loads(row.changes) if text(row.changes) else {},
            language=text(row.language)))
    return documents


def is_dataset(path: Any) -> bool:
    """Whether ``path`` (one path; a list is not) is a folder written by
    :func:`annotate_dataset`.

    Example:
        >>> is_dataset("seeds/")  # doctest: +SKIP
        False
    """
    return isinstance(path, (str, os.PathLike)) and (Path(path) / DATASET_FILE).is_file()



@dataclass
class Dataset:
    """An annotated dataset folder, as :func:`open_dataset` finds it.

    Attributes:
        path: The folder.
        description: The content of its ``dataset.json``.
    """

    path: Path
    description: dict[str, Any]

    @property
    def partitions(self) -> list[dict[str, Any]]:
        """The partitions in order, each with ``name``, ``documents``, ``done``, ``rows``."""
        return self.description["partitions"]

    @property
    def manifest(self) -> pd.DataFrame:
        """Every input document with its status (see :func:`annotate_dataset`)."""
        return _read_parquet(self.path / MANIFEST_FILE, "manifest")

    def table(self, name: str, *, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """See :func:`read_table`."""
        return read_table(self.path, name, columns=columns)

    @property
    def complete(self) -> bool:
        """Whether every partition of the corpus is done (``False`` while annotate runs, or
        after it was interrupted: a re-run finishes it)."""
        return bool(self.description.get("complete"))

    @property
    def notes(self) -> list[str]:
        """The reader notes the workers raised while computing the tables, once each."""
        notes: list[str] = []
        for index, partition in enumerate(self.partitions):
            marker = _read_marker(self.path, index) if partition["done"] else None
            for note in (marker or {}).get("notes", []):
                if note not in notes:
                    notes.append(note)
        return notes

    @property
    def model(self) -> str | None:
        """The spaCy pipeline's name and version the partitions were annotated with."""
        model = self.description.get("model")
        return model if isinstance(model, str) or model is None else "; ".join(model)

    @property
    def options(self) -> dict[str, Any]:
        """The analysis options the tables were computed with."""
        return dict(self.description.get("options") or {})

    def corpus(self) -> Any:
        """The annotated documents (rebuilt from the ``corpus`` table, texts included) and
        the manifest: the corpus manifest's columns, a document whose partition failed
        listed as skipped (kind ``not_annotated``), plus ``partition``.

        Returns:
            A :class:`~analystkit.corpus.Corpus` equal to the loaded corpus when every
            partition is done.
        """
        from .corpus import MANIFEST_COLUMNS, Corpus

        documents = _documents_from_records(self.table("corpus"))
        if (self.path / MANIFEST_FILE).is_file():
            manifest = self.manifest
        else:  # annotate was interrupted before the end: the finished documents only
            manifest = pd.DataFrame({
                "path": [d.path for d in documents], "record": [d.record for d in documents],
                "doc_id": [d.doc_id for d in documents], "status": "ok", "kind": "",
                "reason": "", "language": [d.language for d in documents], "encoding": None,
                "partition": [partition_name(i) for i, p in enumerate(self.partitions)
                              if p["done"] for _ in range(p["documents"])],
                "dataset_status": "annotated"}, columns=[*MANIFEST_COLUMNS, "partition",
                                                         "dataset_status"])
            manifest["record"] = manifest["record"].astype("Int64")
        failed = manifest["dataset_status"].eq("failed")
        manifest.loc[failed, "status"] = "skipped"
        manifest.loc[failed, "kind"] = "not_annotated"
        manifest.loc[failed, "reason"] = ("its partition failed in annotate; re-run "
                                          "`analystkit annotate` to retry it")
        manifest = manifest[[*MANIFEST_COLUMNS, "partition"]].reset_index(drop=True)
        return Corpus(documents=documents, manifest=manifest)


def _read_description(path: Path) -> dict[str, Any]:
    try:
        description = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file: {path.parent} is not an analystkit dataset "
                         "(make one with `analystkit annotate CORPUS --out DIR`)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable dataset description ({exc})") from None
    version = description.get("schema_version") if isinstance(description, dict) else None
    if version != SCHEMA_VERSION:
        raise InputError(f"{path}: dataset schema version {version!r}, but this analystkit "
                         f"({__version__}) reads version {SCHEMA_VERSION}; annotate the corpus "
                         "again into a new folder")
    return description


def open_dataset(path: str | Path) -> Dataset:
    """Open a dataset folder written by :func:`annotate_dataset`.

    Args:
        path: The dataset folder.

    Returns:
        A :class:`Dataset`.

    Raises:
        InputError: If the folder has no ``dataset.json`` or one of another schema version
            (the message names the file).

    Example:
        >>> open_dataset("dataset/").partitions[0]["name"]  # doctest: +SKIP
        'part-00000'
    """
    root = Path(path)
    return Dataset(path=root, description=_read_description(root / DATASET_FILE))


def _checked_schema(path: Path, table: str) -> Any:
    """The Arrow schema of one Parquet file of a dataset, checked to be analystkit's
    ``table`` of this schema version; a damaged or foreign file raises, naming the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}); delete the dataset's "
                         "file and its _done marker, then re-run annotate") from None
    metadata = schema.metadata or {}
    if metadata.get(_META_TABLE) != table.encode():
        found = metadata.get(_META_TABLE, b"").decode() or "no analystkit table tag"
        raise InputError(f"{path}: not the {table} table of an analystkit dataset "
                         f"({found}); the file is foreign or misplaced")
    if metadata.get(_META_SCHEMA) != str(SCHEMA_VERSION).encode():
        raise InputError(f"{path}: written with schema version "
                         f"{metadata.get(_META_SCHEMA, b'?').decode()}, this analystkit "
                         f"reads version {SCHEMA_VERSION}")
    return schema


def _read_parquet(path: Path, table: str,
                  columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One Parquet file of a dataset; a damaged or foreign file raises, naming the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _checked_schema(path, table)
    missing = [c for c in columns or () if c not in schema.names]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)} "
                         f"(columns: {', '.join(schema.names)})")
    try:
        arrow = pq.read_table(path, columns=list(columns) if columns else None)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}); delete the dataset's "
                         "file and its _done marker, then re-run annotate") from None
    return _restore_time_units(arrow.to_pandas(), schema.pandas_metadata or {})


def _restore_time_units(frame: pd.DataFrame, pandas_metadata: dict[str, Any]) -> pd.DataFrame:
    """Parquet has no second resolution: ``datetime64[s]`` columns come back in ms; give
    them the unit they were written with, as the in-memory tables have it."""
    for column in pandas_metadata.get("columns", []):
        name, dtype = column.get("name"), str(column.get("numpy_type", ""))
        if name in frame and dtype.startswith("datetime64[") and str(frame[name].dtype) != dtype:
            frame[name] = frame[name].astype(dtype)
    # Text columns come back with pyarrow storage; the tables use Python storage.
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.StringDtype) and frame[name].dtype != TEXT_DTYPE:
            frame[name] = frame[name].astype(TEXT_DTYPE)
    return frame


def read_table(path: str | Path, name: str, *,
               columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One table of a dataset, over every finished partition, in document order.

    Args:
        path: The dataset folder.
        name: A table of :data:`TABLE_NAMES`, or ``mentions`` (``scored_mentions`` with
            the columns of the in-memory ``mentions`` table).
        columns: Only these columns (read from the files; nothing else is loaded).

    Returns:
        The table; ``statement_id`` runs over the whole dataset, as in memory.

    Raises:
        InputError: For an unknown table, a missing column, or a damaged or foreign
            Parquet file (the message names the file).

    Example:
        >>> read_table("dataset/", "statements", columns=["source", "polarity"])  # doctest: +SKIP
    """
    return _concat(read_partitions(path, name, columns=columns))


def read_partitions(path: str | Path, name: str, *,
                    columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """One table of a dataset, one finished partition at a time (as :func:`read_table`).

    Args:
        path: The dataset folder.
        name: As for :func:`read_table`.
        columns: Only these columns.

    Yields:
        Each finished partition's rows, in document order.

    Example:
        >>> sum(len(p) for p in read_partitions("dataset/", "tokens"))  # doctest: +SKIP
    """
    dataset = open_dataset(path)
    if name == "mentions":  # the scored mentions without their polarity columns
        from .schema import TABLES

        name, columns = "scored_mentions", list(columns or TABLES["mentions"].names)
    if name not in TABLE_NAMES:
        raise InputError(f"no table {name!r} in a dataset (tables: {', '.join(TABLE_NAMES)}"
                         ", and mentions)")
    offset = 0
    for index, partition in enumerate(dataset.partitions):
        if not partition["done"]:
            continue
        frame = _read_parquet(_table_path(dataset.path, name, index), name, columns)
        if name in _STATEMENT_ID_TABLES and "statement_id" in frame:
            frame["statement_id"] = frame["statement_id"] + offset
        offset += partition["rows"]["statements"]
        yield frame


def arrow_dataset(path: str | Path, name: str) -> Any:
    """One table over every finished partition as a ``pyarrow.dataset.Dataset``: scanned
    lazily, column by column and with filters pushed down, so aggregations run over more
    rows than pandas could hold (see :func:`analystkit.tables.lemma_frequency`).

    Args:
        path: The dataset folder.
        name: A table of :data:`TABLE_NAMES`.

    Returns:
        The Arrow dataset (its files checked as :func:`read_table` checks them).

    Example:
        >>> arrow_dataset("dataset/", "tokens").count_rows()  # doctest: +SKIP
    """
    import pyarrow.dataset as pads

    dataset = open_dataset(path)
    if name not in TABLE_NAMES:
        raise InputError(f"no table {name!r} in a dataset (tables: {', '.join(TABLE_NAMES)})")
    files = [_table_path(dataset.path, name, index)
             for index, partition in enumerate(dataset.partitions) if partition["done"]]
    for file in files:  # a damaged or foreign file is named here, not deep in a scan
        _checked_schema(file, name)
    # One schema for all files: a category's dictionary differs per file, its values not.
    return pads.dataset([str(f) for f in files], format="parquet") if files else None


def _concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate partition frames; categoricals keep a category type over all of them."""
    frames = list(frames)
    if not frames:
        return pd.DataFrame()
    categorical = [c for c in frames[0].columns
                   if isinstance(frames[0][c].dtype, pd.CategoricalDtype)]
    table = pd.concat(frames, ignore_index=True)
    for column in categorical:
        values = sorted({v for f in frames for v in f[column].cat.categories})
        table[column] = pd.Categorical(table[column].astype(object), categories=values)
    return table
