"""Tables and notes that read in a notebook and in its HTML report.

Every table a notebook shows goes through :func:`show_table`, so every table reads the same:

* missing values (``NaN``, ``<NA>``, ``None``, ``NaT``) are shown as **blank cells**;
* document ids are replaced by short, stable labels (:func:`document_labels`: the title,
  else the file name), with the full id in the cell's tooltip (``title`` attribute) and in
  the CSV file;
* long text is shortened with an ellipsis (the whole text in the tooltip) and wraps, and the
  table scrolls inside its own box, so no table is wider than the page;
* only the top rows are shown, under a line such as "showing 20 of 610 rows", with a link to
  the whole table as CSV when the report runner asks for files (below);
* everything is escaped: document text never becomes live HTML.

CSV files: ``analystkit report`` sets ``ANALYSTKIT_REPORT_TABLES_DIR`` to
``OUT/tables/<notebook stem>/`` for each notebook's kernel. :func:`show_table` then writes
``NAME.csv`` there (every row and column, document ids in full, plus their ``label``) and
links it relative to the HTML page as ``tables/<notebook stem>/NAME.csv``. Without the
variable (JupyterLab, nbval) no file is written and the caption says where the whole table
is (e.g. ``analysis.statements``).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LEFT_OUT_ATTRIBUTE", "TABLES_DIR_VARIABLE", "accuracy_note", "document_labels",
           "relabel", "relabel_html", "show_accuracy",
           "show_findings", "show_left_out", "show_notes", "show_table", "table_html"]

TABLES_DIR_VARIABLE = "ANALYSTKIT_REPORT_TABLES_DIR"
"""Environment variable naming the folder the report runner wants CSV tables in."""

LEFT_OUT_ATTRIBUTE = "analystkit_left_out"
"""Attribute of a chart's figure holding the rows it did not draw (a DataFrame, from
:mod:`analystkit.plots`), e.g. timeline events outside the corpus's publication span."""

LABEL_CHARS = 40
"""Document labels longer than this are shortened with an ellipsis."""

EVIDENCE_LABEL_CHARS = 24
"""Labels of documents named inside a cell (``label:3;label:5``) are cut to this length."""

SHORT_CHARS = 16
"""Cells up to this long (dates, classes, counts) are kept on one line."""

# A document id as the loader makes it: a slug, a dash and 8 hex digits of the text's hash.
_DOC_ID = re.compile(r"[A-Za-z0-9_.-]+-[0-9a-f]{8}\b")

_STYLE = """<style>
.ak-table-box{max-width:100%;overflow-x:auto;margin:0.4em 0 1em 0}
table.ak-table{border-collapse:collapse;table-layout:auto;width:auto;max-width:100%;
 font-size:12px;margin:0}
table.ak-table th,table.ak-table td{border-bottom:1px solid #ddd;padding:3px 6px;
 vertical-align:top;text-align:left !important;white-space:normal;overflow-wrap:break-word;
 max-width:26em}
table.ak-table td.ak-short{white-space:nowrap}
table.ak-table td.ak-text{min-width:14em;overflow-wrap:anywhere}
table.ak-table th{background:#f3f3f3;font-weight:600}
table.ak-table td.ak-num{text-align:right !important;white-space:nowrap}
p.ak-table-caption{font-size:12px;color:#555;margin:0.2em 0}
ul.ak-notes{font-size:13px}
div.ak-accuracy{font-size:13px;border-left:3px solid #c9a227;background:#fbf8ec;
 padding:4px 10px;margin:0.4em 0 1em 0}
</style>"""


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def document_labels(documents: Iterable[Any], *, limit: int = LABEL_CHARS) -> dict[str, str]:
    """Short, stable, unique labels for documents: the title, else the file name.

    Args:
        documents: :class:`~analystkit.corpus.Document` objects (anything with ``doc_id``,
            ``title``, ``path`` and ``record``), in corpus order.
        limit: Labels longer than this are shortened with an ellipsis.

    Returns:
        ``doc_id`` -> label. A record of a multi-record file is ``name.jsonl #3``; a label
        that two documents share gets `` (2)``, `` (3)`` ... in corpus order, so the same
        corpus always gets the same labels.

    Example:
        >>> document_labels(analysis.corpus)  # doctest: +SKIP
        {'000_b90b8c2adf6b94b3-77b8f2b1': 'Iranian drone shadows US forces in Syria'}
    """
    labels: dict[str, str] = {}
    taken: dict[str, int] = {}
    for document in documents:
        title = " ".join(str(document.title or "").split())
        if title:
            label = _shorten(title, limit)
        else:
            name = Path(str(document.path or document.doc_id)).name
            record = getattr(document, "record", None)
            label = _shorten(name + (f" #{record}" if record is not None else ""), limit)
        taken[label] = taken.get(label, 0) + 1
        if taken[label] > 1:
            label = f"{label} ({taken[label]})"
        labels[document.doc_id] = label
    return labels


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


