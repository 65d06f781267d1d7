"""Figures for the notebooks: matplotlib charts that scale with the corpus, displaCy views.

Every chart picks what it shows from the data's size by a stated rule (for example "sources
with at least 3 statements"), keeps "(unresolved)" and "other" rows apart as a note instead
of a bar that flattens the rest, shortens long labels with an ellipsis, and writes a caption
under the chart, inside the figure, saying the rule and what was left out. Text is made
displayable: ``$`` stays a dollar sign, invisible format characters are dropped, and a
character no installed font can draw (a CJK name without a CJK font, a stray control
character) is shown as ``□`` instead of raising matplotlib's "Glyph ... missing" warning.

Every function returns the matplotlib ``Axes`` or ``Figure`` (or an HTML string) so a
notebook can adjust or save it; none of them computes analysis results.
:func:`timeline_chart` attaches the dated events it did not draw to the figure as
``figure.analystkit_left_out`` (a DataFrame).
"""

from __future__ import annotations

import contextlib
import html
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from spacy import displacy
from spacy.tokens import Doc

from .errors import is_are, plural, plural_noun
from .resources import cached

__all__ = ["bar_chart", "bar_charts_by", "caption_of", "cooccurrence_network", "displayable",
           "entity_view", "heatmap", "histogram", "mentions_over_time_chart", "pick_top",
           "shorten", "stacked_bar_chart", "timeline_chart"]

APART = frozenset({"(unresolved)", "unresolved", "other", "(other)", "(none)", "none", ""})
"""Labels that are not one named thing: shown apart (as a note), never as a bar or row."""
LABEL_CHARS = 30
"""Longest label drawn in full; longer ones end in an ellipsis."""
NAMED_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#bcbd22", "#17becf")
"""tab10 without its grey: grey is kept for "other"."""
OTHER_COLOUR = "#9a9a9a"
NONE_COLOUR = "#d0d0d0"
MAX_WIDTH_INCHES = 11.0
"""Widest figure: a 1,280 px report page shows it at 100 dpi without scaling it down."""
MAX_HEIGHT_INCHES = 14.0
CAPTION_SIZE = 8.5
MISSING_MARK = "\u25a1"
# Families tried in order for each character (matplotlib >= 3.6 falls back per glyph).
_FALLBACK_FAMILIES = ("DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK SC",
                      "Noto Sans CJK KR", "Noto Sans Arabic", "Noto Sans Hebrew",
                      "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans Symbols",
                      "Noto Sans Symbols2", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                      "Droid Sans Fallback", "Liberation Sans")


# --------------------------------------------------------------------------- text


def _fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    """(installed fallback families, code points any of them can draw), looked up once."""
    return cached("chart_fonts", (), _find_fonts)


def _find_fonts() -> tuple[tuple[str, ...], frozenset[int]]:
    from matplotlib import font_manager, ft2font

    installed = {font.name for font in font_manager.fontManager.ttflist}
    families, covered = [], set()
    for family in _FALLBACK_FAMILIES:
        if family not in installed:
            continue
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family),
                                         fallback_to_default=False)
            covered.update(ft2font.FT2Font(path).get_charmap())
        except (ValueError, RuntimeError, OSError):  # unreadable font file: skip it
            continue
        families.append(family)
    return tuple(families) or ("DejaVu Sans",), frozenset(covered)


def _drawable(char: str) -> str:
    """``char``, or ``""`` (invisible format character) or the mark (nothing can draw it)."""
    if char == "\n":
        return char
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width space, soft hyphen, direction marks: invisible anyway
        return ""
    if category in ("Cc", "Zl", "Zp"):
        return " " if char in "\t\r" else MISSING_MARK
    covered = _fonts()[1]
    return char if not covered or ord(char) in covered else MISSING_MARK


def displayable(text: object, *, limit: int | None = None) -> str:
    """``text`` as matplotlib can draw it without a warning, optionally shortened.

    Args:
        text: Any value (``None`` and missing values become ``""``).
        limit: At most this many characters, the last one an ellipsis (``None``: no limit).

    Returns:
        The text with ``$`` escaped (so it is never read as mathtext), invisible format
        characters dropped, and characters no installed font can draw replaced by ``□``.

    Example:
        >>> displayable("costs $5 mln\\x07")
        'costs \\\\$5 mln□'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    clean = "".join(_drawable(c) for c in unicodedata.normalize("NFC", str(text)))
    if limit is not None and len(clean) > limit:
        clean = clean[:max(1, limit - 1)].rstrip() + "\u2026"
    return clean.replace("$", r"\$")


def shorten(text: object, limit: int = LABEL_CHARS) -> str:
    """A label of at most ``limit`` characters (ellipsis at the end), displayable."""
    return displayable(text, limit=limit)


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """Fonts with per-glyph fallback and sizes of at least 8 pt for the figures made inside.

    Only these settings are restored afterwards: ``plt.rc_context`` would also restore
    ``interactive``, which the inline backend turns on when the first figure loads it, and
    the notebook would then show no figure after the first.
    """
    settings = {"font.family": list(_fonts()[0]), "font.size": 9.5, "axes.titlesize": 11,
                "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 8.5,
                "axes.labelsize": 9.5}
    saved = {key: plt.rcParams[key] for key in settings}
    plt.rcParams.update(settings)
    try:
        yield
    finally:
        plt.rcParams.update(saved)


def _new_figure(width: float, height: float, **kwargs: Any) -> tuple[Figure, Any]:
    size = (min(MAX_WIDTH_INCHES, width), min(MAX_HEIGHT_INCHES, max(2.2, height)))
    return plt.subplots(figsize=size, layout="constrained", **kwargs)


def _caption(ax: Axes, text: str, *, own_figure: bool) -> None:
    """Write the rule and what was left out under the chart, inside the figure.

    On a figure the function made, it is the figure's bottom line (``supxlabel``, left
    aligned, wrapped to the figure's width); on an ``ax`` the caller passed, it is added to
    the x-axis label so it stays under that chart.
    """
    figure = ax.figure
    if own_figure:
        width = int(figure.get_figwidth() * 15.5)  # characters of 8.5 pt per line
        figure.supxlabel(textwrap.fill(displayable(text), width), x=0.01, ha="left",
                         fontsize=CAPTION_SIZE, color="#333333", multialignment="left")
    else:
        ax.set_xlabel(f"{ax.get_xlabel()}\n({displayable(text)})")
    figure.analystkit_caption = text


def caption_of(chart: Axes | Figure) -> str:
    """The caption a chart of this module wrote (``""`` if none).

    Args:
        chart: An Axes or Figure returned by a function of this module.

    Returns:
        The caption text, as written under the chart.
    """
    figure = chart if isinstance(chart, Figure) else chart.figure
    return getattr(figure, "analystkit_caption", "")




def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _noun(axis_label: str) -> str:
    """The singular noun an axis label names: ``"Sources"`` -> ``"source"``."""
    return _singular(axis_label.split("(")[0].strip().lower()) or "row"


def _is_apart(label: object) -> bool:
    return label is None or (not isinstance(label, str) and pd.isna(label)) \
        or str(label).strip().lower() in APART


def pick_top(totals: pd.Series, *, limit: int, at_least: int = 5) -> tuple[pd.Index, int | None]:
    """The items to show: those with at least ``k`` (the smallest ``k`` leaving ``limit``).

    A threshold never cuts between equal totals, so ties are never broken at random. When
    it would leave fewer than ``at_least`` items (many equal totals), the first ``limit``
    items by total are taken instead, ties in the order given.

    Args:
        totals: One number per item (index: the items), e.g. statements per source.
        limit: At most this many items.
        at_least: Fewest items the threshold may leave before falling back to a plain top.

    Returns:
        (the items kept, largest first; the threshold ``k``, or ``None`` when every item is
        kept or the plain top was taken).
    """
    ordered = totals.sort_values(ascending=False, kind="stable")
    if len(ordered) <= limit:
        return ordered.index, None
    k = ordered.iloc[limit] + 1
    kept = ordered[ordered >= k]
    if len(kept) < min(at_least, limit):
        return ordered.index[:limit], None
    return kept.index, k


def _unit(axis_label: str) -> str:
    """The singular unit an axis counts: ``"Statements"`` -> ``"statement"``."""
    return _singular((axis_label.split("(")[0].strip().split() or ["item"])[0].lower())


def _rule_words(k: float | None, kept: int, total: int, noun: str, unit: str) -> str:
    """How the shown items were chosen, with how many of how many."""
    if k is None and kept >= total:
        return f"all {plural(total, noun)}"
    if k is None:
        return f"the {plural(kept, noun)} with the most {unit}s ({kept:,} of {total:,})"
    return (f"{plural_noun(noun)} with at least {plural(int(k), unit)} "
            f"({kept:,} of {total:,})")


def _value_text(value: float, *, signed: bool = True) -> str:
    """A count as ``1,234``; a score as ``+0.25`` (``signed``) or ``71.7``."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:+.2f}" if signed else f"{value:,.1f}"


