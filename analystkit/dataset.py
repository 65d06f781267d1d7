"""Annotate a corpus once, in parallel, into a Parquet dataset, and read its tables back.

:func:`annotate_dataset` cuts the corpus into partitions of ``partition_size`` documents in
document order. Each partition is annotated by a worker process with the same code the
in-memory :class:`~analystkit.analysis.Analysis` uses (an ``Analysis`` over the partition's
documents), and the worker writes its own Parquet files, one per table, then a done marker.
Only row counts travel back to the parent. A re-run skips every partition whose marker
names the same documents.

Layout of a dataset folder::

    dataset.json                 schema version, analystkit version, model, options, partitions
    manifest.parquet             every input of the corpus: its status and reason (from the
                                 corpus manifest), its partition and dataset_status
    TABLE/part-00000.parquet     one file per table per partition (tables: TABLE_NAMES)
    _done/part-00000.json        the partition's done marker: its doc_ids and row counts

Every file is written to a temporary name and renamed, so a killed run leaves no half file;
a partition without its marker is annotated again on the next run.

What differs from an in-memory analysis of the whole corpus:

* **Entity linking is per partition.** Canonical entities link short forms ("Reid",
  "ANC") to full names across the documents of one partition, not across the corpus. With a
  single partition (``partition_size`` at least the corpus size) the tables equal the
  in-memory ones; with several, the positions and labels of mentions are the same but a
  short form whose full name is only in another partition keeps its own ``entity_id`` and
  ``canonical`` (and so may statement sources, targets and event actors).
* ``statement_id`` is numbered per partition in the files; :func:`read_table` adds the
  statements of the earlier partitions, so ids read back run over the corpus as in memory.
* The corpus is loaded (text only) in the parent before partitioning; the Docs, the heavy
  part, exist only inside the workers.

Workers are started with the ``spawn`` method, which imports the caller's main module: with
``workers > 1`` call :func:`annotate_dataset` from the CLI, a notebook or a script file
(under ``if __name__ == "__main__":``), not from ``python -`` reading stdin.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
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
    "open_dataset",
    "partition_bounds",
    "partition_name",
    "read_table",
]

SCHEMA_VERSION = 1
"""Version of the dataset layout and table columns; a dataset of another version is refused."""

TABLE_NAMES = ("documents", "sentences", "mentions", "timexes", "events", "statements",
               "statement_targets")
"""The tables written per partition (see :mod:`analystkit.schema` for their columns)."""

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
    """

    path: Path
    partitions: int
    computed: int
    skipped: int
    documents: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

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


def _init_worker(options: dict[str, Any], cache: bool, threads: int | None = None) -> None:
    """Load the pipeline once per worker process (kept by :func:`load_model`'s cache) and,
    with ``threads``, the polarity model with that many onnxruntime threads: by default
    each session takes every core, and workers that each do so only slow each other."""
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
    from .tables import documents_table, sentences_table

    analysis = Analysis(Corpus(documents=documents, manifest=manifest), cache=cache,
                        progress=False, **options)
    annotated = analysis.annotated
    tables = {"documents": documents_table(annotated), "sentences": sentences_table(annotated),
              "mentions": analysis.mentions, "timexes": analysis.timexes,
              "events": analysis.events, "statements": analysis.statements,
              "statement_targets": analysis.statement_targets}
    return tables, annotated.model


def _annotate_partition(root: str, index: int, documents: list,
                        manifest: pd.DataFrame) -> dict[str, Any]:
    """Annotate one partition and write its files and marker; return only its counts."""
    out = Path(root)
    _marker_path(out, index).unlink(missing_ok=True)
    tables, model = _partition_tables(documents, manifest, _WORKER["options"], _WORKER["cache"])
    for name in TABLE_NAMES:
        _write_parquet(tables[name], _table_path(out, name, index), name)
    marker = {"partition": partition_name(index), "model": model,
              "doc_ids": [document.doc_id for document in documents],
              "rows": {name: len(tables[name]) for name in TABLE_NAMES}}
    _write_atomic_bytes(_marker_path(out, index), json.dumps(marker, indent=1).encode())
    return marker


# -------------------------------------------------------------------------- the run


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


def _check_existing(root: Path, options: dict[str, Any], partition_size: int) -> None:
    """Refuse to add to a dataset of another schema version or made with other options."""
    if not (root / DATASET_FILE).is_file():
        return
    description = _read_description(root / DATASET_FILE)
    theirs = (description.get("options"), description.get("partition_size"))
    if theirs != (options, partition_size):
        raise InputError(
            f"{root / DATASET_FILE}: this dataset was made with other options "
            f"({description.get('options')}, partition_size="
            f"{description.get('partition_size')}); write to another folder or delete it")


