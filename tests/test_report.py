"""Reports: papermill run, offline HTML without code, literal "$", escaped document text,
a failed notebook that stops nothing else, parameters checked first, defects counted,
provenance on every page, parallel runs equal to serial ones."""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analystkit.errors import ReportError
from analystkit.parameters import ParameterError
from analystkit.report import (
    PageDefects,
    build_reports,
    count_defects,
    count_notes,
    export_html,
    parse_param,
    plural,
)

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, *extra_cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('corpus_path = "nowhere"\nmodel = None\ntop_n = 3')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Prices report\n\nOil rose from $5 to $6 a barrel."),
        params,
        nbformat.v4.new_code_cell(
            "import analystkit as ak\n"
            "corpus = ak.load_corpus(corpus_path)\n"
            "text = corpus.documents[0].text\n"
            "print('SECRET_SOURCE_LINE', top_n)\n"
            "print(text)\n"
            "ak.documents_table(corpus)[['doc_id', 'title']].assign(text=text)"),
        nbformat.v4.new_code_cell(
            "from analystkit import plots\nimport pandas as pd\n"
            "plots.bar_chart(pd.DataFrame({'k': ['a'], 'v': [1]}), label='k', value='v', "
            "title='chart', xlabel='v', ylabel='k');"),
        # the contract with analystkit.display: whole tables go to this folder as CSV
        nbformat.v4.new_code_cell(
            "import os, pathlib\n"
            "folder = pathlib.Path(os.environ['ANALYSTKIT_REPORT_TABLES_DIR'])\n"
            "assert folder.is_absolute() and folder.is_dir(), folder\n"
            "(folder / 'probe.csv').write_text('a\\n1\\n')"),
        *(nbformat.v4.new_code_cell(source) for source in extra_cells),
    ]
    nbformat.write(nb, str(path))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    _notebook(tmp_path / "notebooks" / "00_prices.ipynb")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(
        "Hostile Headline <script>alert('x')</script>\n\nIt cost $5 and then $10 in total.\n")
    return tmp_path


@pytest.fixture
def english_model() -> None:
    """Skips a test that runs the real notebooks when the English pipeline is missing."""
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")


@pytest.mark.slow
def test_report_is_offline_escaped_and_indexed(project: Path, capfd):
    out = project / "reports"
    result = build_reports(corpus_path=project / "seeds", out_dir=out,
                           notebooks_dir=project / "notebooks", model="blank:en",
                           parameters={"top_n": 7})
    page = (out / "00_prices.html").read_text()
    # no script from the network, no MathJax / require.js
    assert not re.search(r"<script[^>]+src=", page)
    assert "mathjax" not in page.lower() and "require.js" not in page
    # code cells are hidden, outputs and the injected parameter are there
    assert "import analystkit" not in page and "SECRET_SOURCE_LINE 7" in page
    # "$" stays literal in markdown and in outputs; document text is escaped, never live
    assert "Oil rose from $5 to $6 a barrel." in page
    # charts are embedded as images (inline backend; an exported MPLBACKEND=Agg hid them)
    assert re.search(r'<img[^>]*src="data:image/png;base64', page)
    assert "$5 and then $10" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    listing = result.index.read_text()
    assert 'href="00_prices.html"' in listing and "Prices report" in listing
    assert "1 document," in listing and "1 documents" not in listing and "en_pipeline" in listing
    assert "<script>alert" not in listing and '<tr class="failed"' not in listing
    assert (out / "executed" / "00_prices.ipynb").is_file()
    assert (out / "tables" / "00_prices" / "probe.csv").read_text() == "a\n1\n"
    assert not result.failed and result.summary() == "1 page, 0 stderr blocks, 0 placeholder cells"
    # the kernel talks over an encrypted (or local) transport: no warning on the console
    assert "without encryption" not in capfd.readouterr().err


