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

Example:
    >>> import datetime
    >>> [(t.text, t.value) for t in tag_timexes("He left Friday.", datetime.date(2017, 6, 7))]
    [('Friday', '2017-06-02')]
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is only needed when the caller passes a Doc
    from spacy.tokens import Doc, Token

__all__ = [
    "TIMEX3_VALUE",
    "Timex",
    "is_valid_timex3_value",
    "normalize_timex",
    "numeric_date_order",
    "tag_timexes",
]

# --------------------------------------------------------------------------------------------
# TIMEX3 values
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
             "saturday": 6, "sunday": 7, "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4,
             "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7}
_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {word: n for n, word in enumerate(_SMALL)}
_NUMBER_WORDS.update({word: 20 + 10 * n for n, word in enumerate(_TENS)})
_NUMBER_WORDS.update({"a": 1, "an": 1, "dozen": 12, "hundred": 100, "couple": 2, "half": 0.5})
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
             "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
             "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
             "twenty-first": 21, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                 "tonight": "NI", "overnight": "NI", "nights": "NI", "mornings": "MO",
                 "afternoons": "AF", "evenings": "EV"}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# unit -> (letter in a TIMEX3 duration, whether it belongs after the "T")
_UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "fortnight": ("W", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False),
    "decade": ("DE", False), "century": ("CE", False), "millennium": ("ML", False),
    "weekend": ("WE", False),
}

# --------------------------------------------------------------------------------------------
# Regular-expression building blocks (compiled once, at import)
# --------------------------------------------------------------------------------------------


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_ABBR_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov",
                "Dec"]
_MONTH = (r"(?-i:(?:" + _alt(_FULL_MONTHS + [m.upper() for m in _FULL_MONTHS]) + r")\b"
         r"|(?:" + _alt(_ABBR_MONTHS + [m.upper() for m in _ABBR_MONTHS]) + r")(?:\.|\b(?=\s*\d)))")
_FULL_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY = (r"(?-i:(?:" + _alt(_FULL_DAYS + [d.upper() for d in _FULL_DAYS]) + r")\b"
           r"|(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.)")
_WORD_NUMBER = (rf"(?:(?:{_alt(_TENS)})(?:[- ](?:{_alt(_SMALL[1:10])}))?\b"
                rf"|(?:{_alt(_SMALL)})\b|(?:a\s+|one\s+)?(?:dozen|hundred)\b)")
_NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+1/2|\s*½)?"
       rf"|{_WORD_NUMBER}(?:\s+and\s+a\s+half)?"
       r"|(?:a\s+)?couple\s+of|a\s+few|few|several|many|some|a|an|(?:a\s+)?half\s+an?"
       r"|(?:dozens|hundreds|thousands)\s+of")
_UNIT = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?"
        r"|years?|decades?|centur(?:y|ies)|millenni(?:um|a)|mths?|qtrs?|yrs?|wks?|hrs?)")
# Newswire abbreviations of units ("nine mths", "4th qtr").
_UNIT_ALIASES = {"mth": "month", "qtr": "quarter", "yr": "year", "wk": "week", "hr": "hour"}
_APPROX = (r"(?:about|around|nearly|almost|some|roughly|approximately|more\s+than|less\s+than"
          r"|fewer\s+than|over|under|at\s+least|at\s+most|up\s+to|only|just|barely|a\s+full"
          r"|the\s+better\s+part\s+of|close\s+to|well\s+over|upwards\s+of)")
_B = r"(?<![\w'’/-])"  # start of a word (not inside "pre-war", "'90", "6/8/2017")
_E = r"(?![\w’]|'\w|-\w)"  # end of a word (not followed by letters, "-", "'s" is fine)