def _run(tasks: list[tuple[int, list, pd.DataFrame]], root: Path, *, workers: int,
         options: dict[str, Any], cache: bool, progress: bool | None
         ) -> tuple[dict[int, dict], dict[int, str]]:
    """Annotate the partitions of ``tasks``: in this process for one worker, else in a pool
    of spawned processes. Returns the markers and the errors, by partition."""
    from tqdm.auto import tqdm

    done: dict[int, dict] = {}
    failed: dict[int, str] = {}
    total = sum(len(documents) for _, documents, _ in tasks)
    bar = tqdm(total=total, unit="doc", desc="annotating",
               disable={True: False, False: True}.get(progress))
    if workers == 1 or len(tasks) <= 1:
        _init_worker(options, cache)
        for index, documents, manifest in tasks:
            try:
                done[index] = _annotate_partition(str(root), index, documents, manifest)
            except Exception as exc:  # said by partition, after the others are done
                failed[index] = f"{type(exc).__name__}: {exc}"
            bar.update(len(documents))
    else:
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                 initializer=_init_worker,
                                 initargs=(options, cache, threads)) as pool:
            futures = {pool.submit(_annotate_partition, str(root), index, documents, manifest):
                       (index, len(documents)) for index, documents, manifest in tasks}
            for future in as_completed(futures):
                index, n = futures[future]
                try:
                    done[index] = future.result()
                except Exception as exc:  # a worker's error, or its death
                    failed[index] = f"{type(exc).__name__}: {exc}"
                bar.update(n)
    bar.close()
    return done, failed


