"""The state of tagging one text, the exceptions handlers raise, and anaphora anchoring.

"That day", "a year earlier", "the next morning" refer to the last date the story named
(``_Context.ref``) when it is close enough before them (:func:`_anchor`).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .tense import _tense_from_doc, _tense_from_words

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc

@dataclass
class _Context:
    """What tagging one text knows: the text, its DCT and parse, and the story's last date."""

    text: str
    dct: _dt.date | None
    doc: Doc | None
    tense_override: str | None = None
    tense_cache: dict[tuple[int, int], str | None] = field(default_factory=dict)
    date_order: str | None = None  # "dmy", "mdy" or None (unknown) for numeric dates
    notes: dict[int, str] = field(default_factory=dict)  # start -> words for Timex.relative
    ref: str | None = None  # last absolute DATE value (for "that day", "a year earlier")
    ref_end: int = -1
    ref_explicit: bool = False  # the reference came from an absolute expression

    def tense(self, start: int, end: int) -> str | None:
        if self.tense_override is not None:
            return self.tense_override or None
        key = (start, end)
        if key not in self.tense_cache:
            self.tense_cache[key] = self._tense(start, end)
        return self.tense_cache[key]

    def _tense(self, start: int, end: int) -> str | None:
        tense = None
        if self.doc is not None:
            try:
                tense = _tense_from_doc(self.doc, start, end, text=self.text)
            except (IndexError, ValueError, AttributeError):
                tense = None
        if tense is None:
            tense = _tense_from_words(self.text, start, end)
        return tense


_Result = tuple[str, str | None, bool]  # (type, value, anchored)


class _Reject(Exception):
    """A candidate that is not a temporal expression after all."""


def _need_dct(ctx: _Context) -> _dt.date:
    if ctx.dct is None:
        raise _NoDct
    return ctx.dct


class _NoDct(Exception):
    """The value depends on a DCT that was not given."""


class _NoRef(Exception):
    """A demonstrative ("that day") with no date close enough before it to refer to: generic
    ("trades made that day") or too far from its antecedent to resolve; not tagged."""


def _unanchored(ctx: _Context, start: int, kind: str, mask: str) -> Exception:
    """What to raise for an anaphoric expression without a dated anchor: :class:`_NoDct`
    when its anchor is close but undated for want of a DCT ("on Thursday ... the previous
    day": resolved against each probe DCT, see :func:`_without_dct`), else
    :class:`_Unanchored`."""
    if ctx.dct is None and ctx.ref == _UNDATED and _anchor(ctx, start) is not None:
        return _NoDct()
    return _Unanchored(kind, mask)


class _Unanchored(Exception):
    """An anaphoric expression ("that day", "the next morning") with no date close enough
    before it (:func:`_anchor`): it keeps an underspecified value and words."""

    def __init__(self, kind: str, mask: str, words: str | None = None) -> None:
        super().__init__(mask)
        self.kind, self.mask, self.words = kind, mask, words


def _ref_year_text(ctx: _Context, start: int) -> str | None:
    year = _ref_year(ctx, start)
    return None if year is None else f"{year:04d}"


def _ref_year(ctx: _Context, start: int) -> int | None:
    """Year of the reference time, if it may anchor an expression at ``start``."""
    ref = _anchor(ctx, start, breaks=_FRAME_BREAKS["year"])
    if ref and re.match(r"\d{4}", ref):
        return int(ref[:4])
    return None


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start].rstrip(" \t\"'`‘“(")
    return not before or before[-1] in ".!?\n:"


# Sentence ends and blank lines, for the distance from an expression to its anchor (a lone
# line break is not one: wire copy wraps its lines inside sentences).
_BREAK = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?][\"”’')]*\s+"
                    r"(?=[A-Z\"“'‘`(])|\n[ \t]*\n\s*")
_ANCHOR_CHARS = 300  # per sentence break allowed
# How many sentence ends may stand between an anaphoric expression and its anchor: a day
# frames its sentence and the next ("that day", "the next morning", "at 11:30 a.m."); a
# month or a year frames a stretch of narrative ("In March, ... . ... . The following month").
_FRAME_BREAKS = {"day": 1, "week": 1, "month": 3, "year": 3}


def _anchor(ctx: _Context, start: int, *, breaks: int = 1) -> str | None:
    """The last date of the text (``ctx.ref``) if it may anchor an expression at ``start``.

    "That day", "the next morning", "later that year" refer to the time the story was just
    talking about: the last date mentioned, when at most ``breaks`` sentence ends stand
    between (one: the same sentence or the one before). Further back, the story has moved
    on (a date mentioned for another event), so an expression there is not resolved from
    it. Any time the text names in between is the new reference (see :func:`_tag`),
    including one that cannot be dated, which leaves none.
    """
    if not ctx.ref or ctx.ref_end < 0 or not 0 <= start - ctx.ref_end <= _ANCHOR_CHARS * (
            breaks + 1):
        return None
    seen = 0
    for _ in _BREAK.finditer(ctx.text, ctx.ref_end, start):
        seen += 1
        if seen > breaks:
            return None
    return ctx.ref


def _ref_date(ctx: _Context, start: int) -> _dt.date | None:
    """The day of the reference time, if it may anchor an expression at ``start``."""
    ref = _anchor(ctx, start)
    if ref and re.fullmatch(r"\d{4}-\d\d-\d\d", ref):
        try:
            return _dt.date.fromisoformat(ref)
        except ValueError:
            return None
    return None


_UNANCHORED_MASKS = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX",
                     "year": "XXXX"}


_UNDATED = "undated"  # ctx.ref after a time that cannot be dated without the DCT


def _anaphoric_words(expression: str, *, undated: bool = False) -> str:
    """Words for "the next day" when the time it follows is not known: undated (no DCT) or
    not resolved (no time of the text close enough before it)."""
    expression = " ".join(expression.split())
    if expression[1:2].islower():
        expression = expression[0].lower() + expression[1:]  # "The next day" opening a sentence
    if undated:
        return f"{expression}: relative to an earlier, undated time of the text"
    return f"{expression}: relative to an earlier time of the text, not resolved"
