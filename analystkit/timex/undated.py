"""Texts without a DCT: what is known of a relative expression is what does not depend on
the DCT ("yesterday": the day before publication, ``XXXX-XX-XX``).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from .context import _anaphoric_words
from .engine import _candidates, _tag
from .rules import lexicon
from .values import Timex, _spoken_day

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc

# DCTs of every weekday, in many months and in leap and common years. An expression's value is
# computed against each; only what is the same under all of them is reported (no probe date
# ever reaches a result).
_PROBES = (_dt.date(2001, 1, 1), _dt.date(2002, 3, 31), _dt.date(2003, 6, 18),
           _dt.date(2004, 2, 29), _dt.date(2005, 9, 9), _dt.date(2006, 12, 28),
           _dt.date(2007, 5, 15), _dt.date(2008, 11, 1), _dt.date(2009, 8, 6))
_UNIT_NAMES = {"day": ("day", "days"), "week": ("week", "weeks"), "weekend": ("weekend",
               "weekends"), "month": ("month", "months"), "quarter": ("quarter", "quarters"),
               "half": ("half-year", "half-years"), "year": ("year", "years"),
               "decade": ("decade", "decades"), "century": ("century", "centuries")}
_UNIT_DAYS = {"day": 1, "week": 7, "weekend": 7, "month": 30.4, "quarter": 91.3, "half": 182.6,
              "year": 365.25, "decade": 3652.5, "century": 36525}
_MASKS = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
          "quarter": "XXXX-QX", "half": "XXXX-HX", "year": "XXXX"}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_TIME_NAMES = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night",
               "DT": "daytime"}
_ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def _without_dct(text: str, doc: Doc | None, found: list[Timex], date_order: str | None,
                 cache: dict[tuple[int, int], str | None]) -> list[Timex]:
    """Underspecified values and words for the DCT-relative expressions of ``found``.

    Each expression is normalised against several DCTs (:data:`_PROBES`). An offset that is
    the same for all ("yesterday": one day back) becomes words ("the day before
    publication") and a value with the date left unknown (``XXXX-XX-XX``); parts of a value
    that are the same for all ("Aug 4": month 8, day 4) stay in it (``XXXX-08-04``) and the
    spread of the offsets bounds it ("within a year of the unknown publication date").
    """
    probes = []
    candidates = _candidates(text)  # scanned once, not once per probe
    for probe in _PROBES:
        tagged = _tag(text, probe, doc, date_order=date_order, tense_cache=cache,
                      candidates=candidates)
        probes.append((probe, {(t.start, t.end): t.value for t in tagged}))
    result = []
    for timex in found:
        if timex.value is None and timex.anchored:
            pairs = [(probe, values[(timex.start, timex.end)]) for probe, values in probes
                     if values.get((timex.start, timex.end))]
            value, words = _relative_value(pairs)
            if pairs and all(v == pairs[0][1] and v.startswith("XXXX") for _, v in pairs):
                # unanchored under every DCT: no time of the text close enough before it
                value, words = pairs[0][1], _anaphoric_words(timex.text)
            elif words and _ANAPHORIC.match(timex.text):
                # "the next day" follows the story's last time, here undated, not
                # publication: the words must not claim "the day after publication"
                words = _anaphoric_words(timex.text, undated=True)
            timex = Timex(timex.start, timex.end, timex.text, timex.type, value, True, words)
        result.append(timex)
    return result


_ANAPHORIC = re.compile(r"(?:(?:earlier|later)\s+)?(?:that(?:\s+same)?|the\s+(?:same|next"
                        r"|following|previous|prior))\s+(?:fiscal\s+|calendar\s+)?(?:day|week"
                        r"|month|year|weekend|morning|afternoon|evening|night)\b"
                        r"|.*\s(?:later|earlier)$", re.IGNORECASE)  # "20 years later"


def _granule(value: str, dct: _dt.date) -> tuple[str, int, str, object] | None:
    """(unit, offset from ``dct`` in that unit, suffix, calendar part) of a TIMEX3 value."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)(T.*)?", value):
            day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            return "day", (day - dct).days, m[4] or "", day
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
            monday = _dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            here = dct - _dt.timedelta(days=dct.isoweekday() - 1)
            return ("weekend" if m[3] else "week"), (monday - here).days // 7, "", None
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            offset = (int(m[1]) - dct.year) * 12 + int(m[2]) - dct.month
            return "month", offset, "", int(m[2])
        if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", value):
            per = 3 if m[2] == "Q" else 6
            unit = "quarter" if m[2] == "Q" else "half"
            offset = (int(m[1]) - dct.year) * (12 // per) + int(m[3]) - ((dct.month - 1) // per + 1)
            return unit, offset, "", int(m[3])
        if m := re.fullmatch(r"(\d{4})(?:-(SP|SU|FA|WI))?", value):
            return "year", int(m[1]) - dct.year, m[2] or "", None
        if m := re.fullmatch(r"(\d{3})", value):
            return "decade", int(m[1]) - dct.year // 10, "", None
        if m := re.fullmatch(r"(\d{2})", value):
            return "century", int(m[1]) - dct.year // 100, "", None
    except ValueError:
        return None
    return None


def _count(n: int, unit: str) -> str:
    singular, plural = _UNIT_NAMES[unit]
    if n == 1:
        return f"the {singular}"
    return f"{lexicon().small_numbers[n] if n < len(lexicon().small_numbers) else n} {plural}"


def _offset_words(unit: str, offset: int) -> str:
    """"the day before publication", "two weeks after publication", "the year of publication"."""
    if offset == 0:
        return f"the {_UNIT_NAMES[unit][0]} of publication"
    where = "before" if offset < 0 else "after"
    return f"{_count(abs(offset), unit)} {where} publication"


def _time_words(suffix: str) -> str:
    part = suffix[1:]
    return _TIME_NAMES.get(part, part)


def _window_words(low: float, high: float) -> str:
    """Where the expression may fall, from the least and greatest offset in days."""
    for limit, span in ((7, "a week"), (366, "a year")):
        if low >= -limit and high <= limit:
            if high <= 0:
                return f"within {span.replace('a ', 'the ')} before the unknown publication date"
            if low >= 0:
                return f"within {span.replace('a ', 'the ')} after the unknown publication date"
            return f"within {span} of the unknown publication date"
    return "at an unknown distance from the unknown publication date"


def _relative_value(pairs: list[tuple[_dt.date, str]]) -> tuple[str | None, str | None]:
    """(underspecified value, words) from the values of one expression under the probes."""
    if not pairs:
        return None, None
    if len({v for _, v in pairs}) == 1 and pairs[0][1] in ("PAST_REF", "PRESENT_REF",
                                                           "FUTURE_REF"):
        return pairs[0][1], None
    granules = [_granule(value, probe) for probe, value in pairs]
    if any(g is None for g in granules) or len({(g[0], g[2]) for g in granules}) != 1:
        return None, "date unknown: it depends on the unknown publication date"
    unit, _, suffix, _ = granules[0]
    offsets = [g[1] for g in granules]
    parts = [g[3] for g in granules]
    mask = _MASKS.get(unit)
    time = _time_words(suffix) if suffix and unit == "day" else ""
    if len(set(offsets)) == 1:  # the same offset under every DCT: it is what the text says
        words = _offset_words(unit, offsets[0])
        if unit == "year" and suffix:
            return f"XXXX-{suffix}", f"{_SEASON_NAMES[suffix]} of {words[4:]}"
        if time:
            joint = "on" if time[:1].isdigit() else "of"
            return f"XXXX-XX-XX{suffix}", f"{time} {joint} {words}"
        return mask, words
    low, high = min(offsets) * _UNIT_DAYS[unit], max(offsets) * _UNIT_DAYS[unit]
    window = _window_words(low, high)
    if unit == "day":
        days = parts
        first = days[0]
        if len({(d.month, d.day) for d in days}) == 1:
            value, what = f"XXXX-{first.month:02d}-{first.day:02d}", _spoken_day(first)
        elif len({d.isoweekday() for d in days}) == 1:
            weekday = lexicon().weekday_names[first.isoweekday() - 1]
            value, what = f"XXXX-WXX-{first.isoweekday()}", weekday
        elif len({d.month for d in days}) == 1:
            month = lexicon().month_names[first.month - 1]
            value, what = f"XXXX-{first.month:02d}-XX", f"a day in {month}"
        else:
            value, what = "XXXX-XX-XX", "a day"
        what = f"{what} {time}" if time else what
        return value + suffix, f"{what}, {window}"
    if unit == "month" and len(set(parts)) == 1:
        return f"XXXX-{parts[0]:02d}", f"{lexicon().month_names[parts[0] - 1]}, {window}"
    if unit in ("quarter", "half") and len(set(parts)) == 1:
        letter = "Q" if unit == "quarter" else "H"
        what = f"the {_ORDINAL_NAMES[parts[0]]} {_UNIT_NAMES[unit][0]}"
        return f"XXXX-{letter}{parts[0]}", f"{what}, {window}"
    if unit == "year" and suffix:
        return f"XXXX-{suffix}", f"{_SEASON_NAMES[suffix]}, {window}"
    return mask, f"the {_UNIT_NAMES[unit][0]}, {window}"
