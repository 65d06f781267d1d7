"""Figures for the notebooks: matplotlib charts with titles and labelled axes, displaCy views.

Every function returns the matplotlib ``Axes`` (or an HTML string) so a notebook can adjust
or save it; none of them computes analysis results.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from spacy import displacy
from spacy.tokens import Doc

__all__ = ["bar_chart", "bar_charts_by", "cooccurrence_network", "entity_view", "heatmap",
           "histogram", "stacked_bar_chart", "timeline_chart"]


def bar_chart(frame: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str,
              ylabel: str, ax: Axes | None = None) -> Axes:
    """Horizontal bar chart, largest value on top.

    Args:
        frame: The data, one bar per row.
        label: Column with the bar labels.
        value: Column with the bar lengths.
        title: Figure title.
        xlabel: Label of the value axis.
        ylabel: Label of the category axis.
        ax: Axes to draw on (default: a new figure sized to the number of bars).

    Returns:
        The Axes.

    Example:
        >>> bar_chart(lemmas, label="lemma", value="count", title="Top lemmas",
        ...           xlabel="Occurrences", ylabel="Lemma")  # doctest: +SKIP
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, max(2.5, 0.3 * len(frame) + 1)))
    ax.barh(frame[label].astype(str)[::-1], frame[value][::-1], color="#4C72B0")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.tight_layout()
    return ax


def bar_charts_by(frame: pd.DataFrame, *, by: str, label: str, value: str, top: int = 10,
                  title: str = "{group}", xlabel: str, ylabel: str, columns: int = 2):
    """One horizontal bar chart per group (e.g. per entity label), ``top`` bars each.

    Args:
        frame: The data, sorted so that the rows to show come first within each group.
        by: Column whose values make the groups (one chart each, largest group first).
        label: Column with the bar labels.
        value: Column with the bar lengths.
        top: Bars per chart.
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
    rows = max(1, math.ceil(len(order) / columns))
    size = (6 * columns, (0.35 * top + 1.5) * rows)
    figure, axes = plt.subplots(rows, columns, figsize=size, squeeze=False)
    for ax, group in zip(axes.flat, order, strict=False):
        bar_chart(frame[frame[by] == group].head(top), label=label, value=value,
                  title=title.format(group=group), xlabel=xlabel, ylabel=ylabel, ax=ax)
    for ax in list(axes.flat)[len(order):]:
        ax.set_visible(False)
    figure.tight_layout()
    return figure


def histogram(values: Sequence[float] | pd.Series, *, title: str, xlabel: str,
              ylabel: str = "Count", bins: int | str = "auto", ax: Axes | None = None) -> Axes:
    """Histogram of ``values``.

    Args:
        values: The numbers.
        title: Figure title.
        xlabel: Label of the value axis.
        ylabel: Label of the count axis.
        bins: Passed to ``Axes.hist``.
        ax: Axes to draw on (default: a new figure).

    Returns:
        The Axes.

    Example:
        >>> histogram(sentences.n_tokens, title="Sentence length",
        ...           xlabel="Tokens per sentence")  # doctest: +SKIP
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(list(values), bins=bins, color="#55A868", edgecolor="white")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.tight_layout()
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


