"""Build a small multi-document test corpus from the shared research data, at test time.

The corpus is a fixed sample of the field corpus (real web news of many outlets, 2004-05,
dated and undated) and of Reuters-21578 (1987 newswire), written out in every input format
that :mod:`analystkit.corpus` reads, plus a few inputs that must be skipped. Nothing from the
data is committed: :func:`build_test_corpus` reads ``../shared/data`` when the tests run and
writes into a temporary folder. The same inputs give the same corpus on every run.

Layout (top-level folders are prefixed so that the loader, which reads a folder in path
order, meets every original before its duplicate)::

    a_field/front_matter/*.txt     YAML front matter: title, date (when known), source, url
    a_field/sidecar_yaml/*.txt     + NAME.meta.yaml beside it
    a_field/sidecar_json/*.txt     + NAME.meta.json beside it
    a_field/plain/*.txt            text only (the headline is the first line)
    a_field/markdown/*.md          front matter and a "# " heading, or bare text
    a_field/html/*.html            <title>, <meta> date/site/url, a script, a style, <p>s
    a_field/articles.jsonl         one record a line; one line is not JSON
    a_field/articles.csv           one record a row; one row has an empty text cell
    b_reuters/stories.jsonl        dated, with Reuters' own fields (dateline, topics, places)
    b_reuters/stories.csv          dated
    b_reuters/undated/*.txt        no date; the text starts with its dateline ("PARIS, May 3 -")
    b_reuters/bad_date/*.txt       front matter with an ambiguous numeric date (left empty)
    c_bad/...                      empty, binary, cp1252, malformed front matter, duplicate,
                                   unsupported type, hidden file (see :data:`BAD_INPUTS`)
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
FIELD_FILE = Path("field") / "wikinews-sources.jsonl"
REUTERS_FILE = Path("reuters21578.jsonl")

MAX_CHARS = 3000
"""Texts longer than this are cut at the last line break before it (annotation stays fast)."""
N_FIELD_DATED = 10
N_FIELD_UNDATED = 14
N_REUTERS = 15
REUTERS_STEP = 1300
REUTERS_MIN_CHARS = 500

FIELD_FORMATS = ("front_matter", "sidecar_yaml", "sidecar_json", "plain", "markdown", "html",
                 "jsonl", "csv")

BAD_INPUTS: dict[tuple[str, int | None], frozenset[str]] = {
    ("c_bad/empty.txt", None): frozenset({"empty"}),
    ("c_bad/blank.md", None): frozenset({"empty"}),
    ("c_bad/binary.txt", None): frozenset({"binary"}),
    ("c_bad/bad_front_matter.txt", None): frozenset({"bad_front_matter"}),
    ("c_bad/duplicate.txt", None): frozenset({"duplicate"}),
    ("c_bad/scan.pdf", None): frozenset({"unsupported"}),
    ("c_bad/.DS_Store", None): frozenset({"hidden"}),
    # A real article saved as Windows-1252: skipped as undecodable, or read once the
    # encoding is detected ("ok", with the guess in the manifest).
    ("c_bad/cp1252.txt", None): frozenset({"undecodable", "ok"}),
}
"""Inputs that must not become documents as they are: ``(path relative to the corpus, record)``
-> the manifest ``kind`` values accepted for them (``"ok"`` means: read, status ``ok``).
The not-JSON line and the empty CSV cell are added by :func:`build_test_corpus` (their record
numbers depend on the sample) and listed by :func:`bad_inputs`."""


def shared_data_dir(shared: str | Path | None = None) -> Path:
    """The research data folder: ``shared`` if given, else ``<repo>/../shared/data``."""
    return Path(shared) if shared is not None else SHARED


def _cap(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut at the last line break before ``limit`` (a sentence end if none)."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(". ", 0, limit) + 1
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip()


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def field_sample(shared: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The field articles used, and the rest, by a fixed rule.

    Rule: in id order, every second dated article (up to :data:`N_FIELD_DATED`) and every
    eighth undated one (up to :data:`N_FIELD_UNDATED`), each with a non-empty title; the two
    lists are interleaved so that every format gets dated and undated articles.
    """
    rows = sorted(_jsonl(shared / FIELD_FILE), key=lambda row: row["id"])
    dated = [row for row in rows if row.get("date") and row.get("title")][::2][:N_FIELD_DATED]
    undated = [row for row in rows if not row.get("date") and row.get("title")]
    undated = undated[::8][:N_FIELD_UNDATED]
    chosen: list[dict[str, Any]] = []
    for index in range(max(len(dated), len(undated))):
        chosen.extend(group[index] for group in (undated, dated) if index < len(group))
    used = {row["id"] for row in chosen}
    return chosen, [row for row in rows if row["id"] not in used]


