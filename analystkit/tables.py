"""Tidy pandas tables over an :class:`~analystkit.pipeline.AnnotatedCorpus`.

Every row points back to its evidence: ``doc_id`` plus character offsets
``[start_char, end_char)`` into ``Document.text`` (``text[start_char:end_char]`` is the row's
``text``), and ``sent_id``, the 0-based index of the sentence in its document.

=============== ===================================================================
Table           Columns
=============== ===================================================================
documents       doc_id, label, title, date, source, url, path, record, n_chars,
                n_words, n_sentences, n_tokens (the last two for an annotated corpus)
sentences       doc_id, sent_id, start_char, end_char, n_tokens, text
tokens          doc_id, sent_id, token_id, start_char, end_char, text, lemma,
                pos, tag, is_stop, is_punct, is_space, is_alpha
mentions        doc_id, sent_id, start_char, end_char, text, label
=============== ===================================================================

Each column's dtype and meaning: :data:`analystkit.schema.TABLES` (``documents``,
``sentences``, ``tokens``, ``ner``). Tokens exclude whitespace in every count; ``label`` of a
document is its short, unique name for tables (the title, else the file name; see
:mod:`analystkit.display`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .corpus import Corpus
from .pipeline import AnnotatedCorpus, SentenceIndex
from .schema import TABLES, TEXT_DTYPE

__all__ = [
    "corpus_statistics",
    "documents_table",
    "honorifics",
    "lemma_frequency",
    "lemma_tokens",
    "mentions_table",
    "reporting_verbs",
    "sentences_table",
    "statistics_of",
    "tokens_table",
]

CONTENT_POS = ("NOUN", "PROPN", "VERB", "ADJ")
"""Parts of speech counted as content words by :func:`lemma_frequency`."""


def documents_table(data: AnnotatedCorpus | Corpus) -> pd.DataFrame:
    """One row per document with its metadata and size.

    Args:
        data: A corpus, or an annotated corpus (adds ``n_sentences`` and ``n_tokens``).

    Returns:
        A DataFrame with the columns listed in the module docstring.

    Example:
        >>> documents_table(annotated)[["doc_id", "title", "n_words"]]  # doctest: +SKIP
    """
    corpus = data.corpus if isinstance(data, AnnotatedCorpus) else data
    from .display import document_labels

    labels = document_labels(corpus)
    rows = {
        "doc_id": [d.doc_id for d in corpus], "label": [labels[d.doc_id] for d in corpus],
        "title": [d.title for d in corpus],
        "date": [d.date for d in corpus], "source": [d.source for d in corpus],
        "url": [d.url for d in corpus], "path": [d.path for d in corpus],
        "record": [d.record for d in corpus], "n_chars": [len(d.text) for d in corpus],
        "n_words": [d.n_words for d in corpus],
    }
    if isinstance(data, AnnotatedCorpus):
        rows["n_sentences"] = [sum(1 for _ in doc.sents) for doc in data.docs]
        rows["n_tokens"] = [sum(not t.is_space for t in doc) for doc in data.docs]
    return TABLES["documents"].conform(pd.DataFrame(rows))


def sentences_table(annotated: AnnotatedCorpus) -> pd.DataFrame:
    """One row per sentence.

    Args:
        annotated: The annotated corpus.

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, n_tokens, text``.

    Example:
        >>> sentences_table(annotated).n_tokens.describe()  # doctest: +SKIP
    """
    rows: dict[str, list] = {k: [] for k in TABLES["sentences"].names}
    for document, doc in annotated:
        for sent_id, sent in enumerate(doc.sents):
            rows["doc_id"].append(document.doc_id)
            rows["sent_id"].append(sent_id)
            rows["start_char"].append(sent.start_char)
            rows["end_char"].append(sent.end_char)
            rows["n_tokens"].append(sum(1 for t in sent if not t.is_space))
            rows["text"].append(sent.text)
    return TABLES["sentences"].conform(pd.DataFrame(rows))


def tokens_table(annotated: AnnotatedCorpus) -> pd.DataFrame:
    """One row per token (whitespace tokens included, flagged ``is_space``).

    Args:
        annotated: The annotated corpus.

    Returns:
        Columns ``doc_id, sent_id, token_id, start_char, end_char, text, lemma, pos, tag,
        is_stop, is_punct, is_space, is_alpha``; ``token_id`` is the token's index in its Doc.

    Example:
        >>> tokens_table(annotated).query("not is_punct").shape  # doctest: +SKIP
    """
    rows: dict[str, list] = {k: [] for k in TABLES["tokens"].names}
    for document, doc in annotated:
        rows["doc_id"].extend([document.doc_id] * len(doc))
        rows["sent_id"].extend(SentenceIndex(doc).of_token.tolist())
        for token in doc:
            rows["token_id"].append(token.i)
            rows["start_char"].append(token.idx)
            rows["end_char"].append(token.idx + len(token.text))
            rows["text"].append(token.text)
            rows["lemma"].append(token.lemma_ or token.text)
            rows["pos"].append(token.pos_)
            rows["tag"].append(token.tag_)
            rows["is_stop"].append(token.is_stop)
            rows["is_punct"].append(token.is_punct)
            rows["is_space"].append(token.is_space)
            rows["is_alpha"].append(token.is_alpha)
    return TABLES["tokens"].conform(pd.DataFrame(rows))


def mentions_table(annotated: AnnotatedCorpus, *, labels: Iterable[str] | None = None
                   ) -> pd.DataFrame:
    """One row per named-entity mention found by the pipeline (raw NER output).

    Args:
        annotated: The annotated corpus.
        labels: Keep only these entity labels (e.g. ``["GPE", "ORG"]``); default all.

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, text, label``.

    Example:
        >>> mentions_table(annotated, labels=["GPE"]).text.value_counts()  # doctest: +SKIP
    """
    keep = {labels} if isinstance(labels, str) else (set(labels) if labels is not None else None)
    rows: dict[str, list] = {k: [] for k in TABLES["ner"].names}
    for document, doc in annotated:
        if not doc.ents:
            continue
        sent_ids = SentenceIndex(doc).of_token
        for ent in doc.ents:
            if keep is not None and ent.label_ not in keep:
                continue
            rows["doc_id"].append(document.doc_id)
            rows["sent_id"].append(int(sent_ids[ent.start]))
            rows["start_char"].append(ent.start_char)
            rows["end_char"].append(ent.end_char)
            rows["text"].append(ent.text)
            rows["label"].append(ent.label_)
    return TABLES["ner"].conform(pd.DataFrame(rows))


def reporting_verbs() -> frozenset[str]:
    """Lemmas of the verbs of saying in the attribution lexicon (``analystkit/data/cues.txt``).

    Returns:
        The speech cues ("say", "tell", "warn" ...): how news reports speech, not what it is
        about, so :func:`lemma_frequency` leaves them out.
    """
    from .attribution import load_cues

    return load_cues().speech


def honorifics() -> frozenset[str]:
    """Courtesy titles ("mr", "mrs", "dr" ...), the list canonical names drop (entities)."""
    from .entities import _HONORIFICS

    return frozenset(_HONORIFICS)


def _arrow_tokens(tokens: Any, columns: list[str], filter: Any = None) -> Any:
    """``tokens`` (a DataFrame, an Arrow table or an Arrow dataset) as an Arrow table of
    ``columns``, filtered; categories become plain strings."""
    import pyarrow as pa
    import pyarrow.dataset as pads

    if tokens is None:  # a dataset with no finished partition: no token, typed columns
        tokens = TABLES["tokens"].empty()
    if isinstance(tokens, pd.DataFrame):
        tokens = pa.Table.from_pandas(tokens[columns], preserve_index=False)
    if isinstance(tokens, pads.Dataset):
        table = tokens.to_table(columns=columns, filter=filter)
    else:
        table = tokens.select(columns)
        table = table.filter(filter) if filter is not None else table
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table[field.name].cast(pa.string()))
    return table


def lemma_frequency(tokens: Any, *, top: int = 20,
                    pos: Iterable[str] = CONTENT_POS,
                    exclude: Iterable[str] | None = None) -> pd.DataFrame:
    """Most frequent content lemmas (stop words, punctuation and non-words left out).

    Counted in Arrow, so an Arrow dataset of a corpus's tokens (an annotated dataset's
    ``tokens``, :func:`analystkit.dataset.arrow_dataset`) is scanned column by column and
    never loaded into pandas.

    Args:
        tokens: A :func:`tokens_table`, or the same columns as an Arrow table or dataset.
        top: How many lemmas to return.
        pos: Parts of speech that count as content.
        exclude: Lemmas (lower case) left out as well. Default: the reporting verbs
            (:func:`reporting_verbs`, as verbs only: "warning" the noun stays) and the
            honorifics (:func:`honorifics`), which top every news corpus ("say", "mr") and
            tell nothing about it; ``()`` keeps them.

    Returns:
        Columns ``lemma, count, documents`` (documents the lemma occurs in), most frequent
        first; ties broken alphabetically so the order is reproducible.

    Example:
        >>> lemma_frequency(tokens_table(annotated), top=5)  # doctest: +SKIP
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    content = (pads.field("is_alpha") & ~pads.field("is_stop")
               & pads.field("pos").isin(list(pos)))
    table = _arrow_tokens(tokens, ["doc_id", "lemma", "pos", "is_alpha", "is_stop"],
                          filter=content if isinstance(tokens, pads.Dataset) else None)
    if not isinstance(tokens, pads.Dataset):  # dictionary columns compare once cast
        keep = pc.and_(pc.and_(table["is_alpha"], pc.invert(table["is_stop"])),
                       pc.is_in(table["pos"], pa.array(list(pos), pa.string())))
        table = table.filter(keep)
    table = table.filter(pc.is_valid(table["lemma"]))
    lemmas = _lower(table["lemma"])
    if exclude is None:
        left_out = pc.or_(
            pc.and_(pc.is_in(lemmas, pa.array(sorted(reporting_verbs()), pa.string())),
                    pc.equal(table["pos"], "VERB")),
            pc.is_in(lemmas, pa.array(sorted(honorifics()), pa.string())))
    else:
        left_out = pc.is_in(lemmas, pa.array([w.lower() for w in exclude], pa.string()))
    counted = pa.table({"lemma": lemmas, "doc_id": table["doc_id"]}).filter(
        pc.invert(pc.fill_null(left_out, False)))
    grouped = counted.group_by("lemma").aggregate(
        [("doc_id", "count"), ("doc_id", "count_distinct")]).to_pandas()
    frame = pd.DataFrame({"lemma": grouped["lemma"].astype(object),
                          "count": grouped["doc_id_count"].astype("int64"),
                          "documents": grouped["doc_id_count_distinct"].astype("int64")})
    frame = (frame.sort_values(["count", "lemma"], ascending=[False, True], kind="stable")
             .head(top).reset_index(drop=True))
    frame["lemma"] = frame["lemma"].astype(TEXT_DTYPE)
    return frame


