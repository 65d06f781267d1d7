"""Handlers (:mod:`analystkit.timex.handlers`) of expressions relative to the DCT or to
the story's last date: "yesterday", "this morning", "Friday", "last month", "that day",
"three years ago", "3 p.m.".
"""

from __future__ import annotations

import datetime as _dt
import re

from .context import (
    _FRAME_BREAKS,
    _UNANCHORED_MASKS,
    _anchor,
    _Context,
    _need_dct,
    _NoDct,
    _NoRef,
    _ref_date,
    _Reject,
    _Result,
    _Unanchored,
    _unanchored,
)
from .dates import _DATE_AFTER, _month_number, _month_year, _valid_day, _weekday_date
from .rules import compiled, lexicon
from .values import _add_months, _day, _duration_value, _number, _shifted, _unit_key


def _h_relday(m: re.Match, ctx: _Context) -> _Result:
    dct = _need_dct(ctx)
    word = m["w"].lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    if m["ba"]:
        offset += -1 if m["ba"].lower() == "before" else 1
    d = dct + _dt.timedelta(days=offset)
    if word == "tonight":
        return "TIME", f"{_day(d)}TNI", True
    if m["part"]:
        return "TIME", f"{_day(d)}T{lexicon().day_parts[m['part'].lower()]}", True
    return "DATE", _day(d), True


def _h_partofday(m: re.Match, ctx: _Context) -> _Result:
    rel = " ".join(m["rel"].lower().split())
    part = lexicon().day_parts[m["part"].lower()]
    if rel in ("that", "the next", "the following", "the previous"):
        base = _ref_date(ctx, m.start())
        if base is None:
            if rel == "that":
                raise _NoRef
            raise _unanchored(ctx, m.start(), "TIME", f"XXXX-XX-XXT{part}")
        base += _dt.timedelta(days={"that": 0, "the next": 1, "the following": 1,
                                    "the previous": -1}[rel])
        return "TIME", f"{_day(base)}T{part}", True
    dct = _need_dct(ctx)
    offset = {"this": 0, "tomorrow": 1, "yesterday": -1, "last": -1}[rel]
    if rel == "last" and part != "NI":
        offset = -1
    return "TIME", f"{_day(dct + _dt.timedelta(days=offset))}T{part}", True


def _h_weekday(m: re.Match, ctx: _Context) -> _Result:
    weekday = lexicon().weekdays[m["wd"].lower().rstrip(".")]
    rel = m["rel"].lower() if m["rel"] else None
    if m["part"] and m.group(0).lower().endswith("s") and not rel:
        value = f"XXXX-WXX-{weekday}T{lexicon().day_parts[m['part'].lower()]}"
        return "SET", value, False
    if ctx.dct is None:
        raise _NoDct
    d = _weekday_date(ctx, weekday, m.start("wd"), m.end("wd"), rel)
    after = compiled(_DATE_AFTER).match(ctx.text, m.end())
    if after and not rel:  # "Friday, Aug. 7": the date that follows names the day
        month = _month_number(after.group(1) or after.group(4))
        day = int(after.group(2) or after.group(3))
        for delta in sorted(range(-371, 372, 7), key=abs):
            candidate = d + _dt.timedelta(days=delta)
            if (candidate.month, candidate.day) == (month, day):
                d = candidate
                break
    if m["part"]:
        return "TIME", f"{_day(d)}T{lexicon().day_parts[m['part'].lower()]}", True
    return "DATE", _day(d), True


def _h_relunit(m: re.Match, ctx: _Context) -> _Result:
    if m["unit"][:1].isupper() and m["rel"][:1].isupper() and not m["unit"].isupper():
        raise _Reject  # a title: ABC's "This Week"
    rel = m["rel"].lower()
    unit = m["unit"].lower()
    if m["the"] and rel in ("previous", "following", "prior") and unit != "weekend" \
            and not m["mod"]:
        base = _ref_date(ctx, m.start())
        k = -1 if rel in ("previous", "prior") else 1
        if base is not None:
            return "DATE", _shifted(base, unit, k), True
        ref = _anchor(ctx, m.start(), breaks=_FRAME_BREAKS.get(unit, 1)) or ""
        if unit == "year" and re.match(r"\d{4}", ref):  # "in 1998 ... the following year"
            return "DATE", f"{int(ref[:4]) + k:04d}", True
        if unit == "month" and re.match(r"\d{4}-\d\d", ref):  # "in March ... the next month"
            year, month = _add_months(int(ref[:4]), int(ref[5:7]), k)
            return "DATE", f"{year:04d}-{month:02d}", True
        if rel == "following":  # no date close before: "the following week" is not "next week"
            raise _unanchored(ctx, m.start(), "DATE", _UNANCHORED_MASKS.get(unit, "XXXX"))
        # "5.6 cts for the previous month", "up from the previous year": before the present
        return "DATE", _shifted(_need_dct(ctx), unit, k), True
    dct = _need_dct(ctx)
    k = {"last": -1, "past": -1, "previous": -1, "prior": -1, "next": 1, "coming": 1,
         "following": 1, "this": 0, "current": 0}[rel]
    if unit == "weekend" and rel in ("this", "current"):
        tense = ctx.tense(m.start(), m.end())
        if tense == "past" and dct.isoweekday() < 6:
            k = -1
    return "DATE", _shifted(dct, unit, k), True


