"""Plots: titles and labelled axes, escaping, no nested spans, timeline lanes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import spacy  # noqa: E402

from analystkit import plots  # noqa: E402


def _labelled(ax, title):
    assert ax.get_title() == title and ax.get_xlabel() and ax.get_ylabel()


def test_bar_chart_and_histogram_are_titled_and_labelled():
    frame = pd.DataFrame({"k": ["a", "b"], "v": [3, 1]})
    _labelled(plots.bar_chart(frame, label="k", value="v", title="T", xlabel="x",
                              ylabel="y"), "T")
    _labelled(plots.histogram([1, 2, 2, 3], title="H", xlabel="x"), "H")
    figure = plots.bar_charts_by(frame.assign(g=["A", "B"]), by="g", label="k", value="v",
                                 title="Top {group}", xlabel="x", ylabel="y")
    assert {ax.get_title() for ax in figure.axes if ax.get_visible()} == {"Top A", "Top B"}


def test_entity_view_escapes_text_and_skips_nested_spans():
    nlp = spacy.blank("en")
    doc = nlp("<b>x</b> the US-led coalition struck.")
    start = doc.text.index("US")
    mentions = pd.DataFrame({
        "start_char": [start, start], "end_char": [start + 16, start + 2],
        "label": ["ORG", "GPE"], "canonical": ["US-led coalition", "United <i>States"]})
    page = plots.entity_view(doc, title="<script>", mentions=mentions)
    assert "<b>x" not in page and "&lt;script&gt;" in page
    assert "United" not in page and page.count("<mark") == 1


def test_heatmap_and_stacked_bars():
    matrix = pd.DataFrame({"s": ["A", "A"], "t": ["B", "C"], "p": [-0.5, 0.2], "n": [2, 1]})
    _labelled(plots.heatmap(matrix, row="s", column="t", value="p", count="n", title="M",
                            xlabel="target", ylabel="source"), "M")
    table = pd.DataFrame({"verbal conflict": [2, 0], "neutral": [1, 3]}, index=["A", "B"])
    _labelled(plots.stacked_bar_chart(table, title="Q", xlabel="n", ylabel="who"), "Q")


def test_timeline_chart_lanes_and_empty():
    rows = pd.DataFrame({
        "date": pd.to_datetime(["2017-06-06", "2017-06-06", "2017-06-07"]),
        "date_end": pd.to_datetime(["2017-06-06", "2017-06-06", "2017-06-13"]),
        "precision": ["day", "day", "week"], "event": ["a long event label"] * 3,
        "actors": ["United States", "Iran", ""]})
    ax = plots.timeline_chart(rows)
    assert ax.get_title() and ax.get_xlabel() == "Date"
    lanes = {round(line.get_ydata()[0]) for line in ax.lines if len(line.get_ydata())}
    assert len(lanes) >= 2  # two events on one day do not share a lane
    empty = plots.timeline_chart(rows.iloc[0:0], title="none")
    assert empty.get_title() == "none"


def test_timeline_chart_on_a_short_span():
    rows = pd.DataFrame({"date": pd.to_datetime(["2017-06-06", "2017-06-08"]),
                         "date_end": pd.to_datetime(["2017-06-06", "2017-06-08"]),
                         "precision": ["day", "vague"], "event": ["x", "y"],
                         "actors": ["A", "B"]})
    ax = plots.timeline_chart(rows)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) == len(set(labels))  # no repeated day labels


def test_heatmap_and_stacked_bars_keep_the_largest_and_say_what_was_left_out():
    pairs = pd.DataFrame({"source": [f"s{i}" for i in range(60)],
                          "target": [f"t{i % 45}" for i in range(60)],
                          "score": [0.1] * 60, "n": list(range(60))})
    ax = plots.heatmap(pairs, row="source", column="target", value="score", count="n",
                       title="t", xlabel="Target", ylabel="Source", top=10)
    assert len(ax.get_yticklabels()) <= 10 and len(ax.get_xticklabels()) <= 10
    assert "left out" in ax.get_xlabel() and "s59" in [t.get_text() for t in ax.get_yticklabels()]
    table = pd.DataFrame({"conflict": range(40), "neutral": range(40)},
                         index=[f"a{i}" for i in range(40)])
    bars = plots.stacked_bar_chart(table, title="t", xlabel="Statements", ylabel="Source", top=5)
    assert len(bars.get_yticklabels()) == 5 and "35 more left out" in bars.get_xlabel()
