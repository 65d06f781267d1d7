"""Build shareable HTML reports: run every notebook on a corpus, export it, write an index.

Each ``notebooks/NN_*.ipynb`` is executed with papermill (parameters ``corpus_path`` and
``model`` injected after its ``parameters`` cell), the executed copy is kept in
``OUT/executed/`` for audit, and an HTML page without code cells is written to ``OUT/``
with the ``analystkit_offline`` template: no script is loaded from the network, so a report
opens offline and ``$`` in text is shown literally. ``OUT/index.html`` links every report
with its run date, corpus and model version; everything taken from documents is escaped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any

import nbformat

from .errors import ReportError

__all__ = ["build_reports", "export_html", "parse_param"]

TEMPLATE_DIR = Path(__file__).parent / "data" / "templates"
TEMPLATE_NAME = "analystkit_offline"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"


def parse_param(item: str) -> tuple[str, Any]:
    """Parse a ``NAME=VALUE`` notebook parameter.

    Args:
        item: ``NAME=VALUE``; VALUE is read as JSON when it parses (numbers, booleans,
            lists, ``null``), else kept as a string.

    Returns:
        ``(name, value)``.

    Raises:
        ReportError: If ``item`` is not of the form ``NAME=VALUE`` with a Python identifier.

    Example:
        >>> parse_param("top_n=20")
        ('top_n', 20)
    """
    name, sep, raw = item.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ReportError(f"bad --param {item!r}: expected NAME=VALUE with NAME a Python name")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name, value


def _title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


def export_html(notebook_path: str | Path, html_path: str | Path) -> Path:
    """Export an executed notebook to offline HTML without code cells.

    Args:
        notebook_path: The executed ``.ipynb``.
        html_path: Where to write the page.

    Returns:
        ``html_path`` as a ``Path``.

    Example:
        >>> export_html("reports/executed/00_corpus_overview.ipynb",
        ...             "reports/00_corpus_overview.html")  # doctest: +SKIP
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook = nbformat.read(str(notebook_path), as_version=4)
    notebook.metadata["title"] = _title(notebook, Path(notebook_path).stem)  # the tab's name
    body, _ = exporter.from_notebook_node(notebook)
    html_path = Path(html_path)
    html_path.write_text(body, encoding="utf-8")
    return html_path


@contextlib.contextmanager
def _inline_charts():
    """Kernels inherit the environment: an MPLBACKEND such as Agg would hide every chart."""
    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved


def _declared_parameters(path: Path) -> set[str]:
    import papermill

    return set(papermill.inspect_notebook(str(path)))


def build_reports(
    *,
    corpus_path: str | Path = "seeds",
    out_dir: str | Path = "reports",
    notebooks_dir: str | Path = "notebooks",
    model: str | None = None,
    parameters: dict[str, Any] | None = None,
    kernel_name: str | None = None,
) -> Path:
    """Execute every numbered notebook on ``corpus_path`` and write HTML reports.

    Args:
        corpus_path: Corpus file or folder passed to each notebook as ``corpus_path``.
        out_dir: Output folder (created); gets ``NAME.html``, ``executed/NAME.ipynb`` and
            ``index.html``.
        notebooks_dir: Folder of ``NN_name.ipynb`` notebooks, run in name order.
        model: spaCy pipeline passed as ``model`` (default: the notebooks' own default).
        parameters: Further parameters; each is passed to the notebooks that declare it.
        kernel_name: Jupyter kernel (default: the notebook's own).

    Returns:
        The path of ``index.html``.

    Raises:
        ReportError: If there are no notebooks, a parameter is declared by none of them, or
            a notebook fails (the message names the notebook and the error).

    Example:
        >>> build_reports(corpus_path="seeds", out_dir="reports")  # doctest: +SKIP
        PosixPath('reports/index.html')
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .corpus import load_corpus
    from .pipeline import load_model, model_label

    shown_path = Path(corpus_path)
    corpus_path = shown_path.resolve()
    out_dir = Path(out_dir)
    notebooks = sorted(Path(notebooks_dir).glob(NOTEBOOK_PATTERN))
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir}")
    corpus = load_corpus(corpus_path)  # fail early, with the loader's message
    model_version = model_label(load_model(model))
    # Relative to the notebooks (papermill runs them there), so reports do not show local paths.
    notebook_dir = Path(notebooks_dir).resolve()
    wanted = {"corpus_path": os.path.relpath(corpus_path, notebook_dir),
              **({"model": model} if model else {}), **(parameters or {})}
    declared = {path: _declared_parameters(path) for path in notebooks}
    unknown = set(parameters or {}) - set().union(*declared.values())
    if unknown:
        raise ReportError(f"parameter(s) {', '.join(sorted(unknown))} not declared by any "
                          f"notebook in {notebooks_dir}")
    (out_dir / "executed").mkdir(parents=True, exist_ok=True)
    entries = []
    for path in notebooks:
        executed = out_dir / "executed" / path.name
        params = {name: value for name, value in wanted.items() if name in declared[path]}
        started = dt.datetime.now(dt.UTC)
        try:
            with _inline_charts():
                papermill.execute_notebook(
                    str(path), str(executed), parameters=params, cwd=str(path.parent),
                    kernel_name=kernel_name, progress_bar=False, log_output=False,
                )
        except PapermillExecutionError as exc:
            raise ReportError(
                f"notebook {path.name} failed in cell {exc.exec_count}: {exc.ename}: "
                f"{exc.evalue} (executed copy: {executed})") from None
        page = export_html(executed, out_dir / f"{path.stem}.html")
        title = _title(nbformat.read(str(executed), as_version=4), path.stem)
        entries.append((page.name, title, started))
    index = out_dir / "index.html"
    command = (f"analystkit report --seeds {shown_path} --out {out_dir}"
               + (f" --model {model}" if model else "")
               + "".join(f" --param {k}={json.dumps(v)}" for k, v in (parameters or {}).items()))
    index.write_text(_index_page(entries, shown_path, len(corpus), corpus.n_words,
                                 model_version, command), encoding="utf-8")
    return index


def _index_page(entries: list[tuple[str, str, dt.datetime]], corpus_path: Path, n_docs: int,
                n_words: int, model_version: str, command: str) -> str:
    from . import __version__

    esc = html.escape
    rows = "\n".join(
        f'<tr><td><a href="{esc(name)}">{esc(title)}</a></td>'
        f"<td>{esc(started.strftime('%Y-%m-%d %H:%M UTC'))}</td>"
        f"<td>{esc(str(corpus_path))} ({n_docs:,} documents, {n_words:,} words)</td>"
        f"<td>{esc(model_version)}</td></tr>"
        for name, title, started in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>analystkit reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left; }}
</style>
</head>
<body>
<h1>analystkit reports</h1>
<p>Re-create them with <code>{esc(command)}</code> (analystkit {esc(__version__)}).</p>
<table>
<thead><tr><th>Report</th><th>Run</th><th>Corpus</th><th>Model</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