def _apart_note(totals: pd.Series, unit: str) -> str:
    """``"; not drawn: (unresolved) 286 statements"`` for the labels kept apart."""
    parts = []
    for label, value in totals.items():
        amount = (plural(int(value), unit) if float(value).is_integer()
                  else f"{value:+.2f}")
        parts.append(f"{shorten(label) or '(blank)'} {amount}")
    return f"; not drawn as bars: {', '.join(parts)}" if parts else ""


def _bars(ax: Axes, labels: Sequence[object], values: Sequence[float], *,
          slots: int = 0) -> None:
    """Horizontal bars, first on top, each value at its bar's end; ``slots``: rows of space."""
    from matplotlib.ticker import MaxNLocator

    values = [float(v) for v in values]
    colours = ["#C44E52" if v < 0 else "#4C72B0" for v in values]
    bars = ax.barh(range(len(values)), values, color=colours)
    ax.set_yticks(range(len(values)), [shorten(label) for label in labels])
    ax.set_ylim(max(len(values), slots) - 0.5, -0.5)  # first row on top, bars never fat
    counts = all(v.is_integer() for v in values)
    ax.bar_label(bars, labels=[f"{v:,.0f}" if counts else f"{v:+.2f}" for v in values],
                 fontsize=8, padding=2)
    if counts:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.15)
    if any(v < 0 for v in values):
        ax.axvline(0, color="#555555", linewidth=0.8)


