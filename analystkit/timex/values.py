"""TIMEX3 values and the Timex record; numbers, durations and calendar arithmetic."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .rules import lexicon

_TIME_PART = (r"T(?:MO|AF|EV|NI|DT|(?:[01]\d|2[0-4]|XX)(?::(?:[0-5]\d|XX)(?::(?:[0-5]\d|60)"
              r"(?:\.\d+)?)?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)")
_DATE_PART = (r"(?:\d{2}|\d{3}|\d{3}X|\d{2}XX"  # century, decade, "199X", "19XX"
              r"|(?:\d{4}|XXXX)(?:-(?:(?:0[1-9]|1[0-2]|XX)(?:-(?:0[1-9]|[12]\d|3[01]|XX))?"
              r"|W(?:0[1-9]|[1-4]\d|5[0-3]|XX)(?:-(?:[1-7X]|WE))?"
              r"|Q[1-4X]|H[12X]|SP|SU|FA|WI))?)")
_NUMBER = r"(?:\d+(?:\.\d+)?|X)"
_DURATION = (rf"P(?:(?:{_NUMBER}(?:ML|CE|DE|WE|Y|Q|M|W|D|L|E|C|H))+"
             rf"(?:T(?:{_NUMBER}[HMS])+)?|T(?:{_NUMBER}[HMS])+)")

TIMEX3_VALUE = re.compile(
    rf"(?:PAST_REF|PRESENT_REF|FUTURE_REF|{_DURATION}"
    rf"|{_DATE_PART}(?:{_TIME_PART})?|{_TIME_PART})"
)
"""A syntactically valid TIMEX3 ``value`` (TimeML 1.2.1), matched with ``fullmatch``."""


def is_valid_timex3_value(value: object) -> bool:
    """Whether ``value`` is a syntactically valid TIMEX3 value.

    Args:
        value: Anything; only strings can be valid.

    Returns:
        True for values such as ``"2017-06-06"``, ``"2017-W23"``, ``"P6Y"``, ``"PXD"``,
        ``"PAST_REF"``, ``"XXXX-WXX-2"``, ``"1998-08-07T14:30"``.

    Example:
        >>> is_valid_timex3_value("2017-Q2"), is_valid_timex3_value("2017-13")
        (True, False)
    """
    return isinstance(value, str) and TIMEX3_VALUE.fullmatch(value) is not None


@dataclass(frozen=True)
class Timex:
    """One temporal expression found in a text.

    Attributes:
        start: Character offset of the first character.
        end: Character offset after the last character (``text == source[start:end]``).
        text: The expression as written.
        type: ``"DATE"``, ``"TIME"``, ``"DURATION"`` or ``"SET"``.
        value: The TIMEX3 value (``"2017-06-06"``, ``"P6Y"``, ``"PAST_REF"``...), or None
            when it cannot be computed (a relative expression without a DCT).
        anchored: True if the value depends on the DCT or on an earlier expression.
        relative: What is known, in words, when the value is only partly known: for a text
            without a DCT, "the day before publication", "Thursday, within a week of the
            unknown publication date" (the value is then underspecified, ``XXXX-XX-XX``,
            ``XXXX-WXX-4``); for a numeric date of unknown day-month order, "2 December or
            12 February 2004". None when the value says it all.
    """

    start: int
    end: int
    text: str
    type: str
    value: str | None
    anchored: bool
    relative: str | None = None


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _number(text: str) -> float | None:
    """Value of a number phrase ("three", "24", "twenty-four", "2 1/2"), None if vague."""
    words = text.lower().replace("½", " 1/2").replace("-", " ").replace(",", "").split()
    if not words or words[0] in ("several", "many", "some", "few", "dozens", "hundreds",
                                 "thousands") or words[:2] == ["a", "few"]:
        return None
    if words[0] in ("a", "an", "one") and words[1:2] in (["dozen"], ["hundred"]):
        words = words[1:]
    if words[0] == "half" or words[:2] == ["a", "half"]:
        return 0.5
    if "couple" in words[:2]:
        return 2.0
    rest: list[str] = []
    if _DIGITS.fullmatch(words[0]):
        total, rest = float(words[0]), words[1:]
    else:
        total = 0.0
        for i, word in enumerate(words):
            if word not in lexicon().number_words:
                rest = words[i:]
                break
            n = lexicon().number_words[word]
            total = total * n if n == 100 and total else total + n
    if rest[:1] == ["1/2"] or "half" in rest:
        total += 0.5
    return total


def _fmt_number(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration for ``n`` units (None: vague), e.g. (6, "year") -> "P6Y"."""
    unit = _unit_key(unit)
    letter, timeish = lexicon().units.get(unit, ("D", False))
    if unit == "fortnight":
        n = None if n is None else 2 * n
    if unit in ("decade", "century", "millennium") and n is not None:
        n, letter = n * {"decade": 10, "century": 100, "millennium": 1000}[unit], "Y"
    if unit == "weekend":
        letter = "WE"
    if n is None:
        return f"PTX{letter}" if timeish else f"PX{letter}"
    if not float(n).is_integer():
        whole = int(n)
        if letter in ("H", "M") and timeish:  # 1.5 hours -> PT1H30M, 1.5 minutes -> PT1M30S
            part = round((n - whole) * 60)
            smaller = "M" if letter == "H" else "S"
            return f"PT{whole}{letter}{part}{smaller}" if whole else f"PT{part}{smaller}"
        if letter == "D":
            part = round((n - whole) * 24)
            return f"P{whole}DT{part}H" if whole else f"PT{part}H"
        if letter == "Y":
            part = round((n - whole) * 12)
            return f"P{whole}Y{part}M" if whole else f"P{part}M"
        if letter == "W":
            return f"P{round(n * 7)}D"
    text = _fmt_number(n)
    return f"PT{text}{letter}" if timeish else f"P{text}{letter}"


