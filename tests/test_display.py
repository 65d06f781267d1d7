"""analystkit.display: behaviour not covered by the table tests in test_tables.py."""

from __future__ import annotations

import pandas as pd

from analystkit.display import show_table


def test_categorical_column_with_a_blank_category_is_shown():
    # Series.map on a categorical keeps it categorical ([True, False] categories), which has
    # no .all(): notebook 01 failed on a corpus whose mentions had such a column.
    frame = pd.DataFrame({"n": [1, 2], "kind": pd.Categorical(["", "GPE"]),
                          "none": pd.Categorical(["", " "])})
    page = show_table(frame, name="t", display=False)
    assert "GPE" in page
    assert "no values in: none" in page