# Each rule: name -> regex. Overlaps are resolved longest-first, then by the order below.
_RULE_SOURCES: dict[str, str] = {
    "iso": (rf"{_B}(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)"
            rf"(?:[T ](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?!\d)"),
    "slash": (rf"{_B}(?P<m>\d{{1,2}})(?:/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}|\d\d)(?![\d/])"
              rf"|(?P<sep>[.-])(?P<d2>\d{{1,2}})(?P=sep)(?P<y2>\d{{4}})(?![\d/]|[.-]\d))"),
    "mdy": (rf"{_B}(?:(?P<mod>early|late|mid-?|the\s+end\s+of)\s+)?"
            rf"(?P<mon>{_MONTH})\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|,\d|\.\d)"
            rf"(?:(?:,\s*|\s+)(?P<y>(?:1[0-9]|20)\d\d)(?!\d))?"),
    "mdyword": (rf"{_B}(?P<mon>{_MONTH})\s+(?P<dw>(?:twenty|thirty)"
                rf"(?:[- ](?:{_alt(_SMALL[1:10])}))?|{_alt(_SMALL[1:20])})\b"
                rf"(?=\s*(?:[.,;:)]|to\b|and\b|$))"),
    # "(01 Aug 04 | Business )": a related-links line; a two-digit year before the bar
    "dmyy": rf"{_B}(?P<d>[0-3]\d)\s+(?P<mon>{_MONTH})\s+(?P<yy>\d\d)(?=\s*\|)",
    "dmy": (rf"{_B}(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s*(?P<y>(?:1[0-9]|20)\d\d)(?!\d))?"),
    "my": (rf"{_B}(?:(?P<mod>early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of)\s*)?"
           rf"(?P<mon>{_MONTH})(?:\s+of|,)?\s+(?P<y>(?:1[0-9]|20)\d\d)(?!\d)"),
    "month": (rf"{_B}(?:(?P<mod>(?:early|late|mid)-?|the\s+(?:end|beginning|start|middle)\s+of"
              rf"|(?:since|until|till)\s+(?:(?:early|late|mid)-?)?)\s*)?"
              rf"(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<mon>{_MONTH})"
              rf"(?:\s+(?P<rel2>last|this|next)\s+year)?(?!\s*\d)"),
    "year": (rf"{_B}(?:(?P<pre>(?:the\s+)?(?:fiscal|calendar|financial|model|crop|tax)"
             rf"(?:\s+year)?|(?:the\s+)?year|(?:early|late)|mid-|pre-|post-)\s*)?"
             rf"(?P<y>1[0-9]\d\d|20\d\d)(?:[-/](?P<y2>\d\d))?{_E}(?!\s*%|\.\d|,\d)"),
    "decade": (rf"{_B}(?:the\s+)?(?:(?P<mod>early|mid|late)[- ]?)?"
               rf"(?:(?P<c>1[0-9]|20)(?P<d>\d)0'?s|'(?P<d2>\d)0'?s)\b"),
    "spokendecade": (rf"{_B}the\s+(?:(?P<mod>early|mid|late)[- ]?)?(?P<tens>twenties|thirties"
                     rf"|forties|fifties|sixties|seventies|eighties|nineties)\b"),
    "century": (rf"{_B}(?:the\s+)?(?:(?P<mod>early|mid|late)[- ]?)?"
                rf"(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<w>{_alt(list(_ORDINALS)[:21])}))"
                rf"[- ]century{_E}"),
    "quarter": (rf"{_B}(?:(?P<the>the|this|last|next)\s+)?"
                rf"(?:(?P<yr>this|last|next)\s+year['’]s\s+)?"
                rf"(?:(?P<pre>year-ago|year-earlier|year-before|prior-year|previous-year"
                rf"|same|latest|current|past|previous|final)\s+)?"
                rf"(?:(?P<fy1>fiscal|calendar)\s+)?(?:(?P<y1>(?:19|20)\d\d)\s+)?"
                rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|final)[- ]"
                rf"(?:fiscal[- ])?(?P<unit>quarter|half|period|qtr)s?{_E}"
                rf"(?:(?:\s+of|,)?\s+(?:(?:fiscal|calendar)\s+)?(?P<y2>(?:19|20)\d\d)(?!\d)"
                rf"|\s+(?:of\s+)?(?P<ly>last|this|next)\s+year)?"),
    "qrel": (rf"{_B}(?:(?P<the>the|this|last|next|that)\s+|(?P<yr>this|last|next)\s+year['’]s\s+"
             rf"|the\s+(?P<y1>(?:19|20)\d\d)\s+)"
             rf"(?:(?P<pre>year-ago|year-earlier|year-before|prior-year|latest|current|same|past"
             rf"|previous|recent|most\s+recent|just-ended|just\s+ended|comparable|corresponding"
             rf"|second|first)\s+)?(?:fiscal\s+)?(?P<unit>quarter|period|half)(?!-)\b"
             rf"(?:\s+(?P<ly>last|a)\s+year(?:\s+(?:ago|earlier))?)?"),
    "season": (rf"{_B}(?:(?P<mod>early|late|mid-?)\s*)?(?:(?P<rel>last|next|this|the|past"
               rf"|coming)\s+)?(?P<s>spring|summer|fall|autumn|winter)\b"
               rf"(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)(?!\d))?"),
    "relday": (rf"{_B}(?:(?P<mod>early|late|earlier|later)\s+)?"
               rf"(?:(?:the\s+)?day\s+(?P<ba>before|after)\s+)?"
               rf"(?P<w>today|yesterday|tomorrow|tonight)\b(?!['’]s\s+(?:world|society))"
               rf"(?:\s+(?P<part>morning|afternoon|evening|night))?"),
    "partofday": (rf"{_B}(?:(?P<mod>early|late|earlier|later|mid-?)\s+)?"
                  rf"(?P<rel>this|last|tomorrow|yesterday|that|the\s+next|the\s+following"
                  rf"|the\s+previous)\s+(?P<part>morning|afternoon|evening|night)\b"),
    "weekday": (rf"{_B}(?:(?P<mod>early|late|earlier|later)\s+)?"
                rf"(?:(?:the\s+)?(?P<rel>last|next|this|coming|past|previous|following)\s+)?"
                rf"(?P<wd>{_WEEKDAY})(?!['’]s\s+(?:Child|child))"
                rf"(?:\s+(?P<part>morning|afternoon|evening|night)s?\b)?"),
    "relunit": (rf"{_B}(?:(?P<mod>early|late|earlier|later|mid-?|the\s+(?:end|beginning|start"
                rf"|middle|rest|remainder)\s+of)\s+)?(?P<the>the\s+)?"
                rf"(?P<rel>last|next|this|coming|past|previous|current|following|prior)\s+"
                rf"(?:(?:fiscal|calendar)\s+)?"
                rf"(?P<unit>week|month|year|decade|century|weekend|fortnight)\b(?!-)"),
    "theunit": (rf"{_B}(?P<the>the\s+)(?P<unit>week|month|year|weekend|day)\b(?!-)"
                rf"(?=\s+(?:ended|ending|before|after|earlier|ago|to\s+date)\b|\s*[.,;])"),
    "that": (rf"{_B}(?:(?P<mod>earlier|later)\s+)?(?P<rel>that(?:\s+same)?|the\s+same"
             rf"|the\s+next|the\s+following|the\s+previous|the\s+prior)\s+"
             rf"(?P<unit>day|week|month|year)\b(?!-)"
             rf"(?:\s+(?:of\s+)?(?P<ly>last|a|the\s+previous|the\s+prior)\s+year"
             rf"(?:\s+(?:ago|earlier))?)?"),
    "ago": (rf"{_B}(?:(?P<approx>{_APPROX})\s+)?(?P<num>{_NUM})\s+(?:more\s+)?"
            rf"(?P<unit>{_UNIT})\s+(?P<dir>ago|earlier|later|from\s+now|hence"
            rf"|(?:before|after)(?=\s*(?:[.,;:)]|$)))\b"
            rf"(?!\s+(?:the|a|an|his|her|its|their|he|she|it|they|we|I|you)\b)"),
    "yearago": rf"{_B}(?P<what>year|month|week|day)-(?:ago|earlier)\b",
    "set": (rf"{_B}(?P<q>every|each|per|a)\s+(?:(?P<other>other)\s+)?"
            rf"(?P<unit>second|minute|hour|day|night|week|weekend|month|quarter|year|decade"
            rf"|morning|afternoon|evening|summer|winter|spring|fall|autumn|{_WEEKDAY}"
            rf"|{_MONTH})\b(?!-)"),
    "setadv": rf"{_B}(?P<w>daily|weekly|monthly|yearly|hourly|nightly)\b",
    "duration": (rf"{_B}(?:(?P<the>the\s+)?(?P<rel>first|last|past|next|coming|previous"
                 rf"|following|final|remaining|other|latest|initial|same)\s+)?"
                 rf"(?:(?P<approx>{_APPROX})\s+)?(?P<num>{_NUM})\s+"
                 rf"(?:more\s+|full\s+|straight\s+|consecutive\s+|additional\s+|other\s+"
                 rf"|trading\s+|business\s+|working\s+|calendar\s+|long\s+)?"
                 rf"(?P<unit>{_UNIT})(?P<half>\s+and\s+a\s+half)?{_E}"),
    "durhyph": (rf"{_B}(?:(?P<num>\d+|{_WORD_NUMBER})[- ]|(?P<num2>half|a|several|few|many)-)"
                rf"(?P<unit>second|minute|hour|day|night|week|month|year|decade|century)"
                rf"(?=[- ]\s*[a-z])"),
    "durplain": (rf"{_B}(?:(?P<pre>(?:the\s+)?(?:past|last|next|coming|recent|few|several"
                 rf"|many|the\s+first|the\s+last|the\s+past)|for|within|in|over|after|take"
                 rf"|takes|took)\s+)(?:(?P<q>several|many|few|a\s+few)\s+)?"
                 rf"(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)"
                 rf"\b(?!-)"),
    "decadeslong": (rf"{_B}(?P<unit>decades|years|months|weeks|centuries|day|week|month|year"
                    rf"|hour|night)-long\b"),
    "vague": (rf"{_B}(?P<w>now|nowadays|currently|current|recently|recent|lately|presently"
              rf"|the\s+past|the\s+future"
              rf"|these\s+days|the\s+present|at\s+present|the\s+moment|the\s+time\s+being"
              rf"|so\s+far|to\s+date|the\s+near\s+future|the\s+near\s+term|the\s+long\s+term"
              rf"|the\s+short\s+term|the\s+distant\s+past|the\s+recent\s+past)\b(?!-)"),
    "clock": (rf"{_B}(?:(?P<pre>(?:{_WEEKDAY}|today|tonight|yesterday|tomorrow)"
              rf"(?:\s+(?:morning|afternoon|evening|night))?,?\s+(?:at\s+)?))?"
              rf"(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*"
              rf"(?P<ap>a\.m\b\.?|p\.m\b\.?|am\b|pm\b|A\.M\b\.?|P\.M\b\.?)"
              rf"|(?P<hm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s+(?=GMT|UTC|EST|EDT|CST|CDT|PST|PDT)"
              rf"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?=\s+(?:GMT|UTC|EST|EDT|CST|CDT"
              rf"|PST|PDT|local\s+time|hours|hrs))"
              rf"|(?P<word>noon|midnight|midday))"
              rf"(?:\s*(?P<tz>GMT|UTC|EST|EDT|CST|CDT|PST|PDT)\b)?"
              rf"(?:,?\s+(?:on\s+)?(?P<post>(?:{_WEEKDAY}|today|tonight|yesterday|tomorrow)"
              rf"|{_MONTH}\s*[0-3]?\d(?!\d)))?"),
    "midpart": (rf"{_B}(?P<mod>mid-?\s*|early\s+|late\s+)(?P<part>morning|afternoon|evening)\b"
                rf"(?:\s+(?P<day>yesterday|today|tomorrow|{_WEEKDAY}))?"),
    "holiday": (rf"{_B}(?P<name>(?-i:Christmas|Christmas\s+Day|Christmas\s+Eve"
                rf"|New\s+Year['’]s(?:\s+Day|\s+Eve)?|Thanksgiving(?:\s+Day)?"
                rf"|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween"
                rf"|Valentine['’]s\s+Day|Boxing\s+Day|Easter|Election\s+Day))\b(?!\s+(?-i:[A-Z]))"
                rf"(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?"),
    "spokenyear": (rf"{_B}(?:the\s+year\s+)?(?:nineteen(?:\s+hundred)?\s+(?:and\s+)?"
                   rf"(?P<tens>{_alt(_TENS)})(?:[- ](?P<units>{_alt(_SMALL[1:10])}))?"
                   rf"|nineteen\s+(?P<teen>{_alt(_SMALL[1:20])})(?![- ]\w)"
                   rf"|(?P<millennium>(?<=year\s)two\s+thousand(?:\s+and\s+"
                   rf"(?P<small>{_alt(_SMALL[1:20])}))?))\b"),
    "yearend": (rf"{_B}(?P<w>year[- ]end|year['’]s\s+end|the\s+end\s+of\s+the\s+"
                rf"(?P<unit>year|month|week|quarter)|the\s+(?P<full>full|fiscal|calendar"
                rf"|current\s+fiscal|latest\s+fiscal|previous\s+fiscal|whole|entire)"
                rf"\s+year|the\s+year|the\s+week(?:end)?|the\s+(?P<part>morning|afternoon"
                rf"|evening))\b(?!-)"),
}
_RULES = [(name, re.compile(source, re.IGNORECASE)) for name, source in _RULE_SOURCES.items()]
_RULE_ORDER = {name: i for i, (name, _) in enumerate(_RULES)}

