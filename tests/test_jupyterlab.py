"""JupyterLab as a person uses it (issue 11, point 5): every notebook run through the interface.

One JupyterLab server (127.0.0.1, a free port, a random token, its own config, data, runtime,
settings and workspace folders, announcements and update checks off) serves a temporary copy
of ``notebooks/`` next to a copy of ``seeds/``, so the repository's notebooks keep no outputs.
Headless Chromium (playwright) opens each notebook, runs it with the Run menu's "Run All
Cells", waits until the kernel is idle and every code cell has an execution count, then checks
what a reader would see: no cell shows a traceback, every figure is drawn (as many decoded
images as the same notebook produces when executed headlessly by nbclient), and the page asked
nothing of any address but the server. The notebook is closed and its kernel shut down without
saving; the server is stopped in the fixture's teardown, also when a test fails.

Skipped, with the reason, without Debian's ``chromium``, playwright (``tests/browser.py`` says
which) or the English pipeline. The PNG of every figure as JupyterLab drew it is kept in the
test's temporary folder (``NAME-figure-N.png``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
START_TIMEOUT = 90  # seconds for the server to answer /api/status
RUN_TIMEOUT = 300  # seconds for "Run All Cells" to finish one notebook
# What JupyterLab draws as an <img> in .jp-RenderedImage, and the richer types it prefers.
BITMAPS = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
PREFERRED_OVER_BITMAPS = {"text/html", "text/markdown", "text/latex", "image/svg+xml"}
ERROR_TEXT = re.compile(r"Traceback|^\s*[A-Za-z_.]*(Error|Exception)\b", re.MULTILINE)


@dataclass
class Lab:
    """A running JupyterLab server: where it answers, its token and its log."""

    url: str
    token: str
    root: Path
    log: Path
    env: dict[str, str] = field(repr=False)
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lab_environment(base: Path) -> dict[str, str]:
    """The server's (and its kernels') environment: no user state, the run's cache."""
    from analystkit.display import TABLES_DIR_VARIABLE
    from analystkit.pipeline import CACHE_ENV, default_cache_dir

    env = dict(os.environ)
    for leaking in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "MPLBACKEND", TABLES_DIR_VARIABLE,
                    "JUPYTER_TOKEN", "JUPYTER_PREFER_ENV_PATH"):
        env.pop(leaking, None)
    folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
               "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "settings",
               "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "IPYTHONDIR": "ipython"}
    for variable, name in folders.items():
        (base / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(base / name)
    env[CACHE_ENV] = str(default_cache_dir().resolve())  # the cache of this test run
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # No news feed, no update check: the announcements plugin is told "never" up front, so
    # it neither asks nor fetches (the server side is switched off by the command line too).
    notification = base / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


def _copy_project(root: Path) -> Path:
    """``notebooks/`` and ``seeds/`` copied side by side (the notebooks read ``../seeds``)."""
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root


CONTROL = Path("notebooks") / "control_broken.ipynb"  # in the temporary copy only


def _write_control(root: Path) -> None:
    """A notebook whose run must be reported: a chart, an image that cannot be decoded, an
    error, and a cell that Run All never reaches."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in (
        "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);",
        "from IPython.display import display\n"
        "display({'image/png': 'bm90IGEgcG5n'}, raw=True)  # base64 of 'not a png'",
        "1 / 0",
        "print('never reached')")]
    nbformat.write(nb, str(root / CONTROL))


def _wait_until_up(lab: Lab) -> None:
    request = urllib.request.Request(f"{lab.url}/api/status",
                                     headers={"Authorization": f"token {lab.token}"})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {lab.process.returncode} before "
                               f"answering; its log ends:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200 and "started" in json.loads(response.read()):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer {lab.url}/api/status within "
                       f"{START_TIMEOUT} s; its log ends:\n{lab.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (the server shuts its kernels down), then SIGKILL to the whole process group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    try:  # kernels the server left behind are in its process group (start_new_session)
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def english_model() -> None:
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed: the notebooks cannot run")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, english_model) -> Iterator[Lab]:
    """One JupyterLab server for every notebook, stopped at the end whatever happened."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = _copy_project(base / "project")
    _write_control(root)
    env = _lab_environment(base / "state")
    port, token = _free_port(), secrets.token_hex(24)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log = base / "jupyterlab.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log, env=env,
                 process=process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by playwright (tests/browser.py; never a downloaded
    browser); skips, saying what is missing, without either."""
    from browser import launch_chromium, missing_browser

    missing = missing_browser()
    if missing:
        pytest.skip(f"JupyterLab browser test skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def _figures_made(notebook: Path, env: dict[str, str]) -> int:
    """How many images JupyterLab should draw: the notebook executed headlessly (nbclient,
    which owns and shuts down its kernel) in the same environment, counting the outputs
    whose preferred rendering is a bitmap. Errors are kept, for the Lab run to show."""
    from nbclient import NotebookClient

    from analystkit.report import kernel_config

    nb = nbformat.read(notebook, as_version=4)
    name = nb.metadata.get("kernelspec", {}).get("name", "python3")
    NotebookClient(nb, kernel_name=name, config=kernel_config(name), timeout=RUN_TIMEOUT,
                   allow_errors=True,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute(env=env)
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for output in cell.get("outputs", [])
               if BITMAPS & set(output.get("data", {}))
               and not PREFERRED_OVER_BITMAPS & set(output.get("data", {})))


# --- the page, as a person drives it ------------------------------------------------------

# What the open notebook shows: prompts, stderr outputs, kernel state, images, dialogs.
NOTEBOOK_STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const images = panel ? [...panel.querySelectorAll('.jp-RenderedImage img')] : [];
  return panel && {
    prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
      .map(e => e.textContent.trim()),
    stderr: [...panel.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent),
    indicator: panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status ?? '',
    statusbar: document.querySelector('#jp-main-statusbar')?.textContent ?? '',
    debuggerOff: panel.querySelector('.jp-DebuggerBugButton')
      ?.getAttribute('aria-disabled') === 'true',
    images: images.length,
    loaded: images.every(i => i.complete),
    decoded: images.filter(i => i.complete && i.naturalWidth > 0).length,
    dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.textContent),
  };
}"""
EXECUTED = re.compile(r"^\[\d+\]:$")


def _idle(state: dict) -> bool:
    """The toolbar and the status bar both say the kernel is idle (not starting, not busy)."""
    return state["indicator"] == "idle" and "| Idle" in state["statusbar"]


def _ready(state: dict | None, code_cells: int) -> bool:
    return bool(state) and len(state["prompts"]) == code_cells and _idle(state) \
        and not state["debuggerOff"] and not state["dialogs"]


def _finished(state: dict | None) -> bool:
    """Idle with every code cell numbered, or stopped by an error (Run All stops there), or
    waiting on a dialog; and every image has loaded (decoded or broken)."""
    return bool(state) and _idle(state) and state["loaded"] and (
        all(EXECUTED.match(prompt) for prompt in state["prompts"])
        or any("Traceback" in text for text in state["stderr"]) or bool(state["dialogs"]))


def _wait_for(page, condition, *, timeout: float, what: str) -> dict:
    """Poll the notebook's state until ``condition`` holds; on timeout say what was seen."""
    deadline, state = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = page.evaluate(NOTEBOOK_STATE)
        if condition(state):
            return state
        page.wait_for_timeout(250)
    seen = {key: value for key, value in (state or {}).items() if key != "stderr"}
    raise AssertionError(f"JupyterLab: {what} within {timeout:.0f} s; last seen: {seen}")


def _menu(page, menu: str, command: str) -> None:
    """Open a main-menu menu by its label and click the item that runs ``command``."""
    page.locator(f".lm-MenuBar-item:has(.lm-MenuBar-itemLabel:text-is('{menu}'))").click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def _kernels(lab: Lab) -> list:
    request = urllib.request.Request(f"{lab.url}/api/kernels",
                                     headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _close_without_saving(page, lab: Lab) -> None:
    """File > Close and Shut Down Notebook, Ok, and Discard if asked to save."""
    _menu(page, "File", "filemenu:close-and-cleanup")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            discard = dialog.locator("button:has-text('Discard'), button:has-text(\"Don't Save\")")
            (discard if discard.count() else dialog.locator(".jp-mod-accept")).first.click()
        elif not page.locator(".jp-NotebookPanel").count() and not _kernels(lab):
            return
        page.wait_for_timeout(250)
    raise RuntimeError("the notebook did not close, or its kernel did not shut down, in 30 s")


def _home(page, lab: Lab) -> None:
    """A fresh JupyterLab page (workspace reset) with the file browser in ``notebooks/``."""
    page.goto(f"{lab.url}/lab/tree/notebooks?reset&token={lab.token}")
    page.locator(".jp-DirListing-item").first.wait_for(timeout=START_TIMEOUT * 1000)


@pytest.fixture(scope="module")
def lab_page(browser, lab: Lab):
    """One JupyterLab page for every notebook; it records every request the page makes to an
    address other than the server's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.offsite = []
    page.on("request", lambda request: None if request.url.startswith(
        (lab.url + "/", "data:", "blob:")) else page.offsite.append(request.url))
    _home(page, lab)
    try:
        yield page
    finally:
        context.close()


def _screenshot_figures(page, prefix: Path) -> None:
    """Scroll to each drawn figure, as a reader would, and keep a PNG of it; a figure that
    takes no room on the page cannot be shot and fails here."""
    images = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img")
    for index in range(images.count()):
        image = images.nth(index)
        if not image.evaluate("image => image.naturalWidth > 0"):
            continue  # counted as not decoded by _problems
        box = None
        for _ in range(20):  # cells above take their real height as they come into view
            image.scroll_into_view_if_needed(timeout=10_000)
            page.wait_for_timeout(100)
            box, previous = image.bounding_box(), box
            if box and box == previous:
                break
        image.screenshot(path=f"{prefix}-figure-{index + 1}.png", timeout=10_000)


def _run_in_lab(page, lab: Lab, name: str, *, code_cells: int, shots: Path) -> dict:
    """Open ``notebooks/NAME`` from the file browser, Run > Run All Cells, wait until it is
    done, screenshot its figures, close it without saving; the state seen when it was done.
    When anything fails the page is reloaded and the server's kernels are shut down, so the
    next notebook starts clean."""
    try:
        page.locator(".jp-DirListing-itemText",
                     has_text=re.compile(f"^{re.escape(name)}$")).dblclick()
        _wait_for(page, lambda state: _ready(state, code_cells), timeout=START_TIMEOUT,
                  what=f"{name} did not open with an idle kernel and {code_cells} code cells")
        _menu(page, "Run", "runmenu:run-all")
        state = _wait_for(page, _finished, timeout=RUN_TIMEOUT,
                          what=f"Run All Cells did not finish {name}")
        _screenshot_figures(page, shots / Path(name).stem)
        _close_without_saving(page, lab)
        return state
    except BaseException:
        page.screenshot(path=str(shots / f"{Path(name).stem}-failed.png"))
        _home(page, lab)  # the next notebook starts from a fresh page, on an idle machine
        for kernel in _kernels(lab):
            urllib.request.urlopen(urllib.request.Request(
                f"{lab.url}/api/kernels/{kernel['id']}", method="DELETE",
                headers={"Authorization": f"token {lab.token}"}), timeout=30).close()
        raise


def _problems(name: str, state: dict, *, figures: int) -> list[str]:
    """What a reader of the run notebook would find wrong, one sentence each."""
    problems = [f"{name} shows an error: ...{text[-1500:]}" for text in state["stderr"]
                if ERROR_TEXT.search(text)]
    problems += [f"{name}: JupyterLab asks: {text}" for text in state["dialogs"]]
    unrun = [number for number, prompt in enumerate(state["prompts"], 1)
             if not EXECUTED.match(prompt)]
    if unrun:
        problems.append(f"{name}: code cells {unrun} (counting from 1) have no execution count")
    if not state["decoded"] == state["images"] == figures:
        problems.append(f"{name}: {state['decoded']} of {state['images']} images decoded in "
                        f"JupyterLab; executed headlessly it makes {figures} figures")
    return problems


def _code_cells(path: Path) -> int:
    return sum(cell.cell_type == "code" for cell in nbformat.read(path, as_version=4).cells)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(notebook: Path, lab_page, lab: Lab, tmp_path: Path):
    copy = lab.root / "notebooks" / notebook.name
    figures = _figures_made(copy, lab.env)
    offsite_before, started = len(lab_page.offsite), time.monotonic()
    state = _run_in_lab(lab_page, lab, notebook.name, code_cells=_code_cells(copy),
                        shots=tmp_path)
    problems = _problems(notebook.name, state, figures=figures)
    assert not problems, "\n".join(problems)
    assert lab_page.offsite[offsite_before:] == [], "JupyterLab asked other addresses"
    print(f"{notebook.name}: {len(state['prompts'])} code cells run through JupyterLab, "
          f"{state['decoded']} figures drawn, {time.monotonic() - started:.1f} s")


def test_a_broken_notebook_is_reported(lab_page, lab: Lab, tmp_path: Path):
    """The checks can fail: a notebook with an undecodable image and an error in its third
    cell is reported for the error, the cell Run All never reached, and the broken image."""
    name = CONTROL.name
    copy = lab.root / "notebooks" / name
    figures = _figures_made(copy, lab.env)
    state = _run_in_lab(lab_page, lab, name, code_cells=_code_cells(copy), shots=tmp_path)
    problems = _problems(name, state, figures=figures)
    assert figures == 2, "headless: a chart and the undecodable image"
    assert any("ZeroDivisionError" in problem for problem in problems), problems
    assert any("code cells [4]" in problem for problem in problems), problems
    assert any("1 of 2 images decoded" in problem for problem in problems), problems
