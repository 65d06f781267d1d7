"""Open HTML reports in headless Chromium and check that nothing in them is live.

:func:`check_reports` opens ``index.html`` and every report page of a report folder from disk
(``file://``) in Debian's Chromium (``/usr/bin/chromium``, driven by playwright's Python
package; playwright's own browser downloads are never used) and checks, per page:

* no dialog opened (``alert``, ``confirm``, ``prompt``);
* no probe set: ``window.__ak_probe`` (the global every payload of :mod:`hostile` sets, from a
  script, an ``onerror`` or an ``onload`` handler) is watched from before the page loads, so
  an assignment is seen even if a later script removed it;
* no request other than the page's own files under the report folder and ``data:`` URIs (any
  other request is recorded and aborted, so nothing leaves the machine);
* no console error and no uncaught page error;
* no live element: ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<base>``, a
  stylesheet ``<link>``, an ``on...`` attribute or a ``javascript:`` link (the report template
  writes none of these, so any one came from document text);
* every ``<img>`` decoded (``complete`` and ``naturalWidth > 0``);
* the tables and figures the executed notebook (``executed/NAME.ipynb``) produced are on the
  page: its HTML table outputs and image outputs counted the way nbconvert picks what to show.

A PNG of each page's first screen (1280x800) goes to ``OUT/screenshots/NAME.png``.

As a script: ``python tests/browser.py reports`` prints one row per page and exits 1 when a
page has a problem; without Chromium or playwright it says so and exits 0 (``--require``
makes that an error, exit 2). :func:`launch_chromium` is the one way the tests start the
browser (tests/test_jupyterlab.py uses it too).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic")
VIEWPORT = {"width": 1280, "height": 800}
PROBE = "__ak_probe"

# Records every value assigned to the probe global; runs before any script of the page.
_WATCH_PROBE = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__ak_probe_hits", {value: hits});
  Object.defineProperty(window, "__ak_probe", {
    configurable: false,
    get() { return hits.length ? hits[hits.length - 1] : undefined; },
    set(value) { hits.push(String(value)); },
  });
})();
"""

# Elements and attributes the report template never writes: any one came from a document.
_LIVE_ELEMENTS = """
() => {
  const found = [];
  const say = (el, what) => found.push(what + " in <" + el.tagName.toLowerCase() + ">");
  for (const el of document.querySelectorAll(
      "script, iframe, frame, object, embed, base, link[rel~=stylesheet], "
      + "meta[http-equiv]")) {
    found.push("<" + el.tagName.toLowerCase() + ">");
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) say(el, attr.name);
      else if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name)
               && value.startsWith("javascript:")) say(el, "javascript: " + attr.name);
    }
  }
  return found;
}
"""

_IMAGES = """
() => Array.from(document.images).map(img => ({
  ok: img.complete && img.naturalWidth > 0, src: img.src.slice(0, 80)}))
"""

# What the page shows: tables and images of the outputs (every table on a page that is not a
# notebook, the index), and how often the probe's name is visible text.
_SHOWN = """
() => {
  const notebook = document.querySelector(".jp-Notebook") !== null;
  return {
    tables: document.querySelectorAll(notebook
      ? ".jp-OutputArea-output table" : "table").length,
    figures: document.querySelectorAll(".jp-OutputArea-output img").length,
    probe_texts: document.body.innerText.split("__ak_probe").length - 1,
  };
}
"""

# nbconvert's HTML display order: the first of these an output has is what the page shows.
_DISPLAY_PRIORITY = ("text/html", "application/pdf", "text/latex", "image/svg+xml",
                     "image/png", "image/jpeg", "text/markdown", "text/plain")


