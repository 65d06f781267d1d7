"""Build shareable HTML reports: run every notebook on a corpus, export it, write an index.

Each ``notebooks/NN_*.ipynb`` is executed with papermill (parameters ``corpus_path`` and
``model`` injected after its ``parameters`` cell), the executed copy is kept in
``OUT/executed/`` for audit, and an HTML page without code cells is written to ``OUT/``
with the ``analystkit_offline`` template: no script is loaded from the network, so a report
opens offline and ``$`` in text is shown literally. ``OUT/index.html`` links every report
with its run date, corpus and model version; everything taken from documents is escaped.

A notebook that fails does not stop the others: its executed copy and a page of the failed
run are still written, the index marks it (cell, error name and message), and
:attr:`ReportResult.failed` lists it (``analystkit report`` then exits non-zero). Parameters
are checked against :data:`analystkit.parameters.PARAMETERS` before any notebook runs.
Each notebook's kernel gets ``ANALYSTKIT_REPORT_TABLES_DIR=OUT/tables/<notebook stem>/`` (an
absolute path, created): whole tables go there as CSV files linked from the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import nbformat

from .display import TABLES_DIR_VARIABLE
from .errors import ReportError, plural

__all__ = ["NotebookRun", "PageDefects", "ReportResult", "build_reports", "count_defects",
           "count_notes", "export_html", "parse_param", "plural"]

TEMPLATE_DIR = Path(__file__).parent / "data" / "templates"
TEMPLATE_NAME = "analystkit_offline"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PLACEHOLDERS = frozenset({"NaN", "<NA>", "None", "NaT"})
"""Whole table cells that show a missing value as a placeholder instead of a blank."""
# In plain-text output only the marks that never occur in prose ("None of them" does).
_PLAIN_PLACEHOLDER = re.compile(r"(?<!\S)(?:NaN|<NA>|NaT)(?!\S)")
_STDERR_MIME = "application/vnd.jupyter.stderr"


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


class PageDefects(NamedTuple):
    """What should never reach a reader, counted in one executed notebook or page."""

    stderr_blocks: int
    """Stream outputs to stderr (raw warnings, logs)."""
    placeholder_cells: int
    """Table cells that are exactly NaN, <NA>, None or NaT (plus NaN/<NA>/NaT in plain text)."""


class _DefectParser(HTMLParser):
    """Counts placeholder table cells, plain-text placeholders and stderr blocks in HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.placeholders = self.stderr_blocks = 0
        self._cell: list[str] | None = None  # text of the open <td>/<th>
        self._pre: list[str] | None = None  # text of the open <pre>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._cell = []
        attributes = dict(attrs)
        # a traceback (the template marks it ak-error) is a failure, reported as such
        traceback = "ak-error" in (attributes.get("class") or "").split()
        if tag == "pre" and not traceback:
            self._pre = []
        if attributes.get("data-mime-type") == _STDERR_MIME and not traceback:
            self.stderr_blocks += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.placeholders += "".join(self._cell).strip() in PLACEHOLDERS
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.placeholders += len(_PLAIN_PLACEHOLDER.findall("".join(self._pre)))
            self._pre = None

    def handle_data(self, data: str) -> None:
        for parts in (self._cell, self._pre):
            if parts is not None:
                parts.append(data)


def _html_defects(text: str) -> PageDefects:
    parser = _DefectParser()
    parser.feed(text)
    parser.close()
    return PageDefects(parser.stderr_blocks, parser.placeholders)


def _notebook_defects(notebook: nbformat.NotebookNode) -> PageDefects:
    stderr = placeholders = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                stderr += output.name == "stderr"
                placeholders += len(_PLAIN_PLACEHOLDER.findall(output.text))
            elif "text/html" in output.get("data", {}):
                placeholders += _html_defects(output.data["text/html"]).placeholder_cells
            elif "text/plain" in output.get("data", {}):
                placeholders += len(_PLAIN_PLACEHOLDER.findall(output.data["text/plain"]))
    return PageDefects(stderr, placeholders)


def count_defects(path: str | Path) -> PageDefects:
    """Count stderr blocks and placeholder cells in an executed notebook or an HTML page.

    Args:
        path: An executed ``.ipynb`` or an exported ``.html`` report.

    Returns:
        The counts; a report a reader gets should have ``PageDefects(0, 0)``.

    Example:
        >>> count_defects("reports/03_timeline.html")  # doctest: +SKIP
        PageDefects(stderr_blocks=0, placeholder_cells=0)
    """
    path = Path(path)
    if path.suffix == ".ipynb":
        return _notebook_defects(nbformat.read(str(path), as_version=4))
    return _html_defects(path.read_text(encoding="utf-8"))


