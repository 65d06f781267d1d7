"""Conflict/cooperation coding: CAMEO-style quad classes and Goldstein-like scores.

A verb/phrase lexicon (``analystkit/data/cameo_lexicon.csv``; columns ``phrase, quad_class,
goldstein, cameo, note``) codes predicates as ``verbal cooperation``, ``material
cooperation``, ``verbal conflict``, ``material conflict`` or ``neutral``, with a score in
[-10, 10] (negative: conflict). Phrases are lemmas, matched on the parse: a predicate alone
("strike"), with its particle or preposition ("work out", "depend upon"), with the verb of
its infinitive complement ("threaten to hit") or with its object ("carry out strike").
The longest matching phrase wins.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from .errors import InputError
from .resources import cached, data_path

__all__ = ["QUAD_CLASSES", "Code", "Lexicon", "load_lexicon"]

QUAD_CLASSES = ("verbal cooperation", "material cooperation", "verbal conflict",
                "material conflict", "neutral")
LEXICON = data_path("cameo_lexicon.csv")


@dataclass(frozen=True)
class Code:
    """The coding of one predicate."""

    quad_class: str
    goldstein: float
    phrase: str
    cameo: str


class Lexicon:
    """Phrase -> :class:`Code`, with matching over a dependency parse."""

    def __init__(self, codes: dict[str, Code]) -> None:
        self.codes = codes

    def code(self, token: Token) -> Code | None:
        """The code of the predicate ``token`` (a verb or an event noun), if any.

        Args:
            token: The predicate.

        Returns:
            The code of the longest matching phrase, or ``None``.

        Example:
            >>> load_lexicon().code(doc[3])  # doctest: +SKIP
            Code(quad_class='verbal conflict', goldstein=-7.0, phrase='threaten to hit', ...)
        """
        lemma = token.lemma_.lower()
        candidates = [lemma, token.lower_]
        for child in token.children:
            if child.dep_ in ("prt", "prep", "agent"):
                candidates.append(f"{lemma} {child.lower_}")
            if child.dep_ == "xcomp":
                candidates.append(f"{lemma} to {child.lemma_.lower()}")
            if child.dep_ in ("dobj", "nsubjpass"):
                candidates.append(f"{lemma} {child.lemma_.lower()}")
                for grandchild in child.children:
                    if grandchild.dep_ == "prt":
                        candidates.append(f"{lemma} {grandchild.lower_} {child.lemma_.lower()}")
            if child.dep_ == "prt":
                for other in token.children:
                    if other.dep_ in ("dobj", "nsubjpass"):
                        candidates.append(f"{lemma} {child.lower_} {other.lemma_.lower()}")
        found = [self.codes[c] for c in candidates if c in self.codes]
        return max(found, key=lambda code: len(code.phrase)) if found else None


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a coding lexicon (default: the shipped one).

    Args:
        path: A CSV file with the columns ``phrase, quad_class, goldstein, cameo, note``.

    Returns:
        The :class:`Lexicon`.

    Raises:
        InputError: If the file is unreadable or a row has an unknown class or a score
            outside [-10, 10]; the message names the file and row.

    Example:
        >>> load_lexicon().codes["warn"].quad_class
        'verbal conflict'
    """
    path = Path(path) if path is not None else LEXICON
    return cached("coding_lexicon", (path,), lambda: _read_lexicon(path))


def _read_lexicon(path: Path) -> Lexicon:
    codes: dict[str, Code] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    score = float(row["goldstein"])
                except (TypeError, ValueError):
                    score = float("nan")
                if row.get("quad_class") not in QUAD_CLASSES or not -10 <= score <= 10:
                    raise InputError(f"{path}: row {line}: needs a quad_class in "
                                     f"{QUAD_CLASSES} and a goldstein score in [-10, 10]")
                phrase = " ".join(row["phrase"].lower().split())
                codes.setdefault(phrase, Code(row["quad_class"], score, phrase,
                                              row.get("cameo") or ""))
    except (OSError, KeyError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read coding lexicon ({exc})") from None
    return Lexicon(codes)