def cooccurrence_network(pairs: pd.DataFrame, frequency: pd.DataFrame, *, top: int = 25,
                         title: str = "Entities mentioned together", ax: Axes | None = None,
                         seed: int = 7) -> Axes:
    """Network of co-mentioned entities: node size by mentions, edge width by count.

    Args:
        pairs: An :func:`analystkit.entities.cooccurrence` table.
        frequency: An :func:`analystkit.entities.entity_frequency` table.
        top: Draw only the ``top`` most mentioned entities (those with no partner among
            them are left out).
        title: Figure title.
        ax: Axes to draw on (default: a new figure).
        seed: Layout seed, so the same data gives the same picture.

    Returns:
        The Axes.
    """
    import networkx as nx

    nodes = frequency.head(top)
    keep = set(nodes["entity_id"])
    graph = nx.Graph()
    for row in nodes.itertuples():
        graph.add_node(row.entity_id, label=row.canonical, mentions=row.mentions)
    for row in pairs.itertuples():
        if row.entity_a in keep and row.entity_b in keep:
            graph.add_edge(row.entity_a, row.entity_b, weight=row.count)
    graph.remove_nodes_from(list(nx.isolates(graph)))  # nothing to show about them here
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    if graph.number_of_nodes():
        spacing = 1.2 / max(1, graph.number_of_nodes()) ** 0.5
        position = nx.spring_layout(graph, seed=seed, k=spacing)
        largest = max(nx.get_node_attributes(graph, "mentions").values())
        sizes = [200 + 1800 * graph.nodes[n]["mentions"] / largest for n in graph]
        widths = [0.5 + 2.5 * graph.edges[e]["weight"] / max(
            (graph.edges[f]["weight"] for f in graph.edges), default=1) for e in graph.edges]
        nx.draw_networkx_edges(graph, position, ax=ax, width=widths, alpha=0.35)
        nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes, node_color="#8FB9E0",
                               edgecolors="#4C72B0")
        nx.draw_networkx_labels(graph, position, ax=ax, font_size=9,
                                labels=nx.get_node_attributes(graph, "label"))
    ax.set_title(title)
    ax.set_xlabel("node size: mentions; line width: sentences shared")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.figure.tight_layout()
    return ax


def timeline_chart(timeline: pd.DataFrame, *, color_by: str = "actors",
                   title: str = "Timeline of dated events", label_chars: int = 34,
                   ax: Axes | None = None) -> Axes:
    """Dated events on a date axis; labels are stacked in lanes so that none overlap.

    Points are day- or time-precise events; a horizontal bar spans a week, month or longer
    range. Vague ("recently") and relative events (no reference date) have no calendar
    date, so they are not drawn: the timeline table lists them.

    Args:
        timeline: A :func:`analystkit.timeline.timeline_table` (undated rows are skipped).
        color_by: Column whose first ``|``-separated value picks the colour
            (``actors`` or ``source``).
        title: Figure title.
        label_chars: Characters per label line (longer events are wrapped).
        ax: Axes to draw on (default: a new figure sized to the number of lanes).

    Returns:
        The Axes.
    """
    import textwrap

    import matplotlib.dates as mdates

    rows = timeline[timeline["date"].notna()].sort_values("date", kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 2 + 0.9 * min(12, max(1, len(rows)))))
    ax.set_title(title)
    if rows.empty:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel("Date")
        ax.set_yticks([])
        return ax
    first, last = rows["date"].min(), rows["date_end"].fillna(rows["date"]).max()
    span_days = max(1.0, (last - first).days) * 1.25
    # Width of a label in days at this scale: about 110 characters fit across the figure.
    per_char = span_days / 110
    keys = rows[color_by].fillna("").astype(str).str.split("|").str[0].replace("", "(none)")
    palette = {key: plt.cm.tab10(i % 10) for i, key in enumerate(dict.fromkeys(keys))}
    lanes_end: list[float] = []
    for (_, row), key in zip(rows.iterrows(), keys, strict=True):
        label = textwrap.fill(str(row["event"]), label_chars)
        start = mdates.date2num(row["date"])
        end = mdates.date2num(row["date_end"]) if pd.notna(row["date_end"]) else start
        width = per_char * min(len(str(row["event"])), label_chars) + (end - start)
        lane = next((i for i, taken in enumerate(lanes_end) if taken < start), len(lanes_end))
        if lane == len(lanes_end):
            lanes_end.append(0.0)
        lanes_end[lane] = start + width
        colour = palette[key]
        if end > start:
            ax.plot([start, end], [lane, lane], color=colour, linewidth=6, alpha=0.5,
                    solid_capstyle="butt")
        ax.plot(start, lane, marker="o", markersize=8, color=colour)
        ax.annotate(label, (start, lane), xytext=(6, 4), textcoords="offset points",
                    fontsize=8, va="bottom")
    ax.set_ylim(-0.6, len(lanes_end) + 0.4)
    ax.set_yticks([])
    ax.set_ylabel("events (stacked so labels do not overlap)")
    ax.set_xlim(mdates.date2num(first) - span_days * 0.05, mdates.date2num(first) + span_days)
    # Whole days on short spans: sub-day ticks would repeat the same day label.
    locator = (mdates.DayLocator(interval=max(1, round(span_days / 8))) if span_days <= 62
               else mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Date")
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c, label=k[:30])
               for k, c in palette.items()]
    ax.legend(handles=handles, title=color_by, fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1))
    ax.figure.autofmt_xdate()
    ax.figure.tight_layout()
    return ax


