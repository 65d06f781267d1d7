"""How long ``analystkit report`` takes: cold and warm, on seeds/ and on about 200 articles.

One run measures, each with ``analystkit report`` as a user runs it (a subprocess, wall
time from start to exit, all notebooks in ``notebooks/``):

1. ``seeds/``, cold: a fresh, empty ``ANALYSTKIT_CACHE_DIR`` (annotation and polarity
   computed); target 45 s;
2. ``seeds/``, warm: the same cache again; target 12 s;
3. the field corpus, warm (``../shared/data/field``: one JSONL file of 131 articles, not
   200, so all of them; cold first, to fill its cache);
4. 200 articles, cold then warm: the 131 field articles plus the first 69 Reuters stories
   of ``../shared/data/reuters21578.jsonl``, written to a temporary folder; warm target
   40 s (the issue asks for 200 field articles; the field corpus has 131).

The warm run writes into the cold run's folder, as a second ``make report`` does (the
report starts the notebooks that took longest last time first). For each run it prints
the wall time, the ratio to its target (<= 1.00 meets it), the CPU
seconds of the report and everything it started (the machine is shared: when others load
it, wall time grows while CPU time does not), the load average, and each notebook's own
time from ``provenance.json``. Options: ``--jobs``, ``--fresh-kernels`` (compare with the
kernel server off), ``--skip-field``.

Usage:
    python bench/report_time.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIELD = SHARED / "field"
REUTERS = SHARED / "reuters21578.jsonl"
TARGETS = {("seeds", "cold"): 45.0, ("seeds", "warm"): 12.0, ("200 articles", "warm"): 40.0}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_report(corpus: Path, out: Path, cache: Path, extra: list[str]) -> dict:
    """One ``analystkit report`` run: wall and CPU seconds, and each notebook's time."""
    command = [str(Path(sys.executable).with_name("analystkit")), "report", "--seeds",
               str(corpus), "--out", str(out), "--notebooks", str(ROOT / "notebooks"), *extra]
    env = {**os.environ, "ANALYSTKIT_CACHE_DIR": str(cache)}
    cpu, start = _children_cpu(), time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    wall, cpu = time.monotonic() - start, _children_cpu() - cpu
    if done.returncode != 0:
        print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.stdout,
              file=sys.stderr)
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    notebooks = {Path(page["notebook"]).stem: page["seconds"] for page in record["notebooks"]}
    failed = [page["notebook"] for page in record["notebooks"] if page["error"]]
    return {"wall": wall, "cpu": cpu, "load": os.getloadavg()[0], "notebooks": notebooks,
            "documents": record["report"]["documents"], "failed": failed}


def build_200(folder: Path) -> Path:
    """131 field articles + the first 69 Reuters stories with text, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    field_lines = [line for path in sorted(FIELD.glob("*.jsonl"))
                   for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = 200 - len(field_lines)
    reuters = []
    with REUTERS.open(encoding="utf-8") as stream:
        for line in stream:
            if len(reuters) >= wanted:
                break
            if json.loads(line).get("text", "").strip():
                reuters.append(line.rstrip("\n"))
    (folder / "field.jsonl").write_text("\n".join(field_lines) + "\n", encoding="utf-8")
    (folder / "reuters.jsonl").write_text("\n".join(reuters) + "\n", encoding="utf-8")
    return folder


def _line(name: str, kind: str, result: dict) -> str:
    target = TARGETS.get((name, kind))
    ratio = f"{result['wall'] / target:5.2f}" if target else "    -"
    shown = f"{target:5.0f}" if target else "    -"
    failed = f"  FAILED: {', '.join(result['failed'])}" if result["failed"] else ""
    return (f"{name:<20} {result['documents']:>5} {kind:<5} {result['wall']:7.1f} {shown} "
            f"{ratio} {result['cpu']:7.1f} {result['load']:5.1f}{failed}")


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, help="passed to analystkit report")
    parser.add_argument("--fresh-kernels", action="store_true",
                        help="passed to analystkit report (kernel server off)")
    parser.add_argument("--skip-field", action="store_true", help="seeds/ only")
    args = parser.parse_args(argv)
    extra = (["--jobs", str(args.jobs)] if args.jobs else []) + (
        ["--fresh-kernels"] if args.fresh_kernels else [])
    runs: list[tuple[str, str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="report-time-") as tmp:
        work = Path(tmp)
        corpora = [("seeds", ROOT / "seeds")]
        if not args.skip_field and FIELD.is_dir() and REUTERS.is_file():
            corpora += [("field (131)", FIELD), ("200 articles", build_200(work / "c200"))]
        elif not args.skip_field:
            print(f"{SHARED} absent: seeds/ only", file=sys.stderr)
        for name, corpus in corpora:
            cache = work / f"cache-{len(runs)}"  # fresh and empty: cold
            out = work / f"out-{len(runs)}"  # the warm run writes where the cold one did
            for kind in ("cold", "warm"):
                runs.append((name, kind, run_report(corpus, out, cache, extra)))
                print(f"  ran {name} {kind}: {runs[-1][2]['wall']:.1f} s", file=sys.stderr)
    cores = len(os.sched_getaffinity(0))
    print(f"analystkit report, {cores} cores, notebooks: "
          + ", ".join(runs[0][2]["notebooks"]) + (f"; {' '.join(extra)}" if extra else ""))
    print(f"{'corpus':<20} {'docs':>5} {'cache':<5} {'wall s':>7} {'target':>5} {'ratio':>5} "
          f"{'CPU s':>7} {'load':>5}")
    for name, kind, result in runs:
        print(_line(name, kind, result))
    print("per notebook (s, as provenance.json records them):")
    for name, kind, result in runs:
        print(f"  {name} {kind}: " + ", ".join(f"{stem} {seconds:.1f}"
                                              for stem, seconds in result["notebooks"].items()))
    return 0 if not any(result["failed"] for _, _, result in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
