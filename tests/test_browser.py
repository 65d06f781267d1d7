"""Hostile article text stays text: every notebook runs on tests/hostile.py's corpus, then
headless Chromium opens every report and the index (tests/browser.py) and sees no dialog, no
probe, no request, no console error, no live element, every image decoded and the tables and
figures the notebooks made. A negative control proves the checks can fail."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from browser import (
    check_page,
    check_reports,
    chromium,
    expected_outputs,
    format_checks,
    missing_browser,
)
from hostile import (
    EXPECTED_DOCUMENTS,
    HOSTILE_FILE_NAME,
    HOSTILE_ORGS,
    LONG_TOKEN_CHARS,
    PROBE,
    PROBE_PORT,
    payload,
    write_hostile_corpus,
)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _needs_browser() -> None:
    missing = missing_browser()
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> Path:
    return write_hostile_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def browser():
    _needs_browser()
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def hostile_reports(hostile_corpus, tmp_path_factory):
    """Every notebook run on the hostile corpus by the report builder (skips without a model)."""
    import analystkit as ak
    from analystkit.report import build_reports

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    out = tmp_path_factory.mktemp("hostile-reports")
    return build_reports(corpus_path=hostile_corpus, out_dir=out,
                         notebooks_dir=REPO / "notebooks")


def test_hostile_corpus_carries_payloads_in_text_and_metadata(hostile_corpus):
    from analystkit import load_corpus

    corpus = load_corpus(hostile_corpus)
    assert len(corpus) == EXPECTED_DOCUMENTS
    assert {Path(doc.path).suffix for doc in corpus} == {".txt", ".html", ".jsonl", ".csv"}
    assert f"{PROBE}=" in str(hostile_corpus)
    for doc in corpus:
        named = Path(doc.path).name == HOSTILE_FILE_NAME  # no metadata: its name is markup
        for field in ("title", "source", "url"):
            assert named or f"{PROBE}=" in (getattr(doc, field) or ""), (doc.doc_id, field)
        assert "<script>" in doc.text and "onerror=" in doc.text and "$x^2$" in doc.text
        assert "&lt;script&gt;" in doc.text and "javascript:" in doc.text
    longest = max(len(token) for doc in corpus for token in doc.text.split())
    assert longest == LONG_TOKEN_CHARS


@pytest.mark.model
@pytest.mark.slow
def test_every_notebook_runs_on_hostile_corpus(hostile_reports):
    assert hostile_reports.failed == [], hostile_reports.summary()
    assert [run.notebook for run in hostile_reports.runs] == [nb.name for nb in NOTEBOOKS]
    assert all(run.page is not None and run.page.is_file() for run in hostile_reports.runs)
    assert hostile_reports.index.is_file()


@pytest.mark.model
@pytest.mark.slow
def test_hostile_names_reach_the_tables(hostile_reports):
    # The checks below prove something only if hostile names are in what the pages show.
    out = hostile_reports.index.parent
    mentions = pd.read_csv(out / "tables" / "01_entity_frequency" / "mentions.csv")
    assert set(HOSTILE_ORGS) <= set(mentions["text"])


@pytest.mark.browser
@pytest.mark.model
@pytest.mark.slow
def test_hostile_reports_are_inert_in_chromium(hostile_reports, browser, request):
    out = hostile_reports.index.parent
    checks = check_reports(out, browser=browser)
    if not hasattr(request.config, "analystkit_browser_checks"):
        request.config.analystkit_browser_checks = []
    request.config.analystkit_browser_checks.append(
        ("browser check of the reports on the hostile corpus", format_checks(checks)))
    assert [c.page for c in checks] == ["index.html"] + [f"{nb.stem}.html" for nb in NOTEBOOKS]
    for check in checks:
        assert check.problems() == [], (check.page, check.problems())
        assert check.screenshot is not None
        assert check.screenshot.read_bytes()[:8] == PNG_MAGIC
    # Hostile text is on every page (the index shows the corpus folder's name), as text.
    assert all(c.probe_texts > 0 for c in checks), [(c.page, c.probe_texts) for c in checks]
    pages = checks[1:]
    assert all(c.expected_tables and c.expected_tables > 0 for c in pages)
    assert sum(c.figures for c in pages) > 0 and all(c.images_total == c.images_ok
                                                     for c in pages)


@pytest.mark.browser
def test_negative_control_an_unescaped_page_trips_every_check(tmp_path, browser):
    """A page that puts the payload in as markup (as an unescaping template would) must show
    a dialog, a probe, a request, a console error, live elements and a broken image."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>Officials said:</p>"
        f"{payload('control')}"
        f"<img src=\"http://127.0.0.1:{PROBE_PORT}/pixel.png\">"
        "<img src=\"file:///etc/hostname\">"  # a local file outside the page's folder
        "<script>console.error('control error')</script></body></html>", encoding="utf-8")
    check = check_page(browser, page, expected=(1, 1))
    assert check.dialogs and check.probes and check.requests and check.console_errors
    # A script, the handlers of a broken image and of an SVG, and a script after a closed
    # attribute: each sets the probe.
    assert {f"control-{kind}" for kind in ("script", "img", "svg", "attr")} <= set(check.probes)
    assert any(f"127.0.0.1:{PROBE_PORT}" in url for url in check.requests)
    assert "file:///etc/hostname" in check.requests
    assert "<script>" in check.live and "<iframe>" in check.live
    assert any("onerror" in item for item in check.live)
    assert any("javascript:" in item for item in check.live)
    assert check.images_ok < check.images_total
    problems = " ".join(check.problems())
    assert "tables shown" in problems and "figures shown" in problems
    assert not check.ok