def _h_theunit(m: re.Match, ctx: _Context) -> _Result:
    unit = m["unit"].lower()
    after = ctx.text[m.end():m.end() + 12].lower()
    if unit == "weekend":
        dct = _need_dct(ctx)
        k = -1 if dct.isoweekday() < 6 and ctx.tense(m.start(), m.end()) != "future" else 0
        return "DATE", _shifted(dct, "weekend", k), True
    if re.match(r"\s+(?:ended|ending)", after):
        return "DURATION", _duration_value(1, unit), False
    if unit == "day":
        raise _Reject
    if unit == "year":
        dct = _need_dct(ctx)
        return "DATE", _shifted(dct, unit, 0), True
    raise _Reject


def _h_that(m: re.Match, ctx: _Context) -> _Result:
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    k = {"that": 0, "that same": 0, "the same": 0, "the next": 1, "the following": 1,
         "the previous": -1, "the prior": -1}[rel]
    if rel in ("the same", "that same") and not m["ly"] and re.match(
            r"\s+as\b", ctx.text[m.end():m.end() + 4]):
        # "the same day as the opening game": its anchor is the event named after it
        raise _Unanchored("DATE", _UNANCHORED_MASKS[unit],
                          f"{' '.join(m.group().lower().split())} as the event named after it")
    base = _ref_date(ctx, m.start())
    ref = _anchor(ctx, m.start(), breaks=_FRAME_BREAKS.get(unit, 1))
    if m["ly"] and rel in ("the same", "that same"):  # "the same month last year"
        dct = _need_dct(ctx)
        anchor = base or dct
        if unit == "year":
            return "DATE", f"{dct.year - 1:04d}", True
        if unit == "month" and ref and re.match(r"\d{4}-\d\d", ref):
            return "DATE", f"{int(ref[:4]) - 1:04d}{ref[4:7]}", True
        return "DATE", _shifted(anchor, unit, 0).replace(
            f"{anchor.year:04d}", f"{anchor.year - 1:04d}", 1), True
    if base is None and ref and re.match(r"\d{4}(?:-\d\d(?:-\d\d)?)?$", ref):
        year = int(ref[:4])
        if unit == "year":
            return "DATE", f"{year + k:04d}", True
        if unit == "month" and len(ref) >= 7:
            y, mo = _add_months(year, int(ref[5:7]), k)
            return "DATE", f"{y:04d}-{mo:02d}", True
        if unit == "day" and len(ref) == 7 and k == 0:
            return "DATE", f"{ref}-XX", True
    if base is None:
        if rel in ("that", "that same", "the same"):
            raise _NoRef
        # "the next day" with no date close before: the time it follows is not known (and
        # is not the DCT: "the next day" is not "tomorrow")
        raise _unanchored(ctx, m.start(), "DATE", _UNANCHORED_MASKS[unit])
    return "DATE", _shifted(base, unit, k), True