def _lower(values: Any) -> Any:
    """Python's ``str.lower`` of an Arrow string column, computed once per distinct value
    (Arrow's ``utf8_lower`` differs on a few letters, e.g. "İ" and a final sigma)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(values)
    lowered = pa.array([v.lower() for v in distinct.to_pylist()], pa.string())
    return pc.take(lowered, pc.index_in(values, value_set=distinct))


def lemma_tokens(tokens: Any, lemma: str) -> pd.DataFrame:
    """Every token whose lemma, lower-cased, is ``lemma``: where a counted lemma occurs.

    Args:
        tokens: As for :func:`lemma_frequency`.
        lemma: The lemma (lower case, as :func:`lemma_frequency` gives it).

    Returns:
        Columns ``doc_id, sent_id, start_char, end_char, text`` in document order.

    Example:
        >>> lemma_tokens(tokens_table(annotated), "strike").head()  # doctest: +SKIP
    """
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    columns = ["doc_id", "sent_id", "start_char", "end_char", "text"]
    # The spellings whose lower case is ``lemma`` (as lemma_frequency lowers), then only
    # their rows: a scan of one column, then a filtered one.
    spellings = pc.unique(_arrow_tokens(tokens, ["lemma"])["lemma"]).drop_null()
    wanted = [v for v in spellings.to_pylist() if v.lower() == lemma]
    match = pads.field("lemma").isin(wanted)
    table = _arrow_tokens(tokens, [*columns, "lemma"], filter=match)
    frame = table.select(columns).to_pandas()
    for column in ("doc_id", "text"):
        frame[column] = frame[column].astype(TEXT_DTYPE)
    return frame.reset_index(drop=True)


def statistics_of(documents: pd.DataFrame, *, mentions: int) -> pd.Series:
    """Headline counts from an annotated corpus's ``documents`` table.

    Args:
        documents: :func:`documents_table` of an annotated corpus (``n_sentences``,
            ``n_tokens``).
        mentions: Raw entity mentions (rows of :func:`mentions_table`).

    Returns:
        See :func:`corpus_statistics`.
    """
    n_docs = len(documents)
    n_sents = int(documents["n_sentences"].sum()) if n_docs else 0
    n_tokens = int(documents["n_tokens"].sum()) if n_docs else 0
    return pd.Series({
        "documents": n_docs,
        "sentences": n_sents,
        "tokens": n_tokens,
        "words": int(documents["n_words"].sum()) if n_docs else 0,
        "mentions": int(mentions),
        "tokens_per_sentence": round(n_tokens / n_sents, 1) if n_sents else 0.0,
        "sentences_per_document": round(n_sents / n_docs, 1) if n_docs else 0.0,
    }, name="value", dtype="object")


def corpus_statistics(annotated: AnnotatedCorpus) -> pd.Series:
    """Headline counts for a corpus: documents, sentences, tokens, words and averages.

    Args:
        annotated: The annotated corpus.

    Returns:
        A Series indexed by ``documents, sentences, tokens, words, mentions,
        tokens_per_sentence, sentences_per_document`` (tokens exclude whitespace).

    Example:
        >>> corpus_statistics(annotated)["sentences"]  # doctest: +SKIP
    """
    return statistics_of(documents_table(annotated),
                         mentions=sum(len(doc.ents) for doc in annotated.docs))
