"""analystkit: a notebook kit for news analysis.

The library does the work and the notebooks show it. Data flows one way::

    corpus (documents + manifest) -> pipeline (spaCy Docs, cached) -> tables -> plots -> report

Example:
    >>> import analystkit as ak
    >>> analysis = ak.Analysis("seeds/")             # doctest: +SKIP
    >>> analysis.frequency.head()                    # doctest: +SKIP
    >>> analysis.stance_matrix(min_statements=2)     # doctest: +SKIP
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING

from .errors import (
    AnalystkitError,
    InputError,
    ModelNotFoundError,
    NoDocumentsError,
    ReportError,
)

# The public names below are imported on first use (PEP 562), so that a command that needs
# no spaCy or pandas (``analystkit report`` starting its kernel server, ``--help``) does not
# pay for importing them.
_LAZY = {
    "Analysis": "analysis", "DatasetAnalysis": "analysis",
    "annotate_dataset": "dataset", "open_dataset": "dataset", "read_table": "dataset",
    "Corpus": "corpus", "Document": "corpus", "load_corpus": "corpus",
    "normalise_text": "corpus", "parse_date": "corpus",
    "AnnotatedCorpus": "pipeline", "annotate": "pipeline", "load_model": "pipeline",
    "resolve_model": "pipeline",
    "corpus_statistics": "tables", "documents_table": "tables", "lemma_frequency": "tables",
    "mentions_table": "tables", "sentences_table": "tables", "tokens_table": "tables",
}

if TYPE_CHECKING:
    from .analysis import Analysis, DatasetAnalysis
    from .corpus import Corpus, Document, load_corpus, normalise_text, parse_date
    from .dataset import annotate_dataset, open_dataset, read_table
    from .pipeline import AnnotatedCorpus, annotate, load_model, resolve_model
    from .tables import (
        corpus_statistics,
        documents_table,
        lemma_frequency,
        mentions_table,
        sentences_table,
        tokens_table,
    )


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analystkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Analysis",
    "AnalystkitError",
    "AnnotatedCorpus",
    "Corpus",
    "DatasetAnalysis",
    "Document",
    "InputError",
    "ModelNotFoundError",
    "NoDocumentsError",
    "ReportError",
    "__version__",
    "annotate",
    "annotate_dataset",
    "corpus_statistics",
    "documents_table",
    "lemma_frequency",
    "load_corpus",
    "load_model",
    "mentions_table",
    "normalise_text",
    "open_dataset",
    "parse_date",
    "read_table",
    "resolve_model",
    "sentences_table",
    "tokens_table",
]
