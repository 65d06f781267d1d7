"""Entity label sets of the English spaCy pipelines (OntoNotes labels), shared by modules.

Kept apart from :mod:`analystkit.entities` so that option checks (:mod:`analystkit.parameters`)
need not import spaCy.
"""

from __future__ import annotations

__all__ = ["NAME_LABELS"]

NAME_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
               "LAW", "LANGUAGE")
"""Entity labels that name something (numbers, dates and amounts are left out)."""
