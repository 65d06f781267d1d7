"""Properties of the whole kit on many documents: ``seeds/`` and the multi-document corpus.

The multi-document corpus (``tests/multidoc.py``) is a fixed sample of real web news and of
Reuters written out in every input format, with and without dates, plus bad inputs; it is
built at test time from ``../shared/data`` and these tests skip, saying so, without it.
Each property must hold for every row of every table: a rule that only holds for one
document is wrong.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from multidoc import (
    bad_inputs,
    build_test_corpus,
    expected_inputs,
    field_sample,
    shared_data_dir,
)

import analystkit as ak
from analystkit.cli import main as cli_main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
NOTEBOOKS = REPO / "notebooks"
PLACEHOLDER = dt.date(2000, 1, 1)
EARLIEST = dt.date(1900, 1, 1)
YEAR = pd.Timedelta(days=366)  # "the prior year", "the next day": a shift from a written date
CORPORA = ["seeds", pytest.param("multidoc", marks=pytest.mark.multidoc)]


def _collapse(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture(scope="module", params=CORPORA)
def corpus_path(request) -> Path:
    """Each corpus in turn: ``seeds/``, then the built multi-document corpus."""
    if request.param == "seeds":
        return SEEDS
    return request.getfixturevalue("multidoc_corpus")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpora-cache")


@pytest.fixture(scope="module")
def analysis(corpus_path: Path, cache_dir: Path) -> ak.Analysis:
    """One :class:`analystkit.Analysis` per corpus, with the default options."""
    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    return ak.Analysis(corpus_path, cache_dir=cache_dir)


def _run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _day(value) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


# ------------------------------------------------------------------ loading (no model)

def test_every_input_is_in_the_manifest(corpus_path: Path):
    corpus = ak.load_corpus(corpus_path)
    manifest = corpus.manifest
    expected = expected_inputs(corpus_path)
    assert set(manifest["path"]) == set(expected), "inputs missing from (or foreign to) manifest"
    for path, records in expected.items():
        rows = manifest[manifest["path"] == path]
        whole_file = rows[rows["record"].isna()]
        if records is None:
            assert len(rows) == 1 and len(whole_file) == 1, f"{path}: {len(rows)} manifest rows"
        elif len(whole_file):  # a container skipped as a whole (binary, no text column)
            assert len(rows) == 1 and whole_file.iloc[0]["status"] == "skipped", path
        else:
            assert sorted(rows["record"].astype(int)) == records, f"{path}: records lost"
    assert set(manifest["status"]) <= {"ok", "skipped"}
    skipped = manifest[manifest["status"] == "skipped"]
    assert skipped["reason"].str.len().gt(0).all() and skipped["kind"].str.len().gt(0).all()
    ok = manifest[manifest["status"] == "ok"]
    assert list(ok["doc_id"]) == [document.doc_id for document in corpus]
    assert ok["doc_id"].is_unique


@pytest.mark.multidoc
def test_the_built_corpus_is_the_same_on_every_run(multidoc_corpus: Path, tmp_path: Path):
    again = build_test_corpus(tmp_path / "again")

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(multidoc_corpus), files(again)
    assert first == second
    assert 30 <= len(ak.load_corpus(again)) <= 50  # ~40 documents: annotation stays fast


@pytest.mark.multidoc
def test_bad_inputs_are_skipped_with_their_reason(multidoc_corpus: Path):
    manifest = ak.load_corpus(multidoc_corpus).manifest
    relative = manifest["path"].map(lambda p: Path(p).relative_to(multidoc_corpus).as_posix())
    for (path, record), kinds in bad_inputs(multidoc_corpus).items():
        at = relative == path
        at &= manifest["record"].isna() if record is None else manifest["record"].eq(record)
        rows = manifest[at]
        assert len(rows) == 1, f"{path} record {record}: {len(rows)} manifest rows"
        row = rows.iloc[0]
        if row["status"] == "ok":
            assert "ok" in kinds, f"{path} record {record} was read: {row['reason']}"
        else:
            assert row["kind"] in kinds, f"{path} record {record}: {row['kind']} {row['reason']}"


@pytest.mark.multidoc
def test_formats_keep_their_metadata(multidoc_corpus: Path):
    """Dates, titles and sources written in each format reach the documents; none is made up."""
    written = {row["id"]: row for row in field_sample(shared_data_dir())[0]}
    corpus = ak.load_corpus(multidoc_corpus)
    checked = 0
    for document in corpus:
        path = Path(document.path)
        key = path.stem if document.record is None else document.doc_id.rsplit("-", 1)[0]
        row = written.get(key)
        if row is None:
            continue
        text = path.read_text(encoding="utf-8")
        carries = path.suffix in (".jsonl", ".csv", ".html") or text.startswith("---") \
            or any(path.with_name(path.stem + s).is_file() for s in (".meta.yaml", ".meta.json"))
        if carries:
            assert document.date == (dt.date.fromisoformat(row["date"]) if row["date"] else None)
            assert document.source == row["source"] and document.title == row["title"]
        else:
            assert document.date is None, f"{document.doc_id}: a date from nowhere"
        if path.suffix == ".html":
            assert "MUST_NOT_LEAK" not in document.text and "<p>" not in document.text
        checked += 1
    assert checked == len(written)


# ----------------------------------------------------------------- tables (model-backed)

@pytest.mark.model
def test_mention_spans_point_into_their_text(analysis: ak.Analysis):
    texts = analysis.texts
    mentions = analysis.mentions
    assert not mentions.empty
    assert set(mentions["doc_id"]) <= set(texts)
    bad = [(d, s, e, t) for d, s, e, t in zip(mentions["doc_id"], mentions["start_char"],
                                              mentions["end_char"], mentions["text"], strict=True)
           if not 0 <= s < e <= len(texts[d]) or texts[d][s:e] != t]
    assert not bad, f"{len(bad)} mention spans do not match their text, e.g. {bad[:3]}"


@pytest.mark.model
def test_one_canonical_name_per_entity_id(analysis: ak.Analysis):
    named = analysis.mentions.dropna(subset=["entity_id"])
    names = named.groupby("entity_id", observed=True)["canonical"].unique()
    several = {entity_id: list(values) for entity_id, values in names.items() if len(values) > 1}
    assert not several, f"{len(several)} entity ids with several canonical names, e.g. " \
        + "; ".join(f"{k}: {v}" for k, v in list(several.items())[:5])


@pytest.mark.model
def test_entity_frequency_sums(analysis: ak.Analysis):
    named = analysis.mentions.dropna(subset=["entity_id"])
    frequency = analysis.frequency
    assert frequency["entity_id"].is_unique
    assert int(frequency["mentions"].sum()) == len(named)
    per_entity = named.groupby("entity_id", observed=True)["doc_id"].nunique()
    assert frequency.set_index("entity_id")["documents"].to_dict() == per_entity.to_dict()
    assert frequency["documents"].le(len(analysis.corpus)).all()
    assert frequency["documents"].le(frequency["mentions"]).all()
    # first_doc/first_char point at one of the entity's own mentions
    starts = set(zip(named["entity_id"], named["doc_id"], named["start_char"], strict=True))
    firsts = zip(frequency["entity_id"], frequency["first_doc"], frequency["first_char"],
                 strict=True)
    assert all(first in starts for first in firsts)


@pytest.mark.model
def test_statement_spans_and_evidence_are_in_their_document(analysis: ak.Analysis):
    texts = analysis.texts
    statements = analysis.statements
    assert not statements.empty
    problems = []
    for row in statements.itertuples():
        text = texts[row.doc_id]
        parts = {"cue": (row.cue_start, row.cue_end, row.cue),
                 "content": (row.content_start, row.content_end, row.content)}
        if pd.notna(row.source_start):
            parts["source"] = (int(row.source_start), int(row.source_end), row.source)
        for role, (start, end, written) in parts.items():
            if not row.start_char <= start < end <= row.end_char <= len(text):
                problems.append((row.doc_id, role, "offsets", start, end))
            elif _collapse(text[start:end]) != _collapse(written):
                problems.append((row.doc_id, role, "text", written))
        if _collapse(text[row.start_char:row.end_char]) not in row.evidence \
                or row.evidence not in _collapse(text):
            problems.append((row.doc_id, "evidence", row.start_char, row.evidence[:60]))
    assert not problems, f"{len(problems)} statement spans outside their document: {problems[:5]}"


@pytest.mark.model
def test_every_statement_target_has_its_own_polarity(analysis: ak.Analysis):
    statements = analysis.statements.set_index("statement_id")
    targets = analysis.statement_targets
    mentions = set(zip(analysis.mentions["doc_id"], analysis.mentions["start_char"],
                       analysis.mentions["end_char"], strict=True))
    assert not targets.empty
    by_statement = targets.groupby("statement_id")["target_entity"].apply(set).to_dict()
    problems = []
    for statement_id, row in statements.iterrows():
        named = set(filter(None, str(row["targets"] or "").split("|"))) \
            if pd.notna(row["targets"]) else set()
        if named != by_statement.get(statement_id, set()):
            problems.append((statement_id, "targets", named, by_statement.get(statement_id)))
    for row in targets.itertuples():
        statement = statements.loc[row.statement_id]
        if row.polarity not in ("negative", "neutral", "positive") \
                or pd.isna(row.polarity_score):
            problems.append((row.statement_id, row.target_entity, "no polarity"))
        if row.doc_id != statement["doc_id"] or (row.doc_id, row.target_start,
                                                 row.target_end) not in mentions \
                or not statement["content_start"] <= row.target_start \
                < row.target_end <= statement["content_end"]:
            problems.append((row.statement_id, row.target_entity, "target span"))
    assert not problems, f"{len(problems)} (statement, target) problems: {problems[:5]}"


@pytest.mark.model
def test_timex_and_event_spans_are_in_their_document(analysis: ak.Analysis):
    texts = analysis.texts
    problems = []
    timexes = analysis.timexes
    assert not timexes.empty and not analysis.events.empty
    for row in timexes.itertuples():
        text = texts[row.doc_id]
        if not 0 <= row.start_char < row.end_char <= len(text) \
                or text[row.start_char:row.end_char] != row.text:
            problems.append(("timex", row.doc_id, row.start_char, row.text))
    for row in analysis.events.itertuples():
        text = texts[row.doc_id]
        whole = _collapse(text)
        if not 0 <= row.start_char < row.end_char <= len(text):
            problems.append(("event offsets", row.doc_id, row.start_char))
        elif _collapse(text[row.start_char:row.end_char]) not in row.evidence \
                or row.evidence not in whole:
            problems.append(("event evidence", row.doc_id, row.start_char, row.evidence[:60]))
        if pd.notna(row.timex) and _collapse(row.timex) not in whole:
            problems.append(("event timex", row.doc_id, row.timex))
    assert not problems, f"{len(problems)} spans outside their document: {problems[:5]}"


# A year before 1900 is a date only when written as one: "in 1886", "since the 1880s"
# (so that phone numbers, prices and counts never become years).
_YEAR_BEFORE = re.compile(r"\b(?:in|since|from|until|till|by|before|after|of|between|and|to"
                          r"|around|circa)\s+(?:the\s+(?:early\s+|late\s+|mid-?)?)?$",
                          re.IGNORECASE)


def _date_problem(day: dt.date, expression: str, before: str, dct: dt.date | None
                  ) -> str | None:
    """Why a calendar date taken from ``expression`` cannot be right, or None.

    Args:
        day: The date (a first or last day).
        expression: The temporal expression as written.
        before: The document text just before the expression.
        dct: The document's reference date.
    """
    if day < EARLIEST:
        # the year itself, its decade ("the 1880s" ends on 1889-12-31) or its century
        # ("the late 1800s", "the 19th century": 1800-1899)
        written = str(day.year) in expression or str(day.year)[:3] in expression or re.search(
            rf"\b{day.year // 100}00s|\b{day.year // 100 + 1}th[- ]century", expression)
        if not (written and _YEAR_BEFORE.search(before[-30:])):
            return "before 1900 and not written as a year"
    if day == PLACEHOLDER and "2000" not in expression and (dct is None or dct.year != 2000):
        return "placeholder 2000-01-01"
    return None


@pytest.mark.parametrize(("day", "expression", "before", "dct", "bad"), [
    (dt.date(1800, 1, 1), "1800", "Call the hotline on ", None, True),   # a phone number
    (dt.date(1010, 1, 1), "1010", "the shares closed at Rs ", None, True),  # a price
    (dt.date(1886, 1, 1), "1886", "the firm was founded in ", None, False),
    (dt.date(1889, 12, 31), "the 1880s", "since ", None, False),
    (dt.date(1899, 12, 31), "the late 1800s", "date to ", None, False),
    (dt.date(1800, 1, 1), "the 19th century", "since ", None, False),
    (PLACEHOLDER, "now", "", None, True),                 # a vague word on the stand-in DCT
    (PLACEHOLDER, "later this year", "", dt.date(2000, 2, 29), False),
    (PLACEHOLDER, "January 2000", "in ", None, False),
])
def test_date_problem(day, expression, before, dct, bad):
    assert (_date_problem(day, expression, before, dct) is not None) is bad


@pytest.mark.model
def test_no_date_before_1900_or_placeholder(analysis: ak.Analysis):
    texts, references = analysis.texts, analysis.reference_dates
    problems, accepted = [], set()
    for row in analysis.timexes.itertuples():
        dct = references[row.doc_id].date
        before = texts[row.doc_id][:row.start_char]
        found = [(column, why) for column in ("date", "date_end")
                 if (day := _day(getattr(row, column))) is not None
                 and (why := _date_problem(day, row.text, before, dct))]
        problems += [(row.doc_id, "timex", column, row.text, why) for column, why in found]
        if not found:
            accepted.add((row.doc_id, row.text))
        dct_in_table = _day(row.dct)
        if dct_in_table is not None and (dct_in_table < EARLIEST or dct_in_table == PLACEHOLDER):
            problems.append((row.doc_id, "dct", str(dct_in_table)))
    for row in analysis.events.itertuples():
        if pd.isna(row.date) or pd.notna(row.anchor):
            continue  # undated, or dated through another event
        if pd.isna(row.timex) or (row.doc_id, row.timex) not in accepted:
            day = _day(row.date)
            if day < EARLIEST or day == PLACEHOLDER:
                problems.append((row.doc_id, "event", str(day), row.timex))
    for doc_id, reference in references.items():
        if reference.date is not None and (reference.date < EARLIEST
                                           or reference.date == PLACEHOLDER):
            problems.append((doc_id, "reference date", str(reference.date), reference.source))
    assert not problems, f"{len(problems)} impossible or placeholder dates: {problems[:8]}"


@pytest.mark.model
def test_tables_use_the_analysis_reference_dates(analysis: ak.Analysis):
    """Timexes and events describe each document's reference date as the analysis does."""
    from analystkit.timeline import describe_reference_date

    references = analysis.reference_dates
    assert set(references) == set(analysis.texts)
    described = {doc_id: describe_reference_date(ref) for doc_id, ref in references.items()}
    problems = []
    for name, frame in (("timexes", analysis.timexes), ("events", analysis.events)):
        for doc_id, source in zip(frame["doc_id"], frame["dct_source"], strict=True):
            if source != described[doc_id]:
                problems.append((name, doc_id, source, described[doc_id]))
    for row in analysis.timexes.itertuples():
        if _day(row.dct) != references[row.doc_id].date:
            problems.append(("timexes dct", row.doc_id, str(row.dct)))
    assert not problems, f"{len(problems)} rows disagree on the reference date: {problems[:5]}"


