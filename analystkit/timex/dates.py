"""Handlers (:mod:`analystkit.timex.handlers`) of calendar dates: numeric and written
dates, months, years, decades, centuries, quarters, seasons and holidays; where a month or
day without a year falls.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from .context import (
    _Context,
    _need_dct,
    _ref_date,
    _ref_year,
    _ref_year_text,
    _Reject,
    _Result,
    _sentence_initial,
)
from .rules import compiled, lexicon
from .tense import _SENT_END
from .values import _as_date, _day, _number, _shifted, _spoken_day, _week, _year_of

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc

_QUANTITY_AFTER = re.compile(
    r"\s*(?:[-–]\s*)?(?:percent|pct|per\s+cent|dollars?|dlrs|tonnes|tons?|shares|barrels|bags"
    r"|people|workers|employees|troops|soldiers|units|miles|feet|acres|kilometers|km|kg|pounds"
    r"|ounces|meters|metres|cars|vehicles|homes|jobs|members|votes|points|cents|yen|marks"
    r"|francs|lire|guilders|stg|mln|billion|million|bln|to\s+\d)\b",
    re.IGNORECASE)
_QUANTITY_BEFORE = re.compile(
    r"(?:\$|\bdlrs\s*|\bUS\$|#|\bto\s|\bfrom\s+\d[\d,.]*\s+to\s|\babout\s|\bsome\s|\bnearly\s"
    r"|\bapproximately\s|\bover\s|\bthan\s|\bNo\.\s?|\bnumber\s|\bflight\s"
    r"|\broute\s|\bRoom\s|\bpage\s|\bRule\s|\bSection\s|\bcode\s|[+-]|\d\s)\s*$",
    re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:in|on|of|since|until|till|by|from|through|to|before|after|during|last|next|this"
    r"|early|late|mid|end|beginning|start|around|for|between|and|or|at|into|with|that"
    r"|the|each|every|as|than)\s+|mid-|,\s*)$", re.IGNORECASE)


# tense of its clause: (lowest, highest]. Past-tense news still announce dates a few weeks
# ahead ("directors declared a dividend payable Dec. 7"), hence the margin after the DCT.
_MONTH_WINDOWS = {"past": (-10.0, 2.0), "future": (-1.5, 10.5), None: (-8.0, 4.0),
                  "deadline": (-3.0, 9.0)}
_DEADLINE_BEFORE = re.compile(r"\b(?:until|till|through|effective|payable|by|before|to)\s+"
                              r"(?:(?:early|late|mid)[- ]?\s*)?$", re.IGNORECASE)


def _month_year(ctx: _Context, month: int, start: int, end: int, rel: str | None,
                day: int = 15) -> int:
    dct = _need_dct(ctx)
    if rel in ("last", "past"):  # "last February" said in March: not the month just gone
        return dct.year if month < dct.month - 1 else dct.year - 1
    if rel in ("next", "coming"):
        return dct.year if month > dct.month else dct.year + 1
    if rel == "this":
        return dct.year
    tense = ctx.tense(start, end)
    if _DEADLINE_BEFORE.search(ctx.text, max(0, start - 12), start) and tense != "future":
        tense = "deadline"  # "payable Dec. 7", "through Sept. 29": near, mostly ahead
    low, high = _MONTH_WINDOWS.get(tense, _MONTH_WINDOWS[None])
    here = dct.month + (dct.day - 1) / 31
    best = dct.year
    for year in (dct.year, dct.year - 1, dct.year + 1):
        offset = (year - dct.year) * 12 + month + (day - 1) / 31 - here
        if low < offset <= high:
            return year
        if abs(offset) < abs((best - dct.year) * 12 + month + (day - 1) / 31 - here):
            best = year
    return best


def _weekday_date(ctx: _Context, weekday: int, start: int, end: int,
                  rel: str | None) -> _dt.date:
    dct = _need_dct(ctx)
    back = (dct.isoweekday() - weekday) % 7
    forward = (weekday - dct.isoweekday()) % 7
    if rel in ("last", "past", "previous"):
        return dct - _dt.timedelta(days=back or 7)
    if rel in ("next", "coming", "following"):
        return dct + _dt.timedelta(days=forward or 7)
    if rel == "this":
        return dct + _dt.timedelta(days=weekday - dct.isoweekday())
    tense = ctx.tense(start, end)
    if tense != "past" and _DEADLINE_BEFORE.search(ctx.text, max(0, start - 12), start):
        tense = "future"  # "until Tuesday", "by Friday"
    elif tense != "future" and ctx.text.startswith(("'s", "’s"), end):
        tense = "past"  # "Friday's vote": news name past events by their day
    if tense == "past":
        return dct - _dt.timedelta(days=back)
    if tense == "future":
        return dct + _dt.timedelta(days=forward)
    if forward < back:
        return dct + _dt.timedelta(days=forward)
    return dct - _dt.timedelta(days=back)


def _valid_day(year: int, month: int, day: int) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError as exc:
        raise _Reject from exc


def _h_iso(m: re.Match, ctx: _Context) -> _Result:
    d = _valid_day(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["hh"]:
        return "TIME", f"{_day(d)}T{m['hh']}:{m['mi']}", False
    return "DATE", _day(d), False


def _h_slash(m: re.Match, ctx: _Context) -> _Result:
    first, second = int(m["m"]), int(m["d"] or m["d2"])
    year = _year_of(m["y"] or m["y2"])
    readings = {}
    for order, (month, day) in (("mdy", (first, second)), ("dmy", (second, first))):
        try:
            readings[order] = _dt.date(year, month, day)
        except ValueError:
            continue
    if not readings:
        raise _Reject
    if len(set(readings.values())) == 1:  # one reading only, or "05/05/2004"
        return "DATE", _day(next(iter(readings.values()))), False
    if ctx.date_order in readings:
        return "DATE", _day(readings[ctx.date_order]), False
    # Day-month order unknown in this document: the year is all that is sure.
    mdy, dmy = readings["mdy"], readings["dmy"]
    ctx.notes[m.start()] = (f"{_spoken_day(dmy)} or {_spoken_day(mdy)} {year} "
                            "(day-month order unknown)")
    return "DATE", f"{year:04d}-XX-XX", False





_NUMERIC_DATE = re.compile(r"(?<![\w./-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|(?<=/)\d\d)"
                           r"(?![\d/]|[.-]\d)")


def numeric_date_order(text: str, *, dct: _dt.date | None = None,
                       hint: str | None = None) -> tuple[str | None, str]:
    """Whether the numeric dates of a document are day-first or month-first, and why.

    Evidence, strongest first: a numeric date that matches the DCT in one reading only
    ("02/12/2004" in a document dated 2004-12-02); numeric dates elsewhere in the text that
    only one order can read ("25/12/2004", "12/25/2004"); the outlet's convention
    (``hint``, e.g. from the site's country). When the evidence disagrees or there is none,
    the order stays unknown and ambiguous dates keep only their year.

    Args:
        text: The document text.
        dct: The document's reference date, if known.
        hint: ``"dmy"`` or ``"mdy"`` from what is known of the outlet, or None.

    Returns:
        ``(order, evidence)``: ``"dmy"``, ``"mdy"`` or None, and the evidence in words.

    Example:
        >>> numeric_date_order("On 25/12/2004 and 02/01/2005.")
        ('dmy', "unambiguous date '25/12/2004'")
    """
    dct = _as_date(dct)
    matched: dict[str, str] = {}
    unambiguous: dict[str, str] = {}
    for match in _NUMERIC_DATE.finditer(text):
        first, second, year = int(match[1]), int(match[3]), _year_of(match[4])
        readings = {order: (year, month, day) for order, (month, day)
                    in (("mdy", (first, second)), ("dmy", (second, first)))
                    if 1 <= month <= 12 and 1 <= day <= 31}
        if len(readings) == 1:
            unambiguous.setdefault(next(iter(readings)), match[0])
        elif dct is not None and first != second:
            for order, ymd in readings.items():
                if ymd == (dct.year, dct.month, dct.day):
                    matched.setdefault(order, match[0])
    if len(matched) == 1:
        order, example = next(iter(matched.items()))
        return order, f"'{example}' is the reference date"
    if len(unambiguous) == 1:
        order, example = next(iter(unambiguous.items()))
        return order, f"unambiguous date '{example}'"
    if len(unambiguous) > 1:
        return None, "conflicting numeric dates: " + " and ".join(
            f"'{v}'" for v in unambiguous.values())
    if hint in ("dmy", "mdy"):
        return hint, "the outlet's convention"
    return None, "no evidence"


def _month_number(word: str) -> int:
    return lexicon().months[word.lower().rstrip(".")]


# Patterns naming fragments of rules.toml, compiled on first use (:func:`compiled`).
_WEEKDAY_BEFORE = r"({weekday}),?\s+$"
_DATE_AFTER = (r",?\s+(?:the\s+)?(?:({month})\s*([0-3]?\d)(?!\d)|([0-3]?\d)"
               r"(?:st|nd|rd|th)?\s+(?:of\s+)?({month}))")


def _h_mdy(m: re.Match, ctx: _Context) -> _Result:
    month = _month_number(m["mon"])
    if "dw" in m.re.groupindex:  # "payable April one", "on March nine."
        day = int(_number(m["dw"]) or 0)
    else:
        day = int(m["d"])
    if "y" not in m.re.groupindex:
        return _h_mdy_year(m, ctx, month, day, None)
    return _h_mdy_year(m, ctx, month, day, m["y"])


def _h_mdy_year(m: re.Match, ctx: _Context, month: int, day: int,
                year_text: str | None) -> _Result:
    if not 1 <= day <= 31:
        raise _Reject
    if year_text:
        return "DATE", _day(_valid_day(int(year_text), month, day)), False
    named = m["wd"] if "wd" in m.re.groupindex else None  # "Friday, Aug. 7" in the span
    before = None if named else compiled(_WEEKDAY_BEFORE).search(
        ctx.text, max(0, m.start() - 14), m.start())
    if (named or before) and ctx.dct is not None:
        # "Friday, Aug. 7": the year in which that day is that weekday, nearest the DCT
        weekday = lexicon().weekdays[(named or before.group(1)).lower().rstrip(".")]
        for year in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1):
            try:
                if _dt.date(year, month, day).isoweekday() == weekday:
                    return "DATE", _day(_dt.date(year, month, day)), True
            except ValueError:
                continue
    year = _month_year(ctx, month, m.start(), m.end(), None, day)
    if month == 2 and day == 29:
        while not _is_leap(year):
            year -= 1
    return "DATE", _day(_valid_day(year, month, day)), True


def _h_dmyy(m: re.Match, ctx: _Context) -> _Result:
    day = _valid_day(_year_of(m["yy"]), _month_number(m["mon"]), int(m["d"]))
    return "DATE", _day(day), False


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _h_my(m: re.Match, ctx: _Context) -> _Result:
    month = _month_number(m["mon"])
    if int(m["y"]) < 1900 and not m["mod"] and not _OLD_YEAR_BEFORE.search(
            ctx.text, max(0, m.start() - 25), m.start()):
        raise _Reject  # "Jul 1195 BID": a price in a table; an old date needs "in May 1215"
    return "DATE", f"{int(m['y']):04d}-{month:02d}", False


def _h_month(m: re.Match, ctx: _Context) -> _Result:
    word = m["mon"]
    month = _month_number(word)
    if word.lower() in ("may", "march") and not (m["mod"] or m["rel"] or m["rel2"]):
        before = ctx.text[max(0, m.start() - 20):m.start()]
        if not _PREPOSITION_BEFORE.search(before):
            raise _Reject
    if word.lower() in ("may", "march", "august", "june", "april") and not (m["rel"] or m["mod"]):
        after = ctx.text[m.end():m.end() + 20]
        if re.match(r"\s+[A-Z][a-z]", after) and not m["rel2"]:
            raise _Reject  # "April Glaspie", "June Smith"
    if m["rel2"]:
        dct = _need_dct(ctx)
        year = dct.year + {"last": -1, "this": 0, "next": 1}[m["rel2"].lower()]
    else:
        rel = m["rel"].lower() if m["rel"] else None
        year = _month_year(ctx, month, m.start("mon"), m.end(), rel)
    return "DATE", f"{year:04d}-{month:02d}", True


def _h_year(m: re.Match, ctx: _Context) -> _Result:
    year = int(m["y"])
    pre = (m["pre"] or "").lower()
    if not pre:
        if not 1000 <= year <= 2099:
            raise _Reject
        before = ctx.text[max(0, m.start() - 25):m.start()]
        after = ctx.text[m.end():m.end() + 25]
        if _QUANTITY_BEFORE.search(before) and not re.search(
                r"(?:\b(?:since|in|of|from|until|by|before|after|during|through|to|between)"
                r"\s*)$", before, re.IGNORECASE):
            raise _Reject
        if _QUANTITY_AFTER.match(after):
            raise _Reject
        if re.match(r"\s*(?:[ap]\.?m\b|hours?\b|hrs\b|GMT|EST|EDT|(?:[A-Z][a-z]+\s+){1,2}time\b)",
                    after, re.IGNORECASE):
            raise _Reject  # a clock time: "by 1000 London time"
        if _CLOCK_RANGE_AFTER.match(after):
            raise _Reject  # "from 1115 to 1300 local time", "between 1700 and 2100 hrs"
        if _in_table_row(ctx.text, m.start("y"), m.end("y")):
            raise _Reject  # "MAY7  1922L  1925H  1934": a cell of a price table
        if (re.match(r"[ \t]*[-–]?[ \t]*\d", after) and not _COUNT_AFTER_YEAR.match(after)) \
                or re.search(r"\d[ \t]*[-–]?[ \t]*$", before):
            raise _Reject  # a run of digit groups: a phone number ("1800 100 188"), an id
        if re.match(r"[ \t]+[A-Z]{1,3}\d+\b", after):
            raise _Reject  # a designation: the asteroid "2004 MN4"
        name = re.search(r"\b([A-Z][\w&+.-]*) $", before)
        if name and not _may_precede_a_year(name.group(1)) and not _sentence_initial(
                ctx.text, m.start() - len(name.group(0))):
            raise _Reject  # a name, not a date: "Windows 2000", "Asteroid 2004 MN4"
        if year < 1900 and not _OLD_YEAR_BEFORE.search(before):
            raise _Reject  # an old year needs a preposition: "in 1812", not "1500 troops"
        if ctx.doc is not None and not re.search(
                r"\b(?:the|a|an|its|his|her|their|our|this|that)\s+$|['’]s\s+$", before,
                re.IGNORECASE) and _is_quantity_token(ctx.doc, m.start("y"), m.end("y")):
            raise _Reject
    return "DATE", f"{year:04d}", False


# A range of clock times, or a clock time in another zone: "1115 to 1300 local time",
# "1700-2100 hrs", "1500 (1400 GMT)".
_CLOCK_RANGE_AFTER = re.compile(
    r"\s*(?:(?:to|and|until|till|[-–])\s*|\(\s*)(?:[01]\d|2[0-4])[0-5]\d\s*(?:hrs\b|hours\b"
    r"|gmt\b|utc\b|e[sd]t\b|local\s+time\b|[ap]\.?m\b)", re.IGNORECASE)
_CELL = re.compile(r"\S*\d\S*")
_WORD = re.compile(r"[a-z]{3,}")
_LETTERS = re.compile(r"\b[^\W\d_]+\b")


def _in_table_row(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a cell of a table's row: its line holds two other
    numbers or more, no lower-case word of three letters or more and at most two words per
    number (a row of prices, not a heading or a line of prose)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[line_start:start] + " " + text[end:len(text) if line_end < 0 else line_end]
    cells = len(_CELL.findall(rest))
    return cells >= 2 and not _WORD.search(rest) and len(_LETTERS.findall(rest)) <= 2 * cells


# Capitalised words that may stand right before a year ("In 1998"); after any other
# capitalised word a four-digit number is part of a name ("SQL Server 2005", "Copyright 2004").
_WORDS_BEFORE_A_YEAR = frozenset(
    "in since for by from until till through throughout during before after of that this and "
    "or to between late early mid end fiscal fy calendar model year the about around circa "
    "on at as than last next early until ending ended".split())
# "1986 12 mths", "a 1972 20-year issue": a year, then a count of time.
_COUNT_AFTER_YEAR = re.compile(r"\s+\d+(?:\.\d+)?[- ]?(?:mths?|months?|weeks?|wks?|days?|yrs?"
                               r"|years?|qtrs?|quarters?|pct|percent)\b", re.IGNORECASE)


def _may_precede_a_year(word: str) -> bool:
    """Whether a capitalised ``word`` right before a number leaves it a year: a preposition,
    a month, an abbreviation ("U.S. 1987 total", "Inc. 1985"), a heading word ("QUOTA
    1987") or a nationality ("French 1986/87 wheat"); not a name ("Windows 2000")."""
    lower = word.lower().rstrip(".")
    words = lexicon()
    return (lower in _WORDS_BEFORE_A_YEAR or lower in words.months or lower in words.weekdays
            or word.endswith(".") or (word.isupper() and len(word) >= 4)
            or re.search(r"(?:an|ese|ish|ch|i|ic)$", word) is not None)


# Before 1900, a year is a year only after a preposition ("in 1812", "the War of 1812") or as
# the end of a range of years ("from 1848 to 1850"); most such numbers are counts.
_OLD_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|from|until|till|by|before|after|during|of|between|around|circa|c\.)"
    r"|\b1[0-9]\d\d\s*(?:and|to|[-–]))\s*$", re.IGNORECASE)

