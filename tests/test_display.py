"""analystkit.display: behaviour not covered by the table tests in test_tables.py."""

from __future__ import annotations

import pandas as pd
import pytest

from analystkit.display import show_table


def test_categorical_column_with_a_blank_category_is_shown():
    # Series.map on a categorical keeps it categorical ([True, False] categories), which has
    # no .all(): notebook 01 failed on a corpus whose mentions had such a column.
    frame = pd.DataFrame({"n": [1, 2], "kind": pd.Categorical(["", "GPE"]),
                          "none": pd.Categorical(["", " "])})
    page = show_table(frame, name="t", display=False)
    assert "GPE" in page
    assert "no values in: none" in page


@pytest.mark.parametrize("task", ["polarity", "attribution", "timex"])
def test_accuracy_note_names_its_data_set_and_figures(task):
    import json

    from analystkit.display import accuracy_note, show_accuracy
    from analystkit.resources import data_path

    entry = json.loads(data_path("evaluation.json").read_text("utf-8"))[task]
    note = accuracy_note(task)
    assert entry["data"] in note and "{" not in note and "}" not in note
    assert note.startswith("How far to trust")
    page = show_accuracy(task, display=False)
    assert "ak-accuracy" in page and "<script" not in page