@pytest.mark.browser
def test_positive_control_the_same_payload_escaped_is_clean(tmp_path, browser):
    page = tmp_path / "escaped.html"
    page.write_text("<!DOCTYPE html><html><body><p>"
                    f"{html.escape(payload('control'))}</p></body></html>", encoding="utf-8")
    check = check_page(browser, page, screenshot=tmp_path / "shots" / "escaped.png")
    assert check.ok, check.problems()
    assert check.probe_texts > 0
    assert (tmp_path / "shots" / "escaped.png").read_bytes()[:8] == PNG_MAGIC


@pytest.mark.browser
def test_document_text_in_any_output_kind_stays_inert(tmp_path, browser):
    """The payload as a markdown output (which markdown passes as raw HTML), as plain text, as
    stdout and as an execute result: the offline template keeps every one inert."""
    from analystkit.report import export_html

    hostile = payload("output")
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": f"**{hostile}**",
                                                     "text/plain": "md"}),
        nbformat.v4.new_output("display_data", data={"text/plain": hostile}),
        nbformat.v4.new_output("stream", text=hostile),
        nbformat.v4.new_output("execute_result", data={"text/plain": repr(hostile)},
                               execution_count=1),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Outputs"),
                                               nbformat.v4.new_code_cell(outputs=outputs)])
    executed = tmp_path / "executed.ipynb"
    nbformat.write(notebook, str(executed))
    page = export_html(executed, tmp_path / "outputs.html")
    check = check_page(browser, page)
    assert check.ok, check.problems()
    assert check.probe_texts > 0  # the payload is on the page, as text


def test_expected_outputs_counts_what_nbconvert_shows(tmp_path):
    png = "iVBORw0KGgo="
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table></table><table>",
                                                     "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "fig"}),
        # An HTML output is shown instead of its PNG: a table, not a figure.
        nbformat.v4.new_output("execute_result", data={"text/html": "<TABLE>",
                                                       "image/png": png}, execution_count=1),
        nbformat.v4.new_output("stream", text="<table> in plain text is not a table"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=outputs),
                                               nbformat.v4.new_markdown_cell("<table>")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, str(path))
    assert expected_outputs(path) == (3, 1)


def test_without_chromium_the_check_says_so_and_skips(monkeypatch, capsys, tmp_path):
    import browser as browser_module

    monkeypatch.setattr(browser_module, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(browser_module.shutil, "which", lambda name: None)
    reason = browser_module.missing_browser()  # playwright's absence is named first
    assert reason and ("chromium is not installed" in reason or "playwright" in reason)
    assert browser_module.main([str(tmp_path)]) == 0
    assert f"browser check SKIPPED: {reason}" in capsys.readouterr().err
    assert browser_module.main([str(tmp_path), "--require"]) == 2