_NOTES_LIST = re.compile(r'<ul class="ak-notes">(.*?)</ul>', re.DOTALL)


def count_notes(notebook: nbformat.NotebookNode) -> int | None:
    """Notes in a notebook's "Notes" section (the ``ak-notes`` list of analystkit.display).

    Args:
        notebook: An executed notebook.

    Returns:
        The number of notes; 0 when the section says there are none; ``None`` when the
        notebook shows no notes section.
    """
    found, count = False, 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            for items in _NOTES_LIST.findall(page):
                found, count = True, count + items.count("<li")
            found = found or "No notes" in page
    return count if found else None


@dataclass
class NotebookRun:
    """One notebook of a report run: where its outputs are and whether it failed."""

    notebook: str
    """File name, e.g. ``02_stance.ipynb``."""
    title: str
    started: dt.datetime
    seconds: float = 0.0
    executed: Path | None = None
    """The executed copy (also written when the notebook failed)."""
    page: Path | None = None
    """The HTML page (of the failed run when the notebook failed)."""
    cell: int | None = None
    """Execution count (``In [n]``) of the cell that failed."""
    error: str | None = None
    """``ErrorName: message`` when the notebook failed."""
    defects: PageDefects = PageDefects(0, 0)
    notes: int | None = None

    @property
    def failed(self) -> bool:
        """Whether the notebook failed."""
        return self.error is not None

    def failure(self) -> str:
        """``02_stance.ipynb, cell In [7]: ValueError: boom`` (empty when it ran)."""
        if not self.failed:
            return ""
        where = f", cell In [{self.cell}]" if self.cell is not None else ""
        return f"{self.notebook}{where}: {self.error}"


@dataclass
class ReportResult:
    """What :func:`build_reports` wrote."""

    index: Path
    runs: list[NotebookRun] = field(default_factory=list)

    @property
    def failed(self) -> list[NotebookRun]:
        """The notebooks that failed."""
        return [run for run in self.runs if run.failed]

    @property
    def defects(self) -> PageDefects:
        """Stderr blocks and placeholder cells over all pages."""
        return PageDefects(sum(run.defects.stderr_blocks for run in self.runs),
                           sum(run.defects.placeholder_cells for run in self.runs))

    def summary(self) -> str:
        """One line, e.g. ``4 pages, 0 stderr blocks, 0 placeholder cells``."""
        pages = sum(run.page is not None for run in self.runs)
        stderr, placeholders = self.defects
        line = (f"{plural(pages, 'page')}, {plural(stderr, 'stderr block')}, "
                f"{plural(placeholders, 'placeholder cell')}")
        if self.failed:
            line = (f"{len(self.failed)} of {plural(len(self.runs), 'notebook')} failed ("
                    + "; ".join(run.failure() for run in self.failed) + f"); {line}")
        return line


@contextlib.contextmanager
def _kernel_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Kernels inherit the environment: set ``variables`` while one starts, then restore."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def kernel_config(kernel_name: str):
    """Kernel transport without ipykernel's "running over TCP without encryption" warning.

    jupyter_client's KernelManager defaults to plain TCP (``transport_encryption``
    "disabled"), which ipykernel >= 7 reports on the console at every start. When the
    kernelspec declares CurveZMQ support and pyzmq has it, the manager provisions Curve
    keys (encrypted TCP); otherwise, on POSIX, the kernel talks over local IPC sockets.
    """
    import zmq
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from traitlets.config import Config

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        return Config()  # papermill names the missing kernel
    supported = spec.metadata.get("supported_encryption") or ()
    supported = {supported} if isinstance(supported, str) else set(supported)
    if zmq.has("curve") and "curve" in {str(item).lower() for item in supported}:
        return Config({"KernelManager": {"transport_encryption": "auto"}})
    if os.name == "posix":
        return Config({"KernelManager": {"transport": "ipc"}})
    return Config()


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _fresh_outputs(out_dir: Path, path: Path) -> tuple[Path, Path, Path]:
    """This notebook's executed copy, page and tables folder, without a previous run's files."""
    executed = out_dir / "executed" / path.name
    page = out_dir / f"{path.stem}.html"
    tables = (out_dir / "tables" / path.stem).resolve()
    for stale in (executed, page, *tables.glob("*.csv")):
        stale.unlink(missing_ok=True)  # a failed run must not link the last run's files
    tables.mkdir(parents=True, exist_ok=True)
    return executed, page, tables