# Speed: a rule only runs near words it cannot match without (its "anchors"). One cheap scan
# finds the anchors; each rule then runs on the merged windows around its anchors, so most of
# a text is never tried by most rules. Every match of a rule contains one of its anchors, at
# most _LEFT characters after the match starts and _RIGHT before it ends (lookarounds included).
_ANCHOR_WORDS: dict[str, tuple[str, ...]] = {}


def _anchor_words(classes: tuple[str, ...], words: str) -> None:
    for word in words.split():
        _ANCHOR_WORDS[word] = _ANCHOR_WORDS.get(word, ()) + classes


_anchor_words(("month",), " ".join(_MONTHS))
_anchor_words(("weekday",), " ".join(_WEEKDAYS))
_anchor_words(("unit",), "second seconds minute minutes hour hours day days night nights week "
                         "weeks weekend weekends fortnight fortnights month months quarter "
                         "quarters year years decade decades century centuries millennium "
                         "millennia mth mths qtr qtrs yr yrs wk wks hr hrs")
_anchor_words(("period",), "quarter quarters half halves period")
_anchor_words(("ago",), "ago earlier later before after hence now")
_anchor_words(("setword",), "every each per")
_anchor_words(("decadeword",), "twenties thirties forties fifties sixties seventies eighties "
                               "nineties")
_anchor_words(("day",), "today yesterday tomorrow tonight morning afternoon evening night "
                        "overnight noon midnight midday spring summer fall autumn winter daily "
                        "weekly monthly yearly hourly nightly nineteen thousand end midmorning "
                        "midafternoon midevening")
_anchor_words(("clock",), "am pm gmt utc est edt cst cdt pst pdt")
_anchor_words(("vague",), "now nowadays currently current recently recent lately presently "
                          "past future days present moment being far date near term")
_anchor_words(("holiday",), "christmas year thanksgiving independence labor memorial "
                            "halloween valentine easter boxing election")


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie (fast: no backtracking over words)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items())
                    if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(tree)


# Run on the lower-cased text (same length), so no IGNORECASE is needed.
_ANCHOR_SOURCE = (r"\b(?:(?P<num>(?:1\d|20)\d\d(?:-\d\d-\d\d|['’]?s\b)?|\d0['’]?s"
                  r"|\d{1,2}/\d{1,2}/\d\d)"
                  r"|(?P<clock>[ap]\.m)|(?P<word>" + _trie(list(_ANCHOR_WORDS)) + r")\b)")