def reuters_sample(shared: Path) -> list[dict[str, Any]]:
    """Reuters stories by a fixed rule: the first story of at least
    :data:`REUTERS_MIN_CHARS` characters at or after every :data:`REUTERS_STEP`-th line."""
    chosen: list[dict[str, Any]] = []
    with (shared / REUTERS_FILE).open(encoding="utf-8") as handle:
        wanted = 0
        for line_no, line in enumerate(handle):
            if line_no < wanted:
                continue
            row = json.loads(line)
            if len(row.get("text") or "") >= REUTERS_MIN_CHARS and row.get("title"):
                chosen.append(row)
                if len(chosen) == N_REUTERS:
                    break
                wanted = (line_no // REUTERS_STEP + 1) * REUTERS_STEP
    return chosen


def _name(row: dict[str, Any]) -> str:
    return str(row["id"]).replace("/", "_")


def _front_matter(meta: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def _meta(row: dict[str, Any], *, with_date: bool = True) -> dict[str, Any]:
    meta = {"title": row["title"], "source": row.get("source"), "url": row.get("url")}
    if with_date and row.get("date"):
        meta["date"] = row["date"]
    return {key: value for key, value in meta.items() if value}


def _html_page(row: dict[str, Any], text: str) -> str:
    esc = html.escape
    head = [f"<title>{esc(row['title'])}</title>",
            f'<meta property="og:site_name" content="{esc(row.get("source") or "")}">',
            f'<meta property="og:url" content="{esc(row.get("url") or "")}">']
    if row.get("date"):
        head.append(f'<meta property="article:published_time" content="{esc(row["date"])}">')
    # Script and style carry words that must never reach the document text.
    head.append("<script>var trackingPixel = 'SCRIPT_MUST_NOT_LEAK';</script>")
    head.append("<style>p { color: STYLE_MUST_NOT_LEAK; }</style>")
    paragraphs = "\n".join(f"<p>{esc(line)}</p>" for line in text.split("\n") if line.strip())
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "\n".join(head) + "\n</head>\n<body>\n<article>\n" + paragraphs
            + "\n<script>document.write('SCRIPT_MUST_NOT_LEAK')</script>\n</article>\n"
            "</body>\n</html>\n")


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: ("" if row.get(key) is None else row[key]) for key in columns})