def chromium_path() -> str | None:
    """Debian's Chromium (``/usr/bin/chromium``, else ``chromium`` on PATH), or None."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium")


def missing_browser() -> str | None:
    """Why the browser checks cannot run here (a reader's sentence), or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if chromium_path() is None:
        return "chromium is not installed (Debian: apt-get install chromium)"
    return None


def launch_chromium(playwright: Any, *, headless: bool = True) -> Any:
    """Launch Debian's Chromium through playwright, with no network of its own.

    Args:
        playwright: The object ``sync_playwright().start()`` (or its ``with``) gives.
        headless: Without a window (default).

    Returns:
        A playwright ``Browser``; close it when done.

    Raises:
        RuntimeError: When Chromium is not installed.

    Example:
        >>> from playwright.sync_api import sync_playwright
        >>> with sync_playwright() as pw:  # doctest: +SKIP
        ...     browser = launch_chromium(pw)
        ...     page = browser.new_page()
    """
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(missing_browser() or "chromium is not installed")
    return playwright.chromium.launch(executable_path=executable, headless=headless,
                                      args=list(CHROMIUM_ARGS))


@contextlib.contextmanager
def chromium(*, headless: bool = True) -> Iterator[Any]:
    """``with chromium() as browser:`` playwright started, Chromium launched, both stopped."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageCheck:
    """What the browser saw on one page."""

    page: str
    """File name, e.g. ``02_stance.html``."""
    dialogs: list[str] = field(default_factory=list)
    """Messages of dialogs the page opened."""
    probes: list[str] = field(default_factory=list)
    """Values assigned to ``window.__ak_probe`` (each names the payload that ran)."""
    requests: list[str] = field(default_factory=list)
    """Addresses requested other than the page's own files and data: URIs."""
    console_errors: list[str] = field(default_factory=list)
    """Console errors and uncaught page errors."""
    live: list[str] = field(default_factory=list)
    """Live elements and attributes found in the page (see the module docstring)."""
    images_ok: int = 0
    images_total: int = 0
    tables: int = 0
    figures: int = 0
    expected_tables: int | None = None
    """From the executed notebook; None for the index."""
    expected_figures: int | None = None
    probe_texts: int = 0
    """Times ``__ak_probe`` is on the page as visible text: hostile text shown as text."""
    screenshot: Path | None = None

    def problems(self) -> list[str]:
        """Each problem in a sentence; empty when the page is clean and complete."""
        said = [f"{len(items)} {what}: {'; '.join(items[:3])[:300]}"
                for what, items in (("dialog(s)", self.dialogs), ("probe(s) set", self.probes),
                                    ("request(s)", self.requests),
                                    ("console error(s)", self.console_errors),
                                    ("live element(s)", self.live)) if items]
        if self.images_ok < self.images_total:
            said.append(f"{self.images_total - self.images_ok} of {self.images_total} images "
                        "not decoded")
        if self.expected_tables is not None and self.tables != self.expected_tables:
            said.append(f"{self.tables} tables shown, the notebook made {self.expected_tables}")
        if self.expected_figures is not None and self.figures != self.expected_figures:
            said.append(f"{self.figures} figures shown, the notebook made "
                        f"{self.expected_figures}")
        return said

    @property
    def ok(self) -> bool:
        """No problem."""
        return not self.problems()


def expected_outputs(executed: str | Path) -> tuple[int, int]:
    """Tables and figures an executed notebook shows in its HTML page.

    Args:
        executed: The executed ``.ipynb`` (``OUT/executed/NAME.ipynb``).

    Returns:
        ``(tables, figures)``: ``<table>`` elements in the HTML outputs nbconvert shows and
        image outputs (PNG, JPEG) it shows, over the code cells' outputs.

    Example:
        >>> expected_outputs("reports/executed/03_timeline.ipynb")  # doctest: +SKIP
        (4, 2)
    """
    import re

    import nbformat

    notebook = nbformat.read(str(executed), as_version=4)
    tables = figures = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data") or {}
            shown = next((mime for mime in _DISPLAY_PRIORITY if mime in data), None)
            if shown == "text/html":
                text = data[shown] if isinstance(data[shown], str) else "".join(data[shown])
                tables += len(re.findall(r"<table\b", text, re.IGNORECASE))
            elif shown in ("image/png", "image/jpeg"):
                figures += 1
    return tables, figures


def _own_file(url: str, root: Path) -> bool:
    from urllib.parse import unquote, urlparse

    if url.startswith(("data:", "about:blank")):
        return True
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return False
    return Path(unquote(parsed.path)).resolve().is_relative_to(root)


def _watch(page: Any, check: PageCheck, root: Path) -> None:
    """Record dialogs, requests and errors on ``page`` into ``check``; block foreign requests."""
    def on_dialog(dialog: Any) -> None:
        check.dialogs.append(f"{dialog.type}: {dialog.message}"[:120])
        dialog.dismiss()

    def on_route(route: Any) -> None:
        if _own_file(route.request.url, root):
            route.continue_()
        else:
            route.abort()

    def on_request(request: Any) -> None:
        if not _own_file(request.url, root):
            check.requests.append(request.url[:200])

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.on("console", lambda message: message.type == "error"
            and check.console_errors.append(message.text[:200]))
    page.on("pageerror", lambda error: check.console_errors.append(f"uncaught: {error}"[:200]))
    page.route("**/*", on_route)
    page.add_init_script(_WATCH_PROBE)


def check_page(browser: Any, html_path: str | Path, *, root: str | Path | None = None,
               expected: tuple[int, int] | None = None,
               screenshot: str | Path | None = None) -> PageCheck:
    """Open one HTML file from disk and check it (see the module docstring).

    Args:
        browser: From :func:`launch_chromium`.
        html_path: The page.
        root: Folder whose files the page may load (default: the page's folder).
        expected: ``(tables, figures)`` the page must show (:func:`expected_outputs`).
        screenshot: Where to save a PNG of the first screen (default: none).

    Returns:
        A :class:`PageCheck`.

    Example:
        >>> with chromium() as browser:  # doctest: +SKIP
        ...     check_page(browser, "reports/index.html").ok
        True
    """
    html_path = Path(html_path).resolve()
    check = PageCheck(page=html_path.name)
    if expected is not None:
        check.expected_tables, check.expected_figures = expected
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=True)
    try:
        page = context.new_page()
        _watch(page, check, Path(root).resolve() if root else html_path.parent)
        page.goto(html_path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)  # late handlers (onload of lazy elements) get their turn
        check.probes = page.evaluate("() => Array.from(window.__ak_probe_hits || [])")
        check.live = page.evaluate(_LIVE_ELEMENTS)
        images = page.evaluate(_IMAGES)
        check.images_total, check.images_ok = len(images), sum(i["ok"] for i in images)
        shown = page.evaluate(_SHOWN)
        check.tables, check.figures = shown["tables"], shown["figures"]
        check.probe_texts = shown["probe_texts"]
        if screenshot is not None:
            Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=False)
            check.screenshot = Path(screenshot)
    finally:
        context.close()
    return check


