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

from .analysis import Analysis
from .corpus import Corpus, Document, load_corpus, normalise_text, parse_date
from .errors import (
    AnalystkitError,
    InputError,
    ModelNotFoundError,
    NoDocumentsError,
    ReportError,
)
from .pipeline import AnnotatedCorpus, annotate, load_model, resolve_model
from .tables import (
    corpus_statistics,
    documents_table,
    lemma_frequency,
    mentions_table,
    sentences_table,
    tokens_table,
)

__all__ = [
    "Analysis",
    "AnalystkitError",
    "AnnotatedCorpus",
    "Corpus",
    "Document",
    "InputError",
    "ModelNotFoundError",
    "NoDocumentsError",
    "ReportError",
    "__version__",
    "annotate",
    "corpus_statistics",
    "documents_table",
    "lemma_frequency",
    "load_corpus",
    "load_model",
    "mentions_table",
    "normalise_text",
    "parse_date",
    "resolve_model",
    "sentences_table",
    "tokens_table",
]
