"""One declaration per table: its columns, their dtypes and what each means.

The table functions build their frames through :meth:`Table.conform` (column order and
dtypes from here), the command line prints columns named here, the module docstrings list
the same columns (a test keeps them in step) and :func:`describe` renders a table's
declaration for a reader (``analystkit.schema.describe("events")``).

Dtypes: ``string`` (pandas' string dtype; missing is ``<NA>``), ``Int64`` (integer that can
be missing), ``int64``, ``float64`` (missing is ``NaN``), ``Float64``, ``bool``,
``category``, ``datetime64[ns]`` (metadata dates) and ``datetime64[s]`` (dates a text names,
which reach far outside the nanosecond range: "the 1800s").

Example:
    >>> TABLES["events"].names[:4]
    ('doc_id', 'sent_id', 'start_char', 'end_char')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TEXT_DTYPE = pd.StringDtype("python")
"""The dtype of every text column (declared ``string``)."""

__all__ = ["TABLES", "TEXT_DTYPE", "Column", "Table", "describe"]


@dataclass(frozen=True)
class Column:
    """One column: name, dtype and a one-line meaning."""

    name: str
    dtype: str
    meaning: str
    optional: bool = False  # present only in some builds of the table (e.g. annotated)


@dataclass(frozen=True)
class Table:
    """A table's declaration.

    Attributes:
        name: The table's name (``TABLES`` key).
        meaning: One line: what a row is.
        columns: The columns in order.
        lead: Columns a reader wants first (the command line prints them first).
    """

    name: str
    meaning: str
    columns: tuple[Column, ...]
    lead: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(column.name for column in self.columns)

    def reading_order(self) -> list[str]:
        """The columns with :attr:`lead` first, then the others in declared order."""
        return [*self.lead, *(name for name in self.names if name not in self.lead)]

    def empty(self) -> pd.DataFrame:
        """A frame with no rows and every column in its dtype."""
        return self.conform(pd.DataFrame(columns=list(self.names)))

    def conform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with exactly the declared columns, in order, in their dtypes.

        Args:
            frame: Rows with at least the declared columns (extra ones are an error).

        Returns:
            A new frame.

        Raises:
            ValueError: If a declared column is missing or an undeclared one is present.
        """
        missing = [c.name for c in self.columns if c.name not in frame.columns and not c.optional]
        extra = [c for c in frame.columns if c not in self.names]
        if missing or extra:
            raise ValueError(f"table {self.name}: missing columns {missing}, "
                             f"undeclared columns {extra}")
        present = [c for c in self.columns if c.name in frame.columns]
        frame = frame[[c.name for c in present]].copy()
        for column in present:
            frame[column.name] = _cast(frame[column.name], column.dtype)
        return frame


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if dtype == "datetime64[ns]":
        return pd.to_datetime(values).astype(dtype)
    if dtype == "datetime64[s]":
        days = [np.datetime64("NaT", "s") if value is None or pd.isna(value)
                else np.datetime64(pd.Timestamp(value).date(), "s") for value in values.tolist()]
        return pd.Series(np.array(days, dtype="datetime64[s]"), index=values.index)
    if dtype == "string":
        # None, NaN and NA all become <NA>; everything else its text. Python storage, so a
        # table behaves the same whether or not pyarrow is installed (pandas would pick it).
        return values.astype(object).where(values.notna(), None).astype(TEXT_DTYPE)
    if dtype in ("Int64", "Float64"):
        return pd.to_numeric(values.astype(object).where(values.notna(), None),
                             errors="raise").astype(dtype)
    return values.astype(dtype)


def _table(name: str, meaning: str, *columns: tuple, lead: tuple[str, ...] = ()) -> Table:
    return Table(name, meaning, tuple(Column(*column) for column in columns), lead)


