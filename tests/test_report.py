"""Reports: papermill run, offline HTML without code, literal "$", escaped document text."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analystkit.errors import ReportError
from analystkit.report import build_reports, parse_param


def _notebook(path: Path) -> None:
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


@pytest.mark.slow
def test_report_is_offline_escaped_and_indexed(project: Path):
    out = project / "reports"
    index = build_reports(corpus_path=project / "seeds", out_dir=out,
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
    listing = index.read_text()
    assert 'href="00_prices.html"' in listing and "Prices report" in listing
    assert "1 documents" in listing and "en_pipeline" in listing
    assert "<script>alert" not in listing
    assert (out / "executed" / "00_prices.ipynb").is_file()


def test_unknown_parameter_is_refused(project: Path):
    with pytest.raises(ReportError, match="not declared"):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en",
                      parameters={"no_such_parameter": 1})


def test_no_notebooks_is_an_error(tmp_path: Path):
    with pytest.raises(ReportError, match="no notebooks"):
        build_reports(corpus_path=tmp_path, notebooks_dir=tmp_path, out_dir=tmp_path / "r")


@pytest.mark.slow
def test_failing_notebook_names_the_notebook(project: Path):
    nb = nbformat.read(str(project / "notebooks" / "00_prices.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('boom')"))
    nbformat.write(nb, str(project / "notebooks" / "01_broken.ipynb"))
    with pytest.raises(ReportError, match=r"01_broken.ipynb failed .*ValueError: boom"):
        build_reports(corpus_path=project / "seeds", out_dir=project / "r",
                      notebooks_dir=project / "notebooks", model="blank:en")


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

    notebooks = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
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
