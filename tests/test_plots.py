"""Plots: titles and labels, escaping, charts that pick what they show by a stated rule and
say what they left out, readable labels, a timeline that scales, drawable text."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import spacy
from matplotlib.text import Text

from analystkit import plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax, title):
    assert ax.get_title() == title and ax.get_xlabel() and ax.get_ylabel()


def _ticks(ax, axis="y"):
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


def _drawn_without_glyph_warnings(figure):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _smallest_font(figure):
    figure.canvas.draw()
    return min(t.get_fontsize() for t in figure.findobj(Text) if t.get_text().strip())


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


def test_pick_top_never_splits_equal_totals_and_falls_back_when_all_tie():
    totals = pd.Series([9, 7, 5, 5, 5, 3, 3, 1, 1, 1], index=list("abcdefghij"))
    kept, k = plots.pick_top(totals, limit=6, at_least=2)
    assert list(kept) == list("abcde") and k == 4  # 3 would give 7 > 6: the 3s stay out
    kept, k = plots.pick_top(totals, limit=20)
    assert len(kept) == 10 and k is None
    ties = pd.Series([1] * 30, index=[f"s{i}" for i in range(30)])
    kept, k = plots.pick_top(ties, limit=5)
    assert list(kept) == ["s0", "s1", "s2", "s3", "s4"] and k is None


def test_heatmap_rows_by_threshold_columns_by_weight_and_a_caption():
    pairs = pd.DataFrame({"source": [f"s{i}" for i in range(60)],
                          "target": [f"t{i % 45}" for i in range(60)],
                          "score": [0.1] * 60, "statements": list(range(60))})
    ax = plots.heatmap(pairs, row="source", column="target", value="score", count="statements",
                       title="t", xlabel="Target", ylabel="Source", top=10, top_columns=8)
    rows, columns = _ticks(ax), _ticks(ax, "x")
    assert rows[0] == "s59" and len(rows) == 8 and len(columns) == 8
    caption = plots.caption_of(ax)
    assert caption.startswith("Sources with at least 50 statements (10 of 60) and the 8 ")
    assert "; 2 such sources address none of these targets and are not drawn" in caption
    assert "the 8 targets they address most (8 of 45)" in caption
    assert ax.figure.get_figwidth() <= plots.MAX_WIDTH_INCHES


def test_heatmap_keeps_unresolved_and_other_apart():
    matrix = pd.DataFrame({"s": ["A", "A", "(unresolved)", "B"], "t": ["B", "other", "B", "A"],
                           "p": [-0.5, 0.2, 0.9, 0.1], "n": [2, 1, 50, 1]})
    ax = plots.heatmap(matrix, row="s", column="t", value="p", count="n", title="M",
                       xlabel="Target", ylabel="Source")
    _labelled(ax, "M")
    assert "(unresolved)" not in _ticks(ax) and "other" not in _ticks(ax, "x")
    assert "2 pairs with an unresolved or 'other'" in plots.caption_of(ax)


def test_stacked_bars_keep_unresolved_as_a_note_and_state_the_rule():
    table = pd.DataFrame({"verbal conflict": [*range(40), 250], "neutral": [*range(40), 250]},
                         index=[*[f"a{i}" for i in range(40)], "(unresolved)"])
    ax = plots.stacked_bar_chart(table, title="Q", xlabel="Statements", ylabel="Source", top=5)
    _labelled(ax, "Q")
    assert _ticks(ax) == ["a39", "a38", "a37", "a36", "a35"]
    caption = plots.caption_of(ax)
    assert "Sources with at least 69 statements (5 of 40)" in caption
    assert "(unresolved) 500 statements" in caption
    # The catch-all row is not a bar, so the x axis is scaled to the named sources.
    assert ax.get_xlim()[1] < 200


def test_bar_chart_shortens_long_labels_and_grows_with_the_rows():
    names = ["A very long organisation name that goes on and on", *[f"n{i}" for i in range(39)]]
    frame = pd.DataFrame({"k": names, "v": range(40, 0, -1)})
    small = plots.bar_chart(frame, label="k", value="v", title="T", xlabel="Mentions",
                            ylabel="Entity", top=5)
    large = plots.bar_chart(frame, label="k", value="v", title="T", xlabel="Mentions",
                            ylabel="Entity", top=40)
    first = _ticks(small)[0]
    assert first.endswith("\u2026") and len(first) <= plots.LABEL_CHARS
    assert len(_ticks(small)) == 5 and "5 of 40 entities shown" in plots.caption_of(small)
    assert large.figure.get_figheight() > small.figure.get_figheight()
    assert large.figure.get_figheight() <= plots.MAX_HEIGHT_INCHES
    assert _smallest_font(large.figure) >= 8


def test_bar_chart_says_how_its_rows_are_ordered():
    tone = pd.DataFrame({"canonical": ["A", "B", "C"], "mentions": [9, 5, 2],
                         "mean_polarity": [-0.5, 0.25, 0.0]})
    ax = plots.bar_chart(tone, label="canonical", value="mean_polarity", title="T",
                         xlabel="Mean polarity", ylabel="Entity", total=40)
    assert plots.caption_of(ax) == "By mentions, largest first: 3 of 40 entities shown."
    assert [t.get_text() for t in ax.texts] == ["-0.50", "+0.25", "+0.00"]  # scores, signed


def test_bar_charts_by_state_each_group_and_thresholds():
    frequency = pd.DataFrame({"label": ["ORG"] * 30 + ["GPE"] * 3,
                              "canonical": [f"o{i}" for i in range(30)] + ["x", "y", "z"],
                              "mentions": [*range(60, 30, -1), 5, 4, 1]})
    figure = plots.bar_charts_by(frequency, by="label", label="canonical", value="mentions",
                                 top=10, title="Top {group}", xlabel="Mentions", ylabel="Entity")
    org, gpe = figure.axes[:2]
    assert len(_ticks(org)) == 10 and ">= 51 mentions, 10 of 30 shown" in org.get_xlabel()
    assert "3 of 3 shown; 100% of 10 mentions" in gpe.get_xlabel()
    assert "at least k mentions" in plots.caption_of(figure)
    assert _smallest_font(figure) >= 8


def test_histogram_counts_a_long_tail_instead_of_drawing_it():
    values = [*np.random.default_rng(1).integers(5, 40, 500), 900, 1500, 5000]
    ax = plots.histogram(values, title="H", xlabel="Tokens per sentence", ylabel="Sentences")
    assert ax.get_xlim()[1] < 900
    assert "3 above the 99th percentile" in plots.caption_of(ax)
    assert "up to 5,000" in plots.caption_of(ax)


def test_network_keeps_the_most_mentioned_and_the_strongest_pairs():
    frequency = pd.DataFrame({"entity_id": list("abcdef"), "canonical": list("ABCDEF"),
                              "mentions": [9, 8, 7, 6, 5, 4]})
    pairs = pd.DataFrame({"entity_a": ["a", "a", "b", "c", "e"],
                          "entity_b": ["b", "c", "c", "d", "f"], "count": [5, 4, 3, 1, 9]})
    ax = plots.cooccurrence_network(pairs, frequency, top=4, max_pairs=2)
    caption = plots.caption_of(ax)
    assert "The 4 most mentioned of 6 entities" in caption
    assert "at least 4 windows (2 of 4 pairs among them" in caption
    assert "1 entity without such a pair not drawn" in caption  # d: its only pair is weak


def _events(n, *, start="2017-06-01", actors=None, days=1):
    dates = pd.date_range(start, periods=n, freq=f"{days}D")
    return pd.DataFrame({"date": dates, "date_end": dates, "precision": ["day"] * n,
                         "event": [f"event number {i}" for i in range(n)],
                         "actors": actors if actors is not None else [""] * n})


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
    assert "Every one of the 3 dated events" in plots.caption_of(ax)
    empty = plots.timeline_chart(rows.iloc[0:0], title="none")
    assert empty.get_title() == "none" and empty.figure.analystkit_left_out.empty


def test_timeline_chart_on_a_short_span():
    rows = pd.DataFrame({"date": pd.to_datetime(["2017-06-06", "2017-06-08"]),
                         "date_end": pd.to_datetime(["2017-06-06", "2017-06-08"]),
                         "precision": ["day", "vague"], "event": ["x", "y"],
                         "actors": ["A", "B"]})
    ax = plots.timeline_chart(rows)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) == len(set(labels))  # no repeated day labels


def test_timeline_clips_to_the_documents_span_and_lists_the_outliers():
    rows = pd.concat([_events(10), _events(1, start="1800-01-01"),
                      _events(1, start="2075-05-01")], ignore_index=True)
    rows.loc[11, "event"] = "far future"
    ax = plots.timeline_chart(rows, reference_dates={"d1": "2017-06-08", "d2": None})
    left_out = ax.figure.analystkit_left_out
    assert sorted(left_out["event"]) == ["event number 0", "far future"]
    assert ax.get_xlim()[0] > matplotlib.dates.date2num(pd.Timestamp("2017-01-01"))
    caption = plots.caption_of(ax)
    assert "2 dated events outside it" in caption and "2017-06-08" in caption


def test_timeline_without_reference_dates_uses_a_robust_central_range():
    rows = pd.concat([_events(40), _events(1, start="1900-01-01")], ignore_index=True)
    ax = plots.timeline_chart(rows)
    assert list(ax.figure.analystkit_left_out["date"]) == [pd.Timestamp("1900-01-01")]
    assert "no document date given" in plots.caption_of(ax)


def test_timeline_counts_many_events_in_lanes_with_few_distinct_colours():
    actors = [f"actor {i % 25}" if i % 4 else "" for i in range(2000)]
    rows = _events(2000, actors=actors, start="2016-01-01", days=1)
    ax = plots.timeline_chart(rows, reference_dates=["2017-06-01"], max_labels=30)
    lanes = _ticks(ax)
    assert len(lanes) == len(plots.NAMED_COLOURS) + 2  # named lanes, other, no actor
    assert lanes[-2].startswith("other actors") and lanes[-1].startswith("no actor named")
    assert not ax.texts or max(len(t.get_text()) for t in ax.texts) <= 4  # counts, not labels
    colours = {tuple(np.round(c.get_facecolor()[0], 3)) for c in ax.collections}
    assert len(colours) <= len(plots.NAMED_COLOURS) + 2
    assert "counted per" in plots.caption_of(ax)
    assert ax.figure.get_figwidth() <= plots.MAX_WIDTH_INCHES
    assert _smallest_font(ax.figure) >= 8


def test_labels_the_font_cannot_draw_give_no_glyph_warning():
    assert plots.displayable("bell\x07 zero\u200bwidth $5") == "bell\u25a1 zerowidth \\$5"
    frame = pd.DataFrame({"k": ["\u6771\u4eac\u96fb\u529b", "ctrl\x1b", "ok"], "v": [3, 2, 1]})
    ax = plots.bar_chart(frame, label="k", value="v", title="\u6771 title",
                         xlabel="Mentions", ylabel="Entity")
    assert _drawn_without_glyph_warnings(ax.figure) == []
    assert "\x1b" not in "".join(_ticks(ax))
    rows = _events(2, actors=["\u6771\u4eac", "B"])
    rows["event"] = ["\u6771\u4eac\u96fb\u529b says", "a\x07b"]
    assert _drawn_without_glyph_warnings(plots.timeline_chart(rows).figure) == []


def test_charts_leave_the_backend_settings_they_did_not_set():
    before = matplotlib.rcParams["interactive"]
    try:
        with plots._style():
            # What the inline backend does when the first figure of a kernel loads it.
            matplotlib.rcParams["interactive"] = not before
        assert matplotlib.rcParams["interactive"] is (not before)
        assert matplotlib.rcParams["font.size"] == plt.rcParamsDefault["font.size"]
    finally:
        matplotlib.rcParams["interactive"] = before


def test_network_lays_out_each_connected_group_apart():
    import networkx as nx

    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y")])
    position = plots._layout(graph, seed=7)
    big = np.array([position[n] for n in "abc"])
    small = np.array([position[n] for n in "xy"])
    apart_x = big[:, 0].max() < small[:, 0].min() or small[:, 0].max() < big[:, 0].min()
    apart_y = big[:, 1].max() < small[:, 1].min() or small[:, 1].max() < big[:, 1].min()
    assert apart_x or apart_y  # the two groups' boxes do not overlap