def annotate_dataset(
    corpus_path: str | Path | Sequence[str | Path],
    out_dir: str | Path,
    *,
    workers: int = 1,
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

    The layout, and what differs from an in-memory :class:`~analystkit.analysis.Analysis`
    (entities are linked within a partition): see the module docstring.

    Args:
        corpus_path: Files or folders, as :func:`~analystkit.corpus.load_corpus` reads them.
        out_dir: The dataset folder (created; a re-run adds the partitions not yet done).
        workers: Worker processes (``spawn``; each loads the pipeline once); 1: this process.
        partition_size: Documents per partition, in document order.
        model, aliases, merge_demonyms, reference_date, polarity, keep_other_languages:
            As for :class:`~analystkit.analysis.Analysis`.
        cache: Also use the Doc cache (off: the dataset is the stored result).
        progress: Progress bar with documents/s (default: when stderr is a terminal).

    Returns:
        A :class:`DatasetResult` with counts.

    Raises:
        InputError: If ``out_dir`` holds a dataset of another schema version or options.
        AnalystkitError: If a partition failed (the others are written; re-run to retry).

    Example:
        >>> annotate_dataset("seeds/", "dataset/", workers=2).summary()  # doctest: +SKIP
    """
    from .corpus import load_corpus

    started, root = time.perf_counter(), Path(out_dir)
    options = _options(model, aliases, merge_demonyms, reference_date, polarity,
                       keep_other_languages)
    _check_existing(root, options, partition_size)
    corpus = load_corpus(corpus_path, keep_other_languages=keep_other_languages)
    bounds = partition_bounds(len(corpus), partition_size=partition_size)
    tasks, markers = _plan(root, corpus, bounds)
    _write_description(root, options, partition_size, markers, bounds)
    done, failed = _run(tasks, root, workers=max(1, int(workers)), options=options,
                        cache=cache, progress=progress)
    markers.update(done)
    _write_manifest(root, corpus, bounds, markers)
    _write_description(root, options, partition_size, markers, bounds)
    _raise_failed(root, failed)
    rows = {name: sum(m["rows"][name] for m in markers.values()) for name in TABLE_NAMES}
    return DatasetResult(path=root, partitions=len(bounds), computed=len(done),
                         skipped=len(bounds) - len(tasks), documents=len(corpus), rows=rows,
                         seconds=time.perf_counter() - started)


def _raise_failed(root: Path, failed: dict[int, str]) -> None:
    if failed:
        listed = "; ".join(f"{partition_name(i)}: {why}" for i, why in sorted(failed.items()))
        raise AnalystkitError(f"{plural(len(failed), 'partition')} of {root} failed ({listed}); "
                              "the others are written, and a re-run retries the failed ones")


def _plan(root: Path, corpus: Any, bounds: list[tuple[int, int]]
          ) -> tuple[list[tuple[int, list, pd.DataFrame]], dict[int, dict]]:
    """The partitions to annotate (no marker, or one naming other documents), and the
    markers of those already done."""
    tasks, markers = [], {}
    for index, (start, end) in enumerate(bounds):
        documents = corpus.documents[start:end]
        ids = [document.doc_id for document in documents]
        marker = _read_marker(root, index)
        if marker is not None and marker.get("doc_ids") == ids:
            markers[index] = marker
            continue
        manifest = corpus.manifest[corpus.manifest["doc_id"].isin(ids)]
        tasks.append((index, documents, manifest))
    return tasks, markers


def _write_manifest(root: Path, corpus: Any, bounds: list[tuple[int, int]],
                    markers: dict[int, dict]) -> None:
    """Every input with its corpus status and reason, its partition and dataset status."""
    partition_of = {document.doc_id: index for index, (start, end) in enumerate(bounds)
                    for document in corpus.documents[start:end]}
    manifest = corpus.manifest.copy()
    index = manifest["doc_id"].map(partition_of)
    ok = manifest["status"].eq("ok") & index.notna()
    manifest["partition"] = [partition_name(int(i)) if keep else None
                             for i, keep in zip(index, ok, strict=True)]
    manifest["dataset_status"] = [
        ("annotated" if int(i) in markers else "failed") if keep else "skipped"
        for i, keep in zip(index, ok, strict=True)]
    _write_parquet(manifest, root / MANIFEST_FILE, "manifest")


def _write_description(root: Path, options: dict[str, Any], partition_size: int,
                       markers: dict[int, dict], bounds: list[tuple[int, int]]) -> None:
    models = sorted({marker["model"] for marker in markers.values()})
    partitions = [{"name": partition_name(i), "documents": end - start, "done": i in markers,
                   "rows": markers[i]["rows"] if i in markers else None}
                  for i, (start, end) in enumerate(bounds)]
    description = {"schema_version": SCHEMA_VERSION, "analystkit_version": __version__,
                   "model": models[0] if len(models) == 1 else models or None,
                   "options": options, "partition_size": partition_size,
                   "tables": list(TABLE_NAMES), "partitions": partitions}
    _write_atomic_bytes(root / DATASET_FILE, json.dumps(description, indent=1).encode())


# -------------------------------------------------------------------------- reading


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


def _read_parquet(path: Path, table: str,
                  columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One Parquet file of a dataset; a damaged or foreign file raises, naming the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        metadata = schema.metadata or {}
        if metadata.get(_META_TABLE) != table.encode():
            found = metadata.get(_META_TABLE, b"").decode() or "no analystkit table tag"
            raise InputError(f"{path}: not the {table} table of an analystkit dataset "
                             f"({found}); the file is foreign or misplaced")
        if metadata.get(_META_SCHEMA) != str(SCHEMA_VERSION).encode():
            raise InputError(f"{path}: written with schema version "
                             f"{metadata.get(_META_SCHEMA, b'?').decode()}, this analystkit "
                             f"reads version {SCHEMA_VERSION}")
        missing = [c for c in columns or () if c not in schema.names]
        if missing:
            raise InputError(f"{path}: no column {', '.join(missing)} "
                             f"(columns: {', '.join(schema.names)})")
        arrow = pq.read_table(path, columns=list(columns) if columns else None)
        return _restore_time_units(arrow.to_pandas(), schema.pandas_metadata or {})
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}); delete the dataset's "
                         "file and its _done marker, then re-run annotate") from None


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
        name: A table of :data:`TABLE_NAMES`.
        columns: Only these columns (read from the files; nothing else is loaded).

    Returns:
        The table; ``statement_id`` runs over the whole dataset, as in memory.

    Raises:
        InputError: For an unknown table, a missing column, or a damaged or foreign
            Parquet file (the message names the file).

    Example:
        >>> read_table("dataset/", "statements", columns=["source", "polarity"])  # doctest: +SKIP
    """
    dataset = open_dataset(path)
    if name not in TABLE_NAMES:
        raise InputError(f"no table {name!r} in a dataset (tables: {', '.join(TABLE_NAMES)})")
    frames, offset = [], 0
    for index, partition in enumerate(dataset.partitions):
        if not partition["done"]:
            continue
        frame = _read_parquet(_table_path(dataset.path, name, index), name, columns)
        if name in _STATEMENT_ID_TABLES and "statement_id" in frame:
            frame["statement_id"] = frame["statement_id"] + offset
        offset += partition["rows"]["statements"]
        frames.append(frame)
    return _concat(frames)


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