@pytest.mark.slow
def test_a_failing_notebook_stops_nothing_else(project: Path):
    notebooks = project / "notebooks"
    _notebook(notebooks / "01_broken.ipynb", "raise ValueError('boom\\nsecond line')")
    shutil.copy(notebooks / "00_prices.ipynb", notebooks / "02_after.ipynb")
    out = project / "r"
    (out / "tables" / "01_broken").mkdir(parents=True)
    (out / "tables" / "01_broken" / "stale.csv").write_text("old run\n")
    result = build_reports(corpus_path=project / "seeds", out_dir=out,
                           notebooks_dir=notebooks, model="blank:en", jobs=2)  # in parallel
    assert [run.notebook for run in result.runs] == ["00_prices.ipynb", "01_broken.ipynb",
                                                     "02_after.ipynb"]
    assert [run.notebook for run in result.failed] == ["01_broken.ipynb"]
    failed = result.failed[0]
    assert failed.error == "ValueError: boom second line" and failed.cell == 6
    # the notebook after the failed one ran; every page and the index are written
    assert all((out / f"{stem}.html").is_file() for stem in ("00_prices", "01_broken",
                                                             "02_after"))
    assert (out / "executed" / "01_broken.ipynb").is_file()
    assert not (out / "tables" / "01_broken" / "stale.csv").exists()
    listing = result.index.read_text()
    row = re.search(r'<tr class="failed">.*?</tr>', listing, re.DOTALL)[0]
    assert "01_broken.ipynb" in row and "In&nbsp;[6]" in row and "ValueError: boom" in row
    assert 'href="executed/01_broken.ipynb"' in row and 'href="01_broken.html"' in row
    assert listing.count('<tr class="ok">') == 2 and "1 of 3 reports failed" in listing
    assert result.summary().startswith(
        "1 of 3 notebooks failed (01_broken.ipynb, cell In [6]: ValueError: boom second line); "
        "3 pages, 0 stderr blocks")
    # the traceback on the failed run's page is the failure, not a stderr block
    assert count_defects(out / "01_broken.html").stderr_blocks == 0
    assert "ValueError" in (out / "01_broken.html").read_text()