_ANCHORS = re.compile(_ANCHOR_SOURCE)
_RULE_ANCHORS: dict[str, tuple[str, ...]] = {
    "iso": ("isodate",), "slash": ("digits", "year"), "mdy": ("month",), "dmy": ("month",),
    "mdyword": ("month",), "dmyy": ("month",),
    "my": ("month",), "month": ("month",), "year": ("year",), "decade": ("decade",),
    "century": ("unit",), "quarter": ("period", "unit"), "qrel": ("period", "unit"),
    "season": ("day",), "relday": ("day",), "partofday": ("day", "unit"),
    "weekday": ("weekday",), "relunit": ("unit",),
    "theunit": ("unit",), "that": ("unit",), "ago": ("ago",), "yearago": ("ago",),
    "set": ("setword", "unit", "weekday", "month", "day"), "setadv": ("day",),
    "duration": ("unit",), "durhyph": ("unit",),
    "durplain": ("unit",), "decadeslong": ("unit",), "vague": ("vague", "ago"),
    "clock": ("clock", "day", "unit"), "midpart": ("day",), "holiday": ("holiday",),
    "spokenyear": ("day",), "yearend": ("unit", "day"), "spokendecade": ("decadeword",),
}
# Longest prefix before an anchor (e.g. "the past more than twenty-four ...") and longest
# suffix after one, lookaheads included; a test checks windowed and full scans agree.
_LEFT, _RIGHT = 48, 40

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

_PAST_WORDS = frozenset(
    "was were had did said told met left came went took gave made got saw began became fell "
    "rose won lost held led sent paid sold bought brought thought found kept knew ran spoke "
    "wrote stood struck hit cut set put shot fought flew broke chose drew drove ate grew hung "
    "laid lay meant overtook quit rode rang sank sang slid spent spun stole swept swore threw "
    "tore understood woke wore withdrew ago".split())
_PRESENT_WORDS = frozenset("is are am says say has have does do".split())
_FUTURE_WORDS = frozenset("will 'll ’ll shall wo would".split())
_MODAL_FUTURE = frozenset("may might should must".split())
_FUTURE_BEFORE_TO = frozenset(
    "scheduled expected due set going plans plan planned planning intends intended aims aimed "
    "hopes hoped wants wanted seeks sought agreed promised vowed threatened prepares preparing "
    "likely".split())
_NOT_PAST_ED = frozenset(
    "need indeed speed hundred red bed feed seed proceed exceed succeed shed embed united "
    "limited based related alleged so-called detailed advanced biased".split())
_WORD_RE = re.compile(r"[A-Za-z'’]+")
_SENT_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})[.!?]\s+"
                       r"(?=[A-Z\"“'‘`(])|\n\s*\n")
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
            if word not in _NUMBER_WORDS:
                rest = words[i:]
                break
            n = _NUMBER_WORDS[word]
            total = total * n if n == 100 and total else total + n
    if rest[:1] == ["1/2"] or "half" in rest:
        total += 0.5
    return total