def heatmap(frame: pd.DataFrame, *, row: str, column: str, value: str, count: str | None = None,
            title: str, xlabel: str, ylabel: str, vmin: float = -1, vmax: float = 1,
            top: int = 20, ax: Axes | None = None) -> Axes:
    """A diverging heatmap of ``value`` for each (row, column) pair of a long table.

    Args:
        frame: Long-form data, one row per pair.
        row: Column whose values label the rows.
        column: Column whose values label the columns.
        value: Column with the colour value (e.g. mean polarity in [-1, 1]).
        count: Column printed in each cell (e.g. number of statements).
        title: Figure title.
        xlabel: Label of the horizontal axis.
        ylabel: Label of the vertical axis.
        vmin: Value of the darkest red.
        vmax: Value of the darkest blue.
        top: At most this many rows and columns: those with the most ``count`` (else the
            most pairs); how many were left out is said under the chart.
        ax: Axes to draw on.

    Returns:
        The Axes.
    """
    weight = frame[count] if count else pd.Series(1, index=frame.index)
    rows_kept = weight.groupby(frame[row]).sum().nlargest(top, keep="first").index
    columns_kept = weight.groupby(frame[column]).sum().nlargest(top, keep="first").index
    left_out = (frame[row].nunique() - len(rows_kept), frame[column].nunique() - len(columns_kept))
    frame = frame[frame[row].isin(rows_kept) & frame[column].isin(columns_kept)]
    grid = frame.pivot_table(index=row, columns=column, values=value, aggfunc="mean")
    counts = (frame.pivot_table(index=row, columns=column, values=count, aggfunc="sum")
              if count else None)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 + 0.7 * max(1, grid.shape[1]),
                                      1.5 + 0.5 * max(1, grid.shape[0])))
    image = ax.imshow(grid.to_numpy(dtype=float), cmap="RdBu", vmin=vmin, vmax=vmax,
                      aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
    if counts is not None:
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                n = counts.iloc[i, j]
                if pd.notna(n):
                    ax.text(j, i, f"{int(n)}", ha="center", va="center", fontsize=8)
    ax.figure.colorbar(image, ax=ax, label=value)
    ax.set_title(title)
    if any(left_out):
        xlabel += (f"\n(the {top} with the most statements shown; {left_out[0]:,} "
                   f"{ylabel.lower()}s and {left_out[1]:,} {xlabel.lower()}s left out)")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.tight_layout()
    return ax


def stacked_bar_chart(table: pd.DataFrame, *, title: str, xlabel: str, ylabel: str,
                      top: int = 25, ax: Axes | None = None) -> Axes:
    """Horizontal stacked bars: one bar per row of ``table``, one segment per column.

    Args:
        table: Counts, e.g. ``pd.crosstab(statements.source_entity, statements.quad_class)``.
        title: Figure title.
        xlabel: Label of the count axis.
        ylabel: Label of the category axis.
        top: At most this many bars, those with the largest totals; how many were left out
            is said under the chart.
        ax: Axes to draw on.

    Returns:
        The Axes.
    """
    left_out = max(0, len(table) - top)
    table = table.loc[table.sum(axis=1).nlargest(top, keep="first").index]
    if left_out:
        xlabel += f"\n(the {top} largest shown; {left_out:,} more left out)"
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(table) + 1)))
    left = pd.Series(0.0, index=table.index)
    colours = {"verbal cooperation": "#8fc3e8", "material cooperation": "#2b7bba",
               "verbal conflict": "#f4a582", "material conflict": "#b2182b",
               "neutral": "#cccccc"}
    for i, name in enumerate(table.columns):
        ax.barh([str(x) for x in table.index], table[name], left=left, label=str(name),
                color=colours.get(str(name), plt.cm.tab10(i % 10)))
        left = left + table[name]
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.tight_layout()
    return ax