def _label_axes(ax: Axes, *, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(displayable(title))
    ax.set_xlabel(displayable(xlabel))
    ax.set_ylabel(displayable(ylabel))


def _order_rule(shown: pd.DataFrame, *, value: str, xlabel: str) -> str:
    """How the rows are ordered: by the bars' values, by another count column, or as given."""
    if len(shown) > 1 and shown[value].is_monotonic_decreasing:
        return f"By {xlabel.lower()}, largest first"
    for column in shown.columns:  # e.g. a tone table ordered by mentions
        numbers = shown[column]
        if column != value and pd.api.types.is_numeric_dtype(numbers) \
                and numbers.nunique() > 1 and numbers.is_monotonic_decreasing:
            return f"By {column.replace('_', ' ')}, largest first"
    return "In the table's order"


def bar_chart(frame: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str,
              ylabel: str, top: int = 25, rule: str | None = None, total: int | None = None,
              ax: Axes | None = None) -> Axes:
    """Horizontal bar chart of the first ``top`` rows, in the table's order (first on top).

    Rows labelled "(unresolved)", "other" or blank are not drawn as bars: their values are
    given in the caption. Labels longer than :data:`LABEL_CHARS` end in an ellipsis; the
    figure grows with the number of bars up to :data:`MAX_HEIGHT_INCHES`.

    Args:
        frame: The data, one bar per row, in the order to show.
        label: Column with the bar labels.
        value: Column with the bar lengths (negative values are drawn red, left of 0).
        title: Figure title.
        xlabel: Label of the value axis.
        ylabel: Label of the category axis (its noun names the rows in the caption).
        top: At most this many bars.
        rule: How the rows were chosen, for the caption (e.g. ``"The most mentioned
            entities"``); default: said from the order of the values.
        total: How many rows there were before the caller cut ``frame`` (for "15 of 1,074").
        ax: Axes to draw on (default: a new figure sized to the number of bars).

    Returns:
        The Axes.

    Example:
        >>> bar_chart(lemmas, label="lemma", value="count", title="Top lemmas",
        ...           xlabel="Occurrences", ylabel="Lemma")  # doctest: +SKIP
    """
    with _style():
        apart = frame[label].map(_is_apart).to_numpy(dtype=bool)
        named = frame[~apart]
        shown = named.head(top)
        own = ax is None
        if own:
            _, ax = _new_figure(7.5, 0.28 * len(shown) + 1.7)
        _bars(ax, shown[label].tolist(), shown[value].tolist())
        _label_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        noun = _noun(ylabel)
        rule = rule or _order_rule(shown, value=value, xlabel=xlabel)
        of = max(total if total is not None else 0, len(named))
        counted = (f"{len(shown):,} of {plural(of, noun)} shown" if of > len(shown)
                   else f"{plural(len(shown), noun)}, all shown")
        note = _apart_note(frame[apart].set_index(label)[value], _unit(xlabel))
        _caption(ax, f"{rule}: {counted}{note}.", own_figure=own)
    return ax


def _group_bars(ax: Axes, rows: pd.DataFrame, *, label: str, value: str, top: int,
                unit: str, slots: int) -> str:
    """One group's bars: named rows with at least ``k`` (:func:`pick_top`); its summary."""
    apart = rows[label].map(_is_apart).to_numpy(dtype=bool)
    named = rows[~apart]
    totals = named.groupby(label, sort=False, observed=True)[value].sum()
    kept, k = pick_top(totals, limit=top)
    _bars(ax, list(kept), totals[kept].tolist(), slots=slots)
    share = totals[kept].sum() / max(1, rows[value].sum())
    rule = f">= {plural(int(k), unit)}, " if k is not None else ""
    return (f"{rule}{len(kept):,} of {len(totals):,} shown; {share:.0%} of "
            f"{plural(int(rows[value].sum()), unit)}")


def bar_charts_by(frame: pd.DataFrame, *, by: str, label: str, value: str, top: int = 10,
                  title: str = "{group}", xlabel: str, ylabel: str, columns: int = 2
                  ) -> Figure:
    """One horizontal bar chart per group (e.g. per entity label), at most ``top`` bars each.

    Each chart shows the group's rows with at least ``k`` (``value``), ``k`` the smallest
    count that leaves at most ``top`` (:func:`pick_top`: never cutting between equal counts),
    and says under it how many of the group's rows it shows and their share of its total.

    Args:
        frame: The data, one row per item (e.g. :func:`analystkit.entities.entity_frequency`).
        by: Column whose values make the groups (one chart each, largest group first).
        label: Column with the bar labels.
        value: Column with the bar lengths (counts).
        top: At most this many bars per chart.
        title: Chart title; ``{group}`` is replaced by the group's value.
        xlabel: Label of the value axes.
        ylabel: Label of the category axes.
        columns: Charts per row.

    Returns:
        The matplotlib Figure.

    Example:
        >>> bar_charts_by(frequency, by="label", label="canonical", value="mentions",
        ...               title="Top {group}", xlabel="Mentions", ylabel="Entity")  # doctest: +SKIP
    """
    groups = frame.groupby(by, sort=False, observed=True)[value].sum()
    order = list(groups.sort_values(ascending=False, kind="stable").index)
    columns = max(1, min(columns, len(order)))
    rows = max(1, math.ceil(len(order) / columns))
    bars = min(top, int(frame.groupby(by, observed=True).size().max())) if len(frame) else 1
    unit = _unit(xlabel)
    with _style():
        figure, axes = _new_figure(5.5 * columns, (0.26 * bars + 1.6) * rows, nrows=rows,
                                   ncols=columns, squeeze=False)
        for ax, group in zip(axes.flat, order, strict=False):
            summary = _group_bars(ax, frame[frame[by] == group], label=label, value=value,
                                  top=top, unit=unit, slots=min(bars, 5))
            _label_axes(ax, title=title.format(group=group), xlabel=f"{xlabel}\n({summary})",
                        ylabel=ylabel)
        for ax in list(axes.flat)[len(order):]:
            ax.set_visible(False)
        nouns, units = plural_noun(_noun(ylabel)), plural_noun(unit)
        _caption(axes.flat[0], (
            f"Each chart: the {nouns} of its kind with at least k {units}, k the "
            f"smallest count leaving at most {top} (equal counts are never split; if fewer than "
            f"5 would remain, the first {top}). Under each chart: k, the {nouns} shown of "
            f"all of its kind, and the share of its {units} they hold."),
            own_figure=True)
    return figure


def histogram(values: Sequence[float] | pd.Series, *, title: str, xlabel: str,
              ylabel: str = "Count", bins: int | str = "auto", ax: Axes | None = None) -> Axes:
    """Histogram of ``values``; a long tail beyond the 99th percentile is counted, not drawn.

    Args:
        values: The numbers.
        title: Figure title.
        xlabel: Label of the value axis.
        ylabel: Label of the count axis (its noun names the values in the caption).
        bins: Passed to ``Axes.hist``.
        ax: Axes to draw on (default: a new figure).

    Returns:
        The Axes.

    Example:
        >>> histogram(sentences.n_tokens, title="Sentence length",
        ...           xlabel="Tokens per sentence")  # doctest: +SKIP
    """
    numbers = pd.Series(values, dtype=float).dropna()
    limit = float(numbers.quantile(0.99)) if len(numbers) >= 100 else math.inf
    # Only a real tail is cut: values up to 1.5 times the 99th percentile are all drawn.
    tail = numbers[numbers > limit] if numbers.max() > 1.5 * limit else numbers.iloc[0:0]
    drawn = numbers.drop(tail.index)
    noun = _noun(ylabel)
    with _style():
        own = ax is None
        if own:
            _, ax = _new_figure(7.5, 3.6)
        ax.hist(drawn.tolist(), bins=bins, color="#55A868", edgecolor="white")
        _label_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        text = f"All {plural(len(numbers), noun)}"
        if len(numbers):
            text += f"; median {_value_text(float(numbers.median()), signed=False)}"
        if len(tail):
            text = (f"{len(drawn):,} of {plural(len(numbers), noun)} drawn; median "
                    f"{_value_text(float(numbers.median()), signed=False)}; {len(tail):,} "
                    f"above the 99th percentile ({_value_text(limit, signed=False)}, up to "
                    f"{_value_text(tail.max(), signed=False)}) are counted here, not drawn")
        _caption(ax, text + ".", own_figure=own)
    return ax


def _heat_grid(frame: pd.DataFrame, *, row: str, column: str, value: str,
               weight: pd.Series, top: int, top_columns: int) -> dict[str, Any]:
    """The rows with at least ``k``, the columns they weigh most, and what was left out."""
    apart = (frame[row].map(_is_apart) | frame[column].map(_is_apart)).to_numpy(dtype=bool)
    named, weight = frame[~apart], weight[~apart]
    row_totals = weight.groupby(named[row], observed=True).sum()
    rows_kept, row_k = pick_top(row_totals, limit=top)
    chosen = named[row].isin(rows_kept).to_numpy()
    column_totals = weight[chosen].groupby(named[column][chosen], observed=True).sum()
    # Columns fill the width: the ones the shown rows address most (ties alphabetically).
    columns_kept = column_totals.sort_values(ascending=False, kind="stable").index[:top_columns]
    cells = named[chosen & named[column].isin(columns_kept).to_numpy()]
    grid = cells.pivot_table(index=row, columns=column, values=value, aggfunc="mean",
                             observed=True).reindex(index=rows_kept, columns=columns_kept)
    chosen_rows = len(grid)
    grid = grid.dropna(how="all")  # a row whose targets are all outside the columns shown
    return {"grid": grid, "cells": cells, "row_k": row_k, "chosen_rows": chosen_rows,
            "rows": len(row_totals), "columns": frame.loc[~apart, column].nunique(),
            "weight_shown": weight[cells.index].sum(), "weight_all": weight.sum(),
            "apart": int(apart.sum())}


def _heat_caption(picked: dict[str, Any], *, xlabel: str, ylabel: str, unit: str) -> str:
    rows, columns = _noun(ylabel), _noun(xlabel)
    grid = picked["grid"]
    shown_rows = _rule_words(picked["row_k"], picked["chosen_rows"], picked["rows"], rows,
                             unit)
    text = (f"{shown_rows} and the {plural(grid.shape[1], columns)} they address most "
            f"({grid.shape[1]:,} of {picked['columns']:,})")
    empty = picked["chosen_rows"] - grid.shape[0]
    if empty:
        text += (f"; {plural(empty, 'such ' + rows)} address"
                 f"{'es' if empty == 1 else ''} none of these {plural_noun(columns)}"
                 f" and {is_are(empty)} not drawn")
    text += (f"; the cells count {picked['weight_shown']:,.0f} of "
             f"{picked['weight_all']:,.0f} {plural_noun(unit)}")
    if picked["apart"]:
        text += (f"; {plural(picked['apart'], 'pair')} with an unresolved or 'other' "
                 f"{rows} or {columns} not drawn")
    return text[0].upper() + text[1:] + "."


def heatmap(frame: pd.DataFrame, *, row: str, column: str, value: str, count: str | None = None,
            title: str, xlabel: str, ylabel: str, vmin: float = -1, vmax: float = 1,
            top: int = 25, top_columns: int = 18, ax: Axes | None = None) -> Axes:
    """A diverging heatmap of ``value`` for each (row, column) pair of a long table.

    Rows: those with at least ``k`` (``count`` summed, else pairs), ``k`` the smallest
    number that leaves at most ``top`` (:func:`pick_top`); columns: the ``top_columns`` with
    the most ``count`` from the rows shown (ties alphabetically). The most active row and
    column come first. The caption says the threshold, how many rows and columns of how many
    are shown and how much of ``count`` the cells hold; "(unresolved)" and "other" rows or
    columns are counted there, not drawn.

    Args:
        frame: Long-form data, one row per pair.
        row: Column whose values label the rows.
        column: Column whose values label the columns.
        value: Column with the colour value (e.g. mean polarity in [-1, 1]).
        count: Column printed in each cell (e.g. number of statements).
        title: Figure title.
        xlabel: Label of the horizontal axis (its noun names the columns in the caption).
        ylabel: Label of the vertical axis (its noun names the rows).
        vmin: Value of the darkest red.
        vmax: Value of the darkest blue.
        top: At most this many rows (the figure grows with them).
        top_columns: At most this many columns (the figure's width is capped).
        ax: Axes to draw on (default: a new figure sized to the grid, at most
            :data:`MAX_WIDTH_INCHES` wide).

    Returns:
        The Axes.
    """
    weight = frame[count] if count else pd.Series(1, index=frame.index)
    picked = _heat_grid(frame, row=row, column=column, value=value, weight=weight, top=top,
                        top_columns=top_columns)
    grid = picked["grid"]
    with _style():
        own = ax is None
        if own:
            _, ax = _new_figure(3.2 + 0.42 * max(1, grid.shape[1]),
                                3.4 + 0.3 * max(1, grid.shape[0]))
        image = ax.imshow(grid.to_numpy(dtype=float), cmap="RdBu", vmin=vmin, vmax=vmax,
                          aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [shorten(c, 24) for c in grid.columns],
                      rotation=55, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(grid.shape[0]), [shorten(i) for i in grid.index])
        if count:
            _cell_counts(ax, picked["cells"], grid, row=row, column=column, count=count,
                         value=value, strong=0.6 * max(abs(vmin), abs(vmax)))
        ax.figure.colorbar(image, ax=ax, label=displayable(value), shrink=0.8)
        _label_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        unit = _unit(count) if count else "pair"
        _caption(ax, _heat_caption(picked, xlabel=xlabel, ylabel=ylabel, unit=unit),
                 own_figure=own)
    return ax


def _cell_counts(ax: Axes, cells: pd.DataFrame, grid: pd.DataFrame, *, row: str, column: str,
                 count: str, value: str, strong: float) -> None:
    """Write each cell's count, white on the darkest colours."""
    counts = cells.groupby([row, column], observed=True)[count].sum()
    rows, columns = {r: i for i, r in enumerate(grid.index)}, \
        {c: j for j, c in enumerate(grid.columns)}
    for (source, target), n in counts.items():
        if source in rows and target in columns:
            shade = grid.iat[rows[source], columns[target]]
            colour = "white" if pd.notna(shade) and abs(shade) >= strong else "black"
            ax.text(columns[target], rows[source], f"{int(n)}", ha="center", va="center",
                    fontsize=8, color=colour)


QUAD_COLOURS = {"verbal cooperation": "#8fc3e8", "material cooperation": "#2b7bba",
                "verbal conflict": "#f4a582", "material conflict": "#b2182b",
                "neutral": "#cccccc"}


def stacked_bar_chart(table: pd.DataFrame, *, title: str, xlabel: str, ylabel: str,
                      top: int = 25, ax: Axes | None = None) -> Axes:
    """Horizontal stacked bars: one bar per row of ``table``, one segment per column.

    Bars: the rows whose total is at least ``k``, ``k`` the smallest total that leaves at
    most ``top`` (:func:`pick_top`), largest on top. Rows named "(unresolved)", "other" or
    blank are not drawn (they would flatten the named ones): the caption gives their totals.

    Args:
        table: Counts, e.g. ``pd.crosstab(statements.source_entity, statements.quad_class)``.
        title: Figure title.
        xlabel: Label of the count axis (its first word names the unit in the caption).
        ylabel: Label of the category axis (its noun names the bars).
        top: At most this many bars.
        ax: Axes to draw on (default: a new figure sized to the number of bars).

    Returns:
        The Axes.
    """
    totals = table.sum(axis=1)
    apart = table.index.map(_is_apart).to_numpy(dtype=bool)
    kept, k = pick_top(totals[~apart], limit=top)
    shown = table.loc[kept]
    columns = sorted(table.columns, key=lambda c: (list(QUAD_COLOURS).index(str(c))
                                                   if str(c) in QUAD_COLOURS else 99))
    with _style():
        own = ax is None
        if own:
            _, ax = _new_figure(8.5, 0.3 * len(shown) + 1.9)
        left = np.zeros(len(shown))
        for i, name in enumerate(columns):
            ax.barh(range(len(shown)), shown[name].to_numpy(dtype=float), left=left,
                    label=displayable(name),
                    color=QUAD_COLOURS.get(str(name), NAMED_COLOURS[i % len(NAMED_COLOURS)]))
            left = left + shown[name].to_numpy(dtype=float)
        ax.set_yticks(range(len(shown)), [shorten(x) for x in shown.index])
        ax.set_ylim(len(shown) - 0.5, -0.5)
        if len(shown):
            ax.legend(fontsize=8, loc="lower right")
        _label_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
        unit = _unit(xlabel)
        text = _rule_words(k, len(shown), int((~apart).sum()), _noun(ylabel), unit)
        text += (f"; the bars hold {shown.to_numpy().sum():,.0f} of "
                 f"{totals[~apart].sum():,.0f} {plural_noun(unit)} by named "
                 f"{plural_noun(_noun(ylabel))}")
        text += _apart_note(totals[apart], unit)
        _caption(ax, text[0].upper() + text[1:] + ".", own_figure=own)
    return ax


def entity_view(doc: Doc, *, title: str | None = None, max_chars: int | None = 5000,
                mentions: pd.DataFrame | None = None) -> str:
    """displaCy's entity view of ``doc`` as an HTML string (document text is escaped).

    Args:
        doc: An annotated Doc.
        title: Heading shown above the text.
        max_chars: Show only the sentences that start within the first ``max_chars``
            characters (``None``: the whole document).
        mentions: This document's rows of :func:`analystkit.entities.entity_mentions`; when
            given, they are shown instead of ``doc.ents``, labelled ``LABEL · canonical``.

    Returns:
        HTML to display with ``IPython.display.HTML``.

    Example:
        >>> HTML(entity_view(annotated.docs[0]))  # doctest: +SKIP
    """
    limit = len(doc.text)
    if max_chars is not None and len(doc.text) > max_chars:
        limit = max((s.end_char for s in doc.sents if s.start_char < max_chars), default=limit)
    if mentions is None:
        spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    else:
        spans = [(int(r.start_char), int(r.end_char), f"{r.label} · {r.canonical}")
                 for r in mentions.itertuples()]
    ents, last_end = [], -1
    # Longest first at each start; a span inside one already shown ("US" in "US-led
    # coalition") is left out, since displaCy cannot draw nested spans.
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= limit and start >= last_end:
            ents.append({"start": start, "end": end, "label": html.escape(label)})
            last_end = end
    view = displacy.render({"text": doc.text[:limit], "ents": ents, "title": None},
                           style="ent", manual=True, jupyter=False, page=False)
    return (f"<h4>{html.escape(title)}</h4>\n" if title else "") + view


def _network(pairs: pd.DataFrame, nodes: pd.DataFrame, *, edge_limit: int):
    """The graph of ``nodes`` and their strongest pairs, and the pair threshold used."""
    import networkx as nx

    keep = set(nodes["entity_id"])
    among = pairs[pairs["entity_a"].isin(keep) & pairs["entity_b"].isin(keep)]
    kept, k = pick_top(among["count"].reset_index(drop=True), limit=edge_limit)
    graph = nx.Graph()
    for row in nodes.itertuples():
        graph.add_node(row.entity_id, label=shorten(row.canonical, 24), mentions=row.mentions)
    for row in among.iloc[list(kept)].itertuples():
        graph.add_edge(row.entity_a, row.entity_b, weight=row.count)
    isolated = list(nx.isolates(graph))
    graph.remove_nodes_from(isolated)  # nothing to show about them here
    return graph, k, len(among), len(isolated)


def _layout(graph, *, seed: int) -> dict:
    """Each connected group laid out on its own, in a square sized to it, row by row.

    One spring layout of a graph in pieces pushes the pieces to the corners and squeezes
    each one, so the labels of a piece overlap.
    """
    import networkx as nx

    pieces = sorted(nx.connected_components(graph), key=lambda p: (-len(p), sorted(p)))
    row_width = 1.6 * math.sqrt(graph.number_of_nodes())
    position, x, y, row_height = {}, 0.0, 0.0, 0.0
    for nodes in pieces:
        side = math.sqrt(len(nodes))
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        local = nx.spring_layout(graph.subgraph(nodes), seed=seed,
                                 k=1.5 / math.sqrt(len(nodes))) if len(nodes) > 1 else \
            {next(iter(nodes)): np.zeros(2)}
        centre = np.array([x + side / 2, y - side / 2])
        for node, offset in local.items():
            position[node] = centre + 0.4 * side * np.asarray(offset)
        x, row_height = x + side, max(row_height, side)
    return position


def _draw_network(ax: Axes, graph, *, seed: int) -> None:
    import networkx as nx

    position = _layout(graph, seed=seed)
    largest = max(nx.get_node_attributes(graph, "mentions").values())
    heaviest = max((graph.edges[e]["weight"] for e in graph.edges), default=1)
    sizes = [200 + 1800 * graph.nodes[n]["mentions"] / largest for n in graph]
    widths = [0.5 + 2.5 * graph.edges[e]["weight"] / heaviest for e in graph.edges]
    nx.draw_networkx_edges(graph, position, ax=ax, width=widths, alpha=0.35)
    nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes, node_color="#8FB9E0",
                           edgecolors="#4C72B0")
    nx.draw_networkx_labels(graph, position, ax=ax, font_size=8.5,
                            font_family=list(_fonts()[0]),
                            labels=nx.get_node_attributes(graph, "label"))


