"""Time and peak memory of annotating one very long article (1, 2 and 5 MB).

The articles are built at run time by concatenating real Reuters stories (read from
``--data``, never stored) until the text reaches the size, in two variants:

* ``paragraphs``: stories separated by blank lines, their own line breaks kept;
* ``single-line``: the same words on one line (no line break anywhere).

Each (variant, size) runs in a fresh subprocess, so that peak memory is that run's alone:
it loads the model, builds the text, annotates it with ``analystkit.annotate`` (no cache) and,
with ``--downstream``, also runs the tables over it (entity mentions, temporal expressions
over the whole text, attributions). The child's peak RSS is ``resource.getrusage`` ``ru_maxrss``.
Targets (issue 8): at most 1.5 GB for 5 MB, time proportional to length (5 MB / 1 MB ~ 5).

Usage:
    python bench/long_text.py --data ../shared/data/reuters21578.jsonl
    python bench/long_text.py --data ... --sizes 1 2 5 --variants single-line --downstream
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

MB = 1_000_000
VARIANTS = ("paragraphs", "single-line")


def build_text(data: Path, size_mb: float, variant: str) -> str:
    """About ``size_mb`` million characters of concatenated Reuters stories."""
    target = int(size_mb * MB)
    stories: list[str] = []
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            text = (json.loads(line).get("text") or "").strip()
            if len(text.split()) >= 50:  # real prose, not one-line tables
                stories.append(text)
            if sum(map(len, stories)) > target:
                break
    if not stories:
        raise SystemExit(f"no stories in {data}")
    if variant == "single-line":
        stories = [" ".join(story.split()) for story in stories]
        separator = " "
    else:
        stories = [re.sub(r"[ \t]+", " ", story) for story in stories]
        separator = "\n\n"
    parts: list[str] = []
    length = 0
    while length < target:  # repeat the stories if the file has fewer characters
        for story in stories:
            parts.append(story)
            length += len(story) + len(separator)
            if length >= target:
                break
    return separator.join(parts)[:target].rstrip()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> int:
    """One measurement; prints one JSON line."""
    import pandas as pd

    import analystkit as ak
    from analystkit.corpus import Corpus, Document, normalise_text

    nlp = ak.load_model(args.model)
    list(nlp.pipe(["Warm-up sentence about Reuters in London on Monday."]))
    text, _ = normalise_text(build_text(args.data, args.size, args.variant))
    document = Document(doc_id="long", text=text)
    corpus = Corpus(documents=[document], manifest=pd.DataFrame())
    result: dict[str, float | int | str] = {
        "variant": args.variant, "size_mb": args.size, "chars": len(text),
        "words": len(text.split()),
        "rss_model_mb": round(_peak_rss_mb()),  # model loaded and text built
    }
    start, cpu = time.perf_counter(), _cpu_seconds()
    annotated = ak.annotate(corpus, nlp=nlp, cache=False)
    result["annotate_s"] = round(time.perf_counter() - start, 2)
    # CPU time too: on a shared machine wall time depends on what else runs.
    result["annotate_cpu_s"] = round(_cpu_seconds() - cpu, 2)
    doc = annotated.docs[0]
    assert doc.text == text, "annotation changed the text"
    result["tokens"] = len(doc)
    result["rss_annotate_mb"] = round(_peak_rss_mb())
    if args.downstream:
        from analystkit import entities
        from analystkit.attribution import find_attributions
        from analystkit.timex import tag_timexes

        for name, step in (
            ("mentions", lambda: entities.entity_mentions(annotated)),
            ("timexes", lambda: tag_timexes(text, None, doc=doc)),
            ("attributions", lambda: find_attributions(doc)),
        ):
            start = time.perf_counter()
            found = step()
            result[f"{name}_s"] = round(time.perf_counter() - start, 2)
            result[f"{name}_n"] = len(found)
            result[f"rss_{name}_mb"] = round(_peak_rss_mb())
    result["rss_peak_mb"] = round(_peak_rss_mb())
    print(json.dumps(result), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/reuters21578.jsonl"))
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 5], help="MB")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--model", help="spaCy pipeline (default as in analystkit)")
    parser.add_argument("--downstream", action="store_true",
                        help="also time entity mentions, timexes and attributions")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    if not args.data.is_file():
        print(f"no data at {args.data}: nothing measured", file=sys.stderr)
        return 2
    rows = []
    for variant in args.variants:
        for size in args.sizes:
            command = [sys.executable, __file__, "--child", "--data", str(args.data),
                       "--size", str(size), "--variant", variant]
            command += ["--model", args.model] if args.model else []
            command += ["--downstream"] if args.downstream else []
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{variant} {size} MB failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            extra = "".join(f"  {name} {row[name + '_s']:.1f}s ({row[name + '_n']:,})"
                            for name in ("mentions", "timexes", "attributions")
                            if name + "_s" in row)
            print(f"{variant:<11} {size:>4g} MB  {row['words']:>9,} words  annotate "
                  f"{row['annotate_s']:8.1f} s  {row['annotate_s'] / size:6.1f} s/MB  "
                  f"(CPU {row['annotate_cpu_s']:7.1f} s, "
                  f"{row['annotate_cpu_s'] / size:5.1f} s/MB)  "
                  f"peak RSS {row['rss_peak_mb']:,} MB "
                  f"(before annotating {row['rss_model_mb']:,} MB, "
                  f"after annotate {row['rss_annotate_mb']:,} MB){extra}", flush=True)
    for variant in args.variants:
        mine = [row for row in rows if row["variant"] == variant]
        if len({row["size_mb"] for row in mine}) < 2:
            continue
        small = min(mine, key=lambda row: row["size_mb"])
        large = max(mine, key=lambda row: row["size_mb"])
        wall = large["annotate_s"] / small["annotate_s"]
        cpu = large["annotate_cpu_s"] / small["annotate_cpu_s"]
        print(f"{variant}: time ratio {large['size_mb']:g} MB / {small['size_mb']:g} MB = "
              f"{wall:.2f} wall, {cpu:.2f} CPU (proportional: "
              f"{large['size_mb'] / small['size_mb']:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