def _fmt_number(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration for ``n`` units (None: vague), e.g. (6, "year") -> "P6Y"."""
    unit = _unit_key(unit)
    letter, timeish = _UNITS.get(unit, ("D", False))
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
    return _UNIT_ALIASES.get(unit, unit)


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


# --------------------------------------------------------------------------------------------
# Tense
# --------------------------------------------------------------------------------------------


_CLAUSE_BREAK = re.compile(r"[,;:()\"“”—]|\s[-–]{1,2}\s|``|''")


def _word_tense(words: list[str], i: int) -> str | None:
    word = words[i]
    if word in _FUTURE_WORDS or word in _MODAL_FUTURE:
        return "future"
    if word in _FUTURE_BEFORE_TO and i + 1 < len(words) and words[i + 1] == "to":
        return "future"
    if word in _PAST_WORDS or (word.endswith("ed") and len(word) > 4
                               and word not in _NOT_PAST_ED):
        before = words[i - 1] if i else ""
        if before in ("be", "been", "being", "to"):
            return None  # "to be paid", "has been delayed": the auxiliary decides
        if before in ("is", "are", "am"):
            return "present"
        return "past"
    if word in _PRESENT_WORDS:
        return "present"
    return None


def _tense_from_words(text: str, start: int, end: int) -> str | None:
    """A cheap guess of the tense of the clause around ``text[start:end]``.

    Verbs nearest the expression in its own clause count first (left, then right), then the
    rest of the sentence; "will"/"may" give the future, "-ed" forms and irregular past forms
    the past, "is"/"says" the present.
    """
    left_text = text[max(0, start - 160):start]
    ends = list(_SENT_END.finditer(left_text))
    if ends:
        left_text = left_text[ends[-1].end():]
    right_text = text[end:end + 120]
    cut = _SENT_END.search(right_text)
    if cut:
        right_text = right_text[:cut.start() + 1]
    left_parts = _CLAUSE_BREAK.split(left_text)
    right_parts = _CLAUSE_BREAK.split(right_text)
    segments = ((left_parts[-1], True), (right_parts[0], False),
                (" ".join(left_parts[:-1]), True), (" ".join(right_parts[1:]), False))
    for segment, leftward in segments:
        words = [w.lower() for w in _WORD_RE.findall(segment)]
        order = range(len(words) - 1, -1, -1) if leftward else range(len(words))
        for i in order:
            tense = _word_tense(words, i)
            if tense is not None:
                return tense
    return None


_FUTURE_LEMMAS = frozenset(
    "schedule expect plan set intend hope aim want seek agree promise vow threaten prepare go "
    "due likely be".split())
_PLAN_NOUNS = frozenset(
    "agreement plan deal offer proposal bid decision intention move effort attempt promise "
    "pledge commitment contract accord option right deadline schedule".split())
# Verbs whose time adjunct names a moment still to come ("postponed until Tuesday").
_FUTURE_VERBS = frozenset("schedule reschedule plan slate postpone delay adjourn extend".split())
_SCHEDULE_VERBS = frozenset("schedule reschedule slate plan".split())
_UNTIL_BEFORE = re.compile(r"\b(?:until|till|to|through|into|for)\s+(?:next\s+|this\s+)?$",
                           re.IGNORECASE)


def _tense_from_doc(doc: Doc, start: int, end: int, *, text: str | None = None) -> str | None:
    # ``text``: the doc's text, when the caller has it (``Doc.text`` joins every token anew
    # on each access: once per expression, that is quadratic in a long text).
    if text is None:
        text = doc.text
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token: Token = span.root
    seen = 0
    through_noun = False  # the expression modifies a noun on the way ("strikes on Tuesday")
    while token.pos_ not in ("VERB", "AUX") or token.i in range(span.start, span.end):
        if token.head.i == token.i:
            break
        token = token.head
        seen += 1
        if token.pos_ in ("NOUN", "PROPN") and token.i not in range(span.start, span.end):
            through_noun = True
        if seen > 12:
            break
    if token.pos_ not in ("VERB", "AUX"):
        return None
    lemma = token.lemma_.lower()
    if lemma in _FUTURE_VERBS and not any(
            c.lower_ == "had" for c in token.children if c.dep_ in ("aux", "auxpass")) and (
            lemma in _SCHEDULE_VERBS or _UNTIL_BEFORE.search(text, max(0, start - 16), start)):
        return "future"  # "postponed until Monday", "scheduled Friday"; not "extended an
        # apology Tuesday", where Tuesday is when it was extended
    for _ in range(4):
        auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & {"will", "'ll", "’ll", "shall", "wo", "would"}:
            return "future"
        if lowers & {"may", "might", "should", "must"}:
            return "future"
        if "to" in lowers and token.tag_ == "VB":
            head = token.head
            if not through_noun and (head.lemma_.lower() in _FUTURE_LEMMAS
                                     or head.lemma_.lower() in _PLAN_NOUNS):
                return "future"  # "expected to meet Friday", "an agreement to buy it in May"
            if head.i == token.i:
                return None
            token = head
            continue
        if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return "past"
        if token.tag_ == "VBN":
            return "past" if (not auxes or lowers & {"has", "have", "had", "'ve", "’ve"}) \
                else "present"
        if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
            if token.tag_ == "VBG" and lowers & {"is", "are", "'re", "am"}:
                return "future"
            return "present"
        return None
    return None


# --------------------------------------------------------------------------------------------
# The tagger
# --------------------------------------------------------------------------------------------


@dataclass
class _Context:
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


# Where a month (or a day of a month) without a year may fall, in months from the DCT, by the
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


def _spoken_day(d: _dt.date) -> str:
    return f"{d.day} {_FULL_MONTHS[d.month - 1]}"


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
    return _MONTHS[word.lower().rstrip(".")]


_WEEKDAY_BEFORE = re.compile(rf"({_WEEKDAY}),?\s+$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf",?\s+(?:the\s+)?(?:({_MONTH})\s*([0-3]?\d)(?!\d)|([0-3]?\d)"
                         rf"(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}))", re.IGNORECASE)


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
    before = _WEEKDAY_BEFORE.search(ctx.text, max(0, m.start() - 14), m.start())
    if before and ctx.dct is not None:
        # "Friday, Aug. 7": the year in which that day is that weekday, nearest the DCT
        weekday = _WEEKDAYS[before.group(1).lower().rstrip(".")]
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
    return (lower in _WORDS_BEFORE_A_YEAR or lower in _MONTHS or lower in _WEEKDAYS
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
        year = 2000 + (_NUMBER_WORDS[m["small"].lower()] if m["small"] else 0)
    elif m["teen"]:
        year = 1900 + _NUMBER_WORDS[m["teen"].lower()]
    else:
        year = 1900 + _NUMBER_WORDS[m["tens"].lower()] + (
            _NUMBER_WORDS[m["units"].lower()] if m["units"] else 0)
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
        return "TIME", f"{_day(base)}T{_PARTS_OF_DAY[m['part'].lower()]}", True
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


def _ref_year_text(ctx: _Context, start: int) -> str | None:
    year = _ref_year(ctx, start)
    return None if year is None else f"{year:04d}"


def _ref_year(ctx: _Context, start: int) -> int | None:
    """Year of the reference time, if it may anchor an expression at ``start``."""
    ref = _anchor(ctx, start, breaks=_FRAME_BREAKS["year"])
    if ref and re.match(r"\d{4}", ref):
        return int(ref[:4])
    return None


def _h_spokendecade(m: re.Match, ctx: _Context) -> _Result:
    tens = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
            "nineties"].index(m["tens"].lower()) + 2
    return "DATE", f"19{tens}", False


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
    n = int(m["n"]) if m["n"] else _ORDINALS[m["w"].lower()]
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
        n = _ORDINALS[m["ord"].lower()]
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
    season = _SEASONS[m["s"].lower()]
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
        return "TIME", f"{_day(d)}T{_PARTS_OF_DAY[m['part'].lower()]}", True
    return "DATE", _day(d), True


def _h_partofday(m: re.Match, ctx: _Context) -> _Result:
    rel = " ".join(m["rel"].lower().split())
    part = _PARTS_OF_DAY[m["part"].lower()]
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
    weekday = _WEEKDAYS[m["wd"].lower().rstrip(".")]
    rel = m["rel"].lower() if m["rel"] else None
    if m["part"] and m.group(0).lower().endswith("s") and not rel:
        value = f"XXXX-WXX-{weekday}T{_PARTS_OF_DAY[m['part'].lower()]}"
        return "SET", value, False
    if ctx.dct is None:
        raise _NoDct
    d = _weekday_date(ctx, weekday, m.start("wd"), m.end("wd"), rel)
    after = _DATE_AFTER.match(ctx.text, m.end())
    if after and not rel:  # "Friday, Aug. 7": the date that follows names the day
        month = _month_number(after.group(1) or after.group(4))
        day = int(after.group(2) or after.group(3))
        for delta in sorted(range(-371, 372, 7), key=abs):
            candidate = d + _dt.timedelta(days=delta)
            if (candidate.month, candidate.day) == (month, day):
                d = candidate
                break
    if m["part"]:
        return "TIME", f"{_day(d)}T{_PARTS_OF_DAY[m['part'].lower()]}", True
    return "DATE", _day(d), True


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start].rstrip(" \t\"'`‘“(")
    return not before or before[-1] in ".!?\n:"


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


_UNANCHORED_MASKS = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX",
                     "year": "XXXX"}


def _h_ago(m: re.Match, ctx: _Context) -> _Result:
    direction = " ".join(m["dir"].lower().split())
    unit = _unit_key(m["unit"])
    n = _number(m["num"])
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


def _h_duration(m: re.Match, ctx: _Context) -> _Result:
    unit = _unit_key(m["unit"])
    num_text = m["num"].lower()
    n = _number(num_text)
    if m["half"] and n is not None:
        n += 0.5
    if unit in ("year", "month", "week", "day") and _is_age(ctx.text, m.end()):
        raise _Reject  # "52 years old"
    if n == 1 and unit in ("second", "quarter") and not m["rel"] and not m["approx"]:
        following = ctx.text[m.end():m.end() + 14]
        if not re.match(r"\s*(?:[.,;:)]|$|(?:later|earlier|ago|or|and|in|to|for|after|before"
                        r"|each|every|per|at)\b)", following):
            raise _Reject  # "a second group", "a quarter of the market"
    plural = m["unit"].lower().endswith("s") or m["unit"].lower() in ("centuries", "millennia")
    if num_text in ("a", "an") and plural:
        raise _Reject
    if num_text == "some" and not plural:
        raise _Reject  # "some day"
    if num_text == "one" and unit == "day" and not (m["rel"] or m["approx"]) and not re.search(
            r"\b(?:for|in|within|after|of|by|than|over|about|only|just|a|the|per|each|every"
            r"|and|or|to|from|one|that|this|on)\s+$", ctx.text[max(0, m.start() - 8):m.start()],
            re.IGNORECASE) and re.match(r"\s+[a-z]", ctx.text[m.end():m.end() + 2]):
        # "Islam will one day be ...": some day, not a span of 24 hours
        past = ctx.tense(m.start(), m.end()) == "past"
        return "DATE", "PAST_REF" if past else "FUTURE_REF", False
    if n is not None and n > 1000 and unit not in ("second", "minute", "hour", "day"):
        raise _Reject
    rel = (m["rel"] or "").lower()
    if rel in ("first", "last", "past", "next", "coming") and n is None \
            and num_text not in ("several", "few", "a few", "many", "some"):
        raise _Reject
    if unit == "quarter" and n is not None and num_text not in ("a", "an") and not rel \
            and not plural:
        raise _Reject
    return "DURATION", _duration_value(n, unit), False


_PERSON_NOUNS = frozenset(
    "boy boys girl girls man men woman women son sons daughter daughters child children kid "
    "kids baby babies infant infants mother father brother sister wife husband grandmother "
    "grandfather widow widower student students teenager teen youth patient patient victim "
    "veteran resident native citizen worker employee driver pilot soldier officer lawyer "
    "doctor nurse farmer friend cousin nephew niece uncle aunt player girlfriend boyfriend "
    "suspect gunman bride mare horse colt filly dog resident student president patient "
    "immigrant participant defendant servant adolescent".split())


def _h_durhyph(m: re.Match, ctx: _Context) -> _Result:
    num_text = (m["num"] or m["num2"]).lower()
    n = 1.0 if num_text == "a" else _number(num_text)
    if n is None and num_text not in ("several", "few", "many"):
        raise _Reject
    if m["unit"].lower() == "second" and not ctx.text.startswith("-", m.start("unit") - 1):
        raise _Reject  # "one second delay" is rare, "the one second thing" is not
    if n is not None and n > 1000 and m["unit"].lower() not in ("second", "minute", "hour"):
        raise _Reject  # "the 1986 year results": a year, not 1,986 years
    if _is_age(ctx.text, m.end()):
        raise _Reject  # an age: "a 44-year-old man", "6-year-old Elian"
    return "DURATION", _duration_value(n, m["unit"]), False


_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ee|man|men|person|people)s?$")
_NATIONALITY = re.compile(r"(?:an|ese|ish|i|ic)$")
_AGE_FOLLOWERS = frozenset("and or who was is has had said says in from of with".split())


def _is_age(text: str, end: int) -> bool:
    """Whether the "-old" / "years old" after ``text[:end]`` gives a person's age."""
    after = text[end:end + 60]
    old = re.match(r"(?:-|\s+)old(?:s)?\b(?P<rest>[^.;:!?()]*)", after)
    if not old:
        return False
    words = re.findall(r"[\w'’-]+", old["rest"])[:3]
    if not words or words[0].lower() in _AGE_FOLLOWERS:
        return True  # "the 6-year-old said", "52 years old, will..."
    if words[0][:1].isupper():
        if not (_NATIONALITY.search(words[0]) and len(words) > 1 and words[1][:1].islower()):
            return True  # "6-year-old Elian"
        words = words[1:]  # "the six-year-old Syrian civil war": look at what follows
    for word in words:
        word = re.sub(r"['’]s$", "", word.lower())
        if word in _PERSON_NOUNS or (_AGENT_SUFFIX.search(word) and len(word) > 4):
            return True
    return False


def _h_durplain(m: re.Match, ctx: _Context) -> _Result:
    pre = " ".join((m["pre"] or "").lower().split())
    unit = _unit_key(m["unit"])
    if pre in ("in", "after", "take", "takes", "took") and not m["q"]:
        if pre == "in":
            raise _Reject
        if pre in ("after",):
            raise _Reject
    if pre == "recent":  # "in recent weeks": some time before the DCT
        return "DATE", "PAST_REF", False
    return "DURATION", _duration_value(None, unit), False


def _h_decadeslong(m: re.Match, ctx: _Context) -> _Result:
    unit = m["unit"].lower()
    n = None if unit.endswith(("s", "ies")) else 1
    return "DURATION", _duration_value(n, unit), False


_VAGUE = {"now": "PRESENT_REF", "nowadays": "PRESENT_REF", "currently": "PRESENT_REF",
          "current": "PRESENT_REF", "presently": "PRESENT_REF", "recently": "PAST_REF",
          "recent": "PAST_REF", "lately": "PAST_REF", "formerly": "PAST_REF",
          "previously": "PAST_REF", "soon": "FUTURE_REF", "the past": "PAST_REF",
          "the future": "FUTURE_REF", "future": "FUTURE_REF", "these days": "PRESENT_REF",
          "the present": "PRESENT_REF", "at present": "PRESENT_REF",
          "the moment": "PRESENT_REF", "the time being": "PRESENT_REF",
          "the near future": "FUTURE_REF", "the distant past": "PAST_REF",
          "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
          "the long term": "FUTURE_REF",
          "the recent past": "PAST_REF"}


def _h_vague(m: re.Match, ctx: _Context) -> _Result:
    word = " ".join(m["w"].lower().split())
    if word not in _VAGUE:
        raise _Reject
    after = ctx.text[m.end():m.end() + 30]
    if word == "current" and re.match(r"\s+(?:account|accounts|affairs|assets|liabilities"
                                      r"|events|ratio|price|prices|yield|coupon|market"
                                      r"|value|values|dollars|terms)\b", after, re.IGNORECASE):
        raise _Reject
    if word in ("the past", "the future") and re.match(r"\s*(?:\d|tense)", after):
        raise _Reject
    if word == "future" and re.match(r"\s+(?:contract|contracts|market|markets|delivery"
                                     r"|prices?|tense|generations?)\b", after, re.IGNORECASE):
        raise _Reject
    if word == "the moment":
        before = ctx.text[max(0, m.start() - 4):m.start()]
        if not before.lower().endswith("at "):
            raise _Reject
    return "DATE", _VAGUE[word], False


_SET_UNITS = {"second": "PT1S", "minute": "PT1M", "hour": "PT1H", "day": "P1D", "night": "P1D",
              "week": "P1W", "weekend": "P1WE", "month": "P1M", "quarter": "P1Q", "year": "P1Y",
              "decade": "P10Y", "morning": "XXXX-XX-XXTMO", "afternoon": "XXXX-XX-XXTAF",
              "evening": "XXXX-XX-XXTEV", "summer": "XXXX-SU", "winter": "XXXX-WI",
              "spring": "XXXX-SP", "fall": "XXXX-FA", "autumn": "XXXX-FA"}


def _h_set(m: re.Match, ctx: _Context) -> _Result:
    q = m["q"].lower()
    word = m["unit"].lower().rstrip(".")
    if q == "a":
        before = ctx.text[max(0, m.start() - 30):m.start()]
        if word not in ("day", "week", "month", "year", "hour") or not re.search(
                r"(?:\d|illion|times|twice|once|percent|pct|dlrs|cents|[a-z]{2}s)\s*$",
                before, re.IGNORECASE) or re.search(
                r"\b(?:was|is|has|its|this|as|thus|less|plus|across|unless|perhaps|always"
                r"|sometimes|his|hers|yours|ours|theirs|whereas|was|does|goes|years|days"
                r"|months|weeks|hours)\s*$", before, re.IGNORECASE):
            raise _Reject
        if re.match(r"\s+(?:before|after|earlier|later|ago|prior)\b", ctx.text[m.end():]):
            raise _Reject  # "comes a day after ...": a relative duration, not a rate
    if q == "per" and word not in _SET_UNITS:
        raise _Reject
    if word in _WEEKDAYS and word not in ("sat", "sun", "mon", "wed", "fri"):
        value = f"XXXX-WXX-{_WEEKDAYS[word]}"
    elif word in _MONTHS:
        value = f"XXXX-{_MONTHS[word]:02d}"
    elif word in _SET_UNITS:
        value = _SET_UNITS[word]
    else:
        raise _Reject
    if m["other"] and value.startswith("P1"):
        value = "P2" + value[2:]
    return "SET", value, False


_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
                "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D", "quarterly": "P3M",
                "biweekly": "P2W", "bimonthly": "P2M", "semiannually": "P6M",
                "semi-annually": "P6M"}


