"""Tests for analystkit.schema: one declaration per table, used by the functions and docs."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analystkit import entities, schema, stance, tables, timeline
from analystkit.schema import TABLES

# Module docstring row name -> declared table.
DOCUMENTED = [
    (entities, "mentions", "mentions"), (entities, "frequency", "frequency"),
    (entities, "cooccurrence", "cooccurrence"), (entities, "concordance", "concordance"),
    (stance, "statements", "statements"), (stance, "targets", "targets"),
    (stance, "matrix", "matrix"), (stance, "tone", "tone"),
    (timeline, "timexes", "timexes"), (timeline, "events", "events"),
    (tables, "documents", "documents"), (tables, "sentences", "sentences"),
    (tables, "tokens", "tokens"), (tables, "mentions", "ner"),
]


def _documented_columns(doc: str, row: str) -> list[str]:
    """Column names of one row of a module docstring's ``=====`` table."""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"{row}\s", line))
    text = lines[start][len(row):]
    for line in lines[start + 1:]:
        if not line.startswith(" ") or not line.strip():
            break
        text += " " + line.strip()
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)  # notes in brackets are not columns
    return [item.split()[0] for item in text.split(",") if item.split()]


@pytest.mark.parametrize(("module", "row", "table"), DOCUMENTED)
def test_module_docstrings_list_the_declared_columns(module, row, table):
    assert _documented_columns(module.__doc__, row) == list(TABLES[table].names)


def test_conform_orders_and_types_and_rejects_unknown_columns():
    table = TABLES["matrix"]
    frame = pd.DataFrame({"evidence": ["d:0"], "quad_class": ["neutral"], "mean_polarity": [None],
                          "statements": [2], "target_entity": ["B"], "source_entity": ["A"]})
    out = table.conform(frame)
    assert list(out.columns) == list(table.names)
    assert str(out["source_entity"].dtype) == "string" and pd.isna(out["mean_polarity"][0])
    with pytest.raises(ValueError, match="undeclared columns"):
        table.conform(frame.assign(extra=1))
    with pytest.raises(ValueError, match="missing columns"):
        table.conform(frame.drop(columns=["evidence"]))


def test_missing_values_become_one_mark_per_dtype():
    frame = TABLES["events"].empty()
    assert len(frame) == 0 and list(frame.columns) == list(TABLES["events"].names)
    row = {name: None for name in TABLES["events"].names}
    row.update(doc_id="d", sent_id=0, start_char=0, end_char=1, goldstein=0.0)
    out = TABLES["events"].conform(pd.DataFrame([row]))
    assert str(out["statement_id"].dtype) == "Int64" and out["statement_id"].isna().all()
    assert str(out["date"].dtype) == "datetime64[s]" and out["date"].isna().all()
    assert out["source"].isna().all() and str(out["source"].dtype) == "string"


def test_every_column_has_a_meaning_and_a_known_dtype():
    known = {"string", "Int64", "int64", "float64", "Float64", "bool", "category",
             "datetime64[s]", "datetime64[ns]"}
    for table in TABLES.values():
        assert table.meaning
        assert len(set(table.names)) == len(table.names), table.name
        for column in table.columns:
            assert column.dtype in known and column.meaning, (table.name, column.name)
    assert list(schema.describe("events").columns) == ["column", "dtype", "meaning"]


def test_reading_order_keeps_every_column_once_with_the_lead_first():
    for table in TABLES.values():
        order = table.reading_order()
        assert sorted(order) == sorted(table.names), table.name
        assert order[:len(table.lead)] == list(table.lead)