def build_test_corpus(out_dir: str | Path, *, shared: str | Path | None = None) -> Path:
    """Write the multi-document test corpus into ``out_dir``.

    Args:
        out_dir: Folder to write into (created; should be empty, e.g. a pytest tmp dir).
        shared: The research data folder (default: ``<repo>/../shared/data``).

    Returns:
        ``out_dir`` as a ``Path``; load it with ``analystkit.load_corpus(out_dir)``.

    Raises:
        FileNotFoundError: If the field corpus or Reuters file is not under ``shared``.
    """
    shared = shared_data_dir(shared)
    for needed in (shared / FIELD_FILE, shared / REUTERS_FILE):
        if not needed.is_file():
            raise FileNotFoundError(f"multi-document test corpus needs {needed}")
    out = Path(out_dir)
    chosen, rest = field_sample(shared)
    stories = reuters_sample(shared)

    field_dir = out / "a_field"
    for sub in FIELD_FORMATS[:6]:
        (field_dir / sub).mkdir(parents=True, exist_ok=True)
    jsonl_rows: list[dict[str, Any]] = []
    csv_rows: list[dict[str, Any]] = []
    for index, row in enumerate(chosen):
        text = _cap(row["text"])
        fmt = FIELD_FORMATS[index % len(FIELD_FORMATS)]
        name = _name(row)
        if fmt == "front_matter":
            (field_dir / fmt / f"{name}.txt").write_text(_front_matter(_meta(row)) + text + "\n",
                                                         encoding="utf-8")
        elif fmt == "sidecar_yaml":
            (field_dir / fmt / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
            (field_dir / fmt / f"{name}.meta.yaml").write_text(
                yaml.safe_dump(_meta(row), sort_keys=False, allow_unicode=True), encoding="utf-8")
        elif fmt == "sidecar_json":
            (field_dir / fmt / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
            (field_dir / fmt / f"{name}.meta.json").write_text(
                json.dumps(_meta(row), ensure_ascii=False), encoding="utf-8")
        elif fmt == "plain":
            (field_dir / fmt / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        elif fmt == "markdown":
            # Alternate: front matter + a Markdown heading, or the bare text.
            body = (_front_matter(_meta(row)) + f"# {row['title']}\n\n" + text
                    if (index // len(FIELD_FORMATS)) % 2 == 0 else text)
            (field_dir / fmt / f"{name}.md").write_text(body + "\n", encoding="utf-8")
        elif fmt == "html":
            (field_dir / fmt / f"{name}.html").write_text(_html_page(row, text),
                                                          encoding="utf-8")
        elif fmt == "jsonl":
            jsonl_rows.append({"id": row["id"], "title": row["title"], "date": row.get("date"),
                               "source": row.get("source"), "url": row.get("url"),
                               "text": text})
        else:
            csv_rows.append({**_meta(row), "id": row["id"], "text": text})

    # JSONL: a line that is not JSON in the middle; the lines after it must still load.
    lines = [json.dumps(record, ensure_ascii=False) for record in jsonl_rows]
    lines.insert(len(lines) // 2 + 1, '{"id": "broken", "text": "no closing brace"')
    (field_dir / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # CSV: a row whose text cell is empty, between two good rows.
    csv_rows.insert(len(csv_rows) // 2 + 1, {"id": "no-text", "title": "A row without text",
                                             "text": ""})
    _write_csv(field_dir / "articles.csv", csv_rows,
               ["id", "title", "date", "source", "url", "text"])

    reuters_dir = out / "b_reuters"
    (reuters_dir / "undated").mkdir(parents=True, exist_ok=True)
    (reuters_dir / "bad_date").mkdir(parents=True, exist_ok=True)
    records = [{"id": row["id"], "title": row["title"], "date": row["date"],
                "dateline": " ".join(str(row.get("dateline") or "").split()) or None,
                "topics": row.get("topics"), "places": row.get("places"),
                "text": _cap(row["text"])} for row in stories]
    thirds = len(records) // 3
    (reuters_dir / "stories.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:thirds]),
        encoding="utf-8")
    _write_csv(reuters_dir / "stories.csv", records[thirds:2 * thirds],
               ["id", "title", "date", "dateline", "text"])
    for number, record in enumerate(records[2 * thirds:]):
        # Undated, as a wire story pasted from a feed: the dateline opens the text.
        text = (f"{record['dateline']} - " if record["dateline"] else "") + record["text"]
        if number % 3 == 2:
            day = record["date"]  # YYYY-MM-DD -> MM/DD/YYYY, which the loader must not guess
            ambiguous = f"{day[5:7]}/{day[8:10]}/{day[:4]}"
            content = _front_matter({"title": record["title"], "date": ambiguous}) + text
            (reuters_dir / "bad_date" / f"{record['id']}.txt").write_text(content + "\n",
                                                                          encoding="utf-8")
        else:
            (reuters_dir / "undated" / f"{record['id']}.txt").write_text(text + "\n",
                                                                         encoding="utf-8")

    bad = out / "c_bad"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.md").write_text("  \n\n\t\n", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (bad / "bad_front_matter.txt").write_text(
        "---\ntitle: [an unclosed list\ndate: 2004-12-02\n---\n"
        "Officials said on Monday that the meeting would go ahead.\n", encoding="utf-8")
    # The same text as the first front-matter article (its body, without the front matter).
    first = chosen[FIELD_FORMATS.index("front_matter")]
    (bad / "duplicate.txt").write_text(_cap(first["text"]) + "\n", encoding="utf-8")
    (bad / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(32))  # a desktop's litter
    (bad / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    # A real article that needs more than ASCII, saved as Windows-1252 (not valid UTF-8).
    legacy = next(row for row in rest if _cp1252_only(_cap(row["text"])))
    (bad / "cp1252.txt").write_bytes((_cap(legacy["text"]) + "\n").encode("cp1252"))
    return out


def _cp1252_only(text: str) -> bool:
    """Encodable in cp1252, with at least one byte that is not valid UTF-8 on its own."""
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def bad_inputs(corpus_dir: str | Path) -> dict[tuple[str, int | None], frozenset[str]]:
    """:data:`BAD_INPUTS` plus the bad records inside the JSONL and CSV files of a built corpus.

    Args:
        corpus_dir: A folder written by :func:`build_test_corpus`.

    Returns:
        ``(relative path, record)`` -> accepted manifest kinds.
    """
    corpus_dir = Path(corpus_dir)
    found = dict(BAD_INPUTS)
    jsonl = corpus_dir / "a_field" / "articles.jsonl"
    for line_no, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith('{"id": "broken"'):
            found[("a_field/articles.jsonl", line_no)] = frozenset({"bad_json"})
    with (corpus_dir / "a_field" / "articles.csv").open(encoding="utf-8", newline="") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), 2):
            if row["id"] == "no-text":
                found[("a_field/articles.csv", row_no)] = frozenset({"empty"})
    return found


def expected_inputs(corpus_dir: str | Path) -> dict[str, list[int] | None]:
    """Every input under ``corpus_dir`` counted from the files themselves, not the loader.

    Args:
        corpus_dir: Any corpus folder (a built one, or ``seeds/``).

    Returns:
        Path (as the loader names it) -> the record numbers it holds (JSONL: non-blank line
        numbers; CSV: row numbers, the header being row 1), or ``None`` for a single document.
        Metadata sidecars are not inputs.
    """
    from analystkit.corpus import SIDECAR_SUFFIXES

    corpus_dir = Path(corpus_dir)
    result: dict[str, list[int] | None] = {}
    for path in sorted(corpus_dir.rglob("*")):
        if path.is_dir() or any(path.name.endswith(s) for s in SIDECAR_SUFFIXES):
            continue
        suffix = path.suffix.lower()
        records: list[int] | None = None
        try:
            if suffix == ".jsonl":
                lines = path.read_bytes().splitlines()
                records = [n for n, line in enumerate(lines, 1) if line.strip()]
            elif suffix == ".csv":
                content = path.read_bytes().decode("utf-8", "surrogateescape")
                # Blank rows are not records (csv.DictReader passes over them).
                rows = [row for row in csv.reader(content.splitlines(True)) if row]
                records = list(range(2, len(rows) + 1))
        except (UnicodeDecodeError, csv.Error):
            records = []  # unreadable container: the whole file is one skipped row
        result[str(path)] = records
    return result


if __name__ == "__main__":  # `python tests/multidoc.py OUT`: write the corpus for nbval runs
    import shutil
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: python tests/multidoc.py OUT_DIR")
    target = Path(sys.argv[1])
    shutil.rmtree(target, ignore_errors=True)  # same corpus every run, nothing left over
    print(build_test_corpus(target))
