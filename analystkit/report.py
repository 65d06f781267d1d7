"""Build shareable HTML reports: run every notebook on a corpus, export it, write an index.

Each ``notebooks/NN_*.ipynb`` is executed with papermill (parameters ``corpus_path`` and
``model`` injected after its ``parameters`` cell), the executed copy is kept in
``OUT/executed/`` for audit, and an HTML page (code cells hidden unless ``with_code``) is
written to ``OUT/`` with the ``analystkit_offline`` template: no script is loaded from the
network, so a report opens offline and ``$`` in text is shown literally. ``OUT/index.html``
links every report with its run date, corpus and model version; everything taken from
documents is escaped.

Notebooks run in parallel, ``jobs`` at a time (default: one per core, at most one per
notebook), each in its own kernel; a page does not depend on which ran first, so a
parallel run writes the same pages as a serial one apart from run times. Before the
kernels start, a corpus the annotation cache does not hold yet is annotated (and its
polarity scored) once (:func:`analystkit.analysis.warm_caches`, in a child of the kernel
server, or here without one), so the kernels read the cache instead of each annotating the
same texts. Kernels are forked from a process that has imported analystkit and loaded the
pipeline once (:mod:`analystkit.kernelserver`; ``preload=False`` starts fresh ones).

Every page and the index carry the run's provenance (:mod:`analystkit.provenance`): the
corpus, its documents and words, a sha256 of the input files, the run time, model, the
analystkit version and git commit, every parameter with its effective value, and the shell
command that re-creates the reports; ``OUT/provenance.json`` holds the same record.

A notebook that fails does not stop the others: its executed copy and a page of the failed
run are still written, the index marks it (cell, error name and message), and
:attr:`ReportResult.failed` lists it (``analystkit report`` then exits non-zero). Parameters
are checked against :data:`analystkit.parameters.PARAMETERS` before any notebook runs.
Each notebook's kernel gets ``ANALYSTKIT_REPORT_TABLES_DIR=OUT/tables/<notebook stem>/`` (an
absolute path, created): whole tables go there as CSV files linked from the page.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime as dt
import html
import json
import os
import re
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import nbformat

from .display import TABLES_DIR_VARIABLE
from .errors import ReportError, plural
from .provenance import Provenance, build_provenance, shell_command

__all__ = ["NotebookRun", "PageDefects", "ReportResult", "build_reports", "count_defects",
           "count_notes", "default_jobs", "export_html", "parse_param", "plural"]

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


def export_html(notebook_path: str | Path, html_path: str | Path, *,
                with_code: bool = False) -> Path:
    """Export an executed notebook to offline HTML, without code cells by default.

    Args:
        notebook_path: The executed ``.ipynb``; its ``metadata.analystkit.provenance``, when
            present, is shown at the top of the page.
        html_path: Where to write the page.
        with_code: Show the code cells too.

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
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
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
    parameters: dict[str, Any] = field(default_factory=dict)
    """Every parameter the notebook declares, with the value it ran with."""

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
    provenance: Provenance | None = None
    """How the reports were made (also in every page and ``provenance.json``)."""

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