def report_pages(out_dir: str | Path) -> list[Path]:
    """``index.html`` first, then every report page of a report folder, in name order."""
    out_dir = Path(out_dir)
    pages = sorted(path for path in out_dir.glob("*.html") if path.name != "index.html")
    index = out_dir / "index.html"
    return ([index] if index.is_file() else []) + pages


def check_reports(out_dir: str | Path, *, browser: Any = None) -> list[PageCheck]:
    """Check the index and every report page of ``out_dir`` in headless Chromium.

    Args:
        out_dir: A folder written by ``analystkit report`` / ``build_reports``.
        browser: A browser from :func:`launch_chromium` (default: one is started and stopped).

    Returns:
        One :class:`PageCheck` per page, the index first; screenshots in
        ``out_dir/screenshots/``.

    Raises:
        FileNotFoundError: When ``out_dir`` has no HTML page.

    Example:
        >>> [check.page for check in check_reports("reports") if not check.ok]  # doctest: +SKIP
        []
    """
    out_dir = Path(out_dir).resolve()
    pages = report_pages(out_dir)
    if not pages:
        raise FileNotFoundError(f"no HTML page in {out_dir}: run `make report` first")
    if browser is None:
        with chromium() as started:
            return check_reports(out_dir, browser=started)
    checks = []
    for page in pages:
        executed = out_dir / "executed" / f"{page.stem}.ipynb"
        expected = expected_outputs(executed) if executed.is_file() else None
        checks.append(check_page(browser, page, root=out_dir, expected=expected,
                                 screenshot=out_dir / "screenshots" / f"{page.stem}.png"))
    return checks


def format_checks(checks: list[PageCheck]) -> str:
    """A table: page, probes, requests, console errors, live elements, images, tables, figures.

    Example:
        >>> print(format_checks(check_reports("reports")))  # doctest: +SKIP
    """
    def expected(shown: int, wanted: int | None) -> str:
        return str(shown) if wanted is None else f"{shown}/{wanted}"

    rows = [("page", "dialogs", "probes", "requests", "console errors", "live", "images ok",
             "tables", "figures", "probe as text")]
    rows += [(c.page, str(len(c.dialogs)), str(len(c.probes)), str(len(c.requests)),
              str(len(c.console_errors)), str(len(c.live)), f"{c.images_ok}/{c.images_total}",
              expected(c.tables, c.expected_tables), expected(c.figures, c.expected_figures),
              str(c.probe_texts))
             for c in checks]
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    bad = [c for c in checks if not c.ok]
    lines.append(f"{len(checks)} pages checked in Chromium, {len(bad)} with problems"
                 + ("" if bad else "; tables and figures as shown/expected by the notebook"))
    for c in bad:
        lines += [f"  {c.page}: {problem}" for problem in c.problems()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python tests/browser.py OUT_DIR [--require]``: check a report folder, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", help="report folder, e.g. reports")
    parser.add_argument("--require", action="store_true",
                        help="fail (exit 2) instead of skipping when Chromium is absent")
    args = parser.parse_args(argv)
    missing = missing_browser()
    if missing:
        print(f"browser check SKIPPED: {missing}", file=sys.stderr)
        return 2 if args.require else 0
    checks = check_reports(args.out_dir)
    print(format_checks(checks))
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