_WHERE = (
    ("doc_id", "string", "the document (Document.doc_id)"),
    ("sent_id", "int64", "0-based sentence number in the document"),
    ("start_char", "int64", "first character of the evidence in the document text"),
    ("end_char", "int64", "character after the evidence (text[start_char:end_char])"),
)
_POLARITY = (
    ("p_negative", "float64", "probability that the sentence is negative towards it"),
    ("p_neutral", "float64", "probability that the sentence is neutral towards it"),
    ("p_positive", "float64", "probability that the sentence is positive towards it"),
)
_MENTION = (
    *_WHERE,
    ("text", "string", "the mention as written (titles and determiners cut)"),
    ("label", "category", "entity type (PERSON, ORG, GPE, NORP, LOC, FAC, ...)"),
    ("entity_id", "string", "stable id of the entity, the same across documents"),
    ("canonical", "string", "the entity's one name"),
    ("role", "category", "name, demonym ('Syrian' of Syria) or body ('the Syrian army')"),
    ("demonym_of", "string", "for a demonym, the entity_id of its place"),
)
_EVENT = (
    *_WHERE,
    ("predicate", "string", "lemma of the verb or event noun"),
    ("event", "string", "short phrase: subject, verb, object"),
    ("actors", "string", "canonical entities in the clause, joined with |"),
    ("date", "datetime64[s]", "first day the event is dated to (NaT: no calendar date)"),
    ("date_end", "datetime64[s]", "last day of that range"),
    ("precision", "string", "time, day, week, month, ..., relative, vague or undated"),
    ("relative", "string", "what is known in words when there is no calendar date"),
    ("timex", "string", "the temporal expression that dates it, as written"),
    ("timex_value", "string", "its TIMEX3 value"),
    ("source", "string", "who reports it: the statement's source entity, else as written"),
    ("statement_id", "Int64", "the statement whose content holds the event"),
    ("anchor", "string", "the event a relative date is counted from ('a day before X')"),
    ("evidence", "string", "the sentence"),
    ("dct_source", "string", "how the document's reference date was chosen"),
    ("quad_class", "string", "CAMEO-style class of the predicate"),
    ("goldstein", "float64", "Goldstein score of the predicate (-10 conflict .. 10)"),
)

