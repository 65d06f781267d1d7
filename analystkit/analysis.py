"""One analysis of one corpus: every table computed once, with the same options everywhere.

:class:`Analysis` is the front door of the kit. It loads the corpus (or takes a loaded one),
annotates it once (cached on disk), and computes each derived table the first time it is
asked for, always from the tables it depends on and always with the options given here:

=================== =========================================================================
attribute           what it holds (the function that makes it)
=================== =========================================================================
corpus              documents + manifest (:func:`analystkit.corpus.load_corpus`)
annotated           one spaCy Doc per document (:func:`analystkit.pipeline.annotate`)
texts               ``doc_id`` -> document text
alias_table         shipped aliases + the analyst's file (:mod:`analystkit.aliases`)
mentions            canonical name mentions (:func:`analystkit.entities.entity_mentions`)
frequency           entity frequency (:func:`analystkit.entities.entity_frequency`)
scored_mentions     mentions + polarity (:func:`analystkit.stance.mention_polarity`)
tone                tone per entity (:func:`analystkit.stance.entity_tone`)
statements          attributed statements (:func:`analystkit.stance.statements_table`)
statement_targets   one row per statement and target, with its own polarity
reference_dates     ``doc_id`` -> reference date and how it was chosen
timexes             temporal expressions (:func:`analystkit.timeline.timexes_table`)
events              dated and reported events (:func:`analystkit.timeline.events_table`)
timeline            events in order (:func:`analystkit.timeline.timeline_table`)
labels              ``doc_id`` -> short document label (:func:`analystkit.display.document_labels`)
notes               what a reader should know: skipped inputs, languages left out, reference
                    dates, warnings raised while computing (short sentences, no file paths)
=================== =========================================================================

The notebooks and every CLI subcommand go through this object, so a number in a report and
the same number on the command line come from the same computation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .corpus import Corpus, language_name, load_corpus
from .display import TABLES_DIR_VARIABLE
from .errors import plural
from .pipeline import AnnotatedCorpus, annotate, load_model

__all__ = ["Analysis", "DatasetAnalysis", "POLARITY_METHODS", "load_input", "warm_caches"]

POLARITY_METHODS = ("model", "lexicon")
"""``polarity`` options: the shipped target-polarity model, or a fast, crude lexicon."""


class Analysis:
    """A corpus, its annotation and every derived table, computed lazily and once.

    Args:
        corpus: A loaded :class:`~analystkit.corpus.Corpus`, or one or more paths to load.
        model: spaCy pipeline (see :func:`analystkit.pipeline.resolve_model`).
        aliases: The analyst's alias file (CSV or YAML); it shapes NER (the gazetteer),
            canonical names, statement targets and event actors alike.
        merge_demonyms: Count "Syrians" as Syria (``True``) or apart, linked (``False``).
        reference_date: One reference date (``YYYY-MM-DD``) for every document; default:
            each document's own (see :func:`analystkit.timeline.reference_dates`).
        polarity: ``"model"`` (default) or ``"lexicon"``.
        polarity_model: Another exported polarity model folder.
        keep_other_languages: Keep documents detected as not English (default: they are
            left out and listed in the manifest).
        cache: Read and write the annotation cache.
        cache_dir: Annotation cache folder.
        n_process: Worker processes for annotation.
        progress: Show the annotation progress bar; default: as
            :func:`~analystkit.pipeline.annotate` decides, except inside ``analystkit report``
            (``ANALYSTKIT_REPORT_TABLES_DIR`` set), where a bar is only stderr in the page.

    A dataset folder written by ``analystkit annotate`` (see :mod:`analystkit.dataset`) as
    ``corpus`` gives a :class:`DatasetAnalysis`: the same attributes, read from its Parquet
    tables instead of annotating again.

    Example:
        >>> import analystkit as ak
        >>> analysis = ak.Analysis("seeds/", reference_date="2017-06-08")  # doctest: +SKIP
        >>> analysis.frequency.head()  # doctest: +SKIP
        >>> analysis.stance_matrix(min_statements=2)  # doctest: +SKIP
    """

    def __new__(cls, corpus: Any = None, *args: Any, **kwargs: Any) -> Analysis:
        # A folder written by `analystkit annotate` is read, not annotated again.
        if cls is Analysis and _dataset_path(corpus) is not None:
            return super().__new__(DatasetAnalysis)
        return super().__new__(cls)

    def __init__(
        self,
        corpus: Corpus | str | Path | Sequence[str | Path],
        *,
        model: str | None = None,
        aliases: str | Path | None = None,
        merge_demonyms: bool = False,
        reference_date: str | dt.date | None = None,
        polarity: str = "model",
        polarity_model: str | Path | None = None,
        keep_other_languages: bool = False,
        cache: bool = True,
        cache_dir: str | Path | None = None,
        n_process: int = 1,
        progress: bool | None = None,
    ) -> None:
        from .corpus import parse_date
        from .errors import InputError

        if polarity not in POLARITY_METHODS:
            raise InputError(f"polarity must be one of {', '.join(POLARITY_METHODS)}, "
                             f"not {polarity!r}")
        self.model = model
        self.aliases = Path(aliases) if aliases is not None else None
        self.merge_demonyms = bool(merge_demonyms)
        self.reference_date = parse_date(reference_date) if reference_date is not None else None
        self.polarity = polarity
        self.polarity_model = polarity_model
        self.keep_other_languages = bool(keep_other_languages)
        self.cache = cache
        self.cache_dir = cache_dir
        self.n_process = n_process
        if progress is None and os.environ.get(TABLES_DIR_VARIABLE):  # inside `analystkit report`
            progress = False
        self.progress = progress
        self._warnings: list[str] = []
        if isinstance(corpus, Corpus):
            self.corpus = corpus
        else:
            with self._collecting():
                self.corpus = load_corpus(corpus, keep_other_languages=self.keep_other_languages)

    @property
    def options(self) -> dict[str, Any]:
        """The options that shape the tables, as given (for reports and provenance)."""
        return {"model": self.model, "aliases": str(self.aliases) if self.aliases else None,
                "merge_demonyms": self.merge_demonyms,
                "reference_date": self.reference_date.isoformat() if self.reference_date
                else None,
                "polarity": self.polarity, "keep_other_languages": self.keep_other_languages}

    def __repr__(self) -> str:
        return f"<Analysis: {len(self.corpus):,} documents, {self.corpus.n_words:,} words>"

    # ------------------------------------------------------------------ annotation

    @cached_property
    def annotated(self) -> AnnotatedCorpus:
        """The corpus annotated once (the analyst's alias file reaches NER too)."""
        with self._collecting():
            nlp = load_model(self.model, aliases=self.aliases)
            return annotate(self.corpus, nlp=nlp, cache=self.cache, cache_dir=self.cache_dir,
                            n_process=self.n_process, progress=self.progress)

    @cached_property
    def texts(self) -> dict[str, str]:
        """``doc_id`` -> document text (what every offset points into)."""
        return {document.doc_id: document.text for document in self.corpus}

    @cached_property
    def model_name(self) -> str:
        """The spaCy pipeline's name and version."""
        return self.annotated.model

    @cached_property
    def documents(self) -> pd.DataFrame:
        """One row per document with its metadata, size, sentences and tokens."""
        from .tables import documents_table

        return documents_table(self.annotated)

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence (:func:`analystkit.tables.sentences_table`)."""
        from .tables import sentences_table

        return sentences_table(self.annotated)

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """One row per token (:func:`analystkit.tables.tokens_table`)."""
        from .tables import tokens_table

        return tokens_table(self.annotated)

    @cached_property
    def ner(self) -> pd.DataFrame:
        """The pipeline's raw entity mentions (:func:`analystkit.tables.mentions_table`)."""
        from .tables import mentions_table

        return mentions_table(self.annotated)

    @cached_property
    def statistics(self) -> pd.Series:
        """Headline counts (see :func:`analystkit.tables.corpus_statistics`)."""
        from .tables import statistics_of

        return statistics_of(self.documents, mentions=len(self.ner))

    def lemma_frequency(self, *, top: int = 20) -> pd.DataFrame:
        """Most frequent content lemmas (see :func:`analystkit.tables.lemma_frequency`).

        Args:
            top: How many lemmas.

        Returns:
            Columns ``lemma, count, documents``.
        """
        from .tables import lemma_frequency

        return lemma_frequency(self._token_source, top=top)

    def lemma_tokens(self, lemma: str) -> pd.DataFrame:
        """Every token whose lemma is ``lemma`` (any case), with its place: the evidence.

        Args:
            lemma: A lemma, as :meth:`lemma_frequency` gives it (lower case).

        Returns:
            Columns ``doc_id, sent_id, start_char, end_char, text``, in document order.
        """
        from .tables import lemma_tokens

        return lemma_tokens(self._token_source, lemma)

    @property
    def _token_source(self) -> Any:
        return self.tokens

    def doc(self, doc_id: str) -> Any:
        """One document's spaCy ``Doc`` (text, sentences and the pipeline's entities).

        Args:
            doc_id: A ``Document.doc_id`` of the corpus.

        Returns:
            The annotated Doc.
        """
        for document, doc in self.annotated:
            if document.doc_id == doc_id:
                return doc
        raise KeyError(doc_id)

    @cached_property
    def alias_table(self):
        """The shipped alias table merged with the analyst's file."""
        from .aliases import load_alias_table

        return load_alias_table(self.aliases)

    # -------------------------------------------------------------------- entities

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """Every name mention with its canonical entity (all name labels)."""
        from .entities import entity_mentions

        annotated = self.annotated
        with self._collecting():
            return entity_mentions(annotated, aliases=self.aliases,
                                   merge_demonyms=self.merge_demonyms)

    @cached_property
    def frequency(self) -> pd.DataFrame:
        """Mentions and documents per canonical entity, most mentioned first."""
        from .entities import entity_frequency

        return entity_frequency(self.mentions)

    # ---------------------------------------------------------------------- stance

    @cached_property
    def scored_mentions(self) -> pd.DataFrame:
        """Every mention with the polarity of its sentence towards it."""
        from .stance import mention_polarity

        annotated, mentions = self.annotated, self.mentions
        with self._collecting():
            return mention_polarity(annotated, mentions, polarity=self.polarity,
                                    model_path=self.polarity_model)

    @cached_property
    def tone(self) -> pd.DataFrame:
        """Negative/neutral/positive mention counts and mean polarity per entity."""
        from .stance import entity_tone

        return entity_tone(self.scored_mentions)

    @cached_property
    def _statements_and_targets(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from .stance import statements_and_targets

        annotated, mentions, scored = self.annotated, self.mentions, self.scored_mentions
        with self._collecting():
            return statements_and_targets(
                annotated, mentions=mentions, aliases=self.alias_table,
                polarity=self.polarity, model_path=self.polarity_model, scored_mentions=scored)

    @property
    def statements(self) -> pd.DataFrame:
        """Attributed statements with source, targets, polarity and coding."""
        return self._statements_and_targets[0]

    @property
    def statement_targets(self) -> pd.DataFrame:
        """One row per statement and target, with the polarity towards that target."""
        return self._statements_and_targets[1]

    def stance_matrix(self, *, min_statements: int = 1) -> pd.DataFrame:
        """Source x target stance from the per-target scores.

        Args:
            min_statements: Keep pairs with at least this many statements.

        Returns:
            See :func:`analystkit.stance.stance_matrix`.
        """
        from .stance import stance_matrix

        return stance_matrix(self.statement_targets, min_statements=min_statements)

    # -------------------------------------------------------------------- timeline

    @cached_property
    def reference_dates(self) -> dict:
        """``doc_id`` -> :class:`analystkit.timeline.ReferenceDate` (date and how chosen)."""
        from .timeline import reference_dates

        # Said once, in words, by :attr:`notes` (a warning here printed raw in every report).
        with self._collecting():
            return reference_dates(self.corpus.documents, reference_date=self.reference_date,
                                   warn=False)

    @cached_property
    def timexes(self) -> pd.DataFrame:
        """Temporal expressions with TIMEX3 values, resolved where a reference date is known."""
        from .timeline import timexes_table

        annotated, dcts = self.annotated, self.reference_dates
        with self._collecting():
            return timexes_table(annotated, reference_date=self.reference_date, dcts=dcts)

    @cached_property
    def events(self) -> pd.DataFrame:
        """Dated and reported events with actors, source, date and evidence."""
        from .timeline import events_table

        annotated, mentions, timexes = self.annotated, self.mentions, self.timexes
        statements = self._attributed
        with self._collecting():
            return events_table(annotated, reference_date=self.reference_date,
                                mentions=mentions, timexes=timexes, statements=statements,
                                dcts=self.reference_dates)

    @property
    def _attributed(self) -> pd.DataFrame:
        """The statements, scored if they already are; else without polarity (sources and
        contents are the same, and the timeline needs no scores)."""
        if "_statements_and_targets" in self.__dict__:
            return self.statements
        if "_unscored_statements" not in self.__dict__:
            from .stance import statements_table

            self.__dict__["_unscored_statements"] = statements_table(
                self.annotated, mentions=self.mentions, aliases=self.alias_table,
                polarity=None)
        return self.__dict__["_unscored_statements"]

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """The events in order: dated, then relative, then undated."""
        from .timeline import timeline_table

        return timeline_table(self.events)

    # ----------------------------------------------------------------- for readers

    @cached_property
    def labels(self) -> dict[str, str]:
        """``doc_id`` -> short, stable, unique label (title, else file name)."""
        from .display import document_labels

        return document_labels(self.corpus)

    @contextlib.contextmanager
    def _collecting(self) -> Iterator[None]:
        """Keep the warnings raised inside as reader notes instead of printing them."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for warning in caught:
            note = _reader_sentence(str(warning.message))
            if note and note not in self._warnings:
                self._warnings.append(note)

    @property
    def notes(self) -> list[str]:
        """What a reader should know about this analysis, as short sentences.

        Skipped inputs and documents left out (from the manifest), inputs read with a
        warning, how documents without a publication date got their reference date (once
        :attr:`reference_dates` is computed), and every warning raised while computing the
        tables, in the order they were raised. No file paths: document ids become labels.

        Returns:
            A list of sentences (empty when there is nothing to say).
        """
        notes = _manifest_notes(self.corpus.manifest)
        if "reference_dates" in self.__dict__:
            notes += _reference_date_notes(self.reference_dates, forced=self.reference_date)
        labels = self.labels
        for note in self._warnings:
            notes.append(_DOC_ID_IN_TEXT.sub(lambda m: labels.get(m[0], m[0]), note))
        return notes


_DOC_ID_IN_TEXT = re.compile(r"[A-Za-z0-9_.-]+-[0-9a-f]{8}\b")
# An absolute path (POSIX or Windows) inside a warning: only its last part is kept.
_PATH_IN_TEXT = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s/\\'\"()]+[/\\])+([^\s/\\'\"()]*)")

_SKIP_WORDS = {
    "empty": "empty", "binary": "binary", "duplicate": "duplicate", "hidden": "hidden file",
    "unsupported": "unsupported type", "undecodable": "undecodable", "too_large": "too large",
    "bad_json": "not JSON", "bad_front_matter": "malformed front matter",
}
_WARNING_WORDS = {
    "bad_date": "date that could not be read (left empty)",
    "encoding_guessed": "guessed encoding",
    "mixed_language": "mix of languages",
    "other_language": "language other than English (kept)",
}


def _reader_sentence(message: str) -> str:
    """A warning as a reader's sentence: no "analystkit:" prefix, no folders of paths."""
    text = " ".join(message.split())
    text = re.sub(r"^analystkit:\s*", "", text)
    text = _PATH_IN_TEXT.sub(lambda m: m[1] or "a folder", text)
    return text[:1].upper() + text[1:] if text else ""


def _counted(counts: Counter) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in counts.most_common())


def _manifest_notes(manifest: pd.DataFrame) -> list[str]:
    """Skipped inputs, languages left out and inputs read with a warning, counted."""
    if manifest is None or not len(manifest) or "status" not in manifest:
        return []
    notes = []
    skipped = manifest[manifest["status"] != "ok"]
    kinds = skipped["kind"].fillna("").astype(str)
    languages = [language_name(code) for code in
                 skipped.loc[kinds == "not_english", "language"].fillna("?").astype(str)]
    others = Counter(_SKIP_WORDS.get(kind, kind.replace("_", " ") or "other")
                     for kind in kinds[kinds != "not_english"])
    if others:
        notes.append(f"{plural(sum(others.values()), 'input')} skipped ({_counted(others)}); "
                     "the corpus manifest (notebook 00) gives each reason.")
    if len(languages):
        notes.append(f"{plural(len(languages), 'document')} not in English left out "
                     f"({_counted(Counter(languages))}); keep_other_languages=True would keep "
                     f"{'it' if len(languages) == 1 else 'them'}.")
    kept = manifest.loc[manifest["status"] == "ok", "kind"].fillna("").astype(str)
    flagged = Counter(_WARNING_WORDS[kind] for kind in kept if kind in _WARNING_WORDS)
    if flagged:
        notes.append(f"Documents read with a warning: {_counted(flagged)}; see the manifest.")
    return notes


def _reference_date_notes(dcts: dict, *, forced: dt.date | None) -> list[str]:
    """How documents without a publication date got their reference date, counted."""
    if forced is not None:
        return [f"Every document is resolved against the reference_date parameter "
                f"{forced.isoformat()}."]
    sources = Counter(reference.source for reference in dcts.values())
    undated = len(dcts) - sources.get("metadata date", 0)
    if not undated:
        return []
    ways = []
    for source, words in (("dateline", "a dateline"), ("url", "the URL"),
                          ("metadata reference_date (assumption)",
                           "an analyst's reference_date, an assumption"),
                          ("none", "none, so a relative timeline")):
        if sources.get(source):
            ways.append(f"{words} ({sources[source]:,})")
    verb, whose = ("has", "its") if undated == 1 else ("have", "their")
    return [f"{undated:,} of {plural(len(dcts), 'document')} {verb} no publication date in "
            f"{whose} metadata; reference date from: {'; '.join(ways)}."]


def load_input(path: str | Path, *, keep_other_languages: bool = False
               ) -> tuple[Corpus, str | None]:
    """The corpus at ``path`` and, for an annotated dataset, the pipeline it was annotated
    with (``None``: a corpus still to annotate).

    Args:
        path: A corpus file or folder, or a dataset folder of ``analystkit annotate``.
        keep_other_languages: As for :func:`~analystkit.corpus.load_corpus`.

    Returns:
        ``(corpus, model)``.
    """
    folder = _dataset_path(path)
    if folder is not None:
        from .dataset import open_dataset

        dataset = open_dataset(folder)
        return dataset.corpus(), dataset.model or "unknown pipeline"
    return load_corpus(path, keep_other_languages=keep_other_languages), None


def warm_caches(corpus: Any, *, model: str | None, options: Mapping[str, Any],
                cache_dir: Path) -> str:
    """Annotate the corpus when the cache lacks some of it, and score its polarity, so
    kernels started in parallel read the caches instead of each doing the same work.

    Args:
        corpus: The loaded corpus.
        model: The spaCy pipeline.
        options: :class:`~analystkit.analysis.Analysis` options, as the notebooks pass them.
        cache_dir: The cache folder the kernels use.

    Returns:
        The pipeline's name and version (of the loaded pipeline).
    """
    analysis = Analysis(corpus, model=model, cache_dir=cache_dir, **options)
    annotated = analysis.annotated
    if annotated.cache_hits < len(annotated):
        # The kernels compute these again, from the caches; an error here is theirs to show.
        with contextlib.suppress(Exception):
            analysis.statement_targets  # noqa: B018 - scores every statement target once
            analysis.scored_mentions  # noqa: B018 - and every mention
    return annotated.model


def _dataset_path(corpus: Any) -> Path | None:
    """The dataset folder ``corpus`` names (a path, or a list of one path), else None."""
    from .dataset import is_dataset

    if isinstance(corpus, (list, tuple)) and len(corpus) == 1:
        corpus = corpus[0]
    return Path(corpus) if is_dataset(corpus) else None


class DatasetAnalysis(Analysis):
    """An :class:`Analysis` of a dataset folder written by ``analystkit annotate``.

    Every table is read from the dataset's Parquet files (only the columns a table needs);
    the derived tables (frequency, tone, stance matrix, timeline) are computed from them by
    the same functions as in memory, so with one partition every number equals the
    in-memory analysis of the same corpus (``tests/test_dataset.py``). Lemma counts are
    aggregated in Arrow without loading the token table into pandas. The analysis options
    are the dataset's: options given that differ are not applied, and a note says so.
    Docs are not stored: :meth:`doc` rebuilds one document's Doc (text, sentences, entities)
    from the tables with spaCy's tokenizer, and :attr:`annotated` is not available.

    Args:
        corpus: The dataset folder (or a list holding only it).
        **options: As for :class:`Analysis` (see above for how they are used).

    Example:
        >>> analysis = ak.Analysis("dataset/")  # doctest: +SKIP
        >>> analysis.frequency.head()  # doctest: +SKIP
    """

    def __init__(self, corpus: Any, **options: Any) -> None:
        from .dataset import open_dataset

        self.dataset = open_dataset(_dataset_path(corpus))
        stored = self.dataset.options
        given = {"model": options.get("model"), "aliases": options.get("aliases"),
                 "merge_demonyms": options.get("merge_demonyms", False),
                 "reference_date": options.get("reference_date"),
                 "polarity": options.get("polarity", "model"),
                 "keep_other_languages": options.get("keep_other_languages", False)}
        super().__init__(self.dataset.corpus(), **{
            **options, **{k: stored.get(k, v) for k, v in given.items()},
            "progress": False})
        self._warnings = self.dataset.notes  # the workers' reader notes
        if given["model"] is not None and stored.get("model") is None:
            from .pipeline import resolve_model

            if resolve_model(given["model"]) == self.dataset.description.get("pipeline"):
                given["model"] = None  # the pipeline the dataset was annotated with
        self._ignored = [f"{name}={value!r}" for name, value in given.items()
                         if value not in (None, stored.get(name))
                         and not (name == "aliases" and stored.get(name)
                                  and Path(str(value)).resolve() == Path(stored[name]))
                         and not (name == "reference_date" and stored.get(name)
                                  and str(value) == stored[name])]

    def __repr__(self) -> str:
        return (f"<Analysis of the dataset {self.dataset.path.name}: {len(self.corpus):,} "
                f"documents, {self.corpus.n_words:,} words>")

    @property
    def options(self) -> dict[str, Any]:
        return {**self.dataset.options, "dataset": str(self.dataset.path)}

    def _read(self, name: str) -> pd.DataFrame:
        from .schema import TABLES

        table = self.dataset.table(name)
        if not len(table.columns):  # no partition done: the table's columns, no rows
            return TABLES[name].empty()
        return table

    @property
    def annotated(self):  # the base's, refused with the reason
        from .errors import InputError

        raise InputError(f"{self.dataset.path} is an annotated dataset: its spaCy Docs are not "
                         "stored; use the tables (mentions, sentences, tokens ...) or "
                         "analysis.doc(doc_id) for one document")

    @cached_property
    def model_name(self) -> str:
        return self.dataset.model or "unknown pipeline"

    @cached_property
    def documents(self) -> pd.DataFrame:
        return self._read("documents")

    @cached_property
    def sentences(self) -> pd.DataFrame:
        return self._read("sentences")

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """Every token, read into memory (large: :meth:`lemma_frequency` does not need it)."""
        return self._read("tokens")

    @cached_property
    def ner(self) -> pd.DataFrame:
        return self._read("ner")

    @cached_property
    def _token_source(self) -> Any:
        from .dataset import arrow_dataset

        return arrow_dataset(self.dataset.path, "tokens")

    @cached_property
    def mentions(self) -> pd.DataFrame:
        from .schema import TABLES

        return self.scored_mentions[list(TABLES["mentions"].names)].copy()

    @cached_property
    def scored_mentions(self) -> pd.DataFrame:
        return self._read("scored_mentions")

    @cached_property
    def _statements_and_targets(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return self._read("statements"), self._read("statement_targets")

    @property
    def _attributed(self) -> pd.DataFrame:
        return self.statements

    @cached_property
    def timexes(self) -> pd.DataFrame:
        return self._read("timexes")

    @cached_property
    def events(self) -> pd.DataFrame:
        return self._read("events")

    def doc(self, doc_id: str) -> Any:
        """One document's Doc, rebuilt from the tables: the tokens as the pipeline cut
        them, the sentence starts and the pipeline's entities (no parse, tags or vectors)."""
        import pyarrow.dataset as pads
        from spacy.tokens import Doc

        from .resources import cached

        text = self.texts[doc_id]
        vocab = cached("blank_en", (), lambda: __import__("spacy").blank("en")).vocab
        tokens = self._token_source.to_table(
            columns=["token_id", "start_char", "end_char", "text"],
            filter=pads.field("doc_id") == doc_id).to_pandas().sort_values("token_id")
        words = tokens["text"].astype(str).tolist()
        ends = tokens["end_char"].tolist()
        starts = tokens["start_char"].tolist()[1:] + [len(text)]
        spaces = [end < start and text[end] == " " and start == end + 1
                  for end, start in zip(ends, starts, strict=True)]
        first = set(self.sentences.loc[self.sentences["doc_id"] == doc_id, "start_char"])
        doc = Doc(vocab, words=words, spaces=spaces,
                  sent_starts=[i == 0 or int(start) in first
                               for i, start in enumerate(tokens["start_char"])])
        if doc.text != text:
            from .errors import InputError

            raise InputError(f"{self.dataset.path}: the tokens of {doc_id} do not give back "
                             "its text; the dataset is damaged (annotate it again)")
        ents = self.ner[self.ner["doc_id"] == doc_id]
        doc.ents = [doc.char_span(int(r.start_char), int(r.end_char), label=str(r.label))
                    for r in ents.itertuples()]
        return doc

    @property
    def notes(self) -> list[str]:
        notes = super().notes
        partitions = self.dataset.partitions
        done = sum(p["done"] for p in partitions)
        notes.insert(0, f"Tables read from an annotated dataset ({self.dataset.path.name}: "
                        f"{plural(done, 'partition')} of {len(partitions):,} done; "
                        f"{self.model_name}); entities are linked within each partition of "
                        f"{self.dataset.description.get('partition_size', '?'):,} documents.")
        if not self.dataset.complete:
            notes.insert(1, "This dataset is not complete: annotate was interrupted (or is "
                            "still running); the tables hold the finished partitions only. "
                            "Run the same `analystkit annotate` again to finish it.")
        if self._ignored:
            notes.insert(1, f"The dataset fixes the analysis options: "
                            f"{', '.join(self._ignored)} given but not applied; annotate the "
                            "corpus again with them to change the tables.")
        return notes