def _is_blank(value: Any) -> bool:
    return _is_missing(value) or (isinstance(value, str) and not value.strip())


def _format_value(value: Any) -> str:
    """One cell as text: blank when missing, dates without a midnight time, floats rounded."""
    if _is_missing(value):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%Y-%m-%d" if (value.hour, value.minute, value.second) == (0, 0, 0)
                              else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
    if isinstance(value, (float, np.floating)):  # 3 decimals below 1, 2 above; no "-0"
        digits = 3 if abs(value) < 1 else 2
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(_format_value(item) for item in value if not _is_missing(item))
    return str(value)


def relabel(text: str, labels: Mapping[str, str], *, limit: int | None = None) -> str:
    """Document ids inside a plain text (``doc_id:3; doc_id:5``) replaced by their labels.

    Args:
        text: Any text (not HTML: labels are not escaped; see :func:`relabel_html`).
        labels: ``doc_id`` -> label (:func:`document_labels`).
        limit: Shorten each label to this many characters (evidence lists stay short).

    Returns:
        The text with known ids replaced.

    Example:
        >>> relabel("doc-0123abcd:3", {"doc-0123abcd": "Storm report"})
        'Storm report:3'
    """
    if not labels:
        return text
    def label(match: re.Match[str]) -> str:
        found = labels.get(match[0], match[0])
        return _shorten(found, limit) if limit and match[0] in labels else found

    return _DOC_ID.sub(label, text)


def relabel_html(page: str, labels: Mapping[str, str]) -> str:
    """Document ids in an escaped HTML page (e.g. ``stance.statements_html``) replaced by
    their escaped labels, so every view names documents alike.

    Args:
        page: HTML whose text is already escaped.
        labels: ``doc_id`` -> label (:func:`document_labels`).

    Returns:
        The page with known ids replaced; anything else unchanged.
    """
    return _DOC_ID.sub(lambda match: html.escape(labels[match[0]]) if match[0] in labels
                       else match[0], page)


def _cell(value: Any, column: str, *, labels: Mapping[str, str], max_chars: int) -> str:
    text = _format_value(value)
    numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))
    full = text
    if labels and column == "doc_id" and text in labels:
        text = labels[text]
    else:
        text = relabel(text, labels, limit=EVIDENCE_LABEL_CHARS)
    short = _shorten(text, max_chars)
    tooltip = full if (short != full) else ""
    # Numbers align right; short values (dates, classes) stay on one line; long text wraps
    # anywhere so that a URL cannot widen its column past the page.
    kind = "ak-num" if numeric else "ak-short" if len(short) <= SHORT_CHARS else (
        "ak-text" if len(short) > 40 else "")
    attributes = (f' class="{kind}"' if kind else "") + (
        f' title="{html.escape(tooltip, quote=True)}"' if tooltip else "")
    return f"<td{attributes}>{html.escape(short)}</td>"