@pytest.mark.slow
@pytest.mark.model
def test_a_bad_cell_in_one_notebook_keeps_a_real_notebook(tmp_path: Path, english_model):
    """One real notebook next to one that raises: the real one is written as usual."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00_raises.ipynb", "1 / 0")
    shutil.copy(ROOT / "notebooks" / "00_corpus_overview.ipynb",
                notebooks / "01_corpus_overview.ipynb")
    result = build_reports(corpus_path=ROOT / "seeds", out_dir=tmp_path / "out",
                           notebooks_dir=notebooks)
    assert [run.notebook for run in result.failed] == ["00_raises.ipynb"]
    assert result.failed[0].error.startswith("ZeroDivisionError")
    real = result.runs[1]
    assert not real.failed and real.page == tmp_path / "out" / "01_corpus_overview.html"
    assert "Corpus overview" in real.page.read_text()


@pytest.fixture(scope="module")
def seed_reports(tmp_path_factory):
    """The real notebooks on seeds/, run once for the module (parallel, forked kernels)."""
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    return build_reports(corpus_path=ROOT / "seeds", out_dir=tmp_path_factory.mktemp("seeds"),
                         notebooks_dir=ROOT / "notebooks")


@pytest.mark.slow
@pytest.mark.model
def test_seed_reports_have_no_stderr_blocks_and_no_placeholder_cells(seed_reports):
    result = seed_reports
    assert not result.failed, result.summary()
    per_page = {run.notebook: run.defects for run in result.runs}
    assert set(per_page.values()) == {PageDefects(0, 0)}, per_page
    assert all(count_defects(run.executed) == PageDefects(0, 0) for run in result.runs)


def test_unknown_parameter_is_refused(project: Path):
    with pytest.raises(ParameterError, match="unknown parameter 'no_such_parameter'"):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en",
                      parameters={"no_such_parameter": 1})


def test_a_known_parameter_no_notebook_declares_is_refused(project: Path):
    with pytest.raises(ParameterError, match="color_by not declared by any notebook"):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en",
                      parameters={"color_by": "source"})


@pytest.mark.parametrize(("parameters", "message"), [
    ({"top_n": "abc"}, r'top_n="abc" refused: top_n must be an integer from 1 to \d+'),
    ({"min_statements": -1}, "min_statements=-1 refused: .* integer of at least 1"),
])
def test_bad_values_are_refused_before_any_notebook_runs(project: Path, parameters, message):
    with pytest.raises(ParameterError, match=message):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en",
                      parameters=parameters)
    assert not (project / "r").exists()  # nothing ran, nothing was written


def test_no_notebooks_is_an_error(tmp_path: Path):
    with pytest.raises(ReportError, match="no notebooks"):
        build_reports(corpus_path=tmp_path, notebooks_dir=tmp_path, out_dir=tmp_path / "r")


def _executed(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = list(outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("# Defects\n\nNone of these is a table."), cell]
    return nb


def _html(markup: str):
    return nbformat.v4.new_output("display_data", data={"text/html": markup,
                                                        "text/plain": "<table>"})


DEFECTIVE_OUTPUTS = (
    nbformat.v4.new_output("stream", name="stderr", text="/tmp/ipykernel_1/x.py: UserWarning"),
    nbformat.v4.new_output("stream", name="stdout", text="None of them.\n   a\n0  NaN\n1 NaT\n"),
    _html("<table><tr><th>None</th><td>NaN</td><td> &lt;NA&gt; </td><td><b>NaT</b></td>"
          "<td>None of them</td><td>NaN%</td><td></td></tr></table>"),
    nbformat.v4.new_output("execute_result", data={"text/plain": "   b\n0  <NA>"},
                           execution_count=1),
    nbformat.v4.new_output("error", ename="ValueError", evalue="NaN", traceback=["NaN"]),
)


def test_count_defects_in_an_executed_notebook_and_its_page(tmp_path: Path):
    executed = tmp_path / "executed.ipynb"
    nbformat.write(_executed(*DEFECTIVE_OUTPUTS), str(executed))
    # 1 stderr stream; 4 whole placeholder cells + NaN, NaT in stdout + <NA> in text/plain
    expected = PageDefects(stderr_blocks=1, placeholder_cells=7)
    assert count_defects(executed) == expected
    assert count_defects(export_html(executed, tmp_path / "page.html")) == expected
    clean = tmp_path / "clean.ipynb"
    nbformat.write(_executed(nbformat.v4.new_output("stream", name="stdout", text="None.\n"),
                             _html("<table><tr><td></td><td>0</td></tr></table>")), str(clean))
    assert count_defects(clean) == count_defects(export_html(clean, tmp_path / "c.html")) \
        == PageDefects(0, 0)


def test_count_notes():
    notes = _html('<ul class="ak-notes"><li>2 documents have no date.</li>'
                  "<li>1 input was skipped.</li></ul>")
    assert count_notes(_executed(notes)) == 2
    assert count_notes(_executed(_html("<p>No notes: every input was read.</p>"))) == 0
    assert count_notes(_executed(_html("<p>a table</p>"))) is None


@pytest.mark.parametrize(("n", "noun", "expected"), [
    (1, "document", "1 document"), (2, "document", "2 documents"), (0, "word", "0 words"),
    (1234, "word", "1,234 words"), (1, "stderr block", "1 stderr block"),
])
def test_plural(n, noun, expected):
    assert plural(n, noun) == expected


@pytest.mark.parametrize(("item", "expected"), [
    ("top_n=20", ("top_n", 20)),
    ("labels=[\"GPE\", \"ORG\"]", ("labels", ["GPE", "ORG"])),
    ("model=en_core_web_sm", ("model", "en_core_web_sm")),
    ("flag=true", ("flag", True)),
    ("reference_date=2017-06-08", ("reference_date", "2017-06-08")),
])
def test_parse_param(item, expected):
    assert parse_param(item) == expected


@pytest.mark.parametrize("item", ["novalue", "=3", "bad-name=1"])
def test_parse_param_rejects(item):
    with pytest.raises(ReportError):
        parse_param(item)


CORE_PARAMETERS = {"corpus_path", "model", "aliases_path", "merge_demonyms", "reference_date",
                   "polarity", "keep_other_languages"}


def test_every_notebook_has_the_same_core_parameters_and_uses_one_analysis():
    import papermill

    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 4
    for path in notebooks:
        declared = papermill.inspect_notebook(str(path))
        assert CORE_PARAMETERS <= set(declared), (path.name, CORE_PARAMETERS - set(declared))
        assert {declared[name]["default"] for name in CORE_PARAMETERS} == {
            '"../seeds"', "None", "False", '"model"'}, path.name
        source = "\n".join(cell.source for cell in nbformat.read(str(path), as_version=4).cells
                           if cell.cell_type == "code")
        # Every table comes from the one Analysis: no notebook rebuilds one with defaults.
        assert source.count("ak.Analysis(") == 1, path.name
        for rebuilt in ("entity_mentions(", "statements_table(", "events_table(",
                        "timexes_table(", "ak.annotate(", "load_corpus("):
            assert rebuilt not in source, (path.name, rebuilt)


# ---------------------------------------------------------------- provenance, parallel runs

def _pages(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html"))}


def _normalised(page: str, out_dir: Path) -> str:
    """A page without what differs between two runs of the same report: times, durations,
    the output folder, the commit (HEAD can move while the tests run)."""
    page = page.replace(shlex.quote(str(out_dir)), "OUT").replace(str(out_dir), "OUT")
    page = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", "TIME", page)
    page = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "TIME", page)
    page = re.sub(r'(class="ak-seconds">)[\d.]+', r"\1S", page)
    page = re.sub(r'(<span class="small">)\d+ s<', r"\1S<", page)
    return re.sub(r"[0-9a-f]{40}(\+dirty)?", "COMMIT", page)


HOSTILE_FOLDER = 'seeds "><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def two_page_report(tmp_path_factory):
    """Two small notebooks run in parallel (forked kernels) on a corpus whose folder name is
    hostile; the pages are kept in memory before any test touches the folder."""
    root = tmp_path_factory.mktemp("provenance")
    (root / "notebooks").mkdir()
    _notebook(root / "notebooks" / "00_prices.ipynb")
    _notebook(root / "notebooks" / "01_more.ipynb", "print('second page', top_n)")
    seeds = root / HOSTILE_FOLDER
    seeds.mkdir()
    (seeds / "a.txt").write_text("Prices Rose Again\n\nIt cost $5 and then $10 in total.\n")
    (seeds / "notes.pdf").write_bytes(b"%PDF-1.4 not read, but an input all the same")
    result = build_reports(corpus_path=seeds, out_dir=root / "out",
                           notebooks_dir=root / "notebooks", model="blank:en",
                           parameters={"top_n": 7}, jobs=2)
    return root, result, _pages(root / "out")


def _provenance_blocks(page: str) -> list[str]:
    return re.findall(r'<details class="ak-provenance".*?</details>', page, re.DOTALL)


@pytest.mark.slow
def test_every_page_and_the_index_say_how_they_were_made(two_page_report):
    from analystkit import __version__
    from analystkit.provenance import inputs_digest

    root, result, pages = two_page_report
    assert not result.failed and set(pages) == {"00_prices.html", "01_more.html", "index.html"}
    digest, n_files = inputs_digest(root / HOSTILE_FOLDER)
    assert n_files == 2  # the skipped PDF is an input too
    for name, page in pages.items():
        blocks = _provenance_blocks(page)
        assert len(blocks) == 1, name
        block = blocks[0]
        assert digest in block and "en_pipeline" in block and __version__ in block
        assert "1 document, " in block and "1 input skipped" in block
        # the hostile folder name is shown, escaped, never live
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in block
        assert re.search(r'class="ak-commit">([0-9a-f]{40}(\+dirty)?|not a git checkout)<',
                         block), name
        assert re.search(r'class="ak-started">\d{4}-\d\d-\d\dT', block)
    # every parameter with its effective value: injected (top_n, model) and defaults
    page = pages["00_prices.html"]
    table = re.search(r'<table class="ak-parameters">.*?</table>', page, re.DOTALL)[0]
    rows = {name: html.unescape(value) for name, value
            in re.findall(r"<th>(\w+)</th><td><code>(.*?)</code>", table)}
    assert "<img" not in table
    assert rows == {"corpus_path": f'"{os.path.join("..", HOSTILE_FOLDER)}"',
                    "model": '"blank:en"', "top_n": "7"}
    executed = nbformat.read(str(root / "out" / "executed" / "00_prices.ipynb"), as_version=4)
    record = executed.metadata["analystkit"]["provenance"]
    assert record["inputs_sha256"] == digest and record["parameters"]["top_n"] == 7
    assert record["notebook"] == "00_prices.ipynb" and record["corpus_path"] == str(
        root / HOSTILE_FOLDER)
    saved = json.loads((root / "out" / "provenance.json").read_text())
    assert saved["report"]["inputs_sha256"] == digest
    assert [page["notebook"] for page in saved["notebooks"]] == ["00_prices.ipynb",
                                                                  "01_more.ipynb"]
    assert result.provenance.parameters["top_n"] == 7


@pytest.mark.slow
def test_the_printed_command_parses_back_to_the_same_run(two_page_report):
    from analystkit.cli import build_parser

    root, result, _ = two_page_report
    words = shlex.split(result.provenance.command)
    assert words[:2] == ["analystkit", "report"]
    args = build_parser().parse_args(words[1:])
    assert args.seeds == root / HOSTILE_FOLDER and args.out == root / "out"
    assert args.notebooks == root / "notebooks" and args.model == "blank:en"
    assert args.param == ["top_n=7"] and not args.with_code


@pytest.mark.slow
def test_the_printed_command_re_creates_the_pages_serially_with_fresh_kernels(two_page_report):
    """The command, run as printed (one notebook at a time, kernels started from scratch),
    writes the same pages as the parallel run with forked kernels, apart from run times."""
    root, result, pages = two_page_report
    words = shlex.split(result.provenance.command)
    assert words[0] == "analystkit"  # built from Python: the console script re-runs it
    # As a reader runs it: the environment's analystkit on PATH.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([*words, "--jobs", "1", "--fresh-kernels"], cwd=root, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    again = _pages(root / "out")
    assert set(again) == set(pages)
    out = root / "out"
    for name, page in pages.items():
        assert _normalised(again[name], out) == _normalised(page, out), name


@pytest.mark.slow
def test_the_command_names_the_program_as_invoked_when_it_is_not_on_path(monkeypatch,
                                                                        tmp_path: Path):
    from analystkit import report

    program = tmp_path / "venv" / "bin" / "analystkit"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [".venv/bin/analystkit", "report"])
    monkeypatch.setenv("PATH", "/nonexistent")
    assert report._program() == ".venv/bin/analystkit"
    monkeypatch.setenv("PATH", str(program.parent))
    monkeypatch.setattr(sys, "argv", [str(program), "report"])
    assert report._program() == "analystkit"
    monkeypatch.setattr(sys, "argv", ["-c"])  # from Python
    assert report._program() == "analystkit"


@pytest.mark.slow
def test_with_code_shows_the_code_cells(two_page_report, tmp_path: Path):
    root, _, pages = two_page_report
    executed = root / "out" / "executed" / "00_prices.ipynb"
    assert "import analystkit" not in pages["00_prices.html"]
    with_code = export_html(executed, tmp_path / "code.html", with_code=True).read_text()
    assert "import" in with_code and "analystkit" in with_code and "SECRET_SOURCE_LINE" in with_code
    assert len(_provenance_blocks(with_code)) == 1


@pytest.mark.slow
@pytest.mark.model
def test_parallel_pages_equal_serial_pages_on_the_seed_notebooks(seed_reports, tmp_path: Path):
    serial = build_reports(corpus_path=ROOT / "seeds", out_dir=tmp_path / "serial",
                           notebooks_dir=ROOT / "notebooks", jobs=1, preload=False)
    assert not serial.failed, serial.summary()
    parallel_dir = seed_reports.index.parent
    parallel, again = _pages(parallel_dir), _pages(tmp_path / "serial")
    assert set(parallel) == set(again) and len(parallel) >= 5
    for name in parallel:
        assert (_normalised(again[name], tmp_path / "serial")
                == _normalised(parallel[name], parallel_dir)), name


def test_inputs_digest_covers_names_bytes_and_skipped_inputs(tmp_path: Path):
    from analystkit.provenance import input_files, inputs_digest

    corpus = tmp_path / "c"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("One article.\n")
    (corpus / "a.meta.yaml").write_text("date: 2020-01-02\n")
    (corpus / "sub" / "b.md").write_text("Another.\n")
    (corpus / ".hidden.txt").write_text("skipped, hashed\n")
    first, count = inputs_digest(corpus)
    assert count == 4 and [name for name, _ in input_files(corpus)] == [
        ".hidden.txt", "a.meta.yaml", "a.txt", "sub/b.md"]
    copy = tmp_path / "elsewhere"
    shutil.copytree(corpus, copy)
    assert inputs_digest(copy)[0] == first  # the folder's own path is not hashed
    (copy / "sub" / "b.md").write_bytes(b"Another!\n")  # one byte
    assert inputs_digest(copy)[0] != first
    (copy / "sub" / "b.md").write_text("Another.\n")
    assert inputs_digest(copy)[0] == first
    (copy / "sub" / "b.md").rename(copy / "sub" / "c.md")  # a name
    assert inputs_digest(copy)[0] != first
    (copy / ".hidden.txt").unlink()
    (copy / "sub" / "c.md").rename(copy / "sub" / "b.md")
    assert inputs_digest(copy)[0] != first  # a skipped input counts
    # a single file: the file and its sidecar
    assert [name for name, _ in input_files(corpus / "a.txt")] == ["a.meta.yaml", "a.txt"]


def test_git_commit_inside_and_outside_a_checkout(tmp_path: Path):
    from analystkit.provenance import NOT_A_CHECKOUT, git_commit

    assert git_commit(tmp_path) == NOT_A_CHECKOUT
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        pytest.skip("the package is not in a git checkout here")
    commit = git_commit(ROOT / "analystkit")
    assert re.fullmatch(r"[0-9a-f]{40}(\+dirty)?", commit)
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "f.txt").write_text("1\n")
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    clean = git_commit(repo)
    assert re.fullmatch(r"[0-9a-f]{40}", clean)
    (repo / "f.txt").write_text("2\n")
    assert git_commit(repo) == clean + "+dirty"


def test_shell_command_round_trips_through_a_shell():
    from analystkit.provenance import shell_command

    words = ["analystkit", "report", "--seeds", "my seeds/it's $HOME", "--param",
             'labels=["GPE", "ORG"]']
    command = shell_command(words, {"ANALYSTKIT_MODEL": "en core"})
    assert command.startswith("ANALYSTKIT_MODEL='en core' analystkit report")
    assert shlex.split(command)[1:] == words
    echoed = subprocess.run(["sh", "-c", "printf '%s\\n' " + shlex.join(words[2:])],
                            capture_output=True, text=True, check=True).stdout
    assert echoed.splitlines() == words[2:]


def test_jobs_below_one_is_refused(project: Path):
    with pytest.raises(ReportError, match="jobs must be at least 1"):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en", jobs=0)


@pytest.mark.slow
def test_a_kernel_is_forked_from_the_server_and_dies_with_its_stub(tmp_path: Path):
    """The kernel manager's kernel is a child of the kernel server, with its own folder and
    environment and the server's imports; killing its stub kills it."""
    import asyncio
    import signal
    import time

    from analystkit.kernelserver import KernelServer
    from analystkit.report import INLINE_BACKEND, _kernel_manager_class, kernel_config

    async def run(server: KernelServer) -> tuple[list[str], bool]:
        manager = _kernel_manager_class({"AK_PROBE": "x y"}, tmp_path, server)(
            kernel_name="python3", config=kernel_config("python3"))
        await manager.start_kernel()
        stub = manager.provisioner.process
        assert stub.args[2].endswith("kernel_stub.py")
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        seen: list[str] = []
        await client.execute_interactive(
            "import os, sys\nprint(os.getppid(), os.getpid(), repr(os.getcwd()), "
            "repr(os.environ['AK_PROBE']), 'spacy' in sys.modules, sep='|')",
            output_hook=lambda msg: seen.append(msg["content"].get("text", "")), timeout=60)
        client.stop_channels()
        words = "".join(seen).split("|")
        os.kill(stub.pid, signal.SIGKILL)  # the kernel manager's process: the stub
        kernel, deadline = int(words[1]), time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(kernel, 0)
            except ProcessLookupError:
                break
            await asyncio.sleep(0.1)
        else:
            return words, False
        await manager.shutdown_kernel(now=True)
        return words, True

    with KernelServer.start(model="blank:en",
                            env={**os.environ, "MPLBACKEND": INLINE_BACKEND}) as server:
        assert server.ready()
        words, gone = asyncio.run(run(server))
        assert int(words[0]) == server.process.pid
    assert words[2:] == [repr(str(tmp_path)), repr("x y"), "True\n"]
    assert gone, "the kernel outlived its stub"