def _h_setadv(m: re.Match, ctx: _Context) -> _Result:
    word = m["w"]
    if word[:1].isupper() and not word.isupper() and not _sentence_initial(ctx.text, m.start()):
        raise _Reject  # a name: "the China Daily"
    return "SET", _SET_ADVERBS[m["w"].lower()], False


def _clock_day(ctx: _Context, word: str, start: int, end: int) -> tuple[_dt.date, bool]:
    lower = word.lower().rstrip(".")
    dct = _need_dct(ctx)
    if lower in ("today", "tonight"):
        return dct, True
    if lower == "yesterday":
        return dct - _dt.timedelta(days=1), True
    if lower == "tomorrow":
        return dct + _dt.timedelta(days=1), True
    if lower in _WEEKDAYS:
        return _weekday_date(ctx, _WEEKDAYS[lower], start, end, None), True
    parts = re.match(rf"({_MONTH})\s*(\d+)", word, re.IGNORECASE)
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
    return "TIME", f"{_day(day)}T{_PARTS_OF_DAY[m['part'].lower()]}", True


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
    name = " ".join(name.lower().replace("’", "'").split())
    if name.startswith("christmas eve"):
        return _dt.date(year, 12, 24)
    if name.startswith("christmas"):
        return _dt.date(year, 12, 25)
    if name.startswith("new year's eve"):
        return _dt.date(year, 12, 31)
    if name.startswith("new year"):
        return _dt.date(year, 1, 1)
    if name.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 4, 4)
    if name.startswith("independence"):
        return _dt.date(year, 7, 4)
    if name.startswith("labor"):
        return _nth_weekday(year, 9, 1, 1)
    if name.startswith("memorial"):
        return _nth_weekday(year, 5, 1, -1)
    if name.startswith("halloween"):
        return _dt.date(year, 10, 31)
    if name.startswith("valentine"):
        return _dt.date(year, 2, 14)
    if name.startswith("election"):  # US: the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 1, 1) + _dt.timedelta(days=1)
    if name.startswith("boxing"):
        return _dt.date(year, 12, 26)
    return _easter(year)


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