def _h_ago(m: re.Match, ctx: _Context) -> _Result:
    direction = " ".join(m["dir"].lower().split())
    unit = _unit_key(m["unit"])
    n = _number(m["num"])
    if n is not None and (n > 1000 or n > 1 and not re.search(r"(?:s|ia)$", m["unit"],
                                                                re.IGNORECASE)):
        raise _Reject  # "232,000 year ago", "13,700\n WEEK AGO": a table's cells
    direction = {"before": "earlier", "after": "later"}.get(direction, direction)
    if direction in ("earlier", "later") and unit not in ("year", "decade", "century"):
        # TimeML: "three days later" is a duration ("three days"), "a year earlier" a date
        raise _Reject
    if n is None:
        return "DATE", "FUTURE_REF" if direction in ("later", "from now", "hence") else \
            "PAST_REF", False
    sign = -1 if direction in ("ago", "earlier") else 1
    k = int(n) if float(n).is_integer() else round(n)
    if unit in ("second", "minute", "hour"):
        return "DURATION", _duration_value(n, unit), False
    if unit in ("decade", "century", "millennium"):
        k *= {"decade": 10, "century": 100, "millennium": 1000}[unit]
        unit = "year"
    base: _dt.date | None
    if direction in ("earlier", "later"):
        if unit == "year" and ctx.ref and re.fullmatch(r"\d{4}-Q[1-4]", ctx.ref) \
                and ctx.ref_end > m.start() - 400:
            return "DATE", f"{int(ctx.ref[:4]) + sign * k:04d}{ctx.ref[4:]}", True
        base = _ref_date(ctx, m.start()) or _need_dct(ctx)
    else:
        if unit == "year" and ctx.ref and re.fullmatch(r"\d{4}-Q[1-4]", ctx.ref) \
                and ctx.ref_end > m.start() - 400 and k == 1:
            return "DATE", f"{int(ctx.ref[:4]) + sign * k:04d}{ctx.ref[4:]}", True
        base = _need_dct(ctx)
    if unit == "night":
        unit = "day"
    if unit == "quarter":
        return "DATE", _shifted(base, "quarter", sign * k), True
    if unit == "fortnight":
        unit, k = "week", 2 * k
    if unit == "weekend":
        unit = "week"
    return "DATE", _shifted(base, unit, sign * k), True


def _h_yearago(m: re.Match, ctx: _Context) -> _Result:
    what = m["what"].lower()
    if what == "year" and ctx.ref and re.fullmatch(r"\d{4}-Q[1-4]", ctx.ref) \
            and ctx.ref_end > m.start() - 600:
        return "DATE", f"{int(ctx.ref[:4]) - 1:04d}{ctx.ref[4:]}", True
    dct = _need_dct(ctx)
    return "DATE", _shifted(dct, what, -1), True


def _clock_day(ctx: _Context, word: str, start: int, end: int) -> tuple[_dt.date, bool]:
    lower = word.lower().rstrip(".")
    dct = _need_dct(ctx)
    if lower in ("today", "tonight"):
        return dct, True
    if lower == "yesterday":
        return dct - _dt.timedelta(days=1), True
    if lower == "tomorrow":
        return dct + _dt.timedelta(days=1), True
    if lower in lexicon().weekdays:
        return _weekday_date(ctx, lexicon().weekdays[lower], start, end, None), True
    parts = compiled(r"({month})\s*(\d+)").match(word)
    if parts:
        month, day = _month_number(parts.group(1)), int(parts.group(2))
        year = _month_year(ctx, month, start, end, None)
        return _valid_day(year, month, day), True
    return dct, True


def _h_clock(m: re.Match, ctx: _Context) -> _Result:
    if m["word"] and re.search(r"\bhigh\s+$", ctx.text[max(0, m.start() - 6):m.start()],
                               re.IGNORECASE):
        raise _Reject  # "high noon"
    if m["word"]:
        hour, minute = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[
            m["word"].lower()]
        clock = f"{hour:02d}:{minute:02d}"
    elif m["hm"]:
        clock = f"{m['hm']}:{m['mm']}"
    elif m["h24"]:
        clock = f"{int(m['h24']):02d}:{m['mi24']}"
    else:
        hour = int(m["h"])
        if not 1 <= hour <= 12:
            raise _Reject
        pm = m["ap"].lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
        clock = f"{hour:02d}:{m['mi'] or '00'}"
    day_word = m["pre"] or m["post"]
    if day_word:
        word = re.sub(r"(?:\s+(?:morning|afternoon|evening|night))?,?(?:\s+at)?\s*$", "",
                      day_word) if m["pre"] else day_word
        d, anchored = _clock_day(ctx, word.strip(), m.start(), m.end())
    else:
        if ctx.dct is None:
            raise _NoDct
        d, anchored = ctx.dct, True
    ref = _ref_date(ctx, m.start())
    if not day_word and ref is not None:
        d = ref
    if clock == "24:00":
        return "TIME", f"{_day(d)}T24:00", anchored
    return "TIME", f"{_day(d)}T{clock}", anchored


def _h_midpart(m: re.Match, ctx: _Context) -> _Result:
    day = _need_dct(ctx)
    if m["day"]:
        day, _ = _clock_day(ctx, m["day"], m.start("day"), m.end("day"))
    return "TIME", f"{_day(day)}T{lexicon().day_parts[m['part'].lower()]}", True