@pytest.mark.model
def test_undated_documents_get_relative_labels_not_calendar_dates(analysis: ak.Analysis):
    """Without a reference date nothing is dated from the unknown publication date: an
    expression that depends on another date (``anchored``) has a calendar date only when
    that date is written earlier in the text ("in 2003 ... that year"; at most a year away:
    "1987 results ... up from the prior year"), and an event keeps the relative label of
    its expression."""
    undated = {doc_id for doc_id, ref in analysis.reference_dates.items() if ref.date is None}
    timexes = analysis.timexes[analysis.timexes["doc_id"].isin(undated)]
    written = timexes[~timexes["anchored"].astype(bool) & timexes["date"].notna()]
    problems, dated_from_text = [], set()
    for row in timexes.itertuples():
        if row.anchored and (pd.notna(row.date) or pd.notna(row.date_end)):
            earlier = written[(written["doc_id"] == row.doc_id)
                              & (written["start_char"] < row.start_char)
                              & (written["date"] <= row.date_end + YEAR)
                              & (written["date_end"] >= row.date - YEAR)]
            if earlier.empty:
                problems.append(("timex dated", row.doc_id, row.text, str(row.date)))
                continue
        if pd.notna(row.date):
            dated_from_text.add((row.doc_id, row.text))
        if row.precision == "relative" and pd.isna(row.relative):
            problems.append(("timex without label", row.doc_id, row.text))
    by_text: dict[tuple[str, str], list] = {}
    for row in timexes.itertuples():
        by_text.setdefault((row.doc_id, row.text), []).append(row)
    events = analysis.events[analysis.events["doc_id"].isin(undated)]
    for row in events.itertuples():
        if pd.isna(row.timex):
            continue
        sources = by_text.get((row.doc_id, row.timex), [])
        if pd.notna(row.date) and pd.isna(row.anchor) \
                and (row.doc_id, row.timex) not in dated_from_text:
            problems.append(("event dated", row.doc_id, row.timex, str(row.date)))
        if pd.isna(row.date) and any(pd.notna(t.relative) for t in sources) \
                and pd.isna(row.relative):
            problems.append(("event lost its label", row.doc_id, row.timex))
    assert not problems, f"{len(problems)} problems in undated documents: {problems[:8]}"


