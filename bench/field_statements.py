"""Sample attributed statements from the field corpus for checking by hand.

Loads ``../shared/data/field/wikinews-sources.jsonl`` (real web news of many outlets, as
scraped) with :func:`analystkit.load_corpus`, annotates it (the on-disk cache makes reruns
fast), builds entity mentions and statements (:func:`analystkit.stance.statements_table`
with ``polarity="lexicon"``: polarity is not what is checked here), prints totals and
writes a random sample of statements (fixed seed) as TSV, optionally also as markdown:
doc id, source as written, ``source_entity``, cue, content and the evidence sentence, plus
empty ``verdict`` and ``error`` columns to fill in by hand.

With ``--score JUDGED.tsv`` it reads such a file back after checking (``verdict`` is ``ok``
for a real statement with the right source span and source entity, anything else for an
error; ``error`` names the error kind) and prints the precision and the error kinds.

The field corpus is research-use only: the sample is written outside the repository (the
script refuses a path inside it) and nothing from it is committed.

Usage:
    python bench/field_statements.py [--n 50] [--seed 0] [--out /tmp/field_statements.tsv]
        [--md /tmp/field_statements.md]
    python bench/field_statements.py --score /tmp/field_statements_before.tsv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "field" / "wikinews-sources.jsonl"
SAMPLE_COLUMNS = ["n", "doc_id", "sent_id", "source", "source_entity", "source_resolution",
                  "cue", "cue_lemma", "kind", "content", "evidence", "verdict", "error"]


def build_statements(data: Path, *, model: str | None = None):
    """Annotate the field corpus and return ``(statements table, number of documents)``."""
    import analystkit as ak
    from analystkit.entities import entity_mentions
    from analystkit.stance import statements_table

    corpus = ak.load_corpus(data)
    annotated = ak.annotate(corpus, model=model)
    mentions = entity_mentions(annotated)
    statements = statements_table(annotated, mentions=mentions, polarity="lexicon")
    return statements, len(corpus)


def print_totals(statements, n_docs: int) -> None:
    """Statements, the share with a resolved source entity, counts per kind and resolution."""
    total = len(statements)
    resolved = int(statements["source_entity"].notna().sum())
    with_source = int(statements["source"].notna().sum())
    print(f"{n_docs} documents, {total} statements")
    if not total:
        return
    print(f"  with a source span: {with_source} ({with_source / total:.1%})")
    print(f"  with a resolved source entity: {resolved} ({resolved / total:.1%})")
    for column in ("kind", "source_resolution"):
        counts = statements[column].value_counts()
        print(f"  per {column}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    top = statements["cue_lemma"].value_counts().head(15)
    print("  top cues: " + ", ".join(f"{k} {v}" for k, v in top.items()))


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def sample_rows(statements, *, n: int, seed: int) -> list[dict]:
    """``n`` statements drawn with ``random.Random(seed)``, in corpus order."""
    picked = sorted(random.Random(seed).sample(range(len(statements)), min(n, len(statements))))
    rows = []
    for number, index in enumerate(picked, 1):
        record = statements.iloc[index]
        row = {column: _clean(record.get(column)) for column in SAMPLE_COLUMNS}
        row.update(n=str(number), verdict="", error="")
        rows.append(row)
    return rows


def _outside_repo(path: Path) -> bool:
    return not path.resolve().is_relative_to(REPO)


def write_tsv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, SAMPLE_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_markdown(rows: list[dict], path: Path) -> None:
    lines = []
    for row in rows:
        lines.append(f"### {row['n']}. {row['doc_id']}:{row['sent_id']} ({row['kind']})\n")
        lines.append(f"- source: `{row['source'] or '-'}` -> **{row['source_entity'] or '-'}**"
                     f" ({row['source_resolution']})")
        lines.append(f"- cue: `{row['cue']}` ({row['cue_lemma']})")
        lines.append(f"- content: {row['content']}")
        lines.append(f"- evidence: {row['evidence']}\n")
    path.write_text("\n".join(lines), encoding="utf-8")


def score(path: Path) -> int:
    """Print precision and error kinds of a judged sample TSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    judged = [r for r in rows if (r.get("verdict") or "").strip()]
    if not judged:
        print(f"{path}: no verdicts filled in", file=sys.stderr)
        return 1
    ok = sum(r["verdict"].strip() == "ok" for r in judged)
    print(f"{path}: {ok}/{len(judged)} fully right = precision {ok / len(judged):.2f}"
          + (f" ({len(rows) - len(judged)} rows not judged)" if len(judged) < len(rows) else ""))
    kinds = Counter(k.strip() for r in judged if r["verdict"].strip() != "ok"
                    for k in (r.get("error") or "unspecified").split(";") if k.strip())
    coarse = Counter(kind.split(":", 1)[0] for kind in kinds.elements())
    print("  by class: " + ", ".join(f"{k} {v}" for k, v in coarse.most_common()))
    for kind, count in kinds.most_common():
        print(f"  {count:3d}  {kind}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="field corpus JSONL")
    parser.add_argument("--n", type=int, default=50, help="statements to sample")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the sample")
    parser.add_argument("--out", type=Path, default=Path("/tmp/field_statements.tsv"),
                        help="sample TSV to write (outside the repository)")
    parser.add_argument("--md", type=Path, help="also write the sample as markdown")
    parser.add_argument("--model", help="spaCy pipeline (see analystkit.resolve_model)")
    parser.add_argument("--score", type=Path, metavar="JUDGED_TSV",
                        help="print precision and error kinds of a judged sample instead")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.score:
        return score(args.score)
    if not args.data.is_file():
        print(f"field corpus not found at {args.data}", file=sys.stderr)
        return 2
    for path in filter(None, (args.out, args.md)):
        if not _outside_repo(path):
            print(f"{path}: write the sample outside the repository (research-use data)",
                  file=sys.stderr)
            return 2
    sys.path.insert(0, str(REPO))
    started = time.perf_counter()
    statements, n_docs = build_statements(args.data, model=args.model)
    print(f"annotated and extracted in {time.perf_counter() - started:.1f} s")
    print_totals(statements, n_docs)
    rows = sample_rows(statements, n=args.n, seed=args.seed)
    write_tsv(rows, args.out)
    if args.md:
        write_markdown(rows, args.md)
    print(f"sample of {len(rows)} (seed {args.seed}) -> {args.out}"
          + (f", {args.md}" if args.md else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