def table_html(frame: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
               max_chars: int = 140, headers: Mapping[str, str] | None = None) -> str:
    """The rows of ``frame`` as an escaped HTML table (no caption, no truncation of rows).

    Args:
        frame: The rows to show (its index is dropped; reset it first to keep it).
        labels: ``doc_id`` -> label (see :func:`document_labels`).
        max_chars: Cells longer than this are shortened with an ellipsis.
        headers: Column name -> header shown (default: the column name).

    Returns:
        ``<table class="ak-table">...</table>``; missing values are empty cells.
    """
    labels = labels or {}
    headers = headers or {}
    head = "".join(f"<th>{html.escape(str(headers.get(c, c)))}</th>" for c in frame.columns)
    body = []
    columns = [str(c) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        cells = "".join(_cell(value, column, labels=labels, max_chars=max_chars)
                        for value, column in zip(row, columns, strict=True))
        body.append(f"<tr>{cells}</tr>")
    return (f'<table class="ak-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _write_csv(frame: pd.DataFrame, name: str, labels: Mapping[str, str]) -> str | None:
    """Write the whole table where the report runner asks; the link relative to the page."""
    folder = os.environ.get(TABLES_DIR_VARIABLE)
    if not folder:
        return None
    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    out = frame
    if labels and "doc_id" in frame.columns and "label" not in frame.columns:
        out = frame.assign(label=frame["doc_id"].map(lambda d: labels.get(d, "")))
    filename = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") + ".csv"
    out.to_csv(folder_path / filename, index=False)
    return f"tables/{folder_path.name}/{filename}"


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """A meaningful index (not 0..n-1) becomes columns, so it is shown and written."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    if (frame.index.nlevels == 1 and frame.index.name is None
            and pd.api.types.is_integer_dtype(frame.index)):  # rows kept by a filter
        return frame.reset_index(drop=True)
    return frame.reset_index()


def _caption(n_shown: int, n_rows: int, *, link: str | None, source: str | None,
             name: str) -> str:
    noun = "row" if n_rows == 1 else "rows"
    count = (f"showing {n_shown:,} of {n_rows:,} {noun}" if n_shown < n_rows
             else f"{n_rows:,} {noun}")
    if link is not None:
        where = f' · whole table: <a href="{html.escape(link, quote=True)}">' \
                f"{html.escape(link)}</a>"
    elif n_shown < n_rows:
        where = f" · the whole table is <code>{html.escape(source or name)}</code>"
    else:
        where = ""
    return f'<p class="ak-table-caption">{count}{where}</p>'


def show_table(
    frame: pd.DataFrame | pd.Series,
    *,
    name: str,
    top: int = 20,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    source: str | None = None,
    headers: Mapping[str, str] | None = None,
    max_chars: int = 140,
    display: bool = True,
) -> str | None:
    """Show the top rows of a table, readable at any size (see the module docstring).

    Args:
        frame: The whole table (a Series is shown as one column).
        name: File name of the CSV (``NAME.csv``) and the table's name in the caption.
        top: Rows shown.
        columns: Columns shown, in this order (default all); a column without any value
            is left out and named in the caption. The CSV keeps every column.
        labels: ``doc_id`` -> label (:func:`document_labels`, ``analysis.labels``).
        source: Where the whole table is in the notebook (e.g. ``"analysis.statements"``),
            named in the caption when no CSV is written.
        headers: Column name -> header shown.
        max_chars: Longer cells are shortened with an ellipsis (the whole text as tooltip).
        display: Display the table (default); ``False`` only returns its HTML.

    Returns:
        None when displayed (so a notebook cell shows the table once); with
        ``display=False``, the HTML (style, caption and table).

    Example:
        >>> show_table(analysis.statements, name="statements", labels=analysis.labels,
        ...            columns=["doc_id", "source", "cue", "content"])  # doctest: +SKIP
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    frame = _with_index(frame)
    labels = labels or {}
    link = _write_csv(frame, name, labels)
    shown = frame if columns is None else frame[list(columns)]
    empty = [str(c) for c in shown.columns  # value by value: a categorical has no .all()
             if len(shown) and all(_is_blank(value) for value in shown[c])]
    head = shown.drop(columns=empty).head(top)
    caption = _caption(len(head), len(frame), link=link, source=source, name=name)
    if empty:  # a column without any value only widens the table; say it was left out
        caption = caption.replace("</p>", f" · no values in: {html.escape(', '.join(empty))}"
                                  "</p>")
    page = (_STYLE + caption
            + '<div class="ak-table-box">'
            + table_html(head, labels=labels, max_chars=max_chars, headers=headers)
            + "</div>")
    if display:
        from IPython.display import HTML
        from IPython.display import display as ipython_display

        ipython_display(HTML(page))
        return None
    return page


def show_findings(findings: Sequence[str], *, display: bool = True) -> str | None:
    """A notebook's key findings as a list a reader reads (escaped; a leading "- " of a
    sub-point is dropped).

    Args:
        findings: Sentences in words a reader uses, numbers included.
        display: Display them (default); ``False`` only returns the HTML.

    Returns:
        None when displayed; with ``display=False`` the HTML.

    Example:
        >>> show_findings(["The corpus holds 1 document."], display=False)[-42:]
        '<li>The corpus holds 1 document.</li></ul>'
    """
    items = "".join(f"<li>{html.escape(str(line).removeprefix('- '))}</li>"
                    for line in findings)
    page = f'<ul class="ak-findings">{items}</ul>'
    if display:
        from IPython.display import HTML
        from IPython.display import display as ipython_display

        ipython_display(HTML(page))
        return None
    return page


def show_notes(notes: Sequence[str], *, display: bool = True) -> str | None:
    """The report's notes (``analysis.notes``) as one short, escaped list.

    Args:
        notes: Reader sentences.
        display: Display them (default); ``False`` only returns the HTML.

    Returns:
        None when displayed; with ``display=False`` the HTML ("No notes: ..." when there
        are none).
    """
    if notes:
        items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
        page = _STYLE + f'<ul class="ak-notes">{items}</ul>'
    else:
        page = "<p>No notes: every input was read and nothing needed a warning.</p>"
    if display:
        from IPython.display import HTML
        from IPython.display import display as ipython_display

        ipython_display(HTML(page))
        return None
    return page


_ACCURACY_TEXT = {
    "polarity": (
        "How far to trust the tone: the polarity model was measured on {data}. It gives the "
        "right label to {dev-rw accuracy:.0%} of the targets of dev-rw (macro-F1 "
        "{dev-rw macro-F1:.1%}), so about one polarity in {one_in} is wrong; in sentences "
        "that treat several people differently (dev-mt) {dev-mt accuracy:.0%} are right "
        "(macro-F1 {dev-mt macro-F1:.1%}). Read the sentence before quoting a tone; a mean "
        "over many mentions is steadier than one score.", "dev-rw accuracy"),
    "attribution": (
        "How far to trust the statements: the rules were measured on {data}. Of the "
        "statements found, {whole precision:.0%} match a real one (source, cue and content "
        "overlapping); {whole recall:.0%} of the real ones are found (whole-attribution "
        "F1 {whole F1:.2f}). The content's exact boundaries match with F1 "
        "{content exact F1:.2f}: a highlighted content may start or end a few words off. "
        "Read the highlighted sentence before quoting a statement.", None),
    "timex": (
        "How far to trust the dates: the rules were measured on {data}. Value F1 "
        "{value F1:.1%} (an expression found and resolved to the right date), strict F1 "
        "{strict F1:.1%} (its exact words): about one date in {one_in} is missed or "
        "resolved wrongly. These documents were used to write the rules, so expect a little "
        "worse on other news; check the sentence behind any date a finding rests on.",
        "value F1"),
}


def accuracy_note(task: str) -> str:
    """The measured accuracy of one step, as a sentence for a reader of a report.

    The figures are those recorded in ``analystkit/data/evaluation.json`` by the evaluation
    scripts in ``bench/`` (``--record``), with the data set each was measured on.

    Args:
        task: ``"polarity"``, ``"attribution"`` or ``"timex"``.

    Returns:
        The note (plain text).

    Raises:
        KeyError: No figures are recorded for ``task``.

    Example:
        >>> accuracy_note("polarity").startswith("How far to trust the tone")
        True
    """
    import json

    from .resources import data_path

    entries = json.loads(data_path("evaluation.json").read_text(encoding="utf-8"))
    template, error_of = _ACCURACY_TEXT[task]
    entry = entries[task]
    values: dict[str, Any] = {**entry["figures"], "data": entry["data"]}
    if error_of is not None:
        values["one_in"] = max(1, round(1 / max(1 - entry["figures"][error_of], 1e-9)))
    # str.format cannot take keys with spaces as fields: substitute them by position.
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile(r"\{(" + "|".join(re.escape(n) for n in names) + r")(:[^}]*)?\}")
    return pattern.sub(lambda m: format(values[m.group(1)], (m.group(2) or ":")[1:]), template)


def show_accuracy(task: str, *, display: bool = True) -> str | None:
    """Show :func:`accuracy_note` as a boxed note.

    Args:
        task: ``"polarity"``, ``"attribution"`` or ``"timex"``.
        display: Display it (default); ``False`` only returns the HTML.

    Returns:
        None when displayed; with ``display=False`` the HTML.
    """
    page = _STYLE + f'<div class="ak-accuracy">{html.escape(accuracy_note(task))}</div>'
    if display:
        from IPython.display import HTML
        from IPython.display import display as ipython_display

        ipython_display(HTML(page))
        return None
    return page


def show_left_out(chart: Any, *, name: str, labels: Mapping[str, str] | None = None,
                  columns: Sequence[str] | None = None, top: int = 20,
                  display: bool = True) -> str | None:
    """Show what a chart left out, when its plot function listed it.

    Args:
        chart: What a :mod:`analystkit.plots` function returned (an Axes or a Figure); the
            rows left out are its figure's ``analystkit_left_out`` DataFrame, if any.
        name: CSV name, as for :func:`show_table`.
        labels: ``doc_id`` -> label.
        columns: Columns to show where the table has them (default all).
        top: Rows shown.
        display: Display the table (default); ``False`` only returns its HTML.

    Returns:
        As :func:`show_table`; nothing is shown (and ``""`` returned with
        ``display=False``) when the chart left nothing out.
    """
    figure = getattr(chart, "figure", chart)
    left_out = getattr(figure, LEFT_OUT_ATTRIBUTE, getattr(chart, LEFT_OUT_ATTRIBUTE, None))
    if not isinstance(left_out, pd.DataFrame) or left_out.empty:
        return None if display else ""
    shown = [c for c in columns if c in left_out.columns] if columns is not None else None
    return show_table(left_out, name=name, labels=labels, top=top, columns=shown or None,
                      source=f"the chart's figure.{LEFT_OUT_ATTRIBUTE}", display=display)