def _run_notebook(path: Path, out_dir: Path, params: dict[str, Any], *,
                  kernel_name: str | None) -> NotebookRun:
    """Execute one notebook and export its page; a failure is recorded, never raised."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = nbformat.read(str(path), as_version=4)
    kernel = kernel_name or source.metadata.get("kernelspec", {}).get("name", "python3")
    executed, page, tables = _fresh_outputs(out_dir, path)
    run = NotebookRun(notebook=path.name, title=_title(source, path.stem),
                      started=dt.datetime.now(dt.UTC))
    try:
        with _kernel_environment({"MPLBACKEND": INLINE_BACKEND,
                                  TABLES_DIR_VARIABLE: str(tables)}):
            papermill.execute_notebook(
                str(path), str(executed), parameters=params, cwd=str(path.parent),
                kernel_name=kernel_name, progress_bar=False, log_output=False,
                config=kernel_config(kernel))
    except PapermillExecutionError as exc:
        run.cell, run.error = exc.exec_count, _one_line(f"{exc.ename}: {exc.evalue}")
    except Exception as exc:  # a dead kernel or a timeout must not stop the others
        run.error = _one_line(f"{type(exc).__name__}: {exc}")
    run.seconds = (dt.datetime.now(dt.UTC) - run.started).total_seconds()
    if executed.is_file():
        run.executed = executed
        notebook = nbformat.read(str(executed), as_version=4)
        run.title, run.notes = _title(notebook, path.stem), count_notes(notebook)
        run.defects = _notebook_defects(notebook)
        with contextlib.suppress(Exception):  # no page beats no index; the copy is linked
            run.page = export_html(executed, page)
            run.defects = count_defects(page)  # what the reader sees
    return run


def _checked_parameters(parameters: Mapping[str, Any], declared: Collection[str],
                        notebook_dir: Path) -> dict[str, Any]:
    """``--param`` values checked, with paths relative to the notebooks (papermill's cwd)."""
    from .parameters import PARAMETERS, ParameterError, check_parameters

    own = {name: value for name, value in parameters.items() if name in PARAMETERS
           or name not in declared}  # a custom notebook's own parameter passes unchecked
    checked = {**parameters, **check_parameters(own, from_options=True)}
    unused = set(checked) - set(declared)
    if unused:
        raise ParameterError(f"parameter(s) {', '.join(sorted(unused))} not declared by any "
                             f"notebook in {notebook_dir}")
    for name, value in checked.items():
        if name in PARAMETERS and PARAMETERS[name].kind in ("path", "file") \
                and value is not None:
            checked[name] = os.path.relpath(Path(value).resolve(), notebook_dir)
    return checked


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
) -> ReportResult:
    """Execute every numbered notebook on ``corpus_path`` and write HTML reports.

    Args:
        corpus_path: Corpus file or folder passed to each notebook as ``corpus_path``.
        out_dir: Output folder (created); gets ``NAME.html``, ``executed/NAME.ipynb``,
            ``tables/NAME/*.csv`` and ``index.html``.
        notebooks_dir: Folder of ``NN_name.ipynb`` notebooks, run in name order.
        model: spaCy pipeline passed as ``model`` (default: the notebooks' own default).
        parameters: Further parameters, checked against
            :data:`~analystkit.parameters.PARAMETERS` before any notebook runs; each is
            passed to the notebooks that declare it.
        kernel_name: Jupyter kernel (default: the notebook's own).

    Returns:
        The index and one :class:`NotebookRun` per notebook; a notebook that failed is in
        ``result.failed`` and marked in the index, and the others are written all the same.

    Raises:
        ReportError: Before any notebook runs: no notebooks, an unknown parameter or a value
            it does not allow (:class:`~analystkit.parameters.ParameterError`), or a corpus
            without readable documents.

    Example:
        >>> build_reports(corpus_path="seeds", out_dir="reports").summary()  # doctest: +SKIP
        '4 pages, 0 stderr blocks, 0 placeholder cells'
    """
    from .corpus import load_corpus
    from .pipeline import load_model, model_label

    shown_path, out_dir = Path(corpus_path), Path(out_dir)
    notebooks = sorted(Path(notebooks_dir).glob(NOTEBOOK_PATTERN))
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir}")
    # Relative to the notebooks (papermill runs them there), so reports do not show local paths.
    notebook_dir = Path(notebooks_dir).resolve()
    declared = {path: _declared_parameters(path) for path in notebooks}
    checked = _checked_parameters(parameters or {}, set().union(*declared.values()),
                                  notebook_dir)
    corpus = load_corpus(shown_path.resolve())  # fail early, with the loader's message
    model_version = model_label(load_model(model))
    wanted = {"corpus_path": os.path.relpath(shown_path.resolve(), notebook_dir),
              **({"model": model} if model else {}), **checked}
    (out_dir / "executed").mkdir(parents=True, exist_ok=True)
    runs = [_run_notebook(path, out_dir, {k: v for k, v in wanted.items() if k in declared[path]},
                          kernel_name=kernel_name) for path in notebooks]
    result = ReportResult(index=out_dir / "index.html", runs=runs)
    command = _command_line(shown_path, out_dir, model, parameters or {})
    result.index.write_text(_index_page(result, corpus=_corpus_line(shown_path, corpus),
                                        model_version=model_version, command=command),
                            encoding="utf-8")
    return result