_HANDLERS: dict[str, Callable[[re.Match, _Context], _Result]] = {
    "iso": _h_iso, "slash": _h_slash, "mdy": _h_mdy, "dmy": _h_mdy, "my": _h_my,
    "dmyy": _h_dmyy,
    "mdyword": _h_mdy,
    "month": _h_month, "year": _h_year, "decade": _h_decade, "century": _h_century,
    "quarter": _h_quarter, "qrel": _h_qrel, "season": _h_season, "relday": _h_relday,
    "partofday": _h_partofday, "weekday": _h_weekday, "relunit": _h_relunit,
    "theunit": _h_theunit, "that": _h_that, "ago": _h_ago, "yearago": _h_yearago,
    "duration": _h_duration, "durhyph": _h_durhyph, "durplain": _h_durplain,
    "decadeslong": _h_decadeslong, "vague": _h_vague, "set": _h_set, "setadv": _h_setadv,
    "clock": _h_clock, "midpart": _h_midpart, "holiday": _h_holiday,
    "spokenyear": _h_spokenyear, "yearend": _h_yearend, "spokendecade": _h_spokendecade,
}

# Spans of these rules start after a leading word that TimeML leaves out.
_DROP_LEADING = {"durplain": re.compile(r"(?:for|within|in|over|after|take|takes|took)\s+",
                                        re.IGNORECASE),
                 "month": re.compile(r"(?:since|until|till)\s+", re.IGNORECASE)}