def cooccurrence_network(pairs: pd.DataFrame, frequency: pd.DataFrame, *, top: int = 25,
                         title: str = "Entities mentioned together", ax: Axes | None = None,
                         seed: int = 7, max_pairs: int | None = None) -> Axes:
    """Network of co-mentioned entities: node size by mentions, edge width by count.

    Nodes: the ``top`` most mentioned entities (not "(unresolved)" or "other"). Lines: their
    pairs with at least ``k`` shared windows, ``k`` the smallest count that leaves at most
    ``max_pairs`` (:func:`pick_top`), so a large corpus does not draw a hairball. Entities
    left without a line are not drawn; the caption counts them.

    Args:
        pairs: An :func:`analystkit.entities.cooccurrence` table.
        frequency: An :func:`analystkit.entities.entity_frequency` table.
        top: At most this many entities, the most mentioned.
        title: Figure title.
        ax: Axes to draw on (default: a new figure).
        seed: Layout seed, so the same data gives the same picture.
        max_pairs: At most this many lines (default: three per entity).

    Returns:
        The Axes.
    """
    named = frequency[~frequency["canonical"].map(_is_apart).to_numpy(dtype=bool)]
    nodes = named.head(top)
    graph, k, among, isolated = _network(pairs, nodes, edge_limit=max_pairs or 3 * top)
    with _style():
        own = ax is None
        if own:
            _, ax = _new_figure(9, 7)
        if graph.number_of_nodes():
            _draw_network(ax, graph, seed=seed)
        else:
            ax.text(0.5, 0.5, "no pair among these entities", ha="center",
                    transform=ax.transAxes)
        ax.set_title(displayable(title))
        ax.set_xlabel("node size: mentions; line width: sentence windows shared")
        ax.set_xticks([])
        ax.set_yticks([])
        lines = (f"their pairs sharing at least {plural(int(k), 'window')}" if k is not None
                 else "all their pairs")
        text = (f"The {len(nodes):,} most mentioned of {plural(len(named), 'entity')} and "
                f"{lines} ({graph.number_of_edges():,} of {among:,} pairs among them; "
                f"{len(pairs):,} pairs in all)")
        if isolated:
            text += f"; {plural(isolated, 'entity')} without such a pair not drawn"
        _caption(ax, text + ".", own_figure=own)
    return ax