def _command_line(corpus_path: Path, out_dir: Path, model: str | None,
                  parameters: dict[str, Any]) -> str:
    """The command that re-creates the reports, for the index."""
    return (f"analystkit report --seeds {corpus_path} --out {out_dir}"
            + (f" --model {model}" if model else "")
            + "".join(f" --param {k}={json.dumps(v)}" for k, v in parameters.items()))


def _corpus_line(shown_path: Path, corpus: Any) -> str:
    """``seeds (1 document, 549 words; 2 inputs skipped)``."""
    skipped = len(corpus.skipped)
    return (f"{shown_path} ({plural(len(corpus), 'document')}, "
            f"{plural(corpus.n_words, 'word')}"
            + (f"; {plural(skipped, 'input')} skipped" if skipped else "") + ")")


_INDEX_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left;
         vertical-align: top; }
tr.failed td { background: #fdecea; }
tr.failed td:first-child { border-left: 4px solid #b3261e; }
.status-failed { color: #b3261e; font-weight: 600; }
.small { font-size: .85em; color: #555; }
td.run { white-space: nowrap; }
p.alert { border-left: 4px solid #b3261e; background: #fdecea; padding: .5rem .8rem; }
"""


def _index_row(run: NotebookRun) -> str:
    esc = html.escape
    name = (f'<a href="{esc(run.page.name)}">{esc(run.title)}</a>' if run.page
            else esc(run.title))
    links = [f'<a href="executed/{esc(run.notebook)}">executed notebook</a>'] \
        if run.executed else []
    if run.failed:
        where = f"in cell In&nbsp;[{run.cell}]" if run.cell is not None else "before it ran"
        status = (f'<span class="status-failed">failed</span> {where}: '
                  f"<code>{esc(run.error or '')}</code>")
        if run.page:
            links.insert(0, f'<a href="{esc(run.page.name)}">page of the failed run</a>')
    else:
        status = "written"
    stderr, placeholders = run.defects
    if stderr or placeholders:
        status += (f'<br><span class="small">{plural(stderr, "stderr block")}, '
                   f"{plural(placeholders, 'placeholder cell')}</span>")
    notes = "" if run.notes is None else (plural(run.notes, "note") if run.notes else "no notes")
    return (f'<tr class="{"failed" if run.failed else "ok"}"><td>{name}<br>'
            f'<span class="small">{esc(run.notebook)}</span></td>'
            f"<td class=\"run\">{esc(run.started.strftime('%Y-%m-%d %H:%M UTC'))}"
            f'<br><span class="small">{run.seconds:.0f} s</span></td>'
            f"<td>{status}<br><span class=\"small\">{' · '.join(links)}</span></td>"
            f"<td>{esc(notes)}</td></tr>")


def _index_page(result: ReportResult, *, corpus: str, model_version: str,
                command: str) -> str:
    from . import __version__

    esc = html.escape
    alert = ""
    if result.failed:
        alert = (f'<p class="alert">{len(result.failed)} of '
                 f"{plural(len(result.runs), 'report')} failed; the others were written. "
                 "Each failed one links its executed notebook (with the traceback).</p>")
    rows = "\n".join(_index_row(run) for run in result.runs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>analystkit reports</title>
<style>{_INDEX_STYLE}</style>
</head>
<body>
<h1>analystkit reports</h1>
<p>Corpus: {esc(corpus)}<br>Model: {esc(model_version)}<br>
Re-create them with <code>{esc(command)}</code> (analystkit {esc(__version__)}).</p>
{alert}
<table>
<thead><tr><th>Report</th><th>Run</th><th>Result</th><th>Notes</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