_TIME_NOUNS = frozenset(
    "year years season quarter half period budget election elections campaign war crisis "
    "olympics games level levels figure figures total rate rates average results period".split())


def _is_quantity_token(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    if token.dep_ == "nummod" and token.head.tag_ == "NNS" and token.head.i > token.i:
        return token.head.lower_ not in _TIME_NOUNS
    return False


def _h_spokenyear(m: re.Match, ctx: _Context) -> _Result:
    if m["millennium"] is not None:
        year = 2000 + (lexicon().number_words[m["small"].lower()] if m["small"] else 0)
    elif m["teen"]:
        year = 1900 + lexicon().number_words[m["teen"].lower()]
    else:
        year = 1900 + lexicon().number_words[m["tens"].lower()] + (
            lexicon().number_words[m["units"].lower()] if m["units"] else 0)
    return "DATE", f"{year:04d}", False


def _h_yearend(m: re.Match, ctx: _Context) -> _Result:
    word = " ".join(m["w"].lower().split())
    after = ctx.text[m.end():m.end() + 14]
    ending = re.match(r"\s+(?:ended|ending|ends|to\s+(?-i:[A-Z]))\b", after)
    if word.startswith("the week"):
        if word == "the weekend":
            dct = _need_dct(ctx)
            tense = ctx.tense(m.start(), m.end())
            if dct.isoweekday() >= 6:
                k = 0
            elif tense == "future" or (tense != "past" and dct.isoweekday() >= 4):
                k = 0  # Thursday or Friday: the coming weekend is the nearer one
            else:
                k = -1
            return "DATE", _shifted(dct, "weekend", k), True
        if ending:
            return "DURATION", "P1W", False
        base = _ref_date(ctx, m.start()) or _need_dct(ctx)
        return "DATE", _week(base), True
    if m["part"]:
        base = _ref_date(ctx, m.start()) or _need_dct(ctx)
        return "TIME", f"{_day(base)}T{lexicon().day_parts[m['part'].lower()]}", True
    if ending and (m["full"] or word == "the year"):
        return "DURATION", "P1Y", False
    if word == "the year" and re.match(r"\s+(?:earlier|before|ago|previous|prior)\b", after):
        year = _ref_year(ctx, m.start()) or _need_dct(ctx).year
        return "DATE", f"{year - 1:04d}", True  # "the year earlier period"
    year = _ref_year(ctx, m.start()) if word == "the year" else None
    if year is None:
        dct = _need_dct(ctx)
        year = dct.year
        if m["full"] and "previous" in m["full"].lower():
            year -= 1
        if m["full"] and "latest" in m["full"].lower():
            year -= ctx.tense(m.start(), m.end()) == "past"
    if m["unit"]:
        unit = m["unit"].lower()
        if unit == "year":
            return "DATE", f"{year:04d}", True
        return "DATE", _shifted(_need_dct(ctx), unit, 0), True
    if word.startswith("year") and ctx.tense(m.start(), m.end()) == "past" and re.search(
            r"\bsince\s+$", ctx.text[max(0, m.start() - 8):m.start()]):
        year -= 1
    return "DATE", f"{year:04d}", True


def _h_spokendecade(m: re.Match, ctx: _Context) -> _Result:
    return "DATE", f"19{lexicon().decade_words[m['tens'].lower()] // 10}", False


def _h_decade(m: re.Match, ctx: _Context) -> _Result:
    if m["c"]:
        if m["d"] == "0" and m["c"] != "20":
            # "the (late) 1800s" is the century 1800-1899 (TIMEX3 "18"), not the decade
            # 1800-1809; "the 2000s" is read as the decade 2000-2009, as news mostly mean it
            return "DATE", m["c"], False
        return "DATE", f"{m['c']}{m['d']}", False
    digit = int(m["d2"])
    century = 19 if digit >= 2 else 20
    return "DATE", f"{century}{digit}", False


def _h_century(m: re.Match, ctx: _Context) -> _Result:
    n = int(m["n"]) if m["n"] else lexicon().ordinals[m["w"].lower()]
    if not 1 <= n <= 30:
        raise _Reject
    return "DATE", f"{n - 1:02d}", False


def _quarter_year(ctx: _Context, q: int, start: int, end: int) -> int:
    dct = _need_dct(ctx)
    current = (dct.month - 1) // 3 + 1
    if q <= current:
        return dct.year
    return dct.year - 1 if ctx.tense(start, end) == "past" else dct.year


# "the second half of a two-week period" is no half-year ("the first half of the year" is).
_OF_NOT_A_YEAR = re.compile(r"\s+of\s+(?:a|an|the|its|his|her|their|this|that)\s+"
                            r"(?!(?:fiscal\s+|calendar\s+)?year\b)", re.IGNORECASE)


def _h_quarter(m: re.Match, ctx: _Context) -> _Result:
    unit = m["unit"].lower()
    if m["ord"].lower() in ("last", "final"):
        if not (m["y1"] or m["y2"]):
            raise _Reject  # "the last quarter": the previous one (rule qrel)
        n = 2 if unit == "half" else 4  # "the last half of 1989"
    else:
        n = lexicon().ordinals[m["ord"].lower()]
    if unit == "period":
        if m["ord"].lower() not in ("first", "second", "third", "fourth"):
            raise _Reject
        unit = "quarter"
    if unit == "qtr":
        unit = "quarter"
    if unit == "half" and n > 2:
        raise _Reject
    letter = "Q" if unit == "quarter" else "H"
    if not (m["y1"] or m["y2"]) and _OF_NOT_A_YEAR.match(ctx.text, m.end()):
        raise _Reject  # "the second half of a two-week period"
    year_text = m["y1"] or m["y2"]
    pre = (m["pre"] or "").lower()
    anchored = False
    if year_text:
        year = int(year_text)
    elif m["yr"] or m["ly"]:
        anchored = True
        year = _need_dct(ctx).year + {"last": -1, "this": 0, "next": 1}[
            (m["yr"] or m["ly"]).lower()]
    else:
        anchored = True
        if ctx.ref and ctx.ref_explicit and len(ctx.ref) == 4 and 0 <= m.start() - ctx.ref_end \
                < 80 and not _SENT_END.search(ctx.text, ctx.ref_end, m.start()):
            year = int(ctx.ref)  # "In 1984, third-quarter profit rose"
        elif letter == "Q":
            year = _quarter_year(ctx, n, m.start(), m.end())
        else:
            dct = _need_dct(ctx)
            year = dct.year if n <= (dct.month - 1) // 6 + 1 else dct.year - 1
        if pre in ("year-ago", "year-earlier", "year-before", "prior-year", "previous-year"):
            year -= 1
        the = (m["the"] or "").lower()
        if the == "last" and not pre:
            year -= 1
        elif the == "next":
            year += 1
    return "DATE", f"{year:04d}-{letter}{n}", anchored


def _h_qrel(m: re.Match, ctx: _Context) -> _Result:
    dct = _need_dct(ctx)
    unit = m["unit"].lower()
    pre = " ".join((m["pre"] or "").lower().split())
    the = (m["the"] or "").lower()
    if unit == "period" and pre not in ("latest", "year-ago", "year-earlier", "year-before",
                                        "prior-year", "same", "comparable", "just-ended",
                                        "corresponding") and not (m["yr"] or m["y1"]):
        raise _Reject
    if unit == "half":
        if pre not in ("first", "second") or _OF_NOT_A_YEAR.match(ctx.text, m.end()):
            raise _Reject  # "the second half of a two-week period", "the first half of it"
        value = f"{dct.year:04d}-H{1 if pre == 'first' else 2}"
        return "DATE", value, True
    if pre in ("first", "second"):
        raise _Reject
    if the == "this" or pre == "current":
        base = _shifted(dct, "quarter", 0)
    elif the == "next":
        base = _shifted(dct, "quarter", 1)
    elif ctx.ref and re.fullmatch(r"\d{4}-Q[1-4]", ctx.ref) and ctx.ref_end > m.start() - 600:
        base = ctx.ref
    elif unit == "period" and m["ly"]:  # no quarter in sight: "the same period last year"
        base = _ref_year_text(ctx, m.start()) or f"{dct.year:04d}"
    else:
        base = _shifted(dct, "quarter", -1)
    if the == "last" and not pre:
        base = _shifted(dct, "quarter", -1)
    if pre in ("year-ago", "year-earlier", "year-before", "prior-year", "comparable") or m["ly"]:
        base = f"{int(base[:4]) - 1:04d}{base[4:]}"
    if m["yr"]:
        base = f"{dct.year + {'last': -1, 'this': 0, 'next': 1}[m['yr'].lower()]:04d}{base[4:]}"
    elif m["y1"]:
        base = f"{int(m['y1']):04d}{base[4:]}"
    return "DATE", base, True


def _season_year(ctx: _Context, season: str, rel: str | None, start: int, end: int) -> int:
    dct = _need_dct(ctx)
    current = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU",
               9: "FA", 10: "FA", 11: "FA"}[dct.month]
    order = ["WI", "SP", "SU", "FA"]
    year = dct.year
    # December's winter comes after this year's fall; January's before its spring
    here = 4 if dct.month == 12 else order.index(current)
    there = order.index(season)
    if rel in ("last", "past"):
        return year if there < here else year - 1
    if rel in ("next", "coming"):
        return year if there > here else year + 1
    if rel == "this":
        return year
    tense = ctx.tense(start, end)
    if tense == "past":
        return year if there <= here else year - 1
    if tense == "future":
        return year if there >= here else year + 1
    return year