TABLES: dict[str, Table] = {table.name: table for table in (
    _table("documents", "one document with its metadata and size",
           ("doc_id", "string", "stable id: a name from the file or record plus a text hash"),
           ("label", "string", "short, unique name for tables (title, else file name)"),
           ("title", "string", "headline"),
           ("date", "datetime64[ns]", "publication date from the metadata (NaT: unknown)"),
           ("source", "string", "outlet"),
           ("url", "string", "address"),
           ("path", "string", "the file it was read from"),
           ("record", "Int64", "line or row number in a .jsonl or .csv file"),
           ("n_chars", "int64", "characters of normalised text"),
           ("n_words", "int64", "words"),
           ("n_sentences", "int64", "sentences (annotated corpora only)", True),
           ("n_tokens", "int64", "tokens without whitespace (annotated corpora only)", True)),
    _table("sentences", "one sentence", *_WHERE[:2],
           ("start_char", "int64", "first character of the sentence"),
           ("end_char", "int64", "character after it"),
           ("n_tokens", "int64", "tokens without whitespace"),
           ("text", "string", "the sentence")),
    _table("tokens", "one token (whitespace tokens included, flagged is_space)", *_WHERE[:2],
           ("token_id", "int64", "index of the token in its Doc"),
           ("start_char", "int64", "first character of the token"),
           ("end_char", "int64", "character after it"),
           ("text", "string", "the token"),
           ("lemma", "string", "its lemma (the text when the model gives none)"),
           ("pos", "category", "universal part of speech"),
           ("tag", "category", "fine-grained tag"),
           ("is_stop", "bool", "a stop word"),
           ("is_punct", "bool", "punctuation"),
           ("is_space", "bool", "whitespace"),
           ("is_alpha", "bool", "letters only")),
    _table("ner", "one named-entity mention as the pipeline found it (raw NER output)",
           *_WHERE,
           ("text", "string", "the mention"),
           ("label", "category", "the model's entity label")),
    _table("mentions", "one entity mention", *_MENTION),
    _table("scored_mentions", "one entity mention with the polarity of its sentence towards it",
           *_MENTION, *_POLARITY,
           ("polarity", "Int64", "-1 negative, 0 neutral, 1 positive (missing: not scored)")),
    _table("frequency", "one entity with its counts",
           ("entity_id", "string", "stable id of the entity"),
           ("canonical", "string", "the entity's one name"),
           ("label", "string", "entity type"),
           ("mentions", "int64", "mentions in the corpus"),
           ("documents", "int64", "documents that mention it"),
           ("surface_forms", "string", "the ways it is written, most frequent first, |"),
           ("first_doc", "string", "document of its first mention"),
           ("first_char", "int64", "character offset of its first mention there")),
    _table("cooccurrence", "one pair of entities mentioned together",
           ("entity_a", "string", "first entity_id (in name order)"),
           ("entity_b", "string", "second entity_id"),
           ("canonical_a", "string", "its name"),
           ("canonical_b", "string", "its name"),
           ("count", "int64", "windows of sentences that mention both"),
           ("pmi", "float64", "pointwise mutual information of the pair"),
           ("documents", "int64", "documents where they co-occur"),
           ("evidence", "string", "where they first co-occur: doc_id:start_char")),
    _table("concordance", "one mention in its context (keyword in context)",
           *_WHERE,
           ("left", "string", "text before the mention"),
           ("match", "string", "the mention"),
           ("right", "string", "text after the mention")),
    _table("mentions_over_time", "one entity in one period of publication (day, week, month)",
           ("entity_id", "string", "stable id of the entity"),
           ("canonical", "string", "the entity's one name"),
           ("period", "string", "day, week (Monday to Sunday) or month"),
           ("period_start", "datetime64[ns]", "first day of the period"),
           ("period_end", "datetime64[ns]", "last day of the period"),
           ("mentions", "int64", "its mentions in documents published in the period"),
           ("documents", "int64", "documents published in the period that mention it"),
           ("published", "int64", "documents published in the period (all, dated)")),
    _table("tone", "one entity with the polarity of the sentences that mention it",
           ("entity_id", "string", "stable id of the entity"),
           ("canonical", "string", "the entity's one name"),
           ("label", "category", "entity type"),
           ("mentions", "int64", "mentions in the corpus"),
           ("negative", "Int64", "mentions in sentences negative towards it"),
           ("neutral", "Int64", "mentions in sentences neutral towards it"),
           ("positive", "Int64", "mentions in sentences positive towards it"),
           ("mean_polarity", "Float64", "mean of p_positive - p_negative")),
    _table("statements", "one attributed statement (who says what)",
           ("statement_id", "int64", "0-based number of the statement in the corpus"),
           *_WHERE,
           ("source", "string", "who says it, as written"),
           ("source_entity", "string", "the canonical entity of the source"),
           ("source_resolution", "string", "named, previous statement, previous mention, "
                                            "speaker label or unresolved"),
           ("cue", "string", "the cue as written ('said', 'according to', ':')"),
           ("cue_lemma", "string", "its lemma"),
           ("content", "string", "what is said"),
           ("kind", "string", "direct, mixed or indirect speech"),
           ("targets", "string", "canonical entities in the content, joined with |"),
           ("polarity", "string", "negative, neutral or positive over its targets"),
           ("polarity_score", "float64", "mean p_positive - p_negative over its targets"),
           ("quad_class", "string", "CAMEO-style class: verbal conflict/cooperation, neutral"),
           ("goldstein", "float64", "Goldstein score (-10 conflict .. 10 cooperation)"),
           ("evidence", "string", "the sentence(s)"),
           ("source_start", "Int64", "source span start (missing: no source in the text)"),
           ("source_end", "Int64", "source span end"),
           ("cue_start", "int64", "cue span start"),
           ("cue_end", "int64", "cue span end"),
           ("content_start", "int64", "content span start"),
           ("content_end", "int64", "content span end"),
           lead=("statement_id", "doc_id", "sent_id", "source", "source_entity", "cue",
                 "content", "kind", "targets", "polarity", "quad_class", "goldstein",
                 "evidence")),
    _table("targets", "one statement and one entity it is about",
           ("statement_id", "int64", "the statement"),
           ("doc_id", "string", "the document"),
           ("sent_id", "int64", "the statement's first sentence"),
           ("source_entity", "string", "who says it"),
           ("target_entity", "string", "the entity it is about"),
           ("mentions", "int64", "mentions of the target in the content"),
           ("target_start", "int64", "first mention's start"),
           ("target_end", "int64", "first mention's end"),
           ("polarity", "string", "negative, neutral or positive towards this target"),
           ("polarity_score", "float64", "p_positive - p_negative towards this target"),
           *_POLARITY,
           ("quad_class", "string", "the statement's CAMEO-style class")),
    _table("matrix", "one source and target pair",
           ("source_entity", "string", "who speaks"),
           ("target_entity", "string", "about whom"),
           ("statements", "int64", "statements of the pair"),
           ("mean_polarity", "float64", "mean polarity score towards the target"),
           ("quad_class", "string", "most frequent CAMEO-style class"),
           ("evidence", "string", "where its statements are: doc_id:sent_id joined with ;")),
    _table("actors", "one key actor: a most mentioned entity with its tone (briefing)",
           ("entity_id", "string", "stable id of the entity"),
           ("canonical", "string", "the entity's one name"),
           ("label", "string", "entity type"),
           ("mentions", "int64", "mentions in the corpus"),
           ("documents", "int64", "documents that mention it"),
           ("negative", "int64", "mentions in sentences negative towards it"),
           ("neutral", "int64", "mentions in sentences neutral towards it"),
           ("positive", "int64", "mentions in sentences positive towards it"),
           ("mean_polarity", "Float64", "mean polarity of those sentences (missing: none "
                                        "scored)"),
           ("tone", "string", "mostly negative, mostly neutral, mostly positive, mixed or "
                              "not scored")),
    _table("strongest", "one statement and target, ranked by the strength of its polarity",
           ("rank", "int64", "1 for the strongest"),
           ("statement_id", "int64", "the statement"),
           ("doc_id", "string", "the document"),
           ("sent_id", "int64", "the statement's first sentence"),
           ("source", "string", "who says it, as written"),
           ("source_entity", "string", "the canonical speaker (missing: not a known entity)"),
           ("target_entity", "string", "the entity it is about"),
           ("polarity", "string", "negative, neutral or positive towards this target"),
           ("polarity_score", "float64", "p_positive - p_negative towards this target"),
           ("quad_class", "string", "CAMEO-style class: verbal conflict/cooperation, neutral"),
           ("goldstein", "float64", "Goldstein score (-10 conflict .. 10 cooperation)"),
           ("cue", "string", "the cue as written"),
           ("content", "string", "what is said"),
           ("anchor", "string", "HTML id of its evidence sentence: ev-<doc>-<sentence>")),
    _table("evidence", "one quoted evidence sentence (or sentences) of ranked statements",
           ("anchor", "string", "HTML id: ev-<doc>-<sentence>, from ids only"),
           *_WHERE[:2],
           ("start_char", "int64", "first character of the quote in the document text"),
           ("end_char", "int64", "character after it (text[start_char:end_char])"),
           ("text", "string", "the whole sentence(s) holding the statement"),
           ("statements", "string", "ranks of the statements citing it, joined with ; ")),
    _table("unresolved", "one kind of item that could not be resolved, counted",
           ("what", "string", "events or statements"),
           ("status", "string", "why: relative, vague, no temporal expression, source ..."),
           ("count", "int64", "items in that state"),
           ("total", "int64", "all items of that kind"),
           ("percent", "float64", "100 x count / total, to 0.1 (0 when there are none)")),
    _table("sources", "one source of statements that is not a known entity, as written",
           ("source", "string", "the source as written (whitespace normalised)"),
           ("statements", "int64", "statements with that source (case folded)"),
           ("documents", "int64", "documents they are in"),
           ("evidence", "string", "the first statement: doc_id:sent_id")),
    _table("published", "one document with its publication date and where it comes from",
           ("doc_id", "string", "the document"),
           ("date", "datetime64[ns]", "publication date (NaT: unknown)"),
           ("how", "string", "metadata date, dateline, url or none")),
    _table("timexes", "one temporal expression",
           *_WHERE,
           ("text", "string", "the expression as written"),
           ("type", "string", "TimeML type: DATE, TIME, DURATION or SET"),
           ("value", "string", "TIMEX3 value (2017-06-06, P6Y, PAST_REF, XXXX-WXX-4)"),
           ("anchored", "bool", "resolved against the reference date"),
           ("date", "datetime64[s]", "first day of its calendar range (NaT: none)"),
           ("date_end", "datetime64[s]", "last day of that range"),
           ("precision", "string", "time, day, week, ..., relative, vague or undated"),
           ("relative", "string", "what is known in words when there is no calendar date"),
           ("dct", "datetime64[s]", "the document's reference date (NaT: unknown)"),
           ("dct_source", "string", "how the reference date was chosen")),
    _table("events", "one dated or reported event", *_EVENT),
    _table("timeline", "the events in order", ("order", "int64", "0-based position"),
           *_EVENT, lead=("date", "date_end", "precision", "relative", "event", "actors",
                          "source", "evidence")),
)}


def describe(name: str) -> pd.DataFrame:
    """A table's declaration for a reader: ``column, dtype, meaning``.

    Args:
        name: A key of :data:`TABLES`.

    Returns:
        One row per column.

    Example:
        >>> describe("matrix").column.tolist()[:2]
        ['source_entity', 'target_entity']
    """
    table = TABLES[name]
    return pd.DataFrame([(c.name, c.dtype, c.meaning) for c in table.columns],
                        columns=["column", "dtype", "meaning"])