def _windows(spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Merged ``[start - _LEFT, end + _RIGHT)`` windows around sorted anchor spans."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        low, high = max(0, start - _LEFT), min(size, end + _RIGHT)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _candidates(text: str) -> list[tuple[int, int, int, str, re.Match]]:
    anchors: dict[str, list[tuple[int, int]]] = {}
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for match in _ANCHORS.finditer(lowered):
        span = match.span()
        if match.lastgroup == "word":
            for name in _ANCHOR_WORDS[match.group().lower()]:
                anchors.setdefault(name, []).append(span)
        elif match.lastgroup == "clock":
            anchors.setdefault("clock", []).append(span)
        else:
            digits = match.group()
            name = ("digits" if "/" in digits else "decade" if digits[-1] in "sS"
                    else "isodate" if len(digits) > 4 else "year")
            anchors.setdefault(name, []).append(span)
    if not anchors:
        return []
    found = {}
    size = len(text)
    windows: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for name, pattern in _RULES:
        classes = tuple(c for c in _RULE_ANCHORS[name] if c in anchors)
        if not classes:
            continue
        if classes not in windows:
            spans = sorted(span for c in classes for span in anchors[c])
            windows[classes] = _windows(spans, size)
        order = _RULE_ORDER[name]
        for low, high in windows[classes]:
            for match in pattern.finditer(text, low, high):
                start, end = match.span()
                if end == high < size:
                    # the window's end cut the text: a lookahead there saw no next character
                    match = pattern.match(text, start)
                    if match is None:
                        continue
                    end = match.end()
                if end > start:
                    found[(start, end, order)] = (start, end, order, name, match)
    return list(found.values())


def _select(found: list[tuple[int, int, int, str, re.Match]],
            ctx: _Context) -> list[tuple[int, int, str, re.Match]]:
    """Non-overlapping candidates, longest first (ties: rule order, then position).

    A candidate whose rule rejects it (a handler raising ``_Reject``, judged without the
    document's reference time) leaves its room to shorter candidates.
    """
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    # The spans taken are disjoint, so sorted by start they are sorted by end too: the only
    # one that can overlap [start, end) is the last one starting before ``end`` (a bisect,
    # not a scan of every span taken: a long text has thousands).
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    probe = _Context(text=ctx.text, dct=ctx.dct, doc=ctx.doc,
                     tense_override=ctx.tense_override, tense_cache=ctx.tense_cache,
                     date_order=ctx.date_order)
    for start, end, _order, name, match in found:
        i = bisect.bisect_left(starts, end)
        if i and ends[i - 1] > start:
            continue
        try:
            _HANDLERS[name](match, probe)
        except _Reject:
            continue
        except Exception:  # noqa: BLE001, S110 - judged again (and skipped) in the second pass
            pass
        starts.insert(i, start)
        ends.insert(i, end)
        chosen.append((start, end, name, match))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _as_date(dct: object) -> _dt.date | None:
    if isinstance(dct, _dt.datetime):
        return dct.date()
    if isinstance(dct, _dt.date):
        return dct
    return None


def _tag(text: str, dct: _dt.date | None, doc: Doc | None, tense: str | None = None, *,
         date_order: str | None = None,
         tense_cache: dict[tuple[int, int], str | None] | None = None,
         candidates: list[tuple[int, int, int, str, re.Match]] | None = None) -> list[Timex]:
    ctx = _Context(text=text, dct=dct, doc=doc, tense_override=tense, date_order=date_order)
    if tense_cache is not None:  # the tense of a clause does not depend on the DCT
        ctx.tense_cache = tense_cache
    # the candidates (:func:`_candidates` of ``text``) do not depend on the DCT either; a
    # copy, as _select sorts its list
    found = _candidates(text) if candidates is None else list(candidates)
    timexes: list[Timex] = []
    prev_end = -1
    for start, end, name, match in _select(found, ctx):
        try:
            kind, value, anchored = _HANDLERS[name](match, ctx)
        except (_Reject, _NoRef):
            continue
        except _Unanchored as unanchored:  # "the next day" with no date close before it
            kind, value, anchored = unanchored.kind, unanchored.mask, True
            ctx.notes[match.start()] = unanchored.words or _anaphoric_words(text[start:end])
        except _NoDct:
            kind, value, anchored = _kind_without_dct(name, match), None, True
        except (ValueError, OverflowError, KeyError, IndexError):
            continue
        note = ctx.notes.pop(match.start(), None)
        if value is not None and not is_valid_timex3_value(value):
            value = None
        drop = _DROP_LEADING.get(name)
        if drop is not None:
            lead = drop.match(text, start)
            if lead:
                start = lead.end()
        while end > start and text[end - 1] in " \t\n,":
            end -= 1
        if start < prev_end or end <= start:
            continue
        timexes.append(Timex(start, end, text[start:end], kind, value, anchored, note))
        prev_end = end
        # "up from 35 mln the previous year" compares; it does not move the story on
        comparison = name == "relunit" and match["rel"].lower() in ("previous", "prior")
        if comparison:
            pass
        elif kind == "DATE" and value and name not in _NOT_REFERENCE and re.fullmatch(
                r"\d{4}(?:-(?:\d\d(?:-\d\d)?|Q[1-4]))?", value) and not (
                name == "qrel" and match["y1"]) and not (
                name in ("qrel", "quarter") and match["pre"]
                and match["pre"].lower().startswith(("year", "prior", "previous-", "compar"))):
            ctx.ref, ctx.ref_end = value, end
            ctx.ref_explicit = not anchored
        elif kind in ("DATE", "TIME") and name not in _NOT_REFERENCE and (
                value is None or value.startswith("XXXX")):
            # a time the text names but that cannot be dated ("on Monday" without a DCT)
            # is the new frame: later "that day" must not reach back past it
            ctx.ref, ctx.ref_end, ctx.ref_explicit = _UNDATED, end, False
    return timexes


_UNDATED = "undated"  # ctx.ref after a time that cannot be dated without the DCT


# Expressions anchored on the reference time do not become the reference themselves.
_NOT_REFERENCE = frozenset({"ago", "yearago", "that", "yearend"})


def _kind_without_dct(name: str, match: re.Match) -> str:
    if name == "clock" or (name in ("relday", "partofday", "midpart")):
        if name == "relday" and not (match["part"] or match["w"].lower() == "tonight"):
            return "DATE"
        return "TIME"
    if name == "weekday" and match["part"]:
        return "TIME"
    return "DATE"


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


# --------------------------------------------------------------------------------------------
# Texts without a DCT: what is known is what does not depend on the DCT
# --------------------------------------------------------------------------------------------

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


def _anaphoric_words(expression: str, *, undated: bool = False) -> str:
    """Words for "the next day" when the time it follows is not known: undated (no DCT) or
    not resolved (no time of the text close enough before it)."""
    expression = " ".join(expression.split())
    if expression[1:2].islower():
        expression = expression[0].lower() + expression[1:]  # "The next day" opening a sentence
    if undated:
        return f"{expression}: relative to an earlier, undated time of the text"
    return f"{expression}: relative to an earlier time of the text, not resolved"


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
    return f"{_SMALL[n] if n < len(_SMALL) else n} {plural}"


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
            value, what = f"XXXX-WXX-{first.isoweekday()}", _FULL_DAYS[first.isoweekday() - 1]
        elif len({d.month for d in days}) == 1:
            value, what = f"XXXX-{first.month:02d}-XX", f"a day in {_FULL_MONTHS[first.month - 1]}"
        else:
            value, what = "XXXX-XX-XX", "a day"
        what = f"{what} {time}" if time else what
        return value + suffix, f"{what}, {window}"
    if unit == "month" and len(set(parts)) == 1:
        return f"XXXX-{parts[0]:02d}", f"{_FULL_MONTHS[parts[0] - 1]}, {window}"
    if unit in ("quarter", "half") and len(set(parts)) == 1:
        letter = "Q" if unit == "quarter" else "H"
        what = f"the {_ORDINAL_NAMES[parts[0]]} {_UNIT_NAMES[unit][0]}"
        return f"XXXX-{letter}{parts[0]}", f"{what}, {window}"
    if unit == "year" and suffix:
        return f"XXXX-{suffix}", f"{_SEASON_NAMES[suffix]}, {window}"
    return mask, f"the {_UNIT_NAMES[unit][0]}, {window}"


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
    except Exception:  # noqa: BLE001 - promised never to raise on any input
        return None