def default_jobs(notebooks: int) -> int:
    """Notebooks run at once by default: one per core this process may use, at most one per
    notebook, at least one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, notebooks))


def _kernel_manager_class(env: Mapping[str, str], cwd: Path, server: Any = None) -> type:
    """A kernel manager whose kernel runs in ``cwd`` with ``env`` on top of this process's
    environment, forked from ``server`` (a :class:`~analystkit.kernelserver.KernelServer`)
    when it is given, ready, and the kernelspec runs this interpreter's ipykernel.

    Set per kernel, never through ``os.environ`` or ``os.chdir`` (papermill's ``cwd``
    changes this process's working directory): notebooks running at the same time in other
    threads must not see each other's folder or variables (each has its own tables folder).
    """
    from jupyter_client.manager import AsyncKernelManager

    extra, folder = dict(env), str(cwd)

    class ReportKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
            kw["env"] = {**os.environ, **(kw.get("env") or {}), **extra}
            kw["cwd"] = folder
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before asking it to shut down; a report
            # shuts a kernel down only once it is idle, and the interrupt then races the
            # shutdown request ("KeyboardInterrupt caught in kernel" on the console).
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            from .kernelserver import is_plain_ipykernel

            cmd = super().format_kernel_cmd(extra_arguments)
            if server is not None and is_plain_ipykernel(cmd) and server.ready():
                return server.kernel_command(cmd[4], cmd[5:])
            return cmd

    return ReportKernelManager


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


@dataclass(frozen=True)
class _RunSettings:
    """What every notebook of one report run shares."""

    out_dir: Path
    kernel_name: str | None
    with_code: bool
    provenance: Provenance | None
    env: Mapping[str, str]
    """Variables for every kernel (besides its own tables folder)."""
    server: Any = None
    """The :class:`~analystkit.kernelserver.KernelServer` kernels are forked from, if any."""


def _run_notebook(path: Path, params: dict[str, Any], defaults: Mapping[str, Any],
                  settings: _RunSettings) -> NotebookRun:
    """Execute one notebook and export its page; a failure is recorded, never raised."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = nbformat.read(str(path), as_version=4)
    kernel = settings.kernel_name or source.metadata.get("kernelspec", {}).get("name", "python3")
    executed, page, tables = _fresh_outputs(settings.out_dir, path)
    run = NotebookRun(notebook=path.name, title=_title(source, path.stem),
                      started=dt.datetime.now(dt.UTC), parameters={**defaults, **params})
    clock = time.monotonic()
    manager = _kernel_manager_class({**settings.env, TABLES_DIR_VARIABLE: str(tables)},
                                    path.parent, settings.server)
    try:
        papermill.execute_notebook(  # no cwd: the kernel manager sets the kernel's
            str(path), str(executed), parameters=params,
            kernel_name=settings.kernel_name, progress_bar=False, log_output=False,
            config=kernel_config(kernel), kernel_manager_class=manager)
    except PapermillExecutionError as exc:
        run.cell, run.error = exc.exec_count, _one_line(f"{exc.ename}: {exc.evalue}")
    except Exception as exc:  # a dead kernel or a timeout must not stop the others
        run.error = _one_line(f"{type(exc).__name__}: {exc}")
    run.seconds = time.monotonic() - clock
    if executed.is_file():
        _export_run(run, executed, page, settings)
    return run


def _export_run(run: NotebookRun, executed: Path, page: Path, settings: _RunSettings) -> None:
    """Put the provenance into the executed copy, count what it holds, export its page."""
    notebook = nbformat.read(str(executed), as_version=4)
    ids = {cell.get("id") for cell in notebook.cells}
    for cell in notebook.cells:  # papermill gives its cell a random id: a page would differ
        if "injected-parameters" in cell.metadata.get("tags", []) \
                and "injected-parameters" not in ids:
            cell["id"] = "injected-parameters"
    record = settings.provenance.for_notebook(run.notebook, started=run.started,
                                              seconds=run.seconds, parameters=run.parameters)
    notebook.metadata.setdefault("analystkit", {})["provenance"] = record.to_dict()
    nbformat.write(notebook, str(executed))
    run.executed = executed
    run.title, run.notes = _title(notebook, executed.stem), count_notes(notebook)
    run.defects = _notebook_defects(notebook)
    with contextlib.suppress(Exception):  # no page beats no index; the copy is linked
        run.page = export_html(executed, page, with_code=settings.with_code)
        if not settings.with_code:  # code cells are not output: count what a reader sees
            run.defects = count_defects(page)


def _previous_seconds(out_dir: Path) -> dict[str, float]:
    """Each notebook's time in the last run into ``out_dir`` (its ``provenance.json``)."""
    try:
        record = json.loads((out_dir / "provenance.json").read_text(encoding="utf-8"))
        return {page["notebook"]: float(page["seconds"]) for page in record["notebooks"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _run_all(notebooks: list[Path], jobs: int, run_one: Callable[[Path], NotebookRun], *,
             previous: Mapping[str, float]) -> list[NotebookRun]:
    """Run the notebooks, ``jobs`` at a time (threads driving one kernel each).

    In parallel, the notebooks that took longest last time start first (one not run before
    counts as longest), so a long one does not start last and run alone; the results are
    in name order whatever the order of the runs.
    """
    if jobs <= 1 or len(notebooks) < 2:
        return [run_one(path) for path in notebooks]
    order = sorted(notebooks, key=lambda path: -previous.get(path.name, float("inf")))
    with ThreadPoolExecutor(max_workers=min(jobs, len(notebooks)),
                            thread_name_prefix="analystkit-report") as pool:
        futures = {path: pool.submit(run_one, path) for path in order}
        return [futures[path].result() for path in notebooks]


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


def _declared_parameters(path: Path) -> dict[str, Any]:
    """The notebook's parameters with their defaults (as values; as source text when the
    default is an expression rather than a literal)."""
    import papermill

    declared = {}
    for name, info in papermill.inspect_notebook(str(path)).items():
        try:
            declared[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError, TypeError):
            declared[name] = info["default"]
    return declared


def _analysis_options(checked: Mapping[str, Any], notebook_dir: Path) -> dict[str, Any]:
    """The options the notebooks give :class:`~analystkit.analysis.Analysis` (their core
    parameters), with the alias file as an absolute path."""
    aliases = checked.get("aliases_path")
    return {"aliases": str(notebook_dir / aliases) if aliases is not None else None,
            "merge_demonyms": checked.get("merge_demonyms", False),
            "reference_date": checked.get("reference_date"),
            "polarity": checked.get("polarity", "model"),
            "keep_other_languages": checked.get("keep_other_languages", False)}


def build_reports(
    *,
    corpus_path: str | Path = "seeds",
    out_dir: str | Path = "reports",
    notebooks_dir: str | Path = "notebooks",
    model: str | None = None,
    parameters: dict[str, Any] | None = None,
    kernel_name: str | None = None,
    jobs: int | None = None,
    with_code: bool = False,
    preload: bool = True,
) -> ReportResult:
    """Execute every numbered notebook on ``corpus_path`` and write HTML reports.

    Args:
        corpus_path: Corpus file or folder (each notebook's ``corpus_path``).
        out_dir: Output folder (created): ``NAME.html``, ``executed/NAME.ipynb``,
            ``tables/NAME/*.csv``, ``index.html``, ``provenance.json``.
        notebooks_dir: Folder of ``NN_name.ipynb`` notebooks, run in name order.
        model: spaCy pipeline, each notebook's ``model`` (default: the notebooks' own).
        parameters: More parameters, checked first, each given to the notebooks declaring it.
        kernel_name: Jupyter kernel (default: the notebook's own).
        jobs: Notebooks run at once (default :func:`default_jobs`; 1: one after another).
        with_code: Show the code cells in the pages (hidden by default).
        preload: Fork kernels from one that loaded analystkit and the pipeline once
            (:mod:`analystkit.kernelserver`); ``False``: fresh kernels.

    Returns:
        The index, provenance and runs; a failed notebook is in ``result.failed`` and marked
        in the index, and the others are written all the same.

    Raises:
        ReportError: Before any notebook runs: no notebooks, ``jobs`` below 1, no readable
            document, a parameter refused (:class:`~analystkit.parameters.ParameterError`).

    Example:
        >>> build_reports(corpus_path="seeds").summary()  # doctest: +SKIP
        '5 pages, 0 stderr blocks, 0 placeholder cells'
    """
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    if jobs is not None and jobs < 1:
        raise ReportError(f"jobs must be at least 1, not {jobs}")
    declared, checked = _notebooks_and_parameters(Path(notebooks_dir), parameters or {})
    env, kernel_server = _kernel_setup(preload, corpus_path=corpus_path, model=model,
                                       checked=checked, notebooks_dir=Path(notebooks_dir))
    with kernel_server as server:
        settings, wanted = _prepare_run(corpus_path, out_dir=out_dir, model=model,
            notebooks_dir=notebooks_dir, parameters=parameters or {}, checked=checked,
            started=started, settings=_RunSettings(Path(out_dir).resolve(), kernel_name,
                                                   with_code, None, env, server))
        runs = _run_all(list(declared), jobs or default_jobs(len(declared)), lambda path:
                        _run_notebook(path, {k: v for k, v in wanted.items()
                                             if k in declared[path]}, declared[path], settings),
                        previous=_previous_seconds(settings.out_dir))
    provenance = settings.provenance
    provenance.seconds, provenance.parameters = (round(time.monotonic() - clock, 2),
                                                 _report_parameters(runs))
    result = ReportResult(settings.out_dir / "index.html", runs, provenance)
    _write_index(result)
    return result


def _kernel_setup(preload: bool, *, corpus_path: str | Path, model: str | None,
                  checked: Mapping[str, Any], notebooks_dir: Path
                  ) -> tuple[dict[str, str], Any]:
    """The variables every kernel gets, and the kernel server to fork them from (a context
    manager giving ``None`` when ``preload`` is off or the platform cannot fork)."""
    from .kernelserver import maybe_server
    from .pipeline import CACHE_ENV, default_cache_dir

    env = {"MPLBACKEND": INLINE_BACKEND,  # the kernels get the same cache folder as here
           CACHE_ENV: str(default_cache_dir().resolve())}
    options = _analysis_options(checked, notebooks_dir.resolve())
    warm = {"corpus": str(Path(corpus_path).resolve()), "options": options,
            "cache_dir": env[CACHE_ENV]}
    server = maybe_server(preload, model=model, env={**os.environ, **env},
                          aliases=options["aliases"], warm=warm)
    return env, server


def _notebooks_and_parameters(notebooks_dir: Path, parameters: Mapping[str, Any]
                              ) -> tuple[dict[Path, dict[str, Any]], dict[str, Any]]:
    """The notebooks (absolute paths, in name order) with their declared parameters and
    defaults, and the ``--param`` values checked against them."""
    notebooks = sorted(notebooks_dir.resolve().glob(NOTEBOOK_PATTERN))
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir}")
    declared = {path: _declared_parameters(path) for path in notebooks}
    checked = _checked_parameters(parameters, set().union(*declared.values()),
                                  notebooks_dir.resolve())
    return declared, checked


def _prepare_run(corpus_path: str | Path, *, out_dir: str | Path, notebooks_dir: str | Path,
                 model: str | None, parameters: Mapping[str, Any], checked: dict[str, Any],
                 started: dt.datetime, settings: _RunSettings
                 ) -> tuple[_RunSettings, dict[str, Any]]:
    """Load the corpus (failing early, with the loader's message), warm the caches, make
    the provenance record; return the run's settings with it, and the parameters to inject."""
    from .analysis import load_input
    from .pipeline import CACHE_ENV

    notebook_dir = Path(notebooks_dir).resolve()
    corpus, model_version = load_input(  # an annotated dataset: nothing to warm
        Path(corpus_path).resolve(),
        keep_other_languages=checked.get("keep_other_languages", False))
    server = settings.server
    if model_version is None and server is not None and server.ready():
        model_version = server.model_label
    if model_version is None:  # no server, or its warm-up failed: here, errors shown
        from .analysis import warm_caches

        model_version = warm_caches(corpus, model=model,
                                    options=_analysis_options(checked, notebook_dir),
                                    cache_dir=Path(settings.env[CACHE_ENV]))
    command = _command_line(corpus_path, out_dir, notebooks_dir, model, parameters,
                            with_code=settings.with_code)
    provenance = build_provenance(corpus, corpus_path=corpus_path, model=model_version,
                                  command=command, started=started)
    settings = dataclasses.replace(settings, provenance=provenance)
    settings.out_dir.joinpath("executed").mkdir(parents=True, exist_ok=True)
    # Relative to the notebooks (papermill runs them there), so reports show no local paths.
    wanted = {"corpus_path": os.path.relpath(Path(corpus_path).resolve(), notebook_dir),
              **({"model": model} if model else {}), **checked}
    return settings, wanted


def _command_line(corpus_path: str | Path, out_dir: str | Path, notebooks_dir: str | Path,
                  model: str | None, parameters: Mapping[str, Any], *,
                  with_code: bool) -> str:
    """The shell command that re-creates the reports (paths as given, each word quoted)."""
    from .pipeline import MODEL_ENV

    words = [_program(), "report", "--seeds", os.fspath(corpus_path),
             "--out", os.fspath(out_dir)]
    if Path(notebooks_dir) != Path("notebooks"):
        words += ["--notebooks", os.fspath(notebooks_dir)]
    if model:
        words += ["--model", model]
    if with_code:
        words.append("--with-code")
    for name, value in parameters.items():
        words += ["--param", f"{name}={json.dumps(value, default=str)}"]
    # A model chosen by the environment is part of the command, so it is the same model.
    env = {MODEL_ENV: os.environ[MODEL_ENV]} if not model and os.environ.get(MODEL_ENV) else {}
    return shell_command(words, env)


def _program() -> str:
    """The program as this run invoked it (``.venv/bin/analystkit``) when that is not the
    ``analystkit`` on PATH, so the printed command runs as shown; else ``analystkit``."""
    import shutil
    import sys

    invoked = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if invoked is None or invoked.name != "analystkit":
        return "analystkit"  # called from Python: the console script is the way to re-run
    on_path = shutil.which("analystkit")
    if on_path and Path(on_path).resolve() == invoked.resolve():
        return "analystkit"
    return sys.argv[0]


def _report_parameters(runs: list[NotebookRun]) -> dict[str, Any]:
    """Every parameter of the run: its value, or ``{notebook: value}`` where they differ."""
    values: dict[str, dict[str, Any]] = {}
    for run in runs:
        for name, value in run.parameters.items():
            values.setdefault(name, {})[Path(run.notebook).stem] = value
    merged: dict[str, Any] = {}
    for name, by_notebook in values.items():
        distinct = {json.dumps(value, sort_keys=True, default=str)
                    for value in by_notebook.values()}
        merged[name] = next(iter(by_notebook.values())) if len(distinct) == 1 else by_notebook
    return merged


def _write_index(result: ReportResult) -> None:
    """``index.html`` and ``provenance.json`` of a finished run."""
    provenance = result.provenance
    corpus = (f"{provenance.corpus_path} ({plural(provenance.documents, 'document')}, "
              f"{plural(provenance.words, 'word')}"
              + (f"; {plural(provenance.skipped, 'input')} skipped"
                 if provenance.skipped else "") + ")")
    result.index.write_text(_index_page(result, corpus=corpus), encoding="utf-8")
    pages = [{"notebook": run.notebook, "title": run.title,
              "page": run.page.name if run.page else None,
              "error": run.error, "cell": run.cell,
              "started": run.started.isoformat(timespec="seconds"),
              "seconds": round(run.seconds, 2), "parameters": run.parameters}
             for run in result.runs]
    record = {"report": provenance.to_dict(), "notebooks": pages}
    (result.index.parent / "provenance.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _provenance_html(provenance: Provenance, *, open_block: bool = False) -> str:
    """The page template's provenance block (same macro, same escaping) for the index."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR / TEMPLATE_NAME), autoescape=False)
    macro = environment.get_template("provenance.html.j2").module.provenance_block
    return str(macro(provenance.to_dict(), open_block))


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
.ak-provenance { margin: 1.5rem 0; padding: .4rem .8rem; border: 1px solid #ccc;
                 border-radius: 4px; font-size: .9em; }
.ak-provenance summary { cursor: pointer; }
.ak-provenance dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.ak-provenance dt { font-weight: 600; }
.ak-provenance dd { margin: 0; overflow-wrap: anywhere; }
.ak-provenance table { width: auto; }
.ak-provenance th, .ak-provenance td { border: 0; padding: 0 1rem 0 0; font-weight: normal; }
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


def _index_page(result: ReportResult, *, corpus: str) -> str:
    esc = html.escape
    provenance = result.provenance
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
<p>Corpus: {esc(corpus)}<br>Model: {esc(provenance.model)}<br>
Re-create them with <code>{esc(provenance.command)}</code>, run from the folder
they were made in
(analystkit {esc(provenance.analystkit_version)}, commit {esc(provenance.git_commit)}).</p>
{alert}
<table>
<thead><tr><th>Report</th><th>Run</th><th>Result</th><th>Notes</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
{_provenance_html(provenance, open_block=True)}
</body>
</html>
"""
