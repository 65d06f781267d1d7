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
=================== =========================================================================

The notebooks and every CLI subcommand go through this object, so a number in a report and
the same number on the command line come from the same computation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .corpus import Corpus, load_corpus
from .pipeline import AnnotatedCorpus, annotate, load_model

__all__ = ["Analysis", "POLARITY_METHODS"]

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

    Example:
        >>> import analystkit as ak
        >>> analysis = ak.Analysis("seeds/", reference_date="2017-06-08")  # doctest: +SKIP
        >>> analysis.frequency.head()  # doctest: +SKIP
        >>> analysis.stance_matrix(min_statements=2)  # doctest: +SKIP
    """

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
        if isinstance(corpus, Corpus):
            self.corpus = corpus
        else:
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
        nlp = load_model(self.model, aliases=self.aliases)
        return annotate(self.corpus, nlp=nlp, cache=self.cache, cache_dir=self.cache_dir,
                        n_process=self.n_process)

    @cached_property
    def texts(self) -> dict[str, str]:
        """``doc_id`` -> document text (what every offset points into)."""
        return {document.doc_id: document.text for document in self.corpus}

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

        return entity_mentions(self.annotated, aliases=self.aliases,
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

        return mention_polarity(self.annotated, self.mentions, polarity=self.polarity,
                                model_path=self.polarity_model)

    @cached_property
    def tone(self) -> pd.DataFrame:
        """Negative/neutral/positive mention counts and mean polarity per entity."""
        from .stance import entity_tone

        return entity_tone(self.scored_mentions)

    @cached_property
    def _statements_and_targets(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from .stance import statements_and_targets

        return statements_and_targets(
            self.annotated, mentions=self.mentions, aliases=self.alias_table,
            polarity=self.polarity, model_path=self.polarity_model,
            scored_mentions=self.scored_mentions)

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

        return reference_dates(self.corpus.documents, reference_date=self.reference_date)

    @cached_property
    def timexes(self) -> pd.DataFrame:
        """Temporal expressions with TIMEX3 values, resolved where a reference date is known."""
        from .timeline import timexes_table

        return timexes_table(self.annotated, reference_date=self.reference_date,
                             dcts=self.reference_dates)

    @cached_property
    def events(self) -> pd.DataFrame:
        """Dated and reported events with actors, source, date and evidence."""
        from .timeline import events_table

        return events_table(self.annotated, reference_date=self.reference_date,
                            mentions=self.mentions, timexes=self.timexes,
                            dcts=self.reference_dates)

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """The events in order: dated, then relative, then undated."""
        from .timeline import timeline_table

        return timeline_table(self.events)