@pytest.mark.model
def test_cli_stance_matches_the_analysis(analysis: ak.Analysis, corpus_path: Path,
                                         cache_dir: Path):
    code, out, err = _run_cli("stance", str(corpus_path), "--format", "csv",
                              "--cache-dir", str(cache_dir))
    assert code == 0, err
    cli = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values=[""])
    api = analysis.stance_matrix()
    assert list(cli.columns) == list(api.columns)
    keys = ["source_entity", "target_entity"]
    cli = cli.sort_values(keys, kind="stable").reset_index(drop=True)
    api = api.sort_values(keys, kind="stable").reset_index(drop=True)
    assert cli[keys].astype(str).values.tolist() == api[keys].astype(str).values.tolist()
    assert cli["statements"].tolist() == api["statements"].astype(int).tolist()
    assert cli["mean_polarity"].astype(float).tolist() == pytest.approx(
        api["mean_polarity"].astype(float).tolist(), abs=1e-9, nan_ok=True)
    for column in ("quad_class", "evidence"):
        assert cli[column].astype(str).tolist() == api[column].astype(str).tolist(), column


@pytest.mark.model
def test_cli_timeline_keeps_the_events_of_undated_documents(analysis: ak.Analysis,
                                                            corpus_path: Path, cache_dir: Path):
    code, out, err = _run_cli("timeline", str(corpus_path), "--format", "csv",
                              "--cache-dir", str(cache_dir))
    assert code == 0, err
    cli = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values=[""])
    timeline = analysis.timeline
    placed = timeline[timeline["date"].notna() | timeline["relative"].notna()]
    assert sorted(zip(cli["doc_id"], cli["start_char"], strict=True)) \
        == sorted(zip(placed["doc_id"], placed["start_char"], strict=True))
    undated = {doc_id for doc_id, ref in analysis.reference_dates.items() if ref.date is None}
    relative = placed[placed["doc_id"].isin(undated) & placed["relative"].notna()]
    shown = cli[cli["doc_id"].isin(undated)]
    if undated:  # their events are shown, placed by their relative labels
        assert len(relative) > 0
    assert shown["relative"].notna().sum() == len(relative)


# -------------------------------------------------------------------- the whole report

@pytest.mark.model
@pytest.mark.slow
@pytest.mark.multidoc
def test_report_runs_on_the_multidoc_corpus(multidoc_corpus: Path, tmp_path: Path):
    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    out = tmp_path / "reports"
    code, stdout, err = _run_cli("report", "--seeds", str(multidoc_corpus), "--out", str(out),
                                 "--notebooks", str(NOTEBOOKS))
    assert code == 0, err
    pages = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert pages
    for notebook in pages:
        page = out / f"{notebook.stem}.html"
        assert page.is_file(), f"no report for {notebook.name}"
        assert "Traceback" not in page.read_text(encoding="utf-8"), page.name
        executed = json.loads((out / "executed" / notebook.name).read_text(encoding="utf-8"))
        for cell in executed["cells"]:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", f"{notebook.name}: {output.get('ename')}"
                text = "".join(output.get("text", ""))
                assert not re.search(r"Traceback|\w*Error:", text), f"{notebook.name}: {text}"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{notebook.stem}.html"' in index for notebook in pages)
    assert f"{len(ak.load_corpus(multidoc_corpus))} documents" in index
