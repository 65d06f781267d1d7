"""Figures for the notebooks: matplotlib charts with titles and labelled axes, displaCy views.

Every function returns the matplotlib ``Axes`` (or an HTML string) so a notebook can adjust
or save it; none of them computes analysis results.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from spacy import displacy
from spacy.tokens import Doc

__all__ = ["bar_chart", "entity_view", "histogram"]


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


def entity_view(doc: Doc, *, title: str | None = None, max_chars: int | None = 5000) -> str:
    """displaCy's entity view of ``doc`` as an HTML string (document text is escaped).

    Args:
        doc: An annotated Doc.
        title: Heading shown above the text.
        max_chars: Show only the sentences that start within the first ``max_chars``
            characters (``None``: the whole document).

    Returns:
        HTML to display with ``IPython.display.HTML``.

    Example:
        >>> HTML(entity_view(annotated.docs[0]))  # doctest: +SKIP
    """
    if max_chars is not None and len(doc.text) > max_chars:
        end = max((s.end for s in doc.sents if s.start_char < max_chars), default=len(doc))
        doc = doc[:end].as_doc()
    view = displacy.render(doc, style="ent", jupyter=False, page=False)
    return (f"<h4>{html.escape(title)}</h4>\n" if title else "") + view
