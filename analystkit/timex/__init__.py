"""Temporal expressions (TIMEX3) in news text: find them and normalise them against a date.

A rule-based tagger in the spirit of TimeML / TempEval-3 (HeidelTime-like, pure Python):

* :func:`tag_timexes` finds dates ("Friday", "Jan. 5", "last week", "the third quarter",
  "the 1990s"), times ("3 p.m.", "Tuesday morning"), durations ("three weeks", "six-year")
  and sets ("every Monday", "daily") in a text, with character offsets, and gives each a
  TIMEX3 ``type`` and ``value`` computed against the document creation time (DCT).
* :func:`normalize_timex` normalises one isolated expression.
* An optional spaCy ``Doc`` of the same text lets the tagger read the tense of the clause that
  governs a weekday or month name ("said Friday" -> the last Friday, "will meet Friday" -> the
  next one); without it a cheap guess from nearby words is used.

Spans are drawn as TimeML draws them: modifiers that change the meaning belong to the span
("late last year", "nearly four years ago", "the past two months"), prepositions do not
("in [recent weeks]", "for [three weeks]"); "three days later" is the duration "three days",
"a year earlier" a date; ages ("a 44-year-old man") are not tagged.

Values follow the document: expressions such as "a year earlier", "that day", "the latest
quarter" or "the same month last year" are anchored on the last date mentioned (a quarter in
an earnings report), others on the DCT. The last date anchors a day-level expression ("that
day", "the next morning", "at 11:30 a.m.") only from the same or the previous sentence, a
month or a year ("the following month", "that year") from at most three sentences back, and
any time named in between is the new frame (one that cannot be dated, "on Monday" without a
DCT, leaves none); "the next day" or "the following week" with no such date before it keeps
an underspecified value (``XXXX-XX-XX``) and ``relative`` says so ("the next day: relative
to an earlier time of the text, not resolved"), and "that day" is then not tagged (often
generic: "trades made that day"). A month or day without a year falls in
a window around the DCT that depends on the tense (``_MONTH_WINDOWS``); a weekday falls on
the last such day on or before the DCT in a past-tense clause, the next one on or after it in
a future one, else the nearest.

Cost: every rule is a compiled regular expression, run only in windows around cheap anchor
words, so tagging takes well under a millisecond per news story.

The rules are data: ``analystkit/data/timex/rules.toml`` holds one record per rule (name,
pattern built from named word lists, handler, flags, an example a test runs) and
``lists.toml`` the word lists, each written once; they are read on first use
(:mod:`analystkit.timex.rules`). The engine (:mod:`analystkit.timex.engine`: candidates,
selection, the story's last date) is apart from the handlers that judge and normalise each
rule's matches (:mod:`~analystkit.timex.dates`, :mod:`~analystkit.timex.relative`,
:mod:`~analystkit.timex.durations`) and from the tense guess (:mod:`~analystkit.timex.tense`).

Example:
    >>> import datetime
    >>> [(t.text, t.value) for t in tag_timexes("He left Friday.", datetime.date(2017, 6, 7))]
    [('Friday', '2017-06-02')]
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from .dates import numeric_date_order
from .engine import _tag
from .undated import _without_dct
from .values import TIMEX3_VALUE, Timex, _as_date, is_valid_timex3_value

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc

__all__ = [
    "TIMEX3_VALUE",
    "Timex",
    "is_valid_timex3_value",
    "normalize_timex",
    "numeric_date_order",
    "tag_timexes",
]


def tag_timexes(text: str, dct: _dt.date | _dt.datetime | None, *,
                doc: Doc | None = None, date_order: str | None = None) -> list[Timex]:
    """Find the temporal expressions in ``text`` and normalise them against ``dct``.

    Args:
        text: The text (a whole document: earlier expressions anchor later ones, such as
            "a year earlier" after "the third quarter").
        dct: The document creation time. None: absolute expressions ("Jan. 5, 2017", "1998")
            keep their values; relative ones ("Friday", "last week") get underspecified
            values (``XXXX-WXX-5``, ``XXXX-WXX``) and ``relative`` says what is known ("the
            week before publication"); see :func:`_without_dct`.
        doc: Optional spaCy ``Doc`` of the same text (``analystkit.load_model()(text)``);
            its parse gives the tense of the clause governing a weekday or month name.
        date_order: ``"dmy"`` or ``"mdy"`` for numeric dates such as "02/12/2004"; None:
            decided from the text and the DCT (:func:`numeric_date_order`), and a date that
            stays ambiguous keeps only its year (``2004-XX-XX``, both readings in
            ``relative``).

    Returns:
        The expressions in text order, non-overlapping, with ``text[t.start:t.end] == t.text``.

    Example:
        >>> import datetime
        >>> dct = datetime.date(2017, 6, 7)
        >>> [(t.text, t.type, t.value) for t in tag_timexes("Sales rose 5% last year.", dct)]
        [('last year', 'DATE', '2016')]
    """
    if not isinstance(text, str) or not text:
        return []
    if doc is not None and getattr(doc, "text", None) != text:
        doc = None
    dct = _as_date(dct)
    if date_order not in ("dmy", "mdy"):
        date_order = numeric_date_order(text, dct=dct)[0]
    cache: dict[tuple[int, int], str | None] = {}
    found = _tag(text, dct, doc, date_order=date_order, tense_cache=cache)
    if dct is None and any(t.value is None and t.anchored for t in found):
        found = _without_dct(text, doc, found, date_order, cache)
    return found


_LEADING_WORDS = re.compile(r"^(?:(?:on|in|at|for|since|during|by|until|till|within|over|from"
                            r"|of|through|throughout)\s+)+", re.IGNORECASE)


def normalize_timex(expression: str, dct: _dt.date, *, tense: str | None = None,
                    date_order: str | None = None) -> tuple[str, str | None] | None:
    """Type and value of one isolated temporal expression.

    Args:
        expression: The expression, e.g. ``"last week"``, ``"Jan. 5"``, ``"for three weeks"``.
        dct: The reference date (document creation time).
        tense: Tense of the governing clause: ``"past"``, ``"present"``, ``"future"`` or
            None (unknown: weekdays and months resolve to the nearest occurrence).
        date_order: ``"dmy"`` or ``"mdy"`` for a numeric date such as "02/12/2004"; None:
            unknown, and an ambiguous one keeps only its year (``2004-XX-XX``).

    Returns:
        ``(type, value)`` with a valid TIMEX3 value (value None only when it cannot be
        computed), or None if ``expression`` holds no temporal expression. Never raises.

    Example:
        >>> import datetime
        >>> normalize_timex("Friday", datetime.date(2017, 1, 2), tense="past")
        ('DATE', '2016-12-30')
    """
    try:
        if not isinstance(expression, str):
            return None
        text = expression.strip()
        if not text:
            return None
        tense_key = tense if tense in ("past", "present", "future") else ""
        order = date_order if date_order in ("dmy", "mdy") else None
        found = _tag(text, _as_date(dct), None, tense=tense_key, date_order=order)
        if not found:  # "since May": the word before may be what made it an expression
            stripped = _LEADING_WORDS.sub("", text)
            found = _tag(stripped, _as_date(dct), None, tense=tense_key,
                         date_order=order) if stripped else []
        if not found:
            return None
        best = max(found, key=lambda t: (t.end - t.start, -t.start))
        value = best.value if best.value is None or is_valid_timex3_value(best.value) else None
        return best.type, value
    except Exception:
        return None
