"""The Parquet dataset of ``analystkit annotate``: partitions, resume, clear errors, and
tables equal to the in-memory analysis."""

from __future__ import annotations

import ast
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analystkit import dataset
from analystkit.dataset import (
    annotate_dataset,
    open_dataset,
    partition_bounds,
    partition_name,
    read_table,
)
from analystkit.errors import InputError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PACKAGE = Path(__file__).resolve().parents[1] / "analystkit"

# Short articles written for these tests (no research data): statements, a short form
# ("Reid") whose full name is in another document, dates.
ARTICLES = {
    "a_reid.txt": "---\ndate: 2006-03-01\n---\nJohn Reid, the British defence secretary, said "
                  "on Tuesday that NATO would send more troops to Afghanistan. Reid told "
                  "reporters in London the mission was vital for Britain.\n",
    "b_brussels.txt": "---\ndate: 2006-03-02\n---\nThe European Commission said on Wednesday "
                      "that Russia had cut gas supplies to Ukraine. Officials in Kiev accused "
                      "Moscow of blackmail.\n",
    "c_short.txt": "---\ndate: 2006-03-03\n---\nReid said the Taliban had attacked a base in "
                   "Helmand last week. The United Nations condemned the attack.\n",
}


def _write_corpus(folder: Path, n: int = 5) -> Path:
    """``n`` tiny distinct documents (no model needed to read them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i}.txt").write_text(f"Article number {i} says very little.\n")
    return folder


@pytest.fixture
def fake_tables(monkeypatch):
    """Partition tables without spaCy: one row per document, one statement per document;
    records which documents were annotated."""
    calls: list[list[str]] = []

    def tables(documents, manifest, options, cache):
        ids = [d.doc_id for d in documents]
        calls.append(ids)
        frame = pd.DataFrame({"doc_id": ids, "statement_id": range(len(ids))})
        return {name: frame.copy() for name in dataset.TABLE_NAMES}, "fake 0.0"

    monkeypatch.setattr(dataset, "_partition_tables", tables)
    monkeypatch.setattr(dataset, "_init_worker", lambda options, cache, threads=None:
                        dataset._WORKER.update(options=options, cache=cache))
    return calls


# ------------------------------------------------------------------------ partitions


def test_partition_bounds_cover_every_document_once_in_order():
    assert partition_bounds(0, partition_size=3) == []
    assert partition_bounds(3, partition_size=3) == [(0, 3)]
    bounds = partition_bounds(10, partition_size=4)
    assert bounds == [(0, 4), (4, 8), (8, 10)]
    assert [i for start, end in bounds for i in range(start, end)] == list(range(10))
    assert partition_name(12) == "part-00012"


@pytest.mark.parametrize("size", [0, -1, 2.5, None])
def test_partition_size_must_be_positive(size):
    with pytest.raises(InputError, match="partition_size"):
        partition_bounds(4, partition_size=size)


# -------------------------------------------------------------------------- resume


def test_rerun_skips_done_partitions_and_redoes_the_others(tmp_path, fake_tables):
    corpus = _write_corpus(tmp_path / "corpus", 5)
    out = tmp_path / "ds"
    first = annotate_dataset(corpus, out, partition_size=2, progress=False)
    assert (first.partitions, first.computed, first.skipped) == (3, 3, 0)
    all_ids = [i for call in fake_tables for i in call]
    assert len(all_ids) == 5

    fake_tables.clear()
    (out / "_done" / f"{partition_name(1)}.json").unlink()  # as if killed in partition 1
    again = annotate_dataset(corpus, out, partition_size=2, progress=False)
    assert (again.computed, again.skipped) == (1, 2)
    assert fake_tables == [all_ids[2:4]]  # only partition 1 was annotated again

    documents = read_table(out, "documents")
    assert documents["doc_id"].tolist() == all_ids  # no duplicate, none missing, in order
    manifest = open_dataset(out).manifest
    assert manifest["dataset_status"].eq("annotated").all()
    assert manifest["partition"].tolist() == ["part-00000"] * 2 + ["part-00001"] * 2 + [
        "part-00002"]
    assert not list(out.rglob(".*tmp-*"))  # no temporary file left behind


def test_statement_ids_run_over_the_dataset(tmp_path, fake_tables):
    out = tmp_path / "ds"
    annotate_dataset(_write_corpus(tmp_path / "corpus", 5), out, partition_size=2,
                     progress=False)
    assert read_table(out, "statements")["statement_id"].tolist() == [0, 1, 2, 3, 4]
    assert read_table(out, "statements", columns=["doc_id"]).columns.tolist() == ["doc_id"]


def test_manifest_carries_skipped_inputs_and_their_reasons(tmp_path, fake_tables):
    corpus = _write_corpus(tmp_path / "corpus", 2)
    (corpus / "empty.txt").write_text("   \n")
    out = tmp_path / "ds"
    annotate_dataset(corpus, out, progress=False)
    manifest = open_dataset(out).manifest.set_index(
        open_dataset(out).manifest["path"].map(lambda p: Path(p).name))
    assert manifest.loc["empty.txt", "dataset_status"] == "skipped"
    assert "empty" in manifest.loc["empty.txt", "reason"]
    assert manifest.loc["doc0.txt", "dataset_status"] == "annotated"


def test_failed_partition_is_reported_and_retried(tmp_path, fake_tables, monkeypatch):
    corpus = _write_corpus(tmp_path / "corpus", 4)
    out = tmp_path / "ds"
    real = dataset._partition_tables

    def failing(documents, *args):
        if documents[0].path.endswith("doc2.txt"):
            raise RuntimeError("worker ran out of memory")
        return real(documents, *args)

    monkeypatch.setattr(dataset, "_partition_tables", failing)
    with pytest.raises(dataset.AnalystkitError, match="part-00001.*out of memory"):
        annotate_dataset(corpus, out, partition_size=2, progress=False)
    assert open_dataset(out).manifest["dataset_status"].tolist() == ["annotated"] * 2 + [
        "failed"] * 2
    monkeypatch.setattr(dataset, "_partition_tables", real)
    assert annotate_dataset(corpus, out, partition_size=2, progress=False).computed == 1
    assert len(read_table(out, "documents")) == 4


# -------------------------------------------------------------------- clear errors


def test_corrupt_parquet_file_is_named(tmp_path, fake_tables):
    out = tmp_path / "ds"
    annotate_dataset(_write_corpus(tmp_path / "corpus", 2), out, progress=False)
    broken = out / "scored_mentions" / "part-00000.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputError, match=r"part-00000\.parquet: not a readable Parquet"):
        read_table(out, "mentions")


def test_foreign_parquet_file_is_named(tmp_path, fake_tables):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "ds"
    annotate_dataset(_write_corpus(tmp_path / "corpus", 2), out, progress=False)
    foreign = out / "statements" / "part-00000.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), foreign)
    with pytest.raises(InputError, match=r"statements/part-00000\.parquet: not the statements "
                                         r"table .*foreign"):
        read_table(out, "statements")
    shutil.copy(out / "scored_mentions" / "part-00000.parquet", foreign)  # another table's file
    with pytest.raises(InputError, match="not the statements table .*mentions"):
        read_table(out, "statements")


def test_other_schema_version_or_options_are_refused(tmp_path, fake_tables):
    corpus = _write_corpus(tmp_path / "corpus", 2)
    out = tmp_path / "ds"
    annotate_dataset(corpus, out, progress=False)
    with pytest.raises(InputError, match=r"dataset\.json: this dataset was made with "
                                         r"polarity='model' \(now 'lexicon'\);"):
        annotate_dataset(corpus, out, polarity="lexicon", progress=False)
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("entity_id,canonical,label,aliases\nacme,Acme,ORG,ACME\n")
    annotate_dataset(corpus, tmp_path / "with-aliases", aliases=aliases, progress=False)
    aliases.write_text("entity_id,canonical,label,aliases\nacme,Acme Corp,ORG,ACME\n")
    with pytest.raises(InputError, match=r"made with aliases_sha256="):  # the file changed
        annotate_dataset(corpus, tmp_path / "with-aliases", aliases=aliases, progress=False)
    description = json.loads((out / "dataset.json").read_text())
    description["schema_version"] = 99
    (out / "dataset.json").write_text(json.dumps(description))
    for attempt in (lambda: open_dataset(out), lambda: read_table(out, "documents"),
                    lambda: annotate_dataset(corpus, out, progress=False)):
        with pytest.raises(InputError, match=r"dataset\.json: dataset schema version 99"):
            attempt()
    with pytest.raises(InputError, match=r"dataset\.json: no such file"):
        open_dataset(tmp_path / "corpus")


def test_unknown_table_and_column(tmp_path, fake_tables):
    out = tmp_path / "ds"
    annotate_dataset(_write_corpus(tmp_path / "corpus", 1), out, progress=False)
    with pytest.raises(InputError, match="no table 'lemmas'"):
        read_table(out, "lemmas")
    with pytest.raises(InputError, match="no column polarity"):
        read_table(out, "documents", columns=["polarity"])


def test_only_the_api_cli_and_analysis_import_dataset():
    importers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.ImportFrom) and node.module == "dataset"
               for node in ast.walk(tree)) and path.stem not in ("__init__", "cli", "analysis"):
            importers.append(path.name)
    assert importers == []
    tree = ast.parse((PACKAGE / "dataset.py").read_text(encoding="utf-8"))
    allowed = {"analysis", "tables", "entities", "stance", "timeline", "corpus", "pipeline",
               "polarity", "resources", "errors", "schema", None}
    imported = {node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level == 1}
    assert imported <= allowed, imported - allowed


# ------------------------------------------------------------- with the real model


@pytest.fixture(scope="module")
def model_corpus(tmp_path_factory) -> Path:
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    folder = tmp_path_factory.mktemp("dataset-corpus")
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def in_memory(model_corpus, tmp_path_factory):
    import analystkit as ak

    return ak.Analysis(model_corpus, cache_dir=tmp_path_factory.mktemp("cache"), progress=False)


POSITION = {"mentions": ["doc_id", "sent_id", "start_char", "end_char", "text", "label"],
            "statements": ["doc_id", "sent_id", "start_char", "end_char", "cue", "content"]}


TABLE_ATTRIBUTES = ("documents", "sentences", "ner", "mentions", "scored_mentions",
                    "frequency", "tone", "statements", "statement_targets", "timexes",
                    "events", "timeline")


def _assert_same_analysis(on_dataset, in_memory) -> None:
    """Every table and number the notebooks show, equal on a dataset and in memory."""
    from analystkit import briefing, entities, plots

    for name in TABLE_ATTRIBUTES:
        pd.testing.assert_frame_equal(getattr(on_dataset, name), getattr(in_memory, name),
                                      check_categorical=False, obj=name)
    pd.testing.assert_frame_equal(on_dataset.stance_matrix(), in_memory.stance_matrix(),
                                  check_categorical=False, obj="stance_matrix")
    pd.testing.assert_series_equal(on_dataset.statistics, in_memory.statistics)
    lemmas = in_memory.lemma_frequency(top=30)
    pd.testing.assert_frame_equal(on_dataset.lemma_frequency(top=30), lemmas)
    pd.testing.assert_frame_equal(on_dataset.lemma_tokens(lemmas["lemma"].iloc[0]),
                                  in_memory.lemma_tokens(lemmas["lemma"].iloc[0]))
    assert on_dataset.labels == in_memory.labels
    assert on_dataset.reference_dates == in_memory.reference_dates
    assert on_dataset.model_name == in_memory.model_name
    # The same reader notes (the workers' warnings kept in the markers), after the one on
    # the dataset itself.
    assert set(on_dataset.notes[1:]) == set(in_memory.notes)
    assert [vars(d) for d in on_dataset.corpus] == [vars(d) for d in in_memory.corpus]
    for document in in_memory.corpus:
        assert plots.entity_view(on_dataset.doc(document.doc_id), max_chars=None) == \
            plots.entity_view(in_memory.doc(document.doc_id), max_chars=None)
    top = in_memory.frequency["canonical"].iloc[0]
    pd.testing.assert_frame_equal(
        entities.concordance(on_dataset.texts, on_dataset.mentions, top),
        entities.concordance(in_memory.annotated, in_memory.mentions, top))
    strongest = briefing.strongest_statements(in_memory.statement_targets,
                                              in_memory.statements, known_sources=False)
    pd.testing.assert_frame_equal(
        briefing.evidence(strongest, on_dataset.statements, on_dataset.doc),
        briefing.evidence(strongest, in_memory.statements, in_memory.annotated))


@pytest.mark.model
def test_one_partition_equals_the_in_memory_analysis(model_corpus, in_memory, tmp_path):
    import analystkit as ak

    out = tmp_path / "ds"
    result = annotate_dataset(model_corpus, out, partition_size=100, progress=False)
    assert result.documents == len(in_memory.corpus) == 4
    on_dataset = ak.Analysis(out)
    assert isinstance(on_dataset, ak.DatasetAnalysis)
    _assert_same_analysis(on_dataset, in_memory)
    assert open_dataset(out).description["model"] == in_memory.annotated.model
    assert "Tables read from an annotated dataset" in on_dataset.notes[0]
    with pytest.raises(InputError, match="Docs are not stored"):
        on_dataset.annotated  # noqa: B018


@pytest.mark.model
def test_dataset_options_win_and_a_note_says_so(model_corpus, tmp_path):
    import analystkit as ak

    out = tmp_path / "ds"
    annotate_dataset(model_corpus, out, partition_size=100, progress=False)
    analysis = ak.Analysis([out], merge_demonyms=True, polarity="lexicon")
    assert analysis.merge_demonyms is False and analysis.polarity == "model"
    assert any("merge_demonyms=True, polarity='lexicon' given but not applied" in note
               for note in analysis.notes)


@pytest.mark.model
@pytest.mark.slow
def test_dask_engine_yields_the_tables_of_the_local_engine(model_corpus, tmp_path):
    """Two partitions on a 2-worker dask LocalCluster, and the same in this process."""
    pytest.importorskip("dask.distributed")
    local, on_dask = tmp_path / "local", tmp_path / "dask"
    annotate_dataset(model_corpus, local, partition_size=2, workers=1, progress=False)
    result = annotate_dataset(model_corpus, on_dask, partition_size=2, workers=2,
                              engine="dask", progress=False)
    assert (result.engine, result.partitions, result.computed) == ("dask", 2, 2)
    assert len(result.worker_peak_rss_mb) == 2  # the partitions ran in two processes
    for name in (*dataset.TABLE_NAMES, "mentions"):
        pd.testing.assert_frame_equal(read_table(on_dask, name), read_table(local, name),
                                      check_categorical=False, obj=name)
    pd.testing.assert_frame_equal(open_dataset(on_dask).manifest,
                                  open_dataset(local).manifest)


def test_engine_and_scheduler_are_checked(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", 1)
    with pytest.raises(InputError, match="engine must be one of local, dask"):
        annotate_dataset(corpus, tmp_path / "ds", engine="spark")
    with pytest.raises(InputError, match="needs engine 'dask'"):
        annotate_dataset(corpus, tmp_path / "ds", scheduler="tcp://127.0.0.1:1")


def _annotate_command(corpus: Path, out: Path) -> list[str]:
    import sys

    return [sys.executable, "-m", "analystkit", "annotate", str(corpus), "--out", str(out),
            "--workers", "2", "--partition-size", "1", "--no-progress"]


@pytest.mark.model
@pytest.mark.slow
def test_killed_run_resumes_to_exactly_the_uninterrupted_documents(model_corpus, tmp_path):
    """kill -9 of the whole process group (parent and pool workers) once some partitions
    are done, then a re-run: every document once, as an uninterrupted run has them."""
    import os
    import signal
    import subprocess
    import time

    whole, killed = tmp_path / "whole", tmp_path / "killed"
    subprocess.run(_annotate_command(model_corpus, whole), check=True, capture_output=True)
    process = subprocess.Popen(_annotate_command(model_corpus, killed), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list((killed / dataset.DONE_DIR).glob("*.json")):
        assert process.poll() is None and time.monotonic() < deadline, "finished too soon"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((killed / dataset.DONE_DIR).glob("*.json")))
    assert 1 <= done_before < 4
    # What was collected before the kill reads back, said to be incomplete.
    import analystkit as ak

    interrupted = ak.Analysis(killed)
    assert not interrupted.dataset.complete
    assert 0 < len(interrupted.corpus) <= done_before
    assert any("not complete" in note for note in interrupted.notes)
    rerun = subprocess.run(_annotate_command(model_corpus, killed), capture_output=True,
                           text=True, check=True)
    assert f"{done_before:,} already done" in rerun.stdout
    ids = read_table(killed, "corpus", columns=["doc_id"])["doc_id"].tolist()
    assert ids == read_table(whole, "corpus", columns=["doc_id"])["doc_id"].tolist()
    assert len(ids) == len(set(ids)) == 4
    for name in ("documents", "mentions", "statements", "timexes"):
        pd.testing.assert_frame_equal(read_table(killed, name), read_table(whole, name),
                                      check_categorical=False, obj=name)
    assert not list(killed.rglob(".*.tmp-*"))  # no half file left behind


@pytest.mark.model
def test_cli_subcommands_read_a_dataset_like_its_corpus(model_corpus, tmp_path, capsys):
    from analystkit.cli import main

    single, split = tmp_path / "single", tmp_path / "split"
    annotate_dataset(model_corpus, single, partition_size=100, progress=False)
    annotate_dataset(model_corpus, split, partition_size=2, progress=False)
    for command in ("tokens", "mentions", "entities", "timexes", "timeline", "statements",
                    "targets", "stance"):
        assert main([command, str(model_corpus), "--format", "csv", "--no-cache"]) == 0
        from_corpus = capsys.readouterr().out
        assert main([command, str(single), "--format", "csv"]) == 0
        assert capsys.readouterr().out == from_corpus, command
    # Tokens are written one partition at a time, the header once.
    assert main(["tokens", str(split), "--format", "csv"]) == 0
    tokens = capsys.readouterr().out
    assert tokens.startswith("doc_id,") and tokens.count("\ndoc_id,") == 0
    rows = pd.read_csv(io.StringIO(tokens), keep_default_na=False)
    assert rows["token_id"].tolist() == read_table(split, "tokens")["token_id"].tolist()


@pytest.mark.model
def test_partitions_in_two_workers_keep_every_row(model_corpus, in_memory, tmp_path):
    """Two partitions in two spawned workers: the same mentions and statements at the same
    places; entity ids may differ where a short form's full name is in another partition
    (entities are linked within a partition), so only positions are compared."""
    out = tmp_path / "ds"
    result = annotate_dataset(model_corpus, out, partition_size=2, workers=2, progress=False)
    assert (result.partitions, result.computed) == (2, 2)
    for name, columns in POSITION.items():
        pd.testing.assert_frame_equal(read_table(out, name, columns=columns),
                                      getattr(in_memory, name)[columns],
                                      check_categorical=False, check_dtype=False, obj=name)
    statement_ids = read_table(out, "statements", columns=["statement_id"])["statement_id"]
    assert statement_ids.tolist() == in_memory.statements["statement_id"].tolist()
    # The one documented difference: c_short's bare "Reid" is John Reid only when a_reid
    # (in the other partition) is linked with it.
    mentions = read_table(out, "mentions")
    differ = mentions["canonical"].ne(in_memory.mentions["canonical"])
    assert mentions.loc[differ, ["text", "canonical"]].values.tolist() == [["Reid", "Reid"]]
    assert in_memory.mentions.loc[differ, "canonical"].tolist() == ["John Reid"]


@pytest.mark.model
def test_cli_annotate_writes_a_dataset(tmp_path, capsys):
    from analystkit.cli import main

    out = tmp_path / "ds"
    assert main(["annotate", str(SEEDS), "--out", str(out), "--no-progress"]) == 0
    assert "1 annotated now" in capsys.readouterr().out
    assert main(["annotate", str(SEEDS), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "0 annotated now, 1 already done" in captured.out
    assert len(read_table(out, "documents")) == 1


@pytest.mark.model
@pytest.mark.slow
def test_notebooks_on_a_dataset_show_the_tables_of_its_corpus(model_corpus, tmp_path):
    """Every notebook run on a one-partition dataset folder writes the same tables (the CSV
    files behind every table shown) as on the corpus itself."""
    from analystkit.report import build_reports

    out = tmp_path / "ds"
    annotate_dataset(model_corpus, out, partition_size=100, progress=False)
    pages = {}
    for name, corpus in (("corpus", model_corpus), ("dataset", out)):
        result = build_reports(corpus_path=corpus, out_dir=tmp_path / f"r-{name}", jobs=2)
        assert not result.failed, result.summary()
        pages[name] = tmp_path / f"r-{name}" / "tables"
    tables = sorted(p.relative_to(pages["corpus"]) for p in pages["corpus"].rglob("*.csv"))
    assert tables == sorted(p.relative_to(pages["dataset"])
                            for p in pages["dataset"].rglob("*.csv"))
    assert len(tables) > 20
    # Expected differences: file paths are as annotate was given them (the notebooks get a
    # relative one); a dataset's manifest adds each document's partition.
    differ = []
    for table in tables:
        frames = [pd.read_csv(pages[name] / table, keep_default_na=False)
                  for name in ("corpus", "dataset")]
        frames = [f.drop(columns=[c for c in ("path", "partition") if c in f]) for f in frames]
        if not frames[0].equals(frames[1]):
            differ.append(str(table))
    assert differ == [], differ
    html = (tmp_path / "r-dataset" / "00_corpus_overview.html").read_text(encoding="utf-8")
    assert "Tables read from an annotated dataset" in html


def _old_lemma_frequency(tokens, *, top, exclude):
    """The pandas implementation lemma_frequency had before it moved to Arrow."""
    content = tokens[tokens["pos"].isin(["NOUN", "PROPN", "VERB", "ADJ"]) & tokens["is_alpha"]
                     & ~tokens["is_stop"]]
    lemmas = content.assign(lemma=content["lemma"].str.lower())
    lemmas = lemmas[~lemmas["lemma"].isin([w.lower() for w in exclude])]
    return (lemmas.groupby("lemma", observed=True)
            .agg(count=("token_id", "size"), documents=("doc_id", "nunique")).reset_index()
            .sort_values(["count", "lemma"], ascending=[False, True], kind="stable")
            .head(top).reset_index(drop=True))


def test_lemma_frequency_in_arrow_counts_as_the_pandas_version_did(tmp_path):
    """Arrow's own lower case differs from Python's on a few letters ("İ", a final sigma):
    the counts must not. A dataset's token files give the same as the table in memory."""
    from analystkit.schema import TABLES
    from analystkit.tables import lemma_frequency, lemma_tokens

    words = ["İstanbul", "istanbul", "ΟΔΟΣ", "οδος", "Strike", "strike", "strikes", "the",
             "Mr", "say", "warning", "Café", "CAFÉ"]
    rows = [{"doc_id": f"d{i % 3}", "sent_id": 0, "token_id": i, "start_char": i,
             "end_char": i + 1, "text": w, "lemma": w if w != "strikes" else "strike",
             "pos": "VERB" if w == "say" else "NOUN", "tag": "NN", "is_stop": w == "the",
             "is_punct": False, "is_space": False, "is_alpha": True}
            for i, w in enumerate(words * 3)]
    tokens = TABLES["tokens"].conform(pd.DataFrame(rows))
    new = lemma_frequency(tokens, top=50, exclude=("say",))
    old = _old_lemma_frequency(tokens, top=50, exclude=("say",))
    assert new["lemma"].tolist() == old["lemma"].tolist()
    assert new["count"].tolist() == old["count"].tolist()
    assert new["documents"].tolist() == old["documents"].tolist()
    assert lemma_tokens(tokens, "café")["text"].tolist() == ["Café", "CAFÉ"] * 3
    # the same from Parquet files, scanned as an Arrow dataset
    import pyarrow as pa
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(tokens, preserve_index=False), tmp_path / "t.parquet")
    scanned = pads.dataset(str(tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(lemma_frequency(scanned, top=50, exclude=("say",)), new)
    pd.testing.assert_frame_equal(lemma_tokens(scanned, "café"), lemma_tokens(tokens, "café"))