def _h_season(m: re.Match, ctx: _Context) -> _Result:
    season = lexicon().seasons[m["s"].lower()]
    rel = m["rel"].lower() if m["rel"] else None
    if m["s"].lower() == "fall" and not (m["y"] or (rel and rel != "the") or m["mod"]):
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not (rel == "the" and re.search(r"\b(?:in|by|until|since|during|through|this|last"
                                           r"|next|early|late)\s+$", before, re.IGNORECASE)):
            raise _Reject
    if not (m["y"] or rel or m["mod"]):
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|by|until|since|during|through|over|for)\s+$", before,
                         re.IGNORECASE):
            raise _Reject
    if rel == "the" and not m["y"]:
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|by|until|since|during|through|over|for)\s+$", before,
                         re.IGNORECASE):
            raise _Reject
        rel = None
    if m["y"]:
        return "DATE", f"{int(m['y']):04d}-{season}", False
    return "DATE", f"{_season_year(ctx, season, rel, m.start(), m.end()):04d}-{season}", True


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> _dt.date:
    first = _dt.date(year, month, 1)
    offset = (weekday - first.isoweekday()) % 7
    if n > 0:
        return first + _dt.timedelta(days=offset + 7 * (n - 1))
    last = _dt.date(year + (month == 12), month % 12 + 1, 1) - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _easter(year: int) -> _dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return _dt.date(year, month, day + 1)


def _holiday(name: str, year: int) -> _dt.date:
    """The day of the holiday ``name`` (as matched) in ``year`` (``lists.toml``)."""
    day = lexicon().holidays[" ".join(name.replace("’", "'").split())]
    if day == "easter":
        return _easter(year)
    if isinstance(day, str):
        month, day_of_month = (int(part) for part in day.split("-"))
        return _dt.date(year, month, day_of_month)
    month, weekday, n, *later = day
    return _nth_weekday(year, month, weekday, n) + _dt.timedelta(days=sum(later))


def _h_holiday(m: re.Match, ctx: _Context) -> _Result:
    if m["y"]:
        return "DATE", _day(_holiday(m["name"], int(m["y"]))), False
    dct = _need_dct(ctx)
    tense = ctx.tense(m.start(), m.end())
    candidates = [_holiday(m["name"], y) for y in (dct.year - 1, dct.year, dct.year + 1)]
    if tense == "past":
        chosen = max(d for d in candidates if d <= dct)
    elif tense == "future":
        chosen = min(d for d in candidates if d >= dct)
    else:
        chosen = min(candidates, key=lambda d: abs((d - dct).days))
    return "DATE", _day(chosen), True