def _unit_key(unit: str) -> str:
    unit = unit.lower()
    for key in ("centur", "millenni"):
        if unit.startswith(key):
            return "century" if key == "centur" else "millennium"
    unit = unit[:-1] if unit.endswith("s") else unit
    return lexicon().unit_aliases.get(unit, unit)


def _day(d: _dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _week(d: _dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + k
    return total // 12, total % 12 + 1


def _shifted(dct: _dt.date, unit: str, k: int) -> str:
    """Value of the ``unit`` (day, week, month, ...) ``k`` units away from the DCT."""
    if unit in ("day", "night"):
        return _day(dct + _dt.timedelta(days=k))
    if unit in ("week", "fortnight"):
        return _week(dct + _dt.timedelta(weeks=k))
    if unit == "weekend":
        return _week(dct + _dt.timedelta(weeks=k)) + "-WE"
    if unit == "month":
        year, month = _add_months(dct.year, dct.month, k)
        return f"{year:04d}-{month:02d}"
    if unit == "quarter":
        year, month = _add_months(dct.year, dct.month, 3 * k)
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if unit == "half":
        year, month = _add_months(dct.year, dct.month, 6 * k)
        return f"{year:04d}-H{(month - 1) // 6 + 1}"
    if unit == "decade":
        return f"{dct.year // 10 + k:03d}"
    if unit == "century":
        return f"{dct.year // 100 + k:02d}"
    return f"{dct.year + k:04d}"


def _year_of(two_or_four: str) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 1900 if year >= 40 else 2000
    return year


def _spoken_day(d: _dt.date) -> str:
    return f"{d.day} {lexicon().month_names[d.month - 1]}"


def _as_date(dct: object) -> _dt.date | None:
    if isinstance(dct, _dt.datetime):
        return dct.date()
    if isinstance(dct, _dt.date):
        return dct
    return None