# --------------------------------------------------------------------------- timeline

MAX_RANGE_DAYS = 366
"""Longest date range drawn on the timeline (a year); decades and centuries are listed."""
_PERIODS = (("D", "day"), ("W", "week"), ("M", "month"), ("Q", "quarter"), ("Y", "year"))
_KEY_NOUNS = {"actors": "actor", "source": "source", "doc_id": "document"}


def _event_spans(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day of each event (a point's last day is its first)."""
    start = pd.to_datetime(rows["date"])
    end = pd.to_datetime(rows["date_end"]) if "date_end" in rows else start
    end = end.fillna(start)
    return start, end.where(end >= start, start)


def _reference_days(reference_dates: Mapping[str, Any] | Iterable[Any] | None
                    ) -> list[pd.Timestamp]:
    """The known reference dates (``ReferenceDate`` objects, dates or ISO strings)."""
    if reference_dates is None:
        return []
    values = reference_dates.values() if isinstance(reference_dates, Mapping) \
        else reference_dates
    days = []
    for item in values:
        item = getattr(item, "date", item)
        try:
            day = pd.Timestamp(item) if item is not None else pd.NaT
        except (TypeError, ValueError):
            continue
        if pd.notna(day):
            days.append(day)
    return days


def _date_window(start: pd.Series, end: pd.Series, *, reference_dates: Any,
                 margin_days: int) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The span drawn: the documents' dates plus a margin, else a robust central range."""
    days = _reference_days(reference_dates)
    if days:
        first, last = min(days), max(days)
        margin = pd.Timedelta(days=margin_days)
        return first - margin, last + margin, (
            f"the documents' reference dates ({first:%Y-%m-%d} to {last:%Y-%m-%d}) with a "
            f"margin of {margin_days:,} days either side")
    middle = start + (end - start) / 2
    if len(middle) < 4:
        return start.min(), end.max(), "all event dates (too few events to tell outliers)"
    low, high = middle.quantile(0.25), middle.quantile(0.75)
    spread = max(high - low, pd.Timedelta(days=30))
    return low - 3 * spread, high + 3 * spread, (
        f"no document date given: the middle half of the event dates ({low:%Y-%m-%d} to "
        f"{high:%Y-%m-%d}) widened by three times its length either side")


def _in_span(dated: pd.DataFrame, *, reference_dates: Any, margin_days: int
             ) -> tuple[np.ndarray, pd.Series, pd.Series, str]:
    """Which events are drawn, their first and last days clipped to the span, the span."""
    start, end = _event_spans(dated)
    low, high, window = _date_window(start, end, reference_dates=reference_dates,
                                     margin_days=margin_days)
    # Drawn: a range of at most a year that overlaps the span (decades and centuries say
    # too little for a date axis), clipped to the span.
    inside = ((end >= low) & (start <= high)
              & (end - start <= pd.Timedelta(days=MAX_RANGE_DAYS))).to_numpy()
    return inside, start[inside].clip(lower=low), end[inside].clip(upper=high), window


def _lane_keys(rows: pd.DataFrame, color_by: str) -> pd.Series:
    """Each event's key: the first ``|``-separated value of ``color_by`` (``""``: none)."""
    if color_by not in rows:
        return pd.Series("", index=rows.index)
    return rows[color_by].fillna("").astype(str).str.split("|").str[0].str.strip()


def _palette(keys: pd.Series) -> tuple[dict[str, str], float | None]:
    """Named colours for the keys with the most events (at most ``len(NAMED_COLOURS)``)."""
    named = keys[~keys.map(_is_apart).to_numpy(dtype=bool)]
    counts = named.groupby(named, sort=False).size()  # ties keep their first appearance
    kept, k = pick_top(counts, limit=len(NAMED_COLOURS))
    return {key: NAMED_COLOURS[i] for i, key in enumerate(kept)}, k


def _colour(key: str, palette: Mapping[str, str]) -> str:
    return palette.get(key, NONE_COLOUR if _is_apart(key) else OTHER_COLOUR)


def _lanes_for_labels(starts: Sequence[float], widths: Sequence[float]) -> list[int]:
    """A lane per event so that no label overlaps the one before it in its lane."""
    ends: list[float] = []
    lanes = []
    for start, width in zip(starts, widths, strict=True):
        lane = next((i for i, taken in enumerate(ends) if taken < start), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = start + width
        lanes.append(lane)
    return lanes


def _draw_labelled(ax: Axes, rows: pd.DataFrame, start: pd.Series, end: pd.Series,
                   colours: Sequence[str], *, label_chars: int, lanes: Sequence[int]) -> None:
    """Every event as a point (or a bar over its range) with its wrapped label."""
    import matplotlib.dates as mdates

    for event, first, last, colour, lane in zip(rows["event"], start, end, colours, lanes,
                                                strict=True):
        x0, x1 = mdates.date2num(first), mdates.date2num(last)
        if x1 > x0:
            ax.plot([x0, x1], [lane, lane], color=colour, linewidth=6, alpha=0.5,
                    solid_capstyle="butt")
        ax.plot(x0, lane, marker="o", markersize=8, color=colour)
        ax.annotate(textwrap.fill(displayable(event, limit=2 * label_chars), label_chars),
                    (x0, lane), xytext=(6, 4), textcoords="offset points", fontsize=8,
                    va="bottom")
    ax.set_ylim(-0.6, max(lanes, default=0) + 0.9)
    ax.set_yticks([])
    ax.set_ylabel("events (stacked so labels do not overlap)")


def _period(middle: pd.Series) -> tuple[str, str]:
    """The finest period (day, week, month, quarter, year) giving at most 40 bins.

    40 bins across the chart leave each count's dot room for a two-digit number at 8 pt.
    """
    days = max(1, (middle.max() - middle.min()).days)
    limits = {"D": 40, "W": 40 * 7, "M": 40 * 30, "Q": 40 * 91}
    return next(((code, name) for code, name in _PERIODS if days <= limits.get(code, 1e12)),
                _PERIODS[-1])


def _lane_names(keys: pd.Series, palette: Mapping[str, str]) -> pd.Series:
    """Each event's lane: its key when it has a named colour, else "other" or "(none)"."""
    apart = keys.map(_is_apart).to_numpy(dtype=bool)
    return keys.where(keys.isin(list(palette)).to_numpy(), np.where(apart, "(none)", "other"))


def _draw_counts(ax: Axes, lanes: pd.Series, middle: pd.Series, palette: Mapping[str, str],
                 *, noun: str) -> str:
    """Events counted per period, one lane each; dots sized by count. Returns the period."""
    import matplotlib.dates as mdates

    code, period_name = _period(middle)
    counts = pd.DataFrame({"lane": lanes.to_numpy(), "period": middle.dt.to_period(code)}) \
        .groupby(["lane", "period"], sort=False).size()
    order = [lane for lane in [*palette, "other", "(none)"] if lane in counts.index.levels[0]]
    named = counts[counts.index.get_level_values(0).isin(list(palette))]
    # Dots are scaled to the named lanes, so the catch-all lanes cannot shrink them; the
    # largest dot is as wide as a period, so neighbours never overlap.
    cap = float((named if len(named) else counts).max())
    bins = len(pd.period_range(middle.min(), middle.max(), freq=code)) + 1
    widest = min(22.0, 0.9 * ax.figure.get_figwidth() * 0.72 * 72 / bins)
    ticks = []
    for y, lane in enumerate(order):
        part = counts[lane]
        x = [mdates.date2num(p.start_time + (p.end_time - p.start_time) / 2) for p in part.index]
        colour = palette.get(lane, OTHER_COLOUR if lane == "other" else NONE_COLOUR)
        share = np.minimum(1.0, part.to_numpy() / cap)
        ax.scatter(x, [y] * len(x), s=16 + (widest ** 2 - 16) * share,
                   color=colour, alpha=0.85, linewidths=0)
        for xi, n in zip(x, part.to_numpy(), strict=True):
            if n >= max(2, cap / 4) and widest >= 12:
                ax.text(xi, y, f"{n}", ha="center", va="center", fontsize=8)
        name = {"other": f"other {plural_noun(noun)}", "(none)": f"no {noun} named"}.get(
            lane, shorten(lane, 26))
        ticks.append(f"{name} ({int(part.sum()):,})")
    ax.set_yticks(range(len(order)), ticks)
    ax.set_ylim(len(order) - 0.5, -0.6)
    ax.set_ylabel(f"events per {period_name}, by {noun}")
    return period_name


def _date_axis(ax: Axes, first: pd.Timestamp, last: pd.Timestamp, *, room: float) -> None:
    """Date ticks over ``first`` .. ``last`` plus ``room`` (a share of the span) on the right."""
    import matplotlib.dates as mdates

    span_days = max(1.0, (last - first).days)
    ax.set_xlim(mdates.date2num(first) - max(0.5, span_days * 0.04),
                mdates.date2num(last) + max(0.5, span_days * room))
    # Whole days on short spans: sub-day ticks would repeat the same day label.
    locator = (mdates.DayLocator(interval=max(1, round(span_days * (1 + room) / 8)))
               if span_days <= 62 else mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Date")


def _legend(ax: Axes, keys: pd.Series, palette: Mapping[str, str], *, noun: str,
            own: bool) -> None:
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=colour,
                          label=shorten(key, 26)) for key, colour in palette.items()]
    lanes = _lane_names(keys, palette)
    if (lanes == "other").any():
        handles.append(plt.Line2D([], [], marker="o", linestyle="", color=OTHER_COLOUR,
                                  label=f"other {plural_noun(noun)}"))
    if (lanes == "(none)").any():
        handles.append(plt.Line2D([], [], marker="o", linestyle="", color=NONE_COLOUR,
                                  label=f"no {noun} named"))
    if own:
        ax.figure.legend(handles=handles, title=noun, loc="outside right upper", fontsize=8)
    else:
        ax.legend(handles=handles, title=noun, fontsize=8, loc="upper left",
                  bbox_to_anchor=(1.01, 1))


def _timeline_caption(*, drawn: str, keys: pd.Series, palette: Mapping[str, str],
                      k: float | None, noun: str, window: str, left_out: pd.DataFrame,
                      undated: int) -> str:
    named = keys[~keys.map(_is_apart).to_numpy(dtype=bool)].nunique()
    chosen = _rule_words(k, len(palette), named, noun, "event")
    text = f"{drawn}. Colours: {chosen}; the others grey"
    if len(left_out):
        first, last = left_out["date"].min(), left_out["date"].max()
        text += (f". Span: {window}; {plural(len(left_out), 'dated event')} outside it "
                 f"or longer than a year ({first:%Y-%m-%d} to {last:%Y-%m-%d}) "
                 f"{is_are(len(left_out))} not drawn "
                 "(the timeline table lists them)")
    else:
        text += f". Span: {window}; no dated event falls outside it"
    if undated:
        text += (f". {plural(undated, 'event')} without a calendar date {is_are(undated)} in "
                 "the table only")
    return text + "."


def _empty_timeline(ax: Axes | None, *, title: str, events: int) -> Axes:
    own = ax is None
    if own:
        _, ax = _new_figure(10, 2.6)
    ax.set_title(displayable(title))
    ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("Date")
    ax.set_yticks([])
    _caption(ax, f"None of the {plural(events, 'event')} has a calendar date.",
             own_figure=own)
    ax.figure.analystkit_left_out = pd.DataFrame()
    return ax


def timeline_chart(timeline: pd.DataFrame, *, color_by: str = "actors",
                   title: str = "Timeline of dated events", label_chars: int = 34,
                   reference_dates: Mapping[str, Any] | Iterable[Any] | None = None,
                   margin_days: int = 366, max_labels: int = 30,
                   ax: Axes | None = None) -> Axes:
    """Dated events on a date axis: each labelled when few, counted per period when many.

    Span: the documents' reference dates with ``margin_days`` either side when
    ``reference_dates`` is given, else the middle half of the event dates widened by three
    times its length (a robust range); an event is drawn when its range (a day up to a year,
    :data:`MAX_RANGE_DAYS`) overlaps the span, and is clipped to it.
    Dated events outside are not drawn: the caption counts them and the figure keeps them
    as ``figure.analystkit_left_out`` (a DataFrame of their timeline rows). Up to
    ``max_labels`` events each get a point (a bar over a week, month or longer range) and a
    label, stacked in lanes so none overlap; more are counted per day, week, month, quarter
    or year (the finest giving at most 60) in one lane per key. Colours: at most
    ``len(NAMED_COLOURS)`` keys with the most events (:func:`pick_top`), the rest one grey.
    Vague and relative events have no calendar date: the timeline table lists them.

    Args:
        timeline: A :func:`analystkit.timeline.timeline_table` (undated rows are skipped).
        color_by: Column whose first ``|``-separated value is the key (``actors``,
            ``source`` or ``doc_id``): colour and, when counted, lane.
        title: Figure title.
        label_chars: Characters per label line (longer events are wrapped, then cut).
        reference_dates: The documents' reference dates (``analysis.reference_dates``: a
            mapping to ``ReferenceDate``; or dates), to set the span.
        margin_days: Days before the first and after the last reference date still drawn.
        max_labels: Most events drawn one by one with a label.
        ax: Axes to draw on (default: a new figure sized to the number of lanes).

    Returns:
        The Axes; ``ax.figure.analystkit_left_out`` holds the dated events not drawn.
    """
    dated = timeline[timeline["date"].notna()].sort_values("date", kind="stable")
    with _style():
        if dated.empty:
            return _empty_timeline(ax, title=title, events=len(timeline))
        inside, start, end, window = _in_span(dated, reference_dates=reference_dates,
                                              margin_days=margin_days)
        rows = dated[inside]
        keys = _lane_keys(rows, color_by)
        palette, k = _palette(keys)
        noun = _KEY_NOUNS.get(color_by, _unit(color_by))
        own = ax is None
        if len(rows) <= max_labels:
            drawn = _labelled_timeline(ax, rows, start, end, keys, palette,
                                       label_chars=label_chars, noun=noun)
        else:
            drawn = _counted_timeline(ax, rows, start, end, keys, palette, noun=noun)
        ax = drawn[0]
        ax.set_title(displayable(title))
        left_out = dated[~inside].reset_index(drop=True)
        _caption(ax, _timeline_caption(drawn=drawn[1], keys=keys, palette=palette, k=k,
                                       noun=noun, window=window, left_out=left_out,
                                       undated=len(timeline) - len(dated)), own_figure=own)
        ax.figure.analystkit_left_out = left_out
    return ax


def _labelled_timeline(ax: Axes | None, rows: pd.DataFrame, start: pd.Series, end: pd.Series,
                       keys: pd.Series, palette: Mapping[str, str], *, label_chars: int,
                       noun: str) -> tuple[Axes, str]:
    import matplotlib.dates as mdates

    span_days = max(1.0, (end.max() - start.min()).days) * 1.25
    per_char = span_days / 100  # a label's width in days: about 100 characters fit across
    widths = [per_char * min(len(str(event)), label_chars) + (b - a).days
              for event, a, b in zip(rows["event"], start, end, strict=True)]
    lanes = _lanes_for_labels([mdates.date2num(d) for d in start], widths)
    own = ax is None
    if own:
        _, ax = _new_figure(11, 1.9 + 0.5 * (max(lanes, default=0) + 1))
    _draw_labelled(ax, rows, start, end, [_colour(key, palette) for key in keys],
                   label_chars=label_chars, lanes=lanes)
    _date_axis(ax, start.min(), end.max(), room=0.25)
    _legend(ax, keys, palette, noun=noun, own=own)
    return ax, (f"Every one of the {plural(len(rows), 'dated event')} in the span is drawn "
                "with its label (a bar spans a week, month or longer range)")


def _counted_timeline(ax: Axes | None, rows: pd.DataFrame, start: pd.Series, end: pd.Series,
                      keys: pd.Series, palette: Mapping[str, str], *, noun: str
                      ) -> tuple[Axes, str]:
    lanes = _lane_names(keys, palette)
    own = ax is None
    if own:
        _, ax = _new_figure(11, 1.9 + 0.42 * lanes.nunique())
    middle = start + (end - start) / 2
    period = _draw_counts(ax, lanes, middle, palette, noun=noun)
    _date_axis(ax, middle.min(), middle.max(), room=0.04)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    return ax, (f"{plural(len(rows), 'dated event')} in the span, counted per {period} in "
                f"one lane per {noun} (an event's first; dot size and number: events; a range "
                "such as a month "
                "or a year is counted at its middle); each lane's label gives its total")


_PERIOD_AXIS = {"day": "Publication date (per day)",
                "week": "Week of publication (Monday to Sunday; labels: its Monday)",
                "month": "Month of publication"}
_PERIOD_FORMAT = {"day": "%d %b", "week": "%d %b", "month": "%b %Y"}
MAX_PERIOD_TICKS = 12
"""At most this many labelled ticks on the over-time chart's axis (every k-th period)."""


def _period_axis(ax: Axes, starts: pd.DatetimeIndex, *, period: str) -> None:
    """Ticks on the periods' first days (every k-th when many), labelled for a reader."""
    step = max(1, math.ceil(len(starts) / MAX_PERIOD_TICKS))
    ticks = starts[::step]
    years = {day.year for day in starts}
    fmt = _PERIOD_FORMAT[period] + (" %Y" if period != "month" and len(years) > 1 else "")
    ax.set_xticks(ticks, [day.strftime(fmt) for day in ticks])
    pad = (starts[-1] - starts[0]) * 0.03 if len(starts) > 1 else pd.Timedelta(days=1)
    ax.set_xlim(starts[0] - pad, starts[-1] + pad)
    if period != "month" and len(years) == 1:
        ax.annotate(str(next(iter(years))), (1, 0), xycoords="axes fraction",
                    xytext=(0, -28), textcoords="offset points", ha="right", fontsize=8.5)


def _over_time_caption(frame: pd.DataFrame, *, drawn: int, period: str,
                       documents: pd.DataFrame | None) -> str:
    """How the over-time chart was made, in words."""
    published = frame.drop_duplicates("period_start")["published"]
    text = (f"{plural(drawn, 'entity', 'entities')} with the most mentions in dated documents; "
            f"one point per {period} "
            f"({'Monday to Sunday, ' if period == 'week' else ''}by publication date) "
            f"from {frame['period_start'].min():%Y-%m-%d} to "
            f"{frame['period_end'].max():%Y-%m-%d}, "
            f"{plural(int(published.sum()), 'dated document')}")
    empty = int((published == 0).sum())
    if empty:
        text += (f"; {plural(empty, period)} without a dated document "
                 f"{is_are(empty)} gaps in the lines")
    if documents is not None:
        dates = pd.to_datetime(documents["date"])
        undated = int(dates.isna().sum())
        outside = dates[(dates < frame["period_start"].min())
                        | (dates > frame["period_end"].max() + pd.Timedelta(days=1))]
        if len(outside):
            text += (f"; {plural(len(outside), 'document')} dated far outside the others "
                     f"({outside.min():%Y-%m-%d} to {outside.max():%Y-%m-%d}) "
                     f"{is_are(len(outside))} not counted")
        if undated:
            text += (f"; {plural(undated, 'document')} without a publication date "
                     f"{is_are(undated)} not counted")
    return text + "."


def mentions_over_time_chart(frame: pd.DataFrame, *, title: str = "Mentions over time",
                             documents: pd.DataFrame | None = None,
                             ax: Axes | None = None) -> Axes:
    """One line per entity: its mentions per day, week or month of publication.

    A period in which no dated document was published is a gap in every line (not a zero:
    no document could mention anyone); the caption counts such periods.

    Args:
        frame: :func:`analystkit.entities.mentions_over_time` (one row per entity and
            period); at most ``len(NAMED_COLOURS)`` entities are drawn, in its order.
        title: Figure title.
        documents: The documents' publication dates (``doc_id, date``, as given to
            ``mentions_over_time``): the caption counts those without a date and those
            dated outside the chart's span, which are not counted.
        ax: Axes to draw on (default: a new figure as wide as a report page).

    Returns:
        The Axes.

    Raises:
        ValueError: If ``frame`` has no rows (say in words that no document is dated).

    Example:
        >>> over_time = entities.mentions_over_time(mentions, documents)  # doctest: +SKIP
        >>> mentions_over_time_chart(over_time)  # doctest: +SKIP
    """
    from matplotlib.ticker import MaxNLocator

    if frame.empty:
        raise ValueError("no mentions over time to draw: no document has a publication date")
    period = str(frame["period"].iloc[0])
    order = list(dict.fromkeys(frame["entity_id"]))[:len(NAMED_COLOURS)]
    with _style():
        own = ax is None
        if own:
            _, ax = _new_figure(11, 4.2)
        for i, entity in enumerate(order):
            rows = frame[frame["entity_id"] == entity].sort_values("period_start")
            x = rows["period_start"]
            # Nothing published that period is a gap, not a zero: nobody could mention it.
            counts = rows["mentions"].astype(float).where(rows["published"] > 0)
            ax.plot(x, counts, marker="o", markersize=4, linewidth=1.6,
                    color=NAMED_COLOURS[i], label=shorten(rows["canonical"].iloc[0], 26))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        _period_axis(ax, pd.DatetimeIndex(frame["period_start"].drop_duplicates()).sort_values(),
                     period=period)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        _label_axes(ax, title=title, xlabel=_PERIOD_AXIS[period],
                    ylabel=f"Mentions per {period}")
        if own:
            ax.figure.legend(title="entity", loc="outside right upper", fontsize=8)
        else:
            ax.legend(title="entity", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
        _caption(ax, _over_time_caption(frame, drawn=len(order), period=period,
                                        documents=documents), own_figure=own)
    return ax
